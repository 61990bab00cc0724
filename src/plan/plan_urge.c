/* Urging (đôn đốc): the office's reminders and explanation requests
 * (yêu cầu giải trình) about a lagging task, and the urged unit's answer.
 * Each is one transaction with its audit row and its notifications, so a
 * request nobody was told of cannot exist. */
#include <string.h>
#include "plan_views.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../notify/notify.h"
#include "../base/banned.h"

static void add(struct field_problems *fp, const char *field,
		const char *msg_en, const char *msg_vi)
{
	if (!fp || fp->n >= (int)(sizeof fp->list / sizeof *fp->list))
		return;
	fp->list[fp->n++] = (struct field_problem){field, msg_en, msg_vi};
}

/* Trimmed text, or NULL (with a problem) when empty, too long or not
 * UTF-8. */
static const char *text_field(struct arena *a, const char *s, const char *field,
			      const char *what_vi, struct field_problems *fp)
{
	if (s && !text_valid_utf8(s, strlen(s))) {
		add(fp, field, "not valid UTF-8",
		    "Nội dung có ký tự không hợp lệ.");
		return NULL;
	}
	const char *t = s ? text_trim(a, s) : NULL;
	if (!t || !*t) {
		add(fp, field, "empty", what_vi);
		return NULL;
	}
	if (strlen(t) > URGE_MESSAGE_MAX) {
		add(fp, field, "too long",
		    "Nội dung dài quá 4.000 ký tự, xin viết gọn lại.");
		return NULL;
	}
	return t;
}

static enum err fail(struct db *db, enum err err)
{
	db_rollback(db);
	return err;
}

/* The head of a unit: a unit head of a professional unit, or the head of
 * a village (a village leads tasks too). */
static enum err is_head(struct db *db, struct arena *a, long long user_id,
			long long unit_id, bool *head, struct error *e)
{
	enum err err = pvdb_user_has_role(db, a, user_id, "unit_head", unit_id,
					  head, e);
	if (!err && !*head)
		err = pvdb_user_has_role(db, a, user_id, "village_head",
					 unit_id, head, e);
	return err;
}

enum err urge_send(struct db *db, struct arena *a, const struct actor *who,
		   long long task_id, const char *kind, const char *message,
		   long long *request_id, struct field_problems *fp,
		   struct error *e)
{
	bool explanation = kind && !strcmp(kind, "explanation");
	if (!explanation && !(kind && !strcmp(kind, "reminder")))
		add(fp, "kind", "must be reminder or explanation",
		    "Chọn nhắc việc hoặc yêu cầu giải trình.");
	const char *msg = text_field(a, message, "message",
				     "Vui lòng nhập nội dung đôn đốc.", fp);
	if (fp && fp->n)
		return error_set(e, ERR_INVALID, "task %lld: %s: %s", task_id,
				 fp->list[0].field, fp->list[0].msg_en);
	if (!msg)
		return error_set(e, ERR_INVALID, "task %lld: bad request",
				 task_id);

	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *t;
	err = pvdb_task_brief(db, a, task_id, &t, e);
	if (err)
		return fail(db, err);
	const char *status = db_get(t, 0, "status");
	if (status && (!strcmp(status, "done") || !strcmp(status, "cancelled")))
		return fail(db, error_set(e, ERR_CONFLICT,
					  "task %lld: is %s, nothing to urge",
					  task_id, status));
	long long unit = db_get_int(t, 0, "lead_unit_id", 0),
		  responsible = db_get_int(t, 0, "responsible_user_id", 0);
	const char *title = db_get(t, 0, "title");

	char due[11] = "";
	if (explanation) {
		struct calendar cal;
		calendar_init(&cal);
		err = calendar_db_load(db, a, &cal, e);
		if (!err)
			date_format_iso(
				calendar_add_days(&cal, clock_today_vn(),
						  URGENCY_SOON_WORKING_DAYS,
						  true),
				due);
		calendar_release(&cal);
		if (err)
			return fail(db, err);
	}
	const char *now = clock_now_iso(a);
	err = pvdb_request_insert(db, a, task_id, unit, kind, msg,
				  explanation ? due : NULL, who->user_id, now,
				  request_id, e);
	if (err)
		return fail(db, err);

	const char *ntitle = arena_printf(
		a, "%s: %s", explanation ? "Yêu cầu giải trình" : "Đôn đốc",
		title);
	const char *body = explanation
				   ? arena_printf(a, "%s\nHạn giải trình: %s.",
						  msg, text_format_date(a, due))
				   : msg;
	const char *link = arena_printf(a, "/plan/requests#r%lld", *request_id);
	const char *nkind = explanation ? "task.explanation" : "task.reminder";
	if (!ntitle || !body || !link)
		return fail(db, error_set(e, ERR_NOMEM, "out of memory"));
	err = notify_unit(db, a, unit, ROLE_UNIT_HEAD | ROLE_VILLAGE_HEAD,
			  nkind, ntitle, body, link, e);
	/* the responsible official, unless a head of the unit already told */
	bool head = false;
	if (!err && responsible)
		err = is_head(db, a, responsible, unit, &head, e);
	if (!err && responsible && !head)
		err = notify_user(db, a, responsible, nkind, ntitle, body, link,
				  e);
	json_t *after =
		json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s}", "task_id",
			  (json_int_t)task_id, "unit_id", (json_int_t)unit,
			  "kind", kind, "message", msg, "answer_due",
			  explanation ? due : NULL, "sent_at", now);
	if (!err)
		err = audit_actor(db, a, who, "task_request.create",
				  "task_request", *request_id, NULL, after, e);
	json_decref(after);
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

static json_t *request_json(const struct db_result *r)
{
	json_t *o = db_row_json(r, 0);
	return o ? o : json_object();
}

enum err urge_get(struct db *db, struct arena *a, long long request_id,
		  json_t **out, struct error *e)
{
	struct db_result *r;
	enum err err = pvdb_request_get(db, a, request_id, &r, e);
	if (!err)
		*out = request_json(r);
	return err;
}

enum err urge_answer(struct db *db, struct arena *a, const struct actor *who,
		     long long request_id, const char *answer,
		     struct field_problems *fp, struct error *e)
{
	const char *text = text_field(a, answer, "answer",
				      "Vui lòng nhập nội dung trả lời.", fp);
	if (!text)
		return error_set(e, ERR_INVALID, "request %lld: %s", request_id,
				 fp && fp->n ? fp->list[0].msg_en
					     : "bad answer");
	enum err err = db_begin(db, e);
	if (err)
		return err;
	struct db_result *r;
	err = pvdb_request_get(db, a, request_id, &r, e);
	if (err)
		return fail(db, err);
	const char *now = clock_now_iso(a);
	err = pvdb_request_answer(db, a, request_id, text, who->user_id, now,
				  e);
	if (err)
		return fail(db, err);
	long long sender = db_get_int(r, 0, "sent_by", 0);
	if (sender) {
		const char *title =
			arena_printf(a, "Đã trả lời %s: %s",
				     strcmp(db_get(r, 0, "kind"), "explanation")
					     ? "nhắc việc"
					     : "yêu cầu giải trình",
				     db_get(r, 0, "task_title"));
		const char *link =
			arena_printf(a, "/plan/requests#r%lld", request_id);
		err = title && link ? notify_user(db, a, sender, "task.answer",
						  title, text, link, e)
				    : error_set(e, ERR_NOMEM, "out of memory");
	}
	json_t *before = json_pack("{s:n}", "answer");
	json_t *after =
		json_pack("{s:s, s:s}", "answer", text, "answered_at", now);
	if (!err)
		err = audit_actor(db, a, who, "task_request.answer",
				  "task_request", request_id, before, after, e);
	json_decref(before);
	json_decref(after);
	if (err)
		return fail(db, err);
	return db_commit(db, e);
}

enum err urge_may_answer(struct db *db, struct arena *a, long long user_id,
			 long long request_id, bool *may, struct error *e)
{
	*may = false;
	struct db_result *r;
	enum err err = pvdb_request_get(db, a, request_id, &r, e);
	if (err)
		return err;
	if (user_id && db_get_int(r, 0, "responsible_user_id", 0) == user_id) {
		*may = true;
		return ERR_OK;
	}
	return is_head(db, a, user_id, db_get_int(r, 0, "unit_id", 0), may, e);
}
