/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "import/profile.h"
#include "kmv/error.h"

static void test_profile__generic_guesses_chinese_headers(void **state)
{
	const char *cells[] = { "订单号",   "商品名称", "数量",
				"订单金额", "支付方式", "下单时间",
				"订单状态", "卡密",     "店铺" };
	kmv_profile *p = NULL;
	kmv_profile_map map;
	kmv_buf desc = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_profile__load(&p, NULL), 0);
	assert_true(kmv_profile__map_header(&map, p, cells, 9, NULL));
	assert_int_equal(map.col[KMV_PF_ORDER_NO], 0);
	assert_int_equal(map.col[KMV_PF_AMOUNT], 3);
	assert_int_equal(map.col[KMV_PF_TIME], 5);
	assert_int_equal(map.col[KMV_PF_CARD_SECRET], 7);
	assert_int_equal(map.col[KMV_PF_MERCHANT], 8);
	assert_int_equal(kmv_profile__describe(&desc, &map, cells), 0);
	assert_non_null(strstr(desc.ptr, "order_no=订单号"));
	kmv_buf_dispose(&desc);
	kmv_profile__free(p);
}

static void test_profile__guess_prefers_actual_price(void **state)
{
	const char *cells[] = { "order_sn", "total_price", "actual_price",
				"created_at", "buy_amount" };
	kmv_profile *p = NULL;
	kmv_profile_map map;

	(void)state;
	assert_int_equal(kmv_profile__load(&p, "generic"), 0);
	assert_true(kmv_profile__map_header(&map, p, cells, 5, NULL));
	assert_int_equal(map.col[KMV_PF_AMOUNT], 2);
	assert_int_equal(map.col[KMV_PF_QUANTITY], 4);
	kmv_profile__free(p);
}

static void test_profile__english_headers_and_unit_suffix(void **state)
{
	const char *cells[] = { "Order No", "Amount(元)", "Created At" };
	kmv_profile *p = NULL;
	kmv_profile_map map;

	(void)state;
	assert_int_equal(kmv_profile__load(&p, NULL), 0);
	assert_true(kmv_profile__map_header(&map, p, cells, 3, NULL));
	assert_int_equal(map.col[KMV_PF_AMOUNT], 1);
	kmv_profile__free(p);
}

static void test_profile__missing_required_is_listed(void **state)
{
	const char *cells[] = { "订单号", "商品" };
	kmv_profile *p = NULL;
	kmv_profile_map map;
	kmv_buf missing = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_profile__load(&p, NULL), 0);
	assert_false(kmv_profile__map_header(&map, p, cells, 2, &missing));
	assert_string_equal(missing.ptr, "time, amount");
	kmv_buf_dispose(&missing);
	kmv_profile__free(p);
}

static void test_profile__dujiaoka_status_codes(void **state)
{
	kmv_profile *p = NULL;

	(void)state;
	assert_int_equal(kmv_profile__load(&p, "dujiaoka"), 0);
	assert_string_equal(kmv_profile__status(p, "1"), "pending_payment");
	assert_string_equal(kmv_profile__status(p, "2"), "processing");
	assert_string_equal(kmv_profile__status(p, "4"), "completed");
	assert_string_equal(kmv_profile__status(p, "6"), "failed");
	assert_string_equal(kmv_profile__status(p, "-1"), "expired");
	assert_string_equal(kmv_profile__status(p, "9"), "unknown");
	assert_string_equal(p->secret_if_col, "type");
	assert_string_equal(p->secret_if_val, "1");
	kmv_profile__free(p);
}

static void test_profile__builtin_words(void **state)
{
	(void)state;
	assert_string_equal(kmv_profile__status(NULL, "已付款"), "paid");
	assert_string_equal(kmv_profile__status(NULL, " 已发卡 "), "delivered");
	assert_string_equal(kmv_profile__status(NULL, "交易成功"), "completed");
	assert_string_equal(kmv_profile__status(NULL, "退款成功"), "refunded");
	assert_string_equal(kmv_profile__status(NULL, "已关闭"), "cancelled");
	assert_string_equal(kmv_profile__status(NULL, "Completed"),
			    "completed");
	assert_string_equal(kmv_profile__status(NULL, "???"), "unknown");
	assert_true(kmv_profile__state_valid("paid"));
}

static void test_profile__custom_file_format(void **state)
{
	const char *text = "\xEF\xBB\xBF# comment\n"
			   "delimiter = tab\n"
			   "encoding = gb18030\n"
			   "header_row = 3\n"
			   "order_no = 单据 # trailing comment\n"
			   "time = 日期\n"
			   "time_format = %d/%m/%Y %H.%M\n"
			   "timezone = +09:00\n"
			   "amount = 付款\n"
			   "status.OK = completed\n"
			   "platform = 我的店\n";
	kmv_profile *p = NULL;
	kmv_time t;

	(void)state;
	assert_int_equal(kmv_profile__parse(&p, text, "x.profile"), 0);
	assert_int_equal(p->delimiter, '\t');
	assert_int_equal(p->header_row, 3);
	assert_string_equal(p->encoding, "gb18030");
	assert_string_equal(p->columns[KMV_PF_ORDER_NO], "单据");
	assert_string_equal(p->platform, "我的店");
	assert_string_equal(kmv_profile__status(p, "OK"), "completed");
	assert_int_equal(kmv_profile__time(&t, p, "05/04/2024 13.30", false, 0),
			 0);
	assert_int_equal(t.offset_min, 9 * 60);
	/* 2024-04-05T13:30+09:00 = 04:30Z */
	assert_int_equal(t.epoch, 1712291400);
	assert_int_equal(kmv_profile__time(&t, p, "2024-04-05 13:30", false, 0),
			 KMV_EINPUT);
	kmv_profile__free(p);
}

static void test_profile__bad_files_name_the_line(void **state)
{
	kmv_profile *p = NULL;

	(void)state;
	assert_int_equal(kmv_profile__parse(&p, "order_no = a\nfoo = b\n", "f"),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "f:2: unknown key 'foo'"));
	assert_int_equal(kmv_profile__parse(&p, "delimiter = ;;\n", "f"),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "f:1:"));
	assert_int_equal(kmv_profile__parse(&p, "order_no = a\ntime = b\n",
					    "f"),
			 KMV_EINPUT);
	assert_non_null(
		strstr(kmv_error_last(), "missing required key 'amount'"));
	assert_int_equal(kmv_profile__parse(&p, "no equals sign\n", "f"),
			 KMV_EINPUT);
	assert_int_equal(kmv_profile__load(&p, "/nonexistent/x.profile"),
			 KMV_EUSAGE);
	assert_null(p);
}

static void test_profile__auto_times(void **state)
{
	kmv_profile *p = NULL;
	kmv_time t;

	(void)state;
	assert_int_equal(kmv_profile__load(&p, NULL), 0);
	assert_int_equal(kmv_profile__time(&t, p, "2024/3/5 9:07", false, 0),
			 0);
	assert_int_equal(t.offset_min, 480);
	assert_int_equal(kmv_profile__time(&t, p, "1711929600", false, 0), 0);
	assert_int_equal(t.epoch, 1711929600);
	assert_int_equal(kmv_profile__time(&t, p, "1711929600123", false, 0),
			 0);
	assert_int_equal(t.epoch, 1711929600);
	/* Excel serial 45383.5 = 2024-04-01 12:00 local. */
	assert_int_equal(kmv_profile__time(&t, p, NULL, true, 45383.5), 0);
	assert_int_equal(t.epoch, 1711944000);
	assert_int_equal(kmv_profile__time(&t, p, "soon", false, 0),
			 KMV_EINPUT);
	kmv_profile__free(p);
}

static void test_profile__detect_builtin_tables(void **state)
{
	const char *dj[] = { "id", "order_sn", "title", "ACTUAL_PRICE",
			     "status" };
	const char *acg[] = { "id", "trade_no", "amount", "secret",
			      "delivery_status" };
	const char *zf[] = { "orderid", "money", "kami", "addtime" };
	const char *plain[] = { "订单号", "下单时间", "金额", "trade_no" };
	kmv_profile *p = NULL;

	(void)state;
	assert_string_equal(kmv_profile__detect(dj, 5), "dujiaoka");
	assert_string_equal(kmv_profile__detect(acg, 5), "acg-faka");
	assert_string_equal(kmv_profile__detect(zf, 4), "zfaka");
	assert_null(kmv_profile__detect(plain, 4));
	assert_int_equal(kmv_profile__load(&p, "acg-faka"), 0);
	assert_string_equal(kmv_profile__status(p, "1"), "paid");
	assert_string_equal(kmv_profile__status(p, "0"), "pending_payment");
	assert_string_equal(p->delivered_value, "1");
	kmv_profile__free(p);
	assert_int_equal(kmv_profile__load(&p, "zfaka"), 0);
	assert_string_equal(kmv_profile__status(p, "1"), "processing");
	assert_string_equal(kmv_profile__status(p, "3"), "failed");
	assert_string_equal(kmv_profile__status(p, "-1"), "unknown");
	kmv_profile__free(p);
}

/* The buyer-side JSON answers: acg-faka's query and card-system's record/get. */
static void test_profile__detects_buyer_query_json(void **state)
{
	const char *acgq[] = { "id",       "trade_no",        "secret",
			       "amount",   "delivery_status", "pay",
			       "pay.name", "commodity",       "commodity.name" };
	const char *cs[] = { "id",      "created_at", "order_no",
			     "contact", "status",     "send_status",
			     "count",   "paid",       "product_name" };
	kmv_profile *p = NULL;

	(void)state;
	assert_string_equal(kmv_profile__detect(acgq, 9), "acg-faka-query");
	assert_string_equal(kmv_profile__detect(cs, 9), "card-system");
	assert_int_equal(kmv_profile__load(&p, "card-system"), 0);
	assert_true(p->amounts_in_fen);
	assert_string_equal(kmv_profile__status(p, "1"), "paid");
	assert_string_equal(kmv_profile__status(p, "2"), "delivered");
	assert_string_equal(kmv_profile__status(p, "4"), "refunded");
	/* STATUS_FROZEN (app/Order.php): 已冻结 */
	assert_string_equal(kmv_profile__status(p, "3"), "frozen");
	kmv_profile__free(p);
	assert_int_equal(kmv_profile__load(&p, "acg-faka-query"), 0);
	assert_false(p->amounts_in_fen);
	assert_string_equal(p->columns[KMV_PF_PRODUCT], "commodity.name");
	kmv_profile__free(p);
	assert_int_equal(kmv_profile__parse(&p,
					    "order_no = a\ntime = b\n"
					    "amount = c\namount_unit = cents\n",
					    "u.profile"),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "u.profile:4: amount_unit "
						 "must be yuan or fen"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile__generic_guesses_chinese_headers),
		cmocka_unit_test(test_profile__guess_prefers_actual_price),
		cmocka_unit_test(test_profile__english_headers_and_unit_suffix),
		cmocka_unit_test(test_profile__missing_required_is_listed),
		cmocka_unit_test(test_profile__dujiaoka_status_codes),
		cmocka_unit_test(test_profile__builtin_words),
		cmocka_unit_test(test_profile__custom_file_format),
		cmocka_unit_test(test_profile__bad_files_name_the_line),
		cmocka_unit_test(test_profile__detects_buyer_query_json),
		cmocka_unit_test(test_profile__auto_times),
		cmocka_unit_test(test_profile__detect_builtin_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
