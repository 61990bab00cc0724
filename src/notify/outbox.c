/* The outbox: mails wait in the database until the SMTP server takes
 * them. A failure is kept (attempts, last_error) and tried again after a
 * growing pause; after MAIL_MAX_ATTEMPTS the mail stays, given up, for
 * `quantri mail outbox` to show and `quantri mail retry` to requeue. */
#include <stdio.h>
#include <string.h>
#include "mail.h"
#include "notify.h"
#include "notify_db.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/banned.h"

enum {
	SEND_BATCH = 200,        /* mails one run takes at most */
	CLAIM_SECONDS = 10 * 60, /* a sender's hold on a mail it sends */
	MAIL_ARENA = 32 << 20,   /* one message's formatting */
};

/* The pause after the n-th failed attempt (n = 1..MAIL_MAX_ATTEMPTS-1):
 * a server down for a few hours loses nothing. */
static const int retry_minutes[MAIL_MAX_ATTEMPTS] = {0, 1, 5, 30, 120};

static const char *iso_at(struct arena *a, time_t t)
{
	char buf[21];
	clock_format_iso(t, buf);
	return arena_strdup(a, buf);
}

/* One due mail: claimed, formatted, sent, its outcome stored. */
static enum err send_one(struct db *db, struct arena *a, struct mail_smtp *s,
			 const struct db_result *r, int i, time_t now,
			 int *sent, int *failed, struct error *e)
{
	long long id = db_get_int(r, i, "id", 0);
	int attempts = (int)db_get_int(r, i, "attempts", 0);
	const char *now_iso = iso_at(a, now);
	bool claimed;
	enum err err = ndb_outbox_claim(db, a, id, now_iso,
					iso_at(a, now + CLAIM_SECONDS),
					MAIL_MAX_ATTEMPTS, &claimed, e);
	if (err || !claimed)
		return err;
	struct mail_message m = {
		.from = s->from,
		.to = {db_get(r, i, "full_name"), db_get(r, i, "to_addr")},
		.subject = db_get(r, i, "subject"),
		.body = db_get(r, i, "body"),
		.message_id = mail_message_id(
			a, arena_printf(a, "outbox-%lld", id), s->from.addr),
		.date = now,
	};
	char *msg;
	size_t len;
	struct error me = {0};
	if (mail_format(a, &m, &msg, &len, &me)) {
		/* it will never go: no point in trying again */
		char q[600];
		log_warn("mail given up", "id=%lld error=%s", id,
			 log_quote(q, sizeof q, me.msg));
		(*failed)++;
		return ndb_outbox_give_up(db, a, id, me.msg, MAIL_MAX_ATTEMPTS,
					  e);
	}
	if (!mail_smtp_send(s, m.to.addr, msg, len, &me)) {
		(*sent)++;
		return ndb_outbox_sent(db, a, id, now_iso, e);
	}
	attempts++;
	const char *next =
		attempts < MAIL_MAX_ATTEMPTS
			? iso_at(a, now + 60 * retry_minutes[attempts])
			: NULL;
	char q[600];
	log_warn("mail not sent", "id=%lld attempt=%d retry=%s error=%s", id,
		 attempts, next ? next : "never",
		 log_quote(q, sizeof q, me.msg));
	(*failed)++;
	return ndb_outbox_failed(db, a, id, me.msg, next, e);
}

enum err mail_send_pending(struct db *db, struct arena *a,
			   const struct config *cfg, int *sent, int *failed,
			   struct error *e)
{
	*sent = *failed = 0;
	if (!cfg->smtp_url[0])
		return ERR_OK;
	time_t now = clock_now();
	struct db_result *r;
	enum err err = ndb_outbox_due(db, a, iso_at(a, now), MAIL_MAX_ATTEMPTS,
				      SEND_BATCH, &r, e);
	if (err || r->nrows == 0)
		return err;
	struct mail_smtp s;
	err = mail_smtp_init(&s, a, cfg, e);
	for (int i = 0; !err && i < r->nrows; i++) {
		struct arena one;
		arena_init(&one, MAIL_ARENA);
		err = send_one(db, &one, &s, r, i, now, sent, failed, e);
		arena_release(&one);
		/* the server, not the mail: the rest wait for the next run */
		if (s.server_down)
			break;
	}
	mail_smtp_release(&s);
	return err;
}

enum err mail_send_now(struct arena *a, const struct config *cfg,
		       const char *to, const char *subject, const char *body,
		       struct error *e)
{
	struct mail_smtp s;
	enum err err = mail_smtp_init(&s, a, cfg, e);
	if (err) {
		mail_smtp_release(&s);
		return err;
	}
	struct mail_message m = {
		.from = s.from,
		.to = {"", to},
		.subject = subject,
		.body = body,
		.message_id = mail_message_id(a, "test", s.from.addr),
		.date = clock_now(),
	};
	char *msg;
	size_t len;
	err = mail_format(a, &m, &msg, &len, e);
	if (!err)
		err = mail_smtp_send(&s, to, msg, len, e);
	mail_smtp_release(&s);
	return err;
}

enum err mail_outbox_list(struct db *db, struct arena *a, json_t **out,
			  struct error *e)
{
	struct db_result *r;
	enum err err = ndb_outbox_unsent(db, a, 1000, &r, e);
	if (err)
		return err;
	json_t *list = db_result_json(r);
	size_t i;
	json_t *row;
	json_array_foreach(list, i, row)
	{
		json_int_t n =
			json_integer_value(json_object_get(row, "attempts"));
		json_object_set_new(row, "state",
				    json_string(n >= MAIL_MAX_ATTEMPTS
							? "failed"
							: "pending"));
	}
	if (!list)
		return error_set(e, ERR_NOMEM, "out of memory");
	*out = list;
	return ERR_OK;
}

enum err mail_retry(struct db *db, struct arena *a, long long id,
		    struct error *e)
{
	long long changed = 0;
	enum err err = ndb_outbox_retry(db, a, id, &changed, e);
	if (!err && !changed)
		return error_set(e, ERR_NOTFOUND,
				 "mail %lld: not in the outbox or already sent",
				 id);
	return err;
}
