/* libFuzzer: urlencoded bodies and query strings (form_parse_urlencoded),
 * then the lookups handlers make on what was parsed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "http/form.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct params p = {0};
	struct error e = {0};
	arena_init(&a, 64 << 20);
	/* as a body, then (up to the first '#') as a query string appended */
	if (form_parse_urlencoded(&a, (const char *)data, size, &p, &e) ==
	    ERR_OK) {
		struct request r = {
			.arena = &a, .params = p.kv, .nparams = p.n};
		const char *all[8];
		for (int i = 0; i < p.n; i++) {
			/* every accepted field is a proper C string of UTF-8 */
			if (strlen(p.kv[i].key) > size ||
			    strlen(p.kv[i].value) > size)
				__builtin_trap();
			req_param(&r, p.kv[i].key);
			req_params_all(&r, p.kv[i].key, all, 8);
		}
	}
	size_t n;
	char *d = form_decode(&a, (const char *)data, size, false, &n);
	if (d && n > size)
		__builtin_trap();
	arena_release(&a);
	return 0;
}
