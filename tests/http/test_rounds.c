/* Survey rounds and sampling on a real server (init --demo: xã Tiên Tiến
 * with Thôn 1..6; the village head of Thôn 1, the surveyor of Thôn 2):
 * create a round, import the frame through the page (a bad file is
 * rejected with every error and changes nothing), draw, the pages of a
 * village and its printable list, the CSV export, contacts with
 * replacements, and who may see and record what. */
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

static long get_status(struct client *c, const char *path)
{
	struct reply r;
	if (client_get(c, path, &r))
		fail_msg("GET %s failed", path);
	long s = r.status;
	reply_release(&r);
	return s;
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

/* POST JSON after a page load (for the CSRF token); returns the status,
 * the answer in *out if out. */
static long post(struct client *c, const char *path, json_t *body, json_t **out)
{
	struct reply r;
	if (client_get(c, "/index/rounds", &r))
		fail_msg("GET /index/rounds failed");
	reply_release(&r);
	if (client_post_json(c, path, body, &r))
		fail_msg("POST %s failed", path);
	json_decref(body);
	long s = r.status;
	if (out)
		*out = reply_json(&r);
	reply_release(&r);
	return s;
}

static const int pops[6] = {420, 310, 260, 190, 150, 120};

static char *units_csv(void)
{
	char *s = malloc(4096);
	int n = snprintf(s, 4096, "unit,population,is_seat\n");
	for (int v = 0; v < 6; v++)
		n += snprintf(s + n, 4096 - (size_t)n, "Thôn %d,%d,%d\n", v + 1,
			      pops[v], v == 0);
	return s;
}

/* 40 people per village born 1946..2015, some too young or too old. */
static char *people_csv(void)
{
	size_t cap = 1 << 16;
	char *s = malloc(cap);
	int n = snprintf(
		s, cap, "unit,person_id,full_name,gender,birth_year,address\n");
	for (int v = 1; v <= 6; v++)
		for (int j = 0; j < 40; j++)
			n += snprintf(s + n, cap - (size_t)n,
				      "thon %d,P%d-%02d,Phạm Thị Người "
				      "%d-%02d,%s,%d,\"Xóm %d\"\n",
				      v, v, j, v, j, j % 2 ? "Nữ" : "Nam",
				      1946 + (j * 13 + v) % 70, j % 3 + 1);
	return s;
}

static void test_rounds(void **state)
{
	(void)state;
	struct client office, head, surveyor, vice, officer;
	client_login_demo(&office, &srv, "vanphong");
	json_t *j;

	/* the index home links to the rounds; the list page renders */
	struct reply r;
	assert_int_equal(client_get(&office, "/index", &r), 0);
	assert_true(reply_has(&r, "/index/rounds"));
	reply_release(&r);
	assert_int_equal(get_status(&office, "/index/rounds"), 200);

	/* create: bad fields are named, then a good one */
	assert_int_equal(
		post(&office, "/api/index/rounds/new",
		     json_pack("{s:s, s:s, s:s, s:s}", "year", "20x6", "name",
			       "", "scope", "12424", "catalogue", "1999"),
		     &j),
		422);
	json_t *errs = json_object_get(j, "errors");
	assert_non_null(json_object_get(errs, "year"));
	assert_non_null(json_object_get(errs, "name"));
	assert_non_null(json_object_get(errs, "catalogue"));
	json_decref(j);
	assert_int_equal(post(&office, "/api/index/rounds/new",
			      json_pack("{s:s, s:s, s:s, s:s}", "year", "2026",
					"name", "Khảo sát PAPI xã 2026",
					"scope", "12424", "catalogue", "2024"),
			      &j),
			 200);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	assert_true(id > 0);
	char path[256], base[64];
	snprintf(base, sizeof base, "/index/rounds/%lld", id);

	/* a bad frame: every bad row listed, nothing imported */
	snprintf(path, sizeof path, "/api%s/frame", base);
	assert_int_equal(post(&office, path,
			      json_pack("{s:s}", "csv",
					"unit,population,is_seat\nThôn "
					"1,100,1\nThôn 99,5,0\nThôn 2,-1,0\n"),
			      &j),
			 422);
	assert_int_equal(json_integer_value(json_object_get(j, "nproblems")),
			 2);
	json_t *p0 = json_array_get(json_object_get(j, "problems"), 0);
	assert_int_equal(json_integer_value(json_object_get(p0, "line")), 3);
	assert_string_equal(json_string_value(json_object_get(p0, "column")),
			    "unit");
	json_decref(j);
	/* the page shows them too */
	assert_int_equal(client_get(&office, base, &r), 0);
	reply_release(&r);
	assert_int_equal(client_post(&office, path + 4,
				     "csv=unit%2Cpopulation%0AThôn+77%2C5%0A",
				     &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Các lỗi trong tệp"));
	assert_true(reply_has(&r, "Không có thôn này"));
	reply_release(&r);
	snprintf(path, sizeof path, "/api%s", base);
	j = get_json(&office, path);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(j, "round"), "frame_units")),
			 0);
	json_decref(j);

	/* the good frame, then the people */
	char *u = units_csv(), *pe = people_csv();
	snprintf(path, sizeof path, "/api%s/frame", base);
	assert_int_equal(
		post(&office, path, json_pack("{s:s}", "csv", u), NULL), 200);
	assert_int_equal(post(&office, path, json_pack("{s:s}", "csv", pe), &j),
			 200);
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), 240);
	json_decref(j);
	free(u);
	free(pe);

	/* draw every village (5 besides the seat: all certain) */
	snprintf(path, sizeof path, "/api%s/draw", base);
	assert_int_equal(
		post(&office, path,
		     json_pack("{s:s, s:s}", "seed", "x1", "units", "5"), NULL),
		422);
	assert_int_equal(
		post(&office, path,
		     json_pack("{s:s, s:s}", "seed", "2026", "units", "5"), &j),
		200);
	assert_int_equal(json_integer_value(json_object_get(j, "units")), 6);
	assert_int_equal(json_integer_value(json_object_get(j, "people")), 120);
	long long drawn =
		120 + json_integer_value(json_object_get(j, "reserves"));
	json_decref(j);
	snprintf(path, sizeof path, "/api%s", base);
	j = get_json(&office, path);
	json_t *units = json_object_get(j, "units");
	assert_int_equal(json_array_size(units), 6);
	long long su1 = json_integer_value(
		json_object_get(json_array_get(units, 0), "id"));
	long long su2 = json_integer_value(
		json_object_get(json_array_get(units, 1), "id"));
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(units, 1), "name")),
			    "Thôn 2");
	json_decref(j);

	/* the round page, the village page and its printable list */
	assert_int_equal(client_get(&office, base, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Thôn 2"));
	assert_true(reply_has(&r, "2026")); /* the seed */
	reply_release(&r);
	char u1[128], u2[128];
	snprintf(u1, sizeof u1, "%s/units/%lld", base, su1);
	snprintf(u2, sizeof u2, "%s/units/%lld", base, su2);
	snprintf(path, sizeof path, "%s/print", u2);
	assert_int_equal(client_get(&office, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Danh sách phỏng vấn"));
	assert_true(reply_has(&r, "Người dự phòng"));
	assert_true(reply_has(&r, "Phạm Thị Người 2-"));
	reply_release(&r);
	/* the CSV export */
	snprintf(path, sizeof path, "%s/export", base);
	assert_int_equal(client_get(&office, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/csv"));
	assert_true(reply_has(&r, "unit,unit_id,ord,list,released,person_id"));
	int lines = 0;
	for (size_t i = 0; i < r.len; i++)
		lines += r.body[i] == '\n';
	assert_int_equal(lines, 1 + drawn);
	reply_release(&r);

	/* who may see and record */
	client_login_demo(&head, &srv, "truongthon");  /* Thôn 1 */
	client_login_demo(&surveyor, &srv, "dieutra"); /* Thôn 2 */
	client_login_demo(&vice, &srv, "phochutich");
	client_login_demo(&officer, &srv, "canbo");
	assert_int_equal(get_status(&surveyor, u2), 200);
	assert_int_equal(get_status(&surveyor, u1), 403);
	assert_int_equal(get_status(&head, u1), 200);
	assert_int_equal(get_status(&head, u2), 403);
	assert_int_equal(get_status(&vice, u2), 200);
	assert_int_equal(get_status(&officer, u2), 403);
	snprintf(path, sizeof path, "%s/export", base);
	assert_int_equal(get_status(&surveyor, path), 403);
	snprintf(path, sizeof path, "/api%s/draw", base);
	assert_int_equal(
		post(&surveyor, path, json_pack("{s:s}", "seed", "1"), NULL),
		403);

	/* contacts in Thôn 2 by its surveyor */
	snprintf(path, sizeof path, "/api%s", u2);
	j = get_json(&surveyor, path);
	json_t *people = json_object_get(j, "people"),
	       *reserve = json_object_get(j, "reserve");
	assert_int_equal(json_array_size(people), 20);
	assert_int_equal(json_array_size(reserve), 10);
	long long ids[30];
	for (size_t i = 0; i < 30; i++) {
		json_t *x = i < 20 ? json_array_get(people, i)
				   : json_array_get(reserve, i - 20);
		ids[i] = json_integer_value(json_object_get(x, "id"));
		if (i >= 20)
			assert_int_equal(json_integer_value(json_object_get(
						 x, "reserve_no")),
					 (long long)i - 19);
	}
	json_decref(j);
	char cp[256];
	/* not yet brought in: refused */
	snprintf(cp, sizeof cp, "/api%s/people/%lld/contact", base, ids[20]);
	assert_int_equal(post(&surveyor, cp,
			      json_pack("{s:s}", "outcome", "interviewed"),
			      NULL),
			 422);
	/* the village head of Thôn 1 and the vice-chair cannot record here */
	snprintf(cp, sizeof cp, "/api%s/people/%lld/contact", base, ids[0]);
	assert_int_equal(
		post(&head, cp, json_pack("{s:s}", "outcome", "refused"), NULL),
		403);
	assert_int_equal(
		post(&vice, cp, json_pack("{s:s}", "outcome", "refused"), NULL),
		403);
	const char *outs[] = {"refused", "not_home", "moved", "ineligible",
			      "refused"};
	for (int i = 0; i < 5; i++) {
		snprintf(cp, sizeof cp, "/api%s/people/%lld/contact", base,
			 ids[i]);
		assert_int_equal(post(&surveyor, cp,
				      json_pack("{s:s, s:s}", "outcome",
						outs[i], "note", "lần 3"),
				      &j),
				 200);
		assert_int_equal(
			json_integer_value(json_object_get(j, "released")),
			i == 4);
		json_decref(j);
	}
	/* the first replacement is now on the list; the second is not */
	snprintf(cp, sizeof cp, "/api%s/people/%lld/contact", base, ids[20]);
	assert_int_equal(post(&surveyor, cp,
			      json_pack("{s:s}", "outcome", "interviewed"),
			      NULL),
			 200);
	snprintf(cp, sizeof cp, "/api%s/people/%lld/contact", base, ids[21]);
	assert_int_equal(post(&surveyor, cp,
			      json_pack("{s:s}", "outcome", "interviewed"),
			      NULL),
			 422);
	/* through the page form: 303 back to the village */
	assert_int_equal(client_get(&surveyor, u2, &r), 0);
	assert_true(reply_has(&r, "Dự phòng 1"));
	reply_release(&r);
	snprintf(cp, sizeof cp, "%s/people/%lld/contact", base, ids[5]);
	assert_int_equal(
		client_post(&surveyor, cp, "outcome=interviewed&note=", &r), 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	assert_int_equal(client_get(&surveyor, u2, &r), 0);
	assert_true(reply_has(&r, "Đã ghi nhận"));
	assert_true(reply_has(&r, "Người dự phòng đã dùng: 1 / 10"));
	reply_release(&r);
	snprintf(path, sizeof path, "/api%s", base);
	j = get_json(&office, path);
	json_t *t2 = json_array_get(json_object_get(j, "units"), 1);
	assert_int_equal(json_integer_value(json_object_get(t2, "interviewed")),
			 2);
	assert_int_equal(json_integer_value(json_object_get(t2, "refused")), 2);
	assert_int_equal(
		json_integer_value(json_object_get(t2, "reserve_used")), 1);
	json_decref(j);
	/* a draw after contacts: refused */
	snprintf(path, sizeof path, "/api%s/draw", base);
	assert_int_equal(
		post(&office, path, json_pack("{s:s}", "seed", "7"), NULL),
		409);
	/* the contacts are in the audit log */
	j = get_json(
		&office,
		"/api/people/audit?entity=survey_round&action=round.contact");
	assert_non_null(j);
	char *dump = json_dumps(j, 0);
	assert_non_null(strstr(dump, "round.contact"));
	free(dump);
	json_decref(j);

	/* settings edit */
	snprintf(path, sizeof path, "/api%s/edit", base);
	assert_int_equal(post(&office, path,
			      json_pack("{s:s}", "sample_quota", "99"), NULL),
			 422);
	assert_int_equal(post(&office, path,
			      json_pack("{s:s, s:s}", "sample_quota", "18",
					"tie_rule", "lower"),
			      NULL),
			 200);
	assert_int_equal(post(&vice, path,
			      json_pack("{s:s}", "sample_quota", "17"), NULL),
			 403);

	/* the command line sees the same round */
	char *out = NULL;
	char idtxt[32];
	snprintf(idtxt, sizeof idtxt, "%lld", id);
	assert_int_equal(server_cli(&srv, &out, "round", "show", idtxt, NULL),
			 0);
	assert_non_null(strstr(out, "quota 18"));
	assert_non_null(strstr(out, "Thôn 2: p=1.000000"));
	free(out);

	client_release(&office);
	client_release(&head);
	client_release(&surveyor);
	client_release(&vice);
	client_release(&officer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds),
	};
	return cmocka_run_group_tests_name("rounds and sampling", tests, setup,
					   teardown);
}
