/* The demo survey round (quantri init --demo): a PAPI round of the demo
 * commune with a sample frame, a seeded draw and interviews for the
 * drawn villages, so that the results pages have something real to show.
 * The same seed gives the same round. */
#ifndef INDEX_DEMO_ROUND_H
#define INDEX_DEMO_ROUND_H
#include <stdbool.h>
#include <stdint.h>
#include "../store/db.h"

#define DEMO_ROUND_NAME "Khảo sát PAPI xã Tiên Tiến 2026 (dữ liệu mẫu)"
#define DEMO_ROUND_SEED 2026

/* Creates the round unless one of that name exists (*created false then).
 * *round: its id; *interviews: how many were added. */
enum err demo_round_seed(struct db *db, struct arena *a, uint64_t seed,
			 long long *round, int *interviews, bool *created,
			 struct error *e);

/* quantri init --demo: seeds the demo round, says so on stdout, errors on
 * stderr; returns the exit status (0 or 1). QUANTRI_DEMO_ROUND=0 in the
 * environment leaves the round out (tests that number their own rounds
 * from 1, or replace the 2024 catalogue the round would use). */
struct arena;
int demo_round_init(struct db *db, struct arena *a);

#endif
