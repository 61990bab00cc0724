/* A real SMTP server for the tests: aiosmtpd (Debian's python3-aiosmtpd)
 * on a free loopback port, keeping every message it receives in a
 * Maildir. What it received is read back through Python's own email
 * package (RFC 2047 headers and the quoted-printable body decoded by code
 * that is not ours), as JSON.
 *
 * Header-only (static functions): the build links tests/http/harness.c
 * and nothing else beside each test. Python: $QUANTRI_PYTHON, else
 * /usr/bin/python3 (the one that sees Debian's python3-aiosmtpd). */
#ifndef SMTP_SINK_H
#define SMTP_SINK_H
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct smtp_sink {
	pid_t pid;
	int port;
	char dir[256];  /* temp dir: mail/ (the Maildir), sink.log */
	char url[64];   /* "smtp://127.0.0.1:PORT" */
	char mail[300]; /* the Maildir */
	char log[300];
};

static const char *smtp_sink_python(void)
{
	const char *p = getenv("QUANTRI_PYTHON");
	return p && *p ? p : "/usr/bin/python3";
}

static double smtp_sink_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* 1 when something on the port greets with "220". */
static int smtp_sink_greets(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	char buf[64] = "";
	int ok = 0;
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
		struct timeval tv = {2, 0};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		ssize_t n = read(fd, buf, sizeof buf - 1);
		ok = n >= 3 && !strncmp(buf, "220", 3);
		if (ok && write(fd, "QUIT\r\n", 6) < 0)
			ok = 1;
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

static int smtp_sink_spawn(struct smtp_sink *s)
{
	char listen[64];
	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	int logfd =
		open(s->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0)
		return -1;
	pid_t parent = getpid();
	s->pid = fork();
	if (s->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		dup2(logfd, 1);
		dup2(logfd, 2);
		execl(smtp_sink_python(), smtp_sink_python(), "-m", "aiosmtpd",
		      "-n", "-l", listen, "-c", "aiosmtpd.handlers.Mailbox",
		      s->mail, (char *)NULL);
		dprintf(2, "smtp sink: exec %s: %s\n", smtp_sink_python(),
			strerror(errno));
		_exit(127);
	}
	close(logfd);
	if (s->pid < 0)
		return -1;
	for (double end = smtp_sink_now() + 10; smtp_sink_now() < end;) {
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		if (smtp_sink_greets(s->port))
			return 0;
		usleep(50000);
	}
	return -1;
}

/* Starts the sink; 0, or -1 with the reason on stderr. */
static int smtp_sink_start(struct smtp_sink *s)
{
	memset(s, 0, sizeof *s);
	const char *tmp = getenv("TMPDIR");
	snprintf(s->dir, sizeof s->dir, "%s/quantri-smtp-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->mail, sizeof s->mail, "%s/mail", s->dir);
	snprintf(s->log, sizeof s->log, "%s/sink.log", s->dir);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t n = sizeof sa;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) ||
	    getsockname(fd, (struct sockaddr *)&sa, &n)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	s->port = ntohs(sa.sin_port);
	snprintf(s->url, sizeof s->url, "smtp://127.0.0.1:%d", s->port);
	if (smtp_sink_spawn(s)) {
		fprintf(stderr,
			"smtp sink: %s -m aiosmtpd did not answer on "
			"port %d (is python3-aiosmtpd installed?); "
			"log %s\n",
			smtp_sink_python(), s->port, s->log);
		return -1;
	}
	return 0;
}

/* Stops the server (the Maildir stays): a server that is down. */
static void smtp_sink_stop(struct smtp_sink *s)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	int st;
	while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
}

/* The same port and Maildir again. */
static int smtp_sink_restart(struct smtp_sink *s)
{
	smtp_sink_stop(s);
	return smtp_sink_spawn(s);
}

static int smtp_sink_rm(const char *path, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	return remove(path);
}

static void smtp_sink_release(struct smtp_sink *s)
{
	smtp_sink_stop(s);
	if (s->dir[0] && !getenv("QUANTRI_TEST_KEEP"))
		nftw(s->dir, smtp_sink_rm, 16, FTW_DEPTH | FTW_PHYS);
	s->dir[0] = '\0';
}

/* Every message received, by recipient then subject: [{to_addr, to_name, rcpt,
 * mail_from, from, subject, body, date, message_id, content_type, cte,
 * auto_submitted, max_line}] (max_line: the longest line as stored,
 * without its line end). NULL if the mailbox cannot be read. */
static json_t *smtp_sink_messages(struct smtp_sink *s)
{
	static const char script[] =
		"import json, mailbox, sys, email.header, email.utils\n"
		"def dec(v):\n"
		"    if v is None: return None\n"
		"    return str(email.header.make_header("
		"email.header.decode_header(v)))\n"
		"box = mailbox.Maildir(sys.argv[1], factory=None, "
		"create=True)\n"
		"out = []\n"
		"for key in box.keys():\n"
		"    raw = box.get_bytes(key)\n"
		"    m = email.message_from_bytes(raw)\n"
		"    name, addr = email.utils.parseaddr(dec(m['To']))\n"
		"    body = m.get_payload(decode=True).decode('utf-8')\n"
		"    lines = raw.split(b'\\n')\n"
		"    out.append({'to_addr': addr, 'to_name': name,\n"
		"        'rcpt': m['X-RcptTo'], 'mail_from': m['X-MailFrom'],\n"
		"        'from': dec(m['From']), 'subject': "
		"dec(m['Subject']),\n"
		"        'body': body, 'date': m['Date'],\n"
		"        'message_id': m['Message-ID'],\n"
		"        'content_type': m['Content-Type'],\n"
		"        'cte': m['Content-Transfer-Encoding'],\n"
		"        'auto_submitted': m['Auto-Submitted'],\n"
		"        'max_line': max(len(l.rstrip(b'\\r')) for l in "
		"lines)})\n"
		"out.sort(key=lambda x: (x['to_addr'], x['subject']))\n"
		"json.dump(out, sys.stdout, ensure_ascii=False)\n";
	int fds[2];
	if (pipe2(fds, O_CLOEXEC))
		return NULL;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(smtp_sink_python(), smtp_sink_python(), "-c", script,
		      s->mail, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t r;
	while (buf && (r = read(fds[0], buf + len, cap - len - 1)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)r;
		if (cap - len < 2) {
			char *b = realloc(buf, cap * 2);
			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
	}
	close(fds[0]);
	int st = -1;
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	json_t *out = NULL;
	if (buf && pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		out = json_loadb(buf, len, 0, NULL);
	free(buf);
	return out;
}

/* The messages, once at least n have arrived or `seconds` passed. */
static json_t *smtp_sink_wait(struct smtp_sink *s, size_t n, double seconds)
{
	double end = smtp_sink_now() + seconds;
	for (;;) {
		json_t *m = smtp_sink_messages(s);
		if ((m && json_array_size(m) >= n) || smtp_sink_now() >= end)
			return m;
		json_decref(m);
		usleep(100000);
	}
}

#endif
