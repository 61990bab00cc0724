/* Every SQL statement of the plan's views and urging (plan_views.h). The
 * filters are put together from fixed fragments with $N placeholders;
 * only placeholders' numbers and LIMIT/OFFSET numbers are printed into
 * the text, never a value.
 *
 * Speed: a list is one COUNT and one page; a scorecard is two GROUP BYs
 * (tasks, requests) whose few rows are then joined to their names. Leaf
 * tasks ("no row has this task as parent in the same plan") are those
 * with tasks.is_leaf = 1 (migration 0009). */
#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "plan_views.h"
#include "../base/config.h"
#include "../base/banned.h"

/* ---- a statement with its parameters ---- */

struct sqlb {
	struct arena *a;
	char *buf;
	size_t len, cap;
	const char **params;
	int n, max;
	bool failed;
	/* the database version its result is kept under: 0 asks the
	 * database, -1 keeps nothing (cached_exec) */
	long long version;
	/* the filter form's choices: kept whatever views_cache says
	 * (pv_ref_get) */
	bool ref;
};

static void sb_init(struct sqlb *b, struct arena *a, int nids)
{
	memset(b, 0, sizeof *b);
	b->a = a;
	if (nids < 0)
		nids = 0;
	b->cap = 8192 + (size_t)nids * 16;
	b->max = 64 + nids;
	b->buf = arena_alloc(a, b->cap);
	b->params = arena_alloc(a, sizeof *b->params * (size_t)b->max);
	b->failed = !b->buf || !b->params;
}

static void sb_add(struct sqlb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_add(struct sqlb *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || b->len + (size_t)n >= b->cap)
		b->failed = true;
	else
		b->len += (size_t)n;
}

/* Adds a parameter; returns its number (for "$%d"). */
static int sb_param(struct sqlb *b, const char *value)
{
	if (b->failed || b->n >= b->max) {
		b->failed = true;
		return 1;
	}
	b->params[b->n++] = value;
	return b->n;
}

static const char *id_text(struct arena *a, long long id)
{
	return arena_printf(a, "%lld", id);
}

/* "(\$3, \$4, \$5)" with ids as parameters; "(NULL)" for none, which
 * matches nothing. */
static void sb_in(struct sqlb *b, const long long *ids, int n)
{
	if (n <= 0) {
		sb_add(b, "(NULL)");
		return;
	}
	sb_add(b, "(");
	for (int i = 0; i < n; i++)
		sb_add(b, "%s$%d", i ? ", " : "",
		       sb_param(b, id_text(b->a, ids[i])));
	sb_add(b, ")");
}

/* ---- the views' cache ----
 * The lists and scorecards of a province read tens of thousands of tasks
 * per page. Their results are kept, per statement and parameters, with
 * the database's version: the last id of the audit log, which every
 * change writes in its own transaction (people.h). The version is read
 * before the statement runs, so a result is at least as new as the
 * version it is kept under; a page never shows what an earlier change
 * left. "Today" is one of the parameters. A fixed number of slots, each
 * entry bounded: memory stays under CACHE_SLOTS x CACHE_ENTRY_MAX. */
enum { CACHE_SLOTS = 256, CACHE_ENTRY_MAX = 1 << 20 };

struct cache_entry {
	uint64_t hash;
	long long version;
	char *key; /* statement, then each parameter, \x1f-separated */
	size_t key_len;
	unsigned char *blob; /* the result, serialized */
	size_t blob_len;
};

/* A table of slots under one lock: the views' results (pages), and each
 * plan's scorecard counts (tallies, see pvdb_scorecard), which are many
 * and small. */
struct cache_table {
	struct cache_entry *slots;
	int nslots;
	pthread_mutex_t lock;
};
enum { TALLY_SLOTS = 1024, TALLY_ENTRY_MAX = 4 << 20 };
static struct cache_entry page_slots[CACHE_SLOTS], tally_slots[TALLY_SLOTS];
static struct cache_table pages = {page_slots, CACHE_SLOTS,
				   PTHREAD_MUTEX_INITIALIZER},
			  tallies = {tally_slots, TALLY_SLOTS,
				     PTHREAD_MUTEX_INITIALIZER};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static char *cache_key(struct arena *a, const char *sql, const char *const *p,
		       int n, size_t *len)
{
	size_t total = strlen(sql) + 1;
	for (int i = 0; i < n; i++)
		total += (p[i] ? strlen(p[i]) : 0) + 2;
	char *k = arena_alloc(a, total + 1);
	if (!k)
		return NULL;
	size_t o = strlen(sql);
	memcpy(k, sql, o);
	for (int i = 0; i < n; i++) {
		k[o++] = '\x1f';
		if (!p[i]) {
			k[o++] = '\x1e'; /* NULL, unlike "" */
			continue;
		}
		size_t l = strlen(p[i]);
		memcpy(k + o, p[i], l);
		o += l;
	}
	*len = o;
	return k;
}

/* [nrows][ncols] names\0... types[] then per cell a flag and text\0 */
static unsigned char *serialize(const struct db_result *r, size_t *len)
{
	size_t cells = (size_t)r->nrows * (size_t)r->ncols, n = 8 + cells * 2;
	for (int c = 0; c < r->ncols; c++)
		n += strlen(r->names[c]) + 1;
	for (size_t i = 0; i < cells; i++) /* the text and its NUL */
		n += r->cells[i] ? strlen(r->cells[i]) + 1 : 0;
	if (n > CACHE_ENTRY_MAX)
		return NULL;
	unsigned char *b = malloc(n), *o = b;
	if (!b)
		return NULL;
	uint32_t rows = (uint32_t)r->nrows, cols = (uint32_t)r->ncols;
	memcpy(o, &rows, 4);
	memcpy(o + 4, &cols, 4);
	o += 8;
	for (int c = 0; c < r->ncols; c++) {
		size_t l = strlen(r->names[c]) + 1;
		memcpy(o, r->names[c], l);
		o += l;
	}
	if (cells) {
		memcpy(o, r->types, cells);
		o += cells;
	}
	for (size_t i = 0; i < cells; i++) {
		*o++ = r->cells[i] ? 1 : 0;
		if (r->cells[i]) {
			size_t l = strlen(r->cells[i]) + 1;
			memcpy(o, r->cells[i], l);
			o += l;
		}
	}
	*len = (size_t)(o - b);
	assert(*len == n);
	return b;
}

static struct db_result *deserialize(struct arena *a, const unsigned char *src,
				     size_t len)
{
	unsigned char *b = arena_alloc(a, len);
	struct db_result *r = arena_alloc(a, sizeof *r);
	if (!b || !r)
		return NULL;
	memcpy(b, src, len);
	uint32_t rows, cols;
	memcpy(&rows, b, 4);
	memcpy(&cols, b + 4, 4);
	size_t cells = (size_t)rows * cols;
	r->nrows = (int)rows;
	r->ncols = (int)cols;
	r->names = arena_alloc(a, sizeof *r->names * (cols + 1));
	r->cells = arena_alloc(a, sizeof *r->cells * (cells + 1));
	if (!r->names || !r->cells)
		return NULL;
	const unsigned char *p = b + 8;
	for (uint32_t c = 0; c < cols; c++) {
		r->names[c] = (const char *)p;
		p += strlen((const char *)p) + 1;
	}
	r->types = (unsigned char *)p;
	p += cells;
	for (size_t i = 0; i < cells; i++) {
		bool has = *p++;
		r->cells[i] = has ? (const char *)p : NULL;
		if (has)
			p += strlen((const char *)p) + 1;
	}
	return r;
}

enum err pvdb_version(struct db *db, struct arena *a, long long *v,
		      struct error *e)
{
	struct db_result *r;
	/* with a parameter, so that PostgreSQL plans it once per connection
	 * (db_pg.c prepares only statements with parameters): every view
	 * asks it, and its planning cost more than its run */
	enum err err = db_exec(
		db, a, "SELECT MAX(id) AS v FROM audit_log WHERE id > $1",
		DB_PARAMS("0"), &r, e);
	*v = err ? -1 : db_get_int(r, 0, "v", 0) + 1; /* > 0 */
	return err;
}

/* The slot a key goes to (one per hash; a collision replaces). */
static struct cache_entry *slot_of(struct cache_table *t, const char *key,
				   size_t klen, uint64_t *hash)
{
	*hash = fnv1a(key, klen);
	return &t->slots[*hash % (uint64_t)t->nslots];
}

/* A copy of the blob kept for key at this version, in the arena. */
static unsigned char *cache_get(struct cache_table *t, struct arena *a,
				const char *key, size_t klen, long long version,
				size_t *len, bool always)
{
	if (!always && !http_config()->views_cache)
		return NULL;
	uint64_t h;
	struct cache_entry *slot = slot_of(t, key, klen, &h);
	unsigned char *out = NULL;
	pthread_mutex_lock(&t->lock);
	if (slot->blob && slot->hash == h && slot->version == version &&
	    slot->key_len == klen && !memcmp(slot->key, key, klen)) {
		out = arena_alloc(a, slot->blob_len + 1);
		if (out) {
			memcpy(out, slot->blob, slot->blob_len);
			*len = slot->blob_len;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return out;
}

/* Keeps blob (malloc'd, taken) for key at this version. */
static void cache_put(struct cache_table *t, const char *key, size_t klen,
		      long long version, unsigned char *blob, size_t blen,
		      bool always)
{
	if (!always && !http_config()->views_cache) {
		free(blob);
		return;
	}
	uint64_t h;
	struct cache_entry *slot = slot_of(t, key, klen, &h);
	char *kcopy = blob ? malloc(klen) : NULL;
	if (!kcopy) {
		free(blob);
		return;
	}
	memcpy(kcopy, key, klen);
	pthread_mutex_lock(&t->lock);
	/* a newer version's result is never replaced by an older one */
	if (slot->blob && slot->hash == h && slot->version > version) {
		pthread_mutex_unlock(&t->lock);
		free(blob);
		free(kcopy);
		return;
	}
	free(slot->blob);
	free(slot->key);
	*slot = (struct cache_entry){h, version, kcopy, klen, blob, blen};
	pthread_mutex_unlock(&t->lock);
}

/* ---- QUANTRI_TIMING=1: each statement's and phase's time on stderr ---- */

bool pv_timing(void)
{
	static int on = -1;
	if (on < 0) {
		const char *t = getenv("QUANTRI_TIMING");
		on = t && *t && strcmp(t, "0") != 0;
	}
	return on;
}

/* this thread's CPU time, ms: on a busy machine, what the wall time
 * cannot separate from waiting */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* the thread's CPU time at its last pv_now_ms() */
static _Thread_local double cpu_mark;

double pv_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	cpu_mark = cpu_ms();
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void pv_timing_note(const char *what, double since_ms, const char *detail)
{
	if (!pv_timing())
		return;
	/* one write per line: lines of concurrent requests do not mix */
	char line[256];
	double cpu = cpu_ms() - cpu_mark;
	snprintf(line, sizeof line, "timing %8.2f ms (cpu %.2f) %s %.160s\n",
		 pv_now_ms() - since_ms, cpu, what, detail ? detail : "");
	fputs(line, stderr);
}

static enum err timed_exec(struct db *db, struct arena *a, const char *sql,
			   const char *const *params, int n,
			   struct db_result **out, struct error *e)
{
	double t0 = pv_timing() ? pv_now_ms() : 0;
	enum err err = db_exec(db, a, sql, params, n, out, e);
	if (t0 > 0)
		pv_timing_note(err ? "sql (failed)" : "sql", t0, sql);
	return err;
}

static enum err cached_exec(struct db *db, struct arena *a, long long version,
			    const char *sql, const char *const *params, int n,
			    bool ref, struct db_result **out, struct error *e)
{
	if (version < 0)
		return timed_exec(db, a, sql, params, n, out, e);
	size_t klen = 0, blen = 0;
	char *key = cache_key(a, sql, params, n, &klen);
	if (!key)
		return error_set(e, ERR_NOMEM, "out of memory");
	enum err err = version ? ERR_OK : pvdb_version(db, a, &version, e);
	if (err)
		return err;
	unsigned char *hit =
		cache_get(&pages, a, key, klen, version, &blen, ref);
	if (hit) {
		*out = deserialize(a, hit, blen);
		return *out ? ERR_OK : error_set(e, ERR_NOMEM, "out of memory");
	}
	err = timed_exec(db, a, sql, params, n, out, e);
	if (err)
		return err;
	if (!ref && !http_config()->views_cache)
		return ERR_OK; /* not kept: no copy to make */
	unsigned char *blob = serialize(*out, &blen);
	if (blob) /* else too large to keep: served, not kept */
		cache_put(&pages, key, klen, version, blob, blen, ref);
	return ERR_OK;
}

static bool get_kept(struct cache_table *t, struct arena *a, const char *key,
		     long long version, const char **data, size_t *len,
		     bool always)
{
	if (version <= 0)
		return false;
	unsigned char *hit =
		cache_get(t, a, key, strlen(key), version, len, always);
	if (hit)
		hit[*len] = 0;
	*data = (const char *)hit;
	return hit != NULL;
}

static void put_kept(struct cache_table *t, const char *key, long long version,
		     const void *data, size_t len, bool always)
{
	if (version <= 0 || len > CACHE_ENTRY_MAX ||
	    (!always && !http_config()->views_cache))
		return;
	unsigned char *blob = malloc(len ? len : 1);
	if (!blob)
		return;
	memcpy(blob, data, len);
	cache_put(t, key, strlen(key), version, blob, len, always);
}

bool pv_cache_on(void)
{
	return http_config()->views_cache;
}

bool pv_cache_get(struct arena *a, const char *key, long long version,
		  const char **data, size_t *len)
{
	return get_kept(&pages, a, key, version, data, len, false);
}

void pv_cache_put(const char *key, long long version, const void *data,
		  size_t len)
{
	put_kept(&pages, key, version, data, len, false);
}

bool pv_ref_get(struct arena *a, const char *key, long long version,
		const char **data, size_t *len)
{
	return get_kept(&pages, a, key, version, data, len, true);
}

void pv_ref_put(const char *key, long long version, const void *data,
		size_t len)
{
	put_kept(&pages, key, version, data, len, true);
}

static void table_reset(struct cache_table *t)
{
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < t->nslots; i++) {
		free(t->slots[i].blob);
		free(t->slots[i].key);
		t->slots[i] = (struct cache_entry){0};
	}
	pthread_mutex_unlock(&t->lock);
}

void pv_cache_reset(void)
{
	table_reset(&pages);
	table_reset(&tallies);
}

static enum err sb_exec(struct db *db, struct sqlb *b, struct db_result **out,
			struct error *e)
{
	if (b->failed)
		return error_set(e, ERR_NOMEM, "plan views: query too large");
	return cached_exec(db, b->a, b->version, b->buf, b->params, b->n,
			   b->ref, out, e);
}

static enum err check_communes(int n, struct error *e)
{
	if (n > PV_MAX_COMMUNES)
		return error_set(e, ERR_TOOBIG,
				 "plan views: %d communes, at most %d", n,
				 PV_MAX_COMMUNES);
	return ERR_OK;
}

/* ---- the tasks' filter ---- */

/* no task of the plan has it as parent: kept by the task's writers
 * (tasks_refresh_leaf), and second in the views' indexes (tasks_leaf_due,
 * tasks_leaf_status_due), so a list or a count reads the index alone
 * instead of probing for children row by row */
static const char leaf[] = " AND t.is_leaf = 1";

/* today's and soon's parameters, added when first used (SQLite wants
 * every parameter given to appear in the text) */
static int day_param(struct sqlb *b, const struct pv_filter *f, int *td)
{
	if (!*td)
		*td = sb_param(b, f->u ? f->u->today_iso : "");
	return *td;
}

static int soon_param(struct sqlb *b, const struct pv_filter *f, int *sn)
{
	if (!*sn)
		*sn = sb_param(b, f->u ? f->u->soon_iso : "");
	return *sn;
}

/* The conditions of urgency.h, on t, with today and soon as parameters. */
static bool state_sql(struct sqlb *b, const struct pv_filter *f,
		      const char *state, int *tdp, int *snp)
{
	static const char act[] = "t.status IN ('todo', 'doing')";
	bool days = strcmp(state, "overdue") == 0 ||
		    strcmp(state, "due_soon") == 0 ||
		    strcmp(state, "not_yet") == 0 || strcmp(state, "open") == 0;
	int td = days ? day_param(b, f, tdp) : 0;
	int sn = days && strcmp(state, "overdue") ? soon_param(b, f, snp) : 0;
	if (!strcmp(state, "overdue"))
		sb_add(b, " AND %s AND t.due_on < $%d", act, td);
	else if (!strcmp(state, "due_soon"))
		sb_add(b, " AND %s AND t.due_on >= $%d AND t.due_on <= $%d",
		       act, td, sn);
	else if (!strcmp(state, "not_yet"))
		sb_add(b, " AND %s AND t.due_on > $%d AND t.start_on > $%d",
		       act, sn, td);
	else if (!strcmp(state, "open"))
		sb_add(b, " AND %s AND t.due_on > $%d AND t.start_on <= $%d",
		       act, sn, td);
	else if (!strcmp(state, "done_on_time"))
		sb_add(b, " AND t.status = 'done' AND (t.done_on IS NULL OR "
			  "t.done_on <= t.due_on)");
	else if (!strcmp(state, "done_late"))
		sb_add(b, " AND t.status = 'done' AND t.done_on > t.due_on");
	else if (!strcmp(state, "cancelled"))
		sb_add(b, " AND t.status = 'cancelled'");
	else if (!strcmp(state, "done"))
		sb_add(b, " AND t.status = 'done'");
	else if (!strcmp(state, "active"))
		sb_add(b, " AND %s", act);
	else if (!strcmp(state, "not_cancelled"))
		sb_add(b, " AND t.status <> 'cancelled'");
	else
		return false;
	return true;
}

/* The words of q, each a LIKE on title_fold (% and _ escaped). */
static void words_sql(struct sqlb *b, const char *q)
{
	int words = 0;
	while (q && *q && words < 8) {
		while (*q == ' ')
			q++;
		size_t n = strcspn(q, " ");
		if (!n)
			break;
		char *pat = arena_alloc(b->a, n * 2 + 3);
		if (!pat) {
			b->failed = true;
			return;
		}
		size_t k = 0;
		pat[k++] = '%';
		for (size_t i = 0; i < n; i++) {
			if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
				pat[k++] = '\\';
			pat[k++] = q[i];
		}
		pat[k++] = '%';
		pat[k] = 0;
		sb_add(b, " AND t.title_fold LIKE $%d ESCAPE '\\'",
		       sb_param(b, pat));
		q += n;
		words++;
	}
}

/* FROM tasks t JOIN plans p ... WHERE <all of f>; *td and *sn: today's
 * and soon's parameters (0 without f->u). mine_expr: the condition "the
 * user or one of the units leads" when f has mine_*, for the co_unit
 * column. */
static void where_sql(struct sqlb *b, const struct pv_filter *f, int *td,
		      int *sn, const char **mine_expr)
{
	sb_add(b, " FROM tasks t JOIN plans p ON p.id = t.plan_id "
		  "WHERE p.unit_id IN ");
	sb_in(b, f->communes, f->ncommunes);
	sb_add(b, "%s", leaf);
	*td = *sn = 0;
	if (f->plan_id)
		sb_add(b, " AND t.plan_id = $%d",
		       sb_param(b, id_text(b->a, f->plan_id)));
	if (f->unit_id)
		sb_add(b, " AND t.lead_unit_id = $%d",
		       sb_param(b, id_text(b->a, f->unit_id)));
	if (f->user_id)
		sb_add(b, " AND t.responsible_user_id = $%d",
		       sb_param(b, id_text(b->a, f->user_id)));
	if (f->nonly_units) {
		sb_add(b, " AND t.lead_unit_id IN ");
		sb_in(b, f->only_units, f->nonly_units);
	}
	/* a task serves what it names, or what its parent names (the
	 * occurrences of a recurring task, the parts of a parent) */
	if (f->indicator && *f->indicator)
		sb_add(b,
		       " AND EXISTS (SELECT 1 FROM task_links l WHERE "
		       "l.task_id IN (t.id, t.parent_id) AND l.indicator = "
		       "$%d)",
		       sb_param(b, f->indicator));
	else if (f->dimension && *f->dimension)
		sb_add(b,
		       " AND EXISTS (SELECT 1 FROM task_links l WHERE "
		       "l.task_id IN (t.id, t.parent_id) AND l.dimension = "
		       "$%d)",
		       sb_param(b, f->dimension));
	if (f->state && *f->state &&
	    (!f->u || !state_sql(b, f, f->state, td, sn)))
		b->failed = true;
	if (f->q_fold && *f->q_fold)
		words_sql(b, f->q_fold);
	if (f->due_from && *f->due_from)
		sb_add(b, " AND t.due_on >= $%d", sb_param(b, f->due_from));
	if (f->due_to && *f->due_to)
		sb_add(b, " AND t.due_on <= $%d", sb_param(b, f->due_to));
	if (mine_expr)
		*mine_expr = NULL;
	if (f->mine_user || f->nmine_units) {
		int me = sb_param(b, id_text(b->a, f->mine_user));
		sb_add(b,
		       " AND ((t.responsible_user_id = $%d OR "
		       "t.lead_unit_id IN ",
		       me);
		size_t in_start = b->len;
		sb_in(b, f->mine_units, f->nmine_units);
		const char *in =
			b->failed ? NULL
				  : arena_strndup(b->a, b->buf + in_start,
						  b->len - in_start);
		sb_add(b,
		       ") OR EXISTS (SELECT 1 FROM task_units tu WHERE "
		       "tu.task_id = t.id AND tu.unit_id IN %s))",
		       in ? in : "(NULL)");
		if (mine_expr && in)
			*mine_expr =
				arena_printf(b->a,
					     "(t.responsible_user_id = $%d OR "
					     "t.lead_unit_id IN %s)",
					     me, in);
	}
}

/* ---- what is kept per plan ----
 * A province's lists and scorecards add up a hundred communes' plans.
 * What each plan contributes (its count and first rows of a list, its
 * scorecard counts) is kept in the tallies table, whatever views_cache
 * says, under the plan's rev, which triggers move on every change to its
 * tasks or requests (migration 0014_plan_rev), with the statement and its
 * parameters (today among them) in the key: a request reads again only
 * the plans that changed, and puts the rest together in C. The revs are
 * read first, so what is kept is at least as new as the rev it is kept
 * under. */

/* id, rev and criterion_min_tasks of the plans the filter reaches, by id. */
static enum err plan_revs(struct db *db, struct arena *a,
			  const struct pv_filter *f, struct db_result **out,
			  struct error *e)
{
	struct sqlb b;
	sb_init(&b, a, f->ncommunes);
	b.version = -1;
	sb_add(&b, "SELECT id, rev, criterion_min_tasks FROM plans WHERE "
		   "unit_id IN ");
	sb_in(&b, f->communes, f->ncommunes);
	if (f->plan_id)
		sb_add(&b, " AND id = $%d",
		       sb_param(&b, id_text(a, f->plan_id)));
	sb_add(&b, " ORDER BY id");
	return sb_exec(db, &b, out, e);
}

/* plan id -> its index in the sorted ids, or -1 */
static int plan_index(const long long *ids, int n, long long id)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Text kept for one plan, grown in the arena up to TALLY_ENTRY_MAX. */
struct tally_text {
	char *buf;
	size_t len, cap;
};

static bool tally_printf(struct arena *a, struct tally_text *t, const char *fmt,
			 ...) __attribute__((format(printf, 3, 4)));

static bool tally_printf(struct arena *a, struct tally_text *t, const char *fmt,
			 ...)
{
	char line[160];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line)
		return false;
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		if (cap > TALLY_ENTRY_MAX)
			return false;
		char *nb = arena_alloc(a, cap);
		if (!nb)
			return false;
		if (t->len)
			memcpy(nb, t->buf, t->len);
		t->buf = nb;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, line, (size_t)n + 1);
	t->len += (size_t)n;
	return true;
}

/* The plans of pr and what is kept for them under one key: a blob of
 * sections, one per plan (id, rev, length, text), by plan id. texts[i]
 * is plan i's text when kept at its current rev, else NULL and the plan
 * is in missing. One entry per statement, not per plan: a province's
 * request makes one lookup. */
struct kept_plans {
	const char *key;
	int n, nmissing;
	long long *ids, *revs, *missing;
	const char **texts;
	size_t *lens;
	struct tally_text *fresh; /* per missing plan, by the caller */
};

struct section_head {
	long long id, rev;
	uint32_t len;
};

static enum err kept_plans_load(struct arena *a, const struct db_result *pr,
				const char *key, struct kept_plans *k,
				struct error *e)
{
	size_t np = (size_t)pr->nrows + 1;
	memset(k, 0, sizeof *k);
	k->key = key;
	k->n = pr->nrows;
	k->ids = arena_alloc(a, sizeof *k->ids * np);
	k->revs = arena_alloc(a, sizeof *k->revs * np);
	k->missing = arena_alloc(a, sizeof *k->missing * np);
	k->texts = arena_alloc(a, sizeof *k->texts * np);
	k->lens = arena_alloc(a, sizeof *k->lens * np);
	k->fresh = arena_alloc(a, sizeof *k->fresh * np);
	if (!k->ids || !k->revs || !k->missing || !k->texts || !k->lens ||
	    !k->fresh)
		return error_set(e, ERR_NOMEM, "out of memory");
	memset(k->fresh, 0, sizeof *k->fresh * np);
	const char *blob = NULL;
	size_t len = 0, at = 0;
	if (!get_kept(&tallies, a, key, 1, &blob, &len, true))
		blob = NULL;
	for (int i = 0; i < k->n; i++) {
		k->ids[i] = db_get_int(pr, i, "id", 0);
		k->revs[i] = db_get_int(pr, i, "rev", 0);
		k->texts[i] = NULL;
		/* sections are by plan id, as the plans */
		struct section_head h = {0};
		while (blob && at + sizeof h <= len) {
			memcpy(&h, blob + at, sizeof h);
			if (h.id >= k->ids[i] ||
			    at + sizeof h + h.len + 1 > len)
				break;
			at += sizeof h + h.len + 1;
		}
		if (blob && at + sizeof h <= len && h.id == k->ids[i] &&
		    h.rev == k->revs[i] && at + sizeof h + h.len + 1 <= len) {
			k->texts[i] = blob + at + sizeof h;
			k->lens[i] = h.len;
		} else {
			k->missing[k->nmissing++] = k->ids[i];
		}
	}
	return ERR_OK;
}

/* Keeps every plan's text, the missing ones as counted (fresh[m] for
 * missing[m]); too large to keep is counted again next time. */
static void kept_plans_store(struct arena *a, struct kept_plans *k)
{
	size_t total = 0;
	for (int m = 0; m < k->nmissing; m++) {
		int i = plan_index(k->ids, k->n, k->missing[m]);
		k->texts[i] = k->fresh[m].buf ? k->fresh[m].buf : "";
		k->lens[i] = k->fresh[m].len;
	}
	for (int i = 0; i < k->n; i++)
		total += sizeof(struct section_head) + k->lens[i] + 1;
	if (total > TALLY_ENTRY_MAX)
		return;
	char *blob = arena_alloc(a, total + 1);
	if (!blob)
		return;
	size_t at = 0;
	for (int i = 0; i < k->n; i++) {
		struct section_head h;
		memset(&h, 0, sizeof h); /* no stray padding bytes kept */
		h.id = k->ids[i];
		h.rev = k->revs[i];
		h.len = (uint32_t)k->lens[i];
		memcpy(blob + at, &h, sizeof h);
		at += sizeof h;
		memcpy(blob + at, k->texts[i], k->lens[i]);
		at += k->lens[i];
		blob[at++] = 0;
	}
	put_kept(&tallies, k->key, 1, blob, at, true);
}

/* A list's page from what each plan keeps: its count, then the sort keys
 * of its first `want` tasks, "start_on due_on id" a line. */
enum { LIST_KEPT_MAX = 1000 };

struct list_key {
	const char *start, *due; /* YYYY-MM-DD, NOT NULL in tasks */
	long long id;
};

static int cmp_list_due(const void *x, const void *y)
{
	const struct list_key *p = x, *q = y;
	int c = strcmp(p->due, q->due);
	return c ? c : (p->id > q->id) - (p->id < q->id);
}

static int cmp_list_start(const void *x, const void *y)
{
	const struct list_key *p = x, *q = y;
	int c = strcmp(p->start, q->start);
	return c ? c : cmp_list_due(x, y);
}

/* Reads the line at *p ("start_on due_on id") into key; false at the end
 * of the text. */
static bool list_next(struct arena *a, const char **p, struct list_key *key)
{
	const char *l = *p;
	if (!l || !*l)
		return false;
	const char *nl = strchr(l, '\n');
	/* two ISO dates, a space after each */
	if (!nl || nl - l < 23 || l[10] != ' ' || l[21] != ' ')
		return false;
	key->start = arena_strndup(a, l, 10);
	key->due = arena_strndup(a, l + 11, 10);
	key->id = strtoll(l + 22, NULL, 10);
	*p = nl + 1;
	return key->start && key->due;
}

static enum err tasks_from_plans(struct db *db, struct arena *a,
				 const struct pv_filter *f,
				 const struct sqlb *w, bool start, int limit,
				 int offset, struct db_result **out,
				 long long *total, struct error *e)
{
	const char *ord =
		start ? "t.start_on, t.due_on, t.id" : "t.due_on, t.id";
	int want = offset + limit;
	struct db_result *pr;
	enum err err = plan_revs(db, a, f, &pr, e);
	if (err)
		return err;
	size_t klen = 0;
	char *wkey = cache_key(a, w->buf, w->params, w->n, &klen);
	const char *key =
		wkey ? arena_printf(a, "list|%s|%d|%s", start ? "start" : "due",
				    want, wkey)
		     : NULL;
	struct kept_plans k;
	if (!key)
		return error_set(e, ERR_NOMEM, "out of memory");
	err = kept_plans_load(a, pr, key, &k, e);
	if (err)
		return err;
	if (k.nmissing) {
		/* each missing plan's count and first `want` tasks, in one
		 * statement */
		struct sqlb m;
		sb_init(&m, a, w->n + k.nmissing);
		m.version = -1;
		for (int i = 0; i < w->n; i++)
			sb_param(&m, w->params[i]);
		sb_add(&m,
		       "SELECT plan_id, id, start_on, due_on, n FROM (SELECT "
		       "t.plan_id, t.id, t.start_on, t.due_on, ROW_NUMBER() "
		       "OVER (PARTITION BY t.plan_id ORDER BY %s) AS rn, "
		       "COUNT(*) OVER (PARTITION BY t.plan_id) AS n%s AND "
		       "t.plan_id IN ",
		       ord, w->buf);
		sb_in(&m, k.missing, k.nmissing);
		sb_add(&m, ") x WHERE rn <= %d ORDER BY plan_id, rn", want);
		struct db_result *r;
		err = sb_exec(db, &m, &r, e);
		if (err)
			return err;
		for (int i = 0; i < r->nrows; i++) {
			long long plan = db_get_int(r, i, "plan_id", 0);
			int at = plan_index(k.missing, k.nmissing, plan);
			if (at < 0)
				return error_set(e, ERR_INTERNAL,
						 "plan views: plan %lld not "
						 "asked",
						 plan);
			struct tally_text *t = &k.fresh[at];
			if ((!t->len &&
			     !tally_printf(a, t, "%lld\n",
					   db_get_int(r, i, "n", 0))) ||
			    !tally_printf(a, t, "%s %s %lld\n",
					  db_get(r, i, "start_on"),
					  db_get(r, i, "due_on"),
					  db_get_int(r, i, "id", 0)))
				return error_set(e, ERR_TOOBIG,
						 "plan views: plan %lld: list "
						 "too large to keep",
						 plan);
		}
		kept_plans_store(a, &k);
	}

	/* the plans' first tasks, merged: each text is sorted, so the page
	 * is taken from the heads (a few hundred comparisons, whatever the
	 * number of plans) */
	struct cursor {
		const char *next; /* the line after head */
		struct list_key head;
		bool has;
	} *cur = arena_alloc(a, sizeof *cur * (size_t)(k.n + 1));
	if (!cur)
		return error_set(e, ERR_NOMEM, "out of memory");
	*total = 0;
	for (int i = 0; i < k.n; i++) {
		const char *p = k.texts[i];
		cur[i].has = false;
		cur[i].next = NULL;
		if (!*p)
			continue;
		*total += strtoll(p, NULL, 10);
		const char *nl = strchr(p, '\n');
		cur[i].next = nl ? nl + 1 : "";
		cur[i].has = list_next(a, &cur[i].next, &cur[i].head);
	}
	int npage = 0;
	long long *ids = arena_alloc(a, sizeof *ids * (size_t)(limit + 1));
	if (!ids)
		return error_set(e, ERR_NOMEM, "out of memory");
	for (int taken = 0; taken < want; taken++) {
		int best = -1;
		for (int i = 0; i < k.n; i++)
			if (cur[i].has &&
			    (best < 0 ||
			     (start ? cmp_list_start : cmp_list_due)(
				     &cur[i].head, &cur[best].head) < 0))
				best = i;
		if (best < 0)
			break;
		if (taken >= offset)
			ids[npage++] = cur[best].head.id;
		cur[best].has = list_next(a, &cur[best].next, &cur[best].head);
	}

	/* the page's rows, by id */
	struct sqlb q;
	sb_init(&q, a, npage);
	q.version = f->version;
	sb_add(&q,
	       "SELECT t.id, t.plan_id, p.title AS plan_title, p.year AS "
	       "plan_year, t.parent_id, pt.title AS parent_title, t.title, "
	       "t.lead_unit_id, lu.name AS lead_unit_name, "
	       "t.responsible_user_id, ru.full_name AS responsible_name, "
	       "t.start_on, t.due_on, t.status, t.progress, t.done_on, 0 AS "
	       "co_unit FROM tasks t JOIN plans p ON p.id = t.plan_id "
	       "JOIN units lu ON lu.id = t.lead_unit_id "
	       "LEFT JOIN tasks pt ON pt.id = t.parent_id "
	       "LEFT JOIN users ru ON ru.id = t.responsible_user_id "
	       "WHERE t.id IN ");
	sb_in(&q, ids, npage);
	sb_add(&q, " ORDER BY %s", ord);
	return sb_exec(db, &q, out, e);
}

enum err pvdb_tasks(struct db *db, struct arena *a, const struct pv_filter *f,
		    const char *order, int limit, int offset,
		    struct db_result **out, long long *total, struct error *e)
{
	enum err err = check_communes(f->ncommunes, e);
	if (err)
		return err;
	struct sqlb w;
	int td, sn;
	const char *mine = NULL;
	sb_init(&w, a, f->ncommunes + f->nmine_units * 2 + f->nonly_units);
	w.version = f->version;
	where_sql(&w, f, &td, &sn, &mine);
	if (w.failed)
		return error_set(e, ERR_NOMEM, "plan views: query too large");
	if (limit < 1)
		limit = 1;
	if (limit > PV_MAX_ROWS)
		limit = PV_MAX_ROWS;
	if (offset < 0)
		offset = 0;
	/* a list of several communes with its count (an upper level's),
	 * not "my tasks": from what each plan keeps. One commune's list is
	 * a walk of its plan's index, cheaper than putting plans together,
	 * and on PostgreSQL its statement stays prepared. */
	bool start = order && !strcmp(order, "start");
	if (total && f->ncommunes > 1 && !mine && !f->mine_user &&
	    !f->nmine_units && offset + limit <= LIST_KEPT_MAX)
		return tasks_from_plans(db, a, f, &w, start, limit, offset, out,
					total, e);
	/* the page's ids from the index alone, then their rows: the sort
	 * holds ids, not every row's text */
	const char *ord = order && !strcmp(order, "start")
				  ? "t.start_on, t.due_on, t.id"
				  : "t.due_on, t.id";
	struct sqlb q = w;
	q.buf = arena_printf(
		a,
		"SELECT t.id, t.plan_id, p.title AS plan_title, p.year AS "
		"plan_year, t.parent_id, pt.title AS parent_title, t.title, "
		"t.lead_unit_id, lu.name AS lead_unit_name, "
		"t.responsible_user_id, ru.full_name AS responsible_name, "
		"t.start_on, t.due_on, t.status, t.progress, t.done_on, "
		"%s%s%s AS co_unit "
		"FROM (SELECT t.id%s ORDER BY %s LIMIT %d OFFSET %d) k "
		"JOIN tasks t ON t.id = k.id JOIN plans p ON p.id = t.plan_id "
		"JOIN units lu ON lu.id = t.lead_unit_id "
		"LEFT JOIN tasks pt ON pt.id = t.parent_id "
		"LEFT JOIN users ru ON ru.id = t.responsible_user_id "
		"ORDER BY %s",
		mine ? "CASE WHEN " : "0", mine ? mine : "",
		mine ? " THEN 0 ELSE 1 END" : "", w.buf, ord, limit, offset,
		ord);
	q.failed = !q.buf;
	err = sb_exec(db, &q, out, e);
	if (err || !total)
		return err;
	/* a short page that is not past the end tells the total: no
	 * count to run (one statement fewer for most lists) */
	int got = (*out)->nrows;
	if (got < limit && (offset == 0 || got > 0)) {
		*total = offset + got;
		return ERR_OK;
	}
	struct sqlb c = w;
	c.buf = arena_printf(a, "SELECT COUNT(*) AS n%s", w.buf);
	c.failed = !c.buf;
	struct db_result *r;
	err = sb_exec(db, &c, &r, e);
	if (err)
		return err;
	*total = db_get_int(r, 0, "n", 0);
	return ERR_OK;
}

enum err pvdb_by_unit(struct db *db, struct arena *a, const struct pv_filter *f,
		      struct db_result **out, struct error *e)
{
	enum err err = check_communes(f->ncommunes, e);
	if (err)
		return err;
	struct sqlb w;
	int td, sn;
	sb_init(&w, a, f->ncommunes + f->nmine_units * 2 + f->nonly_units);
	w.version = f->version;
	where_sql(&w, f, &td, &sn, NULL);
	day_param(&w, f, &td);
	soon_param(&w, f, &sn);
	if (w.failed || !f->u)
		return error_set(e, ERR_NOMEM, "plan views: query too large");
	struct sqlb q = w;
	q.buf = arena_printf(
		a,
		"SELECT x.unit_id, u.name AS unit_name, x.tasks, x.done, "
		"x.overdue, x.due_soon, x.progress_sum, x.counted FROM ("
		"SELECT t.lead_unit_id AS unit_id, COUNT(*) AS tasks, "
		"SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END) AS done, "
		"SUM(CASE WHEN t.status IN ('todo', 'doing') AND t.due_on < "
		"$%d THEN 1 ELSE 0 END) AS overdue, "
		"SUM(CASE WHEN t.status IN ('todo', 'doing') AND t.due_on >= "
		"$%d AND t.due_on <= $%d THEN 1 ELSE 0 END) AS due_soon, "
		"SUM(CASE WHEN t.status <> 'cancelled' THEN t.progress ELSE 0 "
		"END) AS progress_sum, "
		"SUM(CASE WHEN t.status <> 'cancelled' THEN 1 ELSE 0 END) AS "
		"counted%s GROUP BY t.lead_unit_id) x "
		"JOIN units u ON u.id = x.unit_id ORDER BY u.sort_key, u.id",
		td, td, sn, w.buf);
	q.failed = !q.buf;
	return sb_exec(db, &q, out, e);
}

enum err pvdb_by_link(struct db *db, struct arena *a, const struct pv_filter *f,
		      bool dims_only, struct db_result **out, struct error *e)
{
	enum err err = check_communes(f->ncommunes, e);
	if (err)
		return err;
	struct sqlb w;
	int td, sn;
	sb_init(&w, a, f->ncommunes + f->nmine_units * 2 + f->nonly_units);
	w.version = f->version;
	where_sql(&w, f, &td, &sn, NULL);
	day_param(&w, f, &td);
	if (w.failed || !f->u)
		return error_set(e, ERR_NOMEM, "plan views: query too large");
	/* a task counts once per link, its own or its parent's */
	const char *from = strstr(w.buf, " WHERE");
	struct sqlb q = w;
	const char *ind = dims_only ? "''" : "l.indicator";
	q.buf = arena_printf(
		a,
		"SELECT k.dimension, k.indicator, COUNT(*) AS tasks, "
		"SUM(CASE WHEN k.status = 'done' THEN 1 ELSE 0 END) AS done, "
		"SUM(CASE WHEN k.status IN ('todo', 'doing') AND k.due_on < "
		"$%d THEN 1 ELSE 0 END) AS overdue, "
		"SUM(CASE WHEN k.status <> 'cancelled' THEN k.progress ELSE 0 "
		"END) AS progress_sum, "
		"SUM(CASE WHEN k.status <> 'cancelled' THEN 1 ELSE 0 END) AS "
		"counted FROM (SELECT DISTINCT t.id, t.status, t.due_on, "
		"t.progress, l.dimension, %s AS indicator FROM tasks t "
		"JOIN plans p ON p.id = t.plan_id JOIN task_links l ON "
		"l.task_id IN (t.id, t.parent_id)%s) k "
		"GROUP BY k.dimension, k.indicator "
		"ORDER BY k.dimension, k.indicator",
		td, ind, from);
	q.failed = !q.buf || !from;
	return sb_exec(db, &q, out, e);
}

enum err pvdb_plans(struct db *db, struct arena *a, const long long *communes,
		    int ncommunes, long long version, struct db_result **out,
		    struct error *e)
{
	enum err err = check_communes(ncommunes, e);
	if (err)
		return err;
	struct sqlb b;
	sb_init(&b, a, ncommunes);
	b.version = version;
	b.ref = true;
	sb_add(&b, "SELECT id, title, year, number, symbol, unit_id FROM plans "
		   "WHERE unit_id IN ");
	sb_in(&b, communes, ncommunes);
	sb_add(&b, " ORDER BY year DESC, id DESC LIMIT %d", PV_MAX_ROWS);
	return sb_exec(db, &b, out, e);
}

enum err pvdb_units_named(struct db *db, struct arena *a, const long long *ids,
			  int n, long long version, struct db_result **out,
			  struct error *e)
{
	enum err err = check_communes(n, e);
	if (err)
		return err;
	struct sqlb b;
	sb_init(&b, a, n);
	b.version = version;
	b.ref = true;
	sb_add(&b, "SELECT id, name, full_name FROM units WHERE id IN ");
	sb_in(&b, ids, n);
	sb_add(&b, " ORDER BY sort_key, id");
	return sb_exec(db, &b, out, e);
}

enum err pvdb_user_units(struct db *db, struct arena *a, long long user_id,
			 const char *const *roles, int nroles,
			 long long version, long long **ids, int *n,
			 struct error *e)
{
	struct sqlb b;
	sb_init(&b, a, nroles);
	b.version = version;
	sb_add(&b,
	       "SELECT DISTINCT unit_id FROM user_roles WHERE user_id = "
	       "$%d AND role IN (",
	       sb_param(&b, id_text(a, user_id)));
	for (int i = 0; i < nroles; i++)
		sb_add(&b, "%s$%d", i ? ", " : "", sb_param(&b, roles[i]));
	sb_add(&b, "%s) ORDER BY unit_id LIMIT %d", nroles ? "" : "NULL",
	       PV_MAX_UNITS);
	struct db_result *r;
	enum err err = sb_exec(db, &b, &r, e);
	if (err)
		return err;
	*ids = arena_alloc(a, sizeof **ids * (size_t)(r->nrows + 1));
	if (!*ids)
		return error_set(e, ERR_NOMEM, "out of memory");
	for (int i = 0; i < r->nrows; i++)
		(*ids)[i] = db_get_int(r, i, "unit_id", 0);
	*n = r->nrows;
	qsort(*ids, (size_t)*n, sizeof **ids, db_id_cmp);
	return ERR_OK;
}

/* ---- scorecards (their counts kept per plan, as above) ---- */

struct tally_row {
	long long key;
	struct scorecard_counts c;
};

static int cmp_tally(const void *x, const void *y)
{
	const struct tally_row *p = x, *q = y;
	return (p->key > q->key) - (p->key < q->key);
}

static int cmp_row(const void *x, const void *y)
{
	const struct scorecard_row *p = x, *q = y;
	int c = strcmp(p->sort_key ? p->sort_key : "",
		       q->sort_key ? q->sort_key : "");
	return c ? c : (p->key > q->key) - (p->key < q->key);
}

/* One plan's kept counts, as text: a line per key, "k due on_time late
 * overdue pending requests explanations unanswered". */
static bool tally_add(struct arena *a, struct tally_text *t, long long k,
		      const struct scorecard_counts *c)
{
	return tally_printf(a, t, "%lld %d %d %d %d %d %d %d %d\n", k, c->due,
			    c->on_time, c->late, c->overdue, c->pending,
			    c->requests, c->explanations, c->unanswered);
}

/* The rows of one plan's text appended to rows[*n..max). */
static bool tally_parse(const char *text, struct tally_row *rows, int *n,
			int max)
{
	const char *p = text;
	while (*p) {
		struct tally_row r = {0};
		int used = 0;
		if (sscanf(p, "%lld %d %d %d %d %d %d %d %d\n%n", &r.key,
			   &r.c.due, &r.c.on_time, &r.c.late, &r.c.overdue,
			   &r.c.pending, &r.c.requests, &r.c.explanations,
			   &r.c.unanswered, &used) != 9 ||
		    used <= 0 || *n >= max)
			return false;
		rows[(*n)++] = r;
		p += used;
	}
	return true;
}

/* Counts the plans ids[0..n) afresh: texts[i] gets plan ids[i]'s lines. */
static enum err tally_count(struct db *db, struct arena *a,
			    const struct pv_filter *f,
			    const struct scorecard_period *per, bool users,
			    bool communes, const long long *ids, int n,
			    struct tally_text *texts, struct error *e)
{
	const char *key = users      ? "t.responsible_user_id"
			  : communes ? "p.unit_id"
				     : "t.lead_unit_id";
	/* the tasks due in the period, per plan, key and status: the rows
	 * come in the order of tasks_leaf_status_due, so the count is a
	 * walk of the index's ranges with two comparisons per task (done
	 * late; due before today); the rules of scorecard.h are put
	 * together from them below */
	struct sqlb b;
	sb_init(&b, a, n + f->nonly_units);
	b.version = -1;
	int td = sb_param(&b, f->u->today_iso);
	int from = sb_param(&b, per->from), to = sb_param(&b, per->to);
	sb_add(&b,
	       "SELECT t.plan_id AS plan, %s AS k, t.status, COUNT(*) AS n, "
	       "SUM(CASE WHEN t.done_on > t.due_on THEN 1 ELSE 0 END) AS "
	       "late, SUM(CASE WHEN t.due_on < $%d THEN 1 ELSE 0 END) AS past "
	       "FROM tasks t JOIN plans p ON p.id = t.plan_id "
	       "WHERE t.status IN ('todo', 'doing', 'done') AND t.due_on >= "
	       "$%d AND t.due_on <= $%d AND %s IS NOT NULL AND t.plan_id IN ",
	       key, td, from, to, key);
	sb_in(&b, ids, n);
	sb_add(&b, "%s", leaf);
	if (f->nonly_units) {
		sb_add(&b, " AND t.lead_unit_id IN ");
		sb_in(&b, f->only_units, f->nonly_units);
	}
	sb_add(&b, " GROUP BY t.plan_id, %s, t.status ORDER BY 1, 2", key);
	struct db_result *tr, *rr;
	enum err err = sb_exec(db, &b, &tr, e);
	if (err)
		return err;

	/* the requests sent in the period: to the unit, or about the
	 * official's tasks */
	const char *rkey = users      ? "t.responsible_user_id"
			   : communes ? "p.unit_id"
				      : "r.unit_id";
	sb_init(&b, a, n + f->nonly_units);
	b.version = -1;
	td = sb_param(&b, f->u->today_iso);
	from = sb_param(&b, per->from_utc);
	to = sb_param(&b, per->to_utc);
	sb_add(&b,
	       "SELECT t.plan_id AS plan, %s AS k, COUNT(*) AS requests, "
	       "SUM(CASE WHEN r.kind = 'explanation' THEN 1 ELSE 0 END) AS "
	       "explanations, SUM(CASE WHEN r.kind = 'explanation' AND "
	       "r.answer IS NULL AND r.answer_due < $%d THEN 1 ELSE 0 END) AS "
	       "unanswered FROM tasks t JOIN task_requests r ON r.task_id = "
	       "t.id JOIN plans p ON p.id = t.plan_id WHERE r.sent_at >= $%d "
	       "AND r.sent_at < $%d AND %s IS NOT NULL AND t.plan_id IN ",
	       rkey, td, from, to, rkey);
	sb_in(&b, ids, n);
	if (f->nonly_units) {
		sb_add(&b, " AND %s IN ",
		       users ? "t.lead_unit_id" : "r.unit_id");
		sb_in(&b, f->only_units, f->nonly_units);
	}
	sb_add(&b, " GROUP BY t.plan_id, %s ORDER BY 1, 2", rkey);
	err = sb_exec(db, &b, &rr, e);
	if (err)
		return err;

	/* both results are ordered by plan and key: merge them per plan */
	int i = 0, j = 0;
	while (i < tr->nrows || j < rr->nrows) {
		long long tp = i < tr->nrows ? db_get_int(tr, i, "plan", 0)
					     : LLONG_MAX,
			  tk = i < tr->nrows ? db_get_int(tr, i, "k", 0)
					     : LLONG_MAX,
			  rp = j < rr->nrows ? db_get_int(rr, j, "plan", 0)
					     : LLONG_MAX,
			  rk = j < rr->nrows ? db_get_int(rr, j, "k", 0)
					     : LLONG_MAX;
		bool take_t = tp < rp || (tp == rp && tk <= rk),
		     take_r = rp < tp || (rp == tp && rk <= tk);
		long long plan = take_t ? tp : rp, k = take_t ? tk : rk;
		struct scorecard_counts c = {0};
		/* a key's status rows follow each other */
		while (take_t && i < tr->nrows &&
		       db_get_int(tr, i, "plan", 0) == plan &&
		       db_get_int(tr, i, "k", 0) == k) {
			const char *status = db_get(tr, i, "status");
			int cnt = (int)db_get_int(tr, i, "n", 0);
			c.due += cnt;
			if (status && !strcmp(status, "done")) {
				/* done_on NULL is on time, as in urgency.h */
				int late = (int)db_get_int(tr, i, "late", 0);
				c.late += late;
				c.on_time += cnt - late;
			} else { /* todo, doing */
				int past = (int)db_get_int(tr, i, "past", 0);
				c.overdue += past;
				c.pending += cnt - past;
			}
			i++;
		}
		if (take_r) {
			c.requests = (int)db_get_int(rr, j, "requests", 0);
			c.explanations =
				(int)db_get_int(rr, j, "explanations", 0);
			c.unanswered = (int)db_get_int(rr, j, "unanswered", 0);
			j++;
		}
		int at = plan_index(ids, n, plan);
		if (at < 0)
			return error_set(e, ERR_INTERNAL,
					 "scorecard: plan %lld not asked",
					 plan);
		if (!tally_add(a, &texts[at], k, &c))
			return error_set(
				e, ERR_TOOBIG,
				"scorecard: plan %lld counts too large", plan);
	}
	return ERR_OK;
}

enum err pvdb_scorecard(struct db *db, struct arena *a,
			const struct pv_filter *f,
			const struct scorecard_period *per, const char *by,
			struct scorecard_row **rows, int *n, int *min_tasks,
			struct error *e)
{
	enum err err = check_communes(f->ncommunes, e);
	if (err)
		return err;
	if (!f->u)
		return error_set(e, ERR_INTERNAL, "scorecard without a day");
	bool users = by && !strcmp(by, "user"),
	     communes = by && !strcmp(by, "commune");

	/* the units asked (a unit head's) are part of the key */
	char only[2048] = "";
	size_t ol = 0;
	for (int i = 0; i < f->nonly_units && ol < sizeof only - 24; i++)
		ol += (size_t)snprintf(only + ol, sizeof only - ol, "%s%lld",
				       i ? "," : "", f->only_units[i]);
	if (ol >= sizeof only - 24)
		return error_set(e, ERR_TOOBIG, "scorecard: too many units");
	struct db_result *pr;
	err = plan_revs(db, a, f, &pr, e);
	if (err)
		return err;
	if (min_tasks) {
		*min_tasks = 0;
		for (int i = 0; i < pr->nrows; i++) {
			int m = (int)db_get_int(pr, i, "criterion_min_tasks",
						5);
			*min_tasks = m > *min_tasks ? m : *min_tasks;
		}
		if (!*min_tasks)
			*min_tasks = 5;
	}
	const char *key =
		arena_printf(a, "scorecard|%s|%s|%s|%s|%s",
			     users      ? "user"
			     : communes ? "commune"
					: "unit",
			     f->u->today_iso, per->from, per->to, only);
	struct kept_plans k;
	if (!key)
		return error_set(e, ERR_NOMEM, "out of memory");
	err = kept_plans_load(a, pr, key, &k, e);
	if (err)
		return err;
	if (k.nmissing) {
		err = tally_count(db, a, f, per, users, communes, k.missing,
				  k.nmissing, k.fresh, e);
		if (err)
			return err;
		kept_plans_store(a, &k);
	}
	int np = k.n;
	const char **texts = k.texts;
	const long long *ids = k.ids;
	struct sqlb b;

	/* the plans' rows, added up per key */
	int max = 0;
	for (int i = 0; i < np; i++)
		for (const char *p = texts[i]; *p; p++)
			max += *p == '\n';
	struct tally_row *all = arena_alloc(a, sizeof *all * (size_t)(max + 1));
	if (!all)
		return error_set(e, ERR_NOMEM, "out of memory");
	int nall = 0;
	for (int i = 0; i < np; i++)
		if (!tally_parse(texts[i], all, &nall, max))
			return error_set(e, ERR_INTERNAL,
					 "scorecard: plan %lld: bad counts",
					 ids[i]);
	qsort(all, (size_t)nall, sizeof *all, cmp_tally);
	struct scorecard_row *out =
		arena_alloc(a, sizeof *out * (size_t)(nall + 1));
	long long *kids = arena_alloc(a, sizeof *kids * (size_t)(nall + 1));
	if (!out || !kids)
		return error_set(e, ERR_NOMEM, "out of memory");
	int m = 0;
	for (int i = 0; i < nall; i++) {
		if (!m || out[m - 1].key != all[i].key) {
			memset(&out[m], 0, sizeof out[m]);
			out[m].key = kids[m] = all[i].key;
			m++;
		}
		scorecard_add(&out[m - 1].c, &all[i].c);
	}

	/* their names, kept at the database's version like the filter
	 * form's choices */
	if (m) {
		qsort(kids, (size_t)m, sizeof *kids, db_id_cmp);
		sb_init(&b, a, m);
		b.version = f->version;
		b.ref = true;
		sb_add(&b,
		       "SELECT id, %s AS name, sort_key FROM %s WHERE id IN ",
		       users ? "full_name" : "name", users ? "users" : "units");
		sb_in(&b, kids, m);
		struct db_result *nr;
		err = sb_exec(db, &b, &nr, e);
		if (err)
			return err;
		for (int i = 0; i < nr->nrows; i++) {
			long long id = db_get_int(nr, i, "id", 0);
			/* out is sorted by key, as kids */
			int lo = 0, hi = m - 1;
			while (lo <= hi) {
				int mid = lo + (hi - lo) / 2;
				if (out[mid].key == id) {
					out[mid].name = db_get(nr, i, "name");
					out[mid].sort_key =
						db_get(nr, i, "sort_key");
					break;
				}
				if (out[mid].key < id)
					lo = mid + 1;
				else
					hi = mid - 1;
			}
		}
	}
	qsort(out, (size_t)m, sizeof *out, cmp_row);
	*rows = out;
	*n = m;
	return ERR_OK;
}

/* ---- requests ---- */

static const char request_cols[] =
	"SELECT r.id, r.task_id, t.title AS task_title, t.plan_id, "
	"p.unit_id AS plan_unit_id, r.unit_id, u.name AS unit_name, r.kind, "
	"r.message, r.answer_due, r.sent_by, su.full_name AS sent_by_name, "
	"r.sent_at, r.answer, r.answered_by, au.full_name AS "
	"answered_by_name, r.answered_at, t.responsible_user_id, "
	"t.lead_unit_id, t.status AS task_status, t.due_on AS task_due_on "
	"FROM task_requests r JOIN tasks t ON t.id = r.task_id "
	"JOIN plans p ON p.id = t.plan_id JOIN units u ON u.id = r.unit_id "
	"LEFT JOIN users su ON su.id = r.sent_by "
	"LEFT JOIN users au ON au.id = r.answered_by ";

enum err pvdb_requests(struct db *db, struct arena *a,
		       const struct pv_request_filter *f,
		       struct db_result **out, struct error *e)
{
	enum err err = check_communes(f->ncommunes, e);
	if (err)
		return err;
	struct sqlb b;
	sb_init(&b, a, f->ncommunes + f->nunits);
	b.version = f->version;
	sb_add(&b, "%sWHERE p.unit_id IN ", request_cols);
	sb_in(&b, f->communes, f->ncommunes);
	if (f->nunits || f->or_responsible) {
		sb_add(&b, " AND (r.unit_id IN ");
		sb_in(&b, f->units, f->nunits);
		if (f->or_responsible)
			sb_add(&b, " OR t.responsible_user_id = $%d",
			       sb_param(&b, id_text(a, f->or_responsible)));
		sb_add(&b, ")");
	}
	if (f->unit_id)
		sb_add(&b, " AND r.unit_id = $%d",
		       sb_param(&b, id_text(a, f->unit_id)));
	if (f->user_id)
		sb_add(&b, " AND t.responsible_user_id = $%d",
		       sb_param(&b, id_text(a, f->user_id)));
	if (f->plan_id)
		sb_add(&b, " AND t.plan_id = $%d",
		       sb_param(&b, id_text(a, f->plan_id)));
	if (f->state && !strcmp(f->state, "open"))
		sb_add(&b, " AND r.answer IS NULL");
	else if (f->state && !strcmp(f->state, "answered"))
		sb_add(&b, " AND r.answer IS NOT NULL");
	if (f->kind && *f->kind)
		sb_add(&b, " AND r.kind = $%d", sb_param(&b, f->kind));
	if (f->from_utc && *f->from_utc)
		sb_add(&b, " AND r.sent_at >= $%d", sb_param(&b, f->from_utc));
	if (f->to_utc && *f->to_utc)
		sb_add(&b, " AND r.sent_at < $%d", sb_param(&b, f->to_utc));
	if (f->overdue_before && *f->overdue_before)
		sb_add(&b,
		       " AND r.kind = 'explanation' AND r.answer IS NULL AND "
		       "r.answer_due < $%d",
		       sb_param(&b, f->overdue_before));
	sb_add(&b, " ORDER BY r.sent_at DESC, r.id DESC LIMIT %d", PV_MAX_ROWS);
	return sb_exec(db, &b, out, e);
}

enum err pvdb_latest_round(struct db *db, struct arena *a,
			   const long long *scopes, int n, long long *round,
			   struct error *e)
{
	*round = 0;
	if (n <= 0)
		return ERR_OK;
	struct sqlb b;
	sb_init(&b, a, n);
	b.version = -1; /* interviews are not all audited: always asked */
	sb_add(&b,
	       "SELECT r.id FROM survey_rounds r WHERE r.scope_unit_id IN ");
	sb_in(&b, scopes, n);
	sb_add(&b, " AND EXISTS (SELECT 1 FROM interviews i WHERE i.round_id "
		   "= r.id AND i.status = 'submitted') "
		   "ORDER BY r.year DESC, r.id DESC LIMIT 1");
	struct db_result *r;
	enum err err = sb_exec(db, &b, &r, e);
	if (!err && r->nrows)
		*round = db_get_int(r, 0, "id", 0);
	return err;
}

/* ---- urging ---- */

enum err pvdb_task_brief(struct db *db, struct arena *a, long long task_id,
			 struct db_result **out, struct error *e)
{
	enum err err = db_exec(
		db, a,
		"SELECT t.id, t.title, t.plan_id, p.unit_id AS plan_unit_id, "
		"t.lead_unit_id, u.name AS lead_unit_name, "
		"t.responsible_user_id, t.status, t.due_on FROM tasks t "
		"JOIN plans p ON p.id = t.plan_id JOIN units u ON u.id = "
		"t.lead_unit_id WHERE t.id = $1",
		DB_PARAMS(id_text(a, task_id)), out, e);
	if (!err && !(*out)->nrows)
		return error_set(e, ERR_NOTFOUND, "task %lld: no such task",
				 task_id);
	return err;
}

enum err pvdb_request_insert(struct db *db, struct arena *a, long long task_id,
			     long long unit_id, const char *kind,
			     const char *message, const char *answer_due,
			     long long sent_by, const char *sent_at,
			     long long *id, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"INSERT INTO task_requests (task_id, unit_id, kind, message, "
		"answer_due, sent_by, sent_at) VALUES ($1, $2, $3, $4, $5, $6, "
		"$7) RETURNING id",
		DB_PARAMS(id_text(a, task_id), id_text(a, unit_id), kind,
			  message, answer_due,
			  sent_by ? id_text(a, sent_by) : NULL, sent_at),
		&r, e);
	if (!err)
		*id = db_get_int(r, 0, "id", 0);
	return err;
}

enum err pvdb_request_get(struct db *db, struct arena *a, long long id,
			  struct db_result **out, struct error *e)
{
	char *sql = arena_printf(a, "%sWHERE r.id = $1", request_cols);
	if (!sql)
		return error_set(e, ERR_NOMEM, "out of memory");
	enum err err = db_exec(db, a, sql, DB_PARAMS(id_text(a, id)), out, e);
	if (!err && !(*out)->nrows)
		return error_set(e, ERR_NOTFOUND,
				 "request %lld: no such request", id);
	return err;
}

enum err pvdb_request_answer(struct db *db, struct arena *a, long long id,
			     const char *answer, long long user_id,
			     const char *at, struct error *e)
{
	struct db_result *r;
	/* the condition makes two answers at once impossible: the second
	 * changes nothing and is told so */
	enum err err = db_exec(
		db, a,
		"UPDATE task_requests SET answer = $1, answered_by = $2, "
		"answered_at = $3 WHERE id = $4 AND answer IS NULL",
		DB_PARAMS(answer, user_id ? id_text(a, user_id) : NULL, at,
			  id_text(a, id)),
		&r, e);
	if (!err && r->changes == 0)
		return error_set(e, ERR_CONFLICT,
				 "request %lld: answered already", id);
	return err;
}

enum err pvdb_user_has_role(struct db *db, struct arena *a, long long user_id,
			    const char *role, long long unit_id, bool *has,
			    struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT 1 AS x FROM user_roles WHERE user_id = "
		"$1 AND role = $2 AND unit_id = $3",
		DB_PARAMS(id_text(a, user_id), role, id_text(a, unit_id)), &r,
		e);
	*has = !err && r->nrows > 0;
	return err;
}
