/* Being written. */
#include "../cli.h"
#include "../base/banned.h"

void oversight_http_register(void)
{
}
