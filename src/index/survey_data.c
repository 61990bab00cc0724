#include "survey_data.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/banned.h"

enum {
	CHUNK = 8 * 1024 * 1024,      /* bytes read at a time */
	FIELD_MAX = 64 * 1024,        /* a quoted field, a label */
	RECORD_MAX = 4 * 1024 * 1024, /* one record (quoted line breaks) */
	DEFAULT_MAX_ROWS = 100000000,
	DEFAULT_MAX_LABELS = 10000000,
	MAX_COLS = 100000,
	/* Rows parsed into a row-major block before they are written to the
	 * columns: one scattered store per number into 130 columns (130
	 * pages, TLB entries, cache lines per row) costs more than parsing;
	 * the block goes out column by column, 8 columns at a time. */
	STAGE_ROWS = 2048,
};

/* Distinct labels of one column: open addressing over codes + 1. */
struct labelmap {
	uint32_t *slots;
	size_t cap;
	size_t labels_cap;
};

struct loader {
	struct survey_data *d;
	enum survey_kind *kinds;
	struct labelmap *maps;
	size_t cap;  /* rows allocated */
	size_t line; /* line number where the current record starts */
	size_t max_rows, max_labels;
	char *field; /* FIELD_MAX + 1: an unquoted copy */
	struct error *e;
	const unsigned char *chunk; /* for the encoding guess */
	size_t chunk_len;
	int nnum;          /* number and weight columns */
	int *num_index;    /* ncols: position among them, or -1 */
	double *stage;     /* STAGE_ROWS x nnum */
	size_t stage_base; /* row of stage[0] */
};

static const double pow10tab[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* A decimal number in [s, e): 0 and *out; -1 when it is not one. Blank
 * and "NA" (what R writes) are missing: NaN. Exact (correctly rounded)
 * like strtod: the fast path only when mantissa and power of ten are both
 * exact doubles, strtod otherwise. */
static int parse_number(const char *s, const char *e, double *out)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (s == e || (e - s == 2 && s[0] == 'N' && s[1] == 'A')) {
		*out = NAN;
		return 0;
	}
	const char *p = s;
	bool neg = false;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	uint64_t m = 0;
	int nd = 0, fd = 0;
	while (p < e && (unsigned)(*p - '0') < 10) {
		m = m * 10 + (uint64_t)(*p++ - '0');
		nd++;
	}
	if (p < e && *p == '.') {
		p++;
		while (p < e && (unsigned)(*p - '0') < 10) {
			m = m * 10 + (uint64_t)(*p++ - '0');
			nd++;
			fd++;
		}
	}
	if (nd == 0)
		return -1;
	int ex = 0;
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		bool eneg = false;
		if (p < e && (*p == '-' || *p == '+'))
			eneg = *p++ == '-';
		if (p == e || (unsigned)(*p - '0') >= 10)
			return -1;
		while (p < e && (unsigned)(*p - '0') < 10) {
			if (ex < 100000)
				ex = ex * 10 + (*p - '0');
			p++;
		}
		if (eneg)
			ex = -ex;
	}
	if (p != e)
		return -1;
	int e10 = ex - fd;
	if (nd <= 19 && m <= (1ULL << 53) && e10 >= -22 && e10 <= 22) {
		double v = (double)m;
		v = e10 < 0 ? v / pow10tab[-e10] : v * pow10tab[e10];
		*out = neg ? -v : v;
		return 0;
	}
	char buf[128];
	if (e - s >= (ptrdiff_t)sizeof buf)
		return -1;
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = 0;
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Length of the valid UTF-8 sequence at p (first byte >= 0x80): 2..4;
 * 0 when invalid; -1 when cut by the end of the buffer. */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	int len;
	unsigned min;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, min = 0x10000;
	else
		return 0;
	unsigned cp = c & (0x7F >> len);
	for (int i = 1; i < len; i++) {
		if (p + i >= end)
			return -1;
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

const char *survey_guess_encoding(const unsigned char *p, size_t n)
{
	/* VNI: a letter's marks are bytes 0xC0-0xFF written after its ASCII
	 * vowel ("Tieán"); đ/Đ are 0xF1/0xD1 on their own. TCVN3: each
	 * accented letter is one byte, often after a consonant ("H\xb5",
	 * "\xae\xb8"), and many sit in 0xA1-0xBF where VNI has few. */
	size_t high = 0, considered = 0, after_vowel = 0, low_range = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];
		if (c < 0x80)
			continue;
		int k = utf8_len(p + i, p + n);
		if (k > 0) {
			i += (size_t)k - 1;
			continue;
		}
		high++;
		if (c >= 0xA1 && c <= 0xBF)
			low_range++;
		/* VNI's own letters đ ư ơ (and capitals) stand alone */
		if (c == 0xF1 || c == 0xD1 || c == 0xF6 || c == 0xD6 ||
		    c == 0xF4 || c == 0xD4)
			continue;
		considered++;
		unsigned prev = i ? p[i - 1] : ' ';
		if ((prev && strchr("aeiouyAEIOUY", (int)prev)) ||
		    prev == 0xF6 || prev == 0xD6 || prev == 0xF4 ||
		    prev == 0xD4)
			after_vowel++;
	}
	if (high < 3 || !considered)
		return NULL; /* too little to tell */
	if (after_vowel * 10 >= considered * 8 && low_range * 10 < high * 3)
		return "VNI";
	return "TCVN3 (ABC)";
}

static enum err not_utf8(struct loader *L, size_t line)
{
	const char *enc = survey_guess_encoding(L->chunk, L->chunk_len);
	if (enc)
		return error_set(L->e, ERR_INVALID,
				 "line %zu: not UTF-8; looks like %s encoding; "
				 "convert to UTF-8",
				 line, enc);
	return error_set(L->e, ERR_INVALID, "line %zu: not UTF-8", line);
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static enum err label_code(struct loader *L, int col, const char *s, size_t n,
			   uint32_t *code)
{
	struct survey_column *c = &L->d->cols[col];
	struct labelmap *m = &L->maps[col];
	uint64_t h = hash_bytes(s, n);
	size_t j = h & (m->cap - 1);
	while (m->slots[j]) {
		const char *l = c->labels[m->slots[j] - 1];
		if (!strncmp(l, s, n) && l[n] == 0) {
			*code = m->slots[j] - 1;
			return ERR_OK;
		}
		j = (j + 1) & (m->cap - 1);
	}
	if (c->nlabels >= L->max_labels)
		return error_set(L->e, ERR_TOOBIG,
				 "line %zu, column %s: more than %zu distinct "
				 "values",
				 L->line, c->name, L->max_labels);
	if (c->nlabels + 1 > m->labels_cap) {
		size_t nc = m->labels_cap ? m->labels_cap * 2 : 64;
		char **nl = realloc(c->labels, nc * sizeof *nl);
		if (!nl)
			return error_set(L->e, ERR_NOMEM, "out of memory");
		c->labels = nl;
		m->labels_cap = nc;
	}
	char *copy = arena_strndup(&L->d->arena, s, n);
	if (!copy)
		return error_set(L->e, ERR_NOMEM, "out of memory for labels");
	c->labels[c->nlabels] = copy;
	m->slots[j] = ++c->nlabels;
	*code = c->nlabels - 1;
	if (c->nlabels * 2 > m->cap) {
		size_t nc = m->cap * 2;
		uint32_t *ns = calloc(nc, sizeof *ns);
		if (!ns)
			return error_set(L->e, ERR_NOMEM, "out of memory");
		for (uint32_t k = 0; k < c->nlabels; k++) {
			const char *l = c->labels[k];
			size_t q = hash_bytes(l, strlen(l)) & (nc - 1);
			while (ns[q])
				q = (q + 1) & (nc - 1);
			ns[q] = k + 1;
		}
		free(m->slots);
		m->slots = ns;
		m->cap = nc;
	}
	return ERR_OK;
}

/* Number columns live in their own anonymous mappings, grown with
 * mremap (no copy) and pre-faulted with MAP_POPULATE: one page fault per
 * 4 KiB of 2 GB is half a million faults, seconds in a virtual machine;
 * populating in bulk costs a fraction. Returns NULL on failure. */
static double *column_map(double *old, size_t *mapped, size_t bytes)
{
	bytes = (bytes + 4095) & ~(size_t)4095;
	void *p;
	if (!old) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	} else {
		p = mremap(old, *mapped, bytes, MREMAP_MAYMOVE);
		/* mremap does not populate the new tail: touch it */
		if (p != MAP_FAILED && bytes > *mapped)
			madvise((char *)p + *mapped, bytes - *mapped,
				MADV_WILLNEED);
	}
	if (p == MAP_FAILED)
		return NULL;
	*mapped = bytes;
	return p;
}

/* Staged rows [stage_base, nrows) out to the columns. */
static void flush_stage(struct loader *L)
{
	size_t k = L->d->nrows - L->stage_base;
	int nn = L->nnum, j0 = 0;
	double *dst[8];
	for (int i = 0; i < L->d->ncols && j0 < nn;) {
		int m = 0;
		while (i < L->d->ncols && m < 8) {
			if (L->num_index[i] >= 0)
				dst[m++] = L->d->cols[i].num + L->stage_base;
			i++;
		}
		for (size_t r = 0; r < k; r++) {
			const double *src = L->stage + r * nn + j0;
			for (int j = 0; j < m; j++)
				dst[j][r] = src[j];
		}
		j0 += m;
	}
	L->stage_base = L->d->nrows;
}

static enum err grow_rows(struct loader *L, size_t want)
{
	if (want <= L->cap)
		return ERR_OK;
	if (want > L->max_rows)
		return error_set(L->e, ERR_TOOBIG,
				 "line %zu: more than %zu rows", L->line,
				 L->max_rows);
	size_t nc = L->cap + L->cap / 2;
	if (nc < want)
		nc = want;
	if (nc < 1024)
		nc = 1024;
	if (nc > L->max_rows)
		nc = L->max_rows;
	for (int i = 0; i < L->d->ncols; i++) {
		struct survey_column *c = &L->d->cols[i];
		if (c->kind == SURVEY_NUMBER || c->kind == SURVEY_WEIGHT) {
			double *p =
				column_map(c->num, &c->mapped, nc * sizeof *p);
			if (!p)
				goto nomem;
			c->num = p;
		} else if (c->kind == SURVEY_LABEL) {
			uint32_t *p = realloc(c->code, nc * sizeof *p);
			if (!p)
				goto nomem;
			c->code = p;
		}
	}
	L->cap = nc;
	return ERR_OK;
nomem:
	return error_set(L->e, ERR_NOMEM, "out of memory at %zu rows", want);
}

/* One field's text (unquoted) into its column at row r. */
static enum err store_field(struct loader *L, int col, size_t r, const char *s,
			    size_t n)
{
	struct survey_column *c = &L->d->cols[col];
	double v;
	switch (c->kind) {
	case SURVEY_SKIP: return ERR_OK;
	case SURVEY_NUMBER:
	case SURVEY_WEIGHT:
		if (parse_number(s, s + n, &v)) {
			int shown = n > 40 ? 40 : (int)n;
			return error_set(L->e, ERR_INVALID,
					 "line %zu, column %s: \"%.*s\" is not "
					 "a number",
					 L->line, c->name, shown, s);
		}
		if (c->kind == SURVEY_WEIGHT && !(v > 0)) {
			if (isnan(v))
				return error_set(L->e, ERR_INVALID,
						 "line %zu, column %s: weight "
						 "is missing",
						 L->line, c->name);
			return error_set(L->e, ERR_INVALID,
					 "line %zu, column %s: weight %.*s is "
					 "not positive",
					 L->line, c->name, (int)n, s);
		}
		L->stage[(r - L->stage_base) * L->nnum + L->num_index[col]] = v;
		return ERR_OK;
	case SURVEY_LABEL:
		while (n && (s[0] == ' ' || s[0] == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n)
			return error_set(L->e, ERR_INVALID,
					 "line %zu, column %s: empty", L->line,
					 c->name);
		return label_code(L, col, s, n, &c->code[r]);
	}
	return ERR_OK;
}

enum rec { REC_DONE, REC_MORE, REC_ERR, REC_BLANK };

/* Parses the record at *pp. Header mode (row == SIZE_MAX) collects names
 * into names. On REC_DONE *pp is past the record. */
static enum rec parse_record(struct loader *L, const char **pp, const char *end,
			     bool eof, size_t row, char ***names, int *nnames)
{
	const char *p = *pp;
	size_t lines = 0;
	int f = 0;
	int ncols = L->d->ncols;
	if (p < end && (*p == '\n' || *p == '\r')) {
		/* blank line */
		if (*p == '\r' && p + 1 == end && !eof)
			return REC_MORE;
		p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
		*pp = p;
		return REC_BLANK;
	}
	for (;;) {
		const char *s;
		size_t n;
		if (p < end && *p == '"') {
			size_t w = 0;
			p++;
			for (;;) {
				if (p >= end) {
					if (!eof)
						return REC_MORE;
					error_set(L->e, ERR_INVALID,
						  "line %zu: quoted field not "
						  "closed",
						  L->line);
					return REC_ERR;
				}
				unsigned char c = (unsigned char)*p;
				if (c == '"') {
					if (p + 1 >= end && !eof)
						return REC_MORE;
					if (p + 1 < end && p[1] == '"') {
						c = '"';
						p += 2;
					} else {
						p++;
						break;
					}
				} else if (c >= 0x80) {
					int k = utf8_len(
						(const unsigned char *)p,
						(const unsigned char *)end);
					if (k < 0 && !eof)
						return REC_MORE;
					if (k <= 0) {
						not_utf8(L, L->line + lines);
						return REC_ERR;
					}
					if (w + (size_t)k > FIELD_MAX)
						goto toolong;
					memcpy(L->field + w, p, (size_t)k);
					w += (size_t)k;
					p += k;
					continue;
				} else {
					if (c == '\n')
						lines++;
					p++;
				}
				if (w >= FIELD_MAX)
					goto toolong;
				L->field[w++] = (char)c;
			}
			if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				error_set(
					L->e, ERR_INVALID,
					"line %zu: text after a closing quote",
					L->line + lines);
				return REC_ERR;
			}
			L->field[w] = 0;
			s = L->field;
			n = w;
		} else {
			s = p;
			while (p < end) {
				unsigned char c = (unsigned char)*p;
				if (c == ',' || c == '\n' || c == '\r')
					break;
				if (c == '"') {
					error_set(L->e, ERR_INVALID,
						  "line %zu: a quote inside an "
						  "unquoted field",
						  L->line + lines);
					return REC_ERR;
				}
				if (c >= 0x80) {
					int k = utf8_len(
						(const unsigned char *)p,
						(const unsigned char *)end);
					if (k < 0 && !eof)
						return REC_MORE;
					if (k <= 0) {
						not_utf8(L, L->line + lines);
						return REC_ERR;
					}
					p += k;
					continue;
				}
				p++;
			}
			if (p == end && !eof)
				return REC_MORE;
			n = (size_t)(p - s);
		}
		if (names) {
			if (f >= MAX_COLS) {
				error_set(L->e, ERR_TOOBIG,
					  "line 1: more than %d columns",
					  MAX_COLS);
				return REC_ERR;
			}
			if (f == 0 || (f >= 16 && (f & (f - 1)) == 0)) {
				size_t nc = f ? (size_t)f * 2 : 16;
				char **nn = realloc(*names, nc * sizeof *nn);
				if (!nn) {
					error_set(L->e, ERR_NOMEM,
						  "out of memory");
					return REC_ERR;
				}
				*names = nn;
			}
			while (n && (s[0] == ' ' || s[0] == '\t'))
				s++, n--;
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			(*names)[f] = arena_strndup(&L->d->arena, s, n);
			if (!(*names)[f]) {
				error_set(L->e, ERR_NOMEM, "out of memory");
				return REC_ERR;
			}
		} else if (f < ncols) {
			if (store_field(L, f, row, s, n))
				return REC_ERR;
		}
		f++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		/* end of record: line break or end of input */
		if (p < end) {
			if (*p == '\r') {
				if (p + 1 == end && !eof)
					return REC_MORE;
				p += (p + 1 < end && p[1] == '\n') ? 2 : 1;
			} else {
				p++;
			}
		}
		break;
toolong:
		error_set(L->e, ERR_TOOBIG,
			  "line %zu: a field longer than %d bytes", L->line,
			  FIELD_MAX);
		return REC_ERR;
	}
	if (names) {
		*nnames = f;
	} else if (f != ncols) {
		error_set(L->e, ERR_INVALID,
			  "line %zu: %d fields, the header has %d", L->line, f,
			  ncols);
		return REC_ERR;
	}
	*pp = p;
	L->line += lines;
	return REC_DONE;
}

static enum err setup_columns(struct loader *L, char **names, int n,
			      const struct survey_load_opts *o)
{
	struct survey_data *d = L->d;
	if (n == 1) {
		const char *h = names[0];
		const char *delims[] = {";", "\t", "|"};
		const char *shown[] = {"';'", "tabs", "'|'"};
		for (int i = 0; i < 3; i++)
			if (strstr(h, delims[i]))
				return error_set(L->e, ERR_INVALID,
						 "line 1: the header is "
						 "delimited by %s, not ','; "
						 "save the file as "
						 "comma-separated CSV",
						 shown[i]);
	}
	for (int i = 0; i < n; i++) {
		if (!names[i][0])
			return error_set(L->e, ERR_INVALID,
					 "line 1: column %d has no name",
					 i + 1);
		for (int j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				return error_set(L->e, ERR_INVALID,
						 "line 1: column %s appears "
						 "twice",
						 names[i]);
	}
	d->ncols = n;
	d->cols = calloc((size_t)n, sizeof *d->cols);
	L->kinds = calloc((size_t)n, sizeof *L->kinds);
	L->maps = calloc((size_t)n, sizeof *L->maps);
	if (!d->cols || !L->kinds || !L->maps)
		return error_set(L->e, ERR_NOMEM, "out of memory");
	enum err err = o->select(o->ctx, n, (const char *const *)names,
				 L->kinds, L->e);
	if (err)
		return err;
	L->num_index = malloc((size_t)n * sizeof *L->num_index);
	if (!L->num_index)
		return error_set(L->e, ERR_NOMEM, "out of memory");
	for (int i = 0; i < n; i++) {
		d->cols[i].name = names[i];
		d->cols[i].kind = L->kinds[i];
		L->num_index[i] = -1;
		if (L->kinds[i] == SURVEY_NUMBER ||
		    L->kinds[i] == SURVEY_WEIGHT)
			L->num_index[i] = L->nnum++;
		if (L->kinds[i] == SURVEY_LABEL) {
			L->maps[i].cap = 64;
			L->maps[i].slots = calloc(64, sizeof(uint32_t));
			if (!L->maps[i].slots)
				return error_set(L->e, ERR_NOMEM,
						 "out of memory");
		}
	}
	L->stage = malloc((size_t)STAGE_ROWS * (L->nnum ? L->nnum : 1) *
			  sizeof *L->stage);
	if (!L->stage)
		return error_set(L->e, ERR_NOMEM, "out of memory");
	return ERR_OK;
}

/* Parses what it can of [buf, buf+len): the header first, then rows.
 * *used: bytes consumed (complete records). */
static enum err parse_chunk(struct loader *L, const char *buf, size_t len,
			    bool eof, const struct survey_load_opts *o,
			    size_t *used, size_t file_size)
{
	const char *p = buf, *end = buf + len;
	L->chunk = (const unsigned char *)buf;
	L->chunk_len = len;
	if (!L->d->cols) {
		if (L->line == 1 && len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
			p += 3;
		char **names = NULL;
		int n = 0;
		enum rec r;
		do {
			r = parse_record(L, &p, end, eof, SIZE_MAX, &names, &n);
			if (r == REC_BLANK)
				L->line++;
		} while (r == REC_BLANK);
		if (r == REC_MORE && !eof) {
			free(names);
			*used = 0;
			return ERR_OK;
		}
		if (r == REC_ERR || r == REC_MORE) {
			free(names);
			return r == REC_ERR ? L->e->code
					    : error_set(L->e, ERR_INVALID,
							"the file is empty");
		}
		if (n == 0 || (n == 1 && !names[0][0])) {
			free(names);
			return error_set(L->e, ERR_INVALID,
					 "the file is empty");
		}
		enum err err = setup_columns(L, names, n, o);
		free(names);
		if (err)
			return err;
		L->line++;
		/* Rows to expect: the file's size over the average length of
		 * the lines that follow the header in this chunk (2% over);
		 * more rows than that grow the columns. */
		size_t span = (size_t)(end - p) < (1u << 20) ? (size_t)(end - p)
							     : (1u << 20);
		size_t lines = 0;
		for (const char *q = p; q < p + span; q++)
			lines += *q == '\n';
		size_t guess = lines ? file_size / (span / lines + 1) : 1024;
		guess += guess / 50;
		if (guess > L->max_rows)
			guess = L->max_rows;
		err = grow_rows(L, guess < 1024 ? 1024 : guess);
		if (err)
			return err;
	}
	for (;;) {
		if (p >= end)
			break;
		size_t row = L->d->nrows;
		if (row - L->stage_base == STAGE_ROWS)
			flush_stage(L);
		if (row >= L->cap) {
			enum err err = grow_rows(L, row + 1);
			if (err)
				return err;
		}
		const char *q = p;
		enum rec r = parse_record(L, &q, end, eof, row, NULL, NULL);
		if (r == REC_MORE)
			break;
		if (r == REC_ERR)
			return L->e->code;
		L->line++;
		p = q;
		if (r == REC_DONE)
			L->d->nrows++;
	}
	*used = (size_t)(p - buf);
	return ERR_OK;
}

static void loader_release(struct loader *L)
{
	free(L->num_index);
	free(L->stage);
	if (L->maps)
		for (int i = 0; i < L->d->ncols; i++)
			free(L->maps[i].slots);
	free(L->maps);
	free(L->kinds);
	free(L->field);
}

static enum err loader_init(struct loader *L, struct survey_data *d,
			    const struct survey_load_opts *o, struct error *e)
{
	memset(d, 0, sizeof *d);
	memset(L, 0, sizeof *L);
	arena_init(&d->arena, 1UL << 31);
	L->d = d;
	L->e = e;
	L->line = 1;
	L->max_rows = o->max_rows ? o->max_rows : DEFAULT_MAX_ROWS;
	L->max_labels = o->max_labels ? o->max_labels : DEFAULT_MAX_LABELS;
	L->field = malloc(FIELD_MAX + 1);
	if (!L->field)
		return error_set(e, ERR_NOMEM, "out of memory");
	return ERR_OK;
}

enum err survey_data_load_mem(struct survey_data *d, const char *buf,
			      size_t len, const struct survey_load_opts *o,
			      struct error *e)
{
	struct loader L;
	enum err err = loader_init(&L, d, o, e);
	size_t used = 0;
	if (!err)
		err = parse_chunk(&L, buf, len, true, o, &used, len);
	if (!err && !d->cols)
		err = error_set(e, ERR_INVALID, "the file is empty");
	if (!err)
		flush_stage(&L);
	d->bytes = len;
	loader_release(&L);
	if (err)
		survey_data_release(d);
	return err;
}

enum err survey_data_load_file(struct survey_data *d, const char *path,
			       const struct survey_load_opts *o,
			       struct error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(e, ERR_IO, "cannot open: %s", strerror(errno));
	struct stat st;
	size_t fsize = fstat(fd, &st) == 0 ? (size_t)st.st_size : 0;
	struct loader L;
	enum err err = loader_init(&L, d, o, e);
	size_t cap = CHUNK, have = 0;
	char *buf = err ? NULL : malloc(cap);
	if (!err && !buf)
		err = error_set(e, ERR_NOMEM, "out of memory");
	bool eof = false;
	while (!err && !eof) {
		if (have == cap) {
			/* one record bigger than the buffer */
			if (cap >= RECORD_MAX + CHUNK) {
				err = error_set(
					e, ERR_TOOBIG,
					"line %zu: a record longer than "
					"%d bytes",
					L.line, RECORD_MAX);
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				err = error_set(e, ERR_NOMEM, "out of memory");
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + have, cap - have);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = error_set(e, ERR_IO, "reading: %s",
					strerror(errno));
			break;
		}
		if (r == 0)
			eof = true;
		have += (size_t)r;
		if (!eof && have < cap)
			continue; /* fill the buffer: fewer, larger passes */
		size_t used = 0;
		err = parse_chunk(&L, buf, have, eof, o, &used, fsize);
		if (err)
			break;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	if (!err && !d->cols)
		err = error_set(e, ERR_INVALID, "the file is empty");
	if (!err)
		flush_stage(&L);
	d->bytes = fsize;
	free(buf);
	close(fd);
	loader_release(&L);
	if (err)
		survey_data_release(d);
	return err;
}

void survey_data_release(struct survey_data *d)
{
	for (int i = 0; d->cols && i < d->ncols; i++) {
		if (d->cols[i].num)
			munmap(d->cols[i].num, d->cols[i].mapped);
		free(d->cols[i].code);
		free(d->cols[i].labels);
	}
	free(d->cols);
	arena_release(&d->arena);
	memset(d, 0, sizeof *d);
}

int survey_data_col(const struct survey_data *d, const char *name)
{
	for (int i = 0; i < d->ncols; i++)
		if (!strcmp(d->cols[i].name, name))
			return i;
	return -1;
}
