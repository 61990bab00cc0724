/* The in-memory rate limits of public submissions (voice/rate_limit.c):
 * the 10-minute window, the daily window, Retry-After, a refused
 * submission given back, addresses apart, IPv6 counted by its /64. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "../../../src/voice/rate_limit.h"
#include "../../../src/base/banned.h"

static const time_t t0 = 1795000000; /* a fixed instant: windows by hand */

static void test_ten_minutes(void **state)
{
	(void)state;
	long wait = 0;
	for (int i = 0; i < 5; i++)
		assert_true(rate_limit_take("10.0.0.1", t0 + i, 5, 30, &wait));
	assert_false(rate_limit_take("10.0.0.1", t0 + 60, 5, 30, &wait));
	/* the window opened at t0: it ends 600 s later */
	assert_int_equal(wait, 600 - 60);
	/* another address is not affected */
	assert_true(rate_limit_take("10.0.0.2", t0 + 60, 5, 30, &wait));
	/* a refused submission is given back */
	rate_limit_give_back("10.0.0.1", t0 + 61);
	assert_true(rate_limit_take("10.0.0.1", t0 + 62, 5, 30, &wait));
	assert_false(rate_limit_take("10.0.0.1", t0 + 63, 5, 30, &wait));
	/* a new window after 10 minutes */
	assert_true(rate_limit_take("10.0.0.1", t0 + 600, 5, 30, &wait));
}

static void test_day(void **state)
{
	(void)state;
	long wait = 0;
	const char *a = "192.0.2.7";
	/* 3 a day, 2 per 10 minutes: two windows, then the day is full */
	assert_true(rate_limit_take(a, t0, 2, 3, &wait));
	assert_true(rate_limit_take(a, t0 + 1, 2, 3, &wait));
	assert_false(rate_limit_take(a, t0 + 2, 2, 3, &wait));
	assert_int_equal(wait, 598);
	assert_true(rate_limit_take(a, t0 + 700, 2, 3, &wait));
	assert_false(rate_limit_take(a, t0 + 701, 2, 3, &wait));
	assert_int_equal(wait, 86400 - 701);
	assert_false(rate_limit_take(a, t0 + 1400, 2, 3, &wait));
	assert_true(rate_limit_take(a, t0 + 86400, 2, 3, &wait));
}

static void test_ipv6_by_64(void **state)
{
	(void)state;
	long wait = 0;
	assert_true(rate_limit_take("2001:db8:1:2::10", t0, 1, 10, &wait));
	/* the same /64, another host: the same subscriber */
	assert_false(
		rate_limit_take("2001:db8:1:2:ffff::1", t0 + 1, 1, 10, &wait));
	/* another /64 */
	assert_true(rate_limit_take("2001:db8:1:3::10", t0 + 1, 1, 10, &wait));
	/* an empty address still counts (as one) */
	assert_true(rate_limit_take("", t0, 1, 10, &wait));
	assert_false(rate_limit_take(NULL, t0, 1, 10, &wait));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ten_minutes),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_ipv6_by_64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
