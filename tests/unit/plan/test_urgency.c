/* A task's state on a day (plan/urgency.h), with the shipped calendar of
 * 2024-2026: "due soon" counts working days, so Tết 2024 (08/02-14/02)
 * and the 30/4-1/5 swap with its make-up Saturday move it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/embedded.h"
#include "plan/urgency.h"
#include "base/banned.h"

static struct calendar cal;

static struct date D(const char *iso) {
	struct date d;
	if (!date_parse_iso(iso, &d))
		fail_msg("bad date in test: %s", iso);
	return d;
}

static int
load(void **state)
{
	struct error e = {0};
	const struct embedded_file *f = embedded_find("data/holidays.csv");
	assert_non_null(f);
	calendar_init(&cal);
	if (calendar_load_csv(&cal, (const char *)f->data, &e))
		fail_msg("%s", e.msg);
	return 0;
}

static int unload(void **state)
{
	calendar_release(&cal);
	return 0;
}

/* The state of an open task started long ago, due on `due`, seen on
 * `today`. */
static enum task_state open_due(const char *today, const char *due)
{
	struct urgency u;
	urgency_init(&u, &cal, D(today));
	return urgency_state(&u, "doing", "2023-01-01", due, NULL);
}

static void test_soon_across_tet(void **state)
{
	struct urgency u;
	/* Wed 07/02/2024, the last working day before Tết: the 3rd working
	 * day after it is Mon 19/02 (15, 16, 19) */
	urgency_init(&u, &cal, D("2024-02-07"));
	assert_string_equal(u.today_iso, "2024-02-07");
	assert_string_equal(u.soon_iso, "2024-02-19");
	assert_int_equal(open_due("2024-02-07", "2024-02-06"), TASK_OVERDUE);
	assert_int_equal(open_due("2024-02-07", "2024-02-07"), TASK_DUE_SOON);
	assert_int_equal(open_due("2024-02-07", "2024-02-10"), TASK_DUE_SOON);
	assert_int_equal(open_due("2024-02-07", "2024-02-19"), TASK_DUE_SOON);
	assert_int_equal(open_due("2024-02-07", "2024-02-20"), TASK_OPEN);
	/* without Tết, 3 working days after 07/02 would be 12/02 */
	struct calendar plain;
	calendar_init(&plain);
	urgency_init(&u, &plain, D("2024-02-07"));
	assert_string_equal(u.soon_iso, "2024-02-12");
	calendar_release(&plain);
	/* Saturday 10/02/2024 (Tết): counted from it, 15, 16, 19 again */
	urgency_init(&u, &cal, D("2024-02-10"));
	assert_string_equal(u.soon_iso, "2024-02-19");
	/* Friday 16/02: 19, 20, 21 */
	urgency_init(&u, &cal, D("2024-02-16"));
	assert_string_equal(u.soon_iso, "2024-02-21");
	assert_int_equal(open_due("2024-02-16", "2024-02-21"), TASK_DUE_SOON);
	assert_int_equal(open_due("2024-02-16", "2024-02-22"), TASK_OPEN);
	/* a task due on the holiday itself is overdue the day after */
	assert_int_equal(open_due("2024-02-12", "2024-02-09"), TASK_OVERDUE);
}

static void test_soon_make_up_saturday(void **state)
{
	struct urgency u;
	/* Fri 26/04/2024: 29/4, 30/4, 1/5 are off; Thu 2/5, Fri 3/5 and the
	 * make-up Saturday 4/5 are worked */
	urgency_init(&u, &cal, D("2024-04-26"));
	assert_string_equal(u.soon_iso, "2024-05-04");
	assert_int_equal(open_due("2024-04-26", "2024-05-04"), TASK_DUE_SOON);
	assert_int_equal(open_due("2024-04-26", "2024-05-06"), TASK_OPEN);
}

static void test_done_and_cancelled(void **state)
{
	struct urgency u;
	urgency_init(&u, &cal, D("2024-03-01"));
	assert_int_equal(urgency_state(&u, "done", "2024-01-01", "2024-02-20",
				       "2024-02-20"),
			 TASK_DONE_ON_TIME);
	assert_int_equal(urgency_state(&u, "done", "2024-01-01", "2024-02-20",
				       "2024-02-21"),
			 TASK_DONE_LATE);
	/* done early, before the due day came */
	assert_int_equal(urgency_state(&u, "done", "2024-01-01", "2024-12-31",
				       "2024-02-01"),
			 TASK_DONE_ON_TIME);
	/* done without a day recorded: not held against the unit */
	assert_int_equal(
		urgency_state(&u, "done", "2024-01-01", "2024-02-20", NULL),
		TASK_DONE_ON_TIME);
	assert_int_equal(urgency_state(&u, "cancelled", "2024-01-01",
				       "2024-02-20", NULL),
			 TASK_CANCELLED);
	assert_int_equal(
		urgency_state(&u, "todo", "2024-01-01", "2024-02-29", NULL),
		TASK_OVERDUE);
}

static void test_not_yet_and_open(void **state)
{
	struct urgency u;
	urgency_init(&u, &cal, D("2024-03-01"));
	/* starts later, due far off */
	assert_int_equal(
		urgency_state(&u, "todo", "2024-03-10", "2024-06-30", ""),
		TASK_NOT_YET);
	/* starts later but due within 3 working days: due soon wins */
	assert_int_equal(
		urgency_state(&u, "todo", "2024-03-04", "2024-03-05", ""),
		TASK_DUE_SOON);
	/* starts today */
	assert_int_equal(
		urgency_state(&u, "todo", "2024-03-01", "2024-06-30", ""),
		TASK_OPEN);
	/* a row without a due date is not treated as late */
	assert_int_equal(urgency_state(&u, "doing", "2024-01-01", "", NULL),
			 TASK_OPEN);
	assert_int_equal(
		urgency_state(&u, "doing", "2024-01-01", "31/12/2024", NULL),
		TASK_OPEN);
}

static void test_keys_labels_classes(void **state)
{
	for (int s = 0; s < TASK_NSTATES; s++) {
		enum task_state back;
		assert_true(task_state_from_key(task_state_key(s), &back));
		assert_int_equal(back, s);
		assert_true(strlen(task_state_label_vi(s)) > 3);
	}
	enum task_state x;
	assert_false(task_state_from_key("late", &x));
	assert_false(task_state_from_key(NULL, &x));
	assert_string_equal(task_state_class(TASK_OVERDUE), "overdue");
	assert_string_equal(task_state_class(TASK_DUE_SOON), "due-soon");
	assert_string_equal(task_state_class(TASK_DONE_ON_TIME), "done");
	assert_string_equal(task_state_label_vi(TASK_OVERDUE), "Quá hạn");
	assert_string_equal(task_state_label_vi(TASK_DUE_SOON), "Sắp đến hạn");
	assert_int_equal(urgency_days_between("2024-02-07", "2024-03-01"), 23);
	assert_int_equal(urgency_days_between("2024-03-01", "2024-02-07"), -23);
	assert_int_equal(urgency_days_between("x", "2024-02-07"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soon_across_tet),
		cmocka_unit_test(test_soon_make_up_saturday),
		cmocka_unit_test(test_done_and_cancelled),
		cmocka_unit_test(test_not_yet_and_open),
		cmocka_unit_test(test_keys_labels_classes),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
