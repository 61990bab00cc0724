/* What the capabilities know about a commune over a period, as the
 * report's figures (report.h). Each part is read through the capability's
 * own function, so a figure here is the figure of its page:
 *   papi        results_scores (index/results.h), as plan_actual.c takes
 *               a commune's score: its own round, else a round that
 *               surveyed it among its peers (the only source of a tier);
 *               else the official results filed under its code; the
 *               province's official result beside it
 *   plan        pvdb_scorecard, pvdb_by_link, pvdb_tasks, pvdb_requests,
 *               plan_targets_actual (plan/)
 *   voice       voice_stats (/api/voice/stats)
 *   disclosure  disc_register, on the period's last day
 *   outreach    outreach_coverage, outreach_list
 *   oversight   recommendation_list (state open)
 * A part with nothing says why in "note"; "no data" is never an error.
 * The province's figures are read with one statement per part over all
 * the communes (report_figures_db.c). */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_figures_db.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../disclosure/disclosure.h"
#include "../index/index_db.h"
#include "../index/official.h"
#include "../index/results.h"
#include "../outreach/outreach.h"
#include "../oversight/oversight.h"
#include "../people/people.h"
#include "../plan/plan.h"
#include "../plan/plan_db.h"
#include "../plan/plan_views.h"
#include "../voice/voice.h"
#include "../base/banned.h"

enum {
	NMEASURES = 9,     /* D1..D8, the total */
	ANCESTORS_MAX = 8, /* commune, district, province, ... */
	YEARS_TRIED = 6,   /* rounds' years looked at for "last year" */
	LATE_MAX = 100,    /* late tasks listed */
	PEER_ROUNDS_MAX = 4,
};

static const char *str(const char *s)
{
	return s ? s : "";
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char *const tier_vi[5] = {NULL, "Cao", "Trung bình cao",
				       "Trung bình thấp", "Thấp"};

/* group 1 (Cao) .. 4 (Thấp); 0: none */
static json_t *tier_json(int group)
{
	return group >= 1 && group <= 4 ? json_string(tier_vi[group])
					: json_null();
}

/* ---- PAPI ------------------------------------------------------------ */

/* A round's scores and where the commune is in them. */
struct side {
	bool has;
	struct res_scores r;
	int u; /* the commune's unit index: 0 in its own round */
};

/* The figures of one year: a score from the commune's own round, else
 * from a round of its peers; a tier only from the peers' round. */
struct papi_year {
	int year;
	struct side own, peer;
	const char *why; /* why a round could not be scored */
};

static bool in_list(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Whether round r has scores (a round the estimator refuses, or one
 * without interviews, has none); the reason for the first to *why. */
static bool scored(struct arena *a, const struct res_scores *r,
		   const char **why)
{
	if (r->err && why && !*why)
		*why = arena_printf(a,
				    "Chưa tính được kết quả của đợt khảo sát "
				    "số %lld.",
				    r->round_id);
	return !r->err && r->interviews > 0 && r->nunits > 0;
}

/* A round's scores (results_scores, kept under the round's mark). */
static enum err compute(struct db *db, struct arena *a, long long round,
			struct res_scores *r, bool *ok, const char **why,
			struct error *e)
{
	enum err err = results_scores(db, a, &round, 1, r, e);
	*ok = !err && scored(a, r, why);
	return err;
}

static enum err year_load(struct db *db, struct arena *a,
			  const struct db_result *rounds, int year,
			  const long long *lin, int nlin, const long long *anc,
			  int nanc, struct papi_year *y, struct error *e)
{
	memset(y, 0, sizeof *y);
	y->year = year;
	for (int i = 0; i < rounds->nrows; i++) {
		if (db_get_int(rounds, i, "year", 0) != year)
			continue;
		long long id = db_get_int(rounds, i, "id", 0);
		long long scope = db_get_int(rounds, i, "scope_unit_id", 0);
		bool ok;
		enum err err = ERR_OK;
		if (!y->own.has && in_list(lin, nlin, scope)) {
			err = compute(db, a, id, &y->own.r, &ok, &y->why, e);
			y->own.has = ok;
		} else if (!y->peer.has && in_list(anc, nanc, scope)) {
			err = compute(db, a, id, &y->peer.r, &ok, &y->why, e);
			for (int k = 1; ok && k < y->peer.r.nunits; k++)
				if (in_list(lin, nlin, y->peer.r.units[k].id)) {
					y->peer.has = true;
					y->peer.u = k;
					break;
				}
		}
		if (err)
			return err;
	}
	return ERR_OK;
}

/* The score of measure m in a year: value, CI, tier group; NaN when
 * none, with the reason. */
struct measure {
	double v, lo, hi;
	int group;
	const char *reason;
};

static void measure_of(const struct papi_year *y, int m, struct measure *out)
{
	*out = (struct measure){NAN, NAN, NAN, 0, NULL};
	const struct side *s = NULL;
	if (y->own.has && y->own.r.scored[m])
		s = &y->own;
	else if (y->peer.has && y->peer.r.scored[m])
		s = &y->peer;
	if (s) {
		const struct score_value *v = res_score(&s->r, s->u, m);
		if (v->reason == SCORE_OK && isfinite(v->value)) {
			out->v = v->value;
			out->lo = v->ci_low;
			out->hi = v->ci_high;
		} else {
			out->reason = score_reason_vi(v->reason);
		}
	}
	if (y->peer.has && y->peer.r.scored[m])
		out->group = official_group_of_tier(
			y->peer.r.tier[y->peer.u * RES_MEASURES + m]);
}

/* The official row of one unit: the latest of its year <= max_year whose
 * code (or folded name, for provinces filed by name) matches, skipping
 * the year `not_year`. */
static const struct official_row *
official_find(struct arena *a, const struct official_set *s, const char *code,
	      const char *name_fold, int max_year, int not_year)
{
	const struct official_row *best = NULL;
	for (int i = 0; i < s->n; i++) {
		const struct official_row *r = &s->rows[i];
		if (r->year > max_year || r->year == not_year)
			continue;
		bool hit = code ? r->code && !strcmp(r->code, code)
				: name_fold && r->name &&
					   !strcmp(str(text_fold(a, r->name)),
						   name_fold);
		if (hit && (!best || r->year > best->year))
			best = r;
	}
	return best;
}

/* The official group (1..4) of row `row` for measure m among its year. */
static int official_group(struct arena *a, const struct official_set *s,
			  const struct official_row *row, int m)
{
	int *ranks = arena_alloc(a, sizeof(int) * (size_t)(s->n + 1));
	int *groups = arena_alloc(a, sizeof(int) * (size_t)(s->n + 1));
	if (!ranks || !groups)
		return 0;
	struct tier_cuts cuts;
	official_groups(s->rows, s->n, row->year, m, TIER_TIE_UPPER, ranks,
			groups, &cuts);
	return groups[row - s->rows];
}

static const char *const measure_code[NMEASURES] = {
	"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "total"};

static json_t *measure_json(const char *code, const char *name,
			    const struct measure *x, double last, double prov)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "code",
			      code, "score", jnum(x->v), "lo", jnum(x->lo),
			      "hi", jnum(x->hi), "tier", tier_json(x->group),
			      "last_year", jnum(last), "province", jnum(prov));
	if (name)
		json_object_set_new(o, "name", json_string(name));
	if (x->reason && !isfinite(x->v))
		json_object_set_new(o, "reason", json_string(x->reason));
	return o;
}

static enum err papi_part(struct db *db, struct arena *a, const struct unit *c,
			  const char *province, int year, json_t **out,
			  struct error *e)
{
	long long *lin;
	int nlin;
	long long anc[ANCESTORS_MAX];
	const char *kinds[ANCESTORS_MAX], *names[ANCESTORS_MAX];
	int nanc;
	enum err err = units_lineage(db, a, c->id, &lin, &nlin, e);
	if (!err)
		err = plandb_ancestors(db, a, c->id, anc, kinds, names,
				       ANCESTORS_MAX, &nanc, e);
	if (err)
		return err;
	/* anc[0] is the commune itself: its peers' rounds are above it */
	long long *scopes =
		arena_alloc(a, sizeof *scopes * (size_t)(nlin + nanc + 1));
	if (!scopes)
		return error_set(e, ERR_NOMEM, "papi figures: out of memory");
	memcpy(scopes, lin, sizeof *lin * (size_t)nlin);
	for (int i = 1; i < nanc; i++)
		scopes[nlin + i - 1] = anc[i];
	int nscopes = nlin + (nanc > 0 ? nanc - 1 : 0);
	struct db_result *rounds;
	err = rfdb_rounds(db, a, scopes, nscopes, 0, year, &rounds, e);
	if (err)
		return err;

	/* this year's figures: the latest year with a scored round; last
	 * year's: the latest earlier one */
	struct papi_year *now = arena_alloc(a, sizeof *now),
			 *prev = arena_alloc(a, sizeof *prev);
	if (!now || !prev)
		return error_set(e, ERR_NOMEM, "papi figures: out of memory");
	memset(now, 0, sizeof *now);
	memset(prev, 0, sizeof *prev);
	const char *why = NULL;
	int tried = 0, last_year_seen = 0;
	for (int i = 0; i < rounds->nrows && tried < YEARS_TRIED; i++) {
		int ry = (int)db_get_int(rounds, i, "year", 0);
		if (ry == last_year_seen)
			continue;
		last_year_seen = ry;
		tried++;
		struct papi_year *y =
			now->own.has || now->peer.has ? prev : now;
		err = year_load(db, a, rounds, ry, lin, nlin, anc + 1,
				nanc > 0 ? nanc - 1 : 0, y, e);
		if (err)
			return err;
		if (y->why && !why)
			why = y->why;
		if (prev->own.has || prev->peer.has)
			break;
	}
	bool estimate = now->own.has || now->peer.has;

	/* official results: the commune's own row (by code) when no round
	 * scored it, and the province's */
	struct official_set off;
	err = idb_official_load(db, a, 0, &off, e);
	if (err)
		return err;
	const struct official_row *orow = NULL, *oprev = NULL;
	if (!estimate && c->code) {
		orow = official_find(a, &off, c->code, NULL, year, 0);
		if (orow)
			oprev = official_find(a, &off, c->code, NULL,
					      orow->year - 1, 0);
	}
	const struct official_row *prow =
		province ? official_find(a, &off, NULL, text_fold(a, province),
					 year, 0)
			 : NULL;

	const char *dnames[8];
	int papi_year_v = estimate ? now->year : orow ? orow->year : 0;
	err = plandb_dimension_names(db, a, papi_year_v ? papi_year_v : year,
				     dnames, e);
	if (err)
		return err;
	if (estimate) {
		const struct res_scores *r =
			now->own.has ? &now->own.r : &now->peer.r;
		for (int m = 0; m < 8; m++)
			if (r->name_vi[m])
				dnames[m] = r->name_vi[m];
	}

	json_t *dims = json_array(), *total = NULL;
	for (int m = 0; m < NMEASURES; m++) {
		struct measure x, l;
		if (estimate) {
			measure_of(now, m, &x);
			measure_of(prev, m, &l);
		} else {
			x = l = (struct measure){NAN, NAN, NAN, 0, NULL};
			if (orow) {
				x.v = orow->v[m];
				if (isfinite(x.v))
					x.group = official_group(a, &off, orow,
								 m);
			}
			if (oprev)
				l.v = oprev->v[m];
		}
		double pv = prow ? prow->v[m] : NAN;
		if (m < 8)
			json_array_append_new(
				dims,
				measure_json(measure_code[m],
					     *dnames[m] ? dnames[m] : NULL, &x,
					     l.v, pv));
		else
			total = measure_json("total", "Tổng điểm PAPI", &x, l.v,
					     pv);
	}
	int last_year =
		estimate ? (prev->own.has || prev->peer.has ? prev->year : 0)
		: oprev  ? oprev->year
			 : 0;
	const char *note = NULL, *tier_note = NULL;
	if (!estimate && !orow)
		note = why ? why
			   : arena_printf(a,
					  "Xã chưa có kết quả khảo sát PAPI "
					  "đến năm %d.",
					  year);
	if (estimate && !now->peer.has)
		tier_note = "Bậc của xã chỉ có khi xã được khảo sát cùng các "
			    "xã khác (đợt khảo sát cấp huyện, cấp tỉnh); bậc "
			    "của các thôn trong xã không phải bậc của xã.";
	const struct res_scores *src =
		estimate ? (now->own.has ? &now->own.r : &now->peer.r) : NULL;
	*out = json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "year",
		papi_year_v ? json_integer(papi_year_v) : json_null(), "source",
		estimate ? json_string("estimate")
		: orow   ? json_string("official")
			 : json_null(),
		"note", jstr(note), "tier_note", jstr(tier_note), "last_year",
		last_year ? json_integer(last_year) : json_null(), "round_id",
		src ? json_integer((json_int_t)src->round_id) : json_null(),
		"source_vi",
		src    ? json_string(src->round_name)
		: orow ? json_string(arena_printf(
				 a, "Kết quả chính thức năm %d", orow->year))
		       : json_null(),
		"province_year", prow ? json_integer(prow->year) : json_null(),
		"total", total, "dimensions", dims);
	if (src)
		json_object_set_new(*out, "interviews",
				    json_integer(src->interviews));
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "papi figures: out of memory");
}

/* ---- plan -------------------------------------------------------------- */

static json_t *count_json(const struct scorecard_counts *c)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "due",
			 c->due, "done_on_time", c->on_time, "done_late",
			 c->late, "overdue", c->overdue, "open", c->pending,
			 "requests", c->requests, "explanations",
			 c->explanations, "unanswered", c->unanswered);
}

/* The year of an ISO date (checked by the caller). */
static int year_of(const char *iso)
{
	struct date d;
	return date_parse_iso(iso, &d) ? d.y : 0;
}

static bool year_in(int y, const char *from, const char *to)
{
	return y >= year_of(from) && y <= year_of(to);
}

static enum err plan_part(struct db *db, struct arena *a, long long commune,
			  const char *from, const char *to,
			  const struct urgency *u, json_t **out,
			  struct error *e)
{
	struct scorecard_period per;
	const char *why = NULL;
	if (!scorecard_period_parse(from, to, u->today, &per, &why))
		return error_set(e, ERR_INVALID, "plan figures: period %s..%s",
				 from, to);
	struct pv_filter f = {.communes = &commune, .ncommunes = 1, .u = u};
	struct scorecard_row *rows;
	int n, min_tasks;
	json_t *plans_all = NULL;
	enum err err = pvdb_scorecard(db, a, &f, &per, "unit", &rows, &n,
				      &min_tasks, e);
	if (!err)
		err = plan_list(db, a, &commune, 1, &plans_all, e);
	if (err)
		return err;

	json_t *o = json_object();
	/* the plans of the period's years, with their targets */
	json_t *plans = json_array(), *targets = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(plans_all, i, p)
	{
		int y = (int)json_integer_value(json_object_get(p, "year"));
		if (!year_in(y, from, to))
			continue;
		long long id = json_integer_value(json_object_get(p, "id"));
		json_array_append_new(
			plans,
			json_pack("{s:I, s:O, s:s, s:s, s:i, s:s}", "id",
				  (json_int_t)id, "issued_on",
				  json_object_get(p, "issued_on")
					  ? json_object_get(p, "issued_on")
					  : json_null(),
				  "number_text",
				  str(json_string_value(
					  json_object_get(p, "number_text"))),
				  "title",
				  str(json_string_value(
					  json_object_get(p, "title"))),
				  "year", y, "status",
				  str(json_string_value(
					  json_object_get(p, "status")))));
		struct plan pl;
		json_t *ta;
		err = plan_get(db, a, id, &pl, e);
		if (!err)
			err = plan_targets_actual(db, a, &pl, &ta, e);
		if (err) {
			json_decref(plans_all);
			json_decref(plans);
			json_decref(targets);
			json_decref(o);
			return err;
		}
		size_t k;
		json_t *t;
		json_array_foreach(ta, k, t)
		{
			const char *st =
				json_string_value(json_object_get(t, "state"));
			json_array_append_new(
				targets,
				json_pack(
					"{s:I, s:s, s:s, s:s, s:s, s:o, s:s, "
					"s:o}",
					"plan_id", (json_int_t)id, "measure",
					str(json_string_value(
						json_object_get(t, "measure"))),
					"dimension",
					str(json_string_value(json_object_get(
						t, "measure_vi"))),
					"target",
					str(json_string_value(
						json_object_get(t, "text_vi"))),
					"actual",
					str(json_string_value(json_object_get(
						t, "actual_vi"))),
					"met",
					!strcmp(str(st), "met") ? json_true()
					: !strcmp(str(st), "not_met")
						? json_false()
						: json_null(),
					"state_vi",
					str(json_string_value(json_object_get(
						t, "state_vi"))),
					"reason",
					jstr(json_string_value(json_object_get(
						t, "reason_vi")))));
		}
		json_decref(ta);
	}
	json_decref(plans_all);

	/* the scorecard's rows, per lead unit, and their total */
	struct scorecard_counts tot = {0};
	json_t *by_unit = json_array();
	for (int k = 0; k < n; k++) {
		struct scorecard_score s;
		scorecard_score(&rows[k].c, min_tasks, &s);
		scorecard_add(&tot, &rows[k].c);
		json_t *r = count_json(&rows[k].c);
		json_object_set_new(r, "unit_id",
				    json_integer((json_int_t)rows[k].key));
		json_object_set_new(r, "unit", json_string(str(rows[k].name)));
		json_object_set_new(r, "score",
				    s.has ? json_real(s.value) : json_null());
		if (!s.has)
			json_object_set_new(r, "score_note",
					    json_string(s.reason_vi));
		json_array_append_new(by_unit, r);
	}
	{
		json_t *c = count_json(&tot);
		json_object_update(o, c);
		json_decref(c);
	}
	json_object_set_new(o, "min_tasks", json_integer(min_tasks));

	/* per dimension, the tasks due in the period */
	f.due_from = per.from;
	f.due_to = per.to;
	f.state = "not_cancelled";
	struct db_result *bl, *late;
	long long nlate = 0;
	const char *dnames[8];
	err = pvdb_by_link(db, a, &f, true, &bl, e);
	if (!err)
		err = plandb_dimension_names(db, a, year_of(to), dnames, e);
	json_t *by_dim = json_array();
	for (int k = 0; !err && k < bl->nrows; k++) {
		const char *code = str(db_get(bl, k, "dimension"));
		const char *name = code[0] == 'D' && code[1] >= '1' &&
						   code[1] <= '8' && !code[2]
					   ? dnames[code[1] - '1']
					   : "";
		json_array_append_new(
			by_dim,
			json_pack("{s:s, s:s, s:I, s:I, s:I}", "code", code,
				  "name", name, "tasks",
				  (json_int_t)db_get_int(bl, k, "tasks", 0),
				  "done",
				  (json_int_t)db_get_int(bl, k, "done", 0),
				  "overdue",
				  (json_int_t)db_get_int(bl, k, "overdue", 0)));
	}
	/* the late tasks: overdue, then done late, with their explanation
	 * requests and answers */
	json_t *late_list = json_array();
	static const char *const late_states[2] = {"overdue", "done_late"};
	struct db_result *reqs = NULL;
	if (!err) {
		struct pv_request_filter rf = {.communes = &commune,
					       .ncommunes = 1,
					       .kind = "explanation"};
		err = pvdb_requests(db, a, &rf, &reqs, e);
	}
	for (int s = 0; s < 2 && !err; s++) {
		f.state = late_states[s];
		err = pvdb_tasks(db, a, &f, NULL, LATE_MAX, 0, &late, &nlate,
				 e);
		for (int k = 0; !err && k < late->nrows; k++) {
			long long tid = db_get_int(late, k, "id", 0);
			json_t *rq = json_array();
			/* oldest first, as they were sent */
			for (int q = reqs->nrows - 1; q >= 0; q--) {
				if (db_get_int(reqs, q, "task_id", 0) != tid)
					continue;
				const char *ans = db_get(reqs, q, "answer");
				json_array_append_new(
					rq,
					json_pack(
						"{s:s, s:s, s:o, s:o}", "sent",
						str(db_get(reqs, q, "sent_at")),
						"question",
						str(db_get(reqs, q, "message")),
						"answer",
						ans && *ans ? json_string(ans)
							    : json_null(),
						"answered",
						jstr(db_get(reqs, q,
							    "answered_at"))));
			}
			json_array_append_new(
				late_list,
				json_pack(
					"{s:I, s:I, s:s, s:s, s:s, s:s, "
					"s:s, s:I, s:o, s:o}",
					"task_id", (json_int_t)tid, "plan_id",
					(json_int_t)db_get_int(late, k,
							       "plan_id", 0),
					"title", str(db_get(late, k, "title")),
					"unit",
					str(db_get(late, k, "lead_unit_name")),
					"due", str(db_get(late, k, "due_on")),
					"status", late_states[s], "responsible",
					str(db_get(late, k,
						   "responsible_name")),
					"progress",
					(json_int_t)db_get_int(late, k,
							       "progress", 0),
					"done",
					jstr(db_get(late, k, "done_on")),
					"requests", rq));
		}
	}
	if (err) {
		json_decref(o);
		json_decref(plans);
		json_decref(targets);
		json_decref(by_unit);
		json_decref(by_dim);
		json_decref(late_list);
		return err;
	}
	json_object_set_new(o, "plans", plans);
	json_object_set_new(o, "by_unit", by_unit);
	json_object_set_new(o, "by_dimension", by_dim);
	json_object_set_new(o, "late", late_list);
	json_object_set_new(o, "targets", targets);
	const char *note = NULL;
	if (json_array_size(plans) == 0 && tot.due == 0)
		note = "Xã chưa có kế hoạch nâng cao Chỉ số PAPI trong kỳ.";
	else if (tot.due == 0)
		note = "Không có nhiệm vụ đến hạn trong kỳ.";
	json_object_set_new(o, "note", jstr(note));
	*out = o;
	return ERR_OK;
}

/* ---- voice, disclosure, outreach, oversight ------------------------- */

static json_int_t ival(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static enum err voice_part(struct db *db, struct arena *a, long long commune,
			   const char *from, const char *to, json_t **out,
			   struct error *e)
{
	json_t *st;
	enum err err = voice_stats(db, a, &commune, 1, from, to, &st, e);
	if (err)
		return err;
	json_t *types = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(st, "by_type"), i, t)
		json_array_append_new(
			types,
			json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "type",
				  str(json_string_value(
					  json_object_get(t, "case_type"))),
				  "name",
				  str(json_string_value(
					  json_object_get(t, "type_vi"))),
				  "received", ival(t, "total"), "answered",
				  ival(t, "answered"), "on_time",
				  ival(t, "on_time"), "overdue",
				  ival(t, "overdue")));
	json_int_t received = ival(st, "total");
	*out = json_pack(
		"{s:I, s:I, s:I, s:I, s:o, s:o}", "received", received,
		"answered", ival(st, "answered"), "on_time",
		ival(st, "on_time"), "overdue", ival(st, "overdue"), "note",
		received ? json_null()
			 : json_string("Không tiếp nhận phản ánh, kiến "
				       "nghị nào trong kỳ."),
		"by_type", types);
	json_decref(st);
	return ERR_OK;
}

/* The register on the period's last day (today when that is later):
 * which periods of the items were over with nothing disclosed, which run
 * with nothing yet, which disclosures broke the rules. */
static enum err disclosure_part(struct db *db, struct arena *a,
				long long commune, const char *to,
				struct date today, json_t **out,
				struct error *e)
{
	struct date day;
	if (!date_parse_iso(to, &day))
		return error_set(e, ERR_INVALID, "disclosure figures: %s", to);
	if (date_to_days(today) < date_to_days(day))
		day = today;
	json_t *reg;
	enum err err =
		disc_register(db, a, commune, year_of(to), NULL, day, &reg, e);
	if (err)
		return err;
	json_t *items = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(reg, "items"), i, it)
	{
		const char *title =
			str(json_string_value(json_object_get(it, "title")));
		json_int_t no = ival(it, "no");
		size_t k;
		json_t *p;
		json_array_foreach(json_object_get(it, "periods"), k, p)
		{
			const char *s =
				json_string_value(json_object_get(p, "state"));
			bool missing = s && !strcmp(s, "missing"),
			     due = s && !strcmp(s, "due");
			if (!missing && !due)
				continue;
			const char *label = str(json_string_value(
				json_object_get(p, "label_vi")));
			json_array_append_new(
				items,
				json_pack("{s:I, s:s, s:s, s:s}", "item", no,
					  "title", title, "state",
					  missing ? "missing" : "late",
					  "problem",
					  arena_printf(a, "%s%s%s",
						       missing ? "Chưa công "
								 "khai"
							       : "Đến hạn, "
								 "chưa công "
								 "khai",
						       *label ? ": " : "",
						       label)));
		}
		json_int_t bad = ival(it, "problem_records");
		if (bad)
			json_array_append_new(
				items,
				json_pack("{s:I, s:s, s:s, s:s}", "item", no,
					  "title", title, "state", "faulty",
					  "problem",
					  arena_printf(a,
						       "%lld lần công khai "
						       "chưa đúng quy định "
						       "(thời gian, hình "
						       "thức)",
						       (long long)bad)));
	}
	json_int_t missing = ival(reg, "missing"), late = ival(reg, "due"),
		   faulty = ival(reg, "problem_records");
	char as_of[11];
	date_format_iso(day, as_of);
	*out = json_pack(
		"{s:I, s:I, s:I, s:I, s:s, s:o, s:o}", "missing", missing,
		"late", late, "faulty", faulty, "items_disclosed",
		ival(reg, "items_disclosed"), "as_of", as_of, "note",
		missing || late || faulty
			? json_null()
			: json_string("Các nội dung phải công khai đến kỳ "
				      "đều đã được công khai."),
		"items", items);
	json_decref(reg);
	return ERR_OK;
}

static enum err outreach_part(struct db *db, struct arena *a, long long commune,
			      const char *from, const char *to,
			      struct date today, json_t **out, struct error *e)
{
	struct outreach_period p;
	const char *en = NULL, *vi = NULL;
	if (!outreach_period_make(0, from, to, today, &p, &en, &vi)) {
		/* more than five years: the coverage is not drawn */
		*out = json_pack("{s:i, s:i, s:i, s:s, s:[]}", "activities", 0,
				 "villages", 0, "villages_missed", 0, "note",
				 vi ? vi : "Kỳ quá dài để tính độ phủ.",
				 "gaps");
		return ERR_OK;
	}
	struct outreach_filter f = {.communes = &commune,
				    .ncommunes = 1,
				    .from = from,
				    .to = to,
				    .page = 1,
				    .per_page = 1};
	json_t *cov, *list;
	enum err err = outreach_coverage(db, a, commune, &f, &p, &cov, e);
	if (err)
		return err;
	err = outreach_list(db, a, &f, &list, e);
	if (err) {
		json_decref(cov);
		return err;
	}
	json_t *gaps = json_array();
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(cov, "gaps"), i, g)
		json_array_append_new(
			gaps, json_pack("{s:s, s:O}", "topic",
					str(json_string_value(
						json_object_get(g, "topic"))),
					"villages_missed",
					json_object_get(g, "villages")));
	int missed = 0;
	json_t *v;
	json_array_foreach(json_object_get(cov, "villages"), i, v)
	{
		size_t k;
		json_t *t;
		bool any = false;
		json_array_foreach(json_object_get(v, "topics"), k, t) any |=
			json_is_true(json_object_get(t, "missed"));
		missed += any;
	}
	json_int_t acts = ival(list, "total");
	size_t nv = json_array_size(json_object_get(cov, "villages"));
	const char *note = NULL;
	if (!acts)
		note = "Không có hoạt động tuyên truyền nào trong kỳ.";
	else if (!missed)
		note = "Các đợt tuyên truyền trong kỳ đã đến tất cả các thôn.";
	*out = json_pack("{s:I, s:i, s:i, s:o, s:o}", "activities", acts,
			 "villages", (int)nv, "villages_missed", missed, "note",
			 jstr(note), "gaps", gaps);
	json_decref(cov);
	json_decref(list);
	return ERR_OK;
}

static enum err oversight_part(struct db *db, struct arena *a,
			       long long commune, const char *to, json_t **out,
			       struct error *e)
{
	struct oversight_filter f = {.communes = &commune,
				     .ncommunes = 1,
				     .to = to,
				     .state = "open",
				     .page = 1};
	json_t *recs;
	enum err err = recommendation_list(db, a, &f, &recs, e);
	if (err)
		return err;
	/* one line per finding, with its open recommendations */
	json_t *findings = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(recs, "rows"), i, r)
	{
		const char *ft =
			str(json_string_value(json_object_get(r, "finding")));
		json_int_t insp = ival(r, "inspection_id");
		json_t *hit = NULL, *x;
		size_t k;
		json_array_foreach(
			findings, k,
			x) if (ival(x, "inspection_id") == insp &&
			       !strcmp(str(json_string_value(
					       json_object_get(x, "text"))),
				       ft)) hit = x;
		if (!hit) {
			hit = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:[]}",
					"id", ival(r, "id"), "inspection_id",
					insp, "inspection",
					str(json_string_value(json_object_get(
						r, "inspection_title"))),
					"kind",
					str(json_string_value(
						json_object_get(r, "kind_vi"))),
					"text", ft, "status", "Chưa khắc phục",
					"recommendations");
			json_array_append_new(findings, hit);
		}
		json_array_append_new(
			json_object_get(hit, "recommendations"),
			json_pack("{s:I, s:s, s:s, s:s, s:I}", "id",
				  ival(r, "id"), "text",
				  str(json_string_value(
					  json_object_get(r, "text"))),
				  "unit",
				  str(json_string_value(
					  json_object_get(r, "unit_name"))),
				  "due",
				  str(json_string_value(
					  json_object_get(r, "due_on"))),
				  "progress", ival(r, "progress")));
	}
	size_t nrec = json_array_size(json_object_get(recs, "rows"));
	json_decref(recs);
	*out = json_pack("{s:i, s:i, s:o, s:o}", "open_findings",
			 (int)json_array_size(findings), "open_recommendations",
			 (int)nrec, "note",
			 nrec ? json_null()
			      : json_string("Không có kết luận kiểm tra, giám "
					    "sát nào chưa khắc phục."),
			 "findings", findings);
	return ERR_OK;
}

/* ---- report_figures ------------------------------------------------ */

static enum err load_urgency(struct db *db, struct arena *a,
			     struct calendar *cal, struct urgency *u,
			     struct error *e)
{
	calendar_init(cal);
	enum err err = calendar_db_load(db, a, cal, e);
	if (!err)
		urgency_init(u, cal, clock_today_vn());
	return err;
}

/* Every part empty, saying why: a period with no day in it. */
static json_t *empty_parts(json_t *o, const char *why)
{
	json_object_set_new(o, "papi",
			    json_pack("{s:n, s:n, s:s, s:n, s:n, s:[]}", "year",
				      "source", "note", why, "total",
				      "last_year", "dimensions"));
	json_object_set_new(
		o, "plan",
		json_pack("{s:[], s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:[], "
			  "s:[], s:[], s:[]}",
			  "plans", "due", 0, "done_on_time", 0, "done_late", 0,
			  "overdue", 0, "open", 0, "requests", 0, "note", why,
			  "by_unit", "by_dimension", "late", "targets"));
	json_object_set_new(o, "voice",
			    json_pack("{s:i, s:i, s:i, s:i, s:s, s:[]}",
				      "received", 0, "answered", 0, "on_time",
				      0, "overdue", 0, "note", why, "by_type"));
	json_object_set_new(o, "disclosure",
			    json_pack("{s:i, s:i, s:i, s:s, s:[]}", "missing",
				      0, "late", 0, "faulty", 0, "note", why,
				      "items"));
	json_object_set_new(o, "outreach",
			    json_pack("{s:i, s:i, s:i, s:s, s:[]}",
				      "activities", 0, "villages", 0,
				      "villages_missed", 0, "note", why,
				      "gaps"));
	json_object_set_new(o, "oversight",
			    json_pack("{s:i, s:i, s:s, s:[]}", "open_findings",
				      0, "open_recommendations", 0, "note", why,
				      "findings"));
	return o;
}

static const char *province_of(struct db *db, struct arena *a, long long id,
			       struct error *e)
{
	long long ids[ANCESTORS_MAX];
	const char *kinds[ANCESTORS_MAX], *names[ANCESTORS_MAX];
	int n;
	if (plandb_ancestors(db, a, id, ids, kinds, names, ANCESTORS_MAX, &n,
			     e))
		return NULL;
	for (int i = 0; i < n; i++)
		if (kinds[i] && !strcmp(kinds[i], "province"))
			return names[i];
	return NULL;
}

enum err report_figures(struct db *db, struct arena *a, long long commune_id,
			const char *from, const char *to, json_t **out,
			struct error *e)
{
	*out = NULL;
	struct date df, dt;
	if (!from || !to || !date_parse_iso(from, &df) ||
	    !date_parse_iso(to, &dt))
		return error_set(e, ERR_INVALID,
				 "report figures: period \"%s\" to \"%s\": not "
				 "dates (YYYY-MM-DD)",
				 str(from), str(to));
	struct unit c;
	enum err err = units_get(db, a, commune_id, &c, e);
	if (err)
		return err;
	if (!c.kind || strcmp(c.kind, "commune"))
		return error_set(e, ERR_INVALID,
				 "report figures: unit %lld is not a commune",
				 commune_id);
	const char *province = province_of(db, a, c.id, e);
	json_t *o = json_pack("{s:{s:I, s:o, s:s, s:s, s:o}, s:{s:s, s:s}}",
			      "commune", "id", (json_int_t)c.id, "code",
			      jstr(c.code), "name", str(c.name), "full_name",
			      str(c.full_name), "province", jstr(province),
			      "period", "from", from, "to", to);
	if (!o)
		return error_set(e, ERR_NOMEM, "report figures: out of memory");
	if (date_to_days(df) > date_to_days(dt)) {
		*out = empty_parts(o, "Kỳ báo cáo không có ngày nào (ngày bắt "
				      "đầu sau ngày kết thúc).");
		return ERR_OK;
	}
	struct calendar cal;
	struct urgency u;
	json_t *papi = NULL, *plan = NULL, *voice = NULL, *disc = NULL,
	       *outr = NULL, *over = NULL;
	err = load_urgency(db, a, &cal, &u, e);
	if (!err)
		err = papi_part(db, a, &c, province, dt.y, &papi, e);
	if (!err)
		err = plan_part(db, a, c.id, from, to, &u, &plan, e);
	if (!err)
		err = voice_part(db, a, c.id, from, to, &voice, e);
	if (!err)
		err = disclosure_part(db, a, c.id, to, u.today, &disc, e);
	if (!err)
		err = outreach_part(db, a, c.id, from, to, u.today, &outr, e);
	if (!err)
		err = oversight_part(db, a, c.id, to, &over, e);
	calendar_release(&cal);
	if (err) {
		json_decref(o);
		json_decref(papi);
		json_decref(plan);
		json_decref(voice);
		json_decref(disc);
		json_decref(outr);
		json_decref(over);
		return err;
	}
	json_object_set_new(o, "today", json_string(u.today_iso));
	json_object_set_new(o, "papi", papi);
	json_object_set_new(o, "plan", plan);
	json_object_set_new(o, "voice", voice);
	json_object_set_new(o, "disclosure", disc);
	json_object_set_new(o, "outreach", outr);
	json_object_set_new(o, "oversight", over);
	*out = o;
	return ERR_OK;
}

/* ---- report_province_figures --------------------------------------- */

static int index_of(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return i;
	return -1;
}

/* Fills row u of r into v (n x NMEASURES) at commune i. */
static void take_scores(const struct res_scores *r, int u, double *v,
			const char **src, int i)
{
	for (int m = 0; m < NMEASURES; m++) {
		if (!r->scored[m])
			continue;
		const struct score_value *s = res_score(r, u, m);
		v[i * NMEASURES + m] =
			s->reason == SCORE_OK ? s->value : (double)NAN;
	}
	src[i] = "estimate";
}

/* The communes' PAPI scores of the year: a round of their district or
 * province first (it compares them on one sample), then each one's own
 * round, then the official results filed under their codes. Rounds'
 * scores are kept under their marks (results_scores), so a province view
 * estimates again only the rounds whose data changed. */
static enum err province_scores(struct db *db, struct arena *a,
				const long long *ids, const char *const *codes,
				int n, int year, double *v, const char **src,
				struct error *e)
{
	for (int i = 0; i < n * NMEASURES; i++)
		v[i] = NAN;
	for (int i = 0; i < n; i++)
		src[i] = NULL;
	struct db_result *peer = NULL, *own = NULL;
	enum err err = rfdb_peer_rounds(db, a, year, &peer, e);
	for (int k = 0; !err && k < peer->nrows && k < PEER_ROUNDS_MAX; k++) {
		struct res_scores r;
		bool ok;
		err = compute(db, a, db_get_int(peer, k, "id", 0), &r, &ok,
			      NULL, e);
		for (int u = 1; !err && ok && u < r.nunits; u++) {
			int i = index_of(ids, n, r.units[u].id);
			if (i >= 0 && !src[i])
				take_scores(&r, u, v, src, i);
		}
	}
	if (!err)
		err = rfdb_rounds(db, a, ids, n, year, year, &own, e);
	/* the communes' own rounds (the latest first), read together; a
	 * commune takes its first one that is scored */
	int nr = 0;
	long long *rids =
		own ? arena_alloc(a, sizeof *rids * (size_t)(own->nrows + 1))
		    : NULL;
	int *at = own ? arena_alloc(a, sizeof *at * (size_t)(own->nrows + 1))
		      : NULL;
	struct res_scores *rs =
		own ? arena_alloc(a, sizeof *rs * (size_t)(own->nrows + 1))
		    : NULL;
	if (!err && (!rids || !at || !rs))
		err = error_set(e, ERR_NOMEM,
				"province figures: out of memory");
	for (int k = 0; !err && k < own->nrows; k++) {
		int i = index_of(ids, n,
				 db_get_int(own, k, "scope_unit_id", 0));
		if (i >= 0 && !src[i]) {
			at[nr] = i;
			rids[nr++] = db_get_int(own, k, "id", 0);
		}
	}
	if (!err && nr)
		err = results_scores(db, a, rids, nr, rs, e);
	for (int q = 0; !err && q < nr; q++)
		if (!src[at[q]] && scored(a, &rs[q], NULL))
			take_scores(&rs[q], 0, v, src, at[q]);
	struct official_set off;
	if (!err)
		err = idb_official_load(db, a, year, &off, e);
	for (int k = 0; !err && k < off.n; k++)
		for (int i = 0; i < n; i++)
			if (!src[i] && codes[i] && off.rows[k].code &&
			    !strcmp(codes[i], off.rows[k].code)) {
				for (int m = 0; m < NMEASURES; m++)
					v[i * NMEASURES + m] = off.rows[k].v[m];
				src[i] = "official";
			}
	return err;
}

/* disc_register's "missing" for every commune, from one read of the
 * counts. */
static enum err province_disclosures(struct db *db, struct arena *a,
				     const long long *ids, int n, int year,
				     struct date today, int *missing,
				     struct error *e)
{
	struct disc_item *items;
	int ni;
	struct db_result *c;
	enum err err = disc_items_load(db, a, false, &items, &ni, e);
	if (!err)
		err = rfdb_disclosure_counts(db, a, ids, n, year, &c, e);
	if (err)
		return err;
	/* counts[commune][item][period], period 0 holding every period's
	 * sum (an item due once a year or on events), from one pass over
	 * the rows: a province's rows times its communes was quadratic */
	enum { P = 13 }; /* periods 1..12, and the sum */
	int *counts = arena_alloc(a, sizeof *counts * (size_t)n *
					     (size_t)(ni ? ni : 1) * P);
	if (!counts)
		return error_set(e, ERR_NOMEM,
				 "province disclosures: out of memory");
	for (int r = 0; r < c->nrows; r++) {
		int i = index_of(ids, n, db_get_int(c, r, "commune_id", 0));
		long long item = db_get_int(c, r, "item_id", 0);
		int k = 0;
		while (k < ni && items[k].id != item)
			k++;
		int rp = (int)db_get_int(c, r, "period", 0);
		if (i < 0 || k == ni)
			continue;
		int *at = counts + ((size_t)i * (size_t)ni + (size_t)k) * P;
		int cnt = (int)db_get_int(c, r, "n", 0);
		at[0] += cnt;
		if (rp >= 1 && rp < P)
			at[rp] += cnt;
	}
	for (int i = 0; i < n; i++) {
		missing[i] = 0;
		for (int k = 0; k < ni; k++) {
			const struct disc_item *it = &items[k];
			int np = disc_frequency_periods(it->frequency);
			int first = np <= 1 ? 0 : 1, last = np <= 1 ? 0 : np;
			const int *at =
				counts +
				((size_t)i * (size_t)ni + (size_t)k) * P;
			for (int p = first; p <= last && p < P; p++)
				missing[i] += disc_period_state(
						      it, year, p,
						      np <= 1 ? at[0] : at[p],
						      today) == DISC_MISSING;
		}
	}
	return ERR_OK;
}

static long long per_commune(const struct db_result *r, long long id,
			     const char *col)
{
	for (int i = 0; i < r->nrows; i++)
		if (db_get_int(r, i, "commune_id", 0) == id)
			return db_get_int(r, i, col, 0);
	return 0;
}

enum err report_province_figures(struct db *db, struct arena *a,
				 const long long *communes, int n, int year,
				 json_t **out, struct error *e)
{
	*out = NULL;
	if (year < 1900 || year > 9999)
		return error_set(e, ERR_INVALID, "province figures: year %d",
				 year);
	if (n < 0 || n > RFDB_MAX_IDS)
		return error_set(e, ERR_TOOBIG,
				 "province figures: %d communes, at most %d", n,
				 RFDB_MAX_IDS);
	struct db_result *units;
	enum err err = rfdb_units(db, a, communes, n, &units, e);
	if (err)
		return err;
	/* the communes that exist, in Vietnamese order */
	int m = units->nrows;
	int *order = arena_alloc(a, sizeof *order * (size_t)(m + 1));
	long long *ids = arena_alloc(a, sizeof *ids * (size_t)(m + 1));
	const char **codes = arena_alloc(a, sizeof *codes * (size_t)(m + 1));
	const char **src = arena_alloc(a, sizeof *src * (size_t)(m + 1));
	double *v = arena_alloc(a, sizeof *v * (size_t)(m * NMEASURES + 1));
	int *missing = arena_alloc(a, sizeof *missing * (size_t)(m + 1));
	if (!order || !ids || !codes || !src || !v || !missing)
		return error_set(e, ERR_NOMEM,
				 "province figures: out of memory");
	for (int i = 0; i < m; i++) {
		order[i] = i;
		ids[i] = db_get_int(units, i, "id", 0);
		codes[i] = db_get(units, i, "code");
	}
	for (int i = 1; i < m; i++) /* insertion sort by sort_key */
		for (int k = i; k > 0; k--) {
			const char *x = str(db_get(units, order[k - 1],
						   "sort_key")),
				   *y = str(
					   db_get(units, order[k], "sort_key"));
			if (strcmp(x, y) <= 0)
				break;
			int t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}

	struct calendar cal;
	struct urgency u;
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	struct scorecard_period per;
	const char *why;
	struct scorecard_row *rows = NULL;
	int nrows = 0;
	struct db_result *cases = NULL, *findings = NULL;
	err = load_urgency(db, a, &cal, &u, e);
	if (!err)
		err = province_scores(db, a, ids, codes, m, year, v, src, e);
	if (!err && m > 0) {
		if (!scorecard_period_parse(from, to, u.today, &per, &why))
			err = error_set(e, ERR_INTERNAL,
					"province figures: year %d", year);
		struct pv_filter f = {.communes = ids, .ncommunes = m, .u = &u};
		if (!err)
			err = pvdb_scorecard(db, a, &f, &per, "commune", &rows,
					     &nrows, NULL, e);
	}
	if (!err)
		err = rfdb_cases_overdue(db, a, ids, m, from, to, u.today_iso,
					 &cases, e);
	if (!err)
		err = province_disclosures(db, a, ids, m, year, u.today,
					   missing, e);
	if (!err)
		err = rfdb_open_findings(db, a, ids, m, to, &findings, e);
	calendar_release(&cal);
	if (err)
		return err;

	/* tiers per measure by the quartiles of the communes' scores */
	int *group =
		arena_alloc(a, sizeof *group * (size_t)(m * NMEASURES + 1));
	double *col = arena_alloc(a, sizeof *col * (size_t)(m + 1));
	if (!group || !col)
		return error_set(e, ERR_NOMEM,
				 "province figures: out of memory");
	for (int k = 0; k < NMEASURES; k++) {
		struct tier_cuts cuts;
		for (int i = 0; i < m; i++)
			col[i] = v[i * NMEASURES + k];
		tier_cuts(col, m, &cuts);
		for (int i = 0; i < m; i++)
			group[i * NMEASURES + k] = official_group_of_tier(
				isfinite(col[i])
					? tier_of(col[i], &cuts, TIER_TIE_UPPER)
					: TIER_NONE);
	}
	json_t *list = json_array();
	for (int j = 0; j < m; j++) {
		int i = order[j];
		json_t *dims = json_array();
		for (int k = 0; k < 8; k++)
			json_array_append_new(
				dims,
				json_pack("{s:s, s:o, s:o}", "code",
					  measure_code[k], "score",
					  jnum(v[i * NMEASURES + k]), "tier",
					  tier_json(group[i * NMEASURES + k])));
		int overdue = 0;
		for (int r = 0; r < nrows; r++)
			if (rows[r].key == ids[i])
				overdue = rows[r].c.overdue;
		json_array_append_new(
			list,
			json_pack("{s:I, s:o, s:s, s:o, s:{s:o, s:o}, s:o, "
				  "s:i, s:I, s:i, s:I}",
				  "id", (json_int_t)ids[i], "code",
				  jstr(codes[i]), "name",
				  str(db_get(units, i, "name")), "source",
				  jstr(src[i]), "total", "score",
				  jnum(v[i * NMEASURES + 8]), "tier",
				  tier_json(group[i * NMEASURES + 8]),
				  "dimensions", dims, "overdue_tasks", overdue,
				  "cases_overdue",
				  (json_int_t)per_commune(cases, ids[i],
							  "overdue"),
				  "disclosures_missing", missing[i],
				  "open_findings",
				  (json_int_t)per_commune(findings, ids[i],
							  "findings")));
	}
	*out = json_pack("{s:i, s:o}", "year", year, "communes", list);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM,
				"province figures: out of memory");
}
