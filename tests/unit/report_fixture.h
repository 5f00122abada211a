/* SPDX-License-Identifier: MIT */
#ifndef KMV_TEST_REPORT_FIXTURE_H
#define KMV_TEST_REPORT_FIXTURE_H

/*
 * A small vault for the report and evidence tests, filled by direct
 * inserts (the importers live on other branches): two sources, two shop
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

static int fix_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fprintf(stderr, "fixture SQL failed: %s\n", msg ? msg : "?");
	sqlite3_free(msg);
	return rc;
}

static void fix_source(sqlite3 *db, int id, const char *kind, const char *name,
		       const char *content)
{
	sqlite3_stmt *st = NULL;
	kmv_buf z = KMV_BUF_INIT;
	char sha[KMV_SHA256_HEX_BUFSZ];

	assert_int_equal(kmv_compress(&z, content, strlen(content)), 0);
	kmv_sha256_hex(sha, content, strlen(content));
	assert_int_equal(
		sqlite3_prepare_v2(
			db,
			"INSERT INTO sources(id, kind, name, sha256, size, content, rows,"
			" imported_at) VALUES (?,?,?,?,?,?,3,'2024-04-01T10:00:00+08:00')",
			-1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_int(st, 1, id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)strlen(content));
	sqlite3_bind_blob(st, 6, z.ptr, (int)z.size, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	kmv_buf_dispose(&z);
}

static void fix_fill(sqlite3 *db)
{
	fix_source(db, 1, "orders", "orders_example-shop.csv", fix_orders_csv);
	fix_source(db, 2, "alipay", "alipay_2024-03.csv", fix_alipay_csv);
	assert_int_equal(
		fix_exec(
			db,
			"INSERT INTO records(id, kind, source_kind, dedup_key, platform,"
			" merchant, order_no, payment_no, merchant_order_no, time, ts,"
			" amount, direction, status_raw, status, product, quantity,"
			" category, payment_method, card_secret, source_id, source_line,"
			" created_at, updated_at) VALUES"
			" (1, 'order', 'orders', 'o1', '示例卡盟', '示例卡盟',"
			"  'KM20240315000101', NULL, NULL, '2024-03-15T20:10:41+08:00',"
			"  1710504641, 4850, NULL, '已完成', 'completed', '游戏点卡 50元', 1,"
			"  NULL, '支付宝', '" FIX_SECRET1 "', 1, 2, 'x', 'x'),"
			" (2, 'payment', 'alipay', 'p1', NULL, '示例卡盟', NULL,"
			"  '" FIX_TRADE_NO "', 'KM20240315000101',"
			"  '2024-03-15T20:11:02+08:00', 1710504662, 4850, 'out', '交易成功',"
			"  'completed', '=HYPERLINK(\"http://evil.example\")', 0, '数码',"
			"  '余额宝', NULL, 2, 3, 'x', 'x'),"
			" (3, 'order', 'orders', 'o2', '示例卡盟', '示例卡盟',"
			"  'KM20240320000202', NULL, NULL, '2024-03-20T19:44:52+08:00',"
			"  1710935092, 2500, NULL, '已完成', 'completed', '-会员月卡+1', 1,"
			"  NULL, '微信支付', '" FIX_SECRET2
			"', 1, 3, 'x', 'x'),"
			" (4, 'payment', 'alipay', 'p2', NULL, '示例卡盟', NULL,"
			"  '2024032222001100009999000003', 'KM20240315000101',"
			"  '2024-03-22T10:00:00+08:00', 1711072800, 1000, 'in', '退款成功',"
			"  'refunded', '退款-游戏点卡', 0, '退款', '余额宝', NULL, 2, 4, 'x', 'x'),"
			" (5, 'payment', 'alipay', 'p3', NULL, '别家店', NULL,"
			"  '2024040222001100009999000004', NULL,"
			"  '2024-04-02T09:00:00+08:00', 1712019600, 999, 'out', '交易成功',"
			"  'completed', '别的东西', 0, '数码', '余额宝', NULL, 2, 5, 'x', 'x');"
			"UPDATE records SET refund_of = 2 WHERE id = 4;"
			"INSERT INTO links(a, b, rule, score, explanation, created_at)"
			" VALUES (1, 2, 'order_no', 1.0, '商家订单号相同', 'x'),"
			"        (1, 4, 'order_no', 1.0, '退款的商家订单号相同', 'x');"
			"INSERT INTO timeline(record_id, state, state_raw, event_time, seen_at,"
			" source_id) VALUES"
			" (1, 'paid', '已支付', '2024-03-15T20:11:02+08:00',"
			"  '2024-03-16T09:00:00+08:00', 1),"
			" (1, 'completed', '已完成', '2024-03-15T20:12:00+08:00',"
			"  '2024-03-16T09:00:00+08:00', 1);"),
		SQLITE_OK);
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
	fix_fill(kmv_vault__db(f->vault));
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
