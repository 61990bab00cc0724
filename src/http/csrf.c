/* CSRF: a state-changing request made with the session cookie must carry
 * the session's token (form field csrf_token or header X-CSRF-Token). A
 * visitor not logged in gets a random token in the qt_csrf cookie that
 * the form echoes (double submit). API tokens are not sent by browsers on
 * their own, so requests carrying one need no CSRF token. */
#include <sodium.h>
#include <string.h>
#include "internal.h"
#include "../base/banned.h"

bool http_method_unsafe(const char *m)
{
	return !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH") ||
	       !strcmp(m, "DELETE");
}

bool csrf_ok(struct http_ctx *c)
{
	const struct request *req = &c->req;
	if (c->bearer)
		return true;
	/* Open311 (voice/open311_http.c) is a machine API: its clients post
	 * with an api_key field or anonymously, and its handlers act as that
	 * key's user or as nobody, never as the session cookie's user. */
	if (c->route && !strncmp(c->route->pattern, "/open311/", 9))
		return true;
	/* a token made for this very request cannot have been submitted */
	if (!req->csrf_token || c->new_anon_csrf)
		return false;
	const char *got = req_param(req, "csrf_token");
	if (!got)
		got = req_header(req, "X-CSRF-Token");
	if (!got)
		return false;
	size_t n = strlen(req->csrf_token);
	if (n == 0 || strlen(got) != n)
		return false;
	return sodium_memcmp(got, req->csrf_token, n) == 0;
}
