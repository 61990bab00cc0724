/* The role x route permission table, tried for real: every route from
 * `quantri routes --json`, as every demo role and as nobody. A GET is
 * refused (403, or 303 to /login for nobody; 403/401 under /api/) exactly
 * when the route does not admit the role; a POST without the role is
 * refused even with a valid CSRF token. Every mismatch is listed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

static const struct {
	const char *username, *role;
} demo[] = {
	{"chutich", "chair"},    {"phochutich", "vice_chair"},
	{"vanphong", "office"},  {"truongbp", "unit_head"},
	{"canbo", "officer"},    {"mttq", "front"},
	{"bantt", "inspection"}, {"truongthon", "village_head"},
	{"dieutra", "surveyor"}, {"tinh", "upper"},
};
enum { NDEMO = sizeof demo / sizeof *demo, NACTORS = NDEMO + 1 };

struct actor {
	const char *name; /* username, or "anonymous" */
	struct client c;
	json_t *roles; /* role keys the user holds; NULL for anonymous */
};

/* Mismatches, one per line; bounded so a broken table still prints. */
static char report[64 * 1024];
static size_t report_len;
static int mismatches;

static void mismatch(const char *fmt, ...)
{
	va_list ap;
	mismatches++;
	if (report_len + 200 >= sizeof report)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(report + report_len, sizeof report - report_len, fmt,
			  ap);
	va_end(ap);
	if (n > 0)
		report_len += (size_t)n < sizeof report - report_len
				      ? (size_t)n
				      : sizeof report - report_len - 1;
	if (report_len + 1 < sizeof report) {
		report[report_len++] = '\n';
		report[report_len] = 0;
	}
}

/* The role keys a logged-in user holds, from /api/account; falls back to
 * the demo's one role. */
static json_t *user_roles(struct client *c, const char *fallback)
{
	struct reply r;
	json_t *keys = json_array();
	if (!client_get(c, "/api/account", &r) && r.status == 200) {
		json_t *j = reply_json(&r);
		json_t *roles =
			json_object_get(json_object_get(j, "me"), "roles");
		size_t i;
		json_t *v;
		json_array_foreach(roles, i, v)
		{
			json_t *k = json_object_get(v, "role");
			if (json_is_string(k))
				json_array_append(keys, k);
		}
		json_decref(j);
	} else {
		print_error("GET /api/account: %ld; using the demo role %s\n",
			    r.status, fallback);
	}
	reply_release(&r);
	if (json_array_size(keys) == 0)
		json_array_append_new(keys, json_string(fallback));
	/* A fresh page so the client holds the session's CSRF token. */
	if (!client_get(c, "/", &r))
		reply_release(&r);
	return keys;
}

static bool admitted(const struct actor *a, json_t *route)
{
	if (json_is_true(json_object_get(route, "public")))
		return true;
	if (!a->roles)
		return false;
	json_t *need = json_object_get(route, "roles");
	size_t i, j;
	json_t *x, *y;
	json_array_foreach(need, i, x)
	{
		json_array_foreach(a->roles, j, y)
		{
			if (json_equal(x, y))
				return true;
		}
	}
	return false;
}

/* "/users/{id}/roles/{role_id}" -> "/users/1/roles/1" */
static void fill_pattern(const char *pattern, char *out, size_t n)
{
	size_t o = 0;
	for (const char *p = pattern; *p && o + 2 < n; p++) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			if (end) {
				out[o++] = '1';
				p = end;
				continue;
			}
		}
		out[o++] = *p;
	}
	out[o] = 0;
}

static bool to_login(const struct reply *r)
{
	return (r->status == 303 || r->status == 302) &&
	       strstr(r->location, "/login");
}

static void check_get(struct actor *a, const char *pattern, const char *path,
		      bool ok)
{
	struct reply r;
	bool anon = !a->roles;
	if (client_get(&a->c, path, &r)) {
		mismatch("GET %s as %s: no reply", path, a->name);
		return;
	}
	if (ok && (r.status == 403 || (anon && to_login(&r))))
		mismatch("GET %s (%s) as %s: %ld, but the role is admitted",
			 path, pattern, a->name, r.status);
	if (!ok && !anon && r.status != 403)
		mismatch("GET %s (%s) as %s: %ld, want 403", path, pattern,
			 a->name, r.status);
	if (!ok && anon && !to_login(&r))
		mismatch("GET %s (%s) as anonymous: %ld (location \"%s\"), "
			 "want 303 to /login",
			 path, pattern, r.status, r.location);
	reply_release(&r);

	/* The JSON twin under /api/ answers the same question. */
	char api[600];
	snprintf(api, sizeof api, "/api%s", path);
	if (client_get(&a->c, api, &r)) {
		mismatch("GET %s as %s: no reply", api, a->name);
		return;
	}
	if (ok && (r.status == 403 || r.status == 401))
		mismatch("GET %s as %s: %ld, but the role is admitted", api,
			 a->name, r.status);
	if (!ok && r.status != (anon ? 401 : 403))
		mismatch("GET %s as %s: %ld, want %d", api, a->name, r.status,
			 anon ? 401 : 403);
	reply_release(&r);
}

static void check_post(struct actor *a, const char *pattern, const char *path)
{
	struct reply r;
	bool anon = !a->roles;
	/* client_post adds the CSRF token the client holds: valid for its
	 * session (or the anonymous double-submit cookie). */
	if (client_post(&a->c, path, "", &r)) {
		mismatch("POST %s as %s: no reply", path, a->name);
		return;
	}
	bool refused =
		r.status == 403 || (anon && (to_login(&r) || r.status == 401));
	if (!refused)
		mismatch("POST %s (%s) as %s: %ld, want %s", path, pattern,
			 a->name, r.status,
			 anon ? "403, 401 or 303 to /login" : "403");
	reply_release(&r);
}

static void test_every_route_every_role(void **state)
{
	struct server srv;
	/* without the demo survey round (index/demo_round.h): this test
	 * makes its own rounds and counts on their ids */
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0", NULL};
	server_start(&srv, env);
	char *out = NULL;
	int st = server_cli(&srv, &out, "routes", "--json", NULL);
	if (st != 0 || !out)
		fail_msg("`quantri routes --json` failed (status %d)", st);
	json_error_t jerr;
	json_t *routes = json_loads(out, 0, &jerr);
	if (!json_is_array(routes) || json_array_size(routes) == 0)
		fail_msg("`quantri routes --json` is not a JSON array: %s "
			 "(%s)",
			 jerr.text, out);
	free(out);

	static struct actor actors[NACTORS];
	actors[0].name = "anonymous";
	client_init(&actors[0].c, &srv);
	struct reply r;
	if (!client_get(&actors[0].c, "/login", &r))
		reply_release(&r);
	for (int i = 0; i < NDEMO; i++) {
		struct actor *a = &actors[i + 1];
		a->name = demo[i].username;
		client_init(&a->c, &srv);
		long s = client_login(&a->c, demo[i].username, DEMO_PASSWORD);
		if (s != 303)
			fail_msg("login as %s: %ld, want 303", demo[i].username,
				 s);
		a->roles = user_roles(&a->c, demo[i].role);
	}

	size_t i;
	json_t *route;
	int checked = 0;
	json_array_foreach(routes, i, route)
	{
		const char *method =
			json_string_value(json_object_get(route, "method"));
		const char *pattern =
			json_string_value(json_object_get(route, "pattern"));
		if (!method || !pattern || pattern[0] != '/') {
			mismatch("route %zu has no method or pattern", i);
			continue;
		}
		if (!json_is_array(json_object_get(route, "roles")))
			mismatch("%s %s: no roles array", method, pattern);
		char path[512];
		fill_pattern(pattern, path, sizeof path);
		for (int k = 0; k < NACTORS; k++) {
			struct actor *a = &actors[k];
			bool ok = admitted(a, route);
			if (!strcmp(method, "GET")) {
				check_get(a, pattern, path, ok);
				checked++;
			} else if (!ok) {
				/* Admitted POSTs change data: the feature
				 * tests try those. */
				check_post(a, pattern, path);
				checked++;
			}
		}
	}
	print_message("permissions: %zu routes, %d route x role checks, %d "
		      "mismatches\n",
		      json_array_size(routes), checked, mismatches);

	for (int k = 0; k < NACTORS; k++) {
		client_release(&actors[k].c);
		json_decref(actors[k].roles);
	}
	json_decref(routes);
	server_stop(&srv);
	if (mismatches)
		fail_msg("%d permission mismatches:\n%s", mismatches, report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_every_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
