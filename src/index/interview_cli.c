/* `quantri interviews import|export|list`: the interviews of a survey
 * round from the command line. Errors in English on stderr; exit 0 ok,
 * 1 failure, 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "index_cli.h"
#include "base/file.h"
#include "interview_db.h"
#include "../cli.h"
#include "../base/csv.h"
#include "../people/people.h"
#include "../base/banned.h"

enum { CLI_ARENA_MAX = 1024 << 20 };

static const char usage_text[] =
	"usage: quantri interviews import ROUND FILE.csv [--map MAP.csv]\n"
	"       quantri interviews export ROUND [FILE.csv] [--codes]\n"
	"       quantri interviews list ROUND\n\n"
	"import  answers, one row per interview (e.g. a KoboToolbox or ODK\n"
	"        export), into survey round ROUND (its id), all or nothing:\n"
	"        every bad row and column is listed and nothing is imported.\n"
	"        Required: a village (unit id or name), gender (1/2, nam/nu,\n"
	"        male/female) and age (18-70) or age_group (18-29 ... 60-70);\n"
	"        optional: weight (> 0), id, person (the drawn person's id on\n"
	"        the surveyor's list: checked against the draw, and the\n"
	"        contact is recorded as interviewed). A column named like a\n"
	"        question code of the round's catalogue (q1_1_1) or like one\n"
	"        of those words maps to it; MAP.csv (header column,code) maps\n"
	"        the others (an empty code ignores the column). An empty cell\n"
	"        is no answer.\n"
	"export  the submitted interviews as the CSV `quantri survey "
	"estimate`\n"
	"        reads: id,village,stratum,cluster,gender,age_group,weight and "
	"a\n"
	"        column per question (cluster = village, stratum = its "
	"commune;\n"
	"        weight 1 when none was imported). Missing codes (98, 99) are\n"
	"        written as empty cells unless --codes. On stdout or "
	"FILE.csv.\n"
	"list    the round's interviews\n";

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri interviews: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri interviews %s: %s\n", what, e->msg);
	return 1;
}

static long long round_of(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	return *s && !*end && v > 0 ? v : 0;
}

static int cmd_import(struct db *db, struct arena *a, long long round,
		      const char *file, const char *mapfile)
{
	struct error e = {0};
	size_t len, maplen = 0;
	char *data = file_read_all(a, file, CSV_MAX_BYTES, &len, &e),
	     *map = NULL;
	if (!data)
		return fail("import", &e);
	if (mapfile &&
	    !(map = file_read_all(a, mapfile, CSV_MAX_BYTES, &maplen, &e)))
		return fail("import", &e);
	struct iv_import im;
	struct problems p = {0};
	enum err err = iv_import(db, a, &actor_cli, round, data, len, map,
				 maplen, &im, &p, &e);
	if (err == ERR_INVALID) {
		for (int i = 0; i < p.kept; i++) {
			const struct problem *x = &p.list[i];
			bool in_map = !strncmp(x->msg_en, "map:", 4);
			fprintf(stderr, "%s:%d:%s%s %s\n",
				in_map ? mapfile : file, x->line,
				*x->column ? " " : "", x->column, x->msg_en);
		}
		if (p.n > p.kept)
			fprintf(stderr, "%s: and %d more\n", file,
				p.n - p.kept);
		fprintf(stderr,
			"quantri interviews import: %d problem%s, nothing "
			"imported\n",
			p.n, p.n == 1 ? "" : "s");
		return 1;
	}
	if (err)
		return fail("import", &e);
	printf("imported %d interviews into round %lld (%d question columns",
	       im.nrows, round, im.nmapped);
	if (im.nignored) {
		printf("; ignored:");
		for (int i = 0; i < im.nignored; i++)
			printf(" %s", im.ignored[i]);
	}
	printf(")\n");
	return 0;
}

static int cmd_export(struct db *db, struct arena *a, long long round,
		      const char *file, bool codes)
{
	struct error e = {0};
	char *csv;
	size_t len;
	int rows;
	if (iv_export(db, a, round, codes, &csv, &len, &rows, &e))
		return fail("export", &e);
	FILE *f = file ? fopen(file, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "quantri interviews export: %s: %s\n", file,
			strerror(errno));
		return 1;
	}
	bool ok = fwrite(csv, 1, len, f) == len;
	ok = (file ? fclose(f) : fflush(f)) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "quantri interviews export: cannot write %s\n",
			file ? file : "stdout");
		return 1;
	}
	if (file)
		fprintf(stderr, "wrote %d interviews to %s\n", rows, file);
	return 0;
}

static int cmd_list(struct db *db, struct arena *a, long long round)
{
	struct error e = {0};
	struct iv_round r;
	json_t *list;
	if (ivdb_round(db, a, round, &r, &e) ||
	    ivdb_list(db, a, round, NULL, 0, &list, &e))
		return fail("list", &e);
	printf("round %lld: %d %s (%s), catalogue %d\n", r.id, r.year, r.name,
	       r.scope_name, r.catalogue_year);
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
		printf("%lld  %s  %s  %s %s  %s\n",
		       (long long)json_integer_value(json_object_get(x, "id")),
		       json_string_value(json_object_get(x, "village")),
		       json_string_value(json_object_get(x, "status")),
		       json_string_value(json_object_get(x, "gender")),
		       json_string_value(json_object_get(x, "age_group")),
		       json_string_value(json_object_get(x, "source")));
	json_decref(list);
	return 0;
}

int index_cli_interviews(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc >= 2) {
			fputs(usage_text, stdout);
			return 0;
		}
		return usage(NULL, NULL);
	}
	const char *verb = argv[1];
	const char *pos[2] = {NULL, NULL}, *map = NULL;
	int npos = 0;
	bool codes = false;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--map")) {
			if (++i >= argc)
				return usage("--map needs a file", NULL);
			map = argv[i];
		} else if (!strcmp(argv[i], "--codes")) {
			codes = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage("unknown option %s", argv[i]);
		} else if (npos < 2) {
			pos[npos++] = argv[i];
		} else {
			return usage("too many arguments: %s", argv[i]);
		}
	}
	long long round = pos[0] ? round_of(pos[0]) : 0;
	if (!round)
		return usage(pos[0] ? "not a round id: %s"
				    : "ROUND is required",
			     pos[0]);
	bool imp = !strcmp(verb, "import"), exp = !strcmp(verb, "export"),
	     lst = !strcmp(verb, "list");
	if (!imp && !exp && !lst)
		return usage("unknown command %s", verb);
	if (imp && !pos[1])
		return usage("import needs FILE.csv", NULL);
	if ((lst && pos[1]) || (!imp && map) || (!exp && codes))
		return usage("unexpected arguments for %s", verb);
	struct db *db;
	int rc = index_cli_open_db("interviews", cfg, &db);
	if (rc)
		return rc;
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	rc = imp   ? cmd_import(db, &a, round, pos[1], map)
	     : exp ? cmd_export(db, &a, round, pos[1], codes)
		   : cmd_list(db, &a, round);
	arena_release(&a);
	db_close(db);
	return rc;
}
