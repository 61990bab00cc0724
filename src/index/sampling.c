/* PRNG, PPS draws, respondents, design weights, contact outcomes. No
 * database and no libc randomness: a seed gives the same sample anywhere. */
#include "sampling.h"
#include <stddef.h>
#include <string.h>
#include "../base/banned.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	/* reject the top partial block so every value is equally likely */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

int pps_probabilities(struct pps_unit *u, int n, int k)
{
	int others = 0;
	for (int i = 0; i < n; i++) {
		u[i].certainty = u[i].seat;
		u[i].prob = u[i].seat ? 1.0 : 0.0;
		u[i].selected = false;
		others += !u[i].seat;
	}
	if (k >= others) {
		for (int i = 0; i < n; i++)
			u[i].certainty = true, u[i].prob = 1.0;
		return 0;
	}
	int m = k;
	/* A unit whose share would reach 1 is taken for sure; the others
	 * share what is left. At most n rounds. */
	for (;;) {
		double total = 0;
		for (int i = 0; i < n; i++)
			if (!u[i].certainty)
				total += u[i].size;
		bool capped = false;
		for (int i = 0; i < n && m > 0; i++)
			if (!u[i].certainty && m * u[i].size / total >= 1.0) {
				u[i].certainty = true;
				u[i].prob = 1.0;
				m--;
				capped = true;
			}
		if (!capped || m == 0) {
			for (int i = 0; i < n; i++)
				if (!u[i].certainty)
					u[i].prob = m * u[i].size / total;
			return m;
		}
	}
}

void pps_systematic(struct pps_unit *u, int n, int m, double u0)
{
	double total = 0;
	for (int i = 0; i < n; i++) {
		u[i].selected = u[i].certainty;
		if (!u[i].certainty)
			total += u[i].size;
	}
	if (m <= 0 || total <= 0)
		return;
	double step = total / m, cum = 0;
	int j = 0; /* next point: (u0 + j) * step */
	for (int i = 0; i < n && j < m; i++) {
		if (u[i].certainty)
			continue;
		double end = cum + u[i].size;
		if ((u0 + j) * step < end) {
			u[i].selected = true;
			j++;
		}
		cum = end;
	}
}

int pps_draw(struct pps_unit *u, int n, int k, struct rng *r)
{
	int m = pps_probabilities(u, n, k);
	pps_systematic(u, n, m, rng_uniform(r));
	int got = 0;
	for (int i = 0; i < n; i++)
		got += u[i].selected;
	return got;
}

int respondents_draw(int *idx, int n, int main_n, int reserve, struct rng *r)
{
	int take = main_n + reserve < n ? main_n + reserve : n;
	for (int i = 0; i < take; i++) {
		int j = i + (int)rng_below(r, (uint64_t)(n - i));
		int t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	return take;
}

double person_prob(int main_n, int eligible)
{
	if (eligible <= 0)
		return 0;
	return main_n >= eligible ? 1.0 : (double)main_n / eligible;
}

double design_weight(double unit_prob, double pprob)
{
	return unit_prob > 0 && pprob > 0 ? 1.0 / (unit_prob * pprob) : 0;
}

bool age_eligible(int birth_year, int year, int age_min, int age_max)
{
	/* age reached during the survey year, as the frame only has years */
	int age = year - birth_year;
	return age >= age_min && age <= age_max;
}

static const char *const outcome_keys[OUTCOME_COUNT] = {
	"pending", "interviewed", "refused", "not_home", "moved", "ineligible",
};
static const char *const outcome_labels[OUTCOME_COUNT] = {
	"Chưa liên hệ xong",      "Đã phỏng vấn", "Từ chối",
	"Vắng nhà sau 3 lần đến", "Đã chuyển đi", "Không đủ điều kiện",
};

const char *outcome_key(enum outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcome_keys[o] : "";
}

const char *outcome_label_vi(enum outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcome_labels[o] : "";
}

bool outcome_from_key(const char *s, enum outcome *out)
{
	for (int i = 0; s && i < OUTCOME_COUNT; i++)
		if (!strcmp(s, outcome_keys[i])) {
			*out = (enum outcome)i;
			return true;
		}
	return false;
}

int replacements_needed(int quota, int interviewed, int pending,
			int reserves_left)
{
	int short_by = quota - interviewed - pending;
	if (short_by <= 0)
		return 0;
	return short_by < reserves_left ? short_by : reserves_left;
}
