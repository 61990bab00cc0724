/* The model of a case without I/O: labels, the workflow and the step whose
 * clock runs in each status (voice.h). */
#include <string.h>
#include "voice.h"
#include "../base/banned.h"

struct label {
	const char *key, *vi;
};

static const struct label types[] = {
	{"feedback", "Phản ánh"},
	{"petition", "Kiến nghị"},
	{"complaint", "Khiếu nại"},
	{"denunciation", "Tố cáo"},
};

static const struct label statuses[] = {
	{"received", "Đã tiếp nhận"},   {"accepted", "Đã thụ lý"},
	{"forwarded", "Đã chuyển đi"},  {"refused", "Không thụ lý"},
	{"assigned", "Đã giao xử lý"},  {"verifying", "Đang xác minh"},
	{"dialogue", "Đang đối thoại"}, {"answered", "Đã trả lời"},
	{"closed", "Đã kết thúc"},      {"merged", "Đã gộp"},
};

static const struct label channels[] = {
	{"online", "Trực tuyến"},
	{"paper", "Đơn, thư"},
	{"phone", "Điện thoại"},
	{"reception", "Tiếp công dân"},
	{"meeting", "Hội nghị, họp thôn"},
	{"portal", "Cổng Dịch vụ công quốc gia"},
	{"open311", "Open311"},
};

static const char *find(const struct label *l, size_t n, const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i].key, key))
			return l[i].vi;
	return NULL;
}

#define FIND(t, k) find(t, sizeof t / sizeof *t, k)

const char *case_type_label_vi(const char *type)
{
	return FIND(types, type);
}

const char *case_status_label_vi(const char *status)
{
	return FIND(statuses, status);
}

const char *case_channel_label_vi(const char *channel)
{
	return FIND(channels, channel);
}

static bool is(const char *s, const char *t)
{
	return s && !strcmp(s, t);
}

bool case_type_needs_identity(const char *type)
{
	return is(type, "complaint") || is(type, "denunciation");
}

bool case_can_move(const char *type, const char *from, const char *to)
{
	if (!case_type_label_vi(type) || !case_status_label_vi(from) ||
	    !case_status_label_vi(to))
		return false;
	static const struct {
		const char *from, *to;
	} moves[] = {
		{"received", "accepted"},  {"received", "forwarded"},
		{"received", "refused"},   {"received", "merged"},
		{"accepted", "assigned"},  {"accepted", "merged"},
		{"assigned", "verifying"}, {"assigned", "answered"},
		{"assigned", "merged"},    {"verifying", "dialogue"},
		{"verifying", "answered"}, {"dialogue", "answered"},
		{"answered", "closed"},
	};
	/* dialogue (đối thoại) is a step of the complaint law only */
	if (is(to, "dialogue") && !is(type, "complaint"))
		return false;
	for (size_t i = 0; i < sizeof moves / sizeof *moves; i++)
		if (!strcmp(moves[i].from, from) && !strcmp(moves[i].to, to))
			return true;
	return false;
}

const char *case_current_step(const char *type, const char *status)
{
	if (!case_type_label_vi(type) || !status)
		return NULL;
	bool answer_only = is(type, "feedback") || is(type, "petition");
	if (is(status, "received"))
		/* classification (forward within 5 working days) comes
		 * first; once accepted, the answer clock counts from
		 * receipt (its rule's start_event) */
		return answer_only ? "classify" : "accept";
	if (is(status, "accepted") || is(status, "assigned") ||
	    is(status, "verifying") || is(status, "dialogue"))
		return "resolve";
	return NULL;
}

const char *case_open311_status(const char *status)
{
	if (is(status, "answered") || is(status, "closed") ||
	    is(status, "forwarded") || is(status, "refused") ||
	    is(status, "merged"))
		return "closed";
	return "open";
}
