/* libFuzzer: xlsx_read, and the whole import check (bulk_read, then the
 * task and update rows against a small plan), on any bytes: a result or
 * an error, never a crash, an out-of-bounds read or a leak. Seeds in
 * tests/fuzz/corpus/fuzz_xlsx: workbooks (one stored, not deflated, so
 * that mutations reach the XML) and CSV files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/xlsx.h"
#include "plan/plan_bulk.h"
#include "base/banned.h"

static struct bulk_unit units[] = {
	{1, 1, "Minh Tiến", "Xã Minh Tiến", "commune", "2025-06-30"},
	{2, 2, "Tiên Tiến", "Xã Tiên Tiến", "commune", NULL},
	{3, 2, "Thôn 1", "Thôn 1", "village", NULL},
	{4, 1, "Thôn 1", "Thôn 1", "village", NULL},
	{5, 2, "Văn phòng – Thống kê", "Văn phòng – Thống kê", "unit", NULL},
};
static struct bulk_user users[] = {
	{10, "vanphong", "Phạm Minh Đức"},
	{11, "canbo", "Đỗ Quang Huy"},
};

static void check_sheet(const struct sheet *s)
{
	if (s->nrows < 0 || s->ncols < 0 || (s->nrows * s->ncols && !s->cells))
		abort();
	for (int r = 0; r < s->nrows; r++)
		for (int c = 0; c < s->ncols; c++)
			if (!sheet_cell(s, r, c))
				abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 256u << 20);
	struct error e = {0};
	struct sheet s;
	if (xlsx_read(&a, data, size, &s, &e) == ERR_OK)
		check_sheet(&s);

	struct task tasks[2] = {
		{.id = 7,
		 .plan_id = 1,
		 .title = "Họp",
		 .lead_unit_id = 3,
		 .start_on = "2026-01-01",
		 .due_on = "2026-03-31",
		 .recurrence = "none",
		 .weight = 1,
		 .status = "todo"},
		{.id = 8,
		 .plan_id = 1,
		 .title = "Báo cáo",
		 .lead_unit_id = 5,
		 .start_on = "2026-01-01",
		 .due_on = "2026-12-31",
		 .recurrence = "monthly",
		 .weight = 1,
		 .status = "doing",
		 .progress = 30},
	};
	int nchildren[2] = {0, 0};
	struct bulk_directory d = {.plan_id = 1,
				   .plan_year = 2026,
				   .today = "2026-03-15",
				   .units = units,
				   .nunits = sizeof units / sizeof *units,
				   .users = users,
				   .nusers = sizeof users / sizeof *users,
				   .tasks = tasks,
				   .ntasks = 2,
				   .nchildren = nchildren};
	struct bulk_file f;
	struct problems p = {0};
	if (bulk_directory_prepare(&a, &d, &e) == ERR_OK &&
	    bulk_read(&a, data, size, &f, &p, &e) == ERR_OK) {
		check_sheet(&f.s);
		struct bulk_task_row *trows;
		struct bulk_update_row *urows;
		const char **ignored;
		int n;
		p = (struct problems){0};
		if (bulk_parse_tasks(&a, &f, &d, &trows, &n, &ignored, &p,
				     &e) == ERR_OK &&
		    !p.n)
			for (int i = 0; i < n; i++)
				if (!trows[i].skip &&
				    (!trows[i].t.title || !trows[i].t.due_on))
					abort();
		p = (struct problems){0};
		if (bulk_parse_updates(&a, &f, &d, &urows, &n, &ignored, &p,
				       &e) == ERR_OK &&
		    !p.n)
			for (int i = 0; i < n; i++)
				if (urows[i].progress < 0 ||
				    urows[i].progress > 100 || !urows[i].status)
					abort();
	}
	arena_release(&a);
	return 0;
}
