/* The settings table (site_name...), read on every page: each thread keeps
 * what it read for a minute, so pages cost no extra statement. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "../base/banned.h"

enum { CACHE_SECONDS = 60, CACHED = 4 };

struct cached_setting {
	char key[32];
	char value[256];
	time_t at;
};
static _Thread_local struct cached_setting cache[CACHED];

const char *settings_get(struct db *db, struct arena *a, const char *key,
			 const char *fallback)
{
	time_t now = time(NULL);
	struct cached_setting *slot = &cache[0];
	for (int i = 0; i < CACHED; i++) {
		if (!strcmp(cache[i].key, key)) {
			if (now - cache[i].at < CACHE_SECONDS)
				return arena_strdup(a, cache[i].value);
			slot = &cache[i];
			break;
		}
		if (cache[i].at < slot->at)
			slot = &cache[i];
	}
	struct db_result *r;
	if (db_exec(db, a, "SELECT value FROM settings WHERE key = $1",
		    DB_PARAMS(key), &r, NULL))
		return fallback;
	const char *v = r->nrows ? db_get(r, 0, "value") : NULL;
	if (!v)
		v = fallback;
	if (strlen(key) < sizeof slot->key && strlen(v) < sizeof slot->value) {
		snprintf(slot->key, sizeof slot->key, "%s", key);
		snprintf(slot->value, sizeof slot->value, "%s", v);
		slot->at = now;
	}
	return v;
}
