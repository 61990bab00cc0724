/* The clocks as data (voice_settings_db.c) on a real database (SQLite
 * file, or PostgreSQL when QUANTRI_TEST_DB is a postgres:// URL): the CSV
 * export read back changes nothing; every bad row is named and nothing is
 * written; overlapping rules and a step left without a rule in force are
 * refused; an import replaces the whole set in one audited transaction,
 * new cases run on the new rule at once while a case received before
 * keeps the rule in force when its clock started. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "voice/voice.h"
#include "base/banned.h"

struct fixture {
	char dir[64], url[512], pg_name[64], key[128];
	struct db *db;
	struct arena a;
	long long tien_tien, topic_ha_tang, thon1;
};

static const char HEADER[] =
	"case_type,step,start_event,days,day_unit,days_complex,days_remote,"
	"days_remote_complex,extension_days,max_extensions,effective_from,"
	"effective_to,legal_basis,verified\n";

/* The shipped set, as rows after HEADER. */
static const char GOOD[] =
	"feedback,classify,received,5,working,,,,0,0,2021-01-01,,QĐ 31,1\n"
	"feedback,resolve,received,10,working,,,,0,0,2021-01-01,,UBND xã,0\n"
	"petition,classify,received,5,working,,,,0,0,2021-01-01,,QĐ 31,1\n"
	"petition,resolve,received,10,working,,,,0,0,2021-01-01,,UBND xã,0\n"
	"complaint,accept,received,10,working,,,,0,0,2012-07-01,,\"Luật "
	"Khiếu nại 2011, Điều 27\",0\n"
	"complaint,resolve,accepted,30,calendar,45,45,60,0,0,2012-07-01,,"
	"Điều 28,0\n"
	"denunciation,accept,received,7,working,10,,,0,0,2019-01-01,,Điều "
	"24,0\n"
	"denunciation,resolve,accepted,30,calendar,,,,30,2,2019-01-01,,Điều "
	"30,1\n";

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

static long long scalar(struct fixture *f, const char *sql, const char *arg)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(f->db, &f->a, sql, (const char *const[]){arg}, arg ? 1 : 0,
		    &r, &e))
		fail_msg("%s: %s", sql, e.msg);
	return r->nrows ? db_get_int(r, 0, r->names[0], -1) : -1;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error e = {0};
	setenv("QUANTRI_NOW", "2026-11-27T02:00:00Z", 1);
	snprintf(f->dir, sizeof f->dir, "/tmp/quantri-vrules-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (pg_url()) {
		const char *pg = pg_url();
		const char *slash = strrchr(pg, '/');
		const char *query = strchr(slash, '?');
		snprintf(f->pg_name, sizeof f->pg_name, "qt_vrules_%d",
			 (int)getpid());
		snprintf(f->url, sizeof f->url, "%.*s/%s%s", (int)(slash - pg),
			 pg, f->pg_name, query ? query : "");
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pg_name);
		admin_sql(sql);
	} else {
		snprintf(f->url, sizeof f->url, "%s/t.db", f->dir);
	}
	snprintf(f->key, sizeof f->key, "%s/secret.key", f->dir);
	arena_init(&f->a, 256 << 20);
	bool created;
	int added;
	if (identity_use_key_file(f->key, &e) || db_open(&f->db, f->url, &e) ||
	    db_migrate(f->db, &e) || demo_seed(f->db, &f->a, &created, &e) ||
	    calendar_db_seed(f->db, &f->a, &added, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	struct unit u;
	if (units_by_code(f->db, &f->a, "12424", "commune", "2025-07-01", &u,
			  &e))
		return -1;
	f->tien_tien = u.id;
	f->topic_ha_tang = scalar(
		f, "SELECT id FROM case_topics WHERE code = $1", "ha_tang");
	f->thon1 = scalar(f,
			  "SELECT id FROM units WHERE name = $1 AND parent_id "
			  "IS NOT NULL ORDER BY id LIMIT 1",
			  "Thôn 1");
	voice_clock_forget();
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
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm",
					    "secret.key"};
	char path[160];
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static const struct actor cli = {0, "cli", ""};

static struct date today(void)
{
	return (struct date){2026, 11, 27};
}

static void parse(struct fixture *f, const char *csv, struct case_rules *r,
		  struct problems *p)
{
	struct error e = {0};
	*p = (struct problems){0};
	assert_int_equal(voice_rules_parse_csv(&f->a, csv, strlen(csv), today(),
					       r, p, &e),
			 ERR_OK);
}

static char *cat(struct fixture *f, const char *rows)
{
	return arena_printf(&f->a, "%s%s", HEADER, rows);
}

static bool has(const struct problems *p, int line, const char *column,
		const char *words)
{
	for (int i = 0; i < p->kept; i++)
		if (p->list[i].line == line &&
		    !strcmp(p->list[i].column, column) &&
		    strstr(p->list[i].msg_en, words))
			return true;
	return false;
}

static char *export(struct fixture *f)
{
	struct case_rules r;
	struct error e = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal(voice_rules_load(f->db, &f->a, &r, &e), ERR_OK);
	assert_int_equal(voice_rules_write_csv(m, &r, &e), ERR_OK);
	fclose(m);
	char *s = arena_strdup(&f->a, buf);
	free(buf);
	return s;
}

static long long audits(struct fixture *f)
{
	return scalar(f, "SELECT COUNT(*) FROM audit_log WHERE action = $1",
		      "voice.rules_import");
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	char *before = export(f);
	assert_non_null(strstr(before, "\"Luật Khiếu nại 2011, Điều 27\""));
	struct case_rules r;
	struct problems p;
	parse(f, before, &r, &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(r.n, 8);
	long long n_audit = audits(f);
	assert_int_equal(voice_rules_replace(f->db, &f->a, &cli, &r, &e),
			 ERR_OK);
	assert_string_equal(export(f), before);
	assert_int_equal(audits(f), n_audit + 1);
	assert_int_equal(
		scalar(f,
		       "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND "
		       "before_json LIKE '%\"rules\":%8%' AND after_json LIKE "
		       "'%\"rules\":%8%'",
		       "voice.rules_import"),
		n_audit + 1);
}

static void test_bad_rows_named(void **state)
{
	struct fixture *f = *state;
	char *before = export(f);
	struct case_rules r;
	struct problems p;
	parse(f,
	      cat(f, "feedback,classify,received,5,working,,,,0,0,2021-01-01,"
		     ",x,1\n"
		     "gossip,resolve,received,5,working,,,,0,0,2021-01-01,,x,"
		     "0\n"
		     "complaint,classify,received,5,working,,,,0,0,2021-01-"
		     "01,,x,0\n"
		     "petition,resolve,received,5,weekly,,,,0,0,2021-01-01,,x,"
		     "0\n"
		     "petition,resolve,received,0,working,,,,0,0,2021-01-01,,"
		     "x,0\n"
		     "petition,resolve,received,2.5,working,x,,,0,0,2021-01-"
		     "01,,x,0\n"
		     "petition,resolve,received,5,working,,,,0,0,2021-01-01,"
		     "2021-01-01,x,0\n"
		     "petition,resolve,received,5,working,,,,0,0,2021-13-01,,"
		     "x,yes\n"),
	      &r, &p);
	assert_int_equal(r.n, 0);
	assert_true(has(&p, 3, "case_type", "unknown type \"gossip\""));
	assert_true(has(&p, 4, "step", "unknown step \"classify\""));
	assert_true(has(&p, 5, "day_unit", "unknown unit \"weekly\""));
	assert_true(has(&p, 6, "days", "not a positive integer"));
	assert_true(has(&p, 7, "days", "\"2.5\" is not a positive integer"));
	assert_true(has(&p, 7, "days_complex", "\"x\""));
	assert_true(has(&p, 8, "effective_to", "is not after effective_from"));
	assert_true(has(&p, 9, "effective_from", "is not a day"));
	assert_true(has(&p, 9, "verified", "not 0 or 1"));
	/* a type/step with no rule in force today */
	assert_true(has(&p, 0, "step", "complaint accept: no rule in force"));
	assert_true(has(&p, 0, "step", "feedback resolve: no rule in force"));
	assert_false(has(&p, 0, "step", "feedback classify: no rule in force"));
	/* a missing column, and a file that is not UTF-8 */
	parse(f, "case_type,step\nfeedback,classify\n", &r, &p);
	assert_true(has(&p, 1, "days", "missing column"));
	parse(f,
	      cat(f, "feedback,classify,received,5,working,,,,0,0,2021-"
		     "01-01,,Ph\xe1n \xe1nh,1\n"),
	      &r, &p);
	assert_true(p.n > 0);
	assert_int_equal(r.n, 0);
	assert_string_equal(export(f), before); /* nothing written */
}

static void test_overlap(void **state)
{
	struct fixture *f = *state;
	struct case_rules r;
	struct problems p;
	/* a rule ending the day the next begins: no overlap */
	parse(f,
	      cat(f, arena_printf(&f->a,
				  "%sfeedback,resolve,received,10,working,,,,"
				  "0,0,2020-01-01,2021-01-01,old,1\n",
				  GOOD)),
	      &r, &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(r.n, 9);
	/* two open-ended rules: both in force from 2026 */
	parse(f,
	      cat(f, arena_printf(&f->a,
				  "%sfeedback,resolve,received,12,working,,,,"
				  "0,0,2026-01-01,,new,0\n",
				  GOOD)),
	      &r, &p);
	assert_int_equal(r.n, 0);
	assert_true(has(&p, 10, "effective_from",
			"overlaps the rule from "
			"2021-01-01 on line 3"));
	/* a closed range inside another */
	parse(f,
	      cat(f, arena_printf(&f->a,
				  "%scomplaint,accept,received,15,working,,,,"
				  "0,0,2015-01-01,2016-01-01,x,0\n",
				  GOOD)),
	      &r, &p);
	assert_true(has(&p, 10, "effective_from", "overlaps"));
	/* the only rule ended before today: nothing in force */
	char *ended = cat(
		f, arena_printf(&f->a, "%s",
				GOOD + strlen("feedback,classify,received,5,"
					      "working,,,,0,0,2021-01-01,,QĐ "
					      "31,1\n")));
	ended = arena_printf(&f->a,
			     "%sfeedback,classify,received,5,working,,,,0,0,"
			     "2021-01-01,2026-11-27,x,1\n",
			     ended);
	parse(f, ended, &r, &p);
	assert_true(has(&p, 0, "step",
			"feedback classify: no rule in force today"));
}

/* An import replaces the set; a case received before keeps its rule, a
 * new case runs on the new one at once (the cache forgets). */
static void test_replace_and_due_dates(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	const char *secret;
	setenv("QUANTRI_NOW", "2026-11-26T02:00:00Z", 1);
	struct voice_case old = {.commune_id = f->tien_tien,
				 .case_type = "feedback",
				 .channel = "online",
				 .topic_id = f->topic_ha_tang,
				 .title = "Đèn đường hỏng",
				 .body = "Đèn đường đầu thôn hỏng ba tuần nay.",
				 .lat = NAN,
				 .lon = NAN};
	assert_int_equal(case_create(f->db, &f->a, NULL, &old, NULL, 0, &secret,
				     &fp, &e),
			 ERR_OK);
	/* Thursday 26/11: 5 working days on */
	assert_string_equal(old.due_on, "2026-12-03");
	setenv("QUANTRI_NOW", "2026-11-27T02:00:00Z", 1);
	struct case_rules r;
	struct problems p;
	parse(f,
	      cat(f, arena_printf(&f->a, "%s%s",
				  "feedback,classify,received,5,working,,,,0,"
				  "0,2021-01-01,2026-11-27,QĐ 31,1\n"
				  "feedback,classify,received,8,working,,,,0,"
				  "0,2026-11-27,,QĐ mới,1\n",
				  GOOD + strlen("feedback,classify,received,5,"
						"working,,,,0,0,2021-01-01,,"
						"QĐ 31,1\n"))),
	      &r, &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(r.n, 9);
	assert_int_equal(voice_rules_replace(f->db, &f->a, &cli, &r, &e),
			 ERR_OK);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM case_rules", NULL), 9);
	struct voice_case neu = old;
	neu.id = 0;
	neu.code = NULL;
	neu.due_on = neu.received_on = NULL;
	assert_int_equal(case_create(f->db, &f->a, NULL, &neu, NULL, 0, &secret,
				     &fp, &e),
			 ERR_OK);
	/* Friday 27/11: 8 working days on */
	assert_string_equal(neu.due_on, "2026-12-09");
	/* the old case keeps the rule in force the day its clock started */
	struct case_rules now;
	struct calendar cal;
	assert_int_equal(voice_clock_context(f->db, &f->a, &now, &cal, &e),
			 ERR_OK);
	const struct case_rule *kept = case_rule_find(
		&now, "feedback", "classify", (struct date){2026, 11, 26});
	assert_non_null(kept);
	assert_int_equal(kept->days, 5);
	char due[11];
	date_format_iso(
		case_due(kept, &cal, (struct date){2026, 11, 26}, 0, false, 0),
		due);
	assert_string_equal(due, "2026-12-03");
	struct voice_case again;
	assert_int_equal(case_get(f->db, &f->a, old.id, &again, &e), ERR_OK);
	assert_string_equal(again.due_on, "2026-12-03");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_rows_named),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_replace_and_due_dates),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
