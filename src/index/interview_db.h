/* Every SQL statement of the interviews (interview.h is the pure part).
 * Answers travel packed (interview_pack). */
#ifndef INDEX_INTERVIEW_DB_H
#define INDEX_INTERVIEW_DB_H
#include <jansson.h>
#include "interview.h"
#include "../store/db.h"

struct iv_round {
	long long id, scope_unit_id;
	int year, catalogue_year;
	const char *name, *scope_name, *status;
};

struct interview {
	long long id, round_id, unit_id, surveyor_id; /* surveyor 0: none */
	const char *unit_name, *status, *source, *gender, *age_group;
	const char *answers, *external_id, *updated_at, *submitted_at;
	const char *surveyor_name;
	long long sampled_person_id; /* sample_people(id), 0: none */
	double weight;               /* NaN: none */
	int screen;
};

/* ERR_NOTFOUND when there is no such round. */
enum err ivdb_round(struct db *db, struct arena *a, long long id,
		    struct iv_round *out, struct error *e);
/* The villages of the round's scope (its villages, or its communes'
 * villages), in force, Vietnamese order. */
enum err ivdb_villages(struct db *db, struct arena *a, long long scope_id,
		       struct iv_village **out, int *n, struct error *e);
/* The units a user holds role (a role_key) on. */
enum err ivdb_user_units(struct db *db, struct arena *a, long long user_id,
			 const char *role, long long **ids, int *n,
			 struct error *e);

/* The people drawn for the round (sampling, migration 0003) that are on
 * the list to contact and have no interview yet, by village and order:
 * [{id, unit_id, village, full_name, gender, birth_year, ord, reserve}]. */
enum err ivdb_sample_people(struct db *db, struct arena *a, long long round_id,
			    json_t **out, struct error *e);
/* One of them: ERR_NOTFOUND when id is not a drawn person of the round. */
enum err ivdb_sample_person(struct db *db, struct arena *a, long long round_id,
			    long long id, long long *unit_id,
			    const char **gender, int *birth_year,
			    struct error *e);

enum err ivdb_create(struct db *db, struct arena *a, const struct interview *iv,
		     long long *id, struct error *e);
/* ERR_NOTFOUND when there is none. */
enum err ivdb_get(struct db *db, struct arena *a, long long id,
		  struct interview *out, struct error *e);
/* Answers, screen, status (submitted sets submitted_at). */
enum err ivdb_save(struct db *db, struct arena *a, long long id,
		   const char *answers, int screen, const char *status,
		   struct error *e);
/* Interviews of a round, newest first; units NULL: all, else only those
 * of the n units. [{id, unit_id, village, status, source, gender,
 * age_group, surveyor, updated_at, screen}] */
enum err ivdb_list(struct db *db, struct arena *a, long long round_id,
		   const long long *units, int n, json_t **out,
		   struct error *e);
/* Imported rows, submitted, in the caller's transaction. */
enum err ivdb_insert_import(struct db *db, struct arena *a,
			    const struct iv_round *r, const struct catalogue *c,
			    const struct iv_import *im, struct error *e);
/* The interviews of a round linked to a drawn person: the columns
 * person (sampled_person_id) and id, by person. */
enum err ivdb_linked_people(struct db *db, struct arena *a, long long round_id,
			    struct db_result **out, struct error *e);
/* Submitted interviews of a round, by village then id: the columns id,
 * unit_id, stratum (the village's parent), gender, age_group, weight,
 * answers. */
enum err ivdb_export(struct db *db, struct arena *a, long long round_id,
		     struct db_result **out, struct error *e);

/* ---- what the pages and the commands call ---- */

struct actor;

/* The round, its catalogue version and villages. */
struct iv_context {
	struct iv_round round;
	struct catalogue cat;
	struct iv_village *villages;
	int nvillages;
};
enum err iv_context_load(struct db *db, struct arena *a, long long round_id,
			 struct iv_context *out, struct error *e);

/* An answers file (+ optional mapping, see interview_import_parse) into
 * the round, all or nothing, in one transaction with its audit row.
 * Rows with a person (the drawn person's id) must name a person drawn in
 * that village, on the list, not yet interviewed; their contacts are
 * recorded as interviewed. ERR_INVALID with every problem in p. */
enum err iv_import(struct db *db, struct arena *a, const struct actor *who,
		   long long round_id, const char *data, size_t len,
		   const char *map, size_t map_len, struct iv_import *out,
		   struct problems *p, struct error *e);

/* The submitted interviews as the CSV `quantri survey estimate` reads:
 * id,village,stratum,cluster,gender,age_group,weight, then a column per
 * question in catalogue order. village and cluster: the village's unit
 * id; stratum: its commune's; weight: the imported one, else the drawn
 * person's design weight, else 1. Missing
 * codes are written as empty cells (missing answers) unless keep_codes. */
enum err iv_export(struct db *db, struct arena *a, long long round_id,
		   bool keep_codes, char **csv, size_t *len, int *rows,
		   struct error *e);

/* Records the drawn person of a submitted interview as interviewed, in
 * the caller's transaction, through the sampling's round_contact (the
 * quota, replacements and the "round.contact" audit row stay there). */
enum err iv_contact_interviewed(struct db *db, struct arena *a,
				const struct actor *who, long long round_id,
				long long person_id, const char *note,
				struct error *e);

/* Audits a form interview's creation or submission. */
enum err iv_audit(struct db *db, struct arena *a, const struct actor *who,
		  const char *action, long long id, json_t *after,
		  struct error *e);
#endif
