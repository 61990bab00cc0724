/* Draws one report document N times with report_pdf (and once each as
 * XLSX and DOCX), in one process as the server does, and prints the time
 * per document. Built by bench/report_pdf.sh against a Release build.
 *   report_pdf DOC.json N OUT.pdf  ->  "pdf n=... first_s=... median_s=...
 *   p95_s=... bytes=... pages=?" lines, one per format */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "report/report.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef enum err (*renderer)(struct arena *, const json_t *, char **, size_t *,
			     struct error *);

static int bench(const char *what, renderer r, const json_t *doc, int n,
		 const char *out)
{
	double *t = calloc((size_t)n, sizeof *t);
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		struct arena a;
		arena_init(&a, 1u << 30);
		char *bytes;
		struct error e = {0};
		double t0 = now();
		if (r(&a, doc, &bytes, &len, &e)) {
			fprintf(stderr, "%s: %s\n", what, e.msg);
			return 1;
		}
		t[i] = now() - t0;
		if (i == 0 && out) {
			FILE *f = fopen(out, "wb");
			if (f) {
				fwrite(bytes, 1, len, f);
				fclose(f);
			}
		}
		arena_release(&a);
	}
	double first = t[0];
	qsort(t, (size_t)n, sizeof *t, cmp);
	printf("%s n=%d first_s=%.4f median_s=%.4f p95_s=%.4f bytes=%zu\n",
	       what, n, first, t[n / 2],
	       t[(int)(n * 0.95) < n ? (int)(n * 0.95) : n - 1], len);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: report_pdf DOC.json N OUT.pdf\n");
		return 2;
	}
	json_error_t je;
	json_t *doc = json_load_file(argv[1], 0, &je);
	if (!doc) {
		fprintf(stderr, "%s: %s\n", argv[1], je.text);
		return 2;
	}
	int n = (int)strtol(argv[2], NULL, 10);
	if (n < 1)
		n = 1;
	int rc = bench("pdf", report_pdf, doc, n, argv[3]);
	rc |= bench("xlsx", report_xlsx, doc, n < 5 ? n : 5, NULL);
	rc |= bench("docx", report_docx, doc, n < 5 ? n : 5, NULL);
	json_decref(doc);
	return rc;
}
