/* SPDX-License-Identifier: MIT */
/* The dispute letter (lib/evidence/letter.c): what each anomaly makes the
 * buyer say, in Chinese and in English. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "evidence/letter.h"

static char *letter_text(const char *type, kmv_lang lang)
{
	struct brec rec = {
		.rec = {
			.id = 1,
			.time = { 1711000000, 8 * 60 },
			.has_time = true,
			.amount = 2500,
			.has_amount = true,
			.kind = KMV_KIND_PAYMENT,
			.merchant = "某某网络",
			.direction = KMV_DIR_OUT,
			.payment_no = "2024032122001100001234567890",
			.status = "completed",
		},
		.time = "2024-03-21T13:46:40+08:00",
	};
	int64_t ids[] = { 1 };
	struct letter_anomaly an = {
		.type = type,
		.order_no = NULL,
		.amount = 2500,
		.ts = 1711000000,
		.records = ids,
		.nrecords = 1,
	};
	struct letter_input in = {
		.recs = &rec,
		.nrecs = 1,
		.anomalies = &an,
		.nanomalies = 1,
		.order_no = "2024032122001100001234567890",
		.lang = lang,
		.now = kmv_time_now(),
	};
	kmv_bag bag = KMV_BAG_INIT;
	const struct kmv_bag_file *f;
	char *text;

	assert_int_equal(kmv_letter__write(&bag, &in), 0);
	f = kmv_bag__find(&bag, lang == KMV_LANG_EN ? "data/complaint.txt"
						    : "data/申诉书.txt");
	assert_non_null(f);
	text = strndup((const char *)f->data, f->len);
	kmv_bag__dispose(&bag);
	return text;
}

static void test_letter__payment_sentences(void **state)
{
	char *t;

	(void)state;
	t = letter_text("unknown_merchant", KMV_LANG_ZH);
	assert_non_null(strstr(t, "本人不认识该商户，也从未授权这笔付款"));
	assert_non_null(strstr(t, "“某某网络”付款 25.00 元"));
	assert_null(strstr(t, "没有收到对应的订单"));
	free(t);
	t = letter_text("payment_without_order", KMV_LANG_ZH);
	assert_non_null(strstr(t, "但没有收到对应的订单、商品或卡密"));
	assert_non_null(strstr(t, "交易单号 2024032122001100001234567890"));
	assert_null(strstr(t, "不认识该商户"));
	free(t);
	t = letter_text("unknown_merchant", KMV_LANG_EN);
	assert_non_null(strstr(t, "I do not know this merchant"));
	free(t);
	t = letter_text("payment_without_order", KMV_LANG_EN);
	assert_non_null(strstr(t, "received no order, goods or card code"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letter__payment_sentences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
