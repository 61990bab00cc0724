/* The dashboards: GET /report/dashboard, one commune over a period (the
 * PAPI estimate as a radar with its table, the plan by unit, the cases by
 * type, disclosure, outreach, inspections), and GET /report/province, the
 * communes of a province or district side by side (a sortable table and
 * a tier map), each with its /api twin.
 *
 * The figures come from report_figures() and report_province_figures();
 * this file only decorates them: every count gets the link of the list
 * that shows the same rows (the list's own filters), every score its tier
 * colour. Who sees what: anyone of a commune sees its dashboard (it only
 * reads); the upper level sees the communes under it and the province
 * table, and starts there. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_dashboard_db.h"
#include "report_svg.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../http/form.h"
#include "../http/http.h"
#include "../index/tier.h"
#include "../people/people.h"
#include "../plan/plan.h"
#include "../voice/voice.h"
#include "../base/banned.h"

#define T_DASH "report/dashboard"
#define T_PROVINCE "report/province"
/* who reads every case of the commune in /voice; the others read
 * /voice/stats (voice_http.c) */
#define CASE_LIST_ROLES (ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE)

static const char msg_no_commune[] =
	"Tài khoản của bạn chưa gắn với xã nào nên chưa có bảng điều hành.";
static const char msg_not_yours[] =
	"Bạn không xem được bảng điều hành của xã này: xã không thuộc phạm vi "
	"của tài khoản.";
static const char msg_province_only[] =
	"Chỉ cấp trên (tỉnh, huyện) xem được bảng tổng hợp các xã.";

/* on the radar, where a phone has ~330 px for the picture */
static const char *const dim_radar[RADAR_AXES] = {
	"Tham gia",           "Công khai",
	"Giải trình",         "Kiểm soát\ntham nhũng",
	"Thủ tục hành chính", "Dịch vụ công",
	"Môi trường",         "Quản trị\nđiện tử",
};
static const char *const dim_short[RADAR_AXES] = {
	"Tham gia",           "Công khai",
	"Giải trình",         "Kiểm soát tham nhũng",
	"Thủ tục hành chính", "Dịch vụ công",
	"Môi trường",         "Quản trị điện tử",
};

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}

static long long id_param(struct request *req, const char *name)
{
	const char *v = text_trim(req->arena, param(req, name));
	if (!v || !*v)
		return 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	return *end || n <= 0 ? -1 : n;
}

static const char *iso(struct arena *a, struct date d)
{
	char buf[11];
	date_format_iso(d, buf);
	return arena_strdup(a, buf);
}

static const char *enc(struct request *req, const char *v)
{
	const char *s = form_encode(req->arena, v ? v : "");
	return s ? s : "";
}

static bool in_list(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The upper level: a role on a province or district unit (ROLE_UPPER, or
 * a chair or office of such a unit if one is ever given). */
/* The upper level (tỉnh, huyện): its users hold ROLE_UPPER. */
static bool is_upper(const struct request *req)
{
	return req->user && (req->user->roles & ROLE_UPPER);
}

/* ---- tiers and numbers ---- */

/* The index pages' colour group (1 = Cao ... 4 = Thấp) of a figure's
 * tier: enum tier as a number (4 = high), or its key as text. 0: none. */
static int tier_group(const json_t *t)
{
	if (json_is_integer(t)) {
		json_int_t v = json_integer_value(t);
		return v >= TIER_LOW && v <= TIER_HIGH ? (int)(5 - v) : 0;
	}
	const char *s = json_string_value(t);
	if (!s)
		return 0;
	/* the figures give the group's name (tier_map_label_vi) */
	static const char *const keys[4] = {"high", "mid_high", "mid_low",
					    "low"};
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, keys[i]) ||
		    !strcmp(s, tier_map_label_vi((enum tier)(4 - i))))
			return i + 1;
	return 0;
}

static const char *group_vi(int g)
{
	return g ? tier_map_label_vi((enum tier)(5 - g)) : "";
}

/* Adds group and tier_vi beside an object's "tier". */
static void add_tier(json_t *o)
{
	int g = tier_group(json_object_get(o, "tier"));
	json_object_set_new(o, "group", json_integer(g));
	json_object_set_new(o, "tier_vi", json_string(group_vi(g)));
}

static double num_or_nan(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static long long count(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static json_t *part(json_t *fig, const char *k)
{
	json_t *p = json_object_get(fig, k);
	if (!json_is_object(p)) {
		p = json_object();
		json_object_set_new(fig, k, p);
	}
	return p;
}

/* ---- the commune's dashboard ---- */

struct dash {
	struct request *req;
	long long commune;
	const char *from, *to; /* ISO */
	int year;              /* of `to`: the disclosure register's */
	bool list_cases;
};

static void set_href(json_t *o, const char *key, const char *href)
{
	json_object_set_new(o, key, json_string(href ? href : ""));
}

static void decorate_papi(struct dash *d, json_t *p)
{
	struct arena *a = d->req->arena;
	json_t *dims = json_object_get(p, "dimensions");
	const char *src = json_string_value(json_object_get(p, "source"));
	long long round = count(p, "round_id");
	bool has = false;
	struct radar_series s[3] = {
		{arena_printf(a, "Năm %lld", count(p, "year")),
		 {0},
		 NULL,
		 NULL,
		 0},
		{"Năm trước", {0}, NULL, NULL, 1},
		{"Tỉnh", {0}, NULL, NULL, 2},
	};
	double lo[RADAR_AXES], hi[RADAR_AXES];
	for (int k = 0; k < RADAR_AXES; k++)
		s[0].v[k] = s[1].v[k] = s[2].v[k] = lo[k] = hi[k] = NAN;
	size_t i;
	json_t *x;
	json_array_foreach(dims, i, x)
	{
		const char *code =
			json_string_value(json_object_get(x, "code"));
		add_tier(x);
		int k = code && code[0] == 'D' && code[1] >= '1' &&
					code[1] <= '8' && !code[2]
				? code[1] - '1'
				: -1;
		if (k >= 0 && !json_object_get(x, "short"))
			json_object_set_new(x, "short",
					    json_string(dim_short[k]));
		if (k < 0)
			continue;
		s[0].v[k] = num_or_nan(json_object_get(x, "score"));
		lo[k] = num_or_nan(json_object_get(x, "lo"));
		hi[k] = num_or_nan(json_object_get(x, "hi"));
		s[1].v[k] = num_or_nan(json_object_get(x, "last_year"));
		s[2].v[k] = num_or_nan(json_object_get(x, "province"));
		has |= !isnan(s[0].v[k]);
		if (round > 0)
			set_href(x, "href",
				 arena_printf(a,
					      "/index/rounds/%lld/results/%s",
					      round, code));
	}
	json_t *total = json_object_get(p, "total");
	if (json_is_object(total))
		add_tier(total);
	json_object_set_new(p, "has", json_boolean(has));
	/* columns with nothing in them are left out (a phone's width) */
	bool tiers = false, lasts = false, provs = false;
	json_array_foreach(dims, i, x)
	{
		tiers |= count(x, "group") > 0;
		lasts |= json_is_number(json_object_get(x, "last_year"));
		provs |= json_is_number(json_object_get(x, "province"));
	}
	json_object_set_new(p, "col_tier", json_boolean(tiers));
	json_object_set_new(p, "col_last", json_boolean(lasts));
	json_object_set_new(p, "col_prov", json_boolean(provs));
	if (!json_string_value(json_object_get(p, "source_vi")))
		json_object_set_new(
			p, "source_vi",
			json_string(src && !strcmp(src, "estimate")
					    ? "ước lượng từ khảo sát của xã"
				    : src && !strcmp(src, "official")
					    ? "kết quả chính thức"
					    : ""));
	const char *href =
		round > 0 ? arena_printf(a, "/index/rounds/%lld/results", round)
		: src && !strcmp(src, "official")
			? arena_printf(a, "/index/official?year=%lld",
				       count(p, "year"))
			: "/index/rounds";
	set_href(p, "href", href);
	if (!has || d->req->api)
		return;
	s[0].lo = lo;
	s[0].hi = hi;
	bool last = false, prov = false;
	for (int k = 0; k < RADAR_AXES; k++) {
		last |= !isnan(s[1].v[k]);
		prov |= !isnan(s[2].v[k]);
	}
	if (count(p, "last_year"))
		s[1].label = arena_printf(a, "Năm %lld", count(p, "last_year"));
	if (count(p, "province_year"))
		s[2].label = arena_printf(a, "Tỉnh, năm %lld",
					  count(p, "province_year"));
	struct radar_series use[3];
	int n = 0;
	use[n++] = s[0];
	if (last)
		use[n++] = s[1];
	if (prov)
		use[n++] = s[2];
	const char *svg = report_radar_svg(a, use, n, dim_radar);
	json_object_set_new(p, "radar_svg", json_string(svg ? svg : ""));
	json_object_set_new(p, "has_last_year", json_boolean(last));
	json_object_set_new(p, "has_province", json_boolean(prov));
}

/* The plan's lists: /plan/overdue and /plan/by-unit narrowed to the
 * commune, the unit and the tasks due in the period. */
static void decorate_plan(struct dash *d, json_t *p)
{
	struct arena *a = d->req->arena;
	const char *q = arena_printf(a, "commune=%lld&from=%s&to=%s",
				     d->commune, d->from, d->to);
	set_href(p, "href_overdue", arena_printf(a, "/plan/overdue?%s", q));
	set_href(p, "href_by_unit", arena_printf(a, "/plan/by-unit?%s", q));
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(p, "by_unit"), i, x)
	{
		long long u = count(x, "unit_id");
		set_href(x, "href_overdue",
			 arena_printf(a, "/plan/overdue?%s&unit=%lld", q, u));
		set_href(x, "href",
			 arena_printf(a, "/plan/by-unit?%s&unit=%lld", q, u));
	}
	json_array_foreach(json_object_get(p, "by_dimension"), i, x) set_href(
		x, "href",
		arena_printf(a, "/plan/by-dimension?%s&dimension=%s", q,
			     enc(d->req, json_string_value(
						 json_object_get(x, "code")))));
	json_array_foreach(json_object_get(p, "late"), i, x)
	{
		set_href(x, "href",
			 arena_printf(a, "/plan/tasks/%lld",
				      count(x, "task_id")));
		json_object_set_new(
			x, "has_requests",
			json_boolean(json_array_size(json_object_get(
					     x, "requests")) > 0));
	}
	json_object_set_new(
		p, "has_plans",
		json_boolean(json_array_size(json_object_get(p, "plans"))));
	json_object_set_new(
		p, "has_late",
		json_boolean(json_array_size(json_object_get(p, "late"))));
	json_object_set_new(
		p, "has_units",
		json_boolean(json_array_size(json_object_get(p, "by_unit"))));
}

/* Cases: the list (received in the period, by type; overdue) for whoever
 * reads every case, else the statistics of the same period. merged=0:
 * a merged case counts in the case it joined (voice_stats' rule). */
static void decorate_voice(struct dash *d, json_t *v)
{
	struct arena *a = d->req->arena;
	const char *span =
		arena_printf(a, "commune=%lld&merged=0&from=%s&to=%s",
			     d->commune, d->from, d->to);
	const char *stats =
		arena_printf(a, "/voice/stats?commune=%lld&from=%s&to=%s",
			     d->commune, d->from, d->to);
	set_href(v, "href",
		 d->list_cases ? arena_printf(a, "/voice?%s", span) : stats);
	set_href(v, "href_overdue",
		 d->list_cases
			 ? arena_printf(a, "/voice?urgency=overdue&%s", span)
			 : stats);
	set_href(v, "href_stats", stats);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(v, "by_type"), i, x)
	{
		const char *t = enc(
			d->req, json_string_value(json_object_get(x, "type")));
		set_href(x, "href",
			 d->list_cases
				 ? arena_printf(a, "/voice?type=%s&%s", t, span)
				 : stats);
		set_href(x, "href_overdue",
			 d->list_cases
				 ? arena_printf(a,
						"/voice?type=%s&urgency=overdue"
						"&%s",
						t, span)
				 : stats);
	}
	json_object_set_new(
		v, "has_types",
		json_boolean(json_array_size(json_object_get(v, "by_type"))));
}

static void decorate_rest(struct dash *d, json_t *fig)
{
	struct arena *a = d->req->arena;
	json_t *dis = part(fig, "disclosure");
	set_href(dis, "href",
		 arena_printf(a, "/disclosure?commune=%lld&year=%d&problems=1",
			      d->commune, d->year));
	json_object_set_new(
		dis, "has_items",
		json_boolean(json_array_size(json_object_get(dis, "items"))));
	json_t *out = part(fig, "outreach");
	set_href(out, "href",
		 arena_printf(a,
			      "/outreach/coverage?commune_id=%lld&from=%s"
			      "&to=%s",
			      d->commune, d->from, d->to));
	json_object_set_new(
		out, "has_gaps",
		json_boolean(json_array_size(json_object_get(out, "gaps"))));
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(out, "gaps"), i, x)
	{
		json_t *names = json_object_get(x, "villages_missed");
		const char *all = "";
		size_t k;
		json_t *n;
		json_array_foreach(names, k, n) all = arena_printf(
			a, "%s%s%s", all, k ? ", " : "",
			json_string_value(n) ? json_string_value(n) : "");
		json_object_set_new(x, "villages_vi",
				    json_string(all ? all : ""));
	}
	json_t *ov = part(fig, "oversight");
	/* open as of the period's end, as the figures count them */
	const char *oq = arena_printf(a, "commune=%lld&state=open&to=%s",
				      d->commune, d->to);
	set_href(ov, "href",
		 arena_printf(a, "/oversight/recommendations?%s", oq));
	set_href(ov, "href_findings", arena_printf(a, "/oversight?%s", oq));
	json_array_foreach(json_object_get(ov, "findings"), i, x)
		set_href(x, "href",
			 arena_printf(a, "/oversight/%lld",
				      count(x, "inspection_id")
					      ? count(x, "inspection_id")
					      : count(x, "id")));
	json_object_set_new(
		ov, "has_findings",
		json_boolean(json_array_size(json_object_get(ov, "findings"))));
}

/* The communes to choose from (more than one, a commune's lineage: the
 * upper level chooses on its province page): [{id, name, selected}]. */
static json_t *commune_choices(struct request *req, const long long *ids, int n,
			       long long sel)
{
	json_t *out = json_array();
	for (int i = 0; i < n && n > 1 && n <= 12; i++) {
		struct unit u;
		struct error e = {0};
		if (units_get(req->db, req->arena, ids[i], &u, &e))
			continue;
		json_array_append_new(out,
				      json_pack("{s:I, s:s, s:b}", "id",
						(json_int_t)ids[i], "name",
						u.full_name ? u.full_name : "",
						"selected", ids[i] == sel));
	}
	return out;
}

/* ?from= and ?to= (dd/mm/yyyy or ISO); this year to today by default. A
 * date that is no date is said and replaced by the default. */
static void read_period(struct request *req, struct dash *d, json_t *errors,
			json_t *form)
{
	struct date today = clock_today_vn(), f = {today.y, 1, 1}, t = today;
	const char *fv = text_trim(req->arena, param(req, "from"));
	const char *tv = text_trim(req->arena, param(req, "to"));
	struct date x;
	if (fv && *fv) {
		if (text_parse_date(fv, &x))
			f = x;
		else
			json_object_set_new(errors, "from",
					    json_string("Từ ngày không hợp lệ "
							"(dd/mm/yyyy)."));
	}
	if (tv && *tv) {
		if (text_parse_date(tv, &x))
			t = x;
		else
			json_object_set_new(errors, "to",
					    json_string("Đến ngày không hợp lệ "
							"(dd/mm/yyyy)."));
	}
	d->from = iso(req->arena, f);
	d->to = iso(req->arena, t);
	d->year = t.y;
	json_object_set_new(
		form, "from",
		json_string(fv && *fv ? fv
				      : text_format_date(req->arena, d->from)));
	json_object_set_new(
		form, "to",
		json_string(tv && *tv ? tv
				      : text_format_date(req->arena, d->to)));
}

static enum err get_dashboard(struct request *req, struct response *res)
{
	struct error e = {0};
	long long *ids;
	int n;
	enum err err = plan_user_communes(req, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	long long want = id_param(req, "commune");
	bool upper = is_upper(req);
	if (!n)
		return res_error(req, res, 403, msg_no_commune);
	if (want < 0 || (want > 0 && !in_list(ids, n, want)))
		return res_error(req, res, 403, msg_not_yours);
	if (!want && upper) {
		/* the upper level starts from its communes */
		res_redirect(res, req->api ? "/api/report/province"
					   : "/report/province");
		return ERR_OK;
	}
	struct dash d = {.req = req,
			 .commune = want ? want
					 : voice_pick_commune(req, ids, n, 0),
			 .list_cases = req->user->roles & CASE_LIST_ROLES};
	json_t *errors = json_object(), *form = json_object();
	read_period(req, &d, errors, form);
	json_t *fig = NULL;
	err = report_figures_kept(req->db, req->arena, d.commune, d.from, d.to,
				  &fig, &e);
	if (err) {
		json_decref(errors);
		json_decref(form);
		return res_fail(req, res, err, &e);
	}
	decorate_papi(&d, part(fig, "papi"));
	decorate_plan(&d, part(fig, "plan"));
	decorate_voice(&d, part(fig, "voice"));
	decorate_rest(&d, fig);
	bool empty = strcmp(d.from, d.to) > 0;
	json_object_set_new(
		fig, "period_vi",
		json_string(arena_printf(req->arena, "%s – %s",
					 text_format_date(req->arena, d.from),
					 text_format_date(req->arena, d.to))));
	json_object_set_new(fig, "empty_period", json_boolean(empty));
	json_object_set_new(fig, "form", form);
	json_object_set_new(fig, "errors", errors);
	json_object_set_new(fig, "communes",
			    commune_choices(req, ids, n, d.commune));
	json_object_set_new(fig, "many_communes",
			    json_boolean(n > 1 && n <= 12));
	json_object_set_new(fig, "upper", json_boolean(upper));
	json_object_set_new(fig, "nav", report_nav_json(req));
	json_object_set_new(fig, "commune_id", json_integer(d.commune));
	json_object_set_new(fig, "year", json_integer(d.year));
	const char *name = json_string_value(
		json_object_get(json_object_get(fig, "commune"), "name"));
	return res_page(req, res, json_object_size(errors) ? 422 : 200, T_DASH,
			arena_printf(req->arena, "Bảng điều hành – %s",
				     name ? name : ""),
			fig);
}

/* ---- the province ---- */

enum { SORT_NAME = -1, SORT_TOTAL = 8, SORT_COUNT0 = 9 };
static const char *const count_keys[4] = {"overdue_tasks", "cases_overdue",
					  "disclosures_missing",
					  "open_findings"};
static const char *const count_vi[4] = {"Nhiệm vụ quá hạn", "Hồ sơ quá hạn",
					"Chưa công khai", "Kết luận chưa xong"};

struct prow {
	json_t *row;
	const char *sort_key;
	double v; /* NaN: no value, always last */
};

static int by_name(const struct prow *x, const struct prow *y)
{
	int c = strcmp(x->sort_key, y->sort_key);
	return c ? c
		 : (count(x->row, "id") > count(y->row, "id")) -
			       (count(x->row, "id") < count(y->row, "id"));
}

static int cmp_asc(const void *p, const void *q)
{
	const struct prow *x = p, *y = q;
	if (isnan(x->v) != isnan(y->v))
		return isnan(x->v) ? 1 : -1;
	if (!isnan(x->v) && x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return by_name(x, y);
}

static int cmp_desc(const void *p, const void *q)
{
	const struct prow *x = p, *y = q;
	if (isnan(x->v) != isnan(y->v))
		return isnan(x->v) ? 1 : -1;
	if (!isnan(x->v) && x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return by_name(x, y);
}

static int cmp_name_desc(const void *p, const void *q)
{
	return by_name(q, p);
}

/* "D3" -> 2, "total" -> SORT_TOTAL, a count's key -> SORT_COUNT0 + i,
 * "name" or anything else -> SORT_NAME. */
static int sort_column(const char *s)
{
	if (s[0] == 'D' && s[1] >= '1' && s[1] <= '8' && !s[2])
		return s[1] - '1';
	if (!strcmp(s, "total"))
		return SORT_TOTAL;
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, count_keys[i]))
			return SORT_COUNT0 + i;
	return SORT_NAME;
}

static const char *column_key(int c)
{
	static const char *const d[8] = {"D1", "D2", "D3", "D4",
					 "D5", "D6", "D7", "D8"};
	return c == SORT_NAME     ? "name"
	       : c == SORT_TOTAL  ? "total"
	       : c >= SORT_COUNT0 ? count_keys[c - SORT_COUNT0]
				  : d[c];
}

/* The score of dimension k of a province row ({code, score, tier}). */
static json_t *dim_of(json_t *row, int k)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(row, "dimensions"), i, x)
	{
		const char *c = json_string_value(json_object_get(x, "code"));
		if (c && c[0] == 'D' && c[1] == '1' + k && !c[2])
			return x;
	}
	return NULL;
}

static double sort_value(json_t *row, int col)
{
	if (col == SORT_NAME)
		return 0;
	if (col == SORT_TOTAL)
		return num_or_nan(json_object_get(json_object_get(row, "total"),
						  "score"));
	if (col >= SORT_COUNT0)
		return (double)count(row, count_keys[col - SORT_COUNT0]);
	return num_or_nan(json_object_get(dim_of(row, col), "score"));
}

static enum err get_province(struct request *req, struct response *res)
{
	struct error e = {0};
	struct arena *a = req->arena;
	if (!is_upper(req))
		return res_error(req, res, 403, msg_province_only);
	long long *ids;
	int n;
	enum err err = plan_user_communes(req, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	struct date today = clock_today_vn();
	int year = today.y;
	long long y = id_param(req, "year");
	if (y >= 2000 && y <= 2100)
		year = (int)y;
	/* the communes in force at the end of the year (or today): a
	 * province view before a merger lists the communes of then */
	struct date ref = {year, 12, 31};
	if (year == today.y)
		ref = today;
	struct db_result *units;
	err = dashdb_communes_on(req->db, a, iso(a, ref), &units, &e);
	if (err)
		return res_fail(req, res, err, &e);
	long long *mine = arena_alloc(a, sizeof *mine * (size_t)(n + 1));
	int *row_of = arena_alloc(a, sizeof *row_of * (size_t)(n + 1));
	if (!mine || !row_of)
		return res_fail(req, res,
				error_set(&e, ERR_NOMEM, "out of memory"), &e);
	int m = 0;
	for (int i = 0; i < units->nrows; i++) {
		long long id = db_get_int(units, i, "id", 0);
		/* both sorted by id */
		if (in_list(ids, n, id) && m < n) {
			row_of[m] = i;
			mine[m++] = id;
		}
	}
	json_t *fig = NULL;
	err = report_province_figures_kept(req->db, a, mine, m, year, &fig, &e);
	if (err)
		return res_fail(req, res, err, &e);

	const char *sort = param(req, "sort");
	int col = sort_column(sort);
	const char *dir = param(req, "dir");
	bool desc = !strcmp(dir, "desc") ||
		    (!*dir && col != SORT_NAME && col < SORT_COUNT0);
	const char *dimp = param(req, "dim");
	int mapcol = sort_column(dimp);
	if (mapcol == SORT_NAME || mapcol >= SORT_COUNT0)
		mapcol = SORT_TOTAL;

	json_t *rows = json_object_get(fig, "communes");
	size_t nr = json_array_size(rows);
	struct prow *pr = arena_alloc(a, sizeof *pr * (nr + 1));
	if (!pr) {
		json_decref(fig);
		return res_fail(req, res,
				error_set(&e, ERR_NOMEM, "out of memory"), &e);
	}
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		long long id = count(x, "id");
		const char *sk = NULL, *district = "";
		for (int k = 0; k < m; k++)
			if (mine[k] == id) {
				sk = db_get(units, row_of[k], "sort_key");
				district =
					db_get(units, row_of[k], "parent_name");
				if (!json_object_get(x, "full_name"))
					json_object_set_new(
						x, "full_name",
						json_string(
							db_get(units, row_of[k],
							       "full_name")));
			}
		pr[i] = (struct prow){x, sk ? sk : "", sort_value(x, col)};
		json_object_set_new(x, "district",
				    json_string(district ? district : ""));
		json_object_set_new(
			x, "href",
			json_string(arena_printf(
				a,
				"/report/dashboard?commune=%lld&from=%d-01-01"
				"&to=%s",
				id, year,
				year == today.y
					? iso(a, today)
					: arena_printf(a, "%d-12-31", year))));
		json_t *t = json_object_get(x, "total");
		if (json_is_object(t))
			add_tier(t);
		/* the eight cells in order, whatever the figures gave */
		json_t *cells = json_array();
		for (int k = 0; k < RADAR_AXES; k++) {
			json_t *c = dim_of(x, k);
			json_t *cell = c ? json_deep_copy(c) : json_object();
			add_tier(cell);
			json_array_append_new(cells, cell);
		}
		json_object_set_new(x, "cells", cells);
		json_t *mc = mapcol == SORT_TOTAL ? t : dim_of(x, mapcol);
		int g = mc ? tier_group(json_object_get(mc, "tier")) : 0;
		json_object_set_new(
			x, "map",
			json_pack("{s:O, s:i, s:s}", "score",
				  mc && json_object_get(mc, "score")
					  ? json_object_get(mc, "score")
					  : json_null(),
				  "group", g, "tier_vi", group_vi(g)));
	}
	if (nr)
		qsort(pr, nr, sizeof *pr,
		      col == SORT_NAME && desc ? cmp_name_desc
		      : desc                   ? cmp_desc
					       : cmp_asc);
	json_t *sorted = json_array();
	for (size_t k = 0; k < nr; k++)
		json_array_append(sorted, pr[k].row);
	/* the tier map: by district, then name (there are no boundary
	 * shapes in the data, so tiles in a stable order are what is
	 * honest) */
	for (size_t k = 0; k < nr; k++)
		pr[k].v = 0;
	json_t *tiles = json_array();
	if (nr) {
		struct prow *tp = arena_alloc(a, sizeof *tp * nr);
		if (tp) {
			memcpy(tp, pr, sizeof *tp * nr);
			for (size_t k = 0; k < nr; k++)
				tp[k].sort_key = arena_printf(
					a, "%s\x01%s",
					json_string_value(json_object_get(
						tp[k].row, "district")),
					tp[k].sort_key);
			qsort(tp, nr, sizeof *tp, cmp_asc);
			for (size_t k = 0; k < nr; k++)
				json_array_append(tiles, tp[k].row);
		}
	}

	/* the column heads: a plain link sorts, the same link again turns
	 * the order round */
	const char *keep =
		arena_printf(a, "year=%d&dim=%s", year, column_key(mapcol));
	json_t *cols = json_array();
	int order[1 + RADAR_AXES + 1 + 4];
	int no = 0;
	order[no++] = SORT_NAME;
	for (int k = 0; k < RADAR_AXES; k++)
		order[no++] = k;
	order[no++] = SORT_TOTAL;
	for (int k = 0; k < 4; k++)
		order[no++] = SORT_COUNT0 + k;
	for (int k = 0; k < no; k++) {
		int c = order[k];
		bool cur = c == col;
		bool next_desc =
			cur ? !desc : c != SORT_NAME && c < SORT_COUNT0;
		const char *label = c == SORT_NAME    ? "Xã, phường"
				    : c == SORT_TOTAL ? "Tổng"
				    : c >= SORT_COUNT0
					    ? count_vi[c - SORT_COUNT0]
					    : column_key(c);
		json_array_append_new(
			cols,
			json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:s}",
				  "key", column_key(c), "label", label, "title",
				  c >= 0 && c < RADAR_AXES ? dim_short[c]
							   : label,
				  "href",
				  arena_printf(a,
					       "/report/province?%s&sort=%s"
					       "&dir=%s",
					       keep, column_key(c),
					       next_desc ? "desc" : "asc"),
				  "sorted", cur, "arrow",
				  cur ? (desc ? "▼" : "▲") : "", "num",
				  c != SORT_NAME, "aria_sort",
				  desc ? "descending" : "ascending"));
	}
	json_t *dims = json_array();
	for (int k = 0; k <= RADAR_AXES; k++) {
		int c = k < RADAR_AXES ? k : SORT_TOTAL;
		json_array_append_new(
			dims,
			json_pack("{s:s, s:s, s:s, s:b}", "key", column_key(c),
				  "label",
				  c == SORT_TOTAL ? "Tổng điểm"
						  : arena_printf(a, "%s %s",
								 column_key(c),
								 dim_short[c]),
				  "href",
				  arena_printf(a,
					       "/report/province?year=%d&"
					       "sort=%s&dir=%s&dim=%s#ban-do",
					       year, column_key(col),
					       desc ? "desc" : "asc",
					       column_key(c)),
				  "selected", c == mapcol));
	}
	json_t *years = json_array();
	for (int k = today.y; k >= today.y - 5; k--)
		json_array_append_new(
			years,
			json_pack("{s:i, s:s, s:b}", "year", k, "href",
				  arena_printf(a,
					       "/report/province?year=%d&"
					       "sort=%s&dir=%s&dim=%s",
					       k, column_key(col),
					       desc ? "desc" : "asc",
					       column_key(mapcol)),
				  "selected", k == year));
	int scored = 0;
	for (size_t k = 0; k < nr; k++)
		scored += !isnan(sort_value(pr[k].row, SORT_TOTAL));
	json_object_set_new(fig, "communes", sorted);
	json_object_set_new(fig, "tiles", tiles);
	json_object_set_new(fig, "columns", cols);
	json_object_set_new(fig, "dims", dims);
	json_object_set_new(fig, "years", years);
	json_object_set_new(fig, "year", json_integer(year));
	json_object_set_new(fig, "sort", json_string(column_key(col)));
	json_object_set_new(fig, "dir", json_string(desc ? "desc" : "asc"));
	json_object_set_new(fig, "dim", json_string(column_key(mapcol)));
	json_object_set_new(
		fig, "dim_vi",
		json_string(mapcol == SORT_TOTAL
				    ? "tổng điểm"
				    : arena_printf(a, "%s %s",
						   column_key(mapcol),
						   dim_short[mapcol])));
	json_object_set_new(fig, "n", json_integer((json_int_t)nr));
	json_object_set_new(fig, "scored", json_integer(scored));
	json_object_set_new(fig, "has_communes", json_boolean(nr > 0));
	json_object_set_new(fig, "nav", report_nav_json(req));
	return res_page(req, res, 200, T_PROVINCE,
			arena_printf(a, "Tổng hợp các xã năm %d", year), fig);
}

void report_dashboard_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/report/dashboard", get_dashboard, ROLE_ANY_USER,
		 "report"},
		{"GET", "/report/province", get_province, ROLE_UPPER, "report"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
