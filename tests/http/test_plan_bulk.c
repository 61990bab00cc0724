/* Bulk import and export of a plan's tasks and progress reports through a
 * real `quantri serve` on the demo database: the export parses back to
 * the plan's tasks and re-imports as "unchanged"; CSV and XLSX uploads add
 * tasks and reports; a file with a bad row is refused with every bad row
 * and column named (422) and nothing changes (rows counted before and
 * after); old encodings (TCVN3, VNI: through the page too), a zip that
 * is no workbook and a file over the upload limit are refused too; only
 * the office imports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/csv.h"
#include "../../src/base/xlsx.h"
#include "../../src/base/banned.h"

static struct server srv;
static struct arena A;
static long long plan_2024, plan_2026;

static void login_as(struct client *c, const char *username)
{
	client_init(c, &srv);
	long s = client_login(c, username, DEMO_PASSWORD);
	if (s != 303)
		fail_msg("login as %s: %ld, want 303", username, s);
}

static void get(struct client *c, const char *path, struct reply *r)
{
	if (client_get(c, path, r))
		fail_msg("GET %s: no reply", path);
}

static int setup(void **state)
{
	/* 1 MB per file, so that the limit is cheap to pass */
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0",
					  "QUANTRI_MAX_UPLOAD_BYTES=1048576",
					  NULL};
	server_start(&srv, env);
	arena_init(&A, 256 << 20);
	struct client c;
	struct reply r;
	login_as(&c, "vanphong");
	get(&c, "/api/plan", &r);
	json_t *j = reply_json(&r), *p;
	size_t i;
	json_array_foreach(json_object_get(j, "plans"), i, p)
	{
		long long year = json_integer_value(json_object_get(p, "year"));
		long long id = json_integer_value(json_object_get(p, "id"));
		if (year == 2024)
			plan_2024 = id;
		if (year == 2026)
			plan_2026 = id;
	}
	json_decref(j);
	reply_release(&r);
	client_release(&c);
	if (!plan_2024 || !plan_2026)
		fail_msg("the demo plans of 2024 and 2026 are missing");
	return 0;
}

static int teardown(void **state)
{
	arena_release(&A);
	server_stop(&srv);
	return 0;
}

/* multipart/form-data with what= and a file part of any bytes; page
 * (api false) or /api twin. */
static void upload(struct client *c, long long plan, const char *what,
		   const char *filename, const void *data, size_t len, bool api,
		   struct reply *r)
{
	static const char b[] = "qtbulkboundary0aZ93kQ";
	size_t cap = len + 2048, n = 0;
	char *body = malloc(cap);
	assert_non_null(body);
	n += (size_t)snprintf(body + n, cap - n,
			      "--%s\r\nContent-Disposition: form-data; "
			      "name=\"csrf_token\"\r\n\r\n%s\r\n"
			      "--%s\r\nContent-Disposition: form-data; "
			      "name=\"what\"\r\n\r\n%s\r\n"
			      "--%s\r\nContent-Disposition: form-data; "
			      "name=\"file\"; filename=\"%s\"\r\n"
			      "Content-Type: application/octet-stream\r\n\r\n",
			      b, c->csrf, b, what, b, filename);
	memcpy(body + n, data, len);
	n += len;
	n += (size_t)snprintf(body + n, cap - n, "\r\n--%s--\r\n", b);
	char ct[100], path[80];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	snprintf(path, sizeof path, "%s/plan/%lld/import", api ? "/api" : "",
		 plan);
	if (client_request(c, "POST", path, ct, body, n, r))
		fail_msg("POST %s: no reply", path);
	free(body);
}

/* The export of a plan, parsed: tasks or updates. */
static struct csv_table export_csv(struct client *c, long long plan,
				   const char *what)
{
	char path[100];
	struct reply r;
	snprintf(path, sizeof path, "/plan/%lld/export.csv?what=%s", plan,
		 what);
	get(c, path, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/csv"));
	char disp[200];
	assert_non_null(
		reply_header(&r, "Content-Disposition", disp, sizeof disp));
	assert_non_null(strstr(disp, "attachment"));
	/* a BOM, so that Excel reads UTF-8 */
	assert_true(r.len >= 3 && !memcmp(r.body, "\xEF\xBB\xBF", 3));
	struct csv_table t;
	struct error e = {0};
	if (csv_parse(&A, r.body, r.len, &t, &e))
		fail_msg("export of plan %lld: %s", plan, e.msg);
	reply_release(&r);
	return t;
}

static int count_tasks(struct client *c, long long plan)
{
	return export_csv(c, plan, "tasks").nrows;
}

static int count_updates(struct client *c, long long plan)
{
	return export_csv(c, plan, "updates").nrows;
}

static json_t *api_upload(struct client *c, long long plan, const char *what,
			  const char *name, const void *data, size_t len,
			  long want)
{
	struct reply r;
	struct reply page;
	char path[80];
	snprintf(path, sizeof path, "/plan/%lld/import", plan);
	get(c, path, &page); /* a fresh CSRF token */
	reply_release(&page);
	upload(c, plan, what, name, data, len, true, &r);
	if (r.status != want)
		fail_msg("POST %s (%s): %ld, want %ld: %.*s", path, name,
			 r.status, want, (int)(r.len > 2000 ? 2000 : r.len),
			 r.body);
	json_t *j = reply_json(&r);
	reply_release(&r);
	assert_non_null(j);
	return j;
}

static int jint(json_t *j, const char *k)
{
	return (int)json_integer_value(json_object_get(j, k));
}

static void test_export_parses_back(void **state)
{
	struct client c;
	login_as(&c, "vanphong");
	struct csv_table t = export_csv(&c, plan_2024, "tasks");
	/* the plan's own tasks, same ids, titles and due dates */
	char path[64];
	struct reply r;
	snprintf(path, sizeof path, "/api/plan/%lld", plan_2024);
	get(&c, path, &r);
	json_t *j = reply_json(&r);
	reply_release(&r);
	json_t *tasks = json_object_get(j, "tasks");
	assert_true(json_array_size(tasks) > 10);
	assert_int_equal((int)json_array_size(tasks), t.nrows);
	int id_col = csv_col(&t, "Mã nhiệm vụ"),
	    title_col = csv_col(&t, "Nhiệm vụ"),
	    due_col = csv_col(&t, "Hạn hoàn thành");
	assert_true(id_col >= 0 && title_col >= 0 && due_col >= 0);
	for (int i = 0; i < t.nrows; i++) {
		json_t *task = NULL, *x;
		size_t k;
		json_array_foreach(
			tasks, k,
			x) if (json_integer_value(json_object_get(x, "id")) ==
			       strtoll(csv_get(&t, i, id_col), NULL, 10)) task =
			x;
		assert_non_null(task);
		assert_string_equal(
			csv_get(&t, i, title_col),
			json_string_value(json_object_get(task, "title")));
		const char *due =
			json_string_value(json_object_get(task, "due_on"));
		char vn[11];
		snprintf(vn, sizeof vn, "%.2s/%.2s/%.4s", due + 8, due + 5,
			 due);
		assert_string_equal(csv_get(&t, i, due_col), vn);
	}
	json_decref(j);

	/* the XLSX says the same, dates as dates */
	snprintf(path, sizeof path, "/plan/%lld/export.xlsx", plan_2024);
	get(&c, path, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "spreadsheetml"));
	struct sheet s;
	struct error e = {0};
	if (xlsx_read(&A, r.body, r.len, &s, &e))
		fail_msg("export.xlsx: %s", e.msg);
	assert_int_equal(s.nrows, t.nrows + 1);
	assert_int_equal(s.ncols, t.ncols);
	for (int i = 0; i < t.nrows; i++) {
		assert_string_equal(sheet_cell(&s, i + 1, title_col),
				    csv_get(&t, i, title_col));
		const char *iso = sheet_cell(&s, i + 1, due_col),
			   *vn = csv_get(&t, i, due_col);
		assert_true(!strncmp(iso, vn + 6, 4) &&
			    !strncmp(iso + 5, vn + 3, 2) &&
			    !strncmp(iso + 8, vn, 2));
	}
	/* and both import again as they are: nothing changes */
	int before = count_tasks(&c, plan_2024);
	json_t *res = api_upload(&c, plan_2024, "tasks", "plan.xlsx", r.body,
				 r.len, 200);
	reply_release(&r);
	assert_int_equal(jint(res, "created"), 0);
	assert_int_equal(jint(res, "updated"), 0);
	assert_int_equal(jint(res, "unchanged"), before);
	json_decref(res);
	snprintf(path, sizeof path, "/plan/%lld/export.csv?what=updates",
		 plan_2024);
	get(&c, path, &r);
	int nupdates = count_updates(&c, plan_2024);
	assert_true(nupdates > 0);
	res = api_upload(&c, plan_2024, "updates", "u.csv", r.body, r.len, 200);
	reply_release(&r);
	assert_int_equal(jint(res, "created"), 0);
	assert_int_equal(jint(res, "unchanged"), nupdates);
	json_decref(res);
	assert_int_equal(count_tasks(&c, plan_2024), before);
	assert_int_equal(count_updates(&c, plan_2024), nupdates);
	client_release(&c);
}

static void test_import_csv_and_xlsx(void **state)
{
	struct client c;
	struct reply r;
	login_as(&c, "vanphong");
	int before = count_tasks(&c, plan_2026);
	char path[64];
	snprintf(path, sizeof path, "/plan/%lld/import", plan_2026);
	get(&c, path, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Nhập nhiệm vụ, tiến độ từ tệp"));
	reply_release(&r);
	/* a page upload: 303 back to the plan, with its flash */
	static const char csv[] =
		"STT,Thuộc STT,Nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Người "
		"phụ trách,Lĩnh vực PAPI,Ngày bắt đầu,Hạn hoàn thành,Trạng "
		"thái,Tiến độ (%)\n"
		"1,,Rà soát thủ tục hành chính tiếp nhận tại bộ phận một "
		"cửa,Văn phòng – Thống kê,Tư pháp – Hộ tịch,vanphong,D6; "
		"6.1.1,01/02/2026,30/09/2026,,\n"
		"1.1,1,Niêm yết thủ tục,Văn phòng – Thống kê,,,D6,01/02/2026,"
		"31/03/2026,Hoàn thành,\n"
		"1.2,1,Khảo sát ý kiến người dân,Văn phòng – Thống kê,,,,"
		"01/04/2026,30/09/2026,,40\n";
	upload(&c, plan_2026, "tasks", "nhiem-vu.csv", csv, strlen(csv), false,
	       &r);
	assert_int_equal(r.status, 303);
	char loc[100];
	snprintf(loc, sizeof loc, "/plan/%lld", plan_2026);
	assert_non_null(strstr(r.location, loc));
	reply_release(&r);
	assert_int_equal(count_tasks(&c, plan_2026), before + 3);
	/* the sub-tasks are under their parent, whose progress rolls up */
	struct csv_table t = export_csv(&c, plan_2026, "tasks");
	int title = csv_col(&t, "Nhiệm vụ"), stt = csv_col(&t, "STT"),
	    parent = csv_col(&t, "Thuộc STT"),
	    progress = csv_col(&t, "Tiến độ (%)");
	const char *parent_stt = NULL;
	for (int i = 0; i < t.nrows; i++)
		if (!strncmp(csv_get(&t, i, title), "Rà soát thủ tục", 17)) {
			parent_stt = csv_get(&t, i, stt);
			assert_string_equal(csv_get(&t, i, progress), "70");
		}
	assert_non_null(parent_stt);
	for (int i = 0; i < t.nrows; i++)
		if (!strcmp(csv_get(&t, i, title), "Niêm yết thủ tục"))
			assert_string_equal(csv_get(&t, i, parent), parent_stt);

	/* an XLSX made by our writer: dates as dates, a percentage */
	const char *cells[] = {
		"Nhiệm vụ",     "Đơn vị chủ trì",
		"Ngày bắt đầu", "Hạn hoàn thành",
		"Lặp lại",      "Họp dân lấy ý kiến về quy hoạch",
		"Thôn 1",       "2026-03-01",
		"2026-06-30",   "Hằng quý",
	};
	struct sheet s = {2, 5, cells};
	const char *name[] = {"Nhiệm vụ"};
	unsigned char *x;
	size_t xlen;
	struct error e = {0};
	assert_int_equal(xlsx_write(&A, name, &s, 1, &x, &xlen, &e), ERR_OK);
	before = count_tasks(&c, plan_2026);
	json_t *res =
		api_upload(&c, plan_2026, "tasks", "nv.xlsx", x, xlen, 200);
	assert_int_equal(jint(res, "created"), 1);
	json_decref(res);
	/* quarterly from March to June: the task and its 2 occurrences */
	assert_int_equal(count_tasks(&c, plan_2026), before + 3);
	client_release(&c);
}

static void test_bad_rows_change_nothing(void **state)
{
	struct client c;
	struct reply r;
	login_as(&c, "vanphong");
	int tasks = count_tasks(&c, plan_2026),
	    updates = count_updates(&c, plan_2026);
	char path[64];
	snprintf(path, sizeof path, "/plan/%lld/import", plan_2026);
	get(&c, path, &r);
	reply_release(&r);
	static const char bad[] =
		"Nhiệm vụ,Đơn vị chủ trì,Ngày bắt đầu,Hạn hoàn thành\n"
		"Việc tốt một,Thôn 1,01/03/2026,31/03/2026\n"
		"Việc sai,Thôn Không Có,01/03/2026,31/03/2026\n"
		"Việc tốt hai,Thôn 2,01/03/2026,31/03/2026\n"
		"Ngày ngược,Thôn 2,01/05/2026,31/03/2026\n";
	upload(&c, plan_2026, "tasks", "bad.csv", bad, strlen(bad), false, &r);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "chưa có gì được nhập"));
	assert_true(reply_has(&r, "<td class=\"num\">3</td><td>Đơn vị chủ "
				  "trì</td><td>Không có đơn vị “Thôn Không "
				  "Có” trong xã của kế hoạch.</td>"));
	assert_true(reply_has(&r, "<td class=\"num\">5</td><td>Hạn hoàn "
				  "thành</td>"));
	reply_release(&r);
	assert_int_equal(count_tasks(&c, plan_2026), tasks);

	/* the API names them the same way */
	json_t *j = api_upload(&c, plan_2026, "tasks", "bad.csv", bad,
			       strlen(bad), 422);
	assert_int_equal(jint(j, "nproblems"), 2);
	json_t *p0 = json_array_get(json_object_get(j, "problems"), 0);
	assert_int_equal(jint(p0, "line"), 3);
	assert_string_equal(json_string_value(json_object_get(p0, "column")),
			    "Đơn vị chủ trì");
	json_decref(j);

	/* updates: a good row, then one for a task of another plan */
	struct csv_table t = export_csv(&c, plan_2026, "tasks");
	int idc = csv_col(&t, "Mã nhiệm vụ");
	const char *leaf = NULL;
	for (int i = 0; i < t.nrows && !leaf; i++)
		if (!strcmp(csv_get(&t, i, csv_col(&t, "Nhiệm vụ")),
			    "Niêm yết thủ tục"))
			leaf = csv_get(&t, i, idc);
	assert_non_null(leaf);
	char *ucsv =
		arena_printf(&A,
			     "Mã nhiệm vụ,Ngày,Tiến độ (%%),Ghi chú\n"
			     "%s,01/03/2026,50,đã niêm yết một nửa\n"
			     "1,01/03/2026,50,nhiệm vụ của kế hoạch khác\n",
			     leaf);
	j = api_upload(&c, plan_2026, "updates", "u.csv", ucsv, strlen(ucsv),
		       422);
	p0 = json_array_get(json_object_get(j, "problems"), 0);
	assert_int_equal(jint(p0, "line"), 3);
	assert_string_equal(json_string_value(json_object_get(p0, "column")),
			    "Mã nhiệm vụ");
	json_decref(j);
	assert_int_equal(count_updates(&c, plan_2026), updates);

	/* TCVN3 bytes, a zip that is not a workbook, a file over 1 MB */
	const char tcvn[] = "Nhi\xd6m v\xf4,\xae\xb5n v\xdf\n";
	j = api_upload(&c, plan_2026, "tasks", "cu.csv", tcvn, sizeof tcvn - 1,
		       422);
	char *dump = json_dumps(j, 0);
	assert_non_null(strstr(dump, "TCVN3"));
	free(dump);
	json_decref(j);
	const char zip[] = "PK\x03\x04\x14\x00\x00\x00 not a workbook";
	j = api_upload(&c, plan_2026, "tasks", "x.xlsx", zip, sizeof zip - 1,
		       422);
	json_decref(j);
	size_t big = (1 << 20) + 4096;
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, 'a', big);
	memcpy(huge, "Nhiệm vụ\n", strlen("Nhiệm vụ\n"));
	get(&c, path, &r);
	reply_release(&r);
	upload(&c, plan_2026, "tasks", "big.csv", huge, big, true, &r);
	free(huge);
	assert_true(r.status == 413 || r.status == 422);
	if (r.status == 422)
		assert_true(reply_has(&r, "Tệp quá lớn: 1,1 MB, tối đa 1 MB."));
	reply_release(&r);
	assert_int_equal(count_tasks(&c, plan_2026), tasks);
	assert_int_equal(count_updates(&c, plan_2026), updates);

	/* the good row alone goes in; twice changes nothing */
	char *good = arena_printf(&A,
				  "Mã nhiệm vụ,Ngày,Tiến độ (%%),Ghi chú\n"
				  "%s,01/03/2026,50,đã niêm yết một nửa\n",
				  leaf);
	j = api_upload(&c, plan_2026, "updates", "u.csv", good, strlen(good),
		       200);
	assert_int_equal(jint(j, "created"), 1);
	json_decref(j);
	j = api_upload(&c, plan_2026, "updates", "u.csv", good, strlen(good),
		       200);
	assert_int_equal(jint(j, "created"), 0);
	assert_int_equal(jint(j, "unchanged"), 1);
	json_decref(j);
	assert_int_equal(count_updates(&c, plan_2026), updates + 1);
	client_release(&c);
}

/* Files saved in the old Vietnamese encodings, uploaded through the page
 * (not the API): 422, the page names the encodings it may be and how to
 * convert, on the line of the first byte that is not UTF-8, and nothing
 * is saved. */
static void test_old_encodings_page(void **state)
{
	struct client c;
	struct reply r;
	char path[80];
	login_as(&c, "vanphong");
	int tasks = count_tasks(&c, plan_2026),
	    updates = count_updates(&c, plan_2026);
	/* TCVN3 (ABC): "Nhiệm vụ,Đơn vị chủ trì,Hạn hoàn thành" and a row,
	 * one byte per Vietnamese letter */
	static const char tcvn3[] =
		"Nhi\xd6m v\xf4,\xa7\xadn v\xde ch\xf1 tr\xd7,H\xb9n ho\xb5n "
		"th\xb5nh\r\n"
		"Ti\xd5p c\xabng d\xe2n,Th\xabn 1,31/03/2026\r\n";
	/* VNI: a header typed without accents, then "Tiếp công dân,Thôn
	 * 1" with VNI's letter-plus-mark bytes on line 2 */
	static const char vni[] = "Nhiem vu,Don vi chu tri,Han hoan thanh\r\n"
				  "Tie\xe1p co\xe2ng da\xe2n,Tho\xe2n "
				  "1,31/03/2026\r\n";
	static const struct {
		const char *name, *data, *what;
		size_t len;
		int line;
	} files[] = {
		{"nhiem-vu-tcvn3.csv", tcvn3, "tasks", sizeof tcvn3 - 1, 1},
		{"nhiem-vu-vni.csv", vni, "tasks", sizeof vni - 1, 2},
		{"tien-do-vni.csv", vni, "updates", sizeof vni - 1, 2},
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "/plan/%lld/import", plan_2026);
		get(&c, path, &r); /* a fresh CSRF token */
		reply_release(&r);
		upload(&c, plan_2026, files[i].what, files[i].name,
		       files[i].data, files[i].len, false, &r);
		if (r.status != 422)
			fail_msg("%s: %ld, want 422", files[i].name, r.status);
		assert_non_null(strstr(r.content_type, "text/html"));
		assert_true(reply_has(&r, "chưa có gì được nhập"));
		char row[600];
		snprintf(row, sizeof row,
			 "<td class=\"num\">%d</td><td></td><td>Tệp không ở "
			 "mã UTF-8 (có thể là TCVN3/ABC, VNI hoặc "
			 "Windows-1258). Hãy chuyển sang Unicode UTF-8 (ví "
			 "dụ bằng Unikey: Công cụ chuyển mã)",
			 files[i].line);
		if (!reply_has(&r, row))
			fail_msg("%s: the page does not say \"%s\"",
				 files[i].name, row);
		/* the choice made stays checked for the next try */
		snprintf(row, sizeof row, "value=\"%s\" checked",
			 files[i].what);
		assert_true(reply_has(&r, row));
		reply_release(&r);
	}
	assert_int_equal(count_tasks(&c, plan_2026), tasks);
	assert_int_equal(count_updates(&c, plan_2026), updates);
	client_release(&c);
}

static void test_who_may(void **state)
{
	struct client c;
	struct reply r;
	char path[80];
	/* an officer sees the plan and exports it, but does not import */
	login_as(&c, "canbo");
	snprintf(path, sizeof path, "/plan/%lld/import", plan_2026);
	get(&c, path, &r);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	static const char csv[] = "Nhiệm vụ,Đơn vị chủ trì,Hạn hoàn thành\n"
				  "Việc,Thôn 1,31/03/2026\n";
	upload(&c, plan_2026, "tasks", "x.csv", csv, strlen(csv), false, &r);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	snprintf(path, sizeof path, "/plan/%lld/export.xlsx?what=updates",
		 plan_2026);
	get(&c, path, &r);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	/* a plan that does not exist, or not a number */
	get(&c, "/plan/999999/export.csv", &r);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	get(&c, "/plan/abc/export.csv", &r);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_release(&c);
	/* nobody logged in */
	client_init(&c, &srv);
	snprintf(path, sizeof path, "/plan/%lld/export.csv", plan_2026);
	get(&c, path, &r);
	assert_true(r.status == 303 || r.status == 401);
	reply_release(&r);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_parses_back),
		cmocka_unit_test(test_import_csv_and_xlsx),
		cmocka_unit_test(test_bad_rows_change_nothing),
		cmocka_unit_test(test_old_encodings_page),
		cmocka_unit_test(test_who_may),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
