/* A task's state on a given day, what the lists colour it by and what the
 * urging acts on. Pure: the calendar and "today" are passed in.
 *
 * The rules, first that holds (today = the Vietnam day of clock_now()):
 *   cancelled     status 'cancelled'
 *   done_on_time  status 'done' and done_on <= due_on (or no done_on)
 *   done_late     status 'done' and done_on > due_on
 *   overdue       not done and due_on < today
 *   due_soon      not done and due_on <= the 3rd working day after today
 *                 (a task due today is due soon; holidays do not count)
 *   not_yet       not done and start_on > today
 *   open          the rest: started, with more than 3 working days left
 * The same rules are written as SQL conditions in plan_views_db.c (the
 * ?status= filter and the scorecard's counts): change both together. */
#ifndef PLAN_URGENCY_H
#define PLAN_URGENCY_H
#include <stdbool.h>
#include "../base/calendar.h"

enum { URGENCY_SOON_WORKING_DAYS = 3 };

enum task_state {
	TASK_OPEN,
	TASK_NOT_YET,
	TASK_DUE_SOON,
	TASK_OVERDUE,
	TASK_DONE_ON_TIME,
	TASK_DONE_LATE,
	TASK_CANCELLED,
};
enum { TASK_NSTATES = TASK_CANCELLED + 1 };

/* Today and the last day that is still "due soon", as ISO text too, so the
 * SQL conditions use exactly the dates the rules above use. */
struct urgency {
	struct date today, soon;
	char today_iso[11]; /* "2024-02-07" */
	char soon_iso[11];  /* the 3rd working day after today */
};

void urgency_init(struct urgency *u, const struct calendar *cal,
		  struct date today);

/* status: todo doing done cancelled; dates YYYY-MM-DD (done_on may be NULL
 * or ""). An unparseable due date counts as not due (open). */
enum task_state urgency_state(const struct urgency *u, const char *status,
			      const char *start_on, const char *due_on,
			      const char *done_on);

/* "overdue", "due_soon", ...: the ?status= value and the API's state. */
const char *task_state_key(enum task_state s);
/* false when key names no state. */
bool task_state_from_key(const char *key, enum task_state *out);
/* The word shown next to the colour ("Quá hạn"): never colour alone. */
const char *task_state_label_vi(enum task_state s);
/* The CSS class: "overdue" (red), "due-soon" (amber), "done" (green),
 * "done-late", "open", "not-yet", "cancelled". */
const char *task_state_class(enum task_state s);

/* Calendar days from a to b (b - a); 0 when either is not a date. */
long urgency_days_between(const char *a_iso, const char *b_iso);

#endif
