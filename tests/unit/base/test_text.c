/* Vietnamese text: folding for search, collation, display formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include "base/text.h"
#include "base/banned.h"

static struct arena A;

static int setup(void **state)
{
	arena_init(&A, 1 << 24);
	return 0;
}

static int teardown(void **state)
{
	arena_release(&A);
	return 0;
}

static void test_valid_utf8(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		bool ok;
	} cases[] = {
		{"Xã Minh Tiến", 0, true},
		{"", 0, true},
		{"\xC0\x80", 2, false},         /* overlong NUL */
		{"\xE0\x80\xAF", 3, false},     /* overlong '/' */
		{"\xED\xA0\x80", 3, false},     /* surrogate */
		{"\xF4\x90\x80\x80", 4, false}, /* past U+10FFFF */
		{"\xE1\xBB", 2, false},         /* truncated ế */
		{"a\0b", 3, false},             /* NUL is refused */
		{"\xFF", 1, false},
		{"\xF0\x9F\x98\x80", 4, true}, /* emoji */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = cases[i].n ? cases[i].n : strlen(cases[i].s);
		assert_int_equal(text_valid_utf8(cases[i].s, n), cases[i].ok);
	}
	assert_int_equal(text_utf8_prefix("ab\xFF"
					  "c",
					  4),
			 2);
}

static void test_fold(void **state)
{
	static const char *cases[][2] = {
		{"Xã Minh Tiến", "xa minh tien"},
		{"Hoà", "hoa"},
		{"Hòa", "hoa"},
		{"Thuỵ", "thuy"},
		{"Thụy", "thuy"},
		{"Đông", "dong"},
		{"đường ĐỒNG", "duong dong"},
		{"  Phường\t\tPhố   Hiến \n", "phuong pho hien"},
		{"Ứng Hòe", "ung hoe"},
		{"Quỳnh Phụ", "quynh phu"},
		{"Nguyễn Thị Ánh", "nguyen thi anh"},
		{"Tổ dân phố số 3", "to dan pho so 3"},
		{"", ""},
		{"   ", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_string_equal(text_fold(&A, cases[i][0]), cases[i][1]);
	/* Precomposed and decomposed input fold the same way. */
	assert_string_equal(text_fold(&A, "Tie\xCC\x82\xCC\x81n"), "tien");
	assert_null(text_fold(&A, "bad \xC3("));
	assert_null(text_fold(&A, NULL));
}

static void test_fold_finds(void **state)
{
	/* The search box: folded query is a substring of the folded name. */
	const char *q = text_fold(&A, "minh tien");
	assert_non_null(strstr(text_fold(&A, "Xã Minh Tiến"), q));
	assert_non_null(strstr(text_fold(&A, "xã Bắc Thuỵ Anh"),
			       text_fold(&A, "thụy")));
	assert_null(strstr(text_fold(&A, "Xã Tiên Tiến"), q));
}

static int by_collate(const void *a, const void *b)
{
	return text_collate(*(const char *const *)a, *(const char *const *)b);
}

static void assert_order(const char **expected, size_t n)
{
	/* Shuffle deterministically, sort two ways, compare with expected. */
	const char **v = malloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = expected[(i * 7 + 3) % n];
	qsort(v, n, sizeof *v, by_collate);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i], expected[i]);
	for (size_t i = 0; i + 1 < n; i++) {
		char *k1 = text_sort_key(&A, expected[i]);
		char *k2 = text_sort_key(&A, expected[i + 1]);
		assert_non_null(k1);
		assert_non_null(k2);
		if (strcmp(k1, k2) >= 0)
			fail_msg("sort key of \"%s\" not before \"%s\"",
				 expected[i], expected[i + 1]);
	}
	free(v);
}

static void test_tones_and_letters(void **state)
{
	/* Tones: none < huyền < hỏi < ngã < sắc < nặng. */
	const char *tones[] = {"ba", "bà", "bả", "bã", "bá", "bạ"};
	assert_order(tones, 6);
	/* ă and â are letters of their own, after a; đ after d. */
	const char *letters[] = {"An",   "Anh",   "Ăn",  "Ân",   "Ấn",
				 "Bình", "Dương", "Đại", "Đông", "Ông",
				 "Ơn",   "Uy",    "Ưng"};
	assert_order(letters, sizeof letters / sizeof *letters);
}

static void test_commune_names(void **state)
{
	/* Real names from Hưng Yên after 01/07/2025 (NQ 1666), in the order
	 * ICU "vi" gives: letters compare first over the whole name, tones
	 * only break ties, so "Đồng Bằng" comes before "Đông Hưng". */
	const char *names[] = {
		"A Sào",         "Ái Quốc",        "Ân Thi",
		"Bắc Đông Hưng", "Bình Định",      "Châu Ninh",
		"Chí Minh",      "Diên Hà",        "Đại Đồng",
		"Đoàn Đào",      "Đồng Bằng",      "Đồng Châu",
		"Đông Hưng",     "Đức Hợp",        "Đường Hào",
		"Hoàn Long",     "Hoàng Hoa Thám", "Hồng Châu",
		"Hưng Hà",       "Lê Lợi",         "Lê Quý Đôn",
		"Mễ Sở",         "Minh Thọ",       "Mỹ Hào",
		"Nghĩa Dân",     "Ngọc Lâm",       "Nguyễn Du",
		"Ngự Thiên",     "Phố Hiến",       "Phụ Dực",
		"Quang Hưng",    "Quỳnh An",       "Tân Hưng",
		"Thái Bình",     "Thuỵ Anh",       "Thư Trì",
		"Thượng Hồng",   "Tiền Hải",       "Tiên Hoa",
		"Tiên Tiến",     "Trà Giang",      "Trần Hưng Đạo",
		"Vạn Xuân",      "Văn Giang",      "Yên Mỹ",
	};
	assert_order(names, sizeof names / sizeof *names);
}

static void test_person_sort(void **state)
{
	/* Given name, then middle names, then family name: "Nguyễn Văn An"
	 * sorts as "An Văn Nguyễn". "Đức" alone is its own given name. */
	const char *expected[] = {
		"Lê An",      "Nguyễn Văn An", "Nguyễn Thị Anh",
		"Vũ Thị Ánh", "Trần Thị Bình", "Hoàng Minh Dũng",
		"Đức",        "Phạm Văn Đức",  "Bùi Thị Thu Hà"};
	size_t n = sizeof expected / sizeof *expected;
	for (size_t i = 0; i + 1 < n; i++) {
		char *k1 = text_person_sort_key(&A, expected[i]);
		char *k2 = text_person_sort_key(&A, expected[i + 1]);
		if (strcmp(k1, k2) >= 0)
			fail_msg("\"%s\" should sort before \"%s\"",
				 expected[i], expected[i + 1]);
	}
	assert_string_equal(text_person_sort_key(&A, "  Nguyễn   Văn  An "),
			    text_sort_key(&A, "An Văn Nguyễn"));
	assert_null(text_person_sort_key(&A, "bad \xFF"));
}

static void test_format_number(void **state)
{
	static const struct {
		double v;
		int d;
		const char *out;
	} cases[] = {
		{1234.5, 1, "1.234,5"},
		{-1234567, 0, "-1.234.567"},
		{0.5, 0, "1"},
		{-0.5, 0, "-1"},
		{2.5, 0, "3"},
		{1.005, 2, "1,01"},
		{0, 2, "0,00"},
		{999.999, 2, "1.000,00"},
		{1234567.891, 2, "1.234.567,89"},
		{-0.4, 0, "0"},
		{100, 0, "100"},
		{1000, 0, "1.000"},
		{0.05, 1, "0,1"},
		{12.3456, 3, "12,346"},
		{123456789012.0, 0, "123.456.789.012"},
		{68.45, 1, "68,5"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_string_equal(
			text_format_number(&A, cases[i].v, cases[i].d),
			cases[i].out);
}

static void test_format_dates(void **state)
{
	static const char *dates[][2] = {
		{"2025-03-05", "05/03/2025"},
		{"2025-03-04T20:00:00Z", "05/03/2025"},   /* 03:00 in Vietnam */
		{"2025-03-04T16:59:59Z", "04/03/2025"},   /* 23:59:59 */
		{"2025-03-04 20:00:00", "05/03/2025"},    /* SQLite, UTC */
		{"2025-03-04 20:00:00+00", "05/03/2025"}, /* PostgreSQL */
		{"2025-03-04T20:00:00.123456Z", "05/03/2025"},
		{"2025-03-05T01:00:00+07:00", "05/03/2025"},
	};
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
		assert_string_equal(text_format_date(&A, dates[i][0]),
				    dates[i][1]);
	assert_null(text_format_date(&A, "2025-02-30"));
	assert_null(text_format_date(&A, "05/03/2025"));
	assert_null(text_format_date(&A, "hôm nay"));
	assert_null(text_format_date(&A, NULL));

	assert_string_equal(text_format_datetime(&A, "2025-03-04T20:00:00Z"),
			    "05/03/2025 03:00");
	assert_string_equal(text_format_datetime(&A, "2024-12-31T17:00:00Z"),
			    "01/01/2025 00:00");
	assert_string_equal(text_format_datetime(&A, "2026-11-27T08:30:59Z"),
			    "27/11/2026 15:30");
	assert_null(text_format_datetime(&A, "2025-03-04"));
	assert_null(text_format_datetime(&A, "2025-03-04T25:00:00Z"));
}

static void test_parse_date(void **state)
{
	static const struct {
		const char *s;
		int y, m, d; /* y 0: refused */
	} cases[] = {
		{"2025-03-05", 2025, 3, 5},  {"05/03/2025", 2025, 3, 5},
		{"5/3/2025", 2025, 3, 5},    {" 5/3/2025 ", 2025, 3, 5},
		{"29/02/2024", 2024, 2, 29}, {"31/12/2026", 2026, 12, 31},
		{"29/02/2025", 0, 0, 0},     {"31/04/2025", 0, 0, 0},
		{"2025-3-5", 0, 0, 0},       {"05/03/25", 0, 0, 0},
		{"05-03-2025", 0, 0, 0},     {"", 0, 0, 0},
		{"05/03/2025x", 0, 0, 0},    {"123/03/2025", 0, 0, 0},
		{"00/03/2025", 0, 0, 0},     {"2025-13-01", 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct date d = {0, 0, 0};
		bool ok = text_parse_date(cases[i].s, &d);
		if (ok != (cases[i].y != 0))
			fail_msg("text_parse_date(\"%s\") = %d", cases[i].s,
				 ok);
		if (ok) {
			assert_int_equal(d.y, cases[i].y);
			assert_int_equal(d.m, cases[i].m);
			assert_int_equal(d.d, cases[i].d);
		}
	}
}

static void test_html_escape_and_trim(void **state)
{
	assert_string_equal(
		text_html_escape(&A, "<a href=\"x\">Tom & Jerry's</a>"),
		"&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	assert_string_equal(text_html_escape(&A, "Xã Tiên Tiến"),
			    "Xã Tiên Tiến");
	assert_string_equal(text_html_escape(&A, NULL), "");
	assert_string_equal(text_trim(&A, "  a b \t\r\n"), "a b");
	assert_string_equal(text_trim(&A, "\xC2\xA0Minh Tiến\xC2\xA0 "),
			    "Minh Tiến");
	assert_string_equal(text_trim(&A, "   "), "");
	assert_string_equal(text_trim(&A, "x"), "x");
}

static void *sort_in_thread(void *arg)
{
	/* Each thread gets its own collator; keys must match the main
	 * thread's, and the collator is closed when the thread ends. */
	const char **expected = arg;
	struct arena a;
	arena_init(&a, 1 << 20);
	for (int round = 0; round < 200; round++)
		for (int i = 0; i < 4; i++)
			if (strcmp(text_sort_key(&a, expected[i]),
				   expected[4 + i]) ||
			    text_collate(expected[i],
					 expected[i + 1 < 4 ? i + 1 : i]) > 0) {
				arena_release(&a);
				return (void *)1;
			}
	arena_release(&a);
	return NULL;
}

static void test_threads(void **state)
{
	const char *v[8] = {"Dương", "Đại Đồng", "Đoàn Đào", "Đông"};
	for (int i = 0; i < 4; i++)
		v[4 + i] = text_sort_key(&A, v[i]);
	pthread_t t[6];
	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, sort_in_thread, v);
	for (int i = 0; i < 6; i++) {
		void *r;
		pthread_join(t[i], &r);
		assert_null(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_finds),
		cmocka_unit_test(test_tones_and_letters),
		cmocka_unit_test(test_commune_names),
		cmocka_unit_test(test_person_sort),
		cmocka_unit_test(test_format_number),
		cmocka_unit_test(test_format_dates),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_html_escape_and_trim),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
