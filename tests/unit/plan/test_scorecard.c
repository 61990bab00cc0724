/* Scorecard scores and periods (plan/scorecard.h), on hand-counted
 * fixtures: a unit's tasks classified with urgency.h the way the SQL of
 * plan_views_db.c counts them, then scored by the documented rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "plan/scorecard.h"
#include "plan/urgency.h"
#include "base/banned.h"

static struct date D(const char *iso) {
	struct date d;
	if (!date_parse_iso(iso, &d))
		fail_msg("bad date in test: %s", iso);
	return d;
}

struct fixture_task {
	const char *status, *due_on, *done_on;
};

/* The counting rules of scorecard.h over tasks due in [from, to]. */
static void tally(const struct fixture_task *t, int n, const char *from,
		  const char *to, const char *today, struct scorecard_counts *c)
{
	struct calendar cal;
	calendar_init(&cal);
	struct urgency u;
	urgency_init(&u, &cal, D(today));
	memset(c, 0, sizeof *c);
	for (int i = 0; i < n; i++) {
		if (strcmp(t[i].due_on, from) < 0 ||
		    strcmp(t[i].due_on, to) > 0)
			continue;
		enum task_state s = urgency_state(&u, t[i].status, "2024-01-01",
						  t[i].due_on, t[i].done_on);
		if (s == TASK_CANCELLED)
			continue;
		c->due++;
		if (s == TASK_DONE_ON_TIME)
			c->on_time++;
		else if (s == TASK_DONE_LATE)
			c->late++;
		else if (s == TASK_OVERDUE)
			c->overdue++;
		else
			c->pending++;
	}
	calendar_release(&cal);
}

static void test_hand_counted_unit(void **state)
{
	/* Tư pháp's tasks, seen on 15/03/2024, period Q1 2024 */
	static const struct fixture_task tasks[] = {
		{"done", "2024-01-15", "2024-01-10"}, /* on time, early */
		{"done", "2024-01-31", "2024-01-31"}, /* on time, the day */
		{"done", "2024-02-20", "2024-02-21"}, /* late by a day */
		{"done", "2024-02-29", "2024-03-10"}, /* late */
		{"doing", "2024-03-01", NULL},        /* overdue */
		{"todo", "2024-03-14", NULL},         /* overdue since today */
		{"doing", "2024-03-15", NULL},        /* due today: pending */
		{"todo", "2024-03-29", NULL},         /* pending */
		{"done", "2024-03-28", "2024-03-01"}, /* on time, early */
		{"cancelled", "2024-02-01", NULL},    /* not counted */
		{"done", "2023-12-29", "2024-01-05"}, /* outside the period */
		{"doing", "2024-04-01", NULL},        /* outside the period */
	};
	struct scorecard_counts c;
	tally(tasks, sizeof tasks / sizeof *tasks, "2024-01-01", "2024-03-31",
	      "2024-03-15", &c);
	assert_int_equal(c.due, 9);
	assert_int_equal(c.on_time, 3);
	assert_int_equal(c.late, 2);
	assert_int_equal(c.overdue, 2);
	assert_int_equal(c.pending, 2);
	/* 100 x (3 + 0.5 x 2) / 7 = 57,142... -> 57,1 */
	struct scorecard_score s;
	scorecard_score(&c, 5, &s);
	assert_true(s.has);
	assert_int_equal(s.counted, 7);
	assert_true(s.value == 57.1);
	/* one explanation request left unanswered past its day: -5 */
	c.explanations = 2;
	c.unanswered = 1;
	scorecard_score(&c, 5, &s);
	assert_true(s.value == 52.1);
	/* the plan asks for 8 tasks: no score, and why */
	scorecard_score(&c, 8, &s);
	assert_false(s.has);
	assert_string_equal(s.reason_code, "too_few");
	assert_string_equal(s.reason_vi, "Chưa đủ 8 nhiệm vụ đã đến hạn để "
					 "chấm điểm (mới có 7)");
}

static void test_rule_edges(void **state)
{
	struct scorecard_score s;
	/* all on time */
	scorecard_score(&(struct scorecard_counts){.on_time = 5}, 5, &s);
	assert_true(s.has && s.value == 100.0);
	/* a late task earns half: 2 of 3 on time, 1 late -> 83,3 */
	scorecard_score(&(struct scorecard_counts){.on_time = 2, .late = 1}, 1,
			&s);
	assert_true(s.value == 83.3);
	/* two thirds -> 66,7 (half away from zero) */
	scorecard_score(&(struct scorecard_counts){.on_time = 2, .overdue = 1},
			1, &s);
	assert_true(s.value == 66.7);
	/* floored at 0 */
	scorecard_score(
		&(struct scorecard_counts){.overdue = 5, .unanswered = 3}, 5,
		&s);
	assert_true(s.has && s.value == 0.0);
	scorecard_score(
		&(struct scorecard_counts){.on_time = 1, .unanswered = 30}, 1,
		&s);
	assert_true(s.has && s.value == 0.0);
	/* pending tasks do not count either way */
	scorecard_score(&(struct scorecard_counts){.on_time = 4, .pending = 50},
			5, &s);
	assert_false(s.has);
	assert_int_equal(s.counted, 4);
	/* nothing due: no score even with a minimum below 1 */
	scorecard_score(&(struct scorecard_counts){0}, 0, &s);
	assert_false(s.has);
	assert_int_equal(s.counted, 0);
}

static void test_add(void **state)
{
	struct scorecard_counts t = {0};
	scorecard_add(&t, &(struct scorecard_counts){9, 3, 2, 2, 2, 4, 3, 1});
	scorecard_add(&t, &(struct scorecard_counts){1, 1, 0, 0, 0, 1, 0, 0});
	assert_int_equal(t.due, 10);
	assert_int_equal(t.on_time, 4);
	assert_int_equal(t.late, 2);
	assert_int_equal(t.overdue, 2);
	assert_int_equal(t.pending, 2);
	assert_int_equal(t.requests, 5);
	assert_int_equal(t.explanations, 3);
	assert_int_equal(t.unanswered, 1);
}

static void test_period(void **state)
{
	struct scorecard_period p;
	const char *why = NULL;
	assert_true(
		scorecard_period_parse(NULL, "", D("2024-02-07"), &p, &why));
	assert_string_equal(p.from, "2024-01-01");
	assert_string_equal(p.to, "2024-02-07");
	/* Vietnam days as UTC instants: 00:00 on 01/01 is 17:00 on 31/12 */
	assert_string_equal(p.from_utc, "2023-12-31T17:00:00Z");
	assert_string_equal(p.to_utc, "2024-02-07T17:00:00Z");
	assert_true(scorecard_period_parse("01/01/2024", "31/03/2024",
					   D("2024-02-07"), &p, &why));
	assert_string_equal(p.to, "2024-03-31");
	assert_string_equal(p.to_utc, "2024-03-31T17:00:00Z");
	assert_true(scorecard_period_parse("2024-03-01", "2024-03-01",
					   D("2024-02-07"), &p, &why));
	assert_false(scorecard_period_parse("2024-03-02", "2024-03-01",
					    D("2024-02-07"), &p, &why));
	assert_string_equal(p.field, "to");
	assert_string_equal(why, "Ngày kết thúc phải sau ngày bắt đầu.");
	assert_false(scorecard_period_parse("31/02/2024", NULL, D("2024-02-07"),
					    &p, &why));
	assert_string_equal(p.field, "from");
	assert_false(scorecard_period_parse("2010-01-01", "2024-01-01",
					    D("2024-02-07"), &p, &why));
	assert_false(scorecard_period_parse(NULL, "tomorrow", D("2024-02-07"),
					    &p, &why));
	assert_string_equal(p.field, "to");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_counted_unit),
		cmocka_unit_test(test_rule_edges),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_period),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
