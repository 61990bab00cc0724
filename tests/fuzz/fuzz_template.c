/* libFuzzer: templates. The input is parsed as a template and, when it
 * parses, rendered against a fixed context (arrays, objects, numbers,
 * dates, text with HTML in it), with a small output limit. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "http/template.h"
#include "base/banned.h"

static json_t *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx)
		ctx = json_pack("{s:s, s:i, s:f, s:b, s:n, s:s, s:s, s:[{s:s, "
				"s:s}, {s:s}], s:{s:{s:s}}, s:[], s:s, s:s}",
				"name", "Nguyễn <b>Văn</b> An & \"Bình\"", "n",
				1234567, "r", 1234.5678, "t", 1, "z", "d",
				"2025-03-05", "dt", "2025-03-04T20:00:00Z",
				"users", "name", "An", "role", "chair", "name",
				"Bình", "a", "b", "c", "sâu", "empty", "role",
				"office", "status", "404");
	struct arena a;
	struct template *t;
	struct error e = {0};
	if (template_parse("fuzz", (const char *)data, size, &t, &e) != ERR_OK)
		return 0;
	arena_init(&a, 64 << 20);
	char *out;
	size_t len;
	if (template_render(t, ctx, &a, 1 << 20, &out, &len, &e) == ERR_OK &&
	    strlen(out) != len)
		__builtin_trap(); /* no NUL can come out of a template */
	arena_release(&a);
	template_free(t);
	return 0;
}
