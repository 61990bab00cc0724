/* The interviews' pages: a round's interviews, the phone form (one
 * sub-dimension per screen, saved as a draft on every "Tiếp", resumed
 * later, submitted after a full check), the CSV import with a column
 * mapping, and the export `quantri survey estimate` reads. A surveyor sees
 * only the villages of their role; chair, vice-chair and office see all. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "index_db.h"
#include "interview_db.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../http/http.h"
#include "../people/people.h"
#include "../base/banned.h"

#define IV_ROLES (ROLE_ADMIN | ROLE_VICE_CHAIR | ROLE_SURVEYOR)

static const char title_import[] = "Nhập phiếu phỏng vấn từ tệp CSV";
static const char msg_import_bad[] =
	"Tệp có dòng không hợp lệ; chưa có gì được nhập.";

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}

static long long id_of(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	return *s && !*end && v > 0 ? v : 0;
}

static struct actor actor_of(const struct request *req)
{
	return (struct actor){req->user ? req->user->id : 0,
			      req->user ? req->user->username : "",
			      req->remote_addr ? req->remote_addr : ""};
}

static bool sees_all(const struct request *req)
{
	return req->user && (req->user->roles & (ROLE_ADMIN | ROLE_VICE_CHAIR));
}

/* The villages the user may work in: all of the round's for chair,
 * vice-chair and office; for a surveyor those of their role (a role on
 * the round's commune covers its villages). */
static enum err allowed_villages(struct request *req,
				 const struct iv_context *cx,
				 struct iv_village **out, int *n,
				 struct error *e)
{
	if (sees_all(req)) {
		*out = cx->villages;
		*n = cx->nvillages;
		return ERR_OK;
	}
	long long *units;
	int nu;
	enum err err = ivdb_user_units(req->db, req->arena, req->user->id,
				       role_key(ROLE_SURVEYOR), &units, &nu, e);
	if (err)
		return err;
	*out = arena_alloc(req->arena,
			   sizeof **out * (size_t)(cx->nvillages + 1));
	if (!*out)
		return error_set(e, ERR_NOMEM, "villages");
	*n = 0;
	for (int i = 0; i < cx->nvillages; i++)
		for (int k = 0; k < nu; k++)
			if (units[k] == cx->villages[i].id ||
			    units[k] == cx->round.scope_unit_id) {
				(*out)[(*n)++] = cx->villages[i];
				break;
			}
	return ERR_OK;
}

static bool village_in(const struct iv_village *v, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (v[i].id == id)
			return true;
	return false;
}

static json_t *villages_json(const struct iv_village *v, int n, long long sel)
{
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:I, s:s, s:b}", "id",
					(json_int_t)v[i].id, "name", v[i].name,
					"selected", v[i].id == sel));
	return list;
}

static json_t *age_groups_json(const char *sel)
{
	json_t *list = json_array();
	for (int i = 0; i < INTERVIEW_AGE_GROUPS; i++)
		json_array_append_new(
			list,
			json_pack(
				"{s:s, s:b}", "value", interview_age_groups[i],
				"selected",
				sel && !strcmp(sel, interview_age_groups[i])));
	return list;
}

/* ---- the list of a round's interviews ---- */

static json_t *rounds_json(struct request *req, long long sel, struct error *e,
			   enum err *err)
{
	json_t *rounds = NULL;
	*err = idb_rounds(req->db, req->arena, &rounds, e);
	if (*err)
		return NULL;
	size_t i;
	json_t *r;
	json_array_foreach(rounds, i, r) json_object_set_new(
		r, "selected",
		json_boolean(json_integer_value(json_object_get(r, "id")) ==
			     sel));
	return rounds;
}

static enum err get_list(struct request *req, struct response *res)
{
	struct error e = {0};
	enum err err;
	long long round_id = id_of(param(req, "round"));
	json_t *rounds = rounds_json(req, round_id, &e, &err);
	if (!rounds)
		return res_fail(req, res, err, &e);
	if (!round_id && json_array_size(rounds))
		round_id = json_integer_value(
			json_object_get(json_array_get(rounds, 0), "id"));
	json_t *ctx =
		json_pack("{s:o, s:b, s:b}", "rounds", rounds, "can_admin",
			  req->user->roles & ROLE_ADMIN ? 1 : 0, "sees_all",
			  sees_all(req));
	if (!round_id)
		return res_page(req, res, 200, "index/interviews",
				"Phiếu phỏng vấn", ctx);
	struct iv_context cx;
	struct iv_village *vs;
	int nv;
	json_t *list = NULL;
	err = iv_context_load(req->db, req->arena, round_id, &cx, &e);
	if (!err)
		err = allowed_villages(req, &cx, &vs, &nv, &e);
	if (!err) {
		long long *ids =
			arena_alloc(req->arena, sizeof *ids * (size_t)(nv + 1));
		for (int i = 0; ids && i < nv; i++)
			ids[i] = vs[i].id;
		err = ids ? ivdb_list(req->db, req->arena, round_id,
				      sees_all(req) ? NULL : ids, nv, &list, &e)
			  : error_set(&e, ERR_NOMEM, "interviews");
	}
	if (err) {
		json_decref(ctx);
		return res_fail(req, res, err, &e);
	}
	int drafts = 0, submitted = 0;
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		bool draft =
			!strcmp(json_string_value(json_object_get(x, "status")),
				"draft");
		drafts += draft;
		submitted += !draft;
		json_object_set_new(x, "draft", json_boolean(draft));
		json_object_set_new(
			x, "gender_vi",
			json_string(interview_gender_vi(json_string_value(
				json_object_get(x, "gender")))));
	}
	json_object_set_new(
		ctx, "round",
		json_pack("{s:I, s:s, s:i, s:s, s:i}", "id",
			  (json_int_t)round_id, "name", cx.round.name, "year",
			  cx.round.year, "scope", cx.round.scope_name,
			  "catalogue_year", cx.round.catalogue_year));
	json_object_set_new(ctx, "interviews", list);
	/* the drawn people still to interview, in the user's villages */
	json_t *drawn = NULL, *sampled = json_array();
	if ((err = ivdb_sample_people(req->db, req->arena, round_id, &drawn,
				      &e))) {
		json_decref(ctx);
		json_decref(sampled);
		return res_fail(req, res, err, &e);
	}
	json_array_foreach(drawn, i, x)
	{
		if (!village_in(
			    vs, nv,
			    json_integer_value(json_object_get(x, "unit_id"))))
			continue;
		json_object_set_new(
			x, "gender_vi",
			json_string(interview_gender_vi(json_string_value(
				json_object_get(x, "gender")))));
		json_array_append(sampled, x);
	}
	json_decref(drawn);
	json_object_set_new(ctx, "sampled", sampled);
	json_object_set_new(ctx, "villages", villages_json(vs, nv, 0));
	json_object_set_new(ctx, "age_groups", age_groups_json(NULL));
	json_object_set_new(ctx, "drafts", json_integer(drafts));
	json_object_set_new(ctx, "submitted", json_integer(submitted));
	return res_page(
		req, res, 200, "index/interviews",
		arena_printf(req->arena, "Phiếu phỏng vấn – %s", cx.round.name),
		ctx);
}

static enum err post_new(struct request *req, struct response *res)
{
	struct error e = {0};
	long long round_id = id_of(param(req, "round"));
	struct iv_context cx;
	enum err err = round_id ? iv_context_load(req->db, req->arena, round_id,
						  &cx, &e)
				: ERR_NOTFOUND;
	if (err == ERR_NOTFOUND)
		return res_error(req, res, 422,
				 "Vui lòng chọn một đợt khảo sát.");
	if (err)
		return res_fail(req, res, err, &e);
	struct iv_village *vs;
	int nv;
	if ((err = allowed_villages(req, &cx, &vs, &nv, &e)))
		return res_fail(req, res, err, &e);
	long long village = id_of(param(req, "village"));
	const char *gender = interview_gender(param(req, "gender"));
	const char *age = interview_age_group(param(req, "age_group"));
	/* A drawn person: village, gender and age come from the frame unless
	 * the form says otherwise (the frame may be wrong; the person is here). */
	long long person = id_of(param(req, "person"));
	bool bad_person = false;
	if (person) {
		const char *g;
		int born;
		long long unit;
		err = ivdb_sample_person(req->db, req->arena, round_id, person,
					 &unit, &g, &born, &e);
		if (err == ERR_NOTFOUND) {
			bad_person = true;
			person = 0;
		} else if (err) {
			return res_fail(req, res, err, &e);
		} else {
			village = unit;
			if (!gender)
				gender = interview_gender(g);
			if (!age)
				age = interview_age_group(
					arena_printf(req->arena, "%d",
						     cx.round.year - born));
		}
	}
	if (village && village_in(cx.villages, cx.nvillages, village) &&
	    !village_in(vs, nv, village))
		return res_error(
			req, res, 403,
			"Bạn chỉ được phỏng vấn ở thôn được phân công.");
	json_t *errors = json_object();
	if (bad_person)
		json_object_set_new(errors, "person",
				    json_string("Người này không có trong danh "
						"sách chọn mẫu của đợt."));
	if (!village_in(vs, nv, village))
		json_object_set_new(errors, "village",
				    json_string("Vui lòng chọn thôn."));
	if (!gender)
		json_object_set_new(errors, "gender",
				    json_string("Vui lòng chọn giới tính."));
	if (!age)
		json_object_set_new(
			errors, "age_group",
			json_string("Vui lòng chọn nhóm tuổi (18–70)."));
	if (json_object_size(errors)) {
		json_t *ctx = json_pack(
			"{s:o, s:o, s:o, s:{s:I, s:s}}", "rounds", json_array(),
			"villages", villages_json(vs, nv, village),
			"age_groups", age_groups_json(age), "round", "id",
			(json_int_t)round_id, "name", cx.round.name);
		return res_invalid(req, res, "index/interviews",
				   "Phiếu phỏng vấn", ctx, errors);
	}
	json_decref(errors);
	struct interview iv = {.round_id = round_id,
			       .unit_id = village,
			       .surveyor_id = req->user->id,
			       .gender = gender,
			       .age_group = age,
			       .answers = "",
			       .sampled_person_id = person};
	long long id;
	struct actor who = actor_of(req);
	if ((err = db_begin(req->db, &e)))
		return res_fail(req, res, err, &e);
	err = ivdb_create(req->db, req->arena, &iv, &id, &e);
	if (!err) {
		json_t *after = json_pack(
			"{s:I, s:I, s:s, s:s, s:I}", "round_id",
			(json_int_t)round_id, "unit_id", (json_int_t)village,
			"gender", gender, "age_group", age, "sampled_person_id",
			(json_int_t)person);
		err = iv_audit(req->db, req->arena, &who, "interview.create",
			       id, after, &e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(req->db, &e);
	else
		db_rollback(req->db);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/index/interviews/%lld", id),
			"Đã tạo phiếu mới.",
			json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- the form ---- */

/* The screens: the sub-dimensions that have questions, in order. */
struct screens {
	int n;
	int *sub;  /* n sub-dimension indexes */
	int *of_q; /* each question's screen */
};

static bool screens_make(struct arena *a, const struct catalogue *c,
			 struct screens *s)
{
	s->sub = arena_alloc(a,
			     sizeof *s->sub * (size_t)(c->nsubdimensions + 1));
	s->of_q = arena_alloc(a, sizeof *s->of_q * (size_t)(c->nquestions + 1));
	if (!s->sub || !s->of_q)
		return false;
	s->n = 0;
	for (int k = 0; k < c->nquestions; k++) {
		int sub = c->indicators[c->questions[k].indicator].subdimension;
		if (!s->n || s->sub[s->n - 1] != sub)
			s->sub[s->n++] = sub;
		s->of_q[k] = s->n - 1;
	}
	return true;
}

/* The interview, its round's context and its answers, if the user may see
 * it; else an error response is sent (*sent). */
struct loaded {
	struct interview iv;
	struct iv_context cx;
	struct screens sc;
	const char **vals;
};

static enum err load(struct request *req, struct response *res,
		     struct loaded *l, bool *sent)
{
	struct error e = {0};
	*sent = true;
	long long id = req_arg_id(req, 0);
	enum err err = id > 0 ? ivdb_get(req->db, req->arena, id, &l->iv, &e)
			      : ERR_NOTFOUND;
	if (!err)
		err = iv_context_load(req->db, req->arena, l->iv.round_id,
				      &l->cx, &e);
	if (!err)
		err = interview_unpack(req->arena, &l->cx.cat, l->iv.answers,
				       &l->vals, &e);
	if (!err && !screens_make(req->arena, &l->cx.cat, &l->sc))
		err = error_set(&e, ERR_NOMEM, "screens");
	if (err)
		return res_fail(req, res, err, &e);
	struct iv_village *vs;
	int nv;
	if ((err = allowed_villages(req, &l->cx, &vs, &nv, &e)))
		return res_fail(req, res, err, &e);
	if (!village_in(vs, nv, l->iv.unit_id))
		return res_error(req, res, 403,
				 "Phiếu này thuộc thôn khác; bạn chỉ xem được "
				 "phiếu của thôn được phân công.");
	*sent = false;
	return ERR_OK;
}

static json_t *choices_json(const char *choices, const char *value)
{
	json_t *list = json_array();
	const char *s = choices;
	while (s && *s) {
		const char *end = strchr(s, ';');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		const char *eq = memchr(s, '=', n);
		if (eq) {
			char code[INTERVIEW_ANSWER_MAX], label[512];
			snprintf(code, sizeof code, "%.*s", (int)(eq - s), s);
			snprintf(label, sizeof label, "%.*s",
				 (int)(n - (size_t)(eq - s) - 1), eq + 1);
			json_array_append_new(
				list, json_pack("{s:s, s:s, s:b}", "value",
						code, "label", label, "checked",
						!strcmp(code, value)));
		}
		s = end ? end + 1 : NULL;
	}
	return list;
}

static json_t *missing_json(const char *codes, const char *value)
{
	json_t *list = json_array();
	const char *s = codes;
	while (s && *s) {
		const char *end = strchr(s, ';');
		char code[INTERVIEW_ANSWER_MAX];
		snprintf(code, sizeof code, "%.*s",
			 (int)(end ? end - s : (long)strlen(s)), s);
		json_array_append_new(
			list,
			json_pack("{s:s, s:s, s:b}", "value", code, "label",
				  interview_missing_label_vi(code), "checked",
				  !strcmp(code, value)));
		s = end ? end + 1 : NULL;
	}
	return list;
}

/* Which questions the server hides on screen k: those skipped by answers
 * of earlier screens (the answers of this screen may still change; the
 * save clears what they skip, and interview.js hides it live). */
static bool hidden_on_screen(struct arena *a, const struct loaded *l, int q,
			     int k)
{
	const struct catalogue *c = &l->cx.cat;
	const char **v =
		arena_alloc(a, sizeof *v * (size_t)(c->nquestions + 1));
	if (!v)
		return false;
	for (int i = 0; i < c->nquestions; i++)
		v[i] = l->sc.of_q[i] == k ? "" : l->vals[i];
	return interview_skipped(c, v, q);
}

static json_t *screen_json(struct request *req, const struct loaded *l, int k,
			   json_t *errors)
{
	const struct catalogue *c = &l->cx.cat;
	json_t *qs = json_array();
	for (int q = 0; q < c->nquestions; q++) {
		if (l->sc.of_q[q] != k)
			continue;
		const struct cat_question *cq = &c->questions[q];
		const char *v = l->vals[q];
		bool number =
			cq->type == ANSWER_COUNT || cq->type == ANSWER_AMOUNT;
		bool missing = interview_is_missing_code(cq, v);
		json_t *err = json_object_get(errors, cq->code);
		json_array_append_new(
			qs,
			json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:s, "
				  "s:b, s:s, s:s, s:s, s:O*}",
				  "code", cq->code, "text", cq->text_vi, "type",
				  answer_type_key(cq->type), "type_vi",
				  answer_type_label_vi(cq->type), "number",
				  number, "options",
				  number ? json_array()
					 : choices_json(cq->choices, v),
				  "missing", missing_json(cq->missing_codes, v),
				  "value", number && !missing ? v : "",
				  "hidden",
				  hidden_on_screen(req->arena, l, q, k),
				  "skip_if", cq->skip_if, "lower",
				  catalogue_number(req->arena, cq->lower),
				  "upper",
				  catalogue_number(req->arena, cq->upper),
				  "error", err));
	}
	const struct cat_subdimension *sd = &c->subdimensions[l->sc.sub[k]];
	return json_pack("{s:s, s:s, s:s, s:o}", "code", sd->code, "name",
			 sd->name_vi, "dimension",
			 c->dimensions[sd->dimension].name_vi, "questions", qs);
}

static json_t *form_ctx(struct request *req, const struct loaded *l, int k,
			json_t *errors)
{
	const struct interview *iv = &l->iv;
	bool review = k >= l->sc.n;
	int answered = 0, asked = 0;
	for (int q = 0; q < l->cx.cat.nquestions; q++) {
		if (interview_skipped(&l->cx.cat, l->vals, q))
			continue;
		asked++;
		answered += *l->vals[q] != '\0';
	}
	json_t *steps = json_array();
	for (int i = 0; i < l->sc.n; i++)
		json_array_append_new(
			steps,
			json_pack("{s:i, s:i, s:s, s:b}", "screen", i, "number",
				  i + 1, "code",
				  l->cx.cat.subdimensions[l->sc.sub[i]].code,
				  "current", i == k));
	json_t *ctx = json_pack(
		"{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:i, s:i, s:i, "
		"s:i, s:b, "
		"s:b, s:i, s:i, s:o, s:s}",
		"id", (json_int_t)iv->id, "round_id", (json_int_t)iv->round_id,
		"round", l->cx.round.name, "village", iv->unit_name,
		"gender_vi", interview_gender_vi(iv->gender), "age_group",
		iv->age_group, "status", iv->status, "draft",
		!strcmp(iv->status, "draft"), "screen", k, "number", k + 1,
		"nscreens", l->sc.n, "prev", k - 1, "next", k + 1, "has_prev",
		k > 0, "review", review, "answered", answered, "asked", asked,
		"steps", steps, "saved", param(req, "saved"));
	if (!review)
		json_object_set_new(ctx, "section",
				    screen_json(req, l, k, errors));
	return ctx;
}

static int screen_param(const struct request *req, const struct loaded *l)
{
	const char *s = param(req, "screen");
	char *end;
	long k = strtol(s, &end, 10);
	if (!*s || *end)
		return l->iv.screen < l->sc.n ? l->iv.screen : l->sc.n;
	return k < 0 ? 0 : k > l->sc.n ? l->sc.n : (int)k;
}

static enum err get_form(struct request *req, struct response *res)
{
	struct loaded l;
	bool sent;
	enum err err = load(req, res, &l, &sent);
	if (sent)
		return err;
	int k = screen_param(req, &l);
	return res_page(req, res, 200, "index/interview_form",
			arena_printf(req->arena, "Phiếu %lld – %s", l.iv.id,
				     l.iv.unit_name),
			form_ctx(req, &l, k, NULL));
}

/* This screen's answers from the form into l->vals: q_CODE (a choice or
 * a number) or m_CODE (a missing code, which wins). */
static void take_answers(struct request *req, struct loaded *l, int k)
{
	const struct catalogue *c = &l->cx.cat;
	for (int q = 0; q < c->nquestions; q++) {
		if (l->sc.of_q[q] != k)
			continue;
		const char *code = c->questions[q].code;
		const char *m =
			req_param(req, arena_printf(req->arena, "m_%s", code));
		const char *v =
			req_param(req, arena_printf(req->arena, "q_%s", code));
		const char *t = m && *m ? m : v ? text_trim(req->arena, v) : "";
		/* "1.234,5" typed the Vietnamese way */
		char *x = t ? arena_strdup(req->arena, t) : NULL;
		if (x && strchr(x, ',') &&
		    c->questions[q].type == ANSWER_AMOUNT) {
			size_t j = 0;
			for (size_t i = 0; x[i]; i++)
				if (x[i] != '.')
					x[j++] = x[i] == ',' ? '.' : x[i];
			x[j] = '\0';
		}
		l->vals[q] = x ? x : "";
	}
}

static enum err post_form(struct request *req, struct response *res)
{
	struct loaded l;
	bool sent;
	enum err err = load(req, res, &l, &sent);
	if (sent)
		return err;
	if (strcmp(l.iv.status, "draft"))
		return res_error(req, res, 409,
				 "Phiếu đã được gửi; không sửa được nữa.");
	int k = screen_param(req, &l);
	const char *action = param(req, "action");
	if (k < l.sc.n)
		take_answers(req, &l, k);
	interview_clear_skipped(&l.cx.cat, l.vals);
	struct error e = {0};
	const struct catalogue *c = &l.cx.cat;
	/* Answers of this screen that cannot be right go back at once. */
	struct problems p = {0};
	interview_validate(req->arena, c, l.vals, !strcmp(action, "submit"), 0,
			   NULL, &p);
	json_t *errors = json_object();
	bool here = false;
	for (int i = 0; i < p.kept; i++) {
		int q = interview_question(c, p.list[i].column);
		bool on_screen = q >= 0 && l.sc.of_q[q] == k;
		if (!strcmp(action, "submit") ||
		    (on_screen && strcmp(p.list[i].msg_vi, "Chưa trả lời.")))
			json_object_set_new(errors, p.list[i].column,
					    json_string(p.list[i].msg_vi));
		here |= on_screen && strcmp(p.list[i].msg_vi, "Chưa trả lời.");
	}
	if (here && strcmp(action, "submit")) {
		json_t *ctx = form_ctx(req, &l, k, errors);
		return res_invalid(req, res, "index/interview_form",
				   "Phiếu phỏng vấn", ctx, errors);
	}
	/* Save what is right so far, even when the submit is refused. */
	int next = !strcmp(action, "back")   ? (k > 0 ? k - 1 : 0)
		   : !strcmp(action, "next") ? (k < l.sc.n ? k + 1 : l.sc.n)
					     : k;
	char *packed = interview_pack(req->arena, c, l.vals);
	if (!packed) {
		json_decref(errors);
		return ERR_NOMEM;
	}
	if (!strcmp(action, "submit") && json_object_size(errors)) {
		err = ivdb_save(req->db, req->arena, l.iv.id, packed, k,
				"draft", &e);
		if (err) {
			json_decref(errors);
			return res_fail(req, res, err, &e);
		}
		json_t *list = json_array();
		for (int i = 0; i < p.kept; i++) {
			int q = interview_question(c, p.list[i].column);
			json_array_append_new(
				list,
				json_pack("{s:s, s:s, s:s, s:i, s:i}", "code",
					  p.list[i].column, "text",
					  q >= 0 ? c->questions[q].text_vi : "",
					  "message", p.list[i].msg_vi, "screen",
					  q >= 0 ? l.sc.of_q[q] : 0, "number",
					  q >= 0 ? l.sc.of_q[q] + 1 : 1));
		}
		if (req->api) {
			json_decref(errors);
			return res_json(req, res, 422,
					json_pack("{s:s, s:s, s:i, s:o}",
						  "error", "invalid", "message",
						  "Phiếu còn câu chưa trả lời "
						  "hoặc trả lời chưa đúng.",
						  "nproblems", p.n, "problems",
						  list));
		}
		json_t *ctx = form_ctx(req, &l, l.sc.n, NULL);
		json_object_set_new(ctx, "problems", list);
		json_object_set_new(ctx, "nproblems", json_integer(p.n));
		json_decref(errors);
		return res_invalid(req, res, "index/interview_form",
				   "Phiếu phỏng vấn", ctx,
				   json_pack("{s:s}", "answers",
					     "Phiếu còn câu chưa trả lời hoặc "
					     "trả lời chưa đúng."));
	}
	json_decref(errors);
	bool submit = !strcmp(action, "submit");
	struct actor who = actor_of(req);
	if ((err = db_begin(req->db, &e)))
		return res_fail(req, res, err, &e);
	err = ivdb_save(req->db, req->arena, l.iv.id, packed, submit ? k : next,
			submit ? "submitted" : "draft", &e);
	if (!err && submit) {
		json_t *after = json_pack("{s:s}", "answers", packed);
		err = iv_audit(req->db, req->arena, &who, "interview.submit",
			       l.iv.id, after, &e);
		json_decref(after);
	}
	/* the drawn person is interviewed: the village's progress counts it */
	bool lost = false;
	if (!err && submit && l.iv.sampled_person_id) {
		err = iv_contact_interviewed(
			req->db, req->arena, &who, l.iv.round_id,
			l.iv.sampled_person_id,
			arena_printf(req->arena, "Phiếu phỏng vấn số %lld.",
				     l.iv.id),
			&e);
		lost = err == ERR_NOTFOUND || err == ERR_INVALID;
	}
	if (!err)
		err = db_commit(req->db, &e);
	else
		db_rollback(req->db);
	if (lost) {
		/* a new draw since the interview began: not a missing page */
		log_warn("interviews: submit refused",
			 "interview=%lld error=\"%s\"", l.iv.id, e.msg);
		return res_error(req, res, 409,
				 "Người được chọn của phiếu này không còn "
				 "trong danh sách chọn mẫu; "
				 "phiếu chưa được gửi, hãy báo văn phòng.");
	}
	if (err == ERR_CONFLICT)
		return res_error(req, res, 409,
				 "Phiếu đã được gửi; không sửa được nữa.");
	if (err)
		return res_fail(req, res, err, &e);
	if (submit)
		return res_done(
			req, res,
			arena_printf(req->arena, "/index/interviews?round=%lld",
				     l.iv.round_id),
			arena_printf(req->arena, "Đã gửi phiếu %lld.", l.iv.id),
			json_pack("{s:I, s:s}", "id", (json_int_t)l.iv.id,
				  "status", "submitted"));
	/* saved=K tells interview.js the server has screen K: it forgets its copy */
	return res_done(
		req, res,
		arena_printf(req->arena,
			     "/index/interviews/%lld?screen=%d&saved=%d",
			     l.iv.id, next, k),
		NULL,
		json_pack("{s:I, s:s, s:i}", "id", (json_int_t)l.iv.id,
			  "status", "draft", "screen", next));
}

/* ---- import and export ---- */

static enum err get_import(struct request *req, struct response *res)
{
	struct error e = {0};
	enum err err;
	json_t *rounds = rounds_json(req, id_of(param(req, "round")), &e, &err);
	if (!rounds)
		return res_fail(req, res, err, &e);
	return res_page(req, res, 200, "index/interview_import", title_import,
			json_pack("{s:o}", "rounds", rounds));
}

static const char *upload(const struct request *req, const char *file,
			  const char *text)
{
	return req_file_text(req, file, text, NULL);
}

static enum err post_import(struct request *req, struct response *res)
{
	struct error e = {0};
	enum err err;
	long long round_id = id_of(param(req, "round"));
	json_t *ctx = json_pack("{s:o}", "rounds",
				rounds_json(req, round_id, &e, &err));
	const char *csv = upload(req, "file", "csv");
	const char *map = upload(req, "map_file", "map");
	json_t *errors = json_object();
	if (!round_id)
		json_object_set_new(errors, "round",
				    json_string("Vui lòng chọn đợt khảo sát."));
	if (!*csv)
		json_object_set_new(
			errors, "file",
			json_string(
				"Vui lòng chọn tệp CSV hoặc dán nội dung."));
	if (json_object_size(errors)) {
		return res_invalid(req, res, "index/interview_import",
				   title_import, ctx, errors);
	}
	json_decref(errors);
	struct iv_import im;
	struct problems p = {0};
	struct actor who = actor_of(req);
	err = iv_import(req->db, req->arena, &who, round_id, csv, strlen(csv),
			*map ? map : NULL, strlen(map), &im, &p, &e);
	if (err == ERR_INVALID) {
		json_t *list = json_array();
		for (int i = 0; i < p.kept; i++)
			json_array_append_new(
				list, json_pack("{s:i, s:s, s:s, s:s}", "line",
						p.list[i].line, "column",
						p.list[i].column, "message",
						p.list[i].msg_vi, "detail",
						p.list[i].msg_en));
		if (req->api) {
			json_decref(ctx);
			return res_json(
				req, res, 422,
				json_pack("{s:s, s:s, s:{s:s}, s:i, s:o}",
					  "error", "invalid", "message",
					  msg_import_bad, "errors", "file",
					  msg_import_bad, "nproblems", p.n,
					  "problems", list));
		}
		json_object_set_new(ctx, "problems", list);
		json_object_set_new(ctx, "nproblems", json_integer(p.n));
		json_object_set_new(ctx, "more", json_integer(p.n - p.kept));
		return res_invalid(req, res, "index/interview_import",
				   title_import, ctx,
				   json_pack("{s:s}", "file", msg_import_bad));
	}
	json_decref(ctx);
	if (err == ERR_NOTFOUND)
		return res_error(req, res, 404, "Không có đợt khảo sát này.");
	if (err)
		return res_fail(req, res, err, &e);
	json_t *ignored = json_array();
	for (int i = 0; i < im.nignored; i++)
		json_array_append_new(ignored, json_string(im.ignored[i]));
	return res_done(req, res,
			arena_printf(req->arena, "/index/interviews?round=%lld",
				     round_id),
			arena_printf(req->arena,
				     "Đã nhập %d phiếu (%d cột câu hỏi).",
				     im.nrows, im.nmapped),
			json_pack("{s:i, s:i, s:o}", "interviews", im.nrows,
				  "questions", im.nmapped, "ignored", ignored));
}

static enum err get_export(struct request *req, struct response *res)
{
	long long round_id = id_of(param(req, "round"));
	struct error e = {0};
	char *csv;
	size_t len;
	int rows;
	enum err err = round_id ? iv_export(req->db, req->arena, round_id,
					    !strcmp(param(req, "codes"), "1"),
					    &csv, &len, &rows, &e)
				: ERR_NOTFOUND;
	if (err)
		return res_fail(req, res, err, &e);
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	res->body = csv;
	res->len = len;
	res_header(res, "Content-Disposition",
		   arena_printf(
			   req->arena,
			   "attachment; filename=\"interviews_round_%lld.csv\"",
			   round_id));
	return ERR_OK;
}

void interview_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/index/interviews", get_list, IV_ROLES, "index"},
		{"POST", "/index/interviews/new", post_new, IV_ROLES, "index"},
		{"GET", "/index/interviews/import", get_import, ROLE_ADMIN,
		 "index"},
		{"POST", "/index/interviews/import", post_import, ROLE_ADMIN,
		 "index"},
		{"GET", "/index/interviews/export", get_export,
		 ROLE_ADMIN | ROLE_VICE_CHAIR, "index"},
		{"GET", "/index/interviews/{id}", get_form, IV_ROLES, "index"},
		{"POST", "/index/interviews/{id}", post_form, IV_ROLES,
		 "index"},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
