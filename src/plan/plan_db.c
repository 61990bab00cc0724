/* The SQL of plans, their sections and targets, tasks, co-units, links
 * and progress reports; each change in one transaction with its audit
 * row. Portable between SQLite 3.40 and PostgreSQL 15: $N placeholders,
 * text parameters, RETURNING id, CAST. Lists of ids go into the SQL text
 * as numbers the program printed, never as text from outside. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan.h"
#include "plan_db.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../files/attachment.h"
#include "../notify/notify.h"
#include "../base/banned.h"

enum { ROLLUP_MAX_DEPTH = 16, TASK_MAX_DEPTH = 8, NOTE_MAX = 5000 };

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static const char *id_or_null(struct arena *a, long long v)
{
	return v > 0 ? num(a, v) : NULL;
}

static const char *real(struct arena *a, double v)
{
	return isfinite(v) ? arena_printf(a, "%.17g", v) : NULL;
}

static enum err returning_id(struct db *db, struct arena *a, const char *sql,
			     const char *const *p, int np, long long *id,
			     struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a, sql, p, np, &r, e);
	if (err)
		return err;
	if (r->nrows != 1)
		return error_set(e, ERR_DB, "insert returned no id");
	*id = db_get_int(r, 0, "id", 0);
	return ERR_OK;
}

/* "1,2,3" for an IN list; "0" when empty (matches no row). */
static enum err invalid(struct field_problems *fp, struct error *e,
			const char *what)
{
	if (fp && fp->n)
		return error_set(e, ERR_INVALID, "%s: %s: %s", what,
				 fp->list[0].field, fp->list[0].msg_en);
	return error_set(e, ERR_INVALID, "%s is not valid", what);
}

static void problem(struct field_problems *fp, const char *field,
		    const char *en, const char *vi)
{
	if (fp && fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){field, en, vi};
}

/* ---- JSON ---- */

json_t *plan_json(struct arena *a, const struct plan *p)
{
	json_t *sections = json_array(), *targets = json_array();
	for (int i = 0; i < p->nsections; i++)
		json_array_append_new(sections,
				      json_pack("{s:s, s:s}", "heading",
						p->sections[i].heading
							? p->sections[i].heading
							: "",
						"body",
						p->sections[i].body
							? p->sections[i].body
							: ""));
	for (int i = 0; i < p->ntargets; i++) {
		const struct plan_target *t = &p->targets[i];
		json_array_append_new(
			targets,
			json_pack("{s:s, s:s, s:s, s:o, s:s}", "measure",
				  t->measure, "kind", t->kind, "goal", t->goal,
				  "value",
				  isfinite(t->value) ? json_real(t->value)
						     : json_null(),
				  "note", t->note ? t->note : ""));
	}
	const char *nt = plan_number_text(a, p);
	return json_pack(
		"{s:I, s:I, s:i, s:o, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, "
		"s:s, s:s, s:o, s:i, s:s, s:o, s:o}",
		"id", (json_int_t)p->id, "unit_id", (json_int_t)p->unit_id,
		"year", p->year, "number",
		p->number > 0 ? json_integer(p->number) : json_null(),
		"number_text", nt ? nt : "", "symbol",
		p->symbol ? p->symbol : "", "issued_on",
		p->issued_on ? json_string(p->issued_on) : json_null(), "place",
		p->place ? p->place : "", "title", p->title ? p->title : "",
		"bases", p->bases ? p->bases : "", "recipients",
		p->recipients ? p->recipients : "", "sign_mode",
		p->sign_mode ? p->sign_mode : "", "signer_title",
		p->signer_title ? p->signer_title : "", "signer_name",
		p->signer_name ? p->signer_name : "", "baseline_year",
		p->baseline_year ? json_integer(p->baseline_year) : json_null(),
		"criterion_min_tasks", p->criterion_min_tasks, "status",
		p->status ? p->status : "draft", "sections", sections,
		"targets", targets);
}

json_t *task_json(const struct task *t)
{
	json_t *co = json_array(), *links = json_array();
	for (int i = 0; i < t->nco_units; i++)
		json_array_append_new(co, json_integer(t->co_unit_ids[i]));
	for (int i = 0; i < t->nlinks; i++)
		json_array_append_new(links, json_string(t->links[i]));
	return json_pack(
		"{s:I, s:I, s:o, s:i, s:s, s:s, s:I, s:o, s:o, s:s, s:s, s:s, "
		"s:f, s:s, s:i, s:o, s:o}",
		"id", (json_int_t)t->id, "plan_id", (json_int_t)t->plan_id,
		"parent_id",
		t->parent_id > 0 ? json_integer(t->parent_id) : json_null(),
		"ord", t->ord, "title", t->title ? t->title : "", "description",
		t->description ? t->description : "", "lead_unit_id",
		(json_int_t)t->lead_unit_id, "co_unit_ids", co,
		"responsible_user_id",
		t->responsible_user_id > 0
			? json_integer(t->responsible_user_id)
			: json_null(),
		"start_on", t->start_on ? t->start_on : "", "due_on",
		t->due_on ? t->due_on : "", "recurrence",
		t->recurrence ? t->recurrence : "none", "weight", t->weight,
		"status", t->status ? t->status : "todo", "progress",
		t->progress, "done_on",
		t->done_on ? json_string(t->done_on) : json_null(), "links",
		links);
}

/* ---- plans ---- */

#define PLAN_COLS                                                              \
	"id, unit_id, year, number, symbol, issued_on, place, title, bases, "  \
	"recipients, sign_mode, signer_title, signer_name, baseline_year, "    \
	"criterion_min_tasks, status "

enum err plan_get(struct db *db, struct arena *a, long long id,
		  struct plan *out, struct error *e)
{
	struct db_result *r, *s, *t;
	const char *pid = num(a, id);
	enum err err =
		db_exec(db, a, "SELECT " PLAN_COLS "FROM plans WHERE id = $1",
			DB_PARAMS(pid), &r, e);
	if (err)
		return err;
	if (r->nrows == 0)
		return error_set(e, ERR_NOTFOUND, "plan %lld not found", id);
	err = db_exec(db, a,
		      "SELECT heading, body FROM plan_sections WHERE plan_id = "
		      "$1 ORDER BY ord, id",
		      DB_PARAMS(pid), &s, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT measure, kind, goal, value, note FROM "
			      "plan_targets WHERE plan_id = $1 ORDER BY id",
			      DB_PARAMS(pid), &t, e);
	if (err)
		return err;
	*out = (struct plan){
		.id = id,
		.unit_id = db_get_int(r, 0, "unit_id", 0),
		.year = (int)db_get_int(r, 0, "year", 0),
		.number = (int)db_get_int(r, 0, "number", 0),
		.symbol = db_get(r, 0, "symbol"),
		.issued_on = db_get(r, 0, "issued_on"),
		.place = db_get(r, 0, "place"),
		.title = db_get(r, 0, "title"),
		.bases = db_get(r, 0, "bases"),
		.recipients = db_get(r, 0, "recipients"),
		.sign_mode = db_get(r, 0, "sign_mode"),
		.signer_title = db_get(r, 0, "signer_title"),
		.signer_name = db_get(r, 0, "signer_name"),
		.status = db_get(r, 0, "status"),
		.baseline_year = (int)db_get_int(r, 0, "baseline_year", 0),
		.criterion_min_tasks =
			(int)db_get_int(r, 0, "criterion_min_tasks", 5),
	};
	out->sections =
		arena_alloc(a, sizeof *out->sections * (size_t)(s->nrows + 1));
	out->targets =
		arena_alloc(a, sizeof *out->targets * (size_t)(t->nrows + 1));
	if (!out->sections || !out->targets)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory", id);
	for (int i = 0; i < s->nrows; i++)
		out->sections[i] = (struct plan_section){
			db_get(s, i, "heading"), db_get(s, i, "body")};
	out->nsections = s->nrows;
	for (int i = 0; i < t->nrows; i++) {
		const char *v = db_get(t, i, "value");
		out->targets[i] = (struct plan_target){
			db_get(t, i, "measure"), db_get(t, i, "kind"),
			db_get(t, i, "goal"), v ? strtod(v, NULL) : NAN,
			db_get(t, i, "note")};
	}
	out->ntargets = t->nrows;
	return ERR_OK;
}

static enum err unit_row(struct db *db, struct arena *a, long long id,
			 struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT id, kind, name, parent_id FROM units WHERE id "
		       "= $1",
		       DB_PARAMS(num(a, id)), r, e);
}

static enum err plan_write_parts(struct db *db, struct arena *a,
				 const struct plan *p, struct error *e)
{
	const char *pid = num(a, p->id);
	enum err err =
		db_exec(db, a, "DELETE FROM plan_sections WHERE plan_id = $1",
			DB_PARAMS(pid), NULL, e);
	if (!err)
		err = db_exec(db, a,
			      "DELETE FROM plan_targets WHERE plan_id = $1",
			      DB_PARAMS(pid), NULL, e);
	for (int i = 0; !err && i < p->nsections; i++)
		err = db_exec(
			db, a,
			"INSERT INTO plan_sections (plan_id, ord, "
			"heading, body) VALUES ($1, $2, $3, $4)",
			DB_PARAMS(pid, num(a, i + 1), p->sections[i].heading,
				  p->sections[i].body ? p->sections[i].body
						      : ""),
			NULL, e);
	for (int i = 0; !err && i < p->ntargets; i++) {
		const struct plan_target *t = &p->targets[i];
		err = db_exec(
			db, a,
			"INSERT INTO plan_targets (plan_id, measure, kind, "
			"goal, value, note) VALUES ($1, $2, $3, $4, $5, $6)",
			DB_PARAMS(pid, t->measure, t->kind, t->goal,
				  strcmp(t->goal, "keep") ? real(a, t->value)
							  : NULL,
				  t->note ? t->note : ""),
			NULL, e);
	}
	return err;
}

enum err plan_save(struct db *db, struct arena *a, const struct actor *who,
		   struct plan *p, struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	if (!p->symbol || !*p->symbol)
		p->symbol = "KH-UBND";
	if (!p->sign_mode)
		p->sign_mode = "TM.";
	if (!p->criterion_min_tasks)
		p->criterion_min_tasks = 5;
	if (!plan_validate(p, fp))
		return invalid(fp, e, "plan");
	struct db_result *u;
	enum err err = unit_row(db, a, p->unit_id, &u, e);
	if (err)
		return err;
	if (u->nrows == 0 || strcmp(db_get(u, 0, "kind"), "commune")) {
		problem(fp, "unit_id", "the unit is not a commune",
			"Đơn vị ban hành phải là một xã (phường).");
		return invalid(fp, e, "plan");
	}
	if (!p->place || !*p->place)
		p->place = db_get(u, 0, "name");
	err = db_begin(db, e);
	if (err)
		return err;
	struct plan old = {0};
	json_t *before = NULL;
	const char *now = clock_now_iso(a);
	if (p->id) {
		err = plan_get(db, a, p->id, &old, e);
		if (err)
			goto fail;
		if (strcmp(old.status, "draft") &&
		    (old.unit_id != p->unit_id || old.year != p->year ||
		     strcmp(old.symbol, p->symbol))) {
			problem(fp, "year",
				"an issued plan keeps its unit, year and "
				"symbol",
				"Kế hoạch đã ban hành: không đổi được đơn vị, "
				"năm và ký hiệu (số văn bản giữ nguyên).");
			err = invalid(fp, e, "plan");
			goto fail;
		}
		p->number = old.number;
		p->status = old.status;
		if (!p->issued_on)
			p->issued_on = old.issued_on;
		before = plan_json(a, &old);
		err = db_exec(
			db, a,
			"UPDATE plans SET unit_id = $2, year = $3, symbol = "
			"$4, issued_on = $5, place = $6, title = $7, "
			"title_fold = $8, bases = $9, recipients = $10, "
			"sign_mode = $11, signer_title = $12, signer_name = "
			"$13, baseline_year = $14, criterion_min_tasks = $15, "
			"updated_at = $16 WHERE id = $1",
			DB_PARAMS(num(a, p->id), num(a, p->unit_id),
				  num(a, p->year), p->symbol, p->issued_on,
				  p->place, p->title, text_fold(a, p->title),
				  p->bases ? p->bases : "",
				  p->recipients ? p->recipients : "",
				  p->sign_mode,
				  p->signer_title ? p->signer_title : "",
				  p->signer_name ? p->signer_name : "",
				  p->baseline_year ? num(a, p->baseline_year)
						   : NULL,
				  num(a, p->criterion_min_tasks), now),
			NULL, e);
	} else {
		p->number = 0;
		p->status = "draft";
		err = returning_id(
			db, a,
			"INSERT INTO plans (unit_id, year, symbol, issued_on, "
			"place, title, title_fold, bases, recipients, "
			"sign_mode, signer_title, signer_name, baseline_year, "
			"criterion_min_tasks, status, created_by, created_at, "
			"updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
			"$9, $10, $11, $12, $13, $14, 'draft', $15, $16, $16) "
			"RETURNING id",
			DB_PARAMS(num(a, p->unit_id), num(a, p->year),
				  p->symbol, p->issued_on, p->place, p->title,
				  text_fold(a, p->title),
				  p->bases ? p->bases : "",
				  p->recipients ? p->recipients : "",
				  p->sign_mode,
				  p->signer_title ? p->signer_title : "",
				  p->signer_name ? p->signer_name : "",
				  p->baseline_year ? num(a, p->baseline_year)
						   : NULL,
				  num(a, p->criterion_min_tasks),
				  id_or_null(a, who->user_id), now),
			&p->id, e);
	}
	if (!err)
		err = plan_write_parts(db, a, p, e);
	if (!err) {
		json_t *after = plan_json(a, p);
		err = audit_actor(db, a, who,
				  before ? "plan.update" : "plan.create",
				  "plan", p->id, before, after, e);
		json_decref(after);
	}
	json_decref(before);
	before = NULL;
	if (!err)
		err = db_commit(db, e);
	if (!err)
		return ERR_OK;
fail:
	json_decref(before);
	db_rollback(db);
	return err;
}

enum err plan_issue_number(struct db *db, struct arena *a,
			   const struct actor *who, long long plan_id,
			   const char *issued_on, int number, struct error *e)
{
	char today[11];
	if (!issued_on) {
		date_format_iso(clock_today_vn(), today);
		issued_on = today;
	}
	struct date d;
	if (!date_parse_iso(issued_on, &d))
		return error_set(e, ERR_INVALID, "plan %lld: bad date %s",
				 plan_id, issued_on);
	if (number < 0 || number > 99999)
		return error_set(e, ERR_INVALID, "plan %lld: bad number %d",
				 plan_id, number);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct plan p;
	struct db_result *r;
	err = plan_get(db, a, plan_id, &p, e);
	if (err)
		goto fail;
	if (strcmp(p.status, "draft")) {
		err = error_set(e, ERR_CONFLICT,
				"plan %lld is already issued as %s", plan_id,
				plan_number_text(a, &p));
		goto fail;
	}
	if (d.y < p.year - 1 || d.y > p.year + 1) {
		err = error_set(e, ERR_INVALID,
				"plan %lld: issue date %s is far from %d",
				plan_id, issued_on, p.year);
		goto fail;
	}
	const char *const keys[] = {num(a, p.unit_id), num(a, p.year),
				    p.symbol};
	if (number == 0) {
		err = db_exec(db, a,
			      "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM "
			      "plans WHERE unit_id = $1 AND year = $2 AND "
			      "symbol = $3",
			      keys, 3, &r, e);
		if (err)
			goto fail;
		number = (int)db_get_int(r, 0, "n", 1);
	} else {
		err = db_exec(
			db, a,
			"SELECT id FROM plans WHERE unit_id = $1 AND "
			"year = $2 AND symbol = $3 AND number = $4",
			DB_PARAMS(keys[0], keys[1], keys[2], num(a, number)),
			&r, e);
		if (err)
			goto fail;
		if (r->nrows) {
			err = error_set(e, ERR_CONFLICT,
					"plan %lld: number %02d/%s is taken "
					"by plan %s",
					plan_id, number, p.symbol,
					db_get(r, 0, "id"));
			goto fail;
		}
	}
	json_t *before = plan_json(a, &p);
	p.number = number;
	p.issued_on = issued_on;
	p.status = "issued";
	err = db_exec(db, a,
		      "UPDATE plans SET number = $2, issued_on = $3, status = "
		      "'issued', updated_at = $4 WHERE id = $1",
		      DB_PARAMS(num(a, plan_id), num(a, number), issued_on,
				clock_now_iso(a)),
		      NULL, e);
	json_t *after = plan_json(a, &p);
	if (!err)
		err = audit_actor(db, a, who, "plan.issue", "plan", plan_id,
				  before, after, e);
	json_decref(before);
	json_decref(after);
	if (!err)
		err = db_commit(db, e);
	if (!err)
		return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

enum err plan_issue(struct db *db, struct arena *a, const struct actor *who,
		    long long plan_id, const char *issued_on, struct error *e)
{
	return plan_issue_number(db, a, who, plan_id, issued_on, 0, e);
}

enum err plan_list(struct db *db, struct arena *a, const long long *communes,
		   int ncommunes, json_t **out, struct error *e)
{
	char *ids = db_id_list(a, communes, ncommunes);
	if (!ids)
		return error_set(e, ERR_NOMEM, "plans: out of memory");
	char *sql = arena_printf(
		a,
		"SELECT p.id, p.unit_id, u.name AS unit_name, u.full_name AS "
		"unit_full_name, p.year, p.number, p.symbol, p.title, "
		"p.status, p.issued_on, "
		"(SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id) AS "
		"tasks, "
		"(SELECT CAST(ROUND(SUM(t.weight * t.progress) / "
		"SUM(t.weight)) AS INTEGER) FROM tasks t WHERE t.plan_id = "
		"p.id AND t.parent_id IS NULL AND t.status <> 'cancelled') AS "
		"progress "
		"FROM plans p JOIN units u ON u.id = p.unit_id "
		"WHERE p.unit_id IN (%s) ORDER BY p.year DESC, p.id DESC",
		ids);
	struct db_result *r;
	enum err err = sql ? db_exec(db, a, sql, NULL, 0, &r, e)
			   : error_set(e, ERR_NOMEM, "plans: out of memory");
	if (err)
		return err;
	*out = json_array();
	for (int i = 0; i < r->nrows; i++) {
		json_t *row = db_row_json(r, i);
		struct plan p = {.number = (int)db_get_int(r, i, "number", 0),
				 .symbol = db_get(r, i, "symbol")};
		json_object_set_new(row, "number_text",
				    json_string(plan_number_text(a, &p)));
		json_object_set_new(
			row, "status_vi",
			json_string(!strcmp(db_get(r, i, "status"), "draft")
					    ? "Dự thảo"
				    : !strcmp(db_get(r, i, "status"), "issued")
					    ? "Đã ban hành"
					    : "Đã kết thúc"));
		if (!db_get(r, i, "progress"))
			json_object_set_new(row, "progress", json_integer(0));
		json_array_append_new(*out, row);
	}
	return ERR_OK;
}

/* ---- tasks ---- */

#define TASK_COLS                                                              \
	"id, plan_id, parent_id, ord, title, description, lead_unit_id, "      \
	"responsible_user_id, start_on, due_on, recurrence, weight, status, "  \
	"progress, done_on "

static void task_from_row(const struct db_result *r, int i, struct task *t)
{
	memset(t, 0, sizeof *t);
	t->id = db_get_int(r, i, "id", 0);
	t->plan_id = db_get_int(r, i, "plan_id", 0);
	t->parent_id = db_get_int(r, i, "parent_id", 0);
	t->ord = (int)db_get_int(r, i, "ord", 0);
	t->title = db_get(r, i, "title");
	t->description = db_get(r, i, "description");
	t->lead_unit_id = db_get_int(r, i, "lead_unit_id", 0);
	t->responsible_user_id = db_get_int(r, i, "responsible_user_id", 0);
	t->start_on = db_get(r, i, "start_on");
	t->due_on = db_get(r, i, "due_on");
	t->recurrence = db_get(r, i, "recurrence");
	const char *w = db_get(r, i, "weight");
	t->weight = w ? strtod(w, NULL) : 1;
	t->status = db_get(r, i, "status");
	t->progress = (int)db_get_int(r, i, "progress", 0);
	t->done_on = db_get(r, i, "done_on");
}

enum err task_get(struct db *db, struct arena *a, long long id,
		  struct task *out, struct error *e)
{
	struct db_result *r, *u, *l;
	const char *tid = num(a, id);
	enum err err =
		db_exec(db, a, "SELECT " TASK_COLS "FROM tasks WHERE id = $1",
			DB_PARAMS(tid), &r, e);
	if (err)
		return err;
	if (r->nrows == 0)
		return error_set(e, ERR_NOTFOUND, "task %lld not found", id);
	err = db_exec(db, a,
		      "SELECT unit_id FROM task_units WHERE task_id = $1 "
		      "ORDER BY unit_id",
		      DB_PARAMS(tid), &u, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT dimension, indicator FROM task_links "
			      "WHERE task_id = $1 ORDER BY dimension, "
			      "indicator",
			      DB_PARAMS(tid), &l, e);
	if (err)
		return err;
	task_from_row(r, 0, out);
	for (int i = 0; i < u->nrows && i < TASK_MAX_CO_UNITS; i++)
		out->co_unit_ids[out->nco_units++] =
			db_get_int(u, i, "unit_id", 0);
	for (int i = 0; i < l->nrows && i < TASK_MAX_LINKS; i++) {
		const char *d = db_get(l, i, "dimension"),
			   *ind = db_get(l, i, "indicator");
		out->links[out->nlinks++] =
			ind && *ind ? arena_printf(a, "%s:%s", d, ind) : d;
	}
	return ERR_OK;
}

/* The ids of the units tasks of a plan of this commune may name. */
static enum err allowed_units(struct db *db, struct arena *a, long long commune,
			      long long **ids, int *n, struct error *e)
{
	json_t *units;
	enum err err = plan_unit_choices(db, a, commune, &units, e);
	if (err)
		return err;
	size_t k = json_array_size(units);
	*ids = arena_alloc(a, sizeof **ids * (k + 1));
	if (!*ids) {
		json_decref(units);
		return error_set(e, ERR_NOMEM, "units: out of memory");
	}
	*n = 0;
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)(*ids)[(*n)++] =
		json_integer_value(json_object_get(u, "id"));
	json_decref(units);
	return ERR_OK;
}

static bool in_ids(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Checks what needs the database; adds problems to fp. */
static enum err task_check(struct db *db, struct arena *a, const struct task *t,
			   const struct task *old, int *plan_year,
			   struct field_problems *fp, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a, "SELECT unit_id, year FROM plans WHERE id = $1",
			DB_PARAMS(num(a, t->plan_id)), &r, e);
	if (err)
		return err;
	if (r->nrows == 0) {
		problem(fp, "plan_id", "unknown plan",
			"Kế hoạch không tồn tại.");
		return ERR_OK;
	}
	if (old && old->plan_id != t->plan_id)
		problem(fp, "plan_id", "a task stays in its plan",
			"Không chuyển nhiệm vụ sang kế hoạch khác được.");
	long long commune = db_get_int(r, 0, "unit_id", 0);
	int year = (int)db_get_int(r, 0, "year", 0);
	*plan_year = year;
	struct date s, d;
	if (date_parse_iso(t->start_on, &s) &&
	    (s.y < year - 1 || s.y > year + 1))
		problem(fp, "start_on", "start_on is far from the plan year",
			"Ngày bắt đầu phải trong năm của kế hoạch (hoặc năm "
			"trước, năm sau).");
	if (date_parse_iso(t->due_on, &d) && (d.y < year - 1 || d.y > year + 1))
		problem(fp, "due_on", "due_on is far from the plan year",
			"Hạn hoàn thành phải trong năm của kế hoạch (hoặc năm "
			"trước, năm sau).");
	/* the parent: of the same plan, and not the task itself or below it */
	long long p = t->parent_id;
	for (int depth = 0; p > 0; depth++) {
		err = db_exec(db, a,
			      "SELECT plan_id, parent_id FROM tasks WHERE id = "
			      "$1",
			      DB_PARAMS(num(a, p)), &r, e);
		if (err)
			return err;
		if (r->nrows == 0 ||
		    db_get_int(r, 0, "plan_id", 0) != t->plan_id) {
			problem(fp, "parent_id", "unknown parent task",
				"Nhiệm vụ cha không có trong kế hoạch này.");
			break;
		}
		if (t->id && p == t->id) {
			problem(fp, "parent_id", "the parent is below the task",
				"Nhiệm vụ cha không thể là nhiệm vụ con của "
				"nhiệm vụ này.");
			break;
		}
		if (depth >= TASK_MAX_DEPTH) {
			problem(fp, "parent_id", "tasks nest too deep",
				"Nhiệm vụ lồng nhau quá nhiều cấp (tối đa 8).");
			break;
		}
		p = db_get_int(r, 0, "parent_id", 0);
	}
	long long *ids;
	int n = 0;
	err = allowed_units(db, a, commune, &ids, &n, e);
	if (err)
		return err;
	if (!in_ids(ids, n, t->lead_unit_id))
		problem(fp, "lead_unit_id", "unknown lead unit",
			"Đơn vị chủ trì không thuộc xã của kế hoạch.");
	for (int i = 0; i < t->nco_units; i++)
		if (!in_ids(ids, n, t->co_unit_ids[i])) {
			problem(fp, "co_unit_ids", "unknown co-unit",
				"Đơn vị phối hợp không thuộc xã của kế hoạch.");
			break;
		}
	if (t->responsible_user_id > 0) {
		char *in = db_id_list(a, ids, n);
		char *sql =
			in ? arena_printf(a,
					  "SELECT u.id FROM users u JOIN "
					  "user_roles r ON r.user_id = u.id "
					  "WHERE u.id = $1 AND u.active = 1 "
					  "AND r.unit_id IN (%s) LIMIT 1",
					  in)
			   : NULL;
		if (!sql)
			return error_set(e, ERR_NOMEM, "task: out of memory");
		err = db_exec(db, a, sql,
			      DB_PARAMS(num(a, t->responsible_user_id)), &r, e);
		if (err)
			return err;
		if (r->nrows == 0)
			problem(fp, "responsible_user_id",
				"unknown responsible user",
				"Người phụ trách không phải cán bộ của xã "
				"(hoặc đã bị khóa).");
	}
	for (int i = 0; i < t->nlinks; i++) {
		const char *l = t->links[i];
		if (!l[2])
			continue;
		char dim[3] = {l[0], l[1], 0};
		err = db_exec(db, a,
			      "SELECT i.id FROM catalogue_indicators i JOIN "
			      "catalogue_subdimensions s ON s.id = "
			      "i.subdimension_id JOIN catalogue_dimensions d "
			      "ON d.id = s.dimension_id WHERE i.code = $1 AND "
			      "d.code = $2 LIMIT 1",
			      DB_PARAMS(l + 3, dim), &r, e);
		if (err)
			return err;
		if (r->nrows == 0) {
			problem(fp, "links", "unknown indicator",
				"Chỉ số không có trong danh mục PAPI.");
			break;
		}
	}
	return ERR_OK;
}

static enum err task_write_parts(struct db *db, struct arena *a,
				 const struct task *t, struct error *e)
{
	const char *tid = num(a, t->id);
	enum err err =
		db_exec(db, a, "DELETE FROM task_units WHERE task_id = $1",
			DB_PARAMS(tid), NULL, e);
	if (!err)
		err = db_exec(db, a,
			      "DELETE FROM task_links WHERE task_id = $1",
			      DB_PARAMS(tid), NULL, e);
	for (int i = 0; !err && i < t->nco_units; i++) {
		bool dup = false;
		for (int j = 0; j < i; j++)
			dup |= t->co_unit_ids[j] == t->co_unit_ids[i];
		if (!dup)
			err = db_exec(db, a,
				      "INSERT INTO task_units (task_id, "
				      "unit_id) VALUES ($1, $2)",
				      DB_PARAMS(tid, num(a, t->co_unit_ids[i])),
				      NULL, e);
	}
	for (int i = 0; !err && i < t->nlinks; i++) {
		bool dup = false;
		for (int j = 0; j < i; j++)
			dup |= !strcmp(t->links[j], t->links[i]);
		if (dup)
			continue;
		const char *l = t->links[i];
		char dim[3] = {l[0], l[1], 0};
		err = db_exec(db, a,
			      "INSERT INTO task_links (task_id, dimension, "
			      "indicator) VALUES ($1, $2, $3)",
			      DB_PARAMS(tid, dim, l[2] ? l + 3 : ""), NULL, e);
	}
	return err;
}

static enum err task_insert(struct db *db, struct arena *a, struct task *t,
			    const char *now, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT COALESCE(MAX(ord), 0) + 1 AS n FROM tasks WHERE "
		"plan_id = $1 AND COALESCE(parent_id, 0) = $2",
		DB_PARAMS(num(a, t->plan_id), num(a, t->parent_id)), &r, e);
	if (err)
		return err;
	if (t->ord <= 0)
		t->ord = (int)db_get_int(r, 0, "n", 1);
	err = returning_id(
		db, a,
		"INSERT INTO tasks (plan_id, parent_id, ord, title, "
		"title_fold, description, lead_unit_id, responsible_user_id, "
		"start_on, due_on, recurrence, weight, status, progress, "
		"done_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
		"$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) "
		"RETURNING id",
		DB_PARAMS(num(a, t->plan_id), id_or_null(a, t->parent_id),
			  num(a, t->ord), t->title, text_fold(a, t->title),
			  t->description ? t->description : "",
			  num(a, t->lead_unit_id),
			  id_or_null(a, t->responsible_user_id), t->start_on,
			  t->due_on, t->recurrence, real(a, t->weight),
			  t->status, num(a, t->progress), t->done_on, now),
		&t->id, e);
	if (!err)
		err = task_write_parts(db, a, t, e);
	return err;
}

/* tasks.is_leaf (migration 0009) of a plan's tasks: 1 when no task of the
 * plan has it as parent, as the views count them (plan_views.h). Only rows
 * whose value changes are written. Every writer of tasks calls it before
 * committing: task_save does (inserts, re-parenting, removed
 * occurrences), and so does any path that writes tasks.parent_id or
 * deletes tasks without task_save. */
enum err tasks_refresh_leaf(struct db *db, struct arena *a, long long plan_id,
			    struct error *e)
{
	return db_exec(db, a,
		       "UPDATE tasks SET is_leaf = CASE WHEN EXISTS (SELECT "
		       "1 FROM tasks c WHERE c.plan_id = tasks.plan_id AND "
		       "c.parent_id = tasks.id) THEN 0 ELSE 1 END WHERE "
		       "plan_id = $1 AND is_leaf <> CASE WHEN EXISTS (SELECT "
		       "1 FROM tasks c WHERE c.plan_id = tasks.plan_id AND "
		       "c.parent_id = tasks.id) THEN 0 ELSE 1 END",
		       DB_PARAMS(num(a, plan_id)), NULL, e);
}

/* A parent's progress and status from its children, up to the top. */
static enum err rollup(struct db *db, struct arena *a, long long id,
		       struct error *e)
{
	for (int depth = 0; id > 0 && depth < ROLLUP_MAX_DEPTH; depth++) {
		struct db_result *c, *r;
		const char *tid = num(a, id);
		enum err err = db_exec(db, a,
				       "SELECT status, progress, weight, "
				       "done_on FROM tasks WHERE parent_id = "
				       "$1",
				       DB_PARAMS(tid), &c, e);
		if (!err)
			err = db_exec(db, a,
				      "SELECT parent_id FROM tasks WHERE id = "
				      "$1",
				      DB_PARAMS(tid), &r, e);
		if (err)
			return err;
		if (c->nrows > 0) {
			int n = c->nrows;
			int *progress = arena_alloc(a, sizeof(int) * (size_t)n);
			double *weight =
				arena_alloc(a, sizeof(double) * (size_t)n);
			bool *cancelled =
				arena_alloc(a, sizeof(bool) * (size_t)n);
			const char **status =
				arena_alloc(a, sizeof(char *) * (size_t)n);
			if (!progress || !weight || !cancelled || !status)
				return error_set(e, ERR_NOMEM,
						 "task %lld: out of memory",
						 id);
			const char *last_done = NULL;
			for (int i = 0; i < n; i++) {
				status[i] = db_get(c, i, "status");
				progress[i] =
					(int)db_get_int(c, i, "progress", 0);
				const char *w = db_get(c, i, "weight");
				weight[i] = w ? strtod(w, NULL) : 1;
				cancelled[i] = !strcmp(status[i], "cancelled");
				const char *d = db_get(c, i, "done_on");
				if (d &&
				    (!last_done || strcmp(d, last_done) > 0))
					last_done = d;
			}
			int pr = task_rollup(progress, weight, cancelled, n);
			const char *st =
				task_rollup_status(status, progress, n);
			if (!strcmp(st, "done"))
				pr = 100;
			err = db_exec(
				db, a,
				"UPDATE tasks SET progress = $2, status = "
				"$3, done_on = $4 WHERE id = $1",
				DB_PARAMS(tid, num(a, pr), st,
					  strcmp(st, "done") ? NULL
							     : last_done),
				NULL, e);
			if (err)
				return err;
		}
		id = r->nrows ? db_get_int(r, 0, "parent_id", 0) : 0;
	}
	return ERR_OK;
}

static bool same(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/* The occurrences of a recurring task: those of the new periods that are
 * missing are added; untouched ones (never reported on) that fall outside
 * the new periods are removed. Reported ones stay: they are history. */
static enum err sync_occurrences(struct db *db, struct arena *a,
				 const struct task *t, const char *now,
				 struct error *e)
{
	struct task *occ = arena_alloc(a, sizeof *occ * TASK_MAX_OCCURRENCES);
	if (!occ)
		return error_set(e, ERR_NOMEM, "task: out of memory");
	int n = task_occurrences(a, t, occ, TASK_MAX_OCCURRENCES);
	if (n < 0)
		return error_set(e, ERR_INVALID, "task %lld: bad recurrence",
				 t->id);
	struct db_result *c;
	enum err err = db_exec(
		db, a,
		"SELECT t.id, t.start_on, t.due_on, t.status, t.progress, "
		"(SELECT COUNT(*) FROM task_updates u WHERE u.task_id = t.id) "
		"AS updates, (SELECT COUNT(*) FROM tasks k WHERE k.parent_id "
		"= t.id) AS kids FROM tasks t WHERE t.parent_id = $1",
		DB_PARAMS(num(a, t->id)), &c, e);
	if (err)
		return err;
	bool *kept = arena_alloc(a, sizeof(bool) * (size_t)(c->nrows + 1));
	if (!kept)
		return error_set(e, ERR_NOMEM, "task: out of memory");
	for (int i = 0; !err && i < c->nrows; i++) {
		bool wanted = false;
		for (int k = 0; k < n && !wanted; k++)
			wanted = !strcmp(occ[k].due_on,
					 db_get(c, i, "due_on")) &&
				 !strcmp(occ[k].start_on,
					 db_get(c, i, "start_on"));
		bool touched = db_get_int(c, i, "updates", 0) > 0 ||
			       db_get_int(c, i, "kids", 0) > 0 ||
			       strcmp(db_get(c, i, "status"), "todo") ||
			       db_get_int(c, i, "progress", 0) > 0;
		kept[i] = wanted || touched;
		if (!kept[i])
			err = db_exec(db, a, "DELETE FROM tasks WHERE id = $1",
				      DB_PARAMS(db_get(c, i, "id")), NULL, e);
	}
	for (int k = 0; !err && k < n; k++) {
		bool have = false;
		for (int i = 0; i < c->nrows && !have; i++)
			have = kept[i] &&
			       !strcmp(occ[k].due_on, db_get(c, i, "due_on"));
		if (have)
			continue;
		occ[k].ord = 0;
		err = task_insert(db, a, &occ[k], now, e);
	}
	return err;
}

/* Tells whoever is now given the task: the responsible official, else
 * the heads of the lead unit. Not for a task already past due or done (a
 * plan's history being typed in or imported), nor to oneself, nor from
 * the command line (`init --demo`, an import by the administrator: no
 * one in the app gave it). */
static enum err notify_assigned(struct db *db, struct arena *a,
				const struct actor *who, const struct task *t,
				struct error *e)
{
	char today[11];
	date_format_iso(clock_today_vn(), today);
	if (who->user_id <= 0 || strcmp(t->due_on, today) < 0 ||
	    !strcmp(t->status, "done") || !strcmp(t->status, "cancelled"))
		return ERR_OK;
	const char *title = arena_printf(a, "Nhiệm vụ được giao: %s", t->title);
	const char *body = arena_printf(a, "Thời hạn: %s – %s.",
					text_format_date(a, t->start_on),
					text_format_date(a, t->due_on));
	const char *link = arena_printf(a, "/plan/tasks/%lld", t->id);
	if (!title || !body || !link)
		return error_set(e, ERR_NOMEM, "task %lld: out of memory",
				 t->id);
	if (t->responsible_user_id > 0)
		return t->responsible_user_id == who->user_id
			       ? ERR_OK
			       : notify_user(db, a, t->responsible_user_id,
					     "task.assigned", title, body, link,
					     e);
	return notify_unit(db, a, t->lead_unit_id,
			   ROLE_UNIT_HEAD | ROLE_VILLAGE_HEAD, "task.assigned",
			   title, body, link, e);
}

enum err task_save(struct db *db, struct arena *a, const struct actor *who,
		   struct task *t, struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	if (!t->recurrence || !*t->recurrence)
		t->recurrence = "none";
	if (t->weight == 0)
		t->weight = 1;
	if (!t->status || !*t->status)
		t->status = "todo";
	int nproblems = fp->n;
	if (!task_validate(t, fp))
		return invalid(fp, e, "task");
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct task old = {0};
	json_t *before = NULL;
	int year = 0;
	if (t->id) {
		err = task_get(db, a, t->id, &old, e);
		if (err)
			goto fail;
	}
	err = task_check(db, a, t, t->id ? &old : NULL, &year, fp, e);
	if (err)
		goto fail;
	if (fp->n > nproblems) {
		err = invalid(fp, e, "task");
		goto fail;
	}
	const char *now = clock_now_iso(a);
	if (t->id) {
		before = task_json(&old);
		/* status and progress change by progress reports */
		t->status = old.status;
		t->progress = old.progress;
		t->done_on = old.done_on;
		t->ord = old.ord;
		if (old.parent_id != t->parent_id) {
			struct db_result *r;
			err = db_exec(db, a,
				      "SELECT COALESCE(MAX(ord), 0) + 1 AS n "
				      "FROM tasks WHERE plan_id = $1 AND "
				      "COALESCE(parent_id, 0) = $2",
				      DB_PARAMS(num(a, t->plan_id),
						num(a, t->parent_id)),
				      &r, e);
			if (err)
				goto fail;
			t->ord = (int)db_get_int(r, 0, "n", 1);
		}
		err = db_exec(
			db, a,
			"UPDATE tasks SET parent_id = $2, ord = $3, title = "
			"$4, title_fold = $5, description = $6, lead_unit_id "
			"= $7, responsible_user_id = $8, start_on = $9, "
			"due_on = $10, recurrence = $11, weight = $12, "
			"updated_at = $13 WHERE id = $1",
			DB_PARAMS(num(a, t->id), id_or_null(a, t->parent_id),
				  num(a, t->ord), t->title,
				  text_fold(a, t->title),
				  t->description ? t->description : "",
				  num(a, t->lead_unit_id),
				  id_or_null(a, t->responsible_user_id),
				  t->start_on, t->due_on, t->recurrence,
				  real(a, t->weight), now),
			NULL, e);
		if (!err)
			err = task_write_parts(db, a, t, e);
		if (!err && strcmp(t->recurrence, "none") &&
		    (!same(old.recurrence, t->recurrence) ||
		     !same(old.start_on, t->start_on) ||
		     !same(old.due_on, t->due_on)))
			err = sync_occurrences(db, a, t, now, e);
		if (!err)
			err = rollup(db, a, t->id, e);
		if (!err && old.parent_id && old.parent_id != t->parent_id)
			err = rollup(db, a, old.parent_id, e);
	} else {
		if (!strcmp(t->status, "done")) {
			t->progress = 100;
			if (!t->done_on) {
				char today[11];
				date_format_iso(clock_today_vn(), today);
				t->done_on = arena_strdup(a, today);
			}
		} else {
			t->done_on = NULL;
		}
		err = task_insert(db, a, t, now, e);
		if (!err && strcmp(t->recurrence, "none"))
			err = sync_occurrences(db, a, t, now, e);
		if (!err)
			err = rollup(db, a, t->id, e);
	}
	if (!err)
		err = tasks_refresh_leaf(db, a, t->plan_id, e);
	if (err)
		goto fail;
	/* what the roll-up made of it */
	struct task saved;
	err = task_get(db, a, t->id, &saved, e);
	if (err)
		goto fail;
	t->status = saved.status;
	t->progress = saved.progress;
	t->done_on = saved.done_on;
	if (!before || old.responsible_user_id != t->responsible_user_id ||
	    old.lead_unit_id != t->lead_unit_id)
		err = notify_assigned(db, a, who, &saved, e);
	if (err)
		goto fail;
	json_t *after = task_json(&saved);
	err = audit_actor(db, a, who, before ? "task.update" : "task.create",
			  "task", t->id, before, after, e);
	json_decref(after);
	json_decref(before);
	before = NULL;
	if (!err)
		err = db_commit(db, e);
	if (!err)
		return ERR_OK;
fail:
	json_decref(before);
	db_rollback(db);
	return err;
}

enum err task_report(struct db *db, struct arena *a, const struct actor *who,
		     long long task_id, const char *status, int progress,
		     const char *note, const char *at,
		     const struct upload *const *files, int nfiles,
		     long long *update_id, struct field_problems *fp,
		     struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	int before = fp->n;
	if (!note)
		note = "";
	if (!task_status_label_vi(status))
		problem(fp, "status", "unknown status",
			"Vui lòng chọn trạng thái.");
	if (progress < 0 || progress > 100)
		problem(fp, "progress", "progress must be 0-100",
			"Tiến độ phải từ 0 đến 100%.");
	if (strlen(note) > NOTE_MAX || !text_valid_utf8(note, strlen(note)))
		problem(fp, "note", "note is too long",
			"Ghi chú quá dài (tối đa 5.000 ký tự).");
	if (nfiles > ATTACHMENTS_MAX_PER_RECORD)
		problem(fp, "files", "more than 5 files",
			"Tối đa 5 tệp minh chứng cho một lần cập nhật.");
	time_t when;
	char *now = at ? arena_strdup(a, at) : clock_now_iso(a);
	if (at && !clock_parse_iso(at, &when))
		problem(fp, "at", "at is not a time",
			"Thời điểm không hợp lệ.");
	const char **mimes =
		arena_alloc(a, sizeof(char *) * (size_t)(nfiles + 1));
	if (!mimes || !now)
		return error_set(e, ERR_NOMEM, "task %lld: out of memory",
				 task_id);
	for (int i = 0; i < nfiles && i < ATTACHMENTS_MAX_PER_RECORD; i++) {
		struct attachment_problem ap = {0};
		if (!attachment_check(files[i], ATTACH_EVIDENCE, 0, &mimes[i],
				      &ap)) {
			problem(fp, "files",
				*ap.msg_en ? arena_strdup(a, ap.msg_en)
					   : "file refused",
				*ap.msg_vi ? arena_strdup(a, ap.msg_vi)
					   : "Tệp không được chấp nhận.");
			break;
		}
	}
	if (fp->n > before)
		return invalid(fp, e, "progress report");
	if (!strcmp(status, "done"))
		progress = 100;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct task t;
	struct db_result *r;
	err = task_get(db, a, task_id, &t, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT COUNT(*) AS n FROM tasks WHERE parent_id "
			      "= $1",
			      DB_PARAMS(num(a, task_id)), &r, e);
	if (err)
		goto fail;
	if (db_get_int(r, 0, "n", 0) > 0) {
		problem(fp, "status", "the task has sub-tasks",
			"Nhiệm vụ này có nhiệm vụ con: tiến độ được tính từ "
			"các nhiệm vụ con, hãy cập nhật ở từng nhiệm vụ con.");
		err = invalid(fp, e, "progress report");
		goto fail;
	}
	long long uid = 0;
	err = returning_id(db, a,
			   "INSERT INTO task_updates (task_id, user_id, at, "
			   "progress, status, note) VALUES ($1, $2, $3, $4, "
			   "$5, $6) RETURNING id",
			   DB_PARAMS(num(a, task_id),
				     id_or_null(a, who->user_id), now,
				     num(a, progress), status, note),
			   &uid, e);
	for (int i = 0; !err && i < nfiles; i++) {
		long long fid;
		err = attachment_save(db, a, "task_update", uid, files[i],
				      mimes[i], who->user_id, &fid, e);
	}
	if (err)
		goto fail;
	/* done_on: the day (in Vietnam) it was first reported done */
	const char *done_on = NULL;
	if (!strcmp(status, "done")) {
		if (t.done_on && !strcmp(t.status, "done")) {
			done_on = t.done_on;
		} else {
			time_t tt;
			clock_parse_iso(now, &tt);
			char day[21];
			clock_format_iso(tt + 7 * 3600, day);
			done_on = arena_strndup(a, day, 10);
		}
	}
	err = db_exec(db, a,
		      "UPDATE tasks SET status = $2, progress = $3, done_on = "
		      "$4, updated_at = $5 WHERE id = $1",
		      DB_PARAMS(num(a, task_id), status, num(a, progress),
				done_on, clock_now_iso(a)),
		      NULL, e);
	if (!err)
		err = rollup(db, a, t.parent_id, e);
	if (!err) {
		json_t *after = json_pack(
			"{s:I, s:s, s:i, s:s, s:i, s:s, s:i}", "update_id",
			(json_int_t)uid, "status", status, "progress", progress,
			"note", note, "files", nfiles, "before_status",
			t.status, "before_progress", t.progress);
		err = audit_actor(db, a, who, "task.report", "task", task_id,
				  NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		goto fail;
	if (update_id)
		*update_id = uid;
	return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

/* ---- lists for pages ---- */

enum err plan_tasks(struct db *db, struct arena *a, long long plan_id,
		    json_t **out, struct error *e)
{
	struct db_result *r, *l;
	const char *pid = num(a, plan_id);
	enum err err = db_exec(
		db, a,
		"SELECT t.id, t.parent_id, t.ord, t.title, t.lead_unit_id, "
		"lu.full_name AS lead_unit_name, t.responsible_user_id, "
		"ru.full_name AS responsible_name, t.start_on, t.due_on, "
		"t.recurrence, t.weight, t.status, t.progress, t.done_on "
		"FROM tasks t JOIN units lu ON lu.id = t.lead_unit_id "
		"LEFT JOIN users ru ON ru.id = t.responsible_user_id "
		"WHERE t.plan_id = $1 ORDER BY t.ord, t.id",
		DB_PARAMS(pid), &r, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT l.task_id, l.dimension, l.indicator FROM "
			      "task_links l JOIN tasks t ON t.id = l.task_id "
			      "WHERE t.plan_id = $1 ORDER BY l.dimension, "
			      "l.indicator",
			      DB_PARAMS(pid), &l, e);
	if (err)
		return err;
	int n = r->nrows;
	/* tree order without recursion: a stack of rows still to place */
	int *stack = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	int *depth = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	bool *placed = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	long long *ids = arena_alloc(a, sizeof(long long) * (size_t)(n + 1));
	if (!stack || !depth || !placed || !ids)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory",
				 plan_id);
	for (int i = 0; i < n; i++)
		ids[i] = db_get_int(r, i, "id", 0);
	*out = json_array();
	int sp = 0;
	/* roots, pushed in reverse so the first comes out first; a task
	 * whose parent is missing is shown as a root */
	for (int i = n - 1; i >= 0; i--) {
		long long p = db_get_int(r, i, "parent_id", 0);
		if (!p || !in_ids(ids, n, p)) {
			stack[sp] = i;
			depth[sp++] = 0;
		}
	}
	while (sp > 0) {
		int i = stack[--sp], d = depth[sp];
		if (placed[i])
			continue;
		placed[i] = true;
		json_t *row = db_row_json(r, i);
		const char *st = db_get(r, i, "status");
		json_t *links = json_array(), *dims = json_array();
		for (int k = 0; k < l->nrows; k++) {
			if (db_get_int(l, k, "task_id", 0) != ids[i])
				continue;
			const char *dim = db_get(l, k, "dimension"),
				   *ind = db_get(l, k, "indicator");
			json_array_append_new(
				links,
				json_string(ind && *ind
						    ? arena_printf(a, "%s:%s",
								   dim, ind)
						    : dim));
			bool have = false;
			size_t q;
			json_t *x;
			json_array_foreach(dims, q, x) have |=
				!strcmp(json_string_value(x), dim);
			if (!have)
				json_array_append_new(dims, json_string(dim));
		}
		int kids = 0;
		for (int k = 0; k < n; k++)
			kids += db_get_int(r, k, "parent_id", 0) == ids[i];
		json_object_set_new(row, "depth", json_integer(d));
		json_object_set_new(row, "status_vi",
				    json_string(task_status_label_vi(st)));
		json_object_set_new(row, "links", links);
		json_object_set_new(row, "dimensions", dims);
		json_object_set_new(row, "children", json_integer(kids));
		json_array_append_new(*out, row);
		/* children, in reverse order onto the stack */
		for (int k = n - 1; k >= 0; k--)
			if (db_get_int(r, k, "parent_id", 0) == ids[i] &&
			    !placed[k] && sp < n) {
				stack[sp] = k;
				depth[sp++] = d + 1;
			}
	}
	return ERR_OK;
}

enum err task_updates(struct db *db, struct arena *a, long long task_id,
		      json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT u.id, u.at, u.user_id, us.full_name AS user_name, "
		"u.status, u.progress, u.note FROM task_updates u LEFT JOIN "
		"users us ON us.id = u.user_id WHERE u.task_id = $1 ORDER BY "
		"u.at DESC, u.id DESC",
		DB_PARAMS(num(a, task_id)), &r, e);
	if (err)
		return err;
	*out = json_array();
	for (int i = 0; i < r->nrows; i++) {
		json_t *row = db_row_json(r, i), *files = NULL;
		json_object_set_new(row, "status_vi",
				    json_string(task_status_label_vi(
					    db_get(r, i, "status"))));
		err = attachment_list(db, a, "task_update",
				      db_get_int(r, i, "id", 0), &files, e);
		if (err) {
			json_decref(row);
			json_decref(*out);
			*out = NULL;
			return err;
		}
		json_object_set_new(row, "files", files);
		json_array_append_new(*out, row);
	}
	return ERR_OK;
}

static enum err lineage_ids(struct db *db, struct arena *a, long long commune,
			    char **list, struct error *e)
{
	long long *ids;
	int n;
	enum err err = units_lineage(db, a, commune, &ids, &n, e);
	if (err)
		return err;
	*list = db_id_list(a, ids, n);
	return *list ? ERR_OK : error_set(e, ERR_NOMEM, "units: out of memory");
}

enum err plan_unit_choices(struct db *db, struct arena *a, long long commune_id,
			   json_t **out, struct error *e)
{
	char *lin;
	enum err err = lineage_ids(db, a, commune_id, &lin, e);
	if (err)
		return err;
	char *sql = arena_printf(
		a,
		"SELECT id, name, full_name, kind, parent_id, valid_to FROM "
		"units WHERE (id IN (%s) AND kind = 'commune') OR (parent_id "
		"IN (%s) AND kind IN ('village', 'unit')) ORDER BY CASE kind "
		"WHEN 'commune' THEN 0 WHEN 'unit' THEN 1 ELSE 2 END, "
		"CASE WHEN valid_to IS NULL THEN 0 ELSE 1 END, sort_key, id",
		lin, lin);
	struct db_result *r;
	err = sql ? db_exec(db, a, sql, NULL, 0, &r, e)
		  : error_set(e, ERR_NOMEM, "units: out of memory");
	if (err)
		return err;
	*out = db_result_json(r);
	return ERR_OK;
}

enum err plan_user_choices(struct db *db, struct arena *a, long long commune_id,
			   json_t **out, struct error *e)
{
	char *lin;
	enum err err = lineage_ids(db, a, commune_id, &lin, e);
	if (err)
		return err;
	char *sql = arena_printf(
		a,
		"SELECT u.id, u.full_name, u.username, r.unit_id FROM users u "
		"JOIN user_roles r ON r.user_id = u.id JOIN units n ON n.id = "
		"r.unit_id WHERE u.active = 1 AND (n.id IN (%s) OR "
		"(n.parent_id "
		"IN (%s) AND n.kind IN ('village', 'unit'))) ORDER BY "
		"u.sort_key, u.id, r.unit_id",
		lin, lin);
	struct db_result *r;
	err = sql ? db_exec(db, a, sql, NULL, 0, &r, e)
		  : error_set(e, ERR_NOMEM, "users: out of memory");
	if (err)
		return err;
	*out = json_array();
	json_t *cur = NULL;
	long long cur_id = 0;
	for (int i = 0; i < r->nrows; i++) {
		long long id = db_get_int(r, i, "id", 0);
		if (id != cur_id) {
			cur = json_pack("{s:I, s:s, s:s, s:[]}", "id",
					(json_int_t)id, "full_name",
					db_get(r, i, "full_name"), "username",
					db_get(r, i, "username"), "unit_ids");
			json_array_append_new(*out, cur);
			cur_id = id;
		}
		json_array_append_new(
			json_object_get(cur, "unit_ids"),
			json_integer(db_get_int(r, i, "unit_id", 0)));
	}
	return ERR_OK;
}

/* The catalogue version tasks of a year use: that year's, else the
 * latest before it, else the first after it; 0 when there is none. */
static enum err version_for(struct db *db, struct arena *a, int year,
			    long long *id, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT id FROM catalogue_versions ORDER BY "
			       "CASE WHEN year <= $1 THEN 0 ELSE 1 END, "
			       "CASE WHEN year <= $1 THEN -year ELSE year END "
			       "LIMIT 1",
			       DB_PARAMS(num(a, year)), &r, e);
	if (err)
		return err;
	*id = r->nrows ? db_get_int(r, 0, "id", 0) : 0;
	return ERR_OK;
}

enum err plan_link_choices(struct db *db, struct arena *a, int year,
			   json_t **out, struct error *e)
{
	long long v;
	enum err err = version_for(db, a, year, &v, e);
	if (err)
		return err;
	struct db_result *d, *i;
	const char *vid = num(a, v);
	err = db_exec(db, a,
		      "SELECT code, name_vi FROM catalogue_dimensions WHERE "
		      "version_id = $1 ORDER BY ord, code",
		      DB_PARAMS(vid), &d, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT i.code, i.name_vi, d.code AS dimension "
			      "FROM catalogue_indicators i JOIN "
			      "catalogue_subdimensions s ON s.id = "
			      "i.subdimension_id JOIN catalogue_dimensions d "
			      "ON d.id = s.dimension_id WHERE i.version_id = "
			      "$1 ORDER BY d.ord, s.ord, i.ord",
			      DB_PARAMS(vid), &i, e);
	if (err)
		return err;
	*out = json_array();
	for (int k = 1; k <= 8; k++) {
		char code[3] = {'D', (char)('0' + k), 0};
		const char *name = NULL;
		for (int j = 0; j < d->nrows && !name; j++)
			if (!strcmp(db_get(d, j, "code"), code))
				name = db_get(d, j, "name_vi");
		json_t *inds = json_array();
		for (int j = 0; j < i->nrows; j++)
			if (!strcmp(db_get(i, j, "dimension"), code))
				json_array_append_new(
					inds,
					json_pack(
						"{s:s, s:s, s:s}", "code",
						db_get(i, j, "code"), "name_vi",
						db_get(i, j, "name_vi"), "key",
						arena_printf(
							a, "%s:%s", code,
							db_get(i, j, "code"))));
		json_array_append_new(
			*out,
			json_pack("{s:s, s:s, s:o}", "code", code, "name_vi",
				  name ? name
				       : plan_measure_label_vi(
						 (char[]){'d', code[1], 0}),
				  "indicators", inds));
	}
	return ERR_OK;
}

enum err plan_commune_of(struct db *db, struct arena *a, long long unit_id,
			 long long *commune_id, struct error *e)
{
	long long ids[8];
	const char *kinds[8], *names[8];
	int n;
	enum err err =
		plandb_ancestors(db, a, unit_id, ids, kinds, names, 8, &n, e);
	*commune_id = 0;
	for (int i = 0; !err && i < n && !*commune_id; i++)
		if (!strcmp(kinds[i], "commune"))
			*commune_id = ids[i];
	return err;
}

/* ---- for plan_access.c and plan_actual.c (plan_db.h) ---- */

enum err plandb_user_roles(struct db *db, struct arena *a, long long user_id,
			   struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT r.role, r.unit_id, u.kind FROM user_roles r "
		       "JOIN units u ON u.id = r.unit_id WHERE r.user_id = $1 "
		       "ORDER BY r.id",
		       DB_PARAMS(num(a, user_id)), r, e);
}

enum err plandb_communes_under(struct db *db, struct arena *a,
			       long long unit_id, struct db_result **r,
			       struct error *e)
{
	return db_exec(db, a,
		       "WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE "
		       "parent_id = $1 UNION SELECT u.id FROM units u JOIN "
		       "sub ON u.parent_id = sub.id) SELECT u.id FROM units u "
		       "JOIN sub ON sub.id = u.id WHERE u.kind = 'commune' "
		       "ORDER BY u.id",
		       DB_PARAMS(num(a, unit_id)), r, e);
}

enum err plandb_user_has_role_on(struct db *db, struct arena *a,
				 long long user_id, const char *const *roles,
				 int nroles, long long unit_id, bool *has,
				 struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT role FROM user_roles WHERE user_id = $1 "
			"AND unit_id = $2",
			DB_PARAMS(num(a, user_id), num(a, unit_id)), &r, e);
	*has = false;
	for (int i = 0; !err && i < r->nrows; i++)
		for (int k = 0; k < nroles; k++)
			*has |= !strcmp(db_get(r, i, "role"), roles[k]);
	return err;
}

enum err plandb_plan_unit(struct db *db, struct arena *a, long long plan_id,
			  long long *unit_id, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a, "SELECT unit_id FROM plans WHERE id = $1",
			       DB_PARAMS(num(a, plan_id)), &r, e);
	*unit_id = !err && r->nrows ? db_get_int(r, 0, "unit_id", 0) : 0;
	return err;
}

enum err plandb_update_plan_unit(struct db *db, struct arena *a,
				 long long update_id, long long *unit_id,
				 struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT p.unit_id FROM task_updates u JOIN "
			       "tasks t ON t.id = u.task_id JOIN plans p ON "
			       "p.id = t.plan_id WHERE u.id = $1",
			       DB_PARAMS(num(a, update_id)), &r, e);
	*unit_id = !err && r->nrows ? db_get_int(r, 0, "unit_id", 0) : 0;
	return err;
}

enum err plandb_rounds_of_year(struct db *db, struct arena *a, int year,
			       struct db_result **r, struct error *e)
{
	return db_exec(db, a,
		       "SELECT id, scope_unit_id FROM survey_rounds WHERE year "
		       "= $1 ORDER BY id DESC",
		       DB_PARAMS(num(a, year)), r, e);
}

enum err plandb_ancestors(struct db *db, struct arena *a, long long unit_id,
			  long long *ids, const char **kinds,
			  const char **names, int max, int *n, struct error *e)
{
	*n = 0;
	while (unit_id > 0 && *n < max) {
		struct db_result *r;
		enum err err = unit_row(db, a, unit_id, &r, e);
		if (err)
			return err;
		if (r->nrows == 0)
			break;
		ids[*n] = unit_id;
		kinds[*n] = db_get(r, 0, "kind");
		names[*n] = db_get(r, 0, "name");
		(*n)++;
		unit_id = db_get_int(r, 0, "parent_id", 0);
	}
	return ERR_OK;
}

enum err plandb_official_year(struct db *db, struct arena *a, int year,
			      int *out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT MAX(year) AS y FROM official_results "
			       "WHERE year <= $1",
			       DB_PARAMS(num(a, year)), &r, e);
	*out = !err && r->nrows ? (int)db_get_int(r, 0, "y", 0) : 0;
	return err;
}

enum err plandb_dimension_names(struct db *db, struct arena *a, int year,
				const char *names[8], struct error *e)
{
	long long v;
	struct db_result *r;
	for (int k = 0; k < 8; k++)
		names[k] = "";
	enum err err = version_for(db, a, year, &v, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT code, name_vi FROM catalogue_dimensions "
			      "WHERE version_id = $1",
			      DB_PARAMS(num(a, v)), &r, e);
	for (int i = 0; !err && i < r->nrows; i++) {
		const char *c = db_get(r, i, "code");
		if (c && c[0] == 'D' && c[1] >= '1' && c[1] <= '8' && !c[2])
			names[c[1] - '1'] = db_get(r, i, "name_vi");
	}
	return err;
}

enum err plandb_units_named(struct db *db, struct arena *a,
			    const long long *ids, int n, struct db_result **r,
			    struct error *e)
{
	char *in = db_id_list(a, ids, n);
	char *sql = in ? arena_printf(a,
				      "SELECT id, name, full_name, kind, "
				      "valid_to FROM units WHERE id IN (%s) "
				      "ORDER BY CASE WHEN valid_to IS NULL "
				      "THEN 0 ELSE 1 END, sort_key, id",
				      in)
		       : NULL;
	if (!sql)
		return error_set(e, ERR_NOMEM, "units: out of memory");
	return db_exec(db, a, sql, NULL, 0, r, e);
}

enum err plandb_plan_units(struct db *db, struct arena *a, long long **ids,
			   int *n, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT DISTINCT unit_id FROM plans ORDER BY "
			       "unit_id",
			       NULL, 0, &r, e);
	if (err)
		return err;
	*ids = arena_alloc(a, sizeof **ids * (size_t)(r->nrows + 1));
	if (!*ids)
		return error_set(e, ERR_NOMEM, "plans: out of memory");
	*n = r->nrows;
	for (int i = 0; i < r->nrows; i++)
		(*ids)[i] = db_get_int(r, i, "unit_id", 0);
	return ERR_OK;
}
