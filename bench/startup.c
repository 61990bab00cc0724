/* Time from exec of `quantri serve` to its first 200 on /healthz, in
 * milliseconds, RUNS times; prints each and the median. Used by http.sh:
 *   startup RUNS PORT QUANTRI --db DB serve --port PORT --listen 127.0.0.1
 * A raw socket polled every 0.5 ms keeps the probe's own cost out of it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../src/base/banned.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int healthz_ok(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((unsigned short)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int ok = 0;
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&a, sizeof a)) {
		static const char req[] = "GET /healthz HTTP/1.1\r\n"
					  "Host: 127.0.0.1\r\n"
					  "Connection: close\r\n\r\n";
		char buf[64] = {0};
		if (write(fd, req, sizeof req - 1) ==
			    (ssize_t)(sizeof req - 1) &&
		    read(fd, buf, sizeof buf - 1) > 12)
			ok = !strncmp(buf + 9, "200", 3);
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: startup RUNS PORT COMMAND...\n");
		return 2;
	}
	int runs = (int)strtol(argv[1], NULL, 10);
	int port = (int)strtol(argv[2], NULL, 10);
	if (runs < 1 || runs > 1000 || port <= 0 || port > 65535) {
		fprintf(stderr, "startup: bad RUNS or PORT\n");
		return 2;
	}
	double *ms = calloc((size_t)runs, sizeof *ms);
	if (!ms)
		return 1;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		pid_t pid = fork();
		if (pid == 0) {
			freopen("/dev/null", "w", stdout);
			freopen("/dev/null", "w", stderr);
			execv(argv[3], argv + 3);
			_exit(127);
		}
		while (!healthz_ok(port)) {
			int st;
			if (waitpid(pid, &st, WNOHANG) == pid) {
				fprintf(stderr,
					"startup: server exited early\n");
				return 1;
			}
			if (now_ms() - t0 > 10000) {
				fprintf(stderr, "startup: no 200 in 10 s\n");
				kill(pid, SIGKILL);
				return 1;
			}
			usleep(500);
		}
		ms[i] = now_ms() - t0;
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	qsort(ms, (size_t)runs, sizeof *ms, cmp);
	printf("%.1f\n",
	       runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2);
	free(ms);
	return 0;
}
