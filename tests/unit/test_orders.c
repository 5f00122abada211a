/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/error.h"
#include "kmv/import.h"
#include "kmv/secret.h"
#include "kmv/util.h"
#include "kmv/vault.h"
#include "store/vault.h"

static void test_orders__csv_guess_and_dedup(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p = kmv_test_put(f, "orders_a-shop.csv",
		"\xEF\xBB\xBF订单号,商品名称,数量,订单金额,下单时间,订单状态,卡密\r\n"
		"A1,卡,2,10.50,2024-01-02 03:04:05,已完成,SECRET-0000-1111\r\n");

	(void)state;
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), 0);
	assert_int_equal(res.items[0].added, 1);
	assert_string_equal(res.items[0].kind, "orders");
	assert_non_null(strstr(res.items[0].detail, "platform a-shop"));
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT amount FROM records WHERE "
			       "dedup_key = 'a-shop' || char(31) || 'A1'"), 1050);
	assert_int_equal(kmv_test_count(f, "SELECT quantity FROM records"), 2);
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), 0);
	assert_int_equal(res.items[0].added, 0);
	assert_int_equal(res.items[0].duplicates, 1);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 1);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM timeline"), 1);
}

static void test_orders__status_change_updates_and_extends_timeline(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *a = kmv_test_put(f, "a.csv", "订单号,订单金额,下单时间,订单状态\n"
			    "S1,5,2024-01-01 00:00:00,待支付\n");
	const char *b;

	(void)state;
	assert_int_equal(kmv_test_import(f, a, NULL, "p", &res), 0);
	kmv_import_results_dispose(&res);
	b = kmv_test_put(f, "b.csv", "订单号,订单金额,下单时间,订单状态,卡密\n"
		"S1,5,2024-01-01 00:00:00,已完成,NEW-SECRET-0001\n");
	assert_int_equal(kmv_test_import(f, b, NULL, "p", &res), 0);
	assert_int_equal(res.items[0].updated, 1);
	assert_int_equal(res.items[0].duplicates, 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 1);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM timeline"), 2);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records WHERE status = "
			       "'completed' AND card_secret = 'NEW-SECRET-0001'"),
			 1);
}

static void test_orders__json_array(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p = kmv_test_put(f, "x.json",
		"[{\"order_sn\":\"J1\",\"actual_price\":3.5,\"created_at\":"
		"\"2024-01-01 00:00:00\",\"status\":4},"
		"{\"order_sn\":\"J2\",\"actual_price\":\"7\",\"created_at\":"
		"1704067200,\"extra\":{\"a\":1}}]");

	(void)state;
	assert_int_equal(kmv_test_import(f, p, "dujiaoka", "d", &res), 0);
	assert_int_equal(res.items[0].added, 2);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT sum(amount) FROM records"), 1050);
	assert_int_equal(kmv_test_count(f, "SELECT source_line FROM records WHERE "
			       "order_no = 'J2'"), 2);
}

static void test_orders__rejects_leave_nothing(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p = kmv_test_put(f, "bad.csv", "订单号,订单金额,下单时间\n"
			    "X1,1.00,2024-01-01 00:00:00\nX2,1.001,2024-01-01\n");

	(void)state;
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "bad.csv:3: bad amount '1.001'"));
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 0);
	p = kmv_test_put(f, "nohdr.csv", "a,b,c\n1,2,3\n");
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "headers seen: a, b, c"));
	kmv_import_results_dispose(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_orders__csv_guess_and_dedup,
						kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_orders__status_change_updates_and_extends_timeline,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_orders__json_array, kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_orders__rejects_leave_nothing,
						kmv_test_vault_setup, kmv_test_vault_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
