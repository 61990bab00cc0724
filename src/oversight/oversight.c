/* The rules of oversight/ that need no database: the kinds and who records
 * them, the checks of an inspection, a finding and a recommendation, a
 * recommendation's state and when it may be verified or reopened. */
#include <string.h>
#include "oversight.h"
#include "../base/text.h"
#include "../base/banned.h"

#define COMMUNE_ROLES (ROLE_CHAIR | ROLE_VICE_CHAIR | ROLE_OFFICE)

static const struct {
	const char *key, *label_vi;
	unsigned roles;
} kinds[] = {
	{"inspection", "Kiểm tra của UBND xã", COMMUNE_ROLES},
	{"people_board", "Giám sát của Ban Thanh tra nhân dân",
	 ROLE_INSPECTION},
	{"investment_board", "Giám sát của Ban Giám sát đầu tư của cộng đồng",
	 ROLE_INSPECTION},
	{"front", "Giám sát của Ủy ban MTTQ xã", ROLE_FRONT},
};

const char *const oversight_kinds[4] = {"inspection", "people_board",
					"investment_board", "front"};

static int kind_index(const char *kind)
{
	for (int i = 0; kind && i < 4; i++)
		if (!strcmp(kinds[i].key, kind))
			return i;
	return -1;
}

const char *oversight_kind_label_vi(const char *kind)
{
	int i = kind_index(kind);
	return i < 0 ? NULL : kinds[i].label_vi;
}

unsigned oversight_kind_roles(const char *kind)
{
	int i = kind_index(kind);
	return i < 0 ? 0 : kinds[i].roles;
}

bool oversight_can_record(unsigned roles, const char *kind)
{
	return (roles & oversight_kind_roles(kind)) != 0;
}

bool oversight_records_any(unsigned roles)
{
	return (roles & (COMMUNE_ROLES | ROLE_INSPECTION | ROLE_FRONT)) != 0;
}

static void add(struct field_problems *fp, const char *field, const char *en,
		const char *vi)
{
	if (fp && fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){field, en, vi};
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static bool text_ok(const char *s, size_t max)
{
	if (!s)
		return true;
	size_t n = strlen(s);
	return n <= max && text_valid_utf8(s, n);
}

/* "D5" or "D5:5.2.1", the same form as task links. */
static bool link_ok(const char *l)
{
	if (!l || l[0] != 'D' || l[1] < '1' || l[1] > '8')
		return false;
	if (!l[2])
		return true;
	if (l[2] != ':' || !l[3] || strlen(l) > 40)
		return false;
	for (const char *p = l + 3; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      *p == '_' || *p == '-'))
			return false;
	return l[3] == l[1];
}

static bool links_ok(const char *const *links, int n, struct field_problems *fp)
{
	if (n < 0 || n > OVERSIGHT_MAX_LINKS) {
		add(fp, "links", "too many links",
		    "Quá nhiều lĩnh vực, chỉ số (tối đa 40).");
		return false;
	}
	for (int i = 0; i < n; i++)
		if (!link_ok(links[i])) {
			add(fp, "links", "unknown PAPI link",
			    "Lĩnh vực, chỉ số PAPI không hợp lệ.");
			return false;
		}
	return true;
}

/* A date in the years the program handles; *d set when it is one. */
static bool date_ok(const char *s, struct date *d)
{
	return s && date_parse_iso(s, d) && d->y >= 2000 && d->y <= 2100;
}

bool inspection_validate(const struct inspection *in, struct field_problems *fp)
{
	int before = fp ? fp->n : 0;
	bool ok = true;
#define BAD(f, en, vi)                                                         \
	do {                                                                   \
		add(fp, f, en, vi);                                            \
		ok = false;                                                    \
	} while (0)
	if (!oversight_kind_label_vi(in->kind))
		BAD("kind", "unknown kind",
		    "Vui lòng chọn loại kiểm tra, giám sát.");
	if (blank(in->title))
		BAD("title", "title is empty",
		    "Vui lòng nhập tên cuộc kiểm tra, giám sát.");
	else if (!text_ok(in->title, OVERSIGHT_TITLE_MAX))
		BAD("title", "title is too long", "Tên dài quá 500 ký tự.");
	if (!text_ok(in->reference, OVERSIGHT_TITLE_MAX))
		BAD("reference", "reference is too long",
		    "Căn cứ (kế hoạch, quyết định) dài quá 500 ký tự.");
	if (!text_ok(in->team, OVERSIGHT_TEXT_MAX))
		BAD("team", "team is too long",
		    "Danh sách thành viên quá dài (tối đa 5.000 ký tự).");
	if (!text_ok(in->scope, OVERSIGHT_TEXT_MAX))
		BAD("scope", "scope is too long",
		    "Phạm vi, nội dung quá dài (tối đa 5.000 ký tự).");
	struct date f = {0}, t = {0};
	bool f_ok = date_ok(in->from_on, &f), t_ok = date_ok(in->to_on, &t);
	if (!f_ok)
		BAD("from_on", "from_on is not a date",
		    "Ngày bắt đầu không hợp lệ (dd/mm/yyyy, từ năm 2000).");
	if (!t_ok)
		BAD("to_on", "to_on is not a date",
		    "Ngày kết thúc không hợp lệ (dd/mm/yyyy, từ năm 2000).");
	if (f_ok && t_ok && date_to_days(f) > date_to_days(t))
		BAD("to_on", "to_on is before from_on",
		    "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.");
	if (in->unit_id < 0)
		BAD("unit_id", "unknown unit",
		    "Đơn vị được kiểm tra không thuộc xã.");
	if (in->nvillages < 0 || in->nvillages > OVERSIGHT_MAX_VILLAGES)
		BAD("village_ids", "too many villages",
		    "Quá nhiều thôn (tối đa 60).");
	for (int i = 0; i < in->nvillages && i < OVERSIGHT_MAX_VILLAGES; i++)
		if (in->village_ids[i] <= 0) {
			BAD("village_ids", "unknown village",
			    "Thôn không thuộc xã.");
			break;
		}
	if (!links_ok(in->links, in->nlinks, fp))
		ok = false;
	return ok && (!fp || fp->n == before);
}

bool finding_validate(const struct finding *f, struct field_problems *fp)
{
	bool ok = true;
	if (blank(f->text))
		BAD("text", "finding is empty",
		    "Vui lòng nhập nội dung kết luận, phát hiện.");
	else if (!text_ok(f->text, OVERSIGHT_TEXT_MAX))
		BAD("text", "finding is too long",
		    "Kết luận quá dài (tối đa 5.000 ký tự).");
	if (!links_ok(f->links, f->nlinks, fp))
		ok = false;
	return ok;
}

bool recommendation_validate(const struct recommendation *r,
			     const char *inspection_from,
			     struct field_problems *fp)
{
	bool ok = true;
	if (blank(r->text))
		BAD("text", "recommendation is empty",
		    "Vui lòng nhập nội dung kiến nghị.");
	else if (!text_ok(r->text, OVERSIGHT_NOTE_MAX))
		BAD("text", "recommendation is too long",
		    "Kiến nghị quá dài (tối đa 2.000 ký tự).");
	if (r->unit_id <= 0)
		BAD("unit_id", "no unit responsible",
		    "Vui lòng chọn đơn vị phải khắc phục.");
	struct date d, f;
	if (!date_ok(r->due_on, &d))
		BAD("due_on", "due_on is not a date",
		    "Hạn khắc phục không hợp lệ (dd/mm/yyyy).");
	else if (inspection_from && date_parse_iso(inspection_from, &f) &&
		 date_to_days(d) < date_to_days(f))
		BAD("due_on", "due_on is before the inspection began",
		    "Hạn khắc phục không thể trước ngày bắt đầu kiểm tra, "
		    "giám sát.");
	if (r->plan_id < 0)
		BAD("plan_id", "unknown plan",
		    "Kế hoạch được chọn không thuộc xã.");
	return ok;
}
#undef BAD

enum rec_state rec_state_of(const char *verified_on, const char *task_status)
{
	if (verified_on && *verified_on)
		return REC_VERIFIED;
	if (task_status && !strcmp(task_status, "done"))
		return REC_FIXED;
	return REC_OPEN;
}

static const char *const state_keys[] = {"open", "fixed", "verified"};

const char *rec_state_key(enum rec_state s)
{
	return state_keys[s];
}

const char *rec_state_label_vi(enum rec_state s)
{
	static const char *const labels[] = {"Chưa khắc phục",
					     "Đã khắc phục, chờ xác nhận",
					     "Đã xác nhận khắc phục"};
	return labels[s];
}

bool rec_state_from_key(const char *key, enum rec_state *out)
{
	for (int i = 0; key && i < 3; i++)
		if (!strcmp(key, state_keys[i])) {
			*out = (enum rec_state)i;
			return true;
		}
	return false;
}

bool rec_verify_check(const char *verified_on, const char *task_status,
		      const char *task_done_on, const char *on_date,
		      struct date today, const char *note,
		      struct field_problems *fp)
{
	enum rec_state s = rec_state_of(verified_on, task_status);
	if (s == REC_VERIFIED) {
		add(fp, "state", "already verified",
		    "Kiến nghị này đã được xác nhận khắc phục.");
		return false;
	}
	if (s == REC_OPEN) {
		add(fp, "state", "the remedial task is not done",
		    "Nhiệm vụ khắc phục chưa hoàn thành: chưa xác nhận được.");
		return false;
	}
	bool ok = true;
	struct date d, done;
	if (!date_ok(on_date, &d)) {
		add(fp, "verified_on", "verified_on is not a date",
		    "Ngày xác nhận không hợp lệ (dd/mm/yyyy).");
		ok = false;
	} else if (date_to_days(d) > date_to_days(today)) {
		add(fp, "verified_on", "verified_on is in the future",
		    "Ngày xác nhận không thể sau hôm nay.");
		ok = false;
	} else if (task_done_on && date_parse_iso(task_done_on, &done) &&
		   date_to_days(d) < date_to_days(done)) {
		add(fp, "verified_on",
		    "verified_on is before the task was done",
		    "Ngày xác nhận không thể trước ngày đơn vị báo hoàn "
		    "thành.");
		ok = false;
	}
	if (!text_ok(note, OVERSIGHT_NOTE_MAX)) {
		add(fp, "note", "note is too long",
		    "Ghi chú quá dài (tối đa 2.000 ký tự).");
		ok = false;
	}
	return ok;
}

bool rec_reopen_check(const char *verified_on, const char *task_status,
		      const char *note, struct field_problems *fp)
{
	bool ok = true;
	if (rec_state_of(verified_on, task_status) == REC_OPEN) {
		add(fp, "state", "the recommendation is still open",
		    "Kiến nghị chưa được báo khắc phục: không cần mở lại.");
		ok = false;
	}
	if (blank(note)) {
		add(fp, "note", "a reopening needs a note",
		    "Vui lòng ghi lý do chưa đạt để đơn vị khắc phục tiếp.");
		ok = false;
	} else if (!text_ok(note, OVERSIGHT_NOTE_MAX)) {
		add(fp, "note", "note is too long",
		    "Ghi chú quá dài (tối đa 2.000 ký tự).");
		ok = false;
	}
	return ok;
}

char *rec_task_title(struct arena *a, const char *text)
{
	static const char prefix[] = "Khắc phục: ";
	char *t = text_trim(a, text ? text : "");
	if (!t)
		return NULL;
	size_t room = 500 - (sizeof prefix - 1), n = strlen(t);
	if (n > room) {
		n = room;
		/* back to a character's first byte */
		while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
			n--;
	}
	return arena_printf(a, "%s%.*s", prefix, (int)n, t);
}

void rec_task_start(struct date today, const char *due_on, char out[11])
{
	struct date d;
	if (due_on && date_parse_iso(due_on, &d) &&
	    date_to_days(d) < date_to_days(today))
		today = d;
	date_format_iso(today, out);
}
