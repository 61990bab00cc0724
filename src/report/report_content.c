/* Being written. */
#include "report.h"
#include "../base/banned.h"

enum err report_build(struct arena *a, const struct report_spec *spec,
		      const json_t *figures, json_t **doc, struct error *e)
{
	return error_set(e, ERR_INTERNAL, "report build: not written yet");
}
