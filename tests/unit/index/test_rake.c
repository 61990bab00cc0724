/* Raking: a hand example, the refusals, and the weights of R's
 * survey::rake() on generated data (to 1e-9). */
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
#include "index/rake.h"
#include "index/survey_data.h"
#include "../../oracle/gen_survey.c"
#include "base/banned.h"

static void test_two_by_two(void **state)
{
	/* 4 rows, gender x age, weights 1: margins 60/40 and 30/70. */
	double w[4] = {1, 1, 1, 1}, out[4];
	uint32_t g[] = {0, 0, 1, 1}, a[] = {0, 1, 0, 1};
	double tg[] = {60, 40}, ta[] = {30, 70};
	struct rake_margin m[] = {
		{.name = "gender", .code = g, .ncat = 2, .target = tg},
		{.name = "age", .code = a, .ncat = 2, .target = ta},
	};
	struct rake_report r;
	struct error e = {0};
	assert_int_equal(rake_weights(4, w, out, m, 2, NULL, &r, &e), ERR_OK);
	assert_true(r.converged);
	/* the independence fit: 60*30/100, 60*70/100, 40*30/100, 40*70/100 */
	assert_true(fabs(out[0] - 18) < 1e-9);
	assert_true(fabs(out[1] - 42) < 1e-9);
	assert_true(fabs(out[2] - 12) < 1e-9);
	assert_true(fabs(out[3] - 28) < 1e-9);
	double u[2], wt[2], p[2];
	rake_shares(4, w, &m[0], u, wt, p);
	assert_true(u[0] == 0.5 && wt[0] == 0.5 && p[0] == 0.6);
	rake_shares(4, out, &m[0], u, wt, p);
	assert_true(fabs(wt[0] - 0.6) < 1e-12);
}

static void test_refusals(void **state)
{
	double w[3] = {1, 2, 1}, out[3];
	uint32_t g[] = {0, 0, 0}, a[] = {0, 1, 1};
	const char *gl[] = {"nam", "nữ"};
	double tg[] = {50, 50}, ta[] = {30, 60}, ta2[] = {40, 60};
	struct rake_margin m[] = {
		{.name = "gender",
		 .code = g,
		 .ncat = 2,
		 .target = tg,
		 .labels = gl},
		{.name = "age", .code = a, .ncat = 2, .target = ta},
	};
	struct rake_report r;
	struct error e = {0};
	assert_int_equal(rake_weights(3, w, out, m, 2, NULL, &r, &e),
			 ERR_INVALID);
	assert_string_equal(e.msg, "margin age adds up to 90, margin gender "
				   "to 100: the margins must describe the "
				   "same population");
	m[1].target = ta2;
	assert_int_equal(rake_weights(3, w, out, m, 2, NULL, &r, &e),
			 ERR_INVALID);
	assert_string_equal(e.msg,
			    "margin gender: category nữ has no one in the "
			    "sample");
	/* an iteration cap that is too low: reported, not hidden */
	uint32_t g2[] = {0, 1, 1};
	m[0].code = g2;
	struct rake_opts o = {.max_iter = 1, .tol = 1e-15};
	uint32_t a3[] = {0, 0, 1};
	m[1].code = a3;
	assert_int_equal(rake_weights(3, w, out, m, 2, &o, &r, &e), ERR_OK);
	assert_int_equal(r.iterations, 1);
	assert_false(r.converged);
	assert_true(r.max_rel_diff > 1e-15);
}

/* --- R ------------------------------------------------------------ */

static const char *oracle_dir(void)
{
	static char d[1024];
	const char *f = __FILE__, *cut = strstr(f, "/unit/index/");
	if (!cut)
		fail_msg("cannot find tests/oracle from %s", f);
	snprintf(d, sizeof d, "%.*s/oracle", (int)(cut - f), f);
	return d;
}

static enum err pick(void *ctx, int n, const char *const *names,
		     enum survey_kind *kinds, struct error *e)
{
	for (int i = 0; i < n; i++) {
		if (!strcmp(names[i], "w"))
			kinds[i] = SURVEY_WEIGHT;
		if (!strcmp(names[i], "gender") ||
		    !strcmp(names[i], "agegroup"))
			kinds[i] = SURVEY_LABEL;
	}
	return ERR_OK;
}

/* targets[k] for the labels of column c, from "1:480000,2:520000" */
static double *targets_of(const struct survey_column *c, const char *spec)
{
	double *t = calloc(c->nlabels, sizeof *t);
	assert_non_null(t);
	for (uint32_t k = 0; k < c->nlabels; k++) {
		char key[32];
		snprintf(key, sizeof key, "%s:", c->labels[k]);
		const char *p = strstr(spec, key);
		assert_non_null(p);
		t[k] = strtod(p + strlen(key), NULL);
	}
	return t;
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
	char dir[256], data[300], out[300], cmd[2048];
	snprintf(dir, sizeof dir, "%s/quantri-rake-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(data, sizeof data, "%s/data.csv", dir);
	snprintf(out, sizeof out, "%s/r.txt", dir);
	FILE *f = fopen(data, "wb");
	assert_non_null(f);
	struct gen_opts o = {.rows = 4000,
			     .vars = 2,
			     .strata = 10,
			     .clusters = 80,
			     .units = 5,
			     .seed = 11};
	assert_int_equal(gen_survey(f, &o), 0);
	fclose(f);
	const char *gs = "1:4812345.5,2:5187654.5";
	const char *as = "1:3100000,2:2600000,3:2500000,4:1800000";
	snprintf(cmd, sizeof cmd,
		 "Rscript '%s/rake.R' '%s' '%s' gender=%s agegroup=%s",
		 oracle_dir(), data, out, gs, as);
	assert_int_equal(system(cmd), 0);

	struct survey_data d;
	struct survey_load_opts lo = {.select = pick};
	struct error e = {0};
	assert_int_equal(survey_data_load_file(&d, data, &lo, &e), ERR_OK);
	const struct survey_column *w = &d.cols[survey_data_col(&d, "w")];
	const struct survey_column *g = &d.cols[survey_data_col(&d, "gender")];
	const struct survey_column *a =
		&d.cols[survey_data_col(&d, "agegroup")];
	double *tg = targets_of(g, gs), *ta = targets_of(a, as);
	struct rake_margin m[] = {
		{.name = "gender",
		 .code = g->code,
		 .ncat = g->nlabels,
		 .target = tg,
		 .labels = (const char *const *)g->labels},
		{.name = "agegroup",
		 .code = a->code,
		 .ncat = a->nlabels,
		 .target = ta,
		 .labels = (const char *const *)a->labels},
	};
	double *raked = malloc(d.nrows * sizeof *raked);
	struct rake_report r;
	assert_int_equal(
		rake_weights(d.nrows, w->num, raked, m, 2, NULL, &r, &e),
		ERR_OK);
	assert_true(r.converged);
	f = fopen(out, "r");
	assert_non_null(f);
	double worst = 0;
	size_t i = 0;
	char line[64];
	while (fgets(line, sizeof line, f)) {
		assert_true(i < d.nrows);
		double rw = strtod(line, NULL);
		double rel = fabs(raked[i] - rw) / rw;
		if (rel > 1e-9)
			fail_msg("row %zu: %.17g, R %.17g", i + 1, raked[i],
				 rw);
		worst = fmax(worst, rel);
		i++;
	}
	fclose(f);
	assert_int_equal(i, d.nrows);
	printf("# %zu raked weights, %d iterations, largest relative "
	       "difference from R %.2g\n",
	       i, r.iterations, worst);
	/* the weighted shares now meet the population's */
	double u[4], ws[4], p[4];
	rake_shares(d.nrows, raked, &m[1], u, ws, p);
	for (uint32_t k = 0; k < a->nlabels; k++)
		assert_true(fabs(ws[k] - p[k]) < 1e-10);
	free(raked);
	free(tg);
	free(ta);
	survey_data_release(&d);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_by_two),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_against_r),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
