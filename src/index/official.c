/* Official results files: every row checked against the rules the
 * published figures follow (scores within 1-10 and 8-80, the total equal
 * to the sum of the eight dimensions, no total and no rank without all
 * eight). */
#include "official.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../base/csv.h"
#include "../base/text.h"
#include "../base/banned.h"

const char *const official_measure_keys[OFFICIAL_MEASURES] = {
	"d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "total"};

/* The column of measure m: "dN" or "dN_...", "total" or "total_...". */
static int measure_col(const struct csv_table *t, int m)
{
	const char *k = official_measure_keys[m];
	size_t kl = strlen(k);
	for (int c = 0; c < t->ncols; c++) {
		const char *h = t->header[c];
		if (!strncmp(h, k, kl) && (h[kl] == '\0' || h[kl] == '_'))
			return c;
	}
	return -1;
}

static int first_col(const struct csv_table *t, const char *const *names)
{
	for (; *names; names++) {
		int c = csv_col(t, *names);
		if (c >= 0)
			return c;
	}
	return -1;
}

static const char *get(const struct csv_table *t, int row, int col)
{
	if (col < 0)
		return "";
	const char *v = csv_get(t, row, col);
	return v ? v : "";
}

static bool whole(const char *s, long lo, long hi, long *out)
{
	if (!*s || !isdigit((unsigned char)*s))
		return false;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

enum err official_parse(struct arena *a, const char *data, size_t len,
			struct official_set *out, struct problems *p,
			struct error *e)
{
	memset(out, 0, sizeof *out);
	memset(p, 0, sizeof *p);
	if (!import_check_text(a, data, len, p))
		return error_set(e, ERR_INVALID, "%s",
				 p->list ? p->list[0].msg_en : "bad file");
	struct csv_table t;
	struct error ce = {0};
	if (csv_parse(a, data, len, &t, &ce)) {
		if (ce.code == ERR_NOMEM || ce.code == ERR_TOOBIG)
			return error_set(e, ce.code, "%s", ce.msg);
		problems_add(a, p, 0, "", "Tệp không đúng định dạng CSV.", "%s",
			     ce.msg);
		return error_set(e, ERR_INVALID, "not CSV: %s", ce.msg);
	}
	static const char *const name_cols[] = {"province_vi", "unit", "name",
						"unit_name", NULL};
	static const char *const code_cols[] = {"unit_code", "code",
						"province_code", NULL};
	static const char *const ascii_cols[] = {"province_ascii", NULL};
	static const char *const year_cols[] = {"year", NULL};
	static const char *const rank_cols[] = {"rank", NULL};
	static const char *const nr_cols[] = {"n_ranked", NULL};
	static const char *const status_cols[] = {"status", NULL};
	int c_year = first_col(&t, year_cols),
	    c_name = first_col(&t, name_cols),
	    c_code = first_col(&t, code_cols),
	    c_ascii = first_col(&t, ascii_cols),
	    c_rank = first_col(&t, rank_cols), c_nr = first_col(&t, nr_cols),
	    c_status = first_col(&t, status_cols);
	int c_m[OFFICIAL_MEASURES];
	if (c_year < 0)
		problems_add(a, p, 1, "year", "Thiếu cột bắt buộc.",
			     "missing column year");
	if (c_name < 0)
		problems_add(a, p, 1, "province_vi", "Thiếu cột tên đơn vị.",
			     "missing column province_vi (or unit, name)");
	for (int m = 0; m < OFFICIAL_MEASURES; m++) {
		c_m[m] = measure_col(&t, m);
		if (c_m[m] < 0)
			problems_add(a, p, 1, official_measure_keys[m],
				     "Thiếu cột điểm.",
				     "missing column %s (or %s_...)",
				     official_measure_keys[m],
				     official_measure_keys[m]);
	}
	if (p->n)
		return error_set(e, ERR_INVALID, "%d missing column%s", p->n,
				 p->n > 1 ? "s" : "");
	if (t.nrows == 0) {
		problems_add(a, p, 0, "", "Tệp không có dòng nào.", "no rows");
		return error_set(e, ERR_INVALID, "the file has no rows");
	}
	out->rows = arena_alloc(a, sizeof *out->rows * (size_t)t.nrows);
	if (!out->rows)
		return error_set(e, ERR_NOMEM,
				 "official results: out of memory");
	for (int i = 0; i < t.nrows; i++) {
		struct official_row *r = &out->rows[i];
		int line = t.lines[i];
		r->line = line;
		long y = 0;
		const char *ys = get(&t, i, c_year);
		if (!whole(ys, 1990, 2100, &y))
			problems_add(a, p, line, "year",
				     "Năm phải là số, ví dụ 2022.",
				     "\"%s\" is not a year", ys);
		r->year = (int)y;
		r->name = text_trim(a, get(&t, i, c_name));
		if (!r->name || !*r->name)
			problems_add(a, p, line, t.header[c_name],
				     "Thiếu tên đơn vị.", "no unit name");
		const char *code = get(&t, i, c_code);
		if (!*code)
			code = get(&t, i, c_ascii);
		if (!*code && r->name)
			code = text_fold(a, r->name);
		r->code = code ? code : "";
		int have = 0;
		double sum = 0;
		for (int m = 0; m < OFFICIAL_MEASURES; m++) {
			const char *s = get(&t, i, c_m[m]);
			r->text[m] = s;
			r->v[m] = NAN;
			if (!*s)
				continue;
			char *end;
			double v = strtod(s, &end);
			double lo = m < 8 ? 1 : 8, hi = m < 8 ? 10 : 80;
			if (*end || !isfinite(v) ||
			    isspace((unsigned char)*s)) {
				problems_add(
					a, p, line, t.header[c_m[m]],
					"Điểm phải là số (dấu chấm thập phân) "
					"hoặc để trống.",
					"\"%s\" is not a number", s);
			} else if (v < lo || v > hi) {
				problems_add(
					a, p, line, t.header[c_m[m]],
					m < 8 ? "Điểm lĩnh vực phải từ 1 đến "
						"10."
					      : "Tổng điểm phải từ 8 đến 80.",
					"%s is outside %g-%g", s, lo, hi);
			} else {
				r->v[m] = v;
				if (m < 8) {
					have++;
					sum += v;
				}
			}
		}
		bool total = !isnan(r->v[8]);
		if (total && have < 8)
			problems_add(a, p, line, t.header[c_m[8]],
				     "Đơn vị thiếu điểm lĩnh vực thì không có "
				     "tổng điểm.",
				     "a total without all eight dimensions (%d "
				     "given)",
				     have);
		else if (total && fabs(sum - r->v[8]) > OFFICIAL_SUM_TOLERANCE)
			problems_add(
				a, p, line, t.header[c_m[8]],
				"Tổng điểm khác tổng của 8 lĩnh vực.",
				"total %s is not the sum of the dimensions "
				"(%.4f)",
				r->text[8], sum);
		const char *rk = get(&t, i, c_rank), *nr = get(&t, i, c_nr);
		long v = 0;
		if (*rk && !whole(rk, 1, 100000, &v))
			problems_add(a, p, line, "rank",
				     "Thứ hạng phải là số nguyên dương.",
				     "\"%s\" is not a rank", rk);
		else if (*rk && !total)
			problems_add(a, p, line, "rank",
				     "Đơn vị không có tổng điểm thì không có "
				     "thứ hạng.",
				     "a rank (%s) without a total", rk);
		r->rank = (int)v;
		v = 0;
		if (*nr && !whole(nr, 1, 100000, &v))
			problems_add(a, p, line, "n_ranked",
				     "Số đơn vị được xếp hạng phải là số "
				     "nguyên dương.",
				     "\"%s\" is not a count", nr);
		r->n_ranked = (int)v;
		if (r->rank && r->n_ranked && r->rank > r->n_ranked)
			problems_add(
				a, p, line, "rank",
				"Thứ hạng lớn hơn số đơn vị được xếp hạng.",
				"rank %d above n_ranked %d", r->rank,
				r->n_ranked);
		r->status = get(&t, i, c_status);
		for (int k = 0; k < i; k++)
			if (out->rows[k].year == r->year &&
			    !strcmp(out->rows[k].code, r->code) && *r->code) {
				problems_add(
					a, p, line, t.header[c_name],
					"Đơn vị này đã có ở dòng trước cho "
					"cùng năm.",
					"%s appears twice for %d (line %d)",
					r->code, r->year, out->rows[k].line);
				break;
			}
	}
	out->n = t.nrows;
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problem%s in the file",
				 p->n, p->n > 1 ? "s" : "");
	return ERR_OK;
}

void official_groups(const struct official_row *rows, int n, int year,
		     int measure, enum tier_tie tie, int *ranks, int *groups,
		     struct tier_cuts *cuts)
{
	double *v = calloc((size_t)(n > 0 ? n : 1), sizeof *v);
	struct tier_cuts local;
	if (!cuts)
		cuts = &local;
	if (!v) {
		memset(ranks, 0, sizeof *ranks * (size_t)n);
		memset(groups, 0, sizeof *groups * (size_t)n);
		cuts->n = 0;
		return;
	}
	for (int i = 0; i < n; i++)
		v[i] = rows[i].year == year ? rows[i].v[measure] : NAN;
	tier_cuts(v, n, cuts);
	rank_desc(v, n, ranks);
	for (int i = 0; i < n; i++)
		groups[i] = official_group_of_tier(tier_of(v[i], cuts, tie));
	free(v);
}
