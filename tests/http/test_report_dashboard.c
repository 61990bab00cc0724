/* The dashboards (report/) through a real `quantri serve` on the demo
 * database with its survey round: who sees which dashboard (403 with a
 * Vietnamese message otherwise, the upper level sent to its province
 * view), the figures on the /api twin equal the capabilities' own APIs,
 * every link of the plan's overdue tasks and of the cases leads to a list
 * of exactly that many rows, the province table sorts by any column, and
 * a commune without a survey, an empty period and a wrong date are said
 * in words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

static struct server srv;

#define SPAN "from=2026-01-01&to=2026-11-27"

static int setup(void **state)
{
	(void)state;
	/* the demo's survey round stays: the PAPI part needs estimates */
	static const char *const env[] = {"QUANTRI_NOW=2026-11-27T03:00:00Z",
					  NULL};
	server_start(&srv, env);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

static long long num(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static json_t *at(json_t *o, const char *a, const char *b)
{
	return json_object_get(json_object_get(o, a), b);
}

/* The number of rows of the list a dashboard link leads to: its /api
 * twin's "total" (every list here pages, and says how many in all). */
static long long rows_behind(struct client *c, const char *href)
{
	char path[1024];
	if (!href || href[0] != '/')
		fail_msg("not a link: %s", href ? href : "(null)");
	snprintf(path, sizeof path, "/api%s", href);
	json_t *j = client_get_json(c, path);
	json_t *t = json_object_get(j, "total");
	if (!t)
		t = at(j, "list", "total");
	if (!json_is_integer(t))
		fail_msg("%s: no total", path);
	long long n = (long long)json_integer_value(t);
	json_decref(j);
	return n;
}

static void test_roles(void **state)
{
	(void)state;
	static const char *const commune_users[] = {
		"chutich", "phochutich", "vanphong",   "truongbp", "canbo",
		"mttq",    "bantt",      "truongthon", "dieutra",
	};
	for (size_t i = 0; i < sizeof commune_users / sizeof *commune_users;
	     i++) {
		struct client c;
		struct reply r;
		client_login_demo(&c, &srv, commune_users[i]);
		assert_int_equal(client_get(&c, "/report/dashboard", &r), 0);
		if (r.status != 200 || !reply_has(&r, "Bảng điều hành"))
			fail_msg("%s: dashboard %ld", commune_users[i],
				 r.status);
		reply_release(&r);
		assert_int_equal(client_get(&c, "/report/province", &r), 0);
		if (r.status != 403 || !reply_has(&r, "không có quyền"))
			fail_msg("%s: province %ld", commune_users[i],
				 r.status);
		reply_release(&r);
		client_release(&c);
	}
	/* the upper level starts at the province; a commune user cannot
	 * open another commune */
	struct client up, chair;
	struct reply r;
	client_login_demo(&up, &srv, "tinh");
	assert_int_equal(client_get(&up, "/report/dashboard", &r), 0);
	assert_true(r.status == 302 || r.status == 303);
	assert_string_equal(r.location, "/report/province");
	reply_release(&r);
	json_t *p = client_get_json(&up, "/api/report/province");
	json_t *rows = json_object_get(p, "communes");
	assert_true(json_array_size(rows) >= 100);
	long long other = 0;
	size_t i;
	json_t *x;
	json_array_foreach(
		rows, i,
		x) if (!strstr(json_string_value(json_object_get(x, "name")),
			       "Tiên Tiến")) other = num(x, "id");
	assert_true(other > 0);
	char path[256];
	snprintf(path, sizeof path, "/report/dashboard?commune=%lld", other);
	assert_int_equal(client_get(&up, path, &r), 0);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	client_login_demo(&chair, &srv, "chutich");
	assert_int_equal(client_get(&chair, path, &r), 0);
	assert_int_equal(r.status, 403);
	assert_true(reply_has(&r, "không xem được bảng điều hành của xã này"));
	reply_release(&r);
	snprintf(path, sizeof path, "/api/report/dashboard?commune=%lld",
		 other);
	assert_int_equal(client_get(&chair, path, &r), 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	/* nobody logged in: to the login page */
	struct client anon;
	client_init(&anon, &srv);
	assert_int_equal(client_get(&anon, "/report/dashboard", &r), 0);
	assert_true(r.status == 302 || r.status == 303 || r.status == 401);
	reply_release(&r);
	json_decref(p);
	client_release(&anon);
	client_release(&chair);
	client_release(&up);
}

/* The /api twin's figures equal the capabilities' own APIs. */
static void test_same_figures(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	json_t *d = client_get_json(&c, "/api/report/dashboard?" SPAN);
	long long commune = num(d, "commune_id");
	assert_true(commune > 0);
	char path[512];
	snprintf(path, sizeof path, "/api/voice/stats?commune=%lld&" SPAN,
		 commune);
	json_t *st = client_get_json(&c, path);
	assert_int_equal(num(json_object_get(d, "voice"), "received"),
			 num(st, "total"));
	assert_int_equal(num(json_object_get(d, "voice"), "answered"),
			 num(st, "answered"));
	assert_int_equal(num(json_object_get(d, "voice"), "on_time"),
			 num(st, "on_time"));
	assert_true(num(json_object_get(d, "voice"), "received") > 0);
	snprintf(path, sizeof path, "/api/disclosure?commune=%lld&year=2026",
		 commune);
	json_t *reg = client_get_json(&c, path);
	assert_int_equal(num(json_object_get(d, "disclosure"), "missing"),
			 num(json_object_get(reg, "register"), "missing"));
	assert_int_equal(num(json_object_get(d, "disclosure"), "late"),
			 num(json_object_get(reg, "register"), "due"));
	/* PAPI: the round's own results page */
	long long round = num(json_object_get(d, "papi"), "round_id");
	assert_true(round > 0);
	assert_true(json_is_true(at(d, "papi", "has")));
	json_t *dims = at(d, "papi", "dimensions");
	assert_int_equal(json_array_size(dims), 8);
	snprintf(path, sizeof path, "/api/index/rounds/%lld/results", round);
	json_t *res = client_get_json(&c, path);
	assert_non_null(res);
	json_decref(res);
	json_decref(reg);
	json_decref(st);
	json_decref(d);
	client_release(&c);
}

/* Follow the links: the list behind each figure has that many rows. */
static void test_links_count(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	json_t *d = client_get_json(&c, "/api/report/dashboard?" SPAN);
	json_t *plan = json_object_get(d, "plan"),
	       *voice = json_object_get(d, "voice"),
	       *ov = json_object_get(d, "oversight");
	assert_true(num(plan, "overdue") > 0);
	assert_int_equal(rows_behind(&c, json_string_value(json_object_get(
						 plan, "href_overdue"))),
			 num(plan, "overdue"));
	size_t i;
	json_t *x;
	int units = 0;
	json_array_foreach(json_object_get(plan, "by_unit"), i, x)
	{
		assert_int_equal(
			rows_behind(&c, json_string_value(json_object_get(
						x, "href_overdue"))),
			num(x, "overdue"));
		units++;
	}
	assert_true(units > 0);
	assert_true(num(voice, "received") > 0);
	assert_int_equal(rows_behind(&c, json_string_value(json_object_get(
						 voice, "href"))),
			 num(voice, "received"));
	assert_int_equal(rows_behind(&c, json_string_value(json_object_get(
						 voice, "href_overdue"))),
			 num(voice, "overdue"));
	json_array_foreach(json_object_get(voice, "by_type"), i, x)
	{
		assert_int_equal(
			rows_behind(&c, json_string_value(
						json_object_get(x, "href"))),
			num(x, "received"));
		assert_int_equal(
			rows_behind(&c, json_string_value(json_object_get(
						x, "href_overdue"))),
			num(x, "overdue"));
	}
	assert_int_equal(
		rows_behind(&c, json_string_value(json_object_get(ov, "href"))),
		num(ov, "open_recommendations"));
	/* the page carries the same links */
	struct reply r;
	assert_int_equal(client_get(&c, "/report/dashboard?" SPAN, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "<svg class=\"radar report-radar\""));
	assert_true(reply_has(&r, "/plan/overdue?commune="));
	assert_true(reply_has(&r, "01/01/2026 – 27/11/2026"));
	reply_release(&r);
	json_decref(d);
	client_release(&c);
}

static double score_of(json_t *row, const char *dim)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(row, "dimensions"), i, x)
	{
		if (!strcmp(json_string_value(json_object_get(x, "code")), dim))
			return json_is_number(json_object_get(x, "score"))
				       ? json_number_value(
						 json_object_get(x, "score"))
				       : -1;
	}
	return -1;
}

static void test_province_sorts(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "tinh");
	json_t *p =
		client_get_json(&c, "/api/report/province?sort=D3&dir=desc");
	json_t *rows = json_object_get(p, "communes");
	assert_true(json_array_size(rows) >= 100);
	/* scores highest first, the communes without a score last */
	double prev = 1e9;
	bool none_seen = false;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		double s = score_of(x, "D3");
		if (s < 0) {
			none_seen = true;
			continue;
		}
		assert_false(none_seen);
		assert_true(s <= prev);
		prev = s;
	}
	assert_true(score_of(json_array_get(rows, 0), "D3") > 0);
	assert_string_equal(json_string_value(json_object_get(p, "sort")),
			    "D3");
	json_decref(p);
	/* a count, lowest first */
	p = client_get_json(
		&c, "/api/report/province?sort=disclosures_missing&dir=asc");
	rows = json_object_get(p, "communes");
	long long last = -1;
	json_array_foreach(rows, i, x)
	{
		assert_true(num(x, "disclosures_missing") >= last);
		last = num(x, "disclosures_missing");
	}
	json_decref(p);
	/* by name, both ways: the reverse order exactly */
	json_t *a =
		client_get_json(&c, "/api/report/province?sort=name&dir=asc");
	json_t *b =
		client_get_json(&c, "/api/report/province?sort=name&dir=desc");
	json_t *ra = json_object_get(a, "communes"),
	       *rb = json_object_get(b, "communes");
	size_t n = json_array_size(ra);
	assert_int_equal(n, json_array_size(rb));
	for (i = 0; i < n; i++)
		assert_int_equal(num(json_array_get(ra, i), "id"),
				 num(json_array_get(rb, n - 1 - i), "id"));
	json_decref(a);
	json_decref(b);
	/* the page: plain links sort, the tier map says what it is */
	struct reply r;
	assert_int_equal(client_get(&c, "/report/province?dim=D5", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "sort=D3&amp;dir=desc"));
	assert_true(reply_has(&r, "không phải bản đồ địa lý"));
	assert_true(reply_has(&r, "Bản đồ nhóm: D5"));
	reply_release(&r);
	client_release(&c);
}

/* No survey, no days, a date that is no date: said in words. */
static void test_said_in_words(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_login_demo(&c, &srv, "tinh");
	json_t *p = client_get_json(&c, "/api/report/province");
	long long bare = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(p, "communes"), i,
			   x) if (!json_is_number(at(x, "total", "score")))
		bare = num(x, "id");
	json_decref(p);
	assert_true(bare > 0);
	char path[256];
	snprintf(path, sizeof path, "/api/report/dashboard?commune=%lld", bare);
	json_t *d = client_get_json(&c, path);
	assert_false(json_is_true(at(d, "papi", "has")));
	const char *note = json_string_value(at(d, "papi", "note"));
	assert_non_null(note);
	assert_non_null(strstr(note, "chưa có kết quả khảo sát"));
	json_decref(d);
	snprintf(path, sizeof path, "/report/dashboard?commune=%lld", bare);
	assert_int_equal(client_get(&c, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "chưa có kết quả khảo sát"));
	assert_false(reply_has(&r, "report-radar"));
	reply_release(&r);
	client_release(&c);

	client_login_demo(&c, &srv, "chutich");
	assert_int_equal(
		client_get(&c,
			   "/report/dashboard?from=01/05/2026&to=01/04/2026",
			   &r),
		0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Kỳ đã chọn trống"));
	reply_release(&r);
	assert_int_equal(
		client_get(&c, "/report/dashboard?from=32/13/2026", &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Từ ngày không hợp lệ"));
	reply_release(&r);
	/* a period with nothing in it */
	d = client_get_json(
		&c, "/api/report/dashboard?from=2021-01-01&to=2021-01-31");
	assert_int_equal(num(json_object_get(d, "voice"), "received"), 0);
	assert_non_null(json_string_value(at(d, "voice", "note")));
	json_decref(d);
	client_release(&c);
}

/* The dashboard kept between requests follows a recorded change: an
 * overdue task reported done leaves the overdue count and joins the late
 * ones at once, with views_cache on (the server's default). */
static void test_follows_changes(void **state)
{
	(void)state;
	struct client chair, office;
	client_login_demo(&chair, &srv, "chutich");
	client_login_demo(&office, &srv, "vanphong");
	json_t *before = client_get_json(&chair, "/api/report/dashboard?" SPAN);
	json_t *again = client_get_json(&chair, "/api/report/dashboard?" SPAN);
	json_t *plan = json_object_get(before, "plan");
	/* the second view (kept) says the same */
	assert_int_equal(num(json_object_get(again, "plan"), "overdue"),
			 num(plan, "overdue"));
	long long overdue = num(plan, "overdue"), late = num(plan, "done_late");
	long long task = 0;
	size_t i;
	json_t *t;
	json_array_foreach(
		json_object_get(plan, "late"), i,
		t) if (!strcmp(json_string_value(json_object_get(t, "status")),
			       "overdue")) task = num(t, "task_id");
	if (!task || overdue < 1)
		fail_msg("the demo has no overdue task in the period");
	char path[96];
	snprintf(path, sizeof path, "/plan/tasks/%lld", task);
	struct reply r;
	assert_int_equal(client_get(&office, path, &r), 0);
	reply_release(&r);
	snprintf(path, sizeof path, "/plan/tasks/%lld/report", task);
	assert_int_equal(client_post(&office, path,
				     "status=done&progress=100&note=Xong", &r),
			 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	json_t *after = client_get_json(&chair, "/api/report/dashboard?" SPAN);
	assert_int_equal(num(json_object_get(after, "plan"), "overdue"),
			 overdue - 1);
	assert_int_equal(num(json_object_get(after, "plan"), "done_late"),
			 late + 1);
	json_decref(before);
	json_decref(again);
	json_decref(after);
	client_release(&chair);
	client_release(&office);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_same_figures),
		cmocka_unit_test(test_links_count),
		cmocka_unit_test(test_province_sorts),
		cmocka_unit_test(test_said_in_words),
		cmocka_unit_test(test_follows_changes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
