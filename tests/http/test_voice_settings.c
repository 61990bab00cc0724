/* /voice/settings through a real `quantri serve` on the demo database:
 * who may read and edit (office and chair edit, the rest of the staff
 * read, others 403); bad input is 422 with Vietnamese messages and
 * changes nothing; a rule added from today with a longer length gives a
 * NEW case the longer due day at once (the per-process rules cache
 * forgets), while a case received before keeps the rule in force when its
 * clock started; topics (add, rename, deactivate: gone from the citizen
 * form) and the commune's answer templates (add, edit, delete), each
 * audited. */
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
					  "QUANTRI_NOW=2026-11-27T02:00:00Z",
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

static long post(struct client *c, const char *path, const char *body,
		 json_t **out)
{
	struct reply r;
	client_get(c, "/voice/settings", &r); /* a fresh CSRF token */
	reply_release(&r);
	if (client_post(c, path, body, &r))
		fail_msg("POST %s failed", path);
	long s = r.status;
	if (out)
		*out = reply_json(&r);
	reply_release(&r);
	return s;
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

/* The settings as the API gives them, its rules count, and a digest. */
static char *snapshot(struct client *c)
{
	json_t *j = client_get_json(c, "/api/voice/settings");
	json_t *keep = json_pack("{s:O, s:O, s:O}", "rules",
				 json_object_get(j, "rules"), "topics",
				 json_object_get(j, "topics"), "templates",
				 json_object_get(j, "templates"));
	char *s = json_dumps(keep, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(keep);
	json_decref(j);
	return s;
}

static long long audits(const char *action)
{
	struct client chair;
	client_login_demo(&chair, &srv, "chutich");
	char path[160];
	snprintf(path, sizeof path, "/api/people/audit?action=%s", action);
	struct reply r;
	long long n = -1;
	if (!client_get(&chair, path, &r) && r.status == 200) {
		json_t *j = reply_json(&r);
		json_t *t = json_object_get(j, "total");
		n = json_is_integer(t) ? json_integer_value(t) : -1;
		json_decref(j);
	}
	reply_release(&r);
	client_release(&chair);
	return n;
}

static void test_permissions(void **state)
{
	(void)state;
	static const struct {
		const char *user;
		long get, post;
	} who[] = {
		{"chutich", 200, 303},    {"vanphong", 200, 303},
		{"phochutich", 200, 403}, {"truongbp", 200, 403},
		{"canbo", 200, 403},      {"mttq", 403, 403},
		{"bantt", 403, 403},      {"truongthon", 403, 403},
		{"tinh", 403, 403},
	};
	for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
		struct client c;
		client_login_demo(&c, &srv, who[i].user);
		struct reply r;
		assert_int_equal(client_get(&c, "/voice/settings", &r), 0);
		if (r.status != who[i].get)
			fail_msg("%s GET: %ld", who[i].user, r.status);
		if (r.status == 200) {
			assert_true(reply_has(&r, "Thời hạn giải quyết"));
			assert_true(reply_has(&r, "chưa kiểm tra"));
			assert_true(reply_has(&r, "đã kiểm tra"));
			/* the forms only for who edits */
			assert_true(reply_has(&r, "Thêm thời hạn") ==
				    (who[i].post == 303));
		}
		reply_release(&r);
		char body[200];
		snprintf(body, sizeof body,
			 "title=Mau+%s&body=Noi+dung+mau+tra+loi", who[i].user);
		client_get(&c, "/", &r); /* a CSRF token from any page */
		reply_release(&r);
		assert_int_equal(
			client_post(&c, "/voice/settings/templates", body, &r),
			0);
		if (r.status != who[i].post)
			fail_msg("%s POST: %ld", who[i].user, r.status);
		if (r.status == 303)
			assert_non_null(strstr(r.location, "/voice/settings"));
		reply_release(&r);
		client_release(&c);
	}
	/* nobody logged in: to the login page */
	struct client anon;
	client_init(&anon, &srv);
	struct reply r;
	client_get(&anon, "/voice/settings", &r);
	assert_true(r.status == 303 || r.status == 401);
	reply_release(&r);
	client_release(&anon);
	/* the link from /voice for the chair and the office only */
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	client_get(&c, "/voice", &r);
	assert_true(reply_has(&r, "href=\"/voice/settings\""));
	reply_release(&r);
	client_release(&c);
	client_login_demo(&c, &srv, "canbo");
	client_get(&c, "/voice", &r);
	assert_false(reply_has(&r, "href=\"/voice/settings\""));
	reply_release(&r);
	client_release(&c);
}

static void test_bad_input_changes_nothing(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	char *before = snapshot(&c);
	static const struct {
		const char *path, *body, *field, *words;
	} bad[] = {
		{"/voice/settings/rules",
		 "case_type=feedback&step=classify&days=0&day_unit=working&"
		 "effective_from=01/12/2026",
		 "days", "số nguyên dương"},
		{"/voice/settings/rules",
		 "case_type=feedback&step=accept&days=5&day_unit=working&"
		 "effective_from=01/12/2026",
		 "step", "Bước này"},
		{"/voice/settings/rules",
		 "case_type=gossip&step=resolve&days=5&day_unit=weekly&"
		 "effective_from=31/02/2026",
		 "effective_from", "Ngày áp dụng"},
		/* a rule already starts that day */
		{"/voice/settings/rules",
		 "case_type=feedback&step=classify&days=5&day_unit=working&"
		 "effective_from=01/01/2021",
		 "effective_from", "Đã có quy định"},
		{"/voice/settings/topics", "code=Nước&name_vi=&dimension=D9",
		 "code", "Mã lĩnh vực"},
		{"/voice/settings/topics",
		 "code=ha_tang&name_vi=Hạ+tầng+2&"
		 "dimension=D6",
		 "code", "đã có"},
		{"/voice/settings/templates", "title=&body=", "title",
		 "Nhập tên mẫu"},
		{"/voice/settings/templates", "title=X&body=Y&topic_id=99999",
		 "topic_id", "Lĩnh vực không có"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char path[120];
		snprintf(path, sizeof path, "/api%s", bad[i].path);
		json_t *j = NULL;
		long s = post(&c, path, bad[i].body, &j);
		if (s != 422)
			fail_msg("%s %s: %ld", path, bad[i].body, s);
		json_t *errs = json_object_get(j, "errors");
		const char *m = str(errs, bad[i].field);
		if (!strstr(m, bad[i].words))
			fail_msg("%s: errors.%s = \"%s\"", bad[i].body,
				 bad[i].field, m);
		json_decref(j);
		/* the page says the same, in the form */
		struct reply r;
		client_get(&c, "/voice/settings", &r);
		reply_release(&r);
		client_post(&c, bad[i].path, bad[i].body, &r);
		assert_int_equal(r.status, 422);
		assert_true(reply_has(&r, bad[i].words));
		reply_release(&r);
	}
	char *after = snapshot(&c);
	assert_string_equal(after, before);
	free(before);
	free(after);
	client_release(&c);
}

/* `quantri voice rules export|import` on the served database: export,
 * import, export again gives the same file; a bad file exits 1 and
 * changes nothing. */
static void test_cli_round_trip(void **state)
{
	(void)state;
	char *first = NULL, *second = NULL, *third = NULL, *out = NULL;
	char path[400], bad[400];
	snprintf(path, sizeof path, "%s/rules.csv", srv.dir);
	snprintf(bad, sizeof bad, "%s/bad.csv", srv.dir);
	assert_int_equal(
		server_cli(&srv, &first, "voice", "rules", "export", NULL), 0);
	assert_non_null(strstr(first, "case_type,step,start_event,days,"));
	assert_int_equal(server_cli(&srv, NULL, "voice", "rules", "export",
				    "-o", path, NULL),
			 0);
	assert_int_equal(
		server_cli(&srv, &out, "voice", "rules", "import", path, NULL),
		0);
	assert_non_null(strstr(out, "rules imported"));
	free(out);
	assert_int_equal(
		server_cli(&srv, &second, "voice", "rules", "export", NULL), 0);
	assert_string_equal(second, first);
	FILE *f = fopen(bad, "w");
	assert_non_null(f);
	fputs("case_type,step,start_event,days,day_unit,days_complex,"
	      "days_remote,days_remote_complex,extension_days,max_extensions,"
	      "effective_from,effective_to,legal_basis,verified\n"
	      "feedback,classify,received,0,working,,,,0,0,2021-01-01,,x,1\n",
	      f);
	fclose(f);
	assert_int_equal(
		server_cli(&srv, NULL, "voice", "rules", "import", bad, NULL),
		1);
	assert_int_equal(
		server_cli(&srv, &third, "voice", "rules", "export", NULL), 0);
	assert_string_equal(third, first);
	free(first);
	free(second);
	free(third);
}

static long long new_feedback(struct client *c, const char *received_on,
			      char *due, size_t n)
{
	json_t *j = client_get_json(c, "/api/voice");
	json_t *t = json_array_get(json_object_get(j, "topics"), 0);
	char body[600];
	snprintf(body, sizeof body,
		 "case_type=feedback&channel=paper&topic_id=%lld&title=%s&"
		 "body=%s%s%s",
		 num(t, "id"), "Den+duong+hong",
		 "Ba+bong+den+duong+o+Thon+1+hong+da+lau",
		 received_on ? "&received_on=" : "",
		 received_on ? received_on : "");
	json_decref(j);
	json_t *res = NULL;
	long s = post(c, "/api/voice/new", body, &res);
	if (s != 201)
		fail_msg("new case: %ld", s);
	long long id = num(res, "id");
	json_decref(res);
	char path[64];
	snprintf(path, sizeof path, "/api/voice/%lld", id);
	j = client_get_json(c, path);
	json_t *cs = json_object_get(j, "case");
	snprintf(due, n, "%s", str(cs ? cs : j, "due_on"));
	json_decref(j);
	return id;
}

static void test_rule_from_today(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	char due_a[16], due_b[16], due_a2[16];
	/* A: received Thursday 26/11 under the shipped rule: 5 working
	 * days */
	long long a = new_feedback(&c, "26/11/2026", due_a, sizeof due_a);
	assert_string_equal(due_a, "2026-12-03");
	long long before = audits("voice.rule_add");
	json_t *j = NULL;
	assert_int_equal(
		post(&c, "/api/voice/settings/rules",
		     "case_type=feedback&step=classify&days=8&day_unit=working&"
		     "effective_from=27/11/2026&legal_basis=Quyết+định+mới",
		     &j),
		200);
	json_decref(j);
	assert_int_equal(audits("voice.rule_add"), before + 1);
	/* the shipped rule now ends today; the new one runs from today */
	j = client_get_json(&c, "/api/voice/settings");
	int found = 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(j, "rules"), i, r)
	{
		if (strcmp(str(r, "case_type"), "feedback") ||
		    strcmp(str(r, "step"), "classify"))
			continue;
		if (!strcmp(str(r, "from"), "01/01/2021")) {
			assert_string_equal(str(r, "to"), "27/11/2026");
			found |= 1;
		}
		if (!strcmp(str(r, "from"), "27/11/2026")) {
			assert_int_equal(num(r, "days"), 8);
			assert_true(
				json_is_true(json_object_get(r, "in_force")));
			assert_false(
				json_is_true(json_object_get(r, "verified")));
			found |= 2;
			/* mark it checked */
			char path[80];
			snprintf(path, sizeof path,
				 "/api/voice/settings/rules/%lld/verify",
				 num(r, "id"));
			json_t *v = NULL;
			assert_int_equal(post(&c, path, "", &v), 200);
			json_decref(v);
		}
	}
	assert_int_equal(found, 3);
	json_decref(j);
	/* B: a new case today, on the new rule at once: 8 working days */
	new_feedback(&c, NULL, due_b, sizeof due_b);
	assert_string_equal(due_b, "2026-12-09");
	/* A keeps its rule */
	char path[64];
	snprintf(path, sizeof path, "/api/voice/%lld", a);
	j = client_get_json(&c, path);
	json_t *cs = json_object_get(j, "case");
	snprintf(due_a2, sizeof due_a2, "%s", str(cs ? cs : j, "due_on"));
	json_decref(j);
	assert_string_equal(due_a2, "2026-12-03");
	/* a case keyed in today as received yesterday: the old rule */
	new_feedback(&c, "26/11/2026", due_a2, sizeof due_a2);
	assert_string_equal(due_a2, "2026-12-03");
	j = client_get_json(&c, "/api/voice/settings");
	json_array_foreach(json_object_get(j, "rules"), i, r)
	{
		if (!strcmp(str(r, "from"), "27/11/2026"))
			assert_true(
				json_is_true(json_object_get(r, "verified")));
	}
	json_decref(j);
	client_release(&c);
}

static void test_topics_and_templates(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	json_t *j = NULL;
	assert_int_equal(post(&c, "/api/voice/settings/topics",
			      "code=nuoc_sach&name_vi=Nước+sạch&dimension=D6",
			      &j),
			 200);
	long long id = num(j, "id");
	json_decref(j);
	assert_true(id > 0);
	/* on the citizen form */
	struct client anon;
	client_init(&anon, &srv);
	struct reply r;
	client_get(&anon, "/citizen/submit", &r);
	assert_true(reply_has(&r, "Nước sạch"));
	reply_release(&r);
	/* renamed, moved to D7, deactivated: gone from the citizen form */
	char path[80], body[200];
	snprintf(path, sizeof path, "/api/voice/settings/topics/%lld", id);
	snprintf(body, sizeof body,
		 "name_vi=Nước+sinh+hoạt&dimension=D7&active=0");
	assert_int_equal(post(&c, path, body, NULL), 200);
	client_get(&anon, "/citizen/submit", &r);
	assert_false(reply_has(&r, "Nước sinh hoạt"));
	assert_false(reply_has(&r, "Nước sạch"));
	reply_release(&r);
	client_release(&anon);
	j = client_get_json(&c, "/api/voice/settings");
	size_t i;
	json_t *t;
	bool seen = false;
	json_array_foreach(json_object_get(j, "topics"), i, t)
	{
		if (num(t, "id") == id) {
			seen = true;
			assert_string_equal(str(t, "name_vi"),
					    "Nước sinh hoạt");
			assert_string_equal(str(t, "dimension"), "D7");
			assert_int_equal(num(t, "active"), 0);
		}
	}
	assert_true(seen);
	json_decref(j);
	/* a template: add, edit, delete; shipped ones cannot be edited */
	assert_int_equal(
		post(&c, "/api/voice/settings/templates",
		     "title=Đã+sửa+đường&body=UBND+xã+đã+sửa+{noi_dung}", &j),
		200);
	long long tid = num(j, "id");
	json_decref(j);
	snprintf(path, sizeof path, "/api/voice/settings/templates/%lld", tid);
	assert_int_equal(
		post(&c, path, "title=Đã+sửa+xong&body=Nội+dung+mới", NULL),
		200);
	j = client_get_json(&c, "/api/voice/settings");
	bool edited = false;
	long long shipped = 0;
	json_array_foreach(json_object_get(j, "templates"), i, t)
	{
		if (num(t, "id") == tid)
			edited = !strcmp(str(t, "title"), "Đã sửa xong") &&
				 !strcmp(str(t, "body"), "Nội dung mới");
		if (json_is_null(json_object_get(t, "commune_id")))
			shipped = num(t, "id");
	}
	json_decref(j);
	assert_true(edited);
	assert_true(shipped > 0);
	snprintf(path, sizeof path, "/api/voice/settings/templates/%lld",
		 shipped);
	assert_int_equal(post(&c, path, "title=X&body=Y", NULL), 404);
	snprintf(path, sizeof path, "/api/voice/settings/templates/%lld/delete",
		 tid);
	assert_int_equal(post(&c, path, "", NULL), 200);
	assert_int_equal(post(&c, path, "", NULL), 404);
	assert_true(audits("voice.topic_save") >= 2);
	assert_true(audits("voice.template_delete") >= 1);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_bad_input_changes_nothing),
		cmocka_unit_test(test_cli_round_trip),
		cmocka_unit_test(test_rule_from_today),
		cmocka_unit_test(test_topics_and_templates),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
