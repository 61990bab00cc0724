/* The demo survey round: frame, draw, interviews (demo_round.h).
 *
 * Answers come from a seeded generator: each village has a "quality"
 * that moves every answer a little and one dimension where it is weak, so
 * the villages differ the way real ones do; about 4% of answers are
 * "don't know" (98) where the question allows it; skip rules are
 * followed. One drawn village gets fewer interviews than the round's
 * minimum, so the pages show a unit without a score and why. */
#include "demo_round.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "interview_db.h"
#include "round.h"
#include "../people/people.h"
#include "../base/banned.h"

enum { PEOPLE_PER_VILLAGE = 60, DEMO_QUOTA = 16, DEMO_SHORT = 8 };

struct demo_rng {
	uint64_t s;
};

static uint64_t next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(struct demo_rng *r)
{
	return (double)(next(r) >> 11) / 9007199254740992.0;
}

static int pick(struct demo_rng *r, int n)
{
	return (int)(unif(r) * n);
}

static const char *const family[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng",
				     "Vũ",     "Đặng", "Bùi", "Đỗ",   "Ngô"};
static const char *const middle_m[] = {"Văn", "Đức", "Minh", "Quang", "Hữu"};
static const char *const middle_f[] = {"Thị", "Thu", "Ngọc", "Thanh", "Thị"};
static const char *const given_m[] = {"An",  "Bình",  "Cường", "Dũng",
				      "Hải", "Hùng",  "Khánh", "Long",
				      "Nam", "Phong", "Sơn",   "Tuấn"};
static const char *const given_f[] = {"Anh",  "Chi", "Dung", "Hà",
				      "Hằng", "Hoa", "Lan",  "Linh",
				      "Mai",  "Nga", "Thảo", "Yến"};
#define NOF(x) ((int)(sizeof(x) / sizeof *(x)))

struct buf {
	char *p;
	size_t n, cap;
};

static bool put(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool put(struct buf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(b->p ? b->p + b->n : NULL,
				  b->p ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		if (k < 0)
			return false;
		if (b->p && b->n + (size_t)k < b->cap) {
			b->n += (size_t)k;
			return true;
		}
		size_t cap = b->cap ? b->cap * 2 : 65536;
		while (cap < b->n + (size_t)k + 1)
			cap *= 2;
		if (cap > (64u << 20))
			return false; /* the demo is small: a runaway */
		char *p = realloc(b->p, cap);
		if (!p)
			return false;
		b->p = p;
		b->cap = cap;
	}
}

/* One answer to q for a person of a village of quality qual (-1..1). */
static const char *answer(struct arena *a, struct demo_rng *r,
			  const struct cat_question *q, double qual)
{
	if (strstr(q->missing_codes, "98") && unif(r) < 0.04)
		return "98";
	double good = 0.6 + 0.25 * qual + 0.15 * (unif(r) - 0.5);
	if (good < 0.02)
		good = 0.02;
	if (good > 0.98)
		good = 0.98;
	/* where a high answer is worse, a good village answers low */
	double p = q->direction == DIRECTION_LOWER_BETTER ? 1 - good : good;
	/* filters ("have you been to...?"): most have, so that follow-ups
	 * have enough answers in a village of 16 */
	if (q->direction == DIRECTION_DESCRIPTIVE)
		p = 0.9;
	switch (q->type) {
	case ANSWER_YES_NO: return unif(r) < p ? "1" : "0";
	case ANSWER_SCALE:
	case ANSWER_CHOICE:
	case ANSWER_COUNT: {
		int lo = (int)q->lower, hi = (int)q->upper;
		if (q->type == ANSWER_COUNT && hi - lo > 10)
			hi = lo + 10; /* days, visits: keep them small */
		int k = 0, span = hi - lo;
		for (int t = 0; t < span; t++)
			k += unif(r) < p;
		return arena_printf(a, "%d", lo + k);
	}
	case ANSWER_AMOUNT:
		return arena_printf(
			a, "%d",
			(int)(unif(r) < p ? 10 + pick(r, 40) : pick(r, 5)));
	}
	return "";
}

static long long find_scope(struct db *db, struct arena *a, struct error *e)
{
	json_t *ch = NULL;
	if (round_scope_choices(db, a, &ch, e))
		return 0;
	long long id = 0;
	size_t i;
	json_t *x;
	json_array_foreach(ch, i, x)
	{
		const char *kind =
			json_string_value(json_object_get(x, "kind"));
		const char *name =
			json_string_value(json_object_get(x, "full_name"));
		if (!kind || strcmp(kind, "commune"))
			continue;
		if (!id || (name && strstr(name, "Tiên Tiến")))
			id = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(ch);
	if (!id)
		error_set(e, ERR_NOTFOUND,
			  "demo round: no commune with villages");
	return id;
}

static bool round_exists(struct db *db, struct arena *a, long long *id,
			 struct error *e)
{
	json_t *list = NULL;
	if (round_list(db, a, &list, e))
		return false;
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		const char *n = json_string_value(json_object_get(x, "name"));
		if (n && !strcmp(n, DEMO_ROUND_NAME))
			*id = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(list);
	return *id != 0;
}

static enum err frame(struct db *db, struct arena *a, struct demo_rng *r,
		      const struct papi_actor *who, long long round,
		      const struct iv_village *v, int nv, struct error *e)
{
	struct buf u = {0}, p = {0};
	bool ok = put(&u, "unit,population,is_seat\r\n") &&
		  put(&p,
		      "unit,person_id,full_name,gender,birth_year,address\r\n");
	for (int i = 0; i < nv && ok; i++) {
		ok = put(&u, "%lld,%d,%d\r\n", v[i].id, 600 + pick(r, 900),
			 i == 0);
		for (int k = 0; k < PEOPLE_PER_VILLAGE && ok; k++) {
			bool f = unif(r) < 0.5;
			ok = put(&p,
				 "%lld,P%lld-%03d,%s %s %s,%s,%d,\"Xóm %d, "
				 "%s\"\r\n",
				 v[i].id, v[i].id, k + 1,
				 family[pick(r, NOF(family))],
				 f ? middle_f[pick(r, NOF(middle_f))]
				   : middle_m[pick(r, NOF(middle_m))],
				 f ? given_f[pick(r, NOF(given_f))]
				   : given_m[pick(r, NOF(given_m))],
				 f ? "female" : "male", 1956 + pick(r, 52),
				 1 + pick(r, 4), v[i].name);
		}
	}
	enum err err =
		ok ? ERR_OK : error_set(e, ERR_NOMEM, "demo round: frame");
	struct frame_report rep;
	struct problems pr = {0};
	if (!err)
		err = round_frame_import(db, a, who, round, u.p, u.n, &rep, &pr,
					 e);
	if (!err)
		err = round_frame_import(db, a, who, round, p.p, p.n, &rep, &pr,
					 e);
	free(u.p);
	free(p.p);
	return err;
}

/* The interviews of the drawn people as an import file. */
static enum err interviews(struct db *db, struct arena *a, struct demo_rng *r,
			   long long round, int *count, struct error *e)
{
	struct iv_context cx;
	json_t *people = NULL;
	enum err err = iv_context_load(db, a, round, &cx, e);
	if (!err)
		err = round_sample_people(db, a, round, 0, &people, e);
	if (err)
		return err;
	const struct catalogue *c = &cx.cat;
	struct buf b = {0};
	/* person: each interview is a drawn person's, so that the contacts
	 * say "interviewed" and the villages show their progress */
	bool ok = put(&b, "id,person,village,gender,age,weight");
	for (int q = 0; q < c->nquestions && ok; q++)
		ok = put(&b, ",%s", c->questions[q].code);
	ok = ok && put(&b, "\r\n");
	const char **vals =
		arena_alloc(a, sizeof *vals * (size_t)(c->nquestions + 1));
	if (!vals)
		ok = false;
	/* the village's quality and its weak dimension, by the order the
	 * villages were drawn in */
	long long cur = 0;
	int done = 0, nvill = 0, quota = 0;
	double qual = 0;
	int weak = 0;
	size_t i;
	json_t *x;
	*count = 0;
	json_array_foreach(people, i, x)
	{
		if (!ok)
			break;
		long long unit =
			json_integer_value(json_object_get(x, "unit_id"));
		if (unit != cur) {
			cur = unit;
			done = 0;
			nvill++;
			qual = -0.8 + 1.6 * unif(r);
			weak = pick(r, c->ndimensions ? c->ndimensions : 1);
			quota = nvill == 3 ? DEMO_SHORT : DEMO_QUOTA;
		}
		if (done >= quota ||
		    json_integer_value(json_object_get(x, "is_reserve")))
			continue;
		done++;
		const char *g = json_string_value(json_object_get(x, "gender"));
		long long by =
			json_integer_value(json_object_get(x, "birth_year"));
		double w = json_real_value(json_object_get(x, "weight"));
		if (!(w > 0))
			w = (double)json_integer_value(
				json_object_get(x, "weight"));
		int age = 2026 - (int)by;
		if (age < 18 || age > 70)
			continue;
		for (int q = 0; q < c->nquestions; q++) {
			const struct cat_question *cq = &c->questions[q];
			int dim = c->subdimensions[c->indicators[cq->indicator]
							   .subdimension]
					  .dimension;
			double qq = qual + (dim == weak ? -0.6 : 0);
			vals[q] = "";
			if (!interview_skipped(c, vals, q))
				vals[q] = answer(a, r, cq, qq);
		}
		long long pid = json_integer_value(json_object_get(x, "id"));
		ok = put(&b, "D%lld,%lld,%lld,%s,%d,%.6g", pid, pid, unit,
			 g ? g : "male", age, w > 0 ? w : 1.0);
		for (int q = 0; q < c->nquestions && ok; q++)
			ok = put(&b, ",%s", vals[q]);
		ok = ok && put(&b, "\r\n");
		(*count)++;
	}
	json_decref(people);
	if (!ok) {
		free(b.p);
		return error_set(e, ERR_NOMEM, "demo round: interviews");
	}
	struct iv_import im;
	struct problems pr = {0};
	err = iv_import(db, a, &actor_cli, round, b.p, b.n, NULL, 0, &im, &pr,
			e);
	if (err == ERR_INVALID && pr.kept)
		error_set(e, ERR_INVALID, "demo round: line %d, %s: %s",
			  pr.list[0].line, pr.list[0].column,
			  pr.list[0].msg_en);
	free(b.p);
	return err;
}

enum err demo_round_seed(struct db *db, struct arena *a, uint64_t seed,
			 long long *round, int *count, bool *created,
			 struct error *e)
{
	*round = 0;
	*count = 0;
	*created = false;
	if (round_exists(db, a, round, e) || e->code)
		return e->code;
	long long scope = find_scope(db, a, e);
	if (!scope)
		return e->code;
	struct iv_village *v;
	int nv;
	enum err err = ivdb_villages(db, a, scope, &v, &nv, e);
	if (err)
		return err;
	const struct papi_actor who = {0, "cli", ""};
	struct round_input in = {
		.year = "2026",
		.name = DEMO_ROUND_NAME,
		.scope = arena_printf(a, "%lld", scope),
		.catalogue = "2024",
		.min_answers = "5",
		.lonely_psu = "adjust",
		.sample_units = arena_printf(a, "%d", nv > 5 ? 4 : nv - 1),
		.note = "Dữ liệu mẫu do quantri init --demo tạo, không phải "
			"kết quả khảo sát thật.",
	};
	err = round_create(db, a, &who, &in, round, NULL, e);
	struct demo_rng r = {seed};
	if (!err)
		err = frame(db, a, &r, &who, *round, v, nv, e);
	struct draw_report dr;
	if (!err)
		err = round_draw(db, a, &who, *round, seed, -1, &dr, e);
	if (!err)
		err = interviews(db, a, &r, *round, count, e);
	*created = !err;
	return err;
}

int demo_round_init(struct db *db, struct arena *a)
{
	const char *off = getenv("QUANTRI_DEMO_ROUND");
	if (off && !strcmp(off, "0"))
		return 0;
	struct error e = {0};
	long long id;
	int n;
	bool created;
	if (demo_round_seed(db, a, DEMO_ROUND_SEED, &id, &n, &created, &e)) {
		fprintf(stderr, "quantri init: %s\n", e.msg);
		return 1;
	}
	if (created)
		printf("demo survey round %lld: %d interviews\n", id, n);
	return 0;
}
