/* Post-stratification of a survey round: census margins (gender, age
 * group; a file may give either or both) imported as CSV
 * `variable,category,population`, all or nothing, and the raked weights
 * (rake.h) of the round's submitted interviews, starting from their
 * design weights (the imported weight, else the drawn person's, else 1:
 * what `quantri interviews export` writes).
 *
 * Raked weights are computed when needed, not stored: raking 2,000,000
 * interviews on two variables is a few passes over three arrays (well
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

enum { WEIGHTS_NVARS = 2, WEIGHTS_MAXCAT = 5 };

/* "gender", "age_group" */
extern const char *const weights_variables[WEIGHTS_NVARS];
int weights_ncat(int var);
const char *weights_category(int var, int k);    /* "male", "18-29" */
const char *weights_variable_vi(int var);        /* "Giới tính" */
const char *weights_category_vi(int var, int k); /* "Nam", "18–29" */
/* The index of a category of var, or -1. */
int weights_category_index(int var, const char *s);

struct weights_margins {
	bool has[WEIGHTS_NVARS]; /* the variables given */
	double pop[WEIGHTS_NVARS][WEIGHTS_MAXCAT];
};

/* Parses and checks a margins file. ERR_INVALID with every bad row in p:
 * unknown variable or category, a category twice, a population that is
 * not a positive number, a variable without all its categories, totals
 * that differ between the variables, no rows. */
enum err weights_parse(struct arena *a, const char *csv, size_t len,
		       struct weights_margins *out, struct problems *p,
		       struct error *e);

/* Rakes n rows: cat[v][i] is row i's category of variable v (only the
 * variables m has are read). w_out may equal w_in. ERR_CONFLICT, with
 * "margin VAR CATEGORY: no interview" when a category has no row (see
 * weights_message_vi). */
enum err weights_rake(const struct weights_margins *m, size_t n,
		      uint32_t *const cat[WEIGHTS_NVARS], const double *w_in,
		      double *w_out, struct error *e);

/* The Vietnamese for an error of weights_rake (for the pages). */
const char *weights_message_vi(struct arena *a, const struct error *e);

/* ---- with the database (weights_db.c holds the SQL) ---- */

/* ERR_NOTFOUND without such a round; no margins: has[] all false. */
enum err weights_margins_load(struct db *db, struct arena *a, long long round,
			      struct weights_margins *out, struct error *e);

/* Replaces the round's margins with the file's, all or nothing, audited. */
enum err weights_import(struct db *db, struct arena *a,
			const struct papi_actor *who, long long round,
			const char *csv, size_t len,
			struct weights_margins *out, struct problems *p,
			struct error *e);

/* For results.c: rakes the weights w of the n rows of an export whose
 * gender and age_group columns are given, when the round has margins
 * (*raked says whether). */
enum err weights_apply(struct db *db, struct arena *a, long long round,
		       size_t n, const struct survey_column *gender,
		       const struct survey_column *age, double *w, bool *raked,
		       struct error *e);

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
	int nrows;
	struct weights_row rows[WEIGHTS_NVARS * WEIGHTS_MAXCAT];
};
enum err weights_view(struct db *db, struct arena *a, long long round,
		      struct weights_view *out, struct error *e);

/* weights_http.c */
void weights_http_register(void);

#endif
