/* people/: units (with merges and their history), users and their roles
 * scoped to units, passwords, login with throttling, API tokens, the audit
 * log, the calendar kept in the database, unit import and the demo.
 *
 * Other capabilities use: audit_record/audit_request (every change they
 * make), units_lineage (compare a unit across mergers), calendar_db_load
 * (the working-day calendar for legal clocks).
 *
 * Every function that changes data takes the actor (who does it), runs in
 * one transaction and writes its audit row in that same transaction. On bad
 * input it returns ERR_INVALID with an English message in e and, when
 * `errors` is not NULL, one Vietnamese message per form field in it. */
#ifndef PEOPLE_H
#define PEOPLE_H
#include <jansson.h>
#include <stdbool.h>
#include "../base/arena.h"
#include "../base/calendar.h"
#include "../base/error.h"
#include "../store/db.h"

struct request;

/* Who makes a change: the logged-in user, or the command line. */
struct actor {
	long long user_id;       /* 0: nobody logged in (CLI, import at init) */
	const char *username;    /* "cli" on the command line */
	const char *remote_addr; /* "" on the command line */
};
extern const struct actor actor_cli;

/* ---- audit.c: the append-only log ---- */

/* before/after: JSON objects (borrowed, may be NULL); stored compact with
 * sorted keys so the page can show a field-by-field difference. */
enum err audit_record(struct db *db, struct arena *a, long long user_id,
		      const char *username, const char *remote_addr,
		      const char *action, const char *entity,
		      const char *entity_id, json_t *before, json_t *after,
		      struct error *e);
enum err audit_actor(struct db *db, struct arena *a, const struct actor *who,
		     const char *action, const char *entity,
		     long long entity_id, json_t *before, json_t *after,
		     struct error *e);
/* The same with the request's user and address. */
enum err audit_request(struct request *req, const char *action,
		       const char *entity, const char *entity_id,
		       json_t *before, json_t *after, struct error *e);

struct audit_filter {
	const char *username; /* exact, or NULL */
	const char *entity;   /* 'user', 'unit', ... or NULL */
	const char *action; /* prefix: "user" matches user.create..., or NULL */
	const char *from,
		*to;  /* YYYY-MM-DD, Vietnam days, inclusive, or NULL */
	int page;     /* from 1 */
	int per_page; /* 1..200 */
};
/* Rows newest first: id, at, username, action, entity, entity_id, before,
 * after (parsed), changes [{field, label, before, after}]. New ref. */
enum err audit_list(struct db *db, struct arena *a,
		    const struct audit_filter *f, json_t **rows,
		    long long *total, struct error *e);
/* Field-by-field difference of two objects: [{field, label, before, after}]
 * for the keys whose values differ. New ref. */
json_t *audit_diff(json_t *before, json_t *after);

/* ---- units.c ---- */

struct unit {
	long long id;
	const char *code; /* statistics office code, NULL for villages */
	const char *kind; /* province, district, commune, village, unit */
	const char *type_vi; /* Tỉnh, Huyện, Xã, Phường, Thôn, Bộ phận... */
	const char *name;                  /* "Minh Tiến" */
	const char *full_name;             /* "Xã Minh Tiến" */
	long long parent_id;               /* 0: none */
	const char *valid_from, *valid_to; /* YYYY-MM-DD, NULL: open */
	long long successor_id;            /* 0: none */
	long long population;              /* -1: unknown */
	const char *note;
};

/* The JSON of a unit, for pages, the API and audit rows. New ref. */
json_t *unit_json(const struct unit *u);
enum err units_get(struct db *db, struct arena *a, long long id,
		   struct unit *out, struct error *e);
/* A unit by code. valid_from NULL: the unit whose validity starts before
 * records (the old snapshot); else the one starting that day. kind NULL:
 * any kind. ERR_NOTFOUND if none. */
enum err units_by_code(struct db *db, struct arena *a, const char *code,
		       const char *kind, const char *valid_from,
		       struct unit *out, struct error *e);
/* A unit by statistics code (the one in force, else the latest), or by id
 * when no unit has that code: for the command line. */
enum err units_find(struct db *db, struct arena *a, const char *code_or_id,
		    struct unit *out, struct error *e);
/* Fills in full_name from type_vi and name when empty; checks the fields,
 * the parent and the code; inserts; records the event and the audit row. */
enum err units_create(struct db *db, struct arena *a, const struct actor *who,
		      struct unit *u, json_t *errors, struct error *e);
/* Changes name, type, full name, code, parent, dates, population, note. */
enum err units_edit(struct db *db, struct arena *a, const struct actor *who,
		    struct unit *u, json_t *errors, struct error *e);
/* Predecessors end the day before `date` (YYYY-MM-DD) and name the
 * successor; their villages move to the successor. */
enum err units_merge(struct db *db, struct arena *a, const struct actor *who,
		     const long long *predecessors, int n, long long successor,
		     const char *date, const char *note, json_t *errors,
		     struct error *e);
/* Every unit, ordered for a tree (parents before children, Vietnamese
 * order among siblings) with depth and display fields. New ref. */
enum err units_tree(struct db *db, struct arena *a, json_t **out,
		    struct error *e);
/* The unit, every unit it descends from by merger (predecessors, theirs...)
 * and every unit it merged into: the set of ids whose records compare with
 * this unit's over time. ids in the arena, the unit itself first. */
enum err units_lineage(struct db *db, struct arena *a, long long id,
		       long long **ids, int *n, struct error *e);
/* History for the unit page: events, predecessors, successor chain. */
enum err units_history(struct db *db, struct arena *a, long long id,
		       json_t **out, struct error *e);

/* Same as the above without their own transaction, for the import. */
enum err units_create_in(struct db *db, struct arena *a,
			 const struct actor *who, struct unit *u,
			 json_t *errors, struct error *e);
enum err units_edit_in(struct db *db, struct arena *a, const struct actor *who,
		       struct unit *u, json_t *errors, struct error *e);
enum err units_merge_in(struct db *db, struct arena *a, const struct actor *who,
			const long long *predecessors, int n,
			long long successor, const char *date, const char *note,
			json_t *errors, struct error *e);

/* ---- unit_import.c ---- */

enum { IMPORT_MAX_ERRORS = 1000 };
struct import_line_error {
	int line;
	const char *msg_en, *msg_vi;
};
struct import_report {
	const char *format; /* "gso-old", "new-2025", "nq1666", "old-to-new" */
	int created, updated, merged, unchanged;
	struct import_line_error *errors; /* in the arena */
	int nerrors;
};
/* Detects the format by its header and imports it in one transaction: with
 * any bad line nothing changes and report lists every bad line (ERR_INVALID). */
enum err unit_import(struct db *db, struct arena *a, const struct actor *who,
		     const char *csv, size_t len, struct import_report *rep,
		     struct error *e);

/* ---- password.c ---- */

enum {
	PASSWORD_MIN_CHARS = 8,
	PASSWORD_MAX_BYTES = 256,
	PASSWORD_HASH_MAX = 128
};
/* argon2id string; out has PASSWORD_HASH_MAX bytes. */
enum err password_hash(const char *password, char *out, struct error *e);
bool password_verify(const char *hash, const char *password);
/* Costs what a verify costs, for users that do not exist. */
void password_dummy_verify(const char *password);
/* NULL if acceptable, else the Vietnamese reason. */
const char *password_policy_vi(const char *password);
/* A temporary password people can type: 12 characters, no look-alikes. */
enum err password_generate(char out[13], struct error *e);

/* ---- users.c ---- */

struct user_input {
	const char *username, *full_name, *email, *phone;
	const char *password; /* create: NULL generates a temporary one */
};
/* JSON of a user without secrets, with roles [{id, role, label, unit_id,
 * unit_name}]. */
enum err users_get(struct db *db, struct arena *a, long long id, json_t **out,
		   struct error *e);
enum err users_by_username(struct db *db, struct arena *a, const char *username,
			   long long *id, struct error *e);
struct user_filter {
	const char *role;  /* role key or NULL */
	long long unit_id; /* 0: any */
	int active;        /* -1 any, 0, 1 */
	const char *q;     /* folded substring of name or username, or NULL */
};
/* Vietnamese order by given name. New ref. */
enum err users_list(struct db *db, struct arena *a, const struct user_filter *f,
		    json_t **out, struct error *e);
/* *temp_password: the generated one when in->password was NULL (must be
 * changed at first login), else NULL. */
enum err users_create(struct db *db, struct arena *a, const struct actor *who,
		      const struct user_input *in, bool must_change,
		      long long *id, const char **temp_password, json_t *errors,
		      struct error *e);
enum err users_edit(struct db *db, struct arena *a, const struct actor *who,
		    long long id, const struct user_input *in, json_t *errors,
		    struct error *e);
/* Disabling also ends the user's sessions and revokes nothing else. */
enum err users_set_active(struct db *db, struct arena *a,
			  const struct actor *who, long long id, bool active,
			  struct error *e);
/* An administrator's reset: a new temporary password, to be changed at
 * next login; every session of the user ends. */
enum err users_reset_password(struct db *db, struct arena *a,
			      const struct actor *who, long long id,
			      const char **temp_password, struct error *e);
/* Sets a password without knowing the old one (CLI `user passwd`). */
enum err users_set_password(struct db *db, struct arena *a,
			    const struct actor *who, long long id,
			    const char *password, json_t *errors,
			    struct error *e);
/* The user's own change: old password checked. */
enum err users_change_password(struct db *db, struct arena *a,
			       const struct actor *who, long long id,
			       const char *old_password,
			       const char *new_password, json_t *errors,
			       struct error *e);
enum err users_role_add(struct db *db, struct arena *a, const struct actor *who,
			long long user_id, const char *role, long long unit_id,
			json_t *errors, struct error *e);
enum err users_role_remove(struct db *db, struct arena *a,
			   const struct actor *who, long long user_id,
			   long long role_id, struct error *e);

/* ---- tokens.c: API tokens, shown once, stored as SHA-256 ---- */
enum err tokens_create(struct db *db, struct arena *a, const struct actor *who,
		       long long user_id, const char *name, const char **token,
		       json_t *errors, struct error *e);
enum err tokens_revoke(struct db *db, struct arena *a, const struct actor *who,
		       long long user_id, long long token_id, struct error *e);
enum err tokens_list(struct db *db, struct arena *a, long long user_id,
		     json_t **out, struct error *e);

/* ---- login.c ---- */
struct login_limits {
	int max_per_user, max_per_addr; /* failures in LOGIN_WINDOW_SECONDS */
};
enum { LOGIN_WINDOW_SECONDS = 15 * 60 };
/* ERR_OK and *user_id; ERR_AUTH for an unknown user, a disabled user or a
 * wrong password alike (same time spent); ERR_THROTTLED past the limits. */
enum err login_verify(struct db *db, struct arena *a,
		      const struct login_limits *lim, const char *username,
		      const char *password, const char *remote_addr,
		      long long *user_id, struct error *e);

/* ---- calendar_db.c ---- */
/* The calendar kept in calendar_days. */
enum err calendar_db_load(struct db *db, struct arena *a, struct calendar *c,
			  struct error *e);
/* Fills calendar_days from the shipped data/holidays.csv when it is empty;
 * *added: rows added. */
enum err calendar_db_seed(struct db *db, struct arena *a, int *added,
			  struct error *e);
/* Rows {day, kind, name, source} of one year, ordered. New ref. */
enum err calendar_db_year(struct db *db, struct arena *a, int year,
			  json_t **out, struct error *e);
/* kind "off" or "work". */
enum err calendar_db_set(struct db *db, struct arena *a,
			 const struct actor *who, const char *day,
			 const char *kind, const char *name, json_t *errors,
			 struct error *e);
enum err calendar_db_remove(struct db *db, struct arena *a,
			    const struct actor *who, const char *day,
			    struct error *e);

/* ---- settings ---- */
const char *people_setting_get(struct db *db, struct arena *a, const char *key);
enum err people_setting_set(struct db *db, struct arena *a,
			    const struct actor *who, const char *key,
			    const char *value, struct error *e);

/* ---- search ---- */
/* Units and users whose folded name contains the folded query. New ref:
 * {"units": [...], "users": [...]}. */
enum err people_search(struct db *db, struct arena *a, const char *q,
		       json_t **out, struct error *e);

/* ---- demo.c ---- */
struct demo_login {
	const char *username, *full_name, *role, *unit;
};
extern const struct demo_login demo_logins[];
extern const int demo_nlogins;
/* Seeds the demo commune; *created false when it was already there. */
enum err demo_seed(struct db *db, struct arena *a, bool *created,
		   struct error *e);

#endif
