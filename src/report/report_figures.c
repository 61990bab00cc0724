/* Being written. */
#include "report.h"
#include "../base/banned.h"

enum err report_figures(struct db *db, struct arena *a, long long commune_id,
			const char *from, const char *to, json_t **out,
			struct error *e)
{
	return error_set(e, ERR_INTERNAL, "report figures: not written yet");
}

enum err report_province_figures(struct db *db, struct arena *a,
				 const long long *communes, int n, int year,
				 json_t **out, struct error *e)
{
	return error_set(e, ERR_INTERNAL, "province figures: not written yet");
}
