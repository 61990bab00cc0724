/* disclosure.c on real dates: posting days counted with both ends (30 days
 * is 01/03..30/03; across February in a leap year), ends too early, the
 * longest run of consecutive loudspeaker days (across a month and a year
 * end, repeats and disorder), a required channel missing (via_village met
 * by any of the four village channels), periods of each frequency and
 * their states on given days (a quarter over and not disclosed is
 * missing, the current one due, a later one future; on_event never
 * missing), validation of records and items, channel and link parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "disclosure/disclosure.h"
#include "base/banned.h"

static struct arena A;

static struct date D(const char *s) {
	struct date d;
	assert_true(date_parse_iso(s, &d));
	return d;
}

static struct disc_item
item(const char *freq, unsigned ch, int min, int loud)
{
	return (struct disc_item){.id = 1,
				  .no = 7,
				  .title = "x",
				  .frequency = freq,
				  .channels = ch,
				  .min_days = min,
				  .loudspeaker_days = loud,
				  .active = true,
				  .wording_done = true};
}

static void test_posted_days(void **s)
{
	(void)s;
	static const struct {
		const char *from, *to;
		int days;
	} t[] = {
		{"2026-03-01", "2026-03-30", 30},
		{"2026-03-01", "2026-03-29", 29},
		{"2026-03-01", "2026-03-01", 1},
		{"2024-02-01", "2024-03-01", 30}, /* 29 days in Feb 2024 */
		{"2025-02-01", "2025-03-02", 30}, /* 28 in Feb 2025 */
		{"2025-12-15", "2026-01-13", 30},
		{"2026-03-10", "2026-03-01", 0},
		{"2026-02-30", "2026-03-10", 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		assert_int_equal(disc_posted_days(t[i].from, t[i].to),
				 t[i].days);
}

static void test_short(void **s)
{
	(void)s;
	struct disc_item it = item("yearly", DISC_NOTICE_BOARD, 30, 0);
	static const struct {
		const char *from, *to;
		int min;
		bool short_;
	} t[] = {
		{"2026-03-01", "2026-03-30", 30, false},
		{"2026-03-01", "2026-03-29", 30, true},
		{"2024-02-01", "2024-03-01", 30, false},
		{"2025-02-01", "2025-03-01", 30, true},
		{"2026-06-01", "2026-06-15", 15, false},
		{"2026-06-01", "2026-06-14", 15, true},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		it.min_days = t[i].min;
		struct disc_record r = {.posted_from = t[i].from,
					.posted_to = t[i].to,
					.channels = DISC_NOTICE_BOARD};
		unsigned p = disc_record_problems(&r, &it, NULL);
		assert_int_equal(!!(p & DISC_P_SHORT), t[i].short_);
		assert_false(p & DISC_P_LOUDSPEAKER);
	}
}

static void test_longest_run(void **s)
{
	(void)s;
	static const struct {
		const char *days[6];
		int n, run;
	} t[] = {
		{{"2026-05-04", "2026-05-05", "2026-05-06"}, 3, 3},
		{{"2026-05-04", "2026-05-06", "2026-05-08"}, 3, 1},
		{{"2026-05-06", "2026-05-04", "2026-05-05"}, 3, 3},
		{{"2026-04-30", "2026-05-01", "2026-05-03", "2026-05-04"},
		 4,
		 2},
		{{"2025-12-31", "2026-01-01", "2026-01-02"}, 3, 3},
		{{"2024-02-28", "2024-02-29", "2024-03-01"}, 3, 3},
		{{"2025-02-28", "2025-03-01", "2025-02-27"}, 3, 3},
		{{"2026-05-04", "2026-05-04", "2026-05-05"}, 3, 2},
		{{"2026-05-04"}, 1, 1},
		{{NULL}, 0, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		assert_int_equal(disc_longest_run(t[i].days, t[i].n), t[i].run);
}

static void test_loudspeaker(void **s)
{
	(void)s;
	struct disc_item it =
		item("on_event", DISC_NOTICE_BOARD | DISC_LOUDSPEAKER, 30, 3);
	struct disc_record r = {.posted_from = "2026-05-01",
				.posted_to = "2026-05-31",
				.channels =
					DISC_NOTICE_BOARD | DISC_LOUDSPEAKER,
				.days = {"2026-05-04", "2026-05-05"},
				.ndays = 2};
	assert_int_equal(disc_record_problems(&r, &it, NULL),
			 DISC_P_LOUDSPEAKER);
	r.days[2] = "2026-05-07"; /* a gap: still 2 in a row */
	r.ndays = 3;
	assert_int_equal(disc_record_problems(&r, &it, NULL),
			 DISC_P_LOUDSPEAKER);
	r.days[2] = "2026-05-06";
	assert_int_equal(disc_record_problems(&r, &it, NULL), 0);
	/* no loudspeaker at all: the channel is missing, not the days */
	r.channels = DISC_NOTICE_BOARD;
	r.ndays = 0;
	unsigned miss;
	assert_int_equal(disc_record_problems(&r, &it, &miss), DISC_P_CHANNEL);
	assert_int_equal(miss, DISC_LOUDSPEAKER);
	assert_string_equal(disc_problems_text(&A, DISC_P_CHANNEL, miss),
			    "channel:loudspeaker");
	/* an item without the 3-day rule */
	it.loudspeaker_days = 0;
	r.channels |= DISC_LOUDSPEAKER;
	assert_int_equal(disc_record_problems(&r, &it, NULL), 0);
}

static void test_channels(void **s)
{
	(void)s;
	struct disc_item it =
		item("yearly", DISC_NOTICE_BOARD | DISC_VIA_VILLAGE, 30, 0);
	static const struct {
		unsigned have, missing;
	} t[] = {
		{DISC_NOTICE_BOARD, DISC_VIA_VILLAGE},
		{DISC_NOTICE_BOARD | DISC_VILLAGE_MEETING, 0},
		{DISC_NOTICE_BOARD | DISC_SOCIAL_NETWORK, 0},
		{DISC_NOTICE_BOARD | DISC_TEXT_MESSAGE | DISC_WEBSITE, 0},
		{DISC_WRITTEN_NOTICE, DISC_NOTICE_BOARD},
		{DISC_WEBSITE | DISC_LOUDSPEAKER,
		 DISC_NOTICE_BOARD | DISC_VIA_VILLAGE},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct disc_record r = {.posted_from = "2026-01-01",
					.posted_to = "2026-12-31",
					.channels = t[i].have};
		unsigned miss = 99;
		unsigned p = disc_record_problems(&r, &it, &miss);
		assert_int_equal(miss, t[i].missing);
		assert_int_equal(!!(p & DISC_P_CHANNEL), !!t[i].missing);
	}
	unsigned bits;
	const char *bad = NULL;
	assert_true(disc_channels_parse(&A, " notice_board , website,", &bits,
					&bad));
	assert_int_equal(bits, DISC_NOTICE_BOARD | DISC_WEBSITE);
	assert_false(
		disc_channels_parse(&A, "notice_board,radio", &bits, &bad));
	assert_string_equal(bad, "radio");
	assert_string_equal(
		disc_channels_text(&A, DISC_WEBSITE | DISC_VIA_VILLAGE),
		"website,via_village");
	json_t *j = disc_problems_json(&A, "short,channel:via_village", 20, 0,
				       30, 0);
	assert_int_equal(json_array_size(j), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(j, 0), "text_vi")),
			    "Kết thúc sớm: công khai 20 ngày, ít hơn 30 ngày "
			    "bắt buộc");
	json_decref(j);
}

static void test_periods(void **s)
{
	(void)s;
	static const struct {
		const char *freq, *day;
		int period;
		const char *from, *to, *label;
	} t[] = {
		{"quarterly", "2026-01-01", 1, "2026-01-01", "2026-03-31",
		 "Quý 1/2026"},
		{"quarterly", "2026-05-15", 2, "2026-04-01", "2026-06-30",
		 "Quý 2/2026"},
		{"quarterly", "2026-12-31", 4, "2026-10-01", "2026-12-31",
		 "Quý 4/2026"},
		{"half_yearly", "2026-07-01", 2, "2026-07-01", "2026-12-31",
		 "6 tháng cuối năm 2026"},
		{"monthly", "2024-02-10", 2, "2024-02-01", "2024-02-29",
		 "Tháng 2/2024"},
		{"yearly", "2026-08-08", 0, "2026-01-01", "2026-12-31",
		 "Năm 2026"},
		{"on_event", "2026-08-08", 0, "2026-01-01", "2026-12-31",
		 "Năm 2026"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct date d = D(t[i].day), f, to;
		int p = disc_period_of(t[i].freq, d);
		assert_int_equal(p, t[i].period);
		disc_period_bounds(t[i].freq, d.y, p, &f, &to);
		char b1[11], b2[11];
		date_format_iso(f, b1);
		date_format_iso(to, b2);
		assert_string_equal(b1, t[i].from);
		assert_string_equal(b2, t[i].to);
		assert_string_equal(disc_period_label_vi(&A, t[i].freq, d.y, p),
				    t[i].label);
	}
}

static void test_states(void **s)
{
	(void)s;
	struct disc_item q = item("quarterly", DISC_NOTICE_BOARD, 30, 0);
	struct disc_item y = item("yearly", DISC_NOTICE_BOARD, 30, 0);
	struct disc_item ev = item("on_event", DISC_NOTICE_BOARD, 30, 0);
	static const struct {
		int which; /* 0 q, 1 y, 2 ev */
		int year, period, count;
		const char *today;
		enum disc_state state;
	} t[] = {
		{0, 2026, 1, 0, "2026-04-01", DISC_MISSING},
		{0, 2026, 1, 0, "2026-03-31", DISC_DUE},
		{0, 2026, 1, 1, "2026-04-01", DISC_DONE},
		{0, 2026, 2, 0, "2026-05-15", DISC_DUE},
		{0, 2026, 3, 0, "2026-05-15", DISC_FUTURE},
		{0, 2026, 4, 0, "2027-01-01", DISC_MISSING},
		{1, 2026, 0, 0, "2026-11-27", DISC_DUE},
		{1, 2025, 0, 0, "2026-11-27", DISC_MISSING},
		{1, 2027, 0, 0, "2026-11-27", DISC_FUTURE},
		{1, 2026, 0, 2, "2026-11-27", DISC_DONE},
		{2, 2025, 0, 0, "2026-11-27", DISC_FUTURE},
		{2, 2026, 0, 1, "2026-11-27", DISC_DONE},
	};
	const struct disc_item *its[] = {&q, &y, &ev};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		assert_int_equal(disc_period_state(its[t[i].which], t[i].year,
						   t[i].period, t[i].count,
						   D(t[i].today)),
				 t[i].state);
	assert_string_equal(disc_state_key(DISC_MISSING), "missing");
}

static void test_validate(void **s)
{
	(void)s;
	struct disc_item q = item("quarterly", DISC_NOTICE_BOARD, 30, 0);
	struct disc_record ok = {.title = "Báo cáo ngân sách quý 1",
				 .year = 2026,
				 .period = 1,
				 .posted_from = "2026-04-05",
				 .posted_to = "2026-05-04",
				 .channels = DISC_NOTICE_BOARD};
	struct field_problems fp = {0};
	assert_true(disc_record_validate(&ok, &q, &fp));
	assert_int_equal(fp.n, 0);
	static const struct {
		const char *field;
		int change;
	} t[] = {{"title", 0},  {"posted_to", 1}, {"period", 2},
		 {"period", 3}, {"channels", 4},  {"villages", 5},
		 {"days", 6},   {"days", 7},      {"posted_from", 8},
		 {"links", 9}};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct disc_record r = ok;
		switch (t[i].change) {
		case 0: r.title = ""; break;
		case 1: r.posted_to = "2026-04-04"; break;
		case 2: r.period = 0; break;
		case 3: r.period = 5; break;
		case 4: r.channels = 0; break;
		case 5: r.channels |= DISC_VILLAGE_MEETING; break;
		case 6:
			r.days[0] = "2026-04-06";
			r.ndays = 1;
			break;
		case 7:
			r.channels |= DISC_LOUDSPEAKER;
			r.days[0] = "2026-05-05";
			r.ndays = 1;
			break;
		case 8: r.posted_from = "05/04/2026"; break;
		case 9:
			r.links[0] = "D2:3.1";
			r.nlinks = 1;
			break;
		}
		fp.n = 0;
		assert_false(disc_record_validate(&r, &q, &fp));
		assert_true(fp.n >= 1);
		assert_string_equal(fp.list[0].field, t[i].field);
	}
	struct disc_item bad = q;
	bad.loudspeaker_days = 3; /* without the loudspeaker channel */
	fp.n = 0;
	assert_false(disc_item_validate(&bad, &fp));
	assert_string_equal(fp.list[0].field, "loudspeaker_days");
	bad = q;
	bad.frequency = "weekly";
	fp.n = 0;
	assert_false(disc_item_validate(&bad, &fp));
	assert_true(disc_item_validate(&q, NULL));
}

static void test_links(void **s)
{
	(void)s;
	static const struct {
		const char *l;
		bool ok;
	} t[] = {{"D2", true},       {"D2:2.2", true},  {"D5:5.4.1", true},
		 {"D9", false},      {"D2:3.1", false}, {"D2:2.", false},
		 {"D2:2..1", false}, {"d2", false},     {"D2:", false},
		 {"D2:2.2x", false}};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		assert_int_equal(disc_link_valid(t[i].l), t[i].ok);
	const char *links[DISC_LINKS_MAX], *bad = NULL;
	int n;
	assert_true(
		disc_links_parse(&A, "D2:2.2; D5 ;D2:2.2", links, &n, &bad));
	assert_int_equal(n, 2);
	assert_string_equal(disc_links_text(&A, links, n), "D2:2.2;D5");
	assert_false(disc_links_parse(&A, "D2;D10", links, &n, &bad));
	assert_string_equal(bad, "D10");
}

int main(void)
{
	arena_init(&A, 1 << 20);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_posted_days),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_longest_run),
		cmocka_unit_test(test_loudspeaker),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_links),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
