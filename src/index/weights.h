/* Post-stratification of a survey round: census margins (gender, age
 * group, village; a file may give any of them) imported as CSV
 * `variable,category,population`, all or nothing, and the raked weights
 * (rake.h) of the round's submitted interviews, starting from their
 * design weights (the imported weight, else the drawn person's, else 1:
 * what `quantri interviews export` writes).
 *
 * The categories of gender and age group are fixed; those of village are
 * the villages of the round's scope (a village row names one by its code,
 * its unit id or its name; the database keeps the unit id).
 *
 * Raked weights are computed when needed, not stored: raking 2,000,000
 * interviews on three variables is a few passes over four arrays (well
 * under a second), and stored weights would go stale with every interview
 * submitted after the import. */
#ifndef INDEX_WEIGHTS_H
#define INDEX_WEIGHTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "catalogue.h"
#include "papi.h"
#include "survey_data.h"
#include "../store/db.h"

enum { WEIGHTS_GENDER, WEIGHTS_AGE, WEIGHTS_VILLAGE, WEIGHTS_NVARS };
/* categories of the fixed variables (gender, age group); villages: at
 * most WEIGHTS_MAX_VILLAGES (the scope of a province) */
enum { WEIGHTS_MAXCAT = 5, WEIGHTS_MAX_VILLAGES = 20000 };

/* "gender", "age_group", "village" */
extern const char *const weights_variables[WEIGHTS_NVARS];
const char *weights_variable_vi(int var); /* "Giới tính" */

/* A village of the round's scope: a category of `village`. */
struct weights_village {
	long long id;     /* units(id) */
	const char *code; /* units.code, "" when it has none */
	const char *name;
};
/* The villages of a round's scope, in the round's (Vietnamese) order. */
struct weights_scope {
	int n;
	const struct weights_village *v;
};

struct weights_margins {
	bool has[WEIGHTS_NVARS]; /* the variables given */
	int ncat[WEIGHTS_NVARS];
	double *pop[WEIGHTS_NVARS]; /* ncat[v] populations (the arena's) */
	struct weights_scope scope; /* the categories of village */
};

/* The categories of a variable of m: the key stored and read in files
 * ("male", "18-29"; a village: its unit id), and the Vietnamese ("Nam",
 * "18–29 tuổi"; a village: its name). */
const char *weights_category(struct arena *a, const struct weights_margins *m,
			     int var, int k);
const char *weights_category_vi(const struct weights_margins *m, int var,
				int k);
/* The variables m has, for a sentence: "giới tính, nhóm tuổi, thôn". */
const char *weights_on_vi(struct arena *a, const struct weights_margins *m);
/* The index of a category of a fixed variable (gender, age group), or
 * -1. */
int weights_category_index(int var, const char *s);

/* Parses and checks a margins file against the round's villages (scope;
 * NULL: none). ERR_INVALID with every bad row in p: unknown variable or
 * category (a village not of the scope), a category twice, a population
 * that is not a positive number, a variable without all its categories
 * (every village of the scope), totals that differ between the
 * variables, no rows. */
enum err weights_parse(struct arena *a, const char *csv, size_t len,
		       const struct weights_scope *scope,
		       struct weights_margins *out, struct problems *p,
		       struct error *e);

/* Rakes n rows: cat[v][i] is row i's category of variable v (only the
 * variables m has are read). w_out may equal w_in. ERR_CONFLICT, with
 * "margin VAR CATEGORY: no interview" when a category has no row (see
 * weights_message_vi). */
enum err weights_rake(const struct weights_margins *m, size_t n,
		      uint32_t *const cat[WEIGHTS_NVARS], const double *w_in,
		      double *w_out, struct error *e);

/* The Vietnamese for an error of weights_rake, weights_apply or
 * weights_margins_load (ERR_CONFLICT; for the pages). */
const char *weights_message_vi(struct arena *a, const struct error *e);

/* ---- with the database (weights_db.c holds the SQL) ---- */

/* The villages of the round's scope (weights_db.c). */
enum err weights_scope_load(struct db *db, struct arena *a, long long round,
			    struct weights_scope *out, struct error *e);

/* ERR_NOTFOUND without such a round; no margins: has[] all false.
 * ERR_CONFLICT when the stored village margins no longer match the
 * scope's villages (a village added or gone since the import). */
enum err weights_margins_load(struct db *db, struct arena *a, long long round,
			      struct weights_margins *out, struct error *e);

/* Replaces the round's margins with the file's, all or nothing, audited. */
enum err weights_import(struct db *db, struct arena *a,
			const struct papi_actor *who, long long round,
			const char *csv, size_t len,
			struct weights_margins *out, struct problems *p,
			struct error *e);

/* For results.c: rakes the weights w of the n rows of an export whose
 * gender, age_group and village (unit ids) columns are given, when the
 * round has margins (*raked says whether). */
enum err weights_apply(struct db *db, struct arena *a, long long round,
		       size_t n, const struct survey_column *gender,
		       const struct survey_column *age,
		       const struct survey_column *village, double *w,
		       bool *raked, struct error *e);

/* The margins file the page offers to fill in: the round's margins as
 * they are, with the village rows taken from the sample frame's
 * populations, scaled (largest remainder) to the other variables' total
 * when there are some. *scaled says whether; ERR_NOTFOUND when the round
 * has no frame of its villages. */
enum err weights_from_frame(struct db *db, struct arena *a, long long round,
			    char **csv, bool *scaled, struct error *e);

/* The page: per variable and category, sample count and shares. */
struct weights_row {
	int var, cat;
	long long n;
	double unweighted, design, raked, population; /* shares; NaN: none */
};
struct weights_view {
	struct weights_margins m;
	bool has_margins;
	bool raked; /* raked shares computed */
	long long interviews;
	const char *error_vi; /* raking failed: why; NULL otherwise */
	bool has_frame;       /* the round has a frame of its villages */
	int nrows;
	struct weights_row *rows; /* the arena's */
};
enum err weights_view(struct db *db, struct arena *a, long long round,
		      struct weights_view *out, struct error *e);

/* weights_http.c */
void weights_http_register(void);

#endif
