/* Users: accounts, their passwords and their roles, each role scoped to a
 * unit (officer of Địa chính, village head of Thôn 1). Password hashes never
 * leave this file's JSON or the audit log. */
#include <ctype.h>
#include <string.h>
#include "people_db.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../http/http.h"
#include "../base/banned.h"

enum {
	USERNAME_MIN = 3,
	USERNAME_MAX = 32,
	FULL_NAME_MAX = 100,
	CONTACT_MAX = 100
};

static void field_error(json_t *errors, const char *field, const char *msg_vi)
{
	if (errors && !json_object_get(errors, field))
		json_object_set_new(errors, field, json_string(msg_vi));
}

static json_t *user_json(const struct db_result *r, int i)
{
	const char *last = db_get(r, i, "last_login_at");
	return json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:o}", "id",
		(json_int_t)db_get_int(r, i, "id", 0), "username",
		db_get(r, i, "username"), "full_name",
		db_get(r, i, "full_name"), "email",
		db_get(r, i, "email") ? db_get(r, i, "email") : "", "phone",
		db_get(r, i, "phone") ? db_get(r, i, "phone") : "", "active",
		db_get_int(r, i, "active", 0) != 0, "must_change_password",
		db_get_int(r, i, "must_change_password", 0) != 0,
		"last_login_at", last ? json_string(last) : json_null());
}

static json_t *roles_json(const struct db_result *r)
{
	json_t *out = json_array();
	for (int i = 0; i < r->nrows; i++) {
		const char *key = db_get(r, i, "role");
		json_array_append_new(
			out,
			json_pack("{s:I, s:s, s:s, s:I, s:s}", "id",
				  (json_int_t)db_get_int(r, i, "id", 0), "role",
				  key, "label",
				  role_label_vi((enum role)role_from_key(key)),
				  "unit_id",
				  (json_int_t)db_get_int(r, i, "unit_id", 0),
				  "unit_name",
				  db_get(r, i, "unit_name")
					  ? db_get(r, i, "unit_name")
					  : ""));
	}
	return out;
}

enum err users_get(struct db *db, struct arena *a, long long id, json_t **out,
		   struct error *e)
{
	struct db_result *r, *roles;
	enum err err = pdb_user_get(db, a, id, &r, e);
	if (!err)
		err = pdb_user_roles(db, a, id, &roles, e);
	if (err)
		return err;
	json_t *u = user_json(r, 0);
	if (!u)
		return error_set(e, ERR_NOMEM, "user %lld: out of memory", id);
	json_object_set_new(u, "roles", roles_json(roles));
	*out = u;
	return ERR_OK;
}

enum err users_by_username(struct db *db, struct arena *a, const char *username,
			   long long *id, struct error *e)
{
	struct db_result *r;
	enum err err = pdb_user_by_username(db, a, username, &r, e);
	if (err)
		return err;
	*id = db_get_int(r, 0, "id", 0);
	return ERR_OK;
}

/* '%' and '_' in what a person typed are matched as themselves. */
static const char *like_pattern(struct arena *a, const char *folded)
{
	size_t n = strlen(folded);
	char *p = arena_alloc(a, 2 * n + 3);
	if (!p)
		return NULL;
	char *w = p;
	*w++ = '%';
	for (const char *s = folded; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*w++ = '\\';
		*w++ = *s;
	}
	*w++ = '%';
	*w = 0;
	return p;
}

const char *people_like_pattern(struct arena *a, const char *query)
{
	const char *f = query ? text_fold(a, query) : NULL;
	return f && *f ? like_pattern(a, f) : NULL;
}

enum err users_list(struct db *db, struct arena *a, const struct user_filter *f,
		    json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = pdb_users_list(db, a, f->role, f->unit_id, f->active,
				      people_like_pattern(a, f->q), &r, e);
	if (err)
		return err;
	json_t *list = json_array();
	for (int i = 0; i < r->nrows; i++) {
		long long id = db_get_int(r, i, "id", 0);
		struct db_result *roles;
		json_t *u = user_json(r, i);
		err = pdb_user_roles(db, a, id, &roles, e);
		if (err || !u) {
			json_decref(u);
			json_decref(list);
			return err ? err
				   : error_set(e, ERR_NOMEM,
					       "users list: out of memory");
		}
		json_object_set_new(u, "roles", roles_json(roles));
		json_array_append_new(list, u);
	}
	*out = list;
	return ERR_OK;
}

static const char *clean(struct arena *a, const char *s)
{
	return s ? text_trim(a, s) : "";
}

static bool username_ok(const char *u)
{
	size_t n = strlen(u);
	if (n < USERNAME_MIN || n > USERNAME_MAX ||
	    !(u[0] >= 'a' && u[0] <= 'z'))
		return false;
	for (; *u; u++)
		if (!((*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9') ||
		      *u == '.' || *u == '_' || *u == '-'))
			return false;
	return true;
}

/* Checks the fields shared by create and edit; the first problem in English
 * goes to first. Returns the number of problems. */
static int check_profile(struct arena *a, const struct user_input *in,
			 const char **full, const char **email,
			 const char **phone, json_t *errors, char *first,
			 size_t nfirst)
{
	int bad = 0;
	*full = clean(a, in->full_name);
	*email = clean(a, in->email);
	*phone = clean(a, in->phone);
	if (!*full || !**full) {
		field_error(errors, "full_name", "Vui lòng nhập họ và tên.");
		if (!bad++)
			snprintf(first, nfirst, "full name is empty");
	} else if (strlen(*full) > FULL_NAME_MAX ||
		   !text_valid_utf8(*full, strlen(*full))) {
		field_error(errors, "full_name",
			    "Họ và tên quá dài hoặc có ký tự không hợp lệ.");
		if (!bad++)
			snprintf(first, nfirst,
				 "full name too long or not UTF-8");
	}
	if (*email && **email &&
	    (strlen(*email) > CONTACT_MAX || !strchr(*email, '@') ||
	     strchr(*email, ' ') || !text_valid_utf8(*email, strlen(*email)))) {
		field_error(errors, "email",
			    "Địa chỉ thư điện tử không hợp lệ.");
		if (!bad++)
			snprintf(first, nfirst, "bad email %.100s", *email);
	}
	if (*phone && **phone) {
		bool ok = strlen(*phone) <= 20;
		for (const char *p = *phone; ok && *p; p++)
			ok = (*p >= '0' && *p <= '9') || *p == '+' ||
			     *p == ' ' || *p == '.' || *p == '-';
		if (!ok) {
			field_error(errors, "phone",
				    "Số điện thoại chỉ gồm chữ số (tối đa 20 "
				    "ký tự).");
			if (!bad++)
				snprintf(first, nfirst, "bad phone %.30s",
					 *phone);
		}
	}
	return bad;
}

static enum err name_keys(struct arena *a, const char *full, const char **fold,
			  const char **key, struct error *e)
{
	*fold = text_fold(a, full);
	*key = text_person_sort_key(a, full);
	if (!*fold || !*key)
		return error_set(e, ERR_NOMEM, "user %s: cannot fold name",
				 full);
	return ERR_OK;
}

static json_t *profile_after(struct db *db, struct arena *a, long long id)
{
	struct db_result *r;
	struct error e = {0};
	if (pdb_user_get(db, a, id, &r, &e))
		return NULL;
	return user_json(r, 0);
}

enum err users_create(struct db *db, struct arena *a, const struct actor *who,
		      const struct user_input *in, bool must_change,
		      long long *id, const char **temp_password, json_t *errors,
		      struct error *e)
{
	char first[200] = "";
	const char *full, *email, *phone, *fold, *key;
	const char *now = clock_now_iso(a);
	char *username = arena_strdup(a, clean(a, in->username));
	if (!username || !now)
		return error_set(e, ERR_NOMEM, "user create: out of memory");
	for (char *p = username; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	int bad = check_profile(a, in, &full, &email, &phone, errors, first,
				sizeof first);
	if (!username_ok(username)) {
		field_error(errors, "username",
			    "Tên đăng nhập 3–32 ký tự: chữ thường không dấu, "
			    "chữ số, dấu chấm, gạch dưới, gạch ngang; bắt đầu "
			    "bằng chữ.");
		if (!bad++)
			snprintf(first, sizeof first, "bad username %.40s",
				 username);
	}
	const char *pw = in->password && *in->password ? in->password : NULL;
	char generated[13];
	if (pw) {
		const char *why = password_policy_vi(pw);
		if (why) {
			field_error(errors, "password", why);
			if (!bad++)
				snprintf(first, sizeof first,
					 "password shorter than %d characters",
					 PASSWORD_MIN_CHARS);
		}
	}
	if (bad)
		return error_set(e, ERR_INVALID, "user %s: %s", username,
				 first);

	enum err err;
	if (!pw) {
		err = password_generate(generated, e);
		if (err)
			return err;
		pw = generated;
		must_change = true;
	}
	char hash[PASSWORD_HASH_MAX];
	err = password_hash(pw, hash, e);
	if (!err)
		err = name_keys(a, full, &fold, &key, e);
	if (err)
		return err;

	err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	struct error ue = {0};
	err = pdb_user_by_username(db, a, username, &r, &ue);
	if (!err) {
		field_error(errors, "username",
			    "Tên đăng nhập này đã có người dùng.");
		err = error_set(e, ERR_INVALID, "user %s already exists",
				username);
		goto fail;
	}
	if (err != ERR_NOTFOUND) {
		err = error_set(e, err, "%s", ue.msg);
		goto fail;
	}
	err = pdb_user_insert(db, a, username, full, fold, key, email, phone,
			      hash, must_change, now, id, e);
	if (err)
		goto fail;
	json_t *after = profile_after(db, a, *id);
	err = audit_actor(db, a, who, "user.create", "user", *id, NULL, after,
			  e);
	json_decref(after);
	if (!err)
		err = db_commit(db, e);
	if (err)
		goto fail;
	if (temp_password)
		*temp_password =
			pw == generated ? arena_strdup(a, generated) : NULL;
	return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

/* Runs change() between reading the user's profile before and after, and
 * records the audit row; one transaction. */
static enum err with_user(struct db *db, struct arena *a,
			  const struct actor *who, long long id,
			  const char *action,
			  enum err (*change)(struct db *, struct arena *,
					     long long, void *, struct error *),
			  void *arg, json_t *extra_after, struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	json_t *before = profile_after(db, a, id), *after = NULL;
	if (!before) {
		db_rollback(db);
		return error_set(e, ERR_NOTFOUND, "user %lld not found", id);
	}
	err = change(db, a, id, arg, e);
	if (!err) {
		after = profile_after(db, a, id);
		if (after && extra_after)
			json_object_update(after, extra_after);
		err = audit_actor(db, a, who, action, "user", id, before, after,
				  e);
	}
	json_decref(before);
	json_decref(after);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

struct profile {
	const char *full, *email, *phone, *fold, *key;
};

static enum err do_edit(struct db *db, struct arena *a, long long id, void *arg,
			struct error *e)
{
	struct profile *p = arg;
	return pdb_user_update(db, a, id, p->full, p->fold, p->key, p->email,
			       p->phone, clock_now_iso(a), e);
}

enum err users_edit(struct db *db, struct arena *a, const struct actor *who,
		    long long id, const struct user_input *in, json_t *errors,
		    struct error *e)
{
	char first[200] = "";
	struct profile p;
	if (check_profile(a, in, &p.full, &p.email, &p.phone, errors, first,
			  sizeof first))
		return error_set(e, ERR_INVALID, "user %lld: %s", id, first);
	enum err err = name_keys(a, p.full, &p.fold, &p.key, e);
	if (err)
		return err;
	return with_user(db, a, who, id, "user.edit", do_edit, &p, NULL, e);
}

static enum err do_active(struct db *db, struct arena *a, long long id,
			  void *arg, struct error *e)
{
	bool active = *(bool *)arg;
	enum err err =
		pdb_user_set_active(db, a, id, active, clock_now_iso(a), e);
	/* A disabled account must not keep a live session. */
	if (!err && !active)
		err = session_end_all_for_user(db, id, e);
	return err;
}

enum err users_set_active(struct db *db, struct arena *a,
			  const struct actor *who, long long id, bool active,
			  struct error *e)
{
	if (!active && who->user_id == id)
		return error_set(e, ERR_INVALID,
				 "user %lld: cannot disable oneself", id);
	return with_user(db, a, who, id,
			 active ? "user.enable" : "user.disable", do_active,
			 &active, NULL, e);
}

struct new_password {
	const char *hash;
	bool must_change, end_sessions;
};

static enum err do_password(struct db *db, struct arena *a, long long id,
			    void *arg, struct error *e)
{
	struct new_password *p = arg;
	enum err err = pdb_user_set_password(db, a, id, p->hash, p->must_change,
					     clock_now_iso(a), e);
	if (!err && p->end_sessions)
		err = session_end_all_for_user(db, id, e);
	return err;
}

/* The audit row says the password changed, never what it is. */
static json_t *password_mark(void)
{
	return json_pack("{s:s}", "password", "(đã thay đổi)");
}

enum err users_reset_password(struct db *db, struct arena *a,
			      const struct actor *who, long long id,
			      const char **temp_password, struct error *e)
{
	char pw[13], hash[PASSWORD_HASH_MAX];
	enum err err = password_generate(pw, e);
	if (!err)
		err = password_hash(pw, hash, e);
	if (err)
		return err;
	struct new_password p = {hash, true, true};
	json_t *mark = password_mark();
	err = with_user(db, a, who, id, "user.reset_password", do_password, &p,
			mark, e);
	json_decref(mark);
	if (!err)
		*temp_password = arena_strdup(a, pw);
	return err;
}

enum err users_set_password(struct db *db, struct arena *a,
			    const struct actor *who, long long id,
			    const char *password, json_t *errors,
			    struct error *e)
{
	const char *why = password_policy_vi(password);
	if (why) {
		field_error(errors, "password", why);
		return error_set(e, ERR_INVALID,
				 "password must have at least %d characters",
				 PASSWORD_MIN_CHARS);
	}
	char hash[PASSWORD_HASH_MAX];
	enum err err = password_hash(password, hash, e);
	if (err)
		return err;
	struct new_password p = {hash, false, true};
	json_t *mark = password_mark();
	err = with_user(db, a, who, id, "user.set_password", do_password, &p,
			mark, e);
	json_decref(mark);
	return err;
}

enum err users_change_password(struct db *db, struct arena *a,
			       const struct actor *who, long long id,
			       const char *old_password,
			       const char *new_password, json_t *errors,
			       struct error *e)
{
	struct db_result *r;
	enum err err = pdb_user_get(db, a, id, &r, e);
	if (err)
		return err;
	if (!password_verify(db_get(r, 0, "password_hash"),
			     old_password ? old_password : "")) {
		field_error(errors, "old_password",
			    "Mật khẩu hiện tại không đúng.");
		return error_set(e, ERR_INVALID,
				 "user %lld: wrong current password", id);
	}
	const char *why = password_policy_vi(new_password);
	if (why) {
		field_error(errors, "new_password", why);
		return error_set(
			e, ERR_INVALID,
			"new password must have at least %d characters",
			PASSWORD_MIN_CHARS);
	}
	if (!strcmp(new_password, old_password)) {
		field_error(errors, "new_password",
			    "Mật khẩu mới phải khác mật khẩu hiện tại.");
		return error_set(e, ERR_INVALID,
				 "new password equals the current one");
	}
	char hash[PASSWORD_HASH_MAX];
	err = password_hash(new_password, hash, e);
	if (err)
		return err;
	/* The session in use stays; the http layer rotates it. */
	struct new_password p = {hash, false, false};
	json_t *mark = password_mark();
	err = with_user(db, a, who, id, "user.change_password", do_password, &p,
			mark, e);
	json_decref(mark);
	return err;
}

enum err users_role_add(struct db *db, struct arena *a, const struct actor *who,
			long long user_id, const char *role, long long unit_id,
			json_t *errors, struct error *e)
{
	if (!role || !role_from_key(role)) {
		field_error(errors, "role", "Vai trò không hợp lệ.");
		return error_set(e, ERR_INVALID, "unknown role %.40s",
				 role ? role : "(none)");
	}
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *ur;
	struct unit u;
	struct error ie = {0};
	bool found;
	long long role_id;
	err = pdb_user_get(db, a, user_id, &ur, e);
	if (err)
		goto fail;
	err = pdb_unit_get(db, a, unit_id, &u, &ie);
	if (err == ERR_NOTFOUND) {
		field_error(errors, "unit_id", "Đơn vị không tồn tại.");
		err = error_set(e, ERR_INVALID, "unknown unit %lld", unit_id);
		goto fail;
	}
	if (err) {
		err = error_set(e, err, "%s", ie.msg);
		goto fail;
	}
	err = pdb_role_find(db, a, user_id, role, unit_id, &found, e);
	if (err)
		goto fail;
	if (found) {
		field_error(errors, "role",
			    "Người dùng đã có vai trò này ở đơn vị này.");
		err = error_set(e, ERR_INVALID,
				"user %lld already has role %s in unit %lld",
				user_id, role, unit_id);
		goto fail;
	}
	err = pdb_role_insert(db, a, user_id, role, unit_id, &role_id, e);
	if (err)
		goto fail;
	json_t *after = json_pack(
		"{s:I, s:s, s:I, s:s}", "role_id", (json_int_t)role_id, "role",
		role, "unit_id", (json_int_t)unit_id, "unit_name", u.full_name);
	err = audit_actor(db, a, who, "user.role_add", "user", user_id, NULL,
			  after, e);
	json_decref(after);
	if (!err)
		err = db_commit(db, e);
	if (!err)
		return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

enum err users_role_remove(struct db *db, struct arena *a,
			   const struct actor *who, long long user_id,
			   long long role_id, struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	err = pdb_role_get(db, a, role_id, &r, e);
	if (!err && db_get_int(r, 0, "user_id", 0) != user_id)
		err = error_set(e, ERR_NOTFOUND, "user %lld has no role %lld",
				user_id, role_id);
	if (!err)
		err = pdb_role_delete(db, a, role_id, e);
	if (!err) {
		json_t *before = json_pack(
			"{s:I, s:s, s:I, s:s}", "role_id", (json_int_t)role_id,
			"role", db_get(r, 0, "role"), "unit_id",
			(json_int_t)db_get_int(r, 0, "unit_id", 0), "unit_name",
			db_get(r, 0, "unit_name"));
		err = audit_actor(db, a, who, "user.role_remove", "user",
				  user_id, before, NULL, e);
		json_decref(before);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}
