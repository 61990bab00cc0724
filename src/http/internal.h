/* What the pieces of src/http share and handlers do not see. A request
 * lives inside a struct http_ctx, made by server.c for each request; the
 * framework reaches the rest of it from the struct request * that
 * handlers pass back. */
#ifndef HTTP_INTERNAL_H
#define HTTP_INTERNAL_H
#include <stdbool.h>
#include "http.h"
#include "form.h"
#include "../base/config.h"

struct http_ctx {
	struct request
		req; /* first: a struct request * is a struct http_ctx * */
	const struct route *route;
	const struct config *cfg;
	struct params params;
	bool bearer;        /* authenticated by an API token: no CSRF check */
	bool new_anon_csrf; /* req->csrf_token was made here: send qt_csrf */
	const char
		*flash; /* from the qt_flash cookie, shown by the next page */
	bool clear_session_cookie; /* a stale qt_session came in */
};

static inline struct http_ctx *http_ctx_of(const struct request *req)
{
	return (struct http_ctx *)req;
}

/* "qt_x=v; Path=/; HttpOnly; SameSite=Lax[; Secure][; Max-Age=n]";
 * max_age < 0 leaves it a browser-session cookie. */
char *http_cookie(struct request *req, const char *name, const char *value,
		  long max_age);

/* session.c: fills req->user, session_id, csrf_token from the qt_session
 * cookie or an Authorization: Bearer token; else makes req->csrf_token the
 * anonymous double-submit token. ERR_AUTH for a bad bearer token. */
enum err session_load(struct http_ctx *c, struct error *e);
/* csrf.c: whether an unsafe request carries the right token. */
bool csrf_ok(struct http_ctx *c);
bool http_method_unsafe(const char *method);

/* response.c: the user as layout context {id, username, full_name,
 * roles:[{key,label}]}; the Vietnamese error page for a status. */
json_t *http_user_json(const struct user *u);
enum err http_error_page(struct request *req, struct response *res, int status,
			 const char *msg_vi);

/* static.c: the handler of GET /static/{path} */
enum err static_serve(struct request *req, struct response *res);

/* metrics.c */
void metrics_init(void);
void metrics_record(const char *route, const char *method, int status,
		    double seconds);
char *metrics_text(struct arena *a);

/* settings_db.c: a row of the settings table, or fallback. */
const char *settings_get(struct db *db, struct arena *a, const char *key,
			 const char *fallback);

/* server.c: the configuration being served (defaults outside serve);
 * this thread's database connection (opened on first use, NULL when it
 * cannot be opened); time and statements of all connections, for
 * /metrics. */
void http_set_config(const struct config *cfg);
struct db *http_thread_db(void);
void http_db_stats(double *seconds, unsigned long long *statements);

#endif
