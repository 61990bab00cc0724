/* Who sees which plans and who may change what (plan.h's header comment):
 * everyone sees the plans of the communes their roles are in, following
 * mergers both ways (a user of xã Tiên Tiến sees Minh Tiến's 2024 plan);
 * the upper level sees every commune under it. The office manages; a
 * unit head (or a village head for the village) reports on the tasks
 * their unit leads; anyone reports on the tasks they are responsible for. */
#include <stdlib.h>
#include <string.h>
#include "plan.h"
#include "plan_db.h"
#include "../files/attachment.h"
#include "../base/log.h"
#include "../base/banned.h"

enum { COMMUNES_MAX = 20000 };

struct idset {
	long long *v;
	int n, cap;
};

static enum err idset_add(struct arena *a, struct idset *s, long long id)
{
	if (s->n == s->cap) {
		if (s->cap >= COMMUNES_MAX)
			return ERR_NOMEM;
		int cap = s->cap ? s->cap * 2 : 16;
		long long *v = arena_alloc(a, sizeof *v * (size_t)cap);
		if (!v)
			return ERR_NOMEM;
		if (s->n)
			memcpy(v, s->v, sizeof *v * (size_t)s->n);
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = id;
	return ERR_OK;
}

static enum err user_communes(struct db *db, struct arena *a, long long user_id,
			      long long **ids, int *n, struct error *e)
{
	struct db_result *roles;
	struct idset s = {0};
	enum err err = plandb_user_roles(db, a, user_id, &roles, e);
	for (int i = 0; !err && i < roles->nrows; i++) {
		const char *kind = db_get(roles, i, "kind");
		long long unit = db_get_int(roles, i, "unit_id", 0);
		if (!strcmp(kind, "province") || !strcmp(kind, "district")) {
			struct db_result *c;
			err = plandb_communes_under(db, a, unit, &c, e);
			for (int k = 0; !err && k < c->nrows; k++)
				if (idset_add(a, &s, db_get_int(c, k, "id", 0)))
					err = error_set(e, ERR_NOMEM,
							"user %lld: too many "
							"communes",
							user_id);
			continue;
		}
		long long commune;
		err = plan_commune_of(db, a, unit, &commune, e);
		if (err || !commune)
			continue;
		long long *lin;
		int nl;
		err = units_lineage(db, a, commune, &lin, &nl, e);
		for (int k = 0; !err && k < nl; k++)
			if (idset_add(a, &s, lin[k]))
				err = error_set(e, ERR_NOMEM,
						"user %lld: too many communes",
						user_id);
	}
	if (err)
		return err;
	int w = db_ids_unique(s.v, s.n);
	*ids = s.v ? s.v : arena_alloc(a, sizeof **ids);
	*n = w;
	return *ids ? ERR_OK : error_set(e, ERR_NOMEM, "out of memory");
}

enum err plan_user_communes(struct request *req, long long **ids, int *n,
			    struct error *e)
{
	*ids = NULL;
	*n = 0;
	if (!req->user)
		return ERR_OK;
	return user_communes(req->db, req->arena, req->user->id, ids, n, e);
}

bool plan_can_manage(const struct request *req)
{
	return req->user && (req->user->roles & ROLE_OFFICE);
}

bool plan_can_see(struct request *req, long long plan_unit_id)
{
	long long *ids;
	int n;
	struct error e = {0};
	if (!req->user || plan_unit_id <= 0)
		return false;
	if (plan_user_communes(req, &ids, &n, &e)) {
		log_error("plan: communes of user", "user=%lld error=\"%s\"",
			  req->user->id, e.msg);
		return false;
	}
	return bsearch(&plan_unit_id, ids, (size_t)n, sizeof *ids, db_id_cmp) !=
	       NULL;
}

bool plan_can_update_task(struct request *req, const struct task *t)
{
	struct error e = {0};
	long long unit;
	if (!req->user || !t)
		return false;
	if (plandb_plan_unit(req->db, req->arena, t->plan_id, &unit, &e) ||
	    !plan_can_see(req, unit))
		return false;
	if (plan_can_manage(req) || t->responsible_user_id == req->user->id)
		return true;
	static const char *const heads[] = {"unit_head", "village_head"};
	bool has = false;
	if (!(req->user->roles & (ROLE_UNIT_HEAD | ROLE_VILLAGE_HEAD)))
		return false;
	if (plandb_user_has_role_on(req->db, req->arena, req->user->id, heads,
				    2, t->lead_unit_id, &has, &e)) {
		log_error("plan: roles of user", "user=%lld error=\"%s\"",
			  req->user->id, e.msg);
		return false;
	}
	return has;
}

/* Evidence of a progress report: whoever sees the task's plan. */
static bool can_read_update(struct request *req, const char *owner,
			    long long owner_id)
{
	struct error e = {0};
	long long unit;
	(void)owner;
	if (plandb_update_plan_unit(req->db, req->arena, owner_id, &unit, &e))
		return false;
	return unit && plan_can_see(req, unit);
}

void plan_files_register(void)
{
	attachment_register_owner("task_update", can_read_update);
}
