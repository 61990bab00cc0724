/* SQL of the staff pages beyond voice.h (voice_staff_db.h). */
#include <stdio.h>
#include "voice_staff_db.h"
#include "../base/banned.h"

static const char *id_text(struct arena *a, long long id)
{
	return arena_printf(a, "%lld", id);
}

enum err vsdb_answer_case(struct db *db, struct arena *a, long long answer_id,
			  long long *case_id, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a, "SELECT case_id FROM case_answers WHERE id = $1",
			DB_PARAMS(id_text(a, answer_id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "answer %lld: not found",
				 answer_id);
	*case_id = db_get_int(r, 0, "case_id", 0);
	return ERR_OK;
}

enum err vsdb_case_by_code(struct db *db, struct arena *a, const char *code,
			   long long *id, struct error *e)
{
	char buf[CASE_CODE_LEN + 1];
	size_t n = 0;
	*id = 0;
	for (const char *p = code; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (n == CASE_CODE_LEN)
			return ERR_OK; /* too long: no such code */
		buf[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
	}
	buf[n] = 0;
	struct db_result *r;
	enum err err = db_exec(db, a, "SELECT id FROM cases WHERE code = $1",
			       DB_PARAMS(buf), &r, e);
	if (!err && r->nrows)
		*id = db_get_int(r, 0, "id", 0);
	return err;
}

enum err vsdb_session_get(struct db *db, struct arena *a, long long id,
			  struct reception_session *out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT id, commune_id, held_on, starts, ends, place, host_id, "
		"host_name, kind, note FROM reception_sessions WHERE id = $1",
		DB_PARAMS(id_text(a, id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND,
				 "reception session %lld: not found", id);
	*out = (struct reception_session){
		.id = id,
		.commune_id = db_get_int(r, 0, "commune_id", 0),
		.host_id = db_get_int(r, 0, "host_id", 0),
		.held_on = db_get(r, 0, "held_on"),
		.starts = db_get(r, 0, "starts"),
		.ends = db_get(r, 0, "ends"),
		.place = db_get(r, 0, "place"),
		.host_name = db_get(r, 0, "host_name"),
		.kind = db_get(r, 0, "kind"),
		.note = db_get(r, 0, "note"),
	};
	return ERR_OK;
}

enum err vsdb_visit_get(struct db *db, struct arena *a, long long id,
			struct reception_visit *out, long long *commune_id,
			struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT v.id, v.session_id, v.visitor_name, v.visitor_phone, "
		"v.visitor_address, v.village_id, v.summary, v.case_id, "
		"s.commune_id FROM reception_visits v JOIN reception_sessions "
		"s ON s.id = v.session_id WHERE v.id = $1",
		DB_PARAMS(id_text(a, id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND,
				 "reception visit %lld: not found", id);
	*out = (struct reception_visit){
		.id = id,
		.session_id = db_get_int(r, 0, "session_id", 0),
		.village_id = db_get_int(r, 0, "village_id", 0),
		.case_id = db_get_int(r, 0, "case_id", 0),
		.visitor_name = db_get(r, 0, "visitor_name"),
		.visitor_phone = db_get(r, 0, "visitor_phone"),
		.visitor_address = db_get(r, 0, "visitor_address"),
		.summary = db_get(r, 0, "summary"),
	};
	*commune_id = db_get_int(r, 0, "commune_id", 0);
	return ERR_OK;
}

enum err vsdb_visit_link(struct db *db, struct arena *a,
			 const struct actor *who, long long visit_id,
			 long long case_id, struct error *e)
{
	struct db_result *r;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = db_exec(db, a,
		      "UPDATE reception_visits SET case_id = $2 WHERE id = $1 "
		      "AND case_id IS NULL RETURNING id",
		      DB_PARAMS(id_text(a, visit_id), id_text(a, case_id)), &r,
		      e);
	if (!err && !r->nrows)
		err = error_set(e, ERR_CONFLICT,
				"reception visit %lld: already has a case or "
				"is gone",
				visit_id);
	if (!err) {
		json_t *after =
			json_pack("{s:I}", "case_id", (json_int_t)case_id);
		err = audit_actor(db, a, who, "reception.visit_link",
				  "reception_visit", visit_id, NULL, after, e);
		json_decref(after);
	}
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	return err;
}
