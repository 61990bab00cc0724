/* Citizen pages, no login (voice_http.h): submit a case from a phone, the
 * receipt (code and secret shown once), follow a case with code + secret
 * and rate its answer, published answers, public statistics.
 *
 * The secret never travels in a URL: the tracking lookup and the rating
 * are POSTs (the access log writes paths without query strings anyway),
 * and the receipt reaches its page in a short-lived HttpOnly cookie that
 * the page clears as it shows it. CSRF: the http layer gives an anonymous
 * visitor a double-submit token (cookie qt_csrf echoed as csrf_token), so
 * these forms carry it like the login form does. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include "../files/attachment.h"
#include "../http/form.h"
#include "../base/banned.h"

enum { ANSWERS_PER_PAGE = 20, RECEIPT_SECONDS = 15 * 60 };

static const char *not_found_vi =
	"Không tìm thấy hồ sơ với mã hồ sơ và mã bí mật này. Vui lòng kiểm "
	"tra lại (mã gồm chữ và số, không phân biệt chữ hoa, chữ thường).";

/* The commune a public page is about: ?xa=<5-digit code>, else the
 * setting public_commune, else the demo commune 12424. */
enum err voice_public_commune(struct request *req, const char *param,
			      struct unit *u, struct error *e)
{
	const char *xa = req_param(req, param);
	if (!xa || !*xa)
		xa = people_setting_get(req->db, req->arena, "public_commune");
	if (!xa || !*xa)
		xa = "12424";
	if (strlen(xa) != 5 || strspn(xa, "0123456789") != 5)
		return error_set(e, ERR_NOTFOUND, "commune code \"%.20s\"", xa);
	enum err err = units_find(req->db, req->arena, xa, u, e);
	if (err)
		return err;
	if (!u->kind || strcmp(u->kind, "commune"))
		return error_set(e, ERR_NOTFOUND, "unit %s: not a commune", xa);
	return ERR_OK;
}

/* "UBND xã Tiên Tiến": the type in lower case, as in running text. */
static json_t *commune_json(struct arena *a, const struct unit *u)
{
	const char *t = u->type_vi && *u->type_vi ? u->type_vi : "Xã";
	char *ubnd = arena_printf(a, "UBND %s %s", t, u->name ? u->name : "");
	if (ubnd && ubnd[5] >= 'A' && ubnd[5] <= 'Z')
		ubnd[5] = (char)(ubnd[5] - 'A' + 'a');
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id,
			 "code", u->code ? u->code : "", "name",
			 u->name ? u->name : "", "full_name",
			 u->full_name ? u->full_name : "", "ubnd",
			 ubnd ? ubnd : "UBND xã");
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

static enum err fail(struct request *req, struct response *res, enum err err,
		     const struct error *e)
{
	return res_fail(req, res, err, e);
}

/* ---- submit ---- */

static const struct {
	const char *key, *label, *help;
} types[] = {
	{"feedback", "Phản ánh",
	 "Báo cho UBND xã biết một việc đang xảy ra (đường hỏng, rác thải, "
	 "mất trật tự, thái độ cán bộ…) để xã kiểm tra, xử lý."},
	{"petition", "Kiến nghị",
	 "Đề nghị UBND xã làm, sửa đổi hoặc bổ sung một việc (công trình, "
	 "chính sách, thủ tục…)."},
	{"complaint", "Khiếu nại",
	 "Đề nghị xem xét lại quyết định hoặc việc làm của UBND xã, của cán "
	 "bộ xã mà ông/bà cho là trái pháp luật, xâm phạm quyền, lợi ích "
	 "hợp pháp của mình. Cần ghi họ tên và số điện thoại."},
	{"denunciation", "Tố cáo",
	 "Báo cho cơ quan có thẩm quyền biết hành vi vi phạm pháp luật của cơ "
	 "quan, tổ chức, cá nhân. Cần ghi họ tên và số điện thoại; danh tính "
	 "người tố cáo được giữ bí mật."},
};

static bool type_known(const char *t)
{
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (t && !strcmp(t, types[i].key))
			return true;
	return false;
}

/* The form's lists: types (with what each means), topics, villages. */
static enum err submit_ctx(struct request *req, const struct unit *commune,
			   json_t **out, struct error *e)
{
	const char *chosen = req_param(req, "case_type");
	json_t *tl = json_array();
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		json_array_append_new(
			tl, json_pack("{s:s, s:s, s:s, s:b, s:b}", "key",
				      types[i].key, "label", types[i].label,
				      "help", types[i].help, "checked",
				      chosen && !strcmp(chosen, types[i].key),
				      "denunciation",
				      !strcmp(types[i].key, "denunciation")));
	json_t *topics = NULL, *villages = NULL;
	char today[11];
	date_format_iso(clock_today_vn(), today);
	enum err err = voice_topics(req->db, req->arena, &topics, e);
	if (!err)
		err = vpub_villages(req->db, req->arena, commune->id, today,
				    &villages, e);
	if (err) {
		json_decref(tl);
		json_decref(topics);
		return err;
	}
	const char *topic = req_param(req, "topic_id");
	const char *village = req_param(req, "village_id");
	size_t i;
	json_t *x;
	json_array_foreach(topics, i, x)
	{
		char id[32];
		snprintf(id, sizeof id, "%lld",
			 (long long)json_integer_value(
				 json_object_get(x, "id")));
		json_object_set_new(x, "selected",
				    json_boolean(topic && !strcmp(topic, id)));
	}
	json_array_foreach(villages, i, x)
	{
		char id[32];
		snprintf(id, sizeof id, "%lld",
			 (long long)json_integer_value(
				 json_object_get(x, "id")));
		json_object_set_new(
			x, "selected",
			json_boolean(village && !strcmp(village, id)));
	}
	*out = json_pack("{s:o, s:o, s:o, s:o, s:i, s:i, s:i}", "commune",
			 commune_json(req->arena, commune), "types", tl,
			 "topics", topics, "villages", villages, "files_max",
			 CASE_FILES_MAX, "body_max", CASE_BODY_MAX, "upload_mb",
			 (int)(http_config()->max_upload_bytes >> 20));
	return *out ? ERR_OK : ERR_NOMEM;
}

static enum err get_submit(struct request *req, struct response *res)
{
	struct error e = {0};
	struct unit commune;
	json_t *ctx;
	enum err err = voice_public_commune(req, "xa", &commune, &e);
	if (!err)
		err = submit_ctx(req, &commune, &ctx, &e);
	if (err)
		return fail(req, res, err, &e);
	return res_page(req, res, 200, "voice/citizen_submit",
			"Gửi phản ánh, kiến nghị", ctx);
}

static long long id_param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	if (!v || !*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 15)
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *trimmed(struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? text_trim(req->arena, v) : "";
}

/* 429 with Retry-After, in Vietnamese. */
static enum err throttled(struct request *req, struct response *res,
			  long retry_after)
{
	long minutes = (retry_after + 59) / 60;
	char *msg = arena_printf(
		req->arena,
		"Ông/bà đã gửi nhiều lần trong thời gian ngắn. Vui lòng thử "
		"lại "
		"sau %ld phút, hoặc liên hệ trực tiếp Bộ phận Một cửa của UBND "
		"xã.",
		minutes < 1 ? 1 : minutes);
	enum err err = res_error(req, res, 429, msg);
	res_header(res, "Retry-After",
		   arena_printf(req->arena, "%ld", retry_after));
	return err;
}

static char *receipt_cookie(struct request *req, const char *value, int max_age)
{
	return arena_printf(req->arena,
			    "qt_receipt=%s; Path=/citizen/receipt; Max-Age=%d; "
			    "HttpOnly; SameSite=Strict%s",
			    value, max_age,
			    http_config()->cookie_secure ? "; Secure" : "");
}

static enum err post_submit(struct request *req, struct response *res)
{
	struct error e = {0};
	struct unit commune;
	enum err err = voice_public_commune(req, "xa", &commune, &e);
	if (err)
		return fail(req, res, err, &e);
	long retry;
	if (!rate_limit_submission(req->remote_addr, &retry))
		return throttled(req, res, retry);

	struct field_problems fp = {0};
	const struct upload *files[CASE_FILES_MAX + 1];
	int nfiles = req_uploads(req, "files", files, CASE_FILES_MAX + 1);
	struct voice_case c = {0};
	c.commune_id = commune.id;
	c.case_type = trimmed(req, "case_type");
	c.topic_id = id_param(req, "topic_id");
	c.village_id = id_param(req, "village_id");
	c.channel = "online";
	c.title = trimmed(req, "title");
	c.body = trimmed(req, "body");
	c.citizen_name = trimmed(req, "citizen_name");
	c.citizen_phone = trimmed(req, "citizen_phone");
	c.citizen_address = trimmed(req, "citizen_address");
	c.lat = c.lon = NAN;
	c.portal_id = "";
	const char *secret = NULL;
	if (nfiles > CASE_FILES_MAX) {
		fp.list[fp.n++] = (struct field_problem){
			"files", "too many files",
			"Chỉ gửi được tối đa 5 tệp (ảnh hoặc PDF)."};
		err = ERR_INVALID;
	} else if (!type_known(c.case_type)) {
		fp.list[fp.n++] = (struct field_problem){
			"case_type", "choose a type",
			"Vui lòng chọn loại: phản ánh, kiến nghị, khiếu nại "
			"hoặc tố cáo."};
		err = ERR_INVALID;
	} else if (!c.topic_id) {
		/* staff may leave it to classify later; a citizen picks one */
		fp.list[fp.n++] = (struct field_problem){
			"topic_id", "choose a topic",
			"Vui lòng chọn lĩnh vực của nội dung."};
		err = ERR_INVALID;
	} else {
		struct actor who = {0, "citizen", req->remote_addr};
		err = voice_submit(req->db, req->arena, &who, &c, files, nfiles,
				   &secret, &fp, &e);
	}
	if (err == ERR_INVALID) {
		rate_limit_give_back(req->remote_addr, clock_now());
		if (!fp.n)
			fp.list[fp.n++] = (struct field_problem){
				"body", e.msg,
				"Nội dung chưa hợp lệ, vui lòng kiểm tra lại."};
		json_t *ctx;
		err = submit_ctx(req, &commune, &ctx, &e);
		if (err)
			return fail(req, res, err, &e);
		return res_invalid(req, res, "voice/citizen_submit",
				   "Gửi phản ánh, kiến nghị", ctx,
				   errors_json(&fp));
	}
	if (err) {
		rate_limit_give_back(req->remote_addr, clock_now());
		return fail(req, res, err, &e);
	}
	if (!req->api)
		res_header(res, "Set-Cookie",
			   receipt_cookie(req,
					  arena_printf(req->arena, "%s.%s",
						       c.code, secret),
					  RECEIPT_SECONDS));
	return res_done(req, res, "/citizen/receipt", NULL,
			json_pack("{s:s, s:s, s:s}", "code", c.code, "secret",
				  secret, "track_url", "/citizen/track"));
}

/* Code and secret: Crockford base32 (upper-case letters and digits). */
static bool token_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (!n || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

static enum err get_receipt(struct request *req, struct response *res)
{
	const char *v = req_cookie(req, "qt_receipt");
	const char *dot = v ? strchr(v, '.') : NULL;
	json_t *ctx = json_object();
	if (dot) {
		char *code = arena_strndup(req->arena, v, (size_t)(dot - v));
		const char *secret = dot + 1;
		if (code && token_ok(code, 32) && token_ok(secret, 32)) {
			json_object_set_new(ctx, "code", json_string(code));
			json_object_set_new(ctx, "secret", json_string(secret));
		}
	}
	/* shown once: the cookie goes as the page is sent */
	if (v)
		res_header(res, "Set-Cookie", receipt_cookie(req, "", 0));
	return res_page(req, res, 200, "voice/citizen_receipt", "Biên nhận",
			ctx);
}

/* ---- track, rate, files ---- */

static char *upper(struct arena *a, const char *s)
{
	char *u = arena_strdup(a, s ? s : "");
	for (char *p = u; p && *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* The tracking form again: 404 (unknown code and wrong secret alike) or
 * 200 (first visit). */
static enum err track_form(struct request *req, struct response *res,
			   int status, const char *code)
{
	if (status == 404 && req->api)
		return res_error(req, res, 404, not_found_vi);
	json_t *ctx = json_pack("{s:s}", "code", code ? code : "");
	if (status == 404)
		json_object_set_new(ctx, "not_found",
				    json_string(not_found_vi));
	return res_page(req, res, status, "voice/citizen_track",
			"Tra cứu hồ sơ", ctx);
}

static enum err get_track(struct request *req, struct response *res)
{
	const char *code = req_param(req, "code");
	return track_form(req, res, 200,
			  code && token_ok(code, 32) ? upper(req->arena, code)
						     : "");
}

/* The case page for its citizen: case_json public_only, plus what the
 * page needs (the secret for the rating and file forms, which post it
 * back; it is not in any URL). */
static enum err show_case(struct request *req, struct response *res, int status,
			  const char *code, const char *secret, json_t *extra)
{
	struct error e = {0};
	struct voice_case c;
	const char *merged_from = NULL;
	enum err err = case_track(req->db, req->arena, code, secret, &c,
				  &merged_from, &e);
	if (err == ERR_NOTFOUND) {
		json_decref(extra);
		return track_form(req, res, 404, code);
	}
	json_t *cj = NULL;
	if (!err)
		err = case_json(req->db, req->arena, &c, true, &cj, &e);
	if (err) {
		json_decref(extra);
		return fail(req, res, err, &e);
	}
	json_t *dl = json_object_get(cj, "days_left");
	if (json_is_integer(dl)) {
		long long n = json_integer_value(dl);
		json_object_set_new(
			cj, "due_text",
			json_string(n > 0    ? arena_printf(req->arena,
							    "còn %lld ngày", n)
				    : n == 0 ? "hôm nay là hạn"
					     : arena_printf(req->arena,
							    "quá hạn %lld ngày",
							    -n)));
	}
	bool answered = c.status && (!strcmp(c.status, "answered") ||
				     !strcmp(c.status, "closed"));
	json_t *ctx = json_pack("{s:o, s:s, s:s, s:b, s:b, s:b}", "case", cj,
				"track_code", code, "track_secret", secret,
				"can_rate", answered && !c.rating, "rated",
				c.rating != NULL, "satisfied",
				c.rating && !strcmp(c.rating, "satisfied"));
	if (merged_from)
		json_object_set_new(ctx, "merged_from",
				    json_string(merged_from));
	if (extra) {
		json_object_update(ctx, extra);
		json_decref(extra);
	}
	return res_page(req, res, status, "voice/citizen_case", "Hồ sơ của tôi",
			ctx);
}

static enum err post_track(struct request *req, struct response *res)
{
	const char *code = upper(req->arena, trimmed(req, "code"));
	const char *secret = upper(req->arena, trimmed(req, "secret"));
	if (!token_ok(code, 32) || !token_ok(secret, 32))
		return track_form(req, res, 404,
				  token_ok(code, 32) ? code : "");
	return show_case(req, res, 200, code, secret, NULL);
}

static enum err post_rate(struct request *req, struct response *res)
{
	struct error e = {0};
	struct field_problems fp = {0};
	const char *code = upper(req->arena, trimmed(req, "code"));
	const char *secret = upper(req->arena, trimmed(req, "secret"));
	if (!token_ok(code, 32) || !token_ok(secret, 32))
		return track_form(req, res, 404, "");
	const char *rating = trimmed(req, "rating");
	const char *reason = trimmed(req, "reason");
	enum err err = case_rate(req->db, req->arena, code, secret, rating,
				 reason, &fp, &e);
	if (err == ERR_NOTFOUND)
		return track_form(req, res, 404, code);
	if (err == ERR_INVALID || err == ERR_CONFLICT) {
		json_t *errors = errors_json(&fp);
		if (!json_object_size(errors))
			json_object_set_new(
				errors, "rating",
				json_string(err == ERR_CONFLICT
						    ? "Hồ sơ này đã được đánh "
						      "giá hoặc chưa có câu "
						      "trả lời."
						    : "Vui lòng chọn hài lòng "
						      "hoặc chưa hài lòng."));
		if (req->api)
			return res_invalid(req, res, "voice/citizen_case",
					   "Hồ sơ của tôi", NULL, errors);
		return show_case(req, res, 422, code, secret,
				 json_pack("{s:o, s:s, s:s}", "errors", errors,
					   "rating_value", rating,
					   "reason_value", reason));
	}
	if (err)
		return fail(req, res, err, &e);
	if (req->api)
		return res_done(req, res, NULL, NULL,
				json_pack("{s:s, s:s}", "code", code, "rating",
					  rating));
	return show_case(req, res, 200, code, secret,
			 json_pack("{s:s}", "thanks",
				   "Cảm ơn ông/bà đã đánh giá câu trả lời."));
}

/* Is file id among the files case_json lists for the citizen (the case's
 * own, and the approved answer's)? */
static bool listed(json_t *j, long long id, int depth)
{
	if (depth > 6 || !j)
		return false;
	if (json_is_object(j)) {
		json_t *f = json_object_get(j, "files");
		size_t i;
		json_t *x;
		json_array_foreach(
			f, i,
			x) if (json_integer_value(json_object_get(x, "id")) ==
			       id) return true;
		const char *k;
		json_object_foreach(
			j, k, x) if (strcmp(k, "files") &&
				     listed(x, id, depth + 1)) return true;
	} else if (json_is_array(j)) {
		size_t i;
		json_t *x;
		json_array_foreach(j, i,
				   x) if (listed(x, id, depth + 1)) return true;
	}
	return false;
}

/* POST /citizen/file: a file of the citizen's case, with code + secret
 * (a GET link would need the secret in its URL). */
static enum err post_file(struct request *req, struct response *res)
{
	struct error e = {0};
	const char *code = upper(req->arena, trimmed(req, "code"));
	const char *secret = upper(req->arena, trimmed(req, "secret"));
	long long fid = id_param(req, "file_id");
	struct voice_case c;
	const char *merged_from;
	if (!token_ok(code, 32) || !token_ok(secret, 32) || fid <= 0)
		return track_form(req, res, 404, "");
	enum err err = case_track(req->db, req->arena, code, secret, &c,
				  &merged_from, &e);
	if (err == ERR_NOTFOUND)
		return track_form(req, res, 404, code);
	json_t *cj = NULL;
	if (!err)
		err = case_json(req->db, req->arena, &c, true, &cj, &e);
	if (err)
		return fail(req, res, err, &e);
	bool ok = listed(cj, fid, 0);
	json_decref(cj);
	if (!ok)
		return res_error(req, res, 404, NULL);
	struct attachment meta;
	const unsigned char *data;
	size_t len;
	err = attachment_get(req->db, req->arena, fid, &meta, &data, &len, &e);
	if (err)
		return fail(req, res, err, &e);
	res->status = 200;
	res->content_type = meta.mime;
	res->body = (const char *)data;
	res->len = len;
	char *fn = form_encode(req->arena, meta.filename);
	res_header(res, "Content-Disposition",
		   arena_printf(req->arena, "attachment; filename*=UTF-8''%s",
				fn ? fn : "tep"));
	return ERR_OK;
}

/* ---- published answers, statistics ---- */

static int page_param(const struct request *req)
{
	long long p = id_param(req, "page");
	return p < 1 || p > 100000 ? 1 : (int)p;
}

static enum err get_answers(struct request *req, struct response *res)
{
	struct error e = {0};
	struct unit commune;
	json_t *out;
	enum err err = voice_public_commune(req, "xa", &commune, &e);
	int page = page_param(req);
	if (!err)
		err = vpub_answers(req->db, req->arena, commune.id, page,
				   ANSWERS_PER_PAGE, &out, &e);
	if (err)
		return fail(req, res, err, &e);
	int pages = (int)json_integer_value(json_object_get(out, "pages"));
	json_object_set_new(out, "commune", commune_json(req->arena, &commune));
	if (page > 1)
		json_object_set_new(out, "prev", json_integer(page - 1));
	if (page < pages)
		json_object_set_new(out, "next", json_integer(page + 1));
	return res_page(req, res, 200, "voice/citizen_answers",
			"Trả lời phản ánh, kiến nghị", out);
}

/* voice_stats rows for the page: each gets label (the first name it
 * has; a month "2026-11" as "11/2026"), count (the first count it has)
 * and pct (of the largest count: the bar's length in the SVG). */
static const char *row_label(struct arena *a, json_t *x)
{
	static const char *keys[] = {
		"type_vi",   "topic_vi", "name_vi", "village_name", "village",
		"unit_name", "unit",     "name",    "label",        "month"};
	const char *type = case_type_label_vi(
		json_string_value(json_object_get(x, "case_type")));
	if (type)
		return type;
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		const char *v = json_string_value(json_object_get(x, keys[k]));
		if (!v || !*v)
			continue;
		if (!strcmp(keys[k], "month") && strlen(v) == 7 && v[4] == '-')
			return arena_printf(a, "%s/%.4s", v + 5, v);
		return v;
	}
	return "Chưa xác định";
}

static double row_count(json_t *x)
{
	static const char *keys[] = {"n", "total", "count", "raised", "cases"};
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		json_t *n = json_object_get(x, keys[k]);
		if (json_is_number(n))
			return json_number_value(n);
	}
	return 0;
}

static const char *pct_text(struct arena *a, json_t *v)
{
	if (!json_is_number(v))
		return "—";
	char *s = text_format_number(a, json_number_value(v), 1);
	return s ? arena_printf(a, "%s%%", s) : "—";
}

static void bars(struct arena *a, json_t *list)
{
	double max = 0;
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) if (row_count(x) > max) max =
		row_count(x);
	json_array_foreach(list, i, x)
	{
		double v = row_count(x);
		json_object_set_new(x, "label", json_string(row_label(a, x)));
		json_object_set_new(x, "count", json_real(v));
		json_object_set_new(
			x, "pct",
			json_integer(max > 0 ? (json_int_t)(v * 100 / max + 0.5)
					     : 0));
		json_object_set_new(
			x, "pct_text",
			json_string(pct_text(
				a, json_object_get(x, "on_time_pct"))));
	}
}

static enum err get_stats(struct request *req, struct response *res)
{
	struct error e = {0};
	struct unit commune;
	json_t *out;
	enum err err = voice_public_commune(req, "xa", &commune, &e);
	const char *from = req_param(req, "from"), *to = req_param(req, "to");
	struct date d;
	if (from && !date_parse_iso(from, &d))
		from = NULL;
	if (to && !date_parse_iso(to, &d))
		to = NULL;
	if (!err)
		err = voice_stats(req->db, req->arena, &commune.id, 1, from, to,
				  &out, &e);
	if (err)
		return fail(req, res, err, &e);
	static const struct {
		const char *key, *col;
	} lists[] = {{"by_type", "Loại"},
		     {"by_topic", "Lĩnh vực"},
		     {"by_village", "Thôn"},
		     {"by_month", "Tháng"},
		     {"by_unit", "Đơn vị"}};
	for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
		json_t *l = json_object_get(out, lists[k].key);
		if (!json_is_array(l))
			continue;
		bars(req->arena, l);
		if (!req->api)
			json_object_set_new(
				out,
				arena_printf(req->arena, "%s_t", lists[k].key),
				json_pack("{s:s, s:O}", "col", lists[k].col,
					  "rows", l));
	}
	json_t *pct = json_object_get(out, "on_time_pct");
	if (json_is_number(pct))
		json_object_set_new(out, "on_time_pct_text",
				    json_string(pct_text(req->arena, pct)));
	json_object_set_new(out, "commune", commune_json(req->arena, &commune));
	return res_page(req, res, 200, "voice/citizen_stats",
			"Thống kê phản ánh, kiến nghị", out);
}

void voice_public_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/citizen/submit", get_submit, ROLE_PUBLIC, NULL},
		{"POST", "/citizen/submit", post_submit, ROLE_PUBLIC, NULL},
		{"GET", "/citizen/receipt", get_receipt, ROLE_PUBLIC, NULL},
		{"GET", "/citizen/track", get_track, ROLE_PUBLIC, NULL},
		{"POST", "/citizen/track", post_track, ROLE_PUBLIC, NULL},
		{"POST", "/citizen/rate", post_rate, ROLE_PUBLIC, NULL},
		{"POST", "/citizen/file", post_file, ROLE_PUBLIC, NULL},
		{"GET", "/citizen/answers", get_answers, ROLE_PUBLIC, NULL},
		{"GET", "/citizen/stats", get_stats, ROLE_PUBLIC, NULL},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
