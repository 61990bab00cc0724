#include "log.h"
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "banned.h"

static atomic_int min_level = LOG_INFO;

void log_set_level(enum log_level l)
{
	atomic_store(&min_level, (int)l);
}

enum log_level log_level_parse(const char *s)
{
	if (s && !strcmp(s, "debug"))
		return LOG_DEBUG;
	if (s && !strcmp(s, "warn"))
		return LOG_WARN;
	if (s && !strcmp(s, "error"))
		return LOG_ERROR;
	return LOG_INFO;
}

static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '=' ||
		    *s == '\\' || *s == 0x7f)
			return true;
	return false;
}

char *log_quote(char *buf, size_t size, const char *s)
{
	if (!size)
		return buf;
	if (!s)
		s = "";
	size_t w = 0;
	if (!needs_quotes(s)) {
		snprintf(buf, size, "%s", s);
		return buf;
	}
	/* Reserve room for the closing quote and the NUL. */
	if (size < 3) {
		buf[0] = '\0';
		return buf;
	}
	buf[w++] = '"';
	for (; *s && w + 3 <= size; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		else if (c == '\t')
			esc = "\\t";
		if (esc) {
			if (w + 4 > size)
				break;
			buf[w++] = esc[0];
			buf[w++] = esc[1];
		} else if (c < ' ' || c == 0x7f) {
			buf[w++] =
				'?'; /* other control bytes: never raw in a log */
		} else {
			buf[w++] = (char)c;
		}
	}
	buf[w++] = '"';
	buf[w] = '\0';
	return buf;
}

static const char *level_name(enum log_level l)
{
	switch (l) {
	case LOG_DEBUG: return "debug";
	case LOG_INFO: return "info";
	case LOG_WARN: return "warn";
	case LOG_ERROR: return "error";
	}
	return "info";
}

void log_msg(enum log_level l, const char *msg, const char *fields_fmt, ...)
{
	if ((int)l < atomic_load(&min_level))
		return;
	/* One buffer, one write(): lines from threads never interleave. */
	char line[LOG_LINE_MAX], quoted[1024];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(line, sizeof line,
			 "%04d-%02d-%02dT%02d:%02d:%02dZ level=%s msg=%s",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec, level_name(l),
			 log_quote(quoted, sizeof quoted, msg));
	size_t len = n < 0                     ? 0
		     : (size_t)n < sizeof line ? (size_t)n
					       : sizeof line - 1;
	if (fields_fmt && *fields_fmt && len + 2 < sizeof line) {
		va_list ap;
		line[len++] = ' ';
		va_start(ap, fields_fmt);
		n = vsnprintf(line + len, sizeof line - len, fields_fmt, ap);
		va_end(ap);
		if (n > 0)
			len += (size_t)n < sizeof line - len
				       ? (size_t)n
				       : sizeof line - len - 1;
		else
			len--;
	}
	/* Fields are the caller's text: no raw newline may split the line. */
	for (size_t i = 0; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	if (len >= sizeof line - 1)
		len = sizeof line - 2;
	line[len++] = '\n';
	ssize_t wrote = write(STDERR_FILENO, line, len);
	(void)wrote;
}
