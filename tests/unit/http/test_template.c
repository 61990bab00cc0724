/* The template engine: output, escaping, sections, partials, filters,
 * errors with line numbers, and every embedded template. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "http/template.h"
#include "base/embedded.h"
#include "base/banned.h"

static struct arena arena;

/* Renders text against ctx_json (JSON text); returns the output. */
static const char *render(const char *text, const char *ctx_json)
{
	struct template *t;
	struct error e = {0};
	json_error_t je;
	json_t *ctx = json_loads(ctx_json, 0, &je);
	assert_non_null(ctx);
	if (template_parse("test", text, strlen(text), &t, &e)) {
		json_decref(ctx);
		fail_msg("parse failed: %s", e.msg);
	}
	char *out;
	enum err err = template_render(t, ctx, &arena, 1 << 20, &out, NULL, &e);
	template_free(t);
	json_decref(ctx);
	if (err)
		fail_msg("render failed: %s", e.msg);
	return out;
}

/* Parses text that must fail; returns the message. */
static const char *parse_error(const char *text)
{
	struct template *t = NULL;
	static struct error e;
	memset(&e, 0, sizeof e);
	enum err err = template_parse("bad", text, strlen(text), &t, &e);
	assert_int_equal(err, ERR_INVALID);
	assert_null(t);
	return e.msg;
}

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

static void test_variables(void **state)
{
	assert_string_equal(
		render("Xin chào {{name}}!", "{\"name\":\"Nguyễn Văn An\"}"),
		"Xin chào Nguyễn Văn An!");
	assert_string_equal(render("{{ a.b.c }}|{{missing}}|{{a.x.y}}",
				   "{\"a\":{\"b\":{\"c\":7}}}"),
			    "7||");
	assert_string_equal(
		render("{{n}} {{r}} {{t}} {{z}}",
		       "{\"n\":-12,\"r\":2.5,\"t\":true,\"z\":null}"),
		"-12 2.5 true ");
	assert_string_equal(render("{{a}}|{{b}}|{{c}}|{{d}}",
				   "{\"a\":0,\"b\":9223372036854775807,"
				   "\"c\":-9223372036854775807,\"d\":1000}"),
			    "0|9223372036854775807|-9223372036854775807|1000");
	assert_string_equal(render("no tags at all", "{}"), "no tags at all");
	assert_string_equal(render("{{! a comment }}x{{!another}}", "{}"), "x");
	assert_string_equal(render("", "{}"), "");
}

static void test_escaping(void **state)
{
	const char *ctx = "{\"x\":\"<a href='y'>&\\\"</a>\"}";
	assert_string_equal(render("{{x}}", ctx),
			    "&lt;a href=&#39;y&#39;&gt;&amp;&quot;&lt;/a&gt;");
	assert_string_equal(render("{{{x}}}", ctx), "<a href='y'>&\"</a>");
	assert_string_equal(render("{{&x}}", ctx), "<a href='y'>&\"</a>");
	/* a value that looks like a tag is text, not a tag */
	assert_string_equal(render("{{x}}", "{\"x\":\"{{y}}\",\"y\":\"no\"}"),
			    "{{y}}");
}

static void test_sections(void **state)
{
	const char *ctx =
		"{\"users\":[{\"name\":\"An\"},{\"name\":\"Bình\"}],"
		"\"unit\":{\"name\":\"Thôn 1\"},\"site\":\"Xã\",\"yes\":true,"
		"\"words\":[\"một\",\"hai\"],\"n\":3}";
	assert_string_equal(
		render("{{#users}}<{{name}}@{{site}}>{{/users}}", ctx),
		"<An@Xã><Bình@Xã>");
	assert_string_equal(render("{{#unit}}{{name}}{{/unit}}", ctx),
			    "Thôn 1");
	assert_string_equal(
		render("{{#yes}}ok{{/yes}}{{#n}}[{{.}}]{{/n}}", ctx), "ok[3]");
	assert_string_equal(render("{{#words}}{{.}};{{/words}}", ctx),
			    "một;hai;");
	assert_string_equal(
		render("{{#users}}{{#unit}}{{name}}{{/unit}}{{/users}}", ctx),
		"Thôn 1Thôn 1");
	/* every falsy value skips a section and shows an inverted one */
	const char *falsy[] = {"{}",        "{\"v\":null}", "{\"v\":false}",
			       "{\"v\":0}", "{\"v\":0.0}",  "{\"v\":\"\"}",
			       "{\"v\":[]}"};
	for (size_t i = 0; i < sizeof falsy / sizeof *falsy; i++) {
		assert_string_equal(render("{{#v}}yes{{/v}}", falsy[i]), "");
		assert_string_equal(render("{{^v}}no{{/v}}", falsy[i]), "no");
	}
	const char *truthy[] = {"{\"v\":1}", "{\"v\":\"0\"}", "{\"v\":{}}",
				"{\"v\":[0]}", "{\"v\":-0.5}"};
	for (size_t i = 0; i < sizeof truthy / sizeof *truthy; i++) {
		assert_string_equal(render("{{^v}}no{{/v}}", truthy[i]), "");
		assert_string_equal(render("{{#v}}yes{{/v}}", truthy[i]),
				    "yes");
	}
	assert_string_equal(render("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}",
				   "{\"a\":{\"b\":{\"x\":1}},\"c\":\"outer\"}"),
			    "outer");
}

/* Section, comment and partial tags alone on a line leave no blank line. */
static void test_standalone_lines(void **state)
{
	assert_string_equal(
		render("<ul>\n  {{#a}}\n  <li>{{.}}</li>\n  {{/a}}\n</ul>\n",
		       "{\"a\":[1,2]}"),
		"<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
	assert_string_equal(
		render("a\n{{! note }}\r\nb\n{{^x}}\nc\n{{/x}}", "{}"),
		"a\nb\nc\n");
	/* not alone: the line stays as written */
	assert_string_equal(render("x {{#a}}y{{/a}} z\n", "{\"a\":1}"),
			    "x y z\n");
	assert_string_equal(render("{{#a}}{{.}}{{/a}}\n", "{\"a\":[1,2]}"),
			    "12\n");
	/* variables never take their line */
	assert_string_equal(render("{{v}}\n", "{\"v\":\"\"}"), "\n");
}

static void test_filters(void **state)
{
	assert_string_equal(render("{{d|date}}", "{\"d\":\"2025-03-05\"}"),
			    "05/03/2025");
	assert_string_equal(
		render("{{d|date}}", "{\"d\":\"2025-03-04T20:00:00Z\"}"),
		"05/03/2025");
	assert_string_equal(
		render("{{d|datetime}}", "{\"d\":\"2025-03-04T20:00:00Z\"}"),
		"05/03/2025 03:00");
	assert_string_equal(render("{{d|date}}", "{\"d\":\"not a date\"}"),
			    "not a date");
	assert_string_equal(render("{{n|num}}", "{\"n\":1234567}"),
			    "1.234.567");
	assert_string_equal(render("{{n|num}}", "{\"n\":\"-1234567\"}"),
			    "-1.234.567");
	assert_string_equal(render("{{n|num}}", "{\"n\":999}"), "999");
	assert_string_equal(render("{{n|num1}}", "{\"n\":1234.5}"), "1.234,5");
	assert_string_equal(render("{{n|num2}}", "{\"n\":0.5}"), "0,50");
	assert_string_equal(render("{{n|num4}}", "{\"n\":3.14159}"), "3,1416");
	assert_string_equal(render("{{n|num}}", "{\"n\":\"abc\"}"), "abc");
	assert_string_equal(render("{{r|role}}", "{\"r\":\"chair\"}"),
			    "Chủ tịch");
	assert_string_equal(render("{{r|role}}", "{\"r\":\"village_head\"}"),
			    "Trưởng thôn");
	assert_string_equal(render("{{r|role}}", "{\"r\":\"nobody\"}"),
			    "nobody");
	assert_string_equal(render("{{ n | num }}", "{\"n\":1000}"), "1.000");
	/* filter output is escaped like any other */
	assert_string_equal(render("{{r|role}}", "{\"r\":\"<b>\"}"),
			    "&lt;b&gt;");
}

static void test_partials(void **state)
{
	const char *out = render("<div>{{>errors/error}}</div>",
				 "{\"status\":404,\"title\":\"Không tìm "
				 "thấy\",\"message\":\"<x>\"}");
	assert_non_null(strstr(out, "<div><section class=\"error-page\">"));
	assert_non_null(strstr(out, "Lỗi 404"));
	assert_non_null(strstr(out, "&lt;x&gt;"));
	out = render("{{> errors/error.html }}", "{\"status\":1}");
	assert_non_null(strstr(out, "Lỗi 1"));
}

static void test_errors(void **state)
{
	const char *m;
	m = parse_error("line 1\n{{#users}}\n{{name}}\n");
	assert_non_null(
		strstr(m, "template bad line 2: unclosed section 'users'"));
	m = parse_error("a\nb\n{{x|nope}}");
	assert_non_null(strstr(m, "line 3: unknown filter 'nope'"));
	m = parse_error("\n\n\n{{>people/does_not_exist}}");
	assert_non_null(
		strstr(m, "line 4: missing partial 'people/does_not_exist'"));
	m = parse_error("{{#a}}\n{{/b}}");
	assert_non_null(
		strstr(m, "line 2: {{/b}} does not close the open section"));
	m = parse_error("x{{/a}}");
	assert_non_null(strstr(m, "line 1: {{/a}} closes nothing"));
	m = parse_error("\n{{name");
	assert_non_null(strstr(m, "line 2: unclosed tag"));
	m = parse_error("{{}}");
	assert_non_null(strstr(m, "empty tag name"));
	m = parse_error("{{a b}}");
	assert_non_null(strstr(m, "bad tag name"));
	m = parse_error("{{#x|date}}{{/x}}");
	assert_non_null(strstr(m, "bad tag name"));
	/* the line of a tag that spans lines is where it starts */
	m = parse_error("{{!\ncomment\n}}\n{{x|bad}}");
	assert_non_null(strstr(m, "line 4:"));
}

static void test_limit(void **state)
{
	struct template *t;
	struct error e = {0};
	const char *text = "{{#a}}0123456789{{/a}}";
	assert_int_equal(template_parse("big", text, strlen(text), &t, &e),
			 ERR_OK);
	json_t *ctx = json_pack("{s:[iiiiiiiiii]}", "a", 1, 2, 3, 4, 5, 6, 7, 8,
				9, 10);
	char *out;
	size_t len;
	assert_int_equal(template_render(t, ctx, &arena, 99, &out, &len, &e),
			 ERR_TOOBIG);
	assert_int_equal(template_render(t, ctx, &arena, 100, &out, &len, &e),
			 ERR_OK);
	assert_int_equal(len, 100);
	json_decref(ctx);
	template_free(t);
}

/* Every template compiled into the binary parses. */
static void test_every_embedded_template(void **state)
{
	int n = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		size_t l = strlen(f->path);
		if (strncmp(f->path, "templates/", 10) || l < 5 ||
		    strcmp(f->path + l - 5, ".html"))
			continue;
		struct template *t;
		struct error e = {0};
		if (template_parse(f->path, (const char *)f->data, f->len, &t,
				   &e))
			fail_msg("%s", e.msg);
		template_free(t);
		n++;
	}
	assert_true(n >= 8);
	struct error e = {0};
	if (template_check_all(&e))
		fail_msg("%s", e.msg);
	const struct template *t;
	assert_int_equal(template_find("layout/base", &t, &e), ERR_OK);
	assert_int_equal(template_find("no/such", &t, &e), ERR_NOTFOUND);
}

static void test_layout(void **state)
{
	json_t *ctx = json_pack(
		"{s:s, s:s, s:{s:i, s:s, s:s, s:[{s:s, s:s}]}, s:s, s:[{s:s, "
		"s:s, s:s, s:b}], s:s, s:s, s:s}",
		"page_title", "Trang chủ", "site_name", "UBND xã Tiên Tiến",
		"user", "id", 1, "username", "chutich", "full_name",
		"Trần <Văn> Minh", "roles", "key", "chair", "label", "Chủ tịch",
		"csrf_token", "abc123", "menu", "key", "home", "label",
		"Trang chủ", "href", "/", "active", 1, "flash", "Đã lưu.",
		"content", "<p>nội dung</p>", "version", "0.1.0");
	char *out;
	struct error e = {0};
	assert_int_equal(template_render_name("layout/base", ctx, &arena, &out,
					      NULL, &e),
			 ERR_OK);
	json_decref(ctx);
	assert_non_null(strstr(out, "<html lang=\"vi\">"));
	assert_non_null(strstr(out, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(out, "width=device-width"));
	assert_non_null(
		strstr(out, "<title>Trang chủ – UBND xã Tiên Tiến</title>"));
	assert_non_null(strstr(out, "Trần &lt;Văn&gt; Minh"));
	assert_non_null(strstr(out, "name=\"csrf_token\" value=\"abc123\""));
	assert_non_null(strstr(out, "action=\"/logout\""));
	assert_non_null(strstr(out, "action=\"/search\""));
	assert_non_null(strstr(
		out, "class=\"active\" aria-current=\"page\">Trang chủ</a>"));
	assert_non_null(strstr(out, "Đã lưu."));
	assert_non_null(strstr(out, "<p>nội dung</p>"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_variables, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standalone_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_embedded_template,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
