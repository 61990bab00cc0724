/* Mail formatting: quoted-printable bodies, RFC 2047 headers, line
 * lengths, no line starting with a dot, addresses that cannot inject a
 * header, the date in Vietnam time. Decoders here are written from the
 * RFCs, independently of the encoders. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>
#include "notify/mail.h"
#include "base/config.h"
#include "base/text.h"
#include "base/banned.h"

static struct arena A;

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 2045 6.7 decoding; fails the test on anything malformed. LF line
 * ends in the result. */
static char *qp_decode(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '=' && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 3; /* soft break */
		} else if (s[i] == '=') {
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				fail_msg("bad =XX at %zu: %.8s", i, s + i);
			out[o++] = (char)(h * 16 + l);
			i += 3;
		} else if (s[i] == '\r' && s[i + 1] == '\n') {
			out[o++] = '\n';
			i += 2;
		} else {
			if (s[i] == '\n' || s[i] == '\r')
				fail_msg("bare CR or LF at %zu", i);
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return out;
}

/* Every line: CRLF-ended, at most 76 characters, printable ASCII, not
 * starting with '.', no blank before the line end. */
static void check_lines(const char *s)
{
	const char *p = s;
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			fail_msg("line without CRLF: \"%s\"", p);
		size_t n = (size_t)(eol - p);
		if (n > MAIL_LINE_MAX)
			fail_msg("line of %zu characters: %.*s", n, (int)n, p);
		if (n && p[0] == '.')
			fail_msg("line starts with a dot: %.*s", (int)n, p);
		if (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			fail_msg("blank at the end of: %.*s", (int)n, p);
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < ' ' ||
			    (unsigned char)p[i] > '~')
				if (p[i] != '\t')
					fail_msg("byte %#x in a line",
						 (unsigned char)p[i]);
		p = eol + 2;
	}
}

static void test_qp_small(void **state)
{
	const char *small = "Xin chào =\n.dot \nFrom here\n";
	char *q = mail_qp_encode(&A, small, strlen(small));
	assert_string_equal(q, "Xin ch=C3=A0o =3D\r\n=2Edot=20\r\n"
			       "=46rom here\r\n");
	/* CRLF in, CRLF out; no final newline still ends the line */
	assert_string_equal(mail_qp_encode(&A, "a\r\nb", 4), "a\r\nb\r\n");
	assert_string_equal(mail_qp_encode(&A, "", 0), "");
	assert_string_equal(mail_qp_encode(&A, "\n\n", 2), "\r\n\r\n");
	assert_string_equal(mail_qp_encode(&A, "tab\t", 4), "tab=09\r\n");
}

static void test_qp_long_lines(void **state)
{
	char line[201];
	memset(line, 'a', 200);
	line[200] = '\0';
	char *q = mail_qp_encode(&A, line, 200);
	check_lines(q);
	/* 75 characters and the soft break's '=', twice, then the rest */
	char want[300];
	snprintf(want, sizeof want, "%.75s=\r\n%.75s=\r\n%.50s\r\n", line, line,
		 line);
	assert_string_equal(q, want);
	/* exactly 76 fits one line */
	assert_string_equal(mail_qp_encode(&A, line, 76),
			    arena_printf(&A, "%.76s\r\n", line));
	/* a dot that lands at the start of a continuation line */
	char dots[200];
	memset(dots, 'b', 75);
	memcpy(dots + 75, "...", 4);
	q = mail_qp_encode(&A, dots, strlen(dots));
	check_lines(q);
	char *d = qp_decode(q);
	assert_string_equal(d, arena_printf(&A, "%s\n", dots));
	free(d);
}

static void test_qp_round_trip(void **state)
{
	const char *text =
		"Kính gửi ông Nguyễn Văn Đức,\n\n"
		"1. Nhiệm vụ \"Niêm yết công khai dự toán ngân sách xã năm "
		"2026 "
		"tại trụ sở UBND và nhà văn hóa các thôn\" đã quá hạn 3 ngày.\n"
		"   Đề nghị bộ phận Tài chính – Kế toán báo cáo = giải trình.\n"
		".\n"
		"..\n"
		"From the office  \n"
		"-- \n"
		"Ký tự 4 byte: 𝔸𝔹ℂ 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\n";
	char *q = mail_qp_encode(&A, text, strlen(text));
	check_lines(q);
	char *d = qp_decode(q);
	assert_string_equal(d, text);
	free(d);
}

/* RFC 2047: the words of a header value, decoded and joined (white space
 * between adjacent encoded words is dropped, 6.2). */
static char *header_decode(const char *v)
{
	char *out = calloc(1, strlen(v) + 1);
	size_t o = 0;
	const char *p = v;
	while (*p) {
		while (*p == ' ' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			break;
		if (strncmp(p, "=?UTF-8?B?", 10))
			fail_msg("not an encoded word: %s", p);
		p += 10;
		const char *end = strstr(p, "?=");
		assert_non_null(end);
		size_t wlen = (size_t)(end - p) + 12;
		if (wlen > 75)
			fail_msg("encoded word of %zu characters", wlen);
		unsigned char bin[128];
		size_t bl;
		assert_int_equal(
			sodium_base642bin(bin, sizeof bin, p, (size_t)(end - p),
					  NULL, &bl, NULL,
					  sodium_base64_VARIANT_ORIGINAL),
			0);
		/* each word whole characters (RFC 2047 5.3) */
		assert_true(text_valid_utf8((const char *)bin, bl));
		memcpy(out + o, bin, bl);
		o += bl;
		p = end + 2;
	}
	out[o] = '\0';
	return out;
}

static void test_header_encoding(void **state)
{
	assert_string_equal(mail_header_encode(&A, "Hello world", 9),
			    "Hello world");
	assert_string_equal(mail_header_encode(&A, "Xin chào", 9),
			    "=?UTF-8?B?WGluIGNow6Bv?=");
	/* "=?" in ASCII text would read as a word: encoded */
	assert_string_equal(mail_header_encode(&A, "a=?b", 9),
			    "=?UTF-8?B?YT0/Yg==?=");
	const char *subject =
		"[UBND xã Tiên Tiến] 1.234 thông báo chưa đọc ngày 02/03/2026 "
		"– nhiệm vụ quá hạn, yêu cầu giải trình, đôn đốc 😀 tiến độ";
	char *h = mail_header_encode(&A, subject, strlen("Subject: "));
	char *line = arena_printf(&A, "Subject: %s\r\n", h);
	check_lines(line);
	char *d = header_decode(h);
	assert_string_equal(d, subject);
	free(d);
	/* a long ASCII subject is folded through encoded words too */
	char longs[200];
	memset(longs, 'x', 150);
	longs[150] = '\0';
	h = mail_header_encode(&A, longs, 9);
	check_lines(arena_printf(&A, "Subject: %s\r\n", h));
	d = header_decode(h);
	assert_string_equal(d, longs);
	free(d);
}

static void test_date(void **state)
{
	assert_string_equal(mail_date(&A, 0),
			    "Thu, 01 Jan 1970 07:00:00 +0700");
	/* 2026-03-02T00:00:00Z is 07:00 on Monday in Hanoi */
	assert_string_equal(mail_date(&A, 1772409600),
			    "Mon, 02 Mar 2026 07:00:00 +0700");
	/* 17:30 UTC is already the next day there */
	assert_string_equal(mail_date(&A, 1772409600 - 6 * 3600 - 1800),
			    "Mon, 02 Mar 2026 00:30:00 +0700");
	assert_string_equal(mail_date(&A, 1772409600 - 7 * 3600 - 1),
			    "Sun, 01 Mar 2026 23:59:59 +0700");
}

static void test_addresses(void **state)
{
	assert_true(mail_address_ok("a@b.vn"));
	assert_true(
		mail_address_ok("nguyen.van-a+plan@tientien.hungyen.gov.vn"));
	assert_false(mail_address_ok(""));
	assert_false(mail_address_ok("a"));
	assert_false(mail_address_ok("@b.vn"));
	assert_false(mail_address_ok("a@"));
	assert_false(mail_address_ok("a@@b.vn"));
	assert_false(mail_address_ok("a b@c.vn"));
	assert_false(mail_address_ok("a@b.vn\r\nBcc: x@y.vn"));
	assert_false(mail_address_ok("a@b.vn>, <x@y.vn"));
	assert_false(mail_address_ok("tên@b.vn"));
	assert_false(mail_address_ok("a@b_c.vn"));
	assert_false(mail_address_ok("a@.vn"));

	struct mail_address m;
	struct error e = {0};
	assert_int_equal(mail_parse_address(&A,
					    "UBND xã Tiên Tiến <khongtraloi@"
					    "tientien.vn>",
					    &m, &e),
			 ERR_OK);
	assert_string_equal(m.name, "UBND xã Tiên Tiến");
	assert_string_equal(m.addr, "khongtraloi@tientien.vn");
	assert_int_equal(mail_parse_address(&A, " a@b.vn ", &m, &e), ERR_OK);
	assert_string_equal(m.name, "");
	assert_string_equal(m.addr, "a@b.vn");
	assert_int_equal(
		mail_parse_address(&A, "\"Văn phòng\" <vp@b.vn>", &m, &e),
		ERR_OK);
	assert_string_equal(m.name, "Văn phòng");
	assert_int_equal(mail_parse_address(&A, "X <a@b.vn", &m, &e),
			 ERR_INVALID);
	assert_int_equal(mail_parse_address(&A, "no address", &m, &e),
			 ERR_INVALID);
}

/* The header block's value of one field (folded lines joined), or NULL. */
static char *header_value(const char *msg, const char *name)
{
	size_t n = strlen(name);
	const char *end = strstr(msg, "\r\n\r\n");
	for (const char *p = msg; p && p < end;) {
		if (!strncmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			const char *q = v;
			while (!(q[0] == '\r' && q[1] == '\n' && q[2] != ' '))
				q++;
			return arena_strndup(&A, v, (size_t)(q - v));
		}
		p = strstr(p, "\r\n");
		if (p)
			p += 2;
	}
	return NULL;
}

static void test_format(void **state)
{
	struct mail_message m = {
		.from = {"UBND xã Tiên Tiến", "khongtraloi@tientien.vn"},
		.to = {"Nguyễn Thị Bích Ngọc Anh Thư Phương Hoàng",
		       "bich.ngoc.anh.thu.phuong.hoang@vanphong.tientien.vn"},
		.subject = "[UBND xã Tiên Tiến] 2 thông báo chưa đọc ngày "
			   "02/03/2026",
		.body = "Kính gửi bà Thư,\n\n1. Nhiệm vụ mới\n.\n",
		.message_id = "<quantri.outbox-7.abc@tientien.vn>",
		.date = 1772409600,
	};
	char *msg;
	size_t len;
	struct error e = {0};
	assert_int_equal(mail_format(&A, &m, &msg, &len, &e), ERR_OK);
	assert_int_equal(len, strlen(msg));
	check_lines(msg);
	assert_string_equal(header_value(msg, "Date"),
			    "Mon, 02 Mar 2026 07:00:00 +0700");
	assert_string_equal(header_value(msg, "Message-ID"),
			    "<quantri.outbox-7.abc@tientien.vn>");
	assert_string_equal(header_value(msg, "Content-Type"),
			    "text/plain; charset=UTF-8");
	assert_string_equal(header_value(msg, "Content-Transfer-Encoding"),
			    "quoted-printable");
	assert_string_equal(header_value(msg, "MIME-Version"), "1.0");
	char *subj = header_decode(header_value(msg, "Subject"));
	assert_string_equal(subj, m.subject);
	free(subj);
	/* To: the encoded name, then the address (folded onto its own line) */
	char *to = header_value(msg, "To");
	char *lt = strrchr(to, '<');
	assert_non_null(lt);
	assert_string_equal(lt, "<bich.ngoc.anh.thu.phuong.hoang@vanphong."
				"tientien.vn>");
	char *name = header_decode(arena_strndup(&A, to, (size_t)(lt - to)));
	assert_string_equal(name, m.to.name);
	free(name);
	char *body = qp_decode(strstr(msg, "\r\n\r\n") + 4);
	assert_string_equal(body, m.body);
	free(body);

	/* a plain name stays readable */
	struct mail_message p = m;
	p.to = (struct mail_address){"Chu tich", "ct@tientien.vn"};
	p.from = (struct mail_address){"", "quantri@localhost"};
	assert_int_equal(mail_format(&A, &p, &msg, &len, &e), ERR_OK);
	assert_string_equal(header_value(msg, "To"),
			    "Chu tich <ct@tientien.vn>");
	assert_string_equal(header_value(msg, "From"), "quantri@localhost");
}

static void test_format_refuses(void **state)
{
	struct mail_message m = {
		.from = {"", "a@b.vn"},
		.to = {"", "c@d.vn"},
		.subject = "ok",
		.body = "ok\n",
		.message_id = "<x@b.vn>",
	};
	char *msg;
	size_t len;
	struct error e = {0};
	struct mail_message bad = m;
	bad.to.addr = "c@d.vn\r\nBcc: spy@x.vn";
	assert_int_equal(mail_format(&A, &bad, &msg, &len, &e), ERR_INVALID);
	bad = m;
	bad.subject = "two\r\nBcc: spy@x.vn";
	assert_int_equal(mail_format(&A, &bad, &msg, &len, &e), ERR_INVALID);
	bad = m;
	bad.to.name = "Tên\nBcc: spy@x.vn";
	assert_int_equal(mail_format(&A, &bad, &msg, &len, &e), ERR_INVALID);
	bad = m;
	bad.body = "\xc3\x28 not utf-8";
	assert_int_equal(mail_format(&A, &bad, &msg, &len, &e), ERR_INVALID);
	bad = m;
	bad.message_id = "<a b>";
	assert_int_equal(mail_format(&A, &bad, &msg, &len, &e), ERR_INVALID);
	assert_int_equal(mail_format(&A, &m, &msg, &len, &e), ERR_OK);
}

static void test_message_id(void **state)
{
	char *a = mail_message_id(&A, "outbox-3", "x@tientien.vn");
	char *b = mail_message_id(&A, "outbox-3", "x@tientien.vn");
	assert_non_null(a);
	assert_true(!strncmp(a, "<quantri.outbox-3.", 18));
	assert_non_null(strstr(a, "@tientien.vn>"));
	assert_string_not_equal(a, b); /* random part */
}

/* The e-mail settings (base/config.c): checked as they are read. */
static void test_config_keys(void **state)
{
	struct config c;
	struct error e = {0};
	config_defaults(&c);
	assert_string_equal(c.smtp_url, "");
	assert_string_equal(c.smtp_from, "quantri@localhost");
	assert_int_equal(c.digest_hour, 7);
	assert_int_equal(
		config_set(&c, "smtp_url", "smtp://127.0.0.1:2525", &e),
		ERR_OK);
	assert_string_equal(c.smtp_url, "smtp://127.0.0.1:2525");
	assert_int_equal(config_set(&c, "smtp_url",
				    "smtps://u:secret-pw@smtp.example.vn:465",
				    &e),
			 ERR_OK);
	/* a bad URL is refused without repeating it: it may hold a
	 * password */
	assert_int_equal(config_set(&c, "smtp_url",
				    "http://u:secret-pw@smtp.example.vn", &e),
			 ERR_INVALID);
	assert_null(strstr(e.msg, "secret-pw"));
	assert_int_equal(config_set(&c, "smtp_url", "smtp://a b", &e),
			 ERR_INVALID);
	assert_int_equal(config_set(&c, "smtp_url", "", &e), ERR_OK);
	assert_string_equal(c.smtp_url, "");
	assert_int_equal(config_set(&c, "smtp_from", "UBND <a@b.vn>", &e),
			 ERR_OK);
	assert_int_equal(config_set(&c, "smtp_from", "nobody", &e),
			 ERR_INVALID);
	char pw[300];
	memset(pw, 'p', sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	assert_int_equal(config_set(&c, "smtp_password", pw, &e), ERR_INVALID);
	assert_null(strstr(e.msg, "ppp"));
	assert_int_equal(config_set(&c, "smtp_password", "", &e), ERR_OK);
	assert_int_equal(config_set(&c, "smtp_user", "", &e), ERR_OK);
	assert_int_equal(config_set(&c, "digest_hour", "0", &e), ERR_OK);
	assert_int_equal(config_set(&c, "digest_hour", "24", &e), ERR_INVALID);
	assert_int_equal(config_set(&c, "public_url", "https://qt.x.vn//", &e),
			 ERR_OK);
	assert_string_equal(c.public_url, "https://qt.x.vn");
	assert_int_equal(config_set(&c, "public_url", "qt.x.vn", &e),
			 ERR_INVALID);
}

int main(void)
{
	arena_init(&A, 64 << 20);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qp_small),
		cmocka_unit_test(test_qp_long_lines),
		cmocka_unit_test(test_qp_round_trip),
		cmocka_unit_test(test_header_encoding),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_refuses),
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_config_keys),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_release(&A);
	return rc;
}
