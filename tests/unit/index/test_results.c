/* results.h on a real SQLite database: the demo commune, the shipped
 * catalogue and the seeded demo round. The composite pipeline agrees
 * with estimate.h run directly on the exported CSV; composites add up;
 * the short village has no score and says why; tiers and ranks are
 * tier.h's on the village totals; observed bounds; an empty round. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../../src/index/demo_round.h"
#include "../../../src/index/papi.h"
#include "../../../src/index/results.h"
#include "../../../src/index/round.h"
#include "../../../src/index/survey_data.h"
#include "../../../src/people/people.h"
#include "../../../src/base/banned.h"

static char dir[] = "/tmp/quantri-results-XXXXXX";
static char path[128];
static struct db *db;
static struct arena a;
static long long round_id;

static int setup(void **state)
{
	(void)state;
	struct error e = {0};
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/t.db", dir);
	arena_init(&a, 1u << 30);
	bool created;
	int cat, off, n;
	if (db_open(&db, path, &e) || db_migrate(db, &e) ||
	    demo_seed(db, &a, &created, &e) ||
	    papi_seed(db, &a, false, &cat, &off, &e) ||
	    demo_round_seed(db, &a, DEMO_ROUND_SEED, &round_id, &n, &created,
			    &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	return created && n == 72 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	arena_release(&a);
	char f[200];
	const char *sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(f, sizeof f, "%s%s", path, sfx[i]);
		unlink(f);
	}
	rmdir(dir);
	return 0;
}

static bool close_to(double x, double y)
{
	return fabs(x - y) <= 1e-9 * (1 + fabs(y));
}

static enum err keep_all(void *ctx, int n, const char *const *names,
			 enum survey_kind *kinds, struct error *e)
{
	(void)ctx;
	(void)e;
	for (int c = 0; c < n; c++) {
		if (!strcmp(names[c], "village") ||
		    !strcmp(names[c], "stratum") ||
		    !strcmp(names[c], "cluster"))
			kinds[c] = SURVEY_LABEL;
		else if (!strcmp(names[c], "weight"))
			kinds[c] = SURVEY_WEIGHT;
		else if (names[c][0] == 'q')
			kinds[c] = SURVEY_NUMBER;
	}
	return ERR_OK;
}

static void test_pipeline(void **state)
{
	(void)state;
	struct error e = {0};
	struct results r;
	assert_int_equal(results_compute(db, &a, round_id, &r, &e), ERR_OK);
	char *csv;
	size_t len;
	int rows;
	assert_int_equal(
		iv_export(db, &a, round_id, false, &csv, &len, &rows, &e),
		ERR_OK);
	assert_int_equal(rows, 72);
	struct survey_data d;
	struct survey_load_opts lo = {.select = keep_all};
	assert_int_equal(survey_data_load_mem(&d, csv, len, &lo, &e), ERR_OK);
	const struct survey_column *vil =
		&d.cols[survey_data_col(&d, "village")];
	const struct survey_column *str =
		&d.cols[survey_data_col(&d, "stratum")];
	const struct survey_column *clu =
		&d.cols[survey_data_col(&d, "cluster")];
	const double *w = d.cols[survey_data_col(&d, "weight")].num;

	/* villages: each its own stratum, people the PSUs */
	struct est_design dv = {.nrows = d.nrows,
				.weight = w,
				.stratum = vil->code,
				.nstrata = vil->nlabels,
				.group = vil->code,
				.ngroups = vil->nlabels,
				.lonely = LONELY_ADJUST,
				.threads = 1};
	/* the commune: strata = communes, clusters = villages */
	struct est_design dc = {.nrows = d.nrows,
				.weight = w,
				.stratum = str->code,
				.nstrata = str->nlabels,
				.cluster = clu->code,
				.nclusters = clu->nlabels,
				.lonely = LONELY_ADJUST,
				.threads = 1};
	struct estimator ev, ec;
	assert_int_equal(estimator_init(&ev, &dv, &e), ERR_OK);
	assert_int_equal(estimator_init(&ec, &dc, &e), ERR_OK);
	int compared = 0;
	const struct catalogue *c = &r.cx.cat;
	for (int i = 0; i < r.nind; i++) {
		int qn = 0, qcol = -1;
		for (int q = 0; q < c->nquestions; q++)
			if (c->questions[q].indicator == r.ind_cat[i] &&
			    c->questions[q].direction !=
				    DIRECTION_DESCRIPTIVE) {
				qn++;
				qcol = survey_data_col(&d,
						       c->questions[q].code);
			}
		if (qn != 1)
			continue;
		const double *col = d.cols[qcol].num;
		struct est_mean mv[16], mc;
		assert_true(vil->nlabels <= 16);
		assert_int_equal(estimate_means(&ev, &col, 1, mv, &e), ERR_OK);
		assert_int_equal(estimate_means(&ec, &col, 1, &mc, &e), ERR_OK);
		if (r.ind[i].reason == SCORE_OK) {
			assert_true(close_to(r.ind[i].value, mc.estimate));
			assert_true(close_to(r.ind[i].se, mc.se));
			assert_int_equal(r.ind[i].n, mc.n);
		}
		for (uint32_t g = 0; g < vil->nlabels; g++) {
			int u = results_unit(&r,
					     strtoll(vil->labels[g], NULL, 10));
			assert_true(u > 0);
			const struct score_value *v = &r.ind[u * r.nind + i];
			if (mv[g].n < r.min_n) {
				assert_int_not_equal(v->reason, SCORE_OK);
				assert_true(isnan(v->value));
				continue;
			}
			assert_int_equal(v->reason, SCORE_OK);
			assert_true(close_to(v->value, mv[g].estimate));
			assert_true(close_to(v->se, mv[g].se));
			compared++;
		}
	}
	assert_true(compared > 200);
	estimator_release(&ev);
	estimator_release(&ec);
	survey_data_release(&d);

	/* composites add up; the short village has none, and says why */
	int noscore = 0;
	for (int u = 0; u < r.nunits; u++) {
		if (r.total[u].reason != SCORE_OK) {
			noscore++;
			assert_true(isnan(r.total[u].value));
			assert_int_equal(r.tier[u * (r.ndim + 1) + r.ndim],
					 TIER_NONE);
			assert_int_equal(r.rank[u * (r.ndim + 1) + r.ndim], 0);
			assert_string_not_equal(
				score_reason_vi(r.total[u].reason), "");
			continue;
		}
		double sum = 0;
		for (int m = 0; m < r.ndim; m++) {
			double ds = 0;
			for (int s = 0; s < r.nsub; s++)
				if (r.sub_dim[s] == m)
					ds += r.sub[u * r.nsub + s].value;
			assert_true(close_to(ds, r.dim[u * r.ndim + m].value));
			sum += r.dim[u * r.ndim + m].value;
		}
		assert_true(close_to(sum, r.total[u].value));
		assert_true(r.total[u].value >= 8 && r.total[u].value <= 80);
		assert_true(r.total[u].ci_low < r.total[u].value);
	}
	assert_int_equal(noscore, 1);
	assert_int_equal(r.total[0].reason, SCORE_OK); /* the commune */

	/* tiers and ranks: tier.h on the village scores */
	for (int m = 0; m <= r.ndim; m++) {
		double v[8];
		int rk[8], nv = r.nunits - 1;
		for (int k = 0; k < nv; k++)
			v[k] = m < r.ndim ? r.dim[(k + 1) * r.ndim + m].value
					  : r.total[k + 1].value;
		struct tier_cuts cuts;
		tier_cuts(v, nv, &cuts);
		rank_desc(v, nv, rk);
		for (int k = 0; k < nv; k++) {
			int u = k + 1;
			assert_int_equal(r.rank[u * (r.ndim + 1) + m], rk[k]);
			assert_int_equal(r.tier[u * (r.ndim + 1) + m],
					 tier_of(v[k], &cuts, r.tie));
		}
	}
}

/* Whether s holds r's scores: every unit, every dimension and the total,
 * with tiers and ranks. */
static void assert_same_scores(const struct results *r,
			       const struct res_scores *s)
{
	assert_int_equal(s->round_id, r->cx.round.id);
	assert_int_equal(s->err, ERR_OK);
	assert_int_equal(s->interviews, r->interviews);
	assert_int_equal(s->nunits, r->nunits);
	assert_string_equal(s->round_name, r->cx.round.name);
	for (int d = 0; d <= r->ndim; d++) {
		int m = RES_MEASURES - 1;
		if (d < r->ndim) {
			const char *code =
				r->cx.cat.dimensions[r->dim_cat[d]].code;
			m = code[1] - '1';
			assert_string_equal(
				s->name_vi[m],
				r->cx.cat.dimensions[r->dim_cat[d]].name_vi);
		}
		assert_true(s->scored[m]);
		for (int u = 0; u < r->nunits; u++) {
			const struct score_value *x =
				d == r->ndim ? &r->total[u]
					     : &r->dim[u * r->ndim + d];
			const struct score_value *y = res_score(s, u, m);
			assert_int_equal(y->reason, x->reason);
			if (x->reason == SCORE_OK) {
				assert_true(close_to(y->value, x->value));
				assert_true(close_to(y->ci_low, x->ci_low));
				assert_true(close_to(y->ci_high, x->ci_high));
			}
			assert_int_equal(s->tier[u * RES_MEASURES + m],
					 r->tier[u * (r->ndim + 1) + d]);
			assert_int_equal(s->rank[u * RES_MEASURES + m],
					 r->rank[u * (r->ndim + 1) + d]);
			assert_int_equal(s->units[u].id, r->units[u].id);
			assert_string_equal(s->units[u].name, r->units[u].name);
		}
	}
}

/* results_scores gives results_compute's scores, kept under the round's
 * mark: asked again it gives the same; a change through the program (a
 * village renamed) or behind it (interviews' weights set in SQL, no
 * audit row) shows at once. */
static void test_kept_scores(void **state)
{
	(void)state;
	struct error e = {0};
	struct results r;
	struct res_scores s[2];
	long long ids[2] = {round_id, round_id};
	assert_int_equal(results_compute(db, &a, round_id, &r, &e), ERR_OK);
	assert_true(r.ndim > 0 && r.nunits > 2);
	assert_int_equal(results_scores(db, &a, ids, 2, s, &e), ERR_OK);
	assert_same_scores(&r, &s[0]); /* estimated */
	assert_same_scores(&r, &s[1]); /* kept */

	/* weights behind every writer */
	double total = res_score(&s[0], 0, RES_MEASURES - 1)->value;
	char sql[200];
	snprintf(sql, sizeof sql,
		 "UPDATE interviews SET weight = COALESCE(weight, 1) * 5 "
		 "WHERE round_id = %lld AND id %% 2 = 0",
		 round_id);
	assert_int_equal(db_exec(db, &a, sql, NULL, 0, NULL, &e), ERR_OK);
	assert_int_equal(results_compute(db, &a, round_id, &r, &e), ERR_OK);
	assert_int_equal(results_scores(db, &a, ids, 1, s, &e), ERR_OK);
	assert_same_scores(&r, &s[0]);
	assert_false(
		close_to(res_score(&s[0], 0, RES_MEASURES - 1)->value, total));
	snprintf(sql, sizeof sql,
		 "UPDATE interviews SET weight = weight / 5 WHERE round_id = "
		 "%lld AND id %% 2 = 0",
		 round_id);
	assert_int_equal(db_exec(db, &a, sql, NULL, 0, NULL, &e), ERR_OK);

	/* a village renamed through the program */
	struct unit v;
	assert_int_equal(units_get(db, &a, r.units[1].id, &v, &e), ERR_OK);
	const char *name = v.name, *full = v.full_name;
	v.name = "Đổi Tên";
	v.full_name = "Thôn Đổi Tên";
	assert_int_equal(units_edit(db, &a, &actor_cli, &v, NULL, &e), ERR_OK);
	assert_int_equal(results_compute(db, &a, round_id, &r, &e), ERR_OK);
	assert_string_equal(r.units[1].name, "Đổi Tên");
	assert_int_equal(results_scores(db, &a, ids, 1, s, &e), ERR_OK);
	assert_same_scores(&r, &s[0]);
	assert_true(
		close_to(res_score(&s[0], 0, RES_MEASURES - 1)->value, total));
	v.name = name;
	v.full_name = full;
	assert_int_equal(units_edit(db, &a, &actor_cli, &v, NULL, &e), ERR_OK);

	long long none = 999999;
	assert_int_equal(results_scores(db, &a, &none, 1, s, &e), ERR_NOTFOUND);
}

static void test_observed_and_empty(void **state)
{
	(void)state;
	struct error e = {0};
	struct papi_actor who = {0, "cli", ""};
	struct round_input in = {.bounds_rule = "observed"};
	assert_int_equal(round_edit(db, &a, &who, round_id, &in, NULL, &e),
			 ERR_OK);
	struct results r;
	assert_int_equal(results_compute(db, &a, round_id, &r, &e), ERR_OK);
	assert_true(r.observed);
	/* observed bounds: some village sits on 0 and some on 1 */
	int at0 = 0, at1 = 0;
	for (int u = 1; u < r.nunits; u++)
		for (int i = 0; i < r.nind; i++) {
			double z = r.z[u * r.nind + i];
			if (isnan(z))
				continue;
			assert_true(z >= -1e-12 && z <= 1 + 1e-12);
			at0 += fabs(z) < 1e-12;
			at1 += fabs(z - 1) < 1e-12;
		}
	assert_true(at0 > 0 && at1 > 0);
	in.bounds_rule = "theoretical";
	assert_int_equal(round_edit(db, &a, &who, round_id, &in, NULL, &e),
			 ERR_OK);

	/* seeding again changes nothing */
	long long id;
	int n;
	bool created;
	assert_int_equal(
		demo_round_seed(db, &a, DEMO_ROUND_SEED, &id, &n, &created, &e),
		ERR_OK);
	assert_false(created);
	assert_int_equal(id, round_id);

	/* a round without interviews: the scope alone, no score */
	struct round_input ni = {.year = "2027",
				 .name = "Trống",
				 .scope = "12424",
				 .catalogue = "2024"};
	long long empty;
	assert_int_equal(round_create(db, &a, &who, &ni, &empty, NULL, &e),
			 ERR_OK);
	assert_int_equal(results_compute(db, &a, empty, &r, &e), ERR_OK);
	assert_int_equal(r.interviews, 0);
	assert_int_equal(r.nunits, 1);
	assert_int_equal(r.total[0].reason, SCORE_NO_ANSWERS);

	/* lineage: a 2024 round of Minh Tiến (merged into Tiên Tiến on
	 * 01/07/2025), the demo round, the empty one; only the first crosses
	 * the merger */
	struct unit old;
	assert_int_equal(
		units_by_code(db, &a, "12424", "commune", NULL, &old, &e),
		ERR_OK);
	assert_string_equal(old.name, "Minh Tiến");
	struct round_input oi = {.year = "2024",
				 .name = "Minh Tiến 2024",
				 .scope = arena_printf(&a, "%lld", old.id),
				 .catalogue = "2024"};
	long long before;
	assert_int_equal(round_create(db, &a, &who, &oi, &before, NULL, &e),
			 ERR_OK);
	long long *ids;
	bool *crossed;
	int nl;
	assert_int_equal(
		results_lineage_rounds(db, &a, empty, &ids, &crossed, &nl, &e),
		ERR_OK);
	assert_int_equal(nl, 3);
	assert_int_equal(ids[0], before);
	assert_int_equal(ids[1], round_id);
	assert_int_equal(ids[2], empty);
	assert_true(crossed[0]);
	assert_false(crossed[1]);
	assert_false(crossed[2]);
	assert_int_equal(results_compute(db, &a, 999999, &r, &e), ERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_kept_scores),
		cmocka_unit_test(test_observed_and_empty),
	};
	return cmocka_run_group_tests_name("round results", tests, setup,
					   teardown);
}
