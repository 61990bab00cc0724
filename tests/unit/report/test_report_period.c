/* report.c on real dates: the data period of every kind of report with
 * the cut-off day of Nghị định 09/2019/NĐ-CP Điều 12 (the 14th: quarter I
 * of 2025 is 15/12/2024 to 14/03/2025, the year 15/12/2024 to
 * 14/12/2025), with calendar periods (cut-off 0: February of a leap year
 * ends on the 29th), periods out of range refused; the period's name in
 * Vietnamese; table cells formatted the Vietnamese way. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "report/report.h"
#include "base/banned.h"

static void iso(struct date d, char buf[11])
{
	date_format_iso(d, buf);
}

static void periods(void **state)
{
	static const struct {
		enum report_kind k;
		int year, no, cutoff;
		const char *from, *to;
	} cases[] = {
		{REPORT_QUARTERLY, 2025, 1, 14, "2024-12-15", "2025-03-14"},
		{REPORT_QUARTERLY, 2025, 2, 14, "2025-03-15", "2025-06-14"},
		{REPORT_QUARTERLY, 2025, 4, 14, "2025-09-15", "2025-12-14"},
		{REPORT_SIX_MONTH, 2025, 1, 14, "2024-12-15", "2025-06-14"},
		{REPORT_SIX_MONTH, 2025, 2, 14, "2025-06-15", "2025-12-14"},
		{REPORT_YEARLY, 2025, 1, 14, "2024-12-15", "2025-12-14"},
		{REPORT_MONTHLY, 2025, 1, 14, "2024-12-15", "2025-01-14"},
		{REPORT_MONTHLY, 2025, 3, 14, "2025-02-15", "2025-03-14"},
		{REPORT_MONTHLY, 2024, 3, 28, "2024-02-29", "2024-03-28"},
		{REPORT_MONTHLY, 2025, 3, 28, "2025-03-01", "2025-03-28"},
		{REPORT_MONTHLY, 2024, 2, 0, "2024-02-01", "2024-02-29"},
		{REPORT_MONTHLY, 2025, 2, 0, "2025-02-01", "2025-02-28"},
		{REPORT_QUARTERLY, 2025, 3, 0, "2025-07-01", "2025-09-30"},
		{REPORT_SIX_MONTH, 2025, 2, 0, "2025-07-01", "2025-12-31"},
		{REPORT_YEARLY, 2025, 1, 0, "2025-01-01", "2025-12-31"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct date f, t;
		char fb[11], tb[11];
		assert_int_equal(report_period(cases[i].k, cases[i].year,
					       cases[i].no, cases[i].cutoff, &f,
					       &t),
				 1);
		iso(f, fb);
		iso(t, tb);
		assert_string_equal(fb, cases[i].from);
		assert_string_equal(tb, cases[i].to);
	}
}

static void out_of_range(void **state)
{
	struct date f, t;
	assert_int_equal(report_period(REPORT_QUARTERLY, 2025, 5, 14, &f, &t),
			 0);
	assert_int_equal(report_period(REPORT_QUARTERLY, 2025, 0, 14, &f, &t),
			 0);
	assert_int_equal(report_period(REPORT_MONTHLY, 2025, 13, 14, &f, &t),
			 0);
	assert_int_equal(report_period(REPORT_SIX_MONTH, 2025, 3, 14, &f, &t),
			 0);
	assert_int_equal(report_period(REPORT_YEARLY, 2025, 2, 14, &f, &t), 0);
	assert_int_equal(report_period(REPORT_MONTHLY, 2025, 1, 29, &f, &t), 0);
	assert_int_equal(report_period(REPORT_MONTHLY, 2025, 1, -1, &f, &t), 0);
	assert_int_equal(report_period(REPORT_MONTHLY, 1899, 1, 14, &f, &t), 0);
}

static void names(void **state)
{
	struct arena a;
	arena_init(&a, 1 << 20);
	assert_string_equal(report_period_vi(&a, REPORT_QUARTERLY, 2025, 1),
			    "quý I năm 2025");
	assert_string_equal(report_period_vi(&a, REPORT_QUARTERLY, 2025, 4),
			    "quý IV năm 2025");
	assert_string_equal(report_period_vi(&a, REPORT_SIX_MONTH, 2025, 1),
			    "6 tháng đầu năm 2025");
	assert_string_equal(report_period_vi(&a, REPORT_SIX_MONTH, 2025, 2),
			    "6 tháng cuối năm 2025");
	assert_string_equal(report_period_vi(&a, REPORT_MONTHLY, 2025, 3),
			    "tháng 3 năm 2025");
	assert_string_equal(report_period_vi(&a, REPORT_YEARLY, 2025, 1),
			    "năm 2025");
	enum report_kind k;
	assert_int_equal(report_kind_parse("six_month", &k), 1);
	assert_int_equal(k, REPORT_SIX_MONTH);
	assert_int_equal(report_kind_parse("weekly", &k), 0);
	assert_int_equal(report_kind_parse(NULL, &k), 0);
	arena_release(&a);
}

static void cells(void **state)
{
	struct arena a;
	arena_init(&a, 1 << 20);
	json_t *v = json_integer(1234567);
	assert_string_equal(report_cell_text(&a, v, "int"), "1.234.567");
	json_decref(v);
	v = json_real(0.8333);
	assert_string_equal(report_cell_text(&a, v, "percent"), "83,3%");
	json_decref(v);
	v = json_real(5.125);
	assert_string_equal(report_cell_text(&a, v, "score"), "5,13");
	assert_string_equal(report_cell_text(&a, v, "num1"), "5,1");
	json_decref(v);
	v = json_string("Văn phòng – Thống kê");
	assert_string_equal(report_cell_text(&a, v, "int"),
			    "Văn phòng – Thống kê");
	json_decref(v);
	assert_string_equal(report_cell_text(&a, json_null(), "int"), "");
	assert_string_equal(report_cell_text(&a, NULL, "score"), "");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(periods),
		cmocka_unit_test(out_of_range),
		cmocka_unit_test(names),
		cmocka_unit_test(cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
