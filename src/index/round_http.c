/* The pages of survey rounds: the list and the create form, a round
 * (settings, sample frame import, the draw, the sampled units with their
 * progress), a sampled village for its surveyor (contacts, replacements),
 * its printable list, and the sample as CSV. The office and the chair
 * manage; the vice-chair sees; a surveyor or village head sees and records
 * the contacts of their own village only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "index_db.h"
#include "round.h"
#include "../cli.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../http/http.h"
#include "../base/banned.h"

static const char msg_import_bad[] =
	"Tệp có dòng không hợp lệ; chưa có gì được nhập.";

static struct papi_actor actor_of(const struct request *req)
{
	return (struct papi_actor){req->user ? req->user->id : 0,
				   req->user ? req->user->username : "",
				   req->remote_addr ? req->remote_addr : ""};
}

static bool is_admin(const struct request *req)
{
	return req->user && (req->user->roles & ROLE_ADMIN);
}

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}

/* ---- access to a sampled unit ---- */

enum access { NONE, SEE, RECORD };

static enum access unit_access(struct request *req, long long unit_id)
{
	if (is_admin(req))
		return RECORD;
	if (!req->user)
		return NONE;
	if (req->user->roles & (ROLE_SURVEYOR | ROLE_VILLAGE_HEAD)) {
		bool yes = false;
		struct error e = {0};
		if (!round_user_on_unit(req->db, req->arena, req->user->id,
					unit_id, &yes, &e) &&
		    yes)
			return RECORD;
	}
	return req->user->roles & ROLE_VICE_CHAIR ? SEE : NONE;
}

/* ---- rounds ---- */

static json_t *rounds_ctx(struct request *req, struct error *e, enum err *err)
{
	json_t *rounds = NULL, *scopes = NULL, *versions = NULL;
	if ((*err = round_list(req->db, req->arena, &rounds, e)) ||
	    (*err = round_scope_choices(req->db, req->arena, &scopes, e)) ||
	    (*err = idb_catalogue_versions(req->db, req->arena, &versions,
					   e))) {
		json_decref(rounds);
		json_decref(scopes);
		return NULL;
	}
	struct date today = clock_today_vn();
	return json_pack("{s:o, s:o, s:o, s:b, s:i}", "rounds", rounds,
			 "scopes", scopes, "catalogues", versions, "can_admin",
			 is_admin(req), "this_year", today.y);
}

static enum err get_rounds(struct request *req, struct response *res)
{
	struct error e = {0};
	enum err err;
	json_t *ctx = rounds_ctx(req, &e, &err);
	if (!ctx)
		return res_fail(req, res, err, &e);
	return res_page(req, res, 200, "index/rounds", "Đợt khảo sát", ctx);
}

static struct round_input input_of(const struct request *req)
{
	return (struct round_input){
		req_param(req, "year"),
		req_param(req, "name"),
		req_param(req, "scope"),
		req_param(req, "catalogue"),
		req_param(req, "tie_rule"),
		req_param(req, "bounds_rule"),
		req_param(req, "min_answers"),
		req_param(req, "lonely_psu"),
		req_param(req, "sample_units"),
		req_param(req, "sample_people"),
		req_param(req, "sample_reserve"),
		req_param(req, "sample_quota"),
		req_param(req, "age_min"),
		req_param(req, "age_max"),
		req_param(req, "note"),
	};
}

static enum err post_round_new(struct request *req, struct response *res)
{
	struct papi_actor who = actor_of(req);
	struct round_input in = input_of(req);
	json_t *errors = json_object();
	struct error e = {0};
	long long id;
	enum err err =
		round_create(req->db, req->arena, &who, &in, &id, errors, &e);
	if (err == ERR_INVALID) {
		json_t *ctx = rounds_ctx(req, &e, &err);
		if (!ctx) {
			json_decref(errors);
			return res_fail(req, res, err, &e);
		}
		return res_invalid(req, res, "index/rounds", "Đợt khảo sát",
				   ctx, errors);
	}
	json_decref(errors);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/index/rounds/%lld", id),
		"Đã tạo đợt khảo sát. Bước tiếp theo: nhập danh sách đơn vị "
		"và dân số.",
		json_pack("{s:I}", "id", (json_int_t)id));
}

static const char *const outcome_order[] = {
	"interviewed", "refused", "not_home", "moved", "ineligible", "pending"};

static json_t *outcomes_json(void)
{
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof outcome_order / sizeof *outcome_order;
	     i++) {
		enum outcome o;
		outcome_from_key(outcome_order[i], &o);
		json_array_append_new(list, json_pack("{s:s, s:s}", "key",
						      outcome_order[i], "label",
						      outcome_label_vi(o)));
	}
	return list;
}

static json_t *with_counts(json_t *ctx);

static json_t *round_ctx(struct request *req, long long id, struct error *e,
			 enum err *err)
{
	json_t *r = NULL, *frame = NULL, *units = NULL;
	if ((*err = round_get(req->db, req->arena, id, &r, e)) ||
	    (*err = round_frame(req->db, req->arena, id, &frame, e)) ||
	    (*err = round_sample_units(req->db, req->arena, id, 0, &units,
				       e))) {
		json_decref(r);
		json_decref(frame);
		return NULL;
	}
	long long pop = 0, people = 0, eligible = 0;
	size_t i;
	json_t *x;
	json_array_foreach(frame, i, x)
	{
		pop += json_integer_value(json_object_get(x, "population"));
		people += json_integer_value(json_object_get(x, "people"));
		eligible += json_integer_value(json_object_get(x, "eligible"));
	}
	long long done = 0, quota = 0;
	json_array_foreach(units, i, x)
	{
		long long uid =
			json_integer_value(json_object_get(x, "unit_id"));
		json_object_set_new(
			x, "can_open",
			json_boolean(unit_access(req, uid) != NONE));
		done += json_integer_value(json_object_get(x, "interviewed"));
		quota += json_integer_value(json_object_get(x, "quota"));
	}
	/* the settings' choices, with the current one marked */
	json_t *choices = json_object();
	static const char *const keys[][6] = {
		{"tie_rule", "upper", "lower", NULL},
		{"bounds_rule", "theoretical", "observed", NULL},
		{"lonely_psu", "fail", "remove", "certainty", "adjust",
		 "average"},
	};
	for (size_t k = 0; k < 3; k++) {
		json_t *list = json_array();
		const char *cur =
			json_string_value(json_object_get(r, keys[k][0]));
		for (int j = 1; j < 6 && keys[k][j]; j++)
			json_array_append_new(
				list,
				json_pack("{s:s, s:b}", "value", keys[k][j],
					  "selected",
					  cur && !strcmp(cur, keys[k][j])));
		json_object_set_new(choices, keys[k][0], list);
	}
	return with_counts(json_pack(
		"{s:o, s:o, s:o, s:o, s:b, s:I, s:I, s:I, s:I, s:I, s:b}",
		"round", r, "frame", frame, "units", units, "choices", choices,
		"can_admin", is_admin(req), "population", (json_int_t)pop,
		"people", (json_int_t)people, "eligible", (json_int_t)eligible,
		"interviewed", (json_int_t)done, "quota_total",
		(json_int_t)quota, "drawn", json_array_size(units) > 0));
}

static json_t *with_counts(json_t *ctx)
{
	if (ctx) {
		json_object_set_new(ctx, "nunits",
				    json_integer((json_int_t)json_array_size(
					    json_object_get(ctx, "units"))));
		json_object_set_new(ctx, "nframe",
				    json_integer((json_int_t)json_array_size(
					    json_object_get(ctx, "frame"))));
	}
	return ctx;
}

static const char *round_title(struct request *req, json_t *ctx)
{
	json_t *r = json_object_get(ctx, "round");
	return arena_printf(req->arena, "Đợt khảo sát: %s",
			    json_string_value(json_object_get(r, "name")));
}

static enum err get_round(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct error e = {0};
	enum err err = ERR_NOTFOUND;
	json_t *ctx = id > 0 ? round_ctx(req, id, &e, &err) : NULL;
	if (!ctx)
		return res_fail(req, res, err, &e);
	return res_page(req, res, 200, "index/round", round_title(req, ctx),
			ctx);
}

/* The round page again with errors (422) or problems of a file. */
static enum err round_again(struct request *req, struct response *res,
			    long long id, json_t *errors,
			    const struct problems *p)
{
	struct error e = {0};
	enum err err;
	json_t *ctx = round_ctx(req, id, &e, &err);
	if (!ctx) {
		json_decref(errors);
		return res_fail(req, res, err, &e);
	}
	if (p) {
		json_t *list = json_array();
		for (int i = 0; i < p->kept; i++)
			json_array_append_new(
				list, json_pack("{s:i, s:s, s:s, s:s}", "line",
						p->list[i].line, "column",
						p->list[i].column, "message",
						p->list[i].msg_vi, "detail",
						p->list[i].msg_en));
		if (req->api) {
			json_decref(ctx);
			json_decref(errors);
			return res_json(
				req, res, 422,
				json_pack("{s:s, s:s, s:{s:s}, s:i, s:o}",
					  "error", "invalid", "message",
					  msg_import_bad, "errors", "file",
					  msg_import_bad, "nproblems", p->n,
					  "problems", list));
		}
		json_object_set_new(ctx, "problems", list);
		json_object_set_new(ctx, "nproblems", json_integer(p->n));
		json_object_set_new(ctx, "more", json_integer(p->n - p->kept));
	}
	return res_invalid(req, res, "index/round", round_title(req, ctx), ctx,
			   errors);
}

static enum err post_round_edit(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct papi_actor who = actor_of(req);
	struct round_input in = input_of(req);
	in.year = in.scope = in.catalogue = NULL;
	json_t *errors = json_object();
	struct error e = {0};
	enum err err =
		round_edit(req->db, req->arena, &who, id, &in, errors, &e);
	if (err == ERR_INVALID)
		return round_again(req, res, id, errors, NULL);
	json_decref(errors);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/index/rounds/%lld", id),
			"Đã lưu các thiết lập của đợt khảo sát.",
			json_pack("{s:I}", "id", (json_int_t)id));
}

static enum err post_round_frame(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct papi_actor who = actor_of(req);
	const char *csv = req_file_text(req, "file", "csv", NULL);
	if (!*csv)
		return round_again(
			req, res, id,
			json_pack("{s:s}", "file",
				  "Vui lòng chọn tệp CSV hoặc dán nội dung."),
			NULL);
	struct frame_report rep;
	struct problems p = {0};
	struct error e = {0};
	enum err err = round_frame_import(req->db, req->arena, &who, id, csv,
					  strlen(csv), &rep, &p, &e);
	if (err == ERR_INVALID && p.n)
		return round_again(req, res, id,
				   json_pack("{s:s}", "file", msg_import_bad),
				   &p);
	if (err == ERR_CONFLICT)
		return res_error(
			req, res, 409,
			"Đã ghi nhận kết quả liên hệ nên danh sách chọn mẫu "
			"không thể thay đổi nữa.");
	if (err)
		return res_fail(req, res, err, &e);
	bool units = !strcmp(rep.kind, "units");
	return res_done(
		req, res, arena_printf(req->arena, "/index/rounds/%lld", id),
		units ? arena_printf(req->arena, "Đã nhập %d đơn vị và dân số.",
				     rep.rows)
		      : arena_printf(
				req->arena,
				"Đã nhập danh sách %d người của %d đơn vị.",
				rep.rows, rep.units),
		json_pack("{s:s, s:i, s:i}", "kind", rep.kind, "rows", rep.rows,
			  "units", rep.units));
}

static enum err post_round_draw(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct papi_actor who = actor_of(req);
	const char *seed_s = param(req, "seed"), *units_s = param(req, "units");
	json_t *errors = json_object();
	uint64_t seed = 0;
	char *end;
	if (!*seed_s) {
		/* no seed given: a random one, kept with the draw so it can
		 * be made again */
		const char *hex = http_random_hex(req->arena, 4);
		seed = hex ? strtoull(hex, NULL, 16) : (uint64_t)clock_now();
	} else {
		seed = strtoull(seed_s, &end, 10);
		if (*end || *seed_s == '-' || strlen(seed_s) > 19)
			json_object_set_new(errors, "seed",
					    json_string("Hạt giống phải là số "
							"nguyên không âm."));
	}
	long k = -1;
	if (*units_s) {
		k = strtol(units_s, &end, 10);
		if (*end || k < 0 || k > SAMPLING_MAX_UNITS)
			json_object_set_new(errors, "units",
					    json_string("Số đơn vị phải là số "
							"nguyên không âm."));
	}
	if (json_object_size(errors))
		return round_again(req, res, id, errors, NULL);
	struct draw_report rep;
	struct error e = {0};
	enum err err = round_draw(req->db, req->arena, &who, id, seed, (int)k,
				  &rep, &e);
	if (err == ERR_INVALID) {
		json_object_set_new(
			errors, "draw",
			json_string(
				strstr(e.msg, "nobody aged")
					? "Có đơn vị được chọn nhưng chưa có "
					  "danh sách người trong độ tuổi: hãy "
					  "nhập danh sách người trước."
					: "Chưa có danh sách đơn vị: hãy nhập "
					  "tệp đơn vị và dân số trước."));
		return round_again(req, res, id, errors, NULL);
	}
	json_decref(errors);
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409,
				 "Đã ghi nhận kết quả liên hệ nên không thể "
				 "chọn mẫu lại.");
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/index/rounds/%lld", id),
		arena_printf(req->arena,
			     "Đã chọn %d đơn vị, %d người và %d người dự phòng "
			     "(hạt giống %llu).",
			     rep.units, rep.people, rep.reserves,
			     (unsigned long long)seed),
		json_pack("{s:i, s:i, s:i, s:f, s:s}", "units", rep.units,
			  "people", rep.people, "reserves", rep.reserves,
			  "weight_sum", rep.weight_sum, "seed",
			  arena_printf(req->arena, "%llu",
				       (unsigned long long)seed)));
}

static enum err get_round_export(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct error e = {0};
	json_t *r;
	enum err err = round_get(req->db, req->arena, id, &r, &e);
	if (err)
		return res_fail(req, res, err, &e);
	json_decref(r);
	char *csv;
	size_t len;
	if ((err = round_sample_csv(req->db, req->arena, id, &csv, &len, &e)))
		return res_fail(req, res, err, &e);
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	res->body = csv;
	res->len = len;
	res_header(
		res, "Content-Disposition",
		arena_printf(req->arena,
			     "attachment; filename=\"sample_round_%lld.csv\"",
			     id));
	return ERR_OK;
}

/* ---- a sampled unit ---- */

static enum err unit_page(struct request *req, struct response *res, bool print)
{
	long long id = req_arg_id(req, 0), su = req_arg_id(req, 1);
	struct error e = {0};
	json_t *r = NULL, *units = NULL, *people = NULL;
	enum err err = id > 0 && su > 0
			       ? round_get(req->db, req->arena, id, &r, &e)
			       : ERR_NOTFOUND;
	if (!err)
		err = round_sample_units(req->db, req->arena, id, su, &units,
					 &e);
	if (!err && !json_array_size(units))
		err = ERR_NOTFOUND;
	if (err) {
		json_decref(r);
		json_decref(units);
		return res_fail(req, res, err, &e);
	}
	json_t *u = json_incref(json_array_get(units, 0));
	json_decref(units);
	enum access acc = unit_access(
		req, json_integer_value(json_object_get(u, "unit_id")));
	if (acc == NONE) {
		json_decref(r);
		json_decref(u);
		return res_error(req, res, 403, NULL);
	}
	if ((err = round_sample_people(req->db, req->arena, id, su, &people,
				       &e))) {
		json_decref(r);
		json_decref(u);
		return res_fail(req, res, err, &e);
	}
	json_t *main_list = json_array(), *reserve = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(people, i, x)
	{
		/* the form starts on the person's current outcome */
		json_t *opts = outcomes_json(), *o;
		size_t k;
		const char *cur =
			json_string_value(json_object_get(x, "outcome"));
		json_array_foreach(opts, k, o) json_object_set_new(
			o, "selected",
			json_boolean(
				cur &&
				!strcmp(cur, json_string_value(json_object_get(
						     o, "key")))));
		if (!req->api)
			json_object_set_new(x, "options", opts);
		else
			json_decref(opts);
		json_array_append(
			json_integer_value(json_object_get(x, "is_reserve"))
				? reserve
				: main_list,
			x);
	}
	json_decref(people);
	const char *title =
		arena_printf(req->arena, "%s – %s%s",
			     json_string_value(json_object_get(u, "full_name")),
			     json_string_value(json_object_get(r, "name")),
			     print ? " (danh sách in)" : "");
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o, s:b, s:o}", "round", r,
				"unit", u, "people", main_list, "reserve",
				reserve, "can_record", acc == RECORD,
				"outcomes", outcomes_json());
	return res_page(req, res, 200,
			print ? "index/sample_print" : "index/sample_unit",
			title, ctx);
}

static enum err get_sample_unit(struct request *req, struct response *res)
{
	return unit_page(req, res, false);
}

static enum err get_sample_print(struct request *req, struct response *res)
{
	return unit_page(req, res, true);
}

static enum err post_contact(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0), pid = req_arg_id(req, 1);
	struct error e = {0};
	json_t *people;
	enum err err = id > 0 && pid > 0
			       ? round_sample_people(req->db, req->arena, id, 0,
						     &people, &e)
			       : ERR_NOTFOUND;
	if (err)
		return res_fail(req, res, err, &e);
	json_t *person = NULL;
	size_t i;
	json_t *x;
	json_array_foreach(people, i, x) if (json_integer_value(json_object_get(
						     x, "id")) == pid) person =
		x;
	long long su = person ? json_integer_value(json_object_get(
					person, "sample_unit_id"))
			      : 0;
	long long unit =
		person ? json_integer_value(json_object_get(person, "unit_id"))
		       : 0;
	json_decref(people);
	if (!su)
		return res_error(req, res, 404, NULL);
	if (unit_access(req, unit) != RECORD)
		return res_error(req, res, 403, NULL);
	struct papi_actor who = actor_of(req);
	int released;
	err = round_contact(req->db, req->arena, &who, id, pid,
			    param(req, "outcome"), param(req, "note"),
			    &released, &e);
	const char *back = arena_printf(
		req->arena, "/index/rounds/%lld/units/%lld", id, su);
	if (err == ERR_INVALID) {
		if (req->api)
			return res_json(
				req, res, 422,
				json_pack("{s:s, s:s, s:{s:s}}", "error",
					  "invalid", "message",
					  "Kết quả liên hệ không hợp lệ.",
					  "errors", "outcome",
					  "Vui lòng chọn một kết quả trong "
					  "danh sách."));
		return res_error(
			req, res, 422,
			"Kết quả liên hệ không hợp lệ, hoặc người dự phòng này "
			"chưa được đưa vào danh sách.");
	}
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res, back,
		released ? arena_printf(
				   req->arena,
				   "Đã ghi nhận. Đã đưa thêm %d người dự phòng "
				   "vào danh sách.",
				   released)
			 : "Đã ghi nhận kết quả liên hệ.",
		json_pack("{s:I, s:s, s:i}", "id", (json_int_t)pid, "outcome",
			  param(req, "outcome"), "released", released));
}

void round_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/index/rounds", get_rounds, ROLE_ANY_USER, "index"},
		{"POST", "/index/rounds/new", post_round_new, ROLE_ADMIN,
		 "index"},
		{"GET", "/index/rounds/{id}", get_round, ROLE_ANY_USER,
		 "index"},
		{"POST", "/index/rounds/{id}/edit", post_round_edit, ROLE_ADMIN,
		 "index"},
		{"POST", "/index/rounds/{id}/frame", post_round_frame,
		 ROLE_ADMIN, "index"},
		{"POST", "/index/rounds/{id}/draw", post_round_draw, ROLE_ADMIN,
		 "index"},
		{"GET", "/index/rounds/{id}/export", get_round_export,
		 ROLE_ADMIN, "index"},
		{"GET", "/index/rounds/{id}/units/{unit}", get_sample_unit,
		 ROLE_ADMIN | ROLE_VICE_CHAIR | ROLE_SURVEYOR |
			 ROLE_VILLAGE_HEAD,
		 "index"},
		{"GET", "/index/rounds/{id}/units/{unit}/print",
		 get_sample_print,
		 ROLE_ADMIN | ROLE_VICE_CHAIR | ROLE_SURVEYOR |
			 ROLE_VILLAGE_HEAD,
		 "index"},
		{"POST", "/index/rounds/{id}/people/{person}/contact",
		 post_contact, ROLE_ADMIN | ROLE_SURVEYOR | ROLE_VILLAGE_HEAD,
		 "index"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
