/* SPDX-License-Identifier: MIT */
/*
 * Working days and calendar dates.  Only weekends are modelled: Chinese
 * public holidays and the weekend days worked in exchange move every year
 * by State Council notice, and a wrong table is worse than none.  Without
 * them a deadline falls early, never late (docs/kmvault-case.md).
 */
#include "common.h"
#include "backup/internal.h"
#include "kmv/case.h"
#include "kmv/datetime.h"

#include <inttypes.h>

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int kmv_date__weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int64_t kmv_date__of_epoch(int64_t epoch)
{
	return floor_div(epoch + KMV_TZ_CST * 60, 86400);
}

int64_t kmv_date__today(void)
{
	kmv_time now = kmv_time_now();

	return floor_div(now.epoch + (int64_t)now.offset_min * 60, 86400);
}

const char *kmv_date__format(char out[KMV_DATE_BUFSZ], int64_t days)
{
	int64_t y;
	unsigned m, d;

	kmv_civil_from_days(days, &y, &m, &d);
	snprintf(out, KMV_DATE_BUFSZ, "%04" PRId64 "-%02u-%02u", y, m, d);
	return out;
}

int kmv_date__parse(int64_t *days_out, const char *text, const char *what)
{
	kmv_time t;

	if (!text || kmv_time_parse(&t, text, KMV_TZ_CST, NULL) < 0) {
		kmv_error_set(KMV_ERROR_INPUT, "%s: '%s' is not a date "
			      "(expected YYYY-MM-DD)", what, text ? text : "");
		return KMV_EUSAGE;
	}
	*days_out = floor_div(t.epoch + (int64_t)t.offset_min * 60, 86400);
	return 0;
}

bool kmv_workday(int64_t days)
{
	return kmv_date__weekday(days) < 5;
}

int64_t kmv_workdays_add(int64_t start, int n)
{
	int64_t d = start;

	if (n <= 0)
		return start;
	/* Whole weeks first, so a long window is not a long loop. */
	while (n > 5) {
		d += 7;
		n -= 5;
	}
	while (n > 0) {
		d++;
		if (kmv_workday(d))
			n--;
	}
	return d;
}

int64_t kmv_workdays_between(int64_t from, int64_t to)
{
	int64_t n = 0, sign = 1, a = from, b = to;

	if (to < from) {
		a = to;
		b = from;
		sign = -1;
	}
	/* Whole weeks hold 5 working days each. */
	n = ((b - a) / 7) * 5;
	for (int64_t d = a + ((b - a) / 7) * 7 + 1; d <= b; d++)
		if (kmv_workday(d))
			n++;
	return sign * n;
}

const char *kmv_date__now_text(char out[64])
{
	kmv_time now = kmv_time_now();

	return kmv_time_format(out, &now);
}
