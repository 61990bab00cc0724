/* A database for one test program: a SQLite file in a temporary
 * directory, or, when QUANTRI_TEST_DB is a postgres:// URL, a new database
 * on that server (so that running every test against one URL leaves each
 * its own rows), dropped at the end. Include once, after cmocka.h. */
#ifndef SCRATCH_DB_H
#define SCRATCH_DB_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "store/db.h"

static char scratch_dir[64], scratch_url[1024], scratch_pg_name[64];
static int scratch_counter;

/* Fills scratch_url with a new, empty database (not migrated). */
static void scratch_open(void)
{
	struct error e = {0};
	const char *pg = getenv("QUANTRI_TEST_DB");
	if (pg && db_url_is_postgres(pg)) {
		const char *slash = strrchr(pg, '/');
		const char *query = strchr(slash, '?');
		snprintf(scratch_pg_name, sizeof scratch_pg_name,
			 "qt_files_%d_%d", (int)getpid(), ++scratch_counter);
		snprintf(scratch_url, sizeof scratch_url, "%.*s/%s%s",
			 (int)(slash - pg), pg, scratch_pg_name,
			 query ? query : "");
		struct db *admin;
		struct arena a;
		arena_init(&a, 1 << 20);
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s",
			 scratch_pg_name);
		if (db_open(&admin, pg, &e) ||
		    db_exec(admin, &a, sql, NULL, 0, NULL, &e))
			fail_msg("%s: %s", pg, e.msg);
		db_close(admin);
		arena_release(&a);
		return;
	}
	snprintf(scratch_dir, sizeof scratch_dir, "/tmp/quantri-files-XXXXXX");
	if (!mkdtemp(scratch_dir))
		fail_msg("mkdtemp failed");
	snprintf(scratch_url, sizeof scratch_url, "%s/test.db", scratch_dir);
}

static void scratch_drop(void)
{
	if (scratch_pg_name[0]) {
		struct db *admin;
		struct error e = {0};
		struct arena a;
		char sql[160];
		arena_init(&a, 1 << 20);
		snprintf(sql, sizeof sql,
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)",
			 scratch_pg_name);
		if (!db_open(&admin, getenv("QUANTRI_TEST_DB"), &e)) {
			db_exec(admin, &a, sql, NULL, 0, NULL, &e);
			db_close(admin);
		}
		arena_release(&a);
		scratch_pg_name[0] = '\0';
	}
	if (scratch_dir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", scratch_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", scratch_dir);
		scratch_dir[0] = '\0';
	}
}

#endif
