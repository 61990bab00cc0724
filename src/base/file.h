/* Reading and writing a whole file that a person named on the command
 * line. */
#ifndef FILE_H
#define FILE_H
#include <stddef.h>
#include "arena.h"
#include "error.h"

/* The file at path, NUL-terminated, in the arena, *len bytes (not counting
 * the NUL). A file over max bytes is ERR_TOOBIG; a missing or unreadable
 * one ERR_IO; messages name the path. */
char *file_read_all(struct arena *a, const char *path, size_t max, size_t *len,
		    struct error *e);

/* Writes len bytes to path (created or truncated); ERR_IO naming the path
 * when it cannot be written whole. */
enum err file_write_all(const char *path, const void *data, size_t len,
			struct error *e);

#endif
