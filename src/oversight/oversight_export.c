/* The lists of oversight/ as CSV (dates dd/mm/yyyy, as people type them)
 * or XLSX (dates as dates): every row the filters keep, not one page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oversight.h"
#include "../base/csv.h"
#include "../base/text.h"
#include "../base/xlsx.h"
#include "../base/banned.h"

enum { EXPORT_ROWS_MAX = 200000 };

static const char *const inspection_headers[] = {
	"Mã",           "Loại",         "Tên cuộc kiểm tra, giám sát",
	"Căn cứ",       "Thành viên",   "Phạm vi, nội dung",
	"Từ ngày",      "Đến ngày",     "Đơn vị được kiểm tra",
	"Số kết luận",  "Số kiến nghị", "Chưa khắc phục",
	"Chờ xác nhận", "Đã xác nhận",
};
enum { NI = sizeof inspection_headers / sizeof *inspection_headers };

static const char *const rec_headers[] = {
	"Mã kiến nghị",
	"Cuộc kiểm tra, giám sát",
	"Loại",
	"Kết luận",
	"Kiến nghị",
	"Đơn vị khắc phục",
	"Hạn khắc phục",
	"Mã nhiệm vụ",
	"Tiến độ (%)",
	"Ngày hoàn thành",
	"Tình trạng",
	"Ngày xác nhận",
	"Ghi chú xác nhận",
};
enum { NR = sizeof rec_headers / sizeof *rec_headers };

/* A copy in the arena: the list is freed before the file is written. */
static const char *sa(struct arena *a, json_t *row, const char *k)
{
	json_t *v = json_object_get(row, k);
	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : "";
}

static const char *n(struct arena *a, json_t *row, const char *k)
{
	json_t *v = json_object_get(row, k);
	return json_is_integer(v)
		       ? arena_printf(a, "%lld",
				      (long long)json_integer_value(v))
		       : "";
}

static bool is_date_col(const char *h)
{
	return !strcmp(h, "Từ ngày") || !strcmp(h, "Đến ngày") ||
	       !strcmp(h, "Hạn khắc phục") || !strcmp(h, "Ngày hoàn thành") ||
	       !strcmp(h, "Ngày xác nhận");
}

enum err oversight_export(struct db *db, struct arena *a,
			  const struct oversight_filter *f,
			  enum oversight_what what, bool xlsx,
			  unsigned char **out, size_t *len, struct error *e)
{
	struct oversight_filter all = *f;
	all.page = 1;
	all.per_page = 0;
	json_t *list;
	enum err err = what == OV_INSPECTIONS
			       ? inspection_list(db, a, &all, &list, e)
			       : recommendation_list(db, a, &all, &list, e);
	if (err)
		return err;
	json_t *rows = json_object_get(list, "rows");
	size_t nrows = json_array_size(rows);
	if (nrows > EXPORT_ROWS_MAX) {
		json_decref(list);
		return error_set(e, ERR_TOOBIG, "export: %zu rows, at most %d",
				 nrows, EXPORT_ROWS_MAX);
	}
	int ncols = what == OV_INSPECTIONS ? NI : NR;
	const char *const *head =
		what == OV_INSPECTIONS ? inspection_headers : rec_headers;
	const char **cells =
		arena_alloc(a, sizeof(char *) * (nrows + 1) * (size_t)ncols);
	if (!cells) {
		json_decref(list);
		return error_set(e, ERR_NOMEM, "export: out of memory");
	}
	for (int c = 0; c < ncols; c++)
		cells[c] = head[c];
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char **row = cells + (i + 1) * (size_t)ncols;
		if (what == OV_INSPECTIONS) {
			const char *v[NI] = {
				n(a, r, "id"),
				sa(a, r, "kind_vi"),
				sa(a, r, "title"),
				sa(a, r, "reference"),
				sa(a, r, "team"),
				sa(a, r, "scope"),
				sa(a, r, "from_on"),
				sa(a, r, "to_on"),
				*sa(a, r, "unit_name") ? sa(a, r, "unit_name")
						       : "Cả xã",
				n(a, r, "findings"),
				n(a, r, "recommendations"),
				n(a, r, "open"),
				n(a, r, "fixed"),
				n(a, r, "verified"),
			};
			memcpy(row, v, sizeof v);
		} else {
			const char *v[NR] = {
				n(a, r, "id"),
				sa(a, r, "inspection_title"),
				sa(a, r, "kind_vi"),
				sa(a, r, "finding"),
				sa(a, r, "text"),
				sa(a, r, "unit_name"),
				sa(a, r, "task_due_on"),
				n(a, r, "task_id"),
				n(a, r, "progress"),
				sa(a, r, "done_on"),
				sa(a, r, "state_vi"),
				sa(a, r, "verified_on"),
				sa(a, r, "verified_note"),
			};
			memcpy(row, v, sizeof v);
		}
	}
	json_decref(list);
	for (size_t k = 0; k < (nrows + 1) * (size_t)ncols; k++)
		if (!cells[k])
			return error_set(e, ERR_NOMEM, "export: out of memory");
	if (xlsx) {
		struct sheet sh = {(int)nrows + 1, ncols, cells};
		const char *name = what == OV_INSPECTIONS ? "Kiểm tra, giám sát"
							  : "Kiến nghị";
		return xlsx_write(a, &name, &sh, 1, out, len, e);
	}
	/* CSV: a BOM so Excel reads UTF-8, dates as people write them */
	char *buf = NULL;
	size_t blen = 0;
	FILE *fh = open_memstream(&buf, &blen);
	if (!fh)
		return error_set(e, ERR_NOMEM, "export: out of memory");
	bool ok = fputs("\xEF\xBB\xBF", fh) >= 0;
	for (size_t rr = 0; ok && rr <= nrows; rr++) {
		for (int c = 0; ok && c < ncols; c++) {
			const char *v = cells[rr * (size_t)ncols + c];
			if (rr && is_date_col(head[c]) && *v) {
				const char *d = text_format_date(a, v);
				v = d ? d : v;
			}
			ok = (!c || fputc(',', fh) != EOF) &&
			     csv_write_field(fh, v) == ERR_OK;
		}
		ok = ok && fputs("\r\n", fh) >= 0;
	}
	ok = fclose(fh) == 0 && ok;
	unsigned char *copy = ok ? arena_alloc(a, blen + 1) : NULL;
	if (copy)
		memcpy(copy, buf, blen);
	free(buf);
	if (!copy)
		return error_set(e, ERR_NOMEM, "export: out of memory");
	*out = copy;
	*len = blen;
	return ERR_OK;
}
