/* The SQL of the citizen pages and Open311 that CORE's voice.h does not
 * cover (voice_public_db.c): read-only, and never a name, phone, address
 * or a denunciation. */
#ifndef VOICE_PUBLIC_DB_H
#define VOICE_PUBLIC_DB_H
#include <jansson.h>
#include "../base/arena.h"
#include "../base/error.h"
#include "../store/db.h"

/* The villages of a commune in force on day (YYYY-MM-DD), Vietnamese
 * order: [{id, name}]. New ref. */
enum err vpub_villages(struct db *db, struct arena *a, long long commune_id,
		       const char *day, json_t **out, struct error *e);

/* Published answers of a commune, newest answer first: {answers: [{code,
 * title, topic_vi, village_name, received_on, answered_on, answer}],
 * total, page, pages}. */
enum err vpub_answers(struct db *db, struct arena *a, long long commune_id,
		      int page, int per_page, json_t **out, struct error *e);

/* Open311 requests: feedback and petitions only (complaints and
 * denunciations are about people and stay off a public API). */
struct vpub_filter {
	long long commune_id;       /* 0: every commune */
	const char *const *codes;   /* service_request_id list, or NULL */
	int ncodes;                 /* at most VPUB_CODES_MAX */
	const char *topic_code;     /* service_code, or NULL */
	const char *start, *end;    /* created_at range (UTC ISO), or NULL */
	const char *open311_status; /* "open", "closed" or NULL */
	int page, page_size;
};
enum { VPUB_CODES_MAX = 100 };
/* Rows [{id, code, status, topic_code, topic_vi, village_name, unit_name,
 * lat, lon, created_at, updated_at, answered_on, published, title, body,
 * due_on, answer
 * (the approved answer, or null)}], newest first. *total: all matching. */
enum err vpub_requests(struct db *db, struct arena *a,
		       const struct vpub_filter *f, json_t **out,
		       long long *total, struct error *e);

/* Does the connection still answer? ERR_OK or the failure. */
enum err vpub_ping(struct db *db);

#endif
