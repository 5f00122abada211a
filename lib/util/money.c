/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmvutil/money.h"

#include <math.h>

/* Skip one of the currency decorations statements put around numbers. */
static size_t decoration_len(const unsigned char *s)
{
	if (s[0] == ' ' || s[0] == '\t')
		return 1;
	if (s[0] == 0xC2 && s[1] == 0xA5) /* ¥ U+00A5 */
		return 2;
	if (s[0] == 0xEF && s[1] == 0xBF && s[2] == 0xA5) /* ￥ U+FFE5 */
		return 3;
	if (s[0] == 0xE5 && s[1] == 0x85 && s[2] == 0x83) /* 元 U+5143 */
		return 3;
	if (s[0] == 0xC2 && s[1] == 0xA0) /* no-break space */
		return 2;
	return 0;
}

int kmv_money_parse(int64_t *fen_out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	int64_t yuan = 0;
	int fen = 0, decimals = 0, digits = 0, sign = 1;
	/* Digits of the integer part since the last thousands comma. */
	int group_digits = 0;
	bool grouped = false, in_fraction = false, seen_end = false;
	size_t skip;

	while (*s) {
		if ((skip = decoration_len(s)) > 0) {
			if (digits)
				seen_end = true;
			s += skip;
			continue;
		}
		if (seen_end)
			return KMV_EINPUT;
		if ((*s == '-' || *s == '+') && digits == 0 && !in_fraction) {
			if (sign < 0)
				return KMV_EINPUT;
			sign = *s == '-' ? -1 : 1;
			s++;
			continue;
		}
		if (*s == ',' && digits > 0 && !in_fraction) {
			/*
			 * A comma only separates thousands (1,000.50): the
			 * first group has 1-3 digits, every later one 3.  A
			 * decimal comma (9,90) is refused, never read as 990.
			 */
			if (grouped ? group_digits != 3 : group_digits > 3)
				return KMV_EINPUT;
			grouped = true;
			group_digits = 0;
			s++;
			continue;
		}
		if (*s == '.' && !in_fraction) {
			if (grouped && group_digits != 3)
				return KMV_EINPUT;
			in_fraction = true;
			s++;
			continue;
		}
		if (*s < '0' || *s > '9')
			return KMV_EINPUT;
		if (in_fraction) {
			if (decimals < 2)
				fen = fen * 10 + (*s - '0');
			else if (*s != '0')
				return KMV_EINPUT;
			decimals++;
		} else {
			if (yuan > (INT64_MAX / 100 - 9) / 10)
				return KMV_EINPUT;
			yuan = yuan * 10 + (*s - '0');
			group_digits++;
		}
		digits++;
		s++;
	}
	if (digits == 0 || (grouped && !in_fraction && group_digits != 3))
		return KMV_EINPUT;
	if (decimals == 1)
		fen *= 10;
	*fen_out = sign * (yuan * 100 + fen);
	return 0;
}

int kmv_money_from_double(int64_t *fen_out, double yuan)
{
	double fen = round(yuan * 100.0);

	if (!isfinite(fen) || fabs(fen) > 9.0e15)
		return KMV_EINPUT;
	*fen_out = (int64_t)fen;
	return 0;
}

const char *kmv_money_format(char out[KMV_MONEY_BUFSZ], int64_t fen)
{
	uint64_t abs = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;

	snprintf(out, KMV_MONEY_BUFSZ, "%s%llu.%02llu", fen < 0 ? "-" : "",
		 (unsigned long long)(abs / 100),
		 (unsigned long long)(abs % 100));
	return out;
}
