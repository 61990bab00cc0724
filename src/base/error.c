#include "error.h"
#include <stdarg.h>
#include <stdio.h>
#include "banned.h"

enum err error_set(struct error *e, enum err code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		e->code = code;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *err_name(enum err code)
{
	switch (code) {
	case ERR_OK: return "ok";
	case ERR_NOMEM: return "out of memory";
	case ERR_INVALID: return "invalid input";
	case ERR_NOTFOUND: return "not found";
	case ERR_CONFLICT: return "conflict";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_AUTH: return "not authenticated";
	case ERR_TOOBIG: return "too large";
	case ERR_DB: return "database error";
	case ERR_IO: return "i/o error";
	case ERR_INTERNAL: return "internal error";
	case ERR_THROTTLED: return "too many attempts";
	}
	return "unknown error";
}

int err_http_status(enum err code)
{
	switch (code) {
	case ERR_OK: return 200;
	case ERR_INVALID: return 422;
	case ERR_NOTFOUND: return 404;
	case ERR_CONFLICT: return 409;
	case ERR_FORBIDDEN: return 403;
	case ERR_AUTH: return 401;
	case ERR_TOOBIG: return 413;
	case ERR_THROTTLED: return 429;
	default: return 500;
	}
}
