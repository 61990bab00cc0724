/* Dates without time zones, and the working-day calendar of Vietnamese civil
 * servants: Monday-Friday, minus the days the government gives off, plus the
 * Saturdays it asks to be worked in exchange. The calendar is data
 * (data/holidays.csv, then the database), never constants in code. */
#ifndef CALENDAR_H
#define CALENDAR_H
#include <stdbool.h>
#include "error.h"

struct date {
	int y, m, d;
};

/* Days since 1970-01-01 (proleptic Gregorian), and back. */
long date_to_days(struct date d);
struct date date_from_days(long n);
int date_weekday(struct date d); /* 1 = Monday .. 7 = Sunday */
bool date_valid(struct date d);  /* year 1..9999, the day exists */
void date_format_iso(struct date d, char buf[11]);    /* "2025-03-05" */
bool date_parse_iso(const char *s, struct date *out); /* exactly YYYY-MM-DD */

struct calendar_day {
	long day;  /* date_to_days */
	char kind; /* 'o' off (a weekday not worked), 'w' make-up working day */
};

struct calendar {
	struct calendar_day *days; /* sorted by day, one entry per day */
	int n, cap;
};

void calendar_init(struct calendar *c);
void calendar_release(struct calendar *c);
/* Marks d as 'o' or 'w', replacing what was there; kind 0 removes the mark. */
enum err calendar_set(struct calendar *c, struct date d, char kind);
/* Reads the data/holidays.csv format (day,kind,name,source; kind off|work)
 * and adds every row with calendar_set. */
enum err calendar_load_csv(struct calendar *c, const char *csv,
			   struct error *e);
/* The mark of d: 'o', 'w', or 0 when unmarked. */
char calendar_kind(const struct calendar *c, struct date d);

/* Monday-Friday unless marked off; a Saturday or Sunday marked 'w' works. */
bool calendar_is_working_day(const struct calendar *c, struct date d);
/* Counting starts the day after `from`: with working, the n-th working day
 * after from (n = 0: from itself); without, from + n calendar days.
 * n must not be negative. */
struct date calendar_add_days(const struct calendar *c, struct date from, int n,
			      bool working);
/* d itself if it is a working day, else the next one (deadline roll-forward). */
struct date calendar_next_working_day(const struct calendar *c, struct date d);

#endif
