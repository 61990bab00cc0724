/* Rate limits on what anyone may send without an account (a citizen's
 * online submission, an anonymous Open311 request): per client address,
 * at most per_10min in a window of 10 minutes and per_day in a window of
 * a day, both starting at the address's first submission in them. Kept in
 * memory (a restart forgets them: the limits slow a flood, they are not a
 * record); safe from any thread. An IPv6 address counts by its /64, which
 * one subscriber usually holds whole. */
#ifndef VOICE_RATE_LIMIT_H
#define VOICE_RATE_LIMIT_H
#include <stdbool.h>
#include <time.h>

enum {
	RATE_LIMIT_SHORT_SECONDS = 10 * 60,
	RATE_LIMIT_DAY_SECONDS = 24 * 60 * 60,
	RATE_LIMIT_MAX_ADDRS = 30000, /* addresses remembered at once */
};

/* Counts one submission from addr at now, when both limits allow it:
 * true. Otherwise false, nothing counted, and *retry_after the seconds
 * until the window that is full ends (at least 1). */
bool rate_limit_take(const char *addr, time_t now, int per_10min, int per_day,
		     long *retry_after);
/* Gives back a submission rate_limit_take counted (it was refused as
 * invalid and saved nothing). */
void rate_limit_give_back(const char *addr, time_t now);
/* rate_limit_take at clock_now() with the server's limits (config keys
 * voice_submit_per_10min, voice_submit_per_day). */
bool rate_limit_submission(const char *addr, long *retry_after);

#endif
