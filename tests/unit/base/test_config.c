/* Settings: defaults < file < environment < flags (config_set). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/config.h"
#include "base/banned.h"

static const char *const env_keys[] = {
	"QUANTRI_CONFIG",
	"QUANTRI_DB",
	"QUANTRI_LISTEN",
	"QUANTRI_PORT",
	"QUANTRI_THREADS",
	"QUANTRI_SESSION_IDLE_MINUTES",
	"QUANTRI_MAX_BODY_BYTES",
	"QUANTRI_LOG_LEVEL",
	"QUANTRI_SECRET_FILE",
	"QUANTRI_LOGIN_MAX_PER_USER",
	"QUANTRI_LOGIN_MAX_PER_ADDR",
	"QUANTRI_COOKIE_SECURE",
};

static char path[64];

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	for (size_t i = 0; i < sizeof env_keys / sizeof *env_keys; i++)
		unsetenv(env_keys[i]);
	snprintf(path, sizeof path, "/tmp/quantri-test-config-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void test_defaults(void **state)
{
	struct config c;
	config_defaults(&c);
	assert_string_equal(c.db, "var/quantri.db");
	assert_string_equal(c.listen, "127.0.0.1");
	assert_int_equal(c.port, 8080);
	assert_int_equal(c.threads, 0);
	assert_int_equal(c.session_idle_minutes, 30);
	assert_int_equal(c.max_body_bytes, 1048576);
	assert_string_equal(c.log_level, "info");
	assert_string_equal(c.secret_file, "var/secret.key");
	assert_int_equal(c.login_max_per_user, 5);
	assert_int_equal(c.login_max_per_addr, 20);
	assert_false(c.cookie_secure);
}

static void test_precedence(void **state)
{
	struct config c;
	struct error e = {0};
	write_file("# quantri settings\n"
		   "\n"
		   "db = /srv/quantri/minhtien.db\n"
		   "port=9090\n"
		   "  listen = 0.0.0.0  \n"
		   "log_level = \"debug\"\n"
		   "cookie_secure = yes\n"
		   "secret_file = /etc/quantri/secret#1.key\n");
	setenv("QUANTRI_PORT", "9191", 1);
	setenv("QUANTRI_THREADS", "4", 1);
	config_defaults(&c);
	if (config_load(&c, path, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(c.db, "/srv/quantri/minhtien.db"); /* file */
	assert_string_equal(c.listen, "0.0.0.0");
	assert_string_equal(c.log_level, "debug");
	assert_true(c.cookie_secure);
	assert_string_equal(c.secret_file, "/etc/quantri/secret#1.key");
	assert_int_equal(c.port, 9191); /* environment over file */
	assert_int_equal(c.threads, 4);
	assert_int_equal(c.session_idle_minutes, 30); /* default */
	/* A flag (--db) is config_set after config_load: it wins. */
	assert_int_equal(
		config_set(&c, "db", "postgres://localhost/quantri", &e),
		ERR_OK);
	assert_string_equal(c.db, "postgres://localhost/quantri");
	unsetenv("QUANTRI_PORT");
	unsetenv("QUANTRI_THREADS");
}

static void test_config_env_names_file(void **state)
{
	struct config c;
	struct error e = {0};
	write_file("port = 7070\n");
	setenv("QUANTRI_CONFIG", path, 1);
	config_defaults(&c);
	assert_int_equal(config_load(&c, NULL, &e), ERR_OK);
	assert_int_equal(c.port, 7070);
	unsetenv("QUANTRI_CONFIG");
}

static void test_file_errors(void **state)
{
	static const struct {
		const char *text;
		const char *msg; /* after "PATH:" */
	} cases[] = {
		{"port = 8080\n\nfoo = bar\n", "3: unknown key \"foo\""},
		{"port = eighty\n",
		 "1: port: bad value \"eighty\" (expected 0..65535)"},
		{"port = 70000\n",
		 "1: port: bad value \"70000\" (expected 0..65535)"},
		{"# ok\nlisten\n", "2: expected key = value"},
		{"db =\n", "1: db: empty value"},
		{"log_level = verbose\n",
		 "1: log_level: bad value \"verbose\" (expected debug, info, "
		 "warn or error)"},
		{"cookie_secure = maybe\n",
		 "1: cookie_secure: bad value \"maybe\" (expected true or "
		 "false)"},
		{"session_idle_minutes = 0\n",
		 "1: session_idle_minutes: bad value \"0\" (expected "
		 "1..10080)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct config c;
		struct error e = {0};
		char want[600];
		write_file(cases[i].text);
		config_defaults(&c);
		assert_int_equal(config_load(&c, path, &e), ERR_INVALID);
		snprintf(want, sizeof want, "%s:%s", path, cases[i].msg);
		assert_string_equal(e.msg, want);
	}
}

static void test_env_errors_and_missing_file(void **state)
{
	struct config c;
	struct error e = {0};
	config_defaults(&c);
	setenv("QUANTRI_MAX_BODY_BYTES", "12", 1);
	assert_int_equal(config_load(&c, NULL, &e), ERR_INVALID);
	assert_string_equal(
		e.msg, "environment QUANTRI_MAX_BODY_BYTES: max_body_bytes: "
		       "bad value \"12\" (expected 1024..1073741824)");
	unsetenv("QUANTRI_MAX_BODY_BYTES");
	assert_int_equal(config_load(&c, "/nonexistent/quantri.conf", &e),
			 ERR_IO);
	assert_string_equal(
		e.msg, "/nonexistent/quantri.conf: No such file or directory");
	assert_int_equal(config_set(&c, "colour", "blue", &e), ERR_INVALID);
	assert_string_equal(e.msg, "unknown key \"colour\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_config_env_names_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_env_errors_and_missing_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
