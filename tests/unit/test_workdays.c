/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include "kmv/case.h"
#include "kmvutil/datetime.h"
#include "kmv/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	assert_true(kmv_workday(day(1970, 1, 1)));    /* a Thursday */
	assert_false(kmv_workday(day(1969, 12, 28))); /* a Sunday */
}

static void test_workdays__friday_plus_one_is_monday(void **state)
{
	(void)state;
	assert_int_equal(kmv_workdays_add(day(2026, 1, 16), 1),
			 day(2026, 1, 19));
}

static void test_workdays__weekend_start_counts_from_monday(void **state)
{
	(void)state;
	assert_int_equal(kmv_workdays_add(day(2026, 1, 17), 1),
			 day(2026, 1, 19));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 18), 1),
			 day(2026, 1, 19));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 17), 5),
			 day(2026, 1, 23));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 17), 6),
			 day(2026, 1, 26));
}

static void test_workdays__default_seven_days(void **state)
{
	(void)state;
	/* Monday + 7 = Wednesday of the next week; Friday + 7 = Tuesday+1w. */
	assert_int_equal(kmv_workdays_add(day(2026, 1, 12), 7),
			 day(2026, 1, 21));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 16), 7),
			 day(2026, 1, 27));
	/* Wednesday + 3 crosses a weekend: Monday. */
	assert_int_equal(kmv_workdays_add(day(2026, 1, 14), 3),
			 day(2026, 1, 19));
}

static void test_workdays__long_windows_and_zero(void **state)
{
	(void)state;
	assert_int_equal(kmv_workdays_add(day(2026, 1, 12), 0),
			 day(2026, 1, 12));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 12), 10),
			 day(2026, 1, 26));
	assert_int_equal(kmv_workdays_add(day(2026, 1, 12), 260),
			 day(2026, 1, 12) + 364);
}

static void test_workdays__between(void **state)
{
	(void)state;
	assert_int_equal(kmv_workdays_between(day(2026, 1, 16),
					      day(2026, 1, 19)),
			 1);
	assert_int_equal(kmv_workdays_between(day(2026, 1, 12),
					      day(2026, 1, 21)),
			 7);
	assert_int_equal(kmv_workdays_between(day(2026, 1, 19),
					      day(2026, 1, 16)),
			 -1);
	assert_int_equal(kmv_workdays_between(day(2026, 1, 17),
					      day(2026, 1, 18)),
			 0);
	for (int n = 0; n < 30; n++)
		assert_int_equal(kmv_workdays_between(
					 day(2026, 1, 17),
					 kmv_workdays_add(day(2026, 1, 17), n)),
				 n);
}

/* The 2025 National Day / Mid-Autumn notice: 10-01..10-08 off, Sunday
 * 09-28 and Saturday 10-11 worked. */
static const char national_day_2025[] =
	"# 国务院办公厅 2025\n"
	"2025-10-01..2025-10-08 off 国庆节、中秋节\n"
	"2025-09-28 work\n"
	"\n"
	"2025-10-11 work   # 调休\n";

static const char *write_calendar(char **dir, const char *text)
{
	static char path[4200];
	FILE *fp;

	*dir = kmv_test_tmpdir();
	snprintf(path, sizeof(path), "%s/holidays", *dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void test_workdays__holiday_calendar(void **state)
{
	char *dir = NULL;

	(void)state;
	/* Without a calendar: Tuesday 09-30 + 7 = Thursday 10-09. */
	assert_int_equal(kmv_workdays_add(day(2025, 9, 30), 7),
			 day(2025, 10, 9));
	assert_int_equal(kmv_workdays_load_calendar(
				 write_calendar(&dir, national_day_2025)),
			 0);
	assert_false(kmv_workday(day(2025, 10, 3)));  /* a Friday off */
	assert_true(kmv_workday(day(2025, 9, 28)));   /* a Sunday worked */
	assert_true(kmv_workday(day(2025, 10, 11)));  /* a Saturday worked */
	assert_false(kmv_workday(day(2025, 10, 12))); /* an ordinary Sunday */
	/* 10-09, 10-10, 10-11 (Sat), 10-13 .. 10-16 */
	assert_int_equal(kmv_workdays_add(day(2025, 9, 30), 7),
			 day(2025, 10, 16));
	assert_int_equal(kmv_workdays_between(day(2025, 9, 30),
					      day(2025, 10, 16)),
			 7);
	assert_int_equal(kmv_workdays_between(day(2025, 9, 26),
					      day(2025, 9, 28)),
			 1);
	for (int n = 0; n < 40; n++)
		assert_int_equal(kmv_workdays_between(
					 day(2025, 9, 20),
					 kmv_workdays_add(day(2025, 9, 20), n)),
				 n);
	kmv_workdays_clear_calendar();
	assert_true(kmv_workday(day(2025, 10, 3)));
	kmv_test_rmdir(dir);
	free(dir);
}

static void test_workdays__bad_calendar_names_the_line(void **state)
{
	char *dir = NULL;
	const char *path;

	(void)state;
	path = write_calendar(&dir, "2025-10-01 off\n2025-10-02 holiday\n");
	assert_int_equal(kmv_workdays_load_calendar(path), KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(),
			       "holidays:2: expected 'off' or 'work'"));
	/* Nothing of a bad file is kept. */
	assert_true(kmv_workday(day(2025, 10, 1)));
	kmv_test_rmdir(dir);
	free(dir);
	path = write_calendar(&dir, "2025-10-08..2025-10-01 off\n");
	assert_int_equal(kmv_workdays_load_calendar(path), KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(),
			       "holidays:1: the range ends before it starts"));
	kmv_test_rmdir(dir);
	free(dir);
	path = write_calendar(&dir, "2025-13-01 off\n");
	assert_int_equal(kmv_workdays_load_calendar(path), KMV_EINPUT);
	kmv_test_rmdir(dir);
	free(dir);
	assert_int_equal(kmv_workdays_load_calendar("/nonexistent/holidays"),
			 KMV_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workdays__weekends_are_not_workdays),
		cmocka_unit_test(test_workdays__friday_plus_one_is_monday),
		cmocka_unit_test(
			test_workdays__weekend_start_counts_from_monday),
		cmocka_unit_test(test_workdays__default_seven_days),
		cmocka_unit_test(test_workdays__long_windows_and_zero),
		cmocka_unit_test(test_workdays__between),
		cmocka_unit_test(test_workdays__holiday_calendar),
		cmocka_unit_test(test_workdays__bad_calendar_names_the_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
