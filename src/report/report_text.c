/* Fonts for the renderers. The state document format asks for Times New
 * Roman; we ask pango for it by name and fontconfig gives Liberation Serif
 * (fonts-liberation2), which has Times New Roman's metrics, so lines break
 * where Word breaks them, and every Vietnamese letter precomposed. One
 * font map for the process, behind a lock: pango's font maps are not safe
 * to share between threads, and a per-thread one would load the fonts
 * again in every server thread. */
#include "report_render.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "../base/banned.h"

static pthread_mutex_t text_lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *font_map;

void report_text_lock(void)
{
	pthread_mutex_lock(&text_lock);
	if (!font_map)
		font_map = pango_cairo_font_map_new();
}

void report_text_unlock(void)
{
	pthread_mutex_unlock(&text_lock);
}

PangoContext *report_text_context(cairo_t *cr, bool vector)
{
	PangoContext *ctx = pango_font_map_create_context(font_map);
	cairo_font_options_t *fo = cairo_font_options_create();
	if (vector) {
		/* Widths as the font has them, not rounded to pixels: the
		 * PDF is measured and drawn in points. */
		cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
		cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	} else {
		cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	}
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_update_context(cr, ctx);
	return ctx;
}

PangoLayout *report_text_layout(PangoContext *ctx, const char *text,
				double size, int style, double width,
				PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, "Times New Roman");
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, style & RTEXT_BOLD
						      ? PANGO_WEIGHT_BOLD
						      : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, style & RTEXT_ITALIC
						     ? PANGO_STYLE_ITALIC
						     : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text, -1);
	return l;
}

double report_text_height(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return (double)r.height / PANGO_SCALE;
}

double report_text_width(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return (double)r.width / PANGO_SCALE;
}

#if defined(__SANITIZE_ADDRESS__)
/* fontconfig stores the values of its patterns as offsets from the
 * pattern, not as pointers, so LeakSanitizer cannot follow them and calls
 * the font map's patterns (alive for the whole process) leaks. Only
 * fontconfig's own allocations are excused. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

/* The width of the widest word of s, in points. */
static double widest_word(PangoContext *ctx, const char *s, double size,
			  int style)
{
	double w = 0;
	while (s && *s) {
		size_t n = strcspn(s, " ");
		if (n) {
			char word[256];
			snprintf(word, sizeof word, "%.*s", (int)n, s);
			PangoLayout *l = report_text_layout(
				ctx, word, size, style, 0, PANGO_ALIGN_LEFT);
			w = fmax(w, report_text_width(l));
			g_object_unref(l);
		}
		s += n;
		s += strspn(s, " ");
	}
	return w;
}

void report_fit_columns(PangoContext *ctx, struct report_block *b, double size,
			double pad, double width)
{
	double need[REPORT_MAX_COLS], w[REPORT_MAX_COLS], sum = 0;
	bool fixed[REPORT_MAX_COLS] = {false};
	for (int c = 0; c < b->ncols; c++) {
		need[c] = widest_word(ctx, b->cols[c].title, size, RTEXT_BOLD);
		for (int r = 0; r < b->nrows; r++) {
			const struct report_cell *cell =
				&b->cells[(size_t)r * b->ncols + c];
			if (cell->is_num) {
				PangoLayout *l = report_text_layout(
					ctx, cell->text, size, 0, 0,
					PANGO_ALIGN_LEFT);
				need[c] = fmax(need[c], report_text_width(l));
				g_object_unref(l);
			} else {
				need[c] = fmax(
					need[c],
					widest_word(ctx, cell->text, size, 0));
			}
		}
		need[c] += pad;
		sum += need[c];
	}
	if (sum > width)
		return;
	/* the narrow columns get what they need, the others share the rest
	 * in their proportions; again until none is too narrow */
	for (bool again = true; again;) {
		again = false;
		double room = width, share = 0;
		for (int c = 0; c < b->ncols; c++)
			if (fixed[c])
				room -= need[c];
			else
				share += b->cols[c].width;
		for (int c = 0; c < b->ncols; c++) {
			w[c] = fixed[c] ? need[c]
					: room * b->cols[c].width / share;
			if (!fixed[c] && w[c] < need[c])
				fixed[c] = again = true;
		}
	}
	for (int c = 0; c < b->ncols; c++)
		b->cols[c].width = w[c] / width;
}
