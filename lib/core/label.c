/* SPDX-License-Identifier: MIT */
/*
 * The label table (kmv/label.h).  Statuses hold both vocabularies: the
 * order states of profiles.md and the statement statuses of
 * docs/importers.md (kmv_profile__state_valid accepts either for a profile).  English words are msgids (N_, so
 * xgettext puts them in po/kmvault.pot); the Chinese column is what
 * documents for Chinese counterparties print, and what po/zh_CN.po says
 * for the same msgid (unit/test_label checks the two agree).
 */
#include "common.h"

#include <strings.h>

#include "kmv/i18n.h"
#include "kmv/label.h"

struct label {
	const char *code;
	const char *en;
	const char *zh;
};

static const struct label kinds[] = { { "order", N_("order"), "订单" },
				      { "payment", N_("payment"), "付款" },
				      { "receipt", N_("receipt"), "回执" },
				      { NULL, NULL, NULL } };

static const struct label directions[] = { { "out", N_("spending"), "支出" },
					   { "in", N_("income"), "收入" },
					   { "neutral", N_("not counted"),
					     "不计收支" },
					   { NULL, NULL, NULL } };

static const struct label statuses[] = {
	{ "pending_payment", N_("awaiting payment"), "待支付" },
	{ "paid", N_("paid"), "已支付" },
	{ "processing", N_("processing"), "处理中" },
	{ "delivered", N_("delivered"), "已发货" },
	{ "completed", N_("completed"), "已完成" },
	{ "refunded", N_("refunded"), "已退款" },
	{ "cancelled", N_("cancelled"), "已取消" },
	{ "failed", N_("failed"), "失败" },
	{ "expired", N_("expired"), "已过期" },
	/* held by the shop's platform (card-system's 已冻结): a dispute or
	 * a risk check; match treats it as a state it cannot read */
	{ "frozen", N_("frozen"), "已冻结" },
	{ "unknown", N_("unknown"), "未知" },
	/* the statements' vocabulary (docs/importers.md) */
	{ "success", N_("successful"), "交易成功" },
	{ "closed", N_("closed"), "交易关闭" },
	{ "partially_refunded", N_("partly refunded"), "部分退款" },
	{ "pending", N_("pending"), "处理中" },
	{ "other", N_("other"), "其他" },
	{ NULL, NULL, NULL }
};

static const struct label rules[] = {
	{ "order_no", N_("same order number"), "订单号相同" },
	{ "amount_time", N_("same amount, close in time"),
	  "金额相同且时间相近" },
	{ "refund", N_("refund of the payment"), "对应付款的退款" },
	{ "contact_time", N_("same buyer contact and shop, close in time"),
	  "同一联系方式和店铺且时间相近" },
	{ "manual", N_("linked by hand"), "手动关联" },
	{ "veto", N_("unlinked by hand"), "已手动取消关联" },
	{ NULL, NULL, NULL }
};

static const struct label anomalies[] = {
	{ "duplicate_charge", N_("duplicate charge"), "重复扣款" },
	{ "amount_mismatch", N_("amount mismatch"), "金额不符" },
	{ "payment_without_order", N_("payment without an order"),
	  "有付款无订单" },
	{ "undelivered", N_("not delivered"), "付款后未发货" },
	{ "refund_missing", N_("refund missing"), "退款未到账" },
	{ "unknown_merchant", N_("unfamiliar merchant"), "陌生商户扣款" },
	{ NULL, NULL, NULL }
};

static const struct label case_reasons[] = {
	{ "undelivered", N_("not delivered"), "付款后未发货" },
	{ "duplicate_charge", N_("duplicate charge"), "重复扣款" },
	{ "amount_mismatch", N_("amount mismatch"), "金额不符" },
	{ "refund_missing", N_("refund missing"), "退款未到账" },
	{ "unauthorized", N_("unauthorized charge"), "未经授权的扣款" },
	{ "other", N_("other"), "其他" },
	{ NULL, NULL, NULL }
};

static const struct label case_statuses[] = {
	{ "open", N_("open"), "处理中" },
	{ "waiting_reply", N_("waiting for a reply"), "等待答复" },
	{ "escalated", N_("escalated"), "已升级投诉" },
	{ "resolved", N_("resolved"), "已解决" },
	{ "rejected", N_("rejected"), "被拒绝" },
	{ NULL, NULL, NULL }
};

/* The item types of kmvault remind (kmv/remind.h). */
static const struct label reminders[] = {
	{ "case_deadline", N_("case reply deadline"), "案件答复期限" },
	{ "undelivered", N_("not delivered"), "付款后未发货" },
	{ "membership_expiry", N_("membership expiry"), "会员到期" },
	{ "membership_inactivity", N_("membership inactivity"),
	  "会员不活跃降级" },
	{ "retention", N_("evidence retention"), "证据保存期限" },
	{ NULL, NULL, NULL }
};

static const struct label sources[] = {
	{ "alipay", N_("Alipay"), "支付宝" },
	{ "wechat", N_("WeChat Pay"), "微信支付" },
	{ "jd", N_("JD.com"), "京东" },
	{ "orders", N_("shop orders"), "店铺订单" },
	{ "email", N_("e-mail receipt"), "邮件回执" },
	/* the sources table's other kinds (kmvault sources) */
	{ "zip", N_("ZIP archive"), "压缩包" },
	{ "mbox", N_("mailbox file"), "邮箱文件" },
	{ "page", N_("saved web page"), "网页" },
	{ "pdf", N_("PDF receipt"), "回执文档" },
	{ "text", N_("text receipt"), "文本回执" },
	{ "image", N_("screenshot"), "截图" },
	{ "unknown", N_("not recognised"), "未识别" },
	{ NULL, NULL, NULL }
};

/* How a record counts in a report (match/paid.h kmv_paid__why_name()). */
static const struct label counts[] = {
	{ "charge", N_("a charge"), "付款支出" },
	{ "order_only", N_("paid order without a payment record"),
	  "已付款订单（无付款记录）" },
	{ "refund", N_("a refund"), "退款" },
	{ "income", N_("income"), "收入" },
	{ "closed", N_("closed: not spending"), "交易关闭，不是支出" },
	{ "failed", N_("payment failed"), "付款失败" },
	{ "pending", N_("payment not completed"), "付款未成功" },
	{ "neutral", N_("not counted"), "不计收支" },
	{ "refund_of_uncounted",
	  N_("refund of a payment not counted as spending"),
	  "所退付款未计入支出" },
	{ "via_payment", N_("counted through its payment"), "已通过付款计入" },
	{ "order_unpaid", N_("order not paid"), "订单未付款" },
	{ "order_cancelled", N_("order cancelled or closed"),
	  "订单已取消或关闭" },
	{ "order_refunded", N_("order refunded"), "订单已退款" },
	{ "order_state_unknown", N_("order state unknown"), "订单状态未知" },
	{ "receipt", N_("a receipt, repeating an order or payment"),
	  "回执，与订单或付款重复" },
	{ "no_amount", N_("no amount"), "无金额" },
	{ "order_frozen", N_("order frozen by the shop, no payment seen"),
	  "订单已被店铺冻结，未见付款" },
	{ NULL, NULL, NULL }
};

/* The report's headline terms. */
static const struct label terms[] = {
	{ "spent", N_("spending"), "支出" },
	{ "back", N_("refunds and income"), "退款及收入" },
	{ "none", N_("not in the totals"), "不计入" },
	{ NULL, NULL, NULL }
};

/*
 * The keys importers and edits keep in a record's extra (show prints
 * them as words), and the record fields they name (extra.origin,
 * extra.unverified, extra.imported).
 */
static const struct label extras[] = {
	{ "email", N_("buyer contact"), "买家联系方式" },
	{ "contact", N_("buyer contact"), "买家联系方式" },
	{ "title", N_("listing title"), "商品标题" },
	{ "profile", N_("order file layout"), "订单文件格式" },
	{ "message_id", N_("e-mail Message-ID"), "邮件标识" },
	{ "subject", N_("e-mail subject"), "邮件主题" },
	{ "from", N_("e-mail sender"), "发件人" },
	{ "rule", N_("read by rule"), "识别规则" },
	{ "origin", N_("where each field was read"), "各字段来源" },
	{ "ocr_confidence", N_("OCR confidence (0-100)"),
	  "文字识别置信度（0-100）" },
	{ "unverified", N_("unverified (OCR unsure)"),
	  "未核实（文字识别不确定）" },
	{ "refund_of_payment_no", N_("refund of payment number"),
	  "所退付款的交易单号" },
	{ "refund_of_merchant_order_no", N_("refund of merchant order"),
	  "所退付款的商户单号" },
	{ "payment_methods", N_("paid with"), "支付方式明细" },
	{ "card_tails", N_("card ends"), "银行卡尾号" },
	{ "amount_note", N_("note on the amount"), "金额备注" },
	{ "tags", N_("tags"), "标签" },
	{ "note", N_("note"), "备注" },
	{ "imported", N_("as imported (before edits)"),
	  "导入时的原值（修改前）" },
	{ "order_no", N_("order number"), "订单号" },
	{ "payment_no", N_("payment number"), "交易单号" },
	{ "amount", N_("amount"), "金额" },
	{ "time", N_("time"), "时间" },
	{ "product", N_("product"), "商品" },
	{ "quantity", N_("quantity"), "数量" },
	{ "platform", N_("platform"), "平台" },
	{ "merchant", N_("merchant"), "商户" },
	{ "category", N_("category"), "分类" },
	{ "card_secret", N_("card secret"), "卡密" },
	{ NULL, NULL, NULL }
};

/* The audit log's actions (kmv_audit_append callers; kmvault log). */
static const struct label actions[] = {
	{ "init", N_("vault created"), "创建保险库" },
	{ "import", N_("import"), "导入" },
	{ "match", N_("matching"), "匹配" },
	{ "link", N_("linked by hand"), "手动关联" },
	{ "unlink", N_("unlinked by hand"), "已手动取消关联" },
	{ "alias-add", N_("alias added"), "添加别名" },
	{ "alias-remove", N_("alias removed"), "删除别名" },
	{ "edit", N_("edit"), "修改" },
	{ "tag", N_("tags"), "标签" },
	{ "void", N_("voided"), "已作废" },
	{ "unvoid", N_("unvoided"), "已恢复" },
	{ "attach", N_("attachment"), "添加附件" },
	{ "evidence", N_("evidence bundle"), "生成证据包" },
	{ "export", N_("export"), "导出" },
	{ "reveal", N_("card secret revealed"), "显示卡密" },
	{ "merge", N_("merge"), "合并" },
	{ "merged", N_("merged event"), "合并来的事件" },
	{ "restore", N_("backup restored"), "恢复备份" },
	{ "remind_ack", N_("reminder silenced"), "静默提醒" },
	{ "case_open", N_("case opened"), "立案" },
	{ "case_update", N_("case updated"), "更新案件" },
	{ "case_close", N_("case closed"), "结案" },
	{ "member_add", N_("membership added"), "添加会员" },
	{ "member_renew", N_("membership renewed"), "会员续费" },
	{ "member_end", N_("membership ended"), "会员结束" },
	{ "member_login", N_("membership login"), "会员登录" },
	{ NULL, NULL, NULL }
};

static const struct {
	const char *name;
	const struct label *rows;
} sets[KMV_LABEL_SET_COUNT] = {
	[KMV_LABEL_KIND] = { "kind", kinds },
	[KMV_LABEL_DIRECTION] = { "direction", directions },
	[KMV_LABEL_STATUS] = { "status", statuses },
	[KMV_LABEL_RULE] = { "rule", rules },
	[KMV_LABEL_ANOMALY] = { "anomaly", anomalies },
	[KMV_LABEL_CASE_REASON] = { "case_reason", case_reasons },
	[KMV_LABEL_CASE_STATUS] = { "case_status", case_statuses },
	[KMV_LABEL_SOURCE] = { "source", sources },
	[KMV_LABEL_COUNT] = { "count", counts },
	[KMV_LABEL_TERM] = { "term", terms },
	[KMV_LABEL_REMINDER] = { "reminder", reminders },
	[KMV_LABEL_EXTRA] = { "extra", extras },
	[KMV_LABEL_ACTION] = { "action", actions },
};

static const struct label *find(kmv_label_set set, const char *code)
{
	if ((unsigned)set >= KMV_LABEL_SET_COUNT || !code)
		return NULL;
	for (const struct label *l = sets[set].rows; l->code; l++)
		if (strcmp(l->code, code) == 0)
			return l;
	return NULL;
}

kmv_lang kmv_lang_resolve(kmv_lang lang)
{
	if (lang != KMV_LANG_LOCALE)
		return lang;
	return kmv_i18n_is_chinese() ? KMV_LANG_ZH : KMV_LANG_EN;
}

const char *kmv_label_lang(kmv_label_set set, const char *code, kmv_lang lang)
{
	const struct label *l = find(set, code);

	if (!l)
		return code ? code : "";
	switch (lang) {
	case KMV_LANG_ZH: return l->zh;
	case KMV_LANG_EN: return l->en;
	default: return _(l->en);
	}
}

const char *kmv_label(kmv_label_set set, const char *code)
{
	return kmv_label_lang(set, code, KMV_LANG_LOCALE);
}

bool kmv_label_known(kmv_label_set set, const char *code)
{
	return find(set, code) != NULL;
}

const char *kmv_label_code(kmv_label_set set, size_t i)
{
	if ((unsigned)set >= KMV_LABEL_SET_COUNT)
		return NULL;
	for (const struct label *l = sets[set].rows; l->code; l++, i--)
		if (i == 0)
			return l->code;
	return NULL;
}

const char *kmv_label_set_name(kmv_label_set set)
{
	return (unsigned)set < KMV_LABEL_SET_COUNT ? sets[set].name : "?";
}

int kmv_label_set_parse(kmv_label_set *out, const char *name)
{
	for (int i = 0; name && i < KMV_LABEL_SET_COUNT; i++) {
		if (strcmp(sets[i].name, name) == 0) {
			*out = (kmv_label_set)i;
			return 0;
		}
	}
	return -1;
}

int kmv_lang_parse(kmv_lang *out, const char *text)
{
	if (!text)
		return -1;
	if (strncasecmp(text, "zh", 2) == 0 &&
	    (!text[2] || text[2] == '_' || text[2] == '-' || text[2] == '.')) {
		*out = KMV_LANG_ZH;
		return 0;
	}
	if (strcasecmp(text, "chinese") == 0 || strcmp(text, "中文") == 0) {
		*out = KMV_LANG_ZH;
		return 0;
	}
	if ((strncasecmp(text, "en", 2) == 0 &&
	     (!text[2] || text[2] == '_' || text[2] == '-' ||
	      text[2] == '.')) ||
	    strcasecmp(text, "english") == 0) {
		*out = KMV_LANG_EN;
		return 0;
	}
	return -1;
}
