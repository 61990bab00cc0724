/* voice_db.c on a real database (SQLite file, or PostgreSQL when
 * QUANTRI_TEST_DB is a postgres:// URL) holding the demo commune: cases
 * created with their code, secret and clock; checks refused with nothing
 * saved; a denouncer's identity sealed; tracking (merged cases lead on,
 * wrong secret and unknown code alike); the workflow to an approved,
 * published, rated answer; extensions; duplicates; lists, statistics,
 * audit rows and notifications; the reception register; the demo. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "voice/voice.h"
#include "base/banned.h"

struct fixture {
	char dir[64], url[512], pg_name[64], key[128];
	struct db *db;
	struct arena a;
	long long tien_tien, other_commune, thon1, thon2, dia_chinh, tu_phap;
	long long canbo, truongbp, vanphong, chutich;
	long long topic_ha_tang, topic_dat_dai;
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

static long long unit_named(struct fixture *f, long long parent,
			    const char *name)
{
	json_t *units;
	struct error e = {0};
	if (plan_unit_choices(f->db, &f->a, parent, &units, &e))
		fail_msg("units: %s", e.msg);
	long long id = 0;
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		if (!id &&
		    !strcmp(json_string_value(json_object_get(u, "name")),
			    name) &&
		    json_integer_value(json_object_get(u, "parent_id")) ==
			    parent)
			id = json_integer_value(json_object_get(u, "id"));
	}
	json_decref(units);
	if (!id)
		fail_msg("no unit %s", name);
	return id;
}

static long long scalar(struct fixture *f, const char *sql, const char *arg)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(f->db, &f->a, sql, (const char *const[]){arg}, arg ? 1 : 0,
		    &r, &e))
		fail_msg("%s: %s", sql, e.msg);
	return r->nrows ? db_get_int(r, 0, r->names[0], -1) : -1;
}

static const char *text1(struct fixture *f, const char *sql, const char *arg)
{
	struct db_result *r;
	struct error e = {0};
	if (db_exec(f->db, &f->a, sql, (const char *const[]){arg}, arg ? 1 : 0,
		    &r, &e))
		fail_msg("%s: %s", sql, e.msg);
	return r->nrows ? db_get(r, 0, r->names[0]) : NULL;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error e = {0};
	setenv("QUANTRI_NOW", "2026-11-27T02:00:00Z", 1);
	snprintf(f->dir, sizeof f->dir, "/tmp/quantri-voice-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (pg_url()) {
		const char *pg = pg_url();
		const char *slash = strrchr(pg, '/');
		const char *query = strchr(slash, '?');
		snprintf(f->pg_name, sizeof f->pg_name, "qt_voice_%d",
			 (int)getpid());
		snprintf(f->url, sizeof f->url, "%.*s/%s%s", (int)(slash - pg),
			 pg, f->pg_name, query ? query : "");
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pg_name);
		admin_sql(sql);
	} else {
		snprintf(f->url, sizeof f->url, "%s/t.db", f->dir);
	}
	snprintf(f->key, sizeof f->key, "%s/secret.key", f->dir);
	arena_init(&f->a, 512 << 20);
	bool created;
	int added;
	if (identity_use_key_file(f->key, &e) || db_open(&f->db, f->url, &e) ||
	    db_migrate(f->db, &e) || demo_seed(f->db, &f->a, &created, &e) ||
	    calendar_db_seed(f->db, &f->a, &added, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	struct unit u;
	if (units_by_code(f->db, &f->a, "12424", "commune", "2025-07-01", &u,
			  &e))
		return -1;
	f->tien_tien = u.id;
	if (units_find(f->db, &f->a, "11953", &u, &e))
		return -1;
	f->other_commune = u.id;
	f->thon1 = unit_named(f, f->tien_tien, "Thôn 1");
	f->thon2 = unit_named(f, f->tien_tien, "Thôn 2");
	f->dia_chinh = unit_named(f, f->tien_tien,
				  "Địa chính – Xây dựng – Môi trường");
	f->tu_phap = unit_named(f, f->tien_tien, "Tư pháp – Hộ tịch");
	if (users_by_username(f->db, &f->a, "canbo", &f->canbo, &e) ||
	    users_by_username(f->db, &f->a, "truongbp", &f->truongbp, &e) ||
	    users_by_username(f->db, &f->a, "vanphong", &f->vanphong, &e) ||
	    users_by_username(f->db, &f->a, "chutich", &f->chutich, &e))
		return -1;
	f->topic_ha_tang = scalar(
		f, "SELECT id FROM case_topics WHERE code = $1", "ha_tang");
	f->topic_dat_dai = scalar(
		f, "SELECT id FROM case_topics WHERE code = $1", "dat_dai");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (!f)
		return 0;
	db_close(f->db);
	arena_release(&f->a);
	if (f->pg_name[0]) {
		char sql[160];
		snprintf(sql, sizeof sql,
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->pg_name);
		admin_sql(sql);
	}
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm",
					    "secret.key"};
	char path[160];
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static const struct actor *office(struct fixture *f)
{
	static struct actor a;
	a = (struct actor){f->vanphong, "vanphong", "127.0.0.1"};
	return &a;
}

static const struct actor *chair(struct fixture *f)
{
	static struct actor a;
	a = (struct actor){f->chutich, "chutich", "127.0.0.1"};
	return &a;
}

static const struct actor *handler(struct fixture *f)
{
	static struct actor a;
	a = (struct actor){f->canbo, "canbo", "127.0.0.1"};
	return &a;
}

static const struct actor citizen = {0, "citizen", "203.0.113.7"};

static struct voice_case feedback(struct fixture *f, const char *body)
{
	return (struct voice_case){.commune_id = f->tien_tien,
				   .case_type = "feedback",
				   .channel = "online",
				   .topic_id = f->topic_ha_tang,
				   .village_id = f->thon1,
				   .title = "Đèn đường hỏng",
				   .body = body,
				   .lat = NAN,
				   .lon = NAN};
}

static bool has_field(const struct field_problems *fp, const char *field)
{
	for (int i = 0; i < fp->n; i++)
		if (!strcmp(fp->list[i].field, field))
			return true;
	return false;
}

static long long count_cases(struct fixture *f)
{
	return scalar(f, "SELECT COUNT(*) FROM cases", NULL);
}

static void test_create_and_track(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	const char *secret;
	struct voice_case c = feedback(
		f, "Đèn đường đầu thôn 1 hỏng ba tuần nay, tối đi lại rất "
		   "nguy hiểm.");
	c.citizen_phone = "0912 345 678";
	assert_int_equal(case_create(f->db, &f->a, &citizen, &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_OK);
	assert_true(c.id > 0);
	assert_int_equal(strlen(c.code), CASE_CODE_LEN);
	assert_memory_equal(c.code, "PA", 2);
	assert_int_equal(strlen(secret), CASE_SECRET_LEN);
	for (const char *p = c.code + 2; *p; p++)
		assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", *p));
	/* received Friday 27/11/2026: classification due 5 working days on */
	assert_string_equal(c.received_on, "2026-11-27");
	assert_string_equal(c.due_on, "2026-12-04");
	/* only a hash of the secret is kept */
	const char *hash = text1(
		f, "SELECT secret_hash FROM cases WHERE code = $1", c.code);
	assert_int_equal(strlen(hash), 64);
	assert_null(strstr(hash, secret));
	assert_string_equal(text1(f,
				  "SELECT submitter_addr FROM cases WHERE "
				  "code = $1",
				  c.code),
			    "203.0.113.7");
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM case_events WHERE "
				"kind = 'receive' AND case_id = "
				"(SELECT id FROM cases WHERE code = $1)",
				c.code),
			 1);
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM audit_log WHERE "
				"action = 'case.create' AND entity_id = $1",
				arena_printf(&f->a, "%lld", c.id)),
			 1);

	struct voice_case t;
	const char *from;
	assert_int_equal(
		case_track(f->db, &f->a, c.code, secret, &t, &from, &e),
		ERR_OK);
	assert_int_equal(t.id, c.id);
	assert_null(from);
	/* typed loosely: lower case, spaces, O for 0 */
	char loose[32];
	snprintf(loose, sizeof loose, " %c%c-%s ", 'p', 'a', c.code + 2);
	for (char *p = loose; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	assert_int_equal(case_track(f->db, &f->a, loose, secret, &t, &from, &e),
			 ERR_OK);
	/* a wrong secret and an unknown code: the same answer */
	char wrong[CASE_SECRET_LEN + 1];
	snprintf(wrong, sizeof wrong, "%s", secret);
	wrong[0] = wrong[0] == '2' ? '3' : '2';
	assert_int_equal(case_track(f->db, &f->a, c.code, wrong, &t, &from, &e),
			 ERR_NOTFOUND);
	char msg_wrong[512];
	snprintf(msg_wrong, sizeof msg_wrong, "%s", e.msg);
	assert_int_equal(
		case_track(f->db, &f->a, "PA00000000", secret, &t, &from, &e),
		ERR_NOTFOUND);
	assert_string_equal(e.msg, msg_wrong);
	assert_int_equal(case_track(f->db, &f->a, "", "", &t, &from, &e),
			 ERR_NOTFOUND);

	/* get */
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_string_equal(t.body, c.body);
	assert_string_equal(t.status, "received");
	assert_true(isnan(t.lat));
	assert_int_equal(case_get(f->db, &f->a, 999999, &t, &e), ERR_NOTFOUND);
}

static void test_create_refused(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	const char *secret;
	long long before = count_cases(f);
	struct field_problems fp = {0};
	struct voice_case c = feedback(f, "ngắn");
	assert_int_equal(case_create(f->db, &f->a, &citizen, &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "body"));

	/* a complaint needs a name and a phone or address */
	fp.n = 0;
	c = feedback(f, "Tôi khiếu nại quyết định thu hồi đất của UBND xã.");
	c.case_type = "complaint";
	assert_int_equal(case_create(f->db, &f->a, &citizen, &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "citizen_name"));
	assert_true(has_field(&fp, "citizen_phone"));

	/* a village of another commune, an unknown topic, a bad type */
	fp.n = 0;
	c = feedback(f, "Nội dung phản ánh đủ dài để được nhận.");
	c.village_id = f->other_commune;
	c.topic_id = 9999;
	assert_int_equal(case_create(f->db, &f->a, &citizen, &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "village_id"));
	assert_true(has_field(&fp, "topic_id"));
	fp.n = 0;
	c = feedback(f, "Nội dung phản ánh đủ dài để được nhận.");
	c.case_type = "rumour";
	c.channel = "fax";
	assert_int_equal(case_create(f->db, &f->a, &citizen, &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "case_type"));
	assert_true(has_field(&fp, "channel"));
	/* the portal channel keeps the portal's id */
	fp.n = 0;
	c = feedback(f, "Nội dung phản ánh đủ dài để được nhận.");
	c.channel = "portal";
	assert_int_equal(case_create(f->db, &f->a, office(f), &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "portal_id"));
	/* invalid UTF-8, a day in the future */
	fp.n = 0;
	c = feedback(f, "Nội dung \xff\xfe phản ánh đủ dài.");
	c.received_on = "2026-12-01";
	assert_int_equal(case_create(f->db, &f->a, office(f), &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "body"));
	assert_true(has_field(&fp, "received_on"));
	/* a file that is not what its name says */
	fp.n = 0;
	c = feedback(f, "Nội dung phản ánh đủ dài để được nhận.");
	struct upload up = {"files", "anh.jpg", "image/jpeg",
			    (const unsigned char *)"MZ\x90\x00 not a jpeg", 14};
	const struct upload *ups[] = {&up};
	assert_int_equal(case_create(f->db, &f->a, &citizen, &c, ups, 1,
				     &secret, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "files"));
	assert_int_equal(count_cases(f), before);
}

static void test_files_and_staff_entry(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	const char *secret;
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0,    0, 0, 0x0d,
		'I',  'H', 'D', 'R', 0,    0,    0,    1,    0,    0, 0, 1,
		8,    6,   0,   0,   0,    0x1f, 0x15, 0xc4, 0x89, 0, 0, 0,
		0,    'I', 'E', 'N', 'D',  0xae, 0x42, 0x60, 0x82};
	struct upload up = {"files", "den-duong.png", "image/png", png,
			    sizeof png};
	const struct upload *ups[] = {&up};
	struct voice_case c = feedback(f, "Ổ gà lớn trên đường trục thôn 2 "
					  "gây nguy hiểm.");
	c.village_id = f->thon2;
	c.channel = "portal";
	c.portal_id = "G22.99-241127-0001";
	c.received_on = "25/11/2026";
	assert_int_equal(case_create(f->db, &f->a, office(f), &c, ups, 1,
				     &secret, &fp, &e),
			 ERR_OK);
	assert_string_equal(c.received_on, "2026-11-25");
	assert_string_equal(c.due_on, "2026-12-02");
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM attachments WHERE "
				"owner = 'case' AND owner_id = $1",
				arena_printf(&f->a, "%lld", c.id)),
			 1);
	struct voice_case t;
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_string_equal(t.portal_id, "G22.99-241127-0001");
	assert_int_equal(t.created_by, f->vanphong);
	json_t *j;
	assert_int_equal(case_json(f->db, &f->a, &t, false, &j, &e), ERR_OK);
	assert_int_equal(json_array_size(json_object_get(j, "files")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "urgency")),
			    "due_soon");
	assert_int_equal(json_integer_value(json_object_get(j, "days_left")),
			 3);
	json_decref(j);
}

static void test_denunciation_sealed(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	const char *secret;
	struct voice_case c = {.commune_id = f->tien_tien,
			       .case_type = "denunciation",
			       .channel = "paper",
			       .topic_id = f->topic_dat_dai,
			       .village_id = f->thon2,
			       .body = "Tố cáo cán bộ địa chính nhận tiền để "
				       "hợp thức hóa đất lấn chiếm.",
			       .citizen_name = "Lưu Văn Kín",
			       .citizen_phone = "0987654321",
			       .citizen_address = "Thôn 2",
			       .lat = NAN,
			       .lon = NAN};
	assert_int_equal(case_create(f->db, &f->a, office(f), &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_OK);
	/* nothing of the identity in the row, the events or the audit log */
	const char *id = arena_printf(&f->a, "%lld", c.id);
	assert_string_equal(text1(f,
				  "SELECT citizen_name || citizen_phone || "
				  "citizen_address FROM cases WHERE id = $1",
				  id),
			    "");
	const char *box =
		text1(f, "SELECT identity_box FROM cases WHERE id = $1", id);
	assert_non_null(box);
	assert_null(strstr(box, "Kín"));
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM audit_log WHERE "
				"after_json LIKE $1",
				"%0987654321%"),
			 0);
	/* accepted in 7 working days (from Friday 27/11: 8/12) */
	assert_string_equal(c.due_on, "2026-12-08");
	struct voice_case t;
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_true(t.has_identity);
	assert_string_equal(t.citizen_name, "");
	json_t *j;
	assert_int_equal(case_json(f->db, &f->a, &t, false, &j, &e), ERR_OK);
	assert_string_equal(
		json_string_value(json_object_get(j, "citizen_name")), "");
	json_decref(j);
	/* the chair opens it: the fields, and an audit row of the view */
	assert_int_equal(case_identity(f->db, &f->a, chair(f), &t, &e), ERR_OK);
	assert_string_equal(t.citizen_name, "Lưu Văn Kín");
	assert_string_equal(t.citizen_phone, "0987654321");
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM audit_log WHERE "
				"action = 'case.identity_view' AND "
				"username = 'chutich' AND entity_id = $1",
				id),
			 1);
	/* assigned: the notification names the code, never the denouncer */
	struct case_action act = {
		.kind = "accept", .complexity = -1, .remote = -1};
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_OK);
	act = (struct case_action){.kind = "assign",
				   .unit_id = f->dia_chinh,
				   .handler_id = f->canbo,
				   .complexity = -1,
				   .remote = -1};
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_OK);
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM notifications WHERE "
				"user_id = $1 AND title LIKE '%PA%'",
				arena_printf(&f->a, "%lld", f->canbo)),
			 1);
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM notifications WHERE "
				"title LIKE '%Kín%' OR body LIKE '%Kín%' OR "
				"body LIKE $1",
				"%nhận tiền%"),
			 0);
	/* extensions: two of 30 days, then no more */
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_string_equal(t.accepted_on, "2026-11-27");
	assert_string_equal(t.due_on, "2026-12-28"); /* 27/12 is a Sunday */
	fp.n = 0;
	assert_int_equal(case_extend(f->db, &f->a, office(f), c.id, 30, "", "",
				     NULL, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "reason"));
	assert_true(has_field(&fp, "document"));
	assert_int_equal(case_extend(f->db, &f->a, office(f), c.id, 30,
				     "Vụ việc phức tạp, cần xác minh nhiều nơi",
				     "Số 15/QĐ-UBND", NULL, &fp, &e),
			 ERR_OK);
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_string_equal(t.due_on, "2027-01-26");
	assert_int_equal(case_extend(f->db, &f->a, office(f), c.id, 0,
				     "Vụ việc đặc biệt phức tạp",
				     "Số 16/QĐ-UBND", "2026-11-27", &fp, &e),
			 ERR_OK);
	assert_int_equal(case_extend(f->db, &f->a, office(f), c.id, 30,
				     "Thêm lần nữa", "Số 17/QĐ-UBND", NULL, &fp,
				     &e),
			 ERR_CONFLICT);
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_string_equal(t.due_on, "2027-02-25");
}

static void test_workflow_to_rating(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	const char *secret;
	struct voice_case c = feedback(f, "Rác thải đổ bừa bãi cạnh cống "
					  "thoát nước thôn 1.");
	assert_int_equal(case_create(f->db, &f->a, &citizen, &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_OK);
	/* not allowed yet: assign from received, answer before handling */
	struct case_action act = {
		.kind = "verify", .complexity = -1, .remote = -1};
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_CONFLICT);
	long long aid;
	assert_int_equal(case_answer_save(f->db, &f->a, handler(f), c.id,
					  "Trả lời quá sớm nhưng đủ dài.", true,
					  NULL, 0, &aid, &fp, &e),
			 ERR_CONFLICT);
	act.kind = "dance";
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_INVALID);
	/* accept (a day in the future refused), assign without a unit */
	act = (struct case_action){.kind = "accept",
				   .on = "2026-12-01",
				   .complexity = -1,
				   .remote = -1};
	fp.n = 0;
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_INVALID);
	act.on = NULL;
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_OK);
	struct voice_case t;
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_string_equal(t.status, "accepted");
	/* the answer's 10 working days count from receipt */
	assert_string_equal(t.due_on, "2026-12-11");
	act = (struct case_action){
		.kind = "assign", .complexity = -1, .remote = -1};
	fp.n = 0;
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "unit_id"));
	act.unit_id = f->other_commune;
	fp.n = 0;
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_INVALID);
	act.unit_id = f->tu_phap;
	act.handler_id = f->truongbp;
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_OK);
	assert_int_equal(scalar(f,
				"SELECT COUNT(*) FROM notifications WHERE "
				"user_id = $1 AND kind = 'case.assign'",
				arena_printf(&f->a, "%lld", f->truongbp)),
			 2); /* as unit head and as handler */
	/* dialogue is for complaints only */
	act = (struct case_action){
		.kind = "verify", .complexity = -1, .remote = -1};
	assert_int_equal(
		case_act(f->db, &f->a, handler(f), c.id, &act, &fp, &e),
		ERR_OK);
	act.kind = "dialogue";
	assert_int_equal(
		case_act(f->db, &f->a, handler(f), c.id, &act, &fp, &e),
		ERR_CONFLICT);

	/* draft, submit, returned with a reason, submitted again, approved */
	assert_int_equal(case_answer_save(f->db, &f->a, handler(f), c.id,
					  "Dự thảo: UBND xã đã kiểm tra.",
					  false, NULL, 0, &aid, &fp, &e),
			 ERR_OK);
	long long aid2;
	assert_int_equal(case_answer_save(f->db, &f->a, handler(f), c.id,
					  "UBND xã đã giao tổ vệ sinh thu gom.",
					  true, NULL, 0, &aid2, &fp, &e),
			 ERR_OK);
	assert_int_equal(aid2, aid); /* the draft, submitted */
	assert_int_equal(case_answer_save(f->db, &f->a, handler(f), c.id,
					  "Một dự thảo khác khi đang chờ.",
					  true, NULL, 0, &aid2, &fp, &e),
			 ERR_CONFLICT);
	fp.n = 0;
	assert_int_equal(case_answer_review(f->db, &f->a, chair(f), aid, false,
					    "", &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "note"));
	assert_int_equal(case_answer_review(f->db, &f->a, chair(f), aid, false,
					    "Chưa nêu thời gian thu gom.", &fp,
					    &e),
			 ERR_OK);
	json_t *j;
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_int_equal(case_json(f->db, &f->a, &t, true, &j, &e), ERR_OK);
	assert_int_equal(json_array_size(json_object_get(j, "answers")), 0);
	json_decref(j);
	assert_int_equal(case_answer_save(f->db, &f->a, handler(f), c.id,
					  "UBND xã đã thu gom xong ngày 27/11.",
					  true, NULL, 0, &aid2, &fp, &e),
			 ERR_OK);
	assert_true(aid2 != aid);
	assert_int_equal(case_publish(f->db, &f->a, office(f), c.id, true, &e),
			 ERR_CONFLICT); /* not answered yet */
	assert_int_equal(case_rate(f->db, &f->a, c.code, secret, "satisfied",
				   "", &fp, &e),
			 ERR_CONFLICT);
	assert_int_equal(case_answer_review(f->db, &f->a, chair(f), aid2, true,
					    "", &fp, &e),
			 ERR_OK);
	assert_int_equal(case_answer_review(f->db, &f->a, chair(f), aid2, true,
					    "", &fp, &e),
			 ERR_CONFLICT);
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_string_equal(t.status, "answered");
	assert_string_equal(t.answered_on, "2026-11-27");
	assert_null(t.due_on);
	assert_string_equal(text1(f,
				  "SELECT answer_due_on FROM cases WHERE "
				  "code = $1",
				  c.code),
			    "2026-12-11");
	assert_int_equal(case_publish(f->db, &f->a, office(f), c.id, true, &e),
			 ERR_OK);

	/* the citizen's view: the approved answer, no staff events */
	assert_int_equal(case_get(f->db, &f->a, c.id, &t, &e), ERR_OK);
	assert_true(t.published);
	assert_int_equal(case_json(f->db, &f->a, &t, true, &j, &e), ERR_OK);
	json_t *answers = json_object_get(j, "answers");
	assert_int_equal(json_array_size(answers), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(answers, 0), "body")),
			    "UBND xã đã thu gom xong ngày 27/11.");
	char *dump = json_dumps(j, 0);
	assert_null(strstr(dump, "Chưa nêu thời gian")); /* the return note */
	assert_null(strstr(dump, "\"submit\""));
	assert_null(strstr(dump, "\"verify\""));
	assert_null(strstr(dump, "203.0.113.7"));
	assert_null(strstr(dump, "citizen_phone"));
	free(dump);
	json_decref(j);

	/* rated once; unsatisfied needs a reason */
	fp.n = 0;
	assert_int_equal(case_rate(f->db, &f->a, c.code, secret, "unsatisfied",
				   "", &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "reason"));
	assert_int_equal(case_rate(f->db, &f->a, c.code, "0000000000",
				   "satisfied", "", &fp, &e),
			 ERR_NOTFOUND);
	assert_int_equal(case_rate(f->db, &f->a, c.code, secret, "satisfied",
				   "", &fp, &e),
			 ERR_OK);
	assert_int_equal(case_rate(f->db, &f->a, c.code, secret, "unsatisfied",
				   "Đổi ý", &fp, &e),
			 ERR_CONFLICT);
	struct case_action close = {
		.kind = "close", .complexity = -1, .remote = -1};
	assert_int_equal(
		case_act(f->db, &f->a, office(f), c.id, &close, &fp, &e),
		ERR_OK);
	/* complaints are never published */
	struct voice_case k =
		feedback(f, "Khiếu nại việc cấp giấy chứng nhận.");
	k.case_type = "complaint";
	k.citizen_name = "Phạm Thị Mai";
	k.citizen_address = "Thôn 1";
	assert_int_equal(case_create(f->db, &f->a, office(f), &k, NULL, 0,
				     &secret, &fp, &e),
			 ERR_OK);
	assert_int_equal(case_publish(f->db, &f->a, office(f), k.id, true, &e),
			 ERR_CONFLICT);
	/* a complaint accepted as complex and remote: 60 days */
	struct case_action acc = {
		.kind = "accept", .complexity = 1, .remote = 1};
	assert_int_equal(case_act(f->db, &f->a, office(f), k.id, &acc, &fp, &e),
			 ERR_OK);
	assert_int_equal(case_get(f->db, &f->a, k.id, &t, &e), ERR_OK);
	assert_string_equal(t.due_on, "2027-01-26");
}

static void test_similar_and_merge(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	const char *s1, *s2;
	struct voice_case a =
		feedback(f, "Cống thoát nước ngã tư thôn 1 bị tắc, "
			    "nước ngập đường.");
	struct voice_case b =
		feedback(f, "Đường ngã tư thôn 1 ngập nước vì cống "
			    "thoát nước tắc.");
	assert_int_equal(
		case_create(f->db, &f->a, &citizen, &a, NULL, 0, &s1, &fp, &e),
		ERR_OK);
	assert_int_equal(
		case_create(f->db, &f->a, &citizen, &b, NULL, 0, &s2, &fp, &e),
		ERR_OK);
	json_t *sim;
	assert_int_equal(case_similar(f->db, &f->a, f->tien_tien, f->thon1,
				      f->topic_ha_tang,
				      "Cống thoát nước ở ngã tư bị tắc", 0, 5,
				      &sim, &e),
			 ERR_OK);
	assert_true(json_array_size(sim) >= 2);
	long long first = json_integer_value(
		json_object_get(json_array_get(sim, 0), "id"));
	assert_true(first == a.id || first == b.id);
	json_decref(sim);
	/* by case id, itself left out; another village finds nothing */
	assert_int_equal(case_similar(f->db, &f->a, f->tien_tien, f->thon1,
				      f->topic_ha_tang, NULL, b.id, 5, &sim,
				      &e),
			 ERR_OK);
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(sim, 0), "id")),
			 a.id);
	json_decref(sim);
	assert_int_equal(case_similar(f->db, &f->a, f->tien_tien, f->thon2,
				      f->topic_ha_tang,
				      "Cống thoát nước ngã tư bị tắc", 0, 5,
				      &sim, &e),
			 ERR_OK);
	size_t i;
	json_t *x;
	json_array_foreach(sim, i, x)
	{
		long long id = json_integer_value(json_object_get(x, "id"));
		assert_true(id != a.id && id != b.id);
	}
	json_decref(sim);

	fp.n = 0;
	assert_int_equal(
		case_merge(f->db, &f->a, office(f), b.id, b.id, &fp, &e),
		ERR_INVALID);
	assert_int_equal(
		case_merge(f->db, &f->a, office(f), b.id, a.id, &fp, &e),
		ERR_OK);
	assert_int_equal(
		case_merge(f->db, &f->a, office(f), b.id, a.id, &fp, &e),
		ERR_CONFLICT);
	/* b's citizen follows a with their own code */
	struct voice_case t;
	const char *from;
	assert_int_equal(case_track(f->db, &f->a, b.code, s2, &t, &from, &e),
			 ERR_OK);
	assert_int_equal(t.id, a.id);
	assert_string_equal(from, b.code);
	assert_int_equal(case_get(f->db, &f->a, b.id, &t, &e), ERR_OK);
	assert_string_equal(t.status, "merged");
	assert_null(t.due_on);
}

static void test_list_and_stats(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct calendar cal;
	struct case_rules rules;
	assert_int_equal(voice_clock_context(f->db, &f->a, &rules, &cal, &e),
			 ERR_OK);
	assert_true(rules.n >= 8);
	/* an overdue case, keyed in from paper three weeks ago */
	struct field_problems fp = {0};
	const char *secret;
	struct voice_case c = feedback(f, "Trạm bơm thôn 2 hỏng từ đầu tháng, "
					  "ruộng thiếu nước.");
	c.village_id = f->thon2;
	c.channel = "paper";
	c.received_on = "2026-11-02";
	assert_int_equal(case_create(f->db, &f->a, office(f), &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_OK);
	assert_string_equal(c.due_on, "2026-11-09");
	long long communes[] = {f->tien_tien};
	struct case_filter flt = {
		.communes = communes, .ncommunes = 1, .urgency = "overdue"};
	json_t *out;
	assert_int_equal(case_list(f->db, &f->a, &flt, &cal, &out, &e), ERR_OK);
	json_t *cases = json_object_get(out, "cases");
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
	json_t *row = json_array_get(cases, 0);
	assert_string_equal(json_string_value(json_object_get(row, "code")),
			    c.code);
	assert_string_equal(json_string_value(json_object_get(row, "urgency")),
			    "overdue");
	assert_int_equal(json_integer_value(json_object_get(row, "days_left")),
			 -14);
	assert_string_equal(
		json_string_value(json_object_get(row, "village_name")),
		"Thôn 2");
	json_decref(out);
	/* folded search, status, type, paging; another commune sees none */
	flt = (struct case_filter){.communes = communes,
				   .ncommunes = 1,
				   .q = "TRAM BOM",
				   .status = "open"};
	assert_int_equal(case_list(f->db, &f->a, &flt, &cal, &out, &e), ERR_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
	json_decref(out);
	flt = (struct case_filter){.communes = communes,
				   .ncommunes = 1,
				   .case_type = "feedback",
				   .per_page = 2,
				   .page = 2};
	assert_int_equal(case_list(f->db, &f->a, &flt, &cal, &out, &e), ERR_OK);
	long long total = json_integer_value(json_object_get(out, "total"));
	assert_true(total >= 5);
	assert_int_equal(json_array_size(json_object_get(out, "cases")), 2);
	assert_int_equal(json_integer_value(json_object_get(out, "pages")),
			 (total + 1) / 2);
	json_decref(out);
	flt = (struct case_filter){.communes = &f->other_commune,
				   .ncommunes = 1};
	assert_int_equal(case_list(f->db, &f->a, &flt, &cal, &out, &e), ERR_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 0);
	json_decref(out);
	flt = (struct case_filter){
		.communes = communes, .ncommunes = 1, .q = "100%_"};
	assert_int_equal(case_list(f->db, &f->a, &flt, &cal, &out, &e), ERR_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 0);
	json_decref(out);

	assert_int_equal(
		voice_stats(f->db, &f->a, communes, 1, NULL, NULL, &out, &e),
		ERR_OK);
	long long all = scalar(f,
			       "SELECT COUNT(*) FROM cases WHERE status <> "
			       "'merged' AND commune_id = $1",
			       arena_printf(&f->a, "%lld", f->tien_tien));
	assert_int_equal(json_integer_value(json_object_get(out, "total")),
			 all);
	assert_true(json_integer_value(json_object_get(out, "answered")) >= 1);
	assert_true(json_integer_value(json_object_get(out, "on_time")) >= 1);
	assert_true(json_integer_value(json_object_get(out, "overdue")) >= 1);
	assert_true(json_array_size(json_object_get(out, "by_type")) >= 3);
	assert_true(json_array_size(json_object_get(out, "by_month")) >= 1);
	/* each grouping names what it counts */
	json_t *x0 = json_array_get(json_object_get(out, "by_type"), 0);
	assert_string_equal(json_string_value(json_object_get(x0, "case_type")),
			    "complaint");
	assert_string_equal(json_string_value(json_object_get(x0, "type_vi")),
			    "Khiếu nại");
	bool unit_seen = false, topic_seen = false, village_seen = false;
	size_t k;
	json_array_foreach(json_object_get(out, "by_unit"), k, x0)
	{
		if (!strcmp(json_string_value(json_object_get(x0, "name")),
			    "Tư pháp – Hộ tịch")) {
			unit_seen = true;
			assert_int_equal(json_integer_value(json_object_get(
						 x0, "unit_id")),
					 f->tu_phap);
			assert_true(json_integer_value(json_object_get(
					    x0, "answered")) >= 1);
			assert_true(json_is_number(
				json_object_get(x0, "on_time_pct")));
		}
	}
	json_array_foreach(json_object_get(out, "by_topic"), k, x0)
	{
		if (!strcmp(json_string_value(json_object_get(x0, "code")),
			    "ha_tang")) {
			topic_seen = true;
			assert_string_equal(json_string_value(json_object_get(
						    x0, "dimension")),
					    "D6");
		}
	}
	json_array_foreach(json_object_get(out, "by_village"), k, x0)
	{
		if (json_integer_value(json_object_get(x0, "village_id")) ==
		    f->thon2) {
			village_seen = true;
			assert_string_equal(
				json_string_value(json_object_get(x0, "name")),
				"Thôn 2");
			assert_true(json_integer_value(json_object_get(
					    x0, "overdue")) >= 1);
		}
	}
	assert_true(unit_seen && topic_seen && village_seen);
	json_t *dims = json_object_get(out, "by_dimension");
	bool d6 = false;
	json_array_foreach(dims, all, row)
	{
		if (!strcmp(json_string_value(
				    json_object_get(row, "dimension")),
			    "D6")) {
			d6 = true;
			assert_true(json_is_number(
				json_object_get(row, "median_days")));
		}
	}
	assert_true(d6);
	json_decref(out);
	/* a range with nothing in it */
	assert_int_equal(voice_stats(f->db, &f->a, communes, 1, "2020-01-01",
				     "2020-12-31", &out, &e),
			 ERR_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 0);
	json_decref(out);

	assert_int_equal(voice_topics(f->db, &f->a, &out, &e), ERR_OK);
	assert_int_equal(json_array_size(out), 11);
	json_decref(out);
	assert_int_equal(voice_templates(f->db, &f->a, f->tien_tien,
					 f->topic_ha_tang, &out, &e),
			 ERR_OK);
	assert_int_equal(json_array_size(out), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(out, 0), "title")),
			    "Đã khắc phục hạ tầng");
	json_decref(out);
}

static void test_rules_by_effective_date(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct case_rules rules;
	/* a rule in force until 30/06/2026, another from 01/07/2026 */
	assert_int_equal(
		db_exec(f->db, &f->a,
			"INSERT INTO case_rules (case_type, step, start_event, "
			"days, day_unit, effective_from, legal_basis) VALUES "
			"('petition', 'resolve', 'received', 10, 'working', "
			"'2026-07-01', 'Luật 136/2025/QH15')",
			NULL, 0, NULL, &e),
		ERR_OK);
	assert_int_equal(
		db_exec(f->db, &f->a,
			"UPDATE case_rules SET effective_to = "
			"'2026-07-01' WHERE case_type = 'petition' AND "
			"step = 'resolve' AND effective_from = "
			"'2021-01-01'",
			NULL, 0, NULL, &e),
		ERR_OK);
	assert_int_equal(voice_rules_load(f->db, &f->a, &rules, &e), ERR_OK);
	struct date before = {2026, 6, 30}, after = {2026, 7, 1};
	const struct case_rule *r =
		case_rule_find(&rules, "petition", "resolve", before);
	assert_non_null(r);
	assert_string_equal(r->effective_from, "2021-01-01");
	assert_string_equal(r->effective_to, "2026-07-01");
	r = case_rule_find(&rules, "petition", "resolve", after);
	assert_non_null(r);
	assert_string_equal(r->legal_basis, "Luật 136/2025/QH15");
	assert_null(r->effective_to);
	assert_false(r->verified);
}

static void test_reception(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	struct reception_session s = {.commune_id = f->tien_tien,
				      .held_on = "03/12/2026",
				      .place = "Phòng tiếp công dân, UBND xã",
				      .host_id = f->chutich};
	assert_int_equal(reception_save(f->db, &f->a, office(f), &s, &fp, &e),
			 ERR_OK);
	assert_string_equal(s.held_on, "2026-12-03");
	assert_string_equal(s.host_name, "Trần Văn Thắng");
	struct reception_session bad = {.commune_id = f->tien_tien,
					.held_on = "31/02/2026",
					.starts = "11:00",
					.ends = "07:30"};
	fp.n = 0;
	assert_int_equal(reception_save(f->db, &f->a, office(f), &bad, &fp, &e),
			 ERR_INVALID);
	assert_true(has_field(&fp, "held_on"));
	assert_true(has_field(&fp, "starts"));
	assert_true(has_field(&fp, "place"));
	struct reception_visit v = {.session_id = s.id,
				    .village_id = f->thon1,
				    .visitor_name = "Nguyễn Thị Hoa",
				    .summary = "Hỏi về tiền hỗ trợ giải phóng "
					       "mặt bằng đường liên thôn."};
	assert_int_equal(
		reception_visit_add(f->db, &f->a, office(f), &v, &fp, &e),
		ERR_OK);
	v.village_id = f->other_commune;
	fp.n = 0;
	assert_int_equal(
		reception_visit_add(f->db, &f->a, office(f), &v, &fp, &e),
		ERR_INVALID);
	json_t *out;
	assert_int_equal(reception_list(f->db, &f->a, f->tien_tien,
					"2026-12-01", "2026-12-31", &out, &e),
			 ERR_OK);
	assert_int_equal(json_array_size(out), 1);
	json_t *visits = json_object_get(json_array_get(out, 0), "visits");
	assert_int_equal(json_array_size(visits), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(visits, 0), "village_name")),
			    "Thôn 1");
	json_decref(out);
}

static void test_demo(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	long long before = count_cases(f);
	assert_int_equal(voice_demo_seed(f->db, &f->a, &e), ERR_OK);
	long long after = count_cases(f);
	assert_true(after >= before + 12);
	assert_int_equal(voice_demo_seed(f->db, &f->a, &e), ERR_OK);
	assert_int_equal(count_cases(f), after);
	/* every type and the statuses along the workflow */
	assert_int_equal(scalar(f,
				"SELECT COUNT(DISTINCT case_type) FROM cases "
				"WHERE portal_id LIKE $1 OR 1 = 1",
				"%"),
			 4);
	assert_true(scalar(f, "SELECT COUNT(DISTINCT status) FROM cases",
			   NULL) >= 8);
	assert_true(scalar(f,
			   "SELECT COUNT(*) FROM cases WHERE due_on < "
			   "'2026-11-27'",
			   NULL) >= 1);
	assert_true(scalar(f, "SELECT COUNT(*) FROM cases WHERE published = 1",
			   NULL) >= 1);
	assert_true(scalar(f,
			   "SELECT COUNT(*) FROM cases WHERE rating IS NOT "
			   "NULL",
			   NULL) >= 1);
	assert_true(scalar(f, "SELECT COUNT(*) FROM reception_sessions",
			   NULL) >= 4);
}

static bool can(struct fixture *f, const char *username, unsigned roles,
		const struct voice_case *c, char what)
{
	struct error e = {0};
	struct user u = {.username = username, .roles = roles};
	if (users_by_username(f->db, &f->a, username, &u.id, &e))
		fail_msg("%s: %s", username, e.msg);
	struct request req = {.arena = &f->a, .db = f->db, .user = &u};
	switch (what) {
	case 's': return voice_can_see(&req, c);
	case 'h': return voice_can_handle(&req, c);
	case 'i': return voice_can_see_identity(&req, c);
	case 'm': return voice_can_manage(&req);
	default: return voice_can_approve(&req);
	}
}

static void test_access(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct field_problems fp = {0};
	const char *secret;
	struct voice_case c = {.commune_id = f->tien_tien,
			       .case_type = "denunciation",
			       .channel = "paper",
			       .body = "Tố cáo việc thu tiền sai quy định.",
			       .citizen_name = "Người Tố Cáo",
			       .citizen_phone = "0911000111",
			       .lat = NAN,
			       .lon = NAN};
	assert_int_equal(case_create(f->db, &f->a, office(f), &c, NULL, 0,
				     &secret, &fp, &e),
			 ERR_OK);
	struct case_action act = {
		.kind = "accept", .complexity = -1, .remote = -1};
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_OK);
	act = (struct case_action){.kind = "assign",
				   .unit_id = f->dia_chinh,
				   .handler_id = f->canbo,
				   .complexity = -1,
				   .remote = -1};
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_OK);
	assert_int_equal(case_get(f->db, &f->a, c.id, &c, &e), ERR_OK);
	/* the office and the chairs see it; only the chair and the handler
	 * see who denounced */
	assert_true(can(f, "vanphong", ROLE_OFFICE, &c, 's'));
	assert_true(can(f, "vanphong", ROLE_OFFICE, &c, 'm'));
	assert_false(can(f, "vanphong", ROLE_OFFICE, &c, 'h'));
	assert_false(can(f, "vanphong", ROLE_OFFICE, &c, 'i'));
	assert_true(can(f, "chutich", ROLE_CHAIR, &c, 's'));
	assert_true(can(f, "chutich", ROLE_CHAIR, &c, 'i'));
	assert_true(can(f, "chutich", ROLE_CHAIR, &c, 'a'));
	assert_true(can(f, "phochutich", ROLE_VICE_CHAIR, &c, 's'));
	assert_true(can(f, "phochutich", ROLE_VICE_CHAIR, &c, 'a'));
	assert_false(can(f, "phochutich", ROLE_VICE_CHAIR, &c, 'i'));
	assert_true(can(f, "canbo", ROLE_OFFICER, &c, 's'));
	assert_true(can(f, "canbo", ROLE_OFFICER, &c, 'h'));
	assert_true(can(f, "canbo", ROLE_OFFICER, &c, 'i'));
	/* another unit's head, the Front, a village head: not this case */
	assert_false(can(f, "truongbp", ROLE_UNIT_HEAD, &c, 's'));
	assert_false(can(f, "truongbp", ROLE_UNIT_HEAD, &c, 'h'));
	assert_false(can(f, "mttq", ROLE_FRONT, &c, 's'));
	assert_false(can(f, "truongthon", ROLE_VILLAGE_HEAD, &c, 's'));
	assert_false(can(f, "mttq", ROLE_FRONT, &c, 'a'));
	/* assigned to the justice unit: its head handles it */
	act = (struct case_action){.kind = "assign",
				   .unit_id = f->tu_phap,
				   .complexity = -1,
				   .remote = -1};
	assert_int_equal(case_act(f->db, &f->a, office(f), c.id, &act, &fp, &e),
			 ERR_OK);
	assert_int_equal(case_get(f->db, &f->a, c.id, &c, &e), ERR_OK);
	assert_true(can(f, "truongbp", ROLE_UNIT_HEAD, &c, 's'));
	assert_true(can(f, "truongbp", ROLE_UNIT_HEAD, &c, 'h'));
	assert_false(can(f, "truongbp", ROLE_UNIT_HEAD, &c, 'i'));
	assert_false(can(f, "canbo", ROLE_OFFICER, &c, 's'));
	/* a case of another commune: the office of Tiên Tiến does not see it */
	struct voice_case o = {.commune_id = f->other_commune,
			       .case_type = "feedback",
			       .body = "Phản ánh của một xã khác trong tỉnh.",
			       .lat = NAN,
			       .lon = NAN};
	assert_int_equal(case_create(f->db, &f->a, &citizen, &o, NULL, 0,
				     &secret, &fp, &e),
			 ERR_OK);
	assert_false(can(f, "vanphong", ROLE_OFFICE, &o, 's'));
	assert_false(can(f, "chutich", ROLE_CHAIR, &o, 's'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_track),
		cmocka_unit_test(test_create_refused),
		cmocka_unit_test(test_files_and_staff_entry),
		cmocka_unit_test(test_denunciation_sealed),
		cmocka_unit_test(test_workflow_to_rating),
		cmocka_unit_test(test_similar_and_merge),
		cmocka_unit_test(test_list_and_stats),
		cmocka_unit_test(test_rules_by_effective_date),
		cmocka_unit_test(test_reception),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_demo),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
