/* The store's front: picks the backend from the URL, times statements,
 * nests transactions as savepoints, reads cells, turns results into JSON,
 * and applies the embedded migrations. */
#include "db_impl.h"
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../base/embedded.h"
#include "../base/banned.h"

/* Arbitrary, fixed: the key of the PostgreSQL advisory lock that makes
 * concurrent starts apply each migration once. */
#define MIGRATION_LOCK_KEY "7437202601"

enum { MIGRATIONS_MAX = 256, MIGRATION_NAME_MAX = 64 };

bool db_url_is_postgres(const char *url)
{
	return url && (!strncmp(url, "postgres://", 11) ||
		       !strncmp(url, "postgresql://", 13));
}

const char *db_sqlite_path(const char *url)
{
	if (!strncmp(url, "sqlite://", 9))
		return url + 9;
	if (!strncmp(url, "sqlite:", 7))
		return url + 7;
	return url;
}

enum err db_open(struct db **out, const char *url, struct error *e)
{
	*out = NULL;
	if (!url || !*url)
		return error_set(e, ERR_INVALID, "no database given (set db)");
	if (db_url_is_postgres(url))
		return db_pg_open(out, url, e);
	const char *path = db_sqlite_path(url);
	if (!*path)
		return error_set(e, ERR_INVALID, "database %s: empty path",
				 url);
	return db_sqlite_open(out, path, e);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->kind == DB_POSTGRES)
		db_pg_close(db);
	else
		db_sqlite_close(db);
}

enum db_kind db_kind(const struct db *db)
{
	return db->kind;
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum err db_exec(struct db *db, struct arena *a, const char *sql,
		 const char *const *params, int nparams, struct db_result **out,
		 struct error *e)
{
	if (out)
		*out = NULL;
	if (!sql || nparams < 0 || (nparams > 0 && !params) || (out && !a))
		return error_set(e, ERR_INTERNAL, "db_exec: bad arguments");
	double t0 = now_seconds();
	enum err err =
		db->kind == DB_POSTGRES
			? db_pg_exec(db, a, sql, params, nparams, out, e)
			: db_sqlite_exec(db, a, sql, params, nparams, out, e);
	db->seconds += now_seconds() - t0;
	db->statements++;
	return err;
}

enum err db_exec_script(struct db *db, const char *sql, struct error *e)
{
	double t0 = now_seconds();
	enum err err = db->kind == DB_POSTGRES
			       ? db_pg_exec_script(db, sql, e)
			       : db_sqlite_exec_script(db, sql, e);
	db->seconds += now_seconds() - t0;
	db->statements++;
	return err;
}

void db_stats(const struct db *db, double *seconds,
	      unsigned long long *statements)
{
	if (seconds)
		*seconds = db->seconds;
	if (statements)
		*statements = db->statements;
}

/* Transactions nest: the outermost is BEGIN (IMMEDIATE on SQLite, so two
 * writers never deadlock upgrading read locks), inner ones savepoints, so
 * a function that needs a transaction can open one whether or not its
 * caller already did. */
enum err db_begin(struct db *db, struct error *e)
{
	char sql[64];
	if (db->depth == 0)
		snprintf(sql, sizeof sql, "%s",
			 db->kind == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
	else
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", db->depth + 1);
	enum err err = db_exec(db, NULL, sql, NULL, 0, NULL, e);
	if (err)
		return err;
	db->depth++;
	return ERR_OK;
}

enum err db_commit(struct db *db, struct error *e)
{
	char sql[64];
	if (db->depth <= 0)
		return error_set(e, ERR_INTERNAL,
				 "commit without a transaction");
	if (db->depth == 1)
		snprintf(sql, sizeof sql, "COMMIT");
	else
		snprintf(sql, sizeof sql, "RELEASE SAVEPOINT sp%d", db->depth);
	enum err err = db_exec(db, NULL, sql, NULL, 0, NULL, e);
	if (err) {
		/* A failed commit leaves nothing half-done: roll back. */
		db_rollback(db);
		return err;
	}
	db->depth--;
	return ERR_OK;
}

void db_rollback(struct db *db)
{
	char sql[96];
	if (db->depth <= 0)
		return;
	if (db->depth == 1)
		snprintf(sql, sizeof sql, "ROLLBACK");
	else
		snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT sp%d",
			 db->depth);
	db_exec(db, NULL, sql, NULL, 0, NULL, NULL);
	if (db->depth > 1) {
		snprintf(sql, sizeof sql, "RELEASE SAVEPOINT sp%d", db->depth);
		db_exec(db, NULL, sql, NULL, 0, NULL, NULL);
	}
	db->depth--;
}

enum err db_backup(struct db *db, const char *dest_path, struct error *e)
{
	if (db->kind == DB_POSTGRES)
		return error_set(e, ERR_INVALID,
				 "use pg_dump for PostgreSQL databases");
	return db_sqlite_backup(db, dest_path, e);
}

enum err db_restore(const char *url, const char *backup_path, struct error *e)
{
	if (db_url_is_postgres(url))
		return error_set(
			e, ERR_INVALID,
			"use pg_restore or psql for PostgreSQL databases");
	return db_sqlite_restore(db_sqlite_path(url), backup_path, e);
}

/* Results */

struct db_result *db_result_new(struct arena *a, int nrows, int ncols)
{
	struct db_result *r = arena_alloc(a, sizeof *r);
	if (!r)
		return NULL;
	size_t cells = (size_t)nrows * (size_t)ncols;
	r->nrows = nrows;
	r->ncols = ncols;
	r->names = arena_alloc(a, (size_t)ncols * sizeof *r->names + 1);
	r->cells = arena_alloc(a, cells * sizeof *r->cells + 1);
	r->types = arena_alloc(a, cells + 1);
	if (!r->names || !r->cells || !r->types)
		return NULL;
	return r;
}

static int column_index(const struct db_result *r, const char *col)
{
	for (int c = 0; c < r->ncols; c++)
		if (r->names[c] && !strcmp(r->names[c], col))
			return c;
	return -1;
}

char *db_id_list(struct arena *a, const long long *ids, int n)
{
	size_t cap = (size_t)(n > 0 ? n : 1) * 21 + 2, len = 0;
	char *s = arena_alloc(a, cap);
	if (!s)
		return NULL;
	if (n <= 0)
		return memcpy(s, "0", 2);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s%lld",
					i ? "," : "", ids[i]);
	return s;
}

int db_id_cmp(const void *x, const void *y)
{
	long long p = *(const long long *)x, q = *(const long long *)y;
	return (p > q) - (p < q);
}

int db_ids_unique(long long *ids, int n)
{
	if (n <= 0)
		return 0;
	qsort(ids, (size_t)n, sizeof *ids, db_id_cmp);
	int w = 0;
	for (int i = 0; i < n; i++)
		if (!w || ids[w - 1] != ids[i])
			ids[w++] = ids[i];
	return w;
}

const char *db_get(const struct db_result *r, int row, const char *col)
{
	if (!r || row < 0 || row >= r->nrows || !col)
		return NULL;
	int c = column_index(r, col);
	return c < 0 ? NULL : r->cells[(size_t)row * r->ncols + c];
}

long long db_get_int(const struct db_result *r, int row, const char *col,
		     long long fallback)
{
	const char *s = db_get(r, row, col);
	if (!s || !*s)
		return fallback;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return fallback;
	return v;
}

static json_t *cell_json(const char *s, enum db_type t)
{
	if (!s)
		return json_null();
	char *end;
	switch (t) {
	case DB_INT: {
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!errno && !*end && end != s)
			return json_integer(v);
		break;
	}
	case DB_REAL: {
		double v = strtod(s, &end);
		if (!*end && end != s && isfinite(v))
			return json_real(v);
		if (end != s && !*end)
			return json_null(); /* NaN, Infinity: JSON has none */
		break;
	}
	default: break;
	}
	/* Text that is not valid UTF-8 cannot be a JSON string. */
	json_t *j = json_string(s);
	return j ? j : json_null();
}

json_t *db_row_json(const struct db_result *r, int row)
{
	json_t *o = json_object();
	if (!o || !r || row < 0 || row >= r->nrows)
		return o;
	for (int c = 0; c < r->ncols; c++) {
		size_t i = (size_t)row * r->ncols + c;
		json_object_set_new(o, r->names[c] ? r->names[c] : "",
				    cell_json(r->cells[i], r->types[i]));
	}
	return o;
}

json_t *db_result_json(const struct db_result *r)
{
	json_t *arr = json_array();
	if (!arr || !r)
		return arr;
	for (int row = 0; row < r->nrows; row++)
		json_array_append_new(arr, db_row_json(r, row));
	return arr;
}

/* Migrations: embedded files migrations/<backend>/NNNN_name.sql. */

struct migration {
	int version;
	char name[MIGRATION_NAME_MAX];
	const char *sql;
};

static int migration_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

static enum err migrations_list(const char *backend, struct migration *list,
				int *n, struct error *e)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, "migrations/%s/", backend);
	size_t plen = strlen(prefix);
	*n = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, prefix, plen))
			continue;
		const char *base = f->path + plen;
		size_t len = strlen(base);
		if (len < 4 || strcmp(base + len - 4, ".sql") ||
		    strchr(base, '/'))
			continue;
		char *end;
		errno = 0;
		long v = strtol(base, &end, 10);
		if (end == base || *end != '_' || errno || v <= 0 ||
		    v > INT_MAX)
			return error_set(e, ERR_INTERNAL,
					 "%s: name must be NNNN_name.sql",
					 f->path);
		size_t nlen = len - 4 - (size_t)(end + 1 - base);
		if (nlen == 0 || nlen >= MIGRATION_NAME_MAX)
			return error_set(e, ERR_INTERNAL,
					 "%s: name empty or too long", f->path);
		if (*n >= MIGRATIONS_MAX)
			return error_set(e, ERR_INTERNAL,
					 "%s: more than %d migrations", prefix,
					 MIGRATIONS_MAX);
		struct migration *m = &list[(*n)++];
		m->version = (int)v;
		memcpy(m->name, end + 1, nlen);
		m->name[nlen] = '\0';
		m->sql = (const char *)f->data;
	}
	qsort(list, (size_t)*n, sizeof *list, migration_cmp);
	for (int i = 1; i < *n; i++)
		if (list[i].version == list[i - 1].version)
			return error_set(e, ERR_INTERNAL,
					 "%s: two migrations numbered %d",
					 prefix, list[i].version);
	return ERR_OK;
}

int db_schema_version_known(void)
{
	static const char *const backends[] = {"sqlite", "postgres"};
	struct migration *list = calloc(MIGRATIONS_MAX, sizeof *list);
	int known = 0, n;
	if (!list)
		return 0;
	for (size_t b = 0; b < 2; b++)
		if (!migrations_list(backends[b], list, &n, NULL) && n > 0 &&
		    list[n - 1].version > known)
			known = list[n - 1].version;
	free(list);
	return known;
}

int db_schema_version(struct db *db)
{
	struct arena a;
	struct db_result *r;
	int version = -1;
	arena_init(&a, 64 * 1024);
	const char *exists =
		db->kind == DB_SQLITE
			? "SELECT COUNT(*) AS n FROM sqlite_master"
			  " WHERE type = 'table' AND name = 'schema_migrations'"
			: "SELECT COUNT(*) AS n FROM pg_catalog.pg_class"
			  " WHERE oid = to_regclass('schema_migrations')";
	if (db_exec(db, &a, exists, NULL, 0, &r, NULL))
		goto done;
	if (db_get_int(r, 0, "n", 0) == 0) {
		version = 0;
		goto done;
	}
	if (db_exec(db, &a,
		    "SELECT COALESCE(MAX(version), 0) AS v FROM "
		    "schema_migrations",
		    NULL, 0, &r, NULL))
		goto done;
	version = (int)db_get_int(r, 0, "v", -1);
done:
	arena_release(&a);
	return version;
}

static void now_iso(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One pass: in one transaction, under a lock, find the first migration not
 * yet applied and apply it with its schema_migrations row. *done when
 * there was none. The lock (BEGIN IMMEDIATE on SQLite, an advisory lock on
 * PostgreSQL) makes concurrent starts wait instead of applying twice. */
static enum err migrate_step(struct db *db, const struct migration *list, int n,
			     int known, bool *done, struct error *e)
{
	struct arena a;
	struct db_result *r;
	enum err err;
	*done = false;
	arena_init(&a, 1024 * 1024);
	err = db_begin(db, e);
	if (err)
		goto out;
	if (db->kind == DB_POSTGRES) {
		err = db_exec(db, NULL,
			      "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY
			      ")",
			      NULL, 0, NULL, e);
		if (err)
			goto fail;
	}
	err = db_exec(db, NULL,
		      "CREATE TABLE IF NOT EXISTS schema_migrations ("
		      "version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
		      " applied_at TEXT NOT NULL)",
		      NULL, 0, NULL, e);
	if (err)
		goto fail;
	err = db_exec(db, &a,
		      "SELECT version FROM schema_migrations ORDER BY version",
		      NULL, 0, &r, e);
	if (err)
		goto fail;
	if (r->nrows > 0) {
		long long newest = db_get_int(r, r->nrows - 1, "version", 0);
		if (newest > known) {
			err = error_set(
				e, ERR_INVALID,
				"database schema version %lld is newer than"
				" this program (knows up to %d); upgrade "
				"quantri",
				newest, known);
			goto fail;
		}
	}
	const struct migration *next = NULL;
	for (int i = 0, row = 0; i < n && !next; i++) {
		while (row < r->nrows &&
		       db_get_int(r, row, "version", 0) < list[i].version)
			row++;
		if (row >= r->nrows ||
		    db_get_int(r, row, "version", 0) != list[i].version)
			next = &list[i];
	}
	if (!next) {
		*done = true;
		err = db_commit(db, e);
		goto out;
	}
	err = db_exec_script(db, next->sql, e);
	if (err) {
		char msg[sizeof e->msg];
		if (e) {
			snprintf(msg, sizeof msg, "%s", e->msg);
			error_set(e, err, "migration %04d_%s: %s",
				  next->version, next->name, msg);
		}
		goto fail;
	}
	char version[16], at[32];
	snprintf(version, sizeof version, "%d", next->version);
	now_iso(at);
	err = db_exec(
		db, NULL,
		"INSERT INTO schema_migrations (version, name, applied_at)"
		" VALUES ($1, $2, $3)",
		DB_PARAMS(version, next->name, at), NULL, e);
	if (err)
		goto fail;
	err = db_commit(db, e);
	goto out;
fail:
	db_rollback(db);
out:
	arena_release(&a);
	return err;
}

enum err db_migrate(struct db *db, struct error *e)
{
	const char *backend = db->kind == DB_SQLITE ? "sqlite" : "postgres";
	struct migration *list = calloc(MIGRATIONS_MAX, sizeof *list);
	int n;
	if (!list)
		return error_set(e, ERR_NOMEM, "migrations: out of memory");
	enum err err = migrations_list(backend, list, &n, e);
	int known = db_schema_version_known();
	bool done = false;
	/* At most one pass per migration, plus the one that finds none. */
	for (int pass = 0; !err && !done && pass <= n; pass++)
		err = migrate_step(db, list, n, known, &done, e);
	free(list);
	return err;
}
