/* Raking: post-stratify sampling weights to population margins (gender,
 * age group, any number of variables) by iterative proportional fitting,
 * the weights R's survey::rake() gives (calibrated to each margin in turn
 * until the margins hold):
 *
 *   repeat: for each margin m, for each category k of m:
 *             w_i <- w_i * target_mk / sum_{i in k} w_i
 *   until every margin total is within tol of its target (relative to the
 *   population total), or max_iter cycles.
 *
 * A category with a population target but nobody in the sample cannot be
 * fitted: an error naming the margin and category. All margins must add
 * up to the same population total (within 1e-9): otherwise no weights can
 * meet them all. Plain arrays in and out, no I/O. */
#ifndef RAKE_H
#define RAKE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

struct rake_margin {
	const char *name;     /* "gender", for messages */
	const uint32_t *code; /* nrows: category of each row < ncat */
	uint32_t ncat;
	const double *target;      /* ncat population totals, each > 0 */
	const char *const *labels; /* ncat names for messages; may be NULL */
};

struct rake_opts {
	int max_iter; /* cycles over the margins; 0: 100 */
	double tol;   /* relative to the population total; 0: 1e-12 */
};

struct rake_report {
	int iterations;
	double max_rel_diff; /* largest |margin total - target| / total */
	bool converged;
};

/* w_out may equal w_in. Not converging is not an error: the report says
 * so (the caller decides). */
enum err rake_weights(size_t nrows, const double *w_in, double *w_out,
		      const struct rake_margin *margins, int nmargins,
		      const struct rake_opts *opts, struct rake_report *report,
		      struct error *e);

/* Shares of one margin's categories (each array ncat, summing to 1):
 * unweighted (rows), weighted by w, and the population's. For the "sample
 * against census" table: before and after raking. */
void rake_shares(size_t nrows, const double *w, const struct rake_margin *m,
		 double *unweighted, double *weighted, double *population);

#endif
