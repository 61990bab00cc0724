/* weights.h on a real SQLite database with the demo round: margins files
 * (every bad row listed, nothing changed), raked shares equal the census
 * shares, results with margins differ from those without and equal
 * estimate.h on the export whose weight column is raked with rake.h, a
 * category without interviews; village margins (a village named by code,
 * id or name; unknown, outside, missing villages; totals), raking on three
 * variables, the village rows filled from the sample frame. */
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
	assert_int_equal(
		weights_parse(&a, good, strlen(good), NULL, &m, &p, &e),
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
	assert_int_equal(weights_parse(&a, bad, strlen(bad), NULL, &m, &p, &e),
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
	assert_int_equal(
		weights_parse(&a, totals, strlen(totals), NULL, &m, &p, &e),
		ERR_INVALID);
	assert_true(has_problem(&p, 0, "population", "totals differ"));
	assert_non_null(strstr(p.list[0].msg_vi, "khác"));

	static const char missing[] = "variable,category,population\n"
				      "age_group,18-29,300\n"
				      "age_group,30-39,250\n";
	p = (struct problems){0};
	assert_int_equal(
		weights_parse(&a, missing, strlen(missing), NULL, &m, &p, &e),
		ERR_INVALID);
	assert_true(has_problem(&p, 0, "category", "age_group 40-49"));
	assert_int_equal(p.n, 3);

	static const char cols[] = "variable,category,pop\ngender,male,1\n";
	p = (struct problems){0};
	assert_int_equal(
		weights_parse(&a, cols, strlen(cols), NULL, &m, &p, &e),
		ERR_INVALID);
	assert_true(has_problem(&p, 1, "population", "missing column"));
	assert_true(has_problem(&p, 1, "pop", "unknown column"));

	/* one variable is enough */
	static const char one[] = "variable,category,population\n"
				  "gender,male,480.5\n"
				  "gender,female,520\n";
	p = (struct problems){0};
	assert_int_equal(weights_parse(&a, one, strlen(one), NULL, &m, &p, &e),
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
	assert_int_equal(v.nrows, 7 + 6); /* and the commune's 6 villages */
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
	for (int i = 7; i < 13; i++) /* no village margins */
		assert_true(isnan(v.rows[i].population) &&
			    v.rows[i].var == WEIGHTS_VILLAGE);

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
	double gp[] = {480, 520}, ap[] = {300, 250, 200, 150, 100};
	struct weights_margins m = {
		{true, true, false}, {2, 5, 0}, {gp, ap, NULL}, {0, NULL}};
	uint32_t g[4] = {0, 1, 0, 1}, ag[4] = {0, 1, 2, 3}; /* no 60-70 */
	uint32_t *cat[3] = {g, ag, NULL};
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

/* ---- villages ---- */

static const struct weights_village vils[] = {
	{101, "00001", "Thôn Đông"},
	{102, "", "Thôn Tây"},
	{103, "", "Xóm Mới"},
};
static const struct weights_scope scope3 = {3, vils};

static void test_village_parse(void **state)
{
	(void)state;
	struct error e = {0};
	struct weights_margins m;
	struct problems p = {0};
	/* by code, unit id and folded name; population totals agree */
	static const char ok[] = "variable,category,population\n"
				 "gender,male,480\n"
				 "gender,female,520\n"
				 "village,00001,500\n"
				 "village,102,300\n"
				 "village,xom moi,200\n";
	assert_int_equal(weights_parse(&a, ok, strlen(ok), &scope3, &m, &p, &e),
			 ERR_OK);
	assert_true(m.has[WEIGHTS_GENDER] && !m.has[WEIGHTS_AGE] &&
		    m.has[WEIGHTS_VILLAGE]);
	assert_int_equal(m.ncat[WEIGHTS_VILLAGE], 3);
	assert_true(m.pop[WEIGHTS_VILLAGE][0] == 500 &&
		    m.pop[WEIGHTS_VILLAGE][1] == 300 &&
		    m.pop[WEIGHTS_VILLAGE][2] == 200);
	assert_string_equal(weights_category(&a, &m, WEIGHTS_VILLAGE, 2),
			    "103");
	assert_string_equal(weights_category_vi(&m, WEIGHTS_VILLAGE, 2),
			    "Xóm Mới");
	assert_string_equal(weights_on_vi(&a, &m), "giới tính, thôn");

	/* unknown and outside villages, a village twice, one missing:
	 * every bad row */
	static const char bad[] = "variable,category,population\n"
				  "village,Thôn Đông,500\n"
				  "village,999,300\n"
				  "village,Thôn Bắc,200\n"
				  "village,101,1\n";
	p = (struct problems){0};
	assert_int_equal(
		weights_parse(&a, bad, strlen(bad), &scope3, &m, &p, &e),
		ERR_INVALID);
	assert_true(has_problem(&p, 3, "category",
				"'999': not a village of the round"));
	assert_true(has_problem(&p, 4, "category", "'Thôn Bắc'"));
	assert_true(has_problem(&p, 5, "category", "already on line 2"));
	assert_true(
		has_problem(&p, 0, "category", "village Thôn Tây: missing"));
	assert_true(has_problem(&p, 0, "category", "village Xóm Mới: missing"));
	assert_int_equal(p.n, 5);
	assert_false(m.has[WEIGHTS_VILLAGE]);
	/* without the scope, no village is known */
	p = (struct problems){0};
	assert_int_equal(weights_parse(&a, ok, strlen(ok), NULL, &m, &p, &e),
			 ERR_INVALID);
	assert_int_equal(p.n, 3);

	/* totals that differ from the other variables' */
	static const char tot[] = "variable,category,population\n"
				  "gender,male,480\n"
				  "gender,female,520\n"
				  "village,00001,500\n"
				  "village,102,300\n"
				  "village,103,201\n";
	p = (struct problems){0};
	assert_int_equal(
		weights_parse(&a, tot, strlen(tot), &scope3, &m, &p, &e),
		ERR_INVALID);
	assert_true(has_problem(&p, 0, "population",
				"totals differ: gender 1000, village 1001"));
	assert_non_null(strstr(p.list[0].msg_vi, "theo thôn"));
	assert_int_equal(p.n, 1);

	/* a name two villages share must be given by code or id */
	static const struct weights_village twins[] = {{1, "", "Thôn 1"},
						       {2, "", "Thôn 1"}};
	static const struct weights_scope sc2 = {2, twins};
	static const char amb[] = "variable,category,population\n"
				  "village,thon 1,5\nvillage,2,5\n";
	p = (struct problems){0};
	assert_int_equal(weights_parse(&a, amb, strlen(amb), &sc2, &m, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 2, "category", "several villages"));
}

static void test_village_rake(void **state)
{
	(void)state;
	struct error e = {0};
	struct weights_margins m;
	struct problems p = {0};
	static const char csv[] = "variable,category,population\n"
				  "gender,male,480\n"
				  "gender,female,520\n"
				  "age_group,18-29,300\n"
				  "age_group,30-39,250\n"
				  "age_group,40-49,200\n"
				  "age_group,50-59,150\n"
				  "age_group,60-70,100\n"
				  "village,101,500\n"
				  "village,102,300\n"
				  "village,103,200\n";
	assert_int_equal(
		weights_parse(&a, csv, strlen(csv), &scope3, &m, &p, &e),
		ERR_OK);
	enum { N = 60 };
	uint32_t g[N], ag[N], vg[N];
	double w[N], out[N];
	for (int i = 0; i < N; i++) {
		g[i] = (uint32_t)(i % 2);
		ag[i] = (uint32_t)(i % 5);
		vg[i] = (uint32_t)((i / 2) % 3);
		w[i] = 1 + (i % 7) * 0.25;
	}
	uint32_t *cat[3] = {g, ag, vg};
	assert_int_equal(weights_rake(&m, N, cat, w, out, &e), ERR_OK);
	for (int v = 0; v < 3; v++)
		for (int k = 0; k < m.ncat[v]; k++) {
			double t = 0;
			for (int i = 0; i < N; i++)
				t += cat[v][i] == (uint32_t)k ? out[i] : 0;
			assert_true(close_to(t, m.pop[v][k], 1e-9));
		}
	/* a village without interviews: named, in Vietnamese too */
	for (int i = 0; i < N; i++)
		vg[i] = vg[i] == 2 ? 1 : vg[i];
	assert_int_equal(weights_rake(&m, N, cat, w, out, &e), ERR_CONFLICT);
	assert_string_equal(e.msg, "margin village Xóm Mới: no interview");
	const char *vi = weights_message_vi(&a, &e);
	assert_non_null(strstr(vi, "“Xóm Mới” (Thôn)"));
	assert_non_null(strstr(vi, "không có biến thôn"));
}

/* The demo round (6 villages, 5 drawn): village margins from the frame;
 * the undrawn village has no interview, then it gets some. */
static void test_village_demo(void **state)
{
	(void)state;
	struct error e = {0};
	struct weights_scope sc;
	assert_int_equal(weights_scope_load(db, &a, round_id, &sc, &e), ERR_OK);
	assert_int_equal(sc.n, 6);
	/* the form filled from the frame: gender and age kept, villages
	 * scaled to their total (1000) in whole people */
	char *csv;
	bool scaled;
	assert_int_equal(
		weights_from_frame(db, &a, round_id, &csv, &scaled, &e),
		ERR_OK);
	assert_true(scaled);
	assert_non_null(strstr(csv, "gender,female,520\n"));
	assert_non_null(strstr(csv, "village,Thôn 6,"));
	struct weights_margins m;
	struct problems p = {0};
	assert_int_equal(weights_parse(&a, csv, strlen(csv), &sc, &m, &p, &e),
			 ERR_OK);
	double t = 0;
	for (int k = 0; k < 6; k++) {
		t += m.pop[WEIGHTS_VILLAGE][k];
		assert_true(m.pop[WEIGHTS_VILLAGE][k] ==
			    floor(m.pop[WEIGHTS_VILLAGE][k]));
	}
	assert_true(t == 1000);
	/* an unknown village: nothing changes */
	char *bad = arena_printf(&a, "%svillage,Thôn 99,5\n", csv);
	p = (struct problems){0};
	assert_int_equal(weights_import(db, &a, &who, round_id, bad,
					strlen(bad), &m, &p, &e),
			 ERR_INVALID);
	assert_int_equal(p.n, 1);
	assert_int_equal(weights_margins_load(db, &a, round_id, &m, &e),
			 ERR_OK);
	assert_false(m.has[WEIGHTS_VILLAGE]);
	p = (struct problems){0};
	assert_int_equal(weights_import(db, &a, &who, round_id, csv,
					strlen(csv), &m, &p, &e),
			 ERR_OK);
	assert_int_equal(weights_margins_load(db, &a, round_id, &m, &e),
			 ERR_OK);
	assert_true(m.has[WEIGHTS_VILLAGE] && m.ncat[WEIGHTS_VILLAGE] == 6);

	/* the undrawn village: no interview, so no raked weights; the page
	 * says why, the results refuse */
	struct weights_view v;
	assert_int_equal(weights_view(db, &a, round_id, &v, &e), ERR_OK);
	assert_int_equal(v.nrows, 13);
	assert_false(v.raked);
	assert_non_null(v.error_vi);
	int empty = -1;
	for (int i = 7; i < 13; i++)
		if (!v.rows[i].n)
			empty = v.rows[i].cat;
	assert_true(empty >= 0);
	assert_non_null(strstr(v.error_vi, sc.v[empty].name));
	struct results r;
	assert_int_equal(results_compute(db, &a, round_id, &r, &e),
			 ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "margin village"));

	/* move half of a full village's interviews there: raked on three
	 * variables, the shares hold */
	int full = -1;
	for (int i = 7; i < 13; i++)
		if (v.rows[i].n >= 16)
			full = v.rows[i].cat;
	assert_true(full >= 0);
	assert_int_equal(
		db_exec(db, &a,
			"UPDATE interviews SET unit_id = $1 WHERE id IN "
			"(SELECT id FROM interviews WHERE unit_id = $2 AND "
			"round_id = $3 ORDER BY id LIMIT 8)",
			DB_PARAMS(arena_printf(&a, "%lld", sc.v[empty].id),
				  arena_printf(&a, "%lld", sc.v[full].id),
				  arena_printf(&a, "%lld", round_id)),
			NULL, &e),
		ERR_OK);
	assert_int_equal(weights_view(db, &a, round_id, &v, &e), ERR_OK);
	if (v.error_vi)
		fail_msg("%s", v.error_vi);
	assert_true(v.raked);
	assert_null(v.error_vi);
	for (int i = 0; i < v.nrows; i++)
		assert_true(
			close_to(v.rows[i].raked, v.rows[i].population, 1e-8));
	assert_int_equal(results_compute(db, &a, round_id, &r, &e), ERR_OK);
	assert_true(r.raked);
	assert_true(isfinite(r.total[0].value));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_results_and_shares),
		cmocka_unit_test(test_empty_category),
		cmocka_unit_test(test_village_parse),
		cmocka_unit_test(test_village_rake),
		cmocka_unit_test(test_village_demo),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
