/* Open311 GeoReport v2 (open311_http.c) against a real server: discovery,
 * services and a service definition, POST requests anonymously and with
 * an api_key, GET requests with every filter and our pagination, GET one
 * request and a token; errors as [{code, description}] with the HTTP
 * status; .xml answers 400; never a name or phone; times in +07:00. */
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
static char code1[32], secret1[32], code2[32];

static int setup(void **state)
{
	(void)state;
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0",
					  "QUANTRI_VOICE_SUBMIT_PER_10MIN=100",
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

static json_t *get_json(struct client *c, const char *path, long want,
			struct reply *keep)
{
	struct reply r;
	assert_int_equal(client_get(c, path, &r), 0);
	if (r.status != want)
		fail_msg("GET %s: %ld %s", path, r.status, r.body);
	assert_non_null(strstr(r.content_type, "application/json"));
	json_t *j = reply_json(&r);
	assert_non_null(j);
	if (keep)
		*keep = r;
	else
		reply_release(&r);
	return j;
}

static long post_form(struct client *c, const char *body, struct reply *r)
{
	assert_int_equal(client_request(c, "POST", "/open311/v2/requests.json",
					"application/x-www-form-urlencoded",
					body, strlen(body), r),
			 0);
	return r->status;
}

/* An error reply: [{code, description}] with code the HTTP status. */
static void expect_error(const struct reply *r, long status)
{
	if (r->status != status)
		fail_msg("want %ld, got %ld %s", status, r->status, r->body);
	json_t *j = reply_json(r);
	assert_true(json_is_array(j));
	json_t *e = json_array_get(j, 0);
	assert_int_equal(json_integer_value(json_object_get(e, "code")),
			 status);
	assert_true(strlen(json_string_value(
			    json_object_get(e, "description"))) > 0);
	json_decref(j);
}

static void test_discovery_services(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	json_t *d = get_json(&c, "/open311/v2/discovery.json", 200, NULL);
	json_t *ep = json_array_get(json_object_get(d, "endpoints"), 0);
	assert_string_equal(
		json_string_value(json_object_get(ep, "specification")),
		"http://wiki.open311.org/GeoReport_v2");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(ep, "formats"), 0)),
			    "application/json");
	json_decref(d);

	json_t *s = get_json(&c, "/open311/v2/services.json", 200, NULL);
	assert_int_equal(json_array_size(s), 11);
	size_t i;
	json_t *x;
	bool found = false;
	json_array_foreach(s, i, x)
	{
		assert_non_null(
			json_string_value(json_object_get(x, "service_code")));
		assert_true(json_is_false(json_object_get(x, "metadata")));
		assert_string_equal(
			json_string_value(json_object_get(x, "type")),
			"realtime");
		assert_true(strlen(json_string_value(
				    json_object_get(x, "group"))) > 0);
		if (!strcmp(json_string_value(
				    json_object_get(x, "service_code")),
			    "moi_truong")) {
			found = true;
			assert_string_equal(
				json_string_value(json_object_get(x, "group")),
				"Quản trị môi trường");
			assert_string_equal(json_string_value(json_object_get(
						    x, "service_name")),
					    "Môi trường, rác thải, ô nhiễm");
		}
	}
	assert_true(found);
	json_decref(s);

	json_t *def =
		get_json(&c, "/open311/v2/services/ha_tang.json", 200, NULL);
	assert_string_equal(
		json_string_value(json_object_get(def, "service_code")),
		"ha_tang");
	assert_true(json_is_array(json_object_get(def, "attributes")));
	json_decref(def);

	struct reply r;
	assert_int_equal(
		client_get(&c, "/open311/v2/services/khong_co.json", &r), 0);
	expect_error(&r, 404);
	reply_release(&r);
	assert_int_equal(client_get(&c, "/open311/v2/services.xml", &r), 0);
	expect_error(&r, 400);
	assert_non_null(strstr(r.body, "json only"));
	reply_release(&r);
	assert_int_equal(client_get(&c, "/open311/v2/services/ha_tang.xml", &r),
			 0);
	expect_error(&r, 400);
	reply_release(&r);
	client_release(&c);
}

static const char *desc =
	"%C4%90%C3%A8n+%C4%91%C6%B0%E1%BB%9Dng+th%C3%B4n+%C4%90%C3%B4ng+"
	"h%E1%BB%8Fng+c%E1%BA%A3+tu%E1%BA%A7n";

static void test_post(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	struct reply r;
	char body[1024];
	snprintf(body, sizeof body,
		 "service_code=ha_tang&lat=20.9101&long=106.0502&description=%s"
		 "&first_name=Nguy%%E1%%BB%%85n&last_name=An&phone=0987654321&"
		 "email=an%%40example.vn&media_url=http%%3A%%2F%%2Fx.invalid%%"
		 "2Fa"
		 ".jpg",
		 desc);
	assert_int_equal(post_form(&c, body, &r), 201);
	json_t *j = reply_json(&r);
	json_t *x = json_array_get(j, 0);
	snprintf(code1, sizeof code1, "%s",
		 json_string_value(json_object_get(x, "service_request_id")));
	assert_int_equal(strlen(code1), 10);
	assert_string_equal(json_string_value(json_object_get(x, "token")),
			    code1);
	const char *notice =
		json_string_value(json_object_get(x, "service_notice"));
	assert_non_null(strstr(notice, code1));
	snprintf(secret1, sizeof secret1, "%s",
		 json_string_value(json_object_get(x, "secret")));
	assert_non_null(strstr(notice, secret1));
	json_decref(j);
	reply_release(&r);

	/* the citizen's tracking page takes the code and secret */
	json_t *tb = json_pack("{s:s, s:s}", "code", code1, "secret", secret1);
	assert_int_equal(client_get(&c, "/citizen/track", &r), 0);
	reply_release(&r);
	assert_int_equal(client_post_json(&c, "/api/citizen/track", tb, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Đèn đường"));
	assert_non_null(strstr(r.body, "\"channel\":\"open311\""));
	reply_release(&r);
	json_decref(tb);

	/* an address instead of coordinates */
	snprintf(body, sizeof body,
		 "service_code=moi_truong&address_string=Th%%C3%%B4n+%%C4%%90%%"
		 "C3%%B4ng&description=R%%C3%%A1c+th%%E1%%BA%%A3i+%%C4%%91%%E1"
		 "%%BB%%95+b%%E1%%BB%%ABa+b%%C3%%A3i+ven+%%C4%%91%%C6%%B0%%E1%%"
		 "BB%%9Dng");
	assert_int_equal(post_form(&c, body, &r), 201);
	j = reply_json(&r);
	snprintf(code2, sizeof code2, "%s",
		 json_string_value(json_object_get(json_array_get(j, 0),
						   "service_request_id")));
	json_decref(j);
	reply_release(&r);

	/* errors */
	snprintf(body, sizeof body, "lat=20.9&long=106.1&description=%s", desc);
	assert_int_equal(post_form(&c, body, &r), 400);
	expect_error(&r, 400);
	reply_release(&r);
	snprintf(body, sizeof body,
		 "service_code=khong_co&lat=20.9&long=106.1&description=%s",
		 desc);
	post_form(&c, body, &r);
	expect_error(&r, 404);
	reply_release(&r);
	snprintf(body, sizeof body, "service_code=ha_tang&description=%s",
		 desc);
	post_form(&c, body, &r);
	expect_error(&r, 400);
	assert_non_null(strstr(r.body, "location"));
	reply_release(&r);
	snprintf(body, sizeof body,
		 "service_code=ha_tang&lat=200&long=106.1&description=%s",
		 desc);
	post_form(&c, body, &r);
	expect_error(&r, 400);
	reply_release(&r);
	post_form(&c, "service_code=ha_tang&lat=20.9&long=106.1&description=ng",
		  &r);
	expect_error(&r, 400);
	assert_non_null(strstr(r.body, "description"));
	reply_release(&r);
	snprintf(body, sizeof body,
		 "api_key=sai&service_code=ha_tang&lat=20.9&long=106.1&"
		 "description=%s",
		 desc);
	post_form(&c, body, &r);
	expect_error(&r, 403);
	reply_release(&r);
	snprintf(body, sizeof body,
		 "service_code=ha_tang&lat=20.9&long=106.1&description=%s",
		 desc);
	assert_int_equal(client_request(&c, "POST", "/open311/v2/requests.xml",
					"application/x-www-form-urlencoded",
					body, strlen(body), &r),
			 0);
	expect_error(&r, 400);
	reply_release(&r);
	client_release(&c);
}

static void test_post_api_key(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "vanphong", DEMO_PASSWORD), 303);
	json_t *b = json_pack("{s:s}", "name", "open311 test");
	assert_int_equal(client_post_json(&c, "/api/account/tokens", b, &r), 0);
	json_decref(b);
	json_t *j = reply_json(&r);
	char token[128];
	snprintf(token, sizeof token, "%s",
		 json_string_value(json_object_get(j, "token")));
	json_decref(j);
	reply_release(&r);
	client_release(&c);

	/* a fresh client, no cookies: the key alone */
	client_init(&c, &srv);
	char body[1024];
	snprintf(body, sizeof body,
		 "api_key=%s&service_code=an_ninh&lat=20.91&long=106.05&"
		 "description=%s",
		 token, desc);
	assert_int_equal(post_form(&c, body, &r), 201);
	reply_release(&r);
	client_release(&c);
}

static void no_identity(const char *body)
{
	assert_null(strstr(body, "0987654321"));
	assert_null(strstr(body, "Nguyễn"));
	assert_null(strstr(body, "example.vn"));
	assert_null(strstr(body, "secret"));
}

static void test_get(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	char path[256];
	struct reply r;
	snprintf(path, sizeof path, "/open311/v2/requests/%s.json", code1);
	json_t *j = get_json(&c, path, 200, &r);
	no_identity(r.body);
	reply_release(&r);
	json_t *x = json_array_get(j, 0);
	assert_string_equal(
		json_string_value(json_object_get(x, "service_request_id")),
		code1);
	assert_string_equal(json_string_value(json_object_get(x, "status")),
			    "open");
	assert_string_equal(
		json_string_value(json_object_get(x, "service_code")),
		"ha_tang");
	const char *t =
		json_string_value(json_object_get(x, "requested_datetime"));
	assert_int_equal(strlen(t), 25);
	assert_string_equal(t + 19, "+07:00");
	assert_non_null(json_object_get(x, "updated_datetime"));
	assert_true(json_number_value(json_object_get(x, "lat")) > 20.9 &&
		    json_number_value(json_object_get(x, "lat")) < 20.92);
	assert_true(json_number_value(json_object_get(x, "long")) > 106.05 &&
		    json_number_value(json_object_get(x, "long")) < 106.06);
	/* not published: status in words, no text */
	assert_string_equal(
		json_string_value(json_object_get(x, "status_notes")),
		"Đã tiếp nhận");
	assert_string_equal(
		json_string_value(json_object_get(x, "description")), "");
	json_decref(j);

	snprintf(path, sizeof path, "/open311/v2/tokens/%s.json", code1);
	j = get_json(&c, path, 200, NULL);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(j, 0),
						  "service_request_id")),
		code1);
	json_decref(j);

	assert_int_equal(
		client_get(&c, "/open311/v2/requests/PAZZZZZZZZ.json", &r), 0);
	expect_error(&r, 404);
	reply_release(&r);
	assert_int_equal(
		client_get(&c, "/open311/v2/tokens/PAZZZZZZZZ.json", &r), 0);
	expect_error(&r, 404);
	reply_release(&r);
	snprintf(path, sizeof path, "/open311/v2/requests/%s.xml", code1);
	assert_int_equal(client_get(&c, path, &r), 0);
	expect_error(&r, 400);
	reply_release(&r);
	client_release(&c);
}

static size_t count(struct client *c, const char *query, long long *total)
{
	char path[512];
	snprintf(path, sizeof path, "/open311/v2/requests.json%s", query);
	struct reply r;
	json_t *j = get_json(c, path, 200, &r);
	no_identity(r.body);
	char buf[32];
	const char *n = reply_header(&r, "X-Total-Count", buf, sizeof buf);
	assert_non_null(n);
	if (total)
		*total = strtoll(n, NULL, 10);
	reply_release(&r);
	size_t k = json_array_size(j);
	json_decref(j);
	return k;
}

static void test_list_filters(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	long long total;
	size_t n = count(&c, "", &total);
	assert_true(n >= 3 && (long long)n == total);
	char q[256];
	snprintf(q, sizeof q, "?service_request_id=%s,%s", code1, code2);
	assert_int_equal(count(&c, q, NULL), 2);
	snprintf(q, sizeof q, "?service_request_id=%s&service_code=ha_tang",
		 code1);
	assert_int_equal(count(&c, q, NULL), 1);
	snprintf(q, sizeof q, "?service_request_id=%s&service_code=moi_truong",
		 code1);
	assert_int_equal(count(&c, q, NULL), 0);
	assert_true(count(&c, "?service_code=moi_truong", NULL) >= 1);
	assert_true(count(&c, "?status=open", NULL) >= 3);
	snprintf(q, sizeof q, "?service_request_id=%s&status=closed", code1);
	assert_int_equal(count(&c, q, NULL), 0);
	snprintf(q, sizeof q, "?service_request_id=%s&status=open,closed",
		 code1);
	assert_int_equal(count(&c, q, NULL), 1);
	assert_int_equal(count(&c, "?start_date=2099-01-01T00:00:00Z", NULL),
			 0);
	assert_int_equal(
		count(&c, "?end_date=2000-01-01T00:00:00%2B07:00", NULL), 0);
	assert_true(count(&c,
			  "?start_date=2000-01-01T00:00:00%2B07:00&end_date="
			  "2099-12-31T00:00:00Z",
			  NULL) >= 3);
	/* pagination: page and page_size */
	long long all;
	count(&c, "", &all);
	assert_int_equal(count(&c, "?page_size=1&page=2", &total), 1);
	assert_int_equal(total, all);
	assert_int_equal(count(&c, "?page_size=2&page=1000", NULL), 0);
	struct reply r;
	static const char *bad[] = {"?page_size=500", "?page=0",
				    "?status=bogus", "?start_date=hôm-nay",
				    "?end_date=2026-13-45"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char path[256];
		snprintf(path, sizeof path, "/open311/v2/requests.json%s",
			 bad[i]);
		assert_int_equal(client_get(&c, path, &r), 0);
		expect_error(&r, 400);
		reply_release(&r);
	}
	assert_int_equal(
		client_get(&c,
			   "/open311/v2/requests.json?jurisdiction_id=99999",
			   &r),
		0);
	expect_error(&r, 404);
	reply_release(&r);
	assert_true(count(&c, "?jurisdiction_id=12424", NULL) >= 3);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discovery_services),
		cmocka_unit_test(test_post),
		cmocka_unit_test(test_post_api_key),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_list_filters),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
