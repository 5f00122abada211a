/* SPDX-License-Identifier: MIT */
/*
 * Working days and calendar dates.  Weekends are built in; Chinese public
 * holidays and the weekend days worked in exchange (调休) move every year
 * by State Council notice, and a wrong built-in table would be worse than
 * none, so they come from a calendar file the user keeps
 * (kmv_workdays_load_calendar; format in docs/kmvault-case.md).  Without
 * one a deadline falls early, never late.
 */
#include "common.h"
#include "followup/internal.h"
#include "kmv/case.h"
#include "kmv/i18n.h"
#include "kmvutil/datetime.h"
#include "kmvutil/file.h"
#include "kmvutil/text.h"

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
	/* CST like every other day count, even for a fake clock given in UTC */
	return kmv_date__of_epoch(kmv_time_now().epoch);
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
		kmv_error_set(KMV_ERROR_INPUT,
			      "%s: '%s' is not a date "
			      "(expected YYYY-MM-DD)",
			      what, text ? text : "");
		return KMV_EUSAGE;
	}
	*days_out = floor_div(t.epoch + (int64_t)t.offset_min * 60, 86400);
	return 0;
}

/* The loaded calendar: ranges of days off and of weekend days worked. */
struct day_range {
	int64_t first, last;
	bool work;
};

static struct {
	struct day_range *ranges;
	size_t n;
} calendar;

void kmv_workdays_clear_calendar(void)
{
	free(calendar.ranges);
	calendar.ranges = NULL;
	calendar.n = 0;
}

/* "YYYY-MM-DD" at *p (exactly ten characters) as days. */
static bool parse_day(int64_t *out, const char **p)
{
	char text[11];

	if (strlen(*p) < 10)
		return false;
	memcpy(text, *p, 10);
	text[10] = '\0';
	if (text[4] != '-' || text[7] != '-' ||
	    kmv_date__parse(out, text, "date") < 0)
		return false;
	*p += 10;
	return true;
}

/* "FIRST[..LAST] off|work [note]"; 0 or a message (N_) for the caller. */
static const char *parse_line(struct day_range *r, const char *line)
{
	const char *p = line;

	if (!parse_day(&r->first, &p))
		return N_("expected a date YYYY-MM-DD");
	r->last = r->first;
	if (strncmp(p, "..", 2) == 0) {
		p += 2;
		if (!parse_day(&r->last, &p))
			return N_("expected a second date after '..'");
		if (r->last < r->first)
			return N_("the range ends before it starts");
		if (r->last - r->first > 366)
			return N_("a range longer than a year");
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "off", 3) == 0 && (!p[3] || p[3] == ' ' || p[3] == '\t'))
		r->work = false;
	else if (strncmp(p, "work", 4) == 0 &&
		 (!p[4] || p[4] == ' ' || p[4] == '\t'))
		r->work = true;
	else
		return N_("expected 'off' or 'work' after the date");
	return NULL;
}

int kmv_workdays_load_calendar(const char *path)
{
	kmv_buf text = KMV_BUF_INIT;
	struct day_range *ranges = NULL;
	size_t n = 0, alloc = 0;
	int64_t lineno = 0;
	char *line, *next;
	int error = 0;

	KMV_TRY(kmv_file_read(&text, path, (size_t)1 << 20));
	for (line = text.ptr; line && *line; line = next) {
		const char *why;
		char *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if ((end = strchr(line, '#')) != NULL)
			*end = '\0';
		line = kmv_trim(line);
		if (!*line)
			continue;
		if ((error = KMV_ARRAY_GROW(ranges, alloc, n + 1)) < 0)
			goto done;
		if ((why = parse_line(&ranges[n], line)) != NULL) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "%s:%lld: %s (lines are "
				      "'YYYY-MM-DD[..YYYY-MM-DD] off|work "
				      "[note]')",
				      path, (long long)lineno, _(why));
			error = KMV_EINPUT;
			goto done;
		}
		n++;
	}
	kmv_workdays_clear_calendar();
	calendar.ranges = ranges;
	calendar.n = n;
	ranges = NULL;
done:
	free(ranges);
	kmv_buf_dispose(&text);
	return error;
}

bool kmv_workday(int64_t days)
{
	/* A day both listed off and worked: "work" wins (the later notice). */
	bool off = false;

	for (size_t i = 0; i < calendar.n; i++) {
		const struct day_range *r = &calendar.ranges[i];

		if (days < r->first || days > r->last)
			continue;
		if (r->work)
			return true;
		off = true;
	}
	return !off && kmv_date__weekday(days) < 5;
}

int64_t kmv_workdays_add(int64_t start, int n)
{
	int64_t d = start;

	if (n <= 0)
		return start;
	/* Whole weeks first, so a long window is not a long loop (weekends
	 * only: a calendar makes weeks uneven). */
	while (n > 5 && calendar.n == 0) {
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
	if (calendar.n) {
		for (int64_t d = a + 1; d <= b; d++)
			if (kmv_workday(d))
				n++;
		return sign * n;
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
