/* The SQL of survey rounds, sample frames, draws and contacts. Parameters
 * are text; doubles are written with 17 significant digits so they read
 * back exactly. */
#include "sampling_db.h"
#include <stdio.h>
#include "../base/clock.h"
#include "../base/banned.h"

static char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static char *dbl(struct arena *a, double v)
{
	return arena_printf(a, "%.17g", v);
}

static const char round_select[] =
	"SELECT r.id, r.year, r.name, r.scope_unit_id, u.full_name AS "
	"scope_name, "
	"u.kind AS scope_kind, r.catalogue_version_id, v.year AS "
	"catalogue_year, "
	"r.tie_rule, r.bounds_rule, r.min_answers, r.lonely_psu, r.status, "
	"r.note, "
	"r.sample_units, r.sample_people, r.sample_reserve, r.sample_quota, "
	"r.age_min, r.age_max, r.sample_seed, r.drawn_at, r.created_at, "
	"r.updated_at, "
	"(SELECT COUNT(*) FROM sample_frame_units f WHERE f.round_id = r.id) "
	"AS frame_units, "
	"(SELECT COUNT(*) FROM sample_frame_people p WHERE p.round_id = r.id) "
	"AS frame_people, "
	"(SELECT COUNT(*) FROM sample_units s WHERE s.round_id = r.id) "
	"AS drawn_units "
	"FROM survey_rounds r JOIN units u ON u.id = r.scope_unit_id "
	"JOIN catalogue_versions v ON v.id = r.catalogue_version_id ";

enum err sdb_round_insert(struct db *db, struct arena *a,
			  const struct round_row_input *in, long long *id,
			  struct error *e)
{
	const char *now = clock_now_iso(a);
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"INSERT INTO survey_rounds (year, name, scope_unit_id, "
		"catalogue_version_id, tie_rule, bounds_rule, min_answers, "
		"lonely_psu, sample_units, sample_people, sample_reserve, "
		"sample_quota, age_min, age_max, note, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		"$13, "
		"$14, $15, $16, $16) RETURNING id",
		DB_PARAMS(in->year, in->name, in->scope_unit_id,
			  in->catalogue_version_id, in->tie_rule,
			  in->bounds_rule, in->min_answers, in->lonely_psu,
			  in->sample_units, in->sample_people,
			  in->sample_reserve, in->sample_quota, in->age_min,
			  in->age_max, in->note, now),
		&r, e);
	if (!err)
		*id = db_get_int(r, 0, "id", 0);
	return err;
}

enum err sdb_round_update(struct db *db, struct arena *a, long long id,
			  const struct round_row_input *in, struct error *e)
{
	return db_exec(
		db, a,
		"UPDATE survey_rounds SET name = $2, tie_rule = $3, "
		"bounds_rule = "
		"$4, min_answers = $5, lonely_psu = $6, sample_units = $7, "
		"sample_people = $8, sample_reserve = $9, sample_quota = $10, "
		"age_min = $11, age_max = $12, note = $13, updated_at = $14 "
		"WHERE id = $1",
		DB_PARAMS(num(a, id), in->name, in->tie_rule, in->bounds_rule,
			  in->min_answers, in->lonely_psu, in->sample_units,
			  in->sample_people, in->sample_reserve,
			  in->sample_quota, in->age_min, in->age_max, in->note,
			  clock_now_iso(a)),
		NULL, e);
}

enum err sdb_round_get(struct db *db, struct arena *a, long long id,
		       struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       arena_printf(a, "%sWHERE r.id = $1", round_select),
		       DB_PARAMS(num(a, id)), out, e);
}

enum err sdb_rounds(struct db *db, struct arena *a, struct db_result **out,
		    struct error *e)
{
	return db_exec(db, a,
		       arena_printf(a, "%sORDER BY r.year DESC, r.id DESC",
				    round_select),
		       NULL, 0, out, e);
}

enum err sdb_round_drawn(struct db *db, struct arena *a, long long id,
			 const char *seed, int sample_units, struct error *e)
{
	const char *now = clock_now_iso(a);
	return db_exec(
		db, a,
		"UPDATE survey_rounds SET sample_seed = $2, drawn_at = $3, "
		"updated_at = $3, sample_units = $4, status = CASE WHEN "
		"status = 'draft' THEN 'sampling' ELSE status END "
		"WHERE id = $1",
		DB_PARAMS(num(a, id), seed, now, num(a, sample_units)), NULL,
		e);
}

enum err sdb_scope_units(struct db *db, struct arena *a, long long scope,
			 const char *kind, struct db_result **out,
			 struct error *e)
{
	return db_exec(db, a,
		       "SELECT u.id, u.code, u.name, u.full_name, u.name_fold, "
		       "u.population FROM units u LEFT JOIN units p ON p.id = "
		       "u.parent_id WHERE u.kind = $2 AND u.valid_to IS NULL "
		       "AND (u.parent_id = $1 OR p.parent_id = $1) "
		       "ORDER BY u.sort_key, u.id",
		       DB_PARAMS(num(a, scope), kind), out, e);
}

enum err sdb_frame_units(struct db *db, struct arena *a, long long round,
			 int born_from, int born_to, struct db_result **out,
			 struct error *e)
{
	return db_exec(
		db, a,
		"SELECT f.id, f.unit_id, f.ord, f.population, f.is_seat, "
		"u.name, u.full_name, u.code, "
		"(SELECT COUNT(*) FROM sample_frame_people p WHERE "
		"p.frame_unit_id = f.id) AS people, "
		"(SELECT COUNT(*) FROM sample_frame_people p WHERE "
		"p.frame_unit_id = f.id AND p.birth_year >= $2 AND "
		"p.birth_year "
		"<= $3) AS eligible "
		"FROM sample_frame_units f JOIN units u ON u.id = f.unit_id "
		"WHERE f.round_id = $1 ORDER BY f.ord",
		DB_PARAMS(num(a, round), num(a, born_from), num(a, born_to)),
		out, e);
}

enum err sdb_frame_mark_all(struct db *db, struct arena *a, long long round,
			    struct error *e)
{
	return db_exec(
		db, a,
		"UPDATE sample_frame_units SET ord = -1 WHERE round_id = $1",
		DB_PARAMS(num(a, round)), NULL, e);
}

enum err sdb_frame_unit_put(struct db *db, struct arena *a, long long round,
			    long long unit_id, int ord, long long population,
			    bool seat, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"UPDATE sample_frame_units SET ord = $3, population "
			"= $4, is_seat = $5 WHERE round_id = $1 AND unit_id "
			"= $2",
			DB_PARAMS(num(a, round), num(a, unit_id), num(a, ord),
				  num(a, population), seat ? "1" : "0"),
			&r, e);
	if (err || r->changes)
		return err;
	return db_exec(
		db, a,
		"INSERT INTO sample_frame_units (round_id, unit_id, ord, "
		"population, is_seat) VALUES ($1, $2, $3, $4, $5)",
		DB_PARAMS(num(a, round), num(a, unit_id), num(a, ord),
			  num(a, population), seat ? "1" : "0"),
		NULL, e);
}

enum err sdb_frame_drop_marked(struct db *db, struct arena *a, long long round,
			       struct error *e)
{
	return db_exec(db, a,
		       "DELETE FROM sample_frame_units WHERE round_id = $1 AND "
		       "ord = -1",
		       DB_PARAMS(num(a, round)), NULL, e);
}

enum err sdb_frame_people_clear(struct db *db, struct arena *a,
				long long frame_unit_id, struct error *e)
{
	return db_exec(
		db, a,
		"DELETE FROM sample_frame_people WHERE frame_unit_id = $1",
		DB_PARAMS(num(a, frame_unit_id)), NULL, e);
}

enum err sdb_frame_person_insert(struct db *db, struct arena *a,
				 long long round, long long frame_unit_id,
				 const char *ref, const char *name,
				 const char *gender, int birth_year,
				 const char *address, struct error *e)
{
	return db_exec(
		db, a,
		"INSERT INTO sample_frame_people (round_id, frame_unit_id, "
		"person_ref, full_name, gender, birth_year, address) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7)",
		DB_PARAMS(num(a, round), num(a, frame_unit_id), ref, name,
			  gender, num(a, birth_year), address),
		NULL, e);
}

enum err sdb_frame_people(struct db *db, struct arena *a, long long round,
			  struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       "SELECT id, frame_unit_id, birth_year FROM "
		       "sample_frame_people WHERE round_id = $1 ORDER BY "
		       "frame_unit_id, id",
		       DB_PARAMS(num(a, round)), out, e);
}

enum err sdb_draw_clear(struct db *db, struct arena *a, long long round,
			struct error *e)
{
	enum err err =
		db_exec(db, a, "DELETE FROM sample_people WHERE round_id = $1",
			DB_PARAMS(num(a, round)), NULL, e);
	if (!err)
		err = db_exec(db, a,
			      "DELETE FROM sample_units WHERE round_id = $1",
			      DB_PARAMS(num(a, round)), NULL, e);
	return err;
}

enum err sdb_contacts_recorded(struct db *db, struct arena *a, long long round,
			       long long *n, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT COUNT(*) AS n FROM sample_people WHERE "
			       "round_id = $1 AND outcome <> 'pending'",
			       DB_PARAMS(num(a, round)), &r, e);
	if (!err)
		*n = db_get_int(r, 0, "n", 0);
	return err;
}

enum err sdb_sample_unit_insert(struct db *db, struct arena *a, long long round,
				long long frame_unit_id, double prob,
				bool certainty, int eligible, long long *id,
				struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"INSERT INTO sample_units (round_id, frame_unit_id, "
		"prob, certainty, eligible) VALUES ($1, $2, $3, $4, "
		"$5) RETURNING id",
		DB_PARAMS(num(a, round), num(a, frame_unit_id), dbl(a, prob),
			  certainty ? "1" : "0", num(a, eligible)),
		&r, e);
	if (!err)
		*id = db_get_int(r, 0, "id", 0);
	return err;
}

enum err sdb_sample_person_insert(struct db *db, struct arena *a,
				  long long round, long long sample_unit_id,
				  long long frame_person_id, int ord,
				  bool reserve, double prob, double weight,
				  struct error *e)
{
	return db_exec(
		db, a,
		"INSERT INTO sample_people (round_id, sample_unit_id, "
		"frame_person_id, ord, is_reserve, released, prob, weight) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		DB_PARAMS(num(a, round), num(a, sample_unit_id),
			  num(a, frame_person_id), num(a, ord),
			  reserve ? "1" : "0", reserve ? "0" : "1",
			  dbl(a, prob), dbl(a, weight)),
		NULL, e);
}

enum err sdb_sample_units(struct db *db, struct arena *a, long long round,
			  long long sample_unit_id, struct db_result **out,
			  struct error *e)
{
	return db_exec(
		db, a,
		"SELECT s.id, s.frame_unit_id, s.prob, s.certainty, "
		"s.eligible, "
		"f.unit_id, f.population, f.is_seat, f.ord, u.name, "
		"u.full_name, "
		"(SELECT COUNT(*) FROM sample_people p WHERE p.sample_unit_id "
		"= "
		"s.id AND p.is_reserve = 0) AS main, "
		"(SELECT COUNT(*) FROM sample_people p WHERE p.sample_unit_id "
		"= "
		"s.id AND p.is_reserve = 1) AS reserve, "
		"(SELECT COUNT(*) FROM sample_people p WHERE p.sample_unit_id "
		"= "
		"s.id AND p.is_reserve = 1 AND p.released = 1) AS "
		"reserve_used, "
		"(SELECT COUNT(*) FROM sample_people p WHERE p.sample_unit_id "
		"= "
		"s.id AND p.outcome = 'interviewed') AS interviewed, "
		"(SELECT COUNT(*) FROM sample_people p WHERE p.sample_unit_id "
		"= "
		"s.id AND p.outcome = 'refused') AS refused, "
		"(SELECT COUNT(*) FROM sample_people p WHERE p.sample_unit_id "
		"= "
		"s.id AND p.outcome IN ('not_home', 'moved', 'ineligible')) AS "
		"other_failed, "
		"(SELECT COUNT(*) FROM sample_people p WHERE p.sample_unit_id "
		"= "
		"s.id AND p.released = 1 AND p.outcome = 'pending') AS pending "
		"FROM sample_units s JOIN sample_frame_units f ON f.id = "
		"s.frame_unit_id JOIN units u ON u.id = f.unit_id "
		"WHERE s.round_id = $1 AND ($2 = '0' OR CAST(s.id AS TEXT) = "
		"$2) "
		"ORDER BY f.ord",
		DB_PARAMS(num(a, round), num(a, sample_unit_id)), out, e);
}

enum err sdb_sample_people(struct db *db, struct arena *a, long long round,
			   long long sample_unit_id, struct db_result **out,
			   struct error *e)
{
	return db_exec(
		db, a,
		"SELECT p.id, p.sample_unit_id, p.ord, p.is_reserve, "
		"p.released, "
		"p.prob, p.weight, p.outcome, p.note, p.updated_at, "
		"p.updated_by, "
		"fp.person_ref, fp.full_name, fp.gender, fp.birth_year, "
		"fp.address, u.name AS unit_name, f.unit_id, s.prob AS "
		"unit_prob "
		"FROM sample_people p JOIN sample_frame_people fp ON fp.id = "
		"p.frame_person_id JOIN sample_units s ON s.id = "
		"p.sample_unit_id "
		"JOIN sample_frame_units f ON f.id = s.frame_unit_id "
		"JOIN units u ON u.id = f.unit_id "
		"WHERE p.round_id = $1 AND ($2 = '0' OR CAST(p.sample_unit_id "
		"AS "
		"TEXT) = $2) ORDER BY f.ord, p.ord",
		DB_PARAMS(num(a, round), num(a, sample_unit_id)), out, e);
}

enum err sdb_sample_person_set(struct db *db, struct arena *a, long long id,
			       const char *outcome, const char *note,
			       const char *by, struct error *e)
{
	return db_exec(
		db, a,
		"UPDATE sample_people SET outcome = $2, note = $3, "
		"updated_at = $4, updated_by = $5 WHERE id = $1",
		DB_PARAMS(num(a, id), outcome, note, clock_now_iso(a), by),
		NULL, e);
}

enum err sdb_release_next(struct db *db, struct arena *a,
			  long long sample_unit_id, bool *done, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT id FROM sample_people WHERE sample_unit_id "
			"= $1 AND released = 0 ORDER BY ord LIMIT 1",
			DB_PARAMS(num(a, sample_unit_id)), &r, e);
	*done = false;
	if (err || !r->nrows)
		return err;
	*done = true;
	return db_exec(db, a,
		       "UPDATE sample_people SET released = 1 WHERE id = $1",
		       DB_PARAMS(db_get(r, 0, "id")), NULL, e);
}

enum err sdb_user_has_role_on(struct db *db, struct arena *a, long long user_id,
			      long long unit_id, const char *role1,
			      const char *role2, bool *yes, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT COUNT(*) AS n FROM user_roles WHERE user_id "
		"= $1 AND unit_id = $2 AND role IN ($3, $4)",
		DB_PARAMS(num(a, user_id), num(a, unit_id), role1, role2), &r,
		e);
	*yes = !err && db_get_int(r, 0, "n", 0) > 0;
	return err;
}

enum err sdb_scope_choices(struct db *db, struct arena *a,
			   struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       "SELECT u.id, u.code, u.full_name, u.kind FROM units u "
		       "WHERE u.valid_to IS NULL AND (u.kind = 'province' OR "
		       "(u.kind = 'commune' AND EXISTS (SELECT 1 FROM units v "
		       "WHERE v.parent_id = u.id AND v.kind = 'village' AND "
		       "v.valid_to IS NULL))) ORDER BY u.kind, u.sort_key",
		       NULL, 0, out, e);
}
