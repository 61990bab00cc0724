/* The document JSON (report.h) checked once and read into C for the three
 * renderers, with the cells formatted the Vietnamese way (1.234 / 83,3% /
 * 5,12), so the PDF, the XLSX and the DOCX show the same text. */
#include "report_render.h"
#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../base/text.h"
#include "../base/banned.h"

const char *report_fmt_number(struct arena *a, double v, enum report_fmt f)
{
	switch (f) {
	case RFMT_INT: return text_format_number(a, v, 0);
	case RFMT_SCORE: return text_format_number(a, v, 2);
	case RFMT_PERCENT: {
		const char *n = text_format_number(a, v * 100, 1);
		return n ? arena_printf(a, "%s%%", n) : NULL;
	}
	case RFMT_TEXT: break;
	}
	/* A number in a text column: as few decimals as it needs. */
	if (fabs(v - round(v)) < 1e-9)
		return text_format_number(a, v, 0);
	if (fabs(v * 10 - round(v * 10)) < 1e-9)
		return text_format_number(a, v, 1);
	return text_format_number(a, v, 2);
}

double report_axis_step(double lo, double hi)
{
	double span = hi - lo;
	if (!(span > 0) || !isfinite(span))
		return 1;
	double raw = span / 5, p = pow(10, floor(log10(raw)));
	double m = raw / p;
	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

char *report_xml_escape(struct arena *a, const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += *p == '&'                ? 5
		     : *p == '<' || *p == '>' ? 4
		     : *p == '"'              ? 6
					      : 1;
	char *out = arena_alloc_uninit(a, n + 1), *w = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *rep = *p == '&'   ? "&amp;"
				  : *p == '<' ? "&lt;"
				  : *p == '>' ? "&gt;"
				  : *p == '"' ? "&quot;"
					      : NULL;
		if (rep) {
			size_t k = strlen(rep);
			memcpy(w, rep, k);
			w += k;
		} else if (*p >= 0x20 || *p == '\t' || *p == '\n' ||
			   *p == '\r') {
			*w++ = (char)*p;
		} /* other control characters are not XML 1.0 */
	}
	*w = 0;
	return out;
}

char *report_upper(struct arena *a, const char *s)
{
	gchar *u = g_utf8_strup(s, -1);
	if (!u)
		return NULL;
	char *out = arena_strdup(a, u);
	g_free(u);
	return out;
}

/* ---- reading the document ---- */

struct reader {
	struct arena *a;
	struct error *e;
};

/* A string that must be valid UTF-8 (pango and XML need it). */
static enum err want_text(struct reader *r, const json_t *v, const char *what,
			  bool required, const char **out)
{
	*out = "";
	if (!v || json_is_null(v)) {
		if (required)
			return error_set(r->e, ERR_INVALID,
					 "report document: %s is missing",
					 what);
		return ERR_OK;
	}
	if (!json_is_string(v))
		return error_set(r->e, ERR_INVALID,
				 "report document: %s is not a string", what);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n || !text_valid_utf8(s, n))
		return error_set(r->e, ERR_INVALID,
				 "report document: %s is not UTF-8 text", what);
	*out = s;
	return ERR_OK;
}

/* An array of strings, or one string of lines ("ỦY BAN NHÂN DÂN\nXÃ"). */
static enum err want_lines(struct reader *r, const json_t *v, const char *what,
			   bool upper, const char ***out, int *n)
{
	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v))
		return ERR_OK;
	if (json_is_string(v)) {
		const char *s;
		enum err err = want_text(r, v, what, false, &s);
		if (err)
			return err;
		int k = 1;
		for (const char *p = s; *p; p++)
			k += *p == '\n';
		if (k > REPORT_MAX_LINES)
			return error_set(r->e, ERR_INVALID,
					 "report document: %s has %d lines, "
					 "more than %d",
					 what, k, REPORT_MAX_LINES);
		const char **lines = arena_alloc(r->a, sizeof *lines * k);
		if (!lines)
			return error_set(r->e, ERR_NOMEM,
					 "report: out of memory");
		for (const char *p = s;;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			if (len) {
				lines[*n] = arena_strndup(r->a, p, len);
				if (upper && lines[*n])
					lines[*n] =
						report_upper(r->a, lines[*n]);
				if (!lines[*n])
					return error_set(
						r->e, ERR_NOMEM,
						"report: out of memory");
				(*n)++;
			}
			if (!nl)
				break;
			p = nl + 1;
		}
		*out = lines;
		return ERR_OK;
	}
	if (!json_is_array(v))
		return error_set(r->e, ERR_INVALID,
				 "report document: %s is not an array", what);
	size_t k = json_array_size(v);
	if (k > REPORT_MAX_LINES)
		return error_set(r->e, ERR_INVALID,
				 "report document: %s has %zu lines, more "
				 "than %d",
				 what, k, REPORT_MAX_LINES);
	const char **lines = arena_alloc(r->a, sizeof *lines * (k + 1));
	if (!lines)
		return error_set(r->e, ERR_NOMEM, "report: out of memory");
	for (size_t i = 0; i < k; i++) {
		char name[64];
		snprintf(name, sizeof name, "%s[%zu]", what, i);
		enum err err = want_text(r, json_array_get(v, i), name, true,
					 &lines[i]);
		if (err)
			return err;
		if (upper && !(lines[i] = report_upper(r->a, lines[i])))
			return error_set(r->e, ERR_NOMEM,
					 "report: out of memory");
	}
	*out = lines;
	*n = (int)k;
	return ERR_OK;
}

static enum err read_table(struct reader *r, const json_t *b, int i,
			   struct report_block *out)
{
	struct arena *a = r->a;
	enum err err = want_text(r, json_object_get(b, "title"), "table title",
				 false, &out->title);
	if (err)
		return err;
	const json_t *cols = json_object_get(b, "columns"),
		     *rows = json_object_get(b, "rows"),
		     *fmts = json_object_get(b, "formats");
	if (!json_is_array(cols) || !json_array_size(cols))
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d (table): columns "
				 "is not a non-empty array",
				 i + 1);
	if (!json_is_array(rows))
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d (table): rows is "
				 "not an array",
				 i + 1);
	size_t nc = json_array_size(cols), nr = json_array_size(rows);
	if (nc > REPORT_MAX_COLS || nr > REPORT_MAX_ROWS)
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d (table): %zu "
				 "columns, %zu rows is too large (at most %d, "
				 "%d)",
				 i + 1, nc, nr, REPORT_MAX_COLS,
				 REPORT_MAX_ROWS);
	if (fmts && !json_is_null(fmts) &&
	    (!json_is_array(fmts) || json_array_size(fmts) != nc))
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d (table): formats "
				 "is not an array of %zu",
				 i + 1, nc);
	out->ncols = (int)nc;
	out->nrows = (int)nr;
	out->cols = arena_alloc(a, sizeof *out->cols * nc);
	out->cells = arena_alloc(a, sizeof *out->cells * (nr * nc + 1));
	if (!out->cols || !out->cells)
		return error_set(r->e, ERR_NOMEM, "report: out of memory");
	double total = 0;
	for (size_t c = 0; c < nc; c++) {
		const json_t *col = json_array_get(cols, c);
		struct report_column *k = &out->cols[c];
		char what[96];
		snprintf(what, sizeof what,
			 "block %d (table): column %zu title", i + 1, c + 1);
		if (!json_is_object(col))
			return error_set(r->e, ERR_INVALID,
					 "report document: block %d (table): "
					 "column %zu is not an object",
					 i + 1, c + 1);
		if ((err = want_text(r, json_object_get(col, "title"), what,
				     false, &k->title)))
			return err;
		const char *al =
			json_string_value(json_object_get(col, "align"));
		k->fmt = RFMT_TEXT;
		if (json_is_array(fmts)) {
			const char *f =
				json_string_value(json_array_get(fmts, c));
			if (!f)
				f = "?";
			if (!strcmp(f, "int"))
				k->fmt = RFMT_INT;
			else if (!strcmp(f, "percent"))
				k->fmt = RFMT_PERCENT;
			else if (!strcmp(f, "score"))
				k->fmt = RFMT_SCORE;
			else if (strcmp(f, "text"))
				return error_set(r->e, ERR_INVALID,
						 "report document: block %d "
						 "(table): column %zu: unknown "
						 "format \"%.40s\"",
						 i + 1, c + 1, f);
		}
		if (!al)
			k->align = k->fmt == RFMT_TEXT ? RALIGN_LEFT
						       : RALIGN_RIGHT;
		else if (!strcmp(al, "left"))
			k->align = RALIGN_LEFT;
		else if (!strcmp(al, "right"))
			k->align = RALIGN_RIGHT;
		else if (!strcmp(al, "center"))
			k->align = RALIGN_CENTER;
		else
			return error_set(r->e, ERR_INVALID,
					 "report document: block %d (table): "
					 "column %zu: unknown align \"%.40s\"",
					 i + 1, c + 1, al);
		const json_t *w = json_object_get(col, "width");
		k->width = json_is_number(w) ? json_number_value(w) : 1;
		if (!(k->width > 0) || k->width > 1000)
			return error_set(r->e, ERR_INVALID,
					 "report document: block %d (table): "
					 "column %zu: width is not a positive "
					 "number",
					 i + 1, c + 1);
		total += k->width;
	}
	for (size_t c = 0; c < nc; c++)
		out->cols[c].width /= total;
	for (size_t y = 0; y < nr; y++) {
		const json_t *row = json_array_get(rows, y);
		if (!json_is_array(row) || json_array_size(row) != nc)
			return error_set(
				r->e, ERR_INVALID,
				"report document: block %d (table): "
				"row %zu has %zu cells, the table %zu "
				"columns",
				i + 1, y + 1,
				json_is_array(row) ? json_array_size(row) : 0,
				nc);
		for (size_t c = 0; c < nc; c++) {
			const json_t *v = json_array_get(row, c);
			struct report_cell *cell = &out->cells[y * nc + c];
			if (json_is_number(v)) {
				cell->num = json_number_value(v);
				cell->is_num = true;
				cell->text = report_fmt_number(
					a, cell->num, out->cols[c].fmt);
				if (!cell->text)
					return error_set(
						r->e, ERR_NOMEM,
						"report: out of memory");
			} else if (json_is_null(v)) {
				cell->text = "";
			} else {
				char what[96];
				snprintf(what, sizeof what,
					 "block %d (table): row %zu, cell %zu",
					 i + 1, y + 1, c + 1);
				if ((err = want_text(r, v, what, true,
						     &cell->text)))
					return err;
			}
		}
	}
	return ERR_OK;
}

static enum err read_chart(struct reader *r, const json_t *b, int i,
			   struct report_chart *c)
{
	const char *kind = json_string_value(json_object_get(b, "chart"));
	if (!kind || (strcmp(kind, "bar") && strcmp(kind, "radar")))
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d (chart): unknown "
				 "chart \"%.40s\" (bar or radar)",
				 i + 1, kind ? kind : "");
	c->radar = !strcmp(kind, "radar");
	enum err err = want_text(r, json_object_get(b, "title"), "chart title",
				 false, &c->title);
	if (err)
		return err;
	const json_t *cats = json_object_get(b, "categories"),
		     *series = json_object_get(b, "series");
	if (!json_is_array(cats) || !json_is_array(series))
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d (chart): "
				 "categories and series must be arrays",
				 i + 1);
	size_t nc = json_array_size(cats), ns = json_array_size(series);
	if (nc < (c->radar ? 3u : 1u) || nc > REPORT_MAX_CATEGORIES || ns < 1 ||
	    ns > REPORT_MAX_SERIES)
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d (chart): %zu "
				 "categories and %zu series (%d to %d "
				 "categories, 1 to %d series)",
				 i + 1, nc, ns, c->radar ? 3 : 1,
				 REPORT_MAX_CATEGORIES, REPORT_MAX_SERIES);
	c->ncat = (int)nc;
	c->nser = (int)ns;
	c->cats = arena_alloc(r->a, sizeof *c->cats * nc);
	c->names = arena_alloc(r->a, sizeof *c->names * ns);
	c->values = arena_alloc(r->a, sizeof *c->values * nc * ns);
	if (!c->cats || !c->names || !c->values)
		return error_set(r->e, ERR_NOMEM, "report: out of memory");
	for (size_t k = 0; k < nc; k++) {
		char what[64];
		snprintf(what, sizeof what, "block %d (chart): category %zu",
			 i + 1, k + 1);
		if ((err = want_text(r, json_array_get(cats, k), what, true,
				     &c->cats[k])))
			return err;
	}
	double lo = INFINITY, hi = -INFINITY;
	bool whole = true;
	for (size_t s = 0; s < ns; s++) {
		const json_t *se = json_array_get(series, s),
			     *vals = json_object_get(se, "values");
		char what[64];
		snprintf(what, sizeof what, "block %d (chart): series %zu name",
			 i + 1, s + 1);
		if (!json_is_object(se))
			return error_set(r->e, ERR_INVALID,
					 "report document: block %d (chart): "
					 "series %zu is not an object",
					 i + 1, s + 1);
		if ((err = want_text(r, json_object_get(se, "name"), what,
				     false, &c->names[s])))
			return err;
		if (!json_is_array(vals) || json_array_size(vals) != nc)
			return error_set(
				r->e, ERR_INVALID,
				"report document: block %d (chart): "
				"series %zu has %zu values for %zu "
				"categories",
				i + 1, s + 1,
				json_is_array(vals) ? json_array_size(vals) : 0,
				nc);
		for (size_t k = 0; k < nc; k++) {
			const json_t *v = json_array_get(vals, k);
			double x = NAN;
			if (json_is_number(v)) {
				x = json_number_value(v);
				if (!isfinite(x))
					x = NAN;
			} else if (!json_is_null(v)) {
				return error_set(r->e, ERR_INVALID,
						 "report document: block %d "
						 "(chart): series %zu, value "
						 "%zu is not a number",
						 i + 1, s + 1, k + 1);
			}
			c->values[s * nc + k] = x;
			whole &= !json_is_real(v);
			if (isfinite(x)) {
				lo = fmin(lo, x);
				hi = fmax(hi, x);
			}
		}
	}
	c->whole = whole;
	/* The axis: the document's, else from 0 (or below the data) to a
	 * round step above it. */
	const json_t *ymin = json_object_get(b, "y_min"),
		     *ymax = json_object_get(b, "y_max");
	if (!isfinite(lo))
		lo = 0, hi = 1;
	c->y_min = json_is_number(ymin) ? json_number_value(ymin)
					: (lo < 0 ? lo : 0);
	if (json_is_number(ymax)) {
		c->y_max = json_number_value(ymax);
	} else {
		double top = hi > c->y_min ? hi : c->y_min + 1;
		double st = report_axis_step(c->y_min, top);
		if (whole)
			st = fmax(st, 1);
		c->y_max = c->y_min + ceil((top - c->y_min) / st - 1e-9) * st;
	}
	if (!isfinite(c->y_min) || !isfinite(c->y_max) ||
	    !(c->y_max > c->y_min))
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d (chart): y_min "
				 "must be below y_max",
				 i + 1);
	return ERR_OK;
}

static enum err read_block(struct reader *r, const json_t *b, int i,
			   struct report_block *out)
{
	if (!json_is_object(b))
		return error_set(r->e, ERR_INVALID,
				 "report document: block %d is not an object",
				 i + 1);
	const char *type = json_string_value(json_object_get(b, "type"));
	char what[64];
	snprintf(what, sizeof what, "block %d text", i + 1);
	if (!type)
		type = "";
	if (!strcmp(type, "heading")) {
		out->type = RBLOCK_HEADING;
		const json_t *lv = json_object_get(b, "level");
		out->level =
			json_is_integer(lv) ? (int)json_integer_value(lv) : 1;
		if (out->level < 1 || out->level > 3)
			return error_set(r->e, ERR_INVALID,
					 "report document: block %d (heading): "
					 "level must be 1, 2 or 3",
					 i + 1);
		return want_text(r, json_object_get(b, "text"), what, true,
				 &out->text);
	}
	if (!strcmp(type, "paragraph")) {
		out->type = RBLOCK_PARAGRAPH;
		return want_text(r, json_object_get(b, "text"), what, true,
				 &out->text);
	}
	if (!strcmp(type, "table")) {
		out->type = RBLOCK_TABLE;
		return read_table(r, b, i, out);
	}
	if (!strcmp(type, "chart")) {
		out->type = RBLOCK_CHART;
		return read_chart(r, b, i, &out->chart);
	}
	return error_set(r->e, ERR_INVALID,
			 "report document: block %d: unknown type \"%.40s\"",
			 i + 1, type);
}

enum err report_doc_read(struct arena *a, const json_t *doc,
			 struct report_doc *out, struct error *e)
{
	struct reader r = {a, e};
	memset(out, 0, sizeof *out);
	if (!json_is_object(doc))
		return error_set(e, ERR_INVALID,
				 "report document: not a JSON object");
	enum err err;
	const char *type;
	if ((err = want_text(&r, json_object_get(doc, "type"), "type", false,
			     &type)) ||
	    (err = want_text(&r, json_object_get(doc, "number_text"),
			     "number_text", false, &out->number_text)) ||
	    (err = want_text(&r, json_object_get(doc, "place_date"),
			     "place_date", false, &out->place_date)) ||
	    (err = want_text(&r, json_object_get(doc, "subject"), "subject",
			     false, &out->subject)) ||
	    (err = want_lines(&r, json_object_get(doc, "issuer"), "issuer",
			      true, &out->issuer, &out->nissuer)) ||
	    (err = want_lines(&r, json_object_get(doc, "recipients"),
			      "recipients", false, &out->recipients,
			      &out->nrecipients)))
		return err;
	out->type = report_upper(a, *type ? type : "BÁO CÁO");
	const json_t *sig = json_object_get(doc, "signature");
	out->sign_mode = out->sign_title = out->sign_name = "";
	if (sig && !json_is_null(sig)) {
		if (!json_is_object(sig))
			return error_set(e, ERR_INVALID,
					 "report document: signature is not "
					 "an object");
		if ((err = want_text(&r, json_object_get(sig, "mode"),
				     "signature mode", false,
				     &out->sign_mode)) ||
		    (err = want_text(&r, json_object_get(sig, "title"),
				     "signature title", false,
				     &out->sign_title)) ||
		    (err = want_text(&r, json_object_get(sig, "name"),
				     "signature name", false, &out->sign_name)))
			return err;
		out->sign_mode = report_upper(a, out->sign_mode);
		out->sign_title = report_upper(a, out->sign_title);
	}
	if (!out->type || !out->sign_mode || !out->sign_title)
		return error_set(e, ERR_NOMEM, "report: out of memory");
	const json_t *blocks = json_object_get(doc, "blocks");
	if (!json_is_array(blocks))
		return error_set(e, ERR_INVALID,
				 "report document: blocks is not an array");
	size_t n = json_array_size(blocks);
	if (n > REPORT_MAX_BLOCKS)
		return error_set(e, ERR_INVALID,
				 "report document: %zu blocks, more than %d", n,
				 REPORT_MAX_BLOCKS);
	out->blocks = arena_alloc(a, sizeof *out->blocks * (n + 1));
	if (!out->blocks)
		return error_set(e, ERR_NOMEM, "report: out of memory");
	for (size_t i = 0; i < n; i++)
		if ((err = read_block(&r, json_array_get(blocks, i), (int)i,
				      &out->blocks[i])))
			return err;
	out->nblocks = (int)n;
	return ERR_OK;
}

/* ---- growing bytes ---- */

void report_buf_init(struct report_buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void report_buf_release(struct report_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

bool report_buf_add(struct report_buf *b, const void *p, size_t n)
{
	if (b->overflow)
		return false;
	if (n > b->max - b->len) {
		b->overflow = true;
		return false;
	}
	if (b->len + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 4096;
		while (c < b->len + n + 1)
			c *= 2;
		if (c > b->max + 1)
			c = b->max + 1;
		char *d = realloc(b->data, c);
		if (!d) {
			b->overflow = true;
			return false;
		}
		b->data = d;
		b->cap = c;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return true;
}

bool report_buf_str(struct report_buf *b, const char *s)
{
	return report_buf_add(b, s, strlen(s));
}

bool report_buf_printf(struct report_buf *b, const char *fmt, ...)
{
	char small[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	if ((size_t)n < sizeof small)
		return report_buf_add(b, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->overflow = true;
		return false;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	bool ok = report_buf_add(b, big, (size_t)n);
	free(big);
	return ok;
}

cairo_status_t report_buf_cairo_write(void *closure, const unsigned char *p,
				      unsigned int n)
{
	return report_buf_add(closure, p, n) ? CAIRO_STATUS_SUCCESS
					     : CAIRO_STATUS_WRITE_ERROR;
}
