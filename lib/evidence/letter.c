/* SPDX-License-Identifier: MIT */
/*
 * The dispute letter (letter.h, docs/evidence.md).  Every sentence is
 * written here in both languages, picked by in->lang: the letter is for a
 * Chinese shop or payment channel, so it does not follow the locale.
 * Only facts go in (times, amounts, numbers, the problem, the files and
 * their hashes, the claim and its basis); what the user should do next
 * is the CLI's to print.
 */
#include "evidence/letter.h"
#include "report/report.h"

#include "kmvutil/money.h"
#include "kmv/report.h"
#include "kmvutil/hash.h"

#define BLANK "________"

struct letter {
	const struct letter_input *in;
	const kmv_bag *bag;
	size_t nfiles;            /* evidence = the bag's first nfiles files */
	const char *respondent;   /* the shop, NULL when unknown */
	const char *channel;      /* 支付宝 / 微信支付 (label), NULL */
	const char *channel_code; /* alipay / wechat */
	const struct brec
		*charge; /* the charge in question (first payment out) */
	kmv_buf t;
};

static bool en(const struct letter *l)
{
	return l->in->lang == KMV_LANG_EN;
}

/* A sender field from the config, or the blank to fill in by hand. */
static const char *given(const char *v)
{
	return v && *v ? v : BLANK;
}

#define L(zh, en_) (en(l) ? (en_) : (zh))

static bool eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const char *money(char buf[KMV_MONEY_BUFSZ], int64_t fen)
{
	return kmv_money_format(buf, fen);
}

/* Two digits of an ISO time as a number ("03" -> 3). */
static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "2024年3月12日 12:05" / "2024-03-12 12:05" from an ISO time. */
static const char *when(const struct letter *l, char out[64], const char *iso)
{
	if (!iso || strlen(iso) < 16) {
		snprintf(out, 64, "%s", L("时间不详", "time unknown"));
		return out;
	}
	if (en(l))
		snprintf(out, 64, "%.10s %.5s", iso, iso + 11);
	else
		snprintf(out, 64, "%.4s年%d月%d日 %.5s", iso,
			 two_digits(iso + 5), two_digits(iso + 8), iso + 11);
	return out;
}

static const char *when_ts(const struct letter *l, char out[64], int64_t ts)
{
	kmv_time t = { ts, KMV_TZ_CST };
	char iso[KMV_TIME_BUFSZ];

	return when(l, out, kmv_time_format(iso, &t));
}

static const char *date_of(const struct letter *l, char out[64],
			   const char *iso)
{
	if (!iso || strlen(iso) < 10)
		snprintf(out, 64, BLANK);
	else if (en(l))
		snprintf(out, 64, "%.10s", iso);
	else
		snprintf(out, 64, "%.4s年%d月%d日", iso, two_digits(iso + 5),
			 two_digits(iso + 8));
	return out;
}

/* A source kind spelled as a platform ("orders") is no shop's name. */
static bool is_source_code(const char *s)
{
	return !s || !*s || kmv_label_known(KMV_LABEL_SOURCE, s);
}

static const struct brec *find_rec(const struct letter *l, int64_t id)
{
	for (size_t i = 0; i < l->in->nrecs; i++)
		if (l->in->recs[i].rec.id == id)
			return &l->in->recs[i];
	return NULL;
}

static bool is_payment_out(const struct brec *r)
{
	return r->rec.kind == KMV_KIND_PAYMENT &&
	       r->rec.direction == KMV_DIR_OUT;
}

static void pick_parties(struct letter *l)
{
	const struct letter_input *in = l->in;

	if (in->kase && !is_source_code(in->kase->counterparty))
		l->respondent = in->kase->counterparty;
	for (size_t i = 0; i < in->nrecs && !l->respondent; i++)
		if ((in->recs[i].rec.kind == KMV_KIND_ORDER) &&
		    !is_source_code(in->recs[i].rec.platform))
			l->respondent = in->recs[i].rec.platform;
	for (size_t i = 0; i < in->nrecs && !l->respondent; i++)
		if (in->recs[i].rec.kind == KMV_KIND_RECEIPT) {
			if (!is_source_code(in->recs[i].rec.platform))
				l->respondent = in->recs[i].rec.platform;
			else if (!is_source_code(in->recs[i].rec.merchant))
				l->respondent = in->recs[i].rec.merchant;
		}
	for (size_t i = 0; i < in->nrecs && !l->respondent; i++)
		if ((in->recs[i].rec.kind == KMV_KIND_PAYMENT) &&
		    !is_source_code(in->recs[i].rec.merchant))
			l->respondent = in->recs[i].rec.merchant;
	/*
	 * The charge in question: the anomaly's payment out (its last one for
	 * a duplicate charge: the extra one), else the bundle's first.
	 */
	if (in->nanomalies) {
		const struct letter_anomaly *a = &in->anomalies[0];
		bool last = eq(a->type, "duplicate_charge");

		for (size_t k = 0; k < a->nrecords; k++) {
			const struct brec *r = find_rec(l, a->records[k]);

			if (r && is_payment_out(r) &&
			    (!l->charge ||
			     (last &&
			      r->rec.time.epoch >= l->charge->rec.time.epoch)))
				l->charge = r;
		}
	}
	for (size_t i = 0; i < in->nrecs && !l->charge; i++)
		if (is_payment_out(&in->recs[i]))
			l->charge = &in->recs[i];
	if (l->charge && (eq(l->charge->rec.source_kind, "alipay") ||
			  eq(l->charge->rec.source_kind, "wechat"))) {
		l->channel_code = l->charge->rec.source_kind;
		l->channel = kmv_label_lang(KMV_LABEL_SOURCE, l->channel_code,
					    in->lang);
	}
}

static const char *main_type(const struct letter *l)
{
	if (l->in->nanomalies)
		return l->in->anomalies[0].type;
	return l->in->kase ? l->in->kase->reason : NULL;
}

/* The claim is against the charge itself: the channel can act on it. */
static bool against_charge(const struct letter *l)
{
	const char *t = main_type(l);

	return l->channel &&
	       (eq(t, "duplicate_charge") || eq(t, "refund_missing") ||
		eq(t, "payment_without_order") || eq(t, "unknown_merchant") ||
		eq(t, "unauthorized"));
}

static const char *order_no(const struct letter *l)
{
	const struct letter_input *in = l->in;

	if (in->nanomalies && in->anomalies[0].order_no)
		return in->anomalies[0].order_no;
	for (size_t i = 0; i < in->nrecs; i++)
		if (in->recs[i].rec.order_no)
			return in->recs[i].rec.order_no;
	if (in->order_no)
		return in->order_no;
	return l->charge && l->charge->rec.merchant_order_no
		       ? l->charge->rec.merchant_order_no
		       : BLANK;
}

static const char *state_words(const struct letter *l, const struct brec *r)
{
	return kmv_label_lang(KMV_LABEL_STATUS,
			      r->rec.status ? r->rec.status : "unknown",
			      l->in->lang);
}

/* ---- sections --------------------------------------------------------- */

static int header(struct letter *l, bool to_channel)
{
	const char *type = main_type(l);
	const char *what = type ? kmv_label_lang(KMV_LABEL_ANOMALY, type,
						 l->in->lang)
				: NULL;
	int error = 0;

	if (l->in->kase &&
	    !kmv_label_known(KMV_LABEL_ANOMALY, type ? type : ""))
		what = kmv_label_lang(KMV_LABEL_CASE_REASON, type, l->in->lang);
	KMV_TRY(kmv_buf_printf(
		&l->t, "%s\n\n",
		to_channel ? (en(l) ? "Request for Payment Dispute Handling"
				    : "支付争议处理申请书")
			   : L("申诉书", "Complaint")));
	{
		const struct letter_input *in = l->in;
		bool address = in->sender_address && *in->sender_address;
		bool email = in->sender_email && *in->sender_email;

		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("%s：%s　联系电话：%s　联系地址或电子邮箱：%s%s%s\n",
			  "%s: %s   Telephone: %s   Address or e-mail: %s%s%s\n"),
			to_channel ? L("申请人", "Applicant")
				   : L("申诉人", "Complainant"),
			given(in->sender_name), given(in->sender_phone),
			address ? in->sender_address
			: email ? ""
				: BLANK,
			address && email ? L("；", "; ") : "",
			email ? in->sender_email : ""));
		if (in->sender_id_number && *in->sender_id_number)
			KMV_TRY(kmv_buf_printf(&l->t,
					       L("身份证号码：%s\n",
						 "ID number: %s\n"),
					       in->sender_id_number));
	}
	if (to_channel) {
		KMV_TRY(kmv_buf_printf(&l->t,
				       L("受理方：%s 争议处理\n",
					 "To: %s, payment disputes\n"),
				       l->channel));
		KMV_TRY(kmv_buf_printf(
			&l->t, L("涉及商户：%s\n", "Merchant: %s\n"),
			l->respondent ? l->respondent
				      : L("未知店铺（名称：" BLANK "）",
					  "unknown shop (name: " BLANK ")")));
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("涉及交易：交易单号 %s，金额 %s 元，付款时间 %s\n",
			  "Transaction: number %s, %s yuan, paid %s\n"),
			l->charge->rec.payment_no ? l->charge->rec.payment_no
						  : BLANK,
			money((char[KMV_MONEY_BUFSZ]){ 0 },
			      l->charge->rec.amount),
			when(l, (char[64]){ 0 }, l->charge->time)));
	} else {
		KMV_TRY(kmv_buf_printf(
			&l->t, L("被申诉方：%s\n", "Respondent: %s\n"),
			l->respondent ? l->respondent
				      : L("未知店铺（名称：" BLANK "）",
					  "unknown shop (name: " BLANK ")")));
	}
	if (what)
		KMV_TRY(kmv_buf_printf(&l->t,
				       L("%1$s：订单 %2$s %3$s\n",
					 "%1$.0sSubject: order %2$s, %3$s\n"),
				       to_channel ? "申请事项" : "申诉事项",
				       order_no(l), what));
	else
		KMV_TRY(kmv_buf_printf(&l->t,
				       L("%1$s：订单 %2$s\n",
					 "%1$.0sSubject: order %2$s\n"),
				       to_channel ? "申请事项" : "申诉事项",
				       order_no(l)));
	KMV_TRY(kmv_buf_putc(&l->t, '\n'));
done:
	return error;
}

static int fact(struct letter *l, const struct brec *r)
{
	char w[64], m[KMV_MONEY_BUFSZ];
	const char *amount = r->rec.has_amount ? money(m, r->rec.amount)
					       : BLANK;
	/* a payment channel's name; a receipt's file kind names none */
	const char *chan = r->rec.source_kind &&
					   (eq(r->rec.source_kind, "alipay") ||
					    eq(r->rec.source_kind, "wechat") ||
					    eq(r->rec.source_kind, "jd"))
				   ? kmv_label_lang(KMV_LABEL_SOURCE,
						    r->rec.source_kind,
						    l->in->lang)
				   : L("网上支付", "online payment");
	const char *party = r->rec.merchant ? r->rec.merchant
			    : !is_source_code(r->rec.platform)
				    ? r->rec.platform
				    : L("商户", "the merchant");
	const char *shop = !is_source_code(r->rec.platform) ? r->rec.platform
			   : r->rec.merchant                ? r->rec.merchant
					     : L("该店铺", "the shop");
	const char *pno = r->rec.payment_no ? r->rec.payment_no : BLANK;

	when(l, w, r->time);
	if (r->rec.kind == KMV_KIND_ORDER)
		return kmv_buf_printf(
			&l->t,
			L("%1$s，本人在“%2$s”下单购买“%3$s”，订单号 %4$s，订单金额 %5$s 元，"
			  "订单状态为“%6$s”。\n",
			  "%1$s: I ordered \"%3$s\" from %2$s, order number %4$s, %5$s yuan; "
			  "the order shows \"%6$s\".\n"),
			w, shop, r->rec.product ? r->rec.product : BLANK,
			r->rec.order_no ? r->rec.order_no : BLANK, amount,
			state_words(l, r));
	if (r->rec.kind == KMV_KIND_RECEIPT)
		return kmv_buf_printf(
			&l->t,
			L("%1$s，本人收到“%2$s”的邮件通知（订单号 %3$s，金额 %4$s 元），"
			  "状态为“%5$s”。\n",
			  "%1$s: an e-mail from %2$s (order number %3$s, %4$s yuan) says "
			  "\"%5$s\".\n"),
			w, party, r->rec.order_no ? r->rec.order_no : BLANK,
			amount, state_words(l, r));
	if (r->rec.direction == KMV_DIR_OUT) {
		if (r->rec.merchant_order_no)
			return kmv_buf_printf(
				&l->t,
				L("%1$s，本人通过%2$s向“%3$s”付款 %4$s 元，交易单号 %5$s，"
				  "商户单号 %6$s。\n",
				  "%1$s: I paid %3$s %4$s yuan through %2$s, transaction "
				  "number %5$s, merchant order number %6$s.\n"),
				w, chan, party, amount, pno,
				r->rec.merchant_order_no);
		return kmv_buf_printf(
			&l->t,
			L("%1$s，本人通过%2$s向“%3$s”付款 %4$s 元，交易单号 %5$s。\n",
			  "%1$s: I paid %3$s %4$s yuan through %2$s, transaction number "
			  "%5$s.\n"),
			w, chan, party, amount, pno);
	}
	if ((r->rec.direction == KMV_DIR_IN) || eq(r->rec.status, "refunded") ||
	    eq(r->rec.status, "partially_refunded"))
		return kmv_buf_printf(
			&l->t,
			L("%1$s，“%2$s”退回 %3$s 元，交易单号 %4$s。\n",
			  "%1$s: %2$s refunded %3$s yuan, transaction number %4$s.\n"),
			w, party, amount, pno);
	return kmv_buf_printf(
		&l->t,
		L("%1$s，账单中有一笔与“%2$s”有关的款项 %3$s 元（%4$s），交易单号 %5$s。\n",
		  "%1$s: the statement lists %3$s yuan with %2$s (%4$s), transaction "
		  "number %5$s.\n"),
		w, party, amount, state_words(l, r), pno);
}

static int facts(struct letter *l)
{
	int error = 0;

	KMV_TRY(kmv_buf_puts(&l->t, L("一、事情经过\n", "1. What happened\n")));
	for (size_t i = 0; i < l->in->nrecs; i++) {
		KMV_TRY(kmv_buf_printf(&l->t, "%zu. ", i + 1));
		KMV_TRY(fact(l, &l->in->recs[i]));
	}
	KMV_TRY(kmv_buf_putc(&l->t, '\n'));
done:
	return error;
}

/* The charges of an anomaly: count, sum, first and last, and its order. */
struct charge_sum {
	size_t n;
	int64_t sum;
	const struct brec *first, *last, *order;
};

static void charges(const struct letter *l, const struct letter_anomaly *a,
		    struct charge_sum *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t k = 0; k < a->nrecords; k++) {
		const struct brec *r = find_rec(l, a->records[k]);

		if (!r)
			continue;
		if ((r->rec.kind == KMV_KIND_ORDER) && !c->order)
			c->order = r;
		if (!is_payment_out(r))
			continue;
		c->n++;
		c->sum += r->rec.amount;
		if (!c->first || r->rec.time.epoch < c->first->rec.time.epoch)
			c->first = r;
		if (!c->last || r->rec.time.epoch > c->last->rec.time.epoch)
			c->last = r;
	}
	if (!c->order)
		for (size_t i = 0; i < l->in->nrecs && !c->order; i++)
			if ((l->in->recs[i].rec.kind == KMV_KIND_ORDER) &&
			    a->order_no &&
			    eq(l->in->recs[i].rec.order_no, a->order_no))
				c->order = &l->in->recs[i];
}

/*
 * What a problem's sentence is made of: the order number, the charges,
 * their first and last time (w1, w2) and now (w3) in the letter's words.
 */
struct problem_facts {
	const char *no;
	struct charge_sum c;
	char w1[64], w2[64], w3[64];
};

static void problem_facts(struct letter *l, const struct letter_anomaly *a,
			  struct problem_facts *f)
{
	char nowiso[KMV_TIME_BUFSZ];
	kmv_time now = l->in->now;

	f->no = a->order_no ? a->order_no : order_no(l);
	charges(l, a, &f->c);
	kmv_time_format(nowiso, &now);
	when(l, f->w3, nowiso);
	when(l, f->w1, f->c.first ? f->c.first->time : NULL);
	when(l, f->w2, f->c.last ? f->c.last->time : NULL);
}

static int problem_duplicate(struct letter *l, const struct letter_anomaly *a,
			     struct problem_facts *f)
{
	char m1[KMV_MONEY_BUFSZ], m2[KMV_MONEY_BUFSZ];

	return kmv_buf_printf(
		&l->t,
		L("订单 %1$s 只应付款一次，但本人在 %2$s 至 %3$s 期间被扣款 %4$zu 次，"
		  "合计 %5$s 元，其中 %6$s 元为重复扣款。\n",
		  "Order %1$s was to be paid once, but I was charged %4$zu times "
		  "between %2$s and %3$s, %5$s yuan in total, of which %6$s yuan is "
		  "a duplicate charge.\n"),
		f->no, f->w1, f->w2, f->c.n, money(m1, f->c.sum),
		money(m2, a->amount));
}

static int problem_mismatch(struct letter *l, const struct letter_anomaly *a,
			    struct problem_facts *f)
{
	char m1[KMV_MONEY_BUFSZ], m2[KMV_MONEY_BUFSZ], m3[KMV_MONEY_BUFSZ];

	return kmv_buf_printf(
		&l->t,
		L("订单 %1$s 的金额为 %2$s 元，但本人实际被扣款 %3$s 元，相差 %4$s 元。\n",
		  "Order %1$s costs %2$s yuan, but I was charged %3$s yuan, a "
		  "difference of %4$s yuan.\n"),
		f->no,
		f->c.order && f->c.order->rec.has_amount
			? money(m1, f->c.order->rec.amount)
			: BLANK,
		money(m2, f->c.sum), money(m3, a->amount));
}

static int problem_undelivered(struct letter *l, const struct letter_anomaly *a,
			       struct problem_facts *f)
{
	char m1[KMV_MONEY_BUFSZ];

	return kmv_buf_printf(
		&l->t,
		L("本人已于 %1$s 付款 %2$s 元，但截至 %3$s，订单 %4$s 仍显示为“%5$s”，"
		  "贵方至今未交付商品，已超过约定的交付时间。\n",
		  "I paid %2$s yuan on %1$s, but as of %3$s order %4$s still shows "
		  "\"%5$s\": the goods have not been delivered, past the agreed time.\n"),
		f->c.first ? f->w1 : when_ts(l, f->w1, a->ts),
		money(m1, a->amount), f->w3, f->no,
		f->c.order ? state_words(l, f->c.order)
			   : L("未发货", "not delivered"));
}

static int problem_refund_missing(struct letter *l,
				  const struct letter_anomaly *a,
				  struct problem_facts *f)
{
	char m1[KMV_MONEY_BUFSZ];

	return kmv_buf_printf(
		&l->t,
		L("订单 %1$s 已显示为“%2$s”，但本人于 %3$s 支付的 %4$s 元截至 %5$s "
		  "仍未退回本人账户。\n",
		  "Order %1$s shows \"%2$s\", but the %4$s yuan I paid on %3$s had not "
		  "come back to my account by %5$s.\n"),
		f->no,
		f->c.order ? state_words(l, f->c.order) : L("已关闭", "closed"),
		f->c.last ? f->w2 : when_ts(l, f->w2, a->ts),
		money(m1, a->amount), f->w3);
}

/* payment_without_order, unknown_merchant: the same facts; only what the
 * buyer says of them differs. */
static int problem_unexplained(struct letter *l, const struct letter_anomaly *a,
			       struct problem_facts *f)
{
	char m1[KMV_MONEY_BUFSZ];
	const struct brec *first = f->c.first;

	return kmv_buf_printf(
		&l->t,
		eq(a->type, "unknown_merchant")
			? L("本人的账户于 %1$s 向“%2$s”付款 %3$s 元（交易单号 %4$s），"
			    "本人不认识该商户，也从未授权这笔付款。\n",
			    "On %1$s my account paid %2$s %3$s yuan (transaction number %4$s); "
			    "I do not know this merchant and never authorised the payment.\n")
			: L("本人于 %1$s 向“%2$s”付款 %3$s 元（交易单号 %4$s），"
			    "但没有收到对应的订单、商品或卡密。\n",
			    "On %1$s I paid %2$s %3$s yuan (transaction number %4$s) but "
			    "received no order, goods or card code for it.\n"),
		f->w1,
		first && first->rec.merchant ? first->rec.merchant : BLANK,
		money(m1, a->amount),
		first && first->rec.payment_no ? first->rec.payment_no : BLANK);
}

static int problem(struct letter *l, const struct letter_anomaly *a)
{
	char m1[KMV_MONEY_BUFSZ];
	struct problem_facts f;

	problem_facts(l, a, &f);
	if (eq(a->type, "duplicate_charge"))
		return problem_duplicate(l, a, &f);
	if (eq(a->type, "amount_mismatch"))
		return problem_mismatch(l, a, &f);
	if (eq(a->type, "undelivered"))
		return problem_undelivered(l, a, &f);
	if (eq(a->type, "refund_missing"))
		return problem_refund_missing(l, a, &f);
	if (eq(a->type, "payment_without_order") ||
	    eq(a->type, "unknown_merchant"))
		return problem_unexplained(l, a, &f);
	return kmv_buf_printf(&l->t,
			      L("订单 %1$s：%2$s（涉及金额 %3$s 元）。\n",
				"Order %1$s: %2$s (%3$s yuan).\n"),
			      f.no,
			      kmv_label_lang(KMV_LABEL_ANOMALY, a->type,
					     l->in->lang),
			      money(m1, a->amount));
}

static int problems(struct letter *l)
{
	int error = 0;

	KMV_TRY(kmv_buf_puts(&l->t, L("二、存在的问题\n", "2. The problem\n")));
	for (size_t i = 0; i < l->in->nanomalies; i++) {
		KMV_TRY(kmv_buf_printf(&l->t, "%zu. ", i + 1));
		KMV_TRY(problem(l, &l->in->anomalies[i]));
	}
	if (!l->in->nanomalies) {
		if (l->in->kase && l->in->kase->reason)
			KMV_TRY(kmv_buf_printf(
				&l->t,
				L("1. 订单 %1$s：%2$s。\n",
				  "1. Order %1$s: %2$s.\n"),
				order_no(l),
				kmv_label_lang(KMV_LABEL_CASE_REASON,
					       l->in->kase->reason,
					       l->in->lang)));
		else
			KMV_TRY(kmv_buf_puts(&l->t, "1. " BLANK "\n"));
	}
	if (l->in->kase && l->in->kase->note)
		KMV_TRY(kmv_buf_printf(&l->t,
				       L("补充说明：%s\n", "Further: %s\n"),
				       l->in->kase->note));
	KMV_TRY(kmv_buf_putc(&l->t, '\n'));
done:
	return error;
}

static const char *describe_file(const struct letter *l, const char *path)
{
	if (eq(path, "data/records.json"))
		return L("全部相关记录的数据文件", "all the records (JSON)");
	if (eq(path, "data/records.csv"))
		return L("全部相关记录明细表", "the records as a table (CSV)");
	if (eq(path, "data/timeline.txt"))
		return L("按时间排列的经过", "the timeline");
	if (eq(path, "data/sources/excerpts.txt"))
		return L("账单和订单原始文件中的相关行",
			 "the lines of the original statements");
	if (strncmp(path, "data/sources/", 13) == 0)
		return L("原始账单或订单文件",
			 "an original statement or order file");
	if (strncmp(path, "data/attachments/", 17) == 0)
		return L("附件：截图、聊天记录或规则页面",
			 "an attachment (screenshot, chat or rules page)");
	return L("文件", "a file");
}

static int evidence(struct letter *l)
{
	char sha[KMV_SHA256_HEX_BUFSZ];
	size_t n = 0;
	int error = 0;

	KMV_TRY(kmv_buf_puts(&l->t, L("三、证据清单\n", "3. Evidence\n")));
	for (size_t i = 0; i < l->nfiles; i++) {
		const struct kmv_bag_file *f = &l->bag->files[i];

		if (strncmp(f->path, "data/", 5) != 0)
			continue;
		kmv_sha256_hex(sha, f->data, f->len);
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("%1$zu. %2$s：%3$s（%4$zu 字节，SHA-256 %5$s）\n",
			  "%1$zu. %2$s: %3$s (%4$zu bytes, SHA-256 %5$s)\n"),
			++n, f->path, describe_file(l, f->path), f->len, sha));
	}
	KMV_TRY(kmv_buf_puts(
		&l->t,
		L("以上文件收录于同一证据包，其校验值由证据包内的签名文件"
		  "（tagmanifest-sha256.txt.minisig，公钥 kmvault-signing.pub）保护，可供核验。\n\n",
		  "These files are in one evidence bundle; their checksums are protected "
		  "by its signature (tagmanifest-sha256.txt.minisig, public key "
		  "kmvault-signing.pub) and can be verified.\n\n")));
done:
	return error;
}

static int claim(struct letter *l, bool to_channel)
{
	const char *type = main_type(l);
	char m[KMV_MONEY_BUFSZ];
	const char *amount = l->in->nanomalies
				     ? money(m, l->in->anomalies[0].amount)
			     : l->charge ? money(m, l->charge->rec.amount)
					 : BLANK;
	const char *given = l->in->claim  ? l->in->claim
			    : l->in->kase ? l->in->kase->claim
					  : NULL;
	int error = 0;

	KMV_TRY(kmv_buf_puts(&l->t, L("四、诉求\n", "4. Request\n")));
	if (given && *given)
		KMV_TRY(kmv_buf_printf(&l->t, "%s\n", given));
	if (to_channel)
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("%1$s请对交易单号 %2$s 的付款启动争议处理，核实后协助退还 %3$s 元。\n",
			  "%1$sPlease open a dispute on the payment with transaction number "
			  "%2$s and, once verified, help return %3$s yuan.\n"),
			given && *given ? L("同时，", "Also: ") : "",
			l->charge && l->charge->rec.payment_no
				? l->charge->rec.payment_no
				: BLANK,
			amount));
	else if (given && *given)
		;
	else if (eq(type, "duplicate_charge"))
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("请退还重复扣除的 %s 元。\n",
			  "Please refund the duplicate charge of %s yuan.\n"),
			amount));
	else if (eq(type, "amount_mismatch"))
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("请退还多扣的差额 %s 元。\n",
			  "Please refund the difference of %s yuan.\n"),
			amount));
	else if (eq(type, "undelivered"))
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("请立即交付所购商品；如无法交付，请全额退还货款 %s 元。\n",
			  "Please deliver the goods now or, if you cannot, "
			  "refund the %s yuan paid in full.\n"),
			amount));
	else if (eq(type, "refund_missing"))
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("请退还货款 %s 元，并告知退款的交易单号。\n",
			  "Please refund the %s yuan and tell me the "
			  "refund's transaction number.\n"),
			amount));
	else if (eq(type, "payment_without_order"))
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("请提供该笔付款对应的商品或卡密；如无法提供，请退还 %s 元。\n",
			  "Please provide the goods or card code this payment "
			  "was for or, if you cannot, refund %s yuan.\n"),
			amount));
	else if (eq(type, "unknown_merchant") || eq(type, "unauthorized"))
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("请撤销该笔未经本人授权的扣款，退还 %s 元。\n",
			  "Please reverse this unauthorised charge and return "
			  "%s yuan.\n"),
			amount));
	else
		KMV_TRY(kmv_buf_puts(&l->t, BLANK "\n"));
	KMV_TRY(kmv_buf_putc(&l->t, '\n'));
done:
	return error;
}

/*
 * The built-in entries of --basis.  A law is quoted only where the words
 * are the law's own (an omitted rest is marked ……); the payment measures
 * are cited by their title.  The English entries say what the article is
 * about, not a translation to quote.
 */
static const struct basis_entry {
	const char *key, *zh, *en;
} basis_entries[] = {
	{ "ecommerce",
	  "《中华人民共和国电子商务法》第二十条：“电子商务经营者应当按照承诺或者与消费者约定的方式、"
	  "时限向消费者交付商品或者服务……”；第五十一条：“合同标的为采用在线传输方式交付的，"
	  "合同标的进入对方当事人指定的特定系统并且能够检索识别的时间为交付时间。”",
	  "The E-Commerce Law of the PRC, Article 20 (goods and services are "
	  "delivered in the manner and within the time promised or agreed) and "
	  "Article 51 (goods delivered online are delivered when they reach the "
	  "system the buyer named and can be found there)." },
	{ "consumer",
	  "《中华人民共和国消费者权益保护法》第五十三条：“经营者以预收款方式提供商品或者服务的，"
	  "应当按照约定提供。未按照约定提供的，应当按照消费者的要求履行约定或者退回预付款……”",
	  "The Consumer Rights Protection Law of the PRC, Article 53 (goods paid "
	  "for in advance are provided as agreed, or the advance payment is "
	  "returned at the consumer's request)." },
	{ "enrichment",
	  "《中华人民共和国民法典》第九百八十五条：“得利人没有法律根据取得不当利益的，"
	  "受损失的人可以请求得利人返还取得的利益……”",
	  "The Civil Code of the PRC, Article 985 (a benefit obtained without "
	  "legal grounds is returned to the one who lost it)." },
	{ "contract",
	  "《中华人民共和国民法典》第五百七十七条：“当事人一方不履行合同义务或者履行合同义务不符合约定的，"
	  "应当承担继续履行、采取补救措施或者赔偿损失等违约责任。”",
	  "The Civil Code of the PRC, Article 577 (a party that does not perform "
	  "the contract, or not as agreed, is liable to perform, remedy it or "
	  "pay damages)." },
	{ "payment", "《非银行支付机构网络支付业务管理办法》的有关规定。",
	  "The Measures for the Administration of Online Payment Business of "
	  "Non-Bank Payment Institutions." },
};

static const struct basis_entry *basis_entry(const char *key)
{
	for (size_t i = 0; i < KMV_ARRAY_SIZE(basis_entries); i++)
		if (eq(key, basis_entries[i].key))
			return &basis_entries[i];
	return NULL;
}

/*
 * The default grounds of a letter to the shop, per anomaly type: paid and
 * not delivered is the e-commerce law's delivery and the consumer law's
 * prepayment; money taken twice or too much is unjust enrichment; a refund
 * promised and not paid is a breach of contract.
 */
static const char *default_basis(const char *type)
{
	if (eq(type, "undelivered"))
		return "ecommerce,consumer";
	if (eq(type, "payment_without_order"))
		return "consumer";
	if (eq(type, "duplicate_charge") || eq(type, "amount_mismatch") ||
	    eq(type, "unknown_merchant") || eq(type, "unauthorized"))
		return "enrichment";
	if (eq(type, "refund_missing"))
		return "contract";
	return "consumer";
}

static const struct kmv_bag_file *rules_page(const struct letter *l)
{
	for (size_t i = 0; i < l->nfiles; i++)
		if (strncmp(l->bag->files[i].path, "data/attachments/", 17) ==
			    0 &&
		    (strstr(l->bag->files[i].path, "rule") ||
		     strstr(l->bag->files[i].path, "规则") ||
		     strstr(l->bag->files[i].path, "协议")))
			return &l->bag->files[i];
	return NULL;
}

/* Is `basis` a list of built-in keys ("consumer,ecommerce")? */
static bool basis_is_keys(const char *basis)
{
	const char *p = basis;

	while (*p) {
		size_t n = strcspn(p, ", ");
		char key[16];

		if (n == 0 || n >= sizeof(key))
			return false;
		memcpy(key, p, n);
		key[n] = '\0';
		if (!eq(key, "rules") && !basis_entry(key))
			return false;
		p += n;
		p += strspn(p, ", ");
	}
	return true;
}

static int basis_key(struct letter *l, const char *key, size_t *n)
{
	const struct kmv_bag_file *rules;

	if (eq(key, "rules")) {
		if (!(rules = rules_page(l))) {
			kmv_error_set(
				KMV_ERROR_INPUT,
				"--basis rules: no rules page is "
				"attached (kmvault attach ORDER_NO rules.html first; "
				"its name must contain 'rule', 规则 or 协议)");
			return KMV_EUSAGE;
		}
		return kmv_buf_printf(
			&l->t,
			L("%1$zu. 平台的交易规则（见证据清单中的附件 %2$s）。\n",
			  "%1$zu. The platform's own rules (attached: %2$s).\n"),
			++*n, rules->path);
	}
	return kmv_buf_printf(&l->t, "%zu. %s\n", ++*n,
			      L(basis_entry(key)->zh, basis_entry(key)->en));
}

static int basis(struct letter *l, bool to_channel)
{
	const char *given = l->in->basis;
	bool defaulted = !given || !*given;
	size_t n = 0;
	int error = 0;

	KMV_TRY(kmv_buf_puts(&l->t, L("五、依据\n", "5. Grounds\n")));
	if (given && *given && !basis_is_keys(given)) {
		KMV_TRY(kmv_buf_printf(&l->t, "%s\n\n", given));
		goto done;
	}
	if (defaulted)
		given = to_channel ? "payment" : default_basis(main_type(l));
	{
		const char *p = given;

		while (*p) {
			size_t len = strcspn(p, ", ");
			char key[16];

			memcpy(key, p, len);
			key[len] = '\0';
			KMV_TRY(basis_key(l, key, &n));
			p += len;
			p += strspn(p, ", ");
		}
	}
	/* by default, an attached rules page is one of the grounds */
	if (defaulted && !to_channel && rules_page(l))
		KMV_TRY(basis_key(l, "rules", &n));
	KMV_TRY(kmv_buf_putc(&l->t, '\n'));
done:
	return error;
}

static int closing(struct letter *l, bool to_channel)
{
	char d[64], nowiso[KMV_TIME_BUFSZ];
	kmv_time now = l->in->now;
	const char *to = to_channel      ? l->channel
			 : l->respondent ? l->respondent
					 : BLANK;
	int error = 0;

	kmv_time_format(nowiso, &now);
	if (l->in->kase && l->in->kase->deadline)
		KMV_TRY(kmv_buf_printf(&l->t,
				       L("请于 %s 前书面答复。\n\n",
					 "Please reply in writing by %s.\n\n"),
				       date_of(l, d, l->in->kase->deadline)));
	else
		KMV_TRY(kmv_buf_printf(
			&l->t,
			L("请在收到本%s后七个工作日内书面答复。\n\n",
			  "Please reply in writing within seven working "
			  "days of receiving this letter.%s\n\n"),
			en(l)        ? ""
			: to_channel ? "申请"
				     : "申诉书"));
	KMV_TRY(kmv_buf_printf(
		&l->t,
		L("此致\n%1$s\n\n%2$s：%3$s（签名）\n日期：%4$s\n",
		  "To %1$s\n\n%2$s: %3$s (signature)\nDate: %4$s\n"),
		to,
		to_channel ? L("申请人", "Applicant")
			   : L("申诉人", "Complainant"),
		given(l->in->sender_name), date_of(l, d, nowiso)));
done:
	return error;
}

static int one_letter(struct letter *l, kmv_bag *bag, bool to_channel)
{
	kmv_buf pdf = KMV_BUF_INIT, name = KMV_BUF_INIT;
	const char *title;
	int error = 0;

	kmv_buf_clear(&l->t);
	KMV_TRY(header(l, to_channel));
	KMV_TRY(facts(l));
	KMV_TRY(problems(l));
	KMV_TRY(evidence(l));
	KMV_TRY(claim(l, to_channel));
	KMV_TRY(basis(l, to_channel));
	KMV_TRY(closing(l, to_channel));
	if (to_channel)
		title = L("支付争议处理申请书", "Payment dispute request");
	else
		title = L("申诉书", "Complaint");
	if (to_channel)
		KMV_TRY(kmv_buf_printf(&name, "data/%s-%s",
				       L("争议处理申请", "payment-dispute"),
				       en(l) ? l->channel_code : l->channel));
	else
		KMV_TRY(kmv_buf_printf(&name, "data/%s",
				       L("申诉书", "complaint")));
	KMV_TRY(kmv_buf_puts(&name, ".txt"));
	KMV_TRY(kmv_bag__add(bag, name.ptr, l->t.ptr, l->t.size));
	/* the PDF repeats the text (its first line is the title) */
	KMV_TRY(kmv_report_text_pdf(&pdf, title, strchr(l->t.ptr, '\n') + 2,
				    en(l) ? KMV_LANG_EN : KMV_LANG_ZH));
	name.size -= 4;
	name.ptr[name.size] = '\0';
	KMV_TRY(kmv_buf_puts(&name, ".pdf"));
	KMV_TRY(kmv_bag__add(bag, name.ptr, pdf.ptr, pdf.size));
done:
	kmv_buf_dispose(&pdf);
	kmv_buf_dispose(&name);
	return error;
}

int kmv_letter__write(kmv_bag *bag, const struct letter_input *in)
{
	struct letter l;
	int error = 0;

	memset(&l, 0, sizeof(l));
	l.in = in;
	l.bag = bag;
	l.nfiles = bag->count;
	pick_parties(&l);
	KMV_TRY(one_letter(&l, bag, false));
	if (against_charge(&l) && l.charge) {
		l.bag = bag; /* files added since are letters, not evidence */
		KMV_TRY(one_letter(&l, bag, true));
	}
done:
	kmv_buf_dispose(&l.t);
	return error;
}
