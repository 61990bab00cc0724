/* oversight_db.c on a real database (SQLite file, or PostgreSQL when
 * QUANTRI_TEST_DB is a postgres:// URL) holding the demo commune: the
 * whole chain inspection -> finding -> recommendation -> remedial task in
 * the plan -> the unit reports it done -> verified, on real dates, with
 * the refusals (verify before done, a unit of another commune, a plan of
 * another commune, a due date the plan cannot take) leaving nothing
 * behind; reopening sends the task back; the lists' filters combine; the
 * export; the demo seeds once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "oversight/oversight.h"
#include "index/papi.h"
#include "base/banned.h"

struct fixture {
	char dir[64], url[512], pg_name[64];
	struct db *db;
	struct arena a;
	long long tien_tien, other_commune, thon3, tu_phap, tai_chinh,
		other_unit;
	long long plan_2026, plan_2024, other_plan;
};

static const char *pg_url(void)
{
	const char *pg = getenv("QUANTRI_TEST_DB");
	return pg && db_url_is_postgres(pg) ? pg : NULL;
}

static void admin_sql(const char *sql)
{
	struct db *admin;
	struct error e = {0};
	struct arena a;
	arena_init(&a, 1 << 20);
	if (db_open(&admin, pg_url(), &e) ||
	    db_exec(admin, &a, sql, NULL, 0, NULL, &e))
		fail_msg("%s: %s", sql, e.msg);
	db_close(admin);
	arena_release(&a);
}

static long long unit_named(struct fixture *f, long long parent,
			    const char *name)
{
	json_t *units;
	struct error e = {0};
	if (plan_unit_choices(f->db, &f->a, parent, &units, &e))
		fail_msg("units: %s", e.msg);
	long long id = 0;
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		if (!id &&
		    !strcmp(json_string_value(json_object_get(u, "name")),
			    name) &&
		    json_integer_value(json_object_get(u, "parent_id")) ==
			    parent)
			id = json_integer_value(json_object_get(u, "id"));
	}
	json_decref(units);
	if (!id)
		fail_msg("no unit %s", name);
	return id;
}

static long long scalar(struct fixture *f, const char *sql, const char *arg)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(f->db, &f->a, sql, (const char *const[]){arg}, arg ? 1 : 0,
		    &r, &e))
		fail_msg("%s: %s", sql, e.msg);
	return r->nrows ? db_get_int(r, 0, r->names[0], -1) : -1;
}

static const char *text1(struct fixture *f, const char *sql, const char *arg)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(f->db, &f->a, sql, (const char *const[]){arg}, arg ? 1 : 0,
		    &r, &e))
		fail_msg("%s: %s", sql, e.msg);
	return r->nrows ? db_get(r, 0, r->names[0]) : NULL;
}

static const char *num(struct fixture *f, long long v)
{
	return arena_printf(&f->a, "%lld", v);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error e = {0};
	setenv("QUANTRI_NOW", "2026-03-13T02:00:00Z", 1);
	snprintf(f->dir, sizeof f->dir, "/tmp/quantri-ov-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (pg_url()) {
		const char *pg = pg_url();
		const char *slash = strrchr(pg, '/');
		const char *query = strchr(slash, '?');
		snprintf(f->pg_name, sizeof f->pg_name, "qt_ov_%d",
			 (int)getpid());
		snprintf(f->url, sizeof f->url, "%.*s/%s%s", (int)(slash - pg),
			 pg, f->pg_name, query ? query : "");
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pg_name);
		admin_sql(sql);
	} else {
		snprintf(f->url, sizeof f->url, "%s/t.db", f->dir);
	}
	arena_init(&f->a, 512 << 20);
	bool created;
	int added, cat, off;
	if (db_open(&f->db, f->url, &e) || db_migrate(f->db, &e) ||
	    demo_seed(f->db, &f->a, &created, &e) ||
	    papi_seed(f->db, &f->a, false, &cat, &off, &e) ||
	    calendar_db_seed(f->db, &f->a, &added, &e) ||
	    plan_demo_seed(f->db, &f->a, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	struct unit u;
	if (units_by_code(f->db, &f->a, "12424", "commune", "2025-07-01", &u,
			  &e))
		return -1;
	f->tien_tien = u.id;
	if (units_find(f->db, &f->a, "11953", &u, &e))
		return -1;
	f->other_commune = u.id;
	f->thon3 = unit_named(f, f->tien_tien, "Thôn 3");
	f->tu_phap = unit_named(f, f->tien_tien, "Tư pháp – Hộ tịch");
	f->tai_chinh = unit_named(f, f->tien_tien, "Tài chính – Kế toán");
	/* a unit and a plan of another commune, for the refusals */
	struct unit other = {.kind = "unit",
			     .type_vi = "Bộ phận",
			     .name = "Tư pháp – Hộ tịch",
			     .parent_id = f->other_commune,
			     .population = -1};
	if (units_create(f->db, &f->a, &actor_cli, &other, NULL, &e))
		fail_msg("unit: %s", e.msg);
	f->other_unit = other.id;
	struct plan p = {.unit_id = f->other_commune,
			 .year = 2026,
			 .symbol = "KH-UBND",
			 .place = "Khác",
			 .title = "Kế hoạch PAPI xã khác năm 2026",
			 .sign_mode = "TM.",
			 .criterion_min_tasks = 5};
	struct field_problems fp = {0};
	if (plan_save(f->db, &f->a, &actor_cli, &p, &fp, &e))
		fail_msg("plan: %s", e.msg);
	f->other_plan = p.id;
	f->plan_2026 = scalar(f,
			      "SELECT id FROM plans WHERE unit_id = $1 AND "
			      "year = 2026",
			      num(f, f->tien_tien));
	f->plan_2024 =
		scalar(f, "SELECT id FROM plans WHERE year = $1", "2024");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (!f)
		return 0;
	db_close(f->db);
	arena_release(&f->a);
	if (f->pg_name[0]) {
		char sql[160];
		snprintf(sql, sizeof sql,
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->pg_name);
		admin_sql(sql);
	}
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	char path[160];
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static const struct actor chair = {1, "chutich", "127.0.0.1"};

static long long count(struct fixture *f, const char *table)
{
	return scalar(f, arena_printf(&f->a, "SELECT COUNT(*) FROM %s", table),
		      NULL);
}

static struct inspection inspection_1(struct fixture *f)
{
	struct inspection in = {
		.commune_id = f->tien_tien,
		.kind = "inspection",
		.title = "Kiểm tra Bộ phận Một cửa quý I/2026",
		.reference = "Quyết định số 15/QĐ-UBND ngày 02/3/2026",
		.team = "Trần Văn Thắng\nPhạm Minh Đức",
		.scope = "Giải quyết thủ tục hành chính",
		.from_on = "2026-03-09",
		.to_on = "2026-03-13",
		.unit_id = f->tu_phap,
		.village_ids = {f->thon3},
		.nvillages = 1,
		.links = {"D5"},
		.nlinks = 1,
	};
	return in;
}

static bool has_field(const struct field_problems *fp, const char *field)
{
	for (int i = 0; i < fp->n; i++)
		if (!strcmp(fp->list[i].field, field))
			return true;
	return false;
}

/* The chain, day by day. */
static void test_chain(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	struct inspection in = inspection_1(f);
	assert_int_equal(inspection_save(f->db, &f->a, &chair, &in, &fp, &e),
			 ERR_OK);
	struct finding fi = {.inspection_id = in.id,
			     .text = "12 hồ sơ chứng thực trễ hạn.",
			     .links = {"D5", "D2"},
			     .nlinks = 2};
	assert_int_equal(finding_add(f->db, &f->a, &chair, &fi, &fp, &e),
			 ERR_OK);
	/* 13/03/2026: the recommendation, due 30/04/2026, to the 2026 plan
	 * (by default: the plan of the due date's year, a draft) */
	struct recommendation r = {.finding_id = fi.id,
				   .text = "Gửi phiếu xin lỗi cho mọi hồ sơ "
					   "trễ hạn.",
				   .unit_id = f->tu_phap,
				   .due_on = "2026-04-30"};
	long long tasks_before = count(f, "tasks");
	assert_int_equal(recommendation_add(f->db, &f->a, &chair, &r, &fp, &e),
			 ERR_OK);
	assert_int_equal(r.plan_id, f->plan_2026);
	assert_int_equal(count(f, "tasks"), tasks_before + 1);
	struct task t;
	assert_int_equal(task_get(f->db, &f->a, r.task_id, &t, &e), ERR_OK);
	assert_string_equal(t.title,
			    "Khắc phục: Gửi phiếu xin lỗi cho mọi hồ sơ trễ "
			    "hạn.");
	assert_int_equal(t.lead_unit_id, f->tu_phap);
	assert_string_equal(t.start_on, "2026-03-13");
	assert_string_equal(t.due_on, "2026-04-30");
	assert_string_equal(t.status, "todo");
	assert_int_equal(t.nlinks, 2);
	assert_true(strstr(t.description, "12 hồ sơ chứng thực") != NULL);
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM audit_log WHERE action "
				"= $1",
				"recommendation.create"),
			 1);

	/* 20/04: verifying before the unit reports it done is refused */
	setenv("QUANTRI_NOW", "2026-04-20T02:00:00Z", 1);
	fp.n = 0;
	assert_int_equal(
		recommendation_verify(f->db, &f->a, &chair, r.id, "2026-04-20",
				      "", (struct date){2026, 4, 20}, &fp, &e),
		ERR_INVALID);
	assert_true(has_field(&fp, "state"));
	assert_null(text1(f,
			  "SELECT verified_on FROM recommendations WHERE id "
			  "= $1",
			  num(f, r.id)));
	/* and reopening what is still open */
	fp.n = 0;
	assert_int_equal(
		recommendation_reopen(f->db, &f->a, &chair, r.id, "Chưa đạt.",
				      (struct date){2026, 4, 20}, &fp, &e),
		ERR_INVALID);

	/* 27/04: the unit reports it done */
	setenv("QUANTRI_NOW", "2026-04-27T03:00:00Z", 1);
	long long uid;
	fp.n = 0;
	assert_int_equal(task_report(f->db, &f->a, &chair, r.task_id, "done",
				     100, "Đã gửi 12 phiếu xin lỗi.", NULL,
				     NULL, 0, &uid, &fp, &e),
			 ERR_OK);
	json_t *list;
	struct oversight_filter flt = {
		.communes = &f->tien_tien, .ncommunes = 1, .state = "fixed"};
	assert_int_equal(recommendation_list(f->db, &f->a, &flt, &list, &e),
			 ERR_OK);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	json_decref(list);

	/* 06/05: verified on a day before the task was done: refused; in
	 * the future: refused; on 06/05: accepted */
	setenv("QUANTRI_NOW", "2026-05-06T03:00:00Z", 1);
	struct date today = {2026, 5, 6};
	fp.n = 0;
	assert_int_equal(recommendation_verify(f->db, &f->a, &chair, r.id,
					       "2026-04-26", "", today, &fp,
					       &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "verified_on"));
	fp.n = 0;
	assert_int_equal(recommendation_verify(f->db, &f->a, &chair, r.id,
					       "2026-05-07", "", today, &fp,
					       &e),
			 ERR_INVALID);
	fp.n = 0;
	assert_int_equal(recommendation_verify(
				 f->db, &f->a, &chair, r.id, "2026-05-06",
				 "Đã kiểm tra sổ theo dõi.", today, &fp, &e),
			 ERR_OK);
	assert_string_equal(text1(f,
				  "SELECT verified_on FROM recommendations "
				  "WHERE id = $1",
				  num(f, r.id)),
			    "2026-05-06");
	/* twice: refused */
	fp.n = 0;
	assert_int_equal(recommendation_verify(f->db, &f->a, &chair, r.id,
					       "2026-05-06", "", today, &fp,
					       &e),
			 ERR_INVALID);

	/* 10/05: found not fixed after all: reopened, the task goes back */
	setenv("QUANTRI_NOW", "2026-05-10T03:00:00Z", 1);
	fp.n = 0;
	assert_int_equal(recommendation_reopen(f->db, &f->a, &chair, r.id,
					       "Còn 2 hồ sơ chưa có phiếu.",
					       (struct date){2026, 5, 10}, &fp,
					       &e),
			 ERR_OK);
	assert_int_equal(task_get(f->db, &f->a, r.task_id, &t, &e), ERR_OK);
	assert_string_equal(t.status, "doing");
	assert_int_equal(t.progress, 0);
	assert_null(t.done_on);
	assert_null(text1(f,
			  "SELECT verified_on FROM recommendations WHERE id "
			  "= $1",
			  num(f, r.id)));
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM recommendation_events "
				"WHERE recommendation_id = $1",
				num(f, r.id)),
			 2);
	/* done again on 15/05 (the new done_on), verified on 15/05 */
	setenv("QUANTRI_NOW", "2026-05-15T03:00:00Z", 1);
	assert_int_equal(task_report(f->db, &f->a, &chair, r.task_id, "done",
				     100, "Đủ phiếu.", NULL, NULL, 0, &uid, &fp,
				     &e),
			 ERR_OK);
	fp.n = 0;
	assert_int_equal(
		recommendation_verify(f->db, &f->a, &chair, r.id, "2026-05-12",
				      "", (struct date){2026, 5, 15}, &fp, &e),
		ERR_INVALID);
	fp.n = 0;
	assert_int_equal(recommendation_verify(
				 f->db, &f->a, &chair, r.id, "2026-05-15",
				 "Đạt.", (struct date){2026, 5, 15}, &fp, &e),
			 ERR_OK);
}

/* Refusals change nothing: no recommendation, no task. */
static void test_refusals(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	setenv("QUANTRI_NOW", "2026-06-19T03:00:00Z", 1);
	struct inspection in = inspection_1(f);
	in.kind = "people_board";
	in.title = "Giám sát đường Thôn 3";
	in.from_on = "2026-06-15";
	in.to_on = "2026-06-19";
	assert_int_equal(inspection_save(f->db, &f->a, &chair, &in, &fp, &e),
			 ERR_OK);
	struct finding fi = {.inspection_id = in.id,
			     .text = "Chưa công khai quyết toán."};
	assert_int_equal(finding_add(f->db, &f->a, &chair, &fi, &fp, &e),
			 ERR_OK);
	long long recs = count(f, "recommendations"), tasks = count(f, "tasks");
	static const struct {
		int which; /* 0 other unit, 1 other plan, 2 too late for the
			      2024 plan, 3 due before the inspection */
		const char *field;
	} cases[] = {
		{0, "unit_id"}, {1, "plan_id"}, {2, "due_on"}, {3, "due_on"}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct recommendation r = {.finding_id = fi.id,
					   .text = "Công khai quyết toán.",
					   .unit_id = f->tai_chinh,
					   .due_on = "2026-08-31"};
		if (cases[i].which == 0)
			r.unit_id = f->other_unit;
		if (cases[i].which == 1)
			r.plan_id = f->other_plan;
		if (cases[i].which == 2)
			r.plan_id = f->plan_2024;
		if (cases[i].which == 3)
			r.due_on = "2026-06-14";
		struct field_problems p = {0};
		assert_int_equal(
			recommendation_add(f->db, &f->a, &chair, &r, &p, &e),
			ERR_INVALID);
		if (!has_field(&p, cases[i].field))
			fail_msg("case %zu: no problem with %s (%s)", i,
				 cases[i].field, p.n ? p.list[0].field : "-");
	}
	assert_int_equal(count(f, "recommendations"), recs);
	assert_int_equal(count(f, "tasks"), tasks);
	/* a village of another commune; a unit inspected of another */
	struct inspection bad = inspection_1(f);
	bad.unit_id = f->other_unit;
	fp.n = 0;
	long long before = count(f, "inspections");
	assert_int_equal(inspection_save(f->db, &f->a, &chair, &bad, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "unit_id"));
	bad = inspection_1(f);
	bad.village_ids[0] = f->tu_phap; /* a unit, not a village */
	fp.n = 0;
	assert_int_equal(inspection_save(f->db, &f->a, &chair, &bad, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "village_ids"));
	assert_int_equal(count(f, "inspections"), before);
	/* an edit keeps the kind */
	struct inspection ed = in;
	ed.kind = "front";
	fp.n = 0;
	assert_int_equal(inspection_save(f->db, &f->a, &chair, &ed, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "kind"));
}

static long long total(json_t *list)
{
	long long n = json_integer_value(json_object_get(list, "total"));
	json_decref(list);
	return n;
}

/* Filters combine; search ignores diacritics; another commune sees
 * nothing. Runs after the two tests above. */
static void test_lists(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	json_t *l;
	struct oversight_filter all = {.communes = &f->tien_tien,
				       .ncommunes = 1,
				       .page = 1,
				       .per_page = 20};
	assert_int_equal(inspection_list(f->db, &f->a, &all, &l, &e), ERR_OK);
	assert_int_equal(total(l), 2);
	static const struct {
		const char *kind, *dim, *from, *to, *state, *q;
		int village; /* 1: Thôn 3 */
		long long want;
	} cases[] = {
		{"inspection", NULL, NULL, NULL, NULL, NULL, 0, 1},
		{"people_board", NULL, NULL, NULL, NULL, NULL, 0, 1},
		{"front", NULL, NULL, NULL, NULL, NULL, 0, 0},
		{NULL, "D5", NULL, NULL, NULL, NULL, 0, 2},
		/* D2 is on the first inspection's finding only */
		{NULL, "D2", NULL, NULL, NULL, NULL, 0, 1},
		{NULL, "D7", NULL, NULL, NULL, NULL, 0, 0},
		{NULL, NULL, "2026-03-13", "2026-03-13", NULL, NULL, 0, 1},
		{NULL, NULL, "2026-03-14", "2026-06-14", NULL, NULL, 0, 0},
		{NULL, NULL, "2026-01-01", "2026-12-31", NULL, NULL, 1, 2},
		{NULL, NULL, NULL, NULL, "verified", NULL, 0, 1},
		{NULL, NULL, NULL, NULL, "open", NULL, 0, 0},
		{NULL, NULL, NULL, NULL, NULL, "mot cua", 0, 1},
		/* a finding's words, folded; đ -> d */
		{NULL, NULL, NULL, NULL, NULL, "CONG KHAI quyet toan", 0, 1},
		{NULL, NULL, NULL, NULL, NULL, "duong thon 3", 0, 1},
		{NULL, NULL, NULL, NULL, NULL, "100%", 0, 0},
		{"inspection", "D5", "2026-01-01", "2026-12-31", "verified",
		 "phieu xin loi", 1, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct oversight_filter flt = all;
		flt.kind = cases[i].kind;
		flt.dimension = cases[i].dim;
		flt.from = cases[i].from;
		flt.to = cases[i].to;
		flt.state = cases[i].state;
		flt.q = cases[i].q;
		flt.village_id = cases[i].village ? f->thon3 : 0;
		assert_int_equal(inspection_list(f->db, &f->a, &flt, &l, &e),
				 ERR_OK);
		long long n = total(l);
		if (n != cases[i].want)
			fail_msg("case %zu: %lld inspections, want %lld", i, n,
				 cases[i].want);
	}
	struct oversight_filter flt = all;
	flt.unit_id = f->tu_phap;
	assert_int_equal(recommendation_list(f->db, &f->a, &flt, &l, &e),
			 ERR_OK);
	assert_int_equal(total(l), 1);
	/* paging: one per page */
	flt = all;
	flt.per_page = 1;
	flt.page = 2;
	assert_int_equal(inspection_list(f->db, &f->a, &flt, &l, &e), ERR_OK);
	assert_int_equal(json_integer_value(json_object_get(l, "pages")), 2);
	assert_int_equal(json_array_size(json_object_get(l, "rows")), 1);
	json_decref(l);
	flt = all;
	flt.communes = &f->other_commune;
	assert_int_equal(inspection_list(f->db, &f->a, &flt, &l, &e), ERR_OK);
	assert_int_equal(total(l), 0);
	/* export: CSV with dd/mm/yyyy, XLSX a zip */
	unsigned char *bytes;
	size_t len;
	assert_int_equal(oversight_export(f->db, &f->a, &all,
					  OV_RECOMMENDATIONS, false, &bytes,
					  &len, &e),
			 ERR_OK);
	assert_true(strstr((char *)bytes, "30/04/2026") != NULL);
	assert_true(strstr((char *)bytes, "Đã xác nhận khắc phục") != NULL);
	assert_int_equal(oversight_export(f->db, &f->a, &all, OV_INSPECTIONS,
					  true, &bytes, &len, &e),
			 ERR_OK);
	assert_true(len > 4 && bytes[0] == 'P' && bytes[1] == 'K');
	json_t *sum;
	assert_int_equal(oversight_unit_summary(f->db, &f->a, &all,
						"2026-06-20", &sum, &e),
			 ERR_OK);
	assert_int_equal(json_array_size(sum), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(sum, 0), "verified")),
			 1);
	json_decref(sum);
}

static void test_demo(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	setenv("QUANTRI_NOW", "2026-11-27T03:00:00Z", 1);
	long long before = count(f, "inspections");
	assert_int_equal(oversight_demo_seed(f->db, &f->a, &e), ERR_OK);
	assert_int_equal(count(f, "inspections"), before + 3);
	assert_int_equal(oversight_demo_seed(f->db, &f->a, &e), ERR_OK);
	assert_int_equal(count(f, "inspections"), before + 3);
	/* each state is there */
	static const char *const states[] = {"open", "fixed", "verified"};
	for (int i = 0; i < 3; i++) {
		json_t *l;
		struct oversight_filter flt = {.communes = &f->tien_tien,
					       .ncommunes = 1,
					       .state = states[i]};
		assert_int_equal(
			recommendation_list(f->db, &f->a, &flt, &l, &e),
			ERR_OK);
		assert_true(total(l) >= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_demo),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
