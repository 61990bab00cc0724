/* Parsers of request data (see form.h). They run on input from anyone, so
 * every length is checked and every failure is an error, never a crash;
 * tests/fuzz/fuzz_form.c and fuzz_json.c run them under sanitizers. */
#include "form.h"
#include <stdio.h>
#include <string.h>
#include "../base/text.h"
#include "../base/banned.h"

enum err params_add(struct arena *a, struct params *p, const char *key,
		    const char *value)
{
	if (p->n == p->cap) {
		if (p->n >= PARAMS_MAX)
			return ERR_INVALID;
		int cap = p->cap ? p->cap * 2 : 16;
		if (cap > PARAMS_MAX)
			cap = PARAMS_MAX;
		struct kv *kv = arena_alloc(a, sizeof *kv * (size_t)cap);
		if (!kv)
			return ERR_NOMEM;
		if (p->n)
			memcpy(kv, p->kv, sizeof *kv * (size_t)p->n);
		p->kv = kv;
		p->cap = cap;
	}
	p->kv[p->n].key = key;
	p->kv[p->n].value = value;
	p->n++;
	return ERR_OK;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *form_decode(struct arena *a, const char *s, size_t n, bool plus,
		  size_t *out_len)
{
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;
		if (c == '%' && i + 2 < n &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			out[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			out[j++] = ' ';
		} else {
			out[j++] = (char)c;
		}
	}
	out[j] = '\0';
	if (out_len)
		*out_len = j;
	return out;
}

char *form_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	if (n > ((size_t)-1) / 3 - 1)
		return NULL;
	char *out = arena_alloc(a, n * 3 + 1);
	if (!out)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || c == '/') {
			out[j++] = (char)c;
		} else {
			out[j++] = '%';
			out[j++] = hex[c >> 4];
			out[j++] = hex[c & 15];
		}
	}
	out[j] = '\0';
	return out;
}

/* A decoded name or value is accepted only as UTF-8 without NUL bytes:
 * everything after this point handles C strings of text. */
static enum err decode_text(struct arena *a, const char *s, size_t n,
			    char **out, struct error *e, int field)
{
	size_t len;
	char *d = form_decode(a, s, n, true, &len);
	if (!d)
		return error_set(e, ERR_NOMEM, "form field %d: out of memory",
				 field);
	if (memchr(d, '\0', len))
		return error_set(e, ERR_INVALID, "form field %d: nul byte",
				 field);
	if (!text_valid_utf8(d, len))
		return error_set(e, ERR_INVALID, "form field %d: invalid utf-8",
				 field);
	*out = d;
	return ERR_OK;
}

enum err form_parse_urlencoded(struct arena *a, const char *s, size_t n,
			       struct params *p, struct error *e)
{
	size_t i = 0;
	int field = 0;
	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - s) : n;
		if (end > i) {
			const char *piece = s + i;
			size_t len = end - i;
			const char *eq = memchr(piece, '=', len);
			size_t klen = eq ? (size_t)(eq - piece) : len;
			char *key, *value;
			enum err err;
			field++;
			err = decode_text(a, piece, klen, &key, e, field);
			if (err)
				return err;
			if (eq)
				err = decode_text(a, eq + 1, len - klen - 1,
						  &value, e, field);
			else
				value = arena_strdup(a, ""),
				err = value ? ERR_OK : ERR_NOMEM;
			if (err)
				return err;
			err = params_add(a, p, key, value);
			if (err)
				return error_set(e, err,
						 "form: more than %d fields",
						 PARAMS_MAX);
		}
		i = end + 1;
	}
	return ERR_OK;
}

static char *json_scalar(struct arena *a, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return arena_strndup(a, json_string_value(v),
				     json_string_length(v));
	case JSON_INTEGER:
		return arena_printf(a, "%" JSON_INTEGER_FORMAT,
				    json_integer_value(v));
	case JSON_REAL: return arena_printf(a, "%.17g", json_real_value(v));
	case JSON_TRUE: return arena_strdup(a, "1");
	default: return NULL; /* false, null, objects: not a field */
	}
}

static enum err add_json_field(struct arena *a, struct params *p,
			       const char *key, json_t *v, struct error *e)
{
	if (json_is_false(v) || json_is_null(v) || json_is_object(v) ||
	    json_is_array(v))
		return ERR_OK;
	/* a string with \u0000 would be cut short as a C string */
	if (json_is_string(v) &&
	    strlen(json_string_value(v)) != json_string_length(v))
		return error_set(e, ERR_INVALID, "json field %s: nul byte",
				 key);
	char *val = json_scalar(a, v);
	char *k = arena_strdup(a, key);
	if (!val || !k)
		return error_set(e, ERR_NOMEM, "json: out of memory");
	enum err err = params_add(a, p, k, val);
	if (err)
		return error_set(e, err, "json: more than %d fields",
				 PARAMS_MAX);
	return ERR_OK;
}

enum err form_parse_json(struct arena *a, const char *s, size_t n,
			 struct params *p, json_t **out, struct error *e)
{
	json_error_t jerr;
	if (out)
		*out = NULL;
	json_t *root = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return error_set(e, ERR_INVALID, "json line %d: %s", jerr.line,
				 jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return error_set(e, ERR_INVALID,
				 "json: the body must be an object");
	}
	const char *key;
	json_t *v;
	enum err err = ERR_OK;
	json_object_foreach(root, key, v)
	{
		if (strlen(key) == 0)
			continue;
		if (json_is_array(v)) {
			size_t i;
			json_t *item;
			json_array_foreach(v, i, item)
			{
				err = add_json_field(a, p, key, item, e);
				if (err)
					break;
			}
		} else {
			err = add_json_field(a, p, key, v, e);
		}
		if (err)
			break;
	}
	if (err || !out)
		json_decref(root);
	else
		*out = root;
	return err;
}

/* Finds needle in [h, h+hn). */
static const char *find(const char *h, size_t hn, const char *needle, size_t nn)
{
	if (nn == 0 || hn < nn)
		return NULL;
	return memmem(h, hn, needle, nn);
}

/* A quoted-string's content, up to its closing quote. \" and \\ are
 * unescaped (curl and other clients escape so); any other backslash is
 * kept, as old browsers send Windows paths ("C:\Users\a.jpg") unescaped.
 * NULL without a closing quote. */
static char *quoted(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"') {
			out[j] = '\0';
			return out;
		}
		if (s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		out[j++] = s[i];
	}
	return NULL;
}

/* The value of parameter `name` in a header like
 * `form-data; name="x"; filename="a.csv"`, or NULL. */
static char *header_param(struct arena *a, const char *h, size_t hn,
			  const char *name)
{
	size_t nl = strlen(name);
	size_t i = 0;
	while (i < hn) {
		const char *semi = memchr(h + i, ';', hn - i);
		if (!semi)
			return NULL;
		i = (size_t)(semi - h) + 1;
		while (i < hn && (h[i] == ' ' || h[i] == '\t'))
			i++;
		if (hn - i > nl && strncasecmp(h + i, name, nl) == 0 &&
		    h[i + nl] == '=') {
			i += nl + 1;
			if (i < hn && h[i] == '"')
				return quoted(a, h + i + 1, hn - i - 1);
			size_t j = i;
			while (j < hn && h[j] != ';' && h[j] != ' ' &&
			       h[j] != '\t')
				j++;
			return arena_strndup(a, h + i, j - i);
		}
	}
	return NULL;
}

static bool text_ok(const char *s, size_t n)
{
	return !memchr(s, '\0', n) && text_valid_utf8(s, n);
}

static enum err uploads_add(struct arena *a, struct uploads *u,
			    const struct upload *up)
{
	if (u->n == u->cap) {
		if (u->n >= UPLOADS_MAX)
			return ERR_INVALID;
		int cap = u->cap ? u->cap * 2 : 4;
		if (cap > UPLOADS_MAX)
			cap = UPLOADS_MAX;
		struct upload *v = arena_alloc(a, sizeof *v * (size_t)cap);
		if (!v)
			return ERR_NOMEM;
		if (u->n)
			memcpy(v, u->v, sizeof *v * (size_t)u->n);
		u->v = v;
		u->cap = cap;
	}
	u->v[u->n++] = *up;
	return ERR_OK;
}

/* A header's value after the colon, trimmed, as text or "". */
static char *header_value(struct arena *a, const char *h, size_t hl,
			  size_t skip)
{
	size_t i = skip, j = hl;
	while (i < j && (h[i] == ' ' || h[i] == '\t'))
		i++;
	while (j > i && (h[j - 1] == ' ' || h[j - 1] == '\t'))
		j--;
	if (!text_ok(h + i, j - i))
		return arena_strdup(a, "");
	return arena_strndup(a, h + i, j - i);
}

/* Browsers (the HTML standard) and curl send '"', CR and LF in a file
 * name as %22, %0D and %0A, and nothing else encoded: those three are
 * decoded, in place. */
static void unescape_filename(char *s)
{
	char *out = s;
	for (; *s; s++) {
		if (s[0] == '%' && s[1] == '2' && s[2] == '2')
			*out++ = '"', s += 2;
		else if (s[0] == '%' && s[1] == '0' &&
			 (s[2] == 'D' || s[2] == 'd'))
			*out++ = '\r', s += 2;
		else if (s[0] == '%' && s[1] == '0' &&
			 (s[2] == 'A' || s[2] == 'a'))
			*out++ = '\n', s += 2;
		else
			*out++ = *s;
	}
	*out = '\0';
}

enum err form_parse_multipart(struct arena *a, const char *body, size_t n,
			      const char *content_type, struct params *p,
			      struct uploads *ups, struct error *e)
{
	if (!content_type)
		return error_set(e, ERR_INVALID, "multipart: no content type");
	char *boundary =
		header_param(a, content_type, strlen(content_type), "boundary");
	if (!boundary || !*boundary || strlen(boundary) > 200)
		return error_set(e, ERR_INVALID, "multipart: no boundary");
	char *delim = arena_printf(a, "\r\n--%s", boundary);
	if (!delim)
		return error_set(e, ERR_NOMEM, "multipart: out of memory");
	size_t dl = strlen(delim);
	/* the first delimiter may start the body without the CRLF */
	const char *pos;
	if (n >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
		pos = body + dl - 2;
	else if ((pos = find(body, n, delim, dl)))
		pos += dl;
	else
		return error_set(e, ERR_INVALID,
				 "multipart: no first boundary");
	const char *end = body + n;
	int part = 0;
	for (;;) {
		if (end - pos >= 2 && pos[0] == '-' && pos[1] == '-')
			return ERR_OK; /* closing delimiter */
		/* transport padding, then CRLF */
		while (pos < end && (*pos == ' ' || *pos == '\t'))
			pos++;
		if (end - pos < 2 || pos[0] != '\r' || pos[1] != '\n')
			return error_set(e, ERR_INVALID,
					 "multipart part %d: bad boundary line",
					 part + 1);
		pos += 2;
		part++;
		const char *hend =
			find(pos, (size_t)(end - pos), "\r\n\r\n", 4);
		const char *content;
		if (end - pos >= 2 && pos[0] == '\r' && pos[1] == '\n') {
			hend = pos; /* no headers at all */
			content = pos + 2;
		} else if (hend) {
			content = hend + 4;
		} else {
			return error_set(
				e, ERR_INVALID,
				"multipart part %d: unterminated headers",
				part);
		}
		const char *next =
			find(content, (size_t)(end - content), delim, dl);
		if (!next)
			return error_set(
				e, ERR_INVALID,
				"multipart part %d: no closing boundary", part);
		/* the headers: Content-Disposition, and Content-Type as the
		 * browser claims it (kept, never trusted) */
		char *name = NULL, *filename = NULL, *ctype = NULL;
		const char *h = pos;
		while (h < hend) {
			const char *eol =
				find(h, (size_t)(hend - h), "\r\n", 2);
			size_t hl =
				eol ? (size_t)(eol - h) : (size_t)(hend - h);
			static const char cd[] = "content-disposition:";
			static const char cty[] = "content-type:";
			if (hl > 8192)
				return error_set(
					e, ERR_INVALID,
					"multipart part %d: header line of %zu "
					"bytes",
					part, hl);
			if (hl > sizeof cd - 1 &&
			    strncasecmp(h, cd, sizeof cd - 1) == 0) {
				name = header_param(a, h, hl, "name");
				filename = header_param(a, h, hl, "filename");
			} else if (hl >= sizeof cty - 1 &&
				   strncasecmp(h, cty, sizeof cty - 1) == 0) {
				ctype = header_value(a, h, hl, sizeof cty - 1);
			}
			h += hl + 2;
		}
		if (!name || !*name)
			return error_set(e, ERR_INVALID,
					 "multipart part %d: no field name",
					 part);
		if (filename)
			unescape_filename(filename);
		size_t cl = (size_t)(next - content);
		bool text = text_ok(content, cl);
		if (!text_ok(name, strlen(name)) ||
		    (filename && !text_ok(filename, strlen(filename))) ||
		    (!filename && !text))
			return error_set(e, ERR_INVALID,
					 "multipart part %d: invalid utf-8",
					 part);
		enum err err = ERR_OK;
		if (filename && ups) {
			struct upload up = {
				.field = name,
				.filename = filename,
				.content_type = ctype ? ctype : "",
				.data = (const unsigned char *)content,
				.len = cl,
			};
			err = uploads_add(a, ups, &up);
			if (err == ERR_INVALID)
				return error_set(
					e, err, "multipart: more than %d files",
					UPLOADS_MAX);
			if (err)
				return error_set(e, err,
						 "multipart: out of memory");
		}
		/* a text file (a CSV) is also a field, as imports read it;
		 * a binary one leaves only its file name, so that a CSV
		 * import can tell "not text" from "no file" */
		if (text) {
			char *value = arena_strndup(a, content, cl);
			err = value ? params_add(a, p, name, value) : ERR_NOMEM;
		}
		if (!err && filename) {
			char *fk = arena_printf(a, "%s_filename", name);
			err = fk ? params_add(a, p, fk, filename) : ERR_NOMEM;
		}
		if (err)
			return error_set(
				e, err,
				err == ERR_NOMEM
					? "multipart: out of memory"
					: "multipart: too many fields");
		pos = next + dl;
	}
}

bool form_token_valid(const char *s)
{
	if (!s)
		return false;
	size_t i = 0;
	for (; s[i]; i++)
		if (i >= 64 || !((s[i] >= '0' && s[i] <= '9') ||
				 (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

char *form_flash_decode(struct arena *a, const char *v)
{
	if (!v)
		return NULL;
	size_t n = strlen(v), len;
	if (n == 0 || n > 3 * 600)
		return NULL;
	char *d = form_decode(a, v, n, false, &len);
	if (!d || len > 600 || !text_valid_utf8(d, len))
		return NULL;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f)
			return NULL;
	return d;
}
