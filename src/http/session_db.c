/* SQL of sessions and API tokens. A user comes with its roles in one
 * statement (LEFT JOIN user_roles: one row per role). */
#include "session_db.h"
#include <stdio.h>
#include <string.h>
#include "../base/banned.h"

#define USER_COLUMNS                                                           \
	"u.id, u.username, u.full_name, u.must_change_password, "              \
	"r.role, r.unit_id"

/* The user in rows of USER_COLUMNS; NULL if there are none. */
static struct user *user_from(struct arena *a, const struct db_result *r)
{
	if (r->nrows == 0)
		return NULL;
	struct user *u = arena_alloc(a, sizeof *u);
	if (!u)
		return NULL;
	u->id = db_get_int(r, 0, "id", 0);
	u->username = arena_strdup(a, db_get(r, 0, "username"));
	u->full_name = arena_strdup(a, db_get(r, 0, "full_name"));
	u->must_change_password =
		db_get_int(r, 0, "must_change_password", 0) != 0;
	for (int i = 0; i < r->nrows; i++) {
		unsigned role = role_from_key(db_get(r, i, "role"));
		if (role && !u->roles)
			u->home_unit_id = db_get_int(r, i, "unit_id", 0);
		u->roles |= role;
	}
	return u;
}

static char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

enum err sessdb_find(struct db *db, struct arena *a, const char *id,
		     struct user **user, const char **csrf,
		     const char **last_seen, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT s.csrf_token, s.last_seen_at, " USER_COLUMNS
			" FROM sessions s JOIN users u ON u.id = s.user_id"
			" LEFT JOIN user_roles r ON r.user_id = u.id"
			" WHERE s.id = $1 AND u.active = 1 ORDER BY r.id",
			DB_PARAMS(id), &r, e);
	if (err)
		return err;
	*user = user_from(a, r);
	if (!*user)
		return ERR_NOTFOUND;
	*csrf = db_get(r, 0, "csrf_token");
	*last_seen = db_get(r, 0, "last_seen_at");
	return ERR_OK;
}

enum err sessdb_touch(struct db *db, struct arena *a, const char *id,
		      const char *now, struct error *e)
{
	return db_exec(db, a,
		       "UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
		       DB_PARAMS(id, now), NULL, e);
}

enum err sessdb_insert(struct db *db, struct arena *a, const char *id,
		       long long user_id, const char *csrf, const char *now,
		       const char *addr, const char *agent, struct error *e)
{
	return db_exec(
		db, a,
		"INSERT INTO sessions (id, user_id, csrf_token, created_at,"
		" last_seen_at, remote_addr, user_agent) VALUES ($1, $2, $3, "
		"$4, $4, $5, $6)",
		DB_PARAMS(id, num(a, user_id), csrf, now, addr, agent), NULL,
		e);
}

enum err sessdb_delete(struct db *db, struct arena *a, const char *id,
		       struct error *e)
{
	return db_exec(db, a, "DELETE FROM sessions WHERE id = $1",
		       DB_PARAMS(id), NULL, e);
}

enum err sessdb_delete_user(struct db *db, struct arena *a, long long user_id,
			    struct error *e)
{
	return db_exec(db, a, "DELETE FROM sessions WHERE user_id = $1",
		       DB_PARAMS(num(a, user_id)), NULL, e);
}

enum err sessdb_delete_idle(struct db *db, struct arena *a, const char *cutoff,
			    struct error *e)
{
	return db_exec(db, a, "DELETE FROM sessions WHERE last_seen_at < $1",
		       DB_PARAMS(cutoff), NULL, e);
}

enum err sessdb_user(struct db *db, struct arena *a, long long user_id,
		     struct user **user, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT " USER_COLUMNS " FROM users u"
			" LEFT JOIN user_roles r ON r.user_id = u.id"
			" WHERE u.id = $1 AND u.active = 1 ORDER BY r.id",
			DB_PARAMS(num(a, user_id)), &r, e);
	if (err)
		return err;
	*user = user_from(a, r);
	return *user ? ERR_OK : ERR_NOTFOUND;
}

enum err sessdb_token(struct db *db, struct arena *a, const char *hash,
		      struct user **user, const char **last_used,
		      struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT t.last_used_at, " USER_COLUMNS
			" FROM api_tokens t JOIN users u ON u.id = t.user_id"
			" LEFT JOIN user_roles r ON r.user_id = u.id"
			" WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND "
			"u.active = 1"
			" ORDER BY r.id",
			DB_PARAMS(hash), &r, e);
	if (err)
		return err;
	*user = user_from(a, r);
	if (!*user)
		return ERR_NOTFOUND;
	*last_used = db_get(r, 0, "last_used_at");
	return ERR_OK;
}

enum err sessdb_token_touch(struct db *db, struct arena *a, const char *hash,
			    const char *now, struct error *e)
{
	return db_exec(
		db, a,
		"UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1",
		DB_PARAMS(hash, now), NULL, e);
}
