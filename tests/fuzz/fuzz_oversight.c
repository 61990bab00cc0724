/* libFuzzer: the text checks of oversight/ on whatever a form can send:
 * an inspection's fields and links, a recommendation, the verification
 * checks, and the remedial task's title, which cuts a text to 500 bytes
 * and must leave valid UTF-8 (the cut falls between characters). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "oversight/oversight.h"
#include "base/text.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 16 << 20);
	/* fields separated by NUL bytes, as C strings */
	const char *f[8] = {"", "", "", "", "", "", "", ""};
	char *copy = arena_strndup(&a, (const char *)data, size);
	size_t k = 0, start = 0;
	for (size_t i = 0; copy && i <= size && k < 8; i++)
		if (i == size || data[i] == 0) {
			f[k++] = copy + start;
			start = i + 1;
		}
	struct inspection in = {.kind = f[0],
				.title = f[1],
				.from_on = f[2],
				.to_on = f[3],
				.links = {f[4], f[5]},
				.nlinks = 2};
	struct field_problems fp = {0};
	inspection_validate(&in, &fp);
	if (fp.n > 32)
		__builtin_trap();
	struct recommendation r = {.text = f[1], .unit_id = 1, .due_on = f[2]};
	recommendation_validate(&r, f[3], &fp);
	rec_verify_check(NULL, f[0], f[2], f[3], (struct date){2026, 11, 27},
			 f[1], &fp);
	rec_reopen_check(f[2], f[0], f[1], &fp);
	size_t n = strlen(f[1]);
	if (text_valid_utf8(f[1], n)) {
		const char *t = rec_task_title(&a, f[1]);
		if (t && (strlen(t) > 500 || !text_valid_utf8(t, strlen(t))))
			__builtin_trap();
	}
	char out[11];
	rec_task_start((struct date){2026, 11, 27}, f[2], out);
	arena_release(&a);
	return 0;
}
