/* The template engine (see template.h). A template is parsed once into a
 * tree of nodes held in its own arena; rendering walks the tree with a
 * stack of contexts and writes into a bounded buffer in the request arena.
 * Embedded templates are all parsed on first use and then only read, so
 * threads share them without locks. */
#include "template.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"
#include "../base/embedded.h"
#include "../base/text.h"
#include "../base/banned.h"

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };
enum filter {
	F_NONE,
	F_DATE,
	F_DATETIME,
	F_NUM,
	F_NUM1,
	F_NUM2,
	F_NUM4,
	F_ROLE
};

struct node {
	enum node_kind kind;
	enum filter filter;
	const char *text; /* N_TEXT: the bytes; else the name */
	size_t len;
	int line;
	struct node *child, *next; /* sections: children */
};

struct template
{
	struct arena arena;
	const char *name;
	struct node *first;
};

enum { MAX_DEPTH = 32, MAX_PARTIAL_DEPTH = 8, TEMPLATE_ARENA = 8 << 20 };

static const struct {
	const char *name;
	enum filter f;
} filters[] = {
	{"date", F_DATE}, {"datetime", F_DATETIME}, {"num", F_NUM},
	{"num1", F_NUM1}, {"num2", F_NUM2},         {"num4", F_NUM4},
	{"role", F_ROLE},
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* "templates/people/x.html" for "people/x" or "people/x.html" */
static bool template_path(const char *name, char *buf, size_t n)
{
	size_t l = strlen(name);
	const char *ext =
		l > 5 && strcmp(name + l - 5, ".html") == 0 ? "" : ".html";
	int w = snprintf(buf, n, "templates/%s%s", name, ext);
	return w > 0 && (size_t)w < n;
}

struct parser {
	struct template *t;
	const char *s;
	size_t len, pos;
	int line;
	struct error *e;
};

static enum err parse_error(struct parser *p, int line, const char *fmt,
			    const char *arg, int arglen)
{
	char what[200];
	snprintf(what, sizeof what, fmt, arglen, arg);
	return error_set(p->e, ERR_INVALID, "template %s line %d: %s",
			 p->t->name, line, what);
}

static struct node *new_node(struct parser *p, enum node_kind k, int line)
{
	struct node *n = arena_alloc(&p->t->arena, sizeof *n);
	if (n) {
		n->kind = k;
		n->line = line;
	}
	return n;
}

/* The inside of a tag: "name" or "name|filter", spaces around ignored. */
static enum err parse_name(struct parser *p, struct node *n, const char *s,
			   size_t len, bool filter_ok, int line)
{
	while (len && is_space(*s))
		s++, len--;
	while (len && is_space(s[len - 1]))
		len--;
	const char *bar = filter_ok ? memchr(s, '|', len) : NULL;
	size_t nl = bar ? (size_t)(bar - s) : len;
	while (nl && is_space(s[nl - 1]))
		nl--;
	if (nl == 0)
		return parse_error(p, line, "empty tag name%.*s", "", 0);
	for (size_t i = 0; i < nl; i++)
		if (is_space(s[i]) || s[i] == '{' || s[i] == '}' || s[i] == '|')
			return parse_error(p, line, "bad tag name '%.*s'", s,
					   (int)nl);
	n->text = arena_strndup(&p->t->arena, s, nl);
	n->len = nl;
	if (!n->text)
		return error_set(p->e, ERR_NOMEM, "template %s: out of memory",
				 p->t->name);
	if (bar) {
		const char *f = bar + 1;
		size_t fl = (size_t)(s + len - f);
		while (fl && is_space(*f))
			f++, fl--;
		for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
			if (strlen(filters[i].name) == fl &&
			    memcmp(filters[i].name, f, fl) == 0)
				n->filter = filters[i].f;
		if (n->filter == F_NONE)
			return parse_error(p, line, "unknown filter '%.*s'", f,
					   (int)fl);
	}
	return ERR_OK;
}

static int count_lines(const char *s, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

/* A section, comment or partial tag alone on its line takes the line with
 * it, so templates can be laid out for reading without filling pages with
 * blank lines. tag starts the tag, p->pos is just after it, text is the
 * text node that ends at tag (NULL if none). */
static void standalone(struct parser *p, const char *tag, struct node *text)
{
	const char *ls = tag;
	while (ls > p->s && (ls[-1] == ' ' || ls[-1] == '\t'))
		ls--;
	if (ls > p->s && ls[-1] != '\n')
		return;
	size_t i = p->pos;
	while (i < p->len &&
	       (p->s[i] == ' ' || p->s[i] == '\t' || p->s[i] == '\r'))
		i++;
	if (i < p->len && p->s[i] != '\n')
		return;
	if (text)
		text->len -= (size_t)(tag - ls);
	if (i < p->len) {
		i++;
		p->line++;
	}
	p->pos = i;
}

/* Parses until the end or the closing tag of `open` (NULL at top level).
 * *first gets the list. */
static enum err parse_list(struct parser *p, struct node *open, int depth,
			   struct node **first)
{
	struct node **tail = first;
	struct node *last_text = NULL;
	*first = NULL;
	if (depth > MAX_DEPTH)
		return parse_error(p, p->line, "sections nested too deep%.*s",
				   "", 0);
	while (p->pos < p->len) {
		const char *start = p->s + p->pos;
		size_t rest = p->len - p->pos;
		const char *tag = memmem(start, rest, "{{", 2);
		size_t textlen = tag ? (size_t)(tag - start) : rest;
		if (textlen) {
			struct node *n = new_node(p, N_TEXT, p->line);
			if (!n)
				return error_set(p->e, ERR_NOMEM,
						 "template %s: out of memory",
						 p->t->name);
			n->text = start;
			n->len = textlen;
			last_text = n;
			*tail = n;
			tail = &n->next;
			p->line += count_lines(start, textlen);
			p->pos += textlen;
		}
		if (!tag)
			break;
		int line = p->line;
		bool triple = rest - textlen >= 3 && tag[2] == '{';
		const char *inner = tag + (triple ? 3 : 2);
		size_t avail = (size_t)(p->s + p->len - inner);
		const char *close = memmem(inner, avail, triple ? "}}}" : "}}",
					   triple ? 3 : 2);
		if (!close)
			return parse_error(p, line, "unclosed tag%.*s", "", 0);
		size_t il = (size_t)(close - inner);
		p->line += count_lines(tag, (size_t)(close - tag));
		p->pos = (size_t)(close - p->s) + (triple ? 3 : 2);
		char sigil = triple ? '{' : (il ? inner[0] : 0);
		if (!triple && (sigil == '#' || sigil == '^' || sigil == '/' ||
				sigil == '>' || sigil == '!' || sigil == '&'))
			inner++, il--;
		else if (!triple)
			sigil = 0;
		if (sigil == '#' || sigil == '^' || sigil == '/' ||
		    sigil == '>' || sigil == '!')
			standalone(p, tag, textlen ? last_text : NULL);
		if (sigil == '!')
			continue;
		if (sigil == '/') {
			struct node tmp = {0};
			enum err err =
				parse_name(p, &tmp, inner, il, false, line);
			if (err)
				return err;
			if (!open)
				return parse_error(p, line,
						   "{{/%.*s}} closes nothing",
						   tmp.text, (int)tmp.len);
			if (tmp.len != open->len ||
			    memcmp(tmp.text, open->text, tmp.len))
				return parse_error(p, line,
						   "{{/%.*s}} does not close "
						   "the open section",
						   tmp.text, (int)tmp.len);
			return ERR_OK;
		}
		enum node_kind k = sigil == '#'                   ? N_SECTION
				   : sigil == '^'                 ? N_INVERTED
				   : sigil == '>'                 ? N_PARTIAL
				   : sigil == '{' || sigil == '&' ? N_RAW
								  : N_VAR;
		struct node *n = new_node(p, k, line);
		if (!n)
			return error_set(p->e, ERR_NOMEM,
					 "template %s: out of memory",
					 p->t->name);
		enum err err = parse_name(p, n, inner, il,
					  k == N_VAR || k == N_RAW, line);
		if (err)
			return err;
		if (k == N_PARTIAL) {
			char path[256];
			if (!template_path(n->text, path, sizeof path) ||
			    !embedded_find(path))
				return parse_error(p, line,
						   "missing partial '%.*s'",
						   n->text, (int)n->len);
		}
		*tail = n;
		tail = &n->next;
		if (k == N_SECTION || k == N_INVERTED) {
			err = parse_list(p, n, depth + 1, &n->child);
			if (err)
				return err;
		}
	}
	if (open)
		return parse_error(p, open->line, "unclosed section '%.*s'",
				   open->text, (int)open->len);
	return ERR_OK;
}

enum err template_parse(const char *name, const char *text, size_t len,
			struct template **out, struct error *e)
{
	const char *nul = memchr(text, '\0', len);
	if (nul)
		return error_set(e, ERR_INVALID,
				 "template %s line %d: nul byte", name,
				 1 + count_lines(text, (size_t)(nul - text)));
	struct template *t = calloc(1, sizeof *t);
	if (!t)
		return error_set(e, ERR_NOMEM, "template %s: out of memory",
				 name);
	arena_init(&t->arena, TEMPLATE_ARENA);
	t->name = arena_strdup(&t->arena, name);
	/* the nodes point into the text: keep a copy */
	char *copy = arena_strndup(&t->arena, text, len);
	if (!t->name || !copy) {
		template_free(t);
		return error_set(e, ERR_NOMEM, "template %s: out of memory",
				 name);
	}
	struct parser p = {.t = t, .s = copy, .len = len, .line = 1, .e = e};
	enum err err = parse_list(&p, NULL, 0, &t->first);
	if (err) {
		template_free(t);
		return err;
	}
	*out = t;
	return ERR_OK;
}

void template_free(struct template *t)
{
	if (!t)
		return;
	arena_release(&t->arena);
	free(t);
}

/* The cache of embedded templates, filled once. */
struct cached {
	const char *path;
	struct template *t;
	struct error err;
};
static struct cached *cache;
static int ncache;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_fill(void)
{
	int n = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++)
		n++;
	cache = calloc((size_t)n + 1, sizeof *cache);
	if (!cache)
		return;
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		size_t l = strlen(f->path);
		if (strncmp(f->path, "templates/", 10) || l < 15 ||
		    strcmp(f->path + l - 5, ".html"))
			continue;
		struct cached *c = &cache[ncache++];
		c->path = f->path;
		/* name for messages: without templates/ */
		template_parse(f->path + 10, (const char *)f->data, f->len,
			       &c->t, &c->err);
	}
}

enum err template_find(const char *name, const struct template **out,
		       struct error *e)
{
	char path[256];
	pthread_once(&cache_once, cache_fill);
	if (!cache)
		return error_set(e, ERR_NOMEM, "templates: out of memory");
	if (!template_path(name, path, sizeof path))
		return error_set(e, ERR_NOTFOUND, "template %s: name too long",
				 name);
	for (int i = 0; i < ncache; i++) {
		if (strcmp(cache[i].path, path))
			continue;
		if (!cache[i].t) {
			if (e)
				*e = cache[i].err;
			return cache[i].err.code ? cache[i].err.code
						 : ERR_INVALID;
		}
		*out = cache[i].t;
		return ERR_OK;
	}
	return error_set(e, ERR_NOTFOUND, "template %s: no such template",
			 name);
}

enum err template_check_all(struct error *e)
{
	pthread_once(&cache_once, cache_fill);
	if (!cache)
		return error_set(e, ERR_NOMEM, "templates: out of memory");
	for (int i = 0; i < ncache; i++)
		if (!cache[i].t) {
			if (e)
				*e = cache[i].err;
			return ERR_INVALID;
		}
	return ERR_OK;
}

/* Rendering */

struct render {
	struct arena *a;
	char *buf;
	size_t len, cap, max;
	json_t *stack[MAX_DEPTH + 2];
	int depth;
	int partials;
	struct error *e;
	const char *name;
};

static enum err put(struct render *r, const char *s, size_t n)
{
	if (r->len + n > r->max)
		return error_set(r->e, ERR_TOOBIG,
				 "template %s: output over %zu bytes", r->name,
				 r->max);
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < r->len + n + 1)
			cap *= 2;
		if (cap > r->max + 1)
			cap = r->max + 1;
		char *b = arena_alloc_uninit(r->a, cap);
		if (!b)
			return error_set(r->e, ERR_NOMEM,
					 "template %s: out of memory", r->name);
		if (r->len)
			memcpy(b, r->buf, r->len);
		r->buf = b;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return ERR_OK;
}

static enum err put_escaped(struct render *r, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ent;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		enum err err = put(r, s + from, i - from);
		if (!err)
			err = put(r, ent, strlen(ent));
		if (err)
			return err;
		from = i + 1;
	}
	return put(r, s + from, n - from);
}

static json_t *lookup(struct render *r, const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return r->depth ? r->stack[r->depth - 1] : NULL;
	const char *dot = memchr(name, '.', len);
	size_t first = dot ? (size_t)(dot - name) : len;
	char key[128];
	if (first >= sizeof key)
		return NULL;
	memcpy(key, name, first);
	key[first] = '\0';
	json_t *v = NULL;
	for (int i = r->depth - 1; i >= 0 && !v; i--)
		if (json_is_object(r->stack[i]))
			v = json_object_get(r->stack[i], key);
	while (v && dot) {
		const char *seg = dot + 1;
		dot = memchr(seg, '.', (size_t)(name + len - seg));
		size_t sl =
			dot ? (size_t)(dot - seg) : (size_t)(name + len - seg);
		if (sl >= sizeof key)
			return NULL;
		memcpy(key, seg, sl);
		key[sl] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return v;
}

static bool truthy(json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE: return false;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_STRING: return json_string_length(v) != 0;
	case JSON_ARRAY: return json_array_size(v) != 0;
	default: return true;
	}
}

/* The number in v, from a JSON number or a numeric string. */
static bool number_of(json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return true;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		if (!*s)
			return false;
		*out = strtod(s, &end);
		return *end == '\0';
	}
	return false;
}

/* The text of v after the filter, NULL for nothing. */
static const char *value_text(struct render *r, json_t *v, enum filter f)
{
	char tmp[64];
	const char *s = NULL;
	switch (json_typeof(v)) {
	case JSON_STRING: s = json_string_value(v); break;
	case JSON_INTEGER: {
		/* by hand: a page of numbers calls this thousands of times */
		json_int_t x = json_integer_value(v);
		unsigned long long u = x < 0 ? 0ull - (unsigned long long)x
					     : (unsigned long long)x;
		char *p = tmp + sizeof tmp;
		*--p = 0;
		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (x < 0)
			*--p = '-';
		s = p;
		break;
	}
	case JSON_REAL:
		snprintf(tmp, sizeof tmp, "%.15g", json_real_value(v));
		s = tmp;
		break;
	case JSON_TRUE: s = "true"; break;
	case JSON_FALSE: s = "false"; break;
	default: return NULL;
	}
	const char *out = NULL;
	double d;
	switch (f) {
	case F_NONE: break;
	case F_DATE:
		out = json_is_string(v) ? text_format_date(r->a, s) : NULL;
		break;
	case F_DATETIME:
		out = json_is_string(v) ? text_format_datetime(r->a, s) : NULL;
		break;
	case F_NUM:
	case F_NUM1:
	case F_NUM2:
	case F_NUM4:
		if (number_of(v, &d))
			out = text_format_number(r->a, d,
						 f == F_NUM    ? 0
						 : f == F_NUM1 ? 1
						 : f == F_NUM2 ? 2
							       : 4);
		break;
	case F_ROLE: {
		unsigned role = json_is_string(v) ? role_from_key(s) : 0;
		out = role ? role_label_vi((enum role)role) : NULL;
		break;
	}
	}
	if (out)
		return out;
	/* tmp dies with this call */
	return s >= tmp && s < tmp + sizeof tmp ? arena_strdup(r->a, s) : s;
}

static enum err render_list(struct render *r, const struct node *n);

static enum err push_render(struct render *r, json_t *ctx,
			    const struct node *first)
{
	if (r->depth >= MAX_DEPTH + 2)
		return error_set(r->e, ERR_INVALID,
				 "template %s: contexts nested too deep",
				 r->name);
	r->stack[r->depth++] = ctx;
	enum err err = render_list(r, first);
	r->depth--;
	return err;
}

static enum err render_list(struct render *r, const struct node *n)
{
	enum err err = ERR_OK;
	for (; n && !err; n = n->next) {
		json_t *v;
		switch (n->kind) {
		case N_TEXT: err = put(r, n->text, n->len); break;
		case N_VAR:
		case N_RAW: {
			v = lookup(r, n->text, n->len);
			const char *s = v ? value_text(r, v, n->filter) : NULL;
			if (s)
				err = n->kind == N_VAR
					      ? put_escaped(r, s, strlen(s))
					      : put(r, s, strlen(s));
			break;
		}
		case N_SECTION:
			v = lookup(r, n->text, n->len);
			if (!truthy(v))
				break;
			if (json_is_array(v)) {
				size_t i;
				json_t *item;
				json_array_foreach(v, i, item)
				{
					err = push_render(r, item, n->child);
					if (err)
						break;
				}
			} else {
				err = push_render(r, v, n->child);
			}
			break;
		case N_INVERTED:
			if (!truthy(lookup(r, n->text, n->len)))
				err = render_list(r, n->child);
			break;
		case N_PARTIAL: {
			const struct template *t;
			if (r->partials >= MAX_PARTIAL_DEPTH)
				return error_set(r->e, ERR_INVALID,
						 "template %s line %d: "
						 "partials nested too deep",
						 r->name, n->line);
			err = template_find(n->text, &t, r->e);
			if (err)
				break;
			r->partials++;
			err = render_list(r, t->first);
			r->partials--;
			break;
		}
		}
	}
	return err;
}

enum err template_render(const struct template *t, json_t *ctx, struct arena *a,
			 size_t max, char **out, size_t *len, struct error *e)
{
	struct render r = {.a = a, .max = max, .e = e, .name = t->name};
	enum err err = put(&r, "", 0);
	if (!err)
		err = push_render(&r, ctx, t->first);
	if (err)
		return err;
	*out = r.buf;
	if (len)
		*len = r.len;
	return ERR_OK;
}

enum err template_render_name(const char *name, json_t *ctx, struct arena *a,
			      char **out, size_t *len, struct error *e)
{
	const struct template *t;
	enum err err = template_find(name, &t, e);
	if (err)
		return err;
	return template_render(t, ctx, a, TEMPLATE_OUTPUT_MAX, out, len, e);
}
