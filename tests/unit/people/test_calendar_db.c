/* The calendar in the database: seeded once from data/holidays.csv, edited
 * by an administrator (with audit rows), loaded for working-day clocks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "people/people.h"
#include "base/banned.h"

static char dir[64];
static struct db *db;
static struct arena a;

static int setup(void **state)
{
	struct error e = {0};
	snprintf(dir, sizeof dir, "/tmp/quantri-cal-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", dir);
	arena_init(&a, 64 << 20);
	if (db_open(&db, path, &e) || db_migrate(db, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	char path[128];
	db_close(db);
	arena_release(&a);
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static struct date d(int y, int m, int day)
{
	return (struct date){y, m, day};
}

static void test_seed_load_add(void **state)
{
	struct error e = {0};
	int added;
	assert_int_equal(calendar_db_seed(db, &a, &added, &e), ERR_OK);
	assert_true(added > 30);
	/* Seeding again leaves the administrator's calendar alone. */
	int again;
	assert_int_equal(calendar_db_seed(db, &a, &again, &e), ERR_OK);
	assert_int_equal(again, 0);

	struct calendar c;
	calendar_init(&c);
	assert_int_equal(calendar_db_load(db, &a, &c, &e), ERR_OK);
	assert_int_equal(c.n, added);
	/* Friday 24/01/2025 + 1 working day: Tết 27/01-31/01, so 03/02. */
	struct date r = calendar_add_days(&c, d(2025, 1, 24), 1, true);
	assert_int_equal(r.y, 2025);
	assert_int_equal(r.m, 2);
	assert_int_equal(r.d, 3);
	calendar_release(&c);

	json_t *year;
	assert_int_equal(calendar_db_year(db, &a, 2025, &year, &e), ERR_OK);
	bool tet = false;
	size_t i;
	json_t *day;
	json_array_foreach(year, i, day) tet |=
		strstr(json_string_value(json_object_get(day, "name")),
		       "Tết Nguyên đán") != NULL;
	assert_true(tet);
	json_decref(year);
}

static void test_admin_edits(void **state)
{
	struct error e = {0};
	struct actor who = {3, "vanphong", "127.0.0.1"};
	json_t *errors = json_object();
	/* Monday 03/02/2025 off: the day after 24/01 moves to 04/02. */
	assert_int_equal(calendar_db_set(db, &a, &who, "03/02/2025", "off",
					 "Nghỉ thử", errors, &e),
			 ERR_OK);
	struct calendar c;
	calendar_init(&c);
	assert_int_equal(calendar_db_load(db, &a, &c, &e), ERR_OK);
	struct date r = calendar_add_days(&c, d(2025, 1, 24), 1, true);
	assert_int_equal(r.d, 4);
	calendar_release(&c);
	assert_int_equal(calendar_db_set(db, &a, &who, "2025-02-30", "off", "x",
					 errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "day"));
	assert_int_equal(calendar_db_set(db, &a, &who, "2025-02-10", "holiday",
					 "", errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "kind"));
	assert_non_null(json_object_get(errors, "name"));
	assert_int_equal(calendar_db_remove(db, &a, &who, "2025-02-03", &e),
			 ERR_OK);
	assert_int_equal(calendar_db_remove(db, &a, &who, "2025-02-03", &e),
			 ERR_NOTFOUND);

	struct audit_filter af = {.entity = "calendar",
				  .username = "vanphong",
				  .page = 1,
				  .per_page = 10};
	json_t *rows;
	long long total;
	assert_int_equal(audit_list(db, &a, &af, &rows, &total, &e), ERR_OK);
	assert_int_equal(total, 2);
	json_t *set = json_array_get(rows, 1), *rm = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(set, "action")),
			    "calendar.set");
	assert_true(json_is_null(json_object_get(set, "before")));
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(set, "after"), "name")),
			    "Nghỉ thử");
	assert_string_equal(json_string_value(json_object_get(rm, "action")),
			    "calendar.remove");
	assert_true(json_is_null(json_object_get(rm, "after")));
	json_decref(rows);
	json_decref(errors);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_load_add),
		cmocka_unit_test(test_admin_edits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
