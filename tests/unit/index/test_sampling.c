/* Sampling the PAPI way: the PRNG against its reference, PPS inclusion
 * probabilities (exactly for the systematic method over its start, and by
 * simulation over many seeds), certainty units, respondent draws, weights
 * summing to the frame population, the 18-70 filter, replacement order;
 * and on a real database (SQLite, and PostgreSQL when QUANTRI_TEST_DB
 * names one): rounds, frame imports that reject bad files with every
 * error and change nothing, reproducible draws, contacts and audit rows. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "papi_fixture.h"
#include "index/round.h"
#include "index/sampling.h"
#include "index/papi.h"
#include "people/people.h"
#include "base/banned.h"

/* ---- pure ---- */

static void test_rng_reference(void **state)
{
	(void)state;
	struct rng r, r2;
	/* splitmix64 from 0: its published first outputs */
	rng_seed(&r, 0);
	assert_true(r.s[0] == 0xe220a8397b1dcdafULL);
	assert_true(r.s[1] == 0x6e789e6aa1b965f4ULL);
	rng_seed(&r, 12345);
	rng_seed(&r2, 12345);
	for (int i = 0; i < 1000; i++)
		assert_true(rng_next(&r) == rng_next(&r2));
	rng_seed(&r2, 12346);
	assert_true(rng_next(&r) != rng_next(&r2));
	double sum = 0;
	for (int i = 0; i < 100000; i++) {
		double u = rng_uniform(&r);
		assert_true(u >= 0 && u < 1);
		sum += u;
	}
	assert_true(fabs(sum / 100000 - 0.5) < 0.005);
	int counts[7] = {0};
	for (int i = 0; i < 70000; i++)
		counts[rng_below(&r, 7)]++;
	for (int i = 0; i < 7; i++)
		assert_true(abs(counts[i] - 10000) < 500);
}

static const double sizes[] = {420, 130, 75, 260, 310, 55, 190, 145, 600, 88};
enum { NS = sizeof sizes / sizeof *sizes };

static void setup_units(struct pps_unit *u, int seat)
{
	for (int i = 0; i < NS; i++)
		u[i] = (struct pps_unit){.size = sizes[i], .seat = i == seat};
}

static void test_pps_probabilities(void **state)
{
	(void)state;
	struct pps_unit u[NS];
	setup_units(u, 0);
	int m = pps_probabilities(u, NS, 3);
	assert_int_equal(m, 3);
	double rest = 0;
	for (int i = 1; i < NS; i++)
		rest += sizes[i];
	double sum = 0;
	assert_true(u[0].certainty && u[0].prob == 1.0);
	for (int i = 1; i < NS; i++) {
		assert_false(u[i].certainty);
		assert_true(fabs(u[i].prob - 3 * sizes[i] / rest) < 1e-12);
		sum += u[i].prob;
	}
	assert_true(fabs(sum - 3) < 1e-12);
	/* k = 5 among 9: unit 8 (600 of 1853) has 5*600/1853 >= 1 and is
	 * taken for sure; the other 4 share the rest */
	setup_units(u, 0);
	m = pps_probabilities(u, NS, 5);
	assert_int_equal(m, 4);
	assert_true(u[8].certainty && u[8].prob == 1.0);
	double rest2 = rest - 600;
	for (int i = 1; i < 8; i++)
		assert_true(fabs(u[i].prob - 4 * sizes[i] / rest2) < 1e-12);
	/* more units wanted than there are: all certain */
	setup_units(u, 0);
	assert_int_equal(pps_probabilities(u, NS, 20), 0);
	for (int i = 0; i < NS; i++)
		assert_true(u[i].certainty && u[i].prob == 1.0);
}

/* Exactly: over the systematic start u0 on a fine grid, each unit is
 * selected on a share of starts equal to its probability (to the grid's
 * resolution), and always exactly k + certain units. */
static void test_pps_systematic_exact(void **state)
{
	(void)state;
	struct pps_unit u[NS];
	for (int k = 1; k <= 6; k++) {
		setup_units(u, 3);
		int m = pps_probabilities(u, NS, k);
		double prob[NS];
		int certain = 0;
		for (int i = 0; i < NS; i++)
			prob[i] = u[i].prob, certain += u[i].certainty;
		enum { M = 100000 };
		int hits[NS] = {0};
		for (int g = 0; g < M; g++) {
			pps_systematic(u, NS, m, (g + 0.5) / M);
			int got = 0;
			for (int i = 0; i < NS; i++)
				if (u[i].selected)
					hits[i]++, got++;
			assert_int_equal(got, m + certain);
		}
		for (int i = 0; i < NS; i++)
			assert_true(fabs((double)hits[i] / M - prob[i]) <=
				    2.0 / M);
	}
}

/* By simulation over seeds: the whole draw (start from the PRNG). */
static void test_pps_simulation(void **state)
{
	(void)state;
	struct pps_unit u[NS];
	enum { N = 40000 };
	int hits[NS] = {0};
	double prob[NS];
	for (int s = 0; s < N; s++) {
		struct rng r;
		rng_seed(&r, (uint64_t)s * 7919 + 1);
		setup_units(u, 0);
		int got = pps_draw(u, NS, 2, &r);
		assert_int_equal(got, 3);
		for (int i = 0; i < NS; i++)
			hits[i] += u[i].selected, prob[i] = u[i].prob;
	}
	for (int i = 0; i < NS; i++) {
		double p = prob[i], se = sqrt(p * (1 - p) / N);
		assert_true(fabs((double)hits[i] / N - p) <= 4 * se + 1e-12);
	}
}

static void test_respondents(void **state)
{
	(void)state;
	enum { N = 50, MAIN = 20, RES = 10, SIMS = 20000 };
	int idx[N], idx2[N], in_main[N] = {0};
	struct rng r, r2;
	rng_seed(&r, 7);
	rng_seed(&r2, 7);
	for (int i = 0; i < N; i++)
		idx[i] = idx2[i] = i;
	assert_int_equal(respondents_draw(idx, N, MAIN, RES, &r), 30);
	assert_int_equal(respondents_draw(idx2, N, MAIN, RES, &r2), 30);
	assert_memory_equal(idx, idx2, sizeof idx);
	bool seen[N] = {0};
	for (int i = 0; i < 30; i++) {
		assert_false(seen[idx[i]]);
		seen[idx[i]] = true;
	}
	/* each person is on the main list with probability MAIN / N */
	for (int s = 0; s < SIMS; s++) {
		for (int i = 0; i < N; i++)
			idx[i] = i;
		respondents_draw(idx, N, MAIN, RES, &r);
		for (int i = 0; i < MAIN; i++)
			in_main[idx[i]]++;
	}
	double p = (double)MAIN / N, se = sqrt(p * (1 - p) / SIMS);
	for (int i = 0; i < N; i++)
		assert_true(fabs((double)in_main[i] / SIMS - p) < 4.5 * se);
	/* fewer eligible than wanted: everybody, probability 1 */
	for (int i = 0; i < 12; i++)
		idx[i] = i;
	assert_int_equal(respondents_draw(idx, 12, MAIN, RES, &r), 12);
	assert_true(person_prob(MAIN, 12) == 1.0);
	assert_true(person_prob(MAIN, 80) == 0.25);
	assert_true(design_weight(0.5, 0.25) == 8.0);
}

static void test_age_filter(void **state)
{
	(void)state;
	assert_true(age_eligible(2008, 2026, 18, 70));
	assert_false(age_eligible(2009, 2026, 18, 70));
	assert_true(age_eligible(1956, 2026, 18, 70));
	assert_false(age_eligible(1955, 2026, 18, 70));
}

/* The Horvitz-Thompson total of the eligible people, from the design
 * weights: exact when the sizes are the eligible counts, unbiased over
 * seeds otherwise. */
static void test_weights_sum(void **state)
{
	(void)state;
	static const int eligible[NS] = {400, 120, 80,  250, 300,
					 50,  200, 140, 590, 90};
	double frame_total = 0;
	for (int i = 0; i < NS; i++)
		frame_total += eligible[i];
	enum { SIMS = 20000 };
	double mean = 0;
	for (int s = 0; s < SIMS; s++) {
		struct rng r;
		rng_seed(&r, (uint64_t)s);
		struct pps_unit u[NS], v[NS];
		for (int i = 0; i < NS; i++) {
			u[i] = (struct pps_unit){.size = eligible[i],
						 .seat = i == 0};
			v[i] = (struct pps_unit){.size = sizes[i],
						 .seat = i == 0};
		}
		pps_draw(u, NS, 3, &r);
		pps_draw(v, NS, 3, &r);
		double exact = 0, est = 0;
		for (int i = 0; i < NS; i++) {
			int n = 20 < eligible[i] ? 20 : eligible[i];
			if (u[i].selected)
				exact += n *
					 design_weight(
						 u[i].prob,
						 person_prob(20, eligible[i]));
			if (v[i].selected)
				est += n *
				       design_weight(
					       v[i].prob,
					       person_prob(20, eligible[i]));
		}
		assert_true(fabs(exact - frame_total) < 1e-6);
		mean += est / SIMS;
	}
	assert_true(fabs(mean - frame_total) / frame_total < 0.01);
}

static void test_replacements(void **state)
{
	(void)state;
	assert_int_equal(replacements_needed(16, 0, 20, 10), 0);
	assert_int_equal(replacements_needed(16, 0, 16, 10), 0);
	assert_int_equal(replacements_needed(16, 0, 15, 10), 1);
	assert_int_equal(replacements_needed(16, 10, 2, 10), 4);
	assert_int_equal(replacements_needed(16, 3, 0, 2), 2);
	assert_int_equal(replacements_needed(16, 16, 0, 10), 0);
	enum outcome o;
	for (int i = 0; i < OUTCOME_COUNT; i++) {
		assert_true(outcome_from_key(outcome_key((enum outcome)i), &o));
		assert_int_equal(o, i);
	}
	assert_false(outcome_from_key("gone", &o));
}

/* ---- on a database ---- */

static const char *const vnames[] = {"Thôn A", "Thôn B", "Thôn C", "Thôn D",
				     "Thôn E"};
enum { NV = 5 };

static int birth(int v, int j)
{
	return 1935 + (j * 7 + v) % 85;
}

struct world {
	long long commune, villages[NV], round;
	int eligible[NV];
};

static void make_world(struct fixture *f, struct world *w)
{
	struct arena *a = &f->a;
	struct error e = {0};
	struct unit pr = {.code = "98",
			  .kind = "province",
			  .type_vi = "Tỉnh",
			  .name = "Thử",
			  .population = -1,
			  .note = ""};
	if (units_create(f->db, a, &actor_cli, &pr, NULL, &e))
		fail_msg("province: %s", e.msg);
	struct unit c = {.code = "99999",
			 .kind = "commune",
			 .type_vi = "Xã",
			 .name = "Thử Nghiệm",
			 .parent_id = pr.id,
			 .population = -1,
			 .note = ""};
	if (units_create(f->db, a, &actor_cli, &c, NULL, &e))
		fail_msg("commune: %s", e.msg);
	w->commune = c.id;
	for (int v = 0; v < NV; v++) {
		struct unit u = {.kind = "village",
				 .type_vi = "Thôn",
				 .name = vnames[v],
				 .parent_id = c.id,
				 .population = -1,
				 .note = ""};
		if (units_create(f->db, a, &actor_cli, &u, NULL, &e))
			fail_msg("village: %s", e.msg);
		w->villages[v] = u.id;
	}
	int cat = 0, off = 0;
	if (papi_seed(f->db, a, false, &cat, &off, &e))
		fail_msg("catalogue: %s", e.msg);
	struct round_input in = {.year = "2026",
				 .name = "Khảo sát 2026",
				 .scope = "99999",
				 .catalogue = "2024"};
	struct papi_actor who = {0, "test", ""};
	json_t *errors = json_object();
	if (round_create(f->db, a, &who, &in, &w->round, errors, &e))
		fail_msg("round: %s", e.msg);
	json_decref(errors);
}

/* 60 + 10 v people per village, aged 7..91 in 2026. */
static char *people_csv(struct arena *a, struct world *w)
{
	char *s = arena_strdup(
		a, "unit,person_id,full_name,gender,birth_year,address\n");
	for (int v = 0; v < NV; v++) {
		w->eligible[v] = 0;
		for (int j = 0; j < 60 + 10 * v; j++) {
			s = arena_printf(a,
					 "%s%s,H%03d,Nguyễn Văn Người "
					 "%d-%d,%s,%d,\"Xóm %d, %s\"\n",
					 s, vnames[v], j, v, j,
					 j % 2 ? "Nữ" : "Nam", birth(v, j),
					 j % 5, vnames[v]);
			w->eligible[v] +=
				age_eligible(birth(v, j), 2026, 18, 70);
		}
	}
	return s;
}

/* Populations equal to the eligible counts, Thôn A the seat; names in
 * several spellings and one by id. */
static char *units_csv(struct arena *a, const struct world *w)
{
	return arena_printf(a,
			    "unit,population,is_seat\n"
			    "Thôn A,%d,1\nthon b,%d,0\n%lld,%d,\nThôn "
			    "D,%d,0\nTHÔN E,%d,no\n",
			    w->eligible[0], w->eligible[1], w->villages[2],
			    w->eligible[2], w->eligible[3], w->eligible[4]);
}

static long long frame_people(struct fixture *f, long long round)
{
	json_t *r;
	struct error e = {0};
	assert_int_equal(round_get(f->db, &f->a, round, &r, &e), ERR_OK);
	long long n = json_integer_value(json_object_get(r, "frame_people"));
	json_decref(r);
	return n;
}

static void import_ok(struct fixture *f, long long round, const char *csv)
{
	struct frame_report rep;
	struct problems p = {0};
	struct error e = {0};
	struct papi_actor who = {0, "test", ""};
	if (round_frame_import(f->db, &f->a, &who, round, csv, strlen(csv),
			       &rep, &p, &e))
		fail_msg("frame: %s", e.msg);
}

static int import_bad(struct fixture *f, long long round, const char *csv,
		      struct problems *p)
{
	struct frame_report rep;
	struct error e = {0};
	struct papi_actor who = {0, "test", ""};
	*p = (struct problems){0};
	enum err err = round_frame_import(f->db, &f->a, &who, round, csv,
					  strlen(csv), &rep, p, &e);
	assert_int_equal(err, ERR_INVALID);
	return p->n;
}

static bool has_problem(const struct problems *p, int line, const char *col)
{
	for (int i = 0; i < p->kept; i++)
		if (p->list[i].line == line && !strcmp(p->list[i].column, col))
			return true;
	return false;
}

static void test_frame_import(void **state)
{
	struct fixture *f = *state;
	struct world w;
	make_world(f, &w);
	char *people = people_csv(&f->a, &w);
	struct problems p;
	/* people before units: refused */
	assert_int_equal(import_bad(f, w.round, people, &p), 1);
	import_ok(f, w.round, units_csv(&f->a, &w));
	import_ok(f, w.round, people);
	long long before = frame_people(f, w.round);
	assert_int_equal(before, 60 + 70 + 80 + 90 + 100);
	json_t *fr;
	struct error e = {0};
	assert_int_equal(round_frame(f->db, &f->a, w.round, &fr, &e), ERR_OK);
	assert_int_equal(json_array_size(fr), NV);
	for (int v = 0; v < NV; v++)
		assert_int_equal(
			json_integer_value(json_object_get(
				json_array_get(fr, (size_t)v), "eligible")),
			w.eligible[v]);
	json_decref(fr);

	/* a bad units file: every bad row and column, nothing changed */
	int n = import_bad(f, w.round,
			   "unit,population,is_seat\n"
			   "Thôn A,100,1\n"
			   "Thôn Z,100,0\n"     /* line 3: unknown */
			   "Thôn B,-5,0\n"      /* line 4: population */
			   "Thôn C,50,1\n"      /* line 5: second seat */
			   "thôn a,70,0\n"      /* line 6: again */
			   "Thôn D,12,maybe\n", /* line 7: is_seat */
			   &p);
	assert_int_equal(n, 5);
	assert_true(has_problem(&p, 3, "unit"));
	assert_true(has_problem(&p, 4, "population"));
	assert_true(has_problem(&p, 5, "is_seat"));
	assert_true(has_problem(&p, 6, "unit"));
	assert_true(has_problem(&p, 7, "is_seat"));
	assert_int_equal(frame_people(f, w.round), before);

	/* a bad people file */
	n = import_bad(
		f, w.round,
		"unit,person_id,full_name,gender,birth_year,address\n"
		"Thôn A,X1,Trần Thị Mai,Nữ,1980,\n"
		"Thôn A,X1,Trần Văn Nam,Nam,1981,\n" /* 3: duplicate id */
		"Thôn Q,X2,Lê Văn Tư,Nam,1970,\n"    /* 4: unit */
		"Thôn B,X3,,khác,2030,\n",           /* 5: name, gender, year */
		&p);
	assert_int_equal(n, 5);
	assert_true(has_problem(&p, 3, "person_id"));
	assert_true(has_problem(&p, 4, "unit"));
	assert_true(has_problem(&p, 5, "full_name"));
	assert_true(has_problem(&p, 5, "gender"));
	assert_true(has_problem(&p, 5, "birth_year"));
	assert_int_equal(frame_people(f, w.round), before);

	/* missing and unknown columns, wrong delimiter, old encoding */
	n = import_bad(f, w.round,
		       "unit,person_id,name,gender\nThôn A,1,x,Nam\n", &p);
	assert_true(has_problem(&p, 1, "full_name"));
	assert_true(has_problem(&p, 1, "birth_year"));
	assert_true(has_problem(&p, 1, "name"));
	assert_true(import_bad(f, w.round,
			       "unit;population;is_seat\nThôn A;1;1\n",
			       &p) >= 1);
	assert_true(import_bad(f, w.round, "unit,population\nTh\xf4n A,1\n",
			       &p) >= 1);
	assert_int_equal(frame_people(f, w.round), before);
}

static char *draw_csv(struct fixture *f, long long round, uint64_t seed,
		      struct draw_report *rep)
{
	struct error e = {0};
	struct papi_actor who = {0, "test", ""};
	if (round_draw(f->db, &f->a, &who, round, seed, 2, rep, &e))
		fail_msg("draw: %s", e.msg);
	char *csv;
	size_t len;
	assert_int_equal(round_sample_csv(f->db, &f->a, round, &csv, &len, &e),
			 ERR_OK);
	return csv;
}

static void test_draw_and_contacts(void **state)
{
	struct fixture *f = *state;
	struct world w;
	make_world(f, &w);
	char *people_file = people_csv(&f->a, &w);
	import_ok(f, w.round, units_csv(&f->a, &w));
	import_ok(f, w.round, people_file);
	struct draw_report rep;
	char *one = draw_csv(f, w.round, 42, &rep);
	assert_int_equal(rep.units, 3);
	assert_int_equal(rep.people, 60);
	assert_int_equal(rep.reserves, 30);
	/* populations are the eligible counts: weights sum to the frame */
	int total = 0;
	for (int v = 0; v < NV; v++)
		total += w.eligible[v];
	assert_true(fabs(rep.weight_sum - total) < 1e-6);
	/* same seed, same sample; another seed, another */
	char *again = draw_csv(f, w.round, 42, &rep);
	assert_string_equal(one, again);
	char *other = draw_csv(f, w.round, 4242, &rep);
	assert_string_not_equal(one, other);
	draw_csv(f, w.round, 42, &rep);

	json_t *units, *people;
	struct error e = {0};
	assert_int_equal(
		round_sample_units(f->db, &f->a, w.round, 0, &units, &e),
		ERR_OK);
	assert_int_equal(json_array_size(units), 3);
	json_t *seat = json_array_get(units, 0); /* frame order: Thôn A first */
	assert_true(json_integer_value(json_object_get(seat, "unit_id")) ==
		    w.villages[0]);
	assert_true(json_number_value(json_object_get(seat, "prob")) == 1.0);
	long long su = json_integer_value(json_object_get(seat, "id"));
	json_decref(units);
	assert_int_equal(
		round_sample_people(f->db, &f->a, w.round, su, &people, &e),
		ERR_OK);
	assert_int_equal(json_array_size(people), 30);
	long long ids[30];
	for (size_t i = 0; i < 30; i++) {
		json_t *p = json_array_get(people, i);
		ids[i] = json_integer_value(json_object_get(p, "id"));
		int by = (int)json_integer_value(
			json_object_get(p, "birth_year"));
		assert_true(age_eligible(by, 2026, 18, 70));
		assert_int_equal(json_integer_value(json_object_get(p, "ord")),
				 (long long)i + 1);
		assert_int_equal(
			json_integer_value(json_object_get(p, "is_reserve")),
			i >= 20);
		assert_int_equal(
			json_integer_value(json_object_get(p, "released")),
			i < 20);
	}
	json_decref(people);

	struct papi_actor who = {7, "dieutra", "127.0.0.1"};
	int released;
	/* a replacement not yet brought in cannot be contacted */
	assert_int_equal(round_contact(f->db, &f->a, &who, w.round, ids[20],
				       "interviewed", "", &released, &e),
			 ERR_INVALID);
	assert_int_equal(round_contact(f->db, &f->a, &who, w.round, ids[0],
				       "gone", "", &released, &e),
			 ERR_INVALID);
	/* 20 on the list, quota 16: four failures need no replacement */
	const char *fails[] = {"refused", "not_home", "moved", "ineligible"};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(round_contact(f->db, &f->a, &who, w.round,
					       ids[i], fails[i], "", &released,
					       &e),
				 ERR_OK);
		assert_int_equal(released, 0);
	}
	/* the fifth brings in the first replacement, in order */
	assert_int_equal(round_contact(f->db, &f->a, &who, w.round, ids[4],
				       "refused", "hai lần", &released, &e),
			 ERR_OK);
	assert_int_equal(released, 1);
	assert_int_equal(round_contact(f->db, &f->a, &who, w.round, ids[20],
				       "refused", "", &released, &e),
			 ERR_OK);
	assert_int_equal(released, 1);
	for (int i = 5; i < 19; i++)
		assert_int_equal(round_contact(f->db, &f->a, &who, w.round,
					       ids[i], "interviewed", "",
					       &released, &e),
				 ERR_OK);
	assert_int_equal(
		round_sample_people(f->db, &f->a, w.round, su, &people, &e),
		ERR_OK);
	for (size_t i = 20; i < 30; i++)
		assert_int_equal(
			json_integer_value(json_object_get(
				json_array_get(people, i), "released")),
			i < 22);
	json_decref(people);
	assert_int_equal(
		round_sample_units(f->db, &f->a, w.round, su, &units, &e),
		ERR_OK);
	json_t *u = json_array_get(units, 0);
	assert_int_equal(json_integer_value(json_object_get(u, "interviewed")),
			 14);
	assert_int_equal(json_integer_value(json_object_get(u, "refused")), 3);
	assert_int_equal(json_integer_value(json_object_get(u, "reserve_used")),
			 2);
	json_decref(units);

	/* once contacts exist, neither the frame nor the draw may change */
	assert_int_equal(
		round_draw(f->db, &f->a, &who, w.round, 1, 2, &rep, &e),
		ERR_CONFLICT);
	struct frame_report fr;
	struct problems p = {0};
	const char *csv = units_csv(&f->a, &w);
	assert_int_equal(round_frame_import(f->db, &f->a, &who, w.round, csv,
					    strlen(csv), &fr, &p, &e),
			 ERR_CONFLICT);

	/* every change is in the audit log */
	struct audit_filter af = {
		.entity = "survey_round", .page = 1, .per_page = 200};
	json_t *rows;
	long long n;
	assert_int_equal(audit_list(f->db, &f->a, &af, &rows, &n, &e), ERR_OK);
	/* create, 2 frames, 4 draws, 20 contacts (not the 2 refused) */
	assert_int_equal(n, 1 + 2 + 4 + 20);
	json_decref(rows);
}

static void test_round_settings(void **state)
{
	struct fixture *f = *state;
	struct world w;
	make_world(f, &w);
	struct papi_actor who = {0, "test", ""};
	struct error e = {0};
	json_t *errors = json_object();
	struct round_input bad = {
		.sample_quota = "40", .age_min = "80", .tie_rule = "middle"};
	assert_int_equal(
		round_edit(f->db, &f->a, &who, w.round, &bad, errors, &e),
		ERR_INVALID);
	assert_non_null(json_object_get(errors, "sample_quota"));
	assert_non_null(json_object_get(errors, "age_max"));
	assert_non_null(json_object_get(errors, "tie_rule"));
	json_decref(errors);
	struct round_input ok = {.sample_units = "2",
				 .sample_quota = "18",
				 .lonely_psu = "adjust"};
	assert_int_equal(round_edit(f->db, &f->a, &who, w.round, &ok, NULL, &e),
			 ERR_OK);
	json_t *r;
	assert_int_equal(round_get(f->db, &f->a, w.round, &r, &e), ERR_OK);
	assert_int_equal(json_integer_value(json_object_get(r, "sample_quota")),
			 18);
	assert_int_equal(
		json_integer_value(json_object_get(r, "sample_people")), 20);
	assert_string_equal(json_string_value(json_object_get(r, "lonely_psu")),
			    "adjust");
	assert_string_equal(json_string_value(json_object_get(r, "name")),
			    "Khảo sát 2026");
	json_decref(r);
	/* scope must be a commune or province; the catalogue must exist */
	errors = json_object();
	char vid[32];
	snprintf(vid, sizeof vid, "%lld", w.villages[0]);
	struct round_input in = {
		.year = "2026", .name = "x", .scope = vid, .catalogue = "1999"};
	long long id;
	assert_int_equal(round_create(f->db, &f->a, &who, &in, &id, errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "scope"));
	assert_non_null(json_object_get(errors, "catalogue"));
	json_decref(errors);
}

int main(void)
{
	(void)fx_file,
		(void)fx_replace; /* the fixture's helpers other tests use */
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_rng_reference),
		cmocka_unit_test(test_pps_probabilities),
		cmocka_unit_test(test_pps_systematic_exact),
		cmocka_unit_test(test_pps_simulation),
		cmocka_unit_test(test_respondents),
		cmocka_unit_test(test_age_filter),
		cmocka_unit_test(test_weights_sum),
		cmocka_unit_test(test_replacements),
	};
	const struct CMUnitTest db[] = {
		cmocka_unit_test_setup_teardown(test_frame_import, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_draw_and_contacts,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_round_settings, fx_setup,
						fx_teardown),
	};
	int failed = cmocka_run_group_tests_name("sampling", pure, NULL, NULL);
	return failed + fx_run("rounds and sampling in the database", db,
			       sizeof db / sizeof *db);
}
