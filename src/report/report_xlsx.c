/* Being written. */
#include "report.h"
#include "../base/banned.h"

enum err report_xlsx(struct arena *a, const json_t *doc, char **out,
		     size_t *len, struct error *e)
{
	return error_set(e, ERR_INTERNAL, "report xlsx: not written yet");
}
