/* The web shell: the home page of each role, /healthz, /metrics and
 * static files. */
#include <string.h>
#include "internal.h"
#include "router.h"
#include "shell_db.h"
#include "../cli.h"
#include "../base/log.h"
#include "../base/banned.h"

/* The home page: one block per kind of role the user holds. */
struct home_item {
	const char *href, *label, *text;
};
static const struct home_block {
	unsigned roles;
	const char *title, *intro;
	struct home_item items[6];
} home_blocks[] = {
	{ROLE_CHAIR | ROLE_VICE_CHAIR,
	 "Tổng quan toàn xã",
	 "Toàn bộ kế hoạch nâng cao chỉ số PAPI của xã trên một trang.",
	 {{"/index", "Chỉ số PAPI",
	   "Điểm 8 lĩnh vực qua các đợt khảo sát và những chỉ số còn yếu."},
	  {"/plan", "Kế hoạch",
	   "Tiến độ nhiệm vụ theo từng bộ phận, việc quá hạn, yêu cầu giải "
	   "trình."},
	  {"/voice", "Tiếp nhận – giải quyết",
	   "Phản ánh, kiến nghị, khiếu nại, tố cáo đang giải quyết và sắp đến "
	   "hạn; lịch tiếp công dân."},
	  {"/report", "Báo cáo", "Báo cáo định kỳ gửi cấp trên đang chờ ký."},
	  {"/people", "Người dùng – đơn vị",
	   "Tài khoản, vai trò, đơn vị và nhật ký thay đổi."}}},
	{ROLE_OFFICE,
	 "Việc của văn phòng – thống kê",
	 "Thường trực kế hoạch: soạn, giao việc, đôn đốc, tổng hợp.",
	 {{"/plan", "Kế hoạch",
	   "Soạn kế hoạch, giao nhiệm vụ, đôn đốc các bộ phận, việc sắp đến "
	   "hạn."},
	  {"/index", "Chỉ số PAPI", "Tổ chức khảo sát, nhập phiếu, tính điểm."},
	  {"/disclosure", "Công khai",
	   "Những nội dung phải công khai và thời hạn niêm yết."},
	  {"/report", "Báo cáo", "Tổng hợp báo cáo định kỳ."},
	  {"/people", "Người dùng – đơn vị",
	   "Quản lý tài khoản, vai trò, đơn vị, lịch làm việc."}}},
	{ROLE_UNIT_HEAD | ROLE_OFFICER,
	 "Nhiệm vụ của bộ phận tôi",
	 "Những việc được giao cho bộ phận của bạn.",
	 {{"/plan", "Kế hoạch",
	   "Nhiệm vụ được giao, thời hạn, tiến độ; cập nhật kết quả và minh "
	   "chứng."},
	  {"/voice", "Tiếp nhận – giải quyết",
	   "Hồ sơ được chuyển đến bộ phận và thời hạn trả lời."}}},
	{ROLE_FRONT | ROLE_INSPECTION,
	 "Giám sát",
	 "Theo dõi việc thực hiện kế hoạch và công khai, ghi nhận kết quả giám "
	 "sát.",
	 {{"/plan", "Kế hoạch", "Kế hoạch và tiến độ thực hiện."},
	  {"/disclosure", "Công khai",
	   "Việc công khai có đúng nội dung, đúng thời hạn không."},
	  {"/oversight", "Kiểm tra – giám sát",
	   "Kết quả giám sát, kiến nghị và việc khắc phục."},
	  {"/voice", "Tiếp nhận – giải quyết",
	   "Số liệu phản ánh, khiếu nại, tố cáo và thời gian giải quyết."}}},
	{ROLE_VILLAGE_HEAD | ROLE_SURVEYOR,
	 "Thôn của tôi",
	 "Những việc ở thôn: thông báo, họp dân, khảo sát.",
	 {{"/outreach", "Tuyên truyền",
	   "Ghi lại các buổi họp, thông báo, tuyên truyền ở thôn."},
	  {"/disclosure", "Công khai",
	   "Những nội dung cần thông báo đến người dân trong thôn."},
	  {"/index", "Chỉ số PAPI",
	   "Nhập phiếu phỏng vấn khảo sát của thôn."}}},
	{ROLE_UPPER,
	 "Các xã trực thuộc",
	 "Theo dõi các xã: báo cáo và chỉ số PAPI.",
	 {{"/report", "Báo cáo", "Báo cáo định kỳ các xã gửi lên."},
	  {"/index", "Chỉ số PAPI", "So sánh điểm PAPI giữa các xã."}}},
};

static bool may_open(struct request *req, const char *href)
{
	const char *args[4];
	bool wrong;
	const struct route *r =
		router_match(req->arena, "GET", href, args, &wrong);
	return r && router_access(r, req->user) == ACCESS_OK;
}

static enum err home(struct request *req, struct response *res)
{
	struct error e = {0};
	json_t *roles = NULL;
	enum err err = shelldb_user_roles(req->db, req->arena, req->user->id,
					  &roles, &e);
	if (err) {
		log_error("home: roles", "error=\"%s\"", e.msg);
		return err;
	}
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r)
	{
		unsigned bit = role_from_key(
			json_string_value(json_object_get(r, "role")));
		json_object_set_new(
			r, "label",
			json_string(bit ? role_label_vi((enum role)bit)
					: json_string_value(
						  json_object_get(r, "role"))));
	}
	json_t *blocks = json_array();
	for (size_t b = 0; b < sizeof home_blocks / sizeof *home_blocks; b++) {
		const struct home_block *hb = &home_blocks[b];
		if (!(hb->roles & req->user->roles))
			continue;
		json_t *items = json_array();
		for (int k = 0; k < 6 && hb->items[k].href; k++)
			json_array_append_new(
				items,
				json_pack("{s:s, s:s, s:s, s:b}", "href",
					  hb->items[k].href, "label",
					  hb->items[k].label, "text",
					  hb->items[k].text, "link",
					  may_open(req, hb->items[k].href)));
		json_array_append_new(
			blocks, json_pack("{s:s, s:s, s:o}", "title", hb->title,
					  "intro", hb->intro, "items", items));
	}
	json_t *ctx = json_pack("{s:b, s:o, s:o}", "has_roles",
				json_array_size(roles) > 0, "roles", roles,
				"blocks", blocks);
	return res_page(req, res, 200, "shell/home", "Trang chủ", ctx);
}

static enum err healthz(struct request *req, struct response *res)
{
	struct error e = {0};
	bool ok = req->db && shelldb_ping(req->db, req->arena, &e) == ERR_OK;
	if (!ok)
		log_error("health check failed", "error=\"%s\"",
			  req->db ? e.msg : "no connection");
	res->status = ok ? 200 : 503;
	res->content_type = "text/plain; charset=utf-8";
	res->body = ok ? "ok\n" : "database unavailable\n";
	res->len = strlen(res->body);
	return ERR_OK;
}

/* Prometheus scrapes from the machine itself; anyone else must be an
 * administrator. */
static enum err metrics(struct request *req, struct response *res)
{
	const char *a = req->remote_addr ? req->remote_addr : "";
	bool local = !strcmp(a, "127.0.0.1") || !strcmp(a, "::1") ||
		     !strcmp(a, "::ffff:127.0.0.1");
	if (!local && !(req->user && (req->user->roles & ROLE_ADMIN)))
		return res_error(req, res, 403, NULL);
	char *text = metrics_text(req->arena);
	if (!text)
		return ERR_NOMEM;
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	res->body = text;
	res->len = strlen(text);
	return ERR_OK;
}

void shell_http_register(void)
{
	static const struct route routes[] = {
		{"GET", "/", home, ROLE_ANY_USER, "home"},
		{"GET", "/healthz", healthz, ROLE_PUBLIC, NULL},
		{"GET", "/metrics", metrics, ROLE_PUBLIC, NULL},
		{"GET", "/static/{path}", static_serve, ROLE_PUBLIC, NULL},
	};
	http_register(routes, (int)(sizeof routes / sizeof *routes));
}
