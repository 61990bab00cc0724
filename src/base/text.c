#include "text.h"
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <utf8proc.h>
#include "clock.h"
#include "banned.h"

size_t text_utf8_prefix(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp, min;
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2, cp = c & 0x1F, min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3, cp = c & 0x0F, min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return i;
		}
		if (n - i < len)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += len;
	}
	return n;
}

bool text_valid_utf8(const char *s, size_t n)
{
	return text_utf8_prefix(s, n) == n;
}

static bool is_space_cp(utf8proc_int32_t c)
{
	if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
		return true;
	utf8proc_category_t cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	       cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC;
}

char *text_fold(struct arena *a, const char *utf8)
{
	if (!utf8 || !text_valid_utf8(utf8, strlen(utf8)))
		return NULL;
	/* NFKD, then marks stripped and case folded: tone and vowel marks
	 * go whichever letter they sat on, so "Hoà" and "Hòa" meet. */
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n =
		utf8proc_map((const utf8proc_uint8_t *)utf8, 0, &mapped,
			     UTF8PROC_NULLTERM | UTF8PROC_STABLE |
				     UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				     UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
	if (n < 0)
		return NULL;
	char *out = arena_alloc(a, (size_t)n + 1);
	if (!out) {
		free(mapped);
		return NULL;
	}
	size_t w = 0;
	bool pending_space = false;
	for (utf8proc_ssize_t i = 0; i < n;) {
		utf8proc_int32_t c;
		utf8proc_ssize_t len = utf8proc_iterate(mapped + i, n - i, &c);
		if (len <= 0)
			break; /* cannot happen: utf8proc wrote it */
		if (is_space_cp(c)) {
			pending_space = w > 0;
		} else {
			if (pending_space)
				out[w++] = ' ';
			pending_space = false;
			if (c ==
			    0x0111) { /* đ (Đ folds to it); it has no decomposition */
				out[w++] = 'd';
			} else {
				memcpy(out + w, mapped + i, (size_t)len);
				w += (size_t)len;
			}
		}
		i += len;
	}
	out[w] = '\0';
	free(mapped);
	return out;
}

/* ICU collators are not thread-safe: one per thread, closed when the
 * thread ends. */
static pthread_key_t collator_key;
static pthread_once_t collator_once = PTHREAD_ONCE_INIT;

static void collator_free(void *p)
{
	ucol_close(p);
}

static void collator_key_init(void)
{
	pthread_key_create(&collator_key, collator_free);
}

static UCollator *collator(void)
{
	pthread_once(&collator_once, collator_key_init);
	UCollator *c = pthread_getspecific(collator_key);
	if (!c) {
		UErrorCode status = U_ZERO_ERROR;
		c = ucol_open("vi", &status);
		if (U_FAILURE(status))
			return NULL;
		pthread_setspecific(collator_key, c);
	}
	return c;
}

static UChar *to_utf16(struct arena *a, const char *s, int32_t *len)
{
	UErrorCode status = U_ZERO_ERROR;
	size_t n = strlen(s);
	if (n > INT32_MAX / 2)
		return NULL;
	u_strFromUTF8(NULL, 0, len, s, (int32_t)n, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return NULL;
	UChar *u = arena_alloc(a, ((size_t)*len + 1) * sizeof(UChar));
	if (!u)
		return NULL;
	status = U_ZERO_ERROR;
	u_strFromUTF8(u, *len + 1, len, s, (int32_t)n, &status);
	return U_FAILURE(status) ? NULL : u;
}

char *text_sort_key(struct arena *a, const char *utf8)
{
	UCollator *coll = collator();
	int32_t ulen;
	if (!coll || !utf8 || !text_valid_utf8(utf8, strlen(utf8)))
		return NULL;
	UChar *u = to_utf16(a, utf8, &ulen);
	if (!u)
		return NULL;
	uint8_t small[256], *key = small;
	int32_t klen = ucol_getSortKey(coll, u, ulen, key, sizeof small);
	if (klen <= 0)
		return NULL;
	if ((size_t)klen > sizeof small) {
		key = arena_alloc(a, (size_t)klen);
		if (!key || ucol_getSortKey(coll, u, ulen, key, klen) != klen)
			return NULL;
	}
	/* The key ends with a 0 byte that strcmp would not see: leave it out. */
	klen--;
	char *hex = arena_alloc(a, (size_t)klen * 2 + 1);
	if (!hex)
		return NULL;
	static const char digits[] = "0123456789abcdef";
	for (int32_t i = 0; i < klen; i++) {
		hex[2 * i] = digits[key[i] >> 4];
		hex[2 * i + 1] = digits[key[i] & 15];
	}
	hex[2 * klen] = '\0';
	return hex;
}

char *text_person_sort_key(struct arena *a, const char *full_name)
{
	if (!full_name)
		return NULL;
	char *name = text_fold(a, full_name) ? text_trim(a, full_name) : NULL;
	if (!name)
		return NULL;
	/* Words separated by ASCII spaces/tabs; given name (last word) first,
	 * then the middle names in order, then the family name. */
	size_t n = strlen(name);
	const char *words[64];
	size_t lens[64];
	int nw = 0;
	for (size_t i = 0; i < n && nw < 64;) {
		while (i < n && (name[i] == ' ' || name[i] == '\t'))
			i++;
		if (i == n)
			break;
		size_t start = i;
		while (i < n && name[i] != ' ' && name[i] != '\t')
			i++;
		words[nw] = name + start;
		lens[nw++] = i - start;
	}
	if (nw <= 1)
		return text_sort_key(a, name);
	char *re = arena_alloc(a, n + 2), *w = re;
	if (!re)
		return NULL;
	int order[64];
	order[0] = nw - 1;
	for (int i = 1; i < nw - 1; i++)
		order[i] = i;
	order[nw - 1] = 0;
	for (int i = 0; i < nw; i++) {
		if (i)
			*w++ = ' ';
		memcpy(w, words[order[i]], lens[order[i]]);
		w += lens[order[i]];
	}
	*w = '\0';
	return text_sort_key(a, re);
}

int text_collate(const char *a, const char *b)
{
	UCollator *coll = collator();
	UErrorCode status = U_ZERO_ERROR;
	if (coll) {
		UCollationResult r =
			ucol_strcollUTF8(coll, a, -1, b, -1, &status);
		if (U_SUCCESS(status))
			return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
	}
	return strcmp(a, b);
}

char *text_format_number(struct arena *a, double v, int decimals)
{
	if (!isfinite(v))
		return arena_strdup(a, "—");
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	/* Through 15 significant digits first, so that 1.005 (stored as
	 * 1.00499999...) rounds the way a person reading it expects. */
	char tmp[400];
	double x = fabs(v) * pow(10, decimals);
	snprintf(tmp, sizeof tmp, "%.15g", x);
	x = round(strtod(tmp, NULL)); /* half away from zero */
	snprintf(tmp, sizeof tmp, "%.0f", x);
	size_t nd = strlen(tmp);
	bool negative = v < 0 && x != 0;
	/* Integer digits are tmp minus the last `decimals` digits. */
	char digits[400];
	size_t need = (size_t)decimals + 1;
	if (nd < need) {
		memset(digits, '0', need - nd);
		memcpy(digits + (need - nd), tmp, nd + 1);
		nd = need;
	} else {
		memcpy(digits, tmp, nd + 1);
	}
	size_t ni = nd - (size_t)decimals;
	char *out = arena_alloc(a, nd + ni / 3 + 4), *w = out;
	if (!out)
		return NULL;
	if (negative)
		*w++ = '-';
	for (size_t i = 0; i < ni; i++) {
		if (i && (ni - i) % 3 == 0)
			*w++ = '.';
		*w++ = digits[i];
	}
	if (decimals) {
		*w++ = ',';
		memcpy(w, digits + ni, (size_t)decimals);
		w += decimals;
	}
	*w = '\0';
	return out;
}

char *text_format_date(struct arena *a, const char *iso)
{
	struct date d;
	time_t t;
	if (!iso)
		return NULL;
	if (!date_parse_iso(iso, &d)) {
		if (!clock_parse_iso(iso, &t))
			return NULL;
		d = date_from_days((long)((t + 7 * 3600) / 86400 -
					  ((t + 7 * 3600) % 86400 < 0)));
	}
	return arena_printf(a, "%02d/%02d/%04d", d.d, d.m, d.y);
}

char *text_format_datetime(struct arena *a, const char *iso_utc)
{
	time_t t;
	if (!iso_utc || !clock_parse_iso(iso_utc, &t))
		return NULL;
	t += 7 * 3600;
	long days = (long)(t / 86400), secs = (long)(t % 86400);
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	struct date d = date_from_days(days);
	return arena_printf(a, "%02d/%02d/%04d %02ld:%02ld", d.d, d.m, d.y,
			    secs / 3600, secs / 60 % 60);
}

char *text_html_escape(struct arena *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '&': n += 5; break;
		case '<':
		case '>': n += 4; break;
		case '"': n += 6; break;
		case '\'': n += 5; break;
		default: n++;
		}
	}
	char *out = arena_alloc(a, n + 1), *w = out;
	if (!out)
		return NULL;
	for (const char *p = s; *p; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		}
		if (rep) {
			size_t k = strlen(rep);
			memcpy(w, rep, k);
			w += k;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return out;
}

/* 1 to maxlen decimal digits; returns the count read, 0 if none. */
static int read_int(const char *s, int maxlen, int *v)
{
	int i = 0;
	*v = 0;
	while (i < maxlen && s[i] >= '0' && s[i] <= '9')
		*v = *v * 10 + (s[i++] - '0');
	return i;
}

bool text_parse_date(const char *s, struct date *out)
{
	if (!s)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char buf[16];
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (date_parse_iso(buf, out))
		return true;
	struct date d;
	int k, pos = 0;
	if (!(k = read_int(buf, 2, &d.d)) || buf[k] != '/')
		return false;
	pos = k + 1;
	if (!(k = read_int(buf + pos, 2, &d.m)) || buf[pos + k] != '/')
		return false;
	pos += k + 1;
	if (read_int(buf + pos, 4, &d.y) != 4 || buf[pos + 4] != '\0')
		return false;
	if (!date_valid(d))
		return false;
	*out = d;
	return true;
}

static size_t space_len(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) /* U+00A0 no-break space */
		return 2;
	return 0;
}

char *text_trim(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	while (n && (k = space_len(p, n))) {
		p += k;
		n -= k;
	}
	for (;;) {
		if (n >= 1 &&
		    (p[n - 1] == ' ' || (p[n - 1] >= '\t' && p[n - 1] <= '\r')))
			n--;
		else if (n >= 2 && p[n - 2] == 0xC2 && p[n - 1] == 0xA0)
			n -= 2;
		else
			break;
	}
	return arena_strndup(a, (const char *)p, n);
}
