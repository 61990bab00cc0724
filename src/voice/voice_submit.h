/* Group commit for online submissions (the citizen form, Open311): each
 * commit of a case costs an fsync (SQLite WAL with synchronous=FULL, or
 * PostgreSQL's WAL flush), about 5 ms on this machine's disk, so one
 * commit per submission tops out near 150 a second. Submissions are
 * queued instead to one writer thread with its own connection, which runs
 * each case_create inside one transaction for the batch (each case in its
 * own savepoint: a refused case leaves the others whole), commits once,
 * and only then answers every submitter. A receipt is never given before
 * the commit that makes it durable. */
#ifndef VOICE_SUBMIT_H
#define VOICE_SUBMIT_H
#include "voice.h"

enum { VOICE_SUBMIT_BATCH_MAX = 256 };

/* case_create through the writer: same arguments, same results. The
 * request thread waits until the batch holding its case has committed (or
 * failed: then ERR_DB, nothing saved). When the writer cannot run (no
 * database for it), the case is created on db directly. */
enum err voice_submit(struct db *db, struct arena *a, const struct actor *who,
		      struct voice_case *c, const struct upload *const *files,
		      int nfiles, const char **secret_out,
		      struct field_problems *fp, struct error *e);

#endif
