/* Command-line entry points, one per subcommand. Each returns the process
 * exit status: 0 ok, 1 failure (message on stderr, English), 2 usage. Each
 * handles --help itself. cfg is loaded from defaults, file, environment and
 * the global flags (--config, --db) before the command runs. */
#ifndef CLI_H
#define CLI_H
#include "base/config.h"

int http_cli_serve(struct config *cfg, int argc, char **argv);    /* http/ */
int http_cli_routes(struct config *cfg, int argc, char **argv);   /* http/ */
int store_cli_backup(struct config *cfg, int argc, char **argv);  /* store/ */
int store_cli_restore(struct config *cfg, int argc, char **argv); /* store/ */
/* One step of `quantri init`: before (the previous capability's init),
 * then, with --demo, seed on the database, failing with "quantri init:
 * <what>: <why>". Every capability's *_cli_init is one call of it. */
struct db;
struct arena;
struct error;
int store_cli_init_step(struct config *cfg, int argc, char **argv,
			int (*before)(struct config *, int, char **),
			enum err (*seed)(struct db *, struct arena *,
					 struct error *),
			const char *what);                      /* store/ */
int people_cli_init(struct config *cfg, int argc, char **argv); /* people/ */
int people_cli_user(struct config *cfg, int argc, char **argv); /* people/ */
int people_cli_unit(struct config *cfg, int argc, char **argv); /* people/ */
int people_cli_calendar(struct config *cfg, int argc,
			char **argv);                            /* people/ */
int index_cli_survey(struct config *cfg, int argc, char **argv); /* index/ */
int index_cli_papi(struct config *cfg, int argc, char **argv);   /* index/ */
int index_cli_interviews(struct config *cfg, int argc,
			 char **argv);                          /* index/ */
int index_cli_round(struct config *cfg, int argc, char **argv); /* index/ */
int notify_cli_mail(struct config *cfg, int argc, char **argv); /* notify/ */
/* people_cli_init, then the shipped PAPI catalogue (and, with --demo, the
 * official results): what `quantri init` runs. */
int index_cli_init(struct config *cfg, int argc, char **argv); /* index/ */
int plan_cli(struct config *cfg, int argc, char **argv);       /* plan/ */
/* index_cli_init, then (with --demo) the demo plans: `quantri init`. */
int plan_cli_init(struct config *cfg, int argc, char **argv); /* plan/ */
int voice_cli(struct config *cfg, int argc, char **argv);     /* voice/ */
/* plan_cli_init, then (with --demo) the demo cases. */
int voice_cli_init(struct config *cfg, int argc, char **argv); /* voice/ */
int disclosure_cli(struct config *cfg, int argc, char **argv); /* disclosure/ */
/* voice_cli_init, then (with --demo) the demo disclosures. */
int disclosure_cli_init(struct config *cfg, int argc, char **argv);
int outreach_cli(struct config *cfg, int argc, char **argv); /* outreach/ */
/* disclosure_cli_init, then (with --demo) the demo activities. */
int outreach_cli_init(struct config *cfg, int argc, char **argv);
int oversight_cli(struct config *cfg, int argc, char **argv); /* oversight/ */
/* outreach_cli_init, then (with --demo) the demo inspections. */
int oversight_cli_init(struct config *cfg, int argc, char **argv);
int report_cli(struct config *cfg, int argc, char **argv); /* report/ */
/* oversight_cli_init, then (with --demo) the demo reports: this is
 * `quantri init`. */
int report_cli_init(struct config *cfg, int argc, char **argv);

/* Route registration, called once at start by main(). */
void people_http_register(void);
void index_http_register(void);
void files_http_register(void);      /* files/: GET /files/{id} */
void notify_http_register(void);     /* notify/: /notifications, bell, jobs */
void plan_http_register(void);       /* plan/: plans, tasks, its views, bulk */
void voice_http_register(void);      /* voice/: cases, citizens, Open311 */
void disclosure_http_register(void); /* disclosure/: register, public list */
void outreach_http_register(void);   /* outreach/: activities, coverage, news */
void oversight_http_register(void);  /* oversight/: inspections, findings */
void report_http_register(void);     /* report/: dashboards, reports */
void interview_http_register(void);  /* index/, from index_http_register */
void shell_http_register(void);      /* http/: home, menu placeholders, login */

#endif
