/* The SQL of the report's figures (report_figures_db.h). Ids are put in
 * the text as numbers (they are integers we hold, never typed text); the
 * rest are $n parameters. */
#include <stdio.h>
#include "report_figures_db.h"
#include "../base/banned.h"

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

/* "1,2,3" ("0" for none: IN (0) matches nothing and stays valid SQL). */
static char *id_list(struct arena *a, const long long *ids, int n,
		     struct error *e)
{
	if (n > RFDB_MAX_IDS) {
		error_set(e, ERR_TOOBIG, "report figures: %d units, at most %d",
			  n, RFDB_MAX_IDS);
		return NULL;
	}
	char *s = db_id_list(a, ids, n);
	if (!s)
		error_set(e, ERR_NOMEM, "report figures: out of memory");
	return s;
}

static enum err run(struct db *db, struct arena *a, const char *sql,
		    const char *const *params, int n, struct db_result **out,
		    struct error *e)
{
	if (!sql)
		return e->code ? e->code
			       : error_set(e, ERR_NOMEM,
					   "report figures: out of memory");
	return db_exec(db, a, sql, params, n, out, e);
}

enum err rfdb_rounds(struct db *db, struct arena *a, const long long *scopes,
		     int n, int min_year, int max_year, struct db_result **out,
		     struct error *e)
{
	char *in = id_list(a, scopes, n, e);
	const char *sql =
		in ? arena_printf(
			     a,
			     "SELECT r.id, r.year, r.scope_unit_id FROM "
			     "survey_rounds r WHERE r.scope_unit_id IN (%s) "
			     "AND r.year >= $1 AND r.year <= $2 AND EXISTS "
			     "(SELECT 1 FROM interviews i WHERE i.round_id = "
			     "r.id AND i.status = 'submitted') ORDER BY "
			     "r.year DESC, r.id DESC",
			     in)
		   : NULL;
	return run(db, a, sql, DB_PARAMS(num(a, min_year), num(a, max_year)),
		   out, e);
}

enum err rfdb_peer_rounds(struct db *db, struct arena *a, int year,
			  struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       "SELECT r.id, r.scope_unit_id FROM survey_rounds r "
		       "JOIN units u ON u.id = r.scope_unit_id WHERE r.year = "
		       "$1 AND u.kind IN ('province', 'district') AND EXISTS "
		       "(SELECT 1 FROM interviews i WHERE i.round_id = r.id "
		       "AND i.status = 'submitted') ORDER BY r.id DESC",
		       DB_PARAMS(num(a, year)), out, e);
}

enum err rfdb_units(struct db *db, struct arena *a, const long long *ids, int n,
		    struct db_result **out, struct error *e)
{
	char *in = id_list(a, ids, n, e);
	const char *sql = in ? arena_printf(a,
					    "SELECT id, code, name, "
					    "parent_id, sort_key FROM units "
					    "WHERE id IN (%s)",
					    in)
			     : NULL;
	return run(db, a, sql, NULL, 0, out, e);
}

enum err rfdb_cases_overdue(struct db *db, struct arena *a,
			    const long long *communes, int n, const char *from,
			    const char *to, const char *today,
			    struct db_result **out, struct error *e)
{
	char *in = id_list(a, communes, n, e);
	const char *sql =
		in ? arena_printf(
			     a,
			     "SELECT commune_id, SUM(CASE WHEN due_on IS NOT "
			     "NULL AND due_on < $3 THEN 1 ELSE 0 END) AS "
			     "overdue FROM cases WHERE commune_id IN (%s) AND "
			     "status <> 'merged' AND received_on >= $1 AND "
			     "received_on <= $2 GROUP BY commune_id",
			     in)
		   : NULL;
	return run(db, a, sql, DB_PARAMS(from, to, today), out, e);
}

enum err rfdb_disclosure_counts(struct db *db, struct arena *a,
				const long long *communes, int n, int year,
				struct db_result **out, struct error *e)
{
	char *in = id_list(a, communes, n, e);
	const char *sql =
		in ? arena_printf(
			     a,
			     "SELECT commune_id, item_id, period, COUNT(*) "
			     "AS n FROM disclosures WHERE commune_id IN "
			     "(%s) AND year = $1 GROUP BY commune_id, "
			     "item_id, period",
			     in)
		   : NULL;
	return run(db, a, sql, DB_PARAMS(num(a, year)), out, e);
}

enum err rfdb_open_findings(struct db *db, struct arena *a,
			    const long long *communes, int n, const char *to,
			    struct db_result **out, struct error *e)
{
	char *in = id_list(a, communes, n, e);
	const char *sql =
		in ? arena_printf(
			     a,
			     "SELECT i.commune_id, COUNT(DISTINCT "
			     "r.finding_id) "
			     "AS findings FROM recommendations r JOIN "
			     "inspections i ON i.id = r.inspection_id JOIN "
			     "tasks t ON t.id = r.task_id WHERE i.commune_id "
			     "IN (%s) AND i.from_on <= $1 AND r.verified_on IS "
			     "NULL AND t.status <> 'done' GROUP BY "
			     "i.commune_id",
			     in)
		   : NULL;
	return run(db, a, sql, DB_PARAMS(to), out, e);
}
