/* The report pages: stored reports (list, build, open, files). */
#include "report.h"
#include "../cli.h"
#include "../http/http.h"
#include "../base/banned.h"

void report_http_register(void)
{
	report_dashboard_http_register();
}
