/* Being written. */
#include "../cli.h"
#include "../base/banned.h"

void disclosure_http_register(void)
{
}
