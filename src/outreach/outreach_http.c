/* Being written. */
#include "../cli.h"
#include "../base/banned.h"

void outreach_http_register(void)
{
}
