/* Official results with the published figures as oracles: the totals are
 * the sums of the eight dimensions, the ranks computed from the totals are
 * the published ranks, the groups and the median province; and imports
 * that are wrong in any way change nothing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "index/index_db.h"
#include "index/official.h"
#include "index/papi.h"
#include "papi_fixture.h"
#include "base/banned.h"

static const struct papi_actor who = {0, "test", ""};

static struct official_set shipped(struct arena *a)
{
	size_t len;
	char *data = fx_file(a, PAPI_SHIPPED_OFFICIAL, &len);
	struct official_set s;
	struct problems p;
	struct error e = {0};
	if (official_parse(a, data, len, &s, &p, &e))
		fail_msg("shipped results: %s (line %d: %s)", e.msg,
			 p.kept ? p.list[0].line : 0,
			 p.kept ? p.list[0].msg_en : "");
	return s;
}

static int find(const struct official_set *s, int year, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (s->rows[i].year == year && !strcmp(s->rows[i].name, name))
			return i;
	fail_msg("no %s in %d", name, year);
	return -1;
}

static void test_sums_and_ranks(void **state)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	struct official_set s = shipped(&a);
	assert_int_equal(s.n, 126);
	int years[] = {2020, 2022}, ranked[] = {63, 61};
	for (int y = 0; y < 2; y++) {
		int n = 0, with_total = 0;
		int ranks[200], groups[200];
		official_groups(s.rows, s.n, years[y], 8, TIER_TIE_UPPER, ranks,
				groups, NULL);
		for (int i = 0; i < s.n; i++) {
			const struct official_row *r = &s.rows[i];
			if (r->year != years[y])
				continue;
			n++;
			if (isnan(r->v[8])) {
				/* no total: no rank, published or computed */
				assert_int_equal(r->rank, 0);
				assert_int_equal(ranks[i], 0);
				assert_int_equal(groups[i], 0);
				continue;
			}
			with_total++;
			double sum = 0;
			for (int m = 0; m < 8; m++) {
				assert_false(isnan(r->v[m]));
				sum += r->v[m];
			}
			/* 4-decimal rounding of eight dimensions and a total */
			assert_true(fabs(sum - r->v[8]) < 5e-4);
			assert_int_equal(ranks[i], r->rank);
			assert_int_equal(r->n_ranked, ranked[y]);
		}
		assert_int_equal(n, 63);
		assert_int_equal(with_total, ranked[y]);
	}
	arena_release(&a);
}

static void test_groups_and_median(void **state)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	struct official_set s = shipped(&a);
	int ranks[200], groups[200];
	struct tier_cuts cuts;
	/* 2020 environmental governance (D7): the press put Hà Nội, Hồ Chí
	 * Minh, Đà Nẵng and Hải Phòng in the weakest group, and Đồng Tháp
	 * alone reached 5.2. */
	official_groups(s.rows, s.n, 2020, 6, TIER_TIE_UPPER, ranks, groups,
			&cuts);
	assert_int_equal(cuts.n, 63);
	const char *weak[] = {"Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Hải Phòng"};
	for (int k = 0; k < 4; k++)
		assert_int_equal(groups[find(&s, 2020, weak[k])], 4);
	int dt = find(&s, 2020, "Đồng Tháp");
	assert_int_equal(ranks[dt], 1);
	assert_int_equal(groups[dt], 1);
	assert_true(s.rows[dt].v[6] >= 5.2);
	/* PERCENTILE.INC of 63 values: P25 at position 15.5 (0-based) */
	assert_true(fabs(cuts.p25 - 3.2211302) < 1e-9);
	assert_true(fabs(cuts.p75 - 3.69147115) < 1e-9);

	/* Total: Quảng Ninh first in 2020 (published), in group 1; the median
	 * province of 63 is the 32nd total, of 61 the 31st. */
	official_groups(s.rows, s.n, 2020, 8, TIER_TIE_UPPER, ranks, groups,
			&cuts);
	int qn = find(&s, 2020, "Quảng Ninh");
	assert_int_equal(ranks[qn], 1);
	assert_int_equal(groups[qn], 1);
	assert_true(fabs(cuts.p50 - 42.722893) < 1e-9);
	int quarter[5] = {0};
	for (int i = 0; i < s.n; i++)
		quarter[groups[i]] += s.rows[i].year == 2020;
	/* 63 scores: 16 at or above P75, 16 at or above P50 below it ... */
	assert_int_equal(quarter[1], 16);
	assert_int_equal(quarter[2], 16);
	assert_int_equal(quarter[3], 15);
	assert_int_equal(quarter[4], 16);
	official_groups(s.rows, s.n, 2022, 8, TIER_TIE_UPPER, ranks, groups,
			&cuts);
	assert_int_equal(cuts.n, 61);
	assert_true(fabs(cuts.p50 - 42.2377) < 1e-9);
	int hy = find(&s, 2022, "Hưng Yên");
	assert_int_equal(ranks[hy], 11);
	assert_int_equal(s.rows[hy].rank, 11);
	assert_int_equal(groups[hy], 1);
	/* Bắc Giang 2022 misses four dimensions: no total, no rank, but its
	 * published dimensions still get a group. */
	int bg = find(&s, 2022, "Bắc Giang");
	assert_int_equal(ranks[bg], 0);
	assert_int_equal(groups[bg], 0);
	official_groups(s.rows, s.n, 2022, 5, TIER_TIE_UPPER, ranks, groups,
			&cuts);
	assert_int_equal(cuts.n, 63);
	assert_true(ranks[bg] > 0 && groups[bg] >= 1);
	arena_release(&a);
}

/* The tie rule moves a score that sits exactly on a cut. */
static void test_tie_rule(void **state)
{
	struct arena a;
	arena_init(&a, 1 << 20);
	const char *csv = "year,province_vi,d1,d2,d3,d4,d5,d6,d7,d8,total\n"
			  "2024,A,1,1,1,1,1,1,1,1,8\n"
			  "2024,B,2,1,1,1,1,1,1,1,9\n"
			  "2024,C,3,1,1,1,1,1,1,1,10\n"
			  "2024,D,4,1,1,1,1,1,1,1,11\n"
			  "2024,E,5,1,1,1,1,1,1,1,12\n";
	struct official_set s;
	struct problems p;
	struct error e = {0};
	assert_int_equal(official_parse(&a, csv, strlen(csv), &s, &p, &e),
			 ERR_OK);
	int ranks[5], up[5], low[5];
	struct tier_cuts c;
	official_groups(s.rows, 5, 2024, 0, TIER_TIE_UPPER, ranks, up, &c);
	official_groups(s.rows, 5, 2024, 0, TIER_TIE_LOWER, ranks, low, NULL);
	/* cuts 2, 3, 4 fall on B, C, D */
	assert_true(c.p25 == 2 && c.p50 == 3 && c.p75 == 4);
	int want_up[] = {4, 3, 2, 1, 1}, want_low[] = {4, 4, 3, 2, 1};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(up[i], want_up[i]);
		assert_int_equal(low[i], want_low[i]);
		assert_int_equal(ranks[i], 5 - i);
	}
	arena_release(&a);
}

static bool has_problem(const struct problems *p, int line, const char *column)
{
	for (int i = 0; i < p->kept; i++)
		if (p->list[i].line == line &&
		    !strcmp(p->list[i].column, column) && *p->list[i].msg_vi &&
		    *p->list[i].msg_en)
			return true;
	return false;
}

static void test_bad_files(void **state)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	size_t len;
	char *good = fx_file(&a, PAPI_SHIPPED_OFFICIAL, &len);
	struct official_set s;
	struct problems p;
	struct error e = {0};
	/* Hà Giang 2020 (line 2): its total no longer the sum */
	char *bad = fx_replace(&a, good, "42.675816", "43.675816");
	assert_int_equal(official_parse(&a, bad, strlen(bad), &s, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 2, "total_unweighted"));
	assert_int_equal(p.n, 1);
	/* a dimension out of 1..10, and a word for a number, on line 3 */
	bad = fx_replace(&a, good, "4.891694", "11.5");
	bad = fx_replace(&a, bad, "5.4994693", "năm");
	assert_int_equal(official_parse(&a, bad, strlen(bad), &s, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 3, "d1_participation"));
	assert_true(has_problem(&p, 3, "d2_transparency"));
	/* missing column */
	bad = fx_replace(&a, good, "d5_public_admin_procedures", "d5x");
	assert_int_equal(official_parse(&a, bad, strlen(bad), &s, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 1, "d5"));
	/* a rank for a unit without a total (Bắc Ninh 2022, line 81) */
	bad = fx_replace(&a, good,
			 "5.8174157,,,,7.582089,8.085029,3.7651064,,,,61",
			 "5.8174157,,,,7.582089,8.085029,3.7651064,,,7,61");
	assert_int_equal(official_parse(&a, bad, strlen(bad), &s, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 81, "rank"));
	/* semicolons */
	const char *semi = "year;province_vi;d1\n2020;A;5\n";
	assert_int_equal(official_parse(&a, semi, strlen(semi), &s, &p, &e),
			 ERR_INVALID);
	assert_int_equal(p.list[0].line, 1);
	assert_non_null(strstr(p.list[0].msg_en, "separated by ;"));
	/* TCVN3: "Hµ Néi" is not UTF-8 */
	const char *tcvn = "year,province_vi\n2020,H\xb5 N\xe9i\n";
	assert_int_equal(official_parse(&a, tcvn, strlen(tcvn), &s, &p, &e),
			 ERR_INVALID);
	assert_int_equal(p.list[0].line, 2);
	assert_non_null(strstr(p.list[0].msg_en, "TCVN3"));
	arena_release(&a);
}

/* Through the database: what was imported reads back; a bad file changes
 * nothing; a good one replaces the years it holds. */
static void test_import_db(void **state)
{
	struct fixture *f = *state;
	struct arena *a = &f->a;
	size_t len;
	char *good = fx_file(a, PAPI_SHIPPED_OFFICIAL, &len);
	struct official_set s, back;
	struct problems p;
	struct error e = {0};
	assert_int_equal(papi_official_import(f->db, a, &who, good, len,
					      "x.csv", &s, &p, &e),
			 ERR_OK);
	assert_int_equal(idb_official_load(f->db, a, 2022, &back, &e), ERR_OK);
	assert_int_equal(back.n, 63);
	int hy = find(&back, 2022, "Hưng Yên");
	assert_int_equal(back.rows[hy].rank, 11);
	assert_true(back.rows[hy].v[8] == 44.183113);
	int bg = find(&back, 2022, "Bắc Giang");
	assert_true(isnan(back.rows[bg].v[8]) && isnan(back.rows[bg].v[0]));
	/* Vietnamese order: An Giang first, Yên Bái last */
	assert_string_equal(back.rows[0].name, "An Giang");
	assert_string_equal(back.rows[62].name, "Yên Bái");

	char *bad = fx_replace(a, good, "2022,Hưng Yên,Hung Yen,5.4940963",
			       "2022,Hưng Yên,Hung Yen,55.4940963");
	assert_int_equal(papi_official_import(f->db, a, &who, bad, strlen(bad),
					      "y.csv", &s, &p, &e),
			 ERR_INVALID);
	assert_int_equal(idb_official_load(f->db, a, 0, &back, &e), ERR_OK);
	assert_int_equal(back.n, 126);
	assert_true(back.rows[find(&back, 2022, "Hưng Yên")].v[0] == 5.4940963);

	const char *one =
		"year,province_vi,d1,d2,d3,d4,d5,d6,d7,d8,total,rank\n"
		"2022,Hưng Yên,5,5,5,5,5,5,5,5,40,1\n";
	assert_int_equal(papi_official_import(f->db, a, &who, one, strlen(one),
					      "z.csv", &s, &p, &e),
			 ERR_OK);
	assert_int_equal(idb_official_load(f->db, a, 2022, &back, &e), ERR_OK);
	assert_int_equal(back.n, 1);
	assert_int_equal(idb_official_load(f->db, a, 2020, &back, &e), ERR_OK);
	assert_int_equal(back.n, 63);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_sums_and_ranks),
		cmocka_unit_test(test_groups_and_median),
		cmocka_unit_test(test_tie_rule),
		cmocka_unit_test(test_bad_files),
	};
	const struct CMUnitTest db[] = {
		cmocka_unit_test_setup_teardown(test_import_db, fx_setup,
						fx_teardown),
	};
	int failed = cmocka_run_group_tests_name("official results", pure, NULL,
						 NULL);
	return failed + fx_run("official results in the database", db,
			       sizeof db / sizeof *db);
}
