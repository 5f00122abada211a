/* SPDX-License-Identifier: MIT */
/*
 * WeChat Pay bills (formats.md section 2): the CSV export (until mid-2025)
 * and both XLSX layouts (header on row 17 with `¥` text amounts; on row 18
 * with numeric amount cells since 2026-03).  Quirks: unquoted commas in
 * counterparty names (rows longer than the header are merged back),
 * `/` for "none", fees and discounts written into 备注, partial refunds
 * embedded in 当前状态 as 已退款(￥x), refund rows typed `<商户>-退款`.
 */
#include "common.h"
#include "import/statement.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"

static const char *const n_time[] = { "交易时间", NULL };
static const char *const n_category[] = { "交易类型", NULL };
static const char *const n_merchant[] = { "交易对方", NULL };
static const char *const n_product[] = { "商品", NULL };
static const char *const n_direction[] = { "收/支", NULL };
static const char *const n_amount[] = { "金额(元)", "金额（元）", "金额",
					NULL };
static const char *const n_method[] = { "支付方式", NULL };
static const char *const n_status[] = { "当前状态", NULL };
static const char *const n_payment_no[] = { "交易单号", NULL };
static const char *const n_merchant_no[] = { "商户单号", NULL };
static const char *const n_memo[] = { "备注", NULL };

static int fixup(st_row *r, const kmv_row *header)
{
	int64_t fen;

	(void)header;
	if (r->rec.category &&
	    (strcmp(r->rec.category, "退款") == 0 ||
	     kmv_statement__ends(r->rec.category, "-退款"))) {
		r->refund = true;
		r->refund_of_merchant_no = r->rec.merchant_order_no;
		/*
		 * A refund row may carry the purchase's own 交易单号 (and no
		 * 商户单号): link_refunds tries the number first, never the
		 * row itself nor another refund row.
		 */
		r->refund_of_payment_no = r->rec.payment_no;
	}
	/* on a purchase row, the part refunded; on a refund row, itself */
	if (!r->refund && kmv_statement__starts(r->rec.status_raw, "已退款") &&
	    kmv_statement__amount_after(&fen, r->rec.status_raw, "已退款"))
		kmv_json_kv_money(r->extra, "refunded_amount", fen);
	if (kmv_statement__amount_after(&fen, r->rec.memo, "服务费"))
		kmv_json_kv_money(r->extra, "fee", fen);
	if (kmv_statement__amount_after(&fen, r->rec.memo, "已优惠"))
		kmv_json_kv_money(r->extra, "discount", fen);
	return 0;
}

static const st_marker markers[] = {
	{ "微信支付账单明细", "\xCE\xA2\xD0\xC5\xD6\xA7\xB8\xB6\xD5\xCB\xB5\xA5"
			      "\xC3\xF7\xCF\xB8" },
	{ NULL, NULL },
};

const st_source kmv_statement__wechat = {
	.kind = "wechat",
	.label = N_("WeChat Pay"),
	.import_kind = KMV_IMPORT_WECHAT,
	.markers = markers,
	.names = {
		[ST_TIME] = n_time, [ST_CATEGORY] = n_category,
		[ST_MERCHANT] = n_merchant, [ST_PRODUCT] = n_product,
		[ST_DIRECTION] = n_direction, [ST_AMOUNT] = n_amount,
		[ST_METHOD] = n_method, [ST_STATUS] = n_status,
		[ST_PAYMENT_NO] = n_payment_no,
		[ST_MERCHANT_NO] = n_merchant_no, [ST_MEMO] = n_memo,
	},
	.required = ST_BIT(ST_TIME) | ST_BIT(ST_AMOUNT) | ST_BIT(ST_PAYMENT_NO) |
		    ST_BIT(ST_DIRECTION) | ST_BIT(ST_CATEGORY),
	.extra_columns = NULL,
	.layout = NULL,
	.fixup = fixup,
	.merge_long_rows = true,
	.xlsx_times_are_numbers = true,
};
