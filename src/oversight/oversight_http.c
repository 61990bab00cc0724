/* The pages of oversight/: the list of inspections and supervisions, the
 * list of recommendations with their state, the supervisor's read-only
 * view, CSV/XLSX export, the inspection form (with its files), one
 * inspection with its findings and recommendations, and the actions that
 * follow a recommendation to its fix (verify, reopen).
 *
 * Who may do what (oversight.h): the route table lets the recording roles
 * at the forms; each handler checks the kind (the chair's side records
 * the commune's inspections, the boards theirs, the front its own) and
 * the commune (plan_can_see). Every page has its /api twin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oversight.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../cli.h"
#include "../files/attachment.h"
#include "../http/form.h"
#include "../base/banned.h"

#define T_LIST "oversight/list"
#define T_RECS "oversight/recommendations"
#define T_SUPERVISE "oversight/supervise"
#define T_FORM "oversight/form"
#define T_SHOW "oversight/inspection"

#define RECORD_ROLES                                                           \
	(ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE | ROLE_INSPECTION |        \
	 ROLE_FRONT)
#define SUPERVISE_ROLES                                                        \
	(ROLE_FRONT | ROLE_INSPECTION | ROLE_CHAIR | ROLE_VICE_CHAIR |         \
	 ROLE_OFFICE | ROLE_UPPER)

enum { LIST_PER_PAGE = 20, QUERY_MAX = 2048, EXPORT_ARENA = 256 << 20 };

static const char msg_not_yours[] =
	"Cuộc kiểm tra, giám sát này thuộc xã khác: bạn không xem được.";

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

/* 0 when empty, -1 when not a positive whole number. */
static long long id_param(struct request *req, const char *name)
{
	const char *v = trimmed(req, name);
	if (!*v)
		return 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	return *end || n <= 0 ? -1 : n;
}

/* YYYY-MM-DD; the text as typed when it is no date (the check says so),
 * NULL when empty. */
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

static const char *date_value(struct request *req, const char *iso)
{
	struct date d;
	if (!iso)
		return "";
	if (!date_parse_iso(iso, &d))
		return iso;
	const char *s = text_format_date(req->arena, iso);
	return s ? s : iso;
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

static enum err fail(struct request *req, struct response *res, enum err err,
		     const struct error *e)
{
	return res_fail(req, res, err, e);
}

/* The commune of the user's first role (where what they record goes). */
static long long home_commune(struct request *req)
{
	long long c = 0;
	struct error e = {0};
	if (req->user && req->user->home_unit_id)
		plan_commune_of(req->db, req->arena, req->user->home_unit_id,
				&c, &e);
	return c;
}

static enum err load_inspection(struct request *req, struct response *res,
				long long id, struct inspection *in, bool *done)
{
	struct error e = {0};
	*done = true;
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = inspection_get(req->db, req->arena, id, in, &e);
	if (err)
		return fail(req, res, err, &e);
	if (!plan_can_see(req, in->commune_id))
		return res_error(req, res, 403, msg_not_yours);
	*done = false;
	return ERR_OK;
}

static const char *kind_refused_vi(const char *kind)
{
	if (kind && !strcmp(kind, "inspection"))
		return "Chỉ Chủ tịch, Phó Chủ tịch và Văn phòng UBND xã ghi "
		       "và xác nhận kết quả kiểm tra của xã.";
	if (kind && !strcmp(kind, "front"))
		return "Chỉ Ủy ban MTTQ xã ghi và xác nhận kết quả giám sát "
		       "của Mặt trận.";
	return "Chỉ Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng "
	       "đồng ghi và xác nhận kết quả giám sát của Ban.";
}

static bool may_record(const struct request *req, const char *kind)
{
	return req->user && oversight_can_record(req->user->roles, kind);
}

/* ---- choices ---- */

/* The commune's units (for the unit inspected and the unit that fixes)
 * and villages: [{id, label, selected}]. */
static enum err unit_options(struct request *req, long long commune,
			     long long unit_sel, const long long *villages_sel,
			     int nvillages, json_t **units, json_t **villages,
			     struct error *e)
{
	json_t *all;
	*units = json_array();
	*villages = json_array();
	if (commune <= 0)
		return ERR_OK;
	enum err err = plan_unit_choices(req->db, req->arena, commune, &all, e);
	if (err)
		return err;
	size_t i;
	json_t *u;
	json_array_foreach(all, i, u)
	{
		long long id = json_integer_value(json_object_get(u, "id"));
		const char *kind =
			json_string_value(json_object_get(u, "kind"));
		const char *name =
			json_string_value(json_object_get(u, "full_name"));
		/* units no longer in force stay choosable for old records,
		 * but the commune itself is "the whole commune" (0) */
		if (kind && !strcmp(kind, "commune"))
			continue;
		bool v = kind && !strcmp(kind, "village");
		bool sel = false;
		for (int k = 0; v && k < nvillages; k++)
			sel |= villages_sel[k] == id;
		json_array_append_new(
			v ? *villages : *units,
			json_pack("{s:I, s:s, s:b, s:b}", "id", (json_int_t)id,
				  "label", name ? name : "", "selected",
				  !v && id == unit_sel, "checked", sel));
		if (v && unit_sel)
			json_object_set_new(
				json_array_get(*villages,
					       json_array_size(*villages) - 1),
				"selected", json_boolean(id == unit_sel));
	}
	json_decref(all);
	return ERR_OK;
}

static bool has_link(const char *const *links, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(links[i], key))
			return true;
	return false;
}

/* The PAPI choices of a year, with the checked ones marked. */
static enum err link_options(struct request *req, int year,
			     const char *const *links, int n, json_t **out,
			     struct error *e)
{
	enum err err = plan_link_choices(req->db, req->arena, year, out, e);
	if (err)
		return err;
	size_t i;
	json_t *d;
	json_array_foreach(*out, i, d)
	{
		const char *code =
			json_string_value(json_object_get(d, "code"));
		bool open = has_link(links, n, code);
		json_object_set_new(d, "checked", json_boolean(open));
		size_t q;
		json_t *ind;
		json_array_foreach(json_object_get(d, "indicators"), q, ind)
		{
			bool c = has_link(
				links, n,
				json_string_value(json_object_get(ind, "key")));
			json_object_set_new(ind, "checked", json_boolean(c));
			open |= c;
		}
		json_object_set_new(d, "open", json_boolean(open));
	}
	return ERR_OK;
}

/* Link keys with their names: [{key, label}]. */
static json_t *link_labels(struct request *req, json_t *choices, json_t *keys)
{
	json_t *out = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		const char *l = json_string_value(k);
		const char *label = l;
		size_t j;
		json_t *d;
		json_array_foreach(choices, j, d)
		{
			const char *code =
				json_string_value(json_object_get(d, "code"));
			if (strncmp(l, code, 2))
				continue;
			if (!l[2]) {
				label = arena_printf(
					req->arena, "%s. %s", code,
					json_string_value(
						json_object_get(d, "name_vi")));
				break;
			}
			size_t q;
			json_t *ind;
			json_array_foreach(json_object_get(d, "indicators"), q,
					   ind)
			{
				if (!strcmp(json_string_value(json_object_get(
						    ind, "key")),
					    l))
					label = arena_printf(
						req->arena, "%s %s",
						json_string_value(
							json_object_get(
								ind, "code")),
						json_string_value(
							json_object_get(
								ind,
								"name_vi")));
			}
			break;
		}
		json_array_append_new(out,
				      json_pack("{s:s, s:s}", "key", l, "label",
						label ? label : l));
	}
	return out;
}

static json_t *kind_options(struct request *req, const char *selected,
			    bool only_mine)
{
	json_t *out = json_array();
	for (int i = 0; i < 4; i++) {
		const char *k = oversight_kinds[i];
		if (only_mine && !may_record(req, k))
			continue;
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:b}", "key", k, "label",
				       oversight_kind_label_vi(k), "selected",
				       selected && !strcmp(selected, k)));
	}
	return out;
}

/* ---- the lists ---- */

struct list_query {
	struct oversight_filter f;
	const char *kind, *dim, *state, *q, *year, *from_v, *to_v;
	long long unit, village;
	json_t *errors; /* a filter typed wrong: said, and left out */
};

static void read_filters(struct request *req, struct list_query *lq,
			 const long long *communes, int ncommunes)
{
	memset(lq, 0, sizeof *lq);
	lq->errors = json_object();
	lq->kind = trimmed(req, "kind");
	lq->dim = trimmed(req, "dimension");
	lq->state = trimmed(req, "state");
	lq->q = trimmed(req, "q");
	lq->year = trimmed(req, "year");
	lq->unit = id_param(req, "unit");
	lq->village = id_param(req, "village");
	if (!oversight_kind_label_vi(lq->kind))
		lq->kind = "";
	enum rec_state s;
	if (!rec_state_from_key(lq->state, &s))
		lq->state = "";
	if (!(strlen(lq->dim) == 2 && lq->dim[0] == 'D' && lq->dim[1] >= '1' &&
	      lq->dim[1] <= '8'))
		lq->dim = "";
	if (lq->unit < 0)
		lq->unit = 0;
	if (lq->village < 0)
		lq->village = 0;
	struct date d;
	const char *from = date_param(req, "from"), *to = date_param(req, "to");
	lq->from_v = from ? trimmed(req, "from") : "";
	lq->to_v = to ? trimmed(req, "to") : "";
	if (from && !date_parse_iso(from, &d)) {
		json_object_set_new(lq->errors, "from",
				    json_string("Từ ngày không hợp lệ "
						"(dd/mm/yyyy)."));
		from = NULL;
	}
	if (to && !date_parse_iso(to, &d)) {
		json_object_set_new(lq->errors, "to",
				    json_string("Đến ngày không hợp lệ "
						"(dd/mm/yyyy)."));
		to = NULL;
	}
	if (*lq->year) {
		char *end;
		long y = strtol(lq->year, &end, 10);
		if (*end || y < 2000 || y > 2100) {
			json_object_set_new(lq->errors, "year",
					    json_string("Năm không hợp lệ."));
			lq->year = "";
		} else {
			/* a year narrows from–to to itself */
			const char *ys =
				arena_printf(req->arena, "%ld-01-01", y);
			const char *ye =
				arena_printf(req->arena, "%ld-12-31", y);
			if (!from || strcmp(from, ys) < 0)
				from = ys;
			if (!to || strcmp(to, ye) > 0)
				to = ye;
		}
	}
	long long page = id_param(req, "page");
	lq->f = (struct oversight_filter){
		.communes = communes,
		.ncommunes = ncommunes,
		.kind = *lq->kind ? lq->kind : NULL,
		.unit_id = lq->unit,
		.village_id = lq->village,
		.dimension = *lq->dim ? lq->dim : NULL,
		.from = from,
		.to = to,
		.state = *lq->state ? lq->state : NULL,
		.q = *lq->q ? lq->q : NULL,
		.page = page > 0 && page < 100000 ? (int)page : 1,
		.per_page = LIST_PER_PAGE,
	};
}

static const char *filter_query(struct request *req,
				const struct list_query *lq)
{
	struct arena *a = req->arena;
	const struct {
		const char *k, *v;
	} kv[] = {
		{"kind", lq->kind},
		{"unit", lq->unit ? arena_printf(a, "%lld", lq->unit) : ""},
		{"village",
		 lq->village ? arena_printf(a, "%lld", lq->village) : ""},
		{"dimension", lq->dim},
		{"year", lq->year},
		{"from", lq->f.from && *lq->from_v ? lq->from_v : ""},
		{"to", lq->f.to && *lq->to_v ? lq->to_v : ""},
		{"state", lq->state},
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
			break;
		len += (size_t)n;
	}
	return arena_strdup(a, buf);
}

static json_t *key_options(const char *const *keys, int n,
			   const char *(*label)(const char *),
			   const char *selected)
{
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:b}", "key", keys[i],
				       "label", label(keys[i]), "selected",
				       selected && !strcmp(selected, keys[i])));
	return out;
}

static const char *state_label(const char *k)
{
	enum rec_state s = REC_OPEN;
	rec_state_from_key(k, &s);
	return rec_state_label_vi(s);
}

static const char *dim_label(const char *k)
{
	static const char *const names[] = {
		"Lĩnh vực 1. Tham gia của người dân ở cấp cơ sở",
		"Lĩnh vực 2. Công khai, minh bạch",
		"Lĩnh vực 3. Trách nhiệm giải trình với người dân",
		"Lĩnh vực 4. Kiểm soát tham nhũng",
		"Lĩnh vực 5. Thủ tục hành chính công",
		"Lĩnh vực 6. Cung ứng dịch vụ công",
		"Lĩnh vực 7. Quản trị môi trường",
		"Lĩnh vực 8. Quản trị điện tử"};
	return names[k[1] - '1'];
}

/* The filter form's context shared by both lists. */
static enum err filters_ctx(struct request *req, const struct list_query *lq,
			    const long long *communes, int ncommunes,
			    const char *path, json_t *ctx, struct error *e)
{
	long long commune = home_commune(req);
	if (!commune && ncommunes)
		commune = communes[0];
	json_t *units, *villages;
	enum err err = unit_options(req, commune, lq->unit, &lq->village, 1,
				    &units, &villages, e);
	if (err)
		return err;
	size_t i;
	json_t *v;
	json_array_foreach(villages, i, v)
	{
		json_object_set_new(
			v, "selected",
			json_boolean(json_integer_value(json_object_get(
					     v, "id")) == lq->village));
	}
	static const char *const states[] = {"open", "fixed", "verified"};
	static const char *const dims[] = {"D1", "D2", "D3", "D4",
					   "D5", "D6", "D7", "D8"};
	const char *q = filter_query(req, lq);
	long long page = json_integer_value(json_object_get(ctx, "page"));
	long long pages = json_integer_value(json_object_get(ctx, "pages"));
	if (page > 1)
		json_object_set_new(ctx, "prev_href",
				    json_string(arena_printf(
					    req->arena, "%s?%s%spage=%lld",
					    path, q, *q ? "&" : "", page - 1)));
	if (page < pages)
		json_object_set_new(ctx, "next_href",
				    json_string(arena_printf(
					    req->arena, "%s?%s%spage=%lld",
					    path, q, *q ? "&" : "", page + 1)));
	json_t *more = json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:{s:s, s:s, s:s, s:s}, s:s, s:s, "
		"s:b, s:b, s:s, s:s}",
		"kinds", kind_options(req, lq->kind, false), "units", units,
		"villages", villages, "states",
		key_options(states, 3, state_label, lq->state), "dimensions",
		key_options(dims, 8, dim_label, lq->dim), "filters", "q", lq->q,
		"from", lq->f.from && *lq->from_v ? lq->from_v : "", "to",
		lq->f.to && *lq->to_v ? lq->to_v : "", "year", lq->year,
		"query", q, "page_of",
		arena_printf(req->arena, "Trang %lld/%lld", page,
			     pages ? pages : 1),
		"filtered", *q != 0, "can_record",
		req->user && oversight_records_any(req->user->roles), "today",
		text_format_date(req->arena, today_iso(req)), "export_query",
		*q ? arena_printf(req->arena, "&%s", q) : "");
	json_object_set_new(ctx, "filter_action", json_string(path));
	json_object_set_new(ctx, "unit_filter_label",
			    json_string(strcmp(path, "/oversight")
						? "Đơn vị phải khắc phục"
						: "Đơn vị được kiểm tra"));
	json_object_update(ctx, more);
	json_decref(more);
	return ERR_OK;
}

static enum err list_page(struct request *req, struct response *res, bool recs)
{
	struct error e = {0};
	long long *communes;
	int ncommunes;
	enum err err = plan_user_communes(req, &communes, &ncommunes, &e);
	if (err)
		return fail(req, res, err, &e);
	/* (report:) ?commune=ID: that one of the user's communes only */
	long long only = id_param(req, "commune");
	for (int i = 0; only > 0 && i < ncommunes; i++)
		if (communes[i] == only) {
			communes += i;
			ncommunes = 1;
			break;
		}
	struct list_query lq;
	read_filters(req, &lq, communes, ncommunes);
	json_t *list;
	err = recs ? recommendation_list(req->db, req->arena, &lq.f, &list, &e)
		   : inspection_list(req->db, req->arena, &lq.f, &list, &e);
	if (!err)
		err = filters_ctx(req, &lq, communes, ncommunes,
				  recs ? "/oversight/recommendations"
				       : "/oversight",
				  list, &e);
	if (err) {
		json_decref(lq.errors);
		json_decref(list);
		return fail(req, res, err, &e);
	}
	const char *tmpl = recs ? T_RECS : T_LIST;
	const char *title = recs ? "Kiến nghị sau kiểm tra, giám sát"
				 : "Kiểm tra – giám sát";
	if (json_object_size(lq.errors))
		return res_invalid(req, res, tmpl, title, list, lq.errors);
	json_decref(lq.errors);
	return res_page(req, res, 200, tmpl, title, list);
}

static enum err get_list(struct request *req, struct response *res)
{
	return list_page(req, res, false);
}

static enum err get_recs(struct request *req, struct response *res)
{
	return list_page(req, res, true);
}

/* ---- the supervisor's view ---- */

static enum err get_supervise(struct request *req, struct response *res)
{
	struct error e = {0};
	long long *communes;
	int ncommunes;
	enum err err = plan_user_communes(req, &communes, &ncommunes, &e);
	if (err)
		return fail(req, res, err, &e);
	struct oversight_filter f = {.communes = communes,
				     .ncommunes = ncommunes,
				     .state = "open",
				     .page = 1,
				     .per_page = 50};
	json_t *open = NULL, *fixed = NULL, *units = NULL;
	err = recommendation_list(req->db, req->arena, &f, &open, &e);
	f.state = "fixed";
	if (!err)
		err = recommendation_list(req->db, req->arena, &f, &fixed, &e);
	f.state = NULL;
	if (!err)
		err = oversight_unit_summary(req->db, req->arena, &f,
					     today_iso(req), &units, &e);
	if (err) {
		json_decref(open);
		json_decref(fixed);
		json_decref(units);
		return fail(req, res, err, &e);
	}
	const char *today = today_iso(req);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(open, "rows"), i, r)
	{
		const char *due =
			json_string_value(json_object_get(r, "task_due_on"));
		json_object_set_new(
			r, "overdue",
			json_boolean(due && strcmp(due, today) < 0));
	}
	json_t *ctx = json_pack(
		"{s:O, s:O, s:I, s:I, s:o, s:s}", "open",
		json_object_get(open, "rows"), "fixed",
		json_object_get(fixed, "rows"), "open_total",
		json_object_get(open, "total")
			? (json_int_t)json_integer_value(
				  json_object_get(open, "total"))
			: 0,
		"fixed_total",
		(json_int_t)json_integer_value(json_object_get(fixed, "total")),
		"units", units, "today", text_format_date(req->arena, today));
	json_decref(open);
	json_decref(fixed);
	return res_page(req, res, 200, T_SUPERVISE,
			"Giám sát việc khắc phục sau kiểm tra", ctx);
}

/* ---- export ---- */

static enum err export(struct request *req, struct response *res, bool xlsx) {
	struct error e = {0}; long long * communes; int ncommunes;
	enum err err = plan_user_communes(req, &communes, &ncommunes, &e);
	if (err) return fail(req, res, err, &e);
	struct list_query lq;
	read_filters(req, &lq, communes, ncommunes);
	json_decref(lq.errors);
	bool recs = !strcmp(param(req, "what"), "recommendations");
	struct arena a;
	arena_init(&a, EXPORT_ARENA);
	unsigned char * bytes;
	size_t len;
	err = oversight_export(req->db, &a, &lq.f,
			       recs ? OV_RECOMMENDATIONS : OV_INSPECTIONS, xlsx,
			       &bytes, &len, &e);
	char *body = err ? NULL : arena_alloc(req->arena, len + 1);
	if (body) memcpy(body, bytes, len);
	arena_release(&a);
	if (err) return fail(req, res, err, &e);
	if (!body) return fail(req, res, ERR_NOMEM,
			       &(struct error){ERR_NOMEM,
					       "export: out of memory"});
	char day[11];
	date_format_iso(clock_today_vn(), day);
	res->status = 200;
	res->content_type = xlsx ? "application/vnd.openxmlformats-"
				   "officedocument.spreadsheetml.sheet"
				 : "text/csv; charset=utf-8";
	res->body = body;
	res->len = len;
	res_header(res, "Content-Disposition",
		   arena_printf(req->arena, "attachment; filename=\"%s-%s.%s\"",
				recs ? "kien-nghi" : "kiem-tra-giam-sat", day,
				xlsx ? "xlsx" : "csv"));
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

/* ---- the inspection form ---- */

static void inspection_from_form(struct request *req, struct inspection *in)
{
	in->kind = trimmed(req, "kind");
	in->title = trimmed(req, "title");
	in->reference = trimmed(req, "reference");
	in->team = param(req, "team");
	in->scope = param(req, "scope");
	in->from_on = date_param(req, "from_on");
	in->to_on = date_param(req, "to_on");
	in->unit_id = id_param(req, "unit_id");
	const char *vals[OVERSIGHT_MAX_VILLAGES + 1];
	int n = req_params_all(req, "village_ids", vals,
			       OVERSIGHT_MAX_VILLAGES + 1);
	in->nvillages = 0;
	for (int i = 0; i < n && i < OVERSIGHT_MAX_VILLAGES; i++) {
		char *end;
		long long id = strtoll(vals[i], &end, 10);
		in->village_ids[in->nvillages++] = *end || id <= 0 ? -1 : id;
	}
	if (n > OVERSIGHT_MAX_VILLAGES)
		in->nvillages = OVERSIGHT_MAX_VILLAGES + 1;
	const char *links[OVERSIGHT_MAX_LINKS + 1];
	n = req_params_all(req, "links", links, OVERSIGHT_MAX_LINKS + 1);
	in->nlinks = n > OVERSIGHT_MAX_LINKS ? OVERSIGHT_MAX_LINKS + 1 : n;
	for (int i = 0; i < n && i < OVERSIGHT_MAX_LINKS; i++)
		in->links[i] = links[i];
}

static enum err form_page(struct request *req, struct response *res,
			  const struct inspection *in,
			  const struct field_problems *fp)
{
	struct error e = {0};
	json_t *units, *villages, *links;
	int nv = in->nvillages > OVERSIGHT_MAX_VILLAGES ? OVERSIGHT_MAX_VILLAGES
							: in->nvillages;
	int nl = in->nlinks > OVERSIGHT_MAX_LINKS ? OVERSIGHT_MAX_LINKS
						  : in->nlinks;
	struct date d;
	int year = in->from_on && date_parse_iso(in->from_on, &d)
			   ? d.y
			   : clock_today_vn().y;
	enum err err = unit_options(req, in->commune_id, in->unit_id,
				    in->village_ids, nv, &units, &villages, &e);
	if (err)
		return fail(req, res, err, &e);
	err = link_options(req, year, in->links, nl, &links, &e);
	if (err) {
		json_decref(units);
		json_decref(villages);
		return fail(req, res, err, &e);
	}
	json_t *ctx = json_pack(
		"{s:I, s:b, s:o, s:o, s:o, s:o, s:{s:s, s:s, s:s, s:s, s:s, "
		"s:s}, s:s, s:b}",
		"id", (json_int_t)in->id, "editing", in->id > 0, "kinds",
		kind_options(req, in->kind, true), "units", units, "villages",
		villages, "links", links, "values", "title",
		in->title ? in->title : "", "reference",
		in->reference ? in->reference : "", "team",
		in->team ? in->team : "", "scope", in->scope ? in->scope : "",
		"from_on", date_value(req, in->from_on), "to_on",
		date_value(req, in->to_on), "action",
		in->id ? arena_printf(req->arena, "/oversight/%lld/edit",
				      in->id)
		       : "/oversight/new",
		"unit_whole", in->unit_id <= 0);
	json_object_set_new(ctx, "link_prefix", json_string("l_"));
	const char *title = in->id ? "Sửa cuộc kiểm tra, giám sát"
				   : "Ghi cuộc kiểm tra, giám sát";
	if (fp && fp->n)
		return res_invalid(req, res, T_FORM, title, ctx,
				   errors_json(fp));
	return res_page(req, res, 200, T_FORM, title, ctx);
}

static const char *default_kind(const struct request *req)
{
	for (int i = 0; i < 4; i++)
		if (may_record(req, oversight_kinds[i]))
			return oversight_kinds[i];
	return "inspection";
}

static enum err get_new(struct request *req, struct response *res)
{
	char today[11];
	date_format_iso(clock_today_vn(), today);
	const char *kind = trimmed(req, "kind");
	struct inspection in = {
		.commune_id = home_commune(req),
		.kind = may_record(req, kind) ? kind : default_kind(req),
		.from_on = arena_strdup(req->arena, today),
		.to_on = arena_strdup(req->arena, today),
	};
	return form_page(req, res, &in, NULL);
}

/* Saves the inspection and the files sent with it, all or nothing. */
static enum err save_form(struct request *req, struct response *res,
			  struct inspection *in)
{
	struct field_problems fp = {0};
	struct error e = {0};
	struct actor who = actor_of(req);
	/* an unknown kind is a field's problem (below), a known one not
	 * this user's is refused */
	if (oversight_kind_label_vi(in->kind) && !may_record(req, in->kind))
		return res_error(req, res, 403, kind_refused_vi(in->kind));
	const struct upload *files[ATTACHMENTS_MAX_PER_RECORD + 1];
	const char *mimes[ATTACHMENTS_MAX_PER_RECORD + 1];
	int nfiles = req_uploads(req, "files", files,
				 ATTACHMENTS_MAX_PER_RECORD + 1);
	if (nfiles > ATTACHMENTS_MAX_PER_RECORD)
		fp.list[fp.n++] =
			(struct field_problem){"files", "more than 5 files",
					       "Tối đa 5 tệp cho một lần lưu."};
	for (int i = 0; i < nfiles && i < ATTACHMENTS_MAX_PER_RECORD && !fp.n;
	     i++) {
		struct attachment_problem ap = {0};
		if (!attachment_check(files[i], ATTACH_EVIDENCE, 0, &mimes[i],
				      &ap))
			fp.list[fp.n++] = (struct field_problem){
				"files", arena_strdup(req->arena, ap.msg_en),
				arena_strdup(req->arena, ap.msg_vi)};
	}
	if (!fp.n)
		inspection_validate(in, &fp);
	if (fp.n)
		return form_page(req, res, in, &fp);
	enum err err = db_begin(req->db, &e);
	if (!err)
		err = inspection_save(req->db, req->arena, &who, in, &fp, &e);
	for (int i = 0; !err && i < nfiles; i++) {
		long long fid;
		err = attachment_save(req->db, req->arena, "inspection", in->id,
				      files[i], mimes[i], who.user_id, &fid,
				      &e);
	}
	if (!err)
		err = db_commit(req->db, &e);
	if (err) {
		db_rollback(req->db);
		if (err == ERR_INVALID)
			return form_page(req, res, in, &fp);
		return fail(req, res, err, &e);
	}
	return res_done(req, res,
			arena_printf(req->arena, "/oversight/%lld", in->id),
			"Đã lưu cuộc kiểm tra, giám sát.",
			json_pack("{s:I, s:i}", "id", (json_int_t)in->id,
				  "files", nfiles));
}

static enum err post_new(struct request *req, struct response *res)
{
	struct inspection in = {.commune_id = home_commune(req)};
	inspection_from_form(req, &in);
	return save_form(req, res, &in);
}

static enum err show_page(struct request *req, struct response *res,
			  const struct inspection *in,
			  const struct field_problems *fp,
			  const char *form_key);

static enum err get_edit(struct request *req, struct response *res)
{
	struct inspection in;
	bool done;
	enum err err =
		load_inspection(req, res, req_arg_id(req, 0), &in, &done);
	if (done)
		return err;
	/* a reader of another side's record (the route admits every side
	 * that records something) gets the record as they may read it,
	 * without its forms; the POST is refused with 403 */
	if (!may_record(req, in.kind))
		return show_page(req, res, &in, NULL, NULL);
	return form_page(req, res, &in, NULL);
}

static enum err post_edit(struct request *req, struct response *res)
{
	struct inspection old;
	bool done;
	enum err err =
		load_inspection(req, res, req_arg_id(req, 0), &old, &done);
	if (done)
		return err;
	if (!may_record(req, old.kind))
		return res_error(req, res, 403, kind_refused_vi(old.kind));
	struct inspection in = {.id = old.id, .commune_id = old.commune_id};
	inspection_from_form(req, &in);
	in.kind = old.kind;
	return save_form(req, res, &in);
}

/* ---- one inspection ---- */

static enum err show_page(struct request *req, struct response *res,
			  const struct inspection *in,
			  const struct field_problems *fp, const char *form_key)
{
	struct error e = {0};
	json_t *ins = NULL, *files = NULL, *plans = NULL, *units = NULL,
	       *villages = NULL, *links = NULL, *choices = NULL;
	struct date d;
	int year = date_parse_iso(in->from_on, &d) ? d.y : clock_today_vn().y;
	long long default_plan = 0;
	enum err err = inspection_detail(req->db, req->arena, in->id, &ins, &e);
	if (!err)
		err = attachment_list(req->db, req->arena, "inspection", in->id,
				      &files, &e);
	if (!err)
		err = oversight_plan_choices(req->db, req->arena,
					     in->commune_id, &plans, &e);
	if (!err)
		err = oversight_default_plan(req->db, req->arena,
					     in->commune_id, clock_today_vn().y,
					     &default_plan, &e);
	if (!err)
		err = unit_options(req, in->commune_id, 0, NULL, 0, &units,
				   &villages, &e);
	if (!err)
		err = link_options(req, year, NULL, 0, &links, &e);
	if (!err)
		err = plan_link_choices(req->db, req->arena, year, &choices,
					&e);
	if (err) {
		json_decref(ins);
		json_decref(files);
		json_decref(plans);
		json_decref(units);
		json_decref(villages);
		json_decref(links);
		json_decref(choices);
		return fail(req, res, err, &e);
	}
	/* the village heads fix things too: they are units of the commune */
	size_t i;
	json_t *v;
	json_array_foreach(villages, i, v)
	{
		json_array_append(units, v);
	}
	json_decref(villages);
	bool can = may_record(req, in->kind);
	const char *vtext = "";
	json_array_foreach(json_object_get(ins, "villages"), i, v)
	{
		const char *name =
			json_string_value(json_object_get(v, "name"));
		vtext = arena_printf(req->arena, "%s%s%s", vtext ? vtext : "",
				     vtext && *vtext ? ", " : "",
				     name ? name : "");
	}
	json_object_set_new(ins, "villages_text",
			    json_string(vtext ? vtext : ""));
	json_object_set_new(
		ins, "link_labels",
		link_labels(req, choices, json_object_get(ins, "links")));
	json_t *f;
	json_array_foreach(json_object_get(ins, "findings"), i, f)
	{
		json_object_set_new(
			f, "link_labels",
			link_labels(req, choices, json_object_get(f, "links")));
		json_object_set_new(f, "can_record", json_boolean(can));
		/* the recommendation form that was refused: open, as typed */
		const char *key =
			arena_printf(req->arena, "rec-%lld",
				     (long long)json_integer_value(
					     json_object_get(f, "id")));
		if (form_key && key && !strcmp(form_key, key))
			json_object_set_new(f, "add",
					    json_pack("{s:s, s:s}", "text",
						      param(req, "text"),
						      "due_on",
						      param(req, "due_on")));
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(f, "recommendations"), k, r)
		{
			const char *st =
				json_string_value(json_object_get(r, "state"));
			json_object_set_new(
				r, "can_verify",
				json_boolean(can && !strcmp(st, "fixed")));
			json_object_set_new(
				r, "can_reopen",
				json_boolean(can && strcmp(st, "open")));
		}
	}
	json_decref(choices);
	json_array_foreach(plans, i, v)
	{
		json_object_set_new(
			v, "selected",
			json_boolean(json_integer_value(json_object_get(
					     v, "id")) == default_plan));
	}
	const char *due_default = date_value(req, in->to_on);
	json_t *ctx =
		json_pack("{s:o, s:o, s:b, s:o, s:o, s:o, s:s, s:s, s:s, s:s}",
			  "ins", ins, "files", files, "can_record", can,
			  "plans", plans, "rec_units", units, "links", links,
			  "today", date_value(req, today_iso(req)), "form",
			  form_key ? form_key : "", "due_default",
			  due_default ? due_default : "", "note_value",
			  fp && fp->n ? param(req, "note") : "");
	json_object_set_new(ctx, "link_prefix", json_string("f_"));
	if (form_key && !strcmp(form_key, "finding"))
		json_object_set_new(ctx, "finding_text",
				    json_string(param(req, "text")));
	if (fp && fp->n)
		return res_invalid(req, res, T_SHOW, in->title, ctx,
				   errors_json(fp));
	return res_page(req, res, 200, T_SHOW, in->title, ctx);
}

static enum err get_show(struct request *req, struct response *res)
{
	struct inspection in;
	bool done;
	enum err err =
		load_inspection(req, res, req_arg_id(req, 0), &in, &done);
	if (done)
		return err;
	return show_page(req, res, &in, NULL, NULL);
}

static enum err post_finding(struct request *req, struct response *res)
{
	struct inspection in;
	bool done;
	enum err err =
		load_inspection(req, res, req_arg_id(req, 0), &in, &done);
	if (done)
		return err;
	if (!may_record(req, in.kind))
		return res_error(req, res, 403, kind_refused_vi(in.kind));
	struct finding f = {.inspection_id = in.id, .text = param(req, "text")};
	const char *links[OVERSIGHT_MAX_LINKS + 1];
	int n = req_params_all(req, "links", links, OVERSIGHT_MAX_LINKS + 1);
	f.nlinks = n > OVERSIGHT_MAX_LINKS ? OVERSIGHT_MAX_LINKS + 1 : n;
	for (int i = 0; i < n && i < OVERSIGHT_MAX_LINKS; i++)
		f.links[i] = links[i];
	struct field_problems fp = {0};
	struct error e = {0};
	struct actor who = actor_of(req);
	err = finding_add(req->db, req->arena, &who, &f, &fp, &e);
	if (err == ERR_INVALID)
		return show_page(req, res, &in, &fp, "finding");
	if (err)
		return fail(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/oversight/%lld#finding-%lld",
				     in.id, f.id),
			"Đã ghi kết luận.",
			json_pack("{s:I, s:I}", "id", (json_int_t)f.id,
				  "inspection_id", (json_int_t)in.id));
}

static enum err post_recommendation(struct request *req, struct response *res)
{
	struct error e = {0};
	long long fid = req_arg_id(req, 0);
	long long iid;
	enum err err = fid > 0 ? oversight_finding_inspection(
					 req->db, req->arena, fid, &iid, &e)
			       : ERR_NOTFOUND;
	if (err)
		return fail(req, res, err, &e);
	struct inspection in;
	bool done;
	err = load_inspection(req, res, iid, &in, &done);
	if (done)
		return err;
	if (!may_record(req, in.kind))
		return res_error(req, res, 403, kind_refused_vi(in.kind));
	struct recommendation r = {
		.finding_id = fid,
		.text = trimmed(req, "text"),
		.unit_id = id_param(req, "unit_id"),
		.due_on = date_param(req, "due_on"),
		.plan_id = id_param(req, "plan_id"),
	};
	struct field_problems fp = {0};
	struct actor who = actor_of(req);
	err = recommendation_add(req->db, req->arena, &who, &r, &fp, &e);
	if (err == ERR_INVALID)
		return show_page(req, res, &in, &fp,
				 arena_printf(req->arena, "rec-%lld", fid));
	if (err)
		return fail(req, res, err, &e);
	return res_done(
		req, res,
		arena_printf(req->arena, "/oversight/%lld#rec-%lld", in.id,
			     r.id),
		"Đã ghi kiến nghị và giao nhiệm vụ khắc phục trong kế hoạch.",
		json_pack("{s:I, s:I, s:I, s:s}", "id", (json_int_t)r.id,
			  "task_id", (json_int_t)r.task_id, "plan_id",
			  (json_int_t)r.plan_id, "state", "open"));
}

static enum err rec_action(struct request *req, struct response *res,
			   bool verify)
{
	struct error e = {0};
	struct recommendation r;
	long long id = req_arg_id(req, 0);
	enum err err =
		id > 0 ? recommendation_get(req->db, req->arena, id, &r, &e)
		       : ERR_NOTFOUND;
	if (err)
		return fail(req, res, err, &e);
	struct inspection in;
	bool done;
	err = load_inspection(req, res, r.inspection_id, &in, &done);
	if (done)
		return err;
	if (!may_record(req, in.kind))
		return res_error(req, res, 403, kind_refused_vi(in.kind));
	struct field_problems fp = {0};
	struct actor who = actor_of(req);
	const char *note = trimmed(req, "note");
	if (verify) {
		const char *on = date_param(req, "verified_on");
		if (!on)
			on = today_iso(req);
		err = recommendation_verify(req->db, req->arena, &who, id, on,
					    note, clock_today_vn(), &fp, &e);
	} else {
		err = recommendation_reopen(req->db, req->arena, &who, id, note,
					    clock_today_vn(), &fp, &e);
	}
	if (err == ERR_INVALID)
		return show_page(req, res, &in, &fp,
				 arena_printf(req->arena, "%s-%lld",
					      verify ? "verify" : "reopen",
					      id));
	if (err)
		return fail(req, res, err, &e);
	return res_done(
		req, res,
		arena_printf(req->arena, "/oversight/%lld#rec-%lld", in.id, id),
		verify ? "Đã xác nhận kiến nghị được khắc phục."
		       : "Đã mở lại kiến nghị; nhiệm vụ được trả về đơn vị.",
		json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
			  verify ? "verified" : "open"));
}

static enum err post_verify(struct request *req, struct response *res)
{
	return rec_action(req, res, true);
}

static enum err post_reopen(struct request *req, struct response *res)
{
	return rec_action(req, res, false);
}

/* The files of an inspection: whoever sees its commune. */
static bool can_read_file(struct request *req, const char *owner,
			  long long owner_id)
{
	struct inspection in;
	struct error e = {0};
	(void)owner;
	if (inspection_get(req->db, req->arena, owner_id, &in, &e))
		return false;
	return plan_can_see(req, in.commune_id);
}

void oversight_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/oversight", get_list, ROLE_ANY_USER, "oversight"},
		{"GET", "/oversight/recommendations", get_recs, ROLE_ANY_USER,
		 "oversight"},
		{"GET", "/oversight/supervise", get_supervise, SUPERVISE_ROLES,
		 "oversight"},
		{"GET", "/oversight/export.csv", get_export_csv, ROLE_ANY_USER,
		 "oversight"},
		{"GET", "/oversight/export.xlsx", get_export_xlsx,
		 ROLE_ANY_USER, "oversight"},
		{"GET", "/oversight/new", get_new, RECORD_ROLES, "oversight"},
		{"POST", "/oversight/new", post_new, RECORD_ROLES, "oversight"},
		{"GET", "/oversight/{id}", get_show, ROLE_ANY_USER,
		 "oversight"},
		{"GET", "/oversight/{id}/edit", get_edit, RECORD_ROLES,
		 "oversight"},
		{"POST", "/oversight/{id}/edit", post_edit, RECORD_ROLES,
		 "oversight"},
		{"POST", "/oversight/{id}/findings", post_finding, RECORD_ROLES,
		 "oversight"},
		{"POST", "/oversight/findings/{id}/recommendations",
		 post_recommendation, RECORD_ROLES, "oversight"},
		{"POST", "/oversight/recommendations/{id}/verify", post_verify,
		 RECORD_ROLES, "oversight"},
		{"POST", "/oversight/recommendations/{id}/reopen", post_reopen,
		 RECORD_ROLES, "oversight"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	attachment_register_owner("inspection", can_read_file);
}
