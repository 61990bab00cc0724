#include "tier.h"
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include "base/banned.h"

double percentile_inc(const double *sorted, int n, double p)
{
	if (n <= 0)
		return NAN;
	assert(p >= 0 && p <= 1);
	double h = (n - 1) * p;
	int lo = (int)floor(h);
	if (lo >= n - 1)
		return sorted[n - 1];
	return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The non-missing values, sorted, in a new array (NULL when none). */
static double *sorted_present(const double *values, int n, int *m)
{
	double *s = malloc(sizeof *s * (n > 0 ? n : 1));
	*m = 0;
	if (!s)
		return NULL;
	for (int i = 0; i < n; i++)
		if (!isnan(values[i]))
			s[(*m)++] = values[i];
	qsort(s, *m, sizeof *s, cmp_double);
	return s;
}

int tier_cuts(const double *values, int n, struct tier_cuts *out)
{
	int m;
	double *s = sorted_present(values, n, &m);
	out->p25 = percentile_inc(s, m, 0.25);
	out->p50 = percentile_inc(s, m, 0.50);
	out->p75 = percentile_inc(s, m, 0.75);
	out->n = m;
	free(s);
	return m;
}

double median_of(const double *values, int n)
{
	int m;
	double *s = sorted_present(values, n, &m);
	double med = percentile_inc(s, m, 0.5);
	free(s);
	return med;
}

enum tier tier_of(double v, const struct tier_cuts *c, enum tier_tie tie)
{
	if (isnan(v) || c->n == 0)
		return TIER_NONE;
		/* at_or_above(v, cut): with the upper rule a score on the cut joins
	 * the group above it; with the lower rule, the group below. */
#define ABOVE(cut) (tie == TIER_TIE_UPPER ? v >= (cut) : v > (cut))
	if (ABOVE(c->p75))
		return TIER_HIGH;
	if (ABOVE(c->p50))
		return TIER_MID_HIGH;
	if (ABOVE(c->p25))
		return TIER_MID_LOW;
	return TIER_LOW;
#undef ABOVE
}

const char *tier_label_vi(enum tier t)
{
	switch (t) {
	case TIER_HIGH: return "Nhóm đạt điểm cao nhất";
	case TIER_MID_HIGH: return "Nhóm đạt điểm trung bình cao";
	case TIER_MID_LOW: return "Nhóm đạt điểm trung bình thấp";
	case TIER_LOW: return "Nhóm đạt điểm thấp nhất";
	case TIER_NONE: break;
	}
	return "Không xếp nhóm";
}

const char *tier_map_label_vi(enum tier t)
{
	switch (t) {
	case TIER_HIGH: return "Cao";
	case TIER_MID_HIGH: return "Trung bình cao";
	case TIER_MID_LOW: return "Trung bình thấp";
	case TIER_LOW: return "Thấp";
	case TIER_NONE: break;
	}
	return "Không có";
}

void rank_desc(const double *values, int n, int *ranks)
{
	/* n is at most a few thousand units: the quadratic count is clearer
	 * than a sort with index bookkeeping, and fast enough. */
	for (int i = 0; i < n; i++) {
		if (isnan(values[i])) {
			ranks[i] = 0;
			continue;
		}
		int above = 0;
		for (int j = 0; j < n; j++)
			if (!isnan(values[j]) && values[j] > values[i])
				above++;
		ranks[i] = above + 1;
	}
}
