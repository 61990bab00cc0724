/* The report as XLSX (libxlsxwriter): one sheet "Báo cáo" laid out like
 * the paper (issuer and national title side by side, the type and
 * subject, then each block), tables as real cells (numbers as numbers,
 * formatted "#,##0", "0.0%", "0.00": a Vietnamese Excel shows 1.234,
 * 83,3%, 5,12), charts as native Excel charts whose series point at their
 * data, written as small tables on a second sheet "Số liệu". The library
 * writes only to a file: a private temporary file, read back into the
 * arena and removed. */
#include "report_render.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "../base/file.h"
#include "../base/banned.h"

enum { XLSX_MAX_TEXT = 32767 };

struct xw {
	struct arena *a;
	struct error *e;
	enum err err;
	lxw_workbook *wb;
	lxw_worksheet *ws, *data; /* the report, the charts' numbers */
	int row, data_row, width; /* columns the layout spans */
	double colw[REPORT_MAX_COLS];
	lxw_format *text, *bold, *bold_c, *caps_c, *motto, *italic_c, *plain_c,
		*title, *subject, *para, *heading, *th, *td_text, *td_c,
		*td_fmt[4], *recip_head, *recip;
};

static lxw_format *fmt(struct xw *x, double size, int style, int align,
		       bool wrap)
{
	lxw_format *f = workbook_add_format(x->wb);
	format_set_font_name(f, "Times New Roman");
	format_set_font_size(f, size);
	if (style & RTEXT_BOLD)
		format_set_bold(f);
	if (style & RTEXT_ITALIC)
		format_set_italic(f);
	if (align)
		format_set_align(f, (uint8_t)align);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (wrap)
		format_set_text_wrap(f);
	return f;
}

static void check(struct xw *x, lxw_error rc, const char *what)
{
	if (rc != LXW_NO_ERROR && !x->err)
		x->err = error_set(x->e, ERR_INVALID, "report xlsx: %s: %s",
				   what, lxw_strerror(rc));
}

/* Text in the cells [c0, c1] of the row, merged when more than one. */
static void span(struct xw *x, lxw_worksheet *ws, int row, int c0, int c1,
		 const char *s, lxw_format *f)
{
	if (strlen(s) > XLSX_MAX_TEXT) {
		if (!x->err)
			x->err = error_set(x->e, ERR_INVALID,
					   "report xlsx: a text of %zu bytes "
					   "is longer than a cell holds",
					   strlen(s));
		return;
	}
	if (c1 > c0)
		check(x,
		      worksheet_merge_range(ws, (lxw_row_t)row, (lxw_col_t)c0,
					    (lxw_row_t)row, (lxw_col_t)c1, s,
					    f),
		      "merge");
	else
		check(x,
		      worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c0,
					     s, f),
		      "cell");
}

static size_t utf8_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A row holding wrapped text over `chars` characters of width: tall
 * enough for its lines (Excel does not grow merged cells itself). */
static void wrap_height(struct xw *x, int row, const char *s, double chars,
			double size)
{
	double lines =
		ceil((double)utf8_width(s) * 1.1 / (chars > 8 ? chars : 8));
	for (const char *p = s; *p; p++)
		lines += *p == '\n';
	if (lines < 1)
		lines = 1;
	worksheet_set_row(x->ws, (lxw_row_t)row, lines * size * 1.35, NULL);
}

static double total_width(const struct xw *x)
{
	double w = 0;
	for (int c = 0; c < x->width; c++)
		w += x->colw[c];
	return w;
}

static void header(struct xw *x, const struct report_doc *d)
{
	int left1 = x->width / 2 - 1, right0 = left1 + 1, right1 = x->width - 1;
	const char *right[] = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			       "Độc lập - Tự do - Hạnh phúc", d->place_date};
	lxw_format *rf[] = {x->caps_c, x->motto, x->italic_c};
	int lines = d->nissuer + (*d->number_text ? 1 : 0);
	if (lines < 3)
		lines = 3;
	for (int i = 0; i < lines; i++) {
		const char *l = i < d->nissuer    ? d->issuer[i]
				: i == d->nissuer ? d->number_text
						  : "";
		if (*l)
			span(x, x->ws, x->row + i, 0, left1, l,
			     i < d->nissuer ? x->caps_c : x->plain_c);
		if (i < 3 && *right[i])
			span(x, x->ws, x->row + i, right0, right1, right[i],
			     rf[i]);
	}
	x->row += lines + 1;
	span(x, x->ws, x->row++, 0, x->width - 1, d->type, x->title);
	if (*d->subject) {
		wrap_height(x, x->row, d->subject, total_width(x), 14);
		span(x, x->ws, x->row++, 0, x->width - 1, d->subject,
		     x->subject);
	}
	x->row++;
}

static void table(struct xw *x, const struct report_block *b)
{
	if (*b->title)
		span(x, x->ws, x->row++, 0, x->width - 1, b->title, x->bold_c);
	for (int c = 0; c < b->ncols; c++)
		span(x, x->ws, x->row, c, c, b->cols[c].title, x->th);
	x->row++;
	for (int r = 0; r < b->nrows; r++, x->row++) {
		for (int c = 0; c < b->ncols; c++) {
			const struct report_cell *cell =
				&b->cells[(size_t)r * b->ncols + c];
			lxw_row_t row = (lxw_row_t)x->row;
			lxw_col_t col = (lxw_col_t)c;
			if (cell->is_num)
				check(x,
				      worksheet_write_number(
					      x->ws, row, col, cell->num,
					      x->td_fmt[b->cols[c].fmt]),
				      "number");
			else if (!*cell->text)
				check(x,
				      worksheet_write_blank(
					      x->ws, row, col,
					      x->td_fmt[b->cols[c].fmt]),
				      "blank");
			else
				span(x, x->ws, x->row, c, c, cell->text,
				     b->cols[c].align == RALIGN_CENTER
					     ? x->td_c
					     : x->td_text);
		}
	}
	x->row++;
}

/* The chart's numbers as a table on "Số liệu", and a native chart over
 * them on the report sheet. */
static void chart(struct xw *x, const struct report_chart *c)
{
	if (!x->data) {
		x->data = workbook_add_worksheet(x->wb, "Số liệu");
		worksheet_set_column(x->data, 0, 0, 16, NULL);
		worksheet_set_column(x->data, 1, REPORT_MAX_SERIES, 14, NULL);
	}
	int top = x->data_row;
	span(x, x->data, top, 0, 0, *c->title ? c->title : "Biểu đồ", x->bold);
	for (int s = 0; s < c->nser; s++)
		span(x, x->data, top + 1, s + 1, s + 1, c->names[s], x->th);
	span(x, x->data, top + 1, 0, 0, "", x->th);
	for (int k = 0; k < c->ncat; k++) {
		lxw_row_t row = (lxw_row_t)(top + 2 + k);
		span(x, x->data, top + 2 + k, 0, 0, c->cats[k], x->td_text);
		for (int s = 0; s < c->nser; s++) {
			double v = c->values[s * c->ncat + k];
			if (isfinite(v))
				check(x,
				      worksheet_write_number(
					      x->data, row, (lxw_col_t)(s + 1),
					      v, x->td_fmt[RFMT_TEXT]),
				      "chart value");
			else
				worksheet_write_blank(x->data, row,
						      (lxw_col_t)(s + 1),
						      x->td_fmt[RFMT_TEXT]);
		}
	}
	x->data_row = top + 2 + c->ncat + 1;

	lxw_chart *ch = workbook_add_chart(x->wb, c->radar ? LXW_CHART_RADAR
							   : LXW_CHART_COLUMN);
	if (!ch) {
		if (!x->err)
			x->err = error_set(x->e, ERR_NOMEM,
					   "report xlsx: cannot add a chart");
		return;
	}
	for (int s = 0; s < c->nser; s++) {
		lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, "Số liệu", (lxw_row_t)(top + 2),
					    0, (lxw_row_t)(top + 1 + c->ncat),
					    0);
		chart_series_set_values(
			se, "Số liệu", (lxw_row_t)(top + 2), (lxw_col_t)(s + 1),
			(lxw_row_t)(top + 1 + c->ncat), (lxw_col_t)(s + 1));
		chart_series_set_name_range(se, "Số liệu", (lxw_row_t)(top + 1),
					    (lxw_col_t)(s + 1));
	}
	if (*c->title)
		chart_title_set_name(ch, c->title);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	chart_axis_set_min(ch->y_axis, c->y_min);
	chart_axis_set_max(ch->y_axis, c->y_max);
	/* The chart as wide as the layout (a column of width w is about
	 * 7w + 5 pixels), 480 x 288 pixels by default. */
	double px = 0;
	for (int k = 0; k < x->width; k++)
		px += x->colw[k] * 7 + 5;
	lxw_chart_options opt = {.x_offset = 0,
				 .y_offset = 4,
				 .x_scale = px / 480,
				 .y_scale = c->radar ? 1.4 : 1.1};
	check(x,
	      worksheet_insert_chart_opt(x->ws, (lxw_row_t)x->row, 0, ch, &opt),
	      "chart");
	x->row += (int)ceil(288 * opt.y_scale / 20) + 2;
}

static void closing(struct xw *x, const struct report_doc *d)
{
	int left1 = x->width / 2 - 1, right0 = left1 + 1, right1 = x->width - 1;
	int r = x->row + 1, rl = r, rr = r;
	if (d->nrecipients) {
		span(x, x->ws, rl++, 0, left1, "Nơi nhận:", x->recip_head);
		for (int i = 0; i < d->nrecipients; i++) {
			char *s = arena_printf(x->a, "- %s", d->recipients[i]);
			if (s)
				span(x, x->ws, rl++, 0, left1, s, x->recip);
		}
	}
	if (*d->sign_mode)
		span(x, x->ws, rr++, right0, right1, d->sign_mode, x->bold_c);
	if (*d->sign_title)
		span(x, x->ws, rr++, right0, right1, d->sign_title, x->bold_c);
	if (*d->sign_name) {
		rr += 4; /* room to sign */
		span(x, x->ws, rr++, right0, right1, d->sign_name, x->bold_c);
	}
	x->row = rl > rr ? rl : rr;
}

/* Column widths (characters): what the tables need, at least 10 each. */
static void widths(struct xw *x, const struct report_doc *d)
{
	x->width = 4;
	for (int c = 0; c < REPORT_MAX_COLS; c++)
		x->colw[c] = 10;
	for (int i = 0; i < d->nblocks; i++) {
		const struct report_block *b = &d->blocks[i];
		if (b->type != RBLOCK_TABLE)
			continue;
		if (b->ncols > x->width)
			x->width = b->ncols;
		for (int c = 0; c < b->ncols; c++) {
			double w = utf8_width(b->cols[c].title) * 1.1 + 2;
			for (int r = 0; r < b->nrows && r < 2000; r++)
				w = fmax(w,
					 utf8_width(
						 b->cells[(size_t)r * b->ncols +
							  c]
							 .text) *
							 1.1 +
						 2);
			if (w > 50)
				w = 50;
			x->colw[c] = fmax(x->colw[c], w);
		}
	}
	/* the header's two halves hold the national title */
	double half = 0;
	for (int c = x->width / 2; c < x->width; c++)
		half += x->colw[c];
	if (half < 40)
		for (int c = x->width / 2; c < x->width; c++)
			x->colw[c] *= 40 / half;
}

static void build(struct xw *x, const struct report_doc *d)
{
	lxw_workbook *wb = x->wb;
	x->text = fmt(x, 12, 0, 0, false);
	x->bold = fmt(x, 12, RTEXT_BOLD, 0, false);
	x->bold_c = fmt(x, 13, RTEXT_BOLD, LXW_ALIGN_CENTER, true);
	x->caps_c = fmt(x, 12, RTEXT_BOLD, LXW_ALIGN_CENTER, false);
	x->motto = fmt(x, 13, RTEXT_BOLD, LXW_ALIGN_CENTER, false);
	format_set_underline(x->motto, LXW_UNDERLINE_SINGLE);
	x->italic_c = fmt(x, 13, RTEXT_ITALIC, LXW_ALIGN_CENTER, false);
	x->plain_c = fmt(x, 13, 0, LXW_ALIGN_CENTER, false);
	x->title = fmt(x, 14, RTEXT_BOLD, LXW_ALIGN_CENTER, false);
	x->subject = fmt(x, 14, RTEXT_BOLD, LXW_ALIGN_CENTER, true);
	x->para = fmt(x, 13, 0, LXW_ALIGN_JUSTIFY, true);
	x->heading = fmt(x, 13, RTEXT_BOLD, LXW_ALIGN_LEFT, false);
	x->th = fmt(x, 12, RTEXT_BOLD, LXW_ALIGN_CENTER, true);
	format_set_border(x->th, LXW_BORDER_THIN);
	format_set_bg_color(x->th, 0xE6E6E6);
	x->td_text = fmt(x, 12, 0, LXW_ALIGN_LEFT, true);
	format_set_border(x->td_text, LXW_BORDER_THIN);
	x->td_c = fmt(x, 12, 0, LXW_ALIGN_CENTER, true);
	format_set_border(x->td_c, LXW_BORDER_THIN);
	static const char *const numfmt[] = {"General", "#,##0", "0.0%",
					     "0.00"};
	for (int f = 0; f < 4; f++) {
		x->td_fmt[f] = fmt(x, 12, 0, LXW_ALIGN_RIGHT, false);
		format_set_border(x->td_fmt[f], LXW_BORDER_THIN);
		format_set_num_format(x->td_fmt[f], numfmt[f]);
	}
	x->recip_head =
		fmt(x, 12, RTEXT_BOLD | RTEXT_ITALIC, LXW_ALIGN_LEFT, false);
	x->recip = fmt(x, 11, 0, LXW_ALIGN_LEFT, false);

	x->ws = workbook_add_worksheet(wb, "Báo cáo");
	widths(x, d);
	for (int c = 0; c < x->width; c++)
		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c,
				     x->colw[c], NULL);
	worksheet_set_paper(x->ws, 9); /* A4 */
	worksheet_set_margins(x->ws, 30 / 25.4, 15 / 25.4, 20 / 25.4,
			      20 / 25.4);
	worksheet_fit_to_pages(x->ws, 1, 0);
	header(x, d);
	for (int i = 0; i < d->nblocks && !x->err; i++) {
		const struct report_block *b = &d->blocks[i];
		switch (b->type) {
		case RBLOCK_HEADING:
			span(x, x->ws, x->row++, 0, x->width - 1, b->text,
			     x->heading);
			break;
		case RBLOCK_PARAGRAPH:
			if (!*b->text)
				break;
			wrap_height(x, x->row, b->text, total_width(x), 13);
			span(x, x->ws, x->row++, 0, x->width - 1, b->text,
			     x->para);
			break;
		case RBLOCK_TABLE: table(x, b); break;
		case RBLOCK_CHART: chart(x, &b->chart); break;
		}
	}
	closing(x, d);
}

enum err report_xlsx(struct arena *a, const json_t *doc, char **out,
		     size_t *len, struct error *e)
{
	*out = NULL;
	*len = 0;
	struct report_doc d;
	enum err err = report_doc_read(a, doc, &d, e);
	if (err)
		return err;
	const char *tmp = getenv("TMPDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/quantri-report-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return error_set(e, ERR_IO,
				 "report xlsx: temporary file in %s: %s",
				 tmp && *tmp ? tmp : "/tmp", strerror(errno));
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE,
				    .tmpdir = NULL,
				    .use_zip64 = LXW_FALSE};
	struct xw x = {.a = a, .e = e, .wb = workbook_new_opt(path, &opt)};
	if (!x.wb) {
		unlink(path);
		return error_set(e, ERR_IO,
				 "report xlsx: cannot create a workbook");
	}
	build(&x, &d);
	lxw_error rc = workbook_close(x.wb);
	err = x.err;
	if (!err && rc != LXW_NO_ERROR)
		err = error_set(e, ERR_IO, "report xlsx: writing %s: %s", path,
				lxw_strerror(rc));
	if (!err) {
		size_t n;
		char *bytes = file_read_all(a, path, 512u << 20, &n, e);
		if (!bytes) {
			err = e ? e->code : ERR_IO;
		} else {
			*out = bytes;
			*len = n;
		}
	}
	unlink(path);
	return err;
}
