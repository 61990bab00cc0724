/* Log lines: logfmt on stderr, one write each, whole under threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/log.h"
#include "base/banned.h"

static char path[64];
static int saved_stderr;

static int capture(void **state)
{
	snprintf(path, sizeof path, "/tmp/quantri-test-log-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
	log_set_level(LOG_INFO);
	return 0;
}

/* Restores stderr and returns what was logged (malloc'd). */
static char *captured(void)
{
	dup2(saved_stderr, 2);
	close(saved_stderr);
	FILE *f = fopen(path, "r");
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	return buf;
}

static void test_format(void **state)
{
	char q[64];
	capture(state);
	log_info("listening", "port=%d", 8080);
	log_warn("login failed", "user=%s",
		 log_quote(q, sizeof q, "Nguyễn Văn An"));
	log_debug("hidden", "");
	log_error("say \"hi\"", "");
	log_info("bad\nfield", "x=%s", "a\nb");
	char *out = captured();
	char *l1 = out, *l2 = strchr(l1, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
	char *l4 = strchr(l3, '\n') + 1;
	/* 2026-11-27T12:00:00Z level=info msg=listening port=8080 */
	assert_int_equal(l1[4], '-');
	assert_int_equal(l1[10], 'T');
	assert_int_equal(l1[19], 'Z');
	assert_memory_equal(l1 + 20, " level=info msg=listening port=8080\n",
			    36);
	assert_memory_equal(
		l2 + 20,
		" level=warn msg=\"login failed\" user=\"Nguyễn Văn An\"\n",
		strlen(" level=warn msg=\"login failed\" user=\"Nguyễn Văn "
		       "An\"\n"));
	assert_memory_equal(l3 + 20, " level=error msg=\"say \\\"hi\\\"\"\n",
			    30);
	assert_memory_equal(l4 + 20, " level=info msg=\"bad\\nfield\" x=a b\n",
			    35);
	assert_null(strstr(out, "hidden"));
	assert_string_equal(strchr(l4, '\n'), "\n");
}

static void test_long_line_cut(void **state)
{
	char *big = malloc(10000);
	memset(big, 'x', 9999);
	big[9999] = '\0';
	capture(state);
	log_info("big", "v=%s", big);
	char *out = captured();
	assert_int_equal(strlen(out), LOG_LINE_MAX - 1);
	assert_int_equal(out[LOG_LINE_MAX - 2], '\n');
	free(big);
}

static void *writer(void *arg)
{
	for (int i = 0; i < 500; i++)
		log_info("tick", "thread=%ld i=%d pad=%s", (long)(intptr_t)arg,
			 i,
			 "....................................................."
			 "...........");
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[8];
	capture(state);
	for (long i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	char *out = captured();
	int lines = 0;
	for (char *l = out; *l; l = strchr(l, '\n') + 1) {
		/* Every line is whole: starts with a timestamp, has its pad. */
		assert_int_equal(l[19], 'Z');
		char *nl = strchr(l, '\n');
		assert_non_null(nl);
		assert_memory_equal(nl - 4, "....", 4);
		lines++;
	}
	assert_int_equal(lines, 8 * 500);
}

static void test_level_parse(void **state)
{
	assert_int_equal(log_level_parse("debug"), LOG_DEBUG);
	assert_int_equal(log_level_parse("warn"), LOG_WARN);
	assert_int_equal(log_level_parse("error"), LOG_ERROR);
	assert_int_equal(log_level_parse("info"), LOG_INFO);
	assert_int_equal(log_level_parse("loud"), LOG_INFO);
	char q[8];
	assert_string_equal(log_quote(q, sizeof q, "plain"), "plain");
	assert_string_equal(log_quote(q, sizeof q, ""), "\"\"");
	assert_string_equal(log_quote(q, sizeof q, "a b c d e f"), "\"a b c\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_long_line_cut),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_level_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
