/* SPDX-License-Identifier: MIT */
/*
 * E-mail extraction rules: the `[set]` + `key = pattern` format of
 * profiles.md, compiled with PCRE2, and the built-in sets for the five
 * dujiaoka templates (formats.md 4.1) plus a generic one.  The built-ins
 * are written in the user format and parsed like a user file.
 */
#include "common.h"
#include "import/profile.h"
#include "import/rules.h"
#include "kmv/i18n.h"
#include "kmvutil/file.h"
#include "kmvutil/text.h"

#include <ctype.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum { SRC_BODY = 0, SRC_SUBJECT, SRC_HEADER, SRC_FROM };

typedef struct rule_value {
	int src;
	char *header;   /* SRC_HEADER */
	pcre2_code *re; /* other sources */
} rule_value;

enum { MATCH_SUBJECT = 0, MATCH_FROM, MATCH_BODY, MATCH_COUNT };

typedef struct rule_set {
	char *name;
	rule_value match[MATCH_COUNT];
	bool has_match[MATCH_COUNT];
	rule_value fields[KMV_RF_COUNT];
	bool has_field[KMV_RF_COUNT];
	char *state;
} rule_set;

struct kmv_rules {
	rule_set *sets;
	size_t count;
};

static const char *const field_keys[KMV_RF_COUNT] = {
	"order_no",          "amount", "product",  "quantity", "card_secret",
	"card_secret_block", "time",   "platform", "merchant", "payment_no",
	"contact",
};

static const char *const match_keys[MATCH_COUNT] = {
	"match_subject",
	"match_from",
	"match_body",
};

/*
 * dujiaoka: the card e-mail (card_send_user_email), the admin notice
 * (manual_send_manage_mail) and the three status mails of manual orders.
 * The card mail's {created_at} renders empty, so its time is the Date
 * header; the status mails' created_at is the send time, so the same.
 */
static const char builtin_rules[] =
	"[dujiaoka-card]\n"
	"match_subject = 感谢您的购买，请查收您的收据\n"
	"order_no = 订单号[:：]\\s*([A-Za-z0-9]{8,40})\n"
	"amount = 总价\\s*([0-9][0-9,]*\\.?[0-9]*)\\s*[¥￥]\n"
	"product = ^(.+?)\\s+x\\s*\\d+\\s*$\n"
	"quantity = ^.+?\\s+x\\s*(\\d+)\\s*$\n"
	"card_secret_block = 以下是您的卡密信息[:：]\\s*\\n((?:(?!.*\\sx\\s*\\d+\\s*$)(?!总价).*\\S.*\\n)+)\n"
	"time = header:Date\n"
	"platform = subject:【(.+?)】\n"
	"state = delivered\n"
	"\n"
	"[dujiaoka-manual-admin]\n"
	"match_subject = 新订单等待处理\n"
	"order_no = 订单号[:：]\\s*([A-Za-z0-9]{8,40})\n"
	"amount = 金额[:：]\\s*[¥￥]?\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\n"
	"quantity = 数量[:：]\\s*(\\d+)\n"
	"product = 【(.+?)】\\s*已支付成功\n"
	"time = header:Date\n"
	"platform = subject:【(.+?)】\n"
	"state = paid\n"
	"\n"
	"[dujiaoka-pending]\n"
	"match_subject = 已收到您的订单，请等候处理\n"
	"order_no = 订单号[:：]\\s*([A-Za-z0-9]{8,40})\n"
	"amount = 总价\\s*([0-9][0-9,]*\\.?[0-9]*)\\s*[¥￥]\n"
	"product = ^(.+?)\\s+x\\s*\\d+\\s*$\n"
	"quantity = ^.+?\\s+x\\s*(\\d+)\\s*$\n"
	"time = header:Date\n"
	"platform = subject:【(.+?)】\n"
	"state = processing\n"
	"\n"
	"[dujiaoka-completed]\n"
	"match_subject = 您的订单已经处理完成\n"
	"order_no = 订单号[:：]\\s*([A-Za-z0-9]{8,40})\n"
	"amount = 总价\\s*([0-9][0-9,]*\\.?[0-9]*)\\s*[¥￥]\n"
	"product = ^(.+?)\\s+x\\s*\\d+\\s*$\n"
	"quantity = ^.+?\\s+x\\s*(\\d+)\\s*$\n"
	"time = header:Date\n"
	"platform = subject:【(.+?)】\n"
	"state = completed\n"
	"\n"
	"[dujiaoka-failed]\n"
	"match_subject = 订单处理失败\n"
	"order_no = 订单号[:：]\\s*([A-Za-z0-9]{8,40})\n"
	"amount = 总价\\s*([0-9][0-9,]*\\.?[0-9]*)\\s*[¥￥]\n"
	"product = ^(.+?)\\s+x\\s*\\d+\\s*$\n"
	"quantity = ^.+?\\s+x\\s*(\\d+)\\s*$\n"
	"time = header:Date\n"
	"platform = subject:【(.+?)】\n"
	"state = failed\n"
	"\n"
	/*
	 * acg-faka's delivery mail (app/Service/Bind/Order.php orderSuccess:
	 * subject and "您购买的卡密如下：" + the secrets, one a line; sent
	 * from the SMTP account under the shop's name, app/Service/Bind/
	 * Email.php) names no order and no amount: match finds its order by
	 * the contact it went to, the shop and the time.
	 */
	"[acg-faka-delivery]\n"
	"match_subject = 【发货提醒】您购买的卡密发货啦\n"
	"card_secret_block = 您购买的卡密如下[:：]\\s*((?:.*\\S.*\\n)+)\n"
	"contact = header:To\n"
	"platform = from:^\\s*\"?([^\"<]+?)\"?\\s*<\n"
	"time = header:Date\n"
	"state = delivered\n"
	"\n"
	"[generic]\n"
	"order_no = (?:订单号码|订单编号|订单号|Order\\s*(?:No\\.?|Number|ID|#))\\s*[:：#]?\\s*([A-Za-z0-9][A-Za-z0-9_-]{3,63})\n"
	"amount = (?:实付金额|实付款|实付|支付金额|订单金额|合计|总价|总计|金额|Total|Amount)\\s*[:：]?\\s*(?:[¥￥]|RMB|CNY)?\\s*([0-9][0-9,]*(?:\\.[0-9]{1,2})?)\\s*(?:[¥￥元])?\n"
	"product = (?:商品名称|商品|Product|Item)\\s*[:：]?\\s*(\\S.*?)\\s*$\n"
	"quantity = (?:数量|购买数量|Qty|Quantity)\\s*[:：]?\\s*(\\d+)\n"
	"card_secret_block = (?:卡密信息|卡密|激活码|兑换码|卡号)\\s*[:：]\\s*\\n((?:[ \\t]*[A-Za-z0-9][A-Za-z0-9_-]{5,}[ \\t]*\\n)+)\n"
	"time = header:Date\n"
	"platform = subject:【(.+?)】\n";

/*
 * Saved pages, PDFs, screenshots and pasted text: no headers, so the time
 * and the shop come from the text (an order page's 下单时间, a bill
 * page's 交易时间 / 收款方).  Tried after the user's sets, before the mail
 * sets.
 */
static const char builtin_page_rules[] =
	/*
	 * Alipay's bill detail (账单详情, the app's screen and its web
	 * page): the counterparty on top, then the amount -30.00, 交易成功,
	 * 支付时间 / 创建时间 2024-03-27 14:05:09, 商品说明, 收款方全称,
	 * 订单号 (Alipay's own trade number) and 商家订单号 (the shop's).  The
	 * payment succeeded, nothing is said of delivery: state paid.
	 */
	"[alipay-bill]\n"
	"match_body = \\A(?=[\\s\\S]*(?:交易成功|支付成功|等待确认收货))(?=[\\s\\S]*商家订单号)(?=[\\s\\S]*(?:创建时间|支付时间))\n"
	"order_no = 商家订单号\\s*[:：]?\\s*([A-Za-z0-9][A-Za-z0-9_-]{3,63})\n"
	"payment_no = (?<!商家)(?:订单号|交易号)\\s*[:：]?\\s*([0-9]{16,40})\n"
	"amount = ^[ \\t]*-\\s*[¥￥]?\\s*([0-9][0-9,]*\\.[0-9]{2})[ \\t]*$\n"
	"product = 商品说明\\s*[:：]?\\s*(\\S.*?)\\s*$\n"
	"time = (?:支付时间|创建时间)\\s*[:：]?\\s*(\\d{4}-\\d{1,2}-\\d{1,2}\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)\n"
	"platform = ^[ \\t]*([^\\s-][^\\n]*?)[ \\t]*\\n[ \\t]*-\\s*[¥￥]?\\s*[0-9][0-9,]*\\.[0-9]{2}[ \\t]*$\n"
	"merchant = 收款方全称\\s*[:：]?\\s*(\\S.*?)\\s*$\n"
	"state = paid\n"
	"\n"
	/*
	 * WeChat Pay's bill detail (账单详情): the shop on top, -30.00,
	 * 当前状态 支付成功, 支付时间 2024年3月27日 14:05:09, 商品, 商户全称,
	 * 支付方式, 交易单号 (WeChat's) and 商户单号 (the shop's).
	 */
	"[wechat-bill]\n"
	"match_body = \\A(?=[\\s\\S]*(?:支付成功|交易成功|已支付))(?=[\\s\\S]*商户单号)(?=[\\s\\S]*交易单号)\n"
	"order_no = 商户单号\\s*[:：]?\\s*([A-Za-z0-9][A-Za-z0-9_-]{3,63})\n"
	"payment_no = 交易单号\\s*[:：]?\\s*([0-9]{16,40})\n"
	"amount = ^[ \\t]*-\\s*[¥￥]?\\s*([0-9][0-9,]*\\.[0-9]{2})[ \\t]*$\n"
	"product = (?:商品说明|商品)\\s*[:：]?\\s*(\\S.*?)\\s*$\n"
	"time = (?:支付时间|交易时间|创建时间)\\s*[:：]?\\s*(\\d{4}年\\d{1,2}月\\d{1,2}日\\s*\\d{1,2}:\\d{2}(?::\\d{2})?|\\d{4}-\\d{1,2}-\\d{1,2}\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)\n"
	"platform = ^[ \\t]*([^\\s-][^\\n]*?)[ \\t]*\\n[ \\t]*-\\s*[¥￥]?\\s*[0-9][0-9,]*\\.[0-9]{2}[ \\t]*$\n"
	"merchant = 商户全称\\s*[:：]?\\s*(\\S.*?)\\s*$\n"
	"state = paid\n"
	"\n"
	"[web-page]\n"
	"order_no = (?:订单号码|订单编号|订单号|商户单号|商家订单号|Order\\s*(?:No\\.?|Number|ID|#))\\s*[:：#]?\\s*([A-Za-z0-9][A-Za-z0-9_-]{3,63})\n"
	"amount = (?:实付金额|实付款|实际支付价格|实际支付|实付|支付金额|付款金额|订单金额|合计|总价|总计|金额|Total|Amount)\\s*[:：]?\\s*(?:[¥￥]|RMB|CNY)?\\s*([0-9][0-9,]*(?:\\.[0-9]{1,2})?)\\s*(?:[¥￥元])?\n"
	"product = (?:商品名称|商品说明|商品|订单名称|Product|Item)\\s*[:：]?\\s*(\\S.*?)\\s*$\n"
	"quantity = (?:购买数量|数量|Qty|Quantity)\\s*[:：]?\\s*(\\d+)\n"
	"time = (?:下单时间|创建时间|订单时间|交易时间|支付时间|付款时间|Order\\s*(?:Date|Time))\\s*[:：]?\\s*(\\d{4}[-/]\\d{1,2}[-/]\\d{1,2}[ T]\\d{1,2}:\\d{2}(?::\\d{2})?|\\d{4}年\\d{1,2}月\\d{1,2}日\\s*\\d{1,2}:\\d{2}(?::\\d{2})?)\n"
	"payment_no = (?:交易订单号|交易单号|交易号|支付单号)\\s*[:：]?\\s*([A-Za-z0-9_]{8,64})\n"
	"platform = (?:店铺名称|店铺|商家|收款方|交易对方)\\s*[:：]?\\s*(\\S.*?)\\s*$\n"
	"card_secret_block = (?:卡密信息|卡密|激活码|兑换码|卡号)\\s*[:：]\\s*\\n((?:[ \\t]*[A-Za-z0-9][A-Za-z0-9_-]{5,}[ \\t]*\\n)+)\n";

static void value_free(rule_value *v)
{
	free(v->header);
	pcre2_code_free(v->re);
	memset(v, 0, sizeof(*v));
}

static void set_dispose(rule_set *s)
{
	free(s->name);
	free(s->state);
	for (int i = 0; i < MATCH_COUNT; i++)
		value_free(&s->match[i]);
	for (int i = 0; i < KMV_RF_COUNT; i++)
		value_free(&s->fields[i]);
	memset(s, 0, sizeof(*s));
}

void kmv_rules__free(kmv_rules *rules)
{
	if (!rules)
		return;
	for (size_t i = 0; i < rules->count; i++)
		set_dispose(&rules->sets[i]);
	free(rules->sets);
	free(rules);
}

int kmv_rules__new(kmv_rules **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : kmv_error_nomem();
}

size_t kmv_rules__count(const kmv_rules *rules)
{
	return rules ? rules->count : 0;
}

static int compile(pcre2_code **out, const char *pattern, const char *display,
		   int line)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int err;

	*out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE, &err,
			     &off, NULL);
	if (*out)
		return 0;
	pcre2_get_error_message(err, msg, sizeof(msg));
	kmv_error_set(KMV_ERROR_INPUT,
		      "%s:%d: bad pattern '%s': %s at offset %zu", display,
		      line, pattern, (const char *)msg, (size_t)off);
	return KMV_EINPUT;
}

static int parse_value(rule_value *v, const char *value, bool fields,
		       const char *display, int line)
{
	value_free(v);
	if (fields && strncmp(value, "header:", 7) == 0) {
		char name[128];

		snprintf(name, sizeof(name), "%s", value + 7);
		kmv_trim(name);
		v->src = SRC_HEADER;
		v->header = strdup(name);
		return v->header ? 0 : kmv_error_nomem();
	}
	if (fields && strncmp(value, "subject:", 8) == 0) {
		v->src = SRC_SUBJECT;
		return compile(&v->re, value + 8, display, line);
	}
	if (fields && strncmp(value, "from:", 5) == 0) {
		v->src = SRC_FROM;
		return compile(&v->re, value + 5, display, line);
	}
	v->src = SRC_BODY;
	return compile(&v->re, value, display, line);
}

static int bad_line(const char *display, int line, const char *what,
		    const char *text)
{
	kmv_error_set(KMV_ERROR_INPUT, "%s:%d: %s '%s'", display, line, _(what),
		      text);
	return KMV_EINPUT;
}

static int parse_kv(rule_set *s, const char *key, const char *value,
		    const char *display, int line)
{
	for (int i = 0; i < MATCH_COUNT; i++)
		if (strcmp(key, match_keys[i]) == 0) {
			s->has_match[i] = true;
			return parse_value(&s->match[i], value, false, display,
					   line);
		}
	for (int i = 0; i < KMV_RF_COUNT; i++)
		if (strcmp(key, field_keys[i]) == 0) {
			s->has_field[i] = true;
			return parse_value(&s->fields[i], value, true, display,
					   line);
		}
	if (strcmp(key, "state") == 0) {
		if (!kmv_profile__state_valid(value))
			return bad_line(display, line, N_("unknown state"),
					value);
		free(s->state);
		s->state = strdup(value);
		return s->state ? 0 : kmv_error_nomem();
	}
	return bad_line(display, line, N_("unknown key"), key);
}

int kmv_rules__parse(kmv_rules *rules, const char *text, const char *display)
{
	kmv_buf line = KMV_BUF_INIT;
	rule_set *cur = NULL;
	const char *s = text;
	int lineno = 0, error = 0;

	if (strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (*s) {
		size_t n = strcspn(s, "\n");
		char *l, *eq;

		lineno++;
		kmv_buf_clear(&line);
		KMV_TRY(kmv_buf_put(&line, s, n));
		s += n;
		if (*s == '\n')
			s++;
		l = kmv_trim(line.ptr);
		/* Only whole-line comments: patterns may contain '#'. */
		if (!*l || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			size_t len = strlen(l);
			rule_set *sets;

			if (len < 3 || l[len - 1] != ']') {
				error = bad_line(display, lineno,
						 N_("bad section header"), l);
				goto done;
			}
			l[len - 1] = '\0';
			sets = realloc(rules->sets,
				       (rules->count + 1) * sizeof(*sets));
			if (!sets) {
				error = kmv_error_nomem();
				goto done;
			}
			rules->sets = sets;
			cur = &sets[rules->count++];
			memset(cur, 0, sizeof(*cur));
			if (!(cur->name = strdup(kmv_trim(l + 1)))) {
				error = kmv_error_nomem();
				goto done;
			}
			continue;
		}
		if (!cur) {
			error = bad_line(display, lineno,
					 N_("rule outside a "
					    "[section]:"),
					 l);
			goto done;
		}
		eq = strchr(l, '=');
		if (!eq) {
			error = bad_line(display, lineno,
					 N_("expected 'key = "
					    "pattern', got"),
					 l);
			goto done;
		}
		*eq = '\0';
		KMV_TRY(parse_kv(cur, kmv_trim(l), kmv_trim(eq + 1), display,
				 lineno));
	}
done:
	kmv_buf_dispose(&line);
	return error;
}

static int load_rules(kmv_rules **out, const char *user_file, bool pages);

int kmv_rules__load(kmv_rules **out, const char *user_file)
{
	return load_rules(out, user_file, false);
}

int kmv_rules__load_pages(kmv_rules **out, const char *user_file)
{
	return load_rules(out, user_file, true);
}

static int load_rules(kmv_rules **out, const char *user_file, bool pages)
{
	kmv_rules *rules = NULL;
	kmv_buf text = KMV_BUF_INIT;
	int error = 0;

	*out = NULL;
	KMV_TRY(kmv_rules__new(&rules));
	if (user_file) {
		error = kmv_file_read(&text, user_file, (size_t)1 << 20);
		if (error == KMV_ENOTFOUND)
			kmv_error_set(KMV_ERROR_INPUT,
				      "cannot read rules file "
				      "'%s'",
				      user_file);
		if (error < 0)
			goto done;
		if (!kmv_utf8_valid(text.ptr, text.size)) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "%s: rules file is not "
				      "UTF-8 text",
				      user_file);
			error = KMV_EINPUT;
			goto done;
		}
		KMV_TRY(kmv_rules__parse(rules, text.ptr,
					 kmv_basename(user_file)));
		if (rules->count == 0) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "%s: no [rule set] in the "
				      "rules file",
				      user_file);
			error = KMV_EINPUT;
			goto done;
		}
	}
	if (pages)
		KMV_TRY(kmv_rules__parse(rules, builtin_page_rules,
					 "built-in page rules"));
	KMV_TRY(kmv_rules__parse(rules, builtin_rules, "built-in rules"));
	*out = rules;
	rules = NULL;
done:
	kmv_buf_dispose(&text);
	kmv_rules__free(rules);
	return error;
}

void kmv_rules__result_dispose(kmv_rule_result *res)
{
	for (int i = 0; i < KMV_RF_COUNT; i++)
		free(res->fields[i]);
	memset(res, 0, sizeof(*res));
}

static const char *subject_of(const kmv_mail_view *m, int src)
{
	switch (src) {
	case SRC_SUBJECT: return m->subject ? m->subject : "";
	case SRC_FROM: return m->from ? m->from : "";
	default: return m->body ? m->body : "";
	}
}

/*
 * Run `re` on `text` from `start`.  Returns 1 and the span of group 1
 * (group 0 when the pattern has no group), 0 when no match.
 */
static int run(const pcre2_code *re, const char *text, size_t start, size_t *so,
	       size_t *eo, size_t *next)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE *ov;
	uint32_t ncap;
	int rc, g;

	if (!md)
		return kmv_error_nomem();
	rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), start, 0, md,
			 NULL);
	if (rc < 0) {
		pcre2_match_data_free(md);
		return 0;
	}
	ov = pcre2_get_ovector_pointer(md);
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &ncap);
	g = ncap >= 1 && ov[2] != PCRE2_UNSET ? 1 : 0;
	*so = ov[2 * g];
	*eo = ov[2 * g + 1];
	*next = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	pcre2_match_data_free(md);
	return 1;
}

static int set_trimmed(char **out, const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return kmv_error_nomem();
	memcpy(copy, s, len);
	copy[len] = '\0';
	kmv_trim(copy);
	if (!*copy) {
		free(copy);
		return 0;
	}
	free(*out);
	*out = copy;
	return 0;
}

/* Append each non-blank line of s[0..len) to `secrets`, '\n'-separated. */
static int add_lines(kmv_buf *secrets, const char *s, size_t len)
{
	size_t i = 0;
	int error = 0;

	while (i < len) {
		size_t n = 0, a, b;

		while (i + n < len && s[i + n] != '\n')
			n++;
		a = i;
		b = i + n;
		while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' ||
				 s[b - 1] == '\r'))
			b--;
		if (b > a) {
			if (secrets->size)
				KMV_TRY(kmv_buf_putc(secrets, '\n'));
			KMV_TRY(kmv_buf_put(secrets, s + a, b - a));
		}
		i += n + 1;
	}
done:
	return error;
}

static int extract(kmv_rule_result *res, const rule_set *set,
		   const kmv_mail_view *m)
{
	kmv_buf secrets = KMV_BUF_INIT;
	int error = 0;

	for (int f = 0; f < KMV_RF_COUNT; f++) {
		const rule_value *v = &set->fields[f];
		const char *text;
		size_t so, eo, next, start = 0;
		int rc;

		if (!set->has_field[f])
			continue;
		if (v->src == SRC_HEADER) {
			const char *h = m->header ? m->header(v->header,
							      m->payload)
						  : NULL;

			if (f == KMV_RF_TIME)
				res->time_from_header = true;
			if (h)
				KMV_TRY(set_trimmed(&res->fields[f], h,
						    strlen(h)));
			continue;
		}
		text = subject_of(m, v->src);
		if (f == KMV_RF_CARD_SECRET) {
			/* Every match is one secret. */
			while ((rc = run(v->re, text, start, &so, &eo, &next)) >
			       0) {
				KMV_TRY(add_lines(&secrets, text + so,
						  eo - so));
				start = next;
				if (start > strlen(text))
					break;
			}
			KMV_TRY(rc);
			continue;
		}
		KMV_TRY(rc = run(v->re, text, 0, &so, &eo, &next));
		if (rc == 0)
			continue;
		if (f == KMV_RF_CARD_SECRET_BLOCK)
			KMV_TRY(add_lines(&secrets, text + so, eo - so));
		else
			KMV_TRY(set_trimmed(&res->fields[f], text + so,
					    eo - so));
	}
	if (secrets.size) {
		free(res->fields[KMV_RF_CARD_SECRET]);
		res->fields[KMV_RF_CARD_SECRET] = kmv_buf_detach(&secrets);
		if (!res->fields[KMV_RF_CARD_SECRET])
			error = kmv_error_nomem();
	}
done:
	kmv_buf_dispose_secure(&secrets);
	return error;
}

int kmv_rules__apply(kmv_rule_result *out, const kmv_rules *rules,
		     const kmv_mail_view *m)
{
	int error = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < rules->count; i++) {
		const rule_set *set = &rules->sets[i];
		bool ok = true;

		for (int k = 0; k < MATCH_COUNT && ok; k++) {
			size_t so, eo, next;
			const char *text = k == MATCH_SUBJECT ? m->subject
					   : k == MATCH_FROM  ? m->from
							      : m->body;

			if (!set->has_match[k])
				continue;
			KMV_TRY(run(set->match[k].re, text ? text : "", 0, &so,
				    &eo, &next));
			ok = error == 1;
		}
		error = 0;
		if (!ok)
			continue;
		KMV_TRY(extract(out, set, m));
		/*
		 * A receipt needs an order number or an amount to be found
		 * by, or (acg-faka's delivery mail) the contact it went to
		 * and the card secrets it carries.
		 */
		if (out->fields[KMV_RF_ORDER_NO] ||
		    out->fields[KMV_RF_AMOUNT] ||
		    (out->fields[KMV_RF_CONTACT] &&
		     out->fields[KMV_RF_CARD_SECRET])) {
			out->set = set->name;
			out->state = set->state;
			return 1;
		}
		kmv_rules__result_dispose(out);
	}
	return 0;
done:
	kmv_rules__result_dispose(out);
	return error;
}

int kmv_rules__receipt_fields(kmv_record *rec, const kmv_rule_result *res)
{
	int error = 0;

	KMV_TRY(kmv_record_set(&rec->order_no, res->fields[KMV_RF_ORDER_NO]));
	KMV_TRY(kmv_record_set(&rec->product, res->fields[KMV_RF_PRODUCT]));
	KMV_TRY(kmv_record_set(&rec->card_secret,
			       res->fields[KMV_RF_CARD_SECRET]));
	KMV_TRY(kmv_record_set(&rec->payment_no,
			       res->fields[KMV_RF_PAYMENT_NO]));
	KMV_TRY(kmv_record_set(&rec->status, res->state));
done:
	return error;
}
