/* SPDX-License-Identifier: MIT */
/*
 * Alipay statements, all three layouts (formats.md section 1):
 *   web "支付宝交易记录明细查询" (<= 2022): 交易号 ... 金额（元）, footer;
 *   app 2021-22 "电子客户回单": 收/支 first, metadata in the footer;
 *   app 2023+ "电子客户回单": metadata first, no footer (8 or 9
 *   disclaimers, company 支付宝（中国）网络技术有限公司 or
 *   支付宝支付科技有限公司 -- none of which matters, the header is found
 *   by its names).
 * Refund rows carry `<original 交易订单号>_<suffix>`.
 */
#include "common.h"
#include "import/statement.h"
#include "kmv/i18n.h"

static const char *const n_time[] = { "交易时间", "交易创建时间", NULL };
static const char *const n_category[] = { "交易分类", "类型", NULL };
static const char *const n_merchant[] = { "交易对方", NULL };
static const char *const n_account[] = { "对方账号", NULL };
static const char *const n_product[] = { "商品说明", "商品名称", NULL };
static const char *const n_direction[] = { "收/支", NULL };
static const char *const n_amount[] = { "金额", "金额（元）", "金额(元)",
					NULL };
static const char *const n_method[] = { "收/付款方式", NULL };
static const char *const n_status[] = { "交易状态", NULL };
static const char *const n_payment_no[] = { "交易订单号", "交易号", NULL };
static const char *const n_merchant_no[] = { "商家订单号", NULL };
static const char *const n_memo[] = { "备注", NULL };

/* Web-layout columns with no record field of their own. */
static const char *const extra_columns[] = { "交易来源地",
					     "付款时间",
					     "最近修改时间",
					     "服务费（元）",
					     "成功退款（元）",
					     "资金状态",
					     NULL };

static const char *layout(const kmv_row *header)
{
	for (size_t i = 0; i < header->ncells; i++)
		if (strcmp(header->cells[i], "交易号") == 0)
			return "web (<=2022)";
	if (header->ncells > 0 && strcmp(header->cells[0], "收/支") == 0)
		return "app 2021-22";
	return "app 2023+";
}

static int fixup(st_row *r, const kmv_row *header)
{
	const char *no = r->rec.payment_no, *us;
	bool refund_like;

	(void)header;
	refund_like = kmv_statement__refund_row(r) ||
		      (r->rec.status_raw && strstr(r->rec.status_raw, "退款"));
	us = no ? strchr(no, '_') : NULL;
	if (us && us > no && refund_like) {
		int error;

		r->refund = true;
		kmv_buf_clear(r->scratch);
		if ((error = kmv_buf_put(r->scratch, no, (size_t)(us - no))) <
		    0)
			return error;
		r->refund_of_payment_no = r->scratch->ptr;
	} else if (kmv_statement__refund_row(r)) {
		r->refund = true;
		r->refund_of_merchant_no = r->rec.merchant_order_no;
	}
	return 0;
}

static const st_marker markers[] = {
	{ "电子客户回单", "\xB5\xE7\xD7\xD3\xBF\xCD\xBB\xA7\xBB\xD8\xB5\xA5" },
	{ "支付宝交易记录明细查询",
	  "\xD6\xA7\xB8\xB6\xB1\xA6\xBD\xBB\xD2\xD7\xBC"
	  "\xC7\xC2\xBC\xC3\xF7\xCF\xB8\xB2\xE9\xD1\xAF" },
	{ NULL, NULL },
};

const st_source kmv_statement__alipay = {
	.kind = "alipay",
	.label = N_("Alipay"),
	.import_kind = KMV_IMPORT_ALIPAY,
	.markers = markers,
	.names = {
		[ST_TIME] = n_time, [ST_CATEGORY] = n_category,
		[ST_MERCHANT] = n_merchant, [ST_ACCOUNT] = n_account,
		[ST_PRODUCT] = n_product, [ST_DIRECTION] = n_direction,
		[ST_AMOUNT] = n_amount, [ST_METHOD] = n_method,
		[ST_STATUS] = n_status, [ST_PAYMENT_NO] = n_payment_no,
		[ST_MERCHANT_NO] = n_merchant_no, [ST_MEMO] = n_memo,
	},
	.required = ST_BIT(ST_TIME) | ST_BIT(ST_AMOUNT) | ST_BIT(ST_PAYMENT_NO) |
		    ST_BIT(ST_DIRECTION),
	.extra_columns = extra_columns,
	.layout = layout,
	.fixup = fixup,
	.merge_long_rows = false,
};
