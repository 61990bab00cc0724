/* A seeded generator of survey answers for the oracle tests and bench/:
 * strata, clusters nested in strata (cluster labels repeat across strata,
 * so nesting matters), unequal weights, missing answers, a unit column
 * (groups of whole clusters: communes of villages), a domain column that
 * cuts across clusters (with domains absent from some clusters and some
 * strata), gender and age group for raking, and answers of several kinds
 * (yes/no, 1-5 scales, 0-100, amounts with decimals).
 *
 * Used two ways: the unit tests #include this file and call gen_survey();
 * bench/estimate.sh builds it as a program with -DGEN_SURVEY_MAIN:
 *   gen_survey ROWS VARS STRATA CLUSTERS UNITS SEED [LONELY] > data.csv
 * Same arguments, same bytes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct gen_opts {
	long rows;
	int vars;
	int strata;
	int clusters; /* in all; each stratum gets about clusters/strata */
	int units;    /* values of the unit column: groups of clusters */
	uint64_t seed;
	int lonely; /* the last `lonely` strata get a single cluster */
};

static uint64_t gen_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double gen_unif(uint64_t *s)
{
	return (gen_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Writes the CSV to f. Returns 0, or -1 on a write error. */
static int gen_survey(FILE *f, const struct gen_opts *o)
{
	uint64_t s = o->seed * 0x2545F4914F6CDD1DULL + 1;
	int nstr = o->strata > 0 ? o->strata : 1;
	int ncl = o->clusters > nstr ? o->clusters : nstr;
	/* clusters of each stratum; lonely strata have one */
	int *first = malloc(sizeof *first * (nstr + 1));
	double *cl_w = malloc(sizeof *cl_w * ncl);
	double *cl_eff = malloc(sizeof *cl_eff * ncl);
	double *var_miss = malloc(sizeof *var_miss * (o->vars + 1));
	if (!first || !cl_w || !cl_eff || !var_miss)
		return -1;
	int lonely = o->lonely < nstr ? o->lonely : nstr - 1;
	int rest = ncl - lonely, normal = nstr - lonely;
	first[0] = 0;
	for (int h = 0; h < nstr; h++) {
		int k = h < normal ? rest / normal + (h < rest % normal) : 1;
		if (k < 1)
			k = 1;
		first[h + 1] = first[h] + k;
	}
	ncl = first[nstr];
	for (int c = 0; c < ncl; c++) {
		cl_w[c] = 20 + 180 * gen_unif(&s);
		cl_eff[c] = gen_unif(&s) - 0.5;
	}
	for (int v = 0; v < o->vars; v++)
		var_miss[v] = (v % 4 == 0) ? 0 : 0.02 + 0.2 * gen_unif(&s);
	fprintf(f, "stratum,cluster,w,unit,domain,gender,agegroup");
	for (int v = 0; v < o->vars; v++)
		fprintf(f, ",q%d", v + 1);
	fputc('\n', f);
	for (long i = 0; i < o->rows; i++) {
		/* rows in cluster order, like a real file per village */
		int c = (int)((double)i / o->rows * ncl);
		int h = 0;
		while (first[h + 1] <= c)
			h++;
		int unit = (int)((long)c * o->units / ncl) + 1;
		double u = gen_unif(&s);
		/* domain 4 only in the first half of the strata; domain 3
		 * rare: some clusters have none */
		int dom = u < 0.45 ? 1 : u < 0.85 ? 2 : u < 0.9 ? 3 : 4;
		if (dom == 4 && h >= nstr / 2)
			dom = 1;
		int gender = gen_unif(&s) < 0.48 ? 1 : 2;
		int age = 1 + (int)(gen_unif(&s) * 4);
		double w = cl_w[c] * (0.5 + gen_unif(&s));
		fprintf(f, "S%02d,%d,%.6f,%d,d%d,%d,%d", h + 1,
			c - first[h] + 1, w, unit, dom, gender, age);
		for (int v = 0; v < o->vars; v++) {
			double r = gen_unif(&s);
			double p = 0.5 + cl_eff[c] * 0.6 + (gender - 1.5) * 0.1;
			if (gen_unif(&s) < var_miss[v] ||
			    (v % 7 == 3 && dom == 3)) {
				fputc(',', f);
				continue;
			}
			switch (v % 4) {
			case 0: /* yes/no */ fprintf(f, ",%d", r < p); break;
			case 1: /* 1-5 scale */
				fprintf(f, ",%d",
					1 + (int)(5 * (0.6 * r + 0.4 * p)));
				break;
			case 2: /* 0-100 */
				fprintf(f, ",%d",
					(int)(101 * (0.5 * r + 0.5 * p)));
				break;
			default: /* an amount with decimals */
				fprintf(f, ",%.2f", 1000 * r * r * (1 + p));
			}
		}
		if (fputc('\n', f) == EOF)
			return -1;
	}
	free(first);
	free(cl_w);
	free(cl_eff);
	free(var_miss);
	return ferror(f) ? -1 : 0;
}

#ifdef GEN_SURVEY_MAIN
int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: gen_survey ROWS VARS STRATA CLUSTERS "
				"UNITS SEED [LONELY] > data.csv\n");
		return 2;
	}
	struct gen_opts o = {
		.rows = strtol(argv[1], NULL, 10),
		.vars = (int)strtol(argv[2], NULL, 10),
		.strata = (int)strtol(argv[3], NULL, 10),
		.clusters = (int)strtol(argv[4], NULL, 10),
		.units = (int)strtol(argv[5], NULL, 10),
		.seed = strtoull(argv[6], NULL, 10),
		.lonely = argc > 7 ? (int)strtol(argv[7], NULL, 10) : 0,
	};
	static char buf[1 << 20];
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	return gen_survey(stdout, &o) ? 1 : 0;
}
#endif
