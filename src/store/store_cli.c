/* `quantri backup FILE` and `quantri restore FILE`, for SQLite databases.
 * PostgreSQL has its own tools (pg_dump, pg_restore). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "../cli.h"
#include "db.h"
#include "../base/banned.h"

static const char backup_usage[] =
	"usage: quantri backup FILE\n\n"
	"Copies the SQLite database to FILE, consistently, while `quantri "
	"serve`\n"
	"keeps running (SQLite's online backup). FILE is written under a\n"
	"temporary name beside it, then renamed, so it is never half-written;\n"
	"an existing FILE is replaced. For PostgreSQL use pg_dump.\n";

static const char restore_usage[] =
	"usage: quantri restore FILE\n\n"
	"Replaces the SQLite database with the backup FILE. Stop `quantri "
	"serve`\n"
	"first: restore refuses a database that is open, but cannot keep a\n"
	"server from opening it again meanwhile. FILE must be a SQLite "
	"database\n"
	"that passes its integrity check and has a schema version this "
	"program\n"
	"knows; an older schema is upgraded at the next start. The replaced\n"
	"database is kept as DB.before-restore. For PostgreSQL use pg_restore\n"
	"or psql.\n";

/* 0 with *file set, or the exit status to return. */
static int one_file_arg(const char *cmd, const char *usage, int argc,
			char **argv, const char **file)
{
	*file = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return -1;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "quantri %s: unknown option %s\n", cmd,
				argv[i]);
			fputs(usage, stderr);
			return 2;
		}
		if (*file) {
			fprintf(stderr, "quantri %s: one FILE only\n", cmd);
			fputs(usage, stderr);
			return 2;
		}
		*file = argv[i];
	}
	if (!*file) {
		fputs(usage, stderr);
		return 2;
	}
	return 0;
}

int store_cli_backup(struct config *cfg, int argc, char **argv)
{
	const char *file;
	int rc = one_file_arg("backup", backup_usage, argc, argv, &file);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (db_url_is_postgres(cfg->db)) {
		fprintf(stderr, "quantri backup: use pg_dump for PostgreSQL "
				"databases\n");
		return 1;
	}
	const char *path = db_sqlite_path(cfg->db);
	struct stat st;
	if (stat(path, &st)) {
		fprintf(stderr, "quantri backup: database %s does not exist\n",
			path);
		return 1;
	}
	struct db *db;
	struct error e = {0};
	if (db_open(&db, cfg->db, &e) || db_backup(db, file, &e)) {
		db_close(db);
		fprintf(stderr, "quantri backup: %s\n", e.msg);
		return 1;
	}
	db_close(db);
	if (!stat(file, &st))
		printf("backup of %s written to %s (%lld bytes)\n", path, file,
		       (long long)st.st_size);
	return 0;
}

int store_cli_restore(struct config *cfg, int argc, char **argv)
{
	const char *file;
	int rc = one_file_arg("restore", restore_usage, argc, argv, &file);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (db_url_is_postgres(cfg->db)) {
		fprintf(stderr, "quantri restore: use pg_restore or psql for"
				" PostgreSQL databases\n");
		return 1;
	}
	const char *path = db_sqlite_path(cfg->db);
	struct stat st;
	bool existed = !stat(path, &st);
	struct error e = {0};
	if (db_restore(cfg->db, file, &e)) {
		fprintf(stderr, "quantri restore: %s\n", e.msg);
		return 1;
	}
	printf("restored %s from %s\n", path, file);
	if (existed)
		printf("the previous database is kept as %s.before-restore\n",
		       path);
	return 0;
}

int store_cli_init_step(struct config *cfg, int argc, char **argv,
			int (*before)(struct config *, int, char **),
			enum err (*seed)(struct db *, struct arena *,
					 struct error *),
			const char *what)
{
	bool demo = false, help = false;
	for (int i = 1; i < argc; i++) {
		help |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
		demo |= !strcmp(argv[i], "--demo");
	}
	int rc = before(cfg, argc, argv);
	if (rc || help || !demo)
		return rc;
	struct db *db;
	struct error e = {0};
	if (db_open(&db, cfg->db, &e)) {
		fprintf(stderr, "quantri init: %s\n", e.msg);
		return 1;
	}
	struct arena a;
	arena_init(&a, 512u << 20);
	if (seed(db, &a, &e)) {
		fprintf(stderr, "quantri init: %s: %s\n", what, e.msg);
		rc = 1;
	}
	arena_release(&a);
	db_close(db);
	return rc;
}
