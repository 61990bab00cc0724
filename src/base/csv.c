#include "csv.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"
#include "banned.h"

struct parser {
	const char *s;
	size_t n, i;
	int line; /* line of s[i] */
	struct arena *a;
	char **cells; /* malloc'd while parsing, copied into the arena at the end */
	size_t ncells, cap;
	int *lines; /* where each row begins, header included */
	size_t nrows, rows_cap;
};

static int line_of(const char *data, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		line += data[i] == '\n' ||
			(data[i] == '\r' && data[i + 1] != '\n');
	return line;
}

static enum err push_cell(struct parser *p, char *v, struct error *e)
{
	if (!v)
		return error_set(e, ERR_NOMEM, "csv: out of memory");
	if (p->ncells == p->cap) {
		if (p->cap >= CSV_MAX_CELLS)
			return error_set(
				e, ERR_TOOBIG,
				"line %d: more than %d fields in the file",
				p->line, CSV_MAX_CELLS);
		size_t cap = p->cap ? p->cap * 2 : 256;
		char **c = realloc(p->cells, cap * sizeof *c);
		if (!c)
			return error_set(e, ERR_NOMEM, "csv: out of memory");
		p->cells = c;
		p->cap = cap;
	}
	p->cells[p->ncells++] = v;
	return ERR_OK;
}

static enum err push_row(struct parser *p, int line, struct error *e)
{
	if (p->nrows == p->rows_cap) {
		size_t cap = p->rows_cap ? p->rows_cap * 2 : 256;
		int *l = realloc(p->lines, cap * sizeof *l);
		if (!l)
			return error_set(e, ERR_NOMEM, "csv: out of memory");
		p->lines = l;
		p->rows_cap = cap;
	}
	p->lines[p->nrows++] = line;
	return ERR_OK;
}

/* Consumes a line break at p->i if there is one. */
static bool eat_newline(struct parser *p)
{
	if (p->i < p->n && p->s[p->i] == '\r') {
		p->i++;
		if (p->i < p->n && p->s[p->i] == '\n')
			p->i++;
	} else if (p->i < p->n && p->s[p->i] == '\n') {
		p->i++;
	} else {
		return false;
	}
	p->line++;
	return true;
}

static bool at_newline(const struct parser *p)
{
	return p->i < p->n && (p->s[p->i] == '\r' || p->s[p->i] == '\n');
}

static enum err quoted_field(struct parser *p, struct error *e)
{
	int start_line = p->line;
	size_t start = ++p->i, quotes = 0;
	/* First pass: find the closing quote and count doubled quotes. */
	for (;;) {
		if (p->i >= p->n)
			return error_set(e, ERR_INVALID,
					 "line %d: quoted field not closed",
					 start_line);
		char c = p->s[p->i];
		if (c == '"') {
			if (p->i + 1 < p->n && p->s[p->i + 1] == '"') {
				quotes++;
				p->i += 2;
				continue;
			}
			break;
		}
		if (c == '\n' ||
		    (c == '\r' && (p->i + 1 >= p->n || p->s[p->i + 1] != '\n')))
			p->line++;
		p->i++;
	}
	size_t end = p->i++; /* past the closing quote */
	if (p->i < p->n && p->s[p->i] != ',' && !at_newline(p))
		return error_set(e, ERR_INVALID,
				 "line %d: text after a closing quote (quotes "
				 "inside a field are doubled: \"\")",
				 p->line);
	char *v = arena_alloc(p->a, end - start - quotes + 1), *w = v;
	if (v)
		for (size_t k = start; k < end; k++) {
			*w++ = p->s[k];
			if (p->s[k] == '"')
				k++;
		}
	return push_cell(p, v, e);
}

static enum err plain_field(struct parser *p, struct error *e)
{
	size_t start = p->i;
	while (p->i < p->n && p->s[p->i] != ',' && !at_newline(p)) {
		if (p->s[p->i] == '"')
			return error_set(e, ERR_INVALID,
					 "line %d: quote inside a field that "
					 "does not start with one",
					 p->line);
		p->i++;
	}
	return push_cell(p, arena_strndup(p->a, p->s + start, p->i - start), e);
}

static enum err parse_rows(struct parser *p, struct error *e)
{
	int ncols = -1;
	while (p->i < p->n) {
		if (eat_newline(p))
			continue; /* blank line */
		int row_line = p->line;
		size_t first = p->ncells;
		enum err err;
		for (;;) {
			if (p->i < p->n && p->s[p->i] == '"')
				err = quoted_field(p, e);
			else
				err = plain_field(p, e);
			if (err)
				return err;
			if (p->i < p->n && p->s[p->i] == ',') {
				p->i++;
				continue;
			}
			eat_newline(p);
			break;
		}
		int fields = (int)(p->ncells - first);
		if (ncols < 0)
			ncols = fields;
		else if (fields != ncols)
			return error_set(e, ERR_INVALID,
					 "line %d: %d field%s, expected %d",
					 row_line, fields,
					 fields == 1 ? "" : "s", ncols);
		if ((err = push_row(p, row_line, e)))
			return err;
	}
	if (ncols < 0)
		return error_set(e, ERR_INVALID,
				 "csv: empty file, no header row");
	return ERR_OK;
}

static void trim_in_place(char *s)
{
	size_t n = strlen(s), i = 0;
	while (n > 0 && strchr(" \t", s[n - 1]))
		s[--n] = '\0';
	while (s[i] && strchr(" \t", s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

static enum err finish(struct parser *p, struct csv_table *out, struct error *e)
{
	size_t ncols = p->ncells / p->nrows;
	out->ncols = (int)ncols;
	out->nrows = (int)(p->nrows - 1);
	out->header = arena_alloc(p->a, ncols * sizeof(char *));
	out->cells =
		arena_alloc(p->a, (p->ncells - ncols) * sizeof(char *) + 1);
	out->lines = arena_alloc(p->a, (p->nrows - 1) * sizeof(int) + 1);
	if (!out->header || !out->cells || !out->lines)
		return error_set(e, ERR_NOMEM, "csv: out of memory");
	memcpy(out->header, p->cells, ncols * sizeof(char *));
	memcpy(out->cells, p->cells + ncols,
	       (p->ncells - ncols) * sizeof(char *));
	memcpy(out->lines, p->lines + 1, (p->nrows - 1) * sizeof(int));
	for (size_t i = 0; i < ncols; i++) {
		trim_in_place(out->header[i]);
		if (!out->header[i][0])
			return error_set(e, ERR_INVALID,
					 "line %d: column %zu has no name",
					 p->lines[0], i + 1);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(out->header[i], out->header[j]))
				return error_set(
					e, ERR_INVALID,
					"line %d: column \"%s\" appears twice",
					p->lines[0], out->header[i]);
	}
	return ERR_OK;
}

enum err csv_parse(struct arena *a, const char *data, size_t len,
		   struct csv_table *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	if (len > CSV_MAX_BYTES)
		return error_set(e, ERR_TOOBIG,
				 "csv: %zu bytes, the limit is %d MiB", len,
				 CSV_MAX_BYTES >> 20);
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		data += 3;
		len -= 3;
	}
	size_t bad = text_utf8_prefix(data, len);
	if (bad < len)
		return error_set(e, ERR_INVALID,
				 "line %d: invalid UTF-8 (byte %zu)",
				 line_of(data, bad), bad + 1);
	struct parser p = {.s = data, .n = len, .line = 1, .a = a};
	enum err err = parse_rows(&p, e);
	if (!err)
		err = finish(&p, out, e);
	free(p.cells);
	free(p.lines);
	if (err)
		memset(out, 0, sizeof *out);
	return err;
}

int csv_col(const struct csv_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->header[i], name))
			return i;
	return -1;
}

const char *csv_get(const struct csv_table *t, int row, int col)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return NULL;
	return t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

static bool needs_quotes(const char *s)
{
	return s[strcspn(s, ",\"\r\n")] != '\0';
}

enum err csv_write_field(FILE *f, const char *s)
{
	if (!s)
		s = "";
	if (!needs_quotes(s))
		return fputs(s, f) < 0 ? ERR_IO : ERR_OK;
	if (putc('"', f) == EOF)
		return ERR_IO;
	for (; *s; s++)
		if ((*s == '"' && putc('"', f) == EOF) || putc(*s, f) == EOF)
			return ERR_IO;
	return putc('"', f) == EOF ? ERR_IO : ERR_OK;
}

char *csv_quote(struct arena *a, const char *s)
{
	if (!s)
		s = "";
	if (!needs_quotes(s))
		return arena_strdup(a, s);
	size_t n = 2;
	for (const char *q = s; *q; q++)
		n += *q == '"' ? 2 : 1;
	char *out = arena_alloc(a, n + 1), *w = out;
	if (!out)
		return NULL;
	*w++ = '"';
	for (; *s; s++) {
		if (*s == '"')
			*w++ = '"';
		*w++ = *s;
	}
	*w++ = '"';
	*w = '\0';
	return out;
}
