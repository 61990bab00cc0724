/* The one clock of the program. Tests move it with the environment variable
 * QUANTRI_NOW="2026-11-27T08:00:00Z", read at every call, so a server under
 * test can be sent forward in time between requests. */
#ifndef CLOCK_H
#define CLOCK_H
#include <stdbool.h>
#include <time.h>
#include "arena.h"
#include "calendar.h"

time_t clock_now(void);
char *clock_now_iso(struct arena *a); /* "YYYY-MM-DDTHH:MM:SSZ" */
struct date clock_today_vn(void);     /* the date in Vietnam (UTC+7) */
/* Parses "YYYY-MM-DDTHH:MM:SSZ" (also without seconds or Z, and
 * "YYYY-MM-DD HH:MM:SS" as SQL prints it) as UTC. */
bool clock_parse_iso(const char *s, time_t *out);
void clock_format_iso(time_t t, char buf[21]);

#endif
