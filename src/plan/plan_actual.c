/* A plan's targets against what the index measured.
 *
 * What is honest to compare:
 * - a score: the commune's own score, from the latest survey round of the
 *   year whose scope is the commune (or a unit of its lineage across a
 *   merger); failing that, its score in a round that surveyed it among
 *   other communes (a province's round);
 * - a tier (bậc) or a rank: only from a round that ranked the commune
 *   among its peers. The tiers a commune's own round gives are those of
 *   its villages among each other, not the commune's; and the province's
 *   official PAPI result is the province's, not the commune's: it is shown
 *   beside the target as context, never counted as met or not met.
 * A target to keep compares the year's figure with the baseline year's,
 * taken the same way. */
#include <math.h>
#include <string.h>
#include "plan.h"
#include "plan_db.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../index/index_db.h"
#include "../index/official.h"
#include "../index/results.h"
#include "../base/banned.h"

enum { ANCESTORS_MAX = 8, LINEAGE_MAX = 64 };

/* The results that measure one commune in one year. */
struct figures {
	int year;
	bool own, peer;
	struct res_scores own_r, peer_r;
	int peer_u; /* the commune's unit index in peer_r */
};

static bool in_list(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The round's scores (results_scores, kept under the round's mark), or
 * false (logged) when it cannot be scored. */
static bool compute(struct db *db, struct arena *a, long long round,
		    struct res_scores *r)
{
	struct error e = {0};
	enum err err = results_scores(db, a, &round, 1, r, &e);
	if (err || r->err) {
		log_warn("plan: round results", "round=%lld error=\"%s\"",
			 round, err ? e.msg : r->why);
		return false;
	}
	return r->nunits > 0;
}

static enum err figures_load(struct db *db, struct arena *a,
			     const long long *lin, int nlin, int year,
			     struct figures *f, struct error *e)
{
	memset(f, 0, sizeof *f);
	f->year = year;
	if (year <= 0)
		return ERR_OK;
	struct db_result *rounds;
	enum err err = plandb_rounds_of_year(db, a, year, &rounds, e);
	if (err)
		return err;
	/* the ancestors of every unit of the lineage: a round scoped there
	 * surveyed the commune among its peers */
	long long anc[LINEAGE_MAX * ANCESTORS_MAX];
	int nanc = 0;
	for (int i = 0; i < nlin && i < LINEAGE_MAX; i++) {
		long long ids[ANCESTORS_MAX];
		const char *kinds[ANCESTORS_MAX], *names[ANCESTORS_MAX];
		int n;
		err = plandb_ancestors(db, a, lin[i], ids, kinds, names,
				       ANCESTORS_MAX, &n, e);
		if (err)
			return err;
		for (int k = 1; k < n; k++)
			anc[nanc++] = ids[k];
	}
	for (int i = 0; i < rounds->nrows; i++) {
		long long id = db_get_int(rounds, i, "id", 0);
		long long scope = db_get_int(rounds, i, "scope_unit_id", 0);
		if (!f->own && in_list(lin, nlin, scope))
			f->own = compute(db, a, id, &f->own_r);
		else if (!f->peer && in_list(anc, nanc, scope) &&
			 compute(db, a, id, &f->peer_r)) {
			for (int k = 1; k < f->peer_r.nunits && !f->peer; k++)
				if (in_list(lin, nlin, f->peer_r.units[k].id)) {
					f->peer = true;
					f->peer_u = k;
				}
		}
	}
	return ERR_OK;
}

static void actual_of(struct arena *a, const struct figures *f, int m,
		      struct target_actual *out)
{
	memset(out, 0, sizeof *out);
	out->year = f->year;
	out->score = out->ci_low = out->ci_high = NAN;
	const struct res_scores *r = NULL;
	int u = 0;
	if (f->own && f->own_r.scored[m])
		r = &f->own_r;
	else if (f->peer && f->peer_r.scored[m])
		r = &f->peer_r, u = f->peer_u;
	if (r) {
		const struct score_value *v = res_score(r, u, m);
		if (v->reason == SCORE_OK && isfinite(v->value)) {
			out->has_score = true;
			out->score = v->value;
			out->ci_low = v->ci_low;
			out->ci_high = v->ci_high;
			out->source_vi = arena_printf(a, "%s (%d)",
						      r->round_name, r->year);
		}
	}
	if (f->peer && f->peer_r.scored[m]) {
		const struct res_scores *p = &f->peer_r;
		int k = f->peer_u * RES_MEASURES + m;
		out->group = official_group_of_tier(p->tier[k]);
		out->rank = p->rank[k];
		for (int v = 1; v < p->nunits; v++)
			out->n_ranked += p->rank[v * RES_MEASURES + m] > 0;
		if (!out->source_vi)
			out->source_vi = arena_printf(a, "%s (%d)",
						      p->round_name, p->year);
	}
}

static const char *const group_vi[] = {"", "Cao", "Trung bình cao",
				       "Trung bình thấp", "Thấp"};

static char *figure_text(struct arena *a, const struct plan_target *t,
			 const struct target_actual *x)
{
	if (!strcmp(t->kind, "score")) {
		if (!x->has_score)
			return NULL;
		if (isfinite(x->ci_low) && isfinite(x->ci_high))
			return arena_printf(
				a, "%s điểm (khoảng tin cậy 95%%: %s – %s)",
				text_format_number(a, x->score, 2),
				text_format_number(a, x->ci_low, 2),
				text_format_number(a, x->ci_high, 2));
		return arena_printf(a, "%s điểm",
				    text_format_number(a, x->score, 2));
	}
	if (!strcmp(t->kind, "tier"))
		return x->group ? arena_printf(a, "Bậc %s", group_vi[x->group])
				: NULL;
	return x->rank ? arena_printf(a, "Hạng %d/%d", x->rank, x->n_ranked)
		       : NULL;
}

/* The province's official result of the latest year up to `year`, as a
 * sentence of context; NULL when none. */
static char *official_context(struct db *db, struct arena *a, long long unit,
			      int year, int m)
{
	long long ids[ANCESTORS_MAX];
	const char *kinds[ANCESTORS_MAX], *names[ANCESTORS_MAX];
	int n, oy;
	struct error e = {0};
	if (plandb_ancestors(db, a, unit, ids, kinds, names, ANCESTORS_MAX, &n,
			     &e) ||
	    plandb_official_year(db, a, year, &oy, &e) || !oy)
		return NULL;
	const char *prov = NULL;
	for (int i = 0; i < n && !prov; i++)
		if (!strcmp(kinds[i], "province"))
			prov = names[i];
	struct official_set s;
	if (!prov || idb_official_load(db, a, oy, &s, &e))
		return NULL;
	const char *pf = text_fold(a, prov);
	int row = -1;
	for (int i = 0; i < s.n && row < 0; i++) {
		const char *rf = text_fold(a, s.rows[i].name);
		if (pf && rf && !strcmp(pf, rf))
			row = i;
	}
	if (row < 0 || !isfinite(s.rows[row].v[m]))
		return NULL;
	int *ranks = arena_alloc(a, sizeof(int) * (size_t)(s.n + 1));
	int *groups = arena_alloc(a, sizeof(int) * (size_t)(s.n + 1));
	if (!ranks || !groups)
		return NULL;
	struct tier_cuts cuts;
	official_groups(s.rows, s.n, oy, m, TIER_TIE_UPPER, ranks, groups,
			&cuts);
	int ranked = 0;
	for (int i = 0; i < s.n; i++)
		ranked += ranks[i] > 0;
	return arena_printf(
		a,
		"Tham khảo: tỉnh %s năm %d đạt %s điểm, nhóm %s, hạng %d/%d "
		"(kết quả chính thức của tỉnh, không phải của xã).",
		prov, oy, text_format_number(a, s.rows[row].v[m], 2),
		groups[row] >= 1 && groups[row] <= 4 ? group_vi[groups[row]]
						     : "—",
		ranks[row], ranked);
}

static int measure_index(const char *m)
{
	if (!strcmp(m, "total"))
		return 8;
	return m[0] == 'd' && m[1] >= '1' && m[1] <= '8' && !m[2] ? m[1] - '1'
								  : -1;
}

enum err plan_targets_actual(struct db *db, struct arena *a,
			     const struct plan *p, json_t **out,
			     struct error *e)
{
	*out = json_array();
	if (p->ntargets == 0)
		return ERR_OK;
	long long *lin;
	int nlin;
	const char *dims[8];
	struct figures now, base;
	enum err err = units_lineage(db, a, p->unit_id, &lin, &nlin, e);
	if (!err)
		err = plandb_dimension_names(db, a, p->year, dims, e);
	if (!err)
		err = figures_load(db, a, lin, nlin, p->year, &now, e);
	if (!err)
		err = figures_load(db, a, lin, nlin, p->baseline_year, &base,
				   e);
	if (err) {
		json_decref(*out);
		*out = NULL;
		return err;
	}
	for (int i = 0; i < p->ntargets; i++) {
		const struct plan_target *t = &p->targets[i];
		int m = measure_index(t->measure);
		if (m < 0)
			continue;
		struct target_actual x, b;
		actual_of(a, &now, m, &x);
		actual_of(a, &base, m, &b);
		bool keep = !strcmp(t->goal, "keep");
		enum target_state st = plan_target_check(
			t, &x, keep && p->baseline_year ? &b : NULL);
		const char *ax = figure_text(a, t, &x);
		const char *bx = keep ? figure_text(a, t, &b) : NULL;
		const char *why = NULL;
		if (st == TARGET_NO_DATA) {
			if (strcmp(t->kind, "score") && !now.peer)
				why = "Bậc và thứ hạng của xã chỉ có khi xã "
				      "được khảo sát cùng các xã khác (đợt "
				      "khảo sát cấp tỉnh); bậc của các thôn "
				      "trong xã không phải bậc của xã.";
			else if (!ax)
				why = arena_printf(
					a, "Chưa có kết quả khảo sát năm %d.",
					p->year);
			else if (keep && !p->baseline_year)
				why = "Kế hoạch chưa ghi năm so sánh.";
			else
				why = arena_printf(
					a, "Chưa có kết quả năm %d để so sánh.",
					p->baseline_year);
		}
		const char *ctx = strcmp(t->kind, "score")
					  ? official_context(db, a, p->unit_id,
							     p->year, m)
					  : NULL;
		const char *mlabel =
			m == 8 ? "Tổng điểm PAPI"
			       : arena_printf(a, "Lĩnh vực %d%s%s", m + 1,
					      *dims[m] ? ": " : "", dims[m]);
		json_array_append_new(
			*out,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, "
				  "s:s?, s:s?, s:s?, s:s?, s:s, s:b, s:b}",
				  "measure", t->measure, "measure_vi", mlabel,
				  "kind", t->kind, "goal", t->goal, "text_vi",
				  plan_target_text(a, t, p->baseline_year),
				  "state",
				  st == TARGET_MET       ? "met"
				  : st == TARGET_NOT_MET ? "not_met"
							 : "no_data",
				  "state_vi",
				  st == TARGET_MET       ? "Đạt"
				  : st == TARGET_NOT_MET ? "Chưa đạt"
							 : "Chưa có kết quả",
				  "actual_vi", ax, "baseline_vi", bx,
				  "reason_vi", why, "context_vi", ctx,
				  "source_vi", x.source_vi, "note",
				  t->note ? t->note : "", "met",
				  st == TARGET_MET, "not_met",
				  st == TARGET_NOT_MET));
	}
	return ERR_OK;
}
