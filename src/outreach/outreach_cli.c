/* Being written. */
#include <stdio.h>
#include "../cli.h"
#include "../base/banned.h"

int outreach_cli(struct config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	fprintf(stderr, "quantri outreach: not built yet\n");
	return 2;
}

int outreach_cli_init(struct config *cfg, int argc, char **argv)
{
	return disclosure_cli_init(cfg, argc, argv);
}
