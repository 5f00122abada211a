/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "kmv/error.h"

#include "kmv/case.h"
#include "kmv/member.h"
#include "kmv/remind.h"
#include "kmvutil/datetime.h"

#define MAXR 32

struct seen {
	int n;
	char type[MAXR][32];
	char subject[MAXR][64];
	char due[MAXR][40];
	int64_t left[MAXR];
};

static int collect(const kmv_reminder *r, void *payload)
{
	struct seen *s = payload;

	if (s->n < MAXR) {
		snprintf(s->type[s->n], 32, "%s", r->type);
		snprintf(s->subject[s->n], 64, "%s", r->subject);
		snprintf(s->due[s->n], 40, "%s", r->due);
		s->left[s->n] = r->days_left;
	}
	s->n++;
	return 0;
}

static int64_t member(kmv_test_vault *f, const char *platform,
		      const char *expiry, int64_t inactivity, const char *login)
{
	kmv_member_spec spec = KMV_MEMBER_SPEC_INIT;
	int64_t id = 0;

	spec.platform = platform;
	spec.expiry_date = expiry;
	spec.inactivity_days = inactivity;
	spec.last_login = login;
	assert_int_equal(kmv_member_add(&id, f->vault, &spec), 0);
	return id;
}

/* Epoch of a CST wall-clock time. */
static int64_t cst(int y, unsigned m, unsigned d, int h)
{
	return kmv_days_from_civil(y, m, d) * 86400 + (h - 8) * 3600;
}

static void build(kmv_test_vault *f)
{
	kmv_case_open_options co = KMV_CASE_OPEN_OPTIONS_INIT;
	int64_t id;

	member(f, "A", "2026-01-19", 0, NULL);          /* expires in 3 */
	member(f, "B", "2026-03-01", 30, "2025-12-20"); /* inactive in 3 */
	member(f, "C", "2026-01-10", 0, NULL);          /* expired 6 ago */
	id = member(f, "D", "2026-01-17", 0, NULL);
	assert_int_equal(kmv_member_end(f->vault, id), 0); /* ended: quiet */
	member(f, "E", "2026-02-20", 0, NULL);             /* too far */

	kmv_fix_at(f->vault, "order", "KM-CASE", NULL, cst(2026, 1, 2, 12),
		   9900, "completed");
	/* Opened Monday 2026-01-05: 7 working days -> Wed 2026-01-14. */
	setenv("KMVAULT_NOW", "2026-01-05T09:00:00+08:00", 1);
	co.order_no = "KM-CASE";
	co.reason = "refund_missing";
	assert_int_equal(kmv_case_open(&id, f->vault, &co), 0);
	setenv("KMVAULT_NOW", "2026-01-16T10:00:00+08:00", 1);

	kmv_fix_at(f->vault, "order", "KM-LATE", NULL, cst(2026, 1, 16, 7),
		   4850, "paid");
	kmv_fix_at(f->vault, "order", "KM-FRESH", NULL, cst(2026, 1, 16, 9),
		   4850, "paid");
	kmv_fix_at(f->vault, "order", "KM-DONE", NULL, cst(2026, 1, 10, 9),
		   4850, "completed");
	kmv_fix_at(f->vault, "order", "KM-OLD", NULL, cst(2023, 1, 20, 10), 100,
		   "completed");
	kmv_fix_at(f->vault, "order", "KM-OLD2", NULL, cst(2023, 1, 30, 10),
		   100, "completed");
	kmv_fix_at(f->vault, "order", "KM-OLD3", NULL, cst(2023, 1, 10, 10),
		   100, "completed");
}

static void test_remind__everything_due_most_urgent_first(void **state)
{
	kmv_test_vault *f = *state;
	kmv_remind_options ro = KMV_REMIND_OPTIONS_INIT;
	struct seen s;

	build(f);
	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_remind_foreach(f->vault, &ro, collect, &s), 0);
	assert_int_equal(s.n, 6);
	assert_string_equal(s.type[0], "membership_expiry");
	assert_string_equal(s.subject[0], "C");
	assert_int_equal(s.left[0], -6);
	assert_string_equal(s.type[1], "case_deadline");
	assert_string_equal(s.subject[1], "KM-CASE");
	assert_string_equal(s.due[1], "2026-01-14");
	assert_int_equal(s.left[1], -2);
	assert_string_equal(s.type[2], "undelivered");
	assert_string_equal(s.subject[2], "KM-LATE");
	assert_int_equal(s.left[2], 0);
	assert_string_equal(s.type[3], "membership_expiry");
	assert_string_equal(s.subject[3], "A");
	assert_int_equal(s.left[3], 3);
	assert_string_equal(s.type[4], "membership_inactivity");
	assert_string_equal(s.subject[4], "B");
	assert_string_equal(s.due[4], "2026-01-19");
	assert_string_equal(s.type[5], "retention");
	assert_string_equal(s.subject[5], "KM-OLD");
	assert_string_equal(s.due[5], "2026-01-20");
	assert_int_equal(s.left[5], 4);
}

static void test_remind__window_and_closed_cases(void **state)
{
	kmv_test_vault *f = *state;
	kmv_remind_options ro = KMV_REMIND_OPTIONS_INIT;
	struct seen s;

	build(f);
	ro.days = 20;
	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_remind_foreach(f->vault, &ro, collect, &s), 0);
	assert_int_equal(s.n, 7); /* + KM-OLD2 (14 days) */
	assert_int_equal(kmv_case_close(f->vault, 1, NULL, NULL), 0);
	ro.days = 0;
	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_remind_foreach(f->vault, &ro, collect, &s), 0);
	/* C (expired), KM-LATE; the closed case is gone. */
	assert_int_equal(s.n, 2);
}

static void test_remind__leap_day_anniversary(void **state)
{
	kmv_test_vault *f = *state;
	kmv_remind_options ro = KMV_REMIND_OPTIONS_INIT;
	struct seen s;

	kmv_fix_at(f->vault, "order", "KM-LEAP", NULL, cst(2024, 2, 29, 12),
		   100, "completed");
	setenv("KMVAULT_NOW", "2027-02-27T10:00:00+08:00", 1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_remind_foreach(f->vault, &ro, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.due[0], "2027-03-01");
	assert_int_equal(s.left[0], 2);
}

static void test_remind__empty_vault(void **state)
{
	kmv_test_vault *f = *state;
	struct seen s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_remind_foreach(f->vault, NULL, collect, &s), 0);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_remind__everything_due_most_urgent_first,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_remind__window_and_closed_cases,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_remind__leap_day_anniversary, kmv_test_vault_setup,
			kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_remind__empty_vault,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
