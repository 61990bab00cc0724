/* Request helpers for handlers: fields, headers, cookies, route args. */
#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "../base/banned.h"

const char *req_param(const struct request *req, const char *name)
{
	/* the last value wins: a body field overrides the query string */
	for (int i = req->nparams - 1; i >= 0; i--)
		if (strcmp(req->params[i].key, name) == 0)
			return req->params[i].value;
	return NULL;
}

int req_params_all(const struct request *req, const char *name,
		   const char **out, int max)
{
	int n = 0;
	for (int i = 0; i < req->nparams; i++) {
		if (strcmp(req->params[i].key, name))
			continue;
		if (n < max)
			out[n] = req->params[i].value;
		n++;
	}
	return n;
}

const char *req_header(const struct request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(const struct request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

long long req_arg_id(const struct request *req, int i)
{
	if (i < 0 || i >= 4 || !req->route_args[i])
		return -1;
	const char *s = req->route_args[i];
	if (*s < '0' || *s > '9')
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	return v;
}

int req_uploads(const struct request *req, const char *name,
		const struct upload **out, int max)
{
	int n = 0;
	for (int i = 0; i < req->nuploads; i++) {
		const struct upload *u = &req->uploads[i];
		if (strcmp(u->field, name))
			continue;
		/* an empty file input still sends a part: not an upload */
		if (u->len == 0 && (!u->filename || !*u->filename))
			continue;
		if (n < max)
			out[n] = u;
		n++;
	}
	return n;
}

const char *req_file_text(const struct request *req, const char *file_field,
			  const char *text_field, const char **filename)
{
	const struct upload *u;
	if (filename)
		*filename = "";
	if (req_uploads(req, file_field, &u, 1) >= 1 && u->len > 0) {
		char *copy = arena_strndup(req->arena, (const char *)u->data,
					   u->len);
		if (copy) {
			if (filename)
				*filename = u->filename ? u->filename : "";
			return copy;
		}
	}
	const char *v = req_param(req, file_field);
	if ((!v || !*v) && text_field)
		v = req_param(req, text_field);
	return v ? v : "";
}
