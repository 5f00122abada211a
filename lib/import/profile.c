/* SPDX-License-Identifier: MIT */
/*
 * Order-export profiles: parsing the `key = value` format of profiles.md,
 * the built-in `generic` (header guessing) and `dujiaoka` profiles, status
 * normalization and time parsing.  Built-in profiles are written in the
 * same text format and go through the same parser, so the format the
 * users write is the one the project exercises.
 */
#include "common.h"
#include "import/profile.h"
#include "kmv/i18n.h"
#include "kmvutil/file.h"
#include "kmvutil/text.h"

#include <ctype.h>
#include <errno.h>
#include <time.h>
#include <strings.h>

static const char *const field_names[KMV_PF_COUNT] = {
	"order_no",
	"time",
	"amount",
	"product",
	"quantity",
	"unit_price",
	"status",
	"payment_method",
	"payment_no",
	"merchant",
	"card_secret",
	"email",
	"memo",
	"paid_time",
	"delivered_time",
	"updated_time",
	"delivery_status",
	"platform_column",
};

/*
 * Header synonyms, most specific first: the first synonym present in a
 * header row wins, so "actual_price" beats "total_price" and 实付金额
 * beats 订单金额.  Compared after normalize_header().  The amount list puts
 * what was actually paid before what was asked: dujiaoka's admin grid has
 * 实际支付价格 beside 订单总价, zfaka's t_order paymoney (支付总金额) beside
 * money (订单金额); tests/data/shop-exports/README.md names the sources.
 */
static const char *const synonyms[KMV_PF_COUNT][24] = {
	[KMV_PF_ORDER_NO] = { "订单号", "订单编号", "ordersn", "orderno",
			      "orderid", "订单id", "单号", "order", NULL },
	[KMV_PF_TIME] = { "下单时间", "创建时间", "订单时间", "createdat",
			  "createtime", "ordertime", "addtime", "时间", "date",
			  "time", NULL },
	[KMV_PF_AMOUNT] = { "实付金额",     "实付款",       "实际支付",
			    "实际支付价格", "实际支付金额", "支付金额",
			    "支付总金额",   "actualprice",  "paymoney",
			    "paidamount",   "订单金额",     "订单总价",
			    "订单总额",     "金额",         "总价",
			    "总金额",       "totalprice",   "money",
			    "amount",       "total",        NULL },
	[KMV_PF_PRODUCT] = { "商品名称", "商品", "商品说明", "商品名", "title",
			     "product", "productname", "goodsname", "goods",
			     "订单名称", NULL },
	[KMV_PF_QUANTITY] = { "数量", "购买数量", "buyamount", "qty",
			      "quantity", "num", "buynum", "cardnum", "number",
			      NULL },
	[KMV_PF_UNIT_PRICE] = { "单价", "商品单价", "goodsprice", "unitprice",
				"price", NULL },
	[KMV_PF_STATUS] = { "订单状态", "状态", "付款状态", "支付状态",
			    "status", "orderstatus", NULL },
	[KMV_PF_PAYMENT_METHOD] = { "支付方式", "付款方式", "支付渠道",
				    "支付通道", "pay", "paymethod",
				    "paymentmethod", "payname", NULL },
	[KMV_PF_PAYMENT_NO] = { "支付单号", "交易号", "交易单号", "支付流水号",
				"第三方支付订单号", "tradeno", "tradeid",
				"paymentno", NULL },
	[KMV_PF_MERCHANT] = { "店铺", "商户", "商家", "店铺名称", "shop",
			      "merchant", "store", NULL },
	[KMV_PF_CARD_SECRET] = { "卡密", "卡密信息", "卡号卡密", "info", "card",
				 "cards", "cardsecret", "kami", NULL },
	[KMV_PF_EMAIL] = { "下单邮箱", "邮箱", "email", NULL },
	[KMV_PF_MEMO] = { "备注", "memo", "remark", "note", NULL },
	[KMV_PF_PAID_TIME] = { "支付时间", "付款时间", "paidat", "paytime",
			       "paidtime", NULL },
	[KMV_PF_DELIVERED_TIME] = { "发货时间", "发卡时间", "deliveredat",
				    "deliverytime", "deliveredtime", NULL },
	[KMV_PF_UPDATED_TIME] = { "更新时间", "updatedat", "updatetime", NULL },
	[KMV_PF_DELIVERY_STATUS] = { "发货状态", "deliverystatus", NULL },
	[KMV_PF_PLATFORM] = { "站点", "站点名称", "网站", "网站名称", "平台",
			      "平台名称", "site", "sitename", "platform",
			      NULL },
};

static const char builtin_dujiaoka[] =
	"# dujiaoka (独角数卡): rows of the `orders` table\n"
	"order_no = order_sn\n"
	"time = created_at\n"
	"amount = actual_price\n"
	"product = title\n"
	"quantity = buy_amount\n"
	"unit_price = goods_price\n"
	"status = status\n"
	"payment_no = trade_no\n"
	"card_secret = info\n"
	"email = email\n"
	"updated_time = updated_at\n"
	"card_secret_if = type == 1\n"
	"strip_title_quantity = yes\n"
	"status.1 = pending_payment\n"
	"status.2 = processing\n"
	"status.3 = processing\n"
	"status.4 = completed\n"
	"status.5 = failed\n"
	"status.6 = failed\n"
	"status.-1 = expired\n";

/*
 * acg-faka (异次元发卡): rows of the `__PREFIX__order` table
 * (kernel/Install/Install.sql): status 0 未支付 / 1 已支付 and, on its own
 * axis, delivery_status 0 未发货 / 1 已发货; `secret` is the card secret,
 * `contact` the buyer's contact (QQ, phone or e-mail).
 */
static const char builtin_acg_faka[] =
	"# acg-faka (异次元发卡): rows of the order table\n"
	"order_no = trade_no\n"
	"time = create_time\n"
	"amount = amount\n"
	"quantity = card_num\n"
	"status = status\n"
	"card_secret = secret\n"
	"email = contact\n"
	"paid_time = pay_time\n"
	"delivery_status = delivery_status\n"
	"delivered_value = 1\n"
	"status.0 = pending_payment\n"
	"status.1 = paid\n";

/*
 * zfaka: rows of `t_order` (install/faka.sql): times in epoch seconds
 * (0 = not yet), `money` the order amount, `kami` the card secrets;
 * status 0 待支付, 1 待处理, 2 已完成, 3 处理失败 (-1 删除 stays unknown).
 */
static const char builtin_zfaka[] = "# zfaka: rows of the t_order table\n"
				    "order_no = orderid\n"
				    "time = addtime\n"
				    "amount = money\n"
				    "product = productname\n"
				    "quantity = number\n"
				    "unit_price = price\n"
				    "status = status\n"
				    "payment_no = tradeid\n"
				    "payment_method = paymethod\n"
				    "card_secret = kami\n"
				    "email = email\n"
				    "memo = addons\n"
				    "paid_time = paytime\n"
				    "status.0 = pending_payment\n"
				    "status.1 = processing\n"
				    "status.2 = completed\n"
				    "status.3 = failed\n";

/*
 * acg-faka's admin export (订单管理 → 导出筛选订单, 3.4.3 and later:
 * app/Controller/Admin/Api/Order.php::buildOrderCsv, saved as
 * 订单导出-YmdHis.csv): a UTF-8 BOM, PHP's fputcsv, Chinese column names,
 * 订单状态 未支付 / 已支付 and 发货状态 未发货 / 已发货 as words (0/1 of
 * the order table), 联系方式 the buyer's contact.  Paid and 已发货 is
 * delivered.
 */
static const char builtin_acg_faka_export[] =
	"# acg-faka (异次元发卡): the admin export 订单导出-YYYYmmddHHMMSS.csv\n"
	"order_no = 订单号\n"
	"time = 下单时间\n"
	"amount = 金额\n"
	"product = 商品名称\n"
	"quantity = 数量\n"
	"payment_method = 支付方式\n"
	"paid_time = 支付时间\n"
	"status = 订单状态\n"
	"email = 联系方式\n"
	"delivery_status = 发货状态\n"
	"delivered_value = 已发货\n"
	"status.未支付 = pending_payment\n"
	"status.已支付 = paid\n";

/*
 * acg-faka's buyer order query (查询订单, POST /user/api/index/query,
 * app/Controller/User/Api/Index.php): {"code":200,"data":{"list":[...]}}
 * with the order's own columns and, nested, the payment method
 * (`pay.name`) and the product (`commodity.name`); `secret` only on paid
 * orders without a query password.
 */
static const char builtin_acg_faka_query[] =
	"# acg-faka (异次元发卡): the buyer's order query, saved as JSON\n"
	"order_no = trade_no\n"
	"time = create_time\n"
	"amount = amount\n"
	"product = commodity.name\n"
	"quantity = card_num\n"
	"status = status\n"
	"payment_method = pay.name\n"
	"card_secret = secret\n"
	"email = contact\n"
	"paid_time = pay_time\n"
	"delivery_status = delivery_status\n"
	"delivered_value = 1\n"
	"status.0 = pending_payment\n"
	"status.1 = paid\n";

/*
 * Tai7sy/card-system's buyer order query (查询记录, POST
 * /api/shop/record/get, app/Http/Controllers/Shop/Order.php):
 * {"message":"success","data":{"list":[...]}}; `paid` in fen; status
 * 0 未支付, 1 未发货, 2 已发货, 3 已冻结 (STATUS_FROZEN: the platform
 * holds the order, app/Library/FundHelper.php::orderFreeze, from any
 * earlier state), 4 已退款 (app/Order.php); times in PRC time.
 */
static const char builtin_card_system[] =
	"# card-system: the buyer's order query (record/get), saved as JSON\n"
	"order_no = order_no\n"
	"time = created_at\n"
	"amount = paid\n"
	"amount_unit = fen\n"
	"product = product_name\n"
	"quantity = count\n"
	"status = status\n"
	"email = contact\n"
	"status.0 = pending_payment\n"
	"status.1 = paid\n"
	"status.2 = delivered\n"
	"status.3 = frozen\n"
	"status.4 = refunded\n";

static const struct {
	const char *name;
	const char *text;
	const char *marks[4]; /* header names only that system uses */
} builtin_profiles[] = {
	{ "dujiaoka", builtin_dujiaoka, { "order_sn", "actual_price", NULL } },
	{ "acg-faka-export",
	  builtin_acg_faka_export,
	  { "订单状态", "发货状态", "下单设备", NULL } },
	/* before acg-faka: the same order columns plus the nested ones */
	{ "acg-faka-query",
	  builtin_acg_faka_query,
	  { "trade_no", "delivery_status", "commodity.name", NULL } },
	{ "card-system",
	  builtin_card_system,
	  { "order_no", "send_status", "paid", NULL } },
	{ "acg-faka",
	  builtin_acg_faka,
	  { "trade_no", "delivery_status", "secret", NULL } },
	{ "zfaka", builtin_zfaka, { "orderid", "money", "kami", NULL } },
};

static const struct {
	const char *raw;
	const char *state;
} builtin_words[] = {
	{ "待支付", "pending_payment" },
	{ "未支付", "pending_payment" },
	{ "待付款", "pending_payment" },
	{ "未付款", "pending_payment" },
	{ "已支付", "paid" },
	{ "已付款", "paid" },
	{ "支付成功", "paid" },
	{ "待处理", "processing" },
	{ "处理中", "processing" },
	{ "充值中", "processing" },
	{ "待发货", "processing" },
	{ "已发货", "delivered" },
	{ "已发卡", "delivered" },
	{ "已完成", "completed" },
	{ "交易成功", "completed" },
	{ "完成", "completed" },
	{ "已退款", "refunded" },
	{ "退款成功", "refunded" },
	{ "已取消", "cancelled" },
	{ "已关闭", "cancelled" },
	{ "交易关闭", "cancelled" },
	{ "失败", "failed" },
	{ "处理失败", "failed" },
	{ "异常", "failed" },
	{ "已过期", "expired" },
	{ "已冻结", "frozen" },
	{ "冻结", "frozen" },
	{ "已失效", "expired" },
	{ "pending", "pending_payment" },
	{ "unpaid", "pending_payment" },
	{ "pending_payment", "pending_payment" },
	{ "paid", "paid" },
	{ "processing", "processing" },
	{ "delivered", "delivered" },
	{ "shipped", "delivered" },
	{ "completed", "completed" },
	{ "complete", "completed" },
	{ "success", "completed" },
	{ "refunded", "refunded" },
	{ "cancelled", "cancelled" },
	{ "canceled", "cancelled" },
	{ "closed", "cancelled" },
	{ "failed", "failed" },
	{ "expired", "expired" },
	{ "unknown", "unknown" },
};

const char *kmv_profile__field_name(kmv_profile_field f)
{
	return (unsigned)f < KMV_PF_COUNT ? field_names[f] : "?";
}

/* The order states of profiles.md (their words: kmv/label.h). */
static const char *const states[] = {
	"pending_payment", "paid",     "processing", "delivered",
	"completed",       "refunded", "cancelled",  "failed",
	"expired",         "frozen",   "unknown",
};

bool kmv_profile__state_valid(const char *state)
{
	for (size_t i = 0; i < KMV_ARRAY_SIZE(states); i++)
		if (strcmp(states[i], state) == 0)
			return true;
	return false;
}

void kmv_profile__free(kmv_profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->encoding);
	for (size_t i = 0; i < KMV_PF_COUNT; i++)
		free(p->columns[i]);
	free(p->time_format);
	free(p->platform);
	for (size_t i = 0; i < p->nstatus; i++) {
		free(p->status[i].raw);
		free(p->status[i].state);
	}
	free(p->status);
	free(p->secret_if_col);
	free(p->secret_if_val);
	free(p->delivered_value);
	free(p);
}

static int set_str(char **field, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return kmv_error_nomem();
	free(*field);
	*field = copy;
	return 0;
}

static int bad_line(const char *display, int line, const char *what,
		    const char *value)
{
	kmv_error_set(KMV_ERROR_INPUT, "%s:%d: %s '%s'", display, line, _(what),
		      value);
	return KMV_EINPUT;
}

static int add_status(kmv_profile *p, const char *raw, const char *state)
{
	kmv_status_map *n = realloc(p->status, (p->nstatus + 1) * sizeof(*n));

	if (!n)
		return kmv_error_nomem();
	p->status = n;
	n[p->nstatus].raw = strdup(raw);
	n[p->nstatus].state = strdup(state);
	if (!n[p->nstatus].raw || !n[p->nstatus].state) {
		free(n[p->nstatus].raw);
		free(n[p->nstatus].state);
		return kmv_error_nomem();
	}
	p->nstatus++;
	return 0;
}

/* One `key = value` line (both already trimmed). */
/* status.WORD = STATE: the shop's status word and the state it means. */
static int parse_status(kmv_profile *p, const char *key, const char *value,
			const char *display, int line)
{
	if (!key[7])
		return bad_line(display, line, N_("empty status word in"), key);
	if (!kmv_profile__state_valid(value))
		return bad_line(display, line,
				N_("unknown state (pending_"
				   "payment, paid, processing, delivered, "
				   "completed, refunded, cancelled, failed, "
				   "expired, unknown):"),
				value);
	return add_status(p, key + 7, value);
}

static int parse_delimiter(kmv_profile *p, const char *value,
			   const char *display, int line)
{
	if (strcmp(value, "tab") == 0 || strcmp(value, "\\t") == 0)
		p->delimiter = '\t';
	else if (strlen(value) == 1 && value[0] != '"' && value[0] != '\n')
		p->delimiter = value[0];
	else
		return bad_line(display, line,
				N_("delimiter must be one "
				   "character or 'tab', not"),
				value);
	return 0;
}

static int parse_header_row(kmv_profile *p, const char *value,
			    const char *display, int line)
{
	char *end;
	long n;

	if (strcmp(value, "auto") == 0) {
		p->header_row = 0;
		return 0;
	}
	errno = 0;
	n = strtol(value, &end, 10);
	if (errno || *end || n < 1 || n > 100000)
		return bad_line(display, line,
				N_("header_row must be a "
				   "row number or 'auto', not"),
				value);
	p->header_row = (int)n;
	return 0;
}

/* card_secret_if = COLUMN == VALUE */
static int parse_secret_if(kmv_profile *p, const char *value,
			   const char *display, int line)
{
	const char *eq = strstr(value, "==");
	char col[256], val[256];

	if (!eq || eq == value)
		return bad_line(display, line,
				N_("card_secret_if must be "
				   "'COLUMN == VALUE', not"),
				value);
	snprintf(col, sizeof(col), "%.*s", (int)(eq - value), value);
	snprintf(val, sizeof(val), "%s", eq + 2);
	if (set_str(&p->secret_if_col, kmv_trim(col)) < 0 ||
	    set_str(&p->secret_if_val, kmv_trim(val)) < 0)
		return KMV_ERROR;
	return 0;
}

static int parse_kv(kmv_profile *p, const char *key, const char *value,
		    const char *display, int line)
{
	for (size_t f = 0; f < KMV_PF_COUNT; f++)
		if (strcmp(key, field_names[f]) == 0)
			return set_str(&p->columns[f], value);
	if (strncmp(key, "status.", 7) == 0)
		return parse_status(p, key, value, display, line);
	if (strcmp(key, "delimiter") == 0)
		return parse_delimiter(p, value, display, line);
	if (strcmp(key, "encoding") == 0) {
		if (strcmp(value, "auto") != 0 && strcmp(value, "utf-8") != 0 &&
		    strcmp(value, "gb18030") != 0)
			return bad_line(display, line,
					N_("encoding must be auto, "
					   "utf-8 or gb18030, not"),
					value);
		return set_str(&p->encoding, value);
	}
	if (strcmp(key, "header_row") == 0)
		return parse_header_row(p, value, display, line);
	if (strcmp(key, "time_format") == 0) {
		if (strcmp(value, "auto") == 0) {
			free(p->time_format);
			p->time_format = NULL;
			return 0;
		}
		return set_str(&p->time_format, value);
	}
	if (strcmp(key, "timezone") == 0) {
		if (kmv_time_parse_offset(&p->offset_min, value) < 0)
			return bad_line(display, line,
					N_("timezone must look like "
					   "+08:00, not"),
					value);
		return 0;
	}
	if (strcmp(key, "platform") == 0)
		return set_str(&p->platform, value);
	if (strcmp(key, "card_secret_if") == 0)
		return parse_secret_if(p, value, display, line);
	if (strcmp(key, "amount_unit") == 0) {
		if (strcmp(value, "fen") != 0 && strcmp(value, "yuan") != 0)
			return bad_line(display, line,
					_("amount_unit must be "
					  "yuan or fen, not"),
					value);
		p->amounts_in_fen = strcmp(value, "fen") == 0;
		return 0;
	}
	if (strcmp(key, "delivered_value") == 0)
		return set_str(&p->delivered_value, value);
	if (strcmp(key, "strip_title_quantity") == 0) {
		p->strip_title_qty = strcmp(value, "yes") == 0 ||
				     strcmp(value, "true") == 0 ||
				     strcmp(value, "1") == 0;
		return 0;
	}
	return bad_line(display, line, N_("unknown key"), key);
}

static kmv_profile *profile_new(const char *name)
{
	kmv_profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->offset_min = KMV_TZ_CST;
	p->name = strdup(name);
	if (!p->name) {
		free(p);
		return NULL;
	}
	return p;
}

int kmv_profile__parse(kmv_profile **out, const char *text, const char *display)
{
	kmv_profile *p = profile_new(display);
	kmv_buf line = KMV_BUF_INIT;
	const char *s = text;
	int lineno = 0, error = 0;

	*out = NULL;
	if (!p)
		return kmv_error_nomem();
	if (strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (*s) {
		size_t n = strcspn(s, "\n");
		char *l, *eq, *hash;

		lineno++;
		kmv_buf_clear(&line);
		KMV_TRY(kmv_buf_put(&line, s, n));
		s += n;
		if (*s == '\n')
			s++;
		l = kmv_trim(line.ptr);
		/* '#' starts a comment at the start of a line or after a blank. */
		for (hash = l; (hash = strchr(hash, '#')) != NULL; hash++)
			if (hash == l || hash[-1] == ' ' || hash[-1] == '\t') {
				*hash = '\0';
				break;
			}
		l = kmv_trim(l);
		if (!*l)
			continue;
		eq = strchr(l, '=');
		if (!eq) {
			error = bad_line(display, lineno,
					 N_("expected 'key = value', "
					    "got"),
					 l);
			goto done;
		}
		*eq = '\0';
		KMV_TRY(parse_kv(p, kmv_trim(l), kmv_trim(eq + 1), display,
				 lineno));
	}
	for (int f = KMV_PF_ORDER_NO; f <= KMV_PF_AMOUNT; f++)
		if (!p->columns[f]) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "%s: missing required "
				      "key '%s'",
				      display, field_names[f]);
			error = KMV_EINPUT;
			goto done;
		}
	*out = p;
	p = NULL;
done:
	kmv_buf_dispose(&line);
	kmv_profile__free(p);
	return error;
}

int kmv_profile__load(kmv_profile **out, const char *name)
{
	kmv_buf text = KMV_BUF_INIT;
	int error = 0;

	*out = NULL;
	if (!name || strcmp(name, "generic") == 0) {
		kmv_profile *p = profile_new("generic");

		if (!p)
			return kmv_error_nomem();
		p->guess = true;
		*out = p;
		return 0;
	}
	for (size_t i = 0; i < KMV_ARRAY_SIZE(builtin_profiles); i++)
		if (strcmp(name, builtin_profiles[i].name) == 0) {
			KMV_TRY(kmv_profile__parse(out,
						   builtin_profiles[i].text,
						   builtin_profiles[i].name));
			return 0;
		}
	error = kmv_file_read(&text, name, (size_t)1 << 20);
	if (error == KMV_ENOTFOUND) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "unknown profile '%s' (built-in: "
			      "generic, dujiaoka, acg-faka, acg-faka-export, "
			      "acg-faka-query, zfaka, card-system; or a "
			      "profile file)",
			      name);
		error = KMV_EUSAGE;
		goto done;
	}
	if (error < 0)
		goto done;
	if (!kmv_utf8_valid(text.ptr, text.size)) {
		kmv_error_set(KMV_ERROR_INPUT, "%s: profile is not UTF-8 text",
			      name);
		error = KMV_EINPUT;
		goto done;
	}
	error = kmv_profile__parse(out, text.ptr, kmv_basename(name));
done:
	kmv_buf_dispose(&text);
	return error;
}

/*
 * Header text as compared with synonyms: ASCII lower-cased, spaces, '_',
 * '-', '.' and '/' dropped, and a trailing unit in parentheses removed
 * ("金额(元)", "订单金额（元）").
 */
static void normalize_header(char *out, size_t outsz, const char *in)
{
	size_t o = 0;
	char *paren;

	for (const char *s = in; *s && o + 1 < outsz; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '/' ||
		    c == '\t')
			continue;
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
	if ((paren = strstr(out, "\xEF\xBC\x88")) != NULL && paren != out)
		*paren = '\0'; /* （ */
	else if ((paren = strchr(out, '(')) != NULL && paren != out)
		*paren = '\0';
}

static int find_exact(const char *name, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char cell[256];

		snprintf(cell, sizeof(cell), "%s", cells[i]);
		if (strcmp(kmv_trim(cell), name) == 0)
			return (int)i;
	}
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(cells[i], name) == 0)
			return (int)i;
	return -1;
}

static int find_synonym(kmv_profile_field f, const char *const *cells, size_t n,
			const kmv_profile_map *taken)
{
	for (size_t k = 0; synonyms[f][k]; k++) {
		for (size_t i = 0; i < n; i++) {
			char norm[256];
			bool used = false;

			normalize_header(norm, sizeof(norm), cells[i]);
			if (strcmp(norm, synonyms[f][k]) != 0)
				continue;
			for (int g = 0; g < KMV_PF_COUNT; g++)
				if (taken->col[g] == (int)i)
					used = true;
			if (!used)
				return (int)i;
		}
	}
	return -1;
}

bool kmv_profile__map_header(kmv_profile_map *map, const kmv_profile *p,
			     const char *const *cells, size_t ncells,
			     kmv_buf *missing)
{
	bool ok = true;

	for (int f = 0; f < KMV_PF_COUNT; f++)
		map->col[f] = -1;
	map->secret_if = -1;
	/* Named columns first, so guessing never steals them. */
	for (int f = 0; f < KMV_PF_COUNT; f++)
		if (p->columns[f])
			map->col[f] = find_exact(p->columns[f], cells, ncells);
	if (p->guess)
		for (int f = 0; f < KMV_PF_COUNT; f++)
			if (!p->columns[f] && map->col[f] < 0)
				map->col[f] = find_synonym((kmv_profile_field)f,
							   cells, ncells, map);
	if (p->secret_if_col)
		map->secret_if = find_exact(p->secret_if_col, cells, ncells);
	map->amount_from_unit_price = false;
	if (p->guess && !p->columns[KMV_PF_AMOUNT] &&
	    map->col[KMV_PF_AMOUNT] < 0 && map->col[KMV_PF_UNIT_PRICE] >= 0 &&
	    map->col[KMV_PF_QUANTITY] >= 0)
		map->amount_from_unit_price = true; /* price × num */
	for (int f = KMV_PF_ORDER_NO; f <= KMV_PF_AMOUNT; f++) {
		if (map->col[f] >= 0 ||
		    (f == KMV_PF_AMOUNT && map->amount_from_unit_price))
			continue;
		ok = false;
		if (missing) {
			if (missing->size)
				kmv_buf_puts(missing, ", ");
			kmv_buf_puts(missing, field_names[f]);
			if (p->columns[f])
				kmv_buf_printf(missing, " (column '%s')",
					       p->columns[f]);
		}
	}
	return ok;
}

int kmv_profile__map_score(const kmv_profile_map *map)
{
	int n = 0;

	for (int f = 0; f < KMV_PF_COUNT; f++)
		n += map->col[f] >= 0;
	return n;
}

int kmv_profile__describe(kmv_buf *out, const kmv_profile_map *map,
			  const char *const *cells)
{
	bool first = true;
	int error = 0;

	KMV_TRY(kmv_buf_puts(out, _("columns: ")));
	for (int f = 0; f < KMV_PF_COUNT; f++) {
		if (map->col[f] < 0)
			continue;
		/* the profile file's key = the file's header */
		KMV_TRY(kmv_buf_printf(out, "%s%s=%s", first ? "" : _(", "),
				       field_names[f], cells[map->col[f]]));
		first = false;
	}
	if (map->amount_from_unit_price)
		KMV_TRY(kmv_buf_printf(out, "%samount=%s × %s", _(", "),
				       cells[map->col[KMV_PF_UNIT_PRICE]],
				       cells[map->col[KMV_PF_QUANTITY]]));
done:
	return error;
}

const char *kmv_profile__status(const kmv_profile *p, const char *raw)
{
	char word[128];

	if (!raw || !*raw)
		return "unknown";
	snprintf(word, sizeof(word), "%s", raw);
	kmv_trim(word);
	for (size_t i = 0; p && i < p->nstatus; i++)
		if (strcmp(p->status[i].raw, word) == 0)
			return p->status[i].state;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(builtin_words); i++)
		if (strcasecmp(builtin_words[i].raw, word) == 0)
			return builtin_words[i].state;
	return "unknown";
}

static bool all_digits(const char *s, size_t *n)
{
	size_t i = 0;

	while (isdigit((unsigned char)s[i]))
		i++;
	*n = i;
	return i > 0 && s[i] == '\0';
}

int kmv_profile__time(kmv_time *out, const kmv_profile *p, const char *text,
		      bool is_number, double number)
{
	char buf[128];
	size_t ndig;
	char *end;

	if (is_number && !p->time_format)
		return kmv_time_from_excel(out, number, p->offset_min);
	snprintf(buf, sizeof(buf), "%s", text ? text : "");
	kmv_trim(buf);
	if (!*buf)
		return KMV_EINPUT;
	if (p->time_format) {
		struct tm tm;
		const char *rest;

		memset(&tm, 0, sizeof(tm));
		rest = strptime(buf, p->time_format, &tm);
		if (!rest)
			return KMV_EINPUT;
		while (*rest == ' ')
			rest++;
		if (*rest || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1)
			return KMV_EINPUT;
		out->epoch = kmv_days_from_civil(tm.tm_year + 1900,
						 (unsigned)tm.tm_mon + 1,
						 (unsigned)tm.tm_mday) *
				     86400 +
			     tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec -
			     (int64_t)p->offset_min * 60;
		out->offset_min = p->offset_min;
		return 0;
	}
	if (kmv_time_parse(out, buf, p->offset_min, NULL) == 0)
		return 0;
	/* JSON exports: epoch seconds (10 digits) or milliseconds (13). */
	if (all_digits(buf, &ndig) && (ndig == 10 || ndig == 13)) {
		long long v = strtoll(buf, NULL, 10);

		out->epoch = ndig == 13 ? v / 1000 : v;
		out->offset_min = p->offset_min;
		return 0;
	}
	/* An Excel serial written as text ("45376.5"). */
	number = strtod(buf, &end);
	if (end != buf && *end == '\0' && strchr(buf, '-') == NULL)
		return kmv_time_from_excel(out, number, p->offset_min);
	return KMV_EINPUT;
}

const char *kmv_profile__detect(const char *const *cells, size_t ncells)
{
	for (size_t i = 0; i < KMV_ARRAY_SIZE(builtin_profiles); i++) {
		bool all = true;

		for (const char *const *m = builtin_profiles[i].marks;
		     *m && all; m++) {
			bool found = false;

			for (size_t c = 0; c < ncells && !found; c++)
				found = cells[c] &&
					strcasecmp(cells[c], *m) == 0;
			all = found;
		}
		if (all)
			return builtin_profiles[i].name;
	}
	return NULL;
}
