/* The report as XLSX: read back with xlsx_read (base/xlsx.h) cell by
 * cell; the number formats, the native charts and the cells their series
 * point at checked in the zip's parts (libzip). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <zip.h>
#include "base/xlsx.h"
#include "report/report.h"
#include "render_test.h"
#include "base/banned.h"

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

static char *xlsx_of(const char *name, size_t *len)
{
	json_t *doc = fixture(name);
	char *x;
	struct error e = {0};
	enum err err = report_xlsx(&A, doc, &x, len, &e);
	json_decref(doc);
	if (err)
		fail_msg("%s: %s", name, e.msg);
	assert_true(xlsx_looks_like(x, *len));
	write_file(artifact(arena_printf(&A, "render-%s.xlsx", name)), x, *len);
	return x;
}

/* A part of the zip as text, NULL when absent. */
static char *part(const char *data, size_t len, const char *name)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_stat_t st;
	char *out = NULL;
	if (zip_stat(z, name, 0, &st) == 0) {
		zip_file_t *f = zip_fopen(z, name, 0);
		out = arena_alloc(&A, st.size + 1);
		assert_int_equal(zip_fread(f, out, st.size),
				 (zip_int64_t)st.size);
		zip_fclose(f);
	}
	zip_close(z);
	zip_error_fini(&ze);
	return out;
}

/* The row whose column c holds s, -1 when none. */
static int find_row(const struct sheet *sh, int c, const char *s)
{
	for (int r = 0; r < sh->nrows; r++)
		if (!strcmp(sheet_cell(sh, r, c), s))
			return r;
	return -1;
}

static void test_short(void **state)
{
	size_t len;
	char *x = xlsx_of("short", &len);
	struct sheet sh;
	struct error e = {0};
	if (xlsx_read(&A, x, len, &sh, &e))
		fail_msg("%s", e.msg);
	/* the heading lines: issuer at left, national title at right */
	assert_string_equal(sheet_cell(&sh, 0, 0), "ỦY BAN NHÂN DÂN");
	assert_string_equal(sheet_cell(&sh, 1, 0), "XÃ TIÊN TIẾN");
	assert_string_equal(sheet_cell(&sh, 2, 0), "Số: 12/BC-UBND");
	int rc = sh.ncols > 2 ? 2 : 1;
	assert_string_equal(sheet_cell(&sh, 0, rc),
			    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_string_equal(sheet_cell(&sh, 1, rc),
			    "Độc lập - Tự do - Hạnh phúc");
	assert_string_equal(sheet_cell(&sh, 2, rc),
			    "Tiên Tiến, ngày 05 tháng 3 năm 2025");
	int t = find_row(&sh, 0, "BÁO CÁO");
	assert_true(t > 2);
	assert_string_equal(sheet_cell(&sh, t + 1, 0),
			    "Kết quả thực hiện kế hoạch nâng cao chỉ số PAPI "
			    "quý I năm 2025");
	assert_true(find_row(&sh, 0, "I. KẾT QUẢ THỰC HIỆN") > t);
	/* the table: header, then numbers as numbers */
	int h = find_row(&sh, 0, "Đơn vị");
	assert_true(h > 0);
	assert_string_equal(sheet_cell(&sh, h - 1, 0),
			    "Bảng 1. Nhiệm vụ theo đơn vị");
	const char *head[] = {"Đơn vị", "Đến hạn", "Đúng hạn", "Tỷ lệ", "Điểm"};
	for (int c = 0; c < 5; c++)
		assert_string_equal(sheet_cell(&sh, h, c), head[c]);
	assert_string_equal(sheet_cell(&sh, h + 1, 0), "Văn phòng");
	assert_string_equal(sheet_cell(&sh, h + 1, 1), "12");
	assert_string_equal(sheet_cell(&sh, h + 1, 2), "10");
	assert_string_equal(sheet_cell(&sh, h + 1, 3), "83.33%");
	assert_string_equal(sheet_cell(&sh, h + 1, 4), "5.123");
	assert_string_equal(sheet_cell(&sh, h + 2, 1), "1234");
	assert_string_equal(sheet_cell(&sh, h + 3, 0), "Tư pháp - Hộ tịch");
	assert_string_equal(sheet_cell(&sh, h + 3, 3), "");
	assert_string_equal(sheet_cell(&sh, h + 3, 4), "");
	/* the closing */
	int n = find_row(&sh, 0, "Nơi nhận:");
	assert_true(n > h);
	assert_string_equal(sheet_cell(&sh, n + 1, 0), "- UBND huyện Phù Cừ;");
	assert_string_equal(sheet_cell(&sh, n + 4, 0), "- Lưu: VT, VP.");
	assert_true(find_row(&sh, rc, "TM. ỦY BAN NHÂN DÂN") == n);
	assert_true(find_row(&sh, rc, "CHỦ TỊCH") == n + 1);
	assert_true(find_row(&sh, rc, "Nguyễn Văn Hùng") > n + 2);
	/* formats a Vietnamese Excel shows as 1.234 / 83,3% / 5,12, in
	 * Times New Roman; no chart in this one */
	char *styles = part(x, len, "xl/styles.xml");
	assert_contains(styles, "formatCode=\"#,##0\"");
	assert_contains(styles, "formatCode=\"0.0%\"");
	assert_contains(styles, "formatCode=\"0.00\"");
	assert_contains(styles, "Times New Roman");
	assert_null(part(x, len, "xl/charts/chart1.xml"));
}

static void test_long(void **state)
{
	size_t len;
	char *x = xlsx_of("long", &len);
	struct sheet sh;
	struct error e = {0};
	if (xlsx_read(&A, x, len, &sh, &e))
		fail_msg("%s", e.msg);
	/* every row of the long table, the empty cells empty */
	int h = find_row(&sh, 0, "TT");
	assert_true(h > 0);
	for (int i = 1; i <= 70; i++) {
		char *n = arena_printf(&A, "%d", i);
		assert_string_equal(sheet_cell(&sh, h + i, 0), n);
		assert_true(!strncmp(
			sheet_cell(&sh, h + i, 1),
			arena_printf(&A, "Nhiệm vụ số %d:", i),
			strlen(arena_printf(&A, "Nhiệm vụ số %d:", i))));
	}
	assert_string_equal(sheet_cell(&sh, h + 5, 2), "");
	assert_string_equal(sheet_cell(&sh, h + 6, 4), "");
	assert_string_equal(sheet_cell(&sh, h + 1, 3), "01/01/2025");
	/* table 1's null score */
	int d3 = find_row(&sh, 0, "D3");
	assert_true(d3 > 0);
	assert_string_equal(sheet_cell(&sh, d3, 3), "");
	/* the diacritics and the escaped characters, exact */
	assert_true(find_row(&sh, 0,
			     "Đề nghị Ủy ban nhân dân huyện quan tâm hỗ trợ "
			     "kinh phí ứng dụng công nghệ thông tin; số tiền "
			     "dự kiến 1.234.567 đồng & các khoản <khác>.") > 0);
	int dia = -1;
	for (int r = 0; r < sh.nrows; r++)
		if (strstr(sheet_cell(&sh, r, 0), "YỲÝỶỸỴ Đ."))
			dia = r;
	assert_true(dia > 0);
	/* the charts: native, a radar then a bar, series on "Số liệu" */
	char *c1 = part(x, len, "xl/charts/chart1.xml"),
	     *c2 = part(x, len, "xl/charts/chart2.xml");
	assert_non_null(c1);
	assert_non_null(c2);
	assert_contains(c1, "<c:radarChart>");
	assert_contains(c2, "<c:barChart>");
	assert_contains(c2, "<c:barDir val=\"col\"/>");
	assert_contains(c1, "<c:f>'Số liệu'!$A$3:$A$10</c:f>");
	assert_contains(c1, "<c:f>'Số liệu'!$B$3:$B$10</c:f>");
	assert_contains(c1, "<c:f>'Số liệu'!$D$2</c:f>");
	assert_contains(c1, "<c:min val=\"1\"/>");
	assert_contains(c1, "<c:max val=\"10\"/>");
	assert_contains(c2, "<c:f>'Số liệu'!$B$14:$B$21</c:f>");
	assert_contains(c1, "Điểm PAPI theo nội dung");
	/* the data sheet holds what the chart shows: D1 = 5.12 for 2025 */
	char *wb = part(x, len, "xl/workbook.xml");
	assert_contains(wb, "name=\"Báo cáo\"");
	assert_contains(wb, "name=\"Số liệu\"");
	char *s2 = part(x, len, "xl/worksheets/sheet2.xml");
	assert_contains(s2, "<c r=\"B3\" s=\"");
	assert_contains(s2, "><v>5.12</v></c>");
	/* the null of "2024" at D3 is a blank: a gap in the chart */
	char *c5 = strstr(s2, "<c r=\"C5\"");
	assert_non_null(c5);
	assert_true(strstr(c5, "/>") < strstr(c5, "</c>"));
	assert_true(strstr(c5, "/>") < strstr(c5, "<v>"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
