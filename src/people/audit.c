/* The audit log: who changed what, when, from what to what. Rows are only
 * ever inserted (the schema's triggers refuse UPDATE and DELETE). */
#include <stdlib.h>
#include <string.h>
#include "people_db.h"
#include "../base/calendar.h"
#include "../base/clock.h"
#include "../http/http.h"
#include "../base/banned.h"

const struct actor actor_cli = {0, "cli", ""};

static const char *dump(struct arena *a, json_t *j)
{
	if (!j)
		return NULL;
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		return NULL;
	const char *out = arena_strdup(a, s);
	free(s);
	return out;
}

enum err audit_record(struct db *db, struct arena *a, long long user_id,
		      const char *username, const char *remote_addr,
		      const char *action, const char *entity,
		      const char *entity_id, json_t *before, json_t *after,
		      struct error *e)
{
	const char *at = clock_now_iso(a);
	const char *b = dump(a, before), *af = dump(a, after);
	if (!at || (before && !b) || (after && !af))
		return error_set(e, ERR_NOMEM, "audit %s: out of memory",
				 action);
	return pdb_audit_insert(db, a, at, user_id, username ? username : "",
				action, entity, entity_id ? entity_id : "", b,
				af, remote_addr ? remote_addr : "", e);
}

enum err audit_actor(struct db *db, struct arena *a, const struct actor *who,
		     const char *action, const char *entity,
		     long long entity_id, json_t *before, json_t *after,
		     struct error *e)
{
	return audit_record(
		db, a, who->user_id, who->username, who->remote_addr, action,
		entity, entity_id > 0 ? arena_printf(a, "%lld", entity_id) : "",
		before, after, e);
}

enum err audit_request(struct request *req, const char *action,
		       const char *entity, const char *entity_id,
		       json_t *before, json_t *after, struct error *e)
{
	return audit_record(req->db, req->arena, req->user ? req->user->id : 0,
			    req->user ? req->user->username : "",
			    req->remote_addr, action, entity, entity_id, before,
			    after, e);
}

/* Names of the fields people see in the difference. */
static const struct {
	const char *field, *label;
} labels[] = {
	{"username", "Tên đăng nhập"},
	{"full_name", "Họ và tên"},
	{"email", "Thư điện tử"},
	{"phone", "Điện thoại"},
	{"active", "Đang hoạt động"},
	{"must_change_password", "Phải đổi mật khẩu"},
	{"role", "Vai trò"},
	{"unit_id", "Đơn vị (mã số)"},
	{"unit_name", "Đơn vị"},
	{"code", "Mã"},
	{"kind", "Loại"},
	{"type_vi", "Cấp"},
	{"name", "Tên"},
	{"parent_id", "Trực thuộc (mã số)"},
	{"valid_from", "Hiệu lực từ"},
	{"valid_to", "Hiệu lực đến"},
	{"successor_id", "Sáp nhập vào (mã số)"},
	{"successor_name", "Sáp nhập vào"},
	{"population", "Dân số"},
	{"note", "Ghi chú"},
	{"day", "Ngày"},
	{"value", "Giá trị"},
	{"source", "Nguồn"},
	{"revoked", "Đã thu hồi"},
	{"password", "Mật khẩu"},
	{"parent_name", "Trực thuộc"},
};

static const char *label_of(const char *field)
{
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(labels[i].field, field))
			return labels[i].label;
	return field;
}

static json_t *shown(json_t *v)
{
	if (!v || json_is_null(v))
		return json_string("");
	if (json_is_true(v))
		return json_string("có");
	if (json_is_false(v))
		return json_string("không");
	if (json_is_string(v))
		return json_incref(v);
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	json_t *out = json_string(s ? s : "");
	free(s);
	return out;
}

/* Ids are for programs; their names are in the row too (unit_name...). */
static bool internal_field(const char *key)
{
	size_t n = strlen(key);
	return !strcmp(key, "id") || (n > 3 && !strcmp(key + n - 3, "_id"));
}

static json_t *role_shown(json_t *v)
{
	unsigned r =
		json_is_string(v) ? role_from_key(json_string_value(v)) : 0;
	return r ? json_string(role_label_vi((enum role)r)) : shown(v);
}

static void diff_key(json_t *out, const char *key, json_t *b, json_t *a)
{
	if ((b && a && json_equal(b, a)) || internal_field(key))
		return;
	if (!strcmp(key, "role")) {
		json_array_append_new(
			out,
			json_pack("{s:s, s:s, s:o, s:o}", "field", key, "label",
				  label_of(key), "before",
				  b ? role_shown(b) : json_string(""), "after",
				  a ? role_shown(a) : json_string("")));
		return;
	}
	json_array_append_new(out,
			      json_pack("{s:s, s:s, s:o, s:o}", "field", key,
					"label", label_of(key), "before",
					shown(b), "after", shown(a)));
}

json_t *audit_diff(json_t *before, json_t *after)
{
	json_t *out = json_array();
	const char *key;
	json_t *v;
	if (json_is_object(before))
		json_object_foreach(before, key, v)
			diff_key(out, key, v, json_object_get(after, key));
	if (json_is_object(after))
		json_object_foreach(after, key,
				    v) if (!json_object_get(before, key))
			diff_key(out, key, NULL, v);
	return out;
}

/* A Vietnam day (UTC+7) starts at 17:00 UTC the day before. */
static const char *vn_day_start_utc(struct arena *a, const char *day, int plus)
{
	struct date d;
	if (!day || !*day || !date_parse_iso(day, &d))
		return NULL;
	struct date prev = date_from_days(date_to_days(d) - 1 + plus);
	return arena_printf(a, "%04d-%02d-%02dT17:00:00Z", prev.y, prev.m,
			    prev.d);
}

enum err audit_list(struct db *db, struct arena *a,
		    const struct audit_filter *f, json_t **rows,
		    long long *total, struct error *e)
{
	int per = f->per_page < 1 ? 50 : f->per_page > 200 ? 200 : f->per_page;
	int page = f->page < 1 ? 1 : f->page;
	if (page > 1000000)
		return error_set(e, ERR_INVALID, "page %d out of range", page);
	struct db_result *r;
	enum err err = pdb_audit_list(db, a, f->username, f->entity, f->action,
				      vn_day_start_utc(a, f->from, 0),
				      vn_day_start_utc(a, f->to, 1), per,
				      (page - 1) * per, &r, total, e);
	if (err)
		return err;
	json_t *out = json_array();
	for (int i = 0; i < r->nrows; i++) {
		const char *b = db_get(r, i, "before_json");
		const char *af = db_get(r, i, "after_json");
		json_t *bj = b ? json_loads(b, 0, NULL) : NULL;
		json_t *aj = af ? json_loads(af, 0, NULL) : NULL;
		const char *who = db_get(r, i, "username");
		json_t *row = json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			(json_int_t)db_get_int(r, i, "id", 0), "at",
			db_get(r, i, "at"), "username",
			who && *who ? who : "(hệ thống)", "action",
			db_get(r, i, "action"), "entity",
			db_get(r, i, "entity"), "entity_id",
			db_get(r, i, "entity_id") ? db_get(r, i, "entity_id")
						  : "",
			"remote_addr",
			db_get(r, i, "remote_addr")
				? db_get(r, i, "remote_addr")
				: "");
		if (!row) {
			json_decref(bj);
			json_decref(aj);
			json_decref(out);
			return error_set(e, ERR_NOMEM,
					 "audit list: out of memory");
		}
		json_object_set_new(row, "changes", audit_diff(bj, aj));
		json_object_set_new(row, "before", bj ? bj : json_null());
		json_object_set_new(row, "after", aj ? aj : json_null());
		json_array_append_new(out, row);
	}
	*rows = out;
	return ERR_OK;
}
