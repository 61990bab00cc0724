/* The plan's views and urging on a real server (SQLite, or PostgreSQL with
 * QUANTRI_TEST_DB): my tasks, overdue, by unit, by dimension, timeline,
 * calendar, scorecards, requests; reminders and explanation requests and
 * their answers, with every role.
 *
 * Today is Wednesday 07/02/2024, the last working day before Tết Giáp Thìn
 * (08/02-14/02), so "due within 3 working days" reaches Monday 19/02. The
 * fixture plan is written with SQL (below) so that every state and count
 * is known by hand:
 *
 *   task                         unit  resp.  start  due    status  state
 *   T1 Niêm yết thủ tục          TP    -      02/01  15/01  done 12/01  on time
 *   T2 Tổ chức hội nghị đối thoại TP   -      02/01  31/01  doing   overdue 7 d
 *   T3 Cập nhật sổ hộ tịch       TP    -      02/01  20/01  done 25/01  late
 *   T4 Rà soát hồ sơ chứng thực  TP    -      02/01  19/02  doing   due soon
 *   T5 Tuyên truyền pháp luật    TP    -      01/02  20/02  todo    open
 *   T6 Công khai quy hoạch đất   DC    canbo  02/01  05/02  doing   overdue 2 d (co-unit TP)
 *   T7 Thu thập ý kiến đất đai   DC    canbo  02/01  10/01  done 10/01  on time
 *   T8 Đo đạc bản đồ địa chính   DC    canbo  01/03  30/06  todo    not yet
 *   T9 Kiểm kê đất công          DC    canbo  02/01  05/01  cancelled
 *   T10 Báo cáo hằng tháng       VH    parent of 10a-10c (not a leaf)
 *     10a Tháng 1/2024           VH    -      01/01  31/01  done 02/02  late
 *     10b Tháng 2/2024           VH    -      01/02  29/02  todo    open
 *     10c Tháng 3/2024           VH    -      01/03  31/03  todo    not yet
 *
 * Links: T2 D1 and 1.1.1; T6 D5; T10 D6 (its occurrences serve it). The
 * plan's criterion_min_tasks is 3. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/text.h"
#include "../../src/store/db.h"
#include "../../src/people/people.h"
#include "../../src/plan/plan.h"
#include "../../src/plan/plan_db.h"
#include "../../src/base/banned.h"

static struct server srv;
static long long plan_id, commune, u_tp, u_dc, u_vh, uid_canbo, uid_truongbp;
static long long T[11], T10a, T10b, T10c;

static void at(const char *now)
{
	setenv("QUANTRI_NOW", now, 1);
}

/* ---- fixtures, written straight into the server's database ---- */

static struct db *fx;
static struct arena fa;

static long long one(const char *sql, const char *const *p, int n)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(fx, &fa, sql, p, n, &r, &e))
		fail_msg("fixture: %s: %s", e.msg, sql);
	if (r->nrows < 1)
		fail_msg("fixture: no row: %s", sql);
	return db_get_int(r, 0, r->names[0], 0);
}

static const char *num(long long v)
{
	return v ? arena_printf(&fa, "%lld", v) : NULL;
}

static long long role_unit(const char *username)
{
	return one("SELECT r.unit_id FROM user_roles r JOIN users u ON u.id = "
		   "r.user_id WHERE u.username = $1",
		   DB_PARAMS(username));
}

static long long task(long long parent, const char *title, long long unit,
		      long long user, const char *start, const char *due,
		      const char *status, const char *done_on)
{
	static const char now[] = "2024-01-02T01:00:00Z";
	long long id =
		one("INSERT INTO tasks (plan_id, parent_id, title, title_fold, "
		    "lead_unit_id, responsible_user_id, start_on, due_on, "
		    "status, progress, done_on, created_at, updated_at) VALUES "
		    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) "
		    "RETURNING id",
		    DB_PARAMS(num(plan_id), num(parent), title,
			      text_fold(&fa, title), num(unit), num(user),
			      start, due, status,
			      !strcmp(status, "done")    ? "100"
			      : !strcmp(status, "doing") ? "40"
							 : "0",
			      done_on, now));
	/* written by hand: keep tasks.is_leaf as task_save does */
	struct error e = {0};
	if (parent && tasks_refresh_leaf(fx, &fa, plan_id, &e))
		fail_msg("fixture: %s", e.msg);
	return id;
}

static void link(long long t, const char *dim, const char *ind)
{
	struct error e = {0};
	if (db_exec(fx, &fa,
		    "INSERT INTO task_links (task_id, dimension, indicator) "
		    "VALUES ($1, $2, $3)",
		    DB_PARAMS(num(t), dim, ind), NULL, &e))
		fail_msg("fixture: %s", e.msg);
}

static void fixtures(void)
{
	struct error e = {0};
	arena_init(&fa, 8 << 20);
	if (db_open(&fx, srv.db, &e))
		fail_msg("fixture db: %s", e.msg);
	commune = role_unit("chutich");
	u_tp = role_unit("truongbp");
	u_dc = role_unit("canbo");
	u_vh = one("SELECT id FROM units WHERE name = $1 AND parent_id = $2",
		   DB_PARAMS("Văn hóa – Xã hội", num(commune)));
	uid_canbo = one("SELECT id FROM users WHERE username = $1",
			DB_PARAMS("canbo"));
	uid_truongbp = one("SELECT id FROM users WHERE username = $1",
			   DB_PARAMS("truongbp"));
	plan_id = one("INSERT INTO plans (unit_id, year, number, title, "
		      "title_fold, criterion_min_tasks, status, created_at, "
		      "updated_at) VALUES ($1, 2024, 99, $2, $3, 3, 'issued', "
		      "$4, $4) RETURNING id",
		      DB_PARAMS(num(commune), "Kế hoạch thử của các màn hình",
				"ke hoach thu cua cac man hinh",
				"2024-01-02T01:00:00Z"));
	T[1] = task(0, "Niêm yết thủ tục", u_tp, 0, "2024-01-02", "2024-01-15",
		    "done", "2024-01-12");
	T[2] = task(0, "Tổ chức hội nghị đối thoại", u_tp, 0, "2024-01-02",
		    "2024-01-31", "doing", NULL);
	T[3] = task(0, "Cập nhật sổ hộ tịch", u_tp, 0, "2024-01-02",
		    "2024-01-20", "done", "2024-01-25");
	T[4] = task(0, "Rà soát hồ sơ chứng thực", u_tp, 0, "2024-01-02",
		    "2024-02-19", "doing", NULL);
	T[5] = task(0, "Tuyên truyền pháp luật", u_tp, 0, "2024-02-01",
		    "2024-02-20", "todo", NULL);
	T[6] = task(0, "Công khai quy hoạch đất", u_dc, uid_canbo, "2024-01-02",
		    "2024-02-05", "doing", NULL);
	T[7] = task(0, "Thu thập ý kiến đất đai", u_dc, uid_canbo, "2024-01-02",
		    "2024-01-10", "done", "2024-01-10");
	T[8] = task(0, "Đo đạc bản đồ địa chính", u_dc, uid_canbo, "2024-03-01",
		    "2024-06-30", "todo", NULL);
	T[9] = task(0, "Kiểm kê đất công", u_dc, uid_canbo, "2024-01-02",
		    "2024-01-05", "cancelled", NULL);
	T[10] = task(0, "Báo cáo hằng tháng", u_vh, 0, "2024-01-01",
		     "2024-03-31", "doing", NULL);
	T10a = task(T[10], "Tháng 1/2024", u_vh, 0, "2024-01-01", "2024-01-31",
		    "done", "2024-02-02");
	T10b = task(T[10], "Tháng 2/2024", u_vh, 0, "2024-02-01", "2024-02-29",
		    "todo", NULL);
	T10c = task(T[10], "Tháng 3/2024", u_vh, 0, "2024-03-01", "2024-03-31",
		    "todo", NULL);
	link(T[2], "D1", "");
	link(T[2], "D1", "1.1.1");
	link(T[6], "D5", "");
	link(T[10], "D6", "");
	if (db_exec(fx, &fa,
		    "INSERT INTO task_units (task_id, unit_id) VALUES ($1, $2)",
		    DB_PARAMS(num(T[6]), num(u_tp)), NULL, &e))
		fail_msg("fixture: %s", e.msg);
}

static int setup(void **state)
{
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0", NULL};
	at("2024-02-07T03:00:00Z");
	server_start(&srv, env);
	fixtures();
	return 0;
}

static int teardown(void **state)
{
	db_close(fx);
	arena_release(&fa);
	server_stop(&srv);
	return 0;
}

/* ---- client helpers ---- */

static json_t *get_json(struct client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static json_t *get_json(struct client *c, const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	struct reply r;
	if (client_get(c, path, &r) || r.status != 200)
		fail_msg("GET %s: %ld %.300s", path, r.status,
			 r.body ? r.body : "");
	json_t *j = reply_json(&r);
	if (!j)
		fail_msg("GET %s: not JSON", path);
	reply_release(&r);
	return j;
}

/* The ids of the "tasks" of a list, in order, as "1,2,3". */
static const char *ids_of(json_t *j, char *buf, size_t n)
{
	size_t len = 0, i;
	json_t *t;
	buf[0] = 0;
	json_array_foreach(json_object_get(j, "tasks"), i, t)
	{
		int w = snprintf(buf + len, n - len, "%s%lld", len ? "," : "",
				 (long long)json_integer_value(
					 json_object_get(t, "id")));
		if (w < 0 || len + (size_t)w >= n)
			break;
		len += (size_t)w;
	}
	return buf;
}

static const char *ids_n(const long long *v, size_t n)
{
	static char buf[256];
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld",
					len ? "," : "", v[i]);
	return buf;
}
/* IDS(T[1], T[2]) -> "12,13": the ids a list should show, in order */
#define IDS(...)                                                               \
	ids_n((const long long[]){__VA_ARGS__},                                \
	      sizeof((const long long[]){__VA_ARGS__}) / sizeof(long long))

/* GET /api<path>&plan=<fixture plan> and compare the task ids. */
static void expect_list(struct client *c, const char *path, const char *want)
{
	char buf[512];
	json_t *j = get_json(c, "/api%s%splan=%lld", path,
			     strchr(path, '?') ? "&" : "?", plan_id);
	const char *got = ids_of(j, buf, sizeof buf);
	if (strcmp(got, want))
		fail_msg("%s: tasks %s, want %s", path, got, want);
	json_decref(j);
}

static json_t *task_in(json_t *j, long long id)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(j, "tasks"), i, t)
	{
		if (json_integer_value(json_object_get(t, "id")) == id)
			return t;
	}
	return NULL;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long integer(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* ---- the tests ---- */

static void test_overdue_and_states(void **state)
{
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	/* overdue, longest first, days late counted in calendar days */
	json_t *j = get_json(&c, "/api/plan/overdue?plan=%lld", plan_id);
	assert_int_equal(integer(j, "total"), 2);
	json_t *t2 = task_in(j, T[2]), *t6 = task_in(j, T[6]);
	assert_non_null(t2);
	assert_non_null(t6);
	assert_int_equal(
		integer(json_array_get(json_object_get(j, "tasks"), 0), "id"),
		T[2]);
	assert_int_equal(integer(t2, "days_late"), 7);
	assert_int_equal(integer(t6, "days_late"), 2);
	assert_string_equal(str(t2, "state"), "overdue");
	assert_string_equal(str(t2, "state_label"), "Quá hạn");
	assert_string_equal(str(j, "soon"), "2024-02-19");
	assert_false(json_is_true(json_object_get(j, "can_urge")));
	json_decref(j);

	/* every state through ?status=, the parent never listed */
	expect_list(&c, "/plan/by-unit?status=due_soon", IDS(T[4]));
	expect_list(&c, "/plan/by-unit?status=open", IDS(T[5], T10b));
	expect_list(&c, "/plan/by-unit?status=not_yet", IDS(T10c, T[8]));
	expect_list(&c, "/plan/by-unit?status=done_on_time", IDS(T[7], T[1]));
	expect_list(&c, "/plan/by-unit?status=done_late", IDS(T[3], T10a));
	expect_list(&c, "/plan/by-unit?status=cancelled", IDS(T[9]));
	expect_list(&c, "/plan/by-unit?status=overdue", IDS(T[2], T[6]));
	j = get_json(&c, "/api/plan/by-unit?plan=%lld", plan_id);
	assert_int_equal(integer(j, "total"), 12);
	assert_null(task_in(j, T[10]));
	/* the state each row carries agrees with the filters */
	assert_string_equal(str(task_in(j, T[4]), "state"), "due_soon");
	assert_int_equal(integer(task_in(j, T[4]), "days_left"), 12);
	assert_string_equal(str(task_in(j, T[5]), "state"), "open");
	assert_string_equal(str(task_in(j, T10a), "parent_title"),
			    "Báo cáo hằng tháng");
	/* the units' summary */
	json_t *units = json_object_get(j, "units");
	assert_int_equal(json_array_size(units), 3);
	json_t *u;
	size_t i;
	int seen = 0;
	json_array_foreach(units, i, u)
	{
		if (integer(u, "id") == u_tp) {
			assert_int_equal(integer(u, "tasks"), 5);
			assert_int_equal(integer(u, "done"), 2);
			assert_int_equal(integer(u, "overdue"), 1);
			assert_int_equal(integer(u, "due_soon"), 1);
			/* (100 + 40 + 100 + 40 + 0) / 5 */
			assert_int_equal(integer(u, "progress"), 56);
			seen++;
		}
		if (integer(u, "id") == u_dc) {
			assert_int_equal(integer(u, "tasks"), 4);
			/* the cancelled task left out of the mean */
			assert_int_equal(integer(u, "progress"), 47);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	json_decref(j);

	/* the page: colour and word, the filters kept in the form */
	struct reply r;
	char path[256];
	snprintf(path, sizeof path, "/plan/overdue?plan=%lld&q=hoi+nghi",
		 plan_id);
	assert_int_equal(client_get(&c, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "class=\"state overdue\">Quá hạn 7 ngày"));
	assert_true(reply_has(&r, "Tổ chức hội nghị đối thoại"));
	assert_false(reply_has(&r, "Công khai quy hoạch đất"));
	assert_true(reply_has(&r, "value=\"hoi nghi\""));
	assert_false(reply_has(&r, "name=\"message\"")); /* no urging */
	reply_release(&r);
	client_release(&c);
}

static void test_filters_combine(void **state)
{
	struct client c;
	client_login_demo(&c, &srv, "phochutich");
	char p[128];
	/* text folded: no diacritics, đ as d */
	expect_list(&c, "/plan/by-unit?q=HOI+NGHI", IDS(T[2]));
	expect_list(&c, "/plan/by-unit?q=dat+cong", IDS(T[9], T[6]));
	expect_list(&c, "/plan/by-unit?q=%C4%91%E1%BA%A5t", /* "đất" */
		    IDS(T[9], T[7], T[6]));
	expect_list(&c, "/plan/by-unit?q=100%25", "");
	/* dimension and indicator; occurrences serve their parent's link */
	expect_list(&c, "/plan/by-unit?dimension=D1", IDS(T[2]));
	expect_list(&c, "/plan/by-unit?indicator=1.1.1", IDS(T[2]));
	expect_list(&c, "/plan/by-unit?dimension=D6", IDS(T10a, T10b, T10c));
	/* unit, official, due range, and all of them together */
	snprintf(p, sizeof p, "/plan/by-unit?unit=%lld", u_tp);
	expect_list(&c, p, IDS(T[1], T[3], T[2], T[4], T[5]));
	snprintf(p, sizeof p, "/plan/by-unit?user=%lld", uid_canbo);
	expect_list(&c, p, IDS(T[9], T[7], T[6], T[8]));
	expect_list(&c, "/plan/by-unit?from=01/02/2024&to=2024-02-29",
		    IDS(T[6], T[4], T[5], T10b));
	snprintf(p, sizeof p,
		 "/plan/by-unit?unit=%lld&status=active&from=01/02/2024&q=ra",
		 u_tp);
	expect_list(&c, p, IDS(T[4]));
	snprintf(p, sizeof p, "/plan/by-unit?unit=%lld&dimension=D5", u_tp);
	expect_list(&c, p, "");
	/* a bad date: 422, said on the field, the rest still filters */
	struct reply r;
	snprintf(p, sizeof p, "/plan/overdue?plan=%lld&from=31/02/2024",
		 plan_id);
	assert_int_equal(client_get(&c, p, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Ngày không đúng (dd/mm/yyyy)."));
	assert_true(reply_has(&r, "Tổ chức hội nghị đối thoại"));
	reply_release(&r);
	/* unknown values are ignored, not errors */
	expect_list(&c, "/plan/overdue?dimension=D9&status=late&unit=abc",
		    IDS(T[2], T[6]));
	client_release(&c);
}

static void test_my_tasks(void **state)
{
	struct client c;
	/* the officer: the tasks they are responsible for (their unit's) */
	client_login_demo(&c, &srv, "canbo");
	expect_list(&c, "/plan/my", IDS(T[9], T[7], T[6], T[8]));
	json_t *j = get_json(&c, "/api/plan/my?plan=%lld", plan_id);
	assert_int_equal(integer(json_object_get(j, "summary"), "overdue"), 1);
	json_decref(j);
	client_release(&c);
	/* the unit head: their unit's tasks, and those it co-operates on */
	client_login_demo(&c, &srv, "truongbp");
	expect_list(&c, "/plan/my", IDS(T[1], T[3], T[2], T[6], T[4], T[5]));
	j = get_json(&c, "/api/plan/my?plan=%lld", plan_id);
	assert_true(json_is_true(json_object_get(task_in(j, T[6]), "co_unit")));
	assert_false(
		json_is_true(json_object_get(task_in(j, T[2]), "co_unit")));
	json_t *s = json_object_get(j, "summary");
	assert_int_equal(integer(s, "overdue"), 2);
	assert_int_equal(integer(s, "due_soon"), 1);
	json_decref(j);
	expect_list(&c, "/plan/my?status=overdue", IDS(T[2], T[6]));
	struct reply r;
	assert_int_equal(client_get(&c, "/plan/my", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Nhiệm vụ của tôi"));
	assert_true(reply_has(&r, "phối hợp"));
	reply_release(&r);
	client_release(&c);
	/* a village head leads nothing here */
	client_login_demo(&c, &srv, "truongthon");
	expect_list(&c, "/plan/my", "");
	client_release(&c);
}

static void test_timeline_and_calendar(void **state)
{
	struct client c;
	struct reply r;
	char p[160];
	client_login_demo(&c, &srv, "mttq");
	snprintf(p, sizeof p, "/plan/timeline?plan=%lld", plan_id);
	assert_int_equal(client_get(&c, p, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "<svg class=\"timeline\""));
	assert_true(reply_has(&r, "Hôm nay 07/02/2024"));
	assert_true(reply_has(&r, "Tháng 1/2024"));
	assert_true(reply_has(&r, "Tháng 6/2024"));
	assert_true(reply_has(&r, "class=\"bar overdue\""));
	assert_true(reply_has(&r, ">Quá hạn</text>"));
	assert_true(reply_has(&r, "Báo cáo hằng tháng – Tháng 1/2024"));
	assert_true(reply_has(&r, "class=\"timeline-box\""));
	int bars = 0;
	for (const char *s = r.body; (s = strstr(s, "<g class=\"bar ")); s++)
		bars++;
	assert_int_equal(bars, 12);
	reply_release(&r);
	/* a range of its own */
	snprintf(p, sizeof p,
		 "/plan/timeline?plan=%lld&from=01/02/2024&to=29/02/2024",
		 plan_id);
	assert_int_equal(client_get(&c, p, &r), 0);
	assert_true(reply_has(&r, "Tiến độ 4 nhiệm vụ, từ 01/02/2024 đến "
				  "29/02/2024"));
	reply_release(&r);

	/* the calendar of February 2024: Tết days off, due dates on days */
	json_t *j = get_json(&c, "/api/plan/calendar?month=2024-02&plan=%lld",
			     plan_id);
	json_t *m = json_object_get(j, "month");
	assert_string_equal(str(m, "label"), "Tháng 2/2024");
	assert_string_equal(str(m, "prev"), "2024-01");
	assert_int_equal(integer(m, "tasks"), 4);
	json_t *weeks = json_object_get(m, "weeks");
	assert_int_equal(json_array_size(weeks), 5);
	/* week 2: Mon 05/02 .. Sun 11/02 */
	json_t *w2 = json_object_get(json_array_get(weeks, 1), "days");
	json_t *mon = json_array_get(w2, 0), *wed = json_array_get(w2, 2),
	       *thu = json_array_get(w2, 3);
	assert_string_equal(str(mon, "iso"), "2024-02-05");
	assert_int_equal(json_array_size(json_object_get(mon, "tasks")), 1);
	assert_int_equal(
		integer(json_array_get(json_object_get(mon, "tasks"), 0), "id"),
		T[6]);
	assert_true(json_is_true(json_object_get(wed, "today")));
	assert_false(json_is_true(json_object_get(thu, "working")));
	json_decref(j);
	snprintf(p, sizeof p, "/plan/calendar?month=2024-02&plan=%lld",
		 plan_id);
	assert_int_equal(client_get(&c, p, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Lịch hạn nhiệm vụ – Tháng 2/2024"));
	assert_true(reply_has(&r, "day-off"));
	assert_true(reply_has(&r, "Rà soát hồ sơ chứng thực</a> <span "
				  "class=\"state due-soon\">Sắp đến hạn"));
	assert_true(reply_has(&r, "month=2024-03&amp;plan="));
	reply_release(&r);
	assert_int_equal(client_status(&c, "/plan/calendar?month=2024-13"),
			 422);
	client_release(&c);
}

static void test_by_dimension(void **state)
{
	struct client c;
	client_login_demo(&c, &srv, "bantt");
	json_t *j = get_json(&c, "/api/plan/by-dimension?plan=%lld", plan_id);
	json_t *dims = json_object_get(j, "dims");
	assert_int_equal(json_array_size(dims), 8);
	size_t i;
	json_t *d;
	int seen = 0;
	json_array_foreach(dims, i, d)
	{
		json_t *cnt = json_object_get(d, "counts");
		if (!strcmp(str(d, "code"), "D1")) {
			/* T2, counted once though it names D1 and 1.1.1 */
			assert_int_equal(integer(cnt, "tasks"), 1);
			assert_int_equal(integer(cnt, "overdue"), 1);
			json_t *first = json_array_get(
				json_object_get(d, "indicators"), 0);
			assert_string_equal(str(first, "code"), "1.1.1");
			assert_int_equal(
				integer(json_object_get(first, "counts"),
					"tasks"),
				1);
			seen++;
		} else if (!strcmp(str(d, "code"), "D6")) {
			assert_int_equal(integer(cnt, "tasks"), 3);
			assert_int_equal(integer(cnt, "done"), 1);
			seen++;
		} else if (!strcmp(str(d, "code"), "D3")) {
			assert_int_equal(integer(cnt, "tasks"), 0);
			seen++;
		}
	}
	assert_int_equal(seen, 3);
	/* no survey round here: catalogue order, and it says why */
	assert_null(json_object_get(j, "results"));
	assert_string_equal(str(json_array_get(dims, 0), "code"), "D1");
	json_decref(j);
	/* the list below follows the dimension chosen */
	expect_list(&c, "/plan/by-dimension?dimension=D5", IDS(T[6]));
	struct reply r;
	char p[128];
	snprintf(p, sizeof p, "/plan/by-dimension?plan=%lld", plan_id);
	assert_int_equal(client_get(&c, p, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Xã chưa có kết quả khảo sát"));
	assert_true(reply_has(&r, "D1 Tham gia của người dân ở cấp cơ sở"));
	reply_release(&r);
	client_release(&c);
}

/* The scorecard row of `key` in table "units" or "officials". */
static json_t *score_row(json_t *j, const char *table, long long key)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(json_object_get(j, table), "rows"),
			   i, row)
	{
		if (integer(row, "key") == key)
			return row;
	}
	return NULL;
}

static int n_of(json_t *row, const char *k)
{
	return (int)integer(json_object_get(row, k), "n");
}

/* Follows a scorecard number's link and returns the list's task ids. */
static const char *behind(struct client *c, json_t *row, const char *k,
			  char *buf, size_t n)
{
	const char *href = str(json_object_get(row, k), "href");
	json_t *j = get_json(c, "/api%s", href);
	ids_of(j, buf, n);
	json_decref(j);
	return buf;
}

static void test_scorecard(void **state)
{
	struct client c;
	char buf[256];
	client_login_demo(&c, &srv, "chutich");
	json_t *j = get_json(&c, "/api/plan/scorecard?plan=%lld", plan_id);
	assert_int_equal(integer(j, "min_tasks"), 3);
	assert_string_equal(str(json_object_get(j, "period"), "from"),
			    "2024-01-01");
	assert_string_equal(str(json_object_get(j, "period"), "to"),
			    "2024-02-07");
	/* Tư pháp: T1 on time, T3 late, T2 overdue: 100 x 1,5 / 3 */
	json_t *tp = score_row(j, "units", u_tp);
	assert_non_null(tp);
	assert_int_equal(n_of(tp, "due"), 3);
	assert_int_equal(n_of(tp, "on_time"), 1);
	assert_int_equal(n_of(tp, "late"), 1);
	assert_int_equal(n_of(tp, "overdue"), 1);
	assert_int_equal(n_of(tp, "pending"), 0);
	assert_true(json_is_true(json_object_get(tp, "has_score")));
	assert_string_equal(str(tp, "score"), "50,0");
	/* Địa chính: 2 due (the cancelled one is not), fewer than 3 */
	json_t *dc = score_row(j, "units", u_dc);
	assert_int_equal(n_of(dc, "due"), 2);
	assert_false(json_is_true(json_object_get(dc, "has_score")));
	assert_string_equal(str(dc, "reason"), "Chưa đủ 3 nhiệm vụ đã đến "
					       "hạn để chấm điểm (mới có 2)");
	/* Văn hóa: the January report, late */
	json_t *vh = score_row(j, "units", u_vh);
	assert_int_equal(n_of(vh, "late"), 1);
	assert_int_equal(n_of(vh, "due"), 1);
	/* the official: canbo's T6 overdue, T7 on time */
	json_t *cb = score_row(j, "officials", uid_canbo);
	assert_non_null(cb);
	assert_int_equal(n_of(cb, "due"), 2);
	assert_int_equal(n_of(cb, "on_time"), 1);
	assert_int_equal(n_of(cb, "overdue"), 1);
	assert_int_equal(json_array_size(json_object_get(
				 json_object_get(j, "officials"), "rows")),
			 1);
	/* the totals */
	json_t *tot = json_object_get(json_object_get(j, "units"), "total");
	assert_int_equal(n_of(tot, "due"), 6);
	assert_string_equal(str(tot, "score"), "50,0");
	/* each number leads to the list it counts */
	assert_string_equal(behind(&c, tp, "overdue", buf, sizeof buf),
			    IDS(T[2]));
	assert_string_equal(behind(&c, tp, "on_time", buf, sizeof buf),
			    IDS(T[1]));
	assert_string_equal(behind(&c, tp, "due", buf, sizeof buf),
			    IDS(T[1], T[3], T[2]));
	assert_string_equal(behind(&c, dc, "due", buf, sizeof buf),
			    IDS(T[7], T[6]));
	assert_string_equal(behind(&c, cb, "overdue", buf, sizeof buf),
			    IDS(T[6]));
	json_decref(j);

	/* the first quarter: tasks not yet due are pending, not counted */
	j = get_json(
		&c,
		"/api/plan/scorecard?plan=%lld&from=01/01/2024&to=31/03/2024",
		plan_id);
	tp = score_row(j, "units", u_tp);
	assert_int_equal(n_of(tp, "due"), 5);
	assert_int_equal(n_of(tp, "pending"), 2);
	assert_string_equal(str(tp, "score"), "50,0");
	assert_string_equal(behind(&c, tp, "pending", buf, sizeof buf),
			    IDS(T[4], T[5]));
	vh = score_row(j, "units", u_vh);
	assert_int_equal(n_of(vh, "due"), 3);
	assert_int_equal(n_of(vh, "pending"), 2);
	json_decref(j);

	/* the page */
	struct reply r;
	char p[160];
	snprintf(p, sizeof p, "/plan/scorecard?plan=%lld", plan_id);
	assert_int_equal(client_get(&c, p, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Bảng điểm thực hiện nhiệm vụ"));
	assert_true(reply_has(&r, "<strong>50,0</strong>"));
	assert_true(reply_has(&r, "Không chấm"));
	assert_true(reply_has(&r, "Vũ Thị Lan") ||
		    reply_has(&r, "Đỗ Quang Huy"));
	reply_release(&r);
	/* a bad period */
	snprintf(p, sizeof p, "/plan/scorecard?from=31/03/2024&to=01/01/2024");
	assert_int_equal(client_get(&c, p, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Ngày kết thúc phải sau ngày bắt đầu."));
	reply_release(&r);
	client_release(&c);

	/* a unit head sees their own unit's row only */
	client_login_demo(&c, &srv, "truongbp");
	j = get_json(&c, "/api/plan/scorecard?plan=%lld", plan_id);
	assert_int_equal(json_array_size(json_object_get(
				 json_object_get(j, "units"), "rows")),
			 1);
	assert_non_null(score_row(j, "units", u_tp));
	assert_null(score_row(j, "officials", uid_canbo));
	assert_true(json_is_true(json_object_get(j, "own_units_only")));
	json_decref(j);
	client_release(&c);
	/* the province: one row per commune, each leading to its units */
	client_login_demo(&c, &srv, "tinh");
	j = get_json(&c, "/api/plan/scorecard?plan=%lld", plan_id);
	assert_true(json_is_true(
		json_object_get(json_object_get(j, "units"), "by_commune")));
	assert_null(json_object_get(j, "officials"));
	json_t *cr = score_row(j, "units", commune);
	assert_non_null(cr);
	assert_int_equal(n_of(cr, "due"), 6);
	assert_string_equal(str(cr, "score"), "50,0");
	assert_string_equal(behind(&c, cr, "overdue", buf, sizeof buf),
			    IDS(T[2], T[6]));
	json_t *cj = get_json(&c, "/api%s", str(cr, "href"));
	assert_non_null(score_row(cj, "units", u_tp));
	assert_non_null(score_row(cj, "officials", uid_canbo));
	json_decref(cj);
	json_decref(j);
	client_release(&c);
	/* read by the front, the inspection board, the office */
	static const char *const readers[] = {"mttq", "bantt", "vanphong",
					      "phochutich"};
	for (size_t k = 0; k < sizeof readers / sizeof *readers; k++) {
		client_login_demo(&c, &srv, readers[k]);
		j = get_json(&c, "/api/plan/scorecard?plan=%lld", plan_id);
		assert_non_null(score_row(j, "units", u_tp));
		json_decref(j);
		client_release(&c);
	}
	/* not by an officer, a village head, a surveyor */
	static const char *const refused[] = {"canbo", "truongthon", "dieutra"};
	for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
		client_login_demo(&c, &srv, refused[k]);
		assert_int_equal(client_status(&c, "/plan/scorecard"), 403);
		client_release(&c);
	}
}

static long long db_count(const char *sql, const char *a1, const char *a2)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(fx, &fa, sql, DB_PARAMS(a1, a2), &r, &e))
		fail_msg("%s", e.msg);
	return db_get_int(r, 0, "n", -1);
}

static long post(struct client *c, const char *path, const char *body,
		 struct reply *r)
{
	if (client_post(c, path, body, r))
		fail_msg("POST %s: no reply", path);
	return r->status;
}

static void test_urging(void **state)
{
	struct client c, head, officer;
	struct reply r;
	char p[160];
	client_login_demo(&c, &srv, "vanphong");
	/* the office sees the urging form on the overdue list */
	snprintf(p, sizeof p, "/plan/overdue?plan=%lld", plan_id);
	assert_int_equal(client_get(&c, p, &r), 0);
	char action[96];
	snprintf(action, sizeof action,
		 "/plan/requests?task=%lld&amp;next=/plan/"
		 "overdue%%3Fplan%%3D%lld#",
		 T[2], plan_id);
	assert_true(reply_has(&r, action));
	reply_release(&r);
	/* which opens the form, written for the unit */
	snprintf(p, sizeof p, "/plan/requests?task=%lld&next=/plan/overdue",
		 T[2]);
	assert_int_equal(client_get(&c, p, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(action, sizeof action, "action=\"/plan/tasks/%lld/requests\"",
		 T[2]);
	assert_true(reply_has(&r, action));
	assert_true(reply_has(&r, "Đề nghị Tư pháp – Hộ tịch khẩn trương hoàn "
				  "thành nhiệm vụ “Tổ chức hội nghị đối "
				  "thoại” (hạn 31/01/2024)"));
	reply_release(&r);

	/* bad input: nothing sent */
	snprintf(p, sizeof p, "/plan/tasks/%lld/requests", T[2]);
	assert_int_equal(post(&c, p, "kind=scold&message=", &r), 422);
	assert_true(reply_has(&r, "Chọn nhắc việc hoặc yêu cầu giải trình."));
	assert_true(reply_has(&r, "Vui lòng nhập nội dung đôn đốc."));
	reply_release(&r);
	assert_int_equal(db_count("SELECT COUNT(*) AS n FROM task_requests "
				  "WHERE task_id = $1 OR $2 = ''",
				  num(T[2]), "x"),
			 0);
	/* a done task needs no urging; an unknown one is not found */
	snprintf(p, sizeof p, "/plan/tasks/%lld/requests", T[1]);
	assert_int_equal(post(&c, p, "kind=reminder&message=x", &r), 409);
	reply_release(&r);
	assert_int_equal(post(&c, "/plan/tasks/999999/requests",
			      "kind=reminder&message=x", &r),
			 404);
	reply_release(&r);

	/* an explanation request: due 3 working days later, across Tết */
	snprintf(p, sizeof p, "/plan/tasks/%lld/requests", T[2]);
	assert_int_equal(post(&c, p,
			      "kind=explanation&message=%C4%90%E1%BB%81+ngh%E1"
			      "%BB%8B+gi%E1%BA%A3i+tr%C3%ACnh&next=/plan/"
			      "overdue%3Fplan%3D1",
			      &r),
			 303);
	assert_string_equal(r.location, "/plan/overdue?plan=1");
	reply_release(&r);
	assert_int_equal(
		db_count(
			"SELECT COUNT(*) AS n FROM task_requests WHERE task_id "
			"= $1 AND answer_due = $2",
			num(T[2]), "2024-02-19"),
		1);
	/* the unit head was told, in the app */
	assert_int_equal(
		db_count(
			"SELECT COUNT(*) AS n FROM notifications WHERE user_id "
			"= $1 AND kind = $2",
			num(uid_truongbp), "task.explanation"),
		1);
	/* a reminder through the API, about canbo's task: canbo is told */
	json_t *body = json_pack("{s:s, s:s}", "kind", "reminder", "message",
				 "Nhắc khẩn trương công khai quy hoạch");
	snprintf(p, sizeof p, "/api/plan/tasks/%lld/requests", T[6]);
	assert_int_equal(client_post_json(&c, p, body, &r), 0);
	json_decref(body);
	assert_int_equal(r.status, 200);
	json_t *rem = reply_json(&r);
	long long rem_id = integer(rem, "id");
	assert_true(rem_id > 0);
	assert_string_equal(str(rem, "kind"), "reminder");
	assert_true(json_is_null(json_object_get(rem, "answer_due")));
	json_decref(rem);
	reply_release(&r);
	assert_int_equal(
		db_count(
			"SELECT COUNT(*) AS n FROM notifications WHERE user_id "
			"= $1 AND kind = $2",
			num(uid_canbo), "task.reminder"),
		1);
	/* the office sees every request */
	json_t *j = get_json(&c, "/api/plan/requests?plan=%lld", plan_id);
	assert_int_equal(json_array_size(json_object_get(j, "requests")), 2);
	long long expl_id = integer(
		json_array_get(json_object_get(j, "requests"), 1), "id");
	assert_string_equal(
		str(json_array_get(json_object_get(j, "requests"), 1), "kind"),
		"explanation");
	json_decref(j);

	/* only the office urges */
	static const char *const not_office[] = {"chutich", "truongbp", "canbo",
						 "tinh"};
	for (size_t k = 0; k < sizeof not_office / sizeof *not_office; k++) {
		struct client o;
		client_login_demo(&o, &srv, not_office[k]);
		assert_int_equal(client_status(&o, "/plan/requests"), 200);
		snprintf(p, sizeof p, "/plan/requests?task=%lld", T[2]);
		assert_int_equal(client_get(&o, p, &r), 0);
		assert_int_equal(r.status, 200);
		assert_false(reply_has(&r, "name=\"message\""));
		reply_release(&r);
		snprintf(p, sizeof p, "/plan/tasks/%lld/requests", T[2]);
		assert_int_equal(post(&o, p, "kind=reminder&message=x", &r),
				 403);
		reply_release(&r);
		client_release(&o);
	}

	/* who sees which request: the head the one to their unit, the
	 * officer the one about their task */
	client_login_demo(&head, &srv, "truongbp");
	client_login_demo(&officer, &srv, "canbo");
	j = get_json(&head, "/api/plan/requests");
	assert_int_equal(json_array_size(json_object_get(j, "requests")), 1);
	json_t *mine = json_array_get(json_object_get(j, "requests"), 0);
	assert_int_equal(integer(mine, "id"), expl_id);
	assert_true(json_is_true(json_object_get(mine, "may_answer")));
	json_decref(j);
	j = get_json(&officer, "/api/plan/requests");
	assert_int_equal(json_array_size(json_object_get(j, "requests")), 1);
	assert_int_equal(
		integer(json_array_get(json_object_get(j, "requests"), 0),
			"id"),
		rem_id);
	json_decref(j);

	/* a unit head answering another unit's request: 403; the officer
	 * answering Tư pháp's: 403 */
	snprintf(p, sizeof p, "/plan/requests/%lld/answer", rem_id);
	assert_int_equal(post(&head, p, "answer=Kh%C3%B4ng", &r), 403);
	reply_release(&r);
	snprintf(p, sizeof p, "/plan/requests/%lld/answer", expl_id);
	assert_int_equal(post(&officer, p, "answer=Kh%C3%B4ng", &r), 403);
	reply_release(&r);
	assert_int_equal(
		post(&officer, "/plan/requests/999999/answer", "answer=x", &r),
		404);
	reply_release(&r);

	/* 20/02: the answer is late; the scorecard takes 5 points */
	at("2024-02-20T03:00:00Z");
	assert_int_equal(server_restart(&srv), 0);
	client_release(&c);
	client_release(&head);
	client_release(&officer);
	client_login_demo(&c, &srv, "chutich");
	j = get_json(&c,
		     "/api/plan/requests?state=open&kind=explanation&late=1");
	assert_int_equal(json_array_size(json_object_get(j, "requests")), 1);
	assert_true(json_is_true(json_object_get(
		json_array_get(json_object_get(j, "requests"), 0),
		"answer_late")));
	json_decref(j);
	j = get_json(&c, "/api/plan/scorecard?plan=%lld", plan_id);
	json_t *tp = score_row(j, "units", u_tp);
	/* T4 (19/02) now overdue, T5 (20/02) due today: pending.
	 * 100 x (1 + 0,5) / 4 - 5 = 32,5 */
	assert_int_equal(n_of(tp, "overdue"), 2);
	assert_int_equal(n_of(tp, "pending"), 1);
	assert_int_equal(n_of(tp, "requests"), 1);
	assert_int_equal(n_of(tp, "explanations"), 1);
	assert_int_equal(n_of(tp, "unanswered"), 1);
	assert_string_equal(str(tp, "score"), "32,5");
	/* the page, twice (the second from the views' cache), the same */
	char sp[96];
	snprintf(sp, sizeof sp, "/plan/scorecard?plan=%lld", plan_id);
	struct reply r1, r2;
	assert_int_equal(client_get(&c, sp, &r1), 0);
	assert_int_equal(client_get(&c, sp, &r2), 0);
	assert_true(reply_has(&r1, "<strong>32,5</strong>"));
	assert_true(strstr(r1.body, "<main") && strstr(r2.body, "<main"));
	assert_string_equal(strstr(r1.body, "<main"), strstr(r2.body, "<main"));
	reply_release(&r1);
	reply_release(&r2);
	char buf[64];
	json_t *lj = get_json(&c, "/api%s",
			      str(json_object_get(tp, "unanswered"), "href"));
	assert_int_equal(json_array_size(json_object_get(lj, "requests")), 1);
	json_decref(lj);
	(void)buf;
	/* canbo's row counts the reminder about T6 */
	assert_int_equal(n_of(score_row(j, "officials", uid_canbo), "requests"),
			 1);
	json_decref(j);

	/* the head answers: recorded with who and when, audited, the office
	 * told; the score gets its 5 points back */
	client_login_demo(&head, &srv, "truongbp");
	snprintf(p, sizeof p, "/plan/requests/%lld/answer", expl_id);
	assert_int_equal(post(&head, p, "answer=+++", &r), 422);
	assert_true(reply_has(&r, "Vui lòng nhập nội dung trả lời."));
	reply_release(&r);
	assert_int_equal(
		post(&head, p,
		     "answer=Do+ngh%E1%BB%89+T%E1%BA%BFt%2C+s%E1%BA%BD+"
		     "h%E1%BB%8Dp+ng%C3%A0y+22%2F02",
		     &r),
		303);
	reply_release(&r);
	assert_int_equal(
		db_count(
			"SELECT COUNT(*) AS n FROM task_requests WHERE id = $1 "
			"AND answered_by = $2 AND answered_at LIKE "
			"'2024-02-20T%'",
			num(expl_id), num(uid_truongbp)),
		1);
	assert_int_equal(
		db_count(
			"SELECT COUNT(*) AS n FROM audit_log WHERE action = $1 "
			"AND username = $2",
			"task_request.answer", "truongbp"),
		1);
	assert_int_equal(db_count("SELECT COUNT(*) AS n FROM notifications n "
				  "JOIN users u "
				  "ON u.id = n.user_id WHERE u.username = $1 "
				  "AND kind = $2",
				  "vanphong", "task.answer"),
			 1);
	/* once only */
	assert_int_equal(post(&head, p, "answer=L%E1%BA%A7n+hai", &r), 409);
	reply_release(&r);
	j = get_json(&c, "/api/plan/scorecard?plan=%lld", plan_id);
	assert_string_equal(str(score_row(j, "units", u_tp), "score"), "37,5");
	json_decref(j);
	/* and the kept page follows the change */
	assert_int_equal(client_get(&c, sp, &r1), 0);
	assert_true(reply_has(&r1, "<strong>37,5</strong>"));
	assert_false(reply_has(&r1, "<strong>32,5</strong>"));
	reply_release(&r1);
	/* the officer answers the reminder about their own task */
	client_login_demo(&officer, &srv, "canbo");
	snprintf(p, sizeof p, "/plan/requests/%lld/answer", rem_id);
	assert_int_equal(post(&officer, p,
			      "answer=%C4%90%C3%A3+ni%C3%AAm+y%E1"
			      "%BA%BFt",
			      &r),
			 303);
	reply_release(&r);
	/* the page shows the answer */
	assert_int_equal(client_get(&c, "/plan/requests?state=answered", &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Do nghỉ Tết, sẽ họp ngày 22/02"));
	assert_true(reply_has(&r, "Đã trả lời"));
	reply_release(&r);
	client_release(&c);
	client_release(&head);
	client_release(&officer);
	at("2024-02-07T03:00:00Z");
	assert_int_equal(server_restart(&srv), 0);
}

/* A village leads tasks too: its head is told of an explanation request
 * about one and may answer it. Runs after the others' counts. */
static void test_village_head_answers(void **state)
{
	(void)state;
	long long thon = role_unit("truongthon");
	long long t = task(0, "Họp dân bàn công khai ngân sách thôn", thon, 0,
			   "2024-01-02", "2024-01-31", "doing", NULL);
	struct client c, v;
	struct reply r;
	char p[96];
	client_login_demo(&c, &srv, "vanphong");
	snprintf(p, sizeof p, "/plan/tasks/%lld/requests", t);
	assert_int_equal(post(&c, p,
			      "kind=explanation&message=Gi%E1%BA%A3i+"
			      "tr%C3%ACnh",
			      &r),
			 303);
	reply_release(&r);
	long long uid = one("SELECT id FROM users WHERE username = $1",
			    DB_PARAMS("truongthon"));
	assert_int_equal(db_count("SELECT COUNT(*) AS n FROM notifications "
				  "WHERE user_id = $1 AND kind = $2",
				  num(uid), "task.explanation"),
			 1);
	long long req = one("SELECT id FROM task_requests WHERE task_id = $1",
			    DB_PARAMS(num(t)));
	client_login_demo(&v, &srv, "truongthon");
	snprintf(p, sizeof p, "/plan/requests/%lld/answer", req);
	assert_int_equal(post(&v, p, "answer=%C4%90%C3%A3+h%E1%BB%8Dp", &r),
			 303);
	reply_release(&r);
	assert_int_equal(db_count("SELECT COUNT(*) AS n FROM task_requests "
				  "WHERE id = $1 AND answered_by = $2",
				  num(req), num(uid)),
			 1);
	client_release(&c);
	client_release(&v);
}

static void test_every_role_reads(void **state)
{
	static const char *const users[] = {
		"chutich", "phochutich", "vanphong",   "truongbp", "canbo",
		"mttq",    "bantt",      "truongthon", "dieutra",  "tinh"};
	static const char *const pages[] = {
		"/plan/my",           "/plan/overdue",  "/plan/by-unit",
		"/plan/by-dimension", "/plan/timeline", "/plan/calendar",
		"/plan/requests"};
	for (size_t u = 0; u < sizeof users / sizeof *users; u++) {
		struct client c;
		client_login_demo(&c, &srv, users[u]);
		for (size_t k = 0; k < sizeof pages / sizeof *pages; k++)
			if (client_status(&c, pages[k]) != 200)
				fail_msg("GET %s as %s: %ld", pages[k],
					 users[u], client_status(&c, pages[k]));
		client_release(&c);
	}
	/* the province sees the commune's overdue tasks among its communes */
	struct client c;
	client_login_demo(&c, &srv, "tinh");
	char p[64];
	snprintf(p, sizeof p, "/plan/overdue?commune=%lld", commune);
	expect_list(&c, p, IDS(T[2], T[6]));
	client_release(&c);
	/* without login: to the login page */
	client_init(&c, &srv);
	struct reply r;
	assert_int_equal(client_get(&c, "/plan/overdue", &r), 0);
	assert_int_equal(r.status, 303);
	reply_release(&r);
	client_release(&c);
}

/* With the demo survey round of xã Tiên Tiến: the dimensions and the
 * indicators weakest first, by the commune's own results. */
static void test_weakest_first(void **state)
{
	struct server demo;
	server_start(&demo, NULL);
	struct client c;
	client_init(&c, &demo);
	if (client_login(&c, "chutich", DEMO_PASSWORD) != 303)
		fail_msg("login failed");
	struct reply r;
	assert_int_equal(client_get(&c, "/api/plan/by-dimension", &r), 0);
	assert_int_equal(r.status, 200);
	json_t *j = reply_json(&r);
	reply_release(&r);
	assert_non_null(json_object_get(j, "results"));
	/* dimensions by score, lowest first; every one has a score */
	json_t *dims = json_object_get(j, "dims");
	assert_int_equal(json_array_size(dims), 8);
	double last = -1;
	size_t i;
	json_t *d;
	json_array_foreach(dims, i, d)
	{
		json_t *z = json_object_get(d, "z");
		assert_true(json_is_real(z));
		assert_true(json_real_value(z) >= last);
		last = json_real_value(z);
		assert_true(strlen(str(d, "score")) > 0);
	}
	/* the ten weakest indicators, each with what is being done */
	json_t *weak = json_object_get(j, "weakest");
	assert_int_equal(json_array_size(weak), 10);
	last = -1e9;
	json_array_foreach(weak, i, d)
	{
		assert_true(json_real_value(json_object_get(d, "z")) >= last);
		last = json_real_value(json_object_get(d, "z"));
		assert_non_null(json_object_get(d, "counts"));
		assert_true(strlen(str(d, "value")) > 0);
	}
	json_decref(j);
	assert_int_equal(client_get(&c, "/plan/by-dimension", &r), 0);
	assert_true(reply_has(&r, "Các chỉ số yếu nhất và việc đang làm"));
	assert_true(reply_has(&r, "Xếp từ yếu nhất theo kết quả khảo sát"));
	reply_release(&r);
	client_release(&c);
	server_stop(&demo);
}

/* ---- the scorecard as it was counted before tasks.is_leaf ---- */

/* Leaf tasks as the views counted them before migration 0009: no task of
 * the plan has them as parent (NOT EXISTS), with the rules of scorecard.h
 * written one CASE each. */
static long long old_count(const char *key, long long k, const char *what,
			   long long plan, const char *today, const char *from,
			   const char *to)
{
	const char *sql = arena_printf(
		&fa,
		"SELECT COUNT(*) AS n FROM tasks t WHERE t.plan_id = $1 AND "
		"t.status <> 'cancelled' AND t.due_on >= $2 AND t.due_on <= "
		"$3 AND %s = $4 AND NOT EXISTS (SELECT 1 FROM tasks c WHERE "
		"c.plan_id = t.plan_id AND c.parent_id = t.id) AND %s",
		key,
		!strcmp(what, "on_time")
			? "t.status = 'done' AND (t.done_on IS NULL OR "
			  "t.done_on <= t.due_on) AND $5 = $5"
		: !strcmp(what, "late")
			? "t.status = 'done' AND t.done_on > t.due_on AND $5 = "
			  "$5"
		: !strcmp(what, "overdue")
			? "t.status IN ('todo', 'doing') AND t.due_on < $5"
		: !strcmp(what, "pending")
			? "t.status IN ('todo', 'doing') AND t.due_on >= $5"
			: "$5 = $5");
	return one(sql, DB_PARAMS(num(plan), from, to, num(k), today));
}

/* Every row of the API's table (units or officials) against the old
 * count, and every key the old way counts has its row. */
static void same_as_before(json_t *j, const char *table, const char *key,
			   long long plan, const char *today)
{
	static const char *const what[] = {"due", "on_time", "late", "overdue",
					   "pending"};
	json_t *period = json_object_get(j, "period");
	const char *from = str(period, "from"), *to = str(period, "to");
	size_t i, counted = 0;
	json_t *row;
	json_array_foreach(json_object_get(json_object_get(j, table), "rows"),
			   i, row)
	{
		long long k = integer(row, "key");
		for (size_t w = 0; w < sizeof what / sizeof *what; w++) {
			long long want = old_count(key, k, what[w], plan, today,
						   from, to);
			if (n_of(row, what[w]) != want)
				fail_msg("plan %lld %s %lld %s..%s: %s %d, "
					 "before %lld",
					 plan, table, k, from, to, what[w],
					 n_of(row, what[w]), want);
		}
		counted += n_of(row, "due") > 0;
	}
	const char *sql = arena_printf(
		&fa,
		"SELECT COUNT(DISTINCT %s) AS n FROM tasks t WHERE t.plan_id = "
		"$1 AND t.status <> 'cancelled' AND t.due_on >= $2 AND "
		"t.due_on <= $3 AND %s IS NOT NULL AND NOT EXISTS (SELECT 1 "
		"FROM tasks c WHERE c.plan_id = t.plan_id AND c.parent_id = "
		"t.id)",
		key, key);
	assert_int_equal(counted, one(sql, DB_PARAMS(num(plan), from, to)));
}

/* tasks.is_leaf against its definition, for every task */
static long long leaf_wrong(void)
{
	return one("SELECT COUNT(*) AS n FROM tasks t WHERE t.is_leaf <> "
		   "CASE WHEN EXISTS (SELECT 1 FROM tasks c WHERE c.plan_id = "
		   "t.plan_id AND c.parent_id = t.id) THEN 0 ELSE 1 END",
		   NULL, 0);
}

/* The demo plan (the real 2024 plan, recurring tasks and all, written by
 * task_save) and the fixture plan: the scorecard counts per status from
 * tasks.is_leaf give the numbers the per-task NOT EXISTS gave, on several
 * days and periods, per unit and per official. */
static void test_scorecard_as_before(void **state)
{
	assert_int_equal(leaf_wrong(), 0);
	struct db_result *plans;
	struct error e = {0};
	if (db_exec(fx, &fa,
		    "SELECT id FROM plans WHERE unit_id = $1 ORDER BY id",
		    DB_PARAMS(num(commune)), &plans, &e))
		fail_msg("%s", e.msg);
	assert_true(plans->nrows >= 2); /* the demo's and the fixture's */
	static const char *const days[] = {"2024-02-07", "2024-06-15",
					   "2024-12-20"};
	static const char *const periods[] = {"",
					      "&from=01/01/2024&to=31/12/"
					      "2024",
					      "&from=01/04/2024&to=30/06/2024"};
	struct client c;
	int compared = 0;
	for (size_t d = 0; d < sizeof days / sizeof *days; d++) {
		/* the server reads its clock at start */
		at(arena_printf(&fa, "%sT03:00:00Z", days[d]));
		assert_int_equal(server_restart(&srv), 0);
		client_login_demo(&c, &srv, "chutich");
		for (int p = 0; p < plans->nrows; p++) {
			long long plan = db_get_int(plans, p, "id", 0);
			for (size_t k = 0; k < sizeof periods / sizeof *periods;
			     k++) {
				json_t *j = get_json(
					&c, "/api/plan/scorecard?plan=%lld%s",
					plan, periods[k]);
				same_as_before(j, "units", "t.lead_unit_id",
					       plan, days[d]);
				same_as_before(j, "officials",
					       "t.responsible_user_id", plan,
					       days[d]);
				compared +=
					(int)json_array_size(json_object_get(
						json_object_get(j, "units"),
						"rows"));
				json_decref(j);
			}
		}
		client_release(&c);
	}
	assert_true(compared > 20);
	at("2024-02-07T03:00:00Z");
	assert_int_equal(server_restart(&srv), 0);
}

/* The overdue list (every plan the user sees, first page) against the
 * rows themselves: the same ids in the same order, and the same total.
 * The chair's is one commune's (a walk of the plan's index); the upper
 * level's puts together what each plan keeps (several communes). */
static void overdue_as_tasks_say(const char *today)
{
	static const char *const who[] = {"chutich", "tinh"};
	for (size_t u = 0; u < sizeof who / sizeof *who; u++) {
		struct db_result *r;
		struct error e = {0};
		if (db_exec(fx, &fa,
			    "SELECT t.id FROM tasks t JOIN plans p ON p.id = "
			    "t.plan_id WHERE ($1 = 'tinh' OR p.unit_id = $2) "
			    "AND t.is_leaf = 1 AND t.status IN ('todo', "
			    "'doing') AND t.due_on < $3 ORDER BY t.due_on, "
			    "t.id",
			    DB_PARAMS(who[u], num(commune), today), &r, &e))
			fail_msg("%s", e.msg);
		char want[4096] = "", got[4096];
		size_t len = 0;
		for (int i = 0; i < r->nrows && i < 50; i++)
			len += (size_t)snprintf(want + len, sizeof want - len,
						"%s%lld", len ? "," : "",
						db_get_int(r, i, "id", 0));
		struct client c;
		client_login_demo(&c, &srv, who[u]);
		json_t *j = get_json(&c, "/api/plan/overdue");
		assert_string_equal(ids_of(j, got, sizeof got), want);
		assert_int_equal(integer(j, "total"), r->nrows);
		json_decref(j);
		if (r->nrows > 50) { /* the second page */
			j = get_json(&c, "/api/plan/overdue?page=2");
			len = 0;
			want[0] = 0;
			for (int i = 50; i < r->nrows && i < 100; i++)
				len += (size_t)snprintf(
					want + len, sizeof want - len, "%s%lld",
					len ? "," : "",
					db_get_int(r, i, "id", 0));
			assert_string_equal(ids_of(j, got, sizeof got), want);
			json_decref(j);
		}
		client_release(&c);
	}
}

/* Each plan's counts are kept under its rev (migration 0014): a change
 * made by hand, by no writer of ours, still moves the rev (triggers), and
 * the next scorecard counts that plan again. The page cache is off, as
 * on a server where views_cache=false, so the kept counts are what is
 * read. */
static void test_scorecard_follows_changes(void **state)
{
	setenv("QUANTRI_VIEWS_CACHE", "false", 1);
	at("2024-06-15T03:00:00Z");
	assert_int_equal(server_restart(&srv), 0);
	/* a neighbouring commune's plan with overdue tasks: the upper
	 * level's list puts the plans together */
	long long other = one(
		"SELECT MIN(id) AS n FROM units WHERE kind = 'commune' AND "
		"valid_to IS NULL AND parent_id = (SELECT parent_id FROM units "
		"WHERE id = $1) AND id <> $1",
		DB_PARAMS(num(commune)));
	assert_true(other > 0);
	struct db_result *r;
	struct error e = {0};
	if (db_exec(fx, &fa,
		    "INSERT INTO plans (unit_id, year, title, title_fold, "
		    "status, created_at, updated_at) VALUES ($1, 2024, 'Kế "
		    "hoạch xã bên', 'ke hoach xa ben', 'issued', "
		    "'2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z')",
		    DB_PARAMS(num(other)), &r, &e))
		fail_msg("%s", e.msg);
	long long other_plan =
		one("SELECT MAX(id) AS n FROM plans WHERE unit_id = $1",
		    DB_PARAMS(num(other)));
	for (int i = 0; i < 70; i++) {
		char due[11];
		/* January: before most of ours, so the first page is
		 * theirs and which plan is cut at its end matters */
		snprintf(due, sizeof due, "2024-01-%02d", 2 + (i * 7) % 28);
		if (db_exec(fx, &fa,
			    "INSERT INTO tasks (plan_id, title, title_fold, "
			    "lead_unit_id, start_on, due_on, status, "
			    "created_at, updated_at) VALUES ($1, 'Việc xã "
			    "bên', 'viec xa ben', $2, '2024-01-01', $3, "
			    "'todo', '2024-01-02T00:00:00Z', "
			    "'2024-01-02T00:00:00Z')",
			    DB_PARAMS(num(other_plan), num(other), due), &r,
			    &e))
			fail_msg("%s", e.msg);
	}
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	const char *url = "/api/plan/scorecard?plan=%lld&from=01/01/2024&to="
			  "31/12/2024";
	json_t *j = get_json(&c, url, plan_id);
	same_as_before(j, "units", "t.lead_unit_id", plan_id, "2024-06-15");
	json_decref(j);
	overdue_as_tasks_say("2024-06-15");
	/* an overdue leaf task of a unit, marked done by hand */
	long long task = one(
		"SELECT MIN(id) AS n FROM tasks WHERE plan_id = $1 AND is_leaf "
		"= 1 AND status IN ('todo', 'doing') AND due_on < '2024-06-15' "
		"AND due_on >= '2024-01-01' AND lead_unit_id IS NOT NULL",
		DB_PARAMS(num(plan_id)));
	assert_true(task > 0);
	long long unit =
		one("SELECT lead_unit_id AS n FROM tasks WHERE id = $1",
		    DB_PARAMS(num(task)));
	j = get_json(&c, url, plan_id);
	json_t *row = score_row(j, "units", unit);
	assert_non_null(row);
	int overdue = n_of(row, "overdue"), on_time = n_of(row, "on_time");
	int explanations = n_of(row, "explanations");
	json_decref(j);
	long long rev = one("SELECT rev AS n FROM plans WHERE id = $1",
			    DB_PARAMS(num(plan_id)));
	if (db_exec(fx, &fa,
		    "UPDATE tasks SET status = 'done', progress = 100, done_on "
		    "= due_on WHERE id = $1",
		    DB_PARAMS(num(task)), &r, &e) ||
	    db_exec(fx, &fa,
		    "INSERT INTO task_requests (task_id, unit_id, kind, "
		    "message, answer_due, sent_at) VALUES ($1, $2, "
		    "'explanation', 'Đề nghị giải trình', '2024-06-20', "
		    "'2024-06-10T02:00:00Z')",
		    DB_PARAMS(num(task), num(unit)), &r, &e))
		fail_msg("%s", e.msg);
	assert_true(one("SELECT rev AS n FROM plans WHERE id = $1",
			DB_PARAMS(num(plan_id))) >= rev + 2);
	j = get_json(&c, url, plan_id);
	row = score_row(j, "units", unit);
	assert_non_null(row);
	assert_int_equal(n_of(row, "overdue"), overdue - 1);
	assert_int_equal(n_of(row, "on_time"), on_time + 1);
	assert_int_equal(n_of(row, "explanations"), explanations + 1);
	same_as_before(j, "units", "t.lead_unit_id", plan_id, "2024-06-15");
	same_as_before(j, "officials", "t.responsible_user_id", plan_id,
		       "2024-06-15");
	json_decref(j);
	overdue_as_tasks_say("2024-06-15");
	/* and back: the request removed, the task overdue again */
	if (db_exec(fx, &fa,
		    "DELETE FROM task_requests WHERE task_id = $1 AND message "
		    "= 'Đề nghị giải trình' AND sent_at = "
		    "'2024-06-10T02:00:00Z'",
		    DB_PARAMS(num(task)), &r, &e) ||
	    db_exec(fx, &fa,
		    "UPDATE tasks SET status = 'doing', progress = 50, done_on "
		    "= NULL WHERE id = $1",
		    DB_PARAMS(num(task)), &r, &e))
		fail_msg("%s", e.msg);
	j = get_json(&c, url, plan_id);
	row = score_row(j, "units", unit);
	assert_int_equal(n_of(row, "overdue"), overdue);
	assert_int_equal(n_of(row, "explanations"), explanations);
	json_decref(j);
	overdue_as_tasks_say("2024-06-15");
	client_release(&c);
	if (db_exec(fx, &fa, "DELETE FROM tasks WHERE plan_id = $1",
		    DB_PARAMS(num(other_plan)), &r, &e) ||
	    db_exec(fx, &fa, "DELETE FROM plans WHERE id = $1",
		    DB_PARAMS(num(other_plan)), &r, &e))
		fail_msg("%s", e.msg);
	unsetenv("QUANTRI_VIEWS_CACHE");
	at("2024-02-07T03:00:00Z");
	assert_int_equal(server_restart(&srv), 0);
}

/* task_save keeps is_leaf: a sub-task makes its parent a non-leaf, moving
 * it away makes the parent a leaf again (and the lists follow). */
static void test_leaf_kept_by_task_save(void **state)
{
	struct task t;
	struct field_problems fp = {0};
	struct error e = {0};
	memset(&t, 0, sizeof t);
	t.plan_id = plan_id;
	t.parent_id = T[8];
	t.title = "Đo đạc khu vực thôn 1";
	t.lead_unit_id = u_dc;
	t.start_on = "2024-03-01";
	t.due_on = "2024-04-30";
	t.recurrence = "none";
	t.weight = 1;
	t.status = "todo";
	if (task_save(fx, &fa, &actor_cli, &t, &fp, &e))
		fail_msg("task_save: %s (%d problems)", e.msg, fp.n);
	assert_int_equal(one("SELECT is_leaf FROM tasks WHERE id = $1",
			     DB_PARAMS(num(T[8]))),
			 0);
	assert_int_equal(one("SELECT is_leaf FROM tasks WHERE id = $1",
			     DB_PARAMS(num(t.id))),
			 1);
	assert_int_equal(leaf_wrong(), 0);
	struct client c;
	client_login_demo(&c, &srv, "chutich");
	char buf[256];
	json_t *j = get_json(&c,
			     "/api/plan/by-unit?plan=%lld&unit=%lld"
			     "&from=01/03/2024&to=30/06/2024",
			     plan_id, u_dc);
	assert_string_equal(ids_of(j, buf, sizeof buf), IDS(t.id));
	json_decref(j);
	/* the sub-task moves to the top level: T8 is a leaf again */
	struct task moved;
	if (task_get(fx, &fa, t.id, &moved, &e))
		fail_msg("task_get: %s", e.msg);
	moved.parent_id = 0;
	if (task_save(fx, &fa, &actor_cli, &moved, &fp, &e))
		fail_msg("task_save: %s (%d problems)", e.msg, fp.n);
	assert_int_equal(one("SELECT is_leaf FROM tasks WHERE id = $1",
			     DB_PARAMS(num(T[8]))),
			 1);
	assert_int_equal(leaf_wrong(), 0);
	j = get_json(&c,
		     "/api/plan/by-unit?plan=%lld&unit=%lld"
		     "&from=01/03/2024&to=30/06/2024",
		     plan_id, u_dc);
	assert_string_equal(ids_of(j, buf, sizeof buf), IDS(t.id, T[8]));
	json_decref(j);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overdue_and_states),
		cmocka_unit_test(test_filters_combine),
		cmocka_unit_test(test_my_tasks),
		cmocka_unit_test(test_timeline_and_calendar),
		cmocka_unit_test(test_by_dimension),
		cmocka_unit_test(test_scorecard),
		cmocka_unit_test(test_urging),
		cmocka_unit_test(test_every_role_reads),
		cmocka_unit_test(test_village_head_answers),
		cmocka_unit_test(test_weakest_first),
		cmocka_unit_test(test_scorecard_as_before),
		cmocka_unit_test(test_scorecard_follows_changes),
		/* last: it adds a task to the fixture plan */
		cmocka_unit_test(test_leaf_kept_by_task_save),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
