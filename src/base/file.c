#include "file.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

char *file_read_all(struct arena *a, const char *path, size_t max, size_t *len,
		    struct error *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		error_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* Grown on the heap, then copied once into the arena: the arena
	 * cannot give back what a doubling buffer leaves behind. */
	char *buf = NULL;
	size_t n = 0, cap = 0;
	enum err err = ERR_OK;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				err = error_set(e, ERR_TOOBIG,
						"%s: over %zu bytes", path,
						max);
				break;
			}
			size_t bigger = cap ? cap * 2 : 1 << 16;
			char *nb = realloc(buf, bigger);
			if (!nb) {
				err = error_set(e, ERR_NOMEM,
						"%s: out of memory", path);
				break;
			}
			buf = nb;
			cap = bigger;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (!err && ferror(f))
		err = error_set(e, ERR_IO, "%s: cannot read", path);
	if (!err && n > max)
		err = error_set(e, ERR_TOOBIG, "%s: over %zu bytes", path, max);
	fclose(f);
	char *out = err ? NULL : arena_strndup(a, buf ? buf : "", n);
	free(buf);
	if (!err && !out)
		error_set(e, ERR_NOMEM, "%s: out of memory", path);
	*len = out ? n : 0;
	return out;
}

enum err file_write_all(const char *path, const void *data, size_t len,
			struct error *e)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return error_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	bool ok = fwrite(data, 1, len, f) == len;
	int saved = errno;
	ok &= fclose(f) == 0;
	if (!ok)
		return error_set(e, ERR_IO, "%s: %s", path,
				 strerror(saved ? saved : errno));
	return ERR_OK;
}
