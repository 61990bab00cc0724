/* The pages of people/: login and logout, one's own account (password, API
 * tokens), users and their roles, units (tree, history, merge, import),
 * the audit log, the calendar, and the search box of the header.
 *
 * Who may do what (the route table below is the whole truth):
 *   anyone            /login
 *   any logged-in     /logout, /account..., /search, /people (overview),
 *                     units (read), calendar (read)
 *   chair, vice-chair, office   users (read), the audit log
 *   chair, office (ROLE_ADMIN)  every change to users, units, calendar */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "people.h"
#include "../base/calendar.h"
#include "../base/clock.h"
#include "../base/config.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../cli.h"
#include "../http/form.h"
#include "../http/http.h"
#include "../base/banned.h"

#define ROLE_READ_PEOPLE (ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE)
#define ROLE_AUDIT (ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE)

static const char msg_login_failed[] =
	"Tên đăng nhập hoặc mật khẩu không đúng.";
static const char msg_throttled[] =
	"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.";

static struct actor actor_of(const struct request *req)
{
	return (struct actor){req->user ? req->user->id : 0,
			      req->user ? req->user->username : "",
			      req->remote_addr ? req->remote_addr : ""};
}

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}

static bool is_admin(const struct request *req)
{
	return req->user && (req->user->roles & ROLE_ADMIN);
}

static long long param_id(const struct request *req, const char *name)
{
	const char *v = param(req, name);
	char *end;
	long long n = strtoll(v, &end, 10);
	return *v && !*end && n > 0 ? n : 0;
}

/* A model error that is not about the input: 404 for a missing row, the
 * framework's 500 page for the rest (logged). */
static enum err failure(struct request *req, struct response *res, enum err err,
			const struct error *e)
{
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409, NULL);
	return res_fail(req, res, err, e);
}

/* "?next=" only to a path of this site: "/x", never "//host" or "/\host". */
static const char *local_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "/";
	return next;
}

/* YYYY-MM-DD from a form's date (2025-07-01 or 01/07/2025); "" stays "".
 * false when present and not a date. */
static bool date_param(struct request *req, const char *name, const char **iso)
{
	const char *v = text_trim(req->arena, param(req, name));
	struct date d;
	if (!v || !*v) {
		*iso = NULL;
		return true;
	}
	if (!text_parse_date(v, &d))
		return false;
	char buf[11];
	date_format_iso(d, buf);
	*iso = arena_strdup(req->arena, buf);
	return true;
}

static enum err invalid(struct request *req, struct response *res,
			const char *template_name, const char *title_vi,
			json_t *ctx, json_t *errors)
{
	return res_invalid(req, res, template_name, title_vi, ctx, errors);
}

/* ---- login, logout ---- */

static enum err login_page(struct request *req, struct response *res,
			   int status, const char *error_vi)
{
	json_t *ctx = json_pack("{s:s, s:s}", "next",
				local_next(req_param(req, "next")), "username",
				param(req, "username"));
	if (error_vi)
		json_object_set_new(ctx, "error", json_string(error_vi));
	if (req->api && error_vi) {
		json_decref(ctx);
		return res_error(req, res, status, error_vi);
	}
	return res_page(req, res, status, "people/login", "Đăng nhập", ctx);
}

static enum err get_login(struct request *req, struct response *res)
{
	if (req->user && !req->api) {
		res_redirect(res, local_next(req_param(req, "next")));
		return ERR_OK;
	}
	return login_page(req, res, 200, NULL);
}

static enum err post_login(struct request *req, struct response *res)
{
	const struct config *cfg = http_config();
	struct login_limits lim = {cfg->login_max_per_user,
				   cfg->login_max_per_addr};
	const char *username = param(req, "username"),
		   *password = param(req, "password");
	char q[128];
	if (!*username || !*password)
		return login_page(req, res, 422,
				  "Vui lòng nhập tên đăng nhập và mật khẩu.");
	long long uid;
	struct error e = {0};
	enum err err = login_verify(req->db, req->arena, &lim, username,
				    password, req->remote_addr, &uid, &e);
	if (err == ERR_THROTTLED) {
		log_warn("login throttled", "user=%s addr=%s",
			 log_quote(q, sizeof q, username), req->remote_addr);
		return login_page(req, res, 429, msg_throttled);
	}
	if (err == ERR_AUTH) {
		log_info("login failed", "user=%s addr=%s",
			 log_quote(q, sizeof q, username), req->remote_addr);
		return login_page(req, res, 401, msg_login_failed);
	}
	if (err)
		return failure(req, res, err, &e);
	err = session_start(req, res, uid);
	if (err)
		return err;
	log_info("login", "user=%s addr=%s", log_quote(q, sizeof q, username),
		 req->remote_addr);
	const char *next = local_next(req_param(req, "next"));
	if (req->user && req->user->must_change_password)
		next = "/account/password";
	return res_done(
		req, res, next, NULL,
		json_pack("{s:I, s:s, s:b}", "id", (json_int_t)uid, "next",
			  next, "must_change_password",
			  req->user && req->user->must_change_password));
}

static enum err post_logout(struct request *req, struct response *res)
{
	enum err err = session_end(req, res);
	if (err)
		return err;
	return res_done(req, res, "/login", "Bạn đã đăng xuất.", NULL);
}

/* ---- one's own account ---- */

static enum err account_page(struct request *req, struct response *res,
			     const char *new_token, json_t *errors)
{
	json_t *me, *tokens;
	struct error e = {0};
	enum err err = users_get(req->db, req->arena, req->user->id, &me, &e);
	if (!err)
		err = tokens_list(req->db, req->arena, req->user->id, &tokens,
				  &e);
	if (err)
		return failure(req, res, err, &e);
	json_t *ctx = json_pack("{s:o, s:o}", "me", me, "tokens", tokens);
	if (new_token)
		json_object_set_new(ctx, "new_token", json_string(new_token));
	if (errors)
		return invalid(req, res, "people/account", "Tài khoản của tôi",
			       ctx, errors);
	return res_page(req, res, 200, "people/account", "Tài khoản của tôi",
			ctx);
}

static enum err get_account(struct request *req, struct response *res)
{
	return account_page(req, res, NULL, NULL);
}

static enum err post_token(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	struct error e = {0};
	json_t *errors = json_object();
	const char *token;
	enum err err = tokens_create(req->db, req->arena, &who, req->user->id,
				     param(req, "name"), &token, errors, &e);
	if (err == ERR_INVALID)
		return account_page(req, res, NULL, errors);
	json_decref(errors);
	if (err)
		return failure(req, res, err, &e);
	if (req->api)
		return res_done(req, res, NULL, NULL,
				json_pack("{s:s}", "token", token));
	/* Shown once, on this page; only its hash is kept. */
	return account_page(req, res, token, NULL);
}

static enum err post_token_revoke(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err =
		tokens_revoke(req->db, req->arena, &who, req->user->id, id, &e);
	if (err)
		return failure(req, res, err, &e);
	return res_done(req, res, "/account", "Đã thu hồi mã truy cập.", NULL);
}

static enum err get_password(struct request *req, struct response *res)
{
	return res_page(req, res, 200, "people/password", "Đổi mật khẩu",
			json_pack("{s:b}", "must_change",
				  req->user->must_change_password));
}

static enum err post_password(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	struct error e = {0};
	json_t *errors = json_object();
	const char *np = param(req, "new_password"),
		   *confirm = req_param(req, "confirm_password");
	enum err err;
	if (confirm && strcmp(confirm, np)) {
		json_object_set_new(
			errors, "confirm_password",
			json_string("Mật khẩu nhập lại không khớp."));
		err = ERR_INVALID;
	} else {
		err = users_change_password(
			req->db, req->arena, &who, req->user->id,
			param(req, "old_password"), np, errors, &e);
	}
	if (err == ERR_INVALID)
		return invalid(req, res, "people/password", "Đổi mật khẩu",
			       json_pack("{s:b}", "must_change",
					 req->user->must_change_password),
			       errors);
	json_decref(errors);
	if (err)
		return failure(req, res, err, &e);
	/* Every other session of this user ends; this one gets a new id. */
	err = session_end_all_for_user(req->db, req->user->id, &e);
	if (!err)
		err = session_start(req, res, who.user_id);
	if (err)
		return failure(req, res, err, &e);
	return res_done(req, res, "/account", "Đã đổi mật khẩu.", NULL);
}

/* ---- overview and search ---- */

static enum err get_people(struct request *req, struct response *res)
{
	unsigned r = req->user->roles;
	return res_page(req, res, 200, "people/index", "Người dùng – đơn vị",
			json_pack("{s:b, s:b, s:b}", "can_users",
				  (r & ROLE_READ_PEOPLE) != 0, "can_audit",
				  (r & ROLE_AUDIT) != 0, "can_admin",
				  is_admin(req)));
}

static enum err get_search(struct request *req, struct response *res)
{
	const char *q = text_trim(req->arena, param(req, "q"));
	json_t *found;
	struct error e = {0};
	enum err err = people_search(req->db, req->arena, q, &found, &e);
	if (err)
		return failure(req, res, err, &e);
	size_t nu = json_array_size(json_object_get(found, "units"));
	size_t np = json_array_size(json_object_get(found, "users"));
	json_object_set_new(found, "q", json_string(q ? q : ""));
	json_object_set_new(found, "searched", json_boolean(q && *q));
	json_object_set_new(found, "nothing",
			    json_boolean(q && *q && !nu && !np));
	json_object_set_new(found, "link_users",
			    json_boolean(req->user->roles & ROLE_READ_PEOPLE));
	return res_page(req, res, 200, "people/search", "Tìm kiếm", found);
}

/* ---- select options ---- */

/* Units for a <select>: in force only (for roles) or all without a
 * successor (for merges); labels indented by depth. */
static json_t *unit_options(struct request *req, long long selected,
			    bool all_open)
{
	json_t *tree = NULL, *out = json_array();
	struct error e = {0};
	if (units_tree(req->db, req->arena, &tree, &e))
		return out;
	size_t i;
	json_t *u;
	json_array_foreach(tree, i, u)
	{
		bool in_force = json_is_true(json_object_get(u, "in_force"));
		bool merged = !json_is_null(json_object_get(u, "successor_id"));
		if (all_open ? merged : !in_force)
			continue;
		long long id = json_integer_value(json_object_get(u, "id"));
		int depth =
			(int)json_integer_value(json_object_get(u, "depth"));
		const char *code =
			json_string_value(json_object_get(u, "code"));
		const char *vt =
			json_string_value(json_object_get(u, "valid_to"));
		/* Two no-break spaces (U+00A0, 2 bytes each) per level. */
		char pad[64];
		size_t np = 0;
		for (int k = 0; k < depth && np + 5 <= sizeof pad; k++) {
			memcpy(pad + np, "\xc2\xa0\xc2\xa0", 4);
			np += 4;
		}
		pad[np] = 0;
		const char *label = arena_printf(
			req->arena, "%s%s%s%s%s%s", pad,
			json_string_value(json_object_get(u, "full_name")),
			code ? " (" : "", code ? code : "", code ? ")" : "",
			vt ? arena_printf(req->arena, " – đến %s",
					  text_format_date(req->arena, vt))
			   : "");
		json_array_append_new(
			out, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
				       "label", label ? label : "", "selected",
				       id == selected));
	}
	json_decref(tree);
	return out;
}

static json_t *role_options(const char *selected)
{
	json_t *out = json_array();
	for (int b = 0; b < ROLE_COUNT; b++) {
		enum role r = (enum role)(1u << b);
		json_array_append_new(
			out,
			json_pack("{s:s, s:s, s:b}", "key", role_key(r),
				  "label", role_label_vi(r), "selected",
				  selected && !strcmp(selected, role_key(r))));
	}
	return out;
}

/* ---- users ---- */

static enum err get_users(struct request *req, struct response *res)
{
	const char *active = param(req, "active");
	struct user_filter f = {
		.role = param(req, "role"),
		.unit_id = param_id(req, "unit_id"),
		.active = !strcmp(active, "1")   ? 1
			  : !strcmp(active, "0") ? 0
						 : -1,
		.q = param(req, "q"),
	};
	json_t *users;
	struct error e = {0};
	enum err err = users_list(req->db, req->arena, &f, &users, &e);
	if (err)
		return failure(req, res, err, &e);
	json_t *ctx =
		json_pack("{s:o, s:I, s:o, s:o, s:s, s:s, s:b}", "users", users,
			  "count", (json_int_t)json_array_size(users), "roles",
			  role_options(f.role), "units",
			  unit_options(req, f.unit_id, false), "q", f.q,
			  "active", active, "can_admin", is_admin(req));
	json_object_set_new(ctx, "active_1", json_boolean(f.active == 1));
	json_object_set_new(ctx, "active_0", json_boolean(f.active == 0));
	return res_page(req, res, 200, "people/users", "Người dùng", ctx);
}

static json_t *user_form_ctx(void)
{
	return json_object();
}

static enum err get_user_new(struct request *req, struct response *res)
{
	return res_page(req, res, 200, "people/user_new", "Thêm người dùng",
			user_form_ctx());
}

static enum err password_shown(struct request *req, struct response *res,
			       long long id, const char *password, bool created)
{
	json_t *u;
	struct error e = {0};
	enum err err = users_get(req->db, req->arena, id, &u, &e);
	if (err)
		return failure(req, res, err, &e);
	if (req->api) {
		json_decref(u);
		return res_done(req, res, NULL, NULL,
				json_pack("{s:I, s:s*}", "id", (json_int_t)id,
					  "temporary_password", password));
	}
	return res_page(req, res, created ? 201 : 200, "people/user_password",
			created ? "Đã tạo người dùng" : "Đã đặt lại mật khẩu",
			json_pack("{s:o, s:s*, s:b}", "u", u, "password",
				  password, "created", created));
}

static enum err post_user_new(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	struct user_input in = {param(req, "username"), param(req, "full_name"),
				param(req, "email"), param(req, "phone"),
				req_param(req, "password")};
	struct error e = {0};
	json_t *errors = json_object();
	long long id;
	const char *temp = NULL;
	enum err err = users_create(req->db, req->arena, &who, &in, false, &id,
				    &temp, errors, &e);
	if (err == ERR_INVALID)
		return invalid(req, res, "people/user_new", "Thêm người dùng",
			       user_form_ctx(), errors);
	json_decref(errors);
	if (err)
		return failure(req, res, err, &e);
	if (temp)
		return password_shown(req, res, id, temp, true);
	return res_done(req, res,
			arena_printf(req->arena, "/people/users/%lld", id),
			"Đã thêm người dùng.",
			json_pack("{s:I}", "id", (json_int_t)id));
}

static enum err get_user(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	json_t *u;
	struct error e = {0};
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = users_get(req->db, req->arena, id, &u, &e);
	if (err)
		return failure(req, res, err, &e);
	bool admin = is_admin(req);
	json_t *ctx = json_pack("{s:o, s:b, s:b}", "u", u, "can_admin", admin,
				"is_self", id == req->user->id);
	if (admin) {
		json_object_set_new(ctx, "role_options", role_options(NULL));
		json_object_set_new(ctx, "unit_options",
				    unit_options(req, 0, false));
	}
	return res_page(req, res, 200, "people/user",
			json_string_value(json_object_get(u, "full_name")),
			ctx);
}

static enum err get_user_edit(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	json_t *u;
	struct error e = {0};
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = users_get(req->db, req->arena, id, &u, &e);
	if (err)
		return failure(req, res, err, &e);
	return res_page(req, res, 200, "people/user_edit",
			"Sửa thông tin người dùng",
			json_pack("{s:O, s:o}", "values", u, "u", u));
}

static enum err post_user_edit(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct actor who = actor_of(req);
	struct user_input in = {NULL, param(req, "full_name"),
				param(req, "email"), param(req, "phone"), NULL};
	struct error e = {0};
	json_t *errors = json_object(), *u;
	if (id <= 0 || users_get(req->db, req->arena, id, &u, &e)) {
		json_decref(errors);
		return res_error(req, res, 404, NULL);
	}
	enum err err =
		users_edit(req->db, req->arena, &who, id, &in, errors, &e);
	if (err == ERR_INVALID)
		return invalid(req, res, "people/user_edit",
			       "Sửa thông tin người dùng",
			       json_pack("{s:o}", "u", u), errors);
	json_decref(errors);
	json_decref(u);
	if (err)
		return failure(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/people/users/%lld", id),
			"Đã lưu thông tin người dùng.",
			json_pack("{s:I}", "id", (json_int_t)id));
}

static enum err set_active(struct request *req, struct response *res,
			   bool active)
{
	long long id = req_arg_id(req, 0);
	struct actor who = actor_of(req);
	struct error e = {0};
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err =
		users_set_active(req->db, req->arena, &who, id, active, &e);
	if (err == ERR_INVALID)
		return res_error(
			req, res, 422,
			"Bạn không thể tự khóa tài khoản của chính mình.");
	if (err)
		return failure(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/people/users/%lld", id),
			active ? "Đã mở khóa tài khoản." : "Đã khóa tài khoản.",
			json_pack("{s:I, s:b}", "id", (json_int_t)id, "active",
				  active));
}

static enum err post_user_disable(struct request *req, struct response *res)
{
	return set_active(req, res, false);
}

static enum err post_user_enable(struct request *req, struct response *res)
{
	return set_active(req, res, true);
}

static enum err post_user_reset(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct actor who = actor_of(req);
	struct error e = {0};
	const char *temp;
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err =
		users_reset_password(req->db, req->arena, &who, id, &temp, &e);
	if (err)
		return failure(req, res, err, &e);
	return password_shown(req, res, id, temp, false);
}

static enum err post_role_add(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct actor who = actor_of(req);
	struct error e = {0};
	json_t *errors = json_object(), *u;
	if (id <= 0 || users_get(req->db, req->arena, id, &u, &e)) {
		json_decref(errors);
		return res_error(req, res, 404, NULL);
	}
	long long unit = param_id(req, "unit_id");
	enum err err =
		unit ? users_role_add(req->db, req->arena, &who, id,
				      param(req, "role"), unit, errors, &e)
		     : (json_object_set_new(
				errors, "unit_id",
				json_string("Vui lòng chọn đơn vị.")),
			ERR_INVALID);
	if (err == ERR_INVALID) {
		json_t *ctx = json_pack(
			"{s:o, s:b, s:b, s:o, s:o}", "u", u, "can_admin", 1,
			"is_self", id == req->user->id, "role_options",
			role_options(param(req, "role")), "unit_options",
			unit_options(req, unit, false));
		return invalid(
			req, res, "people/user",
			json_string_value(json_object_get(u, "full_name")), ctx,
			errors);
	}
	json_decref(errors);
	json_decref(u);
	if (err)
		return failure(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/people/users/%lld", id),
		"Đã giao vai trò.", json_pack("{s:I}", "id", (json_int_t)id));
}

static enum err post_role_remove(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0), role_id = req_arg_id(req, 1);
	struct actor who = actor_of(req);
	struct error e = {0};
	if (id <= 0 || role_id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err =
		users_role_remove(req->db, req->arena, &who, id, role_id, &e);
	if (err)
		return failure(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/people/users/%lld", id),
			"Đã thu hồi vai trò.",
			json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- units ---- */

static const char *const kind_labels[][2] = {
	{"province", "Tỉnh, thành phố"},
	{"district", "Huyện (trước 01/07/2025)"},
	{"commune", "Xã, phường"},
	{"village", "Thôn, tổ dân phố"},
	{"unit", "Bộ phận, tổ chức của xã"},
};

static json_t *kind_options(const char *selected)
{
	json_t *out = json_array();
	for (size_t i = 0; i < sizeof kind_labels / sizeof *kind_labels; i++)
		json_array_append_new(
			out,
			json_pack("{s:s, s:s, s:b}", "key", kind_labels[i][0],
				  "label", kind_labels[i][1], "selected",
				  selected && !strcmp(selected,
						      kind_labels[i][0])));
	return out;
}

static enum err get_units(struct request *req, struct response *res)
{
	json_t *tree;
	struct error e = {0};
	enum err err = units_tree(req->db, req->arena, &tree, &e);
	if (err)
		return failure(req, res, err, &e);
	bool current = !strcmp(param(req, "current"), "1");
	if (current) {
		json_t *kept = json_array();
		size_t i;
		json_t *u;
		json_array_foreach(tree, i, u) if (json_is_true(json_object_get(
							   u, "in_force")))
			json_array_append(kept, u);
		json_decref(tree);
		tree = kept;
	}
	/* The indentation is a class per depth (the CSP allows no inline
	 * styles). */
	size_t i;
	json_t *u;
	json_array_foreach(tree, i, u)
	{
		json_int_t d = json_integer_value(json_object_get(u, "depth"));
		json_object_set_new(u, "indent", json_integer(d > 4 ? 4 : d));
		/* Villages' notes say they are demo data; other notes (postal
		 * codes) stay on the unit's page. */
		json_object_set_new(
			u, "is_village",
			json_boolean(!strcmp(
				json_string_value(json_object_get(u, "kind")),
				"village")));
	}
	return res_page(req, res, 200, "people/units", "Đơn vị hành chính",
			json_pack("{s:o, s:I, s:b, s:b}", "units", tree,
				  "count", (json_int_t)json_array_size(tree),
				  "current", current, "can_admin",
				  is_admin(req)));
}

static enum err get_unit(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct unit u;
	struct error e = {0};
	json_t *history, *lineage = json_array();
	long long *ids;
	int n;
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = units_get(req->db, req->arena, id, &u, &e);
	if (!err)
		err = units_history(req->db, req->arena, id, &history, &e);
	if (!err)
		err = units_lineage(req->db, req->arena, id, &ids, &n, &e);
	if (err) {
		json_decref(lineage);
		return failure(req, res, err, &e);
	}
	for (int k = 0; k < n; k++) {
		struct unit l;
		if (!units_get(req->db, req->arena, ids[k], &l, &e))
			json_array_append_new(lineage, unit_json(&l));
	}
	json_t *ctx =
		json_pack("{s:o, s:o, s:o, s:b, s:b}", "unit", unit_json(&u),
			  "history", history, "lineage", lineage, "can_admin",
			  is_admin(req), "many_lineage", n > 1);
	if (u.parent_id > 0) {
		struct unit p;
		if (!units_get(req->db, req->arena, u.parent_id, &p, &e))
			json_object_set_new(ctx, "parent", unit_json(&p));
	}
	/* The unit's place in the tree: its subtree, from the whole tree. */
	json_t *tree = NULL, *children = json_array();
	if (!units_tree(req->db, req->arena, &tree, &e)) {
		size_t i;
		json_t *t;
		json_array_foreach(tree, i, t) if (
			json_integer_value(json_object_get(t, "parent_id")) ==
			id) json_array_append(children, t);
	}
	json_decref(tree);
	json_object_set_new(ctx, "children", children);
	return res_page(req, res, 200, "people/unit", u.full_name, ctx);
}

/* The unit fields of a form; dates as YYYY-MM-DD or dd/mm/yyyy. */
static void unit_from_form(struct request *req, struct unit *u, json_t *errors)
{
	u->code = param(req, "code");
	u->type_vi = param(req, "type_vi");
	u->name = param(req, "name");
	u->full_name = param(req, "full_name");
	u->parent_id = param_id(req, "parent_id");
	u->note = param(req, "note");
	const char *pop = text_trim(req->arena, param(req, "population"));
	u->population = -1;
	if (pop && *pop) {
		char *end;
		long long n = strtoll(pop, &end, 10);
		if (*end || n < 0 || n > 100000000)
			json_object_set_new(
				errors, "population",
				json_string(
					"Dân số phải là số nguyên không âm."));
		else
			u->population = n;
	}
	if (!date_param(req, "valid_from", &u->valid_from))
		json_object_set_new(errors, "valid_from",
				    json_string("Ngày bắt đầu hiệu lực không "
						"hợp lệ (dd/mm/yyyy)."));
	if (!date_param(req, "valid_to", &u->valid_to))
		json_object_set_new(errors, "valid_to",
				    json_string("Ngày hết hiệu lực không hợp "
						"lệ (dd/mm/yyyy)."));
}

static json_t *unit_form_ctx(struct request *req, const char *kind,
			     long long parent)
{
	return json_pack("{s:o, s:o}", "kinds", kind_options(kind), "parents",
			 unit_options(req, parent, true));
}

static enum err get_unit_new(struct request *req, struct response *res)
{
	long long parent = param_id(req, "parent_id");
	json_t *ctx = unit_form_ctx(req, param(req, "kind"), parent);
	json_object_set_new(ctx, "values",
			    json_pack("{s:s}", "kind", param(req, "kind")));
	return res_page(req, res, 200, "people/unit_new", "Thêm đơn vị", ctx);
}

static enum err post_unit_new(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	struct unit u = {.kind = param(req, "kind")};
	struct error e = {0};
	json_t *errors = json_object();
	unit_from_form(req, &u, errors);
	enum err err = json_object_size(errors)
			       ? ERR_INVALID
			       : units_create(req->db, req->arena, &who, &u,
					      errors, &e);
	if (err == ERR_INVALID)
		return invalid(req, res, "people/unit_new", "Thêm đơn vị",
			       unit_form_ctx(req, u.kind, u.parent_id), errors);
	json_decref(errors);
	if (err)
		return failure(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/people/units/%lld", u.id),
		"Đã thêm đơn vị.", json_pack("{s:I}", "id", (json_int_t)u.id));
}

static enum err get_unit_edit(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct unit u;
	struct error e = {0};
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = units_get(req->db, req->arena, id, &u, &e);
	if (err)
		return failure(req, res, err, &e);
	json_t *ctx = unit_form_ctx(req, u.kind, u.parent_id);
	json_t *values = unit_json(&u);
	if (u.population < 0)
		json_object_set_new(values, "population", json_string(""));
	json_object_set_new(ctx, "values", values);
	json_object_set_new(ctx, "unit", unit_json(&u));
	return res_page(req, res, 200, "people/unit_edit", "Sửa đơn vị", ctx);
}

static enum err post_unit_edit(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct actor who = actor_of(req);
	struct unit old, u = {.id = id};
	struct error e = {0};
	if (id <= 0 || units_get(req->db, req->arena, id, &old, &e))
		return res_error(req, res, 404, NULL);
	json_t *errors = json_object();
	unit_from_form(req, &u, errors);
	enum err err =
		json_object_size(errors)
			? ERR_INVALID
			: units_edit(req->db, req->arena, &who, &u, errors, &e);
	if (err == ERR_INVALID) {
		json_t *ctx = unit_form_ctx(req, old.kind, u.parent_id);
		json_object_set_new(ctx, "unit", unit_json(&old));
		return invalid(req, res, "people/unit_edit", "Sửa đơn vị", ctx,
			       errors);
	}
	json_decref(errors);
	if (err)
		return failure(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/people/units/%lld", id),
		"Đã lưu đơn vị.", json_pack("{s:I}", "id", (json_int_t)id));
}

static json_t *merge_ctx(struct request *req, long long successor)
{
	return json_pack("{s:o, s:o}", "candidates", unit_options(req, 0, true),
			 "successors", unit_options(req, successor, true));
}

static enum err get_unit_merge(struct request *req, struct response *res)
{
	return res_page(req, res, 200, "people/unit_merge", "Sáp nhập đơn vị",
			merge_ctx(req, param_id(req, "successor_id")));
}

enum { MERGE_MAX = 64 };

static enum err post_unit_merge(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	const char *vals[MERGE_MAX];
	long long ids[MERGE_MAX];
	int n = req_params_all(req, "units", vals, MERGE_MAX), k = 0;
	json_t *errors = json_object();
	struct error e = {0};
	for (int i = 0; i < n && i < MERGE_MAX; i++) {
		char *end;
		long long v = strtoll(vals[i], &end, 10);
		if (*vals[i] && !*end && v > 0)
			ids[k++] = v;
	}
	long long successor = param_id(req, "successor_id");
	const char *date;
	enum err err = ERR_INVALID;
	if (!date_param(req, "date", &date) || !date)
		json_object_set_new(errors, "date",
				    json_string("Vui lòng nhập ngày sáp nhập "
						"có hiệu lực (dd/mm/yyyy)."));
	else if (!successor)
		json_object_set_new(
			errors, "successor_id",
			json_string("Vui lòng chọn đơn vị sau sáp nhập."));
	else
		err = units_merge(
			req->db, req->arena, &who, ids, k, successor, date,
			text_trim(req->arena, param(req, "note")), errors, &e);
	if (err == ERR_INVALID)
		return invalid(req, res, "people/unit_merge", "Sáp nhập đơn vị",
			       merge_ctx(req, successor), errors);
	json_decref(errors);
	if (err)
		return failure(req, res, err, &e);
	return res_done(
		req, res,
		arena_printf(req->arena, "/people/units/%lld", successor),
		"Đã ghi nhận việc sáp nhập.",
		json_pack("{s:I, s:i}", "successor_id", (json_int_t)successor,
			  "merged", k));
}

static enum err post_unit_import(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	/* The file of the upload form, or the text pasted in its box. */
	const char *csv = req_param(req, "file");
	if (!csv || !*csv)
		csv = param(req, "csv");
	if (!*csv)
		return invalid(
			req, res, "people/unit_import", "Nhập danh sách đơn vị",
			json_object(),
			json_pack("{s:s}", "file",
				  "Vui lòng chọn tệp CSV hoặc dán nội dung."));
	struct import_report rep;
	struct error e = {0};
	enum err err = unit_import(req->db, req->arena, &who, csv, strlen(csv),
				   &rep, &e);
	json_t *ctx = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i}", "format",
				rep.format ? rep.format : "", "filename",
				param(req, "file_filename"), "created",
				rep.created, "updated", rep.updated, "merged",
				rep.merged, "unchanged", rep.unchanged);
	if (err == ERR_INVALID) {
		json_t *lines = json_array();
		int shown = rep.nerrors < IMPORT_MAX_ERRORS ? rep.nerrors
							    : IMPORT_MAX_ERRORS;
		for (int i = 0; i < shown; i++)
			json_array_append_new(
				lines, json_pack("{s:i, s:s, s:s}", "line",
						 rep.errors[i].line, "message",
						 rep.errors[i].msg_vi, "detail",
						 rep.errors[i].msg_en));
		if (!shown) /* the file itself is not CSV */
			json_array_append_new(
				lines,
				json_pack("{s:i, s:s, s:s}", "line", 0,
					  "message",
					  "Tệp không đúng định dạng CSV.",
					  "detail", e.msg));
		json_object_set_new(ctx, "bad_lines", lines);
		json_object_set_new(
			ctx, "nerrors",
			json_integer(rep.nerrors ? rep.nerrors : 1));
		return invalid(req, res, "people/unit_import",
			       "Nhập danh sách đơn vị", ctx,
			       json_pack("{s:s}", "file",
					 "Tệp có dòng không hợp lệ; chưa có gì "
					 "được nhập."));
	}
	if (err) {
		json_decref(ctx);
		return failure(req, res, err, &e);
	}
	if (req->api)
		return res_done(req, res, NULL, NULL, ctx);
	json_object_set_new(ctx, "done", json_true());
	return res_page(req, res, 200, "people/unit_import",
			"Nhập danh sách đơn vị", ctx);
}

static enum err get_unit_import(struct request *req, struct response *res)
{
	return res_page(req, res, 200, "people/unit_import",
			"Nhập danh sách đơn vị", json_object());
}

/* ---- audit ---- */

static const char *const action_labels[][2] = {
	{"user.create", "Tạo người dùng"},
	{"user.edit", "Sửa thông tin người dùng"},
	{"user.disable", "Khóa tài khoản"},
	{"user.enable", "Mở khóa tài khoản"},
	{"user.reset_password", "Đặt lại mật khẩu"},
	{"user.set_password", "Đặt mật khẩu"},
	{"user.change_password", "Đổi mật khẩu"},
	{"user.role_add", "Giao vai trò"},
	{"user.role_remove", "Thu hồi vai trò"},
	{"token.create", "Tạo mã truy cập API"},
	{"token.revoke", "Thu hồi mã truy cập API"},
	{"unit.create", "Tạo đơn vị"},
	{"unit.edit", "Sửa đơn vị"},
	{"unit.merge", "Sáp nhập đơn vị"},
	{"unit.move", "Chuyển thôn sang đơn vị mới"},
	{"unit.import", "Nhập danh sách đơn vị"},
	{"calendar.seed", "Nạp lịch ngày nghỉ"},
	{"calendar.set", "Sửa lịch làm việc"},
	{"calendar.remove", "Bỏ một ngày khỏi lịch"},
	{"setting.set", "Sửa cấu hình"},
};

static const char *action_label(const char *action)
{
	for (size_t i = 0; i < sizeof action_labels / sizeof *action_labels;
	     i++)
		if (!strcmp(action_labels[i][0], action))
			return action_labels[i][1];
	return action;
}

static const char *const entity_labels[][2] = {
	{"user", "Người dùng"},
	{"unit", "Đơn vị"},
	{"calendar", "Lịch làm việc"},
	{"setting", "Cấu hình"},
};

/* The query string of the current filters, for the paging links. */
static const char *audit_query(struct request *req, int page)
{
	static const char *const keys[] = {"user", "entity", "action", "from",
					   "to"};
	const char *q = arena_printf(req->arena, "page=%d", page);
	for (size_t i = 0; i < sizeof keys / sizeof *keys && q; i++) {
		const char *v = param(req, keys[i]);
		if (*v)
			q = arena_printf(req->arena, "%s&%s=%s", q, keys[i],
					 form_encode(req->arena, v));
	}
	return q ? q : "";
}

static enum err get_audit(struct request *req, struct response *res)
{
	json_t *errors = json_object();
	const char *from = NULL, *to = NULL;
	if (!date_param(req, "from", &from))
		json_object_set_new(
			errors, "from",
			json_string("Ngày không hợp lệ (dd/mm/yyyy)."));
	if (!date_param(req, "to", &to))
		json_object_set_new(
			errors, "to",
			json_string("Ngày không hợp lệ (dd/mm/yyyy)."));
	long long page_no = param_id(req, "page");
	struct audit_filter f = {
		.username = text_trim(req->arena, param(req, "user")),
		.entity = param(req, "entity"),
		.action = param(req, "action"),
		.from = from,
		.to = to,
		.page = page_no > 0 && page_no < 100000 ? (int)page_no : 1,
		.per_page = 50,
	};
	json_t *rows = json_array();
	long long total = 0;
	struct error e = {0};
	if (!json_object_size(errors)) {
		json_decref(rows);
		enum err err =
			audit_list(req->db, req->arena, &f, &rows, &total, &e);
		if (err)
			return failure(req, res, err, &e);
	}
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *action =
			json_string_value(json_object_get(r, "action"));
		const char *entity =
			json_string_value(json_object_get(r, "entity"));
		const char *eid =
			json_string_value(json_object_get(r, "entity_id"));
		json_object_set_new(r, "action_label",
				    json_string(action_label(action)));
		if (eid && *eid &&
		    (!strcmp(entity, "user") || !strcmp(entity, "unit")))
			json_object_set_new(
				r, "href",
				json_string(arena_printf(req->arena,
							 "/people/%ss/%s",
							 entity, eid)));
		for (size_t k = 0;
		     k < sizeof entity_labels / sizeof *entity_labels; k++)
			if (!strcmp(entity, entity_labels[k][0]))
				json_object_set_new(
					r, "entity_label",
					json_string(entity_labels[k][1]));
	}
	json_t *actions = json_array(), *entities = json_array();
	for (size_t k = 0; k < sizeof action_labels / sizeof *action_labels;
	     k++)
		json_array_append_new(
			actions,
			json_pack("{s:s, s:s, s:b}", "key", action_labels[k][0],
				  "label", action_labels[k][1], "selected",
				  !strcmp(f.action, action_labels[k][0])));
	for (size_t k = 0; k < sizeof entity_labels / sizeof *entity_labels;
	     k++)
		json_array_append_new(
			entities,
			json_pack("{s:s, s:s, s:b}", "key", entity_labels[k][0],
				  "label", entity_labels[k][1], "selected",
				  !strcmp(f.entity, entity_labels[k][0])));
	long long pages = (total + f.per_page - 1) / f.per_page;
	json_t *ctx = json_pack(
		"{s:o, s:I, s:i, s:I, s:o, s:o, s:s, s:s, s:s}", "rows", rows,
		"total", (json_int_t)total, "page", f.page, "pages",
		(json_int_t)(pages ? pages : 1), "actions", actions, "entities",
		entities, "user_filter", f.username ? f.username : "", "from",
		param(req, "from"), "to", param(req, "to"));
	if (f.page > 1)
		json_object_set_new(ctx, "prev",
				    json_string(audit_query(req, f.page - 1)));
	if (f.page < pages)
		json_object_set_new(ctx, "next",
				    json_string(audit_query(req, f.page + 1)));
	if (json_object_size(errors))
		return invalid(req, res, "people/audit", "Nhật ký thay đổi",
			       ctx, errors);
	json_decref(errors);
	return res_page(req, res, 200, "people/audit", "Nhật ký thay đổi", ctx);
}

/* ---- calendar ---- */

static const char *const weekdays_vi[] = {"",        "Thứ Hai", "Thứ Ba",
					  "Thứ Tư",  "Thứ Năm", "Thứ Sáu",
					  "Thứ Bảy", "Chủ nhật"};

static json_t *calendar_ctx(struct request *req, int year, struct error *e,
			    enum err *err)
{
	json_t *days;
	*err = calendar_db_year(req->db, req->arena, year, &days, e);
	if (*err)
		return NULL;
	json_t *months = json_array(), *cur = NULL;
	int cur_month = 0, off = 0, work = 0;
	size_t i;
	json_t *d;
	json_array_foreach(days, i, d)
	{
		struct date dt;
		const char *day = json_string_value(json_object_get(d, "day"));
		if (!day || !date_parse_iso(day, &dt))
			continue;
		bool is_off = !strcmp(
			json_string_value(json_object_get(d, "kind")), "off");
		is_off ? off++ : work++;
		json_object_set_new(d, "weekday",
				    json_string(weekdays_vi[date_weekday(dt)]));
		json_object_set_new(d, "off", json_boolean(is_off));
		if (dt.m != cur_month) {
			cur_month = dt.m;
			cur = json_array();
			json_array_append_new(
				months,
				json_pack("{s:s, s:o}", "month",
					  arena_printf(req->arena, "Tháng %d",
						       dt.m),
					  "days", cur));
		}
		json_array_append(cur, d);
	}
	json_decref(days);
	return json_pack("{s:i, s:i, s:i, s:o, s:i, s:i, s:b}", "year", year,
			 "prev_year", year - 1, "next_year", year + 1, "months",
			 months, "off_count", off, "work_count", work,
			 "can_admin", is_admin(req));
}

static int year_param(struct request *req)
{
	long long y = param_id(req, "year");
	return y >= 1900 && y <= 2200 ? (int)y : clock_today_vn().y;
}

static enum err get_calendar(struct request *req, struct response *res)
{
	struct error e = {0};
	enum err err;
	json_t *ctx = calendar_ctx(req, year_param(req), &e, &err);
	if (!ctx)
		return failure(req, res, err, &e);
	return res_page(req, res, 200, "people/calendar", "Lịch làm việc", ctx);
}

static enum err post_calendar(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	struct error e = {0};
	json_t *errors = json_object();
	enum err err = calendar_db_set(req->db, req->arena, &who,
				       param(req, "day"), param(req, "kind"),
				       param(req, "name"), errors, &e);
	struct date d;
	int year =
		text_parse_date(param(req, "day"), &d) ? d.y : year_param(req);
	if (err == ERR_INVALID) {
		enum err err2;
		json_t *ctx = calendar_ctx(req, year, &e, &err2);
		if (!ctx) {
			json_decref(errors);
			return failure(req, res, err2, &e);
		}
		return invalid(req, res, "people/calendar", "Lịch làm việc",
			       ctx, errors);
	}
	json_decref(errors);
	if (err)
		return failure(req, res, err, &e);
	return res_done(
		req, res,
		arena_printf(req->arena, "/people/calendar?year=%d", year),
		"Đã cập nhật lịch làm việc.", NULL);
}

static enum err post_calendar_remove(struct request *req, struct response *res)
{
	struct actor who = actor_of(req);
	struct error e = {0};
	struct date d;
	if (!text_parse_date(param(req, "day"), &d))
		return res_error(req, res, 422, "Ngày không hợp lệ.");
	enum err err = calendar_db_remove(req->db, req->arena, &who,
					  param(req, "day"), &e);
	if (err)
		return failure(req, res, err, &e);
	return res_done(
		req, res,
		arena_printf(req->arena, "/people/calendar?year=%d", d.y),
		"Đã bỏ ngày khỏi lịch.", NULL);
}

void people_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/login", get_login, ROLE_PUBLIC, NULL},
		{"POST", "/login", post_login, ROLE_PUBLIC, NULL},
		{"POST", "/logout", post_logout, ROLE_ANY_USER, NULL},
		{"GET", "/account", get_account, ROLE_ANY_USER, NULL},
		{"POST", "/account/tokens", post_token, ROLE_ANY_USER, NULL},
		{"POST", "/account/tokens/{id}/revoke", post_token_revoke,
		 ROLE_ANY_USER, NULL},
		{"GET", "/account/password", get_password, ROLE_ANY_USER, NULL},
		{"POST", "/account/password", post_password, ROLE_ANY_USER,
		 NULL},
		{"GET", "/search", get_search, ROLE_ANY_USER, NULL},
		{"GET", "/people", get_people, ROLE_ANY_USER, "people"},
		{"GET", "/people/users", get_users, ROLE_READ_PEOPLE, "people"},
		{"GET", "/people/users/new", get_user_new, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/users/new", post_user_new, ROLE_ADMIN,
		 "people"},
		{"GET", "/people/users/{id}", get_user, ROLE_READ_PEOPLE,
		 "people"},
		{"GET", "/people/users/{id}/edit", get_user_edit, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/users/{id}/edit", post_user_edit, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/users/{id}/disable", post_user_disable,
		 ROLE_ADMIN, "people"},
		{"POST", "/people/users/{id}/enable", post_user_enable,
		 ROLE_ADMIN, "people"},
		{"POST", "/people/users/{id}/reset-password", post_user_reset,
		 ROLE_ADMIN, "people"},
		{"POST", "/people/users/{id}/roles", post_role_add, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/users/{id}/roles/{role_id}/remove",
		 post_role_remove, ROLE_ADMIN, "people"},
		{"GET", "/people/units", get_units, ROLE_ANY_USER, "people"},
		{"GET", "/people/units/new", get_unit_new, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/units/new", post_unit_new, ROLE_ADMIN,
		 "people"},
		{"GET", "/people/units/merge", get_unit_merge, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/units/merge", post_unit_merge, ROLE_ADMIN,
		 "people"},
		{"GET", "/people/units/import", get_unit_import, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/units/import", post_unit_import, ROLE_ADMIN,
		 "people"},
		{"GET", "/people/units/{id}", get_unit, ROLE_ANY_USER,
		 "people"},
		{"GET", "/people/units/{id}/edit", get_unit_edit, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/units/{id}/edit", post_unit_edit, ROLE_ADMIN,
		 "people"},
		{"GET", "/people/audit", get_audit, ROLE_AUDIT, "people"},
		{"GET", "/people/calendar", get_calendar, ROLE_ANY_USER,
		 "people"},
		{"POST", "/people/calendar", post_calendar, ROLE_ADMIN,
		 "people"},
		{"POST", "/people/calendar/remove", post_calendar_remove,
		 ROLE_ADMIN, "people"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
