/* /voice/settings: the clocks, topics and answer templates as data a
 * commune changes without a new release (rules.md). Everyone on staff
 * reads; the chair and the office edit: a rule from a date (the one in
 * force then ends that day, in the same transaction), a rule marked
 * checked by a legal officer, topics (add, rename, PAPI dimension,
 * deactivate: gone from the citizen form, its cases kept), the commune's
 * answer templates. Bad input: 422 with Vietnamese messages, nothing
 * changed. Every page has its /api twin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "voice.h"
#include "voice_http.h"
#include "voice_settings_db.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../base/banned.h"

#define T_SETTINGS "voice/settings"
#define TITLE "Cài đặt tiếp nhận – giải quyết"
#define HREF "/voice/settings"
#define READ_ROLES                                                             \
	(ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE | ROLE_UNIT_HEAD |         \
	 ROLE_OFFICER)
#define EDIT_ROLES (ROLE_CHAIR | ROLE_OFFICE)

enum {
	DAYS_MAX = 3650,
	NAME_MAX_CHARS = 200,
	CODE_MAX = 40,
	TITLE_MAX_CHARS = 200,
	BODY_MAX_CHARS = 20000,
	BASIS_MAX_CHARS = 300,
};

static const char *const types[] = {"feedback", "petition", "complaint",
				    "denunciation"};
static const char *const steps[] = {"classify", "accept", "resolve"};
static const char *const step_vi[] = {"Phân loại, xử lý đơn", "Thụ lý",
				      "Giải quyết, trả lời"};
static const char *const dim_vi[] = {
	"Tham gia của người dân ở cấp cơ sở",
	"Công khai, minh bạch trong việc ra quyết định",
	"Trách nhiệm giải trình với người dân",
	"Kiểm soát tham nhũng trong khu vực công",
	"Thủ tục hành chính công",
	"Cung ứng dịch vụ công",
	"Quản trị môi trường",
	"Quản trị điện tử"};

static bool is(const char *s, const char *t)
{
	return s && !strcmp(s, t);
}

static struct actor actor_of(const struct request *req)
{
	return (struct actor){req->user ? req->user->id : 0,
			      req->user ? req->user->username : "",
			      req->remote_addr ? req->remote_addr : ""};
}

static const char *field(struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	v = v ? text_trim(req->arena, v) : "";
	return v ? v : "";
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void problem(struct field_problems *fp, const char *f, const char *en,
		    const char *vi)
{
	if (fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){f, en, vi};
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

/* A whole number lo..DAYS_MAX; 0 when empty and optional; -1 when bad. */
static int number(const char *s, int lo, bool optional)
{
	if (!*s)
		return optional ? 0 : -1;
	if (strlen(s) > 5)
		return -1;
	int v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v < lo || v > DAYS_MAX ? -1 : v;
}

static const char *step_label(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (is(s, steps[i]))
			return step_vi[i];
	return s;
}

static const char *dimension_label(const char *d)
{
	if (d && d[0] == 'D' && d[1] >= '1' && d[1] <= '8' && !d[2])
		return dim_vi[d[1] - '1'];
	return NULL;
}

/* The commune whose templates the user edits: their own unit's, else the
 * last of theirs. */
static long long user_commune(struct request *req)
{
	long long *ids = NULL;
	int n = 0;
	struct error e = {0};
	if (plan_user_communes(req, &ids, &n, &e))
		return 0;
	return voice_pick_commune(req, ids, n, 0);
}

static json_t *options(const char *const *keys, int n,
		       const char *(*label)(const char *), const char *sel)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "key",
						     keys[i], "label",
						     label(keys[i]), "selected",
						     is(sel, keys[i])));
	return arr;
}

static const char *type_label(const char *t)
{
	const char *l = case_type_label_vi(t);
	return l ? l : t;
}

/* The page's context; values: the form being corrected (or NULL). */
static enum err settings_ctx(struct request *req, json_t **out, struct error *e)
{
	struct case_rules r;
	json_t *topics = NULL, *tpls = NULL;
	enum err err = voice_rules_load(req->db, req->arena, &r, e);
	if (!err)
		err = vset_topics(req->db, req->arena, &topics, e);
	if (!err)
		err = vset_templates(req->db, req->arena, user_commune(req),
				     &tpls, e);
	if (err) {
		json_decref(topics);
		return err;
	}
	char today[11];
	date_format_iso(clock_today_vn(), today);
	json_t *rules = json_array();
	for (int i = 0; i < r.n; i++) {
		const struct case_rule *x = &r.list[i];
		bool now = strcmp(x->effective_from, today) <= 0 &&
			   (!x->effective_to ||
			    strcmp(today, x->effective_to) < 0);
		json_t *o = json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:b, "
			"s:b, s:s}",
			"id", (json_int_t)x->id, "case_type", x->case_type,
			"type_vi", type_label(x->case_type), "step", x->step,
			"step_vi", step_label(x->step), "days", x->days,
			"unit_vi",
			is(x->day_unit, "working") ? "ngày làm việc" : "ngày",
			"from", text_format_date(req->arena, x->effective_from),
			"to",
			x->effective_to
				? text_format_date(req->arena, x->effective_to)
				: "",
			"verified", x->verified, "in_force", now, "legal_basis",
			x->legal_basis);
		/* "phức tạp 45; vùng xa 45; cả hai 60" */
		const char *more = "";
		static const char *const what[] = {"phức tạp", "vùng xa",
						   "cả hai"};
		const int len[] = {x->days_complex, x->days_remote,
				   x->days_remote_complex};
		for (int k = 0; k < 3; k++)
			if (len[k])
				more = arena_printf(req->arena, "%s%s%s %d",
						    more, *more ? "; " : "",
						    what[k], len[k]);
		json_object_set_new(o, "other_lengths", json_string(more));
		if (x->days_complex)
			json_object_set_new(o, "days_complex",
					    json_integer(x->days_complex));
		if (x->days_remote)
			json_object_set_new(o, "days_remote",
					    json_integer(x->days_remote));
		if (x->days_remote_complex)
			json_object_set_new(
				o, "days_remote_complex",
				json_integer(x->days_remote_complex));
		if (x->max_extensions)
			json_object_set_new(
				o, "extensions",
				json_string(arena_printf(
					req->arena, "%d lần × %d ngày",
					x->max_extensions, x->extension_days)));
		json_array_append_new(rules, o);
	}
	size_t i;
	json_t *t;
	json_array_foreach(topics, i, t)
	{
		const char *d =
			json_string_value(json_object_get(t, "dimension"));
		const char *l = dimension_label(d);
		json_object_set_new(t, "dimension_vi", json_string(l ? l : ""));
		json_t *dims = json_array();
		for (int k = 0; k < 8; k++) {
			char key[3] = {'D', (char)('1' + k), 0};
			json_array_append_new(
				dims, json_pack("{s:s, s:s, s:b}", "key", key,
						"label", dim_vi[k], "selected",
						is(d, key)));
		}
		json_object_set_new(t, "dimensions", dims);
		json_object_set_new(
			t, "is_active",
			json_boolean(json_integer_value(json_object_get(
					     t, "active")) != 0));
	}
	json_t *topic_opts = json_array();
	json_array_foreach(topics, i, t)
	{
		if (json_integer_value(json_object_get(t, "active")))
			json_array_append_new(
				topic_opts,
				json_pack("{s:O, s:O}", "id",
					  json_object_get(t, "id"), "name_vi",
					  json_object_get(t, "name_vi")));
	}
	json_array_foreach(tpls, i, t)
	{
		json_object_set_new(t, "editable",
				    json_boolean(!json_is_null(
					    json_object_get(t, "commune_id"))));
		long long tid =
			json_integer_value(json_object_get(t, "topic_id"));
		json_t *opts = json_array();
		size_t k;
		json_t *o;
		json_array_foreach(topic_opts, k, o)
		{
			json_t *c = json_deep_copy(o);
			json_object_set_new(
				c, "selected",
				json_boolean(json_integer_value(json_object_get(
						     o, "id")) == tid));
			json_array_append_new(opts, c);
		}
		json_object_set_new(t, "topic_options", opts);
	}
	json_t *dims = json_array();
	for (int k = 0; k < 8; k++) {
		char key[3] = {'D', (char)('1' + k), 0};
		json_array_append_new(dims, json_pack("{s:s, s:s}", "key", key,
						      "label", dim_vi[k]));
	}
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:s}",
			 "rules", rules, "topics", topics, "templates", tpls,
			 "topic_options", topic_opts, "dimensions", dims,
			 "types", options(types, 4, type_label, NULL), "steps",
			 options(steps, 3, step_label, NULL), "can_edit",
			 req->user && (req->user->roles & EDIT_ROLES) != 0,
			 "today", text_format_date(req->arena, today));
	return *out ? ERR_OK : error_set(e, ERR_NOMEM, "settings: no memory");
}

static enum err get_settings(struct request *req, struct response *res)
{
	json_t *ctx;
	struct error e = {0};
	enum err err = settings_ctx(req, &ctx, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_page(req, res, 200, T_SETTINGS, TITLE, ctx);
}

static enum err invalid(struct request *req, struct response *res,
			const struct field_problems *fp)
{
	json_t *ctx;
	struct error e = {0};
	enum err err = settings_ctx(req, &ctx, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_invalid(req, res, T_SETTINGS, TITLE, ctx, errors_json(fp));
}

static enum err done(struct request *req, struct response *res,
		     const char *flash, const char *what, long long id)
{
	return res_done(
		req, res, HREF, flash,
		json_pack("{s:s, s:I}", "done", what, "id", (json_int_t)id));
}

/* POST /voice/settings/rules: a rule from a date on. */
static enum err post_rule(struct request *req, struct response *res)
{
	struct field_problems fp = {0};
	struct case_rule r = {0};
	r.case_type = field(req, "case_type");
	r.step = field(req, "step");
	r.day_unit = field(req, "day_unit");
	r.legal_basis = field(req, "legal_basis");
	if (!case_type_label_vi(r.case_type))
		problem(&fp, "case_type", "unknown type", "Chọn loại hồ sơ.");
	bool two_steps =
		is(r.case_type, "complaint") || is(r.case_type, "denunciation");
	if (!(is(r.step, "resolve") ||
	      (two_steps ? is(r.step, "accept") : is(r.step, "classify"))))
		problem(&fp, "step", "unknown step for the type",
			"Bước này không có ở loại hồ sơ đã chọn.");
	/* the start event follows the step, as in the shipped rules */
	r.start_event =
		two_steps && is(r.step, "resolve") ? "accepted" : "received";
	if (!is(r.day_unit, "working") && !is(r.day_unit, "calendar"))
		problem(&fp, "day_unit", "unknown unit",
			"Chọn ngày làm việc hoặc ngày theo lịch.");
	static const char *const nf[] = {"days", "days_complex", "days_remote",
					 "days_remote_complex"};
	int *nv[] = {&r.days, &r.days_complex, &r.days_remote,
		     &r.days_remote_complex};
	for (int i = 0; i < 4; i++) {
		int v = number(field(req, nf[i]), 1, i > 0);
		if (v < 0)
			problem(&fp, nf[i], "not a positive integer",
				"Số ngày phải là số nguyên dương (1 đến "
				"3650).");
		*nv[i] = v < 0 ? 0 : v;
	}
	int ext = number(field(req, "extension_days"), 0, true),
	    max = number(field(req, "max_extensions"), 0, true);
	if (ext < 0)
		problem(&fp, "extension_days", "not a whole number",
			"Số ngày gia hạn phải là số nguyên không âm.");
	if (max < 0)
		problem(&fp, "max_extensions", "not a whole number",
			"Số lần gia hạn phải là số nguyên không âm.");
	r.extension_days = ext < 0 ? 0 : ext;
	r.max_extensions = max < 0 ? 0 : max;
	struct date d;
	if (!text_parse_date(field(req, "effective_from"), &d)) {
		problem(&fp, "effective_from", "not a day",
			"Ngày áp dụng không hợp lệ (dd/mm/yyyy).");
	} else {
		char buf[11];
		date_format_iso(d, buf);
		r.effective_from = arena_strdup(req->arena, buf);
	}
	if (chars(r.legal_basis) > BASIS_MAX_CHARS)
		problem(&fp, "legal_basis", "too long",
			"Căn cứ pháp lý quá dài (tối đa 300 ký tự).");
	if (fp.n)
		return invalid(req, res, &fp);
	struct actor who = actor_of(req);
	struct error e = {0};
	long long id = 0;
	enum err err = vset_rule_add(req->db, req->arena, &who, &r, &id, &e);
	if (err == ERR_CONFLICT) {
		problem(&fp, "effective_from", "a rule starts that day",
			"Đã có quy định của loại và bước này bắt đầu từ ngày "
			"đó.");
		return invalid(req, res, &fp);
	}
	if (err)
		return res_fail(req, res, err, &e);
	return done(req, res, "Đã thêm thời hạn mới.", "rule_add", id);
}

static enum err post_verify(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct actor who = actor_of(req);
	struct error e = {0};
	enum err err =
		id <= 0 ? error_set(&e, ERR_NOTFOUND, "no such rule")
			: vset_rule_verify(req->db, req->arena, &who, id, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return done(req, res, "Đã ghi nhận: quy định đã được kiểm tra.",
		    "rule_verify", id);
}

static void check_topic(struct request *req, struct field_problems *fp,
			const char **name, const char **dim)
{
	*name = field(req, "name_vi");
	*dim = field(req, "dimension");
	if (!**name || chars(*name) > NAME_MAX_CHARS)
		problem(fp, "name_vi", "name required, at most 200",
			"Nhập tên lĩnh vực (tối đa 200 ký tự).");
	if (!dimension_label(*dim))
		problem(fp, "dimension", "unknown dimension",
			"Chọn lĩnh vực PAPI (D1 đến D8).");
}

/* POST /voice/settings/topics: a new topic. */
static enum err post_topic_add(struct request *req, struct response *res)
{
	struct field_problems fp = {0};
	const char *name, *dim, *code = field(req, "code");
	check_topic(req, &fp, &name, &dim);
	bool ok = *code && strlen(code) <= CODE_MAX;
	for (const char *c = code; ok && *c; c++)
		ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		     *c == '_';
	if (!ok)
		problem(&fp, "code", "code: a-z 0-9 _",
			"Mã lĩnh vực chỉ gồm chữ thường không dấu, số và "
			"dấu gạch dưới (tối đa 40 ký tự).");
	if (fp.n)
		return invalid(req, res, &fp);
	struct actor who = actor_of(req);
	struct error e = {0};
	long long id = 0;
	enum err err = vset_topic_save(req->db, req->arena, &who, &id, code,
				       name, dim, true, &e);
	if (err == ERR_CONFLICT) {
		problem(&fp, "code", "code used", "Mã lĩnh vực đã có.");
		return invalid(req, res, &fp);
	}
	if (err)
		return res_fail(req, res, err, &e);
	return done(req, res, "Đã thêm lĩnh vực.", "topic_add", id);
}

/* POST /voice/settings/topics/{id}: rename, dimension, active. */
static enum err post_topic_edit(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct field_problems fp = {0};
	const char *name, *dim, *active = field(req, "active");
	check_topic(req, &fp, &name, &dim);
	if (!is(active, "1") && !is(active, "0"))
		problem(&fp, "active", "active: 0 or 1",
			"Chọn đang dùng hoặc thôi dùng.");
	if (fp.n)
		return invalid(req, res, &fp);
	struct actor who = actor_of(req);
	struct error e = {0};
	enum err err =
		id <= 0 ? error_set(&e, ERR_NOTFOUND, "no such topic")
			: vset_topic_save(req->db, req->arena, &who, &id, NULL,
					  name, dim, is(active, "1"), &e);
	if (err)
		return res_fail(req, res, err, &e);
	return done(req, res, "Đã lưu lĩnh vực.", "topic_edit", id);
}

static enum err save_template(struct request *req, struct response *res,
			      long long id)
{
	struct field_problems fp = {0};
	const char *title = field(req, "title"), *body = field(req, "body"),
		   *topic = field(req, "topic_id");
	long long topic_id = 0;
	if (*topic) {
		char *end;
		topic_id = strtoll(topic, &end, 10);
		if (*end || topic_id <= 0 ||
		    !vset_topic_exists(req->db, req->arena, topic_id)) {
			problem(&fp, "topic_id", "unknown topic",
				"Lĩnh vực không có.");
		}
	}
	if (!*title || chars(title) > TITLE_MAX_CHARS)
		problem(&fp, "title", "title required, at most 200",
			"Nhập tên mẫu (tối đa 200 ký tự).");
	if (!*body || chars(body) > BODY_MAX_CHARS)
		problem(&fp, "body", "body required, at most 20000",
			"Nhập nội dung mẫu (tối đa 20.000 ký tự).");
	long long commune = user_commune(req);
	if (!fp.n && !commune)
		problem(&fp, "title", "no commune",
			"Tài khoản chưa gắn với xã nào.");
	if (fp.n)
		return invalid(req, res, &fp);
	struct actor who = actor_of(req);
	struct error e = {0};
	bool add = id == 0;
	enum err err = vset_template_save(req->db, req->arena, &who, commune,
					  &id, topic_id, title, body, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return done(req, res,
		    add ? "Đã thêm mẫu trả lời." : "Đã lưu mẫu trả lời.",
		    add ? "template_add" : "template_edit", id);
}

static enum err post_template_add(struct request *req, struct response *res)
{
	return save_template(req, res, 0);
}

static enum err post_template_edit(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	if (id <= 0) {
		struct error e = {0};
		error_set(&e, ERR_NOTFOUND, "no such template");
		return res_fail(req, res, ERR_NOTFOUND, &e);
	}
	return save_template(req, res, id);
}

static enum err post_template_delete(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct actor who = actor_of(req);
	struct error e = {0};
	enum err err =
		id <= 0 ? error_set(&e, ERR_NOTFOUND, "no such template")
			: vset_template_delete(req->db, req->arena, &who,
					       user_commune(req), id, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return done(req, res, "Đã xóa mẫu trả lời.", "template_delete", id);
}

void voice_settings_http_register(void)
{
	static const struct route routes[] = {
		{"GET", HREF, get_settings, READ_ROLES, "voice"},
		{"POST", HREF "/rules", post_rule, EDIT_ROLES, "voice"},
		{"POST", HREF "/rules/{id}/verify", post_verify, EDIT_ROLES,
		 "voice"},
		{"POST", HREF "/topics", post_topic_add, EDIT_ROLES, "voice"},
		{"POST", HREF "/topics/{id}", post_topic_edit, EDIT_ROLES,
		 "voice"},
		{"POST", HREF "/templates", post_template_add, EDIT_ROLES,
		 "voice"},
		{"POST", HREF "/templates/{id}", post_template_edit, EDIT_ROLES,
		 "voice"},
		{"POST", HREF "/templates/{id}/delete", post_template_delete,
		 EDIT_ROLES, "voice"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
