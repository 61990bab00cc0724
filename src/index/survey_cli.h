/* `quantri survey ...` with its streams as parameters, so tests run the
 * command in-process: argv[0] is "survey". Returns the exit status (0 ok,
 * 1 failure, 2 usage). */
#ifndef SURVEY_CLI_H
#define SURVEY_CLI_H
#include <stdio.h>

int survey_cli_run(int argc, char **argv, FILE *out, FILE *err);

#endif
