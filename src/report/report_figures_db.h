/* The SQL of report_figures.c that no capability has a function for:
 * survey rounds with answers, and the province dashboard's counts, each
 * one statement over all the communes asked (report_province_figures must
 * not loop over communes with queries). Portable SQL, $1.. params. */
#ifndef REPORT_FIGURES_DB_H
#define REPORT_FIGURES_DB_H
#include "../store/db.h"

enum { RFDB_MAX_IDS = 5000 };

/* Rounds whose scope is one of scopes, of a year in [min_year, max_year],
 * with submitted interviews: id, year, scope_unit_id, newest year first
 * (then newest round). */
enum err rfdb_rounds(struct db *db, struct arena *a, const long long *scopes,
		     int n, int min_year, int max_year, struct db_result **out,
		     struct error *e);
/* Rounds of the year scoped above communes (a district's or a province's
 * round surveys communes among their peers), with submitted interviews:
 * id, scope_unit_id, newest first. */
enum err rfdb_peer_rounds(struct db *db, struct arena *a, int year,
			  struct db_result **out, struct error *e);
/* id, code, name, parent_id, sort_key of these units. */
enum err rfdb_units(struct db *db, struct arena *a, const long long *ids, int n,
		    struct db_result **out, struct error *e);
/* Per commune: commune_id, overdue: cases received in [from, to] (not
 * merged) past their due day on today, voice_stats' rule. */
enum err rfdb_cases_overdue(struct db *db, struct arena *a,
			    const long long *communes, int n, const char *from,
			    const char *to, const char *today,
			    struct db_result **out, struct error *e);
/* Per commune, item and period of the year: commune_id, item_id, period,
 * n (disclosures), disc_register's counts. */
enum err rfdb_disclosure_counts(struct db *db, struct arena *a,
				const long long *communes, int n, int year,
				struct db_result **out, struct error *e);
/* Per commune: commune_id, findings: findings with a recommendation still
 * open (not verified, its task not done: oversight's "open"), of
 * inspections begun by `to`. */
enum err rfdb_open_findings(struct db *db, struct arena *a,
			    const long long *communes, int n, const char *to,
			    struct db_result **out, struct error *e);

#endif
