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

const char *const weights_variables[WEIGHTS_NVARS] = {"gender", "age_group",
						      "village"};

static const char *const cats[2][WEIGHTS_MAXCAT] = {
	{"male", "female"},
	{"18-29", "30-39", "40-49", "50-59", "60-70"},
};
static const char *const cats_vi[2][WEIGHTS_MAXCAT] = {
	{"Nam", "Nữ"},
	{"18–29 tuổi", "30–39 tuổi", "40–49 tuổi", "50–59 tuổi", "60–70 tuổi"},
};
static const int ncats[2] = {2, 5};
/* for the middle of a sentence */
static const char *const var_lower_vi[WEIGHTS_NVARS] = {"giới tính",
							"nhóm tuổi", "thôn"};

const char *weights_variable_vi(int var)
{
	return var == WEIGHTS_VILLAGE ? "Thôn"
	       : var                  ? "Nhóm tuổi"
				      : "Giới tính";
}

const char *weights_category(struct arena *a, const struct weights_margins *m,
			     int var, int k)
{
	if (var == WEIGHTS_VILLAGE)
		return arena_printf(a, "%lld", m->scope.v[k].id);
	return cats[var][k];
}

const char *weights_category_vi(const struct weights_margins *m, int var, int k)
{
	return var == WEIGHTS_VILLAGE ? m->scope.v[k].name : cats_vi[var][k];
}

const char *weights_on_vi(struct arena *a, const struct weights_margins *m)
{
	const char *out = "";
	for (int v = 0; out && v < WEIGHTS_NVARS; v++)
		if (m->has[v])
			out = arena_printf(a, "%s%s%s", out, *out ? ", " : "",
					   var_lower_vi[v]);
	return out ? out : "";
}

int weights_category_index(int var, const char *s)
{
	if (var < 0 || var >= WEIGHTS_VILLAGE)
		return -1;
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

/* Empty margins of the three variables (the villages of scope, which
 * may be NULL). */
static enum err margins_init(struct arena *a, const struct weights_scope *scope,
			     struct weights_margins *m, struct error *e)
{
	memset(m, 0, sizeof *m);
	if (scope)
		m->scope = *scope;
	m->ncat[WEIGHTS_GENDER] = ncats[0];
	m->ncat[WEIGHTS_AGE] = ncats[1];
	m->ncat[WEIGHTS_VILLAGE] = m->scope.n;
	for (int v = 0; v < WEIGHTS_NVARS; v++)
		if (!(m->pop[v] = arena_alloc(
			      a, sizeof(double) * (size_t)(m->ncat[v] + 1))))
			return error_set(e, ERR_NOMEM,
					 "weights: out of memory");
	return ERR_OK;
}

static void margins_clear(struct weights_margins *m)
{
	for (int v = 0; v < WEIGHTS_NVARS; v++) {
		m->has[v] = false;
		memset(m->pop[v], 0, sizeof(double) * (size_t)m->ncat[v]);
	}
}

/* A village of the scope named by its code, its unit id or its name
 * (folded; fold[] the scope's folded names): the index, -1 when none,
 * -2 when the name is several villages'. */
static int village_of(struct arena *a, const struct weights_scope *s,
		      char *const *fold, const char *cs)
{
	if (!*cs)
		return -1;
	for (int i = 0; i < s->n; i++)
		if (*s->v[i].code && !strcmp(s->v[i].code, cs))
			return i;
	if (*cs >= '0' && *cs <= '9') {
		char *end;
		long long id = strtoll(cs, &end, 10);
		for (int i = 0; !*end && i < s->n; i++)
			if (s->v[i].id == id)
				return i;
	}
	const char *f = text_fold(a, cs);
	int hit = -1;
	for (int i = 0; f && i < s->n; i++)
		if (fold[i] && !strcmp(fold[i], f)) {
			if (hit >= 0)
				return -2;
			hit = i;
		}
	return hit;
}

static const char *cell(struct arena *a, const struct csv_table *t, int row,
			int col)
{
	const char *s = col < 0 ? NULL : csv_get(t, row, col);
	s = s ? text_trim(a, s) : NULL;
	return s ? s : "";
}

/* ---- the file ---- */

/* A category of variable v named cs on a line: its index, or a problem
 * and -1. */
static int category_of(struct arena *a, const struct weights_margins *m,
		       char *const *fold, int v, const char *vs, const char *cs,
		       int line, struct problems *p)
{
	if (v != WEIGHTS_VILLAGE) {
		int k = weights_category_index(v, cs);
		if (k < 0)
			problems_add(
				a, p, line, "category",
				v ? "Nhóm tuổi phải là 18-29, 30-39, 40-49, "
				    "50-59 hoặc 60-70."
				  : "Giới tính phải là male hoặc female.",
				"'%s': not a category of %s", cs, vs);
		return k;
	}
	int k = village_of(a, &m->scope, fold, cs);
	if (k == -2)
		problems_add(a, p, line, "category",
			     arena_printf(a,
					  "Có nhiều thôn tên “%s” trong phạm "
					  "vi của đợt: hãy ghi mã hoặc số hiệu "
					  "của thôn.",
					  cs),
			     "'%s': several villages of the round have this "
			     "name; give its code or unit id",
			     cs);
	else if (k < 0)
		problems_add(a, p, line, "category",
			     arena_printf(a,
					  "“%s” không phải một thôn thuộc "
					  "phạm vi của đợt (không có mã, số "
					  "hiệu hay tên thôn này, hoặc thôn "
					  "thuộc xã khác).",
					  cs),
			     "'%s': not a village of the round's scope", cs);
	return k < 0 ? -1 : k;
}

enum err weights_parse(struct arena *a, const char *csv, size_t len,
		       const struct weights_scope *scope,
		       struct weights_margins *out, struct problems *p,
		       struct error *e)
{
	enum err err = margins_init(a, scope, out, e);
	if (err)
		return err;
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
	/* seen[v][k]: the line that gave category k of v, 0: none yet */
	int *seen[WEIGHTS_NVARS];
	char **fold = arena_alloc(a, sizeof *fold * (size_t)(out->scope.n + 1));
	if (!fold)
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	for (int v = 0; v < WEIGHTS_NVARS; v++)
		if (!(seen[v] = arena_alloc(
			      a, sizeof(int) * (size_t)(out->ncat[v] + 1))))
			return error_set(e, ERR_NOMEM,
					 "weights: out of memory");
	for (int i = 0; i < out->scope.n; i++)
		fold[i] = text_fold(a, out->scope.v[i].name);
	for (int i = 0; i < t.nrows; i++) {
		int line = t.lines[i];
		const char *vs = cell(a, &t, i, pos[0]);
		const char *cs = cell(a, &t, i, pos[1]);
		const char *ps = cell(a, &t, i, pos[2]);
		int v = var_index(vs), k = -1;
		if (v < 0)
			problems_add(a, p, line, "variable",
				     "Biến phải là gender (giới tính), "
				     "age_group (nhóm tuổi) hoặc village "
				     "(thôn).",
				     "'%s': not gender, age_group or village",
				     vs);
		else if ((k = category_of(a, out, fold, v, vs, cs, line, p)) >=
				 0 &&
			 seen[v][k])
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
		for (int k = 0; out->has[v] && k < out->ncat[v]; k++)
			if (!seen[v][k])
				problems_add(
					a, p, 0, "category",
					v == WEIGHTS_VILLAGE
						? arena_printf(
							  a,
							  "Thiếu dân số của "
							  "thôn “%s”.",
							  out->scope.v[k].name)
						: arena_printf(
							  a,
							  "Thiếu dân số của "
							  "nhóm “%s” (%s).",
							  cats_vi[v][k],
							  weights_variable_vi(
								  v)),
					"%s %s: missing", weights_variables[v],
					v == WEIGHTS_VILLAGE
						? out->scope.v[k].name
						: cats[v][k]);
	/* every variable given adds up to the first one's total */
	if (!p->n) {
		int first = -1;
		double tot[WEIGHTS_NVARS] = {0};
		for (int v = 0; v < WEIGHTS_NVARS; v++) {
			if (!out->has[v])
				continue;
			for (int k = 0; k < out->ncat[v]; k++)
				tot[v] += out->pop[v][k];
			if (first < 0) {
				first = v;
				continue;
			}
			if (fabs(tot[first] - tot[v]) > 1e-9 * tot[first])
				problems_add(
					a, p, 0, "population",
					arena_printf(
						a,
						"Tổng dân số theo %s (%s) "
						"khác tổng theo %s (%s); các "
						"tổng phải bằng nhau.",
						var_lower_vi[first],
						text_format_number(
							a, tot[first], 0),
						var_lower_vi[v],
						text_format_number(a, tot[v],
								   0)),
					"totals differ: %s %.17g, %s %.17g",
					weights_variables[first], tot[first],
					weights_variables[v], tot[v]);
		}
	}
	if (p->n) {
		margins_clear(out);
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
		size_t *count = calloc((size_t)m->ncat[v] + 1, sizeof *count);
		if (!count)
			return error_set(e, ERR_NOMEM,
					 "weights: out of memory");
		for (size_t i = 0; i < n; i++)
			count[cat[v][i]]++;
		int empty = -1;
		for (int k = 0; k < m->ncat[v] && empty < 0; k++)
			if (!count[k])
				empty = k;
		free(count);
		/* weights_message_vi reads this message back */
		if (empty >= 0 && n)
			return error_set(
				e, ERR_CONFLICT, "margin %s %s: no interview",
				weights_variables[v],
				v == WEIGHTS_VILLAGE ? m->scope.v[empty].name
						     : cats[v][empty]);
		rm[nm++] = (struct rake_margin){
			weights_variables[v], cat[v], (uint32_t)m->ncat[v],
			m->pop[v], v == WEIGHTS_VILLAGE ? NULL : cats[v]};
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

static bool has_prefix(const char *s, const char *pre)
{
	return !strncmp(s, pre, strlen(pre));
}

const char *weights_message_vi(struct arena *a, const struct error *e)
{
	static const char suffix[] = ": no interview";
	const char *s = strstr(e->msg, "margin ");
	size_t sl = s ? strlen(s) : 0;
	for (int v = 0; s && v < WEIGHTS_NVARS; v++) {
		const char *pre =
			arena_printf(a, "margin %s ", weights_variables[v]);
		size_t pl = pre ? strlen(pre) : 0;
		if (!pre || !has_prefix(s, pre) ||
		    sl < pl + sizeof suffix - 1 ||
		    strcmp(s + sl - (sizeof suffix - 1), suffix))
			continue;
		const char *label =
			arena_strndup(a, s + pl, sl - pl - (sizeof suffix - 1));
		for (int k = 0; label && v < WEIGHTS_VILLAGE && k < ncats[v];
		     k++)
			if (!strcmp(label, cats[v][k]))
				label = cats_vi[v][k];
		return arena_printf(a,
				    "Chưa tính được trọng số hiệu chỉnh: không "
				    "có phiếu nào của nhóm “%s” (%s) trong số "
				    "liệu dân số của đợt. Cần có phiếu của "
				    "nhóm này, hoặc nhập lại số liệu dân số "
				    "không có biến %s.",
				    label ? label : "", weights_variable_vi(v),
				    var_lower_vi[v]);
	}
	if (strstr(e->msg, "margins village: interview"))
		return "Chưa tính được trọng số hiệu chỉnh: có phiếu của một "
		       "thôn không thuộc phạm vi của đợt. Hãy nhập lại số liệu "
		       "dân số không có biến thôn.";
	if (strstr(e->msg, "margins village: "))
		return "Danh sách thôn của đợt đã thay đổi sau khi nhập số "
		       "liệu dân số theo thôn: hãy nhập lại số liệu dân số.";
	return "Chưa tính được trọng số hiệu chỉnh theo số liệu dân số của "
	       "đợt (phép hiệu chỉnh không hội tụ).";
}

/* ---- with the database ---- */

enum err weights_scope_load(struct db *db, struct arena *a, long long round,
			    struct weights_scope *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	struct iv_round r;
	struct db_result *res;
	enum err err = ivdb_round(db, a, round, &r, e);
	if (!err)
		err = wdb_villages(db, a, r.scope_unit_id, &res, e);
	if (err)
		return err;
	if (res->nrows > WEIGHTS_MAX_VILLAGES)
		return error_set(e, ERR_TOOBIG,
				 "round %lld: %d villages, at most %d", round,
				 res->nrows, WEIGHTS_MAX_VILLAGES);
	struct weights_village *v =
		arena_alloc(a, sizeof *v * (size_t)(res->nrows + 1));
	if (!v)
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	for (int i = 0; i < res->nrows; i++) {
		const char *c = db_get(res, i, "code");
		const char *nm = db_get(res, i, "name");
		v[i] = (struct weights_village){db_get_int(res, i, "id", 0),
						c ? c : "", nm ? nm : ""};
	}
	out->n = res->nrows;
	out->v = v;
	return ERR_OK;
}

static int scope_index(const struct weights_scope *s, long long id)
{
	for (int i = 0; i < s->n; i++)
		if (s->v[i].id == id)
			return i;
	return -1;
}

enum err weights_margins_load(struct db *db, struct arena *a, long long round,
			      struct weights_margins *out, struct error *e)
{
	struct weights_scope sc;
	struct db_result *res;
	enum err err = weights_scope_load(db, a, round, &sc, e);
	if (!err)
		err = margins_init(a, &sc, out, e);
	if (!err)
		err = wdb_margins(db, a, round, &res, e);
	if (err)
		return err;
	int nvillage = 0;
	bool gone = false;
	for (int i = 0; i < res->nrows; i++) {
		const char *vs = db_get(res, i, "variable");
		const char *cs = db_get(res, i, "category");
		const char *ps = db_get(res, i, "population");
		int v = vs ? var_index(vs) : -1;
		int k = -1;
		if (v == WEIGHTS_VILLAGE) {
			k = cs ? scope_index(&sc, strtoll(cs, NULL, 10)) : -1;
			if (k < 0) { /* a village gone since the import */
				gone = true;
				continue;
			}
			nvillage++;
		} else if (v >= 0 && cs) {
			k = weights_category_index(v, cs);
		}
		if (k < 0 || !ps)
			return error_set(e, ERR_DB,
					 "round %lld: bad margin row %s %s",
					 round, vs ? vs : "", cs ? cs : "");
		out->has[v] = true;
		out->pop[v][k] = strtod(ps, NULL);
	}
	if (gone || (out->has[WEIGHTS_VILLAGE] && nvillage != sc.n)) {
		/* the other variables still hold: the page shows them */
		out->has[WEIGHTS_VILLAGE] = false;
		memset(out->pop[WEIGHTS_VILLAGE], 0,
		       sizeof(double) * (size_t)sc.n);
		return error_set(e, ERR_CONFLICT,
				 "round %lld: margins village: the round's "
				 "villages changed since the margins were "
				 "imported",
				 round);
	}
	return ERR_OK;
}

enum err weights_import(struct db *db, struct arena *a,
			const struct papi_actor *who, long long round,
			const char *csv, size_t len,
			struct weights_margins *out, struct problems *p,
			struct error *e)
{
	struct weights_scope sc;
	enum err err = weights_scope_load(db, a, round, &sc, e);
	if (!err)
		err = weights_parse(a, csv, len, &sc, out, p, e);
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
			for (int k = 0; k < out->ncat[v]; k++)
				json_object_set_new(
					o, weights_category(a, out, v, k),
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

/* The categories of variable v of the n rows of column c. */
static enum err codes_of(struct arena *a, const struct weights_margins *m,
			 int v, const struct survey_column *c, size_t n,
			 uint32_t **out, struct error *e)
{
	int *map = arena_alloc(a, sizeof *map * ((size_t)c->nlabels + 1));
	*out = arena_alloc(a, sizeof **out * (n + 1));
	if (!map || !*out)
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	for (uint32_t l = 0; l < c->nlabels; l++) {
		map[l] = v == WEIGHTS_VILLAGE
				 ? scope_index(&m->scope,
					       strtoll(c->labels[l], NULL, 10))
				 : weights_category_index(v, c->labels[l]);
		if (map[l] < 0 && v == WEIGHTS_VILLAGE)
			return error_set(e, ERR_CONFLICT,
					 "margins village: interview in unit "
					 "%s, not a village of the round",
					 c->labels[l]);
		if (map[l] < 0)
			return error_set(e, ERR_INVALID, "%s: unknown '%s'",
					 weights_variables[v], c->labels[l]);
	}
	for (size_t i = 0; i < n; i++)
		(*out)[i] = (uint32_t)map[c->code[i]];
	return ERR_OK;
}

enum err weights_apply(struct db *db, struct arena *a, long long round,
		       size_t n, const struct survey_column *gender,
		       const struct survey_column *age,
		       const struct survey_column *village, double *w,
		       bool *raked, struct error *e)
{
	*raked = false;
	struct weights_margins m;
	enum err err = weights_margins_load(db, a, round, &m, e);
	if (err || (!m.has[0] && !m.has[1] && !m.has[2]))
		return err;
	const struct survey_column *col[WEIGHTS_NVARS] = {gender, age, village};
	uint32_t *cat[WEIGHTS_NVARS] = {NULL, NULL, NULL};
	for (int v = 0; !err && v < WEIGHTS_NVARS; v++)
		if (m.has[v])
			err = codes_of(a, &m, v, col[v], n, &cat[v], e);
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
	struct error le = {0};
	enum err err = weights_margins_load(db, a, round, &out->m, &le);
	if (err == ERR_CONFLICT) /* shown, and the file can be imported */
		out->error_vi = weights_message_vi(a, &le);
	else if (err)
		return error_set(e, err, "%s", le.msg);
	struct db_result *r, *fr;
	err = wdb_sample(db, a, round, &r, e);
	if (!err)
		err = wdb_frame(db, a, round, &fr, e);
	if (err)
		return err;
	const struct weights_margins *m = &out->m;
	for (int i = 0; i < fr->nrows && !out->has_frame; i++)
		out->has_frame =
			scope_index(&m->scope,
				    db_get_int(fr, i, "unit_id", 0)) >= 0;
	size_t n = (size_t)r->nrows;
	out->interviews = r->nrows;
	out->has_margins = m->has[0] || m->has[1] || m->has[2];
	uint32_t *cat[WEIGHTS_NVARS];
	double *w = arena_alloc(a, sizeof *w * (n + 1));
	double *rw = arena_alloc(a, sizeof *rw * (n + 1));
	int nrows = m->ncat[0] + m->ncat[1] + m->ncat[2];
	out->rows = arena_alloc(a, sizeof *out->rows * (size_t)(nrows + 1));
	for (int v = 0; v < WEIGHTS_NVARS; v++)
		cat[v] = arena_alloc(a, sizeof **cat * (n + 1));
	if (!w || !rw || !out->rows || !cat[0] || !cat[1] || !cat[2])
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	/* an interview of a village gone from the scope counts in no
	 * village row (code ncat) */
	uint32_t nov = (uint32_t)m->ncat[WEIGHTS_VILLAGE];
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
		int kv = scope_index(&m->scope,
				     db_get_int(r, (int)i, "unit_id", 0));
		cat[0][i] = (uint32_t)kg;
		cat[1][i] = (uint32_t)ka;
		cat[2][i] = kv < 0 ? nov : (uint32_t)kv;
		w[i] = ws ? strtod(ws, NULL) : 1;
	}
	bool raked = false;
	if (out->has_margins && n && !out->error_vi) {
		struct error re = {0};
		if (m->has[WEIGHTS_VILLAGE])
			for (size_t i = 0; i < n && !re.code; i++)
				if (cat[2][i] == nov)
					error_set(&re, ERR_CONFLICT,
						  "margins village: interview "
						  "in a village not of the "
						  "round");
		if (re.code || weights_rake(m, n, cat, w, rw, &re)) {
			if (re.code != ERR_CONFLICT)
				return error_set(e, re.code, "%s", re.msg);
			out->error_vi = weights_message_vi(a, &re);
		} else {
			raked = true;
		}
	}
	out->raked = raked;
	/* per category of any variable (a scope may have fewer villages
	 * than there are age groups) */
	size_t cap = (size_t)(nov > WEIGHTS_MAXCAT ? nov : WEIGHTS_MAXCAT) + 1;
	double *cn = arena_alloc(a, sizeof *cn * cap);
	double *cw = arena_alloc(a, sizeof *cw * cap);
	double *cr = arena_alloc(a, sizeof *cr * cap);
	if (!cn || !cw || !cr)
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	for (int v = 0; v < WEIGHTS_NVARS; v++) {
		int nc = m->ncat[v];
		double tn = 0, tw = 0, tr = 0, tp = 0;
		memset(cn, 0, sizeof *cn * cap);
		memset(cw, 0, sizeof *cw * cap);
		memset(cr, 0, sizeof *cr * cap);
		for (size_t i = 0; i < n; i++) {
			uint32_t k = cat[v][i];
			tn += 1;
			tw += w[i];
			if (raked)
				tr += rw[i];
			if (k >= (uint32_t)nc)
				continue;
			cn[k] += 1;
			cw[k] += w[i];
			if (raked)
				cr[k] += rw[i];
		}
		for (int k = 0; k < nc; k++)
			tp += m->pop[v][k];
		for (int k = 0; k < nc; k++)
			out->rows[out->nrows++] = (struct weights_row){
				v,
				k,
				(long long)cn[k],
				tn > 0 ? cn[k] / tn : NAN,
				tw > 0 ? cw[k] / tw : NAN,
				raked && tr > 0 ? cr[k] / tr : NAN,
				m->has[v] ? m->pop[v][k] / tp : NAN,
			};
	}
	return ERR_OK;
}

/* ---- the village rows from the sample frame ---- */

static int cmp_rem(const void *x, const void *y, void *ctx)
{
	const double *rem = ctx;
	int i = *(const int *)x, j = *(const int *)y;
	return rem[i] > rem[j] ? -1 : rem[i] < rem[j] ? 1 : (i > j) - (i < j);
}

enum err weights_from_frame(struct db *db, struct arena *a, long long round,
			    char **csv, bool *scaled, struct error *e)
{
	*csv = NULL;
	*scaled = false;
	struct weights_margins m;
	struct error le = {0};
	enum err err = weights_margins_load(db, a, round, &m, &le);
	if (err && err != ERR_CONFLICT) /* conflict: the village part */
		return error_set(e, err, "%s", le.msg);
	struct db_result *fr;
	if ((err = wdb_frame(db, a, round, &fr, e)))
		return err;
	int nv = m.scope.n;
	double *pop = arena_alloc(a, sizeof *pop * (size_t)(nv + 1));
	int *order = arena_alloc(a, sizeof *order * (size_t)(nv + 1));
	char **fold = arena_alloc(a, sizeof *fold * (size_t)(nv + 1));
	if (!pop || !order || !fold)
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	int got = 0;
	double sum = 0;
	for (int i = 0; i < fr->nrows; i++) {
		int k = scope_index(&m.scope, db_get_int(fr, i, "unit_id", 0));
		double p = (double)db_get_int(fr, i, "population", 0);
		if (k < 0 || !(p > 0) || pop[k] > 0)
			continue;
		pop[k] = p;
		sum += p;
		order[got++] = k;
	}
	if (!got)
		return error_set(e, ERR_NOTFOUND,
				 "round %lld: no sample frame of its villages",
				 round);
	/* the other variables' total, when there are some */
	double total = 0;
	for (int v = 0; v < WEIGHTS_VILLAGE && !(total > 0); v++)
		for (int k = 0; m.has[v] && k < m.ncat[v]; k++)
			total += m.pop[v][k];
	char **val = arena_alloc(a, sizeof *val * (size_t)(nv + 1));
	if (!val)
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	bool whole = total > 0 && total == floor(total) && total < 1e15;
	if (total > 0 && whole) {
		/* largest remainder: whole people that add up to total */
		double *rem = arena_alloc(a, sizeof *rem * (size_t)(nv + 1));
		double *fl = arena_alloc(a, sizeof *fl * (size_t)(nv + 1));
		if (!rem || !fl)
			return error_set(e, ERR_NOMEM,
					 "weights: out of memory");
		double left = total;
		for (int j = 0; j < got; j++) {
			int k = order[j];
			double x = pop[k] * total / sum;
			fl[k] = floor(x);
			rem[k] = x - fl[k];
			left -= fl[k];
		}
		int *by = arena_alloc(a, sizeof *by * (size_t)(got + 1));
		if (!by)
			return error_set(e, ERR_NOMEM,
					 "weights: out of memory");
		for (int j = 0; j < got; j++)
			by[j] = order[j];
		qsort_r(by, (size_t)got, sizeof *by, cmp_rem, rem);
		for (int j = 0; j < got && left >= 1; j++, left -= 1)
			fl[by[j]] += 1;
		for (int j = 0; j < got; j++)
			whole &= fl[order[j]] > 0;
		for (int j = 0; whole && j < got; j++)
			val[order[j]] = arena_printf(a, "%.0f", fl[order[j]]);
	}
	if (!whole)
		for (int j = 0; j < got; j++) {
			int k = order[j];
			val[k] = arena_printf(a, "%.17g",
					      total > 0 ? pop[k] * total / sum
							: pop[k]);
		}
	*scaled = total > 0 && total != sum;
	/* a village by its name when no other has it, else its code or id */
	for (int k = 0; k < nv; k++)
		fold[k] = text_fold(a, m.scope.v[k].name);
	char *out = arena_strdup(a, "variable,category,population\n");
	for (int v = 0; out && v < WEIGHTS_VILLAGE; v++)
		for (int k = 0; out && m.has[v] && k < m.ncat[v]; k++)
			out = arena_printf(a, "%s%s,%s,%.17g\n", out,
					   weights_variables[v], cats[v][k],
					   m.pop[v][k]);
	for (int k = 0; out && k < nv; k++) {
		if (!val[k])
			continue;
		const struct weights_village *vi = &m.scope.v[k];
		int same = 0;
		for (int j = 0; j < nv; j++)
			same += fold[j] && fold[k] && !strcmp(fold[j], fold[k]);
		const char *key = same == 1   ? csv_quote(a, vi->name)
				  : *vi->code ? csv_quote(a, vi->code)
					      : arena_printf(a, "%lld", vi->id);
		out = key ? arena_printf(a, "%svillage,%s,%s\n", out, key,
					 val[k])
			  : NULL;
	}
	if (!out)
		return error_set(e, ERR_NOMEM, "weights: out of memory");
	*csv = out;
	return ERR_OK;
}
