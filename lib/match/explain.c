/* SPDX-License-Identifier: MIT */
/*
 * Link explanations: stored as a code and its facts (explain.h), put in
 * words when shown (kmv_match_explain, kmv/match.h).  Each sentence is
 * here in both languages: the English one is the msgid (the locale's
 * words come from po/), the Chinese one is what documents for Chinese
 * counterparties print whatever the locale; unit/test_explain checks
 * the zh_CN catalog says the same.
 */
#include "common.h"

#include <inttypes.h>
#include <jansson.h>

#include "kmv/i18n.h"
#include "kmv/label.h"
#include "kmv/match.h"
#include "kmvutil/money.h"
#include "match/explain.h"

/* ---- writing ------------------------------------------------------------ */

void kmv_explain__begin_in(kmv_explain *e, kmv_buf *out, const char *why)
{
	kmv_buf_init(&e->buf, 0);
	kmv_json_init(&e->j, out, false);
	kmv_json_object_begin(&e->j);
	kmv_json_kv_string(&e->j, "why", why);
}

void kmv_explain__begin(kmv_explain *e, const char *why)
{
	kmv_explain__begin_in(e, &e->buf, why);
}

void kmv_explain__str(kmv_explain *e, const char *key, const char *value)
{
	kmv_json_kv_string(&e->j, key, value ? value : "");
}

void kmv_explain__int(kmv_explain *e, const char *key, int64_t value)
{
	kmv_json_kv_int(&e->j, key, value);
}

int kmv_explain__end(kmv_explain *e)
{
	kmv_json_object_end(&e->j);
	return kmv_json_finish(&e->j);
}

void kmv_explain__dispose(kmv_explain *e)
{
	kmv_buf_dispose(&e->buf);
}

/* ---- the sentences ----------------------------------------------------- */

enum {
	S_MERCHANT_ORDER_NO,
	S_TRADE_NO,
	S_PRODUCT_NAMES,
	S_MEMO_NAMES,
	S_RECEIPT_NAMES,
	S_RECEIPT_CONTACT,
	S_AMOUNT_TIME,
	S_AMOUNT_TIME_RECEIPT,
	S_COMPAT_SAME,
	S_COMPAT_ALIAS,
	S_COMPAT_RESEMBLES,
	S_COMPAT_AGGREGATOR_ONLY,
	S_AGGREGATOR,
	S_TIE_ORDER,
	S_TIE_PAYMENT,
	S_SECOND_CHARGE,
	S_REFUND_STATEMENT,
	S_REFUND_EXTENDS,
	S_REFUND_SAME_ORDER_NO,
	S_MANUAL,
	S_REMOVED,
	S_VETOED,
	S_LEGACY,
	S_SEC_AFTER,
	S_SEC_BEFORE,
	S_MIN_AFTER,
	S_MIN_BEFORE,
	S_HOURS_AFTER,
	S_HOURS_BEFORE,
	S_COUNT
};

/* printf formats with numbered arguments, all strings */
static const struct sentence {
	const char *en, *zh;
} sentences[S_COUNT] = {
	[S_MERCHANT_ORDER_NO] = { N_("merchant order no %1$s equals the order "
				     "number"),
				  "商户订单号 %1$s 与订单号相同" },
	[S_TRADE_NO] = { N_("transaction no %1$s is the order's trade number"),
			 "交易号 %1$s 与订单记录的支付流水号相同" },
	[S_PRODUCT_NAMES] = { N_("the payment's product text names order %1$s"),
			      "付款的商品说明中写有订单号 %1$s" },
	[S_MEMO_NAMES] = { N_("the payment's memo names order %1$s"),
			   "付款的备注中写有订单号 %1$s" },
	[S_RECEIPT_NAMES] = { N_("the receipt names order number %1$s"),
			      "回执中写有订单号 %1$s" },
	[S_RECEIPT_CONTACT] = { N_("the receipt names no order; it went to the "
				   "order's contact %1$s, from the same shop, "
				   "after order %2$s"),
				"回执中没有订单号；它发往订单 %2$s 留下的联系方式 "
				"%1$s，来自同一店铺，时间在下单之后" },
	[S_AMOUNT_TIME] = { N_("same amount %1$s, paid %2$s the order; "
			       "%3$s%4$s"),
			    "金额同为 %1$s，付款在下单%2$s；%3$s%4$s" },
	[S_AMOUNT_TIME_RECEIPT] = { N_("same amount %1$s, paid %2$s the "
				       "receipt (no order record); %3$s%4$s"),
				    "金额同为 %1$s，付款在回执%2$s（没有订单记录）；"
				    "%3$s%4$s" },
	[S_COMPAT_SAME] = { N_("merchant %1$s is the shop"),
			    "收款方“%1$s”就是该店铺" },
	[S_COMPAT_ALIAS] = { N_("merchant %1$s is an alias of %2$s"),
			     "收款方“%1$s”是“%2$s”的别名" },
	[S_COMPAT_RESEMBLES] = { N_("merchant %1$s resembles %2$s"),
				 "收款方“%1$s”与“%2$s”名称相近" },
	[S_COMPAT_AGGREGATOR_ONLY] = { N_("merchant %1$s is a payment "
					  "aggregator, not the shop: amount "
					  "and time only"),
				       "收款方“%1$s”是聚合支付平台而非店铺："
				       "仅凭金额和时间" },
	[S_AGGREGATOR] = { N_(" (a payment aggregator)"), "（聚合支付平台）" },
	[S_TIE_ORDER] = { N_(" (tie with order #%1$s: the older record wins)"),
			  "（与订单 #%1$s 条件相同：取较早的记录）" },
	[S_TIE_PAYMENT] = { N_(" (tie with payment #%1$s: the older record "
			       "wins)"),
			    "（与付款 #%1$s 条件相同：取较早的记录）" },
	[S_SECOND_CHARGE] = { N_("same merchant and amount %1$s as payment "
				 "#%2$s (%3$s it), which pays this order: a "
				 "second charge"),
			      "与付款 #%2$s 收款方相同、金额同为 %1$s（在其%3$s），"
			      "而那笔付款已支付此订单：这是第二次扣款" },
	[S_REFUND_STATEMENT] = { N_("refunds %1$s of payment #%2$s (%3$s), as "
				    "the statement shows"),
				 "账单显示：退还付款 #%2$s（%3$s）中的 %1$s" },
	[S_REFUND_EXTENDS] = { N_("refunds payment #%1$s (%2$s): its "
				  "transaction no %3$s extends the original's"),
			       "退还付款 #%1$s（%2$s）：退款交易号 %3$s "
			       "由原交易号加后缀而成" },
	[S_REFUND_SAME_ORDER_NO] = { N_("refunds payment #%1$s (%2$s): same "
					"merchant and merchant order no %3$s"),
				     "退还付款 #%1$s（%2$s）：收款方相同，"
				     "商户订单号同为 %3$s" },
	[S_MANUAL] = { N_("linked by hand"), "手动关联" },
	[S_REMOVED] = { N_("removed by hand (was: %1$s)"),
			"已手动取消关联（原为：%1$s）" },
	[S_VETOED] = { N_("kept apart by hand"), "已手动排除关联" },
	[S_LEGACY] = { N_("%1$s (explained by an older version; run 'kmvault "
			  "match' to update)"),
		       "%1$s（旧版本记录的说明；运行“kmvault match”可更新）" },
	[S_SEC_AFTER] = { N_("%1$s s after"), "后 %1$s 秒" },
	[S_SEC_BEFORE] = { N_("%1$s s before"), "前 %1$s 秒" },
	[S_MIN_AFTER] = { N_("%1$s min after"), "后 %1$s 分钟" },
	[S_MIN_BEFORE] = { N_("%1$s min before"), "前 %1$s 分钟" },
	[S_HOURS_AFTER] = { N_("%1$s h after"), "后 %1$s 小时" },
	[S_HOURS_BEFORE] = { N_("%1$s h before"), "前 %1$s 小时" },
};

bool kmv_match__explain_pair(size_t i, const char **en, const char **zh)
{
	if (i >= S_COUNT)
		return false;
	*en = sentences[i].en;
	*zh = sentences[i].zh;
	return true;
}

static const char *format_of(int s, kmv_lang lang)
{
	switch (lang) {
	case KMV_LANG_ZH: return sentences[s].zh;
	case KMV_LANG_EN: return sentences[s].en;
	default: return _(sentences[s].en);
	}
}

/* Append sentence `s` with up to four string arguments. */
static int say(kmv_buf *out, int s, kmv_lang lang, const char *a1,
	       const char *a2, const char *a3, const char *a4)
{
	int error;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	error = kmv_buf_printf(out, format_of(s, lang), a1 ? a1 : "?",
			       a2 ? a2 : "?", a3 ? a3 : "?", a4 ? a4 : "");
#pragma GCC diagnostic pop
	return error < 0 ? error : 0;
}

/* The same into a fixed buffer (a part of a bigger sentence). */
static const char *part(char *buf, size_t size, int s, kmv_lang lang,
			const char *a1, const char *a2)
{
	kmv_buf b = KMV_BUF_INIT;

	buf[0] = '\0';
	if (say(&b, s, lang, a1, a2, NULL, NULL) == 0 && b.ptr)
		snprintf(buf, size, "%s", b.ptr);
	kmv_buf_dispose(&b);
	return buf;
}

/* "5 min after" / "后 5 分钟": the payment against the order. */
static const char *delta_words(char *buf, size_t size, int64_t seconds,
			       kmv_lang lang)
{
	bool after = seconds >= 0;
	int64_t s = after ? seconds : -seconds;
	char n[32];

	if (s < 60) {
		snprintf(n, sizeof(n), "%" PRId64, s);
		return part(buf, size, after ? S_SEC_AFTER : S_SEC_BEFORE, lang,
			    n, NULL);
	}
	if (s < 2 * 3600) {
		snprintf(n, sizeof(n), "%" PRId64, s / 60);
		return part(buf, size, after ? S_MIN_AFTER : S_MIN_BEFORE, lang,
			    n, NULL);
	}
	snprintf(n, sizeof(n), "%.1f", (double)s / 3600.0);
	return part(buf, size, after ? S_HOURS_AFTER : S_HOURS_BEFORE, lang, n,
		    NULL);
}

static const char *get_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "?";
}

static bool get_int(json_t *o, const char *key, int64_t *v)
{
	json_t *x = json_object_get(o, key);

	if (!json_is_integer(x))
		return false;
	*v = (int64_t)json_integer_value(x);
	return true;
}

static const char *money_of(char buf[KMV_MONEY_BUFSZ], json_t *o,
			    const char *key)
{
	int64_t fen;

	if (!get_int(o, key, &fen))
		return "?";
	return kmv_money_format(buf, fen);
}

static const char *id_of(char buf[32], json_t *o, const char *key)
{
	int64_t id;

	if (!get_int(o, key, &id))
		return "?";
	snprintf(buf, 32, "%" PRId64, id);
	return buf;
}

static int amount_time(kmv_buf *out, json_t *o, kmv_lang lang)
{
	char amount[KMV_MONEY_BUFSZ], delta[96], compat[768], tie[160], id[32];
	const char *how = json_string_value(json_object_get(o, "compat"));
	const char *merchant = get_str(o, "merchant"),
		   *name = get_str(o, "name");
	int64_t dt = 0, flag = 0;
	int s;

	get_int(o, "delta", &dt);
	if (!how || strcmp(how, "none") == 0)
		s = S_COMPAT_AGGREGATOR_ONLY;
	else if (strcmp(how, "same") == 0)
		s = S_COMPAT_SAME;
	else if (strcmp(how, "alias") == 0)
		s = S_COMPAT_ALIAS;
	else
		s = S_COMPAT_RESEMBLES;
	part(compat, sizeof(compat), s, lang, merchant, name);
	if (s != S_COMPAT_AGGREGATOR_ONLY && get_int(o, "aggregator", &flag) &&
	    flag) {
		size_t n = strlen(compat);

		part(compat + n, sizeof(compat) - n, S_AGGREGATOR, lang, NULL,
		     NULL);
	}
	tie[0] = '\0';
	if (json_object_get(o, "tie_order"))
		part(tie, sizeof(tie), S_TIE_ORDER, lang,
		     id_of(id, o, "tie_order"), NULL);
	else if (json_object_get(o, "tie_payment"))
		part(tie, sizeof(tie), S_TIE_PAYMENT, lang,
		     id_of(id, o, "tie_payment"), NULL);
	flag = 0;
	get_int(o, "group", &flag);
	return say(out, flag ? S_AMOUNT_TIME_RECEIPT : S_AMOUNT_TIME, lang,
		   money_of(amount, o, "amount"),
		   delta_words(delta, sizeof(delta), dt, lang), compat, tie);
}

static int coded(kmv_buf *out, json_t *o, const char *why, const char *rule,
		 kmv_lang lang)
{
	static const struct {
		const char *why;
		int s;
	} numbers[] = { { "merchant_order_no", S_MERCHANT_ORDER_NO },
			{ "trade_no", S_TRADE_NO },
			{ "product_names", S_PRODUCT_NAMES },
			{ "memo_names", S_MEMO_NAMES },
			{ "receipt_names", S_RECEIPT_NAMES } };
	char m1[KMV_MONEY_BUFSZ], m2[KMV_MONEY_BUFSZ], id[32], delta[96];
	int64_t dt = 0;

	for (size_t i = 0; i < KMV_ARRAY_SIZE(numbers); i++)
		if (strcmp(why, numbers[i].why) == 0)
			return say(out, numbers[i].s, lang, get_str(o, "no"),
				   NULL, NULL, NULL);
	if (strcmp(why, "receipt_contact") == 0)
		return say(out, S_RECEIPT_CONTACT, lang, get_str(o, "contact"),
			   get_str(o, "no"), NULL, NULL);
	if (strcmp(why, "amount_time") == 0)
		return amount_time(out, o, lang);
	if (strcmp(why, "second_charge") == 0) {
		get_int(o, "delta", &dt);
		return say(out, S_SECOND_CHARGE, lang,
			   money_of(m1, o, "amount"), id_of(id, o, "payment"),
			   delta_words(delta, sizeof(delta), dt, lang), NULL);
	}
	if (strcmp(why, "refund_statement") == 0)
		return say(out, S_REFUND_STATEMENT, lang,
			   money_of(m1, o, "amount"), id_of(id, o, "payment"),
			   money_of(m2, o, "original"), NULL);
	if (strcmp(why, "refund_extends") == 0 ||
	    strcmp(why, "refund_same_order_no") == 0)
		return say(out,
			   why[7] == 'e' ? S_REFUND_EXTENDS
					 : S_REFUND_SAME_ORDER_NO,
			   lang, id_of(id, o, "payment"),
			   money_of(m1, o, "amount"), get_str(o, "no"), NULL);
	if (strcmp(why, "manual") == 0) {
		const char *note = json_string_value(
			json_object_get(o, "note"));

		if (note && *note)
			return kmv_buf_puts(out, note) < 0 ? KMV_ERROR : 0;
		return say(out, S_MANUAL, lang, NULL, NULL, NULL, NULL);
	}
	if (strcmp(why, "removed") == 0)
		return say(out, S_REMOVED, lang,
			   kmv_label_lang(KMV_LABEL_RULE, get_str(o, "was"),
					  lang),
			   NULL, NULL, NULL);
	if (strcmp(why, "vetoed") == 0)
		return say(out, S_VETOED, lang, NULL, NULL, NULL, NULL);
	/* a code from a newer version: the rule's words */
	return kmv_buf_puts(out, kmv_label_lang(KMV_LABEL_RULE, rule, lang)) < 0
		       ? KMV_ERROR
		       : 0;
}

/*
 * Text written by versions before the codes: the user's own note of a
 * manual link stays as typed; kmvault's English sentences are shown as
 * they are to an English reader, and as the rule's words to others.
 */
static int legacy(kmv_buf *out, const char *text, const char *rule, int manual,
		  kmv_lang lang)
{
	static const char removed[] = "removed by hand (was ";

	if (manual > 0 && strcmp(text, "linked by hand") != 0)
		return kmv_buf_puts(out, text) < 0 ? KMV_ERROR : 0;
	if (manual > 0)
		return say(out, S_MANUAL, lang, NULL, NULL, NULL, NULL);
	if (manual < 0 && strncmp(text, removed, sizeof(removed) - 1) == 0) {
		char was[64];
		size_t n = strlen(text + sizeof(removed) - 1);

		snprintf(was, sizeof(was), "%.*s", n ? (int)(n - 1) : 0,
			 text + sizeof(removed) - 1);
		return say(out, S_REMOVED, lang,
			   kmv_label_lang(KMV_LABEL_RULE, was, lang), NULL,
			   NULL, NULL);
	}
	if (manual < 0)
		return say(out, S_VETOED, lang, NULL, NULL, NULL, NULL);
	if (kmv_lang_resolve(lang) == KMV_LANG_EN)
		return kmv_buf_puts(out, text) < 0 ? KMV_ERROR : 0;
	return say(out, S_LEGACY, lang,
		   kmv_label_lang(KMV_LABEL_RULE, rule ? rule : "", lang), NULL,
		   NULL, NULL);
}

bool kmv_match_explain_coded(const char *stored)
{
	return stored && strncmp(stored, "{\"why\":", 7) == 0;
}

int kmv_match_explain(kmv_buf *out, const char *stored, const char *rule,
		      int manual, kmv_lang lang)
{
	json_t *o = NULL;
	const char *why;
	int error = 0;

	KMV_ASSERT_ARG(out);
	kmv_buf_clear(out);
	if (!stored)
		stored = "";
	if (kmv_match_explain_coded(stored) &&
	    (o = json_loads(stored, 0, NULL)) && json_is_object(o) &&
	    (why = json_string_value(json_object_get(o, "why"))))
		error = coded(out, o, why, rule ? rule : "", lang);
	else
		error = legacy(out, stored, rule, manual, lang);
	json_decref(o);
	if (error == 0 && !out->ptr)
		error = kmv_buf_puts(out, "") < 0 ? KMV_ERROR : 0;
	return error;
}
