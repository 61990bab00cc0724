/* Interviews, pure: answer checks, skip rules, packing, the CSV import
 * (interview.h says the rules). */
#include "interview.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../base/csv.h"
#include "../base/text.h"
#include "../base/banned.h"

const char *const interview_age_groups[INTERVIEW_AGE_GROUPS] = {
	"18-29", "30-39", "40-49", "50-59", "60-70",
};

/* ASCII lower-case copy without spaces, with the Vietnamese "nữ" folded
 * to "nu", into buf (short words only). */
static const char *fold_word(const char *s, char *buf, size_t n)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == ' ' || ch == '\t')
			continue;
		if (!strncmp(s, "ữ", strlen("ữ")) ||
		    !strncmp(s, "Ữ", strlen("Ữ"))) {
			buf[k++] = 'u';
			s += strlen("ữ") - 1;
			continue;
		}
		buf[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	}
	buf[k] = '\0';
	return buf;
}

const char *interview_gender(const char *s)
{
	char b[16];
	if (!s || strlen(s) > 12)
		return NULL;
	fold_word(s, b, sizeof b);
	if (!strcmp(b, "1") || !strcmp(b, "nam") || !strcmp(b, "male") ||
	    !strcmp(b, "m"))
		return "male";
	if (!strcmp(b, "2") || !strcmp(b, "nu") || !strcmp(b, "female") ||
	    !strcmp(b, "f"))
		return "female";
	return NULL;
}

const char *interview_gender_vi(const char *key)
{
	return key && !strcmp(key, "male")     ? "Nam"
	       : key && !strcmp(key, "female") ? "Nữ"
					       : "";
}

const char *interview_age_group(const char *s)
{
	if (!s)
		return NULL;
	char b[24];
	size_t k = 0;
	/* "18–29" with an en dash reads as "18-29" */
	for (; *s && k + 1 < sizeof b; s++) {
		if (*s == ' ')
			continue;
		if (!strncmp(s, "–", strlen("–"))) {
			b[k++] = '-';
			s += strlen("–") - 1;
			continue;
		}
		b[k++] = *s;
	}
	if (*s)
		return NULL;
	b[k] = '\0';
	for (int i = 0; i < INTERVIEW_AGE_GROUPS; i++)
		if (!strcmp(b, interview_age_groups[i]))
			return interview_age_groups[i];
	char *end;
	errno = 0;
	long age = strtol(b, &end, 10);
	if (!*b || *end || errno || age < 18 || age > 70)
		return NULL;
	return interview_age_groups[age < 30    ? 0
				    : age >= 60 ? 4
						: age / 10 - 2];
}

int interview_question(const struct catalogue *c, const char *code)
{
	for (int i = 0; i < c->nquestions; i++)
		if (!strcmp(c->questions[i].code, code))
			return i;
	return -1;
}

/* Whether one of "CODE=V;CODE!=V" holds. depth bounds the chain of
 * follow-ups (skip_if may only name an earlier question: it ends). */
static bool skipped_at(const struct catalogue *c, const char *const *vals,
		       int q, int depth)
{
	const char *s = c->questions[q].skip_if;
	if (!s || !*s || depth > 64)
		return false;
	while (*s) {
		const char *end = strchr(s, ';');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		const char *op = memchr(s, '=', n);
		if (op && op > s) {
			bool ne = op[-1] == '!';
			size_t codelen = (size_t)(op - s) - (ne ? 1 : 0);
			const char *want = op + 1;
			size_t wantlen = n - (size_t)(want - s);
			for (int k = 0; k < q; k++) {
				const char *code = c->questions[k].code;
				if (strlen(code) != codelen ||
				    strncmp(code, s, codelen))
					continue;
				if (skipped_at(c, vals, k, depth + 1))
					return true;
				const char *v = vals[k] ? vals[k] : "";
				if (!*v)
					break;
				bool eq = strlen(v) == wantlen &&
					  !strncmp(v, want, wantlen);
				if (!eq && !ne) {
					/* "1.0" is the answer 1 */
					char *e1, *e2;
					double a = strtod(v, &e1);
					char tmp[INTERVIEW_ANSWER_MAX];
					if (wantlen < sizeof tmp) {
						memcpy(tmp, want, wantlen);
						tmp[wantlen] = '\0';
						double b = strtod(tmp, &e2);
						eq = !*e1 && !*e2 && a == b;
					}
				}
				if (eq != ne)
					return true;
				break;
			}
		}
		if (!end)
			break;
		s = end + 1;
	}
	return false;
}

bool interview_skipped(const struct catalogue *c, const char *const *vals,
		       int q)
{
	return skipped_at(c, vals, q, 0);
}

void interview_clear_skipped(const struct catalogue *c, const char **vals)
{
	/* in order: a cleared filter skips its own follow-ups next */
	for (int q = 0; q < c->nquestions; q++)
		if (interview_skipped(c, (const char *const *)vals, q))
			vals[q] = "";
}

bool interview_is_missing_code(const struct cat_question *q, const char *v)
{
	const char *s = q->missing_codes;
	size_t n = strlen(v);
	if (!n)
		return false;
	while (s && *s) {
		const char *end = strchr(s, ';');
		size_t k = end ? (size_t)(end - s) : strlen(s);
		if (k == n && !strncmp(s, v, n))
			return true;
		s = end ? end + 1 : NULL;
	}
	return false;
}

const char *interview_missing_label_vi(const char *code)
{
	size_t n = strlen(code);
	if (n && code[n - 1] == '8')
		return "Không biết";
	if (n && code[n - 1] == '9')
		return "Từ chối trả lời";
	return "Không trả lời được";
}

/* Whether v is one of the codes of "1=Có;0=Không". */
static bool is_choice(const char *choices, double v)
{
	const char *s = choices;
	while (s && *s) {
		char *end;
		double code = strtod(s, &end);
		if (end != s && *end == '=' && code == v)
			return true;
		s = strchr(s, ';');
		if (s)
			s++;
	}
	return false;
}

enum answer_check interview_check_answer(const struct cat_question *q,
					 const char *v)
{
	if (!v || !*v)
		return ANSWER_EMPTY;
	if (interview_is_missing_code(q, v))
		return ANSWER_OK;
	if (strlen(v) >= INTERVIEW_ANSWER_MAX)
		return ANSWER_NOT_NUMBER;
	/* digits, one '.', a leading '-': no "1e3", "0x10", "inf", spaces */
	const char *s = v + (*v == '-');
	int dots = 0, digits = 0;
	for (; *s; s++) {
		if (*s == '.')
			dots++;
		else if (*s >= '0' && *s <= '9')
			digits++;
		else
			return ANSWER_NOT_NUMBER;
	}
	if (!digits || dots > 1)
		return ANSWER_NOT_NUMBER;
	double x = strtod(v, NULL);
	bool coded = q->type == ANSWER_YES_NO || q->type == ANSWER_SCALE ||
		     q->type == ANSWER_CHOICE || q->type == ANSWER_COUNT;
	if (coded && x != floor(x))
		return ANSWER_NOT_WHOLE;
	if ((q->type == ANSWER_YES_NO || q->type == ANSWER_CHOICE ||
	     q->type == ANSWER_SCALE) &&
	    *q->choices)
		return is_choice(q->choices, x) ? ANSWER_OK
						: ANSWER_NOT_A_CHOICE;
	if (x < q->lower || x > q->upper)
		return ANSWER_OUT_OF_RANGE;
	return ANSWER_OK;
}

int interview_validate(struct arena *a, const struct catalogue *c,
		       const char *const *vals, bool complete, int line,
		       const char *const *colnames, struct problems *p)
{
	int before = p->n;
	for (int q = 0; q < c->nquestions; q++) {
		const struct cat_question *cq = &c->questions[q];
		const char *col =
			colnames && colnames[q] ? colnames[q] : cq->code;
		const char *v = vals[q] ? vals[q] : "";
		if (interview_skipped(c, vals, q)) {
			if (*v)
				problems_add(
					a, p, line, col,
					arena_printf(a,
						     "Câu này phải bỏ qua "
						     "(điều kiện %s) nhưng lại "
						     "có câu trả lời.",
						     cq->skip_if),
					"%s: answered although skipped "
					"(skip_if %s)",
					cq->code, cq->skip_if);
			continue;
		}
		switch (interview_check_answer(cq, v)) {
		case ANSWER_OK: break;
		case ANSWER_EMPTY:
			if (complete)
				problems_add(a, p, line, col, "Chưa trả lời.",
					     "%s: no answer", cq->code);
			break;
		case ANSWER_NOT_NUMBER:
			problems_add(a, p, line, col,
				     arena_printf(a,
						  "“%s” không phải là một số.",
						  v),
				     "%s: \"%s\" is not a number", cq->code, v);
			break;
		case ANSWER_NOT_WHOLE:
			problems_add(
				a, p, line, col,
				arena_printf(a, "“%s” phải là số nguyên.", v),
				"%s: \"%s\" is not a whole number", cq->code,
				v);
			break;
		case ANSWER_NOT_A_CHOICE:
			problems_add(
				a, p, line, col,
				arena_printf(a,
					     "“%s” không phải là một lựa chọn "
					     "(%s; mã thiếu %s).",
					     v, cq->choices, cq->missing_codes),
				"%s: \"%s\" is not one of %s (missing codes "
				"%s)",
				cq->code, v, cq->choices, cq->missing_codes);
			break;
		case ANSWER_OUT_OF_RANGE:
			problems_add(
				a, p, line, col,
				arena_printf(a, "“%s” nằm ngoài khoảng %s–%s.",
					     v, catalogue_number(a, cq->lower),
					     catalogue_number(a, cq->upper)),
				"%s: %s out of range [%s, %s]", cq->code, v,
				catalogue_number(a, cq->lower),
				catalogue_number(a, cq->upper));
			break;
		}
	}
	return p->n - before;
}

char *interview_pack(struct arena *a, const struct catalogue *c,
		     const char *const *vals)
{
	size_t n = 1;
	for (int q = 0; q < c->nquestions; q++)
		n += (vals[q] ? strlen(vals[q]) : 0) + 1;
	char *out = arena_alloc(a, n);
	if (!out)
		return NULL;
	size_t k = 0;
	for (int q = 0; q < c->nquestions; q++) {
		if (q)
			out[k++] = ';';
		size_t l = vals[q] ? strlen(vals[q]) : 0;
		/* a ';' would shift every later answer: answers are numbers */
		for (size_t i = 0; i < l; i++)
			out[k++] = vals[q][i] == ';' ? ',' : vals[q][i];
	}
	out[k] = '\0';
	return out;
}

enum err interview_unpack(struct arena *a, const struct catalogue *c,
			  const char *packed, const char ***vals,
			  struct error *e)
{
	const char **v =
		arena_alloc(a, sizeof *v * (size_t)(c->nquestions + 1));
	if (!v)
		return error_set(e, ERR_NOMEM, "interview answers");
	const char *s = packed ? packed : "";
	for (int q = 0; q < c->nquestions; q++) {
		const char *end = strchr(s, ';');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		v[q] = arena_strndup(a, s, n);
		if (!v[q])
			return error_set(e, ERR_NOMEM, "interview answers");
		s = end ? end + 1 : s + n;
	}
	if (*s || (packed && *packed && c->nquestions == 0))
		return error_set(e, ERR_INVALID,
				 "answers hold more fields than the "
				 "catalogue's %d questions",
				 c->nquestions);
	*vals = v;
	return ERR_OK;
}

/* ---- the CSV import ---- */

enum target {
	T_NONE = -1,
	T_VILLAGE = -2,
	T_GENDER = -3,
	T_AGE = -4,
	T_WEIGHT = -5,
	T_ID = -6,
	T_PERSON = -7
};

static int target_of(const struct catalogue *c, const char *code)
{
	static const struct {
		const char *name;
		int t;
	} special[] = {
		{"village", T_VILLAGE}, {"gender", T_GENDER},
		{"age_group", T_AGE},   {"age", T_AGE},
		{"weight", T_WEIGHT},   {"id", T_ID},
		{"person", T_PERSON},
	};
	for (size_t i = 0; i < sizeof special / sizeof *special; i++)
		if (!strcmp(code, special[i].name))
			return special[i].t;
	int q = interview_question(c, code);
	return q >= 0 ? q : -100;
}

static enum err read_table(struct arena *a, const char *data, size_t len,
			   const char *what, struct csv_table *t,
			   struct problems *p, struct error *e)
{
	if (!import_check_text(a, data, len, p))
		return error_set(e, ERR_INVALID, "%s: %s", what,
				 p->kept ? p->list[p->kept - 1].msg_en
					 : "bad file");
	struct error ce = {0};
	if (csv_parse(a, data, len, t, &ce)) {
		if (ce.code == ERR_NOMEM || ce.code == ERR_TOOBIG)
			return error_set(e, ce.code, "%s: %s", what, ce.msg);
		problems_add(a, p, 0, "",
			     arena_printf(a, "%s không đúng định dạng CSV: %s",
					  !strcmp(what, "map")
						  ? "Tệp ánh xạ cột"
						  : "Tệp",
					  ce.msg),
			     "%s: not CSV: %s", what, ce.msg);
		return error_set(e, ERR_INVALID, "%s: not CSV: %s", what,
				 ce.msg);
	}
	return ERR_OK;
}

/* The file's column -> target. */
static enum err read_map(struct arena *a, const struct catalogue *c,
			 const struct csv_table *t, const char *map,
			 size_t map_len, int *targets, struct problems *p,
			 struct error *e)
{
	for (int k = 0; k < t->ncols; k++) {
		int tg = target_of(c, t->header[k]);
		targets[k] = tg == -100 ? T_NONE : tg;
	}
	if (!map)
		return ERR_OK;
	struct csv_table m;
	enum err err = read_table(a, map, map_len, "map", &m, p, e);
	if (err)
		return err;
	int ccol = csv_col(&m, "column"), qcol = csv_col(&m, "code");
	if (ccol < 0 || qcol < 0) {
		problems_add(a, p, 1, ccol < 0 ? "column" : "code",
			     "Tệp ánh xạ cột cần hai cột “column” (cột của "
			     "tệp) và “code” (mã câu hỏi).",
			     "map: the header must have columns \"column\" and "
			     "\"code\"");
		return error_set(e, ERR_INVALID, "map: missing column \"%s\"",
				 ccol < 0 ? "column" : "code");
	}
	for (int r = 0; r < m.nrows; r++) {
		const char *col = csv_get(&m, r, ccol),
			   *code = csv_get(&m, r, qcol);
		int k = csv_col(t, col);
		if (k < 0) {
			problems_add(
				a, p, m.lines[r], "column",
				arena_printf(a,
					     "Tệp ánh xạ: tệp dữ liệu không có "
					     "cột “%s”.",
					     col),
				"map: the answers file has no column \"%s\"",
				col);
			continue;
		}
		if (!*code || !strcmp(code, "-")) {
			targets[k] = T_NONE;
			continue;
		}
		int tg = target_of(c, code);
		if (tg == -100) {
			problems_add(a, p, m.lines[r], "code",
				     arena_printf(a,
						  "Tệp ánh xạ: mã “%s” không "
						  "có trong danh mục %d.",
						  code, c->year),
				     "map: unknown code \"%s\" (catalogue %d)",
				     code, c->year);
			continue;
		}
		targets[k] = tg;
	}
	if (p->n)
		return error_set(e, ERR_INVALID, "map: %d problems", p->n);
	return ERR_OK;
}

static long long find_village(struct arena *a, const struct iv_village *v,
			      int n, const char *s)
{
	char *end;
	errno = 0;
	long long id = strtoll(s, &end, 10);
	if (*s && !*end && !errno) {
		for (int i = 0; i < n; i++)
			if (v[i].id == id)
				return id;
	}
	const char *f = text_fold(a, s);
	if (!f)
		return 0;
	/* "Thôn 2" and "2" both name Thôn 2 */
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].name_fold, f) || !strcmp(v[i].name, s))
			return v[i].id;
	return 0;
}

static int by_person(const void *x, const void *y)
{
	const struct iv_row *a = *(const struct iv_row *const *)x;
	const struct iv_row *b = *(const struct iv_row *const *)y;
	if (a->person_id != b->person_id)
		return a->person_id < b->person_id ? -1 : 1;
	return a->line - b->line;
}

/* One person, one interview: a repeat is a copy-paste slip, named with
 * the line it repeats. Sorted, so that a province's file stays linear. */
static bool person_repeats(struct arena *a, const struct iv_import *im,
			   struct problems *p)
{
	const struct iv_row **s =
		arena_alloc(a, sizeof *s * (size_t)(im->nrows + 1));
	if (!s)
		return true;
	int n = 0;
	for (int r = 0; r < im->nrows; r++)
		if (im->rows[r].person_id)
			s[n++] = &im->rows[r];
	qsort(s, (size_t)n, sizeof *s, by_person);
	int first = 0;
	for (int i = 0; i < n; i++) {
		if (!i || s[i]->person_id != s[i - 1]->person_id) {
			first = s[i]->line;
			continue;
		}
		problems_add(
			a, p, s[i]->line, im->person_column,
			arena_printf(a,
				     "Người được chọn số %lld đã có ở dòng %d.",
				     s[i]->person_id, first),
			"person %lld also on line %d", s[i]->person_id, first);
	}
	return false;
}

enum err interview_import_parse(struct arena *a, const struct catalogue *c,
				const struct iv_village *villages,
				int nvillages, const char *data, size_t len,
				const char *map, size_t map_len,
				struct iv_import *out, struct problems *p,
				struct error *e)
{
	memset(out, 0, sizeof *out);
	struct csv_table t;
	enum err err = read_table(a, data, len, "file", &t, p, e);
	if (err)
		return err;
	if (t.nrows > INTERVIEW_MAX_ROWS) {
		problems_add(a, p, 0, "", "Tệp có quá nhiều dòng.",
			     "over %d interviews in one file",
			     INTERVIEW_MAX_ROWS);
		return error_set(e, ERR_INVALID, "over %d rows",
				 INTERVIEW_MAX_ROWS);
	}
	int *targets = arena_alloc(a, sizeof *targets * (size_t)(t.ncols + 1));
	int *qcol = arena_alloc(a, sizeof *qcol * (size_t)(c->nquestions + 1));
	const char **colnames =
		arena_alloc(a, sizeof *colnames * (size_t)(c->nquestions + 1));
	out->ignored =
		arena_alloc(a, sizeof *out->ignored * (size_t)(t.ncols + 1));
	if (!targets || !qcol || !colnames || !out->ignored)
		return error_set(e, ERR_NOMEM, "import");
	err = read_map(a, c, &t, map, map_len, targets, p, e);
	if (err)
		return err;
	for (int q = 0; q < c->nquestions; q++)
		qcol[q] = -1;
	int vcol = -1, gcol = -1, acol = -1, wcol = -1, icol = -1, pcol = -1;
	for (int k = 0; k < t.ncols; k++) {
		int tg = targets[k];
		int *slot = tg == T_VILLAGE  ? &vcol
			    : tg == T_GENDER ? &gcol
			    : tg == T_AGE    ? &acol
			    : tg == T_WEIGHT ? &wcol
			    : tg == T_ID     ? &icol
			    : tg == T_PERSON ? &pcol
			    : tg >= 0        ? &qcol[tg]
					     : NULL;
		if (!slot) {
			out->ignored[out->nignored++] = t.header[k];
			continue;
		}
		if (*slot >= 0) {
			problems_add(
				a, p, 1, t.header[k],
				arena_printf(a,
					     "Hai cột cùng ánh xạ vào “%s” "
					     "(cột “%s” và “%s”).",
					     tg >= 0 ? c->questions[tg].code
						     : t.header[*slot],
					     t.header[*slot], t.header[k]),
				"columns \"%s\" and \"%s\" map to the same "
				"field",
				t.header[*slot], t.header[k]);
			continue;
		}
		*slot = k;
		if (tg >= 0) {
			colnames[tg] = t.header[k];
			out->nmapped++;
		}
	}
	const char *required[3][2] = {{"village", "thôn"},
				      {"gender", "giới tính"},
				      {"age_group", "nhóm tuổi"}};
	int reqcol[3] = {vcol, gcol, acol};
	for (int i = 0; i < 3; i++)
		if (reqcol[i] < 0)
			problems_add(
				a, p, 1, required[i][0],
				arena_printf(a, "Thiếu cột bắt buộc %s (%s).",
					     required[i][0], required[i][1]),
				"missing column %s", required[i][0]);
	if (!out->nmapped)
		problems_add(
			a, p, 1, "",
			"Không có cột nào ứng với một câu hỏi của danh mục.",
			"no column maps to a question of catalogue %d",
			c->year);
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problems in the header",
				 p->n);
	out->rows = arena_alloc(a, sizeof *out->rows * (size_t)(t.nrows + 1));
	if (!out->rows)
		return error_set(e, ERR_NOMEM, "import rows");
	for (int r = 0; r < t.nrows; r++) {
		struct iv_row *row = &out->rows[r];
		row->line = t.lines[r];
		row->weight = NAN;
		row->vals = arena_alloc(a, sizeof *row->vals *
						   (size_t)(c->nquestions + 1));
		if (!row->vals)
			return error_set(e, ERR_NOMEM, "import rows");
		const char *v = text_trim(a, csv_get(&t, r, vcol));
		if (!v || !*v)
			problems_add(a, p, row->line, t.header[vcol],
				     "Thiếu thôn.", "missing village");
		else if (!(row->unit_id =
				   find_village(a, villages, nvillages, v)))
			problems_add(a, p, row->line, t.header[vcol],
				     arena_printf(a,
						  "“%s” không phải là một thôn "
						  "của đợt khảo sát.",
						  v),
				     "\"%s\" is not a village of the round", v);
		v = csv_get(&t, r, gcol);
		if (!*v)
			problems_add(a, p, row->line, t.header[gcol],
				     "Thiếu giới tính.", "missing gender");
		else if (!(row->gender = interview_gender(v)))
			problems_add(
				a, p, row->line, t.header[gcol],
				arena_printf(a,
					     "“%s” không phải là giới tính "
					     "(1/Nam, 2/Nữ).",
					     v),
				"\"%s\" is not a gender (1, 2, male, female)",
				v);
		v = csv_get(&t, r, acol);
		if (!*v)
			problems_add(a, p, row->line, t.header[acol],
				     "Thiếu tuổi hoặc nhóm tuổi.",
				     "missing age group");
		else if (!(row->age_group = interview_age_group(v)))
			problems_add(
				a, p, row->line, t.header[acol],
				arena_printf(a,
					     "“%s” không phải là tuổi 18–70 "
					     "hoặc nhóm tuổi (18-29 … 60-70).",
					     v),
				"\"%s\" is not an age 18-70 or an age group",
				v);
		if (wcol >= 0 && *(v = csv_get(&t, r, wcol))) {
			char *end;
			double w = strtod(v, &end);
			if (*end || !isfinite(w) || w <= 0)
				problems_add(a, p, row->line, t.header[wcol],
					     arena_printf(a,
							  "Trọng số “%s” phải "
							  "là một số dương.",
							  v),
					     "weight \"%s\" is not a positive "
					     "number",
					     v);
			else
				row->weight = w;
		}
		row->external_id = icol >= 0 ? csv_get(&t, r, icol) : "";
		if (pcol >= 0 && *(v = text_trim(a, csv_get(&t, r, pcol)))) {
			char *end;
			errno = 0;
			long long pid = strtoll(v, &end, 10);
			if (errno || *end || pid <= 0) {
				problems_add(
					a, p, row->line, t.header[pcol],
					arena_printf(a,
						     "Mã người được chọn “%s” "
						     "phải là một số nguyên "
						     "dương (mã trên danh sách "
						     "của điều tra viên).",
						     v),
					"person \"%s\" is not a positive whole "
					"number",
					v);
			} else {
				row->person_id = pid;
			}
		}
		for (int q = 0; q < c->nquestions; q++) {
			const char *x =
				qcol[q] >= 0
					? text_trim(a, csv_get(&t, r, qcol[q]))
					: "";
			row->vals[q] = x ? x : "";
		}
		interview_validate(a, c, row->vals, false, row->line, colnames,
				   p);
	}
	out->nrows = t.nrows;
	out->person_column = pcol >= 0 ? t.header[pcol] : NULL;
	if (pcol >= 0 && person_repeats(a, out, p))
		return error_set(e, ERR_NOMEM, "import rows");
	if (!t.nrows)
		problems_add(a, p, 0, "", "Tệp không có phiếu nào.",
			     "no interviews in the file");
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problems", p->n);
	return ERR_OK;
}
