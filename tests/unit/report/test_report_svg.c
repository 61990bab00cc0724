/* The dashboard's radar (report_svg.c): a full series is one polygon, a
 * series with a gap is never drawn through 0, the CI whiskers and the
 * tooltips carry Vietnamese numbers, names are escaped, and the picture
 * scales (viewBox, no fixed size). */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../../src/report/report_svg.h"
#include "../../../src/base/banned.h"

static const char *const names[8] = {
	"Tham gia", "Công khai", "Giải trình", "Kiểm soát\ntham nhũng",
	"Thủ tục",  "Dịch vụ",   "Môi trường", "A<b>&"};

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_full_series(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 20);
	double lo[8], hi[8];
	struct radar_series s[2] = {{"Năm 2026", {0}, lo, hi, 0},
				    {"Năm 2025", {0}, NULL, NULL, 1}};
	for (int k = 0; k < 8; k++) {
		s[0].v[k] = 5 + k * 0.25;
		lo[k] = s[0].v[k] - 0.5;
		hi[k] = s[0].v[k] + 0.5;
		s[1].v[k] = 4.5;
	}
	char *svg = report_radar_svg(&a, s, 2, names);
	assert_non_null(svg);
	assert_non_null(strstr(svg, "viewBox=\"12 0 376 340\""));
	assert_null(strstr(svg, " width=\"")); /* scales with its box */
	/* 5 rings + 2 series polygons */
	assert_int_equal(count(svg, "<polygon"), 7);
	assert_int_equal(count(svg, "<circle"), 16);
	/* the whiskers of the first series only */
	assert_int_equal(count(svg, "stroke-width=\"5\""), 8);
	assert_non_null(strstr(svg, "D1 Tham gia: 5,00 (4,50–5,50)"));
	assert_non_null(strstr(svg, "stroke-dasharray=\"6 4\""));
	/* names escaped, "\n" as a second line */
	assert_non_null(strstr(svg, "A&lt;b&gt;&amp;"));
	assert_non_null(strstr(svg, ">Kiểm soát</tspan><tspan"));
	assert_non_null(strstr(svg, ">tham nhũng</tspan>"));
	assert_int_equal(count(svg, "<svg"), 1);
	assert_int_equal(count(svg, "</svg>"), 1);
	arena_release(&a);
}

static void test_gaps(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 20);
	struct radar_series s = {"Năm 2026", {0}, NULL, NULL, 0};
	for (int k = 0; k < 8; k++)
		s.v[k] = k == 3 || k == 4 ? NAN : 6;
	char *svg = report_radar_svg(&a, &s, 1, names);
	assert_non_null(svg);
	/* no polygon through the missing axes: rings only */
	assert_int_equal(count(svg, "<polygon"), 5);
	assert_int_equal(count(svg, "<circle"), 6);
	/* neighbours joined: 0-1, 1-2, 5-6, 6-7, 7-0 (8 axes + 5 joins) */
	assert_int_equal(count(svg, "<line"), 8 + 5);
	/* nothing at all: only the frame */
	for (int k = 0; k < 8; k++)
		s.v[k] = NAN;
	svg = report_radar_svg(&a, &s, 1, names);
	assert_non_null(svg);
	assert_int_equal(count(svg, "<circle"), 0);
	assert_int_equal(count(svg, "<g class"), 0);
	arena_release(&a);
}

static void test_small_arena(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 2048); /* too small: NULL, no crash */
	struct radar_series s = {"x", {5, 5, 5, 5, 5, 5, 5, 5}, NULL, NULL, 0};
	assert_null(report_radar_svg(&a, &s, 1, names));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_series),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_small_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
