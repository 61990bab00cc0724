/* Storage of outreach/ (outreach.h): topics, activities with their
 * villages, PAPI links and evidence, the list and the coverage query, and
 * news posts. Every change runs in one transaction with its audit row. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "outreach.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../files/attachment.h"
#include "../base/banned.h"

static const char *str(const char *s)
{
	return s ? s : "";
}

static void problem(struct field_problems *fp, const char *field,
		    const char *en, const char *vi)
{
	if (fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){field, en, vi};
}

static enum err invalid(struct field_problems *fp, struct error *e,
			const char *what)
{
	return error_set(e, ERR_INVALID, "%s: %s: %s", what,
			 fp->n ? fp->list[0].field : "?",
			 fp->n ? fp->list[0].msg_en : "invalid");
}

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

/* A growing SQL text with a maximum (16 MB). */
struct sqlbuf {
	char *s;
	size_t len, cap;
	bool full;
};

static void sql_add(struct arena *a, struct sqlbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sql_add(struct arena *a, struct sqlbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *t = arena_vprintf(a, fmt, ap);
	va_end(ap);
	size_t n = t ? strlen(t) : 0;
	if (!t || b->len + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 1024) + n;
		char *s = t && cap <= (1u << 24) ? arena_alloc(a, cap) : NULL;
		if (!s) {
			b->full = true;
			return;
		}
		if (b->len)
			memcpy(s, b->s, b->len);
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, t, n + 1);
	b->len += n;
}

/* "1,2,3" (numbers only: safe in SQL text); "0" for none. */
static const char *id_list(struct arena *a, const long long *ids, int n)
{
	struct sqlbuf b = {0};
	for (int i = 0; i < n; i++)
		sql_add(a, &b, "%s%lld", i ? "," : "", ids[i]);
	return b.full || !n ? "0" : b.s;
}

/* ---- topics ---- */

enum err outreach_topics(struct db *db, struct arena *a, bool all, json_t **out,
			 struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		all ? "SELECT id, code, name_vi, dimension, ord, active FROM "
		      "outreach_topics ORDER BY ord, id"
		    : "SELECT id, code, name_vi, dimension, ord, active FROM "
		      "outreach_topics WHERE active = 1 ORDER BY ord, id",
		NULL, 0, &r, e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "topics: out of memory");
}

enum err outreach_topic_counts(struct db *db, struct arena *a, json_t *topics,
			       struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT topic_id, COUNT(*) AS n FROM "
			       "outreach_activities GROUP BY topic_id",
			       NULL, 0, &r, e);
	if (err)
		return err;
	size_t i;
	json_t *t;
	json_array_foreach(topics, i, t)
	{
		long long id = json_integer_value(json_object_get(t, "id")),
			  n = 0;
		for (int k = 0; k < r->nrows; k++)
			if (db_get_int(r, k, "topic_id", 0) == id)
				n = db_get_int(r, k, "n", 0);
		json_object_set_new(t, "activities", json_integer(n));
	}
	return ERR_OK;
}

enum err outreach_commune_names(struct db *db, struct arena *a,
				const long long *ids, int n, long long sel,
				json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		arena_printf(a,
			     "SELECT id, full_name AS name FROM units WHERE id "
			     "IN (%s) AND valid_to IS NULL ORDER BY sort_key, "
			     "id",
			     id_list(a, ids, n)),
		NULL, 0, &r, e);
	if (err)
		return err;
	*out = json_array();
	for (int i = 0; i < r->nrows; i++) {
		long long id = db_get_int(r, i, "id", 0);
		json_array_append_new(*out, json_pack("{s:I, s:s, s:b}", "id",
						      (json_int_t)id, "name",
						      str(db_get(r, i, "name")),
						      "selected", id == sel));
	}
	return ERR_OK;
}

static bool dimension_ok(const char *d)
{
	return d && d[0] == 'D' && d[1] >= '1' && d[1] <= '8' && !d[2];
}

/* The code of a new topic: its folded name, words joined by '_'. */
static const char *topic_code(struct arena *a, const char *name)
{
	char *f = text_fold(a, name);
	if (!f)
		return NULL;
	size_t n = strlen(f), o = 0;
	char *c = arena_alloc(a, n + 1);
	if (!c)
		return NULL;
	for (size_t i = 0; i < n && o < 60; i++) {
		unsigned char ch = (unsigned char)f[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			c[o++] = (char)ch;
		else if (o && c[o - 1] != '_')
			c[o++] = '_';
	}
	while (o && c[o - 1] == '_')
		o--;
	c[o] = 0;
	return o ? c : "chu_de";
}

enum err outreach_topic_save(struct db *db, struct arena *a,
			     const struct actor *who, long long *id,
			     const char *name_vi, const char *dimension,
			     int ord, bool active, struct field_problems *fp,
			     struct error *e)
{
	const char *name = name_vi ? text_trim(a, name_vi) : NULL;
	if (!name || !*name)
		problem(fp, "name_vi", "no name", "Nhập tên chủ đề.");
	else if (strlen(name) > OUTREACH_TOPIC_NAME_MAX ||
		 !text_valid_utf8(name, strlen(name)))
		problem(fp, "name_vi", "name too long (200 bytes at most)",
			"Tên chủ đề quá dài (tối đa khoảng 200 ký tự).");
	if (dimension && *dimension && !dimension_ok(dimension))
		problem(fp, "dimension", "dimension not D1..D8",
			"Lĩnh vực PAPI không hợp lệ.");
	if (ord < 0 || ord > 10000)
		problem(fp, "ord", "order not from 0 to 10000",
			"Thứ tự phải từ 0 đến 10.000.");
	if (fp->n)
		return invalid(fp, e, "topic");
	const char *dim = dimension && *dimension ? dimension : NULL;
	const char *code = topic_code(a, name);
	if (!code)
		return error_set(e, ERR_NOMEM, "topic: out of memory");
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	json_t *before = NULL;
	/* the same name twice is one topic: refused, whatever its case */
	err = db_exec(db, a,
		      "SELECT id FROM outreach_topics WHERE code = $1 AND id "
		      "<> $2",
		      DB_PARAMS(code, num(a, *id)), &r, e);
	if (!err && r->nrows) {
		problem(fp, "name_vi", "a topic of that name exists",
			"Đã có chủ đề cùng tên.");
		err = invalid(fp, e, "topic");
	}
	if (!err && *id > 0) {
		err = db_exec(db, a,
			      "SELECT id, code, name_vi, dimension, ord, "
			      "active FROM outreach_topics WHERE id = $1",
			      DB_PARAMS(num(a, *id)), &r, e);
		if (!err && !r->nrows)
			err = error_set(e, ERR_NOTFOUND,
					"topic %lld: no such "
					"topic",
					*id);
		if (!err)
			before = db_row_json(r, 0);
		if (!err)
			err = db_exec(
				db, a,
				"UPDATE outreach_topics SET name_vi = $1, "
				"dimension = $2, ord = $3, active = $4 "
				"WHERE id = $5",
				DB_PARAMS(name, dim, num(a, ord),
					  active ? "1" : "0", num(a, *id)),
				NULL, e);
	} else if (!err) {
		err = db_exec(db, a,
			      "INSERT INTO outreach_topics (code, name_vi, "
			      "dimension, ord, active) VALUES ($1, $2, $3, "
			      "$4, $5) RETURNING id",
			      DB_PARAMS(code, name, dim, num(a, ord),
					active ? "1" : "0"),
			      &r, e);
		if (!err)
			*id = db_get_int(r, 0, "id", 0);
	}
	json_t *after = json_pack("{s:I, s:s, s:s?, s:i, s:b}", "id",
				  (json_int_t)*id, "name_vi", name, "dimension",
				  dim, "ord", ord, "active", active);
	if (!err)
		err = audit_actor(db, a, who,
				  before ? "outreach.topic_update"
					 : "outreach.topic_create",
				  "outreach_topic", *id, before, after, e);
	json_decref(before);
	json_decref(after);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	return err;
}

/* ---- activities ---- */

static json_t *activity_audit_json(const struct outreach_activity *x)
{
	json_t *v = json_array(), *l = json_array();
	for (int i = 0; i < x->nvillages; i++)
		json_array_append_new(v, json_integer(x->villages[i]));
	for (int i = 0; i < x->nlinks; i++)
		json_array_append_new(l, json_string(x->links[i]));
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:I, s:o, s:o}",
			 "id", (json_int_t)x->id, "commune_id",
			 (json_int_t)x->commune_id, "channel", str(x->channel),
			 "topic_id", (json_int_t)x->topic_id, "held_on",
			 str(x->held_on), "title", str(x->title), "note",
			 str(x->note), "audience", (json_int_t)x->audience,
			 "villages", v, "links", l);
}

/* The checks that need the database: topic, villages, indicators. */
static enum err check_refs(struct db *db, struct arena *a,
			   struct outreach_activity *x, bool is_new,
			   struct field_problems *fp, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT active, dimension FROM outreach_topics "
			       "WHERE id = $1",
			       DB_PARAMS(num(a, x->topic_id)), &r, e);
	if (err)
		return err;
	const char *topic_dim = NULL;
	if (!r->nrows || (is_new && !db_get_int(r, 0, "active", 0)))
		problem(fp, "topic_id", "unknown or retired topic",
			"Chủ đề không có hoặc đã ngừng dùng.");
	else
		topic_dim = db_get(r, 0, "dimension");
	long long *lin;
	int nl;
	err = units_lineage(db, a, x->commune_id, &lin, &nl, e);
	if (err)
		return err;
	err = db_exec(
		db, a,
		arena_printf(a,
			     "SELECT id FROM units WHERE kind = 'village' "
			     "AND parent_id IN (%s) AND id IN (%s)",
			     id_list(a, lin, nl),
			     id_list(a, x->villages, x->nvillages)),
		NULL, 0, &r, e);
	if (err)
		return err;
	if (r->nrows != x->nvillages)
		problem(fp, "villages", "a village not of this commune",
			"Có thôn không thuộc xã này.");
	if (!x->nlinks && topic_dim && dimension_ok(topic_dim))
		x->links[x->nlinks++] = arena_strdup(a, topic_dim);
	bool any_indicator = false;
	for (int i = 0; i < x->nlinks; i++)
		any_indicator |= strchr(x->links[i], ':') != NULL;
	if (!any_indicator)
		return ERR_OK;
	json_t *choices;
	struct date d;
	err = plan_link_choices(
		db, a,
		date_parse_iso(x->held_on, &d) ? d.y : clock_today_vn().y,
		&choices, e);
	if (err)
		return err;
	for (int i = 0; i < x->nlinks; i++) {
		char dim[3];
		const char *ind;
		if (!outreach_link_parse(x->links[i], dim, &ind) || !*ind)
			continue;
		bool found = false;
		size_t k, j;
		json_t *d, *in;
		json_array_foreach(choices, k, d)
		{
			const char *code =
				json_string_value(json_object_get(d, "code"));
			if (!code || strcmp(code, dim))
				continue;
			json_array_foreach(json_object_get(d, "indicators"), j,
					   in)
			{
				const char *c = json_string_value(
					json_object_get(in, "code"));
				found |= c && !strcmp(c, ind);
			}
		}
		if (!found) {
			problem(fp, "links", "indicator not in the catalogue",
				"Có chỉ số PAPI không có trong bộ chỉ số của "
				"năm này.");
			break;
		}
	}
	json_decref(choices);
	return ERR_OK;
}

enum err outreach_save(struct db *db, struct arena *a, const struct actor *who,
		       struct outreach_activity *x,
		       const struct upload *const *files, int nfiles,
		       struct field_problems *fp, struct error *e)
{
	char today[11];
	date_format_iso(clock_today_vn(), today);
	outreach_validate(x, today, fp);
	const char *mimes[ATTACHMENTS_MAX_PER_RECORD];
	if (nfiles > ATTACHMENTS_MAX_PER_RECORD)
		problem(fp, "files", "more than 5 files",
			"Tối đa 5 tệp cho một lần ghi.");
	for (int i = 0; i < nfiles && i < ATTACHMENTS_MAX_PER_RECORD; i++) {
		struct attachment_problem ap;
		if (!attachment_check(files[i], ATTACH_EVIDENCE, 0, &mimes[i],
				      &ap)) {
			problem(fp, "files", arena_strdup(a, ap.msg_en),
				arena_strdup(a, ap.msg_vi));
			break;
		}
	}
	if (fp->n)
		return invalid(fp, e, "activity");
	enum err err = db_begin(db, e);
	if (err)
		return err;
	json_t *before = NULL;
	struct outreach_activity old;
	if (x->id > 0) {
		err = outreach_get(db, a, x->id, &old, e);
		if (!err) {
			before = activity_audit_json(&old);
			x->commune_id = old.commune_id; /* never moves */
			x->created_by = old.created_by;
		}
	}
	if (!err)
		err = check_refs(db, a, x, x->id == 0, fp, e);
	if (!err && fp->n)
		err = invalid(fp, e, "activity");
	char *now = clock_now_iso(a);
	const char *fold = text_fold(
		a, arena_printf(a, "%s %s", str(x->title), str(x->note)));
	struct db_result *r;
	if (!err && x->id > 0) {
		err = db_exec(db, a,
			      "UPDATE outreach_activities SET channel = $1, "
			      "topic_id = $2, held_on = $3, title = $4, "
			      "audience = $5, note = $6, text_fold = $7, "
			      "updated_at = $8 WHERE id = $9",
			      DB_PARAMS(x->channel, num(a, x->topic_id),
					x->held_on, x->title,
					num(a, x->audience), str(x->note),
					str(fold), now, num(a, x->id)),
			      NULL, e);
		if (!err)
			err = db_exec(db, a,
				      "DELETE FROM outreach_villages WHERE "
				      "activity_id = $1",
				      DB_PARAMS(num(a, x->id)), NULL, e);
		if (!err)
			err = db_exec(db, a,
				      "DELETE FROM outreach_links WHERE "
				      "activity_id = $1",
				      DB_PARAMS(num(a, x->id)), NULL, e);
	} else if (!err) {
		x->created_by = who->user_id;
		err = db_exec(
			db, a,
			"INSERT INTO outreach_activities (commune_id, channel, "
			"topic_id, held_on, title, audience, note, text_fold, "
			"created_by, created_at, updated_at) VALUES ($1, $2, "
			"$3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
			DB_PARAMS(num(a, x->commune_id), x->channel,
				  num(a, x->topic_id), x->held_on, x->title,
				  num(a, x->audience), str(x->note), str(fold),
				  who->user_id > 0 ? num(a, who->user_id)
						   : NULL,
				  now),
			&r, e);
		if (!err)
			x->id = db_get_int(r, 0, "id", 0);
	}
	for (int i = 0; !err && i < x->nvillages; i++)
		err = db_exec(db, a,
			      "INSERT INTO outreach_villages (activity_id, "
			      "village_id) VALUES ($1, $2)",
			      DB_PARAMS(num(a, x->id), num(a, x->villages[i])),
			      NULL, e);
	for (int i = 0; !err && i < x->nlinks; i++) {
		char dim[3];
		const char *ind = "";
		outreach_link_parse(x->links[i], dim, &ind);
		err = db_exec(
			db, a,
			"INSERT INTO outreach_links (activity_id, "
			"dimension, indicator) VALUES ($1, $2, $3)",
			DB_PARAMS(num(a, x->id), arena_strdup(a, dim), ind),
			NULL, e);
	}
	for (int i = 0; !err && i < nfiles; i++) {
		long long fid;
		err = attachment_save(db, a, "outreach_activity", x->id,
				      files[i], mimes[i], who->user_id, &fid,
				      e);
	}
	json_t *after = err ? NULL : activity_audit_json(x);
	if (!err)
		err = audit_actor(db, a, who,
				  before ? "outreach.update"
					 : "outreach.create",
				  "outreach_activity", x->id, before, after, e);
	json_decref(before);
	json_decref(after);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	if (x->id > 0 && !before)
		x->id = 0; /* the insert was rolled back */
	return err;
}

enum err outreach_get(struct db *db, struct arena *a, long long id,
		      struct outreach_activity *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	struct db_result *r;
	const char *sid = num(a, id);
	enum err err = db_exec(db, a,
			       "SELECT id, commune_id, channel, topic_id, "
			       "held_on, title, audience, note, created_by "
			       "FROM outreach_activities WHERE id = $1",
			       DB_PARAMS(sid), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "activity %lld: not found",
				 id);
	out->id = id;
	out->commune_id = db_get_int(r, 0, "commune_id", 0);
	out->channel = db_get(r, 0, "channel");
	out->topic_id = db_get_int(r, 0, "topic_id", 0);
	out->held_on = db_get(r, 0, "held_on");
	out->title = db_get(r, 0, "title");
	out->audience = db_get_int(r, 0, "audience", 0);
	out->note = str(db_get(r, 0, "note"));
	out->created_by = db_get_int(r, 0, "created_by", 0);
	err = db_exec(db, a,
		      "SELECT ov.village_id FROM outreach_villages ov JOIN "
		      "units u ON u.id = ov.village_id WHERE ov.activity_id "
		      "= $1 ORDER BY u.sort_key, u.id",
		      DB_PARAMS(sid), &r, e);
	if (err)
		return err;
	for (int i = 0; i < r->nrows && i < OUTREACH_VILLAGES_MAX; i++)
		out->villages[out->nvillages++] =
			db_get_int(r, i, "village_id", 0);
	err = db_exec(db, a,
		      "SELECT dimension, indicator FROM outreach_links WHERE "
		      "activity_id = $1 ORDER BY dimension, indicator",
		      DB_PARAMS(sid), &r, e);
	if (err)
		return err;
	for (int i = 0; i < r->nrows && i < OUTREACH_LINKS_MAX; i++) {
		const char *ind = str(db_get(r, i, "indicator"));
		out->links[out->nlinks++] =
			*ind ? arena_printf(a, "%s:%s",
					    db_get(r, i, "dimension"), ind)
			     : db_get(r, i, "dimension");
	}
	return ERR_OK;
}

enum err outreach_json(struct db *db, struct arena *a,
		       const struct outreach_activity *x, json_t **out,
		       struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT t.name_vi AS topic_vi, c.name AS commune_name, "
		"u.full_name AS created_by_name, x.created_at, x.updated_at "
		"FROM outreach_activities x JOIN outreach_topics t ON t.id = "
		"x.topic_id JOIN units c ON c.id = x.commune_id LEFT JOIN "
		"users u ON u.id = x.created_by WHERE x.id = $1",
		DB_PARAMS(num(a, x->id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "activity %lld: not found",
				 x->id);
	json_t *villages = json_array(), *links = json_array(), *files = NULL;
	struct db_result *v;
	err = db_exec(db, a,
		      arena_printf(a,
				   "SELECT id, name FROM units WHERE id IN "
				   "(%s) ORDER BY sort_key, id",
				   id_list(a, x->villages, x->nvillages)),
		      NULL, 0, &v, e);
	for (int i = 0; !err && i < v->nrows; i++)
		json_array_append_new(
			villages,
			json_pack("{s:I, s:s}", "id",
				  (json_int_t)db_get_int(v, i, "id", 0), "name",
				  str(db_get(v, i, "name"))));
	json_t *choices = NULL;
	struct date d;
	if (!err && x->nlinks)
		err = plan_link_choices(db, a,
					date_parse_iso(x->held_on, &d)
						? d.y
						: clock_today_vn().y,
					&choices, e);
	for (int i = 0; !err && i < x->nlinks; i++) {
		char dim[3];
		const char *ind = "";
		outreach_link_parse(x->links[i], dim, &ind);
		const char *name = "";
		size_t k, j;
		json_t *dd, *in;
		json_array_foreach(choices, k, dd)
		{
			const char *code =
				json_string_value(json_object_get(dd, "code"));
			if (!code || strcmp(code, dim))
				continue;
			if (!*ind)
				name = str(json_string_value(
					json_object_get(dd, "name_vi")));
			json_array_foreach(json_object_get(dd, "indicators"), j,
					   in)
			{
				const char *c = json_string_value(
					json_object_get(in, "code"));
				if (*ind && c && !strcmp(c, ind))
					name = str(json_string_value(
						json_object_get(in,
								"name_vi")));
			}
		}
		json_array_append_new(
			links, json_pack("{s:s, s:s, s:s, s:s}", "code",
					 x->links[i], "dimension", dim,
					 "indicator", ind, "name_vi", name));
	}
	json_decref(choices);
	if (!err)
		err = attachment_list(db, a, "outreach_activity", x->id, &files,
				      e);
	if (err) {
		json_decref(villages);
		json_decref(links);
		return err;
	}
	*out = json_pack(
		"{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:s, s:s, "
		"s:o, s:o, s:o, s:s, s:s, s:s, s:I}",
		"id", (json_int_t)x->id, "commune_id",
		(json_int_t)x->commune_id, "commune_name",
		str(db_get(r, 0, "commune_name")), "channel", str(x->channel),
		"channel_vi", str(outreach_channel_label_vi(x->channel)),
		"topic_id", (json_int_t)x->topic_id, "topic_vi",
		str(db_get(r, 0, "topic_vi")), "held_on", str(x->held_on),
		"audience", (json_int_t)x->audience, "title", str(x->title),
		"note", str(x->note), "villages", villages, "links", links,
		"files", files, "created_by_name",
		str(db_get(r, 0, "created_by_name")), "created_at",
		str(db_get(r, 0, "created_at")), "updated_at",
		str(db_get(r, 0, "updated_at")), "created_by",
		(json_int_t)x->created_by);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "activity: out of memory");
}

/* WHERE of a list filter over outreach_activities a; parameters in p. */
static void list_where(struct arena *a, struct sqlbuf *w,
		       const struct outreach_filter *f, const char **p, int *np,
		       bool dates)
{
	sql_add(a, w, " WHERE a.commune_id IN (%s)",
		id_list(a, f->communes, f->ncommunes));
	if (f->topic_id > 0)
		sql_add(a, w, " AND a.topic_id = %lld", f->topic_id);
	if (f->village_id > 0)
		sql_add(a, w,
			" AND EXISTS (SELECT 1 FROM outreach_villages fv "
			"WHERE fv.activity_id = a.id AND fv.village_id = "
			"%lld)",
			f->village_id);
	if (f->channel && outreach_channel_label_vi(f->channel)) {
		p[(*np)++] = f->channel;
		sql_add(a, w, " AND a.channel = $%d", *np);
	}
	if (f->dimension && dimension_ok(f->dimension)) {
		p[(*np)++] = f->dimension;
		sql_add(a, w,
			" AND EXISTS (SELECT 1 FROM outreach_links fl WHERE "
			"fl.activity_id = a.id AND fl.dimension = $%d)",
			*np);
	}
	struct date d;
	if (dates && f->from && date_parse_iso(f->from, &d)) {
		p[(*np)++] = f->from;
		sql_add(a, w, " AND a.held_on >= $%d", *np);
	}
	if (dates && f->to && date_parse_iso(f->to, &d)) {
		p[(*np)++] = f->to;
		sql_add(a, w, " AND a.held_on <= $%d", *np);
	}
	const char *q = dates && f->q && text_valid_utf8(f->q, strlen(f->q))
				? text_fold(a, f->q)
				: NULL;
	if (q && *q && strlen(q) <= 200) {
		/* LIKE's own characters are searched for as themselves */
		size_t n = strlen(q);
		char *esc = arena_alloc(a, 2 * n + 1), *o = esc;
		for (size_t i = 0; esc && i < n; i++) {
			if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
				*o++ = '\\';
			*o++ = q[i];
		}
		if (esc) {
			*o = 0;
			p[(*np)++] = arena_printf(a, "%%%s%%", esc);
			sql_add(a, w, " AND a.text_fold LIKE $%d ESCAPE '\\'",
				*np);
		}
	}
}

enum err outreach_list(struct db *db, struct arena *a,
		       const struct outreach_filter *f, json_t **out,
		       struct error *e)
{
	const char *p[8];
	int np = 0;
	struct sqlbuf w = {0}, s = {0};
	list_where(a, &w, f, p, &np, true);
	if (w.full)
		return error_set(e, ERR_NOMEM, "activity list: out of memory");
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		arena_printf(a,
			     "SELECT COUNT(*) AS n, COALESCE(SUM(a.audience), "
			     "0) AS audience FROM outreach_activities a%s",
			     w.s),
		p, np, &r, e);
	if (err)
		return err;
	long long total = db_get_int(r, 0, "n", 0);
	long long audience = db_get_int(r, 0, "audience", 0);
	int per = f->per_page > 0 && f->per_page <= 200 ? f->per_page
		  : f->per_page == 0                    ? OUTREACH_EXPORT_MAX
							: 20;
	int page = f->page > 0 ? f->page : 1;
	const char *limit = arena_printf(a,
					 " ORDER BY a.held_on DESC, a.id "
					 "DESC LIMIT %d OFFSET %lld",
					 per, (long long)(page - 1) * per);
	sql_add(a, &s,
		"SELECT a.id, a.held_on, a.channel, a.title, a.audience, "
		"t.name_vi AS topic_vi, c.name AS commune_name, (SELECT "
		"COUNT(*) FROM attachments f WHERE f.owner = "
		"'outreach_activity' AND f.owner_id = a.id) AS nfiles FROM "
		"outreach_activities a JOIN outreach_topics t ON t.id = "
		"a.topic_id JOIN units c ON c.id = a.commune_id%s%s",
		w.s, limit);
	if (s.full)
		return error_set(e, ERR_NOMEM, "activity list: out of memory");
	err = db_exec(db, a, s.s, p, np, &r, e);
	if (err)
		return err;
	/* the villages and links of the rows shown, by one query each */
	struct sqlbuf ids = {0};
	for (int i = 0; i < r->nrows; i++)
		sql_add(a, &ids, "%s%s", i ? "," : "", db_get(r, i, "id"));
	if (ids.full)
		return error_set(e, ERR_NOMEM, "activity list: out of memory");
	struct db_result *vr = NULL, *lr = NULL;
	if (r->nrows)
		err = db_exec(
			db, a,
			arena_printf(
				a,
				"SELECT ov.activity_id, u.name FROM "
				"outreach_villages ov JOIN units u ON "
				"u.id = ov.village_id WHERE ov.activity_id "
				"IN (%s) ORDER BY ov.activity_id, "
				"u.sort_key, u.id",
				ids.s),
			NULL, 0, &vr, e);
	if (!err && r->nrows)
		err = db_exec(
			db, a,
			arena_printf(a,
				     "SELECT activity_id, dimension, indicator "
				     "FROM outreach_links WHERE activity_id "
				     "IN (%s) ORDER BY activity_id, "
				     "dimension, indicator",
				     ids.s),
			NULL, 0, &lr, e);
	if (err)
		return err;
	/* both come ordered by activity id: walk them with the rows */
	json_t *rows = json_array();
	for (int i = 0; i < r->nrows; i++) {
		long long id = db_get_int(r, i, "id", 0);
		struct sqlbuf vn = {0}, ln = {0};
		int nv = 0;
		for (int k = 0; vr && k < vr->nrows; k++)
			if (db_get_int(vr, k, "activity_id", 0) == id) {
				sql_add(a, &vn, "%s%s", nv ? ", " : "",
					str(db_get(vr, k, "name")));
				nv++;
			}
		int nl = 0;
		for (int k = 0; lr && k < lr->nrows; k++)
			if (db_get_int(lr, k, "activity_id", 0) == id) {
				const char *ind =
					str(db_get(lr, k, "indicator"));
				sql_add(a, &ln, "%s%s%s%s", nl ? ", " : "",
					str(db_get(lr, k, "dimension")),
					*ind ? ":" : "", ind);
				nl++;
			}
		const char *ch = db_get(r, i, "channel");
		json_array_append_new(
			rows,
			json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, "
				  "s:i, s:s, s:I, s:s}",
				  "id", (json_int_t)id, "held_on",
				  str(db_get(r, i, "held_on")), "channel",
				  str(ch), "channel_vi",
				  str(outreach_channel_label_vi(ch)),
				  "topic_vi", str(db_get(r, i, "topic_vi")),
				  "title", str(db_get(r, i, "title")),
				  "audience",
				  (json_int_t)db_get_int(r, i, "audience", 0),
				  "villages", nv ? vn.s : "", "nvillages", nv,
				  "links", nl ? ln.s : "", "nfiles",
				  (json_int_t)db_get_int(r, i, "nfiles", 0),
				  "commune_name",
				  str(db_get(r, i, "commune_name"))));
	}
	*out = json_pack("{s:o, s:I, s:i, s:I, s:i, s:I}", "activities", rows,
			 "total", (json_int_t)total, "page", page, "pages",
			 (json_int_t)((total + per - 1) / per), "per_page", per,
			 "audience", (json_int_t)audience);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "activity list: out of memory");
}

/* ---- coverage ---- */

static enum err villages_in(struct db *db, struct arena *a,
			    const long long *lin, int nl,
			    const struct outreach_period *p, json_t **out,
			    struct error *e)
{
	enum err err;
	char from[11], to[11];
	date_format_iso(p->from, from);
	date_format_iso(p->to, to);
	struct db_result *r;
	err = db_exec(db, a,
		      arena_printf(a,
				   "SELECT id, name FROM units WHERE kind = "
				   "'village' AND parent_id IN (%s) AND "
				   "(valid_from IS NULL OR valid_from <= $1) "
				   "AND (valid_to IS NULL OR valid_to >= $2) "
				   "ORDER BY sort_key, id",
				   id_list(a, lin, nl)),
		      DB_PARAMS(arena_strdup(a, to), arena_strdup(a, from)), &r,
		      e);
	if (err)
		return err;
	*out = db_result_json(r);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "villages: out of memory");
}

enum err outreach_villages_of(struct db *db, struct arena *a,
			      long long commune_id,
			      const struct outreach_period *p, json_t **out,
			      struct error *e)
{
	long long *lin;
	int nl;
	enum err err = units_lineage(db, a, commune_id, &lin, &nl, e);
	return err ? err : villages_in(db, a, lin, nl, p, out, e);
}

enum err outreach_coverage_rows(struct db *db, struct arena *a,
				const struct outreach_filter *f,
				const struct outreach_period *p,
				struct db_result **out, struct error *e)
{
	const char *params[8];
	int np = 0;
	char from[11], to[11];
	date_format_iso(p->from, from);
	date_format_iso(p->to, to);
	params[np++] = arena_strdup(a, from);
	params[np++] = arena_strdup(a, to);
	struct sqlbuf w = {0}, s = {0};
	list_where(a, &w, f, params, &np, false);
	sql_add(a, &s,
		"SELECT ov.village_id, a.topic_id, SUBSTR(a.held_on, 1, 7) AS "
		"month, COUNT(*) AS n, SUM(a.audience) AS audience FROM "
		"outreach_activities a JOIN outreach_villages ov ON "
		"ov.activity_id = a.id%s AND a.held_on >= $1 AND a.held_on "
		"<= $2 GROUP BY ov.village_id, a.topic_id, SUBSTR(a.held_on, "
		"1, 7)",
		w.s);
	if (w.full || s.full)
		return error_set(e, ERR_NOMEM, "coverage: out of memory");
	return db_exec(db, a, s.s, params, np, out, e);
}

static int find_id(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return i;
	return -1;
}

enum err outreach_coverage(struct db *db, struct arena *a, long long commune,
			   const struct outreach_filter *f,
			   const struct outreach_period *p, json_t **out,
			   struct error *e)
{
	json_t *villages = NULL, *topics = NULL;
	struct db_result *r;
	struct outreach_filter g = *f;
	g.communes = &commune;
	g.ncommunes = 1;
	long long *lin;
	int nl;
	enum err err = units_lineage(db, a, commune, &lin, &nl, e);
	if (!err) {
		/* a merged commune's predecessors' activities count too */
		g.communes = lin;
		g.ncommunes = nl;
		err = villages_in(db, a, lin, nl, p, &villages, e);
	}
	if (!err)
		err = outreach_topics(db, a, false, &topics, e);
	if (!err)
		err = outreach_coverage_rows(db, a, &g, p, &r, e);
	if (err) {
		json_decref(villages);
		json_decref(topics);
		return err;
	}
	int nv = (int)json_array_size(villages);
	if (nv > COVERAGE_VILLAGES_MAX)
		nv = COVERAGE_VILLAGES_MAX;
	long long vids[COVERAGE_VILLAGES_MAX], tids[COVERAGE_TOPICS_MAX];
	const char *tnames[COVERAGE_TOPICS_MAX];
	for (int i = 0; i < nv; i++)
		vids[i] = json_integer_value(
			json_object_get(json_array_get(villages, i), "id"));
	int nt = 0;
	size_t k;
	json_t *t;
	json_array_foreach(topics, k, t)
	{
		long long id = json_integer_value(json_object_get(t, "id"));
		if (nt >= COVERAGE_TOPICS_MAX ||
		    (f->topic_id > 0 && id != f->topic_id))
			continue;
		tids[nt] = id;
		tnames[nt++] = arena_strdup(
			a,
			str(json_string_value(json_object_get(t, "name_vi"))));
	}
	/* a retired topic still counts when it has activities: appended */
	struct coverage_hit *hits =
		arena_alloc(a, sizeof *hits * ((size_t)r->nrows + 1));
	if (!hits) {
		json_decref(villages);
		json_decref(topics);
		return error_set(e, ERR_NOMEM, "coverage: out of memory");
	}
	int nh = 0;
	for (int i = 0; i < r->nrows; i++) {
		long long tid = db_get_int(r, i, "topic_id", 0);
		int ti = find_id(tids, nt, tid);
		if (ti < 0 && nt < COVERAGE_TOPICS_MAX &&
		    (f->topic_id <= 0 || tid == f->topic_id)) {
			struct db_result *n;
			if (!db_exec(db, a,
				     "SELECT name_vi FROM outreach_topics "
				     "WHERE id = $1",
				     DB_PARAMS(num(a, tid)), &n, e) &&
			    n->nrows) {
				tids[nt] = tid;
				tnames[nt] = str(db_get(n, 0, "name_vi"));
				ti = nt++;
			}
		}
		struct date d;
		char day[11];
		snprintf(day, sizeof day, "%.7s-01",
			 str(db_get(r, i, "month")));
		if (ti < 0 || !date_parse_iso(day, &d))
			continue;
		hits[nh++] = (struct coverage_hit){
			find_id(vids, nv, db_get_int(r, i, "village_id", 0)),
			ti, d, db_get_int(r, i, "n", 0),
			db_get_int(r, i, "audience", 0)};
	}
	/* the first day of the period's first month counts when the
	 * period starts later in that month: widen the hits' month, not the
	 * period, by placing them on the period's first day */
	for (int i = 0; i < nh; i++)
		if (hits[i].day.y == p->from.y && hits[i].day.m == p->from.m)
			hits[i].day = p->from;
	struct coverage c;
	err = coverage_build(a, nv, nt, p, hits, nh, &c, e);
	if (err) {
		json_decref(villages);
		json_decref(topics);
		return err;
	}
	json_t *months = json_array(), *tj = json_array(), *vj = json_array(),
	       *gaps = json_array();
	for (int m = 0; m < c.nmonths; m++)
		json_array_append_new(
			months, json_string(outreach_month_label(a, p, m)));
	for (int ti = 0; ti < nt; ti++) {
		json_array_append_new(
			tj, json_pack("{s:I, s:s, s:b, s:i, s:I}", "id",
				      (json_int_t)tids[ti], "name_vi",
				      tnames[ti], "campaign", c.campaign[ti],
				      "missed", c.t_missed[ti], "count",
				      (json_int_t)c.t_count[ti]));
		if (!c.t_missed[ti])
			continue;
		json_t *names = json_array();
		for (int v = 0; v < nv; v++)
			if (coverage_missed(&c, v, ti))
				json_array_append(
					names,
					json_object_get(
						json_array_get(villages, v),
						"name"));
		json_array_append_new(
			gaps,
			json_pack("{s:I, s:s, s:o, s:i}", "topic_id",
				  (json_int_t)tids[ti], "topic", tnames[ti],
				  "villages", names, "n", c.t_missed[ti]));
	}
	for (int v = 0; v < nv; v++) {
		json_t *vm = json_array(), *vt = json_array();
		int missed = 0;
		for (int m = 0; m < c.nmonths; m++) {
			long long n = 0, aud = 0;
			for (int ti = 0; ti < nt; ti++) {
				size_t idx =
					((size_t)v * nt + ti) * c.nmonths + m;
				n += c.count[idx];
				aud += c.audience[idx];
			}
			json_array_append_new(
				vm, json_pack("{s:I, s:I}", "n", (json_int_t)n,
					      "audience", (json_int_t)aud));
		}
		for (int ti = 0; ti < nt; ti++) {
			bool miss = coverage_missed(&c, v, ti);
			missed += miss;
			json_array_append_new(
				vt,
				json_pack(
					"{s:I, s:I, s:b, s:b}", "n",
					(json_int_t)c.vt_count[v * nt + ti],
					"audience",
					(json_int_t)c.vt_audience[v * nt + ti],
					"missed", miss, "campaign",
					c.campaign[ti]));
		}
		json_t *row = json_array_get(villages, v);
		json_array_append_new(
			vj, json_pack("{s:O, s:O, s:I, s:i, s:b, s:o, s:o}",
				      "id", json_object_get(row, "id"), "name",
				      json_object_get(row, "name"), "count",
				      (json_int_t)c.v_count[v], "missed",
				      missed, "none", c.v_count[v] == 0,
				      "months", vm, "topics", vt));
	}
	char from[11], to[11];
	date_format_iso(p->from, from);
	date_format_iso(p->to, to);
	*out = json_pack("{s:o, s:o, s:o, s:o, s:I, s:s, s:s}", "months",
			 months, "topics", tj, "villages", vj, "gaps", gaps,
			 "total", (json_int_t)c.total, "from", from, "to", to);
	json_decref(villages);
	json_decref(topics);
	return *out ? ERR_OK
		    : error_set(e, ERR_NOMEM, "coverage: out of memory");
}

/* ---- news ---- */

enum err news_get(struct db *db, struct arena *a, long long id,
		  struct news_post *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT id, commune_id, author_id, title, body, "
			       "status, published_on FROM news_posts WHERE "
			       "id = $1",
			       DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "news post %lld: not found",
				 id);
	*out = (struct news_post){
		.id = id,
		.commune_id = db_get_int(r, 0, "commune_id", 0),
		.author_id = db_get_int(r, 0, "author_id", 0),
		.title = db_get(r, 0, "title"),
		.body = db_get(r, 0, "body"),
		.status = db_get(r, 0, "status"),
		.published_on = db_get(r, 0, "published_on"),
	};
	return ERR_OK;
}

static json_t *news_audit_json(const struct news_post *n)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s?}", "id", (json_int_t)n->id,
			 "title", str(n->title), "body", str(n->body), "status",
			 str(n->status), "published_on", n->published_on);
}

enum err news_save(struct db *db, struct arena *a, const struct actor *who,
		   struct news_post *n, const struct upload *photo,
		   struct field_problems *fp, struct error *e)
{
	news_validate(n, fp);
	const char *mime = NULL;
	struct attachment_problem ap;
	if (photo && !attachment_check(photo, ATTACH_IMAGE, 0, &mime, &ap))
		problem(fp, "photo", arena_strdup(a, ap.msg_en),
			arena_strdup(a, ap.msg_vi));
	if (fp->n)
		return invalid(fp, e, "news post");
	enum err err = db_begin(db, e);
	if (err)
		return err;
	json_t *before = NULL;
	struct news_post old;
	char *now = clock_now_iso(a);
	const char *fold = text_fold(
		a, arena_printf(a, "%s %s", str(n->title), str(n->body)));
	if (n->id > 0) {
		err = news_get(db, a, n->id, &old, e);
		if (!err) {
			before = news_audit_json(&old);
			n->commune_id = old.commune_id;
			n->status = old.status;
			n->published_on = old.published_on;
			n->author_id = old.author_id;
			err = db_exec(db, a,
				      "UPDATE news_posts SET title = $1, body "
				      "= $2, text_fold = $3, updated_at = $4 "
				      "WHERE id = $5",
				      DB_PARAMS(n->title, n->body, str(fold),
						now, num(a, n->id)),
				      NULL, e);
		}
	} else {
		struct db_result *r;
		n->status = "draft";
		n->author_id = who->user_id;
		err = db_exec(db, a,
			      "INSERT INTO news_posts (commune_id, title, "
			      "body, text_fold, status, author_id, "
			      "created_at, updated_at) VALUES ($1, $2, $3, "
			      "$4, 'draft', $5, $6, $6) RETURNING id",
			      DB_PARAMS(num(a, n->commune_id), n->title,
					n->body, str(fold),
					who->user_id > 0 ? num(a, who->user_id)
							 : NULL,
					now),
			      &r, e);
		if (!err)
			n->id = db_get_int(r, 0, "id", 0);
	}
	long long fid;
	if (!err && photo)
		err = attachment_save(db, a, "news_post", n->id, photo, mime,
				      who->user_id, &fid, e);
	json_t *after = err ? NULL : news_audit_json(n);
	if (!err)
		err = audit_actor(db, a, who,
				  before ? "news.update" : "news.create",
				  "news_post", n->id, before, after, e);
	json_decref(after);
	json_decref(before);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	if (!before)
		n->id = 0;
	return err;
}

enum err news_publish(struct db *db, struct arena *a, const struct actor *who,
		      long long id, bool publish, struct error *e)
{
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct news_post n;
	err = news_get(db, a, id, &n, e);
	json_t *before = err ? NULL : news_audit_json(&n);
	if (!err) {
		char today[11];
		date_format_iso(clock_today_vn(), today);
		const char *on =
			publish ? (n.published_on ? n.published_on
						  : arena_strdup(a, today))
				: n.published_on;
		n.status = publish ? "published" : "draft";
		n.published_on = on;
		err = db_exec(
			db, a,
			"UPDATE news_posts SET status = $1, "
			"published_on = $2, updated_at = $3 WHERE id = "
			"$4",
			DB_PARAMS(n.status, on, clock_now_iso(a), num(a, id)),
			NULL, e);
	}
	json_t *after = err ? NULL : news_audit_json(&n);
	if (!err)
		err = audit_actor(db, a, who,
				  publish ? "news.publish" : "news.unpublish",
				  "news_post", id, before, after, e);
	json_decref(before);
	json_decref(after);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	return err;
}

long long news_photo_id(struct db *db, struct arena *a, long long post_id)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(db, a,
		    "SELECT MAX(id) AS id FROM attachments WHERE owner = "
		    "'news_post' AND owner_id = $1",
		    DB_PARAMS(num(a, post_id)), &r, &e))
		return 0;
	return db_get_int(r, 0, "id", 0);
}

static const char *excerpt(struct arena *a, const char *body)
{
	json_t *ps = news_paragraphs(a, body);
	const char *first = json_string_value(json_array_get(ps, 0));
	size_t n = first ? strlen(first) : 0, cut = n > 240 ? 240 : n;
	while (cut < n && ((unsigned char)first[cut] & 0xC0) == 0x80)
		cut--;
	char *s = first ? arena_printf(a, "%.*s%s", (int)cut, first,
				       cut < n ? "…" : "")
			: "";
	json_decref(ps);
	return s ? s : "";
}

enum err news_list(struct db *db, struct arena *a, const long long *communes,
		   int ncommunes, bool published_only, int page, int per_page,
		   json_t **out, struct error *e)
{
	struct sqlbuf w = {0};
	sql_add(a, &w, " WHERE 1 = 1");
	if (communes)
		sql_add(a, &w, " AND n.commune_id IN (%s)",
			id_list(a, communes, ncommunes));
	if (published_only)
		sql_add(a, &w, " AND n.status = 'published'");
	if (w.full)
		return error_set(e, ERR_NOMEM, "news: out of memory");
	int per = per_page > 0 && per_page <= 100 ? per_page : 10;
	if (page < 1)
		page = 1;
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		arena_printf(a, "SELECT COUNT(*) AS n FROM news_posts n%s",
			     w.s),
		NULL, 0, &r, e);
	if (err)
		return err;
	long long total = db_get_int(r, 0, "n", 0);
	err = db_exec(
		db, a,
		arena_printf(
			a,
			"SELECT n.id, n.title, n.body, n.status, "
			"n.published_on, n.created_at, u.full_name AS "
			"author_name, c.name AS commune_name, c.code AS "
			"commune_code, (SELECT MAX(f.id) FROM attachments f "
			"WHERE f.owner = 'news_post' AND f.owner_id = n.id) AS "
			"photo_id FROM news_posts n JOIN units c ON c.id = "
			"n.commune_id LEFT JOIN users u ON u.id = "
			"n.author_id%s "
			"ORDER BY CASE WHEN n.published_on IS NULL THEN 0 ELSE "
			"1 END, n.published_on DESC, n.id DESC LIMIT %d OFFSET "
			"%lld",
			w.s, per, (long long)(page - 1) * per),
		NULL, 0, &r, e);
	if (err)
		return err;
	json_t *posts = json_array();
	for (int i = 0; i < r->nrows; i++) {
		const char *st = str(db_get(r, i, "status"));
		json_array_append_new(
			posts,
			json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, "
				  "s:s, s:s, s:I}",
				  "id", (json_int_t)db_get_int(r, i, "id", 0),
				  "title", str(db_get(r, i, "title")), "status",
				  st, "status_vi",
				  strcmp(st, "published") ? "Bản nháp"
							  : "Đã đăng",
				  "published_on", db_get(r, i, "published_on"),
				  "created_at", str(db_get(r, i, "created_at")),
				  "author_name",
				  str(db_get(r, i, "author_name")),
				  "commune_name",
				  str(db_get(r, i, "commune_name")),
				  "commune_code",
				  str(db_get(r, i, "commune_code")), "excerpt",
				  excerpt(a, db_get(r, i, "body")), "photo_id",
				  (json_int_t)db_get_int(r, i, "photo_id", 0)));
	}
	*out = json_pack("{s:o, s:I, s:i, s:I}", "posts", posts, "total",
			 (json_int_t)total, "page", page, "pages",
			 (json_int_t)(total ? (total + per - 1) / per : 1));
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "news: out of memory");
}

/* ---- who ---- */

enum err outreach_user_units(struct db *db, struct arena *a, long long user_id,
			     const char *const *roles, int nroles,
			     long long **ids, int *n, struct error *e)
{
	*ids = NULL;
	*n = 0;
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT role, unit_id FROM user_roles WHERE "
			       "user_id = $1 ORDER BY unit_id",
			       DB_PARAMS(num(a, user_id)), &r, e);
	if (err)
		return err;
	*ids = arena_alloc(a, sizeof **ids * ((size_t)r->nrows + 1));
	if (!*ids)
		return error_set(e, ERR_NOMEM, "roles: out of memory");
	for (int i = 0; i < r->nrows; i++) {
		const char *role = str(db_get(r, i, "role"));
		for (int k = 0; k < nroles; k++)
			if (!strcmp(role, roles[k])) {
				(*ids)[(*n)++] = db_get_int(r, i, "unit_id", 0);
				break;
			}
	}
	return ERR_OK;
}

bool outreach_unit_is_culture(struct db *db, struct arena *a, long long unit)
{
	struct unit u;
	struct error e = {0};
	if (units_get(db, a, unit, &u, &e) || strcmp(str(u.kind), "unit"))
		return false;
	const char *f = text_fold(a, str(u.name));
	return f && strstr(f, "van hoa") != NULL;
}
