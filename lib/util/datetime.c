/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmvutil/datetime.h"

#include <ctype.h>
#include <math.h>
#include <time.h>

/*
 * Civil-date arithmetic after Howard Hinnant's public-domain algorithms
 * (eras of 400 years); exact for the whole int64 range we care about and
 * independent of the process time zone, unlike mktime/localtime.
 */
int64_t kmv_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The China Standard Time day (days since 1970-01-01) of an epoch time. */
static int64_t cst_day(int64_t epoch)
{
	int64_t local = epoch + KMV_TZ_CST * 60;

	return local / 86400 - (local % 86400 < 0);
}

int64_t kmv_days_between(int64_t from_epoch, int64_t to_epoch)
{
	return cst_day(to_epoch) - cst_day(from_epoch);
}

void kmv_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, unsigned m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

/* Read 1..maxdigits decimal digits. */
static bool read_num(const char **sp, int mindigits, int maxdigits, long *out)
{
	const char *s = *sp;
	long v = 0;
	int n = 0;

	while (n < maxdigits && isdigit((unsigned char)s[n])) {
		v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n < mindigits)
		return false;
	*out = v;
	*sp = s + n;
	return true;
}

int kmv_time_parse_offset(int *offset_min_out, const char *s)
{
	long h = 0, mi = 0;
	int sign;

	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*offset_min_out = 0;
		return 0;
	}
	if (s[0] != '+' && s[0] != '-')
		return KMV_EINPUT;
	sign = s[0] == '-' ? -1 : 1;
	s++;
	if (!read_num(&s, 2, 2, &h))
		return KMV_EINPUT;
	if (*s == ':')
		s++;
	if (*s && !read_num(&s, 2, 2, &mi))
		return KMV_EINPUT;
	if (*s || h > 14 || mi > 59)
		return KMV_EINPUT;
	*offset_min_out = sign * (int)(h * 60 + mi);
	return 0;
}

/* 年, 月, 日 in UTF-8 */
#define YEAR_MARK "\xE5\xB9\xB4"
#define MONTH_MARK "\xE6\x9C\x88"
#define DAY_MARK "\xE6\x97\xA5"

/* The date part: 2024-03-27, 2024/3/27 or 2024年3月27日. */
static bool read_date(const char **sp, long *y, long *mo, long *d,
		      bool *chinese)
{
	const char *s = *sp;
	char sep;

	if (!read_num(&s, 4, 4, y))
		return false;
	*chinese = strncmp(s, YEAR_MARK, 3) == 0;
	if (*chinese) {
		/* WeChat's and Alipay's bill pages: 2024年3月27日 14:05:09 */
		s += 3;
		if (!read_num(&s, 1, 2, mo) || strncmp(s, MONTH_MARK, 3) != 0)
			return false;
		s += 3;
		if (!read_num(&s, 1, 2, d) || strncmp(s, DAY_MARK, 3) != 0)
			return false;
		s += 3;
	} else {
		sep = *s;
		if (sep != '-' && sep != '/')
			return false;
		s++;
		if (!read_num(&s, 1, 2, mo) || *s != sep)
			return false;
		s++;
		if (!read_num(&s, 1, 2, d))
			return false;
	}
	*sp = s;
	return true;
}

/* The time of day after the date, if any: [ T]14:05[:09[.123]]. */
static bool read_clock(const char **sp, bool chinese, long *h, long *mi,
		       long *se, bool *has_seconds)
{
	const char *s = *sp;

	*has_seconds = true; /* a bare date is not a re-save symptom */
	if (!(*s == ' ' || *s == 'T' || *s == 't' ||
	      (chinese && isdigit((unsigned char)*s))))
		return true;
	while (*s == ' ' || *s == 'T' || *s == 't')
		s++;
	if (!read_num(&s, 1, 2, h) || *s != ':')
		return false;
	s++;
	if (!read_num(&s, 2, 2, mi))
		return false;
	*has_seconds = *s == ':';
	if (*has_seconds) {
		s++;
		if (!read_num(&s, 2, 2, se))
			return false;
		if (*s == '.') { /* fractional seconds: ignored */
			s++;
			while (isdigit((unsigned char)*s))
				s++;
		}
	}
	*sp = s;
	return true;
}

/* A trailing zone (Z, +08:00, +0800), spaces around it allowed. */
static int read_zone(const char *s, int *offset)
{
	char zone[16];
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(zone))
		return KMV_EINPUT;
	memcpy(zone, s, n);
	zone[n] = '\0';
	return kmv_time_parse_offset(offset, zone) < 0 ? KMV_EINPUT : 0;
}

int kmv_time_parse(kmv_time *out, const char *text, int default_offset_min,
		   bool *no_seconds)
{
	const char *s = text;
	long y, mo, d, h = 0, mi = 0, se = 0;
	int offset = default_offset_min;
	bool has_seconds, chinese;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!read_date(&s, &y, &mo, &d, &chinese) ||
	    !read_clock(&s, chinese, &h, &mi, &se, &has_seconds) ||
	    read_zone(s, &offset) < 0)
		return KMV_EINPUT;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (unsigned)mo) ||
	    h > 23 || mi > 59 || se > 60)
		return KMV_EINPUT;
	out->epoch = kmv_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		     h * 3600 + mi * 60 + se - (int64_t)offset * 60;
	out->offset_min = offset;
	if (no_seconds)
		*no_seconds = !has_seconds;
	return 0;
}

int kmv_time_from_excel(kmv_time *out, double serial, int offset_min)
{
	double secs;

	/* Serial 25569 is 1970-01-01 in Excel's 1900 date system. */
	if (!isfinite(serial) || serial < 1 || serial > 2958466)
		return KMV_EINPUT;
	secs = round((serial - 25569.0) * 86400.0);
	out->epoch = (int64_t)secs - (int64_t)offset_min * 60;
	out->offset_min = offset_min;
	return 0;
}

static void split(const kmv_time *t, int64_t *y, unsigned *mo, unsigned *d,
		  int *h, int *mi, int *se)
{
	int64_t local = t->epoch + (int64_t)t->offset_min * 60;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t rem = local - days * 86400;

	kmv_civil_from_days(days, y, mo, d);
	*h = (int)(rem / 3600);
	*mi = (int)(rem % 3600 / 60);
	*se = (int)(rem % 60);
}

static char *put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/*
 * Digits by hand: this runs once per imported record, where snprintf's
 * format parsing cost more than the rest of the record's time handling.
 */
const char *kmv_time_format(char out[KMV_TIME_BUFSZ], const kmv_time *t)
{
	int64_t y;
	unsigned mo, d;
	int h, mi, se, off = t->offset_min < 0 ? -t->offset_min : t->offset_min;
	char *p = out;

	split(t, &y, &mo, &d, &h, &mi, &se);
	if (y < 0 || y > 9999 || off >= 100 * 60) {
		snprintf(out, KMV_TIME_BUFSZ,
			 "%04lld-%02u-%02uT%02d:%02d:%02d%c%02d:%02d",
			 (long long)y, mo, d, h, mi, se,
			 t->offset_min < 0 ? '-' : '+', off / 60, off % 60);
		return out;
	}
	p = put2(p, (unsigned)(y / 100));
	p = put2(p, (unsigned)(y % 100));
	*p++ = '-';
	p = put2(p, mo);
	*p++ = '-';
	p = put2(p, d);
	*p++ = 'T';
	p = put2(p, (unsigned)h);
	*p++ = ':';
	p = put2(p, (unsigned)mi);
	*p++ = ':';
	p = put2(p, (unsigned)se);
	*p++ = t->offset_min < 0 ? '-' : '+';
	p = put2(p, (unsigned)(off / 60));
	*p++ = ':';
	p = put2(p, (unsigned)(off % 60));
	*p = '\0';
	return out;
}

const char *kmv_time_format_plain(char out[KMV_TIME_BUFSZ], const kmv_time *t)
{
	int64_t y;
	unsigned mo, d;
	int h, mi, se;

	split(t, &y, &mo, &d, &h, &mi, &se);
	snprintf(out, KMV_TIME_BUFSZ, "%04lld-%02u-%02u %02d:%02d:%02d",
		 (long long)y, mo, d, h, mi, se);
	return out;
}

kmv_time kmv_time_now(void)
{
	kmv_time t = { (int64_t)time(NULL), KMV_TZ_CST };
	const char *fake = getenv("KMVAULT_NOW");

	if (fake && *fake) {
		char *end;
		long long v = strtoll(fake, &end, 10);

		if (*end == '\0')
			t.epoch = v;
		else
			kmv_time_parse(&t, fake, KMV_TZ_CST, NULL);
	}
	return t;
}
