/* Citizen reception through a real `quantri serve`: the office makes the
 * weekly schedule from a rule (every Thursday 07:30-11:00 at the commune
 * office, the chair hosting) and an ad-hoc session; the public page shows
 * when and where, never who came; the chair records a visit and opens a
 * case from it, prefilled, which the register then links to; bad input is
 * refused with nothing saved. */
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
	/* Friday 27/11/2026 in Vietnam */
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

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
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

/* The sessions of a list held on `day` (YYYY-MM-DD) at `place`. */
static int sessions_on(json_t *list, const char *day, const char *place,
		       long long *id)
{
	int n = 0;
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s) if (!strcmp(str(s, "held_on"), day) &&
					   !strcmp(str(s, "place"), place))
	{
		n++;
		if (id)
			*id = num(s, "id");
	}
	return n;
}

static void test_schedule_register_case(void **state)
{
	(void)state;
	struct client office, chair, anon;
	client_login_demo(&office, &srv, "vanphong");
	client_login_demo(&chair, &srv, "chutich");
	client_init(&anon, &srv);

	/* the form offers the usual rule: next Thursday, 07:30-11:00 (the
	 * demo has its own Thursdays already) */
	json_t *j = client_get_json(&office, "/api/voice/reception");
	json_t *values = json_object_get(j, "values");
	assert_string_equal(str(values, "held_on"), "03/12/2026");
	assert_string_equal(str(values, "starts"), "07:30");
	assert_string_equal(str(values, "ends"), "11:00");
	long long chair_id = 0;
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(j, "hosts"), i,
			   h) if (strstr(str(h, "full_name"), "Trần Văn Thắng"))
		chair_id = num(h, "id");
	json_decref(j);
	assert_true(chair_id > 0);

	/* bad input: nothing saved */
	struct reply r;
	assert_int_equal(post(&office, "/voice/reception",
			      "kind=regular&weeks=4&held_on=31%2F02%2F2026&"
			      "place=Tr%E1%BB%A5+s%E1%BB%9F",
			      &r),
			 422);
	assert_true(reply_has(&r, "field-error"));
	reply_release(&r);
	assert_int_equal(post(&office, "/voice/reception",
			      "kind=regular&weeks=40&held_on=03%2F12%2F2026&"
			      "place=Tr%E1%BB%A5+s%E1%BB%9F",
			      NULL),
			 422);
	assert_int_equal(post(&office, "/voice/reception",
			      "kind=regular&weeks=2&held_on=03%2F12%2F2026&"
			      "place=",
			      NULL),
			 422);
	j = client_get_json(&office, "/api/voice/reception");
	size_t before = json_array_size(json_object_get(j, "sessions"));
	json_decref(j);

	/* every Thursday for four weeks, the chair hosting */
	static const char hall[] = "Hội trường Thôn 5";
	char body[400];
	snprintf(
		body, sizeof body,
		"kind=regular&weeks=4&held_on=07%%2F01%%2F2027&starts=07%%3A30&"
		"ends=11%%3A00&place=H%%E1%%BB%%99i+tr%%C6%%B0%%E1%%BB%%9Dng+"
		"Th%%C3%%B4n+5&host_id=%lld",
		chair_id);
	assert_int_equal(post(&office, "/voice/reception", body, &r), 303);
	assert_non_null(strstr(r.location, "/voice/reception"));
	reply_release(&r);
	/* and one ad-hoc session on a Tuesday (weeks ignored) */
	assert_int_equal(
		post(&office, "/voice/reception",
		     "kind=adhoc&weeks=3&held_on=08%2F12%2F2026&starts=14%3A00&"
		     "ends=16%3A30&place=Nh%C3%A0+v%C4%83n+h%C3%B3a+Th%C3%B4n+"
		     "2&host_name=Ph%C3%B3+Ch%E1%BB%A7+t%E1%BB%8Bch",
		     NULL),
		303);
	j = client_get_json(&office, "/api/voice/reception");
	json_t *list = json_object_get(j, "sessions");
	assert_int_equal(json_array_size(list), before + 5);
	long long first = 0;
	assert_int_equal(sessions_on(list, "2027-01-07", hall, &first), 1);
	assert_int_equal(sessions_on(list, "2027-01-14", hall, NULL), 1);
	assert_int_equal(sessions_on(list, "2027-01-21", hall, NULL), 1);
	assert_int_equal(sessions_on(list, "2027-01-28", hall, NULL), 1);
	assert_int_equal(sessions_on(list, "2027-02-04", hall, NULL), 0);
	assert_int_equal(
		sessions_on(list, "2026-12-08", "Nhà văn hóa Thôn 2", NULL), 1);
	json_array_foreach(list, i, h)
	{
		if (!strcmp(str(h, "place"), hall)) {
			assert_string_equal(str(h, "weekday_vi"), "Thứ Năm");
			assert_string_equal(str(h, "host_name"),
					    "Trần Văn Thắng");
		}
	}
	json_decref(j);

	/* the chair records a visit, and opens a case from it */
	char path[200];
	snprintf(path, sizeof path, "/voice/reception/%lld/visits", first);
	assert_int_equal(post(&chair, path, "visitor_name=&summary=", &r), 422);
	reply_release(&r);
	assert_int_equal(
		post(&chair, path,
		     "visitor_name=Ho%C3%A0ng+V%C4%83n+D%C3%A2n&visitor_phone="
		     "0904111222&summary=Xin+c%E1%BA%A5p+gi%E1%BA%A5y+"
		     "ch%E1%BB%A9ng+nh%E1%BA%ADn+quy%E1%BB%81n+s%E1%BB%AD+"
		     "d%E1%BB%A5ng+%C4%91%E1%BA%A5t+%C4%91%C3%A3+n%E1%BB%99p+"
		     "h%E1%BB%93+s%C6%A1+t%E1%BB%AB+l%C3%A2u",
		     NULL),
		303);
	/* the office opens it: "record and open a case" goes to the form */
	assert_int_equal(
		post(&office, path,
		     "visitor_name=Nguy%E1%BB%85n+Th%E1%BB%8B+M%C3%A2y&"
		     "visitor_address=Th%C3%B4n+4&summary=%C4%90%C6%B0%E1%BB%"
		     "9Dng+"
		     "v%C3%A0o+Th%C3%B4n+4+ng%E1%BA%ADp+s%C3%A2u+khi+m%C6%B0a&"
		     "open_case=1",
		     &r),
		303);
	assert_non_null(strstr(r.location, "/voice/new?visit_id="));
	char form[600];
	snprintf(form, sizeof form, "%s", r.location);
	reply_release(&r);
	long long visit = strtoll(strchr(form, '=') + 1, NULL, 10);
	assert_true(visit > 0);
	/* the form comes prefilled */
	assert_int_equal(client_get(&office, form, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Nguyễn Thị Mây"));
	assert_true(reply_has(&r, "ngập sâu khi mưa"));
	assert_true(reply_has(&r, "value=\"reception\" selected"));
	reply_release(&r);
	/* saved: the receipt; the register links to the case */
	json_t *topics = client_get_json(&office, "/api/voice");
	long long topic = 0;
	json_array_foreach(json_object_get(topics, "topics"), i,
			   h) if (!strcmp(str(h, "code"), "ha_tang")) topic =
		num(h, "id");
	json_decref(topics);
	snprintf(
		body, sizeof body,
		"case_type=petition&channel=reception&visit_id=%lld&topic_id="
		"%lld&citizen_name=Nguy%%E1%%BB%%85n+Th%%E1%%BB%%8B+M%%C3%%A2y&"
		"body=%%C4%%90%%C6%%B0%%E1%%BB%%9Dng+v%%C3%%A0o+Th%%C3%%B4n+4+"
		"ng%%E1%%BA%%ADp+s%%C3%%A2u+khi+m%%C6%%B0a",
		visit, topic);
	assert_int_equal(post(&office, "/voice/new", body, &r), 201);
	assert_true(reply_has(&r, "Mã bí mật"));
	assert_false(reply_has(&r, "chưa gắn được"));
	reply_release(&r);
	snprintf(path, sizeof path, "/api/voice/reception/%lld", first);
	j = client_get_json(&chair, path);
	json_t *visits =
		json_object_get(json_object_get(j, "session"), "visits");
	assert_int_equal(json_array_size(visits), 2);
	json_t *v2 = json_array_get(visits, 1);
	assert_true(num(v2, "case_id") > 0);
	assert_int_equal(strlen(str(v2, "case_code")), 10);
	assert_int_equal(num(json_array_get(visits, 0), "case_id"), 0);
	json_decref(j);
	/* a visit opens one case only */
	assert_int_equal(client_get(&office, form, &r), 0);
	assert_int_equal(r.status, 409);
	reply_release(&r);
	/* the register page names the case */
	snprintf(path, sizeof path, "/voice/reception/%lld", first);
	assert_int_equal(client_get(&office, path, &r), 0);
	assert_true(reply_has(&r, "Sổ tiếp công dân"));
	assert_true(reply_has(&r, "Hoàng Văn Dân"));
	assert_true(reply_has(&r, "Mở hồ sơ từ lượt tiếp này"));
	reply_release(&r);

	/* the public schedule: when, where, who hosts; never who came */
	assert_int_equal(client_get(&anon, "/citizen/reception", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Thứ Năm, 07/01/2027"));
	assert_true(reply_has(&r, "Hội trường Thôn 5"));
	assert_true(reply_has(&r, "14:00–16:30"));
	assert_false(reply_has(&r, "Hoàng Văn Dân"));
	assert_false(reply_has(&r, "Nguyễn Thị Mây"));
	reply_release(&r);
	j = client_get_json(&anon, "/api/citizen/reception?xa=12424");
	list = json_object_get(j, "sessions");
	assert_int_equal(sessions_on(list, "2027-01-28", hall, NULL), 1);
	json_array_foreach(list, i, h)
	{
		assert_null(json_object_get(h, "visits"));
		assert_true(strcmp(str(h, "held_on"), "2026-11-27") >= 0);
	}
	json_decref(j);
	assert_int_equal(client_get(&anon, "/citizen/reception?xa=99999", &r),
			 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);

	client_release(&office);
	client_release(&chair);
	client_release(&anon);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule_register_case),
	};
	return cmocka_run_group_tests_name("reception http", tests, setup,
					   teardown);
}
