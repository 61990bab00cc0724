/* The few queries the staff pages need beyond voice.h (voice_staff_db.c):
 * the case an answer belongs to, a reception session and visit by id, and
 * linking a visit to the case it opened. Private to src/voice/. */
#ifndef VOICE_STAFF_DB_H
#define VOICE_STAFF_DB_H
#include "voice.h"

/* The case of an answer; ERR_NOTFOUND. */
enum err vsdb_answer_case(struct db *db, struct arena *a, long long answer_id,
			  long long *case_id, struct error *e);
/* The case with this code (as typed: case and spaces do not matter); 0
 * when none. */
enum err vsdb_case_by_code(struct db *db, struct arena *a, const char *code,
			   long long *id, struct error *e);
/* A session; ERR_NOTFOUND. */
enum err vsdb_session_get(struct db *db, struct arena *a, long long id,
			  struct reception_session *out, struct error *e);
/* A visit with its session's commune; ERR_NOTFOUND. */
enum err vsdb_visit_get(struct db *db, struct arena *a, long long id,
			struct reception_visit *out, long long *commune_id,
			struct error *e);
/* Links a visit that has no case yet to the case it opened, audited.
 * ERR_CONFLICT when it has one already. */
enum err vsdb_visit_link(struct db *db, struct arena *a,
			 const struct actor *who, long long visit_id,
			 long long case_id, struct error *e);

#endif
