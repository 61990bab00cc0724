/* A bump allocator with a hard maximum. One per request, per command: what
 * is allocated here is freed all at once with arena_free, so handlers do not
 * call free(). Allocation past the maximum returns NULL. */
#ifndef ARENA_H
#define ARENA_H
#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used;  /* bytes handed out, all blocks */
	size_t limit; /* maximum bytes, all blocks */
};

void arena_init(struct arena *a, size_t limit);
void arena_release(struct arena *a); /* frees every block; a is reusable */
void *arena_alloc(struct arena *a, size_t n); /* zeroed, 16-aligned */
/* The same, not zeroed: for buffers that are written before they are read
 * (a page being rendered), where zeroing costs more than the writing. */
void *arena_alloc_uninit(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* The strings up to the NULL joined: arena_cat(a, "/x?", q, NULL). For
 * pages that join many pieces, where printf's parsing shows. */
char *arena_cat(struct arena *a, ...) __attribute__((sentinel));

#endif
