/* Being written. */
#include "plan.h"
