/* XLSX: what we write reads back equal; a file made by another tool
 * (tests/fixtures/xlsx/make.py: plain zipfile, prefixes, inline and rich
 * strings, dates by format, merged cells) reads as a person sees it; zip
 * bombs and zips that are not workbooks are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <zip.h>
#include "base/file.h"
#include "base/xlsx.h"
#include "base/banned.h"

static struct arena A;

static int setup(void **state)
{
	arena_init(&A, 1 << 28);
	return 0;
}

static int teardown(void **state)
{
	arena_release(&A);
	return 0;
}

static const char *fixture(const char *name, size_t *len)
{
	const char *f = __FILE__, *cut = strstr(f, "/unit/base/");
	assert_non_null(cut);
	char *path = arena_printf(&A, "%.*s/fixtures/xlsx/%s", (int)(cut - f),
				  f, name);
	struct error e = {0};
	const char *data = file_read_all(&A, path, 1 << 24, len, &e);
	if (!data)
		fail_msg("%s", e.msg);
	return data;
}

static void test_looks_like(void **state)
{
	assert_true(xlsx_looks_like("PK\x03\x04rest", 8));
	assert_false(xlsx_looks_like("STT,Nhiệm vụ\n", 13));
	assert_false(xlsx_looks_like("PK", 2));
	/* an Excel 97-2003 .xls (OLE2) is not an xlsx */
	assert_false(xlsx_looks_like("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8));
}

static void test_roundtrip(void **state)
{
	const char *tasks[] = {
		"STT",
		"Nhiệm vụ",
		"Hạn hoàn thành",
		"Trọng số",
		"Ghi chú",
		"1",
		"Tuyên truyền trên loa truyền thanh",
		"2024-03-31",
		"1",
		"",
		"2",
		"Báo cáo tháng gửi huyện",
		"2024-12-31",
		"0.5",
		"=SUM(A1:A2)",
		"3",
		"Đối thoại với Nhân dân\r\ndòng hai",
		"",
		"2",
		"mã 05 và \"ngoặc\"",
		"04",
		"Mã giữ số 0 đầu",
		"2024-02-29",
		"12345678901234567",
		"-",
	};
	const char *upd[] = {"Mã nhiệm vụ", "Tiến độ (%)", "17", "100"};
	struct sheet in[2] = {{4 + 1, 5, tasks}, {2, 2, upd}};
	const char *names[] = {"Nhiệm vụ", "Cập nhật"};
	unsigned char *bytes;
	size_t len;
	struct error e = {0};
	assert_int_equal(xlsx_write(&A, names, in, 2, &bytes, &len, &e),
			 ERR_OK);
	assert_true(xlsx_looks_like(bytes, len));
	struct sheet out;
	if (xlsx_read(&A, bytes, len, &out, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(out.nrows, 5);
	assert_int_equal(out.ncols, 5);
	for (int r = 0; r < 5; r++)
		for (int c = 0; c < 5; c++)
			assert_string_equal(sheet_cell(&out, r, c),
					    sheet_cell(&in[0], r, c));
	/* a sheet may be empty */
	struct sheet empty = {0, 0, NULL};
	const char *one[] = {"Trống"};
	assert_int_equal(xlsx_write(&A, one, &empty, 1, &bytes, &len, &e),
			 ERR_OK);
	assert_int_equal(xlsx_read(&A, bytes, len, &out, &e), ERR_OK);
	assert_int_equal(out.nrows, 0);
	/* a bad sheet name is refused, and no temporary file stays behind */
	const char *bad[] = {"a/b:c"};
	assert_int_equal(xlsx_write(&A, bad, &in[1], 1, &bytes, &len, &e),
			 ERR_INVALID);
	assert_non_null(strstr(e.msg, "sheet name"));
}

static void test_other_tool(void **state)
{
	size_t len;
	const char *data = fixture("other_tool.xlsx", &len);
	struct sheet s;
	struct error e = {0};
	if (xlsx_read(&A, data, len, &s, &e))
		fail_msg("%s", e.msg);
	/* the first sheet in tab order, not the first in the zip */
	assert_int_equal(s.nrows, 6);
	assert_int_equal(s.ncols, 6);
	/* row 1 is empty, so row index = Excel's row - 1 */
	for (int c = 0; c < s.ncols; c++)
		assert_string_equal(sheet_cell(&s, 0, c), "");
	assert_string_equal(sheet_cell(&s, 1, 0), "STT");
	assert_string_equal(sheet_cell(&s, 1, 1), "Nhiệm vụ");
	assert_string_equal(sheet_cell(&s, 1, 2), "Hạn");
	/* cells without references, rich text without its phonetic guide */
	assert_string_equal(sheet_cell(&s, 2, 0), "1");
	assert_string_equal(sheet_cell(&s, 2, 1), "Tuyên truyền trên loa");
	assert_string_equal(sheet_cell(&s, 2, 2), "2024-01-15"); /* fmt 14 */
	assert_string_equal(sheet_cell(&s, 2, 3), "TRUE");
	/* a quoted "d" and a time format are not dates */
	assert_string_equal(sheet_cell(&s, 2, 4), "2.5");
	assert_string_equal(sheet_cell(&s, 2, 5), "0.5");
	/* _x000D_ is a carriage return, _x005F_ a literal underscore */
	assert_string_equal(sheet_cell(&s, 3, 1), "dòng 1\r\ndòng 2 _x0041_");
	/* custom dd/mm/yyyy; the time of day is dropped */
	assert_string_equal(sheet_cell(&s, 3, 2), "2024-12-31");
	assert_string_equal(sheet_cell(&s, 3, 3), "FALSE");
	assert_string_equal(sheet_cell(&s, 3, 4), "#N/A");
	assert_string_equal(sheet_cell(&s, 3, 5), "ab");
	/* merged B5:B6; a styled empty cell stays empty; an ISO date cell */
	assert_string_equal(sheet_cell(&s, 4, 1), "Gộp");
	assert_string_equal(sheet_cell(&s, 5, 1), "Gộp");
	assert_string_equal(sheet_cell(&s, 4, 2), "");
	assert_string_equal(sheet_cell(&s, 4, 3), "2024-03-05");
	assert_string_equal(sheet_cell(&s, 5, 0), "4");
	/* percentages as shown: 0.5 in a 0% cell is 50% */
	assert_string_equal(sheet_cell(&s, 5, 4), "50%");
	assert_string_equal(sheet_cell(&s, 5, 5), "12.5%");
	/* out of range columns read as empty */
	assert_string_equal(sheet_cell(&s, 5, 40), "");

	data = fixture("date1904.xlsx", &len);
	assert_int_equal(xlsx_read(&A, data, len, &s, &e), ERR_OK);
	/* 43844 days after 1904-01-01 */
	assert_string_equal(sheet_cell(&s, 0, 0), "2024-01-15");
}

static void test_refused(void **state)
{
	size_t len;
	struct sheet s;
	struct error e = {0};
	const char *data = fixture("not_workbook.xlsx", &len);
	assert_int_equal(xlsx_read(&A, data, len, &s, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "not an Excel workbook"));

	const char *csv = "STT,Nhiệm vụ\n1,Họp\n";
	assert_int_equal(xlsx_read(&A, csv, strlen(csv), &s, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "not an XLSX file"));

	/* a zip cut short */
	data = fixture("other_tool.xlsx", &len);
	assert_int_equal(xlsx_read(&A, data, len / 2, &s, &e), ERR_INVALID);

	/* 210 MB of spaces: refused by the size the headers give */
	data = fixture("bomb.xlsx", &len);
	clock_t t0 = clock();
	assert_int_equal(xlsx_read(&A, data, len, &s, &e), ERR_TOOBIG);
	assert_non_null(strstr(e.msg, "zip bomb"));
	/* and when the headers lie, by counting while reading */
	data = fixture("bomb_lying.xlsx", &len);
	e = (struct error){0};
	assert_int_equal(xlsx_read(&A, data, len, &s, &e), ERR_TOOBIG);
	assert_non_null(strstr(e.msg, "over 200 MB"));
	/* neither needs more than a few seconds, even under sanitizers */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 30);
}

/* A sheet that names a cell past the column limit is refused; one with a
 * DOCTYPE (entity tricks) too. Built here with libzip. */
static const void *make_zip(const char *sheet_xml, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(mem);
	zip_source_keep(mem);
	zip_t *z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	const char *wb = "<workbook><sheets><sheet name=\"a\"/></sheets>"
			 "</workbook>";
	zip_source_t *s1 = zip_source_buffer(z, wb, strlen(wb), 0);
	zip_source_t *s2 =
		zip_source_buffer(z, sheet_xml, strlen(sheet_xml), 0);
	assert_true(zip_file_add(z, "xl/workbook.xml", s1, 0) >= 0);
	assert_true(zip_file_add(z, "xl/worksheets/sheet1.xml", s2, 0) >= 0);
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_open(mem), 0);
	zip_source_seek(mem, 0, SEEK_END);
	zip_int64_t n = zip_source_tell(mem);
	zip_source_seek(mem, 0, SEEK_SET);
	void *buf = arena_alloc(&A, (size_t)n);
	assert_int_equal(zip_source_read(mem, buf, (zip_uint64_t)n), n);
	zip_source_close(mem);
	zip_source_free(mem);
	*len = (size_t)n;
	return buf;
}

static void test_limits(void **state)
{
	size_t len;
	struct sheet s;
	struct error e = {0};
	const void *z = make_zip("<worksheet><sheetData><row r=\"1\">"
				 "<c r=\"ALM1\"><v>1</v></c></row>"
				 "</sheetData></worksheet>",
				 &len);
	assert_int_equal(xlsx_read(&A, z, len, &s, &e), ERR_TOOBIG);
	assert_non_null(strstr(e.msg, "columns"));
	z = make_zip("<worksheet><sheetData><row r=\"1000001\">"
		     "<c><v>1</v></c></row></sheetData></worksheet>",
		     &len);
	assert_int_equal(xlsx_read(&A, z, len, &s, &e), ERR_TOOBIG);
	assert_non_null(strstr(e.msg, "rows"));
	z = make_zip("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet>"
		     "<sheetData/></worksheet>",
		     &len);
	assert_int_equal(xlsx_read(&A, z, len, &s, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "DOCTYPE"));
	z = make_zip("<worksheet><sheetData><row><c t=\"s\"><v>3</v></c>"
		     "</row></sheetData></worksheet>",
		     &len);
	assert_int_equal(xlsx_read(&A, z, len, &s, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "shared string"));
	z = make_zip("<worksheet><sheetData><row><c><v>1</v></row>"
		     "</sheetData></worksheet>",
		     &len);
	assert_int_equal(xlsx_read(&A, z, len, &s, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "line 1"));
	/* the last column allowed, 1000 = ALL */
	z = make_zip("<worksheet><sheetData><row r=\"3\">"
		     "<c r=\"ALL3\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
		     "</sheetData></worksheet>",
		     &len);
	assert_int_equal(xlsx_read(&A, z, len, &s, &e), ERR_OK);
	assert_int_equal(s.nrows, 3);
	assert_int_equal(s.ncols, 1000);
	assert_string_equal(sheet_cell(&s, 2, 999), "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_other_tool),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
