/* The SQL of sessions and API tokens (session_db.c). */
#ifndef HTTP_SESSION_DB_H
#define HTTP_SESSION_DB_H
#include "http.h"

/* The session with id (the SHA-256 hex of the cookie), its user active;
 * ERR_NOTFOUND otherwise. */
enum err sessdb_find(struct db *db, struct arena *a, const char *id,
		     struct user **user, const char **csrf,
		     const char **last_seen, struct error *e);
enum err sessdb_touch(struct db *db, struct arena *a, const char *id,
		      const char *now, struct error *e);
enum err sessdb_insert(struct db *db, struct arena *a, const char *id,
		       long long user_id, const char *csrf, const char *now,
		       const char *addr, const char *agent, struct error *e);
enum err sessdb_delete(struct db *db, struct arena *a, const char *id,
		       struct error *e);
enum err sessdb_delete_user(struct db *db, struct arena *a, long long user_id,
			    struct error *e);
enum err sessdb_delete_idle(struct db *db, struct arena *a, const char *cutoff,
			    struct error *e);
/* An active user by id; ERR_NOTFOUND when absent or disabled. */
enum err sessdb_user(struct db *db, struct arena *a, long long user_id,
		     struct user **user, struct error *e);
/* The user of a token that is not revoked; ERR_NOTFOUND otherwise. */
enum err sessdb_token(struct db *db, struct arena *a, const char *hash,
		      struct user **user, const char **last_used,
		      struct error *e);
enum err sessdb_token_touch(struct db *db, struct arena *a, const char *hash,
			    const char *now, struct error *e);

#endif
