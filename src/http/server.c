/* `quantri serve`: libmicrohttpd with a pool of worker threads, each with
 * its own database connection, and the request pipeline: path, route,
 * session, body, permission, CSRF, handler, response headers, log line.
 * A request's memory is one arena, freed when MHD reports the request
 * complete (after the response has been sent). */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "router.h"
#include "template.h"
#include "../cli.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../base/banned.h"

enum {
	REQUEST_ARENA = 16 << 20, /* bytes a request may allocate */
	URI_MAX = 8192,
	DBS_MAX = 1024,
};

static struct config server_cfg;
static bool have_cfg;

void http_set_config(const struct config *cfg)
{
	server_cfg = *cfg;
	have_cfg = true;
}

const struct config *http_config(void)
{
	if (!have_cfg) {
		config_defaults(&server_cfg);
		have_cfg = true;
	}
	return &server_cfg;
}

/* One connection per worker thread, all listed for /metrics and for
 * closing at shutdown. */
static _Thread_local struct db *thread_db;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *dbs[DBS_MAX];
static int ndbs;
static double retired_seconds;
static unsigned long long retired_statements;

struct db *http_thread_db(void)
{
	if (thread_db)
		return thread_db;
	struct error e = {0};
	struct db *db;
	if (db_open(&db, http_config()->db, &e)) {
		log_error("database open failed", "error=\"%s\"", e.msg);
		return NULL;
	}
	pthread_mutex_lock(&dbs_lock);
	if (ndbs < DBS_MAX)
		dbs[ndbs++] = db;
	pthread_mutex_unlock(&dbs_lock);
	thread_db = db;
	return db;
}

/* Closes this thread's connection (after it broke), keeping its counts. */
static void thread_db_drop(void)
{
	if (!thread_db)
		return;
	pthread_mutex_lock(&dbs_lock);
	for (int i = 0; i < ndbs; i++) {
		if (dbs[i] != thread_db)
			continue;
		double s;
		unsigned long long n;
		db_stats(thread_db, &s, &n);
		retired_seconds += s;
		retired_statements += n;
		dbs[i] = dbs[--ndbs];
		break;
	}
	pthread_mutex_unlock(&dbs_lock);
	db_close(thread_db);
	thread_db = NULL;
}

void http_db_stats(double *seconds, unsigned long long *statements)
{
	pthread_mutex_lock(&dbs_lock);
	*seconds = retired_seconds;
	*statements = retired_statements;
	for (int i = 0; i < ndbs; i++) {
		double s;
		unsigned long long n;
		/* another thread's counters: a slightly stale read is fine here */
		db_stats(dbs[i], &s, &n);
		*seconds += s;
		*statements += n;
	}
	pthread_mutex_unlock(&dbs_lock);
}

static void close_all_dbs(void)
{
	pthread_mutex_lock(&dbs_lock);
	for (int i = 0; i < ndbs; i++)
		db_close(dbs[i]);
	ndbs = 0;
	pthread_mutex_unlock(&dbs_lock);
}

/* What one request holds across MHD's calls. */
struct conn_state {
	struct arena arena;
	char *uri; /* as sent: path and query, not decoded */
	struct timespec start;
	char *body;
	size_t len, cap;
	bool started, too_big, failed;
	bool multipart; /* a form with files: a larger body is allowed */
	json_t *json;
	struct uploads uploads; /* data points into body */
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct conn_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &st->start);
	/* room to decode a stored file of max_upload_bytes from its base64
	 * text (GET /files/{id}): the text, then the bytes */
	arena_init(&st->arena,
		   REQUEST_ARENA + 3 * (size_t)http_config()->max_upload_bytes);
	size_t n = strnlen(uri, URI_MAX + 1);
	st->uri = n > URI_MAX ? NULL : arena_strndup(&st->arena, uri, n);
	return st;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_state *st = *con_cls;
	if (!st)
		return;
	json_decref(st->json);
	free(st->body);
	arena_release(&st->arena);
	free(st);
	*con_cls = NULL;
}

static double elapsed(const struct conn_state *st)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - st->start.tv_sec) +
	       (double)(now.tv_nsec - st->start.tv_nsec) / 1e9;
}

static const char *remote_addr(struct arena *a, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
				  &((const struct sockaddr_in *)sa)->sin_addr,
				  buf, sizeof buf);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)sa)->sin6_addr,
				  buf, sizeof buf);
	}
	/* Behind nginx every peer is loopback: with trust_proxy the proxy's
	 * X-Real-IP names the client, for throttling and the log. */
	if (http_config()->trust_proxy &&
	    (!strcmp(buf, "127.0.0.1") || !strcmp(buf, "::1"))) {
		const char *real = MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, "X-Real-IP");
		unsigned char tmp[sizeof(struct in6_addr)];
		if (real && (inet_pton(AF_INET, real, tmp) == 1 ||
			     inet_pton(AF_INET6, real, tmp) == 1))
			return arena_strdup(a, real);
	}
	return arena_strdup(a, buf);
}

/* The path for the log line: no quotes, spaces or control bytes. */
static char *log_path(struct arena *a, const char *uri)
{
	size_t n = strcspn(uri, "?");
	if (n > 200)
		n = 200;
	char *p = arena_strndup(a, uri, n);
	for (char *c = p; c && *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '"' || *c == '\\' ||
		    *c == 0x7f)
			*c = '_';
	return p ? p : "";
}

static const char *csp = "default-src 'self'; img-src 'self' data:; style-src "
			 "'self'; script-src 'self'; frame-ancestors 'none'; "
			 "form-action 'self'; base-uri 'none'";

static enum MHD_Result send_response(struct conn_state *st,
				     struct MHD_Connection *conn,
				     struct http_ctx *c, struct response *res)
{
	struct request *req = &c->req;
	if (!res->status)
		res->status = 500;
	if (!res->body)
		res->body = "", res->len = 0;
	struct MHD_Response *r = MHD_create_response_from_buffer(
		res->len, (void *)res->body, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	bool cache_set = false;
	MHD_add_response_header(r, "Content-Type",
				res->content_type
					? res->content_type
					: "text/plain; charset=utf-8");
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	for (int i = 0; i < res->nheaders; i++) {
		const struct res_header *h = &res->headers[i];
		if (!h->name || !h->value)
			continue;
		cache_set |= strcasecmp(h->name, "Cache-Control") == 0;
		if (MHD_add_response_header(r, h->name, h->value) != MHD_YES)
			log_warn("bad response header", "name=%s", h->name);
	}
	if (!cache_set)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ok = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);

	double secs = elapsed(st);
	const char *route = c->route ? c->route->pattern : "unmatched";
	metrics_record(route, req->method ? req->method : "?", res->status,
		       secs);
	log_info("request",
		 "method=%s path=\"%s\" status=%d ms=%.1f bytes=%zu user=%lld",
		 req->method ? req->method : "?",
		 log_path(req->arena, st->uri ? st->uri : ""), res->status,
		 secs * 1000, res->len, req->user ? req->user->id : 0LL);
	return ok;
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static bool content_type_is(const char *ct, const char *what)
{
	size_t n = strlen(what);
	return ct && strncasecmp(ct, what, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* A form with files may carry ATTACHMENTS_MAX_PER_RECORD (5) files of
 * max_upload_bytes beside its fields. */
static long long body_limit(const struct config *cfg, bool multipart)
{
	if (!multipart)
		return cfg->max_body_bytes;
	return 5LL * cfg->max_upload_bytes + cfg->max_body_bytes;
}

/* "10" for 10485760 bytes, "10,5" for 11010048, "5" for 5 MB + 4 KB:
 * limits as people read them, to a tenth. */
static const char *megabytes(struct arena *a, long long bytes)
{
	long long tenths = (bytes * 10 + 524288) / 1048576;
	const char *s = tenths % 10 == 0
				? arena_printf(a, "%lld", tenths / 10)
				: text_format_number(a, (double)tenths / 10, 1);
	return s ? s : "?";
}

static const char *msg_not_utf8 = "Dữ liệu gửi lên không phải UTF-8 hợp lệ";

/* Query string and body into c->params. */
static enum err parse_input(struct conn_state *st, struct http_ctx *c,
			    const char *query, struct error *e)
{
	struct request *req = &c->req;
	enum err err = ERR_OK;
	if (query)
		err = form_parse_urlencoded(req->arena, query, strlen(query),
					    &c->params, e);
	if (err || !st->len)
		return err;
	const char *ct = header(req->conn, "Content-Type");
	if (content_type_is(ct, "application/x-www-form-urlencoded"))
		err = form_parse_urlencoded(req->arena, st->body, st->len,
					    &c->params, e);
	else if (content_type_is(ct, "application/json"))
		err = form_parse_json(req->arena, st->body, st->len, &c->params,
				      &st->json, e);
	else if (content_type_is(ct, "multipart/form-data"))
		err = form_parse_multipart(req->arena, st->body, st->len, ct,
					   &c->params, &st->uploads, e);
	req->json_body = st->json;
	req->uploads = st->uploads.v;
	req->nuploads = st->uploads.n;
	return err;
}

static const char *default_message(int status)
{
	switch (status) {
	case 400: return "Yêu cầu không hợp lệ.";
	case 401: return "Vui lòng đăng nhập để tiếp tục.";
	case 403: return "Bạn không có quyền truy cập trang này.";
	case 404: return "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.";
	case 405: return "Trang này không nhận yêu cầu theo cách vừa gửi.";
	case 409:
		return "Dữ liệu vừa bị thay đổi hoặc đã tồn tại. Vui lòng tải "
		       "lại trang và thử lại.";
	case 413: return "Dữ liệu gửi lên quá lớn.";
	case 422: return "Dữ liệu chưa hợp lệ.";
	case 429:
		return "Thử lại quá nhiều lần. Vui lòng đợi một lúc rồi thử "
		       "lại.";
	case 503:
		return "Hệ thống tạm thời không phục vụ được. Vui lòng thử lại "
		       "sau ít phút.";
	default:
		return "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau; nếu vẫn "
		       "lỗi, hãy báo cho văn phòng UBND xã.";
	}
}

static void fail(struct request *req, struct response *res, int status,
		 const char *msg)
{
	memset(res, 0, sizeof *res);
	http_error_page(req, res, status, msg ? msg : default_message(status));
}

/* The pipeline. Each step either passes or answers. */
static void handle(struct conn_state *st, struct http_ctx *c,
		   struct response *res)
{
	struct request *req = &c->req;
	struct error e = {0};
	enum err err;

	if (!st->uri || st->uri[0] != '/')
		return fail(req, res, 400, NULL);
	size_t plen = strcspn(st->uri, "?");
	const char *query = st->uri[plen] == '?' ? st->uri + plen + 1 : NULL;
	size_t dlen;
	char *path = form_decode(req->arena, st->uri, plen, false, &dlen);
	if (!path || memchr(path, '\0', dlen) || !text_valid_utf8(path, dlen))
		return fail(req, res, 400, msg_not_utf8);
	req->path = router_strip_api(path, &req->api);

	bool wrong_method;
	c->route = router_match(req->arena, req->method, req->path,
				req->route_args, &wrong_method);
	bool is_static =
		c->route && strncmp(c->route->pattern, "/static/", 8) == 0;
	if (!is_static) {
		req->db = http_thread_db();
		err = session_load(c, &e);
		if (err == ERR_AUTH) {
			log_info("api token refused", "reason=\"%s\"", e.msg);
			req->api = true;
			return fail(req, res, 401,
				    "Mã truy cập API không hợp lệ hoặc đã bị "
				    "thu hồi.");
		}
		if (err) {
			log_error("session load failed", "error=\"%s\"", e.msg);
			return fail(req, res, 500, NULL);
		}
	}
	if (st->too_big) {
		char *m;
		if (st->multipart)
			m = arena_printf(
				req->arena,
				"Dữ liệu gửi lên quá lớn: tối đa %s MB mỗi lần "
				"gửi, mỗi tệp tối đa %s MB.",
				megabytes(req->arena, body_limit(c->cfg, true)),
				megabytes(req->arena,
					  c->cfg->max_upload_bytes));
		else
			m = arena_printf(
				req->arena,
				"Dữ liệu gửi lên quá lớn (tối đa %ld byte).",
				c->cfg->max_body_bytes);
		return fail(req, res, 413, m);
	}
	if (!c->route) {
		if (!wrong_method)
			return fail(req, res, 404, NULL);
		fail(req, res, 405, NULL);
		res_header(res, "Allow", router_allowed(req->arena, req->path));
		return;
	}
	err = parse_input(st, c, query, &e);
	if (err) {
		log_info("bad request data", "error=\"%s\"", e.msg);
		if (err == ERR_NOMEM)
			return fail(req, res, 413, NULL);
		return fail(req, res, 400,
			    strstr(e.msg, "utf-8") || strstr(e.msg, "nul")
				    ? msg_not_utf8
				    : "Dữ liệu gửi lên không đúng định dạng.");
	}
	req->params = c->params.kv;
	req->nparams = c->params.n;

	switch (router_access(c->route, req->user)) {
	case ACCESS_OK: break;
	case ACCESS_LOGIN:
		if (req->api)
			return fail(req, res, 401, NULL);
		{
			/* back to where the visitor was going, after logging in */
			const char *next =
				strcmp(req->method, "GET")
					? "/"
					: form_encode(req->arena, st->uri);
			res_redirect(res,
				     arena_printf(req->arena, "/login?next=%s",
						  next ? next : "/"));
		}
		return;
	case ACCESS_FORBIDDEN: return fail(req, res, 403, NULL);
	}
	if (http_method_unsafe(req->method) && !csrf_ok(c))
		return fail(
			req, res, 403,
			"Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
			"Vui lòng tải lại trang.");
	if (req->user && req->user->must_change_password && !c->bearer &&
	    !(c->route->roles & ROLE_PUBLIC) &&
	    strcmp(req->path, "/account/password") &&
	    strcmp(req->path, "/logout")) {
		if (req->api)
			return fail(req, res, 403,
				    "Bạn cần đổi mật khẩu trước khi tiếp tục.");
		res_redirect(res, "/account/password");
		return;
	}

	err = c->route->handler(req, res);
	if (err || !res->status) {
		if (err)
			log_error("handler failed", "route=\"%s\" error=\"%s\"",
				  c->route->pattern, err_name(err));
		if (err == ERR_DB && req->db &&
		    db_exec(req->db, req->arena, "SELECT 1", NULL, 0, NULL,
			    NULL))
			thread_db_drop(); /* the connection broke: the next request reopens */
		if (!err || res->status < 400)
			fail(req, res, err ? err_http_status(err) : 500, NULL);
	}
}

static enum MHD_Result respond(struct conn_state *st,
			       struct MHD_Connection *conn, const char *method)
{
	struct http_ctx *c = arena_alloc(&st->arena, sizeof *c);
	struct response res = {0};
	if (!c)
		return MHD_NO;
	c->cfg = http_config();
	c->req.arena = &st->arena;
	c->req.method = method;
	c->req.conn = conn;
	c->req.path = "/";
	c->req.remote_addr = remote_addr(&st->arena, conn);
	c->flash = form_flash_decode(
		&st->arena,
		MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "qt_flash"));
	handle(st, c, &res);
	/* the cookies the framework owes the browser */
	bool page = res.content_type &&
		    (!strncmp(res.content_type, "text/html", 9) ||
		     !strncmp(res.content_type, "application/json", 16));
	if (c->new_anon_csrf && !c->req.user && c->req.csrf_token &&
	    (page || res.status == 303))
		res_header(
			&res, "Set-Cookie",
			http_cookie(&c->req, "qt_csrf", c->req.csrf_token, -1));
	if (c->clear_session_cookie && !c->req.session_id)
		res_header(&res, "Set-Cookie",
			   http_cookie(&c->req, "qt_session", "", 0));
	return send_response(st, conn, c, &res);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct conn_state *st = *con_cls;
	if (!st)
		return MHD_NO;
	if (!st->started) {
		st->started = true;
		st->multipart = content_type_is(header(conn, "Content-Type"),
						"multipart/form-data");
		long long max = body_limit(http_config(), st->multipart);
		const char *cl = header(conn, "Content-Length");
		if (cl) {
			char *end;
			errno = 0;
			long long n = strtoll(cl, &end, 10);
			/* refused before reading it: MHD closes the connection after */
			if (errno || *end || n < 0 || n > max) {
				st->too_big = true;
				return respond(st, conn, method);
			}
			/* one allocation for a large body, not a doubling
			 * series that may overshoot twice the limit */
			if (n > 4096) {
				st->body = malloc((size_t)n + 1);
				if (!st->body)
					return MHD_NO;
				st->cap = (size_t)n + 1;
			}
		}
		return MHD_YES;
	}
	long long max = body_limit(http_config(), st->multipart);
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (st->too_big)
			return MHD_YES;
		if (st->len + n > (size_t)max) {
			st->too_big = true;
			free(st->body);
			st->body = NULL;
			st->len = st->cap = 0;
			return MHD_YES;
		}
		if (st->len + n + 1 > st->cap) {
			size_t cap = st->cap ? st->cap : 4096;
			while (cap < st->len + n + 1)
				cap *= 2;
			if (cap > (size_t)max + 1)
				cap = (size_t)max + 1;
			char *b = realloc(st->body, cap);
			if (!b)
				return MHD_NO;
			st->body = b;
			st->cap = cap;
		}
		memcpy(st->body + st->len, upload_data, n);
		st->len += n;
		st->body[st->len] = '\0';
		return MHD_YES;
	}
	return respond(st, conn, method);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '"')
			*p = '\'';
	log_warn("libmicrohttpd", "detail=\"%s\"", buf);
}

/* Background jobs: one thread, its own connection, woken every
 * HTTP_JOB_SECONDS or to stop. The clock is monotonic so that a test's
 * QUANTRI_NOW or a change of the wall clock does not stall it. */
static struct job {
	const char *name;
	http_job_fn fn;
} jobs[HTTP_JOBS_MAX];
static int njobs;
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_wake;
static bool jobs_stopping;

void http_register_job(const char *name, http_job_fn fn)
{
	for (int i = 0; i < njobs; i++)
		if (jobs[i].fn == fn)
			return; /* registered twice: run once */
	if (njobs == HTTP_JOBS_MAX) {
		log_error("too many background jobs", "job=%s", name);
		return;
	}
	jobs[njobs++] = (struct job){name, fn};
}

enum { JOB_ARENA = 256 << 20 };

static void run_jobs(const struct config *cfg, struct db **db)
{
	struct error e = {0};
	if (!*db && db_open(db, cfg->db, &e)) {
		log_error("jobs: database open failed", "error=\"%s\"", e.msg);
		*db = NULL;
		return;
	}
	for (int i = 0; i < njobs; i++) {
		struct arena a;
		arena_init(&a, JOB_ARENA);
		memset(&e, 0, sizeof e);
		enum err err = jobs[i].fn(*db, &a, cfg, &e);
		arena_release(&a);
		if (!err)
			continue;
		log_error("job failed", "job=%s error=\"%s\"", jobs[i].name,
			  e.msg);
		if (err == ERR_DB) {
			/* maybe the connection broke: reopen next time */
			db_rollback(*db);
			db_close(*db);
			*db = NULL;
			return;
		}
	}
}

static void *jobs_main(void *arg)
{
	const struct config *cfg = arg;
	struct db *db = NULL;
	bool first = true;
	pthread_mutex_lock(&jobs_lock);
	while (!jobs_stopping) {
		pthread_mutex_unlock(&jobs_lock);
		run_jobs(cfg, &db);
		/* what the jobs do at start is done (tests wait for this
		 * line before they look at notifications) */
		if (first)
			log_info("jobs_ready", "jobs=%d", njobs);
		first = false;
		pthread_mutex_lock(&jobs_lock);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += HTTP_JOB_SECONDS;
		while (!jobs_stopping &&
		       pthread_cond_timedwait(&jobs_wake, &jobs_lock, &until) !=
			       ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&jobs_lock);
	if (db)
		db_close(db);
	return NULL;
}

static bool jobs_start(pthread_t *t, const struct config *cfg)
{
	if (!njobs)
		return false;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&jobs_wake, &attr);
	pthread_condattr_destroy(&attr);
	jobs_stopping = false;
	if (pthread_create(t, NULL, jobs_main, (void *)cfg)) {
		log_error("jobs: thread not started", "error=\"%s\"",
			  strerror(errno));
		pthread_cond_destroy(&jobs_wake);
		return false;
	}
	return true;
}

/* Waits for a running job to finish (mail has timeouts), then joins. */
static void jobs_stop(pthread_t t)
{
	pthread_mutex_lock(&jobs_lock);
	jobs_stopping = true;
	pthread_cond_signal(&jobs_wake);
	pthread_mutex_unlock(&jobs_lock);
	pthread_join(t, NULL);
	pthread_cond_destroy(&jobs_wake);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: quantri serve [--port N] [--listen ADDRESS]\n\n"
		"Runs the web application until SIGINT or SIGTERM. Applies "
		"database\n"
		"migrations first; refuses a database newer than this "
		"program.\n"
		"  --port N          TCP port (setting `port`, default 8080)\n"
		"  --listen ADDRESS  IPv4 or IPv6 address (setting `listen`,\n"
		"                    default 127.0.0.1)\n");
}

/* The schema must be current before the first request. */
static int migrate(const struct config *cfg)
{
	struct db *db;
	struct error e = {0};
	if (db_open(&db, cfg->db, &e)) {
		fprintf(stderr, "quantri serve: %s\n", e.msg);
		return 1;
	}
	enum err err = db_migrate(db, &e);
	db_close(db);
	if (err) {
		fprintf(stderr, "quantri serve: %s\n", e.msg);
		return 1;
	}
	return 0;
}

int http_cli_serve(struct config *cfg, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct error e = {0};
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if ((!strcmp(argv[i], "--port") ||
			    !strcmp(argv[i], "--listen")) &&
			   i + 1 < argc) {
			if (config_set(cfg, argv[i] + 2, argv[i + 1], &e)) {
				fprintf(stderr, "quantri serve: %s\n", e.msg);
				return 2;
			}
			i++;
		} else {
			fprintf(stderr, "quantri serve: unknown option %s\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}
	log_set_level(log_level_parse(cfg->log_level));
	/* Every request's arena comes and goes: let the allocator keep freed
	 * memory for the next request instead of handing it back to the
	 * kernel and taking page faults to get it again (a large page cost
	 * more in faults than in rendering). Idle memory is unchanged. */
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	if (sodium_init() < 0) {
		fprintf(stderr,
			"quantri serve: libsodium failed to initialise\n");
		return 1;
	}
	if (migrate(cfg))
		return 1;
	struct error te = {0};
	if (template_check_all(&te))
		log_error("template does not parse", "error=\"%s\"", te.msg);
	http_set_config(cfg);
	metrics_init();

	union {
		struct sockaddr sa;
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	} addr = {0};
	char host[80];
	snprintf(host, sizeof host, "%s", cfg->listen);
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]")] = '\0';
	}
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof host, "127.0.0.1");
	bool v6 = false;
	if (inet_pton(AF_INET, host, &addr.in4.sin_addr) == 1) {
		addr.in4.sin_family = AF_INET;
		addr.in4.sin_port = htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, host, &addr.in6.sin6_addr) == 1) {
		addr.in6.sin6_family = AF_INET6;
		addr.in6.sin6_port = htons((uint16_t)cfg->port);
		v6 = true;
	} else {
		fprintf(stderr,
			"quantri serve: listen address %s: not an IPv4 or IPv6 "
			"address\n",
			cfg->listen);
		return 1;
	}

	signal(SIGPIPE, SIG_IGN);
	/* the workers inherit a mask without SIGINT/SIGTERM; this thread
	 * waits for them below */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads
			   : cores > 0      ? (unsigned)cores
					    : 1;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
		&addr.sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, 30u,
		/* refuse what RFC 7230 calls malformed (e.g. HTTP/1.1 without
		 * Host) with 400 instead of guessing */
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr,
			"quantri serve: cannot listen on %s port %d: %s\n",
			cfg->listen, cfg->port, strerror(errno));
		return 1;
	}
	int port = cfg->port;
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		port = info->port;
	printf("quantri: listening on http://%s%s%s:%d\n", v6 ? "[" : "", host,
	       v6 ? "]" : "", port);
	fflush(stdout);
	log_info("listening", "address=%s port=%d threads=%u", host, port,
		 threads);
	pthread_t jobs_thread;
	bool jobs_running = jobs_start(&jobs_thread, cfg);

	int sig = 0;
	sigwait(&stop, &sig);
	log_info("shutting down", "signal=%d", sig);
	MHD_stop_daemon(d);
	if (jobs_running)
		jobs_stop(jobs_thread);
	close_all_dbs();
	log_info("stopped", "%s", "");
	return 0;
}
