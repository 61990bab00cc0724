/* A round's scores per unit and measure, kept for the process under the
 * round's mark (results.h, results_scores). One slot per round id modulo
 * the table, so a province's rounds (consecutive ids) do not push each
 * other out; each slot owns its copy in its own arena, and a reader gets
 * a copy in its own, so a slot replaced under a reader frees nothing the
 * reader holds. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "index_db.h"
#include "results.h"
#include "../base/banned.h"

enum { KEPT_ROUNDS = 1024 };

static struct kept_scores {
	uint64_t mark; /* hash of the mark; 0: empty */
	struct arena arena;
	struct res_scores s;
} kept[KEPT_ROUNDS];
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t mark_hash(long long round, const char *mark)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)round;
	for (; *mark; mark++)
		h = (h ^ (unsigned char)*mark) * 1099511628211ull;
	return h ? h : 1;
}

static void *copy_bytes(struct arena *a, const void *p, size_t n)
{
	void *q = n ? arena_alloc_uninit(a, n) : NULL;
	return q ? memcpy(q, p, n) : NULL;
}

static const char *dupstr(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

/* A copy of from, every string and array of it, in a. */
static bool scores_copy(struct arena *a, const struct res_scores *from,
			struct res_scores *to)
{
	*to = *from;
	to->why = dupstr(a, from->why);
	to->round_name = dupstr(a, from->round_name);
	for (int m = 0; m < RES_MEASURES; m++)
		to->name_vi[m] = dupstr(a, from->name_vi[m]);
	size_t n = (size_t)from->nunits, cells = n * RES_MEASURES;
	if (!n) { /* nothing of from's arrays is kept */
		to->units = NULL;
		to->v = NULL;
		to->tier = NULL;
		to->rank = NULL;
		return true;
	}
	to->units = copy_bytes(a, from->units, sizeof *to->units * n);
	to->v = copy_bytes(a, from->v, sizeof *to->v * cells);
	to->tier = copy_bytes(a, from->tier, sizeof *to->tier * cells);
	to->rank = copy_bytes(a, from->rank, sizeof *to->rank * cells);
	if (!to->units || !to->v || !to->tier || !to->rank)
		return false;
	bool ok = !from->round_name || to->round_name;
	for (size_t u = 0; u < n; u++) {
		to->units[u].name = dupstr(a, from->units[u].name);
		ok = ok && (!from->units[u].name || to->units[u].name);
	}
	return ok;
}

/* The measure (0-7 D1..D8) of a dimension's code, -1 for another. */
static int measure_of_code(const char *code)
{
	return code[0] == 'D' && code[1] >= '1' && code[1] <= '8' && !code[2]
		       ? code[1] - '1'
		       : -1;
}

/* The scores of results r, pointing into r (in a). */
static bool scores_of(struct arena *a, const struct results *r,
		      struct res_scores *s)
{
	s->round_name = r->cx.round.name;
	s->year = r->cx.round.year;
	s->interviews = r->interviews;
	s->nunits = r->nunits;
	s->units = r->units;
	size_t cells = (size_t)r->nunits * RES_MEASURES;
	s->v = arena_alloc(a, sizeof *s->v * (cells + 1));
	s->tier = arena_alloc(a, sizeof *s->tier * (cells + 1));
	s->rank = arena_alloc(a, sizeof *s->rank * (cells + 1));
	if (!s->v || !s->tier || !s->rank)
		return false;
	for (size_t i = 0; i < cells; i++)
		s->v[i] = (struct score_value){
			NAN, NAN, NAN, NAN, SCORE_NO_ANSWERS, 0};
	/* column d of r (r->ndim: the total) goes to measure m */
	for (int d = 0; d <= r->ndim; d++) {
		int m = RES_MEASURES - 1;
		if (d < r->ndim) {
			const struct cat_dimension *cd =
				&r->cx.cat.dimensions[r->dim_cat[d]];
			m = measure_of_code(cd->code);
			if (m < 0)
				continue;
			s->name_vi[m] = cd->name_vi;
		}
		s->scored[m] = true;
		for (int u = 0; u < r->nunits; u++) {
			size_t k = (size_t)u * RES_MEASURES + (size_t)m;
			s->v[k] = d == r->ndim ? r->total[u]
					       : r->dim[u * r->ndim + d];
			s->tier[k] = r->tier[u * (r->ndim + 1) + d];
			s->rank[k] = r->rank[u * (r->ndim + 1) + d];
		}
	}
	return true;
}

/* Estimates round id into out (in a), in an arena of its own: a province
 * reads a hundred rounds, whose estimates do not fit in one request's. */
static enum err estimate(struct db *db, struct arena *a, long long id,
			 struct res_scores *out, struct error *e)
{
	struct arena s;
	arena_init(&s, 64 << 20);
	struct results r;
	struct res_scores tmp = {.round_id = id};
	struct error ce = {0};
	enum err err = results_compute(db, &s, id, &r, &ce);
	if (err == ERR_INVALID || err == ERR_CONFLICT) {
		tmp.err = err;
		tmp.why = ce.msg;
		err = ERR_OK;
	} else if (err) {
		*e = ce;
	} else if (!scores_of(&s, &r, &tmp)) {
		err = error_set(e, ERR_NOMEM, "round %lld: out of memory", id);
	}
	if (!err && !scores_copy(a, &tmp, out))
		err = error_set(e, ERR_NOMEM, "round %lld: out of memory", id);
	arena_release(&s);
	return err;
}

static bool take(long long id, uint64_t h, struct arena *a,
		 struct res_scores *out)
{
	struct kept_scores *k = &kept[(uint64_t)id % KEPT_ROUNDS];
	pthread_mutex_lock(&kept_lock);
	bool hit = k->mark == h && k->s.round_id == id &&
		   scores_copy(a, &k->s, out);
	pthread_mutex_unlock(&kept_lock);
	return hit;
}

static void keep(uint64_t h, const struct res_scores *s)
{
	struct kept_scores *k = &kept[(uint64_t)s->round_id % KEPT_ROUNDS];
	pthread_mutex_lock(&kept_lock);
	arena_release(&k->arena);
	arena_init(&k->arena, 16 << 20);
	k->mark = scores_copy(&k->arena, s, &k->s) ? h : 0;
	pthread_mutex_unlock(&kept_lock);
}

enum err results_scores(struct db *db, struct arena *a, const long long *rounds,
			int n, struct res_scores *out, struct error *e)
{
	struct db_result *marks;
	enum err err = idb_round_marks(db, a, rounds, n, &marks, e);
	for (int i = 0; !err && i < n; i++) {
		const char *mark = NULL;
		for (int q = 0; q < marks->nrows && !mark; q++)
			if (db_get_int(marks, q, "id", 0) == rounds[i])
				mark = db_get(marks, q, "mark");
		if (!mark)
			return error_set(e, ERR_NOTFOUND,
					 "round %lld: not found", rounds[i]);
		uint64_t h = mark_hash(rounds[i], mark);
		if (take(rounds[i], h, a, &out[i]))
			continue;
		err = estimate(db, a, rounds[i], &out[i], e);
		if (!err)
			keep(h, &out[i]);
	}
	return err;
}
