/* voice/: citizens' voice (tiếp nhận và giải quyết). Feedback and petitions
 * (phản ánh, kiến nghị), complaints (khiếu nại) and denunciations (tố cáo),
 * from a citizen online (no account: a tracking code and a secret) or
 * keyed in by staff from paper, phone, a reception day, a village meeting
 * or the national portal; each runs the statutory clock of its type
 * (rules as data, migrations/<backend>/0010_voice.sql, table case_rules)
 * on the working-day calendar; answers are drafted by a unit and approved
 * by the chair or a vice chair before anyone sees them; the citizen reads
 * and rates the answer. Denouncers' identities are sealed (identity.c).
 * Also: the citizen reception schedule and register, public statistics,
 * and an Open311 GeoReport v2 endpoint.
 *
 * Files: voice.c (model, workflow, labels; pure), voice_clock.c (clocks;
 * pure), identity.c (libsodium sealing, key file), voice_db.c (all SQL),
 * voice_access.c (who sees what), voice_http.c (staff pages),
 * voice_public_http.c (citizen pages, public statistics), open311_http.c,
 * reception_http.c, voice_cli.c, voice_demo.c. Templates: templates/voice/.
 *
 * Who may do what:
 *   office           keys in cases, classifies, accepts, assigns, extends,
 *                    merges, publishes; sees every case of its communes
 *   chair/vice_chair see everything; approve or return answers; the chair
 *                    and the assigned handler see a denouncer's identity
 *   unit_head        sees the cases assigned to their unit; drafts answers,
 *                    records verification and dialogue
 *   officer          the same for the cases they handle (handler_id)
 *   front/inspection/upper  statistics and public pages only (read)
 *   anyone           submits online, follows a case with code + secret,
 *                    reads published answers and statistics
 * A denunciation's identity is never in lists, public pages, exports, logs
 * or notifications; each time it is shown, an audit row
 * "case.identity_view" is written. */
#ifndef VOICE_H
#define VOICE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "../base/arena.h"
#include "../base/calendar.h"
#include "../base/error.h"
#include "../http/http.h"
#include "../people/people.h"
#include "../plan/plan.h" /* struct field_problems, plan_user_communes */
#include "../store/db.h"

enum {
	CASE_BODY_MIN = 10,     /* characters (code points) */
	CASE_BODY_MAX = 5000,   /* characters */
	CASE_TITLE_MAX = 200,   /* characters */
	CASE_FILES_MAX = 5,     /* photos or PDFs per case or answer */
	CASE_CODE_LEN = 10,     /* "PA" + 8 characters of Crockford base32 */
	CASE_SECRET_LEN = 10,   /* Crockford base32: 50 bits */
	CASE_DUE_SOON_DAYS = 3, /* working days left: "sắp đến hạn" */
};

/* ---- voice.c: the model (no I/O) ---- */

/* case types: feedback petition complaint denunciation */
const char *case_type_label_vi(const char *type); /* "Phản ánh"; NULL unknown */
/* statuses: received accepted forwarded refused assigned verifying
 * dialogue answered closed merged */
const char *case_status_label_vi(const char *status); /* NULL unknown */
/* channels: online paper phone reception meeting portal open311 */
const char *case_channel_label_vi(const char *channel); /* NULL unknown */

/* Complaints and denunciations need the citizen's name and phone (or
 * address); feedback and petitions may be anonymous. */
bool case_type_needs_identity(const char *type);

/* The workflow: may a case of this type go from one status to another?
 *   received  -> accepted | forwarded | refused | merged
 *   accepted  -> assigned | merged
 *   assigned  -> verifying | answered | merged
 *   verifying -> dialogue (complaints only) | answered
 *   dialogue  -> answered
 *   answered  -> closed
 * "answered" is reached only through an approved answer. */
bool case_can_move(const char *type, const char *from, const char *to);

/* The step whose clock runs in a status, or NULL when none runs:
 * received -> "classify" (feedback, petition) or "accept" (complaint,
 * denunciation); accepted, assigned, verifying, dialogue -> "resolve";
 * also "resolve" for a received feedback/petition (its answer clock runs
 * from receipt). */
const char *case_current_step(const char *type, const char *status);

/* Open311: answered, closed, forwarded, refused, merged -> "closed"; the
 * rest "open". */
const char *case_open311_status(const char *status);

/* ---- voice_clock.c: the statutory clocks (pure) ---- */

struct case_rule {
	long long id;
	const char *case_type, *step,
		*start_event; /* start: received|accepted */
	const char *day_unit; /* working | calendar */
	int days, days_complex, days_remote, days_remote_complex; /* 0: none */
	int extension_days, max_extensions;
	const char *effective_from, *effective_to; /* to: NULL open-ended */
	const char *legal_basis;
	bool verified;
};
struct case_rules {
	struct case_rule *list;
	int n;
};

/* The rule for type and step in force on `day` (effective_from <= day <
 * effective_to), or NULL. */
const struct case_rule *case_rule_find(const struct case_rules *rules,
				       const char *type, const char *step,
				       struct date day);
/* A step's length in days: days, or days_complex when complexity > 0,
 * days_remote when remote, days_remote_complex when both (each falling
 * back to the shorter list when not set). */
int case_rule_length(const struct case_rule *r, int complexity, bool remote);
/* The due day: from `start`, the length plus extension_days_total, counted
 * in working days on cal (the n-th working day after start), or in
 * calendar days and then moved to the next working day if it lands on a
 * day off (rules.md: an unverified default). */
struct date case_due(const struct case_rule *r, const struct calendar *cal,
		     struct date start, int complexity, bool remote,
		     int extension_days_total);
/* Days left from today to due in the rule's unit (working days between
 * them for "working"); 0 on the due day; negative when overdue. */
int case_days_left(const struct case_rule *r, const struct calendar *cal,
		   struct date today, struct date due);
/* "overdue" (due < today), "due_soon" (at most CASE_DUE_SOON_DAYS working
 * days left), "on_track". */
const char *case_urgency(const struct calendar *cal, struct date today,
			 struct date due);
/* May one more extension be given? (n_before: extensions so far) */
bool case_rule_can_extend(const struct case_rule *r, int n_before);

/* ---- identity.c: a denouncer's identity, sealed ---- */

/* The key lives in a file outside the database: the config key
 * `secret_file` (var/secret.key; /var/lib/quantri/secret.key when
 * installed), made with mode 0600 and 32 random bytes on first use.
 * identity_use_key_file sets the file (the CLI commands call it with
 * cfg->secret_file; without it, as in `quantri serve`, the file is
 * http_config()->secret_file); the key is read (or made) at the first
 * seal or open, once per process. crypto_secretbox (XSalsa20-Poly1305); stored
 * as base64(nonce || box). ERR_CONFLICT from identity_open when the key is
 * not the one that sealed it (a lost key file: said plainly). */
enum err identity_use_key_file(const char *path, struct error *e);
enum err identity_seal(struct arena *a, const char *plaintext_json,
		       char **box_b64, struct error *e);
enum err identity_open(struct arena *a, const char *box_b64,
		       char **plaintext_json, struct error *e);

/* ---- voice_db.c: storage; each call one transaction, audited ---- */

struct voice_case {
	long long id, commune_id, topic_id, village_id; /* 0: none */
	long long unit_id, handler_id, merged_into, created_by;
	const char *code, *case_type, *channel, *portal_id, *title, *body;
	/* For a denunciation these are empty unless case_identity() filled
	 * them for a reader allowed to see them. */
	const char *citizen_name, *citizen_phone, *citizen_address;
	bool has_identity; /* a sealed identity exists */
	const char *status, *received_on, *accepted_on, *due_on, *answered_on;
	const char *closed_on, *forwarded_to, *refusal_reason;
	const char *rating, *rating_reason; /* NULL until rated */
	int complexity;                     /* 0, 1 complex, 2 especially */
	bool remote, published;
	double lat, lon; /* NAN when not given */
	const char *created_at, *updated_at;
	/* the names case_json shows, when the statement that read the case
	 * read them too (case_track: one statement fewer per view); NULL:
	 * case_json reads them */
	const struct case_names *names;
};

struct case_names {
	const char *topic, *topic_code, *dimension, *village, *unit, *handler;
	const char *commune, *merged_code;
};

/* A new case, with its files (images or PDFs, checked by content with
 * attachment_check, owner "case"). Checks type, topic, village (of the
 * commune), text length and UTF-8, the identity a type needs, the portal
 * id for channel "portal"; seals a denunciation's identity; makes the
 * code (unique) and the secret (*secret_out, shown once; only its hash
 * is stored); sets received_on (today, or c->received_on when staff key
 * in an earlier day) and due_on; writes the 'receive' event. Durable when
 * it returns ERR_OK. ERR_INVALID with fp filled. */
enum err case_create(struct db *db, struct arena *a, const struct actor *who,
		     struct voice_case *c, const struct upload *const *files,
		     int nfiles, const char **secret_out,
		     struct field_problems *fp, struct error *e);

/* One case; ERR_NOTFOUND. Never fills a denouncer's identity. */
enum err case_get(struct db *db, struct arena *a, long long id,
		  struct voice_case *out, struct error *e);
/* The citizen's view: ERR_NOTFOUND when the code is unknown OR the secret
 * wrong (the same answer and about the same time either way). A merged
 * case leads to the case it was merged into (*out), with *merged_from set
 * to the citizen's own code. */
enum err case_track(struct db *db, struct arena *a, const char *code,
		    const char *secret, struct voice_case *out,
		    const char **merged_from, struct error *e);
/* Fills c->citizen_* from the sealed identity and writes the audit row
 * "case.identity_view" (who, when). The caller checks voice_can_see_identity
 * first. */
enum err case_identity(struct db *db, struct arena *a, const struct actor *who,
		       struct voice_case *c, struct error *e);

/* A workflow step. kind: accept forward refuse assign verify dialogue
 * close. forward needs forwarded_to, refuse a reason, assign a unit (and
 * optionally a handler); accept may set complexity and remote; `on` is
 * the day it happened (NULL today; not before receipt, not in the
 * future). Moves the status (case_can_move), recomputes due_on, writes an
 * event and the audit row, notifies the assigned unit's head / handler
 * (never with a denouncer's identity). ERR_CONFLICT when the move is not
 * allowed from the current status; ERR_INVALID with fp. */
struct case_action {
	const char *kind, *note, *on;
	const char *forwarded_to, *reason;
	long long unit_id, handler_id;
	int complexity; /* -1: keep */
	int remote;     /* -1: keep */
};
enum err case_act(struct db *db, struct arena *a, const struct actor *who,
		  long long case_id, const struct case_action *act,
		  struct field_problems *fp, struct error *e);

/* An extension in writing (reason and document required); allowed while
 * the step's rule allows one more (case_rule_can_extend); moves due_on. */
enum err case_extend(struct db *db, struct arena *a, const struct actor *who,
		     long long case_id, int days, const char *reason,
		     const char *document, const char *decided_on,
		     struct field_problems *fp, struct error *e);

/* Merges `dup` into `into` (same commune; both open): dup becomes
 * "merged", its citizen follows `into` with their own code. */
enum err case_merge(struct db *db, struct arena *a, const struct actor *who,
		    long long dup, long long into, struct field_problems *fp,
		    struct error *e);

/* Open cases like this one (same commune, village and topic, not closed
 * or merged), most similar text first (shared folded words), at most
 * max: [{id, code, title, received_on, status, status_vi, score}].
 * case_id 0 for a case being entered (text given). */
enum err case_similar(struct db *db, struct arena *a, long long commune_id,
		      long long village_id, long long topic_id,
		      const char *text, long long case_id, int max,
		      json_t **out, struct error *e);

/* Answers: the unit drafts (and submits when submit), the chair or a vice
 * chair approves (the case becomes "answered", answered_on today, due_on
 * cleared) or returns it with a note saying why (required). Files: owner
 * "case_answer". */
enum err case_answer_save(struct db *db, struct arena *a,
			  const struct actor *who, long long case_id,
			  const char *body, bool submit,
			  const struct upload *const *files, int nfiles,
			  long long *answer_id, struct field_problems *fp,
			  struct error *e);
enum err case_answer_review(struct db *db, struct arena *a,
			    const struct actor *who, long long answer_id,
			    bool approve, const char *note,
			    struct field_problems *fp, struct error *e);
/* Shows (or hides) an answered feedback or petition, without personal
 * data, on the public page. Complaints and denunciations: ERR_CONFLICT. */
enum err case_publish(struct db *db, struct arena *a, const struct actor *who,
		      long long case_id, bool published, struct error *e);
/* The citizen rates an answered case (code + secret): satisfied or
 * unsatisfied, with a reason (required when unsatisfied). Once. */
enum err case_rate(struct db *db, struct arena *a, const char *code,
		   const char *secret, const char *rating, const char *reason,
		   struct field_problems *fp, struct error *e);

/* JSON for the pages (no identity, no submitter address): the case with
 * labels (type_vi, status_vi, channel_vi, topic_vi, village_name,
 * unit_name, handler_name, due state: urgency, days_left), its events
 * (public_only: only what the citizen may read), answers (public_only:
 * the approved one), files. New ref. */
enum err case_json(struct db *db, struct arena *a, const struct voice_case *c,
		   bool public_only, json_t **out, struct error *e);

struct case_filter {
	const long long *communes; /* the user's communes */
	int ncommunes;
	long long unit_id, handler_id, village_id, topic_id; /* 0: any */
	const char *case_type, *status; /* NULL: any; status also "open" */
	const char *urgency;            /* "overdue", "due_soon", NULL */
	const char *from, *to;          /* received_on range, NULL: open */
	const char *q;                  /* folded search in title and body */
	int page, per_page;
	/* (report:) leave merged cases out, as voice_stats counts them */
	bool no_merged;
};
/* {cases: [...case summaries...], total, page, pages}. */
enum err case_list(struct db *db, struct arena *a, const struct case_filter *f,
		   const struct calendar *cal, json_t **out, struct error *e);

/* Statistics for the public page and the index/plan: cases by type, topic,
 * village, month of receipt; answered, answered on time (answered_on <=
 * the due day of the resolve step), overdue, per unit; per PAPI dimension
 * (through the topic): raised, answered, median days to answer.
 * {by_type, by_topic, by_village, by_month, by_unit, by_dimension,
 * total, answered, on_time, on_time_pct}. */
enum err voice_stats(struct db *db, struct arena *a, const long long *communes,
		     int ncommunes, const char *from, const char *to,
		     json_t **out, struct error *e);

/* Topics (active), rules (all, with effective dates), answer templates. */
enum err voice_topics(struct db *db, struct arena *a, json_t **out,
		      struct error *e);
enum err voice_rules_load(struct db *db, struct arena *a,
			  struct case_rules *out, struct error *e);
enum err voice_templates(struct db *db, struct arena *a, long long commune_id,
			 long long topic_id, json_t **out, struct error *e);

/* Reception (tiếp công dân): sessions of a commune between from and to,
 * each with its visits; a session; a visit (optionally opening a case,
 * whose id is stored with the visit). */
struct reception_session {
	long long id, commune_id, host_id;
	const char *held_on, *starts, *ends, *place, *host_name, *kind, *note;
};
enum err reception_save(struct db *db, struct arena *a, const struct actor *who,
			struct reception_session *s, struct field_problems *fp,
			struct error *e);
enum err reception_list(struct db *db, struct arena *a, long long commune_id,
			const char *from, const char *to, json_t **out,
			struct error *e);
struct reception_visit {
	long long id, session_id, village_id, case_id;
	const char *visitor_name, *visitor_phone, *visitor_address, *summary;
};
enum err reception_visit_add(struct db *db, struct arena *a,
			     const struct actor *who, struct reception_visit *v,
			     struct field_problems *fp, struct error *e);

/* ---- voice_access.c: who sees what (the table above) ---- */

bool voice_can_manage(const struct request *req);  /* office */
bool voice_can_approve(const struct request *req); /* chair, vice chair */
/* May the request's user see this case (commune and role, or assigned)? */
bool voice_can_see(struct request *req, const struct voice_case *c);
/* May they draft its answer, record verification/dialogue? */
bool voice_can_handle(struct request *req, const struct voice_case *c);
/* The chair of the case's commune, and its assigned handler. */
bool voice_can_see_identity(struct request *req, const struct voice_case *c);
/* The commune a page works in, among the user's communes ids[0..n)
 * (plan_user_communes): `want` when it is one of them, else the commune
 * of the user's own unit when it is one of them (the list also holds the
 * communes merged into it), else the last; 0 when n is 0. */
long long voice_pick_commune(struct request *req, const long long *ids, int n,
			     long long want);

/* ---- registration, demo ---- */

/* Staff pages, citizen pages, Open311, reception; the "case" and
 * "case_answer" attachment owners. Called from main(). */
void voice_http_register(void);
/* Demo cases for the demo commune (every type and status, some overdue on
 * 27/11/2026, one published answer); nothing when already there. */
enum err voice_demo_seed(struct db *db, struct arena *a, struct error *e);

/* added by CORE: */
/* The rules and the working-day calendar the clocks run on, as copies in
 * the arena (a per-process cache refreshed every few seconds, so a page
 * or a submission does not read them from the database each time). cal
 * lives in the arena: never calendar_set or calendar_release it. */
enum err voice_clock_context(struct db *db, struct arena *a,
			     struct case_rules *rules, struct calendar *cal,
			     struct error *e);

/* A case by its tracking code (staff and the CLI: no secret asked);
 * ERR_NOTFOUND. Never fills a denouncer's identity. */
enum err case_get_by_code(struct db *db, struct arena *a, const char *code,
			  struct voice_case *out, struct error *e);

/* added by RULES (voice_settings_db.c; voice_clock_forget in voice_db.c): */
#include "../base/problems.h"
/* Reads a clocks CSV (header: the case_rules columns case_type, step,
 * start_event, days, day_unit, days_complex, days_remote,
 * days_remote_complex, extension_days, max_extensions, effective_from,
 * effective_to, legal_basis, verified) and checks every row: known type,
 * step (of that type), start event and unit; days positive integers;
 * effective_to after effective_from; no two rules of one type and step in
 * force on one day; every type's steps with a rule in force on `today`.
 * Each problem goes to p (line, column, English and Vietnamese reason);
 * out holds the rules (in the arena) only when p->n is 0. */
enum err voice_rules_parse_csv(struct arena *a, const char *data, size_t len,
			       struct date today, struct case_rules *out,
			       struct problems *p, struct error *e);
/* The rules as that CSV (header first, CRLF). */
enum err voice_rules_write_csv(FILE *f, const struct case_rules *r,
			       struct error *e);
/* Replaces every rule with r in one transaction, audited
 * "voice.rules_import" ({rules: before count} -> {rules: after count}),
 * and makes this process's clock cache forget the old set. */
enum err voice_rules_replace(struct db *db, struct arena *a,
			     const struct actor *who,
			     const struct case_rules *r, struct error *e);
/* The next voice_clock_context reads rules and calendar afresh (after a
 * change in this process; other processes see it within seconds). */
void voice_clock_forget(void);

#endif
