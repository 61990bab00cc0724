/* The pages of disclosure/: the register of a year (per required item its
 * periods and problems, then the disclosures, filtered and paginated,
 * CSV/XLSX export), one disclosure with its files, the phone-first form
 * (photo from the camera), a village head's evidence, the catalogue and
 * its editing, the public page /citizen/disclosures, and the daily
 * reminders job. Every page has its /api twin.
 *
 * Who may do what: the office and the chair record, edit and keep the
 * catalogue; a village head adds evidence to a disclosure naming their
 * village; the other staff, the front, the inspection boards and the
 * upper level read the communes plan_user_communes gives them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "disclosure.h"
#include "../cli.h"
#include "../base/clock.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../files/attachment.h"
#include "../http/form.h"
#include "../plan/plan_db.h"
#include "../plan/plan_views.h"
#include "../voice/voice.h"
#include "../base/banned.h"

#define EDIT_ROLES (ROLE_CHAIR | ROLE_OFFICE)
/* who approves a record for the public page */
#define APPROVE_ROLES (ROLE_CHAIR | ROLE_VICE_CHAIR)
#define READ_ROLES                                                             \
	(ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE | ROLE_UNIT_HEAD |         \
	 ROLE_OFFICER | ROLE_FRONT | ROLE_INSPECTION | ROLE_UPPER |            \
	 ROLE_VILLAGE_HEAD)

enum {
	PER_PAGE = 20,
	PUBLIC_PER_PAGE = 20,
	EXPORT_ARENA = 256 << 20,
	UPLOADS_MAX_HERE =
		ATTACHMENTS_MAX_PER_RECORD + 1, /* one more: refused */
};

static const char msg_forbidden[] =
	"Bạn không có quyền ghi sổ công khai. Chỉ Văn phòng và Chủ tịch UBND "
	"xã được ghi, sửa.";

static struct actor actor_of(const struct request *req)
{
	return (struct actor){req->user ? req->user->id : 0,
			      req->user ? req->user->username : "",
			      req->remote_addr ? req->remote_addr : ""};
}

static const char *param(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	v = v ? text_trim(req->arena, v) : "";
	return v ? v : "";
}

static long long id_param(const struct request *req, const char *name)
{
	const char *v = param(req, name);
	char *end;
	long long n = *v ? strtoll(v, &end, 10) : 0;
	return *v && (*end || n <= 0) ? -1 : n;
}

/* "dd/mm/yyyy" or ISO -> ISO; the text as typed when it is no date (the
 * model then says so), NULL when empty. */
static const char *date_param(struct request *req, const char *v)
{
	struct date d;
	if (!v || !*v)
		return NULL;
	if (!text_parse_date(v, &d))
		return v;
	char buf[11];
	date_format_iso(d, buf);
	return arena_strdup(req->arena, buf);
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

static bool can_edit(const struct request *req)
{
	return req->user && (req->user->roles & EDIT_ROLES);
}

static bool can_approve(const struct request *req)
{
	return req->user && (req->user->roles & APPROVE_ROLES);
}

/* The commune a page works in (?commune=ID among the user's), 0 if none. */
static enum err pick_commune(struct request *req, long long *commune,
			     long long **ids, int *n, struct error *e)
{
	enum err err = plan_user_communes(req, ids, n, e);
	if (err)
		return err;
	long long want = id_param(req, "commune");
	*commune = voice_pick_commune(req, *ids, *n, want > 0 ? want : 0);
	return ERR_OK;
}

static bool sees_commune(struct request *req, long long commune)
{
	long long *ids;
	int n;
	struct error e = {0};
	if (plan_user_communes(req, &ids, &n, &e))
		return false;
	for (int i = 0; i < n; i++)
		if (ids[i] == commune)
			return true;
	return false;
}

/* The filters of the register from the query; errors (Vietnamese) for
 * what is not understood. */
static void read_filters(struct request *req, struct disc_filter *f,
			 json_t *errors, json_t *echo)
{
	const char *y = param(req, "year"), *from = param(req, "from"),
		   *to = param(req, "to"), *dim = param(req, "dimension"),
		   *q = param(req, "q");
	f->year = clock_today_vn().y;
	if (*y) {
		char *end;
		long v = strtol(y, &end, 10);
		if (*end || v < 2000 || v > 2100)
			json_object_set_new(errors, "year",
					    json_string("Năm không hợp lệ."));
		else
			f->year = (int)v;
	}
	struct date d;
	if (*from && !text_parse_date(from, &d))
		json_object_set_new(errors, "from",
				    json_string("Từ ngày không hợp lệ "
						"(dd/mm/yyyy)."));
	if (*to && !text_parse_date(to, &d))
		json_object_set_new(errors, "to",
				    json_string("Đến ngày không hợp lệ "
						"(dd/mm/yyyy)."));
	if (*from || *to) {
		f->from = *from ? date_param(req, from) : NULL;
		f->to = *to ? date_param(req, to) : NULL;
		if (!*y)
			f->year = 0;
	}
	if (*dim) {
		if (strlen(dim) == 2 && dim[0] == 'D' && dim[1] >= '1' &&
		    dim[1] <= '8')
			f->dimension = dim;
		else
			json_object_set_new(errors, "dimension",
					    json_string("Lĩnh vực không hợp "
							"lệ."));
	}
	f->village_id = id_param(req, "village");
	f->item_id = id_param(req, "item");
	if (f->village_id < 0 || f->item_id < 0) {
		json_object_set_new(errors, "village",
				    json_string("Bộ lọc không hợp lệ."));
		f->village_id = f->village_id < 0 ? 0 : f->village_id;
		f->item_id = f->item_id < 0 ? 0 : f->item_id;
	}
	if (*q)
		f->q = text_fold(req->arena, q);
	f->problems_only = !strcmp(param(req, "problems"), "1");
	long page = strtol(param(req, "page"), NULL, 10);
	f->page = page > 0 && page < 1000000 ? (int)page : 1;
	f->per_page = PER_PAGE;
	json_object_set_new(echo, "year", json_string(y));
	json_object_set_new(echo, "from", json_string(from));
	json_object_set_new(echo, "to", json_string(to));
	json_object_set_new(echo, "q", json_string(q));
	json_object_set_new(echo, "dimension", json_string(dim));
	json_object_set_new(echo, "village", json_integer(f->village_id));
	json_object_set_new(echo, "item", json_integer(f->item_id));
	json_object_set_new(echo, "problems", json_boolean(f->problems_only));
}

/* The query string of the filters, for page links and the export. */
static const char *filter_query(struct request *req,
				const struct disc_filter *f, long long commune)
{
	char *s = arena_printf(req->arena, "commune=%lld", commune);
	const char *keys[] = {"year",    "from", "to", "dimension",
			      "village", "item", "q",  "problems"};
	for (size_t i = 0; s && i < sizeof keys / sizeof *keys; i++) {
		const char *v = param(req, keys[i]);
		if (*v)
			s = arena_printf(req->arena, "%s&%s=%s", s, keys[i],
					 form_encode(req->arena, v));
	}
	(void)f;
	return s ? s : "";
}

static json_t *dimension_options(const char *selected)
{
	static const char *const names[] = {
		"D1 Tham gia của người dân ở cấp cơ sở",
		"D2 Công khai, minh bạch",
		"D3 Trách nhiệm giải trình với người dân",
		"D4 Kiểm soát tham nhũng",
		"D5 Thủ tục hành chính công",
		"D6 Cung ứng dịch vụ công",
		"D7 Quản trị môi trường",
		"D8 Quản trị điện tử",
	};
	json_t *a = json_array();
	for (int i = 0; i < 8; i++) {
		char k[3] = {'D', (char)('1' + i), 0};
		json_array_append_new(
			a, json_pack("{s:s, s:s, s:b}", "key", k, "label",
				     names[i], "selected",
				     selected && !strcmp(selected, k)));
	}
	return a;
}

static void mark_selected(json_t *list, long long id)
{
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		json_object_set_new(
			x, "selected",
			json_boolean(json_integer_value(
					     json_object_get(x, "id")) == id));
	}
}

static json_t *communes_json(struct request *req, const long long *ids, int n,
			     long long selected)
{
	json_t *out = NULL;
	struct error e = {0};
	if (disc_communes(req->db, req->arena, ids, n, selected, &out, &e))
		return json_array();
	return out;
}

static void decorate_records(struct request *req, json_t *records)
{
	size_t i;
	json_t *x;
	json_array_foreach(records, i, x)
	{
		json_object_set_new(
			x, "from_vi",
			json_string(text_format_date(
				req->arena, json_string_value(json_object_get(
						    x, "posted_from")))));
		json_object_set_new(
			x, "to_vi",
			json_string(text_format_date(
				req->arena, json_string_value(json_object_get(
						    x, "posted_to")))));
	}
}

/* ---- GET /disclosure: the register ---- */

static enum err get_register(struct request *req, struct response *res)
{
	struct error e = {0};
	long long commune, *ids;
	int n;
	enum err err = pick_commune(req, &commune, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune)
		return res_error(req, res, 403,
				 "Tài khoản của bạn chưa gắn với xã nào.");
	struct disc_filter f = {.commune_id = commune};
	json_t *errors = json_object(), *echo = json_object();
	read_filters(req, &f, errors, echo);
	json_t *reg = NULL, *list = NULL, *villages = NULL;
	struct date today = clock_today_vn();
	/* The page's context is kept (plan views' cache: views_cache) until
	 * the database changes (every change writes an audit row, which
	 * moves the version) or the day does (the periods' states); per user,
	 * who sees their own communes and may or may not edit. */
	long long version = 0;
	const char *key = NULL;
	if (!json_object_size(errors) && pv_cache_on() &&
	    !pvdb_version(req->db, req->arena, &version, &e)) {
		key = arena_printf(req->arena,
				   "disclosure:register:%lld:%04d%02d%02d:%s&"
				   "page=%d",
				   req->user ? req->user->id : 0, today.y,
				   today.m, today.d,
				   filter_query(req, &f, commune), f.page);
		const char *data;
		size_t len;
		json_t *kept = key && pv_cache_get(req->arena, key, version,
						   &data, &len)
				       ? json_loadb(data, len, 0, NULL)
				       : NULL;
		if (kept) {
			json_decref(errors);
			json_decref(echo);
			return res_page(req, res, 200, "disclosure/register",
					"Sổ công khai", kept);
		}
	}
	int year = f.year ? f.year : today.y;
	err = disc_register(req->db, req->arena, commune, year, f.dimension,
			    today, &reg, &e);
	if (!err)
		err = disc_list(req->db, req->arena, &f, &list, &e);
	if (!err)
		err = disc_villages(req->db, req->arena, commune, &villages,
				    &e);
	if (err) {
		json_decref(errors);
		json_decref(echo);
		json_decref(reg);
		json_decref(list);
		return res_fail(req, res, err, &e);
	}
	mark_selected(villages, f.village_id);
	decorate_records(req, json_object_get(list, "records"));
	const char *qs = filter_query(req, &f, commune);
	long long page = json_integer_value(json_object_get(list, "page")),
		  pages = json_integer_value(json_object_get(list, "pages"));
	json_t *items_opt = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(reg, "items"), i, x)
	{
		json_array_append_new(
			items_opt,
			json_pack("{s:O, s:O, s:b}", "id",
				  json_object_get(x, "id"), "no",
				  json_object_get(x, "no"), "selected",
				  json_integer_value(json_object_get(
					  x, "id")) == f.item_id));
	}
	bool filtered = f.from || f.to || f.dimension || f.village_id ||
			f.item_id || f.q || f.problems_only;
	json_t *ctx = json_pack(
		"{s:I, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:s, "
		"s:s, s:s, s:o}",
		"commune_id", (json_int_t)commune, "year", year, "register",
		reg, "list", list, "villages", villages, "dimensions",
		dimension_options(f.dimension), "items", items_opt, "filters",
		echo, "communes", communes_json(req, ids, n, commune),
		"can_edit", can_edit(req), "filtered", filtered, "export_csv",
		arena_printf(req->arena, "/disclosure/export.csv?%s", qs),
		"export_xlsx",
		arena_printf(req->arena, "/disclosure/export.xlsx?%s", qs),
		"today",
		text_format_date(req->arena,
				 arena_printf(req->arena, "%04d-%02d-%02d",
					      today.y, today.m, today.d)),
		"errors", errors);
	json_object_set_new(ctx, "many_communes", json_boolean(n > 1));
	json_object_set_new(
		ctx, "page_of",
		json_string(arena_printf(req->arena, "Trang %lld/%lld", page,
					 pages)));
	if (page > 1)
		json_object_set_new(
			ctx, "prev_href",
			json_string(arena_printf(req->arena,
						 "/disclosure?%s&page=%lld", qs,
						 page - 1)));
	if (page < pages)
		json_object_set_new(
			ctx, "next_href",
			json_string(arena_printf(req->arena,
						 "/disclosure?%s&page=%lld", qs,
						 page + 1)));
	if (key && !json_object_size(errors)) {
		char *dump = json_dumps(ctx, JSON_COMPACT);
		if (dump)
			pv_cache_put(key, version, dump, strlen(dump));
		free(dump);
	}
	return res_page(req, res, json_object_size(errors) ? 422 : 200,
			"disclosure/register", "Sổ công khai", ctx);
}

static enum err export(struct request *req, struct response *res, bool xlsx) {
	struct error e = {0}; long long commune, *ids; int n;
	enum err err = pick_commune(req, &commune, &ids, &n, &e);
	if (err) return res_fail(req, res, err, &e);
	if (!commune) return res_error(
		req, res, 403, "Tài khoản của bạn chưa gắn với xã nào.");
	struct disc_filter f = {.commune_id = commune};
	json_t *errors = json_object(), *echo = json_object();
	read_filters(req, &f, errors, echo);
	bool bad = json_object_size(errors) > 0;
	json_decref(errors);
	json_decref(echo);
	if (bad) return res_error(
		req, res, 422, "Bộ lọc không hợp lệ, vui lòng kiểm tra lại.");
	struct arena a;
	arena_init(&a, EXPORT_ARENA);
	unsigned char * bytes;
	size_t len;
	const char * mime, *name;
	err = disc_export(req->db, &a, &f, xlsx, &bytes, &len, &mime, &name,
			  &e);
	char *body = err ? NULL : arena_alloc(req->arena, len + 1);
	if (body) memcpy(body, bytes, len);
	const char *disp = err ? NULL
			       : arena_printf(req->arena,
					      "attachment; filename=\"%s\"",
					      name);
	arena_release(&a);
	if (err) return res_fail(req, res, err, &e);
	if (!body ||
	    !disp) return res_fail(req, res, ERR_NOMEM,
				   &(struct error){ERR_NOMEM,
						   "export: out of memory"});
	res->status = 200;
	res->content_type = xlsx ? "application/vnd.openxmlformats-"
				   "officedocument.spreadsheetml.sheet"
				 : "text/csv; charset=utf-8";
	res->body = body;
	res->len = len;
	res_header(res, "Content-Disposition", disp);
	res_header(res, "Cache-Control", "private, no-store");
	return ERR_OK;
}

static enum err get_export_csv(struct request *req, struct response *res)
{
	return export(req, res, false);
}

static enum err get_export_xlsx(struct request *req, struct response *res)
{
	return export(req, res, true);
}

/* ---- the form ---- */

static json_t *form_ctx(struct request *req, long long commune,
			const struct disc_record *r, struct error *e,
			enum err *err)
{
	struct disc_item *items;
	int n;
	json_t *villages = NULL;
	*err = disc_items_load(req->db, req->arena, false, &items, &n, e);
	if (!*err)
		*err = disc_villages(req->db, req->arena, commune, &villages,
				     e);
	if (*err)
		return NULL;
	json_t *it = json_array();
	for (int i = 0; i < n; i++) {
		json_t *j = disc_item_json(req->arena, &items[i]);
		json_object_set_new(j, "selected",
				    json_boolean(items[i].id == r->item_id));
		json_array_append_new(it, j);
	}
	size_t i;
	json_t *v;
	json_array_foreach(villages, i, v)
	{
		long long id = json_integer_value(json_object_get(v, "id"));
		bool on = false;
		for (int k = 0; k < r->nvillages; k++)
			on |= r->villages[k] == id;
		json_object_set_new(v, "checked", json_boolean(on));
	}
	json_t *ch = json_array();
	for (int k = 0; k < DISC_NCHANNELS; k++)
		if (disc_channel_bit(k) & DISC_RECORD_CHANNELS)
			json_array_append_new(
				ch,
				json_pack("{s:s, s:s, s:b, s:b}", "key",
					  disc_channel_key(k), "label",
					  disc_channel_label_vi(k), "checked",
					  (r->channels & disc_channel_bit(k)) !=
						  0,
					  "village",
					  (DISC_VILLAGE_CHANNELS &
					   disc_channel_bit(k)) != 0));
	const char *days = arena_strdup(req->arena, "");
	for (int k = 0; k < r->ndays; k++)
		days = arena_printf(
			req->arena, "%s%s%s", days, k ? ", " : "",
			text_format_date(req->arena, r->days[k])
				? text_format_date(req->arena, r->days[k])
				: r->days[k]);
	const char *fv = r->posted_from
				 ? text_format_date(req->arena, r->posted_from)
				 : NULL;
	const char *tv = r->posted_to
				 ? text_format_date(req->arena, r->posted_to)
				 : NULL;
	/* 1..12: a quarter, a half or a month, by the item's frequency */
	json_t *periods = json_array();
	for (int p = 0; p <= 12; p++)
		json_array_append_new(
			periods,
			json_pack("{s:i, s:s, s:b}", "value", p, "label",
				  p ? arena_printf(req->arena, "Kỳ %d", p)
				    : "Cả năm / khi phát sinh",
				  "selected", r->period == p));
	return json_pack(
		"{s:I, s:I, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:i}",
		"id", (json_int_t)r->id, "commune_id", (json_int_t)commune,
		"item_choices", it, "village_choices", villages,
		"channel_choices", ch, "periods", periods, "title",
		r->title ? r->title : "", "note", r->note ? r->note : "",
		"posted_from", fv ? fv : (r->posted_from ? r->posted_from : ""),
		"posted_to", tv ? tv : (r->posted_to ? r->posted_to : ""),
		"days", days, "links",
		disc_links_text(req->arena, r->links, r->nlinks), "year",
		r->year);
}

static enum err show_form(struct request *req, struct response *res,
			  long long commune, const struct disc_record *r,
			  json_t *errors)
{
	struct error e = {0};
	enum err err;
	json_t *ctx = form_ctx(req, commune, r, &e, &err);
	if (!ctx) {
		json_decref(errors);
		return res_fail(req, res, err, &e);
	}
	const char *title =
		r->id ? "Sửa bản ghi công khai" : "Ghi nhận công khai";
	if (errors)
		return res_invalid(req, res, "disclosure/form", title, ctx,
				   errors);
	return res_page(req, res, 200, "disclosure/form", title, ctx);
}

/* The record from the form's fields; problems that the model cannot see
 * (a date list that does not parse) go to fp. */
static void read_record(struct request *req, struct disc_record *r,
			struct field_problems *fp)
{
	r->item_id = id_param(req, "item_id");
	r->title = param(req, "title");
	r->note = param(req, "note");
	r->posted_from = date_param(req, param(req, "posted_from"));
	r->posted_to = date_param(req, param(req, "posted_to"));
	if (!r->posted_from)
		r->posted_from = "";
	if (!r->posted_to)
		r->posted_to = "";
	const char *ch[DISC_NCHANNELS];
	int nch = req_params_all(req, "channels", ch, DISC_NCHANNELS);
	r->channels = 0;
	for (int i = 0; i < nch; i++) {
		unsigned b = 0;
		if (disc_channels_parse(req->arena, ch[i], &b, NULL))
			r->channels |= b & DISC_RECORD_CHANNELS;
	}
	const char *v[DISC_VILLAGES_MAX];
	int nv = req_params_all(req, "villages", v, DISC_VILLAGES_MAX);
	r->nvillages = 0;
	for (int i = 0; i < nv; i++) {
		char *end;
		long long id = strtoll(v[i], &end, 10);
		if (!*end && id > 0)
			r->villages[r->nvillages++] = id;
	}
	/* loudspeaker days: "04/05/2026, 05/05/2026" */
	const char *days = param(req, "days");
	r->ndays = 0;
	while (*days) {
		size_t n = strcspn(days, ",; \n\r\t");
		if (n) {
			const char *d = date_param(
				req, arena_strndup(req->arena, days, n));
			struct date x;
			if (!date_parse_iso(d, &x) ||
			    r->ndays >= DISC_DAYS_MAX) {
				if (fp->n < 32)
					fp->list[fp->n++] =
						(struct field_problem){
							"days",
							"bad broadcast days",
							"Ngày phát thanh không "
							"hợp lệ "
							"(dd/mm/yyyy, cách "
							"nhau bởi "
							"dấu phẩy)."};
				break;
			}
			r->days[r->ndays++] = d;
		}
		days += n;
		if (*days)
			days++;
	}
	const char *bad = NULL;
	if (!disc_links_parse(req->arena, param(req, "links"), r->links,
			      &r->nlinks, &bad) &&
	    fp->n < 32)
		fp->list[fp->n++] = (struct field_problem){
			"links", "bad PAPI link",
			"Liên kết PAPI không hợp lệ (ví dụ D2 hoặc D2:2.2)."};
	/* the year and period follow the posting's first day unless given */
	struct date from;
	bool hf = date_parse_iso(r->posted_from, &from);
	const char *y = param(req, "year");
	r->year = *y ? (int)strtol(y, NULL, 10) : hf ? from.y : 0;
	const char *p = param(req, "period");
	r->period = *p ? (int)strtol(p, NULL, 10) : -1;
	if (r->period < 0 || r->period > 12)
		r->period = -1;
}

static enum err save(struct request *req, struct response *res,
		     long long commune, struct disc_record *r)
{
	struct field_problems fp = {0};
	read_record(req, r, &fp);
	r->commune_id = commune;
	struct error e = {0};
	if (r->period < 0) {
		/* the period the posting begins in, by the item's frequency */
		struct disc_item it;
		struct date from;
		r->period = 0;
		if (r->item_id > 0 &&
		    !disc_item_get(req->db, req->arena, r->item_id, &it, &e) &&
		    date_parse_iso(r->posted_from, &from))
			r->period = disc_period_of(it.frequency, from);
	}
	const struct upload *docs[UPLOADS_MAX_HERE], *ev[UPLOADS_MAX_HERE];
	int nd = req_uploads(req, "document", docs, UPLOADS_MAX_HERE);
	int ne = req_uploads(req, "evidence", ev, UPLOADS_MAX_HERE);
	struct actor who = actor_of(req);
	enum err err = ERR_OK;
	if (!fp.n)
		err = disc_save(req->db, req->arena, &who, r, docs, nd, ev, ne,
				&fp, &e);
	if (fp.n || err == ERR_INVALID)
		return show_form(req, res, commune, r, errors_json(&fp));
	/* what the chair records or edits is approved as it is saved; an
	 * edit by the office waits for approval again */
	if (!err && can_approve(req))
		err = disc_approve(req->db, req->arena, &who, r->id, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res,
			arena_printf(req->arena, "/disclosure/%lld", r->id),
			"Đã lưu bản ghi công khai.",
			json_pack("{s:I}", "id", (json_int_t)r->id));
}

static enum err get_new(struct request *req, struct response *res)
{
	struct error e = {0};
	long long commune, *ids;
	int n;
	enum err err = pick_commune(req, &commune, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune)
		return res_error(req, res, 403, msg_forbidden);
	struct disc_record r = {.item_id = id_param(req, "item"),
				.channels = DISC_NOTICE_BOARD,
				.period = -1};
	char buf[11];
	date_format_iso(clock_today_vn(), buf);
	r.posted_from = arena_strdup(req->arena, buf);
	return show_form(req, res, commune, &r, NULL);
}

static enum err post_new(struct request *req, struct response *res)
{
	struct error e = {0};
	long long commune, *ids;
	int n;
	enum err err = pick_commune(req, &commune, &ids, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!commune)
		return res_error(req, res, 403, msg_forbidden);
	struct disc_record r = {0};
	return save(req, res, commune, &r);
}

/* The record of the route's {id} when the user sees its commune. */
static bool record_of(struct request *req, struct response *res,
		      struct disc_record *r, enum err *err)
{
	struct error e = {0};
	long long id = req_arg_id(req, 0);
	*err = id > 0 ? disc_get(req->db, req->arena, id, r, &e)
		      : error_set(&e, ERR_NOTFOUND, "no such disclosure");
	if (!*err && !sees_commune(req, r->commune_id))
		*err = error_set(&e, ERR_NOTFOUND,
				 "disclosure %lld: not "
				 "visible",
				 id);
	if (*err) {
		*err = res_fail(req, res, *err, &e);
		return false;
	}
	return true;
}

static bool is_village_head_of(struct request *req, const struct disc_record *r)
{
	if (!req->user || !(req->user->roles & ROLE_VILLAGE_HEAD))
		return false;
	static const char *const roles[] = {"village_head"};
	for (int i = 0; i < r->nvillages; i++) {
		bool has = false;
		struct error e = {0};
		if (!plandb_user_has_role_on(req->db, req->arena, req->user->id,
					     roles, 1, r->villages[i], &has,
					     &e) &&
		    has)
			return true;
	}
	return false;
}

static enum err get_record(struct request *req, struct response *res)
{
	struct disc_record r;
	enum err err;
	if (!record_of(req, res, &r, &err))
		return err;
	struct error e = {0};
	json_t *j;
	err = disc_json(req->db, req->arena, &r, &j, &e);
	if (err)
		return res_fail(req, res, err, &e);
	json_object_set_new(
		j, "from_vi",
		json_string(text_format_date(req->arena, r.posted_from)));
	json_object_set_new(
		j, "to_vi",
		json_string(text_format_date(req->arena, r.posted_to)));
	json_t *ctx = json_pack(
		"{s:o, s:b, s:b, s:b, s:b, s:s}", "record", j, "can_edit",
		can_edit(req), "can_add_evidence",
		can_edit(req) || is_village_head_of(req, &r), "can_approve",
		can_approve(req), "approved", r.approved_at != NULL,
		"approved_vi",
		r.approved_at ? text_format_datetime(req->arena, r.approved_at)
			      : "");
	return res_page(req, res, 200, "disclosure/record", r.title, ctx);
}

/* The chair or a vice-chair approves a record for the public page. */
static enum err post_approve(struct request *req, struct response *res)
{
	struct disc_record r;
	enum err err;
	if (!record_of(req, res, &r, &err))
		return err;
	struct error e = {0};
	struct actor who = actor_of(req);
	err = disc_approve(req->db, req->arena, &who, r.id, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/disclosure/%lld", r.id),
		"Đã duyệt: bản ghi hiện trên trang công khai cho người dân "
		"trong thời gian công khai.",
		json_pack("{s:I, s:b}", "id", (json_int_t)r.id, "approved", 1));
}

static enum err get_edit(struct request *req, struct response *res)
{
	struct disc_record r;
	enum err err;
	if (!record_of(req, res, &r, &err))
		return err;
	return show_form(req, res, r.commune_id, &r, NULL);
}

static enum err post_edit(struct request *req, struct response *res)
{
	struct disc_record r;
	enum err err;
	if (!record_of(req, res, &r, &err))
		return err;
	long long id = r.id, commune = r.commune_id;
	memset(&r, 0, sizeof r);
	r.id = id;
	return save(req, res, commune, &r);
}

static enum err post_evidence(struct request *req, struct response *res)
{
	struct disc_record r;
	enum err err;
	if (!record_of(req, res, &r, &err))
		return err;
	if (!can_edit(req) && !is_village_head_of(req, &r))
		return res_error(req, res, 403,
				 "Chỉ Văn phòng, Chủ tịch hoặc trưởng thôn "
				 "được công khai tại thôn mới thêm được minh "
				 "chứng.");
	const struct upload *f[UPLOADS_MAX_HERE];
	int n = req_uploads(req, "evidence", f, UPLOADS_MAX_HERE);
	struct field_problems fp = {0};
	struct error e = {0};
	struct actor who = actor_of(req);
	err = disc_add_evidence(req->db, req->arena, &who, r.id, f, n, &fp, &e);
	if (err == ERR_INVALID) {
		json_t *j;
		if (disc_json(req->db, req->arena, &r, &j, &e))
			return res_fail(req, res, ERR_DB, &e);
		json_t *ctx =
			json_pack("{s:o, s:b, s:b}", "record", j, "can_edit",
				  can_edit(req), "can_add_evidence", true);
		return res_invalid(req, res, "disclosure/record", r.title, ctx,
				   errors_json(&fp));
	}
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(
		req, res, arena_printf(req->arena, "/disclosure/%lld", r.id),
		"Đã thêm minh chứng.",
		json_pack("{s:I, s:i}", "id", (json_int_t)r.id, "added", n));
}

static enum err post_delete(struct request *req, struct response *res)
{
	struct disc_record r;
	enum err err;
	if (!record_of(req, res, &r, &err))
		return err;
	struct error e = {0};
	struct actor who = actor_of(req);
	err = disc_delete(req->db, req->arena, &who, r.id, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res, "/disclosure", "Đã xóa bản ghi công khai.",
			json_pack("{s:I}", "deleted", (json_int_t)r.id));
}

/* ---- the catalogue ---- */

static enum err get_items(struct request *req, struct response *res)
{
	struct disc_item *items;
	int n;
	struct error e = {0};
	enum err err =
		disc_items_load(req->db, req->arena, true, &items, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list,
				      disc_item_json(req->arena, &items[i]));
	return res_page(req, res, 200, "disclosure/items",
			"Danh mục nội dung công khai",
			json_pack("{s:o, s:b}", "items", list, "can_edit",
				  can_edit(req)));
}

static enum err get_items_csv(struct request *req, struct response *res)
{
	struct disc_item *items;
	int n;
	struct error e = {0};
	enum err err =
		disc_items_load(req->db, req->arena, true, &items, &n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return res_fail(req, res, ERR_NOMEM,
				&(struct error){ERR_NOMEM, "out of memory"});
	fputs("\xEF\xBB\xBF", f); /* Excel reads UTF-8 only with a BOM */
	err = disc_items_write_csv(f, items, n, &e);
	fclose(f);
	char *body = err ? NULL : arena_strndup(req->arena, buf, len);
	free(buf);
	if (err)
		return res_fail(req, res, err, &e);
	if (!body)
		return res_fail(req, res, ERR_NOMEM,
				&(struct error){ERR_NOMEM, "out of memory"});
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	res->body = body;
	res->len = len;
	res_header(res, "Content-Disposition",
		   "attachment; filename=\"danh-muc-cong-khai.csv\"");
	res_header(res, "Cache-Control", "private, no-store");
	return ERR_OK;
}

/* POST /disclosure/items/import: the whole catalogue from a CSV, all or
 * nothing; every bad row named on the page. */
static enum err post_items_import(struct request *req, struct response *res)
{
	const char *name = NULL;
	const char *text = req_file_text(req, "file", "text", &name);
	struct disc_item *items = NULL;
	int n = 0;
	struct problems p = {0};
	struct error e = {0};
	enum err err = disc_items_parse_csv(req->arena, text, strlen(text),
					    &items, &n, &p, &e);
	if (err)
		return res_fail(req, res, err, &e);
	if (!*text)
		problems_add(req->arena, &p, 0, "", "Vui lòng chọn tệp CSV.",
			     "no file");
	if (p.n) {
		json_t *list = json_array();
		for (int i = 0; i < p.kept; i++)
			json_array_append_new(
				list, json_pack("{s:i, s:s, s:s}", "line",
						p.list[i].line, "column",
						p.list[i].column, "message",
						p.list[i].msg_vi));
		struct disc_item *cur;
		int ncur;
		json_t *cl = json_array();
		if (!disc_items_load(req->db, req->arena, true, &cur, &ncur,
				     &e))
			for (int i = 0; i < ncur; i++)
				json_array_append_new(
					cl,
					disc_item_json(req->arena, &cur[i]));
		json_t *ctx = json_pack("{s:o, s:b, s:o, s:i}", "items", cl,
					"can_edit", true, "import_problems",
					list, "import_problem_count", p.n);
		return res_invalid(req, res, "disclosure/items",
				   "Danh mục nội dung công khai", ctx,
				   json_pack("{s:s}", "file",
					     "Tệp có lỗi, danh mục không thay "
					     "đổi."));
	}
	struct actor who = actor_of(req);
	err = disc_items_replace(req->db, req->arena, &who, items, n, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res, "/disclosure/items",
			arena_printf(req->arena,
				     "Đã nhập %d nội dung vào danh mục.", n),
			json_pack("{s:i}", "imported", n));
}

static json_t *item_form_ctx(struct request *req, const struct disc_item *it)
{
	json_t *j = disc_item_json(req->arena, it);
	json_t *ch = json_array();
	for (int k = 0; k < DISC_NCHANNELS; k++)
		json_array_append_new(
			ch,
			json_pack("{s:s, s:s, s:b}", "key", disc_channel_key(k),
				  "label", disc_channel_label_vi(k), "checked",
				  (it->channels & disc_channel_bit(k)) != 0));
	json_t *fr = json_array();
	static const char *const keys[] = {"on_event", "yearly", "half_yearly",
					   "quarterly", "monthly"};
	for (int k = 0; k < 5; k++)
		json_array_append_new(
			fr,
			json_pack("{s:s, s:s, s:b}", "key", keys[k], "label",
				  disc_frequency_label_vi(keys[k]), "selected",
				  it->frequency &&
					  !strcmp(it->frequency, keys[k])));
	return json_pack("{s:o, s:o, s:o}", "item", j, "channel_choices", ch,
			 "frequencies", fr);
}

static enum err get_item(struct request *req, struct response *res)
{
	struct disc_item it;
	struct error e = {0};
	enum err err =
		disc_item_get(req->db, req->arena, req_arg_id(req, 0), &it, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_page(req, res, 200, "disclosure/item_form",
			"Sửa nội dung công khai", item_form_ctx(req, &it));
}

static int int_param(struct request *req, const char *name, int bad)
{
	const char *v = param(req, name);
	char *end;
	long n = strtol(v, &end, 10);
	return *v && !*end && n > -100000 && n < 100000 ? (int)n : bad;
}

static enum err post_item(struct request *req, struct response *res)
{
	struct disc_item it;
	struct error e = {0};
	enum err err =
		disc_item_get(req->db, req->arena, req_arg_id(req, 0), &it, &e);
	if (err)
		return res_fail(req, res, err, &e);
	struct field_problems fp = {0};
	it.no = int_param(req, "no", -1);
	it.title = param(req, "title");
	it.description = param(req, "description");
	it.legal_basis = param(req, "legal_basis");
	it.frequency = param(req, "frequency");
	it.min_days = int_param(req, "min_days", -1);
	it.loudspeaker_days = int_param(req, "loudspeaker_days", -1);
	it.wording_done = !strcmp(param(req, "wording_done"), "1");
	it.active = !strcmp(param(req, "active"), "1");
	const char *ch[DISC_NCHANNELS];
	int nch = req_params_all(req, "channels", ch, DISC_NCHANNELS);
	it.channels = 0;
	for (int i = 0; i < nch; i++) {
		unsigned b = 0;
		if (disc_channels_parse(req->arena, ch[i], &b, NULL))
			it.channels |= b;
	}
	const char *bad = NULL;
	if (!disc_links_parse(req->arena, param(req, "links"), it.links,
			      &it.nlinks, &bad))
		fp.list[fp.n++] = (struct field_problem){
			"links", "bad PAPI link",
			"Liên kết PAPI không hợp lệ (ví dụ D2 hoặc D2:2.2)."};
	struct actor who = actor_of(req);
	if (!fp.n)
		err = disc_item_save(req->db, req->arena, &who, &it, &fp, &e);
	if (fp.n || err == ERR_INVALID || err == ERR_CONFLICT)
		return res_invalid(req, res, "disclosure/item_form",
				   "Sửa nội dung công khai",
				   item_form_ctx(req, &it), errors_json(&fp));
	if (err)
		return res_fail(req, res, err, &e);
	return res_done(req, res, "/disclosure/items",
			"Đã lưu nội dung công khai.",
			json_pack("{s:I}", "id", (json_int_t)it.id));
}

/* ---- public ---- */

static const char *today_iso(struct request *req)
{
	char buf[11];
	date_format_iso(clock_today_vn(), buf);
	return arena_strdup(req->arena, buf);
}

static enum err get_public(struct request *req, struct response *res)
{
	struct error e = {0};
	json_t *out;
	long page = strtol(param(req, "page"), NULL, 10);
	/* ?xa=12424: one commune's, like the other citizen pages */
	const char *xa = param(req, "xa");
	struct unit u = {0};
	if (*xa && (units_find(req->db, req->arena, xa, &u, &e) ||
		    strcmp(u.kind, "commune")))
		return res_error(req, res, 404, "Không tìm thấy xã này.");
	enum err err =
		disc_public_list(req->db, req->arena, today_iso(req), u.id,
				 page > 0 && page < 100000 ? (int)page : 1,
				 PUBLIC_PER_PAGE, &out, &e);
	if (err)
		return res_fail(req, res, err, &e);
	const char *more = *xa ? arena_printf(req->arena, "xa=%s&",
					      form_encode(req->arena, xa))
			       : "";
	json_object_set_new(out, "commune_name",
			    json_string(u.id ? u.full_name : ""));
	decorate_records(req, json_object_get(out, "records"));
	/* the files through the public route: /files/ asks for a login */
	size_t i, k;
	json_t *x, *f;
	json_array_foreach(json_object_get(out, "records"), i, x)
	{
		json_array_foreach(json_object_get(x, "files"), k, f)
		{
			json_object_set_new(
				f, "url",
				json_string(arena_printf(
					req->arena,
					"/citizen/disclosures/files/%lld",
					(long long)json_integer_value(
						json_object_get(f, "id")))));
		}
	}
	long long p = json_integer_value(json_object_get(out, "page")),
		  pages = json_integer_value(json_object_get(out, "pages"));
	if (p > 1)
		json_object_set_new(
			out, "prev_href",
			json_string(arena_printf(
				req->arena, "/citizen/disclosures?%spage=%lld",
				more, p - 1)));
	if (p < pages)
		json_object_set_new(
			out, "next_href",
			json_string(arena_printf(
				req->arena, "/citizen/disclosures?%spage=%lld",
				more, p + 1)));
	json_object_set_new(out, "page_of",
			    json_string(arena_printf(
				    req->arena, "Trang %lld/%lld", p, pages)));
	return res_page(req, res, 200, "disclosure/public",
			"Thông tin công khai", out);
}

/* ---- files ---- */

/* GET /citizen/disclosures/files/{id}: a document of a disclosure being
 * posted today, to anyone (the notice board is public); else 404. */
static enum err get_public_file(struct request *req, struct response *res)
{
	long long id = req_arg_id(req, 0);
	struct attachment meta = {0};
	const unsigned char *data;
	size_t len;
	struct error e = {0};
	bool now = false;
	long long commune;
	if (id <= 0 ||
	    attachment_get(req->db, req->arena, id, &meta, &data, &len, &e) ||
	    strcmp(meta.owner, "disclosure") ||
	    disc_public_state(req->db, req->arena, meta.owner_id,
			      today_iso(req), &now, &commune, &e) ||
	    !now)
		return res_fail(req, res, ERR_NOTFOUND, NULL);
	const char *mime = meta.mime ? meta.mime : "application/octet-stream";
	char *plain =
		text_fold(req->arena, meta.filename ? meta.filename : "tep");
	for (char *c = plain; c && *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f ||
		    *c == '"' || *c == '\\')
			*c = '_';
	bool inl =
		!strncmp(mime, "image/", 6) || !strcmp(mime, "application/pdf");
	res_header(res, "Content-Disposition",
		   arena_printf(req->arena, "%s; filename=\"%s\"",
				inl ? "inline" : "attachment",
				plain ? plain : "tep"));
	res_header(res, "Cache-Control", "public, max-age=300");
	res->status = 200;
	res->content_type = mime;
	res->body = (const char *)data;
	res->len = len;
	return ERR_OK;
}

static bool can_read_document(struct request *req, const char *owner,
			      long long id)
{
	(void)owner;
	bool now = false;
	long long commune = 0;
	struct error e = {0};
	if (disc_public_state(req->db, req->arena, id, today_iso(req), &now,
			      &commune, &e))
		return false;
	/* a document being posted is public, like the notice board */
	if (now)
		return true;
	return req->user && (req->user->roles & READ_ROLES) &&
	       sees_commune(req, commune);
}

static bool can_read_evidence(struct request *req, const char *owner,
			      long long id)
{
	(void)owner;
	bool now = false;
	long long commune = 0;
	struct error e = {0};
	if (!req->user || !(req->user->roles & READ_ROLES) ||
	    disc_public_state(req->db, req->arena, id, today_iso(req), &now,
			      &commune, &e))
		return false;
	return sees_commune(req, commune);
}

/* ---- the daily reminders ---- */

static enum err job_remind(struct db *db, struct arena *a,
			   const struct config *cfg, struct error *e)
{
	(void)cfg;
	/* once a day per process; the reminders table keeps each problem
	 * from being told twice across days and restarts */
	static long last_day = -1;
	struct date today = clock_today_vn();
	long day = date_to_days(today);
	if (day == last_day)
		return ERR_OK;
	int sent = 0;
	enum err err = disc_remind(db, a, today, &sent, e);
	if (err)
		return err;
	last_day = day;
	if (sent)
		log_info("disclosure reminders", "sent=%d", sent);
	return ERR_OK;
}

void disclosure_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/disclosure", get_register, READ_ROLES, "disclosure"},
		{"GET", "/disclosure/export.csv", get_export_csv, READ_ROLES,
		 "disclosure"},
		{"GET", "/disclosure/export.xlsx", get_export_xlsx, READ_ROLES,
		 "disclosure"},
		{"GET", "/disclosure/new", get_new, EDIT_ROLES, "disclosure"},
		{"POST", "/disclosure/new", post_new, EDIT_ROLES, "disclosure"},
		{"GET", "/disclosure/items", get_items, READ_ROLES,
		 "disclosure"},
		{"GET", "/disclosure/items/export.csv", get_items_csv,
		 READ_ROLES, "disclosure"},
		{"POST", "/disclosure/items/import", post_items_import,
		 EDIT_ROLES, "disclosure"},
		{"GET", "/disclosure/items/{id}", get_item, EDIT_ROLES,
		 "disclosure"},
		{"POST", "/disclosure/items/{id}", post_item, EDIT_ROLES,
		 "disclosure"},
		{"GET", "/disclosure/{id}", get_record, READ_ROLES,
		 "disclosure"},
		{"GET", "/disclosure/{id}/edit", get_edit, EDIT_ROLES,
		 "disclosure"},
		{"POST", "/disclosure/{id}/edit", post_edit, EDIT_ROLES,
		 "disclosure"},
		{"POST", "/disclosure/{id}/evidence", post_evidence,
		 EDIT_ROLES | ROLE_VILLAGE_HEAD, "disclosure"},
		{"POST", "/disclosure/{id}/approve", post_approve,
		 APPROVE_ROLES, "disclosure"},
		{"POST", "/disclosure/{id}/delete", post_delete, EDIT_ROLES,
		 "disclosure"},
		{"GET", "/citizen/disclosures", get_public, ROLE_PUBLIC, NULL},
		{"GET", "/citizen/disclosures/files/{id}", get_public_file,
		 ROLE_PUBLIC, NULL},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	attachment_register_owner("disclosure", can_read_document);
	attachment_register_owner("disclosure_evidence", can_read_evidence);
	http_register_job("disclosure_remind", job_remind);
}
