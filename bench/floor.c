/* The floor of bench/estimate.sh: one pass over ROWS x VARS doubles held
 * as columns in memory (the layout quantri estimates from), adding each
 * column up, on one thread. Nothing estimates faster than reading the
 * numbers once. The pass is bound by memory: written with vectors it is
 * no faster (tried with -O3 -march=native and 8-lane vectors).
 *   floor ROWS VARS  ->  "floor rows=... vars=... pass_s=... first_s=..."
 * pass_s: the best of 3 passes; first_s: the first (cold caches and
 * TLB, as a command's one estimation meets them). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	size_t rows = strtoul(argv[1], NULL, 10);
	int vars = (int)strtol(argv[2], NULL, 10);
	double **cols = malloc(sizeof *cols * vars);
	for (int v = 0; v < vars; v++) {
		cols[v] = malloc(sizeof **cols * rows);
		for (size_t i = 0; i < rows; i++)
			cols[v][i] = (double)((i * 2654435761u + v) % 5);
	}
	double best = 1e9, first = 0, sink = 0;
	for (int rep = 0; rep < 3; rep++) {
		double t0 = now();
		for (int v = 0; v < vars; v++) {
			const double *x = cols[v];
			double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
			size_t i = 0;
			for (; i + 4 <= rows; i += 4) {
				s0 += x[i];
				s1 += x[i + 1];
				s2 += x[i + 2];
				s3 += x[i + 3];
			}
			for (; i < rows; i++)
				s0 += x[i];
			sink += s0 + s1 + s2 + s3;
		}
		double t = now() - t0;
		if (t < best)
			best = t;
		if (rep == 0)
			first = t;
	}
	printf("floor rows=%zu vars=%d pass_s=%.6f first_s=%.6f (sum %g)\n",
	       rows, vars, best, first, sink);
	return 0;
}
