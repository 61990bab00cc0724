/* Uploads end to end, in one process: a real `serve` on a loopback port
 * over a real SQLite file, driven with libcurl's multipart forms. A test
 * route stands in for a capability that owns files (it checks and saves
 * what is posted, as the plan's progress updates will); GET /files/{id}
 * serves them back to those the owner allows. (The users and tokens are
 * inserted with SQL here: test data, not product code.) With
 * QUANTRI_TEST_DB=postgres://... it runs on PostgreSQL (a new database
 * there, dropped after). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include "cli.h"
#include "base/config.h"
#include "base/file.h"
#include "files/attachment.h"
#include "scratch_db.h"
#include "base/banned.h"

static const char *dbpath;
static char base[64];
static struct config cfg;
static pthread_t server;
static CURL *curl;
static struct arena A;

/* ---- the owner: "t_note" rows; user 1 reads all, others odd ids ---- */

static bool t_can_read(struct request *req, const char *owner,
		       long long owner_id)
{
	return req->user && (req->user->id == 1 || owner_id % 2 == 1);
}

static enum err t_upload(struct request *req, struct response *res)
{
	long long owner_id = req_arg_id(req, 0);
	const struct upload *ups[ATTACHMENTS_MAX_PER_RECORD];
	int n = req_uploads(req, "evidence", ups, ATTACHMENTS_MAX_PER_RECORD);
	if (n > ATTACHMENTS_MAX_PER_RECORD)
		return res_error(req, res, 422, "Tối đa 5 tệp.");
	const char *mimes[ATTACHMENTS_MAX_PER_RECORD];
	for (int i = 0; i < n; i++) {
		struct attachment_problem p;
		if (!attachment_check(ups[i], ATTACH_EVIDENCE, 0, &mimes[i],
				      &p))
			return res_error(req, res, 422, p.msg_vi);
	}
	struct error e = {0};
	enum err err = db_begin(req->db, &e);
	for (int i = 0; !err && i < n; i++)
		err = attachment_save(req->db, req->arena, "t_note", owner_id,
				      ups[i], mimes[i], req->user->id, NULL,
				      &e);
	if (!err)
		err = db_commit(req->db, &e);
	else
		db_rollback(req->db);
	json_t *list = NULL;
	if (!err)
		err = attachment_list(req->db, req->arena, "t_note", owner_id,
				      &list, &e);
	if (err)
		return res_fail(req, res, err, &e);
	return res_json(req, res, 200,
			json_pack("{s:s?, s:o}", "note", req_param(req, "note"),
				  "files", list));
}

static const struct route test_routes[] = {
	{"POST", "/t/upload/{id}", t_upload, ROLE_ANY_USER, NULL},
};

/* Users 1 and 2 with API tokens "tok-1" and "tok-2". */
static void fixture(void)
{
	struct db *db;
	struct error e = {0};
	assert_int_equal(db_open(&db, dbpath, &e), ERR_OK);
	assert_int_equal(db_migrate(db, &e), ERR_OK);
	const char *sql[] = {
		"INSERT INTO units (id, kind, type_vi, name, full_name, "
		"name_fold, sort_key, created_at, updated_at)"
		" VALUES (1, 'commune', 'Xã', 'Tiên Tiến', 'Xã Tiên Tiến', "
		"'tien tien', '00', 'x', 'x')",
		"INSERT INTO users (id, username, full_name, name_fold, "
		"sort_key, password_hash, active,"
		" must_change_password, created_at, updated_at) VALUES"
		" (1, 'an', 'Nguyễn Văn An', 'nguyen van an', '01', 'x', 1, 0, "
		"'x', 'x'),"
		" (2, 'binh', 'Lê Thị Bình', 'le thi binh', '02', 'x', 1, 0, "
		"'x', 'x')",
		"INSERT INTO user_roles (user_id, role, unit_id) VALUES (1, "
		"'office', 1), (2, 'officer', 1)",
	};
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
		if (db_exec(db, &A, sql[i], NULL, 0, NULL, &e))
			fail_msg("%s", e.msg);
	for (int u = 1; u <= 2; u++) {
		char tok[16];
		snprintf(tok, sizeof tok, "tok-%d", u);
		if (db_exec(db, &A,
			    "INSERT INTO api_tokens (user_id, name, "
			    "token_hash, created_at) VALUES ($1, 'test', $2, "
			    "'x')",
			    DB_PARAMS(u == 1 ? "1" : "2",
				      http_token_hash(&A, tok)),
			    NULL, &e))
			fail_msg("%s", e.msg);
	}
	db_close(db);
}

static long long count_files(void)
{
	struct db *db;
	struct error e = {0};
	struct db_result *r;
	assert_int_equal(db_open(&db, dbpath, &e), ERR_OK);
	if (db_exec(db, &A, "SELECT COUNT(*) AS n FROM attachments", NULL, 0,
		    &r, &e))
		fail_msg("%s", e.msg);
	long long n = db_get_int(r, 0, "n", -1);
	db_close(db);
	return n;
}

/* ---- HTTP client ---- */

struct reply {
	long status;
	char *body; /* in A */
	size_t len, cap;
	char headers[8192];
	size_t hlen;
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t k = size * n;
	if (r->len + k + 1 > r->cap) {
		size_t cap = (r->len + k + 1) * 2;
		char *b = arena_alloc(&A, cap);
		if (!b)
			return 0;
		if (r->len)
			memcpy(b, r->body, r->len);
		r->body = b;
		r->cap = cap;
	}
	memcpy(r->body + r->len, p, k);
	r->len += k;
	r->body[r->len] = '\0';
	return k;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t k = size * n;
	/* only the final response's headers (not "100 Continue") */
	if (k >= 5 && !strncmp(p, "HTTP/", 5))
		r->hlen = 0;
	if (r->hlen + k < sizeof r->headers) {
		memcpy(r->headers + r->hlen, p, k);
		r->hlen += k;
		r->headers[r->hlen] = '\0';
	}
	return k;
}

static struct reply *perform(const char *path, const char *token,
			     const char *header, curl_mime *mime,
			     const char *body, size_t body_len)
{
	static struct reply r;
	char url[512], auth[64];
	struct curl_slist *h = NULL;
	memset(&r, 0, sizeof r);
	snprintf(url, sizeof url, "%s%s", base, path);
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	if (header)
		h = curl_slist_append(h, header);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	if (mime)
		curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
	else if (body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)body_len);
	}
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r);
	CURLcode rc = curl_easy_perform(curl);
	curl_slist_free_all(h);
	if (rc != CURLE_OK)
		fail_msg("%s: %s", path, curl_easy_strerror(rc));
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
	if (!r.body)
		r.body = "";
	return &r;
}

static struct reply *get(const char *path, const char *token,
			 const char *header)
{
	return perform(path, token, header, NULL, NULL, 0);
}

static bool has_header(const struct reply *r, const char *line)
{
	return strcasestr(r->headers, line) != NULL;
}

static const char *fixture_bytes(const char *name, size_t *len)
{
	const char *f = __FILE__, *cut = strstr(f, "/unit/files/");
	assert_non_null(cut);
	char *path = arena_printf(&A, "%.*s/fixtures/files/%s", (int)(cut - f),
				  f, name);
	struct error e = {0};
	const char *d = file_read_all(&A, path, 1 << 20, len, &e);
	if (!d)
		fail_msg("%s", e.msg);
	return d;
}

static void add_file(curl_mime *m, const char *field, const char *filename,
		     const void *data, size_t len)
{
	curl_mimepart *p = curl_mime_addpart(m);
	curl_mime_name(p, field);
	curl_mime_filename(p, filename);
	curl_mime_type(p, "application/octet-stream");
	curl_mime_data(p, data, len);
}

static void add_field(curl_mime *m, const char *name, const char *value)
{
	curl_mimepart *p = curl_mime_addpart(m);
	curl_mime_name(p, name);
	curl_mime_data(p, value, CURL_ZERO_TERMINATED);
}

static json_t *json_of(const struct reply *r)
{
	json_error_t je;
	json_t *j = json_loadb(r->body, r->len, 0, &je);
	if (!j)
		fail_msg("not JSON (%s): %.300s", je.text, r->body);
	return j;
}

/* ---- server ---- */

static void *serve(void *arg)
{
	static char *argv[] = {"serve", NULL};
	intptr_t rc = http_cli_serve(&cfg, 1, argv);
	return (void *)rc;
}

static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	bind(s, (struct sockaddr *)&a, sizeof a);
	getsockname(s, (struct sockaddr *)&a, &len);
	close(s);
	return ntohs(a.sin_port);
}

static int setup(void **state)
{
	struct error e = {0};
	char port[16];
	arena_init(&A, 512 << 20);
	scratch_open();
	dbpath = scratch_url;
	if (sodium_init() < 0)
		return -1;
	fixture();
	config_defaults(&cfg);
	snprintf(port, sizeof port, "%d", free_port());
	/* 1 MB a file: a form with files may be 5 MB + 4 KB */
	if (config_set(&cfg, "db", dbpath, &e) ||
	    config_set(&cfg, "port", port, &e) ||
	    config_set(&cfg, "max_body_bytes", "4096", &e) ||
	    config_set(&cfg, "max_upload_bytes", "1048576", &e) ||
	    config_set(&cfg, "threads", "2", &e) ||
	    config_set(&cfg, "log_level", "error", &e))
		fail_msg("%s", e.msg);
	snprintf(base, sizeof base, "http://127.0.0.1:%d", cfg.port);
	http_register(test_routes,
		      (int)(sizeof test_routes / sizeof *test_routes));
	files_http_register();
	attachment_register_owner("t_note", t_can_read);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&server, NULL, serve, NULL))
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	curl = curl_easy_init();
	for (int i = 0; i < 200; i++) {
		char url[128];
		long status = 0;
		snprintf(url, sizeof url, "%s/files/1", base);
		curl_easy_setopt(curl, CURLOPT_URL, url);
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
		if (curl_easy_perform(curl) == CURLE_OK &&
		    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) ==
			    CURLE_OK &&
		    status > 0)
			break;
		usleep(20000);
	}
	return 0;
}

static int teardown(void **state)
{
	void *rc;
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	pthread_kill(server, SIGTERM);
	pthread_join(server, &rc);
	scratch_drop();
	arena_release(&A);
	return rc == NULL ? 0 : -1;
}

/* ---- tests ---- */

static long long id_of(json_t *files, size_t i)
{
	return json_integer_value(
		json_object_get(json_array_get(files, i), "id"));
}

static void test_upload_and_serve(void **state)
{
	size_t plen, dlen, xlen;
	const char *png = fixture_bytes("photo.png", &plen);
	const char *pdf = fixture_bytes("report.pdf", &dlen);
	const char *docx = fixture_bytes("report.docx", &xlen);
	curl_mime *m = curl_mime_init(curl);
	add_field(m, "note", "Đã niêm yết công khai");
	add_file(m, "evidence", "Ảnh hiện trường.png", png, plen);
	add_file(m, "evidence", "Báo cáo.pdf", pdf, dlen);
	add_file(m, "evidence", "C:\\fakepath\\Tiến độ \"quý\" 1.docx", docx,
		 xlen);
	struct reply *r = perform("/api/t/upload/2", "tok-1", NULL, m, NULL, 0);
	curl_mime_free(m);
	if (r->status != 200)
		fail_msg("%ld %s", r->status, r->body);
	json_t *j = json_of(r);
	assert_string_equal(json_string_value(json_object_get(j, "note")),
			    "Đã niêm yết công khai");
	json_t *files = json_object_get(j, "files");
	assert_int_equal(json_array_size(files), 3);
	long long png_id = id_of(files, 0), pdf_id = id_of(files, 1),
		  docx_id = id_of(files, 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(files, 2), "filename")),
			    "Tiến độ _quý_ 1.docx");

	/* the photo: exact bytes, its type, shown inline */
	char path[64];
	snprintf(path, sizeof path, "/files/%lld", png_id);
	r = get(path, "tok-1", NULL);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->len, plen);
	assert_memory_equal(r->body, png, plen);
	assert_true(has_header(r, "Content-Type: image/png\r\n"));
	assert_true(has_header(
		r,
		"Content-Disposition: inline; filename=\"anh hien "
		"truong.png\"; "
		"filename*=UTF-8''%E1%BA%A2nh%20hi%E1%BB%87n%20tr%C6%B0%E1%BB%"
		"9Dng.png\r\n"));
	assert_true(has_header(r, "X-Content-Type-Options: nosniff"));
	assert_true(has_header(r, "Cache-Control: private"));
	assert_false(has_header(r, "no-store"));
	const char *etag = strcasestr(r->headers, "ETag: ");
	assert_non_null(etag);
	char inm[120];
	snprintf(inm, sizeof inm, "If-None-Match: %.66s", etag + 6);
	/* revalidation: the same content, no body */
	r = get(path, "tok-1", inm);
	assert_int_equal(r->status, 304);
	assert_int_equal(r->len, 0);

	snprintf(path, sizeof path, "/api/files/%lld", pdf_id);
	r = get(path, "tok-1", NULL);
	assert_int_equal(r->status, 200);
	assert_memory_equal(r->body, pdf, dlen);
	assert_true(has_header(r, "Content-Type: application/pdf"));
	assert_true(has_header(r, "Content-Disposition: inline;"));

	/* an office file is downloaded, never shown in the page */
	snprintf(path, sizeof path, "/files/%lld", docx_id);
	r = get(path, "tok-1", NULL);
	assert_int_equal(r->status, 200);
	assert_memory_equal(r->body, docx, xlen);
	assert_true(has_header(
		r, "Content-Type: application/"
		   "vnd.openxmlformats-officedocument.wordprocessingml."
		   "document"));
	assert_true(has_header(r, "Content-Disposition: attachment; "
				  "filename=\"tien do _quy_ 1.docx\""));
	json_decref(j);
}

static void test_who_may_read(void **state)
{
	size_t plen;
	const char *png = fixture_bytes("photo.png", &plen);
	curl_mime *m = curl_mime_init(curl);
	add_file(m, "evidence", "a.png", png, plen);
	struct reply *r = perform("/api/t/upload/4", "tok-1", NULL, m, NULL, 0);
	curl_mime_free(m);
	assert_int_equal(r->status, 200);
	json_t *j = json_of(r);
	long long even = id_of(json_object_get(j, "files"), 0);
	json_decref(j);
	m = curl_mime_init(curl);
	add_file(m, "evidence", "b.png", png, plen);
	r = perform("/api/t/upload/5", "tok-2", NULL, m, NULL, 0);
	curl_mime_free(m);
	assert_int_equal(r->status, 200);
	j = json_of(r);
	long long odd = id_of(json_object_get(j, "files"), 0);
	json_decref(j);

	char path[64], missing[64];
	snprintf(path, sizeof path, "/api/files/%lld", even);
	snprintf(missing, sizeof missing, "/api/files/%lld", odd + 1000);
	/* refused by its owner: the same 404 as a file that is not there */
	r = get(path, "tok-2", NULL);
	assert_int_equal(r->status, 404);
	char *refused = arena_strndup(&A, r->body, r->len);
	r = get(missing, "tok-2", NULL);
	assert_int_equal(r->status, 404);
	assert_string_equal(r->body, refused);
	r = get("/api/files/abc", "tok-2", NULL);
	assert_int_equal(r->status, 404);
	assert_int_equal(get(path, "tok-1", NULL)->status, 200);
	snprintf(path, sizeof path, "/api/files/%lld", odd);
	assert_int_equal(get(path, "tok-2", NULL)->status, 200);
	/* not logged in */
	assert_int_equal(get(path, NULL, NULL)->status, 401);
	snprintf(path, sizeof path, "/files/%lld", odd);
	r = get(path, NULL, NULL);
	assert_int_equal(r->status, 303);

	/* a file whose owner registered no reader is never served */
	struct db *db;
	struct error e = {0};
	assert_int_equal(db_open(&db, dbpath, &e), ERR_OK);
	struct upload u = {.field = "f",
			   .filename = "x.png",
			   .data = (const unsigned char *)png,
			   .len = plen};
	long long id;
	assert_int_equal(attachment_save(db, &A, "nobody", 1, &u, "image/png",
					 1, &id, &e),
			 ERR_OK);
	db_close(db);
	snprintf(path, sizeof path, "/api/files/%lld", id);
	assert_int_equal(get(path, "tok-1", NULL)->status, 404);
}

static void test_refusals(void **state)
{
	long long before = count_files();
	size_t plen, dlen;
	const char *png = fixture_bytes("photo.png", &plen);
	const char *pdf = fixture_bytes("report.pdf", &dlen);

	/* a good photo beside a PDF named .jpg: nothing is saved */
	curl_mime *m = curl_mime_init(curl);
	add_file(m, "evidence", "tot.png", png, plen);
	add_file(m, "evidence", "anh.jpg", pdf, dlen);
	struct reply *r = perform("/api/t/upload/7", "tok-1", NULL, m, NULL, 0);
	curl_mime_free(m);
	assert_int_equal(r->status, 422);
	json_t *j = json_of(r);
	assert_string_equal(json_string_value(json_object_get(j, "message")),
			    "Tệp anh.jpg không phải ảnh JPEG (nội dung là "
			    "PDF).");
	json_decref(j);
	assert_int_equal(count_files(), before);

	/* 3 MB: within what a form may send, over one file's 1 MB */
	size_t n = 3u << 20;
	unsigned char *big = arena_alloc(&A, n);
	memcpy(big, png, plen);
	m = curl_mime_init(curl);
	add_file(m, "evidence", "lon.png", big, n);
	r = perform("/api/t/upload/7", "tok-1", NULL, m, NULL, 0);
	curl_mime_free(m);
	assert_int_equal(r->status, 422);
	j = json_of(r);
	assert_string_equal(json_string_value(json_object_get(j, "message")),
			    "Tệp quá lớn: 3,0 MB, tối đa 1 MB (lon.png).");
	json_decref(j);

	/* 6 MB: more than a form may send; refused before it is read */
	n = 6u << 20;
	big = arena_alloc(&A, n);
	memcpy(big, png, plen);
	m = curl_mime_init(curl);
	add_file(m, "evidence", "rat-lon.png", big, n);
	r = perform("/api/t/upload/7", "tok-1", NULL, m, NULL, 0);
	curl_mime_free(m);
	assert_int_equal(r->status, 413);
	j = json_of(r);
	assert_string_equal(json_string_value(json_object_get(j, "message")),
			    "Dữ liệu gửi lên quá lớn: tối đa 5 MB mỗi lần "
			    "gửi, mỗi tệp tối đa 1 MB.");
	json_decref(j);
	/* the page says the same, in the error page */
	m = curl_mime_init(curl);
	add_file(m, "evidence", "rat-lon.png", big, n);
	r = perform("/t/upload/7", "tok-1", NULL, m, NULL, 0);
	curl_mime_free(m);
	assert_int_equal(r->status, 413);
	assert_non_null(strstr(r->body, "tối đa 5 MB mỗi lần gửi"));

	/* a plain form keeps max_body_bytes */
	char *form = arena_alloc(&A, 8001);
	memset(form, 'a', 8000);
	memcpy(form, "note=", 5);
	r = perform("/api/t/upload/7", "tok-1", NULL, NULL, form, 8000);
	assert_int_equal(r->status, 413);
	assert_int_equal(count_files(), before);

	/* six files: more than a record takes */
	m = curl_mime_init(curl);
	for (int i = 0; i < 6; i++)
		add_file(m, "evidence", "a.png", png, plen);
	r = perform("/api/t/upload/7", "tok-1", NULL, m, NULL, 0);
	curl_mime_free(m);
	assert_int_equal(r->status, 422);
	assert_int_equal(count_files(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upload_and_serve),
		cmocka_unit_test(test_who_may_read),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
