#include "estimate.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/banned.h"

/* Variables per pass over the rows: the design columns (weight, cell) are
 * read once per block, and K accumulators of a cell share a cache line. */
enum { BLOCK = 8, MAX_THREADS = 8 };

static const char *const lonely_names[] = {"fail", "certainty", "remove",
					   "adjust"};

int lonely_psu_parse(const char *s, enum lonely_psu *out)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, lonely_names[i])) {
			*out = (enum lonely_psu)i;
			return 0;
		}
	return -1;
}

const char *lonely_psu_name(enum lonely_psu l)
{
	return (unsigned)l < 4 ? lonely_names[l] : "?";
}

/* uint64 -> dense id, open addressing. Keys are stored + 1 so 0 is empty. */
struct idmap {
	uint64_t *keys;
	uint32_t *ids;
	size_t cap, n;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static int idmap_init(struct idmap *m, size_t expect)
{
	m->cap = 64;
	while (m->cap < expect * 2)
		m->cap <<= 1;
	m->n = 0;
	m->keys = calloc(m->cap, sizeof *m->keys);
	m->ids = malloc(m->cap * sizeof *m->ids);
	return m->keys && m->ids ? 0 : -1;
}

static void idmap_release(struct idmap *m)
{
	free(m->keys);
	free(m->ids);
	m->keys = NULL;
	m->ids = NULL;
}

static int idmap_grow(struct idmap *m)
{
	struct idmap g = {0};
	g.cap = m->cap * 2;
	g.keys = calloc(g.cap, sizeof *g.keys);
	g.ids = malloc(g.cap * sizeof *g.ids);
	if (!g.keys || !g.ids) {
		idmap_release(&g);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = mix(m->keys[i]) & (g.cap - 1);
		while (g.keys[j])
			j = (j + 1) & (g.cap - 1);
		g.keys[j] = m->keys[i];
		g.ids[j] = m->ids[i];
	}
	g.n = m->n;
	idmap_release(m);
	*m = g;
	return 0;
}

/* The id of key, a new one (= count so far) when unseen; -1 on memory. */
static int64_t idmap_get(struct idmap *m, uint64_t key)
{
	uint64_t k = key + 1;
	size_t j = mix(k) & (m->cap - 1);
	while (m->keys[j]) {
		if (m->keys[j] == k)
			return m->ids[j];
		j = (j + 1) & (m->cap - 1);
	}
	if ((m->n + 1) * 2 > m->cap) {
		if (idmap_grow(m))
			return -1;
		return idmap_get(m, key);
	}
	m->keys[j] = k;
	m->ids[j] = (uint32_t)m->n;
	return (int64_t)m->n++;
}

void estimator_release(struct estimator *est)
{
	free(est->row_cell);
	free(est->cell_stratum);
	free(est->group_first);
	free(est->stratum_npsu);
	memset(est, 0, sizeof *est);
}

enum err estimator_init(struct estimator *est, const struct est_design *d,
			struct error *e)
{
	memset(est, 0, sizeof *est);
	est->d = *d;
	size_t n = d->nrows;
	if (n > UINT32_MAX - 1)
		return error_set(e, ERR_TOOBIG, "%zu rows: at most %u", n,
				 UINT32_MAX - 1);
	uint32_t ns = d->stratum ? d->nstrata : 1;
	uint32_t ng = d->group ? d->ngroups : 1;
	est->nstrata = ns;
	est->ngroups = ng;
	est->d.ngroups = ng;
	est->d.nstrata = ns;
	uint32_t *psu = malloc((n ? n : 1) * sizeof *psu);
	uint32_t *psu_stratum = NULL, *cell_group = NULL, *cell_stratum = NULL;
	uint32_t *order = NULL, *tmp = NULL, *count = NULL;
	struct idmap m = {0};
	est->row_cell = malloc((n ? n : 1) * sizeof *est->row_cell);
	est->stratum_npsu = calloc(ns, sizeof *est->stratum_npsu);
	est->group_first = calloc((size_t)ng + 1, sizeof *est->group_first);
	if (!psu || !est->row_cell || !est->stratum_npsu || !est->group_first)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		if (!(d->weight[i] > 0) || !isfinite(d->weight[i])) {
			free(psu);
			estimator_release(est);
			return error_set(e, ERR_INVALID,
					 "row %zu: weight %g is not positive",
					 i + 1, d->weight[i]);
		}
		if ((d->stratum && d->stratum[i] >= ns) ||
		    (d->group && d->group[i] >= ng) ||
		    (d->cluster && d->cluster[i] >= d->nclusters)) {
			free(psu);
			estimator_release(est);
			return error_set(e, ERR_INTERNAL,
					 "row %zu: design code out of range",
					 i + 1);
		}
	}

	/* PSUs: (stratum, cluster) pairs, nest=TRUE; or one per row. */
	size_t npsu;
	if (d->cluster) {
		if (idmap_init(&m, 1024))
			goto nomem;
		for (size_t i = 0; i < n; i++) {
			uint64_t h = d->stratum ? d->stratum[i] : 0;
			int64_t id = idmap_get(&m, h * (uint64_t)d->nclusters +
							   d->cluster[i]);
			if (id < 0)
				goto nomem;
			psu[i] = (uint32_t)id;
		}
		npsu = m.n;
		idmap_release(&m);
	} else {
		for (size_t i = 0; i < n; i++)
			psu[i] = (uint32_t)i;
		npsu = n;
	}
	est->npsu = npsu;
	psu_stratum = malloc((npsu ? npsu : 1) * sizeof *psu_stratum);
	if (!psu_stratum)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		psu_stratum[psu[i]] = d->stratum ? d->stratum[i] : 0;
	for (size_t p = 0; p < npsu; p++)
		est->stratum_npsu[psu_stratum[p]]++;

	/* Cells: (group, PSU) pairs; without groups a cell is a PSU. */
	size_t ncells;
	if (d->group) {
		if (idmap_init(&m, npsu < 1024 ? 1024 : npsu))
			goto nomem;
		for (size_t i = 0; i < n; i++) {
			int64_t id = idmap_get(
				&m, (uint64_t)d->group[i] * npsu + psu[i]);
			if (id < 0)
				goto nomem;
			est->row_cell[i] = (uint32_t)id;
		}
		ncells = m.n;
		idmap_release(&m);
	} else {
		memcpy(est->row_cell, psu, n * sizeof *psu);
		ncells = npsu;
	}
	est->ncells = (uint32_t)ncells;
	size_t cn = ncells ? ncells : 1;
	cell_group = malloc(cn * sizeof *cell_group);
	cell_stratum = malloc(cn * sizeof *cell_stratum);
	order = malloc(cn * sizeof *order);
	tmp = malloc(cn * sizeof *tmp);
	size_t nkeys = (ns > ng ? ns : ng) + 1;
	count = malloc(nkeys * sizeof *count);
	if (!cell_group || !cell_stratum || !order || !tmp || !count)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = est->row_cell[i];
		cell_group[c] = d->group ? d->group[i] : 0;
		cell_stratum[c] = psu_stratum[psu[i]];
	}
	/* Order cells by (group, stratum): two stable counting sorts. */
	for (size_t c = 0; c < ncells; c++)
		tmp[c] = (uint32_t)c;
	const uint32_t *keyof[2] = {cell_stratum, cell_group};
	uint32_t nk[2] = {ns, ng};
	for (int pass = 0; pass < 2; pass++) {
		memset(count, 0, nkeys * sizeof *count);
		for (size_t c = 0; c < ncells; c++)
			count[keyof[pass][tmp[c]] + 1]++;
		for (uint32_t k = 0; k < nk[pass]; k++)
			count[k + 1] += count[k];
		for (size_t c = 0; c < ncells; c++)
			order[count[keyof[pass][tmp[c]]]++] = tmp[c];
		uint32_t *sw = tmp;
		tmp = order;
		order = sw;
	}
	/* tmp[new] = old; build old -> new in order. */
	for (size_t c = 0; c < ncells; c++)
		order[tmp[c]] = (uint32_t)c;
	for (size_t i = 0; i < n; i++)
		est->row_cell[i] = order[est->row_cell[i]];
	est->cell_stratum = malloc(cn * sizeof *est->cell_stratum);
	if (!est->cell_stratum)
		goto nomem;
	for (size_t c = 0; c < ncells; c++) {
		est->cell_stratum[c] = cell_stratum[tmp[c]];
		est->group_first[cell_group[tmp[c]] + 1]++;
	}
	for (uint32_t g = 0; g < ng; g++)
		est->group_first[g + 1] += est->group_first[g];
	free(psu);
	free(psu_stratum);
	free(cell_group);
	free(cell_stratum);
	free(order);
	free(tmp);
	free(count);
	return ERR_OK;
nomem:
	idmap_release(&m);
	free(psu);
	free(psu_stratum);
	free(cell_group);
	free(cell_stratum);
	free(order);
	free(tmp);
	free(count);
	estimator_release(est);
	return error_set(e, ERR_NOMEM, "estimation of %zu rows: out of memory",
			 n);
}

/* The variance of a linearised total over the cells [c0, c1) of one group
 * (ordered by stratum): t[c] the cell's total, present[c] whether the cell
 * has a row in the subset R would keep. Returns -1 (and the stratum in
 * *bad) on a lonely PSU under LONELY_FAIL. */
static int psu_variance(const struct estimator *est, uint32_t c0, uint32_t c1,
			const double *t, const unsigned char *present,
			double *var, uint32_t *bad)
{
	double v = 0;
	uint32_t c = c0;
	while (c < c1) {
		uint32_t h = est->cell_stratum[c], end = c;
		double sum = 0;
		uint32_t k = 0;
		while (end < c1 && est->cell_stratum[end] == h) {
			if (present[end]) {
				sum += t[end];
				k++;
			}
			end++;
		}
		uint32_t nh = est->stratum_npsu[h];
		if (k == 0) {
			/* no member in the subset: R never sees the stratum */
		} else if (nh > 1) {
			double mean = sum / nh, ss = 0;
			for (uint32_t j = c; j < end; j++)
				if (present[j]) {
					double dv = t[j] - mean;
					ss += dv * dv;
				}
			ss += (double)(nh - k) * mean * mean;
			v += ss * nh / (nh - 1);
		} else {
			switch (est->d.lonely) {
			case LONELY_FAIL: *bad = h; return -1;
			case LONELY_CERTAINTY:
			case LONELY_REMOVE: break;
			case LONELY_ADJUST: v += sum * sum; break;
			}
		}
		c = end;
	}
	*var = v;
	return 0;
}

static enum err lonely_error(const struct estimator *est, uint32_t h,
			     struct error *e)
{
	if (est->d.stratum_labels)
		return error_set(e, ERR_INVALID,
				 "stratum %s has only one cluster (PSU); "
				 "choose a rule with --lonely-psu "
				 "certainty|remove|adjust",
				 est->d.stratum_labels[h]);
	return error_set(e, ERR_INVALID,
			 "stratum %u has only one cluster (PSU); choose a "
			 "lonely-PSU rule certainty, remove or adjust",
			 h + 1);
}

/* Sums of w*x, w and the count of answers per cell for k <= BLOCK
 * columns: acc[cell * 3 * BLOCK + {0, BLOCK, 2 BLOCK} + j]. The hot loop:
 * missing answers are NaN, masked without a branch. */
static void accumulate(const struct estimator *est, const double *const *cols,
		       int k, double *acc)
{
	size_t n = est->d.nrows;
	const double *w = est->d.weight;
	const uint32_t *cell = est->row_cell;
	memset(acc, 0, (size_t)est->ncells * 3 * BLOCK * sizeof *acc);
	if (k == BLOCK) {
		/* Rows of a cell usually follow each other (a file is written
		 * village by village): sum a run in registers, then add it to
		 * the cell once, instead of a load-add-store chain per row. */
		const double *x0 = cols[0], *x1 = cols[1], *x2 = cols[2],
			     *x3 = cols[3], *x4 = cols[4], *x5 = cols[5],
			     *x6 = cols[6], *x7 = cols[7];
		size_t i = 0;
		while (i < n) {
			uint32_t c = cell[i];
			double sa[BLOCK] = {0}, sw[BLOCK] = {0},
			       sn[BLOCK] = {0};
			for (; i < n && cell[i] == c; i++) {
				double wi = w[i];
				double xv[BLOCK] = {x0[i], x1[i], x2[i], x3[i],
						    x4[i], x5[i], x6[i], x7[i]};
				for (int j = 0; j < BLOCK; j++) {
					int ok = xv[j] == xv[j];
					sa[j] += ok ? wi * xv[j] : 0;
					sw[j] += ok ? wi : 0;
					sn[j] += ok ? 1 : 0;
				}
			}
			double *a = acc + (size_t)c * 3 * BLOCK;
			for (int j = 0; j < BLOCK; j++) {
				a[j] += sa[j];
				a[BLOCK + j] += sw[j];
				a[2 * BLOCK + j] += sn[j];
			}
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		double *a = acc + (size_t)cell[i] * 3 * BLOCK;
		double wi = w[i];
		for (int j = 0; j < k; j++) {
			double x = cols[j][i];
			int ok = x == x;
			double wm = ok ? wi : 0;
			a[j] += wm * (ok ? x : 0);
			a[BLOCK + j] += wm;
			a[2 * BLOCK + j] += ok;
		}
	}
}

/* Work shared by the threads: blocks of variables taken in turn. */
struct job {
	const struct estimator *est;
	const double *const *cols;
	int nvars, nblocks;
	atomic_int next;
	/* means */
	struct est_mean *out;
	/* linear: per-variable multipliers and the shared result */
	const struct est_mean *means;
	const double *coef;
	pthread_mutex_t lock;
	double *T;              /* ncells: combined totals */
	unsigned char *present; /* ncells */
	/* the first failure, by block */
	int err_block;
	uint32_t err_stratum;
	enum err err;
};

struct worker {
	struct job *job;
	double *acc;
	double *t;
	unsigned char *pres;
};

static void job_fail(struct job *j, int block, enum err code, uint32_t h)
{
	pthread_mutex_lock(&j->lock);
	if (j->err == ERR_OK || block < j->err_block) {
		j->err = code;
		j->err_block = block;
		j->err_stratum = h;
	}
	pthread_mutex_unlock(&j->lock);
}

static void means_block(struct worker *wk, int b)
{
	struct job *j = wk->job;
	const struct estimator *est = j->est;
	int v0 = b * BLOCK, k = j->nvars - v0 < BLOCK ? j->nvars - v0 : BLOCK;
	accumulate(est, j->cols + v0, k, wk->acc);
	for (int v = 0; v < k; v++) {
		for (uint32_t g = 0; g < est->ngroups; g++) {
			uint32_t c0 = est->group_first[g];
			uint32_t c1 = est->group_first[g + 1];
			double S = 0, W = 0, N = 0;
			for (uint32_t c = c0; c < c1; c++) {
				const double *a =
					wk->acc + (size_t)c * 3 * BLOCK;
				S += a[v];
				W += a[BLOCK + v];
				N += a[2 * BLOCK + v];
			}
			struct est_mean *o =
				j->out + (size_t)g * j->nvars + v0 + v;
			o->n = (uint64_t)N;
			o->weight = W;
			if (N == 0) {
				o->estimate = NAN;
				o->se = NAN;
				continue;
			}
			double m = S / W;
			for (uint32_t c = c0; c < c1; c++) {
				const double *a =
					wk->acc + (size_t)c * 3 * BLOCK;
				wk->t[c] = (a[v] - m * a[BLOCK + v]) / W;
				wk->pres[c] = a[2 * BLOCK + v] > 0;
			}
			double var;
			uint32_t h;
			if (psu_variance(est, c0, c1, wk->t, wk->pres, &var,
					 &h)) {
				job_fail(j, b, ERR_INVALID, h);
				return;
			}
			o->estimate = m;
			o->se = sqrt(var);
		}
	}
}

static void linear_block(struct worker *wk, int b)
{
	struct job *j = wk->job;
	const struct estimator *est = j->est;
	int v0 = b * BLOCK, k = j->nvars - v0 < BLOCK ? j->nvars - v0 : BLOCK;
	int used = 0;
	for (uint32_t g = 0; g < est->ngroups && !used; g++)
		for (int v = 0; v < k; v++)
			used |= j->coef[(size_t)g * j->nvars + v0 + v] != 0;
	if (!used)
		return;
	accumulate(est, j->cols + v0, k, wk->acc);
	pthread_mutex_lock(&j->lock);
	for (uint32_t g = 0; g < est->ngroups; g++) {
		for (int v = 0; v < k; v++) {
			size_t gv = (size_t)g * j->nvars + v0 + v;
			double cf = j->coef[gv];
			const struct est_mean *mv = &j->means[gv];
			if (cf == 0 || mv->n == 0)
				continue;
			double f = cf / mv->weight, m = mv->estimate;
			for (uint32_t c = est->group_first[g];
			     c < est->group_first[g + 1]; c++) {
				const double *a =
					wk->acc + (size_t)c * 3 * BLOCK;
				j->T[c] += f * (a[v] - m * a[BLOCK + v]);
				if (a[2 * BLOCK + v] > 0)
					j->present[c] = 1;
			}
		}
	}
	pthread_mutex_unlock(&j->lock);
}

static void *run_means(void *arg)
{
	struct worker *wk = arg;
	int b;
	while ((b = atomic_fetch_add(&wk->job->next, 1)) < wk->job->nblocks)
		means_block(wk, b);
	return NULL;
}

static void *run_linear(void *arg)
{
	struct worker *wk = arg;
	int b;
	while ((b = atomic_fetch_add(&wk->job->next, 1)) < wk->job->nblocks)
		linear_block(wk, b);
	return NULL;
}

static int thread_count(const struct estimator *est, int nblocks)
{
	int t = est->d.threads;
	if (t <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		t = c > 0 ? (int)c : 1;
	}
	if (t > MAX_THREADS)
		t = MAX_THREADS;
	if (t > nblocks)
		t = nblocks;
	return t < 1 ? 1 : t;
}

/* Runs fn on the blocks of job with as many workers as fit. */
static enum err run_job(struct job *job, void *(*fn)(void *), struct error *e)
{
	const struct estimator *est = job->est;
	struct worker wk[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	int nt = thread_count(est, job->nblocks), started = 0;
	size_t cn = est->ncells ? est->ncells : 1;
	memset(wk, 0, sizeof wk);
	atomic_init(&job->next, 0);
	job->err = ERR_OK;
	job->err_block = job->nblocks;
	pthread_mutex_init(&job->lock, NULL);
	enum err err = ERR_OK;
	for (int i = 0; i < nt; i++) {
		wk[i].job = job;
		wk[i].acc = malloc(cn * 3 * BLOCK * sizeof *wk[i].acc);
		wk[i].t = malloc(cn * sizeof *wk[i].t);
		wk[i].pres = malloc(cn);
		if (!wk[i].acc || !wk[i].t || !wk[i].pres) {
			err = ERR_NOMEM;
			nt = i + 1;
			goto out;
		}
	}
	for (int i = 1; i < nt; i++) {
		if (pthread_create(&th[i], NULL, fn, &wk[i]))
			break;
		started = i;
	}
	fn(&wk[0]);
	for (int i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
out:
	for (int i = 0; i < nt; i++) {
		free(wk[i].acc);
		free(wk[i].t);
		free(wk[i].pres);
	}
	pthread_mutex_destroy(&job->lock);
	if (err)
		return error_set(e, err,
				 "estimation over %u cells: out of memory",
				 est->ncells);
	if (job->err)
		return lonely_error(est, job->err_stratum, e);
	return ERR_OK;
}

enum err estimate_means(const struct estimator *est, const double *const *cols,
			int nvars, struct est_mean *out, struct error *e)
{
	if (nvars <= 0)
		return ERR_OK;
	struct job job = {
		.est = est,
		.cols = cols,
		.nvars = nvars,
		.nblocks = (nvars + BLOCK - 1) / BLOCK,
		.out = out,
	};
	return run_job(&job, run_means, e);
}

enum err estimate_linear(const struct estimator *est, const double *const *cols,
			 int nvars, const struct est_mean *means,
			 const double *coef, double *value, double *se,
			 struct error *e)
{
	size_t cn = est->ncells ? est->ncells : 1;
	struct job job = {
		.est = est,
		.cols = cols,
		.nvars = nvars,
		.nblocks = (nvars + BLOCK - 1) / BLOCK,
		.means = means,
		.coef = coef,
	};
	job.T = calloc(cn, sizeof *job.T);
	job.present = calloc(cn, 1);
	if (!job.T || !job.present) {
		free(job.T);
		free(job.present);
		return error_set(e, ERR_NOMEM, "estimation: out of memory");
	}
	enum err err = nvars > 0 ? run_job(&job, run_linear, e) : ERR_OK;
	for (uint32_t g = 0; g < est->ngroups && !err; g++) {
		double val = 0;
		int ok = 1, any = 0;
		for (int v = 0; v < nvars; v++) {
			size_t gv = (size_t)g * nvars + v;
			if (coef[gv] == 0)
				continue;
			any = 1;
			if (means[gv].n == 0)
				ok = 0;
			else
				val += coef[gv] * means[gv].estimate;
		}
		if (!ok || !any) {
			value[g] = NAN;
			se[g] = NAN;
			continue;
		}
		double var;
		uint32_t h;
		if (psu_variance(est, est->group_first[g],
				 est->group_first[g + 1], job.T, job.present,
				 &var, &h)) {
			err = lonely_error(est, h, e);
			break;
		}
		value[g] = val;
		se[g] = sqrt(var);
	}
	free(job.T);
	free(job.present);
	return err;
}
