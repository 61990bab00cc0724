/* XLSX in and out. Reading walks the zip with libzip and streams each XML
 * part through expat, so the uncompressed bytes are counted as they come
 * (a zip bomb stops at the budget, whatever its headers claim) and never
 * held whole. Writing uses libxlsxwriter, which only writes to a file
 * (1.1.4 has no memory output): a private temporary file, read back into
 * the arena and removed. */
#include "xlsx.h"
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>
#include "calendar.h"
#include "file.h"
#include "banned.h"

enum {
	XLSX_MAX_ROWS = 1000000,
	XLSX_MAX_COLS = 1000,
	XLSX_MAX_ENTRIES = 10000,
	/* A cell holds at most 32,767 characters in Excel: 4 bytes each. */
	XLSX_MAX_TEXT = 32767 * 4,
	/* Rows x columns of the dense result (pointers): 128 MB at most. */
	XLSX_MAX_GRID = 16 * 1024 * 1024,
};
static const unsigned long long XLSX_MAX_UNCOMPRESSED = 200ull << 20;

bool xlsx_looks_like(const void *data, size_t len)
{
	return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

/* ---- reading: the zip ---- */

struct cell {
	int row, col;
	const char *text;
};

struct reader {
	struct arena *a;
	struct error *e;
	enum err err;
	zip_t *zip;
	unsigned long long budget; /* uncompressed bytes left */
	const char *part;          /* the part being parsed, for messages */
	XML_Parser xml;

	/* workbook.xml and its relationships */
	char sheet_rid[128], sheet_path[512], strings_path[512],
		styles_path[512];
	bool date1904, seen_sheet;

	/* character data of the element being read */
	char *text;
	size_t ntext, captext;
	bool collect;

	/* sharedStrings.xml */
	const char **strings;
	size_t nstrings, capstrings;
	int phonetic; /* depth inside <rPh>, whose text is not the cell's */

	/* styles.xml: which cell styles (xf index) show a date or a
	 * percentage (enum shown) */
	int *fmt_ids; /* custom numFmtId, and what it shows */
	char *fmt_kinds;
	size_t nfmt_ids, capfmt_ids, capfmt_kinds;
	char *xf_kind;
	size_t nxf, capxf;
	bool in_cellxfs;

	/* the worksheet */
	struct cell *cells;
	size_t ncells, capcells;
	int row, col; /* current row (0-based), last column seen */
	char ctype[16];
	int cstyle;
	bool in_cell, in_value, in_inline, in_formula;
	int merges[4 * 4096]; /* r0 c0 r1 c1 */
	int nmerges;
};

static void fail(struct reader *r, enum err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct reader *r, enum err code, const char *fmt, ...)
{
	if (r->err)
		return;
	r->err = code;
	if (r->e) {
		va_list ap;
		va_start(ap, fmt);
		char msg[sizeof r->e->msg];
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		error_set(r->e, code, "xlsx: %s", msg);
	}
	if (r->xml)
		XML_StopParser(r->xml, XML_FALSE);
}

/* Grows *arr (elements of size sz) to hold one more, up to max elements. */
static bool grow(struct reader *r, void **arr, size_t *cap, size_t n, size_t sz,
		 size_t max, const char *what)
{
	if (n < *cap)
		return true;
	if (n >= max) {
		fail(r, ERR_TOOBIG, "%s: more than %zu %s", r->part, max, what);
		return false;
	}
	size_t c = *cap ? *cap * 2 : 64;
	if (c > max)
		c = max;
	void *p = realloc(*arr, c * sz);
	if (!p) {
		fail(r, ERR_NOMEM, "out of memory");
		return false;
	}
	*arr = p;
	*cap = c;
	return true;
}

/* The element or attribute name without its namespace prefix: producers
 * other than Excel write <x:c> as often as <c>. */
static const char *local(const char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

static void on_text(void *ud, const char *s, int len)
{
	struct reader *r = ud;
	if (!r->collect || r->err)
		return;
	if (r->ntext + (size_t)len + 1 > r->captext) {
		if (r->ntext + (size_t)len + 1 > XLSX_MAX_TEXT) {
			fail(r, ERR_TOOBIG,
			     "%s: a cell holds more than 32767 characters",
			     r->part);
			return;
		}
		size_t c = r->captext ? r->captext : 256;
		while (c < r->ntext + (size_t)len + 1)
			c *= 2;
		char *p = realloc(r->text, c);
		if (!p) {
			fail(r, ERR_NOMEM, "out of memory");
			return;
		}
		r->text = p;
		r->captext = c;
	}
	memcpy(r->text + r->ntext, s, (size_t)len);
	r->ntext += (size_t)len;
	r->text[r->ntext] = '\0';
}

static void start_text(struct reader *r)
{
	r->collect = true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | cp >> 12);
	out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* The collected text as an arena string. Excel escapes characters XML
 * cannot hold as _xHHHH_ (a carriage return is _x000D_, and a literal
 * "_x" starts _x005F_): decoded here. */
static const char *take_text(struct reader *r)
{
	r->collect = false;
	size_t n = r->ntext;
	r->ntext = 0;
	if (!n)
		return "";
	char *out = arena_alloc(r->a, n + 1);
	if (!out) {
		fail(r, ERR_NOMEM, "%s: out of memory", r->part);
		return "";
	}
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		const char *s = r->text + i;
		if (i + 7 <= n && s[0] == '_' && s[1] == 'x' && s[6] == '_') {
			int h[4] = {hexval(s[2]), hexval(s[3]), hexval(s[4]),
				    hexval(s[5])};
			unsigned cp = (unsigned)(h[0] << 12 | h[1] << 8 |
						 h[2] << 4 | h[3]);
			if (h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0 &&
			    cp && (cp < 0xD800 || cp > 0xDFFF)) {
				/* 3 bytes at most, and _xHHHH_ took 7 */
				o += put_utf8(out + o, cp);
				i += 7;
				continue;
			}
		}
		out[o++] = r->text[i++];
	}
	out[o] = '\0';
	return out;
}

static void no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
		       const XML_Char *pubid, int has_internal_subset);

/* Streams one part of the zip through the parser set up by the caller. */
static void parse_part(struct reader *r, const char *name, bool required,
		       XML_StartElementHandler start, XML_EndElementHandler end)
{
	if (r->err)
		return;
	r->part = name;
	zip_int64_t idx = zip_name_locate(r->zip, name, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (required)
			fail(r, ERR_INVALID, "no %s in the file", name);
		return;
	}
	zip_stat_t st;
	if (zip_stat_index(r->zip, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size > r->budget) {
		fail(r, ERR_TOOBIG,
		     "%s: %llu bytes uncompressed, over the 200 MB limit "
		     "(a zip bomb?)",
		     name, (unsigned long long)st.size);
		return;
	}
	zip_file_t *f = zip_fopen_index(r->zip, (zip_uint64_t)idx, 0);
	if (!f) {
		fail(r, ERR_INVALID, "%s: %s", name, zip_strerror(r->zip));
		return;
	}
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p) {
		zip_fclose(f);
		fail(r, ERR_NOMEM, "out of memory");
		return;
	}
	r->xml = p;
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, no_doctype);
	char buf[64 * 1024];
	for (;;) {
		zip_int64_t got = zip_fread(f, buf, sizeof buf);
		if (got < 0) {
			fail(r, ERR_INVALID, "%s: %s", name,
			     zip_file_strerror(f));
			break;
		}
		if ((unsigned long long)got > r->budget) {
			fail(r, ERR_TOOBIG,
			     "%s: uncompressed content over 200 MB (a zip "
			     "bomb?)",
			     name);
			break;
		}
		r->budget -= (unsigned long long)got;
		if (XML_Parse(p, buf, (int)got, got == 0) != XML_STATUS_OK) {
			if (!r->err)
				fail(r, ERR_INVALID, "%s: line %lu: %s", name,
				     (unsigned long)XML_GetCurrentLineNumber(p),
				     XML_ErrorString(XML_GetErrorCode(p)));
			break;
		}
		if (r->err || got == 0)
			break;
	}
	r->xml = NULL;
	XML_ParserFree(p);
	zip_fclose(f);
	r->collect = false;
	r->ntext = 0;
}

/* "worksheets/sheet1.xml" relative to xl/, or "/xl/..." from the root. */
static void resolve_target(char *out, size_t cap, const char *target)
{
	if (target[0] == '/')
		snprintf(out, cap, "%s", target + 1);
	else
		snprintf(out, cap, "xl/%s", target);
}

/* ---- workbook.xml and its relationships ---- */

static void wb_start(void *ud, const char *el, const char **atts)
{
	struct reader *r = ud;
	const char *n = local(el);
	if (!strcmp(n, "sheet") && !r->seen_sheet) {
		const char *rid = attr(atts, "id");
		r->seen_sheet = true;
		snprintf(r->sheet_rid, sizeof r->sheet_rid, "%s",
			 rid ? rid : "");
	} else if (!strcmp(n, "workbookPr")) {
		const char *v = attr(atts, "date1904");
		r->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	}
}

static void no_end(void *ud, const char *el)
{
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static void rels_start(void *ud, const char *el, const char **atts)
{
	struct reader *r = ud;
	if (strcmp(local(el), "Relationship"))
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"),
		   *target = attr(atts, "Target");
	if (!id || !type || !target)
		return;
	if (!strcmp(id, r->sheet_rid) && ends_with(type, "/worksheet"))
		resolve_target(r->sheet_path, sizeof r->sheet_path, target);
	else if (ends_with(type, "/sharedStrings"))
		resolve_target(r->strings_path, sizeof r->strings_path, target);
	else if (ends_with(type, "/styles"))
		resolve_target(r->styles_path, sizeof r->styles_path, target);
}

/* ---- sharedStrings.xml ---- */

static void sst_start(void *ud, const char *el, const char **atts)
{
	struct reader *r = ud;
	const char *n = local(el);
	if (!strcmp(n, "si")) {
		r->ntext = 0;
		r->phonetic = 0;
	} else if (!strcmp(n, "rPh")) {
		r->phonetic++;
	} else if (!strcmp(n, "t") && !r->phonetic) {
		start_text(r);
	}
}

static void sst_end(void *ud, const char *el)
{
	struct reader *r = ud;
	const char *n = local(el);
	if (!strcmp(n, "t")) {
		/* rich text: the runs' <t> add up to one string */
		r->collect = false;
	} else if (!strcmp(n, "rPh")) {
		r->phonetic--;
	} else if (!strcmp(n, "si")) {
		if (!grow(r, (void **)&r->strings, &r->capstrings, r->nstrings,
			  sizeof *r->strings, SIZE_MAX / 16, "strings"))
			return;
		r->strings[r->nstrings++] = take_text(r);
	}
}

/* ---- styles.xml: which styles are dates ---- */

enum shown { SHOWN_NUMBER, SHOWN_DATE, SHOWN_PERCENT };

/* A number format shows a date when it has a day or year part outside
 * quoted text, [colour/locale] brackets and escaped characters; times
 * alone (h:mm) are not dates. It shows a percentage with a % there. */
static enum shown format_shows(const char *code)
{
	enum shown shown = SHOWN_NUMBER;
	for (const char *s = code; *s; s++) {
		switch (*s) {
		case '"':
			s = strchr(s + 1, '"');
			if (!s)
				return shown;
			break;
		case '[':
			s = strchr(s + 1, ']');
			if (!s)
				return shown;
			break;
		case '\\':
		case '_':
		case '*':
			if (!s[1])
				return shown;
			s++;
			break;
		case 'd':
		case 'D':
		case 'y':
		case 'Y': return SHOWN_DATE;
		case '%': shown = SHOWN_PERCENT; break;
		default: break;
		}
	}
	return shown;
}

static enum shown builtin_shows(int id)
{
	if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
	    (id >= 50 && id <= 58))
		return SHOWN_DATE;
	return id == 9 || id == 10 ? SHOWN_PERCENT : SHOWN_NUMBER;
}

static int parse_small_int(const char *s, int fallback)
{
	if (!s || !*s)
		return fallback;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno || v < 0 || v > 1000000000)
		return fallback;
	return (int)v;
}

static void styles_start(void *ud, const char *el, const char **atts)
{
	struct reader *r = ud;
	const char *n = local(el);
	if (!strcmp(n, "numFmt")) {
		int id = parse_small_int(attr(atts, "numFmtId"), -1);
		const char *code = attr(atts, "formatCode");
		enum shown shown = code ? format_shows(code) : SHOWN_NUMBER;
		if (id >= 0 && shown != SHOWN_NUMBER &&
		    grow(r, (void **)&r->fmt_ids, &r->capfmt_ids, r->nfmt_ids,
			 sizeof *r->fmt_ids, 65536, "number formats") &&
		    grow(r, (void **)&r->fmt_kinds, &r->capfmt_kinds,
			 r->nfmt_ids, sizeof *r->fmt_kinds, 65536,
			 "number formats")) {
			r->fmt_ids[r->nfmt_ids] = id;
			r->fmt_kinds[r->nfmt_ids++] = (char)shown;
		}
	} else if (!strcmp(n, "cellXfs")) {
		r->in_cellxfs = true;
	} else if (!strcmp(n, "xf") && r->in_cellxfs) {
		int id = parse_small_int(attr(atts, "numFmtId"), 0);
		enum shown shown = builtin_shows(id);
		for (size_t i = 0; i < r->nfmt_ids; i++)
			if (r->fmt_ids[i] == id)
				shown = (enum shown)r->fmt_kinds[i];
		if (grow(r, (void **)&r->xf_kind, &r->capxf, r->nxf,
			 sizeof *r->xf_kind, 65536, "cell styles"))
			r->xf_kind[r->nxf++] = (char)shown;
	}
}

static void styles_end(void *ud, const char *el)
{
	struct reader *r = ud;
	if (!strcmp(local(el), "cellXfs"))
		r->in_cellxfs = false;
}

/* ---- the worksheet ---- */

/* "B12" -> row 11, col 1 (0-based). Columns may be given alone ("B"),
 * for the row in progress. */
static bool parse_ref(const char *s, int *row, int *col)
{
	long c = 0, rw = 0;
	int nl = 0, nd = 0;
	for (; *s >= 'A' && *s <= 'Z'; s++, nl++) {
		c = c * 26 + (*s - 'A' + 1);
		if (c > 20000)
			return false;
	}
	for (; *s >= '0' && *s <= '9'; s++, nd++) {
		rw = rw * 10 + (*s - '0');
		if (rw > 20000000)
			return false;
	}
	if (*s || !nl || !c)
		return false;
	*col = (int)c - 1;
	if (nd) {
		if (!rw)
			return false;
		*row = (int)rw - 1;
	}
	return true;
}

static void sheet_start(void *ud, const char *el, const char **atts)
{
	struct reader *r = ud;
	const char *n = local(el);
	if (!strcmp(n, "row")) {
		int rn = parse_small_int(attr(atts, "r"), 0);
		r->row = rn > 0 ? rn - 1 : r->row + 1;
		r->col = -1;
		if (r->row >= XLSX_MAX_ROWS)
			fail(r, ERR_TOOBIG, "%s: row %d: more than %d rows",
			     r->part, r->row + 1, XLSX_MAX_ROWS);
	} else if (!strcmp(n, "c")) {
		const char *ref = attr(atts, "r");
		int row = r->row, col = r->col + 1;
		if (ref && !parse_ref(ref, &row, &col)) {
			fail(r, ERR_INVALID, "%s: bad cell reference \"%.20s\"",
			     r->part, ref);
			return;
		}
		if (row < 0)
			row = 0;
		r->row = row;
		r->col = col;
		if (col >= XLSX_MAX_COLS) {
			fail(r, ERR_TOOBIG, "%s: cell %s: more than %d columns",
			     r->part, ref ? ref : "?", XLSX_MAX_COLS);
			return;
		}
		if (row >= XLSX_MAX_ROWS) {
			fail(r, ERR_TOOBIG, "%s: more than %d rows", r->part,
			     XLSX_MAX_ROWS);
			return;
		}
		const char *t = attr(atts, "t");
		snprintf(r->ctype, sizeof r->ctype, "%s", t ? t : "n");
		r->cstyle = parse_small_int(attr(atts, "s"), 0);
		r->in_cell = true;
		r->in_inline = false;
		r->ntext = 0;
	} else if (!r->in_cell) {
		if (!strcmp(n, "mergeCell")) {
			const char *ref = attr(atts, "ref");
			const char *colon = ref ? strchr(ref, ':') : NULL;
			char a[16], b[16];
			int *m = r->merges + 4 * r->nmerges;
			if (!colon || colon - ref >= (long)sizeof a ||
			    strlen(colon + 1) >= sizeof b ||
			    r->nmerges >= (int)(sizeof r->merges /
						sizeof *r->merges / 4))
				return;
			snprintf(a, sizeof a, "%.*s", (int)(colon - ref), ref);
			snprintf(b, sizeof b, "%s", colon + 1);
			m[0] = m[2] = -1;
			if (parse_ref(a, &m[0], &m[1]) &&
			    parse_ref(b, &m[2], &m[3]) && m[0] >= 0 &&
			    m[2] >= m[0] && m[3] >= m[1])
				r->nmerges++;
		}
	} else if (!strcmp(n, "v")) {
		r->in_value = true;
		r->ntext = 0;
		start_text(r);
	} else if (!strcmp(n, "is")) {
		r->in_inline = true;
		r->ntext = 0;
		r->phonetic = 0;
	} else if (!strcmp(n, "rPh")) {
		r->phonetic++;
	} else if (!strcmp(n, "t") && r->in_inline && !r->phonetic) {
		start_text(r);
	}
}

/* Excel's serial day number -> "YYYY-MM-DD"; false when it is no date
 * (negative, past 9999, or 1900-02-29, which Excel counts but never was). */
static bool serial_to_date(double v, bool date1904, char out[11])
{
	if (!isfinite(v) || v < 1 || v >= 2958466)
		return false;
	long days = (long)floor(v);
	struct date base;
	if (date1904) {
		base = (struct date){1904, 1, 1};
	} else if (days >= 61) {
		base = (struct date){1899, 12, 30};
	} else if (days < 60) {
		base = (struct date){1899, 12, 31};
	} else {
		return false;
	}
	struct date d = date_from_days(date_to_days(base) + days);
	if (!date_valid(d))
		return false;
	date_format_iso(d, out);
	return true;
}

static void push_cell(struct reader *r, const char *text)
{
	if (!*text)
		return;
	if (!grow(r, (void **)&r->cells, &r->capcells, r->ncells,
		  sizeof *r->cells, XLSX_MAX_GRID, "cells"))
		return;
	r->cells[r->ncells++] = (struct cell){r->row, r->col, text};
}

static void end_cell(struct reader *r)
{
	const char *v = take_text(r);
	const char *t = r->ctype;
	if (!strcmp(t, "s")) {
		char *end;
		errno = 0;
		unsigned long i = strtoul(v, &end, 10);
		if (!*v || *end || errno || i >= r->nstrings) {
			fail(r, ERR_INVALID,
			     "%s: row %d: shared string \"%.20s\" out of range",
			     r->part, r->row + 1, v);
			return;
		}
		push_cell(r, r->strings[i]);
	} else if (!strcmp(t, "b")) {
		push_cell(r, !*v ? "" : !strcmp(v, "0") ? "FALSE" : "TRUE");
	} else if (!strcmp(t, "d")) {
		/* ISO 8601: the date part is what a task needs */
		struct date d;
		char iso[11];
		snprintf(iso, sizeof iso, "%s", v);
		if (date_parse_iso(iso, &d))
			v = arena_strdup(r->a, iso);
		push_cell(r, v ? v : "");
	} else if (!strcmp(t, "n") && *v && r->cstyle >= 0 &&
		   (size_t)r->cstyle < r->nxf && r->xf_kind[r->cstyle]) {
		char *end;
		double d = strtod(v, &end);
		char iso[11];
		const char *s = v;
		if (*end || !isfinite(d))
			; /* not a number after all: as written */
		else if (r->xf_kind[r->cstyle] == SHOWN_PERCENT)
			s = arena_printf(r->a, "%.10g%%", d * 100);
		else if (serial_to_date(d, r->date1904, iso))
			s = arena_strdup(r->a, iso);
		push_cell(r, s ? s : "");
	} else {
		/* n, str (a formula's text), e (#N/A ...), inlineStr */
		push_cell(r, v);
	}
}

static void sheet_end(void *ud, const char *el)
{
	struct reader *r = ud;
	const char *n = local(el);
	if (!r->in_cell)
		return;
	if (!strcmp(n, "v")) {
		r->in_value = false;
		r->collect = false;
	} else if (!strcmp(n, "t")) {
		r->collect = false;
	} else if (!strcmp(n, "rPh")) {
		r->phonetic--;
	} else if (!strcmp(n, "c")) {
		end_cell(r);
		r->in_cell = false;
		r->in_inline = false;
	}
}

/* Excel refuses a DOCTYPE in its parts; so do we (entity expansion). */
static void no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
		       const XML_Char *pubid, int has_internal_subset)
{
	struct reader *r = ud;
	fail(r, ERR_INVALID, "%s: a DOCTYPE is not allowed", r->part);
}

static int cmp_cell(const void *x, const void *y)
{
	const struct cell *a = x, *b = y;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

static void reader_release(struct reader *r)
{
	free(r->text);
	free(r->strings);
	free(r->fmt_ids);
	free(r->fmt_kinds);
	free(r->xf_kind);
	free(r->cells);
	if (r->zip)
		zip_discard(r->zip);
}

/* The dense grid: every cell a string, "" when empty; merged ranges show
 * their top-left value in every cell, as a person sees them. */
static enum err build_sheet(struct reader *r, struct sheet *out)
{
	int nrows = 0, ncols = 0;
	for (size_t i = 0; i < r->ncells; i++) {
		if (r->cells[i].row + 1 > nrows)
			nrows = r->cells[i].row + 1;
		if (r->cells[i].col + 1 > ncols)
			ncols = r->cells[i].col + 1;
	}
	if ((size_t)nrows * (size_t)ncols > XLSX_MAX_GRID)
		return error_set(r->e, ERR_TOOBIG,
				 "xlsx: %d rows x %d columns is too large",
				 nrows, ncols);
	const char **cells =
		arena_alloc(r->a, sizeof *cells * ((size_t)nrows * ncols + 1));
	if (!cells)
		return error_set(r->e, ERR_NOMEM,
				 "xlsx: %d rows x %d columns: out of memory",
				 nrows, ncols);
	for (size_t i = 0; i < (size_t)nrows * ncols; i++)
		cells[i] = "";
	/* stable order so that a cell given twice keeps the last value */
	for (size_t i = 0; i < r->ncells; i++)
		cells[(size_t)r->cells[i].row * ncols + r->cells[i].col] =
			r->cells[i].text;
	for (int m = 0; m < r->nmerges; m++) {
		const int *g = r->merges + 4 * m;
		if (g[0] >= nrows || g[1] >= ncols)
			continue;
		const char *v = cells[(size_t)g[0] * ncols + g[1]];
		for (int y = g[0]; y <= g[2] && y < nrows; y++)
			for (int x = g[1]; x <= g[3] && x < ncols; x++)
				cells[(size_t)y * ncols + x] = v;
	}
	*out = (struct sheet){nrows, ncols, cells};
	return ERR_OK;
}

enum err xlsx_read(struct arena *a, const void *data, size_t len,
		   struct sheet *out, struct error *e)
{
	*out = (struct sheet){0, 0, NULL};
	struct reader *r = calloc(1, sizeof *r);
	if (!r)
		return error_set(e, ERR_NOMEM, "xlsx: out of memory");
	r->a = a;
	r->e = e;
	r->budget = XLSX_MAX_UNCOMPRESSED;
	r->row = -1;
	enum err err = ERR_OK;
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src =
		xlsx_looks_like(data, len)
			? zip_source_buffer_create(data, len, 0, &zerr)
			: NULL;
	if (src) {
		r->zip = zip_open_from_source(src, ZIP_RDONLY, &zerr);
		if (!r->zip)
			zip_source_free(src);
	}
	zip_error_fini(&zerr);
	if (!r->zip) {
		err = error_set(e, ERR_INVALID,
				"xlsx: not an XLSX file (not a readable zip)");
		goto done;
	}
	if (zip_get_num_entries(r->zip, 0) > XLSX_MAX_ENTRIES) {
		err = error_set(e, ERR_TOOBIG, "xlsx: more than %d entries",
				XLSX_MAX_ENTRIES);
		goto done;
	}
	if (zip_name_locate(r->zip, "xl/workbook.xml", ZIP_FL_NOCASE) < 0) {
		err = error_set(e, ERR_INVALID,
				"xlsx: a zip but not an Excel workbook (no "
				"xl/workbook.xml)");
		goto done;
	}
	parse_part(r, "xl/workbook.xml", true, wb_start, no_end);
	parse_part(r, "xl/_rels/workbook.xml.rels", false, rels_start, no_end);
	if (!r->sheet_path[0])
		snprintf(r->sheet_path, sizeof r->sheet_path, "%s",
			 "xl/worksheets/sheet1.xml");
	if (!r->strings_path[0])
		snprintf(r->strings_path, sizeof r->strings_path, "%s",
			 "xl/sharedStrings.xml");
	if (!r->styles_path[0])
		snprintf(r->styles_path, sizeof r->styles_path, "%s",
			 "xl/styles.xml");
	parse_part(r, r->strings_path, false, sst_start, sst_end);
	parse_part(r, r->styles_path, false, styles_start, styles_end);
	parse_part(r, r->sheet_path, true, sheet_start, sheet_end);
	err = r->err;
	if (!err) {
		if (r->ncells)
			qsort(r->cells, r->ncells, sizeof *r->cells, cmp_cell);
		err = build_sheet(r, out);
	}
done:
	reader_release(r);
	free(r);
	return err;
}

/* ---- writing ---- */

/* Written as a number only when Excel would show the same text back:
 * no leading zeros ("05", a code, stays text), at most 15 digits. */
static bool looks_like_number(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	int digits = 0;
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (!digits)
		return false;
	if (*p == '.') {
		p++;
		int frac = 0;
		for (; *p >= '0' && *p <= '9'; p++)
			frac++;
		if (!frac)
			return false;
		digits += frac;
	}
	return !*p && digits <= 15;
}

static double utf8_width(const char *s)
{
	double n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

enum err xlsx_write(struct arena *a, const char *const *sheet_names,
		    const struct sheet *sheets, int nsheets,
		    unsigned char **out, size_t *len, struct error *e)
{
	*out = NULL;
	*len = 0;
	const char *tmp = getenv("TMPDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/quantri-xlsx-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return error_set(e, ERR_IO, "xlsx: temporary file in %s: %s",
				 tmp && *tmp ? tmp : "/tmp", strerror(errno));
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE,
				    .tmpdir = NULL,
				    .use_zip64 = LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb) {
		unlink(path);
		return error_set(e, ERR_IO, "xlsx: cannot create a workbook");
	}
	enum err err = ERR_OK;
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *datef = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(datef, "dd/mm/yyyy");
	for (int k = 0; k < nsheets && !err; k++) {
		const struct sheet *s = &sheets[k];
		/* Excel's rule, checked here so the library prints nothing */
		const char *nm = sheet_names[k];
		lxw_worksheet *ws =
			*nm && utf8_width(nm) <= 31 && !strpbrk(nm, "[]:*?/\\")
				? workbook_add_worksheet(wb, nm)
				: NULL;
		if (!ws) {
			err = error_set(e, ERR_INVALID,
					"xlsx: bad sheet name \"%s\"",
					sheet_names[k]);
			break;
		}
		double width[XLSX_MAX_COLS] = {0};
		if (s->ncols > XLSX_MAX_COLS || s->nrows > XLSX_MAX_ROWS) {
			err = error_set(e, ERR_TOOBIG,
					"xlsx: sheet %s: %d x %d is too large",
					sheet_names[k], s->nrows, s->ncols);
			break;
		}
		for (int y = 0; y < s->nrows && !err; y++) {
			for (int x = 0; x < s->ncols; x++) {
				const char *v = sheet_cell(s, y, x);
				if (!v || !*v)
					continue;
				lxw_error rc;
				struct date d;
				double w = utf8_width(v);
				if (y == 0) {
					rc = worksheet_write_string(ws, 0, x, v,
								    bold);
					w += 2; /* the filter's button */
				} else if (looks_like_number(v)) {
					rc = worksheet_write_number(
						ws, y, x, strtod(v, NULL),
						NULL);
				} else if (date_parse_iso(v, &d)) {
					lxw_datetime dt = {d.y, d.m, d.d,
							   0,   0,   0};
					rc = worksheet_write_datetime(
						ws, y, x, &dt, datef);
				} else {
					rc = worksheet_write_string(ws, y, x, v,
								    NULL);
				}
				if (rc != LXW_NO_ERROR) {
					err = error_set(
						e, ERR_INVALID,
						"xlsx: sheet %s, row %d, "
						"column %d: %s",
						sheet_names[k], y + 1, x + 1,
						lxw_strerror(rc));
					break;
				}
				if (w > width[x])
					width[x] = w;
			}
		}
		for (int x = 0; x < s->ncols && !err; x++) {
			double w = width[x] < 6    ? 6
				   : width[x] > 60 ? 60
						   : width[x];
			worksheet_set_column(ws, (lxw_col_t)x, (lxw_col_t)x,
					     w + 1, NULL);
		}
		if (!err && s->nrows > 0 && s->ncols > 0) {
			worksheet_freeze_panes(ws, 1, 0);
			worksheet_autofilter(ws, 0, 0,
					     (lxw_row_t)(s->nrows - 1),
					     (lxw_col_t)(s->ncols - 1));
		}
	}
	lxw_error rc = workbook_close(wb);
	if (!err && rc != LXW_NO_ERROR)
		err = error_set(e, ERR_IO, "xlsx: writing %s: %s", path,
				lxw_strerror(rc));
	if (!err) {
		size_t n;
		char *bytes = file_read_all(a, path, 1u << 30, &n, e);
		if (!bytes) {
			err = e ? e->code : ERR_IO;
		} else {
			*out = (unsigned char *)bytes;
			*len = n;
		}
	}
	unlink(path);
	return err;
}
