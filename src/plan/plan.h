/* plan/: the commune's plan (Kế hoạch) to raise its PAPI score: the
 * document (number/symbol, bases, sections, recipients, signer), its
 * targets per dimension, the tasks given to every unit and official with
 * their progress and evidence, the urging of those that lag, and each
 * unit's scorecard. Schema: migrations/<backend>/0007_plan.sql.
 *
 * Who may do what (plan_can_*): the office manages plans and tasks and
 * urges; a unit head updates the tasks whose lead unit is theirs; an
 * officer updates the tasks they are responsible for; the chair, the vice
 * chair, the front, the inspection boards and the upper level read
 * everything and update only what they own. */
#ifndef PLAN_H
#define PLAN_H
#include <jansson.h>
#include <stdbool.h>
#include "../base/arena.h"
#include "../base/error.h"
#include "../base/problems.h"
#include "../http/http.h"
#include "../people/people.h"
#include "../store/db.h"

/* ---- plan.c: the model and its rules (no I/O) ---- */

enum { PLAN_MAX_SECTIONS = 40, PLAN_MAX_TARGETS = 27, TASK_MAX_CO_UNITS = 30,
       TASK_MAX_LINKS = 40, TASK_MAX_OCCURRENCES = 60 };

struct plan_section {
	const char *heading, *body;
};
struct plan_target {
	const char *measure; /* "d1".."d8", "total" */
	const char *kind;    /* "tier", "rank", "score" */
	const char *goal;    /* "keep", "reach" */
	double value;        /* for "reach"; NAN for "keep" */
	const char *note;
};
struct plan {
	long long id, unit_id;
	int year, number; /* number 0: draft, not yet numbered */
	const char *symbol, *issued_on, *place, *title, *bases, *recipients;
	const char *sign_mode, *signer_title, *signer_name, *status;
	int baseline_year; /* 0: none */
	int criterion_min_tasks;
	struct plan_section *sections;
	int nsections;
	struct plan_target *targets;
	int ntargets;
};

struct task {
	long long id, plan_id, parent_id; /* parent_id 0: top level */
	int ord;
	const char *title, *description;
	long long lead_unit_id;
	long long co_unit_ids[TASK_MAX_CO_UNITS];
	int nco_units;
	long long responsible_user_id; /* 0: the unit as a whole */
	const char *start_on, *due_on; /* YYYY-MM-DD */
	const char *recurrence;        /* none weekly monthly quarterly yearly */
	double weight;                 /* > 0, for the parent's roll-up */
	const char *status;            /* todo doing done cancelled */
	int progress;                  /* 0..100 */
	const char *done_on;           /* NULL unless done */
	/* "D5" (the dimension) or "D5:5.2.1" (an indicator of it) */
	const char *links[TASK_MAX_LINKS];
	int nlinks;
};

/* A field's problem: field is the form field / CSV column ("due_on"). */
struct field_problem {
	const char *field, *msg_en, *msg_vi;
};
struct field_problems {
	struct field_problem list[32];
	int n;
};

/* "05/KH-UBND"; "" for a draft. */
char *plan_number_text(struct arena *a, const struct plan *p);
/* Checks what needs no database: title, dates, year, targets, sections.
 * false with problems added when any is wrong. */
bool plan_validate(const struct plan *p, struct field_problems *fp);
bool task_validate(const struct task *t, struct field_problems *fp);
/* The occurrences of a recurring task between start_on and due_on: one
 * per period, each due on the period's last day (or due_on for the last);
 * their titles say the period ("Tháng 3/2024", "Quý 2/2024"). */
int task_occurrences(struct arena *a, const struct task *t,
		     struct task *out, int max);
/* Weighted mean of children's progress, cancelled ones left out. */
int task_rollup(const int *progress, const double *weight,
		const bool *cancelled, int n);

/* ---- plan_db.c: storage, in one transaction per call, audited ---- */

/* Creates or (p->id != 0) updates a plan with its sections and targets.
 * ERR_INVALID with fp filled when the plan is wrong. */
enum err plan_save(struct db *db, struct arena *a, const struct actor *who,
		   struct plan *p, struct field_problems *fp, struct error *e);
/* Issues a draft: gives it the next number of its unit, year and symbol. */
enum err plan_issue(struct db *db, struct arena *a, const struct actor *who,
		    long long plan_id, const char *issued_on, struct error *e);
/* A plan with its sections and targets; ERR_NOTFOUND if none. */
enum err plan_get(struct db *db, struct arena *a, long long id,
		  struct plan *out, struct error *e);

/* Creates (t->id == 0) or updates a task. Checks the units, the user and
 * the plan exist; a recurring task gets its occurrences as sub-tasks; the
 * parent's progress is rolled up. ERR_INVALID with fp filled. */
enum err task_save(struct db *db, struct arena *a, const struct actor *who,
		   struct task *t, struct field_problems *fp, struct error *e);
enum err task_get(struct db *db, struct arena *a, long long id,
		  struct task *out, struct error *e);
/* A progress report: status, progress and a note, with evidence files
 * (already checked with attachment_check), kept in the history; sets the
 * task's status, progress and done_on (today when it becomes done) and
 * rolls the parents up. at: NULL for now. */
enum err task_report(struct db *db, struct arena *a, const struct actor *who,
		     long long task_id, const char *status, int progress,
		     const char *note, const char *at,
		     const struct upload *const *files, int nfiles,
		     long long *update_id, struct field_problems *fp,
		     struct error *e);

/* ---- permissions (plan_access.c) ---- */

/* The communes whose plans the request's user sees: for each role, the
 * commune of its unit (the unit itself when a commune, else the commune
 * above it: a village, a professional unit); for the upper level, every
 * commune under its unit. Sorted, without repeats, in the arena. */
enum err plan_user_communes(struct request *req, long long **ids, int *n,
			    struct error *e);
bool plan_can_manage(const struct request *req);
/* May this request's user report progress on the task? (lead unit is one
 * of the unit head's units, or the user is responsible, or the office) */
bool plan_can_update_task(struct request *req, const struct task *t);

/* ---- demo (plan_demo.c) ---- */

/* The real 2024 plan of Minh Tiến (shared/seed) with its tasks, as the
 * demo's example; does nothing when it is there already. */
enum err plan_demo_seed(struct db *db, struct arena *a, struct error *e);

/* ---- routes ----
 * plan_http.c (registered by plan_http_register, which calls the others):
 *   GET /plan (plans), GET|POST /plan/new, GET /plan/{id},
 *   GET|POST /plan/{id}/edit, POST /plan/{id}/issue,
 *   GET|POST /plan/{id}/tasks/new, GET /plan/tasks/{id},
 *   GET|POST /plan/tasks/{id}/edit, POST /plan/tasks/{id}/report (multipart)
 * plan_views_http.c (plan_views_http_register): GET /plan/my, /plan/overdue,
 *   /plan/by-unit, /plan/by-dimension, /plan/timeline, /plan/calendar,
 *   /plan/scorecard, /plan/requests; POST /plan/tasks/{id}/requests,
 *   POST /plan/requests/{id}/answer
 * plan_bulk_http.c (plan_bulk_http_register): GET|POST /plan/{id}/import,
 *   GET /plan/{id}/export.csv, GET /plan/{id}/export.xlsx (?what=tasks|updates)
 */
void plan_views_http_register(void);
void plan_bulk_http_register(void);

#endif
