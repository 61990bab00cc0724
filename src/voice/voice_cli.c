/* Being written: `quantri voice ...`. */
#include <stdio.h>
#include "voice.h"
#include "../cli.h"
#include "../base/banned.h"

int voice_cli(struct config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	fputs("voice: not built yet\n", stderr);
	return 1;
}
