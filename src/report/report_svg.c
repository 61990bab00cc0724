/* The radar of the chair's dashboard (report_svg.h). The scale is PAPI's
 * own, 1 (centre) to 10 (rim), fixed, so two communes' pictures compare;
 * the colours are those of the index pages' radar (this year blue, last
 * year amber dashed, the province grey dotted). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "report_svg.h"
#include "../base/text.h"
#include "../base/banned.h"

/* A bounded text buffer in the arena: grows by doubling up to
 * RADAR_SVG_MAX, then drops the rest and says so (ok = 0). */
struct svgbuf {
	struct arena *a;
	char *p;
	size_t len, cap;
	int ok;
};

static void put(struct svgbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct svgbuf *b, const char *fmt, ...)
{
	if (!b->ok)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->ok = 0;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap * 2;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *q = cap <= RADAR_SVG_MAX ? arena_alloc(b->a, cap) : NULL;
		if (!q) {
			b->ok = 0;
			return;
		}
		memcpy(q, b->p, b->len + 1);
		b->p = q;
		b->cap = cap;
	}
}

static const double CX = 200, CY = 170, RMAX = 105, PI = 3.14159265358979;

/* Axis k's point at score v (1..10 from the centre to the rim). */
static void at(int k, double v, double *x, double *y)
{
	double f = (v - 1) / 9;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	double ang = -PI / 2 + k * PI / 4;
	*x = CX + RMAX * f * cos(ang);
	*y = CY + RMAX * f * sin(ang);
}

static const char *const stroke[RADAR_SERIES_MAX] = {"#1d4ed8", "#b45309",
						     "#4b5563"};
static const char *const dash[RADAR_SERIES_MAX] = {"", "6 4", "2 3"};

static void series(struct svgbuf *b, const struct radar_series *s,
		   const char *const names[RADAR_AXES])
{
	int st = s->style >= 0 && s->style < RADAR_SERIES_MAX ? s->style : 0;
	const char *label = text_html_escape(b->a, s->label ? s->label : "");
	int known = 0;
	for (int k = 0; k < RADAR_AXES; k++)
		known += !isnan(s->v[k]);
	if (!known)
		return;
	put(b, "<g class=\"radar-s%d\">", st);
	/* the whiskers first, under the line */
	for (int k = 0; s->lo && s->hi && k < RADAR_AXES; k++) {
		if (isnan(s->lo[k]) || isnan(s->hi[k]))
			continue;
		double x1, y1, x2, y2;
		at(k, s->lo[k], &x1, &y1);
		at(k, s->hi[k], &x2, &y2);
		put(b,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"%s\" stroke-width=\"5\" stroke-opacity=\"0.3\" "
		    "stroke-linecap=\"round\"/>",
		    x1, y1, x2, y2, stroke[st]);
	}
	const char *attrs = arena_printf(
		b->a, "stroke=\"%s\" stroke-width=\"2\"%s%s%s", stroke[st],
		*dash[st] ? " stroke-dasharray=\"" : "", dash[st],
		*dash[st] ? "\"" : "");
	if (known == RADAR_AXES) {
		put(b, "<polygon fill=\"%s\" fill-opacity=\"%s\" %s points=\"",
		    stroke[st], st == 0 ? "0.15" : "0", attrs ? attrs : "");
		for (int k = 0; k < RADAR_AXES; k++) {
			double x, y;
			at(k, s->v[k], &x, &y);
			put(b, "%s%.1f,%.1f", k ? " " : "", x, y);
		}
		put(b, "\"/>");
	} else {
		/* a gap stays a gap: only neighbours that both have a score
		 * are joined */
		for (int k = 0; k < RADAR_AXES; k++) {
			int n = (k + 1) % RADAR_AXES;
			if (isnan(s->v[k]) || isnan(s->v[n]))
				continue;
			double x1, y1, x2, y2;
			at(k, s->v[k], &x1, &y1);
			at(n, s->v[n], &x2, &y2);
			put(b,
			    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\" %s/>",
			    x1, y1, x2, y2, attrs ? attrs : "");
		}
	}
	for (int k = 0; k < RADAR_AXES; k++) {
		if (isnan(s->v[k]))
			continue;
		double x, y;
		at(k, s->v[k], &x, &y);
		const char *v = text_format_number(b->a, s->v[k], 2);
		const char *ci = "";
		if (s->lo && s->hi && !isnan(s->lo[k]) && !isnan(s->hi[k]))
			ci = arena_printf(
				b->a, " (%s–%s)",
				text_format_number(b->a, s->lo[k], 2),
				text_format_number(b->a, s->hi[k], 2));
		put(b,
		    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
		    "<title>%s · D%d %s: %s%s</title></circle>",
		    x, y, stroke[st], label ? label : "", k + 1,
		    text_html_escape(b->a, names[k] ? names[k] : ""),
		    v ? v : "", ci ? ci : "");
	}
	put(b, "</g>");
}

char *report_radar_svg(struct arena *a, const struct radar_series *s, int ns,
		       const char *const names[RADAR_AXES])
{
	struct svgbuf b = {a, arena_alloc(a, 4096), 0, 4096, 1};
	if (!b.p)
		return NULL;
	put(&b, "<svg class=\"radar report-radar\" viewBox=\"12 0 376 340\" "
		"role=\"img\" aria-label=\"Biểu đồ radar điểm 8 lĩnh vực PAPI "
		"(thang 1–10)\" xmlns=\"http://www.w3.org/2000/svg\">");
	for (int ring = 2; ring <= 10; ring += 2) {
		put(&b, "<polygon fill=\"none\" stroke=\"#d5d9e0\" points=\"");
		for (int k = 0; k < RADAR_AXES; k++) {
			double x, y;
			at(k, ring, &x, &y);
			put(&b, "%s%.1f,%.1f", k ? " " : "", x, y);
		}
		put(&b, "\"/>");
		double x, y;
		at(0, ring, &x, &y);
		put(&b,
		    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" "
		    "fill=\"#6b7280\">%d</text>",
		    x + 3, y + 9, ring);
	}
	for (int k = 0; k < RADAR_AXES; k++) {
		double ang = -PI / 2 + k * PI / 4, c = cos(ang), sn = sin(ang);
		double x, y;
		at(k, 10, &x, &y);
		put(&b,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#d5d9e0\"/>",
		    CX, CY, x, y);
		/* the code above the name; the top label upwards, the bottom
		 * one downwards, the sides beside the rim */
		double lx = CX + (RMAX + 12) * c, ly = CY + (RMAX + 12) * sn;
		const char *anchor = fabs(c) < 0.2 ? "middle"
				     : c > 0       ? "start"
						   : "end";
		double dy = sn < -0.9 ? -14 : sn > 0.9 ? 4 : -4;
		/* a name may hold "\n": one line each, below the code */
		const char *nm = names[k] ? names[k] : "";
		int lines = 1;
		for (const char *c = nm; *c; c++)
			lines += *c == '\n';
		if (sn < -0.9)
			dy -= 13 * (lines - 1);
		else if (sn > -0.9 && sn < 0.9)
			dy -= 6.5 * (lines - 1);
		put(&b,
		    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
		    "text-anchor=\"%s\" fill=\"#1f2937\"><tspan "
		    "font-weight=\"bold\">D%d</tspan>",
		    lx, ly + dy, anchor, k + 1);
		while (b.ok) {
			const char *nl = strchr(nm, '\n');
			size_t len = nl ? (size_t)(nl - nm) : strlen(nm);
			put(&b, "<tspan x=\"%.1f\" dy=\"13\">%s</tspan>", lx,
			    text_html_escape(a, arena_strndup(a, nm, len)));
			if (!nl)
				break;
			nm = nl + 1;
		}
		put(&b, "</text>");
	}
	/* the first series (this year) last, on top */
	for (int i = (ns < RADAR_SERIES_MAX ? ns : RADAR_SERIES_MAX) - 1;
	     i >= 0; i--)
		series(&b, &s[i], names);
	put(&b, "</svg>");
	return b.ok ? b.p : NULL;
}
