/* The clock and QUANTRI_NOW, the way tests move a server's time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/clock.h"
#include "base/banned.h"

static void test_parse_format(void **state)
{
	time_t t;
	char buf[21];
	assert_true(clock_parse_iso("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(clock_parse_iso("2026-11-27T08:00:00Z", &t));
	assert_int_equal(t, 1795766400);
	clock_format_iso(t, buf);
	assert_string_equal(buf, "2026-11-27T08:00:00Z");
	assert_true(clock_parse_iso("2026-11-27 15:00:00+07", &t));
	assert_int_equal(t, 1795766400);
	assert_true(clock_parse_iso("2026-11-27T15:00+07:00", &t));
	assert_int_equal(t, 1795766400);
	assert_true(clock_parse_iso("2026-11-27T08:00:00.999Z", &t));
	assert_int_equal(t, 1795766400);
	assert_false(clock_parse_iso("2026-11-27", &t));
	assert_false(clock_parse_iso("2026-11-27T24:00:00Z", &t));
	assert_false(clock_parse_iso("2026-11-31T08:00:00Z", &t));
	assert_false(clock_parse_iso("2026-11-27T08:00:00Zjunk", &t));
	assert_false(clock_parse_iso(NULL, &t));
	clock_format_iso(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

static void test_now_follows_env(void **state)
{
	struct arena a;
	arena_init(&a, 4096);
	setenv("QUANTRI_NOW", "2026-11-27T08:00:00Z", 1);
	assert_int_equal(clock_now(), 1795766400);
	assert_string_equal(clock_now_iso(&a), "2026-11-27T08:00:00Z");
	struct date d = clock_today_vn();
	assert_int_equal(d.y, 2026);
	assert_int_equal(d.m, 11);
	assert_int_equal(d.d, 27);
	/* Read at every call; 17:00 UTC is already tomorrow in Vietnam. */
	setenv("QUANTRI_NOW", "2026-11-27T16:59:59Z", 1);
	assert_int_equal(clock_today_vn().d, 27);
	setenv("QUANTRI_NOW", "2026-11-27T17:00:00Z", 1);
	assert_int_equal(clock_today_vn().d, 28);
	/* Unparseable or absent: the real time. */
	setenv("QUANTRI_NOW", "tomorrow", 1);
	time_t real = time(NULL);
	assert_true(clock_now() - real <= 1 && clock_now() >= real);
	unsetenv("QUANTRI_NOW");
	assert_true(clock_now() >= real);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_now_follows_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
