/* The report as PDF in the state document format (Nghị định 30/2020):
 * A4, Times New Roman (Liberation Serif, see report_text.c) 14 pt, margins
 * 20 mm top and bottom, 30 left, 15 right, page numbers centred at the top
 * from page 2. Drawn with cairo + pango into memory.
 *
 * The layout is a cursor going down the page. Everything that flows (a
 * paragraph, a table cell taller than a page) is drawn line by line, so a
 * page break falls between lines, never through one; a table breaks
 * between rows and repeats its header row; a chart, the header and the
 * closing are kept whole on one page. */
#include "report_render.h"
#include <cairo-pdf.h>
#include <math.h>
#include <string.h>
#include "../base/banned.h"

#define MM (72.0 / 25.4)
static const double PAGE_W = 210 * MM, PAGE_H = 297 * MM;
static const double M_TOP = 20 * MM, M_BOTTOM = 20 * MM, M_LEFT = 30 * MM,
		    M_RIGHT = 15 * MM;
#define BODY_W (PAGE_W - M_LEFT - M_RIGHT)
#define BOTTOM (PAGE_H - M_BOTTOM)

enum {
	FS_BODY = 14,  /* body, type, subject, motto, signature */
	FS_HEAD = 13,  /* issuer, number, national title */
	FS_TABLE = 12, /* tables */
	FS_RECIP = 11, /* recipients; "Nơi nhận:" is 12 */
};
static const double INDENT = 10 * MM;     /* first line of a paragraph */
static const double PAD_X = 3, PAD_Y = 2; /* in a table cell */

struct pdf {
	cairo_t *cr;
	PangoContext *ctx;
	int page;
	double y;
};

static PangoLayout *text(struct pdf *p, const char *s, double size, int style,
			 double width, PangoAlignment align)
{
	return report_text_layout(p->ctx, s, size, style, width, align);
}

static void show(struct pdf *p, PangoLayout *l, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

static void rule(struct pdf *p, double x0, double x1, double y)
{
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, x0, y);
	cairo_line_to(p->cr, x1, y);
	cairo_stroke(p->cr);
}

static void new_page(struct pdf *p)
{
	cairo_show_page(p->cr);
	p->page++;
	p->y = M_TOP;
	/* the page number, centred in the top margin, from page 2 */
	char n[16];
	snprintf(n, sizeof n, "%d", p->page);
	PangoLayout *l = text(p, n, FS_HEAD, 0, 0, PANGO_ALIGN_LEFT);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	show(p, l, M_LEFT + (BODY_W - report_text_width(l)) / 2,
	     M_TOP - 8 * MM);
	g_object_unref(l);
}

/* ---- lines of a layout, for page breaks between them ---- */

/* The layout y where the lines starting at `from` stop fitting in `room`
 * points (the layout's height when all fit). `force`: take the first line
 * even when it does not fit (a fresh page: progress is certain). */
static double fit_lines(PangoLayout *l, double from, double room, bool force)
{
	double h = report_text_height(l), next = h;
	bool any = false;
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double ly = (double)r.y / PANGO_SCALE,
		       lh = (double)r.height / PANGO_SCALE;
		if (ly + 0.01 < from)
			continue;
		if (ly + lh - from > room + 0.01 && (any || !force)) {
			next = ly;
			break;
		}
		any = true;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return next < from ? from : next;
}

/* Draws l's lines whose layout y is in [from, to) with layout y `from` at
 * page y `y`. */
static void draw_lines(struct pdf *p, PangoLayout *l, double x, double y,
		       double from, double to)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double ly = (double)r.y / PANGO_SCALE;
		if (ly + 0.01 < from)
			continue;
		if (ly + 0.01 >= to)
			break;
		double base = (double)pango_layout_iter_get_baseline(it) /
			      PANGO_SCALE;
		cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE,
			      y + base - from);
		pango_cairo_show_layout_line(
			p->cr, pango_layout_iter_get_line_readonly(it));
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* The layout y under its first `lines` lines. */
static double lines_height(PangoLayout *l, int lines)
{
	double h = report_text_height(l);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	for (int i = 0; i < lines; i++) {
		if (!pango_layout_iter_next_line(it)) {
			pango_layout_iter_free(it);
			return h;
		}
	}
	PangoRectangle r;
	pango_layout_iter_get_line_extents(it, NULL, &r);
	pango_layout_iter_free(it);
	return (double)r.y / PANGO_SCALE;
}

static bool fresh_page(const struct pdf *p)
{
	return p->y <= M_TOP + 0.5;
}

/* l drawn from the cursor at x, continuing on new pages. `reserve`: what
 * must follow the layout on its last page (the signature after the last
 * paragraph); the last two lines go over with it when it does not fit. */
static void flow(struct pdf *p, PangoLayout *l, double x, double reserve)
{
	double h = report_text_height(l), at = 0;
	for (;;) {
		double next = fit_lines(l, at, BOTTOM - p->y, fresh_page(p));
		if (next >= h - 0.01 && reserve > 0 &&
		    p->y + (h - at) + reserve > BOTTOM && !fresh_page(p)) {
			int n = pango_layout_get_line_count(l);
			next = lines_height(l, n > 2 ? n - 2 : 0);
			if (next < at)
				next = at;
		}
		if (next > at) {
			draw_lines(p, l, x, p->y, at, next);
			p->y += next - at;
			at = next;
		}
		if (at >= h - 0.01)
			break;
		new_page(p);
	}
}

/* ---- the header: issuer, number, national title, motto, place, date -- */

static void header(struct pdf *p, const struct report_doc *d)
{
	/* The two columns reach 4 mm into the left margin, as the decree's
	 * model does, so the national title fits on one line. */
	const double lx = M_LEFT - 4 * MM, left_w = 66 * MM;
	const double rx = lx + left_w, right_w = PAGE_W - M_RIGHT - rx;
	double y = M_TOP;
	double widest = 0;
	for (int i = 0; i < d->nissuer; i++) {
		PangoLayout *l = text(p, d->issuer[i], FS_HEAD, RTEXT_BOLD,
				      left_w, PANGO_ALIGN_CENTER);
		show(p, l, lx, y);
		y += report_text_height(l);
		widest = fmax(widest, fmin(report_text_width(l), left_w));
		g_object_unref(l);
	}
	if (d->nissuer) {
		/* the rule: a third to a half of the line above */
		double rw = widest * 0.4;
		rule(p, lx + (left_w - rw) / 2, lx + (left_w + rw) / 2, y + 3);
		y += 9;
	}
	if (*d->number_text) {
		PangoLayout *l = text(p, d->number_text, FS_HEAD, 0, left_w,
				      PANGO_ALIGN_CENTER);
		show(p, l, lx, y);
		y += report_text_height(l);
		g_object_unref(l);
	}
	double left_bottom = y;
	y = M_TOP;
	PangoLayout *l = text(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", FS_HEAD,
			      RTEXT_BOLD, right_w, PANGO_ALIGN_CENTER);
	show(p, l, rx, y);
	y += report_text_height(l);
	g_object_unref(l);
	l = text(p, "Độc lập - Tự do - Hạnh phúc", FS_BODY, RTEXT_BOLD, right_w,
		 PANGO_ALIGN_CENTER);
	show(p, l, rx, y);
	y += report_text_height(l);
	double mw = report_text_width(l);
	g_object_unref(l);
	/* the motto's rule is as long as the motto */
	rule(p, rx + (right_w - mw) / 2, rx + (right_w + mw) / 2, y + 2.5);
	y += 9;
	if (*d->place_date) {
		l = text(p, d->place_date, FS_BODY, RTEXT_ITALIC, right_w,
			 PANGO_ALIGN_CENTER);
		show(p, l, rx, y);
		y += report_text_height(l);
		g_object_unref(l);
	}
	p->y = fmax(left_bottom, y) + 18;
	l = text(p, d->type, FS_BODY, RTEXT_BOLD, BODY_W, PANGO_ALIGN_CENTER);
	show(p, l, M_LEFT, p->y);
	p->y += report_text_height(l);
	g_object_unref(l);
	if (*d->subject) {
		l = text(p, d->subject, FS_BODY, RTEXT_BOLD, BODY_W * 0.86,
			 PANGO_ALIGN_CENTER);
		show(p, l, M_LEFT + BODY_W * 0.07, p->y);
		p->y += report_text_height(l);
		g_object_unref(l);
	}
	rule(p, M_LEFT + BODY_W * 0.4, M_LEFT + BODY_W * 0.6, p->y + 4);
	p->y += 18;
}

/* ---- body blocks ---- */

static void paragraph(struct pdf *p, const char *s, bool heading,
		      double reserve)
{
	PangoLayout *l = text(p, s, FS_BODY, heading ? RTEXT_BOLD : 0, BODY_W,
			      PANGO_ALIGN_LEFT);
	pango_layout_set_indent(l, (int)(INDENT * PANGO_SCALE));
	pango_layout_set_line_spacing(l, 1.15f);
	if (!heading)
		pango_layout_set_justify(l, TRUE);
	/* A heading stays with the next block's first lines; a paragraph
	 * does not leave a single line at the bottom of a page. */
	double need = heading ? report_text_height(l) + 4 + reserve
			      : lines_height(l, 2);
	if (p->y + need > BOTTOM && !fresh_page(p))
		new_page(p);
	if (heading)
		p->y += 4;
	flow(p, l, M_LEFT, heading ? 0 : reserve);
	g_object_unref(l);
	p->y += 6;
}

static void row_layouts(struct pdf *p, const struct report_block *b,
			const char *const *texts, bool header,
			PangoLayout **out, double *h)
{
	*h = 0;
	for (int c = 0; c < b->ncols; c++) {
		double w = b->cols[c].width * BODY_W - 2 * PAD_X;
		PangoAlignment al =
			header                              ? PANGO_ALIGN_CENTER
			: b->cols[c].align == RALIGN_RIGHT  ? PANGO_ALIGN_RIGHT
			: b->cols[c].align == RALIGN_CENTER ? PANGO_ALIGN_CENTER
							    : PANGO_ALIGN_LEFT;
		out[c] = text(p, texts[c], FS_TABLE, header ? RTEXT_BOLD : 0,
			      w > 4 ? w : 4, al);
		*h = fmax(*h, report_text_height(out[c]));
	}
	*h += 2 * PAD_Y;
}

static void free_layouts(PangoLayout **l, int n)
{
	for (int c = 0; c < n; c++)
		g_object_unref(l[c]);
}

/* Draws the part of a row from offsets at[] that fits under the cursor
 * (all of it when it fits), advancing at[] and the cursor. */
static void row_part(struct pdf *p, const struct report_block *b,
		     PangoLayout **cell, double *at, bool fill)
{
	double room = BOTTOM - p->y - 2 * PAD_Y, used = 0;
	double next[REPORT_MAX_COLS];
	for (int c = 0; c < b->ncols; c++) {
		next[c] = fit_lines(cell[c], at[c], room, fresh_page(p));
		used = fmax(used, next[c] - at[c]);
	}
	used += 2 * PAD_Y;
	double x = M_LEFT;
	cairo_set_line_width(p->cr, 0.5);
	for (int c = 0; c < b->ncols; c++) {
		double w = b->cols[c].width * BODY_W;
		cairo_rectangle(p->cr, x, p->y, w, used);
		if (fill) {
			cairo_set_source_rgb(p->cr, 0.90, 0.90, 0.90);
			cairo_fill_preserve(p->cr);
		}
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		cairo_stroke(p->cr);
		/* a right-aligned number and its neighbours share a
		 * baseline: each cell starts at the top */
		if (next[c] > at[c])
			draw_lines(p, cell[c], x + PAD_X, p->y + PAD_Y, at[c],
				   next[c]);
		at[c] = next[c];
		x += w;
	}
	p->y += used;
}

static bool row_done(PangoLayout **cell, const double *at, int n)
{
	for (int c = 0; c < n; c++)
		if (at[c] < report_text_height(cell[c]) - 0.01)
			return false;
	return true;
}

static void header_row(struct pdf *p, const struct report_block *b,
		       PangoLayout **head)
{
	double at[REPORT_MAX_COLS] = {0};
	while (!row_done(head, at, b->ncols))
		row_part(p, b, head, at, true);
}

static PangoLayout *table_title(struct pdf *p, const struct report_block *b)
{
	return *b->title ? text(p, b->title, FS_BODY - 1, RTEXT_BOLD, BODY_W,
				PANGO_ALIGN_CENTER)
			 : NULL;
}

/* What must be on one page for the table to start there: its title, the
 * header row and the first row. */
static double table_start(struct pdf *p, const struct report_block *b)
{
	PangoLayout *l[REPORT_MAX_COLS];
	const char *texts[REPORT_MAX_COLS];
	double hh, first = 0, th = 0;
	for (int c = 0; c < b->ncols; c++)
		texts[c] = b->cols[c].title;
	row_layouts(p, b, texts, true, l, &hh);
	free_layouts(l, b->ncols);
	if (b->nrows) {
		for (int c = 0; c < b->ncols; c++)
			texts[c] = b->cells[c].text;
		row_layouts(p, b, texts, false, l, &first);
		free_layouts(l, b->ncols);
	}
	PangoLayout *title = table_title(p, b);
	if (title) {
		th = report_text_height(title) + 4;
		g_object_unref(title);
	}
	return th + hh + first;
}

/* `reserve`: what must follow the last row on its page (the closing). */
static void table(struct pdf *p, const struct report_block *b, double reserve)
{
	PangoLayout *head[REPORT_MAX_COLS], *cell[REPORT_MAX_COLS];
	const char *texts[REPORT_MAX_COLS];
	double hh, at[REPORT_MAX_COLS];
	for (int c = 0; c < b->ncols; c++)
		texts[c] = b->cols[c].title;
	row_layouts(p, b, texts, true, head, &hh);
	if (p->y + table_start(p, b) > BOTTOM && !fresh_page(p))
		new_page(p);
	PangoLayout *title = table_title(p, b);
	if (title) {
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		show(p, title, M_LEFT, p->y);
		p->y += report_text_height(title) + 4;
		g_object_unref(title);
	}
	header_row(p, b, head);
	for (int r = 0; r < b->nrows; r++) {
		double h;
		for (int c = 0; c < b->ncols; c++) {
			texts[c] = b->cells[(size_t)r * b->ncols + c].text;
			at[c] = 0;
		}
		row_layouts(p, b, texts, false, cell, &h);
		/* A row that fits on a page is not cut: it goes to the next
		 * page, under the header again; the last row takes the
		 * closing's room with it. */
		double need = h + (r == b->nrows - 1 ? reserve : 0);
		bool fits_page = need <= BOTTOM - M_TOP - hh;
		if (!fits_page)
			need = h;
		for (;;) {
			if (p->y + need > BOTTOM + 0.01 &&
			    (fits_page || p->y + 2 * FS_TABLE > BOTTOM)) {
				new_page(p);
				header_row(p, b, head);
			}
			row_part(p, b, cell, at, false);
			if (row_done(cell, at, b->ncols))
				break;
			/* a row taller than a page: the rest on the next */
			new_page(p);
			header_row(p, b, head);
			need = 0;
		}
		free_layouts(cell, b->ncols);
	}
	free_layouts(head, b->ncols);
	p->y += 10;
}

static double chart_height(const struct report_chart *c)
{
	return c->radar ? 105 * MM : 80 * MM;
}

static void chart(struct pdf *p, const struct report_chart *c)
{
	double h = chart_height(c);
	if (p->y + h > BOTTOM && !fresh_page(p))
		new_page(p);
	report_chart_draw(p->cr, p->ctx, c, M_LEFT, p->y, BODY_W, h);
	p->y += h + 10;
}

/* ---- the closing: recipients at left, the signature at right ---- */

/* Draws the closing when `draw`, else only measures it. */
static double closing(struct pdf *p, const struct report_doc *d,
		      struct arena *a, bool draw)
{
	const double lw = BODY_W * 0.45, rw = BODY_W * 0.55;
	const double rx = M_LEFT + lw, sign_space = 28 * MM;
	PangoLayout *left[REPORT_MAX_LINES + 1], *right[3];
	int nl = 0, nr = 0;
	double lh = 0, rh = 0;
	if (d->nrecipients) {
		left[nl] = text(p, "Nơi nhận:", 12, RTEXT_BOLD | RTEXT_ITALIC,
				lw, PANGO_ALIGN_LEFT);
		lh += report_text_height(left[nl++]);
		for (int i = 0; i < d->nrecipients; i++) {
			const char *s =
				arena_printf(a, "- %s", d->recipients[i]);
			left[nl] = text(p, s ? s : "", FS_RECIP, 0, lw,
					PANGO_ALIGN_LEFT);
			lh += report_text_height(left[nl++]);
		}
	}
	if (*d->sign_mode)
		right[nr++] = text(p, d->sign_mode, FS_BODY, RTEXT_BOLD, rw,
				   PANGO_ALIGN_CENTER);
	if (*d->sign_title)
		right[nr++] = text(p, d->sign_title, FS_BODY, RTEXT_BOLD, rw,
				   PANGO_ALIGN_CENTER);
	int nsign = nr;
	if (*d->sign_name)
		right[nr++] = text(p, d->sign_name, FS_BODY, RTEXT_BOLD, rw,
				   PANGO_ALIGN_CENTER);
	for (int i = 0; i < nr; i++)
		rh += report_text_height(right[i]);
	if (nr)
		rh += sign_space;
	double h = fmax(lh, rh);
	if (h && draw) {
		p->y += 12;
		if (p->y + h > BOTTOM && !fresh_page(p))
			new_page(p);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		double y = p->y;
		for (int i = 0; i < nl; i++) {
			show(p, left[i], M_LEFT, y);
			y += report_text_height(left[i]);
		}
		y = p->y;
		for (int i = 0; i < nr; i++) {
			if (i == nsign) /* the name under the space to sign */
				y += sign_space;
			show(p, right[i], rx, y);
			y += report_text_height(right[i]);
		}
		p->y += h;
	}
	free_layouts(left, nl);
	free_layouts(right, nr);
	return h ? h + 12 : 0;
}

/* ---- the document ---- */

/* What of block b must be on the page where it starts. */
static double block_start(struct pdf *p, const struct report_block *b)
{
	switch (b->type) {
	case RBLOCK_HEADING:
	case RBLOCK_PARAGRAPH: {
		PangoLayout *l =
			text(p, b->text, FS_BODY,
			     b->type == RBLOCK_HEADING ? RTEXT_BOLD : 0, BODY_W,
			     PANGO_ALIGN_LEFT);
		pango_layout_set_indent(l, (int)(INDENT * PANGO_SCALE));
		pango_layout_set_line_spacing(l, 1.15f);
		double h = lines_height(l, 2) + 10;
		g_object_unref(l);
		return h;
	}
	case RBLOCK_TABLE: return table_start(p, b);
	case RBLOCK_CHART: return chart_height(&b->chart);
	}
	return 0;
}

static void draw(struct pdf *p, const struct report_doc *d, struct arena *a)
{
	header(p, d);
	double end = closing(p, d, a, false);
	for (int i = 0; i < d->nblocks; i++) {
		const struct report_block *b = &d->blocks[i];
		bool last = i == d->nblocks - 1;
		switch (b->type) {
		case RBLOCK_HEADING:
			/* a heading stays with the start of what follows */
			paragraph(p, b->text, true,
				  last ? end
				       : block_start(p, &d->blocks[i + 1]) +
						  (i + 2 == d->nblocks ? end
								       : 0));
			break;
		case RBLOCK_PARAGRAPH:
			paragraph(p, b->text, false, last ? end : 0);
			break;
		case RBLOCK_TABLE: table(p, b, last ? end : 0); break;
		case RBLOCK_CHART: chart(p, &b->chart); break;
		}
	}
	closing(p, d, a, true);
}

enum err report_pdf(struct arena *a, const json_t *doc, char **out, size_t *len,
		    struct error *e)
{
	*out = NULL;
	*len = 0;
	struct report_doc d;
	enum err err = report_doc_read(a, doc, &d, e);
	if (err)
		return err;
	struct report_buf buf;
	report_buf_init(&buf, 256u << 20);
	report_text_lock();
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
		report_buf_cairo_write, &buf, PAGE_W, PAGE_H);
	cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
	if (*d.subject)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
					       d.subject);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
				       "quantri");
	struct pdf p = {.cr = cairo_create(s), .page = 1, .y = M_TOP};
	p.ctx = report_text_context(p.cr, true);
	for (int i = 0; i < d.nblocks; i++)
		if (d.blocks[i].type == RBLOCK_TABLE)
			report_fit_columns(p.ctx, &d.blocks[i], FS_TABLE,
					   2 * PAD_X + 1, BODY_W);
	draw(&p, &d, a);
	g_object_unref(p.ctx);
	cairo_status_t st = cairo_status(p.cr);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	report_text_unlock();
	if (buf.overflow)
		err = error_set(e, ERR_TOOBIG, "report pdf: over %zu bytes",
				buf.max);
	else if (st != CAIRO_STATUS_SUCCESS)
		err = error_set(e, ERR_INTERNAL, "report pdf: cairo: %s",
				cairo_status_to_string(st));
	else if (!(*out = arena_alloc_uninit(a, buf.len + 1)))
		err = error_set(e, ERR_NOMEM, "report pdf: out of memory");
	if (!err) {
		memcpy(*out, buf.data, buf.len);
		(*out)[buf.len] = 0;
		*len = buf.len;
	}
	report_buf_release(&buf);
	return err;
}
