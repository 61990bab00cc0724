/* SQL of plan/ that the other plan files need (access, targets against
 * results): one function per statement, rows in the arena. plan.h's
 * storage functions (plan_save, task_save...) live in plan_db.c too. */
#ifndef PLAN_DB_H
#define PLAN_DB_H
#include "plan.h"

/* The user's roles: role, unit_id, kind (of the unit). */
enum err plandb_user_roles(struct db *db, struct arena *a, long long user_id,
			   struct db_result **r, struct error *e);
/* Every commune under a unit (any depth, ended ones too): id. */
enum err plandb_communes_under(struct db *db, struct arena *a,
			       long long unit_id, struct db_result **r,
			       struct error *e);
/* Does the user hold one of the roles (keys, e.g. "unit_head") scoped to
 * unit_id? */
enum err plandb_user_has_role_on(struct db *db, struct arena *a,
				 long long user_id, const char *const *roles,
				 int nroles, long long unit_id, bool *has,
				 struct error *e);
/* plans.unit_id of a plan, of a task's plan, of an update's task's plan;
 * 0 when there is none. */
enum err plandb_plan_unit(struct db *db, struct arena *a, long long plan_id,
			  long long *unit_id, struct error *e);
enum err plandb_update_plan_unit(struct db *db, struct arena *a,
				 long long update_id, long long *unit_id,
				 struct error *e);
/* Survey rounds of a year, newest first: id, scope_unit_id. */
enum err plandb_rounds_of_year(struct db *db, struct arena *a, int year,
			       struct db_result **r, struct error *e);
/* A unit and its ancestors, the unit first: id, kind, name (at most 8). */
enum err plandb_ancestors(struct db *db, struct arena *a, long long unit_id,
			  long long *ids, const char **kinds,
			  const char **names, int max, int *n, struct error *e);
/* The latest year of official results at or before `year`, 0 if none. */
enum err plandb_official_year(struct db *db, struct arena *a, int year,
			      int *out, struct error *e);
/* The names of the 8 dimensions in the catalogue version tasks of `year`
 * use: names[0..7], "" when unknown. */
enum err plandb_dimension_names(struct db *db, struct arena *a, int year,
				const char *names[8], struct error *e);
/* Units by id, in force first, then in Vietnamese order: id, name,
 * full_name, kind, valid_to. */
enum err plandb_units_named(struct db *db, struct arena *a,
			    const long long *ids, int n, struct db_result **r,
			    struct error *e);
/* Keeps tasks.is_leaf right for a plan's tasks (plan_db.c): every path
 * that inserts, deletes or re-parents tasks without task_save calls it in
 * its transaction, once per plan touched. */
enum err tasks_refresh_leaf(struct db *db, struct arena *a, long long plan_id,
			    struct error *e);
/* The communes that have plans. */
enum err plandb_plan_units(struct db *db, struct arena *a, long long **ids,
			   int *n, struct error *e);

#endif
