/* Dates and the working-day calendar, against the shipped holidays of
 * 2024-2026 (data/holidays.csv, compiled into the binary). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/calendar.h"
#include "base/embedded.h"
#include "base/banned.h"

static struct date D(const char *iso) {
	struct date d;
	if (!date_parse_iso(iso, &d))
		fail_msg("bad date in test: %s", iso);
	return d;
}

static void
assert_date(struct date got, const char *want)
{
	char buf[11];
	date_format_iso(got, buf);
	assert_string_equal(buf, want);
}

static int load(void **state)
{
	static struct calendar c;
	struct error e = {0};
	const struct embedded_file *f = embedded_find("data/holidays.csv");
	assert_non_null(f);
	calendar_init(&c);
	if (calendar_load_csv(&c, (const char *)f->data, &e))
		fail_msg("%s", e.msg);
	*state = &c;
	return 0;
}

static int unload(void **state)
{
	calendar_release(*state);
	return 0;
}

static void test_days(void **state)
{
	assert_int_equal(date_to_days(D("1970-01-01")), 0);
	assert_int_equal(date_to_days(D("2000-03-01")), 11017);
	assert_int_equal(date_weekday(D("1970-01-01")), 4);
	assert_int_equal(date_weekday(D("2025-01-01")), 3);
	assert_int_equal(date_weekday(D("2026-02-22")), 7);
	assert_int_equal(date_weekday(D("2024-04-29")), 1);
	for (long n = -700000; n <= 700000; n += 37) {
		struct date d = date_from_days(n);
		assert_true(date_valid(d));
		assert_int_equal(date_to_days(d), n);
	}
	assert_true(date_valid((struct date){2024, 2, 29}));
	assert_true(date_valid((struct date){2000, 2, 29}));
	assert_false(date_valid((struct date){1900, 2, 29}));
	assert_false(date_valid((struct date){2025, 2, 29}));
	assert_false(date_valid((struct date){2025, 4, 31}));
	assert_false(date_valid((struct date){2025, 0, 1}));
	struct date d;
	assert_false(date_parse_iso("2025-1-01", &d));
	assert_false(date_parse_iso("2025-01-01T00:00:00Z", &d));
	assert_false(date_parse_iso("2025/01/01", &d));
	assert_false(date_parse_iso(NULL, &d));
}

static void test_working_days(void **state)
{
	const struct calendar *c = *state;
	static const struct {
		const char *day;
		bool working;
		const char *why;
	} cases[] = {
		{"2024-01-01", false, "Tết Dương lịch, Monday"},
		{"2024-02-07", true, "last day before Tết Giáp Thìn"},
		{"2024-02-08", false, "29 Chạp"},
		{"2024-02-12", false, "mùng 3"},
		{"2024-02-14", false, "nghỉ bù"},
		{"2024-02-15", true, "back to work"},
		{"2024-04-29", false, "swapped Monday"},
		{"2024-05-04", true, "make-up Saturday"},
		{"2024-09-03", false, "Quốc khánh 2024"},
		{"2025-01-24", true, "Friday before Tết Ất Tỵ"},
		{"2025-01-27", false, "28 Chạp"},
		{"2025-01-31", false, "mùng 3"},
		{"2025-02-03", true, "first day back"},
		{"2025-02-15", false,
		 "an ordinary Saturday: no make-up day for Tết 2025"},
		{"2025-04-07", false, "Giỗ Tổ"},
		{"2025-04-26", true, "make-up Saturday for 2 May"},
		{"2025-05-02", false, "swapped Friday"},
		{"2025-09-01", false, "Quốc khánh 2025"},
		{"2025-09-03", true, "Wednesday after"},
		{"2026-01-02", false, "swapped Friday"},
		{"2026-01-10", true, "make-up Saturday"},
		{"2026-02-16", false, "29 Chạp Ất Tỵ"},
		{"2026-02-20", false, "mùng 4 Bính Ngọ"},
		{"2026-02-23", true, "back after Tết"},
		{"2026-04-26", false, "Giỗ Tổ on a Sunday"},
		{"2026-04-27", false, "Giỗ Tổ moved to Monday"},
		{"2026-08-22", true, "make-up Saturday"},
		{"2026-08-31", false, "swapped Monday"},
		{"2026-09-02", false, "Quốc khánh 2026"},
		{"2026-09-03", true, "Thursday after"},
		{"2026-11-27", true, "an ordinary Friday"},
		{"2026-11-28", false, "an ordinary Saturday"},
		{"2026-11-29", false, "an ordinary Sunday"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (calendar_is_working_day(c, D(cases[i].day)) !=
		    cases[i].working)
			fail_msg("%s (%s): expected %s", cases[i].day,
				 cases[i].why,
				 cases[i].working ? "working" : "off");
}

static void test_add_days(void **state)
{
	const struct calendar *c = *state;
	static const struct {
		const char *from;
		int n;
		bool working;
		const char *to;
	} cases[] = {
		{"2025-01-24", 1, true, "2025-02-03"}, /* across Tết 2025 */
		{"2025-01-24", 0, true, "2025-01-24"},
		{"2025-01-25", 0, true,
		 "2025-01-25"}, /* n = 0 is from itself */
		{"2025-01-24", 10, false, "2025-02-03"},
		{"2025-01-01", 10, true, "2025-01-15"},
		{"2025-04-25", 1, true,
		 "2025-04-26"}, /* make-up Saturday counts */
		{"2025-04-26", 1, true, "2025-04-28"},
		{"2025-04-29", 1, true, "2025-05-05"},
		{"2026-02-13", 5, true, "2026-02-27"}, /* across Tết 2026 */
		{"2026-02-13", 1, true, "2026-02-23"},
		{"2024-02-07", 1, true, "2024-02-15"},
		{"2026-08-21", 1, true, "2026-08-22"},
		{"2026-08-28", 1, true, "2026-09-03"},
		{"2024-02-28", 1, false, "2024-02-29"},
		{"2023-12-31", 1, false, "2024-01-01"},
		{"2025-01-20", 30, false, "2025-02-19"},
		{"2026-12-31", 1, true, "2027-01-01"}, /* no data: Mon-Fri */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct date got = calendar_add_days(
			c, D(cases[i].from), cases[i].n, cases[i].working);
		char buf[11];
		date_format_iso(got, buf);
		if (strcmp(buf, cases[i].to))
			fail_msg("%s + %d %s = %s, expected %s", cases[i].from,
				 cases[i].n,
				 cases[i].working ? "working" : "days", buf,
				 cases[i].to);
	}
}

static void test_next_working_day(void **state)
{
	const struct calendar *c = *state;
	assert_date(calendar_next_working_day(c, D("2025-01-25")),
		    "2025-02-03");
	assert_date(calendar_next_working_day(c, D("2025-04-26")),
		    "2025-04-26");
	assert_date(calendar_next_working_day(c, D("2026-08-29")),
		    "2026-09-03");
	assert_date(calendar_next_working_day(c, D("2025-03-05")),
		    "2025-03-05");
}

static int working_days_in(const struct calendar *c, int year)
{
	int n = 0;
	for (long d = date_to_days((struct date){year, 1, 1});
	     d <= date_to_days((struct date){year, 12, 31}); d++)
		n += calendar_is_working_day(c, date_from_days(d));
	return n;
}

static void test_year_totals(void **state)
{
	const struct calendar *c = *state;
	/* Weekdays, minus weekdays off, plus make-up Saturdays:
	 * 2024: 262 - 12 + 1; 2025: 261 - 12 + 1; 2026: 261 - 13 + 2. */
	assert_int_equal(working_days_in(c, 2024), 251);
	assert_int_equal(working_days_in(c, 2025), 250);
	assert_int_equal(working_days_in(c, 2026), 250);
}

static void test_shipped_rows_make_sense(void **state)
{
	/* Every 'off' row is a weekday and every 'work' row a weekend day;
	 * otherwise the row would change nothing and is probably a typo. */
	const struct calendar *c = *state;
	assert_true(c->n > 30);
	for (int i = 0; i < c->n; i++) {
		struct date d = date_from_days(c->days[i].day);
		bool weekend = date_weekday(d) >= 6;
		if (i > 0)
			assert_true(c->days[i - 1].day < c->days[i].day);
		if ((c->days[i].kind == 'o') == weekend)
			fail_msg("%04d-%02d-%02d: kind %c on a %s", d.y, d.m,
				 d.d, c->days[i].kind,
				 weekend ? "weekend" : "weekday");
	}
}

static void test_set(void **state)
{
	struct calendar c;
	calendar_init(&c);
	assert_int_equal(calendar_set(&c, D("2025-03-05"), 'o'), ERR_OK);
	assert_int_equal(calendar_set(&c, D("2025-03-01"), 'w'), ERR_OK);
	assert_int_equal(calendar_set(&c, D("2025-03-03"), 'o'), ERR_OK);
	assert_int_equal(c.n, 3);
	assert_true(c.days[0].day < c.days[1].day &&
		    c.days[1].day < c.days[2].day);
	assert_false(calendar_is_working_day(&c, D("2025-03-05")));
	assert_true(calendar_is_working_day(&c, D("2025-03-01")));
	/* Replace, then remove. */
	assert_int_equal(calendar_set(&c, D("2025-03-05"), 'w'), ERR_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(calendar_kind(&c, D("2025-03-05")), 'w');
	assert_int_equal(calendar_set(&c, D("2025-03-05"), 0), ERR_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(calendar_kind(&c, D("2025-03-05")), 0);
	assert_int_equal(calendar_set(&c, D("2025-03-06"), 'x'), ERR_INVALID);
	assert_int_equal(calendar_set(&c, (struct date){2025, 2, 30}, 'o'),
			 ERR_INVALID);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(
			calendar_set(&c, date_from_days(20000 + 7L * i), 'o'),
			ERR_OK);
	assert_int_equal(c.n, 1002);
	calendar_release(&c);
	assert_int_equal(c.n, 0);
}

static void test_load_errors(void **state)
{
	struct calendar c;
	struct error e = {0};
	calendar_init(&c);
	assert_int_equal(calendar_load_csv(&c,
					   "day,kind,name,source\n"
					   "2025-01-01,off,Tết Dương lịch,x\n"
					   "2025-01-02,holiday,?,x\n",
					   &e),
			 ERR_INVALID);
	assert_string_equal(e.msg, "holidays line 3: unknown kind \"holiday\" "
				   "(expected off or work)");
	assert_int_equal(c.n, 0); /* all or nothing */
	assert_int_equal(
		calendar_load_csv(&c, "day,kind\n2025-02-30,off\n", &e),
		ERR_INVALID);
	assert_string_equal(e.msg, "holidays line 2: bad day \"2025-02-30\" "
				   "(expected YYYY-MM-DD)");
	assert_int_equal(
		calendar_load_csv(&c, "date,kind\n2025-02-03,off\n", &e),
		ERR_INVALID);
	assert_int_equal(
		calendar_load_csv(&c, "day,kind\n2025-02-03,off,extra\n", &e),
		ERR_INVALID);
	assert_string_equal(e.msg, "line 2: 3 fields, expected 2");
	assert_int_equal(c.n, 0);
	assert_int_equal(
		calendar_load_csv(&c, "day,kind\r\n2025-02-03,off\r\n", &e),
		ERR_OK);
	assert_int_equal(calendar_kind(&c, D("2025-02-03")), 'o');
	calendar_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_working_days),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_next_working_day),
		cmocka_unit_test(test_year_totals),
		cmocka_unit_test(test_shipped_rows_make_sense),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
