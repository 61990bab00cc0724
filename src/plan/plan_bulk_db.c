/* The SQL of bulk import and export: a plan's tasks, co-units and links in
 * three statements (not one task_get per task: 5,000 tasks), and its
 * progress reports. Portable between SQLite and PostgreSQL. */
#include <stdio.h>
#include <string.h>
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

/* ---- progress updates in a batch (plan_import.c's save_updates) ---- */

enum err bulkdb_task_states(struct db *db, struct arena *a, long long plan_id,
			    struct db_result **out, struct error *e)
{
	const char *pid = arena_printf(a, "%lld", plan_id);
	if (!pid)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory",
				 plan_id);
	return db_exec(db, a,
		       "SELECT t.id, t.parent_id, t.status, t.progress, "
		       "t.weight, t.done_on, COALESCE(c.n, 0) AS nchildren "
		       "FROM tasks t LEFT JOIN (SELECT parent_id, COUNT(*) AS "
		       "n FROM tasks WHERE plan_id = $1 AND parent_id IS NOT "
		       "NULL GROUP BY parent_id) c ON c.parent_id = t.id "
		       "WHERE t.plan_id = $1 ORDER BY t.id",
		       DB_PARAMS(pid), out, e);
}

/* Rows per INSERT, 6 parameters each. SQLite binds "$N" by name, and
 * finding a name is a linear search, so a statement's binding grows with
 * the square of its parameters: 400 rows a statement made 50,000 rows take
 * 3.8 s, 50 rows 0.9 s. PostgreSQL takes $N as numbers: bigger chunks,
 * fewer round trips. */
enum { CHUNK_SQLITE = 50, CHUNK_PG = 500, REPORT_COLS = 6 };

enum err bulkdb_insert_reports(struct db *db, long long user_id,
			       const struct bulkdb_report *r, int n,
			       struct error *e)
{
	enum err err = ERR_OK;
	int chunk = db_kind(db) == DB_SQLITE ? CHUNK_SQLITE : CHUNK_PG;
	for (int from = 0; !err && from < n; from += chunk) {
		int k = n - from < chunk ? n - from : chunk;
		/* each chunk in its own arena: 50,000 rows' texts would
		 * otherwise stay until the import ends */
		struct arena s;
		arena_init(&s, 16 << 20);
		static const char head[] =
			"INSERT INTO task_updates (task_id, user_id, at, "
			"progress, status, note) VALUES ";
		/* "($123, $124, ..., $128)," is at most 6 * 8 + 3 bytes */
		size_t cap = sizeof head + (size_t)k * 64, len = 0;
		char *sql = arena_alloc(&s, cap);
		const char **params = arena_alloc(
			&s, sizeof(char *) * (size_t)k * REPORT_COLS);
		const char *uid =
			user_id > 0 ? arena_printf(&s, "%lld", user_id) : NULL;
		if (!sql || !params || (user_id > 0 && !uid)) {
			arena_release(&s);
			return error_set(e, ERR_NOMEM, "import: out of memory");
		}
		memcpy(sql, head, sizeof head - 1);
		len = sizeof head - 1;
		for (int i = 0; i < k; i++) {
			const struct bulkdb_report *u = &r[from + i];
			const char **p = &params[i * REPORT_COLS];
			p[0] = arena_printf(&s, "%lld", u->task_id);
			p[1] = uid;
			p[2] = u->at;
			p[3] = arena_printf(&s, "%d", u->progress);
			p[4] = u->status;
			p[5] = u->note ? u->note : "";
			if (!p[0] || !p[3]) {
				arena_release(&s);
				return error_set(e, ERR_NOMEM,
						 "import: out of memory");
			}
			int b = i * REPORT_COLS;
			len += (size_t)snprintf(sql + len, cap - len,
						"%s($%d, $%d, $%d, $%d, $%d, "
						"$%d)",
						i ? ", " : "", b + 1, b + 2,
						b + 3, b + 4, b + 5, b + 6);
		}
		err = db_exec(db, &s, sql, params, k * REPORT_COLS, NULL, e);
		arena_release(&s);
	}
	return err;
}

enum err bulkdb_set_task_state(struct db *db, struct arena *a, long long id,
			       const char *status, int progress,
			       const char *done_on, const char *updated_at,
			       struct error *e)
{
	const char *tid = arena_printf(a, "%lld", id),
		   *pr = arena_printf(a, "%d", progress);
	if (!tid || !pr)
		return error_set(e, ERR_NOMEM, "task %lld: out of memory", id);
	if (updated_at)
		return db_exec(db, a,
			       "UPDATE tasks SET status = $2, progress = $3, "
			       "done_on = $4, updated_at = $5 WHERE id = $1",
			       DB_PARAMS(tid, status, pr, done_on, updated_at),
			       NULL, e);
	return db_exec(db, a,
		       "UPDATE tasks SET progress = $2, status = $3, done_on = "
		       "$4 WHERE id = $1",
		       DB_PARAMS(tid, pr, status, done_on), NULL, e);
}

enum err bulkdb_last_reports(struct db *db, struct arena *a, long long plan_id,
			     struct db_result **out, struct error *e)
{
	const char *pid = arena_printf(a, "%lld", plan_id);
	if (!pid)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory",
				 plan_id);
	return db_exec(db, a,
		       "SELECT u.task_id, MAX(u.id) AS id FROM task_updates u "
		       "JOIN tasks t ON t.id = u.task_id WHERE t.plan_id = $1 "
		       "GROUP BY u.task_id ORDER BY u.task_id",
		       DB_PARAMS(pid), out, e);
}
