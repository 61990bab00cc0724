/* The report pages: the list of a commune's reports with the form that
 * builds one, one report (its document shown as a page, its PDF, XLSX and
 * DOCX files, and the office's actions on a draft: build again, issue,
 * delete), and the commune's report settings. The dashboards are in
 * report_dashboard_http.c. Every page has its /api twin.
 *
 * Who may do what: the chair, the vice-chairs and the office build and
 * issue their commune's reports and change its settings; the unit heads,
 * the front, the inspection boards and the upper level read the issued
 * ones (a draft stays with those who build it). */
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../cli.h"
#include "../http/http.h"
#include "../people/people.h"
#include "../outreach/outreach.h"
#include "../plan/plan.h"
#include "../base/banned.h"

#define BUILD_ROLES (ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE)
#define READ_ROLES                                                             \
	(BUILD_ROLES | ROLE_UNIT_HEAD | ROLE_FRONT | ROLE_INSPECTION |         \
	 ROLE_UPPER)
#define T_LIST "report/list"
#define T_SHOW "report/show"
#define T_SETTINGS "report/settings"

static const char msg_not_yours[] =
	"Báo cáo này thuộc xã khác: bạn không xem được.";
static const char msg_draft[] =
	"Báo cáo này còn là dự thảo: chỉ Chủ tịch, Phó Chủ tịch và Văn phòng "
	"UBND xã xem được.";
static const char msg_no_commune[] =
	"Bạn không thuộc xã nào nên không lập được báo cáo.";

static struct actor actor_of(const struct request *req)
{
	return (struct actor){req->user ? req->user->id : 0,
			      req->user ? req->user->username : "",
			      req->remote_addr ? req->remote_addr : ""};
}

static bool may_build(const struct request *req)
{
	return req->user && (req->user->roles & BUILD_ROLES);
}

json_t *report_nav_json(const struct request *req)
{
	unsigned roles = req->user ? req->user->roles : 0;
	return json_pack("{s:b, s:b, s:b}", "province", roles & ROLE_UPPER,
			 "reports", roles & READ_ROLES, "settings",
			 roles & BUILD_ROLES);
}

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}

/* A whole number in [lo, hi]; `dflt` when empty, `bad` when not one. */
static int int_param(struct request *req, const char *name, int lo, int hi,
		     int dflt, int bad)
{
	const char *v = text_trim(req->arena, param(req, name));
	if (!v || !*v)
		return dflt;
	char *end;
	long n = strtol(v, &end, 10);
	return *end || n < lo || n > hi ? bad : (int)n;
}

/* What a page says before the period: "Báo cáo" quý IV năm 2026. */
static const char *kind_prefix(enum report_kind k)
{
	return k == REPORT_PLAN ? "Báo cáo kết quả thực hiện kế hoạch"
				: "Báo cáo";
}

static const char *kind_label(enum report_kind k)
{
	static const char *const labels[] = {
		[REPORT_MONTHLY] = "Báo cáo tháng",
		[REPORT_QUARTERLY] = "Báo cáo quý",
		[REPORT_SIX_MONTH] = "Báo cáo 6 tháng",
		[REPORT_YEARLY] = "Báo cáo năm",
		[REPORT_PLAN] = "Báo cáo kết quả thực hiện kế hoạch",
	};
	return labels[k];
}

/* The communes the user sees, and the one this request is about:
 * ?commune= when it is one of them, else the user's own, else the first.
 * 0 when the user sees none or asked for one they do not see. */
static enum err communes_of(struct request *req, long long **ids, int *n,
			    long long *commune, struct error *e)
{
	enum err err = plan_user_communes(req, ids, n, e);
	if (err)
		return err;
	*commune = 0;
	long long want = strtoll(param(req, "commune"), NULL, 10);
	long long home = 0;
	if (req->user && req->user->home_unit_id) {
		err = plan_commune_of(req->db, req->arena,
				      req->user->home_unit_id, &home, e);
		if (err)
			return err;
	}
	for (int i = 0; i < *n; i++)
		if ((*ids)[i] == (want ? want : home))
			*commune = (*ids)[i];
	if (!*commune && !want && *n)
		*commune = (*ids)[0];
	return ERR_OK;
}

static json_t *errors_one(const char *field, const char *msg)
{
	return json_pack("{s:s}", field, msg);
}

/* ---- the list and the form that builds a report ---- */

static enum err list_ctx(struct request *req, json_t **out, struct error *e)
{
	long long *ids, commune;
	int n;
	enum err err = communes_of(req, &ids, &n, &commune, e);
	if (err)
		return err;
	int year = int_param(req, "year", 2000, 2100, 0, 0);
	json_t *all, *rows = json_array();
	err = report_list(req->db, req->arena, ids, n, year, &all, e);
	if (err) {
		json_decref(rows);
		return err;
	}
	size_t i;
	json_t *r;
	json_array_foreach(all, i, r)
	{
		if (json_is_true(json_object_get(r, "draft")) &&
		    !may_build(req))
			continue;
		json_array_append(rows, r);
	}
	json_decref(all);

	/* the form: this year, the period that ends next */
	struct date today = clock_today_vn();
	enum report_kind kind = REPORT_QUARTERLY;
	report_kind_parse(param(req, "kind"), &kind);
	json_t *kinds = json_array();
	for (int k = REPORT_MONTHLY; k <= REPORT_PLAN; k++)
		json_array_append_new(
			kinds,
			json_pack("{s:s, s:s, s:b}", "key",
				  report_kind_key((enum report_kind)k), "label",
				  kind_label((enum report_kind)k), "selected",
				  k == (int)kind));
	json_t *plans = json_array(), *communes = json_array();
	if (commune) {
		json_t *all_plans;
		err = plan_list(req->db, req->arena, &commune, 1, &all_plans,
				e);
		if (err) {
			json_decref(rows);
			json_decref(kinds);
			json_decref(plans);
			json_decref(communes);
			return err;
		}
		json_array_foreach(all_plans, i, r)
		{
			const char *nt = json_string_value(
				json_object_get(r, "number_text"));
			json_array_append_new(
				plans,
				json_pack("{s:O, s:s, s:b}", "id",
					  json_object_get(r, "id"), "label",
					  arena_printf(
						  req->arena, "%s%s%s (%lld)",
						  nt && *nt ? nt : "",
						  nt && *nt ? " – " : "",
						  json_string_value(
							  json_object_get(
								  r, "title")),
						  (long long)json_integer_value(
							  json_object_get(
								  r, "year"))),
					  "selected",
					  json_integer_value(
						  json_object_get(r, "id")) ==
						  strtoll(param(req, "plan_id"),
							  NULL, 10)));
		}
		json_decref(all_plans);
	}
	if (n > 1) {
		json_decref(communes);
		err = outreach_commune_names(req->db, req->arena, ids, n,
					     commune, &communes, e);
		if (err) {
			json_decref(rows);
			json_decref(kinds);
			json_decref(plans);
			return err;
		}
	}
	int quarter = (today.m - 1) / 3 + 1;
	*out = json_pack(
		"{s:o, s:b, s:b, s:o, s:o, s:o, s:b, s:I, s:i, s:i, s:i}",
		"rows", rows, "has_rows", json_array_size(rows) > 0,
		"can_build", may_build(req) && commune, "kinds", kinds, "plans",
		plans, "communes", communes, "many", n > 1, "commune",
		(json_int_t)commune, "year",
		int_param(req, "year", 2000, 2100, today.y, today.y), "no",
		int_param(req, "no", 1, 12, quarter, quarter), "filter_year",
		year);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "out of memory");
}

static enum err get_list(struct request *req, struct response *res)
{
	json_t *ctx;
	struct error e = {0};
	enum err err = list_ctx(req, &ctx, &e);
	if (err)
		return res_fail(req, res, err, &e);
	json_object_set_new(ctx, "nav", report_nav_json(req));
	return res_page(req, res, 200, T_LIST, "Báo cáo", ctx);
}

static enum err list_invalid(struct request *req, struct response *res,
			     json_t *errors)
{
	json_t *ctx;
	struct error e = {0};
	enum err err = list_ctx(req, &ctx, &e);
	if (err) {
		json_decref(errors);
		return res_fail(req, res, err, &e);
	}
	json_object_set_new(ctx, "nav", report_nav_json(req));
	return res_invalid(req, res, T_LIST, "Báo cáo", ctx, errors);
}

static enum err post_create(struct request *req, struct response *res)
{
	long long *ids, commune;
	int n;
	struct error e = {0};
	enum err err = communes_of(req, &ids, &n, &commune, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune)
		return res_error(req, res, 403,
				 *param(req, "commune") ? msg_not_yours
							: msg_no_commune);
	struct report_request rq = {.commune_id = commune};
	json_t *errors = json_object();
	if (!report_kind_parse(param(req, "kind"), &rq.kind))
		json_object_set_new(errors, "kind",
				    json_string("Chọn loại báo cáo."));
	rq.year = int_param(req, "year", 2000, 2100, 0, 0);
	if (!rq.year)
		json_object_set_new(
			errors, "year",
			json_string("Năm phải là số từ 2000 đến 2100."));
	rq.no = int_param(req, "no", 1, 12, 1, 0);
	if (rq.kind == REPORT_PLAN) {
		rq.plan_id = strtoll(param(req, "plan_id"), NULL, 10);
		if (rq.plan_id <= 0)
			json_object_set_new(
				errors, "plan_id",
				json_string("Chọn kế hoạch cần báo cáo."));
	} else if (json_object_size(errors) == 0) {
		struct date f, t;
		if (!report_period(rq.kind, rq.year, rq.no, 0, &f, &t))
			json_object_set_new(
				errors, "no",
				json_string(rq.kind == REPORT_MONTHLY
						    ? "Tháng phải từ 1 đến 12."
					    : rq.kind == REPORT_QUARTERLY
						    ? "Quý phải từ 1 đến 4."
					    : rq.kind == REPORT_SIX_MONTH
						    ? "Chọn 6 tháng đầu năm "
						      "(1) hoặc cuối năm (2)."
						    : "Báo cáo năm không chia "
						      "kỳ: để kỳ là 1."));
	}
	if (json_object_size(errors))
		return list_invalid(req, res, errors);
	json_decref(errors);
	struct actor who = actor_of(req);
	long long id = 0;
	err = report_create(req->db, req->arena, &who, &rq, &id, &e);
	if (err == ERR_INVALID)
		return list_invalid(req, res,
				    errors_one("plan_id",
					       "Không có kế hoạch này trong "
					       "các kế hoạch của xã."));
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res, arena_printf(req->arena, "/report/%lld", id),
			"Đã lập dự thảo báo cáo. Kiểm tra rồi cấp số để gửi.",
			json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- one report ---- */

/* Loads the report of the route, checking who may see it. *done: the
 * response is written (an error page). */
static enum err load(struct request *req, struct response *res,
		     struct report *r, bool *done)
{
	struct error e = {0};
	*done = true;
	long long id = req_arg_id(req, 0);
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = report_get(req->db, req->arena, id, r, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!plan_can_see(req, r->unit_id))
		return res_error(req, res, 403, msg_not_yours);
	if (!r->number && !may_build(req))
		return res_error(req, res, 403, msg_draft);
	*done = false;
	return ERR_OK;
}

/* The document's tables and charts as the page shows them: every cell
 * formatted as the files show it. */
static void preview_blocks(struct arena *a, json_t *doc)
{
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(doc, "blocks"), i, b)
	{
		const char *type =
			json_string_value(json_object_get(b, "type"));
		json_object_set_new(b, type ? type : "unknown", json_true());
		json_t *formats = json_object_get(b, "formats");
		json_t *rows = json_array();
		size_t r;
		json_t *row;
		if (type && !strcmp(type, "table")) {
			json_array_foreach(json_object_get(b, "rows"), r, row)
			{
				json_t *cells = json_array();
				size_t c;
				json_t *v;
				json_array_foreach(row, c, v)
				{
					const char *f = json_string_value(
						json_array_get(formats, c));
					json_array_append_new(
						cells,
						json_pack("{s:s, s:b}", "text",
							  report_cell_text(a, v,
									   f),
							  "number",
							  json_is_number(v)));
				}
				json_array_append_new(rows, cells);
			}
		} else if (type && !strcmp(type, "chart")) {
			/* a chart is shown as its numbers; the files draw it */
			json_t *cats = json_object_get(b, "categories");
			json_array_foreach(cats, r, row)
			{
				json_t *cells = json_array();
				json_array_append_new(
					cells,
					json_pack("{s:s?}", "text",
						  json_string_value(row)));
				size_t s;
				json_t *series;
				json_array_foreach(json_object_get(b, "series"),
						   s, series)
				{
					json_t *v = json_array_get(
						json_object_get(series,
								"values"),
						r);
					json_array_append_new(
						cells,
						json_pack("{s:s, s:b}", "text",
							  report_cell_text(
								  a, v, NULL),
							  "number", true));
				}
				json_array_append_new(rows, cells);
			}
		}
		json_object_set_new(b, "cells", rows);
	}
}

static const struct error bad_doc = {ERR_INTERNAL,
				     "report: stored document is not JSON"};

/* The context of a report's page: its facts and its document as the page
 * shows it. NULL when the stored document is not JSON. */
static json_t *show_ctx(struct request *req, const struct report *r)
{
	json_t *doc = json_loads(r->doc, 0, NULL);
	if (!doc)
		return NULL;
	preview_blocks(req->arena, doc);
	bool draft = r->number == 0;
	return json_pack(
		"{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, "
		"s:b, s:o, s:s}",
		"id", (json_int_t)r->id, "unit_id", (json_int_t)r->unit_id,
		"unit_name", r->unit_name, "kind_vi", kind_prefix(r->kind),
		"period_vi",
		report_period_vi(req->arena, r->kind, r->year, r->no),
		"period_from", r->period_from, "period_to", r->period_to,
		"number_text", r->number_text, "issued_on", r->issued_on,
		"title", r->title, "draft", draft, "can_change",
		draft && may_build(req), "doc", doc, "created_at",
		r->created_at);
}

static enum err get_show(struct request *req, struct response *res)
{
	struct report r;
	bool done;
	enum err err = load(req, res, &r, &done);
	if (done)
		return err;
	json_t *ctx = show_ctx(req, &r);
	if (!ctx)
		return res_fail(req, res, ERR_INTERNAL, &bad_doc);
	return res_page(req, res, 200, T_SHOW, r.title, ctx);
}

static enum err send_file(struct request *req, struct response *res,
			  const char *ext)
{
	struct report r;
	bool done;
	enum err err = load(req, res, &r, &done);
	if (done)
		return err;
	struct error e = {0};
	json_t *doc = json_loads(r.doc, 0, NULL);
	if (!doc)
		return res_fail(req, res, ERR_INTERNAL, &bad_doc);
	char *out = NULL;
	size_t len = 0;
	const char *type;
	if (!strcmp(ext, "pdf")) {
		err = report_pdf(req->arena, doc, &out, &len, &e);
		type = "application/pdf";
	} else if (!strcmp(ext, "xlsx")) {
		err = report_xlsx(req->arena, doc, &out, &len, &e);
		type = "application/vnd.openxmlformats-officedocument."
		       "spreadsheetml.sheet";
	} else {
		err = report_docx(req->arena, doc, &out, &len, &e);
		type = "application/vnd.openxmlformats-officedocument."
		       "wordprocessingml.document";
	}
	json_decref(doc);
	if (err)
		return res_fail(req, res, err, &e);
	/* BC-12-2025.pdf, or du-thao-BC-7.pdf for a draft (report 7) */
	const char *name =
		r.number
			? arena_printf(req->arena, "BC-%02d-%d-%s.%s", r.number,
				       r.year, report_kind_key(r.kind), ext)
			: arena_printf(req->arena, "du-thao-BC-%lld.%s", r.id,
				       ext);
	res->status = 200;
	res->content_type = type;
	res->body = out;
	res->len = len;
	res_header(
		res, "Content-Disposition",
		arena_printf(req->arena, "attachment; filename=\"%s\"", name));
	res_header(res, "Cache-Control", "private, no-store");
	return ERR_OK;
}

static enum err get_pdf(struct request *req, struct response *res)
{
	return send_file(req, res, "pdf");
}

static enum err get_xlsx(struct request *req, struct response *res)
{
	return send_file(req, res, "xlsx");
}

static enum err get_docx(struct request *req, struct response *res)
{
	return send_file(req, res, "docx");
}

/* A change to a draft: refresh, issue, delete. */
static enum err change(struct request *req, struct response *res,
		       const char *what)
{
	struct report r;
	bool done;
	enum err err = load(req, res, &r, &done);
	if (done)
		return err;
	if (!may_build(req))
		return res_error(req, res, 403,
				 "Chỉ Chủ tịch, Phó Chủ tịch và Văn phòng UBND "
				 "xã sửa, cấp số báo cáo.");
	if (r.number)
		return res_error(
			req, res, 409,
			"Báo cáo đã cấp số và ban hành: giữ nguyên như "
			"đã gửi, không sửa, không xóa được.");
	struct actor who = actor_of(req);
	struct error e = {0};
	const char *loc = arena_printf(req->arena, "/report/%lld", r.id);
	const char *flash;
	if (!strcmp(what, "refresh")) {
		err = report_refresh(req->db, req->arena, &who, r.id, &e);
		flash = "Đã lấy lại số liệu mới nhất cho dự thảo.";
	} else if (!strcmp(what, "delete")) {
		err = report_delete(req->db, req->arena, &who, r.id, &e);
		loc = "/report";
		flash = "Đã xóa dự thảo báo cáo.";
	} else {
		int number = int_param(req, "number", 1, 99999, 0, -1);
		const char *on = text_trim(req->arena, param(req, "issued_on"));
		struct date d;
		json_t *errors = json_object();
		if (number < 0)
			json_object_set_new(
				errors, "number",
				json_string("Số văn bản phải là số nguyên "
					    "dương, hoặc để trống để lấy số "
					    "tiếp theo."));
		char iso[11] = "";
		if (on && *on) {
			if (text_parse_date(on, &d))
				date_format_iso(d, iso);
			else
				json_object_set_new(
					errors, "issued_on",
					json_string("Ngày ban hành không đúng "
						    "(dd/mm/yyyy)."));
		}
		if (!json_object_size(errors)) {
			err = report_issue(req->db, req->arena, &who, r.id,
					   number, iso, &e);
			if (err == ERR_CONFLICT || err == ERR_INVALID)
				json_object_set_new(
					errors,
					err == ERR_CONFLICT ? "number"
							    : "issued_on",
					json_string(
						err == ERR_CONFLICT
							? "Số này đã dùng cho "
							  "báo cáo khác trong "
							  "năm: để trống để "
							  "lấy số tiếp theo."
							: "Ngày ban hành phải "
							  "trong hoặc sau năm "
							  "của báo cáo."));
		}
		if (json_object_size(errors)) {
			/* the report again with what was wrong */
			json_t *ctx = show_ctx(req, &r);
			if (!ctx) {
				json_decref(errors);
				return res_fail(req, res, ERR_INTERNAL,
						&bad_doc);
			}
			return res_invalid(req, res, T_SHOW, r.title, ctx,
					   errors);
		}
		json_decref(errors);
		flash = "Đã cấp số và ngày ban hành; báo cáo không còn thay "
			"đổi.";
	}
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res, loc, flash,
		json_pack("{s:I, s:s}", "id", (json_int_t)r.id, "done", what));
}

static enum err post_refresh(struct request *req, struct response *res)
{
	return change(req, res, "refresh");
}

static enum err post_issue(struct request *req, struct response *res)
{
	return change(req, res, "issue");
}

static enum err post_delete(struct request *req, struct response *res)
{
	return change(req, res, "delete");
}

/* ---- settings ---- */

static enum err settings_page(struct request *req, struct response *res,
			      json_t *errors)
{
	long long *ids, commune;
	int n;
	struct error e = {0};
	enum err err = communes_of(req, &ids, &n, &commune, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune)
		return res_error(req, res, 403, msg_no_commune);
	struct report_settings s;
	err = report_settings_get(req->db, req->arena, commune, &s, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (errors) { /* what was typed */
		s.recipients = param(req, "recipients");
		s.signer_title = param(req, "signer_title");
		s.signer_name = param(req, "signer_name");
	}
	json_t *ctx = json_pack(
		"{s:b, s:I, s:i, s:s, s:s, s:s, s:s, s:b, s:b}", "can_build",
		true, "commune", (json_int_t)commune, "cutoff_day",
		s.cutoff_day, "recipients", s.recipients, "sign_mode",
		s.sign_mode, "signer_title", s.signer_title, "signer_name",
		s.signer_name, "tm", !strcmp(s.sign_mode, "TM."), "kt",
		!strcmp(s.sign_mode, "KT."));
	json_object_set_new(ctx, "nav", report_nav_json(req));
	if (errors)
		return res_invalid(req, res, T_SETTINGS, "Cài đặt báo cáo", ctx,
				   errors);
	return res_page(req, res, 200, T_SETTINGS, "Cài đặt báo cáo", ctx);
}

static enum err get_settings(struct request *req, struct response *res)
{
	return settings_page(req, res, NULL);
}

static enum err post_settings(struct request *req, struct response *res)
{
	long long *ids, commune;
	int n;
	struct error e = {0};
	enum err err = communes_of(req, &ids, &n, &commune, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune)
		return res_error(req, res, 403, msg_no_commune);
	struct report_settings s = {
		.cutoff_day = int_param(req, "cutoff_day", 0, 28, -1, -1),
		.recipients = text_trim(req->arena, param(req, "recipients")),
		.sign_mode = param(req, "sign_mode"),
		.signer_title =
			text_trim(req->arena, param(req, "signer_title")),
		.signer_name = text_trim(req->arena, param(req, "signer_name")),
	};
	json_t *errors = json_object();
	if (s.cutoff_day < 0)
		json_object_set_new(errors, "cutoff_day",
				    json_string("Ngày chốt số liệu phải từ 0 "
						"(theo tháng dương lịch) đến "
						"28."));
	if (strcmp(s.sign_mode, "TM.") && strcmp(s.sign_mode, "KT."))
		json_object_set_new(errors, "sign_mode",
				    json_string("Chọn TM. hoặc KT."));
	if (!s.signer_title || !*s.signer_title)
		json_object_set_new(errors, "signer_title",
				    json_string("Nhập chức vụ người ký."));
	if (!s.recipients || !strstr(s.recipients, "Lưu"))
		json_object_set_new(errors, "recipients",
				    json_string("Nơi nhận phải có dòng "
						"\"Lưu: VT, ...\" ở cuối."));
	if (json_object_size(errors))
		return settings_page(req, res, errors);
	json_decref(errors);
	struct actor who = actor_of(req);
	err = report_settings_save(req->db, req->arena, &who, commune, &s, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res, "/report/settings", "Đã lưu cài đặt báo cáo.",
			json_pack("{s:b}", "saved", true));
}

void report_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/report", get_list, READ_ROLES, "report"},
		{"POST", "/report", post_create, BUILD_ROLES, "report"},
		{"GET", "/report/settings", get_settings, BUILD_ROLES,
		 "report"},
		{"POST", "/report/settings", post_settings, BUILD_ROLES,
		 "report"},
		{"GET", "/report/{id}", get_show, READ_ROLES, "report"},
		{"GET", "/report/{id}/pdf", get_pdf, READ_ROLES, "report"},
		{"GET", "/report/{id}/xlsx", get_xlsx, READ_ROLES, "report"},
		{"GET", "/report/{id}/docx", get_docx, READ_ROLES, "report"},
		{"POST", "/report/{id}/refresh", post_refresh, BUILD_ROLES,
		 "report"},
		{"POST", "/report/{id}/issue", post_issue, BUILD_ROLES,
		 "report"},
		{"POST", "/report/{id}/delete", post_delete, BUILD_ROLES,
		 "report"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	report_dashboard_http_register();
}
