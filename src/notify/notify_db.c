/* The SQL of notify/. Portable between SQLite 3.40 and PostgreSQL 15: $N
 * text parameters, CAST where PostgreSQL must know a parameter's type,
 * ON CONFLICT DO NOTHING for the one digest per user and day. */
#include "notify_db.h"
#include <string.h>
#include "../base/banned.h"

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static const char *id_or_null(struct arena *a, long long v)
{
	return v > 0 ? num(a, v) : NULL;
}

static enum err exec_changes(struct db *db, struct arena *a, const char *sql,
			     const char *const *p, int np, long long *changed,
			     struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a, sql, p, np, &r, e);
	if (!err && changed)
		*changed = r->changes;
	return err;
}

/* ---- notifications ---- */

enum err ndb_insert(struct db *db, struct arena *a, long long user_id,
		    const char *kind, const char *title, const char *body,
		    const char *link, const char *now, long long *added,
		    struct error *e)
{
	return exec_changes(
		db, a,
		"INSERT INTO notifications (user_id, kind, title, body, link, "
		"created_at) SELECT u.id, CAST($2 AS TEXT), CAST($3 AS TEXT), "
		"CAST($4 AS TEXT), CAST($5 AS TEXT), CAST($6 AS TEXT) "
		"FROM users u WHERE u.id = $1",
		DB_PARAMS(num(a, user_id), kind, title, body, link, now), added,
		e);
}

enum err ndb_insert_unit(struct db *db, struct arena *a, long long unit_id,
			 const char *role_keys, const char *kind,
			 const char *title, const char *body, const char *link,
			 const char *now, long long *added, struct error *e)
{
	/* role_keys ",office,chair,": one parameter for any set of roles */
	return exec_changes(
		db, a,
		"INSERT INTO notifications (user_id, kind, title, body, link, "
		"created_at) SELECT u.id, CAST($3 AS TEXT), CAST($4 AS TEXT), "
		"CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS TEXT) "
		"FROM users u WHERE u.active = 1 AND u.id IN ("
		"SELECT r.user_id FROM user_roles r WHERE r.unit_id = $1 "
		"AND ($2 = '' OR $2 LIKE '%,' || r.role || ',%')) "
		"ORDER BY u.id",
		DB_PARAMS(num(a, unit_id), role_keys ? role_keys : "", kind,
			  title, body, link, now),
		added, e);
}

enum err ndb_list(struct db *db, struct arena *a, long long user_id,
		  bool unread_only, int limit, struct db_result **r,
		  struct error *e)
{
	return db_exec(db, a,
		       unread_only ? "SELECT id, kind, title, body, link, "
				     "created_at, read_at FROM notifications "
				     "WHERE user_id = $1 AND read_at IS NULL "
				     "ORDER BY created_at DESC, id DESC "
				     "LIMIT CAST($2 AS INTEGER)"
				   : "SELECT id, kind, title, body, link, "
				     "created_at, read_at FROM notifications "
				     "WHERE user_id = $1 "
				     "ORDER BY created_at DESC, id DESC "
				     "LIMIT CAST($2 AS INTEGER)",
		       DB_PARAMS(num(a, user_id), num(a, limit)), r, e);
}

enum err ndb_get(struct db *db, struct arena *a, long long user_id,
		 long long id, struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT id, kind, title, body, link, created_at, "
		       "read_at FROM notifications WHERE id = $1 AND "
		       "user_id = $2",
		       DB_PARAMS(num(a, id), num(a, user_id)), r, e);
}

long long ndb_unread_count(struct db *db, struct arena *a, long long user_id)
{
	struct db_result *r;
	if (db_exec(db, a,
		    "SELECT COUNT(*) AS n FROM notifications WHERE user_id = "
		    "$1 AND read_at IS NULL",
		    DB_PARAMS(num(a, user_id)), &r, NULL) ||
	    r->nrows != 1)
		return -1;
	return db_get_int(r, 0, "n", -1);
}

enum err ndb_mark_read(struct db *db, struct arena *a, long long user_id,
		       long long id, const char *now, long long *changed,
		       struct error *e)
{
	if (id > 0)
		return exec_changes(
			db, a,
			"UPDATE notifications SET read_at = $3 WHERE id = $1 "
			"AND user_id = $2 AND read_at IS NULL",
			DB_PARAMS(num(a, id), num(a, user_id), now), changed,
			e);
	return exec_changes(db, a,
			    "UPDATE notifications SET read_at = $2 WHERE "
			    "user_id = $1 AND read_at IS NULL",
			    DB_PARAMS(num(a, user_id), now), changed, e);
}

/* ---- the digest ---- */

#define DIGEST_PENDING                                                         \
	"n.read_at IS NULL AND n.mailed_at IS NULL AND n.created_at < $2 "

enum err ndb_digest_users(struct db *db, struct arena *a, const char *day,
			  const char *before, struct db_result **r,
			  struct error *e)
{
	return db_exec(
		db, a,
		"SELECT u.id, u.full_name, u.email FROM users u "
		"WHERE u.active = 1 AND u.email <> '' "
		"AND EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = "
		"u.id AND " DIGEST_PENDING ") "
		"AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.user_id "
		"= u.id AND m.digest_date = $1) ORDER BY u.id",
		DB_PARAMS(day, before), r, e);
}

enum err ndb_digest_items(struct db *db, struct arena *a, long long user_id,
			  const char *before, int limit, struct db_result **r,
			  long long *total, long long *max_id, struct error *e)
{
	struct db_result *c;
	const char *uid = num(a, user_id);
	/* counted first: what arrives meanwhile waits for the next digest */
	enum err err = db_exec(db, a,
			       "SELECT COUNT(*) AS n, MAX(n.id) AS max_id "
			       "FROM notifications n WHERE n.user_id = $1 "
			       "AND " DIGEST_PENDING,
			       DB_PARAMS(uid, before), &c, e);
	if (err)
		return err;
	*total = c->nrows ? db_get_int(c, 0, "n", 0) : 0;
	*max_id = c->nrows ? db_get_int(c, 0, "max_id", 0) : 0;
	return db_exec(
		db, a,
		"SELECT n.id, n.title, n.body, n.link, n.created_at "
		"FROM notifications n WHERE n.user_id = $1 AND " DIGEST_PENDING
		"AND n.id <= $3 "
		"ORDER BY n.created_at, n.id LIMIT CAST($4 AS INTEGER)",
		DB_PARAMS(uid, before, num(a, *max_id), num(a, limit)), r, e);
}

enum err ndb_digest_mark(struct db *db, struct arena *a, long long user_id,
			 const char *before, long long max_id, const char *now,
			 struct error *e)
{
	return db_exec(db, a,
		       "UPDATE notifications SET mailed_at = $4 WHERE "
		       "user_id = $1 AND read_at IS NULL AND mailed_at IS "
		       "NULL AND created_at < $2 AND id <= $3",
		       DB_PARAMS(num(a, user_id), before, num(a, max_id), now),
		       NULL, e);
}

/* ---- the outbox ---- */

enum err ndb_outbox_add(struct db *db, struct arena *a, long long user_id,
			const char *to, const char *subject, const char *body,
			const char *day, const char *now, long long *id,
			struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"INSERT INTO mail_outbox (user_id, to_addr, subject, body, "
		"digest_date, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
		"ON CONFLICT DO NOTHING RETURNING id",
		DB_PARAMS(id_or_null(a, user_id), to, subject, body, day, now),
		&r, e);
	if (err)
		return err;
	*id = r->nrows ? db_get_int(r, 0, "id", 0) : 0;
	return ERR_OK;
}

enum err ndb_outbox_due(struct db *db, struct arena *a, const char *now,
			int max_attempts, int limit, struct db_result **r,
			struct error *e)
{
	return db_exec(
		db, a,
		"SELECT m.id, m.user_id, m.to_addr, m.subject, m.body, "
		"m.attempts, COALESCE(u.full_name, '') AS full_name "
		"FROM mail_outbox m LEFT JOIN users u ON u.id = m.user_id "
		"WHERE m.sent_at IS NULL AND m.attempts < CAST($2 AS INTEGER) "
		"AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= $1) "
		"ORDER BY m.id LIMIT CAST($3 AS INTEGER)",
		DB_PARAMS(now, num(a, max_attempts), num(a, limit)), r, e);
}

enum err ndb_outbox_claim(struct db *db, struct arena *a, long long id,
			  const char *now, const char *until, int max_attempts,
			  bool *claimed, struct error *e)
{
	long long n = 0;
	enum err err = exec_changes(
		db, a,
		"UPDATE mail_outbox SET next_attempt_at = $3 WHERE id = $1 "
		"AND sent_at IS NULL AND attempts < CAST($4 AS INTEGER) "
		"AND (next_attempt_at IS NULL OR next_attempt_at <= $2)",
		DB_PARAMS(num(a, id), now, until, num(a, max_attempts)), &n, e);
	*claimed = !err && n == 1;
	return err;
}

enum err ndb_outbox_sent(struct db *db, struct arena *a, long long id,
			 const char *now, struct error *e)
{
	return db_exec(db, a,
		       "UPDATE mail_outbox SET sent_at = $2, attempts = "
		       "attempts + 1, last_error = '', next_attempt_at = NULL "
		       "WHERE id = $1",
		       DB_PARAMS(num(a, id), now), NULL, e);
}

enum err ndb_outbox_failed(struct db *db, struct arena *a, long long id,
			   const char *error, const char *next, struct error *e)
{
	return db_exec(db, a,
		       "UPDATE mail_outbox SET attempts = attempts + 1, "
		       "last_error = $2, next_attempt_at = $3 WHERE id = $1",
		       DB_PARAMS(num(a, id), error, next), NULL, e);
}

enum err ndb_outbox_give_up(struct db *db, struct arena *a, long long id,
			    const char *error, int max_attempts,
			    struct error *e)
{
	return db_exec(db, a,
		       "UPDATE mail_outbox SET attempts = CAST($3 AS INTEGER), "
		       "last_error = $2, next_attempt_at = NULL WHERE id = $1",
		       DB_PARAMS(num(a, id), error, num(a, max_attempts)), NULL,
		       e);
}

enum err ndb_outbox_unsent(struct db *db, struct arena *a, int limit,
			   struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT id, user_id, to_addr, subject, digest_date, "
		       "created_at, attempts, last_error, next_attempt_at "
		       "FROM mail_outbox WHERE sent_at IS NULL ORDER BY id "
		       "LIMIT CAST($1 AS INTEGER)",
		       DB_PARAMS(num(a, limit)), r, e);
}

enum err ndb_outbox_retry(struct db *db, struct arena *a, long long id,
			  long long *changed, struct error *e)
{
	return exec_changes(db, a,
			    "UPDATE mail_outbox SET attempts = 0, "
			    "next_attempt_at = NULL WHERE id = $1 AND sent_at "
			    "IS NULL",
			    DB_PARAMS(num(a, id)), changed, e);
}
