/* The outreach model (outreach.h): channels, the checks of an activity and
 * of a news post, coverage periods and the villages x topics x months
 * matrix with its gaps. No I/O: the unit tests call these directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "outreach.h"
#include "../base/text.h"
#include "../base/banned.h"

const char *const outreach_channels[] = {
	"radio",   "village_meeting", "mass_org_meeting",
	"leaflet", "zalo_group",      "website_post",
};
static const char *const channel_vi[] = {
	"Loa truyền thanh xã", "Họp thôn",  "Họp đoàn thể",
	"Tờ rơi, tài liệu",    "Nhóm Zalo", "Bài đăng trang thông tin",
};

const char *outreach_channel_label_vi(const char *key)
{
	for (int i = 0; key && i < OUTREACH_NCHANNELS; i++)
		if (!strcmp(key, outreach_channels[i]))
			return channel_vi[i];
	return NULL;
}

static void problem(struct field_problems *fp, const char *field,
		    const char *en, const char *vi)
{
	if (fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){field, en, vi};
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

static bool text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return n <= max && (!s || text_valid_utf8(s, n));
}

bool outreach_link_parse(const char *link, char dim[3], const char **indicator)
{
	if (!link || link[0] != 'D' || link[1] < '1' || link[1] > '8')
		return false;
	dim[0] = 'D';
	dim[1] = link[1];
	dim[2] = 0;
	if (!link[2]) {
		if (indicator)
			*indicator = "";
		return true;
	}
	if (link[2] != ':' || !link[3])
		return false;
	/* indicator codes are "5.2.1": digits and dots, its dimension first */
	if (link[3] != link[1] || strlen(link + 3) > 20)
		return false;
	for (const char *p = link + 3; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return false;
	if (indicator)
		*indicator = link + 3;
	return true;
}

bool outreach_validate(const struct outreach_activity *x, const char *today,
		       struct field_problems *fp)
{
	int before = fp->n;
	if (!outreach_channel_label_vi(x->channel))
		problem(fp, "channel", "unknown channel",
			"Chọn hình thức tuyên truyền.");
	if (x->topic_id <= 0)
		problem(fp, "topic_id", "no topic", "Chọn chủ đề.");
	struct date d, t;
	if (!x->held_on || !*x->held_on)
		problem(fp, "held_on", "no date", "Nhập ngày thực hiện.");
	else if (!date_parse_iso(x->held_on, &d) || d.y < 2000)
		problem(fp, "held_on", "not a date (dd/mm/yyyy)",
			"Ngày không hợp lệ (nhập dd/mm/yyyy).");
	else if (today && date_parse_iso(today, &t) &&
		 date_to_days(d) > date_to_days(t))
		problem(fp, "held_on", "in the future",
			"Ngày thực hiện không được sau hôm nay: chỉ ghi hoạt "
			"động đã diễn ra.");
	if (blank(x->title))
		problem(fp, "title", "no title",
			"Nhập nội dung tóm tắt của hoạt động.");
	else if (!text_ok(x->title, OUTREACH_TITLE_MAX))
		problem(fp, "title", "title too long (300 bytes at most)",
			"Nội dung tóm tắt quá dài (tối đa khoảng 300 ký tự).");
	if (!text_ok(x->note, OUTREACH_NOTE_MAX))
		problem(fp, "note", "note too long (4000 bytes at most)",
			"Ghi chú quá dài (tối đa khoảng 4.000 ký tự).");
	if (x->audience < 0 || x->audience > OUTREACH_AUDIENCE_MAX)
		problem(fp, "audience", "audience not from 0 to 1000000",
			"Số người tham dự phải từ 0 đến 1.000.000.");
	if (x->nvillages <= 0)
		problem(fp, "villages", "no village",
			"Chọn ít nhất một thôn được tuyên truyền.");
	for (int i = 0; i < x->nvillages; i++) {
		bool bad = x->villages[i] <= 0;
		for (int j = 0; j < i && !bad; j++)
			bad = x->villages[j] == x->villages[i];
		if (bad) {
			problem(fp, "villages", "a village twice or unknown",
				"Danh sách thôn có thôn lặp lại hoặc không "
				"hợp lệ.");
			break;
		}
	}
	for (int i = 0; i < x->nlinks; i++) {
		char dim[3];
		bool bad = !outreach_link_parse(x->links[i], dim, NULL);
		for (int j = 0; j < i && !bad; j++)
			bad = !strcmp(x->links[j], x->links[i]);
		if (bad) {
			problem(fp, "links", "bad or repeated PAPI link",
				"Liên kết PAPI không hợp lệ hoặc lặp lại.");
			break;
		}
	}
	return fp->n == before;
}

/* ---- periods ---- */

static bool parse_day(const char *s, struct date *d)
{
	return s && *s && text_parse_date(s, d);
}

bool outreach_period_make(int year, const char *from, const char *to,
			  struct date today, struct outreach_period *out,
			  const char **en, const char **vi)
{
	struct date f = {0}, t = {0};
	bool hf = from && *from, ht = to && *to;
	*en = *vi = NULL;
	if (year > 0 || (!hf && !ht)) {
		int y = year > 0 ? year : today.y;
		if (y < 2000 || y > 9998) {
			*en = "year not from 2000 to 9998";
			*vi = "Năm không hợp lệ.";
			return false;
		}
		out->from = (struct date){y, 1, 1};
		out->to = (struct date){y, 12, 31};
		return true;
	}
	if ((hf && !parse_day(from, &f)) || (ht && !parse_day(to, &t))) {
		*en = "not a date (dd/mm/yyyy)";
		*vi = "Ngày không hợp lệ (nhập dd/mm/yyyy).";
		return false;
	}
	if (!hf)
		f = (struct date){t.y, 1, 1};
	if (!ht)
		t = (struct date){f.y, 12, 31};
	if (date_to_days(f) > date_to_days(t)) {
		*en = "from is after to";
		*vi = "Ngày bắt đầu sau ngày kết thúc.";
		return false;
	}
	out->from = f;
	out->to = t;
	if (outreach_period_months(out) > OUTREACH_MONTHS_MAX) {
		*en = "period longer than 60 months";
		*vi = "Khoảng thời gian dài quá 60 tháng.";
		return false;
	}
	return true;
}

int outreach_period_months(const struct outreach_period *p)
{
	return (p->to.y - p->from.y) * 12 + (p->to.m - p->from.m) + 1;
}

int outreach_month_index(const struct outreach_period *p, struct date d)
{
	long n = date_to_days(d);
	if (n < date_to_days(p->from) || n > date_to_days(p->to))
		return -1;
	return (d.y - p->from.y) * 12 + (d.m - p->from.m);
}

char *outreach_month_label(struct arena *a, const struct outreach_period *p,
			   int i)
{
	int m = p->from.m - 1 + i;
	return arena_printf(a, "%02d/%d", m % 12 + 1, p->from.y + m / 12);
}

/* ---- the matrix ---- */

enum err coverage_build(struct arena *a, int nvillages, int ntopics,
			const struct outreach_period *p,
			const struct coverage_hit *hits, int nhits,
			struct coverage *out, struct error *e)
{
	memset(out, 0, sizeof *out);
	int nm = outreach_period_months(p);
	if (nvillages < 0 || nvillages > COVERAGE_VILLAGES_MAX || ntopics < 0 ||
	    ntopics > COVERAGE_TOPICS_MAX || nm < 1 || nm > OUTREACH_MONTHS_MAX)
		return error_set(e, ERR_INVALID,
				 "coverage: %d villages, %d topics, %d months: "
				 "over the limits",
				 nvillages, ntopics, nm);
	size_t cells = (size_t)nvillages * ntopics * nm + 1;
	size_t vt = (size_t)nvillages * ntopics + 1;
	out->nvillages = nvillages;
	out->ntopics = ntopics;
	out->nmonths = nm;
	out->count = arena_alloc(a, sizeof(long long) * cells);
	out->audience = arena_alloc(a, sizeof(long long) * cells);
	out->vt_count = arena_alloc(a, sizeof(long long) * vt);
	out->vt_audience = arena_alloc(a, sizeof(long long) * vt);
	out->v_count = arena_alloc(a, sizeof(long long) * (nvillages + 1));
	out->vm_count = arena_alloc(a, sizeof(long long) *
					       ((size_t)nvillages * nm + 1));
	out->t_count = arena_alloc(a, sizeof(long long) * (ntopics + 1));
	out->campaign = arena_alloc(a, sizeof(bool) * (ntopics + 1));
	out->t_missed = arena_alloc(a, sizeof(int) * (ntopics + 1));
	if (!out->count || !out->audience || !out->vt_count ||
	    !out->vt_audience || !out->v_count || !out->vm_count ||
	    !out->t_count || !out->campaign || !out->t_missed)
		return error_set(e, ERR_NOMEM, "coverage: out of memory");
	for (int i = 0; i < nhits; i++) {
		const struct coverage_hit *h = &hits[i];
		int m = outreach_month_index(p, h->day);
		if (m < 0 || h->village < 0 || h->village >= nvillages ||
		    h->topic < 0 || h->topic >= ntopics || h->count <= 0)
			continue;
		size_t k = ((size_t)h->village * ntopics + h->topic) * nm + m;
		size_t j = (size_t)h->village * ntopics + h->topic;
		out->count[k] += h->count;
		out->audience[k] += h->audience;
		out->vt_count[j] += h->count;
		out->vt_audience[j] += h->audience;
		out->v_count[h->village] += h->count;
		out->vm_count[(size_t)h->village * nm + m] += h->count;
		out->t_count[h->topic] += h->count;
		out->campaign[h->topic] = true;
		out->total += h->count;
	}
	for (int t = 0; t < ntopics; t++)
		for (int v = 0; v < nvillages; v++)
			out->t_missed[t] += coverage_missed(out, v, t);
	return ERR_OK;
}

/* ---- news ---- */

bool news_validate(const struct news_post *n, struct field_problems *fp)
{
	int before = fp->n;
	if (blank(n->title))
		problem(fp, "title", "no title", "Nhập tiêu đề bài viết.");
	else if (!text_ok(n->title, NEWS_TITLE_MAX))
		problem(fp, "title", "title too long (300 bytes at most)",
			"Tiêu đề quá dài (tối đa khoảng 300 ký tự).");
	if (blank(n->body))
		problem(fp, "body", "no text", "Nhập nội dung bài viết.");
	else if (!text_ok(n->body, NEWS_BODY_MAX))
		problem(fp, "body", "text too long (20000 bytes at most)",
			"Nội dung quá dài (tối đa khoảng 20.000 ký tự).");
	return fp->n == before;
}

json_t *news_paragraphs(struct arena *a, const char *body)
{
	json_t *out = json_array();
	const char *p = body ? body : "";
	while (*p && json_array_size(out) < NEWS_PARAGRAPHS_MAX) {
		/* a paragraph ends at a line holding only white space */
		const char *end = p, *next = NULL;
		for (const char *q = p; *q; q++) {
			if (*q != '\n')
				continue;
			const char *r = q + 1;
			while (*r == ' ' || *r == '\t' || *r == '\r')
				r++;
			if (*r == '\n' || !*r) {
				end = q;
				next = r;
				break;
			}
		}
		if (!next) {
			end = p + strlen(p);
			next = end;
		}
		char *s = arena_strndup(a, p, (size_t)(end - p));
		char *t = s ? text_trim(a, s) : NULL;
		if (t && *t)
			json_array_append_new(out, json_string(t));
		p = next;
		while (*p == '\n' || *p == '\r')
			p++;
	}
	return out;
}
