/* Reports (Báo cáo): the chair's dashboard for a commune and for a
 * province, the periodic reports to the upper level and a plan's own
 * report, drawn as PDF (cairo + pango, Nghị định 30/2020 format), XLSX
 * (native charts) and DOCX, and stored with the data they were built from
 * so a report sent last quarter opens again unchanged.
 *
 * The flow: report_figures() reads what every capability knows about one
 * commune over a period (PAPI, plan, cases, disclosure, outreach,
 * oversight) as JSON; the dashboard shows it; report_build() turns it into
 * a document (the JSON below); report_pdf/xlsx/docx draw a document. A
 * stored report keeps both the figures and the document. */
#ifndef REPORT_H
#define REPORT_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "../base/arena.h"
#include "../base/calendar.h"
#include "../base/error.h"
#include "../store/db.h"

struct request;
struct actor;

/* ---- report.c: periods ------------------------------------------------ */

/* The kinds of report. A periodic report covers a period of its year; a
 * plan report covers its plan (from 1 January of the plan's year to the
 * report's cut-off). */
enum report_kind {
	REPORT_MONTHLY,
	REPORT_QUARTERLY,
	REPORT_SIX_MONTH,
	REPORT_YEARLY,
	REPORT_PLAN,
};
const char *report_kind_key(enum report_kind k); /* "monthly", ... */
const char *report_kind_vi(enum report_kind k);  /* "tháng", "quý", ... */
int report_kind_parse(const char *key, enum report_kind *out); /* 1 if ok */

/* The data period of report `no` (month 1..12, quarter 1..4, half 1..2,
 * year: 1) of `year`. cutoff_day 0: calendar periods (1 January to 31
 * March for quarter 1). cutoff_day d in 1..28: the period ends on day d of
 * its last month and starts the day after day d of the month before its
 * first (Nghị định 09/2019/NĐ-CP Điều 12: d = 14, so quarter 1 of 2025 is
 * 15/12/2024 to 14/03/2025, the year 15/12/2024 to 14/12/2025). Returns 0
 * when no, year or cutoff_day is out of range. */
int report_period(enum report_kind k, int year, int no, int cutoff_day,
		  struct date *from, struct date *to);
/* "quý I năm 2025", "6 tháng đầu năm 2025", "tháng 3 năm 2025",
 * "năm 2025". */
char *report_period_vi(struct arena *a, enum report_kind k, int year, int no);

/* A table cell as the files and the page show it: a number by `format`
 * ("int" 1.234, "percent" 83,3% from 0.833, "score" 5,12, "num1" 5,1),
 * a string as is, null or anything else "". */
char *report_cell_text(struct arena *a, const json_t *v, const char *format);

/* ---- report_figures.c: what the capabilities know -------------------- */

/* The figures of one commune over [from, to] (ISO dates), as a new JSON
 * object. Every part is present even when empty, with a Vietnamese "note"
 * saying why when there is nothing ("Xã chưa có kết quả khảo sát", "Không
 * có nhiệm vụ đến hạn trong kỳ"):
 *   commune:    {id, code, name, province}
 *   period:     {from, to}
 *   papi:       {year, source ("estimate"|"official"|null), note,
 *                total: {score, lo, hi, tier, last_year, province},
 *                dimensions: [{code "D1".., name, score, lo, hi, tier,
 *                              last_year, province}]}
 *   plan:       {plans: [{id, number_text, title}], due, done_on_time,
 *                done_late, overdue, open, requests, note,
 *                by_unit: [{unit_id, unit, due, done_on_time, done_late,
 *                           overdue, requests, score}],
 *                by_dimension: [{code, name, tasks, done, overdue}],
 *                late: [{task_id, title, unit, due, status, progress,
 *                        requests: [{sent, question, answer, answered}]}],
 *                targets: [{dimension, target, actual, met}]}
 *   voice:      {received, answered, on_time, overdue, note,
 *                by_type: [{type, name, received, answered, on_time,
 *                           overdue}]}
 *   disclosure: {missing, late, note, items: [{item, title, problem}]}
 *   outreach:   {activities, villages, villages_missed, note,
 *                gaps: [{topic, villages_missed: [names]}]}
 *   oversight:  {open_findings, open_recommendations, note,
 *                findings: [{id, inspection, text, status}]}
 * Scores are numbers (null when unknown); the renderers format them. */
enum err report_figures(struct db *db, struct arena *a, long long commune_id,
			const char *from, const char *to, json_t **out,
			struct error *e);
/* The province's dashboard: for each commune of `communes`, its PAPI total
 * and dimensions (score, tier) for `year`, and its plan, case, disclosure
 * and oversight counts for that year, as
 *   {year, communes: [{id, code, name, total: {score, tier},
 *     dimensions: [{code, score, tier}], overdue_tasks, cases_overdue,
 *     disclosures_missing, open_findings}]}. */
enum err report_province_figures(struct db *db, struct arena *a,
				 const long long *communes, int n, int year,
				 json_t **out, struct error *e);

/* ---- report_kept.c: the same, kept between requests ----------------- */

/* report_figures and report_province_figures kept under the database's
 * version (the audit log's last id) and today's date, as the plan's views
 * keep theirs (views_cache; off: computed every time). For pages; a
 * stored report reads report_figures afresh. */
enum err report_figures_kept(struct db *db, struct arena *a,
			     long long commune_id, const char *from,
			     const char *to, json_t **out, struct error *e);
enum err report_province_figures_kept(struct db *db, struct arena *a,
				      const long long *communes, int n,
				      int year, json_t **out, struct error *e);

/* ---- report_content.c: a document from figures ----------------------- */

/* What a document needs besides its figures. */
struct report_spec {
	enum report_kind kind;
	int year, no;            /* the period (see report_period) */
	long long plan_id;       /* REPORT_PLAN only */
	const char *number_text; /* "12/BC-UBND", "" for a draft */
	const char *issued_on;   /* ISO date on the document */
	const char *place;       /* "Tiên Tiến" */
	const char *issuer;      /* "ỦY BAN NHÂN DÂN\nXÃ TIÊN TIẾN" */
	const char *sign_mode;   /* "TM." or "KT." */
	const char *signer_title, *signer_name;
	const char *recipients; /* one per line, "Lưu: VT, VP." last */
};
/* The document of a report, as a new JSON object:
 *   {kind: "BC", type: "BÁO CÁO",
 *    issuer: ["ỦY BAN NHÂN DÂN", "XÃ TIÊN TIẾN"],   top left, bold caps
 *    number_text: "Số: 12/BC-UBND",                  "Số:      /BC-UBND"
 *    place_date: "Tiên Tiến, ngày 05 tháng 3 năm 2025",
 *    subject: "Kết quả thực hiện ... quý I năm 2025",
 *    blocks: [
 *      {type: "heading", level: 1|2, text: "I. KẾT QUẢ ..."},
 *      {type: "paragraph", text: "..."},
 *      {type: "table", title: "Bảng 1. ...",
 *       columns: [{title: "Đơn vị", align: "left"|"right"|"center",
 *                  width: 3 (relative)}],
 *       rows: [["Văn phòng", 12, 10, 0.833, null]],  strings or numbers
 *       formats: ["text", "int", "int", "percent", "score"]},
 *      {type: "chart", chart: "bar"|"radar", title: "...",
 *       categories: ["D1", ...], y_min: 1, y_max: 10,
 *       series: [{name: "2025", values: [5.1, null, ...]}]}],
 *    signature: {mode: "TM. ỦY BAN NHÂN DÂN", title: "CHỦ TỊCH",
 *                name: "Nguyễn Văn A"},
 *    recipients: ["UBND tỉnh Hưng Yên;", "Lưu: VT, VP."]}
 * Numbers in tables are formatted by the renderer from `formats`: int
 * "1.234", percent "83,3%", score "5,12" (two decimals), text as is; null
 * is an empty cell. */
enum err report_build(struct arena *a, const struct report_spec *spec,
		      const json_t *figures, json_t **doc, struct error *e);

/* ---- report_pdf.c, report_xlsx.c, report_docx.c: drawing a document -- */

/* Each draws `doc` (above) into bytes in the arena. ERR_INVALID with a
 * message when the document is malformed. */
enum err report_pdf(struct arena *a, const json_t *doc, char **out, size_t *len,
		    struct error *e);
enum err report_xlsx(struct arena *a, const json_t *doc, char **out,
		     size_t *len, struct error *e);
enum err report_docx(struct arena *a, const json_t *doc, char **out,
		     size_t *len, struct error *e);

/* ---- report_db.c: stored reports ------------------------------------- */

struct report {
	long long id, unit_id, plan_id, created_by;
	enum report_kind kind;
	int year, no, number; /* number 0: draft */
	const char *symbol, *period_from, *period_to, *issued_on, *title;
	const char *figures, *doc;            /* JSON text as built */
	const char *created_at, *number_text; /* "12/BC-UBND", "" */
	const char *unit_name;                /* "Tiên Tiến" */
};

/* Per commune: the cut-off day of report data (14 unless set: Nghị định
 * 09/2019/NĐ-CP Điều 12; 0: calendar periods) and what a new report
 * starts with. */
struct report_settings {
	int cutoff_day;
	const char *recipients; /* one per line, "Lưu: VT, VP." last */
	const char *sign_mode;  /* "TM." or "KT." */
	const char *signer_title, *signer_name;
};
/* The commune's settings, or the defaults (the signer: the commune's
 * chair as a user holds the role). */
enum err report_settings_get(struct db *db, struct arena *a,
			     long long commune_id, struct report_settings *out,
			     struct error *e);
enum err report_settings_save(struct db *db, struct arena *a,
			      const struct actor *who, long long commune_id,
			      const struct report_settings *s, struct error *e);

/* What a new report is about: a period of a year (report_period with the
 * commune's cut-off day), or a plan (its year, 1 January to the end of
 * the year or today, whichever is first). */
struct report_request {
	long long commune_id;
	enum report_kind kind;
	int year, no;
	long long plan_id; /* REPORT_PLAN */
};
/* Gathers the figures, builds the document and stores it as a draft
 * (no number yet, dated today). ERR_INVALID for a period out of range or
 * a plan of another commune. */
enum err report_create(struct db *db, struct arena *a, const struct actor *who,
		       const struct report_request *rq, long long *id,
		       struct error *e);
/* A draft only: gathers the figures again (the data changed). */
enum err report_refresh(struct db *db, struct arena *a, const struct actor *who,
			long long id, struct error *e);
/* Gives a draft the next number of its commune's register for the year of
 * issued_on (NULL: today), or `number` when not 0, and builds its
 * document again from its stored figures with that number and date and
 * the signer of the settings. ERR_CONFLICT when issued already or the
 * number is taken. From then on the report never changes. */
enum err report_issue(struct db *db, struct arena *a, const struct actor *who,
		      long long id, int number, const char *issued_on,
		      struct error *e);
enum err report_delete(struct db *db, struct arena *a, const struct actor *who,
		       long long id, struct error *e); /* drafts only */
enum err report_get(struct db *db, struct arena *a, long long id,
		    struct report *out, struct error *e);
/* The reports of these communes (year 0: all), newest first, as
 * [{id, unit_id, unit_name, kind, kind_vi ("Báo cáo", or "Báo cáo kết
 *   quả thực hiện kế hoạch"), year, no, period_vi,
 *   period_from, period_to, number_text, issued_on, title, draft}]. */
enum err report_list(struct db *db, struct arena *a, const long long *communes,
		     int n, int year, json_t **out, struct error *e);

/* ---- the dashboards (report_dashboard_http.c) ------------------------ */

/* GET /report/dashboard (a commune's) and /report/province, with their
 * /api twins; called by report_http_register. */
void report_dashboard_http_register(void);
/* Which of the report pages the user may open, for the pages' shared
 * navigation: {province, reports, settings} (report_http.c). */
json_t *report_nav_json(const struct request *req);

#endif
