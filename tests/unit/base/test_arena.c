/* arena.c: strings joined by arena_cat, printf output short (formatted on
 * the stack) and long (formatted twice), the maximum refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/arena.h"
#include "base/banned.h"

static void cat(void **state)
{
	struct arena a;
	arena_init(&a, 1 << 20);
	assert_string_equal(arena_cat(&a, "/plan/by-unit?", "commune=12&",
				      "status=overdue", NULL),
			    "/plan/by-unit?commune=12&status=overdue");
	assert_string_equal(arena_cat(&a, NULL), "");
	assert_string_equal(arena_cat(&a, "", "Tiên Tiến", "", NULL),
			    "Tiên Tiến");
	arena_release(&a);
}

static void printf_lengths(void **state)
{
	struct arena a;
	arena_init(&a, 1 << 20);
	assert_string_equal(arena_printf(&a, "%s=%lld", "commune", 12LL),
			    "commune=12");
	char want[1001];
	memset(want, 'x', 1000);
	want[1000] = 0;
	for (int n = 250; n <= 260; n++) { /* around the stack buffer */
		char *s = arena_printf(&a, "%.*s", n, want);
		assert_int_equal(strlen(s), n);
		assert_memory_equal(s, want, n);
	}
	assert_string_equal(arena_printf(&a, "%s", want), want);
	arena_release(&a);
}

static void limit(void **state)
{
	struct arena a;
	arena_init(&a, 64);
	char big[200];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_null(arena_printf(&a, "%s", big));
	assert_null(arena_cat(&a, big, NULL));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cat),
		cmocka_unit_test(printf_lengths),
		cmocka_unit_test(limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
