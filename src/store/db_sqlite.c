/* The SQLite backend: one file, WAL, synchronous=FULL so that what a user
 * was told is saved survives kill -9 and power loss, foreign keys on, and
 * a busy timeout so writers from several threads and processes queue. */
#include "db_impl.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../base/banned.h"

enum {
	CACHE_SIZE = 32,      /* prepared statements kept per connection */
	CACHE_SQL_MAX = 8192, /* longer SQL is prepared each time */
	RESULT_CELLS_MAX = 1 << 24, /* rows * columns in one result */
	BUSY_TIMEOUT_MS = 10000,
	PATHBUF = PATH_MAX + 64,
};

struct cached_stmt {
	char *sql;
	sqlite3_stmt *stmt;
	unsigned long long used;
};

struct sqlite_db {
	struct db base;
	sqlite3 *conn;
	struct cached_stmt cache[CACHE_SIZE];
	unsigned long long clock;
};

static enum err sqlite_fail(sqlite3 *conn, const char *errmsg, const char *sql,
			    struct error *e)
{
	int ext = sqlite3_extended_errcode(conn);
	if (!errmsg)
		errmsg = sqlite3_errmsg(conn);
	if (ext == SQLITE_CONSTRAINT_UNIQUE ||
	    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return error_set(e, ERR_CONFLICT, "sqlite: %s", errmsg);
	if (sql)
		return error_set(e, ERR_DB, "sqlite: %s (in: %.100s)", errmsg,
				 sql);
	return error_set(e, ERR_DB, "sqlite: %s", errmsg);
}

/* A fresh install's default path is var/quantri.db: create var/ (one level
 * only) rather than fail on the first run. */
static void make_parent_dir(const char *path)
{
	char dir[PATHBUF];
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path || (size_t)(slash - path) >= sizeof dir)
		return;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	struct stat st;
	if (stat(dir, &st) && errno == ENOENT)
		mkdir(dir, 0750);
}

/* SQLite counts its memory under one process-wide lock by default: every
 * allocation of every connection took it, and two server threads spent a
 * quarter of their time waiting on each other. The counts are not read. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum err db_sqlite_open(struct db **out, const char *path, struct error *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	struct sqlite_db *s = calloc(1, sizeof *s);
	if (!s)
		return error_set(e, ERR_NOMEM, "database %s: out of memory",
				 path);
	s->base.kind = DB_SQLITE;
	make_parent_dir(path);
	int rc = sqlite3_open_v2(path, &s->conn,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		error_set(e, ERR_DB, "database %s: %s", path,
			  s->conn ? sqlite3_errmsg(s->conn)
				  : sqlite3_errstr(rc));
		sqlite3_close(s->conn);
		free(s);
		return ERR_DB;
	}
	sqlite3_extended_result_codes(s->conn, 1);
	sqlite3_busy_timeout(s->conn, BUSY_TIMEOUT_MS);
	char *msg = NULL;
	rc = sqlite3_exec(s->conn,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			  " PRAGMA foreign_keys=ON",
			  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		error_set(e, ERR_DB, "database %s: %s", path,
			  msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(s->conn);
		free(s);
		return ERR_DB;
	}
	*out = &s->base;
	return ERR_OK;
}

void db_sqlite_close(struct db *db)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	for (int i = 0; i < CACHE_SIZE; i++) {
		sqlite3_finalize(s->cache[i].stmt);
		free(s->cache[i].sql);
	}
	sqlite3_close(s->conn);
	free(s);
}

/* Prepares sql, from the cache when it was seen before. *stmt is NULL for
 * SQL that is only whitespace or comments. */
static enum err prepare(struct sqlite_db *s, const char *sql,
			sqlite3_stmt **stmt, bool *cached, struct error *e)
{
	*stmt = NULL;
	*cached = false;
	for (int i = 0; i < CACHE_SIZE; i++) {
		if (s->cache[i].sql && !strcmp(s->cache[i].sql, sql)) {
			s->cache[i].used = ++s->clock;
			*stmt = s->cache[i].stmt;
			*cached = true;
			return ERR_OK;
		}
	}
	size_t len = strlen(sql);
	bool keep = len <= CACHE_SQL_MAX;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(s->conn, sql, -1,
				    keep ? SQLITE_PREPARE_PERSISTENT : 0, stmt,
				    &tail);
	if (rc != SQLITE_OK)
		return sqlite_fail(s->conn, NULL, sql, e);
	if (!*stmt)
		return ERR_OK;
	/* One statement per call, as PostgreSQL's extended protocol demands:
	 * a second one would silently not run here. */
	sqlite3_stmt *extra = NULL;
	rc = sqlite3_prepare_v2(s->conn, tail, -1, &extra, NULL);
	if (rc != SQLITE_OK || extra) {
		sqlite3_finalize(extra);
		sqlite3_finalize(*stmt);
		*stmt = NULL;
		return error_set(e, ERR_INTERNAL,
				 "db_exec runs one statement (use "
				 "db_exec_script): %.100s",
				 sql);
	}
	if (!keep)
		return ERR_OK;
	int slot = 0;
	for (int i = 0; i < CACHE_SIZE; i++) {
		if (!s->cache[i].sql) {
			slot = i;
			break;
		}
		if (s->cache[i].used < s->cache[slot].used)
			slot = i;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return ERR_OK; /* run it uncached */
	memcpy(copy, sql, len + 1);
	sqlite3_finalize(s->cache[slot].stmt);
	free(s->cache[slot].sql);
	s->cache[slot].sql = copy;
	s->cache[slot].stmt = *stmt;
	s->cache[slot].used = ++s->clock;
	*cached = true;
	return ERR_OK;
}

/* "$N" parameters are named parameters to SQLite, numbered by first
 * appearance, so "$2 ... $1" must be bound by name, not by position. */
static enum err bind(sqlite3_stmt *stmt, const char *sql,
		     const char *const *params, int nparams, struct error *e)
{
	int count = sqlite3_bind_parameter_count(stmt);
	if (count != nparams)
		return error_set(e, ERR_INTERNAL,
				 "sql has %d parameters, %d given: %.100s",
				 count, nparams, sql);
	for (int i = 1; i <= nparams; i++) {
		char name[16];
		snprintf(name, sizeof name, "$%d", i);
		int idx = sqlite3_bind_parameter_index(stmt, name);
		if (!idx)
			return error_set(
				e, ERR_INTERNAL,
				"sql has no %s (parameters are $1..$N): %.100s",
				name, sql);
		int rc = params[i - 1]
				 ? sqlite3_bind_text(stmt, idx, params[i - 1],
						     -1, SQLITE_STATIC)
				 : sqlite3_bind_null(stmt, idx);
		if (rc != SQLITE_OK)
			return sqlite_fail(sqlite3_db_handle(stmt), NULL, sql,
					   e);
	}
	return ERR_OK;
}

struct cells {
	const char **text;
	unsigned char *types;
	size_t n, cap;
};

static bool cells_grow(struct cells *c, size_t more)
{
	if (c->n + more <= c->cap)
		return true;
	size_t cap = c->cap ? c->cap * 2 : 64;
	while (cap < c->n + more)
		cap *= 2;
	if (cap > RESULT_CELLS_MAX)
		return false;
	const char **text = realloc(c->text, cap * sizeof *text);
	if (!text)
		return false;
	c->text = text;
	unsigned char *types = realloc(c->types, cap);
	if (!types)
		return false;
	c->types = types;
	c->cap = cap;
	return true;
}

static enum err read_row(sqlite3_stmt *stmt, int ncols, struct arena *a,
			 struct cells *c, struct error *e)
{
	if (!cells_grow(c, (size_t)ncols))
		return error_set(e, ERR_NOMEM, "result over %d cells: %.100s",
				 RESULT_CELLS_MAX, sqlite3_sql(stmt));
	for (int col = 0; col < ncols; col++) {
		int t = sqlite3_column_type(stmt, col);
		const char *text = NULL;
		unsigned char type = DB_NULL;
		if (t != SQLITE_NULL) {
			const unsigned char *v = sqlite3_column_text(stmt, col);
			int len = sqlite3_column_bytes(stmt, col);
			text = arena_strndup(a, v ? (const char *)v : "",
					     v ? (size_t)len : 0);
			if (!text)
				return error_set(
					e, ERR_NOMEM,
					"result over the memory limit: %.100s",
					sqlite3_sql(stmt));
			type = t == SQLITE_INTEGER ? DB_INT
			       : t == SQLITE_FLOAT ? DB_REAL
						   : DB_TEXT;
		}
		c->text[c->n] = text;
		c->types[c->n] = type;
		c->n++;
	}
	return ERR_OK;
}

static enum err make_result(sqlite3_stmt *stmt, int ncols, struct arena *a,
			    struct cells *c, struct db_result **out,
			    struct error *e)
{
	int nrows = ncols ? (int)(c->n / (size_t)ncols) : 0;
	struct db_result *r = db_result_new(a, nrows, ncols);
	if (!r)
		return error_set(e, ERR_NOMEM, "result over the memory limit");
	for (int col = 0; col < ncols; col++) {
		r->names[col] = arena_strdup(a, sqlite3_column_name(stmt, col));
		if (!r->names[col])
			return error_set(e, ERR_NOMEM,
					 "result over the memory limit");
	}
	if (c->n) {
		memcpy(r->cells, c->text, c->n * sizeof *c->text);
		memcpy(r->types, c->types, c->n);
	}
	*out = r;
	return ERR_OK;
}

enum err db_sqlite_exec(struct db *db, struct arena *a, const char *sql,
			const char *const *params, int nparams,
			struct db_result **out, struct error *e)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	sqlite3_stmt *stmt;
	bool cached;
	enum err err = prepare(s, sql, &stmt, &cached, e);
	if (err)
		return err;
	if (!stmt) {
		if (out)
			*out = db_result_new(a, 0, 0);
		return out && !*out ? error_set(e, ERR_NOMEM, "out of memory")
				    : ERR_OK;
	}
	struct cells c = {0};
	int ncols = sqlite3_column_count(stmt);
	sqlite3_int64 before = sqlite3_total_changes64(s->conn);
	err = bind(stmt, sql, params, nparams, e);
	while (!err) {
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			err = sqlite_fail(s->conn, NULL, sql, e);
			break;
		}
		if (out && ncols)
			err = read_row(stmt, ncols, a, &c, e);
	}
	if (!err && out) {
		err = make_result(stmt, ncols, a, &c, out, e);
		if (!err)
			(*out)->changes =
				sqlite3_total_changes64(s->conn) == before
					? 0
					: sqlite3_changes64(s->conn);
	}
	free(c.text);
	free(c.types);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (!cached)
		sqlite3_finalize(stmt);
	/* Some errors (disk full, I/O) roll the transaction back by themselves. */
	if (err && db->depth > 0 && sqlite3_get_autocommit(s->conn))
		db->depth = 0;
	return err;
}

enum err db_sqlite_exec_script(struct db *db, const char *sql, struct error *e)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	char *msg = NULL;
	if (sqlite3_exec(s->conn, sql, NULL, NULL, &msg) == SQLITE_OK)
		return ERR_OK;
	enum err err = sqlite_fail(s->conn, msg, NULL, e);
	sqlite3_free(msg);
	if (db->depth > 0 && sqlite3_get_autocommit(s->conn))
		db->depth = 0;
	return err;
}

/* Files */

static bool path_with(char *buf, size_t size, const char *path,
		      const char *suffix)
{
	int n = snprintf(buf, size, "%s%s", path, suffix);
	return n > 0 && (size_t)n < size;
}

static void unlink_with(const char *path, const char *suffix)
{
	char p[PATHBUF];
	if (path_with(p, sizeof p, path, suffix))
		unlink(p);
}

/* Removes a temporary database and what SQLite may have left beside it. */
static void remove_db_files(const char *path)
{
	unlink(path);
	unlink_with(path, "-journal");
	unlink_with(path, "-wal");
	unlink_with(path, "-shm");
}

/* rename() is durable only once the directory itself is synced. */
static void sync_dir_of(const char *path)
{
	char dir[PATHBUF];
	const char *slash = strrchr(path, '/');
	size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
	if (n >= sizeof dir)
		return;
	if (n == 0) {
		snprintf(dir, sizeof dir, ".");
	} else {
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static enum err sync_file(const char *path, struct error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd)) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		return error_set(e, ERR_IO, "%s: %s", path, strerror(saved));
	}
	close(fd);
	return ERR_OK;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* A temporary file beside target, so that rename() can replace it. */
static enum err temp_beside(char *buf, size_t size, const char *target,
			    const char *tag, struct error *e)
{
	char suffix[32];
	snprintf(suffix, sizeof suffix, ".%s-XXXXXX", tag);
	if (!path_with(buf, size, target, suffix))
		return error_set(e, ERR_INVALID, "%s: path too long", target);
	int fd = mkstemp(buf);
	if (fd < 0)
		return error_set(e, ERR_IO, "cannot create %s: %s", buf,
				 strerror(errno));
	close(fd);
	return ERR_OK;
}

enum err db_sqlite_backup(struct db *db, const char *dest, struct error *e)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	const char *src = sqlite3_db_filename(s->conn, "main");
	char tmp[PATHBUF];
	if (src && *src && same_file(src, dest))
		return error_set(e, ERR_INVALID,
				 "backup %s: that is the database itself",
				 dest);
	enum err err = temp_beside(tmp, sizeof tmp, dest, "tmp", e);
	if (err)
		return err;
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA synchronous=FULL", NULL, NULL,
				  NULL);
	if (rc != SQLITE_OK) {
		err = error_set(e, ERR_IO, "backup %s: %s", tmp,
				dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto fail;
	}
	/* One step of all pages holds one read transaction on the source: a
	 * consistent snapshot, while WAL lets writers go on meanwhile. */
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->conn, "main");
	if (!b) {
		err = error_set(e, ERR_DB, "backup %s: %s", dest,
				sqlite3_errmsg(dst));
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		err = error_set(e, ERR_DB, "backup %s: %s", dest,
				sqlite3_errmsg(dst));
		goto fail;
	}
	rc = sqlite3_close(dst);
	dst = NULL;
	if (rc != SQLITE_OK) {
		err = error_set(e, ERR_IO, "backup %s: %s", dest,
				sqlite3_errstr(rc));
		goto fail;
	}
	err = sync_file(tmp, e);
	if (err)
		goto fail;
	if (rename(tmp, dest)) {
		err = error_set(e, ERR_IO, "backup %s: %s", dest,
				strerror(errno));
		goto fail;
	}
	sync_dir_of(dest);
	return ERR_OK;
fail:
	sqlite3_close(dst);
	remove_db_files(tmp);
	return err;
}

/* Restore */

static enum err query_text(sqlite3 *conn, const char *sql, char *buf,
			   size_t size, struct error *e)
{
	sqlite3_stmt *stmt = NULL;
	buf[0] = '\0';
	int rc = sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(stmt, 0);
		snprintf(buf, size, "%s", v ? (const char *)v : "");
	} else if (rc != SQLITE_DONE) {
		enum err err = sqlite_fail(conn, NULL, NULL, e);
		sqlite3_finalize(stmt);
		return err;
	}
	sqlite3_finalize(stmt);
	return ERR_OK;
}

/* What restore checks before a file may become the database. */
static enum err check_backup(const char *tmp, const char *backup,
			     struct error *e)
{
	sqlite3 *conn = NULL;
	char v[256];
	enum err err;
	int rc = sqlite3_open_v2(tmp, &conn, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		err = error_set(e, ERR_INVALID, "backup %s: %s", backup,
				conn ? sqlite3_errmsg(conn)
				     : sqlite3_errstr(rc));
		goto out;
	}
	if (query_text(conn, "PRAGMA integrity_check", v, sizeof v, e)) {
		err = error_set(e, ERR_INVALID,
				"backup %s is not a SQLite database (%s)",
				backup, sqlite3_errmsg(conn));
		goto out;
	}
	if (strcmp(v, "ok")) {
		err = error_set(e, ERR_INVALID,
				"backup %s fails its integrity check: %s",
				backup, v);
		goto out;
	}
	err = query_text(conn,
			 "SELECT COUNT(*) FROM sqlite_master"
			 " WHERE type = 'table' AND name = 'schema_migrations'",
			 v, sizeof v, e);
	if (err)
		goto out;
	if (strcmp(v, "1")) {
		err = error_set(e, ERR_INVALID,
				"backup %s is not a quantri database"
				" (no schema_migrations table)",
				backup);
		goto out;
	}
	err = query_text(
		conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
		v, sizeof v, e);
	if (err)
		goto out;
	long version = strtol(v, NULL, 10);
	int known = db_schema_version_known();
	if (version < 1) {
		err = error_set(e, ERR_INVALID,
				"backup %s has no schema version", backup);
		goto out;
	}
	if (version > known) {
		err = error_set(
			e, ERR_INVALID,
			"backup %s has schema version %ld, newer than this"
			" program (knows up to %d); upgrade quantri",
			backup, version, known);
		goto out;
	}
	/* One self-contained file, whatever journal mode the backup had. */
	err = query_text(conn, "PRAGMA journal_mode=DELETE", v, sizeof v, e);
out:
	if (sqlite3_close(conn) != SQLITE_OK && !err)
		err = error_set(e, ERR_IO, "backup %s: cannot close the copy",
				backup);
	return err;
}

/* Every connection to a WAL database holds a read lock on byte 128 of its
 * -shm file (SQLite's "DMS" lock) for as long as it is open. Must run
 * before this process opens the file itself: closing our descriptor drops
 * this process's POSIX locks on it. */
static bool shm_in_use(const char *path)
{
	char shm[PATHBUF];
	if (!path_with(shm, sizeof shm, path, "-shm"))
		return false;
	int fd = open(shm, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct flock fl = {.l_type = F_WRLCK,
			   .l_whence = SEEK_SET,
			   .l_start = 128,
			   .l_len = 1};
	bool used = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	close(fd);
	return used;
}

/* Refuses a database someone has open; else folds its WAL into it, so the
 * copy kept as .before-restore is whole and no stale -wal can be replayed
 * onto the restored file. */
static enum err quiesce_target(const char *path, struct error *e)
{
	if (shm_in_use(path))
		goto busy;
	sqlite3 *conn = NULL;
	int rc = sqlite3_open_v2(path, &conn, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(conn, "PRAGMA journal_mode=DELETE", NULL,
				  NULL, NULL);
	sqlite3_close(conn);
	/* A database that is damaged cannot be switched; nobody holds it
	 * (checked above), so its -wal and -shm are only in the way. */
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		goto busy;
	unlink_with(path, "-wal");
	unlink_with(path, "-shm");
	return ERR_OK;
busy:
	return error_set(e, ERR_CONFLICT,
			 "database %s is in use; stop quantri serve first",
			 path);
}

static enum err copy_file(const char *from, const char *to, struct error *e)
{
	enum err err = ERR_OK;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return error_set(e, ERR_IO, "%s: %s", from, strerror(errno));
	int out = open(to, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (out < 0) {
		err = error_set(e, ERR_IO, "%s: %s", to, strerror(errno));
		close(in);
		return err;
	}
	char buf[65536];
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = error_set(e, ERR_IO, "%s: %s", from,
					strerror(errno));
			break;
		}
		if (n == 0)
			break;
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				err = error_set(e, ERR_IO, "%s: %s", to,
						strerror(errno));
				break;
			}
			done += w;
		}
		if (err)
			break;
	}
	if (!err && fsync(out))
		err = error_set(e, ERR_IO, "%s: %s", to, strerror(errno));
	close(in);
	if (close(out) && !err)
		err = error_set(e, ERR_IO, "%s: %s", to, strerror(errno));
	return err;
}

enum err db_sqlite_restore(const char *path, const char *backup,
			   struct error *e)
{
	struct stat st;
	char tmp[PATHBUF], kept[PATHBUF], wal[PATHBUF];
	if (stat(backup, &st))
		return error_set(e, ERR_INVALID, "backup %s: %s", backup,
				 strerror(errno));
	if (!S_ISREG(st.st_mode))
		return error_set(e, ERR_INVALID, "backup %s: not a file",
				 backup);
	if (same_file(path, backup))
		return error_set(e, ERR_INVALID,
				 "backup %s: that is the database itself",
				 backup);
	/* Committed data may still sit in a -wal beside a copied live file. */
	if (path_with(wal, sizeof wal, backup, "-wal") && !stat(wal, &st))
		return error_set(
			e, ERR_INVALID,
			"backup %s has a -wal file beside it; make backups"
			" with `quantri backup`",
			backup);
	if (!path_with(kept, sizeof kept, path, ".before-restore"))
		return error_set(e, ERR_INVALID, "%s: path too long", path);
	enum err err = temp_beside(tmp, sizeof tmp, path, "restore", e);
	if (err)
		return err;
	err = copy_file(backup, tmp, e);
	if (!err)
		err = check_backup(tmp, backup, e);
	if (!err)
		err = sync_file(tmp, e);
	if (err)
		goto fail;
	if (!stat(path, &st)) {
		err = quiesce_target(path, e);
		if (err)
			goto fail;
		/* Keep the replaced database: a restore from the wrong file
		 * must not lose everything. */
		if (unlink(kept) && errno != ENOENT) {
			err = error_set(e, ERR_IO, "%s: %s", kept,
					strerror(errno));
			goto fail;
		}
		if (link(path, kept)) {
			err = error_set(e, ERR_IO, "cannot keep %s as %s: %s",
					path, kept, strerror(errno));
			goto fail;
		}
	}
	if (rename(tmp, path)) {
		err = error_set(e, ERR_IO, "restore %s: %s", path,
				strerror(errno));
		goto fail;
	}
	sync_dir_of(path);
	return ERR_OK;
fail:
	remove_db_files(tmp);
	return err;
}
