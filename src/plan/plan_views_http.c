/* The plan's views and urging (plan_views.h): my tasks, overdue, by unit,
 * by dimension and indicator, the timeline, the calendar, the scorecards
 * and the requests; sending a reminder or an explanation request, and
 * answering one.
 *
 * Who sees what: every list shows the tasks of the communes the user sees
 * (plan_user_communes). Only the office urges; the urged unit's head or
 * the task's responsible official answers. Scorecards: the chair, vice
 * chair, office, front, inspection and upper level see every row, a unit
 * head the rows of their own units.
 *
 * Filters combine on every list (?unit= &user= &dimension= &indicator=
 * &status= &plan= &q= &from= &to=, and &commune= for who sees several
 * communes); the form keeps them and every link carries them. "Today" is
 * clock_today_vn(), so tests move it with QUANTRI_NOW. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan_views.h"
#include "scorecard.h"
#include "timeline.h"
#include "urgency.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../http/form.h"
#include "../http/template.h"
#include "../index/results.h"
#include "../base/banned.h"

#define ROLE_READ_ALL                                                          \
	(ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE | ROLE_FRONT |             \
	 ROLE_INSPECTION | ROLE_UPPER)
#define ROLE_SCORECARD (ROLE_READ_ALL | ROLE_UNIT_HEAD)

enum { Q_MAX_BYTES = 200, FILTER_QUERY_MAX = 2048 };

static const char msg_no_plan_access[] = "Bạn không có quyền xem nhiệm vụ này.";

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}

static long long id_of(const char *s)
{
	char *end;
	long long v = strtoll(s ? s : "", &end, 10);
	return s && *s && !*end && v > 0 ? v : 0;
}

static long long param_id(const struct request *req, const char *name)
{
	return id_of(req_param(req, name));
}

static struct actor actor_of(const struct request *req)
{
	return (struct actor){req->user ? req->user->id : 0,
			      req->user ? req->user->username : "",
			      req->remote_addr ? req->remote_addr : ""};
}

static bool has_id(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* ---- what every view shares: the user's communes, today, filters ---- */

struct view {
	struct request *req;
	struct arena *a;
	long long *all_communes; /* what the user sees */
	int nall;
	long long commune; /* ?commune=, one of them, or 0 */
	/* the commune the view is about: ?commune=, else the one whose
	 * lineage (mergers) holds every commune the user sees, else 0 */
	long long home;
	struct calendar cal;
	struct urgency u;
	struct pv_filter f;
	int page;
	json_t *errors; /* field -> Vietnamese message */
	const char *action;
	/* the raw values, for the form and the links */
	const char *q, *from, *to, *status;
	long long version;    /* the database's, for the views' cache */
	const char *page_key; /* set by page_hit: keep the rendered page */
	double t0; /* pv_now_ms() at the start, with QUANTRI_TIMING */
};

static void view_release(struct view *v)
{
	calendar_release(&v->cal);
	json_decref(v->errors);
}

static bool state_ok(const char *s)
{
	enum task_state x;
	return task_state_from_key(s, &x) || !strcmp(s, "done") ||
	       !strcmp(s, "active") || !strcmp(s, "not_cancelled");
}

/* "D1".."D8" */
static bool dimension_ok(const char *s)
{
	return s[0] == 'D' && s[1] >= '1' && s[1] <= '8' && !s[2];
}

/* "5.2.1", a catalogue code: digits and dots, and letters for a local one */
static bool indicator_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 20)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
			return false;
	return true;
}

/* A date filter: YYYY-MM-DD in *iso, or an error for the field. */
static void date_filter(struct view *v, const char *name, const char **iso)
{
	const char *raw = text_trim(v->a, param(v->req, name));
	struct date d;
	*iso = NULL;
	if (!raw || !*raw)
		return;
	if (!text_parse_date(raw, &d)) {
		json_object_set_new(
			v->errors, name,
			json_string("Ngày không đúng (dd/mm/yyyy)."));
		return;
	}
	char buf[11];
	date_format_iso(d, buf);
	*iso = arena_strdup(v->a, buf);
}

/* plan_user_communes, kept per user and database version (roles and
 * units change only with an audit row), whatever views_cache says. */
static enum err user_communes(struct view *v, struct error *e)
{
	const char *key = arena_printf(v->a, "communes:%lld", v->req->user->id);
	const char *data;
	size_t len;
	if (key && pv_ref_get(v->a, key, v->version, &data, &len)) {
		v->all_communes = (long long *)(uintptr_t)data;
		v->nall = (int)(len / sizeof(long long));
		/* the arena's copy is 16-aligned (arena.h) */
		return ERR_OK;
	}
	enum err err =
		plan_user_communes(v->req, &v->all_communes, &v->nall, e);
	if (!err && key)
		pv_ref_put(key, v->version, v->all_communes,
			   sizeof(long long) * (size_t)v->nall);
	return err;
}

/* The working-day calendar (calendar_db_load), kept the same way. */
static enum err calendar_of(struct view *v, struct error *e)
{
	const char *data;
	size_t len;
	if (pv_ref_get(v->a, "calendar", v->version, &data, &len)) {
		const struct calendar_day *d = (const void *)data;
		for (size_t i = 0; i < len / sizeof *d; i++) {
			struct date day = date_from_days(d[i].day);
			if (calendar_set(&v->cal, day, d[i].kind))
				return error_set(e, ERR_NOMEM, "out of memory");
		}
		return ERR_OK;
	}
	enum err err = calendar_db_load(v->req->db, v->a, &v->cal, e);
	if (!err)
		pv_ref_put("calendar", v->version, v->cal.days,
			   sizeof *v->cal.days * (size_t)v->cal.n);
	return err;
}

/* A JSON read of another capability (the filter form's choices), kept
 * per key and version whatever views_cache says. */
typedef enum err (*json_read)(struct db *db, struct arena *a, long long arg,
			      json_t **out, struct error *e);

static enum err cached_json(struct view *v, const char *kind, long long arg,
			    json_read read, json_t **out, struct error *e)
{
	const char *key = arena_printf(v->a, "json:%s:%lld", kind, arg);
	const char *data;
	size_t len;
	if (key && pv_ref_get(v->a, key, v->version, &data, &len)) {
		*out = json_loadb(data, len, 0, NULL);
		if (*out)
			return ERR_OK;
	}
	enum err err = read(v->req->db, v->a, arg, out, e);
	if (err || !key)
		return err;
	char *text = json_dumps(*out, JSON_COMPACT);
	if (text) {
		pv_ref_put(key, v->version, text, strlen(text));
		free(text);
	}
	return ERR_OK;
}

static enum err read_units(struct db *db, struct arena *a, long long commune,
			   json_t **out, struct error *e)
{
	return plan_unit_choices(db, a, commune, out, e);
}

static enum err read_users(struct db *db, struct arena *a, long long commune,
			   json_t **out, struct error *e)
{
	return plan_user_choices(db, a, commune, out, e);
}

static enum err read_links(struct db *db, struct arena *a, long long year,
			   json_t **out, struct error *e)
{
	return plan_link_choices(db, a, (int)year, out, e);
}

static enum err view_init(struct request *req, struct view *v,
			  const char *action, struct error *e)
{
	memset(v, 0, sizeof *v);
	v->req = req;
	v->a = req->arena;
	v->action = action;
	v->errors = json_object();
	calendar_init(&v->cal);
	enum err err = pvdb_version(req->db, v->a, &v->version, e);
	if (!err)
		err = user_communes(v, e);
	if (!err)
		err = calendar_of(v, e);
	if (err) {
		view_release(v);
		return err;
	}
	urgency_init(&v->u, &v->cal, clock_today_vn());

	struct pv_filter *f = &v->f;
	f->communes = v->all_communes;
	f->ncommunes = v->nall;
	long long c = param_id(req, "commune");
	if (c && has_id(v->all_communes, v->nall, c)) {
		v->commune = c;
		long long *one = arena_alloc(v->a, sizeof *one);
		if (!one) {
			view_release(v);
			return error_set(e, ERR_NOMEM, "out of memory");
		}
		*one = c;
		f->communes = one;
		f->ncommunes = 1;
	}
	v->home = v->commune;
	if (!v->home && v->nall == 1)
		v->home = v->all_communes[0];
	/* a commune sees its predecessors' plans too: it is their home */
	for (int i = 0; !v->home && v->nall <= 12 && i < v->nall; i++) {
		long long *lin;
		int n = 0, covered = 0;
		if (units_lineage(req->db, v->a, v->all_communes[i], &lin, &n,
				  e)) {
			view_release(v);
			return e->code ? e->code : ERR_DB;
		}
		for (int k = 0; k < v->nall; k++)
			covered += has_id(lin, n, v->all_communes[k]);
		if (covered == v->nall)
			v->home = v->all_communes[i];
	}
	f->plan_id = param_id(req, "plan");
	f->unit_id = param_id(req, "unit");
	f->user_id = param_id(req, "user");
	const char *d = param(req, "dimension"), *ind = param(req, "indicator");
	f->dimension = dimension_ok(d) ? d : NULL;
	f->indicator = indicator_ok(ind) ? ind : NULL;
	const char *s = param(req, "status");
	v->status = state_ok(s) ? s : "";
	f->state = *v->status ? v->status : NULL;
	const char *q = text_trim(v->a, param(req, "q"));
	if (q && strlen(q) > Q_MAX_BYTES)
		q = arena_strndup(v->a, q, text_utf8_prefix(q, Q_MAX_BYTES));
	v->q = q ? q : "";
	f->q_fold = *v->q ? text_fold(v->a, v->q) : NULL;
	date_filter(v, "from", &f->due_from);
	date_filter(v, "to", &f->due_to);
	v->from = f->due_from ? f->due_from : param(req, "from");
	v->to = f->due_to ? f->due_to : param(req, "to");
	f->u = &v->u;
	f->version = v->version;
	long long page = param_id(req, "page");
	v->page = page > 0 && page < 100000 ? (int)page : 1;
	return ERR_OK;
}

/* key=value&... of the filters in force (without page), for links. */
static const char *filter_query(struct view *v, const char *const *skip)
{
	struct {
		const char *k, *val;
	} kv[] = {
		{"commune",
		 v->commune ? arena_printf(v->a, "%lld", v->commune) : NULL},
		{"plan", v->f.plan_id ? arena_printf(v->a, "%lld", v->f.plan_id)
				      : NULL},
		{"unit", v->f.unit_id ? arena_printf(v->a, "%lld", v->f.unit_id)
				      : NULL},
		{"user", v->f.user_id ? arena_printf(v->a, "%lld", v->f.user_id)
				      : NULL},
		{"dimension", v->f.dimension},
		{"indicator", v->f.indicator},
		{"status", *v->status ? v->status : NULL},
		{"q", *v->q ? v->q : NULL},
		{"from", v->f.due_from},
		{"to", v->f.due_to},
	};
	char buf[FILTER_QUERY_MAX];
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
		bool skipped = false;
		for (int k = 0; skip && skip[k]; k++)
			skipped |= !strcmp(skip[k], kv[i].k);
		if (!kv[i].val || !*kv[i].val || skipped)
			continue;
		char *enc = form_encode(v->a, kv[i].val);
		int n = snprintf(buf + len, sizeof buf - len, "%s%s=%s",
				 len ? "&" : "", kv[i].k, enc ? enc : "");
		if (n < 0 || len + (size_t)n >= sizeof buf)
			break;
		len += (size_t)n;
	}
	return arena_strdup(v->a, buf);
}

static json_t *option(long long id, const char *label, bool selected)
{
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "id", json_integer(id));
	json_object_set_new_nocheck(o, "label",
				    json_string(label ? label : ""));
	json_object_set_new_nocheck(o, "selected", json_boolean(selected));
	return o;
}

/* {code, label, selected}: a dimension, an indicator, a state. */
static json_t *choice(const char *key, const char *code, const char *label,
		      bool selected)
{
	json_t *o = json_object();
	json_object_set_new_nocheck(o, key, json_string(code));
	json_object_set_new_nocheck(o, "label",
				    json_string(label ? label : ""));
	json_object_set_new_nocheck(o, "selected", json_boolean(selected));
	return o;
}

static const char *const state_keys[] = {
	"overdue",   "due_soon",  "open",   "not_yet", "done_on_time",
	"done_late", "cancelled", "active", "done",    "not_cancelled"};

static const char *state_label(const char *key)
{
	enum task_state s;
	if (task_state_from_key(key, &s))
		return task_state_label_vi(s);
	if (!strcmp(key, "active"))
		return "Chưa hoàn thành";
	if (!strcmp(key, "done"))
		return "Đã hoàn thành (đúng hạn và trễ hạn)";
	if (!strcmp(key, "not_cancelled"))
		return "Tất cả, trừ đã hủy";
	return key;
}

/* The filter form's values and choices. with_status: the status select
 * (not on the overdue list, which is one status). */
static enum err filter_json(struct view *v, bool with_status, json_t **out,
			    struct error *e)
{
	struct arena *a = v->a;
	struct db *db = v->req->db;
	json_t *communes = json_array(), *plans = json_array(),
	       *units = json_array(), *officials = json_array(),
	       *dims = json_array(), *inds = json_array(),
	       *states = json_array();
	*out = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
		"s:b, s:b, s:b}",
		"action", v->action, "q", v->q, "from",
		v->f.due_from ? text_format_date(a, v->f.due_from) : v->from,
		"to", v->f.due_to ? text_format_date(a, v->f.due_to) : v->to,
		"status", v->status, "communes", communes, "plans", plans,
		"units", units, "officials", officials, "dimensions", dims,
		"indicators", inds, "states", states, "with_status",
		with_status, "several_communes", v->nall > 1, "with_dates",
		true);
	if (!*out)
		return error_set(e, ERR_NOMEM, "out of memory");
	struct db_result *r;
	enum err err = ERR_OK;
	if (v->nall > 1) {
		err = pvdb_units_named(db, a, v->all_communes, v->nall,
				       v->version, &r, e);
		for (int i = 0; !err && i < r->nrows; i++) {
			long long id = db_get_int(r, i, "id", 0);
			json_array_append_new(communes,
					      option(id, db_get(r, i, "name"),
						     id == v->commune));
		}
	}
	if (!err)
		err = pvdb_plans(db, a, v->f.communes, v->f.ncommunes,
				 v->version, &r, e);
	for (int i = 0; !err && i < r->nrows; i++) {
		long long id = db_get_int(r, i, "id", 0);
		long long number = db_get_int(r, i, "number", 0);
		const char *label =
			number ? arena_printf(a, "%02lld/%s – %s", number,
					      db_get(r, i, "symbol"),
					      db_get(r, i, "title"))
			       : arena_printf(a, "(Dự thảo) %s",
					      db_get(r, i, "title"));
		json_array_append_new(plans,
				      option(id, label, id == v->f.plan_id));
	}
	/* units and officials: those of one commune (several communes'
	 * units share names; choose the commune first) */
	if (!err && v->home) {
		json_t *uc = NULL, *oc = NULL;
		err = cached_json(v, "units", v->home, read_units, &uc, e);
		if (!err)
			err = cached_json(v, "users", v->home, read_users, &oc,
					  e);
		size_t i;
		json_t *x;
		json_array_foreach(uc, i, x)
		{
			long long id =
				json_integer_value(json_object_get(x, "id"));
			json_array_append_new(
				units, option(id,
					      json_string_value(json_object_get(
						      x, "name")),
					      id == v->f.unit_id));
		}
		json_array_foreach(oc, i, x)
		{
			long long id =
				json_integer_value(json_object_get(x, "id"));
			json_array_append_new(
				officials,
				option(id,
				       json_string_value(
					       json_object_get(x, "full_name")),
				       id == v->f.user_id));
		}
		json_decref(uc);
		json_decref(oc);
	}
	json_t *lc = NULL;
	if (!err)
		err = cached_json(v, "links", v->u.today.y, read_links, &lc, e);
	size_t i, k;
	json_t *d, *ind;
	json_array_foreach(lc, i, d)
	{
		const char *code = json_string_value(
				   json_object_get(d, "code")),
			   *name = json_string_value(
				   json_object_get(d, "name_vi"));
		if (!code)
			continue;
		json_array_append_new(
			dims, choice("code", code,
				     arena_cat(a, code, " – ", name ? name : "",
					       NULL),
				     v->f.dimension &&
					     !strcmp(code, v->f.dimension)));
		json_array_foreach(json_object_get(d, "indicators"), k, ind)
		{
			const char *ic = json_string_value(
					   json_object_get(ind, "code")),
				   *in = json_string_value(
					   json_object_get(ind, "name_vi"));
			if (!ic)
				continue;
			json_array_append_new(
				inds,
				choice("code", ic,
				       arena_cat(a, ic, " ", in ? in : "",
						 NULL),
				       v->f.indicator &&
					       !strcmp(ic, v->f.indicator)));
		}
	}
	json_decref(lc);
	for (size_t s = 0; s < sizeof state_keys / sizeof *state_keys; s++)
		json_array_append_new(
			states,
			choice("key", state_keys[s], state_label(state_keys[s]),
			       !strcmp(v->status, state_keys[s])));
	if (err) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

/* One task of a list, with its state on v's day. */
static json_t *task_row(struct view *v, const struct db_result *r, int i)
{
	struct arena *a = v->a;
	const char *status = db_get(r, i, "status"),
		   *start = db_get(r, i, "start_on"),
		   *due = db_get(r, i, "due_on"),
		   *done = db_get(r, i, "done_on");
	enum task_state s = urgency_state(&v->u, status, start, due, done);
	long long id = db_get_int(r, i, "id", 0);
	json_t *o = json_pack(
		"{s:I, s:s, s:s?, s:I, s:s, s:I, s:s, s:s?, s:s, s:s, s:s?, "
		"s:s, s:I, s:s, s:s, s:s, s:b, s:s}",
		"id", (json_int_t)id, "title", db_get(r, i, "title"),
		"parent_title", db_get(r, i, "parent_title"), "plan_id",
		(json_int_t)db_get_int(r, i, "plan_id", 0), "plan_title",
		db_get(r, i, "plan_title"), "lead_unit_id",
		(json_int_t)db_get_int(r, i, "lead_unit_id", 0),
		"lead_unit_name", db_get(r, i, "lead_unit_name"),
		"responsible_name", db_get(r, i, "responsible_name"),
		"start_on", start, "due_on", due, "done_on", done, "status",
		status, "progress", (json_int_t)db_get_int(r, i, "progress", 0),
		"state", task_state_key(s), "state_label",
		task_state_label_vi(s), "state_class", task_state_class(s),
		"co_unit", db_get_int(r, i, "co_unit", 0) != 0, "href",
		arena_printf(a, "/plan/tasks/%lld", id));
	if (!o)
		return json_object();
	long long rid = db_get_int(r, i, "responsible_user_id", 0);
	if (rid)
		json_object_set_new(o, "responsible_user_id",
				    json_integer(rid));
	if (s == TASK_OVERDUE)
		json_object_set_new(o, "days_late",
				    json_integer(urgency_days_between(
					    due, v->u.today_iso)));
	else if (s == TASK_DUE_SOON) {
		long left = urgency_days_between(v->u.today_iso, due);
		json_object_set_new(o, "days_left", json_integer(left));
		json_object_set_new(o, "due_today", json_boolean(left == 0));
	}
	return o;
}

/* A page of tasks and its pagination, into ctx. */
static enum err task_list(struct view *v, const char *order, json_t *ctx,
			  struct error *e)
{
	struct db_result *r;
	long long total = 0;
	enum err err = pvdb_tasks(v->req->db, v->a, &v->f, order, PV_PAGE,
				  (v->page - 1) * PV_PAGE, &r, &total, e);
	if (err)
		return err;
	json_t *rows = json_array();
	for (int i = 0; i < r->nrows; i++)
		json_array_append_new(rows, task_row(v, r, i));
	int pages = (int)((total + PV_PAGE - 1) / PV_PAGE);
	const char *q = filter_query(v, NULL);
	json_object_set_new(ctx, "tasks", rows);
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "page", json_integer(v->page));
	json_object_set_new(ctx, "pages", json_integer(pages ? pages : 1));
	if (v->page > 1)
		json_object_set_new(
			ctx, "prev",
			json_string(arena_printf(v->a, "%s%spage=%d", q,
						 *q ? "&" : "", v->page - 1)));
	if (v->page < pages)
		json_object_set_new(
			ctx, "next",
			json_string(arena_printf(v->a, "%s%spage=%d", q,
						 *q ? "&" : "", v->page + 1)));
	return ERR_OK;
}

/* The context every view starts from: filter form, today, the query. */
static enum err view_ctx(struct view *v, bool with_status, json_t **ctx,
			 struct error *e)
{
	json_t *filter;
	enum err err = filter_json(v, with_status, &filter, e);
	if (err)
		return err;
	const char *q = filter_query(v, NULL);
	const char *here =
		arena_printf(v->a, "%s%s%s", v->action, *q ? "?" : "", q);
	/* this page as a ?next= value, to come back to after urging */
	const char *here_enc = here ? form_encode(v->a, here) : NULL;
	*ctx = json_pack("{s:o, s:s, s:s, s:s, s:s, s:b, s:o}", "filter",
			 filter, "today", v->u.today_iso, "soon", v->u.soon_iso,
			 "query", q, "here", here_enc ? here_enc : "",
			 "can_urge", plan_can_manage(v->req), "has_errors",
			 json_boolean(json_object_size(v->errors) > 0));
	if (!*ctx)
		return error_set(e, ERR_NOMEM, "out of memory");
	json_object_set_new(*ctx, "filtering", json_boolean(*q));
	json_object_set(*ctx, "filter_errors", v->errors);
	return ERR_OK;
}

/* ---- whole pages, kept ----
 * A view's page depends on the user (communes, roles), the request's
 * parameters, today and the database: with those as the key and the
 * database version as the version, the rendered content is kept
 * (pv_cache_put) and the next request only wraps it in the layout. Pages
 * with a form that carries the session's CSRF token are never kept. */

/* The page's key: template, user, today, every parameter. */
static const char *page_key(struct view *v, const char *template_name)
{
	size_t n = 64 + strlen(template_name);
	for (int i = 0; i < v->req->nparams; i++)
		n += strlen(v->req->params[i].key) +
		     strlen(v->req->params[i].value) + 2;
	if (n > 4096)
		return NULL; /* not worth keeping */
	char *k = arena_alloc(v->a, n);
	if (!k)
		return NULL;
	int o = snprintf(k, n, "page:%s:%lld:%s", template_name,
			 v->req->user->id, v->u.today_iso);
	for (int i = 0; o > 0 && (size_t)o < n && i < v->req->nparams; i++)
		o += snprintf(k + o, n - (size_t)o, "\x1f%s=%s",
			      v->req->params[i].key, v->req->params[i].value);
	return k;
}

/* Rendered content in the layout. The text is our own template's output,
 * valid UTF-8: jansson need not check its hundred kilobytes again. */
static enum err raw_page(struct view *v, struct response *res,
			 const char *title, const char *html, size_t len)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "html", json_stringn_nocheck(html, len));
	return res_page(v->req, res, 200, "plan/views_raw", title, ctx);
}

/* Serves the kept page when there is one; else remembers the key so that
 * view_page keeps what it renders. */
static bool page_hit(struct view *v, struct response *res,
		     const char *template_name, enum err *err)
{
	/* without views_cache the page goes straight into the layout
	 * (res_page): no copy of the content to keep */
	if (v->req->api || !pv_cache_on())
		return false;
	v->page_key = page_key(v, template_name);
	const char *data;
	size_t len;
	if (!v->page_key ||
	    !pv_cache_get(v->a, v->page_key, v->version, &data, &len))
		return false;
	const char *title = data, *html = data + strlen(data) + 1;
	if ((size_t)(html - data) > len)
		return false;
	*err = raw_page(v, res, title, html, len - (size_t)(html - data) - 1);
	return true;
}

/* view_init, then the kept page when there is one. true when the response
 * is made (or the view failed): *err is then the handler's result. */
static bool view_open(struct request *req, struct response *res, struct view *v,
		      const char *path, const char *template_name,
		      enum err *err)
{
	struct error e = {0};
	double t0 = pv_timing() ? pv_now_ms() : 0;
	*err = view_init(req, v, path, &e);
	v->t0 = t0;
	if (t0 > 0)
		pv_timing_note("view_init", t0, path);
	if (*err) {
		*err = res_fail(req, res, *err, &e);
		return true;
	}
	if (page_hit(v, res, template_name, err)) {
		view_release(v);
		return true;
	}
	return false;
}

/* The view's page: 422 with the filter's problems (the list is still
 * shown, without the wrong filter), else 200, kept when page_hit asked. */
static enum err view_page(struct view *v, struct response *res,
			  const char *template_name, const char *title,
			  json_t *ctx)
{
	int status = json_object_size(v->errors) ? 422 : 200;
	double t1 = v->t0 > 0 ? pv_now_ms() : 0;
	if (t1 > 0)
		pv_timing_note("page data", v->t0, template_name);
	if (status != 200 || !v->page_key || v->req->api) {
		enum err err = res_page(v->req, res, status, template_name,
					title, ctx);
		if (t1 > 0) {
			pv_timing_note("render", t1, template_name);
			pv_timing_note("total", v->t0, template_name);
		}
		return err;
	}
	res_flag_arrays(ctx);
	char *html;
	size_t len;
	struct error e = {0};
	enum err err =
		template_render_name(template_name, ctx, v->a, &html, &len, &e);
	json_decref(ctx);
	if (t1 > 0)
		pv_timing_note("render", t1, template_name);
	if (err)
		return res_fail(v->req, res, err, &e);
	size_t tl = strlen(title);
	char *blob = arena_alloc(v->a, tl + 1 + len + 1);
	if (blob) {
		memcpy(blob, title, tl + 1);
		memcpy(blob + tl + 1, html, len + 1);
		pv_cache_put(v->page_key, v->version, blob, tl + 1 + len + 1);
	}
	return raw_page(v, res, title, html, len);
}

/* ---- my tasks, overdue, by unit ---- */

/* Totals over by-unit rows: tasks, done, overdue, due_soon. */
static json_t *sum_units(const struct db_result *r)
{
	long long t = 0, d = 0, o = 0, s = 0;
	for (int i = 0; i < r->nrows; i++) {
		t += db_get_int(r, i, "tasks", 0);
		d += db_get_int(r, i, "done", 0);
		o += db_get_int(r, i, "overdue", 0);
		s += db_get_int(r, i, "due_soon", 0);
	}
	return json_pack("{s:I, s:I, s:I, s:I}", "tasks", (json_int_t)t, "done",
			 (json_int_t)d, "overdue", (json_int_t)o, "due_soon",
			 (json_int_t)s);
}

static enum err get_my(struct request *req, struct response *res)
{
	struct view v;
	struct error e = {0};
	enum err err;
	if (view_open(req, res, &v, "/plan/my", "plan/mine", &err))
		return err;
	static const char *const roles[] = {"unit_head", "officer",
					    "village_head"};
	long long *units = NULL;
	int nunits = 0;
	err = pvdb_user_units(req->db, v.a, req->user->id, roles, 3, v.version,
			      &units, &nunits, &e);
	v.f.mine_user = req->user->id;
	v.f.mine_units = units;
	v.f.nmine_units = nunits;
	json_t *ctx = NULL;
	struct db_result *r;
	if (!err)
		err = view_ctx(&v, true, &ctx, &e);
	if (!err)
		err = pvdb_by_unit(req->db, v.a, &v.f, &r, &e);
	if (!err) {
		json_object_set_new(ctx, "summary", sum_units(r));
		err = task_list(&v, "due", ctx, &e);
	}
	if (err) {
		json_decref(ctx);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	err = view_page(&v, res, "plan/mine", "Nhiệm vụ của tôi", ctx);
	view_release(&v);
	return err;
}

static enum err get_overdue(struct request *req, struct response *res)
{
	struct view v;
	struct error e = {0};
	enum err err;
	if (view_open(req, res, &v, "/plan/overdue", "plan/overdue", &err))
		return err;
	v.status = "";
	v.f.state = "overdue";
	json_t *ctx = NULL;
	err = view_ctx(&v, false, &ctx, &e);
	if (!err)
		err = task_list(&v, "due", ctx, &e);
	if (err) {
		json_decref(ctx);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	err = view_page(&v, res, "plan/overdue", "Nhiệm vụ quá hạn", ctx);
	view_release(&v);
	return err;
}

static json_t *progress_of(long long sum, long long counted)
{
	return json_integer(counted > 0 ? (sum + counted / 2) / counted : 0);
}

static enum err get_by_unit(struct request *req, struct response *res)
{
	struct view v;
	struct error e = {0};
	enum err err;
	if (view_open(req, res, &v, "/plan/by-unit", "plan/by_unit", &err))
		return err;
	json_t *ctx = NULL;
	struct db_result *r;
	err = view_ctx(&v, true, &ctx, &e);
	if (!err)
		err = pvdb_by_unit(req->db, v.a, &v.f, &r, &e);
	if (!err) {
		static const char *const skip[] = {"unit", NULL};
		const char *q = filter_query(&v, skip);
		json_t *units = json_array();
		for (int i = 0; i < r->nrows; i++) {
			long long id = db_get_int(r, i, "unit_id", 0);
			json_array_append_new(
				units,
				json_pack(
					"{s:I, s:s, s:I, s:I, s:I, s:I, s:o, "
					"s:s, s:b}",
					"id", (json_int_t)id, "name",
					db_get(r, i, "unit_name"), "tasks",
					(json_int_t)db_get_int(r, i, "tasks",
							       0),
					"done",
					(json_int_t)db_get_int(r, i, "done", 0),
					"overdue",
					(json_int_t)db_get_int(r, i, "overdue",
							       0),
					"due_soon",
					(json_int_t)db_get_int(r, i, "due_soon",
							       0),
					"progress",
					progress_of(
						db_get_int(r, i, "progress_sum",
							   0),
						db_get_int(r, i, "counted", 0)),
					"href",
					arena_printf(
						v.a,
						"/plan/by-unit?%s%sunit=%lld",
						q, *q ? "&" : "", id),
					"selected", id == v.f.unit_id));
		}
		json_object_set_new(ctx, "units", units);
		json_object_set_new(ctx, "summary", sum_units(r));
		err = task_list(&v, "due", ctx, &e);
	}
	if (err) {
		json_decref(ctx);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	err = view_page(&v, res, "plan/by_unit", "Nhiệm vụ theo đơn vị", ctx);
	view_release(&v);
	return err;
}

/* ---- by dimension and indicator ---- */

struct ind_result {
	const char *code;
	double value, z; /* NaN: no score */
};

/* The latest survey results of the one commune in view: per indicator its
 * value and rescaled z (higher is better), per dimension its score. */
struct weak {
	bool have;
	const char *round_name;
	int year;
	struct ind_result *ind;
	int nind;
	struct ind_result dim[8];
};

static void weak_load(struct view *v, struct weak *w)
{
	memset(w, 0, sizeof *w);
	if (!v->home)
		return;
	struct error e = {0};
	long long *lineage, round = 0;
	int n = 0;
	if (units_lineage(v->req->db, v->a, v->home, &lineage, &n, &e) ||
	    pvdb_latest_round(v->req->db, v->a, lineage, n, &round, &e) ||
	    !round)
		return;
	struct results r;
	if (results_compute(v->req->db, v->a, round, &r, &e)) {
		/* no results to order by: the page says so, nothing fails */
		log_info("plan views: no results", "round=%lld %s", round,
			 e.msg);
		return;
	}
	w->ind = arena_alloc(v->a, sizeof *w->ind * (size_t)(r.nind + 1));
	if (!w->ind)
		return;
	for (int i = 0; i < r.nind; i++) {
		const struct score_value *sv = &r.ind[i];
		bool ok = sv->reason == SCORE_OK && !isnan(sv->value);
		w->ind[w->nind++] = (struct ind_result){
			r.cx.cat.indicators[r.ind_cat[i]].code,
			ok ? sv->value : NAN, ok && r.z ? r.z[i] : NAN};
	}
	for (int m = 0; m < r.ndim && m < 8; m++) {
		const struct score_value *sv = &r.dim[m];
		bool ok = sv->reason == SCORE_OK && !isnan(sv->value);
		w->dim[m] = (struct ind_result){
			r.cx.cat.dimensions[r.dim_cat[m]].code,
			ok ? sv->value : NAN, ok ? sv->value : NAN};
	}
	w->have = true;
	w->round_name = r.cx.round.name;
	w->year = r.cx.round.year;
}

static const struct ind_result *weak_find(const struct ind_result *x, int n,
					  const char *code)
{
	for (int i = 0; i < n; i++)
		if (x[i].code && code && !strcmp(x[i].code, code))
			return &x[i];
	return NULL;
}

/* NaN last, then ascending (weakest first) */
static int cmp_weak(const void *p, const void *q)
{
	double a = json_real_value(json_object_get(*(json_t *const *)p, "z")),
	       b = json_real_value(json_object_get(*(json_t *const *)q, "z"));
	bool na = !json_object_get(*(json_t *const *)p, "z"),
	     nb = !json_object_get(*(json_t *const *)q, "z");
	if (na || nb)
		return na - nb;
	return a < b ? -1 : a > b;
}

/* Sorts a JSON array of objects by their "z" with cmp_weak. */
static json_t *sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = calloc(n + 1, sizeof *v);
	if (!v)
		return arr;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, cmp_weak);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

static json_t *counts_json(const struct db_result *r, const char *dim,
			   const char *ind)
{
	for (int i = 0; r && i < r->nrows; i++) {
		const char *d = db_get(r, i, "dimension"),
			   *k = db_get(r, i, "indicator");
		if (d && k && !strcmp(d, dim) && !strcmp(k, ind))
			return json_pack(
				"{s:I, s:I, s:I, s:o}", "tasks",
				(json_int_t)db_get_int(r, i, "tasks", 0),
				"done", (json_int_t)db_get_int(r, i, "done", 0),
				"overdue",
				(json_int_t)db_get_int(r, i, "overdue", 0),
				"progress",
				progress_of(db_get_int(r, i, "progress_sum", 0),
					    db_get_int(r, i, "counted", 0)));
	}
	return json_pack("{s:i, s:i, s:i, s:i}", "tasks", 0, "done", 0,
			 "overdue", 0, "progress", 0);
}

static plan_citizens_fn citizens_by_dimension;

void plan_citizens_register(plan_citizens_fn fn)
{
	citizens_by_dimension = fn;
}

/* Citizens' cases of dimension dc in the array the voice capability gave,
 * as the page shows them, or NULL when none was raised. */
static json_t *citizens_of(struct view *v, json_t *by_dim, const char *dc,
			   const char *from, const char *to)
{
	size_t i;
	json_t *r;
	json_array_foreach(by_dim, i, r)
	{
		const char *d =
			json_string_value(json_object_get(r, "dimension"));
		if (!d || strcmp(d, dc))
			continue;
		json_int_t raised =
			json_integer_value(json_object_get(r, "raised"));
		if (raised <= 0)
			return NULL;
		json_t *pct = json_object_get(r, "on_time_pct");
		return json_pack(
			"{s:I, s:I, s:I, s:s, s:s}", "raised", raised,
			"answered",
			json_integer_value(json_object_get(r, "answered")),
			"overdue",
			json_integer_value(json_object_get(r, "overdue")),
			"on_time_pct",
			json_is_number(pct)
				? text_format_number(v->a,
						     json_number_value(pct), 1)
				: "",
			"href",
			arena_printf(v->a, "/voice/stats?from=%s&to=%s", from,
				     to));
	}
	return NULL;
}

static enum err get_by_dimension(struct request *req, struct response *res)
{
	struct view v;
	struct error e = {0};
	enum err err;
	if (view_open(req, res, &v, "/plan/by-dimension", "plan/by_dimension",
		      &err))
		return err;
	json_t *ctx = NULL, *lc = NULL;
	struct db_result *per_ind = NULL, *per_dim = NULL;
	/* the counts ignore the dimension and indicator filters: the page
	 * is the overview of them; the list below uses them */
	struct pv_filter all = v.f;
	all.dimension = all.indicator = NULL;
	err = view_ctx(&v, true, &ctx, &e);
	if (!err)
		err = pvdb_by_link(req->db, v.a, &all, false, &per_ind, &e);
	if (!err)
		err = pvdb_by_link(req->db, v.a, &all, true, &per_dim, &e);
	if (!err)
		err = cached_json(&v, "links", v.u.today.y, read_links, &lc,
				  &e);
	/* what citizens raised in the same span: the due range asked, else
	 * this year to today */
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", v.u.today.y);
	snprintf(to, sizeof to, "%s", v.u.today_iso);
	if (v.f.due_from && *v.f.due_from)
		snprintf(from, sizeof from, "%s", v.f.due_from);
	if (v.f.due_to && *v.f.due_to)
		snprintf(to, sizeof to, "%s", v.f.due_to);
	json_t *citizens = NULL;
	if (!err && citizens_by_dimension)
		err = citizens_by_dimension(req->db, v.a, v.f.communes,
					    v.f.ncommunes, from, to, &citizens,
					    &e);
	if (err) {
		json_decref(ctx);
		json_decref(citizens);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	struct weak w;
	weak_load(&v, &w);
	static const char *const skip[] = {"dimension", "indicator", NULL};
	const char *q = filter_query(&v, skip);
	const char *sep = *q ? "&" : "";
	json_t *dims = json_array(), *weakest = json_array();
	size_t i, k;
	json_t *d, *ind;
	json_array_foreach(lc, i, d)
	{
		const char *dc = json_string_value(json_object_get(d, "code"));
		if (!dc)
			continue;
		json_t *inds = json_array();
		json_array_foreach(json_object_get(d, "indicators"), k, ind)
		{
			const char *ic =
				json_string_value(json_object_get(ind, "code"));
			if (!ic)
				continue;
			json_t *o = json_pack(
				"{s:s, s:O, s:o, s:s, s:b}", "code", ic, "name",
				json_object_get(ind, "name_vi"), "counts",
				counts_json(per_ind, dc, ic), "href",
				arena_printf(v.a,
					     "/plan/by-dimension?%s%sindicator="
					     "%s#tasks",
					     q, sep, ic),
				"selected",
				v.f.indicator && !strcmp(v.f.indicator, ic));
			const struct ind_result *x =
				w.have ? weak_find(w.ind, w.nind, ic) : NULL;
			if (x && !isnan(x->value)) {
				json_object_set_new(
					o, "value",
					json_string(text_format_number(
						v.a, x->value, 2)));
				if (!isnan(x->z))
					json_object_set_new(o, "z",
							    json_real(x->z));
			}
			json_array_append_new(inds, o);
			if (x && !isnan(x->z))
				json_array_append(weakest, o);
		}
		if (w.have)
			inds = sorted(inds);
		json_t *o = json_pack(
			"{s:s, s:O, s:o, s:o, s:o, s:s, s:b}", "code", dc,
			"name", json_object_get(d, "name_vi"), "counts",
			counts_json(per_dim, dc, ""), "whole",
			counts_json(per_ind, dc, ""), "indicators", inds,
			"href",
			arena_printf(
				v.a,
				"/plan/by-dimension?%s%sdimension=%s#tasks", q,
				sep, dc),
			"selected",
			v.f.dimension && !strcmp(v.f.dimension, dc));
		json_t *cit = citizens_of(&v, citizens, dc, from, to);
		if (cit)
			json_object_set_new(o, "citizens", cit);
		const struct ind_result *x =
			w.have ? weak_find(w.dim, 8, dc) : NULL;
		if (x && !isnan(x->value)) {
			json_object_set_new(o, "score",
					    json_string(text_format_number(
						    v.a, x->value, 2)));
			json_object_set_new(o, "z", json_real(x->value));
		}
		json_array_append_new(dims, o);
	}
	json_decref(lc);
	json_decref(citizens);
	if (w.have) {
		dims = sorted(dims);
		weakest = sorted(weakest);
		while (json_array_size(weakest) > 10)
			json_array_remove(weakest,
					  json_array_size(weakest) - 1);
		json_object_set_new(ctx, "results",
				    json_pack("{s:s, s:i}", "round",
					      w.round_name ? w.round_name : "",
					      "year", w.year));
	}
	json_object_set_new(ctx, "dims", dims);
	json_object_set_new(ctx, "weakest", weakest);
	json_object_set_new(ctx, "one_commune", json_boolean(v.home != 0));
	err = task_list(&v, "due", ctx, &e);
	if (err) {
		json_decref(ctx);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	err = view_page(&v, res, "plan/by_dimension",
			"Nhiệm vụ theo lĩnh vực, chỉ số", ctx);
	view_release(&v);
	return err;
}

/* ---- timeline, calendar ---- */

static enum err get_timeline(struct request *req, struct response *res)
{
	struct view v;
	struct error e = {0};
	enum err err;
	if (view_open(req, res, &v, "/plan/timeline", "plan/timeline", &err))
		return err;
	json_t *ctx = NULL;
	struct db_result *r;
	long long total = 0;
	err = view_ctx(&v, true, &ctx, &e);
	if (!err)
		err = pvdb_tasks(req->db, v.a, &v.f, "start", TIMELINE_MAX_BARS,
				 0, &r, &total, &e);
	if (err) {
		json_decref(ctx);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	struct timeline_bar *bars =
		arena_alloc(v.a, sizeof *bars * (size_t)(r->nrows + 1));
	json_t *rows = json_array();
	for (int i = 0; bars && i < r->nrows; i++) {
		json_t *t = task_row(&v, r, i);
		json_array_append_new(rows, t);
		enum task_state s = TASK_OPEN;
		task_state_from_key(
			json_string_value(json_object_get(t, "state")), &s);
		const char *parent = db_get(r, i, "parent_title");
		bars[i] = (struct timeline_bar){
			parent ? arena_printf(v.a, "%s – %s", parent,
					      db_get(r, i, "title"))
			       : db_get(r, i, "title"),
			db_get(r, i, "lead_unit_name"),
			db_get(r, i, "start_on"),
			db_get(r, i, "due_on"),
			s,
			(int)db_get_int(r, i, "progress", 0),
			json_string_value(json_object_get(t, "href"))};
	}
	char *svg = bars ? timeline_svg(v.a, bars, r->nrows, v.u.today,
					v.f.due_from, v.f.due_to)
			 : NULL;
	if (!svg) {
		json_decref(rows);
		json_decref(ctx);
		view_release(&v);
		return res_fail(
			req, res, ERR_NOMEM,
			&(struct error){ERR_NOMEM, "timeline too large"});
	}
	json_object_set_new(ctx, "svg", json_string(svg));
	json_object_set_new(ctx, "tasks", rows);
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "shown", json_integer(r->nrows));
	json_object_set_new(ctx, "cut", json_boolean(total > r->nrows));
	err = view_page(&v, res, "plan/timeline", "Tiến độ theo thời gian",
			ctx);
	view_release(&v);
	return err;
}

static const char *const weekday_vi[7] = {"Thứ Hai", "Thứ Ba",  "Thứ Tư",
					  "Thứ Năm", "Thứ Sáu", "Thứ Bảy",
					  "Chủ nhật"};

static enum err get_calendar(struct request *req, struct response *res)
{
	struct view v;
	struct error e = {0};
	enum err err;
	if (view_open(req, res, &v, "/plan/calendar", "plan/calendar", &err))
		return err;
	int y, m;
	if (!month_parse(param(req, "month"), v.u.today, &y, &m)) {
		json_object_set_new(v.errors, "month",
				    json_string("Tháng không đúng (yyyy-mm)."));
		y = v.u.today.y;
		m = v.u.today.m;
	}
	struct month_grid g;
	month_grid_build(&g, y, m, &v.cal, v.u.today);
	/* the month is the due range; the other filters stay */
	v.f.due_from = g.first;
	v.f.due_to = g.last;
	json_t *ctx = NULL;
	struct db_result *r;
	long long total = 0;
	err = view_ctx(&v, true, &ctx, &e);
	if (!err)
		err = pvdb_tasks(req->db, v.a, &v.f, "due", PV_MAX_ROWS, 0, &r,
				 &total, &e);
	if (err) {
		json_decref(ctx);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	json_object_set_new(json_object_get(ctx, "filter"), "with_dates",
			    json_false());
	/* the month's own query string: without from/to */
	static const char *const skip[] = {"from", "to", NULL};
	const char *q = filter_query(&v, skip);
	json_object_set_new(ctx, "filtering", json_boolean(*q));
	json_t *weeks = json_array();
	int row = 0;
	for (int w = 0; w < g.nweeks; w++) {
		json_t *days = json_array();
		for (int k = 0; k < 7; k++) {
			const struct month_day *md = &g.days[w * 7 + k];
			char iso[11];
			date_format_iso(md->day, iso);
			json_t *tasks = json_array();
			while (row < r->nrows &&
			       strcmp(db_get(r, row, "due_on"), iso) < 0)
				row++;
			while (row < r->nrows &&
			       !strcmp(db_get(r, row, "due_on"), iso))
				json_array_append_new(tasks,
						      task_row(&v, r, row++));
			json_array_append_new(
				days,
				json_pack("{s:i, s:s, s:s, s:b, s:b, s:b, s:o}",
					  "d", md->day.d, "iso", iso, "weekday",
					  weekday_vi[k], "in_month",
					  md->in_month, "working", md->working,
					  "today", md->today, "tasks", tasks));
		}
		json_array_append_new(weeks, json_pack("{s:o}", "days", days));
	}
	json_t *head = json_array();
	for (int k = 0; k < 7; k++)
		json_array_append_new(head, json_string(weekday_vi[k]));
	json_object_set_new(
		ctx, "month",
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:b}",
			  "label", arena_printf(v.a, "Tháng %d/%d", m, y),
			  "value", arena_printf(v.a, "%04d-%02d", y, m), "prev",
			  g.prev, "next", g.next, "query", q, "weekdays", head,
			  "weeks", weeks, "tasks", (json_int_t)total, "cut",
			  total > r->nrows));
	err = view_page(
		&v, res, "plan/calendar",
		arena_printf(v.a, "Lịch hạn nhiệm vụ tháng %d/%d", m, y), ctx);
	view_release(&v);
	return err;
}

/* ---- scorecards ---- */

/* {n, href}. Built without json_pack and printf: the province's scorecard
 * has nine of them on each of its hundred rows. */
static json_t *link_num(int n, const char *href)
{
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "n", json_integer(n));
	json_object_set_new_nocheck(o, "href",
				    json_string_nocheck(href ? href : ""));
	return o;
}

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new_nocheck(o, key, v);
}

/* A scorecard row with each number linked to the list behind it. who:
 * "unit" or "user"; key: its id (0: the totals row). */
static json_t *score_row(struct view *v, const struct scorecard_row *row,
			 const char *who, const struct scorecard_period *p,
			 int min_tasks)
{
	struct arena *a = v->a;
	struct scorecard_score s;
	scorecard_score(&row->c, min_tasks, &s);
	char commune[32] = "", plan[32] = "", key[48] = "";
	if (v->commune)
		snprintf(commune, sizeof commune, "commune=%lld&", v->commune);
	if (v->f.plan_id)
		snprintf(plan, sizeof plan, "plan=%lld&", v->f.plan_id);
	if (row->key)
		snprintf(key, sizeof key, "%s=%lld&", who, row->key);
	const char *base = arena_cat(a, commune, plan, key, NULL);
	const char *period =
		arena_cat(a, "from=", p->from, "&to=", p->to, NULL);
	/* pending: still in time, due from today (or the period's start) */
	const char *pend_from =
		strcmp(v->u.today_iso, p->from) > 0 ? v->u.today_iso : p->from;
#define LIST(state)                                                            \
	arena_cat(a, "/plan/by-unit?", base, "status=", state, "&", period,    \
		  NULL)
#define REQUESTS(query)                                                        \
	arena_cat(a, "/plan/requests?", base, query, period, NULL)
	json_t *o = json_object();
	set(o, "key", json_integer(row->key));
	set(o, "name", json_string(row->name ? row->name : "Tổng cộng"));
	set(o, "due", link_num(row->c.due, LIST("not_cancelled")));
	set(o, "on_time", link_num(row->c.on_time, LIST("done_on_time")));
	set(o, "late", link_num(row->c.late, LIST("done_late")));
	set(o, "overdue", link_num(row->c.overdue, LIST("overdue")));
	set(o, "pending",
	    link_num(row->c.pending, arena_cat(a, "/plan/by-unit?", base,
					       "status=active&from=", pend_from,
					       "&to=", p->to, NULL)));
	set(o, "requests", link_num(row->c.requests, REQUESTS("state=all&")));
	set(o, "explanations",
	    link_num(row->c.explanations,
		     REQUESTS("state=all&kind=explanation&")));
	set(o, "unanswered",
	    link_num(row->c.unanswered,
		     REQUESTS("state=open&kind=explanation&late=1&")));
	set(o, "has_score", json_boolean(s.has));
	set(o, "counted", json_integer(s.counted));
#undef LIST
#undef REQUESTS
	if (row->key && !strcmp(who, "commune"))
		set(o, "href",
		    json_string(arena_cat(a, "/plan/scorecard?commune=",
					  key + strlen("commune="), plan,
					  period, NULL)));
	if (s.has) {
		set(o, "score", json_string(text_format_number(a, s.value, 1)));
		set(o, "score_raw", json_real(s.value));
	} else {
		set(o, "reason", json_string(s.reason_vi));
		set(o, "reason_code", json_string(s.reason_code));
	}
	return o;
}

static json_t *score_table(struct view *v, const struct scorecard_row *rows,
			   int n, const char *who,
			   const struct scorecard_period *p, int min_tasks)
{
	json_t *list = json_array();
	struct scorecard_row total = {0};
	for (int i = 0; i < n; i++) {
		json_array_append_new(
			list, score_row(v, &rows[i], who, p, min_tasks));
		scorecard_add(&total.c, &rows[i].c);
	}
	return json_pack("{s:o, s:o}", "rows", list, "total",
			 score_row(v, &total, who, p, min_tasks));
}

static enum err get_scorecard(struct request *req, struct response *res)
{
	struct view v;
	struct error e = {0};
	enum err err;
	if (view_open(req, res, &v, "/plan/scorecard", "plan/scorecard", &err))
		return err;
	struct scorecard_period p;
	const char *why = NULL, *field = NULL;
	if (!scorecard_period_parse(param(req, "from"), param(req, "to"),
				    v.u.today, &p, &why)) {
		field = p.field ? p.field : "from";
		scorecard_period_parse(NULL, NULL, v.u.today, &p, &why);
	}
	/* from and to are the period here, not a due-date filter */
	v.f.due_from = v.f.due_to = NULL;
	json_object_del(v.errors, "from");
	json_object_del(v.errors, "to");
	if (field)
		json_object_set_new(v.errors, field, json_string(why));
	long long *own = NULL;
	int nown = 0;
	bool all = req->user->roles & ROLE_READ_ALL;
	if (!all) {
		static const char *const roles[] = {"unit_head"};
		err = pvdb_user_units(req->db, v.a, req->user->id, roles, 1,
				      v.version, &own, &nown, &e);
		v.f.only_units = own;
		/* a unit head without a unit sees no row */
		v.f.nonly_units = nown ? nown : -1;
	}
	json_t *ctx = NULL;
	struct scorecard_row *urows = NULL, *prows = NULL;
	int nu = 0, np = 0, min_tasks = 5;
	if (!err)
		err = view_ctx(&v, false, &ctx, &e);
	/* several communes and none chosen (the upper level): one row per
	 * commune, whose name leads to its units and officials */
	bool by_commune = !v.home;
	if (!err)
		err = pvdb_scorecard(req->db, v.a, &v.f, &p,
				     by_commune ? "commune" : "unit", &urows,
				     &nu, &min_tasks, &e);
	if (!err && !by_commune)
		err = pvdb_scorecard(req->db, v.a, &v.f, &p, "user", &prows,
				     &np, NULL, &e);
	if (err) {
		json_decref(ctx);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	/* the form shows the period, not a due range */
	json_t *filter = json_object_get(ctx, "filter");
	json_object_set_new(filter, "from",
			    json_string(text_format_date(v.a, p.from)));
	json_object_set_new(filter, "to",
			    json_string(text_format_date(v.a, p.to)));
	json_object_set_new(
		ctx, "period",
		json_pack("{s:s, s:s}", "from", p.from, "to", p.to));
	json_object_set_new(ctx, "min_tasks", json_integer(min_tasks));
	json_t *units = score_table(
		&v, urows, nu, by_commune ? "commune" : "unit", &p, min_tasks);
	json_object_set_new(
		units, "title",
		json_string(by_commune ? "Theo xã" : "Theo đơn vị"));
	json_object_set_new(units, "by_commune", json_boolean(by_commune));
	json_object_set_new(ctx, "units", units);
	if (!by_commune)
		json_object_set_new(
			ctx, "officials",
			score_table(&v, prows, np, "user", &p, min_tasks));
	json_object_set_new(ctx, "own_units_only", json_boolean(!all));
	json_object_set_new(ctx, "penalty",
			    json_integer(SCORECARD_PENALTY_UNANSWERED));
	err = view_page(&v, res, "plan/scorecard",
			"Bảng điểm thực hiện nhiệm vụ", ctx);
	view_release(&v);
	return err;
}

/* ---- requests ---- */

/* "?next=" only to a page of this site's plan views. */
static const char *back_to(const struct request *req, const char *fallback)
{
	const char *n = param(req, "next");
	if (strncmp(n, "/plan/", 6) || strstr(n, "//") || strchr(n, '\\'))
		return fallback;
	for (const char *p = n; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return fallback;
	return n;
}

static enum err requests_page(struct request *req, struct response *res,
			      json_t *new_form, json_t *errors)
{
	struct view v;
	struct error e = {0};
	enum err err = view_init(req, &v, "/plan/requests", &e);
	if (err) {
		json_decref(new_form);
		json_decref(errors);
		return res_fail(req, res, err, &e);
	}
	struct pv_request_filter f = {.communes = v.f.communes,
				      .ncommunes = v.f.ncommunes,
				      .unit_id = v.f.unit_id,
				      .user_id = v.f.user_id,
				      .plan_id = v.f.plan_id,
				      .version = v.version};
	const char *state = param(req, "state"), *kind = param(req, "kind");
	if (strcmp(state, "all") && strcmp(state, "answered"))
		state = "open";
	f.state = strcmp(state, "all") ? state : NULL;
	f.kind = !strcmp(kind, "reminder") || !strcmp(kind, "explanation")
			 ? kind
			 : NULL;
	/* from/to: the days the requests were sent */
	struct scorecard_period sent;
	const char *why;
	if ((v.f.due_from || v.f.due_to) &&
	    scorecard_period_parse(v.f.due_from ? v.f.due_from : "1900-01-01",
				   v.f.due_to ? v.f.due_to : "9999-12-31",
				   v.u.today, &sent, &why)) {
		f.from_utc = v.f.due_from ? sent.from_utc : NULL;
		f.to_utc = v.f.due_to ? sent.to_utc : NULL;
	}
	if (!strcmp(param(req, "late"), "1"))
		f.overdue_before = v.u.today_iso;
	/* the office and those who read everything see all; the others,
	 * what was sent to their units or about their tasks */
	bool all = req->user->roles & ROLE_READ_ALL;
	static const char *const head[] = {"unit_head"};
	static const char *const mine[] = {"unit_head", "officer",
					   "village_head"};
	long long *heads = NULL, *units = NULL;
	int nheads = 0, nunits = 0;
	err = pvdb_user_units(req->db, v.a, req->user->id, head, 1, v.version,
			      &heads, &nheads, &e);
	if (!err && !all) {
		err = pvdb_user_units(req->db, v.a, req->user->id, mine, 3,
				      v.version, &units, &nunits, &e);
		f.units = units;
		f.nunits = nunits;
		f.or_responsible = req->user->id;
	}
	json_t *ctx = NULL;
	struct db_result *r;
	if (!err)
		err = view_ctx(&v, false, &ctx, &e);
	if (!err)
		err = pvdb_requests(req->db, v.a, &f, &r, &e);
	if (err) {
		json_decref(ctx);
		json_decref(new_form);
		json_decref(errors);
		view_release(&v);
		return res_fail(req, res, err, &e);
	}
	json_t *rows = json_array();
	for (int i = 0; i < r->nrows; i++) {
		json_t *o = db_row_json(r, i);
		const char *k = db_get(r, i, "kind"),
			   *due = db_get(r, i, "answer_due");
		bool answered = db_get(r, i, "answer") != NULL;
		bool expl = k && !strcmp(k, "explanation");
		long long unit = db_get_int(r, i, "unit_id", 0);
		bool may = !answered && (db_get_int(r, i, "responsible_user_id",
						    0) == req->user->id ||
					 has_id(heads, nheads, unit));
		json_object_set_new(
			o, "kind_vi",
			json_string(expl ? "Yêu cầu giải trình" : "Nhắc việc"));
		json_object_set_new(o, "explanation", json_boolean(expl));
		json_object_set_new(o, "answered", json_boolean(answered));
		json_object_set_new(o, "may_answer", json_boolean(may));
		json_object_set_new(
			o, "answer_late",
			json_boolean(expl && !answered && due &&
				     strcmp(due, v.u.today_iso) < 0));
		json_array_append_new(rows, o);
	}
	json_object_set_new(ctx, "requests", rows);
	json_object_set_new(ctx, "state", json_string(state));
	json_object_set_new(ctx, "state_answered",
			    json_boolean(!strcmp(state, "answered")));
	json_object_set_new(ctx, "state_all",
			    json_boolean(!strcmp(state, "all")));
	json_object_set_new(
		ctx, "kind_reminder",
		json_boolean(f.kind && !strcmp(f.kind, "reminder")));
	json_object_set_new(
		ctx, "kind_explanation",
		json_boolean(f.kind && !strcmp(f.kind, "explanation")));
	json_object_set_new(ctx, "kind", json_string(f.kind ? f.kind : ""));
	json_object_set_new(ctx, "late",
			    json_boolean(f.overdue_before != NULL));
	json_object_set_new(ctx, "sees_all", json_boolean(all));
	if (new_form && !errors) { /* the office's form, asked for */
		json_object_set_new(ctx, "new", new_form);
		err = view_page(&v, res, "plan/requests",
				"Đôn đốc thực hiện nhiệm vụ", ctx);
		view_release(&v);
		return err;
	}
	if (new_form || errors) {
		if (new_form)
			json_object_set_new(ctx, "new", new_form);
		view_release(&v);
		return res_invalid(req, res, "plan/requests",
				   "Đôn đốc thực hiện nhiệm vụ", ctx,
				   errors ? errors : json_object());
	}
	json_decref(errors);
	err = view_page(&v, res, "plan/requests", "Đôn đốc thực hiện nhiệm vụ",
			ctx);
	view_release(&v);
	return err;
}

/* ?task=: the office's form to urge that task, above the list. */
static enum err get_requests(struct request *req, struct response *res)
{
	long long task_id = param_id(req, "task");
	if (!task_id || !plan_can_manage(req))
		return requests_page(req, res, NULL, NULL);
	struct error e = {0};
	struct db_result *t;
	enum err err = pvdb_task_brief(req->db, req->arena, task_id, &t, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!plan_can_see(req, db_get_int(t, 0, "plan_unit_id", 0)))
		return res_error(req, res, 403, msg_no_plan_access);
	const char *title = db_get(t, 0, "title"),
		   *unit = db_get(t, 0, "lead_unit_name"),
		   *due = db_get(t, 0, "due_on");
	json_t *form = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "task_id",
		(json_int_t)task_id, "task_title", title, "unit_name", unit,
		"kind", "", "message",
		arena_printf(req->arena,
			     "Đề nghị %s khẩn trương hoàn thành nhiệm vụ “%s” "
			     "(hạn %s) và báo cáo kết quả.",
			     unit, title, text_format_date(req->arena, due)),
		"next", back_to(req, "/plan/overdue"), "fresh", true);
	return requests_page(req, res, form, NULL);
}

static json_t *problems_json(const struct field_problems *fp)
{
	json_t *o = json_object();
	for (int i = 0; i < fp->n; i++)
		if (!json_object_get(o, fp->list[i].field))
			json_object_set_new(o, fp->list[i].field,
					    json_string(fp->list[i].msg_vi));
	return o;
}

static enum err post_request(struct request *req, struct response *res)
{
	long long task_id = req_arg_id(req, 0);
	struct error e = {0};
	struct db_result *t;
	enum err err = task_id > 0 ? pvdb_task_brief(req->db, req->arena,
						     task_id, &t, &e)
				   : ERR_NOTFOUND;
	if (err)
		return res_fail(req, res, err, &e);
	if (!plan_can_see(req, db_get_int(t, 0, "plan_unit_id", 0)))
		return res_error(req, res, 403, msg_no_plan_access);
	const char *kind = param(req, "kind");
	struct field_problems fp = {0};
	long long id = 0;
	struct actor who = actor_of(req);
	err = urge_send(req->db, req->arena, &who, task_id, kind,
			param(req, "message"), &id, &fp, &e);
	if (err == ERR_INVALID)
		return requests_page(
			req, res,
			json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "task_id",
				  (json_int_t)task_id, "task_title",
				  db_get(t, 0, "title"), "unit_name",
				  db_get(t, 0, "lead_unit_name"), "kind", kind,
				  "message", param(req, "message"), "next",
				  back_to(req, "/plan/overdue")),
			problems_json(&fp));
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409,
				 "Nhiệm vụ đã hoàn thành hoặc đã hủy, không "
				 "cần đôn đốc.");
	if (err)
		return res_fail(req, res, err, &e);
	json_t *got = NULL;
	err = urge_get(req->db, req->arena, id, &got, &e);
	if (err)
		return res_fail(req, res, err, &e);
	bool expl = !strcmp(kind, "explanation");
	const char *due = json_string_value(json_object_get(got, "answer_due"));
	const char *flash =
		expl ? arena_printf(
			       req->arena,
			       "Đã gửi yêu cầu giải trình tới %s, hạn "
			       "trả lời %s.",
			       db_get(t, 0, "lead_unit_name"),
			       text_format_date(req->arena, due ? due : ""))
		     : arena_printf(req->arena, "Đã gửi nhắc việc tới %s.",
				    db_get(t, 0, "lead_unit_name"));
	return res_done(req, res, back_to(req, "/plan/overdue"), flash, got);
}

static enum err post_answer(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct error e = {0};
	json_t *r = NULL;
	enum err err = id > 0 ? urge_get(req->db, req->arena, id, &r, &e)
			      : ERR_NOTFOUND;
	if (err)
		return res_fail(req, res, err, &e);
	long long commune =
		json_integer_value(json_object_get(r, "plan_unit_id"));
	json_decref(r);
	if (!plan_can_see(req, commune))
		return res_error(req, res, 403, msg_no_plan_access);
	bool may = false;
	err = urge_may_answer(req->db, req->arena, req->user->id, id, &may, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!may)
		return res_error(req, res, 403,
				 "Chỉ trưởng đơn vị được đôn đốc hoặc người "
				 "phụ trách nhiệm vụ mới trả lời được.");
	struct field_problems fp = {0};
	struct actor who = actor_of(req);
	err = urge_answer(req->db, req->arena, &who, id, param(req, "answer"),
			  &fp, &e);
	if (err == ERR_INVALID)
		return requests_page(req, res, NULL, problems_json(&fp));
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409, "Yêu cầu này đã được trả lời.");
	if (err)
		return res_fail(req, res, err, &e);
	err = urge_get(req->db, req->arena, id, &r, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res,
		arena_printf(req->arena, "/plan/requests?state=all#r%lld", id),
		"Đã gửi trả lời.", r);
}

void plan_views_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/plan/my", get_my, ROLE_ANY_USER, "plan"},
		{"GET", "/plan/overdue", get_overdue, ROLE_ANY_USER, "plan"},
		{"GET", "/plan/by-unit", get_by_unit, ROLE_ANY_USER, "plan"},
		{"GET", "/plan/by-dimension", get_by_dimension, ROLE_ANY_USER,
		 "plan"},
		{"GET", "/plan/timeline", get_timeline, ROLE_ANY_USER, "plan"},
		{"GET", "/plan/calendar", get_calendar, ROLE_ANY_USER, "plan"},
		{"GET", "/plan/scorecard", get_scorecard, ROLE_SCORECARD,
		 "plan"},
		{"GET", "/plan/requests", get_requests, ROLE_ANY_USER, "plan"},
		{"POST", "/plan/tasks/{id}/requests", post_request, ROLE_OFFICE,
		 "plan"},
		{"POST", "/plan/requests/{id}/answer", post_answer,
		 ROLE_ANY_USER, "plan"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
