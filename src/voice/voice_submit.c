/* The group-commit writer (voice_submit.h). Jobs live on their request
 * threads' stacks; the writer uses each job's arena only while that
 * thread waits, so no arena is shared between running threads. */
#include "voice_submit.h"
#include "voice_public_db.h"
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include "../base/config.h"
#include "../base/log.h"
#include "../base/banned.h"

struct job {
	struct arena *a;
	const struct actor *who;
	struct voice_case *c;
	const struct upload *const *files;
	int nfiles;
	const char **secret;
	struct field_problems *fp;
	struct error *e;
	enum err result;
	bool done;
	struct job *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queued = PTHREAD_COND_INITIALIZER;
static pthread_cond_t answered = PTHREAD_COND_INITIALIZER;
static struct job *head, *tail;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool running; /* the writer thread has its database */
/* SQLite takes one writer at a time: one writer thread. PostgreSQL runs
 * transactions side by side, and a case costs it several round trips:
 * writers in parallel overlap them. */
enum { PG_WRITERS = 4 };

static void run_batch(struct db **dbp, struct job **jobs, int n)
{
	struct db *wdb = *dbp;
	struct error e = {0};
	enum err err = db_begin(wdb, &e);
	for (int i = 0; i < n; i++) {
		struct job *j = jobs[i];
		j->result =
			err ? err
			    : case_create(wdb, j->a, j->who, j->c, j->files,
					  j->nfiles, j->secret, j->fp, j->e);
		if (err)
			*j->e = e;
	}
	if (!err)
		err = db_commit(wdb, &e);
	if (err) {
		db_rollback(wdb);
		log_error("voice submissions: batch not committed",
			  "cases=%d error=\"%s\"", n, e.msg);
		for (int i = 0; i < n; i++)
			if (jobs[i]->result == ERR_OK) {
				jobs[i]->result = ERR_DB;
				*jobs[i]->e = e;
			}
		/* a connection that broke (PostgreSQL restarted) is
		 * opened again for the next batch */
		struct db *fresh;
		if (vpub_ping(wdb) && !db_open(&fresh, http_config()->db, &e)) {
			db_close(wdb);
			*dbp = fresh;
		}
	}
}

static void *writer(void *arg)
{
	struct db *wdb = arg;
	struct job *batch[VOICE_SUBMIT_BATCH_MAX];
	for (;;) {
		pthread_mutex_lock(&lock);
		while (!head)
			pthread_cond_wait(&queued, &lock);
		int n = 0;
		while (head && n < VOICE_SUBMIT_BATCH_MAX) {
			batch[n++] = head;
			head = head->next;
		}
		if (!head)
			tail = NULL;
		pthread_mutex_unlock(&lock);
		run_batch(&wdb, batch, n);
		pthread_mutex_lock(&lock);
		for (int i = 0; i < n; i++)
			batch[i]->done = true;
		pthread_cond_broadcast(&answered);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static bool spawn(struct db *db)
{
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	bool ok = pthread_create(&t, &attr, writer, db) == 0;
	pthread_attr_destroy(&attr);
	if (!ok)
		log_error("voice submissions: writer thread not started", "%s",
			  "");
	return ok;
}

static void start(void)
{
	struct error e = {0};
	int n = 0;
	for (int i = 0; i < PG_WRITERS; i++) {
		struct db *db;
		if (db_open(&db, http_config()->db, &e)) {
			log_error(
				"voice submissions: writer without a database",
				"error=\"%s\"", e.msg);
			break;
		}
		if (!spawn(db)) {
			db_close(db);
			break;
		}
		n++;
		if (db_kind(db) != DB_POSTGRES)
			break;
	}
	/* none: each submission commits on its own request's connection */
	running = n > 0;
}

enum err voice_submit(struct db *db, struct arena *a, const struct actor *who,
		      struct voice_case *c, const struct upload *const *files,
		      int nfiles, const char **secret_out,
		      struct field_problems *fp, struct error *e)
{
	pthread_once(&once, start);
	if (!running)
		return case_create(db, a, who, c, files, nfiles, secret_out, fp,
				   e);
	struct job j = {.a = a,
			.who = who,
			.c = c,
			.files = files,
			.nfiles = nfiles,
			.secret = secret_out,
			.fp = fp,
			.e = e};
	pthread_mutex_lock(&lock);
	if (tail)
		tail->next = &j;
	else
		head = &j;
	tail = &j;
	pthread_cond_signal(&queued);
	while (!j.done)
		pthread_cond_wait(&answered, &lock);
	pthread_mutex_unlock(&lock);
	return j.result;
}
