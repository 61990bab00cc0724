/* Shared by the renderer tests (test_render_*.c): the fixture documents,
 * where artifacts go, and running poppler's tools on a file. */
#ifndef RENDER_TEST_H
#define RENDER_TEST_H
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "base/arena.h"
#include "base/file.h"

static struct arena A;

/* The repository, from this file's path. */
static inline const char *repo_dir(void)
{
	const char *f = __FILE__, *cut = strstr(f, "/tests/unit/report/");
	assert_non_null(cut);
	return arena_strndup(&A, f, (size_t)(cut - f));
}

static inline json_t *fixture(const char *name)
{
	const char *path = arena_printf(
		&A, "%s/tests/unit/report/fixtures/%s.json", repo_dir(), name);
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	if (!doc)
		fail_msg("%s: %s", path, je.text);
	return doc;
}

/* artifacts/report/<name>, the directory made. */
static inline const char *artifact(const char *name)
{
	const char *dir = arena_printf(&A, "%s/artifacts", repo_dir());
	mkdir(dir, 0755);
	dir = arena_printf(&A, "%s/report", dir);
	mkdir(dir, 0755);
	return arena_printf(&A, "%s/%s", dir, name);
}

static inline void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The output of a shell command (its exit status must be 0). */
static inline char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, n = 0;
	char *out = arena_alloc(&A, cap);
	size_t k;
	while ((k = fread(out + n, 1, cap - 1 - n, p)) > 0) {
		n += k;
		if (n == cap - 1) {
			char *bigger = arena_alloc(&A, cap * 2);
			memcpy(bigger, out, n);
			out = bigger;
			cap *= 2;
		}
	}
	out[n] = 0;
	int rc = pclose(p);
	if (rc != 0)
		fail_msg("%s: exit %d", cmd, rc);
	return out;
}

/* s with every run of white space one space: text from a justified or
 * wrapped layout compares as words. */
static inline char *squeeze(const char *s)
{
	char *out = arena_alloc(&A, strlen(s) + 1), *w = out;
	bool space = false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\f' ||
		    *s == '\r') {
			space = true;
			continue;
		}
		if (space && w > out)
			*w++ = ' ';
		space = false;
		*w++ = *s;
	}
	*w = 0;
	return out;
}

#define assert_contains(hay, needle)                                           \
	do {                                                                   \
		if (!strstr((hay), (needle)))                                  \
			fail_msg("\"%s\" not found", (needle));                \
	} while (0)

#endif
