/* Who sees which case and who may do what (voice.h's table): the office,
 * the chair and vice chairs see every case of their communes (following
 * mergers, plan_user_communes); a unit head the cases assigned to their
 * unit; an officer the cases they handle. A denouncer's identity: the
 * chair of the case's commune and its handler only. */
#include <string.h>
#include "voice.h"
#include "../plan/plan_db.h"
#include "../base/log.h"
#include "../base/banned.h"

bool voice_can_manage(const struct request *req)
{
	return req && req->user && (req->user->roles & ROLE_OFFICE);
}

bool voice_can_approve(const struct request *req)
{
	return req && req->user &&
	       (req->user->roles & (ROLE_CHAIR | ROLE_VICE_CHAIR));
}

/* Does the user hold one of the roles on a unit of the commune (the
 * commune itself, its office, ...), or of a commune of its lineage (the
 * chair of the merged commune for a predecessor's case)? */
static bool role_in_commune(struct request *req, const char *const *keys,
			    int nkeys, long long commune)
{
	struct error e = {0};
	struct db_result *roles;
	long long *lin;
	int nl;
	if (units_lineage(req->db, req->arena, commune, &lin, &nl, &e) ||
	    plandb_user_roles(req->db, req->arena, req->user->id, &roles, &e))
		goto fail;
	for (int i = 0; i < roles->nrows; i++) {
		const char *role = db_get(roles, i, "role");
		bool wanted = false;
		for (int k = 0; k < nkeys && !wanted; k++)
			wanted = role && !strcmp(role, keys[k]);
		if (!wanted)
			continue;
		long long c;
		if (plan_commune_of(req->db, req->arena,
				    db_get_int(roles, i, "unit_id", 0), &c, &e))
			goto fail;
		for (int k = 0; k < nl; k++)
			if (lin[k] == c)
				return true;
	}
	return false;
fail:
	log_error("voice: roles of user", "user=%lld error=\"%s\"",
		  req->user->id, e.msg);
	return false;
}

static bool unit_head_of(struct request *req, long long unit)
{
	struct error e = {0};
	bool has = false;
	static const char *const roles[] = {"unit_head"};
	if (plandb_user_has_role_on(req->db, req->arena, req->user->id, roles,
				    1, unit, &has, &e)) {
		log_error("voice: roles of user", "user=%lld error=\"%s\"",
			  req->user->id, e.msg);
		return false;
	}
	return has;
}

bool voice_can_handle(struct request *req, const struct voice_case *c)
{
	if (!req || !req->user || !c)
		return false;
	if (c->handler_id > 0 && c->handler_id == req->user->id)
		return true;
	return c->unit_id > 0 && (req->user->roles & ROLE_UNIT_HEAD) &&
	       unit_head_of(req, c->unit_id);
}

bool voice_can_see(struct request *req, const struct voice_case *c)
{
	if (!req || !req->user || !c)
		return false;
	if (c->handler_id > 0 && c->handler_id == req->user->id)
		return true;
	static const char *const all[] = {"office", "chair", "vice_chair"};
	if ((req->user->roles & (ROLE_OFFICE | ROLE_CHAIR | ROLE_VICE_CHAIR)) &&
	    role_in_commune(req, all, 3, c->commune_id))
		return true;
	return voice_can_handle(req, c);
}

bool voice_can_see_identity(struct request *req, const struct voice_case *c)
{
	if (!req || !req->user || !c)
		return false;
	if (c->handler_id > 0 && c->handler_id == req->user->id)
		return true;
	static const char *const chair[] = {"chair"};
	return (req->user->roles & ROLE_CHAIR) &&
	       role_in_commune(req, chair, 1, c->commune_id);
}

long long voice_pick_commune(struct request *req, const long long *ids, int n,
			     long long want)
{
	long long own = 0;
	struct error e = {0};
	if (req->user && req->user->home_unit_id > 0 &&
	    plan_commune_of(req->db, req->arena, req->user->home_unit_id, &own,
			    &e))
		own = 0;
	long long found = 0;
	for (int i = 0; i < n; i++) {
		if (want > 0 && ids[i] == want)
			return want;
		if (own > 0 && ids[i] == own)
			found = own;
	}
	return found ? found : n ? ids[n - 1] : 0;
}
