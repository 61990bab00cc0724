/* SQL of the shell: the home page's roles and the health check. */
#include "shell_db.h"
#include "../base/banned.h"

enum err shelldb_user_roles(struct db *db, struct arena *a, long long user_id,
			    json_t **out, struct error *e)
{
	struct db_result *r;
	char *id = arena_printf(a, "%lld", user_id);
	if (!id)
		return ERR_NOMEM;
	enum err err =
		db_exec(db, a,
			"SELECT r.role, r.unit_id, u.full_name AS unit_name"
			" FROM user_roles r JOIN units u ON u.id = r.unit_id"
			" WHERE r.user_id = $1 ORDER BY r.id",
			DB_PARAMS(id), &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : ERR_NOMEM;
}

enum err shelldb_ping(struct db *db, struct arena *a, struct error *e)
{
	return db_exec(db, a, "SELECT 1", NULL, 0, NULL, e);
}
