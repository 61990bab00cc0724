/* The register's list as CSV (dates dd/mm/yyyy, UTF-8 with a BOM for
 * Excel, formulas defused: plan's bulk_sheet_csv) or XLSX (dates as
 * dates). */
#include <string.h>
#include "disclosure.h"
#include "../plan/plan_bulk.h"
#include "../base/text.h"
#include "../base/banned.h"

enum err disc_export(struct db *db, struct arena *a,
		     const struct disc_filter *f, bool xlsx,
		     unsigned char **bytes, size_t *len, const char **mime,
		     const char **filename, struct error *e)
{
	struct sheet s;
	enum err err = disc_export_sheet(db, a, f, &s, e);
	if (err)
		return err;
	const char *stem = f->year ? arena_printf(a, "cong-khai-%d", f->year)
				   : "cong-khai";
	if (!xlsx) {
		/* columns 6 and 7 are the posting days */
		const char **cells = arena_alloc(
			a, sizeof(char *) * ((size_t)s.nrows * s.ncols + 1));
		if (!cells)
			return error_set(e, ERR_NOMEM, "export: out of memory");
		memcpy(cells, s.cells,
		       sizeof(char *) * (size_t)s.nrows * s.ncols);
		for (int r = 1; r < s.nrows; r++)
			for (int c = 6; c <= 7; c++) {
				const char **v =
					&cells[(size_t)r * s.ncols + c];
				const char *d = text_format_date(a, *v);
				if (d)
					*v = d;
			}
		s.cells = cells;
		*bytes = (unsigned char *)bulk_sheet_csv(a, &s, len);
		if (!*bytes)
			return error_set(e, ERR_NOMEM, "export: out of memory");
		*mime = "text/csv; charset=utf-8";
		*filename = arena_printf(a, "%s.csv", stem);
		return ERR_OK;
	}
	const char *name[] = {"Công khai"};
	err = xlsx_write(a, name, &s, 1, bytes, len, e);
	if (err)
		return err;
	*mime = "application/"
		"vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	*filename = arena_printf(a, "%s.xlsx", stem);
	return ERR_OK;
}
