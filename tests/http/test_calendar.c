/* The working-day calendar: `quantri calendar add/show` on the command line
 * (the database's calendar, or the shipped one when there is no database),
 * and the calendar page where an administrator adds and removes days. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

static struct server srv;

static int setup(void **state)
{
	server_start(&srv, NULL);
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* `quantri --db DB calendar ARGS...`: exit status and stdout. */
static int cli(char **out, const char *a1, const char *a2, const char *a3,
	       const char *a4)
{
	return server_cli(&srv, out, "calendar", a1, a2, a3, a4, NULL);
}

static void expect_add(const char *from, const char *n, bool working,
		       const char *want)
{
	char *out = NULL;
	int st = cli(&out, "add", from, n, working ? "--working" : NULL);
	if (st != 0 || !out)
		fail_msg("calendar add %s %s: exit %d", from, n, st);
	char line[32];
	snprintf(line, sizeof line, "%s\n", want);
	if (strcmp(out, line))
		fail_msg("calendar add %s %s%s: got \"%s\", want %s", from, n,
			 working ? " --working" : "", out, want);
	free(out);
}

static void test_cli_add(void **state)
{
	/* Friday before Tết 2025 (27/01-31/01 off): the next working day. */
	expect_add("2025-01-24", "1", true, "2025-02-03");
	/* Counting starts the day after; calendar days ignore holidays. */
	expect_add("2025-01-24", "1", false, "2025-01-25");
	expect_add("2025-01-24", "0", true, "2025-01-24");
	/* 30/4 and 1/5 2025 off, Friday 2/5 too (swapped, made up on 26/4). */
	expect_add("2025-04-29", "1", true, "2025-05-05");
	expect_add("2024-12-31", "365", false, "2025-12-31");
	char *out = NULL;
	assert_int_equal(cli(&out, "add", "2025-02-30", "1", NULL), 2);
	free(out);
	out = NULL;
	assert_int_equal(cli(&out, "add", "2025-01-24", "-3", NULL), 2);
	free(out);
	out = NULL;
	assert_int_equal(cli(&out, "add", "2025-01-24", "1", "--weekly"), 2);
	free(out);
	out = NULL;
	assert_int_equal(cli(&out, "add", "--help", NULL, NULL), 0);
	assert_non_null(strstr(out, "usage: quantri calendar"));
	free(out);
}

static void test_cli_show(void **state)
{
	char *out = NULL;
	assert_int_equal(cli(&out, "show", "2025", NULL, NULL), 0);
	assert_non_null(strstr(out, "29/01/2025"));
	assert_non_null(strstr(out, "Thứ Tư"));
	assert_non_null(strstr(out, "Tết Nguyên đán"));
	assert_non_null(strstr(out, "01/01/2025"));
	free(out);
	out = NULL;
	assert_int_equal(cli(&out, "show", "20x5", NULL, NULL), 2);
	free(out);
}

/* Without a database, the shipped calendar answers. */
static void test_cli_without_database(void **state)
{
	const char *bin = getenv("QUANTRI_BIN");
	if (!bin)
		skip();
	char cmd[1200], out[256] = "";
	snprintf(
		cmd, sizeof cmd,
		"%s --db %s/absent/none.db calendar add 2025-01-24 1 --working",
		bin, srv.dir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = 0;
	int st = pclose(p);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_string_equal(out, "2025-02-03\n");
}

static void login_as(struct client *c, const char *username)
{
	client_init(c, &srv);
	long s = client_login(c, username, DEMO_PASSWORD);
	if (s != 303)
		fail_msg("login as %s: %ld", username, s);
}

static long post_status(struct client *c, const char *path, const char *body)
{
	struct reply r;
	if (client_post(c, path, body, &r))
		fail_msg("POST %s: no reply", path);
	long s = r.status;
	reply_release(&r);
	return s;
}

static void test_page_and_admin_edits(void **state)
{
	struct client c, adm;
	struct reply r;
	login_as(&c, "truongthon");
	if (client_get(&c, "/people/calendar?year=2025", &r))
		fail_msg("no reply");
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Tết Nguyên đán"));
	assert_true(reply_has(&r, "29/01/2025"));
	assert_true(reply_has(&r, "Làm bù"));
	assert_false(reply_has(
		&r, "action=\"/people/calendar\"")); /* no form for them */
	reply_release(&r);
	assert_int_equal(post_status(&c, "/people/calendar",
				     "day=2025-02-03&kind=off&name=x"),
			 403);
	client_release(&c);

	login_as(&adm, "vanphong");
	if (client_get(&adm, "/people/calendar?year=2025", &r))
		fail_msg("no reply");
	assert_true(reply_has(&r, "action=\"/people/calendar\""));
	reply_release(&r);
	/* Bad input: named, nothing changed. */
	if (client_post(&adm, "/people/calendar",
			"day=31/02/2025&kind=off&name=", &r))
		fail_msg("no reply");
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Ngày không hợp lệ"));
	assert_true(reply_has(&r, "Vui lòng ghi lý do"));
	reply_release(&r);
	/* Monday 03/02/2025 off: the CLI, reading the database, moves on. */
	assert_int_equal(post_status(&adm, "/people/calendar",
				     "day=03%2F02%2F2025&kind=off&name=Ngh%E1%"
				     "BB%89+th%E1%BB%AD"),
			 303);
	expect_add("2025-01-24", "1", true, "2025-02-04");
	if (client_get(&adm, "/people/calendar?year=2025", &r))
		fail_msg("no reply");
	assert_true(reply_has(&r, "Nghỉ thử"));
	reply_release(&r);
	assert_int_equal(
		post_status(&adm, "/people/calendar/remove", "day=2025-02-03"),
		303);
	expect_add("2025-01-24", "1", true, "2025-02-03");
	/* The audit log has both. */
	if (client_get(&adm, "/api/people/audit?entity=calendar", &r))
		fail_msg("no reply");
	json_t *j = reply_json(&r);
	reply_release(&r);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 2);
	json_decref(j);
	client_release(&adm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_add),
		cmocka_unit_test(test_cli_show),
		cmocka_unit_test(test_cli_without_database),
		cmocka_unit_test(test_page_and_admin_edits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
