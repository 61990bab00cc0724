/* `quantri round ...`: survey rounds, their sample frame, the draw, the
 * sample list and contacts, from the command line. Errors in English on
 * stderr; exit 0 ok, 1 failure, 2 usage. */
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "index_cli.h"
#include "base/file.h"
#include "round.h"
#include "weights.h"
#include "../cli.h"
#include "../base/csv.h"
#include "../base/banned.h"

enum { CLI_ARENA_MAX = 512 << 20 };

static const struct papi_actor cli_actor = {0, "cli", ""};

static const char round_usage[] =
	"usage: quantri round create --year Y --name NAME --scope UNIT "
	"--catalogue YEAR\n"
	"                            [SETTING VALUE...]\n"
	"       quantri round list\n"
	"       quantri round show ROUND\n"
	"       quantri round set ROUND SETTING VALUE...\n"
	"       quantri round frame ROUND FILE.csv\n"
	"       quantri round draw ROUND --seed N [--units K]\n"
	"       quantri round export ROUND [FILE.csv]\n"
	"       quantri round contact ROUND PERSON OUTCOME [--note TEXT]\n"
	"       quantri round margins ROUND FILE.csv\n\n"
	"create   a survey round of a commune (its villages are the clusters)\n"
	"         or a province (its communes); UNIT is a unit id or code\n"
	"set      changes settings: --name, --note, --tie upper|lower,\n"
	"         --bounds theoretical|observed, --min-answers N,\n"
	"         --lonely-psu fail|remove|certainty|adjust|average, --units "
	"K,\n"
	"         --people N (20), --reserve N (10), --quota N (16),\n"
	"         --age-min N (18), --age-max N (70)\n"
	"frame    imports the sample frame, all or nothing: a units file\n"
	"         (unit,population,is_seat) or a people file (unit,person_id,\n"
	"         full_name,gender,birth_year,address); unit is a unit id,\n"
	"         code or name. Every bad row and column is listed.\n"
	"draw     the seat unit plus K units drawn with probability\n"
	"         proportional to size (systematic PPS), then per unit the\n"
	"         people aged age-min..age-max at random plus the ordered\n"
	"         replacements; the same seed gives the same sample\n"
	"export   the sample as CSV (weights = 1 / (P(unit) x "
	"P(person|unit)))\n"
	"contact  records an outcome: interviewed, refused, not_home, moved,\n"
	"         ineligible (or pending); replacements come in, in order,\n"
	"         until the quota can be met\n"
	"margins  imports census margins for raking the weights, all or\n"
	"         nothing: variable,category,population with gender\n"
	"         (male, female), age_group (18-29 .. 60-70) and/or\n"
	"         village (every village of the round, by code, unit id or\n"
	"         name); every variable adds up to the same total\n";

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri round: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(round_usage, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri round %s: %s\n", what, e->msg);
	return 1;
}

static long long round_id(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	return *s && !*end && !errno && v > 0 ? v : -1;
}

/* --flag value pairs into in; returns 0 or a usage status. */
static int parse_settings(int argc, char **argv, int from,
			  struct round_input *in)
{
	static const struct {
		const char *flag;
		size_t off;
	} flags[] = {
		{"--year", offsetof(struct round_input, year)},
		{"--name", offsetof(struct round_input, name)},
		{"--scope", offsetof(struct round_input, scope)},
		{"--catalogue", offsetof(struct round_input, catalogue)},
		{"--tie", offsetof(struct round_input, tie_rule)},
		{"--bounds", offsetof(struct round_input, bounds_rule)},
		{"--min-answers", offsetof(struct round_input, min_answers)},
		{"--lonely-psu", offsetof(struct round_input, lonely_psu)},
		{"--units", offsetof(struct round_input, sample_units)},
		{"--people", offsetof(struct round_input, sample_people)},
		{"--reserve", offsetof(struct round_input, sample_reserve)},
		{"--quota", offsetof(struct round_input, sample_quota)},
		{"--age-min", offsetof(struct round_input, age_min)},
		{"--age-max", offsetof(struct round_input, age_max)},
		{"--note", offsetof(struct round_input, note)},
	};
	for (int i = from; i < argc; i += 2) {
		size_t k;
		for (k = 0; k < sizeof flags / sizeof *flags; k++)
			if (!strcmp(argv[i], flags[k].flag))
				break;
		if (k == sizeof flags / sizeof *flags)
			return usage("unknown option %s", argv[i]);
		if (i + 1 >= argc)
			return usage("%s needs a value", argv[i]);
		*(const char **)((char *)in + flags[k].off) = argv[i + 1];
	}
	return 0;
}

static void print_errors(json_t *errors)
{
	const char *k;
	json_t *v;
	json_object_foreach(errors, k, v)
		fprintf(stderr, "  %s: %s\n", k, json_string_value(v));
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long ji(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static int cmd_show(struct db *db, struct arena *a, long long id)
{
	struct error e = {0};
	json_t *r, *frame, *units;
	if (round_get(db, a, id, &r, &e))
		return fail("show", &e);
	printf("round %lld: %s (%lld), %s, catalogue %lld, status %s\n", id,
	       js(r, "name"), ji(r, "year"), js(r, "scope_name"),
	       ji(r, "catalogue_year"), js(r, "status"));
	printf("settings: units %lld, people %lld + %lld replacements, quota "
	       "%lld, ages %lld-%lld, tie %s, bounds %s, min answers %lld, "
	       "lonely psu %s\n",
	       ji(r, "sample_units"), ji(r, "sample_people"),
	       ji(r, "sample_reserve"), ji(r, "sample_quota"), ji(r, "age_min"),
	       ji(r, "age_max"), js(r, "tie_rule"), js(r, "bounds_rule"),
	       ji(r, "min_answers"), js(r, "lonely_psu"));
	json_decref(r);
	if (round_frame(db, a, id, &frame, &e))
		return fail("show", &e);
	size_t i;
	json_t *x;
	printf("frame: %zu units\n", json_array_size(frame));
	json_array_foreach(frame, i, x)
		printf("  %s%s: population %lld, %lld people, %lld eligible\n",
		       js(x, "full_name"), ji(x, "is_seat") ? " (seat)" : "",
		       ji(x, "population"), ji(x, "people"), ji(x, "eligible"));
	json_decref(frame);
	if (round_sample_units(db, a, id, 0, &units, &e))
		return fail("show", &e);
	if (json_array_size(units))
		printf("sample: %zu units\n", json_array_size(units));
	json_array_foreach(units, i, x) printf(
		"  %s: p=%.6f%s, interviewed %lld/%lld, refused %lld, "
		"replacements used %lld\n",
		js(x, "full_name"),
		json_number_value(json_object_get(x, "prob")),
		ji(x, "certainty") ? " (certain)" : "", ji(x, "interviewed"),
		ji(x, "quota"), ji(x, "refused"), ji(x, "reserve_used"));
	json_decref(units);
	return 0;
}

static int run(struct db *db, struct arena *a, int argc, char **argv)
{
	const char *sub = argv[1];
	struct error e = {0};
	if (!strcmp(sub, "create")) {
		struct round_input in = {0};
		int rc = parse_settings(argc, argv, 2, &in);
		if (rc)
			return rc;
		json_t *errors = json_object();
		long long id;
		if (round_create(db, a, &cli_actor, &in, &id, errors, &e)) {
			fail("create", &e);
			print_errors(errors);
			json_decref(errors);
			return 1;
		}
		json_decref(errors);
		printf("%lld\n", id);
		return 0;
	}
	if (!strcmp(sub, "list")) {
		json_t *list;
		if (round_list(db, a, &list, &e))
			return fail("list", &e);
		size_t i;
		json_t *x;
		json_array_foreach(list, i, x) printf(
			"%lld  %lld  %s  %s  %s\n", ji(x, "id"), ji(x, "year"),
			js(x, "name"), js(x, "scope_name"), js(x, "status"));
		json_decref(list);
		return 0;
	}
	if (argc < 3)
		return usage("%s needs a ROUND", sub);
	long long id = round_id(argv[2]);
	if (id < 0)
		return usage("'%s' is not a round id", argv[2]);
	if (!strcmp(sub, "show"))
		return cmd_show(db, a, id);
	if (!strcmp(sub, "set")) {
		struct round_input in = {0};
		int rc = parse_settings(argc, argv, 3, &in);
		if (rc)
			return rc;
		if (in.year || in.scope || in.catalogue)
			return usage("%s", "year, scope and catalogue are "
					   "fixed at create");
		json_t *errors = json_object();
		if (round_edit(db, a, &cli_actor, id, &in, errors, &e)) {
			fail("set", &e);
			print_errors(errors);
			json_decref(errors);
			return 1;
		}
		json_decref(errors);
		return 0;
	}
	if (!strcmp(sub, "frame")) {
		if (argc != 4)
			return usage("%s", "frame needs ROUND FILE.csv");
		size_t len;
		char *csv = file_read_all(a, argv[3], CSV_MAX_BYTES, &len, &e);
		if (!csv)
			return fail("frame", &e);
		struct frame_report rep;
		struct problems p = {0};
		if (round_frame_import(db, a, &cli_actor, id, csv, len, &rep,
				       &p, &e)) {
			if (p.n) {
				for (int i = 0; i < p.kept; i++)
					fprintf(stderr, "%s:%d:%s%s %s\n",
						argv[3], p.list[i].line,
						*p.list[i].column ? " " : "",
						p.list[i].column,
						p.list[i].msg_en);
				if (p.n > p.kept)
					fprintf(stderr, "%s: and %d more\n",
						argv[3], p.n - p.kept);
				fprintf(stderr,
					"quantri round frame: %s: %d problems, "
					"nothing imported\n",
					argv[3], p.n);
				return 1;
			}
			return fail("frame", &e);
		}
		printf("%s: %d %s rows imported (%d units)\n", argv[3],
		       rep.rows, rep.kind, rep.units);
		return 0;
	}
	if (!strcmp(sub, "draw")) {
		const char *seed = NULL, *units = NULL;
		for (int i = 3; i < argc; i += 2) {
			if (i + 1 >= argc)
				return usage("%s needs a value", argv[i]);
			if (!strcmp(argv[i], "--seed"))
				seed = argv[i + 1];
			else if (!strcmp(argv[i], "--units"))
				units = argv[i + 1];
			else
				return usage("unknown option %s", argv[i]);
		}
		if (!seed)
			return usage("%s", "draw needs --seed N");
		char *end;
		errno = 0;
		uint64_t s = strtoull(seed, &end, 10);
		if (!*seed || *end || errno || *seed == '-')
			return usage("--seed '%s': not a whole number", seed);
		long k = -1;
		if (units) {
			k = strtol(units, &end, 10);
			if (!*units || *end || k < 0 || k > SAMPLING_MAX_UNITS)
				return usage("--units '%s': not a whole number",
					     units);
		}
		struct draw_report rep;
		if (round_draw(db, a, &cli_actor, id, s, (int)k, &rep, &e))
			return fail("draw", &e);
		printf("drew %d units: %d people and %d replacements; their "
		       "design weights sum to %.1f (the estimated number of "
		       "eligible people)\n",
		       rep.units, rep.people, rep.reserves, rep.weight_sum);
		return 0;
	}
	if (!strcmp(sub, "export")) {
		if (argc > 4)
			return usage("%s", "export takes ROUND [FILE.csv]");
		char *csv;
		size_t len;
		json_t *r;
		if (round_get(db, a, id, &r, &e))
			return fail("export", &e);
		json_decref(r);
		if (round_sample_csv(db, a, id, &csv, &len, &e))
			return fail("export", &e);
		FILE *f = argc == 4 ? fopen(argv[3], "wb") : stdout;
		if (!f) {
			fprintf(stderr, "quantri round export: %s: %s\n",
				argv[3], strerror(errno));
			return 1;
		}
		bool bad = fwrite(csv, 1, len, f) != len;
		if (f != stdout)
			bad |= fclose(f) != 0;
		if (bad) {
			fprintf(stderr, "quantri round export: cannot write\n");
			return 1;
		}
		return 0;
	}
	if (!strcmp(sub, "contact")) {
		if (argc != 5 && !(argc == 7 && !strcmp(argv[5], "--note")))
			return usage("%s", "contact needs ROUND PERSON OUTCOME "
					   "[--note TEXT]");
		long long person = round_id(argv[3]);
		if (person < 0)
			return usage("'%s' is not a person id", argv[3]);
		int released;
		if (round_contact(db, a, &cli_actor, id, person, argv[4],
				  argc == 7 ? argv[6] : "", &released, &e))
			return fail("contact", &e);
		printf("recorded%s", released ? "; " : "\n");
		if (released)
			printf("%d replacement%s brought in\n", released,
			       released > 1 ? "s" : "");
		return 0;
	}
	if (!strcmp(sub, "margins")) {
		if (argc != 4)
			return usage("%s", "margins needs ROUND FILE.csv");
		size_t len;
		char *csv = file_read_all(a, argv[3], CSV_MAX_BYTES, &len, &e);
		if (!csv)
			return fail("margins", &e);
		struct weights_margins m;
		struct problems p = {0};
		if (weights_import(db, a, &cli_actor, id, csv, len, &m, &p,
				   &e)) {
			if (!p.n)
				return fail("margins", &e);
			for (int i = 0; i < p.kept; i++)
				fprintf(stderr, "%s:%d:%s%s %s\n", argv[3],
					p.list[i].line,
					*p.list[i].column ? " " : "",
					p.list[i].column, p.list[i].msg_en);
			if (p.n > p.kept)
				fprintf(stderr, "%s: and %d more\n", argv[3],
					p.n - p.kept);
			fprintf(stderr,
				"quantri round margins: %s: %d problems, "
				"nothing imported\n",
				argv[3], p.n);
			return 1;
		}
		printf("%s: margins imported (", argv[3]);
		for (int v = 0, k = 0; v < WEIGHTS_NVARS; v++)
			if (m.has[v])
				printf("%s%s", k++ ? ", " : "",
				       weights_variables[v]);
		printf(")\n");
		return 0;
	}
	return usage("unknown subcommand %s", sub);
}

int index_cli_round(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc >= 2)
			return fputs(round_usage, stdout), 0;
		return usage(NULL, NULL);
	}
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return fputs(round_usage, stdout), 0;
	struct db *db;
	int rc = index_cli_open_db("round", cfg, &db);
	if (rc)
		return rc;
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	rc = run(db, &a, argc, argv);
	arena_release(&a);
	db_close(db);
	return rc;
}
