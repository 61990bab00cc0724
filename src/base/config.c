#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "banned.h"

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->db, sizeof c->db, "var/quantri.db");
	snprintf(c->listen, sizeof c->listen, "127.0.0.1");
	c->port = 8080;
	c->threads = 0;
	c->session_idle_minutes = 30;
	c->max_body_bytes = 1048576;
	c->max_upload_bytes = 10485760;
	snprintf(c->log_level, sizeof c->log_level, "info");
	snprintf(c->secret_file, sizeof c->secret_file, "var/secret.key");
	c->login_max_per_user = 5;
	c->login_max_per_addr = 20;
	c->cookie_secure = false;
	c->trust_proxy = false;
	c->views_cache = true;
	snprintf(c->smtp_from, sizeof c->smtp_from, "quantri@localhost");
	c->digest_hour = 7;
	c->voice_submit_per_10min = 5;
	c->voice_submit_per_day = 30;
}

static bool parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return false;
	*out = n;
	return true;
}

static enum err set_int(int *field, const char *key, const char *v, long min,
			long max, struct error *e)
{
	long n;
	if (!parse_long(v, min, max, &n))
		return error_set(e, ERR_INVALID,
				 "%s: bad value \"%s\" (expected %ld..%ld)",
				 key, v, min, max);
	*field = (int)n;
	return ERR_OK;
}

static enum err set_str(char *field, size_t size, const char *key,
			const char *v, struct error *e)
{
	size_t n = strlen(v);
	if (n == 0)
		return error_set(e, ERR_INVALID, "%s: empty value", key);
	if (n >= size)
		return error_set(e, ERR_INVALID,
				 "%s: value longer than %zu bytes", key,
				 size - 1);
	memcpy(field, v, n + 1);
	return ERR_OK;
}

/* An optional text: empty clears it. */
static enum err set_opt_str(char *field, size_t size, const char *key,
			    const char *v, struct error *e)
{
	if (!*v) {
		field[0] = '\0';
		return ERR_OK;
	}
	return set_str(field, size, key, v, e);
}

/* "" or a URL starting with scheme s1 or s2; no spaces or control
 * characters. */
static enum err set_url(char *field, size_t size, const char *key,
			const char *v, const char *s1, const char *s2,
			struct error *e)
{
	if (*v && strncmp(v, s1, strlen(s1)) && strncmp(v, s2, strlen(s2)))
		/* not the value: an SMTP URL may carry a password */
		return error_set(e, ERR_INVALID,
				 "%s: bad value (expected %s... or %s...)", key,
				 s1, s2);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return error_set(e, ERR_INVALID,
					 "%s: spaces or control characters in "
					 "the URL",
					 key);
	return set_opt_str(field, size, key, v, e);
}

static enum err set_bool(bool *out, const char *key, const char *v,
			 struct error *e)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") ||
	    !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") ||
		 !strcmp(v, "0"))
		*out = false;
	else
		return error_set(
			e, ERR_INVALID,
			"%s: bad value \"%s\" (expected true or false)", key,
			v);
	return ERR_OK;
}

enum err config_set(struct config *c, const char *key, const char *value,
		    struct error *e)
{
	const char *v = value ? value : "";
	if (!strcmp(key, "db"))
		return set_str(c->db, sizeof c->db, key, v, e);
	if (!strcmp(key, "listen"))
		return set_str(c->listen, sizeof c->listen, key, v, e);
	/* 0 asks the system for a free port (the HTTP tests use it). */
	if (!strcmp(key, "port"))
		return set_int(&c->port, key, v, 0, 65535, e);
	if (!strcmp(key, "threads"))
		return set_int(&c->threads, key, v, 0, 1024, e);
	if (!strcmp(key, "session_idle_minutes"))
		return set_int(&c->session_idle_minutes, key, v, 1, 7 * 24 * 60,
			       e);
	if (!strcmp(key, "max_body_bytes")) {
		long n;
		if (!parse_long(v, 1024, 1L << 30, &n))
			return error_set(
				e, ERR_INVALID,
				"%s: bad value \"%s\" (expected 1024..%ld)",
				key, v, 1L << 30);
		c->max_body_bytes = n;
		return ERR_OK;
	}
	if (!strcmp(key, "max_upload_bytes")) {
		long n;
		if (!parse_long(v, 1024, 1L << 30, &n))
			return error_set(
				e, ERR_INVALID,
				"%s: bad value \"%s\" (expected 1024..%ld)",
				key, v, 1L << 30);
		c->max_upload_bytes = n;
		return ERR_OK;
	}
	if (!strcmp(key, "log_level")) {
		if (strcmp(v, "debug") && strcmp(v, "info") &&
		    strcmp(v, "warn") && strcmp(v, "error"))
			return error_set(e, ERR_INVALID,
					 "%s: bad value \"%s\" (expected "
					 "debug, info, warn or error)",
					 key, v);
		return set_str(c->log_level, sizeof c->log_level, key, v, e);
	}
	if (!strcmp(key, "secret_file"))
		return set_str(c->secret_file, sizeof c->secret_file, key, v,
			       e);
	if (!strcmp(key, "login_max_per_user"))
		return set_int(&c->login_max_per_user, key, v, 1, 100000, e);
	if (!strcmp(key, "login_max_per_addr"))
		return set_int(&c->login_max_per_addr, key, v, 1, 100000, e);
	if (!strcmp(key, "cookie_secure"))
		return set_bool(&c->cookie_secure, key, v, e);
	if (!strcmp(key, "trust_proxy"))
		return set_bool(&c->trust_proxy, key, v, e);
	if (!strcmp(key, "views_cache"))
		return set_bool(&c->views_cache, key, v, e);
	if (!strcmp(key, "smtp_url"))
		return set_url(c->smtp_url, sizeof c->smtp_url, key, v,
			       "smtp://", "smtps://", e);
	if (!strcmp(key, "smtp_from")) {
		if (!strchr(v, '@') || strpbrk(v, "\r\n"))
			return error_set(e, ERR_INVALID,
					 "%s: bad value \"%s\" (expected an "
					 "e-mail address)",
					 key, v);
		return set_str(c->smtp_from, sizeof c->smtp_from, key, v, e);
	}
	if (!strcmp(key, "smtp_user"))
		return set_opt_str(c->smtp_user, sizeof c->smtp_user, key, v,
				   e);
	/* the value is never repeated in a message */
	if (!strcmp(key, "smtp_password")) {
		if (strlen(v) >= sizeof c->smtp_password)
			return error_set(e, ERR_INVALID,
					 "%s: value longer than %zu bytes", key,
					 sizeof c->smtp_password - 1);
		return set_opt_str(c->smtp_password, sizeof c->smtp_password,
				   key, v, e);
	}
	if (!strcmp(key, "digest_hour"))
		return set_int(&c->digest_hour, key, v, 0, 23, e);
	if (!strcmp(key, "public_url")) {
		enum err err = set_url(c->public_url, sizeof c->public_url, key,
				       v, "http://", "https://", e);
		size_t n = strlen(c->public_url);
		while (!err && n && c->public_url[n - 1] == '/')
			c->public_url[--n] = '\0';
		return err;
	}
	if (!strcmp(key, "voice_submit_per_10min"))
		return set_int(&c->voice_submit_per_10min, key, v, 1, 100000000,
			       e);
	if (!strcmp(key, "voice_submit_per_day"))
		return set_int(&c->voice_submit_per_day, key, v, 1, 100000000,
			       e);
	return error_set(e, ERR_INVALID, "unknown key \"%s\"", key);
}

static const char *const keys[] = {
	"db",
	"listen",
	"port",
	"threads",
	"session_idle_minutes",
	"max_body_bytes",
	"max_upload_bytes",
	"log_level",
	"secret_file",
	"login_max_per_user",
	"login_max_per_addr",
	"cookie_secure",
	"trust_proxy",
	"views_cache",
	"smtp_url",
	"smtp_from",
	"smtp_user",
	"smtp_password",
	"digest_hour",
	"public_url",
	"voice_submit_per_10min",
	"voice_submit_per_day",
};

static char *strip(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static enum err load_file(struct config *c, const char *path, struct error *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return error_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	char line[4096];
	int lineno = 0;
	enum err err = ERR_OK;
	while (!err && fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			err = error_set(e, ERR_INVALID,
					"%s:%d: line longer than %zu bytes",
					path, lineno, sizeof line - 2);
			break;
		}
		/* '#' starts a comment only at the start of a line: a database
		 * password may hold one. */
		char *s = strip(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			err = error_set(e, ERR_INVALID,
					"%s:%d: expected key = value", path,
					lineno);
			break;
		}
		*eq = '\0';
		char *key = strip(s), *value = strip(eq + 1);
		size_t vn = strlen(value);
		if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
			value[vn - 1] = '\0';
			value++;
		}
		struct error sub = {0};
		err = config_set(c, key, value, &sub);
		if (err)
			error_set(e, err, "%s:%d: %s", path, lineno, sub.msg);
	}
	if (!err && ferror(f))
		err = error_set(e, ERR_IO, "%s: read error", path);
	fclose(f);
	return err;
}

enum err config_load(struct config *c, const char *file, struct error *e)
{
	enum err err;
	if (!file || !*file) {
		file = getenv("QUANTRI_CONFIG");
		if (file && !*file)
			file = NULL;
		if (!file && access("/etc/quantri/quantri.conf", F_OK) == 0)
			file = "/etc/quantri/quantri.conf";
	}
	if (file && (err = load_file(c, file, e)))
		return err;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		char name[64] = "QUANTRI_";
		size_t k = strlen(name);
		for (const char *p = keys[i]; *p && k + 1 < sizeof name; p++)
			name[k++] = (char)toupper((unsigned char)*p);
		name[k] = '\0';
		const char *v = getenv(name);
		if (!v)
			continue;
		struct error sub = {0};
		if ((err = config_set(c, keys[i], v, &sub)))
			return error_set(e, err, "environment %s: %s", name,
					 sub.msg);
	}
	return ERR_OK;
}
