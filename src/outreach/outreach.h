/* outreach/: the commune's communication activities (tuyên truyền) and
 * the news it publishes about its plan (part III.3 of the plan). Schema:
 * migrations/<backend>/0012_outreach.sql.
 *
 * An activity: a channel (the commune loudspeaker, a village meeting, a
 * mass organisation's meeting, leaflets, a Zalo group, a website post), a
 * topic from a small list the office edits, the PAPI dimensions and
 * indicators it aims at, the villages it reached, the day, the audience
 * counted, a note and evidence files. The coverage matrix counts them by
 * village, topic and month, and names the villages a campaign (a topic
 * with activities in the period) did not reach.
 *
 * Who may do what: the office, unit heads and officers record activities
 * of their commune; a village head records those of their own villages
 * only; the chair and vice chairs, the front, the inspection boards and
 * the upper level read. The office or the one who recorded it edits an
 * activity. The office edits the topics. News: the office, or a unit head
 * or officer of the culture–society unit, writes and publishes; the
 * public reads what is published. */
#ifndef OUTREACH_H
#define OUTREACH_H
#include <jansson.h>
#include <stdbool.h>
#include "../base/arena.h"
#include "../base/calendar.h"
#include "../base/error.h"
#include "../http/http.h"
#include "../people/people.h"
#include "../plan/plan.h"
#include "../store/db.h"

/* ---- outreach.c: the model and its rules (no I/O) ---- */

enum {
	OUTREACH_VILLAGES_MAX = 64, /* villages one activity names */
	OUTREACH_LINKS_MAX = 40,
	OUTREACH_TITLE_MAX = 300, /* bytes */
	OUTREACH_NOTE_MAX = 4000, /* bytes */
	OUTREACH_AUDIENCE_MAX = 1000000,
	OUTREACH_MONTHS_MAX = 60, /* a coverage period: five years at most */
	COVERAGE_VILLAGES_MAX = 500,
	COVERAGE_TOPICS_MAX = 200,
	NEWS_TITLE_MAX = 300,
	NEWS_BODY_MAX = 20000,
	NEWS_PARAGRAPHS_MAX = 200,
	OUTREACH_TOPIC_NAME_MAX = 200,
};

/* radio village_meeting mass_org_meeting leaflet zalo_group website_post */
extern const char *const outreach_channels[];
enum { OUTREACH_NCHANNELS = 6 };
/* "Loa truyền thanh xã", ...; NULL for an unknown key */
const char *outreach_channel_label_vi(const char *key);

struct outreach_activity {
	long long id, commune_id, topic_id;
	const char *channel, *held_on, *title, *note; /* held_on YYYY-MM-DD */
	long long audience;
	long long villages[OUTREACH_VILLAGES_MAX];
	int nvillages;
	const char *links[OUTREACH_LINKS_MAX]; /* "D5" or "D5:5.2.1" */
	int nlinks;
	long long created_by; /* 0: the command line */
};

/* Checks what needs no database: the channel, topic, day (a real day, not
 * after today, not before 2000), title, note, audience, at least one
 * village and no repeats, links "D1".."D8" with an optional ":indicator".
 * today: YYYY-MM-DD. false with problems added when any is wrong. */
bool outreach_validate(const struct outreach_activity *x, const char *today,
		       struct field_problems *fp);
/* "D5" or "D5:5.2.1" well formed; *dim gets "D5" (3 bytes). */
bool outreach_link_parse(const char *link, char dim[3], const char **indicator);

/* A period of whole days: a year, or from–to. */
struct outreach_period {
	struct date from, to;
};
/* year > 0: that year; else from and to (YYYY-MM-DD or dd/mm/yyyy; one
 * missing: the other's year's start or end); nothing given: the year of
 * today. false when a date is no date, from is after to, or the period
 * spans more than OUTREACH_MONTHS_MAX months (en says which). */
bool outreach_period_make(int year, const char *from, const char *to,
			  struct date today, struct outreach_period *out,
			  const char **en, const char **vi);
/* The calendar months the period touches (1..OUTREACH_MONTHS_MAX). */
int outreach_period_months(const struct outreach_period *p);
/* The month of d within the period, 0-based; -1 when d is outside. */
int outreach_month_index(const struct outreach_period *p, struct date d);
/* "11/2025" for month i of the period. */
char *outreach_month_label(struct arena *a, const struct outreach_period *p,
			   int i);

/* Activities counted by village, topic and day (a day in the month is
 * enough: the query groups by month and passes its first day). */
struct coverage_hit {
	int village, topic; /* indexes into the caller's lists */
	struct date day;
	long long count, audience;
};
/* villages x topics x months. A topic is a campaign of the period when at
 * least one activity of it falls in the period; a village is missed by a
 * campaign when none of that topic's activities reached it. Hits outside
 * the period or with a bad index are left out. */
struct coverage {
	int nvillages, ntopics, nmonths;
	long long *count, *audience; /* [(v * ntopics + t) * nmonths + m] */
	long long *vt_count;         /* [v * ntopics + t]: the period */
	long long *vt_audience;
	long long *v_count;  /* [v]: every topic, the period */
	long long *vm_count; /* [v * nmonths + m]: every topic */
	long long *t_count;  /* [t] */
	bool *campaign;      /* [t] */
	int *t_missed;       /* [t]: villages the campaign missed */
	long long total;     /* activities x villages in the period */
};
enum err coverage_build(struct arena *a, int nvillages, int ntopics,
			const struct outreach_period *p,
			const struct coverage_hit *hits, int nhits,
			struct coverage *out, struct error *e);
static inline bool coverage_missed(const struct coverage *c, int v, int t)
{
	return c->campaign[t] && c->vt_count[v * c->ntopics + t] == 0;
}

/* News: a title and a body of plain paragraphs. */
struct news_post {
	long long id, commune_id, author_id;
	const char *title, *body, *status, *published_on;
};
bool news_validate(const struct news_post *n, struct field_problems *fp);
/* The body cut at blank lines (single line breaks kept inside a
 * paragraph), each trimmed; at most NEWS_PARAGRAPHS_MAX. New ref. */
json_t *news_paragraphs(struct arena *a, const char *body);

/* ---- outreach_db.c: storage, one transaction per change, audited ---- */

/* The topics, in their order: [{id, code, name_vi, dimension, ord,
 * active}]; only active ones unless all. */
enum err outreach_topics(struct db *db, struct arena *a, bool all, json_t **out,
			 struct error *e);
/* Sets "activities" (how many were recorded, every commune) on each. */
enum err outreach_topic_counts(struct db *db, struct arena *a, json_t *topics,
			       struct error *e);
/* [{id, name (full), selected}] of these communes still in force (one
 * merged away is reached through its successor), Vietnamese order. */
enum err outreach_commune_names(struct db *db, struct arena *a,
				const long long *ids, int n, long long sel,
				json_t **out, struct error *e);
/* Adds (id 0) or edits a topic: name, dimension (NULL/"" none), order,
 * active. ERR_INVALID with fp filled. */
enum err outreach_topic_save(struct db *db, struct arena *a,
			     const struct actor *who, long long *id,
			     const char *name_vi, const char *dimension,
			     int ord, bool active, struct field_problems *fp,
			     struct error *e);

/* Creates (x->id 0) or updates an activity with its villages, links and
 * new evidence files (checked again by content and size, saved with owner
 * "outreach_activity"). The topic must exist (and be active for a new
 * one), the villages be villages of the commune, the indicators be in the
 * catalogue of the activity's year. No link given: the topic's dimension.
 * ERR_INVALID with fp filled; nothing changes on any error. */
enum err outreach_save(struct db *db, struct arena *a, const struct actor *who,
		       struct outreach_activity *x,
		       const struct upload *const *files, int nfiles,
		       struct field_problems *fp, struct error *e);
enum err outreach_get(struct db *db, struct arena *a, long long id,
		      struct outreach_activity *out, struct error *e);
/* The JSON of an activity for its page: fields, channel_vi, topic_vi,
 * villages [{id, name}], links [{code, dimension, indicator, name_vi}],
 * files, created_by_name. New ref in *out. */
enum err outreach_json(struct db *db, struct arena *a,
		       const struct outreach_activity *x, json_t **out,
		       struct error *e);

struct outreach_filter {
	const long long *communes;
	int ncommunes;
	long long village_id, topic_id;
	const char *dimension; /* "D1".."D8" or NULL */
	const char *channel;   /* a key or NULL */
	const char *from, *to; /* YYYY-MM-DD, inclusive, or NULL */
	const char *q;         /* searched without diacritics, or NULL */
	int page, per_page;    /* per_page 0: every row (exports; bounded) */
};
enum { OUTREACH_EXPORT_MAX = 200000 };
/* Newest first: {activities: [{id, held_on, channel, channel_vi, topic_vi,
 * title, audience, villages (names, ", "), nvillages, links ("D2, D5:5.2.1"),
 * nfiles}], total, page, pages, per_page, audience}. */
enum err outreach_list(struct db *db, struct arena *a,
		       const struct outreach_filter *f, json_t **out,
		       struct error *e);
/* The villages of a commune in force at some time in the period (a
 * village that ended before it or began after it is left out), in
 * Vietnamese order: [{id, name}]. */
enum err outreach_villages_of(struct db *db, struct arena *a,
			      long long commune_id,
			      const struct outreach_period *p, json_t **out,
			      struct error *e);
/* Activities of the communes in the period, grouped by village, topic and
 * month, with the filter's topic, dimension and channel (its dates, page
 * and q are not used): [{village_id, topic_id, month (YYYY-MM), n,
 * audience}] as a db_result. */
enum err outreach_coverage_rows(struct db *db, struct arena *a,
				const struct outreach_filter *f,
				const struct outreach_period *p,
				struct db_result **out, struct error *e);
/* The matrix of a commune for a period as JSON for the page and the API:
 * {months: [label], topics: [{id, name_vi, campaign, missed, count}],
 * villages: [{id, name, count, months: [{n, audience, label}], topics:
 * [{n, audience, missed}]}], gaps: [{topic, villages: [names]}], total}. */
enum err outreach_coverage(struct db *db, struct arena *a, long long commune,
			   const struct outreach_filter *f,
			   const struct outreach_period *p, json_t **out,
			   struct error *e);

/* News. news_save creates (n->id 0) or updates; a photo (image only) is
 * checked and saved with owner "news_post", replacing none (a post shows
 * its latest photo). news_publish sets status and published_on (today
 * when publishing for the first time). */
enum err news_save(struct db *db, struct arena *a, const struct actor *who,
		   struct news_post *n, const struct upload *photo,
		   struct field_problems *fp, struct error *e);
enum err news_publish(struct db *db, struct arena *a, const struct actor *who,
		      long long id, bool publish, struct error *e);
enum err news_get(struct db *db, struct arena *a, long long id,
		  struct news_post *out, struct error *e);
/* {posts: [{id, title, status, status_vi, published_on, created_at,
 * author_name, commune_name, excerpt, photo_id}], total, page, pages}:
 * communes NULL and published_only: the public list (every commune, or
 * commune_code's). */
enum err news_list(struct db *db, struct arena *a, const long long *communes,
		   int ncommunes, bool published_only, int page, int per_page,
		   json_t **out, struct error *e);
/* The id of the post's latest photo, 0 when none. */
long long news_photo_id(struct db *db, struct arena *a, long long post_id);

/* Units on which the user holds one of the roles (keys): ids in a. */
enum err outreach_user_units(struct db *db, struct arena *a, long long user_id,
			     const char *const *roles, int nroles,
			     long long **ids, int *n, struct error *e);
/* Is the unit the culture–society unit ("Văn hóa – Xã hội", by its folded
 * name)? */
bool outreach_unit_is_culture(struct db *db, struct arena *a, long long unit);

/* ---- demo (outreach_demo.c) ---- */

/* A year of activities in xã Tiên Tiến (some villages missed by a
 * campaign), and two news posts; does nothing the second time. */
enum err outreach_demo_seed(struct db *db, struct arena *a, struct error *e);

/* ---- routes (outreach_http.c, news_http.c) ----
 *   GET /outreach (list), GET /outreach/export.csv|.xlsx (the list's
 *   filters), GET|POST /outreach/new (multipart), GET /outreach/{id},
 *   GET|POST /outreach/{id}/edit, GET /outreach/coverage,
 *   GET|POST /outreach/topics
 *   GET /outreach/news, GET|POST /outreach/news/new,
 *   GET /outreach/news/{id}, GET|POST /outreach/news/{id}/edit,
 *   POST /outreach/news/{id}/publish; public: GET /citizen/news,
 *   GET /citizen/news/{id}, GET /citizen/news/{id}/photo */
void news_http_register(void);

#endif
