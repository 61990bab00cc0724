/* Mail messages (RFC 5322, 2045, 2047) and their SMTP delivery through
 * libcurl. */
#include "mail.h"
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "../base/calendar.h"
#include "../base/text.h"
#include "../base/banned.h"

/* ---- addresses ---- */

static bool addr_char(unsigned char c)
{
	return c > ' ' && c < 0x7f && !strchr("<>()[],;:\"\\", c);
}

bool mail_address_ok(const char *addr)
{
	if (!addr)
		return false;
	size_t n = strlen(addr);
	const char *at = strchr(addr, '@');
	if (n < 3 || n > MAIL_ADDRESS_MAX || !at || at == addr || !at[1] ||
	    strchr(at + 1, '@'))
		return false;
	for (const char *p = addr; *p; p++)
		if (!addr_char((unsigned char)*p))
			return false;
	/* the domain: letters, digits, dots and hyphens */
	for (const char *p = at + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return false;
	return at[1] != '.' && addr[n - 1] != '.';
}

static char *trim_n(struct arena *a, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	return arena_strndup(a, s, n);
}

enum err mail_parse_address(struct arena *a, const char *s,
			    struct mail_address *out, struct error *e)
{
	out->name = "";
	out->addr = NULL;
	if (!s)
		s = "";
	const char *lt = strrchr(s, '<');
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (lt) {
		if (!n || s[n - 1] != '>' || lt > s + n - 1)
			return error_set(e, ERR_INVALID,
					 "bad address \"%s\": no closing >", s);
		out->name = trim_n(a, s, (size_t)(lt - s));
		out->addr = trim_n(a, lt + 1, (size_t)(s + n - 1 - lt - 1));
	} else {
		out->addr = trim_n(a, s, n);
	}
	if (!out->name || !out->addr)
		return error_set(e, ERR_NOMEM, "out of memory");
	if (!mail_address_ok(out->addr))
		return error_set(e, ERR_INVALID, "bad address \"%s\"", s);
	if (!text_valid_utf8(out->name, strlen(out->name)) ||
	    strpbrk(out->name, "\r\n"))
		return error_set(e, ERR_INVALID, "bad display name in \"%s\"",
				 s);
	return ERR_OK;
}

/* ---- RFC 2047 encoded words ---- */

/* Printable ASCII without "=?": safe in a header as it is. */
static bool plain_ascii(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < ' ' || (unsigned char)*p > '~' ||
		    (p[0] == '=' && p[1] == '?'))
			return false;
	return true;
}

static size_t utf8_char_len(const char *s, size_t left)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80             ? 1
		   : (c & 0xe0) == 0xc0 ? 2
		   : (c & 0xf0) == 0xe0 ? 3
		   : (c & 0xf8) == 0xf0 ? 4
					: 1;
	return n > left ? left : n;
}

enum { WORD_OVERHEAD = 12 }; /* "=?UTF-8?B?" and "?=" */

/* text as encoded words, whatever it holds. */
static char *encode_words(struct arena *a, const char *text, size_t used)
{
	size_t n = strlen(text);
	/* at most 45 bytes a word, each word at most 75 characters plus a
	 * fold; generous */
	size_t cap = n * 2 + (n / 3 + 2) * (WORD_OVERHEAD + 4) + 64;
	char *out = arena_alloc(a, cap);
	if (!out)
		return NULL;
	size_t o = 0, i = 0, col = used;
	bool first = true;
	while (first || i < n) {
		if (!first) {
			memcpy(out + o, "\r\n ", 3);
			o += 3;
			col = 1;
		}
		size_t room = col + WORD_OVERHEAD < MAIL_LINE_MAX
				      ? MAIL_LINE_MAX - col - WORD_OVERHEAD
				      : 0;
		size_t raw = room / 4 * 3;
		if (raw < 6) /* a long header name: overflow a little */
			raw = 6;
		size_t take = 0;
		while (i + take < n) {
			size_t cl =
				utf8_char_len(text + i + take, n - i - take);
			if (take + cl > raw)
				break;
			take += cl;
		}
		char b64[sodium_base64_ENCODED_LEN(
			64, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64,
				  (const unsigned char *)text + i, take,
				  sodium_base64_VARIANT_ORIGINAL);
		size_t bl = strlen(b64);
		if (o + WORD_OVERHEAD + bl + 4 > cap)
			return NULL; /* cannot happen: cap is generous */
		memcpy(out + o, "=?UTF-8?B?", 10);
		o += 10;
		memcpy(out + o, b64, bl);
		o += bl;
		memcpy(out + o, "?=", 2);
		o += 2;
		col += WORD_OVERHEAD + bl;
		i += take;
		first = false;
	}
	out[o] = '\0';
	return out;
}

char *mail_header_encode(struct arena *a, const char *text, size_t used)
{
	if (plain_ascii(text) && used + strlen(text) <= MAIL_LINE_MAX)
		return arena_strdup(a, text);
	return encode_words(a, text, used);
}

/* ---- quoted-printable ---- */

static const char hexdig[] = "0123456789ABCDEF";

char *mail_qp_encode(struct arena *a, const char *text, size_t len)
{
	/* 3 characters a byte at most, a soft break every 73 or more,
	 * CRLF for LF */
	size_t cap = len * 5 + 16;
	char *out = arena_alloc(a, cap);
	if (!out)
		return NULL;
	const unsigned char *s = (const unsigned char *)text;
	size_t o = 0, i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && s[end] != '\n')
			end++;
		size_t lend = end;
		if (lend > i && s[lend - 1] == '\r')
			lend--;
		/* mbox readers turn a line "From " into ">From " */
		bool from_line = lend - i >= 5 && !memcmp(s + i, "From ", 5);
		size_t col = 0;
		for (size_t k = i; k < lend; k++) {
			unsigned char c = s[k];
			bool last = k + 1 == lend;
			bool enc =
				c == '=' || (c < ' ' && c != '\t') || c > '~' ||
				((c == ' ' || c == '\t') && last) ||
				(k == i && from_line) || (col == 0 && c == '.');
			size_t tl = enc ? 3 : 1;
			/* room for the '=' of a soft break, unless this is
			 * the line's last character */
			if (col + tl >
			    (last ? MAIL_LINE_MAX : MAIL_LINE_MAX - 1)) {
				memcpy(out + o, "=\r\n", 3);
				o += 3;
				col = 0;
				if (c == '.') /* SMTP would double it */
					enc = true, tl = 3;
				/* the new line is a line to mbox too */
				if (lend - k >= 5 && !memcmp(s + k, "From ", 5))
					enc = true, tl = 3;
			}
			if (enc) {
				out[o++] = '=';
				out[o++] = hexdig[c >> 4];
				out[o++] = hexdig[c & 15];
			} else {
				out[o++] = (char)c;
			}
			col += tl;
		}
		memcpy(out + o, "\r\n", 2);
		o += 2;
		i = end + 1;
	}
	out[o] = '\0';
	return out;
}

/* ---- the message ---- */

char *mail_date(struct arena *a, time_t t)
{
	static const char *const wd[] = {"",    "Mon", "Tue", "Wed",
					 "Thu", "Fri", "Sat", "Sun"};
	static const char *const mon[] = {"",    "Jan", "Feb", "Mar", "Apr",
					  "May", "Jun", "Jul", "Aug", "Sep",
					  "Oct", "Nov", "Dec"};
	long long local = (long long)t + 7 * 3600;
	long long days = local / 86400, secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	struct date d = date_from_days((long)days);
	return arena_printf(a, "%s, %02d %s %04d %02lld:%02lld:%02lld +0700",
			    wd[date_weekday(d)], d.d, mon[d.m], d.y,
			    secs / 3600, secs / 60 % 60, secs % 60);
}

char *mail_message_id(struct arena *a, const char *tag, const char *from_addr)
{
	unsigned char rnd[8];
	char hex[17];
	if (sodium_init() < 0)
		return NULL;
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	const char *at = from_addr ? strchr(from_addr, '@') : NULL;
	return arena_printf(a, "<quantri.%s.%s@%s>", tag, hex,
			    at ? at + 1 : "localhost");
}

/* A display name that needs neither quotes nor encoding. */
static bool plain_phrase(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == ' ' || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}

/* "Name: phrase <addr>", folded before <addr> when the line is full. */
static char *address_header(struct arena *a, const char *hname,
			    const struct mail_address *m)
{
	size_t used = strlen(hname) + 2;
	if (!m->name || !*m->name)
		return arena_printf(a, "%s: %s\r\n", hname, m->addr);
	/* anything but letters, digits and spaces is encoded: no quoting
	 * rules to get wrong */
	const char *phrase =
		plain_phrase(m->name) && used + strlen(m->name) <= MAIL_LINE_MAX
			? m->name
			: encode_words(a, m->name, used);
	if (!phrase)
		return NULL;
	const char *nl = strrchr(phrase, '\n');
	size_t col = nl ? strlen(nl + 1) : used + strlen(phrase);
	bool fold = col + 3 + strlen(m->addr) > MAIL_LINE_MAX;
	return arena_printf(a, "%s: %s%s<%s>\r\n", hname, phrase,
			    fold ? "\r\n " : " ", m->addr);
}

static bool one_line_utf8(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n <= max && text_valid_utf8(s, n) && !strpbrk(s, "\r\n");
}

enum err mail_format(struct arena *a, const struct mail_message *m, char **out,
		     size_t *len, struct error *e)
{
	if (!mail_address_ok(m->from.addr))
		return error_set(e, ERR_INVALID, "bad sender address \"%s\"",
				 m->from.addr ? m->from.addr : "");
	if (!mail_address_ok(m->to.addr))
		return error_set(e, ERR_INVALID, "bad recipient address \"%s\"",
				 m->to.addr ? m->to.addr : "");
	if (!one_line_utf8(m->subject ? m->subject : "", MAIL_SUBJECT_MAX))
		return error_set(e, ERR_INVALID,
				 "subject: not one line of UTF-8 up to %d "
				 "bytes",
				 MAIL_SUBJECT_MAX);
	if ((m->from.name && !one_line_utf8(m->from.name, 256)) ||
	    (m->to.name && !one_line_utf8(m->to.name, 256)))
		return error_set(e, ERR_INVALID,
				 "display name: not one line of UTF-8");
	const char *body = m->body ? m->body : "";
	size_t blen = strlen(body);
	if (blen > MAIL_BODY_MAX || !text_valid_utf8(body, blen))
		return error_set(e, ERR_INVALID,
				 "body: not UTF-8 up to %d bytes",
				 MAIL_BODY_MAX);
	if (!m->message_id || !*m->message_id ||
	    strpbrk(m->message_id, "\r\n "))
		return error_set(e, ERR_INVALID, "bad message id");
	char *from = address_header(a, "From", &m->from);
	char *to = address_header(a, "To", &m->to);
	char *subject = mail_header_encode(a, m->subject ? m->subject : "",
					   strlen("Subject: "));
	char *date = mail_date(a, m->date);
	char *qp = mail_qp_encode(a, body, blen);
	if (!from || !to || !subject || !date || !qp)
		return error_set(e, ERR_NOMEM, "mail: out of memory");
	char *msg =
		arena_printf(a,
			     "Date: %s\r\n%s%sSubject: %s\r\nMessage-ID: %s\r\n"
			     "MIME-Version: 1.0\r\n"
			     "Content-Type: text/plain; charset=UTF-8\r\n"
			     "Content-Transfer-Encoding: quoted-printable\r\n"
			     "Auto-Submitted: auto-generated\r\n"
			     "\r\n%s",
			     date, from, to, subject, m->message_id, qp);
	if (!msg)
		return error_set(e, ERR_NOMEM, "mail: out of memory");
	*out = msg;
	if (len)
		*len = strlen(msg);
	return ERR_OK;
}

/* ---- SMTP through libcurl ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool loopback(const char *host)
{
	return !strcmp(host, "localhost") || !strncmp(host, "127.", 4) ||
	       !strcmp(host, "[::1]") || !strcmp(host, "::1");
}

/* TLS: none on loopback (a local relay's self-signed certificate would
 * only fail); else STARTTLS when offered, required when a password would
 * otherwise cross the network in clear text. smtps:// is TLS anyway. */
static enum err tls_policy(const struct config *cfg, long *use_ssl,
			   struct error *e)
{
	CURLU *u = curl_url();
	char *host = NULL, *pass = NULL;
	if (!u)
		return error_set(e, ERR_NOMEM, "smtp: out of memory");
	CURLUcode rc = curl_url_set(u, CURLUPART_URL, cfg->smtp_url, 0);
	if (!rc)
		rc = curl_url_get(u, CURLUPART_HOST, &host, 0);
	if (rc) {
		curl_url_cleanup(u);
		/* not the URL itself: it may hold a password */
		return error_set(e, ERR_INVALID,
				 "smtp_url: not a valid URL (%s)",
				 curl_url_strerror(rc));
	}
	bool has_pass =
		cfg->smtp_password[0] ||
		curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK;
	*use_ssl = loopback(host) ? CURLUSESSL_NONE
		   : has_pass     ? CURLUSESSL_ALL
				  : CURLUSESSL_TRY;
	curl_free(host);
	curl_free(pass);
	curl_url_cleanup(u);
	return ERR_OK;
}

enum err mail_smtp_init(struct mail_smtp *s, struct arena *a,
			const struct config *cfg, struct error *e)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	if (!cfg->smtp_url[0])
		return error_set(e, ERR_INVALID,
				 "smtp_url is not set: no mail can be sent");
	enum err err = mail_parse_address(a, cfg->smtp_from, &s->from, e);
	if (err)
		return error_set(e, err, "smtp_from: %s", e->msg);
	long use_ssl;
	if ((err = tls_policy(cfg, &use_ssl, e)))
		return err;
	pthread_once(&curl_once, curl_start);
	CURL *c = curl_easy_init();
	if (!c)
		return error_set(e, ERR_NOMEM, "smtp: curl_easy_init failed");
	s->curl = c;
	char *mail_from = arena_printf(a, "<%s>", s->from.addr);
	if (!mail_from)
		return error_set(e, ERR_NOMEM, "smtp: out of memory");
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
	if (cfg->smtp_user[0])
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
	if (cfg->smtp_password[0])
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	return ERR_OK;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t read_message(char *buf, size_t size, size_t nitems, void *ud)
{
	struct reader *r = ud;
	size_t n = size * nitems;
	if (n > r->left)
		n = r->left;
	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

enum err mail_smtp_send(struct mail_smtp *s, const char *to, const char *msg,
			size_t len, struct error *e)
{
	CURL *c = s->curl;
	s->server_down = false;
	if (!c)
		return error_set(e, ERR_INTERNAL, "smtp: session not open");
	if (!mail_address_ok(to))
		return error_set(e, ERR_INVALID, "bad recipient address \"%s\"",
				 to ? to : "");
	char rcpt[MAIL_ADDRESS_MAX + 3];
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *list = curl_slist_append(NULL, rcpt);
	if (!list)
		return error_set(e, ERR_NOMEM, "smtp: out of memory");
	struct reader r = {msg, len};
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &r);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	CURLcode rc = curl_easy_perform(c);
	/* nothing of this call's stack stays in the handle */
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c, CURLOPT_READDATA, NULL);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(list);
	if (rc == CURLE_OK)
		return ERR_OK;
	/* the server, not this message: the rest of the outbox waits */
	s->server_down = rc == CURLE_COULDNT_CONNECT ||
			 rc == CURLE_COULDNT_RESOLVE_HOST ||
			 rc == CURLE_OPERATION_TIMEDOUT ||
			 rc == CURLE_SSL_CONNECT_ERROR ||
			 rc == CURLE_PEER_FAILED_VERIFICATION ||
			 rc == CURLE_USE_SSL_FAILED ||
			 rc == CURLE_LOGIN_DENIED ||
			 rc == CURLE_WEIRD_SERVER_REPLY;
	size_t n = strlen(errbuf);
	while (n && (errbuf[n - 1] == '\n' || errbuf[n - 1] == '\r'))
		errbuf[--n] = '\0';
	/* curl's detail says more than its code's name ("Failed to connect
	 * to ... port 25", "RCPT failed: 550") */
	return error_set(e, ERR_IO, "smtp: %s",
			 n ? errbuf : curl_easy_strerror(rc));
}

void mail_smtp_release(struct mail_smtp *s)
{
	if (s->curl)
		curl_easy_cleanup(s->curl);
	s->curl = NULL;
}
