/* SPDX-License-Identifier: MIT */
/*
 * The period's money as a plain-text ledger: beancount, or the ledger /
 * hledger journal format (docs/reports.md "Ledgers").
 *
 * One transaction per row that counts (the report's own rows and terms,
 * so the ledger's totals are `kmvault summary`'s):
 *  - a charge: Expenses:<category account> + amount, the channel's asset
 *    account − amount; the order it paid as metadata and a link;
 *  - a refund: the reversal, crediting the expense account of the charge
 *    it returns (when that charge is in the period) back to the channel;
 *  - income: the channel + amount, Income:Other − amount;
 *  - a paid order no payment stands for: its expense against the account
 *    of its payment method (支付宝 → Assets:Alipay …), tagged so.
 * The order's receipts of the period are metadata (receipt-id) too.
 * Rows that count nowhere are not transactions; a comment line counts them.
 * Accounts come from the config file's [ledger] section where it names
 * one (kmv_ledger_accounts), else from the small default map below.
 */
#include "common.h"
#include "report/report.h"

#include "kmvutil/money.h"
#include "kmvutil/text.h"

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

/* The accounts in use: the config's where it set one, else the defaults. */
#define MAX_CATEGORY_ACCOUNTS 64
struct accounts {
	const char *alipay, *wechat, *jd, *unknown, *income, *shop_orders,
		*other;
	const char *words[MAX_CATEGORY_ACCOUNTS], *names[MAX_CATEGORY_ACCOUNTS];
	size_t n;
	char *copy; /* the categories text, cut into words and names */
};

static bool component_char(unsigned char c, bool first)
{
	if (c >= 0x80)
		return true; /* a UTF-8 letter: beancount allows them */
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return !first && ((c >= 'a' && c <= 'z') || c == '-');
}

bool kmv_ledger_account_valid(const char *name)
{
	static const char *const roots[] = { "Assets", "Liabilities", "Equity",
					     "Income", "Expenses" };
	const unsigned char *p = NULL;
	size_t parts = 0;

	if (!name)
		return false;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(roots); i++)
		if (strncmp(name, roots[i], strlen(roots[i])) == 0 &&
		    name[strlen(roots[i])] == ':')
			p = (const unsigned char *)name + strlen(roots[i]);
	if (!p || strlen(name) > 200)
		return false;
	while (*p == ':') {
		p++;
		if (!component_char(*p, true))
			return false;
		while (*p && *p != ':' && component_char(*p, false))
			p++;
		parts++;
	}
	return parts > 0 && *p == '\0';
}

/* Cut "WORD=Account, ..." into a->words / a->names (in a->copy). */
static int parse_categories(struct accounts *a, const char *map)
{
	char *save = NULL;

	if (!map || !*map)
		return 0;
	if (!(a->copy = strdup(map)))
		return kmv_error_nomem();
	for (char *part = strtok_r(a->copy, ",", &save); part;
	     part = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(part, '='), *word, *account;

		if (!eq) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "ledger categories: '%s' is not "
				      "WORD=Account",
				      kmv_trim(part));
			return KMV_EUSAGE;
		}
		*eq = '\0';
		word = kmv_trim(part);
		account = kmv_trim(eq + 1);
		if (!*word || !kmv_ledger_account_valid(account)) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "ledger categories: '%s=%s' "
				      "needs a word and an account such as "
				      "Expenses:Food",
				      word, account);
			return KMV_EUSAGE;
		}
		if (a->n == MAX_CATEGORY_ACCOUNTS) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "ledger categories: more than "
				      "%d",
				      MAX_CATEGORY_ACCOUNTS);
			return KMV_EUSAGE;
		}
		a->words[a->n] = word;
		a->names[a->n++] = account;
	}
	return 0;
}

int kmv_ledger_categories_check(const char *map)
{
	struct accounts a;
	int error;

	memset(&a, 0, sizeof(a));
	error = parse_categories(&a, map);
	free(a.copy);
	return error;
}

static const char *pick(const char *configured, const char *fallback)
{
	return configured && *configured ? configured : fallback;
}

static int accounts_init(struct accounts *a, const kmv_ledger_accounts *cfg)
{
	static const kmv_ledger_accounts none = KMV_LEDGER_ACCOUNTS_INIT;
	const char *set[7];

	memset(a, 0, sizeof(*a));
	if (!cfg)
		cfg = &none;
	a->alipay = pick(cfg->alipay, "Assets:Alipay");
	a->wechat = pick(cfg->wechat, "Assets:WeChat");
	a->jd = pick(cfg->jd, "Assets:JD");
	a->unknown = pick(cfg->unknown, "Assets:Unknown");
	a->income = pick(cfg->income, "Income:Other");
	a->shop_orders = pick(cfg->shop_orders, "Expenses:Games:Cards");
	a->other = pick(cfg->other, "Expenses:Other");
	set[0] = a->alipay;
	set[1] = a->wechat;
	set[2] = a->jd;
	set[3] = a->unknown;
	set[4] = a->income;
	set[5] = a->shop_orders;
	set[6] = a->other;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(set); i++)
		if (!kmv_ledger_account_valid(set[i])) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "'%s' is not a ledger account "
				      "(Assets:..., Expenses:..., Income:...)",
				      set[i]);
			return KMV_EUSAGE;
		}
	return parse_categories(a, cfg->categories);
}

/* The channel (asset) account of a payment row, or of an order's method. */
static const char *asset_account(const struct accounts *a,
				 const kmv_report_row *r)
{
	const char *src = r->rec.source_kind;
	const char *m = r->rec.payment_method;

	if (r->rec.kind == KMV_KIND_ORDER) {
		if (has(m, "支付宝") || has(m, "alipay"))
			return a->alipay;
		if (has(m, "微信") || has(m, "wechat"))
			return a->wechat;
		return a->unknown;
	}
	if (has(src, "alipay") || has(src, "支付宝"))
		return a->alipay;
	if (has(src, "wechat") || has(src, "微信"))
		return a->wechat;
	if (has(src, "jd") || has(src, "京东"))
		return a->jd;
	return a->unknown;
}

/* Categories and kinds of goods to expense accounts; the first match wins:
 * the config's map, then the built-in one. */
static const char *category_account(const struct accounts *a, const char *c,
				    bool order)
{
	static const struct {
		const char *word, *account;
	} map[] = {
		{ "游戏", "Expenses:Games:Cards" },
		{ "点卡", "Expenses:Games:Cards" },
		{ "充值", "Expenses:Games:Cards" },
		{ "缴费", "Expenses:Games:Cards" },
		{ "会员", "Expenses:Memberships" },
		{ "虚拟", "Expenses:Games:Cards" },
		{ "餐饮", "Expenses:Food" },
		{ "美食", "Expenses:Food" },
		{ "日用", "Expenses:Shopping" },
		{ "百货", "Expenses:Shopping" },
		{ "商户消费", "Expenses:Shopping" },
		{ "数码", "Expenses:Shopping" },
		{ "红包", "Expenses:Gifts" },
		{ "转账", "Expenses:Transfers" },
		{ "交通", "Expenses:Transport" },
		{ "出行", "Expenses:Transport" },
	};
	/* a shop order is a purchase of virtual goods */
	if (order && !c)
		return a->shop_orders;
	for (size_t i = 0; i < a->n; i++)
		if (has(c, a->words[i]))
			return a->names[i];
	for (size_t i = 0; i < KMV_ARRAY_SIZE(map); i++)
		if (has(c, map[i].word))
			return map[i].account;
	return a->other;
}

static const char *expense_account(const struct accounts *a,
				   const kmv_report_row *r)
{
	return category_account(a, r->rec.category,
				r->rec.kind == KMV_KIND_ORDER);
}

/* A double-quoted string for either format. */
static int quoted(kmv_buf *out, const char *s)
{
	int error = kmv_buf_putc(out, '"');

	for (; error == 0 && s && *s; s++) {
		if (*s == '"' || *s == '\\')
			error = kmv_buf_putc(out, '\\');
		if (error == 0)
			error = kmv_buf_putc(out, *s == '\n' || *s == '\r'
							  ? ' '
							  : *s);
	}
	if (error == 0)
		error = kmv_buf_putc(out, '"');
	return error;
}

/* Text for a ledger description or tag: no newlines, no ';' or '|'. */
static int plain(kmv_buf *out, const char *s)
{
	int error = 0;

	for (; error == 0 && s && *s; s++)
		error = kmv_buf_putc(out, (*s == '\n' || *s == '\r' ||
					   *s == ';' || *s == '|')
						  ? ' '
						  : *s);
	return error;
}

/* A beancount link: letters, digits and - _ / . only. */
static int link_name(kmv_buf *out, const char *no)
{
	int error = kmv_buf_puts(out, "order-");

	for (; error == 0 && no && *no; no++) {
		char c = *no;
		bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
			  (c >= 'a' && c <= 'z') || c == '-' || c == '_' ||
			  c == '.';

		error = kmv_buf_putc(out, ok ? c : '_');
	}
	return error;
}

/* The next receipt of the period for order number `no`, after row `from`. */
static const kmv_report_row *next_receipt(const kmv_report *r, const char *no,
					  size_t *from)
{
	for (; no && *from < r->nrows; (*from)++) {
		const kmv_report_row *x = &r->rows[*from];

		if (x->rec.kind == KMV_KIND_RECEIPT && x->rec.order_no &&
		    strcmp(x->rec.order_no, no) == 0) {
			(*from)++;
			return x;
		}
	}
	return NULL;
}

static const kmv_report_row *row_by_id(const kmv_report *r, int64_t id)
{
	for (size_t i = 0; id && i < r->nrows; i++)
		if (r->rows[i].rec.id == id)
			return &r->rows[i];
	return NULL;
}

struct txn {
	const kmv_report *report;
	const kmv_report_row *row;
	const char *debit, *credit; /* debit gets +amount */
	const char *order_no;       /* the order it concerns, or NULL */
	const char *tag;            /* extra tag, or NULL */
};

static void plan(struct txn *t, const struct accounts *a, const kmv_report *rep,
		 const kmv_report_row *r)
{
	const kmv_report_row *via = row_by_id(rep, r->count_via);

	memset(t, 0, sizeof(*t));
	t->report = rep;
	t->row = r;
	t->order_no = r->rec.kind == KMV_KIND_ORDER ? r->rec.order_no
		      : via && via->rec.kind == KMV_KIND_ORDER
			      ? via->rec.order_no
			      : NULL;
	if (r->count && strcmp(r->count, "refund") == 0) {
		/* the reversal of its charge's posting */
		t->debit = asset_account(a, r);
		t->credit = via ? expense_account(a, via)
			    : r->via_category
				    ? category_account(a, r->via_category,
						       false)
				    : expense_account(a, r);
		t->tag = "refund";
	} else if (r->count && strcmp(r->count, "income") == 0) {
		t->debit = asset_account(a, r);
		t->credit = a->income;
	} else {
		t->debit = expense_account(a, r);
		t->credit = asset_account(a, r);
		if (r->count && strcmp(r->count, "order_only") == 0)
			t->tag = "no-payment-record";
	}
}

static int put_amount(kmv_buf *out, int64_t fen)
{
	char money[KMV_MONEY_BUFSZ];

	return kmv_buf_printf(out, "%s CNY", kmv_money_format(money, fen));
}

static int beancount_txn(kmv_buf *out, const struct txn *t, int64_t amount)
{
	const kmv_report_row *r = t->row;
	int error = 0;

	KMV_TRY(kmv_buf_printf(out, "%.10s * ",
			       r->time ? r->time : "1970-01-01"));
	KMV_TRY(quoted(out, r->rec.merchant   ? r->rec.merchant
			    : r->rec.platform ? r->rec.platform
					      : "未知"));
	KMV_TRY(kmv_buf_putc(out, ' '));
	KMV_TRY(quoted(out, r->rec.product ? r->rec.product : ""));
	if (t->tag)
		KMV_TRY(kmv_buf_printf(out, " #%s", t->tag));
	if (t->order_no && *t->order_no) {
		KMV_TRY(kmv_buf_puts(out, " ^"));
		KMV_TRY(link_name(out, t->order_no));
	}
	KMV_TRY(kmv_buf_printf(out, "\n  kmv-id: \"%lld\"\n",
			       (long long)r->rec.id));
	if (r->time) {
		KMV_TRY(kmv_buf_puts(out, "  time: "));
		KMV_TRY(quoted(out, r->time));
		KMV_TRY(kmv_buf_putc(out, '\n'));
	}
	if (r->rec.payment_no) {
		KMV_TRY(kmv_buf_puts(out, "  trade-no: "));
		KMV_TRY(quoted(out, r->rec.payment_no));
		KMV_TRY(kmv_buf_putc(out, '\n'));
	}
	if (t->order_no && *t->order_no) {
		KMV_TRY(kmv_buf_puts(out, "  order-no: "));
		KMV_TRY(quoted(out, t->order_no));
		KMV_TRY(kmv_buf_putc(out, '\n'));
	}
	if (r->rec.merchant_order_no) {
		KMV_TRY(kmv_buf_puts(out, "  merchant-order-no: "));
		KMV_TRY(quoted(out, r->rec.merchant_order_no));
		KMV_TRY(kmv_buf_putc(out, '\n'));
	}
	if (r->count_via)
		KMV_TRY(kmv_buf_printf(out, "  kmv-via: \"%lld\"\n",
				       (long long)r->count_via));
	/* the order's e-mail receipts, as metadata (beancount keys are unique) */
	{
		size_t at = 0, n = 0;
		const kmv_report_row *x;

		while ((x = next_receipt(t->report, t->order_no, &at)) !=
		       NULL) {
			if (n++ == 0)
				KMV_TRY(kmv_buf_printf(
					out, "  receipt-id: \"%lld\"\n",
					(long long)x->rec.id));
			else
				KMV_TRY(kmv_buf_printf(
					out, "  receipt-id-%zu: \"%lld\"\n", n,
					(long long)x->rec.id));
		}
	}
	KMV_TRY(kmv_buf_printf(out, "  %-28s ", t->debit));
	KMV_TRY(put_amount(out, amount));
	KMV_TRY(kmv_buf_printf(out, "\n  %-28s ", t->credit));
	KMV_TRY(put_amount(out, -amount));
	KMV_TRY(kmv_buf_puts(out, "\n\n"));
done:
	return error;
}

static int ledger_txn(kmv_buf *out, const struct txn *t, int64_t amount)
{
	const kmv_report_row *r = t->row;
	int error = 0;

	KMV_TRY(kmv_buf_printf(out, "%.10s * ",
			       r->time ? r->time : "1970-01-01"));
	KMV_TRY(plain(out, r->rec.merchant   ? r->rec.merchant
			   : r->rec.platform ? r->rec.platform
					     : "未知"));
	if (r->rec.product && *r->rec.product) {
		KMV_TRY(kmv_buf_puts(out, " | "));
		KMV_TRY(plain(out, r->rec.product));
	}
	KMV_TRY(kmv_buf_printf(out, "\n    ; kmv-id: %lld\n",
			       (long long)r->rec.id));
	if (r->rec.payment_no) {
		KMV_TRY(kmv_buf_puts(out, "    ; trade-no: "));
		KMV_TRY(plain(out, r->rec.payment_no));
		KMV_TRY(kmv_buf_putc(out, '\n'));
	}
	if (t->order_no && *t->order_no) {
		KMV_TRY(kmv_buf_puts(out, "    ; order-no: "));
		KMV_TRY(plain(out, t->order_no));
		KMV_TRY(kmv_buf_putc(out, '\n'));
	}
	if (r->rec.merchant_order_no) {
		KMV_TRY(kmv_buf_puts(out, "    ; merchant-order-no: "));
		KMV_TRY(plain(out, r->rec.merchant_order_no));
		KMV_TRY(kmv_buf_putc(out, '\n'));
	}
	{
		size_t at = 0;
		const kmv_report_row *x;

		while ((x = next_receipt(t->report, t->order_no, &at)) != NULL)
			KMV_TRY(kmv_buf_printf(out, "    ; receipt-id: %lld\n",
					       (long long)x->rec.id));
	}
	if (t->tag)
		KMV_TRY(kmv_buf_printf(out, "    ; %s:\n", t->tag));
	/* two spaces at least between account and amount: the format's rule */
	KMV_TRY(kmv_buf_printf(out, "    %-28s  ", t->debit));
	KMV_TRY(put_amount(out, amount));
	KMV_TRY(kmv_buf_printf(out, "\n    %-28s  ", t->credit));
	KMV_TRY(put_amount(out, -amount));
	KMV_TRY(kmv_buf_puts(out, "\n\n"));
done:
	return error;
}

/* Every account a transaction may use, once: opened before the first. */
static int open_accounts(kmv_buf *out, const struct accounts *a, bool beancount)
{
	static const char *const builtin[] = {
		"Expenses:Games:Cards", "Expenses:Memberships",
		"Expenses:Food",        "Expenses:Shopping",
		"Expenses:Gifts",       "Expenses:Transfers",
		"Expenses:Transport",
	};
	const char *all[7 + KMV_ARRAY_SIZE(builtin) + MAX_CATEGORY_ACCOUNTS];
	size_t n = 0;
	int error = 0;

	all[n++] = a->alipay;
	all[n++] = a->wechat;
	all[n++] = a->jd;
	all[n++] = a->unknown;
	all[n++] = a->shop_orders;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(builtin); i++)
		all[n++] = builtin[i];
	for (size_t i = 0; i < a->n; i++)
		all[n++] = a->names[i];
	all[n++] = a->other;
	all[n++] = a->income;
	if (beancount)
		KMV_TRY(kmv_buf_puts(
			out, "option \"operating_currency\" \"CNY\"\n\n"));
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(all[k], all[i]) == 0;
		if (seen)
			continue;
		KMV_TRY(kmv_buf_printf(out,
				       beancount ? "1970-01-01 open %s CNY\n"
						 : "account %s\n",
				       all[i]));
	}
	KMV_TRY(kmv_buf_putc(out, '\n'));
done:
	return error;
}

int kmv_report_ledger(kmv_buf *out, const kmv_report *rep, bool beancount)
{
	return kmv_report_ledger_with(out, rep, beancount, NULL);
}

int kmv_report_ledger_with(kmv_buf *out, const kmv_report *rep, bool beancount,
			   const kmv_ledger_accounts *cfg)
{
	struct accounts a;
	char net[KMV_MONEY_BUFSZ];
	int error = 0;

	KMV_ASSERT_ARG(out && rep);
	KMV_TRY(accounts_init(&a, cfg));
	KMV_TRY(kmv_buf_printf(out,
			       "; kmvault %s: %s – %s (+08:00)\n"
			       "; 净支出 = 支出 − 退款及收入 = %s CNY; %zu rows "
			       "count nowhere and are not transactions\n\n",
			       beancount ? "beancount" : "ledger",
			       rep->period.first_day, rep->period.last_day,
			       kmv_money_format(net, rep->total_spend),
			       rep->nnone));
	KMV_TRY(open_accounts(out, &a, beancount));
	for (size_t i = 0; i < rep->nrows; i++) {
		const kmv_report_row *r = &rep->rows[i];
		struct txn t;
		int64_t amount = r->spend < 0 ? -r->spend : r->spend;

		if (r->term == KMV_TERM_NONE || amount == 0)
			continue;
		plan(&t, &a, rep, r);
		KMV_TRY(beancount ? beancount_txn(out, &t, amount)
				  : ledger_txn(out, &t, amount));
	}
done:
	free(a.copy);
	return error;
}
