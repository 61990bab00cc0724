/* Scorecard scores and periods (scorecard.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "scorecard.h"
#include "../base/text.h"
#include "../base/banned.h"

void scorecard_score(const struct scorecard_counts *c, int min_tasks,
		     struct scorecard_score *out)
{
	memset(out, 0, sizeof *out);
	out->counted = c->on_time + c->late + c->overdue;
	if (min_tasks < 1)
		min_tasks = 1;
	if (out->counted < min_tasks) {
		out->reason_code = "too_few";
		snprintf(out->reason_vi, sizeof out->reason_vi,
			 "Chưa đủ %d nhiệm vụ đã đến hạn để chấm điểm (mới có "
			 "%d)",
			 min_tasks, out->counted);
		return;
	}
	double v = 100.0 * (c->on_time + 0.5 * c->late) / out->counted -
		   (double)SCORECARD_PENALTY_UNANSWERED * c->unanswered;
	if (v < 0)
		v = 0;
	out->has = true;
	/* one decimal, half away from zero, as the page prints it */
	out->value = floor(v * 10 + 0.5) / 10;
}

void scorecard_add(struct scorecard_counts *a, const struct scorecard_counts *b)
{
	a->due += b->due;
	a->on_time += b->on_time;
	a->late += b->late;
	a->overdue += b->overdue;
	a->pending += b->pending;
	a->requests += b->requests;
	a->explanations += b->explanations;
	a->unanswered += b->unanswered;
}

/* The UTC instant a Vietnam day starts (UTC+7): 17:00 the day before. */
static void vn_day_start_utc(struct date d, char out[21])
{
	struct date prev = date_from_days(date_to_days(d) - 1);
	char iso[11];
	date_format_iso(prev, iso);
	snprintf(out, 21, "%sT17:00:00Z", iso);
}

bool scorecard_period_parse(const char *from, const char *to, struct date today,
			    struct scorecard_period *out, const char **why_vi)
{
	memset(out, 0, sizeof *out);
	struct date f = {today.y, 1, 1}, t = today;
	if (from && *from && !text_parse_date(from, &f)) {
		out->field = "from";
		*why_vi = "Ngày bắt đầu không đúng (dd/mm/yyyy).";
		return false;
	}
	if (to && *to && !text_parse_date(to, &t)) {
		out->field = "to";
		*why_vi = "Ngày kết thúc không đúng (dd/mm/yyyy).";
		return false;
	}
	long fd = date_to_days(f), td = date_to_days(t);
	if (fd > td) {
		out->field = "to";
		*why_vi = "Ngày kết thúc phải sau ngày bắt đầu.";
		return false;
	}
	if (td - fd > SCORECARD_MAX_DAYS) {
		out->field = "to";
		*why_vi = "Kỳ chấm điểm dài quá 10 năm.";
		return false;
	}
	date_format_iso(f, out->from);
	date_format_iso(t, out->to);
	vn_day_start_utc(f, out->from_utc);
	vn_day_start_utc(date_from_days(td + 1), out->to_utc);
	return true;
}
