/* Tiers (bậc) and ranks, the way PAPI groups provinces: four groups by the
 * quartiles of one year's scores across the units compared, percentiles by
 * linear interpolation (Excel PERCENTILE.INC), rank by score descending.
 * Missing scores are NaN: they get no tier and no rank. Pure functions. */
#ifndef TIER_H
#define TIER_H

enum tier {
	TIER_NONE = 0, /* no score */
	TIER_LOW = 1,  /* below P25: "Nhóm đạt điểm thấp nhất" */
	TIER_MID_LOW = 2, /* P25 to P50: "Nhóm đạt điểm trung bình thấp" */
	TIER_MID_HIGH = 3, /* P50 to P75: "Nhóm đạt điểm trung bình cao" */
	TIER_HIGH = 4, /* P75 and above: "Nhóm đạt điểm cao nhất" */
};

/* Which group a score exactly on a cut point joins: the published years
 * are not consistent, so it is a setting; the default is the upper one. */
enum tier_tie { TIER_TIE_UPPER, TIER_TIE_LOWER };

struct tier_cuts {
	double p25, p50, p75;
	int n; /* scores that were not missing */
};

/* PERCENTILE.INC of n sorted values, p in [0,1]; NaN when n == 0. */
double percentile_inc(const double *sorted, int n, double p);
/* The cuts of values (NaN ignored). Returns the number of scores used. */
int tier_cuts(const double *values, int n, struct tier_cuts *out);
enum tier tier_of(double v, const struct tier_cuts *c, enum tier_tie tie);
const char *tier_label_vi(enum tier t); /* "Nhóm đạt điểm cao nhất" */
const char *tier_map_label_vi(enum tier t); /* "Cao" */
/* ranks[i] = 1 + number of scores strictly greater than values[i]; 0 for
 * NaN (no rank). Equal scores share a rank. */
void rank_desc(const double *values, int n, int *ranks);
/* Median of the scores that are not NaN ("national average" in the press
 * is the median province). NaN when none. */
double median_of(const double *values, int n);

#endif
