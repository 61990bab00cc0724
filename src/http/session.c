/* Sessions in the database, API tokens, and the secrets behind them. The
 * cookie holds 32 random bytes in hex; the database holds only their
 * SHA-256, so a copy of the database does not log anyone in. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "internal.h"
#include "session_db.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/banned.h"

/* last_seen_at and last_used_at are written at most this often, so that
 * most requests only read */
enum { TOUCH_SECONDS = 60 };

char *http_random_hex(struct arena *a, size_t nbytes)
{
	unsigned char buf[64];
	if (nbytes > sizeof buf)
		return NULL;
	randombytes_buf(buf, nbytes);
	char *out = arena_alloc(a, nbytes * 2 + 1);
	if (out)
		sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
	return out;
}

char *http_token_hash(struct arena *a, const char *token)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	char *out = arena_alloc(a, sizeof h * 2 + 1);
	if (out)
		sodium_bin2hex(out, sizeof h * 2 + 1, h, sizeof h);
	return out;
}

static bool older_than(const char *iso, time_t now, long seconds)
{
	time_t t;
	if (!iso || !clock_parse_iso(iso, &t))
		return true;
	return now - t > seconds;
}

static enum err load_bearer(struct http_ctx *c, const char *token,
			    struct error *e)
{
	struct request *req = &c->req;
	const char *last_used;
	while (*token == ' ')
		token++;
	if (!*token || strlen(token) > 512)
		return error_set(e, ERR_AUTH,
				 "empty or oversized bearer token");
	const char *hash = http_token_hash(req->arena, token);
	if (!hash)
		return ERR_NOMEM;
	enum err err = sessdb_token(req->db, req->arena, hash, &req->user,
				    &last_used, e);
	if (err == ERR_NOTFOUND)
		return error_set(e, ERR_AUTH, "api token unknown or revoked");
	if (err)
		return err;
	c->bearer = true;
	time_t now = clock_now();
	if (older_than(last_used, now, TOUCH_SECONDS)) {
		char iso[21];
		clock_format_iso(now, iso);
		sessdb_token_touch(req->db, req->arena, hash, iso, NULL);
	}
	return ERR_OK;
}

/* The qt_session cookie, if it names a live session. */
static enum err load_cookie(struct http_ctx *c, const char *cookie,
			    struct error *e)
{
	struct request *req = &c->req;
	const char *csrf, *last_seen;
	struct user *u;
	if (!form_token_valid(cookie)) {
		c->clear_session_cookie = true;
		return ERR_OK;
	}
	const char *id = http_token_hash(req->arena, cookie);
	if (!id)
		return ERR_NOMEM;
	enum err err =
		sessdb_find(req->db, req->arena, id, &u, &csrf, &last_seen, e);
	if (err == ERR_NOTFOUND) {
		c->clear_session_cookie = true;
		return ERR_OK;
	}
	if (err)
		return err;
	time_t now = clock_now();
	long idle = (long)c->cfg->session_idle_minutes * 60;
	if (older_than(last_seen, now, idle)) {
		sessdb_delete(req->db, req->arena, id, NULL);
		c->clear_session_cookie = true;
		return ERR_OK;
	}
	if (older_than(last_seen, now, TOUCH_SECONDS)) {
		char iso[21];
		clock_format_iso(now, iso);
		sessdb_touch(req->db, req->arena, id, iso, NULL);
	}
	req->user = u;
	req->session_id = id;
	req->csrf_token = csrf;
	return ERR_OK;
}

enum err session_load(struct http_ctx *c, struct error *e)
{
	struct request *req = &c->req;
	enum err err;
	if (!c->cfg)
		c->cfg = http_config();
	const char *auth = req_header(req, "Authorization");
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (!req->db)
			return error_set(e, ERR_DB, "no database connection");
		return load_bearer(c, auth + 7, e);
	}
	const char *cookie = req_cookie(req, "qt_session");
	if (cookie && req->db) {
		err = load_cookie(c, cookie, e);
		if (err)
			return err;
		if (req->user)
			return ERR_OK;
	}
	/* anonymous: the double-submit token of the login form */
	const char *anon = req_cookie(req, "qt_csrf");
	if (form_token_valid(anon)) {
		req->csrf_token = anon;
	} else {
		req->csrf_token = http_random_hex(req->arena, 32);
		if (!req->csrf_token)
			return ERR_NOMEM;
		c->new_anon_csrf = true;
	}
	return ERR_OK;
}

enum err session_start(struct request *req, struct response *res,
		       long long user_id)
{
	struct http_ctx *c = http_ctx_of(req);
	struct error e = {0};
	struct user *u;
	char now[21], cutoff[21];
	if (!c->cfg)
		c->cfg = http_config();
	if (!req->db)
		return ERR_DB;
	time_t t = clock_now();
	clock_format_iso(t, now);
	clock_format_iso(t - (time_t)c->cfg->session_idle_minutes * 60, cutoff);
	enum err err = sessdb_user(req->db, req->arena, user_id, &u, &e);
	if (err == ERR_NOTFOUND)
		return ERR_AUTH;
	if (err)
		goto fail;
	/* rotation: the id a browser had before logging in is never reused */
	if (req->session_id)
		sessdb_delete(req->db, req->arena, req->session_id, NULL);
	/* idle sessions would otherwise pile up; this is a cheap moment */
	sessdb_delete_idle(req->db, req->arena, cutoff, NULL);
	char *token = http_random_hex(req->arena, 32);
	char *csrf = http_random_hex(req->arena, 32);
	char *id = token ? http_token_hash(req->arena, token) : NULL;
	if (!csrf || !id)
		return ERR_NOMEM;
	const char *agent = req_header(req, "User-Agent");
	char agent_short[200];
	snprintf(agent_short, sizeof agent_short, "%s", agent ? agent : "");
	err = sessdb_insert(req->db, req->arena, id, user_id, csrf, now,
			    req->remote_addr ? req->remote_addr : "",
			    agent_short, &e);
	if (err)
		goto fail;
	res_header(res, "Set-Cookie",
		   http_cookie(req, "qt_session", token, -1));
	req->user = u;
	req->session_id = id;
	req->csrf_token = csrf;
	c->bearer = false;
	c->new_anon_csrf = false;
	c->clear_session_cookie = false;
	return ERR_OK;
fail:
	log_error("session start failed", "user=%lld error=\"%s\"", user_id,
		  e.msg);
	return err;
}

enum err session_end(struct request *req, struct response *res)
{
	struct http_ctx *c = http_ctx_of(req);
	struct error e = {0};
	if (req->session_id && req->db) {
		enum err err =
			sessdb_delete(req->db, req->arena, req->session_id, &e);
		if (err) {
			log_error("session end failed", "error=\"%s\"", e.msg);
			return err;
		}
	}
	res_header(res, "Set-Cookie", http_cookie(req, "qt_session", "", 0));
	req->user = NULL;
	req->session_id = NULL;
	req->csrf_token = http_random_hex(req->arena, 32);
	c->new_anon_csrf = req->csrf_token != NULL;
	c->clear_session_cookie = false;
	return ERR_OK;
}

enum err session_end_all_for_user(struct db *db, long long user_id,
				  struct error *e)
{
	struct arena a;
	arena_init(&a, 1 << 16);
	enum err err = sessdb_delete_user(db, &a, user_id, e);
	arena_release(&a);
	return err;
}
