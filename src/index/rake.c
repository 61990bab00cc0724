#include "rake.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/banned.h"

static const char *cat_name(const struct rake_margin *m, uint32_t k, char *buf,
			    size_t n)
{
	if (m->labels)
		return m->labels[k];
	snprintf(buf, n, "%u", k + 1);
	return buf;
}

/* Category totals of w for margin m into sums (ncat). */
static void margin_sums(size_t nrows, const double *w,
			const struct rake_margin *m, double *sums)
{
	memset(sums, 0, m->ncat * sizeof *sums);
	for (size_t i = 0; i < nrows; i++)
		sums[m->code[i]] += w[i];
}

enum err rake_weights(size_t nrows, const double *w_in, double *w_out,
		      const struct rake_margin *margins, int nmargins,
		      const struct rake_opts *opts, struct rake_report *report,
		      struct error *e)
{
	int max_iter = opts && opts->max_iter > 0 ? opts->max_iter : 100;
	double tol = opts && opts->tol > 0 ? opts->tol : 1e-12;
	char buf[32];
	memset(report, 0, sizeof *report);
	if (nmargins <= 0)
		return error_set(e, ERR_INVALID, "raking: no margin");
	uint32_t maxcat = 0;
	double total = 0;
	for (int j = 0; j < nmargins; j++) {
		const struct rake_margin *m = &margins[j];
		double t = 0;
		for (uint32_t k = 0; k < m->ncat; k++) {
			if (!(m->target[k] > 0) || !isfinite(m->target[k]))
				return error_set(
					e, ERR_INVALID,
					"margin %s: category %s: "
					"population %g is not positive",
					m->name,
					cat_name(m, k, buf, sizeof buf),
					m->target[k]);
			t += m->target[k];
		}
		if (j == 0)
			total = t;
		else if (fabs(t - total) > 1e-9 * total)
			return error_set(e, ERR_INVALID,
					 "margin %s adds up to %.10g, margin "
					 "%s to %.10g: the margins must "
					 "describe the same population",
					 m->name, t, margins[0].name, total);
		if (m->ncat > maxcat)
			maxcat = m->ncat;
		for (size_t i = 0; i < nrows; i++)
			if (m->code[i] >= m->ncat)
				return error_set(e, ERR_INTERNAL,
						 "margin %s: row %zu: code out "
						 "of range",
						 m->name, i + 1);
	}
	for (size_t i = 0; i < nrows; i++)
		if (!(w_in[i] > 0) || !isfinite(w_in[i]))
			return error_set(e, ERR_INVALID,
					 "row %zu: weight %g is not positive",
					 i + 1, w_in[i]);
	double *sums = malloc((maxcat ? maxcat : 1) * sizeof *sums);
	double *factor = malloc((maxcat ? maxcat : 1) * sizeof *factor);
	if (!sums || !factor) {
		free(sums);
		free(factor);
		return error_set(e, ERR_NOMEM, "raking: out of memory");
	}
	if (w_out != w_in)
		memcpy(w_out, w_in, nrows * sizeof *w_out);
	/* A category nobody in the sample belongs to cannot be fitted. */
	for (int j = 0; j < nmargins; j++) {
		const struct rake_margin *m = &margins[j];
		margin_sums(nrows, w_out, m, sums);
		for (uint32_t k = 0; k < m->ncat; k++)
			if (sums[k] == 0) {
				error_set(e, ERR_INVALID,
					  "margin %s: category %s has no one "
					  "in the sample",
					  m->name,
					  cat_name(m, k, buf, sizeof buf));
				free(sums);
				free(factor);
				return ERR_INVALID;
			}
	}
	double diff = INFINITY;
	int it = 0;
	while (it < max_iter) {
		for (int j = 0; j < nmargins; j++) {
			const struct rake_margin *m = &margins[j];
			margin_sums(nrows, w_out, m, sums);
			for (uint32_t k = 0; k < m->ncat; k++)
				factor[k] = m->target[k] / sums[k];
			for (size_t i = 0; i < nrows; i++)
				w_out[i] *= factor[m->code[i]];
		}
		it++;
		/* the last margin holds exactly; measure the others */
		diff = 0;
		for (int j = 0; j < nmargins; j++) {
			const struct rake_margin *m = &margins[j];
			margin_sums(nrows, w_out, m, sums);
			for (uint32_t k = 0; k < m->ncat; k++) {
				double d = fabs(sums[k] - m->target[k]) / total;
				if (d > diff)
					diff = d;
			}
		}
		if (diff <= tol)
			break;
	}
	report->iterations = it;
	report->max_rel_diff = diff;
	report->converged = diff <= tol;
	free(sums);
	free(factor);
	return ERR_OK;
}

void rake_shares(size_t nrows, const double *w, const struct rake_margin *m,
		 double *unweighted, double *weighted, double *population)
{
	double tw = 0, tp = 0;
	memset(unweighted, 0, m->ncat * sizeof *unweighted);
	memset(weighted, 0, m->ncat * sizeof *weighted);
	for (size_t i = 0; i < nrows; i++) {
		unweighted[m->code[i]] += 1;
		weighted[m->code[i]] += w[i];
		tw += w[i];
	}
	for (uint32_t k = 0; k < m->ncat; k++)
		tp += m->target[k];
	for (uint32_t k = 0; k < m->ncat; k++) {
		unweighted[k] = nrows ? unweighted[k] / (double)nrows : NAN;
		weighted[k] = tw > 0 ? weighted[k] / tw : NAN;
		population[k] = m->target[k] / tp;
	}
}
