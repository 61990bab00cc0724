/* quantri: one program, a CLI whose `serve` subcommand is the web app. */
#include <stdio.h>
#include <string.h>
#include "base/banned.h"
#include "base/config.h"
#include "cli.h"

struct command {
	const char *name;
	int (*run)(struct config *cfg, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"init", report_cli_init,
	 "create or upgrade the database (--demo seeds the demo commune)"},
	{"serve", http_cli_serve, "run the web application"},
	{"user", people_cli_user,
	 "list, add, disable users; set passwords and roles"},
	{"unit", people_cli_unit, "list units; import units from CSV"},
	{"calendar", people_cli_calendar,
	 "working-day calendar: add days, show days off"},
	{"backup", store_cli_backup, "copy the database to a file, online"},
	{"restore", store_cli_restore, "replace the database with a backup"},
	{"routes", http_cli_routes, "print the route and permission table"},
	{"papi", index_cli_papi,
	 "PAPI catalogue, official results and their groups"},
	{"interviews", index_cli_interviews,
	 "import, export, list the interviews of a survey round"},
	{"survey", index_cli_survey,
	 "estimate means of survey answers in a CSV file"},
	{"round", index_cli_round,
	 "survey rounds: sample frame, draw, contacts"},
	{"mail", notify_cli_mail,
	 "e-mail: daily digest, outbox, send, a test mail"},
	{"plan", plan_cli,
	 "plans and tasks: list, show, issue, report, import, export"},
	{"voice", voice_cli,
	 "citizens' cases: list, show, rules, topics, stats"},
	{"disclosure", disclosure_cli,
	 "disclosure register: items, records, export"},
	{"outreach", outreach_cli,
	 "outreach activities: list, coverage, export"},
	{"oversight", oversight_cli,
	 "inspections, findings and their remedial tasks"},
	{"report", report_cli,
	 "periodic reports: list, build, show, PDF/XLSX/DOCX files"},
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: quantri [--config FILE] [--db URL] COMMAND [ARGS]\n\n"
		"quantri runs a commune's governance plan, measured the PAPI "
		"way.\n\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f,
		"\n`quantri COMMAND --help` describes each command.\n"
		"Settings: see deploy/quantri.conf.example; every key is also\n"
		"an environment variable QUANTRI_<KEY>.\n");
}

int main(int argc, char **argv)
{
	const char *config_file = NULL, *db = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("quantri %s\n", QUANTRI_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--help") ||
			   !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			config_file = argv[++i];
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			db = argv[++i];
		} else {
			fprintf(stderr, "quantri: unknown option %s\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	struct config cfg;
	struct error e = {0};
	config_defaults(&cfg);
	if (config_load(&cfg, config_file, &e) ||
	    (db && config_set(&cfg, "db", db, &e))) {
		fprintf(stderr, "quantri: %s\n", e.msg);
		return 1;
	}
	people_http_register();
	index_http_register();
	files_http_register();
	notify_http_register();
	plan_http_register();
	voice_http_register();
	disclosure_http_register();
	outreach_http_register();
	oversight_http_register();
	report_http_register();
	shell_http_register();
	for (size_t c = 0; c < sizeof commands / sizeof *commands; c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].run(&cfg, argc - i, argv + i);
	fprintf(stderr, "quantri: unknown command %s\n", argv[i]);
	usage(stderr);
	return 2;
}
