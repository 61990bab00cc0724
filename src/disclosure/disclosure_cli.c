/* Being written. */
#include <stdio.h>
#include "../cli.h"
#include "../base/banned.h"

int disclosure_cli(struct config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	fprintf(stderr, "quantri disclosure: not built yet\n");
	return 2;
}

int disclosure_cli_init(struct config *cfg, int argc, char **argv)
{
	return voice_cli_init(cfg, argc, argv);
}
