/* The SQL of post-stratification (weights.h). */
#ifndef INDEX_WEIGHTS_DB_H
#define INDEX_WEIGHTS_DB_H
#include "weights.h"

/* variable, category, population of a round */
enum err wdb_margins(struct db *db, struct arena *a, long long round,
		     struct db_result **out, struct error *e);
/* Deletes the round's margins and writes m's, in the caller's
 * transaction. */
enum err wdb_replace(struct db *db, struct arena *a, long long round,
		     const struct weights_margins *m, struct error *e);
/* Submitted interviews: unit_id, gender, age_group, weight (the imported one, else
 * the drawn person's; NULL: none), as ivdb_export. */
enum err wdb_sample(struct db *db, struct arena *a, long long round,
		    struct db_result **out, struct error *e);
/* The villages of a scope (its villages, or its communes' villages), in
 * force, Vietnamese order, as ivdb_villages: id, code, name. */
enum err wdb_villages(struct db *db, struct arena *a, long long scope,
		      struct db_result **out, struct error *e);
/* The round's frame units: unit_id, population. */
enum err wdb_frame(struct db *db, struct arena *a, long long round,
		   struct db_result **out, struct error *e);
#endif
