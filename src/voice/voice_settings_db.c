/* The clocks as data a commune's legal officer edits (rules.md: "every
 * rule is data"): `quantri voice rules export|import` write and read the
 * whole case_rules set as CSV. An import is checked in full before
 * anything is written (every bad row named) and replaces the set in one
 * transaction with its audit row, so the clocks are never half-changed.
 * Cases keep no reference to a rule row: each finds the rule in force on
 * the day its clock started, so replacing the rows changes no running
 * clock whose dates the new set keeps. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "voice.h"
#include "voice_settings_db.h"
#include "../base/csv.h"
#include "../base/banned.h"

enum { RULES_MAX = 1000, LEGAL_BASIS_MAX = 500, DAYS_MAX = 3650 };

static const char *const COLUMNS[] = {
	"case_type",      "step",
	"start_event",    "days",
	"day_unit",       "days_complex",
	"days_remote",    "days_remote_complex",
	"extension_days", "max_extensions",
	"effective_from", "effective_to",
	"legal_basis",    "verified",
};
enum { NCOLUMNS = sizeof COLUMNS / sizeof *COLUMNS };

/* The steps each type's clock runs (case_current_step): every one needs a
 * rule in force today. */
static const struct {
	const char *type, *step;
} NEEDED[] = {
	{"feedback", "classify"},   {"feedback", "resolve"},
	{"petition", "classify"},   {"petition", "resolve"},
	{"complaint", "accept"},    {"complaint", "resolve"},
	{"denunciation", "accept"}, {"denunciation", "resolve"},
};
enum { NNEEDED = sizeof NEEDED / sizeof *NEEDED };

static bool is(const char *s, const char *t)
{
	return s && !strcmp(s, t);
}

static bool known_type(const char *t)
{
	for (int i = 0; i < NNEEDED; i++)
		if (is(t, NEEDED[i].type))
			return true;
	return false;
}

static bool known_step(const char *t, const char *s)
{
	for (int i = 0; i < NNEEDED; i++)
		if (is(t, NEEDED[i].type) && is(s, NEEDED[i].step))
			return true;
	return false;
}

/* A whole number from lo to DAYS_MAX written in plain digits; empty gives
 * *out = 0 when optional. */
static bool whole(const char *s, int lo, bool optional, int *out)
{
	*out = 0;
	if (!s || !*s)
		return optional;
	if (strlen(s) > 5)
		return false;
	int v = 0;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return false;
		v = v * 10 + (*c - '0');
	}
	if (v < lo || v > DAYS_MAX)
		return false;
	*out = v;
	return true;
}

static int day_cmp(const char *a, const char *b)
{
	return strcmp(a, b); /* ISO days compare as text */
}

/* Does the rule run on day (ISO)? */
static bool in_force(const struct case_rule *r, const char *day)
{
	return day_cmp(r->effective_from, day) <= 0 &&
	       (!r->effective_to || day_cmp(day, r->effective_to) < 0);
}

static bool overlap(const struct case_rule *x, const struct case_rule *y)
{
	/* [from, to) intervals; NULL to: open-ended */
	bool x_before = x->effective_to &&
			day_cmp(x->effective_to, y->effective_from) <= 0;
	bool y_before = y->effective_to &&
			day_cmp(y->effective_to, x->effective_from) <= 0;
	return !x_before && !y_before;
}

static const char *cell(const struct csv_table *t, const int *col, int row,
			int c)
{
	const char *s = csv_get(t, row, col[c]);
	return s ? s : "";
}

enum err voice_rules_parse_csv(struct arena *a, const char *data, size_t len,
			       struct date today, struct case_rules *out,
			       struct problems *p, struct error *e)
{
	out->n = 0;
	out->list = NULL;
	if (!import_check_text(a, data, len, p))
		return ERR_OK;
	struct csv_table t;
	struct error pe = {0};
	if (csv_parse(a, data, len, &t, &pe)) {
		problems_add(a, p, 0, "", "Tệp CSV không đọc được", "%s",
			     pe.msg);
		return ERR_OK;
	}
	int col[NCOLUMNS];
	for (int c = 0; c < NCOLUMNS; c++) {
		col[c] = csv_col(&t, COLUMNS[c]);
		if (col[c] < 0)
			problems_add(a, p, 1, COLUMNS[c], "Thiếu cột",
				     "missing column");
	}
	if (p->n)
		return ERR_OK;
	if (t.nrows > RULES_MAX) {
		problems_add(a, p, 0, "", "Quá nhiều dòng",
			     "%d rules: at most %d", t.nrows, RULES_MAX);
		return ERR_OK;
	}
	out->list = arena_alloc(a, sizeof *out->list *
					   (size_t)(t.nrows ? t.nrows : 1));
	if (!out->list)
		return error_set(e, ERR_NOMEM, "rules import: out of memory");
	char today_s[11];
	date_format_iso(today, today_s);
	for (int i = 0; i < t.nrows; i++) {
		int line = t.lines[i], before = p->n;
		struct case_rule r = {0};
		struct date d;
		r.case_type = cell(&t, col, i, 0);
		r.step = cell(&t, col, i, 1);
		r.start_event = cell(&t, col, i, 2);
		r.day_unit = cell(&t, col, i, 4);
		r.effective_from = cell(&t, col, i, 10);
		r.effective_to = cell(&t, col, i, 11);
		r.legal_basis = cell(&t, col, i, 12);
		const char *v = cell(&t, col, i, 13);
		if (!known_type(r.case_type))
			problems_add(a, p, line, "case_type", "Loại không rõ",
				     "unknown type \"%s\"", r.case_type);
		else if (!known_step(r.case_type, r.step))
			problems_add(a, p, line, "step", "Bước không rõ",
				     "unknown step \"%s\" for %s", r.step,
				     r.case_type);
		if (!is(r.start_event, "received") &&
		    !is(r.start_event, "accepted"))
			problems_add(a, p, line, "start_event",
				     "Mốc bắt đầu không rõ",
				     "unknown start event \"%s\" (received "
				     "or accepted)",
				     r.start_event);
		if (!is(r.day_unit, "working") && !is(r.day_unit, "calendar"))
			problems_add(a, p, line, "day_unit",
				     "Đơn vị ngày không rõ",
				     "unknown unit \"%s\" (working or "
				     "calendar)",
				     r.day_unit);
		static const int num_cols[] = {3, 5, 6, 7, 8, 9};
		int *num_out[] = {&r.days,           &r.days_complex,
				  &r.days_remote,    &r.days_remote_complex,
				  &r.extension_days, &r.max_extensions};
		for (int k = 0; k < 6; k++) {
			int c = num_cols[k];
			bool ok = k < 4 ? whole(cell(&t, col, i, c), 1, k > 0,
						num_out[k])
					: whole(cell(&t, col, i, c), 0, true,
						num_out[k]);
			if (!ok)
				problems_add(a, p, line, COLUMNS[c],
					     "Không phải số nguyên dương",
					     k < 4 ? "\"%s\" is not a positive "
						     "integer (1 to 3650)"
						   : "\"%s\" is not a whole "
						     "number (0 to 3650)",
					     cell(&t, col, i, c));
		}
		bool dates_ok = true;
		if (!date_parse_iso(r.effective_from, &d)) {
			problems_add(a, p, line, "effective_from",
				     "Ngày không hợp lệ",
				     "\"%s\" is not a day (YYYY-MM-DD)",
				     r.effective_from);
			dates_ok = false;
		}
		if (!*r.effective_to) {
			r.effective_to = NULL;
		} else if (!date_parse_iso(r.effective_to, &d)) {
			problems_add(a, p, line, "effective_to",
				     "Ngày không hợp lệ",
				     "\"%s\" is not a day (YYYY-MM-DD)",
				     r.effective_to);
			dates_ok = false;
		} else if (dates_ok &&
			   day_cmp(r.effective_to, r.effective_from) <= 0) {
			problems_add(a, p, line, "effective_to",
				     "Ngày hết hiệu lực phải sau ngày bắt đầu",
				     "%s is not after effective_from %s",
				     r.effective_to, r.effective_from);
			dates_ok = false;
		}
		if (strlen(r.legal_basis) > LEGAL_BASIS_MAX)
			problems_add(a, p, line, "legal_basis", "Quá dài",
				     "longer than %d bytes", LEGAL_BASIS_MAX);
		if (!is(v, "0") && !is(v, "1"))
			problems_add(a, p, line, "verified", "Phải là 0 hoặc 1",
				     "\"%s\" is not 0 or 1", v);
		r.verified = is(v, "1");
		if (p->n > before || !dates_ok)
			continue;
		for (int j = 0; j < out->n; j++) {
			const struct case_rule *o = &out->list[j];
			if (is(o->case_type, r.case_type) &&
			    is(o->step, r.step) && overlap(o, &r)) {
				problems_add(a, p, line, "effective_from",
					     "Trùng thời gian hiệu lực",
					     "%s %s from %s overlaps the rule "
					     "from %s on line %d",
					     r.case_type, r.step,
					     r.effective_from,
					     o->effective_from, (int)o->id);
				break;
			}
		}
		r.id = line; /* the line, for the messages above */
		out->list[out->n++] = r;
	}
	for (int k = 0; k < NNEEDED; k++) {
		bool found = false;
		for (int j = 0; j < out->n && !found; j++)
			found = is(out->list[j].case_type, NEEDED[k].type) &&
				is(out->list[j].step, NEEDED[k].step) &&
				in_force(&out->list[j], today_s);
		if (!found)
			problems_add(a, p, 0, "step",
				     "Thiếu quy định đang có "
				     "hiệu lực",
				     "%s %s: no rule in force today (%s)",
				     NEEDED[k].type, NEEDED[k].step, today_s);
	}
	if (p->n)
		out->n = 0;
	for (int j = 0; j < out->n; j++)
		out->list[j].id = 0;
	return ERR_OK;
}

static enum err put(FILE *f, const char *s, bool last, struct error *e)
{
	if (csv_write_field(f, s) || fputs(last ? "\r\n" : ",", f) == EOF)
		return error_set(e, ERR_IO, "rules export: write failed");
	return ERR_OK;
}

static const char *opt(char *buf, size_t cap, int v)
{
	if (!v)
		return "";
	snprintf(buf, cap, "%d", v);
	return buf;
}

enum err voice_rules_write_csv(FILE *f, const struct case_rules *r,
			       struct error *e)
{
	enum err err = ERR_OK;
	for (int c = 0; !err && c < NCOLUMNS; c++)
		err = put(f, COLUMNS[c], c == NCOLUMNS - 1, e);
	for (int i = 0; !err && i < r->n; i++) {
		const struct case_rule *x = &r->list[i];
		char d[4][16], ext[2][16];
		snprintf(d[0], sizeof d[0], "%d", x->days);
		snprintf(ext[0], sizeof ext[0], "%d", x->extension_days);
		snprintf(ext[1], sizeof ext[1], "%d", x->max_extensions);
		const char *v[NCOLUMNS] = {
			x->case_type,
			x->step,
			x->start_event,
			d[0],
			x->day_unit,
			opt(d[1], sizeof d[1], x->days_complex),
			opt(d[2], sizeof d[2], x->days_remote),
			opt(d[3], sizeof d[3], x->days_remote_complex),
			ext[0],
			ext[1],
			x->effective_from,
			x->effective_to ? x->effective_to : "",
			x->legal_basis,
			x->verified ? "1" : "0",
		};
		for (int c = 0; !err && c < NCOLUMNS; c++)
			err = put(f, v[c], c == NCOLUMNS - 1, e);
	}
	return err;
}

static const char *int_or_null(struct arena *a, int v)
{
	return v ? arena_printf(a, "%d", v) : NULL;
}

enum err voice_rules_replace(struct db *db, struct arena *a,
			     const struct actor *who,
			     const struct case_rules *r, struct error *e)
{
	struct db_result *res;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = db_exec(db, a, "SELECT COUNT(*) AS n FROM case_rules", NULL, 0,
		      &res, e);
	long long before = err ? 0 : db_get_int(res, 0, "n", 0);
	if (!err)
		err = db_exec(db, a, "DELETE FROM case_rules", NULL, 0, NULL,
			      e);
	for (int i = 0; !err && i < r->n; i++) {
		const struct case_rule *x = &r->list[i];
		const char *p[] = {
			x->case_type,
			x->step,
			x->start_event,
			arena_printf(a, "%d", x->days),
			x->day_unit,
			int_or_null(a, x->days_complex),
			int_or_null(a, x->days_remote),
			int_or_null(a, x->days_remote_complex),
			arena_printf(a, "%d", x->extension_days),
			arena_printf(a, "%d", x->max_extensions),
			x->effective_from,
			x->effective_to,
			x->legal_basis,
			x->verified ? "1" : "0",
		};
		err = db_exec(
			db, a,
			"INSERT INTO case_rules (case_type, step, start_event, "
			"days, day_unit, days_complex, days_remote, "
			"days_remote_complex, extension_days, max_extensions, "
			"effective_from, effective_to, legal_basis, verified) "
			"VALUES ($1, $2, $3, CAST($4 AS INTEGER), $5, "
			"CAST($6 AS INTEGER), CAST($7 AS INTEGER), "
			"CAST($8 AS INTEGER), CAST($9 AS INTEGER), "
			"CAST($10 AS INTEGER), $11, $12, $13, "
			"CAST($14 AS INTEGER))",
			p, 14, NULL, e);
	}
	if (!err) {
		json_t *b = json_pack("{sI}", "rules", (json_int_t)before);
		json_t *after = json_pack("{sI}", "rules", (json_int_t)r->n);
		err = audit_actor(db, a, who, "voice.rules_import",
				  "case_rules", 0, b, after, e);
		json_decref(b);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err) {
		db_rollback(db);
		return err;
	}
	voice_clock_forget();
	return ERR_OK;
}

/* ---- /voice/settings ---- */

static const char *lld(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

enum err vset_topics(struct db *db, struct arena *a, json_t **out,
		     struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT id, code, name_vi, name_en, dimension, "
			       "ord, active FROM case_topics ORDER BY ord, id",
			       NULL, 0, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return ERR_OK;
}

enum err vset_templates(struct db *db, struct arena *a, long long commune_id,
			json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT t.id, t.commune_id, t.topic_id, c.name_vi AS topic_vi, "
		"t.title, t.body FROM answer_templates t LEFT JOIN case_topics "
		"c ON c.id = t.topic_id WHERE t.commune_id IS NULL OR "
		"t.commune_id = CAST($1 AS INTEGER) ORDER BY t.commune_id, "
		"c.ord, t.title, t.id",
		(const char *const[]){lld(a, commune_id)}, 1, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return ERR_OK;
}

bool vset_topic_exists(struct db *db, struct arena *a, long long id)
{
	struct db_result *r;
	struct error e = {0};
	return !db_exec(db, a,
			"SELECT id FROM case_topics WHERE id = CAST($1 AS "
			"INTEGER)",
			(const char *const[]){lld(a, id)}, 1, &r, &e) &&
	       r->nrows == 1;
}

static json_t *rule_json(const struct case_rule *x)
{
	return json_pack(
		"{s:s, s:s, s:s, s:i, s:s, s:i, s:i, s:i, s:i, s:i, s:s, s:s?, "
		"s:s, s:b}",
		"case_type", x->case_type, "step", x->step, "start_event",
		x->start_event, "days", x->days, "day_unit", x->day_unit,
		"days_complex", x->days_complex, "days_remote", x->days_remote,
		"days_remote_complex", x->days_remote_complex, "extension_days",
		x->extension_days, "max_extensions", x->max_extensions,
		"effective_from", x->effective_from, "effective_to",
		x->effective_to, "legal_basis", x->legal_basis, "verified",
		x->verified);
}

static enum err finish(struct db *db, enum err err, struct error *e)
{
	if (!err)
		err = db_commit(db, e);
	if (err)
		db_rollback(db);
	return err;
}

enum err vset_rule_add(struct db *db, struct arena *a, const struct actor *who,
		       const struct case_rule *x, long long *id,
		       struct error *e)
{
	struct db_result *r;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	const char *const ts[] = {x->case_type, x->step, x->effective_from};
	err = db_exec(db, a,
		      "SELECT id FROM case_rules WHERE case_type = $1 AND "
		      "step = $2 AND effective_from = $3",
		      ts, 3, &r, e);
	if (!err && r->nrows)
		err = error_set(e, ERR_CONFLICT,
				"%s %s: a rule already starts on %s",
				x->case_type, x->step, x->effective_from);
	/* the next rule after the day bounds the new one */
	const char *to = NULL;
	if (!err)
		err = db_exec(db, a,
			      "SELECT MIN(effective_from) AS d FROM case_rules "
			      "WHERE case_type = $1 AND step = $2 AND "
			      "effective_from > $3",
			      ts, 3, &r, e);
	if (!err && r->nrows && db_get(r, 0, "d"))
		to = arena_strdup(a, db_get(r, 0, "d"));
	/* the one in force that day ends then */
	if (!err)
		err = db_exec(
			db, a,
			"UPDATE case_rules SET effective_to = $3 WHERE "
			"case_type = $1 AND step = $2 AND effective_from "
			"< $3 AND (effective_to IS NULL OR effective_to > "
			"$3)",
			ts, 3, NULL, e);
	struct case_rule n = *x;
	n.effective_to = to;
	if (!err) {
		const char *p[] = {
			n.case_type,
			n.step,
			n.start_event,
			lld(a, n.days),
			n.day_unit,
			int_or_null(a, n.days_complex),
			int_or_null(a, n.days_remote),
			int_or_null(a, n.days_remote_complex),
			lld(a, n.extension_days),
			lld(a, n.max_extensions),
			n.effective_from,
			n.effective_to,
			n.legal_basis,
			n.verified ? "1" : "0",
		};
		err = db_exec(
			db, a,
			"INSERT INTO case_rules (case_type, step, start_event, "
			"days, day_unit, days_complex, days_remote, "
			"days_remote_complex, extension_days, max_extensions, "
			"effective_from, effective_to, legal_basis, verified) "
			"VALUES ($1, $2, $3, CAST($4 AS INTEGER), $5, "
			"CAST($6 AS INTEGER), CAST($7 AS INTEGER), "
			"CAST($8 AS INTEGER), CAST($9 AS INTEGER), "
			"CAST($10 AS INTEGER), $11, $12, $13, "
			"CAST($14 AS INTEGER)) RETURNING id",
			p, 14, &r, e);
		if (!err && r->nrows == 1)
			*id = db_get_int(r, 0, "id", 0);
	}
	if (!err) {
		json_t *after = rule_json(&n);
		err = audit_actor(db, a, who, "voice.rule_add", "case_rule",
				  *id, NULL, after, e);
		json_decref(after);
	}
	err = finish(db, err, e);
	if (!err)
		voice_clock_forget();
	return err;
}

enum err vset_rule_verify(struct db *db, struct arena *a,
			  const struct actor *who, long long id,
			  struct error *e)
{
	struct db_result *r;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = db_exec(db, a,
		      "UPDATE case_rules SET verified = 1 WHERE id = CAST($1 "
		      "AS INTEGER) RETURNING id",
		      (const char *const[]){lld(a, id)}, 1, &r, e);
	if (!err && r->nrows != 1)
		err = error_set(e, ERR_NOTFOUND, "rule %lld: not found", id);
	if (!err) {
		json_t *b = json_pack("{sb}", "verified", 0),
		       *af = json_pack("{sb}", "verified", 1);
		err = audit_actor(db, a, who, "voice.rule_verify", "case_rule",
				  id, b, af, e);
		json_decref(b);
		json_decref(af);
	}
	err = finish(db, err, e);
	if (!err)
		voice_clock_forget();
	return err;
}

enum err vset_topic_save(struct db *db, struct arena *a,
			 const struct actor *who, long long *id,
			 const char *code, const char *name_vi,
			 const char *dimension, bool active, struct error *e)
{
	struct db_result *r;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	json_t *before = NULL;
	if (*id) {
		err = db_exec(db, a,
			      "SELECT code, name_vi, dimension, active FROM "
			      "case_topics WHERE id = CAST($1 AS INTEGER)",
			      (const char *const[]){lld(a, *id)}, 1, &r, e);
		if (!err && r->nrows != 1)
			err = error_set(e, ERR_NOTFOUND,
					"topic %lld: not found", *id);
		if (!err)
			before = db_row_json(r, 0);
		if (!err)
			err = db_exec(db, a,
				      "UPDATE case_topics SET name_vi = $2, "
				      "dimension = $3, active = CAST($4 AS "
				      "INTEGER) WHERE id = CAST($1 AS "
				      "INTEGER)",
				      (const char *const[]){lld(a, *id),
							    name_vi, dimension,
							    active ? "1" : "0"},
				      4, NULL, e);
	} else {
		err = db_exec(db, a,
			      "SELECT id FROM case_topics WHERE code = $1",
			      (const char *const[]){code}, 1, &r, e);
		if (!err && r->nrows)
			err = error_set(e, ERR_CONFLICT,
					"topic code %s: already used", code);
		if (!err)
			err = db_exec(
				db, a,
				"INSERT INTO case_topics (code, name_vi, "
				"name_en, dimension, ord, active) VALUES ($1, "
				"$2, $2, $3, (SELECT COALESCE(MAX(ord), 0) + 1 "
				"FROM case_topics), 1) RETURNING id",
				(const char *const[]){code, name_vi, dimension},
				3, &r, e);
		if (!err)
			*id = db_get_int(r, 0, "id", 0);
	}
	if (!err) {
		json_t *after =
			json_pack("{s:s, s:s, s:b}", "name_vi", name_vi,
				  "dimension", dimension, "active", active);
		err = audit_actor(db, a, who, "voice.topic_save", "case_topic",
				  *id, before, after, e);
		json_decref(after);
	}
	json_decref(before);
	return finish(db, err, e);
}

enum err vset_template_save(struct db *db, struct arena *a,
			    const struct actor *who, long long commune_id,
			    long long *id, long long topic_id,
			    const char *title, const char *body,
			    struct error *e)
{
	struct db_result *r;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	const char *topic = topic_id > 0 ? lld(a, topic_id) : NULL;
	if (*id) {
		err = db_exec(db, a,
			      "UPDATE answer_templates SET topic_id = CAST($3 "
			      "AS INTEGER), title = $4, body = $5 WHERE id = "
			      "CAST($1 AS INTEGER) AND commune_id = CAST($2 AS "
			      "INTEGER) RETURNING id",
			      (const char *const[]){lld(a, *id),
						    lld(a, commune_id), topic,
						    title, body},
			      5, &r, e);
		if (!err && r->nrows != 1)
			err = error_set(e, ERR_NOTFOUND,
					"template %lld: not found", *id);
	} else {
		err = db_exec(db, a,
			      "INSERT INTO answer_templates (commune_id, "
			      "topic_id, title, body) VALUES (CAST($1 AS "
			      "INTEGER), CAST($2 AS INTEGER), $3, $4) "
			      "RETURNING id",
			      (const char *const[]){lld(a, commune_id), topic,
						    title, body},
			      4, &r, e);
		if (!err)
			*id = db_get_int(r, 0, "id", 0);
	}
	if (!err) {
		json_t *after = json_pack("{s:s, s:I}", "title", title,
					  "topic_id", (json_int_t)topic_id);
		err = audit_actor(db, a, who, "voice.template_save",
				  "answer_template", *id, NULL, after, e);
		json_decref(after);
	}
	return finish(db, err, e);
}

enum err vset_template_delete(struct db *db, struct arena *a,
			      const struct actor *who, long long commune_id,
			      long long id, struct error *e)
{
	struct db_result *r;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = db_exec(db, a,
		      "DELETE FROM answer_templates WHERE id = CAST($1 AS "
		      "INTEGER) AND commune_id = CAST($2 AS INTEGER) "
		      "RETURNING title",
		      (const char *const[]){lld(a, id), lld(a, commune_id)}, 2,
		      &r, e);
	if (!err && r->nrows != 1)
		err = error_set(e, ERR_NOTFOUND, "template %lld: not found",
				id);
	if (!err) {
		json_t *b = json_pack("{s:s}", "title", db_get(r, 0, "title"));
		err = audit_actor(db, a, who, "voice.template_delete",
				  "answer_template", id, b, NULL, e);
		json_decref(b);
	}
	return finish(db, err, e);
}
