/* Tiers and ranks: PERCENTILE.INC as Excel computes it, the tie setting,
 * shared ranks, missing scores. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "index/tier.h"
#include "base/banned.h"

static void test_percentile_inc(void **state)
{
	/* Excel: PERCENTILE.INC({1,2,3,4},0.3) = 1.9; ({15,20,35,40,50},0.4) = 29 */
	const double a[] = {1, 2, 3, 4}, b[] = {15, 20, 35, 40, 50};
	assert_true(fabs(percentile_inc(a, 4, 0.3) - 1.9) < 1e-12);
	assert_true(fabs(percentile_inc(b, 5, 0.4) - 29) < 1e-12);
	assert_true(percentile_inc(b, 5, 0) == 15);
	assert_true(percentile_inc(b, 5, 1) == 50);
	assert_true(percentile_inc(b, 1, 0.75) == 15);
	assert_true(isnan(percentile_inc(b, 0, 0.5)));
}

static void test_cuts_ignore_missing(void **state)
{
	const double v[] = {4, NAN, 1, 3, 2, NAN, 5};
	struct tier_cuts c;
	assert_int_equal(tier_cuts(v, 7, &c), 5);
	assert_true(c.p25 == 2 && c.p50 == 3 && c.p75 == 4);
	assert_true(median_of(v, 7) == 3);
	const double none[] = {NAN, NAN};
	assert_true(isnan(median_of(none, 2)));
	assert_int_equal(tier_of(NAN, &c, TIER_TIE_UPPER), TIER_NONE);
}

static void test_tie_setting(void **state)
{
	struct tier_cuts c = {2, 3, 4, 5};
	assert_int_equal(tier_of(4, &c, TIER_TIE_UPPER), TIER_HIGH);
	assert_int_equal(tier_of(4, &c, TIER_TIE_LOWER), TIER_MID_HIGH);
	assert_int_equal(tier_of(3, &c, TIER_TIE_UPPER), TIER_MID_HIGH);
	assert_int_equal(tier_of(3, &c, TIER_TIE_LOWER), TIER_MID_LOW);
	assert_int_equal(tier_of(2, &c, TIER_TIE_LOWER), TIER_LOW);
	assert_int_equal(tier_of(1.99, &c, TIER_TIE_UPPER), TIER_LOW);
	assert_int_equal(tier_of(4.01, &c, TIER_TIE_LOWER), TIER_HIGH);
	assert_string_equal(tier_map_label_vi(TIER_HIGH), "Cao");
	assert_string_equal(tier_label_vi(TIER_LOW), "Nhóm đạt điểm thấp nhất");
}

static void test_ranks(void **state)
{
	const double v[] = {7, NAN, 9, 7, 1};
	int r[5];
	rank_desc(v, 5, r);
	int want[] = {2, 0, 1, 2, 4};
	for (int i = 0; i < 5; i++)
		assert_int_equal(r[i], want[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile_inc),
		cmocka_unit_test(test_cuts_ignore_missing),
		cmocka_unit_test(test_tie_setting),
		cmocka_unit_test(test_ranks),
	};
	return cmocka_run_group_tests_name("tier", tests, NULL, NULL);
}
