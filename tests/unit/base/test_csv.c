/* Strict CSV: what imports accept, and the messages for what they refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/csv.h"
#include "base/embedded.h"
#include "base/banned.h"

static struct arena A;

static int setup(void **state)
{
	arena_init(&A, 1 << 26);
	return 0;
}

static int teardown(void **state)
{
	arena_release(&A);
	return 0;
}

static enum err parse(const char *s, struct csv_table *t, struct error *e)
{
	return csv_parse(&A, s, strlen(s), t, e);
}

static void test_basic(void **state)
{
	struct csv_table t;
	struct error e = {0};
	assert_int_equal(parse("ward_code,ward_name,ward_type\n"
			       "12424,Tiên Tiến,Xã\n"
			       "11953,Phố Hiến,Phường\n",
			       &t, &e),
			 ERR_OK);
	assert_int_equal(t.ncols, 3);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.header[1], "ward_name");
	assert_int_equal(csv_col(&t, "ward_type"), 2);
	assert_int_equal(csv_col(&t, "postal_code"), -1);
	assert_string_equal(csv_get(&t, 0, 1), "Tiên Tiến");
	assert_string_equal(csv_get(&t, 1, 2), "Phường");
	assert_int_equal(t.lines[1], 3);
	assert_null(csv_get(&t, 2, 0));
	assert_null(csv_get(&t, 0, 3));
	assert_null(csv_get(&t, -1, 0));
}

static void test_quoting_crlf_bom(void **state)
{
	struct csv_table t;
	struct error e = {0};
	const char *s = "\xEF\xBB\xBF"
			"code, name ,note\r\n"
			"1,\"Tổ dân phố \"\"Đoàn Kết\"\"\",\"a, b\"\r\n"
			"2,\"hai\r\ndòng\",\r\n"
			"\r\n"
			"3,,\"\"\r\n"
			"4, spaces kept ,x";
	assert_int_equal(parse(s, &t, &e), ERR_OK);
	assert_int_equal(t.nrows, 4);
	assert_string_equal(t.header[0], "code"); /* BOM gone */
	assert_string_equal(t.header[1], "name"); /* header names trimmed */
	assert_string_equal(csv_get(&t, 0, 1), "Tổ dân phố \"Đoàn Kết\"");
	assert_string_equal(csv_get(&t, 0, 2), "a, b");
	assert_string_equal(csv_get(&t, 1, 1), "hai\r\ndòng");
	assert_string_equal(csv_get(&t, 1, 2), "");
	assert_string_equal(csv_get(&t, 2, 1), "");
	assert_string_equal(csv_get(&t, 2, 2), "");
	assert_string_equal(csv_get(&t, 3, 1), " spaces kept ");
	/* Row lines count the line break inside the quoted field and the
	 * blank line. */
	assert_int_equal(t.lines[0], 2);
	assert_int_equal(t.lines[1], 3);
	assert_int_equal(t.lines[2], 6);
	assert_int_equal(t.lines[3], 7);
}

static void test_header_only_and_empty(void **state)
{
	struct csv_table t;
	struct error e = {0};
	assert_int_equal(parse("a,b\n", &t, &e), ERR_OK);
	assert_int_equal(t.nrows, 0);
	assert_int_equal(t.ncols, 2);
	assert_int_equal(parse("", &t, &e), ERR_INVALID);
	assert_string_equal(e.msg, "csv: empty file, no header row");
	assert_int_equal(parse("\n\r\n", &t, &e), ERR_INVALID);
	assert_int_equal(parse("\xEF\xBB\xBF", &t, &e), ERR_INVALID);
}

static void test_errors(void **state)
{
	static const struct {
		const char *in;
		enum err code;
		const char *msg;
		size_t len; /* 0: strlen(in) */
	} cases[] = {
		{"a,b,c,d,e,f,g\n1,2,3,4,5,6,7\n1,2,3,4,5,6,7\n1,2,3,4,5,6,7\n"
		 "1,2,3,4,5,6,7\n1,2,3,4,5,6,7\n1,2,3,4,5\n",
		 ERR_INVALID, "line 7: 5 fields, expected 7", 0},
		{"a,b\n1,2,3\n", ERR_INVALID, "line 2: 3 fields, expected 2",
		 0},
		{"a,b\n1\n", ERR_INVALID, "line 2: 1 field, expected 2", 0},
		{"a,b\n1,\"two\nlines\"\n3\n", ERR_INVALID,
		 "line 4: 1 field, expected 2", 0},
		{"a,b\n1,\"open\n", ERR_INVALID,
		 "line 2: quoted field not closed", 0},
		{"a,b\n1,\"x\"y\n", ERR_INVALID,
		 "line 2: text after a closing quote (quotes inside a field "
		 "are doubled: \"\")",
		 0},
		{"a,b\n1,x\"y\"\n", ERR_INVALID,
		 "line 2: quote inside a field that does not start with one",
		 0},
		{"a,b\n1,2\n3,Ti\xE1\xBB\n", ERR_INVALID,
		 "line 3: invalid UTF-8 (byte 13)", 0},
		{"a,b\n1,2\n3,x\0y\n", ERR_INVALID,
		 "line 3: invalid UTF-8 (byte 12)", 14},
		{"a,a\n1,2\n", ERR_INVALID,
		 "line 1: column \"a\" appears twice", 0},
		{"a,,c\n1,2,3\n", ERR_INVALID, "line 1: column 2 has no name",
		 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct csv_table t;
		struct error e = {0};
		size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
		enum err err = csv_parse(&A, cases[i].in, n, &t, &e);
		if (err != cases[i].code)
			fail_msg("case %zu: err %d, msg %s", i, err, e.msg);
		assert_string_equal(e.msg, cases[i].msg);
		assert_int_equal(t.nrows, 0);
		assert_null(t.cells);
	}
}

static void test_size_limit(void **state)
{
	/* The limit is checked before the data is read. */
	static const char tiny[] = "a\n";
	struct csv_table t;
	struct error e = {0};
	assert_int_equal(csv_parse(&A, tiny, (size_t)CSV_MAX_BYTES + 1, &t, &e),
			 ERR_TOOBIG);
	assert_string_equal(e.msg, "csv: 67108865 bytes, the limit is 64 MiB");
}

static void test_arena_limit(void **state)
{
	struct arena small;
	struct csv_table t;
	struct error e = {0};
	arena_init(&small, 64);
	const char *s = "name\nMột cái tên khá dài cho một ô\n";
	assert_int_equal(csv_parse(&small, s, strlen(s), &t, &e), ERR_NOMEM);
	arena_release(&small);
}

static void test_shipped_holidays(void **state)
{
	const struct embedded_file *f = embedded_find("data/holidays.csv");
	struct csv_table t;
	struct error e = {0};
	assert_non_null(f);
	if (csv_parse(&A, (const char *)f->data, f->len, &t, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(t.ncols, 4);
	assert_true(t.nrows >= 40);
	assert_int_equal(csv_col(&t, "source"), 3);
	for (int r = 0; r < t.nrows; r++)
		assert_true(strlen(csv_get(&t, r, 2)) > 0);
}

static void test_write_roundtrip(void **state)
{
	const char *fields[] = {
		"12424",      "Tiên Tiến", "a, b",    "say \"xin chào\"",
		"two\nlines", "",          "cr\r\nlf"};
	size_t n = sizeof fields / sizeof *fields;
	/* Build a header and one row with csv_quote, parse it back. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	for (int row = 0; row < 2; row++) {
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputc(',', f);
			if (row == 0)
				fprintf(f, "c%zu", i);
			else
				assert_int_equal(csv_write_field(f, fields[i]),
						 ERR_OK);
		}
		fputs("\r\n", f);
	}
	fclose(f);
	struct csv_table t;
	struct error e = {0};
	if (csv_parse(&A, buf, len, &t, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(t.nrows, 1);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(csv_get(&t, 0, (int)i), fields[i]);
	free(buf);
	assert_string_equal(csv_quote(&A, "plain"), "plain");
	assert_string_equal(csv_quote(&A, "a,\"b\""), "\"a,\"\"b\"\"\"");
	assert_string_equal(csv_quote(&A, NULL), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_quoting_crlf_bom),
		cmocka_unit_test(test_header_only_and_empty),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_arena_limit),
		cmocka_unit_test(test_shipped_holidays),
		cmocka_unit_test(test_write_roundtrip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
