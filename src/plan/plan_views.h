/* The plan's views and urging: the queries behind the lists, the timeline,
 * the calendar and the scorecards (plan_views_db.c, all their SQL), and
 * the reminders and explanation requests (plan_urge.c).
 *
 * The lists show leaf tasks: a recurring task through its occurrences, a
 * parent through its sub-tasks (the parent's own bar is their roll-up), so
 * a number on the scorecard and the list behind it count the same rows. */
#ifndef PLAN_VIEWS_H
#define PLAN_VIEWS_H
#include <jansson.h>
#include <stdbool.h>
#include "plan.h"
#include "scorecard.h"
#include "urgency.h"

enum {
	PV_MAX_COMMUNES = 5000,
	PV_MAX_UNITS = 200,
	PV_PAGE = 50,
	PV_MAX_ROWS = 1000,
	URGE_MESSAGE_MAX = 4000
};

/* What every list filters on; zero/NULL fields do not filter. */
struct pv_filter {
	const long long *communes;  /* plans.unit_id IN: what the user sees */
	int ncommunes;              /* 0: nothing is seen */
	long long plan_id, unit_id; /* unit: the lead unit */
	long long user_id;          /* the responsible official */
	const char *dimension;      /* "D5" */
	const char *indicator;      /* "5.2.1" */
	/* a task_state_key(), or "done", "active" (todo or doing),
	 * "not_cancelled" */
	const char *state;
	const char *q_fold;            /* text_fold()ed words of the title */
	const char *due_from, *due_to; /* YYYY-MM-DD, inclusive */
	/* "my tasks": the user is responsible, or one of units leads or
	 * co-operates */
	long long mine_user;
	const long long *mine_units;
	int nmine_units;
	/* the scorecard's unit head: only tasks these units lead */
	const long long *only_units;
	int nonly_units;
	const struct urgency *u; /* today and "due soon", for state */
	long long version;       /* pvdb_version(), 0: asked per statement */
};

/* A page of leaf tasks, ordered by due_on (order "start": start_on, for
 * the timeline), with *total the count of all that match. Rows: id,
 * plan_id, plan_title, plan_year, parent_id, parent_title, title,
 * lead_unit_id, lead_unit_name, responsible_user_id, responsible_name,
 * start_on, due_on, status, progress, done_on, co_unit (1 when a
 * mine_units unit only co-operates). */
enum err pvdb_tasks(struct db *db, struct arena *a, const struct pv_filter *f,
		    const char *order, int limit, int offset,
		    struct db_result **out, long long *total, struct error *e);

/* Per lead unit of the filtered tasks: unit_id, unit_name, tasks, done,
 * overdue, due_soon, progress (mean, 0..100), in Vietnamese unit order. */
enum err pvdb_by_unit(struct db *db, struct arena *a, const struct pv_filter *f,
		      struct db_result **out, struct error *e);
/* Per (dimension, indicator) linked by the filtered tasks (by the task or
 * its parent): dimension, indicator ('' = the whole dimension), tasks,
 * done, overdue, progress_sum, counted (not cancelled). dims_only: per
 * dimension, a task counted once whatever it links in it. */
enum err pvdb_by_link(struct db *db, struct arena *a, const struct pv_filter *f,
		      bool dims_only, struct db_result **out, struct error *e);

/* id, name, full_name of these units, in Vietnamese order. Like
 * pvdb_plans, a filter form's choice: kept at the version whatever
 * views_cache says (pv_ref_get). */
enum err pvdb_units_named(struct db *db, struct arena *a, const long long *ids,
			  int n, long long version, struct db_result **out,
			  struct error *e);

/* The plans of the communes, for the filter's choice, newest first: id,
 * title, year, number, symbol, unit_id. */
enum err pvdb_plans(struct db *db, struct arena *a, const long long *communes,
		    int ncommunes, long long version, struct db_result **out,
		    struct error *e);

/* The units where the user holds one of the roles (role keys), sorted. */
enum err pvdb_user_units(struct db *db, struct arena *a, long long user_id,
			 const char *const *roles, int nroles,
			 long long version, long long **ids, int *n,
			 struct error *e);

/* The scorecard's rows (scorecard.h rules), per lead unit (by "unit") or
 * per responsible official (by "user"), in Vietnamese order of the
 * names. Filters used: communes, plan_id, only_units, u. min_tasks (may
 * be NULL): the plan's criterion_min_tasks; without a plan, the largest
 * of the communes' plans (no unit gets a score one of its plans would
 * refuse); 5, the schema's default, when there is no plan. */
enum err pvdb_scorecard(struct db *db, struct arena *a,
			const struct pv_filter *f,
			const struct scorecard_period *p, const char *by,
			struct scorecard_row **rows, int *n, int *min_tasks,
			struct error *e);

/* Requests (task_requests) on tasks of the communes, newest first, at most
 * PV_MAX_ROWS: id, task_id, task_title, unit_id, unit_name, kind,
 * message, answer_due, sent_by_name, sent_at, answer, answered_by_name,
 * answered_at, responsible_user_id. */
struct pv_request_filter {
	const long long *communes;
	int ncommunes;
	const long long *units; /* the urged unit among these; n 0: any */
	int nunits;
	long long
		or_responsible; /* ...or a task this user is responsible for */
	long long unit_id, user_id, plan_id; /* 0: any */
	const char *state; /* "open" (no answer), "answered", NULL: all */
	const char *kind;  /* "reminder", "explanation", NULL: both */
	const char *from_utc, *to_utc; /* sent_at in [from, to) */
	const char *overdue_before;    /* open explanations with answer_due < */
	long long version;             /* as in pv_filter */
};
enum err pvdb_requests(struct db *db, struct arena *a,
		       const struct pv_request_filter *f,
		       struct db_result **out, struct error *e);

/* The database's version: results read at a version are kept under it
 * and served again until any change (every change writes an audit row in
 * its own transaction, so the audit log's last id moves). > 0. The cache
 * is the process's: it assumes one database per process, as `quantri
 * serve` and every command have; a program that opens another database
 * calls pv_cache_reset() first. A row changed by hand, without an audit
 * row, shows once anything else changes or the server restarts. */
enum err pvdb_version(struct db *db, struct arena *a, long long *v,
		      struct error *e);
/* The same cache for what a view computes from other capabilities'
 * reads (choices, the calendar): bytes under a key at a version. */
bool pv_cache_get(struct arena *a, const char *key, long long version,
		  const char **data, size_t *len);
void pv_cache_put(const char *key, long long version, const void *data,
		  size_t len);
/* views_cache: whether pv_cache_get/put and the statements' results keep
 * anything. */
bool pv_cache_on(void);
/* The same cache, kept whatever views_cache says, for the reference data
 * every view reads before its own (the user's communes, the calendar, the
 * filter form's choices): small, read on every page, and as current as
 * the version; the lists and scorecards themselves follow views_cache. */
bool pv_ref_get(struct arena *a, const char *key, long long version,
		const char **data, size_t *len);
void pv_ref_put(const char *key, long long version, const void *data,
		size_t len);
void pv_cache_reset(void);

/* QUANTRI_TIMING=1 (read once): every statement of the views and the
 * phases of a page (pv_timing_note) print their time on stderr, one line
 * each: "timing 12.34 ms (cpu 11.02) sql SELECT ...": the wall time since
 * since_ms, and this thread's CPU time since its last pv_now_ms() (for a
 * statement: its own; SQLite's work, not PostgreSQL's). For profiling;
 * off by default. */
bool pv_timing(void);
double pv_now_ms(void); /* a monotonic clock, ms */
void pv_timing_note(const char *what, double since_ms, const char *detail);

/* The latest survey round, among rounds whose scope is one of the units,
 * that has submitted interviews; 0 when none. */
enum err pvdb_latest_round(struct db *db, struct arena *a,
			   const long long *scopes, int n, long long *round,
			   struct error *e);

/* ---- plan_urge.c ---- */

/* A reminder ("reminder") or an explanation request ("explanation") about
 * a task, to its lead unit: recorded, audited, and notified to the unit's
 * heads and to the task's responsible official. An explanation must be
 * answered by the 3rd working day after today (answer_due). The caller
 * checks the sender may urge. ERR_INVALID with fp filled for a bad kind or
 * message; ERR_NOTFOUND without the task; ERR_CONFLICT for a task done or
 * cancelled. */
enum err urge_send(struct db *db, struct arena *a, const struct actor *who,
		   long long task_id, const char *kind, const char *message,
		   long long *request_id, struct field_problems *fp,
		   struct error *e);
/* The request with its task: JSON {id, task_id, task_title, plan_unit_id,
 * unit_id, unit_name, kind, message, answer_due, sent_by, sent_at,
 * answer, answered_by, answered_at, responsible_user_id}. ERR_NOTFOUND. */
enum err urge_get(struct db *db, struct arena *a, long long request_id,
		  json_t **out, struct error *e);
/* Records the answer (who, when), audited; tells the sender. ERR_CONFLICT
 * when answered already; ERR_INVALID with fp for an empty or too long
 * answer. The caller checks the user may answer (urge_may_answer). */
enum err urge_answer(struct db *db, struct arena *a, const struct actor *who,
		     long long request_id, const char *answer,
		     struct field_problems *fp, struct error *e);
/* The urged unit's head, or the task's responsible official. */
enum err urge_may_answer(struct db *db, struct arena *a, long long user_id,
			 long long request_id, bool *may, struct error *e);

/* The SQL of plan_urge.c (plan_views_db.c). */
enum err pvdb_task_brief(struct db *db, struct arena *a, long long task_id,
			 struct db_result **out, struct error *e);
enum err pvdb_request_insert(struct db *db, struct arena *a, long long task_id,
			     long long unit_id, const char *kind,
			     const char *message, const char *answer_due,
			     long long sent_by, const char *sent_at,
			     long long *id, struct error *e);
enum err pvdb_request_get(struct db *db, struct arena *a, long long id,
			  struct db_result **out, struct error *e);
/* ERR_CONFLICT when it has an answer already. */
enum err pvdb_request_answer(struct db *db, struct arena *a, long long id,
			     const char *answer, long long user_id,
			     const char *at, struct error *e);
enum err pvdb_user_has_role(struct db *db, struct arena *a, long long user_id,
			    const char *role, long long unit_id, bool *has,
			    struct error *e);

#endif
