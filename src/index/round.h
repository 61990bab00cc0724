/* Survey rounds and their sampling, what the pages and `quantri round`
 * call: create and edit rounds, import the sample frame (all or nothing),
 * draw the sample from a seed, record contacts and bring in replacements.
 * Every change runs in one transaction with its audit row. */
#ifndef INDEX_ROUND_H
#define INDEX_ROUND_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "catalogue.h"
#include "papi.h"
#include "sampling.h"
#include "../store/db.h"

/* Fields as typed (text); NULL or "" takes the default (create) or keeps
 * the value (edit). scope: unit id or statistics code; catalogue: year. */
struct round_input {
	const char *year, *name, *scope, *catalogue;
	const char *tie_rule, *bounds_rule, *min_answers, *lonely_psu;
	const char *sample_units, *sample_people, *sample_reserve;
	const char *sample_quota, *age_min, *age_max, *note;
};

/* ERR_INVALID with errors {field: Vietnamese message} (may be NULL) and
 * the first problem in English in e. */
enum err round_create(struct db *db, struct arena *a,
		      const struct papi_actor *who,
		      const struct round_input *in, long long *id,
		      json_t *errors, struct error *e);
enum err round_edit(struct db *db, struct arena *a,
		    const struct papi_actor *who, long long id,
		    const struct round_input *in, json_t *errors,
		    struct error *e);
/* The round as JSON (ERR_NOTFOUND). */
enum err round_get(struct db *db, struct arena *a, long long id, json_t **out,
		   struct error *e);
enum err round_list(struct db *db, struct arena *a, json_t **out,
		    struct error *e);

/* Frame import: a units file (columns unit, population, is_seat) or a
 * people file (unit, person_id, full_name, gender, birth_year, address),
 * told apart by the header. The unit column holds a unit id, its code or
 * its name among the round's units. Refused (ERR_CONFLICT) once contacts
 * are recorded; a new frame drops an earlier draw. */
struct frame_report {
	const char *kind; /* "units" or "people" */
	int rows, units;
};
enum err round_frame_import(struct db *db, struct arena *a,
			    const struct papi_actor *who, long long round,
			    const char *csv, size_t len,
			    struct frame_report *rep, struct problems *p,
			    struct error *e);
/* Frame units with population, people and eligible counts. */
enum err round_frame(struct db *db, struct arena *a, long long round,
		     json_t **out, struct error *e);

/* The draw: seats plus k units PPS (k < 0: the round's setting), then
 * people per unit. Replaces an earlier draw unless contacts are recorded
 * (ERR_CONFLICT). ERR_INVALID when the frame is empty or a drawn unit has
 * nobody eligible. */
struct draw_report {
	int units, people, reserves;
	double weight_sum;
};
enum err round_draw(struct db *db, struct arena *a,
		    const struct papi_actor *who, long long round,
		    uint64_t seed, int k, struct draw_report *rep,
		    struct error *e);
/* Sampled units with probabilities and progress. */
enum err round_sample_units(struct db *db, struct arena *a, long long round,
			    long long sample_unit_id, json_t **out,
			    struct error *e);
/* Sampled people of a unit (0: all), in list order. */
enum err round_sample_people(struct db *db, struct arena *a, long long round,
			     long long sample_unit_id, json_t **out,
			     struct error *e);
/* The whole sample as CSV, in the arena. */
enum err round_sample_csv(struct db *db, struct arena *a, long long round,
			  char **out, size_t *len, struct error *e);

/* Records a sampled person's outcome and releases replacements in order
 * while the interviewed plus pending fall short of the quota.
 * *released: how many were brought in. The person must be on the list. */
enum err round_contact(struct db *db, struct arena *a,
		       const struct papi_actor *who, long long round,
		       long long person_id, const char *outcome,
		       const char *note, int *released, struct error *e);

/* Whether user may see and record the contacts of a sampled unit: a
 * surveyor or village head of that unit (admins are checked by caller). */
enum err round_user_on_unit(struct db *db, struct arena *a, long long user_id,
			    long long unit_id, bool *yes, struct error *e);

/* Communes (with villages) first, then provinces: [{id, code, full_name,
 * kind}] for the create form. */
enum err round_scope_choices(struct db *db, struct arena *a, json_t **out,
			     struct error *e);

/* round_http.c: the pages, registered by index_http_register(). */
void round_http_register(void);

#endif
