/* Being written. */
#include "attachment.h"
