/* Notifications end to end: the page and the bell of a real server, and
 * e-mail through a real SMTP server (aiosmtpd, smtp_sink.h) whose mailbox
 * is read back and decoded by Python's email package. `quantri mail
 * digest` + `send`, a second digest that sends nothing, a user without an
 * address who gets nothing, a server that is down (attempts, last_error,
 * a later retry that delivers), `quantri mail test`, and the background
 * job of `quantri serve` once its clock passes digest_hour. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "harness.h"
#include "smtp_sink.h"
#include "../../src/notify/notify.h"
#include "../../src/people/people.h"
#include "../../src/base/banned.h"

static const char from_setting[] =
	"UBND xã Tiên Tiến <khongtraloi@tientien.vn>";
static const char public_url[] = "https://qt.tientien.vn";

/* The server's database, opened beside it (both backends). */
struct side {
	struct db *db;
	struct arena a;
};

static void side_open(struct side *s, struct server *srv)
{
	struct error e = {0};
	arena_init(&s->a, 16 << 20);
	if (db_open(&s->db, srv->db, &e))
		fail_msg("open %s: %s", srv->db, e.msg);
	/* the server's jobs first do what they do at start (the disclosure
	 * reminders tell the office of the demo's problems) */
	bool ready = false;
	for (int i = 0; i < 600 && !ready; i++) {
		FILE *f = fopen(srv->log, "r");
		char line[512];
		while (f && !ready && fgets(line, sizeof line, f))
			ready = strstr(line, "msg=jobs_ready") != NULL;
		if (f)
			fclose(f);
		if (!ready)
			usleep(50 * 1000);
	}
	if (!ready)
		fail_msg("the server's jobs did not finish their first pass");
	/* then start from a clean slate, whatever the demo holds (plan's
	 * demo tasks notify their officers) */
	struct db_result *r;
	if (db_exec(s->db, &s->a, "DELETE FROM notifications", NULL, 0, &r,
		    &e) ||
	    db_exec(s->db, &s->a, "DELETE FROM mail_outbox", NULL, 0, &r, &e))
		fail_msg("clean slate: %s", e.msg);
}

static void side_close(struct side *s)
{
	db_close(s->db);
	arena_release(&s->a);
}

static long long uid(struct side *s, const char *username)
{
	long long id = 0;
	struct error e = {0};
	if (users_by_username(s->db, &s->a, username, &id, &e))
		fail_msg("user %s: %s", username, e.msg);
	return id;
}

static void set_email(struct side *s, const char *username, const char *email)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(s->db, &s->a,
		    "UPDATE users SET email = $1 WHERE username = $2",
		    DB_PARAMS(email, username), &r, &e) ||
	    r->changes != 1)
		fail_msg("email of %s: %s", username, e.msg);
}

static long long notify(struct side *s, const char *username, const char *title,
			const char *body, const char *link)
{
	struct error e = {0};
	long long id = uid(s, username);
	if (notify_user(s->db, &s->a, id, "test.note", title, body, link, &e))
		fail_msg("notify %s: %s", username, e.msg);
	json_t *list = NULL;
	if (notify_list(s->db, &s->a, id, false, 1, &list, &e))
		fail_msg("list: %s", e.msg);
	long long nid = json_integer_value(
		json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);
	return nid;
}

/* `quantri mail ARGS`: exit status; stdout must equal want (if not
 * NULL). */
static int mail_cli(struct server *srv, const char *want, const char *a1,
		    const char *a2, const char *a3)
{
	char *out = NULL;
	int st = server_cli(srv, &out, "mail", a1, a2, a3, NULL);
	if (want && (!out || strcmp(out, want)))
		fail_msg("quantri mail %s: got \"%s\", want \"%s\" (exit %d)",
			 a1, out ? out : "(null)", want, st);
	free(out);
	return st;
}

static char *mail_cli_out(struct server *srv, const char *a1)
{
	char *out = NULL;
	server_cli(srv, &out, "mail", a1, NULL);
	return out ? out : strdup("");
}

static void smtp_env(const struct smtp_sink *sink)
{
	setenv("QUANTRI_SMTP_URL", sink->url, 1);
	setenv("QUANTRI_SMTP_FROM", from_setting, 1);
	setenv("QUANTRI_PUBLIC_URL", public_url, 1);
}

static void smtp_env_clear(void)
{
	unsetenv("QUANTRI_SMTP_URL");
	unsetenv("QUANTRI_SMTP_FROM");
	unsetenv("QUANTRI_PUBLIC_URL");
	unsetenv("QUANTRI_NOW");
}

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static json_t *message_to(json_t *msgs, const char *addr)
{
	size_t i;
	json_t *m;
	json_array_foreach(msgs, i,
			   m) if (!strcmp(str(m, "to_addr"), addr)) return m;
	return NULL;
}

/* Is this notification still unread? (Not the office's count: the
 * server's jobs, e.g. the disclosure reminders, may add to it at any
 * moment.) */
static bool unread(struct side *s, long long id)
{
	struct db_result *r;
	struct error e = {0};
	char idt[24];
	snprintf(idt, sizeof idt, "%lld", id);
	if (db_exec(s->db, &s->a,
		    "SELECT COUNT(*) AS n FROM notifications WHERE id = $1 AND "
		    "read_at IS NULL",
		    DB_PARAMS(idt), &r, &e))
		fail_msg("%s", e.msg);
	return db_get_int(r, 0, "n", 0) == 1;
}

/* ---- the page and the bell ---- */

static void test_page_and_bell(void **state)
{
	struct server srv;
	server_start(&srv, NULL);
	struct side s;
	side_open(&s, &srv);
	long long first =
		notify(&s, "canbo", "Nhiệm vụ mới: Đo đạc thửa đất",
		       "Hạn 15/03/2026.\nBộ phận Địa chính.", "/plan/tasks/12");
	long long second =
		notify(&s, "canbo", "Yêu cầu giải trình <b>", "", "");
	long long other = notify(&s, "vanphong", "Của văn phòng", "", "");

	struct client c;
	client_init(&c, &srv);
	struct reply r;
	/* not logged in: to the login page */
	assert_int_equal(client_get(&c, "/notifications", &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(r.location, "/login"));
	reply_release(&r);

	assert_int_equal(client_login(&c, "canbo", DEMO_PASSWORD), 303);
	assert_int_equal(client_get(&c, "/", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "href=\"/notifications\""));
	assert_true(reply_has(&r, "<span class=\"bell-count\">2</span>"));
	reply_release(&r);

	assert_int_equal(client_get(&c, "/notifications", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Nhiệm vụ mới: Đo đạc thửa đất"));
	assert_true(reply_has(&r, "Yêu cầu giải trình &lt;b&gt;"));
	assert_false(reply_has(&r, "Của văn phòng"));
	assert_true(reply_has(&r, "class=\"notify-item unread\""));
	assert_true(reply_has(&r, "Bạn có <strong>2</strong> thông báo chưa "
				  "đọc."));
	/* newest first */
	assert_true(strstr(r.body, "Yêu cầu giải trình") <
		    strstr(r.body, "Đo đạc thửa đất"));
	reply_release(&r);

	/* the API twin */
	assert_int_equal(client_get(&c, "/api/notifications", &r), 0);
	json_t *j = reply_json(&r);
	assert_non_null(j);
	json_t *list = json_object_get(j, "notifications");
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "unread")), 2);
	json_t *n = json_array_get(list, 1);
	assert_int_equal(json_integer_value(json_object_get(n, "id")), first);
	assert_string_equal(str(n, "link"), "/plan/tasks/12");
	assert_string_equal(str(n, "body"),
			    "Hạn 15/03/2026.\nBộ phận Địa chính.");
	assert_true(json_is_false(json_object_get(n, "read")));
	json_decref(j);
	reply_release(&r);

	char path[64];
	/* without the CSRF token: refused */
	snprintf(path, sizeof path, "/notifications/%lld/read", first);
	assert_int_equal(client_request(&c, "POST", path,
					"application/x-www-form-urlencoded", "",
					0, &r),
			 0);
	assert_int_equal(r.status, 403);
	reply_release(&r);
	/* someone else's: not found, and still unread for them */
	assert_int_equal(client_get(&c, "/notifications", &r), 0);
	reply_release(&r);
	snprintf(path, sizeof path, "/notifications/%lld/read", other);
	assert_int_equal(client_post(&c, path, "", &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	assert_true(unread(&s, other));

	/* opening one marks it read and goes to its link */
	assert_int_equal(client_get(&c, "/notifications", &r), 0);
	reply_release(&r);
	snprintf(path, sizeof path, "/notifications/%lld/read", first);
	assert_int_equal(client_post(&c, path, "", &r), 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(r.location, "/plan/tasks/12");
	reply_release(&r);
	/* one without a link: back to the list */
	assert_int_equal(client_get(&c, "/notifications", &r), 0);
	assert_true(reply_has(&r, "<span class=\"bell-count\">1</span>"));
	reply_release(&r);
	snprintf(path, sizeof path, "/notifications/%lld/read", second);
	assert_int_equal(client_post(&c, path, "", &r), 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(r.location, "/notifications");
	reply_release(&r);
	assert_int_equal(client_get(&c, "/notifications", &r), 0);
	assert_false(reply_has(&r, "bell-count"));
	assert_false(reply_has(&r, "notify-item unread"));
	assert_true(reply_has(&r, "Bạn đã đọc hết các thông báo."));
	reply_release(&r);

	/* mark all read */
	notify(&s, "canbo", "Một", "", "");
	notify(&s, "canbo", "Hai", "", "");
	assert_int_equal(client_get(&c, "/notifications?unread=1", &r), 0);
	assert_true(reply_has(&r, "Một"));
	assert_false(reply_has(&r, "Đo đạc thửa đất"));
	reply_release(&r);
	assert_int_equal(client_post(&c, "/notifications/read-all", "", &r), 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(r.location, "/notifications");
	reply_release(&r);
	assert_int_equal(client_get(&c, "/notifications", &r), 0);
	assert_true(reply_has(&r, "Đã đánh dấu tất cả thông báo là đã đọc."));
	assert_false(reply_has(&r, "bell-count"));
	reply_release(&r);
	assert_int_equal(notify_unread_count(s.db, &s.a, uid(&s, "canbo")), 0);
	assert_true(unread(&s, other));

	client_release(&c);
	side_close(&s);
	server_stop(&srv);
}

/* ---- digest and send from the command line ---- */

static const char chutich_body[] =
	"Kính gửi Trần Văn Thắng,\n\n"
	"Tính đến ngày 03/03/2026, bạn có 2 thông báo chưa đọc trên hệ thống "
	"UBND xã Tiên Tiến:\n\n"
	"1. Nhiệm vụ quá hạn: Niêm yết công khai dự toán ngân sách\n"
	"   Bộ phận Tài chính – Kế toán chưa báo cáo kết quả.\n"
	"   .\n"
	"   Đề nghị đôn đốc = gửi yêu cầu giải trình.\n"
	"   Xem: https://qt.tientien.vn/plan/tasks/12\n\n"
	"2. Yêu cầu giải trình đã được trả lời\n\n"
	"Xem tất cả thông báo: https://qt.tientien.vn/notifications\n\n"
	"-- \n"
	"Thư tự động của hệ thống UBND xã Tiên Tiến, gửi mỗi ngày một lần để "
	"tổng hợp các thông báo bạn chưa đọc. Vui lòng không trả lời thư "
	"này.\n";

static void test_cli_digest_and_send(void **state)
{
	struct server srv;
	struct smtp_sink sink;
	server_start(&srv, NULL); /* its jobs have no SMTP server */
	assert_int_equal(smtp_sink_start(&sink), 0);
	struct side s;
	side_open(&s, &srv);
	set_email(&s, "chutich", "chutich@tientien.vn");
	set_email(&s, "vanphong", "vanphong@tientien.vn");
	smtp_env(&sink);
	setenv("QUANTRI_NOW", "2026-03-03T01:00:00Z", 1); /* 08:00 there */
	notify(&s, "chutich",
	       "Nhiệm vụ quá hạn: Niêm yết công khai dự toán ngân sách",
	       "Bộ phận Tài chính – Kế toán chưa báo cáo kết quả.\n.\n"
	       "Đề nghị đôn đốc = gửi yêu cầu giải trình.",
	       "/plan/tasks/12");
	notify(&s, "chutich", "Yêu cầu giải trình đã được trả lời", "", "");
	notify(&s, "vanphong", "Kế hoạch 05/KH-UBND đã ban hành", "", "/plan");
	notify(&s, "canbo", "Không có địa chỉ thư", "", ""); /* no address */

	mail_cli(&srv, "2 digest mails queued for 2026-03-03\n", "digest", NULL,
		 NULL);
	assert_int_equal(
		mail_cli(&srv, "2 sent, 0 failed\n", "send", NULL, NULL), 0);
	json_t *msgs = smtp_sink_wait(&sink, 2, 10);
	assert_non_null(msgs);
	assert_int_equal(json_array_size(msgs), 2);
	json_t *m = message_to(msgs, "chutich@tientien.vn");
	assert_non_null(m);
	assert_string_equal(str(m, "to_name"), "Trần Văn Thắng");
	assert_string_equal(str(m, "rcpt"), "chutich@tientien.vn");
	assert_string_equal(str(m, "mail_from"), "khongtraloi@tientien.vn");
	assert_string_equal(str(m, "from"), from_setting);
	assert_string_equal(str(m, "subject"), "[UBND xã Tiên Tiến] 2 thông "
					       "báo chưa đọc ngày 03/03/2026");
	assert_string_equal(str(m, "body"), chutich_body);
	assert_string_equal(str(m, "content_type"),
			    "text/plain; charset=UTF-8");
	assert_string_equal(str(m, "cte"), "quoted-printable");
	assert_string_equal(str(m, "auto_submitted"), "auto-generated");
	assert_string_equal(str(m, "date"), "Tue, 03 Mar 2026 08:00:00 +0700");
	assert_true(!strncmp(str(m, "message_id"), "<quantri.outbox-", 16));
	assert_non_null(strstr(str(m, "message_id"), "@tientien.vn>"));
	assert_true(json_integer_value(json_object_get(m, "max_line")) <= 78);
	m = message_to(msgs, "vanphong@tientien.vn");
	assert_non_null(m);
	assert_string_equal(str(m, "subject"), "[UBND xã Tiên Tiến] 1 thông "
					       "báo chưa đọc ngày 03/03/2026");
	assert_non_null(strstr(str(m, "body"),
			       "1. Kế hoạch 05/KH-UBND đã ban hành\n"
			       "   Xem: https://qt.tientien.vn/plan\n"));
	json_decref(msgs);

	/* the same day again: nothing, even with something new */
	notify(&s, "chutich", "Một việc nữa", "", "");
	mail_cli(&srv, "0 digest mails queued for 2026-03-03\n", "digest", NULL,
		 NULL);
	assert_int_equal(
		mail_cli(&srv, "0 sent, 0 failed\n", "send", NULL, NULL), 0);
	/* read in the app meanwhile: not mailed the next day either */
	notify(&s, "vanphong", "Đã đọc trên trang", "", "");
	struct error e = {0};
	assert_int_equal(
		notify_mark_read(s.db, &s.a, uid(&s, "vanphong"), 0, &e),
		ERR_OK);
	setenv("QUANTRI_NOW", "2026-03-04T01:00:00Z", 1);
	mail_cli(&srv, "1 digest mail queued for 2026-03-04\n", "digest", NULL,
		 NULL);
	assert_int_equal(
		mail_cli(&srv, "1 sent, 0 failed\n", "send", NULL, NULL), 0);
	/* a test mail, outside the outbox */
	assert_int_equal(mail_cli(&srv, "test mail sent to ai@tientien.vn\n",
				  "test", "ai@tientien.vn", NULL),
			 0);
	msgs = smtp_sink_wait(&sink, 4, 10);
	assert_int_equal(json_array_size(msgs), 4);
	size_t i;
	int to_chutich = 0;
	json_array_foreach(msgs, i, m)
	{
		/* nothing for the user without an address */
		assert_string_not_equal(str(m, "to_addr"), "");
		to_chutich += !strcmp(str(m, "to_addr"), "chutich@tientien.vn");
	}
	assert_int_equal(to_chutich, 2);
	m = message_to(msgs, "ai@tientien.vn");
	assert_non_null(m);
	assert_string_equal(str(m, "subject"), "Thư thử nghiệm của quantri");
	assert_non_null(strstr(str(m, "body"), "03/2026 08:00"));
	json_decref(msgs);
	assert_int_equal(notify_unread_count(s.db, &s.a, uid(&s, "canbo")), 1);

	mail_cli(&srv, "no mail waiting\n", "outbox", NULL, NULL);
	assert_int_equal(mail_cli(&srv, NULL, "retry", "x", NULL), 2);
	assert_int_equal(mail_cli(&srv, NULL, "digest", "--date", "2026-02-30"),
			 2);
	smtp_env_clear();
	assert_int_equal(mail_cli(&srv, NULL, "send", NULL, NULL), 1);
	side_close(&s);
	smtp_sink_release(&sink);
	server_stop(&srv);
}

/* ---- the SMTP server down, then back ---- */

static void test_server_down_then_retry(void **state)
{
	struct server srv;
	struct smtp_sink sink;
	server_start(&srv, NULL);
	assert_int_equal(smtp_sink_start(&sink), 0);
	smtp_sink_stop(&sink);
	struct side s;
	side_open(&s, &srv);
	set_email(&s, "truongbp", "truongbp@tientien.vn");
	smtp_env(&sink);
	setenv("QUANTRI_NOW", "2026-03-04T01:00:00Z", 1);
	notify(&s, "truongbp", "Hồ sơ sắp đến hạn", "", "/voice");
	mail_cli(&srv, "1 digest mail queued for 2026-03-04\n", "digest", NULL,
		 NULL);
	assert_int_equal(
		mail_cli(&srv, "0 sent, 1 failed\n", "send", NULL, NULL), 1);
	char *out = mail_cli_out(&srv, "outbox");
	assert_non_null(strstr(out, "pending"));
	assert_non_null(strstr(out, "2026-03-04T01:01:00Z"));
	assert_non_null(strstr(out, "truongbp@tientien.vn"));
	assert_non_null(strstr(out, "smtp: Failed to connect"));
	free(out);
	json_t *list = NULL;
	struct error e = {0};
	assert_int_equal(mail_outbox_list(s.db, &s.a, &list, &e), ERR_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(list, 0), "attempts")),
			 1);
	json_decref(list);

	/* back up; the mail waits for its time, then goes */
	assert_int_equal(smtp_sink_restart(&sink), 0);
	assert_int_equal(
		mail_cli(&srv, "0 sent, 0 failed\n", "send", NULL, NULL), 0);
	setenv("QUANTRI_NOW", "2026-03-04T01:01:00Z", 1);
	assert_int_equal(
		mail_cli(&srv, "1 sent, 0 failed\n", "send", NULL, NULL), 0);
	json_t *msgs = smtp_sink_wait(&sink, 1, 10);
	assert_int_equal(json_array_size(msgs), 1);
	assert_string_equal(str(json_array_get(msgs, 0), "to_addr"),
			    "truongbp@tientien.vn");
	json_decref(msgs);
	mail_cli(&srv, "no mail waiting\n", "outbox", NULL, NULL);
	smtp_env_clear();
	side_close(&s);
	smtp_sink_release(&sink);
	server_stop(&srv);
}

/* ---- the background job of quantri serve ---- */

static void test_background_job(void **state)
{
	struct smtp_sink sink;
	assert_int_equal(smtp_sink_start(&sink), 0);
	char url[96], from[128], pub[96];
	snprintf(url, sizeof url, "QUANTRI_SMTP_URL=%s", sink.url);
	snprintf(from, sizeof from, "QUANTRI_SMTP_FROM=%s", from_setting);
	snprintf(pub, sizeof pub, "QUANTRI_PUBLIC_URL=%s", public_url);
	const char *env[] = {url, from, pub, "QUANTRI_DIGEST_HOUR=7", NULL};
	/* 05:00 in Vietnam: before the digest hour */
	setenv("QUANTRI_NOW", "2026-03-04T22:00:00Z", 1);
	struct server srv;
	server_start(&srv, env);
	struct side s;
	side_open(&s, &srv);
	set_email(&s, "mttq", "mttq@tientien.vn");
	set_email(&s, "bantt", "bantt@tientien.vn");
	notify(&s, "mttq", "Kế hoạch giám sát quý I", "", "/plan");
	notify(&s, "bantt", "Kết quả giám sát cần xem", "", "");
	notify(&s, "dieutra", "Không có địa chỉ thư", "", "");
	side_close(&s);
	/* the server's clock moves to 07:30 there: at start its jobs make
	 * the day's digest and send it */
	setenv("QUANTRI_NOW", "2026-03-05T00:30:00Z", 1);
	assert_int_equal(server_restart(&srv), 0);
	json_t *msgs = smtp_sink_wait(&sink, 2, 20);
	assert_non_null(msgs);
	assert_int_equal(json_array_size(msgs), 2);
	json_t *m = message_to(msgs, "mttq@tientien.vn");
	assert_non_null(m);
	assert_string_equal(str(m, "subject"), "[UBND xã Tiên Tiến] 1 thông "
					       "báo chưa đọc ngày 05/03/2026");
	assert_non_null(strstr(str(m, "body"),
			       "1. Kế hoạch giám sát quý I\n"
			       "   Xem: https://qt.tientien.vn/plan\n"));
	assert_string_equal(str(m, "to_name"), "Hoàng Thị Bích Ngọc");
	assert_non_null(message_to(msgs, "bantt@tientien.vn"));
	json_decref(msgs);
	mail_cli(&srv, "no mail waiting\n", "outbox", NULL, NULL);
	/* the day's digest is made: a second one queues nothing */
	setenv("QUANTRI_SMTP_URL", sink.url, 1);
	mail_cli(&srv, "0 digest mails queued for 2026-03-05\n", "digest", NULL,
		 NULL);
	smtp_env_clear();
	smtp_sink_release(&sink);
	server_stop(&srv); /* the jobs thread stops cleanly with the rest */
}

int main(void)
{
	setenv("QUANTRI_DEMO_ROUND", "0", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_and_bell),
		cmocka_unit_test(test_cli_digest_and_send),
		cmocka_unit_test(test_server_down_then_retry),
		cmocka_unit_test(test_background_job),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
