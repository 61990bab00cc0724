/* SQL of the dashboards (report_dashboard_db.h). */
#include "report_dashboard_db.h"
#include "../base/banned.h"

enum err dashdb_communes_on(struct db *db, struct arena *a, const char *day,
			    struct db_result **out, struct error *e)
{
	return db_exec(db, a,
		       "SELECT u.id, u.code, u.name, u.full_name, u.type_vi, "
		       "u.sort_key, COALESCE(p.name, '') AS parent_name, "
		       "COALESCE(p.sort_key, '') AS parent_sort "
		       "FROM units u LEFT JOIN units p ON p.id = u.parent_id "
		       "WHERE u.kind = 'commune' "
		       "AND (u.valid_from IS NULL OR u.valid_from <= $1) "
		       "AND (u.valid_to IS NULL OR u.valid_to >= $1) "
		       "ORDER BY u.id",
		       DB_PARAMS(day), out, e);
}
