/* `quantri survey estimate` against R's survey package on generated data
 * (strata, nested clusters, unequal weights, missing answers, domains that
 * miss clusters and whole strata, lonely PSUs under each rule), and the
 * refusals of bad input. R runs live: without Rscript the R tests fail
 * unless QUANTRI_NO_R=1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/csv.h"
#include "index/estimate.h"
#include "index/survey_cli.h"
#include "index/survey_data.h"
#include "../../oracle/gen_survey.c"
#include "base/banned.h"

/* tests/oracle/, found from this file's path (CMake compiles it by its
 * absolute name). */
static const char *oracle_dir(void)
{
	static char d[1024];
	const char *f = __FILE__, *cut = strstr(f, "/unit/index/");
	if (!cut)
		fail_msg("cannot find tests/oracle from %s", f);
	snprintf(d, sizeof d, "%.*s/oracle", (int)(cut - f), f);
	return d;
}

static char dir[256];
static char err_text[4096];

static void path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
	char p[512];
	path(p, sizeof p, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *read_all(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return s;
}

/* Runs `survey ARGS...` (NULL-terminated) with stdout to OUT (NULL: a
 * scratch file); stderr lands in err_text. */
static int run(const char *out, ...)
{
	char *argv[40];
	int argc = 0;
	argv[argc++] = "survey";
	va_list ap;
	va_start(ap, out);
	char *a;
	while ((a = va_arg(ap, char *)) && argc < 39)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	char p[512];
	path(p, sizeof p, out ? out : "scratch.out");
	FILE *o = fopen(p, "wb");
	FILE *e = tmpfile();
	assert_non_null(o);
	assert_non_null(e);
	int rc = survey_cli_run(argc, argv, o, e);
	fclose(o);
	rewind(e);
	size_t n = fread(err_text, 1, sizeof err_text - 1, e);
	err_text[n] = 0;
	fclose(e);
	return rc;
}

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "%s/quantri-est-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	char p[512];
	path(p, sizeof p, "data.csv");
	FILE *f = fopen(p, "wb");
	if (!f)
		return -1;
	/* 12 strata, the last 2 with a single cluster; 60 clusters. */
	struct gen_opts o = {.rows = 3000,
			     .vars = 10,
			     .strata = 12,
			     .clusters = 60,
			     .units = 8,
			     .seed = 42,
			     .lonely = 2};
	int r = gen_survey(f, &o);
	fclose(f);
	path(p, sizeof p, "nolonely.csv");
	f = fopen(p, "wb");
	if (!f)
		return -1;
	struct gen_opts o2 = {.rows = 2000,
			      .vars = 6,
			      .strata = 7,
			      .clusters = 40,
			      .units = 5,
			      .seed = 7};
	r |= gen_survey(f, &o2);
	fclose(f);
	return r;
}

static int teardown(void **state)
{
	/* no shell: the test also runs with a PATH that has nothing */
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char p[600];
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	return rmdir(dir);
}

static void test_hand_example(void **state)
{
	/* One stratum, three single-row clusters, x = 1, 2, 3: the SRS
	 * variance of the mean, s^2/n = 1/3. */
	write_file("hand.csv", "w,x\n1,1\n1,2\n1,3\n");
	char p[512];
	path(p, sizeof p, "hand.csv");
	assert_int_equal(run("hand.out", "estimate", p, "--weight", "w",
			     "--vars", "x", NULL),
			 0);
	path(p, sizeof p, "hand.out");
	size_t n;
	char *s = read_all(p, &n);
	char want[256];
	double se = sqrt(1.0 / 3);
	snprintf(want, sizeof want,
		 "by,variable,n,estimate,se,ci_low,ci_high\n"
		 "ALL,x,3,2,%.17g,%.17g,%.17g\n",
		 se, 2 - 1.959964 * se, 2 + 1.959964 * se);
	assert_string_equal(s, want);
	free(s);
}

static void test_library_api(void **state)
{
	/* Two strata of two clusters; group 1 misses stratum 1 entirely and
	 * one cluster of stratum 0. Hand-computed with the formula of
	 * estimate.h. */
	double w[] = {1, 2, 1, 1, 3, 1};
	double x[] = {1, 2, 3, 4, 5, NAN};
	uint32_t st[] = {0, 0, 0, 1, 1, 1};
	uint32_t cl[] = {0, 0, 1, 0, 1, 1};
	uint32_t gr[] = {1, 0, 0, 0, 0, 0};
	struct est_design d = {.nrows = 6,
			       .weight = w,
			       .stratum = st,
			       .nstrata = 2,
			       .cluster = cl,
			       .nclusters = 2,
			       .group = gr,
			       .ngroups = 2,
			       .threads = 1};
	struct estimator est;
	struct error e = {0};
	assert_int_equal(estimator_init(&est, &d, &e), ERR_OK);
	const double *cols[] = {x};
	struct est_mean m[2];
	assert_int_equal(estimate_means(&est, cols, 1, m, &e), ERR_OK);
	/* group 0: rows 1..4 (x 2,3,4,5; w 2,1,1,3), W = 7 */
	double W = 7, mu = (4 + 3 + 4 + 15) / W;
	assert_true(fabs(m[0].estimate - mu) < 1e-15);
	double t00 = 2 * (2 - mu) / W, t01 = 1 * (3 - mu) / W;
	double t10 = 1 * (4 - mu) / W, t11 = 3 * (5 - mu) / W;
	double a = (t00 + t01) / 2, b = (t10 + t11) / 2;
	double var = 2 * ((t00 - a) * (t00 - a) + (t01 - a) * (t01 - a)) +
		     2 * ((t10 - b) * (t10 - b) + (t11 - b) * (t11 - b));
	assert_true(fabs(m[0].se - sqrt(var)) < 1e-15);
	assert_int_equal(m[0].n, 4);
	/* group 1: one row in cluster 0 of stratum 0; the other cluster of
	 * its stratum counts with a zero total: t = (0, 0) -> se 0 */
	assert_int_equal(m[1].n, 1);
	assert_true(m[1].estimate == 1);
	assert_true(m[1].se == 0);
	/* A linear combination of one variable is that variable. */
	double coef[] = {2, 1}, val[2], se[2];
	assert_int_equal(estimate_linear(&est, cols, 1, m, coef, val, se, &e),
			 ERR_OK);
	assert_true(fabs(val[0] - 2 * mu) < 1e-14);
	assert_true(fabs(se[0] - 2 * sqrt(var)) < 1e-14);
	estimator_release(&est);
}

/* --- layouts: runs, tiles, blocks, threads --------------------------- */

/* The formula of estimate.h written the plain way, row by row, for one
 * group and one variable: the reference for the fast path. PSU keys are
 * stratum * nclusters + cluster (a row each without clusters). */
struct lay {
	size_t n;
	double *w, **x;
	uint32_t *st, *cl, *gr;
	uint32_t ns, nc, ng;
	int nvars;
};

static void plain_mean(const struct lay *l, bool clusters, int v, uint32_t g,
		       enum lonely_psu lonely, struct est_mean *o)
{
	double S = 0, W = 0;
	uint64_t N = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->gr[i] == g && !isnan(l->x[v][i])) {
			S += l->w[i] * l->x[v][i];
			W += l->w[i];
			N++;
		}
	o->n = N;
	o->weight = W;
	if (!N) {
		o->estimate = o->se = NAN;
		return;
	}
	double m = S / W;
	size_t nk = clusters ? (size_t)l->ns * l->nc : l->n;
	double *t = calloc(nk, sizeof *t);
	char *exists = calloc(nk, 1), *pres = calloc(nk, 1);
	uint32_t *kst = calloc(nk, sizeof *kst);
	assert_true(t && exists && pres && kst);
	for (size_t i = 0; i < l->n; i++) {
		size_t k = clusters ? (size_t)l->st[i] * l->nc + l->cl[i] : i;
		exists[k] = 1;
		kst[k] = l->st[i];
		if (l->gr[i] == g && !isnan(l->x[v][i])) {
			t[k] += l->w[i] * (l->x[v][i] - m) / W;
			pres[k] = 1;
		}
	}
	double var = 0;
	for (uint32_t h = 0; h < l->ns; h++) {
		double sum = 0;
		int nh = 0, any = 0;
		for (size_t k = 0; k < nk; k++)
			if (exists[k] && kst[k] == h) {
				nh++;
				sum += t[k];
				any |= pres[k];
			}
		if (!any)
			continue;
		if (nh == 1) {
			if (lonely == LONELY_ADJUST)
				var += sum * sum;
			continue;
		}
		double mean = sum / nh, ss = 0;
		for (size_t k = 0; k < nk; k++)
			if (exists[k] && kst[k] == h)
				ss += (t[k] - mean) * (t[k] - mean);
		var += ss * nh / (nh - 1);
	}
	o->estimate = m;
	o->se = sqrt(var);
	free(t);
	free(exists);
	free(pres);
	free(kst);
}

static uint64_t lay_rand(uint64_t *s)
{
	return gen_next(s);
}

/* Rows in cluster order with one cluster longer than a tile (8,192
 * rows), then a stretch of rows out of order (runs of one row). */
static void lay_make(struct lay *l, size_t n, int nvars, uint64_t seed)
{
	uint64_t s = seed;
	l->n = n;
	l->nvars = nvars;
	l->ns = 6;
	l->nc = 9; /* cluster labels repeat in every stratum (nested) */
	l->ng = 4;
	l->w = malloc(n * sizeof *l->w);
	l->st = malloc(n * sizeof *l->st);
	l->cl = malloc(n * sizeof *l->cl);
	l->gr = malloc(n * sizeof *l->gr);
	l->x = malloc(nvars * sizeof *l->x);
	assert_true(l->w && l->st && l->cl && l->gr && l->x);
	for (size_t i = 0; i < n; i++) {
		/* the first 10,000 rows: one cluster */
		size_t c = i < 10000 ? 0 : 1 + (i - 10000) * 40 / (n - 10000);
		l->st[i] = (uint32_t)(c % l->ns);
		l->cl[i] = (uint32_t)(c / l->ns);
		/* groups cut across clusters; group 3 misses stratum 5 */
		l->gr[i] = (uint32_t)(lay_rand(&s) % 4);
		if (l->gr[i] == 3 && l->st[i] == 5)
			l->gr[i] = 0;
		l->w[i] = 1 + (double)(lay_rand(&s) % 1000) / 10;
	}
	/* a stretch out of order */
	for (size_t i = n - 3000; i < n; i++) {
		size_t j = n - 3000 + lay_rand(&s) % 3000;
		uint32_t a = l->st[i], b = l->cl[i];
		l->st[i] = l->st[j];
		l->cl[i] = l->cl[j];
		l->st[j] = a;
		l->cl[j] = b;
	}
	for (int v = 0; v < nvars; v++) {
		l->x[v] = malloc(n * sizeof **l->x);
		assert_non_null(l->x[v]);
		for (size_t i = 0; i < n; i++) {
			uint64_t r = lay_rand(&s);
			/* v 2: nobody in group 2 answered */
			bool miss = r % 100 < (uint64_t)(v % 3) * 8 ||
				    (v == 2 && l->gr[i] == 2);
			l->x[v][i] = miss ? NAN
					  : (double)(r >> 20 & 0xffff) / 100 -
						     l->cl[i];
		}
	}
}

static void lay_free(struct lay *l)
{
	for (int v = 0; v < l->nvars; v++)
		free(l->x[v]);
	free(l->x);
	free(l->w);
	free(l->st);
	free(l->cl);
	free(l->gr);
}

static double lay_rel(double a, double b)
{
	if (isnan(a) && isnan(b))
		return 0;
	if (a == b)
		return 0;
	return fabs(a - b) / fmax(fabs(a), fabs(b));
}

static void lay_run_kernel(const struct lay *l, bool clusters, int threads,
			   enum lonely_psu lonely, const char *kernel,
			   struct est_mean *m)
{
	struct est_timing tm = {0};
	struct est_design d = {.nrows = l->n,
			       .kernel = kernel,
			       .timing = &tm,
			       .weight = l->w,
			       .stratum = l->st,
			       .nstrata = l->ns,
			       .cluster = clusters ? l->cl : NULL,
			       .nclusters = l->nc,
			       .group = l->gr,
			       .ngroups = l->ng,
			       .lonely = lonely,
			       .threads = threads};
	struct estimator est;
	struct error e = {0};
	assert_int_equal(estimator_init(&est, &d, &e), ERR_OK);
	assert_int_equal(estimate_means(&est, (const double *const *)l->x,
					l->nvars, m, &e),
			 ERR_OK);
	/* the kernel asked for, when the machine has it */
	if (kernel && strcmp(tm.kernel, kernel))
		printf("# kernel %s: not on this machine (%s)\n", kernel,
		       tm.kernel);
	estimator_release(&est);
}

static void lay_run(const struct lay *l, bool clusters, int threads,
		    enum lonely_psu lonely, struct est_mean *m)
{
	lay_run_kernel(l, clusters, threads, lonely, NULL, m);
}

static void test_layouts(void **state)
{
	/* 11 variables: a block of 8 and a partial one (or, with more
	 * threads, blocks of 5 and 6, of 3 and 4) */
	struct lay l;
	lay_make(&l, 30000, 11, 3);
	size_t nm = (size_t)l.ng * l.nvars;
	struct est_mean *m1 = malloc(nm * sizeof *m1);
	struct est_mean *m2 = malloc(nm * sizeof *m2);
	struct est_mean *m3 = malloc(nm * sizeof *m3);
	assert_true(m1 && m2 && m3);
	for (int clusters = 1; clusters >= 0; clusters--) {
		lay_run(&l, clusters, 1, LONELY_FAIL, m1);
		lay_run(&l, clusters, 2, LONELY_FAIL, m2);
		lay_run(&l, clusters, 3, LONELY_FAIL, m3);
		/* the same bits whatever the threads */
		for (size_t i = 0; i < nm; i++) {
			assert_int_equal(m1[i].n, m2[i].n);
			assert_memory_equal(&m1[i].estimate, &m2[i].estimate,
					    sizeof(double));
			assert_memory_equal(&m1[i].se, &m3[i].se,
					    sizeof(double));
			assert_memory_equal(&m1[i].estimate, &m3[i].estimate,
					    sizeof(double));
			assert_memory_equal(&m1[i].se, &m2[i].se,
					    sizeof(double));
		}
		/* the plain formula, row by row */
		double worst = 0;
		for (uint32_t g = 0; g < l.ng; g++)
			for (int v = 0; v < l.nvars; v++) {
				struct est_mean p;
				const struct est_mean *q = &m1[g * l.nvars + v];
				plain_mean(&l, clusters, v, g, LONELY_FAIL, &p);
				assert_int_equal(q->n, p.n);
				worst = fmax(worst,
					     lay_rel(q->estimate, p.estimate));
				worst = fmax(worst, lay_rel(q->se, p.se));
				worst = fmax(worst,
					     lay_rel(q->weight, p.weight));
			}
		if (worst > 1e-11)
			fail_msg("clusters %d: %g from the plain formula",
				 clusters, worst);
	}
	/* every instruction set: the same additions in the same order, the
	 * same bits */
	const char *kernels[] = {"generic", "avx2", "avx512"};
	for (int k = 0; k < 3; k++) {
		lay_run_kernel(&l, true, 2, LONELY_FAIL, kernels[k], m2);
		lay_run_kernel(&l, true, 1, LONELY_FAIL, NULL, m1);
		for (size_t i = 0; i < nm; i++) {
			assert_int_equal(m1[i].n, m2[i].n);
			assert_memory_equal(&m1[i].estimate, &m2[i].estimate,
					    sizeof(double));
			assert_memory_equal(&m1[i].se, &m2[i].se,
					    sizeof(double));
		}
	}
	lay_run(&l, true, 1, LONELY_FAIL, m1);
	/* group 2 has no answer to variable 2: no estimate */
	assert_int_equal(m1[2 * l.nvars + 2].n, 0);
	assert_true(isnan(m1[2 * l.nvars + 2].estimate));

	/* Rows in another order: other runs, the same figures (to
	 * rounding). Reversed: the long cluster ends the file. */
	struct lay r = l;
	r.w = malloc(l.n * sizeof *r.w);
	r.st = malloc(l.n * sizeof *r.st);
	r.cl = malloc(l.n * sizeof *r.cl);
	r.gr = malloc(l.n * sizeof *r.gr);
	r.x = malloc(l.nvars * sizeof *r.x);
	assert_true(r.w && r.st && r.cl && r.gr && r.x);
	for (int v = 0; v < l.nvars; v++) {
		r.x[v] = malloc(l.n * sizeof **r.x);
		assert_non_null(r.x[v]);
	}
	for (size_t i = 0; i < l.n; i++) {
		size_t j = l.n - 1 - i;
		r.w[i] = l.w[j];
		r.st[i] = l.st[j];
		r.cl[i] = l.cl[j];
		r.gr[i] = l.gr[j];
		for (int v = 0; v < l.nvars; v++)
			r.x[v][i] = l.x[v][j];
	}
	lay_run(&l, true, 2, LONELY_FAIL, m1);
	lay_run(&r, true, 2, LONELY_FAIL, m2);
	for (size_t i = 0; i < nm; i++) {
		assert_int_equal(m1[i].n, m2[i].n);
		assert_true(lay_rel(m1[i].estimate, m2[i].estimate) < 1e-12);
		assert_true(lay_rel(m1[i].se, m2[i].se) < 1e-12);
	}
	lay_free(&r);

	/* Two lonely strata (every row of stratum 4 and 5 in one cluster):
	 * the error names the first, whatever the threads */
	for (size_t i = 0; i < l.n; i++)
		if (l.st[i] >= 4)
			l.cl[i] = 0;
	for (int t = 1; t <= 3; t++) {
		struct est_design d = {.nrows = l.n,
				       .weight = l.w,
				       .stratum = l.st,
				       .nstrata = l.ns,
				       .cluster = l.cl,
				       .nclusters = l.nc,
				       .group = l.gr,
				       .ngroups = l.ng,
				       .threads = t};
		struct estimator est;
		struct error e = {0};
		assert_int_equal(estimator_init(&est, &d, &e), ERR_OK);
		assert_int_equal(estimate_means(&est,
						(const double *const *)l.x,
						l.nvars, m1, &e),
				 ERR_INVALID);
		assert_non_null(strstr(e.msg, "stratum 5 has only one"));
		estimator_release(&est);
	}
	/* a design code out of range (a caller's bug) is refused, with
	 * clusters and without */
	l.gr[12345] = l.ng;
	for (int clusters = 0; clusters < 2; clusters++) {
		struct est_design d = {.nrows = l.n,
				       .weight = l.w,
				       .stratum = l.st,
				       .nstrata = l.ns,
				       .cluster = clusters ? l.cl : NULL,
				       .nclusters = l.nc,
				       .group = l.gr,
				       .ngroups = l.ng};
		struct estimator est;
		struct error e = {0};
		assert_int_equal(estimator_init(&est, &d, &e), ERR_INTERNAL);
		assert_string_equal(e.msg,
				    "row 12346: design code out of range");
	}
	l.gr[12345] = 0;
	/* adjust: the lonely strata add their total squared */
	lay_run(&l, true, 2, LONELY_ADJUST, m1);
	for (uint32_t g = 0; g < l.ng; g++)
		for (int v = 0; v < l.nvars; v++) {
			struct est_mean p;
			plain_mean(&l, true, v, g, LONELY_ADJUST, &p);
			assert_true(lay_rel(m1[g * l.nvars + v].se, p.se) <
				    1e-11);
		}
	free(m1);
	free(m2);
	free(m3);
	lay_free(&l);
}

/* --- comparison with R ----------------------------------------------- */

static int r_available(void)
{
	const char *no = getenv("QUANTRI_NO_R");
	if (system("command -v Rscript >/dev/null 2>&1") == 0)
		return 1;
	if (no && !strcmp(no, "1"))
		return 0;
	fail_msg("Rscript not found: install r-base-core and r-cran-survey "
		 "(scripts/install-deps does), or set QUANTRI_NO_R=1 to skip "
		 "the comparison with R");
	return 0;
}

struct res {
	struct arena a;
	struct csv_table t;
};

static void load_res(struct res *r, const char *name)
{
	char p[512];
	path(p, sizeof p, name);
	size_t n;
	char *s = read_all(p, &n);
	if (!s)
		fail_msg("%s: not written", name);
	arena_init(&r->a, 1 << 26);
	struct error e = {0};
	if (!strncmp(s, "R error:", 8))
		fail_msg("%s", s);
	if (csv_parse(&r->a, s, n, &r->t, &e))
		fail_msg("%s: %s", name, e.msg);
	free(s);
}

static double rel(double a, double b)
{
	if (a == b)
		return 0;
	return fabs(a - b) / fmax(fabs(a), fabs(b));
}

/* Every row of ours has R's twin (same by, variable, n) within 1e-9, and
 * the other way round. */
static void compare(const char *ours, const char *theirs)
{
	struct res q, r;
	load_res(&q, ours);
	load_res(&r, theirs);
	assert_int_equal(q.t.nrows, r.t.nrows);
	assert_true(q.t.nrows > 0);
	double worst = 0;
	for (int i = 0; i < q.t.nrows; i++) {
		const char *by = csv_get(&q.t, i, 0), *v = csv_get(&q.t, i, 1);
		int j = 0;
		for (; j < r.t.nrows; j++)
			if (!strcmp(csv_get(&r.t, j, 0), by) &&
			    !strcmp(csv_get(&r.t, j, 1), v))
				break;
		if (j == r.t.nrows)
			fail_msg("%s: %s,%s not in R's output", ours, by, v);
		assert_string_equal(csv_get(&q.t, i, 2), csv_get(&r.t, j, 2));
		double est = strtod(csv_get(&q.t, i, 3), NULL);
		double se = strtod(csv_get(&q.t, i, 4), NULL);
		double d1 = rel(est, strtod(csv_get(&r.t, j, 3), NULL));
		double d2 = rel(se, strtod(csv_get(&r.t, j, 4), NULL));
		if (d1 > 1e-9 || d2 > 1e-9)
			fail_msg("%s: %s,%s: estimate %s vs %s, se %s vs %s",
				 ours, by, v, csv_get(&q.t, i, 3),
				 csv_get(&r.t, j, 3), csv_get(&q.t, i, 4),
				 csv_get(&r.t, j, 4));
		worst = fmax(worst, fmax(d1, d2));
		double lo = strtod(csv_get(&q.t, i, 5), NULL);
		double hi = strtod(csv_get(&q.t, i, 6), NULL);
		assert_true(rel(lo, est - 1.959964 * se) < 1e-15);
		assert_true(rel(hi, est + 1.959964 * se) < 1e-15);
	}
	printf("# %s: %d rows, largest relative difference from R %.2g\n", ours,
	       q.t.nrows, worst);
	arena_release(&q.a);
	arena_release(&r.a);
}

static const char *VARS = "q1,q2,q3,q4,q5,q6,q7,q8,q9,q10";

struct config_case {
	const char *data, *strata, *cluster, *by, *lonely;
};

static const struct config_case cases[] = {
	/* PSUs without a member of the domain (d3 is rare), strata that
	 * lose every member (d4 lives in half the strata), a variable
	 * nobody in d3 answered (q4): under each lonely-PSU rule */
	{"data.csv", "stratum", "cluster", "domain", "adjust"},
	{"data.csv", "stratum", "cluster", "domain", "certainty"},
	{"data.csv", "stratum", "cluster", "domain", "remove"},
	{"data.csv", "stratum", "cluster", "-", "adjust"},
	{"data.csv", "stratum", "cluster", "-", "remove"},
	{"data.csv", "stratum", "cluster", "unit", "adjust"},
	{"data.csv", "-", "cluster", "domain", "fail"},
	{"data.csv", "stratum", "-", "domain", "fail"},
	{"data.csv", "-", "-", "unit", "fail"},
	/* no lonely PSU: R's default rule */
	{"nolonely.csv", "stratum", "cluster", "domain", "fail"},
	{"nolonely.csv", "stratum", "cluster", "-", "fail"},
	{"nolonely.csv", "stratum", "cluster", "unit", "fail"},
};

static void test_against_r(void **state)
{
	if (!r_available()) {
		skip();
		return;
	}
	char data[512], cmd[4096];
	int n = sizeof cases / sizeof *cases;
	path(data, sizeof data, "data.csv");
	/* one R start per data file */
	const char *files[] = {"data.csv", "nolonely.csv"};
	for (int pass = 0; pass < 2; pass++) {
		char jp[512], fp[512];
		snprintf(jp, sizeof jp, "%s/jobs-%d.txt", dir, pass);
		path(fp, sizeof fp, files[pass]);
		FILE *j = fopen(jp, "w");
		assert_non_null(j);
		for (int i = 0; i < n; i++) {
			const struct config_case *c = &cases[i];
			if (strcmp(c->data, files[pass]))
				continue;
			fprintf(j, "%s/r%d.csv w %s %s %s %s %s\n", dir, i,
				c->strata, c->cluster, c->by,
				pass ? "q1,q2,q3,q4,q5,q6" : VARS, c->lonely);
		}
		/* the lonely PSU under R's default: an error naming it */
		if (!pass)
			fprintf(j, "%s/rfail.csv w stratum cluster - q1 fail\n",
				dir);
		fclose(j);
		snprintf(cmd, sizeof cmd, "Rscript '%s/estimate.R' '%s' '%s'",
			 oracle_dir(), fp, jp);
		assert_int_equal(system(cmd), 0);
	}
	for (int i = 0; i < n; i++) {
		const struct config_case *c = &cases[i];
		char fp[512], out[64], theirs[64];
		path(fp, sizeof fp, c->data);
		snprintf(out, sizeof out, "q%d.csv", i);
		snprintf(theirs, sizeof theirs, "r%d.csv", i);
		char *argv[16];
		int k = 0;
		const char *vars = strcmp(c->data, "data.csv")
					   ? "q1,q2,q3,q4,q5,q6"
					   : "q*";
		char *args[] = {"estimate",     fp,
				"--weight",     "w",
				"--vars",       (char *)vars,
				"--lonely-psu", (char *)c->lonely};
		for (int a = 0; a < 8; a++)
			argv[k++] = args[a];
		if (strcmp(c->strata, "-")) {
			argv[k++] = "--strata";
			argv[k++] = (char *)c->strata;
		}
		if (strcmp(c->cluster, "-")) {
			argv[k++] = "--cluster";
			argv[k++] = (char *)c->cluster;
		}
		if (strcmp(c->by, "-")) {
			argv[k++] = "--by";
			argv[k++] = (char *)c->by;
		}
		argv[k] = NULL;
		int rc = run(out, argv[0], argv[1], argv[2], argv[3], argv[4],
			     argv[5], argv[6], argv[7], k > 8 ? argv[8] : NULL,
			     k > 9 ? argv[9] : NULL, k > 10 ? argv[10] : NULL,
			     k > 11 ? argv[11] : NULL, k > 12 ? argv[12] : NULL,
			     k > 13 ? argv[13] : NULL, NULL);
		if (rc)
			fail_msg("case %d: %s", i, err_text);
		compare(out, theirs);
	}
	/* R's default rule: R and quantri both refuse, naming S11 */
	char p[512];
	size_t len;
	path(p, sizeof p, "rfail.csv");
	char *s = read_all(p, &len);
	assert_non_null(s);
	assert_non_null(strstr(s, "Stratum (S11) has only one PSU"));
	free(s);
	assert_int_equal(run(NULL, "estimate", data, "--weight", "w",
			     "--strata", "stratum", "--cluster", "cluster",
			     "--vars", "q1", NULL),
			 1);
	assert_non_null(strstr(err_text, "stratum S11 has only one cluster"));
}

/* --- refusals ------------------------------------------------------- */

static void expect_refusal(const char *csv, const char *want, ...)
{
	write_file("bad.csv", csv);
	char p[512];
	path(p, sizeof p, "bad.csv");
	char *argv[20] = {"estimate", p};
	int k = 2;
	va_list ap;
	va_start(ap, want);
	char *a;
	while ((a = va_arg(ap, char *)) && k < 19)
		argv[k++] = a;
	va_end(ap);
	while (k < 19)
		argv[k++] = NULL;
	int rc = run(NULL, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5],
		     argv[6], argv[7], argv[8], argv[9], argv[10], argv[11],
		     NULL);
	if (rc != 1 || !strstr(err_text, want))
		fail_msg("rc %d, stderr \"%s\", wanted \"%s\"", rc, err_text,
			 want);
}

static void test_refusals(void **state)
{
	expect_refusal("w;q1\n1;2\n", "delimited by ';', not ','", "--weight",
		       "w", "--vars", "q1", NULL);
	expect_refusal("w\tq1\n1\t2\n", "delimited by tabs", "--weight", "w",
		       "--vars", "q1", NULL);
	expect_refusal("w,q1\n1,2\n1,abc\n",
		       "line 3, column q1: \"abc\" is not a number", "--weight",
		       "w", "--vars", "q1", NULL);
	expect_refusal("w,q1\n1,2\n0,3\n",
		       "line 3, column w: weight 0 is not positive", "--weight",
		       "w", "--vars", "q1", NULL);
	expect_refusal("w,q1\n1,2\n-2.5,3\n",
		       "line 3, column w: weight -2.5 is not positive",
		       "--weight", "w", "--vars", "q1", NULL);
	expect_refusal("w,q1\n1,2\n\n,3\n",
		       "line 4, column w: weight is missing", "--weight", "w",
		       "--vars", "q1", NULL);
	expect_refusal("w,q1\n1,2\n", "no column strat (--strata)", "--weight",
		       "w", "--vars", "q1", "--strata", "strat", NULL);
	expect_refusal("w,q1\n1,2\n", "no column q2 (--vars)", "--weight", "w",
		       "--vars", "q1,q2", NULL);
	expect_refusal("w,q1\n1,2\n", "--vars x*: no column matches",
		       "--weight", "w", "--vars", "x*", NULL);
	expect_refusal("w,q1,s\n1,2,a\n1,2\n",
		       "line 3: 2 fields, the header has 3", "--weight", "w",
		       "--vars", "q1", NULL);
	expect_refusal("w,q1,s\n1,2,\n", "line 2, column s: empty", "--weight",
		       "w", "--vars", "q1", "--strata", "s", NULL);
	expect_refusal("w,q1\n1,2\"\n", "line 2: a quote inside", "--weight",
		       "w", "--vars", "q1", NULL);
	/* "Việt Nam, Hà Nội, đường" in TCVN3 (ABC) and in VNI */
	expect_refusal(
		"w,q1,name\n1,2,Vi\xd6t Nam H\xb5 N\xe9i \xae\xea\xeang\n",
		"line 2: not UTF-8; looks like TCVN3 (ABC)", "--weight", "w",
		"--vars", "q1", NULL);
	expect_refusal("w,q1,name\n1,2,Vie\xe4t Nam Ha\xf8 No\xe4i "
		       "\xf1\xf6\xf4\xf8ng\n",
		       "line 2: not UTF-8; looks like VNI", "--weight", "w",
		       "--vars", "q1", NULL);
	expect_refusal("w,q1,name\n1,2,x\xff\n", "line 2: not UTF-8",
		       "--weight", "w", "--vars", "q1", NULL);
	assert_int_equal(run(NULL, "estimate", "/nonexistent.csv", "--weight",
			     "w", "--vars", "q1", NULL),
			 1);
	assert_non_null(strstr(err_text, "/nonexistent.csv: cannot open"));
	/* usage errors: 2 */
	assert_int_equal(run(NULL, "estimate", "x.csv", "--vars", "q1", NULL),
			 2);
	assert_non_null(strstr(err_text, "missing --weight"));
	assert_int_equal(run(NULL, "estimate", "x.csv", "--weight", "w",
			     "--vars", "q1", "--lonely-psu", "average", NULL),
			 2);
	assert_int_equal(run(NULL, "--help", NULL), 0);
}

/* --- the CSV reader in two halves ---------------------------------- */

static enum err keep_every(void *ctx, int n, const char *const *names,
			   enum survey_kind *kinds, struct error *e)
{
	for (int i = 0; i < n; i++)
		kinds[i] = names[i][0] == 'q'       ? SURVEY_NUMBER
			   : !strcmp(names[i], "w") ? SURVEY_WEIGHT
						    : SURVEY_LABEL;
	return ERR_OK;
}

/* Loads NAME in one pass and in two halves (parallel_min 1): the same
 * columns, labels and codes, bit for bit; or the same refusal. */
static void same_in_halves(const char *name)
{
	char p[512];
	path(p, sizeof p, name);
	struct survey_data a, b;
	struct error ea = {0}, eb = {0};
	struct survey_load_opts one = {.select = keep_every, .threads = 1};
	struct survey_load_opts two = {
		.select = keep_every, .threads = 2, .parallel_min = 1};
	enum err ra = survey_data_load_file(&a, p, &one, &ea);
	enum err rb = survey_data_load_file(&b, p, &two, &eb);
	assert_int_equal(ra, rb);
	if (ra) {
		assert_string_equal(ea.msg, eb.msg);
		return;
	}
	assert_int_equal(a.nrows, b.nrows);
	assert_int_equal(a.ncols, b.ncols);
	for (int i = 0; i < a.ncols; i++) {
		const struct survey_column *x = &a.cols[i], *y = &b.cols[i];
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->kind, y->kind);
		if (x->num)
			assert_memory_equal(x->num, y->num,
					    a.nrows * sizeof *x->num);
		if (x->kind != SURVEY_LABEL)
			continue;
		assert_int_equal(x->nlabels, y->nlabels);
		for (uint32_t k = 0; k < x->nlabels; k++)
			assert_string_equal(x->labels[k], y->labels[k]);
		assert_memory_equal(x->code, y->code,
				    a.nrows * sizeof *x->code);
	}
	survey_data_release(&a);
	survey_data_release(&b);
}

static void test_halves(void **state)
{
	/* the generated data: labels first seen in the second half */
	same_in_halves("data.csv");
	/* blank lines in both halves, a last line without a line break */
	char *t = malloc(1 << 16);
	assert_non_null(t);
	size_t n = (size_t)snprintf(t, 1 << 16, "w,q1,s\n\n");
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(t + n, (1 << 16) - n, "%d,%d,%s\n%s",
				      1 + i % 3, i % 7, i < 300 ? "a" : "b c",
				      i % 50 == 7 ? "\n" : "");
	n += (size_t)snprintf(t + n, (1 << 16) - n, "2,,z");
	write_file("blank.csv", t);
	same_in_halves("blank.csv");
	struct survey_data d;
	struct error e = {0};
	char p[512];
	path(p, sizeof p, "blank.csv");
	struct survey_load_opts two = {
		.select = keep_every, .threads = 2, .parallel_min = 1};
	assert_int_equal(survey_data_load_file(&d, p, &two, &e), ERR_OK);
	assert_int_equal(d.nrows, 401);
	assert_true(isnan(d.cols[1].num[400]));
	assert_int_equal(d.cols[2].nlabels, 3);
	survey_data_release(&d);
	/* a quoted field across the middle line break: one pass */
	n = (size_t)snprintf(t, 1 << 16, "w,q1,s\n");
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(t + n, (1 << 16) - n, "1,%d,%s\n", i,
				      i == 200 ? "\"x\n1,2,y\n1,2\"" : "v");
	write_file("quoted.csv", t);
	same_in_halves("quoted.csv");
	/* CRLF, with blank lines: counted and split too */
	n = (size_t)snprintf(t, 1 << 16, "w,q1,s\r\n");
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(t + n, (1 << 16) - n, "1,%d,s%d\r\n%s", i,
				      i % 9, i % 60 == 3 ? "\r\n" : "");
	write_file("crlf.csv", t);
	same_in_halves("crlf.csv");
	/* a carriage return alone ends a line too: one pass */
	n = (size_t)snprintf(t, 1 << 16, "w,q1,s\n");
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(t + n, (1 << 16) - n, "1,%d,s%d%s", i,
				      i % 9, i == 300 ? "\r" : "\n");
	write_file("lonecr.csv", t);
	same_in_halves("lonecr.csv");
	/* refusals in the second half name their line, as in one pass */
	n = (size_t)snprintf(t, 1 << 16, "w,q1,s\n");
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(t + n, (1 << 16) - n, "1,%s,s\n",
				      i == 350 ? "x" : "1");
	write_file("bad2.csv", t);
	same_in_halves("bad2.csv");
	struct survey_data b;
	path(p, sizeof p, "bad2.csv");
	assert_int_equal(survey_data_load_file(&b, p, &two, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "line 352, column q1"));
	n = (size_t)snprintf(t, 1 << 16, "w,q1,s\n");
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(t + n, (1 << 16) - n, "1,1%s\n",
				      i == 390 ? "" : ",s");
	write_file("fields.csv", t);
	same_in_halves("fields.csv");
	free(t);
}

static void test_input_forms(void **state)
{
	/* BOM, CRLF, quoted fields (one across lines), blank lines, NA and
	 * blanks as missing, exponents; groups in numeric order (2 < 10) */
	write_file("forms.csv", "\xEF\xBB\xBF"
				"w,\"q 1\",g,note\r\n"
				"1,1e0,10,\"a, \"\"b\"\"\r\nc\"\r\n"
				"\r\n"
				"1.5,NA,2,x\r\n"
				"2, 3 ,2,y\r\n"
				"1,,10,z\r\n"
				"3,0.5,2,Hà Nội\r\n");
	char p[512];
	path(p, sizeof p, "forms.csv");
	assert_int_equal(run("forms.out", "estimate", p, "--weight", "w",
			     "--by", "g", "--vars", "q 1", NULL),
			 0);
	path(p, sizeof p, "forms.out");
	size_t n;
	char *s = read_all(p, &n);
	/* g=2: (w 2, x 3), (w 3, x 0.5): 7.5/5 = 1.5; g=10: one answer */
	assert_non_null(strstr(s, "\n2,q 1,2,1.5,"));
	assert_non_null(strstr(s, "\n10,q 1,1,1,0,1,1\n"));
	assert_true(strstr(s, "\n2,") < strstr(s, "\n10,"));
	free(s);
	/* text groups in Vietnamese order: Đông after Dương */
	write_file("vi.csv", "w,x,g\n1,1,Đông\n1,2,Dương\n1,3,Ân\n1,4,An\n");
	path(p, sizeof p, "vi.csv");
	assert_int_equal(run("vi.out", "estimate", p, "--weight", "w", "--by",
			     "g", "--vars", "x", NULL),
			 0);
	path(p, sizeof p, "vi.out");
	s = read_all(p, &n);
	const char *an = strstr(s, "\nAn,"), *aan = strstr(s, "\nÂn,");
	const char *du = strstr(s, "\nDương,"), *dd = strstr(s, "\nĐông,");
	assert_true(an && aan && du && dd);
	assert_true(an < aan && aan < du && du < dd);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_example),
		cmocka_unit_test(test_library_api),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_input_forms),
		cmocka_unit_test(test_halves),
		cmocka_unit_test(test_against_r),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
