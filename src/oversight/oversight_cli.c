/* `quantri oversight ...`: inspections and their recommendations from the
 * command line (list, show one, export as CSV or XLSX), and `quantri
 * init`, which after the outreach seeds the demo inspections with --demo.
 * Errors in English on stderr; exit 0 ok, 1 failure, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oversight.h"
#include "../cli.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { OV_CLI_ARENA_MAX = 256 << 20 };

static const char ov_usage[] =
	"usage: quantri oversight list [--recommendations] [FILTERS]\n"
	"       quantri oversight show ID\n"
	"       quantri oversight export [--recommendations] [--xlsx] "
	"[-o FILE] [FILTERS]\n\n"
	"list    inspections and supervisions, newest first: id, kind, from, "
	"to,\n"
	"        findings, recommendations open/fixed/verified, title "
	"(tab-separated);\n"
	"        with --recommendations the recommendations: id, state, "
	"due, unit,\n"
	"        task id, progress, text\n"
	"show    one inspection with its findings and recommendations\n"
	"export  the list as CSV (default, to stdout) or XLSX (-o needed)\n"
	"FILTERS: --commune CODE (default 12424) --kind K (inspection,\n"
	"        people_board, investment_board, front) --state S (open, "
	"fixed,\n"
	"        verified) --dimension D1..D8 --from YYYY-MM-DD --to "
	"YYYY-MM-DD\n"
	"        --year YYYY --q TEXT (without diacritics is fine)\n";

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri oversight: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(ov_usage, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri oversight %s: %s\n", what, e->msg);
	return 1;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long ji(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

struct opts {
	struct oversight_filter f;
	const char *commune, *out, *year;
	bool recs, xlsx;
};

/* Reads the options after the command; 0 ok, else the usage status. */
static int read_opts(struct arena *a, int argc, char **argv, int from,
		     struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->f.page = 1;
	for (int i = from; i < argc; i++) {
		const char *k = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(k, "--recommendations"))
			o->recs = true;
		else if (!strcmp(k, "--xlsx"))
			o->xlsx = true;
		else if (!strcmp(k, "-o") && has)
			o->out = argv[++i];
		else if (!strcmp(k, "--commune") && has)
			o->commune = argv[++i];
		else if (!strcmp(k, "--kind") && has)
			o->f.kind = argv[++i];
		else if (!strcmp(k, "--state") && has)
			o->f.state = argv[++i];
		else if (!strcmp(k, "--dimension") && has)
			o->f.dimension = argv[++i];
		else if (!strcmp(k, "--from") && has)
			o->f.from = argv[++i];
		else if (!strcmp(k, "--to") && has)
			o->f.to = argv[++i];
		else if (!strcmp(k, "--year") && has)
			o->year = argv[++i];
		else if (!strcmp(k, "--q") && has)
			o->f.q = argv[++i];
		else
			return usage("unknown argument %s", k);
	}
	enum rec_state s;
	struct date d;
	if (o->f.kind && !oversight_kind_label_vi(o->f.kind))
		return usage("unknown kind %s", o->f.kind);
	if (o->f.state && !rec_state_from_key(o->f.state, &s))
		return usage("unknown state %s", o->f.state);
	if (o->f.dimension &&
	    (strlen(o->f.dimension) != 2 || o->f.dimension[0] != 'D' ||
	     o->f.dimension[1] < '1' || o->f.dimension[1] > '8'))
		return usage("unknown dimension %s (D1..D8)", o->f.dimension);
	if (o->f.from && !date_parse_iso(o->f.from, &d))
		return usage("--from %s: not a date YYYY-MM-DD", o->f.from);
	if (o->f.to && !date_parse_iso(o->f.to, &d))
		return usage("--to %s: not a date YYYY-MM-DD", o->f.to);
	if (o->year) {
		char *end;
		long y = strtol(o->year, &end, 10);
		if (*end || y < 2000 || y > 2100)
			return usage("--year %s: not a year 2000-2100",
				     o->year);
		o->f.from = arena_printf(a, "%ld-01-01", y);
		o->f.to = arena_printf(a, "%ld-12-31", y);
	}
	if (o->xlsx && !o->out)
		return usage("--xlsx needs -o FILE.xlsx%s", "");
	return 0;
}

static enum err communes_of(struct db *db, struct arena *a, const char *code,
			    struct oversight_filter *f, struct error *e)
{
	struct unit u;
	long long *ids;
	enum err err = units_find(db, a, code ? code : "12424", &u, e);
	if (err)
		return err;
	if (strcmp(u.kind, "commune"))
		return error_set(e, ERR_INVALID, "unit %s: not a commune",
				 code ? code : "12424");
	err = units_lineage(db, a, u.id, &ids, &f->ncommunes, e);
	f->communes = ids;
	return err;
}

static int cmd_list(struct db *db, struct arena *a, struct opts *o)
{
	struct error e = {0};
	if (communes_of(db, a, o->commune, &o->f, &e))
		return fail("list", &e);
	o->f.per_page = 0;
	json_t *out;
	if (o->recs ? recommendation_list(db, a, &o->f, &out, &e)
		    : inspection_list(db, a, &o->f, &out, &e))
		return fail("list", &e);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(out, "rows"), i, r)
	{
		if (o->recs)
			printf("%lld\t%s\t%s\t%s\t%lld\t%lld\t%s\n",
			       ji(r, "id"), js(r, "state"),
			       js(r, "task_due_on"), js(r, "unit_name"),
			       ji(r, "task_id"), ji(r, "progress"),
			       js(r, "text"));
		else
			printf("%lld\t%s\t%s\t%s\t%lld\t%lld/%lld/%lld\t%s\n",
			       ji(r, "id"), js(r, "kind"), js(r, "from_on"),
			       js(r, "to_on"), ji(r, "findings"), ji(r, "open"),
			       ji(r, "fixed"), ji(r, "verified"),
			       js(r, "title"));
	}
	fprintf(stderr, "%lld %s\n", ji(out, "total"),
		o->recs ? "recommendations" : "inspections");
	json_decref(out);
	return 0;
}

static int cmd_show(struct db *db, struct arena *a, const char *arg)
{
	char *end;
	long long id = strtoll(arg, &end, 10);
	if (*end || id <= 0)
		return usage("show: %s is not an inspection id", arg);
	struct error e = {0};
	json_t *d;
	if (inspection_detail(db, a, id, &d, &e))
		return fail("show", &e);
	printf("%s\n%s\n%s – %s\n", js(d, "title"), js(d, "kind_vi"),
	       js(d, "from_on"), js(d, "to_on"));
	if (*js(d, "reference"))
		printf("reference: %s\n", js(d, "reference"));
	printf("unit: %s\n",
	       *js(d, "unit_name") ? js(d, "unit_name") : "(the commune)");
	size_t i, k;
	json_t *f, *r, *x;
	json_array_foreach(json_object_get(d, "villages"), i, x)
	{
		printf("%s%s", i ? ", " : "villages: ", js(x, "name"));
	}
	if (json_array_size(json_object_get(d, "villages")))
		putchar('\n');
	json_array_foreach(json_object_get(d, "findings"), i, f)
	{
		printf("\nfinding %lld: %s\n", ji(f, "id"), js(f, "text"));
		json_array_foreach(json_object_get(f, "recommendations"), k, r)
		{
			printf("  recommendation %lld [%s] due %s, %s, task "
			       "%lld %lld%%: %s\n",
			       ji(r, "id"), js(r, "state"),
			       js(r, "task_due_on"), js(r, "unit_name"),
			       ji(r, "task_id"), ji(r, "progress"),
			       js(r, "text"));
			if (*js(r, "verified_on"))
				printf("    verified %s: %s\n",
				       js(r, "verified_on"),
				       js(r, "verified_note"));
		}
	}
	json_decref(d);
	return 0;
}

static int cmd_export(struct db *db, struct arena *a, struct opts *o)
{
	struct error e = {0};
	unsigned char *bytes;
	size_t len;
	if (communes_of(db, a, o->commune, &o->f, &e) ||
	    oversight_export(db, a, &o->f,
			     o->recs ? OV_RECOMMENDATIONS : OV_INSPECTIONS,
			     o->xlsx, &bytes, &len, &e))
		return fail("export", &e);
	FILE *f = o->out ? fopen(o->out, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "quantri oversight export: %s: cannot write\n",
			o->out);
		return 1;
	}
	bool ok = fwrite(bytes, 1, len, f) == len;
	if (o->out)
		ok = fclose(f) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "quantri oversight export: %s: write failed\n",
			o->out ? o->out : "stdout");
		return 1;
	}
	return 0;
}

int oversight_cli(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || is_help(argv[1]))
		return argc < 2 ? usage(NULL, NULL)
				: (fputs(ov_usage, stdout), 0);
	const char *cmd = argv[1];
	for (int i = 2; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(ov_usage, stdout);
			return 0;
		}
	if (strcmp(cmd, "list") && strcmp(cmd, "show") && strcmp(cmd, "export"))
		return usage("unknown command %s", cmd);
	if (!strcmp(cmd, "show") && argc != 3)
		return usage("show needs an inspection id%s", "");
	struct arena a;
	arena_init(&a, OV_CLI_ARENA_MAX);
	struct opts o;
	int rc = strcmp(cmd, "show") ? read_opts(&a, argc, argv, 2, &o) : 0;
	if (rc) {
		arena_release(&a);
		return rc;
	}
	struct error e = {0};
	struct db *db;
	if (db_open(&db, cfg->db, &e)) {
		arena_release(&a);
		return fail(cmd, &e);
	}
	rc = !strcmp(cmd, "list")   ? cmd_list(db, &a, &o)
	     : !strcmp(cmd, "show") ? cmd_show(db, &a, argv[2])
				    : cmd_export(db, &a, &o);
	arena_release(&a);
	db_close(db);
	return rc;
}

int oversight_cli_init(struct config *cfg, int argc, char **argv)
{
	return store_cli_init_step(cfg, argc, argv, outreach_cli_init,
				   oversight_demo_seed, "demo inspections");
}
