/* The page /notifications (any logged-in user sees their own), the bell
 * in the page header, and the background jobs of `quantri serve` that
 * make the daily digest and empty the outbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notify.h"
#include "../base/calendar.h"
#include "../base/clock.h"
#include "../base/config.h"
#include "../base/log.h"
#include "../cli.h"
#include "../http/http.h"
#include "../base/banned.h"

enum { PAGE_LIMIT = 100 };

static const char title_vi[] = "Thông báo";

static enum err list_page(struct request *req, struct response *res)
{
	struct error e = {0};
	const char *u = req_param(req, "unread");
	bool unread_only = u && (!strcmp(u, "1") || !strcmp(u, "true"));
	json_t *list = NULL;
	enum err err = notify_list(req->db, req->arena, req->user->id,
				   unread_only, PAGE_LIMIT, &list, &e);
	if (err)
		return res_fail(req, res, err, &e);
	int unread = notify_unread_count(req->db, req->arena, req->user->id);
	json_t *ctx = json_pack(
		"{s:o, s:i, s:b, s:b, s:i}", "notifications", list, "unread",
		unread, "unread_only", unread_only, "full",
		json_array_size(list) >= PAGE_LIMIT, "limit", PAGE_LIMIT);
	return res_page(req, res, 200, "notify/index", title_vi, ctx);
}

/* A notification's own link, or the list; only paths of this site. */
static const char *target(const char *link)
{
	if (!link || link[0] != '/' || link[1] == '/' || link[1] == '\\')
		return "/notifications";
	return link;
}

static enum err read_one(struct request *req, struct response *res)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	json_t *n = NULL;
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err =
		notify_mark_read(req->db, req->arena, req->user->id, id, &e);
	if (!err)
		err = notify_get(req->db, req->arena, req->user->id, id, &n,
				 &e);
	if (err)
		return res_fail(req, res, err, &e);
	const char *link = arena_strdup(
		req->arena, json_string_value(json_object_get(n, "link")));
	json_decref(n);
	return res_done(req, res, target(link), NULL,
			json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
				  "link", link ? link : "", "read", 1));
}

static enum err read_all(struct request *req, struct response *res)
{
	struct error e = {0};
	enum err err =
		notify_mark_read(req->db, req->arena, req->user->id, 0, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res, "/notifications",
			"Đã đánh dấu tất cả thông báo là đã đọc.",
			json_pack("{s:b}", "ok", 1));
}

/* ---- background jobs ---- */

/* Only the jobs thread runs these: the day of the last digest made. */
static char last_digest_day[11];

enum err notify_job_digest(struct db *db, struct arena *a,
			   const struct config *cfg, struct error *e)
{
	/* no server to send through: leave the notifications unmailed, so
	 * the first digest after smtp_url is set still carries them */
	if (!cfg->smtp_url[0])
		return ERR_OK;
	long long local = (long long)clock_now() + 7 * 3600;
	int hour = (int)(((local % 86400) + 86400) % 86400 / 3600);
	char day[11];
	date_format_iso(clock_today_vn(), day);
	if (hour < cfg->digest_hour || !strcmp(day, last_digest_day))
		return ERR_OK;
	int made = 0;
	enum err err =
		notify_digest_links(db, a, day, cfg->public_url, &made, e);
	if (err)
		return err;
	memcpy(last_digest_day, day, sizeof day);
	log_info("daily digest", "day=%s mails=%d", day, made);
	return ERR_OK;
}

enum err notify_job_mail(struct db *db, struct arena *a,
			 const struct config *cfg, struct error *e)
{
	int sent = 0, failed = 0;
	enum err err = mail_send_pending(db, a, cfg, &sent, &failed, e);
	if (!err && (sent || failed))
		log_info("outbox", "sent=%d failed=%d", sent, failed);
	return err;
}

void notify_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/notifications", list_page, ROLE_ANY_USER, NULL},
		{"POST", "/notifications/read-all", read_all, ROLE_ANY_USER,
		 NULL},
		{"POST", "/notifications/{id}/read", read_one, ROLE_ANY_USER,
		 NULL},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	http_set_unread_counter(notify_unread_count);
	/* the digest first, so today's goes out in the same run */
	http_register_job("digest", notify_job_digest);
	http_register_job("mail", notify_job_mail);
}
