/* SPDX-License-Identifier: MIT */
/*
 * Chinese labels for documents (kmv/doclabel.h).  Statuses are the
 * normalized payment statuses of the statement importers and the order
 * states of profiles.md; "count" values are paid.h's m_why_name().
 */
#include "common.h"
#include "kmv/doclabel.h"

struct label {
	const char *field, *value, *zh;
};

static const struct label labels[] = {
	{ "kind", "order", "订单" },
	{ "kind", "payment", "付款" },
	{ "kind", "receipt", "回执" },
	{ "direction", "out", "支出" },
	{ "direction", "in", "收入" },
	{ "direction", "neutral", "不计收支" },
	{ "status", "success", "成功" },
	{ "status", "closed", "交易关闭" },
	{ "status", "refunded", "已退款" },
	{ "status", "partially_refunded", "部分退款" },
	{ "status", "pending", "处理中" },
	{ "status", "failed", "失败" },
	{ "status", "other", "其他" },
	{ "status", "pending_payment", "待支付" },
	{ "status", "paid", "已支付" },
	{ "status", "processing", "处理中" },
	{ "status", "delivered", "已发货" },
	{ "status", "completed", "已完成" },
	{ "status", "cancelled", "已取消" },
	{ "status", "expired", "已过期" },
	{ "status", "unknown", "未知" },
	{ "term", "spent", "支出" },
	{ "term", "back", "退款及收入" },
	{ "term", "none", "不计入" },
	{ "count", "charge", "付款支出" },
	{ "count", "order_only", "已付款订单（无付款记录）" },
	{ "count", "refund", "退款" },
	{ "count", "income", "收入" },
	{ "count", "closed", "交易关闭，不是支出" },
	{ "count", "failed", "付款失败" },
	{ "count", "pending", "付款未成功" },
	{ "count", "neutral", "不计收支" },
	{ "count", "refund_of_uncounted", "所退付款未计入支出" },
	{ "count", "via_payment", "已通过付款计入" },
	{ "count", "order_unpaid", "订单未付款" },
	{ "count", "order_cancelled", "订单已取消或关闭" },
	{ "count", "order_refunded", "订单已退款" },
	{ "count", "order_state_unknown", "订单状态未知" },
	{ "count", "receipt", "回执，与订单或付款重复" },
	{ "count", "no_amount", "无金额" },
	{ "anomaly", "duplicate_charge", "重复扣款" },
	{ "anomaly", "amount_mismatch", "金额不符" },
	{ "anomaly", "payment_without_order", "有付款无订单" },
	{ "anomaly", "undelivered", "付款未发货" },
	{ "anomaly", "refund_missing", "退款未到账" },
	{ "anomaly", "unknown_merchant", "陌生商户" },
};

const char *kmv_doc_label(const char *field, const char *value)
{
	if (!value)
		return "";
	for (size_t i = 0; field && i < KMV_ARRAY_SIZE(labels); i++)
		if (strcmp(labels[i].field, field) == 0 &&
		    strcmp(labels[i].value, value) == 0)
			return labels[i].zh;
	return value;
}
