/* The web framework: a server over libmicrohttpd, a router with a role x
 * route permission table, sessions in the database, CSRF, templates, static
 * files. Capabilities register routes and write handlers against this file.
 *
 * Every page is also a JSON API endpoint: GET /api/users runs the same
 * handler as GET /users, and res_page() returns the page's context as JSON
 * instead of rendering the template. Forms post urlencoded bodies; the API
 * accepts the same fields as a JSON object or as a form. */
#ifndef HTTP_H
#define HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include "../base/arena.h"
#include "../base/error.h"
#include "../store/db.h"

/* Roles, as bits; a user holds roles scoped to units (people/). */
enum role {
	ROLE_CHAIR = 1 << 0,        /* chủ tịch */
	ROLE_VICE_CHAIR = 1 << 1,   /* phó chủ tịch */
	ROLE_OFFICE = 1 << 2,       /* văn phòng - thống kê */
	ROLE_UNIT_HEAD = 1 << 3,    /* trưởng bộ phận */
	ROLE_OFFICER = 1 << 4,      /* cán bộ, công chức */
	ROLE_FRONT = 1 << 5,        /* MTTQ */
	ROLE_INSPECTION = 1 << 6,   /* Ban TTND, Ban GSĐTCĐ */
	ROLE_VILLAGE_HEAD = 1 << 7, /* trưởng thôn */
	ROLE_SURVEYOR = 1 << 8,     /* điều tra viên */
	ROLE_UPPER = 1 << 9,        /* cấp trên: tỉnh, huyện */
};
#define ROLE_COUNT 10
#define ROLE_ADMIN (ROLE_CHAIR | ROLE_OFFICE)
#define ROLE_ANY_USER ((1u << ROLE_COUNT) - 1) /* any logged-in user */
#define ROLE_PUBLIC (1u << 31)                 /* also without login */

/* role names as stored in the database ("chair", "vice_chair", ...) and
 * shown to people ("Chủ tịch", ...) */
const char *role_key(enum role r);
const char *role_label_vi(enum role r);
unsigned role_from_key(const char *key); /* 0 if unknown */

struct user {
	long long id;
	const char *username, *full_name;
	unsigned roles;         /* union of enum role over all scopes */
	long long home_unit_id; /* unit of the first role, 0 if none */
	bool must_change_password;
};

struct kv {
	const char *key, *value;
};

/* A file part of a multipart/form-data body: any bytes (a photo, a PDF),
 * valid until the request ends (data points into the received body). */
struct upload {
	const char *field;        /* the form field's name */
	const char *filename;     /* as the browser sent it, may be "" */
	const char *content_type; /* as the browser claimed it: not trusted */
	const unsigned char *data;
	size_t len;
};

struct request {
	struct arena *arena; /* freed after the response is sent */
	struct db *db;       /* this worker thread's connection */
	const char *method;  /* "GET", "POST", ... */
	const char *path;    /* without the /api prefix and the query */
	bool api;            /* came in under /api/: answer JSON */
	struct kv *params;   /* query string, then form or JSON fields */
	int nparams;
	json_t *json_body;      /* when the body was JSON (borrowed) */
	struct upload *uploads; /* file parts of a multipart body */
	int nuploads;
	const char *route_args[4]; /* values of {placeholders} in the route */
	struct user *user;         /* NULL when not logged in */
	const char *session_id;
	const char *csrf_token; /* put it in every form as csrf_token */
	const char *remote_addr;
	void *conn; /* struct MHD_Connection * */
};

struct res_header {
	const char *name, *value;
};

struct response {
	int status;
	const char *content_type;
	const char *body; /* in the request arena, or static */
	size_t len;
	struct res_header headers[8];
	int nheaders;
};

typedef enum err (*http_handler)(struct request *req, struct response *res);

struct route {
	const char *method;  /* "GET" or "POST" */
	const char *pattern; /* "/users/{id}/edit" */
	http_handler handler;
	unsigned roles;   /* who may call it: ROLE_* bits, ROLE_PUBLIC */
	const char *menu; /* capability key for the menu highlight, or NULL */
};

/* Each capability calls this from its *_http.c at start-up. */
void http_register(const struct route *routes, int n);
const struct route *http_routes(int *n); /* for `quantri routes` and tests */

/* Request helpers */
const char *req_param(const struct request *req, const char *name);
const char *req_header(const struct request *req, const char *name);
const char *req_cookie(const struct request *req, const char *name);
long long req_arg_id(const struct request *req, int i); /* -1 if not a number */

/* Responses. Pages are templates under templates/, rendered inside
 * templates/layout/base.html, with ctx plus "user", "csrf_token", "menu"
 * added. ctx is stolen (decref'd by the call). Under /api/ the same ctx is
 * sent as JSON. */
enum err res_page(struct request *req, struct response *res, int status,
		  const char *template_name, const char *title_vi, json_t *ctx);
/* After a successful POST: a page gets 303 to `location` (and a flash
 * message shown once); the API gets `result` as JSON (200), stolen. */
enum err res_done(struct request *req, struct response *res,
		  const char *location, const char *flash_vi, json_t *result);
/* An error for a person: Vietnamese message on a page (error template,
 * proper status), or {"error": code, "message": msg_vi} under /api/. */
enum err res_error(struct request *req, struct response *res, int status,
		   const char *msg_vi);
/* The form again with its errors: status 422, ctx gets "errors" (object of
 * field -> Vietnamese message) and the submitted values. */
enum err res_invalid(struct request *req, struct response *res,
		     const char *template_name, const char *title_vi,
		     json_t *ctx, json_t *errors);
/* A handler's failure: ERR_NOTFOUND becomes the 404 page (or JSON);
 * anything else is logged with the path and e's message and returned, so
 * the server answers with its status (500 for a database error). */
enum err res_fail(struct request *req, struct response *res, enum err err,
		  const struct error *e);
enum err res_json(struct request *req, struct response *res, int status,
		  json_t *body);
void res_header(struct response *res, const char *name, const char *value);
/* Templates cannot test whether a list is empty (a section repeats per
 * element): every array "x" in a page's context gets a sibling "has_x", so
 * a template writes {{#has_x}}<table>...{{#x}}<tr>...{{/x}}</table>{{/has_x}}.
 * res_page does it to every page's context (not to the API's JSON); a
 * handler that renders a template itself calls it. */
void res_flag_arrays(json_t *ctx);
void res_redirect(struct response *res, const char *location);

/* Additions (http engineer). */

/* All values of a repeated field, in the order sent ("roles[]" twice gives
 * two values). Returns how many were found; at most max are stored. */
int req_params_all(const struct request *req, const char *name,
		   const char **out, int max);

/* The file parts sent under field `name`, in order; at most max stored.
 * Parts with an empty file name and no bytes (an empty file input) are
 * left out. */
int req_uploads(const struct request *req, const char *name,
		const struct upload **out, int max);

/* What an import form sent: the bytes of the first file under file_field
 * as a NUL-terminated copy, whatever their encoding (the import's own
 * checks name TCVN3, VNI, UTF-16...), else the text field file_field (an
 * API client's JSON), else text_field (text pasted in a box; may be NULL).
 * "" when nothing was sent. *filename (if given): the file's name or "". */
const char *req_file_text(const struct request *req, const char *file_field,
			  const char *text_field, const char **filename);

/* The configuration `quantri serve` runs with (for limits such as
 * login_max_per_user); defaults when called outside a server. */
struct config;
const struct config *http_config(void);

/* Sessions (session.c). session_start logs user_id in: the old session (if
 * any) is deleted, a new id and CSRF token are made, the qt_session cookie
 * is set and req->user, req->session_id and req->csrf_token now describe
 * the new session. session_end logs out (deletes the row, clears the
 * cookie). session_end_all_for_user deletes every session of a user, after
 * a password change or when the user is disabled. */
enum err session_start(struct request *req, struct response *res,
		       long long user_id);
enum err session_end(struct request *req, struct response *res);
enum err session_end_all_for_user(struct db *db, long long user_id,
				  struct error *e);

/* Secrets: n random bytes as lower-case hex (2n chars), and the SHA-256
 * hex of a token, as api_tokens.token_hash and sessions.id store them.
 * Use these when creating API tokens so the lookup finds them. */
char *http_random_hex(struct arena *a, size_t nbytes);
char *http_token_hash(struct arena *a, const char *token);

/* The Vietnamese label of every role in bits, ", "-separated. */
char *role_labels_vi(struct arena *a, unsigned roles);

/* Background jobs (server.c). `quantri serve` runs every registered job
 * in one thread with its own database connection: once at start, then
 * every HTTP_JOB_SECONDS, in registration order, each with a fresh arena.
 * A job decides for itself whether it is time (the daily digest); a
 * failure is logged and the job runs again next time. Register before
 * serve starts (from a *_http_register function). */
enum { HTTP_JOB_SECONDS = 60, HTTP_JOBS_MAX = 16 };
struct config;
typedef enum err (*http_job_fn)(struct db *db, struct arena *a,
				const struct config *cfg, struct error *e);
void http_register_job(const char *name, http_job_fn fn);

/* The bell in the page header: the number of the user's unread
 * notifications, asked on every page when set (notify/ sets it at
 * registration, so http does not call notify). */
typedef int (*http_unread_fn)(struct db *db, struct arena *a,
			      long long user_id);
void http_set_unread_counter(http_unread_fn fn);

#endif
