/* Search across units and users, and the settings table: small helpers of
 * the shell that belong to people's data. */
#include <string.h>
#include "people_db.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { SEARCH_LIMIT = 50, SETTING_MAX = 1000 };

enum err people_search(struct db *db, struct arena *a, const char *q,
		       json_t **out, struct error *e)
{
	const char *like = people_like_pattern(a, q);
	if (!like) {
		*out = json_pack("{s:[], s:[]}", "units", "users");
		return ERR_OK;
	}
	struct db_result *ur, *pr;
	struct user_filter f = {.active = -1, .q = q};
	enum err err = pdb_units_search(db, a, like, SEARCH_LIMIT, &ur, e);
	if (!err)
		err = pdb_users_list(db, a, f.role, f.unit_id, f.active, like,
				     &pr, e);
	if (err)
		return err;
	json_t *units = json_array(), *users = json_array();
	for (int i = 0; i < ur->nrows; i++) {
		json_t *j = unit_status_json(a, ur, i);
		const char *parent = db_get(ur, i, "parent_full_name");
		json_object_set_new(j, "parent_full_name",
				    json_string(parent ? parent : ""));
		json_array_append_new(units, j);
	}
	for (int i = 0; i < pr->nrows && i < SEARCH_LIMIT; i++)
		json_array_append_new(
			users, json_pack("{s:I, s:s, s:s, s:b}", "id",
					 (json_int_t)db_get_int(pr, i, "id", 0),
					 "username", db_get(pr, i, "username"),
					 "full_name",
					 db_get(pr, i, "full_name"), "active",
					 db_get_int(pr, i, "active", 0) != 0));
	*out = json_pack("{s:o, s:o}", "units", units, "users", users);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "search: out of memory");
}

const char *people_setting_get(struct db *db, struct arena *a, const char *key)
{
	const char *v = NULL;
	struct error e = {0};
	if (pdb_setting_get(db, a, key, &v, &e))
		return NULL;
	return v;
}

enum err people_setting_set(struct db *db, struct arena *a,
			    const struct actor *who, const char *key,
			    const char *value, struct error *e)
{
	if (!value || strlen(value) > SETTING_MAX ||
	    !text_valid_utf8(value, strlen(value)))
		return error_set(e, ERR_INVALID,
				 "setting %s: value too long or not UTF-8",
				 key);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	const char *old = NULL;
	err = pdb_setting_get(db, a, key, &old, e);
	if (!err && old && !strcmp(old, value)) {
		db_rollback(db);
		return ERR_OK; /* nothing changes, nothing to record */
	}
	if (!err)
		err = pdb_setting_put(db, a, key, value, e);
	if (!err) {
		json_t *b = old ? json_pack("{s:s}", "value", old) : NULL;
		json_t *af = json_pack("{s:s}", "value", value);
		err = audit_record(db, a, who->user_id, who->username,
				   who->remote_addr, "setting.set", "setting",
				   key, b, af, e);
		json_decref(b);
		json_decref(af);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}
