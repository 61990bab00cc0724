/* The route table: capabilities register their routes at start-up (one
 * thread, before the server runs), and from then on the table is only
 * read. Matching compares path segments; {name} matches any one segment. */
#include "router.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../cli.h"
#include "../base/banned.h"

static struct route routes[ROUTES_MAX];
static int nroutes;

void http_register(const struct route *r, int n)
{
	for (int i = 0; i < n; i++) {
		bool dup = false;
		for (int j = 0; j < nroutes; j++)
			dup |= !strcmp(routes[j].method, r[i].method) &&
			       !strcmp(routes[j].pattern, r[i].pattern);
		if (dup || nroutes == ROUTES_MAX || r[i].pattern[0] != '/') {
			/* a programming error: say it loudly, keep the first */
			fprintf(stderr, "quantri: route %s %s: %s, ignored\n",
				r[i].method, r[i].pattern,
				dup ? "registered twice"
				    : "bad or too many routes");
			continue;
		}
		routes[nroutes++] = r[i];
	}
}

const struct route *http_routes(int *n)
{
	*n = nroutes;
	return routes;
}

void router_reset(void)
{
	nroutes = 0;
}

const char *router_strip_api(const char *path, bool *api)
{
	*api = false;
	if (strncmp(path, "/api", 4) == 0 &&
	    (path[4] == '/' || path[4] == '\0')) {
		*api = true;
		return path[4] ? path + 4 : "/";
	}
	return path;
}

/* The score of a match: literal segments count more the earlier they
 * come; -1 when the pattern does not match. */
static long match_score(const char *pattern, const char *path, size_t pathlen,
			const char *spans[4][2])
{
	const char *p = pattern, *s = path, *end = path + pathlen;
	long score = 0;
	int seg = 0, nargs = 0;
	for (;;) {
		/* both at a '/' (or the end) */
		if (*p == '\0' || s == end)
			return *p == '\0' && s == end ? score : -1;
		if (*p != '/' || *s != '/')
			return -1;
		p++, s++;
		const char *pe = strchr(p, '/');
		if (!pe)
			pe = p + strlen(p);
		const char *se = memchr(s, '/', (size_t)(end - s));
		if (!se)
			se = end;
		if (*p == '{' && pe > p && pe[-1] == '}') {
			if (se == s || nargs == 4)
				return -1;
			spans[nargs][0] = s;
			spans[nargs][1] = se;
			nargs++;
		} else {
			if (pe - p != se - s || memcmp(p, s, (size_t)(pe - p)))
				return -1;
			if (seg < 30)
				score += 1L << (30 - seg);
		}
		seg++;
		p = pe;
		s = se;
	}
}

static size_t trimmed_len(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--; /* "/users/" is "/users" */
	return n;
}

const struct route *router_match(struct arena *a, const char *method,
				 const char *path, const char *args[4],
				 bool *wrong_method)
{
	const struct route *best = NULL;
	long best_score = -1;
	const char *best_spans[4][2] = {{0}};
	size_t n = trimmed_len(path);
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	*wrong_method = false;
	for (int i = 0; i < nroutes; i++) {
		const char *spans[4][2] = {{0}};
		long score = match_score(routes[i].pattern, path, n, spans);
		if (score < 0)
			continue;
		if (strcmp(routes[i].method, m)) {
			*wrong_method = true;
			continue;
		}
		if (score > best_score) {
			best = &routes[i];
			best_score = score;
			memcpy(best_spans, spans, sizeof spans);
		}
	}
	if (best) {
		*wrong_method = false;
		for (int i = 0; i < 4; i++)
			args[i] = best_spans[i][0]
					  ? arena_strndup(
						    a, best_spans[i][0],
						    (size_t)(best_spans[i][1] -
							     best_spans[i][0]))
					  : NULL;
	}
	return best;
}

char *router_allowed(struct arena *a, const char *path)
{
	char buf[128] = "";
	size_t used = 0, n = trimmed_len(path);
	for (int i = 0; i < nroutes; i++) {
		const char *spans[4][2];
		if (match_score(routes[i].pattern, path, n, spans) < 0 ||
		    strstr(buf, routes[i].method))
			continue;
		int w = snprintf(buf + used, sizeof buf - used, "%s%s",
				 used ? ", " : "", routes[i].method);
		if (w < 0 || (size_t)w >= sizeof buf - used)
			break;
		used += (size_t)w;
	}
	return arena_strdup(a, buf);
}

enum access router_access(const struct route *r, const struct user *u)
{
	if (r->roles & ROLE_PUBLIC)
		return ACCESS_OK;
	if (!u)
		return ACCESS_LOGIN;
	/* ROLE_ANY_USER means logged in, even before any role is given */
	if ((r->roles & ROLE_ANY_USER) == ROLE_ANY_USER)
		return ACCESS_OK;
	return (u->roles & r->roles) ? ACCESS_OK : ACCESS_FORBIDDEN;
}

/* `quantri routes [--json]` */
int http_cli_routes(struct config *cfg, int argc, char **argv)
{
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--help") ||
			   !strcmp(argv[i], "-h")) {
			printf("usage: quantri routes [--json]\n\n"
			       "Prints every route with the roles allowed to "
			       "call it\n"
			       "(\"public\": also without logging in). With "
			       "--json: an array\n"
			       "of {\"method\", \"pattern\", \"roles\": [...], "
			       "\"public\"}.\n"
			       "Every route also answers under /api/ with "
			       "JSON.\n");
			return 0;
		} else {
			fprintf(stderr, "quantri routes: unknown option %s\n",
				argv[i]);
			return 2;
		}
	}
	json_t *all = json ? json_array() : NULL;
	if (json && !all)
		return 1;
	for (int i = 0; i < nroutes; i++) {
		const struct route *r = &routes[i];
		bool pub = r->roles & ROLE_PUBLIC;
		if (json) {
			json_t *roles = json_array();
			for (int b = 0; b < ROLE_COUNT; b++)
				if (r->roles & (1u << b))
					json_array_append_new(
						roles,
						json_string(role_key(
							(enum role)(1u << b))));
			json_array_append_new(
				all, json_pack("{s:s, s:s, s:o, s:b}", "method",
					       r->method, "pattern", r->pattern,
					       "roles", roles, "public", pub));
			continue;
		}
		char keys[256] = "";
		size_t used = 0;
		for (int b = 0; b < ROLE_COUNT; b++) {
			if (!(r->roles & (1u << b)))
				continue;
			int w = snprintf(keys + used, sizeof keys - used,
					 "%s%s", used ? "," : "",
					 role_key((enum role)(1u << b)));
			if (w < 0 || (size_t)w >= sizeof keys - used)
				break;
			used += (size_t)w;
		}
		printf("%-5s %-40s %s\n", r->method, r->pattern,
		       pub ? "public" : keys);
	}
	if (json) {
		char *s = json_dumps(all, JSON_INDENT(1));
		json_decref(all);
		if (!s)
			return 1;
		printf("%s\n", s);
		free(s);
	}
	return 0;
}
