/* Exporting a plan's tasks and progress reports as sheets with the
 * import's headers, written as CSV or XLSX (plan_bulk.h says how). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "plan_bulk.h"
#include "../base/clock.h"
#include "../base/csv.h"
#include "../base/text.h"
#include "../base/banned.h"

/* The same headers plan_import.c reads first. */
static const char *const task_headers[] = {
	"Mã nhiệm vụ",     "STT",
	"Thuộc STT",       "Nhiệm vụ",
	"Nội dung",        "Đơn vị chủ trì",
	"Đơn vị phối hợp", "Người phụ trách",
	"Lĩnh vực PAPI",   "Ngày bắt đầu",
	"Hạn hoàn thành",  "Lặp lại",
	"Trọng số",        "Trạng thái",
	"Tiến độ (%)",
};
enum { NTASK_COLS = sizeof task_headers / sizeof *task_headers };
static const char *const update_headers[] = {
	"Mã nhiệm vụ", "Nhiệm vụ", "Ngày",           "Tiến độ (%)",
	"Trạng thái",  "Ghi chú",  "Người cập nhật",
};
enum { NUPDATE_COLS = sizeof update_headers / sizeof *update_headers };
/* columns written dd/mm/yyyy in a CSV */
static const char *const date_headers[] = {"Ngày bắt đầu", "Hạn hoàn thành",
					   "Ngày"};

static const char **grid(struct arena *a, int nrows, int ncols,
			 const char *const *header)
{
	const char **cells =
		arena_alloc(a, sizeof(char *) * ((size_t)nrows * ncols + 1));
	if (!cells)
		return NULL;
	for (size_t i = 0; i < (size_t)nrows * ncols; i++)
		cells[i] = "";
	for (int c = 0; c < ncols; c++)
		cells[c] = header[c];
	return cells;
}

static const char *co_units_text(struct arena *a,
				 const struct bulk_directory *d,
				 const struct task *t)
{
	char *s = arena_strdup(a, "");
	for (int i = 0; s && i < t->nco_units; i++)
		s = arena_printf(a, "%s%s%s", s, i ? "; " : "",
				 bulk_unit_text(d, t->co_unit_ids[i]));
	return s ? s : "";
}

static enum err tasks_sheet(struct arena *a, const struct bulk_directory *d,
			    struct sheet *out, struct error *e)
{
	int n = d->ntasks;
	const char **cells = grid(a, n + 1, NTASK_COLS, task_headers);
	const char **stt = arena_alloc(a, sizeof(char *) * ((size_t)n + 1));
	int *kids = arena_alloc(a, sizeof(int) * ((size_t)n + 1));
	if (!cells || !stt || !kids)
		return error_set(e, ERR_NOMEM, "export: out of memory");
	int roots = 0;
	for (int i = 0; i < n; i++) {
		const struct task *t = &d->tasks[i];
		/* "2.1": the parent comes before in tree order */
		int p = -1;
		for (int j = i - 1; t->parent_id && j >= 0 && p < 0; j--)
			if (d->tasks[j].id == t->parent_id)
				p = j;
		stt[i] = p < 0 ? arena_printf(a, "%d", ++roots)
			       : arena_printf(a, "%s.%d", stt[p], ++kids[p]);
		const char **row = cells + (size_t)(i + 1) * NTASK_COLS;
		const char *v[NTASK_COLS] = {
			arena_printf(a, "%lld", t->id),
			stt[i],
			p < 0 ? "" : stt[p],
			t->title,
			t->description ? t->description : "",
			bulk_unit_text(d, t->lead_unit_id),
			co_units_text(a, d, t),
			t->responsible_user_id
				? bulk_user_text(d, t->responsible_user_id)
				: "",
			bulk_links_text(a, t),
			t->start_on,
			t->due_on,
			task_recurrence_label_vi(t->recurrence),
			arena_printf(a, "%g", t->weight),
			task_status_label_vi(t->status),
			arena_printf(a, "%d", t->progress),
		};
		for (int c = 0; c < NTASK_COLS; c++) {
			if (!v[c])
				return error_set(e, ERR_NOMEM,
						 "export: out of memory");
			row[c] = v[c];
		}
	}
	*out = (struct sheet){n + 1, NTASK_COLS, cells};
	return ERR_OK;
}

struct update_ref {
	int tree, row; /* the task's place in tree order; the result row */
};

static int cmp_ref(const void *x, const void *y)
{
	const struct update_ref *a = x, *b = y;
	if (a->tree != b->tree)
		return a->tree - b->tree;
	return a->row - b->row; /* the query's order: time, then id */
}

static const char *vn_day(struct arena *a, const char *at)
{
	time_t t;
	if (!at || !clock_parse_iso(at, &t))
		return "";
	char buf[21];
	clock_format_iso(t + 7 * 3600, buf);
	return arena_strndup(a, buf, 10);
}

static enum err updates_sheet(struct db *db, struct arena *a,
			      const struct bulk_directory *d, struct sheet *out,
			      struct error *e)
{
	struct db_result *r;
	enum err err = bulkdb_updates(db, a, d->plan_id, &r, e);
	if (err)
		return err;
	int n = r->nrows;
	const char **cells = grid(a, n + 1, NUPDATE_COLS, update_headers);
	struct update_ref *refs =
		arena_alloc(a, sizeof *refs * ((size_t)n + 1));
	if (!cells || !refs)
		return error_set(e, ERR_NOMEM, "export: out of memory");
	/* rows come by task id: find each task's tree place once */
	int tree = -1;
	long long cur = 0;
	for (int i = 0; i < n; i++) {
		long long tid = db_get_int(r, i, "task_id", 0);
		if (i == 0 || tid != cur) {
			cur = tid;
			tree = d->ntasks;
			for (int k = 0; k < d->ntasks; k++)
				if (d->tasks[k].id == tid) {
					tree = k;
					break;
				}
		}
		refs[i] = (struct update_ref){tree, i};
	}
	qsort(refs, (size_t)n, sizeof *refs, cmp_ref);
	for (int i = 0; i < n; i++) {
		int k = refs[i].tree, j = refs[i].row;
		const char **row = cells + (size_t)(i + 1) * NUPDATE_COLS;
		const char *v[NUPDATE_COLS] = {
			db_get(r, j, "task_id"),
			k < d->ntasks ? d->tasks[k].title : "",
			vn_day(a, db_get(r, j, "at")),
			db_get(r, j, "progress"),
			task_status_label_vi(db_get(r, j, "status")),
			db_get(r, j, "note"),
			db_get(r, j, "user_name"),
		};
		for (int c = 0; c < NUPDATE_COLS; c++)
			row[c] = v[c] ? v[c] : "";
	}
	*out = (struct sheet){n + 1, NUPDATE_COLS, cells};
	return ERR_OK;
}

enum err bulk_export_sheet(struct db *db, struct arena *a, long long plan_id,
			   enum bulk_kind kind, struct sheet *out,
			   struct error *e)
{
	struct bulk_directory d;
	enum err err = bulk_directory_load(db, a, plan_id, &d, e);
	if (err)
		return err;
	return kind == BULK_TASKS ? tasks_sheet(a, &d, out, e)
				  : updates_sheet(db, a, &d, out, e);
}

/* A plain number ("12", "0.5", "-3") is no formula: left alone. */
static bool plain_number(const char *s)
{
	char *end;
	if (!*s)
		return false;
	strtod(s, &end);
	return !*end;
}

char *bulk_sheet_csv(struct arena *a, const struct sheet *s, size_t *len)
{
	bool date_col[1000] = {false};
	for (int c = 0; s->nrows > 0 && c < s->ncols && c < 1000; c++)
		for (size_t k = 0;
		     k < sizeof date_headers / sizeof *date_headers; k++)
			if (!strcmp(sheet_cell(s, 0, c), date_headers[k]))
				date_col[c] = true;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	/* Excel reads a UTF-8 CSV as ANSI unless it starts with a BOM */
	fputs("\xEF\xBB\xBF", f);
	bool ok = true;
	for (int r = 0; r < s->nrows && ok; r++) {
		for (int c = 0; c < s->ncols && ok; c++) {
			const char *v = sheet_cell(s, r, c);
			if (r > 0 && c < 1000 && date_col[c] && *v) {
				const char *vi = text_format_date(a, v);
				v = vi ? vi : v;
			} else if (r > 0 && *v && strchr("=+-@\t\r", *v) &&
				   !plain_number(v)) {
				/* or a spreadsheet runs it as a formula */
				v = arena_printf(a, "'%s", v);
			}
			if (c)
				fputc(',', f);
			ok = v && csv_write_field(f, v) == ERR_OK;
		}
		fputs("\r\n", f);
	}
	ok = !ferror(f) && ok;
	fclose(f);
	char *out = ok ? arena_strndup(a, buf, n) : NULL;
	free(buf);
	*len = out ? n : 0;
	return out;
}

enum err bulk_export(struct db *db, struct arena *a, long long plan_id,
		     enum bulk_kind kind, enum bulk_format format,
		     unsigned char **bytes, size_t *len, const char **mime,
		     const char **filename, struct error *e)
{
	struct sheet s;
	enum err err = bulk_export_sheet(db, a, plan_id, kind, &s, e);
	if (err)
		return err;
	const char *what = kind == BULK_TASKS ? "nhiem-vu" : "cap-nhat";
	if (format == BULK_CSV) {
		*bytes = (unsigned char *)bulk_sheet_csv(a, &s, len);
		if (!*bytes)
			return error_set(e, ERR_NOMEM,
					 "plan %lld: export: out of memory",
					 plan_id);
		*mime = "text/csv; charset=utf-8";
		*filename =
			arena_printf(a, "ke-hoach-%lld-%s.csv", plan_id, what);
		return ERR_OK;
	}
	const char *name[] = {kind == BULK_TASKS ? "Nhiệm vụ"
						 : "Cập nhật tiến độ"};
	err = xlsx_write(a, name, &s, 1, bytes, len, e);
	if (err)
		return err;
	*mime = "application/"
		"vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	*filename = arena_printf(a, "ke-hoach-%lld-%s.xlsx", plan_id, what);
	return ERR_OK;
}
