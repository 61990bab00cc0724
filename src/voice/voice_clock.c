/* The statutory clocks (voice.h): which rule is in force, how long a step
 * lasts, when it is due and how much time is left, on the working-day
 * calendar. Pure: the rules and the calendar come from the caller. */
#include <string.h>
#include "voice.h"
#include "../base/banned.h"

static long day_of(const char *iso, long fallback)
{
	struct date d;
	if (!iso || !date_parse_iso(iso, &d))
		return fallback;
	return date_to_days(d);
}

const struct case_rule *case_rule_find(const struct case_rules *rules,
				       const char *type, const char *step,
				       struct date day)
{
	const struct case_rule *best = NULL;
	long best_from = 0, d = date_to_days(day);
	if (!rules || !type || !step)
		return NULL;
	for (int i = 0; i < rules->n; i++) {
		const struct case_rule *r = &rules->list[i];
		if (strcmp(r->case_type, type) || strcmp(r->step, step))
			continue;
		long from = day_of(r->effective_from, -1000000000L);
		long to = day_of(r->effective_to, 1000000000L);
		/* in force from effective_from until the day before
		 * effective_to; if two overlap, the newer one wins */
		if (from <= d && d < to && (!best || from > best_from)) {
			best = r;
			best_from = from;
		}
	}
	return best;
}

int case_rule_length(const struct case_rule *r, int complexity, bool remote)
{
	if (!r)
		return 0;
	bool complex = complexity > 0;
	if (complex && remote) {
		if (r->days_remote_complex > 0)
			return r->days_remote_complex;
		/* not set: the longer of what is set for each alone */
		int n = r->days_complex > r->days_remote ? r->days_complex
							 : r->days_remote;
		return n > 0 ? n : r->days;
	}
	if (complex && r->days_complex > 0)
		return r->days_complex;
	if (remote && r->days_remote > 0)
		return r->days_remote;
	return r->days;
}

static bool working_unit(const struct case_rule *r)
{
	return !r->day_unit || strcmp(r->day_unit, "calendar");
}

struct date case_due(const struct case_rule *r, const struct calendar *cal,
		     struct date start, int complexity, bool remote,
		     int extension_days_total)
{
	int n = case_rule_length(r, complexity, remote) +
		(extension_days_total > 0 ? extension_days_total : 0);
	if (working_unit(r))
		return calendar_add_days(cal, start, n, true);
	/* calendar days; a due day that is a day off moves to the next
	 * working day (rules.md: an unverified default) */
	return calendar_next_working_day(
		cal, calendar_add_days(cal, start, n, false));
}

/* Working days d with from < d <= to (from <= to). */
static int working_between(const struct calendar *cal, long from, long to)
{
	int n = 0;
	for (long d = from + 1; d <= to; d++)
		if (calendar_is_working_day(cal, date_from_days(d)))
			n++;
	return n;
}

int case_days_left(const struct case_rule *r, const struct calendar *cal,
		   struct date today, struct date due)
{
	long t = date_to_days(today), d = date_to_days(due);
	if (r && !working_unit(r))
		return (int)(d - t);
	if (d >= t)
		return working_between(cal, t, d);
	int n = working_between(cal, d, t);
	return n > 0 ? -n : -1; /* overdue even over a weekend */
}

const char *case_urgency(const struct calendar *cal, struct date today,
			 struct date due)
{
	long t = date_to_days(today), d = date_to_days(due);
	if (d < t)
		return "overdue";
	if (d - t > 3 * CASE_DUE_SOON_DAYS + 14) /* skip counting far days */
		return "on_track";
	return working_between(cal, t, d) <= CASE_DUE_SOON_DAYS ? "due_soon"
								: "on_track";
}

bool case_rule_can_extend(const struct case_rule *r, int n_before)
{
	return r && r->extension_days > 0 && n_before >= 0 &&
	       n_before < r->max_extensions;
}
