/* The SQL of post-stratification. Doubles go out with 17 significant
 * digits so they read back exactly. */
#include "weights_db.h"
#include "../base/banned.h"

static char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

enum err wdb_margins(struct db *db, struct arena *a, long long round,
		     struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       "SELECT variable, category, population FROM "
		       "round_margins WHERE round_id = $1 ORDER BY variable, "
		       "category",
		       DB_PARAMS(num(a, round)), out, e);
}

enum err wdb_replace(struct db *db, struct arena *a, long long round,
		     const struct weights_margins *m, struct error *e)
{
	const char *id = num(a, round);
	enum err err =
		db_exec(db, a, "DELETE FROM round_margins WHERE round_id = $1",
			DB_PARAMS(id), NULL, e);
	for (int v = 0; !err && v < WEIGHTS_NVARS; v++)
		for (int k = 0; !err && m->has[v] && k < m->ncat[v]; k++)
			err = db_exec(
				db, a,
				"INSERT INTO round_margins (round_id, "
				"variable, category, population) VALUES ($1, "
				"$2, $3, $4)",
				DB_PARAMS(
					id, weights_variables[v],
					weights_category(a, m, v, k),
					arena_printf(a, "%.17g", m->pop[v][k])),
				NULL, e);
	return err;
}

enum err wdb_sample(struct db *db, struct arena *a, long long round,
		    struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       "SELECT i.unit_id, i.gender, i.age_group, "
		       "COALESCE(i.weight, "
		       "sp.weight) AS weight FROM interviews i LEFT JOIN "
		       "sample_people sp ON sp.id = i.sampled_person_id WHERE "
		       "i.round_id = $1 AND i.status = 'submitted'",
		       DB_PARAMS(num(a, round)), out, e);
}

enum err wdb_villages(struct db *db, struct arena *a, long long scope,
		      struct db_result **out, struct error *e)
{
	return db_exec(
		db, a,
		"SELECT v.id, COALESCE(v.code, '') AS code, v.name FROM units "
		"v WHERE v.kind = 'village' AND v.valid_to IS NULL AND "
		"(v.parent_id = $1 OR v.parent_id IN (SELECT c.id FROM units c "
		"WHERE c.parent_id = $1)) ORDER BY v.sort_key, v.id",
		DB_PARAMS(num(a, scope)), out, e);
}

enum err wdb_frame(struct db *db, struct arena *a, long long round,
		   struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       "SELECT unit_id, population FROM sample_frame_units "
		       "WHERE round_id = $1 ORDER BY ord",
		       DB_PARAMS(num(a, round)), out, e);
}
