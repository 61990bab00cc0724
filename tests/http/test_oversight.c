/* oversight/ through a real `quantri serve` on the demo database: every
 * demo role against the routes (who reads, who records which kind, who
 * verifies), bad input refused with the fields named and nothing saved,
 * an inspection with its file (checked by content), and the whole chain:
 * the Inspection Board records a supervision, a finding and a
 * recommendation; the task appears in the plan; the unit head reports it
 * done from the task page; the Board verifies it fixed (refused before);
 * then the lists, their filters and the CSV/XLSX export. */
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
	(void)state;
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0",
					  "QUANTRI_NOW=2026-11-27T03:00:00Z",
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

static json_t *get_json(struct client *c, const char *path)
{
	struct reply r;
	if (client_get(c, path, &r) || r.status != 200)
		fail_msg("GET %s: %ld", path, r.status);
	json_t *j = reply_json(&r);
	reply_release(&r);
	if (!j)
		fail_msg("GET %s: not JSON", path);
	return j;
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* A unit of the recommendation form by its name. */
static long long unit_id(struct client *c, const char *name)
{
	json_t *j = get_json(c, "/api/oversight/new");
	long long id = 0;
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(j, "units"), i, u)
	{
		if (strstr(json_string_value(json_object_get(u, "label")),
			   name))
			id = num(u, "id");
	}
	json_array_foreach(json_object_get(j, "villages"), i, u)
	{
		if (!strcmp(json_string_value(json_object_get(u, "label")),
			    name))
			id = num(u, "id");
	}
	json_decref(j);
	if (!id)
		fail_msg("no unit %s", name);
	return id;
}

static long long total(struct client *c, const char *path)
{
	json_t *j = get_json(c, path);
	long long n = num(j, "total");
	json_decref(j);
	return n;
}

static long post(struct client *c, const char *path, const char *body,
		 struct reply *out)
{
	struct reply r;
	if (client_post(c, path, body, &r))
		fail_msg("POST %s: no reply", path);
	long s = r.status;
	if (out)
		*out = r;
	else
		reply_release(&r);
	return s;
}

static void test_roles(void **state)
{
	(void)state;
	static const struct {
		const char *user;
		long list, supervise, new_form;
	} who[] = {
		{"chutich", 200, 200, 200},  {"phochutich", 200, 200, 200},
		{"vanphong", 200, 200, 200}, {"truongbp", 200, 403, 403},
		{"canbo", 200, 403, 403},    {"mttq", 200, 200, 200},
		{"bantt", 200, 200, 200},    {"truongthon", 200, 403, 403},
		{"dieutra", 200, 403, 403},  {"tinh", 200, 200, 403},
	};
	for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
		struct client c;
		client_login_demo(&c, &srv, who[i].user);
		long s[3] = {client_status(&c, "/oversight"),
			     client_status(&c, "/oversight/supervise"),
			     client_status(&c, "/oversight/new")};
		if (s[0] != who[i].list || s[1] != who[i].supervise ||
		    s[2] != who[i].new_form)
			fail_msg("%s: %ld %ld %ld", who[i].user, s[0], s[1],
				 s[2]);
		/* everyone reads the demo's three inspections */
		assert_int_equal(total(&c, "/api/oversight"), 3);
		client_release(&c);
	}
	/* not logged in: to the login page */
	struct client anon;
	client_init(&anon, &srv);
	struct reply r;
	assert_int_equal(client_get(&anon, "/oversight", &r), 0);
	assert_true(r.status == 303 || r.status == 401);
	reply_release(&r);
	client_release(&anon);
	/* the supervisor view links the other registers, which the Front
	 * and the Inspection Board may read */
	static const char *const readers[] = {"mttq", "bantt"};
	for (int k = 0; k < 2; k++) {
		struct client m;
		client_login_demo(&m, &srv, readers[k]);
		assert_int_equal(client_get(&m, "/oversight/supervise", &r), 0);
		assert_true(reply_has(&r, "href=\"/disclosure\""));
		assert_true(reply_has(&r, "href=\"/plan/by-unit\""));
		assert_true(reply_has(&r, "href=\"/voice/stats\""));
		reply_release(&r);
		static const char *const pages[] = {
			"/plan/by-unit", "/plan/overdue", "/voice/stats",
			"/disclosure"};
		for (int p = 0; p < 4; p++)
			if (client_status(&m, pages[p]) != 200)
				fail_msg("%s may not read %s", readers[k],
					 pages[p]);
		client_release(&m);
	}
}

/* Each side records its own kind only; 403 with a Vietnamese reason. */
static void test_kinds(void **state)
{
	(void)state;
	static const struct {
		const char *user, *kind;
		long want;
	} cases[] = {
		{"bantt", "inspection", 403},
		{"bantt", "front", 403},
		{"mttq", "people_board", 403},
		{"vanphong", "front", 403},
		{"chutich", "people_board", 403},
		{"bantt", "investment_board", 303},
		{"mttq", "front", 303},
		{"phochutich", "inspection", 303},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct client c;
		client_login_demo(&c, &srv, cases[i].user);
		client_status(&c, "/oversight"); /* a page: the CSRF token */
		char body[512];
		snprintf(body, sizeof body,
			 "kind=%s&title=Gi%%C3%%A1m+s%%C3%%A1t+%zu&from_on=01%%"
			 "2F10%%2F2026&to_on=05%%2F10%%2F2026",
			 cases[i].kind, i);
		struct reply r;
		long s = post(&c, "/oversight/new", body, &r);
		if (s != cases[i].want)
			fail_msg("%s records %s: %ld", cases[i].user,
				 cases[i].kind, s);
		if (s == 403)
			assert_true(reply_has(&r, "Chỉ "));
		reply_release(&r);
		client_release(&c);
	}
}

static void test_bad_input(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "bantt");
	long long before = total(&c, "/api/oversight");
	struct reply r;
	client_status(&c, "/oversight/new");
	/* no title, a day that does not exist, the end before the start */
	long s = post(&c, "/oversight/new",
		      "kind=people_board&title=&from_on=31%2F02%2F2026&to_on="
		      "01%2F01%2F2026",
		      &r);
	assert_int_equal(s, 422);
	assert_true(reply_has(&r, "Vui lòng nhập tên cuộc kiểm tra"));
	assert_true(reply_has(&r, "Ngày bắt đầu không hợp lệ"));
	reply_release(&r);
	s = post(&c, "/oversight/new",
		 "kind=people_board&title=X&from_on=05%2F10%2F2026&to_on=01%"
		 "2F10%2F2026",
		 &r);
	assert_int_equal(s, 422);
	assert_true(reply_has(&r, "Ngày kết thúc phải sau"));
	reply_release(&r);
	/* the API says the same as JSON */
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "kind", "people_board",
				 "title", "", "from_on", "2026-10-01", "to_on",
				 "2026-10-02");
	assert_int_equal(client_post_json(&c, "/api/oversight/new", body, &r),
			 0);
	json_decref(body);
	assert_int_equal(r.status, 422);
	json_t *j = reply_json(&r);
	assert_non_null(json_object_get(json_object_get(j, "errors"), "title"));
	json_decref(j);
	reply_release(&r);
	/* a "photo" that is text: refused by its content, nothing saved */
	static const char b[] = "qtOvBoundary";
	char mp[2048];
	int n = snprintf(mp, sizeof mp,
			 "--%s\r\nContent-Disposition: form-data; "
			 "name=\"csrf_token\"\r\n\r\n%s\r\n"
			 "--%s\r\nContent-Disposition: form-data; "
			 "name=\"kind\"\r\n\r\npeople_board\r\n"
			 "--%s\r\nContent-Disposition: form-data; "
			 "name=\"title\"\r\n\r\nC\xc3\xb3 t\xe1\xbb\x87p\r\n"
			 "--%s\r\nContent-Disposition: form-data; "
			 "name=\"from_on\"\r\n\r\n01/10/2026\r\n"
			 "--%s\r\nContent-Disposition: form-data; "
			 "name=\"to_on\"\r\n\r\n02/10/2026\r\n"
			 "--%s\r\nContent-Disposition: form-data; "
			 "name=\"files\"; filename=\"anh.jpg\"\r\n"
			 "Content-Type: image/jpeg\r\n\r\nnot a photo\r\n"
			 "--%s--\r\n",
			 b, c.csrf, b, b, b, b, b, b);
	char ct[80];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	assert_int_equal(client_request(&c, "POST", "/oversight/new", ct, mp,
					(size_t)n, &r),
			 0);
	assert_int_equal(r.status, 422);
	reply_release(&r);
	assert_int_equal(total(&c, "/api/oversight"), before);
	/* a real PNG: saved with the inspection */
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G',  0x0d, 0x0a, 0x1a, 0x0a, 0,    0, 0, 0x0d,
		'I',  'H', 'D', 'R',  0,    0,    0,    1,    0,    0, 0, 1,
		8,    6,   0,   0,    0,    0x1f, 0x15, 0xc4, 0x89, 0, 0, 0,
		0x0d, 'I', 'D', 'A',  'T',  0x78, 0x9c, 0x63, 0,    1, 0, 0,
		5,    0,   1,   0x0d, 0x0a, 0x2d, 0xb4, 0,    0,    0, 0, 'I',
		'E',  'N', 'D', 0xae, 0x42, 0x60, 0x82};
	char big[4096];
	char *p = strstr(mp, "Content-Type: image/jpeg");
	size_t head = (size_t)(p - mp);
	memcpy(big, mp, head);
	size_t m = head + (size_t)snprintf(big + head, sizeof big - head,
					   "Content-Type: image/png\r\n\r\n");
	/* the file name says png too */
	char *jpg = strstr(big, "anh.jpg");
	memcpy(jpg, "anh.png", 7);
	memcpy(big + m, png, sizeof png);
	m += sizeof png;
	m += (size_t)snprintf(big + m, sizeof big - m, "\r\n--%s--\r\n", b);
	assert_int_equal(
		client_request(&c, "POST", "/oversight/new", ct, big, m, &r),
		0);
	assert_int_equal(r.status, 303);
	char where[600];
	snprintf(where, sizeof where, "/api%s", r.location);
	reply_release(&r);
	assert_int_equal(total(&c, "/api/oversight"), before + 1);
	j = get_json(&c, where);
	json_t *files = json_object_get(j, "files");
	assert_int_equal(json_array_size(files), 1);
	const char *url = json_string_value(
		json_object_get(json_array_get(files, 0), "url"));
	char file_url[128];
	snprintf(file_url, sizeof file_url, "%s", url);
	json_decref(j);
	assert_int_equal(client_status(&c, file_url), 200);
	client_release(&c);
	/* read by the chair of the same commune */
	struct client ch;
	client_login_demo(&ch, &srv, "chutich");
	assert_int_equal(client_status(&ch, file_url), 200);
	client_release(&ch);
}

/* The chain: supervision -> finding -> recommendation -> task in the
 * plan -> the unit reports it done -> verified by the Board. */
static void test_chain(void **state)
{
	(void)state;
	struct client b, tp, m;
	client_login_demo(&b, &srv, "bantt");
	client_login_demo(&tp, &srv, "truongbp");
	client_login_demo(&m, &srv, "mttq");
	long long tu_phap = unit_id(&b, "Tư pháp – Hộ tịch");
	long long thon2 = unit_id(&b, "Thôn 2");
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:[I], s:[s]}",
				 "kind", "people_board", "title",
				 "Giám sát việc chứng thực tại Bộ phận Một cửa",
				 "reference", "Chương trình giám sát năm 2026",
				 "from_on", "2026-11-02", "to_on", "2026-11-06",
				 "unit_id", (json_int_t)tu_phap, "village_ids",
				 (json_int_t)thon2, "links", "D5");
	struct reply r;
	assert_int_equal(client_post_json(&b, "/api/oversight/new", body, &r),
			 0);
	json_decref(body);
	assert_int_equal(r.status, 200);
	json_t *j = reply_json(&r);
	long long ins = num(j, "id");
	json_decref(j);
	reply_release(&r);
	char path[128];
	snprintf(path, sizeof path, "/oversight/%lld/findings", ins);
	client_status(&b, "/oversight");
	assert_int_equal(post(&b, path,
			      "text=S%E1%BB%95+ch%E1%BB%A9ng+th%E1%BB%B1c+"
			      "thi%E1%BA%BFu+ch%E1%BB%AF+k%C3%BD&links=D5",
			      &r),
			 303);
	reply_release(&r);
	snprintf(path, sizeof path, "/api/oversight/%lld", ins);
	j = get_json(&b, path);
	long long finding =
		num(json_array_get(
			    json_object_get(j, "ins")
				    ? json_object_get(json_object_get(j, "ins"),
						      "findings")
				    : NULL,
			    0),
		    "id");
	json_decref(j);
	assert_true(finding > 0);
	/* the Front may not add to the Board's record */
	snprintf(path, sizeof path, "/oversight/findings/%lld/recommendations",
		 finding);
	client_status(&m, "/oversight");
	char rb[512];
	snprintf(rb, sizeof rb,
		 "text=B%%E1%%BB%%95+sung+ch%%E1%%BB%%AF+k%%C3%%BD+v%%C3%%A0o+"
		 "s%%E1%%BB%%95+ch%%E1%%BB%%A9ng+th%%E1%%BB%%B1c&unit_id=%lld&"
		 "due_on=20%%2F12%%2F2026",
		 tu_phap);
	assert_int_equal(post(&m, path, rb, NULL), 403);
	/* a due date that does not exist: 422, nothing saved */
	char bad[512];
	snprintf(bad, sizeof bad, "text=X&unit_id=%lld&due_on=31%%2F11%%2F2026",
		 tu_phap);
	assert_int_equal(post(&b, path, bad, &r), 422);
	assert_true(reply_has(&r, "Hạn khắc phục không hợp lệ"));
	reply_release(&r);
	assert_int_equal(post(&b, path, rb, &r), 303);
	reply_release(&r);
	/* the recommendation and its task */
	snprintf(path, sizeof path,
		 "/api/oversight/"
		 "recommendations?q=bo+sung+chu+ky+vao+so&state=open");
	j = get_json(&b, path);
	assert_int_equal(num(j, "total"), 1);
	json_t *rec = json_array_get(json_object_get(j, "rows"), 0);
	long long rid = num(rec, "id"), task = num(rec, "task_id");
	json_decref(j);
	snprintf(path, sizeof path, "/api/plan/tasks/%lld", task);
	j = get_json(&tp, path);
	json_t *t = json_object_get(j, "task");
	assert_string_equal(json_string_value(json_object_get(t, "title")),
			    "Khắc phục: Bổ sung chữ ký vào sổ chứng thực");
	assert_int_equal(num(t, "lead_unit_id"), tu_phap);
	assert_string_equal(json_string_value(json_object_get(t, "due_on")),
			    "2026-12-20");
	assert_true(json_is_true(json_object_get(j, "can_update")));
	json_decref(j);
	/* verify before it is done: refused, said on the page */
	char vpath[128];
	snprintf(vpath, sizeof vpath, "/oversight/recommendations/%lld/verify",
		 rid);
	assert_int_equal(
		post(&b, vpath, "verified_on=27%2F11%2F2026&note=", &r), 422);
	assert_true(reply_has(&r, "chưa hoàn thành"));
	reply_release(&r);
	/* the unit head reports it done */
	snprintf(path, sizeof path, "/plan/tasks/%lld", task);
	client_status(&tp, path);
	snprintf(path, sizeof path, "/plan/tasks/%lld/report", task);
	assert_int_equal(post(&tp, path,
			      "status=done&progress=100&note=%C4%90%C3%A3+b%E1"
			      "%BB%95+sung",
			      NULL),
			 303);
	assert_int_equal(total(&b, "/api/oversight/recommendations?state="
				   "fixed&q=bo+sung+chu+ky+vao+so"),
			 1);
	/* the Front may not verify the Board's recommendation */
	client_status(&m, "/oversight");
	assert_int_equal(post(&m, vpath, "note=", NULL), 403);
	/* the Board verifies: tomorrow is refused, today is fine */
	client_status(&b, "/oversight");
	assert_int_equal(
		post(&b, vpath, "verified_on=28%2F11%2F2026&note=", NULL), 422);
	assert_int_equal(
		post(&b, vpath,
		     "verified_on=27%2F11%2F2026&note=%C4%90%E1%BA%A1t", &r),
		303);
	reply_release(&r);
	assert_int_equal(total(&b, "/api/oversight/recommendations?state="
				   "verified&q=bo+sung+chu+ky+vao+so"),
			 1);
	/* reopen needs a note; with one the task goes back to the unit */
	char opath[128];
	snprintf(opath, sizeof opath, "/oversight/recommendations/%lld/reopen",
		 rid);
	assert_int_equal(post(&b, opath, "note=", NULL), 422);
	assert_int_equal(post(&b, opath, "note=Thi%E1%BA%BFu+1+trang", NULL),
			 303);
	snprintf(path, sizeof path, "/api/plan/tasks/%lld", task);
	j = get_json(&tp, path);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(j, "task"), "status")),
			    "doing");
	json_decref(j);
	/* the audit log holds every step */
	client_release(&b);
	client_release(&tp);
	client_release(&m);
}

static void test_lists_and_export(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "mttq");
	/* the demo: one of each state at least; filters combine */
	assert_true(
		total(&c, "/api/oversight/recommendations?state=verified") >=
		1);
	assert_int_equal(total(&c, "/api/oversight?kind=front&year=2026&"
				   "dimension=D3"),
			 1);
	assert_int_equal(total(&c, "/api/oversight?kind=front&year=2025"), 0);
	assert_true(total(&c, "/api/oversight?q=THON+3") >= 1);
	assert_true(total(&c, "/api/oversight?q=%C4%91%C6%B0%E1%BB%9Dng") >=
		    1); /* "đường" */
	/* a wrong date in the filter: said, and the list still shown */
	struct reply r;
	assert_int_equal(client_get(&c, "/oversight?from=31%2F02%2F2026", &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Từ ngày không hợp lệ"));
	reply_release(&r);
	assert_int_equal(client_get(&c,
				    "/oversight/export.csv?what="
				    "recommendations&state=open",
				    &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_true(strstr(r.content_type, "text/csv") != NULL);
	assert_true(reply_has(&r, "Hạn khắc phục"));
	assert_true(reply_has(&r, "/2026"));
	assert_false(reply_has(&r, "Đã xác nhận khắc phục"));
	reply_release(&r);
	assert_int_equal(client_get(&c, "/oversight/export.xlsx", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 100 && r.body[0] == 'P' && r.body[1] == 'K');
	reply_release(&r);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_lists_and_export),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
