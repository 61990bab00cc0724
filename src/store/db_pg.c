/* The PostgreSQL backend: libpq, text parameters whose types the server
 * infers from the SQL, results typed from the column type OIDs. */
#include "db_impl.h"
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../base/banned.h"

/* Type OIDs from pg_type.h (server headers are not installed). */
enum {
	OID_BOOL = 16,
	OID_INT8 = 20,
	OID_INT2 = 21,
	OID_INT4 = 23,
	OID_OID = 26,
	OID_FLOAT4 = 700,
	OID_FLOAT8 = 701,
	OID_NUMERIC = 1700,
	PG_PARAMS_MAX = 65535, /* the protocol's limit */
	PREP_SIZE = 64,        /* prepared statements kept per connection */
	PREP_SQL_MAX = 8192,   /* longer SQL is planned each time */
	/* more parameters (a province's 100 communes in an IN list) is
	 * planned each time, with its values: the generic plan of such a
	 * statement guesses one task per plan and sorts the province's
	 * 21,000 where a hash is right (plan views' scorecard: 90 ms against
	 * 22 ms), and its planning (1 ms) is small beside its run */
	PREP_PARAMS_MAX = 32,
};

/* A statement prepared on this connection: planning costs more than
 * running most of our statements (1.1 ms against 0.3 ms for a plan view's
 * page), so a statement with parameters is prepared once and executed by
 * name afterwards, like the SQLite backend's statement cache. */
struct prepared {
	char *sql; /* malloc'd; NULL: free slot */
	char name[16];
	unsigned long long used;
};

struct pg_db {
	struct db base;
	PGconn *conn;
	struct prepared prep[PREP_SIZE];
	unsigned long long tick;
	unsigned next_name;
};

/* After a reconnection the server has forgotten them. */
static void prep_forget(struct pg_db *p)
{
	for (int i = 0; i < PREP_SIZE; i++) {
		free(p->prep[i].sql);
		p->prep[i].sql = NULL;
	}
}

/* Notices ("relation already exists, skipping") are not errors and must
 * not land on stderr between our log lines. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* libpq messages end with a newline and may span lines: keep the first. */
static void first_line(char *buf, size_t size, const char *msg)
{
	snprintf(buf, size, "%s", msg ? msg : "");
	buf[strcspn(buf, "\n")] = '\0';
}

enum err db_pg_open(struct db **out, const char *url, struct error *e)
{
	char msg[256];
	struct pg_db *p = calloc(1, sizeof *p);
	if (!p)
		return error_set(e, ERR_NOMEM, "postgres: out of memory");
	p->base.kind = DB_POSTGRES;
	p->conn = PQconnectdb(url);
	if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
		/* The message names host and port, never the password. */
		first_line(msg, sizeof msg,
			   p->conn ? PQerrorMessage(p->conn) : "out of memory");
		error_set(e, ERR_DB, "postgres: %s", msg);
		PQfinish(p->conn);
		free(p);
		return ERR_DB;
	}
	PQsetNoticeProcessor(p->conn, quiet, NULL);
	PGresult *res = NULL;
	if (PQsetClientEncoding(p->conn, "UTF8") ||
	    PQresultStatus(
		    res = PQexec(p->conn,
				 "SET TIME ZONE 'UTC';"
				 " SET client_min_messages TO warning")) !=
		    PGRES_COMMAND_OK) {
		first_line(msg, sizeof msg, PQerrorMessage(p->conn));
		error_set(e, ERR_DB, "postgres: session setup: %s", msg);
		PQclear(res);
		PQfinish(p->conn);
		free(p);
		return ERR_DB;
	}
	PQclear(res);
	*out = &p->base;
	return ERR_OK;
}

void db_pg_close(struct db *db)
{
	struct pg_db *p = (struct pg_db *)db;
	prep_forget(p);
	PQfinish(p->conn);
	free(p);
}

static enum err pg_fail(struct pg_db *p, PGresult *res, const char *sql,
			struct error *e)
{
	char msg[384];
	const char *state =
		res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	first_line(msg, sizeof msg,
		   res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn));
	enum err err;
	if (state && !strcmp(state, "23505"))
		err = error_set(e, ERR_CONFLICT, "postgres: %s", msg);
	else if (sql)
		err = error_set(e, ERR_DB, "postgres: %s (in: %.100s)", msg,
				sql);
	else
		err = error_set(e, ERR_DB, "postgres: %s", msg);
	/* A lost connection (server restart) is re-established for the next
	 * statement; inside a transaction the caller must see it fail. */
	if (PQstatus(p->conn) == CONNECTION_BAD) {
		p->base.depth = 0;
		prep_forget(p);
		PQreset(p->conn);
		if (PQstatus(p->conn) == CONNECTION_OK) {
			PQsetClientEncoding(p->conn, "UTF8");
			PQclear(PQexec(p->conn,
				       "SET TIME ZONE 'UTC';"
				       " SET client_min_messages TO warning"));
		}
	}
	return err;
}

static enum db_type column_type(Oid oid)
{
	switch (oid) {
	case OID_BOOL:
	case OID_INT8:
	case OID_INT2:
	case OID_INT4:
	case OID_OID: return DB_INT;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC: return DB_REAL;
	default: return DB_TEXT;
	}
}

static enum err make_result(PGresult *res, struct arena *a,
			    struct db_result **out, struct error *e)
{
	int nrows = PQntuples(res), ncols = PQnfields(res);
	struct db_result *r = db_result_new(a, nrows, ncols);
	if (!r)
		goto nomem;
	for (int c = 0; c < ncols; c++)
		if (!(r->names[c] = arena_strdup(a, PQfname(res, c))))
			goto nomem;
	for (int c = 0; c < ncols; c++) {
		Oid oid = PQftype(res, c);
		enum db_type type = column_type(oid);
		for (int row = 0; row < nrows; row++) {
			size_t i = (size_t)row * ncols + c;
			if (PQgetisnull(res, row, c)) {
				r->types[i] = DB_NULL;
				continue;
			}
			const char *v = PQgetvalue(res, row, c);
			r->types[i] = type;
			if (oid == OID_BOOL)
				r->cells[i] = arena_strdup(
					a, v[0] == 't' ? "1" : "0");
			else
				r->cells[i] = arena_strndup(
					a, v, (size_t)PQgetlength(res, row, c));
			if (!r->cells[i])
				goto nomem;
		}
	}
	/* PQcmdTuples also counts the rows a SELECT returned: only rows
	 * changed count here, as sqlite3_changes counts them. */
	const char *cmd = PQcmdStatus(res), *tuples = PQcmdTuples(res);
	if (cmd &&
	    (!strncmp(cmd, "INSERT ", 7) || !strncmp(cmd, "UPDATE ", 7) ||
	     !strncmp(cmd, "DELETE ", 7) || !strncmp(cmd, "MERGE ", 6)))
		r->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
	*out = r;
	return ERR_OK;
nomem:
	return error_set(e, ERR_NOMEM, "result over the memory limit");
}

/* The name sql is prepared under, preparing it in the least recently used
 * slot when it is new; NULL when it cannot be (too long, or the server
 * refused: then PQexecParams runs it and reports the error). */
static const char *prepared_name(struct pg_db *p, const char *sql, int nparams)
{
	size_t len = strlen(sql);
	if (len > PREP_SQL_MAX || nparams > PREP_PARAMS_MAX)
		return NULL;
	struct prepared *slot = &p->prep[0];
	for (int i = 0; i < PREP_SIZE; i++) {
		struct prepared *q = &p->prep[i];
		if (q->sql && !strcmp(q->sql, sql)) {
			q->used = ++p->tick;
			return q->name;
		}
		if (!q->sql || (slot->sql && q->used < slot->used))
			slot = q;
	}
	if (slot->sql) { /* evict */
		char dealloc[40];
		snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", slot->name);
		PQclear(PQexec(p->conn, dealloc));
		free(slot->sql);
		slot->sql = NULL;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, sql, len + 1);
	snprintf(slot->name, sizeof slot->name, "qt%u", p->next_name++);
	PGresult *res = PQprepare(p->conn, slot->name, sql, nparams, NULL);
	bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok) {
		free(copy);
		return NULL;
	}
	slot->sql = copy;
	slot->used = ++p->tick;
	return slot->name;
}

enum err db_pg_exec(struct db *db, struct arena *a, const char *sql,
		    const char *const *params, int nparams,
		    struct db_result **out, struct error *e)
{
	struct pg_db *p = (struct pg_db *)db;
	if (nparams > PG_PARAMS_MAX)
		return error_set(e, ERR_INTERNAL, "%d parameters, at most %d",
				 nparams, PG_PARAMS_MAX);
	/* paramTypes NULL: every parameter is text whose type the server
	 * infers from where it stands, as on SQLite. */
	const char *name = nparams > 0 ? prepared_name(p, sql, nparams) : NULL;
	PGresult *res = name ? PQexecPrepared(p->conn, name, nparams, params,
					      NULL, NULL, 0)
			     : PQexecParams(p->conn, sql, nparams, NULL, params,
					    NULL, NULL, 0);
	ExecStatusType status = PQresultStatus(res);
	enum err err;
	if (!res || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
		     status != PGRES_EMPTY_QUERY))
		err = pg_fail(p, res, sql, e);
	else
		err = out ? make_result(res, a, out, e) : ERR_OK;
	PQclear(res);
	return err;
}

enum err db_pg_exec_script(struct db *db, const char *sql, struct error *e)
{
	struct pg_db *p = (struct pg_db *)db;
	PGresult *res = PQexec(p->conn, sql);
	ExecStatusType status = PQresultStatus(res);
	enum err err = ERR_OK;
	if (!res || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
		     status != PGRES_EMPTY_QUERY))
		err = pg_fail(p, res, NULL, e);
	PQclear(res);
	return err;
}
