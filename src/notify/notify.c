/* Being written. */
#include "notify.h"
