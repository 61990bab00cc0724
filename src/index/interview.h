/* Interviews, pure: answers checked against the round's catalogue, skip
 * rules, the packed form the database keeps (one ';'-joined field per
 * question, in catalogue order; see migrations/0004_interviews.sql), and
 * the CSV import with a column -> question mapping. No database here
 * (interview_db.h). Everything lives in an arena.
 *
 * An answer is the text of a number: a choice code, a count, an amount
 * ('.' for decimals), or one of the question's missing codes ("98" don't
 * know, "99" refused); "" is no answer.
 *
 * Skip rules (catalogue skip_if "q1_4_1=0;q3_1!=1"): a question is skipped
 * when any of its conditions holds. "CODE=V" holds when CODE's answer is
 * V; "CODE!=V" when CODE is answered (a missing code counts) with another
 * value; either holds when CODE is itself skipped, so follow-ups of a
 * skipped question are skipped too. An unanswered CODE holds nothing. */
#ifndef INDEX_INTERVIEW_H
#define INDEX_INTERVIEW_H
#include <stdbool.h>
#include <stddef.h>
#include "catalogue.h"

enum {
	INTERVIEW_AGE_GROUPS = 5,
	INTERVIEW_MAX_ROWS = 200000,
	INTERVIEW_ANSWER_MAX = 32
};
extern const char *const interview_age_groups[INTERVIEW_AGE_GROUPS];

/* "male" / "female" from 1, 2, nam, nữ, male, female, m, f (any case,
 * diacritics optional); NULL when not one of them. */
const char *interview_gender(const char *s);
const char *interview_gender_vi(const char *key); /* "Nam", "Nữ" */
/* "18-29" ... "60-70" from a group written so (also with an en dash) or
 * an age 18..70; NULL otherwise. */
const char *interview_age_group(const char *s);

/* The index of the question with code, or -1. */
int interview_question(const struct catalogue *c, const char *code);

/* vals: c->nquestions strings. */
bool interview_skipped(const struct catalogue *c, const char *const *vals,
		       int q);
/* Empties the answers of skipped questions (a changed filter answer). */
void interview_clear_skipped(const struct catalogue *c, const char **vals);

/* Why one answer is not valid. */
enum answer_check {
	ANSWER_OK,
	ANSWER_EMPTY,
	ANSWER_NOT_NUMBER,
	ANSWER_NOT_WHOLE,
	ANSWER_OUT_OF_RANGE,
	ANSWER_NOT_A_CHOICE,
};
enum answer_check interview_check_answer(const struct cat_question *q,
					 const char *v);
bool interview_is_missing_code(const struct cat_question *q, const char *v);
/* The Vietnamese label of a missing code: "Không biết", "Từ chối trả
 * lời" or "Không trả lời được". */
const char *interview_missing_label_vi(const char *code);

/* Checks every answer. complete: every question not skipped needs an
 * answer (the form's submit); else blank is a missing answer (imports).
 * An answer to a skipped question is a problem. Problems name `line` and
 * the column: colnames[q] when colnames, else the question code. Returns
 * how many problems were added. */
int interview_validate(struct arena *a, const struct catalogue *c,
		       const char *const *vals, bool complete, int line,
		       const char *const *colnames, struct problems *p);

/* Packed form; NULL when out of memory. */
char *interview_pack(struct arena *a, const struct catalogue *c,
		     const char *const *vals);
/* The packed text back as c->nquestions strings ("" for absent fields;
 * extra fields are an error: another catalogue). */
enum err interview_unpack(struct arena *a, const struct catalogue *c,
			  const char *packed, const char ***vals,
			  struct error *e);

/* ---- the CSV import ---- */

struct iv_village {
	long long id;
	const char *name, *name_fold; /* name_fold: text_fold(name) */
};

struct iv_row {
	int line;
	long long unit_id;
	const char *gender, *age_group, *external_id;
	double weight;       /* NaN: none in the file */
	long long person_id; /* the drawn person (sample_people id), 0: none */
	const char **vals;
};

struct iv_import {
	struct iv_row *rows;
	int nrows;
	int nmapped;          /* question columns read */
	const char **ignored; /* file columns mapped to nothing */
	int nignored;
	const char
		*person_column; /* the file's column of person ids, or NULL */
};

/* Reads an answers file (one row per interview) with a mapping file
 * (header "column,code": the file's column, then a question code of c or
 * one of village, gender, age_group, age, weight, id, person (the id of
 * the drawn person, as on the surveyor's list); an empty code
 * ignores the column). Without a mapping (map NULL), and for file columns
 * the mapping does not name, a column named like a question code or one
 * of those words maps to it; other columns are ignored (listed in
 * out->ignored). village: the unit id or the name of one of villages.
 * ERR_INVALID with every bad row and column in p; nothing half-read. */
enum err interview_import_parse(struct arena *a, const struct catalogue *c,
				const struct iv_village *villages,
				int nvillages, const char *data, size_t len,
				const char *map, size_t map_len,
				struct iv_import *out, struct problems *p,
				struct error *e);

#endif
