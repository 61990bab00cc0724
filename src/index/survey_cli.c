/* `quantri survey estimate`: design-based means of survey answers in a CSV
 * file, the numbers R's survey package gives (see estimate.h). */
#include "survey_cli.h"
#include <fnmatch.h>
#include <malloc.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "estimate.h"
#include "survey_data.h"
#include "../cli.h"
#include "../base/csv.h"
#include "../base/text.h"
#include "../base/banned.h"

static const char usage_text[] =
	"usage: quantri survey estimate DATA.csv --weight COL [--strata COL]\n"
	"           [--cluster COL] [--by COL] --vars LIST\n"
	"           [--lonely-psu fail|certainty|remove|adjust] [--threads N]\n"
	"\n"
	"Design-based means of the answers in DATA.csv (comma-separated, "
	"UTF-8,\n"
	"a header row), equal to R's survey package:\n"
	"  svyby(~x, ~by, svydesign(ids=~cluster, strata=~strata, weights=~w,\n"
	"        nest=TRUE), svymean, na.rm=TRUE)\n"
	"\n"
	"  --weight COL   sampling weights, each > 0\n"
	"  --strata COL   strata (none: one stratum)\n"
	"  --cluster COL  first-stage clusters (PSUs), nested in strata "
	"(none:\n"
	"                 each row is its own PSU)\n"
	"  --by COL       groups (domains); none: one group named ALL\n"
	"  --vars LIST    comma-separated columns or shell patterns (q*, q1?)\n"
	"  --lonely-psu   a stratum with one cluster: fail (default), "
	"certainty,\n"
	"                 remove, adjust, as R's options(survey.lonely.psu)\n"
	"  --threads N    threads for reading and estimating (default: the\n"
	"                 cores; one for a small file)\n"
	"\n"
	"Prints CSV: by,variable,n,estimate,se,ci_low,ci_high, one row per\n"
	"group and variable; n counts the non-empty answers; an empty cell "
	"(or\n"
	"NA) is a missing answer, left out for that variable only; a group "
	"with\n"
	"no answer to a variable has no row for it. CI = estimate +- 1.959964 "
	"se.\n"
	"Groups are in the order a person expects: by number when every group\n"
	"label is a number, else in Vietnamese alphabetical order; variables "
	"in\n"
	"the order of LIST (a pattern's columns in file order).\n"
	"Exit status: 0 ok, 1 bad input (the message names line and column),\n"
	"2 usage.\n";

struct opts {
	const char *file, *weight, *strata, *cluster, *by, *vars;
	enum lonely_psu lonely;
	int threads;
	bool timing;
	int repeat;
	/* resolved by select() */
	int *var_cols;
	int nvars;
	FILE *err;
};

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool is_design(const struct opts *o, const char *name)
{
	const char *d[] = {o->weight, o->strata, o->cluster, o->by};
	for (int i = 0; i < 4; i++)
		if (d[i] && !strcmp(d[i], name))
			return true;
	return false;
}

static int find(int n, const char *const *names, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static enum err add_var(struct opts *o, int col)
{
	for (int i = 0; i < o->nvars; i++)
		if (o->var_cols[i] == col)
			return ERR_OK;
	o->var_cols[o->nvars++] = col;
	return ERR_OK;
}

static enum err select_cols(void *ctx, int n, const char *const *names,
			    enum survey_kind *kinds, struct error *e)
{
	struct opts *o = ctx;
	struct {
		const char *name, *flag;
		enum survey_kind kind;
	} design[] = {
		{o->weight, "--weight", SURVEY_WEIGHT},
		{o->strata, "--strata", SURVEY_LABEL},
		{o->cluster, "--cluster", SURVEY_LABEL},
		{o->by, "--by", SURVEY_LABEL},
	};
	for (int i = 0; i < 4; i++) {
		if (!design[i].name)
			continue;
		int c = find(n, names, design[i].name);
		if (c < 0)
			return error_set(e, ERR_INVALID,
					 "line 1: no column %s (%s)",
					 design[i].name, design[i].flag);
		if (kinds[c] != SURVEY_SKIP && kinds[c] != design[i].kind)
			return error_set(e, ERR_INVALID,
					 "column %s is both the weight and a "
					 "design column",
					 design[i].name);
		kinds[c] = design[i].kind;
	}
	o->var_cols = calloc((size_t)n, sizeof *o->var_cols);
	if (!o->var_cols)
		return error_set(e, ERR_NOMEM, "out of memory");
	o->nvars = 0;
	char *list = strdup(o->vars);
	if (!list)
		return error_set(e, ERR_NOMEM, "out of memory");
	enum err err = ERR_OK;
	char *save = NULL;
	for (char *tok = strtok_r(list, ",", &save); tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		size_t len = strlen(tok);
		while (len && tok[len - 1] == ' ')
			tok[--len] = 0;
		if (!*tok)
			continue;
		if (has_glob(tok)) {
			int matched = 0;
			for (int c = 0; c < n; c++)
				if (!fnmatch(tok, names[c], 0) &&
				    !is_design(o, names[c])) {
					add_var(o, c);
					matched++;
				}
			if (!matched)
				err = error_set(e, ERR_INVALID,
						"--vars %s: no column matches",
						tok);
			continue;
		}
		int c = find(n, names, tok);
		if (c < 0)
			err = error_set(e, ERR_INVALID,
					"line 1: no column %s (--vars)", tok);
		else if (is_design(o, tok))
			err = error_set(e, ERR_INVALID,
					"--vars %s: it is a design column",
					tok);
		else
			add_var(o, c);
	}
	free(list);
	if (err)
		return err;
	if (!o->nvars)
		return error_set(e, ERR_INVALID, "--vars: no variable");
	for (int i = 0; i < o->nvars; i++)
		kinds[o->var_cols[i]] = SURVEY_NUMBER;
	return ERR_OK;
}

/* Group order: numbers by value when every label is one, else ICU "vi". */
struct label_sort {
	const char *label;
	double num;
	uint32_t code;
};

static int cmp_num(const void *a, const void *b)
{
	const struct label_sort *x = a, *y = b;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return strcmp(x->label, y->label);
}

static int cmp_text(const void *a, const void *b)
{
	const struct label_sort *x = a, *y = b;
	int c = text_collate(x->label, y->label);
	return c ? c : strcmp(x->label, y->label);
}

static uint32_t *group_order(const struct survey_column *c)
{
	struct label_sort *s = calloc(c->nlabels ? c->nlabels : 1, sizeof *s);
	uint32_t *order = malloc((c->nlabels ? c->nlabels : 1) * sizeof *order);
	if (!s || !order) {
		free(s);
		free(order);
		return NULL;
	}
	bool numeric = true;
	for (uint32_t i = 0; i < c->nlabels; i++) {
		char *end;
		s[i].label = c->labels[i];
		s[i].code = i;
		s[i].num = strtod(c->labels[i], &end);
		if (*end || end == c->labels[i] || isnan(s[i].num))
			numeric = false;
	}
	qsort(s, c->nlabels, sizeof *s, numeric ? cmp_num : cmp_text);
	for (uint32_t i = 0; i < c->nlabels; i++)
		order[i] = s[i].code;
	free(s);
	return order;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int estimate(struct opts *o, FILE *out)
{
	/* Memory the CSV reader frees (its 8 MB read buffer, its staging
	 * block) stays in the heap for the estimation to reuse: a fresh
	 * page costs a fault, and in a virtual machine a first touch costs
	 * more than the estimation's own arithmetic at the PAPI size. A
	 * command that runs once and exits can keep it. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	struct error e = {0};
	struct survey_data d;
	struct survey_load_opts lo = {
		.select = select_cols, .ctx = o, .threads = o->threads};
	double t0 = now();
	if (survey_data_load_file(&d, o->file, &lo, &e)) {
		fprintf(o->err, "quantri survey estimate: %s: %s\n", o->file,
			e.msg);
		free(o->var_cols);
		return 1;
	}
	double t1 = now();
	int rc = 1;
	struct est_timing tm = {0};
	const struct survey_column *w = &d.cols[survey_data_col(&d, o->weight)];
	const struct survey_column *st =
		o->strata ? &d.cols[survey_data_col(&d, o->strata)] : NULL;
	const struct survey_column *cl =
		o->cluster ? &d.cols[survey_data_col(&d, o->cluster)] : NULL;
	const struct survey_column *by =
		o->by ? &d.cols[survey_data_col(&d, o->by)] : NULL;
	struct est_design des = {
		.nrows = d.nrows,
		.weight = w->num,
		.stratum = st ? st->code : NULL,
		.nstrata = st ? st->nlabels : 0,
		.stratum_labels = st ? (const char *const *)st->labels : NULL,
		.cluster = cl ? cl->code : NULL,
		.nclusters = cl ? cl->nlabels : 0,
		.group = by ? by->code : NULL,
		.ngroups = by ? by->nlabels : 0,
		.lonely = o->lonely,
		.threads = o->threads,
		.timing = o->timing ? &tm : NULL,
	};
	const double **cols = calloc((size_t)o->nvars, sizeof *cols);
	struct estimator est = {0};
	struct est_mean *res = NULL;
	uint32_t *order = NULL;
	if (!cols)
		goto nomem;
	for (int i = 0; i < o->nvars; i++)
		cols[i] = d.cols[o->var_cols[i]].num;
	if (d.nrows == 0) {
		fprintf(o->err, "quantri survey estimate: %s: no data rows\n",
			o->file);
		goto out;
	}
	if (estimator_init(&est, &des, &e))
		goto fail;
	res = malloc((size_t)est.ngroups * o->nvars * sizeof *res);
	if (!res)
		goto nomem;
	if (estimate_means(&est, cols, o->nvars, res, &e))
		goto fail;
	double t2 = now(), best = t2 - t1;
	struct est_timing first = tm; /* the phases of the command's run */
	/* --repeat (bench/): the same estimation again on the loaded
	 * columns, for the best time, as bench/floor.c takes its best pass */
	for (int r = 1; r < o->repeat; r++) {
		double a = now();
		estimator_release(&est);
		if (estimator_init(&est, &des, &e) ||
		    estimate_means(&est, cols, o->nvars, res, &e))
			goto fail;
		if (now() - a < best)
			best = now() - a;
	}
	double t3 = now();
	if (by) {
		order = group_order(by);
		if (!order)
			goto nomem;
	}
	fputs("by,variable,n,estimate,se,ci_low,ci_high\n", out);
	for (uint32_t k = 0; k < est.ngroups; k++) {
		uint32_t g = order ? order[k] : 0;
		const char *label = by ? by->labels[g] : "ALL";
		for (int v = 0; v < o->nvars; v++) {
			const struct est_mean *m =
				&res[(size_t)g * o->nvars + v];
			if (!m->n)
				continue;
			csv_write_field(out, label);
			fputc(',', out);
			csv_write_field(out, d.cols[o->var_cols[v]].name);
			fprintf(out, ",%llu,%.17g,%.17g,%.17g,%.17g\n",
				(unsigned long long)m->n, m->estimate, m->se,
				m->estimate - EST_Z95 * m->se,
				m->estimate + EST_Z95 * m->se);
		}
	}
	if (fflush(out)) {
		fprintf(o->err, "quantri survey estimate: writing: failed\n");
		goto out;
	}
	if (o->timing) {
		double print_s = now() - t3;
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		/* estimate_s: from the loaded columns to the means and SEs
		 * of every group and variable (estimator_init, the pass,
		 * the variances), nothing read or printed */
		fprintf(o->err,
			"timing rows=%zu vars=%d groups=%u cells=%u runs=%zu "
			"load_s=%.6f estimate_s=%.6f estimate_best_s=%.6f "
			"repeat=%d print_s=%.6f peak_rss_kb=%ld\n"
			"timing estimate: design_s=%.6f order_s=%.6f "
			"means_s=%.6f (sums_s=%.6f variance_s=%.6f summed "
			"over threads=%d, kernel=%s)\n",
			d.nrows, o->nvars, est.ngroups, est.ncells, est.nruns,
			t1 - t0, t2 - t1, best, o->repeat > 1 ? o->repeat : 1,
			print_s, ru.ru_maxrss, first.design_s, first.order_s,
			first.means_s, first.sums_s, first.variance_s,
			first.threads, first.kernel ? first.kernel : "-");
	}
	rc = 0;
	goto out;
nomem:
	error_set(&e, ERR_NOMEM, "out of memory");
fail:
	fprintf(o->err, "quantri survey estimate: %s: %s\n", o->file, e.msg);
out:
	free(order);
	free(res);
	free(cols);
	estimator_release(&est);
	survey_data_release(&d);
	free(o->var_cols);
	return rc;
}

static int usage(FILE *f, const char *msg, const char *arg)
{
	if (msg)
		fprintf(f, "quantri survey: %s%s\n", msg, arg ? arg : "");
	fputs(usage_text, f);
	return 2;
}

int survey_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
	if (argc < 2)
		return usage(err, "missing subcommand", NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, out);
		return 0;
	}
	if (strcmp(argv[1], "estimate"))
		return usage(err, "unknown subcommand ", argv[1]);
	/* QUANTRI_TIMING=1 is the same as --timing */
	const char *qt = getenv("QUANTRI_TIMING");
	struct opts o = {.err = err, .timing = qt && !strcmp(qt, "1")};
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, out);
			return 0;
		} else if (!strcmp(a, "--timing")) {
			/* for bench/: in-process times on stderr */
			o.timing = true;
			continue;
		} else if (!strcmp(a, "--weight")) {
			slot = &o.weight;
		} else if (!strcmp(a, "--strata")) {
			slot = &o.strata;
		} else if (!strcmp(a, "--cluster")) {
			slot = &o.cluster;
		} else if (!strcmp(a, "--by")) {
			slot = &o.by;
		} else if (!strcmp(a, "--vars")) {
			slot = &o.vars;
		} else if (!strcmp(a, "--repeat") && i + 1 < argc) {
			/* for bench/: estimate N times, print the best */
			char *end;
			long r = strtol(argv[++i], &end, 10);
			if (*end || r < 1 || r > 1000)
				return usage(err,
					     "--repeat: expected 1 to "
					     "1000, not ",
					     argv[i]);
			o.repeat = (int)r;
			continue;
		} else if (!strcmp(a, "--lonely-psu") ||
			   !strcmp(a, "--threads")) {
			if (i + 1 >= argc)
				return usage(err, "missing value of ", a);
			const char *v = argv[++i];
			if (a[2] == 'l') {
				if (lonely_psu_parse(v, &o.lonely))
					return usage(err,
						     "--lonely-psu: expected "
						     "fail, certainty, remove "
						     "or adjust, not ",
						     v);
			} else {
				char *end;
				long t = strtol(v, &end, 10);
				if (*end || t < 1 || t > 64)
					return usage(err,
						     "--threads: expected 1 "
						     "to 64, not ",
						     v);
				o.threads = (int)t;
			}
			continue;
		} else if (a[0] == '-' && a[1]) {
			return usage(err, "unknown option ", a);
		} else if (!o.file) {
			o.file = a;
			continue;
		} else {
			return usage(err, "unexpected argument ", a);
		}
		if (i + 1 >= argc)
			return usage(err, "missing value of ", a);
		*slot = argv[++i];
	}
	if (!o.file)
		return usage(err, "missing DATA.csv", NULL);
	if (!o.weight)
		return usage(err, "missing --weight", NULL);
	if (!o.vars)
		return usage(err, "missing --vars", NULL);
	return estimate(&o, out);
}

int index_cli_survey(struct config *cfg, int argc, char **argv)
{
	return survey_cli_run(argc, argv, stdout, stderr);
}
