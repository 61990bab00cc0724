/* Strict RFC 4180 CSV, for imports that must be all or nothing. The first
 * row is the header. Records end with CRLF, LF or CR; blank lines are
 * skipped; a field that holds a comma, quote or line break is quoted, with
 * quotes doubled inside. A UTF-8 BOM is skipped. Invalid UTF-8, a stray
 * quote, or a row with the wrong number of fields is an error naming the
 * line. Fields are kept as written (no trimming), header names trimmed.
 * (Not libcsv: it exports a csv_parse of its own, which this name would
 * collide with at link time.) */
#ifndef QUANTRI_CSV_H
#define QUANTRI_CSV_H
#include <stddef.h>
#include <stdio.h>
#include "arena.h"
#include "error.h"

enum { CSV_MAX_BYTES = 64 * 1024 * 1024, CSV_MAX_CELLS = 4 * 1024 * 1024 };

struct csv_table {
	int nrows, ncols;
	char **header; /* ncols names */
	char **cells;  /* data rows only, row-major: nrows * ncols */
	int *lines;    /* line in the file where each data row starts */
};

/* All memory in a. */
enum err csv_parse(struct arena *a, const char *data, size_t len,
		   struct csv_table *out, struct error *e);
int csv_col(const struct csv_table *t, const char *name); /* -1 if absent */
const char *csv_get(const struct csv_table *t, int row, int col);

/* Export: one field, quoted when it holds a comma, quote, CR or LF. Write
 * ',' between fields and "\r\n" after each row yourself. */
enum err csv_write_field(FILE *f, const char *s);
/* The same field as an arena string (for building a response body). */
char *csv_quote(struct arena *a, const char *s);

#endif
