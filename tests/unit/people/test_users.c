/* Users against a real SQLite file: passwords (argon2id), login with its
 * throttling, Vietnamese ordering, roles scoped to units, API tokens, and
 * the audit rows every change leaves (never a password or its hash). */
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
#include "http/http.h"
#include "base/banned.h"

struct fixture {
	char dir[64];
	struct db *db;
	struct arena a;
	long long unit;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error e = {0};
	snprintf(f->dir, sizeof f->dir, "/tmp/quantri-users-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", f->dir);
	arena_init(&f->a, 64 << 20);
	struct unit p = {.kind = "province",
			 .name = "Hưng Yên",
			 .code = "33",
			 .population = -1};
	if (db_open(&f->db, path, &e) || db_migrate(f->db, &e) ||
	    units_create(f->db, &f->a, &actor_cli, &p, NULL, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	f->unit = p.id;
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

static long long add_user(struct fixture *f, const char *username,
			  const char *name, const char *password)
{
	struct user_input in = {username, name, "", "", password};
	long long id;
	struct error e = {0};
	if (users_create(f->db, &f->a, &actor_cli, &in, false, &id, NULL, NULL,
			 &e))
		fail_msg("add %s: %s", username, e.msg);
	return id;
}

static void test_password_hash_verify(void **state)
{
	char hash[PASSWORD_HASH_MAX], other[PASSWORD_HASH_MAX];
	struct error e = {0};
	assert_int_equal(password_hash("mật khẩu dài", hash, &e), ERR_OK);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_true(password_verify(hash, "mật khẩu dài"));
	assert_false(password_verify(hash, "mat khau dai"));
	assert_false(password_verify(hash, ""));
	/* Salted: the same password twice gives two hashes. */
	assert_int_equal(password_hash("mật khẩu dài", other, &e), ERR_OK);
	assert_string_not_equal(hash, other);
	/* Eight characters, not bytes. */
	assert_non_null(password_policy_vi("ngắn"));
	assert_non_null(password_policy_vi("1234567"));
	assert_null(password_policy_vi("12345678"));
	assert_null(password_policy_vi("mậtkhẩu!"));
	char gen[13];
	assert_int_equal(password_generate(gen, &e), ERR_OK);
	assert_int_equal(strlen(gen), 12);
	assert_null(password_policy_vi(gen));
}

static void test_login_and_throttling(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	long long id = add_user(f, "chutich", "Trần Văn Thắng", "demo2026"),
		  got = 0;
	struct login_limits lim = {3, 6};
	assert_int_equal(login_verify(f->db, &f->a, &lim, "chutich", "demo2026",
				      "10.0.0.1", &got, &e),
			 ERR_OK);
	assert_int_equal(got, id);
	/* Case and spaces around the username do not matter. */
	assert_int_equal(login_verify(f->db, &f->a, &lim, " ChuTich",
				      "demo2026", "10.0.0.1", &got, &e),
			 ERR_OK);
	/* Unknown user and wrong password: the same answer. */
	assert_int_equal(login_verify(f->db, &f->a, &lim, "khongco", "demo2026",
				      "10.0.0.1", &got, &e),
			 ERR_AUTH);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "chutich", "sai",
				      "10.0.0.2", &got, &e),
			 ERR_AUTH);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "chutich", "sai",
				      "10.0.0.3", &got, &e),
			 ERR_AUTH);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "chutich", "sai",
				      "10.0.0.4", &got, &e),
			 ERR_AUTH);
	/* Three failures for the user: even the right password waits. */
	assert_int_equal(login_verify(f->db, &f->a, &lim, "chutich", "demo2026",
				      "10.0.0.5", &got, &e),
			 ERR_THROTTLED);
	/* Another user from a fresh address is not affected. */
	add_user(f, "vanphong", "Phạm Minh Đức", "demo2026");
	assert_int_equal(login_verify(f->db, &f->a, &lim, "vanphong",
				      "demo2026", "10.0.0.9", &got, &e),
			 ERR_OK);
	/* Per address: six failures from one address over several names. */
	static const char *const names[] = {"a1", "a2", "a3", "a4", "a5", "a6"};
	for (int i = 0; i < 6; i++)
		assert_int_equal(login_verify(f->db, &f->a, &lim, names[i], "x",
					      "10.9.9.9", &got, &e),
				 ERR_AUTH);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "vanphong",
				      "demo2026", "10.9.9.9", &got, &e),
			 ERR_THROTTLED);
	/* Fifteen minutes later the user may try again. */
	setenv("QUANTRI_NOW", "2099-01-01T00:00:00Z", 1);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "chutich", "demo2026",
				      "10.0.0.5", &got, &e),
			 ERR_OK);
	unsetenv("QUANTRI_NOW");
}

static void test_disable_reset_change(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	struct login_limits lim = {100, 100};
	long long id = add_user(f, "canbo", "Đỗ Quang Huy", "matkhau-cu"), got;
	assert_int_equal(
		users_set_active(f->db, &f->a, &actor_cli, id, false, &e),
		ERR_OK);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "canbo", "matkhau-cu",
				      "1.1.1.1", &got, &e),
			 ERR_AUTH);
	assert_int_equal(
		users_set_active(f->db, &f->a, &actor_cli, id, true, &e),
		ERR_OK);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "canbo", "matkhau-cu",
				      "1.1.1.1", &got, &e),
			 ERR_OK);
	/* One cannot disable oneself. */
	struct actor self = {id, "canbo", ""};
	assert_int_equal(users_set_active(f->db, &f->a, &self, id, false, &e),
			 ERR_INVALID);

	const char *temp;
	assert_int_equal(
		users_reset_password(f->db, &f->a, &actor_cli, id, &temp, &e),
		ERR_OK);
	assert_int_equal(strlen(temp), 12);
	json_t *u;
	assert_int_equal(users_get(f->db, &f->a, id, &u, &e), ERR_OK);
	assert_true(json_is_true(json_object_get(u, "must_change_password")));
	json_decref(u);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "canbo", "matkhau-cu",
				      "1.1.1.1", &got, &e),
			 ERR_AUTH);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "canbo", temp,
				      "1.1.1.1", &got, &e),
			 ERR_OK);

	json_t *errors = json_object();
	assert_int_equal(users_change_password(f->db, &f->a, &self, id, "sai",
					       "mat-khau-moi", errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "old_password"));
	json_object_clear(errors);
	assert_int_equal(users_change_password(f->db, &f->a, &self, id, temp,
					       "ngan", errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "new_password"));
	assert_int_equal(users_change_password(f->db, &f->a, &self, id, temp,
					       "mat-khau-moi", NULL, &e),
			 ERR_OK);
	assert_int_equal(users_get(f->db, &f->a, id, &u, &e), ERR_OK);
	assert_true(json_is_false(json_object_get(u, "must_change_password")));
	json_decref(u);
	assert_int_equal(login_verify(f->db, &f->a, &lim, "canbo",
				      "mat-khau-moi", "1.1.1.1", &got, &e),
			 ERR_OK);
	json_decref(errors);

	/* Audit: each change, with who; never a hash. */
	struct audit_filter af = {.entity = "user", .page = 1, .per_page = 100};
	json_t *rows;
	long long total;
	assert_int_equal(audit_list(f->db, &f->a, &af, &rows, &total, &e),
			 ERR_OK);
	static const char *const want[] = {"user.create", "user.disable",
					   "user.enable", "user.reset_password",
					   "user.change_password"};
	for (size_t w = 0; w < sizeof want / sizeof *want; w++) {
		bool seen = false;
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r) seen |=
			!strcmp(json_string_value(json_object_get(r, "action")),
				want[w]);
		if (!seen)
			fail_msg("no audit row %s", want[w]);
	}
	char *dump = json_dumps(rows, 0);
	assert_null(strstr(dump, "argon2"));
	assert_null(strstr(dump, temp));
	assert_null(strstr(dump, "mat-khau-moi"));
	free(dump);
	/* The disable row: active true -> false. */
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "action")),
			   "user.disable"))
			continue;
		assert_true(json_is_true(json_object_get(
			json_object_get(r, "before"), "active")));
		assert_true(json_is_false(json_object_get(
			json_object_get(r, "after"), "active")));
		assert_string_equal(
			json_string_value(json_object_get(r, "username")),
			"cli");
	}
	json_decref(rows);
}

static void test_create_validation(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	json_t *errors = json_object();
	long long id;
	const char *temp;
	struct user_input bad = {"A b", "", "khong-phai-email", "abc", "ngan"};
	assert_int_equal(users_create(f->db, &f->a, &actor_cli, &bad, false,
				      &id, &temp, errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "username"));
	assert_non_null(json_object_get(errors, "full_name"));
	assert_non_null(json_object_get(errors, "email"));
	assert_non_null(json_object_get(errors, "phone"));
	assert_non_null(json_object_get(errors, "password"));
	json_object_clear(errors);
	/* Without a password: a temporary one, to change at first login. */
	struct user_input ok = {"Nguyenvanan", "Nguyễn Văn An", "an@xa.gov.vn",
				"0912 345 678", NULL};
	assert_int_equal(users_create(f->db, &f->a, &actor_cli, &ok, false, &id,
				      &temp, errors, &e),
			 ERR_OK);
	assert_non_null(temp);
	json_t *u;
	assert_int_equal(users_get(f->db, &f->a, id, &u, &e), ERR_OK);
	assert_string_equal(json_string_value(json_object_get(u, "username")),
			    "nguyenvanan");
	assert_true(json_is_true(json_object_get(u, "must_change_password")));
	json_decref(u);
	assert_int_equal(users_create(f->db, &f->a, &actor_cli, &ok, false, &id,
				      &temp, errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "username"));
	json_decref(errors);
}

static void test_vietnamese_order_and_filters(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	/* Given name first (last word), then middle, then family name. */
	add_user(f, "duc", "Phạm Minh Đức", "demo2026");
	add_user(f, "anvan", "Nguyễn Văn An", "demo2026");
	add_user(f, "dung", "Đỗ Văn Dũng", "demo2026");
	add_user(f, "anh", "Lê Văn Ánh", "demo2026");
	add_user(f, "binh", "Trần Thị Bình", "demo2026");
	add_user(f, "anbui", "Bùi Thị An", "demo2026");
	struct user_filter all = {.active = -1};
	json_t *list;
	assert_int_equal(users_list(f->db, &f->a, &all, &list, &e), ERR_OK);
	static const char *const want[] = {"anbui", "anvan", "anh",
					   "binh",  "dung",  "duc"};
	assert_int_equal(json_array_size(list), 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(
			json_string_value(json_object_get(
				json_array_get(list, i), "username")),
			want[i]);
	json_decref(list);

	long long id;
	assert_int_equal(users_by_username(f->db, &f->a, "binh", &id, &e),
			 ERR_OK);
	assert_int_equal(users_role_add(f->db, &f->a, &actor_cli, id, "office",
					f->unit, NULL, &e),
			 ERR_OK);
	/* The same role twice, an unknown role: refused. */
	json_t *errors = json_object();
	assert_int_equal(users_role_add(f->db, &f->a, &actor_cli, id, "office",
					f->unit, errors, &e),
			 ERR_INVALID);
	assert_int_equal(users_role_add(f->db, &f->a, &actor_cli, id, "vua",
					f->unit, errors, &e),
			 ERR_INVALID);
	assert_non_null(json_object_get(errors, "role"));
	json_decref(errors);
	struct user_filter office = {.role = "office", .active = -1};
	assert_int_equal(users_list(f->db, &f->a, &office, &list, &e), ERR_OK);
	assert_int_equal(json_array_size(list), 1);
	json_t *roles = json_object_get(json_array_get(list, 0), "roles");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(roles, 0), "label")),
			    "Văn phòng – Thống kê");
	long long role_id = json_integer_value(
		json_object_get(json_array_get(roles, 0), "id"));
	json_decref(list);
	struct user_filter q = {.q = "DUC", .active = -1};
	assert_int_equal(users_list(f->db, &f->a, &q, &list, &e), ERR_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(
		users_role_remove(f->db, &f->a, &actor_cli, id, role_id, &e),
		ERR_OK);
	assert_int_equal(users_list(f->db, &f->a, &office, &list, &e), ERR_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	struct audit_filter af = {
		.action = "user.role_remove", .page = 1, .per_page = 5};
	long long total;
	assert_int_equal(audit_list(f->db, &f->a, &af, &list, &total, &e),
			 ERR_OK);
	assert_int_equal(total, 1);
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(json_array_get(list, 0), "before"),
			"role")),
		"office");
	json_decref(list);
}

static void test_tokens(void **state)
{
	struct fixture *f = *state;
	struct error e = {0};
	long long id = add_user(f, "tinh", "Ngô Đức Anh", "demo2026"),
		  other = add_user(f, "khac", "Lê Khác", "demo2026");
	const char *token;
	assert_int_equal(tokens_create(f->db, &f->a, &actor_cli, id,
				       "Phần mềm tỉnh", &token, NULL, &e),
			 ERR_OK);
	assert_int_equal(strncmp(token, "qt_", 3), 0);
	assert_int_equal(strlen(token), 3 + 64);
	json_t *list;
	assert_int_equal(tokens_list(f->db, &f->a, id, &list, &e), ERR_OK);
	assert_int_equal(json_array_size(list), 1);
	long long tid = json_integer_value(
		json_object_get(json_array_get(list, 0), "id"));
	char *dump = json_dumps(list, 0);
	assert_null(
		strstr(dump, token + 3)); /* the token itself is never stored */
	free(dump);
	json_decref(list);
	/* Someone else's token cannot be revoked through another account. */
	assert_int_equal(
		tokens_revoke(f->db, &f->a, &actor_cli, other, tid, &e),
		ERR_NOTFOUND);
	assert_int_equal(tokens_revoke(f->db, &f->a, &actor_cli, id, tid, &e),
			 ERR_OK);
	assert_int_equal(tokens_revoke(f->db, &f->a, &actor_cli, id, tid, &e),
			 ERR_CONFLICT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hash_verify),
		cmocka_unit_test_setup_teardown(test_login_and_throttling,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_reset_change,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_validation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_vietnamese_order_and_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
