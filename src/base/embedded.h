/* Files compiled into the binary by tools/embed.c: templates/, static/,
 * migrations/ and data/, addressed by their path in the source tree
 * ("templates/layout/base.html", "data/holidays.csv"). Each is followed
 * by a NUL byte, so text files are also C strings. */
#ifndef EMBEDDED_H
#define EMBEDDED_H
#include <stddef.h>

struct embedded_file {
	const char *path;
	const unsigned char *data;
	size_t len;
};

extern const struct embedded_file embedded_files[]; /* ends with path NULL */
const struct embedded_file *embedded_find(const char *path);

#endif
