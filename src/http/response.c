/* Responses: pages rendered inside the layout, their JSON twins under
 * /api/, errors, redirects with a flash message, cookies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "router.h"
#include "template.h"
#include "../base/embedded.h"
#include "../base/log.h"
#include "../base/banned.h"

void res_header(struct response *res, const char *name, const char *value)
{
	if (res->nheaders ==
	    (int)(sizeof res->headers / sizeof *res->headers)) {
		log_warn("response header dropped", "name=%s", name);
		return;
	}
	res->headers[res->nheaders].name = name;
	res->headers[res->nheaders].value = value;
	res->nheaders++;
}

void res_redirect(struct response *res, const char *location)
{
	res->status = 303;
	res->content_type = "text/plain; charset=utf-8";
	res->body = "";
	res->len = 0;
	res_header(res, "Location", location);
}

char *http_cookie(struct request *req, const char *name, const char *value,
		  long max_age)
{
	const struct config *cfg = http_ctx_of(req)->cfg;
	if (!cfg)
		cfg = http_config();
	char age[32] = "";
	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	return arena_printf(req->arena,
			    "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name,
			    value, cfg->cookie_secure ? "; Secure" : "", age);
}

enum err res_json(struct request *req, struct response *res, int status,
		  json_t *body)
{
	if (!body)
		body = json_object();
	char *s = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(body);
	if (!s)
		return ERR_NOMEM;
	res->body = arena_strdup(req->arena, s);
	free(s);
	if (!res->body)
		return ERR_NOMEM;
	res->len = strlen(res->body);
	res->status = status;
	res->content_type = "application/json; charset=utf-8";
	return ERR_OK;
}

json_t *http_user_json(const struct user *u)
{
	if (!u)
		return json_null();
	json_t *roles = json_array();
	for (int b = 0; b < ROLE_COUNT; b++)
		if (u->roles & (1u << b))
			json_array_append_new(
				roles,
				json_pack("{s:s, s:s}", "key",
					  role_key((enum role)(1u << b)),
					  "label",
					  role_label_vi((enum role)(1u << b))));
	return json_pack("{s:I, s:s, s:s, s:o, s:b}", "id", (json_int_t)u->id,
			 "username", u->username ? u->username : "",
			 "full_name", u->full_name ? u->full_name : "", "roles",
			 roles, "must_change_password",
			 u->must_change_password);
}

/* The menu: one entry per capability, shown when the user may open it. */
static const struct {
	const char *key, *label, *href;
} menu_items[] = {
	{"home", "Trang chủ", "/"},
	{"index", "Chỉ số PAPI", "/index"},
	{"plan", "Kế hoạch", "/plan"},
	{"voice", "Tiếp nhận – giải quyết", "/voice"},
	{"disclosure", "Công khai", "/disclosure"},
	{"outreach", "Tuyên truyền", "/outreach"},
	{"oversight", "Kiểm tra – giám sát", "/oversight"},
	{"report", "Báo cáo", "/report/dashboard"},
	{"people", "Người dùng – đơn vị", "/people"},
};

static json_t *menu_json(struct request *req)
{
	json_t *menu = json_array();
	const struct route *cur = http_ctx_of(req)->route;
	if (!req->user)
		return menu;
	for (size_t i = 0; i < sizeof menu_items / sizeof *menu_items; i++) {
		const char *args[4];
		bool wrong;
		const struct route *r = router_match(
			req->arena, "GET", menu_items[i].href, args, &wrong);
		if (!r || router_access(r, req->user) != ACCESS_OK)
			continue;
		bool active = cur && cur->menu &&
			      !strcmp(cur->menu, menu_items[i].key);
		json_array_append_new(
			menu, json_pack("{s:s, s:s, s:s, s:b}", "key",
					menu_items[i].key, "label",
					menu_items[i].label, "href",
					menu_items[i].href, "active", active));
	}
	return menu;
}

static void flag_arrays(json_t *v, int depth)
{
	if (depth > 8)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) flag_arrays(x, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	const char *k;
	json_t *x, *flags = NULL; /* made only when there is an array */
	void *tmp;
	json_object_foreach_safe(v, tmp, k, x)
	{
		if (json_is_array(x)) {
			char name[128];
			snprintf(name, sizeof name, "has_%s", k);
			if (!flags)
				flags = json_object();
			json_object_set_new(
				flags, name,
				json_boolean(json_array_size(x) > 0));
		}
		flag_arrays(x, depth + 1);
	}
	if (flags) {
		json_object_update_missing(v, flags);
		json_decref(flags);
	}
}

void res_flag_arrays(json_t *ctx)
{
	flag_arrays(ctx, 0);
}

/* The header's bell (notify/ sets the counter). */
static http_unread_fn unread_counter;

void http_set_unread_counter(http_unread_fn fn)
{
	unread_counter = fn;
}

/* A page: the template in the layout. ctx is stolen. */
static enum err render_page(struct request *req, struct response *res,
			    int status, const char *template_name,
			    const char *title_vi, json_t *ctx)
{
	struct http_ctx *c = http_ctx_of(req);
	struct error e = {0};
	char *content, *page;
	size_t len, content_len;
	if (!ctx)
		ctx = json_object();
	flag_arrays(ctx, 0);
	json_object_set_new(ctx, "user", http_user_json(req->user));
	json_object_set_new(
		ctx, "csrf_token",
		json_string(req->csrf_token ? req->csrf_token : ""));
	enum err err = template_render_name(template_name, ctx, req->arena,
					    &content, &content_len, &e);
	if (err) {
		json_decref(ctx);
		log_error("template failed", "template=%s error=\"%s\"",
			  template_name, e.msg);
		return err == ERR_NOMEM || err == ERR_TOOBIG ? err
							     : ERR_INTERNAL;
	}
	const char *site = req->db ? settings_get(req->db, req->arena,
						  "site_name", "UBND xã")
				   : "UBND xã";
	json_t *layout = json_pack(
		"{s:s, s:s, s:O, s:s, s:o, s:o, s:s}", "page_title",
		title_vi ? title_vi : "", "site_name", site ? site : "UBND xã",
		"user", json_object_get(ctx, "user"), "csrf_token",
		req->csrf_token ? req->csrf_token : "", "menu", menu_json(req),
		/* our template's output over valid UTF-8 values: not checked
		 * again, byte by byte, on every page */
		"content", json_stringn_nocheck(content, content_len),
		"version", QUANTRI_VERSION);
	json_decref(ctx);
	if (!layout)
		return ERR_NOMEM;
	if (req->user && req->db && unread_counter)
		json_object_set_new(
			layout, "bell",
			json_pack("{s:i}", "unread",
				  unread_counter(req->db, req->arena,
						 req->user->id)));
	if (c->flash) {
		json_object_set_new(layout, "flash", json_string(c->flash));
		res_header(res, "Set-Cookie",
			   http_cookie(req, "qt_flash", "", 0));
		c->flash = NULL;
	}
	err = template_render_name("layout/base", layout, req->arena, &page,
				   &len, &e);
	json_decref(layout);
	if (err) {
		log_error("template failed",
			  "template=layout/base error=\"%s\"", e.msg);
		return err == ERR_NOMEM || err == ERR_TOOBIG ? err
							     : ERR_INTERNAL;
	}
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	res->body = page;
	res->len = len;
	return ERR_OK;
}

enum err res_page(struct request *req, struct response *res, int status,
		  const char *template_name, const char *title_vi, json_t *ctx)
{
	if (!ctx) /* a json_pack that failed: out of memory */
		return ERR_NOMEM;
	if (req->api)
		return res_json(req, res, status, ctx ? ctx : json_object());
	return render_page(req, res, status, template_name, title_vi, ctx);
}

static const struct {
	int status;
	const char *code, *title;
} statuses[] = {
	{400, "bad_request", "Yêu cầu không hợp lệ"},
	{401, "unauthorized", "Chưa đăng nhập"},
	{403, "forbidden", "Không có quyền truy cập"},
	{404, "not_found", "Không tìm thấy trang"},
	{405, "method_not_allowed", "Phương thức không được hỗ trợ"},
	{409, "conflict", "Dữ liệu đã thay đổi"},
	{413, "too_large", "Dữ liệu gửi lên quá lớn"},
	{422, "invalid", "Dữ liệu chưa hợp lệ"},
	{429, "throttled", "Thử lại quá nhiều lần"},
	{500, "internal", "Lỗi hệ thống"},
	{503, "unavailable", "Hệ thống tạm thời không phục vụ được"},
};

static int status_index(int status)
{
	for (int i = 0; i < (int)(sizeof statuses / sizeof *statuses); i++)
		if (statuses[i].status == status)
			return i;
	return status >= 500 ? 9 : 0;
}

/* The last resort when even the error template fails. */
static void plain_error(struct request *req, struct response *res, int status,
			const char *msg_vi)
{
	char *b = arena_printf(req->arena,
			       "<!doctype html><html lang=\"vi\"><meta "
			       "charset=\"utf-8\"><title>Lỗi %d</title><p>Lỗi "
			       "%d. Vui lòng thử lại sau.</p></html>",
			       status, status);
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	res->body = b ? b : "Error";
	res->len = strlen(res->body);
	(void)msg_vi;
}

enum err http_error_page(struct request *req, struct response *res, int status,
			 const char *msg_vi)
{
	int i = status_index(status);
	if (req->api) {
		enum err err = res_json(
			req, res, status,
			json_pack("{s:s, s:s}", "error", statuses[i].code,
				  "message",
				  msg_vi ? msg_vi : statuses[i].title));
		if (err)
			plain_error(req, res, status, msg_vi);
		return ERR_OK;
	}
	char name[64], path[96];
	snprintf(name, sizeof name, "errors/%d", status);
	snprintf(path, sizeof path, "templates/%s.html", name);
	json_t *ctx = json_pack("{s:i, s:s, s:s}", "status", status, "title",
				statuses[i].title, "message",
				msg_vi ? msg_vi : statuses[i].title);
	if (!ctx || render_page(req, res, status,
				embedded_find(path) ? name : "errors/error",
				statuses[i].title, ctx))
		plain_error(req, res, status, msg_vi);
	return ERR_OK;
}

enum err res_error(struct request *req, struct response *res, int status,
		   const char *msg_vi)
{
	return http_error_page(req, res, status, msg_vi);
}

enum err res_invalid(struct request *req, struct response *res,
		     const char *template_name, const char *title_vi,
		     json_t *ctx, json_t *errors)
{
	const char *summary = "Vui lòng sửa các chỗ được đánh dấu bên dưới.";
	if (!errors)
		errors = json_object();
	if (req->api) {
		json_decref(ctx);
		return res_json(req, res, 422,
				json_pack("{s:s, s:s, s:o}", "error", "invalid",
					  "message", summary, "errors",
					  errors));
	}
	if (!ctx)
		ctx = json_object();
	/* the submitted values, to fill the form again; never passwords */
	json_t *values = json_object();
	for (int i = 0; i < req->nparams; i++) {
		const char *k = req->params[i].key;
		if (!strcmp(k, "csrf_token") || strstr(k, "password"))
			continue;
		json_object_set_new(values, k,
				    json_string(req->params[i].value));
	}
	json_t *list = json_array();
	const char *field;
	json_t *msg;
	json_object_foreach(errors, field, msg) json_array_append_new(
		list, json_pack("{s:s, s:O}", "field", field, "message", msg));
	json_object_set_new(ctx, "errors", errors);
	json_object_set_new(ctx, "error_list", list);
	json_object_set_new(ctx, "error_summary", json_string(summary));
	if (!json_object_get(ctx, "values"))
		json_object_set_new(ctx, "values", values);
	else
		json_decref(values);
	return render_page(req, res, 422, template_name, title_vi, ctx);
}

enum err res_done(struct request *req, struct response *res,
		  const char *location, const char *flash_vi, json_t *result)
{
	if (req->api)
		return res_json(req, res, 200,
				result ? result : json_pack("{s:b}", "ok", 1));
	json_decref(result);
	res_redirect(res, location ? location : "/");
	if (flash_vi && *flash_vi) {
		char *v = form_encode(req->arena, flash_vi);
		if (v)
			res_header(res, "Set-Cookie",
				   http_cookie(req, "qt_flash", v, 60));
	}
	return ERR_OK;
}

enum err res_fail(struct request *req, struct response *res, enum err err,
		  const struct error *e)
{
	if (err == ERR_NOTFOUND)
		return res_error(req, res, 404, NULL);
	log_error("request failed", "path=\"%s\" error=\"%s\"", req->path,
		  e && *e->msg ? e->msg : err_name(err));
	return err;
}
