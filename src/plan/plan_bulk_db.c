/* The SQL of bulk import and export: a plan's tasks, co-units and links in
 * three statements (not one task_get per task: 5,000 tasks), and its
 * progress reports. Portable between SQLite and PostgreSQL. */
#include <stdio.h>
#include "plan_bulk.h"
#include "../base/banned.h"

enum err bulkdb_tasks(struct db *db, struct arena *a, long long plan_id,
		      struct db_result **tasks, struct db_result **co_units,
		      struct db_result **links, struct error *e)
{
	const char *pid = arena_printf(a, "%lld", plan_id);
	if (!pid)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory",
				 plan_id);
	enum err err = db_exec(
		db, a,
		"SELECT id, plan_id, parent_id, ord, title, description, "
		"lead_unit_id, responsible_user_id, start_on, due_on, "
		"recurrence, weight, status, progress, done_on FROM tasks "
		"WHERE plan_id = $1 ORDER BY ord, id",
		DB_PARAMS(pid), tasks, e);
	if (!err)
		err = db_exec(
			db, a,
			"SELECT tu.task_id, tu.unit_id FROM task_units tu "
			"JOIN tasks t ON t.id = tu.task_id WHERE "
			"t.plan_id = $1 ORDER BY tu.task_id, tu.unit_id",
			DB_PARAMS(pid), co_units, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT l.task_id, l.dimension, l.indicator FROM "
			      "task_links l JOIN tasks t ON t.id = l.task_id "
			      "WHERE t.plan_id = $1 ORDER BY l.task_id, "
			      "l.dimension, l.indicator",
			      DB_PARAMS(pid), links, e);
	return err;
}

enum err bulkdb_updates(struct db *db, struct arena *a, long long plan_id,
			struct db_result **out, struct error *e)
{
	const char *pid = arena_printf(a, "%lld", plan_id);
	if (!pid)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory",
				 plan_id);
	return db_exec(db, a,
		       "SELECT u.id, u.task_id, u.at, u.progress, u.status, "
		       "u.note, COALESCE(us.full_name, '') AS user_name FROM "
		       "task_updates u JOIN tasks t ON t.id = u.task_id LEFT "
		       "JOIN users us ON us.id = u.user_id WHERE t.plan_id = "
		       "$1 ORDER BY u.task_id, u.at, u.id",
		       DB_PARAMS(pid), out, e);
}

enum err bulkdb_big_cache(struct db *db, struct arena *a, bool big,
			  struct error *e)
{
	if (db_kind(db) != DB_SQLITE)
		return ERR_OK;
	enum err err = db_exec(db, a,
			       big ? "PRAGMA cache_size = -65536"
				   : "PRAGMA cache_size = -2000",
			       NULL, 0, NULL, e);
	if (!err)
		err = db_exec(db, a,
			      big ? "PRAGMA temp_store = MEMORY"
				  : "PRAGMA temp_store = DEFAULT",
			      NULL, 0, NULL, e);
	return err;
}
