/* SPDX-License-Identifier: MIT */
/*
 * What the statement sources' hooks (alipay.c, wechat.c, jd.c) read of a
 * row's text: prefixes, suffixes, an amount after a label, refund rows.
 * Below both the engine (statement.c) and the sources, so the engine calls
 * the sources through their table and the sources never call the engine.
 */
#include "common.h"
#include "import/statement.h"
#include "kmvutil/money.h"

bool kmv_statement__starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The amount right after `label` in `text` ("服务费¥0.10"), as fen. */
bool kmv_statement__amount_after(int64_t *fen, const char *text,
				 const char *label)
{
	const char *p = text ? strstr(text, label) : NULL;
	char num[48];
	size_t n = 0;

	if (!p)
		return false;
	p += strlen(label);
	while (*p && n + 1 < sizeof(num)) {
		/* ¥ U+00A5 and ￥ U+FFE5 may lead; "(" and spaces are skipped. */
		if (kmv_statement__starts(p, "\xC2\xA5"))
			p += 2;
		else if (kmv_statement__starts(p, "\xEF\xBF\xA5"))
			p += 3;
		else if (*p == '(' || *p == ' ')
			p++;
		else if (strchr("0123456789.,", *p))
			num[n++] = *p++;
		else
			break;
	}
	num[n] = '\0';
	return kmv_money_parse(fen, num) == 0;
}

bool kmv_statement__refund_row(const st_row *r)
{
	return (r->rec.category && strcmp(r->rec.category, "退款") == 0) ||
	       kmv_statement__starts(r->rec.product, "退款-");
}

bool kmv_statement__ends(const char *s, const char *suffix)
{
	size_t n, m;

	if (!s)
		return false;
	n = strlen(s);
	m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}
