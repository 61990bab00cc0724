/* Unit import from the four CSV formats of data/units/, told apart by their
 * header:
 *   gso-old     the statistics office's old list: province -> districts ->
 *               communes; all of them ended on 30/06/2025, when districts
 *               were abolished and the communes reorganised;
 *   new-2025    the commune-level units from 01/07/2025, under the province;
 *   nq1666      Nghị quyết 1666: which old units formed each new one;
 *   old-to-new  old commune code -> new commune code.
 * Units are matched by code, never by name (names are spelled differently
 * between sources, and a new unit often reuses a predecessor's code). The
 * whole file is one transaction: any bad line and nothing changes. Running
 * it twice changes nothing the second time. */
#include <stdarg.h>
#include <string.h>
#include "people_db.h"
#include "../base/csv.h"
#include "../base/text.h"
#include "../base/banned.h"

#define OLD_END "2025-06-30"   /* last day of the old units */
#define NEW_START "2025-07-01" /* first day of the two-level government */

struct import {
	struct db *db;
	struct arena *a;
	const struct actor *who;
	struct import_report *rep;
	const struct csv_table *t;
	enum err fatal; /* a database failure: stop at once */
	struct error *e;
};

static void bad(struct import *im, int row, const char *vi, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

static void bad(struct import *im, int row, const char *vi, const char *fmt,
		...)
{
	struct import_report *rep = im->rep;
	if (rep->nerrors >= IMPORT_MAX_ERRORS) {
		rep->nerrors++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *en = arena_vprintf(im->a, fmt, ap);
	va_end(ap);
	struct import_line_error *le = &rep->errors[rep->nerrors++];
	le->line = row >= 0 ? im->t->lines[row] : 1;
	le->msg_en = en ? en : "out of memory";
	le->msg_vi = vi;
}

static const char *cell(struct import *im, int row, const char *col)
{
	int c = csv_col(im->t, col);
	const char *v = c >= 0 ? csv_get(im->t, row, c) : NULL;
	return v ? text_trim(im->a, v) : "";
}

static bool digits(const char *s)
{
	if (!*s || strlen(s) > 10)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "Tỉnh Hưng Yên" -> type "Tỉnh", name "Hưng Yên". */
static void split_province(struct arena *a, const char *full, const char **type,
			   const char **name)
{
	static const char *const prefixes[] = {"Tỉnh ", "Thành phố "};
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(full, prefixes[i], n) && full[n]) {
			*type = arena_strndup(a, prefixes[i], n - 1);
			*name = full + n;
			return;
		}
	}
	*type = "Tỉnh";
	*name = full;
}

/* A database failure stops the import; bad data is a line error. */
static bool failed(struct import *im, enum err err, int row, json_t *errors,
		   struct error *ue)
{
	if (!err)
		return false;
	if (err != ERR_INVALID) {
		im->fatal =
			error_set(im->e, err, "line %d: %s",
				  row >= 0 ? im->t->lines[row] : 1, ue->msg);
		return true;
	}
	const char *vi = "Dòng không hợp lệ.";
	const char *k;
	json_t *v;
	json_object_foreach(errors, k, v)
	{
		vi = arena_strdup(im->a, json_string_value(v));
		break;
	}
	bad(im, row, vi, "%s", ue->msg);
	return true;
}

/* Finds the unit by (code, kind, start); creates it when absent, brings
 * name, type, full name and parent up to date when they differ. */
static long long ensure(struct import *im, int row, struct unit *want)
{
	struct unit have;
	struct error ue = {0};
	long long id = 0;
	if (!want->full_name)
		want->full_name =
			arena_printf(im->a, "%s %s", want->type_vi, want->name);
	if (!want->full_name) {
		im->fatal = error_set(im->e, ERR_NOMEM,
				      "unit import: out of memory");
		return 0;
	}
	json_t *errors = json_object();
	enum err err = pdb_unit_by_code(im->db, im->a, want->code, want->kind,
					want->valid_from, &have, &ue);
	if (err == ERR_NOTFOUND) {
		ue = (struct error){0};
		err = units_create_in(im->db, im->a, im->who, want, errors,
				      &ue);
		if (!failed(im, err, row, errors, &ue)) {
			im->rep->created++;
			id = want->id;
		}
	} else if (err) {
		failed(im, err, row, errors, &ue);
	} else if (strcmp(have.name, want->name) ||
		   strcmp(have.type_vi, want->type_vi) ||
		   strcmp(have.full_name, want->full_name) ||
		   have.parent_id != want->parent_id) {
		struct unit u = have;
		u.name = want->name;
		u.type_vi = want->type_vi;
		u.full_name = want->full_name;
		u.parent_id = want->parent_id;
		err = units_edit_in(im->db, im->a, im->who, &u, errors, &ue);
		if (!failed(im, err, row, errors, &ue)) {
			im->rep->updated++;
			id = have.id;
		}
	} else {
		im->rep->unchanged++;
		id = have.id;
	}
	json_decref(errors);
	return id;
}

static long long ensure_province(struct import *im, int row, const char *code,
				 const char *full)
{
	struct unit p = {.code = code,
			 .kind = "province",
			 .full_name = full,
			 .population = -1};
	split_province(im->a, full, &p.type_vi, &p.name);
	/* The province is the same unit before and after 2025: match it by
	 * code whatever its start date. */
	struct unit have;
	struct error ue = {0};
	enum err err = pdb_unit_by_code(im->db, im->a, code, "province", NULL,
					&have, &ue);
	if (!err) {
		im->rep->unchanged++;
		return have.id;
	}
	if (err != ERR_NOTFOUND) {
		failed(im, err, row, NULL, &ue);
		return 0;
	}
	return ensure(im, row, &p);
}

static void import_gso_old(struct import *im)
{
	const struct csv_table *t = im->t;
	for (int i = 0; i < t->nrows && !im->fatal; i++) {
		const char *pc = cell(im, i, "province_code"),
			   *pn = cell(im, i, "province_name");
		const char *dc = cell(im, i, "district_code"),
			   *dn = cell(im, i, "district_name");
		const char *dt = cell(im, i, "district_type"),
			   *df = cell(im, i, "district_full_name");
		const char *cc = cell(im, i, "commune_code"),
			   *cn = cell(im, i, "commune_name");
		const char *ct = cell(im, i, "commune_type"),
			   *cf = cell(im, i, "commune_full_name");
		int before = im->rep->nerrors;
		if (!digits(pc))
			bad(im, i, "Mã tỉnh phải là chữ số.",
			    "bad province code \"%s\"", pc);
		if (!digits(dc))
			bad(im, i, "Mã huyện phải là chữ số.",
			    "bad district code \"%s\"", dc);
		if (!digits(cc))
			bad(im, i, "Mã xã phải là chữ số.",
			    "bad commune code \"%s\"", cc);
		if (!*pn || !*dn || !*dt || !*cn || !*ct)
			bad(im, i, "Thiếu tên hoặc loại đơn vị.",
			    "empty name or type");
		int col_c = csv_col(t, "commune_code"),
		    col_d = csv_col(t, "district_code");
		int col_dn = csv_col(t, "district_name");
		for (int j = 0; j < i; j++) {
			if (!strcmp(csv_get(t, i, col_c),
				    csv_get(t, j, col_c))) {
				bad(im, i, "Mã xã bị trùng trong tệp.",
				    "commune code %s repeats line %d", cc,
				    t->lines[j]);
				break;
			}
			if (!strcmp(csv_get(t, i, col_d),
				    csv_get(t, j, col_d)) &&
			    strcmp(csv_get(t, i, col_dn),
				   csv_get(t, j, col_dn))) {
				bad(im, i,
				    "Cùng mã huyện nhưng tên huyện khác dòng "
				    "trước.",
				    "district %s named differently on line %d",
				    dc, t->lines[j]);
				break;
			}
		}
		if (im->rep->nerrors > before)
			continue;
		long long prov = ensure_province(im, i, pc, pn);
		if (!prov)
			continue;
		struct unit d = {.code = dc,
				 .kind = "district",
				 .type_vi = dt,
				 .name = dn,
				 .full_name = *df ? df : NULL,
				 .parent_id = prov,
				 .valid_to = OLD_END,
				 .population = -1};
		long long dist = ensure(im, i, &d);
		if (!dist)
			continue;
		struct unit c = {.code = cc,
				 .kind = "commune",
				 .type_vi = ct,
				 .name = cn,
				 .full_name = *cf ? cf : NULL,
				 .parent_id = dist,
				 .valid_to = OLD_END,
				 .population = -1};
		ensure(im, i, &c);
	}
}

static void import_new_2025(struct import *im)
{
	const struct csv_table *t = im->t;
	for (int i = 0; i < t->nrows && !im->fatal; i++) {
		const char *pc = cell(im, i, "province_code"),
			   *pn = cell(im, i, "province_name");
		const char *wc = cell(im, i, "ward_code"),
			   *wn = cell(im, i, "ward_name");
		const char *wt = cell(im, i, "ward_type"),
			   *wf = cell(im, i, "full_name");
		const char *post = cell(im, i, "postal_code");
		int before = im->rep->nerrors;
		if (!digits(pc))
			bad(im, i, "Mã tỉnh phải là chữ số.",
			    "bad province code \"%s\"", pc);
		if (!digits(wc))
			bad(im, i, "Mã xã, phường phải là chữ số.",
			    "bad ward code \"%s\"", wc);
		if (!*pn || !*wn || !*wt)
			bad(im, i, "Thiếu tên hoặc loại đơn vị.",
			    "empty name or type");
		if (*post && !digits(post))
			bad(im, i, "Mã bưu chính phải là chữ số.",
			    "bad postal code \"%s\"", post);
		int col_w = csv_col(t, "ward_code");
		for (int j = 0; j < i; j++)
			if (!strcmp(csv_get(t, i, col_w),
				    csv_get(t, j, col_w))) {
				bad(im, i, "Mã xã, phường bị trùng trong tệp.",
				    "ward code %s repeats line %d", wc,
				    t->lines[j]);
				break;
			}
		if (im->rep->nerrors > before)
			continue;
		long long prov = ensure_province(im, i, pc, pn);
		if (!prov)
			continue;
		struct unit c = {.code = wc,
				 .kind = "commune",
				 .type_vi = wt,
				 .name = wn,
				 .full_name = *wf ? wf : NULL,
				 .parent_id = prov,
				 .valid_from = NEW_START,
				 .population = -1,
				 .note = *post ? arena_printf(im->a,
							      "Mã bưu chính %s",
							      post)
					       : ""};
		ensure(im, i, &c);
	}
}

/* One predecessor into one successor on 01/07/2025, unless already so. */
static void merge_one(struct import *im, int row, const char *old_code,
		      const char *new_code, bool old_required, const char *note)
{
	struct unit succ, pred;
	struct error ue = {0};
	enum err err = pdb_unit_by_code(im->db, im->a, new_code, "commune",
					NEW_START, &succ, &ue);
	if (err == ERR_NOTFOUND) {
		bad(im, row,
		    "Chưa có đơn vị mới với mã này: hãy nhập danh sách đơn vị "
		    "từ 01/07/2025 trước.",
		    "no new unit with code %s from " NEW_START
		    ": import the new-2025 list first",
		    new_code);
		return;
	}
	if (failed(im, err, row, NULL, &ue))
		return;
	err = pdb_unit_by_code(im->db, im->a, old_code, "commune", NULL, &pred,
			       &ue);
	if (err == ERR_NOTFOUND) {
		if (old_required)
			bad(im, row,
			    "Chưa có đơn vị cũ với mã này: hãy nhập danh sách "
			    "đơn vị cũ trước.",
			    "no old unit with code %s: import the old list "
			    "first",
			    old_code);
		else
			im->rep->unchanged++;
		return;
	}
	if (failed(im, err, row, NULL, &ue))
		return;
	if (pred.successor_id == succ.id) {
		im->rep->unchanged++;
		return;
	}
	if (pred.successor_id) {
		bad(im, row, "Đơn vị cũ đã được sáp nhập vào đơn vị khác.",
		    "old unit %s already merged into unit %lld, not %s",
		    old_code, pred.successor_id, new_code);
		return;
	}
	json_t *errors = json_object();
	err = units_merge_in(im->db, im->a, im->who, &pred.id, 1, succ.id,
			     NEW_START, note, errors, &ue);
	if (!failed(im, err, row, errors, &ue))
		im->rep->merged++;
	json_decref(errors);
}

static void import_nq1666(struct import *im)
{
	const struct csv_table *t = im->t;
	for (int i = 0; i < t->nrows && !im->fatal; i++) {
		const char *item = cell(im, i, "nq_1666_item");
		const char *code = cell(im, i, "new_code");
		const char *name = cell(im, i, "new_unit_name");
		const char *listed =
			cell(im, i, "predecessor_units_as_listed_in_nq_1666");
		int before = im->rep->nerrors;
		if (!digits(item))
			bad(im, i, "Số mục của nghị quyết phải là chữ số.",
			    "bad item \"%s\"", item);
		if (!digits(code))
			bad(im, i, "Mã đơn vị mới phải là chữ số.",
			    "bad new code \"%s\"", code);
		if (!*name || !*listed)
			bad(im, i,
			    "Thiếu tên đơn vị mới hoặc danh sách đơn vị cũ.",
			    "empty new unit name or predecessor list");
		if (im->rep->nerrors > before)
			continue;
		/* The resolution lists predecessors by name only; the one that
		 * lends its code to the new unit is matched, by that code. The
		 * others come with files that give codes (old-to-new). */
		const char *note = arena_printf(
			im->a, "Nghị quyết 1666/NQ-UBTVQH15, mục %s: %s", item,
			listed);
		merge_one(im, i, code, code, false, note);
	}
}

static void import_old_to_new(struct import *im)
{
	const struct csv_table *t = im->t;
	for (int i = 0; i < t->nrows && !im->fatal; i++) {
		const char *oc = cell(im, i, "old_commune_code");
		const char *nc = cell(im, i, "new_commune_code");
		const char *src = cell(im, i, "source");
		int before = im->rep->nerrors;
		if (!digits(oc))
			bad(im, i, "Mã xã cũ phải là chữ số.",
			    "bad old commune code \"%s\"", oc);
		if (!digits(nc))
			bad(im, i, "Mã xã mới phải là chữ số.",
			    "bad new commune code \"%s\"", nc);
		if (im->rep->nerrors > before)
			continue;
		merge_one(im, i, oc, nc, true, src);
	}
}

static const struct format {
	const char *name, *col1, *col2;
	void (*run)(struct import *);
	const char *required[11]; /* every column the reader uses */
} formats[] = {
	{"gso-old",
	 "district_code",
	 "commune_code",
	 import_gso_old,
	 {"province_code", "province_name", "district_code", "district_name",
	  "district_type", "district_full_name", "commune_code", "commune_name",
	  "commune_type", "commune_full_name"}},
	{"new-2025",
	 "ward_code",
	 "province_code",
	 import_new_2025,
	 {"province_code", "province_name", "ward_code", "ward_name",
	  "ward_type", "full_name", "postal_code"}},
	{"nq1666",
	 "nq_1666_item",
	 "new_code",
	 import_nq1666,
	 {"nq_1666_item", "new_unit_name", "new_code",
	  "predecessor_units_as_listed_in_nq_1666"}},
	{"old-to-new",
	 "old_commune_code",
	 "new_commune_code",
	 import_old_to_new,
	 {"old_commune_code", "new_commune_code", "source"}},
};

enum err unit_import(struct db *db, struct arena *a, const struct actor *who,
		     const char *csv, size_t len, struct import_report *rep,
		     struct error *e)
{
	*rep = (struct import_report){0};
	rep->errors = arena_alloc(a, sizeof *rep->errors * IMPORT_MAX_ERRORS);
	if (!rep->errors)
		return error_set(e, ERR_NOMEM, "unit import: out of memory");
	struct csv_table t;
	enum err err = csv_parse(a, csv, len, &t, e);
	if (err)
		return err;
	const struct format *f = NULL;
	for (size_t i = 0; i < sizeof formats / sizeof *formats && !f; i++)
		if (csv_col(&t, formats[i].col1) >= 0 &&
		    csv_col(&t, formats[i].col2) >= 0)
			f = &formats[i];
	if (!f) {
		rep->errors[0] = (struct import_line_error){
			1,
			"unknown format: the header matches none of the four "
			"unit files",
			"Không nhận ra định dạng tệp: dòng tiêu đề không khớp "
			"với tệp đơn vị nào."};
		rep->nerrors = 1;
		return error_set(
			e, ERR_INVALID,
			"unit import: unknown format (header starts \"%s\")",
			t.ncols ? t.header[0] : "");
	}
	rep->format = f->name;
	for (int i = 0; f->required[i]; i++)
		if (csv_col(&t, f->required[i]) < 0) {
			rep->errors[0] = (struct import_line_error){
				1,
				arena_printf(a, "missing column %s",
					     f->required[i]),
				"Tệp thiếu cột bắt buộc."};
			rep->nerrors = 1;
			return error_set(e, ERR_INVALID,
					 "unit import (%s): missing column %s",
					 f->name, f->required[i]);
		}
	if (t.nrows == 0)
		return error_set(e, ERR_INVALID, "unit import: no data rows");

	struct import im = {db, a, who, rep, &t, ERR_OK, e};
	err = db_begin(db, e);
	if (err)
		return err;
	f->run(&im);
	if (im.fatal) {
		db_rollback(db);
		return im.fatal;
	}
	if (rep->nerrors) {
		db_rollback(db);
		rep->created = rep->updated = rep->merged = 0;
		return error_set(
			e, ERR_INVALID,
			"unit import (%s): %d bad line%s, nothing imported",
			f->name, rep->nerrors, rep->nerrors > 1 ? "s" : "");
	}
	if (rep->created || rep->updated || rep->merged) {
		json_t *after = json_pack(
			"{s:s, s:i, s:i, s:i, s:i}", "format", f->name,
			"created", rep->created, "updated", rep->updated,
			"merged", rep->merged, "unchanged", rep->unchanged);
		err = audit_actor(db, a, who, "unit.import", "unit", 0, NULL,
				  after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}
