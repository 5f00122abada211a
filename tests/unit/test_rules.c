/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/rules.h"
#include "kmv/error.h"

static const char *fake_header(const char *name, void *payload)
{
	(void)payload;
	return strcmp(name, "Date") == 0 ? "Tue, 26 Mar 2024 09:12:41 +0800"
					 : NULL;
}

static const char card_body[] =
	"示例会员月卡 x 1\n感谢您的购买。\n订单号: Q7M2K9X4T1B8C5D3\n\n"
	"以下是您的卡密信息：\nDEMO-AAAA-BBBB-0001\nDEMO-CCCC-DDDD-0002\n"
	"示例会员月卡    x 1\n总价    9.90 ¥\n示例小铺\n";

static void test_rules__dujiaoka_card_mail(void **state)
{
	kmv_rules *rules = NULL;
	kmv_rule_result rr;
	kmv_mail_view v = { "【示例小铺】感谢您的购买，请查收您的收据", "x",
			    card_body, fake_header, NULL };

	(void)state;
	assert_int_equal(kmv_rules__load(&rules, NULL), 0);
	assert_true(kmv_rules__count(rules) >= 6);
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 1);
	assert_string_equal(rr.set, "dujiaoka-card");
	assert_string_equal(rr.fields[KMV_RF_ORDER_NO], "Q7M2K9X4T1B8C5D3");
	assert_string_equal(rr.fields[KMV_RF_AMOUNT], "9.90");
	assert_string_equal(rr.fields[KMV_RF_PRODUCT], "示例会员月卡");
	assert_string_equal(rr.fields[KMV_RF_QUANTITY], "1");
	assert_string_equal(rr.fields[KMV_RF_PLATFORM], "示例小铺");
	assert_string_equal(rr.fields[KMV_RF_CARD_SECRET],
			    "DEMO-AAAA-BBBB-0001\nDEMO-CCCC-DDDD-0002");
	assert_true(rr.time_from_header);
	assert_non_null(strstr(rr.fields[KMV_RF_TIME], "26 Mar 2024"));
	kmv_rules__result_dispose(&rr);
	kmv_rules__free(rules);
}

static const char *to_header(const char *name, void *payload)
{
	(void)payload;
	if (strcmp(name, "To") == 0)
		return "Buyer@Example.com";
	return fake_header(name, payload);
}

/*
 * acg-faka's delivery mail: no order number, no amount; understood by
 * the contact it went to and the secrets (one a line), the shop from the
 * sender's name.  Without secrets it is not understood.
 */
static void test_rules__acg_faka_delivery_mail(void **state)
{
	kmv_rules *rules = NULL;
	kmv_rule_result rr;
	kmv_mail_view v = { "【发货提醒】您购买的卡密发货啦",
			    "异次元小店 <shop-notice@qq.com>",
			    "您购买的卡密如下：ACG-1111-AAAA\nACG-2222-BBBB\n",
			    to_header, NULL };

	(void)state;
	assert_int_equal(kmv_rules__load(&rules, NULL), 0);
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 1);
	assert_string_equal(rr.set, "acg-faka-delivery");
	assert_null(rr.fields[KMV_RF_ORDER_NO]);
	assert_null(rr.fields[KMV_RF_AMOUNT]);
	assert_string_equal(rr.fields[KMV_RF_CONTACT], "Buyer@Example.com");
	assert_string_equal(rr.fields[KMV_RF_PLATFORM], "异次元小店");
	assert_string_equal(rr.fields[KMV_RF_CARD_SECRET],
			    "ACG-1111-AAAA\nACG-2222-BBBB");
	assert_string_equal(rr.state, "delivered");
	kmv_rules__result_dispose(&rr);
	v.from = "\"异次元小店\" <shop-notice@qq.com>";
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 1);
	assert_string_equal(rr.fields[KMV_RF_PLATFORM], "异次元小店");
	kmv_rules__result_dispose(&rr);
	v.body = "您购买的卡密如下：\n";
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 0);
	kmv_rules__free(rules);
}

static void test_rules__generic_amount_forms(void **state)
{
	kmv_rules *rules = NULL;
	kmv_rule_result rr;
	kmv_mail_view v = { "receipt", "x",
			    "订单编号：AB1234\n合计 ￥1,234.50\n", NULL, NULL };

	(void)state;
	assert_int_equal(kmv_rules__load(&rules, NULL), 0);
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 1);
	assert_string_equal(rr.set, "generic");
	assert_string_equal(rr.fields[KMV_RF_ORDER_NO], "AB1234");
	assert_string_equal(rr.fields[KMV_RF_AMOUNT], "1,234.50");
	kmv_rules__result_dispose(&rr);
	v.body = "Order No. ZZ9988\nTotal: 12.00 元\n";
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 1);
	assert_string_equal(rr.fields[KMV_RF_AMOUNT], "12.00");
	kmv_rules__result_dispose(&rr);
	v.body = "hello, nothing here\n";
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 0);
	kmv_rules__free(rules);
}

static void test_rules__user_sets_first_and_globals(void **state)
{
	kmv_rules *rules = NULL;
	kmv_rule_result rr;
	kmv_mail_view v = { "Shop X", "a@b",
			    "Ref ORD-1\nKey: K-1111-AAAA\n"
			    "Key: K-2222-BBBB\n订单号: SHOULD-NOT-WIN\n",
			    NULL, NULL };

	(void)state;
	assert_int_equal(kmv_rules__new(&rules), 0);
	assert_int_equal(
		kmv_rules__parse(
			rules,
			"# mine\n[x]\nmatch_subject = ^Shop X$\nmatch_from = @b$\n"
			"order_no = ^Ref (\\S+)\ncard_secret = ^Key: (\\S+)\n"
			"state = paid\nplatform = subject:^(\\S+)\n",
			"u.rules"),
		0);
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 1);
	assert_string_equal(rr.set, "x");
	assert_string_equal(rr.state, "paid");
	assert_string_equal(rr.fields[KMV_RF_ORDER_NO], "ORD-1");
	assert_string_equal(rr.fields[KMV_RF_PLATFORM], "Shop");
	assert_string_equal(rr.fields[KMV_RF_CARD_SECRET],
			    "K-1111-AAAA\nK-2222-BBBB");
	kmv_rules__result_dispose(&rr);
	v.from = "a@c";
	assert_int_equal(kmv_rules__apply(&rr, rules, &v), 0);
	kmv_rules__free(rules);
}

static void test_rules__bad_files_name_the_line(void **state)
{
	kmv_rules *rules = NULL;

	(void)state;
	assert_int_equal(kmv_rules__new(&rules), 0);
	assert_int_equal(kmv_rules__parse(rules, "order_no = x\n", "r"),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "r:1: rule outside"));
	assert_int_equal(kmv_rules__parse(rules, "[a]\n\norder_no = (x\n", "r"),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "r:3: bad pattern"));
	assert_int_equal(kmv_rules__parse(rules, "[b]\nfoo = x\n", "r"),
			 KMV_EINPUT);
	assert_int_equal(kmv_rules__parse(rules, "[c]\nstate = shipped\n", "r"),
			 KMV_EINPUT);
	kmv_rules__free(rules);
}

/* An HTML-only mail is read as text by libxml2, as saved pages are. */
static void test_rules__html_mail_text(void **state)
{
	const char *html =
		"<html><head><title>t</title><style>p{x:1}</style></head><body>"
		"<h1>Shop  &amp; Co</h1><!-- hidden --><p>订单号: A1</p>"
		"<table><tr><td>商品</td><td>x 1</td></tr></table>"
		"<p>A<br/>B<br>C</p><script>var a = '<p>';</script>"
		"<p>&yen;5 &#36;6 &#x4e2d;&nbsp;1 &lt;b&gt; a < b</p></body></html>";
	kmv_buf out = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_page__html_text(&out, NULL, html, strlen(html),
					     "UTF-8"),
			 0);
	assert_string_equal(out.ptr,
			    "Shop & Co\n订单号: A1\n商品\tx 1\nA\nB\nC\n"
			    "¥5 $6 中 1 <b> a < b\n");
	kmv_buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules__dujiaoka_card_mail),
		cmocka_unit_test(test_rules__acg_faka_delivery_mail),
		cmocka_unit_test(test_rules__generic_amount_forms),
		cmocka_unit_test(test_rules__user_sets_first_and_globals),
		cmocka_unit_test(test_rules__bad_files_name_the_line),
		cmocka_unit_test(test_rules__html_mail_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
