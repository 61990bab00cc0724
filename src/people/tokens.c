/* API tokens: a person makes one on the account page for another system;
 * it is shown once and kept only as its SHA-256, like a password. */
#include <sodium.h>
#include <string.h>
#include "people_db.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../http/http.h"
#include "../base/banned.h"

enum { TOKEN_BYTES = 32, TOKEN_NAME_MAX = 100, TOKENS_PER_USER = 50 };

enum err tokens_create(struct db *db, struct arena *a, const struct actor *who,
		       long long user_id, const char *name, const char **token,
		       json_t *errors, struct error *e)
{
	const char *n = name ? text_trim(a, name) : NULL;
	if (!n || !*n || strlen(n) > TOKEN_NAME_MAX ||
	    !text_valid_utf8(n, strlen(n))) {
		if (errors)
			json_object_set_new(
				errors, "name",
				json_string("Vui lòng đặt tên cho mã truy cập "
					    "(tối đa 100 ký tự)."));
		return error_set(e, ERR_INVALID,
				 "api token: name empty or too long");
	}
	if (sodium_init() < 0)
		return error_set(e, ERR_INTERNAL, "libsodium failed to start");
	struct db_result *existing;
	enum err err = pdb_tokens_list(db, a, user_id, &existing, e);
	if (err)
		return err;
	if (existing->nrows >= TOKENS_PER_USER) {
		if (errors)
			json_object_set_new(
				errors, "name",
				json_string("Đã có quá nhiều mã truy cập; hãy "
					    "thu hồi bớt."));
		return error_set(e, ERR_INVALID,
				 "user %lld: over %d api tokens", user_id,
				 TOKENS_PER_USER);
	}
	/* The http layer finds the token by the same hash (http_token_hash). */
	const char *raw = http_random_hex(a, TOKEN_BYTES);
	char *t = raw ? arena_printf(a, "qt_%s", raw) : NULL;
	const char *digest_hex = t ? http_token_hash(a, t) : NULL;
	if (!digest_hex)
		return error_set(e, ERR_NOMEM, "api token: out of memory");

	long long id;
	err = db_begin(db, e);
	if (err)
		return err;
	err = pdb_token_insert(db, a, user_id, n, digest_hex, clock_now_iso(a),
			       &id, e);
	if (!err) {
		json_t *after = json_pack("{s:I, s:s}", "token_id",
					  (json_int_t)id, "name", n);
		err = audit_actor(db, a, who, "token.create", "user", user_id,
				  NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err) {
		db_rollback(db);
		return err;
	}
	*token = t;
	return ERR_OK;
}

enum err tokens_revoke(struct db *db, struct arena *a, const struct actor *who,
		       long long user_id, long long token_id, struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	err = pdb_token_get(db, a, token_id, &r, e);
	if (!err && db_get_int(r, 0, "user_id", 0) != user_id)
		err = error_set(e, ERR_NOTFOUND,
				"user %lld has no api token %lld", user_id,
				token_id);
	if (!err && db_get(r, 0, "revoked_at"))
		err = error_set(e, ERR_CONFLICT,
				"api token %lld already revoked", token_id);
	if (!err)
		err = pdb_token_revoke(db, a, token_id, clock_now_iso(a), e);
	if (!err) {
		json_t *before = json_pack("{s:I, s:s, s:b}", "token_id",
					   (json_int_t)token_id, "name",
					   db_get(r, 0, "name"), "revoked", 0);
		json_t *after = json_pack("{s:I, s:s, s:b}", "token_id",
					  (json_int_t)token_id, "name",
					  db_get(r, 0, "name"), "revoked", 1);
		err = audit_actor(db, a, who, "token.revoke", "user", user_id,
				  before, after, e);
		json_decref(before);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

enum err tokens_list(struct db *db, struct arena *a, long long user_id,
		     json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = pdb_tokens_list(db, a, user_id, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "api tokens: out of memory");
}
