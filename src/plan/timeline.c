/* The Gantt chart and the month grid (timeline.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "timeline.h"
#include "../base/text.h"
#include "../base/banned.h"

/* The chart is built in one malloc'd buffer (appending to an arena string
 * would copy it whole at every step) and copied to the arena at the end. */
enum { SVG_MAX_BYTES = 2 << 20 };

struct svgbuf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void put(struct svgbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct svgbuf *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL,
				  b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t want = b->len + (size_t)n + 1,
		       cap = b->cap ? b->cap : 8192;
		while (cap < want)
			cap *= 2;
		if (cap > SVG_MAX_BYTES) {
			b->failed = true;
			return;
		}
		char *np = realloc(b->p, cap);
		if (!np) {
			b->failed = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
}

/* At most max code points of s, with "…" when cut (at a word when
 * possible); escaped for XML. */
static const char *short_text(struct arena *a, const char *s, int max)
{
	if (!s)
		return "";
	size_t i = 0;
	int cps = 0;
	while (s[i] && cps < max) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		cps++;
	}
	/* cut at the last space when there is one in the second half */
	size_t end = i;
	if (s[i]) {
		size_t sp = i;
		while (sp > i / 2 && s[sp] != ' ')
			sp--;
		if (s[sp] == ' ' && sp > i / 2)
			end = sp;
	}
	const char *cut = s[i] ? arena_printf(a, "%.*s…", (int)end, s) : s;
	const char *esc = cut ? text_html_escape(a, cut) : NULL;
	return esc ? esc : "";
}

static const char *esc(struct arena *a, const char *s)
{
	const char *r = s ? text_html_escape(a, s) : "";
	return r ? r : "";
}

/* The fills of the states, the same hues as the CSS classes. */
static const char *state_fill(enum task_state s)
{
	switch (s) {
	case TASK_OVERDUE: return "#c62828";
	case TASK_DUE_SOON: return "#e09b00";
	case TASK_DONE_ON_TIME: return "#2e7d32";
	case TASK_DONE_LATE: return "#7a9a2e";
	case TASK_NOT_YET: return "#8d96a0";
	case TASK_CANCELLED: return "#c9ced4";
	case TASK_OPEN:
	default: return "#1e63b5";
	}
}

static const char *fdate(struct arena *a, const char *iso)
{
	const char *s = iso ? text_format_date(a, iso) : NULL;
	return s ? s : "";
}

static bool day_of(const char *iso, long *out)
{
	struct date d;
	if (!iso || !*iso || !date_parse_iso(iso, &d))
		return false;
	*out = date_to_days(d);
	return true;
}

static long first_of_month(long day)
{
	struct date d = date_from_days(day);
	d.d = 1;
	return date_to_days(d);
}

static long last_of_month(long day)
{
	struct date d = date_from_days(day);
	d.d = 1;
	if (++d.m > 12) {
		d.m = 1;
		d.y++;
	}
	return date_to_days(d) - 1;
}

char *timeline_svg(struct arena *a, const struct timeline_bar *bars, int n,
		   struct date today, const char *from, const char *to)
{
	if (n > TIMELINE_MAX_BARS)
		n = TIMELINE_MAX_BARS;
	long t0 = 0, t1 = 0, now = date_to_days(today);
	bool fixed0 = day_of(from, &t0), fixed1 = day_of(to, &t1);
	bool have0 = fixed0, have1 = fixed1;
	for (int i = 0; i < n; i++) {
		long s, d;
		bool hs = day_of(bars[i].start_on, &s),
		     hd = day_of(bars[i].due_on, &d);
		if (!hs && !hd)
			continue;
		if (!hs)
			s = d;
		if (!hd)
			d = s;
		if (!fixed0 && (!have0 || s < t0)) {
			t0 = s;
			have0 = true;
		}
		if (!fixed1 && (!have1 || d > t1)) {
			t1 = d;
			have1 = true;
		}
	}
	if (!have0 && !have1)
		t0 = t1 = now;
	else if (!have0)
		t0 = t1;
	else if (!have1)
		t1 = t0;
	if (t1 < t0) {
		long x = t0;
		t0 = t1;
		t1 = x;
	}
	t0 = first_of_month(t0);
	t1 = last_of_month(t1);
	if (t1 - t0 + 1 > TIMELINE_MAX_DAYS)
		t1 = last_of_month(t0 + TIMELINE_MAX_DAYS - 31);
	long days = t1 - t0 + 1;

	/* a day is at least 3 px; a short range spreads over ~900 px */
	double px = days * 3.0 < 900 ? 900.0 / days : 3.0;
	const double left = 230, top = 44, row = 30, words = 150;
	double width = left + days * px + words;
	double height = top + (n ? n : 1) * row + 10;

	struct svgbuf b = {0};
	put(&b,
	    "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	    "role=\"img\" aria-labelledby=\"timeline-title\">"
	    "<title id=\"timeline-title\">Tiến độ %d nhiệm vụ, từ ",
	    width, height, width, height, n);
	char d0[11], d1[11];
	date_format_iso(date_from_days(t0), d0);
	date_format_iso(date_from_days(t1), d1);
	put(&b, "%s đến %s</title>", fdate(a, d0), fdate(a, d1));
	put(&b,
	    "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" "
	    "fill=\"#fff\"/>",
	    width, height);

	/* month ticks: a line at each month's first day, its name after */
	double month_px = 30.4 * px;
	for (long m = t0; m <= t1; m = last_of_month(m) + 1) {
		struct date d = date_from_days(m);
		double x = left + (m - t0) * px;
		put(&b,
		    "<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"18\" "
		    "y2=\"%.0f\" stroke=\"#d8dbe0\"/>",
		    x, x, height - 6);
		if (month_px >= 80)
			put(&b,
			    "<text x=\"%.1f\" y=\"30\" font-size=\"12\" "
			    "fill=\"#374151\">Tháng %d/%d</text>",
			    x + 4, d.m, d.y);
		else
			put(&b,
			    "<text x=\"%.1f\" y=\"30\" font-size=\"11\" "
			    "fill=\"#374151\">%d/%02d</text>",
			    x + 3, d.m, d.y % 100);
	}
	put(&b,
	    "<text x=\"8\" y=\"30\" font-size=\"12\" font-weight=\"600\" "
	    "fill=\"#1a1a1a\">Nhiệm vụ</text>"
	    "<line x1=\"0\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"#8a8f98\"/>",
	    width, top - 4, top - 4);

	for (int i = 0; i < n; i++) {
		const struct timeline_bar *t = &bars[i];
		long s, d;
		bool hs = day_of(t->start_on, &s), hd = day_of(t->due_on, &d);
		if (!hs && !hd)
			continue;
		if (!hs)
			s = d;
		if (!hd)
			d = s;
		double y = top + i * row;
		if (i % 2)
			put(&b,
			    "<rect x=\"0\" y=\"%.0f\" width=\"%.0f\" "
			    "height=\"%.0f\" fill=\"#f6f7f9\"/>",
			    y, width, row);
		long cs = s < t0 ? t0 : s, cd = d > t1 ? t1 : d;
		if (t->href)
			put(&b, "<a href=\"%s\">", esc(a, t->href));
		put(&b, "<g class=\"bar %s\"><title>%s",
		    task_state_class(t->state), esc(a, t->label));
		if (t->sub)
			put(&b, " – %s", esc(a, t->sub));
		put(&b, ": %s → %s, %s, %d%%</title>", fdate(a, t->start_on),
		    fdate(a, t->due_on), task_state_label_vi(t->state),
		    t->progress);
		put(&b,
		    "<text x=\"8\" y=\"%.1f\" font-size=\"12\" "
		    "fill=\"#0b4f9c\">%s</text>",
		    y + (t->sub ? 13 : 19), short_text(a, t->label, 30));
		if (t->sub)
			put(&b,
			    "<text x=\"8\" y=\"%.1f\" font-size=\"10\" "
			    "fill=\"#5f6670\">%s</text>",
			    y + 25, short_text(a, t->sub, 36));
		if (cs <= t1 && cd >= t0) {
			double x = left + (cs - t0) * px,
			       w = (cd - cs + 1) * px;
			if (w < 3)
				w = 3;
			put(&b,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"16\" rx=\"3\" fill=\"%s\"/>",
			    x, y + 7, w, state_fill(t->state));
			if (t->progress > 0 && t->progress < 100)
				put(&b,
				    "<rect x=\"%.1f\" y=\"%.1f\" "
				    "width=\"%.1f\" height=\"4\" "
				    "fill=\"#fff\" fill-opacity=\"0.8\"/>",
				    x, y + 19, w * t->progress / 100.0);
			put(&b,
			    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
			    "fill=\"#1a1a1a\">%s</text>",
			    x + w + 4, y + 19, task_state_label_vi(t->state));
		}
		put(&b, "</g>%s", t->href ? "</a>" : "");
	}
	if (now >= t0 && now <= t1) {
		double x = left + (now - t0 + 0.5) * px;
		char iso[11];
		date_format_iso(today, iso);
		put(&b,
		    "<line class=\"today\" x1=\"%.1f\" x2=\"%.1f\" y1=\"34\" "
		    "y2=\"%.0f\" stroke=\"#a50e0e\" stroke-width=\"2\" "
		    "stroke-dasharray=\"5 3\"/><text x=\"%.1f\" y=\"13\" "
		    "font-size=\"11\" font-weight=\"600\" fill=\"#a50e0e\" "
		    "text-anchor=\"%s\">Hôm nay %s</text>",
		    x, x, height - 6, x, x - left < 60 ? "start" : "middle",
		    fdate(a, iso));
	}
	put(&b, "</svg>");
	char *out = b.failed ? NULL : arena_strndup(a, b.p, b.len);
	free(b.p);
	return out;
}

bool month_parse(const char *s, struct date today, int *year, int *month)
{
	if (!s || !*s) {
		*year = today.y;
		*month = today.m;
		return true;
	}
	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		(s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1900 || m < 1 || m > 12)
		return false;
	*year = y;
	*month = m;
	return true;
}

void month_grid_build(struct month_grid *g, int year, int month,
		      const struct calendar *cal, struct date today)
{
	memset(g, 0, sizeof *g);
	g->year = year;
	g->month = month;
	struct date first = {year, month, 1};
	long f = date_to_days(first), l = last_of_month(f);
	long start = f - (date_weekday(first) - 1);
	long t = date_to_days(today);
	int k = 0;
	for (long d = start; k < 42 && (d <= l || k % 7); d++, k++) {
		struct month_day *md = &g->days[k];
		md->day = date_from_days(d);
		md->in_month = d >= f && d <= l;
		md->working = calendar_is_working_day(cal, md->day);
		md->today = d == t;
	}
	g->nweeks = k / 7;
	date_format_iso(first, g->first);
	date_format_iso(date_from_days(l), g->last);
	struct date p = date_from_days(f - 1), n = date_from_days(l + 1);
	snprintf(g->prev, sizeof g->prev, "%04d-%02d", p.y % 10000, p.m);
	snprintf(g->next, sizeof g->next, "%04d-%02d", n.y % 10000, n.m);
}
