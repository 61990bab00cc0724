/* Demo cases for xã Tiên Tiến (voice.h): every type, statuses along the
 * workflow, some overdue and some due soon on the day it runs (the demo
 * day is 27/11/2026), a sealed denunciation, an answered and published
 * feedback, rated answers, and the weekly reception schedule (Thursday
 * mornings, the chair) with one session's register. Days are counted
 * back from today so the clocks show the same picture any day. Through
 * the storage functions only: what the demo shows is what they make. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "voice.h"
#include "../base/clock.h"
#include "../base/banned.h"

enum { DEMO_VILLAGES_MAX = 16 };

struct demo {
	struct db *db;
	struct arena *a;
	struct error *e;
	long long commune, villages[DEMO_VILLAGES_MAX];
	int nvillages;
	long long dia_chinh, van_hoa, tu_phap;
	struct actor office, chair, handler, head;
	json_t *topics;
};

static long long topic(struct demo *d, const char *code)
{
	size_t i;
	json_t *t;
	json_array_foreach(d->topics, i, t)
	{
		const char *c = json_string_value(json_object_get(t, "code"));
		if (c && !strcmp(c, code))
			return json_integer_value(json_object_get(t, "id"));
	}
	return 0;
}

static const char *days_ago(struct demo *d, int n)
{
	char buf[11];
	date_format_iso(date_from_days(date_to_days(clock_today_vn()) - n),
			buf);
	return arena_strdup(d->a, buf);
}

struct seed {
	const char *type, *channel, *topic;
	int village; /* index, -1 none */
	const char *title, *body, *name, *phone, *address;
	int received_ago;
};

static enum err make(struct demo *d, const struct seed *s, const char **secret,
		     long long *id)
{
	struct field_problems fp = {0};
	struct voice_case c = {
		.commune_id = d->commune,
		.case_type = s->type,
		.channel = s->channel,
		.topic_id = topic(d, s->topic),
		.village_id = s->village >= 0 && s->village < d->nvillages
				      ? d->villages[s->village]
				      : 0,
		.title = s->title,
		.body = s->body,
		.citizen_name = s->name,
		.citizen_phone = s->phone,
		.citizen_address = s->address,
		.received_on = days_ago(d, s->received_ago),
		.portal_id = !strcmp(s->channel, "portal")
				     ? "G22.97-241112-0031"
				     : NULL,
		.lat = NAN,
		.lon = NAN,
	};
	const struct actor *who =
		!strcmp(s->channel, "online") ? NULL : &d->office;
	enum err err =
		case_create(d->db, d->a, who, &c, NULL, 0, secret, &fp, d->e);
	*id = c.id;
	return err;
}

static enum err act(struct demo *d, long long id, const char *kind, int ago,
		    long long unit, const struct actor *who)
{
	struct field_problems fp = {0};
	struct case_action x = {
		.kind = kind,
		.on = ago >= 0 ? days_ago(d, ago) : NULL,
		.unit_id = unit,
		.handler_id = unit == d->dia_chinh ? d->handler.user_id : 0,
		.complexity = -1,
		.remote = -1};
	if (!strcmp(kind, "forward"))
		x.forwarded_to = "Công ty Cổ phần Nước sạch Hưng Yên";
	if (!strcmp(kind, "refuse"))
		x.reason = "Nội dung đã được UBND xã trả lời tại Văn bản số "
			   "45/UBND-VP ngày 12/9/2026, không có tình tiết mới.";
	return case_act(d->db, d->a, who ? who : &d->office, id, &x, &fp, d->e);
}

static enum err answer(struct demo *d, long long id, const char *body,
		       bool approve)
{
	struct field_problems fp = {0};
	long long aid;
	enum err err = case_answer_save(d->db, d->a, &d->handler, id, body,
					true, NULL, 0, &aid, &fp, d->e);
	if (!err && approve)
		err = case_answer_review(d->db, d->a, &d->chair, aid, true, "",
					 &fp, d->e);
	return err;
}

static enum err find_users(struct demo *d)
{
	static const struct {
		const char *username;
		size_t off;
	} who[] = {
		{"vanphong", offsetof(struct demo, office)},
		{"chutich", offsetof(struct demo, chair)},
		{"canbo", offsetof(struct demo, handler)},
		{"truongbp", offsetof(struct demo, head)},
	};
	for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
		struct actor *x = (struct actor *)((char *)d + who[i].off);
		enum err err = users_by_username(d->db, d->a, who[i].username,
						 &x->user_id, d->e);
		if (err)
			return err;
		x->username = who[i].username;
		x->remote_addr = "";
	}
	return ERR_OK;
}

static enum err find_units(struct demo *d)
{
	struct unit u;
	json_t *units;
	enum err err = units_by_code(d->db, d->a, "12424", "commune",
				     "2025-07-01", &u, d->e);
	if (!err)
		err = plan_unit_choices(d->db, d->a, u.id, &units, d->e);
	if (err)
		return err;
	d->commune = u.id;
	size_t i;
	json_t *x;
	json_array_foreach(units, i, x)
	{
		const char *kind =
			json_string_value(json_object_get(x, "kind"));
		const char *name =
			json_string_value(json_object_get(x, "name"));
		long long id = json_integer_value(json_object_get(x, "id"));
		if (json_integer_value(json_object_get(x, "parent_id")) !=
			    u.id ||
		    !kind || !name)
			continue;
		if (!strcmp(kind, "village") &&
		    d->nvillages < DEMO_VILLAGES_MAX)
			d->villages[d->nvillages++] = id;
		else if (!strcmp(name, "Địa chính – Xây dựng – Môi trường"))
			d->dia_chinh = id;
		else if (!strcmp(name, "Tư pháp – Hộ tịch"))
			d->tu_phap = id;
		else if (strstr(name, "Văn hóa"))
			d->van_hoa = id;
	}
	json_decref(units);
	if (!d->van_hoa)
		d->van_hoa = d->tu_phap;
	if (!d->dia_chinh || !d->tu_phap || !d->nvillages)
		return error_set(d->e, ERR_NOTFOUND,
				 "voice demo: the demo commune's units are "
				 "missing (run the people demo first)");
	return ERR_OK;
}

static const struct seed seeds[] = {
	/* 0 */ {"feedback", "online", "ha_tang", 0,
		 "Đèn chiếu sáng đường trục thôn hỏng",
		 "Ba cột đèn chiếu sáng trên đường trục thôn, đoạn từ nhà văn "
		 "hóa đến cầu Đồng, không sáng đã hơn một tuần. Buổi tối học "
		 "sinh đi học thêm về rất nguy hiểm.",
		 "", "", "", 2},
	/* 1 */
	{"feedback", "online", "moi_truong", 1,
	 "Bãi rác tự phát cạnh kênh tưới",
	 "Cạnh kênh tưới cánh đồng Mả Ngô có bãi rác tự phát, rác "
	 "tràn xuống lòng kênh, bốc mùi. Đề nghị xã cho thu dọn và "
	 "cắm biển cấm đổ rác.",
	 "", "0974 112 358", "", 24},
	/* 2 */
	{"petition", "paper", "thu_tuc", -1,
	 "Trả kết quả một cửa vào sáng thứ Bảy",
	 "Đề nghị Bộ phận Một cửa của xã bố trí trả kết quả thủ tục "
	 "vào sáng thứ Bảy để người đi làm công ty không phải nghỉ "
	 "việc.",
	 "Đào Thị Thu", "0912 603 271", "", 9},
	/* 3 */
	{"feedback", "phone", "ha_tang", 2,
	 "Đường bê tông liên thôn bị lún, nứt",
	 "Đoạn đường bê tông liên thôn dài khoảng 50 m gần trạm bơm bị "
	 "lún, nứt vỡ sau đợt mưa lớn, xe chở lúa đi qua rất khó khăn.",
	 "Nguyễn Văn Hải", "0983 225 140", "", 12},
	/* 4 */
	{"complaint", "reception", "dat_dai", 3,
	 "Khiếu nại quyết định thu hồi đất làm đường",
	 "Tôi khiếu nại Quyết định thu hồi 120 m² đất nông nghiệp của "
	 "gia đình để mở rộng đường liên xã vì diện tích đo đạc không "
	 "đúng với giấy chứng nhận quyền sử dụng đất.",
	 "Trịnh Văn Lộc", "0965 318 442", "", 45},
	/* 5 */
	{"complaint", "paper", "an_sinh", 0,
	 "Khiếu nại việc bình xét hộ cận nghèo",
	 "Gia đình tôi có mẹ già ốm đau, thu nhập thấp nhưng không được "
	 "đưa vào danh sách hộ cận nghèo năm 2026. Đề nghị xem xét lại "
	 "kết quả bình xét của thôn.",
	 "Lê Thị Nga", "", "Thôn 1, xã Tiên Tiến", 28},
	/* 6 */
	{"denunciation", "paper", "can_bo", 1,
	 "Tố cáo cán bộ nhận tiền khi làm thủ tục",
	 "Tôi tố cáo một cán bộ của xã đã đòi 2.000.000 đồng khi làm "
	 "thủ tục chuyển mục đích sử dụng đất cho gia đình tôi, có "
	 "người làm chứng.",
	 "Phan Văn Trung", "0936 447 905", "Xóm Chùa", 4},
	/* 7 */
	{"feedback", "online", "an_ninh", 2,
	 "Thanh niên tụ tập đua xe buổi tối",
	 "Tối thứ Bảy hằng tuần có nhóm thanh niên tụ tập đua xe máy, "
	 "nẹt pô trên đường đê, gây mất trật tự và nguy hiểm cho người "
	 "đi đường.",
	 "", "", "", 6},
	/* 8 */
	{"petition", "meeting", "an_sinh", 3, "Hỗ trợ giống lúa sau bão",
	 "Tại hội nghị thôn, bà con kiến nghị xã hỗ trợ giống lúa cho "
	 "các hộ bị thiệt hại sau cơn bão số 3 để kịp gieo cấy vụ "
	 "Đông Xuân.",
	 "Trần Văn Khoa", "0904 771 236", "", 8},
	/* 9 */
	{"feedback", "online", "ha_tang", 0, "Nước sạch yếu, có mùi clo",
	 "Từ đầu tháng nước sạch về các hộ cuối thôn rất yếu, có mùi "
	 "clo nặng. Đề nghị kiểm tra chất lượng nước của nhà máy.",
	 "", "", "", 16},
	/* 10 */
	{"feedback", "online", "dat_dai", 1, "Hỏi lại việc cấp phép xây dựng",
	 "Tôi phản ánh lại việc nhà hàng xóm xây lấn sang ngõ đi "
	 "chung mà xã đã trả lời trước đây.",
	 "", "", "", 10},
	/* 11 */
	{"feedback", "online", "ha_tang", 2, "Đường liên thôn lún gần trạm bơm",
	 "Đường bê tông gần trạm bơm bị lún sụt, nứt vỡ nhiều chỗ, đề "
	 "nghị xã sửa chữa sớm trước mùa thu hoạch.",
	 "", "", "", 11},
	/* 12 */
	{"complaint", "paper", "thu_tuc", 2,
	 "Khiếu nại việc chậm cấp trích lục khai sinh",
	 "Tôi nộp hồ sơ xin cấp trích lục khai sinh cho con đã quá "
	 "hạn nhưng chưa được trả kết quả, cán bộ không giải thích lý "
	 "do.",
	 "Vũ Văn Nam", "0389 552 017", "", 60},
	/* 13 */
	{"petition", "portal", "dich_vu_cong", -1,
	 "Cổng thông tin xã chưa đăng lịch tiếp công dân",
	 "Đề nghị UBND xã đăng lịch tiếp công dân và kết quả giải "
	 "quyết thủ tục hành chính lên cổng thông tin điện tử của xã.",
	 "Hà Minh Quân", "0868 200 319", "", 6},
	/* 14 */
	{"feedback", "meeting", "dong_gop", 3,
	 "Công khai khoản đóng góp làm nhà văn hóa",
	 "Tại buổi họp thôn, nhiều hộ đề nghị công khai thu chi khoản "
	 "đóng góp xây dựng nhà văn hóa thôn năm 2026.",
	 "", "", "", 14},
};

static enum err reception(struct demo *d, long long complaint_id)
{
	struct field_problems fp = {0};
	long long today = date_to_days(clock_today_vn());
	int wd = date_weekday(date_from_days(today)); /* 1 Mon .. 7 Sun */
	long long thursday = today - (wd - 4);        /* this week's */
	enum err err = ERR_OK;
	for (int w = -4; !err && w <= 4; w++) {
		char day[11];
		date_format_iso(date_from_days(thursday + 7 * w), day);
		struct reception_session s = {
			.commune_id = d->commune,
			.held_on = day,
			.starts = "07:30",
			.ends = "11:00",
			.place =
				"Phòng tiếp công dân, trụ sở UBND xã Tiên Tiến",
			.host_id = d->chair.user_id,
			.host_name = "Chủ tịch UBND xã Trần Văn Thắng",
			.kind = "regular",
		};
		err = reception_save(d->db, d->a, &d->office, &s, &fp, d->e);
		if (err || w != -1)
			continue;
		/* last week's register */
		struct reception_visit v[] = {
			{.session_id = s.id,
			 .village_id = d->villages[3 % d->nvillages],
			 .case_id = complaint_id,
			 .visitor_name = "Trịnh Văn Lộc",
			 .visitor_phone = "0965 318 442",
			 .summary =
				 "Trình bày khiếu nại quyết định thu hồi đất "
				 "làm đường liên xã; đã nhận đơn, mở hồ sơ."},
			{.session_id = s.id,
			 .village_id = d->villages[0],
			 .visitor_name = "Nguyễn Thị Hằng",
			 .summary =
				 "Hỏi thủ tục hưởng trợ cấp cho người khuyết "
				 "tật; đã hướng dẫn tại chỗ."},
		};
		for (size_t i = 0; !err && i < 2; i++)
			err = reception_visit_add(d->db, d->a, &d->office,
						  &v[i], &fp, d->e);
	}
	return err;
}

static enum err seed_all(struct demo *d)
{
	long long id[sizeof seeds / sizeof *seeds];
	const char *secret[sizeof seeds / sizeof *seeds];
	enum err err = ERR_OK;
	for (size_t i = 0; !err && i < sizeof seeds / sizeof *seeds; i++)
		err = make(d, &seeds[i], &secret[i], &id[i]);
	struct field_problems fp = {0};
	/* 0, 1: received; 1 is past its classification day (overdue) */
	/* 2: accepted */
	if (!err)
		err = act(d, id[2], "accept", 8, 0, NULL);
	/* 3: assigned to the land unit, its officer handling; due soon */
	if (!err)
		err = act(d, id[3], "accept", 11, 0, NULL);
	if (!err)
		err = act(d, id[3], "assign", 11, d->dia_chinh, NULL);
	/* 11 duplicates 3 */
	if (!err)
		err = case_merge(d->db, d->a, &d->office, id[11], id[3], &fp,
				 d->e);
	/* 4: a complaint in verification, past its 30 days */
	if (!err)
		err = act(d, id[4], "accept", 40, 0, NULL);
	if (!err)
		err = act(d, id[4], "assign", 39, d->dia_chinh, NULL);
	if (!err)
		err = act(d, id[4], "verify", 30, 0, &d->handler);
	/* 5: a complex complaint in dialogue (45 days) */
	if (!err) {
		struct case_action x = {.kind = "accept",
					.on = days_ago(d, 25),
					.complexity = 1,
					.remote = -1};
		err = case_act(d->db, d->a, &d->office, id[5], &x, &fp, d->e);
	}
	if (!err)
		err = act(d, id[5], "assign", 24, d->dia_chinh, NULL);
	if (!err)
		err = act(d, id[5], "verify", 15, 0, &d->handler);
	if (!err)
		err = act(d, id[5], "dialogue", 3, 0, &d->handler);
	/* 6: the denunciation waits for acceptance (identity sealed) */
	/* 7: answered, approved, published, rated satisfied */
	if (!err)
		err = act(d, id[7], "accept", 5, 0, NULL);
	if (!err)
		err = act(d, id[7], "assign", 5, d->dia_chinh, NULL);
	if (!err)
		err = answer(d, id[7],
			     "UBND xã đã giao Công an xã phối hợp với thôn tổ "
			     "chức tuần tra vào tối thứ Bảy, lập biên bản 4 "
			     "trường hợp đua xe và thông báo về gia đình. UBND "
			     "xã cảm ơn ông/bà đã phản ánh.",
			     true);
	if (!err)
		err = case_publish(d->db, d->a, &d->office, id[7], true, d->e);
	if (!err) {
		struct voice_case c;
		err = case_get(d->db, d->a, id[7], &c, d->e);
		if (!err)
			err = case_rate(d->db, d->a, c.code, secret[7],
					"satisfied", "", &fp, d->e);
	}
	/* 8: answered, rated unsatisfied */
	if (!err)
		err = act(d, id[8], "accept", 7, 0, NULL);
	if (!err)
		err = act(d, id[8], "assign", 6, d->dia_chinh, NULL);
	if (!err)
		err = answer(d, id[8],
			     "UBND xã đã tổng hợp danh sách 37 hộ bị thiệt hại "
			     "và đề nghị tỉnh hỗ trợ giống lúa; khi có quyết "
			     "định hỗ trợ, thôn sẽ thông báo tới từng hộ.",
			     true);
	if (!err) {
		struct voice_case c;
		err = case_get(d->db, d->a, id[8], &c, d->e);
		if (!err)
			err = case_rate(d->db, d->a, c.code, secret[8],
					"unsatisfied",
					"Chưa rõ thời gian được nhận giống, vụ "
					"Đông Xuân sắp đến.",
					&fp, d->e);
	}
	/* 9: outside the commune's remit, forwarded */
	if (!err)
		err = act(d, id[9], "forward", 14, 0, NULL);
	/* 10: refused, already answered */
	if (!err)
		err = act(d, id[10], "refuse", 8, 0, NULL);
	/* 12: answered and closed */
	if (!err)
		err = act(d, id[12], "accept", 55, 0, NULL);
	if (!err)
		err = act(d, id[12], "assign", 55, d->tu_phap, NULL);
	if (!err)
		err = answer(d, id[12],
			     "UBND xã đã cấp trích lục khai sinh cho ông ngày "
			     "hôm nay và nhắc nhở công chức Tư pháp – Hộ tịch "
			     "về việc chậm trả kết quả.",
			     true);
	if (!err)
		err = act(d, id[12], "close", -1, 0, NULL);
	/* 14: an answer waiting for the chair's approval */
	if (!err)
		err = act(d, id[14], "accept", 13, 0, NULL);
	if (!err)
		err = act(d, id[14], "assign", 13, d->dia_chinh, NULL);
	if (!err)
		err = answer(d, id[14],
			     "UBND xã đã yêu cầu Ban phát triển thôn niêm yết "
			     "bảng thu chi tại nhà văn hóa và thông báo trên "
			     "loa truyền thanh trong 3 ngày.",
			     false);
	if (!err)
		err = reception(d, id[4]);
	return err;
}

enum err voice_demo_seed(struct db *db, struct arena *a, struct error *e)
{
	const char *done = people_setting_get(db, a, "voice_demo");
	if (done && !strcmp(done, "1"))
		return ERR_OK;
	struct demo d = {.db = db, .a = a, .e = e};
	enum err err = find_units(&d);
	if (!err)
		err = find_users(&d);
	if (!err)
		err = voice_topics(db, a, &d.topics, e);
	if (err)
		return err;
	err = db_begin(db, e);
	if (!err)
		err = seed_all(&d);
	if (!err)
		err = people_setting_set(db, a, &actor_cli, "voice_demo", "1",
					 e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	json_decref(d.topics);
	return err;
}
