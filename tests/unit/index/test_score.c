/* Scores: the rescaling and sums on a hand example, the reasons units
 * without enough answers give, observed bounds, and values and standard
 * errors of sub-dimensions, dimensions and totals against R (the
 * linearised composite through svyrecvar, itself checked against
 * svycontrast in tests/oracle/score.R). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/csv.h"
#include "index/score.h"
#include "index/survey_data.h"
#include "../../oracle/gen_survey.c"
#include "base/banned.h"

static void test_hand(void **state)
{
	/* One unit, weights 1, no clusters: indicator means 0.5 (0..1),
	 * 4 (1..5, reversed), 25 (0..100). Dimension 1: sub 1 = {a, b},
	 * sub 2 = {c}; dimension 2: sub 3 = {a} with weight 2 (alone). */
	double w[] = {1, 1}, a[] = {0, 1}, b[] = {3, 5}, c[] = {0, 50};
	const double *cols[] = {a, b, c, a};
	struct est_design d = {.nrows = 2, .weight = w, .threads = 1};
	struct estimator est;
	struct error e = {0};
	assert_int_equal(estimator_init(&est, &d, &e), ERR_OK);
	struct score_indicator ind[] = {
		{.key = "a", .sub = 0, .lo = 0, .hi = 1},
		{.key = "b", .sub = 0, .lo = 1, .hi = 5, .reversed = true},
		{.key = "c", .sub = 1, .lo = 0, .hi = 100},
		{.key = "a2", .sub = 2, .lo = 0, .hi = 1, .weight = 2},
	};
	int sub_dim[] = {0, 0, 1};
	struct score_structure s = {.nind = 4,
				    .ind = ind,
				    .nsub = 3,
				    .sub_dim = sub_dim,
				    .ndim = 2};
	struct score_result r;
	assert_int_equal(score_compute(&est, cols, &s, NULL, &r, &e), ERR_OK);
	/* z: 0.5, 1 - 3/4 = 0.25, 0.25, 0.5 */
	assert_true(fabs(r.z[1] - 0.25) < 1e-15);
	/* sub 1: (1/2)(1 + 9 * 0.375); sub 2: (1/2)(1 + 9 * 0.25);
	 * sub 3: 1 + 9 * 0.5 */
	double s1 = 0.5 * (1 + 9 * 0.375), s2 = 0.5 * (1 + 9 * 0.25);
	double s3 = 1 + 9 * 0.5;
	assert_true(fabs(r.sub[0].value - s1) < 1e-12);
	assert_true(fabs(r.sub[1].value - s2) < 1e-12);
	assert_true(fabs(r.sub[2].value - s3) < 1e-12);
	assert_true(fabs(r.dim[0].value - (s1 + s2)) < 1e-12);
	assert_true(fabs(r.dim[1].value - s3) < 1e-12);
	assert_true(fabs(r.total[0].value - (s1 + s2 + s3)) < 1e-12);
	assert_int_equal(r.total[0].reason, SCORE_OK);
	assert_true(r.total[0].ci_low < r.total[0].value &&
		    r.total[0].value < r.total[0].ci_high);
	score_result_release(&r);

	/* Too few answers: min_n 3 > 2 answers: nothing has a score, and
	 * each says why. */
	struct score_opts o = {.min_n = 3};
	assert_int_equal(score_compute(&est, cols, &s, &o, &r, &e), ERR_OK);
	assert_int_equal(r.indicator[0].reason, SCORE_FEW_ANSWERS);
	assert_true(isnan(r.indicator[0].value));
	assert_int_equal(r.sub[0].reason, SCORE_FEW_ANSWERS);
	assert_int_equal(r.total[0].reason, SCORE_FEW_ANSWERS);
	assert_true(isnan(r.total[0].value));
	assert_string_equal(score_reason_code(r.total[0].reason),
			    "few_answers");
	assert_string_equal(score_reason_vi(SCORE_FEW_ANSWERS),
			    "Chưa đủ số người trả lời");
	score_result_release(&r);

	/* Observed bounds with one unit: every indicator has no range. */
	o = (struct score_opts){.bounds = SCORE_BOUNDS_OBSERVED};
	assert_int_equal(score_compute(&est, cols, &s, &o, &r, &e), ERR_OK);
	assert_int_equal(r.indicator[0].reason, SCORE_NO_RANGE);
	assert_int_equal(r.sub[0].reason, SCORE_NO_RANGE);
	score_result_release(&r);

	/* A bad structure is refused with a message. */
	ind[2].hi = 0;
	assert_int_equal(score_compute(&est, cols, &s, NULL, &r, &e),
			 ERR_INVALID);
	assert_string_equal(e.msg, "indicator c: bounds 0..0");
	estimator_release(&est);
}

/* --- R --------------------------------------------------------------- */

static const char *oracle_dir(void)
{
	static char d[1024];
	const char *f = __FILE__, *cut = strstr(f, "/unit/index/");
	if (!cut)
		fail_msg("cannot find tests/oracle from %s", f);
	snprintf(d, sizeof d, "%.*s/oracle", (int)(cut - f), f);
	return d;
}

enum { NIND = 12, NSUB = 5, NDIM = 2 };
/* q1..q12: sub-dimensions {1,2,3} {4,5,6} | {7,8} {9,10} {11,12};
 * kinds cycle yes/no, 1-5, 0-100, amount (tests/oracle/gen_survey.c) */
static const int ind_sub[NIND] = {0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4};
static const int sub_dim[NSUB] = {0, 0, 1, 1, 1};
static const double kind_lo[4] = {0, 1, 0, 0}, kind_hi[4] = {1, 5, 100, 2000};

static enum err pick(void *ctx, int n, const char *const *names,
		     enum survey_kind *kinds, struct error *e)
{
	for (int i = 0; i < n; i++) {
		if (!strcmp(names[i], "w"))
			kinds[i] = SURVEY_WEIGHT;
		else if (!strcmp(names[i], "stratum") ||
			 !strcmp(names[i], "cluster") ||
			 !strcmp(names[i], "domain") ||
			 !strcmp(names[i], "unit"))
			kinds[i] = SURVEY_LABEL;
		else if (names[i][0] == 'q')
			kinds[i] = SURVEY_NUMBER;
	}
	return ERR_OK;
}

static void check_by(const char *dir, const char *data, const char *by,
		     int min_n, enum score_reason expect_missing)
{
	char st[300], out[300], cmd[2048];
	snprintf(st, sizeof st, "%s/structure.csv", dir);
	snprintf(out, sizeof out, "%s/r-%s.csv", dir, by);
	snprintf(cmd, sizeof cmd, "Rscript '%s/score.R' '%s' '%s' %s %d '%s'",
		 oracle_dir(), data, st, by, min_n, out);
	assert_int_equal(system(cmd), 0);

	struct survey_data d;
	struct survey_load_opts lo = {.select = pick};
	struct error e = {0};
	assert_int_equal(survey_data_load_file(&d, data, &lo, &e), ERR_OK);
	const struct survey_column *w = &d.cols[survey_data_col(&d, "w")];
	const struct survey_column *s = &d.cols[survey_data_col(&d, "stratum")];
	const struct survey_column *c = &d.cols[survey_data_col(&d, "cluster")];
	const struct survey_column *g = &d.cols[survey_data_col(&d, by)];
	struct est_design des = {
		.nrows = d.nrows,
		.weight = w->num,
		.stratum = s->code,
		.nstrata = s->nlabels,
		.cluster = c->code,
		.nclusters = c->nlabels,
		.group = g->code,
		.ngroups = g->nlabels,
	};
	struct estimator est;
	assert_int_equal(estimator_init(&est, &des, &e), ERR_OK);
	const double *cols[NIND];
	struct score_indicator ind[NIND];
	char keys[NIND][8];
	for (int k = 0; k < NIND; k++) {
		snprintf(keys[k], sizeof keys[k], "q%d", k + 1);
		cols[k] = d.cols[survey_data_col(&d, keys[k])].num;
		ind[k] = (struct score_indicator){.key = keys[k],
						  .sub = ind_sub[k],
						  .lo = kind_lo[k % 4],
						  .hi = kind_hi[k % 4],
						  .reversed = k == 2 || k == 7,
						  .weight = k == 0 ? 2 : 1};
	}
	struct score_structure ss = {.nind = NIND,
				     .ind = ind,
				     .nsub = NSUB,
				     .sub_dim = sub_dim,
				     .ndim = NDIM};
	struct score_opts so = {.min_n = (uint64_t)min_n};
	struct score_result r;
	assert_int_equal(score_compute(&est, cols, &ss, &so, &r, &e), ERR_OK);

	size_t len;
	FILE *f = fopen(out, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	struct arena a;
	arena_init(&a, 1 << 24);
	struct csv_table t;
	assert_int_equal(csv_parse(&a, buf, len, &t, &e), ERR_OK);
	/* every score we give, R gives, and the other way round */
	int ours = 0, missing = 0;
	double worst = 0;
	for (uint32_t gi = 0; gi < r.ngroups; gi++) {
		const char *label = g->labels[gi];
		for (int lvl = 0; lvl < 3; lvl++) {
			int n = lvl == 0 ? NSUB : lvl == 1 ? NDIM : 1;
			const char *lname = lvl == 0   ? "sub"
					    : lvl == 1 ? "dim"
						       : "total";
			for (int it = 0; it < n; it++) {
				const struct score_value *v =
					lvl == 0   ? &r.sub[gi * NSUB + it]
					: lvl == 1 ? &r.dim[gi * NDIM + it]
						   : &r.total[gi];
				char item[16];
				snprintf(item, sizeof item, "%d",
					 lvl == 2 ? 0 : it);
				int row = -1;
				for (int i = 0; i < t.nrows; i++)
					if (!strcmp(csv_get(&t, i, 0), label) &&
					    !strcmp(csv_get(&t, i, 1), lname) &&
					    !strcmp(csv_get(&t, i, 2), item))
						row = i;
				if (v->reason != SCORE_OK) {
					if (row >= 0)
						fail_msg("%s %s %s: R has a "
							 "score, we "
							 "say %s",
							 label, lname, item,
							 score_reason_code(
								 v->reason));
					if (v->reason == expect_missing)
						missing++;
					continue;
				}
				if (row < 0)
					fail_msg("%s %s %s: no score in R",
						 label, lname, item);
				ours++;
				double rv = strtod(csv_get(&t, row, 3), NULL);
				double rs = strtod(csv_get(&t, row, 4), NULL);
				double d1 = fabs(v->value - rv) / fabs(rv);
				double d2 = fabs(v->se - rs) / fabs(rs);
				if (d1 > 1e-9 || d2 > 1e-9)
					fail_msg(
						"%s %s %s: %.17g (se %.17g), R "
						"%.17g (se %.17g)",
						label, lname, item, v->value,
						v->se, rv, rs);
				worst = fmax(worst, fmax(d1, d2));
				assert_true(fabs(v->ci_high - v->value -
						 1.959964 * v->se) < 1e-12);
			}
		}
	}
	assert_int_equal(ours, t.nrows);
	if (expect_missing != SCORE_OK)
		assert_true(missing > 0);
	printf("# by %s: %d scores, %d without (%s), largest relative "
	       "difference from R %.2g\n",
	       by, ours, missing, score_reason_code(expect_missing), worst);
	arena_release(&a);
	score_result_release(&r);
	estimator_release(&est);
	survey_data_release(&d);
}

static void test_against_r(void **state)
{
	if (system("command -v Rscript >/dev/null 2>&1")) {
		const char *no = getenv("QUANTRI_NO_R");
		if (no && !strcmp(no, "1")) {
			skip();
			return;
		}
		fail_msg("Rscript not found: install r-base-core and "
			 "r-cran-survey, or set QUANTRI_NO_R=1 to skip");
	}
	char dir[256], data[300], st[300], cmd[600];
	snprintf(dir, sizeof dir, "%s/quantri-score-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(data, sizeof data, "%s/data.csv", dir);
	snprintf(st, sizeof st, "%s/structure.csv", dir);
	FILE *f = fopen(data, "wb");
	assert_non_null(f);
	struct gen_opts o = {.rows = 3000,
			     .vars = NIND,
			     .strata = 10,
			     .clusters = 60,
			     .units = 6,
			     .seed = 5};
	assert_int_equal(gen_survey(f, &o), 0);
	fclose(f);
	f = fopen(st, "w");
	assert_non_null(f);
	fprintf(f, "var,sub,dim,lo,hi,reversed,weight\n");
	for (int k = 0; k < NIND; k++)
		fprintf(f, "q%d,%d,%d,%g,%g,%s,%d\n", k + 1, ind_sub[k],
			sub_dim[ind_sub[k]], kind_lo[k % 4], kind_hi[k % 4],
			k == 2 || k == 7 ? "TRUE" : "FALSE", k == 0 ? 2 : 1);
	fclose(f);
	/* communes (whole clusters): every score exists */
	check_by(dir, data, "unit", 1, SCORE_OK);
	/* domains across clusters and strata; d3 never answered q4 and
	 * d4 is small: scores withheld, with reasons */
	check_by(dir, data, "domain", 100, SCORE_NO_ANSWERS);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand),
		cmocka_unit_test(test_against_r),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
