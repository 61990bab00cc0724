/* The bulk pages of a plan: the import form (a CSV or XLSX of tasks or of
 * progress reports; every bad row and column listed, nothing saved) for
 * the office, and the CSV/XLSX export for whoever sees the plan. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan_bulk.h"
#include "../base/config.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../base/banned.h"

#define T_IMPORT "plan/import"
static const char title_import[] = "Nhập nhiệm vụ, tiến độ từ tệp";
static const char msg_bad_file[] =
	"Tệp có dòng không hợp lệ; chưa có gì được nhập.";

/* Import and export get their own arena: a file of 5,000 tasks or 50,000
 * reports needs more than a page does. */
enum { BULK_ARENA = 512 << 20 };

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}

/* The plan of the route, if the user sees it; else the answer is sent
 * (404: a plan one may not see is not revealed). */
static bool plan_of(struct request *req, struct response *res, struct plan *pl,
		    enum err *err)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	*err = id > 0 ? plan_get(req->db, req->arena, id, pl, &e)
		      : ERR_NOTFOUND;
	if (!*err && !plan_can_see(req, pl->unit_id))
		*err = ERR_NOTFOUND;
	if (*err) {
		*err = res_fail(req, res, *err, &e);
		return false;
	}
	return true;
}

static json_t *page_ctx(struct request *req, const struct plan *pl,
			const char *what)
{
	const char *nt = plan_number_text(req->arena, pl);
	return json_pack(
		"{s:{s:I, s:s, s:s, s:i}, s:s, s:b, s:b, s:{s:s}}", "plan",
		"id", (json_int_t)pl->id, "title", pl->title ? pl->title : "",
		"number_text", nt ? nt : "", "year", pl->year, "what", what,
		"what_tasks", strcmp(what, "updates") != 0, "what_updates",
		strcmp(what, "updates") == 0, "values", "what", what);
}

static enum err get_import(struct request *req, struct response *res)
{
	struct plan pl;
	enum err err;
	if (!plan_of(req, res, &pl, &err))
		return err;
	const char *what =
		!strcmp(param(req, "what"), "updates") ? "updates" : "tasks";
	return res_page(req, res, 200, T_IMPORT, title_import,
			page_ctx(req, &pl, what));
}

static json_t *problems_json(const struct problems *p)
{
	json_t *list = json_array();
	for (int i = 0; i < p->kept; i++)
		json_array_append_new(list,
				      json_pack("{s:i, s:s, s:s, s:s}", "line",
						p->list[i].line, "column",
						p->list[i].column, "message",
						p->list[i].msg_vi, "detail",
						p->list[i].msg_en));
	return list;
}

static json_t *strings_json(const char **s)
{
	json_t *a = json_array();
	for (int i = 0; s && s[i]; i++)
		json_array_append_new(a, json_string(s[i]));
	return a;
}

/* A size in MB, rounded up (a file just over 1 MB is not "1,0 MB"), and
 * the limit as it is set ("1 MB", "10 MB", "2,5 MB"). */
static char *mb_up(struct arena *a, double bytes)
{
	return text_format_number(a, ceil(bytes / (1024.0 * 1024.0) * 10) / 10,
				  1);
}

static char *mb_limit(struct arena *a, double bytes)
{
	double v = bytes / (1024.0 * 1024.0);
	return text_format_number(a, v, v == floor(v) ? 0 : 1);
}

static enum err post_import(struct request *req, struct response *res)
{
	struct plan pl;
	enum err err;
	if (!plan_of(req, res, &pl, &err))
		return err;
	if (!plan_can_manage(req))
		return res_error(req, res, 403, NULL);
	const char *what =
		!strcmp(param(req, "what"), "updates") ? "updates" : "tasks";
	enum bulk_kind kind =
		!strcmp(what, "updates") ? BULK_UPDATES : BULK_TASKS;
	/* a file part; the API may also send the CSV text as "csv" */
	const struct upload *up = NULL;
	const void *data = NULL;
	size_t len = 0;
	if (req_uploads(req, "file", &up, 1) == 1) {
		data = up->data;
		len = up->len;
	} else if (*param(req, "csv")) {
		data = param(req, "csv");
		len = strlen(data);
	}
	long max = http_config()->max_upload_bytes;
	const char *file_error =
		!data || !len ? "Vui lòng chọn tệp CSV hoặc Excel (.xlsx)."
		: max > 0 && len > (size_t)max
			? arena_printf(req->arena,
				       "Tệp quá lớn: %s MB, tối đa %s MB.",
				       mb_up(req->arena, (double)len),
				       mb_limit(req->arena, (double)max))
			: NULL;
	if (file_error)
		return res_invalid(req, res, T_IMPORT, title_import,
				   page_ctx(req, &pl, what),
				   json_pack("{s:s}", "file", file_error));
	struct arena a;
	arena_init(&a, BULK_ARENA);
	struct actor who = {req->user->id, req->user->username,
			    req->remote_addr ? req->remote_addr : ""};
	struct bulk_result r;
	struct problems p = {0};
	struct error e = {0};
	err = bulk_import(req->db, &a, &who, pl.id, kind, data, len, &r, &p,
			  &e);
	/* what the answer needs, out of the import's arena */
	json_t *problems = err == ERR_INVALID ? problems_json(&p) : NULL;
	json_t *ignored = strings_json(r.ignored);
	int nproblems = p.n, more = p.n - p.kept;
	arena_release(&a);
	if (err == ERR_INVALID) {
		json_decref(ignored);
		log_info("plan import refused", "plan=%lld what=%s problems=%d",
			 pl.id, what, nproblems);
		if (req->api)
			return res_json(
				req, res, 422,
				json_pack("{s:s, s:s, s:{s:s}, s:i, s:o}",
					  "error", "invalid", "message",
					  msg_bad_file, "errors", "file",
					  msg_bad_file, "nproblems", nproblems,
					  "problems", problems));
		json_t *ctx = page_ctx(req, &pl, what);
		json_object_set_new(ctx, "problems", problems);
		json_object_set_new(ctx, "nproblems", json_integer(nproblems));
		json_object_set_new(ctx, "more", json_integer(more));
		return res_invalid(req, res, T_IMPORT, title_import, ctx,
				   json_pack("{s:s}", "file", msg_bad_file));
	}
	if (err) {
		json_decref(ignored);
		return res_fail(req, res, err, &e);
	}
	char *flash =
		kind == BULK_TASKS
			? arena_printf(
				  req->arena,
				  "Đã nhập tệp: %d nhiệm vụ mới, %d nhiệm "
				  "vụ được cập nhật, %d không thay đổi%s.",
				  r.created, r.updated, r.unchanged,
				  r.skipped ? arena_printf(req->arena,
							   ", bỏ qua %d dòng "
							   "lần lặp (được tạo "
							   "tự động)",
							   r.skipped)
					    : "")
			: arena_printf(
				  req->arena,
				  "Đã nhập tệp: %d lần cập nhật tiến độ mới, "
				  "%d dòng đã có từ trước.",
				  r.created, r.unchanged);
	return res_done(
		req, res, arena_printf(req->arena, "/plan/%lld", pl.id), flash,
		json_pack("{s:s, s:i, s:i, s:i, s:i, s:o}", "what", what,
			  "created", r.created, "updated", r.updated,
			  "unchanged", r.unchanged, "skipped", r.skipped,
			  "ignored_columns", ignored));
}

static enum err export(struct request *req, struct response *res,
		       enum bulk_format format) {
	struct plan pl; enum err err;
	if (!plan_of(req, res, &pl, &err)) return err;
	enum bulk_kind kind = !strcmp(param(req, "what"), "updates")
				      ? BULK_UPDATES
				      : BULK_TASKS;
	struct arena a;
	arena_init(&a, BULK_ARENA);
	unsigned char * bytes;
	size_t len;
	const char * mime, *filename;
	struct error e = {0};
	err = bulk_export(req->db, &a, pl.id, kind, format, &bytes, &len, &mime,
			  &filename, &e);
	char *body = err ? NULL : arena_alloc(req->arena, len + 1);
	if (body) memcpy(body, bytes, len);
	const char *disp = err ? NULL
			       : arena_printf(req->arena,
					      "attachment; filename=\"%s\"",
					      filename);
	arena_release(&a);
	if (err) return res_fail(req, res, err, &e);
	if (!body ||
	    !disp) return res_fail(req, res, ERR_NOMEM,
				   &(struct error){ERR_NOMEM,
						   "export: out of memory"});
	res->status = 200;
	res->content_type = format == BULK_CSV
				    ? "text/csv; charset=utf-8"
				    : "application/vnd.openxmlformats-"
				      "officedocument.spreadsheetml.sheet";
	res->body = body;
	res->len = len;
	res_header(res, "Content-Disposition", disp);
	res_header(res, "Cache-Control", "private, no-store");
	return ERR_OK;
}

static enum err get_export_csv(struct request *req, struct response *res)
{
	return export(req, res, BULK_CSV);
}

static enum err get_export_xlsx(struct request *req, struct response *res)
{
	return export(req, res, BULK_XLSX);
}

void plan_bulk_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/plan/{id}/import", get_import, ROLE_OFFICE, "plan"},
		{"POST", "/plan/{id}/import", post_import, ROLE_OFFICE, "plan"},
		{"GET", "/plan/{id}/export.csv", get_export_csv, ROLE_ANY_USER,
		 "plan"},
		{"GET", "/plan/{id}/export.xlsx", get_export_xlsx,
		 ROLE_ANY_USER, "plan"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
