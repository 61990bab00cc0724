/* UTF-8 and Vietnamese text: validation, search folding, collation (ICU
 * "vi"), and the display conventions (dd/mm/yyyy, 1.234,5). Every function
 * that returns a string allocates it in the arena and returns NULL when the
 * arena is full or the input is invalid. */
#ifndef TEXT_H
#define TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "calendar.h"

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF,
 * and no NUL byte (every string here is a C string). */
bool text_valid_utf8(const char *s, size_t n);
/* Length of the longest valid prefix: n when all of s is valid. */
size_t text_utf8_prefix(const char *s, size_t n);
/* Search form: NFD, combining marks dropped, đ/Đ -> d, lower-case, runs of
 * white space collapsed to one space, trimmed. "Xã Minh Tiến" -> "xa minh
 * tien"; "Hoà" and "Hòa" -> "hoa". NULL on invalid UTF-8. */
char *text_fold(struct arena *a, const char *utf8);
/* ICU "vi" sort key as lower-case hex: strcmp order of two keys is the
 * Vietnamese order (đ after d; tones none < huyền < hỏi < ngã < sắc < nặng).
 * Fit for an ORDER BY column. */
char *text_sort_key(struct arena *a, const char *utf8);
/* The key of "given middle family": "Nguyễn Văn An" sorts as "An Văn Nguyễn". */
char *text_person_sort_key(struct arena *a, const char *full_name);
/* Vietnamese order of two UTF-8 strings, for qsort: <0, 0, >0. */
int text_collate(const char *a, const char *b);
/* 1234.5, 1 -> "1.234,5"; -1234567, 0 -> "-1.234.567"; half away from 0;
 * decimals 0..9; NaN or infinity -> "—". */
char *text_format_number(struct arena *a, double v, int decimals);
/* "2025-03-05" or a UTC timestamp "2025-03-04T20:00:00Z" -> "05/03/2025";
 * timestamps are shown in Vietnam time (UTC+7). NULL if unparseable. */
char *text_format_date(struct arena *a, const char *iso);
/* UTC timestamp -> "05/03/2025 03:00" in Vietnam time, 24-hour. */
char *text_format_datetime(struct arena *a, const char *iso_utc);
/* & < > " ' as entities. */
char *text_html_escape(struct arena *a, const char *s);
/* YYYY-MM-DD, dd/mm/yyyy or d/m/yyyy; false unless the day exists. */
bool text_parse_date(const char *s, struct date *out);
/* Leading and trailing white space (ASCII and U+00A0) removed. */
char *text_trim(struct arena *a, const char *s);

#endif
