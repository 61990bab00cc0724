/* The PAPI index pages on a real server (init --demo loads the catalogue
 * and the official results): the index home, the official table with its
 * groups and ranks, a province against the median province, the catalogue
 * with import (all or nothing), export and copy; permissions; and `quantri
 * papi groups` and `papi official import` on the command line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/embedded.h"
#include "../../src/base/banned.h"

static struct server srv;

static int setup(void **state)
{
	/* without the demo survey round (index/demo_round.h): this test
	 * makes its own rounds and counts on their ids */
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0", NULL};
	server_start(&srv, env);
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

static void get_ok(struct client *c, const char *path, struct reply *r)
{
	if (client_get(c, path, r) || r->status != 200)
		fail_msg("GET %s: %ld", path, r->status);
}

static json_t *get_json(struct client *c, const char *path)
{
	struct reply r;
	get_ok(c, path, &r);
	json_t *j = reply_json(&r);
	if (!j)
		fail_msg("GET %s: not JSON", path);
	reply_release(&r);
	return j;
}

static char *shipped(const char *path)
{
	const struct embedded_file *f = embedded_find(path);
	assert_non_null(f);
	return strndup((const char *)f->data, f->len);
}

/* POST csv=<text> (the paste box of the import forms). */
static long post_csv(struct client *c, const char *path, const char *csv,
		     struct reply *r)
{
	size_t n = strlen(csv) * 3 + 16;
	char *buf = malloc(n), *body = malloc(n + 8);
	snprintf(body, n + 8, "csv=%s", form_escape(csv, buf, n));
	int rc = client_post(c, path, body, r);
	free(buf);
	free(body);
	return rc ? -1 : r->status;
}

static void expect_export_is(struct client *c, const char *want)
{
	struct reply r;
	get_ok(c, "/index/catalogue/2024/export", &r);
	assert_non_null(strstr(r.content_type, "text/csv"));
	assert_int_equal(r.len, strlen(want));
	assert_memory_equal(r.body, want, r.len);
	reply_release(&r);
}

static void test_home_and_official(void **state)
{
	struct client c;
	struct reply r;
	client_login_demo(&c, &srv, "chutich");
	get_ok(&c, "/index", &r);
	assert_true(reply_has(&r, "Danh mục chỉ số"));
	assert_true(reply_has(&r, "105 chỉ số"));
	assert_true(reply_has(&r, "Kết quả PAPI chính thức"));
	assert_true(reply_has(&r, "Đang xây dựng"));
	assert_false(reply_has(&r, "Phân hệ này đang được xây dựng"));
	reply_release(&r);

	get_ok(&c, "/index/official?year=2022", &r);
	assert_true(reply_has(&r, "Kết quả PAPI chính thức 2022"));
	assert_true(reply_has(&r, "/index/official/hung-yen?year=2022"));
	assert_true(reply_has(&r, "tier-g1"));
	assert_true(reply_has(&r, "Tỉnh trung vị"));
	assert_true(reply_has(
		&r, "42,2377")); /* the median total, Vietnamese format */
	reply_release(&r);

	/* Sorted by total, highest first; units without a total last. */
	json_t *j = get_json(&c, "/api/index/official?year=2022&sort=total");
	json_t *rows = json_object_get(j, "rows");
	assert_int_equal(json_array_size(rows), 63);
	json_int_t last = 0;
	for (size_t i = 0; i < 61; i++) {
		json_int_t rank = json_integer_value(
			json_object_get(json_array_get(rows, i), "rank"));
		assert_true(rank >= 1 && rank >= last);
		last = rank;
	}
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(rows, 0), "rank")),
			 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(rows, 61), "rank")),
			 0);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(rows, 62), "rank")),
			 0);
	json_decref(j);
	/* default order: Vietnamese names */
	j = get_json(&c, "/api/index/official?year=2020");
	rows = json_object_get(j, "rows");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(rows, 0), "name")),
			    "An Giang");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(rows, 1), "name")),
			    "Bà Rịa - Vũng Tàu");
	json_decref(j);

	/* A province against the median province, with its change. */
	get_ok(&c, "/index/official/hung-yen?year=2022", &r);
	assert_true(reply_has(&r, "<svg class=\"radar\""));
	assert_true(reply_has(&r, "11/61"));
	assert_true(reply_has(&r, "Tỉnh trung vị 2022"));
	assert_true(reply_has(&r, "Hưng Yên 2020"));
	reply_release(&r);
	j = get_json(&c, "/api/index/official/hung-yen?year=2022");
	assert_int_equal(
		json_integer_value(json_object_get(j, "published_rank")), 11);
	assert_int_equal(
		json_integer_value(json_object_get(j, "previous_year")), 2020);
	json_t *total = json_array_get(json_object_get(j, "lines"), 8);
	assert_int_equal(json_integer_value(json_object_get(total, "group")),
			 1);
	assert_string_equal(json_string_value(json_object_get(total, "change")),
			    "+2,01");
	json_decref(j);
	/* Bắc Giang 2022: no total, no rank, says so */
	get_ok(&c, "/index/official/bac-giang?year=2022", &r);
	assert_true(reply_has(&r, "Không được xếp hạng năm 2022"));
	reply_release(&r);
	assert_int_equal(
		client_get(&c, "/index/official/khong-co-tinh-nay", &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_release(&c);
}

static void test_catalogue(void **state)
{
	struct client c;
	struct reply r;
	char *good = shipped("data/papi/catalogue_2024.csv");
	client_login_demo(&c, &srv, "vanphong");
	get_ok(&c, "/index/catalogue/2024", &r);
	assert_true(reply_has(&r, "Tri thức công dân"));
	assert_true(reply_has(&r, "q1_1_1"));
	assert_true(reply_has(&r, "28 nội dung thành phần, 105 chỉ số"));
	reply_release(&r);
	expect_export_is(&c, good);

	/* A bad row: 422, every problem listed, nothing changed. */
	char *p = strstr(good, "higher_better");
	char *bad = strdup(good);
	memcpy(bad + (p - good), "higher_bettor", 13);
	assert_int_equal(post_csv(&c, "/index/catalogue/import", bad, &r), 422);
	assert_true(reply_has(&r, "Các lỗi trong tệp (1)"));
	assert_true(reply_has(&r, "direction"));
	assert_true(reply_has(&r, "chưa có gì được nhập"));
	reply_release(&r);
	/* the same through the API names the line */
	get_ok(&c, "/index/catalogue", &r);
	reply_release(&r);
	json_t *body = json_pack("{s:s}", "csv", bad);
	assert_int_equal(
		client_post_json(&c, "/api/index/catalogue/import", body, &r),
		0);
	assert_int_equal(r.status, 422);
	json_t *j = reply_json(&r);
	json_t *pr = json_array_get(json_object_get(j, "problems"), 0);
	assert_int_equal(json_integer_value(json_object_get(pr, "line")), 2);
	assert_string_equal(json_string_value(json_object_get(pr, "column")),
			    "direction");
	json_decref(j);
	json_decref(body);
	reply_release(&r);
	/* Not UTF-8 (TCVN3 bytes): refused before anything is read. */
	get_ok(&c, "/index/catalogue", &r);
	reply_release(&r);
	assert_int_equal(client_post(&c, "/index/catalogue/import",
				     "csv=version%0A2024%2CH%B5%0A", &r),
			 0);
	assert_int_equal(r.status, 400);
	reply_release(&r);
	expect_export_is(&c, good);

	/* Importing the good file again: 303 to the version, same content. */
	get_ok(&c, "/index/catalogue", &r);
	reply_release(&r);
	assert_int_equal(post_csv(&c, "/index/catalogue/import", good, &r),
			 303);
	assert_non_null(strstr(r.location, "/index/catalogue/2024"));
	reply_release(&r);
	expect_export_is(&c, good);

	/* Next year's catalogue as a copy. */
	get_ok(&c, "/index/catalogue", &r);
	reply_release(&r);
	assert_int_equal(client_post(&c, "/index/catalogue/copy",
				     "from=2024&to=2025", &r),
			 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	get_ok(&c, "/index/catalogue", &r);
	reply_release(&r);
	assert_int_equal(client_post(&c, "/index/catalogue/copy",
				     "from=2024&to=2025", &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Năm này đã có danh mục."));
	reply_release(&r);
	j = get_json(&c, "/api/index/catalogue");
	assert_int_equal(json_array_size(json_object_get(j, "versions")), 2);
	json_decref(j);
	client_release(&c);
	free(bad);
	free(good);
}

static void test_permissions(void **state)
{
	struct client c;
	struct reply r;
	client_login_demo(&c, &srv, "canbo");
	get_ok(&c, "/index/official", &r);
	assert_false(reply_has(&r, "/index/official/import\""));
	reply_release(&r);
	assert_int_equal(client_get(&c, "/index/official/import", &r), 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(
		post_csv(&c, "/index/official/import", "year\n2020\n", &r),
		403);
	reply_release(&r);
	assert_int_equal(
		post_csv(&c, "/index/catalogue/import", "version\n2024\n", &r),
		403);
	reply_release(&r);
	client_release(&c);
	client_init(&c, &srv);
	assert_int_equal(client_get(&c, "/index/official", &r), 0);
	assert_int_equal(r.status, 303); /* to the login page */
	reply_release(&r);
	client_release(&c);
}

static void test_official_import_and_cli(void **state)
{
	struct client c;
	struct reply r;
	client_login_demo(&c, &srv, "chutich");
	/* a bad file changes nothing */
	get_ok(&c, "/index/official/import", &r);
	reply_release(&r);
	const char *bad = "year,province_vi,d1,d2,d3,d4,d5,d6,d7,d8,total\n"
			  "2022,Hưng Yên,5,5,5,5,5,5,5,5,41\n";
	assert_int_equal(post_csv(&c, "/index/official/import", bad, &r), 422);
	assert_true(reply_has(&r, "Tổng điểm khác tổng của 8 lĩnh vực."));
	reply_release(&r);
	json_t *j = get_json(&c, "/api/index/official?year=2022");
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 63);
	json_decref(j);
	/* a good one replaces the year it holds */
	get_ok(&c, "/index/official/import", &r);
	reply_release(&r);
	const char *good =
		"year,province_vi,d1,d2,d3,d4,d5,d6,d7,d8,total,rank\n"
		"2024,Hưng Yên,5,5,5,5,5,5,5,5,40,1\n"
		"2024,Hà Nam,4,5,5,5,5,5,5,5,39,2\n";
	assert_int_equal(post_csv(&c, "/index/official/import", good, &r), 303);
	assert_non_null(strstr(r.location, "/index/official?year=2024"));
	reply_release(&r);
	j = get_json(&c, "/api/index/official?year=2024");
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 2);
	json_decref(j);
	j = get_json(&c, "/api/index/official?year=2020");
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 63);
	json_decref(j);
	client_release(&c);

	/* the CLI: groups of the shipped file (no database needed) */
	char path[400];
	snprintf(path, sizeof path, "%s/results.csv", srv.dir);
	char *data =
		shipped("data/papi/official_provincial_scores_2020_2022.csv");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
	char *out = NULL;
	assert_int_equal(server_cli(&srv, &out, "papi", "groups", path,
				    "--year", "2022", NULL),
			 0);
	assert_non_null(out);
	assert_true(
		!strncmp(out, "unit,year,measure,score,rank,group\r\n", 36));
	assert_non_null(strstr(out, "Hưng Yên,2022,total,44.183113,11,1\r\n"));
	assert_non_null(strstr(out, "Bắc Giang,2022,total,,,\r\n"));
	assert_non_null(strstr(out, "Bắc Giang,2022,d7,4.2021246,3,1\r\n"));
	free(out);
	out = NULL;
	assert_int_equal(server_cli(&srv, &out, "papi", "groups", path, NULL),
			 2);
	free(out);
	out = NULL;
	assert_int_equal(server_cli(&srv, &out, "papi", "official", "import",
				    path, NULL),
			 0);
	free(out);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_home_and_official),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_official_import_and_cli),
	};
	return cmocka_run_group_tests_name("index pages", tests, setup,
					   teardown);
}
