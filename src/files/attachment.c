/* What an upload is, told by its bytes and never by its name or the
 * browser's claim; whether its name agrees; and the name cleaned for
 * storage. No database here: attachment_db.c stores what passed. */
#include "attachment.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include <zip.h>
#include "../base/config.h"
#include "../base/banned.h"

/* What the bytes are. Kinds with no ATTACH_* bit are refused, but named,
 * so the message can say what was sent. */
enum content {
	C_UNKNOWN,
	C_JPEG,
	C_PNG,
	C_WEBP,
	C_PDF,
	C_DOCX,
	C_XLSX,
	C_PPTX,
	C_ODT,
	C_ODS,
	C_ODP,
	C_DOC,
	C_XLS,
	C_PPT,
	/* refused */
	C_ZIP,
	C_OLE,
	C_ARCHIVE,
	C_EXE,
	C_SCRIPT,
	C_HTML,
	C_SVG,
	C_XML,
	C_GIF,
	C_HEIC,
	C_VIDEO,
	C_COUNT
};

static const struct content_info {
	unsigned kind; /* ATTACH_* bit, 0 if refused */
	const char *mime, *en, *vi;
	const char *ext[3]; /* extensions that name it, lower case */
} info[C_COUNT] = {
	[C_UNKNOWN] = {0, NULL, "of an unknown kind", "không rõ loại", {0}},
	[C_JPEG] = {ATTACH_IMAGE,
		    "image/jpeg",
		    "a JPEG image",
		    "ảnh JPEG",
		    {"jpg", "jpeg", "jfif"}},
	[C_PNG] =
		{ATTACH_IMAGE, "image/png", "a PNG image", "ảnh PNG", {"png"}},
	[C_WEBP] = {ATTACH_IMAGE,
		    "image/webp",
		    "a WebP image",
		    "ảnh WebP",
		    {"webp"}},
	[C_PDF] = {ATTACH_PDF, "application/pdf", "a PDF", "PDF", {"pdf"}},
	[C_DOCX] = {ATTACH_OFFICE,
		    "application/"
		    "vnd.openxmlformats-officedocument.wordprocessingml."
		    "document",
		    "a Word document",
		    "văn bản Word",
		    {"docx"}},
	[C_XLSX] = {ATTACH_OFFICE,
		    "application/"
		    "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		    "an Excel workbook",
		    "bảng tính Excel",
		    {"xlsx"}},
	[C_PPTX] = {ATTACH_OFFICE,
		    "application/"
		    "vnd.openxmlformats-officedocument.presentationml."
		    "presentation",
		    "a PowerPoint presentation",
		    "bản trình chiếu PowerPoint",
		    {"pptx"}},
	[C_ODT] = {ATTACH_OFFICE,
		   "application/vnd.oasis.opendocument.text",
		   "an OpenDocument text",
		   "văn bản OpenDocument",
		   {"odt"}},
	[C_ODS] = {ATTACH_OFFICE,
		   "application/vnd.oasis.opendocument.spreadsheet",
		   "an OpenDocument spreadsheet",
		   "bảng tính OpenDocument",
		   {"ods"}},
	[C_ODP] = {ATTACH_OFFICE,
		   "application/vnd.oasis.opendocument.presentation",
		   "an OpenDocument presentation",
		   "bản trình chiếu OpenDocument",
		   {"odp"}},
	[C_DOC] = {ATTACH_OFFICE,
		   "application/msword",
		   "a Word 97-2003 document",
		   "văn bản Word 97-2003",
		   {"doc"}},
	[C_XLS] = {ATTACH_OFFICE,
		   "application/vnd.ms-excel",
		   "an Excel 97-2003 workbook",
		   "bảng tính Excel 97-2003",
		   {"xls"}},
	[C_PPT] = {ATTACH_OFFICE,
		   "application/vnd.ms-powerpoint",
		   "a PowerPoint 97-2003 presentation",
		   "bản trình chiếu PowerPoint 97-2003",
		   {"ppt"}},
	[C_ZIP] = {0, NULL, "a zip archive", "tệp nén zip", {"zip"}},
	[C_OLE] = {0,
		   NULL,
		   "an Office 97-2003 file of an unknown kind",
		   "tệp Office 97-2003 không rõ loại",
		   {0}},
	[C_ARCHIVE] = {0,
		       NULL,
		       "a compressed archive",
		       "tệp nén",
		       {"rar", "7z", "gz"}},
	[C_EXE] = {0,
		   NULL,
		   "a program",
		   "chương trình chạy được",
		   {"exe", "msi", "apk"}},
	[C_SCRIPT] = {0, NULL, "a script", "tệp lệnh (script)", {"sh", "bat"}},
	[C_HTML] = {0, NULL, "an HTML page", "trang HTML", {"html", "htm"}},
	[C_SVG] = {0, NULL, "an SVG image", "ảnh SVG", {"svg"}},
	[C_XML] = {0, NULL, "an XML file", "tệp XML", {"xml"}},
	[C_GIF] = {0, NULL, "a GIF image", "ảnh GIF", {"gif"}},
	[C_HEIC] = {0, NULL, "a HEIC image", "ảnh HEIC", {"heic", "heif"}},
	[C_VIDEO] = {0, NULL, "a video", "video", {"mp4", "mov"}},
};

static bool starts(const unsigned char *d, size_t n, const void *magic,
		   size_t m)
{
	return n >= m && memcmp(d, magic, m) == 0;
}

/* Zip-based documents: OOXML has [Content_Types].xml and its part
 * folder; ODF stores its type in an entry named "mimetype". */
static enum content sniff_zip(const unsigned char *d, size_t n)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(d, n, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return C_ZIP;
	}
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	zip_error_fini(&ze);
	if (!z) {
		zip_source_free(src);
		return C_ZIP;
	}
	bool types = false, word = false, xl = false, ppt = false;
	enum content odf = C_UNKNOWN;
	zip_int64_t count = zip_get_num_entries(z, 0);
	if (count > 100000)
		count = 100000; /* a document has far fewer parts */
	for (zip_int64_t i = 0; i < count; i++) {
		const char *name =
			zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		if (!name)
			continue;
		if (!strcmp(name, "[Content_Types].xml"))
			types = true;
		else if (!strncmp(name, "word/", 5))
			word = true;
		else if (!strncmp(name, "xl/", 3))
			xl = true;
		else if (!strncmp(name, "ppt/", 4))
			ppt = true;
		else if (!strcmp(name, "mimetype")) {
			char buf[80] = "";
			zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
			if (f) {
				zip_int64_t r =
					zip_fread(f, buf, sizeof buf - 1);
				buf[r > 0 ? r : 0] = '\0';
				zip_fclose(f);
			}
			if (!strcmp(buf, info[C_ODT].mime))
				odf = C_ODT;
			else if (!strcmp(buf, info[C_ODS].mime))
				odf = C_ODS;
			else if (!strcmp(buf, info[C_ODP].mime))
				odf = C_ODP;
		}
	}
	zip_discard(z); /* frees src too */
	if (types && word)
		return C_DOCX;
	if (types && xl)
		return C_XLSX;
	if (types && ppt)
		return C_PPTX;
	if (odf != C_UNKNOWN)
		return odf;
	return C_ZIP;
}

/* An OLE2 compound file is Word, Excel or PowerPoint by the stream it
 * holds; directory entries store names in UTF-16LE, NUL-terminated. When
 * several are present (an embedded object), the extension decides. */
static bool has_stream(const unsigned char *d, size_t n, const char *name)
{
	unsigned char w[80];
	size_t k = 0;
	for (const char *p = name; *p && k + 4 <= sizeof w; p++) {
		w[k++] = (unsigned char)*p;
		w[k++] = 0;
	}
	w[k++] = 0;
	w[k++] = 0;
	return memmem(d, n, w, k) != NULL;
}

static enum content sniff_ole(const unsigned char *d, size_t n, const char *ext)
{
	bool doc = has_stream(d, n, "WordDocument");
	bool xls = has_stream(d, n, "Workbook") || has_stream(d, n, "Book");
	bool ppt = has_stream(d, n, "PowerPoint Document");
	if (ext) {
		if (doc && !strcasecmp(ext, "doc"))
			return C_DOC;
		if (xls && !strcasecmp(ext, "xls"))
			return C_XLS;
		if (ppt && !strcasecmp(ext, "ppt"))
			return C_PPT;
	}
	return doc ? C_DOC : xls ? C_XLS : ppt ? C_PPT : C_OLE;
}

/* Text that a browser would run: HTML, SVG (which may hold script). */
static enum content sniff_markup(const unsigned char *d, size_t n)
{
	size_t i = 0;
	if (starts(d, n, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n &&
	       (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	if (i >= n || d[i] != '<')
		return C_UNKNOWN;
	size_t m = n - i < 1024 ? n - i : 1024;
	char head[1025];
	for (size_t k = 0; k < m; k++) {
		unsigned char c = d[i + k];
		head[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	head[m] = '\0';
	static const char *html[] = {"<!doctype html", "<html",   "<head",
				     "<body",          "<script", "<iframe"};
	for (size_t k = 0; k < sizeof html / sizeof *html; k++)
		if (!strncmp(head, html[k], strlen(html[k])))
			return C_HTML;
	if (memmem(head, m, "<svg", 4))
		return C_SVG;
	if (!strncmp(head, "<?xml", 5))
		return C_XML;
	if (memmem(head, m, "<html", 5) || memmem(head, m, "<script", 7))
		return C_HTML;
	return C_UNKNOWN;
}

static enum content sniff(const unsigned char *d, size_t n, const char *ext)
{
	if (starts(d, n, "\xFF\xD8\xFF", 3))
		return C_JPEG;
	if (starts(d, n, "\x89PNG\r\n\x1A\n", 8))
		return C_PNG;
	if (n >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4))
		return C_WEBP;
	if (starts(d, n, "%PDF-", 5))
		return C_PDF;
	if (starts(d, n, "PK\x03\x04", 4) || starts(d, n, "PK\x05\x06", 4))
		return sniff_zip(d, n);
	if (starts(d, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return sniff_ole(d, n, ext);
	if (starts(d, n, "GIF87a", 6) || starts(d, n, "GIF89a", 6))
		return C_GIF;
	if (n >= 12 && !memcmp(d + 4, "ftyp", 4)) {
		static const char *heic[] = {"heic", "heix", "hevc", "heif",
					     "mif1", "msf1", "avif"};
		for (size_t k = 0; k < sizeof heic / sizeof *heic; k++)
			if (!memcmp(d + 8, heic[k], 4))
				return C_HEIC;
		return C_VIDEO;
	}
	if (starts(d, n, "Rar!\x1A\x07", 6) ||
	    starts(d, n, "7z\xBC\xAF\x27\x1C", 6) ||
	    starts(d, n, "\x1F\x8B", 2) || starts(d, n, "BZh", 3) ||
	    starts(d, n,
		   "\xFD"
		   "7zXZ",
		   5))
		return C_ARCHIVE;
	if (starts(d, n, "MZ", 2) ||
	    starts(d, n,
		   "\x7F"
		   "ELF",
		   4) ||
	    starts(d, n, "\xFE\xED\xFA\xCE", 4) ||
	    starts(d, n, "\xFE\xED\xFA\xCF", 4) ||
	    starts(d, n, "\xCE\xFA\xED\xFE", 4) ||
	    starts(d, n, "\xCF\xFA\xED\xFE", 4) ||
	    starts(d, n, "\xCA\xFE\xBA\xBE", 4) || starts(d, n, "dex\n", 4))
		return C_EXE;
	if (starts(d, n, "#!", 2))
		return C_SCRIPT;
	return sniff_markup(d, n);
}

static enum content content_of_ext(const char *ext)
{
	for (int c = 1; c < C_COUNT; c++)
		for (int k = 0; k < 3 && info[c].ext[k]; k++)
			if (!strcasecmp(ext, info[c].ext[k]))
				return (enum content)c;
	return C_UNKNOWN;
}

/* ---- file names ---- */

enum { NAME_MAX_BYTES = 200 };

static bool refused_char(utf8proc_int32_t c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) ||
	       /* bidirectional controls: "anh<RLO>gpj.exe" shows as
		* "anhexe.jpg" */
	       c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

/* Writes the cleaned name of `name` into out (NAME_MAX_BYTES + 1). */
static void clean_into(const char *name, char out[NAME_MAX_BYTES + 1])
{
	if (!name)
		name = "";
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)base);
	const utf8proc_uint8_t *s = nfc ? nfc : (const utf8proc_uint8_t *)base;
	size_t n = strlen((const char *)s);
	/* every character kept is at most as long as it was */
	char *tmp = malloc(n + 1);
	if (!tmp) {
		free(nfc);
		snprintf(out, NAME_MAX_BYTES + 1, "tệp");
		return;
	}
	size_t j = 0;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t k =
			utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0) { /* not UTF-8: one byte becomes '_' */
			tmp[j++] = '_';
			i++;
			continue;
		}
		if (refused_char(c)) {
			i += (size_t)k;
			continue;
		}
		if (strchr("<>:\"|?*", (int)c) && c < 0x80)
			tmp[j++] = '_'; /* not allowed in Windows names */
		else
			for (utf8proc_ssize_t b = 0; b < k; b++)
				tmp[j++] = (char)s[i + (size_t)b];
		i += (size_t)k;
	}
	tmp[j] = '\0';
	free(nfc);
	/* trimmed: no leading dots (hidden files), no trailing dots or
	 * spaces (Windows drops them, and the extension with them) */
	char *b = tmp;
	while (*b == ' ' || *b == '.')
		b++;
	size_t len = strlen(b);
	while (len && (b[len - 1] == ' ' || b[len - 1] == '.'))
		b[--len] = '\0';
	if (len == 0) {
		free(tmp);
		snprintf(out, NAME_MAX_BYTES + 1, "tệp");
		return;
	}
	if (len <= NAME_MAX_BYTES) {
		memcpy(out, b, len + 1);
		free(tmp);
		return;
	}
	/* too long: cut the stem at a character boundary, keep the
	 * extension */
	const char *dot = strrchr(b, '.');
	size_t el = dot && strlen(dot) <= 16 ? strlen(dot) : 0;
	size_t stem = NAME_MAX_BYTES - el;
	while (stem > 0 && ((unsigned char)b[stem] & 0xC0) == 0x80)
		stem--;
	memcpy(out, b, stem);
	memcpy(out + stem, b + len - el, el);
	out[stem + el] = '\0';
	free(tmp);
}

char *attachment_clean_filename(struct arena *a, const char *name)
{
	char out[NAME_MAX_BYTES + 1];
	clean_into(name, out);
	return arena_strdup(a, out);
}

/* ---- messages ---- */

/* 52428800 -> "50,0 MB" (vi) or "50.0 MB" (en); with exact, whole
 * megabytes without decimals ("10 MB"); under a megabyte in KB. */
static void size_str(char *buf, size_t cap, long long bytes, bool exact,
		     bool vi)
{
	const long long mb = 1048576;
	if (bytes < mb) {
		snprintf(buf, cap, "%lld KB", (bytes + 1023) / 1024);
		return;
	}
	if (exact && bytes % mb == 0) {
		snprintf(buf, cap, "%lld MB", bytes / mb);
		return;
	}
	long long tenths = (bytes * 10 + mb / 2) / mb;
	long long whole = tenths / 10;
	char w[32];
	if (vi && whole >= 1000)
		snprintf(w, sizeof w, "%lld.%03lld", whole / 1000,
			 whole % 1000);
	else
		snprintf(w, sizeof w, "%lld", whole);
	snprintf(buf, cap, "%s%c%lld MB", w, vi ? ',' : '.', tenths % 10);
}

static void kinds_text(unsigned kinds, bool vi, char *buf, size_t cap)
{
	const char *parts[3];
	int n = 0;
	if (kinds & ATTACH_IMAGE)
		parts[n++] = vi ? "ảnh JPEG/PNG/WebP" : "JPEG/PNG/WebP images";
	if (kinds & ATTACH_PDF)
		parts[n++] = "PDF";
	if (kinds & ATTACH_OFFICE)
		parts[n++] = vi ? "tài liệu Word/Excel/PowerPoint/OpenDocument"
				: "Word/Excel/PowerPoint/OpenDocument files";
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, cap - used, "%s%s",
			 i == 0       ? ""
			 : i == n - 1 ? (vi ? " hoặc " : " or ")
				      : ", ",
			 parts[i]);
	}
	if (n == 0)
		snprintf(buf, cap, "%s", vi ? "không loại nào" : "nothing");
}

bool attachment_check(const struct upload *u, unsigned kinds, long max_bytes,
		      const char **mime, struct attachment_problem *p)
{
	char name[NAME_MAX_BYTES + 1];
	char allowed_en[160], allowed_vi[160];
	struct attachment_problem spare;
	if (!p)
		p = &spare;
	p->msg_en[0] = p->msg_vi[0] = '\0';
	if (mime)
		*mime = NULL;
	clean_into(u->filename, name);
	kinds_text(kinds, false, allowed_en, sizeof allowed_en);
	kinds_text(kinds, true, allowed_vi, sizeof allowed_vi);

	if (!u->data || u->len == 0) {
		snprintf(p->msg_en, sizeof p->msg_en, "%s: the file is empty",
			 name);
		snprintf(p->msg_vi, sizeof p->msg_vi,
			 "Tệp %s rỗng (0 byte). Vui lòng chọn lại tệp.", name);
		return false;
	}
	long long max =
		max_bytes > 0 ? max_bytes : http_config()->max_upload_bytes;
	if ((unsigned long long)u->len > (unsigned long long)max) {
		char sz_en[40], sz_vi[40], mx_en[40], mx_vi[40];
		size_str(sz_en, sizeof sz_en, (long long)u->len, false, false);
		size_str(sz_vi, sizeof sz_vi, (long long)u->len, false, true);
		size_str(mx_en, sizeof mx_en, max, true, false);
		size_str(mx_vi, sizeof mx_vi, max, true, true);
		snprintf(p->msg_en, sizeof p->msg_en,
			 "%s: %s, more than the %s allowed", name, sz_en,
			 mx_en);
		snprintf(p->msg_vi, sizeof p->msg_vi,
			 "Tệp quá lớn: %s, tối đa %s (%s).", sz_vi, mx_vi,
			 name);
		return false;
	}

	const char *dot = strrchr(name, '.');
	const char *ext = dot && dot[1] ? dot + 1 : NULL;
	enum content c = sniff(u->data, u->len, ext);
	const struct content_info *ci = &info[c];
	if (c == C_ZIP || c == C_ARCHIVE) {
		snprintf(p->msg_en, sizeof p->msg_en,
			 "%s: the content is %s, which is not accepted: send "
			 "the files themselves (%s)",
			 name, ci->en, allowed_en);
		snprintf(p->msg_vi, sizeof p->msg_vi,
			 "Tệp %s là %s: không nhận tệp nén, vui lòng gửi "
			 "từng tệp (%s).",
			 name, ci->vi, allowed_vi);
		return false;
	}
	if (!ci->kind) {
		snprintf(p->msg_en, sizeof p->msg_en,
			 "%s: the content is %s, which is not accepted (%s "
			 "only)",
			 name, ci->en, allowed_en);
		if (c == C_UNKNOWN)
			snprintf(p->msg_vi, sizeof p->msg_vi,
				 "Tệp %s không phải loại tệp được nhận (chỉ "
				 "nhận %s).",
				 name, allowed_vi);
		else
			snprintf(p->msg_vi, sizeof p->msg_vi,
				 "Tệp %s là %s: không nhận loại tệp này (chỉ "
				 "nhận %s).",
				 name, ci->vi, allowed_vi);
		return false;
	}
	if (!(ci->kind & kinds)) {
		snprintf(p->msg_en, sizeof p->msg_en,
			 "%s: the content is %s, not accepted here (%s only)",
			 name, ci->en, allowed_en);
		snprintf(p->msg_vi, sizeof p->msg_vi,
			 "Tệp %s là %s; ở đây chỉ nhận %s.", name, ci->vi,
			 allowed_vi);
		return false;
	}
	if (!ext) {
		snprintf(p->msg_en, sizeof p->msg_en,
			 "%s: the file name has no extension (the content is "
			 "%s: name it .%s)",
			 name, ci->en, ci->ext[0]);
		snprintf(p->msg_vi, sizeof p->msg_vi,
			 "Tên tệp %s không có phần mở rộng (như .jpg, .pdf); "
			 "nội dung là %s, hãy đặt tên có đuôi .%s.",
			 name, ci->vi, ci->ext[0]);
		return false;
	}
	enum content named = content_of_ext(ext);
	if (named != c) {
		if (named != C_UNKNOWN) {
			snprintf(p->msg_en, sizeof p->msg_en,
				 "%s: the content is %s, not %s", name, ci->en,
				 info[named].en);
			snprintf(p->msg_vi, sizeof p->msg_vi,
				 "Tệp %s không phải %s (nội dung là %s).", name,
				 info[named].vi, ci->vi);
		} else {
			snprintf(p->msg_en, sizeof p->msg_en,
				 "%s: the content is %s, but the name ends in "
				 ".%s",
				 name, ci->en, ext);
			snprintf(p->msg_vi, sizeof p->msg_vi,
				 "Tệp %s có đuôi .%s nhưng nội dung là %s.",
				 name, ext, ci->vi);
		}
		return false;
	}
	if (mime)
		*mime = ci->mime;
	return true;
}
