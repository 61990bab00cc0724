/* libFuzzer: the mail encoders of notify/mail.h, each checked against
 * what it promises, decoded back.
 * - mail_qp_encode: 7-bit printable lines ending in CRLF, at most 76
 *   characters, none starting with '.' or "From ", none ending in a blank;
 *   decoding gives the text back with CRLF line ends.
 * - mail_header_encode: the text as is (printable ASCII that fits) or
 *   encoded words folded with CRLF SP, lines within 76 characters; the
 *   words decode to the text, each word whole characters of valid UTF-8.
 * - mail_address_ok / mail_parse_address: an accepted address holds
 *   nothing that could open another header or recipient.
 * - mail_format: a 7-bit message, CRLF only, one From/To/Subject header
 *   each (no injected header), body lines within 76, the body decoding
 *   back to what was sent.
 * Input: NUL-separated fields: subject, sender ("Name <a@b>"), recipient
 * name, recipient address, body; the first byte also sets the column a
 * header value starts at. The whole input is also a body on its own. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>
#include "notify/mail.h"
#include "base/text.h"
#include "base/banned.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* The lines of a 7-bit CRLF text: no bare CR or LF, nothing outside
 * printable ASCII, each at most max characters. */
static void check_lines(const char *s, size_t n, size_t max)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r') {
			CHECK(i + 1 < n && s[i + 1] == '\n');
			i++;
			col = 0;
			continue;
		}
		CHECK(c != '\n');
		CHECK((c >= ' ' && c <= '~') || c == '\t');
		col++;
		CHECK(col <= max);
	}
}

/* text with its line ends as the encoder makes them: each line (LF or
 * CRLF ended, or the last one unended) followed by CRLF */
static size_t expected_qp_text(const unsigned char *s, size_t n,
			       unsigned char *out)
{
	size_t o = 0, i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '\n')
			end++;
		size_t lend = end;
		if (lend > i && s[lend - 1] == '\r')
			lend--;
		memcpy(out + o, s + i, lend - i);
		o += lend - i;
		out[o++] = '\r';
		out[o++] = '\n';
		i = end + 1;
	}
	return o;
}

static void check_qp(struct arena *a, const unsigned char *s, size_t n)
{
	char *q = mail_qp_encode(a, (const char *)s, n);
	CHECK(q);
	size_t qn = strlen(q);
	check_lines(q, qn, MAIL_LINE_MAX);
	CHECK(qn == 0 || (qn >= 2 && q[qn - 2] == '\r' && q[qn - 1] == '\n'));
	/* line starts and ends that transports would change */
	for (size_t i = 0; i < qn; i++) {
		bool start = i == 0 || q[i - 1] == '\n';
		if (start) {
			CHECK(q[i] != '.');
			CHECK(qn - i < 5 || memcmp(q + i, "From ", 5));
		}
		if (q[i] == '\r')
			CHECK(i == 0 || (q[i - 1] != ' ' && q[i - 1] != '\t'));
	}
	/* decoded: the text back */
	unsigned char *dec = arena_alloc(a, qn + 1);
	unsigned char *want = arena_alloc(a, n * 2 + 3);
	CHECK(dec && want);
	size_t o = 0;
	for (size_t i = 0; i < qn;) {
		if (q[i] != '=') {
			dec[o++] = (unsigned char)q[i++];
			continue;
		}
		if (i + 2 < qn && q[i + 1] == '\r' && q[i + 2] == '\n') {
			i += 3; /* a soft break */
			continue;
		}
		CHECK(i + 2 < qn);
		int h = hexval(q[i + 1]), l = hexval(q[i + 2]);
		CHECK(h >= 0 && l >= 0);
		dec[o++] = (unsigned char)(h << 4 | l);
		i += 3;
	}
	size_t wn = expected_qp_text(s, n, want);
	CHECK(o == wn && !memcmp(dec, want, o));
}

/* A header value as mail_header_encode makes it, starting at column
 * used: decoded back to text. */
static void check_header(struct arena *a, const char *text, size_t used)
{
	char *h = mail_header_encode(a, text, used);
	CHECK(h);
	size_t hn = strlen(h);
	if (!strcmp(h, text)) {
		/* as is: printable ASCII that fits */
		CHECK(used + hn <= MAIL_LINE_MAX);
		check_lines(h, hn, MAIL_LINE_MAX);
		CHECK(!strstr(h, "=?") || !*text);
		return;
	}
	/* folded lines: the first after `used` characters */
	size_t col = used;
	for (size_t i = 0; i < hn; i++) {
		if (h[i] == '\r') {
			CHECK(i + 2 < hn && h[i + 1] == '\n' &&
			      h[i + 2] == ' ');
			i += 2;
			col = 1;
			continue;
		}
		CHECK(h[i] > ' ' && h[i] <= '~');
		col++;
		/* a header name longer than the room for one word may push
		 * the first word a little past; the rest stay within */
		CHECK(col <= MAIL_LINE_MAX || used + 12 + 8 > MAIL_LINE_MAX);
	}
	/* the words, decoded and joined */
	size_t tn = strlen(text);
	unsigned char *dec = arena_alloc(a, hn + 1);
	CHECK(dec);
	size_t o = 0;
	const char *p = h;
	bool utf8 = text_valid_utf8(text, tn);
	while (*p) {
		CHECK(!strncmp(p, "=?UTF-8?B?", 10));
		p += 10;
		const char *end = strstr(p, "?=");
		CHECK(end);
		size_t bin;
		CHECK(sodium_base642bin(dec + o, hn + 1 - o, p,
					(size_t)(end - p), NULL, &bin, NULL,
					sodium_base64_VARIANT_ORIGINAL) == 0);
		/* RFC 2047: a word holds whole characters */
		if (utf8)
			CHECK(text_valid_utf8((const char *)dec + o, bin));
		o += bin;
		p = end + 2;
		if (*p) {
			CHECK(!strncmp(p, "\r\n ", 3));
			p += 3;
		}
	}
	CHECK(o == tn && !memcmp(dec, text, tn));
}

static void check_address(struct arena *a, const char *s)
{
	if (mail_address_ok(s)) {
		CHECK(strlen(s) <= MAIL_ADDRESS_MAX);
		CHECK(!strpbrk(s, "<>()[],;:\"\\ \t\r\n"));
		const char *at = strchr(s, '@');
		CHECK(at && at != s && !strchr(at + 1, '@'));
	}
	struct mail_address m;
	struct error e = {0};
	if (mail_parse_address(a, s, &m, &e) == ERR_OK) {
		CHECK(mail_address_ok(m.addr));
		CHECK(m.name && !strpbrk(m.name, "\r\n"));
	}
}

/* a header line of the message's header section starting with name */
static int count_header(const char *msg, size_t hlen, const char *name)
{
	int n = 0;
	size_t k = strlen(name);
	for (size_t i = 0; i + k <= hlen; i++)
		if ((i == 0 || msg[i - 1] == '\n') &&
		    !strncasecmp(msg + i, name, k))
			n++;
	return n;
}

static void check_message(struct arena *a, const char **f)
{
	struct mail_message m = {.subject = f[0],
				 .body = f[4],
				 .message_id = "<quantri.fuzz.1@example.vn>",
				 .date = 1772409600};
	struct error e = {0};
	if (mail_parse_address(a, f[1], &m.from, &e) != ERR_OK)
		m.from = (struct mail_address){"Văn phòng UBND xã",
					       "vanphong@example.vn"};
	m.to = (struct mail_address){f[2], f[3]};
	char *msg;
	size_t len;
	if (mail_format(a, &m, &msg, &len, &e) != ERR_OK)
		return;
	CHECK(len == strlen(msg));
	check_lines(msg, len, 998); /* RFC 5322's hard limit */
	const char *sep = strstr(msg, "\r\n\r\n");
	CHECK(sep);
	size_t hlen = (size_t)(sep - msg) + 2;
	/* nothing the fields held opened a header of its own */
	CHECK(count_header(msg, hlen, "From:") == 1);
	CHECK(count_header(msg, hlen, "To:") == 1);
	CHECK(count_header(msg, hlen, "Subject:") == 1);
	CHECK(count_header(msg, hlen, "Content-Type:") == 1);
	CHECK(count_header(msg, hlen, "Bcc:") == 0);
	CHECK(count_header(msg, hlen, "Cc:") == 0);
	/* the body: what mail_qp_encode makes of it, lines within 76 */
	const char *body = sep + 4;
	char *qp = mail_qp_encode(a, m.body, strlen(m.body));
	CHECK(qp && !strcmp(body, qp));
	check_lines(body, strlen(body), MAIL_LINE_MAX);
	for (const char *p = msg; p; p = strstr(p, "\r\n"), p = p ? p + 2 : p)
		CHECK(*p != '.');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	if (sodium_init() < 0)
		return 0;
	struct arena a;
	arena_init(&a, 64 << 20);
	check_qp(&a, data, size);
	/* the fields, as C strings */
	char *copy = arena_alloc(&a, size + 1);
	CHECK(copy);
	memcpy(copy, data, size);
	copy[size] = '\0';
	const char *f[5] = {"", "", "", "", ""};
	size_t used = size ? data[0] % 40 : 0;
	char *p = copy, *end = copy + size;
	for (int i = 0; i < 5 && p <= end; i++) {
		f[i] = p;
		p += strlen(p) + 1;
	}
	for (int i = 0; i < 5; i++)
		check_header(&a, f[i], used);
	check_header(&a, f[0], strlen("Subject: "));
	check_address(&a, f[1]);
	check_address(&a, f[3]);
	check_message(&a, f);
	arena_release(&a);
	return 0;
}
