/* The SQL of the interviews. Parameters are text. */
#include "interview_db.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "index_db.h"
#include "round.h"
#include "../base/clock.h"
#include "../base/csv.h"
#include "../people/people.h"
#include "../base/banned.h"

static char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static const char *str(const struct db_result *r, int row, const char *col)
{
	const char *s = db_get(r, row, col);
	return s ? s : "";
}

enum err ivdb_round(struct db *db, struct arena *a, long long id,
		    struct iv_round *out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT r.id, r.year, r.name, r.status, r.scope_unit_id, "
		"u.full_name AS scope, v.year AS version_year FROM "
		"survey_rounds "
		"r JOIN units u ON u.id = r.scope_unit_id JOIN "
		"catalogue_versions "
		"v ON v.id = r.catalogue_version_id WHERE r.id = $1",
		DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "round %lld: not found", id);
	*out = (struct iv_round){
		.id = id,
		.scope_unit_id = db_get_int(r, 0, "scope_unit_id", 0),
		.year = (int)db_get_int(r, 0, "year", 0),
		.catalogue_year = (int)db_get_int(r, 0, "version_year", 0),
		.name = str(r, 0, "name"),
		.scope_name = str(r, 0, "scope"),
		.status = str(r, 0, "status"),
	};
	return ERR_OK;
}

enum err ivdb_villages(struct db *db, struct arena *a, long long scope_id,
		       struct iv_village **out, int *n, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT v.id, v.name, v.name_fold FROM units v WHERE v.kind = "
		"'village' AND v.valid_to IS NULL AND (v.parent_id = $1 OR "
		"v.parent_id IN (SELECT c.id FROM units c WHERE c.parent_id = "
		"$1)) ORDER BY v.sort_key, v.id",
		DB_PARAMS(num(a, scope_id)), &r, e);
	if (err)
		return err;
	*out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
	if (!*out)
		return error_set(e, ERR_NOMEM, "villages");
	for (int i = 0; i < r->nrows; i++)
		(*out)[i] = (struct iv_village){db_get_int(r, i, "id", 0),
						str(r, i, "name"),
						str(r, i, "name_fold")};
	*n = r->nrows;
	return ERR_OK;
}

enum err ivdb_user_units(struct db *db, struct arena *a, long long user_id,
			 const char *role, long long **ids, int *n,
			 struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT unit_id FROM user_roles WHERE user_id = "
			       "$1 AND role = $2 ORDER BY unit_id",
			       DB_PARAMS(num(a, user_id), role), &r, e);
	if (err)
		return err;
	*ids = arena_alloc(a, sizeof **ids * (size_t)(r->nrows + 1));
	if (!*ids)
		return error_set(e, ERR_NOMEM, "user units");
	for (int i = 0; i < r->nrows; i++)
		(*ids)[i] = db_get_int(r, i, "unit_id", 0);
	*n = r->nrows;
	return ERR_OK;
}

static const char sample_from[] =
	"FROM sample_people sp JOIN sample_units su ON su.id = "
	"sp.sample_unit_id JOIN sample_frame_units fu ON fu.id = "
	"su.frame_unit_id JOIN sample_frame_people fp ON fp.id = "
	"sp.frame_person_id JOIN units u ON u.id = fu.unit_id ";

enum err ivdb_sample_people(struct db *db, struct arena *a, long long round_id,
			    json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		arena_printf(
			a,
			"SELECT sp.id, fu.unit_id, u.name AS village, "
			"fp.full_name, fp.gender, fp.birth_year, sp.ord, "
			"sp.is_reserve AS reserve %sWHERE sp.round_id = $1 "
			"AND sp.released = 1 AND sp.outcome = 'pending' AND "
			"NOT EXISTS (SELECT 1 FROM interviews i WHERE "
			"i.sampled_person_id = sp.id) ORDER BY u.sort_key, "
			"fu.unit_id, sp.ord LIMIT 2000",
			sample_from),
		DB_PARAMS(num(a, round_id)), &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "sample people");
}

enum err ivdb_sample_person(struct db *db, struct arena *a, long long round_id,
			    long long id, long long *unit_id,
			    const char **gender, int *birth_year,
			    struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		arena_printf(a,
			     "SELECT fu.unit_id, fp.gender, fp.birth_year %s"
			     "WHERE sp.id = $1 AND sp.round_id = $2",
			     sample_from),
		DB_PARAMS(num(a, id), num(a, round_id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND,
				 "round %lld: no drawn person %lld", round_id,
				 id);
	*unit_id = db_get_int(r, 0, "unit_id", 0);
	*gender = str(r, 0, "gender");
	*birth_year = (int)db_get_int(r, 0, "birth_year", 0);
	return ERR_OK;
}

enum err ivdb_create(struct db *db, struct arena *a, const struct interview *iv,
		     long long *id, struct error *e)
{
	const char *now = clock_now_iso(a);
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"INSERT INTO interviews (round_id, unit_id, surveyor_id, "
		"source, "
		"status, gender, age_group, answers, created_at, updated_at, "
		"sampled_person_id) VALUES ($1, $2, $3, 'form', 'draft', $4, "
		"$5, "
		"$6, $7, $7, $8) RETURNING id",
		DB_PARAMS(num(a, iv->round_id), num(a, iv->unit_id),
			  iv->surveyor_id ? num(a, iv->surveyor_id) : NULL,
			  iv->gender, iv->age_group,
			  iv->answers ? iv->answers : "", now,
			  iv->sampled_person_id ? num(a, iv->sampled_person_id)
						: NULL),
		&r, e);
	if (err)
		return err;
	*id = r->nrows ? db_get_int(r, 0, "id", 0) : 0;
	return *id ? ERR_OK
		   : error_set(e, ERR_DB, "interview: insert returned no id");
}

static const char select_cols[] =
	"SELECT i.id, i.round_id, i.unit_id, u.name AS village, i.status, "
	"i.source, i.gender, i.age_group, i.answers, i.external_id, "
	"i.updated_at, i.submitted_at, i.screen, i.weight, i.surveyor_id, "
	"i.sampled_person_id, "
	"COALESCE(s.full_name, '') AS surveyor FROM interviews i JOIN units u "
	"ON u.id = i.unit_id LEFT JOIN users s ON s.id = i.surveyor_id ";

enum err ivdb_get(struct db *db, struct arena *a, long long id,
		  struct interview *out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a, arena_printf(a, "%sWHERE i.id = $1", select_cols),
		DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "interview %lld: not found",
				 id);
	const char *w = db_get(r, 0, "weight");
	*out = (struct interview){
		.id = id,
		.round_id = db_get_int(r, 0, "round_id", 0),
		.unit_id = db_get_int(r, 0, "unit_id", 0),
		.surveyor_id = db_get_int(r, 0, "surveyor_id", 0),
		.unit_name = str(r, 0, "village"),
		.status = str(r, 0, "status"),
		.source = str(r, 0, "source"),
		.gender = str(r, 0, "gender"),
		.age_group = str(r, 0, "age_group"),
		.answers = str(r, 0, "answers"),
		.external_id = str(r, 0, "external_id"),
		.updated_at = str(r, 0, "updated_at"),
		.submitted_at = str(r, 0, "submitted_at"),
		.surveyor_name = str(r, 0, "surveyor"),
		.sampled_person_id = db_get_int(r, 0, "sampled_person_id", 0),
		.weight = w ? strtod(w, NULL) : NAN,
		.screen = (int)db_get_int(r, 0, "screen", 0),
	};
	return ERR_OK;
}

enum err ivdb_save(struct db *db, struct arena *a, long long id,
		   const char *answers, int screen, const char *status,
		   struct error *e)
{
	const char *now = clock_now_iso(a);
	bool submit = !strcmp(status, "submitted");
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"UPDATE interviews SET answers = $1, screen = $2, status = $3, "
		"updated_at = $4, submitted_at = $5 WHERE id = $6 AND status = "
		"'draft'",
		DB_PARAMS(answers, num(a, screen), status, now,
			  submit ? now : NULL, num(a, id)),
		&r, e);
	if (err)
		return err;
	return r->changes
		       ? ERR_OK
		       : error_set(e, ERR_CONFLICT,
				   "interview %lld: not a draft any more", id);
}

enum err ivdb_list(struct db *db, struct arena *a, long long round_id,
		   const long long *units, int n, json_t **out, struct error *e)
{
	char *in = NULL;
	if (units) {
		in = arena_strdup(a, " AND i.unit_id IN (0");
		for (int i = 0; i < n && in; i++)
			in = arena_printf(a, "%s, %lld", in, units[i]);
		in = in ? arena_printf(a, "%s)", in) : NULL;
		if (!in)
			return error_set(e, ERR_NOMEM, "interviews");
	}
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		arena_printf(a,
			     "SELECT i.id, i.unit_id, u.name AS village, "
			     "i.status, i.source, i.gender, i.age_group, "
			     "COALESCE(s.full_name, '') AS surveyor, "
			     "i.updated_at, i.screen FROM interviews i JOIN "
			     "units u ON u.id = i.unit_id LEFT JOIN users s ON "
			     "s.id = i.surveyor_id WHERE i.round_id = $1%s "
			     "ORDER BY i.id DESC LIMIT 1000",
			     in ? in : ""),
		DB_PARAMS(num(a, round_id)), &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "interviews");
}

enum err ivdb_insert_import(struct db *db, struct arena *a,
			    const struct iv_round *rd,
			    const struct catalogue *c,
			    const struct iv_import *im, struct error *e)
{
	const char *now = clock_now_iso(a);
	const char *rid = num(a, rd->id);
	for (int i = 0; i < im->nrows; i++) {
		const struct iv_row *row = &im->rows[i];
		/* a per-row arena mark would be nicer; rows are small */
		const char *packed = interview_pack(a, c, row->vals);
		if (!packed)
			return error_set(e, ERR_NOMEM, "import line %d",
					 row->line);
		enum err err = db_exec(
			db, a,
			"INSERT INTO interviews (round_id, unit_id, source, "
			"external_id, status, gender, age_group, weight, "
			"answers, "
			"created_at, updated_at, submitted_at, "
			"sampled_person_id) "
			"VALUES ($1, $2, 'import', $3, 'submitted', $4, $5, "
			"$6, $7, "
			"$8, $8, $8, $9)",
			DB_PARAMS(rid, num(a, row->unit_id), row->external_id,
				  row->gender, row->age_group,
				  isnan(row->weight)
					  ? NULL
					  : catalogue_number(a, row->weight),
				  packed, now,
				  row->person_id ? num(a, row->person_id)
						 : NULL),
			NULL, e);
		if (err)
			return err;
	}
	return ERR_OK;
}

enum err ivdb_linked_people(struct db *db, struct arena *a, long long round_id,
			    struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       "SELECT sampled_person_id AS person, id FROM interviews "
		       "WHERE round_id = $1 AND sampled_person_id IS NOT NULL "
		       "ORDER BY sampled_person_id",
		       DB_PARAMS(num(a, round_id)), out, e);
}

enum err ivdb_export(struct db *db, struct arena *a, long long round_id,
		     struct db_result **out, struct error *e)
{
	return db_exec(
		db, a,
		"SELECT i.id, i.unit_id, u.parent_id AS stratum, "
		"i.gender, i.age_group, COALESCE(i.weight, sp.weight) AS "
		"weight, i.answers, i.external_id FROM interviews i JOIN "
		"units u ON u.id = i.unit_id LEFT JOIN sample_people sp "
		"ON sp.id = i.sampled_person_id WHERE i.round_id = $1 AND "
		"i.status = 'submitted' ORDER BY i.unit_id, i.id",
		DB_PARAMS(num(a, round_id)), out, e);
}

/* ---- what the pages and the commands call ---- */

enum err iv_context_load(struct db *db, struct arena *a, long long round_id,
			 struct iv_context *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	enum err err = ivdb_round(db, a, round_id, &out->round, e);
	if (!err)
		err = idb_catalogue_load(db, a, out->round.catalogue_year,
					 &out->cat, e);
	if (!err)
		err = ivdb_villages(db, a, out->round.scope_unit_id,
				    &out->villages, &out->nvillages, e);
	return err;
}

enum err iv_contact_interviewed(struct db *db, struct arena *a,
				const struct actor *who, long long round_id,
				long long person_id, const char *note,
				struct error *e)
{
	const struct papi_actor pa = {who->user_id, who->username,
				      who->remote_addr};
	int released;
	return round_contact(db, a, &pa, round_id, person_id, "interviewed",
			     note, &released, e);
}

struct drawn {
	long long id, unit_id;
	bool released;
	const char *village;
};

static int by_id(const void *x, const void *y)
{
	long long a = ((const struct drawn *)x)->id;
	long long b = ((const struct drawn *)y)->id;
	return a < b ? -1 : a > b;
}

/* Every row's person: drawn for this round, in the row's village, on the
 * list (a replacement not yet brought in is not), without an interview
 * already. ERR_INVALID with a problem per bad row. */
static enum err check_people(struct db *db, struct arena *a, long long round_id,
			     const struct iv_import *im, struct problems *p,
			     struct error *e)
{
	json_t *people;
	enum err err = round_sample_people(db, a, round_id, 0, &people, e);
	if (err)
		return err;
	size_t n = json_array_size(people);
	struct drawn *d = arena_alloc(a, sizeof *d * (n + 1));
	if (!d) {
		json_decref(people);
		return error_set(e, ERR_NOMEM, "import: drawn people");
	}
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(people, i);
		const char *v =
			json_string_value(json_object_get(x, "unit_name"));
		d[i] = (struct drawn){
			json_integer_value(json_object_get(x, "id")),
			json_integer_value(json_object_get(x, "unit_id")),
			json_integer_value(json_object_get(x, "released")) != 0,
			arena_strdup(a, v ? v : ""),
		};
	}
	json_decref(people);
	qsort(d, n, sizeof *d, by_id);
	struct db_result *linked;
	if ((err = ivdb_linked_people(db, a, round_id, &linked, e)))
		return err;
	const char *col = im->person_column;
	for (int r = 0; r < im->nrows; r++) {
		const struct iv_row *row = &im->rows[r];
		if (!row->person_id)
			continue;
		struct drawn key = {.id = row->person_id};
		const struct drawn *x = bsearch(&key, d, n, sizeof *d, by_id);
		long long pid = row->person_id;
		if (!x) {
			problems_add(
				a, p, row->line, col,
				arena_printf(a,
					     "Người số %lld không có trong "
					     "danh sách chọn mẫu của đợt.",
					     pid),
				"person %lld: not drawn for round %lld", pid,
				round_id);
			continue;
		}
		if (x->unit_id != row->unit_id)
			problems_add(
				a, p, row->line, col,
				arena_printf(a,
					     "Người số %lld được chọn ở %s, "
					     "không phải thôn của dòng này.",
					     pid, x->village),
				"person %lld: drawn in unit %lld, the row says "
				"%lld",
				pid, x->unit_id, row->unit_id);
		if (!x->released)
			problems_add(
				a, p, row->line, col,
				arena_printf(a,
					     "Người số %lld là người dự phòng "
					     "chưa được đưa vào danh sách.",
					     pid),
				"person %lld: a replacement not yet brought in",
				pid);
		/* linked is ordered by person: a binary search */
		int lo = 0, hi = linked->nrows;
		while (lo < hi) {
			int mid = lo + (hi - lo) / 2;
			if (db_get_int(linked, mid, "person", 0) < pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < linked->nrows &&
		    db_get_int(linked, lo, "person", 0) == pid)
			problems_add(
				a, p, row->line, col,
				arena_printf(a,
					     "Người số %lld đã có phiếu phỏng "
					     "vấn số %lld.",
					     pid,
					     db_get_int(linked, lo, "id", 0)),
				"person %lld: already interviewed (interview "
				"%lld)",
				pid, db_get_int(linked, lo, "id", 0));
	}
	if (p->n)
		return error_set(e, ERR_INVALID,
				 "%d problems with the drawn people", p->n);
	return ERR_OK;
}

enum err iv_import(struct db *db, struct arena *a, const struct actor *who,
		   long long round_id, const char *data, size_t len,
		   const char *map, size_t map_len, struct iv_import *out,
		   struct problems *p, struct error *e)
{
	struct iv_context cx;
	enum err err = iv_context_load(db, a, round_id, &cx, e);
	if (err)
		return err;
	err = interview_import_parse(a, &cx.cat, cx.villages, cx.nvillages,
				     data, len, map, map_len, out, p, e);
	if (err)
		return err;
	if ((err = db_begin(db, e)))
		return err;
	if (out->person_column)
		err = check_people(db, a, round_id, out, p, e);
	if (!err)
		err = ivdb_insert_import(db, a, &cx.round, &cx.cat, out, e);
	/* the drawn people are interviewed: their contacts say so, and the
	 * quota and replacements follow (round_contact) */
	for (int i = 0; !err && i < out->nrows; i++)
		if (out->rows[i].person_id)
			err = iv_contact_interviewed(
				db, a, who, round_id, out->rows[i].person_id,
				arena_printf(a, "Nhập từ tệp, dòng %d.",
					     out->rows[i].line),
				e);
	if (!err) {
		json_t *after = json_pack(
			"{s:I, s:i, s:i}", "round_id", (json_int_t)round_id,
			"interviews", out->nrows, "questions", out->nmapped);
		err = audit_actor(db, a, who, "interview.import",
				  "survey_round", round_id, NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

static bool append(struct arena *a, char **buf, size_t *len, size_t *cap,
		   const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > *cap) {
		size_t bigger = *cap ? *cap * 2 : 1 << 16;
		while (bigger < *len + n + 1)
			bigger *= 2;
		if (bigger > (size_t)CSV_MAX_BYTES * 4)
			return false;
		char *nb = arena_alloc(a, bigger);
		if (!nb)
			return false;
		if (*len)
			memcpy(nb, *buf, *len);
		*buf = nb;
		*cap = bigger;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return true;
}

enum err iv_export(struct db *db, struct arena *a, long long round_id,
		   bool keep_codes, char **csv, size_t *len, int *rows,
		   struct error *e)
{
	struct iv_context cx;
	enum err err = iv_context_load(db, a, round_id, &cx, e);
	struct db_result *r;
	if (!err)
		err = ivdb_export(db, a, round_id, &r, e);
	if (err)
		return err;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	bool ok = append(a, &buf, &n, &cap,
			 "id,village,stratum,cluster,gender,age_group,weight");
	for (int q = 0; q < cx.cat.nquestions && ok; q++) {
		ok = append(a, &buf, &n, &cap, ",");
		ok = ok && append(a, &buf, &n, &cap,
				  csv_quote(a, cx.cat.questions[q].code));
	}
	ok = ok && append(a, &buf, &n, &cap, "\r\n");
	for (int i = 0; i < r->nrows && ok; i++) {
		const char *w = db_get(r, i, "weight");
		ok = append(
			a, &buf, &n, &cap,
			arena_printf(a, "%s,%s,%s,%s,%s,%s,%s", str(r, i, "id"),
				     str(r, i, "unit_id"), str(r, i, "stratum"),
				     str(r, i, "unit_id"), str(r, i, "gender"),
				     str(r, i, "age_group"),
				     w ? catalogue_number(a, strtod(w, NULL))
				       : "1"));
		const char **vals;
		if (ok && interview_unpack(a, &cx.cat, str(r, i, "answers"),
					   &vals, e))
			return e->code;
		for (int q = 0; q < cx.cat.nquestions && ok; q++) {
			const char *v = vals[q];
			if (!keep_codes &&
			    interview_is_missing_code(&cx.cat.questions[q], v))
				v = "";
			ok = append(a, &buf, &n, &cap, ",") &&
			     append(a, &buf, &n, &cap, v);
		}
		ok = ok && append(a, &buf, &n, &cap, "\r\n");
	}
	if (!ok)
		return error_set(e, ERR_NOMEM, "round %lld: export too large",
				 round_id);
	*csv = buf;
	*len = n;
	*rows = r->nrows;
	return ERR_OK;
}

enum err iv_audit(struct db *db, struct arena *a, const struct actor *who,
		  const char *action, long long id, json_t *after,
		  struct error *e)
{
	return audit_actor(db, a, who, action, "interview", id, NULL, after, e);
}
