/* Stored reports (report.h): a draft is built from the figures of its
 * period and kept with them; issuing gives it its number and date and
 * builds its document once more from the same stored figures, and from
 * then on nothing changes it, so the report sent last quarter opens again
 * as it was sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "../base/clock.h"
#include "../people/people.h"
#include "../plan/plan.h"
#include "../base/banned.h"

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static const char *iso(struct arena *a, struct date d)
{
	char buf[11];
	date_format_iso(d, buf);
	return arena_strdup(a, buf);
}

static const char default_recipients[] = "UBND tỉnh (qua Sở Nội vụ);\n"
					 "Thường trực Đảng ủy xã;\n"
					 "Thường trực HĐND xã;\n"
					 "Chủ tịch, các Phó Chủ tịch UBND xã;\n"
					 "Ủy ban MTTQ Việt Nam xã;\n"
					 "Lưu: VT, VP.";

enum err report_settings_get(struct db *db, struct arena *a,
			     long long commune_id, struct report_settings *out,
			     struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT cutoff_day, recipients, sign_mode, signer_title, "
		"signer_name, (SELECT u.full_name FROM user_roles ur JOIN "
		"users "
		"u ON u.id = ur.user_id WHERE ur.unit_id = $1 AND ur.role = "
		"'chair' ORDER BY ur.id LIMIT 1) AS chair FROM units "
		"LEFT JOIN report_settings s ON s.unit_id = units.id "
		"WHERE units.id = $1",
		DB_PARAMS(num(a, commune_id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "unit %lld: no such unit",
				 commune_id);
	const char *rec = db_get(r, 0, "recipients");
	const char *name = db_get(r, 0, "signer_name");
	*out = (struct report_settings){
		.cutoff_day = (int)db_get_int(r, 0, "cutoff_day", 14),
		.recipients = rec && *rec ? rec : default_recipients,
		.sign_mode = db_get(r, 0, "sign_mode")
				     ? db_get(r, 0, "sign_mode")
				     : "TM.",
		.signer_title = db_get(r, 0, "signer_title")
					? db_get(r, 0, "signer_title")
					: "CHỦ TỊCH",
		.signer_name = name && *name           ? name
			       : db_get(r, 0, "chair") ? db_get(r, 0, "chair")
						       : "",
	};
	return ERR_OK;
}

enum err report_settings_save(struct db *db, struct arena *a,
			      const struct actor *who, long long commune_id,
			      const struct report_settings *s, struct error *e)
{
	if (s->cutoff_day < 0 || s->cutoff_day > 28)
		return error_set(e, ERR_INVALID,
				 "cut-off day %d: not between 0 and 28",
				 s->cutoff_day);
	if (strcmp(s->sign_mode, "TM.") && strcmp(s->sign_mode, "KT."))
		return error_set(e, ERR_INVALID, "sign mode %s: not TM. or KT.",
				 s->sign_mode);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	const char *id = num(a, commune_id);
	err = db_exec(db, a, "DELETE FROM report_settings WHERE unit_id = $1",
		      DB_PARAMS(id), NULL, e);
	if (!err)
		err = db_exec(db, a,
			      "INSERT INTO report_settings (unit_id, "
			      "cutoff_day, recipients, sign_mode, "
			      "signer_title, signer_name) VALUES ($1, $2, $3, "
			      "$4, $5, $6)",
			      DB_PARAMS(id, num(a, s->cutoff_day),
					s->recipients, s->sign_mode,
					s->signer_title, s->signer_name),
			      NULL, e);
	json_t *after = json_pack(
		"{s:i, s:s, s:s, s:s, s:s}", "cutoff_day", s->cutoff_day,
		"recipients", s->recipients, "sign_mode", s->sign_mode,
		"signer_title", s->signer_title, "signer_name", s->signer_name);
	if (!err)
		err = audit_actor(db, a, who, "report.settings", "unit",
				  commune_id, NULL, after, e);
	json_decref(after);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

/* ---- reading ---- */

static const char report_columns[] =
	"SELECT r.id, r.unit_id, u.name AS unit_name, r.kind, r.year, "
	"r.period_no, r.plan_id, r.period_from, r.period_to, r.number, "
	"r.symbol, r.issued_on, r.title, r.created_by, r.created_at ";

static void report_from_row(struct arena *a, const struct db_result *r, int i,
			    struct report *out)
{
	*out = (struct report){
		.id = db_get_int(r, i, "id", 0),
		.unit_id = db_get_int(r, i, "unit_id", 0),
		.plan_id = db_get_int(r, i, "plan_id", 0),
		.created_by = db_get_int(r, i, "created_by", 0),
		.year = (int)db_get_int(r, i, "year", 0),
		.no = (int)db_get_int(r, i, "period_no", 1),
		.number = (int)db_get_int(r, i, "number", 0),
		.symbol = db_get(r, i, "symbol"),
		.period_from = db_get(r, i, "period_from"),
		.period_to = db_get(r, i, "period_to"),
		.issued_on = db_get(r, i, "issued_on"),
		.title = db_get(r, i, "title"),
		.figures = db_get(r, i, "figures"),
		.doc = db_get(r, i, "doc"),
		.created_at = db_get(r, i, "created_at"),
		.unit_name = db_get(r, i, "unit_name"),
	};
	report_kind_parse(db_get(r, i, "kind"), &out->kind);
	out->number_text = out->number ? arena_printf(a, "%02d/%s", out->number,
						      out->symbol)
				       : "";
}

enum err report_get(struct db *db, struct arena *a, long long id,
		    struct report *out, struct error *e)
{
	struct db_result *r;
	char *sql = arena_printf(a,
				 "%s, r.figures, r.doc FROM reports r JOIN "
				 "units u ON u.id = r.unit_id WHERE r.id = $1",
				 report_columns);
	enum err err = db_exec(db, a, sql, DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "report %lld: no such report",
				 id);
	report_from_row(a, r, 0, out);
	return ERR_OK;
}

enum err report_list(struct db *db, struct arena *a, const long long *communes,
		     int n, int year, json_t **out, struct error *e)
{
	*out = json_array();
	if (n <= 0)
		return ERR_OK;
	/* ids are numbers of our own, not text a user typed */
	char *ids = arena_printf(a, "%lld", communes[0]);
	for (int i = 1; i < n; i++)
		ids = arena_printf(a, "%s,%lld", ids, communes[i]);
	char *sql = arena_printf(
		a,
		"%s FROM reports r JOIN units u ON u.id = r.unit_id WHERE "
		"r.unit_id IN (%s) AND ($1 = '0' OR r.year = CAST($1 AS "
		"INTEGER)) ORDER BY r.year DESC, r.period_to DESC, r.id DESC",
		report_columns, ids);
	struct db_result *r;
	enum err err = db_exec(db, a, sql, DB_PARAMS(num(a, year)), &r, e);
	if (err)
		return err;
	for (int i = 0; i < r->nrows; i++) {
		struct report rp;
		report_from_row(a, r, i, &rp);
		json_array_append_new(
			*out,
			json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:i, s:s, "
				  "s:s, s:s, s:s, s:s, s:s, s:b}",
				  "id", (json_int_t)rp.id, "unit_id",
				  (json_int_t)rp.unit_id, "unit_name",
				  rp.unit_name, "kind",
				  report_kind_key(rp.kind), "kind_vi",
				  rp.kind == REPORT_PLAN
					  ? "Báo cáo kết quả thực hiện kế hoạch"
					  : "Báo cáo",
				  "year", rp.year, "no", rp.no, "period_vi",
				  report_period_vi(a, rp.kind, rp.year, rp.no),
				  "period_from", rp.period_from, "period_to",
				  rp.period_to, "number_text", rp.number_text,
				  "issued_on", rp.issued_on, "title", rp.title,
				  "draft", rp.number == 0));
	}
	return ERR_OK;
}

/* ---- building ---- */

/* The period of a request, checked. */
static enum err request_period(struct db *db, struct arena *a,
			       const struct report_request *rq,
			       struct date *from, struct date *to,
			       struct error *e)
{
	if (rq->kind == REPORT_PLAN) {
		struct plan p;
		enum err err = plan_get(db, a, rq->plan_id, &p, e);
		if (err == ERR_NOTFOUND)
			return error_set(e, ERR_INVALID,
					 "plan %lld: no such plan",
					 rq->plan_id);
		if (err)
			return err;
		if (p.unit_id != rq->commune_id)
			return error_set(e, ERR_INVALID,
					 "plan %lld belongs to another commune",
					 rq->plan_id);
		struct date today = clock_today_vn();
		*from = (struct date){p.year, 1, 1};
		*to = (struct date){p.year, 12, 31};
		if (date_to_days(today) < date_to_days(*to))
			*to = today;
		if (date_to_days(*to) < date_to_days(*from))
			*to = *from;
		return ERR_OK;
	}
	struct report_settings s;
	enum err err = report_settings_get(db, a, rq->commune_id, &s, e);
	if (err)
		return err;
	if (!report_period(rq->kind, rq->year, rq->no, s.cutoff_day, from, to))
		return error_set(e, ERR_INVALID,
				 "%s report %d of %d: no such period",
				 report_kind_key(rq->kind), rq->no, rq->year);
	return ERR_OK;
}

/* The spec of a report's document: its commune's names and settings,
 * number and date. */
static enum err spec_of(struct db *db, struct arena *a, const struct report *r,
			struct report_spec *spec, struct error *e)
{
	struct report_settings s;
	enum err err = report_settings_get(db, a, r->unit_id, &s, e);
	if (err)
		return err;
	struct db_result *u;
	err = db_exec(db, a, "SELECT name, full_name FROM units WHERE id = $1",
		      DB_PARAMS(num(a, r->unit_id)), &u, e);
	if (err)
		return err;
	if (!u->nrows)
		return error_set(e, ERR_NOTFOUND, "unit %lld: no such unit",
				 r->unit_id);
	*spec = (struct report_spec){
		.kind = r->kind,
		.year = r->year,
		.no = r->no,
		.plan_id = r->plan_id,
		.number_text = r->number_text,
		.issued_on = r->issued_on,
		.place = db_get(u, 0, "name"),
		.issuer =
			arena_printf(a, "ỦY BAN NHÂN DÂN\n%s",
				     plan_upper(a, db_get(u, 0, "full_name"))),
		.sign_mode = s.sign_mode,
		.signer_title = s.signer_title,
		.signer_name = s.signer_name,
		.recipients = s.recipients,
	};
	return ERR_OK;
}

/* Builds r's document from figures (JSON text or object). */
static enum err build_doc(struct db *db, struct arena *a, struct report *r,
			  const json_t *figures, const char **doc_text,
			  const char **title, struct error *e)
{
	struct report_spec spec;
	enum err err = spec_of(db, a, r, &spec, e);
	if (err)
		return err;
	json_t *doc;
	err = report_build(a, &spec, figures, &doc, e);
	if (err)
		return err;
	char *text = json_dumps(doc, JSON_COMPACT);
	const char *subject =
		json_string_value(json_object_get(doc, "subject"));
	*title = arena_strdup(a, subject && *subject ? subject : "Báo cáo");
	json_decref(doc);
	if (!text)
		return error_set(e, ERR_NOMEM,
				 "report document: out of memory");
	*doc_text = arena_strdup(a, text);
	free(text);
	return *doc_text ? ERR_OK : error_set(e, ERR_NOMEM, "out of memory");
}

/* The figures of r's period now, as JSON text and object (new ref). */
static enum err gather(struct db *db, struct arena *a, const struct report *r,
		       json_t **figures, const char **text, struct error *e)
{
	enum err err = report_figures(db, a, r->unit_id, r->period_from,
				      r->period_to, figures, e);
	if (err)
		return err;
	char *t = json_dumps(*figures, JSON_COMPACT);
	*text = t ? arena_strdup(a, t) : NULL;
	free(t);
	if (!*text) {
		json_decref(*figures);
		return error_set(e, ERR_NOMEM, "report figures: out of memory");
	}
	return ERR_OK;
}

static json_t *audit_json(const struct report *r)
{
	return json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s}", "kind",
			 report_kind_key(r->kind), "year", r->year, "no", r->no,
			 "period_from", r->period_from, "period_to",
			 r->period_to, "number", r->number_text, "issued_on",
			 r->issued_on);
}

enum err report_create(struct db *db, struct arena *a, const struct actor *who,
		       const struct report_request *rq, long long *id,
		       struct error *e)
{
	struct date from, to;
	enum err err = request_period(db, a, rq, &from, &to, e);
	if (err)
		return err;
	struct report r = {
		.unit_id = rq->commune_id,
		.plan_id = rq->kind == REPORT_PLAN ? rq->plan_id : 0,
		.kind = rq->kind,
		.year = rq->kind == REPORT_PLAN ? from.y : rq->year,
		.no = rq->kind == REPORT_PLAN ? 1 : rq->no,
		.symbol = "BC-UBND",
		.period_from = iso(a, from),
		.period_to = iso(a, to),
		.issued_on = iso(a, clock_today_vn()),
		.number_text = "",
	};
	json_t *figures;
	const char *figures_text, *doc_text, *title;
	err = gather(db, a, &r, &figures, &figures_text, e);
	if (err)
		return err;
	err = build_doc(db, a, &r, figures, &doc_text, &title, e);
	json_decref(figures);
	if (err)
		return err;
	err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *res;
	err = db_exec(
		db, a,
		"INSERT INTO reports (unit_id, kind, year, period_no, "
		"plan_id, period_from, period_to, symbol, issued_on, "
		"title, figures, doc, created_by, created_at) VALUES "
		"($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		"$13, $14) RETURNING id",
		DB_PARAMS(num(a, r.unit_id), report_kind_key(r.kind),
			  num(a, r.year), num(a, r.no),
			  r.plan_id ? num(a, r.plan_id) : NULL, r.period_from,
			  r.period_to, r.symbol, r.issued_on, title,
			  figures_text, doc_text,
			  who && who->user_id ? num(a, who->user_id) : NULL,
			  clock_now_iso(a)),
		&res, e);
	if (!err) {
		*id = db_get_int(res, 0, "id", 0);
		json_t *after = audit_json(&r);
		err = audit_actor(db, a, who, "report.create", "report", *id,
				  NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

/* Loads a report for a change, refusing an issued one. */
static enum err get_draft(struct db *db, struct arena *a, long long id,
			  struct report *r, struct error *e)
{
	enum err err = report_get(db, a, id, r, e);
	if (err)
		return err;
	if (r->number)
		return error_set(
			e, ERR_CONFLICT,
			"report %lld is issued as %s and cannot change", id,
			r->number_text);
	return ERR_OK;
}

enum err report_refresh(struct db *db, struct arena *a, const struct actor *who,
			long long id, struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct report r;
	json_t *figures = NULL;
	const char *figures_text, *doc_text, *title;
	err = get_draft(db, a, id, &r, e);
	if (!err) {
		r.issued_on = iso(a, clock_today_vn());
		err = gather(db, a, &r, &figures, &figures_text, e);
	}
	if (!err)
		err = build_doc(db, a, &r, figures, &doc_text, &title, e);
	json_decref(figures);
	if (!err)
		err = db_exec(db, a,
			      "UPDATE reports SET figures = $2, doc = $3, "
			      "title = $4, issued_on = $5 WHERE id = $1",
			      DB_PARAMS(num(a, id), figures_text, doc_text,
					title, r.issued_on),
			      NULL, e);
	if (!err)
		err = audit_actor(db, a, who, "report.refresh", "report", id,
				  NULL, NULL, e);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

enum err report_issue(struct db *db, struct arena *a, const struct actor *who,
		      long long id, int number, const char *issued_on,
		      struct error *e)
{
	struct date d = clock_today_vn();
	if (issued_on && *issued_on && !date_parse_iso(issued_on, &d))
		return error_set(e, ERR_INVALID, "report %lld: bad date %s", id,
				 issued_on);
	if (number < 0 || number > 99999)
		return error_set(e, ERR_INVALID, "report %lld: bad number %d",
				 id, number);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct report r;
	struct db_result *res;
	json_t *figures = NULL, *before = NULL;
	err = get_draft(db, a, id, &r, e);
	if (!err && date_to_days(d) < date_to_days((struct date){r.year, 1, 1}))
		err = error_set(e, ERR_INVALID,
				"report %lld: issued %s, before its year %d",
				id, iso(a, d), r.year);
	if (err)
		goto done;
	before = audit_json(&r);
	const char *unit = num(a, r.unit_id), *year = num(a, d.y);
	if (!number) {
		err = db_exec(db, a,
			      "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM "
			      "reports WHERE unit_id = $1 AND number_year = $2 "
			      "AND symbol = $3",
			      DB_PARAMS(unit, year, r.symbol), &res, e);
		if (!err)
			number = (int)db_get_int(res, 0, "n", 1);
	} else {
		err = db_exec(
			db, a,
			"SELECT id FROM reports WHERE unit_id = $1 AND "
			"number_year = $2 AND symbol = $3 AND number = $4",
			DB_PARAMS(unit, year, r.symbol, num(a, number)), &res,
			e);
		if (!err && res->nrows)
			err = error_set(e, ERR_CONFLICT,
					"report %lld: number %02d/%s of %d is "
					"taken by report %s",
					id, number, r.symbol, d.y,
					db_get(res, 0, "id"));
	}
	if (err)
		goto done;
	r.number = number;
	r.number_text = arena_printf(a, "%02d/%s", number, r.symbol);
	r.issued_on = iso(a, d);
	figures = json_loads(r.figures, 0, NULL);
	if (!figures) {
		err = error_set(e, ERR_INTERNAL,
				"report %lld: stored figures are not JSON", id);
		goto done;
	}
	const char *doc_text, *title;
	err = build_doc(db, a, &r, figures, &doc_text, &title, e);
	if (!err)
		err = db_exec(db, a,
			      "UPDATE reports SET number = $2, number_year = "
			      "$3, issued_on = $4, doc = $5, title = $6 WHERE "
			      "id = $1",
			      DB_PARAMS(num(a, id), num(a, number), year,
					r.issued_on, doc_text, title),
			      NULL, e);
	if (!err) {
		json_t *after = audit_json(&r);
		err = audit_actor(db, a, who, "report.issue", "report", id,
				  before, after, e);
		json_decref(after);
	}
done:
	json_decref(figures);
	json_decref(before);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

enum err report_delete(struct db *db, struct arena *a, const struct actor *who,
		       long long id, struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct report r;
	json_t *before = NULL;
	err = get_draft(db, a, id, &r, e);
	if (!err) {
		before = audit_json(&r);
		err = db_exec(db, a, "DELETE FROM reports WHERE id = $1",
			      DB_PARAMS(num(a, id)), NULL, e);
	}
	if (!err)
		err = audit_actor(db, a, who, "report.delete", "report", id,
				  before, NULL, e);
	json_decref(before);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}
