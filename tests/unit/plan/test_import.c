/* Bulk import, the pure part: reading CSV and XLSX into one sheet shape,
 * finding the header, resolving units, officials and tasks of a plan given
 * by hand, every check with its line and column, and the CSV the export
 * writes read back the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "plan/plan_bulk.h"
#include "base/banned.h"

static struct arena A;
static struct bulk_directory D;

static struct bulk_unit units[] = {
	{1, 1, "Minh Tiến", "Xã Minh Tiến", "commune", "2025-06-30"},
	{2, 2, "Tiên Tiến", "Xã Tiên Tiến", "commune", NULL},
	{3, 2, "Văn phòng – Thống kê", "Văn phòng – Thống kê", "unit", NULL},
	{4, 2, "Thôn 1", "Thôn 1", "village", NULL},
	/* Minh Tiến's Thôn 1 ended with the merger: not in force in 2026 */
	{5, 1, "Thôn 1", "Thôn 1", "village", "2025-06-30"},
	{6, 2, "Tư pháp – Hộ tịch", "Tư pháp – Hộ tịch", "unit", NULL},
	/* two villages called Thôn 2, both in force */
	{7, 2, "Thôn 2", "Thôn 2", "village", NULL},
	{8, 1, "Thôn 2", "Thôn 2", "village", NULL},
};
static struct bulk_user users[] = {
	{10, "vanphong", "Phạm Minh Đức"},
	{11, "canbo", "Đỗ Quang Huy"},
	{12, "canbo2", "Đỗ Quang Huy"},
	{13, "lan", "Vũ Thị Lan"},
};
static struct task tasks[5];
static int nchildren[5] = {1, 0, 0, 0, 0};

static int setup(void **state)
{
	arena_init(&A, 1 << 28);
	tasks[0] = (struct task){.id = 100,
				 .plan_id = 9,
				 .title = "Báo cáo tháng",
				 .lead_unit_id = 3,
				 .start_on = "2026-01-01",
				 .due_on = "2026-12-31",
				 .recurrence = "monthly",
				 .weight = 1,
				 .status = "doing",
				 .progress = 50,
				 .description = ""};
	tasks[1] = (struct task){.id = 101,
				 .plan_id = 9,
				 .parent_id = 100,
				 .title = "Báo cáo tháng – Tháng 1/2026",
				 .lead_unit_id = 3,
				 .start_on = "2026-01-01",
				 .due_on = "2026-01-31",
				 .recurrence = "none",
				 .weight = 1,
				 .status = "done",
				 .progress = 100,
				 .description = ""};
	tasks[2] = (struct task){.id = 102,
				 .plan_id = 9,
				 .title = "Tiếp công dân",
				 .lead_unit_id = 6,
				 .start_on = "2026-01-02",
				 .due_on = "2026-12-31",
				 .recurrence = "none",
				 .weight = 1,
				 .status = "todo",
				 .progress = 0,
				 .description = "",
				 .nlinks = 1,
				 .links = {"D3:3.2.2"}};
	tasks[3] = tasks[2];
	tasks[3].id = 103;
	tasks[4] = (struct task){.id = 104,
				 .plan_id = 9,
				 .title = "Đối thoại với Nhân dân",
				 .lead_unit_id = 2,
				 .start_on = "2026-02-01",
				 .due_on = "2026-06-30",
				 .recurrence = "none",
				 .weight = 2,
				 .status = "doing",
				 .progress = 40,
				 .description = "",
				 .responsible_user_id = 13};
	D = (struct bulk_directory){.plan_id = 9,
				    .plan_year = 2026,
				    .today = "2026-03-15",
				    .units = units,
				    .nunits = sizeof units / sizeof *units,
				    .users = users,
				    .nusers = sizeof users / sizeof *users,
				    .tasks = tasks,
				    .ntasks = 5,
				    .nchildren = nchildren};
	struct error e = {0};
	assert_int_equal(bulk_directory_prepare(&A, &D, &e), ERR_OK);
	return 0;
}

static int teardown(void **state)
{
	arena_release(&A);
	return 0;
}

static void print_problems(const struct problems *p);

static void read_csv(const char *csv, struct bulk_file *f, struct problems *p)
{
	struct error e = {0};
	*p = (struct problems){0};
	enum err err = bulk_read(&A, csv, strlen(csv), f, p, &e);
	if (p->n)
		print_problems(p);
	assert_int_equal(err, ERR_OK);
	assert_int_equal(p->n, 0);
}

static int tasks_of(const char *csv, struct bulk_task_row **rows,
		    struct problems *p)
{
	struct bulk_file f;
	read_csv(csv, &f, p);
	int n;
	const char **ignored;
	struct error e = {0};
	assert_int_equal(
		bulk_parse_tasks(&A, &f, &D, rows, &n, &ignored, p, &e),
		ERR_OK);
	return n;
}

static void print_problems(const struct problems *p)
{
	for (int i = 0; i < p->kept; i++)
		fprintf(stderr, "  %d [%s] %s | %s\n", p->list[i].line,
			p->list[i].column, p->list[i].msg_vi,
			p->list[i].msg_en);
}

/* A problem on line with column and a Vietnamese reason holding vi. */
static bool has_problem(const struct problems *p, int line, const char *column,
			const char *vi)
{
	for (int i = 0; i < p->kept; i++)
		if (p->list[i].line == line &&
		    !strcmp(p->list[i].column, column) &&
		    strstr(p->list[i].msg_vi, vi))
			return true;
	fprintf(stderr, "no problem %d [%s] \"%s\" among:\n", line, column, vi);
	print_problems(p);
	return false;
}

static void test_tasks_ok(void **state)
{
	/* a title and a blank line above the header, as offices write */
	const char *csv =
		"DANH SÁCH NHIỆM VỤ NĂM 2026,,,,,,,,,,,,,\n"
		",,,,,,,,,,,,,\n"
		"STT,Thuộc STT,Nhiệm vụ,Nội dung,Đơn vị chủ trì,Đơn vị phối "
		"hợp,Người phụ trách,Lĩnh vực PAPI,Ngày bắt đầu,Hạn hoàn "
		"thành,Lặp lại,Trọng số,Trạng thái,Ghi chú riêng\n"
		"1,,Tuyên truyền trên loa,\"Phát 3 buổi, mỗi tuần\",Van phong "
		"- "
		"Thong ke,Thôn 1; Thôn 2 (Tiên Tiến),vanphong,D5; 5.2.1; Nội "
		"dung 3,05/01/2026,31/03/2026,,\"0,5\",Đang thực hiện,x\n"
		"2,1,Họp thôn,,Thôn 1,,Vũ Thị Lan,,,46112,hằng tháng,,,\n"
		"3,,Báo cáo,,UBND xã Tiên Tiến,,,,2026-02-01,2026-02-28,"
		"Không,2,Hoàn thành,\n"
		"4,,'- Đối thoại,,Thôn 2 (Minh "
		"Tiến),,canbo2,,,15.04.2026,,,,\n";
	struct bulk_task_row *rows;
	struct problems p;
	int n = tasks_of(csv, &rows, &p);
	if (p.n)
		print_problems(&p);
	assert_int_equal(p.n, 0);
	assert_int_equal(n, 4);
	struct task *t = &rows[0].t;
	assert_int_equal(rows[0].line, 4);
	assert_string_equal(rows[0].stt, "1");
	assert_int_equal(rows[0].existing, -1);
	assert_string_equal(t->title, "Tuyên truyền trên loa");
	assert_string_equal(t->description, "Phát 3 buổi, mỗi tuần");
	assert_int_equal(t->lead_unit_id, 3);
	/* Thôn 1: the one in force in 2026; Thôn 2 named with its commune */
	assert_int_equal(t->nco_units, 2);
	assert_int_equal(t->co_unit_ids[0], 4);
	assert_int_equal(t->co_unit_ids[1], 7);
	assert_int_equal(t->responsible_user_id, 10);
	assert_int_equal(t->nlinks, 3);
	assert_string_equal(t->links[0], "D5");
	assert_string_equal(t->links[1], "D5:5.2.1");
	assert_string_equal(t->links[2], "D3");
	assert_string_equal(t->start_on, "2026-01-05");
	assert_string_equal(t->due_on, "2026-03-31");
	assert_string_equal(t->recurrence, "none");
	assert_true(t->weight == 0.5);
	/* a parent's status is its children's roll-up: not taken */
	assert_true(rows[0].has_children);
	assert_false(rows[0].has_status);
	assert_string_equal(t->status, "todo");
	/* row 2: a sub-task, an Excel serial date, start defaulted */
	assert_int_equal(rows[1].parent, 0);
	assert_int_equal(rows[1].t.responsible_user_id, 13);
	assert_string_equal(rows[1].t.due_on, "2026-03-31");
	assert_string_equal(rows[1].t.start_on, "2026-01-01");
	assert_string_equal(rows[1].t.recurrence, "monthly");
	assert_false(rows[1].has_status);
	/* row 3: the commune itself; done means 100 */
	assert_int_equal(rows[2].t.lead_unit_id, 2);
	assert_string_equal(rows[2].t.status, "done");
	assert_int_equal(rows[2].t.progress, 100);
	assert_true(rows[2].t.weight == 2);
	/* row 4: the formula guard removed; a username among namesakes */
	assert_string_equal(rows[3].t.title, "- Đối thoại");
	assert_int_equal(rows[3].t.lead_unit_id, 8);
	assert_int_equal(rows[3].t.responsible_user_id, 12);
	assert_string_equal(rows[3].t.due_on, "2026-04-15");
}

static void test_tasks_problems(void **state)
{
	const char *csv =
		"STT,Thuộc STT,Nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,"
		"Người phụ trách,Lĩnh vực PAPI,Ngày bắt đầu,Hạn hoàn thành,"
		"Lặp lại,Trọng số,Trạng thái,Tiến độ (%)\n"
		"1,,Việc A,Phòng Không Có,,,,,31/03/2026,,,,\n"
		"2,,Việc B,Thôn 2,,Đỗ Quang Huy,D9,,31/02/2026,,,,\n"
		"3,,Việc C,Thôn 1,,Nguyễn Văn Không,,01/05/2026,01/04/2026,"
		"hằng giờ,abc,Tạm dừng,150\n"
		"3,9,Việc D,Thôn 1,,,,,30/04/2026,,,Hoàn thành,60\n"
		"5,6,Việc E,Thôn 1,,,,,30/04/2026,,,,\n"
		"6,5,Việc F,Thôn 1,,,,,30/04/2026,,,,\n"
		"7,,,Thôn 1,,,,,30/04/2026,,,,\n";
	struct bulk_task_row *rows;
	struct problems p;
	tasks_of(csv, &rows, &p);
	assert_true(has_problem(&p, 2, "Đơn vị chủ trì",
				"Không có đơn vị “Phòng Không Có”"));
	assert_true(has_problem(&p, 3, "Đơn vị chủ trì",
				"Có 2 đơn vị tên “Thôn 2”"));
	assert_true(has_problem(&p, 3, "Người phụ trách",
				"Có 2 cán bộ tên “Đỗ Quang Huy”"));
	assert_true(has_problem(&p, 3, "Lĩnh vực PAPI", "Không hiểu “D9”"));
	assert_true(has_problem(&p, 3, "Hạn hoàn thành",
				"Ngày “31/02/2026” không hợp lệ"));
	assert_true(has_problem(&p, 4, "Người phụ trách",
				"Không có cán bộ “Nguyễn Văn Không”"));
	assert_true(has_problem(&p, 4, "Hạn hoàn thành",
				"Hạn hoàn thành phải sau hoặc bằng ngày bắt"));
	assert_true(has_problem(&p, 4, "Lặp lại", "Lặp lại “hằng giờ”"));
	assert_true(has_problem(&p, 4, "Trọng số", "“abc” không phải là số"));
	assert_true(has_problem(&p, 4, "Trạng thái", "“Tạm dừng”"));
	assert_true(has_problem(&p, 4, "Tiến độ (%)", "“150”"));
	assert_true(has_problem(&p, 5, "STT", "STT “3” trùng với dòng 4"));
	assert_true(has_problem(&p, 5, "Thuộc STT",
				"Không có dòng nào có STT “9”"));
	assert_true(has_problem(&p, 5, "Tiến độ (%)",
				"hoàn thành phải có tiến độ 100%"));
	assert_true(has_problem(&p, 6, "Thuộc STT", "vòng lặp"));
	assert_true(has_problem(&p, 7, "Thuộc STT", "vòng lặp"));
	assert_true(
		has_problem(&p, 8, "Nhiệm vụ", "Vui lòng nhập tên nhiệm vụ"));
	/* each cell reported once */
	int due3 = 0;
	for (int i = 0; i < p.kept; i++)
		due3 += p.list[i].line == 3 &&
			!strcmp(p.list[i].column, "Hạn hoàn thành");
	assert_int_equal(due3, 1);
}

static void test_title_lines(void **state)
{
	/* a title of one field and a blank line above a wider table */
	struct bulk_task_row *rows;
	struct problems p;
	int n = tasks_of("\r\nKẾ HOẠCH NĂM 2026\r\n\r\n"
			 "Nhiệm vụ,Đơn vị chủ trì,Hạn hoàn thành\r\n"
			 "\"Họp, bàn\",Thôn 1,31/03/2026\r\n",
			 &rows, &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].line, 5);
	assert_string_equal(rows[0].t.title, "Họp, bàn");
	/* below the table's first row, a row of another width is refused on
	 * its own line */
	struct bulk_file f;
	struct error e = {0};
	const char *bad = "KẾ HOẠCH\nNhiệm vụ,Đơn vị chủ trì,Hạn hoàn "
			  "thành\nHọp,Thôn 1,31/03/2026\nHọp, bàn,Thôn "
			  "1,31/03/2026\n";
	p = (struct problems){0};
	assert_int_equal(bulk_read(&A, bad, strlen(bad), &f, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 4, "", "Dòng có 4 cột, khác với 3 cột"));
}

static void test_tasks_header(void **state)
{
	/* English keys; a missing column new tasks need, said once */
	const char *csv = "title,lead_unit,start,weight,foo\n"
			  "A,Thôn 1,01/01/2026,1,x\n"
			  "B,Thôn 1,01/01/2026,1,y\n";
	struct bulk_file f;
	struct problems p;
	read_csv(csv, &f, &p);
	struct bulk_task_row *rows;
	int n;
	const char **ignored;
	struct error e = {0};
	assert_int_equal(
		bulk_parse_tasks(&A, &f, &D, &rows, &n, &ignored, &p, &e),
		ERR_OK);
	assert_int_equal(p.n, 1);
	assert_true(has_problem(&p, 1, "Hạn hoàn thành",
				"Thiếu cột “Hạn hoàn thành”"));
	assert_string_equal(ignored[0], "foo");
	assert_null(ignored[1]);

	/* no header at all */
	read_csv("a,b\n1,2\n", &f, &p);
	assert_int_equal(
		bulk_parse_tasks(&A, &f, &D, &rows, &n, &ignored, &p, &e),
		ERR_OK);
	assert_true(has_problem(&p, 0, "", "Không tìm thấy dòng tiêu đề"));

	/* an updates file chosen as tasks, and the other way round */
	read_csv("Mã nhiệm vụ,Nhiệm vụ,Ngày,Tiến độ (%)\n102,,01/03/2026,10\n",
		 &f, &p);
	assert_int_equal(
		bulk_parse_tasks(&A, &f, &D, &rows, &n, &ignored, &p, &e),
		ERR_OK);
	assert_true(has_problem(&p, 1, "", "tệp cập nhật tiến độ"));
	read_csv("STT,Nhiệm vụ,Đơn vị chủ trì,Hạn hoàn thành,Tiến độ (%)\n"
		 "1,A,Thôn 1,01/03/2026,10\n",
		 &f, &p);
	struct bulk_update_row *urows;
	assert_int_equal(
		bulk_parse_updates(&A, &f, &D, &urows, &n, &ignored, &p, &e),
		ERR_OK);
	assert_true(has_problem(&p, 1, "", "danh sách nhiệm vụ"));
}

static void test_tasks_existing(void **state)
{
	/* an exported file edited: 104 changes its due date and reports
	 * progress; 100 is a parent (roll-up: its progress is ignored); a
	 * new row under a new recurring task is skipped; an unknown id */
	const char *csv =
		"Mã nhiệm vụ,STT,Thuộc STT,Nhiệm vụ,Đơn vị chủ trì,Hạn hoàn "
		"thành,Lặp lại,Tiến độ (%)\n"
		"104,1,,Đối thoại với Nhân dân,Tiên Tiến,31/07/2026,,60\n"
		"100,2,,Báo cáo tháng,Văn phòng – Thống kê,31/12/2026,Hằng "
		"tháng,70\n"
		"101,2.1,2,Báo cáo tháng – Tháng 1/2026,Văn phòng – Thống "
		"kê,31/01/2026,,100\n"
		",3,,Họp giao ban,Thôn 1,31/12/2026,hằng quý,\n"
		",3.1,3,Quý 1,Thôn 1,31/03/2026,,\n"
		"999,4,,Lạ,Thôn 1,31/03/2026,,\n"
		"104,5,,Đối thoại với Nhân dân,Tiên Tiến,31/07/2026,,60\n";
	struct bulk_task_row *rows;
	struct problems p;
	int n = tasks_of(csv, &rows, &p);
	assert_int_equal(n, 7);
	assert_int_equal(p.n, 2);
	assert_true(has_problem(&p, 7, "Mã nhiệm vụ",
				"Mã nhiệm vụ “999” không thuộc kế hoạch"));
	assert_true(has_problem(&p, 8, "Mã nhiệm vụ",
				"Mã nhiệm vụ 104 đã có ở dòng 2"));
	/* 104 keeps what the file does not say: its start, its official */
	assert_int_equal(rows[0].existing, 4);
	assert_int_equal(rows[0].t.id, 104);
	assert_string_equal(rows[0].t.start_on, "2026-02-01");
	assert_int_equal(rows[0].t.responsible_user_id, 13);
	assert_string_equal(rows[0].t.due_on, "2026-07-31");
	assert_true(rows[0].has_status);
	assert_string_equal(rows[0].t.status, "doing");
	assert_int_equal(rows[0].t.progress, 60);
	assert_false(rows[1].has_status);
	assert_int_equal(rows[2].parent, 1);
	assert_false(rows[2].skip); /* an existing occurrence: updated */
	assert_false(rows[3].skip);
	assert_true(rows[4].skip);
	/* "2.1" under "2" without a Thuộc STT column */
	tasks_of("STT,Nhiệm vụ,Đơn vị chủ trì,Hạn hoàn thành\n"
		 "2,A,Thôn 1,01/03/2026\n2.1,B,Thôn 1,01/03/2026\n"
		 "2.2.1,C,Thôn 1,01/03/2026\n",
		 &rows, &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(rows[0].parent, -1);
	assert_int_equal(rows[1].parent, 0);
	assert_int_equal(rows[2].parent, -1); /* no row 2.2 */
}

static void test_updates(void **state)
{
	const char *csv =
		"Mã nhiệm vụ,Nhiệm vụ,Ngày,Tiến độ (%),Trạng thái,Ghi chú\n"
		"104,,01/03/2026,,Đang thực hiện,giữ tiến độ\n"
		",Doi thoai voi nhan dan,10/03/2026,80%,,tăng\n"
		"104,,05/02/2026,45,,sớm hơn\n"
		",Tiếp công dân,,10,,\n"
		"101,Việc khác,01/03/2026,100,,\n"
		"100,,01/03/2026,10,,\n"
		"104,,20/03/2026,90,,\n"
		"104,,,,,\n"
		",Không có việc này,01/03/2026,10,,\n"
		"104,,01/03/2026,50,Hoàn thành,\n";
	struct bulk_file f;
	struct problems p;
	read_csv(csv, &f, &p);
	struct bulk_update_row *rows;
	int n;
	const char **ignored;
	struct error e = {0};
	assert_int_equal(
		bulk_parse_updates(&A, &f, &D, &rows, &n, &ignored, &p, &e),
		ERR_OK);
	assert_true(has_problem(&p, 5, "Nhiệm vụ",
				"Có 2 nhiệm vụ tên “Tiếp công dân”"));
	assert_true(has_problem(&p, 6, "Nhiệm vụ",
				"Mã nhiệm vụ 101 là “Báo cáo tháng – Tháng "
				"1/2026”, không phải “Việc khác”"));
	assert_true(has_problem(&p, 7, "Mã nhiệm vụ", "có nhiệm vụ con"));
	assert_true(has_problem(&p, 8, "Ngày", "20/03/2026 chưa tới"));
	assert_true(has_problem(&p, 9, "Tiến độ (%)",
				"Cần ghi Tiến độ (%) hoặc Trạng thái"));
	assert_true(has_problem(&p, 10, "Nhiệm vụ",
				"Không có nhiệm vụ “Không có việc này”"));
	assert_true(has_problem(&p, 11, "Tiến độ (%)", "tiến độ 100%"));
	assert_int_equal(p.n, 7);

	/* the good rows: in date order, a status alone keeps the progress
	 * the task had at that point; the date empty: today */
	read_csv("Mã nhiệm vụ,Nhiệm vụ,Ngày,Tiến độ (%),Trạng thái,Ghi chú\n"
		 "104,,01/03/2026,,Đang thực hiện,giữ tiến độ\n"
		 ",Doi thoai voi nhan dan,10/03/2026,80%,,tăng\n"
		 "104,,05/02/2026,45,,sớm hơn\n"
		 "101,,,,Hủy,\n",
		 &f, &p);
	assert_int_equal(
		bulk_parse_updates(&A, &f, &D, &rows, &n, &ignored, &p, &e),
		ERR_OK);
	if (p.n)
		print_problems(&p);
	assert_int_equal(p.n, 0);
	assert_int_equal(n, 4);
	assert_int_equal(rows[0].task_id, 101);
	assert_string_equal(rows[0].day, "2026-03-15");
	assert_string_equal(rows[0].status, "cancelled");
	assert_int_equal(rows[0].progress, 100);
	assert_int_equal(rows[1].task_id, 104);
	assert_string_equal(rows[1].day, "2026-02-05");
	assert_string_equal(rows[1].status, "doing");
	assert_int_equal(rows[1].progress, 45);
	assert_string_equal(rows[2].day, "2026-03-01");
	assert_int_equal(rows[2].progress, 45);
	assert_string_equal(rows[2].note, "giữ tiến độ");
	assert_int_equal(rows[3].line, 3);
	assert_int_equal(rows[3].progress, 80);
	assert_string_equal(rows[3].status, "doing");
}

static void test_read_refusals(void **state)
{
	struct bulk_file f;
	struct problems p = {0};
	struct error e = {0};
	/* TCVN3 bytes (not UTF-8): named, with the line */
	const char tcvn[] = "STT,Nhi\xd6m v\xf4\n1,H\xabp\n";
	assert_int_equal(bulk_read(&A, tcvn, strlen(tcvn), &f, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 1, "", "TCVN3"));
	p = (struct problems){0};
	const char *semi = "STT;Nhiệm vụ\n1;Họp\n";
	assert_int_equal(bulk_read(&A, semi, strlen(semi), &f, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 1, "", "dấu phẩy"));
	p = (struct problems){0};
	const char *quote = "STT,Nhiệm vụ\n1,Họp\n2,\"Họp\n";
	assert_int_equal(bulk_read(&A, quote, strlen(quote), &f, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 3, "", "ngoặc kép"));
	p = (struct problems){0};
	const char *cols = "STT,Nhiệm vụ\n1,Họp, thôn\n";
	assert_int_equal(bulk_read(&A, cols, strlen(cols), &f, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 2, "", "Dòng có 3 cột, khác với 2 cột"));
	p = (struct problems){0};
	const char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest";
	assert_int_equal(bulk_read(&A, xls, sizeof xls - 1, &f, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 0, "", "Excel 97–2003"));
	p = (struct problems){0};
	const char zip[] = "PK\x03\x04 not really a zip";
	assert_int_equal(bulk_read(&A, zip, sizeof zip - 1, &f, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 0, "", "Không đọc được tệp Excel"));
	p = (struct problems){0};
	assert_int_equal(bulk_read(&A, "", 0, &f, &p, &e), ERR_INVALID);
	assert_true(has_problem(&p, 0, "", "Tệp trống"));
}

static void test_limit(void **state)
{
	size_t cap = 64 * (BULK_MAX_TASKS + 2), len = 0;
	char *csv = malloc(cap);
	assert_non_null(csv);
	len += (size_t)snprintf(csv, cap,
				"Nhiệm vụ,Đơn vị chủ trì,Hạn hoàn "
				"thành\n");
	for (int i = 0; i <= BULK_MAX_TASKS; i++)
		len += (size_t)snprintf(csv + len, cap - len,
					"Việc %d,Thôn 1,01/03/2026\n", i);
	struct bulk_task_row *rows;
	struct problems p;
	tasks_of(csv, &rows, &p);
	free(csv);
	assert_int_equal(p.n, 1);
	assert_true(has_problem(&p, 0, "", "tối đa 5.000"));
}

/* The export's CSV: BOM, dd/mm/yyyy, the formula guard; read back it
 * gives the sheet it came from. And an XLSX with its header on row 3. */
static void test_csv_and_xlsx(void **state)
{
	const char *cells[] = {
		"Mã nhiệm vụ",
		"Nhiệm vụ",
		"Hạn hoàn thành",
		"Trọng số",
		"104",
		"=HYPERLINK(\"x\")",
		"2026-07-31",
		"0.5",
		"",
		"- gạch đầu dòng, có phẩy",
		"",
		"-1",
	};
	struct sheet s = {3, 4, cells};
	size_t len;
	char *csv = bulk_sheet_csv(&A, &s, &len);
	assert_non_null(csv);
	assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(csv, "104,\"'=HYPERLINK(\"\"x\"\")\","
				    "31/07/2026,0.5\r\n"));
	assert_non_null(strstr(csv, ",\"'- gạch đầu dòng, có phẩy\",,-1\r\n"));
	struct bulk_file f;
	struct problems p;
	read_csv(csv, &f, &p);
	assert_int_equal(f.s.nrows, 3);
	assert_int_equal(f.lines[2], 3);

	/* XLSX: title rows, then the header; dates and % as Excel has them */
	const char *x[] = {
		"KẾ HOẠCH 2026",
		"",
		"",
		"",
		"",
		"",
		"",
		"",
		"Nhiệm vụ",
		"Đơn vị chủ trì",
		"Hạn hoàn thành",
		"Tiến độ (%)",
		"Họp",
		"Thôn 1",
		"2026-05-31",
		"25",
	};
	struct sheet xs = {4, 4, x};
	const char *name[] = {"Nhiệm vụ"};
	unsigned char *bytes;
	struct error e = {0};
	assert_int_equal(xlsx_write(&A, name, &xs, 1, &bytes, &len, &e),
			 ERR_OK);
	p = (struct problems){0};
	assert_int_equal(bulk_read(&A, bytes, len, &f, &p, &e), ERR_OK);
	assert_true(f.xlsx);
	struct bulk_task_row *rows;
	int n;
	const char **ignored;
	assert_int_equal(
		bulk_parse_tasks(&A, &f, &D, &rows, &n, &ignored, &p, &e),
		ERR_OK);
	if (p.n)
		print_problems(&p);
	assert_int_equal(p.n, 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].line, 4); /* Excel's row */
	assert_string_equal(rows[0].t.due_on, "2026-05-31");
	assert_int_equal(rows[0].t.progress, 25);
	assert_string_equal(rows[0].t.status, "doing");
}

static void test_names(void **state)
{
	assert_string_equal(bulk_key(&A, "Văn phòng – Thống kê"),
			    "vanphongthongke");
	assert_string_equal(bulk_key(&A, "Tiến độ (%)"), "tiendo");
	assert_string_equal(bulk_unit_text(&D, 3), "Văn phòng – Thống kê");
	assert_string_equal(bulk_unit_text(&D, 7), "Thôn 2 (Tiên Tiến)");
	assert_string_equal(bulk_unit_text(&D, 5), "Thôn 1 (Minh Tiến)");
	assert_string_equal(bulk_unit_text(&D, 99), "");
	assert_string_equal(bulk_user_text(&D, 10), "Phạm Minh Đức");
	assert_string_equal(bulk_user_text(&D, 11), "canbo");
	assert_string_equal(bulk_links_text(&A, &tasks[2]), "3.2.2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tasks_ok),
		cmocka_unit_test(test_tasks_problems),
		cmocka_unit_test(test_title_lines),
		cmocka_unit_test(test_tasks_header),
		cmocka_unit_test(test_tasks_existing),
		cmocka_unit_test(test_updates),
		cmocka_unit_test(test_read_refusals),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_csv_and_xlsx),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
