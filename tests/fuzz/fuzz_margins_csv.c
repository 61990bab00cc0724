/* libFuzzer: the census margins file of a survey round (index/weights.c
 * weights_parse) on any bytes, against a scope of villages with and
 * without codes and two villages of the same name. It must parse or
 * refuse with problems, never crash, read out of bounds or leak. What
 * parses holds every category of each variable given with a positive
 * population and equal totals, and rakes (rake.h) a sample with every
 * category in it to those margins. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "index/weights.h"
#include "base/banned.h"

static const struct weights_village villages[] = {
	{101, "00001", "Thôn Đông"}, {102, "", "Thôn Tây"},
	{103, "", "Xóm Mới"},        {104, "00004", "Thôn 1"},
	{105, "", "Thôn 1"},
};
static const struct weights_scope scope = {5, villages};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	struct weights_margins m;
	struct problems p = {0};
	struct error e = {0};
	enum err err =
		weights_parse(&a, (const char *)data, size, &scope, &m, &p, &e);
	if (err == ERR_INVALID && !p.n)
		abort(); /* a refusal says why */
	if (err && err != ERR_INVALID && err != ERR_NOMEM && err != ERR_TOOBIG)
		abort();
	if (!err) {
		double first = -1;
		size_t n = 0;
		for (int v = 0; v < WEIGHTS_NVARS; v++) {
			if (!m.has[v])
				continue;
			double t = 0;
			for (int k = 0; k < m.ncat[v]; k++) {
				if (!(m.pop[v][k] > 0) ||
				    !isfinite(m.pop[v][k]))
					abort();
				t += m.pop[v][k];
			}
			if (first < 0)
				first = t;
			else if (fabs(t - first) > 1e-9 * first)
				abort();
			if ((size_t)m.ncat[v] > n)
				n = (size_t)m.ncat[v];
		}
		if (first < 0)
			abort(); /* accepted without any variable */
		/* a sample with every category: row i is category i mod
		 * ncat of each variable */
		uint32_t *cat[WEIGHTS_NVARS];
		double *w = arena_alloc(&a, sizeof *w * n);
		for (int v = 0; v < WEIGHTS_NVARS; v++)
			cat[v] = arena_alloc(&a, sizeof **cat * n);
		if (!w || !cat[0] || !cat[1] || !cat[2])
			abort();
		for (size_t i = 0; i < n; i++) {
			w[i] = 1 + (double)(i % 3);
			for (int v = 0; v < WEIGHTS_NVARS; v++)
				cat[v][i] =
					m.ncat[v]
						? (uint32_t)(i %
							     (size_t)m.ncat[v])
						: 0;
		}
		err = weights_rake(&m, n, cat, w, w, &e);
		if (err && err != ERR_CONFLICT) /* not converging: said */
			abort();
		if (err && !*weights_message_vi(&a, &e))
			abort();
	}
	arena_release(&a);
	return 0;
}
