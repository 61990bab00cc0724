/* Storage of oversight/: inspections with their villages and PAPI links,
 * findings, recommendations with their remedial tasks (plan's task_save
 * and task_report, in the same transaction), verifications, the lists and
 * the supervisor's summary. Every change runs in one transaction and
 * writes its audit row in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oversight.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { PARAMS_MAX = 24, PER_PAGE_MAX = 200 };

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static const char *id_or_null(struct arena *a, long long v)
{
	return v > 0 ? num(a, v) : NULL;
}

static enum err oom(struct error *e, const char *what)
{
	return error_set(e, ERR_NOMEM, "%s: out of memory", what);
}

static enum err invalid(const struct field_problems *fp, struct error *e,
			const char *what)
{
	return error_set(e, ERR_INVALID, "%s: %s: %s", what,
			 fp->n ? fp->list[0].field : "input",
			 fp->n ? fp->list[0].msg_en : "invalid");
}

static void problem(struct field_problems *fp, const char *field,
		    const char *en, const char *vi)
{
	if (fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){field, en, vi};
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

/* "D5:5.2.1" -> dimension "D5", indicator "5.2.1". */
static void split_link(struct arena *a, const char *l, const char **dim,
		       const char **ind)
{
	*dim = arena_strndup(a, l, 2);
	*ind = l[2] == ':' ? l + 3 : "";
}

static const char *join_link(struct arena *a, const char *dim, const char *ind)
{
	return ind && *ind ? arena_printf(a, "%s:%s", dim, ind)
			   : arena_strdup(a, dim);
}

/* The units a record of this commune may name (plan_unit_choices). */
static enum err unit_kind(struct db *db, struct arena *a, long long commune,
			  long long unit, const char **kind, struct error *e)
{
	json_t *units;
	*kind = NULL;
	enum err err = plan_unit_choices(db, a, commune, &units, e);
	if (err)
		return err;
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		if (json_integer_value(json_object_get(u, "id")) == unit) {
			*kind = arena_strdup(
				a,
				json_string_value(json_object_get(u, "kind")));
			break;
		}
	}
	json_decref(units);
	return ERR_OK;
}

static json_t *inspection_json(const struct inspection *in)
{
	json_t *v = json_array(), *l = json_array();
	for (int i = 0; i < in->nvillages; i++)
		json_array_append_new(v, json_integer(in->village_ids[i]));
	for (int i = 0; i < in->nlinks; i++)
		json_array_append_new(l, json_string(in->links[i]));
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, "
			 "s:o, s:o}",
			 "id", (json_int_t)in->id, "commune_id",
			 (json_int_t)in->commune_id, "kind", in->kind, "title",
			 in->title, "reference",
			 in->reference ? in->reference : "", "team",
			 in->team ? in->team : "", "scope",
			 in->scope ? in->scope : "", "from_on", in->from_on,
			 "to_on", in->to_on, "unit_id", (json_int_t)in->unit_id,
			 "village_ids", v, "links", l);
}

static char *search_text(struct arena *a, const struct inspection *in)
{
	char *s = arena_printf(a, "%s\n%s\n%s\n%s", in->title,
			       in->reference ? in->reference : "",
			       in->team ? in->team : "",
			       in->scope ? in->scope : "");
	return s ? text_fold(a, s) : NULL;
}

static enum err write_parts(struct db *db, struct arena *a,
			    const struct inspection *in, struct error *e)
{
	const char *id = num(a, in->id);
	enum err err = db_exec(
		db, a,
		"DELETE FROM inspection_villages WHERE inspection_id = $1",
		DB_PARAMS(id), NULL, e);
	if (!err)
		err = db_exec(db, a,
			      "DELETE FROM inspection_links WHERE "
			      "inspection_id = $1",
			      DB_PARAMS(id), NULL, e);
	for (int i = 0; !err && i < in->nvillages; i++)
		err = db_exec(db, a,
			      "INSERT INTO inspection_villages (inspection_id, "
			      "unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
			      DB_PARAMS(id, num(a, in->village_ids[i])), NULL,
			      e);
	for (int i = 0; !err && i < in->nlinks; i++) {
		const char *d, *ind;
		split_link(a, in->links[i], &d, &ind);
		err = db_exec(db, a,
			      "INSERT INTO inspection_links (inspection_id, "
			      "dimension, indicator) VALUES ($1, $2, $3) ON "
			      "CONFLICT DO NOTHING",
			      DB_PARAMS(id, d, ind), NULL, e);
	}
	return err;
}

enum err inspection_save(struct db *db, struct arena *a,
			 const struct actor *who, struct inspection *in,
			 struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	int before = fp->n;
	if (!inspection_validate(in, fp))
		return invalid(fp, e, "inspection");
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct inspection old = {0};
	json_t *bj = NULL, *aj = NULL;
	if (in->id) {
		err = inspection_get(db, a, in->id, &old, e);
		if (err)
			goto fail;
		in->commune_id = old.commune_id; /* an inspection stays put */
		if (strcmp(old.kind, in->kind))
			problem(fp, "kind", "the kind cannot change",
				"Không đổi được loại kiểm tra, giám sát đã "
				"ghi.");
	}
	const char *kind;
	if (in->commune_id <= 0) {
		problem(fp, "commune_id", "no commune",
			"Tài khoản của bạn không thuộc xã nào.");
	} else {
		if (in->unit_id > 0) {
			err = unit_kind(db, a, in->commune_id, in->unit_id,
					&kind, e);
			if (err)
				goto fail;
			if (!kind)
				problem(fp, "unit_id", "unknown unit",
					"Đơn vị được kiểm tra không thuộc "
					"xã.");
		}
		for (int i = 0; i < in->nvillages; i++) {
			err = unit_kind(db, a, in->commune_id,
					in->village_ids[i], &kind, e);
			if (err)
				goto fail;
			if (!kind || strcmp(kind, "village")) {
				problem(fp, "village_ids", "unknown village",
					"Thôn không thuộc xã.");
				break;
			}
		}
	}
	if (fp->n > before) {
		err = invalid(fp, e, "inspection");
		goto fail;
	}
	const char *now = clock_now_iso(a);
	const char *fold = search_text(a, in);
	if (!now || !fold) {
		err = oom(e, "inspection");
		goto fail;
	}
	if (in->id) {
		bj = inspection_json(&old);
		err = db_exec(
			db, a,
			"UPDATE inspections SET title = $2, reference = "
			"$3, team = $4, scope = $5, from_on = $6, to_on = "
			"$7, unit_id = $8, search_fold = $9, updated_at = "
			"$10 WHERE id = $1",
			DB_PARAMS(num(a, in->id), in->title,
				  in->reference ? in->reference : "",
				  in->team ? in->team : "",
				  in->scope ? in->scope : "", in->from_on,
				  in->to_on, id_or_null(a, in->unit_id), fold,
				  now),
			NULL, e);
	} else {
		err = returning_id(
			db, a,
			"INSERT INTO inspections (commune_id, kind, title, "
			"reference, team, scope, from_on, to_on, unit_id, "
			"search_fold, created_by, created_at, updated_at) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
			"$12, $12) RETURNING id",
			DB_PARAMS(num(a, in->commune_id), in->kind, in->title,
				  in->reference ? in->reference : "",
				  in->team ? in->team : "",
				  in->scope ? in->scope : "", in->from_on,
				  in->to_on, id_or_null(a, in->unit_id), fold,
				  id_or_null(a, who->user_id), now),
			&in->id, e);
	}
	if (!err)
		err = write_parts(db, a, in, e);
	if (!err) {
		aj = inspection_json(in);
		err = audit_actor(db, a, who,
				  bj ? "inspection.edit" : "inspection.create",
				  "inspection", in->id, bj, aj, e);
	}
	json_decref(bj);
	json_decref(aj);
	if (!err)
		err = db_commit(db, e);
	if (err)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

enum err inspection_get(struct db *db, struct arena *a, long long id,
			struct inspection *out, struct error *e)
{
	struct db_result *r, *v, *l;
	const char *sid = num(a, id);
	enum err err = db_exec(db, a,
			       "SELECT id, commune_id, kind, title, reference, "
			       "team, scope, from_on, to_on, unit_id FROM "
			       "inspections WHERE id = $1",
			       DB_PARAMS(sid), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "inspection %lld: not found",
				 id);
	err = db_exec(db, a,
		      "SELECT unit_id FROM inspection_villages WHERE "
		      "inspection_id = $1 ORDER BY unit_id",
		      DB_PARAMS(sid), &v, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT dimension, indicator FROM "
			      "inspection_links WHERE inspection_id = $1 ORDER "
			      "BY dimension, indicator",
			      DB_PARAMS(sid), &l, e);
	if (err)
		return err;
	memset(out, 0, sizeof *out);
	out->id = id;
	out->commune_id = db_get_int(r, 0, "commune_id", 0);
	out->kind = db_get(r, 0, "kind");
	out->title = db_get(r, 0, "title");
	out->reference = db_get(r, 0, "reference");
	out->team = db_get(r, 0, "team");
	out->scope = db_get(r, 0, "scope");
	out->from_on = db_get(r, 0, "from_on");
	out->to_on = db_get(r, 0, "to_on");
	out->unit_id = db_get_int(r, 0, "unit_id", 0);
	for (int i = 0; i < v->nrows && i < OVERSIGHT_MAX_VILLAGES; i++)
		out->village_ids[out->nvillages++] =
			db_get_int(v, i, "unit_id", 0);
	for (int i = 0; i < l->nrows && i < OVERSIGHT_MAX_LINKS; i++)
		out->links[out->nlinks++] =
			join_link(a, db_get(l, i, "dimension"),
				  db_get(l, i, "indicator"));
	return ERR_OK;
}

enum err finding_add(struct db *db, struct arena *a, const struct actor *who,
		     struct finding *f, struct field_problems *fp,
		     struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	if (!finding_validate(f, fp))
		return invalid(fp, e, "finding");
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	const char *iid = num(a, f->inspection_id);
	err = db_exec(db, a,
		      "SELECT COALESCE(MAX(ord), 0) + 1 AS n, (SELECT COUNT(*) "
		      "FROM inspections WHERE id = $1) AS there FROM findings "
		      "WHERE inspection_id = $1",
		      DB_PARAMS(iid), &r, e);
	if (err)
		goto fail;
	if (!db_get_int(r, 0, "there", 0)) {
		err = error_set(e, ERR_NOTFOUND, "inspection %lld: not found",
				f->inspection_id);
		goto fail;
	}
	const char *now = clock_now_iso(a);
	const char *fold = text_fold(a, f->text);
	if (!now || !fold) {
		err = oom(e, "finding");
		goto fail;
	}
	err = returning_id(db, a,
			   "INSERT INTO findings (inspection_id, ord, text, "
			   "text_fold, created_by, created_at) VALUES ($1, $2, "
			   "$3, $4, $5, $6) RETURNING id",
			   DB_PARAMS(iid, num(a, db_get_int(r, 0, "n", 1)),
				     f->text, fold, id_or_null(a, who->user_id),
				     now),
			   &f->id, e);
	json_t *links = json_array();
	for (int i = 0; !err && i < f->nlinks; i++) {
		const char *d, *ind;
		split_link(a, f->links[i], &d, &ind);
		json_array_append_new(links, json_string(f->links[i]));
		err = db_exec(db, a,
			      "INSERT INTO finding_links (finding_id, "
			      "dimension, indicator) VALUES ($1, $2, $3) ON "
			      "CONFLICT DO NOTHING",
			      DB_PARAMS(num(a, f->id), d, ind), NULL, e);
	}
	if (!err) {
		json_t *aj = json_pack("{s:I, s:s, s:O}", "inspection_id",
				       (json_int_t)f->inspection_id, "text",
				       f->text, "links", links);
		err = audit_actor(db, a, who, "finding.create", "finding",
				  f->id, NULL, aj, e);
		json_decref(aj);
	}
	json_decref(links);
	if (!err)
		err = db_commit(db, e);
	if (err)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

enum err oversight_plan_choices(struct db *db, struct arena *a,
				long long commune_id, json_t **out,
				struct error *e)
{
	long long *lin;
	int n;
	json_t *plans;
	enum err err = units_lineage(db, a, commune_id, &lin, &n, e);
	if (!err)
		err = plan_list(db, a, lin, n, &plans, e);
	if (err)
		return err;
	size_t i;
	json_t *p;
	json_array_foreach(plans, i, p)
	{
		const char *nt =
			json_string_value(json_object_get(p, "number_text"));
		const char *st =
			json_string_value(json_object_get(p, "status"));
		/* the year and number first: a phone cuts the long title */
		const char *label = arena_printf(
			a, "Năm %lld%s%s%s: %s",
			(long long)json_integer_value(
				json_object_get(p, "year")),
			nt && *nt ? ", số " : "", nt && *nt ? nt : "",
			st && !strcmp(st, "draft") ? " (dự thảo)" : "",
			json_string_value(json_object_get(p, "title")));
		json_object_set_new(p, "label",
				    json_string(label ? label : ""));
	}
	*out = plans;
	return ERR_OK;
}

enum err oversight_default_plan(struct db *db, struct arena *a,
				long long commune_id, int year,
				long long *plan_id, struct error *e)
{
	json_t *plans;
	*plan_id = 0;
	enum err err = oversight_plan_choices(db, a, commune_id, &plans, e);
	if (err)
		return err;
	/* in order of preference: the year's issued plan, the year's draft,
	 * the latest issued plan, the latest plan (newest first already) */
	long long pick[4] = {0};
	size_t i;
	json_t *p;
	json_array_foreach(plans, i, p)
	{
		const char *st =
			json_string_value(json_object_get(p, "status"));
		bool issued = st && !strcmp(st, "issued");
		bool same =
			json_integer_value(json_object_get(p, "year")) == year;
		long long id = json_integer_value(json_object_get(p, "id"));
		int k = same ? (issued ? 0 : 1) : (issued ? 2 : 3);
		if (!pick[k])
			pick[k] = id;
	}
	for (int k = 0; k < 4 && !*plan_id; k++)
		*plan_id = pick[k];
	json_decref(plans);
	return ERR_OK;
}

static enum err plan_in_lineage(struct db *db, struct arena *a,
				long long commune, long long plan_id, bool *ok,
				struct error *e)
{
	json_t *plans;
	*ok = false;
	enum err err = oversight_plan_choices(db, a, commune, &plans, e);
	if (err)
		return err;
	size_t i;
	json_t *p;
	json_array_foreach(plans, i, p)
	{
		if (json_integer_value(json_object_get(p, "id")) == plan_id)
			*ok = true;
	}
	json_decref(plans);
	return ERR_OK;
}

/* task_save's field names as the recommendation form names them. */
static const char *rec_field(const char *task_field)
{
	if (!strcmp(task_field, "lead_unit_id"))
		return "unit_id";
	if (!strcmp(task_field, "title"))
		return "text";
	if (!strcmp(task_field, "due_on") || !strcmp(task_field, "start_on"))
		return "due_on";
	if (!strcmp(task_field, "plan_id") || !strcmp(task_field, "links"))
		return "plan_id";
	return task_field;
}

enum err recommendation_add(struct db *db, struct arena *a,
			    const struct actor *who, struct recommendation *r,
			    struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	int before = fp->n;
	struct db_result *fr, *lr;
	const char *fid = num(a, r->finding_id);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = db_exec(db, a,
		      "SELECT f.id, f.inspection_id, f.text, i.commune_id, "
		      "i.from_on, i.kind, i.title, i.reference FROM findings f "
		      "JOIN inspections i ON i.id = f.inspection_id WHERE f.id "
		      "= $1",
		      DB_PARAMS(fid), &fr, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT dimension, indicator FROM finding_links "
			      "WHERE finding_id = $1 ORDER BY dimension, "
			      "indicator",
			      DB_PARAMS(fid), &lr, e);
	if (err)
		goto fail;
	if (!fr->nrows) {
		err = error_set(e, ERR_NOTFOUND, "finding %lld: not found",
				r->finding_id);
		goto fail;
	}
	r->inspection_id = db_get_int(fr, 0, "inspection_id", 0);
	long long commune = db_get_int(fr, 0, "commune_id", 0);
	if (!recommendation_validate(r, db_get(fr, 0, "from_on"), fp)) {
		err = invalid(fp, e, "recommendation");
		goto fail;
	}
	const char *kind;
	err = unit_kind(db, a, commune, r->unit_id, &kind, e);
	if (err)
		goto fail;
	if (!kind)
		problem(fp, "unit_id", "unknown unit",
			"Đơn vị phải khắc phục không thuộc xã.");
	if (r->plan_id == 0) {
		struct date due;
		date_parse_iso(r->due_on, &due);
		err = oversight_default_plan(db, a, commune, due.y, &r->plan_id,
					     e);
		if (err)
			goto fail;
		if (!r->plan_id)
			problem(fp, "plan_id", "the commune has no plan",
				"Xã chưa có kế hoạch nào để giao nhiệm vụ "
				"khắc phục: hãy soạn kế hoạch trước.");
	} else {
		bool ok;
		err = plan_in_lineage(db, a, commune, r->plan_id, &ok, e);
		if (err)
			goto fail;
		if (!ok)
			problem(fp, "plan_id", "the plan is not the commune's",
				"Kế hoạch được chọn không thuộc xã.");
	}
	if (fp->n > before) {
		err = invalid(fp, e, "recommendation");
		goto fail;
	}
	/* the remedial task */
	/* the task starts today, not before the inspection (a demo seeded
	 * under an earlier clock) nor after its due date */
	char start[11];
	struct date from, today = clock_today_vn();
	if (date_parse_iso(db_get(fr, 0, "from_on"), &from) &&
	    date_to_days(from) > date_to_days(today))
		today = from;
	rec_task_start(today, r->due_on, start);
	const char *ref = db_get(fr, 0, "reference");
	struct task t = {
		.plan_id = r->plan_id,
		.title = rec_task_title(a, r->text),
		.description = arena_printf(
			a,
			"Kiến nghị tại \"%s\" (%s%s%s):\n%s\n\nKết luận: "
			"%s\n\nTheo dõi tại trang /oversight/%lld.",
			db_get(fr, 0, "title"),
			oversight_kind_label_vi(db_get(fr, 0, "kind")),
			ref && *ref ? "; " : "", ref && *ref ? ref : "",
			r->text, db_get(fr, 0, "text"), r->inspection_id),
		.lead_unit_id = r->unit_id,
		.start_on = arena_strdup(a, start),
		.due_on = r->due_on,
		.recurrence = "none",
		.weight = 1,
		.status = "todo",
	};
	for (int i = 0; i < lr->nrows && i < TASK_MAX_LINKS; i++)
		t.links[t.nlinks++] = join_link(a, db_get(lr, i, "dimension"),
						db_get(lr, i, "indicator"));
	if (!t.title || !t.description) {
		err = oom(e, "recommendation");
		goto fail;
	}
	struct field_problems tfp = {0};
	err = task_save(db, a, who, &t, &tfp, e);
	if (err == ERR_INVALID) {
		for (int i = 0; i < tfp.n; i++)
			problem(fp, rec_field(tfp.list[i].field),
				tfp.list[i].msg_en, tfp.list[i].msg_vi);
		goto fail;
	}
	if (err)
		goto fail;
	r->task_id = t.id;
	const char *now = clock_now_iso(a);
	const char *fold = text_fold(a, r->text);
	if (!now || !fold) {
		err = oom(e, "recommendation");
		goto fail;
	}
	err = returning_id(
		db, a,
		"INSERT INTO recommendations (finding_id, inspection_id, text, "
		"text_fold, unit_id, due_on, task_id, created_by, created_at, "
		"updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
		"RETURNING id",
		DB_PARAMS(fid, num(a, r->inspection_id), r->text, fold,
			  num(a, r->unit_id), r->due_on, num(a, t.id),
			  id_or_null(a, who->user_id), now),
		&r->id, e);
	if (!err) {
		json_t *aj = json_pack(
			"{s:I, s:s, s:I, s:s, s:I, s:I}", "finding_id",
			(json_int_t)r->finding_id, "text", r->text, "unit_id",
			(json_int_t)r->unit_id, "due_on", r->due_on, "plan_id",
			(json_int_t)r->plan_id, "task_id", (json_int_t)t.id);
		err = audit_actor(db, a, who, "recommendation.create",
				  "recommendation", r->id, NULL, aj, e);
		json_decref(aj);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

/* A recommendation with what its checks need. */
static enum err rec_row(struct db *db, struct arena *a, long long id,
			struct db_result **r, struct error *e)
{
	enum err err = db_exec(
		db, a,
		"SELECT r.id, r.finding_id, r.inspection_id, r.text, "
		"r.unit_id, "
		"r.due_on, r.task_id, r.verified_on, r.verified_note, "
		"t.plan_id, t.status AS task_status, t.done_on AS "
		"task_done_on, "
		"t.progress AS task_progress, i.kind, i.commune_id FROM "
		"recommendations r JOIN tasks t ON t.id = r.task_id JOIN "
		"inspections i ON i.id = r.inspection_id WHERE r.id = $1",
		DB_PARAMS(num(a, id)), r, e);
	if (!err && !(*r)->nrows)
		err = error_set(e, ERR_NOTFOUND,
				"recommendation %lld: not found", id);
	return err;
}

enum err recommendation_get(struct db *db, struct arena *a, long long id,
			    struct recommendation *out, struct error *e)
{
	struct db_result *r;
	enum err err = rec_row(db, a, id, &r, e);
	if (err)
		return err;
	*out = (struct recommendation){
		.id = id,
		.finding_id = db_get_int(r, 0, "finding_id", 0),
		.inspection_id = db_get_int(r, 0, "inspection_id", 0),
		.text = db_get(r, 0, "text"),
		.unit_id = db_get_int(r, 0, "unit_id", 0),
		.due_on = db_get(r, 0, "due_on"),
		.plan_id = db_get_int(r, 0, "plan_id", 0),
		.task_id = db_get_int(r, 0, "task_id", 0),
	};
	return ERR_OK;
}

static enum err add_event(struct db *db, struct arena *a,
			  const struct actor *who, long long id,
			  const char *action, const char *on_date,
			  const char *note, struct error *e)
{
	return db_exec(db, a,
		       "INSERT INTO recommendation_events (recommendation_id, "
		       "action, on_date, note, user_id, at) VALUES ($1, $2, "
		       "$3, $4, $5, $6)",
		       DB_PARAMS(num(a, id), action, on_date, note ? note : "",
				 id_or_null(a, who->user_id), clock_now_iso(a)),
		       NULL, e);
}

enum err recommendation_verify(struct db *db, struct arena *a,
			       const struct actor *who, long long id,
			       const char *on_date, const char *note,
			       struct date today, struct field_problems *fp,
			       struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	if (!note)
		note = "";
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	err = rec_row(db, a, id, &r, e);
	if (err)
		goto fail;
	if (!rec_verify_check(
		    db_get(r, 0, "verified_on"), db_get(r, 0, "task_status"),
		    db_get(r, 0, "task_done_on"), on_date, today, note, fp)) {
		err = invalid(fp, e,
			      arena_printf(a, "recommendation %lld", id));
		goto fail;
	}
	err = db_exec(db, a,
		      "UPDATE recommendations SET verified_on = $2, "
		      "verified_note = $3, verified_by = $4, updated_at = $5 "
		      "WHERE id = $1",
		      DB_PARAMS(num(a, id), on_date, note,
				id_or_null(a, who->user_id), clock_now_iso(a)),
		      NULL, e);
	if (!err)
		err = add_event(db, a, who, id, "verify", on_date, note, e);
	if (!err) {
		json_t *aj = json_pack("{s:s, s:s}", "verified_on", on_date,
				       "note", note);
		err = audit_actor(db, a, who, "recommendation.verify",
				  "recommendation", id, NULL, aj, e);
		json_decref(aj);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

enum err recommendation_reopen(struct db *db, struct arena *a,
			       const struct actor *who, long long id,
			       const char *note, struct date today,
			       struct field_problems *fp, struct error *e)
{
	struct field_problems local = {0};
	if (!fp)
		fp = &local;
	if (!note)
		note = "";
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	err = rec_row(db, a, id, &r, e);
	if (err)
		goto fail;
	const char *was = db_get(r, 0, "verified_on");
	if (!rec_reopen_check(was, db_get(r, 0, "task_status"), note, fp)) {
		err = invalid(fp, e,
			      arena_printf(a, "recommendation %lld", id));
		goto fail;
	}
	char day[11];
	date_format_iso(today, day);
	long long uid;
	/* the task goes back to its unit: the fix starts again */
	struct field_problems tfp = {0};
	err = task_report(
		db, a, who, db_get_int(r, 0, "task_id", 0), "doing", 0,
		arena_printf(a, "Kiểm tra lại: chưa khắc phục xong. %s", note),
		NULL, NULL, 0, &uid, &tfp, e);
	if (err == ERR_INVALID)
		for (int i = 0; i < tfp.n; i++)
			problem(fp, "state", tfp.list[i].msg_en,
				tfp.list[i].msg_vi);
	if (!err)
		err = db_exec(db, a,
			      "UPDATE recommendations SET verified_on = NULL, "
			      "verified_note = NULL, verified_by = NULL, "
			      "updated_at = $2 WHERE id = $1",
			      DB_PARAMS(num(a, id), clock_now_iso(a)), NULL, e);
	if (!err)
		err = add_event(db, a, who, id, "reopen", day, note, e);
	if (!err) {
		json_t *bj = json_pack("{s:s?}", "verified_on", was);
		json_t *aj =
			json_pack("{s:n, s:s}", "verified_on", "note", note);
		err = audit_actor(db, a, who, "recommendation.reopen",
				  "recommendation", id, bj, aj, e);
		json_decref(bj);
		json_decref(aj);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(db);
	return err;
}

/* ---- lists ---- */

struct params {
	const char *v[PARAMS_MAX];
	int n;
};

static const char *param_ref(struct arena *a, struct params *p,
			     const char *value)
{
	if (p->n == PARAMS_MAX)
		return NULL;
	p->v[p->n++] = value;
	return arena_printf(a, "$%d", p->n);
}

/* '%fold%' with LIKE's own characters escaped. */
static const char *like_pattern(struct arena *a, const char *q)
{
	const char *f = text_fold(a, q);
	if (!f)
		return NULL;
	size_t n = strlen(f);
	char *s = arena_alloc(a, n * 2 + 3), *p = s;
	if (!s)
		return NULL;
	*p++ = '%';
	for (const char *c = f; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			*p++ = '\\';
		*p++ = *c;
	}
	*p++ = '%';
	*p = 0;
	return s;
}

static const char *state_sql(const char *state)
{
	if (!state)
		return NULL;
	if (!strcmp(state, "verified"))
		return "r.verified_on IS NOT NULL";
	if (!strcmp(state, "fixed"))
		return "r.verified_on IS NULL AND t.status = 'done'";
	if (!strcmp(state, "open"))
		return "r.verified_on IS NULL AND t.status <> 'done'";
	return NULL;
}

/* The WHERE clause of a list; recs: the recommendations list (aliases r,
 * t, f for the recommendation, its task and its finding). */
static char *where_sql(struct arena *a, const struct oversight_filter *f,
		       bool recs, struct params *p)
{
	char *ids = db_id_list(a, f->communes, f->ncommunes);
	char *w = ids ? arena_printf(a, "i.commune_id IN (%s)", ids) : NULL;
	const char *x;
#define AND(...)                                                               \
	do {                                                                   \
		if (w)                                                         \
			w = arena_printf(a, "%s AND " __VA_ARGS__);            \
	} while (0)
	if (f->kind && (x = param_ref(a, p, f->kind)))
		AND("i.kind = %s", w, x);
	if (f->unit_id > 0 && (x = param_ref(a, p, num(a, f->unit_id))))
		AND("%s = %s", w, recs ? "r.unit_id" : "i.unit_id", x);
	if (f->village_id > 0 && (x = param_ref(a, p, num(a, f->village_id))))
		AND("EXISTS (SELECT 1 FROM inspection_villages v WHERE "
		    "v.inspection_id = i.id AND v.unit_id = %s)",
		    w, x);
	if (f->dimension && (x = param_ref(a, p, f->dimension)))
		AND("(EXISTS (SELECT 1 FROM inspection_links l WHERE "
		    "l.inspection_id = i.id AND l.dimension = %s) OR EXISTS "
		    "(SELECT 1 FROM findings ff JOIN finding_links fl ON "
		    "fl.finding_id = ff.id WHERE ff.inspection_id = i.id%s AND "
		    "fl.dimension = %s))",
		    w, x, recs ? " AND ff.id = r.finding_id" : "", x);
	if (f->from && (x = param_ref(a, p, f->from)))
		AND("i.to_on >= %s", w, x);
	if (f->to && (x = param_ref(a, p, f->to)))
		AND("i.from_on <= %s", w, x);
	const char *st = state_sql(f->state);
	if (st) {
		if (recs)
			AND("%s", w, st);
		else
			AND("EXISTS (SELECT 1 FROM recommendations r JOIN "
			    "tasks t ON t.id = r.task_id WHERE r.inspection_id "
			    "= i.id AND %s)",
			    w, st);
	}
	const char *like = f->q && *f->q ? like_pattern(a, f->q) : NULL;
	if (like && (x = param_ref(a, p, like))) {
		if (recs)
			AND("(r.text_fold LIKE %s ESCAPE '\\' OR "
			    "f.text_fold LIKE %s ESCAPE '\\' OR i.search_fold "
			    "LIKE %s ESCAPE '\\')",
			    w, x, x, x);
		else
			AND("(i.search_fold LIKE %s ESCAPE '\\' OR EXISTS "
			    "(SELECT 1 FROM findings ff WHERE ff.inspection_id "
			    "= i.id AND ff.text_fold LIKE %s ESCAPE '\\') OR "
			    "EXISTS (SELECT 1 FROM recommendations rr WHERE "
			    "rr.inspection_id = i.id AND rr.text_fold LIKE %s "
			    "ESCAPE '\\'))",
			    w, x, x, x);
	}
#undef AND
	return w;
}

static enum err paged(struct db *db, struct arena *a, const char *from_where,
		      const char *select, const char *order,
		      const struct oversight_filter *f, struct params *p,
		      struct db_result **rows, long long *total, int *page,
		      int *pages, struct error *e)
{
	struct db_result *c;
	char *sql = arena_printf(a, "SELECT COUNT(*) AS n FROM %s", from_where);
	if (!sql)
		return oom(e, "oversight list");
	enum err err = db_exec(db, a, sql, p->v, p->n, &c, e);
	if (err)
		return err;
	*total = db_get_int(c, 0, "n", 0);
	int per = f->per_page;
	if (per > PER_PAGE_MAX)
		per = PER_PAGE_MAX;
	*page = f->page > 0 ? f->page : 1;
	*pages = per > 0 ? (int)((*total + per - 1) / per) : 1;
	if (*pages < 1)
		*pages = 1;
	if (*page > *pages)
		*page = *pages;
	sql = per > 0 ? arena_printf(a,
				     "SELECT %s FROM %s ORDER BY %s LIMIT "
				     "%d OFFSET %lld",
				     select, from_where, order, per,
				     (long long)(*page - 1) * per)
		      : arena_printf(a, "SELECT %s FROM %s ORDER BY %s", select,
				     from_where, order);
	if (!sql)
		return oom(e, "oversight list");
	return db_exec(db, a, sql, p->v, p->n, rows, e);
}

static json_t *page_json(json_t *rows, long long total, int page, int pages)
{
	return json_pack("{s:o, s:I, s:i, s:i}", "rows", rows, "total",
			 (json_int_t)total, "page", page, "pages", pages);
}

enum err inspection_list(struct db *db, struct arena *a,
			 const struct oversight_filter *f, json_t **out,
			 struct error *e)
{
	struct params p = {0};
	char *w = where_sql(a, f, false, &p);
	char *from = w ? arena_printf(a,
				      "inspections i LEFT JOIN units u ON u.id "
				      "= i.unit_id WHERE %s",
				      w)
		       : NULL;
	if (!from)
		return oom(e, "inspections");
	static const char select[] =
		"i.id, i.kind, i.title, i.reference, i.team, i.scope, "
		"i.from_on, i.to_on, i.unit_id, u.full_name AS unit_name, "
		"(SELECT COUNT(*) FROM findings ff WHERE ff.inspection_id = "
		"i.id) AS findings, (SELECT COUNT(*) FROM recommendations r "
		"WHERE r.inspection_id = i.id) AS recommendations, (SELECT "
		"COUNT(*) FROM recommendations r JOIN tasks t ON t.id = "
		"r.task_id WHERE r.inspection_id = i.id AND r.verified_on IS "
		"NULL AND t.status <> 'done') AS open, (SELECT COUNT(*) FROM "
		"recommendations r JOIN tasks t ON t.id = r.task_id WHERE "
		"r.inspection_id = i.id AND r.verified_on IS NULL AND t.status "
		"= 'done') AS fixed, (SELECT COUNT(*) FROM recommendations r "
		"WHERE r.inspection_id = i.id AND r.verified_on IS NOT NULL) "
		"AS "
		"verified";
	struct db_result *r;
	long long total;
	int page, pages;
	enum err err = paged(db, a, from, select, "i.from_on DESC, i.id DESC",
			     f, &p, &r, &total, &page, &pages, e);
	if (err)
		return err;
	json_t *rows = db_result_json(r);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_object_set_new(
			row, "kind_vi",
			json_string(oversight_kind_label_vi(json_string_value(
				json_object_get(row, "kind")))));
	}
	*out = page_json(rows, total, page, pages);
	return ERR_OK;
}

static void add_rec_state(json_t *row)
{
	enum rec_state s = rec_state_of(
		json_string_value(json_object_get(row, "verified_on")),
		json_string_value(json_object_get(row, "task_status")));
	json_object_set_new(row, "state", json_string(rec_state_key(s)));
	json_object_set_new(row, "state_vi",
			    json_string(rec_state_label_vi(s)));
	json_object_set_new(row, "task_status_vi",
			    json_string(task_status_label_vi(json_string_value(
				    json_object_get(row, "task_status")))));
}

enum err recommendation_list(struct db *db, struct arena *a,
			     const struct oversight_filter *f, json_t **out,
			     struct error *e)
{
	struct params p = {0};
	char *w = where_sql(a, f, true, &p);
	char *from =
		w ? arena_printf(
			    a,
			    "recommendations r JOIN inspections i ON i.id "
			    "= r.inspection_id JOIN findings f ON f.id = "
			    "r.finding_id JOIN tasks t ON t.id = r.task_id "
			    "JOIN units u ON u.id = r.unit_id WHERE %s",
			    w)
		  : NULL;
	if (!from)
		return oom(e, "recommendations");
	static const char select[] =
		"r.id, r.text, r.unit_id, u.full_name AS unit_name, r.due_on, "
		"r.verified_on, r.verified_note, r.task_id, t.plan_id, t.title "
		"AS task_title, t.status AS task_status, t.progress, "
		"t.done_on, "
		"t.due_on AS task_due_on, r.inspection_id, i.title AS "
		"inspection_title, i.kind, f.text AS finding";
	struct db_result *r;
	long long total;
	int page, pages;
	enum err err = paged(db, a, from, select, "t.due_on, r.id", f, &p, &r,
			     &total, &page, &pages, e);
	if (err)
		return err;
	json_t *rows = db_result_json(r);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		add_rec_state(row);
		json_object_set_new(
			row, "kind_vi",
			json_string(oversight_kind_label_vi(json_string_value(
				json_object_get(row, "kind")))));
	}
	*out = page_json(rows, total, page, pages);
	return ERR_OK;
}

static json_t *links_of(struct arena *a, struct db_result *l, const char *col,
			long long id)
{
	json_t *out = json_array();
	for (int i = 0; i < l->nrows; i++)
		if (db_get_int(l, i, col, 0) == id)
			json_array_append_new(
				out, json_string(join_link(
					     a, db_get(l, i, "dimension"),
					     db_get(l, i, "indicator"))));
	return out;
}

enum err inspection_detail(struct db *db, struct arena *a, long long id,
			   json_t **out, struct error *e)
{
	const char *sid = num(a, id);
	struct db_result *ir, *vr, *fr, *flr, *rr, *er;
	enum err err = db_exec(
		db, a,
		"SELECT i.id, i.commune_id, c.full_name AS commune_name, "
		"i.kind, i.title, i.reference, i.team, i.scope, i.from_on, "
		"i.to_on, i.unit_id, u.full_name AS unit_name, i.created_at, "
		"i.updated_at FROM inspections i JOIN units c ON c.id = "
		"i.commune_id LEFT JOIN units u ON u.id = i.unit_id WHERE i.id "
		"= $1",
		DB_PARAMS(sid), &ir, e);
	if (!err && !ir->nrows)
		return error_set(e, ERR_NOTFOUND, "inspection %lld: not found",
				 id);
	if (!err)
		err = db_exec(db, a,
			      "SELECT u.id, u.name, u.full_name FROM "
			      "inspection_villages v JOIN units u ON u.id = "
			      "v.unit_id WHERE v.inspection_id = $1 ORDER BY "
			      "u.name",
			      DB_PARAMS(sid), &vr, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT id, ord, text, created_at FROM findings "
			      "WHERE inspection_id = $1 ORDER BY ord",
			      DB_PARAMS(sid), &fr, e);
	if (!err)
		err = db_exec(
			db, a,
			"SELECT fl.finding_id, fl.dimension, fl.indicator "
			"FROM finding_links fl JOIN findings f ON f.id = "
			"fl.finding_id WHERE f.inspection_id = $1 ORDER "
			"BY fl.dimension, fl.indicator",
			DB_PARAMS(sid), &flr, e);
	if (!err)
		err = db_exec(
			db, a,
			"SELECT r.id, r.finding_id, r.text, r.unit_id, "
			"u.full_name AS unit_name, r.due_on, r.verified_on, "
			"r.verified_note, r.task_id, t.plan_id, t.title AS "
			"task_title, t.status AS task_status, t.progress, "
			"t.done_on, t.due_on AS task_due_on FROM "
			"recommendations r JOIN tasks t ON t.id = r.task_id "
			"JOIN units u ON u.id = r.unit_id WHERE "
			"r.inspection_id = $1 ORDER BY r.id",
			DB_PARAMS(sid), &rr, e);
	if (!err)
		err = db_exec(
			db, a,
			"SELECT ev.recommendation_id, ev.action, "
			"ev.on_date, ev.note, ev.at, us.full_name AS "
			"user_name FROM recommendation_events ev JOIN "
			"recommendations r ON r.id = "
			"ev.recommendation_id LEFT JOIN users us ON us.id "
			"= ev.user_id WHERE r.inspection_id = $1 ORDER BY "
			"ev.at, ev.id",
			DB_PARAMS(sid), &er, e);
	if (err)
		return err;
	struct db_result *lr;
	err = db_exec(db, a,
		      "SELECT inspection_id, dimension, indicator FROM "
		      "inspection_links WHERE inspection_id = $1 ORDER BY "
		      "dimension, indicator",
		      DB_PARAMS(sid), &lr, e);
	if (err)
		return err;
	json_t *ins = db_row_json(ir, 0);
	json_object_set_new(
		ins, "kind_vi",
		json_string(oversight_kind_label_vi(db_get(ir, 0, "kind"))));
	json_object_set_new(ins, "villages", db_result_json(vr));
	json_object_set_new(ins, "links", links_of(a, lr, "inspection_id", id));
	json_t *recs = db_result_json(rr);
	size_t k;
	json_t *rec;
	json_array_foreach(recs, k, rec)
	{
		add_rec_state(rec);
		long long rid = json_integer_value(json_object_get(rec, "id"));
		json_t *events = json_array();
		for (int i = 0; i < er->nrows; i++)
			if (db_get_int(er, i, "recommendation_id", 0) == rid) {
				json_t *ev = db_row_json(er, i);
				const char *act = db_get(er, i, "action");
				json_object_set_new(
					ev, "action_vi",
					json_string(
						!strcmp(act, "verify")
							? "Xác nhận đã "
							  "khắc phục"
							: "Mở lại, yêu cầu "
							  "khắc phục tiếp"));
				json_array_append_new(events, ev);
			}
		json_object_set_new(rec, "events", events);
	}
	json_t *findings = json_array();
	for (int i = 0; i < fr->nrows; i++) {
		json_t *f = db_row_json(fr, i);
		long long fid = db_get_int(fr, i, "id", 0);
		json_object_set_new(f, "links",
				    links_of(a, flr, "finding_id", fid));
		json_t *mine = json_array();
		json_array_foreach(recs, k, rec)
		{
			if (json_integer_value(
				    json_object_get(rec, "finding_id")) == fid)
				json_array_append(mine, rec);
		}
		json_object_set_new(f, "recommendations", mine);
		json_array_append_new(findings, f);
	}
	json_decref(recs);
	json_object_set_new(ins, "findings", findings);
	*out = ins;
	return ERR_OK;
}

enum err oversight_unit_summary(struct db *db, struct arena *a,
				const struct oversight_filter *f,
				const char *today, json_t **out,
				struct error *e)
{
	struct params p = {0};
	const char *tref = param_ref(a, &p, today);
	char *w = where_sql(a, f, true, &p);
	char *sql =
		w && tref
			? arena_printf(
				  a,
				  "SELECT r.unit_id, u.full_name AS unit_name, "
				  "SUM(CASE WHEN r.verified_on IS NULL AND "
				  "t.status <> 'done' THEN 1 ELSE 0 END) AS "
				  "open, SUM(CASE WHEN r.verified_on IS NULL "
				  "AND t.status <> 'done' AND t.due_on < %s "
				  "THEN 1 ELSE 0 END) AS overdue, SUM(CASE "
				  "WHEN r.verified_on IS NULL AND t.status = "
				  "'done' THEN 1 ELSE 0 END) AS fixed, "
				  "SUM(CASE WHEN r.verified_on IS NOT NULL "
				  "THEN 1 ELSE 0 END) AS verified FROM "
				  "recommendations r JOIN inspections i ON "
				  "i.id = r.inspection_id JOIN findings f ON "
				  "f.id = r.finding_id JOIN tasks t ON t.id = "
				  "r.task_id JOIN units u ON u.id = r.unit_id "
				  "WHERE %s GROUP BY r.unit_id, u.full_name "
				  "ORDER BY u.full_name",
				  tref, w)
			: NULL;
	if (!sql)
		return oom(e, "oversight summary");
	struct db_result *r;
	enum err err = db_exec(db, a, sql, p.v, p.n, &r, e);
	if (err)
		return err;
	*out = json_array();
	for (int i = 0; i < r->nrows; i++)
		json_array_append_new(
			*out,
			json_pack("{s:I, s:s, s:I, s:I, s:I, s:I}", "unit_id",
				  (json_int_t)db_get_int(r, i, "unit_id", 0),
				  "unit_name", db_get(r, i, "unit_name"),
				  "open",
				  (json_int_t)db_get_int(r, i, "open", 0),
				  "overdue",
				  (json_int_t)db_get_int(r, i, "overdue", 0),
				  "fixed",
				  (json_int_t)db_get_int(r, i, "fixed", 0),
				  "verified",
				  (json_int_t)db_get_int(r, i, "verified", 0)));
	return ERR_OK;
}

enum err oversight_finding_inspection(struct db *db, struct arena *a,
				      long long finding_id,
				      long long *inspection_id, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT inspection_id FROM findings WHERE id = "
			       "$1",
			       DB_PARAMS(num(a, finding_id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "finding %lld: not found",
				 finding_id);
	*inspection_id = db_get_int(r, 0, "inspection_id", 0);
	return ERR_OK;
}
