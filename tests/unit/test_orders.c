/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/error.h"
#include "kmv/import.h"
#include "kmv/secret.h"
#include "kmv/vault.h"
#include "store/vault.h"

static void test_orders__csv_guess_and_dedup(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p = kmv_test_put(
		f, "orders_a-shop.csv",
		"\xEF\xBB\xBF订单号,商品名称,数量,订单金额,下单时间,订单状态,卡密\r\n"
		"A1,卡,2,10.50,2024-01-02 03:04:05,已完成,SECRET-0000-1111\r\n");

	(void)state;
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), 0);
	assert_int_equal(res.items[0].added, 1);
	assert_string_equal(res.items[0].kind, "orders");
	/* No shop column, no --platform: unknown, never the file name. */
	assert_non_null(strstr(res.items[0].detail, "platform 未知店铺"));
	kmv_import_results_dispose(&res);
	assert_int_equal(
		kmv_test_count(
			f, "SELECT amount FROM records WHERE "
			   "dedup_key = char(31) || 'A1' AND platform IS NULL"),
		1050);
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
	const char *a = kmv_test_put(f, "a.csv",
				     "订单号,订单金额,下单时间,订单状态\n"
				     "S1,5,2024-01-01 00:00:00,待支付\n");
	const char *b;

	(void)state;
	assert_int_equal(kmv_test_import(f, a, NULL, "p", &res), 0);
	kmv_import_results_dispose(&res);
	b = kmv_test_put(f, "b.csv",
			 "订单号,订单金额,下单时间,订单状态,卡密\n"
			 "S1,5,2024-01-01 00:00:00,已完成,NEW-SECRET-0001\n");
	assert_int_equal(kmv_test_import(f, b, NULL, "p", &res), 0);
	assert_int_equal(res.items[0].updated, 1);
	assert_int_equal(res.items[0].duplicates, 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 1);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM timeline"), 2);
	assert_int_equal(
		kmv_test_count(
			f, "SELECT count(*) FROM records WHERE status = "
			   "'completed' AND card_secret = 'NEW-SECRET-0001'"),
		1);
}

static void test_orders__json_array(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p = kmv_test_put(
		f, "x.json",
		"[{\"order_sn\":\"J1\",\"actual_price\":3.5,\"created_at\":"
		"\"2024-01-01 00:00:00\",\"status\":4},"
		"{\"order_sn\":\"J2\",\"actual_price\":\"7\",\"created_at\":"
		"1704067200,\"extra\":{\"a\":1}}]");

	(void)state;
	assert_int_equal(kmv_test_import(f, p, "dujiaoka", "d", &res), 0);
	assert_int_equal(res.items[0].added, 2);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT sum(amount) FROM records"),
			 1050);
	assert_int_equal(kmv_test_count(f,
					"SELECT source_line FROM records WHERE "
					"order_no = 'J2'"),
			 2);
}

static void test_orders__rejects_leave_nothing(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p = kmv_test_put(
		f, "bad.csv",
		"订单号,订单金额,下单时间\n"
		"X1,1.00,2024-01-01 00:00:00\nX2,1.001,2024-01-01\n");

	(void)state;
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), KMV_EINPUT);
	assert_non_null(
		strstr(kmv_error_last(), "bad.csv:3: bad amount '1.001'"));
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 0);
	p = kmv_test_put(f, "nohdr.csv", "a,b,c\n1,2,3\n");
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "headers seen: a, b, c"));
	kmv_import_results_dispose(&res);
}

/*
 * Issue 12.2: the platform comes from the data; the same orders under
 * another file name add nothing; --platform later fills the unknown one.
 */
static void test_orders__platform_from_data_not_file_name(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	static const char plain[] =
		"订单号,商品名称,订单金额,下单时间,订单状态\n"
		"P1,月卡,25.00,2024-01-02 03:04:05,已完成\n"
		"P2,季卡,60.00,2024-01-03 03:04:05,已完成\n";
	static const char shop[] =
		"订单号,商品名称,订单金额,下单时间,订单状态,商户\n"
		"S1,月卡,25.00,2024-01-02 03:04:05,已完成,示例卡盟\n";
	const char *p;

	(void)state;
	p = kmv_test_put(f, "订单导出-20260310120000.csv", plain);
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), 0);
	assert_int_equal(res.items[0].added, 2);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records WHERE "
					   "platform IS NULL"),
			 2);
	/* The same orders under another name: nothing added. */
	p = kmv_test_put(f, "orders.csv", plain);
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), 0);
	assert_int_equal(res.items[0].added, 0);
	assert_int_equal(res.items[0].duplicates, 2);
	kmv_import_results_dispose(&res);
	/* With --platform: filled in, not copied. */
	p = kmv_test_put(f, "phpmyadmin.csv", plain);
	assert_int_equal(kmv_test_import(f, p, NULL, "示例小铺", &res), 0);
	assert_int_equal(res.items[0].added, 0);
	assert_int_equal(res.items[0].updated, 2);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records WHERE "
					   "platform = '示例小铺'"),
			 2);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 2);
	/* Known now: again with or without it adds nothing. */
	assert_int_equal(kmv_test_import(f, p, NULL, "示例小铺", &res), 0);
	assert_int_equal(res.items[0].added + res.items[0].updated, 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), 0);
	assert_int_equal(res.items[0].added + res.items[0].updated, 0);
	kmv_import_results_dispose(&res);
	/* Another shop's P1 is another order. */
	assert_int_equal(kmv_test_import(f, p, NULL, "另一家", &res), 0);
	assert_int_equal(res.items[0].added, 2);
	kmv_import_results_dispose(&res);
	/* A 商户 column names the shop. */
	p = kmv_test_put(f, "example-shop.csv", shop);
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(
		kmv_test_count(f, "SELECT count(*) FROM records WHERE "
				  "order_no = 'S1' AND platform = '示例卡盟'"),
		1);
}

/* A profile names the platform column, or gives a fixed name. */
static void test_orders__profile_platform_column_or_value(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p, *prof;

	(void)state;
	p = kmv_test_put(f, "x.csv",
			 "编号,金额,时间,来源站点\n"
			 "N1,5.00,2024-01-02 03:04:05,小站A\n"
			 "N2,6.00,2024-01-02 03:04:06,小站B\n");
	prof = kmv_test_put(f, "site.profile",
			    "order_no = 编号\namount = 金额\n"
			    "time = 时间\nplatform_column = 来源站点\n");
	assert_int_equal(kmv_test_import(f, p, prof, NULL, &res), 0);
	assert_int_equal(res.items[0].added, 2);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records WHERE "
					   "platform IN ('小站A', '小站B')"),
			 2);
	prof = kmv_test_put(f, "fixed.profile",
			    "order_no = 编号\namount = 金额\n"
			    "time = 时间\nplatform = 固定店\n");
	assert_int_equal(kmv_test_import(f, p, prof, NULL, &res), 0);
	assert_int_equal(res.items[0].added, 2);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records WHERE "
					   "platform = '固定店'"),
			 2);
}

/*
 * Profiles address nested JSON fields by path (items[0].name); an object
 * wrapping the list ({"data": {"list": [...]}}) is found; amounts in fen.
 */
static void test_orders__json_nested_fields(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *prof = kmv_test_put(
		f, "nested.profile",
		"order_no = no\ntime = pay_time\namount = pay.total\n"
		"amount_unit = fen\nproduct = items[0].name\n"
		"quantity = items[0].qty\nstatus = state.text\n");
	const char *p = kmv_test_put(
		f, "nested.json",
		"{\"code\":0,\"data\":{\"page\":1,\"list\":["
		"{\"no\":\"N1\",\"pay_time\":\"2024-02-01 08:00:00\","
		"\"pay\":{\"total\":1990},\"state\":{\"text\":\"已完成\"},"
		"\"items\":[{\"name\":\"\\u6708\\u5361\",\"qty\":2},{\"name\":\"x\"}]},"
		"{\"no\":\"N2\",\"pay_time\":\"2024-02-02 08:00:00\","
		"\"pay\":{\"total\":\"500\"},\"items\":[]}]}}");

	(void)state;
	assert_int_equal(kmv_test_import(f, p, prof, "shop", &res), 0);
	assert_int_equal(res.items[0].added, 2);
	assert_non_null(strstr(res.items[0].detail, "product=items[0].name"));
	kmv_import_results_dispose(&res);
	assert_int_equal(
		kmv_test_count(f, "SELECT amount FROM records WHERE "
				  "order_no = 'N1' AND product = '月卡' AND "
				  "quantity = 2 AND status = 'completed'"),
		1990);
	assert_int_equal(kmv_test_count(f,
					"SELECT amount FROM records WHERE "
					"order_no = 'N2' AND product IS NULL"),
			 500);
}

/* A JSON syntax error names its line and column; nothing is stored. */
static void test_orders__json_syntax_error_line(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p =
		kmv_test_put(f, "cut.json",
			     "[\n {\"order_sn\": \"A\", \"actual_price\": 1,\n"
			     "  \"created_at\": \"2024-01-01 00:00:00\"},\n"
			     " {\"order_sn\": \"B\" \"actual_price\": 2}\n]\n");

	(void)state;
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "cut.json:4: malformed JSON "
						 "at column"));
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 0);
	/* a fen amount that is no whole number is rejected with its row */
	p = kmv_test_put(
		f, "cs.json",
		"{\"message\":\"success\",\"data\":{\"list\":[{\"id\":1,"
		"\"created_at\":\"2024-01-01 00:00:00\",\"order_no\":"
		"\"20240101000000abcde\",\"status\":2,\"send_status\":1,"
		"\"count\":1,\"paid\":\"12.5\"}],\"msg\":\"\"}}");
	assert_int_equal(kmv_test_import(f, p, NULL, NULL, &res), KMV_EINPUT);
	assert_non_null(
		strstr(kmv_error_last(), "cs.json:1: bad amount '12.5' (fen)"));
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_orders__csv_guess_and_dedup,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_orders__status_change_updates_and_extends_timeline,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_orders__json_array,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_orders__rejects_leave_nothing,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_orders__platform_from_data_not_file_name,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_orders__profile_platform_column_or_value,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_orders__json_nested_fields,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_orders__json_syntax_error_line,
			kmv_test_vault_setup, kmv_test_vault_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
