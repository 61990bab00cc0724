/* The SQL of notify/ (notify_db.c): notifications and the mail outbox.
 * Times are the callers' ISO UTC text; ids travel as long long. */
#ifndef NOTIFY_DB_H
#define NOTIFY_DB_H
#include <stdbool.h>
#include "../base/arena.h"
#include "../base/error.h"
#include "../store/db.h"

/* ---- notifications ---- */

/* *added 0 when the user does not exist. */
enum err ndb_insert(struct db *db, struct arena *a, long long user_id,
		    const char *kind, const char *title, const char *body,
		    const char *link, const char *now, long long *added,
		    struct error *e);
/* One row per active user holding, in unit_id, a role whose key is in
 * role_keys (",office,chair,"), or any role when role_keys is NULL. */
enum err ndb_insert_unit(struct db *db, struct arena *a, long long unit_id,
			 const char *role_keys, const char *kind,
			 const char *title, const char *body, const char *link,
			 const char *now, long long *added, struct error *e);
/* Columns id, kind, title, body, link, created_at, read_at. */
enum err ndb_list(struct db *db, struct arena *a, long long user_id,
		  bool unread_only, int limit, struct db_result **r,
		  struct error *e);
enum err ndb_get(struct db *db, struct arena *a, long long user_id,
		 long long id, struct db_result **r, struct error *e);
/* -1 on a database error */
long long ndb_unread_count(struct db *db, struct arena *a, long long user_id);
/* id 0: all the user's unread ones. *changed: rows marked. */
enum err ndb_mark_read(struct db *db, struct arena *a, long long user_id,
		       long long id, const char *now, long long *changed,
		       struct error *e);

/* ---- the digest ---- */

/* Active users with an e-mail address and unread, unmailed notifications
 * created before `before`, who have no digest for `day` yet: id,
 * full_name, email. */
enum err ndb_digest_users(struct db *db, struct arena *a, const char *day,
			  const char *before, struct db_result **r,
			  struct error *e);
/* That user's notifications for the digest, oldest first, at most limit:
 * id, title, body, link, created_at; and *total, *max_id over all. */
enum err ndb_digest_items(struct db *db, struct arena *a, long long user_id,
			  const char *before, int limit, struct db_result **r,
			  long long *total, long long *max_id, struct error *e);
/* Marks them mailed (ids up to max_id, as counted). */
enum err ndb_digest_mark(struct db *db, struct arena *a, long long user_id,
			 const char *before, long long max_id, const char *now,
			 struct error *e);

/* ---- the outbox ---- */

/* *id 0: user_id already has a digest for day (nothing added). user_id 0
 * and day NULL: a mail that is no digest. */
enum err ndb_outbox_add(struct db *db, struct arena *a, long long user_id,
			const char *to, const char *subject, const char *body,
			const char *day, const char *now, long long *id,
			struct error *e);
/* Unsent mails with attempts left whose time has come, oldest first:
 * id, user_id, to_addr, subject, body, attempts, full_name. */
enum err ndb_outbox_due(struct db *db, struct arena *a, const char *now,
			int max_attempts, int limit, struct db_result **r,
			struct error *e);
/* Takes mail id for this sender until `until`, if it is still due: two
 * senders (two servers on one PostgreSQL) never send it twice. */
enum err ndb_outbox_claim(struct db *db, struct arena *a, long long id,
			  const char *now, const char *until, int max_attempts,
			  bool *claimed, struct error *e);
enum err ndb_outbox_sent(struct db *db, struct arena *a, long long id,
			 const char *now, struct error *e);
/* next NULL: no more attempts. */
enum err ndb_outbox_failed(struct db *db, struct arena *a, long long id,
			   const char *error, const char *next,
			   struct error *e);
/* A mail that can never go (a bad address): no attempts left. */
enum err ndb_outbox_give_up(struct db *db, struct arena *a, long long id,
			    const char *error, int max_attempts,
			    struct error *e);
/* Unsent mails, pending and given up: id, user_id, to_addr, subject,
 * digest_date, created_at, attempts, last_error, next_attempt_at. */
enum err ndb_outbox_unsent(struct db *db, struct arena *a, int limit,
			   struct db_result **r, struct error *e);
/* An unsent mail back to zero attempts, due now. *changed 0: no such
 * unsent mail. */
enum err ndb_outbox_retry(struct db *db, struct arena *a, long long id,
			  long long *changed, struct error *e);

#endif
