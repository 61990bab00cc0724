#include "estimate.h"
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/banned.h"

enum {
	/* Variables per pass over the rows: they share the reads of the
	 * weights and the run bookkeeping, and their 3 sums per cell fill
	 * one vector each (BLOCK == LANES). */
	BLOCK = 8,
	/* A run longer than this is added up in pieces, so that the
	 * weights of a piece (64 KB) stay in cache for all the block's
	 * columns. */
	TILE = 8192,
	/* Lanes of the vector sums (8 doubles: one AVX-512 register, two
	 * AVX2 ones, four SSE2 ones: the same additions in the same order on
	 * every machine). */
	LANES = 8,
	MAX_THREADS = 8,
};

_Static_assert(BLOCK == LANES, "a cell's sums of a block are one vector");

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

/* The loops over rows and columns, compiled for several instruction sets
 * (see KERNELS below), the best one chosen at run time. */
typedef void sums_fn(const struct estimator *, const double *const *, int,
		     double *, double *, double *);
typedef uint32_t means_fn(const struct estimator *, const double *,
			  const double *, const double *, int,
			  struct est_mean *, size_t);
struct kernel {
	sums_fn *sums;
	means_fn *means;
	size_t (*bad_weight)(const double *w, size_t n);
	size_t (*bad_code)(const uint32_t *code, uint32_t limit, size_t n);
	size_t (*next_change)(const uint32_t *st, const uint32_t *cl,
			      const uint32_t *gr, size_t i, size_t n);
	const char *name;
};
static struct kernel pick_kernel(const char *want);

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void estimator_release(struct estimator *est)
{
	free(est->run_first);
	free(est->run_cell);
	free(est->cell_stratum);
	free(est->group_first);
	free(est->stratum_npsu);
	memset(est, 0, sizeof *est);
}

/* Per-cell and per-PSU scratch of estimator_init. Arrays are sized for
 * the worst case (a cell per row) but malloc'ed, so only the pages of the
 * cells that exist are ever touched. */
struct init_tmp {
	uint32_t *psu_stratum; /* npsu */
	uint32_t *cell_psu;    /* ncells (with clusters) */
	uint32_t *cell_group;  /* ncells */
	uint32_t *cell_stratum, *order, *tmp, *count;
};

static void init_tmp_release(struct init_tmp *t)
{
	free(t->psu_stratum);
	free(t->cell_psu);
	free(t->cell_group);
	free(t->cell_stratum);
	free(t->order);
	free(t->tmp);
	free(t->count);
}

/* The first row with a design code out of range, named in the error. */
static enum err bad_code(const struct kernel *k, const struct est_design *d,
			 const struct estimator *est, struct error *e)
{
	size_t n = d->nrows;
	size_t bs = k->bad_code(d->stratum, est->nstrata, n);
	size_t bg = k->bad_code(d->group, est->ngroups, n);
	size_t bc = k->bad_code(d->cluster, d->nclusters, n);
	size_t bad = bs < bg ? bs : bg;
	bad = bc < bad ? bc : bad;
	return error_set(e, ERR_INTERNAL, "row %zu: design code out of range",
			 bad + 1);
}

/* One pass over the rows: numbers the PSUs and the cells in order of
 * appearance, and cuts the rows into runs of one cell. The rows of a run
 * (a file written cluster by cluster has one per cell) are skipped 16 at
 * a time; only a run's first row is looked up. */
static enum err design_pass(struct estimator *est, struct init_tmp *t,
			    size_t *npsu_out, size_t *ncells_out,
			    struct error *e)
{
	const struct est_design *d = &est->d;
	size_t n = d->nrows, npsu = 0, ncells = 0, nruns = 0;
	uint32_t ng = est->ngroups;
	struct kernel k = pick_kernel(d->kernel);
	size_t bad = k.bad_weight(d->weight, n);
	if (bad < n)
		return error_set(e, ERR_INVALID,
				 "row %zu: weight %g is not positive", bad + 1,
				 d->weight[bad]);
	if (!d->cluster) {
		if (k.bad_code(d->stratum, est->nstrata, n) < n ||
		    k.bad_code(d->group, ng, n) < n)
			return bad_code(&k, d, est, e);
		/* each row its own PSU, so its own cell */
		for (size_t i = 0; i < n; i++) {
			t->psu_stratum[i] = d->stratum ? d->stratum[i] : 0;
			t->cell_group[i] = d->group ? d->group[i] : 0;
			est->run_first[i] = (uint32_t)i;
			est->run_cell[i] = (uint32_t)i;
		}
		est->run_first[n] = (uint32_t)n;
		est->nruns = n;
		*npsu_out = *ncells_out = n;
		return ERR_OK;
	}
	if (k.bad_code(d->stratum, est->nstrata, n) < n ||
	    k.bad_code(d->cluster, d->nclusters, n) < n ||
	    k.bad_code(d->group, ng, n) < n)
		return bad_code(&k, d, est, e);
	struct idmap pm = {0}, cm = {0};
	if (idmap_init(&pm, 1024) || idmap_init(&cm, 1024))
		goto nomem;
	const uint32_t *st = d->stratum, *cl = d->cluster, *gr = d->group;
	uint32_t psu = 0, ps = 0, pc = 0;
	for (size_t i = 0; i < n; i = k.next_change(st, cl, gr, i + 1, n)) {
		/* row i starts a run */
		uint32_t s = st ? st[i] : 0, c = cl[i], g = gr ? gr[i] : 0;
		if (i && c == pc && s == ps) {
			/* the same PSU, another group */
		} else {
			int64_t id =
				idmap_get(&pm, (uint64_t)s * d->nclusters + c);
			if (id < 0)
				goto nomem;
			psu = (uint32_t)id;
			if ((size_t)id == npsu)
				t->psu_stratum[npsu++] = s;
		}
		ps = s;
		pc = c;
		int64_t id = idmap_get(&cm, (uint64_t)psu * ng + g);
		if (id < 0)
			goto nomem;
		if ((size_t)id == ncells) {
			t->cell_psu[ncells] = psu;
			t->cell_group[ncells++] = g;
		}
		est->run_first[nruns] = (uint32_t)i;
		est->run_cell[nruns++] = (uint32_t)id;
	}
	est->run_first[nruns] = (uint32_t)n;
	est->nruns = nruns;
	idmap_release(&pm);
	idmap_release(&cm);
	*npsu_out = npsu;
	*ncells_out = ncells;
	return ERR_OK;
nomem:
	idmap_release(&pm);
	idmap_release(&cm);
	return error_set(e, ERR_NOMEM, "estimation of %zu rows: out of memory",
			 n);
}

enum err estimator_init(struct estimator *est, const struct est_design *d,
			struct error *e)
{
	double t0 = d->timing ? now() : 0;
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
	size_t n1 = n ? n : 1;
	struct init_tmp t = {0};
	size_t npsu = 0, ncells = 0;
	enum err err;
	est->run_first = malloc((n1 + 1) * sizeof *est->run_first);
	est->run_cell = malloc(n1 * sizeof *est->run_cell);
	est->stratum_npsu = calloc(ns, sizeof *est->stratum_npsu);
	est->group_first = calloc((size_t)ng + 1, sizeof *est->group_first);
	t.psu_stratum = malloc(n1 * sizeof *t.psu_stratum);
	t.cell_group = malloc(n1 * sizeof *t.cell_group);
	t.cell_psu = d->cluster ? malloc(n1 * sizeof *t.cell_psu) : NULL;
	if (!est->run_first || !est->run_cell || !est->stratum_npsu ||
	    !est->group_first || !t.psu_stratum || !t.cell_group ||
	    (d->cluster && !t.cell_psu))
		goto nomem;
	err = design_pass(est, &t, &npsu, &ncells, e);
	if (err) {
		init_tmp_release(&t);
		estimator_release(est);
		return err;
	}
	double t1 = d->timing ? now() : 0;
	/* The run arrays were sized for a run per row: give back the rest
	 * (to the heap, for the estimation's own arrays). */
	uint32_t *rf = realloc(est->run_first,
			       (est->nruns + 1) * sizeof *est->run_first);
	uint32_t *rc = realloc(est->run_cell, (est->nruns ? est->nruns : 1) *
						      sizeof *est->run_cell);
	if (rf)
		est->run_first = rf;
	if (rc)
		est->run_cell = rc;
	est->npsu = npsu;
	est->ncells = (uint32_t)ncells;
	for (size_t p = 0; p < npsu; p++)
		est->stratum_npsu[t.psu_stratum[p]]++;

	/* Order cells by (group, stratum): two stable counting sorts. */
	size_t cn = ncells ? ncells : 1;
	t.cell_stratum = malloc(cn * sizeof *t.cell_stratum);
	t.order = malloc(cn * sizeof *t.order);
	t.tmp = malloc(cn * sizeof *t.tmp);
	size_t nkeys = (ns > ng ? ns : ng) + 1;
	t.count = malloc(nkeys * sizeof *t.count);
	est->cell_stratum = malloc(cn * sizeof *est->cell_stratum);
	if (!t.cell_stratum || !t.order || !t.tmp || !t.count ||
	    !est->cell_stratum)
		goto nomem;
	for (size_t c = 0; c < ncells; c++) {
		t.cell_stratum[c] =
			t.psu_stratum[t.cell_psu ? t.cell_psu[c] : c];
		t.tmp[c] = (uint32_t)c;
	}
	const uint32_t *keyof[2] = {t.cell_stratum, t.cell_group};
	uint32_t nk[2] = {ns, ng};
	for (int pass = 0; pass < 2; pass++) {
		memset(t.count, 0, nkeys * sizeof *t.count);
		for (size_t c = 0; c < ncells; c++)
			t.count[keyof[pass][t.tmp[c]] + 1]++;
		for (uint32_t k = 0; k < nk[pass]; k++)
			t.count[k + 1] += t.count[k];
		for (size_t c = 0; c < ncells; c++)
			t.order[t.count[keyof[pass][t.tmp[c]]]++] = t.tmp[c];
		uint32_t *sw = t.tmp;
		t.tmp = t.order;
		t.order = sw;
	}
	/* tmp[new] = old; order[old] = new */
	for (size_t c = 0; c < ncells; c++)
		t.order[t.tmp[c]] = (uint32_t)c;
	for (size_t r = 0; r < est->nruns; r++)
		est->run_cell[r] = t.order[est->run_cell[r]];
	for (size_t c = 0; c < ncells; c++) {
		est->cell_stratum[c] = t.cell_stratum[t.tmp[c]];
		est->group_first[t.cell_group[t.tmp[c]] + 1]++;
	}
	for (uint32_t g = 0; g < ng; g++)
		est->group_first[g + 1] += est->group_first[g];
	init_tmp_release(&t);
	if (d->timing) {
		double t2 = now();
		d->timing->design_s = t1 - t0;
		d->timing->order_s = t2 - t1;
	}
	return ERR_OK;
nomem:
	init_tmp_release(&t);
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

/* The pass: for k <= BLOCK columns, the sums of w*x, of w and the count
 * of answers per cell and column: S[c * BLOCK + j], W[...], N[...].
 * Missing answers are NaN, masked without a branch (x == x). Run by run
 * (cut into pieces of at most TILE rows), the block's columns advance
 * together LANES rows at a time, each in its own vector sums; at the
 * run's end the columns' lanes are folded together (a transpose that
 * adds) and go to the cell in one vector addition. The order of the
 * additions depends only on the runs, so every thread count and every
 * instruction set gives the same bits. */
typedef double vd __attribute__((vector_size(LANES * sizeof(double))));
typedef long long vl __attribute__((vector_size(LANES * sizeof(long long))));

/* Lanes to keep in the last, overlapping vector of a run: load LANES
 * from tail_keep + LANES - done to drop the first `done` (1 to LANES). */
static const long long tail_keep[2 * LANES] = {0,  0,  0,  0,  0,  0,  0,  0,
					       -1, -1, -1, -1, -1, -1, -1, -1};

/* The LANES rows from row i of each of the block's BLOCK columns into
 * their sums, the lanes not in keep (when given) left out. The columns
 * advance together: the loop over a run's rows is the same for all of
 * them (one branch to predict per run, not per run and column). */
static inline __attribute__((always_inline)) void
add_rows(const double *const *x, const double *w, size_t i, const vl *keep,
	 vd *vs, vd *vw, vl *vn)
{
	vd wv;
	memcpy(&wv, w + i, sizeof wv);
	for (int j = 0; j < BLOCK; j++) {
		vd xv;
		memcpy(&xv, x[j] + i, sizeof xv);
		vl m = (vl)(xv == xv);
		if (keep)
			m &= *keep;
		vd xm = (vd)(m & (vl)xv);
		vd wm = (vd)(m & (vl)wv);
		vd p = wm * xm;
		vs[j] += p;
		vw[j] += wm;
		vn[j] -= m;
	}
}

/* Lane j of the result: the sum of the lanes of a[j], always added as
 * ((0 + 4) + (2 + 6)) + ((1 + 5) + (3 + 7)). */
#define FOLD(T, a, out)                                                        \
	do {                                                                   \
		T f0 = __builtin_shufflevector(a[0], a[1], 0, 1, 2, 3, 8, 9,   \
					       10, 11) +                       \
		       __builtin_shufflevector(a[0], a[1], 4, 5, 6, 7, 12, 13, \
					       14, 15);                        \
		T f1 = __builtin_shufflevector(a[2], a[3], 0, 1, 2, 3, 8, 9,   \
					       10, 11) +                       \
		       __builtin_shufflevector(a[2], a[3], 4, 5, 6, 7, 12, 13, \
					       14, 15);                        \
		T f2 = __builtin_shufflevector(a[4], a[5], 0, 1, 2, 3, 8, 9,   \
					       10, 11) +                       \
		       __builtin_shufflevector(a[4], a[5], 4, 5, 6, 7, 12, 13, \
					       14, 15);                        \
		T f3 = __builtin_shufflevector(a[6], a[7], 0, 1, 2, 3, 8, 9,   \
					       10, 11) +                       \
		       __builtin_shufflevector(a[6], a[7], 4, 5, 6, 7, 12, 13, \
					       14, 15);                        \
		T g0 = __builtin_shufflevector(f0, f1, 0, 1, 4, 5, 8, 9, 12,   \
					       13) +                           \
		       __builtin_shufflevector(f0, f1, 2, 3, 6, 7, 10, 11, 14, \
					       15);                            \
		T g1 = __builtin_shufflevector(f2, f3, 0, 1, 4, 5, 8, 9, 12,   \
					       13) +                           \
		       __builtin_shufflevector(f2, f3, 2, 3, 6, 7, 10, 11, 14, \
					       15);                            \
		out = __builtin_shufflevector(g0, g1, 0, 2, 4, 6, 8, 10, 12,   \
					      14) +                            \
		      __builtin_shufflevector(g0, g1, 1, 3, 5, 7, 9, 11, 13,   \
					      15);                             \
	} while (0)

static inline __attribute__((always_inline)) void add_vec(double *p,
							  const vd *v)
{
	vd a;
	memcpy(&a, p, sizeof a);
	a += *v;
	memcpy(p, &a, sizeof a);
}

static inline __attribute__((always_inline)) void
sums_body(const struct estimator *est, const double *const *cols, int k,
	  double *S, double *W, double *N)
{
	const double *w = est->d.weight;
	const uint32_t *rf = est->run_first, *rc = est->run_cell;
	/* a partial block repeats its first column: the extra lanes' sums
	 * are never read */
	const double *x[BLOCK];
	for (int j = 0; j < BLOCK; j++)
		x[j] = cols[j < k ? j : 0];
	for (size_t r = 0; r < est->nruns; r++) {
		size_t c = rc[r];
		for (size_t a = rf[r], end = rf[r + 1]; a < end; a += TILE) {
			size_t b = end - a > TILE ? a + TILE : end;
			if (b - a >= LANES) {
				vd vs[BLOCK], vw[BLOCK];
				vl vn[BLOCK];
				for (int j = 0; j < BLOCK; j++) {
					vs[j] = vw[j] = (vd){0};
					vn[j] = (vl){0};
				}
				size_t i = a;
				for (; i + LANES <= b; i += LANES)
					add_rows(x, w, i, NULL, vs, vw, vn);
				/* the last LANES rows, without those added
				 * (all of them when the run is whole vectors):
				 * no branch on the run's length */
				vl keep;
				memcpy(&keep,
				       tail_keep + LANES - (i - (b - LANES)),
				       sizeof keep);
				add_rows(x, w, b - LANES, &keep, vs, vw, vn);
				vd fs, fw;
				vl fn;
				FOLD(vd, vs, fs);
				FOLD(vd, vw, fw);
				FOLD(vl, vn, fn);
				vd fnd = __builtin_convertvector(fn, vd);
				add_vec(S + c * BLOCK, &fs);
				add_vec(W + c * BLOCK, &fw);
				add_vec(N + c * BLOCK, &fnd);
				continue;
			}
			/* a short run (rows out of order: one per row) */
			for (int j = 0; j < k; j++) {
				const double *xj = cols[j];
				double s = 0, sw = 0, sn = 0;
				for (size_t i = a; i < b; i++) {
					double xi = xj[i];
					int ok = xi == xi;
					double wm = ok ? w[i] : 0;
					double p = wm * (ok ? xi : 0);
					s += p;
					sw += wm;
					sn += ok;
				}
				S[c * BLOCK + j] += s;
				W[c * BLOCK + j] += sw;
				N[c * BLOCK + j] += sn;
			}
		}
	}
}

/* Means and SEs of a block's k <= BLOCK variables in every group, from
 * the sums of the pass (S, W, N: BLOCK per cell), the variables in the
 * vector lanes: the formula of estimate.h lane by lane. A cell without an
 * answer to a variable has t = 0, so the PSUs of a stratum without a
 * member in the domain can be summed as n_h - (cells) zeros:
 *   ss_h = sum over the group's cells of (t - mean)^2
 *          + (n_h - cells) mean^2,   mean = sum t / n_h,
 * and a stratum without any answer adds 0. out[g * nvars + j]. Returns
 * UINT32_MAX, or under LONELY_FAIL the smallest lonely stratum that has
 * an answer (whatever the blocks, the same stratum is named). */
static inline __attribute__((always_inline)) uint32_t
means_body(const struct estimator *est, const double *S, const double *W,
	   const double *N, int k, struct est_mean *out, size_t nvars)
{
	const uint32_t *cs = est->cell_stratum;
	uint32_t bad = UINT32_MAX;
	for (uint32_t g = 0; g < est->ngroups; g++) {
		uint32_t c0 = est->group_first[g], c1 = est->group_first[g + 1];
		vd Sg = {0}, Wg = {0}, Ng = {0};
		for (uint32_t c = c0; c < c1; c++) {
			vd x;
			memcpy(&x, S + (size_t)c * BLOCK, sizeof x);
			Sg += x;
			memcpy(&x, W + (size_t)c * BLOCK, sizeof x);
			Wg += x;
			memcpy(&x, N + (size_t)c * BLOCK, sizeof x);
			Ng += x;
		}
		vd m = Sg / Wg, var = {0};
		for (uint32_t c = c0, end; c < c1; c = end) {
			uint32_t h = cs[c];
			vd sum = {0}, cnt = {0};
			for (end = c; end < c1 && cs[end] == h; end++) {
				vd sc, wc, nc;
				memcpy(&sc, S + (size_t)end * BLOCK, sizeof sc);
				memcpy(&wc, W + (size_t)end * BLOCK, sizeof wc);
				memcpy(&nc, N + (size_t)end * BLOCK, sizeof nc);
				vd mw = m * wc;
				vd t = (sc - mw) / Wg;
				sum += t;
				cnt += nc;
			}
			uint32_t nh = est->stratum_npsu[h];
			if (nh > 1) {
				vd mean = sum / (double)nh, ss = {0};
				for (uint32_t j = c; j < end; j++) {
					vd sc, wc;
					memcpy(&sc, S + (size_t)j * BLOCK,
					       sizeof sc);
					memcpy(&wc, W + (size_t)j * BLOCK,
					       sizeof wc);
					vd mw = m * wc;
					vd t = (sc - mw) / Wg;
					vd dv = t - mean;
					vd sq = dv * dv;
					ss += sq;
				}
				vd mm = mean * mean;
				vd absent = mm * (double)(nh - (end - c));
				ss += absent;
				vd f = ss * (double)nh;
				var += f / (double)(nh - 1);
				continue;
			}
			switch (est->d.lonely) {
			case LONELY_FAIL:
				for (int j = 0; j < k; j++)
					if (cnt[j] > 0 && h < bad)
						bad = h;
				break;
			case LONELY_CERTAINTY:
			case LONELY_REMOVE: break;
			case LONELY_ADJUST: {
				vd sq = sum * sum;
				var += sq;
				break;
			}
			}
		}
		for (int j = 0; j < k; j++) {
			struct est_mean *o = out + (size_t)g * nvars + j;
			o->n = (uint64_t)Ng[j];
			o->weight = Wg[j];
			o->estimate = Ng[j] > 0 ? m[j] : NAN;
			o->se = Ng[j] > 0 ? sqrt(var[j]) : NAN;
		}
	}
	return bad;
}

/* Vectors for the checks and scans of estimator_init (16 codes, 8
 * weights); written once, the compiler maps them to the machine's. */
typedef uint32_t vcode __attribute__((vector_size(64)));
typedef double vweight __attribute__((vector_size(64)));
typedef long long vmask __attribute__((vector_size(64)));
enum { CODE_LANES = 16, WEIGHT_LANES = 8 };

/* The first row whose weight is not positive and finite, or n. The
 * common case, every weight good, is one vector pass. */
static inline __attribute__((always_inline)) size_t
bad_weight_body(const double *w, size_t n)
{
	/* one comparison per accumulator: compilers keep these in vector
	 * registers (two comparisons combined, GCC 12 goes lane by lane) */
	vmask pos = ~(vmask){0}, fin = ~(vmask){0};
	const vweight zero = {0}, big = {DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX,
					 DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX};
	size_t i = 0;
	for (; i + WEIGHT_LANES <= n; i += WEIGHT_LANES) {
		vweight x;
		memcpy(&x, w + i, sizeof x);
		pos &= (vmask)(x > zero);
		fin &= (vmask)(x <= big);
	}
	int any = 0;
	for (int j = 0; j < WEIGHT_LANES; j++)
		any |= !pos[j] | !fin[j];
	for (; i < n; i++)
		any |= !(w[i] > 0 && w[i] <= DBL_MAX);
	if (!any)
		return n;
	for (i = 0; i < n; i++)
		if (!(w[i] > 0 && w[i] <= DBL_MAX))
			return i;
	return n;
}

/* The first row j >= i (i >= 1) whose stratum, cluster or group differs
 * from row j - 1's, or n: a run's rows are skipped 16 at a time. st, gr
 * may be NULL. */
static inline __attribute__((always_inline)) size_t
next_change_body(const uint32_t *st, const uint32_t *cl, const uint32_t *gr,
		 size_t i, size_t n)
{
	for (; i + CODE_LANES <= n; i += CODE_LANES) {
		vcode a, b, d;
		memcpy(&a, cl + i, sizeof a);
		memcpy(&b, cl + i - 1, sizeof b);
		d = a ^ b;
		if (st) {
			memcpy(&a, st + i, sizeof a);
			memcpy(&b, st + i - 1, sizeof b);
			d |= a ^ b;
		}
		if (gr) {
			memcpy(&a, gr + i, sizeof a);
			memcpy(&b, gr + i - 1, sizeof b);
			d |= a ^ b;
		}
		/* any lane set: an OR tree over 8 wide lanes (lane by lane,
		 * compilers extract all 16) */
		vmask q = (vmask)d;
		q |= __builtin_shufflevector(q, q, 4, 5, 6, 7, 0, 1, 2, 3);
		q |= __builtin_shufflevector(q, q, 2, 3, 0, 1, 6, 7, 4, 5);
		q |= __builtin_shufflevector(q, q, 1, 0, 3, 2, 5, 4, 7, 6);
		if (q[0])
			break;
	}
	for (; i < n; i++)
		if (cl[i] != cl[i - 1] || (st && st[i] != st[i - 1]) ||
		    (gr && gr[i] != gr[i - 1]))
			return i;
	return n;
}

/* The first row whose code is >= limit, or n (one vector pass when
 * every code is good). */
static inline __attribute__((always_inline)) size_t
bad_code_body(const uint32_t *code, uint32_t limit, size_t n)
{
	if (!code)
		return n;
	vcode bad = {0}, lim = limit - (vcode){0};
	size_t i = 0;
	for (; i + CODE_LANES <= n; i += CODE_LANES) {
		vcode x;
		memcpy(&x, code + i, sizeof x);
		bad |= (vcode)(x >= lim);
	}
	uint32_t any = 0;
	for (int j = 0; j < CODE_LANES; j++)
		any |= bad[j];
	for (; i < n; i++)
		any |= code[i] >= limit;
	if (!any)
		return n;
	for (size_t i = 0; i < n; i++)
		if (code[i] >= limit)
			return i;
	return n;
}

/* The kernels compiled for one instruction set. */
#define KERNELS(isa, attr)                                                     \
	attr static void sums_##isa(const struct estimator *est,               \
				    const double *const *cols, int k,          \
				    double *S, double *W, double *N)           \
	{                                                                      \
		sums_body(est, cols, k, S, W, N);                              \
	}                                                                      \
	attr static uint32_t means_##isa(                                      \
		const struct estimator *est, const double *S, const double *W, \
		const double *N, int k, struct est_mean *out, size_t nvars)    \
	{                                                                      \
		return means_body(est, S, W, N, k, out, nvars);                \
	}                                                                      \
	attr static size_t bad_weight_##isa(const double *w, size_t n)         \
	{                                                                      \
		return bad_weight_body(w, n);                                  \
	}                                                                      \
	attr static size_t bad_code_##isa(const uint32_t *code,                \
					  uint32_t limit, size_t n)            \
	{                                                                      \
		return bad_code_body(code, limit, n);                          \
	}                                                                      \
	attr static size_t next_change_##isa(                                  \
		const uint32_t *st, const uint32_t *cl, const uint32_t *gr,    \
		size_t i, size_t n)                                            \
	{                                                                      \
		return next_change_body(st, cl, gr, i, n);                     \
	}

KERNELS(generic, )
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_X86_KERNELS 1
/* The same code for wider vectors, chosen at run time. */
KERNELS(avx2, __attribute__((target("avx2"))))
KERNELS(avx512, __attribute__((target("avx512f,avx512dq"))))
#endif

#define KERNEL(isa)                                                            \
	(struct kernel)                                                        \
	{                                                                      \
		sums_##isa, means_##isa, bad_weight_##isa, bad_code_##isa,     \
			next_change_##isa, #isa                                \
	}

/* The best the machine has, or want (when the machine has it). */
static struct kernel pick_kernel(const char *want)
{
	bool any = !want;
#ifdef HAVE_X86_KERNELS
	__builtin_cpu_init();
	if ((any || !strcmp(want, "avx512")) &&
	    __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512dq"))
		return KERNEL(avx512);
	if ((any || !strcmp(want, "avx2")) && __builtin_cpu_supports("avx2"))
		return KERNEL(avx2);
#endif
	return KERNEL(generic);
}

/* Work shared by the threads: blocks of variables taken in turn. */
struct job {
	const struct estimator *est;
	const double *const *cols;
	int nvars, nblocks;
	struct kernel kernel;
	atomic_int next;
	/* means */
	struct est_mean *out;
	/* linear: per-variable multipliers and the shared result */
	const struct est_mean *means;
	const double *coef;
	pthread_mutex_t lock;
	double *T;              /* ncells: combined totals */
	unsigned char *present; /* ncells */
	/* the failure with the smallest stratum */
	uint32_t err_stratum;
	enum err err;
	bool timing;
};

struct worker {
	struct job *job;
	double *S, *W, *N; /* BLOCK x ncells each */
	double *t;
	unsigned char *pres;
	double sums_s, variance_s;
};

/* Keeps the smallest failing stratum: the same whatever the threads. */
static void job_fail(struct job *j, uint32_t h)
{
	pthread_mutex_lock(&j->lock);
	if (j->err == ERR_OK || h < j->err_stratum) {
		j->err = ERR_INVALID;
		j->err_stratum = h;
	}
	pthread_mutex_unlock(&j->lock);
}

/* Variables [*v0, *v0 + return) of block b: blocks differ by one at most. */
static int block_vars(const struct job *j, int b, int *v0)
{
	*v0 = (int)((long long)b * j->nvars / j->nblocks);
	return (int)((long long)(b + 1) * j->nvars / j->nblocks) - *v0;
}

/* The block's sums into the worker's arrays. */
static void block_sums(struct worker *wk, int v0, int k)
{
	struct job *j = wk->job;
	size_t nc = j->est->ncells;
	double t0 = j->timing ? now() : 0;
	memset(wk->S, 0, nc * BLOCK * sizeof *wk->S);
	memset(wk->W, 0, nc * BLOCK * sizeof *wk->W);
	memset(wk->N, 0, nc * BLOCK * sizeof *wk->N);
	j->kernel.sums(j->est, j->cols + v0, k, wk->S, wk->W, wk->N);
	if (j->timing)
		wk->sums_s += now() - t0;
}

static void means_block(struct worker *wk, int b)
{
	struct job *j = wk->job;
	int v0, k = block_vars(j, b, &v0);
	block_sums(wk, v0, k);
	double t0 = j->timing ? now() : 0;
	uint32_t h = j->kernel.means(j->est, wk->S, wk->W, wk->N, k,
				     j->out + v0, (size_t)j->nvars);
	if (h != UINT32_MAX)
		job_fail(j, h);
	if (j->timing)
		wk->variance_s += now() - t0;
}

static void linear_block(struct worker *wk, int b)
{
	struct job *j = wk->job;
	const struct estimator *est = j->est;
	int v0, k = block_vars(j, b, &v0);
	int used = 0;
	for (uint32_t g = 0; g < est->ngroups && !used; g++)
		for (int v = 0; v < k; v++)
			used |= j->coef[(size_t)g * j->nvars + v0 + v] != 0;
	if (!used)
		return;
	block_sums(wk, v0, k);
	pthread_mutex_lock(&j->lock);
	for (uint32_t g = 0; g < est->ngroups; g++) {
		for (int v = 0; v < k; v++) {
			size_t gv = (size_t)g * j->nvars + v0 + v;
			double cf = j->coef[gv];
			const struct est_mean *mv = &j->means[gv];
			if (cf == 0 || mv->n == 0)
				continue;
			const double *Sv = wk->S + v, *Wv = wk->W + v,
				     *Nv = wk->N + v;
			double f = cf / mv->weight, m = mv->estimate;
			for (uint32_t c = est->group_first[g];
			     c < est->group_first[g + 1]; c++) {
				j->T[c] +=
					f * (Sv[c * BLOCK] - m * Wv[c * BLOCK]);
				if (Nv[c * BLOCK] > 0)
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

/* By default a thread per core, but one per SMALL_WORK numbers at most:
 * below that, starting a thread and waiting for it (on a busy machine,
 * for the scheduler to run it) costs about what it saves. */
enum { SMALL_WORK = 1 << 22 };

static int thread_count(const struct estimator *est, int nvars)
{
	int t = est->d.threads;
	if (t <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		size_t most = est->d.nrows * (size_t)nvars / SMALL_WORK;
		t = c > 0 ? (int)c : 1;
		if ((size_t)t > most)
			t = most ? (int)most : 1;
	}
	if (t > MAX_THREADS)
		t = MAX_THREADS;
	if (t > nvars)
		t = nvars;
	return t < 1 ? 1 : t;
}

/* Runs fn on the blocks of job with as many workers as fit. Blocks: a
 * multiple of the threads, each of at most BLOCK variables, so that the
 * threads finish together. */
static enum err run_job(struct job *job, void *(*fn)(void *), struct error *e)
{
	const struct estimator *est = job->est;
	struct worker wk[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	int nt = thread_count(est, job->nvars), started = 0;
	int per = (job->nvars + nt * BLOCK - 1) / (nt * BLOCK);
	job->nblocks = nt * per < job->nvars ? nt * per : job->nvars;
	size_t cn = est->ncells ? est->ncells : 1;
	memset(wk, 0, sizeof wk);
	atomic_init(&job->next, 0);
	job->kernel = pick_kernel(est->d.kernel);
	job->timing = est->d.timing != NULL;
	job->err = ERR_OK;
	pthread_mutex_init(&job->lock, NULL);
	enum err err = ERR_OK;
	for (int i = 0; i < nt; i++) {
		wk[i].job = job;
		wk[i].S = malloc(cn * BLOCK * sizeof *wk[i].S);
		wk[i].W = malloc(cn * BLOCK * sizeof *wk[i].W);
		wk[i].N = malloc(cn * BLOCK * sizeof *wk[i].N);
		wk[i].t = malloc(cn * sizeof *wk[i].t);
		wk[i].pres = malloc(cn);
		if (!wk[i].S || !wk[i].W || !wk[i].N || !wk[i].t ||
		    !wk[i].pres) {
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
	if (est->d.timing) {
		struct est_timing *t = est->d.timing;
		t->threads = started + 1;
		t->kernel = job->kernel.name;
		t->sums_s = t->variance_s = 0;
		for (int i = 0; i <= started; i++) {
			t->sums_s += wk[i].sums_s;
			t->variance_s += wk[i].variance_s;
		}
	}
out:
	for (int i = 0; i < nt; i++) {
		free(wk[i].S);
		free(wk[i].W);
		free(wk[i].N);
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
	double t0 = est->d.timing ? now() : 0;
	struct job job = {
		.est = est,
		.cols = cols,
		.nvars = nvars,
		.out = out,
	};
	enum err err = run_job(&job, run_means, e);
	if (est->d.timing)
		est->d.timing->means_s = now() - t0;
	return err;
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
