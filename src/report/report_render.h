/* What the three renderers (report_pdf.c, report_xlsx.c, report_docx.c)
 * share: the document JSON of report.h checked once and read into C
 * (report_format.c), the formatted cells, the charts drawn with cairo
 * (report_chart.c) and the fonts (report_text.c). Internal to src/report. */
#ifndef REPORT_RENDER_H
#define REPORT_RENDER_H
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include "report.h"

/* ---- report_format.c: the document, checked --------------------------- */

enum report_fmt { RFMT_TEXT, RFMT_INT, RFMT_PERCENT, RFMT_SCORE };
enum report_align { RALIGN_LEFT, RALIGN_RIGHT, RALIGN_CENTER };

/* A table cell as every renderer shows it: `text` formatted by the
 * column's format ("1.234", "83,3%", "5,12"), "" for null; `num` the
 * number behind it when is_num. */
struct report_cell {
	const char *text;
	double num;
	bool is_num;
};

struct report_column {
	const char *title;
	enum report_align align;
	double width; /* share of the table's width, sums to 1 */
	enum report_fmt fmt;
};

struct report_chart {
	bool radar;
	const char *title;
	int ncat, nser;
	const char **cats, **names;
	double *values;      /* nser x ncat, row-major; NAN where null */
	double y_min, y_max; /* the axis, from the document or the data */
	bool whole;          /* every value a whole number: ticks 1 apart
				at least */
};

enum report_block_type {
	RBLOCK_HEADING,
	RBLOCK_PARAGRAPH,
	RBLOCK_TABLE,
	RBLOCK_CHART
};

struct report_block {
	enum report_block_type type;
	int level;         /* heading: 1 or 2 */
	const char *text;  /* heading, paragraph */
	const char *title; /* table: "" when none */
	int ncols, nrows;
	struct report_column *cols;
	struct report_cell *cells; /* nrows x ncols, row-major */
	struct report_chart chart;
};

struct report_doc {
	const char *type, *number_text, *place_date, *subject;
	const char **issuer; /* lines, upper case */
	int nissuer;
	struct report_block *blocks;
	int nblocks;
	/* the signature: mode and title upper case, "" when absent */
	const char *sign_mode, *sign_title, *sign_name;
	const char **recipients;
	int nrecipients;
};

enum {
	REPORT_MAX_BLOCKS = 20000,
	REPORT_MAX_COLS = 40,
	REPORT_MAX_ROWS = 100000,
	REPORT_MAX_CATEGORIES = 100,
	REPORT_MAX_SERIES = 12,
	REPORT_MAX_LINES = 200, /* issuer lines, recipients */
};

/* Reads doc (report.h's shape) into out, everything in the arena.
 * ERR_INVALID naming the first thing wrong ("block 3 (table): row 2 has 4
 * cells, the table 5 columns"). */
enum err report_doc_read(struct arena *a, const json_t *doc,
			 struct report_doc *out, struct error *e);
/* v as the format shows it: int "1.234", percent "83,3%" (v a fraction),
 * score "5,12", text: as few decimals as it needs (at most 2). */
const char *report_fmt_number(struct arena *a, double v, enum report_fmt f);
/* The chart axis's tick step for [lo, hi]: 1, 2 or 5 times a power of
 * ten, about five steps. */
double report_axis_step(double lo, double hi);
/* s with & < > " escaped and the characters XML 1.0 forbids dropped. */
char *report_xml_escape(struct arena *a, const char *s);
/* Upper case by Unicode rules ("tm. ủy ban" -> "TM. ỦY BAN"). */
char *report_upper(struct arena *a, const char *s);

/* ---- report_text.c: fonts --------------------------------------------- */

/* Pango's font maps are not thread-safe and building one is slow: the
 * renderers share one, taken with report_text_lock() and given back with
 * report_text_unlock() around the whole drawing. */
void report_text_lock(void);
void report_text_unlock(void);
/* A context for drawing on cr with the shared font map; `vector` turns
 * hinting off so widths are the font's (PDF), else hints for pixels. */
PangoContext *report_text_context(cairo_t *cr, bool vector);

enum { RTEXT_BOLD = 1, RTEXT_ITALIC = 2 };
/* A layout of text in "Times New Roman" (fontconfig: Liberation Serif) at
 * size points; width 0: one line, else wrapped at width points. */
PangoLayout *report_text_layout(PangoContext *ctx, const char *text,
				double size, int style, double width,
				PangoAlignment align);
double report_text_height(PangoLayout *l); /* points */
double report_text_width(PangoLayout *l);  /* points, logical */
/* Widens each column of a table to at least its widest word (a number
 * whole) at size points plus pad, the others sharing the rest of width
 * points in the document's proportions: "STT" is not broken into "ST-T"
 * by a column a tenth of the table wide. Nothing changes when the words
 * cannot all fit. */
void report_fit_columns(PangoContext *ctx, struct report_block *b, double size,
			double pad, double width);

/* ---- report_chart.c: bar and radar charts ----------------------------- */

/* Draws the chart (title, axes, bars or polygons, legend) in the box
 * x, y, w, h (points) on cr, text through ctx. */
void report_chart_draw(cairo_t *cr, PangoContext *ctx,
		       const struct report_chart *c, double x, double y,
		       double w, double h);
/* The chart as a PNG of w x h points drawn at `scale` pixels per point,
 * in the arena. Call with the text lock held. */
enum err report_chart_png(struct arena *a, const struct report_chart *c,
			  double w, double h, double scale, char **out,
			  size_t *len, struct error *e);

/* ---- shared by the writers: bytes growing to a maximum ---------------- */

struct report_buf {
	char *data;
	size_t len, cap, max;
	bool overflow;
};
void report_buf_init(struct report_buf *b, size_t max);
void report_buf_release(struct report_buf *b);
bool report_buf_add(struct report_buf *b, const void *p, size_t n);
bool report_buf_str(struct report_buf *b, const char *s);
bool report_buf_printf(struct report_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* cairo's write function over a report_buf (the closure). */
cairo_status_t report_buf_cairo_write(void *closure, const unsigned char *p,
				      unsigned int n);

#endif
