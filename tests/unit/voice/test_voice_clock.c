/* voice_clock.c: the statutory clocks on real dates, against the shipped
 * calendar (data/holidays.csv: Tết 2024 08–14/02, Tết 2025 27–31/01,
 * 30/4–1/5, 2/9, make-up Saturdays) and rules like the shipped ones
 * (migrations/.../0010_voice.sql); rules chosen by effective date.
 * (Named test_voice_clock: tests/unit/base has a test_clock already.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "voice/voice.h"
#include "base/embedded.h"
#include "base/banned.h"

/* The shipped clocks, as rows of case_rules. */
static struct case_rule shipped[] = {
	{1, "feedback", "classify", "received", "working", 5, 0, 0, 0, 0, 0,
	 "2021-01-01", NULL, "QĐ 31/2021/QĐ-TTg", true},
	{2, "feedback", "resolve", "received", "working", 10, 0, 0, 0, 0, 0,
	 "2021-01-01", NULL, "Quy định của UBND xã", false},
	{3, "complaint", "accept", "received", "working", 10, 0, 0, 0, 0, 0,
	 "2012-07-01", NULL, "Luật Khiếu nại 2011, Điều 27", false},
	{4, "complaint", "resolve", "accepted", "calendar", 30, 45, 45, 60, 0,
	 0, "2012-07-01", NULL, "Luật Khiếu nại 2011, Điều 28", false},
	{5, "denunciation", "accept", "received", "working", 7, 10, 0, 0, 0, 0,
	 "2019-01-01", NULL, "Luật Tố cáo 2018, Điều 24, 29", false},
	{6, "denunciation", "resolve", "accepted", "calendar", 30, 0, 0, 0, 30,
	 2, "2019-01-01", NULL, "Luật Tố cáo 2018, Điều 30", true},
	{7, "petition", "classify", "received", "working", 5, 0, 0, 0, 0, 0,
	 "2021-01-01", NULL, "QĐ 31/2021/QĐ-TTg", true},
	{8, "petition", "resolve", "received", "working", 10, 0, 0, 0, 0, 0,
	 "2021-01-01", NULL, "Quy định của UBND xã", false},
};
static const struct case_rules rules = {shipped,
					sizeof shipped / sizeof *shipped};

static struct calendar cal;

static int setup(void **state)
{
	(void)state;
	const struct embedded_file *f = embedded_find("data/holidays.csv");
	struct error e = {0};
	calendar_init(&cal);
	if (!f || calendar_load_csv(&cal, (const char *)f->data, &e)) {
		fprintf(stderr, "holidays: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calendar_release(&cal);
	return 0;
}

static struct date d(const char *iso)
{
	struct date x;
	if (!date_parse_iso(iso, &x))
		fail_msg("bad date %s", iso);
	return x;
}

static void assert_day(struct date got, const char *want, const char *what)
{
	char buf[11];
	date_format_iso(got, buf);
	if (strcmp(buf, want))
		fail_msg("%s: got %s, want %s", what, buf, want);
}

static void test_due_days(void **state)
{
	(void)state;
	static const struct {
		const char *type, *step, *start;
		int complexity;
		bool remote;
		int ext;
		const char *due, *why;
	} cases[] = {
		/* working days across Tết Giáp Thìn (off Thu 8 – Wed 14/2) */
		{"feedback", "classify", "2024-02-07", 0, false, 0,
		 "2024-02-21", "5 working days over Tết 2024"},
		{"feedback", "resolve", "2024-02-07", 0, false, 0, "2024-02-28",
		 "10 working days over Tết 2024"},
		{"petition", "classify", "2024-02-06", 0, false, 0,
		 "2024-02-20",
		 "petition 5 working days, Tuesday before Tết 2024"},
		/* Tết Ất Tỵ: off Mon 27 – Fri 31/1/2025 */
		{"complaint", "accept", "2025-01-24", 0, false, 0, "2025-02-14",
		 "complaint accepted in 10 working days over Tết 2025"},
		{"feedback", "resolve", "2025-01-20", 0, false, 0, "2025-02-10",
		 "10 working days over Tết 2025"},
		/* 30/4 – 2/5/2025 off, Saturday 26/4 worked */
		{"feedback", "classify", "2025-04-24", 0, false, 0,
		 "2025-05-05", "make-up Saturday 26/4/2025 and 30/4 – 2/5"},
		/* 29/4 – 1/5/2024 off, Saturday 4/5 worked */
		{"feedback", "classify", "2024-04-26", 0, false, 0,
		 "2024-05-07", "30/4 – 1/5/2024 and make-up Saturday 4/5"},
		/* 1 – 2/9/2025 off */
		{"denunciation", "accept", "2025-08-29", 0, false, 0,
		 "2025-09-11", "denunciation 7 working days over 2/9/2025"},
		{"denunciation", "accept", "2025-08-29", 1, false, 0,
		 "2025-09-16", "denunciation 10 working days when complex"},
		{"denunciation", "accept", "2025-08-29", 0, true, 0,
		 "2025-09-11", "no remote length: 7 working days"},
		/* weekends alone */
		{"feedback", "classify", "2026-11-27", 0, false, 0,
		 "2026-12-04", "5 working days from a Friday"},
		{"feedback", "classify", "2026-11-28", 0, false, 0,
		 "2026-12-04", "received on a Saturday: counted from Monday"},
		/* complaints: 30 calendar days, 45 complex, 45 remote, 60 both */
		{"complaint", "resolve", "2025-03-10", 0, false, 0,
		 "2025-04-09", "complaint 30 calendar days"},
		{"complaint", "resolve", "2025-03-10", 1, false, 0,
		 "2025-04-24", "complaint 45 days when complex"},
		{"complaint", "resolve", "2025-03-10", 2, false, 0,
		 "2025-04-24", "complaint 45 days when especially complex"},
		{"complaint", "resolve", "2025-03-10", 0, true, 0, "2025-04-24",
		 "complaint 45 days when remote"},
		{"complaint", "resolve", "2025-03-10", 1, true, 0, "2025-05-09",
		 "complaint 60 days when complex and remote"},
		/* a calendar-day deadline on a day off moves on */
		{"complaint", "resolve", "2025-03-31", 0, false, 0,
		 "2025-05-05",
		 "30/4/2025 is off, so are 1–2/5 and the weekend"},
		{"complaint", "resolve", "2024-01-05", 0, false, 0,
		 "2024-02-05", "a Sunday moves to Monday"},
		{"complaint", "resolve", "2024-01-09", 0, false, 0,
		 "2024-02-15",
		 "8/2/2024 is Tết: the first working day after it"},
		/* denunciations: 30 days, up to two 30-day extensions */
		{"denunciation", "resolve", "2024-06-03", 0, false, 0,
		 "2024-07-03", "denunciation 30 calendar days"},
		{"denunciation", "resolve", "2024-06-03", 0, false, 30,
		 "2024-08-02", "one 30-day extension"},
		{"denunciation", "resolve", "2024-06-03", 0, false, 60,
		 "2024-09-04", "two extensions end on Sunday 1/9; 2–3/9 off"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct case_rule *r =
			case_rule_find(&rules, cases[i].type, cases[i].step,
				       d(cases[i].start));
		if (!r)
			fail_msg("%s: no rule", cases[i].why);
		assert_day(case_due(r, &cal, d(cases[i].start),
				    cases[i].complexity, cases[i].remote,
				    cases[i].ext),
			   cases[i].due, cases[i].why);
	}
}

static void test_lengths_and_extensions(void **state)
{
	(void)state;
	const struct case_rule *c = &shipped[3], *den = &shipped[5],
			       *acc = &shipped[4];
	assert_int_equal(case_rule_length(c, 0, false), 30);
	assert_int_equal(case_rule_length(c, 1, false), 45);
	assert_int_equal(case_rule_length(c, 0, true), 45);
	assert_int_equal(case_rule_length(c, 1, true), 60);
	assert_int_equal(case_rule_length(acc, 1, false), 10);
	assert_int_equal(case_rule_length(acc, 0, true), 7);
	/* no remote-and-complex length: the longer of the two set */
	assert_int_equal(case_rule_length(acc, 2, true), 10);
	assert_true(case_rule_can_extend(den, 0));
	assert_true(case_rule_can_extend(den, 1));
	assert_false(case_rule_can_extend(den, 2));
	assert_false(case_rule_can_extend(c, 0));
	assert_int_equal(case_rule_length(NULL, 0, false), 0);
}

static void test_days_left_and_urgency(void **state)
{
	(void)state;
	const struct case_rule *w = &shipped[0], *cd = &shipped[3];
	static const struct {
		const char *today, *due;
		int left;
		const char *urgency;
	} cases[] = {
		/* Tết 2024 between: only 15/2 is a working day */
		{"2024-02-07", "2024-02-15", 1, "due_soon"},
		{"2024-02-15", "2024-02-15", 0, "due_soon"},
		{"2024-02-16", "2024-02-15", -1, "overdue"},
		{"2024-02-20", "2024-02-15", -3, "overdue"},
		{"2024-02-07", "2024-02-28", 10, "on_track"},
		{"2024-02-07", "2024-02-20", 4, "on_track"},
		{"2024-02-07", "2024-02-19", 3, "due_soon"},
		/* overdue over a weekend is still overdue */
		{"2024-03-02", "2024-03-01", -1, "overdue"},
		/* the demo day, Friday 27/11/2026 */
		{"2026-11-27", "2026-12-02", 3, "due_soon"},
		{"2026-11-27", "2026-12-03", 4, "on_track"},
		{"2026-11-27", "2026-11-25", -2, "overdue"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int left = case_days_left(w, &cal, d(cases[i].today),
					  d(cases[i].due));
		if (left != cases[i].left)
			fail_msg("%s to %s: %d working days left, want %d",
				 cases[i].today, cases[i].due, left,
				 cases[i].left);
		assert_string_equal(
			case_urgency(&cal, d(cases[i].today), d(cases[i].due)),
			cases[i].urgency);
	}
	/* calendar-day rules count calendar days */
	assert_int_equal(
		case_days_left(cd, &cal, d("2024-02-07"), d("2024-02-15")), 8);
	assert_int_equal(
		case_days_left(cd, &cal, d("2024-02-17"), d("2024-02-15")), -2);
}

/* Luật 136/2025/QH15 takes effect 01/07/2026: a rule that ends the day
 * before and a newer one from that day. The figures are the old ones
 * (no new figure is shipped); what is tested is which rule applies. */
static void test_effective_dates(void **state)
{
	(void)state;
	struct case_rule list[] = {
		shipped[2],
		shipped[2],
		shipped[0],
	};
	list[0].effective_to = "2026-07-01";
	list[1].id = 99;
	list[1].effective_from = "2026-07-01";
	list[1].legal_basis = "Luật 136/2025/QH15";
	list[1].days = 12; /* a stand-in, to see the switch in the dates */
	struct case_rules rs = {list, 3};
	const struct case_rule *r =
		case_rule_find(&rs, "complaint", "accept", d("2026-06-30"));
	assert_non_null(r);
	assert_int_equal(r->id, 3);
	r = case_rule_find(&rs, "complaint", "accept", d("2026-07-01"));
	assert_non_null(r);
	assert_int_equal(r->id, 99);
	/* received Tuesday 30/6: old rule, 10 working days */
	assert_day(case_due(case_rule_find(&rs, "complaint", "accept",
					   d("2026-06-30")),
			    &cal, d("2026-06-30"), 0, false, 0),
		   "2026-07-14", "old rule on its last day");
	assert_day(case_due(case_rule_find(&rs, "complaint", "accept",
					   d("2026-07-01")),
			    &cal, d("2026-07-01"), 0, false, 0),
		   "2026-07-17", "new rule from its first day");
	/* before any rule was in force, and an unknown step */
	assert_null(
		case_rule_find(&rs, "complaint", "accept", d("2012-06-30")));
	assert_null(
		case_rule_find(&rs, "complaint", "classify", d("2026-07-01")));
	/* two open-ended rules: the newer one wins */
	list[0].effective_to = NULL;
	r = case_rule_find(&rs, "complaint", "accept", d("2026-08-01"));
	assert_int_equal(r->id, 99);
	r = case_rule_find(&rs, "complaint", "accept", d("2026-01-01"));
	assert_int_equal(r->id, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_days),
		cmocka_unit_test(test_lengths_and_extensions),
		cmocka_unit_test(test_days_left_and_urgency),
		cmocka_unit_test(test_effective_dates),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
