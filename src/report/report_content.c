/* A report's document from its figures (report.h): the periodic report
 * to the upper level (parts I-VI) and a plan's own report, worded as a
 * commune's report is ("Ủy ban nhân dân xã ... báo cáo như sau:"), each
 * part saying in words when it has nothing. A pure function of the spec
 * and the figures: a stored report's figures give the same document
 * again. Numbers stay numbers in tables (the renderers format them); in
 * sentences a count under ten is written in words and none as "không
 * có", as a report would. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "report.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { ISSUER_LINES_MAX = 4, RECIPIENTS_MAX = 30 };

struct doc {
	struct arena *a;
	json_t *blocks;
	int tables, charts;
};

static const char *str(const char *s)
{
	return s ? s : "";
}

static const char *jstr_of(const json_t *o, const char *k)
{
	return str(json_string_value(json_object_get(o, k)));
}

static long long jint_of(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static double jreal_of(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* "hai", "chín"; 10 and more as digits; 0 is the caller's to word. */
static const char *count_vi(struct arena *a, long long n)
{
	static const char *const w[] = {"không", "một", "hai", "ba",  "bốn",
					"năm",   "sáu", "bảy", "tám", "chín"};
	if (n >= 0 && n < 10)
		return w[n];
	return text_format_number(a, (double)n, 0);
}

/* "83,3%" of part over whole; "" when whole is 0. */
static const char *pct(struct arena *a, long long part, long long whole)
{
	if (whole <= 0)
		return "";
	return arena_printf(
		a, "%s%%",
		text_format_number(a, 100.0 * (double)part / (double)whole, 1));
}

/* "xã Tiên Tiến" of "Xã Tiên Tiến" inside a sentence (Xã, Phường, Thị
 * trấn all begin with an ASCII capital). */
static const char *unit_in_sentence(struct arena *a, const char *full)
{
	char *s = arena_strdup(a, str(full));
	if (s && *s >= 'A' && *s <= 'Z')
		*s = (char)(*s - 'A' + 'a');
	return str(s);
}

static const char *date_vi(struct arena *a, const char *iso)
{
	const char *d = text_format_date(a, iso);
	return d && *d ? d : str(iso);
}

/* ---- blocks ---- */

static void heading(struct doc *d, int level, const char *text)
{
	json_array_append_new(d->blocks,
			      json_pack("{s:s, s:i, s:s}", "type", "heading",
					"level", level, "text", str(text)));
}

static void para(struct doc *d, const char *text)
{
	json_array_append_new(d->blocks,
			      json_pack("{s:s, s:s}", "type", "paragraph",
					"text", str(text)));
}

struct col {
	const char *title, *align, *format;
	int width;
};

/* A table; rows is taken (a new reference). */
static void table(struct doc *d, const char *title, const struct col *cols,
		  int ncols, json_t *rows)
{
	json_t *c = json_array(), *f = json_array();
	for (int i = 0; i < ncols; i++) {
		json_array_append_new(c, json_pack("{s:s, s:s, s:i}", "title",
						   cols[i].title, "align",
						   cols[i].align, "width",
						   cols[i].width));
		json_array_append_new(f, json_string(cols[i].format));
	}
	d->tables++;
	json_array_append_new(
		d->blocks,
		json_pack("{s:s, s:s, s:o, s:o, s:o}", "type", "table", "title",
			  arena_printf(d->a, "Bảng %d. %s", d->tables, title),
			  "columns", c, "rows", rows, "formats", f));
}

/* A chart; categories and series are taken. */
static void chart(struct doc *d, const char *kind, const char *title,
		  json_t *categories, double y_min, double y_max,
		  json_t *series)
{
	d->charts++;
	json_array_append_new(
		d->blocks, json_pack("{s:s, s:s, s:s, s:o, s:f, s:f, s:o}",
				     "type", "chart", "chart", kind, "title",
				     arena_printf(d->a, "Biểu đồ %d. %s",
						  d->charts, title),
				     "categories", categories, "y_min", y_min,
				     "y_max", y_max, "series", series));
}

static json_t *series(const char *name, json_t *values)
{
	return json_pack("{s:s, s:o}", "name", name, "values", values);
}

/* ---- the head and the foot ---- */

static json_t *lines_of(struct arena *a, const char *text, int max,
			const char *last)
{
	json_t *out = json_array();
	const char *p = str(text);
	while (*p && (int)json_array_size(out) < max) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		const char *s = p;
		while (n && (*s == ' ' || *s == '-')) {
			s++;
			n--;
		}
		if (n)
			json_array_append_new(
				out, json_string(arena_printf(a, "%.*s", (int)n,
							      s)));
		if (!nl)
			break;
		p = nl + 1;
	}
	if (last && !json_array_size(out))
		json_array_append_new(out, json_string(last));
	return out;
}

/* "Tiên Tiến, ngày 05 tháng 3 năm 2025": the day with a leading zero
 * below 10, the month with one for January and February (Nghị định
 * 30/2020). */
static const char *place_date(struct arena *a, const char *place,
			      const char *iso)
{
	struct date d;
	if (!iso || !date_parse_iso(iso, &d))
		return arena_printf(a, "%s, ngày      tháng      năm",
				    str(place));
	return arena_printf(a, "%s, ngày %02d tháng %s%d năm %d", str(place),
			    d.d, d.m <= 2 ? "0" : "", d.m, d.y);
}

static void head(struct arena *a, const struct report_spec *s, json_t *doc)
{
	json_object_set_new(doc, "kind", json_string("BC"));
	json_object_set_new(doc, "type", json_string("BÁO CÁO"));
	json_object_set_new(doc, "issuer",
			    lines_of(a, s->issuer, ISSUER_LINES_MAX, NULL));
	json_object_set_new(
		doc, "number_text",
		json_string(s->number_text && *s->number_text
				    ? arena_printf(a, "Số: %s", s->number_text)
				    : "Số:      /BC-UBND"));
	json_object_set_new(doc, "place_date",
			    json_string(place_date(a, s->place, s->issued_on)));
}

/* "ỦY BAN NHÂN DÂN" of the issuer's first line for "TM. ỦY BAN NHÂN
 * DÂN"; KT. signs for the chair. */
static void foot(struct arena *a, const struct report_spec *s, json_t *doc)
{
	json_t *issuer = json_object_get(doc, "issuer");
	const char *body =
		json_array_size(issuer)
			? json_string_value(json_array_get(issuer, 0))
			: "ỦY BAN NHÂN DÂN";
	bool kt = s->sign_mode && !strcmp(s->sign_mode, "KT.");
	json_object_set_new(
		doc, "signature",
		json_pack("{s:s, s:s, s:s}", "mode",
			  kt ? "KT. CHỦ TỊCH" : arena_printf(a, "TM. %s", body),
			  "title",
			  s->signer_title && *s->signer_title
				  ? s->signer_title
				  : (kt ? "PHÓ CHỦ TỊCH" : "CHỦ TỊCH"),
			  "name", str(s->signer_name)));
	json_t *rec = lines_of(a, s->recipients, RECIPIENTS_MAX, NULL);
	size_t n = json_array_size(rec);
	const char *last =
		n ? json_string_value(json_array_get(rec, n - 1)) : NULL;
	if (!last || strncmp(last, "Lưu", strlen("Lưu")))
		json_array_append_new(rec, json_string("Lưu: VT, VP."));
	json_object_set_new(doc, "recipients", rec);
}

/* ---- part I: the plan ---- */

static const struct col unit_cols[] = {
	{"STT", "center", "int", 1},
	{"Đơn vị chủ trì", "left", "text", 5},
	{"Đến hạn", "right", "int", 2},
	{"Hoàn thành đúng hạn", "right", "int", 2},
	{"Hoàn thành chậm", "right", "int", 2},
	{"Quá hạn", "right", "int", 2},
	{"Yêu cầu giải trình", "right", "int", 2},
	{"Điểm", "right", "score", 2},
};

static void plan_units(struct doc *d, const json_t *plan)
{
	const json_t *units = json_object_get(plan, "by_unit");
	json_t *rows = json_array(), *cats = json_array(), *on = json_array(),
	       *late = json_array(), *over = json_array();
	size_t i;
	json_t *u;
	double ymax = 1;
	json_array_foreach(units, i, u)
	{
		json_array_append_new(
			rows, json_pack("[I, s, I, I, I, I, I, O]",
					(json_int_t)i + 1, jstr_of(u, "unit"),
					(json_int_t)jint_of(u, "due"),
					(json_int_t)jint_of(u, "done_on_time"),
					(json_int_t)jint_of(u, "done_late"),
					(json_int_t)jint_of(u, "overdue"),
					(json_int_t)jint_of(u, "explanations"),
					json_object_get(u, "score")
						? json_object_get(u, "score")
						: json_null()));
		json_array_append_new(cats, json_string(jstr_of(u, "unit")));
		json_array_append_new(on,
				      json_integer(jint_of(u, "done_on_time")));
		json_array_append_new(late,
				      json_integer(jint_of(u, "done_late")));
		json_array_append_new(over,
				      json_integer(jint_of(u, "overdue")));
		if (jint_of(u, "due") > ymax)
			ymax = (double)jint_of(u, "due");
	}
	json_array_append_new(
		rows, json_pack("[n, s, I, I, I, I, I, n]", "Tổng cộng",
				(json_int_t)jint_of(plan, "due"),
				(json_int_t)jint_of(plan, "done_on_time"),
				(json_int_t)jint_of(plan, "done_late"),
				(json_int_t)jint_of(plan, "overdue"),
				(json_int_t)jint_of(plan, "explanations")));
	table(d, "Kết quả thực hiện nhiệm vụ theo đơn vị chủ trì", unit_cols,
	      (int)(sizeof unit_cols / sizeof *unit_cols), rows);
	chart(d, "bar", "Nhiệm vụ đến hạn theo đơn vị chủ trì", cats, 0, ymax,
	      json_pack("[o, o, o]", series("Hoàn thành đúng hạn", on),
			series("Hoàn thành chậm", late),
			series("Quá hạn", over)));
}

static const struct col dim_cols[] = {
	{"Lĩnh vực", "center", "text", 1},
	{"Tên lĩnh vực", "left", "text", 6},
	{"Nhiệm vụ", "right", "int", 2},
	{"Đã hoàn thành", "right", "int", 2},
	{"Quá hạn", "right", "int", 2},
	{"Tỷ lệ hoàn thành", "right", "percent", 2},
};

static void plan_dimensions(struct doc *d, const json_t *plan)
{
	json_t *rows = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(plan, "by_dimension"), i, x)
	{
		long long t = jint_of(x, "tasks"), done = jint_of(x, "done");
		json_array_append_new(
			rows, json_pack("[s, s, I, I, I, o]",
					jstr_of(x, "code"), jstr_of(x, "name"),
					(json_int_t)t, (json_int_t)done,
					(json_int_t)jint_of(x, "overdue"),
					t ? json_real((double)done / (double)t)
					  : json_null()));
	}
	table(d, "Nhiệm vụ đến hạn theo lĩnh vực của Chỉ số PAPI", dim_cols,
	      (int)(sizeof dim_cols / sizeof *dim_cols), rows);
}

/* The sentence of the totals. */
static const char *plan_summary(struct arena *a, const json_t *plan)
{
	long long due = jint_of(plan, "due"),
		  on = jint_of(plan, "done_on_time"),
		  late = jint_of(plan, "done_late"),
		  over = jint_of(plan, "overdue"), open = jint_of(plan, "open");
	long long done = on + late;
	return arena_printf(
		a,
		"Trong kỳ có %s nhiệm vụ đến hạn; đã hoàn thành %s nhiệm vụ "
		"(đạt %s), trong đó %s nhiệm vụ hoàn thành đúng hạn, %s nhiệm "
		"vụ hoàn thành chậm; %s; %s.",
		text_format_number(a, (double)due, 0),
		text_format_number(a, (double)done, 0), pct(a, done, due),
		count_vi(a, on), count_vi(a, late),
		over ? arena_printf(a, "%s nhiệm vụ quá hạn chưa hoàn thành",
				    count_vi(a, over))
		     : "không có nhiệm vụ quá hạn",
		open ? arena_printf(a,
				    "%s nhiệm vụ đang thực hiện, còn trong "
				    "hạn",
				    count_vi(a, open))
		     : "không còn nhiệm vụ nào đang thực hiện");
}

static void part_plan(struct doc *d, const json_t *f)
{
	struct arena *a = d->a;
	const json_t *plan = json_object_get(f, "plan");
	heading(d, 1, "I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH");
	if (!jint_of(plan, "due")) {
		const char *note = jstr_of(plan, "note");
		para(d, *note ? note : "Không có nhiệm vụ đến hạn trong kỳ.");
		return;
	}
	para(d, plan_summary(a, plan));
	heading(d, 2, "1. Kết quả theo đơn vị chủ trì");
	plan_units(d, plan);
	heading(d, 2, "2. Kết quả theo lĩnh vực");
	if (json_array_size(json_object_get(plan, "by_dimension")))
		plan_dimensions(d, plan);
	else
		para(d, "Các nhiệm vụ đến hạn trong kỳ chưa gắn với lĩnh vực "
			"nào của Chỉ số PAPI.");
}

/* ---- part II: citizens' cases ---- */

static const struct col case_cols[] = {
	{"Loại", "left", "text", 5},
	{"Tiếp nhận", "right", "int", 2},
	{"Đã trả lời", "right", "int", 2},
	{"Trả lời đúng hạn", "right", "int", 2},
	{"Quá hạn", "right", "int", 2},
	{"Tỷ lệ đúng hạn", "right", "percent", 2},
};

static json_t *ratio(long long part, long long whole)
{
	return whole ? json_real((double)part / (double)whole) : json_null();
}

static void part_voice(struct doc *d, const json_t *f)
{
	struct arena *a = d->a;
	const json_t *v = json_object_get(f, "voice");
	heading(d, 1,
		"II. TIẾP NHẬN, GIẢI QUYẾT PHẢN ÁNH, KIẾN NGHỊ CỦA NGƯỜI "
		"DÂN");
	long long rec = jint_of(v, "received"), ans = jint_of(v, "answered"),
		  on = jint_of(v, "on_time"), over = jint_of(v, "overdue");
	if (!rec) {
		const char *note = jstr_of(v, "note");
		para(d, *note ? note
			      : "Không tiếp nhận phản ánh, kiến nghị nào "
				"trong kỳ.");
		return;
	}
	para(d, arena_printf(
			a,
			"Trong kỳ, Ủy ban nhân dân xã tiếp nhận %s phản ánh, "
			"kiến nghị, đơn thư của người dân; đã trả lời %s (%s), "
			"trong đó %s trả lời đúng hạn; %s.",
			text_format_number(a, (double)rec, 0),
			text_format_number(a, (double)ans, 0), pct(a, ans, rec),
			text_format_number(a, (double)on, 0),
			over ? arena_printf(a,
					    "%s trường hợp quá hạn giải "
					    "quyết",
					    count_vi(a, over))
			     : "không có trường hợp quá hạn giải quyết"));
	json_t *rows = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(v, "by_type"), i, t)
		json_array_append_new(
			rows,
			json_pack("[s, I, I, I, I, o]", jstr_of(t, "name"),
				  (json_int_t)jint_of(t, "received"),
				  (json_int_t)jint_of(t, "answered"),
				  (json_int_t)jint_of(t, "on_time"),
				  (json_int_t)jint_of(t, "overdue"),
				  ratio(jint_of(t, "on_time"),
					jint_of(t, "answered"))));
	json_array_append_new(rows, json_pack("[s, I, I, I, I, o]", "Tổng cộng",
					      (json_int_t)rec, (json_int_t)ans,
					      (json_int_t)on, (json_int_t)over,
					      ratio(on, ans)));
	table(d, "Phản ánh, kiến nghị theo loại", case_cols,
	      (int)(sizeof case_cols / sizeof *case_cols), rows);
}

/* ---- part III: disclosure and outreach ---- */

static const struct col disc_cols[] = {
	{"STT", "center", "int", 1},
	{"Nội dung phải công khai", "left", "text", 6},
	{"Tồn tại", "left", "text", 5},
};
static const struct col gap_cols[] = {
	{"Chủ đề tuyên truyền", "left", "text", 4},
	{"Thôn chưa được tuyên truyền", "left", "text", 6},
};

static const char *join_names(struct arena *a, const json_t *arr)
{
	const char *s = "";
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) s = arena_printf(
		a, "%s%s%s", s, i ? ", " : "", str(json_string_value(x)));
	return s;
}

static void part_disclosure(struct doc *d, const json_t *f)
{
	struct arena *a = d->a;
	const json_t *ds = json_object_get(f, "disclosure"),
		     *o = json_object_get(f, "outreach");
	heading(d, 1, "III. CÔNG KHAI, MINH BẠCH VÀ TUYÊN TRUYỀN");
	heading(d, 2, "1. Công khai thông tin theo quy định");
	long long miss = jint_of(ds, "missing"), late = jint_of(ds, "late"),
		  bad = jint_of(ds, "faulty");
	const json_t *items = json_object_get(ds, "items");
	if (!miss && !late && !bad) {
		const char *note = jstr_of(ds, "note");
		para(d, *note ? note
			      : "Các nội dung phải công khai đến kỳ đều đã "
				"được công khai.");
	} else {
		const char *what = "";
		if (miss)
			what = arena_printf(a,
					    "%s kỳ công khai đã hết hạn nhưng "
					    "chưa công khai",
					    count_vi(a, miss));
		if (late)
			what = arena_printf(
				a, "%s%s%s kỳ đến hạn chưa công khai", what,
				*what ? ", " : "", count_vi(a, late));
		if (bad)
			what = arena_printf(a,
					    "%s%s%s lần công khai chưa đúng "
					    "quy định",
					    what, *what ? ", " : "",
					    count_vi(a, bad));
		para(d, arena_printf(a, "Còn %s, cụ thể:", what));
		json_t *rows = json_array();
		size_t i;
		json_t *x;
		json_array_foreach(items, i, x) json_array_append_new(
			rows,
			json_pack("[I, s, s]", (json_int_t)i + 1,
				  jstr_of(x, "title"), jstr_of(x, "problem")));
		table(d, "Nội dung công khai còn tồn tại", disc_cols,
		      (int)(sizeof disc_cols / sizeof *disc_cols), rows);
	}
	heading(d, 2, "2. Tuyên truyền, phổ biến đến Nhân dân");
	long long acts = jint_of(o, "activities"), nv = jint_of(o, "villages"),
		  missed = jint_of(o, "villages_missed");
	if (!acts) {
		const char *note = jstr_of(o, "note");
		para(d, *note ? note
			      : "Không có hoạt động tuyên truyền nào trong "
				"kỳ.");
		return;
	}
	para(d,
	     arena_printf(a,
			  "Trong kỳ tổ chức %s hoạt động tuyên truyền tại %s "
			  "thôn; %s.",
			  text_format_number(a, (double)acts, 0),
			  text_format_number(a, (double)nv, 0),
			  missed ? arena_printf(a,
						"còn %s thôn chưa được tuyên "
						"truyền đủ các chủ đề",
						count_vi(a, missed))
				 : "các đợt tuyên truyền đã đến tất cả các "
				   "thôn"));
	const json_t *gaps = json_object_get(o, "gaps");
	if (json_array_size(gaps)) {
		json_t *rows = json_array();
		size_t i;
		json_t *g;
		json_array_foreach(gaps, i, g) json_array_append_new(
			rows,
			json_pack(
				"[s, s]", jstr_of(g, "topic"),
				join_names(a, json_object_get(
						      g, "villages_missed"))));
		table(d, "Thôn chưa được tuyên truyền theo chủ đề", gap_cols,
		      (int)(sizeof gap_cols / sizeof *gap_cols), rows);
	}
}

/* ---- part IV: inspections ---- */

static const struct col find_cols[] = {
	{"STT", "center", "int", 1},
	{"Cuộc kiểm tra, giám sát", "left", "text", 4},
	{"Kết luận", "left", "text", 5},
	{"Kiến nghị chưa khắc phục", "right", "int", 2},
};

static void part_oversight(struct doc *d, const json_t *f)
{
	struct arena *a = d->a;
	const json_t *o = json_object_get(f, "oversight");
	heading(d, 1, "IV. KẾT QUẢ KHẮC PHỤC SAU KIỂM TRA, GIÁM SÁT");
	long long nf = jint_of(o, "open_findings"),
		  nr = jint_of(o, "open_recommendations");
	if (!nr) {
		const char *note = jstr_of(o, "note");
		para(d, *note ? note
			      : "Không có kết luận kiểm tra, giám sát nào "
				"chưa khắc phục.");
		return;
	}
	para(d, arena_printf(a,
			     "Còn %s kết luận kiểm tra, giám sát với %s kiến "
			     "nghị chưa khắc phục xong:",
			     count_vi(a, nf), count_vi(a, nr)));
	json_t *rows = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(o, "findings"), i, x)
		json_array_append_new(
			rows,
			json_pack("[I, s, s, I]", (json_int_t)i + 1,
				  jstr_of(x, "inspection"), jstr_of(x, "text"),
				  (json_int_t)json_array_size(json_object_get(
					  x, "recommendations"))));
	table(d, "Kết luận kiểm tra, giám sát chưa khắc phục", find_cols,
	      (int)(sizeof find_cols / sizeof *find_cols), rows);
}

/* ---- part V: PAPI ---- */

static const struct col papi_cols[] = {
	{"Lĩnh vực", "left", "text", 5},
	{"Điểm", "right", "score", 2},
	{"Cận dưới (KTC 95%)", "right", "score", 2},
	{"Cận trên (KTC 95%)", "right", "score", 2},
	{"Bậc", "center", "text", 2},
	{"Năm trước", "right", "score", 2},
	{"Tỉnh", "right", "score", 2},
};

static json_t *value_of(const json_t *o, const char *k)
{
	return num_or_null(jreal_of(o, k));
}

static json_t *papi_row(const json_t *x, const char *label)
{
	const json_t *tier = json_object_get(x, "tier");
	return json_pack("[s, o, o, o, s, o, o]", label, value_of(x, "score"),
			 value_of(x, "lo"), value_of(x, "hi"),
			 json_is_string(tier) ? json_string_value(tier) : "",
			 value_of(x, "last_year"), value_of(x, "province"));
}

static void part_papi(struct doc *d, const json_t *f)
{
	struct arena *a = d->a;
	const json_t *p = json_object_get(f, "papi");
	heading(d, 1, "V. CHỈ SỐ PAPI CỦA XÃ");
	const char *source = jstr_of(p, "source");
	if (!*source) {
		const char *note = jstr_of(p, "note");
		para(d, *note ? note : "Xã chưa có kết quả khảo sát PAPI.");
		return;
	}
	long long year = jint_of(p, "year"), last = jint_of(p, "last_year");
	const json_t *total = json_object_get(p, "total");
	double ts = jreal_of(total, "score");
	const char *from =
		!strcmp(source, "estimate")
			? arena_printf(a,
				       "Theo kết quả đợt khảo sát “%s”, "
				       "ước lượng Chỉ số PAPI năm %lld của xã",
				       jstr_of(p, "source_vi"), year)
			: arena_printf(a,
				       "Theo kết quả chính thức năm %lld, Chỉ "
				       "số PAPI của xã",
				       year);
	const char *tot =
		isfinite(ts)
			? arena_printf(
				  a, " đạt %s điểm%s",
				  text_format_number(a, ts, 2),
				  isfinite(jreal_of(total, "lo"))
					  ? arena_printf(
						    a,
						    " (khoảng tin cậy 95%%: %s "
						    "– %s điểm)",
						    text_format_number(
							    a,
							    jreal_of(total,
								     "lo"),
							    2),
						    text_format_number(
							    a,
							    jreal_of(total,
								     "hi"),
							    2))
					  : "")
			: " chưa đủ số liệu để tính tổng điểm";
	para(d,
	     arena_printf(a, "%s%s. Điểm từng lĩnh vực như sau:", from, tot));
	json_t *rows = json_array(), *cats = json_array(), *now = json_array(),
	       *prev = json_array(), *prov = json_array();
	bool has_prev = false, has_prov = false;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(p, "dimensions"), i, x)
	{
		const char *code = jstr_of(x, "code"),
			   *name = jstr_of(x, "name");
		json_array_append_new(
			rows, papi_row(x, *name ? arena_printf(a, "%s. %s",
							       code, name)
						: code));
		json_array_append_new(cats, json_string(code));
		json_array_append_new(now, value_of(x, "score"));
		json_array_append_new(prev, value_of(x, "last_year"));
		json_array_append_new(prov, value_of(x, "province"));
		has_prev |= isfinite(jreal_of(x, "last_year"));
		has_prov |= isfinite(jreal_of(x, "province"));
	}
	if (total)
		json_array_append_new(rows, papi_row(total, "Tổng điểm PAPI"));
	table(d, arena_printf(a, "Chỉ số PAPI năm %lld theo lĩnh vực", year),
	      papi_cols, (int)(sizeof papi_cols / sizeof *papi_cols), rows);
	const char *tn = jstr_of(p, "tier_note");
	if (*tn)
		para(d, tn);
	json_t *ser = json_array();
	json_array_append_new(ser,
			      series(arena_printf(a, "Năm %lld", year), now));
	if (has_prev)
		json_array_append_new(
			ser, series(last ? arena_printf(a, "Năm %lld", last)
					 : "Năm trước",
				    prev));
	else
		json_decref(prev);
	if (has_prov)
		json_array_append_new(
			ser, series(arena_printf(a, "Tỉnh %s",
						 jstr_of(json_object_get(
								 f, "commune"),
							 "province")),
				    prov));
	else
		json_decref(prov);
	chart(d, "radar",
	      arena_printf(a, "Điểm 8 lĩnh vực Chỉ số PAPI năm %lld", year),
	      cats, 1, 10, ser);
}

/* ---- part VI: next period ---- */

static void late_tasks(struct doc *d, const json_t *f, long long plan_id,
		       bool only_overdue)
{
	struct arena *a = d->a;
	const json_t *late =
		json_object_get(json_object_get(f, "plan"), "late");
	int n = 0;
	size_t i;
	json_t *t;
	json_array_foreach(late, i, t)
	{
		if (plan_id && jint_of(t, "plan_id") != plan_id)
			continue;
		bool over = !strcmp(jstr_of(t, "status"), "overdue");
		if (only_overdue && !over)
			continue;
		n++;
		para(d,
		     arena_printf(
			     a, "- %s (%s; hạn %s; %s).", jstr_of(t, "title"),
			     jstr_of(t, "unit"), date_vi(a, jstr_of(t, "due")),
			     over ? arena_printf(a,
						 "quá hạn, đã thực hiện "
						 "%lld%%",
						 jint_of(t, "progress"))
				  : arena_printf(
					    a, "hoàn thành chậm ngày %s",
					    date_vi(a, jstr_of(t, "done")))));
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(t, "requests"), k, r)
		{
			const char *ans = jstr_of(r, "answer");
			para(d, arena_printf(
					a, "Yêu cầu giải trình ngày %s: %s. %s",
					date_vi(a, arena_printf(
							   a, "%.10s",
							   jstr_of(r, "sent"))),
					jstr_of(r, "question"),
					*ans ? arena_printf(
						       a,
						       "Giải trình của đơn vị: "
						       "%s",
						       ans)
					     : "Đơn vị chưa giải trình."));
		}
		if (!json_array_size(json_object_get(t, "requests")))
			para(d, "Chưa có yêu cầu giải trình.");
	}
	if (!n)
		para(d, only_overdue ? "Không có nhiệm vụ quá hạn."
				     : "Không có nhiệm vụ chậm, quá hạn trong "
				       "kỳ.");
}

static void part_next(struct doc *d, const json_t *f)
{
	heading(d, 1, "VI. NHIỆM VỤ TRỌNG TÂM KỲ TỚI");
	heading(d, 2, "1. Các nhiệm vụ quá hạn cần tập trung hoàn thành");
	late_tasks(d, f, 0, true);
	heading(d, 2, "2. Nhiệm vụ chung");
	para(d, "- Các bộ phận chuyên môn tiếp tục thực hiện các nhiệm vụ "
		"của Kế hoạch theo đúng tiến độ; tập trung khắc phục các "
		"nhiệm vụ chậm, quá hạn và các tồn tại nêu trên.");
	para(d, "- Văn phòng HĐND và UBND xã theo dõi, đôn đốc, tổng hợp kết "
		"quả, báo cáo Chủ tịch UBND xã theo định kỳ.");
}

/* ---- a plan's own report ---- */

static const struct col target_cols[] = {
	{"Chỉ số", "left", "text", 4},
	{"Mục tiêu", "left", "text", 5},
	{"Kết quả", "left", "text", 5},
	{"Đánh giá", "center", "text", 2},
};

static const json_t *plan_of(const json_t *f, long long id)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(json_object_get(f, "plan"), "plans"),
			   i, p) if (jint_of(p, "id") == id) return p;
	return NULL;
}

/* "Kế hoạch số 05/KH-UBND ngày 06/01/2025 về nâng cao Chỉ số PAPI năm
 * 2025"; a draft: "Kế hoạch nâng cao ...". */
static const char *plan_name(struct arena *a, const json_t *p)
{
	const char *num = jstr_of(p, "number_text"),
		   *on = jstr_of(p, "issued_on"),
		   *title = unit_in_sentence(a, jstr_of(p, "title"));
	if (!*num)
		return arena_printf(a, "Kế hoạch %s", title);
	return arena_printf(a, "Kế hoạch số %s%s%s về %s", num,
			    *on ? " ngày " : "", *on ? date_vi(a, on) : "",
			    title);
}

static void plan_report(struct doc *d, const struct report_spec *s,
			const json_t *f, json_t *doc)
{
	struct arena *a = d->a;
	const json_t *p = plan_of(f, s->plan_id);
	const json_t *plan = json_object_get(f, "plan");
	const json_t *c = json_object_get(f, "commune");
	const json_t *per = json_object_get(f, "period");
	const char *name =
		p ? plan_name(a, p) : "Kế hoạch nâng cao Chỉ số PAPI";
	json_object_set_new(
		doc, "subject",
		json_string(arena_printf(a, "Kết quả thực hiện %s", name)));
	para(d, arena_printf(a,
			     "Thực hiện %s, Ủy ban nhân dân %s báo cáo kết quả "
			     "thực hiện từ ngày %s đến ngày %s "
			     "như sau:",
			     name, unit_in_sentence(a, jstr_of(c, "full_name")),
			     date_vi(a, jstr_of(per, "from")),
			     date_vi(a, jstr_of(per, "to"))));
	heading(d, 1, "I. KẾT QUẢ THỰC HIỆN THEO LĨNH VỰC");
	if (!jint_of(plan, "due")) {
		const char *note = jstr_of(plan, "note");
		para(d, *note ? note : "Không có nhiệm vụ đến hạn trong kỳ.");
	} else {
		para(d, plan_summary(a, plan));
		if (json_array_size(json_object_get(plan, "by_dimension")))
			plan_dimensions(d, plan);
		else
			para(d, "Các nhiệm vụ chưa gắn với lĩnh vực nào của "
				"Chỉ số PAPI.");
	}
	heading(d, 1, "II. KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ");
	if (json_array_size(json_object_get(plan, "by_unit")))
		plan_units(d, plan);
	else
		para(d, "Chưa có đơn vị nào có nhiệm vụ đến hạn.");
	heading(d, 1, "III. NHIỆM VỤ CHẬM, QUÁ HẠN VÀ NGUYÊN NHÂN");
	late_tasks(d, f, s->plan_id, false);
	heading(d, 1, "IV. KẾT QUẢ SO VỚI MỤC TIÊU CỦA KẾ HOẠCH");
	json_t *rows = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(plan, "targets"), i, t)
	{
		if (jint_of(t, "plan_id") != s->plan_id)
			continue;
		const char *actual = jstr_of(t, "actual"),
			   *reason = jstr_of(t, "reason");
		json_array_append_new(
			rows, json_pack("[s, s, s, s]", jstr_of(t, "dimension"),
					jstr_of(t, "target"),
					*actual   ? actual
					: *reason ? reason
						  : "Chưa có kết quả",
					jstr_of(t, "state_vi")));
	}
	if (json_array_size(rows))
		table(d, "Mục tiêu và kết quả đạt được", target_cols,
		      (int)(sizeof target_cols / sizeof *target_cols), rows);
	else {
		json_decref(rows);
		para(d, "Kế hoạch không đặt mục tiêu về điểm số, bậc hoặc "
			"thứ hạng của Chỉ số PAPI.");
	}
	heading(d, 1, "V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI");
	para(d, "- Các bộ phận chuyên môn tập trung hoàn thành các nhiệm vụ "
		"chậm, quá hạn nêu tại Mục III; giải trình đầy đủ, đúng hạn "
		"các yêu cầu giải trình.");
	para(d, "- Tiếp tục thực hiện các nhiệm vụ còn lại của Kế hoạch, phấn "
		"đấu đạt các mục tiêu đã đề ra.");
}

/* ---- report_build ---- */

enum err report_build(struct arena *a, const struct report_spec *spec,
		      const json_t *figures, json_t **out, struct error *e)
{
	*out = NULL;
	if (!spec || !json_is_object(figures))
		return error_set(e, ERR_INVALID,
				 "report build: figures are not an object");
	if (spec->kind < REPORT_MONTHLY || spec->kind > REPORT_PLAN)
		return error_set(e, ERR_INVALID, "report build: kind %d",
				 (int)spec->kind);
	if (spec->kind == REPORT_PLAN && spec->plan_id <= 0)
		return error_set(e, ERR_INVALID,
				 "report build: a plan report without a plan");
	json_t *doc = json_object();
	struct doc d = {a, json_array(), 0, 0};
	head(a, spec, doc);
	if (spec->kind == REPORT_PLAN) {
		plan_report(&d, spec, figures, doc);
	} else {
		const json_t *c = json_object_get(figures, "commune");
		const json_t *per = json_object_get(figures, "period");
		const char *pv =
			report_period_vi(a, spec->kind, spec->year, spec->no);
		json_object_set_new(
			doc, "subject",
			json_string(arena_printf(a,
						 "Kết quả thực hiện Kế hoạch "
						 "nâng cao Chỉ số PAPI %s",
						 str(pv))));
		const json_t *plans = json_object_get(
			json_object_get(figures, "plan"), "plans");
		const char *basis = "";
		size_t i;
		json_t *p;
		json_array_foreach(plans, i, p) basis = arena_printf(
			a, "%s%s%s", basis, i ? ", " : "", plan_name(a, p));
		para(&d,
		     arena_printf(
			     a,
			     "%s%s, Ủy ban nhân dân %s báo cáo kết quả thực "
			     "hiện %s (số liệu từ ngày %s đến ngày %s) như "
			     "sau:",
			     *basis ? "Thực hiện "
				    : "Căn cứ nhiệm vụ được giao",
			     basis,
			     unit_in_sentence(a, jstr_of(c, "full_name")),
			     str(pv), date_vi(a, jstr_of(per, "from")),
			     date_vi(a, jstr_of(per, "to"))));
		part_plan(&d, figures);
		part_voice(&d, figures);
		part_disclosure(&d, figures);
		part_oversight(&d, figures);
		part_papi(&d, figures);
		part_next(&d, figures);
	}
	json_object_set_new(doc, "blocks", d.blocks);
	foot(a, spec, doc);
	*out = doc;
	return ERR_OK;
}
