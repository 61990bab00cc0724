/* Notifications in the app, and the daily digest that puts what a user
 * has not read into one e-mail in the outbox. */
#include "notify.h"
#include <stdio.h>
#include <string.h>
#include "mail.h"
#include "notify_db.h"
#include "../base/calendar.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../http/http.h"
#include "../people/people.h"
#include "../base/banned.h"

enum { DIGEST_ARENA = 32 << 20 };

/* ---- cleaning what callers pass ---- */

/* At most max bytes, cut on a character boundary with "…". */
static char *clip(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return arena_strdup(a, s);
	size_t cut = max - 3; /* room for "…" (3 bytes) */
	while (cut && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	return arena_printf(a, "%.*s…", (int)cut, s);
}

/* Control characters become spaces (line breaks too, unless kept):
 * the text is shown in pages, headers of lists and mails. */
static char *clean_text(struct arena *a, const char *s, size_t max,
			bool keep_lines)
{
	char *c = clip(a, s ? s : "", max);
	if (!c)
		return NULL;
	for (char *p = c; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '\n' && keep_lines)
			continue;
		if (ch < 0x20 || ch == 0x7f)
			*p = ' ';
	}
	return c;
}

static bool kind_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	if (n == 0 || n > 64)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		      *k == '.' || *k == '_' || *k == '-'))
			return false;
	return true;
}

/* "" or a path of this site: "/x", never "//host" or "/\host". */
static bool link_ok(const char *l)
{
	if (!*l)
		return true;
	if (l[0] != '/' || l[1] == '/' || l[1] == '\\' ||
	    strlen(l) > NOTIFY_LINK_MAX)
		return false;
	for (const char *p = l; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

struct cleaned {
	const char *title, *body, *link;
};

static enum err clean(struct arena *a, const char *kind, const char *title,
		      const char *body, const char *link, struct cleaned *out,
		      struct error *e)
{
	if (!kind_ok(kind))
		return error_set(e, ERR_INVALID,
				 "notification kind \"%s\": expected 1-64 of "
				 "a-z 0-9 . _ -",
				 kind ? kind : "");
	title = title ? title : "";
	body = body ? body : "";
	link = link ? link : "";
	if (!text_valid_utf8(title, strlen(title)) ||
	    !text_valid_utf8(body, strlen(body)))
		return error_set(e, ERR_INVALID,
				 "notification %s: title or body is not UTF-8",
				 kind);
	if (!link_ok(link))
		return error_set(
			e, ERR_INVALID,
			"notification %s: link \"%s\" is not a path of "
			"this site",
			kind, link);
	out->title = clean_text(a, title, NOTIFY_TITLE_MAX, false);
	out->body = clean_text(a, body, NOTIFY_BODY_MAX, true);
	out->link = link;
	if (!out->title || !out->body)
		return error_set(e, ERR_NOMEM, "out of memory");
	char *t = text_trim(a, out->title);
	if (!t || !*t)
		return error_set(e, ERR_INVALID, "notification %s: no title",
				 kind);
	out->title = t;
	return ERR_OK;
}

/* ---- in the app ---- */

enum err notify_user(struct db *db, struct arena *a, long long user_id,
		     const char *kind, const char *title, const char *body,
		     const char *link, struct error *e)
{
	struct cleaned c;
	enum err err = clean(a, kind, title, body, link, &c, e);
	if (err)
		return err;
	long long added = 0;
	err = ndb_insert(db, a, user_id, kind, c.title, c.body, c.link,
			 clock_now_iso(a), &added, e);
	if (err)
		return err;
	if (!added)
		return error_set(e, ERR_NOTFOUND,
				 "notification %s: no user %lld", kind,
				 user_id);
	return ERR_OK;
}

enum err notify_unit(struct db *db, struct arena *a, long long unit_id,
		     unsigned roles, const char *kind, const char *title,
		     const char *body, const char *link, struct error *e)
{
	struct cleaned c;
	enum err err = clean(a, kind, title, body, link, &c, e);
	if (err)
		return err;
	unsigned mask = roles & ROLE_ANY_USER;
	if (!mask)
		return error_set(e, ERR_INVALID,
				 "notification %s: no role in mask %#x", kind,
				 roles);
	const char *keys = NULL; /* any role */
	if (mask != ROLE_ANY_USER) {
		keys = ",";
		for (int b = 0; b < ROLE_COUNT; b++)
			if (mask & (1u << b))
				keys = arena_printf(
					a, "%s%s,", keys,
					role_key((enum role)(1u << b)));
		if (!keys)
			return error_set(e, ERR_NOMEM, "out of memory");
	}
	return ndb_insert_unit(db, a, unit_id, keys, kind, c.title, c.body,
			       c.link, clock_now_iso(a), NULL, e);
}

static json_t *row_json(const struct db_result *r, int i)
{
	const char *read_at = db_get(r, i, "read_at");
	return json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
		(json_int_t)db_get_int(r, i, "id", 0), "kind",
		db_get(r, i, "kind") ? db_get(r, i, "kind") : "", "title",
		db_get(r, i, "title") ? db_get(r, i, "title") : "", "body",
		db_get(r, i, "body") ? db_get(r, i, "body") : "", "link",
		db_get(r, i, "link") ? db_get(r, i, "link") : "", "created_at",
		db_get(r, i, "created_at") ? db_get(r, i, "created_at") : "",
		"read", read_at != NULL);
}

enum err notify_list(struct db *db, struct arena *a, long long user_id,
		     bool unread_only, int limit, json_t **out, struct error *e)
{
	struct db_result *r;
	if (limit < 1)
		limit = 1;
	if (limit > 1000)
		limit = 1000;
	enum err err = ndb_list(db, a, user_id, unread_only, limit, &r, e);
	if (err)
		return err;
	json_t *list = json_array();
	for (int i = 0; list && i < r->nrows; i++)
		if (json_array_append_new(list, row_json(r, i))) {
			json_decref(list);
			list = NULL;
		}
	if (!list)
		return error_set(e, ERR_NOMEM, "out of memory");
	*out = list;
	return ERR_OK;
}

enum err notify_get(struct db *db, struct arena *a, long long user_id,
		    long long id, json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = ndb_get(db, a, user_id, id, &r, e);
	if (err)
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND,
				 "notification %lld of user %lld not found", id,
				 user_id);
	*out = row_json(r, 0);
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "out of memory");
}

int notify_unread_count(struct db *db, struct arena *a, long long user_id)
{
	long long n = ndb_unread_count(db, a, user_id);
	if (n < 0) {
		log_warn("unread notifications not counted", "user=%lld",
			 user_id);
		return 0;
	}
	return n > 1000000 ? 1000000 : (int)n;
}

enum err notify_mark_read(struct db *db, struct arena *a, long long user_id,
			  long long id, struct error *e)
{
	long long changed = 0;
	enum err err = ndb_mark_read(db, a, user_id, id, clock_now_iso(a),
				     &changed, e);
	if (err || id == 0 || changed)
		return err;
	/* nothing changed: read already, or not this user's */
	struct db_result *r;
	if ((err = ndb_get(db, a, user_id, id, &r, e)))
		return err;
	if (!r->nrows)
		return error_set(e, ERR_NOTFOUND,
				 "notification %lld of user %lld not found", id,
				 user_id);
	return ERR_OK;
}

/* ---- the digest ---- */

/* A text that grows in the arena, up to max bytes. */
struct buf {
	struct arena *a;
	char *p;
	size_t n, cap, max;
	bool failed;
};

static void buf_add(struct buf *b, const char *s)
{
	if (!s) /* an arena_printf that ran out of room */
		b->failed = true;
	if (b->failed)
		return;
	size_t n = strlen(s);
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		if (cap > b->max + 1)
			cap = b->max + 1;
		if (b->n + n + 1 > cap) {
			b->failed = true;
			return;
		}
		char *p = arena_alloc(b->a, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		if (b->n)
			memcpy(p, b->p, b->n);
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n + 1);
	b->n += n;
}

/* Each line of text, after `indent`. */
static void buf_indented(struct buf *b, const char *indent, const char *text)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		buf_add(b, indent);
		buf_add(b, arena_printf(b->a, "%.*s\n", (int)n, p));
		p += n + (p[n] == '\n');
	}
}

static const char *url_of(struct arena *a, const char *base, const char *path)
{
	return arena_printf(a, "%s%s", base ? base : "", path);
}

/* The Vietnamese text of one user's digest. */
static enum err digest_text(struct arena *a, const char *site,
			    const char *day_vi, const char *base,
			    const char *full_name, struct db_result *items,
			    long long total, const char **subject,
			    const char **body, struct error *e)
{
	const char *count = text_format_number(a, (double)total, 0);
	*subject = arena_printf(a, "[%s] %s thông báo chưa đọc ngày %s", site,
				count ? count : "?", day_vi);
	struct buf b = {.a = a, .max = MAIL_BODY_MAX};
	buf_add(&b, arena_printf(a, "Kính gửi %s,\n\n", full_name));
	buf_add(&b, arena_printf(a,
				 "Tính đến ngày %s, bạn có %s thông báo chưa "
				 "đọc trên hệ thống %s:\n\n",
				 day_vi, count ? count : "?", site));
	for (int i = 0; i < items->nrows; i++) {
		const char *title = db_get(items, i, "title");
		const char *text = db_get(items, i, "body");
		const char *link = db_get(items, i, "link");
		buf_add(&b,
			arena_printf(a, "%d. %s\n", i + 1, title ? title : ""));
		if (text && *text)
			buf_indented(&b, "   ", text);
		if (link && *link)
			buf_add(&b, arena_printf(a, "   Xem: %s\n",
						 url_of(a, base, link)));
		buf_add(&b, "\n");
	}
	if (total > items->nrows) {
		const char *more = text_format_number(
			a, (double)(total - items->nrows), 0);
		buf_add(&b, arena_printf(a, "… và %s thông báo khác.\n\n",
					 more ? more : "?"));
	}
	buf_add(&b, arena_printf(a, "Xem tất cả thông báo: %s\n\n",
				 url_of(a, base, "/notifications")));
	buf_add(&b, "-- \n");
	buf_add(&b, arena_printf(a,
				 "Thư tự động của hệ thống %s, gửi mỗi ngày "
				 "một lần để tổng hợp các thông báo bạn chưa "
				 "đọc. Vui lòng không trả lời thư này.\n",
				 site));
	if (b.failed || !*subject)
		return error_set(e, ERR_NOMEM,
				 "digest: over %d bytes or out of memory",
				 MAIL_BODY_MAX);
	*body = b.p;
	return ERR_OK;
}

/* One user's digest in its own transaction: *made 1 when queued. */
static enum err digest_user(struct db *db, struct arena *a, const char *day,
			    const char *day_vi, const char *before,
			    const char *base, const char *site,
			    long long user_id, const char *full_name,
			    const char *email, int *made, struct error *e)
{
	struct db_result *items;
	long long total = 0, max_id = 0, id = 0;
	const char *subject = NULL, *body = NULL;
	enum err err = db_begin(db, e);
	if (err)
		return err;
	err = ndb_digest_items(db, a, user_id, before, NOTIFY_DIGEST_ITEMS,
			       &items, &total, &max_id, e);
	if (err || total == 0) /* read meanwhile */
		goto out;
	err = digest_text(a, site, day_vi, base, full_name, items, total,
			  &subject, &body, e);
	if (!err)
		err = ndb_outbox_add(db, a, user_id, email, subject, body, day,
				     clock_now_iso(a), &id, e);
	if (err || id == 0) /* another server queued it first */
		goto out;
	err = ndb_digest_mark(db, a, user_id, before, max_id, clock_now_iso(a),
			      e);
	if (err)
		goto out;
	if ((err = db_commit(db, e)))
		return err;
	*made = 1;
	return ERR_OK;
out:
	db_rollback(db);
	return err;
}

enum err notify_digest_links(struct db *db, struct arena *a, const char *day,
			     const char *base_url, int *made, struct error *e)
{
	struct date d;
	*made = 0;
	if (!day || !date_parse_iso(day, &d))
		return error_set(e, ERR_INVALID,
				 "digest: bad day \"%s\" (expected YYYY-MM-DD)",
				 day ? day : "");
	/* the end of that day in Vietnam (UTC+7), in UTC */
	char before[21], day_vi[11];
	clock_format_iso((time_t)date_to_days(d) * 86400 + 17 * 3600, before);
	snprintf(day_vi, sizeof day_vi, "%02d/%02d/%04d", d.d, d.m, d.y);
	const char *site = people_setting_get(db, a, "site_name");
	if (!site || !*site)
		site = "UBND xã";
	struct db_result *users;
	enum err err = ndb_digest_users(db, a, day, before, &users, e);
	if (err)
		return err;
	for (int i = 0; i < users->nrows; i++) {
		long long uid = db_get_int(users, i, "id", 0);
		const char *email = db_get(users, i, "email");
		const char *name = db_get(users, i, "full_name");
		if (!mail_address_ok(email)) {
			log_warn("digest: e-mail address not usable",
				 "user=%lld", uid);
			continue;
		}
		/* one user's text at a time: a big commune stays small */
		struct arena scratch;
		arena_init(&scratch, DIGEST_ARENA);
		int one = 0;
		err = digest_user(db, &scratch, day, day_vi, before, base_url,
				  site, uid, name ? name : "", email, &one, e);
		arena_release(&scratch);
		if (err)
			return err;
		*made += one;
	}
	return ERR_OK;
}

enum err notify_digest(struct db *db, struct arena *a, const char *day,
		       int *made, struct error *e)
{
	return notify_digest_links(db, a, day, "", made, e);
}
