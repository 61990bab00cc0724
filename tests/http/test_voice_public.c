/* The citizen pages (voice_public_http.c) against a real server: the
 * phone-first form, a submission's receipt shown once, tracking with code
 * and secret (a wrong secret and an unknown code answer alike, the secret
 * never in the log), errors in Vietnamese with nothing saved, files checked
 * by content, CSRF, the rate limit per address (429 with Retry-After),
 * script shown inert, a denouncer's identity never shown, the answered
 * case read and rated, the published answers and statistics pages. */
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
	static const char *const env[] = {
		"QUANTRI_DEMO_ROUND=0", "QUANTRI_VOICE_SUBMIT_PER_10MIN=1000",
		"QUANTRI_VOICE_SUBMIT_PER_DAY=1000", NULL};
	server_start(&srv, env);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

/* The receipt's code and secret from the reply's qt_receipt cookie. */
static void receipt_of(const struct reply *r, char *code, char *secret)
{
	const char *p = r->headers ? strstr(r->headers, "qt_receipt=") : NULL;
	assert_non_null(p);
	p += strlen("qt_receipt=");
	size_t n = strcspn(p, ".");
	assert_true(n > 0 && n < 32);
	memcpy(code, p, n);
	code[n] = '\0';
	p += n + 1;
	n = strcspn(p, ";\r\n");
	assert_true(n > 0 && n < 32);
	memcpy(secret, p, n);
	secret[n] = '\0';
}

/* GET the form (for the CSRF token), then POST body. */
static long submit(struct client *c, const char *body, struct reply *r)
{
	struct reply f;
	assert_int_equal(client_get(c, "/citizen/submit", &f), 0);
	assert_int_equal(f.status, 200);
	reply_release(&f);
	assert_int_equal(client_post(c, "/citizen/submit", body, r), 0);
	return r->status;
}

/* Feedback with this text; the code and secret from the receipt. */
static void submit_ok(struct client *c, const char *extra, char *code,
		      char *secret)
{
	char body[2048];
	snprintf(body, sizeof body, "case_type=feedback&topic_id=3&body=%s%s",
		 "%C4%90%C6%B0%E1%BB%9Dng+th%C3%B4n+b%E1%BB%8B+h%E1%BB%8Fng+"
		 "n%E1%BA%B7ng%2C+c%E1%BA%A7n+s%E1%BB%ADa+g%E1%BA%A5p",
		 extra ? extra : "");
	struct reply r;
	long st = submit(c, body, &r);
	if (st != 303)
		fail_msg("submit: %ld %s", st, r.body);
	char loc[512];
	assert_string_equal(reply_header(&r, "Location", loc, sizeof loc),
			    "/citizen/receipt");
	receipt_of(&r, code, secret);
	reply_release(&r);
}

/* open311 count of feedback and petitions (X-Total-Count). */
static long long public_count(struct client *c)
{
	struct reply r;
	assert_int_equal(client_get(c, "/open311/v2/requests.json", &r), 0);
	assert_int_equal(r.status, 200);
	char buf[32];
	const char *n = reply_header(&r, "X-Total-Count", buf, sizeof buf);
	assert_non_null(n);
	long long v = strtoll(n, NULL, 10);
	reply_release(&r);
	return v;
}

static long track(struct client *c, const char *code, const char *secret,
		  struct reply *r)
{
	struct reply f;
	assert_int_equal(client_get(c, "/citizen/track", &f), 0);
	reply_release(&f);
	char body[256];
	snprintf(body, sizeof body, "code=%s&secret=%s", code, secret);
	assert_int_equal(client_post(c, "/citizen/track", body, r), 0);
	return r->status;
}

static bool log_has(const char *needle)
{
	FILE *f = fopen(srv.log, "r");
	assert_non_null(f);
	char line[8192];
	bool found = false;
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

static void test_form(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	struct reply r;
	assert_int_equal(client_get(&c, "/citizen/submit", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "UBND xã Tiên Tiến"));
	assert_true(reply_has(&r, "value=\"feedback\""));
	assert_true(reply_has(&r, "value=\"denunciation\""));
	assert_true(reply_has(&r, "Khiếu nại"));
	/* what a denunciation online means, said before it is sent */
	assert_true(reply_has(&r, "trực tiếp tại trụ sở UBND xã hoặc gửi qua "
				  "đường bưu chính"));
	assert_true(reply_has(&r, "Đất đai, quy hoạch, xây dựng"));
	assert_true(reply_has(&r, "enctype=\"multipart/form-data\""));
	assert_true(reply_has(&r, "name=\"csrf_token\""));
	reply_release(&r);
	/* an unknown commune */
	assert_int_equal(client_get(&c, "/citizen/submit?xa=99999", &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_release(&c);
}

static void test_submit_receipt_track(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	char code[32], secret[32];
	submit_ok(&c, "+%3Cscript%3Ealert(1)%3C%2Fscript%3E", code, secret);
	assert_int_equal(strlen(code), 10);
	assert_int_equal(strncmp(code, "PA", 2), 0);
	assert_int_equal(strlen(secret), 10);

	/* the receipt: code and secret, once */
	struct reply r;
	assert_int_equal(client_get(&c, "/citizen/receipt", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, code));
	assert_true(reply_has(&r, secret));
	assert_true(reply_has(&r, "không hiển thị lại"));
	assert_true(reply_has(&r, "/citizen/track?code="));
	reply_release(&r);
	assert_int_equal(client_get(&c, "/citizen/receipt", &r), 0);
	assert_int_equal(r.status, 200);
	assert_false(reply_has(&r, secret));
	reply_release(&r);

	/* tracking, the code typed in lower case */
	char lower[32];
	for (size_t i = 0; i <= strlen(code); i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z'
					  ? code[i] - 'A' + 'a'
					  : code[i]);
	assert_int_equal(track(&c, lower, secret, &r), 200);
	assert_true(reply_has(&r, code));
	assert_true(reply_has(&r, "Đã tiếp nhận"));
	assert_true(reply_has(&r, "Hạn giải quyết"));
	assert_true(reply_has(&r, "Tiếp nhận"));
	/* script shown inert */
	assert_true(reply_has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_false(reply_has(&r, "<script>alert"));
	reply_release(&r);

	/* a wrong secret and an unknown code: the same 404 */
	char wrong[32];
	snprintf(wrong, sizeof wrong, "%s", secret);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	assert_int_equal(track(&c, code, wrong, &r), 404);
	assert_true(reply_has(&r, "Không tìm thấy"));
	assert_false(reply_has(&r, "Đường thôn"));
	reply_release(&r);
	assert_int_equal(track(&c, "PAZZZZZZZZ", secret, &r), 404);
	assert_true(reply_has(&r, "Không tìm thấy"));
	reply_release(&r);
	json_t *b1 = json_pack("{s:s, s:s}", "code", code, "secret", wrong);
	json_t *b2 =
		json_pack("{s:s, s:s}", "code", "PAZZZZZZZZ", "secret", secret);
	struct reply a1, a2;
	assert_int_equal(client_post_json(&c, "/api/citizen/track", b1, &a1),
			 0);
	assert_int_equal(client_post_json(&c, "/api/citizen/track", b2, &a2),
			 0);
	assert_int_equal(a1.status, 404);
	assert_int_equal(a2.status, 404);
	assert_string_equal(a1.body, a2.body);
	reply_release(&a1);
	reply_release(&a2);
	json_decref(b1);
	json_decref(b2);

	/* a secret in a URL is not taken, and not logged either */
	char path[128];
	snprintf(path, sizeof path, "/citizen/track?code=%s&secret=%s", code,
		 secret);
	assert_int_equal(client_get(&c, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_false(reply_has(&r, "Đường thôn"));
	reply_release(&r);
	assert_false(log_has(secret));
	client_release(&c);
}

static void test_invalid_saves_nothing(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	long long before = public_count(&c);
	struct reply r;
	/* no type, text too short */
	assert_int_equal(submit(&c, "topic_id=3&body=ng%E1%BA%AFn", &r), 422);
	assert_true(reply_has(&r, "Vui lòng chọn loại"));
	assert_null(strstr(r.headers, "qt_receipt="));
	reply_release(&r);
	assert_int_equal(
		submit(&c, "case_type=feedback&topic_id=3&body=ng%E1%BA%AFn",
		       &r),
		422);
	assert_true(reply_has(&r, "field invalid"));
	assert_true(reply_has(&r, "Vui lòng sửa"));
	/* the text typed is kept in the form */
	assert_true(reply_has(&r, ">ngắn</textarea>"));
	reply_release(&r);
	/* no topic */
	assert_int_equal(submit(&c,
				"case_type=petition&body=%C4%90%E1%BB%81+"
				"ngh%E1%BB%8B+l%C3%A0m+%C4%91%C6%B0%E1%BB%9Dng+"
				"m%E1%BB%9Bi",
				&r),
			 422);
	reply_release(&r);
	/* a complaint needs a name and a phone */
	assert_int_equal(
		submit(&c,
		       "case_type=complaint&topic_id=1&body=Khi%E1%BA%BFu+"
		       "n%E1%BA%A1i+quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh+thu+"
		       "h%E1%BB%93i+%C4%91%E1%BA%A5t",
		       &r),
		422);
	assert_true(reply_has(&r, "<div class=\"field invalid\">\n<label "
				  "for=\"citizen_name\">"));
	reply_release(&r);
	/* an unknown village (not of this commune) */
	assert_int_equal(
		submit(&c,
		       "case_type=feedback&topic_id=3&village_id="
		       "999999&body=%C4%90%C6%B0%E1%BB%9Dng+"
		       "th%C3%B4n+b%E1%BB%8B+h%E1%BB%8Fng+n%E1%BA%B7ng",
		       &r),
		422);
	reply_release(&r);
	assert_int_equal(public_count(&c), before);

	/* no CSRF token: refused */
	const char *body = "case_type=feedback&topic_id=3&body=abcdefghijklmn";
	assert_int_equal(client_request(&c, "POST", "/citizen/submit",
					"application/x-www-form-urlencoded",
					body, strlen(body), &r),
			 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	assert_int_equal(public_count(&c), before);
	client_release(&c);
}

/* multipart/form-data with the fields and files given. */
struct part {
	const char *name, *filename, *type;
	const char *data;
	size_t len;
};

static long multipart_to(struct client *c, const char *form_page,
			 const char *path, const struct part *parts, int n,
			 struct reply *r)
{
	static const char boundary[] = "qtBoundary7MA4YWxkTrZu0gW";
	struct reply f;
	assert_int_equal(client_get(c, form_page, &f), 0);
	reply_release(&f);
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	for (int i = -1; i < n; i++) {
		struct part p = i < 0 ? (struct part){"csrf_token", NULL, NULL,
						      c->csrf, strlen(c->csrf)}
				      : parts[i];
		int w;
		if (p.filename)
			w = snprintf(buf + len, cap - len,
				     "--%s\r\nContent-Disposition: form-data; "
				     "name=\"%s\"; filename=\"%s\"\r\n"
				     "Content-Type: %s\r\n\r\n",
				     boundary, p.name, p.filename, p.type);
		else
			w = snprintf(buf + len, cap - len,
				     "--%s\r\nContent-Disposition: form-data; "
				     "name=\"%s\"\r\n\r\n",
				     boundary, p.name);
		assert_true(w > 0 && (size_t)w + p.len + 2 < cap - len);
		len += (size_t)w;
		memcpy(buf + len, p.data, p.len);
		len += p.len;
		memcpy(buf + len, "\r\n", 2);
		len += 2;
	}
	len += (size_t)snprintf(buf + len, cap - len, "--%s--\r\n", boundary);
	char ct[128];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", boundary);
	assert_int_equal(client_request(c, "POST", path, ct, buf, len, r), 0);
	free(buf);
	return r->status;
}

static long multipart(struct client *c, const struct part *parts, int n,
		      struct reply *r)
{
	return multipart_to(c, "/citizen/submit", "/citizen/submit", parts, n,
			    r);
}

/* the smallest PNG: 1x1, grey */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00,
	0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x01, 0xe5, 0x27, 0xde, 0xfc, 0x00, 0x00, 0x00, 0x00, 0x49,
	0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

static void test_files(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	long long before = public_count(&c);
	const char *text = "Cống thoát nước bị tắc, nước tràn ra đường";
	struct part p[8] = {
		{"case_type", NULL, NULL, "feedback", 8},
		{"topic_id", NULL, NULL, "4", 1},
		{"body", NULL, NULL, text, strlen(text)},
	};
	struct reply r;
	/* a text file named like a photo: refused by its content */
	p[3] = (struct part){"files", "anh.jpg", "image/jpeg",
			     "not a photo at all", 18};
	assert_int_equal(multipart(&c, p, 4, &r), 422);
	assert_true(reply_has(&r, "anh.jpg"));
	reply_release(&r);
	/* six files: one too many */
	for (int i = 3; i < 8; i++)
		p[i] = (struct part){"files", "anh.png", "image/png",
				     (const char *)png, sizeof png};
	struct part six[9];
	memcpy(six, p, sizeof p);
	six[8] = six[7];
	assert_int_equal(multipart(&c, six, 9, &r), 422);
	assert_true(reply_has(&r, "tối đa 5 tệp"));
	reply_release(&r);
	assert_int_equal(public_count(&c), before);
	/* one real photo */
	assert_int_equal(multipart(&c, p, 4, &r), 303);
	char code[32], secret[32];
	receipt_of(&r, code, secret);
	reply_release(&r);
	assert_int_equal(public_count(&c), before + 1);
	client_release(&c);
}

static void test_denunciation_identity_hidden(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	struct reply r;
	/* without a name: refused */
	assert_int_equal(
		submit(&c,
		       "case_type=denunciation&topic_id=8&body=T%E1%BB%91+"
		       "c%C3%A1o+c%C3%A1n+b%E1%BB%99+%C4%91%E1%BB%8Ba+"
		       "ch%C3%ADnh+nh%E1%BA%ADn+ti%E1%BB%81n",
		       &r),
		422);
	reply_release(&r);
	assert_int_equal(
		submit(&c,
		       "case_type=denunciation&topic_id=8&body=T%E1%BB%91+"
		       "c%C3%A1o+c%C3%A1n+b%E1%BB%99+%C4%91%E1%BB%8Ba+"
		       "ch%C3%ADnh+nh%E1%BA%ADn+ti%E1%BB%81n&citizen_name="
		       "Ho%C3%A0ng+V%C4%83n+B%C3%AD+M%E1%BA%ADt&"
		       "citizen_phone=0912345678",
		       &r),
		303);
	char code[32], secret[32];
	receipt_of(&r, code, secret);
	reply_release(&r);
	assert_int_equal(track(&c, code, secret, &r), 200);
	assert_true(reply_has(&r, "Tố cáo"));
	assert_false(reply_has(&r, "Hoàng Văn Bí Mật"));
	assert_false(reply_has(&r, "0912345678"));
	reply_release(&r);
	/* not on the public API */
	char path[128];
	snprintf(path, sizeof path, "/open311/v2/requests/%s.json", code);
	assert_int_equal(client_get(&c, path, &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	assert_false(log_has("Hoàng Văn Bí Mật"));
	assert_false(log_has("0912345678"));
	client_release(&c);
}

static void test_rate_limit(void **state)
{
	(void)state;
	struct server s2;
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0",
					  "QUANTRI_VOICE_SUBMIT_PER_10MIN=2",
					  NULL};
	server_start(&s2, env);
	struct client c;
	client_init(&c, &s2);
	struct reply r;
	/* a refused submission does not count */
	assert_int_equal(submit(&c, "case_type=feedback&body=x", &r), 422);
	reply_release(&r);
	char code[32], secret[32];
	submit_ok(&c, NULL, code, secret);
	submit_ok(&c, NULL, code, secret);
	assert_int_equal(submit(&c,
				"case_type=feedback&topic_id=3&body="
				"abcdefghijklmnopq",
				&r),
			 429);
	assert_true(reply_has(&r, "Vui lòng thử lại sau"));
	char buf[32];
	const char *ra = reply_header(&r, "Retry-After", buf, sizeof buf);
	assert_non_null(ra);
	long secs = strtol(ra, NULL, 10);
	assert_true(secs >= 1 && secs <= 600);
	reply_release(&r);
	/* Open311's anonymous posts count against the same address */
	const char *o = "service_code=ha_tang&lat=20.9&long=106.1&description="
			"%C4%90%C3%A8n+%C4%91%C6%B0%E1%BB%9Dng+h%E1%BB%8Fng+"
			"c%E1%BA%A3+tu%E1%BA%A7n";
	assert_int_equal(client_request(&c, "POST", "/open311/v2/requests.json",
					"application/x-www-form-urlencoded", o,
					strlen(o), &r),
			 0);
	assert_int_equal(r.status, 429);
	json_t *j = reply_json(&r);
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(j, 0), "code")),
			 429);
	json_decref(j);
	reply_release(&r);
	client_release(&c);
	server_stop(&s2);
}

static void test_answers_and_stats(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	struct reply r;
	assert_int_equal(client_get(&c, "/citizen/answers", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Trả lời phản ánh, kiến nghị"));
	assert_true(reply_has(&r, "Trang 1/"));
	reply_release(&r);
	assert_int_equal(client_get(&c, "/api/citizen/answers?page=1", &r), 0);
	assert_int_equal(r.status, 200);
	json_t *j = reply_json(&r);
	assert_non_null(json_object_get(j, "answers"));
	/* no personal data in a published answer */
	json_t *x;
	size_t i;
	json_array_foreach(json_object_get(j, "answers"), i, x)
	{
		assert_null(json_object_get(x, "citizen_name"));
		assert_null(json_object_get(x, "citizen_phone"));
		assert_null(json_object_get(x, "body"));
	}
	json_decref(j);
	reply_release(&r);
	assert_int_equal(client_get(&c, "/citizen/stats?xa=12424", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Theo loại"));
	assert_true(reply_has(&r, "Theo lĩnh vực"));
	assert_true(reply_has(&r, "Tỷ lệ trả lời đúng hạn theo đơn vị"));
	assert_true(reply_has(&r, "Phản ánh"));
	assert_true(reply_has(&r, "<svg"));
	reply_release(&r);
	assert_int_equal(client_get(&c, "/api/citizen/stats", &r), 0);
	assert_int_equal(r.status, 200);
	j = reply_json(&r);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 1);
	json_decref(j);
	reply_release(&r);
	assert_int_equal(client_get(&c, "/citizen/stats?xa=abc", &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_release(&c);
}

/* The first object under j (at any depth) whose key is value. */
static json_t *find_obj(json_t *j, const char *key, const char *value,
			int depth)
{
	if (!j || depth > 8)
		return NULL;
	if (json_is_object(j)) {
		const char *v = json_string_value(json_object_get(j, key));
		if (v && !strcmp(v, value))
			return j;
		const char *k;
		json_t *x;
		json_object_foreach(j, k, x)
		{
			json_t *f = find_obj(x, key, value, depth + 1);
			if (f)
				return f;
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *x;
		json_array_foreach(j, i, x)
		{
			json_t *f = find_obj(x, key, value, depth + 1);
			if (f)
				return f;
		}
	}
	return NULL;
}

static json_t *api_get(struct client *c, const char *path)
{
	struct reply r;
	assert_int_equal(client_get(c, path, &r), 0);
	if (r.status != 200)
		fail_msg("GET %s: %ld %s", path, r.status, r.body);
	json_t *j = reply_json(&r);
	reply_release(&r);
	assert_non_null(j);
	return j;
}

/* logged in as user, with a page's CSRF token */
static void staff(struct client *c, const char *user)
{
	client_init(c, &srv);
	assert_int_equal(client_login(c, user, DEMO_PASSWORD), 303);
	struct reply r;
	assert_int_equal(client_get(c, "/voice", &r), 0);
	reply_release(&r);
}

static void staff_post(struct client *c, const char *path, const char *body)
{
	struct reply r;
	assert_int_equal(client_post(c, path, body, &r), 0);
	if (r.status != 303 && r.status != 200)
		fail_msg("POST %s: %ld %s", path, r.status, r.body);
	reply_release(&r);
}

/* A case from the form to an approved, published answer with a file,
 * through the staff pages; the citizen reads it, downloads the file,
 * rates it once; the answer shows on the public page without a name. */
static void test_answer_read_and_rate(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &srv);
	char code[32], secret[32];
	submit_ok(&c,
		  "+m%C3%A3+ki%E1%BB%83m+th%E1%BB%AD+QWXTRACK&citizen_name="
		  "Tr%E1%BA%A7n+Th%E1%BB%8B+Ri%C3%AAng&citizen_phone="
		  "0911222333",
		  code, secret);

	struct client o, h, ch;
	staff(&o, "vanphong");
	json_t *list = api_get(&o, "/api/voice?q=qwxtrack");
	json_t *found = find_obj(list, "code", code, 0);
	assert_non_null(found);
	long long id = json_integer_value(json_object_get(found, "id"));
	json_decref(list);
	char path[128], body[256];
	snprintf(path, sizeof path, "/voice/%lld/act", id);
	staff_post(&o, path, "kind=accept");
	snprintf(path, sizeof path, "/api/voice/%lld", id);
	json_t *page = api_get(&o, path);
	json_t *unit = find_obj(json_object_get(page, "units"), "name",
				"Tư pháp – Hộ tịch", 0);
	assert_non_null(unit);
	long long unit_id = json_integer_value(json_object_get(unit, "id"));
	json_decref(page);
	snprintf(path, sizeof path, "/voice/%lld/act", id);
	snprintf(body, sizeof body, "kind=assign&unit_id=%lld", unit_id);
	staff_post(&o, path, body);

	/* the unit drafts with a file and submits */
	staff(&h, "truongbp");
	const char *answer = "UBND xã đã sửa xong đoạn đường, cảm ơn ông/bà";
	struct part p[] = {
		{"body", NULL, NULL, answer, strlen(answer)},
		{"submit", NULL, NULL, "1", 1},
		{"files", "bien-ban.png", "image/png", (const char *)png,
		 sizeof png},
	};
	char form[128];
	snprintf(form, sizeof form, "/voice/%lld", id);
	snprintf(path, sizeof path, "/voice/%lld/answer", id);
	struct reply r;
	long st = multipart_to(&h, form, path, p, 3, &r);
	if (st != 303)
		fail_msg("answer: %ld %s", st, r.body);
	reply_release(&r);

	/* before approval the citizen sees no answer */
	assert_int_equal(track(&c, code, secret, &r), 200);
	assert_false(reply_has(&r, "đã sửa xong"));
	assert_false(reply_has(&r, "Đánh giá câu trả lời"));
	reply_release(&r);

	staff(&ch, "chutich");
	snprintf(path, sizeof path, "/api/voice/%lld", id);
	page = api_get(&ch, path);
	json_t *pending = find_obj(page, "status", "submitted", 0);
	assert_non_null(pending);
	long long answer_id =
		json_integer_value(json_object_get(pending, "id"));
	json_decref(page);
	snprintf(path, sizeof path, "/voice/answers/%lld/review", answer_id);
	staff_post(&ch, path, "decision=approve");
	snprintf(path, sizeof path, "/voice/%lld/publish", id);
	staff_post(&o, path, "published=1");

	/* the citizen reads the answer and its file */
	assert_int_equal(track(&c, code, secret, &r), 200);
	assert_true(reply_has(&r, "đã sửa xong đoạn đường"));
	assert_true(reply_has(&r, "Đã trả lời"));
	assert_true(reply_has(&r, "bien-ban.png"));
	assert_true(reply_has(&r, "Đánh giá câu trả lời"));
	const char *fid = strstr(r.body, "name=\"file_id\" value=\"");
	assert_non_null(fid);
	long long file_id =
		strtoll(fid + strlen("name=\"file_id\" value=\""), NULL, 10);
	reply_release(&r);
	snprintf(body, sizeof body, "code=%s&secret=%s&file_id=%lld", code,
		 secret, file_id);
	assert_int_equal(client_post(&c, "/citizen/file", body, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, sizeof png);
	assert_memory_equal(r.body, png, sizeof png);
	reply_release(&r);
	/* not with a wrong secret, nor a file of another case */
	snprintf(body, sizeof body, "code=%s&secret=AAAAAAAAAA&file_id=%lld",
		 code, file_id);
	assert_int_equal(client_post(&c, "/citizen/file", body, &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	snprintf(body, sizeof body, "code=%s&secret=%s&file_id=%lld", code,
		 secret, file_id + 1000);
	assert_int_equal(client_post(&c, "/citizen/file", body, &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);

	/* rating: unsatisfied needs a reason; then once */
	snprintf(body, sizeof body, "code=%s&secret=%s&rating=unsatisfied",
		 code, secret);
	assert_int_equal(client_post(&c, "/citizen/rate", body, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "vì sao"));
	reply_release(&r);
	snprintf(body, sizeof body, "code=%s&secret=%s&rating=satisfied", code,
		 secret);
	assert_int_equal(client_post(&c, "/citizen/rate", body, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Cảm ơn ông/bà đã đánh giá"));
	assert_true(reply_has(&r, "Hài lòng"));
	assert_false(reply_has(&r, "Gửi đánh giá"));
	reply_release(&r);
	assert_int_equal(client_post(&c, "/citizen/rate", body, &r), 0);
	assert_int_equal(r.status, 422);
	reply_release(&r);

	/* published: on the public page and Open311, without the name */
	assert_int_equal(client_get(&c, "/citizen/answers", &r), 0);
	assert_true(reply_has(&r, "đã sửa xong đoạn đường"));
	assert_false(reply_has(&r, "Trần Thị Riêng"));
	assert_false(reply_has(&r, "0911222333"));
	reply_release(&r);
	snprintf(path, sizeof path, "/open311/v2/requests/%s.json", code);
	assert_int_equal(client_get(&c, path, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *j = reply_json(&r);
	json_t *x = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(x, "status")),
			    "closed");
	assert_non_null(
		strstr(json_string_value(json_object_get(x, "status_notes")),
		       "đã sửa xong"));
	assert_false(reply_has(&r, "Trần Thị Riêng"));
	assert_false(reply_has(&r, "0911222333"));
	json_decref(j);
	reply_release(&r);
	client_release(&o);
	client_release(&h);
	client_release(&ch);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_submit_receipt_track),
		cmocka_unit_test(test_invalid_saves_nothing),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_denunciation_identity_hidden),
		cmocka_unit_test(test_answer_read_and_rate),
		cmocka_unit_test(test_answers_and_stats),
		cmocka_unit_test(test_rate_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
