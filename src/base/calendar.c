#include "calendar.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "csv.h"
#include "banned.h"

/* A calendar marks a few dozen days a year; this bounds a runaway import. */
enum { CALENDAR_MAX_DAYS = 100000 };

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables, no time zones. */
long date_to_days(struct date d)
{
	long y = d.y - (d.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (d.m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct date date_from_days(long n)
{
	n += 719468;
	long era = (n >= 0 ? n : n - 146096) / 146097;
	long doe = n - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	struct date d;
	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	return d;
}

int date_weekday(struct date d)
{
	/* 1970-01-01 was a Thursday (4). */
	long n = date_to_days(d);
	long w = ((n % 7) + 7 + 3) % 7; /* 0 = Monday */
	return (int)w + 1;
}

static int days_in_month(int y, int m)
{
	static const int len[] = {31, 28, 31, 30, 31, 30,
				  31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return len[m - 1];
}

bool date_valid(struct date d)
{
	return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
	       d.d <= days_in_month(d.y, d.m);
}

void date_format_iso(struct date d, char buf[11])
{
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000u,
		 (unsigned)d.m % 100u, (unsigned)d.d % 100u);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_parse_iso(const char *s, struct date *out)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	struct date d = {digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)};
	if (!date_valid(d))
		return false;
	*out = d;
	return true;
}

void calendar_init(struct calendar *c)
{
	c->days = NULL;
	c->n = c->cap = 0;
}

void calendar_release(struct calendar *c)
{
	free(c->days);
	calendar_init(c);
}

/* Index of the first entry whose day is >= day. */
static int find(const struct calendar *c, long day)
{
	int lo = 0, hi = c->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (c->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

enum err calendar_set(struct calendar *c, struct date d, char kind)
{
	if (!date_valid(d) || (kind != 'o' && kind != 'w' && kind != 0))
		return ERR_INVALID;
	long day = date_to_days(d);
	int i = find(c, day);
	bool present = i < c->n && c->days[i].day == day;
	if (kind == 0) {
		if (present) {
			memmove(c->days + i, c->days + i + 1,
				(size_t)(c->n - i - 1) * sizeof *c->days);
			c->n--;
		}
		return ERR_OK;
	}
	if (present) {
		c->days[i].kind = kind;
		return ERR_OK;
	}
	if (c->n == c->cap) {
		if (c->cap >= CALENDAR_MAX_DAYS)
			return ERR_NOMEM;
		int cap = c->cap ? c->cap * 2 : 64;
		if (cap > CALENDAR_MAX_DAYS)
			cap = CALENDAR_MAX_DAYS;
		struct calendar_day *p =
			realloc(c->days, (size_t)cap * sizeof *p);
		if (!p)
			return ERR_NOMEM;
		c->days = p;
		c->cap = cap;
	}
	memmove(c->days + i + 1, c->days + i,
		(size_t)(c->n - i) * sizeof *c->days);
	c->days[i].day = day;
	c->days[i].kind = kind;
	c->n++;
	return ERR_OK;
}

char calendar_kind(const struct calendar *c, struct date d)
{
	long day = date_to_days(d);
	int i = find(c, day);
	return i < c->n && c->days[i].day == day ? c->days[i].kind : 0;
}

enum err calendar_load_csv(struct calendar *c, const char *csv, struct error *e)
{
	struct arena a;
	struct csv_table t;
	arena_init(&a, (size_t)CSV_MAX_BYTES * 4);
	enum err err = csv_parse(&a, csv, strlen(csv), &t, e);
	if (err)
		goto out;
	int day_col = csv_col(&t, "day"), kind_col = csv_col(&t, "kind");
	if (day_col < 0 || kind_col < 0) {
		err = error_set(
			e, ERR_INVALID,
			"holidays: the header needs columns day and kind");
		goto out;
	}
	/* Check every row before changing c: a bad file changes nothing. */
	for (int pass = 0; pass < 2; pass++) {
		for (int r = 0; r < t.nrows; r++) {
			const char *ds = csv_get(&t, r, day_col);
			const char *ks = csv_get(&t, r, kind_col);
			struct date d;
			char kind;
			if (!date_parse_iso(ds, &d)) {
				err = error_set(e, ERR_INVALID,
						"holidays line %d: bad day "
						"\"%s\" (expected YYYY-MM-DD)",
						t.lines[r], ds);
				goto out;
			}
			if (!strcmp(ks, "off")) {
				kind = 'o';
			} else if (!strcmp(ks, "work")) {
				kind = 'w';
			} else {
				err = error_set(
					e, ERR_INVALID,
					"holidays line %d: unknown kind \"%s\" "
					"(expected off or work)",
					t.lines[r], ks);
				goto out;
			}
			if (pass == 1) {
				err = calendar_set(c, d, kind);
				if (err) {
					error_set(e, err,
						  "holidays line %d: too many "
						  "days",
						  t.lines[r]);
					goto out;
				}
			}
		}
	}
out:
	arena_release(&a);
	return err;
}

bool calendar_is_working_day(const struct calendar *c, struct date d)
{
	char kind = calendar_kind(c, d);
	if (kind == 'o')
		return false;
	if (kind == 'w')
		return true;
	return date_weekday(d) <= 5;
}

struct date calendar_add_days(const struct calendar *c, struct date from, int n,
			      bool working)
{
	assert(n >= 0);
	long day = date_to_days(from);
	if (!working)
		return date_from_days(day + n);
	while (n > 0) {
		day++;
		if (calendar_is_working_day(c, date_from_days(day)))
			n--;
	}
	return date_from_days(day);
}

struct date calendar_next_working_day(const struct calendar *c, struct date d)
{
	long day = date_to_days(d);
	while (!calendar_is_working_day(c, date_from_days(day)))
		day++;
	return date_from_days(day);
}
