/* The Gantt chart and the month grid (plan/timeline.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/embedded.h"
#include "base/text.h"
#include "plan/timeline.h"
#include "base/banned.h"

static struct date D(const char *iso) {
	struct date d;
	if (!date_parse_iso(iso, &d))
		fail_msg("bad date in test: %s", iso);
	return d;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_chart(void **state)
{
	struct arena a;
	arena_init(&a, 16 << 20);
	struct timeline_bar bars[] = {
		{"Niêm yết công khai thủ tục hành chính", "Tư pháp – Hộ tịch",
		 "2024-01-01", "2024-01-31", TASK_DONE_ON_TIME, 100,
		 "/plan/tasks/1"},
		{"Họp dân <script>alert(1)</script> & \"bàn\"", NULL,
		 "2024-02-01", "2024-02-05", TASK_OVERDUE, 40, "/plan/tasks/2"},
		{"Báo cáo quý", "Văn phòng", "2023-11-01", "2024-03-31",
		 TASK_DUE_SOON, 0, NULL},
	};
	char *svg = timeline_svg(&a, bars, 3, D("2024-02-07"), "2024-01-01",
				 "2024-03-31");
	assert_non_null(svg);
	assert_true(text_valid_utf8(svg, strlen(svg)));
	assert_int_equal(strncmp(svg, "<svg class=\"timeline\"", 21), 0);
	assert_non_null(strstr(svg, "</svg>"));
	/* three months: a tick and a Vietnamese label each */
	assert_int_equal(count(svg, "class=\"tick\""), 3);
	assert_non_null(strstr(svg, "Tháng 1/2024"));
	assert_non_null(strstr(svg, "Tháng 3/2024"));
	assert_null(strstr(svg, "Tháng 4/2024"));
	/* today's line, with the day written */
	assert_non_null(strstr(svg, "class=\"today\""));
	assert_non_null(strstr(svg, "Hôm nay 07/02/2024"));
	/* each bar: its state as a class, a colour and a word */
	assert_non_null(strstr(svg, "class=\"bar done\""));
	assert_non_null(strstr(svg, "class=\"bar overdue\""));
	assert_non_null(strstr(svg, "class=\"bar due-soon\""));
	assert_non_null(strstr(svg, ">Quá hạn</text>"));
	assert_non_null(strstr(svg, ">Hoàn thành đúng hạn</text>"));
	assert_non_null(strstr(svg, ">Sắp đến hạn</text>"));
	/* links only where given; every text escaped */
	assert_non_null(strstr(svg, "<a href=\"/plan/tasks/2\">"));
	assert_int_equal(count(svg, "<a href="), 2);
	assert_null(strstr(svg, "<script>"));
	assert_non_null(strstr(svg, "&lt;script&gt;"));
	assert_non_null(strstr(svg, "&amp; &quot;bàn&quot;"));
	/* the first bar starts at the left edge of the days (230 px); the
	 * third began before the range and is clipped to it */
	assert_non_null(strstr(svg, "<rect x=\"230.0\" y=\"51.0\""));
	assert_non_null(strstr(svg, "<rect x=\"230.0\" y=\"111.0\""));
	/* a long title is cut between words */
	assert_non_null(strstr(svg, ">Niêm yết công khai thủ tục…</text>"));
	/* the tooltip says everything, with dates the Vietnamese way */
	assert_non_null(strstr(svg, "<title>Niêm yết công khai thủ tục hành "
				    "chính – Tư pháp – Hộ tịch: 01/01/2024 → "
				    "31/01/2024, Hoàn thành đúng hạn, 100%"
				    "</title>"));
	/* natural width: wider than a phone, the page scrolls the box */
	int w = 0;
	assert_int_equal(sscanf(strstr(svg, "width=\""), "width=\"%d", &w), 1);
	assert_true(w > 360);
	arena_release(&a);
}

static void test_span_and_limits(void **state)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	/* no range given: the bars' own, widened to whole months; today
	 * outside it draws no line */
	struct timeline_bar one = {"Một việc", NULL, "2024-05-10", "2024-06-02",
				   TASK_OPEN,  10,   NULL};
	char *svg = timeline_svg(&a, &one, 1, D("2024-09-01"), NULL, "");
	assert_non_null(svg);
	assert_int_equal(count(svg, "class=\"tick\""), 2);
	assert_non_null(strstr(svg, "Tháng 5/2024"));
	assert_non_null(strstr(svg, "Tháng 6/2024"));
	assert_null(strstr(svg, "class=\"today\""));
	assert_non_null(strstr(svg, "đến 30/06/2024</title>"));
	/* nothing to draw is still a chart */
	svg = timeline_svg(&a, NULL, 0, D("2024-09-01"), NULL, NULL);
	assert_non_null(svg);
	assert_non_null(strstr(svg, "Tiến độ 0 nhiệm vụ"));
	/* at most TIMELINE_MAX_BARS bars */
	static struct timeline_bar many[TIMELINE_MAX_BARS + 100];
	for (int i = 0; i < TIMELINE_MAX_BARS + 100; i++)
		many[i] = (struct timeline_bar){
			"Việc",    NULL, "2024-01-01", "2024-12-31",
			TASK_OPEN, 0,    NULL};
	svg = timeline_svg(&a, many, TIMELINE_MAX_BARS + 100, D("2024-06-01"),
			   NULL, NULL);
	assert_non_null(svg);
	assert_int_equal(count(svg, "class=\"bar "), TIMELINE_MAX_BARS);
	/* a year at 3 px a day: months are labelled */
	assert_int_equal(count(svg, "class=\"tick\""), 12);
	/* a range of ten years is cut to TIMELINE_MAX_DAYS */
	svg = timeline_svg(&a, &one, 1, D("2024-06-01"), "2020-01-01",
			   "2029-12-31");
	assert_non_null(svg);
	assert_true(count(svg, "class=\"tick\"") <= TIMELINE_MAX_DAYS / 28);
	arena_release(&a);
}

static void test_month_grid(void **state)
{
	struct calendar cal;
	struct error e = {0};
	const struct embedded_file *f = embedded_find("data/holidays.csv");
	assert_non_null(f);
	calendar_init(&cal);
	if (calendar_load_csv(&cal, (const char *)f->data, &e))
		fail_msg("%s", e.msg);
	int y, m;
	assert_true(month_parse("2024-02", D("2026-01-01"), &y, &m));
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_true(month_parse("", D("2026-11-27"), &y, &m));
	assert_int_equal(y * 100 + m, 202611);
	assert_false(month_parse("2024-13", D("2026-01-01"), &y, &m));
	assert_false(month_parse("2024-5", D("2026-01-01"), &y, &m));
	assert_false(month_parse("2024/05", D("2026-01-01"), &y, &m));
	assert_false(month_parse("0999-05", D("2026-01-01"), &y, &m));

	struct month_grid g;
	/* February 2024 starts on a Thursday: the grid starts Mon 29/01
	 * and ends Sun 03/03, five weeks */
	month_grid_build(&g, 2024, 2, &cal, D("2024-02-07"));
	assert_int_equal(g.nweeks, 5);
	assert_int_equal(g.days[0].day.d, 29);
	assert_false(g.days[0].in_month);
	assert_true(g.days[3].in_month);
	assert_int_equal(g.days[3].day.d, 1);
	assert_true(g.days[9].today); /* Wed 07/02 */
	assert_true(g.days[9].working);
	assert_false(g.days[10].working); /* Tết */
	assert_false(g.days[12].working); /* Saturday */
	assert_true(g.days[17].working);  /* Thu 15/02 */
	assert_string_equal(g.first, "2024-02-01");
	assert_string_equal(g.last, "2024-02-29");
	assert_string_equal(g.prev, "2024-01");
	assert_string_equal(g.next, "2024-03");
	/* the make-up Saturday 04/05/2024 is a working day */
	month_grid_build(&g, 2024, 5, &cal, D("2024-02-07"));
	assert_int_equal(g.days[0].day.d, 29); /* Mon 29/04, off */
	assert_false(g.days[0].working);
	assert_true(g.days[5].working); /* Sat 04/05 */
	/* December to January; a month of six weeks */
	month_grid_build(&g, 2024, 12, &cal, D("2024-02-07"));
	assert_string_equal(g.next, "2025-01");
	assert_int_equal(g.nweeks, 6); /* 01/12/2024 is a Sunday */
	calendar_release(&cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chart),
		cmocka_unit_test(test_span_and_limits),
		cmocka_unit_test(test_month_grid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
