/* Post-stratification weights of the demo round on a real server: the
 * office imports census margins (a bad file lists every bad row and
 * changes nothing), the weights page shows raked shares equal to the
 * census shares, the round's results change with them; everyone logged in
 * reads, only the office and the chair import; the CLI command. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

static struct server srv;

static const char good[] = "variable,category,population\n"
			   "gender,male,480\n"
			   "gender,female,520\n"
			   "age_group,18-29,300\n"
			   "age_group,30-39,250\n"
			   "age_group,40-49,200\n"
			   "age_group,50-59,150\n"
			   "age_group,60-70,100\n";

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

static void login(struct client *c, const char *user)
{
	client_init(c, &srv);
	if (client_login(c, user, DEMO_PASSWORD) != 303)
		fail_msg("login %s failed", user);
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

static long long demo_round(struct client *c)
{
	json_t *j = get_json(c, "/api/index/rounds");
	long long id = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "rounds"), i, x)
	{
		const char *n = json_string_value(json_object_get(x, "name"));
		if (n && strstr(n, "dữ liệu mẫu"))
			id = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(j);
	if (!id)
		fail_msg("no demo round");
	return id;
}

static double commune_total(struct client *c, long long id)
{
	char path[128];
	snprintf(path, sizeof path, "/api/index/rounds/%lld/results", id);
	json_t *j = get_json(c, path);
	double v = json_real_value(json_object_get(
		json_object_get(json_array_get(json_object_get(j, "units"), 0),
				"total"),
		"raw"));
	json_decref(j);
	return v;
}

/* variables[v].rows[k].field */
static json_t *cell(json_t *j, size_t v, size_t k, const char *field)
{
	return json_object_get(
		json_array_get(
			json_object_get(
				json_array_get(json_object_get(j, "variables"),
					       v),
				"rows"),
			k),
		field);
}

static void test_weights(void **state)
{
	(void)state;
	struct client office, officer, anon;
	login(&office, "vanphong");
	login(&officer, "canbo");
	client_init(&anon, &srv);
	long long id = demo_round(&office);
	char path[256], api[256];
	snprintf(path, sizeof path, "/index/rounds/%lld/weights", id);
	snprintf(api, sizeof api, "/api/index/rounds/%lld/weights", id);

	json_t *j = get_json(&officer, api);
	assert_false(json_is_true(json_object_get(j, "has_margins")));
	assert_int_equal(json_integer_value(json_object_get(j, "interviews")),
			 72);
	assert_true(json_is_null(cell(j, 1, 4, "raked")));
	assert_true(json_is_real(cell(j, 1, 4, "design")));
	json_decref(j);
	double before = commune_total(&officer, id);
	assert_true(isfinite(before));

	/* permissions: everyone logged in reads, the office and the chair
	 * import */
	assert_int_not_equal(get_status(&anon, path), 200);
	char mp[256];
	snprintf(mp, sizeof mp, "/api/index/rounds/%lld/margins", id);
	assert_int_equal(
		post(&officer, mp, json_pack("{s:s}", "csv", good), NULL), 403);

	/* a bad file: every bad row, nothing imported */
	assert_int_equal(post(&office, mp,
			      json_pack("{s:s}", "csv",
					"variable,category,population\n"
					"gender,male,480\ngender,nu,520\n"
					"age_group,18-29,0\n"),
			      &j),
			 422);
	assert_int_equal(
		json_integer_value(json_object_get(j, "nproblems")),
		7); /* 2 rows, gender female and 4 age groups missing */
	json_t *p0 = json_array_get(json_object_get(j, "problems"), 0);
	assert_int_equal(json_integer_value(json_object_get(p0, "line")), 3);
	assert_string_equal(json_string_value(json_object_get(p0, "column")),
			    "category");
	json_decref(j);
	j = get_json(&office, api);
	assert_false(json_is_true(json_object_get(j, "has_margins")));
	json_decref(j);
	/* the page form lists them too */
	struct reply r;
	assert_int_equal(client_get(&office, path, &r), 0);
	reply_release(&r);
	snprintf(mp, sizeof mp, "/index/rounds/%lld/margins", id);
	assert_int_equal(
		client_post(&office, mp,
			    "csv=variable%2Ccategory%2Cpopulation%0Agender%"
			    "2Cmale%2C-5%0A",
			    &r),
		0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Các lỗi trong tệp"));
	assert_true(reply_has(&r, "Dân số phải là số dương"));
	reply_release(&r);

	/* the good file */
	snprintf(mp, sizeof mp, "/api/index/rounds/%lld/margins", id);
	assert_int_equal(
		post(&office, mp, json_pack("{s:s}", "csv", good), NULL), 200);
	j = get_json(&officer, api);
	assert_true(json_is_true(json_object_get(j, "has_margins")));
	assert_true(json_is_true(json_object_get(j, "raked")));
	static const double pop[2][5] = {{.48, .52}, {.3, .25, .2, .15, .1}};
	for (size_t v = 0; v < 2; v++)
		for (size_t k = 0; k < (v ? 5u : 2u); k++) {
			double raked = json_real_value(cell(j, v, k, "raked"));
			double p = json_real_value(cell(j, v, k, "population"));
			assert_true(fabs(p - pop[v][k]) < 1e-12);
			assert_true(fabs(raked - pop[v][k]) < 1e-8);
		}
	json_decref(j);
	double after = commune_total(&officer, id);
	assert_true(isfinite(after));
	assert_true(fabs(after - before) > 1e-9);

	/* the page, for any logged-in user */
	assert_int_equal(client_get(&officer, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Mẫu so với dân số"));
	assert_true(reply_has(&r, "60–70 tuổi"));
	assert_true(reply_has(&r, "52,0"));
	assert_false(reply_has(&r, "Nhập số liệu dân số</button>"));
	reply_release(&r);
	assert_int_equal(client_get(&office, path, &r), 0);
	assert_true(reply_has(&r, "Nhập số liệu dân số</button>"));
	reply_release(&r);
	snprintf(path, sizeof path, "/index/rounds/%lld", id);
	assert_int_equal(client_get(&officer, path, &r), 0);
	assert_true(reply_has(&r, "/weights\">Trọng số</a>"));
	reply_release(&r);

	/* the command: a bad file changes nothing */
	char file[1100], idtxt[32];
	snprintf(file, sizeof file, "%s/margins.csv", srv.dir);
	snprintf(idtxt, sizeof idtxt, "%lld", id);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("variable,category,population\ngender,male,1\n", f);
	fclose(f);
	assert_int_equal(
		server_cli(&srv, NULL, "round", "margins", idtxt, file, NULL),
		1);
	assert_true(fabs(commune_total(&officer, id) - after) < 1e-12);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("variable,category,population\ngender,male,100\n"
	      "gender,female,100\n",
	      f);
	fclose(f);
	assert_int_equal(
		server_cli(&srv, NULL, "round", "margins", idtxt, file, NULL),
		0);
	j = get_json(&officer, api);
	assert_true(fabs(json_real_value(cell(j, 0, 1, "raked")) - .5) < 1e-9);
	assert_true(json_is_null(cell(j, 1, 0, "population")));
	json_decref(j);
	client_release(&office);
	client_release(&officer);
	client_release(&anon);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
