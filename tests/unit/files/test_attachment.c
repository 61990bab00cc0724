/* Uploaded files: what attachment_check accepts and refuses (real tiny
 * files from tests/fixtures/files/, made by the scripts there), the file
 * name cleaning, and the round trip through a real database (SQLite in a
 * temporary directory, or PostgreSQL with QUANTRI_TEST_DB). */
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/config.h"
#include "base/file.h"
#include "base/text.h"
#include "files/attachment.h"
#include "scratch_db.h"
#include "base/banned.h"

static struct arena A;

static int setup(void **state)
{
	arena_init(&A, 256 << 20);
	return 0;
}

static int teardown(void **state)
{
	arena_release(&A);
	return 0;
}

static struct upload fixture(const char *name, const char *as)
{
	const char *f = __FILE__, *cut = strstr(f, "/unit/files/");
	assert_non_null(cut);
	char *path = arena_printf(&A, "%.*s/fixtures/files/%s", (int)(cut - f),
				  f, name);
	struct error e = {0};
	size_t len;
	const char *data = file_read_all(&A, path, 1 << 20, &len, &e);
	if (!data)
		fail_msg("%s", e.msg);
	return (struct upload){.field = "evidence",
			       .filename = as ? as : name,
			       .content_type = "application/octet-stream",
			       .data = (const unsigned char *)data,
			       .len = len};
}

static struct upload bytes(const char *filename, const void *d, size_t n)
{
	return (struct upload){.field = "evidence",
			       .filename = filename,
			       .content_type = "",
			       .data = d,
			       .len = n};
}

static void accepts(struct upload u, unsigned kinds, const char *mime)
{
	const char *got = NULL;
	struct attachment_problem p;
	if (!attachment_check(&u, kinds, 0, &got, &p))
		fail_msg("%s refused: %s / %s", u.filename, p.msg_en, p.msg_vi);
	assert_non_null(got);
	assert_string_equal(got, mime);
}

/* Refused, with both messages containing what they must. */
static void refuses(struct upload u, unsigned kinds, long max, const char *en,
		    const char *vi)
{
	const char *got = "unset";
	struct attachment_problem p;
	if (attachment_check(&u, kinds, max, &got, &p))
		fail_msg("%s accepted as %s", u.filename, got);
	assert_null(got);
	if (!strstr(p.msg_en, en))
		fail_msg("%s: \"%s\" lacks \"%s\"", u.filename, p.msg_en, en);
	if (!strstr(p.msg_vi, vi))
		fail_msg("%s: \"%s\" lacks \"%s\"", u.filename, p.msg_vi, vi);
}

static void test_kinds_accepted(void **state)
{
	accepts(fixture("photo.jpg", NULL), ATTACH_EVIDENCE, "image/jpeg");
	accepts(fixture("photo.jpg", "Ảnh hiện trường.JPEG"), ATTACH_IMAGE,
		"image/jpeg");
	accepts(fixture("photo.png", NULL), ATTACH_IMAGE, "image/png");
	accepts(fixture("photo.webp", NULL), ATTACH_IMAGE, "image/webp");
	accepts(fixture("report.pdf", NULL), ATTACH_EVIDENCE,
		"application/pdf");
	accepts(fixture("report.docx", NULL), ATTACH_EVIDENCE,
		"application/"
		"vnd.openxmlformats-officedocument.wordprocessingml.document");
	accepts(fixture("sheet.xlsx", "Tiến độ.XLSX"), ATTACH_OFFICE,
		"application/"
		"vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	accepts(fixture("minutes.odt", NULL), ATTACH_OFFICE,
		"application/vnd.oasis.opendocument.text");
}

/* A compound file (OLE2) with one directory entry named `stream`: the
 * header's magic, then the name in UTF-16LE as a directory sector holds
 * it. */
static struct upload ole(const char *filename, const char *stream)
{
	unsigned char *d = arena_alloc(&A, 1536);
	memcpy(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	d[0x1C] = 0xFE, d[0x1D] = 0xFF; /* little-endian byte order mark */
	d[0x1E] = 9;                    /* 512-byte sectors */
	static const char root[] = "Root Entry";
	for (size_t i = 0; i < sizeof root - 1; i++)
		d[1024 + 2 * i] = (unsigned char)root[i];
	for (size_t i = 0; stream && stream[i]; i++)
		d[1024 + 128 + 2 * i] = (unsigned char)stream[i];
	return bytes(filename, d, 1536);
}

static void test_ole2(void **state)
{
	accepts(ole("cong-van.doc", "WordDocument"), ATTACH_OFFICE,
		"application/msword");
	accepts(ole("so-lieu.xls", "Workbook"), ATTACH_OFFICE,
		"application/vnd.ms-excel");
	accepts(ole("cu.xls", "Book"), ATTACH_OFFICE,
		"application/vnd.ms-excel");
	refuses(ole("so-lieu.doc", "Workbook"), ATTACH_OFFICE, 0,
		"so-lieu.doc: the content is an Excel 97-2003 workbook, not a "
		"Word 97-2003 document",
		"Tệp so-lieu.doc không phải văn bản Word 97-2003 (nội dung là "
		"bảng tính Excel 97-2003).");
	/* an installer is a compound file too */
	refuses(ole("setup.doc", "SummaryInformation"), ATTACH_OFFICE, 0,
		"not accepted", "không nhận loại tệp này");
}

static void test_size(void **state)
{
	/* a 50 MB photo against the default max_upload_bytes (10 MB) */
	size_t n = 50u << 20;
	unsigned char *big = malloc(n);
	assert_non_null(big);
	memset(big, 0x55, n);
	memcpy(big, "\xFF\xD8\xFF\xE0", 4);
	struct upload u = bytes("anh.jpg", big, n);
	refuses(u, ATTACH_IMAGE, 0, "anh.jpg: 50.0 MB, more than the 10 MB",
		"Tệp quá lớn: 50,0 MB, tối đa 10 MB (anh.jpg).");
	/* the owner's own limit */
	u.len = 1536 * 1024;
	refuses(u, ATTACH_IMAGE, 1 << 20, "1.5 MB, more than the 1 MB allowed",
		"Tệp quá lớn: 1,5 MB, tối đa 1 MB");
	u.len = 1 << 20; /* exactly the limit: fine */
	accepts(u, ATTACH_IMAGE, "image/jpeg");
	free(big);

	refuses(bytes("anh.jpg", "", 0), ATTACH_IMAGE, 0,
		"anh.jpg: the file is empty", "Tệp anh.jpg rỗng");
	refuses(bytes("anh.jpg", NULL, 0), ATTACH_IMAGE, 0, "empty", "rỗng");
}

static void test_config_limit(void **state)
{
	struct config c;
	struct error e = {0};
	config_defaults(&c);
	assert_int_equal(c.max_upload_bytes, 10485760);
	assert_int_equal(config_set(&c, "max_upload_bytes", "2097152", &e),
			 ERR_OK);
	assert_int_equal(c.max_upload_bytes, 2097152);
	assert_int_equal(config_set(&c, "max_upload_bytes", "10", &e),
			 ERR_INVALID);
	assert_non_null(strstr(e.msg, "max_upload_bytes"));
	assert_int_equal(config_set(&c, "max_upload_bytes", "5MB", &e),
			 ERR_INVALID);
	assert_int_equal(c.max_upload_bytes, 2097152);
}

static void test_mismatch(void **state)
{
	refuses(fixture("report.pdf", "anh.jpg"), ATTACH_EVIDENCE, 0,
		"anh.jpg: the content is a PDF, not a JPEG image",
		"Tệp anh.jpg không phải ảnh JPEG (nội dung là PDF).");
	refuses(fixture("photo.png", "anh.jpg"), ATTACH_IMAGE, 0,
		"the content is a PNG image, not a JPEG image",
		"Tệp anh.jpg không phải ảnh JPEG (nội dung là ảnh PNG).");
	refuses(fixture("report.docx", "bang.xlsx"), ATTACH_OFFICE, 0,
		"the content is a Word document, not an Excel workbook",
		"không phải bảng tính Excel (nội dung là văn bản Word)");
	refuses(fixture("report.docx", "bao-cao.zip"), ATTACH_OFFICE, 0,
		"not a zip archive", "không phải tệp nén zip");
	refuses(fixture("photo.jpg", "anh.txt"), ATTACH_IMAGE, 0,
		"anh.txt: the content is a JPEG image, but the name ends in "
		".txt",
		"Tệp anh.txt có đuôi .txt nhưng nội dung là ảnh JPEG.");
	/* no extension at all */
	refuses(fixture("photo.jpg", "anh"), ATTACH_IMAGE, 0,
		"anh: the file name has no extension",
		"Tên tệp anh không có phần mở rộng");
	refuses(fixture("photo.jpg", "anh."), ATTACH_IMAGE, 0, "no extension",
		"không có phần mở rộng");
	refuses(fixture("photo.jpg", ""), ATTACH_IMAGE, 0, "no extension",
		"không có phần mở rộng");
	/* a kind the owner does not take */
	refuses(fixture("report.pdf", NULL), ATTACH_IMAGE, 0,
		"report.pdf: the content is a PDF, not accepted here "
		"(JPEG/PNG/WebP images only)",
		"Tệp report.pdf là PDF; ở đây chỉ nhận ảnh JPEG/PNG/WebP.");
	refuses(fixture("sheet.xlsx", NULL), ATTACH_IMAGE | ATTACH_PDF, 0,
		"not accepted here", "chỉ nhận ảnh JPEG/PNG/WebP hoặc PDF.");
}

static void test_refused_content(void **state)
{
	refuses(fixture("photos.zip", NULL), ATTACH_EVIDENCE, 0,
		"photos.zip: the content is a zip archive, which is not "
		"accepted",
		"Tệp photos.zip là tệp nén zip: không nhận tệp nén");
	/* a zip renamed to what it is not */
	refuses(fixture("photos.zip", "bao-cao.docx"), ATTACH_EVIDENCE, 0,
		"zip archive", "tệp nén zip");
	const char svg[] = "<?xml version=\"1.0\"?>\n<svg "
			   "xmlns=\"http://www.w3.org/2000/svg\"><script>"
			   "alert(1)</script></svg>";
	refuses(bytes("logo.svg", svg, sizeof svg - 1), ATTACH_EVIDENCE, 0,
		"logo.svg: the content is an SVG image, which is not accepted",
		"Tệp logo.svg là ảnh SVG: không nhận loại tệp này");
	refuses(bytes("logo.png", svg + 22, sizeof svg - 23), ATTACH_IMAGE, 0,
		"SVG", "ảnh SVG");
	const char html[] = "\xEF\xBB\xBF  <!DOCTYPE html><html><script>"
			    "document.cookie</script></html>";
	refuses(bytes("trang.pdf", html, sizeof html - 1), ATTACH_EVIDENCE, 0,
		"an HTML page", "trang HTML");
	refuses(bytes("x.htm", "<HTML><body>", 12), ATTACH_EVIDENCE, 0, "HTML",
		"trang HTML");
	const char exe[] = "MZ\x90\0\3\0\0\0\4\0\0\0\xFF\xFF";
	refuses(bytes("anh.jpg", exe, sizeof exe - 1), ATTACH_EVIDENCE, 0,
		"anh.jpg: the content is a program",
		"Tệp anh.jpg là chương trình chạy được");
	const char elf[] = "\x7F"
			   "ELF\2\1\1\0\0\0\0\0\0\0\0\0";
	refuses(bytes("tool.pdf", elf, sizeof elf - 1), ATTACH_EVIDENCE, 0,
		"a program", "chương trình");
	refuses(bytes("run.doc", "#!/bin/sh\nrm -rf /\n", 19), ATTACH_EVIDENCE,
		0, "a script", "tệp lệnh");
	refuses(bytes("anim.gif", "GIF89a\1\0\1\0", 10), ATTACH_EVIDENCE, 0,
		"a GIF image", "ảnh GIF");
	refuses(bytes("iphone.jpg",
		      "\0\0\0\x18"
		      "ftypheic\0\0\0\0",
		      16),
		ATTACH_IMAGE, 0, "a HEIC image", "ảnh HEIC");
	refuses(bytes("notes.txt", "Ghi chú", 8), ATTACH_EVIDENCE, 0,
		"of an unknown kind", "không phải loại tệp được nhận");
	refuses(bytes("a.rar", "Rar!\x1A\x07\x01\0", 8), ATTACH_EVIDENCE, 0,
		"a compressed archive", "không nhận tệp nén");
	/* a broken zip is not a document */
	refuses(bytes("hong.docx", "PK\3\4garbage", 11), ATTACH_OFFICE, 0,
		"zip archive", "tệp nén zip");
}

static void test_clean_filename(void **state)
{
	struct {
		const char *in, *out;
	} cases[] = {
		{"anh.jpg", "anh.jpg"},
		{"C:\\Users\\Lan\\Ảnh hiện trường.jpg", "Ảnh hiện trường.jpg"},
		{"../../etc/passwd", "passwd"},
		{"/tmp/x/.hidden.png", "hidden.png"},
		{"  bao\tcao\r\n.pdf  ", "baocao.pdf"},
		/* the bidi override that shows "anhexe.jpg" for a program */
		{"anh\xE2\x80\xAEgpj.exe", "anhgpj.exe"},
		/* NFD (as macOS sends it) becomes NFC */
		{"Tie\xCC\x82\xCC\x81n.pdf", "Tiến.pdf"},
		{"a<b>:c\"d|e?f*.pdf", "a_b__c_d_e_f_.pdf"},
		{"bad\xFFutf8.pdf", "bad_utf8.pdf"},
		{"x.pdf. . ", "x.pdf"},
		{"", "tệp"},
		{"...", "tệp"},
		{"dir/", "tệp"},
		{NULL, "tệp"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = attachment_clean_filename(&A, cases[i].in);
		assert_non_null(got);
		if (strcmp(got, cases[i].out))
			fail_msg("case %zu: \"%s\", expected \"%s\"", i, got,
				 cases[i].out);
	}
	/* a long Vietnamese name: 200 bytes at most, cut between
	 * characters, the extension kept */
	char longname[1000] = "";
	for (int i = 0; i < 60; i++)
		strncat(longname, "Việt ",
			sizeof longname - strlen(longname) - 1);
	strncat(longname, "x.docx", sizeof longname - strlen(longname) - 1);
	char *got = attachment_clean_filename(&A, longname);
	assert_true(strlen(got) <= 200);
	assert_true(strlen(got) > 190);
	assert_string_equal(got + strlen(got) - 5, ".docx");
	assert_int_equal(strncmp(got, "Việt Việt", 12), 0);
	/* still UTF-8: no character cut in half */
	assert_true(text_valid_utf8(got, strlen(got)));
	/* the messages name the cleaned file */
	struct upload u = fixture("report.pdf", "../../anh\x01.jpg");
	struct attachment_problem p;
	assert_false(attachment_check(&u, ATTACH_EVIDENCE, 0, NULL, &p));
	assert_string_equal(p.msg_vi,
			    "Tệp anh.jpg không phải ảnh JPEG (nội dung là "
			    "PDF).");
}

/* ---- the database ---- */

static struct db *open_db(void)
{
	struct db *db;
	struct error e = {0};
	scratch_open();
	if (db_open(&db, scratch_url, &e) || db_migrate(db, &e))
		fail_msg("%s", e.msg);
	return db;
}

static void close_db(struct db *db)
{
	db_close(db);
	scratch_drop();
}

static void test_db_round_trip(void **state)
{
	struct db *db = open_db();
	struct error e = {0};
	static const char *names[] = {
		"photo.jpg",  "photo.png",   "report.pdf", "report.docx",
		"sheet.xlsx", "minutes.odt", "photo.webp"};
	enum { N = sizeof names / sizeof *names };
	long long ids[N];
	struct upload ups[N];
	const char *mimes[N];
	long long owner_id = 41;
	assert_int_equal(db_begin(db, &e), ERR_OK);
	for (int i = 0; i < N; i++) {
		ups[i] = fixture(names[i],
				 i == 0 ? "C:\\Ảnh\\Hiện trường 1.jpg" : NULL);
		struct attachment_problem p;
		assert_true(attachment_check(&ups[i], ATTACH_EVIDENCE, 0,
					     &mimes[i], &p));
		if (attachment_save(db, &A, "task_update", owner_id, &ups[i],
				    mimes[i], 0, &ids[i], &e))
			fail_msg("%s", e.msg);
		assert_true(ids[i] > 0);
	}
	/* another owner's file is not in this owner's list */
	long long other;
	assert_int_equal(attachment_save(db, &A, "case", owner_id, &ups[0],
					 mimes[0], 0, &other, &e),
			 ERR_OK);
	assert_int_equal(db_commit(db, &e), ERR_OK);

	json_t *list;
	assert_int_equal(
		attachment_list(db, &A, "task_update", owner_id, &list, &e),
		ERR_OK);
	assert_int_equal(json_array_size(list), N);
	for (int i = 0; i < N; i++) {
		json_t *row = json_array_get(list, (size_t)i);
		assert_int_equal(json_integer_value(json_object_get(row, "id")),
				 ids[i]);
		assert_string_equal(
			json_string_value(json_object_get(row, "mime")),
			mimes[i]);
		assert_int_equal(
			json_integer_value(json_object_get(row, "size")),
			(long long)ups[i].len);
		char url[64];
		snprintf(url, sizeof url, "/files/%lld", ids[i]);
		assert_string_equal(
			json_string_value(json_object_get(row, "url")), url);
		assert_int_equal(json_is_true(json_object_get(row, "is_image")),
				 !strncmp(mimes[i], "image/", 6));
		assert_non_null(json_object_get(row, "created_at"));
		assert_null(json_object_get(row, "data"));
	}
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(list, 0), "filename")),
			    "Hiện trường 1.jpg");
	json_decref(list);

	/* the bytes come back exact, with their hash */
	for (int i = 0; i < N; i++) {
		struct attachment m;
		const unsigned char *data;
		size_t len;
		if (attachment_get(db, &A, ids[i], &m, &data, &len, &e))
			fail_msg("%s", e.msg);
		assert_int_equal(len, ups[i].len);
		assert_memory_equal(data, ups[i].data, len);
		assert_string_equal(m.owner, "task_update");
		assert_int_equal(m.owner_id, owner_id);
		assert_string_equal(m.mime, mimes[i]);
		assert_int_equal(m.size, (long long)len);
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, data, len);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		assert_string_equal(m.sha256, hex);
	}
	/* base64, the ORIGINAL variant, in the column */
	struct db_result *r;
	assert_int_equal(
		db_exec(db, &A, "SELECT data FROM attachments WHERE id = $1",
			DB_PARAMS(arena_printf(&A, "%lld", ids[1])), &r, &e),
		ERR_OK);
	const char *b64 = db_get(r, 0, "data");
	assert_int_equal(strncmp(b64, "iVBORw0KGgo", 11), 0);

	/* an unknown id */
	struct attachment m;
	const unsigned char *data;
	size_t len;
	assert_int_equal(attachment_get(db, &A, 999999999, &m, &data, &len, &e),
			 ERR_NOTFOUND);
	/* an empty upload is never stored */
	struct upload empty = bytes("x.jpg", "", 0);
	long long id;
	assert_int_equal(attachment_save(db, &A, "task_update", owner_id,
					 &empty, "image/jpeg", 0, &id, &e),
			 ERR_INVALID);
	/* a rolled back transaction keeps no file */
	assert_int_equal(db_begin(db, &e), ERR_OK);
	assert_int_equal(attachment_save(db, &A, "task_update", owner_id + 1,
					 &ups[0], mimes[0], 0, &id, &e),
			 ERR_OK);
	db_rollback(db);
	assert_int_equal(
		attachment_list(db, &A, "task_update", owner_id + 1, &list, &e),
		ERR_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	close_db(db);
}

/* A 10 MB photo (the default limit) is stored and read back whole. */
static void test_db_large(void **state)
{
	struct db *db = open_db();
	struct error e = {0};
	size_t n = 10u << 20;
	unsigned char *big = malloc(n);
	assert_non_null(big);
	randombytes_buf(big, n);
	memcpy(big, "\xFF\xD8\xFF\xE1", 4);
	struct upload u = bytes("lon.jpg", big, n);
	const char *mime;
	struct attachment_problem p;
	assert_true(attachment_check(&u, ATTACH_IMAGE, 0, &mime, &p));
	long long id;
	if (attachment_save(db, &A, "task_update", 1, &u, mime, 0, &id, &e))
		fail_msg("%s", e.msg);
	const unsigned char *data;
	size_t len;
	if (attachment_get(db, &A, id, NULL, &data, &len, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(len, n);
	assert_memory_equal(data, big, n);
	free(big);
	close_db(db);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kinds_accepted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ole2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_limit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_content, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clean_filename, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_db_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_db_large, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
