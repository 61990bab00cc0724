/* `quantri voice ...`: citizens' cases from the command line (list, show
 * one, the clocks in force, the topics, statistics), and `quantri init`,
 * which after the plans seeds the demo cases with --demo. A denouncer's
 * identity is never printed here. Errors in English on stderr; exit 0 ok,
 * 1 failure, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "voice.h"
#include "../cli.h"
#include "../base/clock.h"
#include "../base/file.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { VOICE_CLI_ARENA_MAX = 256 << 20, VOICE_CLI_LIST_MAX = 200 };

static const char voice_usage[] =
	"usage: quantri voice list [--status S] [--overdue] [--due-soon] "
	"[--commune CODE] [--limit N]\n"
	"       quantri voice show CODE\n"
	"       quantri voice rules\n"
	"       quantri voice rules export [-o FILE.csv]\n"
	"       quantri voice rules import FILE.csv\n"
	"       quantri voice topics\n"
	"       quantri voice stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
	"[--commune CODE]\n\n"
	"list    the commune's cases, the most urgent first: code, type, "
	"status,\n"
	"        received, due, urgency, days left, title (tab-separated); "
	"S is a\n"
	"        status (received, accepted, ...) or \"open\"; at most N "
	"cases\n"
	"        (default 200), then how many more there are\n"
	"show    one case with its history and answers (never a "
	"denouncer's identity)\n"
	"rules   the statutory clocks with their effective dates, and whether "
	"a\n"
	"        legal officer has verified each\n"
	"rules export  the clocks as CSV (the case_rules columns), to "
	"stdout or FILE\n"
	"rules import  replaces every clock with the file's, all or "
	"nothing: every\n"
	"        bad row is named (FILE:LINE: COLUMN: reason) and nothing "
	"changes\n"
	"topics  the case topics and the PAPI dimension each touches\n"
	"stats   cases by type, topic, village, month and unit; on-time rate\n"
	"CODE of a commune: its 5-digit statistics code (default 12424).\n";

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri voice: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(voice_usage, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri voice %s: %s\n", what, e->msg);
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

/* The commune (by code) and every commune of its lineage. */
static enum err communes_of(struct db *db, struct arena *a, const char *code,
			    long long **ids, int *n, struct error *e)
{
	struct unit u;
	enum err err = units_find(db, a, code ? code : "12424", &u, e);
	if (err)
		return err;
	if (strcmp(u.kind, "commune"))
		return error_set(e, ERR_INVALID, "unit %s: not a commune",
				 code ? code : "12424");
	return units_lineage(db, a, u.id, ids, n, e);
}

static int cmd_list(struct db *db, struct arena *a, int argc, char **argv)
{
	struct case_filter f = {.per_page = VOICE_CLI_LIST_MAX, .page = 1};
	const char *commune = NULL;
	long limit = VOICE_CLI_LIST_MAX, shown = 0;
	struct error e = {0};
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--status") && i + 1 < argc)
			f.status = argv[++i];
		else if (!strcmp(argv[i], "--overdue"))
			f.urgency = "overdue";
		else if (!strcmp(argv[i], "--due-soon"))
			f.urgency = "due_soon";
		else if (!strcmp(argv[i], "--commune") && i + 1 < argc)
			commune = argv[++i];
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v <= 0 || v > 1000000)
				return usage("--limit %s: not a number from 1 "
					     "to 1000000",
					     argv[i]);
			limit = v;
		} else
			return usage("unknown argument %s", argv[i]);
	}
	if (f.status && strcmp(f.status, "open") &&
	    !case_status_label_vi(f.status))
		return usage("unknown status %s", f.status);
	long long *ids;
	int n;
	struct case_rules rules;
	struct calendar cal;
	json_t *out = NULL;
	if (communes_of(db, a, commune, &ids, &n, &e) ||
	    voice_clock_context(db, a, &rules, &cal, &e))
		return fail("list", &e);
	f.communes = ids;
	f.ncommunes = n;
	if (limit < f.per_page)
		f.per_page = (int)limit;
	for (f.page = 1;; f.page++) {
		if (case_list(db, a, &f, &cal, &out, &e))
			return fail("list", &e);
		size_t i;
		json_t *c, *cases = json_object_get(out, "cases");
		json_array_foreach(cases, i, c)
		{
			if (shown >= limit)
				break;
			shown++;
			json_t *left = json_object_get(c, "days_left");
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			       js(c, "code"), js(c, "case_type"),
			       js(c, "status"), js(c, "received_on"),
			       json_is_string(json_object_get(c, "due_on"))
				       ? js(c, "due_on")
				       : "-",
			       json_is_string(json_object_get(c, "urgency"))
				       ? js(c, "urgency")
				       : "-",
			       json_is_integer(left)
				       ? arena_printf(
						 a, "%lld",
						 (long long)json_integer_value(
							 left))
				       : "-",
			       js(c, "title"));
		}
		long long pages = ji(out, "pages"), total = ji(out, "total");
		json_decref(out);
		if (f.page >= pages || shown >= limit) {
			if (total > shown)
				fprintf(stderr,
					"quantri voice list: %lld more (use "
					"--limit)\n",
					total - shown);
			break;
		}
	}
	return 0;
}

static int cmd_show(struct db *db, struct arena *a, const char *code)
{
	struct voice_case c;
	struct error e = {0};
	json_t *j;
	if (case_get_by_code(db, a, code, &c, &e) ||
	    case_json(db, a, &c, false, &j, &e))
		return fail("show", &e);
	printf("%s  %s, %s\n", c.code, js(j, "type_vi"), js(j, "status_vi"));
	if (c.title && *c.title)
		printf("title:     %s\n", c.title);
	printf("channel:   %s%s%s\n", js(j, "channel_vi"),
	       c.portal_id && *c.portal_id ? ", portal id " : "",
	       c.portal_id ? c.portal_id : "");
	printf("topic:     %s (%s)\n", js(j, "topic_vi"), js(j, "dimension"));
	printf("village:   %s\n", js(j, "village_name"));
	printf("received:  %s\n", c.received_on);
	if (c.accepted_on)
		printf("accepted:  %s\n", c.accepted_on);
	if (c.due_on)
		printf("due:       %s (%s, %lld %s left)\n", c.due_on,
		       js(j, "urgency"), ji(j, "days_left"),
		       ji(j, "days_left") == 1 || ji(j, "days_left") == -1
			       ? "day"
			       : "days");
	if (c.answered_on)
		printf("answered:  %s\n", c.answered_on);
	if (c.unit_id)
		printf("unit:      %s%s%s\n", js(j, "unit_name"),
		       c.handler_id ? ", handled by " : "",
		       c.handler_id ? js(j, "handler_name") : "");
	if (c.has_identity)
		puts("identity:  sealed (shown on the web to the chair and "
		     "the handler only)");
	else if (c.citizen_name && *c.citizen_name)
		printf("citizen:   %s %s\n", c.citizen_name,
		       c.citizen_phone ? c.citizen_phone : "");
	if (c.rating)
		printf("rating:    %s %s\n", c.rating,
		       c.rating_reason ? c.rating_reason : "");
	printf("\n%s\n\nhistory:\n", c.body);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "events"), i, x)
	{
		printf("  %s  %-10s %s%s%s\n", js(x, "at"), js(x, "kind"),
		       js(x, "user_name"), *js(x, "note") ? ": " : "",
		       js(x, "note"));
	}
	json_array_foreach(json_object_get(j, "answers"), i, x)
	{
		printf("\nanswer %lld (%s):\n%s\n", ji(x, "id"),
		       js(x, "status"), js(x, "body"));
	}
	json_decref(j);
	return 0;
}

static int cmd_rules(struct db *db, struct arena *a)
{
	struct case_rules r;
	struct error e = {0};
	if (voice_rules_load(db, a, &r, &e))
		return fail("rules", &e);
	printf("type\tstep\tfrom\tdays\tunit\tcomplex\tremote\tboth\t"
	       "extensions\teffective\tverified\tlegal basis\n");
	for (int i = 0; i < r.n; i++) {
		const struct case_rule *x = &r.list[i];
		char c[16], rm[16], b[16], ext[32];
		snprintf(c, sizeof c, "%d", x->days_complex);
		snprintf(rm, sizeof rm, "%d", x->days_remote);
		snprintf(b, sizeof b, "%d", x->days_remote_complex);
		snprintf(ext, sizeof ext, "%d x %d", x->max_extensions,
			 x->extension_days);
		printf("%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s..%s\t%s\t%s\n",
		       x->case_type, x->step, x->start_event, x->days,
		       x->day_unit, x->days_complex ? c : "-",
		       x->days_remote ? rm : "-",
		       x->days_remote_complex ? b : "-",
		       x->max_extensions ? ext : "-", x->effective_from,
		       x->effective_to ? x->effective_to : "",
		       x->verified ? "yes" : "NO (check)", x->legal_basis);
	}
	return 0;
}

/* `rules export [-o FILE]` */
static int cmd_rules_export(struct db *db, struct arena *a, int argc,
			    char **argv)
{
	const char *path = NULL;
	if (argc == 5 && !strcmp(argv[3], "-o"))
		path = argv[4];
	else if (argc != 3)
		return usage("rules export takes [-o FILE.csv]%s", "");
	struct case_rules r;
	struct error e = {0};
	if (voice_rules_load(db, a, &r, &e))
		return fail("rules export", &e);
	FILE *f = path ? fopen(path, "w") : stdout;
	if (!f) {
		fprintf(stderr,
			"quantri voice rules export: %s: cannot write\n", path);
		return 1;
	}
	enum err err = voice_rules_write_csv(f, &r, &e);
	if ((path ? fclose(f) : fflush(f)) && !err)
		err = error_set(&e, ERR_IO, "%s: write failed",
				path ? path : "stdout");
	return err ? fail("rules export", &e) : 0;
}

/* `rules import FILE`: checked in full, then one transaction. */
static int cmd_rules_import(struct db *db, struct arena *a, const char *path)
{
	struct error e = {0};
	size_t len;
	char *data = file_read_all(a, path, 4 << 20, &len, &e);
	if (!data)
		return fail("rules import", &e);
	struct case_rules r;
	struct problems p = {0};
	if (voice_rules_parse_csv(a, data, len, clock_today_vn(), &r, &p, &e))
		return fail("rules import", &e);
	if (p.n) {
		for (int i = 0; i < p.kept; i++) {
			const struct problem *x = &p.list[i];
			fprintf(stderr, "%s:%d: %s%s%s\n", path, x->line,
				x->column, *x->column ? ": " : "", x->msg_en);
		}
		if (p.n > p.kept)
			fprintf(stderr, "%s: %d more problems\n", path,
				p.n - p.kept);
		fprintf(stderr,
			"quantri voice rules import: %s: %d problem%s, nothing "
			"changed\n",
			path, p.n, p.n == 1 ? "" : "s");
		return 1;
	}
	const struct actor cli = {0, "cli", ""};
	if (voice_rules_replace(db, a, &cli, &r, &e))
		return fail("rules import", &e);
	printf("%d rules imported from %s\n", r.n, path);
	return 0;
}

static int cmd_topics(struct db *db, struct arena *a)
{
	json_t *t;
	struct error e = {0};
	if (voice_topics(db, a, &t, &e))
		return fail("topics", &e);
	size_t i;
	json_t *x;
	json_array_foreach(t, i, x)
	{
		printf("%lld\t%s\t%s\t%s\t%s\n", ji(x, "id"), js(x, "code"),
		       js(x, "dimension"), js(x, "name_en"), js(x, "name_vi"));
	}
	json_decref(t);
	return 0;
}

static void print_group(json_t *s, const char *key, const char *label,
			const char *name_key)
{
	printf("\n%s:\n", label);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(s, key), i, x)
	{
		json_t *pct = json_object_get(x, "on_time_pct");
		char p[32] = "-";
		if (json_is_number(pct))
			snprintf(p, sizeof p, "%.1f%%", json_number_value(pct));
		printf("  %-40s %6lld cases, %6lld answered, %6lld on time "
		       "(%s), %lld overdue\n",
		       js(x, name_key), ji(x, "total"), ji(x, "answered"),
		       ji(x, "on_time"), p, ji(x, "overdue"));
	}
}

static int cmd_stats(struct db *db, struct arena *a, int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *commune = NULL;
	struct date d;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--from") && i + 1 < argc)
			from = argv[++i];
		else if (!strcmp(argv[i], "--to") && i + 1 < argc)
			to = argv[++i];
		else if (!strcmp(argv[i], "--commune") && i + 1 < argc)
			commune = argv[++i];
		else
			return usage("unknown argument %s", argv[i]);
	}
	if (from && !text_parse_date(from, &d))
		return usage("--from %s: not a date", from);
	if (to && !text_parse_date(to, &d))
		return usage("--to %s: not a date", to);
	long long *ids;
	int n;
	json_t *s;
	struct error e = {0};
	if (communes_of(db, a, commune, &ids, &n, &e) ||
	    voice_stats(db, a, ids, n, from, to, &s, &e))
		return fail("stats", &e);
	json_t *pct = json_object_get(s, "on_time_pct");
	printf("cases %lld, answered %lld, answered on time %lld (%s), "
	       "overdue %lld\n",
	       ji(s, "total"), ji(s, "answered"), ji(s, "on_time"),
	       json_is_number(pct)
		       ? arena_printf(a, "%.1f%%", json_number_value(pct))
		       : "-",
	       ji(s, "overdue"));
	print_group(s, "by_type", "by type", "case_type");
	print_group(s, "by_topic", "by topic", "name_vi");
	print_group(s, "by_village", "by village", "name");
	print_group(s, "by_month", "by month received", "month");
	print_group(s, "by_unit", "by unit", "name");
	printf("\nby PAPI dimension:\n");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(s, "by_dimension"), i, x)
	{
		json_t *m = json_object_get(x, "median_days");
		printf("  %s  %6lld raised, %6lld answered, median %s days to "
		       "answer\n",
		       js(x, "dimension"), ji(x, "total"), ji(x, "answered"),
		       json_is_number(m)
			       ? arena_printf(a, "%.1f", json_number_value(m))
			       : "-");
	}
	json_decref(s);
	return 0;
}

int voice_cli(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || is_help(argv[1]))
		return argc < 2 ? usage(NULL, NULL)
				: (fputs(voice_usage, stdout), 0);
	const char *cmd = argv[1];
	for (int i = 2; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(voice_usage, stdout);
			return 0;
		}
	if (strcmp(cmd, "list") && strcmp(cmd, "show") &&
	    strcmp(cmd, "rules") && strcmp(cmd, "topics") &&
	    strcmp(cmd, "stats"))
		return usage("unknown command %s", cmd);
	if (!strcmp(cmd, "show") && argc != 3)
		return usage("show needs a case code%s", "");
	const char *sub = !strcmp(cmd, "rules") && argc > 2 ? argv[2] : NULL;
	if (sub && strcmp(sub, "export") && strcmp(sub, "import"))
		return usage("rules: unknown subcommand %s", sub);
	if (sub && !strcmp(sub, "import") && argc != 4)
		return usage("rules import needs one FILE.csv%s", "");
	if (!strcmp(cmd, "topics") && argc != 2)
		return usage("%s takes no arguments", cmd);
	struct error e = {0};
	if (identity_use_key_file(cfg->secret_file, &e))
		return fail("key", &e);
	struct db *db;
	if (db_open(&db, cfg->db, &e))
		return fail(cmd, &e);
	struct arena a;
	arena_init(&a, VOICE_CLI_ARENA_MAX);
	int rc = !strcmp(cmd, "list")   ? cmd_list(db, &a, argc, argv)
		 : !strcmp(cmd, "show") ? cmd_show(db, &a, argv[2])
		 : sub && !strcmp(sub, "export")
			 ? cmd_rules_export(db, &a, argc, argv)
		 : sub                    ? cmd_rules_import(db, &a, argv[3])
		 : !strcmp(cmd, "rules")  ? cmd_rules(db, &a)
		 : !strcmp(cmd, "topics") ? cmd_topics(db, &a)
					  : cmd_stats(db, &a, argc, argv);
	arena_release(&a);
	db_close(db);
	return rc;
}

int voice_cli_init(struct config *cfg, int argc, char **argv)
{
	bool demo = false, help = false;
	for (int i = 1; i < argc; i++) {
		help |= is_help(argv[i]);
		demo |= !strcmp(argv[i], "--demo");
	}
	int rc = plan_cli_init(cfg, argc, argv);
	if (rc || help || !demo)
		return rc;
	struct db *db;
	struct error e = {0};
	if (identity_use_key_file(cfg->secret_file, &e) ||
	    db_open(&db, cfg->db, &e)) {
		fprintf(stderr, "quantri init: %s\n", e.msg);
		return 1;
	}
	struct arena a;
	arena_init(&a, VOICE_CLI_ARENA_MAX);
	if (voice_demo_seed(db, &a, &e)) {
		fprintf(stderr, "quantri init: demo cases: %s\n", e.msg);
		rc = 1;
	}
	arena_release(&a);
	db_close(db);
	return rc;
}
