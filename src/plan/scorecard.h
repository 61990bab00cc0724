/* Scorecards: per unit and per official, over a period [from, to], how the
 * tasks they lead went, and a score for the plan's "component criterion"
 * (tiêu chí thành phần) of the yearly assessment. Pure: plan_views_db.c
 * counts (in SQL, with the same rules), this file scores.
 *
 * What is counted. The tasks are the leaf tasks (a recurring task counts
 * once per occurrence, a parent with sub-tasks through its sub-tasks) that
 * are not cancelled and whose due date is in the period; a unit's are
 * those it leads (co-operating units answer to the lead unit), an
 * official's those they are responsible for. On the day the scorecard is
 * looked at (today):
 *   on_time   done, done_on <= due_on
 *   late      done, done_on > due_on
 *   overdue   not done and due_on < today
 *   pending   not done and due_on >= today: still in time, not counted
 * counted = on_time + late + overdue (the tasks whose result is known).
 * Explanation requests (yêu cầu giải trình) sent in the period to the unit
 * (for an official: about their tasks); "unanswered" are those without an
 * answer whose answer_due is before today.
 *
 * The score, 0..100, one decimal:
 *   100 x (on_time + 0.5 x late) / counted  -  5 x unanswered, at least 0
 * A late task earns half; an unanswered explanation request costs 5
 * points. No score when counted < the plan's criterion_min_tasks: too few
 * tasks give an unfair score, so the page says why instead. */
#ifndef PLAN_SCORECARD_H
#define PLAN_SCORECARD_H
#include <stdbool.h>
#include "../base/calendar.h"

enum { SCORECARD_PENALTY_UNANSWERED = 5, SCORECARD_MAX_DAYS = 3660 };

struct scorecard_counts {
	int due; /* on_time + late + overdue + pending */
	int on_time, late, overdue, pending;
	int requests;     /* reminders and explanation requests */
	int explanations; /* explanation requests */
	int unanswered;   /* explanation requests past answer_due, no answer */
};

struct scorecard_score {
	bool has;
	double value;            /* 0..100, rounded to one decimal */
	int counted;             /* on_time + late + overdue */
	const char *reason_code; /* "too_few" when !has */
	char reason_vi[160]; /* "Chưa đủ 5 nhiệm vụ đã đến hạn (có 3)" */
};

/* One row of a scorecard table: a unit or an official. */
struct scorecard_row {
	long long key; /* units(id) or users(id) */
	const char *name, *sort_key;
	struct scorecard_counts c;
	struct scorecard_score s;
};

void scorecard_score(const struct scorecard_counts *c, int min_tasks,
		     struct scorecard_score *out);

/* Adds b's counts into a (the totals row). */
void scorecard_add(struct scorecard_counts *a,
		   const struct scorecard_counts *b);

/* A period from the page's ?from=&to= (YYYY-MM-DD or dd/mm/yyyy, either
 * may be empty): from defaults to 1 January of today's year, to to today.
 * The request times (UTC) of the period's Vietnam days are
 * [from_utc, to_utc). false, with the Vietnamese reason in why_vi, when
 * a date is not a date, from > to, or the span exceeds SCORECARD_MAX_DAYS. */
struct scorecard_period {
	char from[11], to[11];         /* YYYY-MM-DD */
	char from_utc[21], to_utc[21]; /* "2024-01-01T17:00:00Z" */
	const char *field;             /* the field at fault: "from", "to" */
};
bool scorecard_period_parse(const char *from, const char *to, struct date today,
			    struct scorecard_period *out, const char **why_vi);

#endif
