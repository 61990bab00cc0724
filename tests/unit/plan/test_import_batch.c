/* Progress updates imported in a batch (bulk_import) against the same
 * file imported row by row through task_report (BULK_SAVE_PER_ROW), each
 * into its own database holding the demo commune (two SQLite files, or two
 * PostgreSQL databases when QUANTRI_TEST_DB is a postgres:// URL): the
 * same task_updates rows (ids included), the same tasks (status, progress,
 * done_on, updated_at, the roll-up of parents three levels up), the same
 * counts; a re-import changes nothing on either; a bad row refuses the
 * file on both with the same problems and nothing saved; the batch audits
 * once per task. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "plan/plan_bulk.h"
#include "index/papi.h"
#include "base/banned.h"

/* the clock of both databases: seeds, reports and updated_at agree */
#define NOW "2026-11-27T08:00:00Z"
enum { ROWS = 2000 };

struct side {
	char dir[64], url[1024], pg_name[64];
	struct db *db;
};

struct fixture {
	struct side row, batch; /* per row (the reference), in a batch */
	struct arena a;
	long long plan;
	long long leaves[64];
	int nleaves;
	struct actor who;
	char *csv;
	int repeats; /* rows of the file that repeat the row before */
};

static const char *pg_url(void)
{
	const char *pg = getenv("QUANTRI_TEST_DB");
	return pg && db_url_is_postgres(pg) ? pg : NULL;
}

static void admin_sql(const char *sql)
{
	struct db *admin;
	struct error e = {0};
	struct arena a;
	arena_init(&a, 1 << 20);
	if (db_open(&admin, pg_url(), &e) ||
	    db_exec(admin, &a, sql, NULL, 0, NULL, &e))
		fail_msg("%s: %s", sql, e.msg);
	db_close(admin);
	arena_release(&a);
}

static struct db_result *query(struct fixture *f, struct db *db,
			       const char *sql, const char *arg)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(db, &f->a, sql, (const char *const[]){arg}, arg ? 1 : 0, &r,
		    &e))
		fail_msg("%s: %s", sql, e.msg);
	return r;
}

static int side_open(struct fixture *f, struct side *s, const char *tag)
{
	struct error e = {0};
	if (pg_url()) {
		const char *pg = pg_url();
		const char *slash = strrchr(pg, '/');
		const char *q = strchr(slash, '?');
		snprintf(s->pg_name, sizeof s->pg_name, "qt_batch_%s_%d", tag,
			 (int)getpid());
		snprintf(s->url, sizeof s->url, "%.*s/%s%s", (int)(slash - pg),
			 pg, s->pg_name, q ? q : "");
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", s->pg_name);
		admin_sql(sql);
	} else {
		snprintf(s->dir, sizeof s->dir, "/tmp/quantri-batch-XXXXXX");
		if (!mkdtemp(s->dir))
			return -1;
		snprintf(s->url, sizeof s->url, "%s/t.db", s->dir);
	}
	bool created;
	int cat, off;
	if (db_open(&s->db, s->url, &e) || db_migrate(s->db, &e) ||
	    demo_seed(s->db, &f->a, &created, &e) ||
	    papi_seed(s->db, &f->a, false, &cat, &off, &e) ||
	    plan_demo_seed(s->db, &f->a, &e)) {
		fprintf(stderr, "setup %s: %s\n", tag, e.msg);
		return -1;
	}
	return 0;
}

static void side_close(struct side *s)
{
	db_close(s->db);
	if (s->pg_name[0]) {
		char sql[160];
		snprintf(sql, sizeof sql,
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->pg_name);
		admin_sql(sql);
		return;
	}
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	char path[128];
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", s->dir, files[i]);
		unlink(path);
	}
	rmdir(s->dir);
}

/* deterministic, so a failure repeats */
static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* The file: the plan's own reports as the export writes them (all
 * unchanged), then ROWS reports over the leaf tasks through 2024 and
 * today: every status, progress left out (carried over), done again after
 * being reopened (done_on moves), the same day twice, a row repeated. */
static char *make_csv(struct fixture *f)
{
	unsigned char *bytes;
	size_t len;
	const char *mime, *name;
	struct error e = {0};
	if (bulk_export(f->row.db, &f->a, f->plan, BULK_UPDATES, BULK_CSV,
			&bytes, &len, &mime, &name, &e))
		fail_msg("export: %s", e.msg);
	static const char *const st[] = {"Chưa thực hiện", "Đang thực hiện",
					 "Hoàn thành", "Hủy"};
	size_t cap = len + (size_t)ROWS * 160 + 1, n = len;
	char *csv = arena_alloc(&f->a, cap);
	assert_non_null(csv);
	memcpy(csv, bytes, len);
	unsigned seed = 4;
	char prev[200] = "";
	for (int i = 0; i < ROWS; i++) {
		char row[200];
		if (i % 97 == 5 && *prev) {
			memcpy(row, prev, sizeof row);
			f->repeats++;
		} else {
			long long task = f->leaves[rnd(&seed) % f->nleaves];
			int s = (int)(rnd(&seed) % 4), day = i * 330 / ROWS;
			char date[16] = "";
			if (i % 211 != 7) /* else today */
				snprintf(date, sizeof date, "%02d/%02d/2024",
					 day % 28 + 1, day / 28 + 1);
			char progress[8] = "";
			if (s == 1)
				snprintf(progress, sizeof progress, "%u",
					 1 + rnd(&seed) % 99);
			else if (s == 0 && i % 3)
				snprintf(progress, sizeof progress, "0");
			else if (s == 2 && i % 2)
				snprintf(progress, sizeof progress, "100");
			snprintf(row, sizeof row,
				 "%lld,,%s,%s,%s,\"Lần %d, thôn %u\",\r\n",
				 task, date, progress, st[s], i,
				 rnd(&seed) % 9);
		}
		size_t k = strlen(row);
		assert_true(n + k < cap);
		memcpy(csv + n, row, k);
		n += k;
		memcpy(prev, row, sizeof prev);
	}
	csv[n] = 0;
	return csv;
}

static int setup(void **state)
{
	setenv("QUANTRI_NOW", NOW, 1);
	struct fixture *f = calloc(1, sizeof *f);
	arena_init(&f->a, 1u << 30);
	if (side_open(f, &f->row, "row") || side_open(f, &f->batch, "batch"))
		return -1;
	struct db_result *r = query(
		f, f->row.db, "SELECT id FROM plans WHERE year = 2024", NULL);
	assert_int_equal(r->nrows, 1);
	f->plan = db_get_int(r, 0, "id", 0);
	/* the leaves of the plan: only they take reports */
	r = query(f, f->row.db,
		  "SELECT id FROM tasks t WHERE plan_id = $1 AND NOT EXISTS "
		  "(SELECT 1 FROM tasks c WHERE c.parent_id = t.id) ORDER BY "
		  "id",
		  db_get(r, 0, "id"));
	for (int i = 0; i < r->nrows && i < 64; i++)
		f->leaves[f->nleaves++] = db_get_int(r, i, "id", 0);
	assert_true(f->nleaves > 10);
	struct error e = {0};
	if (users_by_username(f->row.db, &f->a, "vanphong", &f->who.user_id,
			      &e))
		return -1;
	f->who.username = "vanphong";
	f->who.remote_addr = "127.0.0.1";
	f->csv = make_csv(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	side_close(&f->row);
	side_close(&f->batch);
	arena_release(&f->a);
	free(f);
	unsetenv("QUANTRI_NOW");
	return 0;
}

/* A query's rows as text, one line each, to compare. */
static char *dump(struct fixture *f, struct db *db, const char *sql,
		  const char *arg)
{
	struct db_result *r = query(f, db, sql, arg);
	size_t cap = 1 << 20, n = 0;
	char *out = arena_alloc(&f->a, cap);
	assert_non_null(out);
	for (int i = 0; i < r->nrows; i++) {
		for (int c = 0; c < r->ncols; c++) {
			const char *v = r->cells[i * r->ncols + c];
			n += (size_t)snprintf(out + n, cap - n, "%s%s",
					      c ? "|" : "", v ? v : "NULL");
		}
		n += (size_t)snprintf(out + n, cap - n, "\n");
		/* a real size, so that a page is no silent truncation */
		if (n >= cap - 1) {
			size_t grow = cap * 2;
			char *bigger = arena_alloc(&f->a, grow);
			assert_non_null(bigger);
			memcpy(bigger, out, n);
			out = bigger;
			cap = grow;
		}
	}
	return out;
}

/* the first line where two dumps differ, for the failure message */
static void assert_same(const char *what, const char *a, const char *b)
{
	if (!strcmp(a, b))
		return;
	int line = 1;
	const char *la = a, *lb = b;
	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	fail_msg("%s differ at line %d:\n  per row: %.120s\n  batch:   %.120s",
		 what, line, la, lb);
}

static const char tasks_sql[] =
	"SELECT id, parent_id, status, progress, done_on, updated_at FROM "
	"tasks ORDER BY id";
static const char updates_sql[] =
	"SELECT id, task_id, user_id, at, progress, status, note FROM "
	"task_updates ORDER BY id";

static struct bulk_result import(struct fixture *f, struct side *s,
				 enum bulk_save how, const char *csv,
				 enum err want, struct problems *p)
{
	struct bulk_result res;
	struct error e = {0};
	memset(p, 0, sizeof *p);
	enum err err =
		bulk_import_with(s->db, &f->a, &f->who, f->plan, BULK_UPDATES,
				 how, csv, strlen(csv), &res, p, &e);
	if (err != want)
		fail_msg("import (%s): %d, want %d: %s (%d problems; first: "
			 "line %d %s)",
			 how == BULK_SAVE_BATCH ? "batch" : "per row", err,
			 want, e.msg, p->n, p->kept ? p->list[0].line : 0,
			 p->kept ? p->list[0].msg_en : "");
	return res;
}

static void test_same_as_per_row(void **state)
{
	struct fixture *f = *state;
	struct problems p;
	/* the same start */
	assert_same("tasks before", dump(f, f->row.db, tasks_sql, NULL),
		    dump(f, f->batch.db, tasks_sql, NULL));
	const char *audits = "SELECT COUNT(*) AS n FROM audit_log WHERE action "
			     "= $1";
	long long audit_before = db_get_int(
		query(f, f->batch.db, audits, "task.report"), 0, "n", 0);
	char pid[24];
	snprintf(pid, sizeof pid, "%lld", f->plan);
	long long nbefore = db_get_int(
		query(f, f->batch.db,
		      "SELECT COUNT(*) AS n FROM task_updates u JOIN tasks t "
		      "ON t.id = u.task_id WHERE t.plan_id = $1",
		      pid),
		0, "n", 0);
	assert_true(nbefore > 0);

	struct bulk_result a =
		import(f, &f->row, BULK_SAVE_PER_ROW, f->csv, ERR_OK, &p);
	struct bulk_result b =
		import(f, &f->batch, BULK_SAVE_BATCH, f->csv, ERR_OK, &p);
	assert_int_equal(a.created, b.created);
	assert_int_equal(a.unchanged, b.unchanged);
	/* the plan's own reports and the repeated rows were left out */
	assert_int_equal(b.unchanged, nbefore + f->repeats);
	assert_int_equal(b.created, ROWS - f->repeats);
	assert_same("task_updates", dump(f, f->row.db, updates_sql, NULL),
		    dump(f, f->batch.db, updates_sql, NULL));
	assert_same("tasks", dump(f, f->row.db, tasks_sql, NULL),
		    dump(f, f->batch.db, tasks_sql, NULL));

	/* the batch audits once per task reported on, the import once */
	long long tasks_reported =
		db_get_int(query(f, f->batch.db,
				 "SELECT COUNT(DISTINCT task_id) AS n FROM "
				 "task_updates WHERE user_id IS NOT NULL",
				 NULL),
			   0, "n", 0);
	assert_int_equal(
		db_get_int(query(f, f->batch.db, audits, "task.report"), 0, "n",
			   0),
		audit_before + tasks_reported);
	assert_int_equal(
		db_get_int(query(f, f->batch.db, audits, "plan.import"), 0, "n",
			   0),
		1);

	/* again: the rows are there. Not quite all: a task's first row that
	 * gives a status without progress takes the progress the task has
	 * when the file is read, which the first import changed; both paths
	 * alike. */
	a = import(f, &f->row, BULK_SAVE_PER_ROW, f->csv, ERR_OK, &p);
	b = import(f, &f->batch, BULK_SAVE_BATCH, f->csv, ERR_OK, &p);
	assert_int_equal(a.created, b.created);
	assert_true(b.created < f->nleaves);
	assert_int_equal(a.unchanged, b.unchanged);
	assert_same("task_updates again", dump(f, f->row.db, updates_sql, NULL),
		    dump(f, f->batch.db, updates_sql, NULL));
	assert_same("tasks again", dump(f, f->row.db, tasks_sql, NULL),
		    dump(f, f->batch.db, tasks_sql, NULL));
}

/* A note over 5,000 characters passes the file's checks and is refused
 * where the report is saved: the same problem on both paths, nothing
 * saved. */
static void test_bad_row_saves_nothing(void **state)
{
	struct fixture *f = *state;
	size_t big = 5200;
	char *note = arena_alloc(&f->a, big + 1);
	assert_non_null(note);
	memset(note, 'a', big);
	char *csv = arena_printf(&f->a,
				 "Mã nhiệm vụ,Ngày,Tiến độ (%%),Ghi chú\n"
				 "%lld,02/02/2024,40,một dòng tốt\n"
				 "%lld,03/02/2024,45,%s\n",
				 f->leaves[0], f->leaves[1], note);
	assert_non_null(csv);
	const char *before_u = dump(f, f->batch.db, updates_sql, NULL),
		   *before_t = dump(f, f->batch.db, tasks_sql, NULL);
	struct problems pa, pb;
	import(f, &f->row, BULK_SAVE_PER_ROW, csv, ERR_INVALID, &pa);
	import(f, &f->batch, BULK_SAVE_BATCH, csv, ERR_INVALID, &pb);
	assert_int_equal(pa.n, 1);
	assert_int_equal(pb.n, 1);
	assert_int_equal(pb.list[0].line, 3);
	assert_string_equal(pb.list[0].column, "Ghi chú");
	assert_string_equal(pb.list[0].column, pa.list[0].column);
	assert_string_equal(pb.list[0].msg_vi, pa.list[0].msg_vi);
	assert_string_equal(pb.list[0].msg_vi,
			    "Ghi chú quá dài (tối đa 5.000 ký tự).");
	assert_same("task_updates after a refusal", before_u,
		    dump(f, f->batch.db, updates_sql, NULL));
	assert_same("tasks after a refusal", before_t,
		    dump(f, f->batch.db, tasks_sql, NULL));
	assert_same("task_updates, both sides",
		    dump(f, f->row.db, updates_sql, NULL),
		    dump(f, f->batch.db, updates_sql, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_per_row),
		cmocka_unit_test(test_bad_row_saves_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
