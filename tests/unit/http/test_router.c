/* Route matching, /api mapping, permissions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "http/router.h"
#include "cli.h"
#include "base/banned.h"

static enum err h_list(struct request *req, struct response *res)
{
	return ERR_OK;
}
static enum err h_new(struct request *req, struct response *res)
{
	return ERR_OK;
}
static enum err h_view(struct request *req, struct response *res)
{
	return ERR_OK;
}
static enum err h_edit(struct request *req, struct response *res)
{
	return ERR_OK;
}
static enum err h_role(struct request *req, struct response *res)
{
	return ERR_OK;
}
static enum err h_save(struct request *req, struct response *res)
{
	return ERR_OK;
}

static const struct route routes[] = {
	{"GET", "/users", h_list, ROLE_ADMIN, "people"},
	{"GET", "/users/{id}", h_view, ROLE_ADMIN, "people"},
	{"GET", "/users/new", h_new, ROLE_ADMIN, "people"},
	{"GET", "/users/{id}/edit", h_edit, ROLE_ADMIN, "people"},
	{"POST", "/users/{id}/edit", h_save, ROLE_ADMIN, "people"},
	{"POST", "/users/{id}/roles/{role}/remove", h_role, ROLE_CHAIR,
	 "people"},
	{"GET", "/login", h_list, ROLE_PUBLIC, NULL},
};

static struct arena arena;

static int setup(void **state)
{
	arena_init(&arena, 1 << 20);
	router_reset();
	http_register(routes, (int)(sizeof routes / sizeof *routes));
	return 0;
}

static int teardown(void **state)
{
	arena_release(&arena);
	router_reset();
	return 0;
}

static const struct route *match(const char *method, const char *path,
				 const char *args[4], bool *wrong)
{
	return router_match(&arena, method, path, args, wrong);
}

static void test_literal_beats_placeholder(void **state)
{
	const char *args[4];
	bool wrong;
	const struct route *r = match("GET", "/users/new", args, &wrong);
	assert_non_null(r);
	assert_ptr_equal(r->handler, h_new);
	assert_null(args[0]);
	r = match("GET", "/users/17", args, &wrong);
	assert_ptr_equal(r->handler, h_view);
	assert_string_equal(args[0], "17");
	r = match("GET", "/users/17/edit", args, &wrong);
	assert_ptr_equal(r->handler, h_edit);
	r = match("POST", "/users/17/edit", args, &wrong);
	assert_ptr_equal(r->handler, h_save);
	r = match("POST", "/users/5/roles/chair/remove", args, &wrong);
	assert_ptr_equal(r->handler, h_role);
	assert_string_equal(args[0], "5");
	assert_string_equal(args[1], "chair");
	assert_null(args[2]);
	/* placeholders take text too; the handler decides (req_arg_id) */
	r = match("GET", "/users/Trần Văn", args, &wrong);
	assert_ptr_equal(r->handler, h_view);
	assert_string_equal(args[0], "Trần Văn");
}

static void test_not_found_and_wrong_method(void **state)
{
	const char *args[4];
	bool wrong;
	assert_null(match("GET", "/nothing", args, &wrong));
	assert_false(wrong);
	assert_null(match("GET", "/users/1/edit/more", args, &wrong));
	assert_false(wrong);
	assert_null(
		match("GET", "/users//edit", args, &wrong)); /* empty segment */
	assert_null(match("GET", "/", args, &wrong));
	assert_null(match("GET", "/user", args, &wrong));
	assert_null(match("GET", "/usersx", args, &wrong));
	assert_null(match("POST", "/users", args, &wrong));
	assert_true(wrong);
	assert_null(match("DELETE", "/users/3/edit", args, &wrong));
	assert_true(wrong);
	assert_string_equal(router_allowed(&arena, "/users/3/edit"),
			    "GET, POST");
	assert_string_equal(router_allowed(&arena, "/users"), "GET");
}

static void test_head_and_trailing_slash(void **state)
{
	const char *args[4];
	bool wrong;
	assert_ptr_equal(match("HEAD", "/users", args, &wrong)->handler,
			 h_list);
	assert_ptr_equal(match("GET", "/users/", args, &wrong)->handler,
			 h_list);
	assert_ptr_equal(match("GET", "/users/9/edit/", args, &wrong)->handler,
			 h_edit);
}

static void test_api_prefix(void **state)
{
	bool api;
	assert_string_equal(router_strip_api("/api/users/3", &api), "/users/3");
	assert_true(api);
	assert_string_equal(router_strip_api("/api", &api), "/");
	assert_true(api);
	assert_string_equal(router_strip_api("/api/", &api), "/");
	assert_true(api);
	assert_string_equal(router_strip_api("/apiary", &api), "/apiary");
	assert_false(api);
	assert_string_equal(router_strip_api("/users", &api), "/users");
	assert_false(api);
	/* the API path finds the same route */
	const char *args[4];
	bool wrong;
	const struct route *r = match(
		"GET", router_strip_api("/api/users/8", &api), args, &wrong);
	assert_ptr_equal(r->handler, h_view);
	assert_string_equal(args[0], "8");
}

static void test_access(void **state)
{
	const char *args[4];
	bool wrong;
	const struct route *users = match("GET", "/users", args, &wrong);
	const struct route *login = match("GET", "/login", args, &wrong);
	const struct route *remove =
		match("POST", "/users/1/roles/x/remove", args, &wrong);
	struct user chair = {.id = 1, .roles = ROLE_CHAIR};
	struct user office = {.id = 2, .roles = ROLE_OFFICE | ROLE_OFFICER};
	struct user village = {.id = 3, .roles = ROLE_VILLAGE_HEAD};
	struct user none = {.id = 4, .roles = 0};
	assert_int_equal(router_access(users, NULL), ACCESS_LOGIN);
	assert_int_equal(router_access(users, &chair), ACCESS_OK);
	assert_int_equal(router_access(users, &office), ACCESS_OK);
	assert_int_equal(router_access(users, &village), ACCESS_FORBIDDEN);
	assert_int_equal(router_access(users, &none), ACCESS_FORBIDDEN);
	assert_int_equal(router_access(remove, &office), ACCESS_FORBIDDEN);
	assert_int_equal(router_access(remove, &chair), ACCESS_OK);
	/* any logged-in user, even one with no role yet */
	static const struct route any = {"GET", "/account", h_list,
					 ROLE_ANY_USER, NULL};
	assert_int_equal(router_access(&any, &none), ACCESS_OK);
	assert_int_equal(router_access(&any, &village), ACCESS_OK);
	assert_int_equal(router_access(&any, NULL), ACCESS_LOGIN);
	assert_int_equal(router_access(login, NULL), ACCESS_OK);
	assert_int_equal(router_access(login, &none), ACCESS_OK);
}

static void test_registration(void **state)
{
	int n;
	const struct route *all = http_routes(&n);
	assert_int_equal(n, 7);
	/* a duplicate is refused, the first stays */
	static const struct route dup[] = {
		{"GET", "/users", h_edit, ROLE_CHAIR, NULL}};
	http_register(dup, 1);
	all = http_routes(&n);
	assert_int_equal(n, 7);
	assert_ptr_equal(all[0].handler, h_list);
	/* the shell's routes go in beside others */
	shell_http_register();
	all = http_routes(&n);
	assert_true(n > 10);
	const char *args[4];
	bool wrong;
	assert_non_null(match("GET", "/static/app.css", args, &wrong));
	assert_string_equal(args[0], "app.css");
	assert_true(match("GET", "/healthz", args, &wrong)->roles &
		    ROLE_PUBLIC);
	assert_false(match("GET", "/", args, &wrong)->roles & ROLE_PUBLIC);
}

static void test_roles(void **state)
{
	for (int b = 0; b < ROLE_COUNT; b++) {
		enum role r = (enum role)(1u << b);
		assert_int_equal(role_from_key(role_key(r)), r);
		assert_true(strlen(role_label_vi(r)) > 0);
	}
	assert_string_equal(role_key(ROLE_VILLAGE_HEAD), "village_head");
	assert_string_equal(role_label_vi(ROLE_CHAIR), "Chủ tịch");
	assert_int_equal(role_from_key("nobody"), 0);
	assert_int_equal(role_from_key(NULL), 0);
	assert_string_equal(role_labels_vi(&arena, ROLE_CHAIR | ROLE_UPPER),
			    "Chủ tịch, Cấp trên");
	assert_string_equal(role_labels_vi(&arena, 0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_literal_beats_placeholder,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found_and_wrong_method,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_and_trailing_slash,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_prefix, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registration, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
