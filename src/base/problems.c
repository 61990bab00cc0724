/* Problems of an imported file, and the encoding and delimiter checks. */
#include "problems.h"
#include <stdarg.h>
#include <string.h>
#include "text.h"
#include "banned.h"

void problems_add(struct arena *a, struct problems *p, int line,
		  const char *column, const char *msg_vi, const char *fmt_en,
		  ...)
{
	p->n++;
	if (p->kept >= PROBLEMS_MAX)
		return;
	if (!p->list) {
		p->list = arena_alloc(a, sizeof *p->list * PROBLEMS_MAX);
		if (!p->list)
			return;
	}
	va_list ap;
	va_start(ap, fmt_en);
	char *en = arena_vprintf(a, fmt_en, ap);
	va_end(ap);
	p->list[p->kept++] = (struct problem){line, column ? column : "",
					      en ? en : "", msg_vi};
}

/* ---- encoding and delimiter ---- */

static int line_of(const char *data, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		if (data[i] == '\n')
			line++;
	return line;
}

bool import_check_text(struct arena *a, const char *data, size_t len,
		       struct problems *p)
{
	const unsigned char *u = (const unsigned char *)data;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
			 (u[0] == 0xFE && u[1] == 0xFF))) {
		problems_add(a, p, 0, "",
			     "Tệp đang ở mã UTF-16. Hãy lưu lại dưới dạng "
			     "“CSV UTF-8” rồi nhập lại.",
			     "the file is UTF-16: save it as CSV UTF-8");
		return false;
	}
	if (memchr(data, '\0', len)) {
		problems_add(a, p, 0, "",
			     "Tệp không phải là văn bản CSV (có byte 0).",
			     "the file holds NUL bytes: not a CSV text file");
		return false;
	}
	size_t ok = text_utf8_prefix(data, len);
	if (ok < len) {
		/* TCVN3 (ABC) and VNI put Vietnamese letters in single bytes
		 * above 0x7F; Windows-1258 too. None of them is valid UTF-8,
		 * and they cannot be told apart reliably from a few bytes,
		 * so the message names them and says what to do. */
		problems_add(a, p, line_of(data, ok), "",
			     "Tệp không ở mã UTF-8 (có thể là TCVN3/ABC, VNI "
			     "hoặc Windows-1258). Hãy chuyển sang Unicode "
			     "UTF-8 (ví dụ bằng Unikey: Công cụ chuyển mã) "
			     "hoặc lưu lại dưới dạng “CSV UTF-8”, rồi nhập "
			     "lại.",
			     "not UTF-8: byte 0x%02X at offset %zu (an old "
			     "Vietnamese encoding such as TCVN3, VNI or "
			     "Windows-1258?); convert it to UTF-8",
			     u[ok], ok);
		return false;
	}
	const char *end = memchr(data, '\n', len);
	size_t first = end ? (size_t)(end - data) : len;
	if (!memchr(data, ',', first)) {
		const char *delim = memchr(data, ';', first)    ? ";"
				    : memchr(data, '\t', first) ? "tab"
								: NULL;
		if (delim) {
			problems_add(a, p, 1, "",
				     "Tệp dùng dấu “;” hoặc dấu tab để phân "
				     "cách cột; cần dùng dấu phẩy “,”.",
				     "the columns are separated by %s, not by "
				     "commas",
				     delim);
			return false;
		}
	}
	return true;
}
