/* voice/ staff pages through a real `quantri serve` on the demo database:
 * every staff route tried as every demo role and as nobody (the role
 * table of voice.h, and the finer checks: a unit head sees its unit's
 * cases only, an officer the cases they handle, a denouncer's identity
 * the chair and the handler only, each view audited); then a case keyed
 * in from paper with a photo, the similar cases shown before saving,
 * accepted, assigned, answered from a template, sent back with a note,
 * approved and published; the list's filters combined; an extension; a
 * merge followed by the citizen's own code; and the statistics. */
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
	static const char *const env[] = {"QUANTRI_DEMO_ROUND=0", NULL};
	server_start(&srv, env);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* A 1x1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
	0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* POST as multipart/form-data like the phone form: fields (name, value
 * pairs, NULL-terminated), and the PNG as "files" when photo. */
static long mpost(struct client *c, const char *path, const char *const *fields,
		  bool photo, struct reply *out)
{
	static const char b[] = "qtVoiceBoundary4f2a";
	size_t cap = 8192 + sizeof png;
	for (int i = 0; fields[i]; i += 2)
		cap += strlen(fields[i]) + strlen(fields[i + 1]) + 128;
	char *body = malloc(cap);
	size_t n = (size_t)snprintf(body, cap,
				    "--%s\r\nContent-Disposition: form-data; "
				    "name=\"csrf_token\"\r\n\r\n%s\r\n",
				    b, c->csrf);
	for (int i = 0; fields[i]; i += 2)
		n += (size_t)snprintf(body + n, cap - n,
				      "--%s\r\nContent-Disposition: form-data; "
				      "name=\"%s\"\r\n\r\n%s\r\n",
				      b, fields[i], fields[i + 1]);
	if (photo) {
		n += (size_t)snprintf(body + n, cap - n,
				      "--%s\r\nContent-Disposition: form-data; "
				      "name=\"files\"; filename=\"anh.png\"\r\n"
				      "Content-Type: image/png\r\n\r\n",
				      b);
		memcpy(body + n, png, sizeof png);
		n += sizeof png;
		n += (size_t)snprintf(body + n, cap - n, "\r\n");
	}
	n += (size_t)snprintf(body + n, cap - n, "--%s--\r\n", b);
	char ct[100];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	struct reply r;
	if (client_request(c, "POST", path, ct, body, n, &r))
		fail_msg("POST %s: no reply", path);
	free(body);
	long s = r.status;
	if (out)
		*out = r;
	else
		reply_release(&r);
	return s;
}

/* urlencoded POST; the reply's status. */
static long post(struct client *c, const char *path, const char *body)
{
	struct reply r;
	if (client_post(c, path, body, &r))
		fail_msg("POST %s: no reply", path);
	long s = r.status;
	reply_release(&r);
	return s;
}

/* POST under /api/ expecting 200 or 201; the JSON. */
static json_t *post_ok(struct client *c, const char *path, const char *body)
{
	struct reply r;
	if (client_post(c, path, body, &r))
		fail_msg("POST %s: no reply", path);
	if (r.status != 200 && r.status != 201)
		fail_msg("POST %s (%s): %ld %s", path, body, r.status,
			 r.body ? r.body : "");
	json_t *j = reply_json(&r);
	reply_release(&r);
	if (!j)
		fail_msg("POST %s: not JSON", path);
	return j;
}

/* The ids the forms offer, by name, from the list page's selects. */
struct places {
	long long thon1, thon2, thon3, tu_phap, dia_chinh, topic_ha_tang,
		topic_can_bo, topic_dat_dai, canbo_id;
};

static long long id_named(json_t *list, const char *key, const char *name)
{
	size_t i;
	json_t *x;
	json_array_foreach(
		list, i, x) if (!strcmp(str(x, key), name)) return num(x, "id");
	fail_msg("no \"%s\" in the list", name);
	return 0;
}

static void places(struct client *office, struct places *p)
{
	json_t *j = client_get_json(office, "/api/voice");
	json_t *v = json_object_get(j, "villages"),
	       *u = json_object_get(j, "units"),
	       *t = json_object_get(j, "topics");
	p->thon1 = id_named(v, "name", "Thôn 1");
	p->thon2 = id_named(v, "name", "Thôn 2");
	p->thon3 = id_named(v, "name", "Thôn 3");
	p->tu_phap = id_named(u, "name", "Tư pháp – Hộ tịch");
	p->dia_chinh = id_named(u, "name", "Địa chính – Xây dựng – Môi trường");
	p->topic_ha_tang = id_named(t, "code", "ha_tang");
	p->topic_can_bo = id_named(t, "code", "can_bo");
	p->topic_dat_dai = id_named(t, "code", "dat_dai");
	json_decref(j);
	j = client_get_json(office, "/api/account");
	json_decref(j);
	/* the officer's id, from the user list */
	j = client_get_json(office, "/api/people/users?q=canbo");
	json_t *users = json_object_get(j, "users");
	p->canbo_id = 0;
	size_t i;
	json_t *x;
	json_array_foreach(users, i,
			   x) if (!strcmp(str(x, "username"), "canbo"))
		p->canbo_id = num(x, "id");
	json_decref(j);
	if (!p->canbo_id)
		fail_msg("no user canbo in /api/people/users");
}

/* A case keyed in by the office through the API; its id. secret: the
 * citizen's secret, copied when not NULL. */
static long long new_case(struct client *office, const char *const *fields,
			  bool photo, char *code, char *secret)
{
	struct reply r;
	long s = mpost(office, "/api/voice/new", fields, photo, &r);
	if (s != 201)
		fail_msg("new case: %ld %s", s, r.body ? r.body : "");
	json_t *j = reply_json(&r);
	reply_release(&r);
	long long id = num(j, "id");
	if (code)
		snprintf(code, 16, "%s", str(j, "code"));
	if (secret)
		snprintf(secret, 16, "%s", str(j, "secret"));
	assert_int_equal(strlen(str(j, "code")), 10);
	assert_int_equal(strlen(str(j, "secret")), 10);
	json_decref(j);
	return id;
}

static const char *fmt(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, n, f, ap);
	va_end(ap);
	return buf;
}

/* ---- every route x every role ---- */

static const char *const users[] = {
	"chutich", "phochutich", "vanphong", "truongbp",   "canbo",
	"mttq",    "bantt",      "tinh",     "truongthon", "dieutra"};
enum { NUSERS = sizeof users / sizeof *users, NCLIENTS = NUSERS + 1 };
/* REFUSED: for nobody, 303 to /login (pages), 401 (API) or 403 */
enum { REFUSED = -1 };

struct expect {
	const char *method, *path, *body;
	/* in the order of users[], then nobody */
	long want[NCLIENTS];
};

static int mismatches;
static char report[32 * 1024];
static size_t report_len;

static void mismatch(const char *fmt_, ...)
{
	va_list ap;
	mismatches++;
	if (report_len + 300 >= sizeof report)
		return;
	va_start(ap, fmt_);
	int n = vsnprintf(report + report_len, sizeof report - report_len, fmt_,
			  ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof report - report_len - 1) {
		report_len += (size_t)n;
		report[report_len++] = '\n';
		report[report_len] = 0;
	}
}

static void check(struct client *c, const char *who, const struct expect *x,
		  long want)
{
	struct reply r;
	int fail =
		!strcmp(x->method, "GET")
			? client_get(c, x->path, &r)
			: client_post(c, x->path, x->body ? x->body : "", &r);
	if (fail) {
		mismatch("%s %s as %s: no reply", x->method, x->path, who);
		return;
	}
	bool ok;
	if (want == REFUSED)
		ok = r.status == 401 || r.status == 403 ||
		     (r.status == 303 && strstr(r.location, "/login"));
	else
		ok = r.status == want;
	if (!ok)
		mismatch("%s %s as %s: %ld, want %ld (%.200s)", x->method,
			 x->path, who, r.status, want, r.body ? r.body : "");
	reply_release(&r);
}

static void test_routes_by_role(void **state)
{
	(void)state;
	struct client office;
	client_login_demo(&office, &srv, "vanphong");
	struct places p;
	places(&office, &p);
	char b1[64], b2[64], b4[300];
	/* A: a feedback given to Tư pháp (truongbp's unit) */
	const char *fa[] = {
		"case_type",  "feedback",
		"channel",    "paper",
		"topic_id",   fmt(b1, sizeof b1, "%lld", p.topic_ha_tang),
		"village_id", fmt(b2, sizeof b2, "%lld", p.thon1),
		"title",      "Đèn đường Thôn 1 hỏng",
		"body",       "Ba bóng đèn đường ở Thôn 1 hỏng đã lâu",
		NULL};
	long long a = new_case(&office, fa, false, NULL, NULL);
	char path[200];
	json_decref(post_ok(&office,
			    fmt(path, sizeof path, "/api/voice/%lld/act", a),
			    "kind=accept"));
	json_decref(post_ok(
		&office, fmt(path, sizeof path, "/api/voice/%lld/act", a),
		fmt(b4, sizeof b4, "kind=assign&unit_id=%lld", p.tu_phap)));
	/* B: a denunciation handled by canbo of Địa chính */
	const char *fb[] = {"case_type",
			    "denunciation",
			    "channel",
			    "phone",
			    "topic_id",
			    fmt(b1, sizeof b1, "%lld", p.topic_can_bo),
			    "village_id",
			    fmt(b2, sizeof b2, "%lld", p.thon2),
			    "title",
			    "Tố cáo thu tiền sai quy định",
			    "body",
			    "Cán bộ thu tiền làm sổ đỏ không có biên lai",
			    "citizen_name",
			    "Người Tố Cáo Bí Mật",
			    "citizen_phone",
			    "0912345678",
			    "citizen_address",
			    "Xóm Giữa, Thôn 2",
			    NULL};
	long long bcase = new_case(&office, fb, false, NULL, NULL);
	json_decref(post_ok(
		&office, fmt(path, sizeof path, "/api/voice/%lld/act", bcase),
		"kind=accept"));
	json_decref(post_ok(
		&office, fmt(path, sizeof path, "/api/voice/%lld/act", bcase),
		fmt(b4, sizeof b4, "kind=assign&unit_id=%lld&handler_id=%lld",
		    p.dia_chinh, p.canbo_id)));
	/* C: a complaint just received */
	const char *fc[] = {"case_type",
			    "complaint",
			    "channel",
			    "reception",
			    "topic_id",
			    fmt(b1, sizeof b1, "%lld", p.topic_dat_dai),
			    "village_id",
			    fmt(b2, sizeof b2, "%lld", p.thon3),
			    "body",
			    "Khiếu nại quyết định thu hồi đất của xã",
			    "citizen_name",
			    "Lê Văn Khiếu",
			    "citizen_phone",
			    "0987654321",
			    NULL};
	long long cc = new_case(&office, fc, false, NULL, NULL);
	/* a reception session */
	json_t *j = post_ok(&office, "/api/voice/reception",
			    "kind=adhoc&held_on=03/12/2026&place=Nh%C3%A0+"
			    "v%C4%83n+h%C3%B3a+Th%C3%B4n+1");
	long long sess = json_integer_value(
		json_array_get(json_object_get(j, "ids"), 0));
	json_decref(j);
	assert_true(sess > 0);
	client_release(&office);

	static char pa[64], pb[64], pc[64], pas[64], pae[64], pam[64], pan[64],
		pap[64], pbi[64], pci[64], pbs[64], pr[64], prv[64], pac[64],
		pad[64], pai[64];
	snprintf(pa, sizeof pa, "/voice/%lld", a);
	snprintf(pai, sizeof pai, "/api/voice/%lld", a);
	snprintf(pb, sizeof pb, "/voice/%lld", bcase);
	snprintf(pc, sizeof pc, "/voice/%lld", cc);
	snprintf(pac, sizeof pac, "/voice/%lld/act", a);
	snprintf(pad, sizeof pad, "/voice/%lld/act", a);
	snprintf(pae, sizeof pae, "/voice/%lld/extend", a);
	snprintf(pam, sizeof pam, "/voice/%lld/merge", a);
	snprintf(pan, sizeof pan, "/voice/%lld/answer", a);
	snprintf(pap, sizeof pap, "/voice/%lld/publish", a);
	snprintf(pbi, sizeof pbi, "/voice/%lld/identity", bcase);
	snprintf(pci, sizeof pci, "/voice/%lld/identity", cc);
	snprintf(pas, sizeof pas,
		 "/voice/similar?village_id=%lld&topic_id=%lld", p.thon1,
		 p.topic_ha_tang);
	snprintf(pbs, sizeof pbs, "/voice/reception/%lld", sess);
	snprintf(pr, sizeof pr, "/voice/reception/%lld/visits", sess);
	snprintf(prv, sizeof prv, "/voice/answers/%d/review", 987654);
	const long R = REFUSED;
	/* users: chutich phochutich vanphong truongbp canbo mttq bantt tinh
	 * truongthon dieutra, nobody */
	const struct expect table[] = {
		{"GET",
		 "/voice",
		 NULL,
		 {200, 200, 200, 200, 200, 303, 303, 303, 403, 403, R}},
		{"GET",
		 "/api/voice",
		 NULL,
		 {200, 200, 200, 200, 200, 303, 303, 303, 403, 403, R}},
		{"GET",
		 "/voice/new",
		 NULL,
		 {403, 403, 200, 403, 403, 403, 403, 403, 403, 403, R}},
		{"GET",
		 pas,
		 NULL,
		 {200, 200, 200, 200, 200, 403, 403, 403, 403, 403, R}},
		{"GET",
		 "/voice/stats",
		 NULL,
		 {200, 200, 200, 200, 200, 200, 200, 200, 403, 403, R}},
		{"GET",
		 "/api/voice/stats",
		 NULL,
		 {200, 200, 200, 200, 200, 200, 200, 200, 403, 403, R}},
		/* a unit head sees its unit's case; an officer only theirs */
		{"GET",
		 pa,
		 NULL,
		 {200, 200, 200, 200, 404, 403, 403, 403, 403, 403, R}},
		{"GET",
		 pai,
		 NULL,
		 {200, 200, 200, 200, 404, 403, 403, 403, 403, 403, R}},
		{"GET",
		 pb,
		 NULL,
		 {200, 200, 200, 404, 200, 403, 403, 403, 403, 403, R}},
		{"GET",
		 pc,
		 NULL,
		 {200, 200, 200, 404, 404, 403, 403, 403, 403, 403, R}},
		/* accept an assigned case: the office only, and it is too
		 * late (409) */
		{"POST",
		 pac,
		 "kind=accept",
		 {403, 403, 409, 403, 404, 403, 403, 403, 403, 403, R}},
		/* a dialogue is for complaints: the handler is let through,
		 * the move refused */
		{"POST",
		 pad,
		 "kind=dialogue",
		 {403, 403, 403, 409, 404, 403, 403, 403, 403, 403, R}},
		{"POST",
		 pae,
		 "days=0",
		 {403, 403, 422, 403, 403, 403, 403, 403, 403, 403, R}},
		{"POST",
		 pam,
		 "into=",
		 {403, 403, 422, 403, 403, 403, 403, 403, 403, 403, R}},
		{"POST",
		 pan,
		 "body=",
		 {403, 403, 403, 422, 404, 403, 403, 403, 403, 403, R}},
		{"POST",
		 prv,
		 "decision=approve",
		 {404, 404, 403, 403, 403, 403, 403, 403, 403, 403, R}},
		{"POST",
		 pap,
		 "published=1",
		 {403, 403, 409, 403, 403, 403, 403, 403, 403, 403, R}},
		/* the identity: the chair and the handler; everybody else 403 */
		{"POST",
		 pbi,
		 "",
		 {200, 403, 403, 403, 200, 403, 403, 403, 403, 403, R}},
		{"POST",
		 pci,
		 "",
		 {403, 403, 403, 403, 403, 403, 403, 403, 403, 403, R}},
		{"GET",
		 "/voice/reception",
		 NULL,
		 {200, 200, 200, 200, 200, 403, 403, 403, 403, 403, R}},
		{"POST",
		 "/voice/reception",
		 "kind=adhoc&held_on=",
		 {403, 403, 422, 403, 403, 403, 403, 403, 403, 403, R}},
		{"GET",
		 pbs,
		 NULL,
		 {200, 200, 200, 200, 200, 403, 403, 403, 403, 403, R}},
		{"POST",
		 pr,
		 "visitor_name=",
		 {422, 422, 422, 403, 403, 403, 403, 403, 403, 403, R}},
		{"GET",
		 "/citizen/reception",
		 NULL,
		 {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
		{"GET",
		 "/api/citizen/reception",
		 NULL,
		 {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}},
	};
	static struct client clients[NCLIENTS];
	for (int k = 0; k < NUSERS; k++)
		client_login_demo(&clients[k], &srv, users[k]);
	client_init(&clients[NUSERS], &srv);
	struct reply r;
	if (!client_get(&clients[NUSERS], "/citizen/reception", &r))
		reply_release(&r);
	int checks = 0;
	for (size_t t = 0; t < sizeof table / sizeof *table; t++)
		for (int k = 0; k < NCLIENTS; k++) {
			check(&clients[k], k < NUSERS ? users[k] : "nobody",
			      &table[t], table[t].want[k]);
			checks++;
		}
	print_message("voice: %zu routes x %d roles, %d checks, %d "
		      "mismatches\n",
		      sizeof table / sizeof *table, NCLIENTS, checks,
		      mismatches);

	/* the identity is never on the page until asked, and each view is
	 * in the audit log */
	struct reply pg;
	assert_int_equal(client_get(&clients[0], pb, &pg), 0);
	assert_true(reply_has(&pg, "Danh tính người tố cáo được bảo mật"));
	assert_false(reply_has(&pg, "Người Tố Cáo Bí Mật"));
	reply_release(&pg);
	assert_int_equal(client_post(&clients[0], pbi, "", &pg), 0);
	assert_int_equal(pg.status, 200);
	assert_true(reply_has(&pg, "Người Tố Cáo Bí Mật"));
	reply_release(&pg);
	j = client_get_json(&clients[0], "/api/people/audit?entity=case");
	int views = 0;
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(j, "rows"), i, row) views +=
		!strcmp(str(row, "action"), "case.identity_view") &&
		strtoll(str(row, "entity_id"), NULL, 10) == bcase;
	json_decref(j);
	/* chutich and canbo in the table, chutich once more here */
	assert_int_equal(views, 3);
	/* never in a list */
	assert_int_equal(client_get(&clients[0], "/api/voice?q=bi+mat", &pg),
			 0);
	assert_false(reply_has(&pg, "Người Tố Cáo Bí Mật"));
	reply_release(&pg);

	for (int k = 0; k < NCLIENTS; k++)
		client_release(&clients[k]);
	if (mismatches)
		fail_msg("%d mismatches:\n%s", mismatches, report);
}

/* ---- a case from paper to a published answer ---- */

static void test_workflow(void **state)
{
	(void)state;
	struct client office, head, chair;
	client_login_demo(&office, &srv, "vanphong");
	client_login_demo(&head, &srv, "truongbp");
	client_login_demo(&chair, &srv, "chutich");
	struct places p;
	places(&office, &p);
	char b1[64], b2[64], b4[300], path[200];
	fmt(b1, sizeof b1, "%lld", p.topic_ha_tang);
	fmt(b2, sizeof b2, "%lld", p.thon3);

	/* a first one, then a second like it: "check" shows the first */
	const char *f1[] = {"case_type",
			    "petition",
			    "channel",
			    "meeting",
			    "topic_id",
			    b1,
			    "village_id",
			    b2,
			    "title",
			    "Cống thoát nước Thôn 3 tắc",
			    "body",
			    "Cống thoát nước đầu Thôn 3 bị tắc, mưa là "
			    "ngập đường",
			    "received_on",
			    "20/11/2026",
			    NULL};
	char code1[16], secret1[16];
	long long c1 = new_case(&office, f1, true, code1, secret1);
	const char *f2[] = {
		"case_type",  "feedback",
		"channel",    "paper",
		"topic_id",   b1,
		"village_id", b2,
		"title",      "Ngập đường do cống tắc",
		"body",       "Cống thoát nuoc Thôn 3 tắc, nước ngập",
		"check",      "1",
		NULL};
	struct reply r;
	assert_int_equal(mpost(&office, "/voice/new", f2, false, &r), 200);
	assert_true(reply_has(&r, "Hồ sơ tương tự đang giải quyết"));
	assert_true(reply_has(&r, code1));
	reply_release(&r);
	/* the JSON twin of the similar list */
	json_t *j = client_get_json(
		&office, fmt(path, sizeof path,
			     "/api/voice/similar?village_id=%lld&topic_id="
			     "%lld&text=cong+thoat+nuoc",
			     p.thon3, p.topic_ha_tang));
	assert_true(json_array_size(json_object_get(j, "similar")) >= 1);
	assert_string_equal(
		str(json_array_get(json_object_get(j, "similar"), 0), "code"),
		code1);
	json_decref(j);
	/* the portal needs its id */
	const char *f3[] = {"case_type",  "feedback",
			    "channel",    "portal",
			    "topic_id",   b1,
			    "village_id", b2,
			    "body",       "Đường vào Thôn 3 nhiều ổ gà",
			    NULL};
	assert_int_equal(mpost(&office, "/api/voice/new", f3, false, NULL),
			 422);
	assert_int_equal(mpost(&office, "/voice/new", f3, false, &r), 422);
	assert_true(reply_has(&r, "field-error"));
	reply_release(&r);
	/* the page's receipt shows code and secret once */
	const char *f4[] = {
		"case_type",  "feedback",
		"channel",    "portal",
		"portal_id",  "G22.99-261127-0001",
		"topic_id",   b1,
		"village_id", b2,
		"title",      "Ngập đường do cống tắc",
		"body",       "Cống thoát nước Thôn 3 tắc, nước ngập",
		NULL};
	assert_int_equal(mpost(&office, "/voice/new", f4, false, &r), 201);
	assert_true(reply_has(&r, "Mã bí mật"));
	assert_true(reply_has(&r, "PHIẾU TIẾP NHẬN"));
	reply_release(&r);

	/* the case page: the clock, the photo, the steps for the office */
	j = client_get_json(&office,
			    fmt(path, sizeof path, "/api/voice/%lld", c1));
	json_t *cj = json_object_get(j, "case");
	assert_string_equal(str(cj, "status"), "received");
	assert_int_equal(json_array_size(json_object_get(cj, "files")), 1);
	assert_true(json_is_true(
		json_object_get(json_object_get(j, "actions"), "accept")));
	/* received: the classification clock (5 working days) runs */
	assert_string_equal(str(json_object_get(j, "clock"), "step"),
			    "classify");
	assert_true(*str(json_object_get(j, "clock"), "legal_basis"));
	json_decref(j);

	/* accept, assign to Tư pháp */
	fmt(path, sizeof path, "/api/voice/%lld/act", c1);
	json_decref(post_ok(&office, path, "kind=accept&on=21%2F11%2F2026"));
	assert_int_equal(post(&office, path, "kind=assign&unit_id=abc"), 422);
	json_decref(post_ok(
		&office, path,
		fmt(b4, sizeof b4, "kind=assign&unit_id=%lld", p.tu_phap)));
	/* the unit head's list holds it; an officer's does not */
	j = client_get_json(&head, "/api/voice?q=cong+thoat");
	bool found = false;
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(j, "cases"), i, row) found |=
		num(row, "id") == c1;
	json_decref(j);
	assert_true(found);

	/* the template, filled */
	j = client_get_json(&head, fmt(path, sizeof path,
				       "/api/voice/%lld?template=%d", c1, 2));
	assert_true(json_is_true(
		json_object_get(json_object_get(j, "actions"), "draft")));
	const char *draft = str(j, "draft");
	assert_non_null(strstr(draft, "Tư pháp – Hộ tịch"));
	assert_null(strstr(draft, "{don_vi}"));
	json_decref(j);
	/* drafted, submitted; the chair sends it back with a note */
	fmt(path, sizeof path, "/api/voice/%lld/answer", c1);
	assert_int_equal(post(&head, path, "body=&submit=1"), 422);
	j = post_ok(&head, path,
		    "body=%C4%90%C3%A3+th%C3%B4ng+c%E1%BB%91ng&submit=1");
	long long ans1 = num(j, "answer_id");
	json_decref(j);
	fmt(path, sizeof path, "/api/voice/answers/%lld/review", ans1);
	assert_int_equal(post(&chair, path, "decision=return&note="), 422);
	json_decref(
		post_ok(&chair, path,
			fmt(b4, sizeof b4,
			    "decision=return&case_id=%lld&note=Ghi+r%%C3%%B5+"
			    "ng%%C3%%A0y+ho%%C3%%A0n+th%%C3%%A0nh",
			    c1)));
	/* the unit sees why, and answers again with a file */
	struct reply pg;
	assert_int_equal(client_get(&head,
				    fmt(path, sizeof path, "/voice/%lld", c1),
				    &pg),
			 0);
	assert_true(reply_has(&pg, "Lãnh đạo trả lại"));
	assert_true(reply_has(&pg, "Ghi rõ ngày hoàn thành"));
	reply_release(&pg);
	const char *fa[] = {"body", "Đã thông cống xong ngày 25/11/2026.",
			    "submit", "1", NULL};
	assert_int_equal(
		mpost(&head,
		      fmt(path, sizeof path, "/api/voice/%lld/answer", c1), fa,
		      true, &r),
		200);
	j = reply_json(&r);
	long long ans2 = num(j, "answer_id");
	json_decref(j);
	reply_release(&r);
	assert_true(ans2 != ans1);
	/* a vice chair approves */
	struct client vice;
	client_login_demo(&vice, &srv, "phochutich");
	fmt(path, sizeof path, "/voice/answers/%lld/review", ans2);
	assert_int_equal(
		post(&vice, path,
		     fmt(b4, sizeof b4, "decision=approve&case_id=%lld", c1)),
		303);
	client_release(&vice);
	j = client_get_json(&office,
			    fmt(path, sizeof path, "/api/voice/%lld", c1));
	assert_string_equal(str(json_object_get(j, "case"), "status"),
			    "answered");
	assert_true(json_is_true(
		json_object_get(json_object_get(j, "actions"), "publish")));
	json_decref(j);
	/* published; the files: staff who see the case read them, others
	 * get the same 404 as for no file (citizens read an approved
	 * answer's files through the citizen pages) */
	json_decref(post_ok(
		&office, fmt(path, sizeof path, "/api/voice/%lld/publish", c1),
		"published=1"));
	j = client_get_json(&office,
			    fmt(path, sizeof path, "/api/voice/%lld", c1));
	json_t *answers =
		json_object_get(json_object_get(j, "case"), "answers");
	const char *url = NULL;
	json_array_foreach(answers, i, row) if (num(row, "id") == ans2) url =
		str(json_array_get(json_object_get(row, "files"), 0), "url");
	assert_non_null(url);
	char answer_url[200], photo_url[200];
	snprintf(answer_url, sizeof answer_url, "%s", url);
	snprintf(photo_url, sizeof photo_url, "%s",
		 str(json_array_get(json_object_get(json_object_get(j, "case"),
						    "files"),
				    0),
		     "url"));
	json_decref(j);
	assert_true(*photo_url);
	struct client front;
	client_login_demo(&front, &srv, "mttq");
	assert_int_equal(client_get(&head, answer_url, &r), 0);
	assert_int_equal(r.status, 200);
	reply_release(&r);
	assert_int_equal(client_get(&chair, photo_url, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "image/png");
	reply_release(&r);
	assert_int_equal(client_get(&front, photo_url, &r), 0);
	assert_int_equal(r.status, 404);
	reply_release(&r);
	client_release(&front);
	json_decref(post_ok(&office,
			    fmt(path, sizeof path, "/api/voice/%lld/act", c1),
			    "kind=close"));

	client_release(&office);
	client_release(&head);
	client_release(&chair);
}

/* ---- the list's filters, an extension, a merge, statistics ---- */

static void test_list_extend_merge(void **state)
{
	(void)state;
	struct client office;
	client_login_demo(&office, &srv, "vanphong");
	struct places p;
	places(&office, &p);
	char b1[64], b2[64], b3[64], path[300];
	fmt(b1, sizeof b1, "%lld", p.topic_dat_dai);
	fmt(b2, sizeof b2, "%lld", p.thon2);
	fmt(b3, sizeof b3, "%lld", p.thon1);
	/* received long ago: overdue now */
	const char *fo[] = {"case_type",
			    "complaint",
			    "channel",
			    "paper",
			    "topic_id",
			    b1,
			    "village_id",
			    b2,
			    "title",
			    "Khiếu nại đền bù ruộng Đồng Xa",
			    "body",
			    "Khiếu nại mức đền bù khi thu hồi ruộng",
			    "citizen_name",
			    "Phạm Văn Đền",
			    "citizen_phone",
			    "0911222333",
			    "received_on",
			    "01/09/2026",
			    NULL};
	long long old = new_case(&office, fo, false, NULL, NULL);
	/* received today, another village */
	const char *fn[] = {
		"case_type",  "feedback",
		"channel",    "phone",
		"topic_id",   b1,
		"village_id", b3,
		"title",      "Lấn chiếm đất công Đồng Xa",
		"body",       "Hộ dân xây tường lấn đất công ở Đồng Xa",
		NULL};
	char code_new[16], secret_new[16];
	long long fresh = new_case(&office, fn, false, code_new, secret_new);

	/* search without diacritics, then combined filters */
	json_t *j = client_get_json(&office, "/api/voice?q=dong+xa");
	assert_int_equal(num(j, "total"), 2);
	json_decref(j);
	j = client_get_json(&office, "/api/voice?q=dong+xa&urgency=overdue");
	assert_int_equal(num(j, "total"), 1);
	json_t *row = json_array_get(json_object_get(j, "cases"), 0);
	assert_int_equal(num(row, "id"), old);
	assert_string_equal(str(row, "flag_vi"), "quá hạn");
	assert_true(num(row, "days_left") < 0);
	json_decref(j);
	j = client_get_json(&office,
			    fmt(path, sizeof path,
				"/api/voice?q=dong+xa&village=%lld&type="
				"feedback&status=open&topic=%lld",
				p.thon1, p.topic_dat_dai));
	assert_int_equal(num(j, "total"), 1);
	assert_int_equal(
		num(json_array_get(json_object_get(j, "cases"), 0), "id"),
		fresh);
	json_decref(j);
	j = client_get_json(
		&office,
		"/api/voice?q=dong+xa&from=01%2F08%2F2026&to=30%2F09%2F2026");
	assert_int_equal(num(j, "total"), 1);
	json_decref(j);
	/* the page shows the flag as a word beside the colour */
	struct reply r;
	assert_int_equal(client_get(&office, "/voice?q=dong+xa", &r), 0);
	assert_true(reply_has(&r, "quá hạn"));
	assert_true(reply_has(&r, "state overdue"));
	reply_release(&r);
	/* paged */
	j = client_get_json(&office, "/api/voice?page=1");
	assert_true(num(j, "pages") >= 1);
	json_decref(j);

	/* a complaint's resolve clock: accepted, then extended? The law gives
	 * none, so no extension is offered; a denunciation has two */
	const char *fd[] = {"case_type",
			    "denunciation",
			    "channel",
			    "paper",
			    "topic_id",
			    b1,
			    "village_id",
			    b2,
			    "body",
			    "Tố cáo việc giao đất trái thẩm quyền ở Đồng Xa",
			    "citizen_name",
			    "Ẩn Danh Tính",
			    "citizen_phone",
			    "0977000111",
			    NULL};
	long long den = new_case(&office, fd, false, NULL, NULL);
	json_decref(post_ok(&office,
			    fmt(path, sizeof path, "/api/voice/%lld/act", den),
			    "kind=accept"));
	j = client_get_json(&office,
			    fmt(path, sizeof path, "/api/voice/%lld", den));
	const char *due_before = str(json_object_get(j, "case"), "due_on");
	char due0[16];
	snprintf(due0, sizeof due0, "%s", due_before);
	assert_true(json_is_true(
		json_object_get(json_object_get(j, "actions"), "extend")));
	json_decref(j);
	fmt(path, sizeof path, "/api/voice/%lld/extend", den);
	assert_int_equal(post(&office, path, "days=30&reason=&document="), 422);
	j = post_ok(&office, path,
		    "days=30&reason=V%E1%BB%A5+vi%E1%BB%87c+ph%E1%BB%A9c+"
		    "t%E1%BA%A1p&document=S%E1%BB%91+12%2FQ%C4%90-UBND");
	assert_string_not_equal(str(j, "due_on"), due0);
	json_decref(j);
	assert_int_equal(client_get(&office,
				    fmt(path, sizeof path, "/voice/%lld", den),
				    &r),
			 0);
	assert_true(reply_has(&r, "Gia hạn"));
	reply_release(&r);

	/* merge the fresh feedback into the old complaint's... no: into
	 * another open feedback of the same commune, by its code */
	const char *fm[] = {
		"case_type",  "feedback",
		"channel",    "paper",
		"topic_id",   b1,
		"village_id", b3,
		"title",      "Tường lấn đất công Đồng Xa (lần 2)",
		"body",       "Lại phản ánh hộ dân xây tường lấn đất công",
		NULL};
	char code_keep[16];
	long long keep = new_case(&office, fm, false, code_keep, NULL);
	fmt(path, sizeof path, "/api/voice/%lld/merge", fresh);
	assert_int_equal(post(&office, path, "into=PAZZZZZZZZ"), 422);
	j = post_ok(&office, path, fmt(b1, sizeof b1, "into=%s", code_keep));
	assert_int_equal(num(j, "merged_into"), keep);
	json_decref(j);
	j = client_get_json(&office,
			    fmt(path, sizeof path, "/api/voice/%lld", fresh));
	assert_string_equal(str(json_object_get(j, "case"), "status"),
			    "merged");
	assert_string_equal(str(json_object_get(j, "case"), "merged_into_code"),
			    code_keep);
	json_decref(j);

	/* statistics: per unit and per PAPI dimension, with links */
	j = client_get_json(&office, "/api/voice/stats");
	assert_true(num(j, "total") >= 3);
	json_t *dims = json_object_get(j, "by_dimension");
	bool d2 = false;
	size_t i;
	json_array_foreach(dims, i,
			   row) if (!strcmp(str(row, "dimension"), "D2")) d2 =
		num(row, "total") >= 3 && *str(row, "name_vi") &&
		json_array_size(json_object_get(row, "topics")) >= 1;
	json_decref(j);
	assert_true(d2);
	assert_int_equal(client_get(&office, "/voice/stats", &r), 0);
	assert_true(reply_has(&r, "Theo lĩnh vực PAPI"));
	assert_true(reply_has(&r, "/voice?topic="));
	reply_release(&r);

	/* the plan's page per PAPI dimension shows, beside the tasks, what
	 * citizens raised about each dimension over the same span: the
	 * statistics' figures */
	j = client_get_json(&office, "/api/plan/by-dimension");
	int shown = 0;
	json_t *dim;
	json_array_foreach(json_object_get(j, "dims"), i, dim)
	{
		json_t *cit = json_object_get(dim, "citizens");
		if (!cit)
			continue;
		char api[160];
		json_t *st =
			client_get_json(&office, fmt(api, sizeof api, "/api%s",
						     str(cit, "href")));
		size_t k;
		bool found = false;
		json_array_foreach(json_object_get(st, "by_dimension"), k, row)
		{
			if (strcmp(str(row, "dimension"), str(dim, "code")))
				continue;
			found = true;
			assert_int_equal(num(cit, "raised"), num(row, "total"));
			assert_int_equal(num(cit, "answered"),
					 num(row, "answered"));
			assert_int_equal(num(cit, "overdue"),
					 num(row, "overdue"));
		}
		assert_true(found);
		json_decref(st);
		shown++;
	}
	json_decref(j);
	assert_true(shown >= 1);
	assert_int_equal(client_get(&office, "/plan/by-dimension", &r), 0);
	assert_true(reply_has(&r, "Người dân đã nêu"));
	reply_release(&r);
	client_release(&office);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_by_role),
		cmocka_unit_test(test_workflow),
		cmocka_unit_test(test_list_extend_merge),
	};
	return cmocka_run_group_tests_name("voice http", tests, setup,
					   teardown);
}
