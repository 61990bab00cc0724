/* Every SQL statement of people/, behind one function each. Results are
 * db_result rows (read them with db_get) in the arena; ids travel as long
 * long and are turned into text parameters here. No transactions here: the
 * model files decide them. */
#ifndef PEOPLE_DB_H
#define PEOPLE_DB_H
#include "people.h"

/* units */
void pdb_unit_from_row(const struct db_result *r, int row, struct unit *u);
/* unit_json plus status_vi ("đã sáp nhập vào xã Tiên Tiến từ 01/07/2025")
 * and in_force, from a row that has successor_full_name (units.c). */
json_t *unit_status_json(struct arena *a, const struct db_result *r, int row);
enum err pdb_unit_get(struct db *db, struct arena *a, long long id,
		      struct unit *out, struct error *e);
enum err pdb_unit_by_code(struct db *db, struct arena *a, const char *code,
			  const char *kind, const char *valid_from,
			  struct unit *out, struct error *e);
/* The unit in force with this code, else the latest that had it. */
enum err pdb_unit_latest_by_code(struct db *db, struct arena *a,
				 const char *code, struct unit *out,
				 struct error *e);
/* Another unit (not except_id) with this code and start date? */
enum err pdb_unit_code_taken(struct db *db, struct arena *a, const char *code,
			     const char *valid_from, long long except_id,
			     bool *taken, struct error *e);
enum err pdb_unit_insert(struct db *db, struct arena *a, const struct unit *u,
			 const char *name_fold, const char *sort_key,
			 const char *now, long long *id, struct error *e);
enum err pdb_unit_update(struct db *db, struct arena *a, const struct unit *u,
			 const char *name_fold, const char *sort_key,
			 const char *now, struct error *e);
enum err pdb_unit_end(struct db *db, struct arena *a, long long id,
		      const char *valid_to, long long successor_id,
		      const char *now, struct error *e);
enum err pdb_unit_set_parent(struct db *db, struct arena *a, long long id,
			     long long parent_id, const char *now,
			     struct error *e);
/* Children of a unit of one kind that are still in force. */
enum err pdb_unit_children(struct db *db, struct arena *a, long long parent,
			   const char *kind, struct db_result **r,
			   struct error *e);
enum err pdb_unit_event(struct db *db, struct arena *a, long long unit_id,
			const char *event, long long into_unit_id,
			const char *effective_date, const char *note,
			long long user_id, const char *now, struct error *e);
/* Every unit with successor_name/successor_full_name, ordered by sort key. */
enum err pdb_units_all(struct db *db, struct arena *a, struct db_result **r,
		       struct error *e);
enum err pdb_unit_events(struct db *db, struct arena *a, long long id,
			 struct db_result **r, struct error *e);
enum err pdb_unit_predecessors(struct db *db, struct arena *a, long long id,
			       struct db_result **r, struct error *e);
enum err pdb_units_search(struct db *db, struct arena *a, const char *like,
			  int limit, struct db_result **r, struct error *e);

/* "%minh tien%" from "Minh Tiến", with LIKE's wildcards escaped; NULL for
 * an empty query (users.c). */
const char *people_like_pattern(struct arena *a, const char *query);

/* users */
enum err pdb_user_get(struct db *db, struct arena *a, long long id,
		      struct db_result **r, struct error *e);
enum err pdb_user_by_username(struct db *db, struct arena *a,
			      const char *username, struct db_result **r,
			      struct error *e);
enum err pdb_user_insert(struct db *db, struct arena *a, const char *username,
			 const char *full_name, const char *name_fold,
			 const char *sort_key, const char *email,
			 const char *phone, const char *hash, bool must_change,
			 const char *now, long long *id, struct error *e);
enum err pdb_user_update(struct db *db, struct arena *a, long long id,
			 const char *full_name, const char *name_fold,
			 const char *sort_key, const char *email,
			 const char *phone, const char *now, struct error *e);
enum err pdb_user_set_active(struct db *db, struct arena *a, long long id,
			     bool active, const char *now, struct error *e);
enum err pdb_user_set_password(struct db *db, struct arena *a, long long id,
			       const char *hash, bool must_change,
			       const char *now, struct error *e);
enum err pdb_user_touch_login(struct db *db, struct arena *a, long long id,
			      const char *now, struct error *e);
enum err pdb_user_roles(struct db *db, struct arena *a, long long user_id,
			struct db_result **r, struct error *e);
enum err pdb_role_get(struct db *db, struct arena *a, long long role_id,
		      struct db_result **r, struct error *e);
enum err pdb_role_find(struct db *db, struct arena *a, long long user_id,
		       const char *role, long long unit_id, bool *found,
		       struct error *e);
enum err pdb_role_insert(struct db *db, struct arena *a, long long user_id,
			 const char *role, long long unit_id, long long *id,
			 struct error *e);
enum err pdb_role_delete(struct db *db, struct arena *a, long long role_id,
			 struct error *e);
enum err pdb_users_list(struct db *db, struct arena *a, const char *role,
			long long unit_id, int active, const char *like,
			struct db_result **r, struct error *e);

/* api tokens */
enum err pdb_token_insert(struct db *db, struct arena *a, long long user_id,
			  const char *name, const char *token_hash,
			  const char *now, long long *id, struct error *e);
enum err pdb_token_get(struct db *db, struct arena *a, long long id,
		       struct db_result **r, struct error *e);
enum err pdb_token_revoke(struct db *db, struct arena *a, long long id,
			  const char *now, struct error *e);
enum err pdb_tokens_list(struct db *db, struct arena *a, long long user_id,
			 struct db_result **r, struct error *e);

/* login attempts */
enum err pdb_login_failures_user(struct db *db, struct arena *a,
				 const char *username, const char *since,
				 long long *n, struct error *e);
enum err pdb_login_failures_addr(struct db *db, struct arena *a,
				 const char *addr, const char *since,
				 long long *n, struct error *e);
enum err pdb_login_record(struct db *db, struct arena *a, const char *username,
			  const char *addr, bool ok, const char *now,
			  struct error *e);

/* audit */
enum err pdb_audit_insert(struct db *db, struct arena *a, const char *at,
			  long long user_id, const char *username,
			  const char *action, const char *entity,
			  const char *entity_id, const char *before,
			  const char *after, const char *remote_addr,
			  struct error *e);
/* from/to: UTC timestamps, inclusive from, exclusive to, or NULL. */
enum err pdb_audit_list(struct db *db, struct arena *a, const char *username,
			const char *entity, const char *action_prefix,
			const char *from, const char *to, int limit, int offset,
			struct db_result **r, long long *total,
			struct error *e);

/* calendar */
enum err pdb_calendar_all(struct db *db, struct arena *a, struct db_result **r,
			  struct error *e);
enum err pdb_calendar_range(struct db *db, struct arena *a, const char *from,
			    const char *to, struct db_result **r,
			    struct error *e);
enum err pdb_calendar_get(struct db *db, struct arena *a, const char *day,
			  struct db_result **r, struct error *e);
enum err pdb_calendar_put(struct db *db, struct arena *a, const char *day,
			  const char *kind, const char *name,
			  const char *source, const char *now, struct error *e);
enum err pdb_calendar_delete(struct db *db, struct arena *a, const char *day,
			     struct error *e);

/* settings */
enum err pdb_setting_get(struct db *db, struct arena *a, const char *key,
			 const char **value, struct error *e);
enum err pdb_setting_put(struct db *db, struct arena *a, const char *key,
			 const char *value, struct error *e);

#endif
