/* Survey rounds: creation and settings, the sample frame (all-or-nothing
 * CSV import), the draw from a seed, contacts and replacements. The draw
 * itself is sampling.c; the SQL is sampling_db.c. */
#include "round.h"
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "index_db.h"
#include "sampling_db.h"
#include "../base/csv.h"
#include "../base/text.h"
#include "../people/people.h"
#include "../base/banned.h"

enum { NAME_MAX_BYTES = 200, NOTE_MAX_BYTES = 2000, FIELD_MAX_BYTES = 500 };

static const char *str(const char *s)
{
	return s ? s : "";
}

static bool blank(const char *s)
{
	return !s || !*s;
}

/* A whole number in lo..hi, else false. */
static bool int_in(const char *s, long long lo, long long hi, long long *out)
{
	if (blank(s))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static void invalid(json_t *errors, struct error *e, const char *field,
		    const char *msg_vi, const char *msg_en)
{
	if (errors && !json_object_get(errors, field))
		json_object_set_new(errors, field, json_string(msg_vi));
	if (e && e->code == ERR_OK)
		error_set(e, ERR_INVALID, "%s", msg_en);
}

static enum err audit(struct db *db, struct arena *a,
		      const struct papi_actor *who, const char *action,
		      long long id, json_t *before, json_t *after,
		      struct error *e)
{
	enum err err = audit_record(
		db, a, who->user_id, who->username, who->remote_addr, action,
		"survey_round", arena_printf(a, "%lld", id), before, after, e);
	json_decref(before);
	json_decref(after);
	return err;
}

/* ---- rounds ---- */

static json_t *round_json(struct arena *a, const struct db_result *r, int i)
{
	json_t *o = db_row_json(r, i);
	if (!o)
		return NULL;
	const char *drawn = db_get(r, i, "drawn_at");
	json_object_set_new(
		o, "drawn_at_vi",
		json_string(drawn ? str(text_format_datetime(a, drawn)) : ""));
	static const char *const status_vi[][2] = {
		{"draft", "Nháp"},
		{"sampling", "Chọn mẫu"},
		{"fieldwork", "Đang khảo sát"},
		{"closed", "Đã đóng"}};
	const char *st = str(db_get(r, i, "status"));
	for (size_t k = 0; k < sizeof status_vi / sizeof *status_vi; k++)
		if (!strcmp(st, status_vi[k][0]))
			json_object_set_new(o, "status_vi",
					    json_string(status_vi[k][1]));
	json_object_set_new(
		o, "province_scope",
		json_boolean(
			!strcmp(str(db_get(r, i, "scope_kind")), "province")));
	return o;
}

enum err round_get(struct db *db, struct arena *a, long long id, json_t **out,
		   struct error *e)
{
	struct db_result *r;
	enum err err = sdb_round_get(db, a, id, &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "round %lld: no such round",
				 id);
	*out = round_json(a, r, 0);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "round %lld", id);
}

enum err round_list(struct db *db, struct arena *a, json_t **out,
		    struct error *e)
{
	struct db_result *r;
	enum err err = sdb_rounds(db, a, &r, e);
	if (err)
		return err;
	*out = json_array();
	for (int i = 0; i < r->nrows; i++)
		json_array_append_new(*out, round_json(a, r, i));
	return ERR_OK;
}

/* Checks the settings of in (blank: the value in `cur`) into row. */
static void check_settings(struct arena *a, const struct round_input *in,
			   const json_t *cur, struct round_row_input *row,
			   json_t *errors, struct error *e)
{
	struct setting {
		const char *field, *value;
		const char **dest;
		long long lo, hi, def;
		const char *msg_vi;
	} ints[] = {
		{"min_answers", in->min_answers, &row->min_answers, 1, 100000,
		 10, "Số câu trả lời tối thiểu phải là số nguyên từ 1."},
		{"sample_units", in->sample_units, &row->sample_units, 0, 10000,
		 1, "Số đơn vị chọn thêm phải là số nguyên từ 0."},
		{"sample_people", in->sample_people, &row->sample_people, 1,
		 1000, 20,
		 "Số người chọn mỗi đơn vị phải là số nguyên từ 1 đến 1.000."},
		{"sample_reserve", in->sample_reserve, &row->sample_reserve, 0,
		 1000, 10,
		 "Số người dự phòng phải là số nguyên từ 0 đến 1.000."},
		{"sample_quota", in->sample_quota, &row->sample_quota, 1, 1000,
		 16, "Chỉ tiêu phỏng vấn phải là số nguyên từ 1 đến 1.000."},
		{"age_min", in->age_min, &row->age_min, 0, 120, 18,
		 "Tuổi tối thiểu phải là số nguyên từ 0 đến 120."},
		{"age_max", in->age_max, &row->age_max, 0, 120, 70,
		 "Tuổi tối đa phải là số nguyên từ 0 đến 120."},
	};
	long long v[7];
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
		const char *s = ints[i].value;
		json_t *c = cur ? json_object_get(cur, ints[i].field) : NULL;
		if (blank(s)) {
			v[i] = c ? json_integer_value(c) : ints[i].def;
		} else if (!int_in(s, ints[i].lo, ints[i].hi, &v[i])) {
			invalid(errors, e, ints[i].field, ints[i].msg_vi,
				arena_printf(
					a,
					"%s: '%s' is not a whole number in "
					"%lld..%lld",
					ints[i].field, s, ints[i].lo,
					ints[i].hi));
			v[i] = ints[i].def;
		}
		*ints[i].dest = arena_printf(a, "%lld", v[i]);
	}
	if (v[4] > v[2] + v[3])
		invalid(errors, e, "sample_quota",
			"Chỉ tiêu không được lớn hơn số người chọn cộng dự "
			"phòng.",
			arena_printf(
				a,
				"sample_quota: %lld is more than %lld people "
				"plus %lld replacements",
				v[4], v[2], v[3]));
	if (v[5] > v[6])
		invalid(errors, e, "age_max",
			"Tuổi tối đa phải không nhỏ hơn tuổi tối thiểu.",
			arena_printf(a, "age_max: %lld is below age_min %lld",
				     v[6], v[5]));
	struct choice {
		const char *field, *value;
		const char **dest;
		const char *const *allowed;
		const char *msg_vi;
	};
	static const char *const ties[] = {"upper", "lower", NULL};
	static const char *const bounds[] = {"theoretical", "observed", NULL};
	static const char *const lonely[] = {"fail",   "remove",  "certainty",
					     "adjust", "average", NULL};
	struct choice ch[] = {
		{"tie_rule", in->tie_rule, &row->tie_rule, ties,
		 "Quy tắc điểm trùng ngưỡng: upper hoặc lower."},
		{"bounds_rule", in->bounds_rule, &row->bounds_rule, bounds,
		 "Quy tắc giới hạn: theoretical hoặc observed."},
		{"lonely_psu", in->lonely_psu, &row->lonely_psu, lonely,
		 "Quy tắc tầng một cụm: fail, remove, certainty, adjust hoặc "
		 "average."},
	};
	for (size_t i = 0; i < sizeof ch / sizeof *ch; i++) {
		const char *s = ch[i].value;
		json_t *c = cur ? json_object_get(cur, ch[i].field) : NULL;
		if (blank(s))
			s = c ? json_string_value(c) : ch[i].allowed[0];
		bool ok = false;
		for (int k = 0; ch[i].allowed[k]; k++)
			ok |= !strcmp(s, ch[i].allowed[k]);
		if (!ok) {
			invalid(errors, e, ch[i].field, ch[i].msg_vi,
				arena_printf(a, "%s: unknown value '%s'",
					     ch[i].field, s));
			s = ch[i].allowed[0];
		}
		*ch[i].dest = s;
	}
	row->name = in->name;
	if (blank(row->name) && cur)
		row->name = json_string_value(json_object_get(cur, "name"));
	row->name = text_trim(a, str(row->name));
	if (!row->name || !*row->name || strlen(row->name) > NAME_MAX_BYTES)
		invalid(errors, e, "name",
			"Vui lòng nhập tên đợt khảo sát (tối đa 200 byte).",
			"name: empty or over 200 bytes");
	row->note = in->note;
	if (!row->note && cur)
		row->note = json_string_value(json_object_get(cur, "note"));
	row->note = str(row->note);
	if (strlen(row->note) > NOTE_MAX_BYTES)
		invalid(errors, e, "note",
			"Ghi chú quá dài (tối đa 2.000 byte).",
			"note: over 2000 bytes");
}

enum err round_create(struct db *db, struct arena *a,
		      const struct papi_actor *who,
		      const struct round_input *in, long long *id,
		      json_t *errors, struct error *e)
{
	struct round_row_input row = {0};
	struct error first = {0};
	long long year = 0;
	if (!int_in(in->year, 1990, 2100, &year))
		invalid(errors, &first, "year",
			"Năm phải là một năm, ví dụ 2026.",
			arena_printf(a, "year: '%s' is not a year",
				     str(in->year)));
	struct unit u = {0};
	struct error ue = {0};
	if (blank(in->scope))
		invalid(errors, &first, "scope",
			"Vui lòng chọn xã hoặc tỉnh khảo sát.",
			"scope: missing");
	else if (units_find(db, a, in->scope, &u, &ue))
		invalid(errors, &first, "scope", "Không tìm thấy đơn vị này.",
			arena_printf(a, "scope %s: unknown unit", in->scope));
	else if (strcmp(u.kind, "commune") && strcmp(u.kind, "province"))
		invalid(errors, &first, "scope",
			"Phạm vi phải là một xã (khảo sát các thôn) hoặc một "
			"tỉnh "
			"(khảo sát các xã).",
			arena_printf(
				a, "scope %s: a %s, not a commune or province",
				in->scope, u.kind));
	long long cat_year = 0, version = 0;
	if (!int_in(in->catalogue, 1990, 2100, &cat_year))
		invalid(errors, &first, "catalogue",
			"Vui lòng chọn năm của danh mục.",
			arena_printf(a, "catalogue: '%s' is not a year",
				     str(in->catalogue)));
	else {
		enum err err = idb_catalogue_version_id(db, a, (int)cat_year,
							&version, e);
		if (err)
			return err;
		if (!version)
			invalid(errors, &first, "catalogue",
				"Năm này chưa có danh mục.",
				arena_printf(a,
					     "catalogue %lld: no such version",
					     cat_year));
	}
	check_settings(a, in, NULL, &row, errors, &first);
	if (first.code)
		return error_set(e, first.code, "%s", first.msg);
	row.year = arena_printf(a, "%lld", year);
	row.scope_unit_id = arena_printf(a, "%lld", u.id);
	row.catalogue_version_id = arena_printf(a, "%lld", version);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = sdb_round_insert(db, a, &row, id, e);
	json_t *after = NULL;
	if (!err)
		err = round_get(db, a, *id, &after, e);
	if (!err)
		err = audit(db, a, who, "round.create", *id, NULL, after, e);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	return err;
}

enum err round_edit(struct db *db, struct arena *a,
		    const struct papi_actor *who, long long id,
		    const struct round_input *in, json_t *errors,
		    struct error *e)
{
	json_t *before;
	enum err err = round_get(db, a, id, &before, e);
	if (err)
		return err;
	struct round_row_input row = {0};
	struct error first = {0};
	check_settings(a, in, before, &row, errors, &first);
	if (first.code) {
		json_decref(before);
		return error_set(e, first.code, "round %lld: %s", id,
				 first.msg);
	}
	json_t *after = NULL;
	err = db_begin(db, e);
	if (!err) {
		err = sdb_round_update(db, a, id, &row, e);
		if (!err)
			err = round_get(db, a, id, &after, e);
		if (!err) {
			err = audit(db, a, who, "round.edit", id, before, after,
				    e);
			before = NULL;
		}
		if (!err)
			return db_commit(db, e);
		db_rollback(db);
	}
	json_decref(before);
	return err;
}

/* ---- the frame ---- */

static bool fold_eq(struct arena *a, const char *x, const char *y)
{
	const char *fx = text_fold(a, x), *fy = text_fold(a, y);
	return fx && fy && !strcmp(fx, fy);
}

/* The round's unit named by s (id, code or name), 0 when none matches. */
static long long match_unit(struct arena *a, const struct db_result *cand,
			    const char *s)
{
	for (int i = 0; i < cand->nrows; i++) {
		const char *id = db_get(cand, i, "id"),
			   *code = db_get(cand, i, "code");
		if ((id && !strcmp(id, s)) || (code && !strcmp(code, s)))
			return db_get_int(cand, i, "id", 0);
	}
	for (int i = 0; i < cand->nrows; i++)
		if (fold_eq(a, str(db_get(cand, i, "name")), s) ||
		    fold_eq(a, str(db_get(cand, i, "full_name")), s))
			return db_get_int(cand, i, "id", 0);
	return 0;
}

static bool parse_flag(struct arena *a, const char *s, bool *out)
{
	const char *f = text_fold(a, str(s));
	if (!f)
		return false;
	if (!*f || !strcmp(f, "0") || !strcmp(f, "no") || !strcmp(f, "khong")) {
		*out = false;
		return true;
	}
	if (!strcmp(f, "1") || !strcmp(f, "yes") || !strcmp(f, "co") ||
	    !strcmp(f, "x")) {
		*out = true;
		return true;
	}
	return false;
}

static const char *parse_gender(struct arena *a, const char *s)
{
	const char *f = text_fold(a, str(s));
	if (!f)
		return NULL;
	if (!strcmp(f, "nam") || !strcmp(f, "male") || !strcmp(f, "m"))
		return "male";
	if (!strcmp(f, "nu") || !strcmp(f, "female") || !strcmp(f, "f"))
		return "female";
	return NULL;
}

/* Columns a frame file may have, and which it must have. */
static bool check_columns(struct arena *a, const struct csv_table *t,
			  const char *const *cols, const bool *required,
			  int ncols, int *pos, struct problems *p)
{
	bool ok = true;
	for (int c = 0; c < ncols; c++) {
		pos[c] = csv_col(t, cols[c]);
		if (pos[c] < 0 && required[c]) {
			problems_add(a, p, 1, cols[c], "Thiếu cột bắt buộc.",
				     "missing column %s", cols[c]);
			ok = false;
		}
	}
	for (int h = 0; h < t->ncols; h++) {
		bool known = false;
		for (int c = 0; c < ncols; c++)
			known |= !strcmp(t->header[h], cols[c]);
		if (!known) {
			problems_add(a, p, 1, t->header[h],
				     "Cột không được hỗ trợ.",
				     "unknown column %s", t->header[h]);
			ok = false;
		}
	}
	return ok;
}

static const char *cell(const struct csv_table *t, int row, int col)
{
	return col < 0 ? "" : str(csv_get(t, row, col));
}

static enum err import_units(struct db *db, struct arena *a, long long round,
			     const char *kind, long long scope,
			     const struct csv_table *t,
			     struct frame_report *rep, struct problems *p,
			     struct error *e)
{
	static const char *const cols[] = {"unit", "population", "is_seat"};
	static const bool req[] = {true, true, false};
	int pos[3];
	if (!check_columns(a, t, cols, req, 3, pos, p))
		return error_set(e, ERR_INVALID, "bad columns");
	struct db_result *cand;
	enum err err = sdb_scope_units(db, a, scope, kind, &cand, e);
	if (err)
		return err;
	long long *ids = arena_alloc(a, sizeof *ids * (size_t)(t->nrows + 1));
	long long *pops = arena_alloc(a, sizeof *pops * (size_t)(t->nrows + 1));
	bool *seats = arena_alloc(a, sizeof *seats * (size_t)(t->nrows + 1));
	if (!ids || !pops || !seats)
		return error_set(e, ERR_NOMEM, "frame: out of memory");
	int nseats = 0;
	for (int i = 0; i < t->nrows; i++) {
		int line = t->lines[i];
		const char *u = text_trim(a, cell(t, i, pos[0]));
		ids[i] = u && *u ? match_unit(a, cand, u) : 0;
		if (!u || !*u)
			problems_add(a, p, line, "unit",
				     "Thiếu tên hoặc mã đơn vị.", "empty unit");
		else if (!ids[i])
			problems_add(a, p, line, "unit",
				     strcmp(kind, "village")
					     ? "Không có xã này trong tỉnh của "
					       "đợt khảo sát."
					     : "Không có thôn này trong xã của "
					       "đợt khảo sát.",
				     "'%s': not a %s of the round's scope", u,
				     kind);
		for (int k = 0; ids[i] && k < i; k++)
			if (ids[k] == ids[i]) {
				problems_add(
					a, p, line, "unit",
					"Đơn vị này đã có ở một dòng trước.",
					"'%s': already on line %d", u,
					t->lines[k]);
				break;
			}
		if (!int_in(cell(t, i, pos[1]), 1, 100000000, &pops[i]))
			problems_add(a, p, line, "population",
				     "Dân số phải là số nguyên dương.",
				     "'%s': not a whole number above 0",
				     cell(t, i, pos[1]));
		if (!parse_flag(a, cell(t, i, pos[2]), &seats[i]))
			problems_add(a, p, line, "is_seat",
				     "is_seat phải là 1 (trung tâm) hoặc 0.",
				     "'%s': not 1 or 0", cell(t, i, pos[2]));
		else if (seats[i] && ++nseats > 1)
			problems_add(a, p, line, "is_seat",
				     "Chỉ một đơn vị là trung tâm (thôn, xã "
				     "nơi đặt trụ sở).",
				     "a second seat unit");
	}
	if (!t->nrows)
		problems_add(a, p, 0, "", "Tệp không có dòng dữ liệu nào.",
			     "no data rows");
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problems", p->n);
	err = sdb_frame_mark_all(db, a, round, e);
	for (int i = 0; !err && i < t->nrows; i++)
		err = sdb_frame_unit_put(db, a, round, ids[i], i + 1, pops[i],
					 seats[i], e);
	if (!err)
		err = sdb_frame_drop_marked(db, a, round, e);
	rep->rows = t->nrows;
	rep->units = t->nrows;
	return err;
}

struct ref_sort {
	const long long *fid;
	const char *const *refs;
};

/* by unit, person id, then row */
static int cmp_ref(const void *x, const void *y, void *c)
{
	const struct ref_sort *s = c;
	int i = *(const int *)x, j = *(const int *)y;
	if (s->fid[i] != s->fid[j])
		return s->fid[i] < s->fid[j] ? -1 : 1;
	int r = strcmp(s->refs[i], s->refs[j]);
	return r ? r : i - j;
}

static enum err import_people(struct db *db, struct arena *a, long long round,
			      int year, const struct csv_table *t,
			      struct frame_report *rep, struct problems *p,
			      struct error *e)
{
	static const char *const cols[] = {"unit",   "person_id",  "full_name",
					   "gender", "birth_year", "address"};
	static const bool req[] = {true, true, true, true, true, false};
	int pos[6];
	if (!check_columns(a, t, cols, req, 6, pos, p))
		return error_set(e, ERR_INVALID, "bad columns");
	if (t->nrows > SAMPLING_MAX_PEOPLE)
		return error_set(e, ERR_TOOBIG, "over %d people",
				 SAMPLING_MAX_PEOPLE);
	struct db_result *fu;
	enum err err = sdb_frame_units(db, a, round, 0, 0, &fu, e);
	if (err)
		return err;
	if (!fu->nrows) {
		problems_add(
			a, p, 0, "",
			"Chưa có danh sách đơn vị: hãy nhập tệp đơn vị và dân "
			"số trước.",
			"the frame has no units: import the units file first");
		return error_set(e, ERR_INVALID, "no frame units");
	}
	size_t nr = (size_t)t->nrows + 1;
	long long *fid = arena_alloc(a, sizeof *fid * nr);
	const char **gender = arena_alloc(a, sizeof *gender * nr);
	const char **refs = arena_alloc(a, sizeof *refs * nr);
	long long *born = arena_alloc(a, sizeof *born * nr);
	int *order = arena_alloc(a, sizeof *order * nr),
	    *dup_of = arena_alloc(a, sizeof *dup_of * nr);
	/* the frame units' names folded once: a file names the same few
	 * units on thousands of rows */
	const char **fname =
		arena_alloc(a, sizeof *fname * (size_t)(fu->nrows + 1));
	const char **ffull =
		arena_alloc(a, sizeof *ffull * (size_t)(fu->nrows + 1));
	if (!fid || !gender || !refs || !born || !order || !dup_of || !fname ||
	    !ffull)
		return error_set(e, ERR_NOMEM, "frame: out of memory");
	for (int k = 0; k < fu->nrows; k++) {
		fname[k] = str(text_fold(a, str(db_get(fu, k, "name"))));
		ffull[k] = str(text_fold(a, str(db_get(fu, k, "full_name"))));
	}
	const char *last_u = NULL;
	long long last_fid = 0;
	for (int i = 0; i < t->nrows; i++) {
		const char *raw = cell(t, i, pos[0]);
		refs[i] = str(text_trim(a, cell(t, i, pos[1])));
		order[i] = i;
		dup_of[i] = 0;
		if (last_u && !strcmp(last_u, raw)) {
			fid[i] = last_fid;
			continue;
		}
		const char *u = str(text_trim(a, raw)),
			   *fu_fold = str(text_fold(a, u));
		fid[i] = 0;
		for (int k = 0; *u && k < fu->nrows && !fid[i]; k++) {
			const char *uid = db_get(fu, k, "unit_id"),
				   *code = db_get(fu, k, "code");
			if ((uid && !strcmp(uid, u)) ||
			    (code && !strcmp(code, u)) ||
			    !strcmp(fname[k], fu_fold) ||
			    !strcmp(ffull[k], fu_fold))
				fid[i] = db_get_int(fu, k, "id", 0);
		}
		last_u = raw;
		last_fid = fid[i];
	}
	/* duplicates of (unit, person_id) by sorting, not pairwise */
	struct ref_sort ctx = {fid, refs};
	qsort_r(order, (size_t)t->nrows, sizeof *order, cmp_ref, &ctx);
	for (int k = 1; k < t->nrows; k++) {
		int i = order[k], j = order[k - 1];
		if (fid[i] && fid[i] == fid[j] && *refs[i] &&
		    !strcmp(refs[i], refs[j]))
			dup_of[i] = dup_of[j] ? dup_of[j] : t->lines[j];
	}
	for (int i = 0; i < t->nrows; i++) {
		int line = t->lines[i];
		const char *u = str(text_trim(a, cell(t, i, pos[0])));
		if (!*u)
			problems_add(a, p, line, "unit",
				     "Thiếu tên hoặc mã đơn vị.", "empty unit");
		else if (!fid[i])
			problems_add(a, p, line, "unit",
				     "Đơn vị này không có trong danh sách đơn "
				     "vị của đợt.",
				     "'%s': not in the round's frame", u);
		const char *ref = refs[i];
		if (!*ref || strlen(ref) > 100)
			problems_add(
				a, p, line, "person_id",
				"Thiếu mã người hoặc hộ (tối đa 100 byte).",
				"empty or over 100 bytes");
		else if (dup_of[i])
			problems_add(a, p, line, "person_id",
				     "Mã này đã có ở một dòng trước của cùng "
				     "đơn vị.",
				     "'%s': already on line %d", ref,
				     dup_of[i]);
		const char *name = text_trim(a, cell(t, i, pos[2]));
		if (!name || !*name || strlen(name) > NAME_MAX_BYTES)
			problems_add(a, p, line, "full_name",
				     "Thiếu họ và tên (tối đa 200 byte).",
				     "empty or over 200 bytes");
		gender[i] = parse_gender(a, cell(t, i, pos[3]));
		if (!gender[i])
			problems_add(a, p, line, "gender",
				     "Giới tính phải là Nam hoặc Nữ.",
				     "'%s': not nam/nữ/male/female",
				     cell(t, i, pos[3]));
		if (!int_in(cell(t, i, pos[4]), 1900, year, &born[i]))
			problems_add(
				a, p, line, "birth_year",
				arena_printf(
					a,
					"Năm sinh phải là số từ 1900 đến %d.",
					year),
				"'%s': not a year in 1900..%d",
				cell(t, i, pos[4]), year);
		if (strlen(cell(t, i, pos[5])) > FIELD_MAX_BYTES)
			problems_add(a, p, line, "address",
				     "Địa chỉ quá dài (tối đa 500 byte).",
				     "address over 500 bytes");
	}
	if (!t->nrows)
		problems_add(a, p, 0, "", "Tệp không có dòng dữ liệu nào.",
			     "no data rows");
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problems", p->n);
	/* the units the file names lose their earlier list */
	int units = 0;
	for (int k = 0; !err && k < t->nrows; k++)
		if (!k || fid[order[k]] != fid[order[k - 1]]) {
			units++;
			err = sdb_frame_people_clear(db, a, fid[order[k]], e);
		}
	for (int i = 0; !err && i < t->nrows; i++)
		err = sdb_frame_person_insert(
			db, a, round, fid[i], refs[i],
			text_trim(a, cell(t, i, pos[2])), gender[i],
			(int)born[i], text_trim(a, cell(t, i, pos[5])), e);
	rep->rows = t->nrows;
	rep->units = units;
	return err;
}

enum err round_frame_import(struct db *db, struct arena *a,
			    const struct papi_actor *who, long long round,
			    const char *csv, size_t len,
			    struct frame_report *rep, struct problems *p,
			    struct error *e)
{
	*rep = (struct frame_report){"", 0, 0};
	json_t *r;
	enum err err = round_get(db, a, round, &r, e);
	if (err)
		return err;
	int year = (int)json_integer_value(json_object_get(r, "year"));
	long long scope =
		json_integer_value(json_object_get(r, "scope_unit_id"));
	const char *kind = json_is_true(json_object_get(r, "province_scope"))
				   ? "commune"
				   : "village";
	json_decref(r);
	long long contacts;
	if ((err = sdb_contacts_recorded(db, a, round, &contacts, e)))
		return err;
	if (contacts)
		return error_set(
			e, ERR_CONFLICT,
			"round %lld: %lld contacts recorded: the frame "
			"can no longer change",
			round, contacts);
	if (!import_check_text(a, csv, len, p))
		return error_set(e, ERR_INVALID, "%s",
				 p->list ? p->list[0].msg_en : "bad file");
	struct csv_table t;
	struct error ce = {0};
	if (csv_parse(a, csv, len, &t, &ce)) {
		if (ce.code == ERR_NOMEM || ce.code == ERR_TOOBIG)
			return error_set(e, ce.code, "%s", ce.msg);
		problems_add(a, p, 0, "", "Tệp không đúng định dạng CSV.", "%s",
			     ce.msg);
		return error_set(e, ERR_INVALID, "not CSV: %s", ce.msg);
	}
	bool people = csv_col(&t, "person_id") >= 0 ||
		      csv_col(&t, "full_name") >= 0 ||
		      csv_col(&t, "birth_year") >= 0 ||
		      csv_col(&t, "gender") >= 0;
	bool units = csv_col(&t, "population") >= 0;
	if (people == units) {
		problems_add(
			a, p, 1, "",
			"Không nhận ra loại tệp: tệp đơn vị có cột unit, "
			"population, is_seat; tệp người có cột unit, "
			"person_id, full_name, gender, birth_year, address.",
			"unknown frame file: expected the columns unit, "
			"population[, is_seat] or unit, person_id, full_name, "
			"gender, birth_year[, address]");
		return error_set(e, ERR_INVALID, "unknown frame file");
	}
	rep->kind = units ? "units" : "people";
	if ((err = db_begin(db, e)))
		return err;
	err = units ? import_units(db, a, round, kind, scope, &t, rep, p, e)
		    : import_people(db, a, round, year, &t, rep, p, e);
	/* a draw made on the old frame no longer describes it */
	if (!err)
		err = sdb_draw_clear(db, a, round, e);
	if (!err)
		err = audit(db, a, who,
			    units ? "round.frame_units" : "round.frame_people",
			    round, NULL,
			    json_pack("{s:i, s:i}", "rows", rep->rows, "units",
				      rep->units),
			    e);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	if (err == ERR_INVALID && p->n)
		error_set(e, err, "%d problems, first: line %d %s: %s", p->n,
			  p->list[0].line, p->list[0].column,
			  p->list[0].msg_en);
	return err;
}

enum err round_frame(struct db *db, struct arena *a, long long round,
		     json_t **out, struct error *e)
{
	json_t *r;
	enum err err = round_get(db, a, round, &r, e);
	if (err)
		return err;
	int year = (int)json_integer_value(json_object_get(r, "year"));
	int lo = (int)json_integer_value(json_object_get(r, "age_min"));
	int hi = (int)json_integer_value(json_object_get(r, "age_max"));
	json_decref(r);
	struct db_result *fu;
	err = sdb_frame_units(db, a, round, year - hi, year - lo, &fu, e);
	if (err)
		return err;
	*out = db_result_json(fu);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "frame");
}

/* ---- the draw ---- */

enum err round_draw(struct db *db, struct arena *a,
		    const struct papi_actor *who, long long round,
		    uint64_t seed, int k, struct draw_report *rep,
		    struct error *e)
{
	*rep = (struct draw_report){0};
	json_t *r;
	enum err err = round_get(db, a, round, &r, e);
	if (err)
		return err;
	int year = (int)json_integer_value(json_object_get(r, "year"));
	int lo = (int)json_integer_value(json_object_get(r, "age_min"));
	int hi = (int)json_integer_value(json_object_get(r, "age_max"));
	int main_n =
		(int)json_integer_value(json_object_get(r, "sample_people"));
	int reserve =
		(int)json_integer_value(json_object_get(r, "sample_reserve"));
	if (k < 0)
		k = (int)json_integer_value(json_object_get(r, "sample_units"));
	json_decref(r);
	long long contacts;
	if ((err = sdb_contacts_recorded(db, a, round, &contacts, e)))
		return err;
	if (contacts)
		return error_set(
			e, ERR_CONFLICT,
			"round %lld: %lld contacts recorded: the sample "
			"can no longer be drawn again",
			round, contacts);
	struct db_result *fu, *fp;
	if ((err = sdb_frame_units(db, a, round, year - hi, year - lo, &fu,
				   e)) ||
	    (err = sdb_frame_people(db, a, round, &fp, e)))
		return err;
	if (!fu->nrows)
		return error_set(
			e, ERR_INVALID,
			"round %lld: no sample frame: import the units first",
			round);
	int n = fu->nrows;
	struct pps_unit *u = arena_alloc(a, sizeof *u * (size_t)n);
	int *idx = arena_alloc(a, sizeof *idx * (size_t)(fp->nrows + 1));
	/* the people's columns read once, not once per drawn unit */
	long long *p_unit =
		arena_alloc(a, sizeof *p_unit * (size_t)(fp->nrows + 1));
	int *p_born = arena_alloc(a, sizeof *p_born * (size_t)(fp->nrows + 1));
	if (!u || !idx || !p_unit || !p_born)
		return error_set(e, ERR_NOMEM, "draw: out of memory");
	for (int j = 0; j < fp->nrows; j++) {
		p_unit[j] = db_get_int(fp, j, "frame_unit_id", 0);
		p_born[j] = (int)db_get_int(fp, j, "birth_year", 0);
	}
	for (int i = 0; i < n; i++) {
		u[i].size = (double)db_get_int(fu, i, "population", 1);
		u[i].seat = db_get_int(fu, i, "is_seat", 0) != 0;
	}
	struct rng rng;
	rng_seed(&rng, seed);
	pps_draw(u, n, k, &rng);
	for (int i = 0; i < n; i++)
		if (u[i].selected && db_get_int(fu, i, "eligible", 0) == 0)
			return error_set(
				e, ERR_INVALID,
				"round %lld: unit %s drawn but its frame has "
				"nobody aged %d-%d: import its people first",
				round, str(db_get(fu, i, "full_name")), lo, hi);
	if ((err = db_begin(db, e)))
		return err;
	err = sdb_draw_clear(db, a, round, e);
	for (int i = 0; !err && i < n; i++) {
		if (!u[i].selected)
			continue;
		long long fid = db_get_int(fu, i, "id", 0);
		int m = 0;
		/* eligible people of this unit, in frame order */
		for (int j = 0; j < fp->nrows; j++)
			if (p_unit[j] == fid &&
			    age_eligible(p_born[j], year, lo, hi))
				idx[m++] = j;
		int take = respondents_draw(idx, m, main_n, reserve, &rng);
		double pp = person_prob(main_n, m);
		double w = design_weight(u[i].prob, pp);
		long long su;
		err = sdb_sample_unit_insert(db, a, round, fid, u[i].prob,
					     u[i].certainty, m, &su, e);
		rep->units++;
		for (int j = 0; !err && j < take; j++) {
			bool res = j >= main_n;
			err = sdb_sample_person_insert(
				db, a, round, su,
				db_get_int(fp, idx[j], "id", 0), j + 1, res, pp,
				w, e);
			if (res)
				rep->reserves++;
			else {
				rep->people++;
				rep->weight_sum += w;
			}
		}
	}
	const char *seed_s = arena_printf(a, "%" PRIu64, seed);
	if (!err)
		err = sdb_round_drawn(db, a, round, seed_s, k, e);
	if (!err)
		err = audit(db, a, who, "round.draw", round, NULL,
			    json_pack("{s:s, s:i, s:i, s:i, s:i}", "seed",
				      seed_s, "k", k, "units", rep->units,
				      "people", rep->people, "reserves",
				      rep->reserves),
			    e);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	return err;
}

static const char *gender_vi(const char *g)
{
	return !strcmp(str(g), "male")     ? "Nam"
	       : !strcmp(str(g), "female") ? "Nữ"
					   : "";
}

enum err round_sample_units(struct db *db, struct arena *a, long long round,
			    long long sample_unit_id, json_t **out,
			    struct error *e)
{
	json_t *r;
	enum err err = round_get(db, a, round, &r, e);
	if (err)
		return err;
	long long quota =
		json_integer_value(json_object_get(r, "sample_quota"));
	json_decref(r);
	struct db_result *su;
	if ((err = sdb_sample_units(db, a, round, sample_unit_id, &su, e)))
		return err;
	*out = json_array();
	for (int i = 0; i < su->nrows; i++) {
		json_t *o = db_row_json(su, i);
		double prob = strtod(str(db_get(su, i, "prob")), NULL);
		long long done = db_get_int(su, i, "interviewed", 0);
		json_object_set_new(
			o, "prob_vi",
			json_string(str(text_format_number(a, prob, 4))));
		json_object_set_new(o, "quota", json_integer(quota));
		json_object_set_new(o, "quota_met",
				    json_boolean(done >= quota));
		json_object_set_new(
			o, "percent",
			json_integer(quota ? (done * 100 / quota > 100
						      ? 100
						      : done * 100 / quota)
					   : 0));
		json_array_append_new(*out, o);
	}
	return ERR_OK;
}

enum err round_sample_people(struct db *db, struct arena *a, long long round,
			     long long sample_unit_id, json_t **out,
			     struct error *e)
{
	json_t *r;
	enum err err = round_get(db, a, round, &r, e);
	if (err)
		return err;
	long long main_n =
		json_integer_value(json_object_get(r, "sample_people"));
	json_decref(r);
	struct db_result *sp;
	if ((err = sdb_sample_people(db, a, round, sample_unit_id, &sp, e)))
		return err;
	*out = json_array();
	for (int i = 0; i < sp->nrows; i++) {
		json_t *o = db_row_json(sp, i);
		enum outcome oc = OUTCOME_PENDING;
		outcome_from_key(db_get(sp, i, "outcome"), &oc);
		double w = strtod(str(db_get(sp, i, "weight")), NULL);
		json_object_set_new(o, "outcome_vi",
				    json_string(outcome_label_vi(oc)));
		json_object_set_new(
			o, "gender_vi",
			json_string(gender_vi(db_get(sp, i, "gender"))));
		json_object_set_new(
			o, "weight_vi",
			json_string(str(text_format_number(a, w, 2))));
		json_object_set_new(o, "pending",
				    json_boolean(oc == OUTCOME_PENDING));
		json_object_set_new(o, "done",
				    json_boolean(oc == OUTCOME_INTERVIEWED));
		json_object_set_new(o, "failed",
				    json_boolean(oc != OUTCOME_PENDING &&
						 oc != OUTCOME_INTERVIEWED));
		/* replacements are numbered 1, 2, ... in the order they
		 * are brought in */
		long long ord = db_get_int(sp, i, "ord", 0);
		bool res = db_get_int(sp, i, "is_reserve", 0) != 0;
		json_object_set_new(o, "reserve_no",
				    json_integer(res ? ord - main_n : 0));
		json_object_set_new(
			o, "waiting",
			json_boolean(!db_get_int(sp, i, "released", 0)));
		json_array_append_new(*out, o);
	}
	return ERR_OK;
}

enum err round_sample_csv(struct db *db, struct arena *a, long long round,
			  char **out, size_t *len, struct error *e)
{
	struct db_result *sp;
	enum err err = sdb_sample_people(db, a, round, 0, &sp, e);
	if (err)
		return err;
	size_t cap = 256 + (size_t)sp->nrows * 512, n = 0;
	char *buf = arena_alloc(a, cap);
	if (!buf)
		return error_set(e, ERR_NOMEM, "sample csv");
	n += (size_t)snprintf(
		buf, cap,
		"unit,unit_id,ord,list,released,person_id,full_name,"
		"gender,birth_year,address,unit_prob,person_prob,"
		"weight,outcome\r\n");
	for (int i = 0; i < sp->nrows; i++) {
		const char *fields[14] = {
			db_get(sp, i, "unit_name"),
			db_get(sp, i, "unit_id"),
			db_get(sp, i, "ord"),
			db_get_int(sp, i, "is_reserve", 0) ? "reserve" : "main",
			db_get(sp, i, "released"),
			db_get(sp, i, "person_ref"),
			db_get(sp, i, "full_name"),
			db_get(sp, i, "gender"),
			db_get(sp, i, "birth_year"),
			db_get(sp, i, "address"),
			db_get(sp, i, "unit_prob"),
			db_get(sp, i, "prob"),
			db_get(sp, i, "weight"),
			db_get(sp, i, "outcome")};
		for (int f = 0; f < 14; f++) {
			const char *q = csv_quote(a, str(fields[f]));
			if (!q)
				return error_set(e, ERR_NOMEM, "sample csv");
			size_t ql = strlen(q);
			if (n + ql + 3 >= cap) {
				size_t bigger = cap * 2 + ql;
				if (bigger > (size_t)CSV_MAX_BYTES)
					return error_set(
						e, ERR_TOOBIG,
						"sample csv over %d bytes",
						CSV_MAX_BYTES);
				char *nb = arena_alloc(a, bigger);
				if (!nb)
					return error_set(e, ERR_NOMEM,
							 "sample csv");
				memcpy(nb, buf, n);
				buf = nb;
				cap = bigger;
			}
			memcpy(buf + n, q, ql);
			n += ql;
			buf[n++] = f < 13 ? ',' : '\r';
			if (f == 13)
				buf[n++] = '\n';
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return ERR_OK;
}

/* ---- contacts ---- */

enum err round_contact(struct db *db, struct arena *a,
		       const struct papi_actor *who, long long round,
		       long long person_id, const char *outcome,
		       const char *note, int *released, struct error *e)
{
	*released = 0;
	enum outcome oc;
	if (!outcome_from_key(outcome, &oc))
		return error_set(
			e, ERR_INVALID,
			"outcome '%s': not one of pending, "
			"interviewed, refused, not_home, moved, ineligible",
			str(outcome));
	if (strlen(str(note)) > FIELD_MAX_BYTES)
		return error_set(e, ERR_INVALID, "note over %d bytes",
				 FIELD_MAX_BYTES);
	json_t *r;
	enum err err = round_get(db, a, round, &r, e);
	if (err)
		return err;
	int quota = (int)json_integer_value(json_object_get(r, "sample_quota"));
	json_decref(r);
	struct db_result *sp;
	if ((err = sdb_sample_people(db, a, round, 0, &sp, e)))
		return err;
	int row = -1;
	for (int i = 0; i < sp->nrows && row < 0; i++)
		if (db_get_int(sp, i, "id", 0) == person_id)
			row = i;
	if (row < 0)
		return error_set(e, ERR_NOTFOUND,
				 "round %lld: no sampled person %lld", round,
				 person_id);
	if (!db_get_int(sp, row, "released", 0))
		return error_set(
			e, ERR_INVALID,
			"person %lld: a replacement not yet brought in",
			person_id);
	long long su = db_get_int(sp, row, "sample_unit_id", 0);
	json_t *before = json_pack("{s:s, s:s}", "outcome",
				   str(db_get(sp, row, "outcome")), "note",
				   str(db_get(sp, row, "note")));
	if ((err = db_begin(db, e))) {
		json_decref(before);
		return err;
	}
	err = sdb_sample_person_set(db, a, person_id, outcome_key(oc),
				    str(note), who->username, e);
	struct db_result *cnt = NULL;
	if (!err)
		err = sdb_sample_units(db, a, round, su, &cnt, e);
	if (!err && cnt->nrows) {
		int need = replacements_needed(
			quota, (int)db_get_int(cnt, 0, "interviewed", 0),
			(int)db_get_int(cnt, 0, "pending", 0),
			(int)(db_get_int(cnt, 0, "reserve", 0) -
			      db_get_int(cnt, 0, "reserve_used", 0)));
		for (int i = 0; !err && i < need; i++) {
			bool done;
			err = sdb_release_next(db, a, su, &done, e);
			*released += done;
		}
	}
	if (!err)
		err = audit(db, a, who, "round.contact", round, before,
			    json_pack("{s:I, s:s, s:s, s:s, s:i}", "person",
				      (json_int_t)person_id, "name",
				      str(db_get(sp, row, "full_name")),
				      "outcome", outcome_key(oc), "note",
				      str(note), "replacements_released",
				      *released),
			    e);
	else
		json_decref(before);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	return err;
}

enum err round_user_on_unit(struct db *db, struct arena *a, long long user_id,
			    long long unit_id, bool *yes, struct error *e)
{
	return sdb_user_has_role_on(db, a, user_id, unit_id, "surveyor",
				    "village_head", yes, e);
}

enum err round_scope_choices(struct db *db, struct arena *a, json_t **out,
			     struct error *e)
{
	struct db_result *r;
	enum err err = sdb_scope_choices(db, a, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "scope choices");
}
