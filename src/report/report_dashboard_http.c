/* Being written. */
#include "report.h"
#include "../base/banned.h"

void report_dashboard_http_register(void)
{
}
