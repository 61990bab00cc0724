/* notify/: telling people what concerns them. A notification appears in
 * the app (table notifications, page /notifications); once a day, what a
 * user with an e-mail address has not read goes to them as ONE digest
 * e-mail (table mail_outbox), which the sender delivers through the
 * configured SMTP server (libcurl), retrying on failure. */
#ifndef NOTIFY_H
#define NOTIFY_H
#include <jansson.h>
#include <stdbool.h>
#include "../base/arena.h"
#include "../base/config.h"
#include "../base/error.h"
#include "../store/db.h"

/* One notification to one user. title and body are Vietnamese, plain text;
 * link is a path in the app ("/plan/tasks/12"). In the caller's
 * transaction. */
enum err notify_user(struct db *db, struct arena *a, long long user_id,
		     const char *kind, const char *title, const char *body,
		     const char *link, struct error *e);
/* The same to every active user holding, scoped to unit_id, one of the
 * roles in the mask (ROLE_* bits of http/http.h; ROLE_ANY_USER: all). */
enum err notify_unit(struct db *db, struct arena *a, long long unit_id,
		     unsigned roles, const char *kind, const char *title,
		     const char *body, const char *link, struct error *e);

/* A user's notifications, newest first, at most limit: JSON array of {id,
 * kind, title, body, link, created_at, read}. */
enum err notify_list(struct db *db, struct arena *a, long long user_id,
		     bool unread_only, int limit, json_t **out,
		     struct error *e);
int notify_unread_count(struct db *db, struct arena *a, long long user_id);
/* id 0: all of the user's notifications. */
enum err notify_mark_read(struct db *db, struct arena *a, long long user_id,
			  long long id, struct error *e);

/* The daily digest for `day` (YYYY-MM-DD): for each active user with an
 * e-mail address and notifications not yet mailed, one outbox mail listing
 * them (unique per user and day, so running it twice sends nothing new);
 * those notifications are marked mailed. *made: mails queued. */
enum err notify_digest(struct db *db, struct arena *a, const char *day,
		       int *made, struct error *e);

/* Delivers pending outbox mails through cfg's SMTP settings (smtp_url,
 * smtp_from, smtp_user, smtp_password). A failure is kept in last_error
 * and retried later, at most 5 attempts. Without smtp_url, sends nothing. */
enum err mail_send_pending(struct db *db, struct arena *a,
			   const struct config *cfg, int *sent, int *failed,
			   struct error *e);

/* Added by notify (beside the contract above). */

enum {
	NOTIFY_TITLE_MAX = 500,   /* bytes */
	NOTIFY_BODY_MAX = 4000,   /* bytes */
	NOTIFY_LINK_MAX = 1000,   /* bytes */
	NOTIFY_DIGEST_ITEMS = 50, /* listed in one mail; the rest counted */
	MAIL_MAX_ATTEMPTS = 5,
};

/* One of the user's notifications: {id, kind, title, body, link,
 * created_at, read}; ERR_NOTFOUND when it is not theirs. */
enum err notify_get(struct db *db, struct arena *a, long long user_id,
		    long long id, json_t **out, struct error *e);
/* notify_digest, with links made absolute by base_url ("https://host";
 * "" keeps paths): what `quantri serve` and `quantri mail digest` run
 * with the public_url setting. */
enum err notify_digest_links(struct db *db, struct arena *a, const char *day,
			     const char *base_url, int *made, struct error *e);
/* One mail to `to` now, outside the outbox (`quantri mail test`). */
enum err mail_send_now(struct arena *a, const struct config *cfg,
		       const char *to, const char *subject, const char *body,
		       struct error *e);
/* Mails not sent, waiting or given up, oldest first: JSON array of {id,
 * user_id, to_addr, subject, digest_date, created_at, attempts,
 * last_error, next_attempt_at, state: "pending" | "failed"}. */
enum err mail_outbox_list(struct db *db, struct arena *a, json_t **out,
			  struct error *e);
/* A mail not sent goes back to the queue with 5 fresh attempts. */
enum err mail_retry(struct db *db, struct arena *a, long long id,
		    struct error *e);

/* The background jobs of `quantri serve` (notify_http.c): from
 * digest_hour (Vietnam time), once a day, the digest for today; then,
 * when smtp_url is set, the outbox. */
enum err notify_job_digest(struct db *db, struct arena *a,
			   const struct config *cfg, struct error *e);
enum err notify_job_mail(struct db *db, struct arena *a,
			 const struct config *cfg, struct error *e);

#endif
