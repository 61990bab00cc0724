/* Administrative units: province -> [district] -> commune -> village, plus
 * the commune's professional units. Units are never deleted: a merger ends
 * the predecessors the day before it takes effect and names the successor,
 * so results from before a merger still compare with those after it. */
#include <stdlib.h>
#include <string.h>
#include "people_db.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { UNIT_NAME_MAX = 200, UNIT_NOTE_MAX = 2000, UNIT_CODE_MAX = 10 };

static const struct {
	const char *kind, *type_vi;
	int rank; /* a parent has a lower rank than its child */
} kinds[] = {
	{"province", "Tỉnh", 0}, {"district", "Huyện", 1}, {"commune", "Xã", 2},
	{"village", "Thôn", 3},  {"unit", "Bộ phận", 4},
};

static int kind_rank(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kinds[i].kind, kind))
			return kinds[i].rank;
	return -1;
}

static const char *kind_type(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kinds[i].kind, kind))
			return kinds[i].type_vi;
	return "";
}

/* Which kinds a kind may sit under. */
static bool parent_fits(const char *kind, const char *parent_kind)
{
	if (!strcmp(kind, "province"))
		return false;
	if (!strcmp(kind, "district"))
		return !strcmp(parent_kind, "province");
	if (!strcmp(kind, "commune"))
		return !strcmp(parent_kind, "province") ||
		       !strcmp(parent_kind, "district");
	return !strcmp(parent_kind, "commune"); /* village, unit */
}

static void field_error(json_t *errors, const char *field, const char *msg_vi)
{
	if (errors && !json_object_get(errors, field))
		json_object_set_new(errors, field, json_string(msg_vi));
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *id_or_null(long long id)
{
	return id > 0 ? json_integer(id) : json_null();
}

json_t *unit_json(const struct unit *u)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(u->id));
	json_object_set_new(j, "code", str_or_null(u->code));
	json_object_set_new(j, "kind", str_or_null(u->kind));
	json_object_set_new(j, "type_vi", str_or_null(u->type_vi));
	json_object_set_new(j, "name", str_or_null(u->name));
	json_object_set_new(j, "full_name", str_or_null(u->full_name));
	json_object_set_new(j, "parent_id", id_or_null(u->parent_id));
	json_object_set_new(j, "valid_from", str_or_null(u->valid_from));
	json_object_set_new(j, "valid_to", str_or_null(u->valid_to));
	json_object_set_new(j, "successor_id", id_or_null(u->successor_id));
	json_object_set_new(j, "population",
			    u->population >= 0 ? json_integer(u->population)
					       : json_null());
	json_object_set_new(j, "note", json_string(u->note ? u->note : ""));
	return j;
}

enum err units_get(struct db *db, struct arena *a, long long id,
		   struct unit *out, struct error *e)
{
	return pdb_unit_get(db, a, id, out, e);
}

enum err units_by_code(struct db *db, struct arena *a, const char *code,
		       const char *kind, const char *valid_from,
		       struct unit *out, struct error *e)
{
	return pdb_unit_by_code(db, a, code, kind, valid_from, out, e);
}

enum err units_find(struct db *db, struct arena *a, const char *code_or_id,
		    struct unit *out, struct error *e)
{
	enum err err = pdb_unit_latest_by_code(db, a, code_or_id, out, e);
	if (err != ERR_NOTFOUND)
		return err;
	char *end;
	long long id = strtoll(code_or_id, &end, 10);
	if (*code_or_id && !*end && id > 0 && !pdb_unit_get(db, a, id, out, e))
		return ERR_OK;
	return error_set(e, ERR_NOTFOUND, "unit %s: no such code or id",
			 code_or_id);
}

static bool all_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const char *blank_to_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* Checks u (normalising empty strings to NULL, filling type and full name)
 * against the rules and the database; ERR_INVALID with every problem in
 * errors. self: the unit's id when editing, else 0. */
static enum err check_unit(struct db *db, struct arena *a, struct unit *u,
			   long long self, json_t *errors, struct error *e)
{
	char first[300] = "";
	int bad = 0;
#define BAD(field, vi, ...)                                                    \
	do {                                                                   \
		field_error(errors, field, vi);                                \
		if (!bad++)                                                    \
			snprintf(first, sizeof first, __VA_ARGS__);            \
	} while (0)

	u->code = blank_to_null(u->code ? text_trim(a, u->code) : NULL);
	u->name = u->name ? text_trim(a, u->name) : NULL;
	u->type_vi =
		blank_to_null(u->type_vi ? text_trim(a, u->type_vi) : NULL);
	u->full_name =
		blank_to_null(u->full_name ? text_trim(a, u->full_name) : NULL);
	u->valid_from = blank_to_null(u->valid_from);
	u->valid_to = blank_to_null(u->valid_to);
	if (!u->note)
		u->note = "";

	if (kind_rank(u->kind) < 0)
		BAD("kind", "Loại đơn vị không hợp lệ.", "unknown unit kind %s",
		    u->kind ? u->kind : "(none)");
	if (!u->name || !*u->name)
		BAD("name", "Vui lòng nhập tên đơn vị.", "unit name is empty");
	else if (strlen(u->name) > UNIT_NAME_MAX ||
		 !text_valid_utf8(u->name, strlen(u->name)))
		BAD("name", "Tên đơn vị quá dài hoặc có ký tự không hợp lệ.",
		    "unit name too long or not UTF-8");
	if (!u->type_vi && kind_rank(u->kind) >= 0)
		u->type_vi = kind_type(u->kind);
	if (u->type_vi && (strlen(u->type_vi) > 50 ||
			   !text_valid_utf8(u->type_vi, strlen(u->type_vi))))
		BAD("type_vi", "Cấp đơn vị không hợp lệ.",
		    "unit type too long");
	if (!u->full_name && u->name && *u->name && u->type_vi)
		u->full_name = arena_printf(a, "%s %s", u->type_vi, u->name);
	if (u->full_name &&
	    (strlen(u->full_name) > UNIT_NAME_MAX + 60 ||
	     !text_valid_utf8(u->full_name, strlen(u->full_name))))
		BAD("full_name",
		    "Tên đầy đủ quá dài hoặc có ký tự không hợp lệ.",
		    "unit full name too long or not UTF-8");
	if (u->code &&
	    (strlen(u->code) > UNIT_CODE_MAX || !all_digits(u->code)))
		BAD("code", "Mã đơn vị chỉ gồm chữ số (tối đa 10).",
		    "unit code %.20s: digits only, at most 10", u->code);
	if (strlen(u->note) > UNIT_NOTE_MAX ||
	    !text_valid_utf8(u->note, strlen(u->note)))
		BAD("note", "Ghi chú quá dài hoặc có ký tự không hợp lệ.",
		    "unit note too long or not UTF-8");
	if (u->population < -1)
		BAD("population", "Dân số không hợp lệ.",
		    "negative population");

	struct date from = {0}, to = {0};
	if (u->valid_from && !date_parse_iso(u->valid_from, &from))
		BAD("valid_from", "Ngày bắt đầu hiệu lực không hợp lệ.",
		    "bad valid_from %.20s", u->valid_from);
	if (u->valid_to && !date_parse_iso(u->valid_to, &to))
		BAD("valid_to", "Ngày hết hiệu lực không hợp lệ.",
		    "bad valid_to %.20s", u->valid_to);
	if (u->valid_from && u->valid_to && from.y && to.y &&
	    date_to_days(to) < date_to_days(from))
		BAD("valid_to", "Ngày hết hiệu lực phải sau ngày bắt đầu.",
		    "valid_to %s before valid_from %s", u->valid_to,
		    u->valid_from);

	if (kind_rank(u->kind) >= 0) {
		if (!strcmp(u->kind, "province")) {
			if (u->parent_id > 0)
				BAD("parent_id",
				    "Tỉnh không trực thuộc đơn vị nào.",
				    "a province has no parent");
		} else if (u->parent_id <= 0) {
			BAD("parent_id", "Vui lòng chọn đơn vị cấp trên.",
			    "unit %s: parent missing", u->name ? u->name : "");
		} else if (u->parent_id == self) {
			BAD("parent_id",
			    "Đơn vị không thể trực thuộc chính nó.",
			    "unit %lld: parent is itself", self);
		} else {
			struct unit p;
			struct error pe = {0};
			enum err err =
				pdb_unit_get(db, a, u->parent_id, &p, &pe);
			if (err == ERR_NOTFOUND)
				BAD("parent_id",
				    "Đơn vị cấp trên không tồn tại.",
				    "unknown parent %lld", u->parent_id);
			else if (err)
				return error_set(e, err, "%s", pe.msg);
			else if (!parent_fits(u->kind, p.kind))
				BAD("parent_id",
				    "Đơn vị cấp trên không đúng cấp.",
				    "a %s cannot be under a %s", u->kind,
				    p.kind);
		}
	}
	if (u->code && !bad) {
		bool taken;
		enum err err = pdb_unit_code_taken(
			db, a, u->code, u->valid_from, self, &taken, e);
		if (err)
			return err;
		if (taken)
			BAD("code",
			    "Mã này đã được dùng cho đơn vị khác cùng ngày "
			    "hiệu lực.",
			    "unit code %s from %s exists", u->code,
			    u->valid_from ? u->valid_from : "the start");
	}
#undef BAD
	if (bad)
		return error_set(e, ERR_INVALID, "unit %s: %s%s",
				 u->code ? u->code : (u->name ? u->name : ""),
				 first, bad > 1 ? " (and more)" : "");
	return ERR_OK;
}

/* Events carry a date: the day in Vietnam. */
static const char *today(struct arena *a)
{
	char buf[11];
	date_format_iso(clock_today_vn(), buf);
	return arena_strdup(a, buf);
}

static enum err keys(struct arena *a, const struct unit *u, const char **fold,
		     const char **key, struct error *e)
{
	*fold = text_fold(a, u->name);
	*key = text_sort_key(a, u->name);
	if (!*fold || !*key)
		return error_set(e, ERR_NOMEM, "unit %s: cannot fold name",
				 u->name);
	return ERR_OK;
}

enum err units_create_in(struct db *db, struct arena *a,
			 const struct actor *who, struct unit *u,
			 json_t *errors, struct error *e)
{
	const char *fold, *key, *now = clock_now_iso(a);
	enum err err = check_unit(db, a, u, 0, errors, e);
	if (err)
		return err;
	err = keys(a, u, &fold, &key, e);
	if (!err)
		err = pdb_unit_insert(db, a, u, fold, key, now, &u->id, e);
	if (!err)
		err = pdb_unit_event(db, a, u->id, "create", 0,
				     u->valid_from ? u->valid_from : today(a),
				     "", who->user_id, now, e);
	if (err)
		return err;
	json_t *after = unit_json(u);
	err = audit_actor(db, a, who, "unit.create", "unit", u->id, NULL, after,
			  e);
	json_decref(after);
	return err;
}

enum err units_create(struct db *db, struct arena *a, const struct actor *who,
		      struct unit *u, json_t *errors, struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = units_create_in(db, a, who, u, errors, e);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

enum err units_edit_in(struct db *db, struct arena *a, const struct actor *who,
		       struct unit *u, json_t *errors, struct error *e)
{
	struct unit old;
	const char *fold, *key, *now = clock_now_iso(a);
	enum err err = pdb_unit_get(db, a, u->id, &old, e);
	if (err)
		return err;
	/* The kind is fixed at creation; a merged unit keeps its end date and
	 * successor: a merger is recorded history, not a field to edit. */
	u->kind = old.kind;
	u->successor_id = old.successor_id;
	if (old.successor_id)
		u->valid_to = old.valid_to;
	err = check_unit(db, a, u, u->id, errors, e);
	if (!err)
		err = keys(a, u, &fold, &key, e);
	if (!err)
		err = pdb_unit_update(db, a, u, fold, key, now, e);
	if (!err)
		err = pdb_unit_event(db, a, u->id, "edit", 0, today(a), "",
				     who->user_id, now, e);
	if (err)
		return err;
	json_t *before = unit_json(&old), *after = unit_json(u);
	err = audit_actor(db, a, who, "unit.edit", "unit", u->id, before, after,
			  e);
	json_decref(before);
	json_decref(after);
	return err;
}

enum err units_edit(struct db *db, struct arena *a, const struct actor *who,
		    struct unit *u, json_t *errors, struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = units_edit_in(db, a, who, u, errors, e);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

/* "Xã Tiên Tiến" -> "xã Tiên Tiến", as it reads inside a sentence. */
static const char *in_sentence(struct arena *a, const char *full_name)
{
	if (!full_name)
		return "";
	char *s = arena_strdup(a, full_name);
	if (s && s[0] >= 'A' && s[0] <= 'Z')
		s[0] = (char)(s[0] - 'A' + 'a');
	return s;
}

static enum err move_villages(struct db *db, struct arena *a,
			      const struct actor *who, const struct unit *from,
			      const struct unit *to, const char *date,
			      const char *now, struct error *e)
{
	struct db_result *r;
	enum err err = pdb_unit_children(db, a, from->id, "village", &r, e);
	for (int i = 0; !err && i < r->nrows; i++) {
		struct unit v;
		pdb_unit_from_row(r, i, &v);
		json_t *before = unit_json(&v);
		v.parent_id = to->id;
		json_t *after = unit_json(&v);
		const char *note =
			arena_printf(a, "Chuyển từ %s sang %s do sáp nhập",
				     in_sentence(a, from->full_name),
				     in_sentence(a, to->full_name));
		err = pdb_unit_set_parent(db, a, v.id, to->id, now, e);
		if (!err)
			err = pdb_unit_event(db, a, v.id, "edit", 0, date, note,
					     who->user_id, now, e);
		if (!err)
			err = audit_actor(db, a, who, "unit.move", "unit", v.id,
					  before, after, e);
		json_decref(before);
		json_decref(after);
	}
	return err;
}

enum err units_merge_in(struct db *db, struct arena *a, const struct actor *who,
			const long long *preds, int n, long long successor,
			const char *date, const char *note, json_t *errors,
			struct error *e)
{
	struct date d;
	const char *now = clock_now_iso(a);
	if (!date || !date_parse_iso(date, &d)) {
		field_error(errors, "date", "Ngày hiệu lực không hợp lệ.");
		return error_set(e, ERR_INVALID,
				 "merge: bad effective date %.20s",
				 date ? date : "(none)");
	}
	char eve[11];
	date_format_iso(date_from_days(date_to_days(d) - 1), eve);
	if (n < 1) {
		field_error(errors, "units",
			    "Vui lòng chọn ít nhất một đơn vị bị sáp nhập.");
		return error_set(e, ERR_INVALID, "merge: no unit to merge");
	}
	struct unit s;
	struct error se = {0};
	enum err err = pdb_unit_get(db, a, successor, &s, &se);
	if (err == ERR_NOTFOUND) {
		field_error(errors, "successor_id",
			    "Đơn vị sau sáp nhập không tồn tại.");
		return error_set(e, ERR_INVALID,
				 "merge: unknown successor %lld", successor);
	}
	if (err)
		return error_set(e, err, "%s", se.msg);
	if (s.valid_to && strcmp(s.valid_to, date) < 0) {
		field_error(
			errors, "successor_id",
			"Đơn vị sau sáp nhập đã hết hiệu lực trước ngày này.");
		return error_set(e, ERR_INVALID,
				 "merge: successor %lld ended on %s", successor,
				 s.valid_to);
	}
	if (s.valid_from && strcmp(s.valid_from, date) > 0) {
		field_error(
			errors, "date",
			"Đơn vị sau sáp nhập chưa có hiệu lực vào ngày này.");
		return error_set(e, ERR_INVALID,
				 "merge: successor %lld starts on %s, after %s",
				 successor, s.valid_from, date);
	}
	for (int i = 0; i < n; i++) {
		struct unit p;
		for (int j = 0; j < i; j++)
			if (preds[j] == preds[i]) {
				field_error(errors, "units",
					    "Một đơn vị được chọn hai lần.");
				return error_set(
					e, ERR_INVALID,
					"merge: unit %lld listed twice",
					preds[i]);
			}
		if (preds[i] == successor) {
			field_error(errors, "units",
				    "Đơn vị không thể sáp nhập vào chính nó.");
			return error_set(e, ERR_INVALID,
					 "merge: unit %lld into itself",
					 successor);
		}
		err = pdb_unit_get(db, a, preds[i], &p, &se);
		if (err == ERR_NOTFOUND) {
			field_error(errors, "units",
				    "Đơn vị bị sáp nhập không tồn tại.");
			return error_set(e, ERR_INVALID,
					 "merge: unknown unit %lld", preds[i]);
		}
		if (err)
			return error_set(e, err, "%s", se.msg);
		if (strcmp(p.kind, s.kind)) {
			field_error(errors, "units",
				    "Chỉ sáp nhập các đơn vị cùng cấp.");
			return error_set(
				e, ERR_INVALID,
				"merge: unit %lld is a %s, successor a %s",
				p.id, p.kind, s.kind);
		}
		if (p.successor_id) {
			field_error(errors, "units",
				    "Đơn vị này đã được sáp nhập trước đó.");
			return error_set(
				e, ERR_INVALID,
				"merge: unit %s already merged into %lld",
				p.code ? p.code : p.name, p.successor_id);
		}
		/* Ended exactly the day before is fine: the old snapshot ends
		 * every unit then, and the merger names where it went. */
		if (p.valid_to && strcmp(p.valid_to, eve) < 0) {
			field_error(
				errors, "units",
				"Đơn vị đã hết hiệu lực trước ngày sáp nhập.");
			return error_set(e, ERR_INVALID,
					 "merge: unit %lld ended on %s", p.id,
					 p.valid_to);
		}
		if (p.valid_from && strcmp(p.valid_from, date) >= 0) {
			field_error(errors, "date",
				    "Ngày sáp nhập phải sau ngày đơn vị bắt "
				    "đầu hiệu lực.");
			return error_set(e, ERR_INVALID,
					 "merge: unit %lld starts on %s", p.id,
					 p.valid_from);
		}
		json_t *before = unit_json(&p);
		p.valid_to = eve;
		p.successor_id = successor;
		json_t *after = unit_json(&p);
		json_object_set_new(after, "successor_name",
				    json_string(s.full_name));
		err = pdb_unit_end(db, a, p.id, eve, successor, now, e);
		if (!err)
			err = pdb_unit_event(db, a, p.id, "merge", successor,
					     date, note, who->user_id, now, e);
		if (!err)
			err = move_villages(db, a, who, &p, &s, date, now, e);
		if (!err)
			err = audit_actor(db, a, who, "unit.merge", "unit",
					  p.id, before, after, e);
		json_decref(before);
		json_decref(after);
		if (err)
			return err;
	}
	return ERR_OK;
}

enum err units_merge(struct db *db, struct arena *a, const struct actor *who,
		     const long long *preds, int n, long long successor,
		     const char *date, const char *note, json_t *errors,
		     struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = units_merge_in(db, a, who, preds, n, successor, date, note,
			     errors, e);
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

/* ---- the tree ---- */

struct node {
	long long id, parent;
	int row, first_child, next_sibling, rank;
	bool open;
};

static int cmp_node_id(const void *x, const void *y)
{
	const struct node *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static int find_node(struct node *byid, int n, long long id)
{
	struct node key = {.id = id};
	struct node *f =
		bsearch(&key, byid, (size_t)n, sizeof key, cmp_node_id);
	return f ? (int)(f - byid) : -1;
}

/* Among siblings: units in force first, then higher levels, then the
 * Vietnamese order the query already gave. */
static bool sibling_before(const struct node *a, const struct node *b)
{
	if (a->open != b->open)
		return a->open;
	if (a->rank != b->rank)
		return a->rank < b->rank;
	return a->row < b->row;
}

json_t *unit_status_json(struct arena *a, const struct db_result *r, int row)
{
	struct unit u;
	pdb_unit_from_row(r, row, &u);
	json_t *j = unit_json(&u);
	const char *status = "";
	if (u.valid_to) {
		struct date to;
		char next[11] = "";
		if (date_parse_iso(u.valid_to, &to)) {
			struct date nd = date_from_days(date_to_days(to) + 1);
			snprintf(next, sizeof next, "%02d/%02d/%04d", nd.d,
				 nd.m, nd.y);
		}
		const char *succ = db_get(r, row, "successor_full_name");
		if (succ)
			status = arena_printf(a, "đã sáp nhập vào %s từ %s",
					      in_sentence(a, succ), next);
		else
			status = arena_printf(a, "hết hiệu lực từ %s", next);
		json_object_set_new(j, "successor_full_name",
				    str_or_null(succ));
	}
	json_object_set_new(j, "status_vi", json_string(status ? status : ""));
	json_object_set_new(j, "in_force", json_boolean(!u.valid_to));
	return j;
}

enum err units_tree(struct db *db, struct arena *a, json_t **out,
		    struct error *e)
{
	struct db_result *r;
	enum err err = pdb_units_all(db, a, &r, e);
	if (err)
		return err;
	int n = r->nrows;
	struct node *byid = arena_alloc(a, sizeof *byid * (size_t)(n + 1));
	int *stack = arena_alloc(a, sizeof *stack * (size_t)(n + 1));
	int *depth = arena_alloc(a, sizeof *depth * (size_t)(n + 1));
	if (!byid || !stack || !depth)
		return error_set(e, ERR_NOMEM,
				 "unit tree: %d units, out of memory", n);
	for (int i = 0; i < n; i++)
		byid[i] = (struct node){
			.id = db_get_int(r, i, "id", 0),
			.parent = db_get_int(r, i, "parent_id", 0),
			.row = i,
			.first_child = -1,
			.next_sibling = -1,
			.rank = kind_rank(db_get(r, i, "kind")),
			.open = db_get(r, i, "valid_to") == NULL,
		};
	qsort(byid, (size_t)n, sizeof *byid, cmp_node_id);
	/* Each node goes into its parent's child list (or the roots) at its
	 * place in sibling order. */
	int root = -1;
	for (int i = 0; i < n; i++) {
		int p = byid[i].parent ? find_node(byid, n, byid[i].parent)
				       : -1;
		int *head = p >= 0 ? &byid[p].first_child : &root;
		while (*head >= 0 && sibling_before(&byid[*head], &byid[i]))
			head = &byid[*head].next_sibling;
		byid[i].next_sibling = *head;
		*head = i;
	}
	/* Depth first without recursion (the data comes from outside). Each
	 * node is in exactly one list, so the stack never holds more than n. */
	json_t *list = json_array();
	int top = 0, count = 0;
	for (int c = root; c >= 0; c = byid[c].next_sibling)
		count++;
	for (int c = root, at = count; c >= 0; c = byid[c].next_sibling) {
		stack[--at] = c;
		depth[at] = 0;
	}
	top = count;
	while (top > 0) {
		top--;
		int k = stack[top], dp = depth[top];
		json_t *j = unit_status_json(a, r, byid[k].row);
		json_object_set_new(j, "depth", json_integer(dp));
		json_array_append_new(list, j);
		int kids = 0;
		for (int ch = byid[k].first_child; ch >= 0;
		     ch = byid[ch].next_sibling)
			kids++;
		int at = top + kids;
		for (int ch = byid[k].first_child; ch >= 0;
		     ch = byid[ch].next_sibling) {
			stack[--at] = ch;
			depth[at] = dp + 1;
		}
		top += kids;
	}
	*out = list;
	return ERR_OK;
}

/* ---- lineage and history ---- */

enum { LINEAGE_MAX = 4096 };

enum err units_lineage(struct db *db, struct arena *a, long long id,
		       long long **ids, int *n, struct error *e)
{
	long long *set = arena_alloc(a, sizeof *set * LINEAGE_MAX);
	if (!set)
		return error_set(e, ERR_NOMEM, "lineage: out of memory");
	struct unit u;
	enum err err = pdb_unit_get(db, a, id, &u, e);
	if (err)
		return err;
	int count = 0;
	set[count++] = id;
	/* Backwards: predecessors, breadth first over the growing set. */
	for (int i = 0; i < count; i++) {
		struct db_result *r;
		err = pdb_unit_predecessors(db, a, set[i], &r, e);
		if (err)
			return err;
		for (int k = 0; k < r->nrows; k++) {
			long long p = db_get_int(r, k, "id", 0);
			bool seen = false;
			for (int j = 0; j < count && !seen; j++)
				seen = set[j] == p;
			if (seen)
				continue;
			if (count == LINEAGE_MAX)
				return error_set(
					e, ERR_NOMEM,
					"lineage of %lld: over %d units", id,
					LINEAGE_MAX);
			set[count++] = p;
		}
	}
	/* Forwards: the chain of successors. */
	for (long long s = u.successor_id; s > 0;) {
		bool seen = false;
		for (int j = 0; j < count && !seen; j++)
			seen = set[j] == s;
		if (seen)
			break;
		if (count == LINEAGE_MAX)
			return error_set(e, ERR_NOMEM,
					 "lineage of %lld: over %d units", id,
					 LINEAGE_MAX);
		set[count++] = s;
		struct unit su;
		err = pdb_unit_get(db, a, s, &su, e);
		if (err)
			return err;
		s = su.successor_id;
	}
	*ids = set;
	*n = count;
	return ERR_OK;
}

static const char *event_label(const char *ev)
{
	if (!strcmp(ev, "create"))
		return "Tạo mới";
	if (!strcmp(ev, "merge"))
		return "Sáp nhập";
	return "Sửa đổi";
}

enum err units_history(struct db *db, struct arena *a, long long id,
		       json_t **out, struct error *e)
{
	struct db_result *ev, *pr;
	struct unit u;
	enum err err = pdb_unit_get(db, a, id, &u, e);
	if (!err)
		err = pdb_unit_events(db, a, id, &ev, e);
	if (!err)
		err = pdb_unit_predecessors(db, a, id, &pr, e);
	if (err)
		return err;
	json_t *events = json_array(), *preds = json_array(),
	       *succ = json_array();
	for (int i = 0; i < ev->nrows; i++) {
		json_t *j = db_row_json(ev, i);
		json_object_set_new(
			j, "label",
			json_string(event_label(db_get(ev, i, "event"))));
		json_array_append_new(events, j);
	}
	for (int i = 0; i < pr->nrows; i++) {
		struct unit p;
		pdb_unit_from_row(pr, i, &p);
		json_array_append_new(preds, unit_json(&p));
	}
	/* The successor chain, so "Minh Tiến -> Tiên Tiến -> ..." can be read. */
	for (long long s = u.successor_id;
	     s > 0 && json_array_size(succ) < 64;) {
		struct unit su;
		err = pdb_unit_get(db, a, s, &su, e);
		if (err) {
			json_decref(events);
			json_decref(preds);
			json_decref(succ);
			return err;
		}
		json_array_append_new(succ, unit_json(&su));
		s = su.successor_id;
	}
	*out = json_pack("{s:o, s:o, s:o}", "events", events, "predecessors",
			 preds, "successors", succ);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "unit history: out of memory");
}
