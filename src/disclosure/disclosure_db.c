/* Storage of disclosure/ (disclosure.h): the catalogue, the disclosures
 * with their villages, loudspeaker days, links and files, the lists, the
 * register of a year, the public list, and the office's reminders. Every
 * change is one transaction with its audit row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "disclosure.h"
#include "../base/clock.h"
#include "../base/csv.h"
#include "../base/text.h"
#include "../files/attachment.h"
#include "../notify/notify.h"
#include "../base/banned.h"

enum { REGISTER_RECORDS_MAX = 12 };

#define ITEM_COLS                                                              \
	"id, no, title, description, wording_done, channels, min_days, "       \
	"loudspeaker_days, frequency, links, legal_basis, active"

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static enum err nomem(struct error *e)
{
	return error_set(e, ERR_NOMEM, "disclosure: out of memory");
}

static enum err fail(struct db *db, enum err err)
{
	db_rollback(db);
	return err;
}

static void item_from_row(struct arena *a, const struct db_result *r, int i,
			  struct disc_item *it)
{
	memset(it, 0, sizeof *it);
	it->id = db_get_int(r, i, "id", 0);
	it->no = (int)db_get_int(r, i, "no", 0);
	it->title = db_get(r, i, "title");
	it->description = db_get(r, i, "description");
	it->legal_basis = db_get(r, i, "legal_basis");
	it->frequency = db_get(r, i, "frequency");
	it->wording_done = db_get_int(r, i, "wording_done", 1) != 0;
	it->active = db_get_int(r, i, "active", 1) != 0;
	it->min_days = (int)db_get_int(r, i, "min_days", 30);
	it->loudspeaker_days = (int)db_get_int(r, i, "loudspeaker_days", 0);
	disc_channels_parse(a, db_get(r, i, "channels"), &it->channels, NULL);
	disc_links_parse(a, db_get(r, i, "links"), it->links, &it->nlinks,
			 NULL);
}

enum err disc_items_load(struct db *db, struct arena *a, bool all,
			 struct disc_item **items, int *n, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		all ? "SELECT " ITEM_COLS " FROM disclosure_items ORDER BY no"
		    : "SELECT " ITEM_COLS " FROM disclosure_items WHERE "
		      "active = 1 ORDER BY no",
		NULL, 0, &r, e);
	if (err)
		return err;
	*items = arena_alloc(a, sizeof **items * ((size_t)r->nrows + 1));
	if (!*items)
		return nomem(e);
	for (int i = 0; i < r->nrows; i++)
		item_from_row(a, r, i, &(*items)[i]);
	*n = r->nrows;
	return ERR_OK;
}

enum err disc_item_get(struct db *db, struct arena *a, long long id,
		       struct disc_item *out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT " ITEM_COLS
			       " FROM disclosure_items WHERE id = $1",
			       DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND,
				 "disclosure item %lld: not "
				 "found",
				 id);
	item_from_row(a, r, 0, out);
	return ERR_OK;
}

json_t *disc_item_json(struct arena *a, const struct disc_item *it)
{
	json_t *ch = json_array();
	for (int i = 0; i < DISC_NCHANNELS; i++)
		if (it->channels & disc_channel_bit(i))
			json_array_append_new(
				ch, json_pack("{s:s, s:s}", "key",
					      disc_channel_key(i), "label",
					      disc_channel_label_vi(i)));
	const char *f = disc_frequency_label_vi(it->frequency);
	return json_pack(
		"{s:I, s:i, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:o, s:i, s:i, "
		"s:s, s:s, s:s}",
		"id", (json_int_t)it->id, "no", it->no, "title", it->title,
		"description", it->description ? it->description : "",
		"legal_basis", it->legal_basis ? it->legal_basis : "",
		"wording_done", it->wording_done, "active", it->active,
		"channels", disc_channels_text(a, it->channels), "channels_vi",
		disc_channels_text_vi(a, it->channels), "channel_list", ch,
		"min_days", it->min_days, "loudspeaker_days",
		it->loudspeaker_days, "frequency", it->frequency,
		"frequency_vi", f ? f : "", "links",
		disc_links_text(a, it->links, it->nlinks));
}

/* ---- records ---- */

#define REC_COLS                                                               \
	"id, commune_id, item_id, year, period, title, note, channels, "       \
	"posted_from, posted_to, problems, approved_at"

static enum err load_children(struct db *db, struct arena *a,
			      struct disc_record *r, struct error *e)
{
	struct db_result *x;
	const char *id = num(a, r->id);
	enum err err = db_exec(db, a,
			       "SELECT village_id FROM disclosure_villages "
			       "WHERE disclosure_id = $1 ORDER BY village_id",
			       DB_PARAMS(id), &x, e);
	if (err)
		return err;
	for (int i = 0; i < x->nrows && r->nvillages < DISC_VILLAGES_MAX; i++)
		r->villages[r->nvillages++] = db_get_int(x, i, "village_id", 0);
	err = db_exec(db, a,
		      "SELECT day FROM disclosure_days WHERE disclosure_id = "
		      "$1 ORDER BY day",
		      DB_PARAMS(id), &x, e);
	if (err)
		return err;
	for (int i = 0; i < x->nrows && r->ndays < DISC_DAYS_MAX; i++)
		r->days[r->ndays++] = db_get(x, i, "day");
	err = db_exec(db, a,
		      "SELECT dimension, indicator FROM disclosure_links "
		      "WHERE disclosure_id = $1 ORDER BY dimension, indicator",
		      DB_PARAMS(id), &x, e);
	if (err)
		return err;
	for (int i = 0; i < x->nrows && r->nlinks < DISC_LINKS_MAX; i++) {
		const char *d = db_get(x, i, "dimension"),
			   *ind = db_get(x, i, "indicator");
		r->links[r->nlinks++] =
			ind && *ind ? arena_printf(a, "%s:%s", d, ind) : d;
	}
	return ERR_OK;
}

enum err disc_get(struct db *db, struct arena *a, long long id,
		  struct disc_record *out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(
		db, a, "SELECT " REC_COLS " FROM disclosures WHERE id = $1",
		DB_PARAMS(num(a, id)), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "disclosure %lld: not found",
				 id);
	memset(out, 0, sizeof *out);
	out->id = id;
	out->commune_id = db_get_int(r, 0, "commune_id", 0);
	out->item_id = db_get_int(r, 0, "item_id", 0);
	out->year = (int)db_get_int(r, 0, "year", 0);
	out->period = (int)db_get_int(r, 0, "period", 0);
	out->title = db_get(r, 0, "title");
	out->note = db_get(r, 0, "note");
	out->posted_from = db_get(r, 0, "posted_from");
	out->posted_to = db_get(r, 0, "posted_to");
	out->approved_at = db_get(r, 0, "approved_at");
	disc_channels_parse(a, db_get(r, 0, "channels"), &out->channels, NULL);
	return load_children(db, a, out, e);
}

static json_t *record_json(struct arena *a, const struct disc_record *r)
{
	json_t *v = json_array(), *d = json_array(), *l = json_array();
	for (int i = 0; i < r->nvillages; i++)
		json_array_append_new(v, json_integer(r->villages[i]));
	for (int i = 0; i < r->ndays; i++)
		json_array_append_new(d, json_string(r->days[i]));
	for (int i = 0; i < r->nlinks; i++)
		json_array_append_new(l, json_string(r->links[i]));
	return json_pack("{s:I, s:I, s:I, s:i, s:i, s:s, s:s, s:s, s:s, s:s, "
			 "s:o, s:o, s:o}",
			 "id", (json_int_t)r->id, "commune_id",
			 (json_int_t)r->commune_id, "item_id",
			 (json_int_t)r->item_id, "year", r->year, "period",
			 r->period, "title", r->title ? r->title : "", "note",
			 r->note ? r->note : "", "channels",
			 disc_channels_text(a, r->channels), "posted_from",
			 r->posted_from ? r->posted_from : "", "posted_to",
			 r->posted_to ? r->posted_to : "", "villages", v,
			 "days", d, "links", l);
}

/* The villages of the commune a record may name. */
static enum err check_villages(struct db *db, struct arena *a,
			       const struct disc_record *r, bool *ok,
			       struct error *e)
{
	*ok = true;
	for (int i = 0; i < r->nvillages && *ok; i++) {
		struct db_result *x;
		enum err err = db_exec(
			db, a,
			"SELECT id FROM units WHERE id = $1 AND parent_id = $2 "
			"AND kind = 'village'",
			DB_PARAMS(num(a, r->villages[i]),
				  num(a, r->commune_id)),
			&x, e);
		if (err)
			return err;
		*ok = x->nrows == 1;
	}
	return ERR_OK;
}

static const char *store_problems(struct arena *a, const struct disc_record *r,
				  const struct disc_item *it)
{
	unsigned missing;
	unsigned p = disc_record_problems(r, it, &missing);
	return disc_problems_text(a, p, missing);
}

static enum err write_children(struct db *db, struct arena *a,
			       const struct disc_record *r, struct error *e)
{
	const char *id = num(a, r->id);
	enum err err = ERR_OK;
	static const char *const del[] = {
		"DELETE FROM disclosure_villages WHERE disclosure_id = $1",
		"DELETE FROM disclosure_days WHERE disclosure_id = $1",
		"DELETE FROM disclosure_links WHERE disclosure_id = $1",
	};
	for (size_t i = 0; !err && i < 3; i++)
		err = db_exec(db, a, del[i], DB_PARAMS(id), NULL, e);
	for (int i = 0; !err && i < r->nvillages; i++) {
		bool dup = false;
		for (int j = 0; j < i; j++)
			dup |= r->villages[j] == r->villages[i];
		if (!dup)
			err = db_exec(db, a,
				      "INSERT INTO disclosure_villages "
				      "(disclosure_id, village_id) VALUES ($1, "
				      "$2)",
				      DB_PARAMS(id, num(a, r->villages[i])),
				      NULL, e);
	}
	for (int i = 0; !err && i < r->ndays; i++) {
		bool dup = false;
		for (int j = 0; j < i; j++)
			dup |= !strcmp(r->days[j], r->days[i]);
		if (!dup)
			err = db_exec(db, a,
				      "INSERT INTO disclosure_days "
				      "(disclosure_id, day) VALUES ($1, $2)",
				      DB_PARAMS(id, r->days[i]), NULL, e);
	}
	for (int i = 0; !err && i < r->nlinks; i++) {
		const char *l = r->links[i];
		err = db_exec(db, a,
			      "INSERT INTO disclosure_links (disclosure_id, "
			      "dimension, indicator) VALUES ($1, $2, $3)",
			      DB_PARAMS(id, arena_strndup(a, l, 2),
					l[2] == ':' ? l + 3 : ""),
			      NULL, e);
	}
	return err;
}

static enum err check_files(struct arena *a, const struct upload *const *f,
			    int n, unsigned kinds, const char *field,
			    const char **mimes, struct field_problems *fp,
			    struct error *e)
{
	if (n > ATTACHMENTS_MAX_PER_RECORD) {
		if (fp->n < (int)(sizeof fp->list / sizeof *fp->list))
			fp->list[fp->n++] = (struct field_problem){
				field, "more than 5 files",
				"Tối đa 5 tệp mỗi lần."};
		return error_set(e, ERR_INVALID, "%s: more than %d files",
				 field, ATTACHMENTS_MAX_PER_RECORD);
	}
	for (int i = 0; i < n; i++) {
		struct attachment_problem p;
		if (!attachment_check(f[i], kinds, 0, &mimes[i], &p)) {
			/* the message names the file: kept in the arena */
			const char *vi = arena_strdup(a, p.msg_vi);
			if (fp->n < (int)(sizeof fp->list / sizeof *fp->list))
				fp->list[fp->n++] = (struct field_problem){
					field, "bad file", vi};
			return error_set(e, ERR_INVALID, "%s", p.msg_en);
		}
	}
	return ERR_OK;
}

static enum err save_files(struct db *db, struct arena *a,
			   const struct actor *who, const char *owner,
			   long long id, const struct upload *const *f, int n,
			   const char **mimes, struct error *e)
{
	for (int i = 0; i < n; i++) {
		long long fid;
		enum err err = attachment_save(db, a, owner, id, f[i], mimes[i],
					       who ? who->user_id : 0, &fid, e);
		if (err)
			return err;
	}
	return ERR_OK;
}

static enum err count_files(struct db *db, struct arena *a, const char *owner,
			    long long id, int *n, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT COUNT(*) AS n FROM attachments WHERE "
			       "owner = $1 AND owner_id = $2",
			       DB_PARAMS(owner, num(a, id)), &r, e);
	if (!err)
		*n = (int)db_get_int(r, 0, "n", 0);
	return err;
}

enum err disc_save(struct db *db, struct arena *a, const struct actor *who,
		   struct disc_record *r, const struct upload *const *docs,
		   int ndocs, const struct upload *const *evidence,
		   int nevidence, struct field_problems *fp, struct error *e)
{
	struct disc_item it;
	bool have_item = false;
	enum err err = ERR_OK;
	if (r->item_id > 0) {
		err = disc_item_get(db, a, r->item_id, &it, e);
		if (err && err != ERR_NOTFOUND)
			return err;
		have_item = !err;
	}
	if (have_item && !r->nlinks)
		for (int i = 0; i < it.nlinks; i++)
			r->links[r->nlinks++] = it.links[i];
	bool ok = disc_record_validate(r, have_item ? &it : NULL, fp);
	bool villages_ok = true;
	err = check_villages(db, a, r, &villages_ok, e);
	if (err)
		return err;
	if (!villages_ok && fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){
			"villages", "a village not of this commune",
			"Thôn đã chọn không thuộc xã này."};
	const char *dm[ATTACHMENTS_MAX_PER_RECORD],
		*em[ATTACHMENTS_MAX_PER_RECORD];
	if (ok && villages_ok) {
		err = check_files(a, docs, ndocs,
				  ATTACH_PDF | ATTACH_OFFICE | ATTACH_IMAGE,
				  "document", dm, fp, e);
		if (!err)
			err = check_files(a, evidence, nevidence,
					  ATTACH_EVIDENCE, "evidence", em, fp,
					  e);
		if (err)
			return err;
	}
	if (!ok || !villages_ok || fp->n)
		return error_set(e, ERR_INVALID, "disclosure: %s: %s",
				 fp->list[0].field, fp->list[0].msg_en);
	const char *fold = text_fold(
		a, arena_printf(a, "%s %s", r->title, r->note ? r->note : ""));
	const char *problems = store_problems(a, r, &it);
	const char *now = clock_now_iso(a);
	if (!fold || !problems || !now)
		return nomem(e);
	err = db_begin(db, e);
	if (err)
		return err;
	json_t *before = NULL;
	if (r->id) {
		struct disc_record old;
		err = disc_get(db, a, r->id, &old, e);
		if (err)
			return fail(db, err);
		if (old.commune_id != r->commune_id)
			return fail(db, error_set(e, ERR_INVALID,
						  "disclosure %lld: belongs "
						  "to another commune",
						  r->id));
		before = record_json(a, &old);
	}
	const char *yr = num(a, r->year), *pd = num(a, r->period),
		   *ch = disc_channels_text(a, r->channels),
		   *note = r->note ? r->note : "";
	struct db_result *x;
	if (!r->id) {
		err = db_exec(
			db, a,
			"INSERT INTO disclosures (commune_id, item_id, year, "
			"period, title, title_fold, channels, posted_from, "
			"posted_to, note, problems, created_by, created_at, "
			"updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
			"$9, $10, $11, $12, $13, $13) RETURNING id",
			DB_PARAMS(num(a, r->commune_id), num(a, r->item_id), yr,
				  pd, r->title, fold, ch, r->posted_from,
				  r->posted_to, note, problems,
				  who && who->user_id ? num(a, who->user_id)
						      : NULL,
				  now),
			&x, e);
		if (!err)
			r->id = db_get_int(x, 0, "id", 0);
	} else {
		err = db_exec(db, a,
			      "UPDATE disclosures SET item_id = $2, year = $3, "
			      "period = $4, title = $5, title_fold = $6, "
			      "channels = $7, posted_from = $8, posted_to = "
			      "$9, note = $10, problems = $11, updated_at = "
			      "$12, approved_by = NULL, approved_at = NULL "
			      "WHERE id = $1",
			      DB_PARAMS(num(a, r->id), num(a, r->item_id), yr,
					pd, r->title, fold, ch, r->posted_from,
					r->posted_to, note, problems, now),
			      NULL, e);
	}
	if (!err)
		err = write_children(db, a, r, e);
	int have = 0, have_ev = 0;
	if (!err && r->id)
		err = count_files(db, a, "disclosure", r->id, &have, e);
	if (!err && r->id)
		err = count_files(db, a, "disclosure_evidence", r->id, &have_ev,
				  e);
	if (!err && (have + ndocs > ATTACHMENTS_MAX_PER_RECORD ||
		     have_ev + nevidence > ATTACHMENTS_MAX_PER_RECORD)) {
		if (fp->n < (int)(sizeof fp->list / sizeof *fp->list))
			fp->list[fp->n++] = (struct field_problem){
				ndocs ? "document" : "evidence",
				"more than 5 files",
				"Mỗi bản ghi có tối đa 5 tệp văn bản và 5 tệp "
				"minh chứng."};
		err = error_set(e, ERR_INVALID,
				"disclosure %lld: more than %d files", r->id,
				ATTACHMENTS_MAX_PER_RECORD);
	}
	if (!err)
		err = save_files(db, a, who, "disclosure", r->id, docs, ndocs,
				 dm, e);
	if (!err)
		err = save_files(db, a, who, "disclosure_evidence", r->id,
				 evidence, nevidence, em, e);
	json_t *after = err ? NULL : record_json(a, r);
	if (!err)
		err = audit_actor(db, a, who ? who : &actor_cli,
				  before ? "disclosure.update"
					 : "disclosure.create",
				  "disclosure", r->id, before, after, e);
	json_decref(before);
	json_decref(after);
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

enum err disc_add_evidence(struct db *db, struct arena *a,
			   const struct actor *who, long long id,
			   const struct upload *const *files, int n,
			   struct field_problems *fp, struct error *e)
{
	const char *m[ATTACHMENTS_MAX_PER_RECORD];
	if (n == 0) {
		fp->list[fp->n++] = (struct field_problem){
			"evidence", "no file", "Vui lòng chọn ảnh hoặc tệp."};
		return error_set(e, ERR_INVALID, "disclosure %lld: no file",
				 id);
	}
	enum err err =
		check_files(a, files, n, ATTACH_EVIDENCE, "evidence", m, fp, e);
	if (err)
		return err;
	err = db_begin(db, e);
	if (err)
		return err;
	int have = 0;
	err = count_files(db, a, "disclosure_evidence", id, &have, e);
	if (!err && have + n > ATTACHMENTS_MAX_PER_RECORD) {
		fp->list[fp->n++] = (struct field_problem){
			"evidence", "more than 5 files",
			"Mỗi bản ghi có tối đa 5 tệp minh chứng."};
		err = error_set(e, ERR_INVALID,
				"disclosure %lld: more than %d evidence files",
				id, ATTACHMENTS_MAX_PER_RECORD);
	}
	if (!err)
		err = save_files(db, a, who, "disclosure_evidence", id, files,
				 n, m, e);
	json_t *after = json_pack("{s:i}", "files_added", n);
	if (!err)
		err = audit_actor(db, a, who, "disclosure.evidence",
				  "disclosure", id, NULL, after, e);
	json_decref(after);
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

enum err disc_delete(struct db *db, struct arena *a, const struct actor *who,
		     long long id, struct error *e)
{
	struct disc_record old;
	enum err err = db_begin(db, e);
	if (!err)
		err = disc_get(db, a, id, &old, e);
	if (err)
		return fail(db, err);
	json_t *before = record_json(a, &old);
	const char *sid = num(a, id);
	err = db_exec(db, a,
		      "DELETE FROM attachments WHERE owner IN ('disclosure', "
		      "'disclosure_evidence') AND owner_id = $1",
		      DB_PARAMS(sid), NULL, e);
	if (!err)
		err = db_exec(db, a, "DELETE FROM disclosures WHERE id = $1",
			      DB_PARAMS(sid), NULL, e);
	if (!err)
		err = audit_actor(db, a, who, "disclosure.delete", "disclosure",
				  id, before, NULL, e);
	json_decref(before);
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

/* ---- the catalogue: edit, import, export ---- */

enum err disc_approve(struct db *db, struct arena *a, const struct actor *who,
		      long long id, struct error *e)
{
	const char *now = clock_now_iso(a);
	if (!now)
		return nomem(e);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	err = db_exec(
		db, a,
		"UPDATE disclosures SET approved_by = $2, approved_at = $3 "
		"WHERE id = $1 RETURNING id",
		DB_PARAMS(num(a, id),
			  who && who->user_id ? num(a, who->user_id) : NULL,
			  now),
		&r, e);
	if (!err && !r->nrows)
		err = error_set(e, ERR_NOTFOUND, "disclosure %lld: not found",
				id);
	if (!err)
		err = audit_actor(db, a, who ? who : &actor_cli,
				  "disclosure.approve", "disclosure", id, NULL,
				  NULL, e);
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

static enum err recompute_item(struct db *db, struct arena *a,
			       const struct disc_item *it, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a, "SELECT id FROM disclosures WHERE item_id = $1",
			DB_PARAMS(num(a, it->id)), &r, e);
	for (int i = 0; !err && i < r->nrows; i++) {
		struct disc_record rec;
		err = disc_get(db, a, db_get_int(r, i, "id", 0), &rec, e);
		if (!err)
			err = db_exec(db, a,
				      "UPDATE disclosures SET problems = $2 "
				      "WHERE id = $1",
				      DB_PARAMS(num(a, rec.id),
						store_problems(a, &rec, it)),
				      NULL, e);
	}
	return err;
}

static const char *const *item_params(struct arena *a,
				      const struct disc_item *it)
{
	const char **p = arena_alloc(a, sizeof *p * 12);
	if (!p)
		return NULL;
	p[0] = num(a, it->id);
	p[1] = num(a, it->no);
	p[2] = it->title;
	p[3] = it->description ? it->description : "";
	p[4] = it->wording_done ? "1" : "0";
	p[5] = disc_channels_text(a, it->channels);
	p[6] = num(a, it->min_days);
	p[7] = num(a, it->loudspeaker_days);
	p[8] = it->frequency;
	p[9] = disc_links_text(a, it->links, it->nlinks);
	p[10] = it->legal_basis ? it->legal_basis : "";
	p[11] = it->active ? "1" : "0";
	return p;
}

static enum err item_write(struct db *db, struct arena *a,
			   const struct actor *who, struct disc_item *it,
			   struct error *e)
{
	const char *const *p = item_params(a, it);
	if (!p)
		return nomem(e);
	struct db_result *x;
	json_t *before = NULL;
	enum err err;
	if (it->id) {
		struct disc_item old;
		err = disc_item_get(db, a, it->id, &old, e);
		if (err)
			return err;
		before = disc_item_json(a, &old);
		err = db_exec(
			db, a,
			"UPDATE disclosure_items SET no = $2, title = $3, "
			"description = $4, wording_done = $5, channels = "
			"$6, min_days = $7, loudspeaker_days = $8, "
			"frequency = $9, links = $10, legal_basis = $11, "
			"active = $12 WHERE id = $1",
			p, 12, NULL, e);
	} else {
		err = db_exec(db, a,
			      "INSERT INTO disclosure_items (no, title, "
			      "description, wording_done, channels, min_days, "
			      "loudspeaker_days, frequency, links, "
			      "legal_basis, active) VALUES ($1, $2, $3, $4, "
			      "$5, $6, $7, $8, $9, $10, $11) RETURNING id",
			      p + 1, 11, &x, e);
		if (!err)
			it->id = db_get_int(x, 0, "id", 0);
	}
	json_t *after = err ? NULL : disc_item_json(a, it);
	if (!err)
		err = recompute_item(db, a, it, e);
	if (!err)
		err = audit_actor(db, a, who,
				  before ? "disclosure_item.update"
					 : "disclosure_item.create",
				  "disclosure_item", it->id, before, after, e);
	json_decref(before);
	json_decref(after);
	return err;
}

static enum err number_taken(struct db *db, struct arena *a, int no,
			     long long id, bool *taken, struct error *e)
{
	struct db_result *x;
	enum err err = db_exec(db, a,
			       "SELECT id FROM disclosure_items WHERE no = $1 "
			       "AND id <> $2",
			       DB_PARAMS(num(a, no), num(a, id)), &x, e);
	if (!err)
		*taken = x->nrows > 0;
	return err;
}

enum err disc_item_save(struct db *db, struct arena *a, const struct actor *who,
			struct disc_item *it, struct field_problems *fp,
			struct error *e)
{
	if (!disc_item_validate(it, fp))
		return error_set(e, ERR_INVALID, "disclosure item %d: %s: %s",
				 it->no, fp->list[0].field, fp->list[0].msg_en);
	enum err err = db_begin(db, e);
	if (err)
		return err;
	bool taken = false;
	err = number_taken(db, a, it->no, it->id, &taken, e);
	if (!err && taken) {
		fp->list[fp->n++] = (struct field_problem){
			"no", "number taken",
			"Số thứ tự này đã có nội dung khác."};
		err = error_set(e, ERR_CONFLICT,
				"disclosure item %d: number taken", it->no);
	}
	if (!err)
		err = item_write(db, a, who, it, e);
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

static const char *const csv_headers[] = {
	"no",       "title",       "description",      "wording_done",
	"channels", "min_days",    "loudspeaker_days", "frequency",
	"links",    "legal_basis", "active",
};
enum { NCSV = sizeof csv_headers / sizeof *csv_headers };

enum err disc_items_write_csv(FILE *f, const struct disc_item *items, int n,
			      struct error *e)
{
	struct arena a;
	arena_init(&a, 16 << 20);
	enum err err = ERR_OK;
	for (int c = 0; !err && c < NCSV; c++) {
		if (c)
			fputc(',', f);
		err = csv_write_field(f, csv_headers[c]);
	}
	fputs("\r\n", f);
	for (int i = 0; !err && i < n; i++) {
		const struct disc_item *it = &items[i];
		const char *const *p = item_params(&a, it);
		if (!p) {
			err = nomem(e);
			break;
		}
		for (int c = 0; !err && c < NCSV; c++) {
			if (c)
				fputc(',', f);
			err = csv_write_field(f, p[c + 1]);
		}
		fputs("\r\n", f);
	}
	arena_release(&a);
	if (err)
		return error_set(e, err, "catalogue: write failed");
	return ERR_OK;
}

static bool int_of(const char *s, int lo, int hi, int *out)
{
	char *end;
	if (!s || !*s)
		return false;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

enum err disc_items_parse_csv(struct arena *a, const char *data, size_t len,
			      struct disc_item **items, int *n,
			      struct problems *p, struct error *e)
{
	*n = 0;
	if (!import_check_text(a, data, len, p))
		return ERR_OK;
	struct csv_table t;
	struct error ce = {0};
	if (csv_parse(a, data, len, &t, &ce)) {
		problems_add(a, p, 0, "", "Tệp CSV không đọc được.", "%s",
			     ce.msg);
		return ERR_OK;
	}
	int col[NCSV];
	for (int c = 0; c < NCSV; c++) {
		col[c] = csv_col(&t, csv_headers[c]);
		if (col[c] < 0 && c != 2 && c != 9 && c != 10 && c != 3)
			problems_add(a, p, 1, csv_headers[c],
				     "Thiếu cột bắt buộc.", "missing column");
	}
	if (p->n)
		return ERR_OK;
	if (t.nrows > DISC_ITEMS_MAX) {
		problems_add(a, p, 0, "", "Danh mục quá 100 nội dung.",
			     "more than %d items", DISC_ITEMS_MAX);
		return ERR_OK;
	}
	*items = arena_alloc(a, sizeof **items * ((size_t)t.nrows + 1));
	if (!*items)
		return nomem(e);
	for (int r = 0; r < t.nrows; r++) {
		struct disc_item *it = &(*items)[r];
		int line = t.lines[r];
#define CELL(c) (col[c] < 0 ? "" : text_trim(a, csv_get(&t, r, col[c])))
		memset(it, 0, sizeof *it);
		if (!int_of(CELL(0), 1, 999, &it->no))
			problems_add(a, p, line, "no",
				     "Số thứ tự phải từ 1 đến 999.",
				     "must be a number from 1 to 999");
		it->title = CELL(1);
		it->description = CELL(2);
		const char *wd = CELL(3), *act = CELL(10);
		it->wording_done = !*wd || !strcmp(wd, "1");
		it->active = !*act || !strcmp(act, "1");
		if ((*wd && strcmp(wd, "0") && strcmp(wd, "1")) ||
		    (*act && strcmp(act, "0") && strcmp(act, "1")))
			problems_add(a, p, line,
				     *wd && strcmp(wd, "0") && strcmp(wd, "1")
					     ? "wording_done"
					     : "active",
				     "Chỉ nhận 0 hoặc 1.", "must be 0 or 1");
		const char *bad = NULL;
		if (!disc_channels_parse(a, CELL(4), &it->channels, &bad))
			problems_add(a, p, line, "channels",
				     "Hình thức công khai không hợp lệ.",
				     "unknown channel %s", bad ? bad : "");
		if (!int_of(CELL(5), 1, DISC_POSTING_MAX_DAYS, &it->min_days))
			problems_add(a, p, line, "min_days",
				     "Số ngày tối thiểu phải từ 1 đến 3.660.",
				     "must be from 1 to 3660");
		if (!int_of(CELL(6), 0, 60, &it->loudspeaker_days))
			problems_add(a, p, line, "loudspeaker_days",
				     "Số ngày phát thanh phải từ 0 đến 60.",
				     "must be from 0 to 60");
		it->frequency = CELL(7);
		if (!disc_links_parse(a, CELL(8), it->links, &it->nlinks, &bad))
			problems_add(a, p, line, "links",
				     "Liên kết PAPI không hợp lệ.",
				     "bad PAPI link %s", bad ? bad : "");
		it->legal_basis = CELL(9);
#undef CELL
		struct field_problems fp = {0};
		if (p->n == 0 && !disc_item_validate(it, &fp))
			for (int k = 0; k < fp.n; k++)
				problems_add(a, p, line, fp.list[k].field,
					     fp.list[k].msg_vi, "%s",
					     fp.list[k].msg_en);
		for (int k = 0; k < r; k++)
			if ((*items)[k].no == it->no)
				problems_add(a, p, line, "no",
					     "Số thứ tự bị trùng.",
					     "number %d repeated", it->no);
	}
	if (!p->n)
		*n = t.nrows;
	return ERR_OK;
}

enum err disc_items_replace(struct db *db, struct arena *a,
			    const struct actor *who,
			    const struct disc_item *items, int n,
			    struct error *e)
{
	struct disc_item *old;
	int nold;
	enum err err = db_begin(db, e);
	if (!err)
		err = disc_items_load(db, a, true, &old, &nold, e);
	if (err)
		return fail(db, err);
	/* numbers move: park every number out of the way first, so that
	 * swapping two items' numbers does not trip the unique index */
	err = db_exec(db, a, "UPDATE disclosure_items SET no = no + 100000",
		      NULL, 0, NULL, e);
	for (int k = 0; !err && k < nold; k++) {
		struct disc_item it = old[k];
		bool found = false;
		for (int i = 0; i < n && !found; i++)
			if (items[i].no == old[k].no) {
				long long id = old[k].id;
				it = items[i];
				it.id = id;
				found = true;
			}
		if (!found)
			it.active = false;
		if (found || old[k].active)
			err = item_write(db, a, who, &it, e);
		else
			err = db_exec(db, a,
				      "UPDATE disclosure_items SET no = no - "
				      "100000 WHERE id = $1",
				      DB_PARAMS(num(a, it.id)), NULL, e);
	}
	for (int i = 0; !err && i < n; i++) {
		bool known = false;
		for (int k = 0; k < nold; k++)
			known |= old[k].no == items[i].no;
		if (!known) {
			struct disc_item it = items[i];
			it.id = 0;
			err = item_write(db, a, who, &it, e);
		}
	}
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

/* ---- lists ---- */

struct where {
	char sql[1200];
	const char *p[12];
	int n;
};

static void w_add(struct arena *a, struct where *w, const char *cond,
		  const char *value)
{
	w->p[w->n++] = value;
	size_t len = strlen(w->sql);
	snprintf(w->sql + len, sizeof w->sql - len, " AND ");
	len = strlen(w->sql);
	/* cond holds one "$?" for the parameter */
	const char *q = strstr(cond, "$?");
	snprintf(w->sql + len, sizeof w->sql - len, "%.*s$%d%s",
		 (int)(q - cond), cond, w->n, q + 2);
	(void)a;
}

static void build_where(struct arena *a, const struct disc_filter *f,
			struct where *w)
{
	memset(w, 0, sizeof *w);
	snprintf(w->sql, sizeof w->sql, "d.commune_id = $1");
	w->p[w->n++] = num(a, f->commune_id);
	if (f->year)
		w_add(a, w, "d.year = $?", num(a, f->year));
	if (f->from)
		w_add(a, w, "d.posted_to >= $?", f->from);
	if (f->to)
		w_add(a, w, "d.posted_from <= $?", f->to);
	if (f->village_id)
		w_add(a, w,
		      "EXISTS (SELECT 1 FROM disclosure_villages v WHERE "
		      "v.disclosure_id = d.id AND v.village_id = $?)",
		      num(a, f->village_id));
	if (f->dimension)
		w_add(a, w,
		      "EXISTS (SELECT 1 FROM disclosure_links l WHERE "
		      "l.disclosure_id = d.id AND l.dimension = $?)",
		      f->dimension);
	if (f->item_id)
		w_add(a, w, "d.item_id = $?", num(a, f->item_id));
	if (f->q && *f->q) {
		/* LIKE's own wildcards typed by a person match themselves
		 * nowhere useful: dropped */
		char *q = arena_strdup(a, f->q);
		for (char *c = q; c && *c; c++)
			if (*c == '%' || *c == '_' || *c == '\\')
				*c = ' ';
		w_add(a, w, "d.title_fold LIKE $?",
		      arena_printf(a, "%%%s%%", q));
	}
	if (f->problems_only)
		snprintf(w->sql + strlen(w->sql),
			 sizeof w->sql - strlen(w->sql),
			 " AND d.problems <> ''");
}

static json_t *list_row(struct arena *a, const struct db_result *r, int i)
{
	const char *freq = db_get(r, i, "frequency");
	const char *from = db_get(r, i, "posted_from"),
		   *to = db_get(r, i, "posted_to"),
		   *stored = db_get(r, i, "problems");
	unsigned ch = 0;
	disc_channels_parse(a, db_get(r, i, "channels"), &ch, NULL);
	int days = disc_posted_days(from, to);
	json_t *probs = disc_problems_json(
		a, stored, days, -1, (int)db_get_int(r, i, "min_days", 30),
		(int)db_get_int(r, i, "loudspeaker_days", 0));
	return json_pack(
		"{s:I, s:I, s:i, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:i, "
		"s:o, s:s, s:s}",
		"id", (json_int_t)db_get_int(r, i, "id", 0), "item_id",
		(json_int_t)db_get_int(r, i, "item_id", 0), "item_no",
		(int)db_get_int(r, i, "item_no", 0), "item_title",
		db_get(r, i, "item_title"), "year",
		(int)db_get_int(r, i, "year", 0), "period",
		(int)db_get_int(r, i, "period", 0), "period_vi",
		disc_period_label_vi(a, freq, (int)db_get_int(r, i, "year", 0),
				     (int)db_get_int(r, i, "period", 0)),
		"title", db_get(r, i, "title"), "channels_vi",
		disc_channels_text_vi(a, ch), "posted_from", from, "posted_to",
		to, "posted_days", days, "problems", probs, "state",
		stored && *stored ? "bad" : "ok", "note",
		db_get(r, i, "note") ? db_get(r, i, "note") : "");
}

#define LIST_SELECT                                                            \
	"SELECT d.id, d.item_id, i.no AS item_no, i.title AS item_title, "     \
	"i.frequency, i.min_days, i.loudspeaker_days, d.year, d.period, "      \
	"d.title, d.note, d.channels, d.posted_from, d.posted_to, d.problems " \
	"FROM disclosures d JOIN disclosure_items i ON i.id = d.item_id "      \
	"WHERE "

enum err disc_list(struct db *db, struct arena *a, const struct disc_filter *f,
		   json_t **out, struct error *e)
{
	struct where w;
	build_where(a, f, &w);
	struct db_result *c, *r;
	enum err err = db_exec(
		db, a,
		arena_printf(a,
			     "SELECT COUNT(*) AS n FROM disclosures d WHERE %s",
			     w.sql),
		w.p, w.n, &c, e);
	if (err)
		return err;
	long long total = db_get_int(c, 0, "n", 0);
	int per = f->per_page > 0 ? f->per_page : 20;
	long long pages = total ? (total + per - 1) / per : 1;
	int page = f->page > 0 ? f->page : 1;
	if (page > pages)
		page = (int)pages;
	w.p[w.n] = num(a, per);
	w.p[w.n + 1] = num(a, (long long)(page - 1) * per);
	err = db_exec(db, a,
		      arena_printf(a,
				   LIST_SELECT
				   "%s ORDER BY i.no, d.posted_from "
				   "DESC, d.id DESC LIMIT $%d "
				   "OFFSET $%d",
				   w.sql, w.n + 1, w.n + 2),
		      w.p, w.n + 2, &r, e);
	if (err)
		return err;
	json_t *rows = json_array();
	for (int i = 0; i < r->nrows; i++)
		json_array_append_new(rows, list_row(a, r, i));
	*out = json_pack("{s:I, s:i, s:I, s:i, s:o}", "total",
			 (json_int_t)total, "page", page, "pages",
			 (json_int_t)pages, "per_page", per, "records", rows);
	return ERR_OK;
}

static bool serves(const struct disc_item *it, const char *dimension)
{
	if (!dimension || !*dimension)
		return true;
	for (int i = 0; i < it->nlinks; i++)
		if (!strncmp(it->links[i], dimension, 2))
			return true;
	return false;
}

enum err disc_register(struct db *db, struct arena *a, long long commune_id,
		       int year, const char *dimension, struct date today,
		       json_t **out, struct error *e)
{
	struct disc_item *items;
	int n;
	struct db_result *c;
	enum err err = disc_items_load(db, a, false, &items, &n, e);
	if (!err)
		err = db_exec(db, a,
			      "SELECT item_id, period, COUNT(*) AS n, "
			      "SUM(CASE WHEN problems <> '' THEN 1 ELSE 0 "
			      "END) AS bad FROM disclosures WHERE commune_id "
			      "= $1 AND year = $2 GROUP BY item_id, period",
			      DB_PARAMS(num(a, commune_id), num(a, year)), &c,
			      e);
	struct db_result *recs = NULL;
	if (!err)
		err = db_exec(
			db, a,
			"SELECT id, item_id, title, problems, posted_from, "
			"posted_to FROM disclosures WHERE commune_id = $1 "
			"AND year = $2 ORDER BY posted_from, id",
			DB_PARAMS(num(a, commune_id), num(a, year)), &recs, e);
	if (err)
		return err;
	json_t *list = json_array();
	int missing_total = 0, due_total = 0, bad_total = 0, done_items = 0;
	for (int k = 0; k < n; k++) {
		const struct disc_item *it = &items[k];
		if (!serves(it, dimension))
			continue;
		int np = disc_frequency_periods(it->frequency);
		int first = np <= 1 ? 0 : 1, last = np <= 1 ? 0 : np;
		json_t *periods = json_array();
		int records = 0, bad = 0, missing = 0, due = 0, done = 0;
		for (int p = first; p <= last; p++) {
			int count = 0;
			for (int i = 0; i < c->nrows; i++) {
				if (db_get_int(c, i, "item_id", 0) != it->id)
					continue;
				int rp = (int)db_get_int(c, i, "period", 0);
				/* a yearly item counts whatever period */
				if (rp == p || np <= 1) {
					count += (int)db_get_int(c, i, "n", 0);
					bad += (int)db_get_int(c, i, "bad", 0);
				}
			}
			records += count;
			enum disc_state s =
				disc_period_state(it, year, p, count, today);
			missing += s == DISC_MISSING;
			due += s == DISC_DUE;
			done += s == DISC_DONE;
			json_array_append_new(
				periods,
				json_pack("{s:i, s:s, s:s, s:s, s:i}", "period",
					  p, "label_vi",
					  disc_period_label_vi(a, it->frequency,
							       year, p),
					  "state", disc_state_key(s),
					  "state_vi",
					  s == DISC_DONE ? "đã công khai"
					  : s == DISC_MISSING ? "chưa công khai"
					  : s == DISC_DUE     ? "đến hạn"
					  : np == 0 ? "chưa phát sinh"
						    : "chưa đến kỳ",
					  "count", count));
		}
		const char *state = missing || bad ? "bad"
				    : due          ? "warn"
				    : done         ? "ok"
						   : "none";
		/* lean: the register shows a line per item (the catalogue
		 * page has the rest) */
		const char *fv = disc_frequency_label_vi(it->frequency);
		json_t *j = json_pack(
			"{s:I, s:i, s:s, s:b, s:s, s:i, s:i, s:s}", "id",
			(json_int_t)it->id, "no", it->no, "title", it->title,
			"wording_done", it->wording_done, "frequency_vi",
			fv ? fv : "", "min_days", it->min_days,
			"loudspeaker_days", it->loudspeaker_days, "links",
			disc_links_text(a, it->links, it->nlinks));
		/* the item's disclosures of the year, colour-coded, at most
		 * REGISTER_RECORDS_MAX on the register (the list has all) */
		json_t *rl = json_array();
		for (int i = 0; i < recs->nrows; i++) {
			if (db_get_int(recs, i, "item_id", 0) != it->id ||
			    json_array_size(rl) >= REGISTER_RECORDS_MAX)
				continue;
			const char *pr = db_get(recs, i, "problems");
			json_array_append_new(
				rl, json_pack("{s:I, s:s, s:s, s:b, s:s, s:s}",
					      "id",
					      (json_int_t)db_get_int(recs, i,
								     "id", 0),
					      "title", db_get(recs, i, "title"),
					      "state", pr && *pr ? "bad" : "ok",
					      "bad", pr && *pr, "from_vi",
					      text_format_date(
						      a, db_get(recs, i,
								"posted_from")),
					      "to_vi",
					      text_format_date(
						      a, db_get(recs, i,
								"posted_to"))));
		}
		json_object_set_new(j, "record_list", rl);
		json_object_set_new(j, "periods", periods);
		json_object_set_new(j, "records", json_integer(records));
		json_object_set_new(j, "problem_records", json_integer(bad));
		json_object_set_new(j, "missing", json_integer(missing));
		json_object_set_new(j, "due", json_integer(due));
		json_object_set_new(j, "state", json_string(state));
		json_array_append_new(list, j);
		missing_total += missing;
		due_total += due;
		bad_total += bad;
		done_items += records > 0;
	}
	*out = json_pack("{s:o, s:i, s:i, s:i, s:i}", "items", list, "missing",
			 missing_total, "due", due_total, "problem_records",
			 bad_total, "items_disclosed", done_items);
	return ERR_OK;
}

enum err disc_json(struct db *db, struct arena *a, const struct disc_record *r,
		   json_t **out, struct error *e)
{
	struct disc_item it;
	enum err err = disc_item_get(db, a, r->item_id, &it, e);
	if (err)
		return err;
	json_t *j = record_json(a, r);
	json_t *villages = json_array();
	for (int i = 0; i < r->nvillages; i++) {
		struct unit u;
		if (!units_get(db, a, r->villages[i], &u, e))
			json_array_append_new(villages,
					      json_pack("{s:I, s:s}", "id",
							(json_int_t)u.id,
							"name", u.name));
	}
	json_t *days = json_array();
	for (int i = 0; i < r->ndays; i++)
		json_array_append_new(
			days, json_string(text_format_date(a, r->days[i])));
	unsigned missing;
	unsigned p = disc_record_problems(r, &it, &missing);
	int posted = disc_posted_days(r->posted_from, r->posted_to);
	json_t *probs =
		disc_problems_json(a, disc_problems_text(a, p, missing), posted,
				   disc_longest_run(r->days, r->ndays),
				   it.min_days, it.loudspeaker_days);
	json_t *files = NULL, *evidence = NULL;
	err = attachment_list(db, a, "disclosure", r->id, &files, e);
	if (!err)
		err = attachment_list(db, a, "disclosure_evidence", r->id,
				      &evidence, e);
	if (err) {
		json_decref(j);
		json_decref(villages);
		json_decref(days);
		json_decref(probs);
		json_decref(files);
		return err;
	}
	json_object_set_new(j, "item", disc_item_json(a, &it));
	json_object_set_new(j, "village_list", villages);
	json_object_set_new(j, "day_list", days);
	json_object_set_new(j, "problems", probs);
	json_object_set_new(j, "state", json_string(p ? "bad" : "ok"));
	json_object_set_new(j, "posted_days", json_integer(posted));
	json_object_set_new(j, "channels_vi",
			    json_string(disc_channels_text_vi(a, r->channels)));
	json_object_set_new(j, "period_vi",
			    json_string(disc_period_label_vi(
				    a, it.frequency, r->year, r->period)));
	json_object_set_new(
		j, "links_text",
		json_string(disc_links_text(a, r->links, r->nlinks)));
	json_object_set_new(j, "files", files);
	json_object_set_new(j, "evidence", evidence);
	*out = j;
	return ERR_OK;
}

enum err disc_export_sheet(struct db *db, struct arena *a,
			   const struct disc_filter *f, struct sheet *out,
			   struct error *e)
{
	static const char *const head[] = {
		"Mã",
		"Nội dung (khoản)",
		"Tên nội dung",
		"Kỳ",
		"Văn bản, nội dung công khai",
		"Hình thức",
		"Từ ngày",
		"Đến ngày",
		"Số ngày",
		"Vấn đề",
		"Ghi chú",
	};
	enum { NC = sizeof head / sizeof *head, EXPORT_MAX = 200000 };
	struct where w;
	build_where(a, f, &w);
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			arena_printf(a,
				     LIST_SELECT
				     "%s ORDER BY i.no, d.posted_from, d.id "
				     "LIMIT %d",
				     w.sql, EXPORT_MAX),
			w.p, w.n, &r, e);
	if (err)
		return err;
	const char **cells =
		arena_alloc(a, sizeof(char *) * ((size_t)(r->nrows + 1) * NC));
	if (!cells)
		return nomem(e);
	for (int c = 0; c < NC; c++)
		cells[c] = head[c];
	for (int i = 0; i < r->nrows; i++) {
		json_t *row = list_row(a, r, i);
		const char *probs = arena_strdup(a, "");
		size_t k;
		json_t *x;
		json_array_foreach(json_object_get(row, "problems"), k, x)
		{
			probs = arena_printf(a, "%s%s%s", probs, k ? "; " : "",
					     json_string_value(json_object_get(
						     x, "text_vi")));
		}
		const char *v[NC] = {
			db_get(r, i, "id"),
			db_get(r, i, "item_no"),
			db_get(r, i, "item_title"),
			json_string_value(json_object_get(row, "period_vi")),
			db_get(r, i, "title"),
			json_string_value(json_object_get(row, "channels_vi")),
			db_get(r, i, "posted_from"),
			db_get(r, i, "posted_to"),
			num(a, json_integer_value(
				       json_object_get(row, "posted_days"))),
			probs,
			db_get(r, i, "note"),
		};
		for (int c = 0; c < NC; c++) {
			const char *s = v[c] ? v[c] : "";
			cells[(size_t)(i + 1) * NC + c] = arena_strdup(a, s);
		}
		json_decref(row);
	}
	*out = (struct sheet){r->nrows + 1, NC, cells};
	return ERR_OK;
}

/* ---- public ---- */

enum err disc_public_list(struct db *db, struct arena *a, const char *day,
			  long long commune_id, int page, int per_page,
			  json_t **out, struct error *e)
{
	struct db_result *c, *r;
	const char *cid = num(a, commune_id);
	enum err err = db_exec(db, a,
			       "SELECT COUNT(*) AS n FROM disclosures WHERE "
			       "posted_from <= $1 AND posted_to >= $1 AND "
			       "approved_at IS NOT NULL AND ($2 = '0' OR "
			       "CAST(commune_id AS TEXT) = $2)",
			       DB_PARAMS(day, cid), &c, e);
	if (err)
		return err;
	long long total = db_get_int(c, 0, "n", 0);
	long long pages = total ? (total + per_page - 1) / per_page : 1;
	if (page < 1)
		page = 1;
	if (page > pages)
		page = (int)pages;
	err = db_exec(db, a,
		      "SELECT d.id, d.title, d.channels, d.posted_from, "
		      "d.posted_to, i.no AS item_no, i.title AS item_title, "
		      "u.full_name AS commune_name FROM disclosures d JOIN "
		      "disclosure_items i ON i.id = d.item_id JOIN units u ON "
		      "u.id = d.commune_id WHERE d.posted_from <= $1 AND "
		      "d.posted_to >= $1 AND d.approved_at IS NOT NULL AND "
		      "($4 = '0' OR CAST(d.commune_id "
		      "AS TEXT) = $4) ORDER BY d.posted_from DESC, d.id DESC "
		      "LIMIT $2 OFFSET $3",
		      DB_PARAMS(day, num(a, per_page),
				num(a, (long long)(page - 1) * per_page), cid),
		      &r, e);
	if (err)
		return err;
	json_t *rows = json_array();
	for (int i = 0; i < r->nrows && !err; i++) {
		unsigned ch = 0;
		disc_channels_parse(a, db_get(r, i, "channels"), &ch, NULL);
		json_t *files = NULL;
		err = attachment_list(db, a, "disclosure",
				      db_get_int(r, i, "id", 0), &files, e);
		if (err)
			break;
		json_array_append_new(
			rows,
			json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, "
				  "s:o}",
				  "id", (json_int_t)db_get_int(r, i, "id", 0),
				  "title", db_get(r, i, "title"), "channels_vi",
				  disc_channels_text_vi(a, ch), "posted_from",
				  db_get(r, i, "posted_from"), "posted_to",
				  db_get(r, i, "posted_to"), "item_no",
				  (int)db_get_int(r, i, "item_no", 0),
				  "item_title", db_get(r, i, "item_title"),
				  "commune_name", db_get(r, i, "commune_name"),
				  "files", files));
	}
	if (err) {
		json_decref(rows);
		return err;
	}
	*out = json_pack("{s:I, s:i, s:I, s:o}", "total", (json_int_t)total,
			 "page", page, "pages", (json_int_t)pages, "records",
			 rows);
	return ERR_OK;
}

enum err disc_public_state(struct db *db, struct arena *a, long long id,
			   const char *day, bool *public_now,
			   long long *commune_id, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT commune_id, CASE WHEN posted_from <= $2 "
			"AND posted_to >= $2 AND approved_at IS NOT NULL "
			"THEN 1 ELSE 0 END AS now "
			"FROM disclosures WHERE id = $1",
			DB_PARAMS(num(a, id), day), &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND, "disclosure %lld: not found",
				 id);
	*public_now = db_get_int(r, 0, "now", 0) == 1;
	*commune_id = db_get_int(r, 0, "commune_id", 0);
	return ERR_OK;
}

static int cmp_name(const void *x, const void *y)
{
	const char *a =
		json_string_value(json_object_get(*(json_t *const *)x, "name"));
	const char *b =
		json_string_value(json_object_get(*(json_t *const *)y, "name"));
	return text_collate(a ? a : "", b ? b : "");
}

enum err disc_villages(struct db *db, struct arena *a, long long commune_id,
		       json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT id, name FROM units WHERE parent_id = $1 "
			"AND kind = 'village' AND valid_to IS NULL",
			DB_PARAMS(num(a, commune_id)), &r, e);
	if (err)
		return err;
	json_t **v = arena_alloc(a, sizeof *v * ((size_t)r->nrows + 1));
	if (!v)
		return nomem(e);
	for (int i = 0; i < r->nrows; i++)
		v[i] = db_row_json(r, i);
	qsort(v, (size_t)r->nrows, sizeof *v, cmp_name);
	*out = json_array();
	for (int i = 0; i < r->nrows; i++)
		json_array_append_new(*out, v[i]);
	return ERR_OK;
}

/* ---- reminders ---- */

/* Notifies the office of a commune once about `key`. */
static enum err remind(struct db *db, struct arena *a, long long commune,
		       const char *key, const char *title, const char *body,
		       const char *link, int *sent, struct error *e)
{
	struct db_result *x;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = db_exec(db, a,
		      "INSERT INTO disclosure_reminders (commune_id, problem, "
		      "sent_at) VALUES ($1, $2, $3) ON CONFLICT (commune_id, "
		      "problem) DO NOTHING",
		      DB_PARAMS(num(a, commune), key, clock_now_iso(a)), &x, e);
	if (!err && x->changes == 1) {
		struct db_result *u;
		err = db_exec(db, a,
			      "SELECT DISTINCT r.user_id FROM user_roles r "
			      "JOIN units u ON u.id = r.unit_id JOIN users us "
			      "ON us.id = r.user_id WHERE r.role = 'office' "
			      "AND us.active = 1 AND (u.id = $1 OR u.parent_id "
			      "= $1)",
			      DB_PARAMS(num(a, commune)), &u, e);
		for (int i = 0; !err && i < u->nrows; i++)
			err = notify_user(db, a, db_get_int(u, i, "user_id", 0),
					  "disclosure", title, body, link, e);
		if (!err)
			(*sent)++;
	}
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

static enum err remind_commune(struct db *db, struct arena *a,
			       long long commune, struct date today, int *sent,
			       struct error *e)
{
	/* last year's periods ending in December become missing on 1
	 * January: look back one year as well */
	for (int year = today.y - 1; year <= today.y; year++) {
		json_t *reg;
		enum err err = disc_register(db, a, commune, year, NULL, today,
					     &reg, e);
		if (err)
			return err;
		size_t i, k;
		json_t *it, *p;
		json_array_foreach(json_object_get(reg, "items"), i, it)
		{
			long long id =
				json_integer_value(json_object_get(it, "id"));
			json_array_foreach(json_object_get(it, "periods"), k, p)
			{
				const char *s = json_string_value(
					json_object_get(p, "state"));
				if (strcmp(s, "missing"))
					continue;
				int per = (int)json_integer_value(
					json_object_get(p, "period"));
				const char *label = json_string_value(
					json_object_get(p, "label_vi"));
				const char *no = json_string_value(
					json_object_get(it, "title"));
				err = remind(
					db, a, commune,
					arena_printf(a, "missing:%lld:%d:%d",
						     id, year, per),
					arena_printf(a,
						     "Chưa công khai: %s (%s)",
						     no, label),
					arena_printf(
						a,
						"Nội dung số %lld trong danh "
						"mục công khai chưa được "
						"công khai trong kỳ %s. Đề "
						"nghị Văn phòng kiểm tra "
						"và công khai theo Luật "
						"10/2022/QH15.",
						(long long)json_integer_value(
							json_object_get(it,
									"no")),
						label),
					arena_printf(
						a,
						"/disclosure?year=%d&item=%lld",
						year, id),
					sent, e);
				if (err) {
					json_decref(reg);
					return err;
				}
			}
		}
		json_decref(reg);
	}
	struct db_result *r;
	enum err err =
		db_exec(db, a,
			"SELECT d.id, d.title, d.problems FROM "
			"disclosures d WHERE d.commune_id = $1 AND "
			"d.year >= $2 AND d.problems <> ''",
			DB_PARAMS(num(a, commune), num(a, today.y - 1)), &r, e);
	for (int i = 0; !err && i < r->nrows; i++) {
		long long id = db_get_int(r, i, "id", 0);
		const char *p = db_get(r, i, "problems");
		while (!err && *p) {
			size_t n = strcspn(p, ",");
			const char *code = arena_strndup(a, p, n);
			err = remind(db, a, commune,
				     arena_printf(a, "%s:%lld", code, id),
				     arena_printf(a,
						  "Công khai chưa đúng quy "
						  "định: %s",
						  db_get(r, i, "title")),
				     !strcmp(code, "short")
					     ? "Thời gian công khai kết thúc "
					       "sớm hơn số ngày tối thiểu."
				     : !strcmp(code, "loudspeaker")
					     ? "Chưa phát trên hệ thống truyền "
					       "thanh đủ 3 ngày liên tục "
					       "(Điều 13 khoản 3 Luật "
					       "10/2022/QH15)."
					     : "Còn thiếu hình thức công khai "
					       "bắt buộc.",
				     arena_printf(a, "/disclosure/%lld", id),
				     sent, e);
			p += n;
			if (*p)
				p++;
		}
	}
	return err;
}

enum err disc_remind(struct db *db, struct arena *a, struct date today,
		     int *sent, struct error *e)
{
	*sent = 0;
	struct db_result *r;
	enum err err = db_exec(
		db, a,
		"SELECT DISTINCT CASE WHEN u.kind = 'commune' THEN u.id ELSE "
		"u.parent_id END AS commune_id FROM user_roles r JOIN units u "
		"ON u.id = r.unit_id WHERE r.role = 'office'",
		NULL, 0, &r, e);
	for (int i = 0; !err && i < r->nrows; i++) {
		long long c = db_get_int(r, i, "commune_id", 0);
		if (c > 0)
			err = remind_commune(db, a, c, today, sent, e);
	}
	return err;
}

enum err disc_communes(struct db *db, struct arena *a, const long long *ids,
		       int n, long long selected, json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = db_exec(db, a,
			       "SELECT id, full_name FROM units WHERE kind = "
			       "'commune' ORDER BY valid_to IS NOT NULL, id",
			       NULL, 0, &r, e);
	if (err)
		return err;
	long long *sorted = arena_alloc(a, sizeof *sorted * ((size_t)n + 1));
	if (!sorted)
		return nomem(e);
	memcpy(sorted, ids, sizeof *sorted * (size_t)n);
	qsort(sorted, (size_t)n, sizeof *sorted, db_id_cmp);
	*out = json_array();
	for (int i = 0; i < r->nrows; i++) {
		long long id = db_get_int(r, i, "id", 0);
		if (!bsearch(&id, sorted, (size_t)n, sizeof *sorted, db_id_cmp))
			continue;
		json_array_append_new(
			*out, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
					"name", db_get(r, i, "full_name"),
					"selected", id == selected));
	}
	return ERR_OK;
}
