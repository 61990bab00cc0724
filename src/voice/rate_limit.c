/* In-memory rate limits (rate_limit.h): an open-addressing table of
 * addresses, each with two fixed windows. When the table is full, the
 * entries whose windows have both ended are dropped; if it is still full
 * (a flood from more addresses than it holds), a new address passes
 * uncounted rather than every newcomer being refused. */
#include "rate_limit.h"
#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../base/clock.h"
#include "../base/config.h"
#include "../base/log.h"
#include "../http/http.h"
#include "../base/banned.h"

enum { SLOTS = 1 << 16 }; /* > 2 * RATE_LIMIT_MAX_ADDRS: short probes */

struct slot {
	char key[48]; /* "" free */
	time_t short_start, day_start;
	int short_n, day_n;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *table; /* SLOTS, allocated on first use */
static int used;

/* The address as counted: IPv6 by its /64. */
static void key_of(const char *addr, char key[48])
{
	unsigned char b[16];
	if (addr && strchr(addr, ':') && inet_pton(AF_INET6, addr, b) == 1) {
		memset(b + 8, 0, 8);
		if (inet_ntop(AF_INET6, b, key, 48))
			return;
	}
	snprintf(key, 48, "%s", addr && *addr ? addr : "-");
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static bool expired(const struct slot *s, time_t now)
{
	return now - s->short_start >= RATE_LIMIT_SHORT_SECONDS &&
	       now - s->day_start >= RATE_LIMIT_DAY_SECONDS;
}

static struct slot *probe(struct slot *t, const char *key)
{
	uint32_t i = hash(key) & (SLOTS - 1);
	while (t[i].key[0] && strcmp(t[i].key, key))
		i = (i + 1) & (SLOTS - 1);
	return &t[i];
}

/* Rebuilds the table without the ended entries. */
static void sweep(time_t now)
{
	struct slot *fresh = calloc(SLOTS, sizeof *fresh);
	if (!fresh)
		return;
	used = 0;
	for (int i = 0; i < SLOTS; i++)
		if (table[i].key[0] && !expired(&table[i], now)) {
			*probe(fresh, table[i].key) = table[i];
			used++;
		}
	free(table);
	table = fresh;
}

/* The address's slot, made when absent; NULL when the table is full. */
static struct slot *find(const char *addr, time_t now, bool make)
{
	char key[48];
	key_of(addr, key);
	if (!table) {
		table = calloc(SLOTS, sizeof *table);
		if (!table)
			return NULL;
	}
	struct slot *s = probe(table, key);
	if (s->key[0] || !make)
		return s->key[0] ? s : NULL;
	if (used >= RATE_LIMIT_MAX_ADDRS) {
		sweep(now);
		if (used >= RATE_LIMIT_MAX_ADDRS) {
			log_warn("rate limit table full", "addresses=%d", used);
			return NULL;
		}
		s = probe(table, key);
	}
	memcpy(s->key, key, sizeof s->key);
	s->short_start = s->day_start = now;
	s->short_n = s->day_n = 0;
	used++;
	return s;
}

bool rate_limit_take(const char *addr, time_t now, int per_10min, int per_day,
		     long *retry_after)
{
	bool ok = true;
	pthread_mutex_lock(&lock);
	struct slot *s = find(addr, now, true);
	if (s) {
		if (now - s->short_start >= RATE_LIMIT_SHORT_SECONDS ||
		    now < s->short_start)
			s->short_start = now, s->short_n = 0;
		if (now - s->day_start >= RATE_LIMIT_DAY_SECONDS ||
		    now < s->day_start)
			s->day_start = now, s->day_n = 0;
		long wait = 0;
		if (s->day_n >= per_day)
			wait = (long)(s->day_start + RATE_LIMIT_DAY_SECONDS -
				      now);
		else if (s->short_n >= per_10min)
			wait = (long)(s->short_start +
				      RATE_LIMIT_SHORT_SECONDS - now);
		if (wait > 0 || s->day_n >= per_day ||
		    s->short_n >= per_10min) {
			ok = false;
			*retry_after = wait > 0 ? wait : 1;
		} else {
			s->short_n++;
			s->day_n++;
		}
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

void rate_limit_give_back(const char *addr, time_t now)
{
	pthread_mutex_lock(&lock);
	struct slot *s = table ? find(addr, now, false) : NULL;
	if (s) {
		if (s->short_n > 0)
			s->short_n--;
		if (s->day_n > 0)
			s->day_n--;
	}
	pthread_mutex_unlock(&lock);
}

bool rate_limit_submission(const char *addr, long *retry_after)
{
	const struct config *cfg = http_config();
	return rate_limit_take(addr, clock_now(), cfg->voice_submit_per_10min,
			       cfg->voice_submit_per_day, retry_after);
}
