/* Every SQL statement of the catalogue, official results and survey
 * rounds (src/index/papi.c calls these inside its transactions). */
#ifndef INDEX_DB_H
#define INDEX_DB_H
#include <jansson.h>
#include "catalogue.h"
#include "official.h"
#include "../store/db.h"

/* Catalogue versions, newest year first: [{id, year, name, note,
 * copied_from_year, indicators, questions, local, rounds, updated_at}]. */
enum err idb_catalogue_versions(struct db *db, struct arena *a, json_t **out,
				struct error *e);
/* The version's id, 0 when there is none. */
enum err idb_catalogue_version_id(struct db *db, struct arena *a, int year,
				  long long *id, struct error *e);
/* Survey rounds asking version id. */
enum err idb_catalogue_rounds(struct db *db, struct arena *a, long long id,
			      long long *n, struct error *e);
/* Writes c as version c->year: a new version row, or the existing one
 * emptied first. copied_from: a version id or 0. */
enum err idb_catalogue_store(struct db *db, struct arena *a,
			     const struct catalogue *c, const char *name,
			     long long copied_from, long long *id,
			     struct error *e);
/* ERR_NOTFOUND when the year has no version. */
enum err idb_catalogue_load(struct db *db, struct arena *a, int year,
			    struct catalogue *out, struct error *e);

/* Official results. Replaces every row of the years in s. */
enum err idb_official_replace(struct db *db, struct arena *a,
			      const struct official_set *s,
			      const char *source_file, struct error *e);
/* [{year, units, with_total}] newest first */
enum err idb_official_years(struct db *db, struct arena *a, json_t **out,
			    struct error *e);
/* Rows of one year (0: all years), by year then Vietnamese name order. */
enum err idb_official_load(struct db *db, struct arena *a, int year,
			   struct official_set *out, struct error *e);

/* Survey rounds: [{id, year, name, scope, version_year, status}] */
enum err idb_rounds(struct db *db, struct arena *a, json_t **out,
		    struct error *e);

/* A mark of everything round i's results are computed from: [{id, mark}],
 * one row per round found. The round's row and catalogue version; its
 * submitted interviews' count, last change, weights (the imported, else
 * the drawn person's) and answers' length; its margins; and the last
 * audited change to any survey round, interview, unit or catalogue. A
 * change made through the program always moves it; one made behind it
 * (a weight set in SQL) moves the data part. */
enum err idb_round_marks(struct db *db, struct arena *a, const long long *ids,
			 int n, struct db_result **out, struct error *e);

#endif
