/* Logs go to stderr, one line each, in logfmt, which journald keeps and
 * grep reads:  2026-11-27T12:00:00Z level=info msg="listening" port=8080
 * Pass extra fields already formatted as key=value pairs in msg's tail via
 * log_kv (values with spaces are quoted by the caller with %q-like care:
 * use log_quote). */
#ifndef LOG_H
#define LOG_H
#include <stddef.h>

/* log_info("started", "") is the way to log without fields; GCC would
 * call that empty format an error under -Wall -Werror. */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

enum { LOG_LINE_MAX = 4096 }; /* longer lines are cut */

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level l);
enum log_level log_level_parse(const char *s); /* LOG_INFO if unknown */
/* fields: "" or "key=value key2=value2" appended after msg */
void log_msg(enum log_level l, const char *msg, const char *fields_fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* s as a logfmt value: unchanged if it is a plain word, else in double
 * quotes with \" \\ \n escaped. Writes into buf and returns it:
 *   char q[256]; log_info("login failed", "user=%s", log_quote(q, sizeof q, name)); */
char *log_quote(char *buf, size_t size, const char *s);
#define log_info(msg, ...) log_msg(LOG_INFO, msg, __VA_ARGS__)
#define log_warn(msg, ...) log_msg(LOG_WARN, msg, __VA_ARGS__)
#define log_error(msg, ...) log_msg(LOG_ERROR, msg, __VA_ARGS__)
#define log_debug(msg, ...) log_msg(LOG_DEBUG, msg, __VA_ARGS__)

#endif
