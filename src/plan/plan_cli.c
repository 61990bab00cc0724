/* `quantri plan ...`: the plans and tasks from the command line (list,
 * show a plan like the paper document, show a task with its history,
 * issue a plan, report progress), the bulk import and export (plan_bulk.h),
 * and `quantri init`, which after people/ and index/ seeds the demo plans
 * with --demo. Errors in English on stderr; exit 0 ok, 1 failure, 2 usage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan.h"
#include "plan_bulk.h"
#include "plan_db.h"
#include "../cli.h"
#include "../base/text.h"
#include "../index/index_cli.h"
#include "../base/banned.h"

enum { PLAN_CLI_ARENA_MAX = 256 << 20 };

static const char plan_usage[] =
	"usage: quantri plan list\n"
	"       quantri plan show PLAN_ID\n"
	"       quantri plan task TASK_ID\n"
	"       quantri plan issue PLAN_ID [--number N] [--date YYYY-MM-DD]\n"
	"       quantri plan report TASK_ID --status "
	"todo|doing|done|cancelled\n"
	"                           [--progress 0-100] [--note TEXT]\n"
	"       quantri plan import PLAN_ID FILE [--updates]\n"
	"       quantri plan export PLAN_ID --format csv|xlsx [--updates] "
	"[-o FILE]\n\n"
	"list    every plan: id, year, number, status, tasks, progress, "
	"commune,\n"
	"        title (tab-separated)\n"
	"show    the plan as its document, its targets against the survey\n"
	"        results, and its tasks as a tree\n"
	"task    a task and its progress reports\n"
	"issue   gives a draft the next number of its commune and year (or "
	"N)\n"
	"report  records a progress report (no evidence files: use the web)\n"
	"import  tasks (or, with --updates, progress reports) from CSV or "
	"XLSX,\n"
	"        all or nothing\n"
	"export  the tasks (or reports) as CSV or XLSX\n";

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static int usage(const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri plan: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(plan_usage, stderr);
	return 2;
}

static int fail(const char *what, const struct error *e)
{
	fprintf(stderr, "quantri plan %s: %s\n", what, e->msg);
	return 1;
}

static long long id_arg(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	return *s && !*end && v > 0 ? v : 0;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *date_vi(struct arena *a, const char *iso)
{
	const char *s = iso && *iso ? text_format_date(a, iso) : NULL;
	return s ? s : "";
}

static int cmd_list(struct db *db, struct arena *a)
{
	struct error e = {0};
	long long *ids;
	int n;
	json_t *plans;
	enum err err = plandb_plan_units(db, a, &ids, &n, &e);
	if (!err)
		err = plan_list(db, a, ids, n, &plans, &e);
	if (err)
		return fail("list", &e);
	printf("id\tyear\tnumber\tstatus\ttasks\tprogress\tcommune\ttitle\n");
	size_t i;
	json_t *p;
	json_array_foreach(plans, i, p) printf(
		"%lld\t%lld\t%s\t%s\t%lld\t%lld%%\t%s\t%s\n",
		(long long)json_integer_value(json_object_get(p, "id")),
		(long long)json_integer_value(json_object_get(p, "year")),
		*str(p, "number_text") ? str(p, "number_text") : "-",
		str(p, "status"),
		(long long)json_integer_value(json_object_get(p, "tasks")),
		(long long)json_integer_value(json_object_get(p, "progress")),
		str(p, "unit_full_name"), str(p, "title"));
	json_decref(plans);
	return 0;
}

static void print_lines(const char *s, const char *indent)
{
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		int n = nl ? (int)(nl - s) : (int)strlen(s);
		printf("%s%.*s\n", indent, n, s);
		s = nl ? nl + 1 : NULL;
	}
}

static int cmd_show(struct db *db, struct arena *a, long long id)
{
	struct error e = {0};
	struct plan p;
	json_t *targets = NULL, *tasks = NULL;
	struct db_result *u;
	enum err err = plan_get(db, a, id, &p, &e);
	if (!err)
		err = plandb_units_named(db, a, &p.unit_id, 1, &u, &e);
	if (!err)
		err = plan_targets_actual(db, a, &p, &targets, &e);
	if (!err)
		err = plan_tasks(db, a, id, &tasks, &e);
	if (err) {
		json_decref(targets);
		json_decref(tasks);
		return fail("show", &e);
	}
	const char *unit = u->nrows ? db_get(u, 0, "full_name") : "";
	printf("ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n");
	printf("%s\t\tĐộc lập - Tự do - Hạnh phúc\n", plan_upper(a, unit));
	if (p.number > 0)
		printf("Số: %s\t\t%s\n", plan_number_text(a, &p),
		       p.issued_on
			       ? plan_place_date_text(a, p.place, p.issued_on)
			       : "");
	else
		printf("Số:     /%s (dự thảo)\n", p.symbol);
	printf("\nKẾ HOẠCH\n%s\n\n", p.title);
	print_lines(p.bases, "");
	for (int i = 0; i < p.nsections; i++) {
		printf("\n%s\n", p.sections[i].heading);
		print_lines(p.sections[i].body, "");
	}
	printf("\nNơi nhận:\n");
	print_lines(p.recipients, "");
	if (!strcmp(p.sign_mode, "TM."))
		printf("\nTM. ỦY BAN NHÂN DÂN\n");
	else if (!strcmp(p.sign_mode, "KT."))
		printf("\nKT. CHỦ TỊCH\n");
	printf("%s\n%s\n", plan_upper(a, p.signer_title), p.signer_name);
	printf("\nMục tiêu:\n");
	size_t i;
	json_t *x;
	json_array_foreach(targets, i, x)
	{
		printf("- %s: %s: %s", str(x, "measure_vi"), str(x, "text_vi"),
		       str(x, "state_vi"));
		if (*str(x, "actual_vi"))
			printf(" (%s)", str(x, "actual_vi"));
		printf("\n");
	}
	printf("\nNhiệm vụ:\n");
	json_array_foreach(tasks, i, x)
	{
		int depth =
			(int)json_integer_value(json_object_get(x, "depth"));
		printf("%*s%lld. %s [%s, %lld%%] %s, hạn %s\n", depth * 2, "",
		       (long long)json_integer_value(json_object_get(x, "id")),
		       str(x, "title"), str(x, "status_vi"),
		       (long long)json_integer_value(
			       json_object_get(x, "progress")),
		       str(x, "lead_unit_name"), date_vi(a, str(x, "due_on")));
	}
	json_decref(targets);
	json_decref(tasks);
	return 0;
}

static int cmd_task(struct db *db, struct arena *a, long long id)
{
	struct error e = {0};
	struct task t;
	json_t *updates = NULL;
	struct db_result *u;
	enum err err = task_get(db, a, id, &t, &e);
	if (!err)
		err = plandb_units_named(db, a, &t.lead_unit_id, 1, &u, &e);
	if (!err)
		err = task_updates(db, a, id, &updates, &e);
	if (err)
		return fail("task", &e);
	printf("task %lld of plan %lld%s\n", t.id, t.plan_id,
	       t.parent_id ? arena_printf(a, ", under task %lld", t.parent_id)
			   : "");
	printf("title: %s\n", t.title);
	if (*t.description)
		printf("description: %s\n", t.description);
	printf("lead unit: %s\n", u->nrows ? db_get(u, 0, "full_name") : "");
	json_t *who = NULL;
	if (t.responsible_user_id &&
	    !users_get(db, a, t.responsible_user_id, &who, &e))
		printf("responsible: %s (%s)\n", str(who, "full_name"),
		       str(who, "username"));
	json_decref(who);
	printf("dates: %s - %s, recurrence %s, weight %g\n",
	       date_vi(a, t.start_on), date_vi(a, t.due_on), t.recurrence,
	       t.weight);
	printf("status: %s, %d%%%s%s\n", t.status, t.progress,
	       t.done_on ? ", done " : "",
	       t.done_on ? date_vi(a, t.done_on) : "");
	for (int i = 0; i < t.nlinks; i++)
		printf("serves: %s\n", t.links[i]);
	size_t i;
	json_t *x;
	json_array_foreach(updates, i, x) printf(
		"update %lld at %s by %s: %s %lld%% %s (%zu files)\n",
		(long long)json_integer_value(json_object_get(x, "id")),
		str(x, "at"), *str(x, "user_name") ? str(x, "user_name") : "-",
		str(x, "status"),
		(long long)json_integer_value(json_object_get(x, "progress")),
		str(x, "note"), json_array_size(json_object_get(x, "files")));
	json_decref(updates);
	return 0;
}

static int cmd_issue(struct db *db, struct arena *a, long long id, int argc,
		     char **argv)
{
	long long number = 0;
	const char *date = NULL;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--number") && i + 1 < argc) {
			number = id_arg(argv[++i]);
			if (!number)
				return usage("bad --number %s", argv[i]);
		} else if (!strcmp(argv[i], "--date") && i + 1 < argc) {
			date = argv[++i];
		} else {
			return usage("unknown argument %s", argv[i]);
		}
	}
	struct error e = {0};
	struct plan p;
	if (plan_issue_number(db, a, &actor_cli, id, date, (int)number, &e) ||
	    plan_get(db, a, id, &p, &e))
		return fail("issue", &e);
	printf("plan %lld issued as %s on %s\n", id, plan_number_text(a, &p),
	       p.issued_on);
	return 0;
}

static int cmd_report(struct db *db, struct arena *a, long long id, int argc,
		      char **argv)
{
	const char *status = NULL, *note = "";
	long long progress = -1;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--status") && i + 1 < argc) {
			status = argv[++i];
		} else if (!strcmp(argv[i], "--progress") && i + 1 < argc) {
			char *end;
			progress = strtoll(argv[++i], &end, 10);
			if (*end || progress < 0 || progress > 100)
				return usage("bad --progress %s", argv[i]);
		} else if (!strcmp(argv[i], "--note") && i + 1 < argc) {
			note = argv[++i];
		} else {
			return usage("unknown argument %s", argv[i]);
		}
	}
	if (!status)
		return usage("report needs --status", NULL);
	if (progress < 0)
		progress = !strcmp(status, "done") ? 100 : 0;
	struct error e = {0};
	struct field_problems fp = {0};
	long long uid;
	if (task_report(db, a, &actor_cli, id, status, (int)progress, note,
			NULL, NULL, 0, &uid, &fp, &e))
		return fail("report", &e);
	printf("task %lld: update %lld recorded\n", id, uid);
	return 0;
}

int plan_cli(struct config *cfg, int argc, char **argv)
{
	if (argc < 2 || is_help(argv[1]))
		return argc < 2 ? usage(NULL, NULL)
				: (fputs(plan_usage, stdout), 0);
	const char *cmd = argv[1];
	/* the bulk engineer's subcommands (plan_bulk_cli.c) */
	if (!strcmp(cmd, "import"))
		return plan_bulk_cli_import(cfg, argc - 1, argv + 1);
	if (!strcmp(cmd, "export"))
		return plan_bulk_cli_export(cfg, argc - 1, argv + 1);
	bool need_id = strcmp(cmd, "list") != 0;
	if (strcmp(cmd, "list") && strcmp(cmd, "show") && strcmp(cmd, "task") &&
	    strcmp(cmd, "issue") && strcmp(cmd, "report"))
		return usage("unknown subcommand %s", cmd);
	long long id = 0;
	if (need_id && (argc < 3 || !(id = id_arg(argv[2]))))
		return usage("%s needs an id", cmd);
	for (int i = 2; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(plan_usage, stdout);
			return 0;
		}
	struct db *db;
	if (index_cli_open_db("plan", cfg, &db))
		return 1;
	struct arena a;
	arena_init(&a, PLAN_CLI_ARENA_MAX);
	int rc;
	if (!strcmp(cmd, "list"))
		rc = cmd_list(db, &a);
	else if (!strcmp(cmd, "show"))
		rc = cmd_show(db, &a, id);
	else if (!strcmp(cmd, "task"))
		rc = cmd_task(db, &a, id);
	else if (!strcmp(cmd, "issue"))
		rc = cmd_issue(db, &a, id, argc, argv);
	else
		rc = cmd_report(db, &a, id, argc, argv);
	arena_release(&a);
	db_close(db);
	return rc;
}

int plan_cli_init(struct config *cfg, int argc, char **argv)
{
	return store_cli_init_step(cfg, argc, argv, index_cli_init,
				   plan_demo_seed, "demo plans");
}
