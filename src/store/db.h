/* The store: one interface over SQLite (embedded default) and PostgreSQL.
 * SQL text uses $1..$N placeholders on both backends; parameters and cells
 * travel as text (NULL for SQL NULL), with each cell's type kept so results
 * can become typed JSON. No SQL text lives outside *_db.c files and the
 * migrations. A struct db is one connection: use it from one thread. */
#ifndef DB_H
#define DB_H
#include <jansson.h>
#include <stdbool.h>
#include "../base/arena.h"
#include "../base/error.h"

enum db_kind { DB_SQLITE, DB_POSTGRES };
enum db_type { DB_NULL, DB_INT, DB_REAL, DB_TEXT };

struct db;

struct db_result {
	int nrows, ncols;
	const char **names;   /* ncols column names */
	const char **cells;   /* nrows * ncols, row-major; NULL = SQL NULL */
	unsigned char *types; /* nrows * ncols, enum db_type */
	long long changes;    /* rows changed by INSERT/UPDATE/DELETE */
};

/* url: "postgres://..." or "postgresql://..." for PostgreSQL; otherwise a
 * file path, optionally prefixed "sqlite:". SQLite opens with WAL, foreign
 * keys on, synchronous=FULL, a busy timeout. */
enum err db_open(struct db **out, const char *url, struct error *e);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);

/* Applies the embedded migrations (migrations/<backend>/NNNN_*.sql) that are
 * not yet applied, each in its own transaction. Refuses a database whose
 * schema is newer than this program knows. */
enum err db_migrate(struct db *db, struct error *e);
int db_schema_version(struct db *db); /* -1 on error */
int db_schema_version_known(void);    /* highest embedded migration */

/* Runs one statement. out may be NULL. Result memory is in arena a. */
enum err db_exec(struct db *db, struct arena *a, const char *sql,
		 const char *const *params, int nparams, struct db_result **out,
		 struct error *e);
/* db_exec(db, a, sql, DB_PARAMS(x, y), &res, e) */
#define DB_PARAMS(...)                                                         \
	(const char *const[]){__VA_ARGS__},                                    \
		(int)(sizeof((const char *const[]){__VA_ARGS__}) /             \
		      sizeof(const char *))
/* Ids written for an IN (...) list: "1,2,3"; "0" when there are none
 * (matches no row). NULL when out of memory. */
char *db_id_list(struct arena *a, const long long *ids, int n);
/* qsort/bsearch order of ids (long long). */
int db_id_cmp(const void *x, const void *y);
/* Sorts ids and drops repeats; the count left. */
int db_ids_unique(long long *ids, int n);
/* Runs several ;-separated statements without parameters (schema scripts). */
enum err db_exec_script(struct db *db, const char *sql, struct error *e);

/* Transactions nest: an inner db_begin opens a savepoint, and its commit or
 * rollback touches only what ran since. A failed db_commit has rolled back;
 * db_rollback with no transaction open does nothing. */
enum err db_begin(struct db *db, struct error *e);
enum err db_commit(struct db *db, struct error *e);
void db_rollback(struct db *db);

/* Cell access: NULL when the column is absent or the cell is NULL. */
const char *db_get(const struct db_result *r, int row, const char *col);
long long db_get_int(const struct db_result *r, int row, const char *col,
		     long long fallback);
/* Rows as a JSON array of objects, INT/REAL cells as numbers. New ref. */
json_t *db_result_json(const struct db_result *r);
json_t *db_row_json(const struct db_result *r, int row);

/* Time spent in this connection's statements since it opened, for
 * /metrics. */
void db_stats(const struct db *db, double *seconds,
	      unsigned long long *statements);

/* Consistent online copy of the database to a new SQLite file (SQLite
 * backup API); for PostgreSQL returns ERR_INVALID (use pg_dump). */
enum err db_backup(struct db *db, const char *dest_path, struct error *e);

/* Added by the store: */
/* Replaces the SQLite database at url with the backup at backup_path, after
 * checking the backup (a SQLite file, integrity_check ok, a schema version
 * this program knows). The old file is kept as <path>.before-restore.
 * Refuses while another connection has the database open, but the server
 * must be stopped first: nothing keeps it from opening the file again. */
enum err db_restore(const char *url, const char *backup_path, struct error *e);
/* true for "postgres://" and "postgresql://" URLs */
bool db_url_is_postgres(const char *url);
/* The file path of a SQLite URL ("sqlite:" or "sqlite://" removed). */
const char *db_sqlite_path(const char *url);

#endif
