/* Being written. */
#include <stdio.h>
#include "../cli.h"
#include "../base/banned.h"

int oversight_cli(struct config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	fprintf(stderr, "quantri oversight: not built yet\n");
	return 2;
}

int oversight_cli_init(struct config *cfg, int argc, char **argv)
{
	return outreach_cli_init(cfg, argc, argv);
}
