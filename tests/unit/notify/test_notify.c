/* Notifications and the outbox against a real SQLite file: who a unit's
 * notification reaches, reading, the digest (one per user and day, its
 * Vietnamese text, nothing for a user without an address, nothing twice),
 * and the outbox's attempts against an SMTP port where nobody listens. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>
#include "notify/notify.h"
#include "notify/mail.h"
#include "people/people.h"
#include "http/http.h"
#include "base/text.h"
#include "base/banned.h"

struct fixture {
	char dir[64];
	struct db *db;
	struct arena a;
	long long commune, office_unit, village;
	long long office, head, officer, villager, nomail, gone;
};

static long long add_user(struct fixture *f, const char *username,
			  const char *name, const char *email)
{
	struct user_input in = {username, name, email, "",
				"mat khau rat dai 1"};
	long long id;
	struct error e = {0};
	if (users_create(f->db, &f->a, &actor_cli, &in, false, &id, NULL, NULL,
			 &e))
		fail_msg("add %s: %s", username, e.msg);
	return id;
}

static void add_role(struct fixture *f, long long user, const char *role,
		     long long unit)
{
	struct error e = {0};
	if (users_role_add(f->db, &f->a, &actor_cli, user, role, unit, NULL,
			   &e))
		fail_msg("role %s: %s", role, e.msg);
}

static long long add_unit(struct fixture *f, const char *kind, const char *name,
			  const char *code, long long parent)
{
	struct unit u = {.kind = kind,
			 .name = name,
			 .code = code,
			 .parent_id = parent,
			 .population = -1};
	struct error e = {0};
	if (units_create(f->db, &f->a, &actor_cli, &u, NULL, &e))
		fail_msg("unit %s: %s", name, e.msg);
	return u.id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error e = {0};
	if (sodium_init() < 0)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/quantri-notify-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", f->dir);
	arena_init(&f->a, 64 << 20);
	if (db_open(&f->db, path, &e) || db_migrate(f->db, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	setenv("QUANTRI_NOW", "2026-03-01T02:00:00Z", 1);
	long long p = add_unit(f, "province", "Hưng Yên", "33", 0);
	f->commune = add_unit(f, "commune", "Tiên Tiến", "12424", p);
	f->office_unit =
		add_unit(f, "unit", "Văn phòng – Thống kê", NULL, f->commune);
	f->village = add_unit(f, "village", "Thôn 1", NULL, f->commune);
	f->office = add_user(f, "vanphong", "Trần Thị Hoa", "hoa@tientien.vn");
	f->head = add_user(f, "truongbp", "Lê Văn Đức", "duc@tientien.vn");
	f->officer = add_user(f, "canbo", "Phạm Minh Tâm", "");
	f->villager =
		add_user(f, "truongthon", "Đỗ Văn Bình", "binh@tientien.vn");
	f->nomail = add_user(f, "khongthu", "Vũ Thị Lan", "");
	f->gone = add_user(f, "danghi", "Hoàng Văn Nam", "nam@tientien.vn");
	add_role(f, f->office, "office", f->office_unit);
	add_role(f, f->head, "unit_head", f->office_unit);
	add_role(f, f->head, "officer", f->office_unit); /* two roles, once */
	add_role(f, f->officer, "officer", f->office_unit);
	add_role(f, f->gone, "officer", f->office_unit);
	add_role(f, f->villager, "village_head", f->village);
	if (users_set_active(f->db, &f->a, &actor_cli, f->gone, false, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];
	db_close(f->db);
	arena_release(&f->a);
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	unsetenv("QUANTRI_NOW");
	return 0;
}

static int count(struct fixture *f, long long user)
{
	json_t *list = NULL;
	struct error e = {0};
	if (notify_list(f->db, &f->a, user, false, 1000, &list, &e))
		fail_msg("list: %s", e.msg);
	int n = (int)json_array_size(list);
	json_decref(list);
	return n;
}

static void test_user_and_unit(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	assert_int_equal(notify_user(f->db, &f->a, f->officer, "task.assigned",
				     "Nhiệm vụ mới: Niêm yết dự toán",
				     "Hạn 15/03/2026", "/plan/tasks/12", &e),
			 ERR_OK);
	assert_int_equal(count(f, f->officer), 1);
	assert_int_equal(notify_unread_count(f->db, &f->a, f->officer), 1);

	/* office and unit heads of the office unit: the head once though he
	 * holds two roles there; the officer and the disabled user not */
	assert_int_equal(notify_unit(f->db, &f->a, f->office_unit,
				     ROLE_OFFICE | ROLE_UNIT_HEAD,
				     "task.reminder", "Nhắc việc", "", "", &e),
			 ERR_OK);
	assert_int_equal(count(f, f->office), 1);
	assert_int_equal(count(f, f->head), 1);
	assert_int_equal(count(f, f->officer), 1);
	assert_int_equal(count(f, f->gone), 0);
	/* everyone active in the unit */
	assert_int_equal(notify_unit(f->db, &f->a, f->office_unit,
				     ROLE_ANY_USER, "plan.published",
				     "Kế hoạch mới", "", "/plan", &e),
			 ERR_OK);
	assert_int_equal(count(f, f->office), 2);
	assert_int_equal(count(f, f->head), 2);
	assert_int_equal(count(f, f->officer), 2);
	assert_int_equal(count(f, f->gone), 0);
	assert_int_equal(count(f, f->villager), 0);
	/* a role nobody holds there */
	assert_int_equal(notify_unit(f->db, &f->a, f->village, ROLE_OFFICE, "x",
				     "Không ai", "", "", &e),
			 ERR_OK);
	assert_int_equal(count(f, f->villager), 0);

	/* the list: newest first, fields as the contract says */
	json_t *list = NULL;
	assert_int_equal(
		notify_list(f->db, &f->a, f->officer, false, 10, &list, &e),
		ERR_OK);
	json_t *first = json_array_get(list, 0);
	json_t *second = json_array_get(list, 1);
	assert_true(json_integer_value(json_object_get(first, "id")) >
		    json_integer_value(json_object_get(second, "id")));
	assert_string_equal(json_string_value(json_object_get(second, "title")),
			    "Nhiệm vụ mới: Niêm yết dự toán");
	assert_string_equal(json_string_value(json_object_get(second, "body")),
			    "Hạn 15/03/2026");
	assert_string_equal(json_string_value(json_object_get(second, "link")),
			    "/plan/tasks/12");
	assert_string_equal(json_string_value(json_object_get(second, "kind")),
			    "task.assigned");
	assert_string_equal(
		json_string_value(json_object_get(second, "created_at")),
		"2026-03-01T02:00:00Z");
	assert_true(json_is_false(json_object_get(second, "read")));
	json_decref(list);
}

static void test_refused_and_cleaned(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	assert_int_equal(
		notify_user(f->db, &f->a, 99999, "x", "Ai?", "", "", &e),
		ERR_NOTFOUND);
	assert_int_equal(notify_user(f->db, &f->a, f->office, "x", "Lạ", "",
				     "https://evil.example/", &e),
			 ERR_INVALID);
	assert_int_equal(notify_user(f->db, &f->a, f->office, "x", "Lạ", "",
				     "//evil.example/", &e),
			 ERR_INVALID);
	assert_int_equal(notify_user(f->db, &f->a, f->office, "Bad Kind", "Lạ",
				     "", "", &e),
			 ERR_INVALID);
	assert_int_equal(
		notify_user(f->db, &f->a, f->office, "x", "  ", "", "", &e),
		ERR_INVALID);
	assert_int_equal(notify_user(f->db, &f->a, f->office, "x", "\xc3\x28",
				     "", "", &e),
			 ERR_INVALID);
	assert_int_equal(notify_unit(f->db, &f->a, f->office_unit, 0, "x",
				     "Không vai trò", "", "", &e),
			 ERR_INVALID);
	assert_int_equal(count(f, f->office), 0);

	/* a title too long is cut on a character, with an ellipsis; a line
	 * break in a title becomes a space, in a body it stays */
	char title[1200];
	for (int i = 0; i < 150; i++) /* "Việt": 6 bytes */
		memcpy(title + 6 * i, "Việt", 6);
	title[900] = '\0';
	assert_int_equal(notify_user(f->db, &f->a, f->office, "x", title,
				     "dòng 1\ndòng 2\x01", "", &e),
			 ERR_OK);
	assert_int_equal(notify_user(f->db, &f->a, f->office, "x", "hai\ndòng",
				     "", "", &e),
			 ERR_OK);
	json_t *list = NULL;
	assert_int_equal(
		notify_list(f->db, &f->a, f->office, false, 10, &list, &e),
		ERR_OK);
	const char *t = json_string_value(
		json_object_get(json_array_get(list, 1), "title"));
	assert_true(strlen(t) <= NOTIFY_TITLE_MAX);
	assert_true(strlen(t) > NOTIFY_TITLE_MAX - 8);
	assert_true(text_valid_utf8(t, strlen(t)));
	assert_string_equal(t + strlen(t) - 3, "…");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(list, 1), "body")),
			    "dòng 1\ndòng 2 ");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(list, 0), "title")),
			    "hai dòng");
	json_decref(list);
}

static void test_mark_read(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	for (int i = 0; i < 3; i++)
		assert_int_equal(notify_user(f->db, &f->a, f->head, "x", "Việc",
					     "", "/plan", &e),
				 ERR_OK);
	assert_int_equal(notify_user(f->db, &f->a, f->office, "x",
				     "Của người "
				     "khác",
				     "", "", &e),
			 ERR_OK);
	json_t *list = NULL;
	notify_list(f->db, &f->a, f->head, false, 10, &list, &e);
	long long id = json_integer_value(
		json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);
	notify_list(f->db, &f->a, f->office, false, 10, &list, &e);
	long long other = json_integer_value(
		json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);

	assert_int_equal(notify_mark_read(f->db, &f->a, f->head, id, &e),
			 ERR_OK);
	assert_int_equal(notify_unread_count(f->db, &f->a, f->head), 2);
	/* twice is fine; another user's is not found */
	assert_int_equal(notify_mark_read(f->db, &f->a, f->head, id, &e),
			 ERR_OK);
	assert_int_equal(notify_mark_read(f->db, &f->a, f->head, other, &e),
			 ERR_NOTFOUND);
	assert_int_equal(notify_unread_count(f->db, &f->a, f->office), 1);
	json_t *one = NULL;
	assert_int_equal(notify_get(f->db, &f->a, f->head, id, &one, &e),
			 ERR_OK);
	assert_true(json_is_true(json_object_get(one, "read")));
	json_decref(one);
	assert_int_equal(notify_get(f->db, &f->a, f->head, other, &one, &e),
			 ERR_NOTFOUND);
	assert_int_equal(
		notify_list(f->db, &f->a, f->head, true, 10, &list, &e),
		ERR_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(notify_mark_read(f->db, &f->a, f->head, 0, &e),
			 ERR_OK);
	assert_int_equal(notify_unread_count(f->db, &f->a, f->head), 0);
	assert_int_equal(notify_unread_count(f->db, &f->a, f->office), 1);
}

static json_t *outbox(struct fixture *f)
{
	json_t *list = NULL;
	struct error e = {0};
	if (mail_outbox_list(f->db, &f->a, &list, &e))
		fail_msg("outbox: %s", e.msg);
	return list;
}

static json_t *outbox_for(json_t *list, const char *to)
{
	size_t i;
	json_t *row;
	json_array_foreach(
		list, i,
		row) if (!strcmp(json_string_value(json_object_get(row,
								   "to_addr")),
				 to)) return row;
	return NULL;
}

static void test_digest(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	int made = -1;
	/* nothing to say: nothing queued */
	assert_int_equal(notify_digest(f->db, &f->a, "2026-03-01", &made, &e),
			 ERR_OK);
	assert_int_equal(made, 0);

	notify_user(f->db, &f->a, f->office, "task.overdue",
		    "Nhiệm vụ quá hạn: Niêm yết dự toán",
		    "Bộ phận Tài chính chưa báo cáo.\nĐề nghị đôn đốc.",
		    "/plan/tasks/12", &e);
	notify_user(f->db, &f->a, f->office, "task.request",
		    "Yêu cầu giải trình", "", "", &e);
	notify_user(f->db, &f->a, f->head, "x", "Đã đọc rồi", "", "", &e);
	notify_mark_read(f->db, &f->a, f->head, 0, &e);
	notify_user(f->db, &f->a, f->nomail, "x", "Không có thư", "", "", &e);
	notify_user(f->db, &f->a, f->gone, "x", "Đã nghỉ", "", "", &e);
	/* created after the day's end in Vietnam: tomorrow's digest */
	setenv("QUANTRI_NOW", "2026-03-01T17:00:00Z", 1);
	notify_user(f->db, &f->a, f->villager, "x", "Ngày mai", "", "", &e);
	setenv("QUANTRI_NOW", "2026-03-01T16:59:59Z", 1);
	notify_user(f->db, &f->a, f->villager, "x", "Hôm nay", "", "", &e);

	assert_int_equal(notify_digest_links(f->db, &f->a, "2026-03-01",
					     "https://qt.tientien.vn", &made,
					     &e),
			 ERR_OK);
	/* the office and the village head; not the head (read), the one
	 * without an address, the disabled one */
	assert_int_equal(made, 2);
	json_t *list = outbox(f);
	assert_int_equal(json_array_size(list), 2);
	json_t *m = outbox_for(list, "hoa@tientien.vn");
	assert_non_null(m);
	assert_string_equal(json_string_value(json_object_get(m, "subject")),
			    "[UBND xã] 2 thông báo chưa đọc ngày 01/03/2026");
	assert_string_equal(
		json_string_value(json_object_get(m, "digest_date")),
		"2026-03-01");
	assert_string_equal(json_string_value(json_object_get(m, "state")),
			    "pending");
	struct db_result *r;
	assert_int_equal(db_exec(f->db, &f->a,
				 "SELECT body FROM mail_outbox WHERE to_addr = "
				 "'hoa@tientien.vn'",
				 NULL, 0, &r, &e),
			 ERR_OK);
	assert_string_equal(
		db_get(r, 0, "body"),
		"Kính gửi Trần Thị Hoa,\n\n"
		"Tính đến ngày 01/03/2026, bạn có 2 thông báo chưa đọc trên hệ "
		"thống UBND xã:\n\n"
		"1. Nhiệm vụ quá hạn: Niêm yết dự toán\n"
		"   Bộ phận Tài chính chưa báo cáo.\n"
		"   Đề nghị đôn đốc.\n"
		"   Xem: https://qt.tientien.vn/plan/tasks/12\n\n"
		"2. Yêu cầu giải trình\n\n"
		"Xem tất cả thông báo: https://qt.tientien.vn/notifications\n\n"
		"-- \n"
		"Thư tự động của hệ thống UBND xã, gửi mỗi ngày một lần để "
		"tổng "
		"hợp các thông báo bạn chưa đọc. Vui lòng không trả lời thư "
		"này.\n");
	m = outbox_for(list, "binh@tientien.vn");
	assert_string_equal(json_string_value(json_object_get(m, "subject")),
			    "[UBND xã] 1 thông báo chưa đọc ngày 01/03/2026");
	json_decref(list);

	/* the same day again: nothing, even with something new */
	notify_user(f->db, &f->a, f->office, "x", "Mới nữa", "", "", &e);
	assert_int_equal(notify_digest(f->db, &f->a, "2026-03-01", &made, &e),
			 ERR_OK);
	assert_int_equal(made, 0);
	/* the next day: only what was not mailed yet */
	setenv("QUANTRI_NOW", "2026-03-02T01:00:00Z", 1);
	assert_int_equal(notify_digest(f->db, &f->a, "2026-03-02", &made, &e),
			 ERR_OK);
	assert_int_equal(made, 2);
	assert_int_equal(db_exec(f->db, &f->a,
				 "SELECT to_addr, body FROM mail_outbox WHERE "
				 "digest_date = '2026-03-02' ORDER BY to_addr",
				 NULL, 0, &r, &e),
			 ERR_OK);
	assert_int_equal(r->nrows, 2);
	assert_non_null(strstr(db_get(r, 0, "body"), "1. Ngày mai\n"));
	assert_null(strstr(db_get(r, 0, "body"), "Hôm nay"));
	assert_non_null(strstr(db_get(r, 1, "body"), "1. Mới nữa\n\n"));
	/* no public_url: paths */
	assert_non_null(strstr(db_get(r, 1, "body"),
			       "Xem tất cả thông báo: /notifications"));
	/* still unread in the app */
	assert_int_equal(notify_unread_count(f->db, &f->a, f->office), 3);
	assert_int_equal(notify_digest(f->db, &f->a, "2026-02-30", &made, &e),
			 ERR_INVALID);
}

static void test_digest_many(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	for (int i = 1; i <= 60; i++)
		notify_user(f->db, &f->a, f->office, "x",
			    arena_printf(&f->a, "Việc %d", i), "", "", &e);
	int made = 0;
	assert_int_equal(notify_digest(f->db, &f->a, "2026-03-01", &made, &e),
			 ERR_OK);
	assert_int_equal(made, 1);
	struct db_result *r;
	assert_int_equal(db_exec(f->db, &f->a,
				 "SELECT subject, body FROM mail_outbox", NULL,
				 0, &r, &e),
			 ERR_OK);
	assert_string_equal(db_get(r, 0, "subject"),
			    "[UBND xã] 60 thông báo chưa đọc ngày 01/03/2026");
	const char *body = db_get(r, 0, "body");
	assert_non_null(strstr(body, "50. Việc 50\n"));
	assert_null(strstr(body, "Việc 51"));
	assert_non_null(strstr(body, "… và 10 thông báo khác.\n"));
	/* all 60 went into that mail */
	assert_int_equal(db_exec(f->db, &f->a,
				 "SELECT COUNT(*) AS n FROM notifications "
				 "WHERE mailed_at IS NULL",
				 NULL, 0, &r, &e),
			 ERR_OK);
	assert_int_equal(db_get_int(r, 0, "n", -1), 0);
}

/* A loopback port where nobody listens. */
static int closed_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t n = sizeof sa;
	if (bind(s, (struct sockaddr *)&sa, sizeof sa) ||
	    getsockname(s, (struct sockaddr *)&sa, &n))
		fail_msg("no port");
	close(s);
	return ntohs(sa.sin_port);
}

static void test_outbox_attempts(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct config cfg;
	config_defaults(&cfg);
	int sent = -1, failed = -1;
	notify_user(f->db, &f->a, f->office, "x", "Thư sẽ lỗi", "", "", &e);
	int made = 0;
	assert_int_equal(notify_digest(f->db, &f->a, "2026-03-01", &made, &e),
			 ERR_OK);
	assert_int_equal(made, 1);
	/* no server configured: nothing tried */
	assert_int_equal(
		mail_send_pending(f->db, &f->a, &cfg, &sent, &failed, &e),
		ERR_OK);
	assert_int_equal(sent + failed, 0);

	snprintf(cfg.smtp_url, sizeof cfg.smtp_url, "smtp://127.0.0.1:%d",
		 closed_port());
	static const char *const times[] = {
		"2026-03-01T02:00:00Z", "2026-03-01T02:01:00Z",
		"2026-03-01T02:06:00Z", "2026-03-01T02:36:00Z",
		"2026-03-01T04:36:00Z"};
	static const char *const next[] = {
		"2026-03-01T02:01:00Z", "2026-03-01T02:06:00Z",
		"2026-03-01T02:36:00Z", "2026-03-01T04:36:00Z", NULL};
	for (int i = 0; i < 5; i++) {
		setenv("QUANTRI_NOW", times[i], 1);
		assert_int_equal(mail_send_pending(f->db, &f->a, &cfg, &sent,
						   &failed, &e),
				 ERR_OK);
		assert_int_equal(sent, 0);
		assert_int_equal(failed, 1);
		/* again at once: waits for its time */
		assert_int_equal(mail_send_pending(f->db, &f->a, &cfg, &sent,
						   &failed, &e),
				 ERR_OK);
		assert_int_equal(failed, 0);
		json_t *list = outbox(f);
		json_t *m = json_array_get(list, 0);
		assert_int_equal(
			json_integer_value(json_object_get(m, "attempts")),
			i + 1);
		const char *err =
			json_string_value(json_object_get(m, "last_error"));
		assert_non_null(strstr(err, "smtp: "));
		if (next[i])
			assert_string_equal(json_string_value(json_object_get(
						    m, "next_attempt_at")),
					    next[i]);
		else
			assert_true(json_is_null(
				json_object_get(m, "next_attempt_at")));
		assert_string_equal(
			json_string_value(json_object_get(m, "state")),
			i < 4 ? "pending" : "failed");
		json_decref(list);
	}
	/* given up: later runs leave it */
	setenv("QUANTRI_NOW", "2026-03-09T00:00:00Z", 1);
	assert_int_equal(
		mail_send_pending(f->db, &f->a, &cfg, &sent, &failed, &e),
		ERR_OK);
	assert_int_equal(failed, 0);
	/* retry: back in the queue */
	json_t *list = outbox(f);
	long long id = json_integer_value(
		json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);
	assert_int_equal(mail_retry(f->db, &f->a, id, &e), ERR_OK);
	assert_int_equal(mail_retry(f->db, &f->a, id + 100, &e), ERR_NOTFOUND);
	assert_int_equal(
		mail_send_pending(f->db, &f->a, &cfg, &sent, &failed, &e),
		ERR_OK);
	assert_int_equal(failed, 1);

	/* an address that cannot be used is given up at once */
	struct db_result *r;
	assert_int_equal(db_exec(f->db, &f->a,
				 "UPDATE mail_outbox SET to_addr = 'bad "
				 "address', attempts = 0, next_attempt_at = "
				 "NULL",
				 NULL, 0, &r, &e),
			 ERR_OK);
	assert_int_equal(
		mail_send_pending(f->db, &f->a, &cfg, &sent, &failed, &e),
		ERR_OK);
	assert_int_equal(failed, 1);
	list = outbox(f);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(list, 0), "state")),
			    "failed");
	json_decref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_user_and_unit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refused_and_cleaned, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mark_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digest_many, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_outbox_attempts, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
