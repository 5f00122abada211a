/* SPDX-License-Identifier: MIT */
/*
 * Link explanations (lib/match/explain.c): stored as a code with its
 * facts, put in words in the language asked for; vaults written before
 * the codes (English text) still read sensibly; the zh_CN catalog says
 * what the Chinese column says.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kmv/i18n.h"
#include "kmv/match.h"
#include "match/explain.h"

static kmv_buf out = KMV_BUF_INIT;

static const char *say(const char *stored, const char *rule, int manual,
		       kmv_lang lang)
{
	assert_int_equal(kmv_match_explain(&out, stored, rule, manual, lang),
			 0);
	assert_non_null(out.ptr);
	return out.ptr;
}

/* The conversions ("%1$s", "%2$s" ...) a format uses, as a bit set. */
static unsigned conversions(const char *f)
{
	unsigned set = 0;

	for (const char *p = strchr(f, '%'); p; p = strchr(p + 1, '%'))
		if (p[1] >= '1' && p[1] <= '9' && p[2] == '$')
			set |= 1u << (p[1] - '0');
	return set;
}

static void test_explain__sentences_in_both_languages(void **state)
{
	const char *en, *zh;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; kmv_match__explain_pair(i, &en, &zh); i++, n++) {
		assert_non_null(en);
		assert_non_null(zh);
		assert_string_not_equal(en, zh);
		assert_int_equal(conversions(en), conversions(zh));
	}
	assert_true(n > 20);
}

static void test_explain__codes_in_words(void **state)
{
	(void)state;
	assert_string_equal(say("{\"why\":\"merchant_order_no\",\"no\":\"KM1\"}",
				"order_no", 0, KMV_LANG_EN),
			    "merchant order no KM1 equals the order number");
	assert_string_equal(say("{\"why\":\"merchant_order_no\",\"no\":\"KM1\"}",
				"order_no", 0, KMV_LANG_ZH),
			    "商户订单号 KM1 与订单号相同");
	static const char at[] =
		"{\"why\":\"amount_time\",\"amount\":1990,\"delta\":300,"
		"\"merchant\":\"支付宝-示例\",\"compat\":\"alias\",\"name\":"
		"\"示例卡盟\",\"aggregator\":0,\"tie_order\":7}";
	assert_string_equal(
		say(at, "amount_time", 0, KMV_LANG_EN),
		"same amount 19.90, paid 5 min after the order; merchant "
		"支付宝-示例 is an alias of 示例卡盟 (tie with order #7: the "
		"older record wins)");
	assert_string_equal(
		say(at, "amount_time", 0, KMV_LANG_ZH),
		"金额同为 19.90，付款在下单后 5 分钟；收款方“支付宝-示例”"
		"是“示例卡盟”的别名（与订单 #7 条件相同：取较早的记录）");
	assert_string_equal(
		say("{\"why\":\"amount_time\",\"amount\":500,\"delta\":-30,"
		    "\"group\":1,\"merchant\":\"彩虹易支付\",\"compat\":\"none\","
		    "\"aggregator\":1}",
		    "amount_time", 0, KMV_LANG_ZH),
		"金额同为 5.00，付款在回执前 30 秒（没有订单记录）；收款方“彩虹易支付”"
		"是聚合支付平台而非店铺：仅凭金额和时间");
	assert_string_equal(
		say("{\"why\":\"second_charge\",\"amount\":4850,\"payment\":3,"
		    "\"delta\":7200}",
		    "amount_time", 0, KMV_LANG_ZH),
		"与付款 #3 收款方相同、金额同为 48.50（在其后 2.0 小时），而那笔付款"
		"已支付此订单：这是第二次扣款");
	assert_string_equal(
		say("{\"why\":\"refund_statement\",\"amount\":1000,\"payment\":"
		    "4,\"original\":3000}",
		    "refund", 0, KMV_LANG_EN),
		"refunds 10.00 of payment #4 (30.00), as the statement shows");
	assert_string_equal(say("{\"why\":\"manual\",\"note\":\"同一笔\"}",
				"manual", 1, KMV_LANG_EN),
			    "同一笔");
	assert_string_equal(say("{\"why\":\"manual\"}", "manual", 1,
				KMV_LANG_ZH),
			    "手动关联");
	assert_string_equal(say("{\"why\":\"removed\",\"was\":\"amount_time\"}",
				"veto", -1, KMV_LANG_ZH),
			    "已手动取消关联（原为：金额相同且时间相近）");
	/* a code of a newer version: the rule's words */
	assert_string_equal(say("{\"why\":\"from_the_future\"}", "order_no", 0,
				KMV_LANG_ZH),
			    "订单号相同");
	assert_true(kmv_match_explain_coded("{\"why\":\"vetoed\"}"));
	assert_false(kmv_match_explain_coded("linked by hand"));
}

/* Rows written before the codes: English text. */
static void test_explain__old_text(void **state)
{
	static const char old[] = "same amount 19.90, paid 5 min after the "
				  "order; merchant X is the shop";

	(void)state;
	assert_string_equal(say(old, "amount_time", 0, KMV_LANG_EN), old);
	assert_string_equal(say(old, "amount_time", 0, KMV_LANG_ZH),
			    "金额相同且时间相近（旧版本记录的说明；运行“kmvault "
			    "match”可更新）");
	assert_string_equal(say("linked by hand", "manual", 1, KMV_LANG_ZH),
			    "手动关联");
	assert_string_equal(say("我确认过", "manual", 1, KMV_LANG_ZH),
			    "我确认过");
	assert_string_equal(say("removed by hand (was order_no)", "veto", -1,
				KMV_LANG_ZH),
			    "已手动取消关联（原为：订单号相同）");
	assert_string_equal(say("vetoed by hand", "veto", -1, KMV_LANG_EN),
			    "kept apart by hand");
	assert_string_equal(say(NULL, "refund", 0, KMV_LANG_EN), "");
	/* broken JSON is old text too */
	assert_string_equal(say("{\"why\":", "refund", 0, KMV_LANG_EN),
			    "{\"why\":");
}

/* The writer's output is what the reader reads. */
static void test_explain__round_trip(void **state)
{
	kmv_explain e;

	(void)state;
	kmv_explain__begin(&e, "receipt_contact");
	kmv_explain__str(&e, "contact", "a\"b@example.com");
	kmv_explain__str(&e, "no", "KM9");
	assert_int_equal(kmv_explain__end(&e), 0);
	assert_true(kmv_match_explain_coded(e.buf.ptr));
	assert_string_equal(say(e.buf.ptr, "contact_time", 0, KMV_LANG_EN),
			    "the receipt names no order; it went to the order's "
			    "contact a\"b@example.com, from the same shop, "
			    "after order KM9");
	kmv_explain__dispose(&e);
}

/* The zh_CN catalog and the Chinese column say the same. */
static void test_explain__catalog_agrees(void **state)
{
	const char *en, *zh;

	(void)state;
	setenv("KMVAULT_LOCALEDIR", KMV_TEST_LOCALEDIR, 1);
	setenv("LANGUAGE", "zh_CN", 1);
	if (!setlocale(LC_MESSAGES, "zh_CN.UTF-8"))
		skip(); /* scripts/install-deps.sh generates the locale */
	setenv("LC_MESSAGES", "zh_CN.UTF-8", 1);
	kmv_i18n_init();
	assert_true(kmv_i18n_is_chinese());
	for (size_t i = 0; kmv_match__explain_pair(i, &en, &zh); i++)
		assert_string_equal(_(en), zh);
	assert_string_equal(say("{\"why\":\"vetoed\"}", "veto", -1,
				KMV_LANG_LOCALE),
			    "已手动排除关联");
	setlocale(LC_MESSAGES, "C");
	assert_string_equal(say("{\"why\":\"vetoed\"}", "veto", -1,
				KMV_LANG_LOCALE),
			    "kept apart by hand");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explain__sentences_in_both_languages),
		cmocka_unit_test(test_explain__codes_in_words),
		cmocka_unit_test(test_explain__old_text),
		cmocka_unit_test(test_explain__round_trip),
		cmocka_unit_test(test_explain__catalog_agrees),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	kmv_buf_dispose(&out);
	return failed;
}
