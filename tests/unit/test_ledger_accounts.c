/* SPDX-License-Identifier: MIT */
/* Ledger accounts from the config (kmv/report.h): names and the map. */
#include "testutil.h"

#include <string.h>

#include "kmv/error.h"
#include "kmv/report.h"

static void test_ledger__account_names(void **state)
{
	(void)state;
	assert_true(kmv_ledger_account_valid("Assets:Alipay"));
	assert_true(kmv_ledger_account_valid("Expenses:Games:Cards"));
	assert_true(kmv_ledger_account_valid("Assets:Bank:支付宝"));
	assert_true(kmv_ledger_account_valid("Liabilities:CreditCard:2024"));
	assert_true(kmv_ledger_account_valid("Income:Other-Refunds"));
	assert_false(kmv_ledger_account_valid(NULL));
	assert_false(kmv_ledger_account_valid(""));
	assert_false(kmv_ledger_account_valid("Assets"));
	assert_false(kmv_ledger_account_valid("Assets:"));
	assert_false(kmv_ledger_account_valid("assets:alipay"));
	assert_false(kmv_ledger_account_valid("Assets:alipay"));
	assert_false(kmv_ledger_account_valid("Money:Alipay"));
	assert_false(kmv_ledger_account_valid("Assets:Ali pay"));
	assert_false(kmv_ledger_account_valid("Assets::Alipay"));
	assert_false(kmv_ledger_account_valid("Expenses:Food;x"));
}

static void test_ledger__categories_map(void **state)
{
	(void)state;
	assert_int_equal(kmv_ledger_categories_check(""), 0);
	assert_int_equal(
		kmv_ledger_categories_check(
			"餐饮=Expenses:Food, 会员 = Expenses:Memberships"),
		0);
	assert_int_equal(kmv_ledger_categories_check("餐饮"), KMV_EUSAGE);
	assert_non_null(strstr(kmv_error_last(), "'餐饮' is not WORD=Account"));
	assert_int_equal(kmv_ledger_categories_check("餐饮=food"), KMV_EUSAGE);
	assert_non_null(strstr(kmv_error_last(), "'餐饮=food'"));
	assert_int_equal(kmv_ledger_categories_check("=Expenses:Food"),
			 KMV_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger__account_names),
		cmocka_unit_test(test_ledger__categories_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
