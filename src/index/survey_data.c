#include "survey_data.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
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
	PARALLEL_MIN = 16 * 1024 * 1024, /* bytes: below, one thread */
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
	bool header_only;  /* stop after the header */
	bool fixed;        /* rows counted beforehand: never more than cap */
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
 * populating in bulk costs a fraction. Columns up to COLUMN_SMALL (a
 * commune's survey: a few hundred rows) stay in malloc instead: each
 * munmap makes the kernel stop the other cores to flush their TLBs and
 * takes the process's memory lock, which serialised the server's threads
 * (a province's dashboard estimates a hundred rounds). Returns NULL on
 * failure. */
enum { COLUMN_SMALL = 1 << 20 };
static double *column_map(double *old, size_t *mapped, size_t bytes,
			  bool populate)
{
	bytes = (bytes + 4095) & ~(size_t)4095;
	void *p;
	if (bytes <= COLUMN_SMALL && (!old || *mapped <= COLUMN_SMALL)) {
		size_t had = old ? *mapped : 0;
		p = realloc(old, bytes);
		if (!p)
			return NULL;
		if (bytes > had) /* zeroed, as an anonymous mapping is */
			memset((char *)p + had, 0, bytes - had);
		*mapped = bytes;
		return p;
	}
	if (old && *mapped <= COLUMN_SMALL) { /* outgrew malloc */
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		memcpy(p, old, *mapped);
		free(old);
		*mapped = bytes;
		return p;
	}
	if (!old) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	} else {
		p = mremap(old, *mapped, bytes, MREMAP_MAYMOVE);
		/* mremap does not populate the new tail: touch it (all of it
		 * when the rows are known, else as it is written) */
		if (p != MAP_FAILED && bytes > *mapped) {
			int how = MADV_WILLNEED;
#ifdef MADV_POPULATE_WRITE
			if (populate)
				how = MADV_POPULATE_WRITE;
#endif
			madvise((char *)p + *mapped, bytes - *mapped, how);
		}
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
	if (L->fixed)
		return error_set(L->e, ERR_INTERNAL,
				 "more rows than counted: parse again");
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
			double *p = column_map(c->num, &c->mapped,
					       nc * sizeof *p, false);
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

static enum err setup_storage(struct loader *L);

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
	for (int i = 0; i < n; i++)
		d->cols[i].name = names[i];
	return setup_storage(L);
}

/* The columns' kinds are set: label maps, positions of the numbers, the
 * staging block. */
static enum err setup_storage(struct loader *L)
{
	struct survey_data *d = L->d;
	int n = d->ncols;
	L->num_index = malloc((size_t)n * sizeof *L->num_index);
	if (!L->num_index)
		return error_set(L->e, ERR_NOMEM, "out of memory");
	for (int i = 0; i < n; i++) {
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
		if (L->header_only) {
			*used = (size_t)(p - buf);
			return ERR_OK;
		}
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

/* Reads [off, end) of fd chunk by chunk and parses it, the end of the
 * range taken as the end of the input. With L->header_only it stops after
 * the header and *next is where the rows begin. size_hint: the bytes the
 * rows to come take, to size the columns. given: NULL, or a CHUNK-byte
 * buffer of malloc to use (and free). */
static enum err read_range(struct loader *L, int fd, off_t off, off_t end,
			   const struct survey_load_opts *o, size_t size_hint,
			   off_t *next, char *given)
{
	size_t cap = CHUNK, have = 0;
	char *buf = given ? given : malloc(cap);
	if (!buf)
		return error_set(L->e, ERR_NOMEM, "out of memory");
	enum err err = ERR_OK;
	bool eof = false;
	off_t pos = off; /* file offset of buf + have */
	while (!err && !eof) {
		if (have == cap) {
			/* one record bigger than the buffer */
			if (cap >= RECORD_MAX + CHUNK) {
				err = error_set(
					L->e, ERR_TOOBIG,
					"line %zu: a record longer than "
					"%d bytes",
					L->line, RECORD_MAX);
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				err = error_set(L->e, ERR_NOMEM,
						"out of memory");
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t want = cap - have;
		if ((off_t)want > end - pos)
			want = (size_t)(end - pos);
		ssize_t r = want ? pread(fd, buf + have, want, pos) : 0;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = error_set(L->e, ERR_IO, "reading: %s",
					strerror(errno));
			break;
		}
		if (r == 0)
			eof = true;
		have += (size_t)r;
		pos += r;
		if (!eof && have < cap)
			continue; /* fill the buffer: fewer, larger passes */
		size_t used = 0;
		err = parse_chunk(L, buf, have, eof, o, &used, size_hint);
		if (err)
			break;
		if (L->header_only && L->d->cols) {
			*next = pos - (off_t)(have - used);
			break;
		}
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	if (!err && !L->d->cols)
		err = error_set(L->e, ERR_INVALID, "the file is empty");
	if (!err && !L->header_only) {
		flush_stage(L);
		*next = end;
	}
	free(buf);
	return err;
}

/* The records in [off, end) when line breaks alone tell them: no quote
 * in the range, and every carriage return followed by a line feed (LF or
 * CRLF lines); a blank line is no record. 0 and *count, or -1 (then only
 * parsing can tell). */
static int count_records(int fd, off_t off, off_t end, size_t *count)
{
	char *buf = malloc(CHUNK);
	size_t n = 0, cr = 0, crlf = 0;
	/* the two bytes before the chunk; the range starts after a line
	 * break */
	char p1 = '\n', p2 = '\n';
	if (!buf)
		return -1;
	while (off < end) {
		size_t want = (size_t)(end - off) < CHUNK ? (size_t)(end - off)
							  : CHUNK;
		ssize_t r = pread(fd, buf, want, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || memchr(buf, '"', (size_t)r)) {
			free(buf);
			return -1;
		}
		const char *e = buf + r;
		for (const char *p = buf, *q;
		     (q = memchr(p, '\r', (size_t)(e - p))); p = q + 1)
			cr++;
		for (const char *p = buf, *q;
		     (q = memchr(p, '\n', (size_t)(e - p))); p = q + 1) {
			char b1 = q > buf ? q[-1] : p1;
			char b2 = q > buf + 1 ? q[-2] : q > buf ? p1 : p2;
			crlf += b1 == '\r';
			/* blank: "\n" or "\r\n" right after a line break */
			n += !(b1 == '\n' || (b1 == '\r' && b2 == '\n'));
		}
		p2 = r > 1 ? e[-2] : p1;
		p1 = e[-1];
		off += r;
	}
	free(buf);
	if (cr != crlf) /* a carriage return alone breaks a line too */
		return -1;
	n += p1 != '\n'; /* a last line without a line break */
	*count = n;
	return 0;
}

/* Every column with room for exactly n rows, pre-faulted. On failure
 * L->cap stays true (a column grown or shrunk to n, the others as they
 * were). */
static enum err room_for(struct loader *L, size_t n)
{
	struct survey_data *d = L->d;
	L->cap = L->cap < n ? L->cap : n;
	for (int i = 0; i < d->ncols; i++) {
		struct survey_column *c = &d->cols[i];
		if (c->num) {
			double *p = column_map(c->num, &c->mapped,
					       n * sizeof *p, true);
			if (!p)
				return ERR_NOMEM;
			c->num = p;
		} else if (c->code) {
			uint32_t *p = realloc(c->code, n * sizeof *p);
			if (!p)
				return ERR_NOMEM;
			c->code = p;
		}
	}
	L->cap = n;
	return ERR_OK;
}

/* The second half's loader: the first's columns (names, kinds), its own
 * labels, rows written straight into the first's column arrays at row
 * `at`. */
static enum err half_init(struct loader *B, struct survey_data *dB,
			  struct error *eB, const struct loader *A,
			  const struct survey_load_opts *o, size_t at,
			  size_t rows)
{
	enum err err = loader_init(B, dB, o, eB);
	if (err)
		return err;
	int n = A->d->ncols;
	dB->cols = calloc((size_t)n, sizeof *dB->cols);
	B->kinds = calloc((size_t)n, sizeof *B->kinds);
	B->maps = calloc((size_t)n, sizeof *B->maps);
	if (!dB->cols || !B->kinds || !B->maps)
		return error_set(eB, ERR_NOMEM, "out of memory");
	dB->ncols = n;
	for (int i = 0; i < n; i++) {
		const struct survey_column *c = &A->d->cols[i];
		dB->cols[i].name = c->name;
		B->kinds[i] = c->kind;
		if (c->num)
			dB->cols[i].num = c->num + at;
		if (c->code)
			dB->cols[i].code = c->code + at;
	}
	B->cap = rows;
	B->fixed = true;
	B->line = 0; /* unknown: a refusal is parsed again in one pass */
	return setup_storage(B);
}

/* Forgets the rows of A (after a failed try in halves), keeping its
 * header, its columns and their room. */
static void rows_reset(struct loader *A, size_t line)
{
	struct survey_data *d = A->d;
	for (int i = 0; i < d->ncols; i++) {
		d->cols[i].nlabels = 0;
		if (A->maps[i].slots)
			memset(A->maps[i].slots, 0,
			       A->maps[i].cap * sizeof *A->maps[i].slots);
	}
	d->nrows = 0;
	A->stage_base = 0;
	A->line = line;
	A->fixed = false;
}

struct half {
	struct loader *L;
	int fd;
	off_t off, end;
	const struct survey_load_opts *o;
	size_t count;
	int counted; /* 0, or -1: cannot count */
	enum err err;
	bool parse;
	/* the read buffer, from this thread's heap: freed, it serves the
	 * estimation's arrays, pages already touched */
	char *buf;
};

static void *half_run(void *arg)
{
	struct half *h = arg;
	off_t next;
	if (!h->parse)
		h->counted = count_records(h->fd, h->off, h->end, &h->count);
	else
		h->err = read_range(h->L, h->fd, h->off, h->end, h->o,
				    (size_t)(h->end - h->off), &next, h->buf);
	return NULL;
}

/* Runs a on this thread and b on another (or after a, when no thread
 * can start). */
static void run_both(struct half *a, struct half *b)
{
	pthread_t th;
	bool started = pthread_create(&th, NULL, half_run, b) == 0;
	half_run(a);
	if (started)
		pthread_join(th, NULL);
	else
		half_run(b);
}

/* The rows [rows_at, fsize) as two halves split at the line break after
 * `split`, parsed at once into the same columns. ERR_OK, or an error
 * after which A's rows are to be read again in one pass. */
static enum err load_halves(struct loader *A, int fd, off_t rows_at,
			    off_t split, off_t fsize,
			    const struct survey_load_opts *o)
{
	/* 1. count each half's records (both at once) */
	struct half ha = {.fd = fd, .off = rows_at, .end = split};
	struct half hb = {.fd = fd, .off = split, .end = fsize};
	run_both(&ha, &hb);
	if (ha.counted || hb.counted) {
		/* to be read in one pass: the columns, sized for the first
		 * half, get room for the whole file (as much again) */
		size_t guess =
			(size_t)((double)A->cap * (double)(fsize - rows_at) /
				 (double)(split - rows_at));
		if (guess > A->cap && guess <= A->max_rows)
			room_for(A, guess);
		return ERR_INVALID;
	}
	size_t na = ha.count, nb = hb.count, n = na + nb;
	if (n > A->max_rows || !na || !nb)
		return ERR_INVALID;
	/* 2. room for exactly n rows */
	struct survey_data *d = A->d;
	if (room_for(A, n))
		return ERR_NOMEM;
	A->cap = na;
	A->fixed = true;
	/* 3. parse both halves at once */
	struct survey_data dB;
	struct loader B;
	struct error eB = {0};
	enum err err = half_init(&B, &dB, &eB, A, o, na, nb);
	if (!err) {
		ha = (struct half){.L = A,
				   .fd = fd,
				   .off = rows_at,
				   .end = split,
				   .o = o,
				   .parse = true};
		hb = (struct half){.L = &B,
				   .fd = fd,
				   .off = split,
				   .end = fsize,
				   .o = o,
				   .parse = true,
				   .buf = malloc(CHUNK)};
		run_both(&ha, &hb);
		err = ha.err ? ha.err : hb.err;
	}
	if (!err && (d->nrows != na || dB.nrows != nb))
		err = ERR_INTERNAL;
	/* 4. B's labels into A's codes, in order of appearance */
	for (int i = 0; i < d->ncols && !err; i++) {
		struct survey_column *c = &d->cols[i], *cb = &dB.cols[i];
		if (c->kind != SURVEY_LABEL)
			continue;
		uint32_t *map =
			malloc((cb->nlabels ? cb->nlabels : 1) * sizeof *map);
		if (!map) {
			err = ERR_NOMEM;
			break;
		}
		for (uint32_t k = 0; k < cb->nlabels && !err; k++)
			err = label_code(A, i, cb->labels[k],
					 strlen(cb->labels[k]), &map[k]);
		for (size_t r = 0; r < nb && !err; r++)
			c->code[na + r] = map[c->code[na + r]];
		free(map);
	}
	if (!err)
		d->nrows = n;
	A->cap = n;
	for (int i = 0; i < dB.ncols; i++) {
		/* A's arrays: not B's to free */
		dB.cols[i].num = NULL;
		dB.cols[i].code = NULL;
	}
	loader_release(&B);
	survey_data_release(&dB);
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
	off_t fsize = fstat(fd, &st) == 0 ? st.st_size : 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = o->threads > 0 ? o->threads : (int)cores;
	size_t pmin = o->parallel_min ? o->parallel_min : PARALLEL_MIN;
	/* the split: the line break after the middle */
	off_t split = 0;
	if (threads >= 2 && fsize > 0 && (size_t)fsize >= pmin) {
		char b[4096];
		for (off_t at = fsize / 2; !split && at < fsize;) {
			ssize_t r = pread(fd, b, sizeof b, at);
			if (r <= 0)
				break;
			const char *q = memchr(b, '\n', (size_t)r);
			if (q && at + (q - b) + 1 < fsize)
				split = at + (q - b) + 1;
			at += r;
			if (at - fsize / 2 > RECORD_MAX)
				break;
		}
	}
	struct loader L;
	enum err err = loader_init(&L, d, o, e);
	off_t rows_at = 0;
	if (!err) {
		/* the header, columns sized for the first half when split */
		L.header_only = true;
		err = read_range(&L, fd, 0, fsize, o,
				 (size_t)(split ? split : fsize), &rows_at,
				 NULL);
		L.header_only = false;
	}
	if (!err && split > rows_at) {
		size_t line = L.line;
		if (load_halves(&L, fd, rows_at, split, fsize, o) != ERR_OK) {
			/* a quote, a lone carriage return, a refusal: one
			 * pass, which says what and where */
			rows_reset(&L, line);
			err = read_range(&L, fd, rows_at, fsize, o,
					 (size_t)(fsize - rows_at), &rows_at,
					 NULL);
		}
	} else if (!err) {
		err = read_range(&L, fd, rows_at, fsize, o,
				 (size_t)(fsize - rows_at), &rows_at, NULL);
	}
	d->bytes = (size_t)fsize;
	close(fd);
	loader_release(&L);
	if (err)
		survey_data_release(d);
	return err;
}

void survey_data_release(struct survey_data *d)
{
	for (int i = 0; d->cols && i < d->ncols; i++) {
		if (d->cols[i].num && d->cols[i].mapped <= COLUMN_SMALL)
			free(d->cols[i].num);
		else if (d->cols[i].num)
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
