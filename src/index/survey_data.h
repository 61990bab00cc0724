/* Survey answers as columns in memory, loaded from a CSV file, built for
 * scanning: a number column is one array of doubles (NaN = missing
 * answer), a label column (stratum, cluster, group) one array of dense
 * integer codes plus its distinct labels. Only the columns asked for are
 * kept, so 2,000,000 rows x 130 answers take about rows x cols x 8 bytes.
 *
 * The CSV: RFC 4180 with ',' as delimiter, a header row, quoted fields
 * allowed (also across lines), CRLF or LF, UTF-8 with an optional BOM,
 * blank lines skipped. An empty (or all-blank) number cell is a missing
 * answer; numbers are written like 3, -1.5, 2e3 (a '.' for decimals).
 * The file is read in chunks (never whole into memory); a large file is
 * split at the line break after its middle, each half's records counted
 * and both halves parsed at once into their places (a file with quotes or
 * a lone carriage return, where line breaks do not tell records, and any
 * refusal go through one pass: results and messages do not change).
 *
 * Every refusal names the line and the column: a number that is not one,
 * a missing or non-positive weight, an empty label, a row with the wrong
 * number of fields, a stray quote, a file delimited by ';' or tabs, bytes
 * that are not UTF-8 (and when they look like the legacy Vietnamese
 * encodings TCVN3 (ABC) or VNI, it says so). */
#ifndef SURVEY_DATA_H
#define SURVEY_DATA_H
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

enum survey_kind {
	SURVEY_SKIP = 0, /* not kept */
	SURVEY_NUMBER,   /* doubles, empty = NaN */
	SURVEY_WEIGHT,   /* doubles, required, finite and > 0 */
	SURVEY_LABEL,    /* required text -> codes */
};

struct survey_column {
	const char *name;
	enum survey_kind kind;
	double *num;    /* NUMBER, WEIGHT: nrows values */
	size_t mapped;  /* internal: bytes mapped for num */
	uint32_t *code; /* LABEL: nrows codes < nlabels */
	char **labels;  /* LABEL: distinct values, in order of appearance */
	uint32_t nlabels;
};

struct survey_data {
	size_t nrows;
	int ncols;                  /* columns of the file */
	struct survey_column *cols; /* ncols, in file order */
	struct arena arena;         /* names, labels */
	size_t bytes;               /* size of the input */
};

/* Called once with the header: set kinds[i] for the columns to keep
 * (all are SURVEY_SKIP on entry). Return an error to refuse the file
 * (a column that is required but absent). */
typedef enum err (*survey_select_fn)(void *ctx, int ncols,
				     const char *const *names,
				     enum survey_kind *kinds, struct error *e);

struct survey_load_opts {
	survey_select_fn select;
	void *ctx;
	size_t max_rows;   /* 0: 100,000,000 */
	size_t max_labels; /* distinct labels per column; 0: 10,000,000 */
	/* survey_data_load_file: a file of at least parallel_min bytes
	 * (0: 16 MB) is parsed as two halves at once when threads (0: the
	 * cores) is 2 or more. Same result as one pass, same messages. */
	int threads;
	size_t parallel_min;
};

enum err survey_data_load_file(struct survey_data *d, const char *path,
			       const struct survey_load_opts *o,
			       struct error *e);
enum err survey_data_load_mem(struct survey_data *d, const char *buf,
			      size_t len, const struct survey_load_opts *o,
			      struct error *e);
void survey_data_release(struct survey_data *d);
/* The column named name, or -1. */
int survey_data_col(const struct survey_data *d, const char *name);

/* The legacy encoding bytes that are not UTF-8 look like: "TCVN3 (ABC)",
 * "VNI", or NULL when no guess. A heuristic on the high bytes: VNI writes
 * each mark as a byte after an ASCII vowel, TCVN3 writes whole letters. */
const char *survey_guess_encoding(const unsigned char *p, size_t n);

#endif
