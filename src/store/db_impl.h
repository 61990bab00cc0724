/* Inside the store: the connection every backend starts with, and the entry
 * points db.c dispatches to. Nothing outside src/store includes this. */
#ifndef DB_IMPL_H
#define DB_IMPL_H
#include "db.h"

/* Each backend allocates its own struct with this as its first member. */
struct db {
	enum db_kind kind;
	int depth; /* open transactions: 1 = BEGIN, each more a SAVEPOINT */
	double seconds; /* spent in statements, for db_stats */
	unsigned long long statements;
};

/* A result with room for nrows * ncols cells, all in arena a. */
struct db_result *db_result_new(struct arena *a, int nrows, int ncols);

enum err db_sqlite_open(struct db **out, const char *path, struct error *e);
void db_sqlite_close(struct db *db);
enum err db_sqlite_exec(struct db *db, struct arena *a, const char *sql,
			const char *const *params, int nparams,
			struct db_result **out, struct error *e);
enum err db_sqlite_exec_script(struct db *db, const char *sql, struct error *e);
enum err db_sqlite_backup(struct db *db, const char *dest_path,
			  struct error *e);
enum err db_sqlite_restore(const char *path, const char *backup_path,
			   struct error *e);

enum err db_pg_open(struct db **out, const char *url, struct error *e);
void db_pg_close(struct db *db);
enum err db_pg_exec(struct db *db, struct arena *a, const char *sql,
		    const char *const *params, int nparams,
		    struct db_result **out, struct error *e);
enum err db_pg_exec_script(struct db *db, const char *sql, struct error *e);

#endif
