/* `quantri mail ...`: the daily digest, the outbox and a test mail, for
 * the person at the server's keyboard (and for cron, should someone run
 * the digest that way instead of `quantri serve`). English messages;
 * exit 0 ok, 1 failure, 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "mail.h"
#include "notify.h"
#include "../cli.h"
#include "../base/calendar.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { CLI_ARENA_MAX = 256 << 20 };

static const char usage[] =
	"usage: quantri mail digest [--date YYYY-MM-DD]\n"
	"       quantri mail send\n"
	"       quantri mail outbox\n"
	"       quantri mail retry ID\n"
	"       quantri mail test ADDRESS\n\n"
	"  digest   queue one e-mail per user with an address and unread\n"
	"           notifications not mailed yet (default: today, Vietnam\n"
	"           time); a second run the same day queues nothing\n"
	"  send     deliver the mails that are due through smtp_url\n"
	"  outbox   list the mails not sent: waiting, or given up after 5\n"
	"           attempts\n"
	"  retry    put a mail not sent back in the queue, 5 fresh attempts\n"
	"  test     send one mail to ADDRESS now, to check the settings\n\n"
	"`quantri serve` makes the digest each day from digest_hour and sends\n"
	"the outbox every minute by itself. Settings: smtp_url, smtp_from,\n"
	"smtp_user, smtp_password, digest_hour, public_url\n"
	"(deploy/quantri.conf.example).\n";

static int usage_error(const char *fmt, const char *arg)
{
	if (fmt) {
		fputs("quantri mail: ", stderr);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs(usage, stderr);
	return 2;
}

/* The database of cfg, made by `quantri init` and current. */
static int open_db(const struct config *cfg, struct db **db)
{
	struct error e = {0};
	*db = NULL;
	if (!db_url_is_postgres(cfg->db)) {
		struct stat st;
		const char *path = db_sqlite_path(cfg->db);
		if (stat(path, &st)) {
			fprintf(stderr,
				"quantri mail: no database at %s: run "
				"`quantri init` first\n",
				path);
			return 1;
		}
	}
	if (db_open(db, cfg->db, &e)) {
		fprintf(stderr, "quantri mail: %s\n", e.msg);
		return 1;
	}
	int v = db_schema_version(*db);
	if (v < db_schema_version_known()) {
		fprintf(stderr,
			"quantri mail: database schema is version %d, this "
			"program needs %d: run `quantri init`\n",
			v, db_schema_version_known());
		db_close(*db);
		*db = NULL;
		return 1;
	}
	return 0;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri mail %s: %s\n", what, e->msg);
	return 1;
}

static int cmd_digest(const struct config *cfg, struct db *db, struct arena *a,
		      int argc, char **argv)
{
	char day[11];
	date_format_iso(clock_today_vn(), day);
	for (int i = 2; i < argc; i++) {
		struct date d;
		if (!strcmp(argv[i], "--date") && i + 1 < argc) {
			if (!date_parse_iso(argv[++i], &d))
				return usage_error(
					"--date %s: expected YYYY-MM-DD",
					argv[i]);
			date_format_iso(d, day);
		} else {
			return usage_error("digest: unknown argument %s",
					   argv[i]);
		}
	}
	struct error e = {0};
	int made = 0;
	if (notify_digest_links(db, a, day, cfg->public_url, &made, &e))
		return fail("digest", &e);
	printf("%d digest mail%s queued for %s\n", made, made == 1 ? "" : "s",
	       day);
	return 0;
}

static int cmd_send(const struct config *cfg, struct db *db, struct arena *a)
{
	if (!cfg->smtp_url[0]) {
		fprintf(stderr, "quantri mail send: smtp_url is not set (see "
				"deploy/quantri.conf.example)\n");
		return 1;
	}
	struct error e = {0};
	int sent = 0, failed = 0;
	if (mail_send_pending(db, a, cfg, &sent, &failed, &e))
		return fail("send", &e);
	printf("%d sent, %d failed\n", sent, failed);
	if (failed)
		fprintf(stderr,
			"quantri mail send: %d mail%s not sent; `quantri mail "
			"outbox` shows why\n",
			failed, failed == 1 ? "" : "s");
	return failed ? 1 : 0;
}

static const char *str(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));
	return s ? s : "";
}

static int cmd_outbox(struct db *db, struct arena *a)
{
	struct error e = {0};
	json_t *list = NULL;
	if (mail_outbox_list(db, a, &list, &e))
		return fail("outbox", &e);
	if (!json_array_size(list)) {
		printf("no mail waiting\n");
		json_decref(list);
		return 0;
	}
	printf("%-6s %-8s %-8s %-10s %-20s %s\n", "id", "state", "attempts",
	       "digest", "next attempt", "to / last error");
	size_t i;
	json_t *row;
	json_array_foreach(list, i, row)
	{
		const char *err = str(row, "last_error");
		const char *next = str(row, "next_attempt_at");
		printf("%-6lld %-8s %-8lld %-10s %-20s %s\n",
		       (long long)json_integer_value(
			       json_object_get(row, "id")),
		       str(row, "state"),
		       (long long)json_integer_value(
			       json_object_get(row, "attempts")),
		       *str(row, "digest_date") ? str(row, "digest_date") : "-",
		       *next ? next : "-", str(row, "to_addr"));
		if (*err)
			printf("%-57s %s\n", "", err);
	}
	json_decref(list);
	return 0;
}

static int cmd_retry(struct db *db, struct arena *a, const char *arg)
{
	char *end;
	errno = 0;
	long long id = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || id <= 0)
		return usage_error("retry: bad mail id %s", arg);
	struct error e = {0};
	if (mail_retry(db, a, id, &e))
		return fail("retry", &e);
	printf("mail %lld queued again\n", id);
	return 0;
}

static int cmd_test(const struct config *cfg, struct arena *a, const char *to)
{
	if (!mail_address_ok(to))
		return usage_error("test: bad address %s", to);
	char now[21];
	clock_format_iso(clock_now(), now);
	const char *when = text_format_datetime(a, now);
	const char *body = arena_printf(
		a,
		"Đây là thư thử nghiệm do lệnh `quantri mail test` gửi lúc "
		"%s.\n"
		"Nhận được thư này nghĩa là cài đặt gửi thư (smtp_url, "
		"smtp_from) đã đúng.\n",
		when ? when : now);
	struct error e = {0};
	if (!body ||
	    mail_send_now(a, cfg, to, "Thư thử nghiệm của quantri", body, &e))
		return fail("test",
			    body ? &e
				 : &(struct error){.msg = "out of memory"});
	printf("test mail sent to %s\n", to);
	return 0;
}

int notify_cli_mail(struct config *cfg, int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL, NULL);
	const char *verb = argv[1];
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h")) {
		fputs(usage, stdout);
		return 0;
	}
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		}
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	int rc;
	if (!strcmp(verb, "test")) {
		rc = argc == 3
			     ? cmd_test(cfg, &a, argv[2])
			     : usage_error("test: expected one ADDRESS", NULL);
		arena_release(&a);
		return rc;
	}
	bool known = !strcmp(verb, "digest") || !strcmp(verb, "send") ||
		     !strcmp(verb, "outbox") || !strcmp(verb, "retry");
	if (!known) {
		arena_release(&a);
		return usage_error("unknown command %s", verb);
	}
	if ((!strcmp(verb, "send") || !strcmp(verb, "outbox")) && argc != 2) {
		arena_release(&a);
		return usage_error("%s takes no arguments", verb);
	}
	if (!strcmp(verb, "retry") && argc != 3) {
		arena_release(&a);
		return usage_error("retry: expected one mail ID", NULL);
	}
	struct db *db;
	if (open_db(cfg, &db)) {
		arena_release(&a);
		return 1;
	}
	if (!strcmp(verb, "digest"))
		rc = cmd_digest(cfg, db, &a, argc, argv);
	else if (!strcmp(verb, "send"))
		rc = cmd_send(cfg, db, &a);
	else if (!strcmp(verb, "outbox"))
		rc = cmd_outbox(db, &a);
	else
		rc = cmd_retry(db, &a, argv[2]);
	db_close(db);
	arena_release(&a);
	return rc;
}
