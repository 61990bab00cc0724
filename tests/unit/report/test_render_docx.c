/* The report as DOCX. LibreOffice is not on the test machine, so the
 * package is checked the way a word processor reads it: the zip's parts
 * and content types, document.xml well-formed (expat) with the report's
 * text in it, the page set up as the decree says, tables, the header row
 * repeated, the charts as PNG pictures. And malformed documents: every
 * renderer says ERR_INVALID with a message, no crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <expat.h>
#include <zip.h>
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

static char *part(const char *data, size_t len, const char *name, size_t *n)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	assert_non_null(z);
	zip_stat_t st;
	char *out = NULL;
	if (zip_stat(z, name, 0, &st) == 0) {
		zip_file_t *f = zip_fopen(z, name, 0);
		out = arena_alloc(&A, st.size + 1);
		assert_int_equal(zip_fread(f, out, st.size),
				 (zip_int64_t)st.size);
		zip_fclose(f);
		if (n)
			*n = st.size;
	}
	zip_close(z);
	zip_error_fini(&ze);
	return out;
}

/* The text of the <w:t> elements, a newline after each </w:p>; counts of
 * tables and paragraphs. */
struct text {
	char *buf;
	size_t len, cap;
	bool in_t;
	int tables, paras;
};

static void add(struct text *t, const char *s, size_t n)
{
	while (t->len + n + 1 > t->cap) {
		char *b = arena_alloc(&A, t->cap * 2);
		memcpy(b, t->buf, t->len);
		t->buf = b;
		t->cap *= 2;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = 0;
}

static void on_start(void *ud, const char *name, const char **atts)
{
	struct text *t = ud;
	t->in_t = !strcmp(name, "w:t");
	t->tables += !strcmp(name, "w:tbl");
	t->paras += !strcmp(name, "w:p");
	if (!strcmp(name, "w:br"))
		add(t, "\n", 1);
}

static void on_end(void *ud, const char *name)
{
	struct text *t = ud;
	t->in_t = false;
	if (!strcmp(name, "w:p"))
		add(t, "\n", 1);
}

static void on_chars(void *ud, const char *s, int n)
{
	struct text *t = ud;
	if (t->in_t)
		add(t, s, (size_t)n);
}

static struct text parse(const char *xml, size_t n)
{
	struct text t = {.buf = arena_alloc(&A, 4096), .cap = 4096};
	XML_Parser p = XML_ParserCreate("UTF-8");
	XML_SetUserData(p, &t);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_chars);
	if (XML_Parse(p, xml, (int)n, 1) != XML_STATUS_OK)
		fail_msg("document.xml: line %lu: %s",
			 (unsigned long)XML_GetCurrentLineNumber(p),
			 XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return t;
}

/* Every part well-formed XML (media aside). */
static void check_parts(const char *x, size_t len)
{
	const char *names[] = {
		"[Content_Types].xml", "_rels/.rels",
		"word/document.xml",   "word/styles.xml",
		"word/header1.xml",    "word/_rels/document.xml.rels",
		"docProps/core.xml"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		size_t n;
		char *p = part(x, len, names[i], &n);
		if (!p)
			fail_msg("%s missing", names[i]);
		parse(p, n);
	}
}

static char *docx_of(const char *name, size_t *len)
{
	json_t *doc = fixture(name);
	char *x;
	struct error e = {0};
	enum err err = report_docx(&A, doc, &x, len, &e);
	json_decref(doc);
	if (err)
		fail_msg("%s: %s", name, e.msg);
	write_file(artifact(arena_printf(&A, "render-%s.docx", name)), x, *len);
	return x;
}

static void test_short(void **state)
{
	size_t len, n;
	char *x = docx_of("short", &len);
	check_parts(x, len);
	char *ct = part(x, len, "[Content_Types].xml", NULL);
	assert_contains(ct, "PartName=\"/word/document.xml\" ContentType=\""
			    "application/vnd.openxmlformats-officedocument."
			    "wordprocessingml.document.main+xml\"");
	assert_contains(part(x, len, "_rels/.rels", NULL),
			"Target=\"word/document.xml\"");
	char *doc = part(x, len, "word/document.xml", &n);
	struct text t = parse(doc, n);
	assert_contains(t.buf, "ỦY BAN NHÂN DÂN\nXÃ TIÊN TIẾN\n");
	assert_contains(t.buf, "Số: 12/BC-UBND\n");
	assert_contains(t.buf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
			       "Độc lập - Tự do - Hạnh phúc\n"
			       "Tiên Tiến, ngày 05 tháng 3 năm 2025\n");
	assert_contains(t.buf, "BÁO CÁO\nKết quả thực hiện kế hoạch nâng cao "
			       "chỉ số PAPI quý I năm 2025\n");
	assert_contains(t.buf, "I. KẾT QUẢ THỰC HIỆN\n");
	/* the table's cells formatted, one paragraph each */
	assert_contains(t.buf, "Văn phòng\n12\n10\n83,3%\n5,12\n");
	assert_contains(t.buf, "Địa chính - Xây dựng\n1.234\n1.000\n81,0%\n"
			       "4,50\n");
	assert_contains(t.buf, "Tư pháp - Hộ tịch\n0\n0\n\n\n");
	assert_contains(t.buf, "Nơi nhận:\n- UBND huyện Phù Cừ;\n");
	assert_contains(t.buf, "- Lưu: VT, VP.\nTM. ỦY BAN NHÂN DÂN\n"
			       "CHỦ TỊCH\n");
	assert_contains(t.buf, "Nguyễn Văn Hùng\n");
	/* header, table 1, closing */
	assert_int_equal(t.tables, 3);
	/* A4, margins 20/20/30/15 mm, no number on page 1, the motto
	 * underlined, numbers right-aligned, the header row repeats */
	assert_contains(doc, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>");
	assert_contains(doc, "<w:pgMar w:top=\"1134\" w:right=\"851\" "
			     "w:bottom=\"1134\" w:left=\"1701\"");
	assert_contains(doc, "<w:titlePg/>");
	assert_contains(doc, "<w:u w:val=\"single\"/><w:sz w:val=\"28\"/>"
			     "<w:szCs w:val=\"28\"/></w:rPr><w:t "
			     "xml:space=\"preserve\">Độc lập");
	assert_contains(doc, "<w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr>"
			     "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>"
			     "</w:rPr><w:t xml:space=\"preserve\">1.234");
	assert_contains(doc, "<w:tblHeader/>");
	assert_contains(doc, "<w:jc w:val=\"both\"/>");
	assert_contains(part(x, len, "word/styles.xml", NULL),
			"w:ascii=\"Times New Roman\"");
	assert_contains(part(x, len, "word/header1.xml", NULL),
			"w:instr=\" PAGE \"");
	assert_null(part(x, len, "word/media/chart1.png", NULL));
}

static void test_long(void **state)
{
	size_t len, n;
	char *x = docx_of("long", &len);
	check_parts(x, len);
	char *doc = part(x, len, "word/document.xml", &n);
	struct text t = parse(doc, n);
	assert_contains(t.buf, "Chữ tiếng Việt đủ dấu: aàáảãạ ăằắẳẵặ âầấẩẫậ "
			       "eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ "
			       "uùúủũụ ưừứửữự yỳýỷỹỵ đ AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ "
			       "EÈÉẺẼẸ ÊỀẾỂỄỆ IÌÍỈĨỊ OÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ "
			       "UÙÚỦŨỤ ƯỪỨỬỮỰ YỲÝỶỸỴ Đ.\n");
	assert_contains(t.buf, "& các khoản <khác>.\n");
	for (int i = 1; i <= 70; i++)
		assert_contains(
			t.buf, arena_printf(&A, "\n%d\nNhiệm vụ số %d:", i, i));
	/* header, two tables, closing */
	assert_int_equal(t.tables, 4);
	/* two charts, as PNG pictures drawn by cairo, related */
	for (int i = 1; i <= 2; i++) {
		size_t pn;
		char *png = part(x, len,
				 arena_printf(&A, "word/media/chart%d.png", i),
				 &pn);
		assert_non_null(png);
		assert_true(pn > 5000);
		assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
		assert_contains(doc,
				arena_printf(&A, "r:embed=\"rIdImg%d\"", i));
		assert_contains(
			part(x, len, "word/_rels/document.xml.rels", NULL),
			arena_printf(&A, "Target=\"media/chart%d.png\"", i));
	}
	/* keep the first picture to look at */
	size_t pn;
	char *png = part(x, len, "word/media/chart1.png", &pn);
	write_file(artifact("render-long-docx-chart1.png"), png, pn);
	png = part(x, len, "word/media/chart2.png", &pn);
	write_file(artifact("render-long-docx-chart2.png"), png, pn);
}

/* ---- malformed documents ---- */

typedef enum err (*renderer)(struct arena *, const json_t *, char **, size_t *,
			     struct error *);

static void refuse(const char *json, const char *says)
{
	static const renderer all[] = {report_pdf, report_xlsx, report_docx};
	json_error_t je;
	json_t *doc = json_loads(json, JSON_ALLOW_NUL, &je);
	if (!doc)
		fail_msg("bad test json: %s", je.text);
	for (int i = 0; i < 3; i++) {
		struct error e = {0};
		char *out = (char *)"x";
		size_t len = 7;
		assert_int_equal(all[i](&A, doc, &out, &len, &e), ERR_INVALID);
		assert_int_equal(e.code, ERR_INVALID);
		if (!strstr(e.msg, says))
			fail_msg("\"%s\" does not say \"%s\"", e.msg, says);
		assert_null(out);
		assert_int_equal(len, 0);
	}
	json_decref(doc);
}

static void test_malformed(void **state)
{
	refuse("[1, 2]", "not a JSON object");
	refuse("{\"type\": \"BÁO CÁO\"}", "blocks is not an array");
	refuse("{\"blocks\": {\"type\": \"paragraph\"}}",
	       "blocks is not an array");
	refuse("{\"blocks\": [{\"type\": \"poem\", \"text\": \"x\"}]}",
	       "block 1: unknown type \"poem\"");
	refuse("{\"blocks\": [{\"type\": \"paragraph\"}]}",
	       "block 1 text is missing");
	refuse("{\"blocks\": [{\"type\": \"paragraph\", \"text\": 5}]}",
	       "block 1 text is not a string");
	refuse("{\"blocks\": [{\"type\": \"paragraph\", \"text\": \"a\"}, "
	       "{\"type\": \"table\", \"columns\": [{\"title\": \"A\"}, "
	       "{\"title\": \"B\"}], \"rows\": [[\"x\", 1], [\"y\"]], "
	       "\"formats\": [\"text\", \"int\"]}]}",
	       "block 2 (table): row 2 has 1 cells, the table 2 columns");
	refuse("{\"blocks\": [{\"type\": \"table\", \"columns\": [{\"title\": "
	       "\"A\"}], \"rows\": [[1]], \"formats\": [\"money\"]}]}",
	       "unknown format \"money\"");
	refuse("{\"blocks\": [{\"type\": \"table\", \"columns\": [{\"title\": "
	       "\"A\"}], \"rows\": [[[1]]]}]}",
	       "row 1, cell 1 is not a string");
	refuse("{\"blocks\": [{\"type\": \"chart\", \"chart\": \"pie\", "
	       "\"categories\": [\"a\"], \"series\": []}]}",
	       "unknown chart \"pie\"");
	refuse("{\"blocks\": [{\"type\": \"chart\", \"chart\": \"radar\", "
	       "\"categories\": [\"a\", \"b\"], \"series\": [{\"name\": "
	       "\"s\", \"values\": [1, 2]}]}]}",
	       "2 categories and 1 series");
	refuse("{\"blocks\": [{\"type\": \"chart\", \"chart\": \"bar\", "
	       "\"categories\": [\"a\", \"b\"], \"series\": [{\"name\": "
	       "\"s\", \"values\": [1]}]}]}",
	       "series 1 has 1 values for 2 categories");
	refuse("{\"blocks\": [{\"type\": \"chart\", \"chart\": \"bar\", "
	       "\"categories\": [\"a\"], \"y_min\": 5, \"y_max\": 1, "
	       "\"series\": [{\"name\": \"s\", \"values\": [1]}]}]}",
	       "y_min must be below y_max");
	refuse("{\"issuer\": 7, \"blocks\": []}", "issuer is not an array");
	refuse("{\"signature\": [], \"blocks\": []}",
	       "signature is not an object");
	refuse("{\"blocks\": [{\"type\": \"paragraph\", \"text\": "
	       "\"a\\u0000b\"}]}",
	       "is not UTF-8 text");
}

/* The least document: no header fields, no blocks. Each renderer draws
 * it (an empty period still gives a document). */
static void test_minimal(void **state)
{
	json_t *doc = json_pack("{s:[]}", "blocks");
	static const renderer all[] = {report_pdf, report_xlsx, report_docx};
	for (int i = 0; i < 3; i++) {
		struct error e = {0};
		char *out;
		size_t len;
		if (all[i](&A, doc, &out, &len, &e))
			fail_msg("renderer %d: %s", i, e.msg);
		assert_true(len > 100);
	}
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_minimal, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
