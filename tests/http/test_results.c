/* A round's results on a real server: init --demo makes the demo round
 * (5 villages drawn, 16 interviews each, one with 8). The results equal
 * `quantri survey estimate` on `quantri interviews export` of the same
 * round; the short village has no score and says why; tier badges and
 * ranks equal tier.h on the village totals; pages for chair and
 * surveyor. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/index/tier.h"
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

static long long demo_round(struct client *c)
{
	json_t *j = get_json(c, "/api/index/rounds");
	json_t *list = json_object_get(j, "rounds");
	long long id = 0;
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		const char *n = json_string_value(json_object_get(x, "name"));
		if (n && strstr(n, "dữ liệu mẫu"))
			id = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(j);
	if (!id)
		fail_msg("no demo round in /api/index/rounds");
	return id;
}

/* The CLI's estimate of column var by village: value and se of `by`. */
static bool cli_estimate(const char *out, const char *by, const char *var,
			 double *est, double *se, long *n)
{
	char key[128];
	snprintf(key, sizeof key, "\n%s,%s,", by, var);
	const char *p = strstr(out, key);
	if (!p)
		return false;
	p += strlen(key);
	char *end;
	*n = strtol(p, &end, 10);
	*est = strtod(end + 1, &end);
	*se = strtod(end + 1, &end);
	return true;
}

static void test_results(void **state)
{
	(void)state;
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	long long id = demo_round(&c);
	char path[256];
	snprintf(path, sizeof path, "/api/index/rounds/%lld/results", id);
	json_t *res = get_json(&c, path);
	json_t *units = json_object_get(res, "units");
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(res, "round"), "interviews")),
			 72);
	assert_int_equal(json_array_size(units), 6); /* the commune + 5 */
	/* no census margins: design weights, and the API says so (the
	 * raked case: tests/http/test_weights.c) */
	assert_true(json_is_false(json_object_get(res, "raked")));
	assert_int_equal(json_array_size(json_object_get(res, "raked_on")), 0);

	/* the short village: no total, a reason; the others: a total */
	int noscore = 0;
	double tot[5];
	int nv = 0;
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		json_t *t = json_object_get(u, "total");
		if (i == 0) {
			assert_true(json_is_true(json_object_get(t, "ok")));
			continue;
		}
		if (!json_is_true(json_object_get(t, "ok"))) {
			noscore++;
			const char *why =
				json_string_value(json_object_get(t, "reason"));
			assert_non_null(why);
			assert_non_null(strstr(why, "Không đủ số phiếu"));
			assert_int_equal(
				json_integer_value(json_object_get(t, "rank")),
				0);
			tot[nv++] = NAN;
		} else {
			tot[nv++] = json_real_value(json_object_get(t, "raw"));
		}
	}
	assert_int_equal(noscore, 1);

	/* tiers and ranks equal tier.h on the village totals */
	struct tier_cuts cuts;
	tier_cuts(tot, nv, &cuts);
	int ranks[5];
	rank_desc(tot, nv, ranks);
	json_array_foreach(units, i, u)
	{
		if (i == 0)
			continue;
		json_t *t = json_object_get(u, "total");
		enum tier want = tier_of(tot[i - 1], &cuts, TIER_TIE_UPPER);
		int g = want == TIER_NONE ? 0 : 5 - (int)want;
		assert_int_equal(
			json_integer_value(json_object_get(t, "group")), g);
		assert_int_equal(json_integer_value(json_object_get(t, "rank")),
				 ranks[i - 1]);
	}

	/* indicator means and SEs equal `quantri survey estimate` on the
	 * export: villages as strata, and the commune as one cluster
	 * design */
	char file[1100], idtxt[32];
	snprintf(file, sizeof file, "%s/export.csv", srv.dir);
	snprintf(idtxt, sizeof idtxt, "%lld", id);
	assert_int_equal(server_cli(&srv, NULL, "interviews", "export", idtxt,
				    file, NULL),
			 0);
	char *vill = NULL, *com = NULL;
	assert_int_equal(server_cli(&srv, &vill, "survey", "estimate", file,
				    "--weight", "weight", "--strata", "village",
				    "--by", "village", "--vars", "q*", NULL),
			 0);
	assert_int_equal(server_cli(&srv, &com, "survey", "estimate", file,
				    "--weight", "weight", "--strata", "stratum",
				    "--cluster", "cluster", "--lonely-psu",
				    "adjust", "--vars", "q*", NULL),
			 0);
	snprintf(path, sizeof path, "/api/index/rounds/%lld/results/D1", id);
	json_t *d1 = get_json(&c, path);
	json_t *sub0 = json_array_get(json_object_get(d1, "subs"), 0);
	json_t *ind = json_array_get(json_object_get(sub0, "indicators"), 0);
	assert_string_equal(json_string_value(json_object_get(ind, "code")),
			    "1.1.1");
	double est = 0, se = 0;
	long n = 0;
	json_t *sc = json_object_get(ind, "scope");
	assert_true(cli_estimate(com, "ALL", "q1_1_1", &est, &se, &n));
	assert_true(fabs(est - json_real_value(json_object_get(sc, "raw"))) <
		    1e-9);
	assert_true(fabs(se - json_real_value(json_object_get(sc, "se_raw"))) <
		    1e-9);
	int compared = 0;
	json_array_foreach(json_object_get(ind, "per"), i, u)
	{
		json_t *uu = json_array_get(units, i + 1);
		char by[32];
		snprintf(by, sizeof by, "%lld",
			 (long long)json_integer_value(
				 json_object_get(uu, "id")));
		assert_true(cli_estimate(vill, by, "q1_1_1", &est, &se, &n));
		assert_int_equal(json_integer_value(json_object_get(u, "n")),
				 n);
		if (!json_is_true(json_object_get(u, "ok")))
			continue;
		assert_true(fabs(est - json_real_value(json_object_get(
					       u, "raw"))) < 1e-9);
		assert_true(fabs(se - json_real_value(json_object_get(
					      u, "se_raw"))) < 1e-9);
		compared++;
	}
	assert_true(compared >= 4);
	free(vill);
	free(com);
	json_decref(d1);
	json_decref(res);

	/* the pages, for the chair and for a surveyor */
	const char *pages[] = {"results", "results/D4", "results/weakest",
			       "results/trends"};
	for (int k = 0; k < 4; k++) {
		snprintf(path, sizeof path, "/index/rounds/%lld/%s", id,
			 pages[k]);
		struct reply r;
		assert_int_equal(client_get(&c, path, &r), 0);
		assert_int_equal(r.status, 200);
		if (k == 0) {
			assert_true(reply_has(&r, "<svg class=\"radar\""));
			assert_true(reply_has(&r, "Không đủ số phiếu"));
			assert_true(reply_has(&r, "tier tier-g") ||
				    reply_has(&r, "tier-g"));
			assert_false(reply_has(&r, "trọng số đã hiệu chỉnh"));
		}
		if (k == 2)
			assert_true(reply_has(&r, "sai số chuẩn"));
		if (k == 3)
			assert_true(
				reply_has(&r, "<svg class=\"radar trend\""));
		reply_release(&r);
	}
	/* the weakest indicators: most negative gap first, all below 0 */
	snprintf(path, sizeof path, "/api/index/rounds/%lld/results/weakest",
		 id);
	json_t *wk = get_json(&c, path);
	double last = -INFINITY;
	json_array_foreach(json_object_get(wk, "rows"), i, u)
	{
		double g = json_real_value(json_object_get(u, "gap_raw"));
		assert_true(g < 0 && g >= last);
		last = g;
	}
	assert_true(json_array_size(json_object_get(wk, "rows")) > 0);
	json_decref(wk);
	struct client s;
	client_login_demo(&s, &srv, "dieutra");
	snprintf(path, sizeof path, "/index/rounds/%lld/results", id);
	struct reply r;
	assert_int_equal(client_get(&s, path, &r), 0);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	snprintf(path, sizeof path, "/index/rounds/%lld/results/D9", id);
	assert_int_equal(client_get(&s, path, &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_release(&s);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results),
	};
	return cmocka_run_group_tests_name("round results", tests, setup,
					   teardown);
}
