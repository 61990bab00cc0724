/* The staff pages of voice/ (voice_http.h): the list of cases with its
 * filters, keying in a case that came on paper, by phone, at a reception
 * day, a village meeting or through the national portal (with the similar
 * open cases shown before it is saved), one case with its clock, history,
 * files and the steps this user may take, the answer drafted from a
 * template and approved or sent back, a denouncer's identity shown once on
 * request, and the statistics.
 *
 * Who may do what: the route table admits the roles of voice.h's table;
 * every case page also checks voice_can_see (a case the user may not see
 * is "not found", so its existence is not told), and each step the
 * narrower voice_can_manage / voice_can_handle / voice_can_approve /
 * voice_can_see_identity. Every page has its /api twin. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "voice.h"
#include "voice_http.h"
#include "voice_staff_db.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../files/attachment.h"
#include "../http/form.h"
#include "../base/banned.h"

#define T_LIST "voice/list"
#define T_NEW "voice/new"
#define T_RECEIPT "voice/receipt"
#define T_CASE "voice/case"
#define T_SIMILAR "voice/similar"
#define T_STATS "voice/stats"

#define STAFF_ROLES                                                            \
	(ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE | ROLE_UNIT_HEAD |         \
	 ROLE_OFFICER)
#define READ_ROLES (STAFF_ROLES | ROLE_FRONT | ROLE_INSPECTION | ROLE_UPPER)

enum {
	LIST_PER_PAGE = 20,
	SIMILAR_MAX = 5,
	QUERY_MAX = 2000, /* bytes of a list's filter query string */
	EXTEND_DAYS_MAX = 365,
};

/* ---- small helpers ---- */

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

/* A date field as YYYY-MM-DD; the text as typed when it is no date (the
 * storage's check then says so), NULL when empty. */
static const char *date_param(struct request *req, const char *name)
{
	const char *v = trimmed(req, name);
	struct date d;
	if (!*v)
		return NULL;
	if (!text_parse_date(v, &d))
		return v;
	char buf[11];
	date_format_iso(d, buf);
	return arena_strdup(req->arena, buf);
}

static const char *today_iso(struct request *req)
{
	char buf[11];
	date_format_iso(clock_today_vn(), buf);
	return arena_strdup(req->arena, buf);
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

static void problem(struct field_problems *fp, const char *field,
		    const char *en, const char *vi)
{
	if (fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){field, en, vi};
}

static const char msg_conflict[] =
	"Hồ sơ không còn ở trạng thái cho phép việc này (có thể người khác "
	"vừa xử lý). Vui lòng tải lại trang.";

static enum err fail(struct request *req, struct response *res, enum err err,
		     const struct error *e)
{
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409, msg_conflict);
	return res_fail(req, res, err, e);
}

static enum err forbidden(struct request *req, struct response *res,
			  const char *msg_vi)
{
	return res_error(req, res, 403, msg_vi);
}

static bool is(const char *s, const char *t)
{
	return s && !strcmp(s, t);
}

/* [{key, label, selected}] from labels of keys. */
static json_t *key_options(const char *const *keys, int n,
			   const char *(*label)(const char *), const char *sel)
{
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "key",
						     keys[i], "label",
						     label(keys[i]), "selected",
						     is(sel, keys[i])));
	return out;
}

static const char *const type_keys[] = {"feedback", "petition", "complaint",
					"denunciation"};
/* What staff key in: "online" and "open311" come by themselves. */
static const char *const staff_channels[] = {"paper", "phone", "reception",
					     "meeting", "portal"};

/* The urgency flag: a word and a colour class beside the due day. */
static void add_flag(json_t *row, const char *urgency)
{
	const char *vi = "", *cls = "";
	if (is(urgency, "overdue")) {
		vi = "quá hạn";
		cls = "overdue";
	} else if (is(urgency, "due_soon")) {
		vi = "sắp đến hạn";
		cls = "due-soon";
	} else if (urgency && *urgency) {
		vi = "trong hạn";
		cls = "on-track";
	}
	json_object_set_new(row, "flag_vi", json_string(vi));
	json_object_set_new(row, "flag_class", json_string(cls));
}

/* "còn 3 ngày", "hôm nay đến hạn", "quá hạn 2 ngày" */
static const char *days_left_text(struct arena *a, json_t *days_left)
{
	if (!json_is_integer(days_left))
		return "";
	long long d = json_integer_value(days_left);
	if (d > 0)
		return arena_printf(a, "còn %lld ngày", d);
	if (d == 0)
		return "đến hạn hôm nay";
	return arena_printf(a, "quá hạn %lld ngày", -d);
}

/* The communes of the user (plan_user_communes); ERR_OK with n == 0 when
 * none. */
static enum err user_communes(struct request *req, const long long **ids,
			      int *n, struct error *e)
{
	long long *list = NULL;
	enum err err = plan_user_communes(req, &list, n, e);
	*ids = list;
	return err;
}

/* (report:) ?commune=ID narrows the list to that one of the user's
 * communes (the dashboard's links count one commune); else all. */
static void narrow_to_commune(long long want, const long long **ids, int *n)
{
	for (int i = 0; want > 0 && i < *n; i++)
		if ((*ids)[i] == want) {
			*ids += i;
			*n = 1;
			return;
		}
}

/* Villages and professional units of a commune, for the selects:
 * [{id, name, selected}] each. */
static enum err place_options(struct request *req, long long commune,
			      long long village_sel, long long unit_sel,
			      json_t **villages, json_t **units,
			      struct error *e)
{
	json_t *all = NULL;
	*villages = *units = NULL;
	enum err err = plan_unit_choices(req->db, req->arena, commune, &all, e);
	if (err)
		return err;
	*villages = json_array();
	*units = json_array();
	size_t i;
	json_t *u;
	json_array_foreach(all, i, u)
	{
		const char *kind =
			json_string_value(json_object_get(u, "kind"));
		long long id = json_integer_value(json_object_get(u, "id"));
		const char *name =
			json_string_value(json_object_get(u, "name"));
		bool village = is(kind, "village");
		/* units in force only: an ended one takes no new case */
		if ((!village && !is(kind, "unit")) ||
		    json_is_string(json_object_get(u, "valid_to")))
			continue;
		json_array_append_new(
			village ? *villages : *units,
			json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
				  "name", name ? name : "", "selected",
				  id == (village ? village_sel : unit_sel)));
	}
	json_decref(all);
	return ERR_OK;
}

static enum err topic_options(struct request *req, long long sel, json_t **out,
			      struct error *e)
{
	enum err err = voice_topics(req->db, req->arena, out, e);
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

/* The case of route argument 0, which the user must see: one they may not
 * see is "not found" (its existence is not told). *done: the response was
 * made. */
static enum err load_case(struct request *req, struct response *res,
			  struct voice_case *c, bool *done)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	*done = true;
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = case_get(req->db, req->arena, id, c, &e);
	if (err)
		return fail(req, res, err, &e);
	if (!voice_can_see(req, c))
		return res_error(req, res, 404, NULL);
	*done = false;
	return ERR_OK;
}

static const char *case_href(struct request *req, long long id)
{
	return arena_printf(req->arena, "/voice/%lld", id);
}

/* ---- the list ---- */

struct list_query {
	struct case_filter f;
	const char *type, *status, *urgency, *from, *to, *q;
	long long topic, village, unit;
	long long commune; /* (report:) one of the user's communes, 0: all */
};

static void read_filters(struct request *req, struct list_query *lq)
{
	memset(lq, 0, sizeof *lq);
	lq->type = trimmed(req, "type");
	lq->status = trimmed(req, "status");
	lq->urgency = trimmed(req, "urgency");
	lq->from = date_param(req, "from");
	lq->to = date_param(req, "to");
	lq->q = trimmed(req, "q");
	lq->topic = id_param(req, "topic");
	lq->village = id_param(req, "village");
	lq->unit = id_param(req, "unit");
	lq->commune = id_param(req, "commune");
	lq->f.no_merged = is(param(req, "merged"), "0");
	/* unknown values filter nothing rather than everything */
	if (!case_type_label_vi(lq->type))
		lq->type = "";
	if (!is(lq->status, "open") && !case_status_label_vi(lq->status))
		lq->status = "";
	if (!is(lq->urgency, "overdue") && !is(lq->urgency, "due_soon"))
		lq->urgency = "";
	struct date d;
	if (lq->from && !date_parse_iso(lq->from, &d))
		lq->from = NULL;
	if (lq->to && !date_parse_iso(lq->to, &d))
		lq->to = NULL;
	if (lq->topic < 0)
		lq->topic = 0;
	if (lq->village < 0)
		lq->village = 0;
	if (lq->unit < 0)
		lq->unit = 0;
	long long page = id_param(req, "page");
	lq->f.page = page > 0 && page < 100000 ? (int)page : 1;
	lq->f.per_page = LIST_PER_PAGE;
	lq->f.case_type = *lq->type ? lq->type : NULL;
	lq->f.status = *lq->status ? lq->status : NULL;
	lq->f.urgency = *lq->urgency ? lq->urgency : NULL;
	lq->f.from = lq->from;
	lq->f.to = lq->to;
	lq->f.q = *lq->q ? lq->q : NULL;
	lq->f.topic_id = lq->topic;
	lq->f.village_id = lq->village;
	lq->f.unit_id = lq->unit;
}

/* What the user's roles let them list: the office, the chair and vice
 * chairs every case of their communes; a unit head their unit's; an
 * officer the cases they handle. */
static void restrict_to_user(struct request *req, struct case_filter *f)
{
	if (voice_can_manage(req) || voice_can_approve(req))
		return;
	unsigned roles = req->user ? req->user->roles : 0;
	if (roles & ROLE_UNIT_HEAD)
		f->unit_id = req->user->home_unit_id;
	else
		f->handler_id = req->user ? req->user->id : -1;
}

/* key=value&... of the filters in force (without page), for links. */
static const char *filter_query(struct request *req,
				const struct list_query *lq)
{
	struct arena *a = req->arena;
	const struct {
		const char *k, *v;
	} kv[] = {
		{"type", lq->type},
		{"status", lq->status},
		{"topic", lq->topic ? arena_printf(a, "%lld", lq->topic) : ""},
		{"village",
		 lq->village ? arena_printf(a, "%lld", lq->village) : ""},
		{"unit", lq->unit ? arena_printf(a, "%lld", lq->unit) : ""},
		{"urgency", lq->urgency},
		{"from", lq->from},
		{"to", lq->to},
		{"q", lq->q},
		{"commune",
		 lq->commune > 0 ? arena_printf(a, "%lld", lq->commune) : ""},
		{"merged", lq->f.no_merged ? "0" : ""},
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

static const char *status_or_open_label(const char *k)
{
	return is(k, "open") ? "Đang giải quyết (chưa xong)"
			     : case_status_label_vi(k);
}

static const char *urgency_label(const char *k)
{
	return is(k, "overdue") ? "Quá hạn" : "Sắp đến hạn";
}

static enum err get_list(struct request *req, struct response *res)
{
	struct error e = {0};
	/* the Front, the inspection board and the upper level read the
	 * statistics, not the cases */
	if (!req->user || !(req->user->roles & STAFF_ROLES)) {
		res_redirect(res,
			     req->api ? "/api/voice/stats" : "/voice/stats");
		return ERR_OK;
	}
	const long long *communes;
	int ncommunes;
	struct list_query lq;
	read_filters(req, &lq);
	enum err err = user_communes(req, &communes, &ncommunes, &e);
	if (err)
		return fail(req, res, err, &e);
	narrow_to_commune(lq.commune, &communes, &ncommunes);
	lq.f.communes = communes;
	lq.f.ncommunes = ncommunes;
	restrict_to_user(req, &lq.f);

	struct calendar cal;
	calendar_init(&cal);
	json_t *list = NULL, *topics = NULL, *villages = NULL, *units = NULL;
	err = calendar_db_load(req->db, req->arena, &cal, &e);
	if (!err)
		err = case_list(req->db, req->arena, &lq.f, &cal, &list, &e);
	calendar_release(&cal);
	if (!err)
		err = topic_options(req, lq.topic, &topics, &e);
	if (!err && ncommunes)
		err = place_options(
			req,
			voice_pick_commune(req, communes, ncommunes,
					   id_param(req, "commune_id")),
			lq.village, lq.unit, &villages, &units, &e);
	if (err) {
		json_decref(list);
		json_decref(topics);
		json_decref(villages);
		json_decref(units);
		return fail(req, res, err, &e);
	}
	json_t *cases = json_object_get(list, "cases");
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c)
	{
		add_flag(c, json_string_value(json_object_get(c, "urgency")));
		json_object_set_new(
			c, "days_left_vi",
			json_string(days_left_text(
				req->arena, json_object_get(c, "days_left"))));
	}
	const char *q = filter_query(req, &lq);
	long long page = json_integer_value(json_object_get(list, "page"));
	long long pages = json_integer_value(json_object_get(list, "pages"));
	if (page > 1)
		json_object_set_new(list, "prev_href",
				    json_string(arena_printf(
					    req->arena, "/voice?%s%spage=%lld",
					    q, *q ? "&" : "", page - 1)));
	if (page < pages)
		json_object_set_new(list, "next_href",
				    json_string(arena_printf(
					    req->arena, "/voice?%s%spage=%lld",
					    q, *q ? "&" : "", page + 1)));
	static const char *const status_filter[] = {
		"open",     "received", "accepted",  "forwarded",
		"refused",  "assigned", "verifying", "dialogue",
		"answered", "closed",   "merged"};
	static const char *const urgencies[] = {"overdue", "due_soon"};
	/* update copies: the packed object is dropped after */
	json_t *more = json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:s, s:s, "
		"s:s, s:b}",
		"types", key_options(type_keys, 4, case_type_label_vi, lq.type),
		"statuses",
		key_options(status_filter, 11, status_or_open_label, lq.status),
		"urgencies",
		key_options(urgencies, 2, urgency_label, lq.urgency), "topics",
		topics, "villages", villages ? villages : json_array(), "units",
		units ? units : json_array(), "filters",
		json_pack("{s:s, s:s, s:s}", "q", lq.q, "from",
			  lq.from ? text_format_date(req->arena, lq.from) : "",
			  "to",
			  lq.to ? text_format_date(req->arena, lq.to) : ""),
		"can_create", voice_can_manage(req), "query", q, "page_of",
		arena_printf(req->arena, "Trang %lld/%lld", page,
			     pages ? pages : 1),
		"today", text_format_date(req->arena, today_iso(req)),
		"filtered", *q != 0);
	json_object_update(list, more);
	json_decref(more);
	/* added by RULES: the settings link for who edits them */
	json_object_set_new(
		list, "can_settings",
		json_boolean(req->user->roles & (ROLE_CHAIR | ROLE_OFFICE)));
	return res_page(req, res, 200, T_LIST, "Tiếp nhận – giải quyết", list);
}

/* ---- keying in a case ---- */

static void case_from_form(struct request *req, struct voice_case *c)
{
	memset(c, 0, sizeof *c);
	c->case_type = trimmed(req, "case_type");
	c->channel = trimmed(req, "channel");
	c->portal_id = trimmed(req, "portal_id");
	c->title = trimmed(req, "title");
	c->body = trimmed(req, "body");
	c->citizen_name = trimmed(req, "citizen_name");
	c->citizen_phone = trimmed(req, "citizen_phone");
	c->citizen_address = trimmed(req, "citizen_address");
	c->received_on = date_param(req, "received_on");
	c->topic_id = id_param(req, "topic_id");
	c->village_id = id_param(req, "village_id");
	c->lat = c->lon = NAN;
	c->status = "received";
}

/* The form's context: the selects and the similar open cases (when
 * village and topic are known). visit: the reception visit the case is
 * opened from (0: none). */
static enum err new_ctx(struct request *req, long long commune,
			const struct voice_case *c, long long visit,
			json_t **ctx, struct error *e)
{
	json_t *topics = NULL, *villages = NULL, *units = NULL;
	json_t *similar = NULL;
	enum err err = topic_options(req, c->topic_id, &topics, e);
	if (!err)
		err = place_options(req, commune, c->village_id, 0, &villages,
				    &units, e);
	if (!err && c->village_id > 0 && c->topic_id > 0)
		err = case_similar(
			req->db, req->arena, commune, c->village_id,
			c->topic_id,
			arena_printf(req->arena, "%s %s", c->title, c->body), 0,
			SIMILAR_MAX, &similar, e);
	json_decref(units);
	if (err) {
		json_decref(topics);
		json_decref(villages);
		json_decref(similar);
		return err;
	}
	json_t *values = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "case_type",
		c->case_type ? c->case_type : "", "channel",
		c->channel ? c->channel : "", "portal_id",
		c->portal_id ? c->portal_id : "", "title",
		c->title ? c->title : "", "body", c->body ? c->body : "",
		"citizen_name", c->citizen_name ? c->citizen_name : "",
		"citizen_phone", c->citizen_phone ? c->citizen_phone : "",
		"citizen_address", c->citizen_address ? c->citizen_address : "",
		"received_on",
		c->received_on
			? text_format_date(req->arena, c->received_on)
				  ? text_format_date(req->arena, c->received_on)
				  : c->received_on
			: text_format_date(req->arena, today_iso(req)));
	*ctx = json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:I, s:I, s:b}", "types",
		key_options(type_keys, 4, case_type_label_vi, c->case_type),
		"channels",
		key_options(staff_channels, 5, case_channel_label_vi,
			    c->channel && *c->channel ? c->channel : "paper"),
		"topics", topics, "villages", villages, "similar",
		similar ? similar : json_array(), "values", values, "checked",
		similar != NULL, "commune_id", (json_int_t)commune, "visit_id",
		(json_int_t)visit, "from_visit", visit > 0);
	return *ctx ? ERR_OK : error_set(e, ERR_NOMEM, "out of memory");
}

static enum err get_new(struct request *req, struct response *res)
{
	struct error e = {0};
	const long long *communes;
	int n;
	enum err err = user_communes(req, &communes, &n, &e);
	if (err)
		return fail(req, res, err, &e);
	long long commune = voice_pick_commune(req, communes, n,
					       id_param(req, "commune_id"));
	if (!commune)
		return forbidden(req, res,
				 "Tài khoản của bạn không thuộc xã nào.");
	struct voice_case c;
	case_from_form(req, &c);
	/* from a reception visit: the visitor and what they raised */
	long long visit = id_param(req, "visit_id");
	if (visit > 0) {
		struct reception_visit v;
		long long vc = 0;
		err = vsdb_visit_get(req->db, req->arena, visit, &v, &vc, &e);
		if (err)
			return fail(req, res, err, &e);
		bool mine = false;
		for (int i = 0; i < n; i++)
			mine |= communes[i] == vc;
		if (!mine)
			return res_error(req, res, 404, NULL);
		if (v.case_id)
			return res_error(req, res, 409,
					 "Lượt tiếp này đã có hồ sơ.");
		commune = vc;
		c.channel = "reception";
		c.citizen_name = v.visitor_name;
		c.citizen_phone = v.visitor_phone;
		c.citizen_address = v.visitor_address;
		c.village_id = v.village_id;
		c.body = v.summary;
	}
	json_t *ctx;
	err = new_ctx(req, commune, &c, visit > 0 ? visit : 0, &ctx, &e);
	if (err)
		return fail(req, res, err, &e);
	return res_page(req, res, 200, T_NEW, "Nhập hồ sơ", ctx);
}

static enum err post_new(struct request *req, struct response *res)
{
	struct error e = {0};
	const long long *communes;
	int n;
	enum err err = user_communes(req, &communes, &n, &e);
	if (err)
		return fail(req, res, err, &e);
	long long commune = voice_pick_commune(req, communes, n,
					       id_param(req, "commune_id"));
	if (!commune)
		return forbidden(req, res,
				 "Tài khoản của bạn không thuộc xã nào.");
	struct voice_case c;
	case_from_form(req, &c);
	c.commune_id = commune;
	long long visit = id_param(req, "visit_id");
	if (visit < 0)
		visit = 0;
	struct field_problems fp = {0};
	if (c.topic_id < 0)
		problem(&fp, "topic_id", "unknown topic",
			"Chọn lĩnh vực trong danh sách.");
	if (c.village_id < 0)
		problem(&fp, "village_id", "unknown village",
			"Chọn thôn trong danh sách.");
	/* the "check" button: show the similar cases, save nothing */
	if (*param(req, "check") && !req->api) {
		json_t *ctx;
		err = new_ctx(req, commune, &c, visit, &ctx, &e);
		if (err)
			return fail(req, res, err, &e);
		return res_page(req, res, 200, T_NEW, "Nhập hồ sơ", ctx);
	}
	const struct upload *files[CASE_FILES_MAX + 1];
	int nfiles = req_uploads(req, "files", files, CASE_FILES_MAX + 1);
	if (nfiles > CASE_FILES_MAX)
		problem(&fp, "files", "too many files",
			"Tối đa 5 tệp ảnh hoặc PDF.");
	const char *secret = NULL;
	struct actor who = actor_of(req);
	if (fp.n)
		err = ERR_INVALID;
	else
		err = case_create(req->db, req->arena, &who, &c, files, nfiles,
				  &secret, &fp, &e);
	if (err == ERR_INVALID) {
		json_t *ctx;
		enum err err2 = new_ctx(req, commune, &c, visit, &ctx, &e);
		if (err2)
			return fail(req, res, err2, &e);
		return res_invalid(req, res, T_NEW, "Nhập hồ sơ", ctx,
				   errors_json(&fp));
	}
	if (err)
		return fail(req, res, err, &e);
	bool visit_ok = true;
	if (visit) {
		struct error ve = {0};
		if (vsdb_visit_link(req->db, req->arena, &who, visit, c.id,
				    &ve)) {
			/* the case is saved: say so, do not lose it */
			log_error("voice: visit not linked",
				  "case=%lld visit=%lld error=\"%s\"", c.id,
				  visit, ve.msg);
			visit_ok = false;
		}
	}
	json_t *result = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)c.id,
		"code", c.code ? c.code : "", "secret", secret ? secret : "",
		"received_on", c.received_on ? c.received_on : "", "due_on",
		c.due_on ? c.due_on : "", "href", case_href(req, c.id));
	if (req->api)
		return res_json(req, res, 201, result);
	/* the page shows the secret once: no redirect, the receipt itself */
	json_object_set_new(
		result, "type_vi",
		json_string(case_type_label_vi(c.case_type)
				    ? case_type_label_vi(c.case_type)
				    : ""));
	json_object_set_new(result, "title", json_string(c.title));
	json_object_set_new(result, "visit_ok", json_boolean(visit_ok));
	json_object_set_new(result, "visit_id", json_integer(visit));
	return res_page(req, res, 201, T_RECEIPT, "Phiếu tiếp nhận",
			json_pack("{s:o}", "receipt", result));
}

/* ---- similar open cases ---- */

static enum err get_similar(struct request *req, struct response *res)
{
	struct error e = {0};
	const long long *communes;
	int n;
	enum err err = user_communes(req, &communes, &n, &e);
	if (err)
		return fail(req, res, err, &e);
	long long commune = voice_pick_commune(req, communes, n,
					       id_param(req, "commune_id"));
	long long village = id_param(req, "village_id");
	long long topic = id_param(req, "topic_id");
	long long case_id = id_param(req, "case_id");
	json_t *list = NULL;
	if (commune && village > 0 && topic > 0)
		err = case_similar(req->db, req->arena, commune, village, topic,
				   param(req, "text"),
				   case_id > 0 ? case_id : 0, SIMILAR_MAX,
				   &list, &e);
	if (err)
		return fail(req, res, err, &e);
	return res_page(
		req, res, 200, T_SIMILAR, "Hồ sơ tương tự",
		json_pack("{s:o}", "similar", list ? list : json_array()));
}

/* ---- one case ---- */

/* The clock of the step running now: its rule, due day, days left. */
static enum err clock_json(struct request *req, const struct voice_case *c,
			   json_t **out, struct error *e)
{
	*out = json_object();
	const char *step = case_current_step(c->case_type, c->status);
	if (!step || !c->due_on)
		return ERR_OK;
	struct case_rules rules;
	struct calendar cal;
	enum err err = voice_rules_load(req->db, req->arena, &rules, e);
	if (err)
		return err;
	calendar_init(&cal);
	err = calendar_db_load(req->db, req->arena, &cal, e);
	if (err) {
		calendar_release(&cal);
		return err;
	}
	struct date start, due, today = clock_today_vn();
	const char *from = is(step, "resolve") && c->accepted_on
				   ? c->accepted_on
				   : c->received_on;
	if (!from || !date_parse_iso(from, &start))
		start = today;
	const struct case_rule *r =
		case_rule_find(&rules, c->case_type, step, start);
	if (r && r->start_event && is(r->start_event, "received") &&
	    c->received_on && date_parse_iso(c->received_on, &start))
		r = case_rule_find(&rules, c->case_type, step, start);
	static const struct {
		const char *k, *vi;
	} steps[] = {{"classify", "Phân loại, xử lý đơn"},
		     {"accept", "Thụ lý"},
		     {"resolve", "Giải quyết, trả lời"}};
	const char *step_vi = step;
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (is(step, steps[i].k))
			step_vi = steps[i].vi;
	json_object_set_new(*out, "step", json_string(step));
	json_object_set_new(*out, "step_vi", json_string(step_vi));
	json_object_set_new(*out, "due_on", json_string(c->due_on));
	if (date_parse_iso(c->due_on, &due)) {
		const char *urg = case_urgency(&cal, today, due);
		json_object_set_new(*out, "urgency", json_string(urg));
		add_flag(*out, urg);
		if (r) {
			json_t *dl = json_integer(
				case_days_left(r, &cal, today, due));
			json_object_set_new(
				*out, "days_left_vi",
				json_string(days_left_text(req->arena, dl)));
			json_object_set_new(*out, "days_left", dl);
		}
	}
	if (r) {
		json_object_set_new(*out, "legal_basis",
				    json_string(r->legal_basis));
		json_object_set_new(*out, "verified",
				    json_boolean(r->verified));
		json_object_set_new(
			*out, "length_vi",
			json_string(arena_printf(
				req->arena, "%d ngày %s",
				case_rule_length(r, c->complexity, c->remote),
				is(r->day_unit, "working") ? "làm việc"
							   : "(theo lịch)")));
		json_object_set_new(*out, "can_extend",
				    json_boolean(r->max_extensions > 0));
	}
	calendar_release(&cal);
	return ERR_OK;
}

/* "{noi_dung}" and the like in an answer template, filled from the case. */
static const char *fill_template(struct request *req,
				 const struct voice_case *c, json_t *cj,
				 const char *body)
{
	const char *about = c->title && *c->title ? c->title : c->body;
	const char *unit = json_string_value(json_object_get(cj, "unit_name"));
	const struct {
		const char *key, *value;
	} subst[] = {
		{"{noi_dung}", about ? about : ""},
		{"{don_vi}", unit && *unit ? unit : "bộ phận chuyên môn"},
		{"{ngay}", text_format_date(req->arena, today_iso(req))},
		{"{ma_ho_so}", c->code ? c->code : ""},
		{"{ngay_nhan}",
		 c->received_on ? text_format_date(req->arena, c->received_on)
				: ""},
	};
	size_t cap = strlen(body) + 1;
	for (size_t i = 0; i < sizeof subst / sizeof *subst; i++)
		cap += strlen(subst[i].value ? subst[i].value : "") * 4;
	if (cap > CASE_BODY_MAX * 8)
		cap = CASE_BODY_MAX * 8;
	char *out = arena_alloc(req->arena, cap + 1);
	size_t o = 0;
	for (const char *p = body; *p && o < cap;) {
		bool hit = false;
		for (size_t i = 0; i < sizeof subst / sizeof *subst && !hit;
		     i++) {
			size_t kl = strlen(subst[i].key);
			if (strncmp(p, subst[i].key, kl))
				continue;
			const char *v = subst[i].value ? subst[i].value : "";
			size_t vl = strlen(v);
			if (o + vl > cap)
				vl = cap - o;
			memcpy(out + o, v, vl);
			o += vl;
			p += kl;
			hit = true;
		}
		if (!hit)
			out[o++] = *p++;
	}
	out[o] = 0;
	return out;
}

/* The answer being worked on: the latest draft, submitted or returned
 * one (NULL when none), and the one awaiting review. */
static void answers_state(json_t *cj, json_t **working, json_t **pending)
{
	*working = *pending = NULL;
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(cj, "answers"), i, a)
	{
		const char *st =
			json_string_value(json_object_get(a, "status"));
		if (is(st, "submitted"))
			*pending = a;
		if (is(st, "draft") || is(st, "returned") ||
		    is(st, "submitted"))
			*working = a; /* oldest first: the last one wins */
	}
}

static const char *answer_status_vi(const char *s)
{
	return is(s, "draft")       ? "Bản nháp"
	       : is(s, "submitted") ? "Đang chờ duyệt"
	       : is(s, "approved")  ? "Đã duyệt"
	       : is(s, "returned")  ? "Bị trả lại"
				    : "";
}

/* The whole case page. fp: problems of a form posted on it (NULL: none);
 * identity: shown once, after the request for it. */
static enum err case_page(struct request *req, struct response *res,
			  const struct voice_case *c,
			  const struct field_problems *fp, json_t *identity)
{
	struct error e = {0};
	json_t *cj = NULL, *clock = NULL, *villages = NULL, *units = NULL;
	json_t *handlers = NULL, *templates = NULL;
	enum err err = case_json(req->db, req->arena, c, false, &cj, &e);
	if (!err)
		err = clock_json(req, c, &clock, &e);
	bool manage = voice_can_manage(req), handle = voice_can_handle(req, c);
	bool approve = voice_can_approve(req);
	const char *st = c->status, *ty = c->case_type;
	bool can_assign = manage && case_can_move(ty, st, "assigned");
	if (!err && can_assign)
		err = place_options(req, c->commune_id, 0, c->unit_id,
				    &villages, &units, &e);
	if (!err && can_assign)
		err = plan_user_choices(req->db, req->arena, c->commune_id,
					&handlers, &e);
	bool can_draft = handle && (is(st, "assigned") || is(st, "verifying") ||
				    is(st, "dialogue"));
	if (!err && can_draft)
		err = voice_templates(req->db, req->arena, c->commune_id,
				      c->topic_id, &templates, &e);
	json_decref(villages);
	if (err) {
		json_decref(cj);
		json_decref(clock);
		json_decref(units);
		json_decref(handlers);
		json_decref(templates);
		json_decref(identity);
		return fail(req, res, err, &e);
	}
	size_t i;
	json_t *h;
	json_array_foreach(handlers, i, h) json_object_set_new(
		h, "selected",
		json_boolean(json_integer_value(json_object_get(h, "id")) ==
			     c->handler_id));

	json_t *working, *pending;
	answers_state(cj, &working, &pending);
	json_t *a;
	json_array_foreach(json_object_get(cj, "answers"), i, a)
	{
		json_object_set_new(
			a, "status_vi",
			json_string(answer_status_vi(json_string_value(
				json_object_get(a, "status")))));
		json_object_set_new(
			a, "returned",
			json_boolean(is(
				json_string_value(json_object_get(a, "status")),
				"returned")));
	}
	/* the answer box: a chosen template, else the draft being worked on */
	long long tpl = id_param(req, "template");
	const char *draft = NULL;
	json_t *t;
	json_array_foreach(templates, i, t)
	{
		const char *body =
			json_string_value(json_object_get(t, "body"));
		const char *filled =
			fill_template(req, c, cj, body ? body : "");
		json_object_set_new(t, "filled", json_string(filled));
		bool sel = json_integer_value(json_object_get(t, "id")) == tpl;
		json_object_set_new(t, "selected", json_boolean(sel));
		if (sel)
			draft = filled;
	}
	if (!draft && fp && req_param(req, "body"))
		draft = param(req, "body");
	if (!draft && working)
		draft = json_string_value(json_object_get(working, "body"));
	bool open = c->due_on != NULL || is(st, "received") ||
		    is(st, "accepted") || is(st, "assigned") ||
		    is(st, "verifying") || is(st, "dialogue");
	json_t *actions = json_pack(
		"{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, "
		"s:b}",
		"accept", manage && case_can_move(ty, st, "accepted"),
		"forward", manage && case_can_move(ty, st, "forwarded"),
		"refuse", manage && case_can_move(ty, st, "refused"), "assign",
		can_assign, "verify",
		handle && case_can_move(ty, st, "verifying"), "dialogue",
		handle && case_can_move(ty, st, "dialogue"), "close",
		manage && case_can_move(ty, st, "closed"), "extend",
		manage && open && c->due_on &&
			json_is_true(json_object_get(clock, "can_extend")),
		"merge", manage && case_can_move(ty, st, "merged"), "draft",
		can_draft && !pending, "review", approve && pending != NULL,
		"publish",
		manage && !c->published &&
			(is(ty, "feedback") || is(ty, "petition")) &&
			(is(st, "answered") || is(st, "closed")),
		"unpublish", manage && c->published);
	/* extensions (from the history) and the notes of answers sent back */
	json_t *extensions = json_array(), *returned = json_array();
	json_t *ev;
	json_array_foreach(
		json_object_get(cj, "events"), i,
		ev) if (is(json_string_value(json_object_get(ev, "kind")),
			   "extend")) json_array_append(extensions, ev);
	json_array_foreach(
		json_object_get(cj, "answers"), i,
		a) if (is(json_string_value(json_object_get(a, "status")),
			  "returned")) json_array_append(returned, a);
	json_object_set_new(cj, "rating_vi",
			    json_string(is(c->rating, "satisfied") ? "Hài lòng"
					: is(c->rating, "unsatisfied")
						? "Không hài lòng"
						: ""));
	bool any = false;
	const char *k;
	json_t *v;
	/* drafting and review have their own boxes */
	json_object_foreach(actions, k, v) any |=
		json_is_true(v) && strcmp(k, "draft") && strcmp(k, "review");
	bool sealed = is(ty, "denunciation");
	json_t *ctx = json_pack(
		"{s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:s, s:O, s:b, s:b, s:b, "
		"s:s, s:o}",
		"case", cj, "clock", clock, "actions", actions, "any_action",
		any, "units", units ? units : json_array(), "handlers",
		handlers ? handlers : json_array(), "templates",
		templates ? templates : json_array(), "draft",
		draft ? draft : "", "pending", pending ? pending : json_null(),
		"sealed", sealed, "can_identity",
		sealed && c->has_identity && voice_can_see_identity(req, c),
		"identity_shown", identity != NULL, "today",
		text_format_date(req->arena, today_iso(req)), "identity",
		identity ? identity : json_null());
	json_object_set_new(ctx, "extensions", extensions);
	json_object_set_new(ctx, "returned", returned);
	const char *title =
		arena_printf(req->arena, "Hồ sơ %s", c->code ? c->code : "");
	if (fp && fp->n)
		return res_invalid(req, res, T_CASE, title, ctx,
				   errors_json(fp));
	return res_page(req, res, 200, T_CASE, title, ctx);
}

static enum err get_case(struct request *req, struct response *res)
{
	struct voice_case c;
	bool done;
	enum err err = load_case(req, res, &c, &done);
	if (done)
		return err;
	return case_page(req, res, &c, NULL, NULL);
}

/* ---- the steps ---- */

static enum err post_act(struct request *req, struct response *res)
{
	struct voice_case c;
	bool done;
	enum err err = load_case(req, res, &c, &done);
	if (done)
		return err;
	const char *kind = trimmed(req, "kind");
	bool office_step = is(kind, "accept") || is(kind, "forward") ||
			   is(kind, "refuse") || is(kind, "assign") ||
			   is(kind, "close");
	bool handler_step = is(kind, "verify") || is(kind, "dialogue");
	if (!office_step && !handler_step)
		return res_error(req, res, 422, "Thao tác không hợp lệ.");
	if (office_step && !voice_can_manage(req))
		return forbidden(req, res,
				 "Chỉ văn phòng UBND xã thụ lý, chuyển, trả "
				 "đơn, giao xử lý và kết thúc hồ sơ.");
	if (handler_step && !voice_can_handle(req, &c))
		return forbidden(req, res,
				 "Chỉ đơn vị, cán bộ được giao mới ghi nhận "
				 "xác minh, đối thoại.");
	struct field_problems fp = {0};
	struct case_action act = {
		.kind = kind,
		.note = trimmed(req, "note"),
		.on = date_param(req, "on"),
		.forwarded_to = trimmed(req, "forwarded_to"),
		.reason = trimmed(req, "reason"),
		.complexity = -1,
		.remote = -1,
	};
	act.unit_id = id_param(req, "unit_id");
	act.handler_id = id_param(req, "handler_id");
	if (act.unit_id < 0) {
		act.unit_id = 0;
		problem(&fp, "unit_id", "unknown unit",
			"Chọn bộ phận trong danh sách.");
	}
	if (act.handler_id < 0)
		act.handler_id = 0;
	const char *cx = trimmed(req, "complexity");
	if (*cx)
		act.complexity = is(cx, "1") ? 1 : is(cx, "2") ? 2 : 0;
	const char *rm = trimmed(req, "remote");
	if (*rm)
		act.remote = is(rm, "1") || is(rm, "on") || is(rm, "true");
	struct actor who = actor_of(req);
	struct error e = {0};
	err = fp.n ? ERR_INVALID
		   : case_act(req->db, req->arena, &who, c.id, &act, &fp, &e);
	if (err == ERR_INVALID) {
		struct voice_case now;
		if (case_get(req->db, req->arena, c.id, &now, &e))
			now = c;
		return case_page(req, res, &now, &fp, NULL);
	}
	if (err)
		return fail(req, res, err, &e);
	struct voice_case now;
	err = case_get(req->db, req->arena, c.id, &now, &e);
	if (err)
		return fail(req, res, err, &e);
	return res_done(
		req, res, case_href(req, c.id), "Đã ghi nhận.",
		json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)c.id,
			  "kind", kind, "status", now.status, "due_on",
			  now.due_on ? json_string(now.due_on) : json_null()));
}

static enum err post_extend(struct request *req, struct response *res)
{
	struct voice_case c;
	bool done;
	enum err err = load_case(req, res, &c, &done);
	if (done)
		return err;
	struct field_problems fp = {0};
	long long days = id_param(req, "days");
	if (days <= 0 || days > EXTEND_DAYS_MAX) {
		problem(&fp, "days", "days must be 1-365",
			"Số ngày gia hạn phải là số từ 1 đến 365.");
		days = 0;
	}
	struct actor who = actor_of(req);
	struct error e = {0};
	err = fp.n ? ERR_INVALID
		   : case_extend(req->db, req->arena, &who, c.id, (int)days,
				 trimmed(req, "reason"),
				 trimmed(req, "document"),
				 date_param(req, "decided_on"), &fp, &e);
	if (err == ERR_INVALID)
		return case_page(req, res, &c, &fp, NULL);
	if (err)
		return fail(req, res, err, &e);
	struct voice_case now;
	err = case_get(req->db, req->arena, c.id, &now, &e);
	if (err)
		return fail(req, res, err, &e);
	return res_done(
		req, res, case_href(req, c.id), "Đã gia hạn giải quyết.",
		json_pack("{s:I, s:o}", "id", (json_int_t)c.id, "due_on",
			  now.due_on ? json_string(now.due_on) : json_null()));
}

static enum err post_merge(struct request *req, struct response *res)
{
	struct voice_case c;
	bool done;
	enum err err = load_case(req, res, &c, &done);
	if (done)
		return err;
	struct field_problems fp = {0};
	struct error e = {0};
	/* the case to merge into, by its code (or its id, from the API) */
	const char *code = trimmed(req, "into");
	long long into = 0;
	if (*code) {
		err = vsdb_case_by_code(req->db, req->arena, code, &into, &e);
		if (err)
			return fail(req, res, err, &e);
		if (!into) {
			char *end;
			long long id = strtoll(code, &end, 10);
			if (!*end && id > 0)
				into = id;
		}
		/* a case the user may not see is no case for them */
		struct voice_case other;
		struct error oe = {0};
		if (into && (case_get(req->db, req->arena, into, &other, &oe) ||
			     !voice_can_see(req, &other)))
			into = 0;
	}
	if (!into)
		problem(&fp, "into", "no case with that code",
			"Không tìm thấy hồ sơ có mã này trong xã.");
	else if (into == c.id)
		problem(&fp, "into", "a case cannot be merged into itself",
			"Không gộp hồ sơ vào chính nó.");
	struct actor who = actor_of(req);
	err = fp.n ? ERR_INVALID
		   : case_merge(req->db, req->arena, &who, c.id, into, &fp, &e);
	if (err == ERR_INVALID)
		return case_page(req, res, &c, &fp, NULL);
	if (err)
		return fail(req, res, err, &e);
	return res_done(req, res, case_href(req, into),
			"Đã gộp hồ sơ. Người gửi vẫn tra cứu được bằng mã "
			"của mình.",
			json_pack("{s:I, s:I}", "id", (json_int_t)c.id,
				  "merged_into", (json_int_t)into));
}

static enum err post_answer(struct request *req, struct response *res)
{
	struct voice_case c;
	bool done;
	enum err err = load_case(req, res, &c, &done);
	if (done)
		return err;
	if (!voice_can_handle(req, &c))
		return forbidden(req, res,
				 "Chỉ đơn vị, cán bộ được giao giải quyết mới "
				 "soạn trả lời.");
	const struct upload *files[CASE_FILES_MAX + 1];
	int nfiles = req_uploads(req, "files", files, CASE_FILES_MAX + 1);
	struct field_problems fp = {0};
	if (nfiles > CASE_FILES_MAX)
		problem(&fp, "files", "too many files",
			"Tối đa 5 tệp ảnh hoặc PDF.");
	const char *sub = trimmed(req, "submit");
	bool submit = is(sub, "1") || is(sub, "true") || is(sub, "on");
	struct actor who = actor_of(req);
	struct error e = {0};
	long long answer_id = 0;
	err = fp.n ? ERR_INVALID
		   : case_answer_save(req->db, req->arena, &who, c.id,
				      trimmed(req, "body"), submit, files,
				      nfiles, &answer_id, &fp, &e);
	if (err == ERR_INVALID)
		return case_page(req, res, &c, &fp, NULL);
	if (err)
		return fail(req, res, err, &e);
	return res_done(req, res, case_href(req, c.id),
			submit ? "Đã trình lãnh đạo duyệt câu trả lời."
			       : "Đã lưu bản nháp.",
			json_pack("{s:I, s:I, s:s}", "id", (json_int_t)c.id,
				  "answer_id", (json_int_t)answer_id, "status",
				  submit ? "submitted" : "draft"));
}

static enum err post_review(struct request *req, struct response *res)
{
	long long answer_id = req_arg_id(req, 0);
	const char *decision = trimmed(req, "decision");
	bool approve = is(decision, "approve");
	struct field_problems fp = {0};
	struct actor who = actor_of(req);
	struct error e = {0};
	if (answer_id <= 0)
		return res_error(req, res, 404, NULL);
	/* the answer's case (whatever case_id the form sent): the user must
	 * see it, and comes back to it */
	long long case_id = 0;
	struct voice_case c;
	enum err err =
		vsdb_answer_case(req->db, req->arena, answer_id, &case_id, &e);
	if (!err)
		err = case_get(req->db, req->arena, case_id, &c, &e);
	if (err)
		return fail(req, res, err, &e);
	if (!voice_can_see(req, &c))
		return res_error(req, res, 404, NULL);
	if (!approve && !is(decision, "return"))
		return res_error(req, res, 422,
				 "Chọn duyệt hoặc trả lại câu trả lời.");
	err = case_answer_review(req->db, req->arena, &who, answer_id, approve,
				 trimmed(req, "note"), &fp, &e);
	if (err == ERR_INVALID)
		return case_page(req, res, &c, &fp, NULL);
	if (err)
		return fail(req, res, err, &e);
	return res_done(req, res, case_href(req, c.id),
			approve ? "Đã duyệt. Người dân xem được câu trả lời."
				: "Đã trả lại câu trả lời kèm ý kiến.",
			json_pack("{s:I, s:I, s:s}", "answer_id",
				  (json_int_t)answer_id, "case_id",
				  (json_int_t)c.id, "status",
				  approve ? "approved" : "returned"));
}

static enum err post_publish(struct request *req, struct response *res)
{
	struct voice_case c;
	bool done;
	enum err err = load_case(req, res, &c, &done);
	if (done)
		return err;
	const char *p = trimmed(req, "published");
	bool published = !is(p, "0") && !is(p, "false");
	struct actor who = actor_of(req);
	struct error e = {0};
	err = case_publish(req->db, req->arena, &who, c.id, published, &e);
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409,
				 "Chỉ công khai được phản ánh, kiến nghị đã "
				 "có câu trả lời.");
	if (err)
		return fail(req, res, err, &e);
	return res_done(req, res, case_href(req, c.id),
			published ? "Đã công khai câu trả lời."
				  : "Đã thôi công khai câu trả lời.",
			json_pack("{s:I, s:b}", "id", (json_int_t)c.id,
				  "published", published));
}

static enum err post_identity(struct request *req, struct response *res)
{
	struct voice_case c;
	struct error e0 = {0};
	long long cid = req_arg_id(req, 0);
	if (cid <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = case_get(req->db, req->arena, cid, &c, &e0);
	if (err)
		return fail(req, res, err, &e0);
	/* refused alike whether the case is unseen or only its identity */
	if (!c.has_identity || !voice_can_see_identity(req, &c))
		return forbidden(req, res,
				 "Danh tính người tố cáo được bảo mật: chỉ "
				 "Chủ tịch UBND xã và người được giao giải "
				 "quyết được xem.");
	struct actor who = actor_of(req);
	struct error e = {0};
	err = case_identity(req->db, req->arena, &who, &c, &e);
	if (err)
		return fail(req, res, err, &e);
	json_t *id = json_pack(
		"{s:s, s:s, s:s}", "name", c.citizen_name ? c.citizen_name : "",
		"phone", c.citizen_phone ? c.citizen_phone : "", "address",
		c.citizen_address ? c.citizen_address : "");
	if (req->api)
		return res_json(req, res, 200,
				json_pack("{s:I, s:o}", "id", (json_int_t)c.id,
					  "identity", id));
	/* shown on this response only; the page is not kept by the browser */
	res_header(res, "Cache-Control", "no-store");
	return case_page(req, res, &c, NULL, id);
}

/* ---- statistics ---- */

static const char *dimension_vi(const char *d)
{
	static const char *const names[] = {
		"Tham gia của người dân ở cấp cơ sở",
		"Công khai, minh bạch trong việc ra quyết định",
		"Trách nhiệm giải trình với người dân",
		"Kiểm soát tham nhũng trong khu vực công",
		"Thủ tục hành chính công",
		"Cung ứng dịch vụ công",
		"Quản trị môi trường",
		"Quản trị điện tử"};
	if (d && d[0] == 'D' && d[1] >= '1' && d[1] <= '8' && !d[2])
		return names[d[1] - '1'];
	return "";
}

static enum err get_stats(struct request *req, struct response *res)
{
	struct error e = {0};
	const long long *communes;
	int n;
	enum err err = user_communes(req, &communes, &n, &e);
	if (err)
		return fail(req, res, err, &e);
	narrow_to_commune(id_param(req, "commune"), &communes, &n);
	const char *from = date_param(req, "from"), *to = date_param(req, "to");
	struct date d;
	if (from && !date_parse_iso(from, &d))
		from = NULL;
	if (to && !date_parse_iso(to, &d))
		to = NULL;
	json_t *st = NULL;
	err = voice_stats(req->db, req->arena, communes, n, from, to, &st, &e);
	if (err)
		return fail(req, res, err, &e);
	size_t i, k;
	json_t *row, *t;
	/* each dimension with the topics that carry it, for the links */
	json_array_foreach(json_object_get(st, "by_dimension"), i, row)
	{
		const char *dim =
			json_string_value(json_object_get(row, "dimension"));
		if (!json_object_get(row, "name_vi"))
			json_object_set_new(row, "name_vi",
					    json_string(dimension_vi(dim)));
		json_t *topics = json_array();
		json_array_foreach(json_object_get(st, "by_topic"), k, t) if (
			is(json_string_value(json_object_get(t, "dimension")),
			   dim)) json_array_append(topics, t);
		json_object_set_new(row, "topics", topics);
	}
	/* "2026-03" -> "03/2026" */
	json_array_foreach(json_object_get(st, "by_month"), i, row)
	{
		const char *m =
			json_string_value(json_object_get(row, "month"));
		if (m && strlen(m) == 7)
			json_object_set_new(
				row, "month_vi",
				json_string(arena_printf(
					req->arena, "%.2s/%.4s", m + 5, m)));
	}
	json_object_set_new(
		st, "filters",
		json_pack("{s:s, s:s}", "from",
			  from ? text_format_date(req->arena, from) : "", "to",
			  to ? text_format_date(req->arena, to) : ""));
	json_object_set_new(
		st, "can_list",
		json_boolean(req->user && (req->user->roles & STAFF_ROLES)));
	return res_page(req, res, 200, T_STATS,
			"Thống kê tiếp nhận – giải quyết", st);
}

/* ---- files ---- */

static bool can_read_case_file(struct request *req, const char *owner,
			       long long owner_id)
{
	struct voice_case c;
	struct error e = {0};
	(void)owner;
	if (case_get(req->db, req->arena, owner_id, &c, &e))
		return false;
	return req->user && voice_can_see(req, &c);
}

/* An answer's files: staff who see the case; everybody once the answer
 * is approved and the case's answer published. */
static bool can_read_answer_file(struct request *req, const char *owner,
				 long long owner_id)
{
	struct voice_case c;
	struct error e = {0};
	json_t *cj = NULL;
	long long case_id = 0;
	(void)owner;
	if (vsdb_answer_case(req->db, req->arena, owner_id, &case_id, &e) ||
	    case_get(req->db, req->arena, case_id, &c, &e))
		return false;
	if (req->user && voice_can_see(req, &c))
		return true;
	if (!c.published)
		return false;
	bool approved = false;
	if (!case_json(req->db, req->arena, &c, true, &cj, &e)) {
		size_t i;
		json_t *a;
		json_array_foreach(json_object_get(cj, "answers"), i, a)
		{
			approved |=
				json_integer_value(json_object_get(a, "id")) ==
					owner_id &&
				is(json_string_value(
					   json_object_get(a, "status")),
				   "approved");
		}
	}
	json_decref(cj);
	return approved;
}

void voice_staff_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/voice", get_list, READ_ROLES, "voice"},
		{"GET", "/voice/new", get_new, ROLE_OFFICE, "voice"},
		{"POST", "/voice/new", post_new, ROLE_OFFICE, "voice"},
		{"GET", "/voice/similar", get_similar, STAFF_ROLES, "voice"},
		{"GET", "/voice/stats", get_stats, READ_ROLES, "voice"},
		{"GET", "/voice/{id}", get_case, STAFF_ROLES, "voice"},
		{"POST", "/voice/{id}/act", post_act,
		 ROLE_OFFICE | ROLE_UNIT_HEAD | ROLE_OFFICER, "voice"},
		{"POST", "/voice/{id}/extend", post_extend, ROLE_OFFICE,
		 "voice"},
		{"POST", "/voice/{id}/merge", post_merge, ROLE_OFFICE, "voice"},
		{"POST", "/voice/{id}/answer", post_answer,
		 ROLE_UNIT_HEAD | ROLE_OFFICER, "voice"},
		{"POST", "/voice/answers/{id}/review", post_review,
		 ROLE_CHAIR | ROLE_VICE_CHAIR, "voice"},
		{"POST", "/voice/{id}/publish", post_publish, ROLE_OFFICE,
		 "voice"},
		{"POST", "/voice/{id}/identity", post_identity,
		 ROLE_CHAIR | ROLE_UNIT_HEAD | ROLE_OFFICER, "voice"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	attachment_register_owner("case", can_read_case_file);
	attachment_register_owner("case_answer", can_read_answer_file);
}

/* For the plan's by-dimension page: what citizens raised per dimension
 * (voice_stats' by_dimension). */
static enum err citizens_by_dimension(struct db *db, struct arena *a,
				      const long long *communes, int n,
				      const char *from, const char *to,
				      json_t **out, struct error *e)
{
	json_t *stats = NULL;
	enum err err = voice_stats(db, a, communes, n, from, to, &stats, e);
	if (err)
		return err;
	*out = json_incref(json_object_get(stats, "by_dimension"));
	json_decref(stats);
	if (!*out)
		*out = json_array();
	return ERR_OK;
}

void voice_http_register(void)
{
	plan_citizens_register(citizens_by_dimension);
	voice_staff_http_register();
	voice_public_http_register();
	open311_http_register();
	reception_http_register();
	voice_settings_http_register();
}
