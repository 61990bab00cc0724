/* `quantri init`, `quantri user ...`, `quantri unit ...`, `quantri
 * calendar ...`: the same functions the web pages call, for the person at
 * the server's keyboard. Errors in English on stderr; exit 0 ok, 1 failure,
 * 2 usage. Changes are recorded in the audit log as user "cli". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/file.h"
#include "people.h"
#include "../cli.h"
#include "../base/calendar.h"
#include "../base/csv.h"
#include "../base/embedded.h"
#include "../base/text.h"
#include "../http/http.h"
#include "../base/banned.h"

enum { CLI_ARENA_MAX = 512 << 20 };

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	if (fmt) {
		fputs("quantri: ", stderr);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs(usage, stderr);
	return 2;
}

/* The database of cfg, which must exist and be initialised (`init` makes
 * it). */
static int open_existing(const struct config *cfg, const char *cmd,
			 struct db **db)
{
	struct error e = {0};
	*db = NULL;
	if (!db_url_is_postgres(cfg->db)) {
		struct stat st;
		const char *path = db_sqlite_path(cfg->db);
		if (stat(path, &st)) {
			fprintf(stderr,
				"quantri %s: no database at %s: run `quantri "
				"init` first\n",
				cmd, path);
			return 1;
		}
	}
	if (db_open(db, cfg->db, &e)) {
		fprintf(stderr, "quantri %s: %s\n", cmd, e.msg);
		return 1;
	}
	int v = db_schema_version(*db);
	if (v < db_schema_version_known()) {
		fprintf(stderr,
			"quantri %s: database schema is version %d, this "
			"program needs %d: "
			"run `quantri init`\n",
			cmd, v, db_schema_version_known());
		db_close(*db);
		*db = NULL;
		return 1;
	}
	return 0;
}

static int fail(const char *cmd, const struct error *e)
{
	fprintf(stderr, "quantri %s: %s\n", cmd, e->msg);
	return 1;
}

/* printf pads bytes; Vietnamese letters take two or three. */
static void print_padded(const char *s, int width)
{
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	printf("%s%*s", s, width > chars ? width - chars : 0, "");
}

/* ---- init ---- */

static const char init_usage[] =
	"usage: quantri init [--demo]\n\n"
	"Creates the database (or upgrades its schema) and fills the "
	"working-day\n"
	"calendar from the shipped holidays when it is empty. With --demo, "
	"also\n"
	"the demo commune: Hưng Yên's units before and after 01/07/2025, xã "
	"Tiên\n"
	"Tiến with its villages and professional units, and one user per "
	"role,\n"
	"all with the password demo2026. Running it again changes nothing.\n";

int people_cli_init(struct config *cfg, int argc, char **argv)
{
	bool demo = false;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(init_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--demo")) {
			demo = true;
		} else {
			return usage_error(init_usage,
					   "init: unknown argument %s",
					   argv[i]);
		}
	}
	struct db *db;
	struct error e = {0};
	struct arena a;
	if (db_open(&db, cfg->db, &e))
		return fail("init", &e);
	arena_init(&a, CLI_ARENA_MAX);
	int rc = 1, before = db_schema_version(db), added = 0;
	bool created = false;
	if (db_migrate(db, &e) || calendar_db_seed(db, &a, &added, &e) ||
	    (demo && demo_seed(db, &a, &created, &e))) {
		fail("init", &e);
		goto out;
	}
	int after = db_schema_version(db);
	if (after != before)
		printf("database %s: schema version %d (was %d)\n", cfg->db,
		       after, before < 0 ? 0 : before);
	if (added)
		printf("calendar: %d days off and make-up days from "
		       "data/holidays.csv\n",
		       added);
	if (demo && created)
		printf("demo commune created: %s\n", "UBND xã Tiên Tiến");
	if (after == before && !added && !created)
		printf("database %s is up to date (schema version %d)%s: "
		       "nothing changed\n",
		       cfg->db, after, demo ? " and has the demo" : "");
	if (demo) {
		printf("\nStart it: quantri serve, then open http://%s:%d/\n\n",
		       strcmp(cfg->listen, "0.0.0.0") ? cfg->listen
						      : "127.0.0.1",
		       cfg->port);
		printf("Demo logins (password %s for all):\n", "demo2026");
		printf("  %-12s %-22s %-14s %s\n", "username", "name", "role",
		       "unit");
		for (int i = 0; i < demo_nlogins; i++) {
			const struct demo_login *d = &demo_logins[i];
			const char *unit =
				!strcmp(d->unit, "commune") ? "xã Tiên Tiến"
				: !strcmp(d->unit, "province") ? "tỉnh Hưng Yên"
							       : d->unit;
			printf("  %-12s ", d->username);
			print_padded(d->full_name, 23);
			printf("%-14s %s\n", d->role, unit);
		}
	}
	rc = 0;
out:
	arena_release(&a);
	db_close(db);
	return rc;
}

/* ---- user ---- */

static const char user_usage[] =
	"usage: quantri user list [--all]\n"
	"       quantri user add USERNAME \"FULL NAME\" [--password P] "
	"[--email E] [--phone P]\n"
	"       quantri user disable USERNAME\n"
	"       quantri user enable USERNAME\n"
	"       quantri user passwd USERNAME [--password P]\n"
	"       quantri user role-add USERNAME ROLE UNIT_CODE_OR_ID\n"
	"       quantri user role-remove USERNAME ROLE UNIT_CODE_OR_ID\n"
	"       quantri user token USERNAME NAME\n\n"
	"list     active users in Vietnamese order (--all: disabled ones too)\n"
	"add      without --password a temporary one is made, printed once, "
	"and\n"
	"         must be changed at first login\n"
	"passwd   reads the new password from the first line of stdin unless\n"
	"         --password is given (at least 8 characters)\n"
	"role-add ROLE is one of chair, vice_chair, office, unit_head, "
	"officer,\n"
	"         front, inspection, village_head, surveyor, upper; the unit "
	"is\n"
	"         its statistics code (the unit in force with it) or its id\n"
	"token    makes an API token for another system, printed once\n";

/* --name VALUE options after the positional arguments. */
static int options(int argc, char **argv, int from, const char *const *names,
		   const char **values, int nnames, const char **positional,
		   int npos, int *got)
{
	*got = 0;
	for (int i = from; i < argc; i++) {
		int k = 0;
		for (; k < nnames; k++)
			if (!strcmp(argv[i], names[k]))
				break;
		if (k < nnames) {
			if (i + 1 >= argc)
				return usage_error(user_usage,
						   "option %s needs a value",
						   argv[i]);
			values[k] = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error(user_usage, "unknown option %s",
					   argv[i]);
		} else if (*got < npos) {
			positional[(*got)++] = argv[i];
		} else {
			return usage_error(user_usage, "unexpected argument %s",
					   argv[i]);
		}
	}
	return 0;
}

static int user_list(struct db *db, struct arena *a, bool all)
{
	struct user_filter f = {.active = all ? -1 : 1};
	json_t *users;
	struct error e = {0};
	if (users_list(db, a, &f, &users, &e))
		return fail("user list", &e);
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u)
	{
		const char *roles = "";
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(u, "roles"), k, r) roles =
			arena_printf(
				a, "%s%s%s@%s", roles, *roles ? ", " : "",
				json_string_value(json_object_get(r, "role")),
				json_string_value(
					json_object_get(r, "unit_name")));
		printf("%-16s %s%s\t%s\n",
		       json_string_value(json_object_get(u, "username")),
		       json_string_value(json_object_get(u, "full_name")),
		       json_is_true(json_object_get(u, "active"))
			       ? ""
			       : " (disabled)",
		       roles ? roles : "");
	}
	json_decref(users);
	return 0;
}

static int read_password_stdin(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	size_t len = strlen(buf);
	if (len && buf[len - 1] != '\n' && !feof(stdin))
		return -1; /* longer than the buffer */
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = 0;
	return 0;
}

int people_cli_user(struct config *cfg, int argc, char **argv)
{
	if (argc < 2)
		return usage_error(user_usage, NULL, NULL);
	const char *sub = argv[1];
	if (is_help(sub)) {
		fputs(user_usage, stdout);
		return 0;
	}
	for (int i = 2; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(user_usage, stdout);
			return 0;
		}
	static const char *const names[] = {"--password", "--email", "--phone"};
	const char *opt[3] = {NULL, NULL, NULL}, *pos[3] = {NULL, NULL, NULL};
	int got = 0, rc;
	bool all = false;
	if (!strcmp(sub, "list")) {
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--all"))
				all = true;
			else
				return usage_error(
					user_usage,
					"user list: unexpected argument %s",
					argv[i]);
		}
	} else {
		int need = !strcmp(sub, "add") ? 2
			   : !strcmp(sub, "disable") ||
					   !strcmp(sub, "enable") ||
					   !strcmp(sub, "passwd")
				   ? 1
			   : !strcmp(sub, "role-add") ||
					   !strcmp(sub, "role-remove")
				   ? 3
			   : !strcmp(sub, "token") ? 2
						   : -1;
		if (need < 0)
			return usage_error(user_usage,
					   "user: unknown subcommand %s", sub);
		rc = options(argc, argv, 2, names, opt, 3, pos, 3, &got);
		if (rc)
			return rc;
		if (got != need)
			return usage_error(user_usage,
					   "user %s: wrong number of arguments",
					   sub);
		bool takes_password =
			!strcmp(sub, "add") || !strcmp(sub, "passwd");
		if ((opt[0] && !takes_password) ||
		    ((opt[1] || opt[2]) && strcmp(sub, "add")))
			return usage_error(user_usage,
					   "user %s: option not allowed here",
					   sub);
	}

	struct db *db;
	if (open_existing(cfg, "user", &db))
		return 1;
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	struct error e = {0};
	char cmd[64];
	snprintf(cmd, sizeof cmd, "user %s", sub);
	long long id = 0;
	rc = 0;
	if (!strcmp(sub, "list")) {
		rc = user_list(db, &a, all);
		goto out;
	}
	if (strcmp(sub, "add") && users_by_username(db, &a, pos[0], &id, &e)) {
		rc = fail(cmd, &e);
		goto out;
	}
	if (!strcmp(sub, "add")) {
		struct user_input in = {pos[0], pos[1], opt[1] ? opt[1] : "",
					opt[2] ? opt[2] : "", opt[0]};
		const char *temp = NULL;
		if (users_create(db, &a, &actor_cli, &in, false, &id, &temp,
				 NULL, &e)) {
			rc = fail(cmd, &e);
			goto out;
		}
		printf("user %s added (id %lld)\n", pos[0], id);
		if (temp)
			printf("temporary password (shown once, to be changed "
			       "at first login): %s\n",
			       temp);
	} else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
		bool on = !strcmp(sub, "enable");
		if (users_set_active(db, &a, &actor_cli, id, on, &e)) {
			rc = fail(cmd, &e);
			goto out;
		}
		printf("user %s %s\n", pos[0], on ? "enabled" : "disabled");
	} else if (!strcmp(sub, "passwd")) {
		char buf[PASSWORD_MAX_BYTES + 2];
		const char *pw = opt[0];
		if (!pw) {
			if (read_password_stdin(buf, sizeof buf)) {
				fprintf(stderr,
					"quantri %s: no password on stdin (or "
					"over %d bytes)\n",
					cmd, PASSWORD_MAX_BYTES);
				rc = 1;
				goto out;
			}
			pw = buf;
		}
		if (users_set_password(db, &a, &actor_cli, id, pw, NULL, &e)) {
			rc = fail(cmd, &e);
			goto out;
		}
		printf("password of %s changed; their sessions ended\n",
		       pos[0]);
	} else if (!strcmp(sub, "role-add") || !strcmp(sub, "role-remove")) {
		struct unit u;
		if (!role_from_key(pos[1])) {
			fprintf(stderr, "quantri %s: unknown role %s\n", cmd,
				pos[1]);
			rc = 2;
			goto out;
		}
		if (units_find(db, &a, pos[2], &u, &e)) {
			rc = fail(cmd, &e);
			goto out;
		}
		if (!strcmp(sub, "role-add")) {
			if (users_role_add(db, &a, &actor_cli, id, pos[1], u.id,
					   NULL, &e)) {
				rc = fail(cmd, &e);
				goto out;
			}
			printf("%s is now %s of %s\n", pos[0], pos[1],
			       u.full_name);
		} else {
			json_t *user;
			long long role_id = 0;
			if (users_get(db, &a, id, &user, &e)) {
				rc = fail(cmd, &e);
				goto out;
			}
			size_t i;
			json_t *r;
			json_array_foreach(json_object_get(user, "roles"), i, r) if (
				!strcmp(json_string_value(
						json_object_get(r, "role")),
					pos[1]) &&
				json_integer_value(json_object_get(
					r, "unit_id")) == u.id) role_id =
				json_integer_value(json_object_get(r, "id"));
			json_decref(user);
			if (!role_id) {
				fprintf(stderr,
					"quantri %s: %s has no role %s in unit "
					"%s\n",
					cmd, pos[0], pos[1], pos[2]);
				rc = 1;
				goto out;
			}
			if (users_role_remove(db, &a, &actor_cli, id, role_id,
					      &e)) {
				rc = fail(cmd, &e);
				goto out;
			}
			printf("%s is no longer %s of %s\n", pos[0], pos[1],
			       u.full_name);
		}
	} else if (!strcmp(sub, "token")) {
		const char *token;
		if (tokens_create(db, &a, &actor_cli, id, pos[1], &token, NULL,
				  &e)) {
			rc = fail(cmd, &e);
			goto out;
		}
		printf("%s\n", token);
		fprintf(stderr,
			"API token for %s (shown once): send it as "
			"\"Authorization: Bearer TOKEN\"\n",
			pos[0]);
	}
out:
	arena_release(&a);
	db_close(db);
	return rc;
}

/* ---- unit ---- */

static const char unit_usage[] =
	"usage: quantri unit list [--current]\n"
	"       quantri unit import FILE.csv\n\n"
	"list     the unit tree: code, name, validity, what became of it\n"
	"         (--current: only units in force)\n"
	"import   one of the four formats of data/units/, told by its header:\n"
	"         the old statistics list (province, districts, communes), "
	"the\n"
	"         communes from 01/07/2025, Nghị quyết 1666 mergers, "
	"old-to-new\n"
	"         codes. Units are matched by code. All or nothing: a bad "
	"line\n"
	"         and nothing is imported, every bad line is listed. "
	"Importing\n"
	"         the same file again changes nothing.\n";

static int unit_list(struct db *db, struct arena *a, bool current)
{
	json_t *tree;
	struct error e = {0};
	if (units_tree(db, a, &tree, &e))
		return fail("unit list", &e);
	size_t i;
	json_t *u;
	json_array_foreach(tree, i, u)
	{
		if (current && !json_is_true(json_object_get(u, "in_force")))
			continue;
		int depth =
			(int)json_integer_value(json_object_get(u, "depth"));
		const char *code =
			json_string_value(json_object_get(u, "code"));
		const char *from =
			json_string_value(json_object_get(u, "valid_from"));
		const char *to =
			json_string_value(json_object_get(u, "valid_to"));
		const char *status =
			json_string_value(json_object_get(u, "status_vi"));
		printf("%*s%-6s %s", depth * 2, "", code ? code : "-",
		       json_string_value(json_object_get(u, "full_name")));
		if (from || to)
			printf("  [%s – %s]",
			       from ? text_format_date(a, from) : "",
			       to ? text_format_date(a, to) : "nay");
		if (status && *status)
			printf("  (%s)", status);
		printf("  #%lld\n",
		       (long long)json_integer_value(json_object_get(u, "id")));
	}
	json_decref(tree);
	return 0;
}

int people_cli_unit(struct config *cfg, int argc, char **argv)
{
	if (argc < 2)
		return usage_error(unit_usage, NULL, NULL);
	for (int i = 1; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(unit_usage, stdout);
			return 0;
		}
	const char *sub = argv[1];
	bool current = false;
	if (!strcmp(sub, "list")) {
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--current"))
				current = true;
			else
				return usage_error(
					unit_usage,
					"unit list: unexpected argument %s",
					argv[i]);
		}
	} else if (!strcmp(sub, "import")) {
		if (argc != 3 || argv[2][0] == '-')
			return usage_error(unit_usage,
					   "unit import: one FILE.csv%s", "");
	} else {
		return usage_error(unit_usage, "unit: unknown subcommand %s",
				   sub);
	}
	struct db *db;
	if (open_existing(cfg, "unit", &db))
		return 1;
	struct arena a;
	arena_init(&a, CLI_ARENA_MAX);
	struct error e = {0};
	int rc = 0;
	if (!strcmp(sub, "list")) {
		rc = unit_list(db, &a, current);
	} else {
		size_t len;
		struct import_report rep;
		char *csv = file_read_all(&a, argv[2], CSV_MAX_BYTES, &len, &e);
		enum err err = csv ? unit_import(db, &a, &actor_cli, csv, len,
						 &rep, &e)
				   : e.code;
		if (err) {
			if (csv && err == ERR_INVALID && rep.nerrors) {
				int shown = rep.nerrors < IMPORT_MAX_ERRORS
						    ? rep.nerrors
						    : IMPORT_MAX_ERRORS;
				for (int i = 0; i < shown; i++)
					fprintf(stderr, "%s:%d: %s\n", argv[2],
						rep.errors[i].line,
						rep.errors[i].msg_en);
			}
			fprintf(stderr, "quantri unit import: %s\n", e.msg);
			rc = 1;
		} else {
			printf("%s (%s): %d created, %d updated, %d merged, %d "
			       "unchanged\n",
			       argv[2], rep.format, rep.created, rep.updated,
			       rep.merged, rep.unchanged);
		}
	}
	arena_release(&a);
	db_close(db);
	return rc;
}

/* ---- calendar ---- */

static const char calendar_usage[] =
	"usage: quantri calendar add YYYY-MM-DD N [--working]\n"
	"       quantri calendar show YEAR\n\n"
	"add    prints the date N days after the given one (counting starts "
	"the\n"
	"       day after it); with --working, N working days: Monday to "
	"Friday,\n"
	"       minus public holidays and swapped days, plus make-up "
	"Saturdays\n"
	"show   lists the year's days off and make-up working days\n\n"
	"The calendar is the database's (an administrator edits it) when the\n"
	"database exists, else the one shipped in data/holidays.csv.\n";

static const char *const weekday_vi[] = {"",        "Thứ Hai", "Thứ Ba",
					 "Thứ Tư",  "Thứ Năm", "Thứ Sáu",
					 "Thứ Bảy", "Chủ nhật"};

/* The database, when it exists and holds a calendar; else NULL. */
static struct db *calendar_db(const struct config *cfg, struct arena *a)
{
	struct db *db = NULL;
	struct error e = {0};
	struct stat st;
	if (!db_url_is_postgres(cfg->db) && stat(db_sqlite_path(cfg->db), &st))
		return NULL;
	if (db_open(&db, cfg->db, &e))
		return NULL;
	/* An empty calendar means `init` has not run yet: the shipped one is
	 * better than none. */
	struct calendar c;
	calendar_init(&c);
	bool has = db_schema_version(db) >= 1 &&
		   !calendar_db_load(db, a, &c, &e) && c.n > 0;
	calendar_release(&c);
	if (!has) {
		db_close(db);
		return NULL;
	}
	return db;
}

/* Days of a year as {day, kind, name} from the shipped file. */
static json_t *shipped_year(struct arena *a, int year, struct error *e)
{
	const struct embedded_file *f = embedded_find("data/holidays.csv");
	struct csv_table t;
	if (!f) {
		error_set(e, ERR_INTERNAL,
			  "data/holidays.csv is not in the binary");
		return NULL;
	}
	if (csv_parse(a, (const char *)f->data, f->len, &t, e))
		return NULL;
	int cd = csv_col(&t, "day"), ck = csv_col(&t, "kind"),
	    cn = csv_col(&t, "name");
	json_t *out = json_array();
	char prefix[6];
	snprintf(prefix, sizeof prefix, "%04d-", year);
	for (int i = 0; i < t.nrows; i++)
		if (cd >= 0 && !strncmp(csv_get(&t, i, cd), prefix, 5))
			json_array_append_new(
				out,
				json_pack("{s:s, s:s, s:s}", "day",
					  csv_get(&t, i, cd), "kind",
					  ck >= 0 ? csv_get(&t, i, ck) : "",
					  "name",
					  cn >= 0 ? csv_get(&t, i, cn) : ""));
	return out;
}

int people_cli_calendar(struct config *cfg, int argc, char **argv)
{
	if (argc < 2)
		return usage_error(calendar_usage, NULL, NULL);
	for (int i = 1; i < argc; i++)
		if (is_help(argv[i])) {
			fputs(calendar_usage, stdout);
			return 0;
		}
	const char *sub = argv[1];
	struct date from = {0};
	long n = 0;
	bool working = false;
	int year = 0;
	if (!strcmp(sub, "add")) {
		const char *pos[2];
		int got = 0;
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--working"))
				working = true;
			else if (argv[i][0] == '-' &&
				 !(argv[i][1] >= '0' && argv[i][1] <= '9'))
				return usage_error(
					calendar_usage,
					"calendar add: unknown option %s",
					argv[i]);
			else if (got < 2)
				pos[got++] = argv[i];
			else
				return usage_error(
					calendar_usage,
					"calendar add: unexpected argument %s",
					argv[i]);
		}
		if (got != 2)
			return usage_error(calendar_usage,
					   "calendar add: needs a date and N%s",
					   "");
		if (!date_parse_iso(pos[0], &from))
			return usage_error(calendar_usage,
					   "calendar add: bad date %s "
					   "(expected YYYY-MM-DD)",
					   pos[0]);
		char *end;
		errno = 0;
		n = strtol(pos[1], &end, 10);
		if (!*pos[1] || *end || errno || n < 0 || n > 100000)
			return usage_error(calendar_usage,
					   "calendar add: N must be a whole "
					   "number from 0 to 100000, not %s",
					   pos[1]);
	} else if (!strcmp(sub, "show")) {
		char *end;
		if (argc != 3)
			return usage_error(calendar_usage,
					   "calendar show: one YEAR%s", "");
		year = (int)strtol(argv[2], &end, 10);
		if (*end || !*argv[2] || year < 1 || year > 9999)
			return usage_error(calendar_usage,
					   "calendar show: bad year %s",
					   argv[2]);
	} else {
		return usage_error(calendar_usage,
				   "calendar: unknown subcommand %s", sub);
	}

	struct arena a;
	struct error e = {0};
	arena_init(&a, CLI_ARENA_MAX);
	struct db *db = calendar_db(cfg, &a);
	int rc = 0;
	if (!strcmp(sub, "add")) {
		struct calendar c;
		calendar_init(&c);
		enum err err;
		if (db) {
			err = calendar_db_load(db, &a, &c, &e);
		} else {
			const struct embedded_file *f =
				embedded_find("data/holidays.csv");
			err = f ? calendar_load_csv(&c, (const char *)f->data,
						    &e)
				: error_set(&e, ERR_INTERNAL,
					    "data/holidays.csv is not in the "
					    "binary");
		}
		if (err) {
			rc = fail("calendar add", &e);
		} else {
			char out[11];
			date_format_iso(
				calendar_add_days(&c, from, (int)n, working),
				out);
			printf("%s\n", out);
		}
		calendar_release(&c);
	} else {
		json_t *days = NULL;
		if (db ? calendar_db_year(db, &a, year, &days, &e) != ERR_OK
		       : !(days = shipped_year(&a, year, &e))) {
			rc = fail("calendar show", &e);
		} else {
			size_t i;
			json_t *d;
			if (!json_array_size(days))
				printf("no days off or make-up days recorded "
				       "for %d\n",
				       year);
			json_array_foreach(days, i, d)
			{
				struct date dt;
				const char *day = json_string_value(
					json_object_get(d, "day"));
				if (!day || !date_parse_iso(day, &dt))
					continue;
				bool off = !strcmp(
					json_string_value(
						json_object_get(d, "kind")),
					"off");
				printf("%02d/%02d/%04d  ", dt.d, dt.m, dt.y);
				print_padded(weekday_vi[date_weekday(dt)], 9);
				print_padded(off ? "nghỉ" : "làm bù", 8);
				printf("%s\n",
				       json_string_value(
					       json_object_get(d, "name")));
			}
		}
		json_decref(days);
	}
	db_close(db);
	arena_release(&a);
	return rc;
}
