/* A survey round's results: its submitted interviews (the same CSV
 * `quantri interviews export` writes, read with survey_data.h, so the
 * numbers are those `quantri survey estimate` gives on that file) scored
 * the PAPI way (score.h) for the round's scope (the commune) and for each
 * of its villages, with tiers and ranks among the villages (tier.h).
 *
 * Design: weights as exported (the imported weight, else the drawn
 * person's design weight, else 1), raked to the round's census margins
 * when it has some (weights.h; ERR_CONFLICT when they cannot be met). The scope: strata = the villages'
 * communes, clusters = villages. Each village: itself a stratum, its
 * people the PSUs (as a cluster of the scope's design it would have no
 * variance). The round's min_answers, bounds rule, lonely-PSU rule and
 * tie rule.
 *
 * An indicator with one scored question is that question's answer; one
 * with several is, per person, the mean of the answered ones rescaled to
 * 0..1 (bounds 0 and 1). Indicators whose questions are all descriptive
 * (filters) are not scored. */
#ifndef INDEX_RESULTS_H
#define INDEX_RESULTS_H
#include <stdbool.h>
#include "interview_db.h"
#include "score.h"
#include "tier.h"

struct res_unit {
	long long id; /* units(id) */
	const char *name;
	bool scope; /* the round's scope (the commune) */
};

struct results {
	struct iv_context cx; /* round, catalogue, villages */
	int interviews;       /* submitted interviews used */
	bool raked; /* weights raked to the round's margins (weights.h) */
	uint64_t min_n;
	enum tier_tie tie;
	bool observed; /* bounds rule */
	/* scored indicators, sub-dimensions, dimensions: indexes into the
	 * catalogue's arrays */
	int nind, nsub, ndim;
	int *ind_cat, *sub_cat, *dim_cat;
	int *ind_sub, *sub_dim; /* parents, as indexes of the scored lists */
	/* units[0]: the scope; then the villages with interviews, in the
	 * round's (Vietnamese) village order */
	int nunits;
	struct res_unit *units;
	/* nunits x nind, nsub, ndim; nunits for the total */
	struct score_value *ind, *sub, *dim, *total;
	double *z; /* nunits x nind: rescaled indicator, higher is better */
	/* tiers and ranks among the villages (0 for units[0]): nunits x
	 * (ndim + 1), the total last */
	enum tier *tier;
	int *rank;
	struct tier_cuts *cuts; /* ndim + 1 */
};

/* Computes everything in the arena. ERR_NOTFOUND without such a round;
 * a round without submitted interviews gives nunits == 1 and no score. */
enum err results_compute(struct db *db, struct arena *a, long long round_id,
			 struct results *out, struct error *e);

/* Whether scored indicator i is reversed (more is worse). */
bool results_reversed(const struct results *r, int i);

/* The unit index of a units(id) in r, or -1. */
int results_unit(const struct results *r, long long unit_id);

/* Earlier rounds whose scope is in the lineage of this round's scope
 * (people.h units_lineage), oldest first, this round last: ids[], and
 * crossed[i] true when round i's scope is not this round's scope (the
 * comparison goes through a merger). */
enum err results_lineage_rounds(struct db *db, struct arena *a,
				long long round_id, long long **ids,
				bool **crossed, int *n, struct error *e);

/* ---- results_scores.c: a round's scores, kept ----
 *
 * What the pages that show a commune's score read (the dashboards, the
 * plan's targets, the reports): a round's scores per unit and measure, as
 * results_compute gives them, kept for the process under a mark of what
 * they are computed from (idb_round_marks), so a round is estimated again
 * only when its interviews, weights, settings, villages or catalogue
 * changed, whatever else did. */
enum { RES_MEASURES = 9 }; /* D1..D8, then the total */
struct res_scores {
	long long round_id;
	/* ERR_OK, or ERR_INVALID / ERR_CONFLICT: the round cannot be scored
	 * (a design the estimator refuses), why says so (English) */
	enum err err;
	const char *why;
	const char *round_name;
	int year;
	int interviews;
	int nunits; /* as results: units[0] the scope, then the villages */
	struct res_unit *units;
	bool scored[RES_MEASURES];         /* the round scores measure m */
	const char *name_vi[RES_MEASURES]; /* the catalogue's names */
	struct score_value *v;             /* nunits x RES_MEASURES */
	enum tier *tier; /* nunits x RES_MEASURES, as results.tier */
	int *rank;       /* nunits x RES_MEASURES, as results.rank */
};

/* The scores of n rounds into out[n]. A round that cannot be scored gives
 * its err and why in out[i], not an error; a round that is not there
 * gives ERR_NOTFOUND. */
enum err results_scores(struct db *db, struct arena *a, const long long *rounds,
			int n, struct res_scores *out, struct error *e);

/* Measure m's value of unit u. */
static inline const struct score_value *res_score(const struct res_scores *s,
						  int u, int m)
{
	return &s->v[u * RES_MEASURES + m];
}

/* results_http.c: the pages, registered by index_http_register(). */
void results_http_register(void);

/* index_http.c: the radar chart of the official results, shared:
 * ns series of 8 values 0..10 (NaN missing), drawn in the official
 * page's colours (this, previous, comparison). */
char *index_radar_svg(struct arena *a, const double *const *v,
		      const char *const *labels, int ns);

#endif
