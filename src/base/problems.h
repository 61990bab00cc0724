/* What is wrong with an imported file (CSV, XLSX): every bad row and
 * column with the reason, and the checks every imported text file gets. */
#ifndef PROBLEMS_H
#define PROBLEMS_H
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"

/* What is wrong with an imported file: every bad row and column with the
 * reason, in English (CLI, logs) and Vietnamese (pages). line 0 = the
 * file as a whole. At most PROBLEMS_MAX are kept; n counts them all. */
enum { PROBLEMS_MAX = 1000 };
struct problem {
	int line;
	const char *column; /* "" when not about one column */
	const char *msg_en, *msg_vi;
};
struct problems {
	struct problem *list; /* in the arena */
	int n, kept;
};
void problems_add(struct arena *a, struct problems *p, int line,
		  const char *column, const char *msg_vi, const char *fmt_en,
		  ...) __attribute__((format(printf, 6, 7)));

/* The checks every imported CSV gets before it is parsed: UTF-8 (old
 * Vietnamese encodings such as TCVN3, VNI or Windows-1258 are named), and
 * the delimiter (';' or tab instead of ','). Adds a line-0 problem and
 * returns false when the file cannot be read as CSV at all. */
bool import_check_text(struct arena *a, const char *data, size_t len,
		       struct problems *p);

#endif
