/* Demo outreach for xã Tiên Tiến (outreach.h): a year of activities on
 * every channel, recorded by the office, an officer and the head of Thôn
 * 1, with campaigns that missed some villages (administrative procedures
 * never reached Thôn 4 and Thôn 6; complaints only Thôn 1 and 2), and two
 * news posts, one published. Days are counted back from today, so the
 * coverage page shows the same picture any day; through the storage
 * functions only. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "outreach.h"
#include "../base/clock.h"
#include "../base/banned.h"

enum { DEMO_VILLAGES_MAX = 16 };

struct demo {
	struct db *db;
	struct arena *a;
	struct error *e;
	long long commune, villages[DEMO_VILLAGES_MAX];
	int nvillages;
	struct actor office, officer, head;
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
	struct date today = clock_today_vn();
	long day = date_to_days(today) - n;
	/* within this year, so the default coverage year shows them all */
	long jan1 = date_to_days((struct date){today.y, 1, 1});
	if (day < jan1)
		day = jan1 + n % 20;
	if (day > date_to_days(today))
		day = date_to_days(today);
	date_format_iso(date_from_days(day), buf);
	return arena_strdup(d->a, buf);
}

struct seed {
	const char *channel, *topic;
	const char *villages; /* "1234": village numbers (1-based), "*": all */
	int ago, audience, who; /* who: 0 office, 1 officer, 2 Thôn 1's head */
	const char *title, *note, *links;
};

static const struct seed seeds[] = {
	{"village_meeting", "papi_ke_hoach", "*", 300, 420, 0,
	 "Phổ biến kế hoạch nâng cao chỉ số PAPI năm nay tại hội nghị các "
	 "thôn",
	 "Trưởng thôn chủ trì, công chức Văn phòng trình bày kết quả PAPI "
	 "của tỉnh và nhiệm vụ của xã.",
	 "D1,D2"},
	{"radio", "dan_chu_co_so", "*", 280, 0, 0,
	 "Phát thanh chuyên mục Luật Thực hiện dân chủ ở cơ sở (3 buổi)",
	 "Phát vào 6h30 và 17h00.", "D1:1.1.2,D1:1.1.4"},
	{"village_meeting", "thu_tuc_hanh_chinh", "1", 250, 65, 2,
	 "Hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công", "", "D5,D8"},
	{"mass_org_meeting", "thu_tuc_hanh_chinh", "23", 240, 80, 1,
	 "Hội Phụ nữ hướng dẫn dịch vụ công trực tuyến cho hội viên", "", "D5"},
	{"leaflet", "thu_tuc_hanh_chinh", "5", 200, 150, 0,
	 "Phát tờ rơi hướng dẫn thủ tục chứng thực, hộ tịch", "", "D5"},
	{"village_meeting", "khieu_nai_to_cao", "12", 180, 70, 0,
	 "Giới thiệu cách gửi phản ánh, kiến nghị và tra cứu kết quả",
	 "Có hướng dẫn trang /citizen/submit trên điện thoại.",
	 "D3:3.2.1,D3:3.2.4"},
	{"radio", "ngan_sach_dong_gop", "*", 170, 0, 0,
	 "Thông báo công khai dự toán ngân sách xã và các khoản đóng góp", "",
	 "D2:2.3.1,D2:2.3.4"},
	{"village_meeting", "giam_ngheo", "136", 150, 110, 1,
	 "Bình xét và công khai danh sách hộ nghèo, cận nghèo", "", "D2:2.2.1"},
	{"zalo_group", "moi_truong", "*", 120, 900, 1,
	 "Nhắc lịch thu gom rác và phân loại rác tại nguồn", "", "D7"},
	{"village_meeting", "dat_dai", "2345", 100, 160, 1,
	 "Lấy ý kiến dự thảo kế hoạch sử dụng đất", "", "D2:2.4.1,D2:2.4.2"},
	{"website_post", "papi_ke_hoach", "*", 90, 0, 0,
	 "Đăng kết quả thực hiện kế hoạch PAPI 6 tháng", "", "D2"},
	{"village_meeting", "dan_chu_co_so", "1", 60, 58, 2,
	 "Họp thôn bàn việc đóng góp làm đường nội đồng", "", "D1:1.4.2"},
	{"mass_org_meeting", "phong_chong_tham_nhung", "*", 45, 120, 0,
	 "Đoàn Thanh niên tuyên truyền phòng, chống tham nhũng", "", "D4"},
	{"radio", "chinh_quyen_dien_tu", "*", 30, 0, 0,
	 "Hướng dẫn cài đặt VNeID và tài khoản định danh điện tử", "", "D8"},
	{"village_meeting", "thu_tuc_hanh_chinh", "1", 12, 48, 2,
	 "Giải đáp thắc mắc về thủ tục đăng ký đất đai", "", "D5"},
	{"leaflet", "moi_truong", "46", 5, 200, 1,
	 "Phát tờ rơi phòng, chống dịch bệnh mùa mưa", "", "D7"},
};

static enum err find(struct demo *d)
{
	struct unit u;
	enum err err = units_by_code(d->db, d->a, "12424", "commune",
				     "2025-07-01", &u, d->e);
	if (err)
		return err;
	d->commune = u.id;
	struct outreach_period p = {clock_today_vn(), clock_today_vn()};
	json_t *v;
	err = outreach_villages_of(d->db, d->a, u.id, &p, &v, d->e);
	if (err)
		return err;
	for (size_t i = 0; i < json_array_size(v) && i < DEMO_VILLAGES_MAX; i++)
		d->villages[d->nvillages++] = json_integer_value(
			json_object_get(json_array_get(v, i), "id"));
	json_decref(v);
	if (d->nvillages < 6)
		return error_set(d->e, ERR_NOTFOUND,
				 "outreach demo: xã Tiên Tiến has %d villages, "
				 "6 needed (run the people demo first)",
				 d->nvillages);
	static const struct {
		const char *username;
		size_t off;
	} who[] = {
		{"vanphong", offsetof(struct demo, office)},
		{"canbo", offsetof(struct demo, officer)},
		{"truongthon", offsetof(struct demo, head)},
	};
	for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
		struct actor *x = (struct actor *)((char *)d + who[i].off);
		err = users_by_username(d->db, d->a, who[i].username,
					&x->user_id, d->e);
		if (err)
			return err;
		x->username = who[i].username;
		x->remote_addr = "";
	}
	return outreach_topics(d->db, d->a, false, &d->topics, d->e);
}

static enum err seed_one(struct demo *d, const struct seed *s)
{
	struct outreach_activity x = {
		.commune_id = d->commune,
		.channel = s->channel,
		.topic_id = topic(d, s->topic),
		.held_on = days_ago(d, s->ago),
		.title = s->title,
		.note = s->note,
		.audience = s->audience,
	};
	if (!strcmp(s->villages, "*"))
		for (int i = 0; i < d->nvillages && i < 6; i++)
			x.villages[x.nvillages++] = d->villages[i];
	else
		for (const char *c = s->villages; *c; c++)
			x.villages[x.nvillages++] = d->villages[*c - '1'];
	char buf[200];
	snprintf(buf, sizeof buf, "%s", s->links);
	for (char *p = buf, *q; *p && x.nlinks < OUTREACH_LINKS_MAX; p = q) {
		q = strchr(p, ',');
		if (q)
			*q++ = 0;
		else
			q = p + strlen(p);
		x.links[x.nlinks++] = arena_strdup(d->a, p);
	}
	const struct actor *who = s->who == 0   ? &d->office
				  : s->who == 1 ? &d->officer
						: &d->head;
	struct field_problems fp = {0};
	enum err err = outreach_save(d->db, d->a, who, &x, NULL, 0, &fp, d->e);
	if (err == ERR_INVALID && fp.n)
		return error_set(d->e, err, "outreach demo: \"%s\": %s: %s",
				 s->title, fp.list[0].field, fp.list[0].msg_en);
	return err;
}

static enum err news(struct demo *d)
{
	struct news_post n = {
		.commune_id = d->commune,
		.title = "Xã Tiên Tiến hoàn thành 9 tháng kế hoạch nâng cao "
			 "chỉ số PAPI",
		.body = "Sau 9 tháng thực hiện kế hoạch, UBND xã đã hoàn thành "
			"phần lớn nhiệm vụ về công khai, minh bạch và thủ tục "
			"hành chính.\n\n"
			"Danh sách hộ nghèo, dự toán ngân sách và kế hoạch sử "
			"dụng đất đã được niêm yết tại trụ sở xã, nhà văn hóa "
			"các thôn và phát trên loa truyền thanh.\n\n"
			"Người dân có thể gửi phản ánh, kiến nghị trên điện "
			"thoại và tra cứu kết quả bằng mã hồ sơ.",
	};
	struct field_problems fp = {0};
	enum err err = news_save(d->db, d->a, &d->office, &n, NULL, &fp, d->e);
	if (!err)
		err = news_publish(d->db, d->a, &d->office, n.id, true, d->e);
	struct news_post m = {
		.commune_id = d->commune,
		.title = "Kết quả lấy ý kiến dự thảo kế hoạch sử dụng đất",
		.body = "Bản nháp: tổng hợp ý kiến của 4 thôn, chờ Văn phòng "
			"duyệt trước khi đăng.",
	};
	if (!err)
		err = news_save(d->db, d->a, &d->office, &m, NULL, &fp, d->e);
	return err;
}

enum err outreach_demo_seed(struct db *db, struct arena *a, struct error *e)
{
	const char *done = people_setting_get(db, a, "outreach_demo");
	if (done && !strcmp(done, "1"))
		return ERR_OK;
	struct demo d = {.db = db, .a = a, .e = e};
	enum err err = find(&d);
	if (err)
		return err;
	err = db_begin(db, e);
	for (size_t i = 0; !err && i < sizeof seeds / sizeof *seeds; i++)
		err = seed_one(&d, &seeds[i]);
	if (!err)
		err = news(&d);
	if (!err)
		err = people_setting_set(db, a, &actor_cli, "outreach_demo",
					 "1", e);
	if (!err)
		err = db_commit(db, e);
	else
		db_rollback(db);
	json_decref(d.topics);
	return err;
}
