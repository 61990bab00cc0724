/* report_figures and report_province_figures on a real database (SQLite
 * file, or PostgreSQL when QUANTRI_TEST_DB is a postgres:// URL) holding
 * the whole demo (quantri init --demo: the commune, its plan, cases,
 * disclosures, outreach, inspections and its survey round): every figure
 * equals what the capability's own function (the one its page and /api
 * twin call) gives for the same span; a commune without a survey, a
 * period with no data and an empty period give figures that say so, and
 * a document is built from each. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "report/report.h"
#include "base/clock.h"
#include "disclosure/disclosure.h"
#include "index/demo_round.h"
#include "index/papi.h"
#include "index/results.h"
#include "outreach/outreach.h"
#include "oversight/oversight.h"
#include "plan/plan_db.h"
#include "plan/plan_views.h"
#include "voice/voice.h"
#include "base/banned.h"

struct fixture {
	char dir[64], url[512], pg_name[64];
	struct db *db;
	struct arena a;
	long long tien_tien, other, round;
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

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error e = {0};
	setenv("QUANTRI_NOW", "2026-03-13T02:00:00Z", 1);
	snprintf(f->dir, sizeof f->dir, "/tmp/quantri-rf-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (pg_url()) {
		const char *pg = pg_url();
		const char *slash = strrchr(pg, '/');
		const char *query = strchr(slash, '?');
		snprintf(f->pg_name, sizeof f->pg_name, "qt_rf_%d",
			 (int)getpid());
		snprintf(f->url, sizeof f->url, "%.*s/%s%s", (int)(slash - pg),
			 pg, f->pg_name, query ? query : "");
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pg_name);
		admin_sql(sql);
	} else {
		snprintf(f->url, sizeof f->url, "%s/t.db", f->dir);
	}
	arena_init(&f->a, 1024 << 20);
	bool created;
	int added, cat, off, n;
	if (db_open(&f->db, f->url, &e) || db_migrate(f->db, &e) ||
	    demo_seed(f->db, &f->a, &created, &e) ||
	    papi_seed(f->db, &f->a, true, &cat, &off, &e) ||
	    calendar_db_seed(f->db, &f->a, &added, &e) ||
	    demo_round_seed(f->db, &f->a, DEMO_ROUND_SEED, &f->round, &n,
			    &created, &e) ||
	    plan_demo_seed(f->db, &f->a, &e) ||
	    voice_demo_seed(f->db, &f->a, &e) ||
	    disc_demo_seed(f->db, &f->a, &e) ||
	    outreach_demo_seed(f->db, &f->a, &e) ||
	    oversight_demo_seed(f->db, &f->a, &e)) {
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
	f->other = u.id;
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

static json_t *figures(struct fixture *f, long long commune, const char *from,
		       const char *to)
{
	json_t *o;
	struct error e = {0};
	if (report_figures(f->db, &f->a, commune, from, to, &o, &e))
		fail_msg("figures %s..%s: %s", from, to, e.msg);
	return o;
}

static long long I(const json_t *o, const char *path)
{
	/* "plan.due": one level of nesting is enough here */
	char head[64];
	const char *dot = strchr(path, '.');
	if (dot) {
		snprintf(head, sizeof head, "%.*s", (int)(dot - path), path);
		o = json_object_get(o, head);
		path = dot + 1;
	}
	const json_t *v = json_object_get(o, path);
	if (!json_is_integer(v))
		fail_msg("%s: not an integer", path);
	return (long long)json_integer_value(v);
}

static const char *const parts[] = {"papi",       "plan",     "voice",
				    "disclosure", "outreach", "oversight"};

/* Every part is there, with a note when it has nothing. */
static void assert_shape(const json_t *fig)
{
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		const json_t *p = json_object_get(fig, parts[i]);
		if (!json_is_object(p))
			fail_msg("part %s missing", parts[i]);
		if (!json_object_get(p, "note"))
			fail_msg("part %s: no note key", parts[i]);
	}
	assert_true(json_is_array(
		json_object_get(json_object_get(fig, "papi"), "dimensions")));
	assert_true(json_is_array(
		json_object_get(json_object_get(fig, "plan"), "by_unit")));
}

static json_t *build(struct fixture *f, const json_t *fig, enum report_kind k,
		     long long plan)
{
	struct report_spec s = {.kind = k,
				.year = 2026,
				.no = 1,
				.plan_id = plan,
				.number_text = "",
				.issued_on = "2026-03-16",
				.place = "Tiên Tiến",
				.issuer = "ỦY BAN NHÂN DÂN\nXÃ TIÊN TIẾN",
				.sign_mode = "TM.",
				.signer_title = "CHỦ TỊCH",
				.signer_name = "Nguyễn Văn A",
				.recipients = "UBND tỉnh Hưng Yên;\nLưu: VT, "
					      "VP."};
	json_t *doc;
	struct error e = {0};
	if (report_build(&f->a, &s, fig, &doc, &e))
		fail_msg("build: %s", e.msg);
	return doc;
}

/* The voice part equals voice_stats (GET /api/voice/stats) for the same
 * span, by type too. */
static void test_voice(void **state)
{
	struct fixture *f = *state;
	const char *from = "2026-01-01", *to = "2026-03-31";
	json_t *fig = figures(f, f->tien_tien, from, to), *st;
	struct error e = {0};
	assert_int_equal(
		voice_stats(f->db, &f->a, &f->tien_tien, 1, from, to, &st, &e),
		ERR_OK);
	assert_true(I(st, "total") > 0); /* the demo has cases */
	assert_int_equal(I(fig, "voice.received"), I(st, "total"));
	assert_int_equal(I(fig, "voice.answered"), I(st, "answered"));
	assert_int_equal(I(fig, "voice.on_time"), I(st, "on_time"));
	assert_int_equal(I(fig, "voice.overdue"), I(st, "overdue"));
	const json_t *bt = json_object_get(json_object_get(fig, "voice"),
					   "by_type"),
		     *st_bt = json_object_get(st, "by_type");
	assert_int_equal(json_array_size(bt), json_array_size(st_bt));
	for (size_t i = 0; i < json_array_size(bt); i++) {
		const json_t *x = json_array_get(bt, i),
			     *y = json_array_get(st_bt, i);
		assert_string_equal(
			json_string_value(json_object_get(x, "type")),
			json_string_value(json_object_get(y, "case_type")));
		assert_int_equal(I(x, "received"), I(y, "total"));
		assert_int_equal(I(x, "overdue"), I(y, "overdue"));
	}
	assert_true(json_is_null(
		json_object_get(json_object_get(fig, "voice"), "note")));
	json_decref(st);
	json_decref(fig);
}

/* The plan part equals the scorecard's rows (GET /plan/scorecard) for
 * the same period; the totals are the sum of the units. */
static void test_plan(void **state)
{
	struct fixture *f = *state;
	const char *from = "2026-01-01", *to = "2026-12-31";
	json_t *fig = figures(f, f->tien_tien, from, to);
	struct calendar cal;
	struct urgency u;
	struct error e = {0};
	calendar_init(&cal);
	assert_int_equal(calendar_db_load(f->db, &f->a, &cal, &e), ERR_OK);
	urgency_init(&u, &cal, clock_today_vn());
	struct scorecard_period p;
	const char *why;
	assert_true(scorecard_period_parse(from, to, u.today, &p, &why));
	struct pv_filter pf = {
		.communes = &f->tien_tien, .ncommunes = 1, .u = &u};
	struct scorecard_row *rows;
	int n;
	assert_int_equal(pvdb_scorecard(f->db, &f->a, &pf, &p, "unit", &rows,
					&n, NULL, &e),
			 ERR_OK);
	struct scorecard_counts tot = {0};
	for (int i = 0; i < n; i++)
		scorecard_add(&tot, &rows[i].c);
	const json_t *plan = json_object_get(fig, "plan");
	assert_true(tot.due > 0);
	assert_int_equal(I(plan, "due"), tot.due);
	assert_int_equal(I(plan, "done_on_time"), tot.on_time);
	assert_int_equal(I(plan, "done_late"), tot.late);
	assert_int_equal(I(plan, "overdue"), tot.overdue);
	assert_int_equal(I(plan, "open"), tot.pending);
	assert_int_equal(I(plan, "requests"), tot.requests);
	const json_t *bu = json_object_get(plan, "by_unit");
	assert_int_equal((int)json_array_size(bu), n);
	for (int i = 0; i < n; i++) {
		const json_t *x = json_array_get(bu, (size_t)i);
		assert_int_equal(I(x, "unit_id"), rows[i].key);
		assert_int_equal(I(x, "overdue"), rows[i].c.overdue);
	}
	/* the late list holds exactly the overdue tasks due in the period
	 * (and those done late) */
	int overdue = 0, late = 0;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(plan, "late"), i, t)
	{
		const char *s = json_string_value(json_object_get(t, "status"));
		overdue += !strcmp(s, "overdue");
		late += !strcmp(s, "done_late");
	}
	assert_int_equal(overdue, tot.overdue);
	assert_int_equal(late, tot.late);
	/* the demo plan is listed, with its targets */
	assert_true(json_array_size(json_object_get(plan, "plans")) >= 1);
	calendar_release(&cal);
	/* a plan report and a periodic report build from these figures */
	long long pid =
		I(json_array_get(json_object_get(plan, "plans"), 0), "id");
	json_t *doc = build(f, fig, REPORT_PLAN, pid);
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(doc, "blocks"), 1),
			"text")),
		"I. KẾT QUẢ THỰC HIỆN THEO LĨNH VỰC");
	json_decref(doc);
	json_decref(fig);
}

/* PAPI equals the results page of the demo round: the commune's own
 * estimate per dimension with its CI; no tier (its own round ranks its
 * villages, not the commune), saying why; the province's official. */
static void test_papi(void **state)
{
	struct fixture *f = *state;
	json_t *fig = figures(f, f->tien_tien, "2026-01-01", "2026-12-31");
	struct results r;
	struct error e = {0};
	assert_int_equal(results_compute(f->db, &f->a, f->round, &r, &e),
			 ERR_OK);
	assert_true(r.interviews > 0);
	const json_t *p = json_object_get(fig, "papi");
	assert_string_equal(json_string_value(json_object_get(p, "source")),
			    "estimate");
	assert_int_equal(I(p, "year"), r.cx.round.year);
	assert_int_equal(I(p, "round_id"), f->round);
	assert_true(json_is_string(json_object_get(p, "tier_note")));
	const json_t *dims = json_object_get(p, "dimensions");
	assert_int_equal(json_array_size(dims), 8);
	int checked = 0;
	for (int d = 0; d < r.ndim; d++) {
		const char *code = r.cx.cat.dimensions[r.dim_cat[d]].code;
		int m = code[1] - '1';
		const json_t *x = json_array_get(dims, (size_t)m);
		assert_string_equal(
			json_string_value(json_object_get(x, "code")), code);
		const struct score_value *v = &r.dim[d];
		if (v->reason != SCORE_OK) {
			assert_true(json_is_null(json_object_get(x, "score")));
			continue;
		}
		assert_float_equal(json_real_value(json_object_get(x, "score")),
				   v->value, 1e-9);
		assert_float_equal(json_real_value(json_object_get(x, "lo")),
				   v->ci_low, 1e-9);
		assert_float_equal(json_real_value(json_object_get(x, "hi")),
				   v->ci_high, 1e-9);
		assert_true(json_is_null(json_object_get(x, "tier")));
		/* the province's official result (Hưng Yên, 2022) */
		assert_true(json_is_real(json_object_get(x, "province")));
		checked++;
	}
	assert_true(checked > 0);
	const json_t *tot = json_object_get(p, "total");
	if (r.total[0].reason == SCORE_OK)
		assert_float_equal(
			json_real_value(json_object_get(tot, "score")),
			r.total[0].value, 1e-9);
	/* the document's part V: a table with the CIs, a radar */
	json_t *doc = build(f, fig, REPORT_QUARTERLY, 0);
	const char *dump = getenv("REPORT_DUMP"); /* to look at it */
	if (dump) {
		json_t *both =
			json_pack("{s:O, s:O}", "figures", fig, "doc", doc);
		json_dump_file(both, dump, JSON_INDENT(1));
		json_decref(both);
	}
	const json_t *blocks = json_object_get(doc, "blocks");
	bool radar = false, heading = false;
	size_t i;
	json_t *b;
	json_array_foreach(blocks, i, b)
	{
		const char *type =
			json_string_value(json_object_get(b, "type"));
		if (!strcmp(type, "chart") &&
		    !strcmp(json_string_value(json_object_get(b, "chart")),
			    "radar")) {
			radar = true;
			/* this year and the province */
			assert_true(json_array_size(
					    json_object_get(b, "series")) >= 2);
		}
		if (!strcmp(type, "heading") &&
		    !strcmp(json_string_value(json_object_get(b, "text")),
			    "V. CHỈ SỐ PAPI CỦA XÃ"))
			heading = true;
	}
	assert_true(radar);
	assert_true(heading);
	json_decref(doc);
	json_decref(fig);
}

/* Disclosure equals the register on the period's last day; outreach the
 * coverage's gaps; oversight the open recommendations. */
static void test_other_parts(void **state)
{
	struct fixture *f = *state;
	/* the year: the demo's inspections run to September; the register
	 * is read on today, the period's last day being later */
	const char *from = "2026-01-01", *to = "2026-12-31";
	json_t *fig = figures(f, f->tien_tien, from, to), *reg, *cov, *recs;
	struct error e = {0};
	struct date today = clock_today_vn();
	assert_int_equal(disc_register(f->db, &f->a, f->tien_tien, 2026, NULL,
				       today, &reg, &e),
			 ERR_OK);
	assert_int_equal(I(fig, "disclosure.missing"), I(reg, "missing"));
	assert_int_equal(I(fig, "disclosure.late"), I(reg, "due"));
	assert_int_equal(I(fig, "disclosure.faulty"),
			 I(reg, "problem_records"));
	struct outreach_period op;
	const char *en, *vi;
	assert_true(outreach_period_make(0, from, to, today, &op, &en, &vi));
	struct outreach_filter of = {.communes = &f->tien_tien, .ncommunes = 1};
	assert_int_equal(outreach_coverage(f->db, &f->a, f->tien_tien, &of, &op,
					   &cov, &e),
			 ERR_OK);
	const json_t *gaps = json_object_get(cov, "gaps"),
		     *fg = json_object_get(json_object_get(fig, "outreach"),
					   "gaps");
	assert_int_equal(json_array_size(fg), json_array_size(gaps));
	for (size_t i = 0; i < json_array_size(gaps); i++)
		assert_int_equal(
			json_array_size(json_object_get(json_array_get(fg, i),
							"villages_missed")),
			json_array_size(json_object_get(json_array_get(gaps, i),
							"villages")));
	struct oversight_filter ov = {.communes = &f->tien_tien,
				      .ncommunes = 1,
				      .to = to,
				      .state = "open",
				      .page = 1};
	assert_int_equal(recommendation_list(f->db, &f->a, &ov, &recs, &e),
			 ERR_OK);
	assert_int_equal(I(fig, "oversight.open_recommendations"),
			 I(recs, "total"));
	assert_true(I(fig, "oversight.open_findings") > 0);
	assert_true(I(fig, "oversight.open_findings") <= I(recs, "total"));
	json_decref(reg);
	json_decref(cov);
	json_decref(recs);
	json_decref(fig);
}

/* A commune without a survey, a plan or a case: every part present and
 * saying why; the document says so in words. */
static void test_no_survey(void **state)
{
	struct fixture *f = *state;
	json_t *fig = figures(f, f->other, "2026-01-01", "2026-03-31");
	assert_shape(fig);
	const json_t *p = json_object_get(fig, "papi");
	assert_true(json_is_null(json_object_get(p, "source")));
	assert_non_null(strstr(json_string_value(json_object_get(p, "note")),
			       "chưa có kết quả khảo sát"));
	assert_int_equal(I(fig, "plan.due"), 0);
	assert_int_equal(I(fig, "voice.received"), 0);
	assert_true(json_is_string(
		json_object_get(json_object_get(fig, "plan"), "note")));
	json_t *doc = build(f, fig, REPORT_QUARTERLY, 0);
	char *text = json_dumps(doc, 0);
	assert_non_null(strstr(text, "chưa có kết quả khảo sát"));
	assert_non_null(strstr(text, "Không tiếp nhận phản ánh"));
	free(text);
	json_decref(doc);
	json_decref(fig);
}

/* A period with no data (2019) and an empty one (from after to). */
static void test_empty(void **state)
{
	struct fixture *f = *state;
	json_t *fig = figures(f, f->tien_tien, "2019-01-01", "2019-03-31");
	assert_shape(fig);
	assert_int_equal(I(fig, "plan.due"), 0);
	assert_int_equal(I(fig, "voice.received"), 0);
	assert_int_equal(I(fig, "outreach.activities"), 0);
	json_t *doc = build(f, fig, REPORT_QUARTERLY, 0);
	assert_non_null(doc);
	json_decref(doc);
	json_decref(fig);

	fig = figures(f, f->tien_tien, "2026-03-31", "2026-01-01");
	assert_shape(fig);
	assert_non_null(strstr(json_string_value(json_object_get(
				       json_object_get(fig, "voice"), "note")),
			       "không có ngày nào"));
	doc = build(f, fig, REPORT_MONTHLY, 0);
	json_decref(doc);
	json_decref(fig);

	/* not dates, not a commune: errors, not figures */
	json_t *o;
	struct error e = {0};
	assert_int_equal(report_figures(f->db, &f->a, f->tien_tien, "2026-1-1",
					"2026-03-31", &o, &e),
			 ERR_INVALID);
	assert_int_equal(report_figures(f->db, &f->a, 999999, "2026-01-01",
					"2026-03-31", &o, &e),
			 ERR_NOTFOUND);
}

/* The province's table: the same counts as each commune's figures for
 * the year, its PAPI from the commune's round, tiers among the communes
 * compared. */
static void test_province(void **state)
{
	struct fixture *f = *state;
	long long ids[2] = {f->other, f->tien_tien};
	json_t *pf, *fig = figures(f, f->tien_tien, "2026-01-01", "2026-12-31");
	struct error e = {0};
	assert_int_equal(
		report_province_figures(f->db, &f->a, ids, 2, 2026, &pf, &e),
		ERR_OK);
	const json_t *cs = json_object_get(pf, "communes");
	assert_int_equal(json_array_size(cs), 2);
	const json_t *tt = NULL, *ot = NULL;
	for (size_t i = 0; i < 2; i++) {
		const json_t *c = json_array_get(cs, i);
		if (I(c, "id") == f->tien_tien)
			tt = c;
		else
			ot = c;
	}
	assert_non_null(tt);
	assert_non_null(ot);
	assert_int_equal(I(tt, "overdue_tasks"), I(fig, "plan.overdue"));
	assert_int_equal(I(tt, "cases_overdue"), I(fig, "voice.overdue"));
	assert_int_equal(I(tt, "open_findings"),
			 I(fig, "oversight.open_findings"));
	json_t *reg;
	assert_int_equal(disc_register(f->db, &f->a, f->tien_tien, 2026, NULL,
				       clock_today_vn(), &reg, &e),
			 ERR_OK);
	assert_int_equal(I(tt, "disclosures_missing"), I(reg, "missing"));
	json_decref(reg);
	const json_t *ft =
		json_object_get(json_object_get(fig, "papi"), "total");
	const json_t *pt = json_object_get(tt, "total");
	if (json_is_real(json_object_get(ft, "score"))) {
		assert_float_equal(
			json_real_value(json_object_get(pt, "score")),
			json_real_value(json_object_get(ft, "score")), 1e-9);
		/* alone with a score: at or above every cut, the top tier */
		assert_string_equal(
			json_string_value(json_object_get(pt, "tier")), "Cao");
	}
	assert_true(json_is_null(
		json_object_get(json_object_get(ot, "total"), "score")));
	assert_int_equal(I(ot, "overdue_tasks"), 0);
	json_decref(pf);
	json_decref(fig);

	/* no communes: an empty table */
	assert_int_equal(
		report_province_figures(f->db, &f->a, NULL, 0, 2026, &pf, &e),
		ERR_OK);
	assert_int_equal(json_array_size(json_object_get(pf, "communes")), 0);
	json_decref(pf);
}

/* A commune's round scores are kept between province tables under a mark
 * of the round's data: a change to its interviews' weights, made behind
 * every writer (no audit row, no updated_at), shows in the next table,
 * equal to the commune's own figures computed afresh. */
static void test_province_follows_round(void **state)
{
	struct fixture *f = *state;
	long long ids[1] = {f->tien_tien};
	json_t *pf;
	struct error e = {0};
	assert_int_equal(
		report_province_figures(f->db, &f->a, ids, 1, 2026, &pf, &e),
		ERR_OK);
	const json_t *t = json_object_get(
		json_array_get(json_object_get(pf, "communes"), 0), "total");
	if (!json_is_real(json_object_get(t, "score")))
		skip(); /* the demo round scores no total */
	double before = json_real_value(json_object_get(t, "score"));
	json_decref(pf);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "UPDATE interviews SET weight = COALESCE(weight, 1) * 4 WHERE "
		 "round_id = %lld AND id %% 3 = 0",
		 f->round);
	assert_int_equal(db_exec(f->db, &f->a, sql, NULL, 0, NULL, &e), ERR_OK);
	assert_int_equal(
		report_province_figures(f->db, &f->a, ids, 1, 2026, &pf, &e),
		ERR_OK);
	t = json_object_get(json_array_get(json_object_get(pf, "communes"), 0),
			    "total");
	double after = json_real_value(json_object_get(t, "score"));
	assert_true(fabs(after - before) > 1e-9);
	json_t *fig = figures(f, f->tien_tien, "2026-01-01", "2026-12-31");
	assert_float_equal(
		after,
		json_real_value(json_object_get(
			json_object_get(json_object_get(fig, "papi"), "total"),
			"score")),
		1e-9);
	json_decref(fig);
	json_decref(pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_voice),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_papi),
		cmocka_unit_test(test_other_parts),
		cmocka_unit_test(test_no_survey),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_province),
		cmocka_unit_test(test_province_follows_round),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
