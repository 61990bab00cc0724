/* HTTP test harness: starts a real `quantri serve` on a free loopback port
 * with a fresh database, and talks to it with libcurl like a browser does
 * (cookies kept, CSRF token picked from the last page). Used by every
 * tests/http/test_*.c; with QUANTRI_TEST_DB=postgres://... the same tests
 * run against a fresh PostgreSQL database. */
#ifndef HARNESS_H
#define HARNESS_H
#include <curl/curl.h>
#include <stdatomic.h>
#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

/* Demo logins created by `quantri init --demo` (people/demo.c). */
#define DEMO_PASSWORD "demo2026"

struct server {
	pid_t pid;
	int port;
	char base[64]; /* "http://127.0.0.1:PORT" */
	char dir[256]; /* temp dir: database, logs */
	char db[1024]; /* the URL/path passed as --db */
	char log[300]; /* server stderr */
};

/* Fresh database (init --demo), then serve; waits for /healthz. env: extra
 * "KEY=VALUE" strings for the server (NULL-terminated, may be NULL).
 * Returns 0 or fails the test with a message. */
int server_start(struct server *s, const char *const *env);
void server_stop(struct server *s);  /* SIGTERM, wait, remove temp dir */
void server_kill9(struct server *s); /* SIGKILL, wait; keeps the files */
/* Serves the same database again (after server_kill9), same port and env;
 * waits for /healthz. */
int server_restart(struct server *s);
/* Runs `quantri --db <s->db> ARGS...` to completion; returns exit status,
 * stdout in *out if out (malloc'd). */
int server_cli(struct server *s, char **out, const char *arg, ...);

/* Set while failures to connect are expected (a killed server): the client
 * functions then return -1 without printing why. */
extern atomic_bool harness_quiet;

struct reply {
	long status;
	char *body;
	size_t len;
	char content_type[128];
	char location[512];
	char *headers; /* raw response headers */
};

struct client {
	CURL *curl;
	struct server *srv;
	char csrf[128];   /* from the last page's csrf_token field, or "" */
	char bearer[128]; /* API token: sent as Authorization: Bearer */
};

void client_init(struct client *c, struct server *s);
void client_release(struct client *c);
/* path is "/..."; the reply must be released. No redirects followed. */
int client_get(struct client *c, const char *path, struct reply *r);
/* urlencoded body; csrf_token=<c->csrf> is appended unless the body has one */
int client_post(struct client *c, const char *path, const char *body,
		struct reply *r);
int client_post_json(struct client *c, const char *path, json_t *body,
		     struct reply *r); /* sends X-CSRF-Token too */
/* GET /login, POST credentials; returns the final status (303 on success). */
long client_login(struct client *c, const char *username, const char *password);
/* GET with one extra request header line ("If-None-Match: \"x\""). */
int client_get_with(struct client *c, const char *path, const char *header,
		    struct reply *r);
/* Any method and body, as given (no CSRF token added). */
int client_request(struct client *c, const char *method, const char *path,
		   const char *content_type, const char *body, size_t len,
		   struct reply *r);
json_t *reply_json(const struct reply *r); /* NULL if not JSON */
/* What most tests repeat, failing the test when it goes wrong: a client
 * logged in as a demo user (DEMO_PASSWORD); a GET's status; a GET that
 * must answer 200 with JSON (a new reference). */
void client_login_demo(struct client *c, struct server *s, const char *user);
long client_status(struct client *c, const char *path);
json_t *client_get_json(struct client *c, const char *path);
bool reply_has(const struct reply *r, const char *needle);
const char *reply_header(const struct reply *r, const char *name, char *buf,
			 size_t n);
void reply_release(struct reply *r);
/* percent-encodes for a form body into buf */
const char *form_escape(const char *s, char *buf, size_t n);
/* Sends raw bytes on a new TCP connection to the server and reads what comes
 * back until the server closes or 10 s pass; returns bytes read or -1. */
int raw_request(struct server *s, const char *data, size_t len, char *out,
		size_t out_n);

#endif
