/* `quantri survey estimate` against R's survey package on generated data
 * (strata, nested clusters, unequal weights, missing answers, domains that
 * miss clusters and whole strata, lonely PSUs under each rule), and the
 * refusals of bad input. R runs live: without Rscript the R tests fail
 * unless QUANTRI_NO_R=1. */
#include <setjmp.h>
#include <stdarg.h>
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
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_input_forms),
		cmocka_unit_test(test_against_r),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
