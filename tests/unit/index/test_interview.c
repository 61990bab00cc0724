/* Interviews, pure: answers checked against the shipped catalogue's real
 * questions, skip rules (with follow-ups of skipped questions), packing,
 * and the CSV import with a column mapping: all or nothing, every bad row
 * and column listed, wrong encodings and delimiters named. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/embedded.h"
#include "index/interview.h"
#include "index/papi.h"
#include "base/banned.h"

static struct arena A;
static struct catalogue C;

static int setup(void **state)
{
	(void)state;
	arena_init(&A, 256 << 20);
	const struct embedded_file *f = embedded_find(PAPI_SHIPPED_CATALOGUE);
	assert_non_null(f);
	struct problems p = {0};
	struct error e = {0};
	if (catalogue_parse(&A, (const char *)f->data, f->len, &C, &p, &e))
		fail_msg("shipped catalogue: %s", e.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&A);
	return 0;
}

static const struct cat_question *q(const char *code)
{
	int i = interview_question(&C, code);
	if (i < 0)
		fail_msg("no question %s in the shipped catalogue", code);
	return &C.questions[i];
}

/* Every answer empty. */
static const char **blank(void)
{
	const char **v = arena_alloc(&A, sizeof *v * (size_t)C.nquestions);
	for (int i = 0; i < C.nquestions; i++)
		v[i] = "";
	return v;
}

static void set(const char **v, const char *code, const char *value)
{
	v[interview_question(&C, code)] = value;
}

static bool skipped(const char **v, const char *code)
{
	return interview_skipped(&C, v, interview_question(&C, code));
}

static void test_gender_age(void **state)
{
	(void)state;
	assert_string_equal(interview_gender("1"), "male");
	assert_string_equal(interview_gender("Nam"), "male");
	assert_string_equal(interview_gender("nữ"), "female");
	assert_string_equal(interview_gender("Nữ"), "female");
	assert_string_equal(interview_gender("FEMALE"), "female");
	assert_null(interview_gender("3"));
	assert_null(interview_gender(""));
	assert_string_equal(interview_age_group("18"), "18-29");
	assert_string_equal(interview_age_group("29"), "18-29");
	assert_string_equal(interview_age_group("30"), "30-39");
	assert_string_equal(interview_age_group("59"), "50-59");
	assert_string_equal(interview_age_group("60"), "60-70");
	assert_string_equal(interview_age_group("70"), "60-70");
	assert_string_equal(interview_age_group("40–49"), "40-49");
	assert_null(interview_age_group("17"));
	assert_null(interview_age_group("71"));
	assert_null(interview_age_group("30-40"));
	assert_null(interview_age_group("ba mươi"));
}

static void test_answers_against_real_questions(void **state)
{
	(void)state;
	/* yes/no */
	assert_int_equal(interview_check_answer(q("q1_1_1"), "1"), ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q1_1_1"), "0"), ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q1_1_1"), "98"), ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q1_1_1"), "99"), ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q1_1_1"), "2"),
			 ANSWER_NOT_A_CHOICE);
	assert_int_equal(interview_check_answer(q("q1_1_1"), "1.5"),
			 ANSWER_NOT_WHOLE);
	assert_int_equal(interview_check_answer(q("q1_1_1"), "có"),
			 ANSWER_NOT_NUMBER);
	assert_int_equal(interview_check_answer(q("q1_1_1"), "1e0"),
			 ANSWER_NOT_NUMBER);
	assert_int_equal(interview_check_answer(q("q1_1_1"), ""), ANSWER_EMPTY);
	/* scale 1..4 */
	assert_int_equal(interview_check_answer(q("q2_1_3"), "4"), ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q2_1_3"), "5"),
			 ANSWER_NOT_A_CHOICE);
	assert_int_equal(interview_check_answer(q("q2_1_3"), "0"),
			 ANSWER_NOT_A_CHOICE);
	/* choice coded 0..2 */
	assert_int_equal(interview_check_answer(q("q3_1_4b"), "2"), ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q3_1_4b"), "3"),
			 ANSWER_NOT_A_CHOICE);
	/* count 1..10 */
	assert_int_equal(interview_check_answer(q("q5_1_4"), "10"), ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q5_1_4"), "0"),
			 ANSWER_OUT_OF_RANGE);
	assert_int_equal(interview_check_answer(q("q5_1_4"), "11"),
			 ANSWER_OUT_OF_RANGE);
	assert_int_equal(interview_check_answer(q("q5_1_4"), "2.5"),
			 ANSWER_NOT_WHOLE);
	/* amount 0..200 million VND, missing codes 998;999: 98 is an amount */
	assert_int_equal(interview_check_answer(q("q4_4_2"), "12.5"),
			 ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q4_4_2"), "98"), ANSWER_OK);
	assert_false(interview_is_missing_code(q("q4_4_2"), "98"));
	assert_true(interview_is_missing_code(q("q4_4_2"), "998"));
	assert_int_equal(interview_check_answer(q("q4_4_2"), "998"), ANSWER_OK);
	assert_int_equal(interview_check_answer(q("q4_4_2"), "250"),
			 ANSWER_OUT_OF_RANGE);
	assert_int_equal(interview_check_answer(q("q4_4_2"), "-1"),
			 ANSWER_OUT_OF_RANGE);
	assert_string_equal(interview_missing_label_vi("98"), "Không biết");
	assert_string_equal(interview_missing_label_vi("999"),
			    "Từ chối trả lời");
}

static void test_skip_rules(void **state)
{
	(void)state;
	const char **v = blank();
	/* q1_4_2..4 follow q1_4_1 = 1 (contributed) */
	assert_false(skipped(v, "q1_4_2")); /* unanswered filter: asked */
	set(v, "q1_4_1", "0");
	assert_true(skipped(v, "q1_4_2"));
	assert_true(skipped(v, "q1_4_4"));
	set(v, "q1_4_1", "1");
	assert_false(skipped(v, "q1_4_2"));
	set(v, "q1_4_1", "98"); /* don't know: the follow-ups are asked */
	assert_false(skipped(v, "q1_4_2"));
	/* a chain: q2_1_3 follows q2_1_2, which follows q2_1_1 */
	set(v, "q2_1_1", "0");
	set(v, "q2_1_2", "1"); /* left over from a changed answer */
	assert_true(skipped(v, "q2_1_2"));
	assert_true(skipped(v, "q2_1_3"));
	interview_clear_skipped(&C, v);
	assert_string_equal(v[interview_question(&C, "q2_1_2")], "");
	set(v, "q2_1_1", "1");
	set(v, "q2_1_2", "0");
	assert_false(skipped(v, "q2_1_2"));
	assert_true(skipped(v, "q2_1_3"));
	set(v, "q2_1_2", "1");
	assert_false(skipped(v, "q2_1_3"));
	/* no rule */
	assert_false(skipped(v, "q1_1_1"));
}

static void test_validate(void **state)
{
	(void)state;
	const char **v = blank();
	struct problems p = {0};
	/* Submitting an empty form: every question asked is listed. */
	int asked = 0;
	for (int i = 0; i < C.nquestions; i++)
		asked += !interview_skipped(&C, v, i);
	assert_int_equal(interview_validate(&A, &C, v, true, 0, NULL, &p),
			 asked);
	assert_string_equal(p.list[0].column, C.questions[0].code);
	assert_string_equal(p.list[0].msg_vi, "Chưa trả lời.");
	/* An import: blank is a missing answer, not a problem. */
	struct problems p2 = {0};
	assert_int_equal(interview_validate(&A, &C, v, false, 7, NULL, &p2), 0);
	/* Answering a question the rules skip, and a bad value. */
	set(v, "q1_4_1", "0");
	set(v, "q1_4_3", "1");
	set(v, "q1_1_1", "5");
	struct problems p3 = {0};
	assert_int_equal(interview_validate(&A, &C, v, false, 7, NULL, &p3), 2);
	assert_int_equal(p3.list[0].line, 7);
	assert_string_equal(p3.list[0].column, "q1_1_1");
	assert_string_equal(p3.list[1].column, "q1_4_3");
	assert_non_null(strstr(p3.list[1].msg_en, "skipped"));
	assert_non_null(strstr(p3.list[1].msg_vi, "bỏ qua"));
}

static void test_pack(void **state)
{
	(void)state;
	const char **v = blank();
	set(v, "q1_1_1", "1");
	set(v, "q1_1_2", "98");
	set(v, "q4_4_2", "12.5");
	char *s = interview_pack(&A, &C, v);
	assert_non_null(s);
	assert_int_equal(strncmp(s, "1;98;;", 6), 0);
	int semis = 0;
	for (char *x = s; *x; x++)
		semis += *x == ';';
	assert_int_equal(semis, C.nquestions - 1);
	const char **back;
	struct error e = {0};
	assert_int_equal(interview_unpack(&A, &C, s, &back, &e), ERR_OK);
	for (int i = 0; i < C.nquestions; i++)
		assert_string_equal(back[i], v[i]);
	/* an empty packed text: nothing answered */
	assert_int_equal(interview_unpack(&A, &C, "", &back, &e), ERR_OK);
	assert_string_equal(back[C.nquestions - 1], "");
	/* more fields than questions: another catalogue */
	char *more = arena_printf(&A, "%s;1", s);
	assert_int_equal(interview_unpack(&A, &C, more, &back, &e),
			 ERR_INVALID);
}

static const struct iv_village villages[] = {
	{277, "Thôn 1", "thon 1"},
	{278, "Thôn 2", "thon 2"},
	{279, "Đồng Xá", "dong xa"},
};

static enum err parse(const char *csv, const char *map, struct iv_import *im,
		      struct problems *p)
{
	struct error e = {0};
	memset(p, 0, sizeof *p);
	return interview_import_parse(&A, &C, villages, 3, csv, strlen(csv),
				      map, map ? strlen(map) : 0, im, p, &e);
}

static bool has(const struct problems *p, int line, const char *column,
		const char *needle)
{
	for (int i = 0; i < p->kept; i++)
		if (p->list[i].line == line &&
		    !strcmp(p->list[i].column, column) &&
		    strstr(p->list[i].msg_en, needle))
			return true;
	return false;
}

static void test_import_identity(void **state)
{
	(void)state;
	struct iv_import im;
	struct problems p;
	const char *csv =
		"id,village,gender,age,weight,q1_1_1,q1_4_1,q1_4_2,note\r\n"
		"a1,Thôn 1,1,25,1.5,1,0,,x\r\n"
		"a2,278,Nữ,60-70,,98,1,1,y\r\n"
		"a3,dong xa,nam,70,,0,,,\r\n";
	assert_int_equal(parse(csv, NULL, &im, &p), ERR_OK);
	assert_int_equal(im.nrows, 3);
	assert_int_equal(im.nmapped, 3);
	assert_int_equal(im.nignored, 1);
	assert_string_equal(im.ignored[0], "note");
	assert_int_equal(im.rows[0].unit_id, 277);
	assert_int_equal(im.rows[1].unit_id, 278);
	assert_int_equal(im.rows[2].unit_id, 279);
	assert_string_equal(im.rows[0].gender, "male");
	assert_string_equal(im.rows[1].gender, "female");
	assert_string_equal(im.rows[0].age_group, "18-29");
	assert_string_equal(im.rows[1].age_group, "60-70");
	assert_true(im.rows[0].weight == 1.5);
	assert_true(isnan(im.rows[1].weight));
	assert_string_equal(im.rows[1].external_id, "a2");
	assert_string_equal(im.rows[1].vals[interview_question(&C, "q1_4_2")],
			    "1");
	assert_string_equal(im.rows[0].vals[interview_question(&C, "q1_1_2")],
			    "");
}

static void test_import_every_error(void **state)
{
	(void)state;
	struct iv_import im;
	struct problems p;
	const char *map =
		"column,code\nthon,village\ngt,gender\ntuoi,age\nC1,q1_1_1\n"
		"C2,q1_4_1\nC3,q1_4_2\nC4,q4_4_2\nstart,\n";
	const char *csv = "thon,gt,tuoi,C1,C2,C3,C4,start\n"
			  "Thôn 1,1,30,1,1,1,12.5,s\n" /* good */
			  ",3,17,7,0,1,250,s\n"        /* everything wrong */
			  "Thôn 9,,,abc,1,,998,s\n"
			  "Thôn 2,2,45,1,1,0,9x,s\n";
	assert_int_equal(parse(csv, map, &im, &p), ERR_INVALID);
	assert_true(has(&p, 3, "thon", "missing village"));
	assert_true(has(&p, 3, "gt", "not a gender"));
	assert_true(has(&p, 3, "tuoi", "not an age"));
	assert_true(has(&p, 3, "C1", "not one of"));
	assert_true(has(&p, 3, "C3", "skipped"));
	assert_true(has(&p, 3, "C4", "out of range"));
	assert_true(has(&p, 4, "thon", "not a village"));
	assert_true(has(&p, 4, "gt", "missing gender"));
	assert_true(has(&p, 4, "tuoi", "missing age"));
	assert_true(has(&p, 4, "C1", "not a number"));
	assert_true(has(&p, 5, "C4", "not a number"));
	assert_int_equal(p.n, 11);
	for (int i = 0; i < p.kept; i++)
		assert_true(p.list[i].line != 2);

	/* the mapping's own mistakes */
	const char *badmap =
		"column,code\nthon,village\nnope,q1_1_1\nC1,q99_9\n";
	assert_int_equal(parse(csv, badmap, &im, &p), ERR_INVALID);
	assert_true(has(&p, 3, "column", "no column \"nope\""));
	assert_true(has(&p, 4, "code", "unknown code \"q99_9\""));
	/* no village/gender/age column at all */
	assert_int_equal(parse("q1_1_1\n1\n", NULL, &im, &p), ERR_INVALID);
	assert_true(has(&p, 1, "village", "missing column"));
	assert_true(has(&p, 1, "gender", "missing column"));
	assert_true(has(&p, 1, "age_group", "missing column"));
	/* two columns for one question */
	assert_int_equal(parse("village,gender,age,q1_1_1,x\nThôn 1,1,30,1,1\n",
			       "column,code\nx,q1_1_1\n", &im, &p),
			 ERR_INVALID);
	assert_true(has(&p, 1, "x", "same field"));
}

static void test_import_encoding_and_delimiter(void **state)
{
	(void)state;
	struct iv_import im;
	struct problems p;
	assert_int_equal(parse("village;gender;age;q1_1_1\nThôn 1;1;30;1\n",
			       NULL, &im, &p),
			 ERR_INVALID);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.list[0].msg_en, "separated by ;"));
	assert_int_equal(
		parse("village\tgender\tage\tq1_1_1\nThôn 1\t1\t30\t1\n", NULL,
		      &im, &p),
		ERR_INVALID);
	assert_non_null(strstr(p.list[0].msg_en, "separated by tab"));
	/* "Thôn" in TCVN3 (ABC): 0xAB for ô */
	assert_int_equal(parse("village,gender,age,q1_1_1\nTh\xabn 1,1,30,1\n",
			       NULL, &im, &p),
			 ERR_INVALID);
	assert_int_equal(p.list[0].line, 2);
	assert_non_null(strstr(p.list[0].msg_en, "not UTF-8"));
	assert_non_null(strstr(p.list[0].msg_vi, "TCVN3"));
	/* a header and no rows */
	assert_int_equal(parse("village,gender,age,q1_1_1\n", NULL, &im, &p),
			 ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gender_age),
		cmocka_unit_test(test_answers_against_real_questions),
		cmocka_unit_test(test_skip_rules),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_import_identity),
		cmocka_unit_test(test_import_every_error),
		cmocka_unit_test(test_import_encoding_and_delimiter),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
