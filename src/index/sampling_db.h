/* Every SQL statement of survey rounds, sample frames, draws and contacts
 * (round.c calls these inside its transactions). Results in the arena. */
#ifndef INDEX_SAMPLING_DB_H
#define INDEX_SAMPLING_DB_H
#include <jansson.h>
#include <stdbool.h>
#include "../store/db.h"

struct round_row_input {
	const char *year, *name, *scope_unit_id, *catalogue_version_id;
	const char *tie_rule, *bounds_rule, *min_answers, *lonely_psu;
	const char *sample_units, *sample_people, *sample_reserve;
	const char *sample_quota, *age_min, *age_max, *note;
};

enum err sdb_round_insert(struct db *db, struct arena *a,
			  const struct round_row_input *in, long long *id,
			  struct error *e);
/* Settings only (not year, scope, catalogue). */
enum err sdb_round_update(struct db *db, struct arena *a, long long id,
			  const struct round_row_input *in, struct error *e);
/* One row with scope_name, scope_kind, catalogue_year; 0 rows if none. */
enum err sdb_round_get(struct db *db, struct arena *a, long long id,
		       struct db_result **out, struct error *e);
enum err sdb_rounds(struct db *db, struct arena *a, struct db_result **out,
		    struct error *e);
enum err sdb_round_drawn(struct db *db, struct arena *a, long long id,
			 const char *seed, int sample_units, struct error *e);

/* Units in force that a round of scope may survey: kind `kind` whose
 * parent or grandparent is scope. */
enum err sdb_scope_units(struct db *db, struct arena *a, long long scope,
			 const char *kind, struct db_result **out,
			 struct error *e);

/* Frame units in file order, with people (all) and eligible (born
 * between the two years) counts. */
enum err sdb_frame_units(struct db *db, struct arena *a, long long round,
			 int born_from, int born_to, struct db_result **out,
			 struct error *e);
enum err sdb_frame_mark_all(struct db *db, struct arena *a, long long round,
			    struct error *e);
enum err sdb_frame_unit_put(struct db *db, struct arena *a, long long round,
			    long long unit_id, int ord, long long population,
			    bool seat, struct error *e);
enum err sdb_frame_drop_marked(struct db *db, struct arena *a, long long round,
			       struct error *e);
enum err sdb_frame_people_clear(struct db *db, struct arena *a,
				long long frame_unit_id, struct error *e);
enum err sdb_frame_person_insert(struct db *db, struct arena *a,
				 long long round, long long frame_unit_id,
				 const char *ref, const char *name,
				 const char *gender, int birth_year,
				 const char *address, struct error *e);
/* id, frame_unit_id, birth_year of every person, by unit then id. */
enum err sdb_frame_people(struct db *db, struct arena *a, long long round,
			  struct db_result **out, struct error *e);

/* Draws */
enum err sdb_draw_clear(struct db *db, struct arena *a, long long round,
			struct error *e);
enum err sdb_contacts_recorded(struct db *db, struct arena *a, long long round,
			       long long *n, struct error *e);
enum err sdb_sample_unit_insert(struct db *db, struct arena *a, long long round,
				long long frame_unit_id, double prob,
				bool certainty, int eligible, long long *id,
				struct error *e);
enum err sdb_sample_person_insert(struct db *db, struct arena *a,
				  long long round, long long sample_unit_id,
				  long long frame_person_id, int ord,
				  bool reserve, double prob, double weight,
				  struct error *e);
/* Sampled units with their unit, frame and progress counts. */
enum err sdb_sample_units(struct db *db, struct arena *a, long long round,
			  long long sample_unit_id, struct db_result **out,
			  struct error *e);
/* Sampled people (of one sampled unit, or 0: all) with their frame row. */
enum err sdb_sample_people(struct db *db, struct arena *a, long long round,
			   long long sample_unit_id, struct db_result **out,
			   struct error *e);
enum err sdb_sample_person_set(struct db *db, struct arena *a, long long id,
			       const char *outcome, const char *note,
			       const char *by, struct error *e);
/* Puts the first replacement not yet released on the list; *done false
 * when none is left. */
enum err sdb_release_next(struct db *db, struct arena *a,
			  long long sample_unit_id, bool *done,
			  struct error *e);

/* Units a round may cover: provinces, and communes with villages, in
 * force: id, code, full_name, kind. */
enum err sdb_scope_choices(struct db *db, struct arena *a,
			   struct db_result **out, struct error *e);

/* Whether the user holds one of the roles (keys) on unit_id. */
enum err sdb_user_has_role_on(struct db *db, struct arena *a, long long user_id,
			      long long unit_id, const char *role1,
			      const char *role2, bool *yes, struct error *e);

#endif
