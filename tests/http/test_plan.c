/* plan/ through a real `quantri serve` on the demo database (init --demo:
 * Minh Tiến's real 2024 plan, Tiên Tiến's 2026 draft, the demo survey
 * round): the plan shown as its document, targets against the round's
 * results, every demo role against the routes (who sees the plans across
 * the merger, who may write them, who may report on which task), the
 * office writing and issuing a plan and giving tasks, bad input refused
 * with nothing saved, progress reports with a photo from a phone form
 * (multipart), bad files refused, the roll-up, and the audit log. */
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
	server_start(&srv, NULL);
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

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* The demo plan whose title holds `needle`, as `user` sees the list. */
static long long plan_id(struct client *c, const char *needle)
{
	json_t *j = get_json(c, "/api/plan");
	long long id = 0;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(j, "plans"), i,
			   p) if (strstr(str(p, "title"), needle)) id =
		num(p, "id");
	json_decref(j);
	return id;
}

/* A task of a plan by the start of its title. */
static long long task_id(struct client *c, long long plan, const char *title)
{
	char path[64];
	snprintf(path, sizeof path, "/api/plan/%lld", plan);
	json_t *j = get_json(c, path);
	long long id = 0;
	size_t i;
	json_t *t;
	json_array_foreach(
		json_object_get(j, "tasks"), i,
		t) if (!id && !strncmp(str(t, "title"), title, strlen(title)))
		id = num(t, "id");
	json_decref(j);
	if (!id)
		fail_msg("no task %s in plan %lld", title, plan);
	return id;
}

static int ntasks(struct client *c, long long plan)
{
	char path[64];
	snprintf(path, sizeof path, "/api/plan/%lld", plan);
	json_t *j = get_json(c, path);
	int n = (int)json_array_size(json_object_get(j, "tasks"));
	json_decref(j);
	return n;
}

static int nupdates(struct client *c, long long task)
{
	char path[64];
	snprintf(path, sizeof path, "/api/plan/tasks/%lld", task);
	json_t *j = get_json(c, path);
	int n = (int)json_array_size(json_object_get(j, "updates"));
	json_decref(j);
	return n;
}

static void test_lists_across_merger(void **state)
{
	(void)state;
	/* every role of xã Tiên Tiến, and the province, sees Minh Tiến's
	 * 2024 plan (the predecessor) and Tiên Tiến's 2026 draft */
	static const char *const users[] = {
		"chutich", "phochutich", "vanphong",   "truongbp", "canbo",
		"mttq",    "bantt",      "truongthon", "dieutra",  "tinh"};
	for (size_t u = 0; u < sizeof users / sizeof *users; u++) {
		struct client c;
		client_login_demo(&c, &srv, users[u]);
		long long p24 = plan_id(&c, "xã Minh Tiến năm 2024"),
			  p26 = plan_id(&c, "xã Tiên Tiến năm 2026");
		if (!p24 || !p26)
			fail_msg("%s does not see both demo plans", users[u]);
		char path[64];
		snprintf(path, sizeof path, "/plan/%lld", p24);
		assert_int_equal(client_status(&c, path), 200);
		assert_int_equal(client_status(&c, "/plan"), 200);
		client_release(&c);
	}
}

static void test_document(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	long long id = plan_id(&c, "xã Minh Tiến năm 2024");
	char path[64];
	snprintf(path, sizeof path, "/plan/%lld", id);
	struct reply r;
	assert_int_equal(client_get(&c, path, &r), 0);
	assert_int_equal(r.status, 200);
	static const char *const want[] = {
		"ỦY BAN NHÂN DÂN",
		"XÃ MINH TIẾN",
		"Số: 01/KH-UBND",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Minh Tiến, ngày 15 tháng 01 năm 2024",
		"KẾ HOẠCH",
		"Thực hiện Kế hoạch số 04/KH-UBND ngày 04/01/2024",
		"I. MỤC ĐÍCH, YÊU CẦU",
		"II. NỘI DUNG",
		"III. TỔ CHỨC THỰC HIỆN",
		"giữ vững bậc so với năm 2023",
		"Nơi nhận:",
		"- Phòng Nội vụ huyện;",
		"- Lưu: VP.",
		"TM. ỦY BAN NHÂN DÂN",
		"CHỦ TỊCH",
		"Ngô Văn Quyên",
		"Giữ vững bậc so với năm 2023",
		"Chưa có kết quả",
		"<progress",
		"Văn phòng – Thống kê",
		"hạn 31/12/2024",
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		if (!reply_has(&r, want[i]))
			fail_msg("plan page lacks \"%s\"", want[i]);
	/* the chair reads, and may not write */
	assert_false(reply_has(&r, "Giao nhiệm vụ"));
	reply_release(&r);

	/* the 2026 draft against the demo round of 2026: the commune's
	 * scores are measured; its tier is not (the villages' tiers are
	 * not the commune's), and says why */
	long long p26 = plan_id(&c, "xã Tiên Tiến năm 2026");
	snprintf(path, sizeof path, "/api/plan/%lld", p26);
	json_t *j = get_json(&c, path);
	json_t *targets = json_object_get(j, "targets");
	assert_int_equal(json_array_size(targets), 4);
	size_t i;
	json_t *t;
	int scored = 0, tier = 0;
	json_array_foreach(targets, i, t)
	{
		const char *state = str(t, "state");
		if (!strcmp(str(t, "kind"), "score") &&
		    !strcmp(str(t, "goal"), "reach")) {
			assert_true(!strcmp(state, "met") ||
				    !strcmp(state, "not_met"));
			assert_non_null(strstr(str(t, "actual_vi"), "điểm"));
			scored++;
		}
		if (!strcmp(str(t, "kind"), "tier")) {
			assert_string_equal(state, "no_data");
			assert_non_null(strstr(str(t, "reason_vi"),
					       "không phải bậc của xã"));
			assert_non_null(strstr(str(t, "context_vi"),
					       "tỉnh Hưng Yên năm 2022"));
			tier++;
		}
	}
	assert_int_equal(scored, 2);
	assert_int_equal(tier, 1);
	assert_string_equal(
		str(json_object_get(j, "doc"), "number"),
		"Số:\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0 "
		"/KH-UBND");
	json_decref(j);
	client_release(&c);
}

/* The form fields of a new plan. */
static void plan_form(char *buf, size_t n, long long unit, const char *title)
{
	char t[512];
	snprintf(buf, n,
		 "unit_id=%lld&year=2026&symbol=KH-UBND&place=&title=%s"
		 "&bases=C%%C4%%83n+c%%E1%%BB%%A9+1%%0AC%%C4%%83n+c%%E1%%BB%%"
		 "A9+2"
		 "&heading_1=I.+M%%E1%%BB%%A4C+%%C4%%90%%C3%%8DCH&body_1=a)+X"
		 "&recipients=-+L%%C6%%B0u%%3A+VP.&sign_mode=KT."
		 "&signer_title=Ph%%C3%%B3+Ch%%E1%%BB%%A7+t%%E1%%BB%%8Bch"
		 "&signer_name=L%%C3%%AA+Th%%E1%%BB%%8B+H%%E1%%BB%%93ng+Nhung"
		 "&baseline_year=2025&criterion_min_tasks=4"
		 "&target_measure_1=total&target_goal_1=reach"
		 "&target_kind_1=score&target_value_1=45%%2C5",
		 unit, form_escape(title, t, sizeof t));
}

static long long commune_option(struct client *c)
{
	json_t *j = get_json(c, "/api/plan/new");
	long long id = 0;
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(j, "communes"), i,
			   o) if (json_is_true(json_object_get(o, "selected")))
		id = num(o, "id");
	json_decref(j);
	return id;
}

static void test_write_and_issue(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	long long commune = commune_option(&c);
	assert_true(commune > 0);
	char full[4096];
	plan_form(full, sizeof full, commune, "Kế hoạch thử nghiệm");

	/* add a section: the form again, nothing saved */
	struct reply r;
	char more[4300];
	snprintf(more, sizeof more, "%s&add_section=1", full);
	assert_int_equal(client_status(&c, "/plan/new"), 200);
	assert_int_equal(client_post(&c, "/plan/new", more, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "name=\"heading_2\""));
	reply_release(&r);

	/* no title: 422, the Vietnamese message */
	snprintf(more, sizeof more, "%s", full);
	char *title = strstr(more, "&title=");
	char *end = strchr(title + 1, '&');
	memmove(title + 7, end, strlen(end) + 1);
	assert_int_equal(client_post(&c, "/plan/new", more, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Vui lòng nhập tên kế hoạch."));
	reply_release(&r);

	assert_int_equal(client_post(&c, "/plan/new", full, &r), 0);
	assert_int_equal(r.status, 303);
	long long id = 0;
	sscanf(strstr(r.location, "/plan/") + 6, "%lld", &id);
	reply_release(&r);
	assert_true(id > 0);
	char path[64];
	snprintf(path, sizeof path, "/api/plan/%lld", id);
	json_t *j = get_json(&c, path);
	json_t *plan = json_object_get(j, "plan");
	assert_string_equal(str(plan, "status"), "draft");
	assert_string_equal(str(plan, "place"), "Tiên Tiến");
	assert_string_equal(str(plan, "sign_mode"), "KT.");
	assert_string_equal(str(plan, "bases"), "Căn cứ 1\nCăn cứ 2");
	json_t *t0 = json_array_get(json_object_get(plan, "targets"), 0);
	assert_true(json_real_value(json_object_get(t0, "value")) == 45.5);
	assert_string_equal(str(json_object_get(j, "doc"), "sign1"),
			    "KT. CHỦ TỊCH");
	assert_string_equal(str(json_object_get(j, "doc"), "sign2"),
			    "PHÓ CHỦ TỊCH");
	json_decref(j);

	/* issue: the commune's first 2026 number, kept after */
	snprintf(path, sizeof path, "/plan/%lld/issue", id);
	assert_int_equal(client_post(&c, path, "issued_on=05%2F03%2F2026", &r),
			 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	snprintf(path, sizeof path, "/api/plan/%lld", id);
	j = get_json(&c, path);
	plan = json_object_get(j, "plan");
	assert_string_equal(str(plan, "number_text"), "01/KH-UBND");
	assert_string_equal(str(json_object_get(j, "doc"), "dated"),
			    "Tiên Tiến, ngày 05 tháng 3 năm 2026");
	json_decref(j);
	snprintf(path, sizeof path, "/plan/%lld/issue", id);
	assert_int_equal(client_post(&c, path, "", &r), 0);
	assert_int_equal(r.status, 409);
	reply_release(&r);

	/* others may not write plans */
	struct client o;
	client_login_demo(&o, &srv, "chutich");
	assert_int_equal(client_status(&o, "/plan/new"), 403);
	snprintf(path, sizeof path, "/plan/%lld/edit", id);
	assert_int_equal(client_status(&o, path), 403);
	client_release(&o);
	client_release(&c);
}

/* An option's id by its label, from a form's options list. */
static long long option(json_t *list, const char *label)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) if (strstr(str(o, "label"),
						  label)) return num(o, "id");
	fail_msg("no option %s", label);
	return 0;
}

static void test_tasks(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	long long plan = plan_id(&c, "xã Tiên Tiến năm 2026");
	char path[64];
	snprintf(path, sizeof path, "/api/plan/%lld/tasks/new", plan);
	json_t *form = get_json(&c, path);
	long long tp = option(json_object_get(form, "leads"), "Tư pháp"),
		  dc = option(json_object_get(form, "co_units"), "Địa chính"),
		  lan = option(json_object_get(form, "people"), "Vũ Thị Lan");
	json_decref(form);
	snprintf(path, sizeof path, "/plan/%lld/tasks/new", plan);
	assert_int_equal(client_status(&c, path), 200);
	int before = ntasks(&c, plan);
	char body[1024];
	struct reply r;
	/* an unknown unit, dates out of order, an unknown official */
	static const struct {
		const char *lead, *start, *due, *user, *msg;
	} bad[] = {
		{"999999", "01/03/2026", "30/06/2026", "",
		 "Đơn vị chủ trì "
		 "không thuộc xã"},
		{NULL, "30/06/2026", "01/03/2026", "",
		 "Hạn hoàn thành phải "
		 "sau"},
		{NULL, "01/03/2026", "30/06/2026", "999999",
		 "Người phụ trách không phải cán bộ của xã"},
		{NULL, "01/03/2026", "31/02/2026", "",
		 "Hạn hoàn thành không "
		 "hợp lệ"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char lead[32], d1[64], d2[64];
		if (bad[i].lead)
			snprintf(lead, sizeof lead, "%s", bad[i].lead);
		else
			snprintf(lead, sizeof lead, "%lld", tp);
		snprintf(body, sizeof body,
			 "title=Vi%%E1%%BB%%87c+th%%E1%%BB%%AD&lead_unit_id=%s"
			 "&start_on=%s&due_on=%s&responsible_user_id=%s"
			 "&recurrence=none&weight=1",
			 lead, form_escape(bad[i].start, d1, sizeof d1),
			 form_escape(bad[i].due, d2, sizeof d2), bad[i].user);
		assert_int_equal(client_post(&c, path, body, &r), 0);
		if (r.status != 422 || !reply_has(&r, bad[i].msg))
			fail_msg("bad task %zu: %ld, wanted \"%s\"", i,
				 r.status, bad[i].msg);
		reply_release(&r);
	}
	assert_int_equal(ntasks(&c, plan), before);

	/* a monthly task: ten occurrences, March to December */
	snprintf(body, sizeof body,
		 "title=B%%C3%%A1o+c%%C3%%A1o+th%%C3%%A1ng&lead_unit_id=%lld"
		 "&co_unit_ids=%lld&responsible_user_id=%lld"
		 "&links=D3&links=D3%%3A3.2.2&start_on=01%%2F03%%2F2026"
		 "&due_on=31%%2F12%%2F2026&recurrence=monthly&weight=2",
		 tp, dc, lan);
	assert_int_equal(client_post(&c, path, body, &r), 0);
	assert_int_equal(r.status, 303);
	long long id = 0;
	sscanf(strstr(r.location, "/plan/tasks/") + 12, "%lld", &id);
	reply_release(&r);
	assert_int_equal(ntasks(&c, plan), before + 11);
	snprintf(path, sizeof path, "/api/plan/tasks/%lld", id);
	json_t *j = get_json(&c, path);
	json_t *task = json_object_get(j, "task");
	assert_string_equal(str(task, "recurrence"), "monthly");
	assert_int_equal(json_array_size(json_object_get(task, "links")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "children")), 10);
	bool found = false;
	size_t i;
	assert_string_equal(
		str(json_array_get(json_object_get(j, "children"), 0), "title"),
		"Báo cáo tháng – Tháng 3/2026");
	/* a parent is reported through its children */
	assert_false(json_is_true(json_object_get(j, "can_update")));
	json_decref(j);

	/* the official given the task is told, in the app */
	struct client lan_c;
	client_login_demo(&lan_c, &srv, "truongbp");
	j = get_json(&lan_c, "/api/notifications");
	found = false;
	json_t *nt;
	json_array_foreach(json_object_get(j, "notifications"), i, nt) found |=
		!strcmp(str(nt, "title"),
			"Nhiệm vụ được giao: Báo cáo tháng") &&
		strstr(str(nt, "link"), "/plan/tasks/") != NULL;
	json_decref(j);
	client_release(&lan_c);
	assert_true(found);

	/* the audit log has it */
	j = get_json(&c, "/api/people/audit?entity=task");
	found = false;
	json_t *row;
	json_array_foreach(json_object_get(j, "rows"), i, row) found |=
		!strcmp(str(row, "action"), "task.create") &&
		strtoll(str(row, "entity_id"), NULL, 10) == id;
	json_decref(j);
	assert_true(found);
	client_release(&c);
}

/* A 1x1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
	0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

struct part {
	const char *filename;
	const void *data;
	size_t len;
};

/* POST /plan/tasks/{id}/report as multipart/form-data, like the phone
 * form sends it. */
static long report(struct client *c, long long task, const char *status,
		   int progress, const char *note, const struct part *files,
		   int nfiles, struct reply *out)
{
	static const char b[] = "qtPlanBoundary9x7Yz";
	size_t cap = 4096;
	for (int i = 0; i < nfiles; i++)
		cap += files[i].len + 512;
	char *body = malloc(cap);
	size_t n = (size_t)snprintf(
		body, cap,
		"--%s\r\nContent-Disposition: form-data; name=\"csrf_token\""
		"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: form-data; "
		"name=\"status\"\r\n\r\n%s\r\n--%s\r\nContent-Disposition: "
		"form-data; name=\"progress\"\r\n\r\n%d\r\n--%s\r\n"
		"Content-Disposition: form-data; name=\"note\"\r\n\r\n%s\r\n",
		b, c->csrf, b, status, b, progress, b, note);
	for (int i = 0; i < nfiles; i++) {
		n += (size_t)snprintf(body + n, cap - n,
				      "--%s\r\nContent-Disposition: form-data; "
				      "name=\"files\"; filename=\"%s\"\r\n"
				      "Content-Type: image/jpeg\r\n\r\n",
				      b, files[i].filename);
		memcpy(body + n, files[i].data, files[i].len);
		n += files[i].len;
		n += (size_t)snprintf(body + n, cap - n, "\r\n");
	}
	n += (size_t)snprintf(body + n, cap - n, "--%s--\r\n", b);
	char ct[100], path[64];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	snprintf(path, sizeof path, "/plan/tasks/%lld/report", task);
	struct reply r;
	if (client_request(c, "POST", path, ct, body, n, &r))
		fail_msg("report: no reply");
	free(body);
	long s = r.status;
	if (out)
		*out = r;
	else
		reply_release(&r);
	return s;
}

static void test_report_permissions(void **state)
{
	(void)state;
	struct client office;
	client_login_demo(&office, &srv, "vanphong");
	long long plan = plan_id(&office, "xã Tiên Tiến năm 2026");
	/* led by Tư pháp (truongbp), and by Địa chính (canbo) */
	long long tp = task_id(&office, plan, "Rà soát, niêm yết"),
		  dc = task_id(&office, plan, "Xử lý các điểm tập kết");
	static const struct {
		const char *user;
		long tp, dc;
	} who[] = {
		{"truongbp", 303, 403},   {"canbo", 403, 303},
		{"chutich", 403, 403},    {"phochutich", 403, 403},
		{"mttq", 403, 403},       {"bantt", 403, 403},
		{"truongthon", 403, 403}, {"dieutra", 403, 403},
		{"tinh", 403, 403},       {"vanphong", 303, 303},
	};
	for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
		struct client c;
		client_login_demo(&c, &srv, who[i].user);
		char path[64];
		snprintf(path, sizeof path, "/plan/tasks/%lld", tp);
		struct reply r;
		assert_int_equal(client_get(&c, path, &r), 0);
		assert_int_equal(r.status, 200);
		/* the form only for those who may use it */
		assert_int_equal(reply_has(&r, "Cập nhật tiến độ"),
				 who[i].tp == 303);
		reply_release(&r);
		long s = report(&c, tp, "doing", 70, "Tiếp tục", NULL, 0, &r);
		if (s != who[i].tp)
			fail_msg("%s on Tư pháp's task: %ld", who[i].user, s);
		if (s == 403)
			assert_true(reply_has(&r, "Bạn chỉ cập nhật được"));
		reply_release(&r);
		s = report(&c, dc, "doing", 60, "", NULL, 0, NULL);
		if (s != who[i].dc)
			fail_msg("%s on Địa chính's task: %ld", who[i].user, s);
		/* the forms that manage the plan: the office only */
		snprintf(path, sizeof path, "/plan/%lld/tasks/new", plan);
		long want = strcmp(who[i].user, "vanphong") ? 403 : 200;
		assert_int_equal(client_status(&c, path), want);
		snprintf(path, sizeof path, "/plan/tasks/%lld/edit", tp);
		assert_int_equal(client_status(&c, path), want);
		client_release(&c);
	}
	client_release(&office);
}

static void test_report_with_photo(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "truongbp");
	long long plan = plan_id(&c, "xã Tiên Tiến năm 2026");
	long long tp = task_id(&c, plan, "Rà soát, niêm yết");
	char path[64];
	snprintf(path, sizeof path, "/plan/tasks/%lld", tp);
	assert_int_equal(client_status(&c, path), 200);
	int before = nupdates(&c, tp);

	/* not a picture, though its name says so: refused, nothing saved */
	static const char text[] = "this is plain text, not a JPEG";
	struct part fake = {"anh-chup.jpg", text, sizeof text - 1};
	struct reply r;
	assert_int_equal(report(&c, tp, "done", 100, "", &fake, 1, &r), 422);
	assert_true(reply_has(&r, "Cập nhật tiến độ"));
	reply_release(&r);
	/* six files: refused */
	struct part six[6];
	for (int i = 0; i < 6; i++)
		six[i] = (struct part){"anh.png", png, sizeof png};
	assert_int_equal(report(&c, tp, "done", 100, "", six, 6, &r), 422);
	assert_true(reply_has(&r, "Tối đa 5 tệp"));
	reply_release(&r);
	/* a photo over the 10 MB limit */
	size_t big_len = 11u << 20;
	unsigned char *big = calloc(1, big_len);
	memcpy(big, png, sizeof png);
	struct part huge = {"anh-lon.png", big, big_len};
	assert_int_equal(report(&c, tp, "done", 100, "", &huge, 1, &r), 422);
	assert_true(reply_has(&r, "MB"));
	reply_release(&r);
	free(big);
	/* a progress out of range */
	assert_int_equal(report(&c, tp, "doing", 140, "", NULL, 0, NULL), 422);
	assert_int_equal(nupdates(&c, tp), before);

	/* a photo from the phone form */
	struct part photo = {"niem-yet.png", png, sizeof png};
	assert_int_equal(report(&c, tp, "done", 100,
				"Đã niêm yết đủ 65 thủ tục", &photo, 1, &r),
			 303);
	reply_release(&r);
	snprintf(path, sizeof path, "/api/plan/tasks/%lld", tp);
	json_t *j = get_json(&c, path);
	json_t *task = json_object_get(j, "task");
	assert_string_equal(str(task, "status"), "done");
	assert_int_equal(num(task, "progress"), 100);
	json_t *u0 = json_array_get(json_object_get(j, "updates"), 0);
	assert_string_equal(str(u0, "note"), "Đã niêm yết đủ 65 thủ tục");
	assert_string_equal(str(u0, "user_name"), "Vũ Thị Lan");
	json_t *f0 = json_array_get(json_object_get(u0, "files"), 0);
	assert_non_null(f0);
	assert_true(json_is_true(json_object_get(f0, "is_image")));
	char url[128];
	snprintf(url, sizeof url, "%s", str(f0, "url"));
	json_decref(j);
	assert_int_equal(nupdates(&c, tp), before + 1);

	/* the history shows the thumbnail; the file is served to those who
	 * see the plan */
	snprintf(path, sizeof path, "/plan/tasks/%lld", tp);
	assert_int_equal(client_get(&c, path, &r), 0);
	char img[160];
	snprintf(img, sizeof img, "<img src=\"%s\"", url);
	assert_true(reply_has(&r, img));
	reply_release(&r);
	assert_int_equal(client_get(&c, url, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, sizeof png);
	assert_non_null(strstr(r.content_type, "image/png"));
	reply_release(&r);
	struct client chair;
	client_login_demo(&chair, &srv, "chutich");
	assert_int_equal(client_status(&chair, url), 200);
	client_release(&chair);
	client_release(&c);
}

static void test_rollup(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "vanphong");
	long long plan = plan_id(&c, "xã Tiên Tiến năm 2026");
	long long parent = task_id(&c, plan, "Báo cáo tháng kết quả thực hiện");
	char path[64];
	snprintf(path, sizeof path, "/api/plan/tasks/%lld", parent);
	json_t *j = get_json(&c, path);
	json_t *kids = json_object_get(j, "children");
	assert_int_equal(json_array_size(kids), 12);
	long long nov = 0;
	size_t i;
	json_t *k;
	json_array_foreach(kids, i,
			   k) if (strstr(str(k, "title"), "Tháng 11/2026"))
		nov = num(k, "id");
	json_decref(j);
	/* 10 of 12 done: 83%; November done: 92% */
	j = get_json(&c, path);
	assert_int_equal(num(json_object_get(j, "task"), "progress"), 83);
	json_decref(j);
	snprintf(path, sizeof path, "/plan/tasks/%lld", nov);
	assert_int_equal(client_status(&c, path), 200);
	assert_int_equal(report(&c, nov, "done", 100, "Đã gửi", NULL, 0, NULL),
			 303);
	snprintf(path, sizeof path, "/api/plan/tasks/%lld", parent);
	j = get_json(&c, path);
	assert_int_equal(num(json_object_get(j, "task"), "progress"), 92);
	assert_string_equal(str(json_object_get(j, "task"), "status"), "doing");
	json_decref(j);
	/* a report on the parent itself: refused */
	assert_int_equal(report(&c, parent, "done", 100, "", NULL, 0, NULL),
			 422);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_across_merger),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_write_and_issue),
		cmocka_unit_test(test_tasks),
		cmocka_unit_test(test_report_permissions),
		cmocka_unit_test(test_report_with_photo),
		cmocka_unit_test(test_rollup),
	};
	return cmocka_run_group_tests_name("plan http", tests, setup, teardown);
}
