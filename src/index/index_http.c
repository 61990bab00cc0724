/* The pages of the PAPI index that exist so far: the index home, the
 * catalogue (versions, one version's tree, import, export, copy), the
 * official results (a year's table with groups and ranks, a province
 * against the median province with a radar chart, import). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "index_db.h"
#include "papi.h"
#include "round.h"
#include "results.h"
#include "weights.h"
#include "../cli.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../http/http.h"
#include "../base/banned.h"

/* The eight dimensions as the official results name them. */
static const char *const dim_names[8] = {
	"Tham gia của người dân ở cấp cơ sở",
	"Công khai, minh bạch trong việc ra quyết định ở địa phương",
	"Trách nhiệm giải trình với người dân",
	"Kiểm soát tham nhũng trong khu vực công",
	"Thủ tục hành chính công",
	"Cung ứng dịch vụ công",
	"Quản trị môi trường",
	"Quản trị điện tử",
};
/* Short labels for the radar chart and table heads. */
static const char *const dim_short[8] = {
	"Tham gia",           "Công khai",    "Giải trình", "Chống tham nhũng",
	"Thủ tục hành chính", "Dịch vụ công", "Môi trường", "Điện tử",
};

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

static int year_of(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 1990 && v <= 2100 ? (int)v : 0;
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

/* A rejected file: the form again with every bad row and column. */
static enum err rejected(struct request *req, struct response *res,
			 const char *tpl, const char *title, json_t *ctx,
			 const struct problems *p)
{
	json_t *list = problems_json(p);
	if (req->api) {
		json_decref(ctx);
		return res_json(req, res, 422,
				json_pack("{s:s, s:s, s:{s:s}, s:i, s:o}",
					  "error", "invalid", "message",
					  msg_import_bad, "errors", "file",
					  msg_import_bad, "nproblems", p->n,
					  "problems", list));
	}
	json_object_set_new(ctx, "problems", list);
	json_object_set_new(ctx, "nproblems", json_integer(p->n));
	json_object_set_new(ctx, "more", json_integer(p->n - p->kept));
	return res_invalid(req, res, tpl, title, ctx,
			   json_pack("{s:s}", "file", msg_import_bad));
}

/* The upload of a form: the file, or the text pasted in its box. */
static const char *upload(const struct request *req, const char **filename)
{
	return req_file_text(req, "file", "csv", filename);
}

/* ---- home ---- */

static enum err get_home(struct request *req, struct response *res)
{
	struct error e = {0};
	json_t *versions = NULL, *years = NULL, *rounds = NULL;
	enum err err =
		idb_catalogue_versions(req->db, req->arena, &versions, &e);
	if (!err)
		err = idb_official_years(req->db, req->arena, &years, &e);
	if (!err)
		err = idb_rounds(req->db, req->arena, &rounds, &e);
	if (err) {
		json_decref(versions);
		json_decref(years);
		return res_fail(req, res, err, &e);
	}
	size_t nv = json_array_size(versions), nr = json_array_size(rounds);
	size_t i;
	json_t *y;
	json_array_foreach(years, i, y) json_object_set_new(
		y, "sep",
		json_string(i + 1 < json_array_size(years) ? "; " : ""));
	json_t *latest = json_array_get(versions, 0);
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:b, s:O*, s:i, s:b, s:i}",
				"versions", versions, "years", years, "rounds",
				rounds, "can_admin", is_admin(req), "latest",
				latest, "nversions", (int)nv, "many_versions",
				nv > 1, "nrounds", (int)nr);
	return res_page(req, res, 200, "index/home", "Chỉ số PAPI", ctx);
}

/* ---- catalogue ---- */

static json_t *catalogue_ctx(struct request *req, struct error *e,
			     enum err *err)
{
	json_t *versions = NULL;
	*err = idb_catalogue_versions(req->db, req->arena, &versions, e);
	if (*err)
		return NULL;
	int next = 0;
	json_t *latest = json_array_get(versions, 0);
	if (latest)
		next = (int)json_integer_value(
			       json_object_get(latest, "year")) +
		       1;
	return json_pack("{s:o, s:b, s:i, s:O*}", "versions", versions,
			 "can_admin", is_admin(req), "next_year", next,
			 "latest", latest);
}

static enum err get_catalogue(struct request *req, struct response *res)
{
	struct error e = {0};
	enum err err;
	json_t *ctx = catalogue_ctx(req, &e, &err);
	if (!ctx)
		return res_fail(req, res, err, &e);
	return res_page(req, res, 200, "index/catalogue",
			"Danh mục chỉ số PAPI", ctx);
}

static json_t *catalogue_tree(struct arena *a, const struct catalogue *c)
{
	json_t *dims = json_array();
	for (int d = 0; d < c->ndimensions; d++) {
		json_t *subs = json_array();
		int nind = 0;
		for (int s = 0; s < c->nsubdimensions; s++) {
			if (c->subdimensions[s].dimension != d)
				continue;
			json_t *inds = json_array();
			for (int i = 0; i < c->nindicators; i++) {
				const struct cat_indicator *in =
					&c->indicators[i];
				if (in->subdimension != s)
					continue;
				nind++;
				json_t *qs = json_array();
				bool scored = false;
				for (int k = 0; k < c->nquestions; k++) {
					const struct cat_question *q =
						&c->questions[k];
					if (q->indicator != i)
						continue;
					scored |= q->direction !=
						  DIRECTION_DESCRIPTIVE;
					json_array_append_new(
						qs,
						json_pack(
							"{s:s, s:s, s:s, s:s, "
							"s:s, s:s, s:s, s:s, "
							"s:s, s:s, s:s, s:b}",
							"code", q->code,
							"text_vi", q->text_vi,
							"text_en", q->text_en,
							"type",
							answer_type_key(
								q->type),
							"type_vi",
							answer_type_label_vi(
								q->type),
							"choices", q->choices,
							"lower",
							catalogue_number(
								a, q->lower),
							"upper",
							catalogue_number(
								a, q->upper),
							"direction_vi",
							direction_label_vi(
								q->direction),
							"missing_codes",
							q->missing_codes,
							"skip_if", q->skip_if,
							"reversed",
							q->direction ==
								DIRECTION_LOWER_BETTER));
				}
				json_array_append_new(
					inds,
					json_pack("{s:s, s:s, s:s, s:s, s:b, "
						  "s:f, s:b, s:o}",
						  "code", in->code, "name_vi",
						  in->name_vi, "name_en",
						  in->name_en, "source",
						  in->source, "local",
						  in->local, "weight",
						  in->weight, "scored", scored,
						  "questions", qs));
			}
			json_array_append_new(
				subs,
				json_pack("{s:s, s:s, s:s, s:i, s:o}", "code",
					  c->subdimensions[s].code, "name_vi",
					  c->subdimensions[s].name_vi,
					  "name_en",
					  c->subdimensions[s].name_en, "count",
					  (int)json_array_size(inds),
					  "indicators", inds));
		}
		json_array_append_new(
			dims, json_pack("{s:s, s:s, s:s, s:i, s:o}", "code",
					c->dimensions[d].code, "name_vi",
					c->dimensions[d].name_vi, "name_en",
					c->dimensions[d].name_en, "indicators",
					nind, "subdimensions", subs));
	}
	return dims;
}

static enum err get_catalogue_version(struct request *req, struct response *res)
{
	int year = (int)req_arg_id(req, 0);
	struct catalogue c;
	struct error e = {0};
	enum err err =
		year > 0 ? idb_catalogue_load(req->db, req->arena, year, &c, &e)
			 : ERR_NOTFOUND;
	if (err)
		return res_fail(req, res, err, &e);
	json_t *ctx = json_pack(
		"{s:i, s:s, s:i, s:i, s:i, s:i, s:o}", "year", c.year, "name",
		c.name, "ndimensions", c.ndimensions, "nsubdimensions",
		c.nsubdimensions, "nindicators", c.nindicators, "nquestions",
		c.nquestions, "dimensions", catalogue_tree(req->arena, &c));
	return res_page(
		req, res, 200, "index/catalogue_version",
		arena_printf(req->arena, "Danh mục chỉ số PAPI %d", c.year),
		ctx);
}

static enum err get_catalogue_export(struct request *req, struct response *res)
{
	int year = (int)req_arg_id(req, 0);
	struct catalogue c;
	struct error e = {0};
	enum err err =
		year > 0 ? idb_catalogue_load(req->db, req->arena, year, &c, &e)
			 : ERR_NOTFOUND;
	if (err)
		return res_fail(req, res, err, &e);
	size_t len;
	char *csv = catalogue_csv(req->arena, &c, &len);
	if (!csv)
		return ERR_NOMEM;
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	res->body = csv;
	res->len = len;
	res_header(res, "Content-Disposition",
		   arena_printf(req->arena,
				"attachment; filename=\"catalogue_%d.csv\"",
				year));
	return ERR_OK;
}

static enum err post_catalogue_import(struct request *req, struct response *res)
{
	struct papi_actor who = actor_of(req);
	const char *filename, *csv = upload(req, &filename);
	struct error e = {0};
	enum err err;
	json_t *ctx = catalogue_ctx(req, &e, &err);
	if (!ctx)
		return res_fail(req, res, err, &e);
	if (!*csv) {
		return res_invalid(
			req, res, "index/catalogue", "Danh mục chỉ số PAPI",
			ctx,
			json_pack("{s:s}", "file",
				  "Vui lòng chọn tệp CSV hoặc dán nội dung."));
	}
	struct catalogue c;
	struct problems p = {0};
	err = papi_catalogue_import(req->db, req->arena, &who, csv, strlen(csv),
				    param(req, "name"), &c, &p, &e);
	if (err == ERR_INVALID)
		return rejected(req, res, "index/catalogue",
				"Danh mục chỉ số PAPI", ctx, &p);
	json_decref(ctx);
	if (err == ERR_CONFLICT)
		return res_error(
			req, res, 409,
			"Danh mục của năm này đã được một đợt khảo sát sử "
			"dụng nên không thể thay thế. Hãy sao chép sang năm "
			"mới rồi nhập vào năm đó.");
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res,
		arena_printf(req->arena, "/index/catalogue/%d", c.year),
		arena_printf(
			req->arena,
			"Đã nhập danh mục %d: %d nội dung thành phần, %d chỉ "
			"số, %d câu hỏi.",
			c.year, c.nsubdimensions, c.nindicators, c.nquestions),
		json_pack("{s:i, s:i, s:i, s:i}", "year", c.year,
			  "subdimensions", c.nsubdimensions, "indicators",
			  c.nindicators, "questions", c.nquestions));
}

static enum err post_catalogue_copy(struct request *req, struct response *res)
{
	struct papi_actor who = actor_of(req);
	int from = year_of(param(req, "from")), to = year_of(param(req, "to"));
	json_t *errors = json_object();
	if (!from)
		json_object_set_new(errors, "from",
				    json_string("Vui lòng chọn năm nguồn."));
	if (!to)
		json_object_set_new(
			errors, "to",
			json_string("Năm mới phải là một năm, ví dụ 2025."));
	struct error e = {0};
	enum err err = ERR_OK;
	if (!json_object_size(errors)) {
		err = papi_catalogue_copy(req->db, req->arena, &who, from, to,
					  param(req, "name"), &e);
		if (err == ERR_CONFLICT)
			json_object_set_new(
				errors, "to",
				json_string("Năm này đã có danh mục."));
		else if (err == ERR_NOTFOUND)
			json_object_set_new(
				errors, "from",
				json_string("Năm nguồn chưa có danh mục."));
		else if (err)
			return res_fail(req, res, err, &e);
	}
	if (json_object_size(errors)) {
		json_t *ctx = catalogue_ctx(req, &e, &err);
		if (!ctx) {
			json_decref(errors);
			return res_fail(req, res, err, &e);
		}
		return res_invalid(req, res, "index/catalogue",
				   "Danh mục chỉ số PAPI", ctx, errors);
	}
	json_decref(errors);
	return res_done(
		req, res, arena_printf(req->arena, "/index/catalogue/%d", to),
		arena_printf(req->arena, "Đã tạo danh mục %d từ danh mục %d.",
			     to, from),
		json_pack("{s:i, s:i}", "year", to, "copied_from", from));
}

/* ---- official results ---- */

/* "Ha Noi" -> "ha-noi": the unit's part of a page address. */
static char *slug(struct arena *a, const char *code)
{
	size_t n = strlen(code);
	char *s = arena_alloc(a, n + 1);
	if (!s)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)code[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			s[k++] = (char)c;
		else if (c >= 'A' && c <= 'Z')
			s[k++] = (char)(c - 'A' + 'a');
		else if (k && s[k - 1] != '-')
			s[k++] = '-';
	}
	while (k && s[k - 1] == '-')
		k--;
	s[k] = '\0';
	return s;
}

static json_t *score_json(struct arena *a, double v)
{
	if (isnan(v))
		return json_null();
	return json_string(text_format_number(a, v, 4));
}

struct year_stats {
	int ranks[OFFICIAL_MEASURES];
	int groups[OFFICIAL_MEASURES];
};

/* Ranks and groups of every row of a set (all rows of one year). */
static struct year_stats *year_stats(struct arena *a,
				     const struct official_set *s, int year,
				     struct tier_cuts *cuts)
{
	struct year_stats *st = arena_alloc(a, sizeof *st * (size_t)(s->n + 1));
	int *ranks = arena_alloc(a, sizeof *ranks * (size_t)(s->n + 1));
	int *groups = arena_alloc(a, sizeof *groups * (size_t)(s->n + 1));
	if (!st || !ranks || !groups)
		return NULL;
	for (int m = 0; m < OFFICIAL_MEASURES; m++) {
		official_groups(s->rows, s->n, year, m, TIER_TIE_UPPER, ranks,
				groups, &cuts[m]);
		for (int i = 0; i < s->n; i++) {
			st[i].ranks[m] = ranks[i];
			st[i].groups[m] = groups[i];
		}
	}
	return st;
}

static const char *group_label(int g)
{
	return g ? tier_map_label_vi((enum tier)(5 - g)) : "Không xếp nhóm";
}

struct sort_ctx {
	const struct official_set *s;
	int measure; /* -1: name */
	bool desc;
};
static int cmp_rows(const void *x, const void *y, void *ctx)
{
	const struct sort_ctx sort_by = *(const struct sort_ctx *)ctx;
	int i = *(const int *)x, j = *(const int *)y;
	if (sort_by.measure < 0) {
		/* rows come from the database in Vietnamese order */
		return sort_by.desc ? j - i : i - j;
	}
	double a = sort_by.s->rows[i].v[sort_by.measure],
	       b = sort_by.s->rows[j].v[sort_by.measure];
	if (isnan(a) || isnan(b)) /* missing scores last either way */
		return isnan(a) && isnan(b) ? i - j : isnan(a) ? 1 : -1;
	if (a == b)
		return i - j;
	return (a < b) == sort_by.desc ? 1 : -1;
}

static enum err get_official(struct request *req, struct response *res)
{
	struct error e = {0};
	json_t *years = NULL;
	enum err err = idb_official_years(req->db, req->arena, &years, &e);
	if (err)
		return res_fail(req, res, err, &e);
	int year = year_of(param(req, "year"));
	if (!year && json_array_size(years))
		year = (int)json_integer_value(
			json_object_get(json_array_get(years, 0), "year"));
	struct official_set s = {0};
	if (year &&
	    (err = idb_official_load(req->db, req->arena, year, &s, &e))) {
		json_decref(years);
		return res_fail(req, res, err, &e);
	}
	const char *sort = param(req, "sort");
	int measure = -1;
	for (int m = 0; m < OFFICIAL_MEASURES; m++)
		if (!strcmp(sort, official_measure_keys[m]))
			measure = m;
	if (!strcmp(sort, "rank"))
		measure = 8;
	bool desc = measure >= 0; /* scores: highest first by default */
	if (!strcmp(param(req, "dir"), "asc"))
		desc = false;
	else if (!strcmp(param(req, "dir"), "desc"))
		desc = true;
	struct tier_cuts cuts[OFFICIAL_MEASURES];
	struct year_stats *st = year_stats(req->arena, &s, year, cuts);
	int *order = arena_alloc(req->arena, sizeof *order * (size_t)(s.n + 1));
	if (!st || !order) {
		json_decref(years);
		return ERR_NOMEM;
	}
	for (int i = 0; i < s.n; i++)
		order[i] = i;
	struct sort_ctx sort_by = {&s, measure, desc};
	qsort_r(order, (size_t)s.n, sizeof *order, cmp_rows, &sort_by);
	json_t *rows = json_array();
	for (int k = 0; k < s.n; k++) {
		int i = order[k];
		const struct official_row *r = &s.rows[i];
		json_t *cells = json_array();
		for (int m = 0; m < OFFICIAL_MEASURES; m++)
			json_array_append_new(
				cells,
				json_pack("{s:o, s:o, s:i, s:s, s:i, s:b}",
					  "score",
					  score_json(req->arena, r->v[m]),
					  "value",
					  isnan(r->v[m]) ? json_null()
							 : json_real(r->v[m]),
					  "group", st[i].groups[m], "group_vi",
					  group_label(st[i].groups[m]), "rank",
					  st[i].ranks[m], "total", m == 8));
		json_array_append_new(
			rows,
			json_pack("{s:s, s:s, s:s, s:o, s:i, s:i, s:s}", "name",
				  r->name, "code", r->code, "slug",
				  slug(req->arena, r->code), "cells", cells,
				  "rank", r->rank, "computed_rank",
				  st[i].ranks[8], "status", r->status));
	}
	json_t *heads = json_array();
	const char *sort_key =
		measure < 0 ? "name" : official_measure_keys[measure];
	for (int m = -1; m < OFFICIAL_MEASURES; m++) {
		const char *key = m < 0 ? "name" : official_measure_keys[m];
		bool active = !strcmp(key, sort_key);
		/* a second click on the sorted column turns it around */
		bool next_desc = active ? !desc : m >= 0;
		json_array_append_new(
			heads,
			json_pack(
				"{s:s, s:s, s:s, s:s, s:b, s:s, s:b}", "key",
				key, "label",
				m < 0    ? "Tỉnh, thành phố"
				: m == 8 ? "Tổng điểm"
					 : dim_short[m],
				"title",
				m < 0    ? "Thứ tự tên tiếng Việt"
				: m == 8 ? "Tổng điểm 8 lĩnh vực (8–80)"
					 : dim_names[m],
				"href",
				arena_printf(req->arena,
					     "/index/"
					     "official?year=%d&sort=%s&dir=%s",
					     year, key,
					     next_desc ? "desc" : "asc"),
				"active", active, "arrow",
				active ? (desc ? "▼" : "▲") : "", "num",
				m >= 0));
	}
	json_t *medians = json_array();
	for (int m = 0; m < OFFICIAL_MEASURES; m++)
		json_array_append_new(
			medians,
			json_pack("{s:o, s:o, s:o, s:o}", "median",
				  score_json(req->arena, cuts[m].p50), "p25",
				  score_json(req->arena, cuts[m].p25), "p75",
				  score_json(req->arena, cuts[m].p75), "n",
				  json_integer(cuts[m].n)));
	json_t *ctx =
		json_pack("{s:o, s:i, s:o, s:o, s:o, s:i, s:b}", "years", years,
			  "year", year, "rows", rows, "heads", heads, "medians",
			  medians, "count", s.n, "can_admin", is_admin(req));
	size_t i;
	json_t *y;
	json_array_foreach(years, i, y) json_object_set_new(
		y, "selected",
		json_boolean(json_integer_value(json_object_get(y, "year")) ==
			     year));
	return res_page(req, res, 200, "index/official",
			year ? arena_printf(req->arena,
					    "Kết quả PAPI chính thức %d", year)
			     : "Kết quả PAPI chính thức",
			ctx);
}

/* ---- radar chart ---- */

struct series {
	const double *v; /* 8 values, NaN missing */
	const char *stroke, *fill, *dash, *label;
};

static void svg_put(struct arena *a, char **out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void svg_put(struct arena *a, char **out, const char *fmt, ...)
{
	if (!*out)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *more = arena_vprintf(a, fmt, ap);
	va_end(ap);
	*out = more ? arena_printf(a, "%s%s", *out, more) : NULL;
}

/* Eight axes from the top, clockwise; scores 0..10 from the centre. */
static char *radar_svg(struct arena *a, const struct series *s, int ns)
{
	const double cx = 180, cy = 140, rmax = 100, pi = 3.14159265358979;
	char *out = arena_strdup(a, "");
	svg_put(a, &out,
		"<svg class=\"radar\" viewBox=\"-40 0 440 280\" role=\"img\" "
		"aria-label=\"Biểu đồ radar điểm 8 lĩnh vực\" "
		"xmlns=\"http://www.w3.org/2000/svg\">");
	for (int ring = 2; ring <= 10; ring += 2) {
		svg_put(a, &out,
			"<polygon fill=\"none\" stroke=\"#d5d9e0\" "
			"stroke-width=\"1\" points=\"");
		for (int k = 0; k < 8; k++) {
			double ang = -pi / 2 + k * pi / 4,
			       r = rmax * ring / 10.0;
			svg_put(a, &out, "%.1f,%.1f ", cx + r * cos(ang),
				cy + r * sin(ang));
		}
		svg_put(a, &out, "\"/>");
		svg_put(a, &out,
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" "
			"fill=\"#6b7280\">%d</text>",
			cx + 3, cy - rmax * ring / 10.0 + 10, ring);
	}
	for (int k = 0; k < 8; k++) {
		double ang = -pi / 2 + k * pi / 4;
		double x = cx + rmax * cos(ang), y = cy + rmax * sin(ang);
		double lx = cx + (rmax + 14) * cos(ang),
		       ly = cy + (rmax + 14) * sin(ang);
		const char *anchor = fabs(cos(ang)) < 0.2 ? "middle"
				     : cos(ang) > 0       ? "start"
							  : "end";
		svg_put(a, &out,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#d5d9e0\"/>",
			cx, cy, x, y);
		svg_put(a, &out,
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
			"text-anchor=\"%s\" dominant-baseline=\"middle\" "
			"fill=\"#1f2937\">%s</text>",
			lx, ly, anchor, dim_short[k]);
	}
	for (int i = 0; i < ns; i++) {
		if (!s[i].v)
			continue;
		svg_put(a, &out,
			"<polygon fill=\"%s\" fill-opacity=\"0.18\" "
			"stroke=\"%s\" stroke-width=\"2\"%s%s%s points=\"",
			s[i].fill, s[i].stroke,
			*s[i].dash ? " stroke-dasharray=\"" : "", s[i].dash,
			*s[i].dash ? "\"" : "");
		for (int k = 0; k < 8; k++) {
			double v = isnan(s[i].v[k]) ? 0 : s[i].v[k];
			double ang = -pi / 2 + k * pi / 4, r = rmax * v / 10.0;
			svg_put(a, &out, "%.1f,%.1f ", cx + r * cos(ang),
				cy + r * sin(ang));
		}
		svg_put(a, &out, "\"><title>%s</title></polygon>",
			text_html_escape(a, s[i].label));
	}
	svg_put(a, &out, "</svg>");
	return out;
}

/* The radar for other pages (results.h): the official page's colours. */
char *index_radar_svg(struct arena *a, const double *const *v,
		      const char *const *labels, int ns)
{
	static const char *const stroke[3] = {"#1d4ed8", "#b45309", "#6b7280"};
	static const char *const fill[3] = {"#1d4ed8", "#b45309", "#9ca3af"};
	static const char *const dash[3] = {"", "6 4", "2 3"};
	struct series s[3];
	for (int i = 0; i < 3; i++)
		s[i] = (struct series){i < ns ? v[i] : NULL, stroke[i], fill[i],
				       dash[i], i < ns ? labels[i] : ""};
	return radar_svg(a, s, ns < 3 ? ns : 3);
}

static enum err get_official_unit(struct request *req, struct response *res)
{
	const char *want = req->route_args[0];
	struct official_set all = {0};
	struct error e = {0};
	enum err err = idb_official_load(req->db, req->arena, 0, &all, &e);
	if (err)
		return res_fail(req, res, err, &e);
	int year = year_of(param(req, "year"));
	/* the unit's rows, oldest year first */
	int mine[64], nmine = 0;
	for (int i = 0; i < all.n && nmine < 64; i++) {
		const char *sl = slug(req->arena, all.rows[i].code);
		if (sl && !strcmp(sl, want))
			mine[nmine++] = i;
	}
	if (!nmine)
		return res_error(req, res, 404, NULL);
	int cur = -1, prev = -1;
	for (int k = 0; k < nmine; k++) {
		int y = all.rows[mine[k]].year;
		if (year ? y == year : true)
			cur = mine[k];
		if (year && y < year)
			prev = mine[k];
	}
	if (cur < 0)
		return res_error(req, res, 404, NULL);
	year = all.rows[cur].year;
	for (int k = 0; k < nmine; k++)
		if (all.rows[mine[k]].year < year)
			prev = mine[k];
	/* this year's rows alone, for groups, ranks and the median */
	struct official_set ys = {all.rows, 0};
	int first = -1;
	for (int i = 0; i < all.n; i++)
		if (all.rows[i].year == year) {
			if (first < 0)
				first = i;
			ys.n = i - first + 1;
		}
	ys.rows = all.rows + first;
	struct tier_cuts cuts[OFFICIAL_MEASURES];
	struct year_stats *st = year_stats(req->arena, &ys, year, cuts);
	if (!st)
		return ERR_NOMEM;
	const struct official_row *r = &all.rows[cur];
	const struct official_row *p = prev >= 0 ? &all.rows[prev] : NULL;
	const struct year_stats *mst = &st[cur - first];
	double med[OFFICIAL_MEASURES];
	json_t *lines = json_array();
	for (int m = 0; m < OFFICIAL_MEASURES; m++) {
		med[m] = cuts[m].p50;
		double diff = r->v[m] - med[m];
		double change = p ? r->v[m] - p->v[m] : NAN;
		json_array_append_new(
			lines,
			json_pack(
				"{s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:i, s:s, "
				"s:i, s:i, s:o, s:o, s:b, s:b}",
				"code",
				m == 8 ? ""
				       : arena_printf(req->arena, "D%d", m + 1),
				"name",
				m == 8 ? "Tổng điểm (8–80)" : dim_short[m],
				"full_name",
				m == 8 ? "Tổng điểm 8 lĩnh vực" : dim_names[m],
				"score", score_json(req->arena, r->v[m]),
				"median", score_json(req->arena, med[m]),
				"diff",
				isnan(diff)
					? json_null()
					: json_string(arena_printf(
						  req->arena, "%s%s",
						  diff > 0 ? "+" : "",
						  text_format_number(req->arena,
								     diff, 2))),
				"above", !isnan(diff) && diff >= 0, "group",
				mst->groups[m], "group_vi",
				group_label(mst->groups[m]), "rank",
				mst->ranks[m], "n", cuts[m].n, "previous",
				p ? score_json(req->arena, p->v[m])
				  : json_null(),
				"change",
				isnan(change) ? json_null()
					      : json_string(arena_printf(
							req->arena, "%s%s",
							change > 0 ? "+" : "",
							text_format_number(
								req->arena,
								change, 2))),
				"up", !isnan(change) && change >= 0, "total",
				m == 8));
	}
	struct series ser[3] = {
		{r->v, "#1d4ed8", "#1d4ed8", "",
		 arena_printf(req->arena, "%s %d", r->name, year)},
		{p ? p->v : NULL, "#b45309", "#b45309", "6 4",
		 p ? arena_printf(req->arena, "%s %d", r->name, p->year) : ""},
		{med, "#6b7280", "#9ca3af", "2 3",
		 arena_printf(req->arena, "Tỉnh trung vị %d", year)},
	};
	char *svg = radar_svg(req->arena, ser, 3);
	json_t *years = json_array();
	for (int k = 0; k < nmine; k++)
		json_array_append_new(
			years,
			json_pack("{s:i, s:b}", "year", all.rows[mine[k]].year,
				  "selected", all.rows[mine[k]].year == year));
	int missing = 0;
	for (int m = 0; m < 8; m++)
		missing += isnan(r->v[m]);
	json_t *ctx = json_pack(
		"{s:s, s:s, s:s, s:i, s:o, s:s*, s:i, s:i, s:i, s:o, s:o, s:i, "
		"s:s, s:b}",
		"name", r->name, "code", r->code, "slug", want, "year", year,
		"previous_year", p ? json_integer(p->year) : json_null(), "svg",
		svg, "published_rank", r->rank, "computed_rank", mst->ranks[8],
		"n_ranked", r->n_ranked ? r->n_ranked : cuts[8].n, "lines",
		lines, "years", years, "missing", missing, "status", r->status,
		"has_previous", p != NULL);
	return res_page(
		req, res, 200, "index/province",
		arena_printf(req->arena, "%s – kết quả PAPI %d", r->name, year),
		ctx);
}

static enum err get_official_import(struct request *req, struct response *res)
{
	return res_page(req, res, 200, "index/official_import",
			"Nhập kết quả PAPI chính thức", json_object());
}

static enum err post_official_import(struct request *req, struct response *res)
{
	struct papi_actor who = actor_of(req);
	const char *filename, *csv = upload(req, &filename);
	if (!*csv)
		return res_invalid(
			req, res, "index/official_import",
			"Nhập kết quả PAPI chính thức", json_object(),
			json_pack("{s:s}", "file",
				  "Vui lòng chọn tệp CSV hoặc dán nội dung."));
	struct official_set s;
	struct problems p = {0};
	struct error e = {0};
	enum err err = papi_official_import(
		req->db, req->arena, &who, csv, strlen(csv),
		*filename ? filename : "(dán vào trang)", &s, &p, &e);
	if (err == ERR_INVALID)
		return rejected(req, res, "index/official_import",
				"Nhập kết quả PAPI chính thức", json_object(),
				&p);
	if (err)
		return res_fail(req, res, err, &e);
	int year = 0;
	for (int i = 0; i < s.n; i++)
		year = s.rows[i].year > year ? s.rows[i].year : year;
	return res_done(
		req, res,
		arena_printf(req->arena, "/index/official?year=%d", year),
		arena_printf(req->arena, "Đã nhập %d dòng kết quả chính thức.",
			     s.n),
		json_pack("{s:i, s:i}", "rows", s.n, "latest_year", year));
}

void index_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/index", get_home, ROLE_ANY_USER, "index"},
		{"GET", "/index/catalogue", get_catalogue, ROLE_ANY_USER,
		 "index"},
		{"POST", "/index/catalogue/import", post_catalogue_import,
		 ROLE_ADMIN, "index"},
		{"POST", "/index/catalogue/copy", post_catalogue_copy,
		 ROLE_ADMIN, "index"},
		{"GET", "/index/catalogue/{year}", get_catalogue_version,
		 ROLE_ANY_USER, "index"},
		{"GET", "/index/catalogue/{year}/export", get_catalogue_export,
		 ROLE_ANY_USER, "index"},
		{"GET", "/index/official", get_official, ROLE_ANY_USER,
		 "index"},
		{"GET", "/index/official/import", get_official_import,
		 ROLE_ADMIN, "index"},
		{"POST", "/index/official/import", post_official_import,
		 ROLE_ADMIN, "index"},
		{"GET", "/index/official/{unit}", get_official_unit,
		 ROLE_ANY_USER, "index"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	round_http_register(); /* survey rounds and sampling: round_http.c */
	interview_http_register();
	results_http_register(); /* round results: results_http.c */
	weights_http_register(); /* margins, raked weights: weights_http.c */
}
