/* Demo disclosures of xã Tiên Tiến (12424) for the current year: items
 * disclosed as the law asks, one quarterly budget report posted too short
 * a time, a land-use plan missing its website posting, a conclusion of an
 * inspection broadcast only two days in a row, the poor-household list
 * and a boundary plan being posted now (so the public page shows them),
 * and items not yet disclosed. Through disc_save only, like a person. */
#include <stdlib.h>
#include <string.h>
#include "disclosure.h"
#include "../base/clock.h"
#include "../base/banned.h"

struct seed {
	int no, period;
	const char *title, *from, *to; /* "MM-DD" of this year, or +N/-N days */
	unsigned channels;
	int villages; /* how many of the commune's villages, from the first */
	const char *days[4]; /* loudspeaker days, like from/to */
	const char *note;
};

static const char *day_of(struct arena *a, struct date today, const char *s)
{
	char buf[11];
	if (s[0] == '+' || s[0] == '-') {
		long n = strtol(s, NULL, 10);
		date_format_iso(date_from_days(date_to_days(today) + n), buf);
		return arena_strdup(a, buf);
	}
	return arena_printf(a, "%04d-%s", today.y, s);
}

enum err disc_demo_seed(struct db *db, struct arena *a, struct error *e)
{
	const char *done = people_setting_get(db, a, "disclosure_demo");
	if (done && !strcmp(done, "1"))
		return ERR_OK;
	struct unit c;
	struct actor office = {0, "vanphong", ""}, chair = {0, "chutich", ""};
	struct disc_item *items;
	int nitems;
	json_t *villages = NULL;
	enum err err =
		units_by_code(db, a, "12424", "commune", "2025-07-01", &c, e);
	if (!err)
		err = users_by_username(db, a, "vanphong", &office.user_id, e);
	if (!err)
		err = users_by_username(db, a, "chutich", &chair.user_id, e);
	if (!err)
		err = disc_items_load(db, a, false, &items, &nitems, e);
	if (!err)
		err = disc_villages(db, a, c.id, &villages, e);
	if (err)
		return err;
	static const struct seed seeds[] = {
		{1,
		 0,
		 "Kế hoạch phát triển kinh tế – xã hội năm {Y}",
		 "01-12",
		 "02-20",
		 DISC_NOTICE_BOARD | DISC_WEBSITE,
		 0,
		 {NULL},
		 "Nghị quyết HĐND xã kỳ họp cuối năm."},
		{2,
		 1,
		 "Báo cáo tình hình thực hiện ngân sách xã quý I/{Y}",
		 "04-10",
		 "05-15",
		 DISC_NOTICE_BOARD | DISC_WEBSITE,
		 0,
		 {NULL},
		 ""},
		{2,
		 2,
		 "Báo cáo tình hình thực hiện ngân sách xã quý II/{Y}",
		 "07-08",
		 "08-06",
		 DISC_NOTICE_BOARD | DISC_WEBSITE,
		 0,
		 {NULL},
		 ""},
		{2,
		 3,
		 "Báo cáo tình hình thực hiện ngân sách xã quý III/{Y}",
		 "10-12",
		 "11-01",
		 DISC_NOTICE_BOARD | DISC_WEBSITE,
		 0,
		 {NULL},
		 "Gỡ bảng tin sớm để sửa chữa nhà văn hóa."},
		{3,
		 0,
		 "Kế hoạch sử dụng đất năm {Y} của xã Tiên Tiến",
		 "03-02",
		 "04-30",
		 DISC_NOTICE_BOARD,
		 0,
		 {NULL},
		 "Trang thông tin điện tử đang nâng cấp."},
		{5,
		 0,
		 "Huy động Nhân dân đóng góp làm đường bê tông thôn",
		 "05-04",
		 "06-12",
		 DISC_NOTICE_BOARD | DISC_VILLAGE_MEETING,
		 2,
		 {NULL},
		 ""},
		{8,
		 0,
		 "Kết luận kiểm tra việc quản lý quỹ đền ơn đáp nghĩa",
		 "09-14",
		 "10-20",
		 DISC_NOTICE_BOARD | DISC_LOUDSPEAKER,
		 0,
		 {"09-15", "09-16", "09-18"},
		 ""},
		{6,
		 0,
		 "Danh sách hộ nghèo, hộ cận nghèo năm {Y}",
		 "-7",
		 "+30",
		 DISC_NOTICE_BOARD | DISC_WRITTEN_NOTICE | DISC_TEXT_MESSAGE,
		 99,
		 {NULL},
		 "Danh sách rà soát cuối năm, đã qua hội nghị thôn."},
		{7,
		 0,
		 "Phương án điều chỉnh địa giới giữa thôn Tiên Tiến và thôn "
		 "Minh Tiến",
		 "-3",
		 "+40",
		 DISC_NOTICE_BOARD | DISC_LOUDSPEAKER,
		 0,
		 {"-3", "-2", "-1"},
		 ""},
	};
	struct date today = clock_today_vn();
	err = db_begin(db, e);
	for (size_t s = 0; !err && s < sizeof seeds / sizeof *seeds; s++) {
		const struct seed *x = &seeds[s];
		struct disc_record r = {.commune_id = c.id,
					.year = today.y,
					.period = x->period,
					.channels = x->channels,
					.note = x->note};
		for (int i = 0; i < nitems; i++)
			if (items[i].no == x->no)
				r.item_id = items[i].id;
		const char *t = x->title, *y = strstr(t, "{Y}");
		r.title = y ? arena_printf(a, "%.*s%d%s", (int)(y - t), t,
					   today.y, y + 3)
			    : t;
		r.posted_from = day_of(a, today, x->from);
		r.posted_to = day_of(a, today, x->to);
		for (int i = 0; i < 4 && x->days[i]; i++)
			r.days[r.ndays++] = day_of(a, today, x->days[i]);
		for (size_t i = 0;
		     i < json_array_size(villages) && (int)i < x->villages; i++)
			r.villages[r.nvillages++] =
				json_integer_value(json_object_get(
					json_array_get(villages, i), "id"));
		struct field_problems fp = {0};
		err = disc_save(db, a, &office, &r, NULL, 0, NULL, 0, &fp, e);
		/* the chair approved them for the public page, all but the
		 * last, which waits for approval */
		if (!err && s + 1 < sizeof seeds / sizeof *seeds)
			err = disc_approve(db, a, &chair, r.id, e);
	}
	if (!err)
		err = people_setting_set(db, a, &actor_cli, "disclosure_demo",
					 "1", e);
	json_decref(villages);
	if (err) {
		db_rollback(db);
		return err;
	}
	return db_commit(db, e);
}
