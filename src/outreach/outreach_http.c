/* The outreach pages (outreach.h): the list of activities with its
 * filters and CSV/XLSX export, recording and editing an activity on a
 * phone (a photo from the camera), one activity, the coverage matrix and
 * the topic list. The news pages are in news_http.c.
 *
 * Who may do what: the route table admits the readers (staff, the front,
 * the inspection boards, the upper level) and the recorders (office, unit
 * heads, officers, village heads); each handler checks the commune (the
 * user's, plan_user_communes) and a village head's own villages, and
 * answers 403 with a Vietnamese message otherwise. Every page has its
 * /api twin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "outreach.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../base/xlsx.h"
#include "../files/attachment.h"
#include "../http/form.h"
#include "../plan/plan_bulk.h"
#include "../plan/plan_views.h"
#include "../cli.h"
#include "../base/banned.h"

#define T_LIST "outreach/list"
#define T_FORM "outreach/form"
#define T_ONE "outreach/activity"
#define T_COVERAGE "outreach/coverage"
#define T_TOPICS "outreach/topics"

#define RECORD_ROLES                                                           \
	(ROLE_OFFICE | ROLE_UNIT_HEAD | ROLE_OFFICER | ROLE_VILLAGE_HEAD)
#define READ_ROLES                                                             \
	(RECORD_ROLES | ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_FRONT |            \
	 ROLE_INSPECTION | ROLE_UPPER)

enum {
	LIST_PER_PAGE = 20,
	QUERY_MAX = 2000,
	EXPORT_ARENA = 512 << 20,
};

/* ---- helpers ---- */

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

static const char *trimmed(struct request *req, const char *name)
{
	const char *v = text_trim(req->arena, param(req, name));
	return v ? v : "";
}

/* An id field: 0 when empty, -1 when not a positive number. */
static long long id_param(struct request *req, const char *name)
{
	const char *v = trimmed(req, name);
	if (!*v)
		return 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	return *end || n <= 0 ? -1 : n;
}

/* A date field as YYYY-MM-DD; as typed when it is no date (the check
 * then says so); "" when empty. */
static const char *date_param(struct request *req, const char *name)
{
	const char *v = trimmed(req, name);
	struct date d;
	if (!*v || !text_parse_date(v, &d))
		return v;
	char buf[11];
	date_format_iso(d, buf);
	return arena_strdup(req->arena, buf);
}

static const char *show_date(struct request *req, const char *iso)
{
	const char *s = iso && *iso ? text_format_date(req->arena, iso) : NULL;
	return s ? s : (iso ? iso : "");
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

static bool is(const char *s, const char *t)
{
	return s && t && !strcmp(s, t);
}

static enum err forbidden(struct request *req, struct response *res,
			  const char *msg_vi)
{
	return res_error(req, res, 403, msg_vi);
}

static bool has_role(const struct request *req, unsigned roles)
{
	return req->user && (req->user->roles & roles);
}

/* ---- communes and villages of the user ---- */

/* plan_user_communes, kept per user at the database's version (plan
 * views' reference cache): an upper level's communes are a walk of the
 * province's units, the most expensive part of a page otherwise. */
static enum err user_communes(struct request *req, long long **ids, int *n,
			      struct error *e)
{
	long long v = 0;
	const char *data;
	size_t len;
	const char *key = arena_printf(req->arena, "outreach.communes.%lld",
				       req->user ? req->user->id : 0);
	if (key && !pvdb_version(req->db, req->arena, &v, e) &&
	    pv_ref_get(req->arena, key, v, &data, &len) &&
	    len % sizeof **ids == 0) {
		*n = (int)(len / sizeof **ids);
		*ids = arena_alloc(req->arena, len + sizeof **ids);
		if (!*ids)
			return error_set(e, ERR_NOMEM, "out of memory");
		if (len)
			memcpy(*ids, data, len);
		return ERR_OK;
	}
	enum err err = plan_user_communes(req, ids, n, e);
	if (!err && key && v > 0)
		pv_ref_put(key, v, *ids, sizeof **ids * (size_t)*n);
	return err;
}

static bool in_list(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The commune a page is about: ?commune_id= when the user sees it, else
 * the commune of the user's first role, else the last of theirs. */
static long long pick_commune(struct request *req, const long long *ids, int n)
{
	long long want = id_param(req, "commune_id"), own = 0;
	struct error e = {0};
	if (want > 0 && in_list(ids, n, want))
		return want;
	if (req->user && req->user->home_unit_id > 0 &&
	    plan_commune_of(req->db, req->arena, req->user->home_unit_id, &own,
			    &e))
		own = 0;
	if (own > 0 && in_list(ids, n, own))
		return own;
	return n ? ids[n - 1] : 0;
}

/* Communes to choose from when the user sees more than one:
 * [{id, name, selected}]; none for one. */
static json_t *commune_options(struct request *req, const long long *ids, int n,
			       long long sel)
{
	json_t *out = NULL;
	struct error e = {0};
	if (n > 1 &&
	    outreach_commune_names(req->db, req->arena, ids, n, sel, &out, &e))
		log_error("outreach: communes", "error=\"%s\"", e.msg);
	return out ? out : json_array();
}

/* The picker shows when there is a choice. */
static void many_communes(json_t *ctx)
{
	json_object_set_new(ctx, "many_communes",
			    json_boolean(json_array_size(json_object_get(
						 ctx, "communes")) > 1));
}

/* May the user record for every village of the commune (office, unit
 * heads, officers), or only for their own villages (village heads)?
 * *own gets those villages. */
static enum err recorder_scope(struct request *req, bool *all, long long **own,
			       int *nown, struct error *e)
{
	*all = has_role(req, ROLE_OFFICE | ROLE_UNIT_HEAD | ROLE_OFFICER);
	static const char *const heads[] = {"village_head"};
	return outreach_user_units(req->db, req->arena, req->user->id, heads, 1,
				   own, nown, e);
}

/* The villages of the commune (in force this year) as checkboxes:
 * [{id, name, checked, own}]; only the user's own for a village head. */
static enum err village_boxes(struct request *req, long long commune,
			      const long long *checked, int nchecked,
			      json_t **out, struct error *e)
{
	struct outreach_period p;
	struct date today = clock_today_vn();
	p.from = (struct date){today.y - 5, 1, 1};
	p.to = today;
	json_t *all;
	enum err err =
		outreach_villages_of(req->db, req->arena, commune, &p, &all, e);
	if (err)
		return err;
	bool every;
	long long *own;
	int nown;
	err = recorder_scope(req, &every, &own, &nown, e);
	if (err) {
		json_decref(all);
		return err;
	}
	*out = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(all, i, v)
	{
		long long id = json_integer_value(json_object_get(v, "id"));
		if (!every && !in_list(own, nown, id))
			continue;
		json_object_set_new(
			v, "checked",
			json_boolean(in_list(checked, nchecked, id)));
		json_array_append(*out, v);
	}
	json_decref(all);
	return ERR_OK;
}

/* ---- the form ---- */

static json_t *channel_options(const char *sel)
{
	json_t *out = json_array();
	for (int i = 0; i < OUTREACH_NCHANNELS; i++)
		json_array_append_new(
			out,
			json_pack(
				"{s:s, s:s, s:b}", "key", outreach_channels[i],
				"label",
				outreach_channel_label_vi(outreach_channels[i]),
				"selected", is(sel, outreach_channels[i])));
	return out;
}

static enum err topic_options(struct request *req, long long sel, bool all,
			      json_t **out, struct error *e)
{
	enum err err = outreach_topics(req->db, req->arena, all, out, e);
	if (err)
		return err;
	size_t i;
	json_t *t;
	json_array_foreach(*out, i, t) json_object_set_new(
		t, "selected",
		json_boolean(json_integer_value(json_object_get(t, "id")) ==
			     sel));
	return ERR_OK;
}

/* The dimensions (checkboxes) and their indicators (a select per
 * dimension), the chosen ones marked. */
static enum err link_options(struct request *req, int year,
			     const char *const *links, int nlinks, json_t **out,
			     struct error *e)
{
	enum err err = plan_link_choices(req->db, req->arena, year, out, e);
	if (err)
		return err;
	size_t i, j;
	json_t *d, *in;
	json_array_foreach(*out, i, d)
	{
		const char *code =
			json_string_value(json_object_get(d, "code"));
		bool on = false;
		for (int k = 0; k < nlinks && !on; k++)
			on = is(links[k], code);
		json_object_set_new(d, "checked", json_boolean(on));
		json_array_foreach(json_object_get(d, "indicators"), j, in)
		{
			const char *c =
				json_string_value(json_object_get(in, "code"));
			const char *v =
				arena_printf(req->arena, "%s:%s", code, c);
			bool sel = false;
			for (int k = 0; k < nlinks && !sel; k++)
				sel = is(links[k], v);
			json_object_set_new(in, "value", json_string(v));
			json_object_set_new(in, "selected", json_boolean(sel));
		}
	}
	return ERR_OK;
}

static void activity_from_form(struct request *req, struct outreach_activity *x,
			       struct field_problems *fp)
{
	x->channel = trimmed(req, "channel");
	x->topic_id = id_param(req, "topic_id");
	x->held_on = date_param(req, "held_on");
	x->title = trimmed(req, "title");
	x->note = trimmed(req, "note");
	const char *aud = trimmed(req, "audience");
	char *end;
	x->audience = *aud ? strtoll(aud, &end, 10) : 0;
	if (*aud && (*end || x->audience < 0))
		x->audience = -1; /* the check names it */
	if (x->topic_id < 0)
		x->topic_id = 0;
	const char *v[OUTREACH_VILLAGES_MAX + 1];
	int n = req_params_all(req, "villages", v, OUTREACH_VILLAGES_MAX + 1);
	x->nvillages = 0;
	for (int i = 0; i < n && i < OUTREACH_VILLAGES_MAX; i++) {
		char *e2;
		long long id = strtoll(v[i], &e2, 10);
		x->villages[x->nvillages++] = *e2 || id <= 0 ? -1 : id;
	}
	if (n > OUTREACH_VILLAGES_MAX && fp->n < 32)
		fp->list[fp->n++] =
			(struct field_problem){"villages", "too many villages",
					       "Chọn nhiều nhất 64 thôn."};
	const char *l[OUTREACH_LINKS_MAX + 1];
	n = req_params_all(req, "links", l, OUTREACH_LINKS_MAX + 1);
	x->nlinks = 0;
	for (int i = 0; i < n && i < OUTREACH_LINKS_MAX; i++)
		if (*l[i])
			x->links[x->nlinks++] = l[i];
}

/* The form's context: values, options, errors left to the caller. */
static enum err form_ctx(struct request *req, long long commune,
			 const struct outreach_activity *x, bool editing,
			 json_t **ctx, struct error *e)
{
	json_t *topics = NULL, *villages = NULL, *links = NULL;
	struct date d;
	int year = x->held_on && date_parse_iso(x->held_on, &d)
			   ? d.y
			   : clock_today_vn().y;
	enum err err = topic_options(req, x->topic_id, false, &topics, e);
	if (!err)
		err = village_boxes(req, commune, x->villages, x->nvillages,
				    &villages, e);
	if (!err)
		err = link_options(req, year, x->links, x->nlinks, &links, e);
	if (err) {
		json_decref(topics);
		json_decref(villages);
		json_decref(links);
		return err;
	}
	*ctx = json_pack(
		"{s:o, s:o, s:o, s:o, s:I, s:I, s:b, s:s, s:{s:s, s:s, "
		"s:s, s:s}, s:b}",
		"channels", channel_options(x->channel), "topics", topics,
		"villages", villages, "links", links, "commune_id",
		(json_int_t)commune, "id", (json_int_t)x->id, "editing",
		editing, "action",
		editing ? arena_printf(req->arena, "/outreach/%lld/edit", x->id)
			: "/outreach/new",
		"values", "held_on", show_date(req, x->held_on), "title",
		x->title ? x->title : "", "note", x->note ? x->note : "",
		"audience",
		x->audience > 0 ? arena_printf(req->arena, "%lld", x->audience)
				: "",
		"one_village", json_array_size(villages) == 1);
	return *ctx ? ERR_OK : error_set(e, ERR_NOMEM, "form: out of memory");
}

static enum err get_new(struct request *req, struct response *res)
{
	struct error e = {0};
	long long *ids;
	int n;
	enum err err = user_communes(req, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!n)
		return forbidden(req, res,
				 "Tài khoản của bạn không thuộc xã nào nên "
				 "không ghi được hoạt động tuyên truyền.");
	long long commune = pick_commune(req, ids, n);
	struct outreach_activity x = {0};
	char today[11];
	date_format_iso(clock_today_vn(), today);
	x.held_on = arena_strdup(req->arena, today);
	x.channel = "village_meeting";
	/* a village head's own village is ticked already */
	long long *own;
	int nown;
	bool every;
	err = recorder_scope(req, &every, &own, &nown, &e);
	for (int i = 0; !err && !every && i < nown && i < 4; i++)
		x.villages[x.nvillages++] = own[i];
	json_t *ctx;
	if (!err)
		err = form_ctx(req, commune, &x, false, &ctx, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_page(req, res, 200, T_FORM, "Ghi hoạt động tuyên truyền",
			ctx);
}

/* Saves the form (new or edit); x->id set for an edit. */
static enum err save_form(struct request *req, struct response *res,
			  struct outreach_activity *x, long long commune)
{
	struct error e = {0};
	struct field_problems fp = {0};
	bool editing = x->id > 0;
	activity_from_form(req, x, &fp);
	x->commune_id = commune;
	/* a village head records only for their own villages */
	bool every;
	long long *own;
	int nown;
	enum err err = recorder_scope(req, &every, &own, &nown, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!every && !has_role(req, ROLE_OFFICE))
		for (int i = 0; i < x->nvillages; i++)
			if (x->villages[i] > 0 &&
			    !in_list(own, nown, x->villages[i]))
				return forbidden(
					req, res,
					"Trưởng thôn chỉ ghi hoạt động tuyên "
					"truyền ở thôn của mình.");
	const struct upload *files[ATTACHMENTS_MAX_PER_RECORD + 1];
	int nfiles = req_uploads(req, "files", files,
				 ATTACHMENTS_MAX_PER_RECORD + 1);
	struct actor who = actor_of(req);
	if (!fp.n)
		err = outreach_save(req->db, req->arena, &who, x, files, nfiles,
				    &fp, &e);
	if (fp.n || err == ERR_INVALID) {
		json_t *ctx;
		if (form_ctx(req, commune, x, editing, &ctx, &e))
			return res_fail(req, res, ERR_DB, &e);
		return res_invalid(req, res, T_FORM,
				   editing ? "Sửa hoạt động tuyên truyền"
					   : "Ghi hoạt động tuyên truyền",
				   ctx, errors_json(&fp));
	}
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/outreach/%lld", x->id),
		editing ? "Đã lưu thay đổi." : "Đã ghi hoạt động tuyên truyền.",
		json_pack("{s:I}", "id", (json_int_t)x->id));
}

static enum err post_new(struct request *req, struct response *res)
{
	struct error e = {0};
	long long *ids;
	int n;
	enum err err = user_communes(req, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!n)
		return forbidden(req, res,
				 "Tài khoản của bạn không thuộc xã nào nên "
				 "không ghi được hoạt động tuyên truyền.");
	struct outreach_activity x = {0};
	return save_form(req, res, &x, pick_commune(req, ids, n));
}

/* The activity of route argument 0, which the user must see. */
static bool load(struct request *req, struct response *res,
		 struct outreach_activity *x, enum err *out)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	long long *ids;
	int n;
	*out = ERR_OK;
	enum err err = id > 0 ? outreach_get(req->db, req->arena, id, x, &e)
			      : ERR_NOTFOUND;
	if (!err)
		err = user_communes(req, &ids, &n, &e);
	if (err == ERR_NOTFOUND || (!err && !in_list(ids, n, x->commune_id))) {
		*out = res_error(req, res, 404, NULL);
		return false;
	}
	if (err) {
		*out = res_fail(req, res, err, &e);
		return false;
	}
	return true;
}

static bool can_edit(struct request *req, const struct outreach_activity *x)
{
	if (has_role(req, ROLE_OFFICE))
		return true;
	return has_role(req, RECORD_ROLES) && x->created_by > 0 &&
	       x->created_by == req->user->id;
}

static enum err get_one(struct request *req, struct response *res)
{
	struct outreach_activity x;
	enum err err;
	if (!load(req, res, &x, &err))
		return err;
	struct error e = {0};
	json_t *j;
	err = outreach_json(req->db, req->arena, &x, &j, &e);
	if (err)
		return res_fail(req, res, err, &e);
	json_object_set_new(j, "can_edit", json_boolean(can_edit(req, &x)));
	return res_page(req, res, 200, T_ONE, "Hoạt động tuyên truyền", j);
}

static enum err get_edit(struct request *req, struct response *res)
{
	struct outreach_activity x;
	enum err err;
	if (!load(req, res, &x, &err))
		return err;
	if (!can_edit(req, &x)) {
		/* a reader who may record, but not this one: its page, which
		 * offers no edit link (the POST is refused with a message) */
		res_redirect(res, arena_printf(req->arena, "%s/outreach/%lld",
					       req->api ? "/api" : "", x.id));
		return ERR_OK;
	}
	struct error e = {0};
	json_t *ctx;
	err = form_ctx(req, x.commune_id, &x, true, &ctx, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_page(req, res, 200, T_FORM, "Sửa hoạt động tuyên truyền",
			ctx);
}

static enum err post_edit(struct request *req, struct response *res)
{
	struct outreach_activity x;
	enum err err;
	if (!load(req, res, &x, &err))
		return err;
	if (!can_edit(req, &x))
		return forbidden(req, res,
				 "Chỉ Văn phòng hoặc người đã ghi hoạt động "
				 "này được sửa.");
	long long id = x.id, commune = x.commune_id;
	memset(&x, 0, sizeof x);
	x.id = id;
	return save_form(req, res, &x, commune);
}

/* ---- the list and its export ---- */

struct list_query {
	struct outreach_filter f;
	const char *channel, *dimension, *from, *to, *q;
	long long topic, village;
	int year;
	const char *period_error;
};

static void read_filters(struct request *req, struct list_query *lq)
{
	memset(lq, 0, sizeof *lq);
	lq->channel = trimmed(req, "channel");
	lq->dimension = trimmed(req, "dimension");
	lq->from = date_param(req, "from");
	lq->to = date_param(req, "to");
	lq->q = trimmed(req, "q");
	lq->topic = id_param(req, "topic");
	lq->village = id_param(req, "village");
	long long y = id_param(req, "year");
	lq->year = y >= 2000 && y <= 9998 ? (int)y : 0;
	/* unknown values filter nothing rather than everything */
	if (!outreach_channel_label_vi(lq->channel))
		lq->channel = "";
	if (!(lq->dimension[0] == 'D' && lq->dimension[1] >= '1' &&
	      lq->dimension[1] <= '8' && !lq->dimension[2]))
		lq->dimension = "";
	if (lq->topic < 0)
		lq->topic = 0;
	if (lq->village < 0)
		lq->village = 0;
	struct date d;
	if (*lq->from && !date_parse_iso(lq->from, &d)) {
		lq->period_error = "Ngày “từ” không hợp lệ (nhập dd/mm/yyyy).";
		lq->from = "";
	}
	if (*lq->to && !date_parse_iso(lq->to, &d)) {
		lq->period_error = "Ngày “đến” không hợp lệ (nhập dd/mm/yyyy).";
		lq->to = "";
	}
	long long page = id_param(req, "page");
	lq->f.page = page > 0 && page < 100000 ? (int)page : 1;
	lq->f.per_page = LIST_PER_PAGE;
	lq->f.channel = *lq->channel ? lq->channel : NULL;
	lq->f.dimension = *lq->dimension ? lq->dimension : NULL;
	lq->f.topic_id = lq->topic;
	lq->f.village_id = lq->village;
	lq->f.q = *lq->q ? lq->q : NULL;
	if (lq->year) {
		lq->f.from = arena_printf(req->arena, "%d-01-01", lq->year);
		lq->f.to = arena_printf(req->arena, "%d-12-31", lq->year);
	} else {
		lq->f.from = *lq->from ? lq->from : NULL;
		lq->f.to = *lq->to ? lq->to : NULL;
	}
}

/* key=value&... of the filters in force (without page), for links. */
static const char *filter_query(struct request *req,
				const struct list_query *lq)
{
	struct arena *a = req->arena;
	const struct {
		const char *k, *v;
	} kv[] = {
		{"commune_id", trimmed(req, "commune_id")},
		{"village",
		 lq->village ? arena_printf(a, "%lld", lq->village) : ""},
		{"topic", lq->topic ? arena_printf(a, "%lld", lq->topic) : ""},
		{"dimension", lq->dimension},
		{"channel", lq->channel},
		{"year", lq->year ? arena_printf(a, "%d", lq->year) : ""},
		{"from", lq->year ? "" : lq->from},
		{"to", lq->year ? "" : lq->to},
		{"q", lq->q},
	};
	char buf[QUERY_MAX];
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
		if (!kv[i].v || !*kv[i].v)
			continue;
		const char *enc = form_encode(a, kv[i].v);
		int n = snprintf(buf + len, sizeof buf - len, "%s%s=%s",
				 len ? "&" : "", kv[i].k, enc ? enc : "");
		if (n < 0 || (size_t)n >= sizeof buf - len)
			break; /* a longer query is cut: the links still work */
		len += (size_t)n;
	}
	return arena_strdup(a, buf);
}

static json_t *dimension_options(const char *sel)
{
	static const char *const names[] = {
		"D1 – Tham gia của người dân ở cấp cơ sở",
		"D2 – Công khai, minh bạch",
		"D3 – Trách nhiệm giải trình với người dân",
		"D4 – Kiểm soát tham nhũng trong khu vực công",
		"D5 – Thủ tục hành chính công",
		"D6 – Cung ứng dịch vụ công",
		"D7 – Quản trị môi trường",
		"D8 – Quản trị điện tử",
	};
	json_t *out = json_array();
	for (int i = 0; i < 8; i++) {
		char code[3] = {'D', (char)('1' + i), 0};
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:b}", "key", code, "label",
				       names[i], "selected", is(sel, code)));
	}
	return out;
}

/* The options of the filter form (villages of the chosen commune). */
static enum err filter_options(struct request *req, long long commune,
			       const struct list_query *lq, json_t *ctx,
			       struct error *e)
{
	json_t *topics = NULL, *villages = NULL;
	struct outreach_period p = {{2000, 1, 1}, clock_today_vn()};
	enum err err = topic_options(req, lq->topic, true, &topics, e);
	/* the coverage page's rows are the villages: no select there */
	if (!err && commune > 0 && !json_object_get(ctx, "villages"))
		err = outreach_villages_of(req->db, req->arena, commune, &p,
					   &villages, e);
	if (err) {
		json_decref(topics);
		return err;
	}
	if (!villages)
		villages = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(villages, i, v) json_object_set_new(
		v, "selected",
		json_boolean(json_integer_value(json_object_get(v, "id")) ==
			     lq->village));
	json_t *years = json_array();
	int this_year = clock_today_vn().y;
	for (int y = this_year; y >= this_year - 6; y--)
		json_array_append_new(years,
				      json_pack("{s:i, s:b}", "year", y,
						"selected", y == lq->year));
	/* not "topics" and "villages": the coverage matrix has those */
	json_object_set_new(ctx, "topic_options", topics);
	json_object_set_new(ctx, "village_options", villages);
	json_object_set_new(ctx, "channels", channel_options(lq->channel));
	json_object_set_new(ctx, "dimensions",
			    dimension_options(lq->dimension));
	json_object_set_new(ctx, "years", years);
	json_object_set_new(ctx, "filters",
			    json_pack("{s:s, s:s, s:s}", "q", lq->q, "from",
				      lq->year ? "" : show_date(req, lq->from),
				      "to",
				      lq->year ? "" : show_date(req, lq->to)));
	return ERR_OK;
}

static enum err get_list(struct request *req, struct response *res)
{
	struct error e = {0};
	long long *ids;
	int n;
	struct list_query lq;
	read_filters(req, &lq);
	enum err err = user_communes(req, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	long long commune = pick_commune(req, ids, n);
	long long one = commune;
	/* with several communes (the upper level), one at a time */
	lq.f.communes = commune ? &one : ids;
	lq.f.ncommunes = commune ? 1 : 0;
	if (commune) {
		long long *lin;
		int nl;
		err = units_lineage(req->db, req->arena, commune, &lin, &nl,
				    &e);
		if (err)
			return res_fail(req, res, err, &e);
		lq.f.communes = lin;
		lq.f.ncommunes = nl;
	}
	const char *q = filter_query(req, &lq);
	/* kept at the database's version, like the matrix: the page's rows
	 * and its filter form under the commune, filters and page */
	long long v = 0;
	const char *data;
	size_t len;
	const char *key = arena_printf(req->arena, "outreach.list.%lld.%d.%s",
				       commune, lq.f.page, q);
	bool on = key && pv_cache_on() &&
		  !pvdb_version(req->db, req->arena, &v, &e);
	json_t *list = on && pv_cache_get(req->arena, key, v, &data, &len)
			       ? json_loadb(data, len, 0, NULL)
			       : NULL;
	if (!list) {
		err = outreach_list(req->db, req->arena, &lq.f, &list, &e);
		if (!err)
			err = filter_options(req, commune, &lq, list, &e);
		if (err) {
			json_decref(list);
			return res_fail(req, res, err, &e);
		}
		char *dump = on ? json_dumps(list, JSON_COMPACT) : NULL;
		if (dump) {
			pv_cache_put(key, v, dump, strlen(dump));
			free(dump);
		}
	}
	long long page = json_integer_value(json_object_get(list, "page"));
	long long pages = json_integer_value(json_object_get(list, "pages"));
	if (page > 1)
		json_object_set_new(
			list, "prev_href",
			json_string(arena_printf(req->arena,
						 "/outreach?%s%spage=%lld", q,
						 *q ? "&" : "", page - 1)));
	if (page < pages)
		json_object_set_new(
			list, "next_href",
			json_string(arena_printf(req->arena,
						 "/outreach?%s%spage=%lld", q,
						 *q ? "&" : "", page + 1)));
	json_t *more =
		json_pack("{s:s, s:b, s:s, s:s, s:s, s:s?, s:b, s:o}", "query",
			  q, "filtered", *q != 0, "page_of",
			  arena_printf(req->arena, "Trang %lld/%lld", page,
				       pages ? pages : 1),
			  "csv_href",
			  arena_printf(req->arena, "/outreach/export.csv%s%s",
				       *q ? "?" : "", q),
			  "xlsx_href",
			  arena_printf(req->arena, "/outreach/export.xlsx%s%s",
				       *q ? "?" : "", q),
			  "period_error", lq.period_error, "can_record",
			  has_role(req, RECORD_ROLES), "communes",
			  commune_options(req, ids, n, commune));
	json_object_update(list, more);
	json_decref(more);
	many_communes(list);
	json_object_set_new(list, "can_topics",
			    json_boolean(has_role(req, ROLE_OFFICE)));
	if (lq.period_error)
		return res_invalid(req, res, T_LIST, "Tuyên truyền", list,
				   json_pack("{s:s}", "from", lq.period_error));
	return res_page(req, res, 200, T_LIST, "Tuyên truyền", list);
}

static const char *const export_headers[] = {
	"Mã",
	"Ngày",
	"Hình thức",
	"Chủ đề",
	"Nội dung",
	"Thôn",
	"Số thôn",
	"Số người dự",
	"Lĩnh vực, chỉ số PAPI",
	"Số tệp minh chứng",
	"Xã",
};
enum { NEXPORT = sizeof export_headers / sizeof *export_headers };

/* The list's rows as a sheet (header first). */
static enum err export_sheet(struct request *req, struct arena *a,
			     struct sheet *out, struct error *e)
{
	long long *ids;
	int n;
	struct list_query lq;
	read_filters(req, &lq);
	enum err err = user_communes(req, &ids, &n, e);
	if (err)
		return err;
	long long commune = pick_commune(req, ids, n);
	long long *lin = NULL;
	int nl = 0;
	if (commune)
		err = units_lineage(req->db, a, commune, &lin, &nl, e);
	if (err)
		return err;
	lq.f.communes = lin;
	lq.f.ncommunes = nl;
	lq.f.per_page = 0;
	lq.f.page = 1;
	json_t *list;
	err = outreach_list(req->db, a, &lq.f, &list, e);
	if (err)
		return err;
	json_t *rows = json_object_get(list, "activities");
	size_t nr = json_array_size(rows);
	const char **cells =
		arena_alloc(a, sizeof(char *) * ((nr + 1) * NEXPORT + 1));
	if (!cells) {
		json_decref(list);
		return error_set(e, ERR_NOMEM, "export: out of memory");
	}
	for (int c = 0; c < NEXPORT; c++)
		cells[c] = export_headers[c];
	for (size_t i = 0; i < nr; i++) {
		json_t *r = json_array_get(rows, i);
		const char *keys[NEXPORT] = {
			"id",    "held_on",  "channel_vi",   "topic_vi",
			"title", "villages", "nvillages",    "audience",
			"links", "nfiles",   "commune_name",
		};
		for (int c = 0; c < NEXPORT; c++) {
			json_t *v = json_object_get(r, keys[c]);
			const char *s =
				json_is_integer(v)
					? arena_printf(
						  a, "%lld",
						  (long long)json_integer_value(
							  v))
					: arena_strdup(
						  a,
						  json_string_value(v)
							  ? json_string_value(v)
							  : "");
			cells[(i + 1) * NEXPORT + c] = s ? s : "";
		}
	}
	json_decref(list);
	*out = (struct sheet){(int)nr + 1, NEXPORT, cells};
	return ERR_OK;
}

static enum err export(struct request *req, struct response *res, bool xlsx) {
	struct arena a; arena_init(&a, EXPORT_ARENA); struct error e = {0};
	struct sheet s; unsigned char *bytes = NULL; size_t len = 0;
	enum err err = export_sheet(req, &a, &s, &e);
	if (!err && xlsx){static const char *const names[] = {"Tuyên truyền"};
			  err = xlsx_write(&a, names, &s, 1, &bytes, &len, &e);}
else if (!err)
{
	bytes = (unsigned char *)bulk_sheet_csv(&a, &s, &len);
	if (!bytes)
		err = error_set(&e, ERR_NOMEM, "export: out of memory");
}
char *body = err ? NULL : arena_alloc_uninit(req->arena, len + 1);
if (body)
	memcpy(body, bytes, len);
arena_release(&a);
if (err)
	return res_fail(req, res, err, &e);
if (!body)
	return res_fail(req, res, ERR_NOMEM,
			&(struct error){ERR_NOMEM, "export: out of memory"});
res->status = 200;
res->content_type = xlsx ? "application/vnd.openxmlformats-"
			   "officedocument.spreadsheetml.sheet"
			 : "text/csv; charset=utf-8";
res->body = body;
res->len = len;
res_header(res, "Content-Disposition",
	   xlsx ? "attachment; filename=\"tuyen-truyen.xlsx\""
		: "attachment; filename=\"tuyen-truyen.csv\"");
res_header(res, "Cache-Control", "private, no-store");
return ERR_OK;
}

static enum err get_export_csv(struct request *req, struct response *res)
{
	return export(req, res, false);
}

static enum err get_export_xlsx(struct request *req, struct response *res)
{
	return export(req, res, true);
}

/* ---- coverage ---- */

/* The matrix, kept at the database's version under its commune and
 * filters when views_cache is on (plan views' cache): every change is
 * audited, which moves the version, so a kept matrix is never stale. */
static enum err coverage_kept(struct request *req, long long commune,
			      const struct list_query *lq,
			      const struct outreach_period *p, json_t **out,
			      struct error *e)
{
	long long v = 0;
	const char *data;
	size_t len;
	char from[11], to[11];
	date_format_iso(p->from, from);
	date_format_iso(p->to, to);
	const char *key = arena_printf(
		req->arena, "outreach.coverage.%lld.%s.%s.%d.%lld.%s.%s",
		commune, from, to, lq->year, lq->topic, lq->dimension,
		lq->channel);
	bool on = key && pv_cache_on() &&
		  !pvdb_version(req->db, req->arena, &v, e);
	if (on && pv_cache_get(req->arena, key, v, &data, &len)) {
		*out = json_loadb(data, len, 0, NULL);
		if (*out)
			return ERR_OK;
	}
	enum err err = outreach_coverage(req->db, req->arena, commune, &lq->f,
					 p, out, e);
	if (!err)
		err = filter_options(req, commune, lq, *out, e);
	if (err || !on)
		return err;
	char *dump = json_dumps(*out, JSON_COMPACT);
	if (dump) {
		pv_cache_put(key, v, dump, strlen(dump));
		free(dump);
	}
	return ERR_OK;
}

static enum err get_coverage(struct request *req, struct response *res)
{
	struct error e = {0};
	long long *ids;
	int n;
	struct list_query lq;
	read_filters(req, &lq);
	enum err err = user_communes(req, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	long long commune = pick_commune(req, ids, n);
	if (!commune)
		return forbidden(req, res,
				 "Tài khoản của bạn không thuộc xã nào.");
	struct outreach_period p;
	const char *en, *vi;
	bool ok = outreach_period_make(lq.year, trimmed(req, "from"),
				       trimmed(req, "to"), clock_today_vn(), &p,
				       &en, &vi);
	if (!ok)
		outreach_period_make(0, NULL, NULL, clock_today_vn(), &p, &en,
				     &en);
	json_t *cov;
	err = coverage_kept(req, commune, &lq, &p, &cov, &e);
	if (err)
		return res_fail(req, res, err, &e);
	/* the year box shows the period's year when it is a whole year */
	char from[11], to[11];
	date_format_iso(p.from, from);
	date_format_iso(p.to, to);
	bool whole_year = p.from.m == 1 && p.from.d == 1 && p.to.m == 12 &&
			  p.to.d == 31 && p.from.y == p.to.y;
	json_t *years = json_object_get(cov, "years");
	size_t i;
	json_t *y;
	json_array_foreach(years, i, y) json_object_set_new(
		y, "selected",
		json_boolean(whole_year && json_integer_value(json_object_get(
						   y, "year")) == p.from.y));
	const char *q = filter_query(req, &lq);
	struct unit u;
	if (units_get(req->db, req->arena, commune, &u, &e))
		u.full_name = "";
	json_t *more = json_pack(
		"{s:s, s:s, s:s, s:s, s:b, s:o, s:I, s:b, s:b}", "period_vi",
		arena_printf(req->arena, "%s – %s", show_date(req, from),
			     show_date(req, to)),
		"commune_name", u.full_name ? u.full_name : "", "query", q,
		"list_href",
		arena_printf(req->arena, "/outreach%s%s", *q ? "?" : "", q),
		/* the box opens when it narrows more than the period */
		"filtered", lq.topic || *lq.channel || *lq.dimension,
		"communes", commune_options(req, ids, n, commune), "commune_id",
		(json_int_t)commune, "has_gaps",
		json_array_size(json_object_get(cov, "gaps")) > 0, "one_topic",
		lq.topic > 0);
	json_object_update(cov, more);
	json_decref(more);
	many_communes(cov);
	json_t *first = json_array_get(json_object_get(cov, "topics"), 0);
	json_object_set_new(
		cov, "topic_name",
		json_string(first ? json_string_value(
					    json_object_get(first, "name_vi"))
				  : ""));
	if (!ok) {
		return res_invalid(req, res, T_COVERAGE, "Độ phủ tuyên truyền",
				   cov, json_pack("{s:s}", "from", vi));
	}
	return res_page(req, res, 200, T_COVERAGE, "Độ phủ tuyên truyền", cov);
}

/* ---- topics ---- */

static enum err topics_page(struct request *req, struct response *res,
			    int status, json_t *errors)
{
	struct error e = {0};
	json_t *topics;
	enum err err = outreach_topics(req->db, req->arena, true, &topics, &e);
	if (err)
		return res_fail(req, res, err, &e);
	size_t i;
	json_t *t;
	json_array_foreach(topics, i, t)
	{
		const char *d =
			json_string_value(json_object_get(t, "dimension"));
		json_object_set_new(t, "dimensions", dimension_options(d));
	}
	err = outreach_topic_counts(req->db, req->arena, topics, &e);
	if (err) {
		json_decref(topics);
		return res_fail(req, res, err, &e);
	}
	json_t *ctx = json_pack("{s:o, s:b, s:o}", "topics", topics, "can_edit",
				has_role(req, ROLE_OFFICE), "dimensions",
				dimension_options(NULL));
	if (errors)
		return res_invalid(req, res, T_TOPICS, "Chủ đề tuyên truyền",
				   ctx, errors);
	return res_page(req, res, status, T_TOPICS, "Chủ đề tuyên truyền", ctx);
}

static enum err get_topics(struct request *req, struct response *res)
{
	return topics_page(req, res, 200, NULL);
}

static enum err post_topics(struct request *req, struct response *res)
{
	if (!has_role(req, ROLE_OFFICE))
		return forbidden(req, res,
				 "Chỉ Văn phòng – Thống kê được sửa danh sách "
				 "chủ đề.");
	struct error e = {0};
	struct field_problems fp = {0};
	long long id = id_param(req, "id");
	if (id < 0)
		return res_error(req, res, 404, NULL);
	/* the order: 0 when empty, -1 (refused, named) when no number */
	const char *os = trimmed(req, "ord");
	char *oend;
	long long ord = *os ? strtoll(os, &oend, 10) : 0;
	if (*os && (*oend || ord < 0 || ord > 10000))
		ord = -1;
	/* a box's last value wins: the hidden 0, then the ticked 1 */
	const char *vals[2];
	int nact = req_params_all(req, "active", vals, 2);
	const char *act = nact ? vals[nact < 2 ? nact - 1 : 1] : "";
	/* none sent: a new topic is in use; JSON's false is left out */
	bool active = nact ? is(act, "1") || is(act, "on") || is(act, "true")
			   : id == 0;
	struct actor who = actor_of(req);
	enum err err = outreach_topic_save(
		req->db, req->arena, &who, &id, trimmed(req, "name_vi"),
		trimmed(req, "dimension"), (int)ord, active, &fp, &e);
	if (err == ERR_INVALID && fp.n)
		return topics_page(req, res, 422, errors_json(&fp));
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res, "/outreach/topics", "Đã lưu chủ đề.",
			json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- files ---- */

/* Evidence of an activity: whoever sees the activity's commune. */
static bool can_read_file(struct request *req, const char *owner,
			  long long owner_id)
{
	(void)owner;
	struct outreach_activity x;
	struct error e = {0};
	long long *ids;
	int n;
	if (!req->user || !(req->user->roles & READ_ROLES) ||
	    outreach_get(req->db, req->arena, owner_id, &x, &e) ||
	    plan_user_communes(req, &ids, &n, &e))
		return false;
	return in_list(ids, n, x.commune_id);
}

void outreach_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/outreach", get_list, READ_ROLES, "outreach"},
		{"GET", "/outreach/export.csv", get_export_csv, READ_ROLES,
		 "outreach"},
		{"GET", "/outreach/export.xlsx", get_export_xlsx, READ_ROLES,
		 "outreach"},
		{"GET", "/outreach/new", get_new, RECORD_ROLES, "outreach"},
		{"POST", "/outreach/new", post_new, RECORD_ROLES, "outreach"},
		{"GET", "/outreach/coverage", get_coverage, READ_ROLES,
		 "outreach"},
		{"GET", "/outreach/topics", get_topics, READ_ROLES, "outreach"},
		{"POST", "/outreach/topics", post_topics, ROLE_OFFICE,
		 "outreach"},
		{"GET", "/outreach/{id}", get_one, READ_ROLES, "outreach"},
		{"GET", "/outreach/{id}/edit", get_edit, RECORD_ROLES,
		 "outreach"},
		{"POST", "/outreach/{id}/edit", post_edit, RECORD_ROLES,
		 "outreach"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	attachment_register_owner("outreach_activity", can_read_file);
	news_http_register();
}
