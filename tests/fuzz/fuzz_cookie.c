/* libFuzzer: the cookie values the server accepts. The input is read as a
 * Cookie header ("a=b; c=d"); each value goes through the checks the
 * server applies to qt_session and qt_csrf (form_token_valid, then the
 * SHA-256 lookup key) and to qt_flash (form_flash_decode). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "http/form.h"
#include "base/text.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	char *header = arena_strndup(&a, (const char *)data, size);
	size_t i = 0, len = header ? strlen(header) : 0;
	while (header && i < len) {
		size_t end = i + strcspn(header + i, ";");
		header[end] = '\0';
		char *eq = strchr(header + i, '=');
		if (eq) {
			const char *v = eq + 1;
			if (form_token_valid(v)) {
				char *h = http_token_hash(&a, v);
				if (!h || strlen(h) != 64)
					__builtin_trap();
			}
			char *flash = form_flash_decode(&a, v);
			if (flash && (strlen(flash) > 600 ||
				      !text_valid_utf8(flash, strlen(flash))))
				__builtin_trap();
		}
		i = end + 1;
	}
	arena_release(&a);
	return 0;
}
