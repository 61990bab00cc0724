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

enum {
	PLAN_MAX_SECTIONS = 40,
	PLAN_MAX_TARGETS = 27,
	TASK_MAX_CO_UNITS = 30,
	TASK_MAX_LINKS = 40,
	TASK_MAX_OCCURRENCES = 60
};

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
	const char *recurrence; /* none weekly monthly quarterly yearly */
	double weight;          /* > 0, for the parent's roll-up */
	const char *status;     /* todo doing done cancelled */
	int progress;           /* 0..100 */
	const char *done_on;    /* NULL unless done */
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
int task_occurrences(struct arena *a, const struct task *t, struct task *out,
		     int max);
/* Weighted mean of children's progress, cancelled ones left out. */
int task_rollup(const int *progress, const double *weight,
		const bool *cancelled, int n);

/* Added by the plan engineer (plan.c): */

/* "Minh Tiến, ngày 04 tháng 01 năm 2024": leading zero for days below 10
 * and for months 1 and 2 (Nghị định 30/2020); NULL when iso is no date. */
char *plan_place_date_text(struct arena *a, const char *place, const char *iso);
/* Vietnamese upper case ("xã Minh Tiến" -> "XÃ MINH TIẾN"). */
char *plan_upper(struct arena *a, const char *s);
/* "Tổng điểm PAPI", "Lĩnh vực 5"; NULL for an unknown measure. */
const char *plan_measure_label_vi(const char *measure);
/* A target as a sentence: "Giữ vững bậc so với năm 2023", "Đạt điểm ≥
 * 5,5", "Đạt bậc Cao", "Đạt thứ hạng 10 trở lên". */
char *plan_target_text(struct arena *a, const struct plan_target *t,
		       int baseline_year);
/* "Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Hủy"; NULL if unknown */
const char *task_status_label_vi(const char *status);
/* "Không lặp", "Hằng tuần", "Hằng tháng", "Hằng quý", "Hằng năm" */
const char *task_recurrence_label_vi(const char *recurrence);
/* The status a parent takes from its children: done when every child not
 * cancelled is done, cancelled when all are, doing when any has begun,
 * else todo. */
const char *task_rollup_status(const char *const *status, const int *progress,
			       int n);

/* What a target is measured by: a score (dimension 1-10, total 8-80) and,
 * when the unit was ranked among peers, its group (1 = Cao .. 4) and rank. */
struct target_actual {
	bool has_score;
	double score, ci_low, ci_high; /* ci NaN when unknown */
	int group;                     /* 0: none */
	int rank, n_ranked;            /* 0: none */
	int year;
	const char *source_vi; /* where the figure comes from */
};
enum target_state { TARGET_NO_DATA, TARGET_MET, TARGET_NOT_MET };
/* Met or not: keep compares actual with baseline (score not lower, group
 * and rank not worse), reach with t->value (score >=, group and rank <=).
 * TARGET_NO_DATA when a figure it needs is missing. */
enum target_state plan_target_check(const struct plan_target *t,
				    const struct target_actual *actual,
				    const struct target_actual *baseline);

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

/* plan_issue with a chosen number (the commune's register of documents
 * may hold plans kept outside this program); number 0: the next one.
 * ERR_CONFLICT when issued already or the number is taken. */
enum err plan_issue_number(struct db *db, struct arena *a,
			   const struct actor *who, long long plan_id,
			   const char *issued_on, int number, struct error *e);
/* The plans of these communes, newest year first: [{id, unit_id,
 * unit_name, year, number, number_text, title, status, status_vi,
 * issued_on, tasks, progress}]. */
enum err plan_list(struct db *db, struct arena *a, const long long *communes,
		   int ncommunes, json_t **out, struct error *e);
/* The JSON of a plan (with sections, targets, number_text). New ref. */
json_t *plan_json(struct arena *a, const struct plan *p);
/* The JSON of a task. New ref. */
json_t *task_json(const struct task *t);
/* A plan's tasks in tree order (each parent before its children, by ord):
 * [{id, parent_id, depth, title, lead_unit_id, lead_unit_name,
 * responsible_user_id, responsible_name, start_on, due_on, recurrence,
 * weight, status, status_vi, progress, done_on, children}]. */
enum err plan_tasks(struct db *db, struct arena *a, long long plan_id,
		    json_t **out, struct error *e);
/* A task's progress reports, newest first: [{id, at, user_id, user_name,
 * status, status_vi, progress, note, files: attachment_list()}]. */
enum err task_updates(struct db *db, struct arena *a, long long task_id,
		      json_t **out, struct error *e);
/* The units a task of a plan of commune_id may name: the commune, the
 * communes of its lineage (mergers), and their villages and professional
 * units, in force or not: [{id, name, full_name, kind, commune_id}]. */
enum err plan_unit_choices(struct db *db, struct arena *a, long long commune_id,
			   json_t **out, struct error *e);
/* Active users holding a role in one of those units, Vietnamese order:
 * [{id, full_name, username, unit_ids: [..]}]. */
enum err plan_user_choices(struct db *db, struct arena *a, long long commune_id,
			   json_t **out, struct error *e);
/* The PAPI dimensions and indicators tasks of a plan of `year` may serve,
 * from the catalogue of that year (else the latest before, else the
 * first): [{code: "D1", name_vi, indicators: [{code, name_vi}]}]. */
enum err plan_link_choices(struct db *db, struct arena *a, int year,
			   json_t **out, struct error *e);
/* The commune a unit belongs to (itself for a commune, else the first
 * commune above it); 0 when none. */
enum err plan_commune_of(struct db *db, struct arena *a, long long unit_id,
			 long long *commune_id, struct error *e);

/* ---- plan_actual.c: targets against the index's results ---- */

/* For each target of p, its actual (plan year) and baseline figures,
 * state and Vietnamese sentences: [{measure, measure_vi, kind, goal,
 * text_vi, state ("met", "not_met", "no_data"), state_vi, actual_vi,
 * baseline_vi, note}]. A commune's score comes from its own survey round
 * (the latest of the year whose scope is in the commune's lineage); a
 * tier or rank only from a round that ranked the commune among its peers
 * (a province's round), never from the tiers of its villages; the
 * province's official result is shown beside as context, not as the
 * commune's. New ref in *out. */
enum err plan_targets_actual(struct db *db, struct arena *a,
			     const struct plan *p, json_t **out,
			     struct error *e);

/* Creates (t->id == 0) or updates a task. Checks the units, the user and
 * the plan exist; a recurring task gets its occurrences as sub-tasks; the
 * parent's progress is rolled up. ERR_INVALID with fp filled.
 * (plan engineer:) status, progress and done_on are taken on creation
 * only; an update keeps them (progress reports change them). Changing a
 * recurring task's dates adds the missing occurrences and removes those
 * never reported on. The responsible official (else the lead unit's
 * heads) is notified of a task given in the app that is not yet due. */
enum err task_save(struct db *db, struct arena *a, const struct actor *who,
		   struct task *t, struct field_problems *fp, struct error *e);
enum err task_get(struct db *db, struct arena *a, long long id,
		  struct task *out, struct error *e);
/* A progress report: status, progress and a note, with evidence files
 * (already checked with attachment_check), kept in the history; sets the
 * task's status, progress and done_on (today when it becomes done) and
 * rolls the parents up. at: NULL for now. (plan engineer:) "done" means
 * 100%; a task with sub-tasks is reported through them (ERR_INVALID);
 * each file is checked again (attachment_check, ATTACH_EVIDENCE) and
 * saved with owner "task_update" in the same transaction. */
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
/* May the request's user see plans of this commune (plan.unit_id)? */
bool plan_can_see(struct request *req, long long plan_unit_id);
/* Registers the "task_update" attachment owner (readable by whoever sees
 * the task's plan); plan_http_register calls it. */
void plan_files_register(void);
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
/* What citizens raised per PAPI dimension in these communes between
 * from and to (YYYY-MM-DD, inclusive): a new JSON array of {dimension,
 * raised, answered, on_time, overdue, on_time_pct}. The voice capability
 * registers it (voice_http_register): it is built on the plan, which
 * cannot call it. The by-dimension page shows it beside the tasks. */
typedef enum err (*plan_citizens_fn)(struct db *db, struct arena *a,
				     const long long *communes, int n,
				     const char *from, const char *to,
				     json_t **out, struct error *e);
void plan_citizens_register(plan_citizens_fn fn);

void plan_views_http_register(void);
void plan_bulk_http_register(void);

#endif
