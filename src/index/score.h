/* PAPI scores of every unit (group) of a round: indicator -> sub-dimension
 * -> dimension -> total, each with a design-based 95% CI.
 *
 * Method (../shared/domain/papi.md):
 * - indicator: x_k = the design-based mean of its answers in the unit
 *   (estimate.h); rescaled z_k = (x_k - L_k) / (U_k - L_k), or 1 - that
 *   when the indicator is reversed (more is worse). L, U: the catalogue's
 *   theoretical bounds (SCORE_BOUNDS_THEORETICAL), or the lowest and
 *   highest x_k among the units of the round that have it
 *   (SCORE_BOUNDS_OBSERVED; those bounds are then taken as fixed for the
 *   CI).
 * - sub-dimension s of dimension d: (1/n_d) (1 + 9 sum_k a_k z_k), n_d the
 *   number of sub-dimensions of d, a_k the indicator weights within s
 *   normalised to sum 1 (equal by default): on [1/n_d, 10/n_d].
 * - dimension: the sum of its sub-dimensions (1-10); total: the sum of
 *   the dimensions (8-80 with eight).
 * - CI: each score is a constant plus a linear combination sum_k c_k x_k
 *   of the unit's indicator means, so its linearised (influence) variable
 *   is sum_k c_k z_ik, the same weighted sum of the indicators' own
 *   linearised variables (each with its own missing answers), and its
 *   variance is the PSU formula of estimate.h over that variable
 *   (estimate_linear). CI = score +- 1.959964 se. Equal to R's svyrecvar
 *   of the summed influence functions (tests/oracle/score.R) and, when no
 *   answer is missing, to svycontrast() of svymean().
 * - A unit with fewer than min_n answers to an indicator has no value for
 *   it, nor for the sub-dimension, dimension and total that use it; each
 *   says why (enum score_reason).
 * Plain structs in and out; no I/O. */
#ifndef SCORE_H
#define SCORE_H
#include <stdbool.h>
#include <stdint.h>
#include "estimate.h"

struct score_indicator {
	const char *key; /* for messages */
	int sub;         /* its sub-dimension, < nsub */
	double lo, hi;   /* theoretical bounds, lo < hi */
	bool reversed;   /* more is worse */
	double weight;   /* within its sub-dimension; 0 means 1 */
};

struct score_structure {
	int nind;
	const struct score_indicator *ind; /* indicator k is column k */
	int nsub;
	const int *sub_dim; /* nsub: the dimension of each, < ndim */
	int ndim;
};

enum score_bounds { SCORE_BOUNDS_THEORETICAL, SCORE_BOUNDS_OBSERVED };

struct score_opts {
	enum score_bounds bounds;
	uint64_t min_n; /* answers an indicator needs in a unit; 0: 1 */
};

enum score_reason {
	SCORE_OK = 0,
	SCORE_NO_ANSWERS,   /* nobody in the unit answered */
	SCORE_FEW_ANSWERS,  /* fewer than min_n answers */
	SCORE_PART_MISSING, /* an indicator or part it needs has no score */
	SCORE_NO_RANGE,     /* observed bounds: every unit has the same x */
};
/* "no_answers", ...: a code for CSV and JSON. */
const char *score_reason_code(enum score_reason r);
/* Vietnamese, for pages: "Chưa đủ số người trả lời". */
const char *score_reason_vi(enum score_reason r);

struct score_value {
	double value, se, ci_low, ci_high; /* NaN when reason != SCORE_OK */
	enum score_reason reason;
	uint64_t n; /* indicators: answers; composites: 0 */
};

struct score_result {
	uint32_t ngroups;
	int nind, nsub, ndim;
	struct score_value *indicator; /* ngroups x nind: the mean x_k */
	double *z;                     /* ngroups x nind: rescaled, NaN */
	double *lo, *hi;               /* nind: the bounds used */
	struct score_value *sub;       /* ngroups x nsub */
	struct score_value *dim;       /* ngroups x ndim */
	struct score_value *total;     /* ngroups */
};

/* cols[k] holds indicator k's answers (nrows doubles, NaN missing) for
 * the rows of est's design; the groups are est's groups (units). */
enum err score_compute(const struct estimator *est, const double *const *cols,
		       const struct score_structure *s,
		       const struct score_opts *o, struct score_result *out,
		       struct error *e);
void score_result_release(struct score_result *r);

#endif
