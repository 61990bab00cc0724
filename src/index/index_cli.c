/* `quantri papi ...`: the catalogue, the official results and their
 * groups, from the command line; and `quantri init`, which is people/'s
 * init followed by the catalogue (and, with --demo, the official results).
 * Errors in English on stderr; exit 0 ok, 1 failure, 2 usage. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "index_cli.h"
#include "index_db.h"
#include "base/file.h"
#include "papi.h"
#include "demo_round.h"
#include "../cli.h"
#include "../base/csv.h"
#include "../base/banned.h"

enum { CLI_ARENA_MAX = 512 << 20 };

static const struct papi_actor actor_cli = {0, "cli", ""};

static const char papi_usage[] =
	"usage: quantri papi catalogue list [YEAR]\n"
	"       quantri papi catalogue import FILE.csv [--name NAME]\n"
	"       quantri papi catalogue export YEAR [FILE.csv]\n"
	"       quantri papi catalogue copy FROM_YEAR TO_YEAR [--name NAME]\n"
	"       quantri papi official import FILE.csv\n"
	"       quantri papi official list [YEAR]\n"
	"       quantri papi groups RESULTS.csv --year Y [--tie "
	"upper|lower]\n\n"
	"catalogue list    the catalogue versions; with YEAR, its dimensions,\n"
	"                  sub-dimensions and indicators\n"
	"catalogue import  a catalogue CSV (one row per question; see\n"
	"                  data/papi/catalogue_2024.csv) becomes the version "
	"of\n"
	"                  its year, all or nothing; every bad row and column "
	"is\n"
	"                  listed. A version a survey round uses is not "
	"replaced.\n"
	"catalogue export  the version as CSV, on stdout or into FILE.csv\n"
	"catalogue copy    starts next year's version from this year's\n"
	"official import   published results in the format of\n"
	"                  data/papi/official_provincial_scores_2020_2022.csv\n"
	"                  (blank cells are missing); replaces those years\n"
	"official list     the years held; with YEAR, its rows\n"
	"groups            reads RESULTS.csv (the official-results format; no\n"
	"                  database) and prints CSV unit,year,measure,score,\n"
	"                  rank,group: a row per unit and measure (d1..d8,\n"
	"                  total), rank descending among the units with that\n"
	"                  measure, group 1-4 by the quartiles of the year\n"
	"                  (PERCENTILE.INC; 1 = Cao, the highest), a score on "
	"a\n"
	"                  cut joining the upper group unless --tie lower. A\n"
	"                  unit without a score gets an empty rank and "
	"group.\n";

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri papi: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(papi_usage, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri papi %s: %s\n", what, e->msg);
	return 1;
}

/* The database of cfg, which `init` must have made. */
int index_cli_open_db(const char *cmd, const struct config *cfg, struct db **db)
{
	struct error e = {0};
	*db = NULL;
	if (!db_url_is_postgres(cfg->db)) {
		struct stat st;
		if (stat(db_sqlite_path(cfg->db), &st)) {
			fprintf(stderr,
				"quantri %s: no database at %s: run "
				"`quantri init` first\n",
				cmd, db_sqlite_path(cfg->db));
			return 1;
		}
	}
	if (db_open(db, cfg->db, &e)) {
		fprintf(stderr, "quantri %s: %s\n", cmd, e.msg);
		return 1;
	}
	if (db_schema_version(*db) < db_schema_version_known()) {
		fprintf(stderr,
			"quantri %s: the database schema is older than "
			"this program: run `quantri init`\n",
			cmd);
		db_close(*db);
		*db = NULL;
		return 1;
	}
	return 0;
}

static void print_problems(const char *file, const struct problems *p)
{
	for (int i = 0; i < p->kept; i++)
		fprintf(stderr, "%s:%d:%s%s %s\n", file, p->list[i].line,
			*p->list[i].column ? " " : "", p->list[i].column,
			p->list[i].msg_en);
	if (p->n > p->kept)
		fprintf(stderr, "%s: and %d more\n", file, p->n - p->kept);
}

static bool parse_year(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1990 || v > 2100)
		return false;
	*out = (int)v;
	return true;
}

/* ---- catalogue ---- */

static int catalogue_list(struct db *db, struct arena *a, int year)
{
	struct error e = {0};
	if (!year) {
		json_t *v;
		if (idb_catalogue_versions(db, a, &v, &e))
			return fail("catalogue list", &e);
		size_t i;
		json_t *x;
		if (!json_array_size(v))
			printf("no catalogue: `quantri init` loads the shipped "
			       "one\n");
		json_array_foreach(v, i, x)
		{
			printf("%lld  %s: %lld indicators, %lld questions",
			       (long long)json_integer_value(
				       json_object_get(x, "year")),
			       json_string_value(json_object_get(x, "name")),
			       (long long)json_integer_value(
				       json_object_get(x, "indicators")),
			       (long long)json_integer_value(
				       json_object_get(x, "questions")));
			long long local =
				json_integer_value(json_object_get(x, "local"));
			long long rounds = json_integer_value(
				json_object_get(x, "rounds"));
			if (local)
				printf(", %lld local", local);
			if (rounds)
				printf(", used by %lld round%s", rounds,
				       rounds > 1 ? "s" : "");
			putchar('\n');
		}
		json_decref(v);
		return 0;
	}
	struct catalogue c;
	if (idb_catalogue_load(db, a, year, &c, &e))
		return fail("catalogue list", &e);
	printf("%d  %s\n", c.year, c.name);
	for (int d = 0; d < c.ndimensions; d++) {
		printf("%s  %s\n", c.dimensions[d].code,
		       c.dimensions[d].name_vi);
		for (int s = 0; s < c.nsubdimensions; s++) {
			if (c.subdimensions[s].dimension != d)
				continue;
			printf("  %s  %s\n", c.subdimensions[s].code,
			       c.subdimensions[s].name_vi);
			for (int i = 0; i < c.nindicators; i++) {
				const struct cat_indicator *in =
					&c.indicators[i];
				if (in->subdimension != s)
					continue;
				int nq = 0;
				for (int q = 0; q < c.nquestions; q++)
					nq += c.questions[q].indicator == i;
				printf("    %-8s %s (%d question%s%s)\n",
				       in->code, in->name_vi, nq,
				       nq > 1 ? "s" : "",
				       in->local ? ", local" : "");
			}
		}
	}
	return 0;
}

static int cmd_catalogue(struct config *cfg, int argc, char **argv)
{
	if (argc < 3)
		return usage("catalogue: list, import, export or copy%s", "");
	const char *sub = argv[2], *name = NULL;
	const char *pos[3] = {0};
	int npos = 0;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return usage("unknown option %s", argv[i]);
		else if (npos < 3)
			pos[npos++] = argv[i];
		else
			return usage("unexpected argument %s", argv[i]);
	}
	int y1 = 0, y2 = 0;
	if (!strcmp(sub, "list")) {
		if (npos > 1 || (npos == 1 && !parse_year(pos[0], &y1)))
			return usage("catalogue list: YEAR is a year, not %s",
				     pos[0]);
	} else if (!strcmp(sub, "import")) {
		if (npos != 1)
			return usage("catalogue import: one FILE.csv%s", "");
	} else if (!strcmp(sub, "export")) {
		if (npos < 1 || npos > 2 || !parse_year(pos[0], &y1))
			return usage("catalogue export: YEAR [FILE.csv]%s", "");
	} else if (!strcmp(sub, "copy")) {
		if (npos != 2 || !parse_year(pos[0], &y1) ||
		    !parse_year(pos[1], &y2))
			return usage("catalogue copy: FROM_YEAR TO_YEAR%s", "");
	} else {
		return usage("catalogue: unknown subcommand %s", sub);
	}
	struct db *db;
	if (index_cli_open_db("papi", cfg, &db))
		return 1;
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	struct error e = {0};
	int rc = 0;
	if (!strcmp(sub, "list")) {
		rc = catalogue_list(db, &a, y1);
	} else if (!strcmp(sub, "import")) {
		size_t len;
		char *data = file_read_all(&a, pos[0], CSV_MAX_BYTES, &len, &e);
		struct catalogue c;
		struct problems p = {0};
		enum err err =
			data ? papi_catalogue_import(db, &a, &actor_cli, data,
						     len, name, &c, &p, &e)
			     : e.code;
		if (err) {
			print_problems(pos[0], &p);
			rc = fail("catalogue import", &e);
			if (err == ERR_INVALID)
				fprintf(stderr, "nothing was imported\n");
		} else {
			printf("%s: catalogue %d (%s): %d dimensions, %d "
			       "sub-dimensions, %d indicators, %d questions\n",
			       pos[0], c.year, c.name, c.ndimensions,
			       c.nsubdimensions, c.nindicators, c.nquestions);
		}
	} else if (!strcmp(sub, "export")) {
		struct catalogue c;
		size_t len = 0;
		char *csv = NULL;
		if (idb_catalogue_load(db, &a, y1, &c, &e)) {
			rc = fail("catalogue export", &e);
		} else if (!(csv = catalogue_csv(&a, &c, &len))) {
			error_set(&e, ERR_NOMEM, "out of memory");
			rc = fail("catalogue export", &e);
		} else {
			FILE *f = npos == 2 ? fopen(pos[1], "wb") : stdout;
			if (!f || fwrite(csv, 1, len, f) != len ||
			    (f != stdout ? fclose(f) : fflush(f))) {
				error_set(&e, ERR_IO, "%s: %s",
					  npos == 2 ? pos[1] : "stdout",
					  strerror(errno));
				rc = fail("catalogue export", &e);
			}
		}
	} else {
		if (papi_catalogue_copy(db, &a, &actor_cli, y1, y2, name, &e))
			rc = fail("catalogue copy", &e);
		else
			printf("catalogue %d copied to %d\n", y1, y2);
	}
	arena_release(&a);
	db_close(db);
	return rc;
}

/* ---- official results ---- */

static int cmd_official(struct config *cfg, int argc, char **argv)
{
	if (argc < 3)
		return usage("official: import or list%s", "");
	const char *sub = argv[2];
	int year = 0;
	if (!strcmp(sub, "import")) {
		if (argc != 4 || argv[3][0] == '-')
			return usage("official import: one FILE.csv%s", "");
	} else if (!strcmp(sub, "list")) {
		if (argc > 4 || (argc == 4 && !parse_year(argv[3], &year)))
			return usage("official list: [YEAR]%s", "");
	} else {
		return usage("official: unknown subcommand %s", sub);
	}
	struct db *db;
	if (index_cli_open_db("papi", cfg, &db))
		return 1;
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	struct error e = {0};
	int rc = 0;
	if (!strcmp(sub, "import")) {
		size_t len;
		char *data =
			file_read_all(&a, argv[3], CSV_MAX_BYTES, &len, &e);
		const char *base = strrchr(argv[3], '/');
		struct official_set s;
		struct problems p = {0};
		enum err err =
			data ? papi_official_import(
				       db, &a, &actor_cli, data, len,
				       base ? base + 1 : argv[3], &s, &p, &e)
			     : e.code;
		if (err) {
			print_problems(argv[3], &p);
			rc = fail("official import", &e);
			if (err == ERR_INVALID)
				fprintf(stderr, "nothing was imported\n");
		} else {
			printf("%s: %d rows imported\n", argv[3], s.n);
		}
	} else if (!year) {
		json_t *years;
		if (idb_official_years(db, &a, &years, &e)) {
			rc = fail("official list", &e);
		} else {
			size_t i;
			json_t *x;
			json_array_foreach(years, i, x) printf(
				"%lld  %lld units, %lld with a total\n",
				(long long)json_integer_value(
					json_object_get(x, "year")),
				(long long)json_integer_value(
					json_object_get(x, "units")),
				(long long)json_integer_value(
					json_object_get(x, "with_total")));
			json_decref(years);
		}
	} else {
		struct official_set s;
		if (idb_official_load(db, &a, year, &s, &e)) {
			rc = fail("official list", &e);
		} else {
			fputs("unit,year,d1,d2,d3,d4,d5,d6,d7,d8,total,"
			      "rank\r\n",
			      stdout);
			for (int i = 0; i < s.n; i++) {
				const struct official_row *r = &s.rows[i];
				printf("%s,%d", csv_quote(&a, r->name),
				       r->year);
				for (int m = 0; m < OFFICIAL_MEASURES; m++)
					printf(",%s", r->text[m]);
				if (r->rank)
					printf(",%d\r\n", r->rank);
				else
					fputs(",\r\n", stdout);
			}
		}
	}
	arena_release(&a);
	db_close(db);
	return rc;
}

/* ---- groups ---- */

static int cmd_groups(int argc, char **argv)
{
	const char *file = NULL, *tie_s = "upper";
	int year = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--year") && i + 1 < argc) {
			if (!parse_year(argv[++i], &year))
				return usage(
					"groups: --year takes a year, not %s",
					argv[i]);
		} else if (!strcmp(argv[i], "--tie") && i + 1 < argc) {
			tie_s = argv[++i];
			if (strcmp(tie_s, "upper") && strcmp(tie_s, "lower"))
				return usage("groups: --tie is upper or lower, "
					     "not %s",
					     tie_s);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage("groups: unknown option %s", argv[i]);
		} else if (!file) {
			file = argv[i];
		} else {
			return usage("groups: unexpected argument %s", argv[i]);
		}
	}
	if (!file || !year)
		return usage("groups: RESULTS.csv and --year Y are needed%s",
			     "");
	enum tier_tie tie =
		strcmp(tie_s, "lower") ? TIER_TIE_UPPER : TIER_TIE_LOWER;
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	struct error e = {0};
	struct official_set s;
	struct problems p = {0};
	size_t len;
	int rc = 1;
	char *data = file_read_all(&a, file, CSV_MAX_BYTES, &len, &e);
	if (!data) {
		fail("groups", &e);
		goto out;
	}
	if (official_parse(&a, data, len, &s, &p, &e)) {
		print_problems(file, &p);
		fail("groups", &e);
		goto out;
	}
	int n = 0;
	for (int i = 0; i < s.n; i++)
		n += s.rows[i].year == year;
	if (!n) {
		fprintf(stderr, "quantri papi groups: %s has no row for %d\n",
			file, year);
		goto out;
	}
	int *ranks = arena_alloc(&a, sizeof *ranks * (size_t)s.n *
					     OFFICIAL_MEASURES);
	int *groups = arena_alloc(&a, sizeof *groups * (size_t)s.n *
					      OFFICIAL_MEASURES);
	if (!ranks || !groups) {
		fprintf(stderr, "quantri papi groups: out of memory\n");
		goto out;
	}
	for (int m = 0; m < OFFICIAL_MEASURES; m++)
		official_groups(s.rows, s.n, year, m, tie, ranks + m * s.n,
				groups + m * s.n, NULL);
	fputs("unit,year,measure,score,rank,group\r\n", stdout);
	for (int i = 0; i < s.n; i++) {
		const struct official_row *r = &s.rows[i];
		if (r->year != year)
			continue;
		const char *unit = csv_quote(&a, r->name);
		for (int m = 0; m < OFFICIAL_MEASURES; m++) {
			printf("%s,%d,%s,%s,", unit, year,
			       official_measure_keys[m],
			       isnan(r->v[m]) ? "" : r->text[m]);
			if (ranks[m * s.n + i])
				printf("%d,%d\r\n", ranks[m * s.n + i],
				       groups[m * s.n + i]);
			else
				fputs(",\r\n", stdout);
		}
	}
	rc = fflush(stdout) ? 1 : 0;
out:
	arena_release(&a);
	return rc;
}

int index_cli_papi(struct config *cfg, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL, NULL);
	for (int i = 1; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(papi_usage, stdout);
			return 0;
		}
	if (!strcmp(argv[1], "catalogue"))
		return cmd_catalogue(cfg, argc, argv);
	if (!strcmp(argv[1], "official"))
		return cmd_official(cfg, argc, argv);
	if (!strcmp(argv[1], "groups"))
		return cmd_groups(argc, argv);
	return usage("unknown subcommand %s", argv[1]);
}

int index_cli_init(struct config *cfg, int argc, char **argv)
{
	bool demo = false;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i]))
			return people_cli_init(cfg, argc, argv);
		demo |= !strcmp(argv[i], "--demo");
	}
	int rc = people_cli_init(cfg, argc, argv);
	if (rc)
		return rc;
	struct db *db;
	struct error e = {0};
	if (db_open(&db, cfg->db, &e)) {
		fprintf(stderr, "quantri init: %s\n", e.msg);
		return 1;
	}
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	int cat = 0, off = 0;
	if (papi_seed(db, &a, demo, &cat, &off, &e)) {
		fprintf(stderr, "quantri init: %s\n", e.msg);
		rc = 1;
	} else {
		if (cat)
			printf("PAPI catalogue 2024 loaded from %s\n",
			       PAPI_SHIPPED_CATALOGUE);
		if (off)
			printf("official PAPI results 2020 and 2022 loaded "
			       "from %s\n",
			       PAPI_SHIPPED_OFFICIAL);
		if (demo)
			rc = demo_round_init(db, &a);
	}
	arena_release(&a);
	db_close(db);
	return rc;
}
