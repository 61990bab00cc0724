/* outreach/ through a real `quantri serve` on the demo database: who may
 * read and record (every demo role and nobody), a village head records an
 * activity of their own village with a photo and is refused another
 * village's (nothing saved), bad input named field by field with nothing
 * saved, a file that lies about its type refused, the list's filters
 * combined with a search without diacritics, the CSV and XLSX exports,
 * the coverage matrix naming the villages a campaign missed, editing
 * (office yes, another officer no), the topic list, and news: only the
 * office or the culture–society unit writes, a script in the text shown
 * inert on the public page, drafts not public, the photo served by its
 * content's type. */
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
	/* Friday 27/11/2026, 10:00 in Vietnam: 28/11 is tomorrow */
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

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* A 1x1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
	0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

struct file {
	const char *field, *name;
	const void *data;
	size_t len;
};

/* POST multipart/form-data like the phone form: fields (name, value
 * pairs, NULL-terminated) and a file when f is not NULL. */
static long mpost(struct client *c, const char *path, const char *const *fields,
		  const struct file *f, struct reply *out)
{
	static const char b[] = "qtOutreachBoundary7c1d";
	size_t cap = 8192 + (f ? f->len : 0);
	for (int i = 0; fields[i]; i += 2)
		cap += strlen(fields[i]) + strlen(fields[i + 1]) + 128;
	char *body = malloc(cap);
	size_t n = (size_t)snprintf(body, cap,
				    "--%s\r\nContent-Disposition: form-data; "
				    "name=\"csrf_token\"\r\n\r\n%s\r\n",
				    b, c->csrf);
	for (int i = 0; fields[i]; i += 2)
		n += (size_t)snprintf(body + n, cap - n,
				      "--%s\r\nContent-Disposition: form-data; "
				      "name=\"%s\"\r\n\r\n%s\r\n",
				      b, fields[i], fields[i + 1]);
	if (f) {
		n += (size_t)snprintf(body + n, cap - n,
				      "--%s\r\nContent-Disposition: form-data; "
				      "name=\"%s\"; filename=\"%s\"\r\n"
				      "Content-Type: image/png\r\n\r\n",
				      b, f->field, f->name);
		memcpy(body + n, f->data, f->len);
		n += f->len;
		n += (size_t)snprintf(body + n, cap - n, "\r\n");
	}
	n += (size_t)snprintf(body + n, cap - n, "--%s--\r\n", b);
	char ct[100];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	struct reply r;
	if (client_request(c, "POST", path, ct, body, n, &r))
		fail_msg("POST %s: no reply", path);
	free(body);
	long s = r.status;
	if (out)
		*out = r;
	else
		reply_release(&r);
	return s;
}

static long long total(struct client *c, const char *query)
{
	char path[512];
	snprintf(path, sizeof path, "/api/outreach%s", query);
	json_t *j = client_get_json(c, path);
	long long t = num(j, "total");
	json_decref(j);
	return t;
}

/* The id of the village named so in the form's choices. */
static long long village(json_t *form, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(
		json_object_get(form, "villages"), i,
		v) if (!strcmp(str(v, "name"), name)) return num(v, "id");
	fail_msg("no village %s in the form", name);
	return 0;
}

static long long topic_id(json_t *form, const char *prefix)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(form, "topics"), i,
			   t) if (!strncmp(str(t, "name_vi"), prefix,
					   strlen(prefix))) return num(t, "id");
	fail_msg("no topic %s", prefix);
	return 0;
}

/* Every route as every demo role and as nobody. */
static void test_permissions(void **state)
{
	(void)state;
	static const char *const users[] = {
		"chutich", "phochutich", "vanphong", "truongbp",
		"canbo",   "mttq",       "bantt",    "truongthon",
		"dieutra", "tinh",       NULL};
	static const struct {
		const char *path;
		long want[11]; /* per user above, then nobody (303/401) */
	} gets[] = {
		{"/outreach",
		 {200, 200, 200, 200, 200, 200, 200, 200, 403, 200, 303}},
		{"/outreach/coverage",
		 {200, 200, 200, 200, 200, 200, 200, 200, 403, 200, 303}},
		{"/outreach/new",
		 {403, 403, 200, 200, 200, 403, 403, 200, 403, 403, 303}},
		{"/outreach/news",
		 {200, 200, 200, 200, 200, 200, 200, 200, 403, 200, 303}},
		/* only the office and the culture–society unit write: the
		 * others are sent to the list, which says so */
		{"/outreach/news/new",
		 {403, 403, 200, 303, 303, 403, 403, 403, 403, 403, 303}},
		{"/outreach/export.csv",
		 {200, 200, 200, 200, 200, 200, 200, 200, 403, 200, 303}},
		{"/citizen/news",
		 {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
	};
	for (int u = 0; u <= 10; u++) {
		struct client c;
		if (users[u])
			client_login_demo(&c, &srv, users[u]);
		else
			client_init(&c, &srv);
		for (size_t i = 0; i < sizeof gets / sizeof *gets; i++) {
			long s = client_status(&c, gets[i].path);
			if (s != gets[i].want[u])
				fail_msg("GET %s as %s: %ld, want %ld",
					 gets[i].path,
					 users[u] ? users[u] : "nobody", s,
					 gets[i].want[u]);
		}
		/* readers who do not record: refused with a message */
		if (users[u] &&
		    (!strcmp(users[u], "mttq") || !strcmp(users[u], "tinh"))) {
			struct reply r;
			static const char *const f[] = {"title", "x", NULL};
			assert_int_equal(
				mpost(&c, "/outreach/new", f, NULL, &r), 403);
			reply_release(&r);
		}
		client_release(&c);
	}
}

static void test_record(void **state)
{
	(void)state;
	struct client head, office, officer;
	client_login_demo(&head, &srv, "truongthon");
	client_login_demo(&office, &srv, "vanphong");
	client_login_demo(&officer, &srv, "canbo");
	json_t *form = client_get_json(&office, "/api/outreach/new");
	long long thon1 = village(form, "Thôn 1"),
		  thon2 = village(form, "Thôn 2"),
		  thon4 = village(form, "Thôn 4");
	long long tthc = topic_id(form, "Thủ tục hành chính");
	long long budget = topic_id(form, "Ngân sách");
	json_decref(form);
	/* a village head sees only their village in the form */
	form = client_get_json(&head, "/api/outreach/new");
	assert_int_equal(json_array_size(json_object_get(form, "villages")), 1);
	json_decref(form);
	long long before = total(&office, "");

	char v1[32], v2[32], v4[32], t[32], b[32];
	snprintf(v1, sizeof v1, "%lld", thon1);
	snprintf(v2, sizeof v2, "%lld", thon2);
	snprintf(v4, sizeof v4, "%lld", thon4);
	snprintf(t, sizeof t, "%lld", tthc);
	snprintf(b, sizeof b, "%lld", budget);
	struct file photo = {"files", "anh-hop-thon.png", png, sizeof png};
	/* another village: 403, nothing saved */
	client_status(&head, "/outreach/new");
	const char *const other[] = {"channel",  "village_meeting",
				     "topic_id", t,
				     "held_on",  "20/11/2026",
				     "title",    "Họp thôn 2",
				     "villages", v2,
				     NULL};
	struct reply r;
	assert_int_equal(mpost(&head, "/outreach/new", other, &photo, &r), 403);
	assert_true(reply_has(&r, "thôn của mình"));
	reply_release(&r);
	assert_int_equal(total(&office, ""), before);

	/* their own village with a photo: saved, 303 to the activity */
	client_status(&head, "/outreach/new");
	const char *const own[] = {
		"channel",  "village_meeting",
		"topic_id", t,
		"held_on",  "20/11/2026",
		"title",    "Hướng dẫn đăng ký khai sinh trực tuyến qua VNeID",
		"villages", v1,
		"audience", "54",
		"links",    "D5",
		"links",    "D8:8.1.1",
		"note",     "Họp tại nhà văn hóa Thôn 1.",
		NULL};
	assert_int_equal(mpost(&head, "/outreach/new", own, &photo, &r), 303);
	assert_non_null(strstr(r.location, "/outreach/"));
	long long id = atoll(strrchr(r.location, '/') + 1);
	reply_release(&r);
	assert_true(id > 0);
	char path[128];
	snprintf(path, sizeof path, "/api/outreach/%lld", id);
	json_t *a = client_get_json(&office, path);
	assert_string_equal(str(a, "held_on"), "2026-11-20");
	assert_int_equal(num(a, "audience"), 54);
	assert_int_equal(json_array_size(json_object_get(a, "files")), 1);
	assert_int_equal(json_array_size(json_object_get(a, "links")), 2);
	const char *furl =
		str(json_array_get(json_object_get(a, "files"), 0), "url");
	char fpath[128];
	snprintf(fpath, sizeof fpath, "%s", furl);
	json_decref(a);
	assert_int_equal(client_status(&office, fpath), 200);
	/* the front reads it, the surveyor does not */
	struct client front, surveyor;
	client_login_demo(&front, &srv, "mttq");
	client_login_demo(&surveyor, &srv, "dieutra");
	assert_int_equal(client_status(&front, path), 200);
	assert_int_equal(client_status(&surveyor, path), 403);
	client_release(&front);
	client_release(&surveyor);

	/* bad input: every field named, nothing saved */
	before = total(&office, "");
	client_status(&office, "/outreach/new");
	const char *const bad[] = {"channel",  "tv",         "topic_id", "",
				   "held_on",  "28/11/2026", "title",    "  ",
				   "audience", "-3",         "links",    "D9",
				   NULL};
	assert_int_equal(mpost(&office, "/outreach/new", bad, NULL, &r), 422);
	static const char *const named[] = {
		"Chọn hình thức", "Chọn chủ đề",      "không được sau hôm nay",
		"Nhập nội dung",  "Số người tham dự", "ít nhất một thôn",
		"Liên kết PAPI"};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (!reply_has(&r, named[i]))
			fail_msg("422 page does not say \"%s\"", named[i]);
	reply_release(&r);
	/* a text file called .png: refused by its content */
	static const char fake[] = "this is not a picture at all";
	struct file liar = {"files", "anh.png", fake, sizeof fake - 1};
	client_status(&office, "/outreach/new");
	const char *const ok_fields[] = {
		"channel",  "radio",      "topic_id", b,
		"held_on",  "2026-11-01", "title",    "Phát thanh dự toán",
		"villages", v1,           "villages", v4,
		NULL};
	assert_int_equal(mpost(&office, "/outreach/new", ok_fields, &liar, &r),
			 422);
	assert_true(reply_has(&r, "field-error"));
	reply_release(&r);
	/* an unknown indicator: refused by the catalogue */
	const char *const ind[] = {
		"channel",  "radio",      "topic_id", b,
		"held_on",  "2026-11-01", "title",    "Phát thanh dự toán",
		"villages", v1,           "links",    "D2:2.9.9",
		NULL};
	client_status(&office, "/outreach/new");
	assert_int_equal(mpost(&office, "/outreach/new", ind, NULL, NULL), 422);
	assert_int_equal(total(&office, ""), before);
	/* the matrix is read (and kept) before the next save... */
	char cpath[128];
	snprintf(cpath, sizeof cpath,
		 "/api/outreach/coverage?year=2026&topic=%lld", budget);
	json_t *cov = client_get_json(&office, cpath);
	long long thon4_before = -1;
	size_t k;
	json_t *vv;
	json_array_foreach(json_object_get(cov, "villages"), k,
			   vv) if (num(vv, "id") == thon4) thon4_before =
		num(vv, "count");
	json_decref(cov);
	assert_true(thon4_before >= 0);
	/* the same without the file: saved (the topic's dimension D2) */
	client_status(&office, "/outreach/new");
	assert_int_equal(mpost(&office, "/outreach/new", ok_fields, NULL, &r),
			 303);
	long long id2 = atoll(strrchr(r.location, '/') + 1);
	reply_release(&r);
	/* ...and shows it at once: a change moves the kept version */
	cov = client_get_json(&office, cpath);
	json_array_foreach(json_object_get(cov, "villages"), k,
			   vv) if (num(vv, "id") == thon4)
		assert_int_equal(num(vv, "count"), thon4_before + 1);
	json_decref(cov);
	snprintf(path, sizeof path, "/api/outreach/%lld", id2);
	a = client_get_json(&office, path);
	assert_string_equal(
		str(json_array_get(json_object_get(a, "links"), 0), "code"),
		"D2");
	json_decref(a);

	/* editing: another officer may not, the office may */
	snprintf(path, sizeof path, "/outreach/%lld/edit", id);
	assert_int_equal(client_status(&officer, path), 303);
	const char *const edit0[] = {"title", "x", NULL};
	client_status(&officer, "/outreach");
	assert_int_equal(mpost(&officer, path, edit0, NULL, NULL), 403);
	client_status(&office, path);
	const char *const edit[] = {
		"channel",  "village_meeting",
		"topic_id", t,
		"held_on",  "20/11/2026",
		"title",    "Hướng dẫn khai sinh trực tuyến (sửa)",
		"villages", v1,
		"audience", "60",
		NULL};
	assert_int_equal(mpost(&office, path, edit, NULL, NULL), 303);
	snprintf(path, sizeof path, "/api/outreach/%lld", id);
	a = client_get_json(&office, path);
	assert_int_equal(num(a, "audience"), 60);
	assert_int_equal(json_array_size(json_object_get(a, "files")), 1);
	json_decref(a);

	/* filters combine; the search ignores diacritics */
	assert_int_equal(total(&office, "?q=khai+sinh+truc+tuyen"), 1);
	char q[256];
	snprintf(q, sizeof q,
		 "?village=%lld&channel=village_meeting&dimension=D5&year=2026"
		 "&q=KHAI+SINH",
		 thon1);
	assert_int_equal(total(&office, q), 1);
	snprintf(q, sizeof q, "?village=%lld&q=khai+sinh", thon2);
	assert_int_equal(total(&office, q), 0);
	assert_int_equal(total(&office, "?q=khai+sinh&channel=radio"), 0);
	assert_int_equal(total(&office, "?q=khai+sinh&dimension=D7"), 0);
	assert_int_equal(total(&office, "?q=khai+sinh&year=2025"), 0);
	assert_int_equal(
		total(&office, "?q=khai+sinh&from=21/11/2026&to=30/11/2026"),
		0);
	assert_int_equal(
		total(&office, "?q=khai+sinh&from=20/11/2026&to=20/11/2026"),
		1);
	/* a bad date is named, not ignored in silence */
	struct reply lr;
	assert_int_equal(client_get(&office, "/outreach?from=31/02/2026", &lr),
			 0);
	assert_int_equal(lr.status, 422);
	reply_release(&lr);
	/* pages: 20 a page, and the next link keeps the filters */
	json_t *l = client_get_json(&office, "/api/outreach?year=2026");
	assert_true(num(l, "total") > 17);
	assert_int_equal(json_array_size(json_object_get(l, "activities")),
			 num(l, "total") > 20 ? 20 : num(l, "total"));
	json_decref(l);

	/* exports with the filters */
	assert_int_equal(
		client_get(&office, "/outreach/export.csv?q=khai+sinh", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 3 && !memcmp(r.body, "\xEF\xBB\xBF", 3));
	assert_true(reply_has(&r, "Ngày,Hình thức"));
	assert_true(reply_has(&r, "20/11/2026"));
	assert_true(reply_has(&r, "(sửa)"));
	assert_false(reply_has(&r, "Phát thanh dự toán"));
	reply_release(&r);
	assert_int_equal(client_get(&office, "/outreach/export.xlsx", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 4 && !memcmp(r.body, "PK", 2));
	reply_release(&r);
	client_release(&head);
	client_release(&office);
	client_release(&officer);
}

static void test_coverage(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv,
			  "bantt"); /* the inspection board reads it */
	json_t *cov = client_get_json(&c, "/api/outreach/coverage?year=2026");
	assert_int_equal(json_array_size(json_object_get(cov, "months")), 12);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(cov, "months"), 0)),
			    "01/2026");
	assert_int_equal(json_array_size(json_object_get(cov, "villages")), 6);
	/* the demo: administrative procedures never reached Thôn 4, 6 */
	bool found = false;
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(cov, "gaps"), i, g)
	{
		if (strncmp(str(g, "topic"), "Thủ tục hành chính", 20))
			continue;
		found = true;
		json_t *v = json_object_get(g, "villages");
		assert_int_equal(json_array_size(v), 2);
		assert_string_equal(json_string_value(json_array_get(v, 0)),
				    "Thôn 4");
		assert_string_equal(json_string_value(json_array_get(v, 1)),
				    "Thôn 6");
	}
	assert_true(found);
	/* a village-month cell counts what reached it */
	json_t *thon1 = json_array_get(json_object_get(cov, "villages"), 0);
	assert_string_equal(str(thon1, "name"), "Thôn 1");
	assert_true(num(thon1, "count") >= 10);
	json_t *nov = json_array_get(json_object_get(thon1, "months"), 10);
	assert_true(num(nov, "n") >= 1);
	json_decref(cov);
	/* a period with nothing: no campaign, no gap */
	cov = client_get_json(&c, "/api/outreach/coverage?year=2020");
	assert_int_equal(json_array_size(json_object_get(cov, "gaps")), 0);
	assert_int_equal(num(cov, "total"), 0);
	json_decref(cov);
	/* from–to across a new year: months labelled with their years */
	cov = client_get_json(&c,
			      "/api/outreach/coverage?from=15/11/2025&to=10/02/"
			      "2026");
	json_t *m = json_object_get(cov, "months");
	assert_int_equal(json_array_size(m), 4);
	assert_string_equal(json_string_value(json_array_get(m, 3)), "02/2026");
	json_decref(cov);
	/* filters narrow it: the radio reached every village */
	cov = client_get_json(&c,
			      "/api/outreach/coverage?year=2026&channel=radio");
	json_array_foreach(json_object_get(cov, "villages"), i, g)
		assert_true(num(g, "count") >= 1);
	json_decref(cov);
	/* a period too long or backwards: 422 naming it */
	struct reply r;
	assert_int_equal(client_get(&c,
				    "/outreach/coverage?from=01/01/2020&"
				    "to=31/12/2026",
				    &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "60 tháng"));
	reply_release(&r);
	/* the page itself */
	assert_int_equal(client_get(&c, "/outreach/coverage", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "class=\"num gap\""));
	assert_true(reply_has(&r, "Thôn chưa được tuyên truyền"));
	reply_release(&r);
	client_release(&c);
}

static void test_topics(void **state)
{
	(void)state;
	struct client office, officer;
	client_login_demo(&office, &srv, "vanphong");
	client_login_demo(&officer, &srv, "canbo");
	client_status(&officer, "/outreach/topics");
	struct reply r;
	assert_int_equal(client_post(&officer, "/outreach/topics",
				     "name_vi=Ch%E1%BB%A7+%C4%91%E1%BB%81+m%E1"
				     "%BB%9Bi",
				     &r),
			 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	client_status(&office, "/outreach/topics");
	assert_int_equal(client_post(&office, "/outreach/topics",
				     "name_vi=An+to%C3%A0n+giao+th%C3%B4ng&"
				     "dimension=D6&ord=20",
				     &r),
			 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	/* the same name again, and an empty one: 422 */
	client_status(&office, "/outreach/topics");
	assert_int_equal(client_post(&office, "/outreach/topics",
				     "name_vi=An+toan+giao+thong&ord=21", &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Đã có chủ đề cùng tên"));
	reply_release(&r);
	client_status(&office, "/outreach/topics");
	assert_int_equal(
		client_post(&office, "/outreach/topics", "name_vi=+", &r), 0);
	assert_int_equal(r.status, 422);
	reply_release(&r);
	json_t *form = client_get_json(&office, "/api/outreach/new");
	long long id = topic_id(form, "An toàn giao thông");
	assert_true(id > 0);
	json_decref(form);
	/* the page's form sends the hidden 0 then the ticked box's 1 */
	char body[256];
	snprintf(
		body, sizeof body,
		"id=%lld&name_vi=An+to%%C3%%A0n+giao+th%%C3%%B4ng&dimension=D6&"
		"ord=0&active=0&active=1",
		id);
	client_status(&office, "/outreach/topics");
	assert_int_equal(client_post(&office, "/outreach/topics", body, &r), 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	form = client_get_json(&office, "/api/outreach/new");
	assert_int_equal(topic_id(form, "An toàn giao thông"), id);
	json_decref(form);
	/* unticked: retired, no longer offered for a new activity */
	snprintf(body, sizeof body,
		 "id=%lld&name_vi=An+to%%C3%%A0n+giao+th%%C3%%B4ng&ord=20&"
		 "active=0",
		 id);
	client_status(&office, "/outreach/topics");
	assert_int_equal(client_post(&office, "/outreach/topics", body, &r), 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	form = client_get_json(&office, "/api/outreach/new");
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(form, "topics"), i, t)
		assert_int_not_equal(num(t, "id"), id);
	json_decref(form);
	client_release(&office);
	client_release(&officer);
}

static void test_news(void **state)
{
	(void)state;
	struct client office, officer, nobody;
	client_login_demo(&office, &srv, "vanphong");
	client_login_demo(&officer, &srv, "canbo");
	client_init(&nobody, &srv);
	/* an officer of another unit may not write */
	client_status(&officer, "/outreach/news");
	const char *const post[] = {
		"title",
		"Kết quả 6 tháng <b>đầu năm</b>",
		"body",
		"Đoạn một.\n\nĐoạn hai <script>alert('x')</script> hết.",
		"publish",
		"1",
		NULL};
	assert_int_equal(
		mpost(&officer, "/outreach/news/new", post, NULL, NULL), 403);
	/* bad input: title and text named */
	client_status(&office, "/outreach/news/new");
	const char *const empty[] = {"title", " ", "body", "", NULL};
	struct reply r;
	assert_int_equal(mpost(&office, "/outreach/news/new", empty, NULL, &r),
			 422);
	assert_true(reply_has(&r, "Nhập tiêu đề"));
	assert_true(reply_has(&r, "Nhập nội dung"));
	reply_release(&r);
	/* a PDF is no photo */
	static const char pdf[] =
		"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
	struct file notphoto = {"photo", "anh.png", pdf, sizeof pdf - 1};
	client_status(&office, "/outreach/news/new");
	assert_int_equal(
		mpost(&office, "/outreach/news/new", post, &notphoto, NULL),
		422);
	/* published with a photo */
	struct file photo = {"photo", "anh.png", png, sizeof png};
	client_status(&office, "/outreach/news/new");
	assert_int_equal(mpost(&office, "/outreach/news/new", post, &photo, &r),
			 303);
	long long id = atoll(strrchr(r.location, '/') + 1);
	reply_release(&r);
	char path[128];
	snprintf(path, sizeof path, "/citizen/news/%lld", id);
	assert_int_equal(client_get(&nobody, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "&lt;script&gt;"));
	assert_false(reply_has(&r, "<script>alert"));
	assert_true(reply_has(&r, "&lt;b&gt;đầu năm"));
	assert_true(reply_has(&r, "<p class=\"news-text\">Đoạn một.</p>"));
	reply_release(&r);
	snprintf(path, sizeof path, "/citizen/news/%lld/photo", id);
	assert_int_equal(client_get(&nobody, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "image/png");
	assert_int_equal(r.len, sizeof png);
	reply_release(&r);
	assert_int_equal(client_get(&nobody, "/citizen/news?xa=12424", &r), 0);
	assert_true(reply_has(&r, "Kết quả 6 tháng"));
	reply_release(&r);
	/* taken back: gone from the public pages, photo too */
	snprintf(path, sizeof path, "/outreach/news/%lld", id);
	client_status(&office, path);
	snprintf(path, sizeof path, "/outreach/news/%lld/publish", id);
	assert_int_equal(client_post(&office, path, "action=unpublish", &r), 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	snprintf(path, sizeof path, "/citizen/news/%lld", id);
	assert_int_equal(client_status(&nobody, path), 404);
	snprintf(path, sizeof path, "/citizen/news/%lld/photo", id);
	assert_int_equal(client_status(&nobody, path), 404);
	/* the demo's draft is not public either */
	json_t *staff = client_get_json(&office, "/api/outreach/news");
	size_t i;
	json_t *p;
	int drafts = 0;
	json_array_foreach(json_object_get(staff, "posts"), i, p)
	{
		if (strcmp(str(p, "status"), "draft"))
			continue;
		drafts++;
		snprintf(path, sizeof path, "/citizen/news/%lld", num(p, "id"));
		assert_int_equal(client_status(&nobody, path), 404);
	}
	assert_int_equal(drafts, 2);
	json_decref(staff);
	/* an officer of the culture–society unit writes and publishes: canbo
	 * is given that role too (the demo has nobody there) */
	struct client chair;
	client_login_demo(&chair, &srv, "chutich");
	json_t *units = client_get_json(&chair, "/api/people/units");
	long long culture = 0;
	json_array_foreach(json_object_get(units, "units"), i,
			   p) if (!culture &&
				  !strcmp(str(p, "name"), "Văn hóa – Xã hội") &&
				  json_is_null(json_object_get(p, "valid_to")))
		culture = num(p, "id");
	json_decref(units);
	client_release(&chair);
	assert_true(culture > 0);
	char unit[32];
	snprintf(unit, sizeof unit, "%lld", culture);
	assert_int_equal(server_cli(&srv, NULL, "user", "role-add", "canbo",
				    "officer", unit, NULL),
			 0);
	assert_int_equal(client_status(&officer, "/outreach/news/new"), 200);
	const char *const culture_post[] = {
		"title",   "Văn hóa – Xã hội đưa tin",
		"body",    "Một đoạn.",
		"publish", "1",
		NULL};
	assert_int_equal(
		mpost(&officer, "/outreach/news/new", culture_post, NULL, &r),
		303);
	reply_release(&r);
	assert_int_equal(client_get(&nobody, "/citizen/news", &r), 0);
	assert_true(reply_has(&r, "Văn hóa – Xã hội đưa tin"));
	reply_release(&r);
	client_release(&office);
	client_release(&officer);
	client_release(&nobody);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_topics),
		cmocka_unit_test(test_news),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
