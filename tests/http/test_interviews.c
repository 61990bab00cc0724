/* Interviews on a real server: a surveyor fills the phone form screen by
 * screen (each "Tiếp" saves a draft), resumes it, gets every unanswered
 * question listed on submit, submits; the skip rules apply on the server;
 * a surveyor of another village gets 403. The office imports a CSV with a
 * column mapping, all or nothing (every bad row and column listed), and
 * the export round-trips it. A drawn person's interview, submitted on the
 * form or imported with the person's id, records the contact as
 * "interviewed": the village's progress counts it. */
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
static long long thon1, thon2;
static long long form_person; /* the drawn person interviewed on the form */

static void login(struct client *c, const char *user, const char *password)
{
	client_init(c, &srv);
	if (client_login(c, user, password) != 303)
		fail_msg("login %s failed", user);
}

static json_t *get_json(struct client *c, const char *path)
{
	struct reply r;
	if (client_get(c, path, &r) || r.status != 200)
		fail_msg("GET %s: %ld %.300s", path, r.status,
			 r.body ? r.body : "");
	json_t *j = reply_json(&r);
	if (!j)
		fail_msg("GET %s: not JSON", path);
	reply_release(&r);
	return j;
}

static int setup(void **state)
{
	(void)state;
	/* without the demo survey round (index/demo_round.h): this test
	 * makes its own rounds and counts on their ids */
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0", NULL};
	server_start(&srv, env);
	char *out = NULL;
	if (server_cli(&srv, &out, "round", "create", "--year", "2025",
		       "--name", "Khảo sát 2025", "--scope", "12424",
		       "--catalogue", "2024", NULL))
		fail_msg("round create failed: %s", out ? out : "");
	free(out);
	/* a sample frame and a draw (sampling): the seat village plus one */
	char units[512], people[512];
	snprintf(units, sizeof units, "%s/frame_units.csv", srv.dir);
	snprintf(people, sizeof people, "%s/frame_people.csv", srv.dir);
	FILE *f = fopen(units, "w");
	fputs("unit,population,is_seat\nThôn 1,500,1\nThôn 2,400,0\n", f);
	fclose(f);
	f = fopen(people, "w");
	fputs("unit,person_id,full_name,gender,birth_year,address\n", f);
	/* 40 per village, all 18-70: 20 drawn of 40, a design weight of 2 */
	for (int i = 0; i < 80; i++)
		fprintf(f, "Thôn %d,p%d,Nguyễn Văn %d,%s,%d,xóm %d\n",
			1 + i % 2, i, i, i % 3 ? "female" : "male",
			1960 + i % 40, i);
	fclose(f);
	if (server_cli(&srv, NULL, "round", "frame", "1", units, NULL) ||
	    server_cli(&srv, NULL, "round", "frame", "1", people, NULL) ||
	    server_cli(&srv, NULL, "round", "draw", "1", "--seed", "7",
		       "--units", "1", NULL))
		fail_msg("cannot make the sample");
	/* the villages of the round, as the office sees them */
	struct client c;
	login(&c, "vanphong", DEMO_PASSWORD);
	json_t *j = get_json(&c, "/api/index/interviews?round=1");
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(j, "villages"), i, v)
	{
		const char *name =
			json_string_value(json_object_get(v, "name"));
		long long id = json_integer_value(json_object_get(v, "id"));
		if (!strcmp(name, "Thôn 1"))
			thon1 = id;
		if (!strcmp(name, "Thôn 2"))
			thon2 = id;
	}
	json_decref(j);
	client_release(&c);
	if (!thon1 || !thon2)
		fail_msg("Thôn 1 and Thôn 2 are not villages of the round");
	/* a second surveyor, of Thôn 1 */
	char id[32];
	snprintf(id, sizeof id, "%lld", thon1);
	if (server_cli(&srv, NULL, "user", "add", "dieutra1", "Lê Thị Hoa",
		       "--password", "matkhau2026", NULL) ||
	    server_cli(&srv, NULL, "user", "role-add", "dieutra1", "surveyor",
		       id, NULL))
		fail_msg("cannot add the second surveyor");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

/* A body with csrf_token added by the client. */
static long post(struct client *c, const char *path, const char *body,
		 struct reply *r)
{
	if (client_post(c, path, body, r))
		fail_msg("POST %s failed", path);
	return r->status;
}

/* Answers every question shown on screen k of interview id (the first
 * choice, or the lower bound) and posts it with action. */
static long answer_screen(struct client *c, long long id, int k,
			  const char *action, const char *override)
{
	char path[128];
	snprintf(path, sizeof path, "/api/index/interviews/%lld?screen=%d", id,
		 k);
	json_t *j = get_json(c, path);
	size_t cap = 16384, n = 0;
	char *body = malloc(cap);
	n += (size_t)snprintf(body + n, cap - n, "screen=%d&action=%s", k,
			      action);
	size_t i;
	json_t *q;
	json_array_foreach(
		json_object_get(json_object_get(j, "section"), "questions"), i,
		q)
	{
		if (json_is_true(json_object_get(q, "hidden")))
			continue;
		const char *code =
			json_string_value(json_object_get(q, "code"));
		json_t *opts = json_object_get(q, "options");
		const char *v =
			json_array_size(opts)
				? json_string_value(json_object_get(
					  json_array_get(opts, 0), "value"))
				: json_string_value(
					  json_object_get(q, "lower"));
		n += (size_t)snprintf(body + n, cap - n, "&q_%s=%s", code, v);
	}
	if (override)
		n += (size_t)snprintf(body + n, cap - n, "&%s", override);
	json_decref(j);
	struct reply r;
	snprintf(path, sizeof path, "/index/interviews/%lld", id);
	long status = post(c, path, body, &r);
	reply_release(&r);
	free(body);
	return status;
}

static json_t *interview(struct client *c, long long id, int screen)
{
	char path[128];
	if (screen < 0)
		snprintf(path, sizeof path, "/api/index/interviews/%lld", id);
	else
		snprintf(path, sizeof path,
			 "/api/index/interviews/%lld?screen=%d", id, screen);
	return get_json(c, path);
}

/* The answer the form shows for code on screen k ("" none). */
static const char *shown(json_t *j, const char *code)
{
	size_t i;
	json_t *q;
	json_array_foreach(
		json_object_get(json_object_get(j, "section"), "questions"), i,
		q)
	{
		if (strcmp(json_string_value(json_object_get(q, "code")), code))
			continue;
		size_t k;
		json_t *o;
		json_array_foreach(json_object_get(q, "options"), k, o) if (
			json_is_true(json_object_get(
				o,
				"checked"))) return json_string_value(json_object_get(o,
										      "value"));
		json_array_foreach(json_object_get(q, "missing"), k, o) if (
			json_is_true(json_object_get(
				o,
				"checked"))) return json_string_value(json_object_get(o,
										      "value"));
		return json_string_value(json_object_get(q, "value"));
	}
	fail_msg("no question %s on the screen", code);
	return NULL;
}

static bool is_hidden(json_t *j, const char *code)
{
	size_t i;
	json_t *q;
	json_array_foreach(
		json_object_get(json_object_get(j, "section"), "questions"), i,
		q) if (!strcmp(json_string_value(json_object_get(q, "code")),
			       code)) return json_is_true(json_object_get(q,
									  "hidd"
									  "e"
									  "n"));
	fail_msg("no question %s on the screen", code);
	return false;
}

/* The sampled village of unit: its "interviewed" count, and its sample
 * unit id in *su. */
static long long village_done(struct client *c, long long unit, long long *su)
{
	json_t *j = get_json(c, "/api/index/rounds/1");
	long long done = -1;
	size_t i;
	json_t *x;
	json_array_foreach(
		json_object_get(j, "units"), i,
		x) if (json_integer_value(json_object_get(x, "unit_id")) ==
		       unit)
	{
		done = json_integer_value(json_object_get(x, "interviewed"));
		if (su)
			*su = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(j);
	if (done < 0)
		fail_msg("unit %lld is not a sampled village of round 1", unit);
	return done;
}

/* A drawn person's outcome on the village's contact page. */
static char *outcome_of(struct client *c, long long su, long long person)
{
	char path[128];
	snprintf(path, sizeof path, "/api/index/rounds/1/units/%lld", su);
	json_t *j = get_json(c, path);
	char *out = NULL;
	const char *lists[] = {"people", "reserve"};
	for (int l = 0; l < 2; l++) {
		size_t i;
		json_t *x;
		json_array_foreach(
			json_object_get(j, lists[l]), i,
			x) if (json_integer_value(json_object_get(x, "id")) ==
			       person) out =
			strdup(json_string_value(
				json_object_get(x, "outcome")));
	}
	json_decref(j);
	if (!out)
		fail_msg("person %lld is not on the list of sample unit %lld",
			 person, su);
	return out;
}

static long long id_from_location(const struct reply *r)
{
	const char *p = strstr(r->location, "/index/interviews/");
	if (!p)
		fail_msg("no interview in location %s", r->location);
	return strtoll(p + strlen("/index/interviews/"), NULL, 10);
}

static void test_form_draft_resume_submit(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	char body[256];
	login(&c, "dieutra", DEMO_PASSWORD);

	/* The surveyor of Thôn 2 sees only Thôn 2. */
	json_t *j = get_json(&c, "/api/index/interviews?round=1");
	assert_int_equal(json_array_size(json_object_get(j, "villages")), 1);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(j, "villages"), 0),
			"name")),
		"Thôn 2");
	json_decref(j);
	if (client_get(&c, "/index/interviews?round=1", &r) || r.status != 200)
		fail_msg("list page: %ld", r.status);
	assert_true(reply_has(&r, "Bắt đầu phỏng vấn"));
	reply_release(&r);

	/* Not in another village; fields checked. */
	snprintf(body, sizeof body,
		 "round=1&village=%lld&gender=female&age_group=30-39", thon1);
	assert_int_equal(post(&c, "/index/interviews/new", body, &r), 403);
	reply_release(&r);
	snprintf(body, sizeof body,
		 "round=1&village=%lld&gender=x&age_group=", thon2);
	assert_int_equal(post(&c, "/index/interviews/new", body, &r), 422);
	assert_true(reply_has(&r, "Vui lòng chọn giới tính."));
	assert_true(reply_has(&r, "Vui lòng chọn nhóm tuổi"));
	reply_release(&r);

	/* The drawn people of Thôn 2 only; one of them is interviewed. */
	j = get_json(&c, "/api/index/interviews?round=1");
	json_t *sampled = json_object_get(j, "sampled");
	assert_true(json_array_size(sampled) >= 20);
	size_t i;
	json_t *x;
	json_array_foreach(sampled, i, x) assert_string_equal(
		json_string_value(json_object_get(x, "village")), "Thôn 2");
	long long person = json_integer_value(
		json_object_get(json_array_get(sampled, 0), "id"));
	const char *pg = json_string_value(
		json_object_get(json_array_get(sampled, 0), "gender"));
	char person_gender[16];
	snprintf(person_gender, sizeof person_gender, "%s", pg);
	size_t nsampled = json_array_size(sampled);
	json_decref(j);
	snprintf(body, sizeof body, "round=1&person=999999");
	assert_int_equal(post(&c, "/index/interviews/new", body, &r), 422);
	assert_true(reply_has(&r, "không có trong danh sách chọn mẫu"));
	reply_release(&r);
	snprintf(body, sizeof body, "round=1&person=%lld", person);
	assert_int_equal(post(&c, "/index/interviews/new", body, &r), 303);
	long long id = id_from_location(&r);
	reply_release(&r);
	j = get_json(&c, "/api/index/interviews?round=1");
	assert_int_equal(json_array_size(json_object_get(j, "sampled")),
			 nsampled - 1);
	x = json_array_get(json_object_get(j, "interviews"), 0);
	assert_int_equal(json_integer_value(json_object_get(x, "id")), id);
	assert_string_equal(json_string_value(json_object_get(x, "village")),
			    "Thôn 2");
	assert_string_equal(json_string_value(json_object_get(x, "gender")),
			    person_gender);
	json_decref(j);

	/* Screen 1 (1.1 Tri thức công dân) as a phone page. */
	char path[128];
	snprintf(path, sizeof path, "/index/interviews/%lld", id);
	if (client_get(&c, path, &r) || r.status != 200)
		fail_msg("form: %ld", r.status);
	assert_true(reply_has(&r, "Tri thức công dân"));
	assert_true(reply_has(&r, "name=\"q_q1_1_1\" value=\"1\""));
	assert_true(reply_has(&r, "Không biết"));
	assert_true(reply_has(&r, "Từ chối trả lời"));
	assert_true(reply_has(&r, "value=\"next\""));
	assert_true(reply_has(&r, "/static/interview.js"));
	reply_release(&r);

	/* A bad value on the screen comes back at once, nothing moves on. */
	snprintf(body, sizeof body, "screen=0&action=next&q_q1_1_1=7");
	assert_int_equal(post(&c, path, body, &r), 422);
	assert_true(reply_has(&r, "không phải là một lựa chọn"));
	reply_release(&r);

	/* "Tiếp" saves a draft with what is answered (don't know included). */
	snprintf(body, sizeof body,
		 "screen=0&action=next&q_q1_1_1=1&q_q1_1_2=98");
	assert_int_equal(post(&c, path, body, &r), 303);
	assert_non_null(strstr(r.location, "screen=1&saved=0"));
	reply_release(&r);

	/* Resume: a new login (another phone) opens the draft where it was. */
	client_release(&c);
	login(&c, "dieutra", DEMO_PASSWORD);
	j = interview(&c, id, -1);
	assert_int_equal(json_integer_value(json_object_get(j, "screen")), 1);
	assert_true(json_is_true(json_object_get(j, "draft")));
	json_decref(j);
	j = interview(&c, id, 0);
	assert_string_equal(shown(j, "q1_1_1"), "1");
	assert_string_equal(shown(j, "q1_1_2"), "98");
	assert_string_equal(shown(j, "q1_1_3"), "");
	json_decref(j);

	/* Submitting now lists every question still unanswered, in Vietnamese. */
	j = interview(&c, id, 0);
	int nscreens = (int)json_integer_value(json_object_get(j, "nscreens"));
	json_decref(j);
	assert_true(nscreens >= 28);
	snprintf(body, sizeof body, "screen=%d&action=submit", nscreens);
	assert_int_equal(post(&c, path, body, &r), 422);
	assert_true(reply_has(&r, "Phiếu chưa gửi được"));
	assert_true(reply_has(&r, "câu q1_1_3</a>: Chưa trả lời."));
	assert_false(reply_has(&r, "câu q1_1_1<"));
	reply_release(&r);

	/* Fill every screen; on 1.4 say "no contribution" to q1_4_1 and
	 * answer its follow-up anyway: the server drops that answer. */
	int s14 = -1, s53 = -1;
	for (int k = 0; k < nscreens; k++) {
		j = interview(&c, id, k);
		const char *sec = json_string_value(
			json_object_get(json_object_get(j, "section"), "code"));
		bool here = !strcmp(sec, "1.4"), s41 = !strcmp(sec, "4.1");
		if (!strcmp(sec, "5.3"))
			s53 = k;
		json_decref(j);
		if (here)
			s14 = k;
		/* q5_3_4 (screen 5.3) is skipped when q4_1_2a = 0 */
		assert_int_equal(answer_screen(&c, id, k, "next",
					       here  ? "q_q1_4_1=0&q_q1_4_2=1"
					       : s41 ? "q_q4_1_2a=0"
						     : NULL),
				 303);
	}
	assert_true(s53 > 0);
	j = interview(&c, id, s53);
	assert_true(is_hidden(j, "q5_3_4"));
	assert_true(
		is_hidden(j, "q5_3_1")); /* the whole of 5.3 follows q4_1_2a */
	json_decref(j);
	assert_true(s14 >= 0);
	j = interview(&c, id, s14);
	assert_string_equal(shown(j, "q1_4_1"), "0");
	assert_string_equal(shown(j, "q1_4_2"), "");
	json_decref(j);
	j = interview(&c, id, -1);
	assert_int_equal(json_integer_value(json_object_get(j, "screen")),
			 nscreens);
	assert_true(json_is_true(json_object_get(j, "review")));
	json_decref(j);

	/* nothing counted for the village while it is a draft */
	long long su2;
	client_release(&c);
	login(&c, "vanphong", DEMO_PASSWORD);
	long long done_before = village_done(&c, thon2, &su2);
	char *oc = outcome_of(&c, su2, person);
	assert_string_equal(oc, "pending");
	free(oc);
	client_release(&c);
	login(&c, "dieutra", DEMO_PASSWORD);

	snprintf(body, sizeof body, "screen=%d&action=submit", nscreens);
	assert_int_equal(post(&c, path, body, &r), 303);
	assert_non_null(strstr(r.location, "/index/interviews?round=1"));
	reply_release(&r);
	/* submitted: the person's contact says interviewed, in the village's
	 * progress, with its audit row */
	client_release(&c);
	login(&c, "vanphong", DEMO_PASSWORD);
	assert_int_equal(village_done(&c, thon2, NULL), done_before + 1);
	oc = outcome_of(&c, su2, person);
	assert_string_equal(oc, "interviewed");
	free(oc);
	if (client_get(&c, "/api/people/audit?action=round.contact", &r) ||
	    r.status != 200)
		fail_msg("audit: %ld", r.status);
	assert_true(reply_has(&r, "interviewed"));
	reply_release(&r);
	form_person = person;
	client_release(&c);
	login(&c, "dieutra", DEMO_PASSWORD);
	j = interview(&c, id, 0);
	assert_string_equal(json_string_value(json_object_get(j, "status")),
			    "submitted");
	json_decref(j);
	/* submitted: no more changes */
	snprintf(body, sizeof body, "screen=0&action=next&q_q1_1_1=0");
	assert_int_equal(post(&c, path, body, &r), 409);
	reply_release(&r);
	client_release(&c);

	/* The surveyor of Thôn 1 cannot open Thôn 2's interview. */
	login(&c, "dieutra1", "matkhau2026");
	if (client_get(&c, path, &r))
		fail_msg("GET %s", path);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	snprintf(body, sizeof body, "screen=0&action=next&q_q1_1_1=0");
	assert_int_equal(post(&c, path, body, &r), 403);
	reply_release(&r);
	j = get_json(&c, "/api/index/interviews?round=1");
	assert_int_equal(json_array_size(json_object_get(j, "interviews")), 0);
	json_decref(j);
	/* nor export nor import */
	assert_int_equal(client_get(&c, "/index/interviews/export?round=1", &r),
			 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	client_release(&c);

	/* A village head is no surveyor. */
	login(&c, "truongthon", DEMO_PASSWORD);
	assert_int_equal(client_get(&c, "/index/interviews", &r), 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	client_release(&c);

	/* The office sees it; its export carries the drawn person's design
	 * weight (1 / (P(village) x P(person | village)), not 1). */
	login(&c, "vanphong", DEMO_PASSWORD);
	j = get_json(&c, "/api/index/interviews?round=1");
	assert_int_equal(json_integer_value(json_object_get(j, "submitted")),
			 1);
	json_decref(j);
	if (client_get(&c, "/index/interviews/export?round=1", &r) ||
	    r.status != 200)
		fail_msg("export: %ld", r.status);
	char head[64];
	snprintf(head, sizeof head, "\n%lld,%lld,", id, thon2);
	const char *row = strstr(r.body, head);
	assert_non_null(row);
	const char *w = row + 1;
	for (int k = 0; k < 6; k++)
		w = strchr(w, ',') + 1;
	double weight = strtod(w, NULL);
	assert_true(weight > 1.0);
	reply_release(&r);
	client_release(&c);
}

static char *map_csv = "column,code\n"
		       "thon,village\n"
		       "gioi_tinh,gender\n"
		       "tuoi,age\n"
		       "_uuid,id\n"
		       "Q1,q1_1_1\n"
		       "Q2,q1_4_1\n"
		       "Q3,q1_4_2\n"
		       "Q4,q4_4_2\n"
		       "start,\n";

static long import(struct client *c, const char *csv, json_t **out)
{
	json_t *body = json_pack("{s:s, s:s, s:s}", "round", "1", "csv", csv,
				 "map", map_csv);
	struct reply r;
	if (client_post_json(c, "/api/index/interviews/import", body, &r))
		fail_msg("POST import");
	json_decref(body);
	*out = reply_json(&r);
	long status = r.status;
	reply_release(&r);
	return status;
}

static int export_rows(struct client *c, char **text)
{
	struct reply r;
	if (client_get(c, "/index/interviews/export?round=1&codes=1", &r) ||
	    r.status != 200)
		fail_msg("export: %ld", r.status);
	assert_non_null(strstr(r.content_type, "text/csv"));
	int lines = 0;
	for (size_t i = 0; i < r.len; i++)
		lines += r.body[i] == '\n';
	if (text)
		*text = strndup(r.body, r.len);
	reply_release(&r);
	return lines - 1;
}

static void test_import_all_or_nothing_and_export(void **state)
{
	(void)state;
	struct client c;
	login(&c, "vanphong", DEMO_PASSWORD);
	int before = export_rows(&c, NULL);
	json_t *j;
	/* every bad row and column, nothing imported */
	const char *bad = "_uuid,thon,gioi_tinh,tuoi,Q1,Q2,Q3,Q4,start\n"
			  "u1,Thôn 1,1,34,1,1,1,12.5,x\n"
			  "u2,Thôn 9,3,15,5,0,1,300,x\n"
			  "u3,Thôn 2,,,abc,1,0,998,x\n";
	assert_int_equal(import(&c, bad, &j), 422);
	assert_int_equal(json_integer_value(json_object_get(j, "nproblems")),
			 9);
	json_t *p = json_object_get(j, "problems");
	const char *want[][2] = {
		{"3", "thon"},      {"3", "gioi_tinh"}, {"3", "tuoi"},
		{"3", "Q1"},        {"3", "Q3"},        {"3", "Q4"},
		{"4", "gioi_tinh"}, {"4", "tuoi"},      {"4", "Q1"}};
	for (size_t i = 0; i < 9; i++) {
		json_t *x = json_array_get(p, i);
		assert_int_equal(json_integer_value(json_object_get(x, "line")),
				 strtol(want[i][0], NULL, 10));
		assert_string_equal(
			json_string_value(json_object_get(x, "column")),
			want[i][1]);
		assert_true(strlen(json_string_value(
				    json_object_get(x, "message"))) > 0);
	}
	json_decref(j);
	assert_int_equal(export_rows(&c, NULL), before);
	/* the wrong delimiter, named */
	assert_int_equal(
		import(&c, "thon;gioi_tinh;tuoi;Q1\nThôn 1;1;30;1\n", &j), 422);
	assert_non_null(strstr(
		json_string_value(json_object_get(
			json_array_get(json_object_get(j, "problems"), 0),
			"message")),
		"dấu phẩy"));
	json_decref(j);

	/* the good rows go in */
	const char *good = "_uuid,thon,gioi_tinh,tuoi,Q1,Q2,Q3,Q4,start\n"
			   "u1,Thôn 1,1,34,1,1,1,12.5,x\n"
			   "u2,Thôn 2,Nữ,66,98,0,,998,x\n"
			   "u3,Thôn 2,2,18,0,1,0,0,x\n";
	assert_int_equal(import(&c, good, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "interviews")),
			 3);
	assert_int_equal(json_integer_value(json_object_get(j, "questions")),
			 4);
	json_decref(j);
	char *text;
	assert_int_equal(export_rows(&c, &text), before + 3);
	assert_non_null(strstr(
		text,
		"id,village,stratum,cluster,gender,age_group,weight,q1_1_1,"));
	/* Round trip: the export imports back (its columns are named like the
	 * questions) and exports the same rows again. */
	json_t *body = json_pack("{s:s, s:s}", "round", "1", "csv", text);
	struct reply r;
	assert_int_equal(
		client_post_json(&c, "/api/index/interviews/import", body, &r),
		0);
	json_decref(body);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	char *again;
	int n = export_rows(&c, &again);
	assert_int_equal(n, 2 * (before + 3));
	/* every row of the first export is there twice, apart from its id */
	char *line = strchr(text, '\n') + 1;
	while (*line) {
		char *end = strchr(line, '\n');
		char *rest = strchr(line, ',');
		size_t len = (size_t)(end - rest);
		int seen = 0;
		for (char *s = strchr(again, '\n') + 1; *s;
		     s = strchr(s, '\n') + 1) {
			char *c2 = strchr(s, ',');
			if (!strncmp(c2, rest, len) && c2[len] == '\n')
				seen++;
		}
		assert_int_equal(seen, 2);
		line = end + 1;
	}
	free(text);
	free(again);
	client_release(&c);
}

/* Imported rows with a person column: each must name a person drawn in
 * its village, on the list, not yet interviewed; all or nothing; then
 * their contacts say interviewed. */
static void test_import_with_person(void **state)
{
	(void)state;
	assert_true(form_person > 0); /* after test_form_draft_resume_submit */
	struct client c;
	login(&c, "vanphong", DEMO_PASSWORD);
	/* two drawn people of Thôn 1 and one of Thôn 2 still to interview */
	json_t *j = get_json(&c, "/api/index/interviews?round=1");
	long long p1[2] = {0, 0}, p2 = 0;
	int n1 = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "sampled"), i, x)
	{
		long long unit =
			json_integer_value(json_object_get(x, "unit_id"));
		long long id = json_integer_value(json_object_get(x, "id"));
		if (unit == thon1 && n1 < 2)
			p1[n1++] = id;
		if (unit == thon2 && !p2)
			p2 = id;
	}
	json_decref(j);
	assert_int_equal(n1, 2);
	assert_true(p2 > 0);
	long long su1;
	long long done1 = village_done(&c, thon1, &su1);
	long long done2 = village_done(&c, thon2, NULL);

	/* unknown, wrong village, already interviewed, twice in the file, not
	 * a number: every one named, nothing imported */
	char csv[1024];
	snprintf(csv, sizeof csv,
		 "person,village,gender,age,q1_1_1\n"
		 "999999,Thôn 1,1,30,1\n"
		 "%lld,Thôn 2,1,30,1\n"
		 "%lld,Thôn 2,2,40,0\n"
		 "%lld,Thôn 1,2,50,1\n"
		 "%lld,Thôn 1,2,50,1\n"
		 "x7,Thôn 1,1,30,1\n",
		 p1[0], form_person, p1[1], p1[1]);
	json_t *body = json_pack("{s:s, s:s}", "round", "1", "csv", csv);
	struct reply r;
	assert_int_equal(
		client_post_json(&c, "/api/index/interviews/import", body, &r),
		0);
	json_decref(body);
	assert_int_equal(r.status, 422);
	j = reply_json(&r);
	reply_release(&r);
	json_t *p = json_object_get(j, "problems");
	/* the file's own slips first (line 7: not a number; line 6 repeats
	 * line 5), then the people checked against the draw */
	int want_lines[] = {7, 6};
	for (int k = 0; k < 2; k++) {
		x = json_array_get(p, (size_t)k);
		assert_int_equal(json_integer_value(json_object_get(x, "line")),
				 want_lines[k]);
		assert_string_equal(
			json_string_value(json_object_get(x, "column")),
			"person");
	}
	assert_non_null(strstr(json_string_value(json_object_get(
				       json_array_get(p, 1), "message")),
			       "đã có ở dòng 5"));
	json_decref(j);
	/* the file's slips fixed: the draw's problems are all listed */
	snprintf(csv, sizeof csv,
		 "person,village,gender,age,q1_1_1\n"
		 "999999,Thôn 1,1,30,1\n"
		 "%lld,Thôn 2,1,30,1\n"
		 "%lld,Thôn 2,2,40,0\n"
		 "%lld,Thôn 1,2,50,1\n",
		 p1[0], form_person, p1[1]);
	body = json_pack("{s:s, s:s}", "round", "1", "csv", csv);
	assert_int_equal(
		client_post_json(&c, "/api/index/interviews/import", body, &r),
		0);
	json_decref(body);
	assert_int_equal(r.status, 422);
	j = reply_json(&r);
	reply_release(&r);
	p = json_object_get(j, "problems");
	assert_int_equal(json_integer_value(json_object_get(j, "nproblems")),
			 3);
	const char *want[][2] = {{"2", "không có trong danh sách chọn mẫu"},
				 {"3", "không phải thôn của dòng này"},
				 {"4", "đã có phiếu phỏng vấn"}};
	for (size_t k = 0; k < 3; k++) {
		x = json_array_get(p, k);
		assert_int_equal(json_integer_value(json_object_get(x, "line")),
				 strtol(want[k][0], NULL, 10));
		assert_string_equal(
			json_string_value(json_object_get(x, "column")),
			"person");
		assert_non_null(
			strstr(json_string_value(json_object_get(x, "message")),
			       want[k][1]));
	}
	json_decref(j);
	assert_int_equal(village_done(&c, thon1, NULL), done1);
	assert_int_equal(village_done(&c, thon2, NULL), done2);

	/* good rows: two of Thôn 1 interviewed, one row without a person */
	snprintf(csv, sizeof csv,
		 "person,village,gender,age,q1_1_1\n"
		 "%lld,Thôn 1,1,30,1\n"
		 ",Thôn 2,1,30,1\n"
		 "%lld,Thôn 1,2,50,0\n",
		 p1[0], p1[1]);
	body = json_pack("{s:s, s:s}", "round", "1", "csv", csv);
	assert_int_equal(
		client_post_json(&c, "/api/index/interviews/import", body, &r),
		0);
	json_decref(body);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	assert_int_equal(village_done(&c, thon1, NULL), done1 + 2);
	assert_int_equal(village_done(&c, thon2, NULL), done2);
	for (int k = 0; k < 2; k++) {
		char *oc = outcome_of(&c, su1, p1[k]);
		assert_string_equal(oc, "interviewed");
		free(oc);
	}
	/* the same file again: both people are taken now */
	body = json_pack("{s:s, s:s}", "round", "1", "csv", csv);
	assert_int_equal(
		client_post_json(&c, "/api/index/interviews/import", body, &r),
		0);
	json_decref(body);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "đã có phiếu phỏng vấn"));
	reply_release(&r);
	assert_int_equal(village_done(&c, thon1, NULL), done1 + 2);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_draft_resume_submit),
		cmocka_unit_test(test_import_all_or_nothing_and_export),
		cmocka_unit_test(test_import_with_person),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
