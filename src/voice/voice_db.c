/* The SQL of citizens' cases (voice.h): cases and their events, clocks,
 * extensions, answers and their review, merging, duplicates, lists and
 * statistics, and the reception register. Each change runs in one
 * transaction with its event, its audit row and its notifications.
 * Portable between SQLite 3.40 and PostgreSQL 15: $N placeholders, text
 * parameters, RETURNING id, CAST. Lists of ids go into the SQL text as
 * numbers the program printed, never as text from outside. */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "voice.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../files/attachment.h"
#include "../notify/notify.h"
#include "../base/banned.h"

enum {
	NAME_MAX_CHARS = 100,
	PHONE_MAX_CHARS = 20,
	ADDRESS_MAX_CHARS = 300,
	PORTAL_ID_MAX = 100,
	NOTE_MAX_CHARS = 5000,
	ANSWER_MAX_CHARS = 20000,
	CODE_TRIES = 8,
	MERGE_HOPS = 8,
	SIMILAR_CANDIDATES = 500,
	CACHE_SECONDS = 5,
	STATS_DIMENSIONS = 8,
};

static const struct actor actor_citizen = {0, "citizen", ""};

/* ---- small helpers ---- */

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static const char *id_or_null(struct arena *a, long long v)
{
	return v > 0 ? num(a, v) : NULL;
}

static const char *real_or_null(struct arena *a, double v)
{
	return isfinite(v) ? arena_printf(a, "%.10g", v) : NULL;
}

static const char *str(const char *s)
{
	return s ? s : "";
}

static bool empty(const char *s)
{
	return !s || !*s;
}

static bool is(const char *s, const char *t)
{
	return s && !strcmp(s, t);
}

static const char *iso_day(struct arena *a, struct date d)
{
	char buf[11];
	date_format_iso(d, buf);
	return arena_strdup(a, buf);
}

static const char *today_iso(struct arena *a)
{
	return iso_day(a, clock_today_vn());
}

static enum err returning_id(struct db *db, struct arena *a, const char *sql,
			     const char *const *p, int np, long long *id,
			     struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a, sql, p, np, &r, e);
	if (err)
		return err;
	if (r->nrows != 1)
		return error_set(e, ERR_DB, "insert returned no id");
	*id = db_get_int(r, 0, "id", 0);
	return ERR_OK;
}

static enum err invalid(struct field_problems *fp, struct error *e,
			const char *what)
{
	if (fp && fp->n)
		return error_set(e, ERR_INVALID, "%s: %s: %s", what,
				 fp->list[0].field, fp->list[0].msg_en);
	return error_set(e, ERR_INVALID, "%s is not valid", what);
}

static void problem(struct field_problems *fp, const char *field,
		    const char *en, const char *vi)
{
	if (fp && fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){field, en, vi};
}

/* Code points of valid UTF-8. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Trimmed, valid UTF-8 of at most max characters; NULL (with a problem)
 * when not. required: not empty. */
static const char *text_field(struct arena *a, struct field_problems *fp,
			      const char *field, const char *v, size_t min,
			      size_t max, const char *en, const char *vi)
{
	if (!v)
		v = "";
	if (!text_valid_utf8(v, strlen(v))) {
		problem(fp, field, "is not valid UTF-8",
			"Nội dung có ký tự không hợp lệ.");
		return NULL;
	}
	const char *t = text_trim(a, v);
	if (!t)
		return NULL;
	size_t n = chars(t);
	if (n < min || n > max) {
		problem(fp, field, en, vi);
		return NULL;
	}
	return t;
}

static double real_of(const char *s)
{
	if (!s)
		return NAN;
	char *end;
	double v = strtod(s, &end);
	return end != s ? v : NAN;
}

static const struct actor *actor_or_citizen(const struct actor *who)
{
	return who ? who : &actor_citizen;
}

/* ---- the clock context: rules and calendar, cached ----
 * Rules and calendar change rarely (an administrator edits them) and are
 * needed by every submission and page: one copy per process, refreshed
 * when older than CACHE_SECONDS, handed out as arena copies so no caller
 * holds memory a refresh frees. A version key from the audit log would
 * change with every submission, which writes an audit row itself. */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool loaded;
	enum db_kind kind;
	struct timespec at;
	struct arena arena; /* the rules' strings */
	struct case_rules rules;
	struct calendar cal;
} cache;

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static enum err rules_from(struct arena *a, struct db_result *r,
			   struct case_rules *out, struct error *e)
{
	out->n = 0;
	out->list = arena_alloc(a, sizeof *out->list *
					   (size_t)(r->nrows ? r->nrows : 1));
	if (!out->list)
		return error_set(e, ERR_NOMEM, "case rules: out of memory");
	for (int i = 0; i < r->nrows; i++) {
		struct case_rule *x = &out->list[out->n++];
		const char *ef = db_get(r, i, "effective_from"),
			   *et = db_get(r, i, "effective_to");
		*x = (struct case_rule){
			.id = db_get_int(r, i, "id", 0),
			.case_type =
				arena_strdup(a, str(db_get(r, i, "case_type"))),
			.step = arena_strdup(a, str(db_get(r, i, "step"))),
			.start_event = arena_strdup(
				a, str(db_get(r, i, "start_event"))),
			.day_unit =
				arena_strdup(a, str(db_get(r, i, "day_unit"))),
			.days = (int)db_get_int(r, i, "days", 0),
			.days_complex =
				(int)db_get_int(r, i, "days_complex", 0),
			.days_remote = (int)db_get_int(r, i, "days_remote", 0),
			.days_remote_complex =
				(int)db_get_int(r, i, "days_remote_complex", 0),
			.extension_days =
				(int)db_get_int(r, i, "extension_days", 0),
			.max_extensions =
				(int)db_get_int(r, i, "max_extensions", 0),
			.effective_from = arena_strdup(a, str(ef)),
			.effective_to = et ? arena_strdup(a, et) : NULL,
			.legal_basis = arena_strdup(
				a, str(db_get(r, i, "legal_basis"))),
			.verified = db_get_int(r, i, "verified", 0) != 0,
		};
		if (!x->case_type || !x->step || !x->legal_basis ||
		    !x->effective_from || (et && !x->effective_to))
			return error_set(e, ERR_NOMEM,
					 "case rules: out of memory");
	}
	return ERR_OK;
}

static const char RULES_SQL[] =
	"SELECT id, case_type, step, start_event, days, day_unit, "
	"days_complex, days_remote, days_remote_complex, extension_days, "
	"max_extensions, effective_from, effective_to, legal_basis, verified "
	"FROM case_rules ORDER BY case_type, step, effective_from";

enum err voice_rules_load(struct db *db, struct arena *a,
			  struct case_rules *out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a, RULES_SQL, NULL, 0, &r, e);
	return err ? err : rules_from(a, r, out, e);
}

static enum err cache_refresh(struct db *db, struct error *e)
{
	struct arena tmp;
	arena_init(&tmp, 16 << 20);
	struct arena keep;
	arena_init(&keep, 1 << 20);
	struct case_rules rules;
	struct calendar cal;
	calendar_init(&cal);
	enum err err = voice_rules_load(db, &keep, &rules, e);
	if (!err)
		err = calendar_db_load(db, &tmp, &cal, e);
	arena_release(&tmp);
	if (err) {
		arena_release(&keep);
		calendar_release(&cal);
		return err;
	}
	if (cache.loaded) {
		arena_release(&cache.arena);
		calendar_release(&cache.cal);
	}
	cache.arena = keep;
	cache.rules = rules;
	cache.cal = cal;
	cache.kind = db_kind(db);
	clock_gettime(CLOCK_MONOTONIC, &cache.at);
	cache.loaded = true;
	return ERR_OK;
}

void voice_clock_forget(void)
{
	pthread_mutex_lock(&cache_lock);
	cache.at.tv_sec -= 2 * CACHE_SECONDS; /* stale: the next use reloads */
	pthread_mutex_unlock(&cache_lock);
}

static char *dup_or_null(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

enum err voice_clock_context(struct db *db, struct arena *a,
			     struct case_rules *rules, struct calendar *cal,
			     struct error *e)
{
	enum err err = ERR_OK;
	pthread_mutex_lock(&cache_lock);
	if (!cache.loaded || cache.kind != db_kind(db) ||
	    since(&cache.at) > CACHE_SECONDS)
		err = cache_refresh(db, e);
	if (!err) {
		int n = cache.rules.n;
		rules->n = n;
		rules->list = arena_alloc(a, sizeof *rules->list *
						     (size_t)(n ? n : 1));
		cal->n = cal->cap = cache.cal.n;
		cal->days = arena_alloc(
			a, sizeof *cal->days * (size_t)(cal->n ? cal->n : 1));
		if (!rules->list || !cal->days)
			err = error_set(e, ERR_NOMEM, "clocks: out of memory");
		for (int i = 0; !err && i < n; i++) {
			struct case_rule *x = &rules->list[i];
			*x = cache.rules.list[i];
			x->case_type = arena_strdup(a, x->case_type);
			x->step = arena_strdup(a, x->step);
			x->start_event = arena_strdup(a, x->start_event);
			x->day_unit = arena_strdup(a, x->day_unit);
			x->effective_from = arena_strdup(a, x->effective_from);
			x->effective_to = dup_or_null(a, x->effective_to);
			x->legal_basis = arena_strdup(a, x->legal_basis);
			if (!x->legal_basis)
				err = error_set(e, ERR_NOMEM,
						"clocks: out of memory");
		}
		if (!err && cal->n)
			memcpy(cal->days, cache.cal.days,
			       sizeof *cal->days * (size_t)cal->n);
	}
	pthread_mutex_unlock(&cache_lock);
	return err;
}

/* ---- the case row ---- */

#define CASE_COLS                                                              \
	"id, commune_id, code, case_type, topic_id, village_id, channel, "     \
	"portal_id, title, body, citizen_name, citizen_phone, "                \
	"citizen_address, CASE WHEN identity_box IS NULL THEN 0 ELSE 1 END "   \
	"AS has_identity, lat, lon, status, complexity, remote, unit_id, "     \
	"handler_id, received_on, accepted_on, due_on, answered_on, "          \
	"closed_on, forwarded_to, refusal_reason, merged_into, published, "    \
	"rating, rating_reason, created_by, created_at, updated_at"

/* The names case_json shows, read with the case (case_track). */
#define CASE_NAME_COLS                                                         \
	"(SELECT name_vi FROM case_topics WHERE id = cases.topic_id) AS "      \
	"n_topic, (SELECT code FROM case_topics WHERE id = cases.topic_id) "   \
	"AS n_topic_code, (SELECT dimension FROM case_topics WHERE id = "      \
	"cases.topic_id) AS n_dimension, (SELECT name FROM units WHERE id = "  \
	"cases.village_id) AS n_village, (SELECT name FROM units WHERE id = "  \
	"cases.unit_id) AS n_unit, (SELECT full_name FROM users WHERE id = "   \
	"cases.handler_id) AS n_handler, (SELECT name FROM units WHERE id = "  \
	"cases.commune_id) AS n_commune, (SELECT m.code FROM cases m WHERE "   \
	"m.id = cases.merged_into) AS n_merged_code"

static struct case_names *names_from_row(struct arena *a, struct db_result *r,
					 int i, const char *prefix)
{
	struct case_names *n = arena_alloc(a, sizeof *n);
	if (!n)
		return NULL;
	char col[32];
#define NAME(field, key)                                                       \
	snprintf(col, sizeof col, "%s%s", prefix, key);                        \
	n->field = db_get(r, i, col)
	NAME(topic, "topic");
	NAME(topic_code, "topic_code");
	NAME(dimension, "dimension");
	NAME(village, "village");
	NAME(unit, "unit");
	NAME(handler, "handler");
	NAME(commune, "commune");
	NAME(merged_code, "merged_code");
#undef NAME
	return n;
}

static void case_from_row(struct db_result *r, int i, struct voice_case *c)
{
	*c = (struct voice_case){
		.id = db_get_int(r, i, "id", 0),
		.commune_id = db_get_int(r, i, "commune_id", 0),
		.topic_id = db_get_int(r, i, "topic_id", 0),
		.village_id = db_get_int(r, i, "village_id", 0),
		.unit_id = db_get_int(r, i, "unit_id", 0),
		.handler_id = db_get_int(r, i, "handler_id", 0),
		.merged_into = db_get_int(r, i, "merged_into", 0),
		.created_by = db_get_int(r, i, "created_by", 0),
		.code = db_get(r, i, "code"),
		.case_type = db_get(r, i, "case_type"),
		.channel = db_get(r, i, "channel"),
		.portal_id = db_get(r, i, "portal_id"),
		.title = db_get(r, i, "title"),
		.body = db_get(r, i, "body"),
		.citizen_name = str(db_get(r, i, "citizen_name")),
		.citizen_phone = str(db_get(r, i, "citizen_phone")),
		.citizen_address = str(db_get(r, i, "citizen_address")),
		.has_identity = db_get_int(r, i, "has_identity", 0) != 0,
		.status = db_get(r, i, "status"),
		.received_on = db_get(r, i, "received_on"),
		.accepted_on = db_get(r, i, "accepted_on"),
		.due_on = db_get(r, i, "due_on"),
		.answered_on = db_get(r, i, "answered_on"),
		.closed_on = db_get(r, i, "closed_on"),
		.forwarded_to = str(db_get(r, i, "forwarded_to")),
		.refusal_reason = str(db_get(r, i, "refusal_reason")),
		.rating = db_get(r, i, "rating"),
		.rating_reason = db_get(r, i, "rating")
					 ? str(db_get(r, i, "rating_reason"))
					 : NULL,
		.complexity = (int)db_get_int(r, i, "complexity", 0),
		.remote = db_get_int(r, i, "remote", 0) != 0,
		.published = db_get_int(r, i, "published", 0) != 0,
		.lat = real_of(db_get(r, i, "lat")),
		.lon = real_of(db_get(r, i, "lon")),
		.created_at = db_get(r, i, "created_at"),
		.updated_at = db_get(r, i, "updated_at"),
	};
}

enum err case_get(struct db *db, struct arena *a, long long id,
		  struct voice_case *out, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a, "SELECT " CASE_COLS " FROM cases WHERE id = $1",
			DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (r->nrows != 1)
		return error_set(e, ERR_NOTFOUND, "case %lld: not found", id);
	case_from_row(r, 0, out);
	return ERR_OK;
}

/* ---- codes and secrets ---- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void random_base32(char *out, int n)
{
	unsigned char b[32];
	randombytes_buf(b, (size_t)n);
	for (int i = 0; i < n; i++)
		out[i] = crockford[b[i] & 31];
	out[n] = 0;
}

/* What a person typed: upper case, without spaces and dashes, with the
 * letters Crockford reads as digits (O -> 0, I and L -> 1). */
static char *normalize_code(struct arena *a, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n > 4 * max)
		return NULL;
	char *out = arena_alloc(a, n + 1), *p = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		*p++ = c;
	}
	*p = 0;
	return out;
}

/* The code salts the hash, so equal secrets of two cases differ. */
static void secret_hash(const char *code, const char *secret, char hex[65])
{
	unsigned char h[32];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)code,
				  strlen(code));
	crypto_generichash_update(&st, (const unsigned char *)":", 1);
	crypto_generichash_update(&st, (const unsigned char *)secret,
				  strlen(secret));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static bool secret_matches(const char *code, const char *secret,
			   const char *stored)
{
	char hex[65];
	secret_hash(code, secret, hex);
	if (!stored || strlen(stored) != 64)
		return false;
	return sodium_memcmp(hex, stored, 64) == 0;
}

/* ---- clocks on a case ---- */

struct clock_ctx {
	struct case_rules rules;
	struct calendar cal;
};

static enum err clock_ctx(struct db *db, struct arena *a, struct clock_ctx *k,
			  struct error *e)
{
	return voice_clock_context(db, a, &k->rules, &k->cal, e);
}

/* The rule of the step running now, and the day its clock starts. */
static const struct case_rule *running_rule(const struct clock_ctx *k,
					    const struct voice_case *c,
					    struct date *start)
{
	const char *step = case_current_step(c->case_type, c->status);
	struct date rec, acc;
	if (!step || !c->received_on || !date_parse_iso(c->received_on, &rec))
		return NULL;
	const struct case_rule *r =
		case_rule_find(&k->rules, c->case_type, step, rec);
	*start = rec;
	if (r && is(r->start_event, "accepted") && c->accepted_on &&
	    date_parse_iso(c->accepted_on, &acc)) {
		/* the rule in force on the day its clock starts */
		const struct case_rule *ra =
			case_rule_find(&k->rules, c->case_type, step, acc);
		if (ra)
			r = ra;
		*start = acc;
	}
	return r;
}

/* The due day of the step running now, NULL when none runs. */
static const char *due_of(struct arena *a, const struct clock_ctx *k,
			  const struct voice_case *c, int ext_days)
{
	struct date start;
	const struct case_rule *r = running_rule(k, c, &start);
	if (!r)
		return NULL;
	return iso_day(a, case_due(r, &k->cal, start, c->complexity, c->remote,
				   ext_days));
}

static enum err extension_days(struct db *db, struct arena *a, long long id,
			       const char *step, int *days, int *count,
			       struct error *e)
{
	struct db_result *r;
	*days = 0;
	if (count)
		*count = 0;
	if (!step)
		return ERR_OK;
	enum err err =
		db_exec(db, a,
			"SELECT COALESCE(SUM(days), 0) AS d, COUNT(*) AS "
			"n FROM case_extensions WHERE case_id = $1 AND "
			"step = $2",
			DB_PARAMS(num(a, id), step), &r, e);
	if (err)
		return err;
	*days = (int)db_get_int(r, 0, "d", 0);
	if (count)
		*count = (int)db_get_int(r, 0, "n", 0);
	return ERR_OK;
}

/* When an event happened: now, or for a day before today (keyed in
 * later), that day at 08:00 Vietnam time, so the history reads in order. */
static const char *event_at(struct arena *a, const char *day, const char *now)
{
	if (!day || !now || strncmp(day, now, 10) >= 0)
		return now;
	const char *at = arena_printf(a, "%.10sT01:00:00Z", day);
	return at ? at : now;
}

static enum err add_event(struct db *db, struct arena *a, long long case_id,
			  const struct actor *who, const char *kind,
			  const char *note, const char *at, struct error *e)
{
	return db_exec(db, a,
		       "INSERT INTO case_events (case_id, at, user_id, kind, "
		       "note) VALUES ($1, $2, $3, $4, $5)",
		       DB_PARAMS(num(a, case_id), at,
				 id_or_null(a, who ? who->user_id : 0), kind,
				 str(note)),
		       NULL, e);
}

/* What the audit log keeps of a case: never its text or identity. */
static json_t *case_audit_json(const struct voice_case *c)
{
	return json_pack(
		"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:o, s:i, "
		"s:b}",
		"code", str(c->code), "case_type", str(c->case_type), "status",
		str(c->status), "topic_id", (json_int_t)c->topic_id,
		"village_id", (json_int_t)c->village_id, "unit_id",
		(json_int_t)c->unit_id, "handler_id", (json_int_t)c->handler_id,
		"received_on", str(c->received_on), "due_on",
		c->due_on ? json_string(c->due_on) : json_null(), "complexity",
		c->complexity, "remote", c->remote);
}

static enum err audit_case(struct db *db, struct arena *a,
			   const struct actor *who, const char *action,
			   long long id, const struct voice_case *before,
			   const struct voice_case *after, struct error *e)
{
	json_t *b = before ? case_audit_json(before) : NULL,
	       *af = after ? case_audit_json(after) : NULL;
	enum err err = audit_actor(db, a, actor_or_citizen(who), action, "case",
				   id, b, af, e);
	json_decref(b);
	json_decref(af);
	return err;
}

/* ---- case_create ---- */

static bool valid_phone(const char *s)
{
	int digits = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +-.()", *s))
			return false;
	}
	return digits >= 8 && digits <= 15;
}

static const char *copy_vi(struct arena *a, const char *s)
{
	const char *c = arena_strdup(a, s);
	return c ? c : "Tệp không hợp lệ.";
}

/* The topic is one of the active ones; the village one of the commune's;
 * the commune a commune. One statement. */
static enum err check_places(struct db *db, struct arena *a,
			     const struct voice_case *c,
			     struct field_problems *fp, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT (SELECT kind FROM units WHERE id = $1) AS "
		"commune_kind, "
		"(SELECT COUNT(*) FROM units WHERE id = $2 AND kind = "
		"'village' AND parent_id = $1) AS village_ok, "
		"(SELECT COUNT(*) FROM case_topics WHERE id = $3 AND active = "
		"1) AS topic_ok",
		DB_PARAMS(num(a, c->commune_id), num(a, c->village_id),
			  num(a, c->topic_id)),
		&r, e);
	if (err)
		return err;
	if (!is(db_get(r, 0, "commune_kind"), "commune"))
		problem(fp, "commune_id", "is not a commune",
			"Không tìm thấy xã.");
	if (c->village_id > 0 && db_get_int(r, 0, "village_ok", 0) == 0)
		problem(fp, "village_id", "is not a village of the commune",
			"Thôn không thuộc xã.");
	if (c->topic_id > 0 && db_get_int(r, 0, "topic_ok", 0) == 0)
		problem(fp, "topic_id", "is not a known topic",
			"Lĩnh vực không hợp lệ.");
	return ERR_OK;
}

static bool check_case_input(struct arena *a, struct voice_case *c,
			     struct field_problems *fp)
{
	int before = fp->n;
	if (!case_type_label_vi(c->case_type))
		problem(fp, "case_type", "is not a case type",
			"Hãy chọn loại: phản ánh, kiến nghị, khiếu nại hoặc "
			"tố cáo.");
	if (!c->channel)
		c->channel = "online";
	if (!case_channel_label_vi(c->channel))
		problem(fp, "channel", "is not a channel",
			"Kênh tiếp nhận không hợp lệ.");
	const char *t = text_field(a, fp, "title", c->title, 0, CASE_TITLE_MAX,
				   "is longer than 200 characters",
				   "Tiêu đề dài quá 200 ký tự.");
	c->title = t ? t : c->title;
	t = text_field(a, fp, "body", c->body, CASE_BODY_MIN, CASE_BODY_MAX,
		       "must have 10 to 5000 characters",
		       "Nội dung cần từ 10 đến 5.000 ký tự.");
	c->body = t ? t : c->body;
	t = text_field(a, fp, "citizen_name", c->citizen_name, 0,
		       NAME_MAX_CHARS, "is longer than 100 characters",
		       "Họ tên dài quá 100 ký tự.");
	c->citizen_name = t ? t : c->citizen_name;
	t = text_field(a, fp, "citizen_phone", c->citizen_phone, 0,
		       PHONE_MAX_CHARS, "is longer than 20 characters",
		       "Số điện thoại không hợp lệ.");
	c->citizen_phone = t ? t : c->citizen_phone;
	t = text_field(a, fp, "citizen_address", c->citizen_address, 0,
		       ADDRESS_MAX_CHARS, "is longer than 300 characters",
		       "Địa chỉ dài quá 300 ký tự.");
	c->citizen_address = t ? t : c->citizen_address;
	if (!empty(c->citizen_phone) &&
	    text_valid_utf8(c->citizen_phone, strlen(c->citizen_phone)) &&
	    !valid_phone(c->citizen_phone))
		problem(fp, "citizen_phone", "is not a phone number",
			"Số điện thoại không hợp lệ.");
	if (case_type_needs_identity(c->case_type)) {
		if (empty(c->citizen_name))
			problem(fp, "citizen_name",
				"is required for complaints and denunciations",
				"Khiếu nại, tố cáo cần ghi họ tên người gửi.");
		if (empty(c->citizen_phone) && empty(c->citizen_address))
			problem(fp, "citizen_phone",
				"a phone number or an address is required for "
				"complaints and denunciations",
				"Khiếu nại, tố cáo cần số điện thoại hoặc địa "
				"chỉ liên hệ.");
	}
	if (is(c->channel, "portal")) {
		if (empty(c->portal_id) ||
		    strlen(c->portal_id) > PORTAL_ID_MAX ||
		    !text_valid_utf8(c->portal_id, strlen(c->portal_id)))
			problem(fp, "portal_id",
				"the national portal's id is required",
				"Hãy ghi mã hồ sơ trên Cổng Dịch vụ công quốc "
				"gia.");
	} else if (!empty(c->portal_id)) {
		c->portal_id = "";
	}
	if (isfinite(c->lat) != isfinite(c->lon) ||
	    (isfinite(c->lat) && (fabs(c->lat) > 90 || fabs(c->lon) > 180)))
		problem(fp, "lat", "is not a position", "Vị trí không hợp lệ.");
	if (c->complexity < 0 || c->complexity > 2)
		problem(fp, "complexity", "must be 0, 1 or 2",
			"Mức độ phức tạp không hợp lệ.");
	struct date today = clock_today_vn(), rec;
	if (!empty(c->received_on)) {
		if (!text_parse_date(c->received_on, &rec) ||
		    date_to_days(rec) > date_to_days(today))
			problem(fp, "received_on",
				"must be a day not in the future",
				"Ngày nhận không hợp lệ hoặc ở tương lai.");
		else
			c->received_on = iso_day(a, rec);
	} else {
		c->received_on = iso_day(a, today);
	}
	return fp->n == before;
}

enum err case_create(struct db *db, struct arena *a, const struct actor *who,
		     struct voice_case *c, const struct upload *const *files,
		     int nfiles, const char **secret_out,
		     struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	who = actor_or_citizen(who);
	check_case_input(a, c, fp);
	if (nfiles < 0 || nfiles > CASE_FILES_MAX) {
		problem(fp, "files", "at most 5 files",
			"Chỉ gửi được tối đa 5 tệp.");
		nfiles = 0;
	}
	const char **mimes =
		arena_alloc(a, sizeof *mimes * (size_t)(nfiles + 1));
	if (!mimes)
		return error_set(e, ERR_NOMEM, "case: out of memory");
	for (int i = 0; i < nfiles; i++) {
		struct attachment_problem p;
		if (!attachment_check(files[i], ATTACH_IMAGE | ATTACH_PDF, 0,
				      &mimes[i], &p))
			problem(fp, "files", arena_strdup(a, p.msg_en),
				copy_vi(a, p.msg_vi));
	}
	if (fp->n)
		return invalid(fp, e, "case");
	enum err err = check_places(db, a, c, fp, e);
	if (err)
		return err;
	if (fp->n)
		return invalid(fp, e, "case");

	/* a denunciation's identity goes only into the sealed box */
	char *box = NULL;
	if (is(c->case_type, "denunciation") &&
	    (!empty(c->citizen_name) || !empty(c->citizen_phone) ||
	     !empty(c->citizen_address))) {
		json_t *id = json_pack("{s:s, s:s, s:s}", "name",
				       str(c->citizen_name), "phone",
				       str(c->citizen_phone), "address",
				       str(c->citizen_address));
		char *plain = id ? json_dumps(id, JSON_COMPACT | JSON_SORT_KEYS)
				 : NULL;
		json_decref(id);
		if (!plain)
			return error_set(e, ERR_NOMEM, "case: out of memory");
		err = identity_seal(a, plain, &box, e);
		sodium_memzero(plain, strlen(plain));
		free(plain);
		if (err)
			return err;
		c->citizen_name = c->citizen_phone = c->citizen_address = "";
		c->has_identity = true;
	}

	struct clock_ctx k;
	err = clock_ctx(db, a, &k, e);
	if (err)
		return err;
	c->status = "received";
	c->accepted_on = c->answered_on = c->closed_on = NULL;
	c->due_on = due_of(a, &k, c, 0);
	const char *fold =
		text_fold(a, arena_printf(a, "%s %s", str(c->title), c->body));
	const char *now = clock_now_iso(a);
	char secret[CASE_SECRET_LEN + 1], code[CASE_CODE_LEN + 1], hash[65];
	if (!fold || !now)
		return error_set(e, ERR_NOMEM, "case: out of memory");
	random_base32(secret, CASE_SECRET_LEN);
	code[0] = 'P';
	code[1] = 'A';

	err = db_begin(db, e);
	if (err)
		return err;
	for (int tries = 0;; tries++) {
		random_base32(code + 2, CASE_CODE_LEN - 2);
		secret_hash(code, secret, hash);
		/* a savepoint, so a code already taken (one in 2^40) can be
		 * drawn again without losing the transaction on PostgreSQL */
		err = db_begin(db, e);
		if (!err)
			err = returning_id(
				db, a,
				"INSERT INTO cases (commune_id, code, "
				"secret_hash, case_type, topic_id, village_id, "
				"channel, portal_id, title, body, text_fold, "
				"citizen_name, citizen_phone, citizen_address, "
				"identity_box, lat, lon, status, complexity, "
				"remote, received_on, due_on, submitter_addr, "
				"created_by, created_at, updated_at) VALUES "
				"($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
				"$11, "
				"$12, $13, $14, $15, $16, $17, 'received', "
				"$18, "
				"$19, $20, $21, $22, $23, $24, $24) RETURNING "
				"id",
				DB_PARAMS(num(a, c->commune_id), code, hash,
					  c->case_type,
					  id_or_null(a, c->topic_id),
					  id_or_null(a, c->village_id),
					  c->channel, str(c->portal_id),
					  str(c->title), c->body, fold,
					  str(c->citizen_name),
					  str(c->citizen_phone),
					  str(c->citizen_address), box,
					  real_or_null(a, c->lat),
					  real_or_null(a, c->lon),
					  num(a, c->complexity),
					  c->remote ? "1" : "0", c->received_on,
					  c->due_on,
					  who->user_id ? ""
						       : str(who->remote_addr),
					  id_or_null(a, who->user_id), now),
				&c->id, e);
		if (!err)
			err = db_commit(db, e);
		else
			db_rollback(db);
		if (err != ERR_CONFLICT || tries + 1 >= CODE_TRIES)
			break;
	}
	c->code = arena_strdup(a, code);
	c->created_by = who->user_id;
	c->created_at = c->updated_at = now;
	const char *note =
		who->user_id ? case_channel_label_vi(c->channel) : "";
	if (!err)
		err = add_event(db, a, c->id, who, "receive", note,
				event_at(a, c->received_on, now), e);
	for (int i = 0; !err && i < nfiles; i++) {
		long long fid;
		err = attachment_save(db, a, "case", c->id, files[i], mimes[i],
				      who->user_id, &fid, e);
	}
	if (!err)
		err = audit_case(db, a, who, "case.create", c->id, NULL, c, e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	if (err)
		return err;
	sodium_memzero(hash, sizeof hash);
	*secret_out = arena_strdup(a, secret);
	sodium_memzero(secret, sizeof secret);
	return *secret_out ? ERR_OK
			   : error_set(e, ERR_NOMEM, "case: out of memory");
}

/* ---- the citizen's view ---- */

/* A case by code with its secret's hash; ERR_NOTFOUND when the code is
 * unknown or the secret wrong, after the same work either way. */
static enum err case_by_secret(struct db *db, struct arena *a, const char *code,
			       const char *secret, struct voice_case *out,
			       struct error *e)
{
	const char *k = normalize_code(a, code, CASE_CODE_LEN),
		   *s = normalize_code(a, secret, CASE_SECRET_LEN);
	if (!k || !s || strlen(k) != CASE_CODE_LEN ||
	    strlen(s) != CASE_SECRET_LEN) {
		char hex[65];
		secret_hash("PA00000000", "0000000000", hex);
		return error_set(e, ERR_NOTFOUND,
				 "case: unknown code or wrong secret");
	}
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT " CASE_COLS ", secret_hash, " CASE_NAME_COLS
			" FROM cases WHERE code = $1",
			DB_PARAMS(k), &r, e);
	if (err)
		return err;
	const char *stored = r->nrows == 1 ? db_get(r, 0, "secret_hash") : NULL;
	if (!secret_matches(k, s, stored ? stored : "-"))
		return error_set(e, ERR_NOTFOUND,
				 "case: unknown code or wrong secret");
	case_from_row(r, 0, out);
	out->names = names_from_row(a, r, 0, "n_");
	return ERR_OK;
}

enum err case_track(struct db *db, struct arena *a, const char *code,
		    const char *secret, struct voice_case *out,
		    const char **merged_from, struct error *e)
{
	*merged_from = NULL;
	enum err err = case_by_secret(db, a, code, secret, out, e);
	if (err)
		return err;
	const char *own = out->code;
	for (int hop = 0; out->merged_into > 0; hop++) {
		if (hop >= MERGE_HOPS)
			return error_set(e, ERR_INTERNAL,
					 "case %s: merged more than %d times",
					 own, MERGE_HOPS);
		err = case_get(db, a, out->merged_into, out, e);
		if (err)
			return err;
		*merged_from = own;
	}
	return ERR_OK;
}

enum err case_identity(struct db *db, struct arena *a, const struct actor *who,
		       struct voice_case *c, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a, "SELECT identity_box FROM cases WHERE id = $1",
			DB_PARAMS(num(a, c->id)), &r, e);
	if (err)
		return err;
	if (r->nrows != 1)
		return error_set(e, ERR_NOTFOUND, "case %lld: not found",
				 c->id);
	const char *box = db_get(r, 0, "identity_box");
	if (!box)
		return ERR_OK; /* nothing sealed: the fields are the row's */
	char *plain;
	err = identity_open(a, box, &plain, e);
	if (err)
		return err;
	json_t *j = json_loads(plain, 0, NULL);
	sodium_memzero(plain, strlen(plain));
	if (!json_is_object(j)) {
		json_decref(j);
		return error_set(e, ERR_INTERNAL,
				 "case %lld: the sealed identity is not JSON",
				 c->id);
	}
	c->citizen_name = arena_strdup(
		a, str(json_string_value(json_object_get(j, "name"))));
	c->citizen_phone = arena_strdup(
		a, str(json_string_value(json_object_get(j, "phone"))));
	c->citizen_address = arena_strdup(
		a, str(json_string_value(json_object_get(j, "address"))));
	json_decref(j);
	/* the view is logged, not what was seen */
	err = db_begin(db, e);
	if (!err)
		err = audit_actor(db, a, actor_or_citizen(who),
				  "case.identity_view", "case", c->id, NULL,
				  NULL, e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

/* ---- notifications: who handles the case, never its denouncer ---- */

static enum err notify_handlers(struct db *db, struct arena *a,
				const struct voice_case *c, const char *kind,
				const char *what, struct error *e)
{
	const char *type = case_type_label_vi(c->case_type);
	/* a denunciation's text may name its author: only the code goes */
	const char *title =
		arena_printf(a, "%s %s: %s", str(type), c->code, what);
	const char *body = is(c->case_type, "denunciation") || empty(c->title)
				   ? ""
				   : c->title;
	const char *link = arena_printf(a, "/voice/%lld", c->id);
	if (!title || !link)
		return error_set(e, ERR_NOMEM, "case: out of memory");
	enum err err = ERR_OK;
	if (c->unit_id > 0)
		err = notify_unit(db, a, c->unit_id, ROLE_UNIT_HEAD, kind,
				  title, body, link, e);
	if (!err && c->handler_id > 0)
		err = notify_user(db, a, c->handler_id, kind, title, body, link,
				  e);
	return err;
}

/* ---- workflow steps ---- */

static enum err save_case_state(struct db *db, struct arena *a,
				const struct voice_case *c, const char *now,
				struct error *e)
{
	return db_exec(
		db, a,
		"UPDATE cases SET status = $2, accepted_on = $3, due_on = $4, "
		"answered_on = $5, closed_on = $6, forwarded_to = $7, "
		"refusal_reason = $8, unit_id = $9, handler_id = $10, "
		"complexity = $11, remote = $12, merged_into = $13, "
		"updated_at = $14 WHERE id = $1",
		DB_PARAMS(num(a, c->id), c->status, c->accepted_on, c->due_on,
			  c->answered_on, c->closed_on, str(c->forwarded_to),
			  str(c->refusal_reason), id_or_null(a, c->unit_id),
			  id_or_null(a, c->handler_id), num(a, c->complexity),
			  c->remote ? "1" : "0", id_or_null(a, c->merged_into),
			  now),
		NULL, e);
}

/* due_on of the step now running, extensions counted. */
static enum err recompute_due(struct db *db, struct arena *a,
			      struct voice_case *c, struct error *e)
{
	struct clock_ctx k;
	int ext;
	enum err err = clock_ctx(db, a, &k, e);
	if (!err)
		err = extension_days(db, a, c->id,
				     case_current_step(c->case_type, c->status),
				     &ext, NULL, e);
	if (!err)
		c->due_on = due_of(a, &k, c, ext);
	return err;
}

/* The day something happened: today when not given; not before the
 * receipt, not in the future. */
static const char *action_day(struct arena *a, const char *on,
			      const struct voice_case *c,
			      struct field_problems *fp, const char *field)
{
	struct date d, today = clock_today_vn(), rec;
	if (empty(on))
		return iso_day(a, today);
	if (!text_parse_date(on, &d) || date_to_days(d) > date_to_days(today) ||
	    (c->received_on && date_parse_iso(c->received_on, &rec) &&
	     date_to_days(d) < date_to_days(rec))) {
		problem(fp, field, "must be between the receipt and today",
			"Ngày phải từ ngày nhận đến hôm nay.");
		return NULL;
	}
	return iso_day(a, d);
}

static bool open_status(const char *s)
{
	return is(s, "received") || is(s, "accepted") || is(s, "assigned") ||
	       is(s, "verifying") || is(s, "dialogue");
}

/* A unit of the case's commune (a professional unit or a village), and a
 * handler that exists and is active. */
static enum err check_assignee(struct db *db, struct arena *a,
			       long long commune, long long unit,
			       long long handler, struct field_problems *fp,
			       struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT (SELECT COUNT(*) FROM units WHERE id = $1 AND "
		"(parent_id = $2 OR id = $2)) AS unit_ok, (SELECT COUNT(*) "
		"FROM "
		"users WHERE id = $3 AND active = 1) AS user_ok",
		DB_PARAMS(num(a, unit), num(a, commune), num(a, handler)), &r,
		e);
	if (err)
		return err;
	if (db_get_int(r, 0, "unit_ok", 0) == 0)
		problem(fp, "unit_id", "is not a unit of the commune",
			"Hãy chọn bộ phận của xã.");
	if (handler > 0 && db_get_int(r, 0, "user_ok", 0) == 0)
		problem(fp, "handler_id", "is not an active user",
			"Người xử lý không hợp lệ.");
	return ERR_OK;
}

enum err case_act(struct db *db, struct arena *a, const struct actor *who,
		  long long case_id, const struct case_action *act,
		  struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	struct voice_case before, c;
	enum err err = case_get(db, a, case_id, &before, e);
	if (err)
		return err;
	c = before;
	const char *kind = act ? act->kind : NULL;
	const char *to = is(kind, "accept")     ? "accepted"
			 : is(kind, "forward")  ? "forwarded"
			 : is(kind, "refuse")   ? "refused"
			 : is(kind, "assign")   ? "assigned"
			 : is(kind, "verify")   ? "verifying"
			 : is(kind, "dialogue") ? "dialogue"
			 : is(kind, "close")    ? "closed"
						: NULL;
	if (!to)
		return error_set(e, ERR_INVALID, "case %s: unknown action %s",
				 c.code, str(kind));
	/* assigning again while the case is handled moves it to another
	 * unit or person without changing its status */
	bool reassign = is(kind, "assign") &&
			(is(c.status, "assigned") ||
			 is(c.status, "verifying") || is(c.status, "dialogue"));
	if (!reassign && !case_can_move(c.case_type, c.status, to))
		return error_set(e, ERR_CONFLICT,
				 "case %s: cannot %s a case that is %s", c.code,
				 kind, c.status);
	const char *note =
		text_field(a, fp, "note", act->note, 0, NOTE_MAX_CHARS,
			   "is longer than 5000 characters",
			   "Ghi chú dài quá 5.000 ký tự.");
	const char *day = action_day(a, act->on, &c, fp, "on");
	if (is(kind, "forward")) {
		const char *f =
			text_field(a, fp, "forwarded_to", act->forwarded_to, 1,
				   300, "says where the case goes",
				   "Hãy ghi cơ quan nhận chuyển đơn.");
		c.forwarded_to = f ? f : "";
	} else if (is(kind, "refuse")) {
		const char *r = text_field(
			a, fp, "reason", act->reason, 1, NOTE_MAX_CHARS,
			"a reason is required", "Hãy ghi lý do không thụ lý.");
		c.refusal_reason = r ? r : "";
	} else if (is(kind, "assign")) {
		if (act->unit_id <= 0)
			problem(fp, "unit_id", "a unit is required",
				"Hãy chọn bộ phận xử lý.");
		else
			err = check_assignee(db, a, c.commune_id, act->unit_id,
					     act->handler_id, fp, e);
		if (err)
			return err;
		c.unit_id = act->unit_id;
		c.handler_id = act->handler_id > 0 ? act->handler_id : 0;
	}
	if (act->complexity >= 0) {
		if (act->complexity > 2)
			problem(fp, "complexity", "must be 0, 1 or 2",
				"Mức độ phức tạp không hợp lệ.");
		c.complexity = act->complexity;
	}
	if (act->remote >= 0)
		c.remote = act->remote != 0;
	if (fp->n || !day)
		return invalid(fp, e, "case action");

	if (!reassign)
		c.status = to;
	if (is(kind, "accept"))
		c.accepted_on = day;
	if (is(kind, "close"))
		c.closed_on = day;
	const char *now = clock_now_iso(a);
	err = db_begin(db, e);
	if (!err)
		err = recompute_due(db, a, &c, e);
	if (!err)
		err = save_case_state(db, a, &c, now, e);
	const char *evnote = is(kind, "forward")  ? c.forwarded_to
			     : is(kind, "refuse") ? c.refusal_reason
						  : note;
	if (!err)
		err = add_event(db, a, c.id, who, kind, evnote,
				event_at(a, day, now), e);
	if (!err)
		err = audit_case(db, a, who, arena_printf(a, "case.%s", kind),
				 c.id, &before, &c, e);
	if (!err && is(kind, "assign"))
		err = notify_handlers(db, a, &c, "case.assign",
				      "được giao xử lý", e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

enum err case_extend(struct db *db, struct arena *a, const struct actor *who,
		     long long case_id, int days, const char *reason,
		     const char *document, const char *decided_on,
		     struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	struct voice_case before, c;
	enum err err = case_get(db, a, case_id, &before, e);
	if (err)
		return err;
	c = before;
	const char *step = case_current_step(c.case_type, c.status);
	struct clock_ctx k;
	struct date start;
	err = clock_ctx(db, a, &k, e);
	if (err)
		return err;
	const struct case_rule *rule =
		step ? running_rule(&k, &c, &start) : NULL;
	int ext_days, n;
	err = extension_days(db, a, c.id, step, &ext_days, &n, e);
	if (err)
		return err;
	if (!rule || !case_rule_can_extend(rule, n))
		return error_set(e, ERR_CONFLICT,
				 "case %s: no extension allowed (%d given)",
				 c.code, n);
	if (days <= 0)
		days = rule->extension_days;
	if (days > rule->extension_days)
		problem(fp, "days", "longer than the law allows",
			"Số ngày gia hạn vượt quá quy định.");
	const char *r =
		text_field(a, fp, "reason", reason, 1, NOTE_MAX_CHARS,
			   "a reason is required", "Hãy ghi lý do gia hạn.");
	const char *doc = text_field(a, fp, "document", document, 1, 200,
				     "the written decision is required",
				     "Hãy ghi số văn bản gia hạn.");
	const char *day = action_day(a, decided_on, &c, fp, "decided_on");
	if (fp->n || !r || !doc || !day)
		return invalid(fp, e, "extension");
	const char *now = clock_now_iso(a);
	err = db_begin(db, e);
	if (!err)
		err = db_exec(db, a,
			      "INSERT INTO case_extensions (case_id, step, "
			      "days, reason, document, decided_on, user_id, "
			      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
			      "$8)",
			      DB_PARAMS(num(a, c.id), step, num(a, days), r,
					doc, day, id_or_null(a, who->user_id),
					now),
			      NULL, e);
	if (!err)
		err = recompute_due(db, a, &c, e);
	if (!err)
		err = save_case_state(db, a, &c, now, e);
	if (!err)
		err = add_event(
			db, a, c.id, who, "extend",
			arena_printf(a, "%d ngày (%s): %s", days, doc, r), now,
			e);
	if (!err)
		err = audit_case(db, a, who, "case.extend", c.id, &before, &c,
				 e);
	if (!err)
		err = notify_handlers(db, a, &c, "case.extend", "được gia hạn",
				      e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

enum err case_merge(struct db *db, struct arena *a, const struct actor *who,
		    long long dup, long long into, struct field_problems *fp,
		    struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	struct voice_case d, before, t;
	enum err err = case_get(db, a, dup, &d, e);
	if (!err)
		err = case_get(db, a, into, &t, e);
	if (err)
		return err;
	if (dup == into)
		problem(fp, "into", "a case cannot be merged into itself",
			"Không thể gộp một vụ việc vào chính nó.");
	else if (d.commune_id != t.commune_id)
		problem(fp, "into", "the cases are of different communes",
			"Hai vụ việc thuộc hai xã khác nhau.");
	if (fp->n)
		return invalid(fp, e, "merge");
	if (!open_status(t.status) ||
	    !case_can_move(d.case_type, d.status, "merged"))
		return error_set(e, ERR_CONFLICT,
				 "case %s (%s) cannot be merged into %s (%s)",
				 d.code, d.status, t.code, t.status);
	before = d;
	d.status = "merged";
	d.merged_into = t.id;
	d.due_on = NULL;
	const char *now = clock_now_iso(a);
	err = db_begin(db, e);
	if (!err)
		err = save_case_state(db, a, &d, now, e);
	if (!err)
		err = add_event(db, a, d.id, who, "merge",
				arena_printf(a, "Gộp vào %s", t.code), now, e);
	if (!err)
		err = add_event(
			db, a, t.id, who, "merge",
			arena_printf(a, "Gộp %s vào vụ việc này", d.code), now,
			e);
	if (!err)
		err = audit_case(db, a, who, "case.merge", d.id, &before, &d,
				 e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

/* ---- duplicates ---- */

static bool stop_word(const char *w, size_t n)
{
	static const char *const stop[] = {
		"va",  "la",    "cua", "co",    "cac",  "nhung", "duoc",
		"cho", "da",    "o",   "thi",   "nay",  "khong", "de",
		"tai", "voi",   "mot", "trong", "ve",   "den",   "tu",
		"nhu", "nguoi", "dan", "xa",    "thon", "toi",   "chung"};
	for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
		if (strlen(stop[i]) == n && !strncmp(stop[i], w, n))
			return true;
	return false;
}

enum { WORDS_MAX = 400 };
struct words {
	const char *w[WORDS_MAX];
	size_t len[WORDS_MAX];
	int n;
};

/* The distinct words of folded text, stop words left out. */
static void words_of(const char *s, struct words *ws)
{
	ws->n = 0;
	while (s && *s && ws->n < WORDS_MAX) {
		while (*s &&
		       !(((unsigned char)*s >= 'a' && *s <= 'z') ||
			 (*s >= '0' && *s <= '9') || (unsigned char)*s >= 0x80))
			s++;
		const char *b = s;
		while (*s &&
		       (((unsigned char)*s >= 'a' && *s <= 'z') ||
			(*s >= '0' && *s <= '9') || (unsigned char)*s >= 0x80))
			s++;
		size_t n = (size_t)(s - b);
		if (n < 2 || stop_word(b, n))
			continue;
		bool seen = false;
		for (int i = 0; i < ws->n && !seen; i++)
			seen = ws->len[i] == n && !strncmp(ws->w[i], b, n);
		if (!seen) {
			ws->w[ws->n] = b;
			ws->len[ws->n++] = n;
		}
	}
}

static int shared_words(const struct words *x, const struct words *y)
{
	int n = 0;
	for (int i = 0; i < x->n; i++)
		for (int j = 0; j < y->n; j++)
			if (x->len[i] == y->len[j] &&
			    !strncmp(x->w[i], y->w[j], x->len[i])) {
				n++;
				break;
			}
	return n;
}

struct scored {
	json_t *row;
	int score;
	long long id;
};

static int by_score(const void *x, const void *y)
{
	const struct scored *a = x, *b = y;
	if (a->score != b->score)
		return b->score - a->score;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

enum err case_similar(struct db *db, struct arena *a, long long commune_id,
		      long long village_id, long long topic_id,
		      const char *text, long long case_id, int max,
		      json_t **out, struct error *e)
{
	const char *fold = NULL;
	struct db_result *r;
	enum err err;
	if (case_id > 0 && empty(text)) {
		err = db_exec(db, a,
			      "SELECT text_fold FROM cases WHERE id = $1",
			      DB_PARAMS(num(a, case_id)), &r, e);
		if (err)
			return err;
		fold = r->nrows ? db_get(r, 0, "text_fold") : NULL;
	} else if (text && text_valid_utf8(text, strlen(text))) {
		fold = text_fold(a, text);
	}
	if (max <= 0 || max > 50)
		max = 5;
	if (empty(fold)) {
		*out = json_array();
		return ERR_OK;
	}
	/* the same place and subject first: an index on them */
	const char *sql = arena_printf(
		a,
		"SELECT id, code, title, body, received_on, status, text_fold "
		"FROM cases WHERE commune_id = $1 AND %s AND %s AND status IN "
		"('received', 'accepted', 'assigned', 'verifying', 'dialogue', "
		"'answered') AND id <> $2 ORDER BY id DESC LIMIT %d",
		village_id > 0
			? arena_printf(a, "village_id = %lld", village_id)
			: "1 = 1",
		topic_id > 0 ? arena_printf(a, "topic_id = %lld", topic_id)
			     : "1 = 1",
		SIMILAR_CANDIDATES);
	if (!sql)
		return error_set(e, ERR_NOMEM, "similar: out of memory");
	err = db_exec(db, a, sql,
		      DB_PARAMS(num(a, commune_id), num(a, case_id)), &r, e);
	if (err)
		return err;
	struct words *mine = arena_alloc(a, sizeof *mine),
		     *theirs = arena_alloc(a, sizeof *theirs);
	struct scored *sc = arena_alloc(a, sizeof *sc * (size_t)(r->nrows + 1));
	if (!mine || !theirs || !sc)
		return error_set(e, ERR_NOMEM, "similar: out of memory");
	words_of(fold, mine);
	*out = json_array();
	int n = 0;
	for (int i = 0; i < r->nrows; i++) {
		words_of(db_get(r, i, "text_fold"), theirs);
		int s = shared_words(mine, theirs);
		if (s < 2 && !(s == 1 && mine->n == 1))
			continue;
		sc[n++] = (struct scored){NULL, s, db_get_int(r, i, "id", 0)};
		const char *title = db_get(r, i, "title");
		if (empty(title))
			title = db_get(r, i, "body");
		sc[n - 1].row = json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:s, s:i}", "id",
			(json_int_t)sc[n - 1].id, "code",
			str(db_get(r, i, "code")), "title", str(title),
			"received_on", str(db_get(r, i, "received_on")),
			"status", str(db_get(r, i, "status")), "status_vi",
			str(case_status_label_vi(db_get(r, i, "status"))),
			"score", s);
	}
	qsort(sc, (size_t)n, sizeof *sc, by_score);
	for (int i = 0; i < n; i++) {
		if (i < max && sc[i].row)
			json_array_append(*out, sc[i].row);
		json_decref(sc[i].row);
	}
	return ERR_OK;
}

/* ---- answers ---- */

static bool answer_stage(const char *s)
{
	return is(s, "assigned") || is(s, "verifying") || is(s, "dialogue");
}

enum err case_answer_save(struct db *db, struct arena *a,
			  const struct actor *who, long long case_id,
			  const char *body, bool submit,
			  const struct upload *const *files, int nfiles,
			  long long *answer_id, struct field_problems *fp,
			  struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	struct voice_case c;
	enum err err = case_get(db, a, case_id, &c, e);
	if (err)
		return err;
	if (!answer_stage(c.status))
		return error_set(e, ERR_CONFLICT,
				 "case %s: no answer can be drafted while it "
				 "is %s",
				 c.code, c.status);
	const char *b =
		text_field(a, fp, "body", body, CASE_BODY_MIN, ANSWER_MAX_CHARS,
			   "must have 10 to 20000 characters",
			   "Nội dung trả lời cần từ 10 đến 20.000 ký tự.");
	if (nfiles < 0 || nfiles > CASE_FILES_MAX) {
		problem(fp, "files", "at most 5 files",
			"Chỉ đính kèm được tối đa 5 tệp.");
		nfiles = 0;
	}
	const char **mimes =
		arena_alloc(a, sizeof *mimes * (size_t)(nfiles + 1));
	if (!mimes)
		return error_set(e, ERR_NOMEM, "answer: out of memory");
	for (int i = 0; i < nfiles; i++) {
		struct attachment_problem p;
		if (!attachment_check(files[i], ATTACH_EVIDENCE, 0, &mimes[i],
				      &p))
			problem(fp, "files", arena_strdup(a, p.msg_en),
				copy_vi(a, p.msg_vi));
	}
	if (fp->n || !b)
		return invalid(fp, e, "answer");
	struct db_result *r;
	err = db_exec(db, a,
		      "SELECT id, status FROM case_answers WHERE case_id = $1 "
		      "ORDER BY id DESC LIMIT 1",
		      DB_PARAMS(num(a, case_id)), &r, e);
	if (err)
		return err;
	const char *last = r->nrows ? db_get(r, 0, "status") : NULL;
	if (is(last, "submitted") || is(last, "approved"))
		return error_set(e, ERR_CONFLICT,
				 "case %s: an answer is %s already", c.code,
				 last);
	const char *now = clock_now_iso(a);
	const char *status = submit ? "submitted" : "draft";
	long long id = is(last, "draft") ? db_get_int(r, 0, "id", 0) : 0;
	err = db_begin(db, e);
	if (!err && id)
		err = db_exec(db, a,
			      "UPDATE case_answers SET body = $2, status = $3, "
			      "drafted_by = $4, drafted_at = $5 WHERE id = $1",
			      DB_PARAMS(num(a, id), b, status,
					id_or_null(a, who->user_id), now),
			      NULL, e);
	else if (!err)
		err = returning_id(
			db, a,
			"INSERT INTO case_answers (case_id, body, "
			"status, drafted_by, drafted_at) VALUES ($1, "
			"$2, $3, $4, $5) RETURNING id",
			DB_PARAMS(num(a, case_id), b, status,
				  id_or_null(a, who->user_id), now),
			&id, e);
	for (int i = 0; !err && i < nfiles; i++) {
		long long fid;
		err = attachment_save(db, a, "case_answer", id, files[i],
				      mimes[i], who->user_id, &fid, e);
	}
	if (!err)
		err = add_event(db, a, case_id, who,
				submit ? "submit" : "draft", "", now, e);
	json_t *after =
		json_pack("{s:I, s:I, s:s}", "case_id", (json_int_t)case_id,
			  "answer_id", (json_int_t)id, "status", status);
	if (!err)
		err = audit_actor(db, a, who,
				  submit ? "case.answer_submit"
					 : "case.answer_draft",
				  "case", case_id, NULL, after, e);
	json_decref(after);
	if (!err && submit) {
		const char *title =
			arena_printf(a, "%s %s: dự thảo trả lời chờ duyệt",
				     case_type_label_vi(c.case_type), c.code);
		err = notify_unit(db, a, c.commune_id,
				  ROLE_CHAIR | ROLE_VICE_CHAIR,
				  "case.answer_submit", title, "",
				  arena_printf(a, "/voice/%lld", c.id), e);
	}
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	if (!err && answer_id)
		*answer_id = id;
	return err;
}

enum err case_answer_review(struct db *db, struct arena *a,
			    const struct actor *who, long long answer_id,
			    bool approve, const char *note,
			    struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT case_id, status FROM case_answers WHERE "
			       "id = $1",
			       DB_PARAMS(num(a, answer_id)), &r, e);
	if (err)
		return err;
	if (r->nrows != 1)
		return error_set(e, ERR_NOTFOUND, "answer %lld: not found",
				 answer_id);
	if (!is(db_get(r, 0, "status"), "submitted"))
		return error_set(e, ERR_CONFLICT,
				 "answer %lld: is %s, not waiting for approval",
				 answer_id, str(db_get(r, 0, "status")));
	struct voice_case before, c;
	err = case_get(db, a, db_get_int(r, 0, "case_id", 0), &before, e);
	if (err)
		return err;
	c = before;
	const char *n =
		text_field(a, fp, "note", note, approve ? 0 : 1, NOTE_MAX_CHARS,
			   "say why the answer goes back",
			   "Hãy ghi lý do trả lại dự thảo.");
	if (fp->n || !n)
		return invalid(fp, e, "review");
	if (approve && !case_can_move(c.case_type, c.status, "answered"))
		return error_set(e, ERR_CONFLICT,
				 "case %s: cannot be answered while it is %s",
				 c.code, c.status);
	const char *now = clock_now_iso(a);
	const char *answer_due = c.due_on;
	err = db_begin(db, e);
	if (!err)
		err = db_exec(db, a,
			      "UPDATE case_answers SET status = $2, "
			      "reviewed_by = $3, reviewed_at = $4, "
			      "review_note = $5 WHERE id = $1",
			      DB_PARAMS(num(a, answer_id),
					approve ? "approved" : "returned",
					id_or_null(a, who->user_id), now, n),
			      NULL, e);
	if (!err && approve) {
		c.status = "answered";
		c.answered_on = today_iso(a);
		c.due_on = NULL;
		err = save_case_state(db, a, &c, now, e);
		/* the day the answer was due, kept for on-time statistics */
		if (!err)
			err = db_exec(db, a,
				      "UPDATE cases SET answer_due_on = $2 "
				      "WHERE id = $1",
				      DB_PARAMS(num(a, c.id), answer_due), NULL,
				      e);
	}
	if (!err)
		err = add_event(db, a, c.id, who,
				approve ? "approve" : "return", n, now, e);
	if (!err)
		err = audit_case(db, a, who,
				 approve ? "case.answer_approve"
					 : "case.answer_return",
				 c.id, &before, &c, e);
	if (!err)
		err = notify_handlers(db, a, &c,
				      approve ? "case.answer_approve"
					      : "case.answer_return",
				      approve ? "trả lời đã được duyệt"
					      : "dự thảo trả lời bị trả lại",
				      e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

enum err case_publish(struct db *db, struct arena *a, const struct actor *who,
		      long long case_id, bool published, struct error *e)
{
	struct voice_case c;
	enum err err = case_get(db, a, case_id, &c, e);
	if (err)
		return err;
	if (!is(c.case_type, "feedback") && !is(c.case_type, "petition"))
		return error_set(e, ERR_CONFLICT,
				 "case %s: only feedback and petitions are "
				 "published",
				 c.code);
	if (published && !is(c.status, "answered") && !is(c.status, "closed"))
		return error_set(e, ERR_CONFLICT, "case %s: not answered yet",
				 c.code);
	const char *now = clock_now_iso(a);
	err = db_begin(db, e);
	if (!err)
		err = db_exec(
			db, a,
			"UPDATE cases SET published = $2, updated_at = $3 "
			"WHERE id = $1",
			DB_PARAMS(num(a, case_id), published ? "1" : "0", now),
			NULL, e);
	if (!err)
		err = add_event(db, a, case_id, who,
				published ? "publish" : "unpublish", "", now,
				e);
	json_t *after = json_pack("{s:b}", "published", published);
	json_t *before = json_pack("{s:b}", "published", c.published);
	if (!err)
		err = audit_actor(db, a, who, "case.publish", "case", case_id,
				  before, after, e);
	json_decref(after);
	json_decref(before);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

enum err case_rate(struct db *db, struct arena *a, const char *code,
		   const char *secret, const char *rating, const char *reason,
		   struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	struct voice_case c;
	const char *from;
	enum err err = case_track(db, a, code, secret, &c, &from, e);
	if (err)
		return err;
	if (!is(c.status, "answered") && !is(c.status, "closed"))
		return error_set(e, ERR_CONFLICT, "case %s: not answered yet",
				 c.code);
	if (c.rating)
		return error_set(e, ERR_CONFLICT, "case %s: rated already",
				 c.code);
	if (!is(rating, "satisfied") && !is(rating, "unsatisfied"))
		problem(fp, "rating", "must be satisfied or unsatisfied",
			"Hãy chọn hài lòng hoặc không hài lòng.");
	const char *why = text_field(
		a, fp, "reason", reason, is(rating, "unsatisfied") ? 1 : 0,
		NOTE_MAX_CHARS, "say why you are not satisfied",
		"Hãy cho biết vì sao ông/bà chưa hài lòng.");
	if (fp->n || !why)
		return invalid(fp, e, "rating");
	const char *now = clock_now_iso(a);
	err = db_begin(db, e);
	struct db_result *r = NULL;
	if (!err)
		err = db_exec(
			db, a,
			"UPDATE cases SET rating = $2, rating_reason = $3, "
			"rated_at = $4, updated_at = $4 WHERE id = $1 AND "
			"rating IS NULL",
			DB_PARAMS(num(a, c.id), rating, why, now), &r, e);
	if (!err && r->changes != 1)
		err = error_set(e, ERR_CONFLICT, "case %s: rated already",
				c.code);
	if (!err)
		err = add_event(db, a, c.id, NULL, "rate",
				is(rating, "satisfied") ? "Hài lòng"
							: "Không hài lòng",
				now, e);
	json_t *after = json_pack("{s:s}", "rating", rating);
	if (!err)
		err = audit_actor(db, a, &actor_citizen, "case.rate", "case",
				  c.id, NULL, after, e);
	json_decref(after);
	if (!err)
		err = notify_handlers(db, a, &c, "case.rate",
				      is(rating, "satisfied")
					      ? "người dân hài lòng"
					      : "người dân chưa hài lòng",
				      e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

/* ---- JSON for the pages ---- */

static const char *const public_events[] = {
	"receive", "accept", "forward", "refuse", "assign", "extend",
	"approve", "close",  "merge",   "rate",   "publish"};

static bool public_event(const char *kind)
{
	for (size_t i = 0; i < sizeof public_events / sizeof *public_events;
	     i++)
		if (is(kind, public_events[i]))
			return true;
	return false;
}

static const char *event_label_vi(const char *kind)
{
	static const struct {
		const char *k, *vi;
	} l[] = {
		{"receive", "Tiếp nhận"},
		{"accept", "Thụ lý"},
		{"forward", "Chuyển cơ quan có thẩm quyền"},
		{"refuse", "Không thụ lý"},
		{"assign", "Giao xử lý"},
		{"verify", "Xác minh"},
		{"dialogue", "Đối thoại"},
		{"extend", "Gia hạn"},
		{"draft", "Soạn dự thảo trả lời"},
		{"submit", "Trình duyệt trả lời"},
		{"approve", "Trả lời"},
		{"return", "Trả lại dự thảo"},
		{"publish", "Công khai trả lời"},
		{"unpublish", "Thôi công khai"},
		{"close", "Kết thúc"},
		{"merge", "Gộp vụ việc"},
		{"rate", "Người dân đánh giá"},
	};
	for (size_t i = 0; i < sizeof l / sizeof *l; i++)
		if (is(kind, l[i].k))
			return l[i].vi;
	return kind;
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The due state of a case on `today`: urgency and days left. */
static void due_state(const struct clock_ctx *k, const struct voice_case *c,
		      struct date today, const char **urgency, int *days_left,
		      bool *has)
{
	struct date due, start;
	*has = false;
	if (!c->due_on || !date_parse_iso(c->due_on, &due))
		return;
	const struct case_rule *r = running_rule(k, c, &start);
	*urgency = case_urgency(&k->cal, today, due);
	*days_left = case_days_left(r, &k->cal, today, due);
	*has = true;
}

enum err case_json(struct db *db, struct arena *a, const struct voice_case *c,
		   bool public_only, json_t **out, struct error *e)
{
	/* the names (unless read with the case), then the events and the
	 * answers in one statement */
	const struct case_names *nm = c->names;
	enum err err = ERR_OK;
	if (!nm) {
		struct db_result *names;
		err = db_exec(
			db, a,
			"SELECT (SELECT name_vi FROM case_topics WHERE id = "
			"$1) "
			"AS topic, (SELECT code FROM case_topics WHERE id = "
			"$1) "
			"AS topic_code, (SELECT dimension FROM case_topics "
			"WHERE "
			"id = $1) AS dimension, (SELECT name FROM units WHERE "
			"id "
			"= $2) AS village, (SELECT name FROM units WHERE id = "
			"$3) "
			"AS unit, (SELECT full_name FROM users WHERE id = $4) "
			"AS "
			"handler, (SELECT name FROM units WHERE id = $5) AS "
			"commune, (SELECT code FROM cases WHERE id = $6) AS "
			"merged_code",
			DB_PARAMS(num(a, c->topic_id), num(a, c->village_id),
				  num(a, c->unit_id), num(a, c->handler_id),
				  num(a, c->commune_id),
				  num(a, c->merged_into)),
			&names, e);
		if (!err && !(nm = names_from_row(a, names, 0, "")))
			err = error_set(e, ERR_NOMEM, "out of memory");
	}
	struct db_result *rows;
	if (!err)
		err = db_exec(
			db, a,
			"SELECT 'answer' AS part, s.id, NULL AS at, NULL AS "
			"kind, "
			"NULL AS note, NULL AS user_name, s.body, s.status, "
			"s.drafted_at, s.reviewed_at, s.review_note, "
			"d.full_name "
			"AS drafted_by_name, r.full_name AS reviewed_by_name "
			"FROM "
			"case_answers s LEFT JOIN users d ON d.id = "
			"s.drafted_by "
			"LEFT JOIN users r ON r.id = s.reviewed_by WHERE "
			"s.case_id = $1 UNION ALL SELECT 'event', e.id, e.at, "
			"e.kind, e.note, u.full_name, NULL, NULL, NULL, NULL, "
			"NULL, NULL, NULL FROM case_events e LEFT JOIN users u "
			"ON "
			"u.id = e.user_id WHERE e.case_id = $1 ORDER BY 1, 3, "
			"2",
			DB_PARAMS(num(a, c->id)), &rows, e);
	struct clock_ctx k;
	if (!err)
		err = clock_ctx(db, a, &k, e);
	if (err)
		return err;
	const char *urgency = NULL;
	int days_left = 0;
	bool has_due;
	due_state(&k, c, clock_today_vn(), &urgency, &days_left, &has_due);
	bool secret_type = is(c->case_type, "denunciation");
	json_t *j = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, "
		"s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:i, s:b, s:b, s:o, s:o, "
		"s:o, s:s}",
		"id", (json_int_t)c->id, "code", str(c->code), "case_type",
		str(c->case_type), "type_vi",
		str(case_type_label_vi(c->case_type)), "status", str(c->status),
		"status_vi", str(case_status_label_vi(c->status)), "open311",
		case_open311_status(c->status), "channel", str(c->channel),
		"channel_vi", str(case_channel_label_vi(c->channel)), "title",
		str(c->title), "body", str(c->body), "received_on",
		opt_str(c->received_on), "accepted_on", opt_str(c->accepted_on),
		"due_on", opt_str(c->due_on), "answered_on",
		opt_str(c->answered_on), "closed_on", opt_str(c->closed_on),
		"urgency", has_due ? json_string(urgency) : json_null(),
		"forwarded_to", str(c->forwarded_to), "refusal_reason",
		str(c->refusal_reason), "complexity", c->complexity, "remote",
		c->remote, "published", c->published, "rating",
		opt_str(c->rating), "rating_reason",
		c->rating ? json_string(str(c->rating_reason)) : json_null(),
		"days_left", has_due ? json_integer(days_left) : json_null(),
		"topic_vi", str(nm->topic));
	if (!j)
		return error_set(e, ERR_NOMEM, "case %lld: out of memory",
				 c->id);
	json_object_set_new(j, "topic_code", opt_str(nm->topic_code));
	json_object_set_new(j, "dimension", opt_str(nm->dimension));
	json_object_set_new(j, "village_name", json_string(str(nm->village)));
	json_object_set_new(j, "unit_name", json_string(str(nm->unit)));
	json_object_set_new(j, "commune_name", json_string(str(nm->commune)));
	json_object_set_new(j, "merged_into_code", opt_str(nm->merged_code));
	json_object_set_new(j, "topic_id", json_integer(c->topic_id));
	json_object_set_new(j, "village_id", json_integer(c->village_id));
	json_object_set_new(j, "commune_id", json_integer(c->commune_id));
	if (isfinite(c->lat)) {
		json_object_set_new(j, "lat", json_real(c->lat));
		json_object_set_new(j, "lon", json_real(c->lon));
	}
	if (!public_only) {
		json_object_set_new(j, "unit_id", json_integer(c->unit_id));
		json_object_set_new(j, "handler_id",
				    json_integer(c->handler_id));
		json_object_set_new(j, "handler_name",
				    json_string(str(nm->handler)));
		json_object_set_new(j, "portal_id",
				    json_string(str(c->portal_id)));
		json_object_set_new(j, "has_identity",
				    json_boolean(c->has_identity));
		/* a denunciation's identity only when case_identity filled it
		 * for a reader allowed to see it */
		json_object_set_new(j, "citizen_name",
				    json_string(str(c->citizen_name)));
		json_object_set_new(j, "citizen_phone",
				    json_string(str(c->citizen_phone)));
		json_object_set_new(j, "citizen_address",
				    json_string(str(c->citizen_address)));
		json_object_set_new(j, "created_at", opt_str(c->created_at));
	}
	(void)secret_type;
	json_t *events = json_array();
	for (int i = 0; i < rows->nrows; i++) {
		if (!is(db_get(rows, i, "part"), "event"))
			continue;
		const char *kind = db_get(rows, i, "kind");
		if (public_only && !public_event(kind))
			continue;
		/* the citizen reads the reasons that concern them only */
		bool show_note = !public_only || is(kind, "forward") ||
				 is(kind, "refuse") || is(kind, "extend") ||
				 is(kind, "merge");
		json_t *x = json_pack(
			"{s:I, s:s, s:s, s:s, s:s}", "id",
			(json_int_t)db_get_int(rows, i, "id", 0), "at",
			str(db_get(rows, i, "at")), "kind", str(kind),
			"kind_vi", str(event_label_vi(kind)), "note",
			show_note ? str(db_get(rows, i, "note")) : "");
		if (x && !public_only)
			json_object_set_new(
				x, "user_name",
				json_string(str(db_get(rows, i, "user_name"))));
		json_array_append_new(events, x);
	}
	json_object_set_new(j, "events", events);
	json_t *answers = json_array();
	for (int i = 0; !err && i < rows->nrows; i++) {
		if (!is(db_get(rows, i, "part"), "answer"))
			continue;
		const char *st = db_get(rows, i, "status");
		if (public_only && !is(st, "approved"))
			continue;
		long long aid = db_get_int(rows, i, "id", 0);
		json_t *files = NULL;
		err = attachment_list(db, a, "case_answer", aid, &files, e);
		if (err)
			break;
		json_t *x = json_pack(
			"{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)aid,
			"body", str(db_get(rows, i, "body")), "status", str(st),
			"reviewed_at", opt_str(db_get(rows, i, "reviewed_at")),
			"files", files);
		if (x && !public_only) {
			json_object_set_new(
				x, "drafted_at",
				opt_str(db_get(rows, i, "drafted_at")));
			json_object_set_new(
				x, "drafted_by_name",
				json_string(str(
					db_get(rows, i, "drafted_by_name"))));
			json_object_set_new(
				x, "reviewed_by_name",
				json_string(str(
					db_get(rows, i, "reviewed_by_name"))));
			json_object_set_new(x, "review_note",
					    json_string(str(db_get(
						    rows, i, "review_note"))));
		}
		json_array_append_new(answers, x);
	}
	json_object_set_new(j, "answers", answers);
	json_t *files = NULL;
	if (!err && !public_only)
		err = attachment_list(db, a, "case", c->id, &files, e);
	if (err) {
		json_decref(j);
		return err;
	}
	json_object_set_new(j, "files", files ? files : json_array());
	*out = j;
	return ERR_OK;
}

/* ---- lists ---- */

struct sqlbuf {
	char *s;
	size_t len, cap;
	bool full;
};

static void sql_add(struct arena *a, struct sqlbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sql_add(struct arena *a, struct sqlbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *t = arena_vprintf(a, fmt, ap);
	va_end(ap);
	size_t n = t ? strlen(t) : 0;
	if (!t || b->len + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 1024) + n;
		char *s = cap <= (1u << 24) ? arena_alloc(a, cap) : NULL;
		if (!s || !t) {
			b->full = true;
			return;
		}
		if (b->len)
			memcpy(s, b->s, b->len);
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, t, n + 1);
	b->len += n;
}

static const char OPEN_STATUSES[] =
	"('received', 'accepted', 'assigned', 'verifying', 'dialogue')";

/* WHERE of a filter; parameters appended to p. */
static void list_where(struct arena *a, struct sqlbuf *w,
		       const struct case_filter *f, const struct calendar *cal,
		       const char **p, int *np)
{
	sql_add(a, w, " WHERE c.commune_id IN (%s)",
		db_id_list(a, f->communes, f->ncommunes));
	if (f->unit_id > 0)
		sql_add(a, w, " AND c.unit_id = %lld", f->unit_id);
	if (f->handler_id > 0)
		sql_add(a, w, " AND c.handler_id = %lld", f->handler_id);
	if (f->village_id > 0)
		sql_add(a, w, " AND c.village_id = %lld", f->village_id);
	if (f->topic_id > 0)
		sql_add(a, w, " AND c.topic_id = %lld", f->topic_id);
	if (f->case_type && case_type_label_vi(f->case_type)) {
		p[(*np)++] = f->case_type;
		sql_add(a, w, " AND c.case_type = $%d", *np);
	}
	if (is(f->status, "open")) {
		sql_add(a, w, " AND c.status IN %s", OPEN_STATUSES);
	} else if (f->status && case_status_label_vi(f->status)) {
		p[(*np)++] = f->status;
		sql_add(a, w, " AND c.status = $%d", *np);
	}
	if (f->no_merged)
		sql_add(a, w, " AND c.status <> 'merged'");
	struct date today = clock_today_vn();
	if (is(f->urgency, "overdue")) {
		p[(*np)++] = iso_day(a, today);
		sql_add(a, w, " AND c.due_on < $%d", *np);
	} else if (is(f->urgency, "due_soon")) {
		p[(*np)++] = iso_day(a, today);
		p[(*np)++] =
			iso_day(a, calendar_add_days(cal, today,
						     CASE_DUE_SOON_DAYS, true));
		sql_add(a, w, " AND c.due_on >= $%d AND c.due_on <= $%d",
			*np - 1, *np);
	}
	struct date d;
	if (f->from && text_parse_date(f->from, &d)) {
		p[(*np)++] = iso_day(a, d);
		sql_add(a, w, " AND c.received_on >= $%d", *np);
	}
	if (f->to && text_parse_date(f->to, &d)) {
		p[(*np)++] = iso_day(a, d);
		sql_add(a, w, " AND c.received_on <= $%d", *np);
	}
	const char *q = f->q && text_valid_utf8(f->q, strlen(f->q))
				? text_fold(a, f->q)
				: NULL;
	if (!empty(q) && strlen(q) <= 200) {
		/* LIKE's own characters are searched for as themselves */
		size_t n = strlen(q);
		char *esc = arena_alloc(a, 2 * n + 1), *o = esc;
		for (size_t i = 0; esc && i < n; i++) {
			if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
				*o++ = '\\';
			*o++ = q[i];
		}
		if (esc) {
			*o = 0;
			p[(*np)++] = arena_printf(a, "%%%s%%", esc);
			sql_add(a, w, " AND c.text_fold LIKE $%d ESCAPE '\\'",
				*np);
		}
	}
}

enum err case_list(struct db *db, struct arena *a, const struct case_filter *f,
		   const struct calendar *cal, json_t **out, struct error *e)
{
	const char *p[8];
	int np = 0;
	struct sqlbuf w = {0}, q = {0};
	struct clock_ctx k;
	enum err err = clock_ctx(db, a, &k, e);
	if (err)
		return err;
	if (cal)
		k.cal = *cal; /* the caller's calendar, when given */
	list_where(a, &w, f, &k.cal, p, &np);
	int per = f->per_page > 0 && f->per_page <= 200 ? f->per_page : 20;
	int page = f->page > 0 ? f->page : 1;
	sql_add(a, &q, "SELECT COUNT(*) AS n FROM cases c%s", w.s);
	if (w.full || q.full)
		return error_set(e, ERR_NOMEM, "case list: out of memory");
	struct db_result *r;
	err = db_exec(db, a, q.s, p, np, &r, e);
	if (err)
		return err;
	long long total = db_get_int(r, 0, "n", 0);
	struct sqlbuf s = {0};
	sql_add(a, &s,
		"SELECT c.id, c.code, c.case_type, c.status, c.channel, "
		"c.title, c.body, c.received_on, c.accepted_on, c.due_on, "
		"c.answered_on, c.complexity, c.remote, c.published, c.rating, "
		"c.unit_id, c.handler_id, c.village_id, c.topic_id, "
		"t.name_vi AS topic_vi, v.name AS village_name, u.name AS "
		"unit_name, h.full_name AS handler_name FROM cases c LEFT JOIN "
		"case_topics t ON t.id = c.topic_id LEFT JOIN units v ON v.id "
		"= "
		"c.village_id LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN "
		"users h ON h.id = c.handler_id%s ORDER BY CASE WHEN c.due_on "
		"IS NULL THEN 1 ELSE 0 END, c.due_on, c.id DESC LIMIT %d "
		"OFFSET "
		"%lld",
		w.s, per, (long long)(page - 1) * per);
	if (s.full)
		return error_set(e, ERR_NOMEM, "case list: out of memory");
	err = db_exec(db, a, s.s, p, np, &r, e);
	if (err)
		return err;
	struct date today = clock_today_vn();
	json_t *cases = json_array();
	for (int i = 0; i < r->nrows; i++) {
		struct voice_case c = {
			.case_type = db_get(r, i, "case_type"),
			.status = db_get(r, i, "status"),
			.received_on = db_get(r, i, "received_on"),
			.accepted_on = db_get(r, i, "accepted_on"),
			.due_on = db_get(r, i, "due_on"),
			.complexity = (int)db_get_int(r, i, "complexity", 0),
			.remote = db_get_int(r, i, "remote", 0) != 0,
		};
		const char *urgency = NULL;
		int left = 0;
		bool has;
		due_state(&k, &c, today, &urgency, &left, &has);
		const char *title = db_get(r, i, "title");
		if (empty(title)) {
			/* the first words of the text stand for a title */
			const char *b = str(db_get(r, i, "body"));
			size_t n = strlen(b), cut = n > 120 ? 120 : n;
			while (cut < n &&
			       ((unsigned char)b[cut] & 0xC0) == 0x80)
				cut--;
			title = arena_printf(a, "%.*s%s", (int)cut, b,
					     cut < n ? "…" : "");
		}
		json_t *x = json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, "
			"s:o, s:o, s:o, s:o, s:b, s:o, s:s, s:s, s:s, s:s, "
			"s:I, s:I}",
			"id", (json_int_t)db_get_int(r, i, "id", 0), "code",
			str(db_get(r, i, "code")), "case_type",
			str(c.case_type), "type_vi",
			str(case_type_label_vi(c.case_type)), "status",
			str(c.status), "status_vi",
			str(case_status_label_vi(c.status)), "channel",
			str(db_get(r, i, "channel")), "channel_vi",
			str(case_channel_label_vi(db_get(r, i, "channel"))),
			"title", str(title), "received_on",
			opt_str(c.received_on), "due_on", opt_str(c.due_on),
			"answered_on", opt_str(db_get(r, i, "answered_on")),
			"urgency", has ? json_string(urgency) : json_null(),
			"days_left", has ? json_integer(left) : json_null(),
			"published", db_get_int(r, i, "published", 0) != 0,
			"rating", opt_str(db_get(r, i, "rating")), "topic_vi",
			str(db_get(r, i, "topic_vi")), "village_name",
			str(db_get(r, i, "village_name")), "unit_name",
			str(db_get(r, i, "unit_name")), "handler_name",
			str(db_get(r, i, "handler_name")), "unit_id",
			(json_int_t)db_get_int(r, i, "unit_id", 0),
			"handler_id",
			(json_int_t)db_get_int(r, i, "handler_id", 0));
		json_array_append_new(cases, x);
	}
	*out = json_pack("{s:o, s:I, s:i, s:I, s:i}", "cases", cases, "total",
			 (json_int_t)total, "page", page, "pages",
			 (json_int_t)((total + per - 1) / per), "per_page",
			 per);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "case list: out of memory");
}

/* ---- statistics ---- */

/* One grouping's rows, found by key; a commune has few types, topics,
 * villages, months and units, so a list searched in order does. */
enum { STAT_KEYS_MAX = 4096 };
struct stat_row {
	const char *key;
	long long id, total, answered, on_time, overdue;
};
struct stat_group {
	struct stat_row *rows;
	int n;
};

static void stat_add(struct arena *a, struct stat_group *g, const char *key,
		     long long id, const struct stat_row *m)
{
	if (!key)
		return; /* no topic, village or unit: not in that grouping */
	struct stat_row *r = NULL;
	for (int i = 0; i < g->n && !r; i++)
		if (!strcmp(g->rows[i].key, key))
			r = &g->rows[i];
	if (!r) {
		if (!g->rows)
			g->rows =
				arena_alloc(a, sizeof *g->rows * STAT_KEYS_MAX);
		if (!g->rows || g->n >= STAT_KEYS_MAX)
			return;
		r = &g->rows[g->n++];
		*r = (struct stat_row){.key = key, .id = id};
	}
	r->total += m->total;
	r->answered += m->answered;
	r->on_time += m->on_time;
	r->overdue += m->overdue;
}

static json_t *stat_json(const struct stat_row *r)
{
	return json_pack(
		"{s:I, s:I, s:I, s:I, s:o}", "total", (json_int_t)r->total,
		"answered", (json_int_t)r->answered, "on_time",
		(json_int_t)r->on_time, "overdue", (json_int_t)r->overdue,
		"on_time_pct",
		r->answered ? json_real(round(1000.0 * (double)r->on_time /
					      (double)r->answered) /
					10)
			    : json_null());
}

struct sortable {
	const char *key;
	json_t *row;
};

static int by_sort_key(const void *x, const void *y)
{
	return strcmp(((const struct sortable *)x)->key,
		      ((const struct sortable *)y)->key);
}

/* The rows of a grouping as a JSON array, in the order label() gives
 * (its *sort; the key itself by default). */
static json_t *stat_array(struct arena *a, const struct stat_group *g,
			  json_t *(*label)(struct arena *,
					   const struct stat_row *,
					   const char **, void *),
			  void *ctx)
{
	json_t *arr = json_array();
	struct sortable *s = arena_alloc(a, sizeof *s * (size_t)(g->n + 1));
	if (!s)
		return arr;
	int n = 0;
	for (int i = 0; i < g->n; i++) {
		const char *sort = g->rows[i].key;
		json_t *row = stat_json(&g->rows[i]);
		json_t *extra = label(a, &g->rows[i], &sort, ctx);
		if (!row) {
			json_decref(extra);
			continue;
		}
		json_object_update(row, extra);
		json_decref(extra);
		s[n++] = (struct sortable){sort ? sort : "", row};
	}
	qsort(s, (size_t)n, sizeof *s, by_sort_key);
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, s[i].row);
	return arr;
}

static json_t *label_type(struct arena *a, const struct stat_row *r,
			  const char **sort, void *ctx)
{
	(void)a;
	(void)sort;
	(void)ctx;
	return json_pack("{s:s, s:s}", "case_type", r->key, "type_vi",
			 str(case_type_label_vi(r->key)));
}

static json_t *label_month(struct arena *a, const struct stat_row *r,
			   const char **sort, void *ctx)
{
	(void)a;
	(void)sort;
	(void)ctx;
	return json_pack("{s:s}", "month", r->key);
}

static json_t *label_dimension(struct arena *a, const struct stat_row *r,
			       const char **sort, void *ctx)
{
	(void)a;
	(void)sort;
	(void)ctx;
	return json_pack("{s:s, s:I}", "dimension", r->key, "raised",
			 (json_int_t)r->total);
}

static int row_of_id(struct db_result *names, long long id)
{
	for (int i = 0; i < names->nrows; i++)
		if (db_get_int(names, i, "id", 0) == id)
			return i;
	return -1;
}

static json_t *label_topic(struct arena *a, const struct stat_row *r,
			   const char **sort, void *ctx)
{
	struct db_result *t = ctx;
	int i = row_of_id(t, r->id);
	*sort = arena_printf(a, "%08lld",
			     i >= 0 ? db_get_int(t, i, "ord", 0) : 99999999LL);
	return json_pack("{s:I, s:s, s:s, s:s}", "topic_id", (json_int_t)r->id,
			 "code", i >= 0 ? str(db_get(t, i, "code")) : "",
			 "name_vi", i >= 0 ? str(db_get(t, i, "name_vi")) : "",
			 "dimension",
			 i >= 0 ? str(db_get(t, i, "dimension")) : "");
}

static json_t *label_unit(struct arena *a, const struct stat_row *r,
			  const char **sort, void *ctx)
{
	(void)a;
	struct db_result *u = ctx;
	int i = row_of_id(u, r->id);
	*sort = i >= 0 ? str(db_get(u, i, "sort_key")) : "";
	/* keys are "v<id>" for villages, "u<id>" for units */
	return json_pack("{s:I, s:s}",
			 r->key[0] == 'v' ? "village_id" : "unit_id",
			 (json_int_t)r->id, "name",
			 i >= 0 ? str(db_get(u, i, "name")) : "");
}

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return a < b ? -1 : a > b;
}

/* Median days from receipt to answer per dimension, from rows grouped by
 * (dimension, received_on, answered_on) with their count n. */
static void add_medians(json_t *dims, struct db_result *m)
{
	size_t i;
	json_t *x;
	json_array_foreach(dims, i, x)
	{
		const char *dim =
			json_string_value(json_object_get(x, "dimension"));
		long long n = 0;
		for (int k = 0; k < m->nrows; k++)
			if (is(db_get(m, k, "dimension"), dim))
				n += db_get_int(m, k, "n", 0);
		json_object_set_new(x, "median_days", json_null());
		if (n <= 0 || n > 10000000)
			continue;
		int *days = malloc(sizeof *days * (size_t)n);
		if (!days)
			continue;
		long long w = 0;
		for (int k = 0; k < m->nrows; k++) {
			struct date rd, ad;
			if (!is(db_get(m, k, "dimension"), dim) ||
			    !date_parse_iso(str(db_get(m, k, "received_on")),
					    &rd) ||
			    !date_parse_iso(str(db_get(m, k, "answered_on")),
					    &ad))
				continue;
			int dd = (int)(date_to_days(ad) - date_to_days(rd));
			for (long long c = db_get_int(m, k, "n", 0);
			     c > 0 && w < n; c--)
				days[w++] = dd;
		}
		qsort(days, (size_t)w, sizeof *days, cmp_int);
		if (w > 0)
			json_object_set_new(x, "median_days",
					    json_real(w % 2 ? days[w / 2]
							    : (days[w / 2 - 1] +
							       days[w / 2]) /
								      2.0));
		free(days);
	}
}

enum err voice_stats(struct db *db, struct arena *a, const long long *communes,
		     int ncommunes, const char *from, const char *to,
		     json_t **out, struct error *e)
{
	struct date d;
	const char *f = from && text_parse_date(from, &d) ? iso_day(a, d)
							  : "0000-00-00";
	const char *t =
		to && text_parse_date(to, &d) ? iso_day(a, d) : "9999-12-31";
	const char *ids = db_id_list(a, communes, ncommunes);
	const char *today = today_iso(a);
	if (!ids || !today)
		return error_set(e, ERR_NOMEM, "stats: out of memory");
	/* One read of the cases for every grouping, one more for the
	 * medians; merged cases are counted once, in the case they joined.
	 * Both read the index cases_received alone (it holds every column
	 * counted here): a commune's period is one range of it. */
	const char *sql = arena_printf(
		a,
		"SELECT c.case_type, c.topic_id, t.dimension, c.village_id, "
		"SUBSTR(c.received_on, 1, 7) AS month, c.unit_id, COUNT(*) AS "
		"total, SUM(CASE WHEN c.answered_on IS NOT NULL THEN 1 ELSE 0 "
		"END) AS answered, SUM(CASE WHEN c.answered_on IS NOT NULL AND "
		"c.answer_due_on IS NOT NULL AND c.answered_on <= "
		"c.answer_due_on THEN 1 ELSE 0 END) AS on_time, SUM(CASE WHEN "
		"c.due_on IS NOT NULL AND c.due_on < $3 THEN 1 ELSE 0 END) AS "
		"overdue FROM cases c LEFT JOIN case_topics t ON t.id = "
		"c.topic_id WHERE c.commune_id IN (%s) AND c.status <> "
		"'merged' AND c.received_on >= $1 AND c.received_on <= $2 "
		"GROUP "
		"BY c.case_type, c.topic_id, t.dimension, c.village_id, "
		"SUBSTR(c.received_on, 1, 7), c.unit_id",
		ids);
	const char *msql = arena_printf(
		a,
		"SELECT t.dimension, c.received_on, c.answered_on, COUNT(*) AS "
		"n FROM cases c JOIN case_topics t ON t.id = c.topic_id WHERE "
		"c.commune_id IN (%s) AND c.status <> 'merged' AND "
		"c.answered_on IS NOT NULL AND c.received_on >= $1 AND "
		"c.received_on <= $2 GROUP BY t.dimension, c.received_on, "
		"c.answered_on",
		ids);
	if (!sql || !msql)
		return error_set(e, ERR_NOMEM, "stats: out of memory");
	struct db_result *r, *m, *topics, *units;
	enum err err = db_exec(db, a, sql, DB_PARAMS(f, t, today), &r, e);
	if (!err)
		err = db_exec(db, a, msql, DB_PARAMS(f, t), &m, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT id, code, name_vi, dimension, ord FROM "
			      "case_topics",
			      NULL, 0, &topics, e);
	if (err)
		return err;
	struct stat_group total = {0}, type = {0}, topic = {0}, village = {0},
			  month = {0}, unit = {0}, dim = {0};
	long long *unit_ids =
		arena_alloc(a, sizeof *unit_ids * (size_t)(2 * r->nrows + 1));
	int nunits = 0;
	if (!unit_ids)
		return error_set(e, ERR_NOMEM, "stats: out of memory");
	for (int i = 0; i < r->nrows; i++) {
		struct stat_row x = {
			.total = db_get_int(r, i, "total", 0),
			.answered = db_get_int(r, i, "answered", 0),
			.on_time = db_get_int(r, i, "on_time", 0),
			.overdue = db_get_int(r, i, "overdue", 0),
		};
		long long tid = db_get_int(r, i, "topic_id", 0),
			  vid = db_get_int(r, i, "village_id", 0),
			  uid = db_get_int(r, i, "unit_id", 0);
		stat_add(a, &total, "all", 0, &x);
		stat_add(a, &type, db_get(r, i, "case_type"), 0, &x);
		stat_add(a, &topic, tid ? num(a, tid) : NULL, tid, &x);
		stat_add(a, &dim, db_get(r, i, "dimension"), 0, &x);
		stat_add(a, &month, db_get(r, i, "month"), 0, &x);
		stat_add(a, &village,
			 vid ? arena_printf(a, "v%lld", vid) : NULL, vid, &x);
		stat_add(a, &unit, uid ? arena_printf(a, "u%lld", uid) : NULL,
			 uid, &x);
		if (vid)
			unit_ids[nunits++] = vid;
		if (uid)
			unit_ids[nunits++] = uid;
	}
	/* each village and unit once (the rows repeat them) */
	int nu = db_ids_unique(unit_ids, nunits);
	const char *usql = arena_printf(
		a, "SELECT id, name, sort_key FROM units WHERE id IN (%s)",
		db_id_list(a, unit_ids, nu));
	err = usql ? db_exec(db, a, usql, NULL, 0, &units, e)
		   : error_set(e, ERR_NOMEM, "stats: out of memory");
	if (err)
		return err;
	struct stat_row none = {.key = "all"};
	json_t *j = stat_json(total.n ? &total.rows[0] : &none);
	if (!j)
		return error_set(e, ERR_NOMEM, "stats: out of memory");
	json_object_set_new(j, "by_type",
			    stat_array(a, &type, label_type, NULL));
	json_object_set_new(j, "by_topic",
			    stat_array(a, &topic, label_topic, topics));
	json_object_set_new(j, "by_village",
			    stat_array(a, &village, label_unit, units));
	json_object_set_new(j, "by_month",
			    stat_array(a, &month, label_month, NULL));
	json_object_set_new(j, "by_unit",
			    stat_array(a, &unit, label_unit, units));
	json_t *dims = stat_array(a, &dim, label_dimension, NULL);
	add_medians(dims, m);
	json_object_set_new(j, "by_dimension", dims);
	*out = j;
	return ERR_OK;
}

/* ---- topics, templates ---- */

enum err voice_topics(struct db *db, struct arena *a, json_t **out,
		      struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT id, code, name_vi, name_en, dimension, ord "
			"FROM case_topics WHERE active = 1 ORDER BY ord, "
			"id",
			NULL, 0, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return ERR_OK;
}

enum err voice_templates(struct db *db, struct arena *a, long long commune_id,
			 long long topic_id, json_t **out, struct error *e)
{
	struct db_result *r;
	/* the commune's own and the topic's first */
	enum err err = db_exec(
		db, a,
		"SELECT id, commune_id, topic_id, title, body FROM "
		"answer_templates WHERE (commune_id IS NULL OR commune_id = "
		"$1) "
		"AND (topic_id IS NULL OR topic_id = $2) ORDER BY CASE WHEN "
		"topic_id IS NULL THEN 1 ELSE 0 END, CASE WHEN commune_id IS "
		"NULL THEN 1 ELSE 0 END, id",
		DB_PARAMS(num(a, commune_id), num(a, topic_id)), &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return ERR_OK;
}

/* ---- reception (tiếp công dân) ---- */

static bool valid_hhmm(const char *s)
{
	return s && strlen(s) == 5 && s[2] == ':' && s[0] >= '0' &&
	       s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[3] >= '0' &&
	       s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
	       (s[0] - '0') * 10 + (s[1] - '0') < 24;
}

enum err reception_save(struct db *db, struct arena *a, const struct actor *who,
			struct reception_session *s, struct field_problems *fp,
			struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	struct date d;
	if (!s->held_on || !text_parse_date(s->held_on, &d))
		problem(fp, "held_on", "is not a day",
			"Ngày tiếp không hợp lệ.");
	else
		s->held_on = iso_day(a, d);
	if (empty(s->starts))
		s->starts = "07:30";
	if (empty(s->ends))
		s->ends = "11:00";
	if (!valid_hhmm(s->starts) || !valid_hhmm(s->ends) ||
	    strcmp(s->starts, s->ends) >= 0)
		problem(fp, "starts", "hours must be HH:MM, start before end",
			"Giờ tiếp không hợp lệ.");
	if (empty(s->kind))
		s->kind = "regular";
	if (!is(s->kind, "regular") && !is(s->kind, "adhoc"))
		problem(fp, "kind", "must be regular or adhoc",
			"Loại buổi tiếp không hợp lệ.");
	const char *place = text_field(a, fp, "place", s->place, 1, 300,
				       "a place is required",
				       "Hãy ghi địa điểm tiếp công dân.");
	const char *host = text_field(a, fp, "host_name", s->host_name, 0, 200,
				      "is longer than 200 characters",
				      "Tên người chủ trì dài quá 200 ký tự.");
	const char *note = text_field(a, fp, "note", s->note, 0, NOTE_MAX_CHARS,
				      "is longer than 5000 characters",
				      "Ghi chú dài quá 5.000 ký tự.");
	if (fp->n || !place || !host || !note)
		return invalid(fp, e, "reception session");
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT (SELECT kind FROM units WHERE id = $1) AS kind, "
		"(SELECT full_name FROM users WHERE id = $2) AS host, (SELECT "
		"commune_id FROM reception_sessions WHERE id = $3) AS commune",
		DB_PARAMS(num(a, s->commune_id), num(a, s->host_id),
			  num(a, s->id)),
		&r, e);
	if (err)
		return err;
	if (!is(db_get(r, 0, "kind"), "commune"))
		problem(fp, "commune_id", "is not a commune",
			"Không tìm thấy xã.");
	if (s->host_id > 0 && !db_get(r, 0, "host"))
		problem(fp, "host_id", "is not a user",
			"Người chủ trì không hợp lệ.");
	if (s->id > 0 && db_get_int(r, 0, "commune", 0) != s->commune_id)
		return error_set(e, ERR_NOTFOUND,
				 "reception session %lld: not found", s->id);
	if (fp->n)
		return invalid(fp, e, "reception session");
	if (empty(host) && s->host_id > 0)
		host = db_get(r, 0, "host");
	s->place = place;
	s->host_name = host;
	s->note = note;
	const char *now = clock_now_iso(a);
	err = db_begin(db, e);
	if (!err && s->id > 0)
		err = db_exec(
			db, a,
			"UPDATE reception_sessions SET held_on = $2, "
			"starts = $3, ends = $4, place = $5, host_id = $6, "
			"host_name = $7, kind = $8, note = $9 WHERE id = $1",
			DB_PARAMS(num(a, s->id), s->held_on, s->starts, s->ends,
				  place, id_or_null(a, s->host_id), host,
				  s->kind, note),
			NULL, e);
	else if (!err)
		err = returning_id(
			db, a,
			"INSERT INTO reception_sessions (commune_id, held_on, "
			"starts, ends, place, host_id, host_name, kind, note, "
			"created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
			"$9, "
			"$10) RETURNING id",
			DB_PARAMS(num(a, s->commune_id), s->held_on, s->starts,
				  s->ends, place, id_or_null(a, s->host_id),
				  host, s->kind, note, now),
			&s->id, e);
	json_t *after =
		json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "commune_id",
			  (json_int_t)s->commune_id, "held_on", s->held_on,
			  "starts", s->starts, "ends", s->ends, "place", place,
			  "host_name", host, "kind", s->kind);
	if (!err)
		err = audit_actor(db, a, who, "reception.save",
				  "reception_session", s->id, NULL, after, e);
	json_decref(after);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

enum err reception_list(struct db *db, struct arena *a, long long commune_id,
			const char *from, const char *to, json_t **out,
			struct error *e)
{
	struct date d;
	const char *f = from && text_parse_date(from, &d) ? iso_day(a, d)
							  : "0000-00-00";
	const char *t =
		to && text_parse_date(to, &d) ? iso_day(a, d) : "9999-12-31";
	struct db_result *s, *v;
	enum err err = db_exec(
		db, a,
		"SELECT id, commune_id, held_on, starts, ends, place, host_id, "
		"host_name, kind, note FROM reception_sessions WHERE "
		"commune_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY "
		"held_on, starts, id",
		DB_PARAMS(num(a, commune_id), f, t), &s, e);
	if (!err)
		err = db_exec(
			db, a,
			"SELECT r.id, r.session_id, r.visitor_name, "
			"r.visitor_phone, r.visitor_address, r.village_id, "
			"u.name AS village_name, r.summary, r.case_id, c.code "
			"AS case_code FROM reception_visits r JOIN "
			"reception_sessions s ON s.id = r.session_id LEFT JOIN "
			"units u ON u.id = r.village_id LEFT JOIN cases c ON "
			"c.id = r.case_id WHERE s.commune_id = $1 AND "
			"s.held_on "
			">= $2 AND s.held_on <= $3 ORDER BY r.id",
			DB_PARAMS(num(a, commune_id), f, t), &v, e);
	if (err)
		return err;
	json_t *list = json_array();
	for (int i = 0; i < s->nrows; i++) {
		json_t *x = db_row_json(s, i);
		long long id = db_get_int(s, i, "id", 0);
		json_t *visits = json_array();
		for (int k = 0; k < v->nrows; k++)
			if (db_get_int(v, k, "session_id", 0) == id)
				json_array_append_new(visits,
						      db_row_json(v, k));
		json_object_set_new(x, "held_on_vi",
				    json_string(str(text_format_date(
					    a, db_get(s, i, "held_on")))));
		json_object_set_new(x, "visits", visits);
		json_array_append_new(list, x);
	}
	*out = list;
	return ERR_OK;
}

enum err reception_visit_add(struct db *db, struct arena *a,
			     const struct actor *who, struct reception_visit *v,
			     struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	fp->n = 0; /* this call's problems only */
	const char *name = text_field(a, fp, "visitor_name", v->visitor_name, 1,
				      NAME_MAX_CHARS, "a name is required",
				      "Hãy ghi họ tên công dân.");
	const char *phone = text_field(
		a, fp, "visitor_phone", v->visitor_phone, 0, PHONE_MAX_CHARS,
		"is longer than 20 characters", "Số điện thoại không hợp lệ.");
	const char *addr =
		text_field(a, fp, "visitor_address", v->visitor_address, 0,
			   ADDRESS_MAX_CHARS, "is longer than 300 characters",
			   "Địa chỉ dài quá 300 ký tự.");
	const char *sum =
		text_field(a, fp, "summary", v->summary, 1, CASE_BODY_MAX,
			   "say what was raised",
			   "Hãy tóm tắt nội dung công dân trình bày.");
	if (phone && *phone && !valid_phone(phone))
		problem(fp, "visitor_phone", "is not a phone number",
			"Số điện thoại không hợp lệ.");
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT (SELECT commune_id FROM reception_sessions WHERE id = "
		"$1) AS commune, (SELECT parent_id FROM units WHERE id = $2 "
		"AND "
		"kind = 'village') AS village_parent, (SELECT commune_id FROM "
		"cases WHERE id = $3) AS case_commune",
		DB_PARAMS(num(a, v->session_id), num(a, v->village_id),
			  num(a, v->case_id)),
		&r, e);
	if (err)
		return err;
	long long commune = db_get_int(r, 0, "commune", 0);
	if (!commune)
		return error_set(e, ERR_NOTFOUND,
				 "reception session %lld: not found",
				 v->session_id);
	if (v->village_id > 0 &&
	    db_get_int(r, 0, "village_parent", 0) != commune)
		problem(fp, "village_id", "is not a village of the commune",
			"Thôn không thuộc xã.");
	if (v->case_id > 0 && db_get_int(r, 0, "case_commune", 0) != commune)
		problem(fp, "case_id", "is not a case of the commune",
			"Vụ việc không thuộc xã.");
	if (fp->n || !name || !phone || !addr || !sum)
		return invalid(fp, e, "reception visit");
	v->visitor_name = name;
	v->visitor_phone = phone;
	v->visitor_address = addr;
	v->summary = sum;
	err = db_begin(db, e);
	if (!err)
		err = returning_id(
			db, a,
			"INSERT INTO reception_visits (session_id, "
			"visitor_name, "
			"visitor_phone, visitor_address, village_id, summary, "
			"case_id, created_by, created_at) VALUES ($1, $2, $3, "
			"$4, "
			"$5, $6, $7, $8, $9) RETURNING id",
			DB_PARAMS(num(a, v->session_id), name, phone, addr,
				  id_or_null(a, v->village_id), sum,
				  id_or_null(a, v->case_id),
				  id_or_null(a, who->user_id),
				  clock_now_iso(a)),
			&v->id, e);
	/* the register names the visitor; the audit row does not */
	json_t *after = json_pack("{s:I, s:I, s:I}", "session_id",
				  (json_int_t)v->session_id, "village_id",
				  (json_int_t)v->village_id, "case_id",
				  (json_int_t)v->case_id);
	if (!err)
		err = audit_actor(db, a, who, "reception.visit_add",
				  "reception_visit", v->id, NULL, after, e);
	json_decref(after);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

enum err case_get_by_code(struct db *db, struct arena *a, const char *code,
			  struct voice_case *out, struct error *e)
{
	const char *k = normalize_code(a, code, CASE_CODE_LEN);
	struct db_result *r;
	enum err err =
		k ? db_exec(db, a,
			    "SELECT " CASE_COLS " FROM cases WHERE code = $1",
			    DB_PARAMS(k), &r, e)
		  : error_set(e, ERR_NOTFOUND, "case: no such code");
	if (err)
		return err;
	if (r->nrows != 1)
		return error_set(e, ERR_NOTFOUND, "case %s: not found", k);
	case_from_row(r, 0, out);
	return ERR_OK;
}
