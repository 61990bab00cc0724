/* voice.c: labels, the workflow of each case type, the step whose clock
 * runs in each status, and the Open311 status. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "voice/voice.h"
#include "base/banned.h"

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(case_type_label_vi("feedback"), "Phản ánh");
	assert_string_equal(case_type_label_vi("petition"), "Kiến nghị");
	assert_string_equal(case_type_label_vi("complaint"), "Khiếu nại");
	assert_string_equal(case_type_label_vi("denunciation"), "Tố cáo");
	assert_null(case_type_label_vi("gossip"));
	assert_null(case_type_label_vi(NULL));
	static const char *const statuses[] = {
		"received",  "accepted", "forwarded", "refused", "assigned",
		"verifying", "dialogue", "answered",  "closed",  "merged"};
	for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
		assert_non_null(case_status_label_vi(statuses[i]));
	assert_string_equal(case_status_label_vi("accepted"), "Đã thụ lý");
	assert_null(case_status_label_vi("lost"));
	static const char *const channels[] = {"online",    "paper",   "phone",
					       "reception", "meeting", "portal",
					       "open311"};
	for (size_t i = 0; i < sizeof channels / sizeof *channels; i++)
		assert_non_null(case_channel_label_vi(channels[i]));
	assert_null(case_channel_label_vi("fax"));
	assert_true(case_type_needs_identity("complaint"));
	assert_true(case_type_needs_identity("denunciation"));
	assert_false(case_type_needs_identity("feedback"));
	assert_false(case_type_needs_identity("petition"));
}

static void test_workflow(void **state)
{
	(void)state;
	static const struct {
		const char *type, *from, *to;
		bool ok;
	} moves[] = {
		{"feedback", "received", "accepted", true},
		{"feedback", "received", "forwarded", true},
		{"feedback", "received", "refused", true},
		{"feedback", "received", "merged", true},
		{"feedback", "received", "assigned", false},
		{"feedback", "received", "answered", false},
		{"complaint", "accepted", "assigned", true},
		{"complaint", "accepted", "merged", true},
		{"complaint", "accepted", "answered", false},
		{"complaint", "assigned", "verifying", true},
		{"complaint", "assigned", "answered", true},
		{"complaint", "assigned", "merged", true},
		{"complaint", "verifying", "dialogue", true},
		{"denunciation", "verifying", "dialogue", false},
		{"feedback", "verifying", "dialogue", false},
		{"denunciation", "verifying", "answered", true},
		{"complaint", "dialogue", "answered", true},
		{"complaint", "answered", "closed", true},
		{"complaint", "closed", "received", false},
		{"complaint", "merged", "accepted", false},
		{"complaint", "answered", "merged", false},
		{"complaint", "forwarded", "accepted", false},
		{"gossip", "received", "accepted", false},
		{"complaint", "received", "lost", false},
	};
	for (size_t i = 0; i < sizeof moves / sizeof *moves; i++)
		if (case_can_move(moves[i].type, moves[i].from, moves[i].to) !=
		    moves[i].ok)
			fail_msg("%s %s -> %s should be %s", moves[i].type,
				 moves[i].from, moves[i].to,
				 moves[i].ok ? "allowed" : "refused");
}

static void test_steps(void **state)
{
	(void)state;
	assert_string_equal(case_current_step("feedback", "received"),
			    "classify");
	assert_string_equal(case_current_step("petition", "received"),
			    "classify");
	assert_string_equal(case_current_step("complaint", "received"),
			    "accept");
	assert_string_equal(case_current_step("denunciation", "received"),
			    "accept");
	static const char *const running[] = {"accepted", "assigned",
					      "verifying", "dialogue"};
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(case_current_step("feedback", running[i]),
				    "resolve");
		assert_string_equal(
			case_current_step("denunciation", running[i]),
			"resolve");
	}
	static const char *const stopped[] = {"answered", "closed", "merged",
					      "forwarded", "refused"};
	for (size_t i = 0; i < 5; i++)
		assert_null(case_current_step("complaint", stopped[i]));
	assert_null(case_current_step("gossip", "received"));
}

static void test_open311(void **state)
{
	(void)state;
	static const char *const closed[] = {"answered", "closed", "forwarded",
					     "refused", "merged"};
	static const char *const open[] = {"received", "accepted", "assigned",
					   "verifying", "dialogue"};
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(case_open311_status(closed[i]), "closed");
		assert_string_equal(case_open311_status(open[i]), "open");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_workflow),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_open311),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
