/* The shipped catalogue against the PAPI structure, the CSV checks, and
 * imports that go wrong changing nothing in the database. */
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "base/csv.h"
#include "base/text.h"
#include "index/catalogue.h"
#include "index/index_db.h"
#include "index/papi.h"
#include "papi_fixture.h"
#include "base/banned.h"

static const struct papi_actor who = {0, "test", ""};

static struct catalogue shipped(struct arena *a)
{
	size_t len;
	char *data = fx_file(a, PAPI_SHIPPED_CATALOGUE, &len);
	struct catalogue c;
	struct problems p;
	struct error e = {0};
	if (catalogue_parse(a, data, len, &c, &p, &e))
		fail_msg("shipped catalogue: %s (line %d %s: %s)", e.msg,
			 p.kept ? p.list[0].line : 0,
			 p.kept ? p.list[0].column : "",
			 p.kept ? p.list[0].msg_en : "");
	return c;
}

static bool non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* The current sub-dimensions of data/papi/structure.csv: "n.m" codes in
 * the index since 2018 or before and still in it (5.2 left in 2021). */
static void test_structure(void **state)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	struct catalogue c = shipped(&a);
	assert_int_equal(c.year, 2024);
	assert_int_equal(c.ndimensions, 8);
	size_t len;
	char *sdata = fx_file(&a, "data/papi/structure.csv", &len);
	struct csv_table t;
	struct error e = {0};
	assert_int_equal(csv_parse(&a, sdata, len, &t, &e), ERR_OK);
	int ccode = csv_col(&t, "code"), clevel = csv_col(&t, "level"),
	    cyears = csv_col(&t, "years_in_index");
	int expected = 0;
	for (int r = 0; r < t.nrows; r++) {
		const char *code = csv_get(&t, r, ccode),
			   *years = csv_get(&t, r, cyears);
		const char *dash = strchr(years, '-');
		if (strcmp(csv_get(&t, r, clevel), "sub-dimension") ||
		    strstr(code, "old") ||
		    (dash && isdigit((unsigned char)dash[1])))
			continue; /* ended: "2011-2020" */
		expected++;
		bool found = false;
		for (int s = 0; s < c.nsubdimensions; s++)
			found |= !strcmp(c.subdimensions[s].code, code);
		if (!found)
			fail_msg("sub-dimension %s of structure.csv is not in "
				 "the catalogue",
				 code);
	}
	assert_int_equal(expected, 28);
	assert_int_equal(c.nsubdimensions, 28);
	for (int s = 0; s < c.nsubdimensions; s++)
		assert_string_not_equal(c.subdimensions[s].code, "5.2");
	assert_true(c.nindicators >= 90 && c.nindicators <= 130);
	arena_release(&a);
}

static void test_indicators_and_questions(void **state)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	struct catalogue c = shipped(&a);
	for (int s = 0; s < c.nsubdimensions; s++) {
		int n = 0, scored = 0;
		for (int i = 0; i < c.nindicators; i++) {
			if (c.indicators[i].subdimension != s)
				continue;
			n++;
			bool sc = false;
			for (int q = 0; q < c.nquestions; q++)
				sc |= c.questions[q].indicator == i &&
				      c.questions[q].direction !=
					      DIRECTION_DESCRIPTIVE;
			scored += sc;
		}
		if (n < 3 || scored < 3)
			fail_msg("%s: %d indicators, %d scored",
				 c.subdimensions[s].code, n, scored);
		assert_true(non_ascii(c.subdimensions[s].name_vi));
	}
	for (int i = 0; i < c.nindicators; i++) {
		const struct cat_indicator *in = &c.indicators[i];
		assert_true(*in->name_vi && *in->name_en && *in->source);
		assert_true(in->weight > 0);
		assert_false(in->local);
		int nq = 0;
		for (int q = 0; q < c.nquestions; q++)
			nq += c.questions[q].indicator == i;
		assert_true(nq >= 1);
	}
	for (int k = 0; k < c.nquestions; k++) {
		const struct cat_question *q = &c.questions[k];
		assert_true(*q->text_vi && *q->text_en);
		/* Vietnamese with its diacritics, English plain */
		if (!non_ascii(q->text_vi))
			fail_msg("%s: Vietnamese text without diacritics",
				 q->code);
		assert_true(text_valid_utf8(q->text_vi, strlen(q->text_vi)));
		assert_true(isfinite(q->lower) && isfinite(q->upper) &&
			    q->lower < q->upper);
		if (q->type == ANSWER_YES_NO)
			assert_true(q->lower == 0 && q->upper == 1);
		for (int j = 0; j < k; j++)
			assert_string_not_equal(q->code, c.questions[j].code);
	}
	arena_release(&a);
}

static void test_round_trip(void **state)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	size_t len, out_len;
	char *data = fx_file(&a, PAPI_SHIPPED_CATALOGUE, &len);
	struct catalogue c = shipped(&a);
	char *out = catalogue_csv(&a, &c, &out_len);
	assert_non_null(out);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, data, len);
	arena_release(&a);
}

static bool has_problem(const struct problems *p, int line, const char *column)
{
	for (int i = 0; i < p->kept; i++)
		if (p->list[i].line == line &&
		    !strcmp(p->list[i].column, column))
			return true;
	return false;
}

static void test_bad_rows(void **state)
{
	struct arena a;
	arena_init(&a, 64 << 20);
	size_t len;
	char *good = fx_file(&a, PAPI_SHIPPED_CATALOGUE, &len);
	struct catalogue c;
	struct problems p;
	struct error e = {0};
	/* line 2: q1_1_1; several mistakes on several rows, all reported */
	char *bad = fx_replace(
		&a, good,
		",yes_no,1=Có;0=Không,0,1,higher_better,98;99,,1,PROPOSED,0",
		",yes_no,1=Có;0=Không,1,0,higher_better,98;99,,1,PROPOSED,0");
	bad = fx_replace(&a, bad, "q1_1_2,", "q1_1_1,");
	bad = fx_replace(&a, bad, "q1_2_2=0", "q9_9_9=0");
	bad = fx_replace(&a, bad, ",count,,0,6,", ",count,,0,six,");
	assert_int_equal(catalogue_parse(&a, bad, strlen(bad), &c, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 2, "upper"));
	assert_true(has_problem(&p, 3, "question_code"));
	assert_true(has_problem(&p, 8, "skip_if"));
	bool upper_word = false;
	for (int i = 0; i < p.kept; i++)
		upper_word |= !strcmp(p.list[i].column, "upper") &&
			      strstr(p.list[i].msg_en, "six");
	assert_true(upper_word);
	assert_true(p.n >= 4);

	/* a missing column, an unknown one */
	bad = fx_replace(&a, good, "question_en,", "question_english,");
	assert_int_equal(catalogue_parse(&a, bad, strlen(bad), &c, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 1, "question_en"));
	assert_true(has_problem(&p, 1, "question_english"));
	/* semicolons as the delimiter */
	const char *semi = "version;dimension\n2024;D1\n";
	assert_int_equal(catalogue_parse(&a, semi, strlen(semi), &c, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 1, ""));
	/* VNI-encoded Vietnamese is not UTF-8 */
	bad = arena_printf(&a, "%.*s\xc6\xd5%s", 120, good, good + 120);
	assert_int_equal(catalogue_parse(&a, bad, strlen(bad), &c, &p, &e),
			 ERR_INVALID);
	assert_non_null(strstr(p.list[0].msg_vi, "UTF-8"));
	/* a yes/no question with other codes; missing codes inside bounds */
	bad = fx_replace(&a, good, "1=Có;0=Không,0,1", "1=Có;2=Không,1,2");
	bad = fx_replace(&a, bad, "0,1,higher_better,98;99,,1,PROPOSED",
			 "0,1,higher_better,1;99,,1,PROPOSED");
	assert_int_equal(catalogue_parse(&a, bad, strlen(bad), &c, &p, &e),
			 ERR_INVALID);
	assert_true(has_problem(&p, 2, "choices"));
	assert_true(has_problem(&p, 3, "missing_codes"));
	arena_release(&a);
}

/* The shipped catalogue into the database and back; a bad file, a bad
 * row, a wrong delimiter or a non-UTF-8 file changes nothing. */
static void test_import_db(void **state)
{
	struct fixture *f = *state;
	struct arena *a = &f->a;
	struct error e = {0};
	int cat, off;
	assert_int_equal(papi_seed(f->db, a, true, &cat, &off, &e), ERR_OK);
	assert_int_equal(cat, 1);
	assert_int_equal(off, 1);
	assert_int_equal(papi_seed(f->db, a, true, &cat, &off, &e), ERR_OK);
	assert_int_equal(cat + off, 0);

	size_t len, out_len;
	char *good = fx_file(a, PAPI_SHIPPED_CATALOGUE, &len);
	struct catalogue c, back;
	struct problems p;
	assert_int_equal(idb_catalogue_load(f->db, a, 2024, &back, &e), ERR_OK);
	char *out = catalogue_csv(a, &back, &out_len);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, good, len);

	const char *bads[] = {
		fx_replace(a, good, "higher_better", "better"),
		fx_replace(a, good, "answer_type,", "type,"),
		"version;dimension;dimension_vi\n2024;D1;x\n",
		arena_printf(a, "%.*s\xb5%s", 200, good, good + 200),
	};
	for (size_t k = 0; k < sizeof bads / sizeof *bads; k++) {
		assert_int_equal(papi_catalogue_import(f->db, a, &who, bads[k],
						       strlen(bads[k]), "x", &c,
						       &p, &e),
				 ERR_INVALID);
		assert_true(p.n > 0);
		assert_int_equal(idb_catalogue_load(f->db, a, 2024, &back, &e),
				 ERR_OK);
		out = catalogue_csv(a, &back, &out_len);
		assert_int_equal(out_len, len);
		assert_memory_equal(out, good, len);
		assert_string_equal(back.name, "PAPI 2024");
	}

	/* a local indicator added by the commune, then next year's copy */
	char *local = arena_printf(
		a,
		"%s2024,D6,Cung ứng dịch vụ công,Public Service Delivery,"
		"6.3,Cơ sở hạ tầng căn bản,Basic Infrastructure,6.3.9,"
		"Đèn đường thôn xóm,Village street lights,q6_3_9,"
		"Đường thôn nơi ông/bà ở có đèn chiếu sáng ban đêm không?,"
		"Is the village road where you live lit at night?,yes_no,"
		"1=Có;0=Không,0,1,higher_better,98;99,,1,LOCAL,1\r\n",
		good);
	assert_int_equal(papi_catalogue_import(f->db, a, &who, local,
					       strlen(local), "Xã 2024", &c, &p,
					       &e),
			 ERR_OK);
	assert_int_equal(c.nindicators, 106);
	assert_int_equal(
		papi_catalogue_copy(f->db, a, &who, 2024, 2025, NULL, &e),
		ERR_OK);
	assert_int_equal(
		papi_catalogue_copy(f->db, a, &who, 2024, 2025, NULL, &e),
		ERR_CONFLICT);
	assert_int_equal(
		papi_catalogue_copy(f->db, a, &who, 2019, 2026, NULL, &e),
		ERR_NOTFOUND);
	assert_int_equal(idb_catalogue_load(f->db, a, 2025, &back, &e), ERR_OK);
	assert_int_equal(back.nindicators, 106);
	bool found = false;
	for (int i = 0; i < back.nindicators; i++)
		found |= !strcmp(back.indicators[i].code, "6.3.9") &&
			 back.indicators[i].local;
	assert_true(found);
	json_t *v;
	assert_int_equal(idb_catalogue_versions(f->db, a, &v, &e), ERR_OK);
	assert_int_equal(json_array_size(v), 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(v, 0), "copied_from_year")),
			 2024);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(v, 1), "local")),
			 1);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_indicators_and_questions),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_rows),
	};
	const struct CMUnitTest db[] = {
		cmocka_unit_test_setup_teardown(test_import_db, fx_setup,
						fx_teardown),
	};
	int failed = cmocka_run_group_tests_name("catalogue", pure, NULL, NULL);
	return failed +
	       fx_run("catalogue in the database", db, sizeof db / sizeof *db);
}
