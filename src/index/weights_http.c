/* The weights page of a survey round: per variable and category, the
 * sample count and its unweighted, design-weighted and raked shares
 * against the census share; the office and the chair import the margins,
 * everyone logged in reads. */
#include <math.h>
#include <string.h>
#include "round.h"
#include "weights.h"
#include "../base/log.h"
#include "../http/http.h"
#include "../base/banned.h"

static const char msg_import_bad[] =
	"Tệp có dòng không hợp lệ; chưa có gì được nhập.";

static json_t *share(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *pct(double v)
{
	return isnan(v) ? json_null() : json_real(100 * v);
}

static json_t *weights_ctx(struct request *req, long long id, struct error *e,
			   enum err *err)
{
	json_t *r = NULL;
	struct weights_view v;
	if ((*err = round_get(req->db, req->arena, id, &r, e)))
		return NULL;
	if ((*err = weights_view(req->db, req->arena, id, &v, e))) {
		json_decref(r);
		return NULL;
	}
	json_t *vars = json_array();
	for (int var = 0; var < WEIGHTS_NVARS; var++) {
		json_t *rows = json_array();
		for (int i = 0; i < v.nrows; i++) {
			const struct weights_row *w = &v.rows[i];
			if (w->var != var)
				continue;
			json_array_append_new(
				rows,
				json_pack(
					"{s:s, s:s, s:I, s:o, s:o, s:o, s:o, "
					"s:o, s:o, s:o, s:o}",
					"category",
					weights_category(req->arena, &v.m, var,
							 w->cat),
					"category_vi",
					weights_category_vi(&v.m, var, w->cat),
					"n", (json_int_t)w->n, "unweighted",
					share(w->unweighted), "design",
					share(w->design), "raked",
					share(w->raked), "population",
					share(w->population), "unweighted_pct",
					pct(w->unweighted), "design_pct",
					pct(w->design), "raked_pct",
					pct(w->raked), "population_pct",
					pct(w->population)));
		}
		json_array_append_new(
			vars, json_pack("{s:s, s:s, s:b, s:o}", "variable",
					weights_variables[var], "name_vi",
					weights_variable_vi(var), "has_margin",
					v.m.has[var], "rows", rows));
	}
	bool admin = req->user && (req->user->roles & ROLE_ADMIN);
	json_t *on = json_array();
	for (int var = 0; var < WEIGHTS_NVARS; var++)
		if (v.m.has[var])
			json_array_append_new(
				on, json_string(weights_variables[var]));
	json_t *ctx = json_pack("{s:o, s:o, s:I, s:b, s:b, s:o, s:b, s:b, s:i}",
				"round", r, "variables", vars, "interviews",
				(json_int_t)v.interviews, "has_margins",
				v.has_margins, "raked", v.raked, "raked_on", on,
				"can_admin", admin, "has_frame", v.has_frame,
				"villages", v.m.scope.n);
	if (ctx)
		json_object_set_new(
			ctx, "raked_on_vi",
			json_string(weights_on_vi(req->arena, &v.m)));
	if (ctx && v.error_vi)
		json_object_set_new(ctx, "error", json_string(v.error_vi));
	return ctx;
}

static const char *title(struct request *req, json_t *ctx)
{
	json_t *r = json_object_get(ctx, "round");
	return arena_printf(req->arena, "Trọng số: %s",
			    json_string_value(json_object_get(r, "name")));
}

static enum err get_weights(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct error e = {0};
	enum err err = ERR_NOTFOUND;
	json_t *ctx = id > 0 ? weights_ctx(req, id, &e, &err) : NULL;
	if (!ctx)
		return res_fail(req, res, err, &e);
	/* ?fill=frame: the form filled in with the village populations of
	 * the sample frame */
	const char *fill = req_param(req, "fill");
	if (fill && !strcmp(fill, "frame")) {
		char *csv;
		bool scaled;
		struct error fe = {0};
		enum err ferr = weights_from_frame(req->db, req->arena, id,
						   &csv, &scaled, &fe);
		if (ferr == ERR_NOTFOUND) {
			json_object_set_new(
				ctx, "fill_error",
				json_string("Đợt chưa có khung mẫu của các "
					    "thôn (dân số từng thôn): hãy nhập "
					    "khung mẫu trước, hoặc nhập dân "
					    "số thôn vào tệp."));
		} else if (ferr) {
			json_decref(ctx);
			return res_fail(req, res, ferr, &fe);
		} else {
			json_object_set_new(ctx, "prefill", json_string(csv));
			json_object_set_new(ctx, "prefill_scaled",
					    json_boolean(scaled));
		}
	}
	return res_page(req, res, 200, "index/weights", title(req, ctx), ctx);
}

/* The page again with the file's problems (422). */
static enum err weights_again(struct request *req, struct response *res,
			      long long id, const char *msg,
			      const struct problems *p)
{
	struct error e = {0};
	enum err err;
	json_t *ctx = weights_ctx(req, id, &e, &err);
	if (!ctx)
		return res_fail(req, res, err, &e);
	json_t *list = json_array();
	for (int i = 0; p && i < p->kept; i++)
		json_array_append_new(list,
				      json_pack("{s:i, s:s, s:s, s:s}", "line",
						p->list[i].line, "column",
						p->list[i].column, "message",
						p->list[i].msg_vi, "detail",
						p->list[i].msg_en));
	if (req->api) {
		json_decref(ctx);
		return res_json(req, res, 422,
				json_pack("{s:s, s:s, s:{s:s}, s:i, s:o}",
					  "error", "invalid", "message", msg,
					  "errors", "file", msg, "nproblems",
					  p ? p->n : 0, "problems", list));
	}
	json_object_set_new(ctx, "problems", list);
	json_object_set_new(ctx, "nproblems", json_integer(p ? p->n : 0));
	json_object_set_new(ctx, "more", json_integer(p ? p->n - p->kept : 0));
	return res_invalid(req, res, "index/weights", title(req, ctx), ctx,
			   json_pack("{s:s}", "file", msg));
}

static enum err post_margins(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct papi_actor who = {req->user ? req->user->id : 0,
				 req->user ? req->user->username : "",
				 req->remote_addr ? req->remote_addr : ""};
	const char *csv = req_file_text(req, "file", "csv", NULL);
	if (!*csv)
		return weights_again(req, res, id,
				     "Vui lòng chọn tệp CSV hoặc dán nội dung.",
				     NULL);
	struct weights_margins m;
	struct problems p = {0};
	struct error e = {0};
	enum err err = weights_import(req->db, req->arena, &who, id, csv,
				      strlen(csv), &m, &p, &e);
	if (err == ERR_INVALID && p.n)
		return weights_again(req, res, id, msg_import_bad, &p);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res,
		arena_printf(req->arena, "/index/rounds/%lld/weights", id),
		"Đã nhập số liệu dân số để hiệu chỉnh trọng số.",
		json_pack("{s:I, s:b, s:b, s:b}", "id", (json_int_t)id,
			  "gender", m.has[WEIGHTS_GENDER], "age_group",
			  m.has[WEIGHTS_AGE], "village",
			  m.has[WEIGHTS_VILLAGE]));
}

void weights_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/index/rounds/{id}/weights", get_weights,
		 ROLE_ANY_USER, "index"},
		{"POST", "/index/rounds/{id}/margins", post_margins, ROLE_ADMIN,
		 "index"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
