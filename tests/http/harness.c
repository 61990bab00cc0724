/* HTTP test harness (harness.h): a real `quantri serve` on a free loopback
 * port with a fresh database, and a libcurl client that behaves like a
 * browser (cookies, CSRF token taken from the last page, no redirects
 * followed so tests see them). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

extern char **environ;

/* Replies larger than this are a bug in the server or the test. */
#define REPLY_MAX (64u << 20)
#define HEADERS_MAX (64u << 10)

static int db_counter;
atomic_bool harness_quiet;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *quantri_bin(void)
{
	const char *b = getenv("QUANTRI_BIN");
	return b && *b ? b : "quantri";
}

static void print_log(const struct server *s)
{
	FILE *f = fopen(s->log, "r");
	if (!f)
		return;
	fprintf(stderr, "---- server log %s ----\n", s->log);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "---- end of server log ----\n");
	fclose(f);
}

/* A port the kernel says is free now; the small race until the server
 * binds it is acceptable for tests. */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int port = -1;
	if (!bind(fd, (struct sockaddr *)&a, sizeof a) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static bool is_postgres(const char *url)
{
	return url && (!strncmp(url, "postgres://", 11) ||
		       !strncmp(url, "postgresql://", 13));
}

/* url with its database name (the path after host[:port]) replaced. */
static int pg_url_with_db(const char *url, const char *dbname, char *out,
			  size_t n)
{
	const char *host = strstr(url, "://");
	if (!host)
		return -1;
	host += 3;
	const char *path = strchr(host, '/');
	const char *query = strchr(host, '?');
	if (query && path && path > query)
		path = NULL;
	size_t hostend = path    ? (size_t)(path - url)
			 : query ? (size_t)(query - url)
				 : strlen(url);
	int w = snprintf(out, n, "%.*s/%s%s", (int)hostend, url, dbname,
			 query ? query : "");
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int pg_admin(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "harness: cannot connect to %s: %s", url,
			PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	PGresult *r = PQexec(c, sql);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
	if (rc)
		fprintf(stderr, "harness: %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return rc;
}

static int pg_dbname(const struct server *s, char *out, size_t n)
{
	const char *slash = strrchr(s->db, '/');
	if (!slash)
		return -1;
	size_t len = strcspn(slash + 1, "?");
	if (len == 0 || len >= n)
		return -1;
	memcpy(out, slash + 1, len);
	out[len] = 0;
	return 0;
}

/* The child's environment: ours, with each "KEY=VALUE" of extra replacing
 * the same KEY. Built before fork so the child only calls execve. */
static char **child_env(const char *const *extra, const struct server *s,
			char *secret_kv, size_t secret_n)
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	while (extra && extra[k])
		k++;
	char **env = calloc(n + k + 2, sizeof *env);
	if (!env)
		return NULL;
	size_t m = 0;
	/* Keep the server's key out of the build directory. */
	snprintf(secret_kv, secret_n, "QUANTRI_SECRET_FILE=%s/secret.key",
		 s->dir);
	for (size_t i = 0; i < n; i++) {
		bool replaced =
			!strncmp(environ[i], "QUANTRI_SECRET_FILE=", 20);
		for (size_t j = 0; j < k && !replaced; j++) {
			const char *eq = strchr(extra[j], '=');
			size_t kl =
				eq ? (size_t)(eq - extra[j]) : strlen(extra[j]);
			if (!strncmp(environ[i], extra[j], kl) &&
			    environ[i][kl] == '=')
				replaced = true;
		}
		if (!replaced)
			env[m++] = environ[i];
	}
	for (size_t j = 0; j < k; j++)
		env[m++] = (char *)extra[j];
	env[m++] = secret_kv;
	env[m] = NULL;
	return env;
}

/* fork + exec quantri with argv; stdout to out_fd (or the log), stderr to
 * the log. Returns the pid or -1. */
static pid_t spawn(const struct server *s, char *const argv[], char **env,
		   int out_fd)
{
	int logfd =
		open(s->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0)
		return -1;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		/* A test that fails half-way must not leave servers behind. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out_fd >= 0 ? out_fd : logfd, 1);
		dup2(logfd, 2);
		execve(argv[0], argv, env);
		/* QUANTRI_BIN may be a bare name: search PATH. */
		execvpe(argv[0], argv, env);
		dprintf(2, "harness: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(logfd);
	return pid;
}

static int wait_status(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

static long healthz(int port)
{
	char url[96];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/healthz", port);
	CURL *c = curl_easy_init();
	if (!c)
		return 0;
	FILE *sink = fopen("/dev/null", "w");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (sink)
		fclose(sink);
	return status;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static char **saved_env_extra; /* for restarts after server_kill9 */

/* Servers started and not yet stopped: a failed assertion jumps out of
 * the test, so they are stopped (and their files removed) at exit. */
enum { LIVE_MAX = 32 };
static struct server *live[LIVE_MAX];
static void cleanup_files(struct server *s);

static void stop_all_at_exit(void)
{
	for (int i = 0; i < LIVE_MAX; i++) {
		struct server *s = live[i];
		if (!s)
			continue;
		live[i] = NULL;
		if (s->pid > 0) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			s->pid = 0;
		}
		cleanup_files(s);
	}
}

static void live_add(struct server *s)
{
	static bool registered;
	if (!registered) {
		atexit(stop_all_at_exit);
		registered = true;
	}
	for (int i = 0; i < LIVE_MAX; i++)
		if (!live[i] || live[i] == s) {
			live[i] = s;
			return;
		}
}

static void live_remove(struct server *s)
{
	for (int i = 0; i < LIVE_MAX; i++)
		if (live[i] == s)
			live[i] = NULL;
}

static int start_serve(struct server *s, const char *const *env)
{
	char port[16];
	snprintf(port, sizeof port, "%d", s->port);
	char secret[400];
	char **cenv = child_env(env, s, secret, sizeof secret);
	if (!cenv)
		fail_msg("harness: out of memory");
	char *argv[] = {(char *)quantri_bin(),
			"--db",
			s->db,
			"serve",
			"--port",
			port,
			"--listen",
			"127.0.0.1",
			NULL};
	s->pid = spawn(s, argv, cenv, -1);
	free(cenv);
	if (s->pid < 0)
		fail_msg("harness: cannot start %s: %s", argv[0],
			 strerror(errno));
	double deadline = now_s() + 10;
	while (now_s() < deadline) {
		int st;
		pid_t w = waitpid(s->pid, &st, WNOHANG);
		if (w == s->pid) {
			s->pid = 0;
			print_log(s);
			fail_msg("harness: quantri serve exited (status %d) "
				 "before "
				 "answering /healthz",
				 WIFEXITED(st) ? WEXITSTATUS(st)
					       : 128 + WTERMSIG(st));
		}
		if (healthz(s->port) == 200)
			return 0;
		usleep(20000);
	}
	print_log(s);
	kill(s->pid, SIGKILL);
	wait_status(s->pid);
	s->pid = 0;
	fail_msg(
		"harness: quantri serve on port %d: no 200 on /healthz in 10 s",
		s->port);
	return -1;
}

int server_start(struct server *s, const char *const *env)
{
	static bool curl_ready;
	if (!curl_ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl_ready = true;
	}
	/* A dying child must not kill the test through SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	memset(s, 0, sizeof *s);
	const char *tmp = getenv("TMPDIR");
	snprintf(s->dir, sizeof s->dir, "%s/quantri-http-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir))
		fail_msg("harness: mkdtemp %s: %s", s->dir, strerror(errno));
	snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
	live_add(s);
	s->port = free_port();
	if (s->port <= 0)
		fail_msg("harness: no free port: %s", strerror(errno));
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);

	const char *pg = getenv("QUANTRI_TEST_DB");
	if (is_postgres(pg)) {
		char name[64], sql[128];
		snprintf(name, sizeof name, "qt_%d_%d", (int)getpid(),
			 ++db_counter);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
		if (pg_url_with_db(pg, name, s->db, sizeof s->db) ||
		    pg_admin(pg, sql))
			fail_msg("harness: cannot create database %s on %s",
				 name, pg);
	} else {
		snprintf(s->db, sizeof s->db, "%s/quantri.db", s->dir);
	}

	/* Seed the demo commune, then serve it. */
	char secret[400];
	char **cenv = child_env(env, s, secret, sizeof secret);
	if (!cenv)
		fail_msg("harness: out of memory");
	char *argv[] = {
		(char *)quantri_bin(), "--db", s->db, "init", "--demo", NULL};
	pid_t pid = spawn(s, argv, cenv, -1);
	free(cenv);
	int st = pid < 0 ? -1 : wait_status(pid);
	if (st != 0) {
		print_log(s);
		fail_msg("harness: `quantri --db %s init --demo` failed "
			 "(status %d)",
			 s->db, st);
	}
	/* Remember env for a restart on the same files. */
	free(saved_env_extra);
	saved_env_extra = NULL;
	if (env) {
		size_t k = 0;
		while (env[k])
			k++;
		saved_env_extra = calloc(k + 1, sizeof *saved_env_extra);
		for (size_t i = 0; saved_env_extra && i < k; i++)
			saved_env_extra[i] = (char *)env[i];
	}
	return start_serve(s, env);
}

int server_restart(struct server *s)
{
	if (s->pid > 0)
		server_kill9(s);
	return start_serve(s, (const char *const *)saved_env_extra);
}

static void cleanup_files(struct server *s)
{
	if (is_postgres(s->db)) {
		char name[64], sql[160];
		const char *pg = getenv("QUANTRI_TEST_DB");
		if (!pg_dbname(s, name, sizeof name) && is_postgres(pg)) {
			snprintf(sql, sizeof sql,
				 "DROP DATABASE IF EXISTS %s WITH (FORCE)",
				 name);
			pg_admin(pg, sql);
		}
	}
	const char *keep = getenv("QUANTRI_TEST_KEEP");
	if (keep && *keep) {
		fprintf(stderr, "harness: kept %s\n", s->dir);
		return;
	}
	if (s->dir[0])
		nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	s->dir[0] = 0;
}

void server_stop(struct server *s)
{
	int st = 0;
	live_remove(s);
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		/* A clean shutdown is part of the contract: give it 10 s. */
		double deadline = now_s() + 10;
		int raw;
		pid_t w = 0;
		while ((w = waitpid(s->pid, &raw, WNOHANG)) == 0 &&
		       now_s() < deadline)
			usleep(10000);
		if (w == 0) {
			kill(s->pid, SIGKILL);
			wait_status(s->pid);
			st = -1;
		} else if (w == s->pid) {
			st = WIFEXITED(raw) ? WEXITSTATUS(raw)
					    : 128 + WTERMSIG(raw);
		}
		s->pid = 0;
	}
	/* The server's own errors (sanitizer reports, a failed exit) fail the
	 * test that ran it; they are in its log. */
	if (st != 0) {
		print_log(s);
		cleanup_files(s);
		fail_msg("harness: quantri serve did not exit cleanly on "
			 "SIGTERM "
			 "(status %d)",
			 st);
	}
	cleanup_files(s);
}

void server_kill9(struct server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		wait_status(s->pid);
		s->pid = 0;
	}
}

int server_cli(struct server *s, char **out, const char *arg, ...)
{
	char *argv[40];
	int n = 0;
	argv[n++] = (char *)quantri_bin();
	argv[n++] = "--db";
	argv[n++] = s->db;
	va_list ap;
	va_start(ap, arg);
	for (const char *a = arg; a && n < 39; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;

	int pipefd[2] = {-1, -1};
	if (out && pipe2(pipefd, O_CLOEXEC))
		return -1;
	char secret[400];
	char **cenv = child_env(NULL, s, secret, sizeof secret);
	pid_t pid = cenv ? spawn(s, argv, cenv, out ? pipefd[1] : -1) : -1;
	free(cenv);
	if (out) {
		close(pipefd[1]);
		size_t len = 0, cap = 4096;
		char *buf = malloc(cap);
		ssize_t r;
		while (buf &&
		       (r = read(pipefd[0], buf + len, cap - len - 1)) != 0) {
			if (r < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			len += (size_t)r;
			if (cap - len < 2) {
				char *nb = cap < REPLY_MAX
						   ? realloc(buf, cap * 2)
						   : NULL;
				if (!nb) {
					free(buf);
					buf = NULL;
					break;
				}
				buf = nb;
				cap *= 2;
			}
		}
		close(pipefd[0]);
		if (buf)
			buf[len] = 0;
		*out = buf;
	}
	return pid < 0 ? -1 : wait_status(pid);
}

/* ---- client ---- */

struct buf {
	char *p;
	size_t len, cap, max;
};

static size_t buf_add(struct buf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->max)
		return 0; /* curl reports a write error */
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
	return n;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	return buf_add(ud, data, size * n);
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	/* Keep only the last response's headers (after a 100 Continue). */
	if (size * n >= 5 && !strncmp(data, "HTTP/", 5))
		b->len = 0;
	return buf_add(b, data, size * n);
}

void client_init(struct client *c, struct server *s)
{
	memset(c, 0, sizeof *c);
	c->srv = s;
	c->curl = curl_easy_init();
	if (!c->curl)
		fail_msg("harness: curl_easy_init failed");
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
}

void client_release(struct client *c)
{
	if (c->curl)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

/* Picks the value of the last csrf_token field of an HTML page. */
static void take_csrf(struct client *c, const struct reply *r)
{
	if (!r->body || !strstr(r->content_type, "html"))
		return;
	const char *last = NULL, *p = r->body;
	while ((p = strstr(p, "name=\"csrf_token\""))) {
		last = p;
		p++;
	}
	if (!last)
		return;
	const char *tag = last;
	while (tag > r->body && *tag != '<')
		tag--;
	const char *end = strchr(last, '>');
	const char *v = strstr(tag, "value=\"");
	if (!v || (end && v > end))
		return;
	v += 7;
	size_t len = strcspn(v, "\"");
	if (len < sizeof c->csrf) {
		memcpy(c->csrf, v, len);
		c->csrf[len] = 0;
	}
}

static int perform(struct client *c, const char *method, const char *path,
		   const char *body, size_t body_len, const char *content_type,
		   bool csrf_header, const char *extra_header, struct reply *r)
{
	memset(r, 0, sizeof *r);
	char url[1024];
	snprintf(url, sizeof url, "%s%s", c->srv->base, path);
	struct buf b = {.max = REPLY_MAX}, h = {.max = HEADERS_MAX};
	struct curl_slist *hdrs = NULL;
	char line[300];
	hdrs = curl_slist_append(hdrs, "Expect:");
	if (c->bearer[0]) {
		snprintf(line, sizeof line, "Authorization: Bearer %s",
			 c->bearer);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (content_type) {
		snprintf(line, sizeof line, "Content-Type: %s", content_type);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (extra_header)
		hdrs = curl_slist_append(hdrs, extra_header);
	if (csrf_header && c->csrf[0]) {
		snprintf(line, sizeof line, "X-CSRF-Token: %s", c->csrf);
		hdrs = curl_slist_append(hdrs, line);
	}
	CURL *k = c->curl;
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, &h);
	if (!strcmp(method, "GET")) {
		curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, NULL);
	} else {
		curl_easy_setopt(k, CURLOPT_POST, 1L);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(body ? body_len : 0));
		curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST,
				 strcmp(method, "POST") ? method : NULL);
	}
	CURLcode rc = curl_easy_perform(k);
	curl_slist_free_all(hdrs);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, NULL);
	r->body = b.p ? b.p : calloc(1, 1);
	r->len = b.len;
	r->headers = h.p ? h.p : calloc(1, 1);
	if (rc != CURLE_OK) {
		if (!atomic_load(&harness_quiet))
			fprintf(stderr, "harness: %s %s: %s\n", method, path,
				curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &r->status);
	char *ct = NULL;
	curl_easy_getinfo(k, CURLINFO_CONTENT_TYPE, &ct);
	snprintf(r->content_type, sizeof r->content_type, "%s", ct ? ct : "");
	reply_header(r, "Location", r->location, sizeof r->location);
	take_csrf(c, r);
	return 0;
}

int client_get(struct client *c, const char *path, struct reply *r)
{
	return perform(c, "GET", path, NULL, 0, NULL, false, NULL, r);
}

int client_get_with(struct client *c, const char *path, const char *header,
		    struct reply *r)
{
	return perform(c, "GET", path, NULL, 0, NULL, false, header, r);
}

int client_post(struct client *c, const char *path, const char *body,
		struct reply *r)
{
	body = body ? body : "";
	char esc[sizeof c->csrf * 3 + 16];
	size_t n = strlen(body);
	char *full = malloc(n + sizeof esc + 16);
	if (!full)
		return -1;
	memcpy(full, body, n + 1);
	if (!strstr(body, "csrf_token=") && c->csrf[0]) {
		snprintf(full + n, sizeof esc + 16, "%scsrf_token=%s",
			 n ? "&" : "", form_escape(c->csrf, esc, sizeof esc));
	}
	int rc = perform(c, "POST", path, full, strlen(full),
			 "application/x-www-form-urlencoded", false, NULL, r);
	free(full);
	return rc;
}

int client_post_json(struct client *c, const char *path, json_t *body,
		     struct reply *r)
{
	char *text = json_dumps(body, JSON_COMPACT);
	if (!text)
		return -1;
	int rc = perform(c, "POST", path, text, strlen(text),
			 "application/json", true, NULL, r);
	free(text);
	return rc;
}

int client_request(struct client *c, const char *method, const char *path,
		   const char *content_type, const char *body, size_t len,
		   struct reply *r)
{
	return perform(c, method, path, body, len, content_type, false, NULL,
		       r);
}

long client_login(struct client *c, const char *username, const char *password)
{
	struct reply r;
	if (client_get(c, "/login", &r))
		return 0;
	reply_release(&r);
	char u[256], p[256], body[600];
	snprintf(body, sizeof body, "username=%s&password=%s",
		 form_escape(username, u, sizeof u),
		 form_escape(password, p, sizeof p));
	if (client_post(c, "/login", body, &r)) {
		reply_release(&r); /* a failed request still holds buffers */
		return 0;
	}
	long status = r.status;
	char next[512];
	snprintf(next, sizeof next, "%s", r.location);
	reply_release(&r);
	/* Follow to the page the login leads to, so the session's CSRF token
	 * is the one the client holds next. */
	for (int hops = 0; status == 303 && next[0] && hops < 3; hops++) {
		const char *path = next;
		if (!strncmp(path, c->srv->base, strlen(c->srv->base)))
			path += strlen(c->srv->base);
		if (path[0] != '/')
			break;
		if (client_get(c, path, &r)) {
			reply_release(&r);
			break;
		}
		long s = r.status;
		snprintf(next, sizeof next, "%s", r.location);
		reply_release(&r);
		if (s != 303 && s != 302)
			break;
	}
	return status;
}

json_t *reply_json(const struct reply *r)
{
	if (!r->body || !r->len)
		return NULL;
	return json_loadb(r->body, r->len, 0, NULL);
}

bool reply_has(const struct reply *r, const char *needle)
{
	return r->body && strstr(r->body, needle);
}

const char *reply_header(const struct reply *r, const char *name, char *buf,
			 size_t n)
{
	if (n)
		buf[0] = 0;
	size_t nl = strlen(name);
	for (const char *l = r->headers; l && *l;) {
		const char *eol = strstr(l, "\r\n");
		size_t len = eol ? (size_t)(eol - l) : strlen(l);
		if (len > nl && l[nl] == ':' && !strncasecmp(l, name, nl)) {
			const char *v = l + nl + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t vl = len - (size_t)(v - l);
			if (vl >= n)
				vl = n - 1;
			memcpy(buf, v, vl);
			buf[vl] = 0;
			return buf;
		}
		l += len + (eol ? 2 : 0);
	}
	return NULL;
}

void reply_release(struct reply *r)
{
	free(r->body);
	free(r->headers);
	r->body = r->headers = NULL;
	r->len = 0;
}

const char *form_escape(const char *s, char *buf, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') ||
			     (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || strchr("-._~", *p);
		if (o + (plain ? 1 : 3) >= n)
			break;
		if (plain) {
			buf[o++] = (char)*p;
		} else {
			buf[o++] = '%';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 15];
		}
	}
	if (n)
		buf[o < n ? o : n - 1] = 0;
	return buf;
}

int raw_request(struct server *s, const char *data, size_t len, char *out,
		size_t out_n)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)s->port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct timeval tv = {.tv_sec = 10};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
		close(fd);
		return -1;
	}
	size_t sent = 0;
	while (sent < len) {
		ssize_t w = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		sent += (size_t)w;
	}
	size_t got = 0;
	while (got + 1 < out_n) {
		ssize_t r = recv(fd, out + got, out_n - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (out_n)
		out[got] = 0;
	close(fd);
	return (int)got;
}

void client_login_demo(struct client *c, struct server *s, const char *user)
{
	client_init(c, s);
	if (client_login(c, user, DEMO_PASSWORD) != 303)
		fail_msg("login %s failed", user);
}

long client_status(struct client *c, const char *path)
{
	struct reply r;
	if (client_get(c, path, &r))
		fail_msg("GET %s: no reply", path);
	long status = r.status;
	reply_release(&r);
	return status;
}

json_t *client_get_json(struct client *c, const char *path)
{
	struct reply r;
	if (client_get(c, path, &r) || r.status != 200)
		fail_msg("GET %s: %ld %s", path, r.status,
			 r.body ? r.body : "");
	json_t *j = reply_json(&r);
	reply_release(&r);
	if (!j)
		fail_msg("GET %s: not JSON", path);
	return j;
}
