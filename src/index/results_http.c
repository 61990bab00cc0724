/* The pages of a round's results (results.h): the scores of the commune
 * and its villages with CIs, tiers and ranks, and a radar against the
 * previous round; a dimension's drill-down; the weakest indicators. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "index_db.h"
#include "results.h"
#include "weights.h"
#include "../people/people.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../http/http.h"
#include "../base/banned.h"

static const char msg_few[] = "Không đủ số phiếu";

static long long id_of(const char *s)
{
	char *end;
	long long v = strtoll(s ? s : "", &end, 10);
	return s && *s && !*end && v > 0 ? v : 0;
}

static enum err failure(struct request *req, struct response *res, enum err err,
			const struct error *e)
{
	if (err == ERR_INVALID) /* the design: a commune with one village */
		return res_error(
			req, res, 409,
			"Chưa tính được kết quả của đợt này: mỗi xã cần ít "
			"nhất hai thôn có phiếu, hoặc đổi cách xử lý xã chỉ "
			"có một thôn (lonely PSU) trong cài đặt của đợt.");
	if (err == ERR_CONFLICT) /* the margins cannot be met (weights.h) */
		return res_error(req, res, 409,
				 weights_message_vi(req->arena, e));
	return res_fail(req, res, err, e);
}

static json_t *num(struct arena *a, double v, int dec)
{
	return isnan(v) ? json_null()
			: json_string(text_format_number(a, v, dec));
}

/* A score as the pages show it: value, CI, or why there is none. */
static json_t *value_json(struct arena *a, const struct score_value *v, int dec)
{
	bool ok = v->reason == SCORE_OK && !isnan(v->value);
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:b}", "value",
			      num(a, v->value, dec), "ci_low",
			      num(a, v->ci_low, dec), "ci_high",
			      num(a, v->ci_high, dec), "se",
			      num(a, v->se, dec + 1), "ok", ok);
	if (!ok)
		json_object_set_new(
			o, "reason",
			json_string(arena_printf(a, "%s: %s", msg_few,
						 score_reason_vi(v->reason))));
	json_object_set_new(o, "reason_code",
			    json_string(score_reason_code(v->reason)));
	if (v->n)
		json_object_set_new(o, "n", json_integer((json_int_t)v->n));
	if (ok) { /* raw numbers for the API */
		json_object_set_new(o, "raw", json_real(v->value));
		json_object_set_new(o, "se_raw", json_real(v->se));
		json_object_set_new(o, "ci_low_raw", json_real(v->ci_low));
		json_object_set_new(o, "ci_high_raw", json_real(v->ci_high));
	}
	return o;
}

static json_t *tier_json(const struct results *r, int u, int m)
{
	enum tier t = r->tier[u * (r->ndim + 1) + m];
	int g = t == TIER_NONE ? 0 : 5 - (int)t;
	return json_pack("{s:i, s:s, s:i, s:i}", "group", g, "tier_vi",
			 tier_map_label_vi(t), "rank",
			 r->rank[u * (r->ndim + 1) + m], "of", r->cuts[m].n);
}

static json_t *round_head(const struct results *r)
{
	return json_pack("{s:I, s:s, s:i, s:s, s:I, s:i, s:I, s:i}", "id",
			 (json_int_t)r->cx.round.id, "name", r->cx.round.name,
			 "year", r->cx.round.year, "scope_name",
			 r->cx.round.scope_name, "scope_id",
			 (json_int_t)r->cx.round.scope_unit_id, "interviews",
			 r->interviews, "min_answers", (json_int_t)r->min_n,
			 "villages", r->nunits - 1);
}

/* Whether the estimates use raked weights and on which variables
 * (weights.h), set into ctx: raked, raked_on, raked_on_vi. */
static void raked_into(struct request *req, const struct results *r,
		       json_t *ctx)
{
	json_t *on = json_array();
	const char *vi = "";
	struct weights_margins m;
	struct error e = {0};
	if (r->raked && !weights_margins_load(req->db, req->arena,
					      r->cx.round.id, &m, &e)) {
		for (int v = 0; v < WEIGHTS_NVARS; v++)
			if (m.has[v])
				json_array_append_new(
					on, json_string(weights_variables[v]));
		vi = weights_on_vi(req->arena, &m);
	}
	json_object_set_new(ctx, "raked", json_boolean(r->raked));
	json_object_set_new(ctx, "raked_on", on);
	json_object_set_new(ctx, "raked_on_vi", json_string(vi));
}

static double *dims_of(struct arena *a, const struct results *r, int u)
{
	double *v = arena_alloc(a, sizeof *v * 8);
	if (!v)
		return NULL;
	for (int m = 0; m < 8; m++)
		v[m] = m < r->ndim ? r->dim[u * r->ndim + m].value : NAN;
	return v;
}

/* The latest official result of the scope's province (official.h rows
 * are named, not coded: matched on the folded name). */
static const double *official_of(struct request *req, long long scope,
				 const char **label)
{
	struct arena *a = req->arena;
	struct error e = {0};
	struct unit u;
	long long id = scope;
	for (int up = 0; up < 6 && id; up++) {
		if (units_get(req->db, a, id, &u, &e))
			return NULL;
		if (u.kind && !strcmp(u.kind, "province"))
			break;
		id = u.parent_id;
	}
	if (!id || !u.kind || strcmp(u.kind, "province"))
		return NULL;
	struct official_set set;
	if (idb_official_load(req->db, a, 0, &set, &e))
		return NULL;
	const char *want = text_fold(a, u.name);
	const struct official_row *best = NULL;
	for (int i = 0; i < set.n; i++) {
		const char *f = text_fold(a, set.rows[i].name);
		if (want && f && !strcmp(f, want) &&
		    (!best || set.rows[i].year > best->year))
			best = &set.rows[i];
	}
	if (!best)
		return NULL;
	*label = arena_printf(a, "Tỉnh %s %d (chính thức)", best->name,
			      best->year);
	return best->v;
}

static enum err get_results(struct request *req, struct response *res)
{
	long long id = id_of(req->route_args[0]);
	struct results r;
	struct error e = {0};
	enum err err = id ? results_compute(req->db, req->arena, id, &r, &e)
			  : ERR_NOTFOUND;
	if (err)
		return failure(req, res, err, &e);
	struct arena *a = req->arena;
	const struct catalogue *c = &r.cx.cat;
	json_t *dims = json_array();
	for (int m = 0; m < r.ndim; m++) {
		const struct cat_dimension *d = &c->dimensions[r.dim_cat[m]];
		json_array_append_new(dims,
				      json_pack("{s:s, s:s}", "code", d->code,
						"name", d->name_vi));
	}
	json_t *units = json_array();
	for (int u = 0; u < r.nunits; u++) {
		json_t *ds = json_array();
		for (int m = 0; m < r.ndim; m++) {
			json_t *o = value_json(a, &r.dim[u * r.ndim + m], 2);
			if (!r.units[u].scope) {
				json_t *t = tier_json(&r, u, m);
				json_object_update(o, t);
				json_decref(t);
			}
			json_array_append_new(ds, o);
		}
		json_t *tot = value_json(a, &r.total[u], 2);
		if (!r.units[u].scope) {
			json_t *t = tier_json(&r, u, r.ndim);
			json_object_update(tot, t);
			json_decref(t);
		}
		json_array_append_new(units,
				      json_pack("{s:I, s:s, s:b, s:o, s:o}",
						"id", (json_int_t)r.units[u].id,
						"name", r.units[u].name,
						"scope", r.units[u].scope,
						"dims", ds, "total", tot));
	}
	/* the radar: this round, the previous one of the lineage, and the
	 * official result is not shown here (see /index/official) */
	const double *ser[2] = {dims_of(a, &r, 0), NULL};
	const char *lab[2] = {arena_printf(a, "%s %d", r.cx.round.scope_name,
					   r.cx.round.year),
			      ""};
	long long *ids;
	bool *crossed;
	int nids = 0;
	json_t *prev = json_null();
	/* the latest earlier round that has interviews */
	struct results p;
	int pk = -1;
	if (!results_lineage_rounds(req->db, a, id, &ids, &crossed, &nids, &e))
		for (int k = nids - 2; k >= 0 && pk < 0; k--) {
			struct error pe = {0};
			if (!results_compute(req->db, a, ids[k], &p, &pe) &&
			    p.interviews > 0)
				pk = k;
		}
	{
		if (pk >= 0) {
			ser[1] = dims_of(a, &p, 0);
			lab[1] = arena_printf(a, "%s %d", p.cx.round.scope_name,
					      p.cx.round.year);
			json_decref(prev);
			prev = json_pack("{s:I, s:s, s:i, s:s, s:b, s:o}", "id",
					 (json_int_t)p.cx.round.id, "name",
					 p.cx.round.name, "year",
					 p.cx.round.year, "scope_name",
					 p.cx.round.scope_name, "merger",
					 crossed[pk], "total",
					 value_json(a, &p.total[0], 2));
		}
	}
	const char *olab = "";
	const double *off = official_of(req, r.cx.round.scope_unit_id, &olab);
	const double *ser3[3] = {ser[0], ser[1], off};
	const char *lab3[3] = {lab[0], lab[1], olab};
	char *svg = index_radar_svg(a, ser3, lab3, off ? 3 : ser[1] ? 2 : 1);
	json_t *ctx = json_pack(
		"{s:o, s:o, s:o, s:s, s:s, s:o, s:b, s:b, s:s*}", "round",
		round_head(&r), "dims", dims, "units", units, "svg",
		svg ? svg : "", "label_now", lab[0], "previous", prev,
		"has_previous", ser[1] != NULL, "has_interviews",
		r.interviews > 0, "official", off ? olab : NULL);
	raked_into(req, &r, ctx);
	return res_page(req, res, 200, "index/results",
			arena_printf(a, "Kết quả – %s", r.cx.round.name), ctx);
}

static enum err get_dimension(struct request *req, struct response *res)
{
	long long id = id_of(req->route_args[0]);
	struct results r;
	struct error e = {0};
	enum err err = id ? results_compute(req->db, req->arena, id, &r, &e)
			  : ERR_NOTFOUND;
	if (err)
		return failure(req, res, err, &e);
	struct arena *a = req->arena;
	const struct catalogue *c = &r.cx.cat;
	int m = -1;
	for (int k = 0; k < r.ndim; k++)
		if (!strcmp(c->dimensions[r.dim_cat[k]].code,
			    req->route_args[1]))
			m = k;
	if (m < 0)
		return res_error(req, res, 404, NULL);
	json_t *villages = json_array();
	for (int u = 1; u < r.nunits; u++)
		json_array_append_new(
			villages, json_pack("{s:s}", "name", r.units[u].name));
	json_t *subs = json_array();
	for (int s = 0; s < r.nsub; s++) {
		if (r.sub_dim[s] != m)
			continue;
		json_t *per = json_array();
		for (int u = 1; u < r.nunits; u++)
			json_array_append_new(
				per, value_json(a, &r.sub[u * r.nsub + s], 2));
		json_t *inds = json_array();
		for (int i = 0; i < r.nind; i++) {
			if (r.ind_sub[i] != s)
				continue;
			const struct cat_indicator *ci =
				&c->indicators[r.ind_cat[i]];
			json_t *pv = json_array();
			for (int u = 1; u < r.nunits; u++)
				json_array_append_new(
					pv,
					value_json(a, &r.ind[u * r.nind + i],
						   2));
			json_array_append_new(
				inds,
				json_pack("{s:s, s:s, s:b, s:o, s:o}", "code",
					  ci->code, "name", ci->name_vi,
					  "reversed", results_reversed(&r, i),
					  "scope", value_json(a, &r.ind[i], 2),
					  "per", pv));
		}
		const struct cat_subdimension *sd =
			&c->subdimensions[r.sub_cat[s]];
		json_array_append_new(
			subs, json_pack("{s:s, s:s, s:o, s:o, s:o}", "code",
					sd->code, "name", sd->name_vi, "scope",
					value_json(a, &r.sub[s], 2), "per", per,
					"indicators", inds));
	}
	const struct cat_dimension *d = &c->dimensions[r.dim_cat[m]];
	json_t *dv = json_array();
	for (int u = 1; u < r.nunits; u++)
		json_array_append_new(dv,
				      value_json(a, &r.dim[u * r.ndim + m], 2));
	json_t *ctx = json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "round",
				round_head(&r), "code", d->code, "name",
				d->name_vi, "scope",
				value_json(a, &r.dim[m], 2), "village_values",
				dv, "villages", villages, "subs", subs);
	raked_into(req, &r, ctx);
	return res_page(req, res, 200, "index/results_dimension",
			arena_printf(a, "%s – %s", d->code, d->name_vi), ctx);
}

struct gap {
	int u, i;
	double g;
};

static int cmp_gap(const void *x, const void *y)
{
	const struct gap *p = x, *q = y;
	return p->g < q->g ? -1 : p->g > q->g;
}

/* Indicators where a village is furthest below the commune, in standard
 * errors of the difference (the two estimates' SEs combined as if
 * independent: a conservative yardstick, the village being part of the
 * commune). */
static enum err get_weakest(struct request *req, struct response *res)
{
	long long id = id_of(req->route_args[0]);
	struct results r;
	struct error e = {0};
	enum err err = id ? results_compute(req->db, req->arena, id, &r, &e)
			  : ERR_NOTFOUND;
	if (err)
		return failure(req, res, err, &e);
	struct arena *a = req->arena;
	const struct catalogue *c = &r.cx.cat;
	long long only = id_of(req_param(req, "unit"));
	size_t cap = (size_t)r.nunits * (size_t)r.nind + 1;
	struct gap *g = arena_alloc(a, sizeof *g * cap);
	if (!g)
		return ERR_NOMEM;
	int n = 0;
	for (int u = 1; u < r.nunits; u++) {
		if (only && r.units[u].id != only)
			continue;
		for (int i = 0; i < r.nind; i++) {
			const struct score_value *v = &r.ind[u * r.nind + i],
						 *s = &r.ind[i];
			if (v->reason || s->reason)
				continue;
			double se = sqrt(v->se * v->se + s->se * s->se);
			double diff = v->value - s->value;
			if (results_reversed(&r, i))
				diff = -diff;
			if (!(se > 0) || diff >= 0)
				continue;
			g[n++] = (struct gap){u, i, diff / se};
		}
	}
	qsort(g, (size_t)n, sizeof *g, cmp_gap);
	json_t *rows = json_array();
	for (int k = 0; k < n && k < 20; k++) {
		int u = g[k].u, i = g[k].i;
		const struct cat_indicator *ci = &c->indicators[r.ind_cat[i]];
		json_array_append_new(
			rows,
			json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:f, s:b}",
				  "village", r.units[u].name, "code", ci->code,
				  "name", ci->name_vi, "value",
				  value_json(a, &r.ind[u * r.nind + i], 2),
				  "scope", value_json(a, &r.ind[i], 2), "gap",
				  num(a, g[k].g, 1), "gap_raw", g[k].g,
				  "reversed", results_reversed(&r, i)));
	}
	json_t *villages = json_array();
	for (int u = 1; u < r.nunits; u++)
		json_array_append_new(
			villages, json_pack("{s:I, s:s, s:b}", "id",
					    (json_int_t)r.units[u].id, "name",
					    r.units[u].name, "selected",
					    r.units[u].id == only));
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:b}", "round", round_head(&r),
				"rows", rows, "villages", villages, "has_rows",
				json_array_size(rows) > 0);
	raked_into(req, &r, ctx);
	return res_page(req, res, 200, "index/results_weakest",
			"Chỉ tiêu yếu nhất", ctx);
}

/* The scope's dimension scores across the rounds of its lineage: an SVG
 * line chart (x: rounds, y: 1..10), a dashed mark where the comparison
 * crosses a merger. */
static const char *const line_colour[9] = {"#1d4ed8", "#b45309", "#15803d",
					   "#b91c1c", "#7c3aed", "#0e7490",
					   "#a16207", "#be185d", "#111827"};

static char *trend_svg(struct arena *a, const double *v, int nr, int ndim,
		       const char *const *xl, const bool *crossed)
{
	const double x0 = 40, x1 = 340, y0 = 20, y1 = 220;
	/* class radar: the page's CSS sizes it (inline styles are not
	 * allowed by the content security policy) */
	char *out = arena_printf(
		a, "<svg class=\"radar trend\" viewBox=\"0 0 360 270\" "
		   "role=\"img\" aria-label=\"Điểm 8 lĩnh vực qua "
		   "các đợt\" xmlns=\"http://www.w3.org/2000/svg\">");
	for (int m = 0; m < ndim && out; m++) /* the legend */
		out = arena_printf(
			a,
			"%s<rect x=\"%.0f\" y=\"253\" width=\"9\" "
			"height=\"9\" fill=\"%s\"/><text x=\"%.0f\" "
			"y=\"261\" font-size=\"10\" fill=\"#1f2937\">"
			"D%d</text>",
			out, 40.0 + m * 38, line_colour[m % 9], 52.0 + m * 38,
			m + 1);
	for (int t = 2; t <= 10 && out; t += 2) {
		double y = y1 - (y1 - y0) * (t - 1) / 9.0;
		out = arena_printf(
			a,
			"%s<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#e5e7eb\"/><text x=\"%.0f\" "
			"y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" "
			"fill=\"#6b7280\">%d</text>",
			out, x0, x1, y, y, x0 - 4, y + 3, t);
	}
	double step = nr > 1 ? (x1 - x0) / (nr - 1) : 0;
	for (int k = 0; k < nr && out; k++) {
		double x = nr > 1 ? x0 + step * k : (x0 + x1) / 2;
		out = arena_printf(
			a,
			"%s<text x=\"%.1f\" y=\"238\" font-size=\"10\" "
			"text-anchor=\"middle\" fill=\"#1f2937\">%s</text>",
			out, x, text_html_escape(a, xl[k]));
		if (k > 0 && crossed[k - 1] != crossed[k])
			out = arena_printf(
				a,
				"%s<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" "
				"y2=\"%.0f\" stroke=\"#6b7280\" "
				"stroke-dasharray=\"4 3\"/><text x=\"%.1f\" "
				"y=\"14\" font-size=\"10\" "
				"text-anchor=\"middle\" "
				"fill=\"#6b7280\">sáp nhập</text>",
				out, x - step / 2, x - step / 2, y0, y1,
				x - step / 2);
	}
	for (int m = 0; m < ndim && out; m++) {
		out = arena_printf(a,
				   "%s<polyline fill=\"none\" stroke=\"%s\" "
				   "stroke-width=\"2\" points=\"",
				   out, line_colour[m % 9]);
		for (int k = 0; k < nr && out; k++) {
			double val = v[k * ndim + m];
			if (isnan(val))
				continue;
			double x = nr > 1 ? x0 + step * k : (x0 + x1) / 2;
			double y = y1 - (y1 - y0) * (val - 1) / 9.0;
			out = arena_printf(a, "%s%.1f,%.1f ", out, x, y);
		}
		out = out ? arena_printf(a,
					 "%s\"><title>D%d</title></polyline>",
					 out, m + 1)
			  : NULL;
		for (int k = 0; k < nr && out; k++) {
			double val = v[k * ndim + m];
			if (isnan(val))
				continue;
			double x = nr > 1 ? x0 + step * k : (x0 + x1) / 2;
			double y = y1 - (y1 - y0) * (val - 1) / 9.0;
			out = arena_printf(
				a,
				"%s<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
				"fill=\"%s\"/>",
				out, x, y, line_colour[m % 9]);
		}
	}
	return out ? arena_printf(a, "%s</svg>", out) : NULL;
}

static enum err get_trends(struct request *req, struct response *res)
{
	long long id = id_of(req->route_args[0]);
	struct arena *a = req->arena;
	struct error e = {0};
	long long *ids;
	bool *crossed;
	int nr = 0;
	enum err err = id ? results_lineage_rounds(req->db, a, id, &ids,
						   &crossed, &nr, &e)
			  : ERR_NOTFOUND;
	if (err)
		return failure(req, res, err, &e);
	enum { TREND_MAX_ROUNDS = 12 }; /* each round is estimated anew */
	int first = nr > TREND_MAX_ROUNDS ? nr - TREND_MAX_ROUNDS : 0;
	int n = nr - first, ndim = 8;
	double *v = arena_alloc(a, sizeof *v * (size_t)(n * ndim + 1));
	const char **xl = arena_alloc(a, sizeof *xl * (size_t)(n + 1));
	if (!v || !xl)
		return ERR_NOMEM;
	json_t *rows = json_array();
	json_t *dims = json_array();
	const char *scope_name = "";
	bool any_merger = false;
	for (int k = 0; k < n; k++) {
		struct results r;
		err = results_compute(req->db, a, ids[first + k], &r, &e);
		if (err) {
			json_decref(rows);
			json_decref(dims);
			return failure(req, res, err, &e);
		}
		if (ids[first + k] == id) {
			scope_name = r.cx.round.scope_name;
			for (int m = 0; m < r.ndim && m < 8; m++)
				json_array_append_new(
					dims,
					json_pack("{s:s, s:s, s:s}", "code",
						  r.cx.cat.dimensions
							  [r.dim_cat[m]]
								  .code,
						  "name",
						  r.cx.cat.dimensions
							  [r.dim_cat[m]]
								  .name_vi,
						  "colour", line_colour[m]));
		}
		xl[k] = arena_printf(a, "%d", r.cx.round.year);
		json_t *cells = json_array();
		for (int m = 0; m < ndim; m++) {
			v[k * ndim + m] = m < r.ndim ? r.dim[m].value : NAN;
			json_array_append_new(
				cells, m < r.ndim ? value_json(a, &r.dim[m], 2)
						  : json_object());
		}
		any_merger |= crossed[first + k];
		json_array_append_new(
			rows,
			json_pack("{s:I, s:s, s:i, s:s, s:b, s:o, s:o}", "id",
				  (json_int_t)r.cx.round.id, "name",
				  r.cx.round.name, "year", r.cx.round.year,
				  "scope_name", r.cx.round.scope_name, "merger",
				  crossed[first + k], "dims", cells, "total",
				  value_json(a, &r.total[0], 2)));
	}
	char *svg = trend_svg(a, v, n, ndim, xl, crossed + first);
	json_t *ctx = json_pack("{s:I, s:s, s:o, s:o, s:s, s:b}", "round_id",
				(json_int_t)id, "scope_name", scope_name,
				"rows", rows, "dims", dims, "svg",
				svg ? svg : "", "any_merger", any_merger);
	return res_page(req, res, 200, "index/results_trends",
			arena_printf(a, "Xu hướng – %s", scope_name), ctx);
}

void results_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/index/rounds/{id}/results", get_results,
		 ROLE_ANY_USER, "index"},
		{"GET", "/index/rounds/{id}/results/weakest", get_weakest,
		 ROLE_ANY_USER, "index"},
		{"GET", "/index/rounds/{id}/results/trends", get_trends,
		 ROLE_ANY_USER, "index"},
		{"GET", "/index/rounds/{id}/results/{dim}", get_dimension,
		 ROLE_ANY_USER, "index"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
