/* A task's state on a day (urgency.h). */
#include <string.h>
#include "urgency.h"
#include "../base/banned.h"

static const struct {
	const char *key, *label_vi, *css;
} states[TASK_NSTATES] = {
	[TASK_OPEN] = {"open", "Đang thực hiện", "open"},
	[TASK_NOT_YET] = {"not_yet", "Chưa đến ngày bắt đầu", "not-yet"},
	[TASK_DUE_SOON] = {"due_soon", "Sắp đến hạn", "due-soon"},
	[TASK_OVERDUE] = {"overdue", "Quá hạn", "overdue"},
	[TASK_DONE_ON_TIME] = {"done_on_time", "Hoàn thành đúng hạn", "done"},
	[TASK_DONE_LATE] = {"done_late", "Hoàn thành trễ hạn", "done-late"},
	[TASK_CANCELLED] = {"cancelled", "Đã hủy", "cancelled"},
};

void urgency_init(struct urgency *u, const struct calendar *cal,
		  struct date today)
{
	u->today = today;
	date_format_iso(today, u->today_iso);
	u->soon =
		calendar_add_days(cal, today, URGENCY_SOON_WORKING_DAYS, true);
	date_format_iso(u->soon, u->soon_iso);
}

static bool parse(const char *s, struct date *d)
{
	return s && *s && date_parse_iso(s, d);
}

enum task_state urgency_state(const struct urgency *u, const char *status,
			      const char *start_on, const char *due_on,
			      const char *done_on)
{
	status = status ? status : "";
	if (!strcmp(status, "cancelled"))
		return TASK_CANCELLED;
	struct date due, done, start;
	bool has_due = parse(due_on, &due);
	if (!strcmp(status, "done")) {
		if (has_due && parse(done_on, &done) &&
		    date_to_days(done) > date_to_days(due))
			return TASK_DONE_LATE;
		return TASK_DONE_ON_TIME;
	}
	if (has_due) {
		long d = date_to_days(due);
		if (d < date_to_days(u->today))
			return TASK_OVERDUE;
		if (d <= date_to_days(u->soon))
			return TASK_DUE_SOON;
	}
	if (parse(start_on, &start) &&
	    date_to_days(start) > date_to_days(u->today))
		return TASK_NOT_YET;
	return TASK_OPEN;
}

const char *task_state_key(enum task_state s)
{
	return (unsigned)s < TASK_NSTATES ? states[s].key : "open";
}

bool task_state_from_key(const char *key, enum task_state *out)
{
	for (int i = 0; key && i < TASK_NSTATES; i++)
		if (!strcmp(key, states[i].key)) {
			*out = (enum task_state)i;
			return true;
		}
	return false;
}

const char *task_state_label_vi(enum task_state s)
{
	return (unsigned)s < TASK_NSTATES ? states[s].label_vi : "";
}

const char *task_state_class(enum task_state s)
{
	return (unsigned)s < TASK_NSTATES ? states[s].css : "open";
}

long urgency_days_between(const char *a_iso, const char *b_iso)
{
	struct date a, b;
	if (!parse(a_iso, &a) || !parse(b_iso, &b))
		return 0;
	return date_to_days(b) - date_to_days(a);
}
