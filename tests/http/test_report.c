/* Stored reports through a real `quantri serve` on the demo database: the
 * office builds a quarterly draft from the figures of its period (the
 * cut-off day of the settings), the chair issues it with the next number
 * of the year, a second report takes the next, a taken number is refused
 * and changes nothing; an issued report keeps its figures and document
 * whatever changes after (a task marked done, new settings) while a new
 * draft of the same period sees the change; drafts are hidden from the
 * readers, who see the issued ones; the PDF, XLSX and DOCX files are
 * what they say; bad input is refused with the fields named and nothing
 * stored; and `quantri report` lists and builds the same. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

static struct server srv;

static int setup(void **state)
{
	(void)state;
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0",
					  "QUANTRI_NOW=2026-11-27T03:00:00Z",
					  NULL};
	server_start(&srv, env);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

/* POSTs a form after loading `page` for its CSRF token. */
static long post(struct client *c, const char *page, const char *path,
		 const char *body, struct reply *out)
{
	client_status(c, page);
	struct reply r;
	if (client_post(c, path, body, &r))
		fail_msg("POST %s: no reply", path);
	long s = r.status;
	if (out)
		*out = r;
	else
		reply_release(&r);
	return s;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static size_t nreports(struct client *c)
{
	json_t *j = client_get_json(c, "/api/report");
	size_t n = json_array_size(json_object_get(j, "rows"));
	json_decref(j);
	return n;
}

/* Builds a draft through the API; its id. */
static long long build(struct client *c, const char *form)
{
	struct reply r;
	long s = post(c, "/report", "/api/report", form, &r);
	if (s != 200)
		fail_msg("build %s: %ld %s", form, s, r.body ? r.body : "");
	json_t *j = reply_json(&r);
	reply_release(&r);
	long long id = (long long)json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	assert_true(id > 0);
	return id;
}

static json_t *report(struct client *c, long long id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/report/%lld", id);
	return client_get_json(c, path);
}

static char *dump(json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
}

static void test_build_issue_keep(void **state)
{
	(void)state;
	struct client office, chair, front, village;
	client_login_demo(&office, &srv, "vanphong");
	client_login_demo(&chair, &srv, "chutich");
	client_login_demo(&front, &srv, "mttq");
	client_login_demo(&village, &srv, "truongthon");
	size_t before = nreports(&office);
	/* the demo has last quarter's report issued (01/BC-UBND) and this
	 * month's draft */
	size_t front_before = nreports(&front);
	assert_int_equal(front_before, 1);

	/* quarter IV of 2026 with the cut-off of Nghị định 09/2019: the
	 * 15th of September to the 14th of December */
	long long a = build(&office, "kind=quarterly&year=2026&no=4");
	json_t *ra = report(&office, a);
	assert_true(json_is_true(json_object_get(ra, "draft")));
	assert_string_equal(str(ra, "period_from"), "2026-09-15");
	assert_string_equal(str(ra, "period_to"), "2026-12-14");
	assert_string_equal(str(ra, "period_vi"), "quý IV năm 2026");
	json_t *doc = json_object_get(ra, "doc");
	assert_string_equal(str(doc, "type"), "BÁO CÁO");
	assert_non_null(strstr(str(doc, "subject"), "quý IV năm 2026"));
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(doc, "issuer"), 0)),
			    "ỦY BAN NHÂN DÂN");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(doc, "issuer"), 1)),
			    "XÃ TIÊN TIẾN");
	assert_non_null(
		strstr(str(doc, "place_date"), "ngày 27 tháng 11 năm 2026"));
	json_decref(ra);

	/* a draft: the front does not see it, nor in the list */
	char path[96];
	snprintf(path, sizeof path, "/api/report/%lld", a);
	assert_int_equal(client_status(&front, path), 403);
	assert_int_equal(nreports(&front), front_before);
	/* a village head has no report pages */
	assert_int_equal(client_status(&village, "/report"), 403);
	/* the front may not build one */
	assert_int_equal(post(&front, "/report", "/api/report",
			      "kind=quarterly&year=2026&no=4", NULL),
			 403);

	/* the chair issues it: 02/BC-UBND of 2026 (the demo's is 01), dated
	 * today */
	snprintf(path, sizeof path, "/api/report/%lld/issue", a);
	assert_int_equal(
		post(&chair, "/report", path, "number=&issued_on=", NULL), 200);
	ra = report(&office, a);
	assert_false(json_is_true(json_object_get(ra, "draft")));
	assert_string_equal(str(ra, "number_text"), "02/BC-UBND");
	assert_string_equal(str(ra, "issued_on"), "2026-11-27");
	doc = json_object_get(ra, "doc");
	assert_string_equal(str(doc, "number_text"), "Số: 02/BC-UBND");
	char *doc_a = dump(doc);
	/* issued: no second issue, no refresh, no delete */
	assert_int_equal(post(&chair, "/report", path, "number=", NULL), 409);
	snprintf(path, sizeof path, "/api/report/%lld/refresh", a);
	assert_int_equal(post(&chair, "/report", path, "", NULL), 409);
	snprintf(path, sizeof path, "/api/report/%lld/delete", a);
	assert_int_equal(post(&chair, "/report", path, "", NULL), 409);
	/* the front reads the issued one */
	snprintf(path, sizeof path, "/api/report/%lld", a);
	assert_int_equal(client_status(&front, path), 200);
	assert_int_equal(nreports(&front), front_before + 1);

	/* a second report takes 03; asking for 03 again is refused and
	 * changes nothing */
	long long b = build(&office, "kind=monthly&year=2026&no=11");
	long long c = build(&office, "kind=six_month&year=2026&no=2");
	snprintf(path, sizeof path, "/api/report/%lld/issue", b);
	assert_int_equal(post(&office, "/report", path,
			      "number=&issued_on=27%2F11%2F2026", NULL),
			 200);
	json_t *rb = report(&office, b);
	assert_string_equal(str(rb, "number_text"), "03/BC-UBND");
	json_decref(rb);
	snprintf(path, sizeof path, "/api/report/%lld/issue", c);
	struct reply r;
	assert_int_equal(post(&office, "/report", path, "number=3", &r), 422);
	assert_true(reply_has(&r, "number"));
	reply_release(&r);
	/* a date before the report's year, and a date that is no date */
	assert_int_equal(post(&office, "/report", path,
			      "issued_on=31%2F12%2F2025", NULL),
			 422);
	assert_int_equal(
		post(&office, "/report", path, "issued_on=hôm+qua", NULL), 422);
	json_t *rc = report(&office, c);
	assert_true(json_is_true(json_object_get(rc, "draft")));
	json_decref(rc);
	/* a chosen free number is taken as asked */
	assert_int_equal(post(&office, "/report", path, "number=7", NULL), 200);
	rc = report(&office, c);
	assert_string_equal(str(rc, "number_text"), "07/BC-UBND");
	json_decref(rc);

	/* the data and the settings change ... */
	assert_int_equal(
		post(&office, "/report/settings", "/api/report/settings",
		     "cutoff_day=0&sign_mode=KT.&signer_title=PH%C3%93+CH%E1%BB"
		     "%A6+T%E1%BB%8ACH&signer_name=Tr%E1%BA%A7n+V%C4%83n+B"
		     "&recipients=UBND+t%E1%BB%89nh%3B%0AL%C6%B0u%3A+VT%2C+VP.",
		     NULL),
		200);
	/* ... the issued report stays as it was sent ... */
	json_t *again = report(&front, a);
	char *doc_again = dump(json_object_get(again, "doc"));
	assert_string_equal(doc_again, doc_a);
	assert_string_equal(str(again, "period_from"), "2026-09-15");
	json_decref(again);
	free(doc_again);
	/* ... and a new draft follows the new settings: calendar quarters,
	 * signed KT. by the vice-chair */
	long long d = build(&office, "kind=quarterly&year=2026&no=4");
	json_t *rd = report(&office, d);
	assert_string_equal(str(rd, "period_from"), "2026-10-01");
	assert_string_equal(str(rd, "period_to"), "2026-12-31");
	json_t *sig = json_object_get(json_object_get(rd, "doc"), "signature");
	assert_non_null(strstr(str(sig, "mode"), "KT."));
	assert_string_equal(str(sig, "name"), "Trần Văn B");
	json_decref(rd);
	/* a draft can be deleted */
	snprintf(path, sizeof path, "/api/report/%lld/delete", d);
	assert_int_equal(post(&office, "/report", path, "", NULL), 200);
	snprintf(path, sizeof path, "/api/report/%lld", d);
	assert_int_equal(client_status(&office, path), 404);
	assert_int_equal(nreports(&office), before + 3);
	free(doc_a);
	json_decref(ra);
	client_release(&office);
	client_release(&chair);
	client_release(&front);
	client_release(&village);
}

/* The output of a shell command, malloc'd; fails the test unless it
 * exits 0. */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	for (size_t k; (k = fread(out + n, 1, cap - 1 - n, p)) > 0;) {
		n += k;
		if (n == cap - 1)
			out = realloc(out, cap *= 2);
	}
	out[n] = 0;
	if (pclose(p) != 0)
		fail_msg("%s: failed", cmd);
	return out;
}

/* s with every run of white space one space, in place: text from a
 * justified, wrapped layout compares as words. */
static char *squeeze(char *s)
{
	char *o = s;
	bool space = false;
	for (const char *p = s; *p; p++) {
		bool ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' ||
			  *p == '\f';
		if (ws) {
			space = o > s;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = 0;
	return s;
}

/* The report's PDF as poppler reads it: every heading, paragraph and the
 * head and foot of the stored document are there, word for word; the
 * fonts are embedded; the pages go to artifacts/report/ as pictures. */
static void check_pdf(const char *pdf, size_t len, json_t *doc,
		      const char *name)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[512], cmd[1200];
	snprintf(path, sizeof path, "%s/quantri-test-%s.pdf", tmp, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", path);
	char *text = squeeze(run(cmd));
	const char *fixed[] = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			       "Độc lập - Tự do - Hạnh phúc",
			       "Nơi nhận:", str(doc, "place_date"),
			       str(doc, "type")};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
		char *want = squeeze(strdup(fixed[i]));
		if (!strstr(text, want))
			fail_msg("%s: \"%s\" not in the PDF", name, want);
		free(want);
	}
	/* a draft's "Số:      /BC-UBND" leaves room for the number: the two
	 * words come out apart */
	char *number = strdup(str(doc, "number_text")), *save = NULL;
	for (char *w = strtok_r(number, " ", &save); w;
	     w = strtok_r(NULL, " ", &save))
		if (!strstr(text, w))
			fail_msg("%s: \"%s\" not in the PDF", name, w);
	free(number);
	size_t i;
	json_t *b;
	int checked = 0;
	json_array_foreach(json_object_get(doc, "blocks"), i, b)
	{
		const char *t = str(b, "text");
		if (!*t)
			continue;
		char *want = squeeze(strdup(t));
		if (!strstr(text, want))
			fail_msg("%s: block %zu \"%s\" not in the PDF", name, i,
				 want);
		free(want);
		checked++;
	}
	assert_true(checked > 5);
	json_t *sig = json_object_get(doc, "signature");
	assert_non_null(strstr(text, str(sig, "name")));
	free(text);
	snprintf(cmd, sizeof cmd, "pdffonts '%s'", path);
	char *fonts = run(cmd);
	assert_non_null(strstr(fonts, "LiberationSerif"));
	/* the "emb" column: every font embedded */
	for (char *line = strchr(fonts, '\n'); line;
	     line = strchr(line + 1, '\n'))
		if (strstr(line, "TrueType") || strstr(line, "Type 1"))
			assert_non_null(strstr(line, " yes "));
	free(fonts);
	/* artifacts/ of the repository, wherever the test runs from */
	const char *src = __FILE__;
	int root = (int)(strstr(src, "/tests/http/") - src);
	snprintf(cmd, sizeof cmd,
		 "mkdir -p '%.*s/artifacts/report' && pdftoppm -r 60 -png "
		 "'%s' '%.*s/artifacts/report/%s'",
		 root, src, path, root, src, name);
	free(run(cmd));
	remove(path);
}

static void test_files(void **state)
{
	(void)state;
	struct client office;
	client_login_demo(&office, &srv, "vanphong");
	long long id = build(&office, "kind=yearly&year=2026&no=1");
	static const struct {
		const char *ext, *type, *magic;
	} files[] = {
		{"pdf", "application/pdf", "%PDF-"},
		{"xlsx",
		 "application/vnd.openxmlformats-officedocument."
		 "spreadsheetml.sheet",
		 "PK"},
		{"docx",
		 "application/vnd.openxmlformats-officedocument."
		 "wordprocessingml.document",
		 "PK"},
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char path[64], buf[256];
		snprintf(path, sizeof path, "/report/%lld/%s", id,
			 files[i].ext);
		struct reply r;
		assert_int_equal(client_get(&office, path, &r), 0);
		assert_int_equal(r.status, 200);
		assert_string_equal(r.content_type, files[i].type);
		assert_true(r.len > 1000);
		assert_memory_equal(r.body, files[i].magic,
				    strlen(files[i].magic));
		if (!strcmp(files[i].ext, "pdf")) {
			json_t *rep = report(&office, id);
			check_pdf(r.body, r.len, json_object_get(rep, "doc"),
				  "http-yearly");
			json_decref(rep);
		}
		const char *disp = reply_header(&r, "Content-Disposition", buf,
						sizeof buf);
		assert_non_null(disp);
		assert_non_null(strstr(disp, files[i].ext));
		reply_release(&r);
	}
	/* the page shows the document */
	char path[64];
	snprintf(path, sizeof path, "/report/%lld", id);
	struct reply r;
	assert_int_equal(client_get(&office, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
	assert_true(reply_has(&r, "Nơi nhận:"));
	assert_true(reply_has(&r, "năm 2026"));
	reply_release(&r);
	client_release(&office);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct client office;
	client_login_demo(&office, &srv, "vanphong");
	size_t before = nreports(&office);
	static const struct {
		const char *form, *field;
	} bad[] = {
		{"kind=weekly&year=2026&no=1", "kind"},
		{"kind=quarterly&year=2026&no=5", "no"},
		{"kind=monthly&year=2026&no=13", "no"},
		{"kind=quarterly&year=20266&no=1", "year"},
		{"kind=quarterly&year=&no=1", "year"},
		{"kind=plan&year=2026&no=1", "plan_id"},
		{"kind=plan&year=2026&no=1&plan_id=999999", "plan_id"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct reply r;
		assert_int_equal(
			post(&office, "/report", "/report", bad[i].form, &r),
			422);
		assert_true(reply_has(&r, "class=\"field-error\""));
		reply_release(&r);
		assert_int_equal(post(&office, "/report", "/api/report",
				      bad[i].form, &r),
				 422);
		json_t *j = reply_json(&r);
		assert_non_null(json_object_get(json_object_get(j, "errors"),
						bad[i].field));
		json_decref(j);
		reply_release(&r);
	}
	/* settings out of range */
	struct reply r;
	assert_int_equal(post(&office, "/report/settings", "/report/settings",
			      "cutoff_day=40&sign_mode=TM.&signer_title=CH%E1"
			      "%BB%A6+T%E1%BB%8ACH&recipients=UBND",
			      &r),
			 422);
	assert_true(reply_has(&r, "Ngày chốt số liệu"));
	assert_true(reply_has(&r, "Lưu: VT"));
	reply_release(&r);
	/* a report of another commune, and no such report */
	assert_int_equal(client_status(&office, "/api/report/999999"), 404);
	assert_int_equal(nreports(&office), before);
	client_release(&office);
}

static void test_cli(void **state)
{
	(void)state;
	char *out = NULL;
	assert_int_equal(server_cli(&srv, &out, "report", "build", "quarterly",
				    "2026", "3", NULL),
			 0);
	long long id = strtoll(out, NULL, 10);
	assert_true(id > 0);
	free(out);
	char ids[32];
	snprintf(ids, sizeof ids, "%lld", id);
	assert_int_equal(server_cli(&srv, &out, "report", "list", NULL), 0);
	assert_non_null(strstr(out, "quarterly\t2026\t3\t"));
	free(out);
	assert_int_equal(server_cli(&srv, &out, "report", "show", ids, NULL),
			 0);
	assert_non_null(strstr(out, "quý III năm 2026"));
	free(out);
	assert_int_equal(server_cli(&srv, &out, "report", "build", "quarterly",
				    "2026", "9", NULL),
			 1);
	free(out);
	assert_int_equal(
		server_cli(&srv, &out, "report", "issue", "999999", NULL), 1);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_issue_keep),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
