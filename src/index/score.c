#include "score.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/banned.h"

const char *score_reason_code(enum score_reason r)
{
	switch (r) {
	case SCORE_OK: return "";
	case SCORE_NO_ANSWERS: return "no_answers";
	case SCORE_FEW_ANSWERS: return "few_answers";
	case SCORE_PART_MISSING: return "part_missing";
	case SCORE_NO_RANGE: return "no_range";
	}
	return "?";
}

const char *score_reason_vi(enum score_reason r)
{
	switch (r) {
	case SCORE_OK: return "";
	case SCORE_NO_ANSWERS: return "Không có người trả lời";
	case SCORE_FEW_ANSWERS: return "Chưa đủ số người trả lời";
	case SCORE_PART_MISSING:
		return "Thiếu điểm của một chỉ tiêu thành phần";
	case SCORE_NO_RANGE:
		return "Mọi đơn vị có cùng giá trị: không quy đổi được";
	}
	return "?";
}

void score_result_release(struct score_result *r)
{
	free(r->indicator);
	free(r->z);
	free(r->lo);
	free(r->hi);
	free(r->sub);
	free(r->dim);
	free(r->total);
	memset(r, 0, sizeof *r);
}

static void set_missing(struct score_value *v, enum score_reason why)
{
	v->value = v->se = v->ci_low = v->ci_high = NAN;
	v->reason = why;
}

static void set_value(struct score_value *v, double value, double se)
{
	v->value = value;
	v->se = se;
	v->ci_low = value - EST_Z95 * se;
	v->ci_high = value + EST_Z95 * se;
	v->reason = SCORE_OK;
}

/* Scores of one level (sub-dimensions, dimensions or the total): member
 * (nitems x nind, 0/1 scaled) says how much of indicator k's
 * z-coefficient each item carries; constant[item] is the item's
 * constant. Computes value and se by estimate_linear. */
static enum err level(const struct estimator *est, const double *const *cols,
		      int nind, const struct est_mean *means,
		      const double *zcoef, const double *zconst,
		      const unsigned char *usable, const double *member,
		      const double *constant, int nitems,
		      const struct score_value *ind, struct score_value *out,
		      struct error *e)
{
	uint32_t ng = est->ngroups;
	double *coef = calloc((size_t)ng * nind, sizeof *coef);
	double *val = malloc(ng * sizeof *val), *se = malloc(ng * sizeof *se);
	enum err err = ERR_OK;
	if (!coef || !val || !se) {
		err = error_set(e, ERR_NOMEM, "scores: out of memory");
		goto out;
	}
	for (int it = 0; it < nitems && !err; it++) {
		const double *mem = member + (size_t)it * nind;
		for (uint32_t g = 0; g < ng; g++) {
			bool ok = true;
			for (int k = 0; k < nind; k++) {
				size_t gk = (size_t)g * nind + k;
				coef[gk] = 0;
				if (mem[k] == 0)
					continue;
				if (!usable[gk])
					ok = false;
				coef[gk] = mem[k] * zcoef[gk];
			}
			if (!ok)
				for (int k = 0; k < nind; k++)
					coef[(size_t)g * nind + k] = 0;
		}
		err = estimate_linear(est, cols, nind, means, coef, val, se, e);
		for (uint32_t g = 0; g < ng && !err; g++) {
			struct score_value *v = &out[(size_t)g * nitems + it];
			/* no score: the reason of the first indicator that
			 * has none (few answers, none, no range) */
			enum score_reason why = SCORE_OK;
			double cst = constant[it];
			for (int k = 0; k < nind; k++) {
				size_t gk = (size_t)g * nind + k;
				if (mem[k] == 0)
					continue;
				if (!usable[gk] && why == SCORE_OK)
					why = ind[gk].reason;
				else
					cst += mem[k] * zconst[gk];
			}
			if (why != SCORE_OK || isnan(val[g]))
				set_missing(v, why != SCORE_OK
						       ? why
						       : SCORE_PART_MISSING);
			else
				set_value(v, cst + val[g], se[g]);
		}
	}
out:
	free(coef);
	free(val);
	free(se);
	return err;
}

enum err score_compute(const struct estimator *est, const double *const *cols,
		       const struct score_structure *s,
		       const struct score_opts *o, struct score_result *out,
		       struct error *e)
{
	memset(out, 0, sizeof *out);
	uint32_t ng = est->ngroups;
	int ni = s->nind, nsub = s->nsub, nd = s->ndim;
	uint64_t min_n = o && o->min_n ? o->min_n : 1;
	int *nsub_of_dim = calloc((size_t)nd + 1, sizeof *nsub_of_dim);
	double *wsum = calloc((size_t)nsub + 1, sizeof *wsum);
	if (!nsub_of_dim || !wsum) {
		free(nsub_of_dim);
		free(wsum);
		return error_set(e, ERR_NOMEM, "scores: out of memory");
	}
	enum err err = ERR_OK;
	for (int j = 0; j < nsub && !err; j++) {
		if (s->sub_dim[j] < 0 || s->sub_dim[j] >= nd)
			err = error_set(e, ERR_INVALID,
					"sub-dimension %d: no dimension %d",
					j + 1, s->sub_dim[j] + 1);
		else
			nsub_of_dim[s->sub_dim[j]]++;
	}
	for (int k = 0; k < ni && !err; k++) {
		const struct score_indicator *in = &s->ind[k];
		if (in->sub < 0 || in->sub >= nsub)
			err = error_set(e, ERR_INVALID,
					"indicator %s: no sub-dimension %d",
					in->key, in->sub + 1);
		else if (!(in->hi > in->lo))
			err = error_set(e, ERR_INVALID,
					"indicator %s: bounds %g..%g", in->key,
					in->lo, in->hi);
		else
			wsum[in->sub] += in->weight > 0 ? in->weight : 1;
	}
	for (int j = 0; j < nsub && !err; j++)
		if (wsum[j] == 0)
			err = error_set(e, ERR_INVALID,
					"sub-dimension %d has no indicator",
					j + 1);
	size_t gi = (size_t)ng * ni;
	struct est_mean *means = NULL;
	double *zcoef = NULL, *zconst = NULL, *member = NULL, *constant = NULL;
	unsigned char *usable = NULL;
	if (err)
		goto out;
	out->ngroups = ng;
	out->nind = ni;
	out->nsub = nsub;
	out->ndim = nd;
	out->indicator = calloc(gi + 1, sizeof *out->indicator);
	out->z = calloc(gi + 1, sizeof *out->z);
	out->lo = calloc((size_t)ni + 1, sizeof *out->lo);
	out->hi = calloc((size_t)ni + 1, sizeof *out->hi);
	out->sub = calloc((size_t)ng * nsub + 1, sizeof *out->sub);
	out->dim = calloc((size_t)ng * nd + 1, sizeof *out->dim);
	out->total = calloc((size_t)ng + 1, sizeof *out->total);
	means = calloc(gi + 1, sizeof *means);
	zcoef = calloc(gi + 1, sizeof *zcoef);
	zconst = calloc(gi + 1, sizeof *zconst);
	usable = calloc(gi + 1, 1);
	int nitems = nsub > nd ? nsub : nd;
	member = calloc((size_t)nitems * ni + 1, sizeof *member);
	constant = calloc((size_t)nitems + 1, sizeof *constant);
	if (!out->indicator || !out->z || !out->lo || !out->hi || !out->sub ||
	    !out->dim || !out->total || !means || !zcoef || !zconst ||
	    !usable || !member || !constant) {
		err = error_set(e, ERR_NOMEM, "scores: out of memory");
		goto out;
	}
	err = estimate_means(est, cols, ni, means, e);
	if (err)
		goto out;

	/* Indicators: who has enough answers; the bounds. */
	for (int k = 0; k < ni; k++) {
		double lo = s->ind[k].lo, hi = s->ind[k].hi;
		if (o && o->bounds == SCORE_BOUNDS_OBSERVED) {
			lo = INFINITY;
			hi = -INFINITY;
			for (uint32_t g = 0; g < ng; g++) {
				const struct est_mean *m =
					&means[(size_t)g * ni + k];
				if (m->n >= min_n) {
					lo = fmin(lo, m->estimate);
					hi = fmax(hi, m->estimate);
				}
			}
		}
		out->lo[k] = lo;
		out->hi[k] = hi;
		for (uint32_t g = 0; g < ng; g++) {
			size_t gk = (size_t)g * ni + k;
			const struct est_mean *m = &means[gk];
			struct score_value *v = &out->indicator[gk];
			v->n = m->n;
			out->z[gk] = NAN;
			if (m->n == 0) {
				set_missing(v, SCORE_NO_ANSWERS);
				continue;
			}
			if (m->n < min_n) {
				set_missing(v, SCORE_FEW_ANSWERS);
				continue;
			}
			set_value(v, m->estimate, m->se);
			if (!(hi > lo)) {
				v->reason = SCORE_NO_RANGE;
				continue;
			}
			usable[gk] = 1;
			/* z = a + b x */
			double b = 1 / (hi - lo), a = -lo * b;
			if (s->ind[k].reversed) {
				a = 1 - a;
				b = -b;
			}
			zcoef[gk] = b;
			zconst[gk] = a;
			out->z[gk] = a + b * m->estimate;
		}
	}

	/* Sub-dimensions: (1/n_d)(1 + 9 sum a_k z_k). */
	memset(member, 0, (size_t)nitems * ni * sizeof *member);
	for (int k = 0; k < ni; k++) {
		int j = s->ind[k].sub, d = s->sub_dim[j];
		double a =
			(s->ind[k].weight > 0 ? s->ind[k].weight : 1) / wsum[j];
		member[(size_t)j * ni + k] = 9.0 * a / nsub_of_dim[d];
	}
	for (int j = 0; j < nsub; j++)
		constant[j] = 1.0 / nsub_of_dim[s->sub_dim[j]];
	err = level(est, cols, ni, means, zcoef, zconst, usable, member,
		    constant, nsub, out->indicator, out->sub, e);
	if (err)
		goto out;

	/* Dimensions: the sum of their sub-dimensions. */
	double *dmember = calloc((size_t)nd * ni + 1, sizeof *dmember);
	double *dconst = calloc((size_t)nd + 1, sizeof *dconst);
	if (!dmember || !dconst) {
		free(dmember);
		free(dconst);
		err = error_set(e, ERR_NOMEM, "scores: out of memory");
		goto out;
	}
	for (int j = 0; j < nsub; j++) {
		int d = s->sub_dim[j];
		dconst[d] += constant[j];
		for (int k = 0; k < ni; k++)
			dmember[(size_t)d * ni + k] +=
				member[(size_t)j * ni + k];
	}
	err = level(est, cols, ni, means, zcoef, zconst, usable, dmember,
		    dconst, nd, out->indicator, out->dim, e);
	/* Total: the sum of the dimensions. */
	double tconst = 0;
	for (int d = 0; d < nd; d++)
		tconst += dconst[d];
	for (int k = 0; k < ni; k++) {
		double c = 0;
		for (int d = 0; d < nd; d++)
			c += dmember[(size_t)d * ni + k];
		dmember[k] = c;
	}
	if (!err)
		err = level(est, cols, ni, means, zcoef, zconst, usable,
			    dmember, &tconst, 1, out->indicator, out->total, e);
	free(dmember);
	free(dconst);
	/* A sub-dimension or dimension with no score makes the levels above
	 * it say so: already the case (they need the same indicators); a
	 * dimension with no sub-dimension at all has no score either. */
	for (int d = 0; d < nd; d++)
		if (!nsub_of_dim[d])
			for (uint32_t g = 0; g < ng; g++) {
				set_missing(&out->dim[(size_t)g * nd + d],
					    SCORE_PART_MISSING);
				set_missing(&out->total[g], SCORE_PART_MISSING);
			}
out:
	free(nsub_of_dim);
	free(wsum);
	free(means);
	free(zcoef);
	free(zconst);
	free(usable);
	free(member);
	free(constant);
	if (err)
		score_result_release(out);
	return err;
}
