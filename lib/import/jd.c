/* SPDX-License-Identifier: MIT */
/*
 * JD (京东 / 京东金融) bills (formats.md section 3): UTF-8 with a BOM, a
 * 21-line preamble (京东账号名, 日期区间 … 至 …, 共：N笔记录, eight
 * disclaimers), the header on line 22 and no footer.  Quirks: TABs after
 * the time and the ids, a trailing comma on every row, amounts carrying a
 * refund note (`131.77(已退款89.84)`, `468.32(已全额退款)`; the number
 * before the parenthesis is the original), several categories in one
 * cell, and refunds as separate 不计收支 / 退款成功 rows whose 交易说明
 * starts with `退款-`, tied to the purchase by the merchant order number.
 */
#include "common.h"
#include "import/statement.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"

static const char *const n_time[] = { "交易时间", NULL };
static const char *const n_category[] = { "交易分类", NULL };
static const char *const n_merchant[] = { "商户名称", NULL };
static const char *const n_product[] = { "交易说明", NULL };
static const char *const n_direction[] = { "收/支", NULL };
static const char *const n_amount[] = { "金额", NULL };
static const char *const n_method[] = { "收/付款方式", NULL };
static const char *const n_status[] = { "交易状态", NULL };
static const char *const n_payment_no[] = { "交易订单号", NULL };
static const char *const n_merchant_no[] = { "商家订单号", NULL };
static const char *const n_memo[] = { "备注", NULL };

static int fixup(st_row *r, const kmv_row *header)
{
	const char *amount = r->v[ST_AMOUNT];
	int64_t fen;

	(void)header;
	if (kmv_statement__refund_row(r)) {
		/* Exports tie a refund to its purchase by the shared 交易订单号
		 * or, in others, by the 商家订单号. */
		r->refund = true;
		r->refund_of_payment_no = r->rec.payment_no;
		r->refund_of_merchant_no = r->rec.merchant_order_no;
	}
	/* The engine keeps the note as amount_note; the sum refunded too. */
	if (amount && strstr(amount, "(已全额退款)")) {
		kmv_json_kv_money(r->extra, "refunded_amount", r->rec.amount);
		r->rec.status = "refunded";
	} else if (amount &&
		   kmv_statement__amount_after(&fen, amount, "(已退款")) {
		kmv_json_kv_money(r->extra, "refunded_amount", fen);
		r->rec.status = "partially_refunded";
	}
	return 0;
}

/* JD writes UTF-8; the GBK form covers a re-saved file. */
static const st_marker markers[] = {
	{ "京东账号名", "\xBE\xA9\xB6\xAB\xD5\xCB\xBA\xC5\xC3\xFB" },
	{ NULL, NULL },
};

const st_source kmv_statement__jd = {
	.kind = "jd",
	.label = N_("JD"),
	.import_kind = KMV_IMPORT_JD,
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
		    ST_BIT(ST_DIRECTION) | ST_BIT(ST_MERCHANT),
	.extra_columns = NULL,
	.layout = NULL,
	.fixup = fixup,
	.merge_long_rows = false,
};
