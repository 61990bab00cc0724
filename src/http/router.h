/* The route table and its matching, apart from the server so tests can
 * drive them alone. */
#ifndef HTTP_ROUTER_H
#define HTTP_ROUTER_H
#include <stdbool.h>
#include "http.h"

enum { ROUTES_MAX = 512 };

/* "/api/users" -> "/users" with *api true; "/api" -> "/". Other paths are
 * returned as they are with *api false. */
const char *router_strip_api(const char *path, bool *api);

/* The route for method and path (decoded, without /api). Literal segments
 * win over {placeholders} ("/users/new" before "/users/{id}"); HEAD runs
 * GET routes. The values of placeholders go to args (arena copies). NULL
 * when nothing matches; then *wrong_method tells whether the path exists
 * under another method (405 rather than 404). */
const struct route *router_match(struct arena *a, const char *method,
				 const char *path, const char *args[4],
				 bool *wrong_method);
/* "GET, POST": the methods path answers to, for the Allow header. */
char *router_allowed(struct arena *a, const char *path);

enum access { ACCESS_OK, ACCESS_LOGIN, ACCESS_FORBIDDEN };
enum access router_access(const struct route *r, const struct user *u);

/* Forgets every route (tests). */
void router_reset(void);

#endif
