/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "kmv/error.h"

#include "kmv/member.h"

struct seen {
	int n;
	kmv_member last;
	char status[16], expiry[16], orders[128];
};

static int collect(const kmv_member *m, void *payload)
{
	struct seen *s = payload;

	s->n++;
	s->last = *m;
	snprintf(s->status, sizeof(s->status), "%s", m->status);
	snprintf(s->expiry, sizeof(s->expiry), "%s", m->expiry_date);
	snprintf(s->orders, sizeof(s->orders), "%s",
		 m->orders ? m->orders : "");
	return 0;
}

static void test_member__add_and_list(void **state)
{
	kmv_test_vault *f = *state;
	kmv_member_spec spec = KMV_MEMBER_SPEC_INIT;
	struct seen s;
	int64_t id = 0;

	spec.platform = "示例卡盟";
	spec.level = "VIP";
	spec.start_date = "2026-01-01";
	spec.expiry_date = "2026-02-01";
	spec.price = 2500;
	spec.auto_renew = true;
	spec.inactivity_days = 30;
	spec.last_login = "2026-01-10";
	assert_int_equal(kmv_member_add(&id, f->vault, &spec), 0);
	assert_int_equal(id, 1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_member_foreach(f->vault, collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.status, "active");
	assert_string_equal(s.expiry, "2026-02-01");
	assert_int_equal(s.last.price, 2500);
	assert_true(s.last.auto_renew);
	assert_int_equal(s.last.inactivity_days, 30);
	assert_int_equal(kmv_test_int(f,
				      "SELECT count(*) FROM events WHERE "
				      "action = 'member_add'",
				      0),
			 1);
}

static void test_member__bad_input_changes_nothing(void **state)
{
	kmv_test_vault *f = *state;
	kmv_member_spec spec = KMV_MEMBER_SPEC_INIT;
	const char *orders[] = { "NO-SUCH-ORDER" };
	int64_t id = 0;

	spec.platform = "P";
	spec.expiry_date = "2026-02-30";
	assert_int_equal(kmv_member_add(&id, f->vault, &spec), KMV_EUSAGE);
	spec.expiry_date = "2026-02-01";
	spec.start_date = "2026-03-01";
	assert_int_equal(kmv_member_add(&id, f->vault, &spec), KMV_EUSAGE);
	spec.start_date = NULL;
	spec.inactivity_days = 30;
	assert_int_equal(kmv_member_add(&id, f->vault, &spec), KMV_EUSAGE);
	spec.inactivity_days = 0;
	spec.orders = orders;
	spec.norders = 1;
	assert_int_equal(kmv_member_add(&id, f->vault, &spec), KMV_ENOTFOUND);
	assert_int_equal(kmv_test_int(f, "SELECT count(*) FROM memberships", 0),
			 0);
	assert_int_equal(kmv_test_int(f, "SELECT count(*) FROM events", 0), 1);
}

static void test_member__orders_and_renewal_history(void **state)
{
	kmv_test_vault *f = *state;
	kmv_member_spec spec = KMV_MEMBER_SPEC_INIT;
	const char *orders[] = { "KM1" };
	struct seen s;
	int64_t id = 0, o1, o2;

	o1 = kmv_fix_at(f->vault, "order", "KM1", NULL, 1700000000, 2500,
			"completed");
	o2 = kmv_fix_at(f->vault, "order", "KM2", NULL, 1702000000, 2500,
			"completed");
	spec.platform = "示例卡盟";
	spec.expiry_date = "2026-02-01";
	spec.price = 2500;
	spec.orders = orders;
	spec.norders = 1;
	assert_int_equal(kmv_member_add(&id, f->vault, &spec), 0);
	assert_int_equal(
		kmv_test_int(f,
			     "SELECT order_record_id FROM "
			     "membership_renewals WHERE old_expiry IS NULL",
			     0),
		o1);
	/* Renewing to an earlier date is refused. */
	assert_int_equal(kmv_member_renew(f->vault, id, "2026-01-15", -1, NULL),
			 KMV_EUSAGE);
	assert_int_equal(kmv_member_renew(f->vault, id, "2026-03-01", 2800,
					  "KM2"),
			 0);
	assert_int_equal(kmv_member_renew(f->vault, 99, "2026-03-01", -1, NULL),
			 KMV_ENOTFOUND);
	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_member_foreach(f->vault, collect, &s), 0);
	assert_string_equal(s.expiry, "2026-03-01");
	assert_int_equal(s.last.price, 2800);
	assert_int_equal(s.last.renewals, 1);
	assert_string_equal(s.orders, "KM1, KM2");
	assert_int_equal(kmv_test_int(f,
				      "SELECT order_record_id FROM "
				      "membership_renewals WHERE old_expiry = "
				      "'2026-02-01'",
				      0),
			 o2);
}

static void test_member__end_and_login(void **state)
{
	kmv_test_vault *f = *state;
	kmv_member_spec spec = KMV_MEMBER_SPEC_INIT;
	struct seen s;
	int64_t id = 0;

	setenv("KMVAULT_NOW", "2026-01-16T10:00:00+08:00", 1);
	spec.platform = "P";
	spec.expiry_date = "2026-02-01";
	assert_int_equal(kmv_member_add(&id, f->vault, &spec), 0);
	assert_int_equal(kmv_member_login(f->vault, id, NULL), 0);
	memset(&s, 0, sizeof(s));
	kmv_member_foreach(f->vault, collect, &s);
	assert_string_equal(s.last.last_login ? "set" : "", "set");
	assert_int_equal(kmv_test_int(f,
				      "SELECT last_login = '2026-01-16' FROM "
				      "memberships WHERE id = ?",
				      id),
			 1);
	assert_int_equal(kmv_member_login(f->vault, id, "2026-01-20"), 0);
	assert_int_equal(kmv_member_login(f->vault, id, "yesterday"),
			 KMV_EUSAGE);
	assert_int_equal(kmv_member_end(f->vault, id), 0);
	assert_int_equal(kmv_member_end(f->vault, 42), KMV_ENOTFOUND);
	memset(&s, 0, sizeof(s));
	kmv_member_foreach(f->vault, collect, &s);
	assert_string_equal(s.status, "ended");
	assert_int_equal(kmv_test_int(f,
				      "SELECT count(*) FROM events WHERE action "
				      "IN ('member_login','member_end')",
				      0),
			 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_member__add_and_list,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_member__bad_input_changes_nothing,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_member__orders_and_renewal_history,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_member__end_and_login,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
