/* SQL of the citizen pages and Open311 (voice_public_db.h). Only numbers
 * and placeholders are printed into the SQL text; values travel as
 * parameters. */
#include "voice_public_db.h"
#include <stdbool.h>
#include <string.h>
#include "../base/banned.h"

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

enum err vpub_villages(struct db *db, struct arena *a, long long commune_id,
		       const char *day, json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT id, name FROM units WHERE parent_id = $1 AND kind = "
		"'village' AND (valid_from IS NULL OR valid_from <= $2) AND "
		"(valid_to IS NULL OR valid_to >= $2) ORDER BY sort_key, id",
		DB_PARAMS(num(a, commune_id), day), &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : ERR_NOMEM;
}

#define APPROVED_ANSWER                                                        \
	"(SELECT x.body FROM case_answers x WHERE x.case_id = c.id AND "       \
	"x.status = 'approved' ORDER BY x.reviewed_at DESC, x.id DESC "        \
	"LIMIT 1)"

static int pages_of(long long total, int per_page)
{
	return total ? (int)((total + per_page - 1) / per_page) : 1;
}

enum err vpub_answers(struct db *db, struct arena *a, long long commune_id,
		      int page, int per_page, json_t **out, struct error *e)
{
	struct db_result *r, *n;
	const char *cid = num(a, commune_id);
	if (page < 1)
		page = 1;
	enum err err = db_exec(db, a,
			       "SELECT COUNT(*) AS n FROM cases WHERE "
			       "commune_id = $1 AND published = 1 AND "
			       "case_type IN ('feedback','petition')",
			       DB_PARAMS(cid), &n, e);
	if (err)
		return err;
	long long total = db_get_int(n, 0, "n", 0);
	char *sql = arena_printf(
		a,
		"SELECT c.code, c.title, t.name_vi AS topic_vi, v.name AS "
		"village_name, c.received_on, c.answered_on, " APPROVED_ANSWER
		" AS answer FROM cases c LEFT JOIN case_topics t ON t.id = "
		"c.topic_id LEFT JOIN units v ON v.id = c.village_id WHERE "
		"c.commune_id = $1 AND c.published = 1 AND c.case_type IN "
		"('feedback','petition') ORDER BY c.answered_on DESC, c.id "
		"DESC "
		"LIMIT %d OFFSET %lld",
		per_page, (long long)(page - 1) * per_page);
	if (!sql)
		return ERR_NOMEM;
	err = db_exec(db, a, sql, DB_PARAMS(cid), &r, e);
	if (err)
		return err;
	*out = json_pack("{s:o, s:I, s:i, s:i}", "answers", db_result_json(r),
			 "total", (json_int_t)total, "page", page, "pages",
			 pages_of(total, per_page));
	return *out ? ERR_OK : ERR_NOMEM;
}

/* Appends " AND <cond>" with its parameter numbered next. */
struct where {
	char sql[4096];
	size_t len;
	const char *params[VPUB_CODES_MAX + 8];
	int n;
};

static void where_add(struct where *w, const char *text)
{
	size_t k = strlen(text);
	if (w->len + k < sizeof w->sql) {
		memcpy(w->sql + w->len, text, k + 1);
		w->len += k;
	}
}

static void where_param(struct where *w, struct arena *a, const char *fmt,
			const char *value)
{
	w->params[w->n++] = value;
	char *s = arena_printf(a, fmt, w->n);
	if (s)
		where_add(w, s);
}

enum err vpub_requests(struct db *db, struct arena *a,
		       const struct vpub_filter *f, json_t **out,
		       long long *total, struct error *e)
{
	static struct where zero;
	struct where *w = arena_alloc(a, sizeof *w);
	if (!w)
		return ERR_NOMEM;
	*w = zero;
	where_add(w, " WHERE c.case_type IN ('feedback','petition')");
	if (f->commune_id)
		where_param(w, a, " AND c.commune_id = $%d",
			    num(a, f->commune_id));
	if (f->ncodes > 0) {
		where_add(w, " AND c.code IN (");
		for (int i = 0; i < f->ncodes && i < VPUB_CODES_MAX; i++)
			where_param(w, a, i ? ", $%d" : "$%d", f->codes[i]);
		where_add(w, ")");
	}
	if (f->topic_code)
		where_param(w, a, " AND t.code = $%d", f->topic_code);
	if (f->start)
		where_param(w, a, " AND c.created_at >= $%d", f->start);
	if (f->end)
		where_param(w, a, " AND c.created_at <= $%d", f->end);
	if (f->open311_status && !strcmp(f->open311_status, "closed"))
		where_add(w,
			  " AND c.status IN ('answered','closed','forwarded',"
			  "'refused','merged')");
	else if (f->open311_status)
		where_add(w, " AND c.status NOT IN ('answered','closed',"
			     "'forwarded','refused','merged')");
	const char *from =
		" FROM cases c LEFT JOIN case_topics t ON t.id = "
		"c.topic_id LEFT JOIN units v ON v.id = c.village_id "
		"LEFT JOIN units u ON u.id = c.unit_id";
	struct db_result *r;
	char *sql = arena_printf(a, "SELECT COUNT(*) AS n%s%s", from, w->sql);
	if (!sql)
		return ERR_NOMEM;
	enum err err = db_exec(db, a, sql, w->params, w->n, &r, e);
	if (err)
		return err;
	*total = db_get_int(r, 0, "n", 0);
	int page = f->page < 1 ? 1 : f->page;
	sql = arena_printf(
		a,
		"SELECT c.id, c.code, c.status, t.code AS topic_code, "
		"t.name_vi "
		"AS topic_vi, v.name AS village_name, u.name AS unit_name, "
		"c.lat, c.lon, c.created_at, c.updated_at, c.answered_on, "
		"c.published, c.title, c.body, c.due_on, " APPROVED_ANSWER
		" AS answer%s%s "
		"ORDER BY c.id DESC LIMIT %d OFFSET %lld",
		from, w->sql, f->page_size,
		(long long)(page - 1) * f->page_size);
	if (!sql)
		return ERR_NOMEM;
	err = db_exec(db, a, sql, w->params, w->n, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : ERR_NOMEM;
}

enum err vpub_ping(struct db *db)
{
	return db_exec(db, NULL, "SELECT 1", NULL, 0, NULL, NULL);
}
