/* libFuzzer: JSON request bodies into params (form_parse_json). */
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
	json_t *j = NULL;
	arena_init(&a, 64 << 20);
	if (form_parse_json(&a, (const char *)data, size, &p, &j, &e) ==
	    ERR_OK) {
		if (!json_is_object(j))
			__builtin_trap();
		struct request r = {
			.arena = &a, .params = p.kv, .nparams = p.n};
		for (int i = 0; i < p.n; i++)
			if (!req_param(&r, p.kv[i].key))
				__builtin_trap();
	} else if (j) {
		__builtin_trap(); /* nothing is handed out on failure */
	}
	json_decref(j);
	arena_release(&a);
	return 0;
}
