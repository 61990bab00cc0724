/* Bulk work on a plan: tasks and progress updates in from CSV or XLSX, the
 * way offices already keep them, and out to CSV and XLSX with the same
 * Vietnamese headers, so an export re-imports.
 *
 * One path for both formats: a CSV becomes a struct sheet too. An import
 * reads the file, finds the header row (a title or two may sit above it),
 * checks every row against the plan's units, officials and tasks, and then
 * saves everything through task_save/task_report in one transaction: with
 * any bad row nothing is saved and every bad row and column is listed
 * (line as Excel or a text editor shows it, the column's header as the
 * file writes it, the reason in Vietnamese and English).
 *
 * Tasks: a row with "Mã nhiệm vụ" (a task id of this plan) updates that
 * task; without it the row is a new task. Sub-tasks name their parent's
 * STT in "Thuộc STT" (or, without that column, "1.2" falls under "1").
 * Occurrences of a recurring task are made from its recurrence, so rows
 * under a new recurring task are skipped. A row identical to the task it
 * names changes nothing (re-importing an export is a no-op).
 * Updates: one progress report per row, by task id or exact title, applied
 * in date order per task; a row identical to a report already recorded
 * (same task, day, progress, status and note) is skipped.
 *
 * CSV export: UTF-8 with a byte-order mark (Excel opens a UTF-8 CSV without
 * one as ANSI and garbles the diacritics; our import skips it), comma
 * separated, CRLF, dates dd/mm/yyyy; a cell starting with = + - @ gets a
 * leading apostrophe so a spreadsheet does not run it as a formula (the
 * import removes it again). XLSX export: dates as real dates shown
 * dd/mm/yyyy, numbers as numbers, text as text (never formulas). */
#ifndef PLAN_BULK_H
#define PLAN_BULK_H
#include <stdbool.h>
#include "plan.h"
#include "../base/xlsx.h"

enum { BULK_MAX_TASKS = 5000, BULK_MAX_UPDATES = 50000 };
enum bulk_kind { BULK_TASKS, BULK_UPDATES };
enum bulk_format { BULK_CSV, BULK_XLSX };

/* ---- plan_import.c: reading and checking (pure) ---- */

/* A file as rows of text: the sheet, and for each row the line a person
 * sees it on (Excel's row number; for a CSV, the line where the record
 * starts). */
struct bulk_file {
	struct sheet s;
	int *lines;
	bool xlsx;
};
/* Reads CSV or XLSX (told apart by their first bytes). What makes the file
 * unreadable (old encodings, ';' separators, a broken quote, a zip that is
 * no workbook, an .xls) goes to p; ERR_INVALID then. */
enum err bulk_read(struct arena *a, const void *data, size_t len,
		   struct bulk_file *out, struct problems *p, struct error *e);

/* What rows are checked against: the plan, its units and officials
 * (plan_unit_choices, plan_user_choices) and its tasks. */
struct bulk_unit {
	long long id, commune_id;
	const char *name, *full_name, *kind;
	const char *valid_to; /* NULL: in force */
};
struct bulk_user {
	long long id;
	const char *username, *full_name;
};
struct bulk_directory {
	long long plan_id;
	int plan_year;
	const char *today; /* YYYY-MM-DD in Vietnam */
	struct bulk_unit *units;
	int nunits;
	struct bulk_user *users;
	int nusers;
	struct task *tasks; /* the plan's tasks, tree order */
	int ntasks;
	int *nchildren; /* per task: how many sub-tasks it has */
	/* filled by bulk_directory_prepare: search keys (text_fold without
	 * spaces or punctuation) and the text the export writes */
	const char **unit_key, **unit_full_key, **unit_text;
	const char **user_key, **user_text;
};
/* Call once the arrays above are filled (bulk_directory_load does). */
enum err bulk_directory_prepare(struct arena *a, struct bulk_directory *d,
				struct error *e);
/* "Văn phòng – Thống kê" -> "vanphongthongke": how names and headers are
 * compared (diacritics, case, dashes and spaces do not count). */
const char *bulk_key(struct arena *a, const char *s);

/* A checked task row. t holds what the row says; t.id != 0 updates that
 * task. parent: index of the parent row, -1 for none (t.parent_id then
 * says the parent, 0 for the top level). */
struct bulk_task_row {
	int line;
	const char *stt;
	int existing; /* index in the directory's tasks, -1: a new task */
	int parent;
	bool has_children; /* other rows name it as their parent */
	bool skip;         /* an occurrence under a new recurring task */
	bool has_status;   /* the row gives a status or progress */
	struct task t;
};
struct bulk_update_row {
	int line;
	long long task_id;
	const char *day; /* YYYY-MM-DD */
	const char *status;
	int progress;
	const char *note;
};

/* Checks every row; problems go to p (the rows are only usable when p->n
 * stays 0). Columns the file has that are not ours are listed in
 * *ignored (header texts, NULL-terminated). */
enum err bulk_parse_tasks(struct arena *a, const struct bulk_file *f,
			  const struct bulk_directory *d,
			  struct bulk_task_row **rows, int *n,
			  const char ***ignored, struct problems *p,
			  struct error *e);
enum err bulk_parse_updates(struct arena *a, const struct bulk_file *f,
			    const struct bulk_directory *d,
			    struct bulk_update_row **rows, int *n,
			    const char ***ignored, struct problems *p,
			    struct error *e);

/* The text of a unit and an official as the export writes them and the
 * import reads them back: the name; "Thôn 1 (Minh Tiến)" when two units
 * share a name; the full name, or the username when two officials share
 * it. "" when unknown. */
const char *bulk_unit_text(const struct bulk_directory *d, long long unit_id);
const char *bulk_user_text(const struct bulk_directory *d, long long user_id);
/* Links as the export writes them: "D1; 5.2.1". */
char *bulk_links_text(struct arena *a, const struct task *t);

/* ---- plan_import.c: saving ---- */

struct bulk_result {
	int created, updated, unchanged, skipped;
	const char **ignored; /* columns not read, NULL-terminated */
};
/* Reads, checks and saves in one transaction. ERR_INVALID with p filled
 * when any row is wrong (nothing saved); ERR_NOTFOUND without the plan. */
enum err bulk_import(struct db *db, struct arena *a, const struct actor *who,
		     long long plan_id, enum bulk_kind kind, const void *data,
		     size_t len, struct bulk_result *res, struct problems *p,
		     struct error *e);
/* How progress updates are saved: BULK_SAVE_BATCH (bulk_import: one
 * multi-row INSERT per few hundred rows, one UPDATE per task, each parent
 * rolled up once) or BULK_SAVE_PER_ROW (task_report per row: the reference
 * the batch is tested against, 50,000 rows in about a minute). Same rows,
 * same task states; the batch writes one task.report audit row per task
 * (with the number of updates) instead of one per row. */
enum bulk_save { BULK_SAVE_BATCH, BULK_SAVE_PER_ROW };
enum err bulk_import_with(struct db *db, struct arena *a,
			  const struct actor *who, long long plan_id,
			  enum bulk_kind kind, enum bulk_save how,
			  const void *data, size_t len, struct bulk_result *res,
			  struct problems *p, struct error *e);
/* The directory of a plan (units, officials, tasks), for bulk_parse_*. */
enum err bulk_directory_load(struct db *db, struct arena *a, long long plan_id,
			     struct bulk_directory *d, struct error *e);

/* ---- plan_export.c ---- */

/* The plan's tasks (tree order) or updates (by task, then date) as a sheet
 * with the import's headers. */
enum err bulk_export_sheet(struct db *db, struct arena *a, long long plan_id,
			   enum bulk_kind kind, struct sheet *out,
			   struct error *e);
/* A sheet as CSV (see above). Columns whose header is a date column are
 * written dd/mm/yyyy. */
char *bulk_sheet_csv(struct arena *a, const struct sheet *s, size_t *len);
/* The export file: bytes, its content type and a file name
 * ("ke-hoach-12-nhiem-vu.xlsx"). */
enum err bulk_export(struct db *db, struct arena *a, long long plan_id,
		     enum bulk_kind kind, enum bulk_format format,
		     unsigned char **bytes, size_t *len, const char **mime,
		     const char **filename, struct error *e);

/* ---- plan_bulk_db.c: the SQL ---- */

/* The plan's tasks (every column of struct task; tree order is made by
 * the caller), their co-units (task_id, unit_id) and links (task_id,
 * dimension, indicator), each by task_id. */
enum err bulkdb_tasks(struct db *db, struct arena *a, long long plan_id,
		      struct db_result **tasks, struct db_result **co_units,
		      struct db_result **links, struct error *e);
/* The progress reports of the plan's tasks: id, task_id, at, progress,
 * status, note, user_name; by task, then time. */
enum err bulkdb_updates(struct db *db, struct arena *a, long long plan_id,
			struct db_result **out, struct error *e);

/* SQLite only: for an import (big = true) a 64 MB page cache and the
 * statement journals in memory, then the defaults back. Each row's
 * task_save is a savepoint whose journal otherwise goes to a temporary
 * file: 5,000 tasks made 160,000 writes; in memory, 3,700. */
enum err bulkdb_big_cache(struct db *db, struct arena *a, bool big,
			  struct error *e);

/* Progress updates saved in a batch (bulk_import): */
/* The plan's tasks as they are now, inside the import's transaction: id,
 * parent_id, status, progress, weight, done_on, nchildren; by id. */
enum err bulkdb_task_states(struct db *db, struct arena *a, long long plan_id,
			    struct db_result **out, struct error *e);
/* One row of task_updates. */
struct bulkdb_report {
	long long task_id;
	const char *at, *status, *note;
	int progress;
};
/* Inserts the reports with multi-row INSERTs of a few hundred rows, in
 * their order (so ids grow along the array). user_id 0: NULL (imported
 * from the CLI). */
enum err bulkdb_insert_reports(struct db *db, long long user_id,
			       const struct bulkdb_report *r, int n,
			       struct error *e);
/* A task's new state. With updated_at: a reported task (as task_report
 * writes it); NULL: a parent's roll-up (as rollup writes it, updated_at
 * kept). */
enum err bulkdb_set_task_state(struct db *db, struct arena *a, long long id,
			       const char *status, int progress,
			       const char *done_on, const char *updated_at,
			       struct error *e);
/* The newest report of each task of the plan: task_id, id. */
enum err bulkdb_last_reports(struct db *db, struct arena *a, long long plan_id,
			     struct db_result **out, struct error *e);

/* ---- plan_bulk_cli.c: the subcommands plan_cli.c dispatches to ---- */
struct config;
/* quantri plan import PLAN_ID FILE [--updates] */
int plan_bulk_cli_import(struct config *cfg, int argc, char **argv);
/* quantri plan export PLAN_ID --format csv|xlsx [--updates] [-o FILE] */
int plan_bulk_cli_export(struct config *cfg, int argc, char **argv);

#endif
