/* The catalogue CSV: every row checked, every problem reported with its
 * line and column, nothing returned half-read. */
#include "catalogue.h"
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../base/csv.h"
#include "../base/text.h"
#include "../base/banned.h"

const char *const catalogue_columns[CATALOGUE_NCOLUMNS] = {
	"version",      "dimension",       "dimension_vi",    "dimension_en",
	"subdimension", "subdimension_vi", "subdimension_en", "indicator_code",
	"indicator_vi", "indicator_en",    "question_code",   "question_vi",
	"question_en",  "answer_type",     "choices",         "lower",
	"upper",        "direction",       "missing_codes",   "skip_if",
	"weight",       "source",          "local",
};
/* Columns a file may leave out: their defaults are empty, weight 1,
 * source "", local 0. */
static bool column_optional(const char *name)
{
	static const char *const opt[] = {"choices", "missing_codes", "skip_if",
					  "weight",  "source",        "local"};
	for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
		if (!strcmp(name, opt[i]))
			return true;
	return false;
}

static const char *const type_keys[] = {"yes_no", "scale", "count", "amount",
					"choice"};
static const char *const type_labels[] = {"Có/Không", "Thang điểm", "Số đếm",
					  "Số tiền, số lượng", "Lựa chọn"};
static const char *const dir_keys[] = {"higher_better", "lower_better",
				       "descriptive"};
static const char *const dir_labels[] = {"Càng cao càng tốt",
					 "Càng thấp càng tốt",
					 "Chỉ mô tả, không tính điểm"};
static const char *const sources[] = {"[R]", "[P]", "[I]", "PROPOSED", "LOCAL"};

const char *answer_type_key(enum answer_type t)
{
	return type_keys[t];
}
const char *answer_type_label_vi(enum answer_type t)
{
	return type_labels[t];
}
const char *direction_key(enum direction d)
{
	return dir_keys[d];
}
const char *direction_label_vi(enum direction d)
{
	return dir_labels[d];
}

bool answer_type_from_key(const char *s, enum answer_type *out)
{
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, type_keys[i])) {
			*out = (enum answer_type)i;
			return true;
		}
	return false;
}

bool direction_from_key(const char *s, enum direction *out)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, dir_keys[i])) {
			*out = (enum direction)i;
			return true;
		}
	return false;
}

char *catalogue_number(struct arena *a, double v)
{
	char buf[40];
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return arena_strdup(a, buf);
}

/* ---- parsing ---- */

struct reader {
	struct arena *a;
	struct problems *p;
	const struct csv_table *t;
	int col[CATALOGUE_NCOLUMNS];
	int row, line;
};

static const char *cell(struct reader *r, int c)
{
	if (r->col[c] < 0)
		return "";
	const char *v = csv_get(r->t, r->row, r->col[c]);
	return v ? v : "";
}

enum {
	C_VERSION,
	C_DIM,
	C_DIM_VI,
	C_DIM_EN,
	C_SUB,
	C_SUB_VI,
	C_SUB_EN,
	C_IND,
	C_IND_VI,
	C_IND_EN,
	C_Q,
	C_Q_VI,
	C_Q_EN,
	C_TYPE,
	C_CHOICES,
	C_LOWER,
	C_UPPER,
	C_DIR,
	C_MISSING,
	C_SKIP,
	C_WEIGHT,
	C_SOURCE,
	C_LOCAL
};

static void bad(struct reader *r, int c, const char *msg_vi, const char *fmt,
		const char *v)
{
	problems_add(r->a, r->p, r->line, catalogue_columns[c], msg_vi, fmt, v);
}

static bool parse_number(const char *s, double *out)
{
	if (!*s || isspace((unsigned char)*s))
		return false;
	char *end;
	double v = strtod(s, &end);
	if (*end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static bool parse_int(const char *s, long *out)
{
	if (!*s)
		return false;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || (!isdigit((unsigned char)*s) && *s != '-'))
		return false;
	*out = v;
	return true;
}

/* "q1_1_2": lower-case letter, then lower-case letters, digits, '_'. */
static bool valid_question_code(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 40 || !islower((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Codes of "1=Có;0=Không" into codes[] (at most max); false when a part is
 * not CODE=LABEL or a code repeats. */
static bool parse_choices(const char *s, long *codes, int max, int *n)
{
	*n = 0;
	const char *p = s;
	while (*p) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (!eq || eq == p || (size_t)(eq - p) + 1 >= len || *n >= max)
			return false;
		char num[24];
		size_t nl = (size_t)(eq - p);
		if (nl >= sizeof num)
			return false;
		memcpy(num, p, nl);
		num[nl] = '\0';
		long c;
		if (!parse_int(num, &c))
			return false;
		for (int i = 0; i < *n; i++)
			if (codes[i] == c)
				return false;
		codes[(*n)++] = c;
		p += len;
		if (*p == ';')
			p++;
	}
	return *n > 0;
}

/* "98;99" */
static bool parse_codes(const char *s, long *codes, int max, int *n)
{
	*n = 0;
	const char *p = s;
	while (*p) {
		char num[24];
		size_t len = strcspn(p, ";");
		if (len == 0 || len >= sizeof num || *n >= max)
			return false;
		memcpy(num, p, len);
		num[len] = '\0';
		if (!parse_int(num, &codes[(*n)++]))
			return false;
		p += len;
		if (*p == ';')
			p++;
	}
	return true;
}

static int find_dim(const struct catalogue *c, const char *code)
{
	for (int i = 0; i < c->ndimensions; i++)
		if (!strcmp(c->dimensions[i].code, code))
			return i;
	return -1;
}
static int find_sub(const struct catalogue *c, const char *code)
{
	for (int i = 0; i < c->nsubdimensions; i++)
		if (!strcmp(c->subdimensions[i].code, code))
			return i;
	return -1;
}
static int find_ind(const struct catalogue *c, const char *code)
{
	for (int i = c->nindicators - 1; i >= 0; i--)
		if (!strcmp(c->indicators[i].code, code))
			return i;
	return -1;
}
static int find_q(const struct catalogue *c, const char *code)
{
	for (int i = 0; i < c->nquestions; i++)
		if (!strcmp(c->questions[i].code, code))
			return i;
	return -1;
}

/* A repeated name (dimension, sub-dimension, indicator) must say the same
 * on every row. */
static void same(struct reader *r, int c, const char *was, const char *now)
{
	if (strcmp(was, now))
		problems_add(
			r->a, r->p, r->line, catalogue_columns[c],
			"Khác với giá trị đã ghi ở dòng trước cho cùng mã.",
			"\"%s\" differs from \"%s\" given earlier for the "
			"same code",
			now, was);
}

static const char *required(struct reader *r, int c)
{
	const char *v = cell(r, c);
	if (!*v)
		bad(r, c, "Ô này không được để trống.", "%s is empty",
		    catalogue_columns[c]);
	return v;
}

/* skip_if: "CODE=V" or "CODE!=V", ';'-separated; CODE an earlier question
 * of the file, V one of its codes (or a number for count and amount). */
static void check_skip(struct reader *r, const struct catalogue *c,
		       const char *s)
{
	const char *p = s;
	while (*p) {
		size_t len = strcspn(p, ";");
		char part[96];
		if (len == 0 || len >= sizeof part) {
			bad(r, C_SKIP,
			    "Điều kiện bỏ qua không đúng dạng MÃ=GIÁ TRỊ.",
			    "\"%s\": expected CODE=VALUE or CODE!=VALUE", s);
			return;
		}
		memcpy(part, p, len);
		part[len] = '\0';
		char *eq = strchr(part, '=');
		if (!eq || eq == part) {
			bad(r, C_SKIP,
			    "Điều kiện bỏ qua không đúng dạng MÃ=GIÁ TRỊ.",
			    "\"%s\": expected CODE=VALUE or CODE!=VALUE", s);
			return;
		}
		char *name_end = eq > part && eq[-1] == '!' ? eq - 1 : eq;
		*name_end = '\0';
		const char *value = eq + 1;
		int q = find_q(c, part);
		double v;
		if (q < 0) {
			bad(r, C_SKIP,
			    "Điều kiện bỏ qua phải dựa vào một câu hỏi đứng "
			    "trước.",
			    "\"%s\" is not an earlier question", part);
		} else if (!parse_number(value, &v)) {
			bad(r, C_SKIP,
			    "Giá trị trong điều kiện bỏ qua phải là số.",
			    "\"%s\" is not a number", value);
		} else if (*c->questions[q].choices) {
			long codes[64];
			int n = 0;
			parse_choices(c->questions[q].choices, codes, 64, &n);
			bool found = false;
			for (int i = 0; i < n; i++)
				found |= (double)codes[i] == v;
			if (!found)
				bad(r, C_SKIP,
				    "Giá trị này không có trong các lựa chọn "
				    "của câu hỏi được nhắc đến.",
				    "%s is not one of that question's choices",
				    value);
		}
		p += len;
		if (*p == ';')
			p++;
	}
}

static void read_question(struct reader *r, struct catalogue *c, int ind)
{
	struct cat_question q = {0};
	q.indicator = ind;
	q.code = required(r, C_Q);
	if (*q.code && !valid_question_code(q.code))
		bad(r, C_Q,
		    "Mã câu hỏi chỉ gồm chữ thường không dấu, chữ số và “_”, "
		    "bắt đầu bằng chữ (ví dụ q1_1_1).",
		    "\"%s\": a question code is a lower-case letter then "
		    "letters, digits or _ (at most 40)",
		    q.code);
	else if (*q.code && find_q(c, q.code) >= 0)
		bad(r, C_Q, "Mã câu hỏi bị trùng.", "question %s appears twice",
		    q.code);
	q.text_vi = required(r, C_Q_VI);
	q.text_en = required(r, C_Q_EN);
	const char *type = required(r, C_TYPE);
	bool typed = answer_type_from_key(type, &q.type);
	if (*type && !typed)
		bad(r, C_TYPE,
		    "Loại trả lời phải là yes_no, scale, count, amount hoặc "
		    "choice.",
		    "\"%s\": expected yes_no, scale, count, amount or choice",
		    type);
	const char *dir = required(r, C_DIR);
	if (*dir && !direction_from_key(dir, &q.direction))
		bad(r, C_DIR,
		    "Chiều phải là higher_better, lower_better hoặc "
		    "descriptive.",
		    "\"%s\": expected higher_better, lower_better or "
		    "descriptive",
		    dir);
	const char *lo = required(r, C_LOWER), *hi = required(r, C_UPPER);
	bool bounds = true;
	if (*lo && !parse_number(lo, &q.lower)) {
		bad(r, C_LOWER, "Cận dưới phải là số (dấu chấm thập phân).",
		    "\"%s\" is not a number", lo);
		bounds = false;
	}
	if (*hi && !parse_number(hi, &q.upper)) {
		bad(r, C_UPPER, "Cận trên phải là số (dấu chấm thập phân).",
		    "\"%s\" is not a number", hi);
		bounds = false;
	}
	bounds = bounds && *lo && *hi;
	if (bounds && !(q.lower < q.upper)) {
		problems_add(r->a, r->p, r->line, "upper",
			     "Cận trên phải lớn hơn cận dưới.",
			     "upper %s is not above lower %s", hi, lo);
		bounds = false;
	}
	q.choices = cell(r, C_CHOICES);
	long codes[64];
	int ncodes = 0;
	bool coded =
		typed && (q.type == ANSWER_YES_NO || q.type == ANSWER_SCALE ||
			  q.type == ANSWER_CHOICE);
	if (coded) {
		if (!parse_choices(q.choices, codes, 64, &ncodes)) {
			bad(r, C_CHOICES,
			    "Các lựa chọn phải có dạng MÃ=NHÃN, cách nhau "
			    "bởi dấu “;”, mã là số nguyên không trùng nhau.",
			    "\"%s\": expected CODE=LABEL;CODE=LABEL with "
			    "distinct whole-number codes",
			    q.choices);
			ncodes = 0;
		} else if (q.type == ANSWER_YES_NO &&
			   !(ncodes == 2 &&
			     ((codes[0] == 1 && codes[1] == 0) ||
			      (codes[0] == 0 && codes[1] == 1)))) {
			bad(r, C_CHOICES,
			    "Câu hỏi có/không phải có đúng hai mã 1 và 0.",
			    "\"%s\": yes_no takes exactly the codes 1 and 0",
			    q.choices);
		}
		if (ncodes && bounds) {
			long mn = codes[0], mx = codes[0];
			for (int i = 1; i < ncodes; i++) {
				mn = codes[i] < mn ? codes[i] : mn;
				mx = codes[i] > mx ? codes[i] : mx;
			}
			if ((double)mn != q.lower || (double)mx != q.upper)
				problems_add(
					r->a, r->p, r->line, "lower",
					"Cận dưới và cận trên phải là mã nhỏ "
					"nhất và lớn nhất của các lựa chọn.",
					"bounds %s..%s are not the smallest "
					"and "
					"largest choice codes (%ld..%ld)",
					lo, hi, mn, mx);
		}
	} else if (typed && *q.choices) {
		bad(r, C_CHOICES,
		    "Câu hỏi dạng số đếm hoặc số tiền không có danh sách lựa "
		    "chọn.",
		    "\"%s\": count and amount questions take no choices",
		    q.choices);
	}
	q.missing_codes = cell(r, C_MISSING);
	long miss[16];
	int nmiss = 0;
	if (!parse_codes(q.missing_codes, miss, 16, &nmiss)) {
		bad(r, C_MISSING,
		    "Mã thiếu trả lời phải là các số nguyên cách nhau bởi "
		    "dấu “;” (ví dụ 98;99).",
		    "\"%s\": expected whole numbers separated by ;",
		    q.missing_codes);
	} else if (bounds) {
		for (int i = 0; i < nmiss; i++)
			if ((double)miss[i] >= q.lower &&
			    (double)miss[i] <= q.upper) {
				char v[24];
				snprintf(v, sizeof v, "%ld", miss[i]);
				bad(r, C_MISSING,
				    "Mã thiếu trả lời không được nằm trong "
				    "khoảng giá trị hợp lệ.",
				    "missing code %s lies within the bounds",
				    v);
				break;
			}
	}
	q.skip_if = cell(r, C_SKIP);
	if (*q.skip_if)
		check_skip(r, c, q.skip_if);
	if (c->nquestions >= CATALOGUE_MAX_QUESTIONS)
		return;
	c->questions[c->nquestions++] = q;
}

static void read_row(struct reader *r, struct catalogue *c, long *year)
{
	const char *ver = required(r, C_VERSION);
	long y;
	if (*ver) {
		if (!parse_int(ver, &y) || y < 2000 || y > 2100)
			bad(r, C_VERSION,
			    "Phiên bản là năm của danh mục (ví dụ 2024).",
			    "\"%s\": the version is the catalogue's year "
			    "(2000-2100)",
			    ver);
		else if (*year && y != *year)
			bad(r, C_VERSION,
			    "Mỗi tệp chỉ chứa một phiên bản (một năm).",
			    "version %s differs from the first row's: one "
			    "version per file",
			    ver);
		else
			*year = y;
	}
	/* dimension */
	const char *d = required(r, C_DIM);
	const char *dvi = required(r, C_DIM_VI), *den = required(r, C_DIM_EN);
	int di = -1;
	if (*d) {
		if (!(strlen(d) == 2 && d[0] == 'D' && d[1] >= '1' &&
		      d[1] <= '8')) {
			bad(r, C_DIM, "Lĩnh vực là D1 đến D8.",
			    "\"%s\": expected D1 to D8", d);
		} else if ((di = find_dim(c, d)) >= 0) {
			same(r, C_DIM_VI, c->dimensions[di].name_vi, dvi);
			same(r, C_DIM_EN, c->dimensions[di].name_en, den);
		} else {
			di = c->ndimensions++;
			c->dimensions[di] = (struct cat_dimension){d, dvi, den};
		}
	}
	/* sub-dimension "n.m" of dimension Dn */
	const char *s = required(r, C_SUB);
	const char *svi = required(r, C_SUB_VI), *sen = required(r, C_SUB_EN);
	int si = -1;
	if (*s && di >= 0) {
		size_t sl = strlen(s);
		bool form = sl >= 3 && sl <= 6 && s[0] == d[1] && s[1] == '.' &&
			    strspn(s + 2, "0123456789") == sl - 2;
		if (!form) {
			bad(r, C_SUB,
			    "Nội dung thành phần có dạng n.m, với n là số của "
			    "lĩnh vực (ví dụ 1.1 thuộc D1).",
			    "\"%s\": expected n.m with n the dimension's "
			    "number",
			    s);
		} else if ((si = find_sub(c, s)) >= 0) {
			if (c->subdimensions[si].dimension != di)
				bad(r, C_SUB,
				    "Nội dung thành phần đã thuộc lĩnh vực "
				    "khác.",
				    "%s already belongs to another dimension",
				    s);
			same(r, C_SUB_VI, c->subdimensions[si].name_vi, svi);
			same(r, C_SUB_EN, c->subdimensions[si].name_en, sen);
		} else if (c->nsubdimensions < 200) {
			si = c->nsubdimensions++;
			c->subdimensions[si] =
				(struct cat_subdimension){s, svi, sen, di};
		}
	}
	/* indicator "<sub>.<k>" */
	const char *ic = required(r, C_IND);
	const char *ivi = required(r, C_IND_VI), *ien = required(r, C_IND_EN);
	const char *w = cell(r, C_WEIGHT), *src = cell(r, C_SOURCE),
		   *loc = cell(r, C_LOCAL);
	double weight = 1;
	if (*w && (!parse_number(w, &weight) || weight <= 0)) {
		bad(r, C_WEIGHT, "Trọng số phải là số dương.",
		    "\"%s\": the weight is a positive number", w);
		weight = 1;
	}
	bool known_src = !*src;
	for (size_t i = 0; i < sizeof sources / sizeof *sources; i++)
		known_src |= !strcmp(src, sources[i]);
	if (!known_src)
		bad(r, C_SOURCE,
		    "Nguồn phải là [R], [P], [I], PROPOSED hoặc LOCAL.",
		    "\"%s\": expected [R], [P], [I], PROPOSED or LOCAL", src);
	if (*loc && strcmp(loc, "0") && strcmp(loc, "1"))
		bad(r, C_LOCAL, "Cột local là 0 hoặc 1.",
		    "\"%s\": expected 0 or 1", loc);
	int ii = -1;
	if (*ic && si >= 0) {
		size_t sl = strlen(s), il = strlen(ic);
		bool form = il > sl + 1 && il <= 24 && !strncmp(ic, s, sl) &&
			    ic[sl] == '.';
		for (size_t k = sl + 1; form && k < il; k++)
			form = isalnum((unsigned char)ic[k]) || ic[k] == '_';
		if (!form) {
			bad(r, C_IND,
			    "Mã chỉ số bắt đầu bằng mã nội dung thành phần, "
			    "rồi dấu chấm và số thứ tự (ví dụ 1.1.3).",
			    "\"%s\": expected the sub-dimension's code, a dot "
			    "and a number (1.1.3)",
			    ic);
		} else if ((ii = find_ind(c, ic)) >= 0) {
			if (ii != c->nindicators - 1)
				bad(r, C_IND,
				    "Các câu hỏi của cùng một chỉ số phải nằm "
				    "liền nhau.",
				    "the questions of indicator %s are not on "
				    "consecutive rows",
				    ic);
			same(r, C_IND_VI, c->indicators[ii].name_vi, ivi);
			same(r, C_IND_EN, c->indicators[ii].name_en, ien);
		} else if (c->nindicators < CATALOGUE_MAX_QUESTIONS) {
			ii = c->nindicators++;
			c->indicators[ii] = (struct cat_indicator){
				ic, ivi, ien, weight, src, !strcmp(loc, "1"),
				si};
		}
	}
	read_question(r, c, ii);
}

enum err catalogue_parse(struct arena *a, const char *data, size_t len,
			 struct catalogue *out, struct problems *p,
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
	struct reader r = {a, p, &t, {0}, 0, 1};
	for (int c = 0; c < CATALOGUE_NCOLUMNS; c++) {
		r.col[c] = csv_col(&t, catalogue_columns[c]);
		if (r.col[c] < 0 && !column_optional(catalogue_columns[c]))
			problems_add(a, p, 1, catalogue_columns[c],
				     "Thiếu cột bắt buộc.", "missing column %s",
				     catalogue_columns[c]);
	}
	for (int c = 0; c < t.ncols; c++) {
		bool known = false;
		for (int k = 0; k < CATALOGUE_NCOLUMNS; k++)
			known |= !strcmp(t.header[c], catalogue_columns[k]);
		if (!known)
			problems_add(a, p, 1, t.header[c],
				     "Cột không có trong mẫu.",
				     "unknown column \"%s\"", t.header[c]);
	}
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problem%s in the header",
				 p->n, p->n > 1 ? "s" : "");
	if (t.nrows == 0) {
		problems_add(a, p, 0, "", "Tệp không có dòng nào.", "no rows");
		return error_set(e, ERR_INVALID, "the file has no rows");
	}
	if (t.nrows > CATALOGUE_MAX_QUESTIONS) {
		problems_add(a, p, 0, "", "Tệp có quá nhiều dòng.",
			     "%d rows: at most %d questions", t.nrows,
			     CATALOGUE_MAX_QUESTIONS);
		return error_set(e, ERR_INVALID, "too many rows");
	}
	out->dimensions = arena_alloc(a, sizeof *out->dimensions * 8);
	out->subdimensions = arena_alloc(a, sizeof *out->subdimensions * 200);
	out->indicators =
		arena_alloc(a, sizeof *out->indicators * (size_t)t.nrows);
	out->questions =
		arena_alloc(a, sizeof *out->questions * (size_t)t.nrows);
	if (!out->dimensions || !out->subdimensions || !out->indicators ||
	    !out->questions)
		return error_set(e, ERR_NOMEM, "catalogue: out of memory");
	long year = 0;
	for (r.row = 0; r.row < t.nrows; r.row++) {
		r.line = t.lines[r.row];
		read_row(&r, out, &year);
	}
	for (int d = 1; d <= 8 && p->n == 0; d++) {
		char code[3] = {'D', (char)('0' + d), '\0'};
		if (find_dim(out, code) < 0)
			problems_add(a, p, 0, "dimension",
				     "Danh mục phải có đủ 8 lĩnh vực.",
				     "no question in dimension %s", code);
	}
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problem%s in the file",
				 p->n, p->n > 1 ? "s" : "");
	out->year = (int)year;
	return ERR_OK;
}

/* ---- export ---- */

struct buf {
	struct arena *a;
	char *s;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1 << 16;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *bigger = arena_alloc(b->a, cap);
		if (!bigger) {
			b->failed = true;
			return;
		}
		if (b->len)
			memcpy(bigger, b->s, b->len);
		b->s = bigger;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void field(struct buf *b, const char *s, bool last)
{
	const char *q = csv_quote(b->a, s ? s : "");
	if (!q)
		b->failed = true;
	else
		put(b, q);
	put(b, last ? "\r\n" : ",");
}

char *catalogue_csv(struct arena *a, const struct catalogue *c, size_t *len)
{
	struct buf b = {a, NULL, 0, 0, false};
	for (int k = 0; k < CATALOGUE_NCOLUMNS; k++)
		field(&b, catalogue_columns[k], k == CATALOGUE_NCOLUMNS - 1);
	char year[16];
	snprintf(year, sizeof year, "%d", c->year);
	for (int i = 0; i < c->nquestions; i++) {
		const struct cat_question *q = &c->questions[i];
		const struct cat_indicator *in = &c->indicators[q->indicator];
		const struct cat_subdimension *s =
			&c->subdimensions[in->subdimension];
		const struct cat_dimension *d = &c->dimensions[s->dimension];
		const char *row[CATALOGUE_NCOLUMNS] = {
			year,
			d->code,
			d->name_vi,
			d->name_en,
			s->code,
			s->name_vi,
			s->name_en,
			in->code,
			in->name_vi,
			in->name_en,
			q->code,
			q->text_vi,
			q->text_en,
			answer_type_key(q->type),
			q->choices,
			catalogue_number(a, q->lower),
			catalogue_number(a, q->upper),
			direction_key(q->direction),
			q->missing_codes,
			q->skip_if,
			catalogue_number(a, in->weight),
			in->source,
			in->local ? "1" : "0"};
		for (int k = 0; k < CATALOGUE_NCOLUMNS; k++)
			field(&b, row[k], k == CATALOGUE_NCOLUMNS - 1);
	}
	if (b.failed)
		return NULL;
	*len = b.len;
	return b.s;
}
