#include "clock.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool clock_parse_iso(const char *s, time_t *out)
{
	struct date d;
	char day[11];
	if (!s || strlen(s) < 16)
		return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!date_parse_iso(day, &d) || (s[10] != 'T' && s[10] != ' '))
		return false;
	int h = num(s + 11, 2), m = (s[13] == ':') ? num(s + 14, 2) : -1,
	    sec = 0;
	const char *p = s + 16;
	if (h < 0 || h > 23 || m < 0 || m > 59)
		return false;
	if (*p == ':') {
		sec = num(p + 1, 2);
		if (sec < 0 || sec > 60)
			return false;
		p += 3;
		if (*p == '.' || *p == ',') /* fractions of a second: dropped */
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	long offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		/* +07, +0700, +07:00 (PostgreSQL prints "+00") */
		int sign = *p == '-' ? -1 : 1, oh = num(p + 1, 2), om = 0;
		if (oh < 0 || oh > 14)
			return false;
		p += 3;
		if (*p == ':')
			p++;
		if (*p >= '0' && *p <= '9') {
			om = num(p, 2);
			if (om < 0 || om > 59)
				return false;
			p += 2;
		}
		offset = sign * (oh * 3600L + om * 60L);
	}
	if (*p)
		return false;
	*out = (time_t)(date_to_days(d) * 86400L + h * 3600L + m * 60L + sec -
			offset);
	return true;
}

void clock_format_iso(time_t t, char buf[21])
{
	long days = (long)(t / 86400), secs = (long)(t % 86400);
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	struct date d = date_from_days(days);
	char day[11];
	date_format_iso(d, day);
	snprintf(buf, 21, "%sT%02ld:%02ld:%02ldZ", day, secs / 3600,
		 secs / 60 % 60, secs % 60);
}

time_t clock_now(void)
{
	/* Read every call: a test moves a running server's clock this way. */
	const char *fake = getenv("QUANTRI_NOW");
	time_t t;
	if (fake && *fake && clock_parse_iso(fake, &t))
		return t;
	return time(NULL);
}

char *clock_now_iso(struct arena *a)
{
	char buf[21];
	clock_format_iso(clock_now(), buf);
	return arena_strdup(a, buf);
}

struct date clock_today_vn(void)
{
	time_t t = clock_now() + 7 * 3600;
	long days = (long)(t / 86400) - (t % 86400 < 0);
	return date_from_days(days);
}
