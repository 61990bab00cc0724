/* Templates: a small mustache-like language over jansson contexts.
 *   {{name}} {{a.b}} {{.}}   escaped output (& < > " ')
 *   {{{name}}} {{&name}}     raw output, for trusted HTML only
 *   {{#name}}..{{/name}}     array: once per element; object: pushed as the
 *                            context; other truthy: once; falsy (missing,
 *                            null, false, 0, "", []) skips
 *   {{^name}}..{{/name}}     inverted
 *   {{>people/user_row}}     templates/people/user_row.html
 *   {{! comment }}
 *   {{x|date}} {{x|datetime}} {{x|num}} {{x|num1}} {{x|num2}} {{x|num4}}
 *   {{x|role}}
 * A lookup that misses in the current context tries the enclosing ones.
 * Errors are found at parse time and name the template and line. */
#ifndef HTTP_TEMPLATE_H
#define HTTP_TEMPLATE_H
#include <jansson.h>
#include <stddef.h>
#include "../base/arena.h"
#include "../base/error.h"

struct template;

enum { TEMPLATE_OUTPUT_MAX = 4 << 20 }; /* bytes of one rendered page */

/* Parses text (need not be NUL-terminated). name is for messages and for
 * nothing else. Free with template_free. */
enum err template_parse(const char *name, const char *text, size_t len,
			struct template **out, struct error *e);
void template_free(struct template *t);

/* An embedded template by name: "people/users" or "people/users.html"
 * means templates/people/users.html. Parsed on first use and kept; safe
 * from any thread. */
enum err template_find(const char *name, const struct template **out,
		       struct error *e);

/* Renders into the arena; output over max bytes is ERR_TOOBIG. */
enum err template_render(const struct template *t, json_t *ctx, struct arena *a,
			 size_t max, char **out, size_t *len, struct error *e);
enum err template_render_name(const char *name, json_t *ctx, struct arena *a,
			      char **out, size_t *len, struct error *e);

/* Parses every embedded template; the first failure is returned (the
 * server logs it at start, a test requires none). */
enum err template_check_all(struct error *e);

#endif
