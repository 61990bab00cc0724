/* A round's results: export -> survey_data -> score, per unit (results.h). */
#include "results.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "round.h"
#include "sampling_db.h"
#include "survey_data.h"
#include "weights.h"
#include "../people/people.h"
#include "../base/banned.h"

static enum err nomem(struct error *e, long long round)
{
	return error_set(e, ERR_NOMEM, "round %lld: results: out of memory",
			 round);
}

/* The columns results need from the export: design and every question. */
struct pick {
	const struct catalogue *cat;
	int *qcol; /* nquestions: the file column of each question, or -1 */
	int village, stratum, cluster, weight;
	int gender, age; /* for raking to the round's margins (weights.h) */
};

static enum err pick_cols(void *ctx, int n, const char *const *names,
			  enum survey_kind *kinds, struct error *e)
{
	struct pick *p = ctx;
	p->village = p->stratum = p->cluster = p->weight = -1;
	p->gender = p->age = -1;
	for (int c = 0; c < n; c++) {
		if (!strcmp(names[c], "village")) {
			p->village = c;
			kinds[c] = SURVEY_LABEL;
		} else if (!strcmp(names[c], "stratum")) {
			p->stratum = c;
			kinds[c] = SURVEY_LABEL;
		} else if (!strcmp(names[c], "cluster")) {
			p->cluster = c;
			kinds[c] = SURVEY_LABEL;
		} else if (!strcmp(names[c], "weight")) {
			p->weight = c;
			kinds[c] = SURVEY_WEIGHT;
		} else if (!strcmp(names[c], "gender")) {
			p->gender = c;
			kinds[c] = SURVEY_LABEL;
		} else if (!strcmp(names[c], "age_group")) {
			p->age = c;
			kinds[c] = SURVEY_LABEL;
		}
	}
	for (int q = 0; q < p->cat->nquestions; q++) {
		p->qcol[q] = -1;
		for (int c = 0; c < n; c++)
			if (kinds[c] == SURVEY_SKIP &&
			    !strcmp(names[c], p->cat->questions[q].code)) {
				p->qcol[q] = c;
				kinds[c] = SURVEY_NUMBER;
				break;
			}
	}
	if (p->village < 0 || p->stratum < 0 || p->cluster < 0 ||
	    p->weight < 0 || p->gender < 0 || p->age < 0)
		return error_set(e, ERR_INVALID,
				 "export: a design column is missing");
	return ERR_OK;
}

/* Which catalogue indicators, sub-dimensions and dimensions are scored. */
static enum err structure(struct arena *a, struct results *r, long long id,
			  struct error *e)
{
	const struct catalogue *c = &r->cx.cat;
	r->ind_cat = arena_alloc(a, sizeof(int) * (size_t)(c->nindicators + 1));
	r->ind_sub = arena_alloc(a, sizeof(int) * (size_t)(c->nindicators + 1));
	r->sub_cat =
		arena_alloc(a, sizeof(int) * (size_t)(c->nsubdimensions + 1));
	r->sub_dim =
		arena_alloc(a, sizeof(int) * (size_t)(c->nsubdimensions + 1));
	r->dim_cat = arena_alloc(a, sizeof(int) * (size_t)(c->ndimensions + 1));
	int *sub_of =
		arena_alloc(a, sizeof(int) * (size_t)(c->nsubdimensions + 1));
	int *dim_of =
		arena_alloc(a, sizeof(int) * (size_t)(c->ndimensions + 1));
	if (!r->ind_cat || !r->ind_sub || !r->sub_cat || !r->sub_dim ||
	    !r->dim_cat || !sub_of || !dim_of)
		return nomem(e, id);
	for (int s = 0; s < c->nsubdimensions; s++)
		sub_of[s] = -1;
	for (int d = 0; d < c->ndimensions; d++)
		dim_of[d] = -1;
	r->nind = r->nsub = r->ndim = 0;
	/* catalogue arrays are in questionnaire order, so parents come in
	 * order of first appearance */
	for (int k = 0; k < c->nindicators; k++) {
		bool scored = false;
		for (int q = 0; q < c->nquestions; q++)
			scored |= c->questions[q].indicator == k &&
				  c->questions[q].direction !=
					  DIRECTION_DESCRIPTIVE;
		if (!scored)
			continue;
		int s = c->indicators[k].subdimension;
		int d = c->subdimensions[s].dimension;
		if (dim_of[d] < 0) {
			dim_of[d] = r->ndim;
			r->dim_cat[r->ndim++] = d;
		}
		if (sub_of[s] < 0) {
			sub_of[s] = r->nsub;
			r->sub_dim[r->nsub] = dim_of[d];
			r->sub_cat[r->nsub++] = s;
		}
		r->ind_sub[r->nind] = sub_of[s];
		r->ind_cat[r->nind++] = k;
	}
	return ERR_OK;
}

/* The indicator columns from the question columns. */
static enum err indicator_cols(struct arena *a, struct results *r,
			       const struct survey_data *d, const int *qcol,
			       double **cols, struct score_indicator *si,
			       long long id, struct error *e)
{
	const struct catalogue *c = &r->cx.cat;
	for (int i = 0; i < r->nind; i++) {
		int k = r->ind_cat[i];
		int qs[64], nq = 0;
		for (int q = 0; q < c->nquestions && nq < 64; q++)
			if (c->questions[q].indicator == k &&
			    c->questions[q].direction !=
				    DIRECTION_DESCRIPTIVE &&
			    qcol[q] >= 0)
				qs[nq++] = q;
		const struct cat_question *q0 =
			nq ? &c->questions[qs[0]] : NULL;
		si[i] = (struct score_indicator){
			.key = c->indicators[k].code,
			.sub = r->ind_sub[i],
			.lo = 0,
			.hi = 1,
			.reversed =
				q0 && q0->direction == DIRECTION_LOWER_BETTER,
			.weight = c->indicators[k].weight,
		};
		if (nq == 1 && q0->lower < q0->upper) {
			si[i].lo = q0->lower;
			si[i].hi = q0->upper;
			cols[i] = d->cols[qcol[qs[0]]].num;
			continue;
		}
		double *v = arena_alloc(a, sizeof(double) * (d->nrows + 1));
		if (!v)
			return nomem(e, id);
		for (size_t row = 0; row < d->nrows; row++) {
			double sum = 0;
			int got = 0;
			for (int j = 0; j < nq; j++) {
				const struct cat_question *q =
					&c->questions[qs[j]];
				double x = d->cols[qcol[qs[j]]].num[row];
				if (isnan(x) || !(q->lower < q->upper))
					continue;
				double z =
					(x - q->lower) / (q->upper - q->lower);
				if ((q->direction == DIRECTION_LOWER_BETTER) !=
				    si[i].reversed)
					z = 1 - z;
				sum += z;
				got++;
			}
			v[row] = got ? sum / got : NAN;
		}
		cols[i] = v;
	}
	return ERR_OK;
}

static enum err round_settings(struct db *db, struct arena *a,
			       struct results *r, long long id,
			       enum lonely_psu *lonely, struct error *e)
{
	struct db_result *row;
	enum err err = sdb_round_get(db, a, id, &row, e);
	if (err)
		return err;
	if (!row->nrows)
		return error_set(e, ERR_NOTFOUND, "round %lld: no such round",
				 id);
	long long mn = db_get_int(row, 0, "min_answers", 10);
	r->min_n = mn > 0 ? (uint64_t)mn : 1;
	const char *tie = db_get(row, 0, "tie_rule");
	r->tie = tie && !strcmp(tie, "lower") ? TIER_TIE_LOWER : TIER_TIE_UPPER;
	const char *b = db_get(row, 0, "bounds_rule");
	r->observed = b && !strcmp(b, "observed");
	const char *l = db_get(row, 0, "lonely_psu");
	/* "average" (the schema allows it) has no counterpart in survey 4.x
	 * with one stage: it centres the lonely PSU at the mean, as adjust */
	if (!l || lonely_psu_parse(l, lonely))
		*lonely = LONELY_ADJUST;
	return ERR_OK;
}

/* Copies a score_result's rows into r's unit rows from `first`. */
static void take(struct results *r, const struct score_result *s, int first)
{
	for (uint32_t g = 0; g < s->ngroups; g++) {
		size_t u = (size_t)first + g;
		memcpy(&r->ind[u * (size_t)r->nind],
		       &s->indicator[g * (size_t)r->nind],
		       sizeof *r->ind * (size_t)r->nind);
		memcpy(&r->sub[u * (size_t)r->nsub],
		       &s->sub[g * (size_t)r->nsub],
		       sizeof *r->sub * (size_t)r->nsub);
		memcpy(&r->dim[u * (size_t)r->ndim],
		       &s->dim[g * (size_t)r->ndim],
		       sizeof *r->dim * (size_t)r->ndim);
		r->total[u] = s->total[g];
		for (int k = 0; k < r->nind; k++) {
			double z = s->z[g * (size_t)r->nind + k];
			r->z[u * (size_t)r->nind + k] = z;
		}
	}
}

static int village_index(const struct iv_context *cx, long long id)
{
	for (int i = 0; i < cx->nvillages; i++)
		if (cx->villages[i].id == id)
			return i;
	return -1;
}

static enum err alloc_units(struct arena *a, struct results *r, long long id,
			    struct error *e)
{
	size_t n = (size_t)r->nunits;
	r->ind = arena_alloc(a, sizeof *r->ind * (n * (size_t)r->nind + 1));
	r->sub = arena_alloc(a, sizeof *r->sub * (n * (size_t)r->nsub + 1));
	r->dim = arena_alloc(a, sizeof *r->dim * (n * (size_t)r->ndim + 1));
	r->total = arena_alloc(a, sizeof *r->total * n);
	r->z = arena_alloc(a, sizeof *r->z * (n * (size_t)r->nind + 1));
	r->tier = arena_alloc(a, sizeof *r->tier * n * (size_t)(r->ndim + 1));
	r->rank = arena_alloc(a, sizeof *r->rank * n * (size_t)(r->ndim + 1));
	r->cuts = arena_alloc(a, sizeof *r->cuts * (size_t)(r->ndim + 1));
	if (!r->ind || !r->sub || !r->dim || !r->total || !r->z || !r->tier ||
	    !r->rank || !r->cuts)
		return nomem(e, id);
	/* nothing scored yet: every value missing, for want of answers */
	struct score_value none = {NAN, NAN, NAN, NAN, SCORE_NO_ANSWERS, 0};
	for (size_t i = 0; i < n * (size_t)r->nind; i++) {
		r->ind[i] = none;
		r->z[i] = NAN;
	}
	for (size_t i = 0; i < n * (size_t)r->nsub; i++)
		r->sub[i] = none;
	for (size_t i = 0; i < n * (size_t)r->ndim; i++)
		r->dim[i] = none;
	for (size_t i = 0; i < n; i++)
		r->total[i] = none;
	return ERR_OK;
}

/* Tiers and ranks among the villages (units 1..). */
static enum err tiers(struct arena *a, struct results *r, long long id,
		      struct error *e)
{
	int nv = r->nunits - 1;
	double *v = arena_alloc(a, sizeof *v * (size_t)(nv + 1));
	int *rk = arena_alloc(a, sizeof *rk * (size_t)(nv + 1));
	if (!v || !rk)
		return nomem(e, id);
	for (int m = 0; m <= r->ndim; m++) {
		for (int i = 0; i < nv; i++) {
			int u = i + 1;
			v[i] = m < r->ndim ? r->dim[u * r->ndim + m].value
					   : r->total[u].value;
		}
		tier_cuts(v, nv, &r->cuts[m]);
		rank_desc(v, nv, rk);
		for (int i = 0; i < nv; i++) {
			int u = i + 1;
			r->tier[u * (r->ndim + 1) + m] =
				r->cuts[m].n
					? tier_of(v[i], &r->cuts[m], r->tie)
					: TIER_NONE;
			r->rank[u * (r->ndim + 1) + m] = rk[i];
		}
		r->tier[m] = TIER_NONE;
		r->rank[m] = 0;
	}
	return ERR_OK;
}

enum err results_compute(struct db *db, struct arena *a, long long id,
			 struct results *r, struct error *e)
{
	memset(r, 0, sizeof *r);
	enum lonely_psu lonely;
	enum err err = round_settings(db, a, r, id, &lonely, e);
	if (!err)
		err = iv_context_load(db, a, id, &r->cx, e);
	if (!err)
		err = structure(a, r, id, e);
	char *csv = NULL;
	size_t len = 0;
	int rows = 0;
	if (!err)
		err = iv_export(db, a, id, false, &csv, &len, &rows, e);
	if (err)
		return err;
	r->interviews = rows;

	struct pick pk = {.cat = &r->cx.cat};
	pk.qcol = arena_alloc(a,
			      sizeof(int) * (size_t)(r->cx.cat.nquestions + 1));
	if (!pk.qcol)
		return nomem(e, id);
	struct survey_data d = {0};
	bool loaded = false;
	if (rows > 0) {
		struct survey_load_opts lo = {.select = pick_cols, .ctx = &pk};
		err = survey_data_load_mem(&d, csv, len, &lo, e);
		if (err)
			return err;
		loaded = true;
		/* the design weights raked to the round's census margins,
		 * when it has some */
		err = weights_apply(db, a, id, d.nrows, &d.cols[pk.gender],
				    &d.cols[pk.age], &d.cols[pk.village],
				    d.cols[pk.weight].num, &r->raked, e);
		if (err)
			goto out;
	}
	/* units: the scope, then the villages that have interviews in the
	 * round's village order */
	const struct survey_column *vc = loaded ? &d.cols[pk.village] : NULL;
	uint32_t nlab = vc ? vc->nlabels : 0;
	int *unit_of_label = arena_alloc(a, sizeof(int) * (nlab + 1));
	r->units = arena_alloc(a, sizeof *r->units * (nlab + 2));
	if (!unit_of_label || !r->units) {
		err = nomem(e, id);
		goto out;
	}
	r->units[0] = (struct res_unit){r->cx.round.scope_unit_id,
					r->cx.round.scope_name, true};
	r->nunits = 1;
	for (int i = 0; i < r->cx.nvillages; i++)
		for (uint32_t l = 0; l < nlab; l++)
			if (strtoll(vc->labels[l], NULL, 10) ==
			    r->cx.villages[i].id) {
				unit_of_label[l] = r->nunits;
				r->units[r->nunits++] = (struct res_unit){
					r->cx.villages[i].id,
					r->cx.villages[i].name, false};
			}
	for (uint32_t l = 0; l < nlab; l++) /* a village no longer in force */
		if (village_index(&r->cx, strtoll(vc->labels[l], NULL, 10)) <
		    0) {
			unit_of_label[l] = r->nunits;
			r->units[r->nunits++] = (struct res_unit){
				strtoll(vc->labels[l], NULL, 10),
				arena_printf(a, "Thôn %s", vc->labels[l]),
				false};
		}
	err = alloc_units(a, r, id, e);
	if (err)
		goto out;
	if (!loaded || !r->nind) {
		err = tiers(a, r, id, e);
		goto out;
	}

	double **cols = arena_alloc(a, sizeof *cols * (size_t)r->nind);
	struct score_indicator *si =
		arena_alloc(a, sizeof *si * (size_t)r->nind);
	uint32_t *group = arena_alloc(a, sizeof *group * (d.nrows + 1));
	if (!cols || !si || !group) {
		err = nomem(e, id);
		goto out;
	}
	err = indicator_cols(a, r, &d, pk.qcol, cols, si, id, e);
	if (err)
		goto out;
	for (size_t i = 0; i < d.nrows; i++)
		group[i] = (uint32_t)(unit_of_label[vc->code[i]] - 1);
	struct score_structure st = {r->nind, si, r->nsub, r->sub_dim, r->ndim};
	struct score_opts so = {r->observed ? SCORE_BOUNDS_OBSERVED
					    : SCORE_BOUNDS_THEORETICAL,
				r->min_n};
	/* A village is one cluster of the commune's design, so within the
	 * commune's design its estimate has no variance: a village's own
	 * results take the village as a stratum and its people as PSUs (the
	 * variance given the village was drawn), i.e. `quantri survey
	 * estimate --strata village --by village`. */
	struct est_design des = {
		.nrows = d.nrows,
		.weight = d.cols[pk.weight].num,
		.stratum = vc->code,
		.nstrata = vc->nlabels,
		.group = group,
		.ngroups = (uint32_t)(r->nunits - 1),
		/* a village with one respondent has no variance to estimate;
		 * refusing it would refuse the whole round, so it adds
		 * nothing (it is below any sensible min_answers anyway) */
		.lonely = lonely == LONELY_FAIL ? LONELY_REMOVE : lonely,
		.stratum_labels = (const char *const *)vc->labels,
		.threads = 1,
	};
	struct estimator est;
	struct score_result sr = {0};
	err = estimator_init(&est, &des, e);
	if (err)
		goto out;
	err = score_compute(&est, (const double *const *)cols, &st, &so, &sr,
			    e);
	estimator_release(&est);
	if (err)
		goto out;
	take(r, &sr, 1);
	/* the scope as one group; with observed bounds, the villages'
	 * bounds (fixed, as score.h takes them) */
	if (r->observed)
		for (int k = 0; k < r->nind; k++)
			if (sr.lo[k] < sr.hi[k]) {
				si[k].lo = sr.lo[k];
				si[k].hi = sr.hi[k];
			}
	score_result_release(&sr);
	/* the commune: strata = communes, clusters = villages */
	des.stratum = d.cols[pk.stratum].code;
	des.nstrata = d.cols[pk.stratum].nlabels;
	des.stratum_labels = (const char *const *)d.cols[pk.stratum].labels;
	des.cluster = d.cols[pk.cluster].code;
	des.nclusters = d.cols[pk.cluster].nlabels;
	des.lonely = lonely;
	des.group = NULL;
	des.ngroups = 1;
	so.bounds = SCORE_BOUNDS_THEORETICAL;
	err = estimator_init(&est, &des, e);
	if (err)
		goto out;
	err = score_compute(&est, (const double *const *)cols, &st, &so, &sr,
			    e);
	estimator_release(&est);
	if (err)
		goto out;
	take(r, &sr, 0);
	score_result_release(&sr);
	err = tiers(a, r, id, e);
out:
	if (loaded)
		survey_data_release(&d);
	return err;
}

bool results_reversed(const struct results *r, int i)
{
	const struct catalogue *c = &r->cx.cat;
	for (int q = 0; q < c->nquestions; q++)
		if (c->questions[q].indicator == r->ind_cat[i] &&
		    c->questions[q].direction != DIRECTION_DESCRIPTIVE)
			return c->questions[q].direction ==
			       DIRECTION_LOWER_BETTER;
	return false;
}

int results_unit(const struct results *r, long long unit_id)
{
	for (int u = 0; u < r->nunits; u++)
		if (r->units[u].id == unit_id)
			return u;
	return -1;
}

enum err results_lineage_rounds(struct db *db, struct arena *a,
				long long round_id, long long **ids,
				bool **crossed, int *n, struct error *e)
{
	json_t *list = NULL;
	enum err err = round_list(db, a, &list, e);
	if (err)
		return err;
	long long scope = 0;
	int year = 0;
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) if (json_integer_value(json_object_get(
						   x, "id")) == round_id)
	{
		scope = json_integer_value(json_object_get(x, "scope_unit_id"));
		year = (int)json_integer_value(json_object_get(x, "year"));
	}
	if (!scope) {
		json_decref(list);
		return error_set(e, ERR_NOTFOUND, "round %lld: no such round",
				 round_id);
	}
	long long *lin;
	int nlin;
	err = units_lineage(db, a, scope, &lin, &nlin, e);
	if (err) {
		json_decref(list);
		return err;
	}
	size_t cap = json_array_size(list) + 1;
	*ids = arena_alloc(a, sizeof **ids * cap);
	*crossed = arena_alloc(a, sizeof **crossed * cap);
	if (!*ids || !*crossed) {
		json_decref(list);
		return nomem(e, round_id);
	}
	*n = 0;
	/* round_list is newest first: walk it backwards for oldest first */
	for (size_t j = json_array_size(list); j-- > 0;) {
		x = json_array_get(list, j);
		long long rid = json_integer_value(json_object_get(x, "id"));
		long long s =
			json_integer_value(json_object_get(x, "scope_unit_id"));
		int y = (int)json_integer_value(json_object_get(x, "year"));
		bool in = false;
		for (int k = 0; k < nlin; k++)
			in |= lin[k] == s;
		if (!in || (rid != round_id &&
			    (y > year || (y == year && rid > round_id))))
			continue;
		(*ids)[*n] = rid;
		(*crossed)[*n] = s != scope;
		(*n)++;
	}
	json_decref(list);
	return ERR_OK;
}
