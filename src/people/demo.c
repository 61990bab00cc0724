/* The demo commune: Hưng Yên's real units before and after 2025 (from the
 * shipped data/units/ files), Minh Tiến's villages (plain demo names) that
 * move to xã Tiên Tiến on the merger, the commune's professional units, and
 * one user per role, all with the password "demo2026". Every step looks
 * before it writes, so running it again changes nothing. */
#include <string.h>
#include "people_db.h"
#include "../base/embedded.h"
#include "../base/banned.h"

#define DEMO_PASSWORD "demo2026"
#define DEMO_NOTE "Dữ liệu mẫu, không phải tên thật"
#define PROVINCE_CODE "33"
#define MINH_TIEN_CODE "12424" /* old commune, until 30/06/2025 */
#define TIEN_TIEN_CODE "12424" /* its successor, from 01/07/2025 */
#define NEW_START "2025-07-01"

static const char *const villages[] = {"Thôn 1", "Thôn 2", "Thôn 3",
				       "Thôn 4", "Thôn 5", "Thôn 6"};

static const struct {
	const char *name, *type_vi;
} offices[] = {
	{"Văn phòng – Thống kê", "Bộ phận"},
	{"Tư pháp – Hộ tịch", "Bộ phận"},
	{"Địa chính – Xây dựng – Môi trường", "Bộ phận"},
	{"Văn hóa – Xã hội", "Bộ phận"},
	{"Tài chính – Kế toán", "Bộ phận"},
	{"Công an xã", "Cơ quan"},
	{"Ủy ban MTTQ Việt Nam xã", "Tổ chức"},
	{"Ban Thanh tra nhân dân", "Tổ chức"},
};

/* unit: "commune", "province", a village or office name. Names are made up. */
const struct demo_login demo_logins[] = {
	{"chutich", "Trần Văn Thắng", "chair", "commune"},
	{"phochutich", "Lê Thị Hồng Nhung", "vice_chair", "commune"},
	{"vanphong", "Phạm Minh Đức", "office", "Văn phòng – Thống kê"},
	{"truongbp", "Vũ Thị Lan", "unit_head", "Tư pháp – Hộ tịch"},
	{"canbo", "Đỗ Quang Huy", "officer",
	 "Địa chính – Xây dựng – Môi trường"},
	{"mttq", "Hoàng Thị Bích Ngọc", "front", "Ủy ban MTTQ Việt Nam xã"},
	{"bantt", "Bùi Văn Tâm", "inspection", "Ban Thanh tra nhân dân"},
	{"truongthon", "Nguyễn Văn Bình", "village_head", "Thôn 1"},
	{"dieutra", "Đặng Thị Hoa", "surveyor", "Thôn 2"},
	{"tinh", "Ngô Đức Anh", "upper", "province"},
};
const int demo_nlogins = sizeof demo_logins / sizeof *demo_logins;

/* In the order the merger needs: old list, new list, then the merges. */
static const char *const unit_files[] = {
	"data/units/hung_yen_old_communes_gso_snapshot.csv",
	"data/units/hung_yen_new_2025_communes.csv",
	"data/units/hung_yen_2025_merger_old_hung_yen_part.csv",
	"data/units/phu_cu_old_to_new_2025.csv",
};

static enum err import_file(struct db *db, struct arena *a, const char *path,
			    bool *created, struct error *e)
{
	const struct embedded_file *f = embedded_find(path);
	if (!f)
		return error_set(e, ERR_INTERNAL, "%s is not in the binary",
				 path);
	struct import_report rep;
	enum err err = unit_import(db, a, &actor_cli, (const char *)f->data,
				   f->len, &rep, e);
	if (err == ERR_INVALID && rep.nerrors)
		return error_set(e, err, "%s line %d: %s", path,
				 rep.errors[0].line, rep.errors[0].msg_en);
	if (rep.created || rep.updated || rep.merged)
		*created = true;
	return err;
}

/* The child of parent with this kind and name, 0 if none (in force). */
static enum err child_named(struct db *db, struct arena *a, long long parent,
			    const char *kind, const char *name, long long *id,
			    struct error *e)
{
	struct db_result *r;
	enum err err = pdb_unit_children(db, a, parent, kind, &r, e);
	*id = 0;
	for (int i = 0; !err && i < r->nrows && !*id; i++)
		if (!strcmp(db_get(r, i, "name"), name))
			*id = db_get_int(r, i, "id", 0);
	return err;
}

static enum err ensure_child(struct db *db, struct arena *a, long long parent,
			     const char *kind, const char *type_vi,
			     const char *name, const char *valid_from,
			     const char *note, long long *id, bool *created,
			     struct error *e)
{
	enum err err = child_named(db, a, parent, kind, name, id, e);
	if (err || *id)
		return err;
	struct unit u = {.kind = kind,
			 .type_vi = type_vi,
			 .name = name,
			 .full_name = name,
			 .parent_id = parent,
			 .valid_from = valid_from,
			 .population = -1,
			 .note = note};
	err = units_create(db, a, &actor_cli, &u, NULL, e);
	if (!err) {
		*id = u.id;
		*created = true;
	}
	return err;
}

static enum err ensure_user(struct db *db, struct arena *a,
			    const struct demo_login *d, long long unit_id,
			    bool *created, struct error *e)
{
	long long uid;
	struct error ue = {0};
	enum err err = users_by_username(db, a, d->username, &uid, &ue);
	if (err == ERR_NOTFOUND) {
		struct user_input in = {.username = d->username,
					.full_name = d->full_name,
					.email = "",
					.phone = "",
					.password = DEMO_PASSWORD};
		err = users_create(db, a, &actor_cli, &in, false, &uid, NULL,
				   NULL, e);
		if (err)
			return err;
		*created = true;
	} else if (err) {
		return error_set(e, err, "%s", ue.msg);
	}
	bool has;
	err = pdb_role_find(db, a, uid, d->role, unit_id, &has, e);
	if (err || has)
		return err;
	*created = true;
	return users_role_add(db, a, &actor_cli, uid, d->role, unit_id, NULL,
			      e);
}

enum err demo_seed(struct db *db, struct arena *a, bool *created,
		   struct error *e)
{
	*created = false;
	enum err err = import_file(db, a, unit_files[0], created, e);
	if (!err)
		err = import_file(db, a, unit_files[1], created, e);
	if (err)
		return err;
	struct unit prov, minh_tien, tien_tien;
	err = units_by_code(db, a, PROVINCE_CODE, "province", NULL, &prov, e);
	if (!err)
		err = units_by_code(db, a, MINH_TIEN_CODE, "commune", NULL,
				    &minh_tien, e);
	if (!err)
		err = units_by_code(db, a, TIEN_TIEN_CODE, "commune", NEW_START,
				    &tien_tien, e);
	if (err)
		return err;

	/* Villages belong to Minh Tiến before the merger; once merged they are
	 * found under Tiên Tiến. */
	long long village_ids[sizeof villages / sizeof *villages];
	for (size_t i = 0; i < sizeof villages / sizeof *villages; i++) {
		err = child_named(db, a, tien_tien.id, "village", villages[i],
				  &village_ids[i], e);
		if (!err && !village_ids[i])
			err = ensure_child(db, a, minh_tien.id, "village",
					   "Thôn", villages[i], NULL, DEMO_NOTE,
					   &village_ids[i], created, e);
		if (err)
			return err;
	}
	err = import_file(db, a, unit_files[2], created, e);
	if (!err)
		err = import_file(db, a, unit_files[3], created, e);
	if (err)
		return err;

	long long office_ids[sizeof offices / sizeof *offices];
	for (size_t i = 0; i < sizeof offices / sizeof *offices; i++) {
		err = ensure_child(db, a, tien_tien.id, "unit",
				   offices[i].type_vi, offices[i].name,
				   NEW_START, "", &office_ids[i], created, e);
		if (err)
			return err;
	}

	for (int i = 0; i < demo_nlogins; i++) {
		const struct demo_login *d = &demo_logins[i];
		long long unit = 0;
		if (!strcmp(d->unit, "commune"))
			unit = tien_tien.id;
		else if (!strcmp(d->unit, "province"))
			unit = prov.id;
		for (size_t k = 0;
		     !unit && k < sizeof villages / sizeof *villages; k++)
			if (!strcmp(d->unit, villages[k]))
				unit = village_ids[k];
		for (size_t k = 0;
		     !unit && k < sizeof offices / sizeof *offices; k++)
			if (!strcmp(d->unit, offices[k].name))
				unit = office_ids[k];
		if (!unit)
			return error_set(e, ERR_INTERNAL, "demo: no unit %s",
					 d->unit);
		err = ensure_user(db, a, d, unit, created, e);
		if (err)
			return err;
	}
	const char *site = people_setting_get(db, a, "site_name");
	if (!site) {
		err = people_setting_set(db, a, &actor_cli, "site_name",
					 "UBND xã Tiên Tiến", e);
		*created = true;
	}
	return err;
}
