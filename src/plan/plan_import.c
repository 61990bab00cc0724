/* Importing tasks and progress updates: the file read as a sheet, its
 * header found and mapped, every row checked against the plan's units,
 * officials and tasks (pure, given a bulk_directory), then everything
 * saved in one transaction: tasks through task_save, progress updates in
 * a batch (a few statements for 50,000 rows; task_report per row took a
 * minute) that leaves the same rows and task states as task_report. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plan_bulk.h"
#include "../base/clock.h"
#include "../base/csv.h"
#include "../base/log.h"
#include "../base/text.h"
#include "../base/banned.h"

/* Header rows are looked for among the first rows: offices put the
 * plan's title and a blank line above the table. */
enum { HEADER_SCAN_ROWS = 30 };

/* ---- reading the file ---- */

/* csv_parse's English message ("line 4: 3 fields, expected 5") as a
 * problem with its line and a Vietnamese reason. */
static void csv_problem(struct arena *a, struct problems *p, const char *msg)
{
	int line = 0;
	const char *rest = msg;
	if (!strncmp(msg, "line ", 5)) {
		char *end;
		long v = strtol(msg + 5, &end, 10);
		if (end != msg + 5 && v > 1 && v < 100000000 && *end == ':') {
			line = (int)v - 1; /* the made-up header line */
			rest = end + 1 + (end[1] == ' ');
		}
	}
	int got, want;
	const char *vi;
	if (strstr(rest, "not closed"))
		vi = "Dấu ngoặc kép mở mà không đóng.";
	else if (strstr(rest, "after a closing quote"))
		vi = "Có chữ sau dấu ngoặc kép đóng (dấu ngoặc kép bên trong "
		     "ô phải viết đôi: \"\").";
	else if (strstr(rest, "quote inside a field"))
		vi = "Có dấu ngoặc kép giữa ô (ô có dấu ngoặc kép phải được "
		     "đặt trong ngoặc kép, dấu bên trong viết đôi).";
	else if (sscanf(rest, "%d field%*[s], expected %d", &got, &want) == 2 ||
		 sscanf(rest, "%d field, expected %d", &got, &want) == 2)
		vi = arena_printf(a,
				  "Dòng có %d cột, khác với %d cột của dòng "
				  "tiêu đề (có thể thiếu dấu ngoặc kép quanh "
				  "một ô có dấu phẩy).",
				  got, want);
	else if (strstr(rest, "has no name"))
		vi = "Dòng tiêu đề có cột không tên.";
	else if (strstr(rest, "appears twice"))
		vi = "Dòng tiêu đề có một tên cột xuất hiện hai lần.";
	else if (strstr(rest, "empty file"))
		vi = "Tệp trống, không có dòng tiêu đề.";
	else if (strstr(rest, "MiB"))
		vi = "Tệp quá lớn.";
	else
		vi = "Tệp CSV không hợp lệ.";
	problems_add(a, p, line, "", vi ? vi : "Tệp CSV không hợp lệ.", "%s",
		     msg);
}

struct record {
	size_t end; /* offset of its line break (or of the end) */
	int fields;
};

/* The CSV csv_parse gets: a made-up header ("c1,c2,...") as wide as the
 * first record with a comma, then the file, with the one-field records
 * above that one (a title "KẾ HOẠCH NĂM 2026" over a table of fourteen
 * columns) padded with commas. Every record from the table on keeps its
 * width, so the parser still refuses a row with a field too many or too
 * few, on its own line. Quotes are respected; NULL on no memory. */
static char *csv_framed(struct arena *a, const char *s, size_t n,
			size_t *out_len)
{
	/* only the top matters: find_header() looks at 30 rows */
	struct record rec[64];
	size_t nrec = 0, start = 0;
	bool quoted = false;
	int fields = 1;
	for (size_t i = 0; i <= n && nrec < sizeof rec / sizeof *rec; i++) {
		char c = i < n ? s[i] : '\n';
		if (c == '"') {
			quoted = !quoted;
		} else if (!quoted && c == ',') {
			fields++;
		} else if (!quoted && (c == '\n' || c == '\r')) {
			if (i > start) /* blank lines are no records */
				rec[nrec++] = (struct record){i, fields};
			if (i > start && fields > 1)
				break;
			fields = 1;
			start = i + 1;
		}
	}
	/* the table starts at the first record with a comma; title lines
	 * above it have one field */
	size_t first = 0;
	while (first < nrec && rec[first].fields == 1)
		first++;
	int width = first < nrec ? rec[first].fields : 1;
	size_t pad = 0;
	for (size_t i = 0; i < first; i++)
		if (rec[i].fields < width)
			pad += (size_t)(width - rec[i].fields);
	size_t hlen = (size_t)width * 12 + 2;
	char *buf = arena_alloc(a, hlen + n + pad + 1);
	if (!buf)
		return NULL;
	size_t o = 0, cur = 0;
	for (int i = 0; i < width; i++)
		o += (size_t)snprintf(buf + o, hlen - o, "%sc%d", i ? "," : "",
				      i + 1);
	buf[o++] = '\n';
	for (size_t i = 0; i < first; i++) {
		size_t end = rec[i].end < n ? rec[i].end : n;
		memcpy(buf + o, s + cur, end - cur);
		o += end - cur;
		cur = end;
		for (int k = rec[i].fields; k < width; k++)
			buf[o++] = ',';
	}
	memcpy(buf + o, s + cur, n - cur);
	o += n - cur;
	buf[o] = '\0';
	*out_len = o;
	return buf;
}

enum err bulk_read(struct arena *a, const void *data, size_t len,
		   struct bulk_file *out, struct problems *p, struct error *e)
{
	memset(out, 0, sizeof *out);
	const unsigned char *u = data;
	if (len == 0) {
		problems_add(a, p, 0, "", "Tệp trống.", "the file is empty");
		return error_set(e, ERR_INVALID, "the file is empty");
	}
	if (len >= 8 && !memcmp(u, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		problems_add(a, p, 0, "",
			     "Đây là tệp Excel 97–2003 (.xls) hoặc tệp Excel "
			     "có mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu nếu "
			     "có, lưu lại dạng “Sổ làm việc Excel (.xlsx)” "
			     "hoặc “CSV UTF-8”, rồi nhập lại.",
			     "an Excel 97-2003 (.xls) or password-protected "
			     "workbook: save it as .xlsx or CSV UTF-8");
		return error_set(e, ERR_INVALID, "an .xls file");
	}
	if (xlsx_looks_like(data, len)) {
		struct error xe = {0};
		enum err err = xlsx_read(a, data, len, &out->s, &xe);
		if (err == ERR_INVALID || err == ERR_TOOBIG) {
			problems_add(
				a, p, 0, "",
				err == ERR_TOOBIG
					? "Tệp Excel quá lớn khi giải nén "
					  "(tối đa 200 MB, 1.000.000 dòng, "
					  "1.000 cột)."
					: "Không đọc được tệp Excel (.xlsx): "
					  "tệp bị hỏng hoặc không phải sổ làm "
					  "việc Excel.",
				"%s", xe.msg);
			return error_set(e, ERR_INVALID, "%s", xe.msg);
		}
		if (err)
			return error_set(e, err, "%s", xe.msg);
		out->xlsx = true;
		out->lines = arena_alloc(a, sizeof *out->lines *
						    ((size_t)out->s.nrows + 1));
		if (!out->lines)
			return error_set(e, ERR_NOMEM, "import: out of memory");
		for (int r = 0; r < out->s.nrows; r++)
			out->lines[r] = r + 1;
		return ERR_OK;
	}
	if (!import_check_text(a, data, len, p))
		return error_set(e, ERR_INVALID, "the file is not CSV text");
	/* csv_parse takes the first record for a header with unique names;
	 * offices put a title above theirs, so every record goes in as data
	 * under a made-up header, and find_header() looks for the real one
	 * as it does in a sheet. */
	const char *s = data;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
		s += 3;
		len -= 3;
	}
	size_t blen;
	char *buf = csv_framed(a, s, len, &blen);
	if (!buf)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	struct csv_table t;
	struct error ce = {0};
	enum err err = csv_parse(a, buf, blen, &t, &ce);
	if (err == ERR_INVALID || err == ERR_TOOBIG) {
		csv_problem(a, p, ce.msg);
		return error_set(e, ERR_INVALID, "%s", ce.msg);
	}
	if (err)
		return error_set(e, err, "%s", ce.msg);
	out->lines = arena_alloc(a, sizeof *out->lines * ((size_t)t.nrows + 1));
	if (!out->lines)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	for (int r = 0; r < t.nrows; r++)
		out->lines[r] = t.lines[r] - 1;
	out->s = (struct sheet){t.nrows, t.ncols, (const char **)t.cells};
	return ERR_OK;
}

/* ---- names ---- */

const char *bulk_key(struct arena *a, const char *s)
{
	char *f = s ? text_fold(a, s) : NULL;
	if (!f)
		return "";
	char *w = f;
	for (const char *r = f; *r; r++)
		if ((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9'))
			*w++ = *r;
	*w = '\0';
	return f;
}

static const struct bulk_unit *unit_by_id(const struct bulk_directory *d,
					  long long id)
{
	for (int i = 0; i < d->nunits; i++)
		if (d->units[i].id == id)
			return &d->units[i];
	return NULL;
}

enum err bulk_directory_prepare(struct arena *a, struct bulk_directory *d,
				struct error *e)
{
	size_t nu = (size_t)d->nunits + 1, np = (size_t)d->nusers + 1;
	d->unit_key = arena_alloc(a, sizeof(char *) * nu);
	d->unit_full_key = arena_alloc(a, sizeof(char *) * nu);
	d->unit_text = arena_alloc(a, sizeof(char *) * nu);
	d->user_key = arena_alloc(a, sizeof(char *) * np);
	d->user_text = arena_alloc(a, sizeof(char *) * np);
	if (!d->unit_key || !d->unit_full_key || !d->unit_text ||
	    !d->user_key || !d->user_text)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	for (int i = 0; i < d->nunits; i++) {
		d->unit_key[i] = bulk_key(a, d->units[i].name);
		d->unit_full_key[i] = bulk_key(a, d->units[i].full_name);
	}
	/* A name two units share gets its commune: "Thôn 1 (Minh Tiến)". */
	for (int i = 0; i < d->nunits; i++) {
		int same = 0;
		for (int j = 0; j < d->nunits; j++)
			same += !strcmp(d->unit_key[i], d->unit_key[j]);
		const struct bulk_unit *c =
			unit_by_id(d, d->units[i].commune_id);
		d->unit_text[i] =
			same > 1 && c && c != &d->units[i]
				? arena_printf(a, "%s (%s)", d->units[i].name,
					       c->name)
				: d->units[i].name;
		if (!d->unit_text[i])
			return error_set(e, ERR_NOMEM, "import: out of memory");
	}
	for (int i = 0; i < d->nusers; i++)
		d->user_key[i] = bulk_key(a, d->users[i].full_name);
	for (int i = 0; i < d->nusers; i++) {
		int same = 0;
		for (int j = 0; j < d->nusers; j++)
			same += !strcmp(d->user_key[i], d->user_key[j]);
		d->user_text[i] =
			same > 1 ? d->users[i].username : d->users[i].full_name;
	}
	return ERR_OK;
}

const char *bulk_unit_text(const struct bulk_directory *d, long long unit_id)
{
	for (int i = 0; i < d->nunits; i++)
		if (d->units[i].id == unit_id)
			return d->unit_text[i];
	return "";
}

const char *bulk_user_text(const struct bulk_directory *d, long long user_id)
{
	for (int i = 0; i < d->nusers; i++)
		if (d->users[i].id == user_id)
			return d->user_text[i];
	return "";
}

char *bulk_links_text(struct arena *a, const struct task *t)
{
	char *s = arena_strdup(a, "");
	for (int i = 0; s && i < t->nlinks; i++) {
		const char *l = t->links[i], *colon = strchr(l, ':');
		s = arena_printf(a, "%s%s%s", s, i ? "; " : "",
				 colon ? colon + 1 : l);
	}
	return s;
}

/* ---- columns ---- */

struct colspec {
	const char *header;  /* as the export writes it */
	const char *aliases; /* bulk_key()s, '|'-separated */
};

enum tcol {
	TC_ID,
	TC_STT,
	TC_PARENT,
	TC_TITLE,
	TC_DESC,
	TC_LEAD,
	TC_CO,
	TC_RESP,
	TC_LINKS,
	TC_START,
	TC_DUE,
	TC_RECUR,
	TC_WEIGHT,
	TC_STATUS,
	TC_PROGRESS,
	TC_N
};
static const struct colspec task_cols[TC_N] = {
	{"Mã nhiệm vụ", "manhiemvu|id|taskid"},
	{"STT", "stt|sothutu|no"},
	{"Thuộc STT", "thuocstt|sttcha|parent|parentstt"},
	{"Nhiệm vụ", "nhiemvu|tennhiemvu|title"},
	{"Nội dung", "noidung|mota|description"},
	{"Đơn vị chủ trì", "donvichutri|chutri|leadunit"},
	{"Đơn vị phối hợp", "donviphoihop|phoihop|counits"},
	{"Người phụ trách", "nguoiphutrach|canbophutrach|phutrach|"
			    "responsible"},
	{"Lĩnh vực PAPI", "linhvucpapi|linhvuc|chisopapi|papi|links"},
	{"Ngày bắt đầu", "ngaybatdau|batdau|starton|start"},
	{"Hạn hoàn thành", "hanhoanthanh|thoihanhoanthanh|thoihan|han|dueon|"
			   "due"},
	{"Lặp lại", "laplai|chukylaplai|chuky|recurrence"},
	{"Trọng số", "trongso|weight"},
	{"Trạng thái", "trangthai|status"},
	{"Tiến độ (%)", "tiendo|tiendophantram|progress"},
};

enum ucol {
	UC_ID,
	UC_TITLE,
	UC_DATE,
	UC_PROGRESS,
	UC_STATUS,
	UC_NOTE,
	UC_BY,
	UC_N
};
static const struct colspec update_cols[UC_N] = {
	{"Mã nhiệm vụ", "manhiemvu|id|taskid"},
	{"Nhiệm vụ", "nhiemvu|tennhiemvu|task|title"},
	{"Ngày", "ngay|ngaycapnhat|date|at"},
	{"Tiến độ (%)", "tiendo|tiendophantram|progress"},
	{"Trạng thái", "trangthai|status"},
	{"Ghi chú", "ghichu|note"},
	/* written by the export for people, not read back */
	{"Người cập nhật", "nguoicapnhat|updatedby"},
};

static bool alias_match(const char *aliases, const char *key)
{
	size_t k = strlen(key);
	for (const char *s = aliases; *s;) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		if (n == k && !memcmp(s, key, k))
			return true;
		s += n + (bar != NULL);
	}
	return false;
}

/* The state of one parse: where the columns are, and the problems. */
struct ctx {
	struct arena *a;
	const struct bulk_file *f;
	const struct bulk_directory *d;
	struct problems *p;
	const struct colspec *spec;
	int ncols;
	int col[(int)TC_N > (int)UC_N ? (int)TC_N : (int)UC_N]; /* -1: absent */
	int header;     /* sheet row of the header */
	unsigned bad;   /* columns of the current row with a problem */
	unsigned muted; /* columns reported once for the whole file */
	/* the plan's tasks by id, by title and by folded title */
	int *by_id, *by_title, *by_fold;
	const char **fold;
};

static const char *column_name(const struct ctx *c, int key)
{
	if (key < 0)
		return "";
	if (c->col[key] >= 0)
		return sheet_cell(&c->f->s, c->header, c->col[key]);
	return c->spec[key].header;
}

static void bad(struct ctx *c, int line, int key, const char *msg_vi,
		const char *fmt_en, ...) __attribute__((format(printf, 5, 6)));
static void bad(struct ctx *c, int line, int key, const char *msg_vi,
		const char *fmt_en, ...)
{
	if (key >= 0) {
		if (c->muted & 1u << key)
			return;
		c->bad |= 1u << key;
	}
	va_list ap;
	va_start(ap, fmt_en);
	char *en = arena_vprintf(c->a, fmt_en, ap);
	va_end(ap);
	const char *col = column_name(c, key);
	problems_add(c->a, c->p, line, col,
		     msg_vi ? msg_vi : "Giá trị không hợp lệ.", "%s%s%s",
		     *col ? col : "", *col ? ": " : "", en ? en : "");
}

/* A cell, trimmed; "" when the column is absent. A leading apostrophe
 * before = + - @ is the export's guard against formulas: removed. */
static const char *cell(const struct ctx *c, int row, int key)
{
	if (c->col[key] < 0)
		return "";
	const char *v = text_trim(c->a, sheet_cell(&c->f->s, row, c->col[key]));
	if (!v)
		return "";
	if (v[0] == '\'' && v[1] && strchr("=+-@", v[1]))
		v++;
	return v;
}

static bool has(const struct ctx *c, int key)
{
	return c->col[key] >= 0;
}

static bool row_blank(const struct ctx *c, int row)
{
	for (int x = 0; x < c->f->s.ncols; x++) {
		const char *v = text_trim(c->a, sheet_cell(&c->f->s, row, x));
		if (v && *v)
			return false;
	}
	return true;
}

/* Finds the header row: the first of the top rows holding the anchor
 * column, and maps its cells to columns. Unknown columns go to ignored. */
static bool find_header(struct ctx *c, int anchor1, int anchor2,
			const char ***ignored)
{
	const struct sheet *s = &c->f->s;
	c->header = -1;
	for (int r = 0; r < s->nrows && r < HEADER_SCAN_ROWS && c->header < 0;
	     r++)
		for (int x = 0; x < s->ncols; x++) {
			const char *k = bulk_key(c->a, sheet_cell(s, r, x));
			if (*k &&
			    (alias_match(c->spec[anchor1].aliases, k) ||
			     (anchor2 >= 0 &&
			      alias_match(c->spec[anchor2].aliases, k)))) {
				c->header = r;
				break;
			}
		}
	for (int k = 0; k < c->ncols; k++)
		c->col[k] = -1;
	const char **ign =
		arena_alloc(c->a, sizeof(char *) * ((size_t)s->ncols + 1));
	*ignored = ign;
	if (c->header < 0 || !ign)
		return false;
	int nign = 0;
	for (int x = 0; x < s->ncols; x++) {
		const char *h = sheet_cell(s, c->header, x);
		const char *k = bulk_key(c->a, h);
		if (!*k)
			continue;
		int found = -1;
		for (int j = 0; j < c->ncols && found < 0; j++)
			if (alias_match(c->spec[j].aliases, k))
				found = j;
		if (found < 0) {
			ign[nign++] = h;
		} else if (c->col[found] >= 0) {
			problems_add(
				c->a, c->p, c->f->lines[c->header], h,
				arena_printf(c->a,
					     "Cột “%s” trùng nghĩa với cột "
					     "“%s”: chỉ giữ một cột.",
					     h, column_name(c, found)),
				"column \"%s\" means the same as \"%s\"", h,
				column_name(c, found));
		} else {
			c->col[found] = x;
		}
	}
	ign[nign] = NULL;
	return true;
}

/* ---- cell values ---- */

/* dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, YYYY-MM-DD (with a time
 * after it), or an Excel serial day number from a CSV saved by Excel. */
static bool parse_day(struct arena *a, const char *v, char out[11])
{
	struct date d;
	char buf[32];
	size_t n = strlen(v);
	if (n >= sizeof buf)
		return false;
	memcpy(buf, v, n + 1);
	if (n > 10 && (buf[10] == ' ' || buf[10] == 'T') && buf[4] == '-')
		buf[10] = '\0';
	bool iso = strlen(buf) == 10 && buf[4] == '-';
	if (!iso)
		for (char *s = buf; *s; s++)
			if (*s == '-' || *s == '.')
				*s = '/';
	if (text_parse_date(buf, &d)) {
		date_format_iso(d, out);
		return true;
	}
	char *end;
	errno = 0;
	long serial = strtol(v, &end, 10);
	if (!*end && !errno && serial >= 36526 && serial <= 73415) {
		/* 2000-01-01 .. 2100-12-31 in Excel's 1900 system */
		d = date_from_days(date_to_days((struct date){1899, 12, 30}) +
				   serial);
		date_format_iso(d, out);
		return true;
	}
	return false;
}

static const char *parse_status(struct arena *a, const char *v)
{
	static const char *const map[][2] = {
		{"chuathuchien", "todo"},  {"chuabatdau", "todo"},
		{"chualam", "todo"},       {"todo", "todo"},
		{"dangthuchien", "doing"}, {"danglam", "doing"},
		{"doing", "doing"},        {"inprogress", "doing"},
		{"hoanthanh", "done"},     {"dahoanthanh", "done"},
		{"xong", "done"},          {"done", "done"},
		{"huy", "cancelled"},      {"dahuy", "cancelled"},
		{"huybo", "cancelled"},    {"cancelled", "cancelled"},
		{"canceled", "cancelled"},
	};
	const char *k = bulk_key(a, v);
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(k, map[i][0]))
			return map[i][1];
	return NULL;
}

static const char *parse_recurrence(struct arena *a, const char *v)
{
	static const char *const map[][2] = {
		{"", "none"},
		{"khong", "none"},
		{"khonglap", "none"},
		{"khonglaplai", "none"},
		{"none", "none"},
		{"hangtuan", "weekly"},
		{"tuan", "weekly"},
		{"weekly", "weekly"},
		{"hangthang", "monthly"},
		{"thang", "monthly"},
		{"monthly", "monthly"},
		{"hangquy", "quarterly"},
		{"quy", "quarterly"},
		{"quarterly", "quarterly"},
		{"hangnam", "yearly"},
		{"nam", "yearly"},
		{"yearly", "yearly"},
	};
	const char *k = bulk_key(a, v);
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(k, map[i][0]))
			return map[i][1];
	return NULL;
}

/* "50", "50%", "50,5" -> 50, 51; false when not 0..100. */
static bool parse_progress(const char *v, int *out)
{
	char buf[32];
	size_t n = strlen(v);
	if (!n || n >= sizeof buf)
		return false;
	memcpy(buf, v, n + 1);
	if (buf[n - 1] == '%')
		buf[--n] = '\0';
	for (char *s = buf; *s; s++)
		if (*s == ',')
			*s = '.';
	char *end;
	double d = strtod(buf, &end);
	while (*end == ' ')
		end++;
	if (end == buf || *end || !isfinite(d))
		return false;
	long r = lround(d);
	if (r < 0 || r > 100)
		return false;
	*out = (int)r;
	return true;
}

/* A unit of the plan's commune by name or full name ("Văn phòng - Thống
 * kê", "UBND xã Minh Tiến"), or "Thôn 1 (Minh Tiến)" with its commune.
 * When two match, the one in force in the plan's year wins; when still
 * two, it is ambiguous. Returns the id, 0 with a problem. */
static long long resolve_unit(struct ctx *c, int line, int key, const char *v)
{
	const struct bulk_directory *d = c->d;
	const char *name = v, *qual = NULL;
	size_t n = strlen(v);
	const char *open = n && v[n - 1] == ')' ? strrchr(v, '(') : NULL;
	if (open && open > v) {
		name = arena_strndup(c->a, v, (size_t)(open - v));
		qual = bulk_key(c->a,
				arena_strndup(c->a, open + 1,
					      n - (size_t)(open - v) - 2));
	}
	const char *k = bulk_key(c->a, name ? name : v);
	/* "UBND xã X", "Ủy ban nhân dân xã X" are the commune "Xã X" */
	const char *k2 = !strncmp(k, "ubnd", 4)            ? k + 4
			 : !strncmp(k, "uybannhandan", 12) ? k + 12
							   : k;
	int found[8], nfound = 0, nin = 0, in_force = -1;
	char from[11];
	snprintf(from, sizeof from, "%04d-01-01", d->plan_year);
	for (int i = 0; i < d->nunits; i++) {
		if (strcmp(d->unit_key[i], k) &&
		    strcmp(d->unit_full_key[i], k) &&
		    strcmp(d->unit_full_key[i], k2))
			continue;
		if (qual) {
			const struct bulk_unit *cm =
				unit_by_id(d, d->units[i].commune_id);
			if (!cm ||
			    (strcmp(bulk_key(c->a, cm->name), qual) &&
			     strcmp(bulk_key(c->a, cm->full_name), qual)))
				continue;
		}
		if (nfound < 8)
			found[nfound] = i;
		nfound++;
		if (!d->units[i].valid_to ||
		    strcmp(d->units[i].valid_to, from) >= 0) {
			nin++;
			in_force = i;
		}
	}
	if (nfound == 1)
		return d->units[found[0]].id;
	if (nfound > 1 && nin == 1)
		return d->units[in_force].id;
	if (nfound == 0) {
		bad(c, line, key,
		    arena_printf(c->a,
				 "Không có đơn vị “%s” trong xã của kế hoạch.",
				 v),
		    "unknown unit \"%s\"", v);
		return 0;
	}
	const struct bulk_unit *cm =
		unit_by_id(d, d->units[found[0]].commune_id);
	bad(c, line, key,
	    arena_printf(c->a,
			 "Có %d đơn vị tên “%s”: ghi kèm tên xã, ví dụ “%s "
			 "(%s)”.",
			 nfound, v, d->units[found[0]].name,
			 cm ? cm->name : "…"),
	    "\"%s\" names %d units: add the commune in brackets", v, nfound);
	return 0;
}

/* An official: username, full name, or "Full Name (username)". */
static long long resolve_user(struct ctx *c, int line, int key, const char *v)
{
	const struct bulk_directory *d = c->d;
	size_t n = strlen(v);
	const char *open = n && v[n - 1] == ')' ? strrchr(v, '(') : NULL;
	const char *uname =
		open ? arena_strndup(c->a, open + 1, n - (size_t)(open - v) - 2)
		     : v;
	for (int i = 0; uname && i < d->nusers; i++)
		if (!strcasecmp(d->users[i].username, uname))
			return d->users[i].id;
	const char *k = bulk_key(c->a, v);
	int found = -1, nfound = 0;
	for (int i = 0; *k && i < d->nusers; i++)
		if (!strcmp(d->user_key[i], k)) {
			found = i;
			nfound++;
		}
	if (nfound == 1)
		return d->users[found].id;
	if (nfound > 1)
		bad(c, line, key,
		    arena_printf(c->a,
				 "Có %d cán bộ tên “%s”: ghi tên đăng nhập "
				 "thay cho họ tên.",
				 nfound, v),
		    "\"%s\" names %d officials: write the username", v, nfound);
	else
		bad(c, line, key,
		    arena_printf(c->a,
				 "Không có cán bộ “%s” trong xã của kế hoạch "
				 "(ghi tên đăng nhập hoặc họ tên; tài khoản "
				 "phải đang hoạt động).",
				 v),
		    "unknown official \"%s\"", v);
	return 0;
}

/* "a; b, c" and lines: the parts, trimmed, without empty ones. */
static int split_list(struct arena *a, const char *v, const char **out, int max)
{
	int n = 0;
	const char *s = v;
	while (*s) {
		size_t len = strcspn(s, ";,\n\r");
		const char *part = text_trim(a, arena_strndup(a, s, len));
		if (part && *part) {
			if (n < max)
				out[n] = part;
			n++;
		}
		s += len;
		if (*s)
			s++;
	}
	return n;
}

/* "D5", "5", "Lĩnh vực 5", "Nội dung 5", "5.2.1", "D5:5.2.1". */
static const char *parse_link(struct arena *a, const char *v)
{
	const char *k = text_fold(a, v);
	if (!k)
		return NULL;
	char buf[64];
	size_t n = 0;
	for (const char *s = k; *s && n + 1 < sizeof buf; s++)
		if (*s != ' ')
			buf[n++] = *s;
	buf[n] = '\0';
	const char *s = buf;
	static const char *const prefixes[] = {"linhvuc", "noidung", "trucot",
					       "d"};
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (!strncmp(s, prefixes[i], strlen(prefixes[i]))) {
			s += strlen(prefixes[i]);
			break;
		}
	if (*s < '1' || *s > '8')
		return NULL;
	int dim = *s - '0';
	if (!s[1])
		return arena_printf(a, "D%d", dim);
	const char *ind = s;
	if (s[1] == ':') {
		ind = s + 2;
		if (*ind - '0' != dim)
			return NULL;
	}
	/* an indicator: digits and single dots, starting with the dimension */
	if (ind[0] - '0' != dim || ind[1] != '.')
		return NULL;
	for (const char *p = ind; *p; p++)
		if (!((*p >= '0' && *p <= '9') ||
		      (*p == '.' && p[1] >= '0' && p[1] <= '9')))
			return NULL;
	return arena_printf(a, "D%d:%s", dim, ind);
}

/* field_problems of task_validate/task_save -> the file's columns */
static int task_key_of_field(const char *field)
{
	static const struct {
		const char *field;
		int key;
	} map[] = {
		{"title", TC_TITLE},
		{"description", TC_DESC},
		{"lead_unit_id", TC_LEAD},
		{"co_unit_ids", TC_CO},
		{"responsible_user_id", TC_RESP},
		{"links", TC_LINKS},
		{"start_on", TC_START},
		{"due_on", TC_DUE},
		{"recurrence", TC_RECUR},
		{"weight", TC_WEIGHT},
		{"status", TC_STATUS},
		{"progress", TC_PROGRESS},
		{"parent_id", TC_PARENT},
	};
	for (size_t i = 0; field && i < sizeof map / sizeof *map; i++)
		if (!strcmp(field, map[i].field))
			return map[i].key;
	return -1;
}

static void field_problems_to(struct ctx *c, int line,
			      const struct field_problems *fp, bool tasks)
{
	for (int i = 0; i < fp->n; i++) {
		int key = -1;
		if (tasks) {
			key = task_key_of_field(fp->list[i].field);
		} else if (fp->list[i].field) {
			const char *f = fp->list[i].field;
			key = !strcmp(f, "status")     ? UC_STATUS
			      : !strcmp(f, "progress") ? UC_PROGRESS
			      : !strcmp(f, "note")     ? UC_NOTE
			      : !strcmp(f, "at")       ? UC_DATE
						       : -1;
		}
		if (key >= 0 && c->bad & 1u << key)
			continue;
		bad(c, line, key, fp->list[i].msg_vi, "%s", fp->list[i].msg_en);
	}
}

/* ---- the plan's tasks, looked up ---- */

/* qsort has no context argument in C11: the comparators read these, one
 * per thread (the server imports on several threads at once). */
static _Thread_local const struct bulk_directory *sort_dir;
static _Thread_local const char **sort_fold;

static int cmp_task_id(const void *x, const void *y)
{
	long long a = sort_dir->tasks[*(const int *)x].id,
		  b = sort_dir->tasks[*(const int *)y].id;
	return a < b ? -1 : a > b;
}

static int cmp_task_title(const void *x, const void *y)
{
	int c = strcmp(sort_dir->tasks[*(const int *)x].title,
		       sort_dir->tasks[*(const int *)y].title);
	return c ? c : *(const int *)x - *(const int *)y;
}

static int cmp_task_fold(const void *x, const void *y)
{
	int c = strcmp(sort_fold[*(const int *)x], sort_fold[*(const int *)y]);
	return c ? c : *(const int *)x - *(const int *)y;
}

static enum err index_tasks(struct ctx *c, struct error *e)
{
	const struct bulk_directory *d = c->d;
	size_t n = (size_t)d->ntasks + 1;
	c->by_id = arena_alloc(c->a, sizeof(int) * n);
	c->by_title = arena_alloc(c->a, sizeof(int) * n);
	c->by_fold = arena_alloc(c->a, sizeof(int) * n);
	c->fold = arena_alloc(c->a, sizeof(char *) * n);
	if (!c->by_id || !c->by_title || !c->by_fold || !c->fold)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	for (int i = 0; i < d->ntasks; i++) {
		c->by_id[i] = c->by_title[i] = c->by_fold[i] = i;
		c->fold[i] = bulk_key(c->a, d->tasks[i].title);
	}
	sort_dir = d;
	sort_fold = c->fold;
	qsort(c->by_id, (size_t)d->ntasks, sizeof(int), cmp_task_id);
	qsort(c->by_title, (size_t)d->ntasks, sizeof(int), cmp_task_title);
	qsort(c->by_fold, (size_t)d->ntasks, sizeof(int), cmp_task_fold);
	return ERR_OK;
}

static int task_by_id(const struct ctx *c, long long id)
{
	int lo = 0, hi = c->d->ntasks - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		long long v = c->d->tasks[c->by_id[mid]].id;
		if (v == id)
			return c->by_id[mid];
		if (v < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* The tasks whose title (or folded title) equals v: first index in the
 * sorted array and how many. */
static int tasks_named(const struct ctx *c, const int *sorted,
		       const char **keys, const char *v, int *count)
{
	int lo = 0, hi = c->d->ntasks;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		const char *k = keys ? keys[sorted[mid]]
				     : c->d->tasks[sorted[mid]].title;
		if (strcmp(k, v) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int n = 0;
	while (lo + n < c->d->ntasks &&
	       !strcmp(keys ? keys[sorted[lo + n]]
			    : c->d->tasks[sorted[lo + n]].title,
		       v))
		n++;
	*count = n;
	return lo;
}

static bool parse_id(const char *v, long long *out)
{
	char *end;
	errno = 0;
	/* "12" or "12.0" (a number cell that went through a float) */
	double d = strtod(v, &end);
	if (!*v || *end || errno || d < 1 || d > 9e15 || d != floor(d))
		return false;
	*out = (long long)d;
	return true;
}

static bool ignored_has(const char **ignored, const char *aliases)
{
	for (int i = 0; ignored && ignored[i]; i++) {
		struct arena tmp;
		arena_init(&tmp, 1 << 16);
		bool m = alias_match(aliases, bulk_key(&tmp, ignored[i]));
		arena_release(&tmp);
		if (m)
			return true;
	}
	return false;
}

/* Data rows after the header, blank ones left out; at most max. */
static int *data_rows(struct ctx *c, int max, int *n, struct error *e)
{
	int *rows =
		arena_alloc(c->a, sizeof(int) * ((size_t)c->f->s.nrows + 1));
	if (!rows) {
		error_set(e, ERR_NOMEM, "import: out of memory");
		return NULL;
	}
	*n = 0;
	for (int r = c->header + 1; r < c->f->s.nrows; r++)
		if (!row_blank(c, r))
			rows[(*n)++] = r;
	return rows;
}

static const char *day_vi(struct arena *a, const char *iso)
{
	const char *s = text_format_date(a, iso);
	return s ? s : iso;
}

/* ---- task rows ---- */

static _Thread_local const struct bulk_task_row *sort_rows;

static int cmp_row_stt(const void *x, const void *y)
{
	int i = *(const int *)x, j = *(const int *)y;
	int c = strcmp(sort_rows[i].stt, sort_rows[j].stt);
	return c ? c : i - j;
}

static int find_stt(const struct bulk_task_row *rows, const int *sorted, int n,
		    const char *stt)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (strcmp(rows[sorted[mid]].stt, stt) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(rows[sorted[lo]].stt, stt) ? sorted[lo] : -1;
}

/* Resolves STT and "Thuộc STT" into row indices (parent_set: the file
 * decides the row's parent); finds repeated STTs, unknown parents and
 * loops; marks the rows under new recurring tasks to be skipped. */
static enum err task_structure(struct ctx *c, const int *srow,
			       struct bulk_task_row *rows, int n,
			       bool *parent_set, struct error *e)
{
	int *sorted = arena_alloc(c->a, sizeof(int) * ((size_t)n + 1));
	bool *recurring = arena_alloc(c->a, sizeof(bool) * ((size_t)n + 1));
	if (!sorted || !recurring)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	int ns = 0;
	for (int k = 0; k < n; k++)
		if (*rows[k].stt)
			sorted[ns++] = k;
	sort_rows = rows;
	qsort(sorted, (size_t)ns, sizeof(int), cmp_row_stt);
	for (int i = 1; i < ns; i++) {
		const struct bulk_task_row *r = &rows[sorted[i]];
		if (!strcmp(r->stt, rows[sorted[i - 1]].stt))
			bad(c, r->line, TC_STT,
			    arena_printf(c->a,
					 "STT “%s” trùng với dòng %d: mỗi "
					 "dòng một STT riêng.",
					 r->stt, rows[sorted[i - 1]].line),
			    "STT \"%s\" repeats line %d", r->stt,
			    rows[sorted[i - 1]].line);
	}
	for (int k = 0; k < n; k++) {
		struct bulk_task_row *r = &rows[k];
		r->parent = -1;
		if (has(c, TC_PARENT)) {
			parent_set[k] = true;
			const char *pv = cell(c, srow[k], TC_PARENT);
			if (!*pv)
				continue;
			r->parent = find_stt(rows, sorted, ns, pv);
			if (r->parent < 0)
				bad(c, r->line, TC_PARENT,
				    arena_printf(c->a,
						 "Không có dòng nào có STT "
						 "“%s”.",
						 pv),
				    "no row has STT \"%s\"", pv);
			else if (r->parent == k) {
				bad(c, r->line, TC_PARENT,
				    "Nhiệm vụ không thể thuộc chính nó.",
				    "a row cannot be its own parent");
				r->parent = -1;
			}
		} else {
			/* "1.2" falls under "1" when the file has a row "1" */
			const char *dot = strrchr(r->stt, '.');
			if (!dot || dot == r->stt || !dot[1])
				continue;
			int pk =
				find_stt(rows, sorted, ns,
					 arena_strndup(c->a, r->stt,
						       (size_t)(dot - r->stt)));
			if (pk >= 0 && pk != k) {
				r->parent = pk;
				parent_set[k] = true;
			}
		}
	}
	/* loops: a row met again while climbing from itself */
	for (int k = 0; k < n; k++) {
		int j = rows[k].parent;
		for (int steps = 0; j >= 0 && j != k && steps <= n; steps++)
			j = rows[j].parent;
		if (j == k)
			bad(c, rows[k].line, TC_PARENT,
			    "“Thuộc STT” tạo thành vòng lặp giữa các dòng.",
			    "the parents form a loop");
	}
	for (int k = 0; k < n; k++) {
		int j = rows[k].parent;
		for (int steps = 0; j >= 0 && j != k && steps <= n; steps++)
			j = rows[j].parent;
		if (j == k)
			rows[k].parent = -1;
	}
	/* occurrences are made from the recurrence: rows under a new
	 * recurring task (and under those) are skipped */
	for (int k = 0; k < n; k++) {
		const char *rv =
			has(c, TC_RECUR)
				? parse_recurrence(c->a,
						   cell(c, srow[k], TC_RECUR))
				: NULL;
		if (!has(c, TC_RECUR) && rows[k].existing >= 0)
			rv = c->d->tasks[rows[k].existing].recurrence;
		recurring[k] = rv && strcmp(rv, "none");
	}
	for (bool changed = true; changed;) {
		changed = false;
		for (int k = 0; k < n; k++) {
			int pk = rows[k].parent;
			if (rows[k].skip || pk < 0 || rows[k].existing >= 0)
				continue;
			if ((recurring[pk] && rows[pk].existing < 0) ||
			    rows[pk].skip) {
				rows[k].skip = true;
				changed = true;
			}
		}
	}
	for (int k = 0; k < n; k++)
		if (!rows[k].skip && rows[k].parent >= 0)
			rows[rows[k].parent].has_children = true;
	return ERR_OK;
}

/* The row's status and progress: either may be left out and follows
 * from the other. *status NULL when the row gives neither. */
static void parse_state(struct ctx *c, int line, int skey, int pkey,
			const char *sv, const char *pv, int current,
			const char **status, int *progress)
{
	*status = NULL;
	*progress = -1;
	if (*sv && !(*status = parse_status(c->a, sv)))
		bad(c, line, skey,
		    arena_printf(c->a,
				 "Trạng thái “%s” không hợp lệ: ghi Chưa thực "
				 "hiện, Đang thực hiện, Hoàn thành hoặc Hủy.",
				 sv),
		    "unknown status \"%s\"", sv);
	if (*pv && !parse_progress(pv, progress)) {
		bad(c, line, pkey,
		    arena_printf(c->a, "Tiến độ “%s” phải là số từ 0 đến 100.",
				 pv),
		    "progress \"%s\" is not a number from 0 to 100", pv);
		*progress = -1;
	}
	if (*status && *progress >= 0 && !strcmp(*status, "done") &&
	    *progress != 100)
		bad(c, line, pkey,
		    arena_printf(c->a,
				 "Nhiệm vụ hoàn thành phải có tiến độ 100%%, "
				 "không phải %d%%.",
				 *progress),
		    "done with progress %d, not 100", *progress);
	if (!*status && *progress >= 0 && !*sv)
		*status = *progress == 100 ? "done"
			  : *progress > 0  ? "doing"
					   : "todo";
	if (*status && *progress < 0 && !*pv)
		*progress = !strcmp(*status, "done")   ? 100
			    : !strcmp(*status, "todo") ? 0
						       : current;
}

static void parse_task_row(struct ctx *c, int r, struct bulk_task_row *row,
			   bool parent_set)
{
	const struct bulk_directory *d = c->d;
	const struct task *old =
		row->existing >= 0 ? &d->tasks[row->existing] : NULL;
	int line = row->line;
	struct task t;
	if (old) {
		t = *old;
	} else {
		memset(&t, 0, sizeof t);
		t.recurrence = "none";
		t.weight = 1;
		t.status = "todo";
		t.description = "";
	}
	t.plan_id = d->plan_id;
	if (parent_set)
		t.parent_id = 0; /* the parent row's task, once saved */
	if (has(c, TC_TITLE))
		t.title = cell(c, r, TC_TITLE);
	if (has(c, TC_DESC))
		t.description = cell(c, r, TC_DESC);
	if (has(c, TC_LEAD)) {
		const char *v = cell(c, r, TC_LEAD);
		t.lead_unit_id = *v ? resolve_unit(c, line, TC_LEAD, v) : 0;
		if (*v && !t.lead_unit_id)
			t.lead_unit_id = -1; /* reported: not again below */
	}
	if (has(c, TC_CO)) {
		const char *parts[TASK_MAX_CO_UNITS + 1];
		int np = split_list(c->a, cell(c, r, TC_CO), parts,
				    TASK_MAX_CO_UNITS + 1);
		t.nco_units = 0;
		if (np > TASK_MAX_CO_UNITS)
			bad(c, line, TC_CO,
			    "Quá nhiều đơn vị phối hợp (tối đa 30).",
			    "more than 30 co-units");
		for (int i = 0; i < np && i < TASK_MAX_CO_UNITS; i++) {
			long long id = resolve_unit(c, line, TC_CO, parts[i]);
			bool dup = false;
			for (int j = 0; j < t.nco_units; j++)
				dup |= t.co_unit_ids[j] == id;
			if (id && !dup)
				t.co_unit_ids[t.nco_units++] = id;
		}
	}
	if (has(c, TC_RESP)) {
		const char *v = cell(c, r, TC_RESP);
		t.responsible_user_id =
			*v ? resolve_user(c, line, TC_RESP, v) : 0;
	}
	if (has(c, TC_LINKS)) {
		const char *parts[TASK_MAX_LINKS + 1];
		int np = split_list(c->a, cell(c, r, TC_LINKS), parts,
				    TASK_MAX_LINKS + 1);
		t.nlinks = 0;
		if (np > TASK_MAX_LINKS)
			bad(c, line, TC_LINKS,
			    "Quá nhiều lĩnh vực, chỉ số (tối đa 40).",
			    "more than 40 links");
		for (int i = 0; i < np && i < TASK_MAX_LINKS; i++) {
			const char *l = parse_link(c->a, parts[i]);
			if (!l) {
				bad(c, line, TC_LINKS,
				    arena_printf(
					    c->a,
					    "Không hiểu “%s”: ghi lĩnh vực như "
					    "D5 hoặc chỉ số như 5.2.1, cách "
					    "nhau bởi dấu “;”.",
					    parts[i]),
				    "\"%s\" is not a dimension (D5) or an "
				    "indicator (5.2.1)",
				    parts[i]);
				continue;
			}
			bool dup = false;
			for (int j = 0; j < t.nlinks; j++)
				dup |= !strcmp(t.links[j], l);
			if (!dup)
				t.links[t.nlinks++] = l;
		}
	}
	char day[11];
	const char *dv = cell(c, r, TC_DUE);
	if (has(c, TC_DUE)) {
		t.due_on = NULL;
		if (*dv && parse_day(c->a, dv, day))
			t.due_on = arena_strdup(c->a, day);
		else if (*dv)
			bad(c, line, TC_DUE,
			    arena_printf(c->a,
					 "Ngày “%s” không hợp lệ: ghi theo "
					 "dạng dd/mm/yyyy.",
					 dv),
			    "\"%s\" is not a date", dv);
	}
	const char *sv = cell(c, r, TC_START);
	if (*sv) {
		if (parse_day(c->a, sv, day))
			t.start_on = arena_strdup(c->a, day);
		else
			bad(c, line, TC_START,
			    arena_printf(c->a,
					 "Ngày “%s” không hợp lệ: ghi theo "
					 "dạng dd/mm/yyyy.",
					 sv),
			    "\"%s\" is not a date", sv);
	} else if (!old) {
		/* offices often give only the deadline: the plan's year */
		char jan1[11];
		snprintf(jan1, sizeof jan1, "%04d-01-01", d->plan_year);
		t.start_on = arena_strdup(
			c->a, t.due_on && strcmp(t.due_on, jan1) < 0 ? t.due_on
								     : jan1);
	}
	if (has(c, TC_RECUR)) {
		const char *v = cell(c, r, TC_RECUR);
		const char *rv = parse_recurrence(c->a, v);
		if (rv)
			t.recurrence = rv;
		else
			bad(c, line, TC_RECUR,
			    arena_printf(c->a,
					 "Lặp lại “%s” không hợp lệ: ghi "
					 "Không, Hằng tuần, Hằng tháng, Hằng "
					 "quý hoặc Hằng năm.",
					 v),
			    "unknown recurrence \"%s\"", v);
	}
	const char *wv = cell(c, r, TC_WEIGHT);
	if (*wv) {
		char *w = arena_strdup(c->a, wv), *end;
		for (char *s = w; s && *s; s++)
			if (*s == ',')
				*s = '.';
		double x = w ? strtod(w, &end) : NAN;
		if (!w || end == w || *end || !isfinite(x))
			bad(c, line, TC_WEIGHT,
			    arena_printf(c->a,
					 "Trọng số “%s” không phải là số.", wv),
			    "weight \"%s\" is not a number", wv);
		else
			t.weight = x;
	} else if (!old) {
		t.weight = 1;
	}
	const char *status;
	int progress;
	parse_state(c, line, TC_STATUS, TC_PROGRESS, cell(c, r, TC_STATUS),
		    cell(c, r, TC_PROGRESS), old ? old->progress : 0, &status,
		    &progress);
	/* a parent's status and progress are its children's roll-up */
	bool parent =
		row->has_children || (old && d->nchildren[row->existing] > 0);
	row->has_status = status && !parent;
	if (row->has_status) {
		t.status = status;
		t.progress = progress;
	}
	struct field_problems fp = {0};
	struct task check = t;
	if (check.lead_unit_id < 0)
		check.lead_unit_id = 1;
	task_validate(&check, &fp);
	field_problems_to(c, line, &fp, true);
	if (t.lead_unit_id < 0)
		t.lead_unit_id = 0;
	row->t = t;
}

static enum err parse_tasks(struct ctx *c, struct bulk_task_row **rows_out,
			    int *n_out, const char ***ignored, struct error *e)
{
	*rows_out = NULL;
	*n_out = 0;
	const struct bulk_file *f = c->f;
	enum err err = index_tasks(c, e);
	if (err)
		return err;
	if (!find_header(c, TC_TITLE, -1, ignored)) {
		if (!*ignored)
			return error_set(e, ERR_NOMEM, "import: out of memory");
		problems_add(c->a, c->p, 0, "",
			     "Không tìm thấy dòng tiêu đề có cột “Nhiệm vụ” "
			     "trong 30 dòng đầu của tệp. Dòng tiêu đề cần các "
			     "cột “Nhiệm vụ”, “Đơn vị chủ trì”, “Hạn hoàn "
			     "thành” (xem mẫu: tệp xuất của kế hoạch).",
			     "no header row with a \"Nhiệm vụ\" (title) column "
			     "in the first 30 rows");
		return ERR_OK;
	}
	int hline = f->lines[c->header];
	if (!has(c, TC_LEAD) && !has(c, TC_DUE) &&
	    ignored_has(*ignored, update_cols[UC_DATE].aliases)) {
		problems_add(c->a, c->p, hline, "",
			     "Tệp này có vẻ là tệp cập nhật tiến độ (có cột "
			     "“Ngày”), không phải danh sách nhiệm vụ: chọn "
			     "“Cập nhật tiến độ” khi nhập.",
			     "this looks like a file of progress updates, not "
			     "of tasks");
		return ERR_OK;
	}
	int n;
	int *srow = data_rows(c, BULK_MAX_TASKS, &n, e);
	if (!srow)
		return ERR_NOMEM;
	if (n > BULK_MAX_TASKS) {
		problems_add(c->a, c->p, 0, "",
			     arena_printf(c->a,
					  "Tệp có %d dòng nhiệm vụ; mỗi lần "
					  "nhập tối đa 5.000 dòng.",
					  n),
			     "%d task rows; at most %d per file", n,
			     BULK_MAX_TASKS);
		return ERR_OK;
	}
	struct bulk_task_row *rows =
		arena_alloc(c->a, sizeof *rows * ((size_t)n + 1));
	bool *parent_set = arena_alloc(c->a, sizeof(bool) * ((size_t)n + 1));
	int *seen = arena_alloc(c->a, sizeof(int) * ((size_t)c->d->ntasks + 1));
	if (!rows || !parent_set || !seen)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	bool any_new = false;
	for (int k = 0; k < n; k++) {
		struct bulk_task_row *row = &rows[k];
		c->bad = 0;
		row->line = f->lines[srow[k]];
		row->stt = cell(c, srow[k], TC_STT);
		row->existing = -1;
		const char *iv = cell(c, srow[k], TC_ID);
		long long id;
		if (!*iv) {
			any_new = true;
		} else if (!parse_id(iv, &id) ||
			   (row->existing = task_by_id(c, id)) < 0) {
			bad(c, row->line, TC_ID,
			    arena_printf(c->a,
					 "Mã nhiệm vụ “%s” không thuộc kế "
					 "hoạch này. Để tạo nhiệm vụ mới, "
					 "để trống ô này.",
					 iv),
			    "task \"%s\" is not a task of this plan", iv);
		} else if (seen[row->existing]) {
			bad(c, row->line, TC_ID,
			    arena_printf(c->a,
					 "Mã nhiệm vụ %lld đã có ở dòng %d.",
					 id, seen[row->existing]),
			    "task %lld is on line %d already", id,
			    seen[row->existing]);
			row->existing = -1;
		} else {
			seen[row->existing] = row->line;
		}
	}
	/* a column new tasks need, missing from the header: said once */
	static const int needed[] = {TC_LEAD, TC_DUE};
	for (size_t i = 0; any_new && i < sizeof needed / sizeof *needed; i++)
		if (!has(c, needed[i])) {
			problems_add(c->a, c->p, hline,
				     task_cols[needed[i]].header,
				     arena_printf(c->a,
						  "Thiếu cột “%s” (cần cho "
						  "nhiệm vụ mới).",
						  task_cols[needed[i]].header),
				     "no \"%s\" column",
				     task_cols[needed[i]].header);
			c->muted |= 1u << needed[i];
		}
	err = task_structure(c, srow, rows, n, parent_set, e);
	if (err)
		return err;
	for (int k = 0; k < n; k++) {
		c->bad = 0;
		if (!rows[k].skip)
			parse_task_row(c, srow[k], &rows[k], parent_set[k]);
	}
	*rows_out = rows;
	*n_out = n;
	return ERR_OK;
}

enum err bulk_parse_tasks(struct arena *a, const struct bulk_file *f,
			  const struct bulk_directory *d,
			  struct bulk_task_row **rows, int *n,
			  const char ***ignored, struct problems *p,
			  struct error *e)
{
	struct ctx c = {.a = a,
			.f = f,
			.d = d,
			.p = p,
			.spec = task_cols,
			.ncols = TC_N};
	return parse_tasks(&c, rows, n, ignored, e);
}

/* ---- update rows ---- */

static int cmp_update(const void *x, const void *y)
{
	const struct bulk_update_row *a = x, *b = y;
	if (a->task_id != b->task_id)
		return a->task_id < b->task_id ? -1 : 1;
	int c = strcmp(a->day, b->day);
	return c ? c : a->line - b->line;
}

static int resolve_task(struct ctx *c, int line, const char *iv, const char *tv)
{
	const struct bulk_directory *d = c->d;
	long long id;
	int k, count;
	if (*iv) {
		if (!parse_id(iv, &id) || (k = task_by_id(c, id)) < 0) {
			bad(c, line, UC_ID,
			    arena_printf(c->a,
					 "Mã nhiệm vụ “%s” không thuộc kế "
					 "hoạch này.",
					 iv),
			    "task \"%s\" is not a task of this plan", iv);
			return -1;
		}
		if (*tv && strcmp(bulk_key(c->a, tv), c->fold[k])) {
			bad(c, line, UC_TITLE,
			    arena_printf(c->a,
					 "Mã nhiệm vụ %lld là “%s”, không phải "
					 "“%s”: kiểm tra lại mã.",
					 id, d->tasks[k].title, tv),
			    "task %lld is \"%s\", not \"%s\"", id,
			    d->tasks[k].title, tv);
			return -1;
		}
		return k;
	}
	if (!*tv) {
		bad(c, line, has(c, UC_ID) ? UC_ID : UC_TITLE,
		    "Cần ghi Mã nhiệm vụ hoặc tên nhiệm vụ.",
		    "neither a task id nor a title");
		return -1;
	}
	/* the exact title, else the same words without diacritics */
	int first = tasks_named(c, c->by_title, NULL, tv, &count);
	if (count == 1)
		return c->by_title[first];
	if (!count) {
		first = tasks_named(c, c->by_fold, c->fold, bulk_key(c->a, tv),
				    &count);
		if (count == 1)
			return c->by_fold[first];
	}
	if (count > 1)
		bad(c, line, UC_TITLE,
		    arena_printf(c->a,
				 "Có %d nhiệm vụ tên “%s” trong kế hoạch: ghi "
				 "Mã nhiệm vụ.",
				 count, tv),
		    "%d tasks are called \"%s\": give the task id", count, tv);
	else
		bad(c, line, UC_TITLE,
		    arena_printf(c->a,
				 "Không có nhiệm vụ “%s” trong kế hoạch này.",
				 tv),
		    "no task \"%s\" in this plan", tv);
	return -1;
}

static enum err parse_updates(struct ctx *c, struct bulk_update_row **out,
			      int *n_out, const char ***ignored,
			      struct error *e)
{
	*out = NULL;
	*n_out = 0;
	const struct bulk_directory *d = c->d;
	const struct bulk_file *f = c->f;
	enum err err = index_tasks(c, e);
	if (err)
		return err;
	if (!find_header(c, UC_PROGRESS, UC_STATUS, ignored)) {
		if (!*ignored)
			return error_set(e, ERR_NOMEM, "import: out of memory");
		problems_add(c->a, c->p, 0, "",
			     "Không tìm thấy dòng tiêu đề có cột “Tiến độ "
			     "(%)” hoặc “Trạng thái” trong 30 dòng đầu của "
			     "tệp.",
			     "no header row with a \"Tiến độ (%%)\" or "
			     "\"Trạng thái\" column in the first 30 rows");
		return ERR_OK;
	}
	int hline = f->lines[c->header];
	if (ignored_has(*ignored, task_cols[TC_LEAD].aliases) ||
	    ignored_has(*ignored, task_cols[TC_DUE].aliases) ||
	    ignored_has(*ignored, task_cols[TC_PARENT].aliases)) {
		problems_add(c->a, c->p, hline, "",
			     "Tệp này là danh sách nhiệm vụ, không phải tệp "
			     "cập nhật tiến độ: chọn “Nhiệm vụ” khi nhập.",
			     "this is a file of tasks, not of progress "
			     "updates");
		return ERR_OK;
	}
	if (!has(c, UC_ID) && !has(c, UC_TITLE)) {
		problems_add(c->a, c->p, hline, "",
			     "Thiếu cột “Mã nhiệm vụ” hoặc “Nhiệm vụ”.",
			     "no \"Mã nhiệm vụ\" (task id) or \"Nhiệm vụ\" "
			     "(title) column");
		return ERR_OK;
	}
	int n;
	int *srow = data_rows(c, BULK_MAX_UPDATES, &n, e);
	if (!srow)
		return ERR_NOMEM;
	if (n > BULK_MAX_UPDATES) {
		problems_add(c->a, c->p, 0, "",
			     arena_printf(c->a,
					  "Tệp có %d dòng cập nhật; mỗi lần "
					  "nhập tối đa 50.000 dòng.",
					  n),
			     "%d update rows; at most %d per file", n,
			     BULK_MAX_UPDATES);
		return ERR_OK;
	}
	struct bulk_update_row *rows =
		arena_alloc(c->a, sizeof *rows * ((size_t)n + 1));
	if (!rows)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	for (int k = 0; k < n; k++) {
		struct bulk_update_row *u = &rows[k];
		int r = srow[k], line = f->lines[r];
		c->bad = 0;
		u->line = line;
		u->progress = -1;
		int t = resolve_task(c, line, cell(c, r, UC_ID),
				     cell(c, r, UC_TITLE));
		if (t >= 0 && d->nchildren[t] > 0) {
			bad(c, line, *cell(c, r, UC_ID) ? UC_ID : UC_TITLE,
			    arena_printf(c->a,
					 "Nhiệm vụ “%s” có nhiệm vụ con: tiến "
					 "độ được tính từ các nhiệm vụ con, "
					 "hãy cập nhật từng nhiệm vụ con.",
					 d->tasks[t].title),
			    "task %lld has sub-tasks: report on them",
			    d->tasks[t].id);
			t = -1;
		}
		u->task_id = t >= 0 ? d->tasks[t].id : 0;
		const char *dv = cell(c, r, UC_DATE);
		char day[11];
		u->day = d->today;
		if (*dv && !parse_day(c->a, dv, day))
			bad(c, line, UC_DATE,
			    arena_printf(c->a,
					 "Ngày “%s” không hợp lệ: ghi theo "
					 "dạng dd/mm/yyyy.",
					 dv),
			    "\"%s\" is not a date", dv);
		else if (*dv && strcmp(day, d->today) > 0)
			bad(c, line, UC_DATE,
			    arena_printf(
				    c->a, "Ngày %s chưa tới (hôm nay là %s).",
				    day_vi(c->a, day), day_vi(c->a, d->today)),
			    "%s is in the future", day);
		else if (*dv && strcmp(day, "2000-01-01") < 0)
			bad(c, line, UC_DATE, "Ngày cập nhật phải từ năm 2000.",
			    "%s is before 2000", day);
		else if (*dv)
			u->day = arena_strdup(c->a, day);
		const char *sv = cell(c, r, UC_STATUS),
			   *pv = cell(c, r, UC_PROGRESS);
		parse_state(c, line, UC_STATUS, UC_PROGRESS, sv, pv, -1,
			    &u->status, &u->progress);
		if (!*sv && !*pv)
			bad(c, line,
			    has(c, UC_PROGRESS) ? UC_PROGRESS : UC_STATUS,
			    "Cần ghi Tiến độ (%) hoặc Trạng thái.",
			    "neither progress nor status");
		u->note = cell(c, r, UC_NOTE);
	}
	if (c->p->n)
		return ERR_OK;
	/* in date order per task, so the last report is the task's state;
	 * a status without progress keeps the progress it had */
	qsort(rows, (size_t)n, sizeof *rows, cmp_update);
	int cur = 0;
	for (int k = 0; k < n; k++) {
		if (k == 0 || rows[k].task_id != rows[k - 1].task_id)
			cur = d->tasks[task_by_id(c, rows[k].task_id)].progress;
		if (rows[k].progress < 0)
			rows[k].progress = cur;
		cur = rows[k].progress;
	}
	*out = rows;
	*n_out = n;
	return ERR_OK;
}

enum err bulk_parse_updates(struct arena *a, const struct bulk_file *f,
			    const struct bulk_directory *d,
			    struct bulk_update_row **rows, int *n,
			    const char ***ignored, struct problems *p,
			    struct error *e)
{
	struct ctx c = {.a = a,
			.f = f,
			.d = d,
			.p = p,
			.spec = update_cols,
			.ncols = UC_N};
	return parse_updates(&c, rows, n, ignored, e);
}

/* ---- the directory of a plan ---- */

static const char *json_str(struct arena *a, json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? arena_strdup(a, v) : NULL;
}

static long long json_id(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static _Thread_local const struct task *sort_tasks;

static int cmp_in_id(const void *x, const void *y)
{
	long long a = sort_tasks[*(const int *)x].id,
		  b = sort_tasks[*(const int *)y].id;
	return a < b ? -1 : a > b;
}

/* The index in `in` of task id, by the id-sorted index; -1 if none. */
static int index_of(const struct task *in, const int *by_id, int n,
		    long long id)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		long long v = in[by_id[mid]].id;
		if (v == id)
			return by_id[mid];
		if (v < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Tasks in tree order: each parent before its children, siblings in the
 * order given (ord, id). */
static enum err tree_order(struct arena *a, const struct task *in,
			   const int *by_id, int n, struct task *out,
			   int *nchildren, struct error *e)
{
	size_t sz = sizeof(int) * ((size_t)n + 1);
	int *parent = arena_alloc(a, sz), *count = arena_alloc(a, sz),
	    *start = arena_alloc(a, sz + sizeof(int)),
	    *kids = arena_alloc(a, sz), *stack = arena_alloc(a, sz),
	    *fill = arena_alloc(a, sz);
	bool *done = arena_alloc(a, sizeof(bool) * ((size_t)n + 1));
	if (!parent || !count || !start || !kids || !stack || !fill || !done)
		return error_set(e, ERR_NOMEM, "tasks: out of memory");
	for (int i = 0; i < n; i++) {
		parent[i] = in[i].parent_id
				    ? index_of(in, by_id, n, in[i].parent_id)
				    : -1;
		if (parent[i] >= 0)
			count[parent[i]]++;
	}
	for (int i = 0; i < n; i++)
		start[i + 1] = start[i] + count[i];
	for (int i = 0; i < n; i++)
		if (parent[i] >= 0)
			kids[start[parent[i]] + fill[parent[i]]++] = i;
	int k = 0;
	for (int root = 0; root < n; root++) {
		if (parent[root] >= 0 || done[root])
			continue;
		int sp = 0;
		stack[sp++] = root;
		while (sp) {
			int i = stack[--sp];
			if (done[i])
				continue;
			done[i] = true;
			nchildren[k] = count[i];
			out[k++] = in[i];
			/* pushed last-first so that the first pops first */
			for (int j = start[i + 1] - 1; j >= start[i]; j--)
				if (!done[kids[j]] && sp < n)
					stack[sp++] = kids[j];
		}
	}
	/* a loop in the data (task_save never makes one): kept at the end */
	for (int i = 0; i < n; i++)
		if (!done[i]) {
			nchildren[k] = count[i];
			out[k++] = in[i];
		}
	return ERR_OK;
}

enum err bulk_directory_load(struct db *db, struct arena *a, long long plan_id,
			     struct bulk_directory *d, struct error *e)
{
	memset(d, 0, sizeof *d);
	struct plan pl;
	enum err err = plan_get(db, a, plan_id, &pl, e);
	if (err)
		return err;
	d->plan_id = plan_id;
	d->plan_year = pl.year;
	char today[11];
	date_format_iso(clock_today_vn(), today);
	d->today = arena_strdup(a, today);
	json_t *units = NULL, *users = NULL;
	err = plan_unit_choices(db, a, pl.unit_id, &units, e);
	if (!err)
		err = plan_user_choices(db, a, pl.unit_id, &users, e);
	if (err) {
		json_decref(units);
		return err;
	}
	size_t nu = json_array_size(units), np = json_array_size(users);
	d->units = arena_alloc(a, sizeof *d->units * (nu + 1));
	d->users = arena_alloc(a, sizeof *d->users * (np + 1));
	if (d->units && d->users) {
		size_t i;
		json_t *o;
		json_array_foreach(units, i, o)
		{
			const char *kind = json_str(a, o, "kind");
			long long id = json_id(o, "id");
			long long commune = json_object_get(o, "commune_id")
						    ? json_id(o, "commune_id")
					    : kind && !strcmp(kind, "commune")
						    ? id
						    : json_id(o, "parent_id");
			d->units[d->nunits++] = (struct bulk_unit){
				id,
				commune,
				json_str(a, o, "name"),
				json_str(a, o, "full_name"),
				kind,
				json_str(a, o, "valid_to"),
			};
		}
		json_array_foreach(users, i, o) d->users[d->nusers++] =
			(struct bulk_user){
				json_id(o, "id"),
				json_str(a, o, "username"),
				json_str(a, o, "full_name"),
			};
	}
	json_decref(units);
	json_decref(users);
	if (!d->units || !d->users)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory",
				 plan_id);
	struct db_result *t, *cu, *l;
	err = bulkdb_tasks(db, a, plan_id, &t, &cu, &l, e);
	if (err)
		return err;
	struct task *in = arena_alloc(a, sizeof *in * ((size_t)t->nrows + 1));
	d->tasks = arena_alloc(a, sizeof *d->tasks * ((size_t)t->nrows + 1));
	d->nchildren = arena_alloc(a, sizeof(int) * ((size_t)t->nrows + 1));
	if (!in || !d->tasks || !d->nchildren)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory",
				 plan_id);
	for (int i = 0; i < t->nrows; i++) {
		struct task *x = &in[i];
		const char *w = db_get(t, i, "weight");
		x->id = db_get_int(t, i, "id", 0);
		x->plan_id = plan_id;
		x->parent_id = db_get_int(t, i, "parent_id", 0);
		x->ord = (int)db_get_int(t, i, "ord", 0);
		x->title = db_get(t, i, "title");
		x->description = db_get(t, i, "description");
		x->lead_unit_id = db_get_int(t, i, "lead_unit_id", 0);
		x->responsible_user_id =
			db_get_int(t, i, "responsible_user_id", 0);
		x->start_on = db_get(t, i, "start_on");
		x->due_on = db_get(t, i, "due_on");
		x->recurrence = db_get(t, i, "recurrence");
		x->weight = w ? strtod(w, NULL) : 1;
		x->status = db_get(t, i, "status");
		x->progress = (int)db_get_int(t, i, "progress", 0);
		x->done_on = db_get(t, i, "done_on");
	}
	int *by_id = arena_alloc(a, sizeof(int) * ((size_t)t->nrows + 1));
	if (!by_id)
		return error_set(e, ERR_NOMEM, "plan %lld: out of memory",
				 plan_id);
	for (int i = 0; i < t->nrows; i++)
		by_id[i] = i;
	sort_tasks = in;
	qsort(by_id, (size_t)t->nrows, sizeof(int), cmp_in_id);
	for (int i = 0; i < cu->nrows; i++) {
		int k = index_of(in, by_id, t->nrows,
				 db_get_int(cu, i, "task_id", 0));
		if (k >= 0 && in[k].nco_units < TASK_MAX_CO_UNITS)
			in[k].co_unit_ids[in[k].nco_units++] =
				db_get_int(cu, i, "unit_id", 0);
	}
	for (int i = 0; i < l->nrows; i++) {
		int k = index_of(in, by_id, t->nrows,
				 db_get_int(l, i, "task_id", 0));
		const char *dim = db_get(l, i, "dimension"),
			   *ind = db_get(l, i, "indicator");
		if (k >= 0 && in[k].nlinks < TASK_MAX_LINKS)
			in[k].links[in[k].nlinks++] =
				ind && *ind ? arena_printf(a, "%s:%s", dim, ind)
					    : dim;
	}
	err = tree_order(a, in, by_id, t->nrows, d->tasks, d->nchildren, e);
	if (err)
		return err;
	d->ntasks = t->nrows;
	return bulk_directory_prepare(a, d, e);
}

/* ---- saving ---- */

enum { ROW_ARENA = 8 << 20 };

static bool same_str(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static bool same_ids(const long long *a, int na, const long long *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++) {
		bool found = false;
		for (int j = 0; j < nb && !found; j++)
			found = a[i] == b[j];
		if (!found)
			return false;
	}
	return true;
}

static bool same_links(const struct task *a, const struct task *b)
{
	if (a->nlinks != b->nlinks)
		return false;
	for (int i = 0; i < a->nlinks; i++) {
		bool found = false;
		for (int j = 0; j < b->nlinks && !found; j++)
			found = !strcmp(a->links[i], b->links[j]);
		if (!found)
			return false;
	}
	return true;
}

/* What task_save would change (status and progress are reports). */
static bool task_same(const struct task *t, const struct task *old)
{
	return t->parent_id == old->parent_id &&
	       same_str(t->title, old->title) &&
	       same_str(t->description, old->description) &&
	       t->lead_unit_id == old->lead_unit_id &&
	       same_ids(t->co_unit_ids, t->nco_units, old->co_unit_ids,
			old->nco_units) &&
	       t->responsible_user_id == old->responsible_user_id &&
	       same_links(t, old) && same_str(t->start_on, old->start_on) &&
	       same_str(t->due_on, old->due_on) &&
	       same_str(t->recurrence, old->recurrence) &&
	       fabs(t->weight - old->weight) < 1e-9;
}

static int row_depth(const struct bulk_task_row *rows, int k)
{
	int depth = 0;
	for (int j = rows[k].parent; j >= 0 && depth < 1000; j = rows[j].parent)
		depth++;
	return depth;
}

static enum err save_tasks(struct ctx *c, struct db *db,
			   const struct actor *who, struct bulk_task_row *rows,
			   int n, struct bulk_result *res, struct error *e)
{
	const struct bulk_directory *d = c->d;
	/* parents first: by depth, in file order within a depth */
	int *order = arena_alloc(c->a, sizeof(int) * ((size_t)n + 1));
	int *depth = arena_alloc(c->a, sizeof(int) * ((size_t)n + 1));
	if (!order || !depth)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	int maxd = 0, k = 0;
	for (int i = 0; i < n; i++) {
		depth[i] = row_depth(rows, i);
		if (depth[i] > maxd)
			maxd = depth[i];
	}
	for (int dd = 0; dd <= maxd; dd++)
		for (int i = 0; i < n; i++)
			if (depth[i] == dd)
				order[k++] = i;
	for (int i = 0; i < n; i++) {
		struct bulk_task_row *row = &rows[order[i]];
		if (row->skip) {
			res->skipped++;
			continue;
		}
		struct task t = row->t;
		if (row->parent >= 0) {
			t.parent_id = rows[row->parent].t.id;
			if (!t.parent_id)
				continue; /* the parent failed: listed */
		}
		const struct task *old =
			row->existing >= 0 ? &d->tasks[row->existing] : NULL;
		struct arena scratch;
		arena_init(&scratch, ROW_ARENA);
		struct field_problems fp = {0};
		enum err err = ERR_OK;
		bool changed = false;
		if (!old) {
			t.id = 0;
			err = task_save(db, &scratch, who, &t, &fp, e);
			if (!err) {
				row->t.id = t.id;
				res->created++;
			}
		} else {
			if (!task_same(&t, old)) {
				struct task s = t;
				err = task_save(db, &scratch, who, &s, &fp, e);
				changed = true;
			}
			if (!err && row->has_status &&
			    (!same_str(t.status, old->status) ||
			     t.progress != old->progress)) {
				err = task_report(db, &scratch, who, t.id,
						  t.status, t.progress,
						  "Cập nhật từ tệp nhập", NULL,
						  NULL, 0, NULL, &fp, e);
				changed = true;
			}
			if (!err)
				*(changed ? &res->updated : &res->unchanged) +=
					1;
		}
		if (err == ERR_INVALID) {
			c->bad = 0;
			field_problems_to(c, row->line, &fp, true);
			if (!fp.n)
				problems_add(c->a, c->p, row->line, "",
					     "Dòng này không lưu được.", "%s",
					     e ? e->msg : "invalid");
			if (!old)
				row->t.id = 0;
			err = ERR_OK;
		}
		arena_release(&scratch);
		if (err)
			return err;
	}
	return ERR_OK;
}

/* Existing reports as "task|day|progress|status|note", sorted, to skip a
 * row that repeats one (re-importing an export changes nothing). */
static const char *update_key(struct arena *a, long long task_id,
			      const char *day, int progress, const char *status,
			      const char *note)
{
	return arena_printf(a, "%lld|%s|%d|%s|%s", task_id, day, progress,
			    status, note ? note : "");
}

static int cmp_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char *vn_day(struct arena *a, const char *at)
{
	time_t t;
	if (!at || !clock_parse_iso(at, &t))
		return "";
	char buf[21];
	clock_format_iso(t + 7 * 3600, buf);
	return arena_strndup(a, buf, 10);
}

/* The rows to save: a row repeating a report already recorded, or the
 * row before it, is counted unchanged and left out. */
static enum err fresh_updates(struct ctx *c, struct db *db,
			      struct bulk_update_row *rows, int n,
			      struct bulk_update_row ***out, int *nout,
			      struct bulk_result *res, struct error *e)
{
	struct db_result *old;
	enum err err = bulkdb_updates(db, c->a, c->d->plan_id, &old, e);
	if (err)
		return err;
	const char **keys =
		arena_alloc(c->a, sizeof(char *) * ((size_t)old->nrows + 1));
	struct bulk_update_row **fresh =
		arena_alloc(c->a, sizeof *fresh * ((size_t)n + 1));
	if (!keys || !fresh)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	for (int i = 0; i < old->nrows; i++) {
		keys[i] = update_key(c->a, db_get_int(old, i, "task_id", 0),
				     vn_day(c->a, db_get(old, i, "at")),
				     (int)db_get_int(old, i, "progress", 0),
				     db_get(old, i, "status"),
				     db_get(old, i, "note"));
		if (!keys[i])
			return error_set(e, ERR_NOMEM, "import: out of memory");
	}
	qsort(keys, (size_t)old->nrows, sizeof(char *), cmp_key);
	const char *prev = NULL;
	int k = 0;
	for (int i = 0; i < n; i++) {
		struct bulk_update_row *u = &rows[i];
		const char *key = update_key(c->a, u->task_id, u->day,
					     u->progress, u->status, u->note);
		if (!key)
			return error_set(e, ERR_NOMEM, "import: out of memory");
		if ((prev && !strcmp(prev, key)) ||
		    bsearch(&key, keys, (size_t)old->nrows, sizeof(char *),
			    cmp_key)) {
			res->unchanged++;
			continue;
		}
		prev = key;
		fresh[k++] = u;
	}
	*out = fresh;
	*nout = k;
	return ERR_OK;
}

/* When a report is saved: today, now; an earlier day, its noon in
 * Vietnam. */
static const char *report_at(struct arena *a, const struct ctx *c,
			     const struct bulk_update_row *u, const char *now)
{
	return strcmp(u->day, c->d->today)
		       ? arena_printf(a, "%sT05:00:00Z", u->day)
		       : now;
}

/* One task_report per row: the reference save_updates_batch is tested
 * against (test_import_batch.c). */
static enum err save_updates_per_row(struct ctx *c, struct db *db,
				     const struct actor *who,
				     struct bulk_update_row **rows, int n,
				     struct bulk_result *res, struct error *e)
{
	for (int i = 0; i < n; i++) {
		struct bulk_update_row *u = rows[i];
		struct arena scratch;
		arena_init(&scratch, ROW_ARENA);
		struct field_problems fp = {0};
		enum err err = task_report(db, &scratch, who, u->task_id,
					   u->status, u->progress, u->note,
					   report_at(&scratch, c, u, NULL),
					   NULL, 0, NULL, &fp, e);
		if (!err)
			res->created++;
		if (err == ERR_INVALID) {
			c->bad = 0;
			field_problems_to(c, u->line, &fp, false);
			if (!fp.n)
				problems_add(c->a, c->p, u->line, "",
					     "Dòng này không lưu được.", "%s",
					     e ? e->msg : "invalid");
			err = ERR_OK;
		}
		arena_release(&scratch);
		if (err)
			return err;
	}
	return ERR_OK;
}

/* A task of the plan as the batch sees it: its state now, then after the
 * file's reports and the roll-up. */
struct tstate {
	long long id, parent_id;
	const char *status, *done_on;
	int progress, nchildren;
	double weight;
	/* reports of the file on it, its state before them, the last note */
	int nreports, before_progress;
	const char *before_status, *note;
	int depth; /* > 0: a parent to roll up, at this depth (1: top) */
};

static _Thread_local const struct tstate *sort_states;

static int state_of(const struct tstate *ts, int n, long long id)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (ts[mid].id == id)
			return mid;
		if (ts[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* deepest first, so a parent is rolled up after all its sub-tasks */
static int cmp_depth(const void *x, const void *y)
{
	const struct tstate *a = &sort_states[*(const int *)x],
			    *b = &sort_states[*(const int *)y];
	if (a->depth != b->depth)
		return b->depth - a->depth;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* as task_report (plan_db.c) */
enum { REPORT_NOTE_MAX = 5000, REPORT_MAX_DEPTH = 16 };

/* Checks every row as task_report would, against the tasks as they are
 * inside the transaction; the index of each row's task in ts goes to at. */
static void check_reports(struct ctx *c, const struct tstate *ts, int nt,
			  struct bulk_update_row **rows, int n, int *at)
{
	for (int i = 0; i < n; i++) {
		const struct bulk_update_row *u = rows[i];
		struct field_problems fp = {0};
		c->bad = 0;
		at[i] = state_of(ts, nt, u->task_id);
		if (at[i] < 0) {
			problems_add(c->a, c->p, u->line, "",
				     "Dòng này không lưu được.",
				     "task %lld: not found", u->task_id);
			continue;
		}
		const char *note = u->note ? u->note : "";
		struct field_problem *fpp = fp.list;
		if (!task_status_label_vi(u->status))
			fpp[fp.n++] = (struct field_problem){
				"status", "unknown status",
				"Vui lòng chọn trạng thái."};
		if (u->progress < 0 || u->progress > 100)
			fpp[fp.n++] = (struct field_problem){
				"progress", "progress must be 0-100",
				"Tiến độ phải từ 0 đến 100%."};
		if (strlen(note) > REPORT_NOTE_MAX ||
		    !text_valid_utf8(note, strlen(note)))
			fpp[fp.n++] = (struct field_problem){
				"note", "note is too long",
				"Ghi chú quá dài (tối đa 5.000 ký tự)."};
		if (!fp.n && ts[at[i]].nchildren > 0)
			fpp[fp.n++] = (struct field_problem){
				"status", "the task has sub-tasks",
				"Nhiệm vụ này có nhiệm vụ con: tiến độ được "
				"tính từ các nhiệm vụ con, hãy cập nhật ở "
				"từng nhiệm vụ con."};
		field_problems_to(c, u->line, &fp, false);
	}
}

/* Each marked parent's progress, status and done_on from its children,
 * as rollup (plan_db.c) computes them, deepest first. */
static enum err rollup_parents(struct ctx *c, struct db *db, struct tstate *ts,
			       int nt, struct error *e)
{
	int np = 0;
	int *order = arena_alloc(c->a, sizeof(int) * ((size_t)nt + 1));
	int *progress = arena_alloc(c->a, sizeof(int) * ((size_t)nt + 1));
	double *weight = arena_alloc(c->a, sizeof(double) * ((size_t)nt + 1));
	bool *cancelled = arena_alloc(c->a, sizeof(bool) * ((size_t)nt + 1));
	const char **status =
		arena_alloc(c->a, sizeof(char *) * ((size_t)nt + 1));
	if (!order || !progress || !weight || !cancelled || !status)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	for (int k = 0; k < nt; k++)
		if (ts[k].depth > 0)
			order[np++] = k;
	sort_states = ts;
	qsort(order, (size_t)np, sizeof(int), cmp_depth);
	for (int j = 0; j < np; j++) {
		struct tstate *t = &ts[order[j]];
		int n = 0;
		const char *last_done = NULL;
		for (int k = 0; k < nt; k++) {
			if (ts[k].parent_id != t->id)
				continue;
			status[n] = ts[k].status;
			progress[n] = ts[k].progress;
			weight[n] = ts[k].weight;
			cancelled[n] = !strcmp(ts[k].status, "cancelled");
			const char *d = ts[k].done_on;
			if (d && (!last_done || strcmp(d, last_done) > 0))
				last_done = d;
			n++;
		}
		if (!n)
			continue;
		int pr = task_rollup(progress, weight, cancelled, n);
		const char *st = task_rollup_status(status, progress, n);
		if (!strcmp(st, "done"))
			pr = 100;
		t->status = st;
		t->progress = pr;
		t->done_on = strcmp(st, "done") ? NULL : last_done;
		enum err err = bulkdb_set_task_state(db, c->a, t->id, st, pr,
						     t->done_on, NULL, e);
		if (err)
			return err;
	}
	return ERR_OK;
}

/* The whole file in a few statements: every row checked in memory, the
 * reports inserted a few hundred at a time, one UPDATE per task with its
 * final state, each parent rolled up once, one audit row per task. The
 * same rows and task states as save_updates_per_row. */
static enum err save_updates_batch(struct ctx *c, struct db *db,
				   const struct actor *who,
				   struct bulk_update_row **rows, int n,
				   struct bulk_result *res, struct error *e)
{
	struct db_result *r;
	enum err err = bulkdb_task_states(db, c->a, c->d->plan_id, &r, e);
	if (err)
		return err;
	int nt = r->nrows;
	struct tstate *ts = arena_alloc(c->a, sizeof *ts * ((size_t)nt + 1));
	int *at = arena_alloc(c->a, sizeof(int) * ((size_t)n + 1));
	struct bulkdb_report *ins =
		arena_alloc(c->a, sizeof *ins * ((size_t)n + 1));
	const char *now = clock_now_iso(c->a);
	if (!ts || !at || !ins || !now)
		return error_set(e, ERR_NOMEM, "import: out of memory");
	for (int k = 0; k < nt; k++) {
		struct tstate *t = &ts[k];
		const char *w = db_get(r, k, "weight");
		t->id = db_get_int(r, k, "id", 0);
		t->parent_id = db_get_int(r, k, "parent_id", 0);
		t->status = db_get(r, k, "status");
		t->progress = (int)db_get_int(r, k, "progress", 0);
		t->weight = w ? strtod(w, NULL) : 1;
		t->done_on = db_get(r, k, "done_on");
		t->nchildren = (int)db_get_int(r, k, "nchildren", 0);
	}
	check_reports(c, ts, nt, rows, n, at);
	if (c->p->n)
		return ERR_OK;
	/* the reports in date order per task, each moving its task on */
	for (int i = 0; i < n; i++) {
		const struct bulk_update_row *u = rows[i];
		struct tstate *t = &ts[at[i]];
		const char *when = report_at(c->a, c, u, now);
		if (!when)
			return error_set(e, ERR_NOMEM, "import: out of memory");
		bool done = !strcmp(u->status, "done");
		int progress = done ? 100 : u->progress;
		if (!t->nreports++) {
			t->before_status = t->status;
			t->before_progress = t->progress;
		}
		/* done_on: the day (in Vietnam) it was first reported done */
		if (!done)
			t->done_on = NULL;
		else if (!t->done_on || strcmp(t->status, "done"))
			t->done_on = vn_day(c->a, when);
		t->status = u->status;
		t->progress = progress;
		t->note = u->note ? u->note : "";
		ins[i] = (struct bulkdb_report){u->task_id, when, u->status,
						t->note, progress};
	}
	err = bulkdb_insert_reports(db, who->user_id, ins, n, e);
	for (int k = 0; !err && k < nt; k++) {
		struct tstate *t = &ts[k];
		if (!t->nreports)
			continue;
		err = bulkdb_set_task_state(db, c->a, t->id, t->status,
					    t->progress, t->done_on,
					    clock_now_iso(c->a), e);
		/* mark its ancestors, each once, with its depth */
		int p = state_of(ts, nt, t->parent_id), steps = 0;
		while (p >= 0 && !ts[p].depth && steps++ < REPORT_MAX_DEPTH) {
			ts[p].depth = -1;
			p = state_of(ts, nt, ts[p].parent_id);
		}
	}
	if (err)
		return err;
	for (int k = 0; k < nt; k++) {
		if (ts[k].depth != -1)
			continue;
		int depth = 1;
		for (int p = state_of(ts, nt, ts[k].parent_id);
		     p >= 0 && depth < REPORT_MAX_DEPTH;
		     p = state_of(ts, nt, ts[p].parent_id))
			depth++;
		ts[k].depth = depth;
	}
	err = rollup_parents(c, db, ts, nt, e);
	if (err)
		return err;
	/* the audit: what each task went through, with its last report */
	struct db_result *last;
	err = bulkdb_last_reports(db, c->a, c->d->plan_id, &last, e);
	for (int i = 0; !err && i < last->nrows; i++) {
		long long tid = db_get_int(last, i, "task_id", 0);
		int k = state_of(ts, nt, tid);
		if (k < 0 || !ts[k].nreports)
			continue;
		const struct tstate *t = &ts[k];
		json_t *after = json_pack(
			"{s:I, s:s, s:i, s:s, s:i, s:s, s:i, s:i}", "update_id",
			(json_int_t)db_get_int(last, i, "id", 0), "status",
			t->status, "progress", t->progress, "note", t->note,
			"files", 0, "before_status", t->before_status,
			"before_progress", t->before_progress, "updates",
			t->nreports);
		err = audit_actor(db, c->a, who, "task.report", "task", tid,
				  NULL, after, e);
		json_decref(after);
	}
	if (!err)
		res->created += n;
	return err;
}

static enum err save_updates(struct ctx *c, struct db *db,
			     const struct actor *who, enum bulk_save how,
			     struct bulk_update_row *rows, int n,
			     struct bulk_result *res, struct error *e)
{
	struct bulk_update_row **fresh = NULL;
	int nfresh = 0;
	enum err err = fresh_updates(c, db, rows, n, &fresh, &nfresh, res, e);
	if (err || !nfresh)
		return err;
	return how == BULK_SAVE_PER_ROW
		       ? save_updates_per_row(c, db, who, fresh, nfresh, res, e)
		       : save_updates_batch(c, db, who, fresh, nfresh, res, e);
}

enum err bulk_import(struct db *db, struct arena *a, const struct actor *who,
		     long long plan_id, enum bulk_kind kind, const void *data,
		     size_t len, struct bulk_result *res, struct problems *p,
		     struct error *e)
{
	return bulk_import_with(db, a, who, plan_id, kind, BULK_SAVE_BATCH,
				data, len, res, p, e);
}

enum err bulk_import_with(struct db *db, struct arena *a,
			  const struct actor *who, long long plan_id,
			  enum bulk_kind kind, enum bulk_save how,
			  const void *data, size_t len, struct bulk_result *res,
			  struct problems *p, struct error *e)
{
	memset(res, 0, sizeof *res);
	struct bulk_directory d;
	enum err err = bulk_directory_load(db, a, plan_id, &d, e);
	if (err)
		return err;
	struct bulk_file f;
	err = bulk_read(a, data, len, &f, p, e);
	if (err)
		return err;
	struct ctx c = {.a = a, .f = &f, .d = &d, .p = p};
	struct bulk_task_row *trows = NULL;
	struct bulk_update_row *urows = NULL;
	int n = 0;
	if (kind == BULK_TASKS) {
		c.spec = task_cols;
		c.ncols = TC_N;
		err = parse_tasks(&c, &trows, &n, &res->ignored, e);
	} else {
		c.spec = update_cols;
		c.ncols = UC_N;
		err = parse_updates(&c, &urows, &n, &res->ignored, e);
	}
	if (err)
		return err;
	if (!p->n && n == 0)
		problems_add(a, p, 0, "", "Tệp không có dòng dữ liệu nào.",
			     "no data rows");
	if (p->n)
		return error_set(e, ERR_INVALID, "%d problem%s in the file",
				 p->n, p->n == 1 ? "" : "s");
	err = bulkdb_big_cache(db, a, true, e);
	if (!err)
		err = db_begin(db, e);
	if (err)
		return err;
	err = kind == BULK_TASKS
		      ? save_tasks(&c, db, who, trows, n, res, e)
		      : save_updates(&c, db, who, how, urows, n, res, e);
	if (!err && p->n)
		err = error_set(e, ERR_INVALID, "%d problem%s in the file",
				p->n, p->n == 1 ? "" : "s");
	if (!err) {
		json_t *after = json_pack(
			"{s:s, s:s, s:i, s:i, s:i, s:i}", "what",
			kind == BULK_TASKS ? "tasks" : "updates", "format",
			f.xlsx ? "xlsx" : "csv", "created", res->created,
			"updated", res->updated, "unchanged", res->unchanged,
			"skipped", res->skipped);
		err = audit_actor(db, a, who, "plan.import", "plan", plan_id,
				  NULL, after, e);
		json_decref(after);
	}
	if (!err)
		err = db_commit(db, e);
	if (err) {
		db_rollback(db);
		memset(res, 0, sizeof *res);
	}
	struct error ce = {0};
	if (bulkdb_big_cache(db, a, false, &ce))
		log_warn("plan import: cache size not restored", "error=\"%s\"",
			 ce.msg);
	return err;
}
