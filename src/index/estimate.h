/* Design-based estimation of means, the way R's survey package does it:
 *
 *   d <- svydesign(ids=~cluster, strata=~stratum, weights=~w, nest=TRUE)
 *   svyby(~x, ~by, d, svymean, na.rm=TRUE)      (svymean(~x, d) without by)
 *
 * Estimate: the ratio estimator sum(w x) / sum(w) over the rows of the
 * domain (group) whose answer is present.
 * Standard error: Taylor linearisation, first-stage clusters (PSUs) drawn
 * with replacement within strata. The linearised variable of row i is
 * z_i = w_i (x_i - est) / W (W = the sum of weights used), 0 outside the
 * domain or when x is missing. With t_hc the total of z over PSU c of
 * stratum h and n_h the number of PSUs of stratum h in the WHOLE design,
 *
 *   var = sum_h n_h/(n_h-1) sum_c (t_hc - mean_h t)^2
 *
 * where the n_h - k PSUs without a member in the domain count with t = 0
 * (R keeps the full design's PSU count when it subsets a design). A stratum
 * with no member in the domain adds nothing. Clusters are nested in strata
 * (the same cluster label in two strata is two PSUs). Without clusters each
 * row is its own PSU; without strata there is one stratum.
 *
 * A stratum with one PSU (lonely PSU), when it has members in the domain,
 * follows options(survey.lonely.psu) of survey 4.x: fail (an error naming
 * the stratum; R's default), certainty and remove (it adds nothing: with
 * one stage both are the same), adjust (it adds t^2, its PSU total centred
 * at zero, the population mean of a linearised variable).
 *
 * Linear combinations (estimate_linear): sum_k c_k est_k of several
 * variables' means in one domain has the linearised variable sum_k c_k z_ik
 * (each z with its own W and missing answers); its variance is the same
 * PSU formula over that combined variable. A stratum takes part when a
 * member of the domain answered at least one of the variables. This equals
 * svyrecvar() of the summed influence functions of the per-variable
 * svymean(..., na.rm=TRUE, influence=TRUE) on the domain's design.
 *
 * The data are columns: one double array per variable (NaN = missing),
 * weights, and dense integer codes for strata, clusters and groups. The
 * design is reduced once to runs (consecutive rows of one cell: a file
 * written village by village has about one run per cell); then one pass
 * over each column adds up each run with vector instructions, variables
 * in blocks that share the reads of the weights, on several threads. A
 * result does not depend on the thread count or the instruction set. No
 * I/O, no globals. */
#ifndef ESTIMATE_H
#define ESTIMATE_H
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define EST_Z95 1.959964

enum lonely_psu {
	LONELY_FAIL = 0,
	LONELY_CERTAINTY,
	LONELY_REMOVE,
	LONELY_ADJUST,
};
/* "fail", "certainty", "remove", "adjust" -> 0 and *out; -1 if unknown. */
int lonely_psu_parse(const char *s, enum lonely_psu *out);
const char *lonely_psu_name(enum lonely_psu l);

/* Where the time goes, for `survey estimate --timing` and bench/. The
 * sums and variance figures add up the threads' times. */
struct est_timing {
	double design_s;    /* estimator_init: rows -> PSUs, cells, runs */
	double order_s;     /* estimator_init: cells by group and stratum */
	double sums_s;      /* the pass over the columns */
	double variance_s;  /* per group and variable: mean, PSU totals, se */
	double means_s;     /* estimate_means, wall clock */
	int threads;        /* threads estimate_means used */
	const char *kernel; /* the pass's instruction set */
};

struct est_design {
	size_t nrows;
	const double *weight;    /* nrows, each > 0 and finite */
	const uint32_t *stratum; /* codes < nstrata; NULL: one stratum */
	uint32_t nstrata;
	const uint32_t *cluster; /* codes < nclusters; NULL: row = PSU */
	uint32_t nclusters;
	const uint32_t *group; /* codes < ngroups; NULL: one group */
	uint32_t ngroups;
	enum lonely_psu lonely;
	/* For messages only ("stratum 12 has one PSU"); may be NULL. */
	const char *const *stratum_labels;
	/* 0: as many as cores, at most 8, and one per 4,194,304 numbers
	 * (rows x variables) at most */
	int threads;
	struct est_timing *timing; /* NULL, or filled in as phases run */
	/* NULL: the best instruction set of the machine; tests name one:
	 * "generic", "avx2", "avx512" (where the machine has it) */
	const char *kernel;
};

/* The design's structure, computed once and shared by every variable:
 * rows mapped to cells, a cell being the rows of one group in one PSU,
 * cells ordered by group then stratum; the rows as runs of one cell. */
struct estimator {
	struct est_design d;
	uint32_t ngroups;
	size_t nruns;
	/* run r: rows [run_first[r], run_first[r + 1]), all in cell
	 * run_cell[r]; run_first has nruns + 1 entries */
	uint32_t *run_first;
	uint32_t *run_cell;
	uint32_t ncells;
	uint32_t *cell_stratum; /* ncells */
	uint32_t *
		group_first; /* ngroups + 1: cells of g are [first[g], first[g+1]) */
	uint32_t nstrata;
	uint32_t *stratum_npsu; /* nstrata: PSUs in the whole design */
	size_t npsu;
};

enum err estimator_init(struct estimator *est, const struct est_design *d,
			struct error *e);
void estimator_release(struct estimator *est);

struct est_mean {
	double estimate; /* NaN when n == 0 */
	double se;
	double weight; /* sum of the weights used (W) */
	uint64_t n;    /* rows of the group with an answer */
};

/* The mean of each of nvars columns (nrows doubles each, NaN missing) in
 * each group: out[g * nvars + v]. A group without any answer to v has
 * n == 0 and NaN estimate and se. Fails only on a lonely PSU under
 * LONELY_FAIL, or memory. */
enum err estimate_means(const struct estimator *est, const double *const *cols,
			int nvars, struct est_mean *out, struct error *e);

/* For each group g: value[g] = sum_v coef[g*nvars+v] * means[g*nvars+v]
 * .estimate and its design-based se[g] (see above). means must come from
 * estimate_means on the same columns. A coefficient of 0 leaves the
 * variable out; a group whose used variables include one with n == 0 gets
 * NaN. */
enum err estimate_linear(const struct estimator *est, const double *const *cols,
			 int nvars, const struct est_mean *means,
			 const double *coef, double *value, double *se,
			 struct error *e);

#endif
