/* `quantri plan import` and `quantri plan export`, which plan_cli.c
 * dispatches to (argv[0] is "import" or "export"). Problems go to stderr
 * as FILE:LINE: COLUMN: reason, in English; exit 0 ok, 1 failure, 2
 * usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "plan_bulk.h"
#include "../base/config.h"
#include "../base/file.h"
#include "../index/index_cli.h"
#include "../base/banned.h"

enum { CLI_ARENA = 1024u << 20, CLI_FILE_MAX = 256 << 20 };

static const char import_usage[] =
	"usage: quantri plan import PLAN_ID FILE [--updates]\n\n"
	"Imports tasks (or, with --updates, progress reports) into the plan\n"
	"from a CSV (UTF-8, comma-separated) or XLSX file, all or nothing:\n"
	"with any bad row nothing is saved and every bad row is listed.\n"
	"Columns (Vietnamese headers as the export writes them, or English\n"
	"keys): tasks: Mã nhiệm vụ (id: updates that task), STT, Thuộc STT\n"
	"(parent's STT), Nhiệm vụ (title), Nội dung, Đơn vị chủ trì, Đơn vị\n"
	"phối hợp, Người phụ trách, Lĩnh vực PAPI, Ngày bắt đầu, Hạn hoàn\n"
	"thành, Lặp lại, Trọng số, Trạng thái, Tiến độ (%).\n"
	"Updates: Mã nhiệm vụ or Nhiệm vụ, Ngày, Tiến độ (%), Trạng thái,\n"
	"Ghi chú. At most 5,000 tasks or 50,000 updates per file.\n";
static const char export_usage[] =
	"usage: quantri plan export PLAN_ID [--format csv|xlsx] [--updates] "
	"[-o FILE]\n\n"
	"Writes the plan's tasks (or, with --updates, its progress reports)\n"
	"with the import's headers, so the file imports again. The format\n"
	"defaults to the extension of FILE, else csv; without -o the file\n"
	"goes to standard output (not an XLSX to a terminal).\n";

static int usage(const char *text, const char *msg, const char *arg)
{
	if (msg) {
		fputs("quantri plan: ", stderr);
		fprintf(stderr, msg, arg);
		fputc('\n', stderr);
	}
	fputs(text, stderr);
	return 2;
}

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

static bool plan_id(const char *s, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return false;
	*out = v;
	return true;
}

int plan_bulk_cli_import(struct config *cfg, int argc, char **argv)
{
	const char *id_arg = NULL, *path = NULL;
	enum bulk_kind kind = BULK_TASKS;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(import_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--updates")) {
			kind = BULK_UPDATES;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage(import_usage, "unknown option %s",
				     argv[i]);
		} else if (!id_arg) {
			id_arg = argv[i];
		} else if (!path) {
			path = argv[i];
		} else {
			return usage(import_usage, "unexpected argument %s",
				     argv[i]);
		}
	}
	long long id;
	if (!id_arg || !path)
		return usage(import_usage, "import needs PLAN_ID and FILE%s",
			     "");
	if (!plan_id(id_arg, &id))
		return usage(import_usage, "bad plan id %s", id_arg);
	struct arena a;
	arena_init(&a, CLI_ARENA);
	struct error e = {0};
	size_t len;
	char *data = file_read_all(&a, path, CLI_FILE_MAX, &len, &e);
	if (!data) {
		fprintf(stderr, "quantri plan import: %s\n", e.msg);
		arena_release(&a);
		return 1;
	}
	struct db *db;
	if (index_cli_open_db("plan import", cfg, &db)) {
		arena_release(&a);
		return 1;
	}
	struct bulk_result r;
	struct problems p = {0};
	enum err err = bulk_import(db, &a, &actor_cli, id, kind, data, len, &r,
				   &p, &e);
	int rc = 0;
	if (err == ERR_INVALID && p.n) {
		for (int i = 0; i < p.kept; i++)
			fprintf(stderr, "%s:%d: %s\n", path, p.list[i].line,
				p.list[i].msg_en);
		if (p.n > p.kept)
			fprintf(stderr, "%s: and %d more\n", path,
				p.n - p.kept);
		fprintf(stderr,
			"quantri plan import: %d problem%s, nothing imported\n",
			p.n, p.n == 1 ? "" : "s");
		rc = 1;
	} else if (err) {
		fprintf(stderr, "quantri plan import: %s\n", e.msg);
		rc = 1;
	} else if (kind == BULK_TASKS) {
		printf("plan %lld: %d tasks created, %d updated, %d unchanged",
		       id, r.created, r.updated, r.unchanged);
		if (r.skipped)
			printf(", %d occurrence rows skipped", r.skipped);
		putchar('\n');
	} else {
		printf("plan %lld: %d progress reports added, %d already "
		       "there\n",
		       id, r.created, r.unchanged);
	}
	for (int i = 0; !rc && r.ignored && r.ignored[i]; i++)
		fprintf(stderr, "%s: column \"%s\" ignored\n", path,
			r.ignored[i]);
	db_close(db);
	arena_release(&a);
	return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcasecmp(s + n - k, suffix);
}

int plan_bulk_cli_export(struct config *cfg, int argc, char **argv)
{
	const char *id_arg = NULL, *out = NULL, *format = NULL;
	enum bulk_kind kind = BULK_TASKS;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(export_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--updates")) {
			kind = BULK_UPDATES;
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			format = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage(export_usage, "unknown option %s",
				     argv[i]);
		} else if (!id_arg) {
			id_arg = argv[i];
		} else {
			return usage(export_usage, "unexpected argument %s",
				     argv[i]);
		}
	}
	long long id;
	if (!id_arg || !plan_id(id_arg, &id))
		return usage(export_usage, "export needs a PLAN_ID%s", "");
	if (!format)
		format = out && ends_with(out, ".xlsx") ? "xlsx" : "csv";
	if (strcmp(format, "csv") && strcmp(format, "xlsx"))
		return usage(export_usage, "unknown format %s", format);
	enum bulk_format fmt = !strcmp(format, "csv") ? BULK_CSV : BULK_XLSX;
	if (fmt == BULK_XLSX && !out && isatty(STDOUT_FILENO)) {
		fputs("quantri plan export: not writing XLSX to a terminal: "
		      "use -o FILE\n",
		      stderr);
		return 2;
	}
	struct db *db;
	if (index_cli_open_db("plan export", cfg, &db))
		return 1;
	struct arena a;
	arena_init(&a, CLI_ARENA);
	unsigned char *bytes;
	size_t len;
	const char *mime, *name;
	struct error e = {0};
	int rc = 0;
	if (bulk_export(db, &a, id, kind, fmt, &bytes, &len, &mime, &name,
			&e)) {
		fprintf(stderr, "quantri plan export: %s\n", e.msg);
		rc = 1;
	} else {
		FILE *f = out ? fopen(out, "wb") : stdout;
		bool ok = f && fwrite(bytes, 1, len, f) == len;
		if (f && f != stdout)
			ok = fclose(f) == 0 && ok;
		else if (f)
			ok = fflush(f) == 0 && ok;
		if (!ok) {
			fprintf(stderr,
				"quantri plan export: cannot write %s\n",
				out ? out : "standard output");
			rc = 1;
		}
	}
	db_close(db);
	arena_release(&a);
	return rc;
}
