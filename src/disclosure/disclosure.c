/* The disclosure model and its rules: channels, periods, validation, and
 * the problems the register shows (posting too short, too few consecutive
 * loudspeaker days, a required channel missing, an item not disclosed in
 * its period). No I/O: the unit tests run these on real dates. */
#include <stdlib.h>
#include <string.h>
#include "disclosure.h"
#include "../base/text.h"
#include "../base/banned.h"

static const struct {
	unsigned bit;
	const char *key, *vi;
} channels[DISC_NCHANNELS] = {
	{DISC_NOTICE_BOARD, "notice_board", "Niêm yết tại trụ sở UBND xã"},
	{DISC_WEBSITE, "website", "Trang thông tin điện tử của xã"},
	{DISC_LOUDSPEAKER, "loudspeaker", "Hệ thống truyền thanh"},
	{DISC_VILLAGE_MEETING, "village_meeting", "Hội nghị thôn"},
	{DISC_WRITTEN_NOTICE, "written_notice", "Văn bản gửi hộ gia đình"},
	{DISC_TEXT_MESSAGE, "text_message", "Tin nhắn"},
	{DISC_SOCIAL_NETWORK, "social_network", "Mạng xã hội (nhóm Zalo)"},
	{DISC_VIA_VILLAGE, "via_village",
	 "Qua trưởng thôn (hội nghị, văn bản, tin nhắn hoặc mạng xã hội)"},
};

unsigned disc_channel_bit(int i)
{
	return i >= 0 && i < DISC_NCHANNELS ? channels[i].bit : 0;
}
const char *disc_channel_key(int i)
{
	return i >= 0 && i < DISC_NCHANNELS ? channels[i].key : NULL;
}
const char *disc_channel_label_vi(int i)
{
	return i >= 0 && i < DISC_NCHANNELS ? channels[i].vi : NULL;
}

bool disc_channels_parse(struct arena *a, const char *text, unsigned *bits,
			 const char **bad)
{
	*bits = 0;
	const char *p = text ? text : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		while (n && p[n - 1] == ' ')
			n--;
		if (!n)
			break;
		int found = -1;
		for (int i = 0; i < DISC_NCHANNELS; i++)
			if (strlen(channels[i].key) == n &&
			    !strncmp(channels[i].key, p, n))
				found = i;
		if (found < 0) {
			if (bad)
				*bad = arena_strndup(a, p, n);
			return false;
		}
		*bits |= channels[found].bit;
		p += n;
		while (*p == ' ')
			p++;
	}
	return true;
}

static char *join(struct arena *a, unsigned bits, bool vi)
{
	char *s = arena_strdup(a, "");
	for (int i = 0; s && i < DISC_NCHANNELS; i++)
		if (bits & channels[i].bit)
			s = arena_printf(a, "%s%s%s", s,
					 *s ? (vi ? "; " : ",") : "",
					 vi ? channels[i].vi : channels[i].key);
	return s;
}
char *disc_channels_text(struct arena *a, unsigned bits)
{
	return join(a, bits, false);
}
char *disc_channels_text_vi(struct arena *a, unsigned bits)
{
	return join(a, bits, true);
}

/* ---- periods ---- */

static const struct {
	const char *key, *vi;
	int periods;
} frequencies[] = {
	{"on_event", "Khi phát sinh", 0},      {"yearly", "Hằng năm", 1},
	{"half_yearly", "6 tháng một lần", 2}, {"quarterly", "Hằng quý", 4},
	{"monthly", "Hằng tháng", 12},
};

int disc_frequency_periods(const char *f)
{
	for (size_t i = 0; f && i < sizeof frequencies / sizeof *frequencies;
	     i++)
		if (!strcmp(f, frequencies[i].key))
			return frequencies[i].periods;
	return -1;
}

const char *disc_frequency_label_vi(const char *f)
{
	for (size_t i = 0; f && i < sizeof frequencies / sizeof *frequencies;
	     i++)
		if (!strcmp(f, frequencies[i].key))
			return frequencies[i].vi;
	return NULL;
}

int disc_period_of(const char *frequency, struct date d)
{
	int n = disc_frequency_periods(frequency);
	if (n <= 1)
		return 0;
	return (d.m - 1) / (12 / n) + 1;
}

void disc_period_bounds(const char *frequency, int year, int period,
			struct date *from, struct date *to)
{
	int n = disc_frequency_periods(frequency);
	if (n <= 1 || period < 1 || period > n) {
		*from = (struct date){year, 1, 1};
		*to = (struct date){year, 12, 31};
		return;
	}
	int months = 12 / n;
	*from = (struct date){year, (period - 1) * months + 1, 1};
	struct date next =
		period == n ? (struct date){year + 1, 1, 1}
			    : (struct date){year, period * months + 1, 1};
	*to = date_from_days(date_to_days(next) - 1);
}

char *disc_period_label_vi(struct arena *a, const char *frequency, int year,
			   int period)
{
	int n = disc_frequency_periods(frequency);
	if (n <= 1 || period < 1)
		return arena_printf(a, "Năm %d", year);
	if (n == 2)
		return arena_printf(a, "6 tháng %s năm %d",
				    period == 1 ? "đầu" : "cuối", year);
	if (n == 4)
		return arena_printf(a, "Quý %d/%d", period, year);
	return arena_printf(a, "Tháng %d/%d", period, year);
}

/* ---- links ---- */

bool disc_link_valid(const char *l)
{
	if (!l || l[0] != 'D' || l[1] < '1' || l[1] > '8')
		return false;
	if (!l[2])
		return true;
	if (l[2] != ':' || l[3] != l[1] || l[4] != '.')
		return false;
	/* digits separated by single dots, not ending with a dot */
	const char *p = l + 5;
	if (!*p || strlen(l) > 20)
		return false;
	bool digit = false;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (*p == '.' && digit)
			digit = false;
		else
			return false;
	}
	return digit;
}

bool disc_links_parse(struct arena *a, const char *text, const char **links,
		      int *n, const char **bad)
{
	*n = 0;
	const char *p = text ? text : "";
	while (*p) {
		while (*p == ' ' || *p == ';' || *p == ',')
			p++;
		size_t k = strcspn(p, ";,");
		while (k && p[k - 1] == ' ')
			k--;
		if (!k)
			break;
		char *l = arena_strndup(a, p, k);
		if (!l || !disc_link_valid(l) || *n >= DISC_LINKS_MAX) {
			if (bad)
				*bad = l ? l : "";
			return false;
		}
		bool dup = false;
		for (int i = 0; i < *n; i++)
			dup |= !strcmp(links[i], l);
		if (!dup)
			links[(*n)++] = l;
		p += k;
		while (*p == ' ')
			p++;
	}
	return true;
}

char *disc_links_text(struct arena *a, const char *const *links, int n)
{
	char *s = arena_strdup(a, "");
	for (int i = 0; s && i < n; i++)
		s = arena_printf(a, "%s%s%s", s, i ? ";" : "", links[i]);
	return s;
}

/* ---- validation ---- */

static void add(struct field_problems *fp, const char *field, const char *en,
		const char *vi)
{
	if (fp && fp->n < (int)(sizeof fp->list / sizeof *fp->list))
		fp->list[fp->n++] = (struct field_problem){field, en, vi};
}

static bool text_ok(const char *s, size_t max)
{
	return s && text_valid_utf8(s, strlen(s)) && strlen(s) <= max;
}

bool disc_item_validate(const struct disc_item *it, struct field_problems *fp)
{
	int before = fp ? fp->n : 0;
	bool bad = false;
	if (it->no < 1 || it->no > 999) {
		add(fp, "no", "must be a number from 1 to 999",
		    "Số thứ tự phải từ 1 đến 999.");
		bad = true;
	}
	if (!it->title || !*it->title || !text_ok(it->title, DISC_TITLE_MAX)) {
		add(fp, "title", "empty or longer than 500 bytes",
		    "Vui lòng nhập tên nội dung (tối đa 500 ký tự).");
		bad = true;
	}
	if (!text_ok(it->description ? it->description : "", DISC_TEXT_MAX) ||
	    !text_ok(it->legal_basis ? it->legal_basis : "", DISC_TITLE_MAX)) {
		add(fp, "description", "too long or not UTF-8",
		    "Mô tả hoặc căn cứ quá dài.");
		bad = true;
	}
	if (it->min_days < 1 || it->min_days > DISC_POSTING_MAX_DAYS) {
		add(fp, "min_days", "must be from 1 to 3660 days",
		    "Thời gian công khai tối thiểu phải từ 1 đến 3.660 ngày.");
		bad = true;
	}
	if (it->loudspeaker_days < 0 || it->loudspeaker_days > 60) {
		add(fp, "loudspeaker_days", "must be from 0 to 60",
		    "Số ngày phát thanh liên tục phải từ 0 đến 60.");
		bad = true;
	} else if (it->loudspeaker_days > 0 &&
		   !(it->channels & DISC_LOUDSPEAKER)) {
		add(fp, "loudspeaker_days",
		    "loudspeaker days need the loudspeaker channel",
		    "Có số ngày phát thanh thì phải chọn kênh hệ thống "
		    "truyền thanh.");
		bad = true;
	}
	if (disc_frequency_periods(it->frequency) < 0) {
		add(fp, "frequency", "unknown frequency",
		    "Chọn tần suất công khai.");
		bad = true;
	}
	if (!it->channels) {
		add(fp, "channels", "no required channel",
		    "Chọn ít nhất một hình thức công khai bắt buộc.");
		bad = true;
	}
	for (int i = 0; i < it->nlinks; i++)
		if (!disc_link_valid(it->links[i])) {
			add(fp, "links", "bad PAPI link",
			    "Liên kết PAPI không hợp lệ (ví dụ D2 hoặc "
			    "D2:2.2).");
			bad = true;
			break;
		}
	return !bad && (!fp || fp->n == before);
}

static bool iso(const char *s, struct date *d)
{
	return s && date_parse_iso(s, d);
}

bool disc_record_validate(const struct disc_record *r,
			  const struct disc_item *it, struct field_problems *fp)
{
	bool bad = false;
	if (!r->title || !*r->title || !text_ok(r->title, DISC_TITLE_MAX)) {
		add(fp, "title", "empty or longer than 500 bytes",
		    "Vui lòng nhập tên văn bản, nội dung công khai (tối đa "
		    "500 ký tự).");
		bad = true;
	}
	if (!text_ok(r->note ? r->note : "", DISC_TEXT_MAX)) {
		add(fp, "note", "longer than 4000 bytes",
		    "Ghi chú dài quá 4.000 ký tự.");
		bad = true;
	}
	if (!it) {
		add(fp, "item_id", "unknown item",
		    "Chọn nội dung phải công khai trong danh mục.");
		bad = true;
	}
	struct date f, t;
	bool hf = iso(r->posted_from, &f), ht = iso(r->posted_to, &t);
	if (!hf) {
		add(fp, "posted_from", "not a date",
		    "Ngày bắt đầu công khai không hợp lệ (dd/mm/yyyy).");
		bad = true;
	}
	if (!ht) {
		add(fp, "posted_to", "not a date",
		    "Ngày kết thúc công khai không hợp lệ (dd/mm/yyyy).");
		bad = true;
	}
	if (hf && ht && date_to_days(t) < date_to_days(f)) {
		add(fp, "posted_to", "ends before it begins",
		    "Ngày kết thúc không được trước ngày bắt đầu.");
		bad = true;
	} else if (hf && ht &&
		   date_to_days(t) - date_to_days(f) >= DISC_POSTING_MAX_DAYS) {
		add(fp, "posted_to", "posted more than 3660 days",
		    "Thời gian công khai quá 10 năm, vui lòng kiểm tra lại.");
		bad = true;
	}
	if (r->year < 2000 || r->year > 2100) {
		add(fp, "year", "year out of range",
		    "Năm công khai không hợp lệ.");
		bad = true;
	}
	int np = it ? disc_frequency_periods(it->frequency) : 0;
	if (it && ((np <= 1 && r->period != 0) ||
		   (np > 1 && (r->period < 1 || r->period > np)))) {
		add(fp, "period", "period does not fit the item's frequency",
		    "Kỳ công khai không phù hợp với tần suất của nội dung "
		    "này.");
		bad = true;
	}
	if (!(r->channels & DISC_RECORD_CHANNELS) ||
	    (r->channels & ~DISC_RECORD_CHANNELS)) {
		add(fp, "channels", "no channel",
		    "Chọn ít nhất một hình thức công khai.");
		bad = true;
	}
	if ((r->channels & DISC_VILLAGE_CHANNELS) && r->nvillages == 0) {
		add(fp, "villages", "a village channel needs villages",
		    "Công khai qua trưởng thôn thì phải chọn thôn.");
		bad = true;
	}
	if (r->ndays && !(r->channels & DISC_LOUDSPEAKER)) {
		add(fp, "days", "broadcast days without the loudspeaker",
		    "Có ngày phát thanh thì phải chọn kênh hệ thống truyền "
		    "thanh.");
		bad = true;
	}
	for (int i = 0; i < r->ndays; i++) {
		struct date d;
		if (!iso(r->days[i], &d)) {
			add(fp, "days", "a broadcast day is not a date",
			    "Ngày phát thanh không hợp lệ (dd/mm/yyyy).");
			bad = true;
			break;
		}
		if (hf && ht &&
		    (date_to_days(d) < date_to_days(f) ||
		     date_to_days(d) > date_to_days(t))) {
			add(fp, "days", "a broadcast day outside the posting",
			    "Ngày phát thanh phải nằm trong thời gian công "
			    "khai.");
			bad = true;
			break;
		}
	}
	for (int i = 0; i < r->nlinks; i++)
		if (!disc_link_valid(r->links[i])) {
			add(fp, "links", "bad PAPI link",
			    "Liên kết PAPI không hợp lệ.");
			bad = true;
			break;
		}
	return !bad;
}

/* ---- rules ---- */

int disc_posted_days(const char *from, const char *to)
{
	struct date f, t;
	if (!iso(from, &f) || !iso(to, &t))
		return 0;
	long n = date_to_days(t) - date_to_days(f) + 1;
	return n < 0 ? 0 : (int)n;
}

static int cmp_long(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;
	return (a > b) - (a < b);
}

int disc_longest_run(const char *const *days, int n)
{
	long v[DISC_DAYS_MAX];
	int k = 0;
	for (int i = 0; i < n && k < DISC_DAYS_MAX; i++) {
		struct date d;
		if (iso(days[i], &d))
			v[k++] = date_to_days(d);
	}
	qsort(v, (size_t)k, sizeof *v, cmp_long);
	int best = k ? 1 : 0, run = 1;
	for (int i = 1; i < k; i++) {
		if (v[i] == v[i - 1])
			continue;
		run = v[i] == v[i - 1] + 1 ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	return best;
}

unsigned disc_record_problems(const struct disc_record *r,
			      const struct disc_item *it, unsigned *missing)
{
	unsigned p = 0, miss = 0;
	if (disc_posted_days(r->posted_from, r->posted_to) < it->min_days)
		p |= DISC_P_SHORT;
	if (it->loudspeaker_days > 0 && (r->channels & DISC_LOUDSPEAKER) &&
	    disc_longest_run(r->days, r->ndays) < it->loudspeaker_days)
		p |= DISC_P_LOUDSPEAKER;
	miss = it->channels & ~DISC_VIA_VILLAGE & ~r->channels;
	if ((it->channels & DISC_VIA_VILLAGE) &&
	    !(r->channels & DISC_VILLAGE_CHANNELS))
		miss |= DISC_VIA_VILLAGE;
	if (miss)
		p |= DISC_P_CHANNEL;
	if (missing)
		*missing = miss;
	return p;
}

char *disc_problems_text(struct arena *a, unsigned problems, unsigned missing)
{
	char *s = arena_strdup(a, "");
	if (s && (problems & DISC_P_SHORT))
		s = arena_printf(a, "%s%sshort", s, *s ? "," : "");
	if (s && (problems & DISC_P_LOUDSPEAKER))
		s = arena_printf(a, "%s%sloudspeaker", s, *s ? "," : "");
	for (int i = 0; s && i < DISC_NCHANNELS; i++)
		if ((problems & DISC_P_CHANNEL) && (missing & channels[i].bit))
			s = arena_printf(a, "%s%schannel:%s", s, *s ? "," : "",
					 channels[i].key);
	return s;
}

json_t *disc_problems_json(struct arena *a, const char *stored, int posted_days,
			   int run, int min_days, int loudspeaker_days)
{
	json_t *out = json_array();
	const char *p = stored ? stored : "";
	while (*p) {
		size_t n = strcspn(p, ",");
		char *code = arena_strndup(a, p, n);
		const char *vi = NULL;
		if (code && !strcmp(code, "short"))
			vi = arena_printf(a,
					  "Kết thúc sớm: công khai %d ngày, "
					  "ít hơn %d ngày bắt buộc",
					  posted_days, min_days);
		else if (code && !strcmp(code, "loudspeaker"))
			vi = run < 0 ? arena_printf(a,
						    "Phát thanh chưa đủ %d "
						    "ngày liên tục",
						    loudspeaker_days)
				     : arena_printf(a,
						    "Phát thanh %d ngày liên "
						    "tục, ít hơn %d ngày bắt "
						    "buộc",
						    run, loudspeaker_days);
		else if (code && !strncmp(code, "channel:", 8)) {
			unsigned bit;
			if (disc_channels_parse(a, code + 8, &bit, NULL))
				vi = arena_printf(
					a, "Thiếu hình thức bắt buộc: %s",
					disc_channels_text_vi(a, bit));
		}
		if (vi)
			json_array_append_new(out, json_pack("{s:s, s:s, s:s}",
							     "code", code,
							     "severity", "bad",
							     "text_vi", vi));
		p += n;
		if (*p)
			p++;
	}
	return out;
}

const char *disc_state_key(enum disc_state s)
{
	switch (s) {
	case DISC_DONE: return "done";
	case DISC_MISSING: return "missing";
	case DISC_DUE: return "due";
	default: return "future";
	}
}

enum disc_state disc_period_state(const struct disc_item *it, int year,
				  int period, int count, struct date today)
{
	if (count > 0)
		return DISC_DONE;
	if (disc_frequency_periods(it->frequency) <= 0)
		return DISC_FUTURE;
	struct date from, to;
	disc_period_bounds(it->frequency, year, period, &from, &to);
	long t = date_to_days(today);
	if (t > date_to_days(to))
		return DISC_MISSING;
	if (t >= date_to_days(from))
		return DISC_DUE;
	return DISC_FUTURE;
}
