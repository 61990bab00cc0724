/* Units against a real SQLite file: the import of the four real files of
 * data/units/ (counts, idempotency, all or nothing), merges (villages move,
 * history kept, the comparison chain crosses the merger) and their audit
 * rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "people/people.h"
#include "people/people_db.h"
#include "base/embedded.h"
#include "base/banned.h"

#define GSO "data/units/hung_yen_old_communes_gso_snapshot.csv"
#define NEW "data/units/hung_yen_new_2025_communes.csv"
#define NQ "data/units/hung_yen_2025_merger_old_hung_yen_part.csv"
#define PHUCU "data/units/phu_cu_old_to_new_2025.csv"

struct fixture {
	char dir[64];
	struct db *db;
	struct arena a;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error e = {0};
	snprintf(f->dir, sizeof f->dir, "/tmp/quantri-units-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", f->dir);
	if (db_open(&f->db, path, &e) || db_migrate(f->db, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	arena_init(&f->a, 256 << 20);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];
	db_close(f->db);
	arena_release(&f->a);
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static enum err import(struct fixture *f, const char *path,
		       struct import_report *rep)
{
	const struct embedded_file *file = embedded_find(path);
	assert_non_null(file);
	struct error e = {0};
	enum err err =
		unit_import(f->db, &f->a, &actor_cli, (const char *)file->data,
			    file->len, rep, &e);
	if (err && err != ERR_INVALID)
		fail_msg("import %s: %s", path, e.msg);
	return err;
}

static void import_ok(struct fixture *f, const char *path,
		      struct import_report *rep)
{
	enum err err = import(f, path, rep);
	if (err)
		fail_msg("import %s: %d bad lines, first: line %d %s", path,
			 rep->nerrors, rep->nerrors ? rep->errors[0].line : 0,
			 rep->nerrors ? rep->errors[0].msg_en : "");
}

/* COUNT(*) through the tree: the test reads what the pages read. */
static void count_kinds(struct fixture *f, int *prov, int *dist, int *comm,
			int *comm_new, int *villages)
{
	json_t *tree;
	struct error e = {0};
	assert_int_equal(units_tree(f->db, &f->a, &tree, &e), ERR_OK);
	*prov = *dist = *comm = *comm_new = *villages = 0;
	size_t i;
	json_t *u;
	json_array_foreach(tree, i, u)
	{
		const char *k = json_string_value(json_object_get(u, "kind"));
		const char *from =
			json_string_value(json_object_get(u, "valid_from"));
		if (!strcmp(k, "province"))
			(*prov)++;
		else if (!strcmp(k, "district"))
			(*dist)++;
		else if (!strcmp(k, "commune") && from &&
			 !strcmp(from, "2025-07-01"))
			(*comm_new)++;
		else if (!strcmp(k, "commune"))
			(*comm)++;
		else if (!strcmp(k, "village"))
			(*villages)++;
	}
	json_decref(tree);
}

static long long audit_count(struct fixture *f, const char *action)
{
	struct audit_filter af = {.action = action, .page = 1, .per_page = 1};
	json_t *rows;
	long long total;
	struct error e = {0};
	assert_int_equal(audit_list(f->db, &f->a, &af, &rows, &total, &e),
			 ERR_OK);
	json_decref(rows);
	return total;
}

static void test_import_counts_and_idempotent(void **state)
{
	struct fixture *f = *state;
	struct import_report rep;
	int p, d, c, cn, v;
	import_ok(f, GSO, &rep);
	assert_string_equal(rep.format, "gso-old");
	assert_int_equal(rep.created, 1 + 10 + 161);
	import_ok(f, NEW, &rep);
	assert_string_equal(rep.format, "new-2025");
	assert_int_equal(rep.created, 104);
	count_kinds(f, &p, &d, &c, &cn, &v);
	assert_int_equal(p, 1);
	assert_int_equal(d, 10);
	assert_int_equal(c, 161);
	assert_int_equal(cn, 104);

	/* Districts and old communes end on 30/06/2025. */
	struct unit phu_cu, minh_tien;
	struct error e = {0};
	assert_int_equal(units_by_code(f->db, &f->a, "333", "district", NULL,
				       &phu_cu, &e),
			 ERR_OK);
	assert_string_equal(phu_cu.name, "Phù Cừ");
	assert_string_equal(phu_cu.valid_to, "2025-06-30");
	assert_int_equal(units_by_code(f->db, &f->a, "12424", "commune", NULL,
				       &minh_tien, &e),
			 ERR_OK);
	assert_string_equal(minh_tien.name, "Minh Tiến");
	assert_int_equal(minh_tien.parent_id, phu_cu.id);

	/* Again: nothing changes, not even the audit log. */
	long long audits = audit_count(f, NULL);
	import_ok(f, GSO, &rep);
	assert_int_equal(rep.created + rep.updated + rep.merged, 0);
	import_ok(f, NEW, &rep);
	assert_int_equal(rep.created + rep.updated + rep.merged, 0);
	assert_int_equal(rep.unchanged, 2 * 104);
	count_kinds(f, &p, &d, &c, &cn, &v);
	assert_int_equal(d + c + cn, 10 + 161 + 104);
	assert_int_equal(audit_count(f, NULL), audits);
}

static void test_bad_rows_change_nothing(void **state)
{
	struct fixture *f = *state;
	const struct embedded_file *file = embedded_find(GSO);
	char *csv = strdup((const char *)file->data);
	/* Line 3: a letter in the commune code; line 5: no commune name. */
	char *l3 = strstr(csv, "11953");
	assert_non_null(l3);
	l3[2] = 'x';
	char *l5 = strstr(csv, ",11959,Lê Lợi,");
	assert_non_null(l5);
	char *name = l5 + 7;
	char *end = strchr(name, ',');
	memmove(name, end, strlen(end) + 1);
	struct import_report rep;
	struct error e = {0};
	enum err err = unit_import(f->db, &f->a, &actor_cli, csv, strlen(csv),
				   &rep, &e);
	free(csv);
	assert_int_equal(err, ERR_INVALID);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.errors[0].line, 3);
	assert_non_null(strstr(rep.errors[0].msg_en, "commune code"));
	assert_int_equal(rep.errors[1].line, 5);
	assert_non_null(strstr(rep.errors[1].msg_en, "empty name"));
	assert_non_null(strstr(e.msg, "nothing imported"));
	int p, d, c, cn, v;
	count_kinds(f, &p, &d, &c, &cn, &v);
	assert_int_equal(p + d + c + cn + v, 0);
	assert_int_equal(audit_count(f, NULL), 0);

	/* A header no format has. */
	static const char odd[] = "ma,ten\n1,A\n";
	assert_int_equal(unit_import(f->db, &f->a, &actor_cli, odd,
				     sizeof odd - 1, &rep, &e),
			 ERR_INVALID);
	assert_int_equal(rep.nerrors, 1);
	assert_non_null(strstr(e.msg, "unknown format"));
}

static void test_merger_before_new_list_fails(void **state)
{
	struct fixture *f = *state;
	struct import_report rep;
	import_ok(f, GSO, &rep);
	long long audits = audit_count(f, NULL);
	assert_int_equal(import(f, PHUCU, &rep), ERR_INVALID);
	assert_int_equal(rep.nerrors,
			 14); /* every line names a new unit not there */
	assert_non_null(
		strstr(rep.errors[0].msg_en, "import the new-2025 list first"));
	assert_int_equal(audit_count(f, NULL), audits);
	struct unit mt;
	struct error e = {0};
	assert_int_equal(
		units_by_code(f->db, &f->a, "12424", "commune", NULL, &mt, &e),
		ERR_OK);
	assert_int_equal(mt.successor_id, 0);
}

static long long village(struct fixture *f, long long parent, const char *name)
{
	struct unit u = {.kind = "village",
			 .type_vi = "Thôn",
			 .name = name,
			 .parent_id = parent,
			 .population = -1,
			 .note = "Dữ liệu mẫu"};
	struct error e = {0};
	if (units_create(f->db, &f->a, &actor_cli, &u, NULL, &e))
		fail_msg("village %s: %s", name, e.msg);
	return u.id;
}

static bool contains(const long long *ids, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void test_merge_moves_villages_and_keeps_history(void **state)
{
	struct fixture *f = *state;
	struct import_report rep;
	struct error e = {0};
	import_ok(f, GSO, &rep);
	import_ok(f, NEW, &rep);
	struct unit mt, tt, tien_old, dinh_cao;
	assert_int_equal(
		units_by_code(f->db, &f->a, "12424", "commune", NULL, &mt, &e),
		ERR_OK);
	assert_int_equal(units_by_code(f->db, &f->a, "12424", "commune",
				       "2025-07-01", &tt, &e),
			 ERR_OK);
	assert_string_equal(tt.name, "Tiên Tiến");
	long long v1 = village(f, mt.id, "Thôn 1"),
		  v2 = village(f, mt.id, "Thôn 2");

	import_ok(f, NQ, &rep);
	assert_string_equal(rep.format, "nq1666");
	assert_int_equal(rep.nerrors, 0);
	import_ok(f, PHUCU, &rep);
	assert_string_equal(rep.format, "old-to-new");
	/* The resolution's file merged the four old communes whose code the
	 * new ones reuse (Trần Cao, Đoàn Đào, Minh Tiến, Nguyên Hòa); the
	 * other ten come with the old-to-new codes. */
	assert_int_equal(rep.merged, 10);
	assert_int_equal(rep.unchanged, 4);

	assert_int_equal(units_get(f->db, &f->a, mt.id, &mt, &e), ERR_OK);
	assert_int_equal(mt.successor_id, tt.id);
	assert_string_equal(mt.valid_to, "2025-06-30");
	assert_int_equal(units_by_code(f->db, &f->a, "12418", "commune", NULL,
				       &tien_old, &e),
			 ERR_OK);
	assert_string_equal(tien_old.name, "Tiền Tiến");
	assert_int_equal(tien_old.successor_id, tt.id);
	assert_int_equal(units_by_code(f->db, &f->a, "12412", "commune", NULL,
				       &dinh_cao, &e),
			 ERR_OK);
	assert_int_equal(dinh_cao.successor_id, tt.id);

	/* The villages now belong to Tiên Tiến, with the move in history. */
	struct unit vu;
	assert_int_equal(units_get(f->db, &f->a, v1, &vu, &e), ERR_OK);
	assert_int_equal(vu.parent_id, tt.id);
	assert_int_equal(units_get(f->db, &f->a, v2, &vu, &e), ERR_OK);
	assert_int_equal(vu.parent_id, tt.id);
	json_t *h;
	assert_int_equal(units_history(f->db, &f->a, v1, &h, &e), ERR_OK);
	json_t *events = json_object_get(h, "events");
	assert_int_equal(json_array_size(events), 2);
	const char *note = NULL;
	size_t k;
	json_t *ev;
	json_array_foreach(
		events, k,
		ev) if (!strcmp(json_string_value(json_object_get(ev, "event")),
				"edit")) note =
		json_string_value(json_object_get(ev, "note"));
	assert_non_null(note);
	assert_non_null(strstr(note, "xã Minh Tiến"));
	assert_non_null(strstr(note, "xã Tiên Tiến"));
	json_decref(h);
	assert_int_equal(units_history(f->db, &f->a, mt.id, &h, &e), ERR_OK);
	json_t *merge = json_array_get(json_object_get(h, "events"), 0);
	assert_string_equal(json_string_value(json_object_get(merge, "event")),
			    "merge");
	assert_string_equal(
		json_string_value(json_object_get(merge, "effective_date")),
		"2025-07-01");
	assert_int_equal(
		json_integer_value(json_object_get(merge, "into_unit_id")),
		tt.id);
	json_decref(h);

	/* Comparisons cross the merger both ways. */
	long long *ids;
	int n;
	assert_int_equal(units_lineage(f->db, &f->a, mt.id, &ids, &n, &e),
			 ERR_OK);
	assert_int_equal(ids[0], mt.id);
	assert_true(contains(ids, n, tt.id));
	assert_int_equal(units_lineage(f->db, &f->a, tt.id, &ids, &n, &e),
			 ERR_OK);
	assert_int_equal(n, 5);
	assert_true(contains(ids, n, mt.id));
	assert_true(contains(ids, n, tien_old.id));
	assert_true(contains(ids, n, dinh_cao.id));

	/* The audit row of the merger: the successor before -> after (the old
	 * list already ended Minh Tiến on 30/06/2025). */
	struct audit_filter af = {.action = "unit.merge",
				  .entity = "unit",
				  .page = 1,
				  .per_page = 200};
	json_t *rows;
	long long total;
	assert_int_equal(audit_list(f->db, &f->a, &af, &rows, &total, &e),
			 ERR_OK);
	assert_true(total >= 14);
	bool seen = false;
	size_t i;
	json_t *r;
	char mt_id[24];
	snprintf(mt_id, sizeof mt_id, "%lld", mt.id);
	json_array_foreach(rows, i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "entity_id")),
			   mt_id))
			continue;
		seen = true;
		assert_true(json_is_null(json_object_get(
			json_object_get(r, "before"), "successor_id")));
		assert_int_equal(
			json_integer_value(json_object_get(
				json_object_get(r, "after"), "successor_id")),
			tt.id);
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(r, "after"), "successor_name")),
			"Xã Tiên Tiến");
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(r, "after"), "valid_to")),
			"2025-06-30");
		assert_true(json_array_size(json_object_get(r, "changes")) >=
			    1);
	}
	json_decref(rows);
	assert_true(seen);
	assert_true(audit_count(f, "unit.move") == 2);

	/* Importing the mergers again changes nothing. */
	long long audits = audit_count(f, NULL);
	import_ok(f, NQ, &rep);
	assert_int_equal(rep.merged, 0);
	import_ok(f, PHUCU, &rep);
	assert_int_equal(rep.merged, 0);
	assert_int_equal(audit_count(f, NULL), audits);
}

static void test_merge_refuses_bad_requests(void **state)
{
	struct fixture *f = *state;
	struct import_report rep;
	struct error e = {0};
	import_ok(f, GSO, &rep);
	import_ok(f, NEW, &rep);
	struct unit a, b, tt;
	assert_int_equal(
		units_by_code(f->db, &f->a, "12391", "commune", NULL, &a, &e),
		ERR_OK);
	assert_int_equal(
		units_by_code(f->db, &f->a, "12394", "commune", NULL, &b, &e),
		ERR_OK);
	assert_int_equal(units_by_code(f->db, &f->a, "12391", "commune",
				       "2025-07-01", &tt, &e),
			 ERR_OK);
	long long audits = audit_count(f, NULL);
	json_t *errors = json_object();
	long long both[2] = {a.id, b.id}, self[1] = {tt.id},
		  twice[2] = {a.id, a.id};
	assert_int_equal(units_merge(f->db, &f->a, &actor_cli, both, 2, tt.id,
				     "2025-13-01", "", errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "date"));
	assert_int_equal(units_merge(f->db, &f->a, &actor_cli, self, 1, tt.id,
				     "2025-07-01", "", NULL, &e),
			 ERR_INVALID);
	assert_int_equal(units_merge(f->db, &f->a, &actor_cli, twice, 2, tt.id,
				     "2025-07-01", "", NULL, &e),
			 ERR_INVALID);
	/* The successor starts on 01/07/2025: a merger before that is refused. */
	assert_int_equal(units_merge(f->db, &f->a, &actor_cli, both, 2, tt.id,
				     "2025-01-01", "", NULL, &e),
			 ERR_INVALID);
	assert_int_equal(audit_count(f, NULL), audits);
	/* A good one, then the same again is refused (already merged). */
	assert_int_equal(units_merge(f->db, &f->a, &actor_cli, both, 2, tt.id,
				     "2025-07-01", "NQ 1666", NULL, &e),
			 ERR_OK);
	assert_int_equal(units_merge(f->db, &f->a, &actor_cli, both, 1, tt.id,
				     "2025-07-01", "", NULL, &e),
			 ERR_INVALID);
	assert_non_null(strstr(e.msg, "already merged"));
	json_decref(errors);
}

static void test_merge_ends_the_day_before(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct unit p = {.kind = "province",
			 .name = "Hưng Yên",
			 .code = "33",
			 .population = -1};
	assert_int_equal(units_create(f->db, &f->a, &actor_cli, &p, NULL, &e),
			 ERR_OK);
	struct unit a = {.kind = "commune",
			 .name = "An",
			 .code = "90001",
			 .parent_id = p.id,
			 .population = -1};
	struct unit b = {.kind = "commune",
			 .name = "Bình",
			 .code = "90002",
			 .parent_id = p.id,
			 .population = -1};
	assert_int_equal(units_create(f->db, &f->a, &actor_cli, &a, NULL, &e),
			 ERR_OK);
	assert_int_equal(units_create(f->db, &f->a, &actor_cli, &b, NULL, &e),
			 ERR_OK);
	long long v = village(f, a.id, "Thôn Đông");
	assert_int_equal(units_merge(f->db, &f->a, &actor_cli, &a.id, 1, b.id,
				     "2026-03-01", "QĐ 12", NULL, &e),
			 ERR_OK);
	struct unit got;
	assert_int_equal(units_get(f->db, &f->a, a.id, &got, &e), ERR_OK);
	assert_string_equal(got.valid_to, "2026-02-28");
	assert_int_equal(got.successor_id, b.id);
	assert_int_equal(units_get(f->db, &f->a, v, &got, &e), ERR_OK);
	assert_int_equal(got.parent_id, b.id);
	assert_int_equal(units_get(f->db, &f->a, b.id, &got, &e), ERR_OK);
	assert_null(got.valid_to);
}

static void test_create_edit_audit(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	json_t *errors = json_object();
	struct unit p = {.kind = "province",
			 .name = "Hưng Yên",
			 .code = "33",
			 .population = -1};
	assert_int_equal(units_create(f->db, &f->a, &actor_cli, &p, errors, &e),
			 ERR_OK);
	assert_string_equal(p.full_name, "Tỉnh Hưng Yên");
	/* A village cannot sit under a province; a code must be digits. */
	struct unit bad = {.kind = "village",
			   .name = "Thôn 9",
			   .parent_id = p.id,
			   .code = "12a",
			   .population = -1};
	assert_int_equal(
		units_create(f->db, &f->a, &actor_cli, &bad, errors, &e),
		ERR_INVALID);
	assert_non_null(json_object_get(errors, "parent_id"));
	assert_non_null(json_object_get(errors, "code"));
	/* The same code and start date twice. */
	json_object_clear(errors);
	struct unit dup = {.kind = "province",
			   .name = "Khác",
			   .code = "33",
			   .population = -1};
	assert_int_equal(
		units_create(f->db, &f->a, &actor_cli, &dup, errors, &e),
		ERR_INVALID);
	assert_non_null(json_object_get(errors, "code"));

	struct unit ed = p;
	ed.name = "Hưng Yên mới";
	ed.full_name = NULL;
	ed.note = "đổi tên";
	struct actor who = {7, "vanphong", "10.0.0.5"};
	assert_int_equal(units_edit(f->db, &f->a, &who, &ed, NULL, &e), ERR_OK);
	struct audit_filter af = {
		.username = "vanphong", .page = 1, .per_page = 10};
	json_t *rows;
	long long total;
	assert_int_equal(audit_list(f->db, &f->a, &af, &rows, &total, &e),
			 ERR_OK);
	assert_int_equal(total, 1);
	json_t *row = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(row, "action")),
			    "unit.edit");
	assert_string_equal(
		json_string_value(json_object_get(row, "remote_addr")),
		"10.0.0.5");
	bool name_changed = false;
	size_t i;
	json_t *c;
	json_array_foreach(
		json_object_get(row, "changes"), i,
		c) if (!strcmp(json_string_value(json_object_get(c, "field")),
			       "name"))
	{
		name_changed = true;
		assert_string_equal(
			json_string_value(json_object_get(c, "before")),
			"Hưng Yên");
		assert_string_equal(
			json_string_value(json_object_get(c, "after")),
			"Hưng Yên mới");
		assert_string_equal(
			json_string_value(json_object_get(c, "label")), "Tên");
	}
	assert_true(name_changed);
	json_decref(rows);
	json_decref(errors);
	/* A date filter that excludes today finds nothing. */
	struct audit_filter old = {.from = "2001-01-01",
				   .to = "2001-12-31",
				   .page = 1,
				   .per_page = 10};
	assert_int_equal(audit_list(f->db, &f->a, &old, &rows, &total, &e),
			 ERR_OK);
	assert_int_equal(total, 0);
	json_decref(rows);
}

static void test_search_folds(void **state)
{
	struct fixture *f = *state;
	struct import_report rep;
	struct error e = {0};
	import_ok(f, GSO, &rep);
	json_t *out;
	assert_int_equal(people_search(f->db, &f->a, "minh tien", &out, &e),
			 ERR_OK);
	json_t *units = json_object_get(out, "units");
	assert_int_equal(json_array_size(units), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(units, 0), "name")),
			    "Minh Tiến");
	json_decref(out);
	/* Both tone placements, and đ -> d. */
	assert_int_equal(people_search(f->db, &f->a, "nguyen hoa", &out, &e),
			 ERR_OK);
	assert_int_equal(json_array_size(json_object_get(out, "units")), 1);
	json_decref(out);
	assert_int_equal(people_search(f->db, &f->a, "NGUYÊN HOÀ", &out, &e),
			 ERR_OK);
	assert_int_equal(json_array_size(json_object_get(out, "units")), 1);
	json_decref(out);
	assert_int_equal(people_search(f->db, &f->a, "doan dao", &out, &e),
			 ERR_OK);
	assert_int_equal(json_array_size(json_object_get(out, "units")), 1);
	json_decref(out);
	/* LIKE's wildcards are plain characters here. */
	assert_int_equal(people_search(f->db, &f->a, "%", &out, &e), ERR_OK);
	assert_int_equal(json_array_size(json_object_get(out, "units")), 0);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_import_counts_and_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_rows_change_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_merger_before_new_list_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_merge_moves_villages_and_keeps_history, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_merge_refuses_bad_requests,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_ends_the_day_before,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_edit_audit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_search_folds, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
