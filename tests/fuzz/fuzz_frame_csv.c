/* libFuzzer: the sample-frame CSV import of a survey round
 * (index/round.c round_frame_import: a units file or a people file) on
 * any bytes, into a real SQLite database of the demo commune made once
 * under TMPDIR (in LLVMFuzzerInitialize: seeding the units takes longer
 * than a unit's timeout under the sanitizers; removed at exit). It must import or refuse with problems, never crash, read
 * out of bounds, leak, or leave a statement the database refuses (a
 * check the parser should have made); what imports reads back with the
 * units the report counts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "index/papi.h"
#include "index/round.h"
#include "people/people.h"
#include "base/banned.h"

static struct db *db;
static long long round_id;
static const struct papi_actor who = {0, "fuzz", ""};

static long long demo_commune(struct arena *a)
{
	json_t *ch = NULL;
	struct error e = {0};
	if (round_scope_choices(db, a, &ch, &e))
		return 0;
	long long id = 0;
	size_t i;
	json_t *x;
	json_array_foreach(ch, i, x)
	{
		const char *kind =
			json_string_value(json_object_get(x, "kind"));
		const char *name =
			json_string_value(json_object_get(x, "full_name"));
		if (kind && !strcmp(kind, "commune") &&
		    (!id || (name && strstr(name, "Tiên Tiến"))))
			id = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(ch);
	return id;
}

static char dir[256], path[300];

static void cleanup(void)
{
	char f[320];
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	db_close(db);
	for (int i = 0; i < 4; i++) {
		snprintf(f, sizeof f, "%s%s", path, sfx[i]);
		unlink(f);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/quantri-fuzz-frame-XXXXXX",
		 tmp ? tmp : "/tmp");
	struct arena a;
	arena_init(&a, 512 << 20);
	struct error e = {0};
	bool created;
	int cat, off;
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	snprintf(path, sizeof path, "%s/fuzz.db", dir);
	if (db_open(&db, path, &e) || db_migrate(db, &e) ||
	    demo_seed(db, &a, &created, &e) ||
	    papi_seed(db, &a, false, &cat, &off, &e)) {
		fprintf(stderr, "fuzz_frame_csv: setup: %s\n", e.msg);
		abort();
	}
	long long scope = demo_commune(&a);
	struct round_input in = {
		.year = "2026",
		.name = "Fuzz",
		.scope = arena_printf(&a, "%lld", scope),
		.catalogue = "2024",
	};
	if (!scope || round_create(db, &a, &who, &in, &round_id, NULL, &e)) {
		fprintf(stderr, "fuzz_frame_csv: round: %s\n", e.msg);
		abort();
	}
	arena_release(&a);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a, 256 << 20);
	struct frame_report rep;
	struct problems p = {0};
	struct error e = {0};
	enum err err = round_frame_import(
		db, &a, &who, round_id, (const char *)data, size, &rep, &p, &e);
	if (err == ERR_INVALID && !p.n)
		abort(); /* a refusal says why */
	if (err && err != ERR_INVALID && err != ERR_NOMEM &&
	    err != ERR_TOOBIG) {
		fprintf(stderr, "fuzz_frame_csv: %d: %s\n", (int)err, e.msg);
		abort(); /* the database refused what the parser let by */
	}
	if (!err) {
		/* a people file adds its units to the frame's */
		json_t *units = NULL;
		if (round_frame(db, &a, round_id, &units, &e) ||
		    (int)json_array_size(units) < rep.units || rep.units < 1) {
			fprintf(stderr, "fuzz_frame_csv: read back: %s\n",
				e.msg);
			abort();
		}
		json_decref(units);
	}
	arena_release(&a);
	return 0;
}
