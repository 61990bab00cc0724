/* The plan's time views, pure: tasks as an SVG Gantt chart (a bar from
 * start to due per task, coloured by its state AND labelled with the state
 * word, month ticks, a line for today, Vietnamese labels, every text
 * escaped), and the month grid of the calendar view. The SVG has its
 * natural width: the page puts it in a box that scrolls sideways, so it
 * fits a phone without shrinking the text to nothing. */
#ifndef PLAN_TIMELINE_H
#define PLAN_TIMELINE_H
#include <stdbool.h>
#include "urgency.h"
#include "../base/arena.h"
#include "../base/calendar.h"

enum { TIMELINE_MAX_BARS = 400, TIMELINE_MAX_DAYS = 3 * 366 };

struct timeline_bar {
	const char *label;             /* the task's title */
	const char *sub;               /* the lead unit, or NULL */
	const char *start_on, *due_on; /* YYYY-MM-DD */
	enum task_state state;
	int progress;     /* 0..100 */
	const char *href; /* the task's page, or NULL */
};

/* The chart of bars[0..n) over [from, to] (YYYY-MM-DD; NULL or "": the
 * bars' own span), widened to whole months and cut to TIMELINE_MAX_DAYS;
 * bars outside it are drawn clipped at its edge. At most
 * TIMELINE_MAX_BARS bars are drawn. NULL when the arena is full. */
char *timeline_svg(struct arena *a, const struct timeline_bar *bars, int n,
		   struct date today, const char *from, const char *to);

/* A month as the calendar page shows it: whole weeks, Monday first. */
struct month_day {
	struct date day;
	bool in_month, working, today;
};
struct month_grid {
	int year, month;
	int nweeks;
	struct month_day days[42];
	char prev[16], next[16];  /* "2024-04", "2024-06" */
	char first[11], last[11]; /* the month's first and last day */
};

/* "2024-05" -> year and month; empty or NULL: today's month. false when
 * not a month between 1900 and 9999. */
bool month_parse(const char *s, struct date today, int *year, int *month);
void month_grid_build(struct month_grid *g, int year, int month,
		      const struct calendar *cal, struct date today);

#endif
