/* Official results: the published scores of provinces (or of any units),
 * in the format of data/papi/official_provincial_scores_2020_2022.csv:
 *
 *   year, province_vi (or unit, name), [unit_code or code], [province_ascii],
 *   d1_..., ..., d8_... (a column named dN or starting "dN_"),
 *   total_unweighted (or total), [rank], [n_ranked], [status]
 *
 * A blank cell is a missing figure. A unit missing a dimension has no total
 * and no rank. Pure: parsing, checks and the groups; index_db.h stores. */
#ifndef INDEX_OFFICIAL_H
#define INDEX_OFFICIAL_H
#include <stdbool.h>
#include "catalogue.h"
#include "tier.h"

enum { OFFICIAL_MEASURES = 9 }; /* d1..d8, total */
extern const char
	*const official_measure_keys[OFFICIAL_MEASURES]; /* "d1".."total" */

struct official_row {
	int year;
	const char *code; /* the file's code, else its ASCII name, else the
			     folded name */
	const char *name; /* "Hưng Yên" */
	double v[OFFICIAL_MEASURES];         /* NaN: missing */
	const char *text[OFFICIAL_MEASURES]; /* as written in the file */
	int rank;                            /* published rank, 0: none */
	int n_ranked;                        /* 0: not given */
	const char *status;
	int line;
};

struct official_set {
	struct official_row *rows;
	int n;
};

/* Published totals carry 4 decimals of rounded dimensions: a total more
 * than this far from the sum of its dimensions is an error in the file. */
#define OFFICIAL_SUM_TOLERANCE 0.001

/* Parses and checks; ERR_INVALID with every bad row and column in p. */
enum err official_parse(struct arena *a, const char *data, size_t len,
			struct official_set *out, struct problems *p,
			struct error *e);

/* Ranks (descending, ties share) and groups of one measure among the rows
 * of one year: group 1 = "Cao" (tier high) ... 4 = "Thấp"; 0 when the row
 * has no score (or is of another year). ranks, groups: n entries. */
void official_groups(const struct official_row *rows, int n, int year,
		     int measure, enum tier_tie tie, int *ranks, int *groups,
		     struct tier_cuts *cuts);

/* group 1..4 -> enum tier, and back */
static inline int official_group_of_tier(enum tier t)
{
	return t == TIER_NONE ? 0 : 5 - (int)t;
}

#endif
