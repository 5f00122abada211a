/* SPDX-License-Identifier: MIT */
#ifndef KMV_TEST_REPORT_FIXTURE_H
#define KMV_TEST_REPORT_FIXTURE_H

/*
 * A small vault for the report and evidence tests, filled through the
 * import sink (fixture.h) and match's link call: two sources, two shop
 * orders (one paid through a linked Alipay payment), a refund, a record
 * outside March 2024, a timeline, card secrets that must never appear.
 *
 * Expected March 2024 totals: 48.50 (payment) + 25.00 (order without a
 * payment) - 10.00 (refund) = 63.50 net, all on platform 示例卡盟.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "kmv/match.h"
#include "kmv/secret.h"
#include "kmvutil/hash.h"
#include "kmvutil/compress.h"
#include "kmv/vault.h"
#include "store/vault.h"

#define FIX_SECRET1 "CARD-SECRET-0001-ZZZZ"
#define FIX_SECRET2 "VIP-SECRET-0002-YYYY"
#define FIX_TRADE_NO "2024031522001100009999000001"
#define FIX_ORDER_NO "KM20240315000101"

struct fixture {
	char *dir;
	char vault_path[4200];
	kmv_vault *vault;
};

static const char fix_orders_csv[] =
	"订单号,商品名称,数量,订单金额,支付方式,下单时间,订单状态,卡密,店铺\r\n"
	"KM20240315000101,游戏点卡 50元,1,48.50,支付宝,2024-03-15 20:10:41,已完成," FIX_SECRET1
	",示例卡盟\r\n"
	"KM20240320000202,-会员月卡+1,1,25.00,微信支付,2024-03-20 19:44:52,已完成," FIX_SECRET2
	",示例卡盟\r\n";

static const char fix_alipay_csv[] =
	"支付宝交易记录明细查询\n"
	"交易时间,交易分类,交易对方,商品说明,收/支,金额,交易订单号,商家订单号\n"
	"2024-03-15 20:11:02,数码,示例卡盟,游戏点卡,支出,48.50," FIX_TRADE_NO
	"\t,KM20240315000101\t\n"
	"2024-03-22 10:00:00,退款,示例卡盟,退款-游戏点卡,收入,10.00,"
	"2024032222001100009999000003\t,KM20240315000101\t\n"
	"2024-04-02 09:00:00,数码,别家店,别的东西,支出,9.99,"
	"2024040222001100009999000004\t,/\t\n";

/* SQL a test runs itself (a case, a veto): not the fixture's rows. */
static inline int fix_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fprintf(stderr, "fixture SQL failed: %s\n", msg ? msg : "?");
	sqlite3_free(msg);
	return rc;
}

/* The fixture's rows, stored through the import sink (fixture.h). */
static void fix_fill(kmv_vault *v)
{
	const kmv_fix_record rows[] = {
		{ .kind = "order",
		  .dedup_key = "o1",
		  .platform = "示例卡盟",
		  .merchant = "示例卡盟",
		  .order_no = "KM20240315000101",
		  .time = "2024-03-15T20:10:41+08:00",
		  .amount = 4850,
		  .status_raw = "已完成",
		  .status = "completed",
		  .product = "游戏点卡 50元",
		  .quantity = 1,
		  .payment_method = "支付宝",
		  .card_secret = FIX_SECRET1,
		  .source_id = 1,
		  .source_line = 2 },
		{ .kind = "payment",
		  .dedup_key = "p1",
		  .merchant = "示例卡盟",
		  .payment_no = FIX_TRADE_NO,
		  .merchant_order_no = "KM20240315000101",
		  .time = "2024-03-15T20:11:02+08:00",
		  .amount = 4850,
		  .direction = "out",
		  .status_raw = "交易成功",
		  .status = "completed",
		  .product = "=HYPERLINK(\"http://evil.example\")",
		  .category = "数码",
		  .payment_method = "余额宝",
		  .source_id = 2,
		  .source_line = 3 },
		{ .kind = "order",
		  .dedup_key = "o2",
		  .platform = "示例卡盟",
		  .merchant = "示例卡盟",
		  .order_no = "KM20240320000202",
		  .time = "2024-03-20T19:44:52+08:00",
		  .amount = 2500,
		  .status_raw = "已完成",
		  .status = "completed",
		  .product = "-会员月卡+1",
		  .quantity = 1,
		  .payment_method = "微信支付",
		  .card_secret = FIX_SECRET2,
		  .source_id = 1,
		  .source_line = 3 },
		{ .kind = "payment",
		  .dedup_key = "p2",
		  .merchant = "示例卡盟",
		  .payment_no = "2024032222001100009999000003",
		  .merchant_order_no = "KM20240315000101",
		  .time = "2024-03-22T10:00:00+08:00",
		  .amount = 1000,
		  .direction = "in",
		  .status_raw = "退款成功",
		  .status = "refunded",
		  .product = "退款-游戏点卡",
		  .category = "退款",
		  .payment_method = "余额宝",
		  .source_id = 2,
		  .source_line = 4,
		  .refund_of = 2 },
		{ .kind = "payment",
		  .dedup_key = "p3",
		  .merchant = "别家店",
		  .payment_no = "2024040222001100009999000004",
		  .time = "2024-04-02T09:00:00+08:00",
		  .amount = 999,
		  .direction = "out",
		  .status_raw = "交易成功",
		  .status = "completed",
		  .product = "别的东西",
		  .category = "数码",
		  .payment_method = "余额宝",
		  .source_id = 2,
		  .source_line = 5 },
	};

	assert_int_equal(kmv_fix_source(v, "orders", "orders_example-shop.csv",
					fix_orders_csv, 3),
			 1);
	assert_int_equal(kmv_fix_source(v, "alipay", "alipay_2024-03.csv",
					fix_alipay_csv, 3),
			 2);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(kmv_fix_record_add(v, &rows[i]),
				 (int64_t)i + 1);
	/* The order and its payment and refund, linked as match would. */
	assert_int_equal(kmv_match_link(v, 1, 2, "商家订单号相同"), 0);
	assert_int_equal(kmv_match_link(v, 1, 4, "退款的商家订单号相同"), 0);
	kmv_fix_state(v, 1, "paid", "已支付", "2024-03-15T20:11:02+08:00", 1);
	kmv_fix_state(v, 1, "completed", "已完成", "2024-03-15T20:12:00+08:00",
		      1);
}

/* Create + open (write) a vault with the fixture rows. */
static int fix_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = kmv_test_tmpdir();
	assert_non_null(f->dir);
	snprintf(f->vault_path, sizeof(f->vault_path), "%s/v.kmv", f->dir);
	assert_int_equal(kmv_test_vault_make(&f->vault, f->vault_path, NULL),
			 0);
	fix_fill(f->vault);
	*state = f;
	return 0;
}

static int fix_teardown(void **state)
{
	struct fixture *f = *state;

	kmv_vault_free(f->vault);
	kmv_test_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

#endif
