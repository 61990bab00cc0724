/* libFuzzer: the survey CSV loader (index/survey_data.c) on any bytes must
 * load or refuse with a message, never crash, read out of bounds or leak;
 * what loads is estimated (index/estimate.c) to exercise the design
 * mapping on odd shapes. Columns by name: "w..." weights, "s..." strata,
 * "c..." clusters, "g..." groups, anything else a number. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "index/estimate.h"
#include "index/survey_data.h"
#include "base/banned.h"

static enum err pick(void *ctx, int n, const char *const *names,
		     enum survey_kind *kinds, struct error *e)
{
	for (int i = 0; i < n; i++)
		switch (names[i][0]) {
		case 'w': kinds[i] = SURVEY_WEIGHT; break;
		case 's':
		case 'c':
		case 'g': kinds[i] = SURVEY_LABEL; break;
		default: kinds[i] = SURVEY_NUMBER;
		}
	return ERR_OK;
}

static const struct survey_column *first(const struct survey_data *d, char c,
					 enum survey_kind k)
{
	for (int i = 0; i < d->ncols; i++)
		if (d->cols[i].name[0] == c && d->cols[i].kind == k)
			return &d->cols[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct survey_data d;
	struct error e;
	struct survey_load_opts o = {
		.select = pick, .max_rows = 100000, .max_labels = 10000};
	if (survey_data_load_mem(&d, (const char *)data, size, &o, &e)) {
		if (!e.msg[0])
			abort();
		return 0;
	}
	const struct survey_column *w = first(&d, 'w', SURVEY_WEIGHT);
	const struct survey_column *s = first(&d, 's', SURVEY_LABEL);
	const struct survey_column *c = first(&d, 'c', SURVEY_LABEL);
	const struct survey_column *g = first(&d, 'g', SURVEY_LABEL);
	const double *cols[8];
	int nv = 0;
	for (int i = 0; i < d.ncols && nv < 8; i++)
		if (d.cols[i].kind == SURVEY_NUMBER)
			cols[nv++] = d.cols[i].num;
	if (w && nv && d.nrows) {
		struct est_design des = {.nrows = d.nrows,
					 .weight = w->num,
					 .stratum = s ? s->code : NULL,
					 .nstrata = s ? s->nlabels : 0,
					 .cluster = c ? c->code : NULL,
					 .nclusters = c ? c->nlabels : 0,
					 .group = g ? g->code : NULL,
					 .ngroups = g ? g->nlabels : 0,
					 .lonely = (enum lonely_psu)(size % 4),
					 .threads = 1};
		struct estimator est;
		if (estimator_init(&est, &des, &e) == ERR_OK) {
			struct est_mean *m =
				malloc(sizeof *m * est.ngroups * (size_t)nv);
			if (m &&
			    estimate_means(&est, cols, nv, m, &e) == ERR_OK)
				for (size_t i = 0; i < est.ngroups * (size_t)nv;
				     i++)
					if (m[i].n && m[i].se < 0)
						abort();
			free(m);
			estimator_release(&est);
		}
	}
	survey_data_release(&d);
	return 0;
}
