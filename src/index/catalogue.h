/* The PAPI catalogue as data: dimensions -> sub-dimensions -> indicators
 * -> questions, one version per survey year, read from and written to CSV
 * (data/papi/catalogue_2024.csv is the shipped one). Pure: no database
 * here (index_db.h stores and loads it). Everything lives in an arena.
 *
 * The CSV has one row per question; the columns are catalogue_columns[]
 * (the dimension, sub-dimension and indicator fields repeat on each of
 * their questions and must agree). A question is skipped when its skip_if
 * holds ("q1_4_1=0", "q3_1!=1", several joined by ';' = any of them);
 * skip_if may only name an earlier question. Answers equal to one of
 * missing_codes ("98;99") are missing, not values. */
#ifndef INDEX_CATALOGUE_H
#define INDEX_CATALOGUE_H
#include <stdbool.h>
#include <stddef.h>
#include "../base/arena.h"
#include "../base/problems.h"
#include "../base/error.h"

enum answer_type {
	ANSWER_YES_NO, /* choices exactly 1=...;0=... */
	ANSWER_SCALE,  /* ordered codes, e.g. 1..4 or 1..5 */
	ANSWER_COUNT,  /* a whole number in [lower, upper] */
	ANSWER_AMOUNT, /* a number, e.g. million VND */
	ANSWER_CHOICE, /* coded choices; ordered when not descriptive */
};
enum direction {
	DIRECTION_HIGHER_BETTER,
	DIRECTION_LOWER_BETTER, /* reversed before it is combined */
	DIRECTION_DESCRIPTIVE,  /* reported, never scored (filters) */
};

struct cat_question {
	const char *code, *text_vi, *text_en;
	enum answer_type type;
	const char *choices; /* "1=Có;0=Không", "" for count/amount */
	double lower, upper; /* theoretical bounds of an answer */
	enum direction direction;
	const char *missing_codes; /* "98;99" or "" */
	const char *skip_if;       /* "q1_4_1=0" or "" */
	int indicator;             /* index into catalogue.indicators */
};
struct cat_indicator {
	const char *code, *name_vi, *name_en;
	double weight;      /* within its sub-dimension, > 0 */
	const char *source; /* [R] [P] [I] PROPOSED LOCAL */
	bool local;         /* added by the commune */
	int subdimension;   /* index into catalogue.subdimensions */
};
struct cat_subdimension {
	const char *code, *name_vi, *name_en; /* "1.1" */
	int dimension;
};
struct cat_dimension {
	const char *code, *name_vi, *name_en; /* "D1" */
};

/* In questionnaire order: the arrays are sorted by first appearance. */
struct catalogue {
	int year;
	const char *name;
	struct cat_dimension *dimensions;
	int ndimensions;
	struct cat_subdimension *subdimensions;
	int nsubdimensions;
	struct cat_indicator *indicators;
	int nindicators;
	struct cat_question *questions;
	int nquestions;
};

enum { CATALOGUE_NCOLUMNS = 23, CATALOGUE_MAX_QUESTIONS = 5000 };
extern const char *const catalogue_columns[CATALOGUE_NCOLUMNS];

/* Parses and checks a catalogue CSV. ERR_INVALID with p filled when any
 * row is bad (nothing is half-read); e says how many. */
enum err catalogue_parse(struct arena *a, const char *data, size_t len,
			 struct catalogue *out, struct problems *p,
			 struct error *e);
/* The catalogue as CSV (header, CRLF rows), in the arena. */
char *catalogue_csv(struct arena *a, const struct catalogue *c, size_t *len);

const char *answer_type_key(enum answer_type t);      /* "yes_no" */
const char *answer_type_label_vi(enum answer_type t); /* "Có/Không" */
const char *direction_key(enum direction d);          /* "higher_better" */
const char *direction_label_vi(enum direction d); /* "Càng cao càng tốt" */
bool answer_type_from_key(const char *s, enum answer_type *out);
bool direction_from_key(const char *s, enum direction *out);

/* Numbers as the CSV and the database carry them: the shortest text that
 * reads back to the same double ("1", "0.25", "200"). */
char *catalogue_number(struct arena *a, double v);

#endif
