/* GET /files/{id}: an uploaded file, to those its owner's capability lets
 * read it. Anyone else gets the same 404 as for a file that does not
 * exist, so ids reveal nothing. */
#include <stdio.h>
#include <string.h>
#include "attachment.h"
#include "../cli.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { OWNERS_MAX = 32 };

/* Filled at start-up, before the server's threads: read-only after. */
static struct {
	const char *owner;
	attachment_can_read_fn fn;
} owners[OWNERS_MAX];
static int nowners;

void attachment_register_owner(const char *owner, attachment_can_read_fn fn)
{
	for (int i = 0; i < nowners; i++)
		if (!strcmp(owners[i].owner, owner)) {
			owners[i].fn = fn;
			return;
		}
	if (nowners < OWNERS_MAX) {
		owners[nowners].owner = owner;
		owners[nowners].fn = fn;
		nowners++;
	}
}

static attachment_can_read_fn reader_of(const char *owner)
{
	for (int i = 0; owner && i < nowners; i++)
		if (!strcmp(owners[i].owner, owner))
			return owners[i].fn;
	return NULL;
}

/* filename*=UTF-8''... (RFC 6266, 5987): everything but attr-chars
 * percent-encoded. */
static char *ext_value(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1);
	if (!out)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c)) {
			out[j++] = (char)c;
		} else {
			out[j++] = '%';
			out[j++] = hex[c >> 4];
			out[j++] = hex[c & 15];
		}
	}
	out[j] = '\0';
	return out;
}

/* The plain filename="..." for old clients: diacritics folded away
 * ("Báo cáo.pdf" -> "bao cao.pdf"), anything else not plain ASCII as '_'. */
static char *ascii_name(struct arena *a, const char *s)
{
	char *f = text_fold(a, s);
	char *out = arena_strdup(a, f ? f : s);
	for (char *p = out; p && *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
			*p = '_';
	}
	return out;
}

static bool inline_type(const char *mime)
{
	return !strncmp(mime, "image/", 6) || !strcmp(mime, "application/pdf");
}

static enum err get_file(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	if (id <= 0)
		return res_fail(req, res, ERR_NOTFOUND, NULL);
	struct attachment meta = {0};
	const unsigned char *data;
	size_t len;
	struct error e = {0};
	enum err err =
		attachment_get(req->db, req->arena, id, &meta, &data, &len, &e);
	if (err)
		return res_fail(req, res, err, &e);
	attachment_can_read_fn can = reader_of(meta.owner);
	if (!can || !can(req, meta.owner, meta.owner_id))
		return res_fail(req, res, ERR_NOTFOUND, NULL);

	const char *name = meta.filename ? meta.filename : "tệp";
	const char *mime = meta.mime ? meta.mime : "application/octet-stream";
	char *enc = ext_value(req->arena, name);
	char *plain = ascii_name(req->arena, name);
	char *disp = enc && plain
			     ? arena_printf(req->arena,
					    "%s; filename=\"%s\"; "
					    "filename*=UTF-8''%s",
					    inline_type(mime) ? "inline"
							      : "attachment",
					    plain, enc)
			     : NULL;
	char *etag = meta.sha256
			     ? arena_printf(req->arena, "\"%s\"", meta.sha256)
			     : NULL;
	if (!disp)
		return res_fail(req, res, ERR_NOMEM,
				&(struct error){ERR_NOMEM, "out of memory"});
	/* the browser may keep it for this user only; the id never points
	 * to other bytes, so the ETag (the content's hash) revalidates */
	res_header(res, "Cache-Control", "private, max-age=3600");
	if (etag)
		res_header(res, "ETag", etag);
	const char *inm = req_header(req, "If-None-Match");
	if (etag && inm && !strcmp(inm, etag)) {
		res->status = 304;
		res->content_type = mime;
		res->body = "";
		res->len = 0;
		return ERR_OK;
	}
	res_header(res, "Content-Disposition", disp);
	res->status = 200;
	res->content_type = mime;
	res->body = (const char *)data;
	res->len = len;
	return ERR_OK;
}

void files_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/files/{id}", get_file, ROLE_ANY_USER, NULL},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
