/* One error enum for the whole program, and a carrier for a message that
 * says what went wrong and with what ("unit 12424: unknown parent 999").
 * Functions return enum err; on failure they may fill a struct error. */
#ifndef ERROR_H
#define ERROR_H
#include <stddef.h>

enum err {
	ERR_OK = 0,
	ERR_NOMEM,     /* allocation or a size limit exceeded */
	ERR_INVALID,   /* bad input from outside: 400/422 */
	ERR_NOTFOUND,  /* 404 */
	ERR_CONFLICT,  /* unique key, stale state: 409 */
	ERR_FORBIDDEN, /* permission: 403 */
	ERR_AUTH,      /* not logged in / wrong password: 401 */
	ERR_TOOBIG,    /* body or file over its limit: 413 */
	ERR_DB,        /* database failure: 500 */
	ERR_IO,        /* file system: 500 */
	ERR_INTERNAL,  /* a bug: 500 */
	ERR_THROTTLED, /* too many attempts: 429 */
};

struct error {
	enum err code;
	char msg[512]; /* English, lower-case start; for logs and the CLI */
};

/* Sets e (if not NULL) and returns code, so callers write
 * `return error_set(e, ERR_INVALID, "bad date %s", s);` */
enum err error_set(struct error *e, enum err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *err_name(enum err code);
int err_http_status(enum err code);

#endif
