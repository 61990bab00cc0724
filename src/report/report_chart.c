/* Bar and radar charts drawn with cairo: as vectors into the PDF, and as
 * PNG pictures for the DOCX (the same code, so the two look alike). The
 * box holds the title on top, the legend at the bottom and the plot in
 * between; text goes through pango like the rest of the document. */
#include "report_render.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "../base/banned.h"

static const double palette[][3] = {
	{0.122, 0.329, 0.620}, /* blue: this year */
	{0.875, 0.447, 0.098}, /* orange: last year */
	{0.239, 0.588, 0.290}, /* green: the province */
	{0.780, 0.173, 0.180}, {0.490, 0.310, 0.620}, {0.450, 0.450, 0.450},
	{0.600, 0.450, 0.200}, {0.150, 0.650, 0.700}, {0.850, 0.400, 0.650},
	{0.500, 0.600, 0.100}, {0.300, 0.300, 0.700}, {0.700, 0.600, 0.100},
};
enum { NPALETTE = sizeof palette / sizeof palette[0] };

static void set_colour(cairo_t *cr, int s, double alpha)
{
	const double *c = palette[s % NPALETTE];
	cairo_set_source_rgba(cr, c[0], c[1], c[2], alpha);
}

/* A tick label: 1.234 / 2,5 / 0,25, decimals as the step needs. */
static void tick_text(char *buf, size_t n, double v, double step)
{
	int dec = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.*f", dec, fabs(v) < 1e-12 ? 0.0 : v);
	char *dot = strchr(tmp, '.');
	size_t ni = dot ? (size_t)(dot - tmp) : strlen(tmp), k = 0;
	size_t start = tmp[0] == '-';
	for (size_t i = 0; i < ni && k + 2 < n; i++) {
		if (i > start && (ni - i) % 3 == 0)
			buf[k++] = '.';
		buf[k++] = tmp[i];
	}
	if (dot)
		for (const char *p = dot; *p && k + 1 < n; p++)
			buf[k++] = *p == '.' ? ',' : *p;
	buf[k] = 0;
}

static void show(cairo_t *cr, PangoLayout *l, double x, double y)
{
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
}

/* The legend's rows, drawn from the bottom of the box up; returns its
 * height. */
static double legend(cairo_t *cr, PangoContext *ctx,
		     const struct report_chart *c, double x, double bottom,
		     double w, bool draw)
{
	const double box = 9, gap = 4, sep = 14, fs = 10;
	double widths[REPORT_MAX_SERIES], lh = 0;
	for (int s = 0; s < c->nser; s++) {
		PangoLayout *l = report_text_layout(ctx, c->names[s], fs, 0, 0,
						    PANGO_ALIGN_LEFT);
		widths[s] = box + gap + report_text_width(l);
		if (widths[s] > w)
			widths[s] = w;
		lh = fmax(lh, report_text_height(l));
		g_object_unref(l);
	}
	/* rows of items that fit in w */
	int first = 0, nrows = 0;
	int starts[REPORT_MAX_SERIES + 1];
	while (first < c->nser) {
		double rw = widths[first];
		int s = first + 1;
		while (s < c->nser && rw + sep + widths[s] <= w)
			rw += sep + widths[s++];
		starts[nrows++] = first;
		first = s;
	}
	starts[nrows] = c->nser;
	double h = nrows * (lh + 2);
	if (!draw)
		return h;
	double y = bottom - h;
	for (int r = 0; r < nrows; r++, y += lh + 2) {
		double rw = 0;
		for (int s = starts[r]; s < starts[r + 1]; s++)
			rw += widths[s] + (s > starts[r] ? sep : 0);
		double xx = x + (w - rw) / 2;
		for (int s = starts[r]; s < starts[r + 1]; s++) {
			set_colour(cr, s, 1);
			cairo_rectangle(cr, xx, y + (lh - box) / 2, box, box);
			cairo_fill(cr);
			PangoLayout *l = report_text_layout(
				ctx, c->names[s], fs, 0, 0, PANGO_ALIGN_LEFT);
			pango_layout_set_width(
				l,
				(int)((widths[s] - box - gap) * PANGO_SCALE));
			pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
			cairo_set_source_rgb(cr, 0, 0, 0);
			show(cr, l, xx + box + gap, y);
			g_object_unref(l);
			xx += widths[s] + sep;
		}
	}
	return h;
}

static double clampv(const struct report_chart *c, double v)
{
	return v < c->y_min ? c->y_min : v > c->y_max ? c->y_max : v;
}

static void bar_plot(cairo_t *cr, PangoContext *ctx,
		     const struct report_chart *c, double x, double y, double w,
		     double h)
{
	const double fs = 9;
	double step = report_axis_step(c->y_min, c->y_max);
	if (c->whole)
		step = fmax(step, 1);
	/* the widest tick label sets the left axis */
	double lw = 0;
	char buf[64];
	for (double v = c->y_min; v <= c->y_max + step * 1e-6; v += step) {
		tick_text(buf, sizeof buf, v, step);
		PangoLayout *l = report_text_layout(ctx, buf, fs, 0, 0,
						    PANGO_ALIGN_LEFT);
		lw = fmax(lw, report_text_width(l));
		g_object_unref(l);
	}
	double gw = (w - lw - 6) / c->ncat;
	/* category labels under the axis, wrapped to their group */
	double ch = 0;
	for (int k = 0; k < c->ncat; k++) {
		PangoLayout *l = report_text_layout(ctx, c->cats[k], fs, 0,
						    gw - 2, PANGO_ALIGN_CENTER);
		ch = fmax(ch, report_text_height(l));
		g_object_unref(l);
	}
	if (ch > 3 * fs * 1.3)
		ch = 3 * fs * 1.3;
	double px = x + lw + 6, pw = w - lw - 6, py = y + fs / 2,
	       ph = h - ch - 4 - fs / 2;
	if (ph < 10)
		return;
	double span = c->y_max - c->y_min;
#define YPOS(v) (py + ph - (clampv(c, (v)) - c->y_min) / span * ph)
	cairo_set_line_width(cr, 0.4);
	for (double v = c->y_min; v <= c->y_max + step * 1e-6; v += step) {
		double yy = YPOS(v);
		cairo_set_source_rgb(cr, 0.82, 0.82, 0.82);
		cairo_move_to(cr, px, yy);
		cairo_line_to(cr, px + pw, yy);
		cairo_stroke(cr);
		tick_text(buf, sizeof buf, v, step);
		PangoLayout *l = report_text_layout(ctx, buf, fs, 0, 0,
						    PANGO_ALIGN_LEFT);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		show(cr, l, px - 4 - report_text_width(l),
		     yy - report_text_height(l) / 2);
		g_object_unref(l);
	}
	double base = c->y_min > 0 ? c->y_min : c->y_max < 0 ? c->y_max : 0;
	double bw = gw * 0.72 / c->nser;
	for (int k = 0; k < c->ncat; k++) {
		double gx = px + k * gw + gw * 0.14;
		for (int s = 0; s < c->nser; s++) {
			double v = c->values[s * c->ncat + k];
			if (!isfinite(v))
				continue;
			double y0 = YPOS(base), y1 = YPOS(v);
			set_colour(cr, s, 1);
			cairo_rectangle(cr, gx + s * bw, fmin(y0, y1),
					bw * 0.92, fabs(y1 - y0));
			cairo_fill(cr);
			if (bw >= 15) { /* the value over its bar */
				tick_text(buf, sizeof buf, v,
					  fabs(v - round(v)) < 1e-9 ? 1 : 0.01);
				PangoLayout *l = report_text_layout(
					ctx, buf, 7, 0, 0, PANGO_ALIGN_LEFT);
				double tw = report_text_width(l),
				       th = report_text_height(l);
				cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
				show(cr, l, gx + s * bw + (bw * 0.92 - tw) / 2,
				     fmin(y0, y1) - th);
				g_object_unref(l);
			}
		}
		PangoLayout *l = report_text_layout(ctx, c->cats[k], fs, 0,
						    gw - 2, PANGO_ALIGN_CENTER);
		pango_layout_set_height(l, (int)(-3));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		cairo_set_source_rgb(cr, 0, 0, 0);
		show(cr, l, px + k * gw + 1, py + ph + 4);
		g_object_unref(l);
	}
	/* the axes */
	cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, px, py);
	cairo_line_to(cr, px, py + ph);
	cairo_move_to(cr, px, YPOS(base));
	cairo_line_to(cr, px + pw, YPOS(base));
	cairo_stroke(cr);
#undef YPOS
}

static void radar_plot(cairo_t *cr, PangoContext *ctx,
		       const struct report_chart *c, double x, double y,
		       double w, double h)
{
	const double fs = 10;
	double cx = x + w / 2, cy = y + h / 2;
	double R = fmin(w / 2 - 40, h / 2 - 2 * fs);
	if (R < 20)
		return;
	int n = c->ncat;
	double span = c->y_max - c->y_min,
	       step = report_axis_step(c->y_min, c->y_max);
#define ANG(k) (-M_PI / 2 + 2 * M_PI * (k) / n)
	/* rings at the ticks and at the top, tick labels on the first
	 * spoke */
	cairo_set_line_width(cr, 0.4);
	char buf[64];
	for (double v = c->y_min + step;; v += step) {
		bool top = v >= c->y_max - step * 1e-6;
		if (top)
			v = c->y_max;
		double r = (v - c->y_min) / span * R;
		cairo_set_source_rgb(cr, 0.78, 0.78, 0.78);
		for (int k = 0; k <= n; k++) {
			double ax = cx + r * cos(ANG(k % n)),
			       ay = cy + r * sin(ANG(k % n));
			if (k)
				cairo_line_to(cr, ax, ay);
			else
				cairo_move_to(cr, ax, ay);
		}
		cairo_stroke(cr);
		if (top && fmod(c->y_max - c->y_min, step) < step * 0.6 &&
		    fmod(c->y_max - c->y_min, step) > step * 1e-6)
			break; /* its label would sit on the last tick's */
		tick_text(buf, sizeof buf, v, step);
		PangoLayout *l =
			report_text_layout(ctx, buf, 7, 0, 0, PANGO_ALIGN_LEFT);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		show(cr, l, cx + 2, cy - r - report_text_height(l) / 2);
		g_object_unref(l);
		if (top)
			break;
	}
	for (int k = 0; k < n; k++) {
		cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
		cairo_move_to(cr, cx, cy);
		cairo_line_to(cr, cx + R * cos(ANG(k)), cy + R * sin(ANG(k)));
		cairo_stroke(cr);
		PangoLayout *l = report_text_layout(
			ctx, c->cats[k], fs, RTEXT_BOLD, 0, PANGO_ALIGN_LEFT);
		double tw = report_text_width(l), th = report_text_height(l);
		double lx = cx + (R + 6) * cos(ANG(k)),
		       ly = cy + (R + 6) * sin(ANG(k));
		double ca = cos(ANG(k)), sa = sin(ANG(k));
		lx -= ca > 0.2 ? 0 : ca < -0.2 ? tw : tw / 2;
		ly -= sa > 0.2 ? 0 : sa < -0.2 ? th : th / 2;
		cairo_set_source_rgb(cr, 0, 0, 0);
		show(cr, l, lx, ly);
		g_object_unref(l);
	}
	/* one polygon per series; a missing value leaves a gap */
	for (int s = 0; s < c->nser; s++) {
		const double *v = c->values + (size_t)s * n;
		bool whole = true;
		for (int k = 0; k < n; k++)
			whole &= isfinite(v[k]);
		double px[REPORT_MAX_CATEGORIES] = {0},
		       py[REPORT_MAX_CATEGORIES] = {0};
		for (int k = 0; k < n; k++) {
			double r = isfinite(v[k])
					   ? (clampv(c, v[k]) - c->y_min) /
						     span * R
					   : 0;
			px[k] = cx + r * cos(ANG(k));
			py[k] = cy + r * sin(ANG(k));
		}
		if (whole) {
			cairo_move_to(cr, px[0], py[0]);
			for (int k = 1; k < n; k++)
				cairo_line_to(cr, px[k], py[k]);
			cairo_close_path(cr);
			set_colour(cr, s, 0.10);
			cairo_fill_preserve(cr);
			set_colour(cr, s, 1);
			cairo_set_line_width(cr, 1.6);
			cairo_stroke(cr);
		} else {
			set_colour(cr, s, 1);
			cairo_set_line_width(cr, 1.6);
			for (int k = 0; k < n; k++) {
				int j = (k + 1) % n;
				if (isfinite(v[k]) && isfinite(v[j])) {
					cairo_move_to(cr, px[k], py[k]);
					cairo_line_to(cr, px[j], py[j]);
				}
			}
			cairo_stroke(cr);
		}
		set_colour(cr, s, 1);
		for (int k = 0; k < n; k++) {
			if (!isfinite(v[k]))
				continue;
			cairo_arc(cr, px[k], py[k], 2.2, 0, 2 * M_PI);
			cairo_fill(cr);
		}
	}
#undef ANG
}

void report_chart_draw(cairo_t *cr, PangoContext *ctx,
		       const struct report_chart *c, double x, double y,
		       double w, double h)
{
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	double top = y;
	if (c->title && *c->title) {
		PangoLayout *l = report_text_layout(
			ctx, c->title, 12, RTEXT_BOLD, w, PANGO_ALIGN_CENTER);
		cairo_set_source_rgb(cr, 0, 0, 0);
		show(cr, l, x, y);
		top += report_text_height(l) + 6;
		g_object_unref(l);
	}
	double lh = legend(cr, ctx, c, x, y + h, w, false);
	legend(cr, ctx, c, x, y + h, w, true);
	double ph = y + h - lh - 8 - top;
	if (c->radar)
		radar_plot(cr, ctx, c, x, top, w, ph);
	else
		bar_plot(cr, ctx, c, x + 4, top, w - 8, ph);
	cairo_restore(cr);
}

enum err report_chart_png(struct arena *a, const struct report_chart *c,
			  double w, double h, double scale, char **out,
			  size_t *len, struct error *e)
{
	int pw = (int)ceil(w * scale), ph = (int)ceil(h * scale);
	cairo_surface_t *s =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	PangoContext *ctx = report_text_context(cr, false);
	report_chart_draw(cr, ctx, c, 0, 0, w, h);
	g_object_unref(ctx);
	cairo_destroy(cr);
	struct report_buf b;
	report_buf_init(&b, 64u << 20);
	cairo_status_t st = cairo_surface_write_to_png_stream(
		s, report_buf_cairo_write, &b);
	cairo_surface_destroy(s);
	enum err err = ERR_OK;
	if (st != CAIRO_STATUS_SUCCESS || b.overflow) {
		err = error_set(e, ERR_INTERNAL, "report chart: png: %s",
				b.overflow ? "too large"
					   : cairo_status_to_string(st));
	} else if (!(*out = arena_alloc_uninit(a, b.len + 1))) {
		err = error_set(e, ERR_NOMEM, "report chart: out of memory");
	} else {
		memcpy(*out, b.data, b.len);
		*len = b.len;
	}
	report_buf_release(&b);
	return err;
}
