/* The framework end to end, in one process: a real `serve` on a loopback
 * port over a real SQLite file, driven with libcurl. Test routes stand in
 * for a capability, so this runs without people/. (The fixture rows are
 * inserted with SQL here: test data, not product code.) */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "cli.h"
#include "base/clock.h"
#include "base/config.h"
#include "http/http.h"
#include "base/banned.h"

static char dir[64], dbpath[128], base[64];
static struct config cfg;
static pthread_t server;
static CURL *curl;

/* Test routes */

static enum err t_form(struct request *req, struct response *res)
{
	return res_page(req, res, 200, "errors/error", "Biểu mẫu",
			json_pack("{s:i, s:s, s:s}", "status", 200, "title",
				  "Biểu mẫu", "message", "x"));
}

static enum err t_login(struct request *req, struct response *res)
{
	const char *id = req_param(req, "user_id");
	enum err err = session_start(req, res, id ? strtoll(id, NULL, 10) : 0);
	if (err)
		return err;
	return res_done(req, res, "/t/page", "Đã đăng nhập", NULL);
}

static enum err t_logout(struct request *req, struct response *res)
{
	enum err err = session_end(req, res);
	return err ? err : res_done(req, res, "/t/form", NULL, NULL);
}

static enum err t_page(struct request *req, struct response *res)
{
	return res_page(req, res, 200, "errors/error", "Trang thử",
			json_pack("{s:i, s:s, s:s}", "status", 200, "title",
				  "Trang thử", "message", "Nội dung <thử>"));
}

static enum err t_save(struct request *req, struct response *res)
{
	return res_done(req, res, "/t/page", "Đã lưu “x”.",
			json_pack("{s:i}", "ok", 1));
}

static enum err t_invalid(struct request *req, struct response *res)
{
	return res_invalid(
		req, res, "errors/error", "Sửa lại",
		json_pack("{s:i, s:s}", "status", 422, "title", "Sửa lại"),
		json_pack("{s:s}", "name", "Tên không được để trống."));
}

static enum err t_fail(struct request *req, struct response *res)
{
	return ERR_INTERNAL;
}

static enum err t_item(struct request *req, struct response *res)
{
	return res_json(req, res, 200,
			json_pack("{s:I, s:s}", "id",
				  (json_int_t)req_arg_id(req, 0), "path",
				  req->path));
}

static const struct route test_routes[] = {
	{"GET", "/t/form", t_form, ROLE_PUBLIC, NULL},
	{"POST", "/t/login", t_login, ROLE_PUBLIC, NULL},
	{"POST", "/t/logout", t_logout, ROLE_ANY_USER, NULL},
	{"GET", "/t/page", t_page, ROLE_ANY_USER, "plan"},
	{"POST", "/t/save", t_save, ROLE_ANY_USER, NULL},
	{"POST", "/t/invalid", t_invalid, ROLE_ANY_USER, NULL},
	{"GET", "/t/chair", t_page, ROLE_CHAIR, NULL},
	{"GET", "/t/fail", t_fail, ROLE_PUBLIC, NULL},
	{"GET", "/t/items/{id}", t_item, ROLE_PUBLIC, NULL},
};

/* Fixture: a commune, users 1 (office), 2 (chair, must change password),
 * 3 (disabled), and an API token "tok-123" of user 1. */
static void fixture(void)
{
	struct db *db;
	struct error e = {0};
	struct arena a;
	arena_init(&a, 1 << 20);
	assert_int_equal(db_open(&db, dbpath, &e), ERR_OK);
	assert_int_equal(db_migrate(db, &e), ERR_OK);
	char *hash = http_token_hash(&a, "tok-123");
	const char *sql[] = {
		"INSERT INTO units (id, kind, type_vi, name, full_name, "
		"name_fold, sort_key, created_at, updated_at)"
		" VALUES (1, 'commune', 'Xã', 'Tiên Tiến', 'Xã Tiên Tiến', "
		"'tien tien', '00', 'x', 'x')",
		"INSERT INTO users (id, username, full_name, name_fold, "
		"sort_key, password_hash, active,"
		" must_change_password, created_at, updated_at) VALUES"
		" (1, 'an', 'Nguyễn Văn An', 'nguyen van an', '01', 'x', 1, 0, "
		"'x', 'x'),"
		" (2, 'binh', 'Lê Thị Bình', 'le thi binh', '02', 'x', 1, 1, "
		"'x', 'x'),"
		" (3, 'cuong', 'Trần Cường', 'tran cuong', '03', 'x', 0, 0, "
		"'x', 'x')",
		"INSERT INTO user_roles (user_id, role, unit_id) VALUES (1, "
		"'office', 1), (2, 'chair', 1),"
		" (3, 'chair', 1)",
	};
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
		if (db_exec(db, &a, sql[i], NULL, 0, NULL, &e))
			fail_msg("%s", e.msg);
	if (db_exec(db, &a,
		    "INSERT INTO api_tokens (user_id, name, token_hash, "
		    "created_at)"
		    " VALUES (1, 'test', $1, 'x')",
		    DB_PARAMS(hash), NULL, &e))
		fail_msg("%s", e.msg);
	db_close(db);
	arena_release(&a);
}

static long long count(const char *sql, const char *param)
{
	struct db *db;
	struct error e = {0};
	struct arena a;
	struct db_result *r;
	arena_init(&a, 1 << 20);
	assert_int_equal(db_open(&db, dbpath, &e), ERR_OK);
	enum err err = param ? db_exec(db, &a, sql, DB_PARAMS(param), &r, &e)
			     : db_exec(db, &a, sql, NULL, 0, &r, &e);
	if (err)
		fail_msg("%s", e.msg);
	long long n = db_get_int(r, 0, "n", -1);
	db_close(db);
	arena_release(&a);
	return n;
}

/* HTTP client */

struct reply {
	long status;
	char body[65536];
	size_t len;
	char headers[8192];
	size_t hlen;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t k = size * n;
	if (r->len + k < sizeof r->body) {
		memcpy(r->body + r->len, p, k);
		r->len += k;
		r->body[r->len] = '\0';
	}
	return k;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t k = size * n;
	if (r->hlen + k < sizeof r->headers) {
		memcpy(r->headers + r->hlen, p, k);
		r->hlen += k;
		r->headers[r->hlen] = '\0';
	}
	return k;
}

static struct reply *request(const char *method, const char *path,
			     const char *body, const char *header1,
			     const char *header2)
{
	static struct reply r;
	char url[512];
	struct curl_slist *h = NULL;
	memset(&r, 0, sizeof r);
	snprintf(url, sizeof url, "%s%s", base, path);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	if (!body)
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	if (header1)
		h = curl_slist_append(h, header1);
	if (header2)
		h = curl_slist_append(h, header2);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r);
	CURLcode rc = curl_easy_perform(curl);
	curl_slist_free_all(h);
	if (rc != CURLE_OK)
		fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
	return &r;
}

static struct reply *get(const char *path)
{
	return request("GET", path, NULL, NULL, NULL);
}

static bool has_header(const struct reply *r, const char *line)
{
	return strcasestr(r->headers, line) != NULL;
}

/* The value of a cookie in curl's jar, "" if none. */
static const char *cookie(const char *name)
{
	static char value[256];
	struct curl_slist *list = NULL, *c;
	value[0] = '\0';
	curl_easy_getinfo(curl, CURLINFO_COOKIELIST, &list);
	for (c = list; c; c = c->next) {
		/* domain, flag, path, secure, expiry, name, value */
		char *f = c->data;
		for (int i = 0; i < 5 && f; i++)
			f = strchr(f, '\t') ? strchr(f, '\t') + 1 : NULL;
		if (!f || strncmp(f, name, strlen(name)) ||
		    f[strlen(name)] != '\t')
			continue;
		snprintf(value, sizeof value, "%s", f + strlen(name) + 1);
	}
	curl_slist_free_all(list);
	return value;
}

/* The csrf_token of the page in r, from its logout form. */
static const char *page_csrf(const struct reply *r)
{
	static char tok[80];
	const char *p = strstr(r->body, "name=\"csrf_token\" value=\"");
	tok[0] = '\0';
	if (p)
		snprintf(tok, sizeof tok, "%.64s", p + 25);
	return tok;
}

static void login(long long user_id)
{
	char body[200];
	/* logged in: the session's token (in the page); else the qt_csrf cookie */
	const char *tok = page_csrf(get("/t/form"));
	snprintf(body, sizeof body, "user_id=%lld&csrf_token=%s", user_id,
		 *tok ? tok : cookie("qt_csrf"));
	struct reply *r = request("POST", "/t/login", body, NULL, NULL);
	assert_int_equal(r->status, 303);
}

/* Server */

static void *serve(void *arg)
{
	static char *argv[] = {"serve", NULL};
	intptr_t rc = http_cli_serve(&cfg, 1, argv);
	return (void *)rc;
}

static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	bind(s, (struct sockaddr *)&a, sizeof a);
	getsockname(s, (struct sockaddr *)&a, &len);
	close(s);
	return ntohs(a.sin_port);
}

static int setup(void **state)
{
	struct error e = {0};
	char port[16];
	snprintf(dir, sizeof dir, "/tmp/quantri-http-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(dbpath, sizeof dbpath, "%s/test.db", dir);
	if (sodium_init() < 0)
		return -1;
	fixture();
	config_defaults(&cfg);
	snprintf(port, sizeof port, "%d", free_port());
	if (config_set(&cfg, "db", dbpath, &e) ||
	    config_set(&cfg, "port", port, &e) ||
	    config_set(&cfg, "max_body_bytes", "4096", &e) ||
	    config_set(&cfg, "threads", "2", &e) ||
	    config_set(&cfg, "log_level", "warn", &e))
		fail_msg("%s", e.msg);
	snprintf(base, sizeof base, "http://127.0.0.1:%d", cfg.port);
	http_register(test_routes,
		      (int)(sizeof test_routes / sizeof *test_routes));
	shell_http_register();
	/* only the server thread takes SIGTERM (it waits for it) */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&server, NULL, serve, NULL))
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	curl = curl_easy_init();
	curl_easy_setopt(curl, CURLOPT_COOKIEFILE, "");
	for (int i = 0; i < 200; i++) {
		char url[128];
		long status = 0;
		snprintf(url, sizeof url, "%s/healthz", base);
		curl_easy_setopt(curl, CURLOPT_URL, url);
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
		if (curl_easy_perform(curl) == CURLE_OK &&
		    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) ==
			    CURLE_OK &&
		    status == 200)
			break;
		usleep(20000);
	}
	curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
	return 0;
}

static int teardown(void **state)
{
	void *rc;
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	pthread_kill(server, SIGTERM);
	pthread_join(server, &rc);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return -1;
	return rc == NULL ? 0 : -1;
}

static void fresh_client(void)
{
	curl_easy_setopt(curl, CURLOPT_COOKIELIST, "ALL");
	unsetenv("QUANTRI_NOW");
}

/* Tests */

static void test_anonymous(void **state)
{
	fresh_client();
	struct reply *r = get("/t/page");
	assert_int_equal(r->status, 303);
	assert_true(has_header(r, "Location: /login?next=/t/page"));
	assert_true(has_header(r, "Set-Cookie: qt_csrf="));
	char first[80];
	snprintf(first, sizeof first, "%s", cookie("qt_csrf"));
	r = get("/t/page?x=1&y=%C3%A1");
	assert_true(has_header(
		r, "Location: /login?next=/t/page%3Fx%3D1%26y%3D%25C3%25A1"));
	r = get("/api/t/page");
	assert_int_equal(r->status, 401);
	assert_non_null(strstr(r->body, "\"error\":\"unauthorized\""));
	r = get("/");
	assert_int_equal(r->status, 303);
	r = get("/t/form");
	assert_int_equal(r->status, 200);
	assert_true(has_header(r, "Content-Security-Policy: default-src "
				  "'self'; img-src 'self' data:;"));
	assert_true(has_header(r, "X-Content-Type-Options: nosniff"));
	assert_true(has_header(r, "Referrer-Policy: same-origin"));
	assert_true(has_header(r, "Cache-Control: no-store"));
	assert_false(
		has_header(r, "Set-Cookie: qt_csrf=")); /* kept, not renewed */
	assert_non_null(strstr(r->body, "<html lang=\"vi\">"));
	assert_int_equal(strlen(cookie("qt_csrf")), 64);
	assert_string_equal(cookie("qt_csrf"), first);
	/* a made-up cookie is replaced */
	fresh_client();
	r = request("GET", "/t/form", NULL, "Cookie: qt_csrf=abc", NULL);
	assert_true(has_header(r, "Set-Cookie: qt_csrf="));
	assert_true(has_header(r, "; Path=/; HttpOnly; SameSite=Lax"));
}

static void test_login_csrf_and_rotation(void **state)
{
	fresh_client();
	get("/t/form");
	/* no token, a wrong one, and the right one */
	struct reply *r = request("POST", "/t/login", "user_id=1", NULL, NULL);
	assert_int_equal(r->status, 403);
	assert_non_null(strstr(r->body,
			       "Phiên làm việc đã hết hạn hoặc biểu mẫu không "
			       "hợp lệ. Vui lòng tải lại trang."));
	char body[200];
	snprintf(body, sizeof body, "user_id=1&csrf_token=%064d", 0);
	assert_int_equal(request("POST", "/t/login", body, NULL, NULL)->status,
			 403);
	assert_int_equal(count("SELECT COUNT(*) AS n FROM sessions", NULL), 0);
	snprintf(body, sizeof body, "user_id=1&csrf_token=%s",
		 cookie("qt_csrf"));
	r = request("POST", "/t/login", body, NULL, NULL);
	assert_int_equal(r->status, 303);
	assert_true(has_header(r, "Location: /t/page"));
	assert_true(has_header(r, "Set-Cookie: qt_session="));
	char first[80];
	snprintf(first, sizeof first, "%s", cookie("qt_session"));
	assert_int_equal(strlen(first), 64);
	/* the database keeps the hash, never the cookie */
	assert_int_equal(
		count("SELECT COUNT(*) AS n FROM sessions WHERE id = $1",
		      first),
		0);
	assert_int_equal(
		count("SELECT COUNT(*) AS n FROM sessions WHERE user_id = 1",
		      NULL),
		1);
	/* the page knows the user, and its token is the session's, not qt_csrf */
	r = get("/t/page");
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(r->body, "Nguyễn Văn An"));
	assert_non_null(strstr(r->body, "Nội dung &lt;thử&gt;"));
	assert_non_null(strstr(r->body, "Đã đăng nhập")); /* the flash */
	assert_string_not_equal(page_csrf(r), cookie("qt_csrf"));
	/* logging in again rotates: a new id, the old row gone */
	snprintf(body, sizeof body, "user_id=1&csrf_token=%s", page_csrf(r));
	assert_int_equal(request("POST", "/t/login", body, NULL, NULL)->status,
			 303);
	assert_string_not_equal(cookie("qt_session"), first);
	assert_int_equal(
		count("SELECT COUNT(*) AS n FROM sessions WHERE user_id = 1",
		      NULL),
		1);
}

static void test_flash_and_forms(void **state)
{
	fresh_client();
	login(1);
	struct reply *r = get("/t/page");
	char tok[80];
	snprintf(tok, sizeof tok, "%s", page_csrf(r));
	assert_int_equal(request("POST", "/t/save", "a=1", NULL, NULL)->status,
			 403);
	char h[120];
	snprintf(h, sizeof h, "X-CSRF-Token: %s", tok);
	r = request("POST", "/t/save", "a=1", h, NULL);
	assert_int_equal(r->status, 303);
	assert_true(has_header(r, "Set-Cookie: qt_flash="));
	r = get("/t/page");
	assert_non_null(strstr(r->body, "Đã lưu “x”."));
	r = get("/t/page");
	assert_null(strstr(r->body, "Đã lưu"));
	/* the form again: 422, the message, the values but no password */
	char body[200];
	snprintf(body, sizeof body,
		 "name=&note=gi%%E1%%BB%%AF+l%%E1%%BA%%A1i&password=secret-pw&"
		 "csrf_token=%s",
		 tok);
	r = request("POST", "/t/invalid", body, NULL, NULL);
	assert_int_equal(r->status, 422);
	assert_null(strstr(r->body, "secret-pw"));
	r = request("POST", "/api/t/invalid", body, NULL, NULL);
	assert_int_equal(r->status, 422);
	assert_non_null(strstr(
		r->body, "\"errors\":{\"name\":\"Tên không được để trống.\"}"));
	/* the same POST as JSON */
	r = request("POST", "/api/t/save", "{\"a\":1}", h,
		    "Content-Type: application/json");
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "{\"ok\":1}");
	/* bad input */
	snprintf(body, sizeof body, "name=%%C3%%28&csrf_token=%s", tok);
	r = request("POST", "/t/save", body, NULL, NULL);
	assert_int_equal(r->status, 400);
	assert_non_null(
		strstr(r->body, "Dữ liệu gửi lên không phải UTF-8 hợp lệ"));
	r = request("POST", "/t/save", "{\"a\":", h,
		    "Content-Type: application/json");
	assert_int_equal(r->status, 400);
	char big[6000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	r = request("POST", "/t/save", big, h, NULL);
	assert_int_equal(r->status, 413);
	assert_non_null(
		strstr(r->body, "Dữ liệu gửi lên quá lớn (tối đa 4096 byte)."));
}

static void test_errors(void **state)
{
	fresh_client();
	login(1);
	struct reply *r = get("/t/chair");
	assert_int_equal(r->status, 403);
	assert_non_null(strstr(r->body, "Không có quyền truy cập"));
	r = get("/api/t/chair");
	assert_int_equal(r->status, 403);
	assert_non_null(strstr(r->body, "\"error\":\"forbidden\""));
	r = get("/no/such/page");
	assert_int_equal(r->status, 404);
	assert_non_null(strstr(r->body, "Không tìm thấy trang"));
	assert_non_null(
		strstr(r->body, "Nguyễn Văn An")); /* still in the layout */
	r = request("DELETE", "/t/page", NULL, NULL, NULL);
	assert_int_equal(r->status, 405);
	assert_true(has_header(r, "Allow: GET"));
	r = get("/t/fail");
	assert_int_equal(r->status, 500);
	assert_non_null(strstr(r->body, "Lỗi hệ thống"));
	r = get("/%FF");
	assert_int_equal(r->status, 400);
	r = get("/api/t/items/42");
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "{\"id\":42,\"path\":\"/t/items/42\"}");
	r = get("/t/items/abc");
	assert_non_null(strstr(r->body, "\"id\":-1"));
}

static void test_must_change_password_and_disabled(void **state)
{
	fresh_client();
	login(2);
	struct reply *r = get("/t/page");
	assert_int_equal(r->status, 303);
	assert_true(has_header(r, "Location: /account/password"));
	assert_int_equal(get("/t/form")->status,
			 200); /* public pages are not held */
	fresh_client();
	get("/t/form");
	char body[200];
	snprintf(body, sizeof body, "user_id=3&csrf_token=%s",
		 cookie("qt_csrf"));
	r = request("POST", "/t/login", body, NULL, NULL);
	assert_int_equal(r->status, 401);
	assert_int_equal(
		count("SELECT COUNT(*) AS n FROM sessions WHERE user_id = 3",
		      NULL),
		0);
}

static void test_idle_timeout_and_logout(void **state)
{
	fresh_client();
	login(1);
	char later[21];
	clock_format_iso(time(NULL) + 29 * 60, later);
	setenv("QUANTRI_NOW", later, 1);
	assert_int_equal(get("/t/page")->status,
			 200); /* 29 minutes idle: alive, touched */
	clock_format_iso(time(NULL) + 58 * 60, later);
	setenv("QUANTRI_NOW", later, 1);
	assert_int_equal(get("/t/page")->status,
			 200); /* 29 more after the touch */
	clock_format_iso(time(NULL) + 89 * 60, later);
	setenv("QUANTRI_NOW", later, 1);
	struct reply *r = get("/t/page");
	assert_int_equal(r->status, 303);
	assert_true(has_header(r, "Set-Cookie: qt_session=; Path=/; HttpOnly; "
				  "SameSite=Lax; Max-Age=0"));
	unsetenv("QUANTRI_NOW");

	login(1);
	long long before = count(
		"SELECT COUNT(*) AS n FROM sessions WHERE user_id = 1", NULL);
	r = get("/t/page");
	char body[120];
	snprintf(body, sizeof body, "csrf_token=%s", page_csrf(r));
	r = request("POST", "/t/logout", body, NULL, NULL);
	assert_int_equal(r->status, 303);
	assert_int_equal(
		count("SELECT COUNT(*) AS n FROM sessions WHERE user_id = 1",
		      NULL),
		before - 1);
	assert_int_equal(get("/t/page")->status, 303);
	/* session_end_all_for_user */
	login(1);
	login(1);
	struct db *db;
	struct error e = {0};
	assert_int_equal(db_open(&db, dbpath, &e), ERR_OK);
	assert_int_equal(session_end_all_for_user(db, 1, &e), ERR_OK);
	db_close(db);
	assert_int_equal(
		count("SELECT COUNT(*) AS n FROM sessions WHERE user_id = 1",
		      NULL),
		0);
	assert_int_equal(get("/t/page")->status, 303);
}

static void test_api_token(void **state)
{
	fresh_client();
	struct reply *r = request("GET", "/api/t/page", NULL,
				  "Authorization: Bearer tok-123", NULL);
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(r->body, "\"title\":\"Trang thử\""));
	/* no CSRF token needed with a bearer token */
	r = request("POST", "/api/t/save", "a=1",
		    "Authorization: Bearer tok-123", NULL);
	assert_int_equal(r->status, 200);
	r = request("GET", "/api/t/page", NULL, "Authorization: Bearer nope",
		    NULL);
	assert_int_equal(r->status, 401);
	assert_non_null(strstr(r->body, "Mã truy cập API không hợp lệ"));
	assert_int_equal(count("SELECT COUNT(*) AS n FROM api_tokens WHERE "
			       "last_used_at IS NOT NULL",
			       NULL),
			 1);
}

static void test_static_health_metrics(void **state)
{
	fresh_client();
	struct reply *r = get("/static/app.css");
	assert_int_equal(r->status, 200);
	assert_true(has_header(r, "Content-Type: text/css; charset=utf-8"));
	assert_true(has_header(r, "Cache-Control: public, max-age=86400"));
	const char *et = strcasestr(r->headers, "ETag: ");
	assert_non_null(et);
	char inm[80];
	snprintf(inm, sizeof inm, "If-None-Match: %.18s", et + 6);
	r = request("GET", "/static/app.css", NULL, inm, NULL);
	assert_int_equal(r->status, 304);
	assert_int_equal(r->len, 0);
	assert_int_equal(get("/static/nope.css")->status, 404);
	r = get("/healthz");
	assert_int_equal(r->status, 200);
	assert_string_equal(r->body, "ok\n");
	r = get("/metrics");
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(r->body,
			       "quantri_http_requests_total{route=\"/t/"
			       "page\",method=\"GET\",status=\"200\"}"));
	assert_non_null(strstr(
		r->body,
		"quantri_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
	assert_non_null(
		strstr(r->body, "quantri_http_errors_total 1\n")); /* /t/fail */
	assert_non_null(strstr(r->body, "quantri_db_statements_total "));
	assert_null(strstr(r->body, "quantri_db_statements_total 0\n"));
	assert_non_null(strstr(r->body, "quantri_process_start_time_seconds "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anonymous),
		cmocka_unit_test(test_login_csrf_and_rotation),
		cmocka_unit_test(test_flash_and_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_must_change_password_and_disabled),
		cmocka_unit_test(test_idle_timeout_and_logout),
		cmocka_unit_test(test_api_token),
		cmocka_unit_test(test_static_health_metrics),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
