/* Parsing what clients send: query strings and forms, JSON bodies,
 * multipart bodies, cookie values; and the request helpers over them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/file.h"
#include "http/form.h"
#include "base/banned.h"

static struct arena arena;

static int setup(void **state)
{
	arena_init(&arena, 8 << 20);
	return 0;
}

static int teardown(void **state)
{
	arena_release(&arena);
	return 0;
}

static struct params parse(const char *s)
{
	struct params p = {0};
	struct error e = {0};
	if (form_parse_urlencoded(&arena, s, strlen(s), &p, &e))
		fail_msg("%s: %s", s, e.msg);
	return p;
}

static enum err parse_err(const char *s, struct error *e)
{
	struct params p = {0};
	return form_parse_urlencoded(&arena, s, strlen(s), &p, e);
}

static struct request req_of(struct params p)
{
	struct request r = {.arena = &arena, .params = p.kv, .nparams = p.n};
	return r;
}

static void test_urlencoded(void **state)
{
	struct params p = parse("a=1&b=x+y&a=2&c=%C3%A1%20b&d");
	assert_int_equal(p.n, 5);
	assert_string_equal(p.kv[0].key, "a");
	assert_string_equal(p.kv[0].value, "1");
	assert_string_equal(p.kv[1].value, "x y");
	assert_string_equal(p.kv[2].value, "2");
	assert_string_equal(p.kv[3].value, "á b");
	assert_string_equal(p.kv[4].key, "d");
	assert_string_equal(p.kv[4].value, "");
	struct request r = req_of(p);
	assert_string_equal(req_param(&r, "a"), "2"); /* the last value */
	assert_null(req_param(&r, "zz"));

	p = parse("&&x=1&&");
	assert_int_equal(p.n, 1);
	p = parse("");
	assert_int_equal(p.n, 0);
	p = parse("=v&k=");
	assert_int_equal(p.n, 2);
	assert_string_equal(p.kv[0].key, "");
	assert_string_equal(p.kv[0].value, "v");
	assert_string_equal(p.kv[1].value, "");
	/* '=' in a value, encoded '&' and '+' */
	p = parse("q=a=b%26c%2Bd");
	assert_string_equal(p.kv[0].value, "a=b&c+d");
	/* Vietnamese in both forms of encoding */
	p = parse("ten=Nguy%E1%BB%85n+V%C4%83n+An&xa=Ti%C3%AAn%20Ti%E1%BA%BFn");
	assert_string_equal(p.kv[0].value, "Nguyễn Văn An");
	assert_string_equal(p.kv[1].value, "Tiên Tiến");
	/* raw UTF-8 bytes are accepted too */
	p = parse("x=Đông");
	assert_string_equal(p.kv[0].value, "Đông");
}

static void test_percent_edge_cases(void **state)
{
	size_t n;
	assert_string_equal(form_decode(&arena, "%zz%4", 5, true, &n), "%zz%4");
	assert_string_equal(form_decode(&arena, "100%", 4, true, &n), "100%");
	assert_string_equal(form_decode(&arena, "%41%4a%4A", 9, true, &n),
			    "AJJ");
	assert_string_equal(form_decode(&arena, "a+b", 3, false, &n), "a+b");
	assert_string_equal(form_decode(&arena, "a+b", 3, true, &n), "a b");
	form_decode(&arena, "a%00b", 5, false, &n);
	assert_int_equal(n, 3);
	/* decoding stops at n, not at a NUL */
	assert_string_equal(form_decode(&arena, "%41%42", 3, true, &n), "A");
	assert_string_equal(form_encode(&arena, "/users?x=Đ &y"),
			    "/users%3Fx%3D%C4%90%20%26y");
	char *enc = form_encode(&arena, "Đã lưu người dùng “An”.");
	assert_string_equal(form_decode(&arena, enc, strlen(enc), false, &n),
			    "Đã lưu người dùng “An”.");
}

static void test_invalid_utf8(void **state)
{
	struct error e = {0};
	assert_int_equal(parse_err("a=%C3%28", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "invalid utf-8"));
	assert_int_equal(parse_err("ok=1&%FF=1", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "field 2"));
	assert_int_equal(parse_err("a=%C0%AF", &e),
			 ERR_INVALID); /* overlong '/' */
	assert_int_equal(parse_err("a=%ED%A0%80", &e),
			 ERR_INVALID); /* surrogate */
	assert_int_equal(parse_err("a=%E1%BB", &e),
			 ERR_INVALID);                          /* truncated */
	assert_int_equal(parse_err("a=\xff", &e), ERR_INVALID); /* raw byte */
	assert_int_equal(parse_err("a=x%00y", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "nul"));
}

static void test_repeated_keys(void **state)
{
	struct params p =
		parse("roles%5B%5D=chair&name=x&roles[]=office&roles[]=upper");
	struct request r = req_of(p);
	const char *v[4];
	assert_int_equal(req_params_all(&r, "roles[]", v, 4), 3);
	assert_string_equal(v[0], "chair");
	assert_string_equal(v[1], "office");
	assert_string_equal(v[2], "upper");
	/* more than max: the count is told, only max are stored */
	assert_int_equal(req_params_all(&r, "roles[]", v, 2), 3);
	assert_int_equal(req_params_all(&r, "none", v, 4), 0);
}

static void test_too_many_fields(void **state)
{
	char *s = arena_alloc(&arena, PARAMS_MAX * 4 + 10);
	size_t n = 0;
	for (int i = 0; i <= PARAMS_MAX; i++) {
		memcpy(s + n, "a=1&", 4);
		n += 4;
	}
	struct params p = {0};
	struct error e = {0};
	assert_int_equal(form_parse_urlencoded(&arena, s, n, &p, &e),
			 ERR_INVALID);
	assert_int_equal(p.n, PARAMS_MAX);
}

static void test_json(void **state)
{
	const char *s = "{\"name\":\"Lê Thị "
			"Hoà\",\"n\":5,\"r\":1.5,\"t\":true,\"f\":false,"
			"\"z\":null,\"roles\":[\"chair\",\"office\",7],\"o\":{"
			"\"k\":1}}";
	struct params p = {0};
	struct error e = {0};
	json_t *j = NULL;
	assert_int_equal(form_parse_json(&arena, s, strlen(s), &p, &j, &e),
			 ERR_OK);
	assert_non_null(j);
	assert_true(json_is_object(json_object_get(j, "o")));
	json_decref(j);
	struct request r = req_of(p);
	assert_string_equal(req_param(&r, "name"), "Lê Thị Hoà");
	assert_string_equal(req_param(&r, "n"), "5");
	assert_string_equal(req_param(&r, "r"), "1.5");
	assert_string_equal(req_param(&r, "t"), "1");
	assert_null(req_param(&r, "f"));
	assert_null(req_param(&r, "z"));
	assert_null(req_param(&r, "o"));
	const char *v[4];
	assert_int_equal(req_params_all(&r, "roles", v, 4), 3);
	assert_string_equal(v[2], "7");

	const char *bad[] = {"[1,2]",
			     "\"x\"",
			     "{",
			     "{\"a\":1,}",
			     "",
			     "{\"a\":\"\\u0000\"}",
			     "{\"a\":1,\"a\":2}",
			     "{\"a\":\"\xff\"}"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct params q = {0};
		j = NULL;
		assert_int_equal(form_parse_json(&arena, bad[i], strlen(bad[i]),
						 &q, &j, &e),
				 ERR_INVALID);
		assert_null(j);
	}
}

static void test_multipart(void **state)
{
	const char *ct = "multipart/form-data; boundary=----qt123";
	const char *body =
		"------qt123\r\n"
		"Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
		"abc\r\n"
		"------qt123\r\n"
		"Content-Disposition: form-data; name=\"file\"; filename=\"đơn "
		"vị.csv\"\r\n"
		"Content-Type: text/csv\r\n\r\n"
		"code,name\r\n12424,Minh Tiến\r\n\r\n"
		"------qt123--\r\n";
	struct params p = {0};
	struct error e = {0};
	assert_int_equal(form_parse_multipart(&arena, body, strlen(body), ct,
					      &p, NULL, &e),
			 ERR_OK);
	struct request r = req_of(p);
	assert_string_equal(req_param(&r, "csrf_token"), "abc");
	assert_string_equal(req_param(&r, "file"),
			    "code,name\r\n12424,Minh Tiến\r\n");
	assert_string_equal(req_param(&r, "file_filename"), "đơn vị.csv");

	/* quoted boundary, empty value */
	const char *body2 = "--b\r\nContent-Disposition: form-data; "
			    "name=x\r\n\r\n\r\n--b--";
	p = (struct params){0};
	assert_int_equal(
		form_parse_multipart(&arena, body2, strlen(body2),
				     "multipart/form-data; boundary=\"b\"", &p,
				     NULL, &e),
		ERR_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.kv[0].value, "");

	const char *bad[] = {
		"no boundary here",
		"--b\r\nContent-Disposition: form-data; name=x\r\n\r\nvalue "
		"without end",
		"--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--",
		"--b\r\nContent-Disposition: form-data; "
		"name=x\r\n\r\n\xff\r\n--b--",
		"--b\r\nContent-Disposition: form-data; name=x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		p = (struct params){0};
		assert_int_equal(
			form_parse_multipart(&arena, bad[i], strlen(bad[i]),
					     "multipart/form-data; boundary=b",
					     &p, NULL, &e),
			ERR_INVALID);
	}
	p = (struct params){0};
	assert_int_equal(form_parse_multipart(&arena, body, strlen(body),
					      "multipart/form-data", &p, NULL,
					      &e),
			 ERR_INVALID);
}

/* A real PNG (tests/fixtures/files/photo.png), bytes 0x00 and 0x0D 0x0A
 * included, in a multipart body as a browser sends it. */
static const char *fixture_bytes(const char *name, size_t *len)
{
	const char *f = __FILE__, *cut = strstr(f, "/unit/http/");
	assert_non_null(cut);
	char *path = arena_printf(&arena, "%.*s/fixtures/files/%s",
				  (int)(cut - f), f, name);
	struct error e = {0};
	const char *d = file_read_all(&arena, path, 1 << 20, len, &e);
	if (!d)
		fail_msg("%s", e.msg);
	return d;
}

/* Appends to a growing body in the arena. */
static void put(char **body, size_t *n, const void *d, size_t len)
{
	char *nb = arena_alloc(&arena, *n + len + 1);
	assert_non_null(nb);
	if (*n)
		memcpy(nb, *body, *n);
	memcpy(nb + *n, d, len);
	*body = nb;
	*n += len;
}

static void puts_(char **body, size_t *n, const char *s)
{
	put(body, n, s, strlen(s));
}

static void test_multipart_files(void **state)
{
	size_t plen;
	const char *png = fixture_bytes("photo.png", &plen);
	assert_true(plen > 8);
	assert_non_null(memchr(png, '\0', plen)); /* really binary */
	const char *ct =
		"multipart/form-data; boundary=----WebKitFormBoundaryQ";
	char *body = NULL;
	size_t n = 0;
	puts_(&body, &n,
	      "------WebKitFormBoundaryQ\r\n"
	      "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
	      "Đã niêm yết\r\n"
	      "------WebKitFormBoundaryQ\r\n"
	      "Content-Disposition: form-data; name=\"evidence\"; "
	      "filename=\"Ảnh 1.png\"\r\n"
	      "Content-Type: image/png\r\n\r\n");
	put(&body, &n, png, plen);
	puts_(&body, &n,
	      "\r\n------WebKitFormBoundaryQ\r\n"
	      "Content-Disposition: form-data; name=\"evidence\"; "
	      "filename=\"bang.csv\"\r\n"
	      "content-type:  text/csv \r\n\r\n"
	      "a,b\r\n1,2\r\n"
	      "------WebKitFormBoundaryQ\r\n"
	      /* an empty file input, as browsers send it */
	      "Content-Disposition: form-data; name=\"evidence\"; "
	      "filename=\"\"\r\n"
	      "Content-Type: application/octet-stream\r\n\r\n"
	      "\r\n------WebKitFormBoundaryQ\r\n"
	      "Content-Disposition: form-data; name=\"other\"; "
	      "filename=\"x.bin\"\r\n\r\n");
	put(&body, &n, "\0\xff\0", 3);
	puts_(&body, &n, "\r\n------WebKitFormBoundaryQ--\r\n");

	struct params p = {0};
	struct uploads ups = {0};
	struct error e = {0};
	if (form_parse_multipart(&arena, body, n, ct, &p, &ups, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(ups.n, 4);
	assert_string_equal(ups.v[0].field, "evidence");
	assert_string_equal(ups.v[0].filename, "Ảnh 1.png");
	assert_string_equal(ups.v[0].content_type, "image/png");
	assert_int_equal(ups.v[0].len, plen);
	assert_memory_equal(ups.v[0].data, png, plen);
	assert_int_equal(ups.v[1].len, 8);
	assert_memory_equal(ups.v[1].data, "a,b\r\n1,2", 8);
	assert_string_equal(ups.v[1].content_type, "text/csv");
	assert_int_equal(ups.v[2].len, 0);
	assert_string_equal(ups.v[2].filename, "");
	assert_int_equal(ups.v[3].len, 3);
	assert_memory_equal(ups.v[3].data, "\0\xff\0", 3);

	struct request r = req_of(p);
	r.uploads = ups.v;
	r.nuploads = ups.n;
	/* plain fields and text files are params; a binary file is not */
	assert_string_equal(req_param(&r, "note"), "Đã niêm yết");
	assert_string_equal(req_param(&r, "evidence"), ""); /* the empty one */
	const char *vals[4];
	assert_int_equal(req_params_all(&r, "evidence", vals, 4), 2);
	assert_string_equal(vals[0], "a,b\r\n1,2");
	assert_null(req_param(&r, "other"));
	assert_string_equal(req_param(&r, "other_filename"), "x.bin");

	/* req_uploads: in order, the empty file input left out */
	const struct upload *got[4];
	assert_int_equal(req_uploads(&r, "evidence", got, 4), 2);
	assert_ptr_equal(got[0], &ups.v[0]);
	assert_ptr_equal(got[1], &ups.v[1]);
	assert_int_equal(req_uploads(&r, "evidence", got, 1), 2); /* counted */
	assert_int_equal(req_uploads(&r, "other", got, 4), 1);
	assert_int_equal(req_uploads(&r, "nothing", got, 4), 0);

	/* without an upload list, files are only what is text */
	p = (struct params){0};
	assert_int_equal(
		form_parse_multipart(&arena, body, n, ct, &p, NULL, &e),
		ERR_OK);

	/* quoted file names: \" and \\ unescaped, a Windows path kept */
	static const char esc[] =
		"--b\r\nContent-Disposition: form-data; name=f; "
		"filename=\"C:\\\\x\\\\a \\\"b\\\".jpg\"\r\n\r\n\xff\r\n"
		"--b\r\nContent-Disposition: form-data; name=f; "
		"filename=\"C:\\Users\\c.jpg\"\r\n\r\n\xff\r\n"
		"--b\r\nContent-Disposition: form-data; name=f; "
		"filename=\"a%22b%0d%0A%41.jpg\"\r\n\r\n\xff\r\n--b--";
	p = (struct params){0};
	ups = (struct uploads){0};
	assert_int_equal(form_parse_multipart(&arena, esc, sizeof esc - 1,
					      "multipart/form-data; boundary=b",
					      &p, &ups, &e),
			 ERR_OK);
	assert_int_equal(ups.n, 3);
	assert_string_equal(ups.v[0].filename, "C:\\x\\a \"b\".jpg");
	/* as browsers encode '"', CR and LF; nothing else decoded */
	assert_string_equal(ups.v[2].filename, "a\"b\r\n%41.jpg");
	assert_string_equal(ups.v[1].filename, "C:\\Users\\c.jpg");

	/* a binary plain field is still refused */
	static const char bad[] = "--b\r\nContent-Disposition: form-data; "
				  "name=x\r\n\r\n\xff\0\r\n--b--";
	p = (struct params){0};
	ups = (struct uploads){0};
	assert_int_equal(form_parse_multipart(&arena, bad, sizeof bad - 1,
					      "multipart/form-data; boundary=b",
					      &p, &ups, &e),
			 ERR_INVALID);

	/* at most UPLOADS_MAX files */
	body = NULL;
	n = 0;
	for (int i = 0; i <= UPLOADS_MAX; i++)
		puts_(&body, &n,
		      "--b\r\nContent-Disposition: form-data; name=f; "
		      "filename=a.jpg\r\n\r\n\xff\xd8\xff\r\n");
	puts_(&body, &n, "--b--");
	p = (struct params){0};
	ups = (struct uploads){0};
	assert_int_equal(form_parse_multipart(&arena, body, n,
					      "multipart/form-data; boundary=b",
					      &p, &ups, &e),
			 ERR_INVALID);
	assert_non_null(strstr(e.msg, "more than 20 files"));
}

static void test_cookie_values(void **state)
{
	char tok[65];
	memset(tok, 'a', 64);
	tok[64] = '\0';
	assert_true(form_token_valid(tok));
	tok[3] = 'A';
	assert_false(form_token_valid(tok));
	tok[3] = 'g';
	assert_false(form_token_valid(tok));
	tok[3] = '0';
	assert_true(form_token_valid(tok));
	tok[63] = '\0';
	assert_false(form_token_valid(tok));
	assert_false(form_token_valid(""));
	assert_false(form_token_valid(NULL));

	assert_string_equal(
		form_flash_decode(&arena, "%C4%90%C3%A3%20l%C6%B0u."),
		"Đã lưu.");
	assert_null(form_flash_decode(&arena, "%0Aevil"));
	assert_null(form_flash_decode(&arena, "%FF"));
	assert_null(form_flash_decode(&arena, ""));
	assert_null(form_flash_decode(&arena, NULL));
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_null(form_flash_decode(&arena, big));
}

static void test_arg_id(void **state)
{
	struct request r = {
		.route_args = {"42", "abc", "-1", "99999999999999999999"}};
	assert_int_equal(req_arg_id(&r, 0), 42);
	assert_int_equal(req_arg_id(&r, 1), -1);
	assert_int_equal(req_arg_id(&r, 2), -1);
	assert_int_equal(req_arg_id(&r, 3), -1);
	assert_int_equal(req_arg_id(&r, 4), -1);
	r.route_args[0] = "12x";
	assert_int_equal(req_arg_id(&r, 0), -1);
	r.route_args[0] = NULL;
	assert_int_equal(req_arg_id(&r, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_urlencoded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_percent_edge_cases, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_repeated_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_too_many_fields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_multipart_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cookie_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_arg_id, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
