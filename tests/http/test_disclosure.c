/* disclosure/ through a real `quantri serve` on the demo database (day
 * 27/11/2026): who reads the register and who may write (403 otherwise);
 * the office records a disclosure with a document and a phone photo, the
 * register and the record page show it, a citizen without login reads it
 * on /citizen/disclosures and opens its document but not the evidence;
 * bad input (dates, a text file named .jpg) is 422 with Vietnamese
 * messages and changes nothing; the rules (ends too early, loudspeaker
 * under 3 consecutive days, a channel missing) show on the record; a
 * village head adds evidence only where the record names their village;
 * the chair edits the catalogue and the problems follow; CSV and XLSX
 * export; the catalogue's CSV import is all or nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "harness.h"
#pragma GCC diagnostic ignored                                                 \
	"-Wmissing-field-initializers" /* {"name", "value"} */
#include "../../src/base/banned.h"

static struct server srv;
static char *photo;
static size_t photo_len;
static char *pdf;
static size_t pdf_len;

static char *slurp(const char *name, size_t *len)
{
	char path[1024];
	const char *here = __FILE__, *slash = strrchr(here, '/');
	snprintf(path, sizeof path, "%.*s/../fixtures/files/%s",
		 (int)(slash ? slash - here : 1), slash ? here : ".", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(4 << 20);
	*len = fread(buf, 1, 4 << 20, f);
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0",
					  "QUANTRI_NOW=2026-11-27T02:00:00Z",
					  NULL};
	photo = slurp("photo.jpg", &photo_len);
	pdf = slurp("report.pdf", &pdf_len);
	if (!photo || !pdf)
		return -1;
	server_start(&srv, env);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	free(photo);
	free(pdf);
	return 0;
}

static json_t *get_json(struct client *c, const char *path, long want)
{
	struct reply r;
	if (client_get(c, path, &r) || r.status != want)
		fail_msg("GET %s: %ld (want %ld) %.300s", path, r.status, want,
			 r.body ? r.body : "");
	json_t *j = reply_json(&r);
	reply_release(&r);
	if (!j)
		fail_msg("GET %s: not JSON", path);
	return j;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The register's item of number no: its id. */
static long long item_id(struct client *c, int no)
{
	json_t *j = get_json(c, "/api/disclosure", 200), *x;
	size_t i;
	long long id = 0;
	json_array_foreach(
		json_object_get(json_object_get(j, "register"), "items"), i, x)
	{
		if (num(x, "no") == no)
			id = num(x, "id");
	}
	json_decref(j);
	assert_true(id > 0);
	return id;
}

static long long village_id(struct client *c, const char *name)
{
	json_t *j = get_json(c, "/api/disclosure", 200), *x;
	size_t i;
	long long id = 0;
	json_array_foreach(json_object_get(j, "villages"), i, x)
	{
		if (!strcmp(str(x, "name"), name))
			id = num(x, "id");
	}
	json_decref(j);
	assert_true(id > 0);
	return id;
}

static long long total(struct client *c)
{
	json_t *j = get_json(c, "/api/disclosure?year=2026", 200);
	long long t = num(json_object_get(j, "list"), "total");
	json_decref(j);
	return t;
}

struct field {
	const char *name, *value; /* a plain field */
	const char *filename;     /* or a file */
	const void *data;
	size_t len;
};

/* A multipart POST like the phone form sends; returns the status, the
 * reply in *out if given. */
static long post_form(struct client *c, const char *path, const struct field *f,
		      int n, struct reply *out)
{
	struct reply r;
	client_get(c, "/disclosure", &r); /* a fresh CSRF token */
	reply_release(&r);
	static const char b[] = "qtDiscBoundary4Kz";
	size_t cap = 8192;
	for (int i = 0; i < n; i++)
		cap += (f[i].filename ? f[i].len : strlen(f[i].value)) + 512;
	char *body = malloc(cap);
	size_t k = (size_t)snprintf(body, cap,
				    "--%s\r\nContent-Disposition: form-data; "
				    "name=\"csrf_token\"\r\n\r\n%s\r\n",
				    b, c->csrf);
	for (int i = 0; i < n; i++) {
		if (f[i].filename) {
			k += (size_t)snprintf(
				body + k, cap - k,
				"--%s\r\nContent-Disposition: form-data; "
				"name=\"%s\"; filename=\"%s\"\r\nContent-Type: "
				"application/octet-stream\r\n\r\n",
				b, f[i].name, f[i].filename);
			memcpy(body + k, f[i].data, f[i].len);
			k += f[i].len;
			k += (size_t)snprintf(body + k, cap - k, "\r\n");
		} else {
			k += (size_t)snprintf(
				body + k, cap - k,
				"--%s\r\nContent-Disposition: form-data; "
				"name=\"%s\"\r\n\r\n%s\r\n",
				b, f[i].name, f[i].value);
		}
	}
	k += (size_t)snprintf(body + k, cap - k, "--%s--\r\n", b);
	char ct[100];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	if (client_request(c, "POST", path, ct, body, k, &r))
		fail_msg("POST %s: no reply", path);
	free(body);
	long s = r.status;
	if (out)
		*out = r;
	else
		reply_release(&r);
	return s;
}

static long long id_from_location(const struct reply *r)
{
	const char *p = strstr(r->location, "/disclosure/");
	return p ? strtoll(p + 12, NULL, 10) : 0;
}

static void test_read_permissions(void **state)
{
	(void)state;
	static const struct {
		const char *user;
		long status;
		bool edit;
	} who[] = {
		{"vanphong", 200, true},    {"chutich", 200, true},
		{"phochutich", 200, false}, {"mttq", 200, false},
		{"bantt", 200, false},      {"tinh", 200, false},
		{"truongthon", 200, false}, {"canbo", 200, false},
	};
	/* the upper level sees every commune of the province: ask for
	 * Tiên Tiến's by id, as the commune picker does */
	char path[64];
	{
		struct client c;
		client_login_demo(&c, &srv, "vanphong");
		json_t *j = get_json(&c, "/api/disclosure", 200);
		snprintf(path, sizeof path, "/api/disclosure?commune=%lld",
			 num(j, "commune_id"));
		json_decref(j);
		client_release(&c);
	}
	for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
		struct client c;
		client_login_demo(&c, &srv, who[i].user);
		json_t *j = get_json(&c, path, who[i].status);
		assert_int_equal(json_is_true(json_object_get(j, "can_edit")),
				 who[i].edit);
		/* the demo: Q3 budget posted too short, land plan without
		 * its website posting, inspection result broadcast twice */
		if (num(json_object_get(j, "register"), "problem_records") != 3)
			fail_msg("%s: commune %lld: %lld problem records",
				 who[i].user, num(j, "commune_id"),
				 num(json_object_get(j, "register"),
				     "problem_records"));
		json_decref(j);
		struct reply r;
		client_get(&c, "/disclosure/new", &r);
		assert_int_equal(r.status, who[i].edit ? 200 : 403);
		reply_release(&r);
		if (!who[i].edit) {
			const struct field f[] = {{"title", "x"}};
			assert_int_equal(
				post_form(&c, "/disclosure/new", f, 1, NULL),
				403);
		}
		client_release(&c);
	}
	struct client anon;
	client_init(&anon, &srv);
	struct reply r;
	client_get(&anon, "/disclosure", &r);
	assert_true(r.status == 303 || r.status == 302 || r.status == 401);
	reply_release(&r);
	client_release(&anon);
}

static void test_record_with_photo(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	long long before = total(&c);
	char item[32], village[32];
	snprintf(item, sizeof item, "%lld", item_id(&c, 6));
	snprintf(village, sizeof village, "%lld", village_id(&c, "Thôn 1"));
	const struct field f[] = {
		{"item_id", item},
		{"title", "Danh sách hộ nghèo bổ sung tháng 11 Thôn Một"},
		{"channels", "notice_board"},
		{"channels", "village_meeting"},
		{"villages", village},
		{"posted_from", "20/11/2026"},
		{"posted_to", "19/12/2026"},
		{"note", "Đã đọc tại hội nghị thôn"},
		{"document", NULL, "danh-sach.pdf", pdf, pdf_len},
		{"evidence", NULL, "bang-tin.jpg", photo, photo_len},
	};
	struct reply r;
	assert_int_equal(post_form(&c, "/disclosure/new", f,
				   (int)(sizeof f / sizeof *f), &r),
			 303);
	long long id = id_from_location(&r);
	reply_release(&r);
	assert_true(id > 0);
	assert_int_equal(total(&c), before + 1);
	char path[64];
	snprintf(path, sizeof path, "/api/disclosure/%lld", id);
	json_t *j = get_json(&c, path, 200),
	       *rec = json_object_get(j, "record");
	assert_string_equal(str(rec, "state"), "ok");
	assert_int_equal(num(rec, "posted_days"), 30);
	assert_int_equal(json_array_size(json_object_get(rec, "files")), 1);
	assert_int_equal(json_array_size(json_object_get(rec, "evidence")), 1);
	/* the item's PAPI link came with it */
	assert_string_equal(str(rec, "links_text"), "D2:2.2");
	char doc[128], ev[128];
	snprintf(doc, sizeof doc, "%s",
		 str(json_array_get(json_object_get(rec, "files"), 0), "url"));
	snprintf(ev, sizeof ev, "%s",
		 str(json_array_get(json_object_get(rec, "evidence"), 0),
		     "url"));
	json_decref(j);
	/* search without diacritics finds it */
	j = get_json(&c, "/api/disclosure?q=HO+NGHEO+bo+sung+thang+11", 200);
	assert_int_equal(num(json_object_get(j, "list"), "total"), 1);
	json_decref(j);
	/* filters combine: the village, D2, this year */
	char q[160];
	snprintf(q, sizeof q,
		 "/api/disclosure?village=%s&dimension=D2&year=2026", village);
	j = get_json(&c, q, 200);
	assert_true(num(json_object_get(j, "list"), "total") >= 1);
	json_decref(j);
	j = get_json(&c, "/api/disclosure?dimension=D7", 200);
	assert_int_equal(num(json_object_get(j, "list"), "total"), 0);
	json_decref(j);

	/* not on the public page until the chair or a vice-chair approves
	 * it; the office may not approve */
	struct client anon;
	client_init(&anon, &srv);
	j = get_json(&anon, "/api/citizen/disclosures", 200);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "records"), i, x)
		assert_true(num(x, "id") != id);
	json_decref(j);
	snprintf(path, sizeof path, "/disclosure/%lld/approve", id);
	assert_int_equal(post_form(&c, path, NULL, 0, &r), 403);
	reply_release(&r);
	struct client chair;
	client_login_demo(&chair, &srv, "chutich");
	assert_int_equal(post_form(&chair, path, NULL, 0, &r), 303);
	reply_release(&r);
	snprintf(path, sizeof path, "/api/disclosure/%lld", id);
	j = get_json(&chair, path, 200);
	assert_true(json_is_true(json_object_get(j, "approved")));
	json_decref(j);
	client_release(&chair);

	/* a citizen, no login */
	j = get_json(&anon, "/api/citizen/disclosures", 200);
	bool found = false;
	char pub[128] = "";
	json_array_foreach(json_object_get(j, "records"), i, x)
	{
		if (num(x, "id") == id) {
			found = true;
			assert_int_equal(
				json_array_size(json_object_get(x, "files")),
				1);
			snprintf(pub, sizeof pub, "%s",
				 str(json_array_get(json_object_get(x, "files"),
						    0),
				     "url"));
		}
		/* the demo's land plan ended in April: not public now */
		assert_null(strstr(str(x, "title"), "sử dụng đất"));
	}
	assert_true(found);
	char *dump = json_dumps(j, 0);
	assert_null(strstr(dump, "vanphong")); /* no staff names */
	free(dump);
	json_decref(j);
	/* one commune's page, as the citizen pages take it */
	json_t *one = get_json(&anon, "/api/citizen/disclosures?xa=12424", 200);
	/* the demo's one approved and posted now (the other posted now
	 * awaits approval), and this one */
	assert_int_equal(num(one, "total"), 2);
	assert_string_equal(str(one, "commune_name"), "Xã Tiên Tiến");
	json_decref(one);
	client_get(&anon, "/citizen/disclosures?xa=99999", &r);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_get(&anon, pub, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, pdf_len);
	reply_release(&r);
	client_get(&anon, doc, &r); /* /files/ wants a login */
	assert_int_not_equal(r.status, 200);
	reply_release(&r);
	client_get(&anon, ev, &r);
	assert_int_not_equal(r.status, 200);
	reply_release(&r);
	/* the evidence (a photo of people, maybe) is not on the public
	 * route either; the document is, and also for staff on /files */
	const char *evid = strrchr(ev, '/');
	snprintf(path, sizeof path, "/citizen/disclosures/files%s", evid);
	client_get(&anon, path, &r);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_get(&c, doc, &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	client_release(&anon);

	/* the village head of Thôn 1 adds a photo; not on a record of
	 * another village */
	struct client head;
	client_login_demo(&head, &srv, "truongthon");
	const struct field e[] = {
		{"evidence", NULL, "hoi-nghi.jpg", photo, photo_len}};
	snprintf(path, sizeof path, "/disclosure/%lld/evidence", id);
	assert_int_equal(post_form(&head, path, e, 1, NULL), 303);
	j = get_json(&head, "/api/disclosure?q=ke+hoach+phat+trien", 200);
	long long other =
		num(json_array_get(json_object_get(json_object_get(j, "list"),
						   "records"),
				   0),
		    "id");
	json_decref(j);
	snprintf(path, sizeof path, "/disclosure/%lld/evidence", other);
	assert_int_equal(post_form(&head, path, e, 1, NULL), 403);
	snprintf(path, sizeof path, "/api/disclosure/%lld", id);
	j = get_json(&c, path, 200);
	assert_int_equal(json_array_size(json_object_get(
				 json_object_get(j, "record"), "evidence")),
			 2);
	json_decref(j);
	client_release(&head);
	client_release(&c);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	long long before = total(&c);
	char item[32];
	snprintf(item, sizeof item, "%lld", item_id(&c, 1));
	static const char fake[] = "this is not a photo at all";
	static const struct {
		const char *from, *to, *channel, *field;
		bool fake;
	} t[] = {
		{"10/11/2026", "09/11/2026", "notice_board", "posted_to",
		 false},
		{"31/02/2026", "09/11/2026", "notice_board", "posted_from",
		 false},
		{"01/11/2026", "30/11/2026", "", "channels", false},
		{"01/11/2026", "30/11/2026", "village_meeting", "villages",
		 false},
		{"01/11/2026", "30/11/2026", "notice_board", "evidence", true},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct field f[] = {
			{"item_id", item},
			{"title", "Thử dữ liệu sai"},
			{"channels", t[i].channel},
			{"posted_from", t[i].from},
			{"posted_to", t[i].to},
			{"evidence", NULL, "anh.jpg", fake, sizeof fake - 1},
		};
		struct reply r;
		long s = post_form(&c, "/api/disclosure/new", f,
				   t[i].fake ? 6 : 5, &r);
		json_t *j = reply_json(&r);
		if (s != 422 || !j)
			fail_msg("case %zu: %ld %.300s", i, s,
				 r.body ? r.body : "");
		json_t *errors = json_object_get(j, "errors");
		if (!json_object_get(errors, t[i].field))
			fail_msg("case %zu: no error for %s: %s", i, t[i].field,
				 r.body);
		json_decref(j);
		reply_release(&r);
	}
	/* the page, not the API: Vietnamese on the form */
	struct field f[] = {{"item_id", item},
			    {"title", "Thử"},
			    {"channels", "notice_board"},
			    {"posted_from", "10/11/2026"},
			    {"posted_to", "09/11/2026"}};
	struct reply r;
	assert_int_equal(post_form(&c, "/disclosure/new", f, 5, &r), 422);
	assert_true(
		reply_has(&r, "Ngày kết thúc không được trước ngày bắt đầu"));
	reply_release(&r);
	assert_int_equal(total(&c), before);
	/* bad filters: 422 with the field named */
	json_t *j = get_json(&c, "/api/disclosure?from=32/13/2026", 422);
	assert_non_null(json_object_get(json_object_get(j, "errors"), "from"));
	json_decref(j);
	client_release(&c);
}

static void test_rules(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	char item[32];
	snprintf(item, sizeof item, "%lld", item_id(&c, 8));
	const struct field f[] = {
		{"item_id", item},
		{"title",
		 "Kết luận thanh tra việc thu chi quỹ phòng chống thiên tai"},
		{"channels", "notice_board"},
		{"channels", "loudspeaker"},
		{"posted_from", "01/11/2026"},
		{"posted_to", "20/11/2026"},
		{"days", "02/11/2026, 03/11/2026, 05/11/2026"},
	};
	struct reply r;
	assert_int_equal(post_form(&c, "/disclosure/new", f, 7, &r), 303);
	long long id = id_from_location(&r);
	reply_release(&r);
	char path[64];
	snprintf(path, sizeof path, "/api/disclosure/%lld", id);
	json_t *j = get_json(&c, path, 200),
	       *p = json_object_get(json_object_get(j, "record"), "problems");
	assert_int_equal(json_array_size(p), 2);
	assert_string_equal(str(json_array_get(p, 0), "code"), "short");
	assert_string_equal(str(json_array_get(p, 0), "text_vi"),
			    "Kết thúc sớm: công khai 20 ngày, ít hơn 30 ngày "
			    "bắt buộc");
	assert_string_equal(str(json_array_get(p, 1), "code"), "loudspeaker");
	assert_string_equal(str(json_array_get(p, 1), "text_vi"),
			    "Phát thanh 2 ngày liên tục, ít hơn 3 ngày bắt "
			    "buộc");
	json_decref(j);
	/* the problems-only filter and the register count it */
	j = get_json(&c, "/api/disclosure?problems=1", 200);
	assert_true(num(json_object_get(j, "list"), "total") >= 4);
	json_decref(j);

	/* the chair drops the website from item 3: the demo's land plan
	 * is then right; a bad edit changes nothing */
	long long i3 = item_id(&c, 3);
	snprintf(path, sizeof path, "/api/disclosure/items/%lld", i3);
	json_t *ij = get_json(&c, path, 200), *it = json_object_get(ij, "item");
	const struct field bad[] = {{"no", "3"},
				    {"title", str(it, "title")},
				    {"channels", "notice_board"},
				    {"min_days", "0"},
				    {"loudspeaker_days", "0"},
				    {"frequency", "yearly"},
				    {"links", "D2:2.4"},
				    {"active", "1"},
				    {"wording_done", "1"}};
	snprintf(path, sizeof path, "/disclosure/items/%lld", i3);
	assert_int_equal(post_form(&c, path, bad, 9, &r), 422);
	assert_true(reply_has(&r, "Thời gian công khai tối thiểu"));
	reply_release(&r);
	j = get_json(&c, "/api/disclosure?q=ke+hoach+su+dung+dat", 200);
	json_t *rec = json_array_get(
		json_object_get(json_object_get(j, "list"), "records"), 0);
	assert_string_equal(str(rec, "state"), "bad");
	json_decref(j);
	struct field good[9];
	memcpy(good, bad, sizeof good);
	good[3].value = "30";
	assert_int_equal(post_form(&c, path, good, 9, NULL), 303);
	j = get_json(&c, "/api/disclosure?q=ke+hoach+su+dung+dat", 200);
	rec = json_array_get(
		json_object_get(json_object_get(j, "list"), "records"), 0);
	assert_string_equal(str(rec, "state"), "ok");
	json_decref(j);
	/* the front may not edit the catalogue */
	struct client front;
	client_login_demo(&front, &srv, "mttq");
	assert_int_equal(post_form(&front, path, good, 9, NULL), 403);
	client_release(&front);
	json_decref(ij);
	client_release(&c);
}

static void test_export(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "bantt");
	struct reply r;
	assert_int_equal(client_get(&c, "/disclosure/export.csv?year=2026", &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_true(reply_has(&r, "Báo cáo tình hình thực hiện ngân sách xã "
				  "quý III/2026"));
	assert_true(reply_has(&r, "12/10/2026"));
	assert_true(reply_has(&r, "Kết thúc sớm"));
	reply_release(&r);
	assert_int_equal(
		client_get(&c, "/disclosure/export.xlsx?dimension=D2", &r), 0);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, "PK", 2);
	reply_release(&r);
	client_release(&c);
}

static void test_catalogue_cli(void **state)
{
	(void)state;
	char *out = NULL, path[400], bad[400];
	snprintf(path, sizeof path, "%s/items.csv", srv.dir);
	snprintf(bad, sizeof bad, "%s/bad.csv", srv.dir);
	assert_int_equal(server_cli(&srv, NULL, "disclosure", "items", "export",
				    "-o", path, NULL),
			 0);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	assert_non_null(strstr(buf, "Kế hoạch phát triển kinh tế"));
	/* one bad row (min_days 0) and one bad channel: nothing changes */
	f = fopen(bad, "w");
	fputs("no,title,channels,min_days,loudspeaker_days,frequency,links\n"
	      "1,Kế hoạch mới,notice_board,0,0,yearly,D2\n"
	      "2,Ngân sách,radio,30,0,quarterly,D2:2.3\n",
	      f);
	fclose(f);
	assert_int_equal(server_cli(&srv, &out, "disclosure", "items", "import",
				    bad, NULL),
			 1);
	free(out);
	out = NULL;
	assert_int_equal(server_cli(&srv, &out, "disclosure", "items", NULL),
			 0);
	assert_non_null(strstr(out, "Kế hoạch phát triển kinh tế"));
	free(out);
	out = NULL;
	/* the export imports back unchanged */
	assert_int_equal(server_cli(&srv, &out, "disclosure", "items", "import",
				    path, NULL),
			 0);
	assert_non_null(strstr(out, "14 items imported"));
	free(out);
	out = NULL;
	assert_int_equal(server_cli(&srv, &out, "disclosure", "list", "--year",
				    "2026", NULL),
			 0);
	assert_null(strstr(out, "channel:website"));
	assert_non_null(strstr(out, "loudspeaker"));
	free(out);
}

/* The job ran when the server started: the office has one notification
 * per problem (last year's items never disclosed, the demo's three bad
 * postings), and running the reminders again, or a day later, tells
 * nobody anything twice; a new problem is told once. */
static int count_kind(json_t *list, const char *kind, const char *needle)
{
	int n = 0;
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		if (!strcmp(str(x, "kind"), kind) &&
		    (!needle || strstr(str(x, "title"), needle)))
			n++;
	}
	return n;
}

static void test_reminders(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	json_t *j = get_json(&c, "/api/notifications", 200);
	json_t *list = json_object_get(j, "notifications");
	int before = count_kind(list, "disclosure", NULL);
	assert_int_equal(count_kind(list, "disclosure",
				    "Công khai chưa đúng quy định: Báo cáo "
				    "tình hình thực hiện ngân sách xã quý "
				    "III/2026"),
			 1);
	assert_true(count_kind(list, "disclosure", "Chưa công khai") >= 5);
	json_decref(j);
	char *out = NULL;
	assert_int_equal(server_cli(&srv, &out, "disclosure", "remind", NULL),
			 0);
	assert_non_null(strstr(out, "0 reminders sent"));
	free(out);
	out = NULL;
	/* on 2 January 2027, the fourth quarter's budget report of 2026 is
	 * missing: told once */
	assert_int_equal(server_cli(&srv, &out, "disclosure", "remind",
				    "--date", "2027-01-02", NULL),
			 0);
	assert_true(strtol(out, NULL, 10) >= 1);
	free(out);
	out = NULL;
	assert_int_equal(server_cli(&srv, &out, "disclosure", "remind",
				    "--date", "2027-01-03", NULL),
			 0);
	assert_non_null(strstr(out, "0 reminders sent"));
	free(out);
	j = get_json(&c, "/api/notifications", 200);
	list = json_object_get(j, "notifications");
	assert_true(count_kind(list, "disclosure", NULL) > before);
	assert_int_equal(count_kind(list, "disclosure", "Quý 4/2026"), 1);
	json_decref(j);
	/* the chair, not the office, gets none */
	struct client chair;
	client_login_demo(&chair, &srv, "chutich");
	j = get_json(&chair, "/api/notifications", 200);
	assert_int_equal(count_kind(json_object_get(j, "notifications"),
				    "disclosure", NULL),
			 0);
	json_decref(j);
	client_release(&chair);
	client_release(&c);
}

/* The catalogue through the page: the chair downloads it, a file with a
 * bad row is refused with the row named and nothing changes, the
 * download imports back. The front may download but not import. */
static void test_catalogue_page(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	struct reply r;
	assert_int_equal(client_get(&c, "/disclosure/items/export.csv", &r), 0);
	assert_int_equal(r.status, 200);
	char *csv = malloc(r.len + 1);
	memcpy(csv, r.body, r.len);
	size_t len = r.len;
	reply_release(&r);
	static const char bad[] =
		"no,title,channels,min_days,loudspeaker_days,frequency,links\n"
		"1,Kế hoạch,notice_board,30,0,yearly,D2\n"
		"2,Ngân sách,notice_board,30,0,weekly,D2:2.3\n";
	const struct field fb[] = {
		{"file", NULL, "danh-muc.csv", bad, sizeof bad - 1}};
	assert_int_equal(post_form(&c, "/disclosure/items/import", fb, 1, &r),
			 422);
	assert_true(reply_has(&r, "Dòng 3"));
	reply_release(&r);
	json_t *j = get_json(&c, "/api/disclosure/items", 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 14);
	json_decref(j);
	const struct field fg[] = {{"file", NULL, "danh-muc.csv", csv, len}};
	assert_int_equal(post_form(&c, "/disclosure/items/import", fg, 1, NULL),
			 303);
	j = get_json(&c, "/api/disclosure/items", 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 14);
	json_decref(j);
	struct client front;
	client_login_demo(&front, &srv, "mttq");
	assert_int_equal(client_get(&front, "/disclosure/items/export.csv", &r),
			 0);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	assert_int_equal(
		post_form(&front, "/disclosure/items/import", fg, 1, NULL),
		403);
	client_release(&front);
	free(csv);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reminders),
		cmocka_unit_test(test_read_permissions),
		cmocka_unit_test(test_record_with_photo),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_catalogue_cli),
		cmocka_unit_test(test_catalogue_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
