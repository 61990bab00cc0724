/* What the pages and the commands of the catalogue and the official
 * results call: imports (all or nothing, one transaction, an audit row),
 * copying a catalogue version, and the seeding `quantri init` does. */
#ifndef INDEX_PAPI_H
#define INDEX_PAPI_H
#include <stdbool.h>
#include "catalogue.h"
#include "official.h"
#include "../store/db.h"

/* Who makes a change (as people/'s struct actor; user_id 0 = the CLI). */
struct papi_actor {
	long long user_id;
	const char *username, *remote_addr;
};

/* The shipped catalogue (data/papi/catalogue_2024.csv) and results. */
#define PAPI_SHIPPED_CATALOGUE "data/papi/catalogue_2024.csv"
#define PAPI_SHIPPED_OFFICIAL                                                  \
	"data/papi/official_provincial_scores_2020_2022.csv"

/* Imports a catalogue CSV as the version of its year, replacing that
 * version when it exists and no survey round uses it (ERR_CONFLICT when
 * one does: copy it to a new year instead). name NULL or "": "PAPI <year>".
 * ERR_INVALID with every problem in p; nothing changes then. */
enum err papi_catalogue_import(struct db *db, struct arena *a,
			       const struct papi_actor *who, const char *data,
			       size_t len, const char *name,
			       struct catalogue *out, struct problems *p,
			       struct error *e);
/* A new version to_year, a copy of from_year (ERR_NOTFOUND, or
 * ERR_CONFLICT when to_year exists). */
enum err papi_catalogue_copy(struct db *db, struct arena *a,
			     const struct papi_actor *who, int from_year,
			     int to_year, const char *name, struct error *e);

/* Imports official results, replacing the rows of the years in the file.
 * source: the file's name, kept with the rows. */
enum err papi_official_import(struct db *db, struct arena *a,
			      const struct papi_actor *who, const char *data,
			      size_t len, const char *source,
			      struct official_set *out, struct problems *p,
			      struct error *e);

/* `quantri init`: the shipped catalogue when the database has no
 * catalogue at all; with demo, the shipped official results when it has
 * none. Says what it added (0 or 1 each). */
enum err papi_seed(struct db *db, struct arena *a, bool demo,
		   int *catalogue_added, int *official_added, struct error *e);

#endif
