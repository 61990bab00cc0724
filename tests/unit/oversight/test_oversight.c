/* oversight.c's rules, table-driven on real dates: who records which
 * kind, the checks of an inspection, a finding and a recommendation, a
 * recommendation's state, when it may be verified or reopened, and the
 * remedial task's title and start. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "oversight/oversight.h"
#include "base/text.h"
#include "base/banned.h"

static struct date d(int y, int m, int day)
{
	return (struct date){y, m, day};
}

static bool has_field(const struct field_problems *fp, const char *field)
{
	for (int i = 0; i < fp->n; i++)
		if (!strcmp(fp->list[i].field, field))
			return true;
	return false;
}

static void test_kinds_and_roles(void **state)
{
	(void)state;
	static const struct {
		const char *kind;
		unsigned roles;
		bool may;
	} cases[] = {
		{"inspection", ROLE_CHAIR, true},
		{"inspection", ROLE_VICE_CHAIR, true},
		{"inspection", ROLE_OFFICE, true},
		{"inspection", ROLE_INSPECTION, false},
		{"inspection", ROLE_FRONT, false},
		{"inspection", ROLE_UNIT_HEAD, false},
		{"people_board", ROLE_INSPECTION, true},
		{"people_board", ROLE_CHAIR, false},
		{"investment_board", ROLE_INSPECTION, true},
		{"investment_board", ROLE_FRONT, false},
		{"front", ROLE_FRONT, true},
		{"front", ROLE_INSPECTION, false},
		{"front", ROLE_OFFICE, false},
		{"front", ROLE_UPPER, false},
		{"audit", ROLE_CHAIR, false},
		{NULL, ROLE_CHAIR, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (oversight_can_record(cases[i].roles, cases[i].kind) !=
		    cases[i].may)
			fail_msg("case %zu: %s by %u", i,
				 cases[i].kind ? cases[i].kind : "(null)",
				 cases[i].roles);
	}
	assert_string_equal(oversight_kind_label_vi("people_board"),
			    "Giám sát của Ban Thanh tra nhân dân");
	assert_null(oversight_kind_label_vi("x"));
	assert_true(oversight_records_any(ROLE_FRONT));
	assert_false(oversight_records_any(ROLE_UNIT_HEAD | ROLE_UPPER |
					   ROLE_VILLAGE_HEAD));
}

static void test_inspection_validate(void **state)
{
	(void)state;
	struct inspection ok = {.kind = "inspection",
				.title = "Kiểm tra Bộ phận Một cửa",
				.from_on = "2026-03-09",
				.to_on = "2026-03-13",
				.links = {"D5", "D5:5.2.1"},
				.nlinks = 2};
	struct field_problems fp = {0};
	assert_true(inspection_validate(&ok, &fp));
	assert_int_equal(fp.n, 0);
	/* one wrong thing at a time: the field named */
	struct {
		struct inspection in;
		const char *field;
	} bad[] = {
		{ok, "kind"},  {ok, "title"}, {ok, "from_on"},
		{ok, "to_on"}, {ok, "to_on"}, {ok, "links"},
		{ok, "links"}, {ok, "to_on"}, {ok, "title"},
	};
	bad[0].in.kind = "audit";
	bad[1].in.title = "  \n";
	bad[2].in.from_on = "2026-02-30"; /* no such day */
	bad[3].in.to_on = "13/03/2026";   /* the storage takes ISO only */
	bad[4].in.to_on = "2026-03-08";   /* before from_on */
	bad[5].in.links[1] = "D9";
	bad[6].in.links[1] = "D5:6.1"; /* an indicator of another dimension */
	bad[7].in.to_on = "2101-01-01";
	char longtitle[600];
	memset(longtitle, 'a', sizeof longtitle - 1);
	longtitle[sizeof longtitle - 1] = 0;
	bad[8].in.title = longtitle;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct field_problems p = {0};
		if (inspection_validate(&bad[i].in, &p) ||
		    !has_field(&p, bad[i].field))
			fail_msg("bad %zu: expected a problem with %s", i,
				 bad[i].field);
	}
	/* a one-day inspection is fine */
	struct inspection one = ok;
	one.to_on = one.from_on;
	assert_true(inspection_validate(&one, NULL));
}

static void test_finding_and_recommendation(void **state)
{
	(void)state;
	struct finding f = {
		.text = "Chưa niêm yết thủ tục.", .links = {"D2"}, .nlinks = 1};
	assert_true(finding_validate(&f, NULL));
	f.text = "";
	assert_false(finding_validate(&f, NULL));
	static const struct {
		const char *text, *due, *from;
		long long unit;
		const char *field; /* NULL: accepted */
	} recs[] = {
		{"Cập nhật bảng niêm yết.", "2026-04-30", "2026-03-09", 5,
		 NULL},
		/* due the day the inspection began: accepted */
		{"Cập nhật.", "2026-03-09", "2026-03-09", 5, NULL},
		{"Cập nhật.", "2026-03-08", "2026-03-09", 5, "due_on"},
		{"Cập nhật.", "31/04/2026", "2026-03-09", 5, "due_on"},
		{"Cập nhật.", "2026-04-31", "2026-03-09", 5, "due_on"},
		{"", "2026-04-30", "2026-03-09", 5, "text"},
		{"Cập nhật.", "2026-04-30", "2026-03-09", 0, "unit_id"},
	};
	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++) {
		struct recommendation r = {.text = recs[i].text,
					   .due_on = recs[i].due,
					   .unit_id = recs[i].unit};
		struct field_problems p = {0};
		bool ok = recommendation_validate(&r, recs[i].from, &p);
		if (ok != (recs[i].field == NULL) ||
		    (recs[i].field && !has_field(&p, recs[i].field)))
			fail_msg("rec %zu", i);
	}
}

static void test_state(void **state)
{
	(void)state;
	static const struct {
		const char *verified_on, *task_status;
		enum rec_state want;
	} cases[] = {
		{NULL, "todo", REC_OPEN},
		{NULL, "doing", REC_OPEN},
		{NULL, "cancelled", REC_OPEN},
		{NULL, "done", REC_FIXED},
		{"", "done", REC_FIXED},
		{"2026-05-06", "done", REC_VERIFIED},
		/* verified stays verified until reopened, whatever the task */
		{"2026-05-06", "doing", REC_VERIFIED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_int_equal(rec_state_of(cases[i].verified_on,
					      cases[i].task_status),
				 cases[i].want);
	enum rec_state s;
	assert_true(rec_state_from_key("fixed", &s));
	assert_int_equal(s, REC_FIXED);
	assert_false(rec_state_from_key("closed", &s));
	assert_string_equal(rec_state_label_vi(REC_FIXED),
			    "Đã khắc phục, chờ xác nhận");
}

static void test_verify(void **state)
{
	(void)state;
	struct date today = d(2026, 5, 6);
	static const struct {
		const char *verified_on, *status, *done_on, *on;
		const char *field; /* NULL: may verify */
	} cases[] = {
		/* the task reported done on 27/04, verified on 06/05 */
		{NULL, "done", "2026-04-27", "2026-05-06", NULL},
		/* the same day it was done */
		{NULL, "done", "2026-04-27", "2026-04-27", NULL},
		/* the day before it was done */
		{NULL, "done", "2026-04-27", "2026-04-26", "verified_on"},
		/* tomorrow */
		{NULL, "done", "2026-04-27", "2026-05-07", "verified_on"},
		{NULL, "done", "2026-04-27", "06/05/2026", "verified_on"},
		/* refused: the task is not done */
		{NULL, "doing", NULL, "2026-05-06", "state"},
		{NULL, "todo", NULL, "2026-05-06", "state"},
		{NULL, "cancelled", NULL, "2026-05-06", "state"},
		/* refused: verified already */
		{"2026-05-01", "done", "2026-04-27", "2026-05-06", "state"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct field_problems p = {0};
		bool ok = rec_verify_check(cases[i].verified_on,
					   cases[i].status, cases[i].done_on,
					   cases[i].on, today, "", &p);
		if (ok != (cases[i].field == NULL) ||
		    (cases[i].field && !has_field(&p, cases[i].field)))
			fail_msg("verify case %zu", i);
	}
}

static void test_reopen(void **state)
{
	(void)state;
	static const struct {
		const char *verified_on, *status, *note;
		const char *field;
	} cases[] = {
		{NULL, "done", "Bảng niêm yết vẫn thiếu 3 thủ tục.", NULL},
		{"2026-05-06", "done", "Kiểm tra lại chưa đạt.", NULL},
		{NULL, "doing", "Chưa xong.", "state"},
		{NULL, "done", "  ", "note"},
		{NULL, "done", NULL, "note"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct field_problems p = {0};
		bool ok = rec_reopen_check(cases[i].verified_on,
					   cases[i].status, cases[i].note, &p);
		if (ok != (cases[i].field == NULL) ||
		    (cases[i].field && !has_field(&p, cases[i].field)))
			fail_msg("reopen case %zu", i);
	}
}

static void test_task_title_and_start(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1 << 20);
	assert_string_equal(rec_task_title(&a, "  Cập nhật bảng niêm yết. "),
			    "Khắc phục: Cập nhật bảng niêm yết.");
	/* 300 × "ệ" (3 bytes): cut on a character, within 500 bytes */
	char longtext[901];
	for (int i = 0; i < 300; i++)
		memcpy(longtext + i * 3, "\xe1\xbb\x87", 3);
	longtext[900] = 0;
	const char *t = rec_task_title(&a, longtext);
	assert_true(strlen(t) <= 500);
	assert_true(text_valid_utf8(t, strlen(t)));
	char out[11];
	rec_task_start(d(2026, 3, 13), "2026-04-30", out);
	assert_string_equal(out, "2026-03-13");
	/* recorded after its due date: starts (and ends) on the due date */
	rec_task_start(d(2026, 5, 2), "2026-04-30", out);
	assert_string_equal(out, "2026-04-30");
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_and_roles),
		cmocka_unit_test(test_inspection_validate),
		cmocka_unit_test(test_finding_and_recommendation),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_task_title_and_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
