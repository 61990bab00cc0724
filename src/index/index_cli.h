/* What the index commands (papi, round, interviews) share. */
#ifndef INDEX_CLI_H
#define INDEX_CLI_H
#include "base/config.h"
#include "store/db.h"

/* Opens the database of cfg, which `quantri init` must have made and
 * brought to this program's schema; on failure prints "quantri CMD: ..."
 * and returns 1 (the exit status), else 0. */
int index_cli_open_db(const char *cmd, const struct config *cfg,
		      struct db **db);

#endif
