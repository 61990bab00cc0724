/* The report as DOCX, for the office to finish in a word processor:
 * WordprocessingML written as escaped XML text and zipped with libzip in
 * memory. The layout follows the PDF as far as Word does it: A4 and the
 * decree's margins in sectPr, Times New Roman 14, the page number centred
 * in the header from page 2 (titlePg), a borderless two-column table for
 * issuer and national title, justified paragraphs, real Word tables whose
 * header row repeats, charts as PNG pictures drawn by the same cairo code
 * as the PDF's, and a borderless table for recipients and signature. */
#include "report_render.h"
#include <stdio.h>
#include <string.h>
#include <zip.h>
#include "../base/banned.h"

/* Twips (1/20 pt) of A4 and the margins: 20 mm top and bottom, 30 left,
 * 15 right; the text is 165 mm wide. */
enum {
	TW_PAGE_W = 11906,
	TW_PAGE_H = 16838,
	TW_TOP = 1134,
	TW_LEFT = 1701,
	TW_RIGHT = 851,
	TW_BODY = 9354,
	TW_INDENT = 567, /* 1 cm, a paragraph's first line */
};
#define EMU_PER_PT 12700.0

static const char NS[] =
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
	"main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships\" "
	"xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/"
	"wordprocessingDrawing\" "
	"xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
	"xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/"
	"picture\"";

struct part {
	const char *name;
	const char *data;
	size_t len;
};

struct dx {
	struct arena *a;
	struct error *e;
	enum err err;
	struct report_buf b; /* document.xml */
	struct part parts[4 + REPORT_MAX_BLOCKS];
	int nparts, nimages;
	struct report_buf rels; /* document.xml.rels */
};

static void out(struct dx *x, const char *s)
{
	report_buf_str(&x->b, s);
}

static const char *esc(struct dx *x, const char *s)
{
	const char *r = report_xml_escape(x->a, s);
	if (!r && !x->err)
		x->err = error_set(x->e, ERR_NOMEM,
				   "report docx: out of memory");
	return r ? r : "";
}

/* A run: text in the font size (points) and style; a line break for each
 * newline. */
static void run(struct dx *x, const char *s, int size, int style, bool under)
{
	report_buf_printf(&x->b,
			  "<w:r><w:rPr>%s%s%s<w:sz w:val=\"%d\"/>"
			  "<w:szCs w:val=\"%d\"/></w:rPr>",
			  style & RTEXT_BOLD ? "<w:b/><w:bCs/>" : "",
			  style & RTEXT_ITALIC ? "<w:i/><w:iCs/>" : "",
			  under ? "<w:u w:val=\"single\"/>" : "", size * 2,
			  size * 2);
	const char *e = esc(x, s);
	for (;;) {
		const char *nl = strchr(e, '\n');
		size_t n = nl ? (size_t)(nl - e) : strlen(e);
		report_buf_str(&x->b, "<w:t xml:space=\"preserve\">");
		report_buf_add(&x->b, e, n);
		report_buf_str(&x->b, "</w:t>");
		if (!nl)
			break;
		report_buf_str(&x->b, "<w:br/>");
		e = nl + 1;
	}
	out(x, "</w:r>");
}

/* A paragraph. jc: "left", "center", "right", "both"; indent: first line
 * in twips; after: space after in twips. */
static void para(struct dx *x, const char *s, int size, int style,
		 const char *jc, int indent, int after, bool keep_next)
{
	report_buf_printf(&x->b,
			  "<w:p><w:pPr>%s<w:spacing w:before=\"0\" "
			  "w:after=\"%d\"/>",
			  keep_next ? "<w:keepNext/>" : "", after);
	if (indent)
		report_buf_printf(&x->b, "<w:ind w:firstLine=\"%d\"/>", indent);
	report_buf_printf(&x->b, "<w:jc w:val=\"%s\"/></w:pPr>", jc);
	if (*s)
		run(x, s, size, style, false);
	out(x, "</w:p>");
}

/* A short centred rule: an empty paragraph with a bottom border, indented
 * so the border is `width` twips long in a `box` twips wide column. */
static void short_rule(struct dx *x, int box, int width)
{
	int ind = (box - width) / 2;
	report_buf_printf(
		&x->b,
		"<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" "
		"w:space=\"1\" w:color=\"000000\"/></w:pBdr><w:spacing "
		"w:before=\"0\" w:after=\"60\" w:line=\"120\" "
		"w:lineRule=\"exact\"/><w:ind w:left=\"%d\" w:right=\"%d\"/>"
		"</w:pPr></w:p>",
		ind, ind);
}

static void table_open(struct dx *x, const int *w, int n, bool borders)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	report_buf_printf(&x->b,
			  "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
			  "<w:jc w:val=\"center\"/>",
			  total);
	if (borders)
		out(x, "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/>"
		       "<w:left w:val=\"single\" w:sz=\"4\"/>"
		       "<w:bottom w:val=\"single\" w:sz=\"4\"/>"
		       "<w:right w:val=\"single\" w:sz=\"4\"/>"
		       "<w:insideH w:val=\"single\" w:sz=\"4\"/>"
		       "<w:insideV w:val=\"single\" w:sz=\"4\"/>"
		       "</w:tblBorders>");
	else
		out(x, "<w:tblBorders><w:top w:val=\"nil\"/><w:left "
		       "w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right "
		       "w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV "
		       "w:val=\"nil\"/></w:tblBorders>");
	out(x, "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left "
	       "w:w=\"60\" w:type=\"dxa\"/><w:right w:w=\"60\" "
	       "w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>");
	for (int i = 0; i < n; i++)
		report_buf_printf(&x->b, "<w:gridCol w:w=\"%d\"/>", w[i]);
	out(x, "</w:tblGrid>");
}

static void cell_open(struct dx *x, int w, const char *fill)
{
	report_buf_printf(&x->b,
			  "<w:tc><w:tcPr><w:tcW w:w=\"%d\" "
			  "w:type=\"dxa\"/>",
			  w);
	if (fill)
		report_buf_printf(&x->b,
				  "<w:shd w:val=\"clear\" w:color=\"auto\" "
				  "w:fill=\"%s\"/>",
				  fill);
	out(x, "</w:tcPr>");
}

static void header(struct dx *x, const struct report_doc *d)
{
	const int w[2] = {3750, TW_BODY + 400 - 3750};
	table_open(x, w, 2, false);
	out(x, "<w:tr>");
	cell_open(x, w[0], NULL);
	for (int i = 0; i < d->nissuer; i++)
		para(x, d->issuer[i], 13, RTEXT_BOLD, "center", 0, 0, false);
	if (d->nissuer)
		short_rule(x, w[0], 1300);
	if (*d->number_text)
		para(x, d->number_text, 13, 0, "center", 0, 0, false);
	if (!d->nissuer && !*d->number_text)
		out(x, "<w:p/>");
	out(x, "</w:tc>");
	cell_open(x, w[1], NULL);
	para(x, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, RTEXT_BOLD, "center",
	     0, 0, false);
	out(x, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"120\"/>"
	       "<w:jc w:val=\"center\"/></w:pPr>");
	run(x, "Độc lập - Tự do - Hạnh phúc", 14, RTEXT_BOLD, true);
	out(x, "</w:p>");
	if (*d->place_date)
		para(x, d->place_date, 14, RTEXT_ITALIC, "center", 0, 0, false);
	out(x, "</w:tc></w:tr></w:tbl>");
	para(x, "", 14, 0, "center", 0, 0, false);
	para(x, d->type, 14, RTEXT_BOLD, "center", 0, 0, true);
	if (*d->subject)
		para(x, d->subject, 14, RTEXT_BOLD, "center", 0, 0, true);
	short_rule(x, TW_BODY, 1900);
	para(x, "", 14, 0, "center", 0, 0, false);
}

static const char *jc_of(enum report_align al)
{
	return al == RALIGN_RIGHT    ? "right"
	       : al == RALIGN_CENTER ? "center"
				     : "left";
}

static void table(struct dx *x, const struct report_block *b)
{
	int w[REPORT_MAX_COLS];
	for (int c = 0; c < b->ncols; c++)
		w[c] = (int)(b->cols[c].width * TW_BODY);
	if (*b->title)
		para(x, b->title, 13, RTEXT_BOLD, "center", 0, 60, true);
	table_open(x, w, b->ncols, true);
	/* the header row repeats on every page; no row splits */
	out(x, "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
	for (int c = 0; c < b->ncols; c++) {
		cell_open(x, w[c], "E6E6E6");
		para(x, b->cols[c].title, 12, RTEXT_BOLD, "center", 0, 0,
		     false);
		out(x, "</w:tc>");
	}
	out(x, "</w:tr>");
	for (int r = 0; r < b->nrows; r++) {
		out(x, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (int c = 0; c < b->ncols; c++) {
			cell_open(x, w[c], NULL);
			para(x, b->cells[(size_t)r * b->ncols + c].text, 12, 0,
			     jc_of(b->cols[c].align), 0, 0, false);
			out(x, "</w:tc>");
		}
		out(x, "</w:tr>");
	}
	out(x, "</w:tbl>");
	para(x, "", 12, 0, "left", 0, 0, false);
}

static void chart(struct dx *x, const struct report_chart *c)
{
	/* drawn as on the PDF page: 165 mm wide */
	const double w = 165 * 72 / 25.4, h = (c->radar ? 105 : 80) * 72 / 25.4;
	char *png;
	size_t len;
	enum err err =
		report_chart_png(x->a, c, w, h, 200.0 / 72, &png, &len, x->e);
	if (err) {
		if (!x->err)
			x->err = err;
		return;
	}
	int n = ++x->nimages;
	const char *name = arena_printf(x->a, "word/media/chart%d.png", n);
	if (!name) {
		x->err = error_set(x->e, ERR_NOMEM,
				   "report docx: out of memory");
		return;
	}
	x->parts[x->nparts++] = (struct part){name, png, len};
	report_buf_printf(&x->rels,
			  "<Relationship Id=\"rIdImg%d\" "
			  "Type=\"http://schemas.openxmlformats.org/"
			  "officeDocument/2006/relationships/image\" "
			  "Target=\"media/chart%d.png\"/>",
			  n, n);
	long cx = (long)(w * EMU_PER_PT), cy = (long)(h * EMU_PER_PT);
	report_buf_printf(
		&x->b,
		"<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"60\" "
		"w:after=\"120\"/><w:jc w:val=\"center\"/></w:pPr><w:r>"
		"<w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" "
		"distR=\"0\"><wp:extent cx=\"%ld\" cy=\"%ld\"/>"
		"<wp:docPr id=\"%d\" name=\"Biểu đồ %d\" descr=\"%s\"/>"
		"<wp:cNvGraphicFramePr><a:graphicFrameLocks "
		"noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic>"
		"<a:graphicData uri=\"http://schemas.openxmlformats.org/"
		"drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr "
		"id=\"%d\" name=\"chart%d.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
		"<pic:blipFill><a:blip r:embed=\"rIdImg%d\"/><a:stretch>"
		"<a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>"
		"<a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/>"
		"</a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>"
		"</pic:spPr></pic:pic></a:graphicData></a:graphic>"
		"</wp:inline></w:drawing></w:r></w:p>",
		cx, cy, n, n, esc(x, c->title), n, n, n, cx, cy);
}

static void closing(struct dx *x, const struct report_doc *d)
{
	if (!d->nrecipients && !*d->sign_mode && !*d->sign_title &&
	    !*d->sign_name)
		return;
	const int w[2] = {(int)(TW_BODY * 0.45),
			  TW_BODY - (int)(TW_BODY * 0.45)};
	table_open(x, w, 2, false);
	out(x, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
	cell_open(x, w[0], NULL);
	if (d->nrecipients) {
		para(x, "Nơi nhận:", 12, RTEXT_BOLD | RTEXT_ITALIC, "left", 0,
		     0, false);
		for (int i = 0; i < d->nrecipients; i++) {
			const char *s =
				arena_printf(x->a, "- %s", d->recipients[i]);
			para(x, s ? s : "", 11, 0, "left", 0, 0, false);
		}
	} else {
		out(x, "<w:p/>");
	}
	out(x, "</w:tc>");
	cell_open(x, w[1], NULL);
	if (*d->sign_mode)
		para(x, d->sign_mode, 14, RTEXT_BOLD, "center", 0, 0, false);
	if (*d->sign_title)
		para(x, d->sign_title, 14, RTEXT_BOLD, "center", 0, 0, false);
	for (int i = 0; i < 4; i++) /* room to sign */
		para(x, "", 14, 0, "center", 0, 0, false);
	para(x, d->sign_name, 14, RTEXT_BOLD, "center", 0, 0, false);
	out(x, "</w:tc></w:tr></w:tbl>");
}

static void document(struct dx *x, const struct report_doc *d)
{
	report_buf_printf(&x->b,
			  "<?xml version=\"1.0\" encoding=\"UTF-8\" "
			  "standalone=\"yes\"?>\n<w:document %s><w:body>",
			  NS);
	header(x, d);
	for (int i = 0; i < d->nblocks && !x->err; i++) {
		const struct report_block *b = &d->blocks[i];
		switch (b->type) {
		case RBLOCK_HEADING:
			para(x, b->text, 14, RTEXT_BOLD, "left", TW_INDENT, 60,
			     true);
			break;
		case RBLOCK_PARAGRAPH:
			para(x, b->text, 14, 0, "both", TW_INDENT, 120, false);
			break;
		case RBLOCK_TABLE: table(x, b); break;
		case RBLOCK_CHART: chart(x, &b->chart); break;
		}
	}
	closing(x, d);
	report_buf_printf(
		&x->b,
		"<w:sectPr><w:headerReference w:type=\"default\" "
		"r:id=\"rIdHeader\"/><w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
		"<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" "
		"w:left=\"%d\" w:header=\"567\" w:footer=\"567\" "
		"w:gutter=\"0\"/><w:titlePg/></w:sectPr></w:body>"
		"</w:document>",
		TW_PAGE_W, TW_PAGE_H, TW_TOP, TW_RIGHT, TW_TOP, TW_LEFT);
}

static const char CONTENT_TYPES[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/"
	"vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Default Extension=\"png\" ContentType=\"image/png\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.document.main+"
	"xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
	"vnd.openxmlformats-package.core-properties+xml\"/>"
	"</Types>";

static const char ROOT_RELS[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	"relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships/officeDocument\" "
	"Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
	"package/2006/relationships/metadata/core-properties\" "
	"Target=\"docProps/core.xml\"/>"
	"</Relationships>";

/* Times New Roman 14 everywhere, Vietnamese, single spacing. */
static const char STYLES[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles xmlns:w=\"http://schemas.openxmlformats.org/"
	"wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr>"
	"<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
	"w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
	"<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/>"
	"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing "
	"w:after=\"0\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr>"
	"</w:pPrDefault></w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
	"<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
	"<w:name w:val=\"Normal Table\"/><w:tblPr><w:tblCellMar><w:left "
	"w:w=\"108\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
	"</w:tblCellMar></w:tblPr></w:style></w:styles>";

/* The page number, centred; titlePg leaves page 1 without it. */
static const char HEADER[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"
	"2006/main\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
	"<w:fldSimple w:instr=\" PAGE \"><w:r><w:rPr><w:sz w:val=\"26\"/>"
	"</w:rPr><w:t>2</w:t></w:r></w:fldSimple></w:p></w:hdr>";

static void add(struct dx *x, const char *name, const char *data, size_t len)
{
	x->parts[x->nparts++] = (struct part){name, data, len};
}

/* The parts zipped in memory, into the arena. */
static enum err zip_parts(struct dx *x, char **out, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!z) {
		enum err err =
			error_set(x->e, ERR_INTERNAL, "report docx: zip: %s",
				  zip_error_strerror(&ze));
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		return err;
	}
	zip_source_keep(src); /* the bytes outlive zip_close */
	for (int i = 0; i < x->nparts; i++) {
		zip_source_t *s = zip_source_buffer(z, x->parts[i].data,
						    x->parts[i].len, 0);
		if (!s || zip_file_add(z, x->parts[i].name, s,
				       ZIP_FL_ENC_UTF_8) < 0) {
			if (s)
				zip_source_free(s);
			enum err err = error_set(
				x->e, ERR_INTERNAL, "report docx: zip %s: %s",
				x->parts[i].name, zip_strerror(z));
			zip_discard(z);
			zip_source_free(src);
			zip_error_fini(&ze);
			return err;
		}
	}
	enum err err = ERR_OK;
	if (zip_close(z) < 0) {
		err = error_set(x->e, ERR_INTERNAL, "report docx: zip: %s",
				zip_strerror(z));
		zip_discard(z);
	} else if (zip_source_open(src) < 0) {
		err = error_set(x->e, ERR_INTERNAL, "report docx: zip: reopen");
	} else {
		zip_source_seek(src, 0, SEEK_END);
		zip_int64_t n = zip_source_tell(src);
		zip_source_seek(src, 0, SEEK_SET);
		char *bytes =
			n > 0 ? arena_alloc_uninit(x->a, (size_t)n + 1) : NULL;
		if (!bytes)
			err = error_set(x->e, ERR_NOMEM,
					"report docx: out of memory");
		else if (zip_source_read(src, bytes, (zip_uint64_t)n) != n)
			err = error_set(x->e, ERR_INTERNAL,
					"report docx: zip: short read");
		else
			*out = bytes, *len = (size_t)n;
		zip_source_close(src);
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return err;
}

enum err report_docx(struct arena *a, const json_t *doc, char **out,
		     size_t *len, struct error *e)
{
	*out = NULL;
	*len = 0;
	struct report_doc d;
	enum err err = report_doc_read(a, doc, &d, e);
	if (err)
		return err;
	static struct dx zero;
	struct dx *x = arena_alloc(a, sizeof *x);
	if (!x)
		return error_set(e, ERR_NOMEM, "report docx: out of memory");
	*x = zero;
	x->a = a;
	x->e = e;
	report_buf_init(&x->b, 256u << 20);
	report_buf_init(&x->rels, 1u << 20);
	report_buf_str(&x->rels,
		       "<?xml version=\"1.0\" encoding=\"UTF-8\" "
		       "standalone=\"yes\"?>\n<Relationships "
		       "xmlns=\"http://schemas.openxmlformats.org/package/"
		       "2006/relationships\"><Relationship Id=\"rIdStyles\" "
		       "Type=\"http://schemas.openxmlformats.org/"
		       "officeDocument/2006/relationships/styles\" "
		       "Target=\"styles.xml\"/><Relationship "
		       "Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats."
		       "org/officeDocument/2006/relationships/header\" "
		       "Target=\"header1.xml\"/>");
	add(x, "[Content_Types].xml", CONTENT_TYPES, sizeof CONTENT_TYPES - 1);
	add(x, "_rels/.rels", ROOT_RELS, sizeof ROOT_RELS - 1);
	add(x, "word/styles.xml", STYLES, sizeof STYLES - 1);
	add(x, "word/header1.xml", HEADER, sizeof HEADER - 1);
	/* the charts are drawn with pango: the text lock */
	report_text_lock();
	/* Word's cells keep 108 twips each side; the columns measured in
	 * the tables' 12 pt as the PDF measures its own */
	cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	cairo_t *mcr = cairo_create(m);
	PangoContext *ctx = report_text_context(mcr, true);
	for (int i = 0; i < d.nblocks; i++)
		if (d.blocks[i].type == RBLOCK_TABLE)
			report_fit_columns(ctx, &d.blocks[i], 12,
					   2 * 108 / 20.0 + 1, TW_BODY / 20.0);
	g_object_unref(ctx);
	cairo_destroy(mcr);
	cairo_surface_destroy(m);
	document(x, &d);
	report_text_unlock();
	report_buf_str(&x->rels, "</Relationships>");
	const char *core = arena_printf(
		a,
		"<?xml version=\"1.0\" encoding=\"UTF-8\" "
		"standalone=\"yes\"?>\n"
		"<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats."
		"org/package/2006/metadata/core-properties\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>%s"
		"</dc:title><dc:creator>quantri</dc:creator>"
		"<dc:language>vi-VN</dc:language></cp:coreProperties>",
		esc(x, d.subject));
	err = x->err;
	if (!err && (x->b.overflow || x->rels.overflow))
		err = error_set(e, ERR_TOOBIG,
				"report docx: document too large");
	char *body = NULL, *rels = NULL;
	if (!err) {
		body = arena_strndup(a, x->b.data, x->b.len);
		rels = arena_strndup(a, x->rels.data, x->rels.len);
		if (!body || !rels || !core)
			err = error_set(e, ERR_NOMEM,
					"report docx: out of memory");
	}
	if (!err) {
		add(x, "word/document.xml", body, x->b.len);
		add(x, "word/_rels/document.xml.rels", rels, x->rels.len);
		add(x, "docProps/core.xml", core, strlen(core));
		err = zip_parts(x, out, len);
	}
	report_buf_release(&x->b);
	report_buf_release(&x->rels);
	return err;
}
