/* libFuzzer: the interviews' CSV import (index/interview.c) on any bytes,
 * against the shipped catalogue: the input up to the first NUL byte is the
 * answers file, the rest (if any) the column mapping. It must import or
 * refuse with problems, never crash, read out of bounds or leak; what
 * imports is packed and unpacked back unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/embedded.h"
#include "index/interview.h"
#include "index/papi.h"
#include "base/banned.h"

static struct arena cat_arena;
static struct catalogue cat;
static const struct iv_village villages[] = {
	{1, "Thôn 1", "thon 1"},
	{2, "Đồng Xá", "dong xa"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cat.nquestions) {
		arena_init(&cat_arena, 64 << 20);
		const struct embedded_file *f =
			embedded_find(PAPI_SHIPPED_CATALOGUE);
		struct problems p = {0};
		struct error e = {0};
		if (!f || catalogue_parse(&cat_arena, (const char *)f->data,
					  f->len, &cat, &p, &e))
			abort();
	}
	const char *s = (const char *)data;
	const char *nul = memchr(s, '\0', size);
	size_t len = nul ? (size_t)(nul - s) : size;
	const char *map = nul ? nul + 1 : NULL;
	size_t map_len = nul ? size - len - 1 : 0;
	struct arena a;
	arena_init(&a, 256 << 20);
	struct iv_import im;
	struct problems p = {0};
	struct error e = {0};
	enum err err = interview_import_parse(&a, &cat, villages, 2, s, len,
					      map, map_len, &im, &p, &e);
	if (err == ERR_INVALID && !p.n)
		abort(); /* a refusal says why */
	if (!err) {
		for (int r = 0; r < im.nrows; r++) {
			char *packed =
				interview_pack(&a, &cat, im.rows[r].vals);
			const char **back;
			if (!packed ||
			    interview_unpack(&a, &cat, packed, &back, &e))
				abort();
			for (int q = 0; q < cat.nquestions; q++)
				if (strcmp(back[q], im.rows[r].vals[q]))
					abort();
		}
	}
	arena_release(&a);
	return 0;
}
