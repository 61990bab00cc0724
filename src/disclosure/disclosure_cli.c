/* `quantri disclosure ...`: the register from the command line (list, show
 * one, export), the catalogue (items, items export, items import: all or
 * nothing), the reminders run once, and `quantri init`, which after the
 * voice demo seeds the demo disclosures with --demo. Errors in English on
 * stderr; exit 0 ok, 1 failure, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "disclosure.h"
#include "../cli.h"
#include "../base/clock.h"
#include "../base/file.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { CLI_ARENA_MAX = 512 << 20 };

static const char usage_text[] =
	"usage: quantri disclosure list [--year Y] [--from DATE] [--to DATE] "
	"[--commune CODE] [--problems]\n"
	"       quantri disclosure show ID\n"
	"       quantri disclosure export [--year Y] [--commune CODE] "
	"[-o FILE.csv|FILE.xlsx]\n"
	"       quantri disclosure register [--year Y] [--commune CODE]\n"
	"       quantri disclosure items\n"
	"       quantri disclosure items export [-o FILE.csv]\n"
	"       quantri disclosure items import FILE.csv\n"
	"       quantri disclosure remind [--date YYYY-MM-DD]\n\n"
	"list      disclosures: id, item, period, from, to, days, problems, "
	"title\n"
	"show      one disclosure with its villages, loudspeaker days, links, "
	"files\n"
	"export    the list as CSV (default, stdout) or XLSX (by -o's "
	"extension)\n"
	"register  per required item of the year: periods disclosed, missing "
	"or due\n"
	"items     the catalogue (Luật 10/2022/QH15, Điều 11)\n"
	"items import  replaces the catalogue, all or nothing: every bad row "
	"is\n"
	"          named (FILE:LINE: COLUMN: reason) and nothing changes\n"
	"remind    notifies the office of missing items and bad postings "
	"once\n"
	"CODE of a commune: its 5-digit statistics code (default 12424); "
	"Y: default this year.\n";

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri disclosure: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri disclosure %s: %s\n", what, e->msg);
	return 1;
}

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

struct opts {
	struct disc_filter f;
	const char *commune, *out, *date;
	const char *bad;
};

static bool parse_opts(struct arena *a, int argc, char **argv, int from,
		       struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->f.year = clock_today_vn().y;
	for (int i = from; i < argc; i++) {
		struct date d;
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--year") && v) {
			char *end;
			long y = strtol(v, &end, 10);
			if (*end || y < 2000 || y > 2100) {
				o->bad = arena_printf(
					a, "--year %s: not a year", v);
				return false;
			}
			o->f.year = (int)y;
			i++;
		} else if ((!strcmp(argv[i], "--from") ||
			    !strcmp(argv[i], "--to") ||
			    !strcmp(argv[i], "--date")) &&
			   v) {
			if (!text_parse_date(v, &d)) {
				o->bad = arena_printf(a, "%s %s: not a date",
						      argv[i], v);
				return false;
			}
			char buf[11];
			date_format_iso(d, buf);
			const char *iso = arena_strdup(a, buf);
			if (!strcmp(argv[i], "--from"))
				o->f.from = iso;
			else if (!strcmp(argv[i], "--to"))
				o->f.to = iso;
			else
				o->date = iso;
			if (strcmp(argv[i], "--date"))
				o->f.year = 0;
			i++;
		} else if (!strcmp(argv[i], "--commune") && v) {
			o->commune = v;
			i++;
		} else if (!strcmp(argv[i], "-o") && v) {
			o->out = v;
			i++;
		} else if (!strcmp(argv[i], "--problems")) {
			o->f.problems_only = true;
		} else {
			o->bad =
				arena_printf(a, "unknown argument %s", argv[i]);
			return false;
		}
	}
	return true;
}

static enum err commune_of(struct db *db, struct arena *a, const char *code,
			   long long *id, struct error *e)
{
	struct unit u;
	enum err err = units_find(db, a, code ? code : "12424", &u, e);
	if (err)
		return err;
	if (strcmp(u.kind, "commune"))
		return error_set(e, ERR_INVALID, "unit %s: not a commune",
				 code ? code : "12424");
	*id = u.id;
	return ERR_OK;
}

static int cmd_list(struct db *db, struct arena *a, struct opts *o)
{
	struct error e = {0};
	if (commune_of(db, a, o->commune, &o->f.commune_id, &e))
		return fail("list", &e);
	o->f.per_page = 500;
	for (o->f.page = 1;; o->f.page++) {
		json_t *out, *x;
		size_t i;
		if (disc_list(db, a, &o->f, &out, &e))
			return fail("list", &e);
		json_array_foreach(json_object_get(out, "records"), i, x)
		{
			const char *probs = arena_strdup(a, "");
			size_t k;
			json_t *p;
			json_array_foreach(json_object_get(x, "problems"), k, p)
			{
				probs = arena_printf(a, "%s%s%s", probs,
						     k ? "," : "",
						     js(p, "code"));
			}
			printf("%lld\t%lld\t%s\t%s\t%s\t%lld\t%s\t%s\n",
			       (long long)json_integer_value(
				       json_object_get(x, "id")),
			       (long long)json_integer_value(
				       json_object_get(x, "item_no")),
			       js(x, "period_vi"), js(x, "posted_from"),
			       js(x, "posted_to"),
			       (long long)json_integer_value(
				       json_object_get(x, "posted_days")),
			       *probs ? probs : "-", js(x, "title"));
		}
		long long pages =
			json_integer_value(json_object_get(out, "pages"));
		json_decref(out);
		if (o->f.page >= pages)
			break;
	}
	return 0;
}

static int cmd_show(struct db *db, struct arena *a, const char *arg)
{
	char *end;
	long long id = strtoll(arg, &end, 10);
	if (*end || id <= 0)
		return usage("show %s: not an id", arg);
	struct disc_record r;
	struct error e = {0};
	json_t *j;
	if (disc_get(db, a, id, &r, &e) || disc_json(db, a, &r, &j, &e))
		return fail("show", &e);
	json_t *it = json_object_get(j, "item");
	printf("disclosure %lld: %s\n", id, r.title);
	printf("item:       %lld. %s\n",
	       (long long)json_integer_value(json_object_get(it, "no")),
	       js(it, "title"));
	printf("period:     %s\n", js(j, "period_vi"));
	printf("posted:     %s .. %s (%d days; at least %lld)\n", r.posted_from,
	       r.posted_to, disc_posted_days(r.posted_from, r.posted_to),
	       (long long)json_integer_value(json_object_get(it, "min_days")));
	printf("channels:   %s\n", disc_channels_text(a, r.channels));
	size_t i;
	json_t *x;
	printf("villages:  ");
	json_array_foreach(json_object_get(j, "village_list"), i, x)
	{
		printf(" %s", js(x, "name"));
	}
	printf("\nloudspeaker:");
	for (int k = 0; k < r.ndays; k++)
		printf(" %s", r.days[k]);
	printf("\nlinks:      %s\n", js(j, "links_text"));
	if (r.note && *r.note)
		printf("note:       %s\n", r.note);
	json_array_foreach(json_object_get(j, "problems"), i, x)
	{
		printf("problem:    %s\n", js(x, "code"));
	}
	const char *groups[] = {"files", "evidence"};
	for (int g = 0; g < 2; g++)
		json_array_foreach(json_object_get(j, groups[g]), i, x)
		{
			printf("%-11s %s (%s, %lld bytes)\n",
			       g ? "evidence:" : "document:", js(x, "filename"),
			       js(x, "mime"),
			       (long long)json_integer_value(
				       json_object_get(x, "size")));
		}
	json_decref(j);
	return 0;
}

static int cmd_export(struct db *db, struct arena *a, struct opts *o)
{
	struct error e = {0};
	if (commune_of(db, a, o->commune, &o->f.commune_id, &e))
		return fail("export", &e);
	size_t n = o->out ? strlen(o->out) : 0;
	bool xlsx = n > 5 && !strcmp(o->out + n - 5, ".xlsx");
	unsigned char *bytes;
	size_t len;
	const char *mime, *name;
	if (disc_export(db, a, &o->f, xlsx, &bytes, &len, &mime, &name, &e))
		return fail("export", &e);
	FILE *f = o->out ? fopen(o->out, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "quantri disclosure export: %s: cannot write\n",
			o->out);
		return 1;
	}
	bool ok = fwrite(bytes, 1, len, f) == len;
	ok = (o->out ? fclose(f) == 0 : fflush(f) == 0) && ok;
	if (!ok) {
		fprintf(stderr, "quantri disclosure export: %s: write failed\n",
			o->out ? o->out : "stdout");
		return 1;
	}
	return 0;
}

static int cmd_register(struct db *db, struct arena *a, struct opts *o)
{
	struct error e = {0};
	json_t *reg, *x, *p;
	size_t i, k;
	if (commune_of(db, a, o->commune, &o->f.commune_id, &e) ||
	    disc_register(db, a, o->f.commune_id,
			  o->f.year ? o->f.year : clock_today_vn().y, NULL,
			  clock_today_vn(), &reg, &e))
		return fail("register", &e);
	json_array_foreach(json_object_get(reg, "items"), i, x)
	{
		printf("%2lld  %-5s",
		       (long long)json_integer_value(json_object_get(x, "no")),
		       js(x, "state"));
		json_array_foreach(json_object_get(x, "periods"), k, p)
		{
			printf(" %s:%s", js(p, "label_vi"), js(p, "state"));
		}
		printf("  (%lld records, %lld with problems)  %s\n",
		       (long long)json_integer_value(
			       json_object_get(x, "records")),
		       (long long)json_integer_value(
			       json_object_get(x, "problem_records")),
		       js(x, "title"));
	}
	printf("missing %lld, due %lld, records with problems %lld\n",
	       (long long)json_integer_value(json_object_get(reg, "missing")),
	       (long long)json_integer_value(json_object_get(reg, "due")),
	       (long long)json_integer_value(
		       json_object_get(reg, "problem_records")));
	json_decref(reg);
	return 0;
}

static int cmd_items(struct db *db, struct arena *a)
{
	struct disc_item *items;
	int n;
	struct error e = {0};
	if (disc_items_load(db, a, true, &items, &n, &e))
		return fail("items", &e);
	for (int i = 0; i < n; i++) {
		const struct disc_item *it = &items[i];
		printf("%d\t%s\t%s\t%d days\t%s\t%s\t%s%s\n", it->no,
		       it->frequency, disc_channels_text(a, it->channels),
		       it->min_days,
		       it->loudspeaker_days
			       ? arena_printf(a, "loudspeaker %d days",
					      it->loudspeaker_days)
			       : "-",
		       disc_links_text(a, it->links, it->nlinks), it->title,
		       !it->active         ? " (inactive)"
		       : !it->wording_done ? " (wording to be completed)"
					   : "");
	}
	return 0;
}

static int cmd_items_export(struct db *db, struct arena *a, const char *path)
{
	struct disc_item *items;
	int n;
	struct error e = {0};
	if (disc_items_load(db, a, true, &items, &n, &e))
		return fail("items export", &e);
	FILE *f = path ? fopen(path, "w") : stdout;
	if (!f) {
		fprintf(stderr,
			"quantri disclosure items export: %s: cannot write\n",
			path);
		return 1;
	}
	enum err err = disc_items_write_csv(f, items, n, &e);
	if ((path ? fclose(f) : fflush(f)) && !err)
		err = error_set(&e, ERR_IO, "%s: write failed",
				path ? path : "stdout");
	return err ? fail("items export", &e) : 0;
}

static int cmd_items_import(struct db *db, struct arena *a, const char *path)
{
	struct error e = {0};
	size_t len;
	char *data = file_read_all(a, path, 4 << 20, &len, &e);
	if (!data)
		return fail("items import", &e);
	struct disc_item *items = NULL;
	int n = 0;
	struct problems p = {0};
	if (disc_items_parse_csv(a, data, len, &items, &n, &p, &e))
		return fail("items import", &e);
	if (p.n) {
		for (int i = 0; i < p.kept; i++)
			fprintf(stderr, "%s:%d: %s%s%s\n", path, p.list[i].line,
				p.list[i].column, *p.list[i].column ? ": " : "",
				p.list[i].msg_en);
		fprintf(stderr,
			"quantri disclosure items import: %s: %d problem%s, "
			"nothing changed\n",
			path, p.n, p.n == 1 ? "" : "s");
		return 1;
	}
	if (disc_items_replace(db, a, &actor_cli, items, n, &e))
		return fail("items import", &e);
	printf("%d items imported from %s\n", n, path);
	return 0;
}

static int cmd_remind(struct db *db, struct arena *a, struct opts *o)
{
	struct date d = clock_today_vn();
	if (o->date)
		text_parse_date(o->date, &d);
	int sent = 0;
	struct error e = {0};
	if (disc_remind(db, a, d, &sent, &e))
		return fail("remind", &e);
	printf("%d reminders sent\n", sent);
	return 0;
}

int disclosure_cli(struct config *cfg, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL, NULL);
	for (int i = 1; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(usage_text, stdout);
			return 0;
		}
	const char *cmd = argv[1];
	static const char *const cmds[] = {"list",     "show",  "export",
					   "register", "items", "remind"};
	bool known = false;
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
		known |= !strcmp(cmd, cmds[i]);
	if (!known)
		return usage("unknown command %s", cmd);
	const char *sub = !strcmp(cmd, "items") && argc > 2 ? argv[2] : NULL;
	if (sub && strcmp(sub, "export") && strcmp(sub, "import"))
		return usage("items: unknown subcommand %s", sub);
	if (sub && !strcmp(sub, "import") && argc != 4)
		return usage("items import needs one FILE.csv%s", "");
	if (sub && !strcmp(sub, "export") && argc != 3 &&
	    !(argc == 5 && !strcmp(argv[3], "-o")))
		return usage("items export takes [-o FILE.csv]%s", "");
	if (!strcmp(cmd, "show") && argc != 3)
		return usage("show needs an id%s", "");
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	struct opts o;
	bool simple = !strcmp(cmd, "show") || !strcmp(cmd, "items");
	if (!simple && !parse_opts(&a, argc, argv, 2, &o)) {
		int rc = usage("%s", o.bad);
		arena_release(&a);
		return rc;
	}
	struct db *db;
	struct error e = {0};
	if (db_open(&db, cfg->db, &e)) {
		arena_release(&a);
		return fail(cmd, &e);
	}
	int rc = !strcmp(cmd, "list")       ? cmd_list(db, &a, &o)
		 : !strcmp(cmd, "show")     ? cmd_show(db, &a, argv[2])
		 : !strcmp(cmd, "export")   ? cmd_export(db, &a, &o)
		 : !strcmp(cmd, "register") ? cmd_register(db, &a, &o)
		 : !strcmp(cmd, "remind")   ? cmd_remind(db, &a, &o)
		 : !sub                     ? cmd_items(db, &a)
		 : !strcmp(sub, "export")
			 ? cmd_items_export(db, &a, argc == 5 ? argv[4] : NULL)
			 : cmd_items_import(db, &a, argv[3]);
	db_close(db);
	arena_release(&a);
	return rc;
}

int disclosure_cli_init(struct config *cfg, int argc, char **argv)
{
	return store_cli_init_step(cfg, argc, argv, voice_cli_init,
				   disc_demo_seed, "demo disclosures");
}
