/* Report kinds and their data periods (report.h). */
#include <string.h>
#include "report.h"
#include "../base/text.h"
#include "../base/banned.h"

static const struct {
	const char *key, *vi;
	int periods; /* per year */
} kinds[] = {
	[REPORT_MONTHLY] = {"monthly", "tháng", 12},
	[REPORT_QUARTERLY] = {"quarterly", "quý", 4},
	[REPORT_SIX_MONTH] = {"six_month", "6 tháng", 2},
	[REPORT_YEARLY] = {"yearly", "năm", 1},
	[REPORT_PLAN] = {"plan", "kế hoạch", 1},
};

const char *report_kind_key(enum report_kind k)
{
	return kinds[k].key;
}

const char *report_kind_vi(enum report_kind k)
{
	return kinds[k].vi;
}

int report_kind_parse(const char *key, enum report_kind *out)
{
	for (size_t i = 0; key && i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(key, kinds[i].key)) {
			*out = (enum report_kind)i;
			return 1;
		}
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : n[m - 1];
}

int report_period(enum report_kind k, int year, int no, int cutoff_day,
		  struct date *from, struct date *to)
{
	if ((unsigned)k > REPORT_PLAN || year < 1900 || year > 9999 || no < 1 ||
	    no > kinds[k].periods || cutoff_day < 0 || cutoff_day > 28)
		return 0;
	int months = 12 / kinds[k].periods;
	int first = (no - 1) * months + 1, last = first + months - 1;
	if (!cutoff_day) {
		*from = (struct date){year, first, 1};
		*to = (struct date){year, last, days_in_month(year, last)};
		return 1;
	}
	/* Day d of the month before the first, plus one day; day d of the
	 * last month. */
	int py = first == 1 ? year - 1 : year, pm = first == 1 ? 12 : first - 1;
	*from = date_from_days(date_to_days((struct date){py, pm, cutoff_day}) +
			       1);
	*to = (struct date){year, last, cutoff_day};
	return 1;
}

char *report_period_vi(struct arena *a, enum report_kind k, int year, int no)
{
	static const char *const roman[] = {"I", "II", "III", "IV"};
	switch (k) {
	case REPORT_MONTHLY:
		return arena_printf(a, "tháng %d năm %d", no, year);
	case REPORT_QUARTERLY:
		return arena_printf(a, "quý %s năm %d", roman[(no - 1) & 3],
				    year);
	case REPORT_SIX_MONTH:
		return arena_printf(a, "6 tháng %s năm %d",
				    no == 1 ? "đầu" : "cuối", year);
	case REPORT_YEARLY:
	case REPORT_PLAN: break;
	}
	return arena_printf(a, "năm %d", year);
}

char *report_cell_text(struct arena *a, const json_t *v, const char *format)
{
	if (json_is_string(v))
		return arena_strdup(a, json_string_value(v));
	if (!json_is_number(v))
		return arena_strdup(a, "");
	double x = json_number_value(v);
	const char *f = format ? format : "";
	if (!strcmp(f, "percent"))
		return arena_printf(a, "%s%%",
				    text_format_number(a, x * 100, 1));
	if (!strcmp(f, "score"))
		return text_format_number(a, x, 2);
	if (!strcmp(f, "num1"))
		return text_format_number(a, x, 1);
	if (json_is_integer(v) || !strcmp(f, "int"))
		return text_format_number(a, x, 0);
	return text_format_number(a, x, 2);
}
