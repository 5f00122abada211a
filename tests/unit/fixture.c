/* SPDX-License-Identifier: MIT */
/* The unit tests' vault builders (fixture.h): the import sink, then the
 * public calls a user's link, case and attach go through. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "import/session.h"
#include "kmv/case.h"
#include "kmv/error.h"
#include "kmv/edit.h"
#include "kmv/evidence.h"
#include "kmv/match.h"
#include "kmvutil/file.h"

static int seq;

/* The library's error text on a failed call, then the test fails. */
static void check(int error, const char *what)
{
	if (error < 0)
		fprintf(stderr, "fixture: %s: %s\n", what, kmv_error_last());
	assert_int_equal(error, 0);
}

/* One sink session around `op`; the test fails on any error. */
static void finish(kmv_import_ctx *ctx, int error)
{
	check(kmv_session__end(ctx, error), "import");
}

static kmv_import_ctx *begin(kmv_vault *vault)
{
	kmv_import_ctx *ctx = NULL;

	assert_int_equal(kmv_session__begin(&ctx, vault, NULL, NULL), 0);
	return ctx;
}

static kmv_direction direction(const char *name)
{
	if (!name)
		return KMV_DIR_NONE;
	if (strcmp(name, "out") == 0)
		return KMV_DIR_OUT;
	if (strcmp(name, "in") == 0)
		return KMV_DIR_IN;
	return KMV_DIR_NEUTRAL;
}

int64_t kmv_fix_at(kmv_vault *vault, const char *kind, const char *order_no,
		   const char *merchant_order_no, int64_t ts, int64_t amount,
		   const char *status)
{
	kmv_fix_record r = { .kind = kind,
			     .platform = "示例卡盟",
			     .order_no = order_no,
			     .merchant_order_no = merchant_order_no,
			     .ts = ts,
			     .amount = amount,
			     .status = status };

	return kmv_fix_record_add(vault, &r);
}

int64_t kmv_fix_record_add(kmv_vault *vault, const kmv_fix_record *f)
{
	kmv_record rec = KMV_RECORD_INIT;
	kmv_import_ctx *ctx;
	char key[32];
	int64_t id = 0;
	int error;

	assert_non_null(f->kind);
	assert_int_equal(kmv_record_kind_parse(&rec.kind, f->kind), 0);
	snprintf(key, sizeof(key), "fix:%d", ++seq);
	/* Bound, not copied, by the sink: the casts never let it write. */
	rec.source_kind = (char *)(f->source_kind               ? f->source_kind
				   : rec.kind == KMV_KIND_ORDER ? "orders"
				   : rec.kind == KMV_KIND_RECEIPT ? "email"
								  : "alipay");
	rec.dedup_key = (char *)(f->dedup_key ? f->dedup_key : key);
	rec.platform = (char *)f->platform;
	rec.merchant = (char *)f->merchant;
	rec.order_no = (char *)f->order_no;
	rec.payment_no = (char *)f->payment_no;
	rec.merchant_order_no = (char *)f->merchant_order_no;
	if (f->time) {
		assert_int_equal(kmv_time_parse(&rec.time, f->time, KMV_TZ_CST,
						NULL),
				 0);
		rec.has_time = true;
	} else if (f->ts) {
		rec.time.epoch = f->ts;
		rec.time.offset_min = 480;
		rec.has_time = true;
	}
	rec.has_amount = f->amount >= 0;
	rec.amount = rec.has_amount ? f->amount : 0;
	rec.direction = direction(f->direction);
	rec.status = (char *)f->status;
	rec.status_raw = (char *)f->status_raw;
	rec.product = (char *)f->product;
	rec.quantity = f->quantity;
	rec.category = (char *)f->category;
	rec.payment_method = (char *)f->payment_method;
	rec.memo = (char *)f->memo;
	rec.card_secret = (char *)f->card_secret;
	rec.source_id = f->source_id;
	rec.source_line = f->source_line;
	rec.extra_json = (char *)f->extra_json;
	ctx = begin(vault);
	error = kmv_sink__add_record(&id, ctx, &rec);
	if (error == 0 && f->refund_of)
		error = kmv_sink__link_refund(ctx, id, f->refund_of);
	finish(ctx, error);
	return id;
}

static int64_t source(kmv_vault *vault, const char *kind, const char *name,
		      const char *content, int64_t rows, const char *meta)
{
	kmv_import_ctx *ctx = begin(vault);
	int64_t id = 0;
	int error;

	error = kmv_sink__add_source(&id, ctx, kind, name, content,
				     strlen(content), 0);
	if (error == 0)
		error = kmv_sink__set_source_info(ctx, id, kind, rows, meta);
	finish(ctx, error);
	return id;
}

int64_t kmv_fix_source(kmv_vault *vault, const char *kind, const char *name,
		       const char *content, int64_t rows)
{
	return source(vault, kind, name, content, rows, NULL);
}

int64_t kmv_fix_source_meta(kmv_vault *vault, const char *kind,
			    const char *name, const char *content,
			    const char *meta_json)
{
	return source(vault, kind, name, content, 1, meta_json);
}

void kmv_fix_state(kmv_vault *vault, int64_t id, const char *state,
		   const char *raw, const char *when, int64_t source_id)
{
	kmv_import_ctx *ctx = begin(vault);
	kmv_order_sink *s = NULL;
	kmv_time t;
	int error;

	if (when)
		assert_int_equal(kmv_time_parse(&t, when, KMV_TZ_CST, NULL), 0);
	error = kmv_order_sink__open(&s, ctx);
	if (error == 0)
		error = kmv_order_sink__ensure_state(s, id, state, raw,
						     when ? &t : NULL,
						     source_id);
	kmv_order_sink__free(s);
	finish(ctx, error);
}

void kmv_fix_link(kmv_vault *vault, int64_t a, int64_t b, const char *note)
{
	check(kmv_match_link(vault, a, b, note), "link");
}

void kmv_fix_void(kmv_vault *vault, int64_t id)
{
	kmv_record_ids ids = KMV_RECORD_IDS_INIT;
	int changed = 0;

	check(kmv_record_ids_add(&ids, id), "void");
	check(kmv_record_void(vault, &ids, false, NULL, 0, NULL, &changed),
	      "void");
	kmv_record_ids_dispose(&ids);
	assert_int_equal(changed, 1);
}

int64_t kmv_fix_case(kmv_vault *vault, const char *order_no, const char *reason,
		     const char *note)
{
	kmv_case_open_options co = KMV_CASE_OPEN_OPTIONS_INIT;
	int64_t id = 0;

	co.order_no = order_no;
	co.reason = reason;
	co.note = note;
	check(kmv_case_open(&id, vault, &co), "case open");
	return id;
}

int64_t kmv_fix_attach(kmv_vault *vault, const char *dir, const char *target,
		       const char *name, const void *data, size_t len)
{
	kmv_attach_result ar;
	char path[4300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	check(kmv_file_write(path, data, len, true), "attach file");
	check(kmv_attach_add(&ar, vault, target, path, NULL), "attach");
	return ar.id;
}

/* ---- the report and evidence vault (fixture.h) ---- */

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

/* A completed order of the shop's export (source 1), bought once. */
static kmv_fix_record shop_order(const char *key, const char *no,
				 const char *time, int64_t amount,
				 const char *product, const char *method,
				 const char *secret, int64_t line)
{
	return (kmv_fix_record){ .kind = "order",
				 .dedup_key = key,
				 .platform = "示例卡盟",
				 .merchant = "示例卡盟",
				 .order_no = no,
				 .time = time,
				 .amount = amount,
				 .status_raw = "已完成",
				 .status = "completed",
				 .product = product,
				 .quantity = 1,
				 .payment_method = method,
				 .card_secret = secret,
				 .source_id = 1,
				 .source_line = line };
}

/* A successful charge of the Alipay statement (source 2), from 余额宝. */
static kmv_fix_record alipay_charge(const char *key, const char *merchant,
				    const char *pno, const char *mon,
				    const char *time, int64_t amount,
				    const char *product, const char *category,
				    int64_t line)
{
	return (kmv_fix_record){ .kind = "payment",
				 .dedup_key = key,
				 .merchant = merchant,
				 .payment_no = pno,
				 .merchant_order_no = mon,
				 .time = time,
				 .amount = amount,
				 .direction = "out",
				 .status_raw = "交易成功",
				 .status = "completed",
				 .product = product,
				 .category = category,
				 .payment_method = "余额宝",
				 .source_id = 2,
				 .source_line = line };
}

void kmv_fix_report_vault(kmv_vault *v, bool matched)
{
	kmv_fix_record rows[] = {
		shop_order("o1", FIX_ORDER_NO, "2024-03-15T20:10:41+08:00",
			   4850, "游戏点卡 50元", "支付宝", FIX_SECRET1, 2),
		alipay_charge("p1", "示例卡盟", FIX_TRADE_NO, FIX_ORDER_NO,
			      "2024-03-15T20:11:02+08:00", 4850,
			      "=HYPERLINK(\"http://evil.example\")", "数码", 3),
		shop_order("o2", "KM20240320000202",
			   "2024-03-20T19:44:52+08:00", 2500, "-会员月卡+1",
			   "微信支付", FIX_SECRET2, 3),
		/* p2: the refund of p1 (its fields set below) */
		alipay_charge("p2", "示例卡盟", "2024032222001100009999000003",
			      FIX_ORDER_NO, "2024-03-22T10:00:00+08:00", 1000,
			      "退款-游戏点卡", "退款", 4),
		alipay_charge("p3", "别家店", "2024040222001100009999000004",
			      NULL, "2024-04-02T09:00:00+08:00", 999,
			      "别的东西", "数码", 5),
	};

	rows[3].direction = "in"; /* p2 */
	rows[3].status_raw = "退款成功";
	rows[3].status = "refunded";
	rows[3].refund_of = 2;
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
	if (matched) {
		kmv_fix_link(v, 1, 2, "商家订单号相同");
		kmv_fix_link(v, 1, 4, "退款的商家订单号相同");
	}
	kmv_fix_state(v, 1, "paid", "已支付", "2024-03-15T20:11:02+08:00", 1);
	kmv_fix_state(v, 1, "completed", "已完成", "2024-03-15T20:12:00+08:00",
		      1);
}
