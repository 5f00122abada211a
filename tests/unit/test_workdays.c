/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include "kmv/case.h"
#include "kmv/datetime.h"

static int64_t day(int y, unsigned m, unsigned d)
{
	return kmv_days_from_civil(y, m, d);
}

static void test_workdays__weekends_are_not_workdays(void **state)
{
	(void)state;
	/* 2026-01-16 Friday, 17 Saturday, 18 Sunday, 19 Monday. */
	assert_true(kmv_workday(day(2026, 1, 16)));
	assert_false(kmv_workday(day(2026, 1, 17)));
	assert_false(kmv_workday(day(2026, 1, 18)));
	assert_true(kmv_workday(day(2026, 1, 19)));
	assert_true(kmv_workday(day(1970, 1, 1))); /* a Thursday */
	assert_false(kmv_workday(day(1969, 12, 28))); /* a Sunday */
}

static void test_workdays__friday_plus_one_is_monday(void **state)
{
	(void)state;
	assert_int_equal(kmv_workdays_add(day(2026, 1, 16), 1), day(2026, 1, 19));
}

static void test_workdays__weekend_start_counts_from_monday(void **state)
{
	(void)state;
	assert_int_equal(kmv_workdays_add(day(2026, 1, 17), 1), day(2026, 1, 19));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 18), 1), day(2026, 1, 19));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 17), 5), day(2026, 1, 23));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 17), 6), day(2026, 1, 26));
}

static void test_workdays__default_seven_days(void **state)
{
	(void)state;
	/* Monday + 7 = Wednesday of the next week; Friday + 7 = Tuesday+1w. */
	assert_int_equal(kmv_workdays_add(day(2026, 1, 12), 7), day(2026, 1, 21));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 16), 7), day(2026, 1, 27));
	/* Wednesday + 3 crosses a weekend: Monday. */
	assert_int_equal(kmv_workdays_add(day(2026, 1, 14), 3), day(2026, 1, 19));
}

static void test_workdays__long_windows_and_zero(void **state)
{
	(void)state;
	assert_int_equal(kmv_workdays_add(day(2026, 1, 12), 0), day(2026, 1, 12));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 12), 10), day(2026, 1, 26));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 12), 260),
			 day(2026, 1, 12) + 364);
}

static void test_workdays__between(void **state)
{
	(void)state;
	assert_int_equal(kmv_workdays_between(day(2026, 1, 16), day(2026, 1, 19)), 1);
	assert_int_equal(kmv_workdays_between(day(2026, 1, 12), day(2026, 1, 21)), 7);
	assert_int_equal(kmv_workdays_between(day(2026, 1, 19), day(2026, 1, 16)), -1);
	assert_int_equal(kmv_workdays_between(day(2026, 1, 17), day(2026, 1, 18)), 0);
	for (int n = 0; n < 30; n++)
		assert_int_equal(kmv_workdays_between(day(2026, 1, 17),
				 kmv_workdays_add(day(2026, 1, 17), n)), n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workdays__weekends_are_not_workdays),
		cmocka_unit_test(test_workdays__friday_plus_one_is_monday),
		cmocka_unit_test(test_workdays__weekend_start_counts_from_monday),
		cmocka_unit_test(test_workdays__default_seven_days),
		cmocka_unit_test(test_workdays__long_windows_and_zero),
		cmocka_unit_test(test_workdays__between),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
