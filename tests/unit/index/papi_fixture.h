/* A fresh migrated database per test for the catalogue and official tests:
 * a SQLite file, or, when QUANTRI_TEST_DB is a postgres:// URL, a new
 * database on that server (dropped afterwards). Include once, from a test
 * file, after cmocka.h. */
#ifndef PAPI_FIXTURE_H
#define PAPI_FIXTURE_H
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/embedded.h"
#include "store/db.h"

struct fixture {
	bool pg;
	char url[1024], pg_name[64];
	struct db *db;
	struct arena a;
};

static char fx_dir[64];
static const char *fx_pg_base;
static struct db *fx_pg_admin;
static int fx_counter;
static bool fx_backend_pg = true, fx_backend_sqlite = false;

static void fx_pg_url(char *out, size_t size, const char *base,
		      const char *name)
{
	const char *host = strstr(base, "://");
	const char *slash = strchr(host + 3, '/');
	const char *query = strchr(host + 3, '?');
	size_t keep = slash   ? (size_t)(slash - base)
		      : query ? (size_t)(query - base)
			      : strlen(base);
	snprintf(out, size, "%.*s/%s%s", (int)keep, base, name,
		 query ? query : "");
}

static void fx_admin(const char *sql)
{
	struct error e = {0};
	if (db_exec(fx_pg_admin, NULL, sql, NULL, 0, NULL, &e))
		fail_msg("%s: %s", sql, e.msg);
}

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error e = {0};
	f->pg = *(bool *)*state;
	fx_counter++;
	if (!f->pg) {
		snprintf(f->url, sizeof f->url, "%s/t%d.db", fx_dir,
			 fx_counter);
	} else {
		char sql[160];
		snprintf(f->pg_name, sizeof f->pg_name, "qt_papi_%d_%d",
			 (int)getpid(), fx_counter);
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s",
			 f->pg_name);
		fx_admin(sql);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pg_name);
		fx_admin(sql);
		fx_pg_url(f->url, sizeof f->url, fx_pg_base, f->pg_name);
	}
	if (db_open(&f->db, f->url, &e) || db_migrate(f->db, &e)) {
		fprintf(stderr, "fixture %s: %s\n", f->url, e.msg);
		free(f);
		return -1;
	}
	arena_init(&f->a, 256 << 20);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	arena_release(&f->a);
	if (f->pg) {
		char sql[160];
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)",
			 f->pg_name);
		fx_admin(sql);
	}
	free(f);
	return 0;
}

static int fx_rm(const char *path, const struct stat *st, int flag,
		 struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Runs the group on SQLite, then on PostgreSQL when QUANTRI_TEST_DB says
 * where one is. */
static int fx_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	snprintf(fx_dir, sizeof fx_dir, "/tmp/quantri-papi-XXXXXX");
	if (!mkdtemp(fx_dir))
		return 1;
	struct CMUnitTest *sq = calloc(n, sizeof *sq),
			  *pg = calloc(n, sizeof *pg);
	for (size_t i = 0; i < n; i++) {
		sq[i] = pg[i] = tests[i];
		sq[i].initial_state = &fx_backend_sqlite;
		pg[i].initial_state = &fx_backend_pg;
	}
	char title[128];
	snprintf(title, sizeof title, "%s on sqlite", name);
	int failed = _cmocka_run_group_tests(title, sq, n, NULL, NULL);
	const char *url = getenv("QUANTRI_TEST_DB");
	if (url && db_url_is_postgres(url)) {
		struct error e = {0};
		fx_pg_base = url;
		if (db_open(&fx_pg_admin, url, &e)) {
			fprintf(stderr, "%s: cannot reach %s: %s\n", name, url,
				e.msg);
			failed++;
		} else {
			snprintf(title, sizeof title, "%s on postgres", name);
			failed += _cmocka_run_group_tests(title, pg, n, NULL,
							  NULL);
			db_close(fx_pg_admin);
		}
	} else {
		printf("%s: PostgreSQL cases skipped (QUANTRI_TEST_DB is not a "
		       "postgres:// URL)\n",
		       name);
	}
	free(sq);
	free(pg);
	nftw(fx_dir, fx_rm, 16, FTW_DEPTH | FTW_PHYS);
	return failed;
}

/* An embedded file as a NUL-terminated copy in the arena. */
static char *fx_file(struct arena *a, const char *path, size_t *len)
{
	const struct embedded_file *ef = embedded_find(path);
	assert_non_null(ef);
	*len = ef->len;
	return arena_strndup(a, (const char *)ef->data, ef->len);
}

/* s with the first occurrence of from replaced by to (must occur). */
static char *fx_replace(struct arena *a, const char *s, const char *from,
			const char *to)
{
	const char *p = strstr(s, from);
	assert_non_null(p);
	return arena_printf(a, "%.*s%s%s", (int)(p - s), s, to,
			    p + strlen(from));
}

#endif
