/* XLSX, because officials live in Excel: write a table (libxlsxwriter),
 * read the first sheet back as rows of text (libzip + expat), so an XLSX
 * import goes through the same checks as a CSV one. */
#ifndef XLSX_H
#define XLSX_H
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "error.h"

/* A sheet as text: rows x cols cells, row-major, "" for an empty cell.
 * Numbers come as Excel wrote them ("12", "0.5"); a cell with a date
 * number format becomes "YYYY-MM-DD" (the time of day dropped), one with a
 * percentage format shows as such ("50%"); booleans are "TRUE"/"FALSE",
 * errors their text ("#N/A"), formulas their cached value. Row r is
 * Excel's row r + 1 (empty rows above the data are kept); a merged range
 * shows its top-left value in every cell, as a person sees it. */
struct sheet {
	int nrows, ncols;
	const char **cells;
};
static inline const char *sheet_cell(const struct sheet *s, int r, int c)
{
	return c < s->ncols ? s->cells[(size_t)r * s->ncols + c] : "";
}

/* true when data starts like a zip (an XLSX file) rather than text. */
bool xlsx_looks_like(const void *data, size_t len);
/* Reads the first worksheet. Bounded: at most 1,000,000 rows, 1,000
 * columns, 200 MB uncompressed (a zip bomb is refused). */
enum err xlsx_read(struct arena *a, const void *data, size_t len,
		   struct sheet *out, struct error *e);

/* Writes sheets to a new XLSX in memory (in the arena). Row 0 of each
 * sheet is its header (bold, frozen, autofilter); a cell that looks like a
 * number is written as a number, "YYYY-MM-DD" as a date shown dd/mm/yyyy,
 * anything else as text. */
enum err xlsx_write(struct arena *a, const char *const *sheet_names,
		    const struct sheet *sheets, int nsheets,
		    unsigned char **out, size_t *len, struct error *e);

#endif
