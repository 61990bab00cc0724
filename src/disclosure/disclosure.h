/* disclosure/: public disclosure (công khai) under Luật Thực hiện dân chủ ở
 * cơ sở 10/2022/QH15: the catalogue of items the commune must make public
 * (Điều 11, editable data), each disclosure with its channels, posting
 * dates, villages, loudspeaker days, files and PAPI links, the register
 * of a year with its problems, reminders to the office, and the public
 * page. Schema: migrations/<backend>/0011_disclosure.sql.
 *
 * Who may do what: the office and the chair keep the catalogue and record
 * and edit disclosures; a village head adds evidence to a disclosure that
 * went to their village; the vice chair, unit heads, officers, the front,
 * the inspection boards and the upper level read. Anyone reads the public
 * page. */
#ifndef DISCLOSURE_H
#define DISCLOSURE_H
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include "../base/arena.h"
#include "../base/calendar.h"
#include "../base/error.h"
#include "../base/problems.h"
#include "../base/xlsx.h"
#include "../plan/plan.h"

/* ---- disclosure.c: the model and its rules (no I/O) ---- */

enum {
	DISC_ITEMS_MAX = 100,
	DISC_LINKS_MAX = 16,
	DISC_VILLAGES_MAX = 64,
	DISC_DAYS_MAX = 92,   /* loudspeaker days of one record */
	DISC_TITLE_MAX = 500, /* bytes */
	DISC_TEXT_MAX = 4000, /* note, description */
	DISC_DEFAULT_MIN_DAYS = 30, /* Luật Tiếp cận thông tin 2016, Điều 21 */
	DISC_POSTING_MAX_DAYS = 3660,
};

/* Channels (Điều 13), as bits. DISC_VIA_VILLAGE is what an item may
 * require: any one of the four channels through the village heads. */
enum disc_channel {
	DISC_NOTICE_BOARD = 1 << 0,
	DISC_WEBSITE = 1 << 1,
	DISC_LOUDSPEAKER = 1 << 2,
	DISC_VILLAGE_MEETING = 1 << 3,
	DISC_WRITTEN_NOTICE = 1 << 4,
	DISC_TEXT_MESSAGE = 1 << 5,
	DISC_SOCIAL_NETWORK = 1 << 6,
	DISC_VIA_VILLAGE = 1 << 7,
};
#define DISC_VILLAGE_CHANNELS                                                  \
	(DISC_VILLAGE_MEETING | DISC_WRITTEN_NOTICE | DISC_TEXT_MESSAGE |      \
	 DISC_SOCIAL_NETWORK)
#define DISC_RECORD_CHANNELS 0x7fu /* what a record may name */
enum { DISC_NCHANNELS = 8 };
/* i-th channel (0..DISC_NCHANNELS-1): bit, key, Vietnamese label */
unsigned disc_channel_bit(int i);
const char *disc_channel_key(int i);
const char *disc_channel_label_vi(int i);
/* "notice_board,website" -> bits; false on an unknown key (*bad names it,
 * in the arena). Empty text is 0. Spaces around keys are ignored. */
bool disc_channels_parse(struct arena *a, const char *text, unsigned *bits,
			 const char **bad);
char *disc_channels_text(struct arena *a, unsigned bits);    /* keys */
char *disc_channels_text_vi(struct arena *a, unsigned bits); /* labels */

/* How often an item is due: on_event (never counted missing), yearly,
 * half_yearly, quarterly, monthly. Periods in a year: 0, 1, 2, 4, 12; -1
 * for an unknown key. */
int disc_frequency_periods(const char *frequency);
const char *disc_frequency_label_vi(const char *frequency);
/* The period of the item's year a day falls in (1-based; 0 for on_event
 * and yearly). */
int disc_period_of(const char *frequency, struct date d);
/* First and last day of a period (period 0: the whole year). */
void disc_period_bounds(const char *frequency, int year, int period,
			struct date *from, struct date *to);
/* "Năm 2026", "Quý 2/2026", "6 tháng đầu năm 2026", "Tháng 3/2026". */
char *disc_period_label_vi(struct arena *a, const char *frequency, int year,
			   int period);

struct disc_item {
	long long id;
	int no;
	const char *title, *description, *legal_basis, *frequency;
	bool wording_done, active;
	unsigned channels; /* required, with DISC_VIA_VILLAGE */
	int min_days, loudspeaker_days;
	const char *links[DISC_LINKS_MAX]; /* "D2" or "D2:2.2" */
	int nlinks;
};

struct disc_record {
	long long id, commune_id, item_id;
	int year, period;
	const char *title, *note;
	const char *posted_from, *posted_to; /* YYYY-MM-DD */
	unsigned channels;
	long long villages[DISC_VILLAGES_MAX];
	int nvillages;
	const char *days[DISC_DAYS_MAX]; /* loudspeaker days, YYYY-MM-DD */
	int ndays;
	const char *links[DISC_LINKS_MAX];
	int nlinks;
	/* when the chair or a vice-chair approved it for the public page;
	 * NULL: awaiting (disc_get) */
	const char *approved_at;
};

/* "D2", "D2:2.2", "D2:2.2.1": the indicator, when given, belongs to the
 * dimension (starts with its digit and a dot). */
bool disc_link_valid(const char *link);
/* "D2:2.2;D5" -> links (in the arena); false (with *bad) on a bad one or
 * more than DISC_LINKS_MAX. */
bool disc_links_parse(struct arena *a, const char *text, const char **links,
		      int *n, const char **bad);
char *disc_links_text(struct arena *a, const char *const *links, int n);

bool disc_item_validate(const struct disc_item *it, struct field_problems *fp);
/* Checks the record against its item: title, dates (posted_to not before
 * posted_from), the period fits the item's frequency and lies in the
 * year, channels chosen, villages named when a village channel is,
 * loudspeaker days only with the loudspeaker and within the posting. */
bool disc_record_validate(const struct disc_record *r,
			  const struct disc_item *it,
			  struct field_problems *fp);

/* Days posted, both ends counted (01/03..30/03 is 30 days). */
int disc_posted_days(const char *from, const char *to);
/* The longest run of consecutive days among days (any order, repeats). */
int disc_longest_run(const char *const *days, int n);

/* A record's problems, as bits, and the required channels it lacks. */
enum disc_problem {
	DISC_P_SHORT = 1 << 0,       /* posted fewer days than min_days */
	DISC_P_LOUDSPEAKER = 1 << 1, /* fewer consecutive broadcast days */
	DISC_P_CHANNEL = 1 << 2,     /* a required channel missing */
};
unsigned disc_record_problems(const struct disc_record *r,
			      const struct disc_item *it, unsigned *missing);
/* "short,loudspeaker,channel:website" (stored in disclosures.problems) */
char *disc_problems_text(struct arena *a, unsigned problems, unsigned missing);
/* The stored text as [{code, severity ("bad"), text_vi}] for a page:
 * "Niêm yết 20 ngày, ít hơn 30 ngày" needs the numbers, so the record's
 * posted days, run (-1: not known) and the item's minimums are given.
 * New ref. */
json_t *disc_problems_json(struct arena *a, const char *stored, int posted_days,
			   int run, int min_days, int loudspeaker_days);

/* Where an item stands in one period of a year on day `today`. */
enum disc_state {
	DISC_DONE,    /* disclosed */
	DISC_MISSING, /* the period is over and nothing was disclosed */
	DISC_DUE,     /* the period runs and nothing yet */
	DISC_FUTURE,  /* the period has not begun */
};
const char *disc_state_key(enum disc_state s);
/* count: disclosures of the item in this period. on_event items are
 * always DONE when count > 0 else FUTURE (nothing required). */
enum disc_state disc_period_state(const struct disc_item *it, int year,
				  int period, int count, struct date today);

/* ---- disclosure_db.c: storage, one transaction per change, audited ---- */

/* The catalogue by number: active only unless all. */
enum err disc_items_load(struct db *db, struct arena *a, bool all,
			 struct disc_item **items, int *n, struct error *e);
enum err disc_item_get(struct db *db, struct arena *a, long long id,
		       struct disc_item *out, struct error *e);
json_t *disc_item_json(struct arena *a, const struct disc_item *it);
/* Updates an item (its number, wording, channels, durations, frequency,
 * links, active) and recomputes the problems of its disclosures.
 * ERR_INVALID with fp; ERR_CONFLICT when the number is another item's. */
enum err disc_item_save(struct db *db, struct arena *a, const struct actor *who,
			struct disc_item *it, struct field_problems *fp,
			struct error *e);
/* The catalogue as CSV (header: no, title, description, wording_done,
 * channels, min_days, loudspeaker_days, frequency, links, legal_basis,
 * active). */
enum err disc_items_write_csv(FILE *f, const struct disc_item *items, int n,
			      struct error *e);
/* Parses the CSV; every bad row goes into p (nothing is returned then). */
enum err disc_items_parse_csv(struct arena *a, const char *data, size_t len,
			      struct disc_item **items, int *n,
			      struct problems *p, struct error *e);
/* Replaces the catalogue, all or nothing: items matched by number are
 * updated, new numbers added, numbers absent deactivated (never deleted:
 * disclosures name them). Problems recomputed. */
enum err disc_items_replace(struct db *db, struct arena *a,
			    const struct actor *who,
			    const struct disc_item *items, int n,
			    struct error *e);

/* Creates (r->id == 0) or updates a disclosure with its villages, days and
 * links; with files (checked again here) saved as attachments: doc under
 * owner "disclosure", evidence under "disclosure_evidence". ERR_INVALID
 * with fp. */
enum err disc_save(struct db *db, struct arena *a, const struct actor *who,
		   struct disc_record *r, const struct upload *const *docs,
		   int ndocs, const struct upload *const *evidence,
		   int nevidence, struct field_problems *fp, struct error *e);
enum err disc_get(struct db *db, struct arena *a, long long id,
		  struct disc_record *out, struct error *e);
/* Evidence added later (a village head's photo): audited. */
enum err disc_add_evidence(struct db *db, struct arena *a,
			   const struct actor *who, long long id,
			   const struct upload *const *files, int n,
			   struct field_problems *fp, struct error *e);
/* Deletes a disclosure and its files, audited. */
/* Approves a record for the public page (the caller checks the user is
 * the chair or a vice-chair); audited. An edit (disc_save) sets it back
 * to awaiting. */
enum err disc_approve(struct db *db, struct arena *a, const struct actor *who,
		      long long id, struct error *e);
enum err disc_delete(struct db *db, struct arena *a, const struct actor *who,
		     long long id, struct error *e);

struct disc_filter {
	long long commune_id;
	int year;              /* 0: use from/to */
	const char *from, *to; /* YYYY-MM-DD, posting overlaps; NULL: open */
	long long village_id;  /* 0: any */
	const char *dimension; /* "D2" or NULL */
	long long item_id;     /* 0: any */
	const char *q;         /* folded search text or NULL */
	bool problems_only;
	int page, per_page;
};
/* {total, page, pages, records: [{id, item_id, item_no, item_title,
 * year, period, period_vi, title, channels_vi, posted_from, posted_to,
 * posted_days, problems: [...], state ("ok" | "bad"), villages_vi}]} */
enum err disc_list(struct db *db, struct arena *a, const struct disc_filter *f,
		   json_t **out, struct error *e);
/* The register of a commune's year on day today: [{item..., periods:
 * [{period, label_vi, state, count}], records, problem_records,
 * missing}] for the active items (dimension: only those serving it). */
enum err disc_register(struct db *db, struct arena *a, long long commune_id,
		       int year, const char *dimension, struct date today,
		       json_t **out, struct error *e);
/* One disclosure as JSON for its page: the record, item, villages,
 * days, links, problems, files, evidence. */
enum err disc_json(struct db *db, struct arena *a, const struct disc_record *r,
		   json_t **out, struct error *e);
/* The filtered list (all pages) as a sheet with a header row. */
enum err disc_export_sheet(struct db *db, struct arena *a,
			   const struct disc_filter *f, struct sheet *out,
			   struct error *e);
/* disclosure_export.c: the filtered list as CSV or XLSX bytes. */
enum err disc_export(struct db *db, struct arena *a,
		     const struct disc_filter *f, bool xlsx,
		     unsigned char **bytes, size_t *len, const char **mime,
		     const char **filename, struct error *e);
/* Disclosures being posted on day (posted_from <= day <= posted_to),
 * of one commune (0: every one), newest first, for the public page:
 * [{id, commune_name, item_no,
 * item_title, title, posted_from, posted_to, channels_vi, files}]. No
 * personal data: no user names. */
enum err disc_public_list(struct db *db, struct arena *a, const char *day,
			  long long commune_id, int page, int per_page,
			  json_t **out, struct error *e);
/* Is disclosure id posted on day (its files then public)? Its commune. */
enum err disc_public_state(struct db *db, struct arena *a, long long id,
			   const char *day, bool *public_now,
			   long long *commune_id, struct error *e);
/* The communes among ids (one query): [{id, name, selected}], those in
 * force first. */
enum err disc_communes(struct db *db, struct arena *a, const long long *ids,
		       int n, long long selected, json_t **out,
		       struct error *e);
/* Villages of a commune: [{id, name}] in Vietnamese order. */
enum err disc_villages(struct db *db, struct arena *a, long long commune_id,
		       json_t **out, struct error *e);

/* The daily reminders for every commune with disclosures or an office on
 * day today: one notification to the office per problem (missing item of
 * a period begun, posting ending too early, loudspeaker too short, channel
 * missing), never twice. *sent: notifications made. */
enum err disc_remind(struct db *db, struct arena *a, struct date today,
		     int *sent, struct error *e);

/* The demo disclosures of Tiên Tiến (12424) for the current year. */
enum err disc_demo_seed(struct db *db, struct arena *a, struct error *e);

#endif
