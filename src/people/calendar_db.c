/* The working-day calendar kept in the database: seeded from the shipped
 * data/holidays.csv, edited by an administrator, loaded into a struct
 * calendar for every legal clock. */
#include <string.h>
#include "people_db.h"
#include "../base/clock.h"
#include "../base/csv.h"
#include "../base/embedded.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { CALENDAR_NAME_MAX = 200 };

enum err calendar_db_load(struct db *db, struct arena *a, struct calendar *c,
			  struct error *e)
{
	struct db_result *r;
	enum err err = pdb_calendar_all(db, a, &r, e);
	for (int i = 0; !err && i < r->nrows; i++) {
		struct date d;
		const char *day = db_get(r, i, "day"),
			   *kind = db_get(r, i, "kind");
		if (!day || !date_parse_iso(day, &d))
			return error_set(e, ERR_DB, "calendar_days: bad day %s",
					 day ? day : "(null)");
		err = calendar_set(c, d,
				   kind && !strcmp(kind, "work") ? 'w' : 'o');
		if (err)
			return error_set(e, err, "calendar: too many days");
	}
	return err;
}

enum err calendar_db_seed(struct db *db, struct arena *a, int *added,
			  struct error *e)
{
	*added = 0;
	struct db_result *r;
	enum err err = pdb_calendar_all(db, a, &r, e);
	if (err || r->nrows > 0)
		return err; /* an administrator's calendar is never overwritten */
	const struct embedded_file *f = embedded_find("data/holidays.csv");
	if (!f)
		return error_set(e, ERR_INTERNAL,
				 "data/holidays.csv is not in the binary");
	struct csv_table t;
	err = csv_parse(a, (const char *)f->data, f->len, &t, e);
	if (err)
		return err;
	int cd = csv_col(&t, "day"), ck = csv_col(&t, "kind");
	int cn = csv_col(&t, "name"), cs = csv_col(&t, "source");
	if (cd < 0 || ck < 0)
		return error_set(e, ERR_INTERNAL,
				 "data/holidays.csv: no day or kind column");
	const char *now = clock_now_iso(a);
	err = db_begin(db, e);
	if (err)
		return err;
	for (int i = 0; !err && i < t.nrows; i++) {
		struct date d;
		const char *day = csv_get(&t, i, cd),
			   *kind = csv_get(&t, i, ck);
		if (!date_parse_iso(day, &d) ||
		    (strcmp(kind, "off") && strcmp(kind, "work"))) {
			err = error_set(e, ERR_INTERNAL,
					"data/holidays.csv line %d: bad row",
					t.lines[i]);
			break;
		}
		err = pdb_calendar_put(
			db, a, day, kind, cn >= 0 ? csv_get(&t, i, cn) : "",
			cs >= 0 ? csv_get(&t, i, cs) : "", now, e);
		if (!err)
			(*added)++;
	}
	if (!err) {
		json_t *after = json_pack("{s:i, s:s}", "days", *added,
					  "source", "data/holidays.csv");
		err = audit_actor(db, a, &actor_cli, "calendar.seed",
				  "calendar", 0, NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err) {
		db_rollback(db);
		*added = 0;
	}
	return err;
}

enum err calendar_db_year(struct db *db, struct arena *a, int year,
			  json_t **out, struct error *e)
{
	if (year < 1 || year > 9999)
		return error_set(e, ERR_INVALID, "year %d out of range", year);
	struct db_result *r;
	enum err err =
		pdb_calendar_range(db, a, arena_printf(a, "%04d-01-01", year),
				   arena_printf(a, "%04d-12-31", year), &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "calendar: out of memory");
}

static json_t *day_json(const struct db_result *r)
{
	if (!r->nrows)
		return NULL;
	return json_pack("{s:s, s:s, s:s}", "day", db_get(r, 0, "day"), "kind",
			 db_get(r, 0, "kind"), "name", db_get(r, 0, "name"));
}

enum err calendar_db_set(struct db *db, struct arena *a,
			 const struct actor *who, const char *day,
			 const char *kind, const char *name, json_t *errors,
			 struct error *e)
{
	struct date d;
	const char *n = name ? text_trim(a, name) : "";
	int bad = 0;
	char iso[11] = "";
	/* The form may say 24/01/2025 as people write it. */
	if (!day || !text_parse_date(day, &d)) {
		if (errors)
			json_object_set_new(
				errors, "day",
				json_string("Ngày không hợp lệ (dd/mm/yyyy)."));
		bad++;
	} else {
		date_format_iso(d, iso);
	}
	if (!kind || (strcmp(kind, "off") && strcmp(kind, "work"))) {
		if (errors)
			json_object_set_new(
				errors, "kind",
				json_string(
					"Chọn ngày nghỉ hoặc ngày làm bù."));
		bad++;
	}
	if (!n || !*n || strlen(n) > CALENDAR_NAME_MAX ||
	    !text_valid_utf8(n, strlen(n))) {
		if (errors)
			json_object_set_new(errors, "name",
					    json_string("Vui lòng ghi lý do "
							"(tối đa 200 ký tự)."));
		bad++;
	}
	if (bad)
		return error_set(e, ERR_INVALID,
				 "calendar day %.20s: bad day, kind or name",
				 day ? day : "(none)");
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *old, *now;
	err = pdb_calendar_get(db, a, iso, &old, e);
	if (!err)
		err = pdb_calendar_put(db, a, iso, kind, n, "admin",
				       clock_now_iso(a), e);
	if (!err)
		err = pdb_calendar_get(db, a, iso, &now, e);
	if (!err) {
		json_t *b = day_json(old), *af = day_json(now);
		err = audit_record(db, a, who->user_id, who->username,
				   who->remote_addr, "calendar.set", "calendar",
				   iso, b, af, e);
		json_decref(b);
		json_decref(af);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

enum err calendar_db_remove(struct db *db, struct arena *a,
			    const struct actor *who, const char *day,
			    struct error *e)
{
	struct date d;
	char iso[11];
	if (!day || !text_parse_date(day, &d))
		return error_set(e, ERR_INVALID, "calendar: bad day %.20s",
				 day ? day : "(none)");
	date_format_iso(d, iso);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *old;
	err = pdb_calendar_get(db, a, iso, &old, e);
	if (!err && !old->nrows)
		err = error_set(e, ERR_NOTFOUND, "calendar: %s is not marked",
				iso);
	if (!err)
		err = pdb_calendar_delete(db, a, iso, e);
	if (!err) {
		json_t *b = day_json(old);
		err = audit_record(db, a, who->user_id, who->username,
				   who->remote_addr, "calendar.remove",
				   "calendar", iso, b, NULL, e);
		json_decref(b);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}
