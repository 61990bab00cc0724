/* oversight/: inspections and supervisions (kiểm tra, giám sát) of the
 * commune, their findings (kết luận, phát hiện) and recommendations (kiến
 * nghị). Each recommendation becomes a remedial task of the commune's plan
 * (task_save, "Khắc phục: ..."), is followed there, and is closed only when
 * the side that recorded it verifies the fix. Schema:
 * migrations/<backend>/0013_oversight.sql.
 *
 * Who may do what: the chair, the vice-chair and the office record the
 * commune's inspections; ROLE_INSPECTION users the People's Inspection
 * Board's and the Community Investment Supervision Board's supervisions;
 * ROLE_FRONT the Fatherland Front's. The side that records a kind verifies
 * and reopens its recommendations. Everyone else reads the inspections of
 * the communes they see (plan_user_communes). */
#ifndef OVERSIGHT_H
#define OVERSIGHT_H
#include <jansson.h>
#include <stdbool.h>
#include "../base/arena.h"
#include "../base/calendar.h"
#include "../base/error.h"
#include "../http/http.h"
#include "../people/people.h"
#include "../plan/plan.h"
#include "../store/db.h"

/* ---- oversight.c: the model and its rules (no I/O) ---- */

enum {
	OVERSIGHT_TITLE_MAX = 500, /* bytes */
	OVERSIGHT_TEXT_MAX = 5000, /* reference, team, scope, a finding */
	OVERSIGHT_NOTE_MAX = 2000, /* a recommendation, a verification */
	OVERSIGHT_MAX_VILLAGES = 60,
	OVERSIGHT_MAX_LINKS = TASK_MAX_LINKS,
};

/* The four kinds; NULL label for an unknown key. */
extern const char *const oversight_kinds[4];
const char *oversight_kind_label_vi(const char *kind);
/* The roles that record (and verify) a kind; 0 for an unknown one. */
unsigned oversight_kind_roles(const char *kind);
/* May a user holding roles record this kind? */
bool oversight_can_record(unsigned roles, const char *kind);
/* May the user record any kind at all? */
bool oversight_records_any(unsigned roles);

struct inspection {
	long long id, commune_id;
	const char *kind, *title, *reference, *team, *scope;
	const char *from_on, *to_on; /* YYYY-MM-DD */
	long long unit_id;           /* 0: the commune as a whole */
	long long village_ids[OVERSIGHT_MAX_VILLAGES];
	int nvillages;
	const char *links[OVERSIGHT_MAX_LINKS]; /* "D5" or "D5:5.2.1" */
	int nlinks;
};

struct finding {
	long long id, inspection_id;
	const char *text;
	const char *links[OVERSIGHT_MAX_LINKS];
	int nlinks;
};

struct recommendation {
	long long id, finding_id, inspection_id;
	const char *text;
	long long unit_id; /* the unit that must fix it */
	const char *due_on;
	long long plan_id; /* the plan its task goes to; 0: the default */
	long long task_id;
};

/* Checks what needs no database; false with problems added. */
bool inspection_validate(const struct inspection *in,
			 struct field_problems *fp);
bool finding_validate(const struct finding *f, struct field_problems *fp);
/* inspection_from: the inspection's first day (the due date may not come
 * before it). */
bool recommendation_validate(const struct recommendation *r,
			     const char *inspection_from,
			     struct field_problems *fp);

/* A recommendation's state, from its verification and its task. */
enum rec_state { REC_OPEN, REC_FIXED, REC_VERIFIED };
enum rec_state rec_state_of(const char *verified_on, const char *task_status);
const char *rec_state_key(enum rec_state s);      /* open fixed verified */
const char *rec_state_label_vi(enum rec_state s); /* "Chưa khắc phục"... */
bool rec_state_from_key(const char *key, enum rec_state *out);

/* May the fix be verified on on_date (YYYY-MM-DD), today being today?
 * Only when the task is done and not yet verified, on a day not before
 * the task's done_on and not after today. false with the reason in fp
 * (field "verified_on" or "state"). */
bool rec_verify_check(const char *verified_on, const char *task_status,
		      const char *task_done_on, const char *on_date,
		      struct date today, const char *note,
		      struct field_problems *fp);
/* May it be reopened (the task sent back)? Only when fixed or verified,
 * with a note saying why. */
bool rec_reopen_check(const char *verified_on, const char *task_status,
		      const char *note, struct field_problems *fp);

/* The remedial task's title: "Khắc phục: " and the text, cut on a
 * character boundary to fit a task title (500 bytes). */
char *rec_task_title(struct arena *a, const char *text);
/* The start of the remedial task: today, or the due date when that is
 * earlier (an overdue recommendation recorded late). */
void rec_task_start(struct date today, const char *due_on, char out[11]);

/* ---- oversight_db.c: storage, one transaction per change, audited ---- */

/* Creates (in->id == 0) or updates an inspection with its villages and
 * links. Checks that the inspected unit and the villages belong to the
 * commune. ERR_INVALID with fp filled. */
enum err inspection_save(struct db *db, struct arena *a,
			 const struct actor *who, struct inspection *in,
			 struct field_problems *fp, struct error *e);
enum err inspection_get(struct db *db, struct arena *a, long long id,
			struct inspection *out, struct error *e);
enum err finding_add(struct db *db, struct arena *a, const struct actor *who,
		     struct finding *f, struct field_problems *fp,
		     struct error *e);
/* Adds the recommendation and its remedial task in one transaction: the
 * task goes to r->plan_id (0: oversight_default_plan), lead unit the unit
 * responsible, due on r->due_on, links of the finding. */
enum err recommendation_add(struct db *db, struct arena *a,
			    const struct actor *who, struct recommendation *r,
			    struct field_problems *fp, struct error *e);
/* The inspection a finding belongs to; ERR_NOTFOUND if none. */
enum err oversight_finding_inspection(struct db *db, struct arena *a,
				      long long finding_id,
				      long long *inspection_id,
				      struct error *e);
enum err recommendation_get(struct db *db, struct arena *a, long long id,
			    struct recommendation *out, struct error *e);
/* Verified fixed on on_date with a note; refused (ERR_INVALID, fp) when
 * the task is not done. today: the day it is recorded. */
enum err recommendation_verify(struct db *db, struct arena *a,
			       const struct actor *who, long long id,
			       const char *on_date, const char *note,
			       struct date today, struct field_problems *fp,
			       struct error *e);
/* Sends the task back (a progress report "doing", 0 %, with the note) and
 * clears the verification. */
enum err recommendation_reopen(struct db *db, struct arena *a,
			       const struct actor *who, long long id,
			       const char *note, struct date today,
			       struct field_problems *fp, struct error *e);
/* The plan a commune's remedial tasks go to by default: the issued plan
 * of its lineage for `year` (the due date's), else that year's draft,
 * else the latest issued plan, else the latest plan; 0 when none. (A
 * plan takes tasks due within a year of its own: the latest issued plan
 * alone would refuse a recommendation due the year after.) */
enum err oversight_default_plan(struct db *db, struct arena *a,
				long long commune_id, int year,
				long long *plan_id, struct error *e);
/* The plans of the commune's lineage: [{id, year, title, number_text,
 * status, label}], newest first. */
enum err oversight_plan_choices(struct db *db, struct arena *a,
				long long commune_id, json_t **out,
				struct error *e);

struct oversight_filter {
	const long long *communes; /* the communes the user sees */
	int ncommunes;
	const char *kind;      /* NULL: any */
	long long unit_id;     /* inspected (list) or responsible (recs) */
	long long village_id;  /* 0: any */
	const char *dimension; /* "D5", NULL: any */
	const char *from, *to; /* period overlapping, YYYY-MM-DD or NULL */
	const char *state;     /* open fixed verified, NULL: any */
	const char *q;         /* search without diacritics, NULL: none */
	int page, per_page;    /* per_page 0: every row (export) */
};
/* Inspections newest first: {total, page, pages, rows: [{id, kind,
 * kind_vi, title, reference, from_on, to_on, unit_name, findings,
 * recommendations, open, fixed, verified}]}. */
enum err inspection_list(struct db *db, struct arena *a,
			 const struct oversight_filter *f, json_t **out,
			 struct error *e);
/* Recommendations by due date: {total, page, pages, rows: [{id, text,
 * unit_name, due_on, state, state_vi, task_id, task_status, progress,
 * done_on, verified_on, inspection_id, inspection_title, kind_vi,
 * finding}]}. */
enum err recommendation_list(struct db *db, struct arena *a,
			     const struct oversight_filter *f, json_t **out,
			     struct error *e);
/* One inspection for its page: the fields, unit and village names, link
 * keys, findings with their links and recommendations (with task state
 * and events). */
enum err inspection_detail(struct db *db, struct arena *a, long long id,
			   json_t **out, struct error *e);
/* Open and fixed recommendations per responsible unit, for the
 * supervisor view: [{unit_id, unit_name, open, fixed, overdue}]. */
enum err oversight_unit_summary(struct db *db, struct arena *a,
				const struct oversight_filter *f,
				const char *today, json_t **out,
				struct error *e);

/* ---- oversight_export.c ---- */
enum oversight_what { OV_INSPECTIONS, OV_RECOMMENDATIONS };
/* The list as CSV (dd/mm/yyyy) or XLSX, bytes in the arena. */
enum err oversight_export(struct db *db, struct arena *a,
			  const struct oversight_filter *f,
			  enum oversight_what what, bool xlsx,
			  unsigned char **out, size_t *len, struct error *e);

/* ---- oversight_demo.c ---- */
/* Two inspections of xã Tiên Tiến with findings and recommendations in
 * each state; does nothing when they are there already. */
enum err oversight_demo_seed(struct db *db, struct arena *a, struct error *e);

/* ---- routes (oversight_http.c) ----
 * GET /oversight (inspections), GET /oversight/recommendations,
 * GET /oversight/supervise, GET /oversight/export.csv|.xlsx (?what=
 * inspections|recommendations and the list's filters),
 * GET|POST /oversight/new, GET /oversight/{id}, GET|POST
 * /oversight/{id}/edit, POST /oversight/{id}/findings, POST
 * /oversight/findings/{id}/recommendations, POST
 * /oversight/recommendations/{id}/verify, POST
 * /oversight/recommendations/{id}/reopen. Files: owner "inspection". */

#endif
