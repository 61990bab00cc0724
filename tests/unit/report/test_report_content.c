/* report_build on hand-made figures: the head and foot of the state
 * format, every part empty (each says so in words) and every part full
 * (exact headings, table cells, charts), a plan's own report, and bad
 * input refused. No database: the document is a function of the spec and
 * the figures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "report/report.h"
#include "base/banned.h"

static const struct report_spec spec_q1 = {
	.kind = REPORT_QUARTERLY,
	.year = 2025,
	.no = 1,
	.number_text = "12/BC-UBND",
	.issued_on = "2025-03-05",
	.place = "Tiên Tiến",
	.issuer = "ỦY BAN NHÂN DÂN\nXÃ TIÊN TIẾN",
	.sign_mode = "TM.",
	.signer_title = "CHỦ TỊCH",
	.signer_name = "Nguyễn Văn A",
	.recipients = "- UBND tỉnh Hưng Yên;\n- Lưu: VT, VP.",
};

static const char empty_fig[] =
	"{\"commune\": {\"id\": 7, \"code\": \"12424\", \"name\": \"Tiên "
	"Tiến\", \"full_name\": \"Xã Tiên Tiến\", \"province\": \"Hưng "
	"Yên\"},"
	"\"period\": {\"from\": \"2024-12-15\", \"to\": \"2025-03-14\"},"
	"\"papi\": {\"year\": null, \"source\": null, \"note\": \"Xã chưa có "
	"kết quả khảo sát PAPI đến năm 2025.\", \"total\": null, "
	"\"dimensions\": []},"
	"\"plan\": {\"plans\": [], \"due\": 0, \"done_on_time\": 0, "
	"\"done_late\": 0, \"overdue\": 0, \"open\": 0, \"requests\": 0, "
	"\"note\": \"Không có nhiệm vụ đến hạn trong kỳ.\", \"by_unit\": [], "
	"\"by_dimension\": [], \"late\": [], \"targets\": []},"
	"\"voice\": {\"received\": 0, \"answered\": 0, \"on_time\": 0, "
	"\"overdue\": 0, \"note\": null, \"by_type\": []},"
	"\"disclosure\": {\"missing\": 0, \"late\": 0, \"faulty\": 0, "
	"\"note\": null, \"items\": []},"
	"\"outreach\": {\"activities\": 0, \"villages\": 0, "
	"\"villages_missed\": 0, \"note\": null, \"gaps\": []},"
	"\"oversight\": {\"open_findings\": 0, \"open_recommendations\": 0, "
	"\"note\": null, \"findings\": []}}";

static const char full_fig[] =
	"{\"commune\": {\"id\": 7, \"code\": \"12424\", \"name\": \"Tiên "
	"Tiến\", \"full_name\": \"Xã Tiên Tiến\", \"province\": \"Hưng "
	"Yên\"},"
	"\"period\": {\"from\": \"2024-12-15\", \"to\": \"2025-03-14\"},"
	"\"papi\": {\"year\": 2025, \"source\": \"estimate\", \"source_vi\": "
	"\"Khảo sát 2025\", \"note\": null, \"tier_note\": null, "
	"\"last_year\": 2024,"
	" \"total\": {\"code\": \"total\", \"score\": 44.5, \"lo\": 42.1, "
	"\"hi\": 46.9, \"tier\": \"Cao\", \"last_year\": 43.0, \"province\": "
	"45.2},"
	" \"dimensions\": [{\"code\": \"D1\", \"name\": \"Tham gia của người "
	"dân ở cấp cơ sở\", \"score\": 5.125, \"lo\": 4.9, \"hi\": 5.35, "
	"\"tier\": \"Trung bình cao\", \"last_year\": 5.0, \"province\": "
	"5.2}, {\"code\": \"D2\", \"name\": \"Công khai, minh bạch\", "
	"\"score\": null, \"lo\": null, \"hi\": null, \"tier\": null, "
	"\"last_year\": null, \"province\": 5.6}]},"
	"\"plan\": {\"plans\": [{\"id\": 3, \"number_text\": \"05/KH-UBND\", "
	"\"issued_on\": \"2025-01-06\", \"title\": \"Nâng cao Chỉ số PAPI "
	"năm 2025\", \"year\": 2025}], \"due\": 12, \"done_on_time\": 8, "
	"\"done_late\": 2, \"overdue\": 2, \"open\": 3, \"requests\": 2, "
	"\"explanations\": 1, \"note\": null,"
	" \"by_unit\": [{\"unit_id\": 11, \"unit\": \"Văn phòng – Thống "
	"kê\", \"due\": 7, \"done_on_time\": 5, \"done_late\": 1, "
	"\"overdue\": 1, \"explanations\": 1, \"score\": 75.0}, "
	"{\"unit_id\": 12, \"unit\": \"Tư pháp – Hộ tịch\", \"due\": 5, "
	"\"done_on_time\": 3, \"done_late\": 1, \"overdue\": 1, "
	"\"explanations\": 0, \"score\": null}],"
	" \"by_dimension\": [{\"code\": \"D2\", \"name\": \"Công khai, minh "
	"bạch\", \"tasks\": 4, \"done\": 3, \"overdue\": 1}],"
	" \"late\": [{\"task_id\": 40, \"plan_id\": 3, \"title\": \"Niêm "
	"yết công khai dự toán ngân sách\", \"unit\": \"Văn phòng – Thống "
	"kê\", \"due\": \"2025-02-10\", \"status\": \"overdue\", "
	"\"progress\": 50, \"done\": null, \"requests\": [{\"sent\": "
	"\"2025-02-12T03:00:00Z\", \"question\": \"Đề nghị giải trình lý do "
	"chậm\", \"answer\": \"Chờ số liệu của huyện\", \"answered\": "
	"\"2025-02-13T03:00:00Z\"}]}],"
	" \"targets\": [{\"plan_id\": 3, \"measure\": \"total\", "
	"\"dimension\": \"Tổng điểm PAPI\", \"target\": \"Giữ vững bậc\", "
	"\"actual\": \"Bậc Cao\", \"met\": true, \"state_vi\": \"Đạt\"}]},"
	"\"voice\": {\"received\": 15, \"answered\": 12, \"on_time\": 10, "
	"\"overdue\": 1, \"note\": null, \"by_type\": [{\"type\": "
	"\"feedback\", \"name\": \"Phản ánh\", \"received\": 15, "
	"\"answered\": 12, \"on_time\": 10, \"overdue\": 1}]},"
	"\"disclosure\": {\"missing\": 1, \"late\": 0, \"faulty\": 0, "
	"\"note\": null, \"items\": [{\"item\": 3, \"title\": \"Dự toán ngân "
	"sách xã\", \"state\": \"missing\", \"problem\": \"Chưa công khai: "
	"Quý IV năm 2024\"}]},"
	"\"outreach\": {\"activities\": 6, \"villages\": 5, "
	"\"villages_missed\": 2, \"note\": null, \"gaps\": [{\"topic\": "
	"\"Phòng chống tham nhũng\", \"villages_missed\": [\"Thôn 2\", "
	"\"Thôn 4\"]}]},"
	"\"oversight\": {\"open_findings\": 1, \"open_recommendations\": 2, "
	"\"note\": null, \"findings\": [{\"id\": 9, \"inspection\": \"Kiểm "
	"tra công tác một cửa\", \"text\": \"Trả kết quả chậm\", \"status\": "
	"\"Chưa khắc phục\", \"recommendations\": [{}, {}]}]}}";

static json_t *load(const char *text)
{
	json_error_t je;
	json_t *o = json_loads(text, 0, &je);
	if (!o)
		fail_msg("figures: %s (line %d)", je.text, je.line);
	return o;
}

static json_t *build(struct arena *a, const struct report_spec *s,
		     const char *fig)
{
	json_t *f = load(fig), *doc;
	struct error e = {0};
	if (report_build(a, s, f, &doc, &e))
		fail_msg("build: %s", e.msg);
	json_decref(f);
	return doc;
}

static const char *S(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	if (!s)
		fail_msg("%s: not a string", k);
	return s;
}

/* The blocks' texts and titles, one per line, for looking things up. */
static char *flat(const json_t *doc)
{
	static char buf[1 << 16];
	size_t n = 0;
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(doc, "blocks"), i, b)
	{
		const char *t = json_string_value(json_object_get(b, "text"));
		if (!t)
			t = json_string_value(json_object_get(b, "title"));
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n",
				      t ? t : "");
	}
	return buf;
}

static const json_t *block_titled(const json_t *doc, const char *prefix)
{
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(doc, "blocks"), i, b)
	{
		const char *t = json_string_value(json_object_get(b, "title"));
		if (t && !strncmp(t, prefix, strlen(prefix)))
			return b;
	}
	fail_msg("no block titled %s", prefix);
	return NULL;
}

static const char *const headings[] = {
	"I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH",
	"II. TIẾP NHẬN, GIẢI QUYẾT PHẢN ÁNH, KIẾN NGHỊ CỦA NGƯỜI DÂN",
	"III. CÔNG KHAI, MINH BẠCH VÀ TUYÊN TRUYỀN",
	"IV. KẾT QUẢ KHẮC PHỤC SAU KIỂM TRA, GIÁM SÁT",
	"V. CHỈ SỐ PAPI CỦA XÃ",
	"VI. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
};

static void assert_headings(const json_t *doc)
{
	size_t k = 0, i;
	json_t *b;
	json_array_foreach(json_object_get(doc, "blocks"), i, b)
	{
		if (strcmp(S(b, "type"), "heading") ||
		    json_integer_value(json_object_get(b, "level")) != 1)
			continue;
		assert_true(k < sizeof headings / sizeof *headings);
		assert_string_equal(S(b, "text"), headings[k]);
		k++;
	}
	assert_int_equal(k, sizeof headings / sizeof *headings);
}

static void test_head_foot(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 20);
	json_t *doc = build(&a, &spec_q1, empty_fig);
	assert_string_equal(S(doc, "kind"), "BC");
	assert_string_equal(S(doc, "type"), "BÁO CÁO");
	const json_t *iss = json_object_get(doc, "issuer");
	assert_int_equal(json_array_size(iss), 2);
	assert_string_equal(json_string_value(json_array_get(iss, 1)),
			    "XÃ TIÊN TIẾN");
	assert_string_equal(S(doc, "number_text"), "Số: 12/BC-UBND");
	/* a leading zero for the day below 10; none for March */
	assert_string_equal(S(doc, "place_date"),
			    "Tiên Tiến, ngày 05 tháng 3 năm 2025");
	assert_string_equal(S(doc, "subject"),
			    "Kết quả thực hiện Kế hoạch nâng cao Chỉ số PAPI "
			    "quý I năm 2025");
	const json_t *sig = json_object_get(doc, "signature");
	assert_string_equal(S(sig, "mode"), "TM. ỦY BAN NHÂN DÂN");
	assert_string_equal(S(sig, "title"), "CHỦ TỊCH");
	assert_string_equal(S(sig, "name"), "Nguyễn Văn A");
	const json_t *rec = json_object_get(doc, "recipients");
	assert_int_equal(json_array_size(rec), 2);
	assert_string_equal(json_string_value(json_array_get(rec, 0)),
			    "UBND tỉnh Hưng Yên;");
	assert_string_equal(json_string_value(json_array_get(rec, 1)),
			    "Lưu: VT, VP.");
	json_decref(doc);

	/* a draft in February, signed for the chair, no recipients given */
	struct report_spec s = spec_q1;
	s.number_text = "";
	s.issued_on = "2025-02-14";
	s.sign_mode = "KT.";
	s.signer_title = "PHÓ CHỦ TỊCH";
	s.recipients = "";
	doc = build(&a, &s, empty_fig);
	assert_string_equal(S(doc, "number_text"), "Số:      /BC-UBND");
	assert_string_equal(S(doc, "place_date"),
			    "Tiên Tiến, ngày 14 tháng 02 năm 2025");
	sig = json_object_get(doc, "signature");
	assert_string_equal(S(sig, "mode"), "KT. CHỦ TỊCH");
	assert_string_equal(S(sig, "title"), "PHÓ CHỦ TỊCH");
	rec = json_object_get(doc, "recipients");
	assert_string_equal(json_string_value(json_array_get(rec, 0)),
			    "Lưu: VT, VP.");
	json_decref(doc);
	arena_release(&a);
}

/* Every part empty: the six headings, each part in words, no table. */
static void test_empty_parts(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 20);
	json_t *doc = build(&a, &spec_q1, empty_fig);
	assert_headings(doc);
	const char *t = flat(doc);
	assert_non_null(strstr(t, "Không có nhiệm vụ đến hạn trong kỳ."));
	assert_non_null(
		strstr(t, "Không tiếp nhận phản ánh, kiến nghị nào trong kỳ."));
	assert_non_null(strstr(t, "Các nội dung phải công khai đến kỳ đều "
				  "đã được công khai."));
	assert_non_null(
		strstr(t, "Không có hoạt động tuyên truyền nào trong kỳ."));
	assert_non_null(strstr(t, "Không có kết luận kiểm tra, giám sát nào "
				  "chưa khắc phục."));
	assert_non_null(
		strstr(t, "Xã chưa có kết quả khảo sát PAPI đến năm 2025."));
	assert_non_null(strstr(t, "Không có nhiệm vụ quá hạn."));
	assert_non_null(strstr(t, "Căn cứ nhiệm vụ được giao, Ủy ban nhân "
				  "dân xã Tiên Tiến báo cáo kết quả thực "
				  "hiện quý I năm 2025 (số liệu từ ngày "
				  "15/12/2024 đến ngày 14/03/2025) như sau:"));
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(doc, "blocks"), i, b)
	{
		assert_string_not_equal(S(b, "type"), "table");
		assert_string_not_equal(S(b, "type"), "chart");
	}
	json_decref(doc);
	arena_release(&a);
}

/* Every part full: headings, sentences, the cells of each table. */
static void test_full_parts(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 20);
	json_t *doc = build(&a, &spec_q1, full_fig);
	assert_headings(doc);
	const char *t = flat(doc);
	assert_non_null(strstr(
		t, "Trong kỳ có 12 nhiệm vụ đến hạn; đã hoàn thành 10 nhiệm "
		   "vụ (đạt 83,3%), trong đó tám nhiệm vụ hoàn thành đúng "
		   "hạn, hai nhiệm vụ hoàn thành chậm; hai nhiệm vụ quá hạn "
		   "chưa hoàn thành; ba nhiệm vụ đang thực hiện, còn trong "
		   "hạn."));
	assert_non_null(strstr(t, "Thực hiện Kế hoạch số 05/KH-UBND ngày "
				  "06/01/2025 về nâng cao Chỉ số PAPI"));
	/* table 1: per unit, then the total */
	const json_t *t1 =
		block_titled(doc, "Bảng 1. Kết quả thực hiện nhiệm vụ theo "
				  "đơn vị chủ trì");
	const json_t *rows = json_object_get(t1, "rows");
	assert_int_equal(json_array_size(rows), 3);
	const json_t *r0 = json_array_get(rows, 0);
	assert_int_equal(json_integer_value(json_array_get(r0, 0)), 1);
	assert_string_equal(json_string_value(json_array_get(r0, 1)),
			    "Văn phòng – Thống kê");
	assert_int_equal(json_integer_value(json_array_get(r0, 2)), 7);
	assert_int_equal(json_integer_value(json_array_get(r0, 5)), 1);
	assert_float_equal(json_real_value(json_array_get(r0, 7)), 75.0, 0);
	assert_true(json_is_null(
		json_array_get(json_array_get(rows, 1), 7))); /* no score */
	const json_t *tot = json_array_get(rows, 2);
	assert_string_equal(json_string_value(json_array_get(tot, 1)),
			    "Tổng cộng");
	assert_int_equal(json_integer_value(json_array_get(tot, 2)), 12);
	assert_int_equal(json_array_size(json_object_get(t1, "columns")),
			 json_array_size(json_object_get(t1, "formats")));
	/* the bar chart of the units */
	const json_t *c1 = block_titled(doc, "Biểu đồ 1.");
	assert_string_equal(S(c1, "chart"), "bar");
	assert_int_equal(json_array_size(json_object_get(c1, "series")), 3);
	/* table 2: the dimensions, a share */
	const json_t *t2 = block_titled(doc, "Bảng 2.");
	const json_t *d0 = json_array_get(json_object_get(t2, "rows"), 0);
	assert_string_equal(json_string_value(json_array_get(d0, 0)), "D2");
	assert_float_equal(json_real_value(json_array_get(d0, 5)), 0.75, 1e-12);
	/* table 3: cases, total row */
	const json_t *t3 = block_titled(doc, "Bảng 3. Phản ánh, kiến nghị "
					     "theo loại");
	assert_int_equal(json_array_size(json_object_get(t3, "rows")), 2);
	assert_non_null(strstr(t, "tiếp nhận 15 phản ánh, kiến nghị, đơn thư "
				  "của người dân; đã trả lời 12 (80,0%), "
				  "trong đó 10 trả lời đúng hạn; một trường "
				  "hợp quá hạn giải quyết."));
	/* table 4: disclosure, 5: outreach gaps, 6: findings */
	const json_t *t4 = block_titled(doc, "Bảng 4.");
	assert_string_equal(
		json_string_value(json_array_get(
			json_array_get(json_object_get(t4, "rows"), 0), 2)),
		"Chưa công khai: Quý IV năm 2024");
	const json_t *t5 = block_titled(doc, "Bảng 5.");
	assert_string_equal(
		json_string_value(json_array_get(
			json_array_get(json_object_get(t5, "rows"), 0), 1)),
		"Thôn 2, Thôn 4");
	const json_t *t6 = block_titled(doc, "Bảng 6.");
	assert_int_equal(
		json_integer_value(json_array_get(
			json_array_get(json_object_get(t6, "rows"), 0), 3)),
		2);
	/* table 7: PAPI with CIs and tiers; the radar against last year
	 * and the province */
	const json_t *t7 = block_titled(doc, "Bảng 7. Chỉ số PAPI năm 2025");
	const json_t *p0 = json_array_get(json_object_get(t7, "rows"), 0);
	assert_string_equal(json_string_value(json_array_get(p0, 0)),
			    "D1. Tham gia của người dân ở cấp cơ sở");
	assert_float_equal(json_real_value(json_array_get(p0, 1)), 5.125, 0);
	assert_float_equal(json_real_value(json_array_get(p0, 2)), 4.9, 0);
	assert_string_equal(json_string_value(json_array_get(p0, 4)),
			    "Trung bình cao");
	const json_t *p1 = json_array_get(json_object_get(t7, "rows"), 1);
	assert_true(json_is_null(json_array_get(p1, 1)));
	assert_string_equal(json_string_value(json_array_get(p1, 4)), "");
	const json_t *pt = json_array_get(json_object_get(t7, "rows"), 2);
	assert_string_equal(json_string_value(json_array_get(pt, 0)),
			    "Tổng điểm PAPI");
	const json_t *radar = block_titled(doc, "Biểu đồ 2.");
	assert_string_equal(S(radar, "chart"), "radar");
	const json_t *ser = json_object_get(radar, "series");
	assert_int_equal(json_array_size(ser), 3);
	assert_string_equal(S(json_array_get(ser, 0), "name"), "Năm 2025");
	assert_string_equal(S(json_array_get(ser, 1), "name"), "Năm 2024");
	assert_string_equal(S(json_array_get(ser, 2), "name"), "Tỉnh Hưng Yên");
	assert_non_null(strstr(t, "Còn một kỳ công khai đã hết hạn nhưng "
				  "chưa công khai, cụ thể:"));
	assert_non_null(strstr(t, "Theo kết quả đợt khảo sát “Khảo sát "
				  "2025”, ước lượng Chỉ số PAPI năm 2025"));
	assert_non_null(strstr(t, "đạt 44,50 điểm (khoảng tin cậy 95%: 42,10 "
				  "– 46,90 điểm)"));
	/* part VI: the late task with its explanation */
	assert_non_null(strstr(t, "- Niêm yết công khai dự toán ngân sách "
				  "(Văn phòng – Thống kê; hạn 10/02/2025; "
				  "quá hạn, đã thực hiện 50%)."));
	assert_non_null(strstr(t, "Yêu cầu giải trình ngày 12/02/2025: Đề "
				  "nghị giải trình lý do chậm. Giải trình "
				  "của đơn vị: Chờ số liệu của huyện"));
	json_decref(doc);
	arena_release(&a);
}

static void test_plan_report(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 20);
	struct report_spec s = spec_q1;
	s.kind = REPORT_PLAN;
	s.plan_id = 3;
	json_t *doc = build(&a, &s, full_fig);
	assert_string_equal(S(doc, "subject"),
			    "Kết quả thực hiện Kế hoạch số 05/KH-UBND ngày "
			    "06/01/2025 về nâng cao Chỉ số PAPI năm 2025");
	const char *t = flat(doc);
	assert_non_null(strstr(t, "I. KẾT QUẢ THỰC HIỆN THEO LĨNH VỰC"));
	assert_non_null(strstr(t, "II. KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ"));
	assert_non_null(
		strstr(t, "III. NHIỆM VỤ CHẬM, QUÁ HẠN VÀ NGUYÊN NHÂN"));
	assert_non_null(strstr(t, "Giải trình của đơn vị: Chờ số liệu"));
	const json_t *tt = block_titled(doc, "Bảng 3. Mục tiêu và kết quả");
	const json_t *r0 = json_array_get(json_object_get(tt, "rows"), 0);
	assert_string_equal(json_string_value(json_array_get(r0, 1)),
			    "Giữ vững bậc");
	assert_string_equal(json_string_value(json_array_get(r0, 3)), "Đạt");
	json_decref(doc);
	/* a plan without figures says so */
	doc = build(&a, &s, empty_fig);
	t = flat(doc);
	assert_non_null(strstr(t, "Không có nhiệm vụ chậm, quá hạn trong kỳ."));
	assert_non_null(strstr(t, "Kế hoạch không đặt mục tiêu"));
	json_decref(doc);
	arena_release(&a);
}

static void test_refused(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 16);
	json_t *doc, *arr = json_array();
	struct error e = {0};
	assert_int_equal(report_build(&a, &spec_q1, arr, &doc, &e),
			 ERR_INVALID);
	struct report_spec s = spec_q1;
	s.kind = REPORT_PLAN;
	s.plan_id = 0;
	json_t *f = load(empty_fig);
	assert_int_equal(report_build(&a, &s, f, &doc, &e), ERR_INVALID);
	json_decref(f);
	json_decref(arr);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_foot),
		cmocka_unit_test(test_empty_parts),
		cmocka_unit_test(test_full_parts),
		cmocka_unit_test(test_plan_report),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
