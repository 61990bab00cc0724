/* GET /static/{path}: files of static/ compiled into the binary, with an
 * ETag (a hash of the content) so browsers revalidate with one 304. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "../base/embedded.h"
#include "../base/banned.h"

enum { STATIC_MAX = 256 };

static struct {
	const struct embedded_file *f;
	char etag[24];
} files[STATIC_MAX];
static int nfiles;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void hash_all(void)
{
	for (const struct embedded_file *f = embedded_files;
	     f->path && nfiles < STATIC_MAX; f++) {
		if (strncmp(f->path, "static/", 7))
			continue;
		uint64_t h = 1469598103934665603ULL; /* FNV-1a */
		for (size_t i = 0; i < f->len; i++)
			h = (h ^ f->data[i]) * 1099511628211ULL;
		files[nfiles].f = f;
		snprintf(files[nfiles].etag, sizeof files[nfiles].etag,
			 "\"%016llx\"", (unsigned long long)h);
		nfiles++;
	}
}

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
		{".json", "application/json"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* Whether If-None-Match lists etag (or is "*"). */
static bool etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return false;
	if (!strcmp(inm, "*"))
		return true;
	return strstr(inm, etag) != NULL;
}

enum err static_serve(struct request *req, struct response *res)
{
	char path[300];
	pthread_once(&once, hash_all);
	const char *name = req->route_args[0];
	if (!name ||
	    snprintf(path, sizeof path, "static/%s", name) >= (int)sizeof path)
		return res_error(req, res, 404, NULL);
	for (int i = 0; i < nfiles; i++) {
		if (strcmp(files[i].f->path, path))
			continue;
		res_header(res, "ETag", files[i].etag);
		res_header(res, "Cache-Control", "public, max-age=86400");
		res->content_type = content_type(path);
		if (etag_matches(req_header(req, "If-None-Match"),
				 files[i].etag)) {
			res->status = 304;
			res->body = "";
			res->len = 0;
			return ERR_OK;
		}
		res->status = 200;
		res->body = (const char *)files[i].f->data;
		res->len = files[i].f->len;
		return ERR_OK;
	}
	return res_error(req, res, 404, NULL);
}
