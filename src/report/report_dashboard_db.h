/* The SQL of the dashboards (report_dashboard_http.c) that the figures do
 * not carry: which communes a province view lists, and where they sit. */
#ifndef REPORT_DASHBOARD_DB_H
#define REPORT_DASHBOARD_DB_H
#include "../store/db.h"

/* Every commune (kind 'commune') in force on `day` (YYYY-MM-DD): id,
 * code, name, full_name, type_vi, parent_name (its district or province),
 * ordered by id. The caller keeps those the user sees. */
enum err dashdb_communes_on(struct db *db, struct arena *a, const char *day,
			    struct db_result **out, struct error *e);

#endif
