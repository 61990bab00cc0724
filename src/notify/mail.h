/* E-mail messages as RFC 5322 wants them, and their delivery over SMTP
 * (libcurl). The formatting is pure (unit-tested); the transport is the
 * only part that talks to the network.
 *
 * A message is 7-bit clean whatever the server: headers with Vietnamese
 * text are RFC 2047 encoded words (=?UTF-8?B?...?=), the body is
 * quoted-printable UTF-8 plain text. Every line ends in CRLF and holds at
 * most 76 characters; no line starts with a dot, so SMTP dot-stuffing
 * never has to change it. */
#ifndef NOTIFY_MAIL_H
#define NOTIFY_MAIL_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "../base/arena.h"
#include "../base/config.h"
#include "../base/error.h"

enum {
	MAIL_LINE_MAX = 76,      /* characters of a line, without CRLF */
	MAIL_BODY_MAX = 1 << 20, /* bytes of a body before encoding */
	MAIL_SUBJECT_MAX = 998,  /* bytes of a subject before encoding */
	MAIL_ADDRESS_MAX = 254,  /* RFC 5321 path limit */
};

struct mail_address {
	const char *name; /* display name, UTF-8, may be NULL or "" */
	const char *addr; /* local@domain */
};

/* A plain address: local@domain, printable ASCII, no spaces, quotes,
 * brackets, commas or semicolons (nothing that could open another header
 * or recipient), at most MAIL_ADDRESS_MAX bytes. */
bool mail_address_ok(const char *addr);
/* "Name <a@b>" or "a@b" (smtp_from). */
enum err mail_parse_address(struct arena *a, const char *s,
			    struct mail_address *out, struct error *e);

/* The header value of text (UTF-8): as is when it is printable ASCII that
 * fits the line, else RFC 2047 B encoded words of whole characters, folded
 * with CRLF SP so no line passes MAIL_LINE_MAX. `used`: characters
 * already on the first line ("Subject: " is 9). */
char *mail_header_encode(struct arena *a, const char *text, size_t used);
/* Quoted-printable (RFC 2045) of text, whose lines end in LF or CRLF:
 * CRLF line ends, soft breaks before MAIL_LINE_MAX, trailing blanks, '='
 * and bytes outside printable ASCII as =XX, a leading '.' as =2E and a
 * leading "From " with =46. */
char *mail_qp_encode(struct arena *a, const char *text, size_t len);
/* RFC 5322 date in Vietnam time: "Mon, 02 Mar 2026 07:00:00 +0700". */
char *mail_date(struct arena *a, time_t t);

struct mail_message {
	struct mail_address from, to;
	const char *subject;    /* UTF-8, one line */
	const char *body;       /* UTF-8 plain text, LF line ends */
	const char *message_id; /* "<x@y>" */
	time_t date;
};
/* The whole message, headers and body, CRLF line ends. ERR_INVALID for a
 * bad address, a subject with a line break, text that is not UTF-8 or
 * over its limit. */
enum err mail_format(struct arena *a, const struct mail_message *m, char **out,
		     size_t *len, struct error *e);
/* "<quantri.TAG.RANDOM@domain-of-from>" */
char *mail_message_id(struct arena *a, const char *tag, const char *from_addr);

/* An SMTP session with cfg's server (smtp_url, smtp_user, smtp_password):
 * the connection is reused between messages. Never logs the password. */
struct mail_smtp {
	void *curl; /* CURL * */
	const struct config *cfg;
	struct mail_address from;
	bool server_down; /* the last failure was reaching the server */
};
enum err mail_smtp_init(struct mail_smtp *s, struct arena *a,
			const struct config *cfg, struct error *e);
/* Sends one formatted message to one recipient. On failure e says why
 * (the server's answer when there is one). */
enum err mail_smtp_send(struct mail_smtp *s, const char *to, const char *msg,
			size_t len, struct error *e);
void mail_smtp_release(struct mail_smtp *s);

#endif
