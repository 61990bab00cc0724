/* The catalogue's CSV (disclosure_db.c, no database needed): what the
 * export writes reads back the same; every bad row is named with its line
 * and column (a zero minimum, an unknown channel, a frequency, a PAPI
 * link of another dimension, a repeated number, loudspeaker days without
 * the loudspeaker, a TCVN3 file) and nothing is returned then. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "disclosure/disclosure.h"
#include "base/banned.h"

static struct arena A;

static void test_round_trip(void **s)
{
	(void)s;
	struct disc_item in[2] = {
		{.no = 1,
		 .title = "Kế hoạch phát triển kinh tế – xã hội, \"năm\"",
		 .description = "dòng 1\ndòng 2",
		 .legal_basis = "Luật 10/2022/QH15, Điều 11 khoản 1",
		 .frequency = "yearly",
		 .wording_done = true,
		 .active = true,
		 .channels = DISC_NOTICE_BOARD | DISC_WEBSITE,
		 .min_days = 30,
		 .links = {"D2:2.1"},
		 .nlinks = 1},
		{.no = 7,
		 .title = "Đề án địa giới",
		 .description = "",
		 .legal_basis = "",
		 .frequency = "on_event",
		 .wording_done = false,
		 .active = false,
		 .channels = DISC_NOTICE_BOARD | DISC_LOUDSPEAKER |
			     DISC_VIA_VILLAGE,
		 .min_days = 45,
		 .loudspeaker_days = 3,
		 .links = {"D2", "D4:4.1"},
		 .nlinks = 2},
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct error e = {0};
	assert_int_equal(disc_items_write_csv(f, in, 2, &e), ERR_OK);
	fclose(f);
	struct disc_item *out;
	int n;
	struct problems p = {0};
	assert_int_equal(disc_items_parse_csv(&A, buf, len, &out, &n, &p, &e),
			 ERR_OK);
	free(buf);
	assert_int_equal(p.n, 0);
	assert_int_equal(n, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(out[i].no, in[i].no);
		assert_string_equal(out[i].title, in[i].title);
		assert_string_equal(out[i].description, in[i].description);
		assert_string_equal(out[i].frequency, in[i].frequency);
		assert_int_equal(out[i].channels, in[i].channels);
		assert_int_equal(out[i].min_days, in[i].min_days);
		assert_int_equal(out[i].loudspeaker_days,
				 in[i].loudspeaker_days);
		assert_int_equal(out[i].wording_done, in[i].wording_done);
		assert_int_equal(out[i].active, in[i].active);
		assert_string_equal(
			disc_links_text(&A, out[i].links, out[i].nlinks),
			disc_links_text(&A, in[i].links, in[i].nlinks));
	}
}

static void test_bad_rows(void **s)
{
	(void)s;
	static const struct {
		const char *row, *column;
	} t[] = {
		{"1,Kế hoạch,notice_board,0,0,yearly,D2", "min_days"},
		{"1,Kế hoạch,notice_board,radio,30,0,yearly,D2", NULL},
		{"1,Kế hoạch,radio,30,0,yearly,D2", "channels"},
		{"1,Kế hoạch,notice_board,30,0,weekly,D2", "frequency"},
		{"1,Kế hoạch,notice_board,30,0,yearly,D2:3.1", "links"},
		{"1,Kế hoạch,notice_board,30,3,yearly,D2", "loudspeaker_days"},
		{"1,,notice_board,30,0,yearly,D2", "title"},
		{"x,Kế hoạch,notice_board,30,0,yearly,D2", "no"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char *csv = arena_printf(&A,
					 "no,title,channels,min_days,"
					 "loudspeaker_days,frequency,links\n"
					 "2,Ngân sách,notice_board,30,0,"
					 "quarterly,D2:2.3\n%s\n",
					 t[i].row);
		struct disc_item *out = NULL;
		int n = -1;
		struct problems p = {0};
		struct error e = {0};
		assert_int_equal(disc_items_parse_csv(&A, csv, strlen(csv),
						      &out, &n, &p, &e),
				 ERR_OK);
		assert_true(p.n >= 1);
		assert_int_equal(n, 0);
		if (t[i].column) {
			assert_int_equal(p.list[0].line, 3);
			assert_string_equal(p.list[0].column, t[i].column);
		}
	}
	/* a number twice */
	const char *dup = "no,title,channels,min_days,loudspeaker_days,"
			  "frequency,links\n"
			  "2,A,notice_board,30,0,yearly,D2\n"
			  "2,B,notice_board,30,0,yearly,D2\n";
	struct disc_item *out;
	int n;
	struct problems p = {0};
	struct error e = {0};
	disc_items_parse_csv(&A, dup, strlen(dup), &out, &n, &p, &e);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.list[0].line, 3);
	assert_string_equal(p.list[0].column, "no");
	/* a column missing */
	const char *miss = "no,title,min_days\n1,A,30\n";
	p = (struct problems){0};
	disc_items_parse_csv(&A, miss, strlen(miss), &out, &n, &p, &e);
	assert_true(p.n >= 1);
	assert_int_equal(n, 0);
	/* TCVN3 bytes (not UTF-8): named, nothing read */
	const char tcvn[] = "no,title\n1,K\xd5 ho\xb9\x63h\n";
	p = (struct problems){0};
	disc_items_parse_csv(&A, tcvn, sizeof tcvn - 1, &out, &n, &p, &e);
	assert_true(p.n >= 1);
	assert_int_equal(n, 0);
}

int main(void)
{
	arena_init(&A, 4 << 20);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_rows),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
