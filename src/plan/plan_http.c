/* The pages of plan/: the plans, one plan shown like the document it is
 * (with its targets against the index's results and its tasks as a tree),
 * the plan and task forms, a task with its history, and the progress
 * report a unit sends from a phone (multipart, with evidence files).
 *
 * Who may do what: the route table lets the office (plan_can_manage) at
 * the forms; every page also checks that the plan belongs to a commune
 * the user sees (plan_can_see), and a report that the user may update the
 * task (plan_can_update_task). Each page has its /api twin. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan.h"
#include "plan_db.h"
#include "urgency.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../cli.h"
#include "../files/attachment.h"
#include "../base/banned.h"

#define T_PLANS "plan/plans"
#define T_PLAN "plan/plan"
#define T_PLAN_FORM "plan/plan_form"
#define T_TASK "plan/task"
#define T_TASK_FORM "plan/task_form"

enum { FORM_TARGET_ROWS = 3 };

static struct actor actor_of(const struct request *req)
{
	return (struct actor){req->user ? req->user->id : 0,
			      req->user ? req->user->username : "",
			      req->remote_addr ? req->remote_addr : ""};
}

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}

static const char *trimmed(struct request *req, const char *name)
{
	const char *v = text_trim(req->arena, param(req, name));
	return v ? v : "";
}

/* A whole number from a field: *ok false when present and not one. */
static long long int_param(struct request *req, const char *name,
			   long long dflt, bool *ok)
{
	const char *v = trimmed(req, name);
	if (!*v)
		return dflt;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end || end == v) {
		*ok = false;
		return dflt;
	}
	return n;
}

/* "5,5" or "5.5"; NaN when empty or not a number. */
static double num_param(struct request *req, const char *name)
{
	const char *v = trimmed(req, name);
	if (!*v)
		return NAN;
	char buf[64];
	size_t n = strlen(v);
	if (n >= sizeof buf)
		return NAN;
	memcpy(buf, v, n + 1);
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
	char *end;
	double d = strtod(buf, &end);
	return *end || end == buf ? NAN : d;
}

/* A date field as YYYY-MM-DD; the text as typed when it is no date (the
 * check then says so), NULL when empty. */
static const char *date_param(struct request *req, const char *name)
{
	const char *v = trimmed(req, name);
	struct date d;
	if (!*v)
		return NULL;
	if (!text_parse_date(v, &d))
		return v;
	char buf[11];
	date_format_iso(d, buf);
	return arena_strdup(req->arena, buf);
}

/* dd/mm/yyyy for a form's value; anything else as it is. */
static const char *date_value(struct request *req, const char *iso)
{
	struct date d;
	if (!iso)
		return "";
	if (!date_parse_iso(iso, &d))
		return iso;
	const char *s = text_format_date(req->arena, iso);
	return s ? s : iso;
}

static json_t *errors_json(const struct field_problems *fp)
{
	json_t *o = json_object();
	for (int i = 0; i < fp->n; i++)
		if (!json_object_get(o, fp->list[i].field))
			json_object_set_new(o, fp->list[i].field,
					    json_string(fp->list[i].msg_vi));
	return o;
}

static enum err forbidden(struct request *req, struct response *res,
			  const char *msg_vi)
{
	return res_error(req, res, 403, msg_vi);
}

static enum err fail(struct request *req, struct response *res, enum err err,
		     const struct error *e)
{
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409, NULL);
	return res_fail(req, res, err, e);
}

static const char msg_not_yours[] =
	"Kế hoạch này thuộc xã khác: bạn không xem được.";

/* The plan of route argument 0, which the user must see. *status: 0 ok,
 * else the response was made. */
static enum err load_plan(struct request *req, struct response *res,
			  struct plan *p, bool *done)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	*done = true;
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = plan_get(req->db, req->arena, id, p, &e);
	if (err)
		return fail(req, res, err, &e);
	if (!plan_can_see(req, p->unit_id))
		return forbidden(req, res, msg_not_yours);
	*done = false;
	return ERR_OK;
}

static enum err load_task(struct request *req, struct response *res,
			  struct task *t, struct plan *p, bool *done)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	*done = true;
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = task_get(req->db, req->arena, id, t, &e);
	if (!err)
		err = plan_get(req->db, req->arena, t->plan_id, p, &e);
	if (err)
		return fail(req, res, err, &e);
	if (!plan_can_see(req, p->unit_id))
		return forbidden(req, res, msg_not_yours);
	*done = false;
	return ERR_OK;
}

/* Today's urgency rules (views' urgency.h): the calendar from the
 * database. */
static enum err urgency_now(struct request *req, struct urgency *u,
			    struct error *e)
{
	struct calendar cal;
	calendar_init(&cal);
	enum err err = calendar_db_load(req->db, req->arena, &cal, e);
	if (!err)
		urgency_init(u, &cal, clock_today_vn());
	calendar_release(&cal);
	return err;
}

static void add_state(const struct urgency *u, json_t *row)
{
	enum task_state s = urgency_state(
		u, json_string_value(json_object_get(row, "status")),
		json_string_value(json_object_get(row, "start_on")),
		json_string_value(json_object_get(row, "due_on")),
		json_string_value(json_object_get(row, "done_on")));
	json_object_set_new(row, "state", json_string(task_state_key(s)));
	json_object_set_new(row, "state_vi",
			    json_string(task_state_label_vi(s)));
	json_object_set_new(row, "state_class",
			    json_string(task_state_class(s)));
}

/* ---- the list of plans ---- */

static enum err get_plans(struct request *req, struct response *res)
{
	long long *ids;
	int n;
	json_t *plans;
	struct error e = {0};
	enum err err = plan_user_communes(req, &ids, &n, &e);
	if (!err)
		err = plan_list(req->db, req->arena, ids, n, &plans, &e);
	if (err)
		return fail(req, res, err, &e);
	return res_page(req, res, 200, T_PLANS, "Kế hoạch",
			json_pack("{s:o, s:b}", "plans", plans, "can_manage",
				  plan_can_manage(req)));
}

/* ---- one plan, as the document ---- */

/* Lines of a text, blank ones left out: [{"text": line}]. */
static json_t *lines_json(struct request *req, const char *s)
{
	json_t *out = json_array();
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *line =
			text_trim(req->arena, arena_strndup(req->arena, s, n));
		if (line && *line)
			json_array_append_new(out,
					      json_pack("{s:s}", "text", line));
		s = nl ? nl + 1 : NULL;
	}
	return out;
}

static json_t *document_json(struct request *req, const struct plan *p,
			     const char *unit_full_name)
{
	struct arena *a = req->arena;
	json_t *sections = json_array();
	for (int i = 0; i < p->nsections; i++)
		json_array_append_new(
			sections,
			json_pack("{s:s, s:o}", "heading",
				  p->sections[i].heading, "paragraphs",
				  lines_json(req, p->sections[i].body)));
	/* a draft leaves room for the number and the day, as on paper;
	 * no-break spaces, so the page keeps them */
	static const char blanks[] = "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
				     "\xc2\xa0 ";
	const char *number =
		p->number > 0
			? arena_printf(a, "Số: %s", plan_number_text(a, p))
			: arena_printf(a, "Số:%s/%s", blanks, p->symbol);
	const char *dated =
		p->issued_on ? plan_place_date_text(a, p->place, p->issued_on)
			     : arena_printf(a, "%s, ngày%stháng%snăm %d",
					    p->place, blanks, blanks, p->year);
	const char *mode = p->sign_mode ? p->sign_mode : "";
	const char *sign1 = !strcmp(mode, "TM.")   ? "TM. ỦY BAN NHÂN DÂN"
			    : !strcmp(mode, "KT.") ? "KT. CHỦ TỊCH"
						   : "";
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o}",
		"body", "ỦY BAN NHÂN DÂN", "unit",
		plan_upper(a, unit_full_name) ? plan_upper(a, unit_full_name)
					      : "",
		"number", number ? number : "", "dated", dated ? dated : "",
		"title", p->title, "bases", lines_json(req, p->bases),
		"sections", sections, "sign1", sign1, "sign2",
		plan_upper(a, p->signer_title) ? plan_upper(a, p->signer_title)
					       : "",
		"signer", p->signer_name ? p->signer_name : "", "recipients",
		lines_json(req, p->recipients));
}

static enum err unit_name(struct request *req, long long id, const char **name,
			  const char **full_name, struct error *e)
{
	struct db_result *r;
	enum err err = plandb_units_named(req->db, req->arena, &id, 1, &r, e);
	*name = *full_name = "";
	if (!err && r->nrows) {
		*name = db_get(r, 0, "name");
		*full_name = db_get(r, 0, "full_name");
	}
	return err;
}

static json_t *link_labels(struct request *req, int year, const char **links,
			   int n);

static enum err get_plan(struct request *req, struct response *res)
{
	struct plan p;
	bool done;
	enum err err = load_plan(req, res, &p, &done);
	if (done)
		return err;
	struct error e = {0};
	const char *uname, *ufull;
	json_t *tasks = NULL, *targets = NULL;
	struct urgency u;
	err = unit_name(req, p.unit_id, &uname, &ufull, &e);
	if (!err)
		err = plan_tasks(req->db, req->arena, p.id, &tasks, &e);
	if (!err)
		err = plan_targets_actual(req->db, req->arena, &p, &targets,
					  &e);
	if (!err)
		err = urgency_now(req, &u, &e);
	if (err) {
		json_decref(tasks);
		json_decref(targets);
		return fail(req, res, err, &e);
	}
	int counts[TASK_NSTATES] = {0}, leaves = 0, top = 0;
	size_t i;
	json_t *t;
	json_array_foreach(tasks, i, t)
	{
		add_state(&u, t);
		json_object_set_new(
			t, "indent",
			json_integer(
				json_integer_value(
					json_object_get(t, "depth")) > 4
					? 4
					: json_integer_value(json_object_get(
						  t, "depth"))));
		top += json_integer_value(json_object_get(t, "depth")) == 0;
		if (json_integer_value(json_object_get(t, "children")) == 0) {
			enum task_state s;
			leaves++;
			if (task_state_from_key(
				    json_string_value(
					    json_object_get(t, "state")),
				    &s))
				counts[s]++;
		}
	}
	json_t *plan = plan_json(req->arena, &p);
	json_object_set_new(plan, "unit_name", json_string(uname));
	json_object_set_new(plan, "unit_full_name", json_string(ufull));
	json_object_set_new(plan, "draft",
			    json_boolean(!strcmp(p.status, "draft")));
	bool manage = plan_can_manage(req);
	char today[11];
	date_format_iso(clock_today_vn(), today);
	json_t *ctx = json_pack(
		"{s:o, s:o, s:o, s:o, s:b, s:b, s:i, s:i, s:i, s:i, s:i, s:s}",
		"plan", plan, "doc", document_json(req, &p, ufull), "targets",
		targets, "tasks", tasks, "can_manage", manage, "can_issue",
		manage && !strcmp(p.status, "draft"), "top_tasks", top,
		"leaf_tasks", leaves, "overdue", counts[TASK_OVERDUE],
		"due_soon", counts[TASK_DUE_SOON], "done",
		counts[TASK_DONE_ON_TIME] + counts[TASK_DONE_LATE], "today",
		date_value(req, today));
	return res_page(req, res, 200, T_PLAN, p.title, ctx);
}

/* ---- the plan form ---- */

static const char *const measure_keys[] = {"d1", "d2", "d3", "d4",   "d5",
					   "d6", "d7", "d8", "total"};

static json_t *options(const char *const (*list)[2], int n,
		       const char *selected)
{
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			out,
			json_pack("{s:s, s:s, s:b}", "key", list[i][0], "label",
				  list[i][1], "selected",
				  selected && !strcmp(selected, list[i][0])));
	return out;
}

static json_t *target_row(int k, const struct plan_target *t, struct arena *a)
{
	static const char *const kinds[][2] = {
		{"tier", "Bậc"}, {"rank", "Thứ hạng"}, {"score", "Điểm"}};
	static const char *const goals[][2] = {{"keep", "Giữ vững"},
					       {"reach", "Đạt"}};
	json_t *measures = json_array();
	json_array_append_new(measures,
			      json_pack("{s:s, s:s, s:b}", "key", "", "label",
					"— Không —", "selected", !t->measure));
	for (int i = 0; i < 9; i++)
		json_array_append_new(
			measures,
			json_pack("{s:s, s:s, s:b}", "key", measure_keys[i],
				  "label",
				  plan_measure_label_vi(measure_keys[i]),
				  "selected",
				  t->measure && !strcmp(t->measure,
							measure_keys[i])));
	const char *value = "";
	if (isfinite(t->value))
		value = text_format_number(a, t->value,
					   t->value == floor(t->value) ? 0 : 2);
	return json_pack("{s:i, s:o, s:o, s:o, s:s, s:s}", "k", k, "measures",
			 measures, "kinds", options(kinds, 3, t->kind), "goals",
			 options(goals, 2, t->goal), "value",
			 value ? value : "", "note", t->note ? t->note : "");
}

/* The communes the user may write plans for: [{id, label, selected}]. */
static enum err commune_options(struct request *req, long long selected,
				json_t **out, struct error *e)
{
	long long *ids;
	int n;
	struct db_result *r;
	enum err err = plan_user_communes(req, &ids, &n, e);
	if (!err)
		err = plandb_units_named(req->db, req->arena, ids, n, &r, e);
	if (err)
		return err;
	*out = json_array();
	for (int i = 0; i < r->nrows; i++) {
		const char *vt = db_get(r, i, "valid_to");
		json_array_append_new(
			*out,
			json_pack("{s:I, s:s, s:b}", "id",
				  (json_int_t)db_get_int(r, i, "id", 0),
				  "label",
				  vt ? arena_printf(
					       req->arena, "%s (đến %s)",
					       db_get(r, i, "full_name"),
					       text_format_date(req->arena, vt))
				     : db_get(r, i, "full_name"),
				  "selected",
				  db_get_int(r, i, "id", 0) == selected));
	}
	return ERR_OK;
}

/* The form's context from p; extra: blank section pairs to add. */
static enum err plan_form_ctx(struct request *req, const struct plan *p,
			      int extra, json_t **ctx, struct error *e)
{
	json_t *communes;
	enum err err = commune_options(req, p->unit_id, &communes, e);
	if (err)
		return err;
	json_t *sections = json_array(), *targets = json_array();
	int k = 0;
	for (int i = 0; i < p->nsections; i++, k++)
		json_array_append_new(
			sections,
			json_pack("{s:i, s:s, s:s}", "k", k + 1, "heading",
				  p->sections[i].heading
					  ? p->sections[i].heading
					  : "",
				  "body",
				  p->sections[i].body ? p->sections[i].body
						      : ""));
	for (int i = 0; i < extra && k < PLAN_MAX_SECTIONS; i++, k++)
		json_array_append_new(sections,
				      json_pack("{s:i, s:s, s:s}", "k", k + 1,
						"heading", "", "body", ""));
	int t = 0;
	for (; t < p->ntargets; t++)
		json_array_append_new(
			targets, target_row(t + 1, &p->targets[t], req->arena));
	for (int i = 0; i < FORM_TARGET_ROWS && t < PLAN_MAX_TARGETS; i++, t++)
		json_array_append_new(
			targets,
			target_row(t + 1,
				   &(struct plan_target){NULL, "tier", "keep",
							 NAN, ""},
				   req->arena));
	static const char *const modes[][2] = {{"TM.", "TM. (thay mặt)"},
					       {"KT.", "KT. (ký thay)"},
					       {"", "Không ghi"}};
	json_t *values = json_pack(
		"{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "year",
		p->year, "symbol", p->symbol ? p->symbol : "KH-UBND", "place",
		p->place ? p->place : "", "title", p->title ? p->title : "",
		"bases", p->bases ? p->bases : "", "recipients",
		p->recipients ? p->recipients : "", "signer_title",
		p->signer_title ? p->signer_title : "", "signer_name",
		p->signer_name ? p->signer_name : "", "baseline_year",
		p->baseline_year
			? arena_printf(req->arena, "%d", p->baseline_year)
			: "",
		"criterion_min_tasks",
		p->criterion_min_tasks ? p->criterion_min_tasks : 5);
	*ctx = json_pack(
		"{s:I, s:b, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:s}", "id",
		(json_int_t)p->id, "editing", p->id > 0, "communes", communes,
		"sections", sections, "targets", targets, "modes",
		options(modes, 3, p->sign_mode ? p->sign_mode : "TM."),
		"values", values, "nsections", k, "ntargets", t, "action",
		p->id ? arena_printf(req->arena, "/plan/%lld/edit", p->id)
		      : "/plan/new");
	return *ctx ? ERR_OK : error_set(e, ERR_NOMEM, "out of memory");
}

/* Reads the form into p (text in the arena); skip: a section to leave
 * out (the "remove" button), 0 for none. */
static void plan_from_form(struct request *req, struct plan *p, int skip,
			   struct field_problems *fp)
{
	bool ok = true;
	p->unit_id = int_param(req, "unit_id", 0, &ok);
	if (!ok || p->unit_id <= 0)
		p->unit_id = 0;
	ok = true;
	p->year = (int)int_param(req, "year", 0, &ok);
	if (!ok)
		p->year = -1;
	p->symbol = trimmed(req, "symbol");
	p->place = trimmed(req, "place");
	p->title = trimmed(req, "title");
	p->bases = param(req, "bases");
	p->recipients = param(req, "recipients");
	p->sign_mode = trimmed(req, "sign_mode");
	p->signer_title = trimmed(req, "signer_title");
	p->signer_name = trimmed(req, "signer_name");
	ok = true;
	p->baseline_year = (int)int_param(req, "baseline_year", 0, &ok);
	if (!ok)
		p->baseline_year = -1;
	ok = true;
	p->criterion_min_tasks =
		(int)int_param(req, "criterion_min_tasks", 5, &ok);
	if (!ok)
		p->criterion_min_tasks = -1;
	p->sections = arena_alloc(req->arena,
				  sizeof *p->sections * PLAN_MAX_SECTIONS);
	p->targets =
		arena_alloc(req->arena, sizeof *p->targets * PLAN_MAX_TARGETS);
	p->nsections = p->ntargets = 0;
	if (!p->sections || !p->targets)
		return;
	/* numbered pairs; a pair left blank is no section */
	for (int k = 1; k <= PLAN_MAX_SECTIONS + 20; k++) {
		char hn[32], bn[32];
		snprintf(hn, sizeof hn, "heading_%d", k);
		snprintf(bn, sizeof bn, "body_%d", k);
		const char *h = trimmed(req, hn), *b = param(req, bn);
		const char *bt = text_trim(req->arena, b);
		if (k == skip || (!*h && (!bt || !*bt)))
			continue;
		if (p->nsections == PLAN_MAX_SECTIONS) {
			p->nsections++; /* plan_validate says: too many */
			break;
		}
		p->sections[p->nsections++] = (struct plan_section){h, b};
	}
	if (p->nsections > PLAN_MAX_SECTIONS) {
		p->nsections = PLAN_MAX_SECTIONS;
		if (fp->n < 32)
			fp->list[fp->n++] = (struct field_problem){
				"sections", "too many sections",
				"Kế hoạch có quá nhiều mục (tối đa 40)."};
	}
	for (int k = 1; k <= PLAN_MAX_TARGETS; k++) {
		char m[32], kd[32], g[32], v[32], nt[32];
		snprintf(m, sizeof m, "target_measure_%d", k);
		snprintf(kd, sizeof kd, "target_kind_%d", k);
		snprintf(g, sizeof g, "target_goal_%d", k);
		snprintf(v, sizeof v, "target_value_%d", k);
		snprintf(nt, sizeof nt, "target_note_%d", k);
		const char *measure = trimmed(req, m);
		if (!*measure)
			continue;
		const char *goal = trimmed(req, g);
		double value = num_param(req, v);
		if (!strcmp(goal, "keep"))
			value = NAN;
		else if (!isfinite(value))
			value = -1; /* reach without a value: out of range */
		p->targets[p->ntargets++] =
			(struct plan_target){measure, trimmed(req, kd), goal,
					     value, trimmed(req, nt)};
	}
}

static enum err plan_form_page(struct request *req, struct response *res,
			       const struct plan *p, int extra,
			       const struct field_problems *fp)
{
	json_t *ctx;
	struct error e = {0};
	enum err err = plan_form_ctx(req, p, extra, &ctx, &e);
	if (err)
		return fail(req, res, err, &e);
	const char *title = p->id ? "Sửa kế hoạch" : "Soạn kế hoạch";
	if (fp && fp->n) {
		/* the form shows p's values, not the raw fields */
		return res_invalid(req, res, T_PLAN_FORM, title, ctx,
				   errors_json(fp));
	}
	return res_page(req, res, 200, T_PLAN_FORM, title, ctx);
}

/* The commune of the user's first role, for a new plan's default. */
static long long home_commune(struct request *req)
{
	long long c = 0;
	struct error e = {0};
	if (req->user && req->user->home_unit_id)
		plan_commune_of(req->db, req->arena, req->user->home_unit_id,
				&c, &e);
	return c;
}

/* "Xã Tiên Tiến" inside a sentence: "xã Tiên Tiến". */
static const char *in_sentence(struct arena *a, const char *full_name)
{
	static const char *const types[][2] = {{"Xã ", "xã "},
					       {"Phường ", "phường "},
					       {"Thị trấn ", "thị trấn "}};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (!strncmp(full_name, types[i][0], strlen(types[i][0])))
			return arena_printf(a, "%s%s", types[i][1],
					    full_name + strlen(types[i][0]));
	return full_name;
}

static enum err get_plan_new(struct request *req, struct response *res)
{
	int year = clock_today_vn().y;
	long long unit = home_commune(req);
	const char *uname = "", *ufull = "";
	struct error e = {0};
	if (unit)
		unit_name(req, unit, &uname, &ufull, &e);
	struct plan p = {
		.unit_id = unit,
		.year = year,
		.symbol = "KH-UBND",
		.place = uname,
		.title = arena_printf(req->arena,
				      "Nâng cao Chỉ số Hiệu quả quản trị và "
				      "hành chính công (PAPI) %s năm %d",
				      in_sentence(req->arena, ufull), year),
		.sign_mode = "TM.",
		.signer_title = "Chủ tịch",
		.baseline_year = year - 1,
		.criterion_min_tasks = 5,
		.recipients = "- UBND tỉnh;\n- Chủ tịch, Phó Chủ tịch UBND "
			      "xã;\n- Ủy ban MTTQ xã;\n- Các ban, ngành, đoàn "
			      "thể;\n- Lưu: VP.",
		.sections =
			(struct plan_section[]){{"I. MỤC ĐÍCH, YÊU CẦU", ""},
						{"II. NỘI DUNG", ""},
						{"III. TỔ CHỨC THỰC HIỆN", ""}},
		.nsections = 3,
		.targets = (struct plan_target[]){{"total", "tier", "keep", NAN,
						   ""}},
		.ntargets = 1,
	};
	return plan_form_page(req, res, &p, 0, NULL);
}

/* The form posted: add or remove a section (the page again, nothing
 * saved), or save. */
static enum err post_plan_form(struct request *req, struct response *res,
			       long long id)
{
	struct plan p = {.id = id};
	struct field_problems fp = {0};
	bool ok = true;
	int remove = (int)int_param(req, "remove_section", 0, &ok);
	plan_from_form(req, &p, remove, &fp);
	if (remove > 0 || *param(req, "add_section"))
		return plan_form_page(req, res, &p,
				      *param(req, "add_section") ? 1 : 0, NULL);
	if (p.unit_id && !plan_can_see(req, p.unit_id))
		p.unit_id = -1;
	if (p.unit_id <= 0 && fp.n < 32)
		fp.list[fp.n++] = (struct field_problem){
			"unit_id", "no commune",
			"Vui lòng chọn xã ban hành kế hoạch."};
	struct actor who = actor_of(req);
	struct error e = {0};
	enum err err = fp.n ? ERR_INVALID
			    : plan_save(req->db, req->arena, &who, &p, &fp, &e);
	if (err == ERR_INVALID) {
		if (p.unit_id < 0)
			p.unit_id = 0;
		return plan_form_page(req, res, &p, 0, &fp);
	}
	if (err)
		return fail(req, res, err, &e);
	return res_done(req, res, arena_printf(req->arena, "/plan/%lld", p.id),
			id ? "Đã lưu kế hoạch." : "Đã tạo dự thảo kế hoạch.",
			json_pack("{s:I, s:s}", "id", (json_int_t)p.id,
				  "status", p.status ? p.status : "draft"));
}

static enum err post_plan_new(struct request *req, struct response *res)
{
	return post_plan_form(req, res, 0);
}

static enum err get_plan_edit(struct request *req, struct response *res)
{
	struct plan p;
	bool done;
	enum err err = load_plan(req, res, &p, &done);
	if (done)
		return err;
	return plan_form_page(req, res, &p, 0, NULL);
}

static enum err post_plan_edit(struct request *req, struct response *res)
{
	struct plan p;
	bool done;
	enum err err = load_plan(req, res, &p, &done);
	if (done)
		return err;
	return post_plan_form(req, res, p.id);
}

static enum err post_plan_issue(struct request *req, struct response *res)
{
	struct plan p;
	bool done;
	enum err err = load_plan(req, res, &p, &done);
	if (done)
		return err;
	bool ok = true;
	long long number = int_param(req, "number", 0, &ok);
	const char *day = date_param(req, "issued_on");
	struct date d;
	if (!ok || number < 0 || number > 99999)
		return res_error(req, res, 422,
				 "Số văn bản phải là số nguyên dương.");
	if (day && !date_parse_iso(day, &d))
		return res_error(req, res, 422,
				 "Ngày ban hành không hợp lệ (dd/mm/yyyy).");
	struct actor who = actor_of(req);
	struct error e = {0};
	err = plan_issue_number(req->db, req->arena, &who, p.id, day,
				(int)number, &e);
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409,
				 !strcmp(p.status, "draft")
					 ? "Số văn bản này đã dùng cho kế "
					   "hoạch khác cùng năm."
					 : "Kế hoạch đã ban hành, giữ nguyên "
					   "số văn bản.");
	if (err == ERR_INVALID)
		return res_error(req, res, 422,
				 "Ngày ban hành phải trong năm của kế hoạch "
				 "(hoặc năm trước, năm sau).");
	if (err)
		return fail(req, res, err, &e);
	err = plan_get(req->db, req->arena, p.id, &p, &e);
	if (err)
		return fail(req, res, err, &e);
	const char *nt = plan_number_text(req->arena, &p);
	return res_done(
		req, res, arena_printf(req->arena, "/plan/%lld", p.id),
		arena_printf(req->arena, "Đã ban hành kế hoạch số %s.", nt),
		json_pack("{s:I, s:i, s:s, s:s}", "id", (json_int_t)p.id,
			  "number", p.number, "number_text", nt, "issued_on",
			  p.issued_on));
}

/* ---- tasks ---- */

static const char *unit_label(struct request *req, json_t *u)
{
	const char *kind = json_string_value(json_object_get(u, "kind"));
	const char *name = json_string_value(json_object_get(u, "full_name"));
	const char *vt = json_string_value(json_object_get(u, "valid_to"));
	const char *label = name;
	if (kind && !strcmp(kind, "commune"))
		label = arena_printf(req->arena, "%s (cả xã)", name);
	if (vt)
		label = arena_printf(req->arena, "%s – đến %s", label,
				     text_format_date(req->arena, vt));
	return label ? label : "";
}

static bool has_id(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static bool has_link(const struct task *t, const char *key)
{
	for (int i = 0; i < t->nlinks; i++)
		if (!strcmp(t->links[i], key))
			return true;
	return false;
}

/* Link keys with their names: [{key, dimension, indicator, label}]. */
static json_t *link_labels(struct request *req, int year, const char **links,
			   int n)
{
	json_t *choices = NULL, *out = json_array();
	struct error e = {0};
	if (plan_link_choices(req->db, req->arena, year, &choices, &e))
		return out;
	for (int i = 0; i < n; i++) {
		const char *l = links[i];
		const char *label = l;
		size_t k;
		json_t *d;
		json_array_foreach(choices, k, d)
		{
			const char *code =
				json_string_value(json_object_get(d, "code"));
			if (strncmp(l, code, 2))
				continue;
			if (!l[2]) {
				label = arena_printf(
					req->arena, "%s. %s", code,
					json_string_value(
						json_object_get(d, "name_vi")));
				break;
			}
			size_t q;
			json_t *ind;
			json_array_foreach(json_object_get(d, "indicators"), q, ind) if (
				!strcmp(json_string_value(
						json_object_get(ind, "key")),
					l)) label =
				arena_printf(req->arena, "%s %s",
					     json_string_value(json_object_get(
						     ind, "code")),
					     json_string_value(json_object_get(
						     ind, "name_vi")));
			if (label == l)
				label = arena_printf(req->arena, "%s %s", code,
						     l + 3);
			break;
		}
		json_array_append_new(out,
				      json_pack("{s:s, s:s}", "key", l, "label",
						label ? label : l));
	}
	json_decref(choices);
	return out;
}

static enum err task_form_ctx(struct request *req, const struct plan *p,
			      const struct task *t, json_t **ctx,
			      struct error *e)
{
	json_t *units = NULL, *users = NULL, *tasks = NULL, *links = NULL;
	enum err err =
		plan_unit_choices(req->db, req->arena, p->unit_id, &units, e);
	if (!err)
		err = plan_user_choices(req->db, req->arena, p->unit_id, &users,
					e);
	if (!err)
		err = plan_tasks(req->db, req->arena, p->id, &tasks, e);
	if (!err)
		err = plan_link_choices(req->db, req->arena, p->year, &links,
					e);
	if (err) {
		json_decref(units);
		json_decref(users);
		json_decref(tasks);
		json_decref(links);
		return err;
	}
	json_t *lead = json_array(), *co = json_array();
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		long long id = json_integer_value(json_object_get(u, "id"));
		const char *label = unit_label(req, u);
		json_array_append_new(lead, json_pack("{s:I, s:s, s:b}", "id",
						      (json_int_t)id, "label",
						      label, "selected",
						      id == t->lead_unit_id));
		json_array_append_new(
			co,
			json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
				  "label", label, "checked",
				  has_id(t->co_unit_ids, t->nco_units, id)));
	}
	json_decref(units);
	json_t *people = json_array();
	json_array_foreach(users, i, u)
	{
		long long id = json_integer_value(json_object_get(u, "id"));
		json_array_append_new(
			people,
			json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
				  "label",
				  json_string_value(
					  json_object_get(u, "full_name")),
				  "selected", id == t->responsible_user_id));
	}
	json_decref(users);
	/* a parent: any task of the plan but this one and those below it */
	json_t *parents = json_array();
	int skip_depth = -1;
	json_array_foreach(tasks, i, u)
	{
		long long id = json_integer_value(json_object_get(u, "id"));
		int depth =
			(int)json_integer_value(json_object_get(u, "depth"));
		if (skip_depth >= 0 && depth > skip_depth)
			continue;
		skip_depth = -1;
		if (t->id && id == t->id) {
			skip_depth = depth;
			continue;
		}
		char pad[64] = "";
		size_t np = 0;
		for (int k = 0; k < depth && np + 5 <= sizeof pad; k++) {
			memcpy(pad + np, "\xc2\xa0\xc2\xa0", 4);
			np += 4;
		}
		pad[np] = 0;
		json_array_append_new(
			parents,
			json_pack(
				"{s:I, s:s, s:b}", "id", (json_int_t)id,
				"label",
				arena_printf(req->arena, "%s%s", pad,
					     json_string_value(json_object_get(
						     u, "title"))),
				"selected", id == t->parent_id));
	}
	json_decref(tasks);
	json_t *dims;
	json_array_foreach(links, i, dims)
	{
		const char *code =
			json_string_value(json_object_get(dims, "code"));
		bool open = has_link(t, code);
		json_object_set_new(dims, "checked",
				    json_boolean(has_link(t, code)));
		size_t q;
		json_t *ind;
		json_array_foreach(json_object_get(dims, "indicators"), q, ind)
		{
			bool c = has_link(t, json_string_value(json_object_get(
						     ind, "key")));
			json_object_set_new(ind, "checked", json_boolean(c));
			open |= c;
		}
		json_object_set_new(dims, "open", json_boolean(open));
	}
	static const char *const recs[][2] = {{"none", "Không lặp lại"},
					      {"weekly", "Hằng tuần"},
					      {"monthly", "Hằng tháng"},
					      {"quarterly", "Hằng quý"},
					      {"yearly", "Hằng năm"}};
	json_t *values = json_pack(
		"{s:s, s:s, s:s, s:s, s:s}", "title", t->title ? t->title : "",
		"description", t->description ? t->description : "", "start_on",
		date_value(req, t->start_on), "due_on",
		date_value(req, t->due_on), "weight",
		text_format_number(req->arena, t->weight > 0 ? t->weight : 1,
				   t->weight == floor(t->weight) ? 0 : 2));
	*ctx = json_pack(
		"{s:{s:I, s:s, s:s, s:i}, s:I, s:b, s:o, s:o, s:o, s:o, s:o, "
		"s:o, s:o, s:s}",
		"plan", "id", (json_int_t)p->id, "title", p->title,
		"number_text", plan_number_text(req->arena, p), "year", p->year,
		"id", (json_int_t)t->id, "editing", t->id > 0, "leads", lead,
		"co_units", co, "people", people, "parents", parents, "links",
		links, "recurrences",
		options(recs, 5, t->recurrence ? t->recurrence : "none"),
		"values", values, "action",
		t->id ? arena_printf(req->arena, "/plan/tasks/%lld/edit", t->id)
		      : arena_printf(req->arena, "/plan/%lld/tasks/new",
				     p->id));
	return *ctx ? ERR_OK : error_set(e, ERR_NOMEM, "out of memory");
}

static enum err task_form_page(struct request *req, struct response *res,
			       const struct plan *p, const struct task *t,
			       const struct field_problems *fp)
{
	json_t *ctx;
	struct error e = {0};
	enum err err = task_form_ctx(req, p, t, &ctx, &e);
	if (err)
		return fail(req, res, err, &e);
	const char *title = t->id ? "Sửa nhiệm vụ" : "Giao nhiệm vụ";
	if (fp && fp->n)
		return res_invalid(req, res, T_TASK_FORM, title, ctx,
				   errors_json(fp));
	return res_page(req, res, 200, T_TASK_FORM, title, ctx);
}

static void task_from_form(struct request *req, struct task *t)
{
	bool ok = true;
	t->parent_id = int_param(req, "parent_id", 0, &ok);
	if (!ok || t->parent_id < 0)
		t->parent_id = -1; /* no such task: task_save says so */
	t->title = trimmed(req, "title");
	t->description = param(req, "description");
	ok = true;
	t->lead_unit_id = int_param(req, "lead_unit_id", 0, &ok);
	if (!ok)
		t->lead_unit_id = 0;
	ok = true;
	t->responsible_user_id = int_param(req, "responsible_user_id", 0, &ok);
	if (!ok || t->responsible_user_id < 0)
		t->responsible_user_id = -1;
	const char *vals[TASK_MAX_CO_UNITS + 1];
	int n = req_params_all(req, "co_unit_ids", vals, TASK_MAX_CO_UNITS + 1);
	t->nco_units = 0;
	for (int i = 0; i < n && i < TASK_MAX_CO_UNITS; i++) {
		char *end;
		long long id = strtoll(vals[i], &end, 10);
		t->co_unit_ids[t->nco_units++] = *end || id <= 0 ? -1 : id;
	}
	if (n > TASK_MAX_CO_UNITS)
		t->nco_units = TASK_MAX_CO_UNITS + 1; /* too many: refused */
	const char *links[TASK_MAX_LINKS + 1];
	n = req_params_all(req, "links", links, TASK_MAX_LINKS + 1);
	t->nlinks = n > TASK_MAX_LINKS ? TASK_MAX_LINKS + 1 : n;
	for (int i = 0; i < n && i < TASK_MAX_LINKS; i++)
		t->links[i] = links[i];
	t->start_on = date_param(req, "start_on");
	t->due_on = date_param(req, "due_on");
	t->recurrence = trimmed(req, "recurrence");
	double w = num_param(req, "weight");
	t->weight = isfinite(w) ? w : *trimmed(req, "weight") ? -1 : 1;
}

static enum err save_task(struct request *req, struct response *res,
			  const struct plan *p, struct task *t)
{
	struct field_problems fp = {0};
	struct actor who = actor_of(req);
	struct error e = {0};
	/* the fields struct task cannot hold until task_save checks them */
	if (t->nco_units > TASK_MAX_CO_UNITS)
		t->nco_units = TASK_MAX_CO_UNITS + 1;
	enum err err = task_save(req->db, req->arena, &who, t, &fp, &e);
	if (err == ERR_INVALID) {
		if (t->nco_units > TASK_MAX_CO_UNITS)
			t->nco_units = TASK_MAX_CO_UNITS;
		if (t->nlinks > TASK_MAX_LINKS)
			t->nlinks = TASK_MAX_LINKS;
		return task_form_page(req, res, p, t, &fp);
	}
	if (err)
		return fail(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/plan/tasks/%lld", t->id),
			"Đã lưu nhiệm vụ.", task_json(t));
}

static enum err get_task_new(struct request *req, struct response *res)
{
	struct plan p;
	bool done;
	enum err err = load_plan(req, res, &p, &done);
	if (done)
		return err;
	bool ok = true;
	struct task t = {.plan_id = p.id,
			 .recurrence = "none",
			 .weight = 1,
			 .parent_id = int_param(req, "parent_id", 0, &ok)};
	return task_form_page(req, res, &p, &t, NULL);
}

static enum err post_task_new(struct request *req, struct response *res)
{
	struct plan p;
	bool done;
	enum err err = load_plan(req, res, &p, &done);
	if (done)
		return err;
	struct task t = {.plan_id = p.id};
	task_from_form(req, &t);
	return save_task(req, res, &p, &t);
}

static enum err get_task_edit(struct request *req, struct response *res)
{
	struct task t;
	struct plan p;
	bool done;
	enum err err = load_task(req, res, &t, &p, &done);
	if (done)
		return err;
	return task_form_page(req, res, &p, &t, NULL);
}

static enum err post_task_edit(struct request *req, struct response *res)
{
	struct task t;
	struct plan p;
	bool done;
	enum err err = load_task(req, res, &t, &p, &done);
	if (done)
		return err;
	struct task n = {.id = t.id, .plan_id = t.plan_id};
	task_from_form(req, &n);
	return save_task(req, res, &p, &n);
}

/* ---- a task and its progress reports ---- */

static enum err task_page(struct request *req, struct response *res,
			  const struct task *t, const struct plan *p,
			  const struct field_problems *fp)
{
	struct error e = {0};
	json_t *tasks = NULL, *updates = NULL;
	struct urgency u;
	const char *lead, *lead_full;
	enum err err = plan_tasks(req->db, req->arena, p->id, &tasks, &e);
	if (!err)
		err = task_updates(req->db, req->arena, t->id, &updates, &e);
	if (!err)
		err = unit_name(req, t->lead_unit_id, &lead, &lead_full, &e);
	if (!err)
		err = urgency_now(req, &u, &e);
	if (err) {
		json_decref(tasks);
		json_decref(updates);
		return fail(req, res, err, &e);
	}
	/* the sub-tree under this task, and the parent's title */
	json_t *children = json_array();
	const char *parent_title = NULL, *responsible = NULL;
	int base = -1;
	size_t i;
	json_t *x;
	json_array_foreach(tasks, i, x)
	{
		long long id = json_integer_value(json_object_get(x, "id"));
		int depth =
			(int)json_integer_value(json_object_get(x, "depth"));
		if (id == t->parent_id)
			parent_title =
				json_string_value(json_object_get(x, "title"));
		if (id == t->id) {
			base = depth;
			responsible = json_string_value(
				json_object_get(x, "responsible_name"));
			continue;
		}
		if (base < 0)
			continue;
		if (depth <= base) {
			base = -2; /* past the sub-tree */
			continue;
		}
		add_state(&u, x);
		json_object_set_new(x, "indent",
				    json_integer(depth - base - 1 > 4
							 ? 4
							 : depth - base - 1));
		json_array_append(children, x);
	}
	json_t *co_ids = json_array();
	for (int k = 0; k < t->nco_units; k++)
		json_array_append_new(co_ids, json_integer(t->co_unit_ids[k]));
	json_t *co_names = json_array();
	if (t->nco_units) {
		struct db_result *r;
		if (!plandb_units_named(req->db, req->arena, t->co_unit_ids,
					t->nco_units, &r, &e))
			for (int k = 0; k < r->nrows; k++)
				json_array_append_new(
					co_names,
					json_pack("{s:s}", "name",
						  db_get(r, k, "full_name")));
	}
	json_decref(co_ids);
	json_t *task = task_json(t);
	add_state(&u, task);
	json_object_set_new(task, "status_vi",
			    json_string(task_status_label_vi(t->status)));
	json_object_set_new(
		task, "recurrence_vi",
		json_string(task_recurrence_label_vi(t->recurrence)));
	json_object_set_new(task, "lead_unit_name", json_string(lead_full));
	json_object_set_new(task, "responsible_name",
			    json_string(responsible ? responsible : ""));
	json_object_set_new(task, "parent_title",
			    json_string(parent_title ? parent_title : ""));
	json_object_set_new(task, "co_units", co_names);
	json_object_set_new(
		task, "link_labels",
		link_labels(req, p->year, (const char **)t->links, t->nlinks));
	json_object_set_new(task, "weight_vi",
			    json_string(text_format_number(
				    req->arena, t->weight,
				    t->weight == floor(t->weight) ? 0 : 2)));
	bool leaf = json_array_size(children) == 0;
	bool can_update = leaf && plan_can_update_task(req, t);
	static const char *const statuses[][2] = {{"todo", "Chưa thực hiện"},
						  {"doing", "Đang thực hiện"},
						  {"done", "Hoàn thành"},
						  {"cancelled", "Hủy"}};
	const char *want = fp && fp->n ? param(req, "status") : t->status;
	json_t *ctx = json_pack(
		"{s:o, s:{s:I, s:s, s:s, s:i}, s:o, s:o, s:b, s:b, s:b, s:o, "
		"s:i, s:s}",
		"task", task, "plan", "id", (json_int_t)p->id, "title",
		p->title, "number_text", plan_number_text(req->arena, p),
		"year", p->year, "children", children, "updates", updates,
		"can_update", can_update, "can_manage", plan_can_manage(req),
		"leaf", leaf, "statuses", options(statuses, 4, want),
		"progress_value",
		fp && fp->n ? (int)strtol(param(req, "progress"), NULL, 10)
			    : t->progress,
		"note_value", fp && fp->n ? param(req, "note") : "");
	json_decref(tasks);
	if (fp && fp->n)
		return res_invalid(req, res, T_TASK, t->title, ctx,
				   errors_json(fp));
	return res_page(req, res, 200, T_TASK, t->title, ctx);
}

static enum err get_task(struct request *req, struct response *res)
{
	struct task t;
	struct plan p;
	bool done;
	enum err err = load_task(req, res, &t, &p, &done);
	if (done)
		return err;
	return task_page(req, res, &t, &p, NULL);
}

static enum err post_task_report(struct request *req, struct response *res)
{
	struct task t;
	struct plan p;
	bool done;
	enum err err = load_task(req, res, &t, &p, &done);
	if (done)
		return err;
	if (!plan_can_update_task(req, &t))
		return forbidden(req, res,
				 "Bạn chỉ cập nhật được nhiệm vụ của đơn vị "
				 "mình hoặc nhiệm vụ mình phụ trách.");
	const struct upload *files[ATTACHMENTS_MAX_PER_RECORD + 1];
	int nfiles = req_uploads(req, "files", files,
				 ATTACHMENTS_MAX_PER_RECORD + 1);
	bool ok = true;
	long long progress = int_param(req, "progress", -1, &ok);
	if (!ok || progress < -1)
		progress = -1;
	const char *status = trimmed(req, "status");
	/* "done" needs no percentage: it is 100 */
	if (progress < 0 && !strcmp(status, "done"))
		progress = 100;
	struct field_problems fp = {0};
	struct actor who = actor_of(req);
	struct error e = {0};
	long long update_id = 0;
	if (progress < 0 || progress > 100) {
		fp.list[fp.n++] = (struct field_problem){
			"progress", "progress must be 0-100",
			"Tiến độ phải là số từ 0 đến 100."};
		err = ERR_INVALID;
	} else {
		err = task_report(req->db, req->arena, &who, t.id, status,
				  (int)progress, param(req, "note"), NULL,
				  files, nfiles, &update_id, &fp, &e);
	}
	if (err == ERR_INVALID)
		return task_page(req, res, &t, &p, &fp);
	if (err)
		return fail(req, res, err, &e);
	struct task now;
	err = task_get(req->db, req->arena, t.id, &now, &e);
	if (err)
		return fail(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/plan/tasks/%lld", t.id),
		"Đã cập nhật tiến độ.",
		json_pack("{s:I, s:I, s:s, s:i, s:o, s:i}", "update_id",
			  (json_int_t)update_id, "task_id", (json_int_t)t.id,
			  "status", now.status, "progress", now.progress,
			  "done_on",
			  now.done_on ? json_string(now.done_on) : json_null(),
			  "files", nfiles));
}

void plan_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/plan", get_plans, ROLE_ANY_USER, "plan"},
		{"GET", "/plan/new", get_plan_new, ROLE_OFFICE, "plan"},
		{"POST", "/plan/new", post_plan_new, ROLE_OFFICE, "plan"},
		{"GET", "/plan/{id}", get_plan, ROLE_ANY_USER, "plan"},
		{"GET", "/plan/{id}/edit", get_plan_edit, ROLE_OFFICE, "plan"},
		{"POST", "/plan/{id}/edit", post_plan_edit, ROLE_OFFICE,
		 "plan"},
		{"POST", "/plan/{id}/issue", post_plan_issue, ROLE_OFFICE,
		 "plan"},
		{"GET", "/plan/{id}/tasks/new", get_task_new, ROLE_OFFICE,
		 "plan"},
		{"POST", "/plan/{id}/tasks/new", post_task_new, ROLE_OFFICE,
		 "plan"},
		{"GET", "/plan/tasks/{id}", get_task, ROLE_ANY_USER, "plan"},
		{"GET", "/plan/tasks/{id}/edit", get_task_edit, ROLE_OFFICE,
		 "plan"},
		{"POST", "/plan/tasks/{id}/edit", post_task_edit, ROLE_OFFICE,
		 "plan"},
		{"POST", "/plan/tasks/{id}/report", post_task_report,
		 ROLE_ANY_USER, "plan"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	plan_files_register();
	plan_views_http_register();
	plan_bulk_http_register();
}
