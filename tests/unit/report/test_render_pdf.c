/* The report as PDF: the fixture documents drawn, then read back with
 * poppler (pdftotext, pdffonts, pdfinfo) the way a person or a checker
 * would read them; pages rendered to PNG in artifacts/report/ to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
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

/* Draws the fixture, keeps render-<name>.pdf and its pages as PNG. */
static const char *render(const char *name)
{
	json_t *doc = fixture(name);
	char *pdf;
	size_t len;
	struct error e = {0};
	enum err err = report_pdf(&A, doc, &pdf, &len, &e);
	json_decref(doc);
	if (err)
		fail_msg("%s: %s", name, e.msg);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	const char *path = artifact(arena_printf(&A, "render-%s.pdf", name));
	write_file(path, pdf, len);
	run(arena_printf(&A, "pdftoppm -r 60 -png '%s' '%s'", path,
			 artifact(arena_printf(&A, "render-%s", name))));
	return path;
}

static int pages(const char *path)
{
	const char *info = run(arena_printf(&A, "pdfinfo '%s'", path));
	const char *p = strstr(info, "Pages:");
	assert_non_null(p);
	return (int)strtol(p + 6, NULL, 10);
}

/* Text of pages [first, last] (0: all), -layout keeps a table's row on
 * one line. */
static char *pdf_text(const char *path, int first, int last)
{
	if (!first)
		return run(arena_printf(
			&A, "pdftotext -enc UTF-8 -layout '%s' -", path));
	return run(arena_printf(&A,
				"pdftotext -enc UTF-8 -layout -f %d -l %d "
				"'%s' -",
				first, last, path));
}

/* A line of text holding each of words, in order. */
static bool line_has(const char *text, const char *const *words)
{
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		char *l = arena_strndup(&A, line, n);
		const char *at = l;
		int k = 0;
		while (words[k] && (at = strstr(at, words[k])))
			at += strlen(words[k++]);
		if (!words[k])
			return true;
		line = end ? end + 1 : NULL;
	}
	return false;
}
#define assert_line(text, ...)                                                 \
	do {                                                                   \
		const char *const w_[] = {__VA_ARGS__, NULL};                  \
		if (!line_has((text), w_))                                     \
			fail_msg("no line with %s ... %s", w_[0],              \
				 #__VA_ARGS__);                                \
	} while (0)

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Every font embedded, and the Times New Roman asked for is Liberation
 * Serif. */
static void check_fonts(const char *path)
{
	char *f = run(arena_printf(&A, "pdffonts '%s'", path));
	assert_contains(f, "LiberationSerif");
	assert_contains(f, "LiberationSerif-Bold");
	assert_contains(f, "LiberationSerif-Italic");
	int rows = 0;
	char *line = strchr(strstr(f, "-----"), '\n') + 1;
	for (char *end; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (end)
			*end = 0;
		if (!*line)
			continue;
		rows++;
		if (!strstr(line, "LiberationSerif") ||
		    !strstr(line, " yes yes yes "))
			fail_msg("font not embedded or not Liberation Serif: "
				 "%s",
				 line);
	}
	assert_true(rows >= 3);
}

/* No word of any page outside the printable box: 10 mm from the top (the
 * page number), the bottom margin, the left margin less the 4 mm the
 * header reaches into it, the right margin. pdftotext -bbox gives each
 * word's box in points. */
static void check_inside(const char *path)
{
	const double mm = 72 / 25.4;
	char *html = run(arena_printf(&A, "pdftotext -bbox '%s' -", path));
	int words = 0;
	for (const char *p = html; (p = strstr(p, "<word xMin=\""));) {
		double x0, y0, x1, y1;
		p += 12;
		x0 = strtod(p, NULL);
		y0 = strtod(strstr(p, "yMin=\"") + 6, NULL);
		x1 = strtod(strstr(p, "xMax=\"") + 6, NULL);
		y1 = strtod(strstr(p, "yMax=\"") + 6, NULL);
		words++;
		if (x0 < 26 * mm - 0.5 || x1 > 195 * mm + 0.5 || y0 < 10 * mm ||
		    y1 > 277 * mm + 0.5)
			fail_msg("a word outside the page's box: %.1f %.1f "
				 "%.1f %.1f near \"%.60s\"",
				 x0, y0, x1, y1, strchr(p, '>') + 1);
	}
	assert_true(words > 50);
}

static void test_short(void **state)
{
	const char *path = render("short");
	assert_int_equal(pages(path), 1);
	check_fonts(path);
	check_inside(path);
	char *t = pdf_text(path, 0, 0), *s = squeeze(t);
	/* the header, exact to the last diacritic */
	assert_line(t, "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_line(t, "XÃ TIÊN TIẾN", "Độc lập - Tự do - Hạnh phúc");
	assert_line(t, "Số: 12/BC-UBND", "Tiên Tiến, ngày 05 tháng 3 năm 2025");
	assert_contains(s, "BÁO CÁO Kết quả thực hiện kế hoạch nâng cao chỉ "
			   "số PAPI quý I năm 2025");
	assert_contains(s, "I. KẾT QUẢ THỰC HIỆN");
	assert_contains(s, "II. PHƯƠNG HƯỚNG QUÝ II");
	assert_contains(s, "hoàn thành đúng hạn 10 nhiệm vụ (83,3%).");
	/* the table: formatted numbers on their row, empty cells empty */
	assert_contains(s, "Bảng 1. Nhiệm vụ theo đơn vị");
	assert_line(t, "Đơn vị", "Đến hạn", "Đúng hạn", "Tỷ lệ", "Điểm");
	assert_line(t, "Văn phòng", "12", "10", "83,3%", "5,12");
	assert_line(t, "Địa chính - Xây dựng", "1.234", "1.000", "81,0%",
		    "4,50");
	assert_line(t, "Tư pháp - Hộ tịch", "0", "0");
	assert_false(line_has(t, (const char *const[]){"Tư pháp", "%", NULL}));
	/* the closing */
	assert_line(t, "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN");
	assert_contains(s, "- UBND huyện Phù Cừ;");
	assert_contains(s, "- Lưu: VT, VP.");
	assert_contains(s, "CHỦ TỊCH");
	assert_contains(s, "Nguyễn Văn Hùng");
	/* one page: no page number at its top */
	assert_false(t[strspn(t, " \n")] == '1');
}

static void test_long(void **state)
{
	const char *path = render("long");
	int n = pages(path);
	/* 7 pages with Liberation Serif 2.1; a font update may move one */
	assert_true(n >= 6 && n <= 8);
	check_fonts(path);
	check_inside(path);
	char *t = pdf_text(path, 0, 0), *s = squeeze(t);
	/* every vowel with every tone, upper and lower case, and Đ đ */
	assert_contains(
		s, "Chữ tiếng Việt đủ dấu: aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ "
		   "iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ đ "
		   "AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ EÈÉẺẼẸ ÊỀẾỂỄỆ IÌÍỈĨỊ OÒÓỎÕỌ ÔỒỐỔỖỘ "
		   "ƠỜỚỞỠỢ UÙÚỦŨỤ ƯỪỨỬỮỰ YỲÝỶỸỴ Đ.");
	assert_contains(s, "I. ĐÁNH GIÁ CHUNG");
	assert_contains(s, "1. Chỉ số PAPI theo nội dung");
	assert_contains(s, "II. NHIỆM VỤ CHẬM TIẾN ĐỘ");
	assert_contains(s, "III. KIẾN NGHỊ, ĐỀ XUẤT");
	assert_contains(s,
			"số tiền dự kiến 1.234.567 đồng & các khoản <khác>.");
	/* the charts as vectors: their text is text, no picture */
	assert_contains(s, "Điểm PAPI theo nội dung (thang 1–10)");
	assert_contains(s, "Bình quân tỉnh");
	assert_contains(s, "Hoàn thành");
	assert_line(t, "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8");
	char *img = run(arena_printf(&A, "pdfimages -list '%s'", path));
	assert_int_equal(count(img, "\n"), 2); /* the list's heading only */
	/* table 1: scores with two decimals, an empty cell for null */
	assert_line(t, "D1", "Tham gia của người dân ở cấp cơ sở", ",", ",",
		    ",");
	assert_line(t, "D3", "Trách nhiệm giải trình với người dân");
	/* table 2 runs over pages: every row once, the header on every
	 * page it is on, page numbers from page 2 */
	assert_int_equal(count(s, "Bảng 2. Nhiệm vụ quá hạn và giải trình"), 1);
	for (int i = 1; i <= 70; i++)
		assert_int_equal(
			count(s, arena_printf(&A, "Nhiệm vụ số %d:", i)), 1);
	int heads = 0;
	for (int p = 1; p <= n; p++) {
		char *pt = pdf_text(path, p, p);
		const char *first = pt + strspn(pt, " \n");
		if (p == 1)
			assert_false(*first >= '0' && *first <= '9');
		else
			assert_int_equal(strtol(first, NULL, 10), p);
		const char *const head[] = {"TT",  "Nhiệm vụ", "Đơn vị",
					    "Hạn", "Tiến độ",  NULL};
		if (strstr(pt, "Nhiệm vụ số ")) {
			assert_true(line_has(pt, head));
			heads++;
		}
	}
	assert_true(heads >= 3);
	/* percent cells: 2 of the 70 are null, so no % on their line */
	assert_line(t, "Nhiệm vụ số 1:", "Văn phòng", "01/01/2025", "%");
	assert_false(line_has(
		t, (const char *const[]){"Nhiệm vụ số 6:", "%", NULL}));
	/* the closing is on the last page, with text above it */
	char *last = squeeze(pdf_text(path, n, n));
	assert_contains(last, "Nơi nhận:");
	assert_contains(last, "Nguyễn Văn Hùng");
	assert_contains(last, "Đề nghị Ủy ban nhân dân huyện");
}

static void test_yearly(void **state)
{
	const char *path = render("yearly");
	check_fonts(path);
	check_inside(path);
	char *s = squeeze(pdf_text(path, 0, 0));
	assert_contains(s, "Bảng 3. Nhiệm vụ chậm tiến độ");
	assert_contains(s, "V. PHƯƠNG HƯỚNG NĂM 2026");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yearly, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
