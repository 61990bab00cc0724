/* `quantri report ...`: stored reports from the command line, and
 * `quantri init`, which after the oversight seeds the demo reports with
 * --demo. Errors in English on stderr; exit 0 ok, 1 failure, 2 usage. */
#include <stdio.h>
#include <string.h>
#include "report.h"
#include "../cli.h"
#include "../base/banned.h"

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

int report_cli(struct config *cfg, int argc, char **argv)
{
	fprintf(stderr, "usage: quantri report (being written)\n");
	return argc >= 2 && is_help(argv[1]) ? 0 : 2;
}

int report_cli_init(struct config *cfg, int argc, char **argv)
{
	return oversight_cli_init(cfg, argc, argv);
}
