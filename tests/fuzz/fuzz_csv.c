/* libFuzzer: csv_parse on any bytes must return a result or an error, never
 * crash, read out of bounds or leak. Each accepted table is also checked
 * for shape and written back, which must parse to the same cells. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct csv_table t;
	struct error e;
	arena_init(&a, 64u << 20);
	if (csv_parse(&a, (const char *)data, size, &t, &e) == ERR_OK) {
		if (t.ncols < 1 || t.nrows < 0)
			abort();
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		/* A BOM, as an export for Excel writes: the parser drops exactly
		 * one, so a cell that starts with U+FEFF survives. */
		fputs("\xEF\xBB\xBF", f);
		for (int r = -1; r < t.nrows; r++) {
			for (int c = 0; c < t.ncols; c++) {
				const char *v =
					r < 0 ? t.header[c] : csv_get(&t, r, c);
				if (!v)
					abort();
				if (c)
					fputc(',', f);
				/* An all-empty one-column row would be a blank line. */
				if (t.ncols == 1 && !*v)
					fputs("\"\"", f);
				else
					csv_write_field(f, v);
			}
			fputs("\r\n", f);
		}
		fclose(f);
		struct csv_table back;
		if (csv_parse(&a, buf, len, &back, &e) != ERR_OK ||
		    back.nrows != t.nrows || back.ncols != t.ncols)
			abort();
		for (int r = 0; r < t.nrows; r++)
			for (int c = 0; c < t.ncols; c++)
				if (strcmp(csv_get(&t, r, c),
					   csv_get(&back, r, c)))
					abort();
		free(buf);
	}
	arena_release(&a);
	return 0;
}
