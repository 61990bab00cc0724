/* weights.h on a real SQLite database with the demo round: margins files
 * (every bad row listed, nothing changed), raked shares equal the census
 * shares, results with margins differ from those without and equal
 * estimate.h on the export whose weight column is raked with rake.h, a
 * category without interviews. */
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
#include "../../../src/index/rake.h"
#include "../../../src/index/results.h"
#include "../../../src/index/survey_data.h"
#include "../../../src/index/weights.h"
#include "../../../src/people/people.h"
#include "../../../src/base/banned.h"

static char dir[] = "/tmp/quantri-weights-XXXXXX";
static char path[128];
static struct db *db;
static struct arena a;
static long long round_id;
static const struct papi_actor who = {0, "test", ""};

static const char good[] = "variable,category,population\r\n"
			   "gender,male,480\r\n"
			   "gender,female,520\r\n"
			   "age_group,18-29,300\r\n"
			   "age_group,30-39,250\r\n"
			   "age_group,40-49,200\r\n"
			   "age_group,50-59,150\r\n"
			   "age_group,60-70,100\r\n";

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
	return 0;
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

static bool close_to(double x, double y, double tol)
{
	return fabs(x - y) <= tol * (1 + fabs(y));
}

static bool has_problem(const struct problems *p, int line, const char *col,
			const char *en)
{
	for (int i = 0; i < p->kept; i++)
		if (p->list[i].line == line &&
		    !strcmp(p->list[i].column, col) &&
		    strstr(p->list[i].msg_en, en))
			return true;
	return false;
}

static void test_parse(void **state)
{
	(void)state;
	struct error e = {0};
	struct weights_margins m;
	struct problems p = {0};
	assert_int_equal(weights_parse(&a, good, strlen(good), &m, &p, &e),
			 ERR_OK);
	assert_true(m.has[0] && m.has[1]);
	assert_true(m.pop[0][1] == 520 && m.pop[1][4] == 100);

	static const char bad[] = "variable,category,population\n"
				  "gender,male,480\n"
				  "gender,femme,520\n"
				  "gender,female,0\n"
				  "age_group,18-29,abc\n"
				  "age_group,30-39,250\n"
				  "age_group,40-49,200\n"
				  "age_group,50-59,150\n"
				  "age_group,60-70,100\n"
				  "religion,none,5\n"
				  "gender,male,1\n";
	p = (struct problems){0};
	assert_int_equal(weights_parse(&a, bad, strlen(bad), &m, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 3, "category", "'femme'"));
	assert_true(has_problem(&p, 4, "population", "'0'"));
	assert_true(has_problem(&p, 5, "population", "'abc'"));
	assert_true(has_problem(&p, 10, "variable", "'religion'"));
	assert_true(has_problem(&p, 11, "category", "already on line 2"));
	assert_int_equal(p.n, 5);
	assert_false(m.has[0] || m.has[1]);

	static const char totals[] = "variable,category,population\n"
				     "gender,male,480\n"
				     "gender,female,520\n"
				     "age_group,18-29,300\n"
				     "age_group,30-39,250\n"
				     "age_group,40-49,200\n"
				     "age_group,50-59,150\n"
				     "age_group,60-70,99\n";
	p = (struct problems){0};
	assert_int_equal(weights_parse(&a, totals, strlen(totals), &m, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 0, "population", "totals differ"));
	assert_non_null(strstr(p.list[0].msg_vi, "khác"));

	static const char missing[] = "variable,category,population\n"
				      "age_group,18-29,300\n"
				      "age_group,30-39,250\n";
	p = (struct problems){0};
	assert_int_equal(
		weights_parse(&a, missing, strlen(missing), &m, &p, &e),
		ERR_INVALID);
	assert_true(has_problem(&p, 0, "category", "age_group 40-49"));
	assert_int_equal(p.n, 3);

	static const char cols[] = "variable,category,pop\ngender,male,1\n";
	p = (struct problems){0};
	assert_int_equal(weights_parse(&a, cols, strlen(cols), &m, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 1, "population", "missing column"));
	assert_true(has_problem(&p, 1, "pop", "unknown column"));

	/* one variable is enough */
	static const char one[] = "variable,category,population\n"
				  "gender,male,480.5\n"
				  "gender,female,520\n";
	p = (struct problems){0};
	assert_int_equal(weights_parse(&a, one, strlen(one), &m, &p, &e),
			 ERR_OK);
	assert_true(m.has[0] && !m.has[1] && m.pop[0][0] == 480.5);
}

static enum err keep_all(void *ctx, int n, const char *const *names,
			 enum survey_kind *kinds, struct error *e)
{
	(void)ctx;
	(void)e;
	for (int c = 0; c < n; c++) {
		if (!strcmp(names[c], "stratum") ||
		    !strcmp(names[c], "cluster") ||
		    !strcmp(names[c], "gender") ||
		    !strcmp(names[c], "age_group"))
			kinds[c] = SURVEY_LABEL;
		else if (!strcmp(names[c], "weight"))
			kinds[c] = SURVEY_WEIGHT;
		else if (names[c][0] == 'q')
			kinds[c] = SURVEY_NUMBER;
	}
	return ERR_OK;
}

/* The export's weight column raked with rake.h to the good margins. */
static void raked_export(struct survey_data *d, double *w)
{
	struct error e = {0};
	char *csv;
	size_t len;
	int rows;
	assert_int_equal(
		iv_export(db, &a, round_id, false, &csv, &len, &rows, &e),
		ERR_OK);
	struct survey_load_opts lo = {.select = keep_all};
	assert_int_equal(survey_data_load_mem(d, csv, len, &lo, &e), ERR_OK);
	static const char *const gl[] = {"male", "female"};
	static const char *const al[] = {"18-29", "30-39", "40-49", "50-59",
					 "60-70"};
	static const double gt[] = {480, 520}, at[] = {300, 250, 200, 150, 100};
	const struct survey_column *g = &d->cols[survey_data_col(d, "gender")];
	const struct survey_column *ag =
		&d->cols[survey_data_col(d, "age_group")];
	uint32_t *gc = calloc(d->nrows, sizeof *gc);
	uint32_t *ac = calloc(d->nrows, sizeof *ac);
	assert_non_null(gc);
	assert_non_null(ac);
	for (size_t i = 0; i < d->nrows; i++) {
		for (uint32_t k = 0; k < 2; k++)
			if (!strcmp(g->labels[g->code[i]], gl[k]))
				gc[i] = k;
		for (uint32_t k = 0; k < 5; k++)
			if (!strcmp(ag->labels[ag->code[i]], al[k]))
				ac[i] = k;
	}
	struct rake_margin m[2] = {{"gender", gc, 2, gt, gl},
				   {"age_group", ac, 5, at, al}};
	struct rake_opts o = {1000, 1e-12};
	struct rake_report rep;
	const double *dw = d->cols[survey_data_col(d, "weight")].num;
	assert_int_equal(rake_weights(d->nrows, dw, w, m, 2, &o, &rep, &e),
			 ERR_OK);
	assert_true(rep.converged);
	free(gc);
	free(ac);
}

static void test_results_and_shares(void **state)
{
	(void)state;
	struct error e = {0};
	struct results before, after;
	assert_int_equal(results_compute(db, &a, round_id, &before, &e),
			 ERR_OK);
	assert_false(before.raked);
	struct weights_view v;
	assert_int_equal(weights_view(db, &a, round_id, &v, &e), ERR_OK);
	assert_false(v.has_margins);
	assert_int_equal(v.interviews, 72);
	assert_int_equal(v.nrows, 7);
	assert_true(isnan(v.rows[0].raked) && isnan(v.rows[0].population));

	/* a bad file changes nothing; then the good one */
	static const char bad[] = "variable,category,population\n"
				  "gender,male,-1\n"
				  "gender,female,520\n";
	struct weights_margins m;
	struct problems p = {0};
	assert_int_equal(weights_import(db, &a, &who, round_id, bad,
					strlen(bad), &m, &p, &e),
			 ERR_INVALID);
	assert_int_equal(weights_margins_load(db, &a, round_id, &m, &e),
			 ERR_OK);
	assert_false(m.has[0] || m.has[1]);
	p = (struct problems){0};
	assert_int_equal(weights_import(db, &a, &who, round_id, good,
					strlen(good), &m, &p, &e),
			 ERR_OK);
	p = (struct problems){0};
	assert_int_equal(weights_import(db, &a, &who, round_id, bad,
					strlen(bad), &m, &p, &e),
			 ERR_INVALID);
	assert_int_equal(weights_margins_load(db, &a, round_id, &m, &e),
			 ERR_OK);
	assert_true(m.has[0] && m.has[1] && m.pop[1][0] == 300);
	assert_int_equal(weights_import(db, &a, &who, 999999, good,
					strlen(good), &m, &p, &e),
			 ERR_NOTFOUND);

	/* raked shares equal the census shares; the design ones do not */
	assert_int_equal(weights_view(db, &a, round_id, &v, &e), ERR_OK);
	assert_true(v.has_margins);
	assert_null(v.error_vi);
	static const double pop[] = {.48, .52, .3, .25, .2, .15, .1};
	long long n = 0;
	bool design_off = false;
	for (int i = 0; i < 7; i++) {
		assert_true(close_to(v.rows[i].population, pop[i], 1e-12));
		assert_true(close_to(v.rows[i].raked, pop[i], 1e-8));
		design_off |= fabs(v.rows[i].design - pop[i]) > 1e-3;
		n += v.rows[i].n;
	}
	assert_true(design_off);
	assert_int_equal(n, 2 * 72);

	/* results use the raked weights: different from before, equal to
	 * estimate.h on the export with the raked weight column */
	assert_int_equal(results_compute(db, &a, round_id, &after, &e), ERR_OK);
	assert_true(after.raked);
	assert_true(isfinite(after.total[0].value));
	assert_false(
		close_to(after.total[0].value, before.total[0].value, 1e-9));
	struct survey_data d;
	double *w = calloc(80, sizeof *w);
	assert_non_null(w);
	raked_export(&d, w);
	assert_int_equal(d.nrows, 72);
	const struct survey_column *str =
		&d.cols[survey_data_col(&d, "stratum")];
	const struct survey_column *clu =
		&d.cols[survey_data_col(&d, "cluster")];
	struct est_design dc = {.nrows = d.nrows,
				.weight = w,
				.stratum = str->code,
				.nstrata = str->nlabels,
				.cluster = clu->code,
				.nclusters = clu->nlabels,
				.lonely = LONELY_ADJUST,
				.threads = 1};
	struct estimator ec;
	assert_int_equal(estimator_init(&ec, &dc, &e), ERR_OK);
	const struct catalogue *c = &after.cx.cat;
	int compared = 0, changed = 0;
	for (int i = 0; i < after.nind; i++) {
		int qn = 0, qcol = -1;
		for (int q = 0; q < c->nquestions; q++)
			if (c->questions[q].indicator == after.ind_cat[i] &&
			    c->questions[q].direction !=
				    DIRECTION_DESCRIPTIVE) {
				qn++;
				qcol = survey_data_col(&d,
						       c->questions[q].code);
			}
		if (qn != 1 || after.ind[i].reason != SCORE_OK)
			continue;
		const double *col = d.cols[qcol].num;
		struct est_mean mc;
		assert_int_equal(estimate_means(&ec, &col, 1, &mc, &e), ERR_OK);
		assert_true(close_to(after.ind[i].value, mc.estimate, 1e-9));
		assert_true(close_to(after.ind[i].se, mc.se, 1e-9));
		changed += !close_to(after.ind[i].value, before.ind[i].value,
				     1e-9);
		compared++;
	}
	assert_true(compared > 30);
	assert_true(changed > compared / 2);
	estimator_release(&ec);
	survey_data_release(&d);
	free(w);
}

static void test_empty_category(void **state)
{
	(void)state;
	struct error e = {0};
	struct weights_margins m = {{true, true},
				    {{480, 520}, {300, 250, 200, 150, 100}}};
	uint32_t g[4] = {0, 1, 0, 1}, ag[4] = {0, 1, 2, 3}; /* no 60-70 */
	uint32_t *cat[2] = {g, ag};
	double w[4] = {1, 1, 1, 1}, out[4];
	assert_int_equal(weights_rake(&m, 4, cat, w, out, &e), ERR_CONFLICT);
	assert_string_equal(e.msg, "margin age_group 60-70: no interview");
	const char *vi = weights_message_vi(&a, &e);
	assert_non_null(strstr(vi, "không có phiếu nào"));
	assert_non_null(strstr(vi, "60–70 tuổi"));
	/* gender only: fine */
	m.has[1] = false;
	assert_int_equal(weights_rake(&m, 4, cat, w, out, &e), ERR_OK);
	assert_true(close_to(out[0] + out[2], 480, 1e-9));
	assert_true(close_to(out[1] + out[3], 520, 1e-9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_results_and_shares),
		cmocka_unit_test(test_empty_category),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
