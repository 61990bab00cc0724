/* The SQL of people/. Portable between SQLite 3.40 and PostgreSQL 15: $N
 * placeholders, text parameters, RETURNING id, CAST, LIKE on *_fold columns
 * (already lower case, so LIKE's case rules do not matter). */
#include <string.h>
#include "people_db.h"
#include "../base/banned.h"

#define UNIT_COLS                                                              \
	"u.id, u.code, u.kind, u.type_vi, u.name, u.full_name, u.parent_id, "  \
	"u.valid_from, u.valid_to, u.successor_id, u.population, u.note "

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

/* 0 means none for every id column. */
static const char *id_or_null(struct arena *a, long long v)
{
	return v > 0 ? num(a, v) : NULL;
}

static enum err one_row(struct db *db, struct arena *a, const char *sql,
			const char *const *p, int np, struct db_result **r,
			const char *what, struct error *e)
{
	enum err err = db_exec(db, a, sql, p, np, r, e);
	if (err)
		return err;
	if ((*r)->nrows == 0)
		return error_set(e, ERR_NOTFOUND, "%s not found", what);
	return ERR_OK;
}

static enum err returning_id(struct db *db, struct arena *a, const char *sql,
			     const char *const *p, int np, long long *id,
			     struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a, sql, p, np, &r, e);
	if (err)
		return err;
	if (r->nrows != 1)
		return error_set(e, ERR_DB, "insert returned no id");
	*id = db_get_int(r, 0, "id", 0);
	return ERR_OK;
}

/* ---- units ---- */

void pdb_unit_from_row(const struct db_result *r, int row, struct unit *u)
{
	u->id = db_get_int(r, row, "id", 0);
	u->code = db_get(r, row, "code");
	u->kind = db_get(r, row, "kind");
	u->type_vi = db_get(r, row, "type_vi");
	u->name = db_get(r, row, "name");
	u->full_name = db_get(r, row, "full_name");
	u->parent_id = db_get_int(r, row, "parent_id", 0);
	u->valid_from = db_get(r, row, "valid_from");
	u->valid_to = db_get(r, row, "valid_to");
	u->successor_id = db_get_int(r, row, "successor_id", 0);
	u->population = db_get_int(r, row, "population", -1);
	u->note = db_get(r, row, "note");
	if (!u->note)
		u->note = "";
}

enum err pdb_unit_get(struct db *db, struct arena *a, long long id,
		      struct unit *out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a, "SELECT " UNIT_COLS "FROM units u WHERE u.id = $1",
		DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (r->nrows == 0)
		return error_set(e, ERR_NOTFOUND, "unit %lld not found", id);
	pdb_unit_from_row(r, 0, out);
	return ERR_OK;
}

enum err pdb_unit_by_code(struct db *db, struct arena *a, const char *code,
			  const char *kind, const char *valid_from,
			  struct unit *out, struct error *e)
{
	struct db_result *r;
	/* Empty text stands for "any kind" and for "no start date": text
	 * parameters cannot be tested with IS NULL on PostgreSQL. */
	enum err err = db_exec(
		db, a,
		"SELECT " UNIT_COLS "FROM units u WHERE u.code = $1 "
		"AND ($2 = '' OR u.kind = $2) AND COALESCE(u.valid_from, '') = "
		"$3 "
		"ORDER BY u.id LIMIT 1",
		DB_PARAMS(code, kind ? kind : "", valid_from ? valid_from : ""),
		&r, e);
	if (err)
		return err;
	if (r->nrows == 0)
		return error_set(e, ERR_NOTFOUND, "unit code %s%s%s not found",
				 code, valid_from ? " from " : "",
				 valid_from ? valid_from : "");
	pdb_unit_from_row(r, 0, out);
	return ERR_OK;
}

enum err pdb_unit_latest_by_code(struct db *db, struct arena *a,
				 const char *code, struct unit *out,
				 struct error *e)
{
	struct db_result *r;
	/* In force first, then the one that started last. */
	enum err err = db_exec(
		db, a,
		"SELECT " UNIT_COLS "FROM units u WHERE u.code = $1 "
		"ORDER BY CASE WHEN u.valid_to IS NULL THEN 0 ELSE 1 END, "
		"COALESCE(u.valid_from, '') DESC, u.id DESC LIMIT 1",
		DB_PARAMS(code), &r, e);
	if (err)
		return err;
	if (r->nrows == 0)
		return error_set(e, ERR_NOTFOUND, "no unit with code %s", code);
	pdb_unit_from_row(r, 0, out);
	return ERR_OK;
}

enum err pdb_unit_code_taken(struct db *db, struct arena *a, const char *code,
			     const char *valid_from, long long except_id,
			     bool *taken, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT id FROM units WHERE code = $1 "
			       "AND COALESCE(valid_from, '') = $2 AND id <> $3",
			       DB_PARAMS(code, valid_from ? valid_from : "",
					 num(a, except_id)),
			       &r, e);
	if (err)
		return err;
	*taken = r->nrows > 0;
	return ERR_OK;
}

enum err pdb_unit_insert(struct db *db, struct arena *a, const struct unit *u,
			 const char *name_fold, const char *sort_key,
			 const char *now, long long *id, struct error *e)
{
	return returning_id(
		db, a,
		"INSERT INTO units (code, kind, type_vi, name, full_name, "
		"name_fold, sort_key, parent_id, valid_from, valid_to, "
		"successor_id, population, note, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		"$13, "
		"$14, $14) RETURNING id",
		DB_PARAMS(u->code, u->kind, u->type_vi, u->name, u->full_name,
			  name_fold, sort_key, id_or_null(a, u->parent_id),
			  u->valid_from, u->valid_to,
			  id_or_null(a, u->successor_id),
			  u->population >= 0 ? num(a, u->population) : NULL,
			  u->note ? u->note : "", now),
		id, e);
}

enum err pdb_unit_update(struct db *db, struct arena *a, const struct unit *u,
			 const char *name_fold, const char *sort_key,
			 const char *now, struct error *e)
{
	return db_exec(
		db, a,
		"UPDATE units SET code = $2, type_vi = $3, name = $4, "
		"full_name = $5, name_fold = $6, sort_key = $7, parent_id = "
		"$8, "
		"valid_from = $9, valid_to = $10, population = $11, note = "
		"$12, "
		"updated_at = $13 WHERE id = $1",
		DB_PARAMS(num(a, u->id), u->code, u->type_vi, u->name,
			  u->full_name, name_fold, sort_key,
			  id_or_null(a, u->parent_id), u->valid_from,
			  u->valid_to,
			  u->population >= 0 ? num(a, u->population) : NULL,
			  u->note ? u->note : "", now),
		NULL, e);
}

enum err pdb_unit_end(struct db *db, struct arena *a, long long id,
		      const char *valid_to, long long successor_id,
		      const char *now, struct error *e)
{
	return db_exec(db, a,
		       "UPDATE units SET valid_to = $2, successor_id = $3, "
		       "updated_at = $4 WHERE id = $1",
		       DB_PARAMS(num(a, id), valid_to,
				 id_or_null(a, successor_id), now),
		       NULL, e);
}

enum err pdb_unit_set_parent(struct db *db, struct arena *a, long long id,
			     long long parent_id, const char *now,
			     struct error *e)
{
	return db_exec(db, a,
		       "UPDATE units SET parent_id = $2, updated_at = $3 WHERE "
		       "id = $1",
		       DB_PARAMS(num(a, id), id_or_null(a, parent_id), now),
		       NULL, e);
}

enum err pdb_unit_children(struct db *db, struct arena *a, long long parent,
			   const char *kind, struct db_result **r,
			   struct error *e)
{
	return db_exec(db, a,
		       "SELECT " UNIT_COLS
		       "FROM units u WHERE u.parent_id = $1 "
		       "AND u.kind = $2 AND u.valid_to IS NULL ORDER BY "
		       "u.sort_key, u.id",
		       DB_PARAMS(num(a, parent), kind), r, e);
}

enum err pdb_unit_event(struct db *db, struct arena *a, long long unit_id,
			const char *event, long long into_unit_id,
			const char *effective_date, const char *note,
			long long user_id, const char *now, struct error *e)
{
	return db_exec(db, a,
		       "INSERT INTO unit_events (unit_id, event, into_unit_id, "
		       "effective_date, note, user_id, at) "
		       "VALUES ($1, $2, $3, $4, $5, $6, $7)",
		       DB_PARAMS(num(a, unit_id), event,
				 id_or_null(a, into_unit_id), effective_date,
				 note ? note : "", id_or_null(a, user_id), now),
		       NULL, e);
}

enum err pdb_units_all(struct db *db, struct arena *a, struct db_result **r,
		       struct error *e)
{
	return db_exec(
		db, a,
		"SELECT " UNIT_COLS ", s.name AS successor_name, "
		"s.full_name AS successor_full_name, s.type_vi AS "
		"successor_type "
		"FROM units u LEFT JOIN units s ON s.id = u.successor_id "
		"ORDER BY u.sort_key, u.id",
		NULL, 0, r, e);
}

enum err pdb_unit_events(struct db *db, struct arena *a, long long id,
			 struct db_result **r, struct error *e)
{
	return db_exec(
		db, a,
		"SELECT ev.id, ev.event, ev.into_unit_id, ev.effective_date, "
		"ev.note, ev.at, i.full_name AS into_full_name, "
		"us.full_name AS user_full_name "
		"FROM unit_events ev LEFT JOIN units i ON i.id = "
		"ev.into_unit_id "
		"LEFT JOIN users us ON us.id = ev.user_id "
		"WHERE ev.unit_id = $1 ORDER BY ev.effective_date, ev.id",
		DB_PARAMS(num(a, id)), r, e);
}

enum err pdb_unit_predecessors(struct db *db, struct arena *a, long long id,
			       struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT " UNIT_COLS
		       "FROM units u WHERE u.successor_id = $1 "
		       "ORDER BY u.sort_key, u.id",
		       DB_PARAMS(num(a, id)), r, e);
}

enum err pdb_units_search(struct db *db, struct arena *a, const char *like,
			  int limit, struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT " UNIT_COLS ", p.full_name AS parent_full_name, "
		       "s.full_name AS successor_full_name "
		       "FROM units u LEFT JOIN units p ON p.id = u.parent_id "
		       "LEFT JOIN units s ON s.id = u.successor_id "
		       "WHERE u.name_fold LIKE $1 ESCAPE '\\' "
		       "ORDER BY u.sort_key, u.id LIMIT $2",
		       DB_PARAMS(like, num(a, limit)), r, e);
}

/* ---- users ---- */

#define USER_COLS                                                              \
	"u.id, u.username, u.full_name, u.email, u.phone, u.password_hash, "   \
	"u.active, u.must_change_password, u.created_at, u.updated_at, "       \
	"u.last_login_at "

enum err pdb_user_get(struct db *db, struct arena *a, long long id,
		      struct db_result **r, struct error *e)
{
	enum err err = one_row(
		db, a, "SELECT " USER_COLS "FROM users u WHERE u.id = $1",
		DB_PARAMS(num(a, id)), r, "user", e);
	if (err == ERR_NOTFOUND)
		return error_set(e, err, "user %lld not found", id);
	return err;
}

enum err pdb_user_by_username(struct db *db, struct arena *a,
			      const char *username, struct db_result **r,
			      struct error *e)
{
	enum err err = one_row(
		db, a, "SELECT " USER_COLS "FROM users u WHERE u.username = $1",
		DB_PARAMS(username), r, "user", e);
	if (err == ERR_NOTFOUND)
		return error_set(e, err, "user %s not found", username);
	return err;
}

enum err pdb_user_insert(struct db *db, struct arena *a, const char *username,
			 const char *full_name, const char *name_fold,
			 const char *sort_key, const char *email,
			 const char *phone, const char *hash, bool must_change,
			 const char *now, long long *id, struct error *e)
{
	return returning_id(
		db, a,
		"INSERT INTO users (username, full_name, name_fold, sort_key, "
		"email, phone, password_hash, active, must_change_password, "
		"created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9) RETURNING "
		"id",
		DB_PARAMS(username, full_name, name_fold, sort_key, email,
			  phone, hash, must_change ? "1" : "0", now),
		id, e);
}

enum err pdb_user_update(struct db *db, struct arena *a, long long id,
			 const char *full_name, const char *name_fold,
			 const char *sort_key, const char *email,
			 const char *phone, const char *now, struct error *e)
{
	return db_exec(db, a,
		       "UPDATE users SET full_name = $2, name_fold = $3, "
		       "sort_key = $4, "
		       "email = $5, phone = $6, updated_at = $7 WHERE id = $1",
		       DB_PARAMS(num(a, id), full_name, name_fold, sort_key,
				 email, phone, now),
		       NULL, e);
}

enum err pdb_user_set_active(struct db *db, struct arena *a, long long id,
			     bool active, const char *now, struct error *e)
{
	return db_exec(
		db, a,
		"UPDATE users SET active = $2, updated_at = $3 WHERE id = $1",
		DB_PARAMS(num(a, id), active ? "1" : "0", now), NULL, e);
}

enum err pdb_user_set_password(struct db *db, struct arena *a, long long id,
			       const char *hash, bool must_change,
			       const char *now, struct error *e)
{
	return db_exec(
		db, a,
		"UPDATE users SET password_hash = $2, must_change_password = "
		"$3, "
		"updated_at = $4 WHERE id = $1",
		DB_PARAMS(num(a, id), hash, must_change ? "1" : "0", now), NULL,
		e);
}

enum err pdb_user_touch_login(struct db *db, struct arena *a, long long id,
			      const char *now, struct error *e)
{
	return db_exec(db, a,
		       "UPDATE users SET last_login_at = $2 WHERE id = $1",
		       DB_PARAMS(num(a, id), now), NULL, e);
}

enum err pdb_user_roles(struct db *db, struct arena *a, long long user_id,
			struct db_result **r, struct error *e)
{
	return db_exec(
		db, a,
		"SELECT r.id, r.role, r.unit_id, un.full_name AS unit_name, "
		"un.kind AS unit_kind FROM user_roles r "
		"JOIN units un ON un.id = r.unit_id WHERE r.user_id = $1 "
		"ORDER BY r.id",
		DB_PARAMS(num(a, user_id)), r, e);
}

enum err pdb_role_get(struct db *db, struct arena *a, long long role_id,
		      struct db_result **r, struct error *e)
{
	return one_row(db, a,
		       "SELECT r.id, r.user_id, r.role, r.unit_id, "
		       "un.full_name AS unit_name FROM user_roles r "
		       "JOIN units un ON un.id = r.unit_id WHERE r.id = $1",
		       DB_PARAMS(num(a, role_id)), r, "role", e);
}

enum err pdb_role_find(struct db *db, struct arena *a, long long user_id,
		       const char *role, long long unit_id, bool *found,
		       struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT id FROM user_roles WHERE user_id = $1 AND role = $2 "
		"AND unit_id = $3",
		DB_PARAMS(num(a, user_id), role, num(a, unit_id)), &r, e);
	if (err)
		return err;
	*found = r->nrows > 0;
	return ERR_OK;
}

enum err pdb_role_insert(struct db *db, struct arena *a, long long user_id,
			 const char *role, long long unit_id, long long *id,
			 struct error *e)
{
	return returning_id(db, a,
			    "INSERT INTO user_roles (user_id, role, unit_id) "
			    "VALUES ($1, $2, $3) RETURNING id",
			    DB_PARAMS(num(a, user_id), role, num(a, unit_id)),
			    id, e);
}

enum err pdb_role_delete(struct db *db, struct arena *a, long long role_id,
			 struct error *e)
{
	return db_exec(db, a, "DELETE FROM user_roles WHERE id = $1",
		       DB_PARAMS(num(a, role_id)), NULL, e);
}

enum err pdb_users_list(struct db *db, struct arena *a, const char *role,
			long long unit_id, int active, const char *like,
			struct db_result **r, struct error *e)
{
	/* The filters present decide the SQL; every value is a parameter. */
	const char *p[4];
	int n = 0;
	char *sql = arena_strdup(
		a, "SELECT u.id, u.username, u.full_name, u.email, u.phone, "
		   "u.active, u.must_change_password, u.last_login_at "
		   "FROM users u WHERE 1 = 1");
	if (role && *role) {
		p[n++] = role;
		sql = arena_printf(a,
				   "%s AND EXISTS (SELECT 1 FROM user_roles r "
				   "WHERE r.user_id = u.id AND r.role = $%d)",
				   sql, n);
	}
	if (unit_id > 0) {
		p[n++] = num(a, unit_id);
		sql = arena_printf(
			a,
			"%s AND EXISTS (SELECT 1 FROM user_roles r "
			"WHERE r.user_id = u.id AND r.unit_id = $%d)",
			sql, n);
	}
	if (active == 0 || active == 1)
		sql = arena_printf(a, "%s AND u.active = %d", sql, active);
	if (like && *like) {
		p[n++] = like;
		sql = arena_printf(a,
				   "%s AND (u.name_fold LIKE $%d ESCAPE '\\' "
				   "OR u.username LIKE $%d ESCAPE '\\')",
				   sql, n, n);
	}
	sql = arena_printf(a, "%s ORDER BY u.sort_key, u.id LIMIT 1000", sql);
	if (!sql)
		return error_set(e, ERR_NOMEM, "users list: out of memory");
	return db_exec(db, a, sql, p, n, r, e);
}

/* ---- api tokens ---- */

enum err pdb_token_insert(struct db *db, struct arena *a, long long user_id,
			  const char *name, const char *token_hash,
			  const char *now, long long *id, struct error *e)
{
	return returning_id(db, a,
			    "INSERT INTO api_tokens (user_id, name, "
			    "token_hash, created_at) "
			    "VALUES ($1, $2, $3, $4) RETURNING id",
			    DB_PARAMS(num(a, user_id), name, token_hash, now),
			    id, e);
}

enum err pdb_token_get(struct db *db, struct arena *a, long long id,
		       struct db_result **r, struct error *e)
{
	return one_row(db, a,
		       "SELECT id, user_id, name, created_at, last_used_at, "
		       "revoked_at "
		       "FROM api_tokens WHERE id = $1",
		       DB_PARAMS(num(a, id)), r, "api token", e);
}

enum err pdb_token_revoke(struct db *db, struct arena *a, long long id,
			  const char *now, struct error *e)
{
	return db_exec(db, a,
		       "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 "
		       "AND revoked_at IS NULL",
		       DB_PARAMS(num(a, id), now), NULL, e);
}

enum err pdb_tokens_list(struct db *db, struct arena *a, long long user_id,
			 struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT id, name, created_at, last_used_at, revoked_at "
		       "FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
		       DB_PARAMS(num(a, user_id)), r, e);
}

/* ---- login attempts ---- */

static enum err count(struct db *db, struct arena *a, const char *sql,
		      const char *const *p, int np, long long *n,
		      struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a, sql, p, np, &r, e);
	if (err)
		return err;
	*n = r->nrows ? db_get_int(r, 0, "n", 0) : 0;
	return ERR_OK;
}

enum err pdb_login_failures_user(struct db *db, struct arena *a,
				 const char *username, const char *since,
				 long long *n, struct error *e)
{
	/* A successful login starts the count again (by id: several attempts
	 * may share a second). */
	return count(
		db, a,
		"SELECT COUNT(*) AS n FROM login_attempts WHERE username = $1 "
		"AND ok = 0 AND at >= $2 AND id > COALESCE((SELECT MAX(id) "
		"FROM login_attempts WHERE username = $1 AND ok = 1), 0)",
		DB_PARAMS(username, since), n, e);
}

enum err pdb_login_failures_addr(struct db *db, struct arena *a,
				 const char *addr, const char *since,
				 long long *n, struct error *e)
{
	return count(db, a,
		     "SELECT COUNT(*) AS n FROM login_attempts WHERE "
		     "remote_addr = $1 "
		     "AND ok = 0 AND at >= $2",
		     DB_PARAMS(addr, since), n, e);
}

enum err pdb_login_record(struct db *db, struct arena *a, const char *username,
			  const char *addr, bool ok, const char *now,
			  struct error *e)
{
	return db_exec(
		db, a,
		"INSERT INTO login_attempts (username, remote_addr, at, ok) "
		"VALUES ($1, $2, $3, $4)",
		DB_PARAMS(username, addr, now, ok ? "1" : "0"), NULL, e);
}

/* ---- audit ---- */

enum err pdb_audit_insert(struct db *db, struct arena *a, const char *at,
			  long long user_id, const char *username,
			  const char *action, const char *entity,
			  const char *entity_id, const char *before,
			  const char *after, const char *remote_addr,
			  struct error *e)
{
	return db_exec(
		db, a,
		"INSERT INTO audit_log (at, user_id, username, action, entity, "
		"entity_id, before_json, after_json, remote_addr) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		DB_PARAMS(at, id_or_null(a, user_id), username, action, entity,
			  entity_id, before, after, remote_addr),
		NULL, e);
}

enum err pdb_audit_list(struct db *db, struct arena *a, const char *username,
			const char *entity, const char *action_prefix,
			const char *from, const char *to, int limit, int offset,
			struct db_result **r, long long *total, struct error *e)
{
	const char *p[8];
	int n = 0;
	char *where = arena_strdup(a, " WHERE 1 = 1");
	if (username && *username) {
		p[n++] = username;
		where = arena_printf(a, "%s AND username = $%d", where, n);
	}
	if (entity && *entity) {
		p[n++] = entity;
		where = arena_printf(a, "%s AND entity = $%d", where, n);
	}
	if (action_prefix && *action_prefix) {
		/* "user" matches "user" and "user.create", not "username". */
		p[n++] = action_prefix;
		p[n++] = arena_printf(a, "%s.%%", action_prefix);
		where = arena_printf(a,
				     "%s AND (action = $%d OR action LIKE $%d)",
				     where, n - 1, n);
	}
	if (from && *from) {
		p[n++] = from;
		where = arena_printf(a, "%s AND at >= $%d", where, n);
	}
	if (to && *to) {
		p[n++] = to;
		where = arena_printf(a, "%s AND at < $%d", where, n);
	}
	char *sql_count =
		arena_printf(a, "SELECT COUNT(*) AS n FROM audit_log%s", where);
	char *sql = arena_printf(
		a,
		"SELECT id, at, user_id, username, action, entity, entity_id, "
		"before_json, after_json, remote_addr FROM audit_log%s "
		"ORDER BY at DESC, id DESC LIMIT %d OFFSET %d",
		where, limit, offset);
	if (!sql || !sql_count)
		return error_set(e, ERR_NOMEM, "audit list: out of memory");
	enum err err = count(db, a, sql_count, p, n, total, e);
	if (err)
		return err;
	return db_exec(db, a, sql, p, n, r, e);
}

/* ---- calendar ---- */

enum err pdb_calendar_all(struct db *db, struct arena *a, struct db_result **r,
			  struct error *e)
{
	return db_exec(db, a,
		       "SELECT day, kind FROM calendar_days ORDER BY day", NULL,
		       0, r, e);
}

enum err pdb_calendar_range(struct db *db, struct arena *a, const char *from,
			    const char *to, struct db_result **r,
			    struct error *e)
{
	return db_exec(
		db, a,
		"SELECT day, kind, name, source, updated_at FROM calendar_days "
		"WHERE day >= $1 AND day <= $2 ORDER BY day",
		DB_PARAMS(from, to), r, e);
}

enum err pdb_calendar_get(struct db *db, struct arena *a, const char *day,
			  struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT day, kind, name, source FROM calendar_days "
		       "WHERE day = $1",
		       DB_PARAMS(day), r, e);
}

enum err pdb_calendar_put(struct db *db, struct arena *a, const char *day,
			  const char *kind, const char *name,
			  const char *source, const char *now, struct error *e)
{
	return db_exec(
		db, a,
		"INSERT INTO calendar_days (day, kind, name, source, "
		"updated_at) "
		"VALUES ($1, $2, $3, $4, $5) ON CONFLICT (day) DO UPDATE SET "
		"kind = excluded.kind, name = excluded.name, "
		"source = excluded.source, updated_at = excluded.updated_at",
		DB_PARAMS(day, kind, name, source, now), NULL, e);
}

enum err pdb_calendar_delete(struct db *db, struct arena *a, const char *day,
			     struct error *e)
{
	return db_exec(db, a, "DELETE FROM calendar_days WHERE day = $1",
		       DB_PARAMS(day), NULL, e);
}

/* ---- settings ---- */

enum err pdb_setting_get(struct db *db, struct arena *a, const char *key,
			 const char **value, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a, "SELECT value FROM settings WHERE key = $1",
			DB_PARAMS(key), &r, e);
	if (err)
		return err;
	*value = r->nrows ? db_get(r, 0, "value") : NULL;
	return ERR_OK;
}

enum err pdb_setting_put(struct db *db, struct arena *a, const char *key,
			 const char *value, struct error *e)
{
	return db_exec(db, a,
		       "INSERT INTO settings (key, value) VALUES ($1, $2) "
		       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		       DB_PARAMS(key, value), NULL, e);
}
