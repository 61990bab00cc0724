/* The outreach model (outreach.c) on real dates: an activity's checks,
 * PAPI links, coverage periods (a year, from–to across a new year, the
 * 60-month bound), month indexes, the villages x topics x months matrix
 * and the villages a campaign missed, news paragraphs (script stays
 * text: the template escapes it; here the paragraphs are cut right). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "outreach/outreach.h"
#include "base/banned.h"

static bool has_field(const struct field_problems *fp, const char *field)
{
	for (int i = 0; i < fp->n; i++)
		if (!strcmp(fp->list[i].field, field))
			return true;
	return false;
}

static struct outreach_activity good(void)
{
	struct outreach_activity x = {
		.commune_id = 1,
		.topic_id = 2,
		.channel = "radio",
		.held_on = "2026-03-05",
		.title = "Phát thanh về Luật Thực hiện dân chủ ở cơ sở",
		.note = "",
		.audience = 0,
		.villages = {10, 11},
		.nvillages = 2,
		.links = {"D2", "D2:2.2.1"},
		.nlinks = 2,
	};
	return x;
}

static void test_validate(void **state)
{
	(void)state;
	struct field_problems fp = {0};
	struct outreach_activity x = good();
	assert_true(outreach_validate(&x, "2026-11-27", &fp));
	assert_int_equal(fp.n, 0);
	/* the day itself is allowed, the next is not */
	x.held_on = "2026-11-27";
	assert_true(outreach_validate(&x, "2026-11-27", &fp));
	struct {
		const char *field;
		struct outreach_activity x;
	} bad[16];
	int n = 0;
	bad[n].field = "channel", bad[n].x = good(), bad[n++].x.channel = "tv";
	bad[n].field = "held_on", bad[n].x = good(),
	bad[n++].x.held_on = "2026-11-28"; /* tomorrow */
	bad[n].field = "held_on", bad[n].x = good(),
	bad[n++].x.held_on = "2026-02-29"; /* no such day */
	bad[n].field = "held_on", bad[n].x = good(),
	bad[n++].x.held_on = "05/03/2026"; /* storage takes ISO only */
	bad[n].field = "held_on", bad[n].x = good(),
	bad[n++].x.held_on = "1999-12-31";
	bad[n].field = "title", bad[n].x = good(), bad[n++].x.title = "  \n ";
	bad[n].field = "audience", bad[n].x = good(), bad[n++].x.audience = -1;
	bad[n].field = "audience", bad[n].x = good(),
	bad[n++].x.audience = 1000001;
	bad[n].field = "villages", bad[n].x = good(), bad[n++].x.nvillages = 0;
	bad[n].field = "villages", bad[n].x = good(),
	bad[n++].x.villages[1] = 10; /* twice */
	bad[n].field = "links", bad[n].x = good(), bad[n++].x.links[1] = "D9";
	bad[n].field = "links", bad[n].x = good(), bad[n++].x.links[1] = "D2";
	bad[n].field = "links", bad[n].x = good(),
	bad[n++].x.links[1] = "D2:5.1.1"; /* another dimension's */
	bad[n].field = "topic_id", bad[n].x = good(), bad[n++].x.topic_id = 0;
	for (int i = 0; i < n; i++) {
		struct field_problems p = {0};
		if (outreach_validate(&bad[i].x, "2026-11-27", &p))
			fail_msg("case %d (%s): accepted", i, bad[i].field);
		if (!has_field(&p, bad[i].field))
			fail_msg("case %d: %s not named (first: %s)", i,
				 bad[i].field, p.n ? p.list[0].field : "-");
		assert_non_null(strstr(p.list[0].msg_vi, " ")); /* a sentence */
	}
	char big[400];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	x = good();
	x.title = big;
	fp.n = 0;
	assert_false(outreach_validate(&x, "2026-11-27", &fp));
	assert_true(has_field(&fp, "title"));
}

static void test_links(void **state)
{
	(void)state;
	char dim[3];
	const char *ind;
	assert_true(outreach_link_parse("D5", dim, &ind));
	assert_string_equal(dim, "D5");
	assert_string_equal(ind, "");
	assert_true(outreach_link_parse("D5:5.2.1", dim, &ind));
	assert_string_equal(ind, "5.2.1");
	const char *const bad[] = {"",    "D",    "D0",     "D9",  "d5",
				   "D5:", "D5:x", "D5:6.1", "D55", "X5"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (outreach_link_parse(bad[i], dim, &ind))
			fail_msg("%s accepted", bad[i]);
}

static void test_periods(void **state)
{
	(void)state;
	struct outreach_period p;
	const char *en, *vi;
	struct date today = {2026, 11, 27};
	/* nothing given: this year */
	assert_true(outreach_period_make(0, NULL, NULL, today, &p, &en, &vi));
	assert_int_equal(p.from.y, 2026);
	assert_int_equal(p.from.m, 1);
	assert_int_equal(p.to.m, 12);
	assert_int_equal(p.to.d, 31);
	assert_int_equal(outreach_period_months(&p), 12);
	/* a year given wins over dates */
	assert_true(outreach_period_make(2025, "01/03/2026", NULL, today, &p,
					 &en, &vi));
	assert_int_equal(p.from.y, 2025);
	/* from–to across a new year, dd/mm/yyyy and ISO mixed */
	assert_true(outreach_period_make(0, "15/11/2025", "2026-02-10", today,
					 &p, &en, &vi));
	assert_int_equal(outreach_period_months(&p), 4);
	static const struct {
		struct date d;
		int idx;
	} idx[] = {
		{{2025, 11, 14}, -1}, {{2025, 11, 15}, 0}, {{2025, 11, 30}, 0},
		{{2025, 12, 1}, 1},   {{2026, 1, 31}, 2},  {{2026, 2, 10}, 3},
		{{2026, 2, 11}, -1},  {{2024, 12, 1}, -1},
	};
	for (size_t i = 0; i < sizeof idx / sizeof *idx; i++)
		assert_int_equal(outreach_month_index(&p, idx[i].d),
				 idx[i].idx);
	struct arena a;
	arena_init(&a, 1 << 20);
	assert_string_equal(outreach_month_label(&a, &p, 0), "11/2025");
	assert_string_equal(outreach_month_label(&a, &p, 2), "01/2026");
	assert_string_equal(outreach_month_label(&a, &p, 3), "02/2026");
	arena_release(&a);
	/* only from: to the end of its year; only to: from its start */
	assert_true(
		outreach_period_make(0, "2026-07-01", "", today, &p, &en, &vi));
	assert_int_equal(p.to.y, 2026);
	assert_int_equal(p.to.m, 12);
	assert_true(
		outreach_period_make(0, "", "2026-03-31", today, &p, &en, &vi));
	assert_int_equal(p.from.m, 1);
	assert_int_equal(outreach_period_months(&p), 3);
	/* 60 months is the bound */
	assert_true(outreach_period_make(0, "2022-01-01", "2026-12-31", today,
					 &p, &en, &vi));
	assert_int_equal(outreach_period_months(&p), 60);
	assert_false(outreach_period_make(0, "2021-12-31", "2026-12-31", today,
					  &p, &en, &vi));
	assert_non_null(vi);
	assert_false(outreach_period_make(0, "2026-03-01", "2026-02-28", today,
					  &p, &en, &vi));
	assert_false(outreach_period_make(0, "31/02/2026", NULL, today, &p, &en,
					  &vi));
	assert_false(
		outreach_period_make(1999, NULL, NULL, today, &p, &en, &vi));
}

/* Three villages, two topics, 2026: the land campaign reached villages 0
 * and 2 but not 1; the budget topic had nothing (no campaign: no gap). */
static void test_coverage(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 8 << 20);
	struct outreach_period p = {{2026, 1, 1}, {2026, 12, 31}};
	const struct coverage_hit hits[] = {
		{0, 0, {2026, 3, 5}, 1, 40},
		{0, 0, {2026, 3, 20}, 1, 25},
		{2, 0, {2026, 11, 27}, 2, 60},
		{1, 0, {2025, 12, 31}, 1, 10}, /* before the period */
		{1, 0, {2027, 1, 1}, 1, 10},   /* after */
		{5, 0, {2026, 5, 1}, 1, 10},   /* no such village */
		{1, 1, {2026, 6, 1}, 0, 0},    /* nothing counted */
	};
	struct coverage c;
	struct error e = {0};
	assert_int_equal(coverage_build(&a, 3, 2, &p, hits,
					(int)(sizeof hits / sizeof *hits), &c,
					&e),
			 ERR_OK);
	assert_int_equal(c.nmonths, 12);
	assert_int_equal(c.count[(0 * 2 + 0) * 12 + 2], 2); /* March */
	assert_int_equal(c.audience[(0 * 2 + 0) * 12 + 2], 65);
	assert_int_equal(c.count[(2 * 2 + 0) * 12 + 10], 2); /* November */
	assert_int_equal(c.vt_count[0 * 2 + 0], 2);
	assert_int_equal(c.vt_count[1 * 2 + 0], 0);
	assert_int_equal(c.v_count[2], 2);
	assert_int_equal(c.vm_count[0 * 12 + 2], 2);
	assert_int_equal(c.t_count[0], 4);
	assert_int_equal(c.total, 4);
	assert_true(c.campaign[0]);
	assert_false(c.campaign[1]);
	assert_false(coverage_missed(&c, 0, 0));
	assert_true(coverage_missed(&c, 1, 0));
	assert_false(coverage_missed(&c, 2, 0));
	assert_false(coverage_missed(&c, 1, 1)); /* no campaign, no gap */
	assert_int_equal(c.t_missed[0], 1);
	assert_int_equal(c.t_missed[1], 0);

	/* the same hits over 15/11/2025–10/02/2026: only village 1's
	 * December 31 counts, so the land campaign misses 0 and 2 */
	struct outreach_period q = {{2025, 11, 15}, {2026, 2, 10}};
	assert_int_equal(coverage_build(&a, 3, 2, &q, hits,
					(int)(sizeof hits / sizeof *hits), &c,
					&e),
			 ERR_OK);
	assert_int_equal(c.nmonths, 4);
	assert_int_equal(c.count[(1 * 2 + 0) * 4 + 1], 1);
	assert_true(coverage_missed(&c, 0, 0));
	assert_false(coverage_missed(&c, 1, 0));
	assert_true(coverage_missed(&c, 2, 0));
	assert_int_equal(c.t_missed[0], 2);

	/* nothing at all: no campaign, no gap, zero everywhere */
	assert_int_equal(coverage_build(&a, 3, 2, &p, NULL, 0, &c, &e), ERR_OK);
	assert_int_equal(c.total, 0);
	assert_int_equal(c.t_missed[0], 0);
	/* over the bounds: refused */
	assert_int_equal(coverage_build(&a, COVERAGE_VILLAGES_MAX + 1, 1, &p,
					NULL, 0, &c, &e),
			 ERR_INVALID);
	arena_release(&a);
}

static void test_news(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 20);
	json_t *p = news_paragraphs(
		&a, "Đoạn một,\ndòng hai.\r\n\r\n  Đoạn <script>alert(1)"
		    "</script> hai.  \n \n\n\nĐoạn ba");
	assert_int_equal(json_array_size(p), 3);
	assert_string_equal(json_string_value(json_array_get(p, 0)),
			    "Đoạn một,\ndòng hai.");
	assert_string_equal(json_string_value(json_array_get(p, 1)),
			    "Đoạn <script>alert(1)</script> hai.");
	assert_string_equal(json_string_value(json_array_get(p, 2)), "Đoạn ba");
	json_decref(p);
	p = news_paragraphs(&a, "");
	assert_int_equal(json_array_size(p), 0);
	json_decref(p);
	struct field_problems fp = {0};
	struct news_post n = {.title = "Kết quả PAPI 2025",
			      .body = "Xã đã hoàn thành 18/20 nhiệm vụ."};
	assert_true(news_validate(&n, &fp));
	n.title = " ";
	n.body = "";
	assert_false(news_validate(&n, &fp));
	assert_int_equal(fp.n, 2);
	assert_true(has_field(&fp, "title"));
	assert_true(has_field(&fp, "body"));
	assert_string_equal(outreach_channel_label_vi("radio"),
			    "Loa truyền thanh xã");
	assert_null(outreach_channel_label_vi("tv"));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_news),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
