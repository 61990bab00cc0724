/* News about the plan's results (outreach.h; part III.3 of the plan): the
 * culture–society officer (a unit head or officer of the culture–society
 * unit) or the office writes a post (title, plain paragraphs, a photo
 * from the camera), publishes it or takes it back; the public reads the
 * published ones at /citizen/news. The body is shown as text, paragraph
 * by paragraph: what looks like HTML or a script stays inert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "outreach.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../files/attachment.h"
#include "../base/banned.h"

#define T_NEWS "outreach/news"
#define T_NEWS_FORM "outreach/news_form"
#define T_NEWS_POST "outreach/news_post"
#define T_PUBLIC_LIST "outreach/citizen_news"
#define T_PUBLIC_POST "outreach/citizen_news_post"

#define WRITER_ROLES (ROLE_OFFICE | ROLE_UNIT_HEAD | ROLE_OFFICER)
#define READ_ROLES                                                             \
	(WRITER_ROLES | ROLE_VILLAGE_HEAD | ROLE_CHAIR | ROLE_VICE_CHAIR |     \
	 ROLE_FRONT | ROLE_INSPECTION | ROLE_UPPER)

static const char msg_not_writer[] =
	"Chỉ Văn phòng – Thống kê hoặc công chức Văn hóa – Xã hội được viết "
	"và đăng tin.";

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

static long long page_param(struct request *req)
{
	char *end;
	long long p = strtoll(param(req, "page"), &end, 10);
	return *end || p < 1 || p > 100000 ? 1 : p;
}

static bool in_list(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The office, or a unit head or officer of the culture–society unit;
 * *commune: the commune they write for. */
static bool can_write(struct request *req, long long *commune)
{
	struct error e = {0};
	*commune = 0;
	if (!req->user || !(req->user->roles & WRITER_ROLES))
		return false;
	static const char *const roles[] = {"office", "unit_head", "officer"};
	static const char *const office[] = {"office"};
	long long *units;
	int n;
	if (outreach_user_units(req->db, req->arena, req->user->id, office, 1,
				&units, &n, &e))
		return false;
	for (int i = 0; i < n; i++)
		if (!plan_commune_of(req->db, req->arena, units[i], commune,
				     &e) &&
		    *commune > 0)
			return true;
	if (outreach_user_units(req->db, req->arena, req->user->id, roles, 3,
				&units, &n, &e))
		return false;
	for (int i = 0; i < n; i++)
		if (outreach_unit_is_culture(req->db, req->arena, units[i]) &&
		    !plan_commune_of(req->db, req->arena, units[i], commune,
				     &e) &&
		    *commune > 0)
			return true;
	*commune = 0;
	return false;
}

/* May the user write this post (a writer of its commune or one it
 * merged into)? */
static bool can_write_post(struct request *req, const struct news_post *n)
{
	long long commune;
	if (!can_write(req, &commune))
		return false;
	long long *lin;
	int nl;
	struct error e = {0};
	if (units_lineage(req->db, req->arena, commune, &lin, &nl, &e))
		return false;
	return in_list(lin, nl, n->commune_id);
}

static bool can_see_post(struct request *req, const struct news_post *n)
{
	long long *ids;
	int nids;
	struct error e = {0};
	if (!req->user || plan_user_communes(req, &ids, &nids, &e))
		return false;
	return in_list(ids, nids, n->commune_id);
}

static json_t *errors_json(const struct field_problems *fp)
{
	json_t *o = json_object();
	for (int i = 0; i < fp->n; i++)
		if (!json_object_get(o, fp->list[i].field))
			json_object_set_new(o, fp->list[i].field,
					    json_string(fp->list[i].msg_vi));
	return o;
}

/* A post as JSON for its pages: paragraphs, photo, dates. */
static json_t *post_json(struct request *req, const struct news_post *n)
{
	long long photo = news_photo_id(req->db, req->arena, n->id);
	struct unit u;
	struct error e = {0};
	if (units_get(req->db, req->arena, n->commune_id, &u, &e))
		u.full_name = "";
	return json_pack(
		"{s:I, s:s, s:s, s:o, s:s, s:s, s:s?, s:b, s:I, s:s?, s:s}",
		"id", (json_int_t)n->id, "title", n->title, "body", n->body,
		"paragraphs", news_paragraphs(req->arena, n->body), "status",
		n->status, "status_vi",
		strcmp(n->status, "published") ? "Bản nháp" : "Đã đăng",
		"published_on", n->published_on, "published",
		!strcmp(n->status, "published"), "photo_id", (json_int_t)photo,
		"photo_url",
		photo ? arena_printf(req->arena, "/citizen/news/%lld/photo",
				     n->id)
		      : NULL,
		"commune_name", u.full_name ? u.full_name : "");
}

/* ---- staff pages ---- */

static enum err get_news(struct request *req, struct response *res)
{
	struct error e = {0};
	long long *ids;
	int n;
	json_t *list;
	enum err err = plan_user_communes(req, &ids, &n, &e);
	if (!err)
		err = news_list(req->db, req->arena, ids, n, false,
				(int)page_param(req), 20, &list, &e);
	if (err)
		return res_fail(req, res, err, &e);
	long long commune;
	json_object_set_new(list, "can_write",
			    json_boolean(can_write(req, &commune)));
	long long page = json_integer_value(json_object_get(list, "page"));
	long long pages = json_integer_value(json_object_get(list, "pages"));
	if (page > 1)
		json_object_set_new(
			list, "prev_href",
			json_string(arena_printf(req->arena,
						 "/outreach/news?page=%lld",
						 page - 1)));
	if (page < pages)
		json_object_set_new(
			list, "next_href",
			json_string(arena_printf(req->arena,
						 "/outreach/news?page=%lld",
						 page + 1)));
	return res_page(req, res, 200, T_NEWS, "Tin bài", list);
}

static enum err form_page(struct request *req, struct response *res,
			  const struct news_post *n, json_t *errors)
{
	json_t *ctx = json_pack(
		"{s:I, s:s, s:{s:s, s:s}}", "id", (json_int_t)n->id, "action",
		n->id ? arena_printf(req->arena, "/outreach/news/%lld/edit",
				     n->id)
		      : "/outreach/news/new",
		"values", "title", n->title ? n->title : "", "body",
		n->body ? n->body : "");
	if (n->id)
		json_object_set_new(ctx, "editing", json_true());
	const char *title = n->id ? "Sửa tin bài" : "Viết tin bài";
	if (errors)
		return res_invalid(req, res, T_NEWS_FORM, title, ctx, errors);
	return res_page(req, res, 200, T_NEWS_FORM, title, ctx);
}

static enum err get_new(struct request *req, struct response *res)
{
	long long commune;
	if (!can_write(req, &commune)) {
		/* the list says who writes; the POST is refused with it */
		res_redirect(res, req->api ? "/api/outreach/news"
					   : "/outreach/news");
		return ERR_OK;
	}
	struct news_post n = {0};
	return form_page(req, res, &n, NULL);
}

/* Saves the form; publishes too when the "publish" button sent it. */
static enum err save(struct request *req, struct response *res,
		     struct news_post *n)
{
	struct error e = {0};
	struct field_problems fp = {0};
	const char *t = text_trim(req->arena, param(req, "title"));
	n->title = t ? t : "";
	n->body = param(req, "body");
	const struct upload *photos[2];
	int np = req_uploads(req, "photo", photos, 2);
	if (np > 1) {
		fp.list[fp.n++] = (struct field_problem){
			"photo", "one photo at most", "Chỉ chọn một ảnh."};
		return form_page(req, res, n, errors_json(&fp));
	}
	struct actor who = actor_of(req);
	enum err err = news_save(req->db, req->arena, &who, n,
				 np ? photos[0] : NULL, &fp, &e);
	if (err == ERR_INVALID && fp.n)
		return form_page(req, res, n, errors_json(&fp));
	bool publish = !strcmp(param(req, "publish"), "1");
	if (!err && publish)
		err = news_publish(req->db, req->arena, &who, n->id, true, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/outreach/news/%lld", n->id),
			publish ? "Đã đăng tin lên trang của xã."
				: "Đã lưu bản nháp.",
			json_pack("{s:I, s:b}", "id", (json_int_t)n->id,
				  "published", publish));
}

static enum err post_new(struct request *req, struct response *res)
{
	long long commune;
	if (!can_write(req, &commune))
		return res_error(req, res, 403, msg_not_writer);
	struct news_post n = {.commune_id = commune};
	return save(req, res, &n);
}

static bool load(struct request *req, struct response *res, struct news_post *n,
		 enum err *out)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	enum err err = id > 0 ? news_get(req->db, req->arena, id, n, &e)
			      : ERR_NOTFOUND;
	*out = ERR_OK;
	if (err == ERR_NOTFOUND || (!err && !can_see_post(req, n))) {
		*out = res_error(req, res, 404, NULL);
		return false;
	}
	if (err) {
		*out = res_fail(req, res, err, &e);
		return false;
	}
	return true;
}

static enum err get_post(struct request *req, struct response *res)
{
	struct news_post n;
	enum err err;
	if (!load(req, res, &n, &err))
		return err;
	json_t *j = post_json(req, &n);
	json_object_set_new(j, "can_write",
			    json_boolean(can_write_post(req, &n)));
	return res_page(req, res, 200, T_NEWS_POST, n.title, j);
}

static enum err get_edit(struct request *req, struct response *res)
{
	struct news_post n;
	enum err err;
	if (!load(req, res, &n, &err))
		return err;
	if (!can_write_post(req, &n)) {
		res_redirect(res,
			     arena_printf(req->arena, "%s/outreach/news/%lld",
					  req->api ? "/api" : "", n.id));
		return ERR_OK;
	}
	return form_page(req, res, &n, NULL);
}

static enum err post_edit(struct request *req, struct response *res)
{
	struct news_post n;
	enum err err;
	if (!load(req, res, &n, &err))
		return err;
	if (!can_write_post(req, &n))
		return res_error(req, res, 403, msg_not_writer);
	return save(req, res, &n);
}

static enum err post_publish(struct request *req, struct response *res)
{
	struct news_post n;
	enum err err;
	if (!load(req, res, &n, &err))
		return err;
	if (!can_write_post(req, &n))
		return res_error(req, res, 403, msg_not_writer);
	bool publish = strcmp(param(req, "action"), "unpublish") != 0;
	struct error e = {0};
	struct actor who = actor_of(req);
	err = news_publish(req->db, req->arena, &who, n.id, publish, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/outreach/news/%lld", n.id),
			publish ? "Đã đăng tin lên trang của xã."
				: "Đã gỡ tin khỏi trang của xã.",
			json_pack("{s:I, s:b}", "id", (json_int_t)n.id,
				  "published", publish));
}

/* ---- public pages ---- */

/* ?xa=<5-digit code>: that commune's posts; else every commune's. */
static enum err get_public_list(struct request *req, struct response *res)
{
	struct error e = {0};
	const char *xa = param(req, "xa");
	long long *lin = NULL;
	int nl = 0;
	enum err err = ERR_OK;
	struct unit u = {0};
	if (*xa) {
		err = units_by_code(req->db, req->arena, xa, "commune", NULL,
				    &u, &e);
		if (err == ERR_NOTFOUND)
			return res_error(req, res, 404,
					 "Không tìm thấy xã có mã này.");
		if (!err) {
			/* the commune in force with that code, and its
			 * lineage's posts */
			struct unit cur;
			if (!units_find(req->db, req->arena, xa, &cur, &e))
				u = cur;
			err = units_lineage(req->db, req->arena, u.id, &lin,
					    &nl, &e);
		}
	}
	json_t *list;
	if (!err)
		err = news_list(req->db, req->arena, lin, nl, true,
				(int)page_param(req), 10, &list, &e);
	if (err)
		return res_fail(req, res, err, &e);
	long long page = json_integer_value(json_object_get(list, "page"));
	long long pages = json_integer_value(json_object_get(list, "pages"));
	const char *q =
		*xa ? arena_printf(req->arena, "xa=%s&", u.code ? u.code : "")
		    : "";
	if (page > 1)
		json_object_set_new(
			list, "prev_href",
			json_string(arena_printf(req->arena,
						 "/citizen/news?%spage=%lld", q,
						 page - 1)));
	if (page < pages)
		json_object_set_new(
			list, "next_href",
			json_string(arena_printf(req->arena,
						 "/citizen/news?%spage=%lld", q,
						 page + 1)));
	json_t *posts = json_object_get(list, "posts");
	size_t i;
	json_t *p;
	json_array_foreach(posts, i, p)
	{
		long long id = json_integer_value(json_object_get(p, "id"));
		if (json_integer_value(json_object_get(p, "photo_id")))
			json_object_set_new(
				p, "photo_url",
				json_string(arena_printf(
					req->arena, "/citizen/news/%lld/photo",
					id)));
	}
	json_object_set_new(list, "commune_name",
			    json_string(u.full_name ? u.full_name : ""));
	return res_page(req, res, 200, T_PUBLIC_LIST, "Tin tức", list);
}

/* A published post, else 404 (a draft's existence is not told). */
static bool load_public(struct request *req, struct response *res,
			struct news_post *n, enum err *out)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	enum err err = id > 0 ? news_get(req->db, req->arena, id, n, &e)
			      : ERR_NOTFOUND;
	*out = ERR_OK;
	if (err == ERR_NOTFOUND || (!err && strcmp(n->status, "published"))) {
		*out = res_error(req, res, 404, NULL);
		return false;
	}
	if (err) {
		*out = res_fail(req, res, err, &e);
		return false;
	}
	return true;
}

static enum err get_public_post(struct request *req, struct response *res)
{
	struct news_post n;
	enum err err;
	if (!load_public(req, res, &n, &err))
		return err;
	return res_page(req, res, 200, T_PUBLIC_POST, n.title,
			post_json(req, &n));
}

static enum err get_public_photo(struct request *req, struct response *res)
{
	struct news_post n;
	enum err err;
	if (!load_public(req, res, &n, &err))
		return err;
	long long id = news_photo_id(req->db, req->arena, n.id);
	struct attachment meta;
	const unsigned char *data;
	size_t len;
	struct error e = {0};
	err = id ? attachment_get(req->db, req->arena, id, &meta, &data, &len,
				  &e)
		 : ERR_NOTFOUND;
	if (err == ERR_NOTFOUND)
		return res_error(req, res, 404, NULL);
	if (err)
		return res_fail(req, res, err, &e);
	res->status = 200;
	/* the type found by content when it was saved, never the sender's */
	res->content_type = meta.mime;
	res->body = (const char *)data;
	res->len = len;
	res_header(res, "X-Content-Type-Options", "nosniff");
	res_header(res, "Cache-Control", "public, max-age=300");
	res_header(res, "Content-Security-Policy", "default-src 'none'");
	return ERR_OK;
}

/* The photo under /files/{id}: staff who see the post's commune, anyone
 * once it is published. */
static bool can_read_photo(struct request *req, const char *owner,
			   long long owner_id)
{
	(void)owner;
	struct news_post n;
	struct error e = {0};
	if (news_get(req->db, req->arena, owner_id, &n, &e))
		return false;
	return !strcmp(n.status, "published") || can_see_post(req, &n);
}

void news_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/outreach/news", get_news, READ_ROLES, "outreach"},
		{"GET", "/outreach/news/new", get_new, WRITER_ROLES,
		 "outreach"},
		{"POST", "/outreach/news/new", post_new, WRITER_ROLES,
		 "outreach"},
		{"GET", "/outreach/news/{id}", get_post, READ_ROLES,
		 "outreach"},
		{"GET", "/outreach/news/{id}/edit", get_edit, WRITER_ROLES,
		 "outreach"},
		{"POST", "/outreach/news/{id}/edit", post_edit, WRITER_ROLES,
		 "outreach"},
		{"POST", "/outreach/news/{id}/publish", post_publish,
		 WRITER_ROLES, "outreach"},
		{"GET", "/citizen/news", get_public_list, ROLE_PUBLIC, NULL},
		{"GET", "/citizen/news/{id}", get_public_post, ROLE_PUBLIC,
		 NULL},
		{"GET", "/citizen/news/{id}/photo", get_public_photo,
		 ROLE_PUBLIC, NULL},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	attachment_register_owner("news_post", can_read_photo);
}
