/* Post-stratification: margins files, raking, the sample-against-census
 * table (weights.h). SQL in weights_db.c. */
#include "weights.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "interview_db.h"
#include "rake.h"
#include "weights_db.h"
#include "../base/csv.h"
#include "../base/text.h"
#include "../people/people.h"
#include "../base/banned.h"

const char *const weights_variables[WEIGHTS_NVARS] = {"gender", "age_group"};

static const char *const cats[WEIGHTS_NVARS][WEIGHTS_MAXCAT] = {
	{"male", "female"},
	{"18-29", "30-39", "40-49", "50-59", "60-70"},
};
static const char *const cats_vi[WEIGHTS_NVARS][WEIGHTS_MAXCAT] = {
	{"Nam", "Nữ"},
	{"18–29 tuổi", "30–39 tuổi", "40–49 tuổi", "50–59 tuổi", "60–70 tuổi"},
};
static const int ncats[WEIGHTS_NVARS] = {2, 5};

int weights_ncat(int var)
{
	return ncats[var];
}

const char *weights_category(int var, int k)
{
	return cats[var][k];
}

const char *weights_variable_vi(int var)
{
	return var ? "Nhóm tuổi" : "Giới tính";
}

const char *weights_category_vi(int var, int k)
{
	return cats_vi[var][k];
}

int weights_category_index(int var, const char *s)
{
	for (int k = 0; k < ncats[var]; k++)
		if (!strcmp(s, cats[var][k]))
			return k;
	return -1;
}

static int var_index(const char *s)
{
	for (int v = 0; v < WEIGHTS_NVARS; v++)
		if (!strcmp(s, weights_variables[v]))
			return v;
	return -1;
}

static const char *cell(struct arena *a, const struct csv_table *t, int row,
			int col)
{
	const char *s = col < 0 ? NULL : csv_get(t, row, col);
	s = s ? text_trim(a, s) : NULL;
	return s ? s : "";
}

/* ---- the file ---- */

enum err weights_parse(struct arena *a, const char *csv, size_t len,
		       struct weights_margins *out, struct problems *p,
		       struct error *e)
{
	memset(out, 0, sizeof *out);
	if (!import_check_text(a, csv, len, p))
		return error_set(e, ERR_INVALID, "%s",
				 p->list ? p->list[0].msg_en : "bad file");
	struct csv_table t;
	struct error ce = {0};
	if (csv_parse(a, csv, len, &t, &ce)) {
		if (ce.code == ERR_NOMEM || ce.code == ERR_TOOBIG)
			return error_set(e, ce.code, "%s", ce.msg);
		problems_add(a, p, 0, "", "Tệp không đúng định dạng CSV.", "%s",
			     ce.msg);
		return error_set(e, ERR_INVALID, "not CSV: %s", ce.msg);
	}
	static const char *const cols[] = {"variable", "category",
					   "population"};
	int pos[3];
	for (int c = 0; c < 3; c++)
		if ((pos[c] = csv_col(&t, cols[c])) < 0)
			problems_add(a, p, 1, cols[c], "Thiếu cột bắt buộc.",
				     "missing column %s", cols[c]);
	for (int h = 0; h < t.ncols; h++)
		if (strcmp(t.header[h], cols[0]) &&
		    strcmp(t.header[h], cols[1]) &&
		    strcmp(t.header[h], cols[2]))
			problems_add(a, p, 1, t.header[h],
				     "Cột không được hỗ trợ.",
				     "unknown column %s", t.header[h]);
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problems", p->n);
	int seen[WEIGHTS_NVARS][WEIGHTS_MAXCAT] = {{0}};
	for (int i = 0; i < t.nrows; i++) {
		int line = t.lines[i];
		const char *vs = cell(a, &t, i, pos[0]);
		const char *cs = cell(a, &t, i, pos[1]);
		const char *ps = cell(a, &t, i, pos[2]);
		int v = var_index(vs), k = -1;
		if (v < 0)
			problems_add(a, p, line, "variable",
				     "Biến phải là gender (giới tính) hoặc "
				     "age_group (nhóm tuổi).",
				     "'%s': not gender or age_group", vs);
		else if ((k = weights_category_index(v, cs)) < 0)
			problems_add(
				a, p, line, "category",
				v ? "Nhóm tuổi phải là 18-29, 30-39, 40-49, "
				    "50-59 hoặc 60-70."
				  : "Giới tính phải là male hoặc female.",
				"'%s': not a category of %s", cs, vs);
		else if (seen[v][k])
			problems_add(a, p, line, "category",
				     "Nhóm này đã có ở một dòng trước.",
				     "%s %s: already on line %d", vs, cs,
				     seen[v][k]);
		char *end;
		double pop = strtod(ps, &end);
		bool ok = *ps && !*end && isfinite(pop) && pop > 0;
		if (!ok)
			problems_add(a, p, line, "population",
				     "Dân số phải là số dương (viết liền, "
				     "không có dấu chấm ngăn cách hàng "
				     "nghìn).",
				     "'%s': not a number above 0", ps);
		if (k >= 0 && !seen[v][k]) {
			seen[v][k] = line;
			out->has[v] = true;
			if (ok)
				out->pop[v][k] = pop;
		}
	}
	if (!t.nrows)
		problems_add(a, p, 0, "", "Tệp không có dòng dữ liệu nào.",
			     "no data rows");
	for (int v = 0; v < WEIGHTS_NVARS; v++)
		for (int k = 0; out->has[v] && k < ncats[v]; k++)
			if (!seen[v][k])
				problems_add(
					a, p, 0, "category",
					arena_printf(a,
						     "Thiếu dân số của nhóm "
						     "“%s” (%s).",
						     cats_vi[v][k],
						     weights_variable_vi(v)),
					"%s %s: missing", weights_variables[v],
					cats[v][k]);
	if (!p->n && out->has[0] && out->has[1]) {
		double tot[WEIGHTS_NVARS] = {0};
		for (int v = 0; v < WEIGHTS_NVARS; v++)
			for (int k = 0; k < ncats[v]; k++)
				tot[v] += out->pop[v][k];
		if (fabs(tot[0] - tot[1]) > 1e-9 * tot[0])
			problems_add(
				a, p, 0, "population",
				arena_printf(
					a,
					"Tổng dân số theo giới tính (%s) khác "
					"tổng theo nhóm tuổi (%s); hai tổng "
					"phải bằng nhau.",
					text_format_number(a, tot[0], 0),
					text_format_number(a, tot[1], 0)),
				"totals differ: gender %.17g, age_group %.17g",
				tot[0], tot[1]);
	}
	if (p->n) {
		memset(out, 0, sizeof *out);
		return error_set(e, ERR_INVALID, "%d problems", p->n);
	}
	return ERR_OK;
}

/* ---- raking ---- */

enum err weights_rake(const struct weights_margins *m, size_t n,
		      uint32_t *const cat[WEIGHTS_NVARS], const double *w_in,
		      double *w_out, struct error *e)
{
	struct rake_margin rm[WEIGHTS_NVARS];
	int nm = 0;
	for (int v = 0; v < WEIGHTS_NVARS; v++) {
		if (!m->has[v])
			continue;
		size_t count[WEIGHTS_MAXCAT] = {0};
		for (size_t i = 0; i < n; i++)
			count[cat[v][i]]++;
		for (int k = 0; k < ncats[v]; k++)
			if (!count[k])
				return error_set(e, ERR_CONFLICT,
						 "margin %s %s: no interview",
						 weights_variables[v],
						 cats[v][k]);
		rm[nm++] = (struct rake_margin){weights_variables[v], cat[v],
						(uint32_t)ncats[v], m->pop[v],
						cats[v]};
	}
	if (!nm || !n) {
		if (w_out != w_in)
			memcpy(w_out, w_in, n * sizeof *w_out);
		return ERR_OK;
	}
	struct rake_opts o = {1000, 1e-10};
	struct rake_report rep;
	enum err err = rake_weights(n, w_in, w_out, rm, nm, &o, &rep, e);
	if (err)
		return err;
	if (!rep.converged)
		return error_set(e, ERR_CONFLICT,
				 "margins: raking did not converge after %d "
				 "cycles",
				 rep.iterations);
	return ERR_OK;
}

const char *weights_message_vi(struct arena *a, const struct error *e)
{
	const char *s = strstr(e->msg, "margin ");
	for (int v = 0; s && v < WEIGHTS_NVARS; v++)
		for (int k = 0; k < ncats[v]; k++) {
			const char *want =
				arena_printf(a, "margin %s %s: no interview",
					     weights_variables[v], cats[v][k]);
			if (want && !strcmp(s, want))
				return arena_printf(
					a,
					"Chưa tính được trọng số hiệu chỉnh: "
					"không có phiếu nào của nhóm “%s” "
					"(%s) trong số liệu dân số của đợt. "
					"Cần có phiếu của nhóm này, hoặc nhập "
					"lại số liệu dân số không có biến "
					"%s.",
					cats_vi[v][k], weights_variable_vi(v),
					v ? "nhóm tuổi" : "giới tính");
		}
	return "Chưa tính được trọng số hiệu chỉnh theo số liệu dân số của "
	       "đợt (phép hiệu chỉnh không hội tụ).";
}

/* ---- with the database ---- */

enum err weights_margins_load(struct db *db, struct arena *a, long long round,
			      struct weights_margins *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	struct iv_round r;
	enum err err = ivdb_round(db, a, round, &r, e);
	struct db_result *res;
	if (!err)
		err = wdb_margins(db, a, round, &res, e);
	if (err)
		return err;
	for (int i = 0; i < res->nrows; i++) {
		const char *vs = db_get(res, i, "variable");
		const char *cs = db_get(res, i, "category");
		const char *ps = db_get(res, i, "population");
		int v = vs ? var_index(vs) : -1;
		int k = v >= 0 && cs ? weights_category_index(v, cs) : -1;
		if (k < 0 || !ps)
			return error_set(e, ERR_DB,
					 "round %lld: bad margin row %s %s",
					 round, vs ? vs : "", cs ? cs : "");
		out->has[v] = true;
		out->pop[v][k] = strtod(ps, NULL);
	}
	return ERR_OK;
}

enum err weights_import(struct db *db, struct arena *a,
			const struct papi_actor *who, long long round,
			const char *csv, size_t len,
			struct weights_margins *out, struct problems *p,
			struct error *e)
{
	struct iv_round r;
	enum err err = ivdb_round(db, a, round, &r, e);
	if (!err)
		err = weights_parse(a, csv, len, out, p, e);
	if (err)
		return err;
	if ((err = db_begin(db, e)))
		return err;
	err = wdb_replace(db, a, round, out, e);
	if (!err) {
		json_t *after = json_object();
		for (int v = 0; v < WEIGHTS_NVARS; v++) {
			if (!out->has[v])
				continue;
			json_t *o = json_object();
			for (int k = 0; k < ncats[v]; k++)
				json_object_set_new(o, cats[v][k],
						    json_real(out->pop[v][k]));
			json_object_set_new(after, weights_variables[v], o);
		}
		err = audit_record(
			db, a, who->user_id, who->username, who->remote_addr,
			"round.margins", "survey_round",
			arena_printf(a, "%lld", round), NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	return err;
}

static enum err codes_of(struct arena *a, int v, const struct survey_column *c,
			 size_t n, uint32_t **out, struct error *e)
{
	int map[64];
	if (c->nlabels > 64)
		return error_set(e, ERR_INVALID, "%s: %u categories",
				 weights_variables[v], c->nlabels);
	for (uint32_t l = 0; l < c->nlabels; l++)
		if ((map[l] = weights_category_index(v, c->labels[l])) < 0)
			return error_set(e, ERR_INVALID, "%s: unknown '%s'",
					 weights_variables[v], c->labels[l]);
	*out = arena_alloc(a, sizeof **out * (n + 1));
	if (!*out)
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	for (size_t i = 0; i < n; i++)
		(*out)[i] = (uint32_t)map[c->code[i]];
	return ERR_OK;
}

enum err weights_apply(struct db *db, struct arena *a, long long round,
		       size_t n, const struct survey_column *gender,
		       const struct survey_column *age, double *w, bool *raked,
		       struct error *e)
{
	*raked = false;
	struct weights_margins m;
	enum err err = weights_margins_load(db, a, round, &m, e);
	if (err || (!m.has[0] && !m.has[1]))
		return err;
	uint32_t *cat[WEIGHTS_NVARS];
	err = codes_of(a, 0, gender, n, &cat[0], e);
	if (!err)
		err = codes_of(a, 1, age, n, &cat[1], e);
	if (!err)
		err = weights_rake(&m, n, cat, w, w, e);
	if (err)
		return err;
	*raked = true;
	return ERR_OK;
}

enum err weights_view(struct db *db, struct arena *a, long long round,
		      struct weights_view *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	enum err err = weights_margins_load(db, a, round, &out->m, e);
	struct db_result *r;
	if (!err)
		err = wdb_sample(db, a, round, &r, e);
	if (err)
		return err;
	size_t n = (size_t)r->nrows;
	out->interviews = r->nrows;
	out->has_margins = out->m.has[0] || out->m.has[1];
	uint32_t *cat[WEIGHTS_NVARS];
	double *w = arena_alloc(a, sizeof *w * (n + 1));
	double *rw = arena_alloc(a, sizeof *rw * (n + 1));
	cat[0] = arena_alloc(a, sizeof **cat * (n + 1));
	cat[1] = arena_alloc(a, sizeof **cat * (n + 1));
	if (!w || !rw || !cat[0] || !cat[1])
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *g = db_get(r, (int)i, "gender");
		const char *ag = db_get(r, (int)i, "age_group");
		const char *ws = db_get(r, (int)i, "weight");
		int kg = g ? weights_category_index(0, g) : -1;
		int ka = ag ? weights_category_index(1, ag) : -1;
		if (kg < 0 || ka < 0)
			return error_set(e, ERR_DB,
					 "round %lld: interview with gender "
					 "'%s', age group '%s'",
					 round, g ? g : "", ag ? ag : "");
		cat[0][i] = (uint32_t)kg;
		cat[1][i] = (uint32_t)ka;
		w[i] = ws ? strtod(ws, NULL) : 1;
	}
	bool raked = false;
	if (out->has_margins && n) {
		struct error re = {0};
		if (weights_rake(&out->m, n, cat, w, rw, &re)) {
			if (re.code != ERR_CONFLICT)
				return error_set(e, re.code, "%s", re.msg);
			out->error_vi = weights_message_vi(a, &re);
		} else {
			raked = true;
		}
	}
	out->raked = raked;
	for (int v = 0; v < WEIGHTS_NVARS; v++) {
		double tn = 0, tw = 0, tr = 0, tp = 0;
		double cn[WEIGHTS_MAXCAT] = {0}, cw[WEIGHTS_MAXCAT] = {0},
		       cr[WEIGHTS_MAXCAT] = {0};
		for (size_t i = 0; i < n; i++) {
			uint32_t k = cat[v][i];
			cn[k] += 1;
			cw[k] += w[i];
			tn += 1;
			tw += w[i];
			if (raked) {
				cr[k] += rw[i];
				tr += rw[i];
			}
		}
		for (int k = 0; k < ncats[v]; k++)
			tp += out->m.pop[v][k];
		for (int k = 0; k < ncats[v]; k++)
			out->rows[out->nrows++] = (struct weights_row){
				v,
				k,
				(long long)cn[k],
				tn > 0 ? cn[k] / tn : NAN,
				tw > 0 ? cw[k] / tw : NAN,
				raked && tr > 0 ? cr[k] / tr : NAN,
				out->m.has[v] ? out->m.pop[v][k] / tp : NAN,
			};
	}
	return ERR_OK;
}
