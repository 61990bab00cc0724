/* Post-stratification weights of the demo round on a real server: the
 * office imports census margins (a bad file lists every bad row and
 * changes nothing), the weights page shows raked shares equal to the
 * census shares, the round's results change with them; everyone logged in
 * reads, only the office and the chair import; the CLI command. Village
 * margins: filled from the sample frame, bad villages listed, a village
 * without interviews explained. A round with interviews in every village,
 * raked on gender, age group and village: the results pages say so, and
 * every village's indicator estimates, SEs and 95% CIs equal R's
 * (survey::rake, then svyby by village; tests/oracle/rake_village.R). */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "harness.h"
#include "../../src/base/banned.h"

static struct server srv;

static const char good[] = "variable,category,population\n"
			   "gender,male,480\n"
			   "gender,female,520\n"
			   "age_group,18-29,300\n"
			   "age_group,30-39,250\n"
			   "age_group,40-49,200\n"
			   "age_group,50-59,150\n"
			   "age_group,60-70,100\n";

static int setup(void **state)
{
	(void)state;
	server_start(&srv, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

static long get_status(struct client *c, const char *path)
{
	struct reply r;
	if (client_get(c, path, &r))
		fail_msg("GET %s failed", path);
	long s = r.status;
	reply_release(&r);
	return s;
}

static json_t *get_json(struct client *c, const char *path)
{
	struct reply r;
	if (client_get(c, path, &r) || r.status != 200)
		fail_msg("GET %s: %ld", path, r.status);
	json_t *j = reply_json(&r);
	reply_release(&r);
	if (!j)
		fail_msg("GET %s: not JSON", path);
	return j;
}

static long post(struct client *c, const char *path, json_t *body, json_t **out)
{
	struct reply r;
	if (client_get(c, "/index/rounds", &r))
		fail_msg("GET /index/rounds failed");
	reply_release(&r);
	if (client_post_json(c, path, body, &r))
		fail_msg("POST %s failed", path);
	json_decref(body);
	long s = r.status;
	if (out)
		*out = reply_json(&r);
	reply_release(&r);
	return s;
}

static long long demo_round(struct client *c)
{
	json_t *j = get_json(c, "/api/index/rounds");
	long long id = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "rounds"), i, x)
	{
		const char *n = json_string_value(json_object_get(x, "name"));
		if (n && strstr(n, "dữ liệu mẫu"))
			id = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(j);
	if (!id)
		fail_msg("no demo round");
	return id;
}

static double commune_total(struct client *c, long long id)
{
	char path[128];
	snprintf(path, sizeof path, "/api/index/rounds/%lld/results", id);
	json_t *j = get_json(c, path);
	double v = json_real_value(json_object_get(
		json_object_get(json_array_get(json_object_get(j, "units"), 0),
				"total"),
		"raw"));
	json_decref(j);
	return v;
}

/* variables[v].rows[k].field */
static json_t *cell(json_t *j, size_t v, size_t k, const char *field)
{
	return json_object_get(
		json_array_get(
			json_object_get(
				json_array_get(json_object_get(j, "variables"),
					       v),
				"rows"),
			k),
		field);
}

static void test_weights(void **state)
{
	(void)state;
	struct client office, officer, anon;
	client_login_demo(&office, &srv, "vanphong");
	client_login_demo(&officer, &srv, "canbo");
	client_init(&anon, &srv);
	long long id = demo_round(&office);
	char path[256], api[256];
	snprintf(path, sizeof path, "/index/rounds/%lld/weights", id);
	snprintf(api, sizeof api, "/api/index/rounds/%lld/weights", id);

	json_t *j = get_json(&officer, api);
	assert_false(json_is_true(json_object_get(j, "has_margins")));
	assert_int_equal(json_integer_value(json_object_get(j, "interviews")),
			 72);
	assert_true(json_is_null(cell(j, 1, 4, "raked")));
	assert_true(json_is_real(cell(j, 1, 4, "design")));
	json_decref(j);
	double before = commune_total(&officer, id);
	assert_true(isfinite(before));

	/* permissions: everyone logged in reads, the office and the chair
	 * import */
	assert_int_not_equal(get_status(&anon, path), 200);
	char mp[256];
	snprintf(mp, sizeof mp, "/api/index/rounds/%lld/margins", id);
	assert_int_equal(
		post(&officer, mp, json_pack("{s:s}", "csv", good), NULL), 403);

	/* a bad file: every bad row, nothing imported */
	assert_int_equal(post(&office, mp,
			      json_pack("{s:s}", "csv",
					"variable,category,population\n"
					"gender,male,480\ngender,nu,520\n"
					"age_group,18-29,0\n"),
			      &j),
			 422);
	assert_int_equal(
		json_integer_value(json_object_get(j, "nproblems")),
		7); /* 2 rows, gender female and 4 age groups missing */
	json_t *p0 = json_array_get(json_object_get(j, "problems"), 0);
	assert_int_equal(json_integer_value(json_object_get(p0, "line")), 3);
	assert_string_equal(json_string_value(json_object_get(p0, "column")),
			    "category");
	json_decref(j);
	j = get_json(&office, api);
	assert_false(json_is_true(json_object_get(j, "has_margins")));
	json_decref(j);
	/* the page form lists them too */
	struct reply r;
	assert_int_equal(client_get(&office, path, &r), 0);
	reply_release(&r);
	snprintf(mp, sizeof mp, "/index/rounds/%lld/margins", id);
	assert_int_equal(
		client_post(&office, mp,
			    "csv=variable%2Ccategory%2Cpopulation%0Agender%"
			    "2Cmale%2C-5%0A",
			    &r),
		0);
	assert_int_equal(r.status, 422);
	assert_true(reply_has(&r, "Các lỗi trong tệp"));
	assert_true(reply_has(&r, "Dân số phải là số dương"));
	reply_release(&r);

	/* the good file */
	snprintf(mp, sizeof mp, "/api/index/rounds/%lld/margins", id);
	assert_int_equal(
		post(&office, mp, json_pack("{s:s}", "csv", good), NULL), 200);
	j = get_json(&officer, api);
	assert_true(json_is_true(json_object_get(j, "has_margins")));
	assert_true(json_is_true(json_object_get(j, "raked")));
	static const double pop[2][5] = {{.48, .52}, {.3, .25, .2, .15, .1}};
	for (size_t v = 0; v < 2; v++)
		for (size_t k = 0; k < (v ? 5u : 2u); k++) {
			double raked = json_real_value(cell(j, v, k, "raked"));
			double p = json_real_value(cell(j, v, k, "population"));
			assert_true(fabs(p - pop[v][k]) < 1e-12);
			assert_true(fabs(raked - pop[v][k]) < 1e-8);
		}
	json_decref(j);
	double after = commune_total(&officer, id);
	assert_true(isfinite(after));
	assert_true(fabs(after - before) > 1e-9);

	/* the page, for any logged-in user */
	assert_int_equal(client_get(&officer, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Mẫu so với dân số"));
	assert_true(reply_has(&r, "60–70 tuổi"));
	assert_true(reply_has(&r, "52,0"));
	assert_false(reply_has(&r, "Nhập số liệu dân số</button>"));
	reply_release(&r);
	assert_int_equal(client_get(&office, path, &r), 0);
	assert_true(reply_has(&r, "Nhập số liệu dân số</button>"));
	reply_release(&r);
	snprintf(path, sizeof path, "/index/rounds/%lld", id);
	assert_int_equal(client_get(&officer, path, &r), 0);
	assert_true(reply_has(&r, "/weights\">Trọng số</a>"));
	reply_release(&r);

	/* the command: a bad file changes nothing */
	char file[1100], idtxt[32];
	snprintf(file, sizeof file, "%s/margins.csv", srv.dir);
	snprintf(idtxt, sizeof idtxt, "%lld", id);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("variable,category,population\ngender,male,1\n", f);
	fclose(f);
	assert_int_equal(
		server_cli(&srv, NULL, "round", "margins", idtxt, file, NULL),
		1);
	assert_true(fabs(commune_total(&officer, id) - after) < 1e-12);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("variable,category,population\ngender,male,100\n"
	      "gender,female,100\n",
	      f);
	fclose(f);
	assert_int_equal(
		server_cli(&srv, NULL, "round", "margins", idtxt, file, NULL),
		0);
	j = get_json(&officer, api);
	assert_true(fabs(json_real_value(cell(j, 0, 1, "raked")) - .5) < 1e-9);
	assert_true(json_is_null(cell(j, 1, 0, "population")));
	json_decref(j);
	client_release(&office);
	client_release(&officer);
	client_release(&anon);
}

/* ---- villages ---- */

static bool near(double x, double y)
{
	/* raking stops at 1e-10 of the population total (weights.c), R at
	 * 1e-13 on the weights: both far inside 1e-6 */
	return fabs(x - y) <= 1e-6 * fabs(y) + 1e-12;
}

/* A CI bound: relative to the bound or to the half-width, whichever is
 * larger (a bound near 0 is a difference of two close numbers; quantri's
 * 1.959964 and R's qnorm(0.975) differ by 2e-8 of the half-width). */
static bool near_ci(double x, double y, double se)
{
	double scale = fabs(y) > 1.96 * se ? fabs(y) : 1.96 * se;
	return fabs(x - y) <= 1e-6 * scale + 1e-12;
}

static void test_village_margins(void **state)
{
	(void)state;
	struct client office;
	client_login_demo(&office, &srv, "vanphong");
	long long id = demo_round(&office);
	char api[256], mp[256];
	snprintf(api, sizeof api, "/api/index/rounds/%lld/weights?fill=frame",
		 id);
	snprintf(mp, sizeof mp, "/api/index/rounds/%lld/margins", id);
	/* the form filled from the frame: the margins as they are (gender
	 * 100/100 from the last test) and the 6 villages, scaled to 200 */
	json_t *j = get_json(&office, api);
	const char *pre = json_string_value(json_object_get(j, "prefill"));
	assert_non_null(pre);
	assert_non_null(strstr(pre, "gender,male,100\n"));
	assert_non_null(strstr(pre, "village,Thôn 1,"));
	assert_true(json_is_true(json_object_get(j, "prefill_scaled")));
	assert_int_equal(
		json_array_size(json_object_get(
			json_array_get(json_object_get(j, "variables"), 2),
			"rows")),
		6);
	char *csv = strdup(pre);
	json_decref(j);
	/* bad villages: every bad row listed, nothing imported */
	json_t *r;
	assert_int_equal(
		post(&office, mp,
		     json_pack("{s:s}", "csv",
			       "variable,category,population\n"
			       "village,Thôn 1,50\nvillage,Thôn 77,50\n"
			       "village,Thôn 1,50\n"),
		     &r),
		422);
	assert_int_equal(json_integer_value(json_object_get(r, "nproblems")),
			 2 + 5); /* two rows, five villages missing */
	json_decref(r);
	/* the frame's villages: imported; one village has no interview */
	assert_int_equal(
		post(&office, mp, json_pack("{s:s}", "csv", csv), NULL), 200);
	free(csv);
	snprintf(api, sizeof api, "/api/index/rounds/%lld/weights", id);
	j = get_json(&office, api);
	assert_true(json_is_true(json_object_get(j, "has_margins")));
	assert_false(json_is_true(json_object_get(j, "raked")));
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")),
			       "(Thôn)"));
	json_decref(j);
	snprintf(api, sizeof api, "/api/index/rounds/%lld/results", id);
	assert_int_equal(get_status(&office, api), 409);
	/* the page lists the village rows */
	snprintf(api, sizeof api, "/index/rounds/%lld/weights", id);
	struct reply rp;
	assert_int_equal(client_get(&office, api, &rp), 0);
	assert_true(reply_has(&rp, "<h3>Thôn</h3>"));
	assert_true(reply_has(&rp, "Điền dân số các thôn từ khung mẫu"));
	reply_release(&rp);
	/* back to no village margin */
	assert_int_equal(
		post(&office, mp,
		     json_pack("{s:s}", "csv",
			       "variable,category,population\ngender,male,"
			       "100\ngender,female,100\n"),
		     NULL),
		200);
	client_release(&office);
}

/* Writes s to path. */
static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(s, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 22);
	assert_non_null(buf);
	buf[0] = '\n'; /* every row starts after a newline */
	size_t n = fread(buf + 1, 1, (1 << 22) - 2, f);
	buf[n + 1] = '\0';
	fclose(f);
	return buf;
}

static void test_village_oracle(void **state)
{
	(void)state;
	if (system("command -v Rscript >/dev/null 2>&1")) {
		const char *no = getenv("QUANTRI_NO_R");
		if (no && !strcmp(no, "1")) {
			skip();
			return;
		}
		fail_msg("Rscript not found: install r-base-core and "
			 "r-cran-survey, or set QUANTRI_NO_R=1 to skip");
	}
	struct client office;
	client_login_demo(&office, &srv, "vanphong");
	long long demo = demo_round(&office);
	char path[256];
	/* the scope and its six villages */
	snprintf(path, sizeof path, "/api/index/rounds/%lld/weights", demo);
	json_t *j = get_json(&office, path);
	json_t *vrows = json_object_get(
		json_array_get(json_object_get(j, "variables"), 2), "rows");
	assert_int_equal(json_array_size(vrows), 6);
	char vid[6][24];
	for (size_t k = 0; k < 6; k++)
		snprintf(vid[k], sizeof vid[k], "%s",
			 json_string_value(json_object_get(
				 json_array_get(vrows, k), "category")));
	json_decref(j);
	snprintf(path, sizeof path, "/api/index/rounds/%lld/results", demo);
	j = get_json(&office, path);
	long long scope = json_integer_value(
		json_object_get(json_object_get(j, "round"), "scope_id"));
	json_decref(j);
	assert_true(scope > 0);

	/* a new round of the same commune: the demo interviews spread over
	 * all six villages (design weights kept, unequal) */
	char scopetxt[32], file[1100], imp[1100], data[1100], marg[1100],
		out[1100];
	snprintf(scopetxt, sizeof scopetxt, "%lld", scope);
	char *created = NULL;
	assert_int_equal(server_cli(&srv, &created, "round", "create", "--year",
				    "2026", "--name", "Đợt thử trọng số thôn",
				    "--scope", scopetxt, "--catalogue", "2024",
				    NULL),
			 0);
	long long id = strtoll(created, NULL, 10);
	free(created);
	assert_true(id > demo);
	char idtxt[32], demotxt[32];
	snprintf(idtxt, sizeof idtxt, "%lld", id);
	snprintf(demotxt, sizeof demotxt, "%lld", demo);
	snprintf(file, sizeof file, "%s/demo_export.csv", srv.dir);
	snprintf(imp, sizeof imp, "%s/import.csv", srv.dir);
	assert_int_equal(server_cli(&srv, NULL, "interviews", "export", demotxt,
				    file, "--codes", NULL),
			 0);
	char *ex = read_file(file);
	FILE *f = fopen(imp, "w");
	assert_non_null(f);
	int row = -1;
	for (char *line = ex + 1; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *c1 = memchr(line, ',', len); /* id,village,... */
		char *c2 =
			c1 ? memchr(c1 + 1, ',', len - (size_t)(c1 + 1 - line))
			   : NULL;
		assert_non_null(c2);
		if (row < 0)
			fprintf(f, "%.*s\n", (int)len, line);
		else
			fprintf(f, "%.*s,%s%.*s\n", (int)(c1 - line), line,
				vid[row % 6], (int)(len - (size_t)(c2 - line)),
				c2);
		row++;
		line += len + (nl != NULL);
	}
	assert_int_equal(fclose(f), 0);
	free(ex);
	assert_int_equal(row, 72);
	assert_int_equal(server_cli(&srv, NULL, "interviews", "import", idtxt,
				    imp, NULL),
			 0);

	/* margins on gender, age group and village (names and ids) */
	static const double vpop[6] = {200, 180, 170, 160, 150, 140};
	char *m = malloc(4096);
	assert_non_null(m);
	int n = snprintf(m, 4096, "%s", good);
	for (int k = 0; k < 6; k++)
		n += snprintf(m + n, 4096 - (size_t)n, "village,%s,%.0f\n",
			      vid[k], vpop[k]);
	snprintf(marg, sizeof marg, "%s/margins_village.csv", srv.dir);
	write_file(marg, m);
	char mp[256];
	snprintf(mp, sizeof mp, "/api/index/rounds/%lld/margins", id);
	assert_int_equal(post(&office, mp, json_pack("{s:s}", "csv", m), NULL),
			 200);
	free(m);
	snprintf(path, sizeof path, "/api/index/rounds/%lld/weights", id);
	j = get_json(&office, path);
	assert_true(json_is_true(json_object_get(j, "raked")));
	for (size_t k = 0; k < 6; k++) {
		assert_true(fabs(json_real_value(cell(j, 2, k, "raked")) -
				 vpop[k] / 1000) < 1e-8);
		assert_true(fabs(json_real_value(cell(j, 2, k, "population")) -
				 vpop[k] / 1000) < 1e-12);
		assert_int_equal(json_integer_value(cell(j, 2, k, "n")), 12);
	}
	json_decref(j);

	/* the results say they are raked, and on what */
	snprintf(path, sizeof path, "/api/index/rounds/%lld/results", id);
	json_t *res = get_json(&office, path);
	assert_true(json_is_true(json_object_get(res, "raked")));
	json_t *on = json_object_get(res, "raked_on");
	assert_int_equal(json_array_size(on), 3);
	assert_string_equal(json_string_value(json_array_get(on, 0)), "gender");
	assert_string_equal(json_string_value(json_array_get(on, 1)),
			    "age_group");
	assert_string_equal(json_string_value(json_array_get(on, 2)),
			    "village");
	json_t *units = json_object_get(res, "units");
	assert_int_equal(json_array_size(units), 7);
	const char *pages[] = {"results", "results/D1", "results/weakest"};
	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof path, "/index/rounds/%lld/%s", id,
			 pages[k]);
		struct reply rp;
		assert_int_equal(client_get(&office, path, &rp), 0);
		assert_int_equal(rp.status, 200);
		assert_true(reply_has(&rp, "Ước lượng dùng trọng số đã hiệu "
					   "chỉnh theo số liệu dân số (giới "
					   "tính, nhóm tuổi, thôn)"));
		char link[128];
		snprintf(link, sizeof link,
			 "<a href=\"/index/rounds/%lld/weights\">", id);
		assert_true(reply_has(&rp, link));
		reply_release(&rp);
	}

	/* R on the export of the round with the same margins */
	snprintf(data, sizeof data, "%s/round_export.csv", srv.dir);
	snprintf(out, sizeof out, "%s/r_village.csv", srv.dir);
	assert_int_equal(server_cli(&srv, NULL, "interviews", "export", idtxt,
				    data, NULL),
			 0);
	char *dt = read_file(data);
	char *vars = malloc(1 << 16);
	assert_non_null(vars);
	vars[0] = '\0';
	size_t vl = 0;
	for (char *h = dt + 1; *h && *h != '\n' && *h != '\r';) {
		size_t len = strcspn(h, ",\r\n");
		if (*h == 'q')
			vl += (size_t)snprintf(vars + vl, (1 << 16) - vl,
					       "%s%.*s", vl ? "," : "",
					       (int)len, h);
		h += len + (h[len] == ',');
	}
	char *cmd = malloc(1 << 17);
	assert_non_null(cmd);
	const char *src = __FILE__, *cut = strstr(src, "/http/test_weights.c");
	assert_non_null(cut);
	snprintf(cmd, 1 << 17,
		 "Rscript '%.*s/oracle/rake_village.R' '%s' '%s' '%s' '%s'",
		 (int)(cut - src), src, data, marg, out, vars);
	assert_int_equal(system(cmd), 0);
	char *rout = read_file(out);

	/* every village's single-question indicators: estimate, SE, CI */
	int compared = 0, villages_seen = 0;
	for (int d = 1; d <= 8; d++) {
		snprintf(path, sizeof path,
			 "/api/index/rounds/%lld/results/D%d", id, d);
		json_t *dj = get_json(&office, path);
		size_t si, ii, ui;
		json_t *sub, *ind, *v;
		json_array_foreach(json_object_get(dj, "subs"), si, sub)
		{
			json_array_foreach(json_object_get(sub, "indicators"),
					   ii, ind)
			{
				char col[64];
				snprintf(col, sizeof col, "q%s",
					 json_string_value(
						 json_object_get(ind, "code")));
				for (char *p = col; *p; p++)
					*p = *p == '.' ? '_' : *p;
				char hk[80];
				snprintf(hk, sizeof hk, ",%s,", col);
				char hk2[80];
				snprintf(hk2, sizeof hk2, ",%s\r", col);
				if (!strstr(dt, hk) && !strstr(dt, hk2))
					continue;
				json_array_foreach(json_object_get(ind, "per"),
						   ui, v)
				{
					if (!json_is_true(
						    json_object_get(v, "ok")))
						continue;
					long long uid = json_integer_value(
						json_object_get(
							json_array_get(units,
								       ui + 1),
							"id"));
					char key[128];
					snprintf(key, sizeof key, "\n%lld,%s,",
						 uid, col);
					const char *p = strstr(rout, key);
					if (!p)
						fail_msg("R has no %s for "
							 "village %lld",
							 col, uid);
					p += strlen(key);
					char *end;
					long rn = strtol(p, &end, 10);
					double est = strtod(end + 1, &end);
					double se = strtod(end + 1, &end);
					double lo = strtod(end + 1, &end);
					double hi = strtod(end + 1, &end);
					assert_int_equal(
						json_integer_value(
							json_object_get(v,
									"n")),
						rn);
					double qe = json_real_value(
						json_object_get(v, "raw"));
					double qs = json_real_value(
						json_object_get(v, "se_raw"));
					double ql =
						json_real_value(json_object_get(
							v, "ci_low_raw"));
					double qh =
						json_real_value(json_object_get(
							v, "ci_high_raw"));
					if (!near(qe, est) || !near(qs, se) ||
					    !near_ci(ql, lo, se) ||
					    !near_ci(qh, hi, se))
						fail_msg(
							"%s village %lld: "
							"quantri %.12g (se "
							"%.12g, %.12g..%.12g), "
							"R %.12g (se %.12g, "
							"%.12g..%.12g)",
							col, uid, qe, qs, ql,
							qh, est, se, lo, hi);
					compared++;
					villages_seen |= 1 << ui;
				}
			}
		}
		json_decref(dj);
	}
	assert_true(compared > 200);
	assert_int_equal(villages_seen, 0x3f); /* all six villages */
	free(rout);
	free(cmd);
	free(vars);
	free(dt);
	json_decref(res);
	client_release(&office);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_village_margins),
		cmocka_unit_test(test_village_oracle),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
