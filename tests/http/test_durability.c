/* What the app says is saved survives kill -9. Several threads create
 * units through the JSON API (bearer token, as another system would);
 * half-way the server is killed with SIGKILL. Then the SQLite file is
 * opened directly: every unit whose creation got a success reply is there,
 * and PRAGMA integrity_check says ok. The server then starts again on the
 * same file and answers /healthz. SQLite only: the claim is about its WAL
 * with synchronous=FULL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

enum { WRITERS = 4, WRITES = 300, PER_WRITER = WRITES / WRITERS };

static struct server srv;
static char token[128];
static long long parent_id;
static atomic_int acked_count;
static atomic_bool killed;
/* acked[i]: the reply to write i said it was saved (2xx). */
static atomic_bool acked[WRITES];
static atomic_bool attempted[WRITES];

static void unit_name(int i, char *buf, size_t n)
{
	snprintf(buf, n, "Tổ bền vững %03d", i);
}

static void *writer(void *arg)
{
	int w = (int)(intptr_t)arg;
	struct client c;
	client_init(&c, &srv);
	snprintf(c.bearer, sizeof c.bearer, "%s", token);
	for (int k = 0; k < PER_WRITER; k++) {
		int i = w * PER_WRITER + k;
		char name[64];
		unit_name(i, name, sizeof name);
		json_t *body = json_pack("{s:s, s:s, s:s, s:I}", "kind", "unit",
					 "type_vi", "Bộ phận", "name", name,
					 "parent_id", (json_int_t)parent_id);
		struct reply r;
		atomic_store(&attempted[i], true);
		int rc =
			client_post_json(&c, "/api/people/units/new", body, &r);
		json_decref(body);
		if (!rc && r.status >= 200 && r.status < 300) {
			atomic_store(&acked[i], true);
			atomic_fetch_add(&acked_count, 1);
		} else if (!atomic_load(&killed) && !rc) {
			/* Before the kill every write must succeed. */
			print_error("write %d: status %ld: %s\n", i, r.status,
				    r.body);
		}
		reply_release(&r);
		if (rc && atomic_load(&killed))
			break; /* the server is gone */
	}
	client_release(&c);
	return NULL;
}

/* The commune the new units belong to: Tiên Tiến (code 12424, from
 * 01/07/2025), found through the API like a client would. */
static long long find_commune(struct client *c)
{
	struct reply r;
	if (client_get(c, "/api/search?q=tien+tien", &r) || r.status != 200)
		fail_msg("GET /api/search: %ld %s", r.status, r.body);
	json_t *j = reply_json(&r);
	json_t *units = json_object_get(j, "units");
	if (!units)
		units = json_object_get(json_object_get(j, "results"), "units");
	long long id = 0;
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		const char *kind =
			json_string_value(json_object_get(u, "kind"));
		const char *name =
			json_string_value(json_object_get(u, "name"));
		if (kind && name && !strcmp(kind, "commune") &&
		    !strcmp(name, "Tiên Tiến"))
			id = json_integer_value(json_object_get(u, "id"));
	}
	if (!id)
		fail_msg("no commune Tiên Tiến in /api/search: %s", r.body);
	json_decref(j);
	reply_release(&r);
	return id;
}

static void get_token(void)
{
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "vanphong", DEMO_PASSWORD), 303);
	parent_id = find_commune(&c);
	json_t *body = json_pack("{s:s}", "name", "kiểm tra độ bền");
	if (client_post_json(&c, "/api/account/tokens", body, &r))
		fail_msg("POST /api/account/tokens: no reply");
	json_decref(body);
	json_t *j = reply_json(&r);
	const char *t = json_string_value(json_object_get(j, "token"));
	if (r.status != 200 || !t || strlen(t) >= sizeof token)
		fail_msg("POST /api/account/tokens: %ld %s", r.status, r.body);
	snprintf(token, sizeof token, "%s", t);
	json_decref(j);
	reply_release(&r);
	client_release(&c);
}

static void check_file(const char *path, int *present, int *missing)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		fail_msg("open %s: %s", path, sqlite3_errmsg(db));
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK)
		fail_msg("integrity_check: %s", sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *ok = (const char *)sqlite3_column_text(st, 0);
	if (!ok || strcmp(ok, "ok"))
		fail_msg("PRAGMA integrity_check: %s", ok ? ok : "(null)");
	sqlite3_finalize(st);

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM units WHERE name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	*present = *missing = 0;
	for (int i = 0; i < WRITES; i++) {
		char name[64];
		unit_name(i, name, sizeof name);
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		int n = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (n > 1)
			fail_msg("unit \"%s\" is there %d times", name, n);
		if (n == 1)
			(*present)++;
		if (atomic_load(&acked[i]) && n != 1) {
			(*missing)++;
			print_error("acknowledged write %d (\"%s\") is lost\n",
				    i, name);
		}
		/* Never attempted: must not exist. */
		if (!atomic_load(&attempted[i]) && n)
			fail_msg("unit \"%s\" exists but was never sent", name);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_kill9_keeps_acknowledged_writes(void **state)
{
	const char *pg = getenv("QUANTRI_TEST_DB");
	if (pg && *pg) {
		print_message("durability: SQLite only; skipped with "
			      "QUANTRI_TEST_DB=%s\n",
			      pg);
		skip();
	}
	server_start(&srv, NULL);
	get_token();

	pthread_t th[WRITERS];
	for (int w = 0; w < WRITERS; w++)
		assert_int_equal(pthread_create(&th[w], NULL, writer,
						(void *)(intptr_t)w),
				 0);
	/* Kill mid-stream: once about half the writes are acknowledged,
	 * with the other writers still sending. */
	while (atomic_load(&acked_count) < WRITES / 2)
		usleep(1000);
	atomic_store(&killed, true);
	atomic_store(&harness_quiet, true);
	server_kill9(&srv);
	for (int w = 0; w < WRITERS; w++)
		pthread_join(th[w], NULL);
	atomic_store(&harness_quiet, false);

	int acks = atomic_load(&acked_count), present, missing;
	check_file(srv.db, &present, &missing);
	print_message("durability: %d writes acknowledged before kill -9, %d "
		      "units in the file, %d lost\n",
		      acks, present, missing);
	if (missing)
		fail_msg("%d acknowledged writes lost after kill -9", missing);
	assert_true(acks >= WRITES / 2);
	assert_true(acks < WRITES); /* the kill did land mid-stream */

	/* The server starts again on the same file and serves it. */
	server_restart(&srv);
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	assert_int_equal(client_get(&c, "/healthz", &r), 0);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	snprintf(c.bearer, sizeof c.bearer, "%s", token);
	char path[128], name[64], q[200];
	unit_name(0, name, sizeof name);
	snprintf(path, sizeof path, "/api/search?q=%s",
		 form_escape(name, q, sizeof q));
	assert_int_equal(client_get(&c, path, &r), 0);
	assert_int_equal(r.status, 200);
	if (atomic_load(&acked[0]))
		assert_true(reply_has(&r, name));
	reply_release(&r);
	client_release(&c);
	server_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill9_keeps_acknowledged_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
