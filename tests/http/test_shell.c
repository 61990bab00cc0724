/* The web shell as a client sees it: health and metrics, error statuses
 * with Vietnamese pages (JSON under /api/), limits, malformed input,
 * CSRF, security headers, static files with ETags. One server for the
 * file, started with a 1024-byte body limit (the smallest allowed). */
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

static int setup(void **state)
{
	static const char *const env[] = {"QUANTRI_MAX_BODY_BYTES=1024",
					  "QUANTRI_TRUST_PROXY=true", NULL};
	server_start(&srv, env);
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

static void get(struct client *c, const char *path, struct reply *r)
{
	if (client_get(c, path, r))
		fail_msg("GET %s: no reply", path);
}

static void test_healthz(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	get(&c, "/healthz", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "ok"));
	reply_release(&r);
	client_release(&c);
}

/* Sum of every sample of one metric (all label sets). */
static double metric_sum(const char *text, const char *name)
{
	double sum = 0;
	size_t nl = strlen(name);
	for (const char *l = text; l && *l;) {
		const char *eol = strchr(l, '\n');
		if (!strncmp(l, name, nl) && (l[nl] == '{' || l[nl] == ' ')) {
			const char *sp = eol ? eol : l + strlen(l);
			while (sp > l && sp[-1] != ' ')
				sp--;
			sum += strtod(sp, NULL);
		}
		l = eol ? eol + 1 : NULL;
	}
	return sum;
}

static void test_metrics(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	get(&c, "/metrics", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/plain"));
	static const char *const series[] = {
		"# TYPE quantri_http_requests_total counter",
		"quantri_http_requests_total{",
		"# TYPE quantri_http_request_duration_seconds histogram",
		"quantri_http_request_duration_seconds_bucket{",
		"quantri_http_request_duration_seconds_sum",
		"quantri_http_request_duration_seconds_count",
		"quantri_db_statements_total",
		"quantri_db_statement_seconds_total",
		"quantri_http_errors_total",
		"process_start_time_seconds",
	};
	for (size_t i = 0; i < sizeof series / sizeof *series; i++)
		if (!reply_has(&r, series[i]))
			fail_msg("/metrics lacks \"%s\":\n%s", series[i],
				 r.body);
	double before = metric_sum(r.body, "quantri_http_requests_total");
	reply_release(&r);

	for (int i = 0; i < 7; i++) {
		get(&c, "/login", &r);
		assert_int_equal(r.status, 200);
		reply_release(&r);
	}
	get(&c, "/metrics", &r);
	double after = metric_sum(r.body, "quantri_http_requests_total");
	/* The 7 logins and the first /metrics itself, at least. */
	if (after - before < 7)
		fail_msg("requests_total went from %.0f to %.0f after 7 "
			 "requests",
			 before, after);
	assert_non_null(strstr(r.body, "/login"));
	reply_release(&r);
	client_release(&c);
}

static void test_not_found(void **state)
{
	struct client c;
	struct reply r;
	char buf[256];
	client_init(&c, &srv);
	get(&c, "/khong-co-trang-nay", &r);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.content_type, "text/html"));
	assert_true(reply_has(&r, "lang=\"vi\""));
	assert_true(reply_has(&r, "Không tìm thấy") ||
		    reply_has(&r, "không tìm thấy") ||
		    reply_has(&r, "không tồn tại"));
	/* Error pages carry the security headers too. */
	assert_non_null(
		reply_header(&r, "Content-Security-Policy", buf, sizeof buf));
	reply_release(&r);

	get(&c, "/api/khong-co-trang-nay", &r);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.content_type, "application/json"));
	json_t *j = reply_json(&r);
	if (!j)
		fail_msg("/api/ 404 is not JSON: %s", r.body);
	assert_true(json_is_string(json_object_get(j, "error")));
	assert_true(json_is_string(json_object_get(j, "message")));
	json_decref(j);
	reply_release(&r);
	client_release(&c);
}

static void test_method_not_allowed(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	/* /logout only takes POST: a GET must not log anyone out. */
	get(&c, "/logout", &r);
	assert_int_equal(r.status, 405);
	assert_true(reply_has(&r, "lang=\"vi\""));
	reply_release(&r);
	/* And a method nobody routes. */
	if (client_request(&c, "DELETE", "/login", NULL, NULL, 0, &r))
		fail_msg("DELETE /login: no reply");
	assert_int_equal(r.status, 405);
	reply_release(&r);
	client_release(&c);
}

static void test_body_too_large(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	get(&c, "/login", &r);
	reply_release(&r);
	size_t n = 5000;
	char *body = malloc(n + 1);
	assert_non_null(body);
	memcpy(body, "username=", 9);
	memset(body + 9, 'a', n - 9);
	body[n] = 0;
	if (client_post(&c, "/login", body, &r))
		fail_msg("POST 5000 bytes: no reply");
	free(body);
	assert_int_equal(r.status, 413);
	assert_true(reply_has(&r, "lang=\"vi\""));
	reply_release(&r);
	/* Just under the limit is read and judged on its content. */
	get(&c, "/login", &r);
	reply_release(&r);
	if (client_post(&c, "/login", "username=chutich&password=sai-mat-khau",
			&r))
		fail_msg("POST small: no reply");
	assert_true(r.status != 413);
	reply_release(&r);
	client_release(&c);
}

static void test_invalid_utf8(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	get(&c, "/login", &r);
	reply_release(&r);
	/* %C3%28: a lead byte followed by a non-continuation byte. */
	if (client_post(&c, "/login", "username=%C3%28&password=demo2026", &r))
		fail_msg("POST: no reply");
	assert_int_equal(r.status, 400);
	assert_true(reply_has(&r, "UTF-8"));
	reply_release(&r);
	/* Overlong encoding of '/' and a lone continuation byte. */
	if (client_post(&c, "/login", "username=%C0%AF&password=%80", &r))
		fail_msg("POST: no reply");
	assert_int_equal(r.status, 400);
	reply_release(&r);
	client_release(&c);
}

static void test_malformed_http(void **state)
{
	char out[4096];
	/* A request line without a target. libmicrohttpd 0.9.75 (Debian 12)
	 * closes such a connection without a word; later versions answer
	 * 400. Either is a refusal; anything else is not. */
	static const char garbage[] = "GARBAGE\r\n\r\n";
	int n = raw_request(&srv, garbage, sizeof garbage - 1, out, sizeof out);
	if (n != 0 && (n < 12 || strncmp(out, "HTTP/1.", 7) ||
		       strncmp(out + 9, "400", 3)))
		fail_msg("malformed request line answered: %.80s", out);
	/* A header line without a colon: 400. */
	static const char badhdr[] = "GET /healthz HTTP/1.1\r\n"
				     "Host: 127.0.0.1\r\n"
				     "this is not a header\r\n\r\n";
	n = raw_request(&srv, badhdr, sizeof badhdr - 1, out, sizeof out);
	if (n < 12 || strncmp(out + 9, "400", 3))
		fail_msg("malformed header answered: %.80s", n > 0 ? out : "");
	/* Not HTTP at all (a TLS ClientHello). */
	static const char binary[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03"
				     "\x03\r\n\r\n";
	n = raw_request(&srv, binary, sizeof binary - 1, out, sizeof out);
	if (n > 0 && strncmp(out + 9, "400", 3))
		fail_msg("binary garbage answered: %.80s", out);

	/* And the server lives on. */
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	get(&c, "/healthz", &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	client_release(&c);
}

static void test_csrf(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	/* Anonymous form without the token: refused before the password is
	 * even looked at. */
	if (client_post(&c, "/login", "username=chutich&password=demo2026", &r))
		fail_msg("POST: no reply");
	assert_int_equal(r.status, 403);
	assert_true(reply_has(&r, "lang=\"vi\""));
	reply_release(&r);

	assert_int_equal(client_login(&c, "chutich", DEMO_PASSWORD), 303);
	char token[sizeof c.csrf];
	memcpy(token, c.csrf, sizeof token);
	assert_true(token[0] != 0);
	/* Logged in: a POST without the token, and with a wrong one, are
	 * refused and the session stays. */
	c.csrf[0] = 0;
	if (client_post(&c, "/logout", "", &r))
		fail_msg("POST: no reply");
	assert_int_equal(r.status, 403);
	assert_true(reply_has(&r, "Phiên làm việc"));
	reply_release(&r);
	if (client_post(&c, "/logout", "csrf_token=0123456789abcdef", &r))
		fail_msg("POST: no reply");
	assert_int_equal(r.status, 403);
	reply_release(&r);
	get(&c, "/", &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	/* The right token works. */
	memcpy(c.csrf, token, sizeof token);
	if (client_post(&c, "/logout", "", &r))
		fail_msg("POST: no reply");
	assert_int_equal(r.status, 303);
	reply_release(&r);
	get(&c, "/", &r);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.location, "/login"));
	reply_release(&r);
	client_release(&c);
}

static void test_security_headers(void **state)
{
	struct client c;
	struct reply r;
	char buf[512];
	client_init(&c, &srv);
	get(&c, "/login", &r);
	assert_int_equal(r.status, 200);
	if (!reply_header(&r, "Content-Security-Policy", buf, sizeof buf))
		fail_msg("no Content-Security-Policy:\n%s", r.headers);
	assert_non_null(strstr(buf, "default-src 'self'"));
	assert_non_null(strstr(buf, "frame-ancestors 'none'"));
	assert_null(strstr(buf, "unsafe-inline"));
	assert_non_null(
		reply_header(&r, "X-Content-Type-Options", buf, sizeof buf));
	assert_string_equal(buf, "nosniff");
	assert_non_null(reply_header(&r, "Referrer-Policy", buf, sizeof buf));
	assert_non_null(reply_header(&r, "Cache-Control", buf, sizeof buf));
	assert_non_null(strstr(buf, "no-store"));
	reply_release(&r);

	/* Session cookie flags after a login. */
	get(&c, "/login", &r);
	reply_release(&r);
	char u[64], body[256];
	snprintf(body, sizeof body, "username=%s&password=%s",
		 form_escape("chutich", u, sizeof u), DEMO_PASSWORD);
	if (client_post(&c, "/login", body, &r))
		fail_msg("POST: no reply");
	assert_int_equal(r.status, 303);
	const char *h = strstr(r.headers, "qt_session=");
	if (!h)
		fail_msg("no qt_session cookie set at login:\n%s", r.headers);
	const char *eol = strchr(h, '\r');
	size_t len = eol ? (size_t)(eol - h) : strlen(h);
	char cookie[512];
	snprintf(cookie, sizeof cookie, "%.*s", (int)len, h);
	assert_non_null(strcasestr(cookie, "HttpOnly"));
	assert_non_null(strcasestr(cookie, "SameSite=Lax"));
	assert_non_null(strcasestr(cookie, "Path=/"));
	reply_release(&r);
	client_release(&c);
}

static void test_login_page_vietnamese(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	get(&c, "/login", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/html"));
	assert_non_null(strstr(r.content_type, "utf-8")
				? strstr(r.content_type, "utf-8")
				: strstr(r.content_type, "UTF-8"));
	assert_true(reply_has(&r, "lang=\"vi\""));
	assert_true(reply_has(&r, "Đăng nhập"));
	assert_true(reply_has(&r, "name=\"csrf_token\""));
	assert_true(c.csrf[0] != 0);
	reply_release(&r);
	/* Anonymous on a page that needs a login: sent to the login page,
	 * with the way back. */
	get(&c, "/people", &r);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.location, "/login"));
	assert_non_null(strstr(r.location, "next="));
	reply_release(&r);
	/* The same under /api/: 401 JSON, no redirect. */
	get(&c, "/api/people", &r);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.content_type, "application/json"));
	reply_release(&r);
	client_release(&c);
}

static void test_static_etag(void **state)
{
	struct client c;
	struct reply r;
	char etag[128], hdr[160], buf[128];
	client_init(&c, &srv);
	get(&c, "/static/app.css", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/css"));
	assert_true(r.len > 100);
	if (!reply_header(&r, "ETag", etag, sizeof etag))
		fail_msg("no ETag on /static/app.css:\n%s", r.headers);
	assert_non_null(reply_header(&r, "Cache-Control", buf, sizeof buf));
	assert_non_null(strstr(buf, "max-age"));
	reply_release(&r);

	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	if (client_get_with(&c, "/static/app.css", hdr, &r))
		fail_msg("GET: no reply");
	assert_int_equal(r.status, 304);
	assert_int_equal(r.len, 0);
	reply_release(&r);

	if (client_get_with(&c, "/static/app.css", "If-None-Match: \"other\"",
			    &r))
		fail_msg("GET: no reply");
	assert_int_equal(r.status, 200);
	reply_release(&r);

	get(&c, "/static/nothing-here.css", &r);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_release(&c);
	/* A path that climbs out of static/ (curl would tidy it: raw). */
	static const char climb[] = "GET /static/../CMakeLists.txt HTTP/1.1\r\n"
				    "Host: 127.0.0.1\r\n"
				    "Connection: close\r\n\r\n";
	char out[2048];
	int n = raw_request(&srv, climb, sizeof climb - 1, out, sizeof out);
	if (n < 12 ||
	    (strncmp(out + 9, "404", 3) && strncmp(out + 9, "400", 3)))
		fail_msg("GET /static/../CMakeLists.txt answered: %.80s", out);
}

/* With trust_proxy, a request that nginx forwards for an outside client
 * (X-Real-IP) is not local: /metrics is refused to it, while the monitoring
 * on the host itself still reads it. */
static void test_trust_proxy(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	if (client_get_with(&c, "/metrics", "X-Real-IP: 203.0.113.7", &r))
		fail_msg("GET /metrics failed");
	if (r.status == 200)
		fail_msg("/metrics served to a proxied outside client");
	reply_release(&r);
	get(&c, "/metrics", &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthz),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_trust_proxy),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_body_too_large),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_malformed_http),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_security_headers),
		cmocka_unit_test(test_login_page_vietnamese),
		cmocka_unit_test(test_static_etag),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
