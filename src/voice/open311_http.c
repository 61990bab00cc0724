/* Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), JSON only:
 * a request for .xml gets 400 "json only". Services are our topics
 * (service_code = topic code, group = the PAPI dimension's name); a POST
 * makes a feedback case (phản ánh) of channel "open311": with an api_key
 * (an API token of a user, people/tokens) as that user, else as nobody and
 * rate-limited per address like the citizen form. The answer carries the
 * case code as service_request_id and as token, and the secret in
 * service_notice (shown to that client only, once).
 *
 * What is public: feedback and petitions only (complaints and
 * denunciations are about people), never a name, phone or address; a
 * case's description and the answer (status_notes) only once staff have
 * published it (texts may hold personal details), else status_notes is the
 * status in Vietnamese. Pagination is ours (the spec leaves it open): page
 * (from 1) and page_size (default 50, at most 200); without dates or ids,
 * the last 90 days, as the spec suggests. Errors: [{code, description}]
 * with the HTTP status as code. The handlers never act as the session
 * cookie's user (this prefix is exempt from CSRF: see http/csrf.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "voice.h"
#include "voice_http.h"
#include "voice_public.h"
#include "voice_public_db.h"
#include "rate_limit.h"
#include "voice_submit.h"
#include "../base/clock.h"
#include "../base/config.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../http/session_db.h"
#include "../base/banned.h"

enum { PAGE_SIZE = 50, PAGE_SIZE_MAX = 200, DEFAULT_DAYS = 90 };

static const char *dimension_vi(const char *d)
{
	static const char *names[] = {
		"Tham gia của người dân ở cấp cơ sở",
		"Công khai, minh bạch trong việc ra quyết định",
		"Trách nhiệm giải trình với người dân",
		"Kiểm soát tham nhũng trong khu vực công",
		"Thủ tục hành chính công",
		"Cung ứng dịch vụ công",
		"Quản trị môi trường",
		"Quản trị điện tử",
	};
	if (d && d[0] == 'D' && d[1] >= '1' && d[1] <= '8' && !d[2])
		return names[d[1] - '1'];
	return "";
}

/* res_json with coordinates printed to 10 significant digits
 * (20.9, not 20.899999999999999). body is stolen. */
static enum err o311_json(struct request *req, struct response *res, int status,
			  json_t *body)
{
	if (!body)
		return ERR_NOMEM;
	char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(body);
	if (!s)
		return ERR_NOMEM;
	res->body = arena_strdup(req->arena, s);
	free(s);
	if (!res->body)
		return ERR_NOMEM;
	res->len = strlen(res->body);
	res->status = status;
	res->content_type = "application/json; charset=utf-8";
	return ERR_OK;
}

static enum err o311_error(struct request *req, struct response *res,
			   int status, const char *description)
{
	return o311_json(req, res, status,
			 json_pack("[{s:i, s:s}]", "code", status,
				   "description", description));
}

/* ".json" ends the last segment; anything else is 400. */
static bool json_suffix(const char *seg, const char **stem, struct arena *a)
{
	size_t n = seg ? strlen(seg) : 0;
	if (n < 6 || strcmp(seg + n - 5, ".json"))
		return false;
	*stem = arena_strndup(a, seg, n - 5);
	return *stem != NULL;
}

static enum err json_only(struct request *req, struct response *res)
{
	return o311_error(req, res, 400,
			  "json only: this endpoint answers .json requests");
}

static enum err fail(struct request *req, struct response *res, enum err err,
		     const struct error *e)
{
	if (err == ERR_NOTFOUND)
		return o311_error(req, res, 404, "not found");
	log_error("open311 failed", "path=\"%s\" error=\"%s\"", req->path,
		  e->msg);
	return o311_error(req, res, 500, "internal error");
}

/* ---- discovery, services ---- */

static enum err get_discovery(struct request *req, struct response *res)
{
	const char *url = arena_printf(req->arena, "%s/open311/v2",
				       http_config()->public_url);
	return o311_json(
		req, res, 200,
		json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s]}]}",
			  "changeset", "2026-11-27T00:00:00+07:00", "contact",
			  "Văn phòng UBND xã (bộ phận tiếp nhận phản ánh, "
			  "kiến nghị)",
			  "key_service",
			  "api_key: an API token made by the commune office "
			  "(Tài khoản > Mã truy cập API); optional",
			  "endpoints", "specification",
			  "http://wiki.open311.org/GeoReport_v2", "url", url,
			  "changeset", "2026-11-27T00:00:00+07:00", "type",
			  "production", "formats", "application/json"));
}

static json_t *service_json(json_t *t)
{
	const char *dim = json_string_value(json_object_get(t, "dimension"));
	const char *name = json_string_value(json_object_get(t, "name_vi"));
	const char *en = json_string_value(json_object_get(t, "name_en"));
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code",
			 json_string_value(json_object_get(t, "code")),
			 "service_name", name ? name : "", "description",
			 en ? en : "", "metadata", 0, "type", "realtime",
			 "keywords", dim ? dim : "", "group",
			 dimension_vi(dim));
}

static enum err get_services(struct request *req, struct response *res)
{
	struct error e = {0};
	json_t *topics, *out = json_array();
	enum err err = voice_topics(req->db, req->arena, &topics, &e);
	if (err) {
		json_decref(out);
		return fail(req, res, err, &e);
	}
	size_t i;
	json_t *t;
	json_array_foreach(topics, i, t)
		json_array_append_new(out, service_json(t));
	json_decref(topics);
	return o311_json(req, res, 200, out);
}

/* The active topic with this code (a borrowed row of *topics, which the
 * caller releases), or NULL. */
static json_t *topic_by_code(struct request *req, const char *code,
			     json_t **topics, struct error *e)
{
	*topics = NULL;
	if (voice_topics(req->db, req->arena, topics, e))
		return NULL;
	size_t i;
	json_t *t;
	json_array_foreach(*topics, i, t)
	{
		const char *c = json_string_value(json_object_get(t, "code"));
		if (code && c && !strcmp(c, code))
			return t;
	}
	return NULL;
}

static enum err get_service(struct request *req, struct response *res)
{
	struct error e = {0};
	const char *code;
	if (!json_suffix(req->route_args[0], &code, req->arena))
		return json_only(req, res);
	json_t *topics;
	json_t *t = topic_by_code(req, code, &topics, &e);
	if (!t) {
		json_decref(topics);
		return o311_error(req, res, 404, "service_code not found");
	}
	json_t *out =
		json_pack("{s:s, s:[]}", "service_code", code, "attributes");
	json_decref(topics);
	return o311_json(req, res, 200, out);
}

/* ---- requests ---- */

static const char *str_or(const char *s)
{
	return s ? s : "";
}

/* "2026-11-27T08:00:00Z" (UTC) -> "2026-11-27T15:00:00+07:00". */
static json_t *vn_time(struct arena *a, const char *iso_utc)
{
	time_t t;
	if (!iso_utc || !clock_parse_iso(iso_utc, &t))
		return json_null();
	t += 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[40];
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
	(void)a;
	return json_string(buf);
}

/* An Open311 time (ISO 8601 with an offset, or a date) as our UTC text,
 * or NULL when it does not parse. */
static const char *utc_of(struct arena *a, const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	char sign = 'Z';
	if (!s || sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3)
		return NULL;
	size_t n = strlen(s);
	if (n > 10) {
		if (sscanf(s + 10, "T%2d:%2d:%2d", &h, &mi, &sec) < 2)
			return NULL;
		const char *z = strpbrk(s + 11, "Z+-");
		if (z && *z != 'Z') {
			sign = *z;
			if (sscanf(z + 1, "%2d:%2d", &oh, &om) < 1)
				return NULL;
		}
	} else {
		/* a date alone: the day in Vietnam */
		sign = '+', oh = 7;
	}
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = sec};
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return NULL;
	long off = (oh * 60L + om) * 60;
	t += sign == '+' ? -off : sign == '-' ? off : 0;
	char buf[21];
	clock_format_iso(t, buf);
	return arena_strdup(a, buf);
}

static json_t *request_json(struct request *req, json_t *row)
{
	struct arena *a = req->arena;
	const char *status = json_string_value(json_object_get(row, "status"));
	bool published =
		json_integer_value(json_object_get(row, "published")) != 0;
	const char *answer = json_string_value(json_object_get(row, "answer"));
	const char *title = json_string_value(json_object_get(row, "title"));
	const char *body = json_string_value(json_object_get(row, "body"));
	const char *unit = json_string_value(json_object_get(row, "unit_name"));
	const char *village =
		json_string_value(json_object_get(row, "village_name"));
	const char *due = json_string_value(json_object_get(row, "due_on"));
	const char *notes =
		published && answer ? answer : case_status_label_vi(status);
	const char *desc = "";
	if (published)
		desc = title && *title ? title : body ? body : "";
	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s}",
		"service_request_id",
		json_string_value(json_object_get(row, "code")), "status",
		case_open311_status(status), "status_notes", notes ? notes : "",
		"service_name",
		str_or(json_string_value(json_object_get(row, "topic_vi"))),
		"service_code",
		str_or(json_string_value(json_object_get(row, "topic_code"))),
		"description", desc, "agency_responsible",
		unit && *unit ? unit : "UBND xã", "requested_datetime",
		vn_time(a,
			json_string_value(json_object_get(row, "created_at"))),
		"updated_datetime",
		vn_time(a,
			json_string_value(json_object_get(row, "updated_at"))),
		"address", village && *village ? village : "");
	if (!o)
		return NULL;
	json_object_set_new(
		o, "expected_datetime",
		due ? json_string(arena_printf(a, "%sT17:00:00+07:00", due))
		    : json_null());
	json_t *lat = json_object_get(row, "lat"),
	       *lon = json_object_get(row, "lon");
	if (json_is_number(lat) && json_is_number(lon)) {
		json_object_set_new(o, "lat",
				    json_real(json_number_value(lat)));
		json_object_set_new(o, "long",
				    json_real(json_number_value(lon)));
	}
	json_object_set_new(o, "media_url", json_string(""));
	return o;
}

static enum err list(struct request *req, struct response *res,
		     struct vpub_filter *f)
{
	struct error e = {0};
	json_t *rows, *out = json_array();
	long long total;
	enum err err = vpub_requests(req->db, req->arena, f, &rows, &total, &e);
	if (err) {
		json_decref(out);
		return fail(req, res, err, &e);
	}
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
		json_array_append_new(out, request_json(req, row));
	json_decref(rows);
	long long pages = total ? (total + f->page_size - 1) / f->page_size : 1;
	res_header(res, "X-Total-Count",
		   arena_printf(req->arena, "%lld", total));
	res_header(res, "X-Page-Count",
		   arena_printf(req->arena, "%lld", pages));
	return o311_json(req, res, 200, out);
}

static int int_param(const struct request *req, const char *name, int dflt,
		     int min, int max, bool *bad)
{
	const char *v = req_param(req, name);
	if (!v || !*v)
		return dflt;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < min || n > max) {
		*bad = true;
		return dflt;
	}
	return (int)n;
}

static enum err get_requests(struct request *req, struct response *res)
{
	struct vpub_filter f = {0};
	bool bad = false;
	f.page = int_param(req, "page", 1, 1, 1000000, &bad);
	f.page_size =
		int_param(req, "page_size", PAGE_SIZE, 1, PAGE_SIZE_MAX, &bad);
	if (bad)
		return o311_error(req, res, 400,
				  "page must be 1 or more, page_size 1 to 200");
	const char *jur = req_param(req, "jurisdiction_id");
	if (jur && *jur) {
		struct unit u;
		struct error e = {0};
		if (voice_public_commune(req, "jurisdiction_id", &u, &e))
			return o311_error(req, res, 404,
					  "jurisdiction_id not found");
		f.commune_id = u.id;
	}
	const char *ids = req_param(req, "service_request_id");
	static const char *codes[VPUB_CODES_MAX];
	const char **cl = arena_alloc(req->arena, sizeof codes);
	if (!cl)
		return ERR_NOMEM;
	if (ids && *ids) {
		char *copy = arena_strdup(req->arena, ids);
		for (char *p = copy; p && *p;) {
			char *comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			char *t = text_trim(req->arena, p);
			if (t && *t) {
				if (f.ncodes == VPUB_CODES_MAX)
					return o311_error(req, res, 400,
							  "at most 100 "
							  "service_request_id");
				cl[f.ncodes++] = t;
			}
			p = comma ? comma + 1 : NULL;
		}
		f.codes = cl;
	}
	const char *sc = req_param(req, "service_code");
	if (sc && *sc)
		f.topic_code = sc;
	const char *st = req_param(req, "status");
	if (st && *st) {
		bool open = strstr(st, "open") != NULL,
		     closed = strstr(st, "closed") != NULL;
		if (!open && !closed)
			return o311_error(req, res, 400,
					  "status must be open or closed");
		if (open != closed)
			f.open311_status = open ? "open" : "closed";
	}
	const char *sd = req_param(req, "start_date"),
		   *ed = req_param(req, "end_date");
	if (sd && *sd && !(f.start = utc_of(req->arena, sd)))
		return o311_error(req, res, 400,
				  "start_date: expected ISO 8601");
	if (ed && *ed && !(f.end = utc_of(req->arena, ed)))
		return o311_error(req, res, 400, "end_date: expected ISO 8601");
	if (!f.start && !f.end && !f.ncodes) {
		char buf[21];
		clock_format_iso(clock_now() - DEFAULT_DAYS * 86400L, buf);
		f.start = arena_strdup(req->arena, buf);
	}
	return list(req, res, &f);
}

static enum err get_request(struct request *req, struct response *res)
{
	const char *code;
	if (!json_suffix(req->route_args[0], &code, req->arena))
		return json_only(req, res);
	struct vpub_filter f = {
		.codes = &code, .ncodes = 1, .page = 1, .page_size = 1};
	struct error e = {0};
	json_t *rows;
	long long total;
	enum err err =
		vpub_requests(req->db, req->arena, &f, &rows, &total, &e);
	if (err)
		return fail(req, res, err, &e);
	if (!json_array_size(rows)) {
		json_decref(rows);
		return o311_error(req, res, 404,
				  "service_request_id not found");
	}
	json_t *out = json_array();
	json_array_append_new(out, request_json(req, json_array_get(rows, 0)));
	json_decref(rows);
	return o311_json(req, res, 200, out);
}

static enum err get_token(struct request *req, struct response *res)
{
	const char *token;
	if (!json_suffix(req->route_args[0], &token, req->arena))
		return json_only(req, res);
	struct vpub_filter f = {
		.codes = &token, .ncodes = 1, .page = 1, .page_size = 1};
	struct error e = {0};
	json_t *rows;
	long long total;
	enum err err =
		vpub_requests(req->db, req->arena, &f, &rows, &total, &e);
	if (err)
		return fail(req, res, err, &e);
	size_t n = json_array_size(rows);
	json_decref(rows);
	if (!n)
		return o311_error(req, res, 404, "token not found");
	return o311_json(req, res, 200,
			 json_pack("[{s:s, s:s}]", "service_request_id", token,
				   "token", token));
}

/* The api_key's user, or NULL (anonymous). *bad when a key was given
 * that is unknown or revoked. */
static struct user *api_key_user(struct request *req, bool *bad,
				 struct error *e)
{
	*bad = false;
	const char *key = req_param(req, "api_key");
	if (!key || !*key)
		return NULL;
	struct user *u = NULL;
	const char *last_used;
	const char *hash =
		strlen(key) <= 512 ? http_token_hash(req->arena, key) : NULL;
	if (!hash || sessdb_token(req->db, req->arena, hash, &u, &last_used, e))
		*bad = true;
	return *bad ? NULL : u;
}

static double coord(const struct request *req, const char *name, bool *bad)
{
	const char *v = req_param(req, name);
	if (!v || !*v)
		return NAN;
	char *end;
	double d = strtod(v, &end);
	if (*end || !isfinite(d))
		*bad = true;
	return d;
}

static enum err post_requests(struct request *req, struct response *res)
{
	struct error e = {0};
	bool bad;
	struct user *u = api_key_user(req, &bad, &e);
	if (bad)
		return o311_error(req, res, 403, "api_key invalid or revoked");
	struct unit commune;
	if (voice_public_commune(req, "jurisdiction_id", &commune, &e))
		return o311_error(req, res, 404, "jurisdiction_id not found");
	const char *code = req_param(req, "service_code");
	if (!code || !*code)
		return o311_error(req, res, 400, "service_code required");
	json_t *topics;
	json_t *t = topic_by_code(req, code, &topics, &e);
	long long topic_id =
		t ? json_integer_value(json_object_get(t, "id")) : 0;
	json_decref(topics);
	if (!topic_id)
		return o311_error(req, res, 404, "service_code not found");
	bool badc = false;
	double lat = coord(req, "lat", &badc), lon = coord(req, "long", &badc);
	if (badc || isnan(lat) != isnan(lon) ||
	    (!isnan(lat) && (lat < -90 || lat > 90 || lon < -180 || lon > 180)))
		return o311_error(req, res, 400,
				  "lat and long: both, as decimal degrees");
	const char *addr = req_param(req, "address_string");
	const char *desc = req_param(req, "description");
	if (isnan(lat) && (!addr || !*addr))
		return o311_error(req, res, 400,
				  "location required: lat and long, or "
				  "address_string");
	long retry;
	if (!u && !rate_limit_submission(req->remote_addr, &retry)) {
		enum err err = o311_error(
			req, res, 429, "too many requests from this address");
		res_header(res, "Retry-After",
			   arena_printf(req->arena, "%ld", retry));
		return err;
	}
	struct voice_case c = {0};
	c.commune_id = commune.id;
	c.case_type = "feedback";
	c.topic_id = topic_id;
	c.channel = "open311";
	c.portal_id = "";
	c.title = "";
	c.body = text_trim(req->arena, desc ? desc : "");
	if (addr && *addr)
		c.body = arena_printf(req->arena, "%s\n\nĐịa điểm: %s", c.body,
				      text_trim(req->arena, addr));
	const char *fn = req_param(req, "first_name"),
		   *ln = req_param(req, "last_name");
	c.citizen_name =
		text_trim(req->arena, arena_printf(req->arena, "%s %s",
						   fn ? fn : "", ln ? ln : ""));
	const char *phone = req_param(req, "phone");
	c.citizen_phone = phone ? text_trim(req->arena, phone) : "";
	c.citizen_address = "";
	c.lat = lat;
	c.lon = lon;
	struct actor who = {u ? u->id : 0, u ? u->username : "open311",
			    req->remote_addr};
	struct field_problems fp = {0};
	const char *secret = NULL;
	enum err err = voice_submit(req->db, req->arena, &who, &c, NULL, 0,
				    &secret, &fp, &e);
	if (err == ERR_INVALID) {
		if (!u)
			rate_limit_give_back(req->remote_addr, clock_now());
		const char *field = fp.n ? fp.list[0].field : "";
		const char *msg = fp.n ? fp.list[0].msg_en : e.msg;
		if (!strcmp(field, "body"))
			field = "description";
		return o311_error(req, res, 400,
				  arena_printf(req->arena, "%s: %s", field,
					       msg ? msg : "invalid"));
	}
	if (err) {
		if (!u)
			rate_limit_give_back(req->remote_addr, clock_now());
		return fail(req, res, err, &e);
	}
	char *notice = arena_printf(
		req->arena,
		"UBND xã đã nhận phản ánh. Mã hồ sơ %s, mã bí mật %s: ghi lại "
		"để tra cứu tại /citizen/track; mã bí mật không hiển thị lại.",
		c.code, secret);
	return o311_json(req, res, 201,
			 json_pack("[{s:s, s:s, s:s, s:s}]",
				   "service_request_id", c.code, "token",
				   c.code, "service_notice", notice, "secret",
				   secret));
}

void open311_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/open311/v2/discovery.json", get_discovery,
		 ROLE_PUBLIC, NULL},
		{"GET", "/open311/v2/services.json", get_services, ROLE_PUBLIC,
		 NULL},
		{"GET", "/open311/v2/services/{code}", get_service, ROLE_PUBLIC,
		 NULL},
		{"GET", "/open311/v2/requests.json", get_requests, ROLE_PUBLIC,
		 NULL},
		{"POST", "/open311/v2/requests.json", post_requests,
		 ROLE_PUBLIC, NULL},
		{"GET", "/open311/v2/requests/{id}", get_request, ROLE_PUBLIC,
		 NULL},
		{"GET", "/open311/v2/tokens/{token}", get_token, ROLE_PUBLIC,
		 NULL},
		/* discovery.xml, services.xml, requests.xml */
		{"GET", "/open311/v2/{doc}", json_only, ROLE_PUBLIC, NULL},
		{"POST", "/open311/v2/{doc}", json_only, ROLE_PUBLIC, NULL},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
