/* people/ through a real `quantri serve` on the demo database: logins of
 * every demo user, wrong passwords, throttling, logout, password change,
 * an administrator's work on users (and the audit log that records it),
 * permissions, search, the unit pages and the CSV upload. The tests run in
 * order and share one server. */
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

static const struct {
	const char *username, *full_name;
} demo[] = {
	{"chutich", "Trần Văn Thắng"}, {"phochutich", "Lê Thị Hồng Nhung"},
	{"vanphong", "Phạm Minh Đức"}, {"truongbp", "Vũ Thị Lan"},
	{"canbo", "Đỗ Quang Huy"},     {"mttq", "Hoàng Thị Bích Ngọc"},
	{"bantt", "Bùi Văn Tâm"},      {"truongthon", "Nguyễn Văn Bình"},
	{"dieutra", "Đặng Thị Hoa"},   {"tinh", "Ngô Đức Anh"},
};

static const char msg_wrong[] = "Tên đăng nhập hoặc mật khẩu không đúng.";
static const char msg_throttled[] =
	"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.";

static int setup(void **state)
{
	/* Three failures per user; the address limit out of the way, since
	 * every test client comes from 127.0.0.1. */
	static const char *const env[] = {"QUANTRI_LOGIN_MAX_PER_USER=3",
					  "QUANTRI_LOGIN_MAX_PER_ADDR=1000",
					  NULL};
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

static void post(struct client *c, const char *path, const char *body,
		 struct reply *r)
{
	if (client_post(c, path, body, r))
		fail_msg("POST %s: no reply", path);
}

static long status_of_get(struct client *c, const char *path)
{
	struct reply r;
	get(c, path, &r);
	long s = r.status;
	reply_release(&r);
	return s;
}

static long status_of_post(struct client *c, const char *path, const char *body)
{
	struct reply r;
	post(c, path, body, &r);
	long s = r.status;
	reply_release(&r);
	return s;
}

static void login_as(struct client *c, const char *username,
		     const char *password)
{
	client_init(c, &srv);
	long s = client_login(c, username, password);
	if (s != 303)
		fail_msg("login as %s: %ld, want 303", username, s);
}

static long login_post(struct client *c, const char *username,
		       const char *password, struct reply *r)
{
	char u[128], p[128], body[300];
	get(c, "/login", r);
	reply_release(r);
	snprintf(body, sizeof body, "username=%s&password=%s",
		 form_escape(username, u, sizeof u),
		 form_escape(password, p, sizeof p));
	post(c, "/login", body, r);
	return r->status;
}

/* The id of the unit named `name` (exact full name) from the API. */
static long long unit_id(struct client *c, const char *full_name)
{
	struct reply r;
	get(c, "/api/people/units", &r);
	assert_int_equal(r.status, 200);
	json_t *j = reply_json(&r);
	reply_release(&r);
	size_t i;
	json_t *u;
	long long id = 0;
	json_array_foreach(
		json_object_get(j, "units"), i,
		u) if (!strcmp(json_string_value(json_object_get(u,
								 "full_name")),
			       full_name) &&
		       json_is_true(json_object_get(u, "in_force"))) id =
		json_integer_value(json_object_get(u, "id"));
	json_decref(j);
	if (!id)
		fail_msg("no unit %s", full_name);
	return id;
}

static void test_every_demo_user_logs_in(void **state)
{
	for (size_t i = 0; i < sizeof demo / sizeof *demo; i++) {
		struct client c;
		struct reply r;
		login_as(&c, demo[i].username, DEMO_PASSWORD);
		get(&c, "/", &r);
		assert_int_equal(r.status, 200);
		if (!reply_has(&r, demo[i].full_name))
			fail_msg("home page of %s does not show %s",
				 demo[i].username, demo[i].full_name);
		reply_release(&r);
		client_release(&c);
	}
}

static void test_wrong_password_same_message(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	assert_int_equal(login_post(&c, "phochutich", "sai-mat-khau", &r), 401);
	assert_true(reply_has(&r, msg_wrong));
	assert_true(reply_has(
		&r, "value=\"phochutich\"")); /* the form keeps the name */
	reply_release(&r);
	assert_int_equal(login_post(&c, "khong-co-ai", "sai-mat-khau", &r),
			 401);
	assert_true(reply_has(&r, msg_wrong));
	reply_release(&r);
	/* Not logged in after either. */
	assert_int_equal(status_of_get(&c, "/"), 303);
	/* Empty fields: asked for both, nothing counted. */
	assert_int_equal(login_post(&c, "", "", &r), 422);
	reply_release(&r);
	/* ?next= leads back only inside the site. */
	get(&c, "/login?next=//evil.example/x", &r);
	assert_false(reply_has(&r, "evil.example"));
	reply_release(&r);
	char body[200];
	get(&c, "/login?next=/people/units", &r);
	assert_true(reply_has(&r, "value=\"/people/units\""));
	reply_release(&r);
	snprintf(body, sizeof body,
		 "username=phochutich&password=%s&next=%%2Fpeople%%2Funits",
		 DEMO_PASSWORD);
	post(&c, "/login", body, &r);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.location, "/people/units"));
	reply_release(&r);
	client_release(&c);
}

static void test_throttling(void **state)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(login_post(&c, "dieutra", "sai-mat-khau", &r),
				 401);
		reply_release(&r);
	}
	/* The right password now waits too. */
	assert_int_equal(login_post(&c, "dieutra", DEMO_PASSWORD, &r), 429);
	assert_true(reply_has(&r, msg_throttled));
	reply_release(&r);
	client_release(&c);
	/* Another user is not held back. */
	login_as(&c, "bantt", DEMO_PASSWORD);
	client_release(&c);
}

static void test_logout(void **state)
{
	struct client c;
	struct reply r;
	login_as(&c, "mttq", DEMO_PASSWORD);
	assert_int_equal(status_of_get(&c, "/"), 200);
	post(&c, "/logout", "", &r);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.location, "/login"));
	reply_release(&r);
	get(&c, "/", &r);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.location, "/login"));
	reply_release(&r);
	client_release(&c);
}

static void test_change_password(void **state)
{
	struct client c;
	struct reply r;
	login_as(&c, "truongbp", DEMO_PASSWORD);
	get(&c, "/account/password", &r);
	reply_release(&r);
	post(&c, "/account/password",
	     "old_password=sai&new_password=mat-khau-moi&confirm_password=mat-"
	     "khau-moi",
	     &r);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Mật khẩu hiện tại không đúng."));
	reply_release(&r);
	post(&c, "/account/password",
	     "old_password=demo2026&new_password=ngan&confirm_password=ngan",
	     &r);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "ít nhất 8 ký tự"));
	reply_release(&r);
	post(&c, "/account/password",
	     "old_password=demo2026&new_password=mat-khau-moi&confirm_password="
	     "khac-hoan-toan",
	     &r);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "không khớp"));
	reply_release(&r);
	post(&c, "/account/password",
	     "old_password=demo2026&new_password=mat-khau-moi&confirm_password="
	     "mat-khau-moi",
	     &r);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	/* Still logged in (a new session), then out and back with the new one. */
	assert_int_equal(status_of_get(&c, "/account"), 200);
	assert_int_equal(status_of_post(&c, "/logout", ""), 303);
	client_release(&c);
	client_init(&c, &srv);
	assert_int_equal(login_post(&c, "truongbp", DEMO_PASSWORD, &r), 401);
	reply_release(&r);
	client_release(&c);
	login_as(&c, "truongbp", "mat-khau-moi");
	client_release(&c);
}

/* What a page shows once (a password, an API token):
 * <code class="token">...</code>. */
static size_t shown_once(const struct reply *r, char *out, size_t n)
{
	const char *p = strstr(r->body, "<code class=\"token\">");
	if (!p)
		fail_msg("nothing shown once on the page:\n%s", r->body);
	p += strlen("<code class=\"token\">");
	size_t len = strcspn(p, "<");
	assert_true(len < n);
	memcpy(out, p, len);
	out[len] = 0;
	return len;
}

static void temp_password(const struct reply *r, char *out, size_t n)
{
	assert_int_equal(shown_once(r, out, n), 12);
}

static long long new_user_id;
static char new_user_temp[16];

static void test_admin_manages_a_user(void **state)
{
	struct client adm, u;
	struct reply r;
	char path[128], body[200];
	login_as(&adm, "vanphong", DEMO_PASSWORD);
	get(&adm, "/people/users/new", &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	/* Bad input: every field named, nothing created. */
	post(&adm, "/people/users/new", "username=A+B&full_name=&email=x", &r);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Tên đăng nhập 3–32 ký tự"));
	assert_true(reply_has(&r, "Vui lòng nhập họ và tên."));
	assert_true(reply_has(&r, "Địa chỉ thư điện tử không hợp lệ."));
	reply_release(&r);
	post(&adm, "/people/users/new",
	     "username=nguyenthimai&full_name=Nguy%E1%BB%85n+Th%E1%BB%8B+Mai&"
	     "phone=0912345678",
	     &r);
	assert_int_equal(r.status, 201);
	assert_true(reply_has(&r, "Nguyễn Thị Mai"));
	temp_password(&r, new_user_temp, sizeof new_user_temp);
	reply_release(&r);
	/* The same username again is refused. */
	post(&adm, "/people/users/new",
	     "username=nguyenthimai&full_name=Mai+Kh%C3%A1c", &r);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "đã có người dùng"));
	reply_release(&r);

	get(&adm, "/api/people/users?q=thi+mai", &r);
	json_t *j = reply_json(&r);
	reply_release(&r);
	assert_int_equal(json_array_size(json_object_get(j, "users")), 1);
	new_user_id = json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "users"), 0), "id"));
	json_decref(j);

	long long unit = unit_id(&adm, "Tư pháp – Hộ tịch");
	snprintf(path, sizeof path, "/people/users/%lld/roles", new_user_id);
	snprintf(body, sizeof body, "role=officer&unit_id=%lld", unit);
	assert_int_equal(status_of_post(&adm, path, body), 303);
	assert_int_equal(status_of_post(&adm, path, body),
			 422); /* already has it */
	snprintf(path, sizeof path, "/people/users/%lld", new_user_id);
	get(&adm, path, &r);
	assert_true(reply_has(&r, "Cán bộ, công chức"));
	assert_true(reply_has(&r, "Tư pháp – Hộ tịch"));
	reply_release(&r);
	/* The list filtered by role shows her. */
	get(&adm, "/people/users?role=officer", &r);
	assert_true(reply_has(&r, "Nguyễn Thị Mai"));
	assert_true(reply_has(&r, "Đỗ Quang Huy"));
	assert_false(reply_has(&r, "Trần Văn Thắng"));
	reply_release(&r);

	/* She logs in with the temporary password and must change it. */
	client_init(&u, &srv);
	assert_int_equal(login_post(&u, "nguyenthimai", new_user_temp, &r),
			 303);
	assert_non_null(strstr(r.location, "/account/password"));
	reply_release(&r);
	get(&u, "/", &r);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.location, "/account/password"));
	reply_release(&r);
	get(&u, "/account/password", &r);
	assert_true(reply_has(&r, "mật khẩu tạm thời"));
	reply_release(&r);
	snprintf(body, sizeof body,
		 "old_password=%s&new_password=mai-2026-xa&confirm_password="
		 "mai-2026-xa",
		 new_user_temp);
	assert_int_equal(status_of_post(&u, "/account/password", body), 303);
	assert_int_equal(status_of_get(&u, "/"), 200);

	/* Disabled: her session ends and she cannot log in. */
	snprintf(path, sizeof path, "/people/users/%lld/disable", new_user_id);
	assert_int_equal(status_of_post(&adm, path, ""), 303);
	get(&u, "/", &r);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.location, "/login"));
	reply_release(&r);
	assert_int_equal(login_post(&u, "nguyenthimai", "mai-2026-xa", &r),
			 401);
	assert_true(reply_has(&r, msg_wrong));
	reply_release(&r);
	client_release(&u);

	/* Reset: a new temporary password, shown once. */
	snprintf(path, sizeof path, "/people/users/%lld/reset-password",
		 new_user_id);
	post(&adm, path, "", &r);
	assert_int_equal(r.status, 200);
	temp_password(&r, new_user_temp, sizeof new_user_temp);
	reply_release(&r);
	client_release(&adm);
}

static void test_non_admin_is_refused(void **state)
{
	struct client c;
	login_as(&c, "canbo", DEMO_PASSWORD);
	assert_int_equal(status_of_get(&c, "/people/users/new"), 403);
	assert_int_equal(status_of_get(&c, "/people/users"), 403);
	assert_int_equal(status_of_get(&c, "/people/audit"), 403);
	assert_int_equal(status_of_get(&c, "/api/people/audit"), 403);
	assert_int_equal(status_of_post(&c, "/people/users/new",
					"username=hacker&full_name=X"),
			 403);
	assert_int_equal(status_of_post(&c, "/people/units/merge",
					"units=1&successor_id=2"),
			 403);
	/* What every user may see. */
	assert_int_equal(status_of_get(&c, "/people"), 200);
	assert_int_equal(status_of_get(&c, "/people/units"), 200);
	assert_int_equal(status_of_get(&c, "/account"), 200);
	client_release(&c);
	/* The vice-chair reads users and the audit log, changes nothing. */
	login_as(&c, "phochutich", DEMO_PASSWORD);
	assert_int_equal(status_of_get(&c, "/people/users"), 200);
	assert_int_equal(status_of_get(&c, "/people/audit"), 200);
	assert_int_equal(status_of_post(&c, "/people/users/1/disable", ""),
			 403);
	client_release(&c);
}

static void test_audit_page_shows_the_changes(void **state)
{
	struct client c;
	struct reply r;
	login_as(&c, "chutich", DEMO_PASSWORD);
	get(&c, "/people/audit?entity=user&user=vanphong", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Tạo người dùng"));
	assert_true(reply_has(&r, "Giao vai trò"));
	assert_true(reply_has(&r, "Khóa tài khoản"));
	assert_true(reply_has(&r, "Đặt lại mật khẩu"));
	assert_true(reply_has(&r, "Nguyễn Thị Mai"));
	assert_true(reply_has(&r, "<del>có</del>")); /* active: có -> không */
	assert_true(reply_has(&r, "<ins>không</ins>"));
	assert_false(reply_has(&r, "argon2"));
	reply_release(&r);
	get(&c, "/api/people/audit?action=user.disable", &r);
	json_t *j = reply_json(&r);
	reply_release(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_t *row = json_array_get(json_object_get(j, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "username")),
			    "vanphong");
	assert_true(json_is_true(
		json_object_get(json_object_get(row, "before"), "active")));
	assert_true(json_is_false(
		json_object_get(json_object_get(row, "after"), "active")));
	json_decref(j);
	/* Date filters in dd/mm/yyyy; a bad one is named. */
	get(&c, "/people/audit?from=01/01/2001&to=31/12/2001", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "0 thay đổi"));
	reply_release(&r);
	get(&c, "/people/audit?from=31/02/2025", &r);
	assert_int_equal(r.status, 422);
	reply_release(&r);
	client_release(&c);
}

static void test_search(void **state)
{
	struct client c;
	struct reply r;
	login_as(&c, "truongthon", DEMO_PASSWORD);
	get(&c, "/search?q=minh+tien", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Xã Minh Tiến"));
	assert_true(
		reply_has(&r, "đã sáp nhập vào xã Tiên Tiến từ 01/07/2025"));
	reply_release(&r);
	/* "hoa" finds both tone placements and a person. */
	get(&c, "/api/search?q=hoa", &r);
	json_t *j = reply_json(&r);
	reply_release(&r);
	bool hoa_a = false, hoa_b = false, person = false;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "units"), i, x)
	{
		const char *n = json_string_value(json_object_get(x, "name"));
		hoa_a |= strstr(n, "Hòa") != NULL;
		hoa_b |= strstr(n, "Hoà") != NULL;
	}
	json_array_foreach(json_object_get(j, "users"), i, x) person |=
		!strcmp(json_string_value(json_object_get(x, "full_name")),
			"Đặng Thị Hoa");
	json_decref(j);
	assert_true(hoa_a);
	assert_true(hoa_b);
	assert_true(person);
	get(&c, "/search?q=khong+co+gi+ca", &r);
	assert_true(reply_has(&r, "Không tìm thấy"));
	reply_release(&r);
	client_release(&c);
}

static void test_units_pages(void **state)
{
	struct client c;
	struct reply r;
	char path[64];
	login_as(&c, "canbo", DEMO_PASSWORD);
	get(&c, "/people/units", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Huyện Phù Cừ"));
	assert_true(
		reply_has(&r, "đã sáp nhập vào xã Tiên Tiến từ 01/07/2025"));
	reply_release(&r);
	long long tt = unit_id(&c, "Xã Tiên Tiến");
	snprintf(path, sizeof path, "/people/units/%lld", tt);
	get(&c, path, &r);
	assert_true(reply_has(&r, "Hình thành từ"));
	assert_true(reply_has(&r, "Xã Minh Tiến"));
	assert_true(reply_has(&r, "Thôn 1"));
	reply_release(&r);
	client_release(&c);
}

static int count_units(struct client *c)
{
	struct reply r;
	get(c, "/api/people/units", &r);
	json_t *j = reply_json(&r);
	reply_release(&r);
	int n = (int)json_integer_value(json_object_get(j, "count"));
	json_decref(j);
	return n;
}

static void upload(struct client *c, const char *csv, struct reply *r)
{
	static const char b[] = "qtboundary7MA4YWxkTrZu0gW";
	size_t n = strlen(csv) + 1024;
	char *body = malloc(n);
	int len = snprintf(body, n,
			   "--%s\r\nContent-Disposition: form-data; "
			   "name=\"csrf_token\"\r\n\r\n%s\r\n"
			   "--%s\r\nContent-Disposition: form-data; "
			   "name=\"file\"; filename=\"x.csv\"\r\n"
			   "Content-Type: text/csv\r\n\r\n%s\r\n--%s--\r\n",
			   b, c->csrf, b, csv, b);
	char ct[100];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	if (client_request(c, "POST", "/people/units/import", ct, body,
			   (size_t)len, r))
		fail_msg("upload: no reply");
	free(body);
}

static void test_import_upload(void **state)
{
	struct client c;
	struct reply r;
	login_as(&c, "chutich", DEMO_PASSWORD);
	get(&c, "/people/units/import", &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	int before = count_units(&c);
	/* Two good new communes and a bad line: nothing is imported. */
	upload(&c,
	       "province_code,province_name,ward_code,ward_name,ward_type,full_"
	       "name,postal_code\n"
	       "33,Tỉnh Hưng Yên,99901,Thử Một,Xã,Xã Thử Một,17000\n"
	       "33,Tỉnh Hưng Yên,99x02,Thử Hai,Xã,Xã Thử Hai,17000\n"
	       "33,Tỉnh Hưng Yên,99903,Thử Ba,Xã,Xã Thử Ba,17000\n",
	       &r);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Mã xã, phường phải là chữ số."));
	assert_true(reply_has(&r, "<td class=\"num\">3</td>"));
	assert_true(reply_has(&r, "chưa có gì được nhập"));
	reply_release(&r);
	assert_int_equal(count_units(&c), before);
	/* Not CSV at all, or an unknown header. */
	get(&c, "/people/units/import", &r);
	reply_release(&r);
	upload(&c, "a,b\n1,2\n", &r);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Không nhận ra định dạng tệp"));
	reply_release(&r);
	/* The good lines alone go in, and twice changes nothing. */
	get(&c, "/people/units/import", &r);
	reply_release(&r);
	static const char good[] =
		"province_code,province_name,ward_code,ward_name,ward_type,"
		"full_name,postal_code\n"
		"33,Tỉnh Hưng Yên,99901,Thử Một,Xã,Xã Thử Một,17000\n";
	upload(&c, good, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "1 đơn vị mới"));
	reply_release(&r);
	assert_int_equal(count_units(&c), before + 1);
	get(&c, "/people/units/import", &r);
	reply_release(&r);
	upload(&c, good, &r);
	assert_true(reply_has(&r, "0 đơn vị mới"));
	reply_release(&r);
	assert_int_equal(count_units(&c), before + 1);
	client_release(&c);
}

static void test_api_token(void **state)
{
	struct client c, api;
	struct reply r;
	char token[100], path[64];
	login_as(&c, "vanphong", DEMO_PASSWORD);
	get(&c, "/account", &r);
	reply_release(&r);
	post(&c, "/account/tokens",
	     "name=Ph%E1%BA%A7n+m%E1%BB%81m+m%E1%BB%99t+c%E1%BB%ADa", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(shown_once(&r, token, sizeof token), 3 + 64);
	reply_release(&r);
	/* Shown once: the account page does not show it again. */
	get(&c, "/account", &r);
	assert_false(reply_has(&r, token));
	assert_true(reply_has(&r, "Phần mềm một cửa"));
	reply_release(&r);

	client_init(&api, &srv);
	snprintf(api.bearer, sizeof api.bearer, "%s", token);
	get(&api, "/api/people/users", &r);
	assert_int_equal(r.status, 200);
	json_t *j = reply_json(&r);
	assert_true(json_array_size(json_object_get(j, "users")) >= 10);
	json_decref(j);
	reply_release(&r);

	get(&c, "/api/account", &r);
	j = reply_json(&r);
	reply_release(&r);
	long long id = json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "tokens"), 0), "id"));
	json_decref(j);
	snprintf(path, sizeof path, "/account/tokens/%lld/revoke", id);
	get(&c, "/account", &r);
	reply_release(&r);
	assert_int_equal(status_of_post(&c, path, ""), 303);
	assert_int_equal(status_of_get(&api, "/api/people/users"), 401);
	client_release(&api);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_demo_user_logs_in),
		cmocka_unit_test(test_wrong_password_same_message),
		cmocka_unit_test(test_throttling),
		cmocka_unit_test(test_logout),
		cmocka_unit_test(test_change_password),
		cmocka_unit_test(test_admin_manages_a_user),
		cmocka_unit_test(test_non_admin_is_refused),
		cmocka_unit_test(test_audit_page_shows_the_changes),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_units_pages),
		cmocka_unit_test(test_import_upload),
		cmocka_unit_test(test_api_token),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
