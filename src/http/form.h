/* Parsers of what a client sends: query strings and urlencoded forms,
 * multipart/form-data, JSON bodies, and the cookie values we accept. They
 * need no server, so the unit tests and the fuzz targets call them
 * directly. Everything they return lives in the arena. */
#ifndef HTTP_FORM_H
#define HTTP_FORM_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "http.h"

/* A growing list of fields, in the order received. */
struct params {
	struct kv *kv;
	int n, cap;
};
enum { PARAMS_MAX = 2000 }; /* fields per request, query and body together */

/* ERR_NOMEM when the arena is full, ERR_INVALID past PARAMS_MAX. */
enum err params_add(struct arena *a, struct params *p, const char *key,
		    const char *value);

/* Percent-decoding; with plus, '+' is a space (forms and query strings,
 * not paths). A '%' not followed by two hex digits is kept as it is. The
 * result may hold NUL bytes: *out_len tells its length. */
char *form_decode(struct arena *a, const char *s, size_t n, bool plus,
		  size_t *out_len);
/* The reverse, for cookie values and ?next=: everything but unreserved
 * characters as %XX. */
char *form_encode(struct arena *a, const char *s);

/* "a=1&b=x+y&a=2": fields in order, repeated keys kept. Names and values
 * must decode to UTF-8 without NUL bytes, else ERR_INVALID (e says which
 * field). Empty pieces ("a=1&&b") are skipped; "a" alone is a="" . */
enum err form_parse_urlencoded(struct arena *a, const char *s, size_t n,
			       struct params *p, struct error *e);

/* A JSON object: each scalar field becomes a param (strings as they are,
 * numbers as printed, true as "1"; false and null are left out like an
 * unchecked box); an array of scalars adds one param per element under the
 * field's name. *out (if out) gets the parsed value (new reference). */
enum err form_parse_json(struct arena *a, const char *s, size_t n,
			 struct params *p, json_t **out, struct error *e);

/* The file parts of a multipart body, in the order received. */
struct uploads {
	struct upload *v;
	int n, cap;
};
enum { UPLOADS_MAX = 20 }; /* file parts per request */

/* multipart/form-data (content_type carries the boundary). A part without
 * a file name is a param named by its Content-Disposition name; its value
 * must be UTF-8 text without NUL bytes. A part with a file name (a file
 * input) goes to ups (if not NULL) with its bytes as they are, and, when
 * it is UTF-8 text (a CSV), also becomes a param like a plain field, with
 * its file name added as "<name>_filename". An upload's data points into
 * body (no copy: a photo may be 10 MB), so body must live as long as ups;
 * its field, file name and claimed content type are in the arena.
 * ERR_INVALID past UPLOADS_MAX file parts. */
enum err form_parse_multipart(struct arena *a, const char *body, size_t n,
			      const char *content_type, struct params *p,
			      struct uploads *ups, struct error *e);

/* The value of a session or CSRF cookie is 64 lower-case hex digits. */
bool form_token_valid(const char *s);
/* The qt_flash cookie: percent-decoded, UTF-8, at most 600 bytes, no
 * control characters; NULL if it is anything else. */
char *form_flash_decode(struct arena *a, const char *cookie_value);

#endif
