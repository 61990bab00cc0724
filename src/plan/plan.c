/* The plan's rules without I/O: numbers and dates the way state documents
 * write them, what makes a plan or a task valid, the occurrences of a
 * recurring task, the roll-up of sub-tasks, and targets against results. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>
#include "plan.h"
#include "../base/calendar.h"
#include "../base/text.h"
#include "../base/banned.h"

enum { TITLE_MAX = 500, TEXT_MAX = 20000, BODY_MAX = 60000, SHORT_MAX = 200 };

static void add(struct field_problems *fp, const char *field,
		const char *msg_en, const char *msg_vi)
{
	if (!fp || fp->n >= (int)(sizeof fp->list / sizeof *fp->list))
		return;
	fp->list[fp->n++] = (struct field_problem){field, msg_en, msg_vi};
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

char *plan_number_text(struct arena *a, const struct plan *p)
{
	if (p->number <= 0)
		return arena_strdup(a, "");
	return arena_printf(a, "%02d/%s", p->number,
			    p->symbol && *p->symbol ? p->symbol : "KH-UBND");
}

char *plan_place_date_text(struct arena *a, const char *place, const char *iso)
{
	struct date d;
	if (!iso || !date_parse_iso(iso, &d))
		return NULL;
	char month[16];
	if (d.m <= 2)
		snprintf(month, sizeof month, "%02d", d.m);
	else
		snprintf(month, sizeof month, "%d", d.m);
	return arena_printf(a, "%s%sngày %02d tháng %s năm %d",
			    place && *place ? place : "",
			    place && *place ? ", " : "", d.d, month, d.y);
}

char *plan_upper(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	/* an upper-case letter takes at most 4 bytes, like any code point */
	char *out = arena_alloc(a, n * 4 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	for (utf8proc_ssize_t i = 0; i < (utf8proc_ssize_t)n;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t len =
			utf8proc_iterate(p + i, (utf8proc_ssize_t)n - i, &c);
		if (len <= 0)
			return NULL;
		o += (size_t)utf8proc_encode_char(utf8proc_toupper(c),
						  (utf8proc_uint8_t *)out + o);
		i += len;
	}
	out[o] = 0;
	return out;
}

static const char *const measures[] = {"d1", "d2", "d3", "d4",   "d5",
				       "d6", "d7", "d8", "total"};

static int measure_index(const char *m)
{
	for (int i = 0; m && i < 9; i++)
		if (!strcmp(m, measures[i]))
			return i;
	return -1;
}

const char *plan_measure_label_vi(const char *measure)
{
	static const char *const labels[] = {
		"Lĩnh vực 1", "Lĩnh vực 2", "Lĩnh vực 3",
		"Lĩnh vực 4", "Lĩnh vực 5", "Lĩnh vực 6",
		"Lĩnh vực 7", "Lĩnh vực 8", "Tổng điểm PAPI"};
	int i = measure_index(measure);
	return i < 0 ? NULL : labels[i];
}

static const char *const group_labels[] = {"", "Cao", "Trung bình cao",
					   "Trung bình thấp", "Thấp"};

char *plan_target_text(struct arena *a, const struct plan_target *t,
		       int baseline_year)
{
	const char *what = !strcmp(t->kind, "tier")   ? "bậc"
			   : !strcmp(t->kind, "rank") ? "thứ hạng"
						      : "điểm";
	if (!strcmp(t->goal, "keep")) {
		if (baseline_year > 0)
			return arena_printf(a, "Giữ vững %s so với năm %d",
					    what, baseline_year);
		return arena_printf(a, "Giữ vững %s so với năm trước", what);
	}
	if (!strcmp(t->kind, "tier")) {
		int g = (int)t->value;
		return arena_printf(a, "Đạt bậc %s%s",
				    g >= 1 && g <= 4 ? group_labels[g] : "?",
				    g > 1 && g <= 4 ? " trở lên" : "");
	}
	if (!strcmp(t->kind, "rank"))
		return arena_printf(a, "Đạt thứ hạng %d trở lên",
				    (int)t->value);
	return arena_printf(a, "Đạt điểm ≥ %s",
			    text_format_number(a, t->value, 2));
}

const char *task_status_label_vi(const char *status)
{
	static const char *const s[][2] = {{"todo", "Chưa thực hiện"},
					   {"doing", "Đang thực hiện"},
					   {"done", "Hoàn thành"},
					   {"cancelled", "Hủy"}};
	for (size_t i = 0; status && i < sizeof s / sizeof *s; i++)
		if (!strcmp(status, s[i][0]))
			return s[i][1];
	return NULL;
}

const char *task_recurrence_label_vi(const char *r)
{
	static const char *const s[][2] = {{"none", "Không lặp lại"},
					   {"weekly", "Hằng tuần"},
					   {"monthly", "Hằng tháng"},
					   {"quarterly", "Hằng quý"},
					   {"yearly", "Hằng năm"}};
	for (size_t i = 0; r && i < sizeof s / sizeof *s; i++)
		if (!strcmp(r, s[i][0]))
			return s[i][1];
	return NULL;
}

/* ---- validation ---- */

static bool symbol_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 20)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || (unsigned char)*s >= 0x80))
			return false;
	return true;
}

static bool target_value_ok(const struct plan_target *t)
{
	double v = t->value;
	if (!isfinite(v))
		return false;
	if (!strcmp(t->kind, "tier"))
		return v == floor(v) && v >= 1 && v <= 4;
	if (!strcmp(t->kind, "rank"))
		return v == floor(v) && v >= 1 && v <= 10000;
	/* a dimension scores 1-10, the total of eight 8-80 */
	return v >= 0 && v <= (!strcmp(t->measure, "total") ? 80 : 10);
}

bool plan_validate(const struct plan *p, struct field_problems *fp)
{
	int before = fp ? fp->n : 0;
	bool ok = true;
#define BAD(f, en, vi)                                                         \
	do {                                                                   \
		add(fp, f, en, vi);                                            \
		ok = false;                                                    \
	} while (0)
	if (blank(p->title))
		BAD("title", "title is empty", "Vui lòng nhập tên kế hoạch.");
	else if (!text_ok(p->title, TITLE_MAX))
		BAD("title", "title is too long",
		    "Tên kế hoạch dài quá 500 ký tự.");
	if (p->year < 2000 || p->year > 2100)
		BAD("year", "year must be 2000-2100",
		    "Năm phải từ 2000 đến 2100.");
	if (!symbol_ok(p->symbol))
		BAD("symbol", "symbol must be capitals, digits and '-'",
		    "Ký hiệu gồm chữ in hoa, chữ số và dấu gạch ngang, ví dụ "
		    "KH-UBND.");
	if (!text_ok(p->place, SHORT_MAX))
		BAD("place", "place is too long", "Địa danh quá dài.");
	if (!text_ok(p->bases, TEXT_MAX))
		BAD("bases", "bases are too long", "Phần căn cứ quá dài.");
	if (!text_ok(p->recipients, TEXT_MAX))
		BAD("recipients", "recipients are too long",
		    "Phần nơi nhận quá dài.");
	if (p->sign_mode && strcmp(p->sign_mode, "TM.") &&
	    strcmp(p->sign_mode, "KT.") && *p->sign_mode)
		BAD("sign_mode", "sign mode must be TM., KT. or empty",
		    "Hình thức ký phải là TM., KT. hoặc để trống.");
	if (!text_ok(p->signer_title, SHORT_MAX))
		BAD("signer_title", "signer title is too long",
		    "Chức vụ người ký quá dài.");
	if (!text_ok(p->signer_name, SHORT_MAX))
		BAD("signer_name", "signer name is too long",
		    "Tên người ký quá dài.");
	if (p->issued_on) {
		struct date d;
		if (!date_parse_iso(p->issued_on, &d))
			BAD("issued_on", "issued_on is not a date",
			    "Ngày ban hành không hợp lệ.");
		else if (d.y < p->year - 1 || d.y > p->year + 1)
			BAD("issued_on", "issued_on is far from the plan year",
			    "Ngày ban hành phải trong năm của kế hoạch (hoặc "
			    "năm trước, năm sau).");
	}
	if (p->baseline_year &&
	    (p->baseline_year < 2000 || p->baseline_year >= p->year))
		BAD("baseline_year", "baseline year must be before the year",
		    "Năm so sánh phải trước năm của kế hoạch.");
	if (p->criterion_min_tasks < 1 || p->criterion_min_tasks > 1000)
		BAD("criterion_min_tasks", "criterion_min_tasks must be 1-1000",
		    "Số nhiệm vụ tối thiểu để chấm điểm phải từ 1 đến 1000.");
	if (p->nsections < 0 || p->nsections > PLAN_MAX_SECTIONS)
		BAD("sections", "too many sections",
		    "Kế hoạch có quá nhiều mục (tối đa 40).");
	for (int i = 0; i < p->nsections && i < PLAN_MAX_SECTIONS; i++) {
		const struct plan_section *s = &p->sections[i];
		if (blank(s->heading) || !text_ok(s->heading, TITLE_MAX))
			BAD("sections", "a section has no heading",
			    "Mỗi mục cần có tiêu đề (tối đa 500 ký tự).");
		else if (!text_ok(s->body, BODY_MAX))
			BAD("sections", "a section is too long",
			    "Nội dung một mục quá dài.");
		if (!ok)
			break;
	}
	if (p->ntargets < 0 || p->ntargets > PLAN_MAX_TARGETS)
		BAD("targets", "too many targets",
		    "Quá nhiều mục tiêu (tối đa 27).");
	for (int i = 0; i < p->ntargets && i < PLAN_MAX_TARGETS; i++) {
		const struct plan_target *t = &p->targets[i];
		bool kind_ok = t->kind && (!strcmp(t->kind, "tier") ||
					   !strcmp(t->kind, "rank") ||
					   !strcmp(t->kind, "score"));
		bool goal_ok = t->goal && (!strcmp(t->goal, "keep") ||
					   !strcmp(t->goal, "reach"));
		if (measure_index(t->measure) < 0 || !kind_ok || !goal_ok) {
			BAD("targets",
			    "a target has an unknown measure, kind "
			    "or goal",
			    "Mục tiêu phải chọn lĩnh vực (hoặc tổng điểm), "
			    "loại "
			    "(bậc, thứ hạng, điểm) và yêu cầu (giữ vững, "
			    "đạt).");
			break;
		}
		if (!strcmp(t->goal, "reach") && !target_value_ok(t)) {
			BAD("targets", "a target's value is out of range",
			    "Giá trị mục tiêu không hợp lệ: bậc từ 1 (Cao) đến "
			    "4 (Thấp), thứ hạng từ 1, điểm lĩnh vực 0–10, "
			    "tổng điểm 0–80.");
			break;
		}
		if (!text_ok(t->note, TITLE_MAX)) {
			BAD("targets", "a target's note is too long",
			    "Ghi chú của mục tiêu quá dài.");
			break;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(p->targets[j].measure, t->measure) &&
			    !strcmp(p->targets[j].kind, t->kind)) {
				BAD("targets",
				    "two targets of one measure "
				    "and kind",
				    "Mỗi lĩnh vực chỉ có một mục tiêu cho mỗi "
				    "loại (bậc, thứ hạng, điểm).");
				i = p->ntargets;
				break;
			}
	}
	return ok && (!fp || fp->n == before);
}

static bool link_ok(const char *l)
{
	/* "D5" or "D5:5.2.1" (digits and dots, a catalogue code) */
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
	/* the indicator's code starts with its dimension's number */
	return l[3] == l[1];
}

bool task_validate(const struct task *t, struct field_problems *fp)
{
	int before = fp ? fp->n : 0;
	bool ok = true;
	if (blank(t->title))
		BAD("title", "title is empty", "Vui lòng nhập tên nhiệm vụ.");
	else if (!text_ok(t->title, TITLE_MAX))
		BAD("title", "title is too long",
		    "Tên nhiệm vụ dài quá 500 ký tự.");
	if (!text_ok(t->description, TEXT_MAX))
		BAD("description", "description is too long", "Mô tả quá dài.");
	if (t->lead_unit_id <= 0)
		BAD("lead_unit_id", "no lead unit",
		    "Vui lòng chọn đơn vị chủ trì.");
	if (t->nco_units < 0 || t->nco_units > TASK_MAX_CO_UNITS)
		BAD("co_unit_ids", "too many co-units",
		    "Quá nhiều đơn vị phối hợp (tối đa 30).");
	for (int i = 0; i < t->nco_units && i < TASK_MAX_CO_UNITS; i++)
		if (t->co_unit_ids[i] == t->lead_unit_id) {
			BAD("co_unit_ids", "the lead unit is also a co-unit",
			    "Đơn vị chủ trì không đồng thời là đơn vị phối "
			    "hợp.");
			break;
		}
	struct date s = {0}, d = {0};
	bool s_ok = t->start_on && date_parse_iso(t->start_on, &s);
	bool d_ok = t->due_on && date_parse_iso(t->due_on, &d);
	if (!s_ok)
		BAD("start_on", "start_on is not a date",
		    "Ngày bắt đầu không hợp lệ (dd/mm/yyyy).");
	else if (s.y < 2000 || s.y > 2100)
		BAD("start_on", "start_on is out of range",
		    "Ngày bắt đầu phải từ năm 2000 đến 2100.");
	if (!d_ok)
		BAD("due_on", "due_on is not a date",
		    "Hạn hoàn thành không hợp lệ (dd/mm/yyyy).");
	else if (d.y < 2000 || d.y > 2100)
		BAD("due_on", "due_on is out of range",
		    "Hạn hoàn thành phải từ năm 2000 đến 2100.");
	if (s_ok && d_ok && date_to_days(s) > date_to_days(d))
		BAD("due_on", "due_on is before start_on",
		    "Hạn hoàn thành phải sau hoặc bằng ngày bắt đầu.");
	if (!task_recurrence_label_vi(t->recurrence))
		BAD("recurrence", "unknown recurrence",
		    "Chu kỳ lặp lại không hợp lệ.");
	else if (ok && strcmp(t->recurrence, "none") &&
		 task_occurrences(NULL, t, NULL, TASK_MAX_OCCURRENCES) < 0)
		BAD("recurrence", "more than 60 occurrences",
		    "Quá nhiều lần lặp lại (tối đa 60): chọn chu kỳ dài hơn "
		    "hoặc rút ngắn thời gian.");
	if (!(t->weight > 0) || !isfinite(t->weight) || t->weight > 1000)
		BAD("weight", "weight must be above 0 and at most 1000",
		    "Trọng số phải lớn hơn 0 và không quá 1000.");
	if (t->status && !task_status_label_vi(t->status))
		BAD("status", "unknown status", "Trạng thái không hợp lệ.");
	if (t->progress < 0 || t->progress > 100)
		BAD("progress", "progress must be 0-100",
		    "Tiến độ phải từ 0 đến 100%.");
	if (t->nlinks < 0 || t->nlinks > TASK_MAX_LINKS)
		BAD("links", "too many links",
		    "Quá nhiều lĩnh vực, chỉ số (tối đa 40).");
	for (int i = 0; i < t->nlinks && i < TASK_MAX_LINKS; i++)
		if (!link_ok(t->links[i])) {
			BAD("links", "a link is not D1-D8 or D1:1.1.1",
			    "Lĩnh vực, chỉ số không hợp lệ.");
			break;
		}
	if (t->parent_id && t->parent_id == t->id)
		BAD("parent_id", "a task cannot be its own parent",
		    "Nhiệm vụ không thể là nhiệm vụ con của chính nó.");
#undef BAD
	return ok && (!fp || fp->n == before);
}

/* ---- recurrence ---- */

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30,
				 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

int task_occurrences(struct arena *a, const struct task *t, struct task *out,
		     int max)
{
	struct date s, d;
	if (!t->start_on || !t->due_on || !date_parse_iso(t->start_on, &s) ||
	    !date_parse_iso(t->due_on, &d) || !t->recurrence)
		return -1;
	long from = date_to_days(s), to = date_to_days(d);
	if (from > to)
		return -1;
	int n = 0;
	while (from <= to) {
		struct date p = date_from_days(from), end;
		char label[64];
		if (!strcmp(t->recurrence, "weekly")) {
			/* a week runs Monday to Sunday */
			end = date_from_days(from + 7 - date_weekday(p));
		} else if (!strcmp(t->recurrence, "monthly")) {
			end = (struct date){p.y, p.m, days_in_month(p.y, p.m)};
			snprintf(label, sizeof label, "Tháng %d/%d", p.m, p.y);
		} else if (!strcmp(t->recurrence, "quarterly")) {
			int q = (p.m - 1) / 3 + 1;
			end = (struct date){p.y, q * 3,
					    days_in_month(p.y, q * 3)};
			snprintf(label, sizeof label, "Quý %d/%d", q, p.y);
		} else if (!strcmp(t->recurrence, "yearly")) {
			end = (struct date){p.y, 12, 31};
			snprintf(label, sizeof label, "Năm %d", p.y);
		} else {
			return -1;
		}
		long e = date_to_days(end);
		if (e > to)
			e = to, end = d;
		if (!strcmp(t->recurrence, "weekly"))
			snprintf(label, sizeof label,
				 "Tuần %02d/%02d–%02d/%02d/%d", p.d, p.m, end.d,
				 end.m, end.y);
		if (n >= max)
			return -1;
		if (out && a) {
			char b1[11], b2[11];
			date_format_iso(p, b1);
			date_format_iso(end, b2);
			struct task *o = &out[n];
			*o = *t;
			o->id = 0;
			o->parent_id = t->id;
			o->ord = n + 1;
			o->title = arena_printf(a, "%s – %s", t->title, label);
			o->start_on = arena_strdup(a, b1);
			o->due_on = arena_strdup(a, b2);
			o->recurrence = "none";
			o->weight = 1;
			o->status = "todo";
			o->progress = 0;
			o->done_on = NULL;
			if (!o->title || !o->start_on || !o->due_on)
				return -1;
		}
		n++;
		from = e + 1;
	}
	return n;
}

/* ---- roll-up ---- */

int task_rollup(const int *progress, const double *weight,
		const bool *cancelled, int n)
{
	double sum = 0, w = 0;
	for (int i = 0; i < n; i++) {
		if (cancelled && cancelled[i])
			continue;
		double wi = weight && weight[i] > 0 ? weight[i] : 1;
		sum += wi * progress[i];
		w += wi;
	}
	if (w <= 0)
		return 0;
	int r = (int)floor(sum / w + 0.5);
	return r < 0 ? 0 : r > 100 ? 100 : r;
}

const char *task_rollup_status(const char *const *status, const int *progress,
			       int n)
{
	int live = 0, done = 0, begun = 0;
	for (int i = 0; i < n; i++) {
		if (!strcmp(status[i], "cancelled"))
			continue;
		live++;
		if (!strcmp(status[i], "done"))
			done++;
		else if (!strcmp(status[i], "doing") || progress[i] > 0)
			begun++;
	}
	if (n == 0)
		return "todo";
	if (live == 0)
		return "cancelled";
	if (done == live)
		return "done";
	return done || begun ? "doing" : "todo";
}

/* ---- targets against results ---- */

enum target_state plan_target_check(const struct plan_target *t,
				    const struct target_actual *actual,
				    const struct target_actual *baseline)
{
	bool keep = !strcmp(t->goal, "keep");
	if (!actual || (keep && !baseline))
		return TARGET_NO_DATA;
	if (!strcmp(t->kind, "score")) {
		if (!actual->has_score || (keep && !baseline->has_score))
			return TARGET_NO_DATA;
		double want = keep ? baseline->score : t->value;
		return actual->score >= want ? TARGET_MET : TARGET_NOT_MET;
	}
	if (!strcmp(t->kind, "tier")) {
		if (!actual->group || (keep && !baseline->group))
			return TARGET_NO_DATA;
		int want = keep ? baseline->group : (int)t->value;
		return actual->group <= want ? TARGET_MET : TARGET_NOT_MET;
	}
	if (!actual->rank || (keep && !baseline->rank))
		return TARGET_NO_DATA;
	int want = keep ? baseline->rank : (int)t->value;
	return actual->rank <= want ? TARGET_MET : TARGET_NOT_MET;
}
