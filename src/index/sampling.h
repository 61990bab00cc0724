/* Sampling the PAPI way, pure (no database): a PRNG of our own so a seed
 * gives the same sample on every machine, probability-proportional-to-size
 * draws of units, the draw of respondents with an ordered reserve list, and
 * design weights.
 *
 * Units: the seat is always in (probability 1). The other k units are drawn
 * by systematic PPS: the units in frame order, their sizes laid end to end,
 * k points at start + j*I (I = total / k, start uniform on [0, I)); a unit is
 * drawn when a point falls in its stretch. Its inclusion probability is then
 * exactly pi_i = k * size_i / total. A unit with k * size_i / total >= 1 is
 * taken with certainty (pi = 1) and the rest redrawn with k - 1 among the
 * others, until none is that big. */
#ifndef INDEX_SAMPLING_H
#define INDEX_SAMPLING_H
#include <stdbool.h>
#include <stdint.h>

/* xoshiro256**, seeded through splitmix64 (Blackman and Vigna). */
struct rng {
	uint64_t s[4];
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
double rng_uniform(struct rng *r); /* [0, 1), 53 bits */
/* Uniform on 0..n-1 without modulo bias (n >= 1). */
uint64_t rng_below(struct rng *r, uint64_t n);

enum { SAMPLING_MAX_UNITS = 100000, SAMPLING_MAX_PEOPLE = 2000000 };

struct pps_unit {
	double size; /* > 0 */
	bool seat;   /* always drawn */
	/* out: */
	double prob;    /* inclusion probability, 0 < prob <= 1 */
	bool certainty; /* seat, or prob capped at 1 */
	bool selected;
};

/* The inclusion probabilities for drawing the seat(s) plus k others: sets
 * prob and certainty of every unit. Returns how many non-certainty units
 * the systematic draw then takes (k minus the units too big to leave out);
 * -1 when k exceeds the non-seat units (every unit is then certain). */
int pps_probabilities(struct pps_unit *u, int n, int k);
/* The systematic draw on a start u0 in [0, 1) (the fraction of the
 * interval): marks selected; certainty units are always selected. Call
 * pps_probabilities first; m = its result. */
void pps_systematic(struct pps_unit *u, int n, int m, double u0);
/* Both, with the start from r. Returns how many are selected. */
int pps_draw(struct pps_unit *u, int n, int k, struct rng *r);

/* Respondents: the eligible (aged lo..hi in the round's year) are shuffled
 * and the first `main` form the list, the next `reserve` the replacements
 * in order. idx: n eligible positions, shuffled in place (partial
 * Fisher-Yates); the caller reads the first min(n, main + reserve).
 * Returns how many are taken. */
int respondents_draw(int *idx, int n, int main_n, int reserve, struct rng *r);
/* P(person | unit) when `main` of `eligible` are drawn. */
double person_prob(int main_n, int eligible);
/* 1 / (P(unit) x P(person | unit)) */
double design_weight(double unit_prob, double person_prob);
bool age_eligible(int birth_year, int year, int age_min, int age_max);

/* Contacts: outcomes of a sampled person. */
enum outcome {
	OUTCOME_PENDING,
	OUTCOME_INTERVIEWED,
	OUTCOME_REFUSED,
	OUTCOME_NOT_HOME, /* not at home after 3 visits */
	OUTCOME_MOVED,
	OUTCOME_INELIGIBLE,
	OUTCOME_COUNT
};
const char *outcome_key(enum outcome o);      /* "refused" */
const char *outcome_label_vi(enum outcome o); /* "Từ chối" */
bool outcome_from_key(const char *s, enum outcome *out);

/* How many replacements must be on the list: the released people who are
 * interviewed or still pending must reach the quota. Given the outcomes of
 * the released people and how many reserves are left, returns how many more
 * to release (in order). */
int replacements_needed(int quota, int interviewed, int pending,
			int reserves_left);

#endif
