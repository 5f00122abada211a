/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <string.h>

#include "kmv/backup.h"
#include "kmvutil/datetime.h"

/* Epoch of a UTC time. */
static int64_t utc(int y, unsigned m, unsigned d, int h)
{
	return kmv_days_from_civil(y, m, d) * 86400 + h * 3600;
}

static size_t kept(const bool *keep, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += keep[i];
	return k;
}

static void test_retention__no_rule_keeps_everything(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	int64_t t[3] = { utc(2026, 1, 1, 0), utc(2026, 1, 2, 0),
			 utc(2026, 1, 3, 0) };
	bool keep[3];

	(void)state;
	assert_false(kmv_retention_active(&r));
	assert_int_equal(kmv_retention_apply(keep, t, 3, &r), 0);
	assert_int_equal(kept(keep, 3), 3);
}

static void test_retention__daily_keeps_newest_per_day(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	/* Two backups a day for five days, oldest first. */
	int64_t t[10];
	bool keep[10];

	(void)state;
	for (int i = 0; i < 5; i++) {
		t[2 * i] = utc(2026, 1, 10 + (unsigned)i, 2);
		t[2 * i + 1] = utc(2026, 1, 10 + (unsigned)i, 14);
	}
	r.keep_daily = 3;
	assert_int_equal(kmv_retention_apply(keep, t, 10, &r), 0);
	assert_int_equal(kept(keep, 10), 3);
	/* The 14:00 backups of the last three days. */
	assert_true(keep[9] && keep[7] && keep[5]);
	assert_false(keep[8] || keep[6] || keep[4] || keep[0]);
}

static void test_retention__days_without_backups_do_not_count(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	/* Backups on the 1st, 5th and 20th: "the last 2 days that have one". */
	int64_t t[3] = { utc(2026, 3, 1, 1), utc(2026, 3, 5, 1),
			 utc(2026, 3, 20, 1) };
	bool keep[3];

	(void)state;
	r.keep_daily = 2;
	assert_int_equal(kmv_retention_apply(keep, t, 3, &r), 0);
	assert_false(keep[0]);
	assert_true(keep[1] && keep[2]);
}

static void test_retention__weeks_are_iso_monday_to_sunday(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	/*
	 * 2026-01-18 is a Sunday, 2026-01-19 a Monday: different ISO weeks.
	 * 2026-01-12 (Mon) and 2026-01-18 (Sun) share a week.
	 */
	int64_t t[4] = {
		utc(2026, 1, 12, 3),
		utc(2026, 1, 18, 23),
		utc(2026, 1, 19, 0),
		utc(2026, 1, 20, 5),
	};
	bool keep[4];

	(void)state;
	r.keep_weekly = 2;
	assert_int_equal(kmv_retention_apply(keep, t, 4, &r), 0);
	/* Week of the 19th: newest is the 20th; week of the 12th: the 18th. */
	assert_true(keep[3] && keep[1]);
	assert_false(keep[2] || keep[0]);
}

static void test_retention__iso_week_spans_new_year(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	/* 2025-12-29 (Mon) .. 2026-01-04 (Sun) is ISO week 2026-W01. */
	int64_t t[3] = { utc(2025, 12, 28, 12), utc(2025, 12, 29, 12),
			 utc(2026, 1, 4, 12) };
	bool keep[3];

	(void)state;
	r.keep_weekly = 5;
	assert_int_equal(kmv_retention_apply(keep, t, 3, &r), 0);
	assert_true(keep[0]);  /* its own week (W52) */
	assert_false(keep[1]); /* same week as the 4th */
	assert_true(keep[2]);
}

static void test_retention__monthly_keeps_last_of_month(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	int64_t t[6] = {
		utc(2025, 11, 3, 0), utc(2025, 11, 30, 23),
		utc(2025, 12, 1, 0), utc(2025, 12, 31, 23),
		utc(2026, 1, 1, 0),  utc(2026, 1, 15, 0),
	};
	bool keep[6];

	(void)state;
	r.keep_monthly = 2;
	assert_int_equal(kmv_retention_apply(keep, t, 6, &r), 0);
	assert_int_equal(kept(keep, 6), 2);
	assert_true(keep[5] && keep[3]);
}

static void test_retention__rules_are_ored(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	/* One backup a day, 2026-01-01 .. 2026-03-31 (90 days). */
	int64_t t[90];
	bool keep[90];
	int64_t day0 = kmv_days_from_civil(2026, 1, 1);

	(void)state;
	for (int i = 0; i < 90; i++)
		t[i] = (day0 + i) * 86400 + 3600;
	r.keep_daily = 3;
	r.keep_weekly = 2;
	r.keep_monthly = 3;
	assert_int_equal(kmv_retention_apply(keep, t, 90, &r), 0);
	/*
	 * Daily: Mar 29, 30, 31.  Weekly: Sun Mar 29 (week Mar 23-29) is
	 * already kept... the newest of the week of Mar 30 is Mar 31, so the
	 * two weeks give Mar 31 and Mar 29.  Monthly: Mar 31, Feb 28, Jan 31.
	 */
	assert_true(keep[89] && keep[88] && keep[87]);
	assert_true(keep[58]); /* Feb 28 */
	assert_true(keep[30]); /* Jan 31 */
	assert_int_equal(kept(keep, 90), 5);
}

static void test_retention__newest_always_kept(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	int64_t t[3] = { utc(2026, 1, 3, 0), utc(2026, 1, 1, 0),
			 utc(2026, 1, 2, 0) };
	bool keep[3];

	(void)state;
	r.keep_monthly = 0; /* active but keeps no bucket */
	assert_true(kmv_retention_active(&r));
	assert_int_equal(kmv_retention_apply(keep, t, 3, &r), 0);
	assert_true(keep[0]);
	assert_false(keep[1] || keep[2]);
}

/* Same second: the higher generation is the newer one (issue 12.4). */
static void test_retention__same_second_ranked_by_generation(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	int64_t t[3] = { utc(2026, 1, 3, 0), utc(2026, 1, 3, 0),
			 utc(2026, 1, 2, 0) };
	uint64_t g[3] = { 7, 9, 5 };
	bool keep[3];

	(void)state;
	r.keep_daily = 1;
	assert_int_equal(kmv_retention_apply_generations(keep, t, g, 3, &r), 0);
	assert_false(keep[0]);
	assert_true(keep[1]);
	assert_false(keep[2]);
	r.keep_daily = 2;
	assert_int_equal(kmv_retention_apply_generations(keep, t, g, 3, &r), 0);
	assert_false(keep[0]);
	assert_true(keep[1] && keep[2]);
}

static void test_retention__empty_list(void **state)
{
	kmv_retention r = KMV_RETENTION_INIT;
	bool keep[1] = { false };

	(void)state;
	r.keep_daily = 1;
	assert_int_equal(kmv_retention_apply(keep, NULL, 0, &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retention__no_rule_keeps_everything),
		cmocka_unit_test(test_retention__daily_keeps_newest_per_day),
		cmocka_unit_test(
			test_retention__days_without_backups_do_not_count),
		cmocka_unit_test(
			test_retention__weeks_are_iso_monday_to_sunday),
		cmocka_unit_test(test_retention__iso_week_spans_new_year),
		cmocka_unit_test(test_retention__monthly_keeps_last_of_month),
		cmocka_unit_test(test_retention__rules_are_ored),
		cmocka_unit_test(test_retention__newest_always_kept),
		cmocka_unit_test(
			test_retention__same_second_ranked_by_generation),
		cmocka_unit_test(test_retention__empty_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
