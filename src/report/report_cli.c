/* `quantri report ...`: stored reports from the command line (list, build
 * a draft, issue it, show it, write its PDF, XLSX or DOCX), and `quantri
 * init`, which after the oversight seeds the demo reports with --demo.
 * Errors in English on stderr; exit 0 ok, 1 failure, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "../base/clock.h"
#include "../base/file.h"
#include "../cli.h"
#include "../people/people.h"
#include "../base/banned.h"

enum { REPORT_CLI_ARENA_MAX = 512 << 20 };

static const char report_usage[] =
	"usage: quantri report list [--commune CODE] [--year YYYY]\n"
	"       quantri report build KIND YEAR [NO] [--commune CODE] "
	"[--plan ID]\n"
	"       quantri report issue ID [--number N] [--date YYYY-MM-DD]\n"
	"       quantri report show ID\n"
	"       quantri report file ID (--pdf | --xlsx | --docx) -o FILE\n\n"
	"list   the commune's reports, newest first: id, number (- for a "
	"draft),\n"
	"       kind, year, period number, data from, data to, issued on, "
	"title\n"
	"       (tab-separated)\n"
	"build  a draft from the figures of the period: KIND is monthly "
	"(NO 1-12),\n"
	"       quarterly (1-4), six_month (1-2), yearly, or plan (with "
	"--plan ID);\n"
	"       prints the new report's id\n"
	"issue  numbers a draft (the next number of the year unless "
	"--number)\n"
	"       and dates it (today unless --date); it never changes after\n"
	"show   the report's document as text\n"
	"file   writes the report as PDF, XLSX or DOCX\n"
	"--commune CODE: the commune's statistics code (default 12424)\n";

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fprintf(stderr, "quantri report: ");
		fprintf(stderr, msg, arg);
		fprintf(stderr, "\n");
	}
	fputs(report_usage, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri report %s: %s\n", what, e->msg);
	return 1;
}

struct opts {
	const char *commune, *year, *plan, *number, *date, *out, *format;
	const char *pos[3];
	int npos;
};

static int parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){.commune = "12424"};
	for (int i = 2; i < argc; i++) {
		const char *k = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(k, "--commune") && has)
			o->commune = argv[++i];
		else if (!strcmp(k, "--year") && has)
			o->year = argv[++i];
		else if (!strcmp(k, "--plan") && has)
			o->plan = argv[++i];
		else if (!strcmp(k, "--number") && has)
			o->number = argv[++i];
		else if (!strcmp(k, "--date") && has)
			o->date = argv[++i];
		else if (!strcmp(k, "-o") && has)
			o->out = argv[++i];
		else if (!strcmp(k, "--pdf") || !strcmp(k, "--xlsx") ||
			 !strcmp(k, "--docx"))
			o->format = k + 2;
		else if (k[0] == '-' || o->npos == 3)
			return usage("unexpected argument %s", k);
		else
			o->pos[o->npos++] = k;
	}
	return 0;
}

/* A positive whole number, else -1. */
static long long whole(const char *s)
{
	if (!s || !*s)
		return -1;
	char *end;
	long long n = strtoll(s, &end, 10);
	return *end || n <= 0 ? -1 : n;
}

static enum err commune_of(struct db *db, struct arena *a, const char *code,
			   long long *id, struct error *e)
{
	struct unit u;
	enum err err = units_find(db, a, code, &u, e);
	if (err)
		return err;
	if (strcmp(u.kind, "commune"))
		return error_set(e, ERR_INVALID, "unit %s: not a commune",
				 code);
	*id = u.id;
	return ERR_OK;
}

static int cmd_list(struct db *db, struct arena *a, const struct opts *o)
{
	struct error e = {0};
	long long commune;
	long long year = o->year ? whole(o->year) : 0;
	if (year < 0)
		return usage("--year %s: not a year", o->year);
	json_t *rows;
	if (commune_of(db, a, o->commune, &commune, &e) ||
	    report_list(db, a, &commune, 1, (int)year, &rows, &e))
		return fail("list", &e);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *nt =
			json_string_value(json_object_get(r, "number_text"));
		printf("%lld\t%s\t%s\t%lld\t%lld\t%s\t%s\t%s\t%s\n",
		       (long long)json_integer_value(json_object_get(r, "id")),
		       nt && *nt ? nt : "-",
		       json_string_value(json_object_get(r, "kind")),
		       (long long)json_integer_value(
			       json_object_get(r, "year")),
		       (long long)json_integer_value(json_object_get(r, "no")),
		       json_string_value(json_object_get(r, "period_from")),
		       json_string_value(json_object_get(r, "period_to")),
		       json_string_value(json_object_get(r, "issued_on")),
		       json_string_value(json_object_get(r, "title")));
	}
	json_decref(rows);
	return 0;
}

static int cmd_build(struct db *db, struct arena *a, const struct opts *o)
{
	struct report_request rq = {0};
	if (o->npos < 2)
		return usage("build needs KIND and YEAR%s", "");
	if (!report_kind_parse(o->pos[0], &rq.kind))
		return usage("unknown kind %s", o->pos[0]);
	long long year = whole(o->pos[1]);
	long long no = o->npos > 2 ? whole(o->pos[2]) : 1;
	if (year < 0)
		return usage("%s: not a year", o->pos[1]);
	if (no < 0)
		return usage("%s: not a period number", o->pos[2]);
	rq.year = (int)year;
	rq.no = (int)no;
	if (rq.kind == REPORT_PLAN) {
		rq.plan_id = whole(o->plan);
		if (rq.plan_id < 0)
			return usage("a plan report needs --plan ID%s", "");
	}
	struct error e = {0};
	long long id;
	if (commune_of(db, a, o->commune, &rq.commune_id, &e) ||
	    report_create(db, a, &actor_cli, &rq, &id, &e))
		return fail("build", &e);
	printf("%lld\n", id);
	return 0;
}

static int cmd_issue(struct db *db, struct arena *a, const struct opts *o)
{
	long long id = o->npos ? whole(o->pos[0]) : -1;
	long long number = o->number ? whole(o->number) : 0;
	if (id < 0)
		return usage("issue needs a report ID%s", "");
	if (number < 0)
		return usage("--number %s: not a positive number", o->number);
	struct error e = {0};
	struct report r;
	if (report_issue(db, a, &actor_cli, id, (int)number, o->date, &e) ||
	    report_get(db, a, id, &r, &e))
		return fail("issue", &e);
	printf("%s\t%s\n", r.number_text, r.issued_on);
	return 0;
}

static void print_block(struct arena *a, const json_t *b)
{
	const char *type = json_string_value(json_object_get(b, "type"));
	const char *text = json_string_value(json_object_get(b, "text"));
	const char *title = json_string_value(json_object_get(b, "title"));
	if (!type)
		return;
	if (!strcmp(type, "heading") || !strcmp(type, "paragraph")) {
		printf("%s\n\n", text ? text : "");
		return;
	}
	if (title)
		printf("%s\n", title);
	if (!strcmp(type, "table")) {
		json_t *formats = json_object_get(b, "formats");
		size_t i, c;
		json_t *col, *row, *v;
		json_array_foreach(json_object_get(b, "columns"), c, col)
			printf("%s%s", c ? "\t" : "",
			       json_string_value(
				       json_object_get(col, "title")));
		printf("\n");
		json_array_foreach(json_object_get(b, "rows"), i, row)
		{
			json_array_foreach(row, c, v)
				printf("%s%s", c ? "\t" : "",
				       report_cell_text(
					       a, v,
					       json_string_value(json_array_get(
						       formats, c))));
			printf("\n");
		}
	} else if (!strcmp(type, "chart")) {
		size_t s;
		json_t *series;
		json_array_foreach(json_object_get(b, "series"), s, series)
		{
			printf("%s:", json_string_value(
					      json_object_get(series, "name")));
			size_t i;
			json_t *v;
			json_array_foreach(json_object_get(series, "values"), i,
					   v)
				printf(" %s=%s",
				       json_string_value(json_array_get(
					       json_object_get(b, "categories"),
					       i)),
				       report_cell_text(a, v, NULL));
			printf("\n");
		}
	}
	printf("\n");
}

static int cmd_show(struct db *db, struct arena *a, const struct opts *o)
{
	long long id = o->npos ? whole(o->pos[0]) : -1;
	if (id < 0)
		return usage("show needs a report ID%s", "");
	struct error e = {0};
	struct report r;
	if (report_get(db, a, id, &r, &e))
		return fail("show", &e);
	json_t *doc = json_loads(r.doc, 0, NULL);
	if (!doc) {
		fprintf(stderr,
			"quantri report show: report %lld: stored "
			"document is not JSON\n",
			id);
		return 1;
	}
	printf("report %lld: %s, %s %s, data %s to %s, %s %s\n\n", r.id,
	       r.number ? r.number_text : "draft", report_kind_key(r.kind),
	       report_period_vi(a, r.kind, r.year, r.no), r.period_from,
	       r.period_to, r.number ? "issued" : "dated", r.issued_on);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "issuer"), i, v)
		printf("%s\n", json_string_value(v));
	printf("%s\n%s\n\n%s\n%s\n\n",
	       json_string_value(json_object_get(doc, "number_text")),
	       json_string_value(json_object_get(doc, "place_date")),
	       json_string_value(json_object_get(doc, "type")),
	       json_string_value(json_object_get(doc, "subject")));
	json_array_foreach(json_object_get(doc, "blocks"), i, v)
		print_block(a, v);
	json_decref(doc);
	return 0;
}

static int cmd_file(struct db *db, struct arena *a, const struct opts *o)
{
	long long id = o->npos ? whole(o->pos[0]) : -1;
	if (id < 0)
		return usage("file needs a report ID%s", "");
	if (!o->format || !o->out)
		return usage("file needs --pdf, --xlsx or --docx, and -o "
			     "FILE%s",
			     "");
	struct error e = {0};
	struct report r;
	if (report_get(db, a, id, &r, &e))
		return fail("file", &e);
	json_t *doc = json_loads(r.doc, 0, NULL);
	if (!doc) {
		fprintf(stderr,
			"quantri report file: report %lld: stored "
			"document is not JSON\n",
			id);
		return 1;
	}
	char *out;
	size_t len;
	enum err err = !strcmp(o->format, "pdf")
			       ? report_pdf(a, doc, &out, &len, &e)
		       : !strcmp(o->format, "xlsx")
			       ? report_xlsx(a, doc, &out, &len, &e)
			       : report_docx(a, doc, &out, &len, &e);
	json_decref(doc);
	if (!err)
		err = file_write_all(o->out, out, len, &e);
	if (err)
		return fail("file", &e);
	return 0;
}

int report_cli(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || is_help(argv[1]))
		return usage(NULL, NULL) - (argc >= 2 ? 2 : 0);
	for (int i = 2; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(report_usage, stdout);
			return 0;
		}
	struct opts o;
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	int (*cmd)(struct db *, struct arena *, const struct opts *) = NULL;
	if (!strcmp(argv[1], "list"))
		cmd = cmd_list;
	else if (!strcmp(argv[1], "build"))
		cmd = cmd_build;
	else if (!strcmp(argv[1], "issue"))
		cmd = cmd_issue;
	else if (!strcmp(argv[1], "show"))
		cmd = cmd_show;
	else if (!strcmp(argv[1], "file"))
		cmd = cmd_file;
	else
		return usage("unknown subcommand %s", argv[1]);
	struct db *db;
	struct error e = {0};
	if (db_open(&db, cfg->db, &e))
		return fail(argv[1], &e);
	struct arena a;
	arena_init(&a, REPORT_CLI_ARENA_MAX);
	rc = cmd(db, &a, &o);
	arena_release(&a);
	db_close(db);
	return rc;
}

/* The demo: the last quarter's report, issued, and this month's, a draft,
 * for Tiên Tiến (12424), so the report pages show what they hold. */
static enum err report_demo_seed(struct db *db, struct arena *a,
				 struct error *e)
{
	struct date today = clock_today_vn();
	long long commune, id;
	json_t *have;
	enum err err = commune_of(db, a, "12424", &commune, e);
	if (!err)
		err = report_list(db, a, &commune, 1, 0, &have, e);
	if (err)
		return err;
	size_t n = json_array_size(have);
	json_decref(have);
	if (n) /* seeded already: init runs again on upgrades */
		return ERR_OK;
	int q = (today.m - 1) / 3 + 1;
	struct report_request last = {commune, REPORT_QUARTERLY,
				      q == 1 ? today.y - 1 : today.y,
				      q == 1 ? 4 : q - 1, 0};
	struct report_request month = {commune, REPORT_MONTHLY, today.y,
				       today.m, 0};
	err = report_create(db, a, &actor_cli, &last, &id, e);
	if (!err)
		err = report_issue(db, a, &actor_cli, id, 0, NULL, e);
	if (!err)
		err = report_create(db, a, &actor_cli, &month, &id, e);
	return err;
}

int report_cli_init(struct config *cfg, int argc, char **argv)
{
	return store_cli_init_step(cfg, argc, argv, oversight_cli_init,
				   report_demo_seed, "demo reports");
}
