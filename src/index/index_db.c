/* The SQL of index/ (catalogue, official results, rounds). Parameters are
 * text; numbers are written with catalogue_number() so they read back
 * exactly. */
#include "index_db.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../base/clock.h"
#include "../base/text.h"
#include "../base/banned.h"

static char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static double cell_num(const struct db_result *r, int row, const char *col)
{
	const char *s = db_get(r, row, col);
	return s ? strtod(s, NULL) : NAN;
}

static const char *cell_str(const struct db_result *r, int row, const char *col)
{
	const char *s = db_get(r, row, col);
	return s ? s : "";
}

enum err idb_catalogue_versions(struct db *db, struct arena *a, json_t **out,
				struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT v.id, v.year, v.name, v.note, v.updated_at, "
			"(SELECT c.year FROM catalogue_versions c WHERE c.id = "
			"v.copied_from) AS copied_from_year, "
			"(SELECT COUNT(*) FROM catalogue_indicators i WHERE "
			"i.version_id = v.id) AS indicators, "
			"(SELECT COUNT(*) FROM catalogue_questions q WHERE "
			"q.version_id "
			"= v.id) AS questions, "
			"(SELECT COUNT(*) FROM catalogue_indicators i WHERE "
			"i.version_id = v.id AND i.is_local = 1) AS local, "
			"(SELECT COUNT(*) FROM survey_rounds s WHERE "
			"s.catalogue_version_id = v.id) AS rounds "
			"FROM catalogue_versions v ORDER BY v.year DESC",
			NULL, 0, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "catalogue versions");
}

enum err idb_catalogue_version_id(struct db *db, struct arena *a, int year,
				  long long *id, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a, "SELECT id FROM catalogue_versions WHERE year = $1",
		DB_PARAMS(num(a, year)), &r, e);
	if (err)
		return err;
	*id = r->nrows ? db_get_int(r, 0, "id", 0) : 0;
	return ERR_OK;
}

enum err idb_catalogue_rounds(struct db *db, struct arena *a, long long id,
			      long long *n, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT COUNT(*) AS n FROM survey_rounds WHERE "
			       "catalogue_version_id = $1",
			       DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	*n = db_get_int(r, 0, "n", 0);
	return ERR_OK;
}

static enum err insert_id(struct db *db, struct arena *a, const char *sql,
			  const char *const *params, int n, long long *id,
			  struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a, sql, params, n, &r, e);
	if (err)
		return err;
	*id = r->nrows ? db_get_int(r, 0, "id", 0) : 0;
	return *id ? ERR_OK : error_set(e, ERR_DB, "insert returned no id");
}

enum err idb_catalogue_store(struct db *db, struct arena *a,
			     const struct catalogue *c, const char *name,
			     long long copied_from, long long *id,
			     struct error *e)
{
	const char *now = clock_now_iso(a);
	const char *year = num(a, c->year);
	enum err err = idb_catalogue_version_id(db, a, c->year, id, e);
	if (err)
		return err;
	if (*id) {
		/* Emptying the dimensions cascades to everything below. */
		err = db_exec(db, a,
			      "DELETE FROM catalogue_dimensions WHERE "
			      "version_id = $1",
			      DB_PARAMS(num(a, *id)), NULL, e);
		if (!err)
			err = db_exec(
				db, a,
				"UPDATE catalogue_versions SET name = $1, "
				"updated_at = $2 WHERE id = $3",
				DB_PARAMS(name, now, num(a, *id)), NULL, e);
	} else {
		err = insert_id(
			db, a,
			"INSERT INTO catalogue_versions (year, name, "
			"copied_from, created_at, updated_at) VALUES "
			"($1, $2, $3, $4, $4) RETURNING id",
			DB_PARAMS(year, name,
				  copied_from ? num(a, copied_from) : NULL,
				  now),
			id, e);
	}
	if (err)
		return err;
	const char *vid = num(a, *id);
	long long *dim_ids =
		arena_alloc(a, sizeof *dim_ids * (size_t)(c->ndimensions + 1));
	long long *sub_ids = arena_alloc(
		a, sizeof *sub_ids * (size_t)(c->nsubdimensions + 1));
	long long *ind_ids =
		arena_alloc(a, sizeof *ind_ids * (size_t)(c->nindicators + 1));
	if (!dim_ids || !sub_ids || !ind_ids)
		return error_set(e, ERR_NOMEM, "catalogue %d: out of memory",
				 c->year);
	for (int i = 0; i < c->ndimensions && !err; i++) {
		const struct cat_dimension *d = &c->dimensions[i];
		err = insert_id(db, a,
				"INSERT INTO catalogue_dimensions (version_id, "
				"code, ord, name_vi, name_en) VALUES ($1, $2, "
				"$3, $4, $5) RETURNING id",
				DB_PARAMS(vid, d->code, num(a, i), d->name_vi,
					  d->name_en),
				&dim_ids[i], e);
	}
	for (int i = 0; i < c->nsubdimensions && !err; i++) {
		const struct cat_subdimension *s = &c->subdimensions[i];
		err = insert_id(
			db, a,
			"INSERT INTO catalogue_subdimensions (version_id, "
			"dimension_id, code, ord, name_vi, name_en) VALUES "
			"($1, $2, $3, $4, $5, $6) RETURNING id",
			DB_PARAMS(vid, num(a, dim_ids[s->dimension]), s->code,
				  num(a, i), s->name_vi, s->name_en),
			&sub_ids[i], e);
	}
	for (int i = 0; i < c->nindicators && !err; i++) {
		const struct cat_indicator *in = &c->indicators[i];
		err = insert_id(
			db, a,
			"INSERT INTO catalogue_indicators (version_id, "
			"subdimension_id, code, ord, name_vi, name_en, "
			"weight, source, is_local) VALUES ($1, $2, $3, $4, "
			"$5, $6, $7, $8, $9) RETURNING id",
			DB_PARAMS(vid, num(a, sub_ids[in->subdimension]),
				  in->code, num(a, i), in->name_vi, in->name_en,
				  catalogue_number(a, in->weight), in->source,
				  in->local ? "1" : "0"),
			&ind_ids[i], e);
	}
	for (int i = 0; i < c->nquestions && !err; i++) {
		const struct cat_question *q = &c->questions[i];
		err = db_exec(db, a,
			      "INSERT INTO catalogue_questions (version_id, "
			      "indicator_id, code, ord, text_vi, text_en, "
			      "answer_type, "
			      "choices, lower_bound, upper_bound, direction, "
			      "missing_codes, skip_if) VALUES ($1, $2, $3, $4, "
			      "$5, $6, "
			      "$7, $8, $9, $10, $11, $12, $13)",
			      DB_PARAMS(vid, num(a, ind_ids[q->indicator]),
					q->code, num(a, i), q->text_vi,
					q->text_en, answer_type_key(q->type),
					q->choices,
					catalogue_number(a, q->lower),
					catalogue_number(a, q->upper),
					direction_key(q->direction),
					q->missing_codes, q->skip_if),
			      NULL, e);
	}
	return err;
}

enum err idb_catalogue_load(struct db *db, struct arena *a, int year,
			    struct catalogue *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	struct db_result *v, *r;
	enum err err = db_exec(db, a,
			       "SELECT id, year, name FROM catalogue_versions "
			       "WHERE year = $1",
			       DB_PARAMS(num(a, year)), &v, e);
	if (err)
		return err;
	if (!v->nrows)
		return error_set(e, ERR_NOTFOUND, "no catalogue for %d", year);
	err = db_exec(
		db, a,
		"SELECT d.code AS dcode, d.name_vi AS dvi, d.name_en AS den, "
		"s.code AS scode, s.name_vi AS svi, s.name_en AS sen, "
		"i.code AS icode, i.name_vi AS ivi, i.name_en AS ien, "
		"i.weight, "
		"i.source, i.is_local, q.code, q.text_vi, q.text_en, "
		"q.answer_type, q.choices, q.lower_bound, q.upper_bound, "
		"q.direction, q.missing_codes, q.skip_if "
		"FROM catalogue_questions q "
		"JOIN catalogue_indicators i ON i.id = q.indicator_id "
		"JOIN catalogue_subdimensions s ON s.id = i.subdimension_id "
		"JOIN catalogue_dimensions d ON d.id = s.dimension_id "
		"WHERE q.version_id = $1 ORDER BY d.ord, s.ord, i.ord, q.ord",
		DB_PARAMS(db_get(v, 0, "id")), &r, e);
	if (err)
		return err;
	out->year = year;
	out->name = cell_str(v, 0, "name");
	size_t n = (size_t)(r->nrows + 1);
	out->dimensions = arena_alloc(a, sizeof *out->dimensions * n);
	out->subdimensions = arena_alloc(a, sizeof *out->subdimensions * n);
	out->indicators = arena_alloc(a, sizeof *out->indicators * n);
	out->questions = arena_alloc(a, sizeof *out->questions * n);
	if (!out->dimensions || !out->subdimensions || !out->indicators ||
	    !out->questions)
		return error_set(e, ERR_NOMEM, "catalogue %d: out of memory",
				 year);
	/* Rows come in order, so a new code is always the next entry. */
	for (int i = 0; i < r->nrows; i++) {
		const char *dc = cell_str(r, i, "dcode"),
			   *sc = cell_str(r, i, "scode"),
			   *ic = cell_str(r, i, "icode");
		if (!out->ndimensions ||
		    strcmp(out->dimensions[out->ndimensions - 1].code, dc))
			out->dimensions[out->ndimensions++] =
				(struct cat_dimension){dc,
						       cell_str(r, i, "dvi"),
						       cell_str(r, i, "den")};
		if (!out->nsubdimensions ||
		    strcmp(out->subdimensions[out->nsubdimensions - 1].code,
			   sc))
			out->subdimensions[out->nsubdimensions++] =
				(struct cat_subdimension){sc,
							  cell_str(r, i, "svi"),
							  cell_str(r, i, "sen"),
							  out->ndimensions - 1};
		if (!out->nindicators ||
		    strcmp(out->indicators[out->nindicators - 1].code, ic))
			out->indicators[out->nindicators++] =
				(struct cat_indicator){
					ic,
					cell_str(r, i, "ivi"),
					cell_str(r, i, "ien"),
					cell_num(r, i, "weight"),
					cell_str(r, i, "source"),
					db_get_int(r, i, "is_local", 0) != 0,
					out->nsubdimensions - 1};
		struct cat_question *q = &out->questions[out->nquestions++];
		q->code = cell_str(r, i, "code");
		q->text_vi = cell_str(r, i, "text_vi");
		q->text_en = cell_str(r, i, "text_en");
		if (!answer_type_from_key(cell_str(r, i, "answer_type"),
					  &q->type) ||
		    !direction_from_key(cell_str(r, i, "direction"),
					&q->direction))
			return error_set(e, ERR_DB,
					 "catalogue %d: question %s: "
					 "unknown answer type or direction",
					 year, q->code);
		q->choices = cell_str(r, i, "choices");
		q->lower = cell_num(r, i, "lower_bound");
		q->upper = cell_num(r, i, "upper_bound");
		q->missing_codes = cell_str(r, i, "missing_codes");
		q->skip_if = cell_str(r, i, "skip_if");
		q->indicator = out->nindicators - 1;
	}
	return ERR_OK;
}

static const char *num_or_null(struct arena *a, double v)
{
	return isnan(v) ? NULL : catalogue_number(a, v);
}

enum err idb_official_replace(struct db *db, struct arena *a,
			      const struct official_set *s,
			      const char *source_file, struct error *e)
{
	const char *now = clock_now_iso(a);
	enum err err = ERR_OK;
	/* The years of the file, each emptied once. */
	for (int i = 0; i < s->n && !err; i++) {
		bool seen = false;
		for (int k = 0; k < i; k++)
			seen |= s->rows[k].year == s->rows[i].year;
		if (!seen)
			err = db_exec(
				db, a,
				"DELETE FROM official_results WHERE year = $1",
				DB_PARAMS(num(a, s->rows[i].year)), NULL, e);
	}
	for (int i = 0; i < s->n && !err; i++) {
		const struct official_row *r = &s->rows[i];
		const char *fold = text_fold(a, r->name),
			   *key = text_sort_key(a, r->name);
		if (!fold || !key)
			return error_set(e, ERR_NOMEM,
					 "official results: out of memory");
		err = db_exec(
			db, a,
			"INSERT INTO official_results (year, unit_code, "
			"unit_name, "
			"name_fold, sort_key, d1, d2, d3, d4, d5, d6, d7, d8, "
			"total, "
			"published_rank, n_ranked, status, source_file, "
			"imported_at) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
			"$12, "
			"$13, $14, $15, $16, $17, $18, $19)",
			DB_PARAMS(num(a, r->year), r->code, r->name, fold, key,
				  num_or_null(a, r->v[0]),
				  num_or_null(a, r->v[1]),
				  num_or_null(a, r->v[2]),
				  num_or_null(a, r->v[3]),
				  num_or_null(a, r->v[4]),
				  num_or_null(a, r->v[5]),
				  num_or_null(a, r->v[6]),
				  num_or_null(a, r->v[7]),
				  num_or_null(a, r->v[8]),
				  r->rank ? num(a, r->rank) : NULL,
				  r->n_ranked ? num(a, r->n_ranked) : NULL,
				  r->status ? r->status : "", source_file, now),
			NULL, e);
	}
	return err;
}

enum err idb_official_years(struct db *db, struct arena *a, json_t **out,
			    struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT year, COUNT(*) AS units, COUNT(total) AS "
			"with_total FROM official_results GROUP BY year "
			"ORDER BY year DESC",
			NULL, 0, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "official years");
}

enum err idb_official_load(struct db *db, struct arena *a, int year,
			   struct official_set *out, struct error *e)
{
	struct db_result *r;
	enum err err =
		year ? db_exec(db, a,
			       "SELECT year, unit_code, unit_name, d1, d2, d3, "
			       "d4, d5, d6, d7, d8, total, published_rank, "
			       "n_ranked, status FROM official_results WHERE "
			       "year = $1 ORDER BY sort_key, unit_code",
			       DB_PARAMS(num(a, year)), &r, e)
		     : db_exec(db, a,
			       "SELECT year, unit_code, unit_name, d1, d2, d3, "
			       "d4, d5, d6, d7, d8, total, published_rank, "
			       "n_ranked, status FROM official_results ORDER "
			       "BY "
			       "year, sort_key, unit_code",
			       NULL, 0, &r, e);
	if (err)
		return err;
	out->n = r->nrows;
	out->rows = arena_alloc(a, sizeof *out->rows * (size_t)(r->nrows + 1));
	if (!out->rows)
		return error_set(e, ERR_NOMEM,
				 "official results: out of memory");
	for (int i = 0; i < r->nrows; i++) {
		struct official_row *o = &out->rows[i];
		o->year = (int)db_get_int(r, i, "year", 0);
		o->code = cell_str(r, i, "unit_code");
		o->name = cell_str(r, i, "unit_name");
		for (int m = 0; m < OFFICIAL_MEASURES; m++) {
			o->v[m] = cell_num(r, i, official_measure_keys[m]);
			o->text[m] = isnan(o->v[m])
					     ? ""
					     : catalogue_number(a, o->v[m]);
		}
		o->rank = (int)db_get_int(r, i, "published_rank", 0);
		o->n_ranked = (int)db_get_int(r, i, "n_ranked", 0);
		o->status = cell_str(r, i, "status");
	}
	return ERR_OK;
}

enum err idb_rounds(struct db *db, struct arena *a, json_t **out,
		    struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT r.id, r.year, r.name, r.status, u.full_name AS scope, "
		"v.year AS version_year FROM survey_rounds r JOIN units u ON "
		"u.id = r.scope_unit_id JOIN catalogue_versions v ON v.id = "
		"r.catalogue_version_id ORDER BY r.year DESC, r.id DESC",
		NULL, 0, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "rounds");
}

enum err idb_round_marks(struct db *db, struct arena *a, const long long *ids,
			 int n, struct db_result **out, struct error *e)
{
	/* the ids as parameters, so that PostgreSQL plans the statement once
	 * per connection: there one array (a province asks a hundred
	 * rounds, and statements of more than 32 parameters are planned on
	 * every run, db_pg.c), on SQLite one parameter each */
	bool pg = db_kind(db) == DB_POSTGRES;
	int np = pg ? 1 : n;
	const char **params = arena_alloc(a, sizeof *params * (size_t)(n + 1));
	char *in = arena_alloc(a, (size_t)n * 8 + 16);
	if (!params || !in)
		return error_set(e, ERR_NOMEM, "round marks: out of memory");
	const char *where = in;
	if (pg) {
		params[0] =
			arena_printf(a, "{%s}", n ? db_id_list(a, ids, n) : "");
		where = "r.id = ANY (CAST($1 AS BIGINT[]))";
	} else {
		size_t len = 0;
		for (int i = 0; i < n; i++) {
			params[i] = arena_printf(a, "%lld", ids[i]);
			len += (size_t)snprintf(in + len,
						(size_t)n * 8 + 16 - len,
						"%s$%d", i ? "," : "", i + 1);
		}
		if (!n)
			memcpy(in, "0", 2);
	}
	char *sql =
		arena_printf(a,
			     "SELECT r.id, CAST(r.catalogue_version_id AS "
			     "TEXT) || '|' || r.updated_at || '|' || (SELECT "
			     "CAST(COUNT(*) AS TEXT) || '|' || "
			     "COALESCE(MAX(i.updated_at), '') || '|' || "
			     "CAST(COALESCE(SUM(COALESCE(i.weight, (SELECT "
			     "sp.weight FROM sample_people sp WHERE sp.id = "
			     "i.sampled_person_id))), 0) AS TEXT) || '|' || "
			     "CAST(COALESCE(SUM(LENGTH(i.answers)), 0) AS "
			     "TEXT) "
			     "FROM interviews i WHERE i.round_id = r.id AND "
			     "i.status = 'submitted') || '|' || (SELECT "
			     "CAST(COUNT(*) AS TEXT) || ':' || "
			     "CAST(COALESCE(SUM(m.population), 0) AS TEXT) "
			     "FROM "
			     "round_margins m WHERE m.round_id = r.id) || '|' "
			     "|| "
			     "(SELECT CAST(COALESCE(MAX(l.id), 0) AS TEXT) "
			     "FROM "
			     "audit_log l WHERE l.entity = 'survey_round') || "
			     "':' || (SELECT CAST(COALESCE(MAX(l.id), 0) AS "
			     "TEXT) "
			     "FROM audit_log l WHERE l.entity = 'interview') "
			     "|| "
			     "':' || (SELECT CAST(COALESCE(MAX(l.id), 0) AS "
			     "TEXT) "
			     "FROM audit_log l WHERE l.entity = 'unit') || ':' "
			     "|| (SELECT CAST(COALESCE(MAX(l.id), 0) AS TEXT) "
			     "FROM audit_log l WHERE l.entity = 'catalogue') "
			     "AS "
			     "mark FROM survey_rounds r WHERE %s%s%s",
			     pg ? "" : "r.id IN (", where, pg ? "" : ")");
	if (!sql)
		return error_set(e, ERR_NOMEM, "round marks: out of memory");
	return db_exec(db, a, sql, params, np, out, e);
}
