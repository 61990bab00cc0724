/* The dashboards' figures kept between requests (report.h): under the
 * database's version (the audit log's last id: every recorded change
 * moves it) and today's date, in the views' cache of plan/
 * (plan_views.h), so a dashboard opened again before anything changed
 * costs a lookup instead of a survey's estimates and every capability's
 * counts. views_cache=false (QUANTRI_VIEWS_CACHE=false) keeps nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "../base/clock.h"
#include "../plan/plan_views.h"
#include "../base/banned.h"

/* The figures under key, or those `build` makes, kept. */
static enum err kept(struct db *db, struct arena *a, const char *key,
		     json_t **out, struct error *e,
		     enum err (*build)(struct db *, struct arena *,
				       const void *, json_t **, struct error *),
		     const void *arg)
{
	long long version = 0;
	enum err err =
		pv_cache_on() ? pvdb_version(db, a, &version, e) : ERR_OK;
	if (err)
		return err;
	const char *data;
	size_t len;
	if (version && pv_cache_get(a, key, version, &data, &len)) {
		*out = json_loadb(data, len, 0, NULL);
		if (*out)
			return ERR_OK;
	}
	err = build(db, a, arg, out, e);
	if (err || !version)
		return err;
	char *text = json_dumps(*out, JSON_COMPACT);
	if (text)
		pv_cache_put(key, version, text, strlen(text));
	free(text);
	return ERR_OK;
}

struct commune_args {
	long long commune;
	const char *from, *to;
};

static enum err build_commune(struct db *db, struct arena *a, const void *p,
			      json_t **out, struct error *e)
{
	const struct commune_args *c = p;
	return report_figures(db, a, c->commune, c->from, c->to, out, e);
}

struct province_args {
	const long long *communes;
	int n, year;
};

static enum err build_province(struct db *db, struct arena *a, const void *p,
			       json_t **out, struct error *e)
{
	const struct province_args *c = p;
	return report_province_figures(db, a, c->communes, c->n, c->year, out,
				       e);
}

static const char *today(struct arena *a)
{
	char buf[11];
	date_format_iso(clock_today_vn(), buf);
	return arena_strdup(a, buf);
}

enum err report_figures_kept(struct db *db, struct arena *a,
			     long long commune_id, const char *from,
			     const char *to, json_t **out, struct error *e)
{
	struct commune_args c = {commune_id, from, to};
	const char *key =
		arena_printf(a, "report.figures|%lld|%s|%s|%s", commune_id,
			     from ? from : "", to ? to : "", today(a));
	return kept(db, a, key, out, e, build_commune, &c);
}

enum err report_province_figures_kept(struct db *db, struct arena *a,
				      const long long *communes, int n,
				      int year, json_t **out, struct error *e)
{
	struct province_args c = {communes, n, year};
	/* the communes in the key: two users of different provinces share
	 * nothing */
	char *key = arena_printf(a, "report.province|%d|%s|", year, today(a));
	for (int i = 0; key && i < n; i++)
		key = arena_printf(a, "%s%lld,", key, communes[i]);
	if (!key)
		return error_set(e, ERR_NOMEM,
				 "province figures: out of memory");
	return kept(db, a, key, out, e, build_province, &c);
}
