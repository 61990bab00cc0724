/* Citizen reception (tiếp công dân): the schedule the office keeps (a
 * regular weekly session made for several weeks at once, or one ad-hoc
 * session), each session's register of visitors and what they raised,
 * with "open a case" from a visit (the case form prefilled, the case
 * linked back to the visit), and the published schedule for citizens.
 *
 * Who: staff read the schedule and the registers; the office adds
 * sessions; the office, the chair and vice chairs (who host the sessions)
 * record visits; anyone reads /citizen/reception (dates, hours, place and
 * host only: never a visitor). */
#include <stdlib.h>
#include <string.h>
#include "voice.h"
#include "voice_http.h"
#include "voice_public.h"
#include "voice_staff_db.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../base/banned.h"

#define T_SCHEDULE "voice/reception"
#define T_SESSION "voice/reception_session"
#define T_PUBLIC "voice/reception_public"

#define STAFF_ROLES                                                            \
	(ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE | ROLE_UNIT_HEAD |         \
	 ROLE_OFFICER)
#define REGISTER_ROLES (ROLE_OFFICE | ROLE_CHAIR | ROLE_VICE_CHAIR)

enum {
	WEEKS_MAX = 26,    /* a regular session made for half a year at most */
	PAST_DAYS = 28,    /* the schedule shows the last four weeks */
	AHEAD_DAYS = 182,  /* and half a year ahead */
	PUBLIC_AHEAD = 92, /* the public page: three months ahead */
};

static struct actor actor_of(const struct request *req)
{
	return (struct actor){req->user ? req->user->id : 0,
			      req->user ? req->user->username : "",
			      req->remote_addr ? req->remote_addr : ""};
}

static const char *trimmed(struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	v = text_trim(req->arena, v ? v : "");
	return v ? v : "";
}

static long long id_param(struct request *req, const char *name)
{
	const char *v = trimmed(req, name);
	if (!*v)
		return 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	return *end || n <= 0 ? -1 : n;
}

static json_t *errors_json(const struct field_problems *fp)
{
	json_t *o = json_object();
	for (int i = 0; i < fp->n; i++)
		if (!json_object_get(o, fp->list[i].field))
			json_object_set_new(o, fp->list[i].field,
					    json_string(fp->list[i].msg_vi));
	return o;
}

static const char *day_iso(struct request *req, struct date d)
{
	char buf[11];
	date_format_iso(d, buf);
	return arena_strdup(req->arena, buf);
}

static const char *weekday_vi(const char *iso)
{
	static const char *const names[] = {"Thứ Hai", "Thứ Ba",  "Thứ Tư",
					    "Thứ Năm", "Thứ Sáu", "Thứ Bảy",
					    "Chủ nhật"};
	struct date d;
	if (!iso || !date_parse_iso(iso, &d))
		return "";
	return names[date_weekday(d) - 1];
}

/* Weekday, past/today marks on each session of a list. */
static void decorate(struct request *req, json_t *sessions)
{
	const char *today = day_iso(req, clock_today_vn());
	size_t i;
	json_t *s;
	json_array_foreach(sessions, i, s)
	{
		const char *on =
			json_string_value(json_object_get(s, "held_on"));
		json_object_set_new(s, "weekday_vi",
				    json_string(weekday_vi(on)));
		json_object_set_new(s, "past",
				    json_boolean(on && strcmp(on, today) < 0));
		json_object_set_new(s, "is_today",
				    json_boolean(on && !strcmp(on, today)));
		json_object_set_new(
			s, "adhoc",
			json_boolean(!strcmp(
				json_string_value(json_object_get(s, "kind"))
					? json_string_value(
						  json_object_get(s, "kind"))
					: "",
				"adhoc")));
		json_object_set_new(s, "nvisits",
				    json_integer((json_int_t)json_array_size(
					    json_object_get(s, "visits"))));
	}
}

/* The commune whose schedule the user keeps: the commune of their own
 * unit (the one in force; the user's list also holds the communes merged
 * into it), else the last of their communes. */
static enum err user_commune(struct request *req, long long *commune,
			     struct error *e)
{
	long long *ids = NULL;
	int n = 0;
	*commune = 0;
	enum err err = plan_user_communes(req, &ids, &n, e);
	if (!err)
		*commune = voice_pick_commune(req, ids, n, 0);
	return err;
}

static bool commune_is_users(struct request *req, long long commune)
{
	long long *ids = NULL;
	int n = 0;
	struct error e = {0};
	if (plan_user_communes(req, &ids, &n, &e))
		return false;
	for (int i = 0; i < n; i++)
		if (ids[i] == commune)
			return true;
	return false;
}

/* The chair and vice chairs who host the sessions: [{id, full_name,
 * selected}]. */
static enum err host_options(struct request *req, long long sel, json_t **out,
			     struct error *e)
{
	static const char *const roles[] = {"chair", "vice_chair"};
	*out = json_array();
	for (size_t r = 0; r < sizeof roles / sizeof *roles; r++) {
		struct user_filter f = {.role = roles[r], .active = 1};
		json_t *list = NULL;
		enum err err = users_list(req->db, req->arena, &f, &list, e);
		if (err) {
			json_decref(*out);
			*out = NULL;
			return err;
		}
		size_t i;
		json_t *u;
		json_array_foreach(list, i, u)
		{
			long long id =
				json_integer_value(json_object_get(u, "id"));
			const char *name = json_string_value(
				json_object_get(u, "full_name"));
			json_array_append_new(
				*out, json_pack("{s:I, s:s, s:s, s:b}", "id",
						(json_int_t)id, "full_name",
						name ? name : "", "role_vi",
						r ? "Phó Chủ tịch" : "Chủ tịch",
						"selected", id == sel));
		}
		json_decref(list);
	}
	return ERR_OK;
}

static enum err schedule_page(struct request *req, struct response *res,
			      const struct field_problems *fp)
{
	struct error e = {0};
	long long commune;
	enum err err = user_commune(req, &commune, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune)
		return res_error(req, res, 403,
				 "Tài khoản của bạn không thuộc xã nào.");
	struct date today = clock_today_vn();
	const char *from =
		day_iso(req, date_from_days(date_to_days(today) - PAST_DAYS));
	const char *to =
		day_iso(req, date_from_days(date_to_days(today) + AHEAD_DAYS));
	json_t *sessions = NULL, *hosts = NULL;
	err = reception_list(req->db, req->arena, commune, from, to, &sessions,
			     &e);
	bool manage = voice_can_manage(req);
	if (!err && manage)
		err = host_options(req, id_param(req, "host_id"), &hosts, &e);
	if (err) {
		json_decref(sessions);
		return res_fail(req, res, err, &e);
	}
	decorate(req, sessions);
	/* the form's defaults: the rule most communes keep, next Thursday
	 * 07:30-11:00 at the commune office, hosted by the chair */
	int wd = date_weekday(today);
	struct date thursday =
		date_from_days(date_to_days(today) + ((4 - wd + 7) % 7));
	json_t *defaults =
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "held_on",
			  text_format_date(req->arena, day_iso(req, thursday)),
			  "starts", "07:30", "ends", "11:00", "place",
			  "Trụ sở UBND xã", "weeks", "4", "kind", "regular");
	/* on a phone the coming sessions come first; the past ones after,
	 * the latest first */
	json_t *past = json_array();
	for (size_t i = json_array_size(sessions); i-- > 0;) {
		json_t *x = json_array_get(sessions, i);
		if (json_is_true(json_object_get(x, "past"))) {
			json_array_append(past, x);
			json_array_remove(sessions, i);
		}
	}
	json_t *ctx = json_pack(
		"{s:o, s:o, s:o, s:b, s:I, s:o}", "sessions", sessions, "past",
		past, "hosts", hosts ? hosts : json_array(), "can_manage",
		manage, "commune_id", (json_int_t)commune, "values", defaults);
	if (fp && fp->n)
		return res_invalid(req, res, T_SCHEDULE, "Lịch tiếp công dân",
				   ctx, errors_json(fp));
	return res_page(req, res, 200, T_SCHEDULE, "Lịch tiếp công dân", ctx);
}

static enum err get_schedule(struct request *req, struct response *res)
{
	return schedule_page(req, res, NULL);
}

/* A session, or a regular one repeated every week for `weeks` weeks. */
static enum err post_schedule(struct request *req, struct response *res)
{
	struct error e = {0};
	long long commune;
	enum err err = user_commune(req, &commune, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune)
		return res_error(req, res, 403,
				 "Tài khoản của bạn không thuộc xã nào.");
	struct field_problems fp = {0};
	long long weeks = id_param(req, "weeks");
	const char *kind = trimmed(req, "kind");
	if (!*kind)
		kind = "regular";
	if (weeks == 0 || strcmp(kind, "regular"))
		weeks = 1;
	if (weeks < 0 || weeks > WEEKS_MAX) {
		fp.list[fp.n++] =
			(struct field_problem){"weeks", "weeks must be 1-26",
					       "Số tuần phải từ 1 đến 26."};
		return schedule_page(req, res, &fp);
	}
	long long host = id_param(req, "host_id");
	struct date first;
	bool dated = text_parse_date(trimmed(req, "held_on"), &first);
	struct actor who = actor_of(req);
	json_t *ids = json_array();
	for (long long w = 0; w < weeks; w++) {
		struct reception_session s = {
			.commune_id = commune,
			.host_id = host > 0 ? host : 0,
			.held_on = dated ? day_iso(req,
						   date_from_days(
							   date_to_days(first) +
							   7 * w))
					 : trimmed(req, "held_on"),
			.starts = trimmed(req, "starts"),
			.ends = trimmed(req, "ends"),
			.place = trimmed(req, "place"),
			.host_name = trimmed(req, "host_name"),
			.kind = kind,
			.note = trimmed(req, "note"),
		};
		err = reception_save(req->db, req->arena, &who, &s, &fp, &e);
		if (err == ERR_INVALID && w == 0) {
			json_decref(ids);
			return schedule_page(req, res, &fp);
		}
		if (err) {
			json_decref(ids);
			return res_fail(req, res, err, &e);
		}
		json_array_append_new(ids, json_integer(s.id));
	}
	const char *flash =
		weeks > 1 ? arena_printf(req->arena,
					 "Đã thêm %lld buổi tiếp công dân.",
					 weeks)
			  : "Đã thêm buổi tiếp công dân.";
	return res_done(req, res, "/voice/reception", flash,
			json_pack("{s:o}", "ids", ids));
}

/* The session of route argument 0 and its visits, which the user's
 * commune must hold. */
static enum err load_session(struct request *req, struct response *res,
			     json_t **session, bool *done)
{
	struct error e = {0};
	struct reception_session s;
	long long id = req_arg_id(req, 0);
	*done = true;
	*session = NULL;
	if (id <= 0)
		return res_error(req, res, 404, NULL);
	enum err err = vsdb_session_get(req->db, req->arena, id, &s, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune_is_users(req, s.commune_id))
		return res_error(req, res, 404, NULL);
	json_t *list = NULL;
	err = reception_list(req->db, req->arena, s.commune_id, s.held_on,
			     s.held_on, &list, &e);
	if (err)
		return res_fail(req, res, err, &e);
	decorate(req, list);
	size_t i;
	json_t *x;
	json_array_foreach(
		list, i, x) if (json_integer_value(json_object_get(x, "id")) ==
				id) *session = json_incref(x);
	json_decref(list);
	if (!*session)
		return res_error(req, res, 404, NULL);
	json_object_set_new(*session, "commune_id", json_integer(s.commune_id));
	*done = false;
	return ERR_OK;
}

static enum err session_page(struct request *req, struct response *res,
			     json_t *session, const struct field_problems *fp)
{
	struct error e = {0};
	long long commune =
		json_integer_value(json_object_get(session, "commune_id"));
	json_t *all = NULL;
	enum err err =
		plan_unit_choices(req->db, req->arena, commune, &all, &e);
	if (err) {
		json_decref(session);
		return res_fail(req, res, err, &e);
	}
	long long sel = id_param(req, "village_id");
	json_t *villages = json_array();
	size_t i;
	json_t *u;
	json_array_foreach(all, i, u)
	{
		const char *kind =
			json_string_value(json_object_get(u, "kind"));
		if (!kind || strcmp(kind, "village") ||
		    json_is_string(json_object_get(u, "valid_to")))
			continue;
		long long id = json_integer_value(json_object_get(u, "id"));
		json_array_append_new(villages,
				      json_pack("{s:I, s:O, s:b}", "id",
						(json_int_t)id, "name",
						json_object_get(u, "name"),
						"selected", id == sel));
	}
	json_decref(all);
	bool can_register = req->user && (req->user->roles & REGISTER_ROLES);
	json_t *visits = json_object_get(session, "visits");
	json_t *v;
	json_array_foreach(visits, i, v) json_object_set_new(
		v, "can_open",
		json_boolean(
			voice_can_manage(req) &&
			!json_integer_value(json_object_get(v, "case_id"))));
	const char *title = arena_printf(
		req->arena, "Tiếp công dân ngày %s",
		json_string_value(json_object_get(session, "held_on_vi")));
	json_t *ctx =
		json_pack("{s:o, s:o, s:b, s:b}", "session", session,
			  "villages", villages, "can_register", can_register,
			  "can_open_case", voice_can_manage(req));
	if (fp && fp->n)
		return res_invalid(req, res, T_SESSION, title, ctx,
				   errors_json(fp));
	return res_page(req, res, 200, T_SESSION, title, ctx);
}

static enum err get_session(struct request *req, struct response *res)
{
	json_t *session;
	bool done;
	enum err err = load_session(req, res, &session, &done);
	if (done)
		return err;
	return session_page(req, res, session, NULL);
}

static enum err post_visit(struct request *req, struct response *res)
{
	json_t *session;
	bool done;
	enum err err = load_session(req, res, &session, &done);
	if (done)
		return err;
	struct field_problems fp = {0};
	long long village = id_param(req, "village_id");
	if (village < 0) {
		fp.list[fp.n++] =
			(struct field_problem){"village_id", "unknown village",
					       "Chọn thôn trong danh sách."};
		return session_page(req, res, session, &fp);
	}
	struct reception_visit v = {
		.session_id =
			json_integer_value(json_object_get(session, "id")),
		.village_id = village,
		.visitor_name = trimmed(req, "visitor_name"),
		.visitor_phone = trimmed(req, "visitor_phone"),
		.visitor_address = trimmed(req, "visitor_address"),
		.summary = trimmed(req, "summary"),
	};
	struct actor who = actor_of(req);
	struct error e = {0};
	err = reception_visit_add(req->db, req->arena, &who, &v, &fp, &e);
	if (err == ERR_INVALID)
		return session_page(req, res, session, &fp);
	json_decref(session);
	if (err)
		return res_fail(req, res, err, &e);
	/* "record and open a case": on to the case form, prefilled */
	bool open = *trimmed(req, "open_case") && voice_can_manage(req);
	const char *next =
		open ? arena_printf(req->arena, "/voice/new?visit_id=%lld",
				    v.id)
		     : arena_printf(req->arena, "/voice/reception/%lld",
				    v.session_id);
	return res_done(req, res, next,
			open ? "Đã ghi vào sổ. Nhập hồ sơ từ lượt tiếp này."
			     : "Đã ghi vào sổ tiếp công dân.",
			json_pack("{s:I, s:I, s:s}", "id", (json_int_t)v.id,
				  "session_id", (json_int_t)v.session_id,
				  "next", next));
}

/* ---- the published schedule ---- */

static enum err get_public(struct request *req, struct response *res)
{
	struct error e = {0};
	struct unit u;
	enum err err = voice_public_commune(req, "xa", &u, &e);
	if (err)
		return res_fail(req, res, err, &e);
	struct date today = clock_today_vn();
	json_t *list = NULL;
	err = reception_list(req->db, req->arena, u.id, day_iso(req, today),
			     day_iso(req, date_from_days(date_to_days(today) +
							 PUBLIC_AHEAD)),
			     &list, &e);
	if (err)
		return res_fail(req, res, err, &e);
	decorate(req, list);
	/* the public sees when and where, never who came */
	json_t *sessions = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s)
	{
		static const char *const keep[] = {
			"id",     "held_on", "held_on_vi", "weekday_vi",
			"starts", "ends",    "place",      "host_name",
			"kind",   "adhoc",   "note",       "is_today"};
		json_t *x = json_object();
		for (size_t k = 0; k < sizeof keep / sizeof *keep; k++)
			if (json_object_get(s, keep[k]))
				json_object_set(x, keep[k],
						json_object_get(s, keep[k]));
		json_array_append_new(sessions, x);
	}
	json_decref(list);
	json_t *ctx =
		json_pack("{s:o, s:{s:I, s:s, s:s, s:s}}", "sessions", sessions,
			  "commune", "id", (json_int_t)u.id, "code",
			  u.code ? u.code : "", "name", u.name ? u.name : "",
			  "full_name", u.full_name ? u.full_name : "");
	return res_page(req, res, 200, T_PUBLIC, "Lịch tiếp công dân", ctx);
}

void reception_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/voice/reception", get_schedule, STAFF_ROLES, "voice"},
		{"POST", "/voice/reception", post_schedule, ROLE_OFFICE,
		 "voice"},
		{"GET", "/voice/reception/{id}", get_session, STAFF_ROLES,
		 "voice"},
		{"POST", "/voice/reception/{id}/visits", post_visit,
		 REGISTER_ROLES, "voice"},
		{"GET", "/citizen/reception", get_public, ROLE_PUBLIC, NULL},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
