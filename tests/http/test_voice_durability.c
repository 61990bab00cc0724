/* A citizen who was given a code has a case, even after kill -9. Several
 * threads submit through the public form's API (anonymous, with the
 * double-submit CSRF token, as a phone's browser would) for a few seconds;
 * the server is killed with SIGKILL mid-load; it starts again on the same
 * database, and every code that got a receipt is tracked with its secret
 * and shows the text that was sent. Runs on SQLite and, with
 * QUANTRI_TEST_DB, on PostgreSQL (the check goes through the app). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

enum { WRITERS = 4, MAX_PER_WRITER = 5000, MIN_ACKS = 40 };

struct receipt {
	char code[16], secret[16];
	int n; /* the number in the text */
};

static struct server srv;
static struct receipt receipts[WRITERS][MAX_PER_WRITER];
static atomic_int nreceipts[WRITERS];
static atomic_int acked_total, errors_before_kill;
static atomic_bool killed;

static void text_of(int w, int k, char *buf, size_t n)
{
	snprintf(buf, n, "Phản ánh bền vững số %d-%04d: đường thôn ngập nước",
		 w, k);
}

static void *writer(void *arg)
{
	int w = (int)(intptr_t)arg;
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	/* the form page gives the anonymous CSRF cookie and token */
	if (client_get(&c, "/citizen/submit", &r) || r.status != 200)
		fail_msg("GET /citizen/submit: %ld", r.status);
	reply_release(&r);
	for (int k = 0; k < MAX_PER_WRITER && !atomic_load(&killed); k++) {
		char text[160];
		text_of(w, k, text, sizeof text);
		json_t *body =
			json_pack("{s:s, s:s, s:s}", "case_type", "feedback",
				  "topic_id", "3", "body", text);
		int rc = client_post_json(&c, "/api/citizen/submit", body, &r);
		json_decref(body);
		if (rc) {
			reply_release(&r);
			if (atomic_load(&killed))
				break; /* the server is gone */
			atomic_fetch_add(&errors_before_kill, 1);
			continue;
		}
		if (r.status == 200) {
			json_t *j = reply_json(&r);
			const char *code =
				json_string_value(json_object_get(j, "code"));
			const char *secret =
				json_string_value(json_object_get(j, "secret"));
			if (code && secret && strlen(code) < 16 &&
			    strlen(secret) < 16) {
				int i = atomic_load(&nreceipts[w]);
				struct receipt *x = &receipts[w][i];
				snprintf(x->code, sizeof x->code, "%s", code);
				snprintf(x->secret, sizeof x->secret, "%s",
					 secret);
				x->n = k;
				atomic_store(&nreceipts[w], i + 1);
				atomic_fetch_add(&acked_total, 1);
			}
			json_decref(j);
		} else if (!atomic_load(&killed)) {
			print_error("submit %d-%d: %ld %s\n", w, k, r.status,
				    r.body);
			atomic_fetch_add(&errors_before_kill, 1);
		}
		reply_release(&r);
	}
	client_release(&c);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_kill9_keeps_every_receipt(void **state)
{
	(void)state;
	static const char *const env[] = {
		"QUANTRI_DEMO_ROUND=0",
		"QUANTRI_VOICE_SUBMIT_PER_10MIN=1000000",
		"QUANTRI_VOICE_SUBMIT_PER_DAY=1000000", NULL};
	server_start(&srv, env);
	pthread_t th[WRITERS];
	for (int w = 0; w < WRITERS; w++)
		assert_int_equal(pthread_create(&th[w], NULL, writer,
						(void *)(intptr_t)w),
				 0);
	/* a few seconds of load, then the kill while every writer sends */
	double t0 = now_s();
	while (now_s() - t0 < 3.0 || atomic_load(&acked_total) < MIN_ACKS) {
		usleep(10000);
		if (now_s() - t0 > 60)
			fail_msg("only %d receipts in 60 s",
				 atomic_load(&acked_total));
	}
	atomic_store(&harness_quiet, true);
	atomic_store(&killed, true);
	server_kill9(&srv);
	for (int w = 0; w < WRITERS; w++)
		pthread_join(th[w], NULL);
	atomic_store(&harness_quiet, false);
	assert_int_equal(atomic_load(&errors_before_kill), 0);

	server_restart(&srv);
	struct client c;
	struct reply r;
	client_init(&c, &srv);
	assert_int_equal(client_get(&c, "/citizen/track", &r), 0);
	reply_release(&r);
	int checked = 0, lost = 0;
	for (int w = 0; w < WRITERS; w++)
		for (int i = 0; i < atomic_load(&nreceipts[w]); i++) {
			const struct receipt *x = &receipts[w][i];
			json_t *b = json_pack("{s:s, s:s}", "code", x->code,
					      "secret", x->secret);
			assert_int_equal(client_post_json(&c,
							  "/api/citizen/track",
							  b, &r),
					 0);
			json_decref(b);
			char text[160];
			text_of(w, x->n, text, sizeof text);
			if (r.status != 200 || !reply_has(&r, text)) {
				lost++;
				print_error("receipt %s (%d-%d) lost: %ld\n",
					    x->code, w, x->n, r.status);
			}
			checked++;
			reply_release(&r);
		}
	client_release(&c);
	print_message("voice durability: %d receipts before kill -9 after "
		      "%.1f s, %d tracked after restart, %d lost\n",
		      atomic_load(&acked_total), 3.0, checked - lost, lost);
	assert_int_equal(lost, 0);
	assert_true(checked >= MIN_ACKS);
	server_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill9_keeps_every_receipt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
