/* The demo's inspections for xã Tiên Tiến (12424 since 01/07/2025): the
 * commune's own inspection of the one-stop shop in March 2026 (one
 * recommendation verified fixed, one fixed awaiting verification), the
 * People's Inspection Board's supervision of the village road
 * contributions in Thôn 3 (two open, one overdue) and the Front's
 * supervision of voters' petitions (one open, in progress). The events
 * are made up; the rules they follow are the program's. Everything runs
 * in one transaction, and an inspection already there (same commune and
 * title) is left alone, so running it again changes nothing. */
#include <string.h>
#include "oversight.h"
#include "../base/banned.h"

#define TIEN_TIEN_CODE "12424"
#define NEW_START "2025-07-01"

struct demo {
	struct db *db;
	struct arena *a;
	struct error *e;
	long long commune, plan_2026;
	json_t *units;
};

static long long unit(struct demo *d, const char *name)
{
	size_t i;
	json_t *u;
	json_array_foreach(d->units, i, u)
	{
		const char *n = json_string_value(json_object_get(u, "name"));
		long long c =
			json_integer_value(json_object_get(u, "parent_id"));
		if (n && !strcmp(n, name) && c == d->commune)
			return json_integer_value(json_object_get(u, "id"));
	}
	return 0;
}

struct demo_rec {
	const char *text, *unit, *due_on;
	/* what happened after: "" nothing, else a report "doing"/"done" at
	 * `at` with `progress`, and a verification on verified_on */
	const char *status, *at;
	int progress;
	const char *verified_on, *verified_note;
};

struct demo_finding {
	const char *text;
	const char *links[3];
	struct demo_rec recs[2];
};

struct demo_inspection {
	const char *kind, *title, *reference, *team, *scope, *from_on, *to_on;
	const char *unit, *villages[2], *links[3];
	struct demo_finding findings[2];
};

static const struct demo_inspection demo[] = {
	{"inspection",
	 "Kiểm tra việc giải quyết thủ tục hành chính tại Bộ phận Một cửa "
	 "quý I/2026",
	 "Quyết định số 15/QĐ-UBND ngày 02/3/2026 của UBND xã Tiên Tiến",
	 "Trần Văn Thắng – Chủ tịch UBND xã, Trưởng đoàn\nPhạm Minh Đức – "
	 "Văn phòng – Thống kê, thành viên\nVũ Thị Lan – Tư pháp – Hộ tịch, "
	 "thành viên",
	 "Việc tiếp nhận, giải quyết, trả kết quả hồ sơ thủ tục hành chính; "
	 "niêm yết thủ tục; thái độ phục vụ của công chức.",
	 "2026-03-09",
	 "2026-03-13",
	 "Tư pháp – Hộ tịch",
	 {NULL},
	 {"D5"},
	 {{"12 hồ sơ chứng thực trễ hạn từ 1 đến 3 ngày trong quý I/2026, "
	   "không có phiếu xin lỗi và hẹn lại ngày trả kết quả.",
	   {"D5"},
	   {{"Gửi phiếu xin lỗi, hẹn lại ngày trả kết quả cho mọi hồ sơ trễ "
	     "hạn; rà soát lại quy trình tiếp nhận hồ sơ chứng thực.",
	     "Tư pháp – Hộ tịch", "2026-04-30", "done", "2026-04-27T03:00:00Z",
	     100, "2026-05-06",
	     "Đã kiểm tra sổ theo dõi: 12/12 hồ sơ có phiếu xin lỗi, quy "
	     "trình mới niêm yết tại Bộ phận Một cửa."}}},
	  {"Bảng niêm yết thủ tục hành chính tại Bộ phận Một cửa chưa cập "
	   "nhật theo danh mục mới của tỉnh.",
	   {"D2", "D5"},
	   {{"Cập nhật bảng niêm yết thủ tục hành chính theo quyết định công "
	     "bố mới của UBND tỉnh.",
	     "Văn phòng – Thống kê", "2026-05-15", "done",
	     "2026-05-12T02:00:00Z", 100, NULL, NULL}}}}},
	{"people_board",
	 "Giám sát việc thu, sử dụng khoản đóng góp làm đường giao thông "
	 "Thôn 3",
	 "Chương trình giám sát năm 2026 của Ban Thanh tra nhân dân xã",
	 "Bùi Văn Tâm – Trưởng ban Thanh tra nhân dân\nNguyễn Thị Mai – "
	 "thành viên\nLê Văn Hùng – thành viên",
	 "Việc thu, quản lý, sử dụng và công khai khoản đóng góp tự nguyện "
	 "của nhân dân Thôn 3 làm đường bê tông.",
	 "2026-06-15",
	 "2026-06-19",
	 "Tài chính – Kế toán",
	 {"Thôn 3"},
	 {"D2", "D4"},
	 {{"Chưa công khai quyết toán khoản đóng góp của nhân dân tại nhà "
	   "văn hóa Thôn 3; sổ thu chưa có chữ ký của người nộp.",
	   {"D2", "D4"},
	   {{"Công khai quyết toán tại nhà văn hóa Thôn 3 và trên loa truyền "
	     "thanh ít nhất 3 ngày liên tục.",
	     "Tài chính – Kế toán", "2026-08-31", "doing",
	     "2026-08-20T03:00:00Z", 40, NULL, NULL},
	    {"Bổ sung chữ ký của người nộp vào sổ thu, báo cáo Ban Thanh tra "
	     "nhân dân.",
	     "Thôn 3", "2026-12-15", "", NULL, 0, NULL, NULL}}}}},
	{"front",
	 "Giám sát việc giải quyết kiến nghị của cử tri giữa năm 2026",
	 "Kế hoạch giám sát số 05/KH-MTTQ ngày 20/8/2026 của Ban Thường "
	 "trực Ủy ban MTTQ xã",
	 "Hoàng Thị Bích Ngọc – Chủ tịch Ủy ban MTTQ xã\nĐại diện Hội Nông "
	 "dân, Hội Cựu chiến binh xã",
	 "Việc trả lời, giải quyết kiến nghị của cử tri về đất đai, môi "
	 "trường sau kỳ họp giữa năm.",
	 "2026-09-07",
	 "2026-09-11",
	 "Địa chính – Xây dựng – Môi trường",
	 {"Thôn 1", "Thôn 5"},
	 {"D3", "D7"},
	 {{"3 trong 7 kiến nghị về đất đai của cử tri Thôn 1 và Thôn 5 đã "
	   "quá hạn trả lời.",
	   {"D3"},
	   {{"Trả lời bằng văn bản cho cử tri các kiến nghị quá hạn, gửi "
	     "Ủy ban MTTQ xã để theo dõi.",
	     "Địa chính – Xây dựng – Môi trường", "2026-12-31", "doing",
	     "2026-10-15T03:00:00Z", 60, NULL, NULL}}}}},
};

static enum err seed_one(struct demo *d, const struct demo_inspection *di)
{
	struct inspection in = {
		.commune_id = d->commune,
		.kind = di->kind,
		.title = di->title,
		.reference = di->reference,
		.team = di->team,
		.scope = di->scope,
		.from_on = di->from_on,
		.to_on = di->to_on,
		.unit_id = unit(d, di->unit),
	};
	for (int i = 0; i < 2 && di->villages[i]; i++)
		in.village_ids[in.nvillages++] = unit(d, di->villages[i]);
	for (int i = 0; i < 3 && di->links[i]; i++)
		in.links[in.nlinks++] = di->links[i];
	struct field_problems fp = {0};
	enum err err = inspection_save(d->db, d->a, &actor_cli, &in, &fp, d->e);
	for (int k = 0; !err && k < 2 && di->findings[k].text; k++) {
		const struct demo_finding *df = &di->findings[k];
		struct finding f = {.inspection_id = in.id, .text = df->text};
		for (int i = 0; i < 3 && df->links[i]; i++)
			f.links[f.nlinks++] = df->links[i];
		err = finding_add(d->db, d->a, &actor_cli, &f, &fp, d->e);
		for (int j = 0; !err && j < 2 && df->recs[j].text; j++) {
			const struct demo_rec *dr = &df->recs[j];
			struct recommendation r = {
				.finding_id = f.id,
				.text = dr->text,
				.unit_id = unit(d, dr->unit),
				.due_on = dr->due_on,
				.plan_id = d->plan_2026,
			};
			err = recommendation_add(d->db, d->a, &actor_cli, &r,
						 &fp, d->e);
			long long uid;
			if (!err && *dr->status)
				err = task_report(
					d->db, d->a, &actor_cli, r.task_id,
					dr->status, dr->progress,
					"Đơn vị báo cáo kết quả khắc "
					"phục.",
					dr->at, NULL, 0, &uid, &fp, d->e);
			struct date day;
			if (!err && dr->verified_on &&
			    date_parse_iso(dr->verified_on, &day))
				err = recommendation_verify(
					d->db, d->a, &actor_cli, r.id,
					dr->verified_on, dr->verified_note, day,
					&fp, d->e);
		}
	}
	return err;
}

enum err oversight_demo_seed(struct db *db, struct arena *a, struct error *e)
{
	struct unit tt;
	enum err err = units_by_code(db, a, TIEN_TIEN_CODE, "commune",
				     NEW_START, &tt, e);
	if (err)
		return err;
	struct demo d = {db, a, e, tt.id, 0, NULL};
	json_t *plans = NULL, *have = NULL;
	err = oversight_plan_choices(db, a, tt.id, &plans, e);
	if (err)
		return err;
	size_t i;
	json_t *p;
	json_array_foreach(plans, i, p)
	{
		if (json_integer_value(json_object_get(p, "year")) == 2026 &&
		    !d.plan_2026)
			d.plan_2026 =
				json_integer_value(json_object_get(p, "id"));
	}
	json_decref(plans);
	if (!d.plan_2026)
		return error_set(e, ERR_NOTFOUND,
				 "commune %s: no 2026 plan for the remedial "
				 "tasks",
				 TIEN_TIEN_CODE);
	struct oversight_filter f = {.communes = &tt.id, .ncommunes = 1};
	err = plan_unit_choices(db, a, tt.id, &d.units, e);
	if (!err)
		err = inspection_list(db, a, &f, &have, e);
	if (!err)
		err = db_begin(db, e);
	for (size_t k = 0; !err && k < sizeof demo / sizeof *demo; k++) {
		bool there = false;
		json_t *r;
		json_array_foreach(json_object_get(have, "rows"), i, r)
		{
			there |= !strcmp(
				json_string_value(json_object_get(r, "title")),
				demo[k].title);
		}
		if (!there)
			err = seed_one(&d, &demo[k]);
	}
	json_decref(d.units);
	json_decref(have);
	if (!err)
		return db_commit(db, e);
	db_rollback(db);
	return err;
}
