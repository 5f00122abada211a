/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_DATETIME_H
#define KMVUTIL_DATETIME_H

#include <stdint.h>
#include <stdbool.h>

/**
 * @file kmvutil/datetime.h
 * Times as kmvault keeps them: epoch seconds plus the UTC offset of the
 * source (statements are China Standard Time, +08:00).  Formatting never
 * consults the process time zone; output is ISO 8601 with the offset,
 * e.g. "2024-03-12T12:05:33+08:00".
 */

#define KMV_TZ_CST (8 * 60) /**< China Standard Time, minutes east of UTC */
#define KMV_TIME_BUFSZ 64

typedef struct kmv_time {
	int64_t epoch;  /**< seconds since 1970-01-01T00:00:00Z */
	int offset_min; /**< UTC offset of the source, minutes east */
} kmv_time;

/** Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t kmv_days_from_civil(int64_t y, unsigned m, unsigned d);

/** Inverse of kmv_days_from_civil(). */
void kmv_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/**
 * Elapsed days from `from_epoch` to `to_epoch` as a person counts them:
 * China Standard Time calendar days (the 25th to the 27th is 2 days,
 * whatever the hours).  Negative when `to` is earlier.  The one rule for
 * every day count kmvault prints (anomalies, remind, cases), so that two
 * commands never disagree by one about the same order.
 */
int64_t kmv_days_between(int64_t from_epoch, int64_t to_epoch);

/**
 * Parse a statement time.  Accepts "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD
 * HH:MM", "YYYY/M/D H:MM[:SS]", "YYYY-MM-DD" (midnight), the Chinese
 * form of WeChat's and Alipay's bill pages ("2024年3月27日 14:05:09",
 * blank optional, "2024年3月27日" midnight), ISO 8601 with
 * 'T' and an offset ("Z", "+08:00", "+0800").  Without an offset in the
 * text, `default_offset_min` applies.  `*no_seconds` (may be NULL) tells
 * whether the seconds were missing (a sign of an Excel re-save).
 * Returns 0 or KMV_EINPUT.
 */
int kmv_time_parse(kmv_time *out, const char *text, int default_offset_min,
		   bool *no_seconds);

/** An Excel serial date (1900 system) read as local time at `offset_min`. */
int kmv_time_from_excel(kmv_time *out, double serial, int offset_min);

/** Format as "YYYY-MM-DDTHH:MM:SS+08:00". */
const char *kmv_time_format(char out[KMV_TIME_BUFSZ], const kmv_time *t);

/** Format as "YYYY-MM-DD HH:MM:SS" (local to the offset, no zone). */
const char *kmv_time_format_plain(char out[KMV_TIME_BUFSZ], const kmv_time *t);

/** Parse "+08:00", "+0800", "Z", "-05:30". Returns 0 or KMV_EINPUT. */
int kmv_time_parse_offset(int *offset_min_out, const char *text);

/**
 * The current time.  The environment variable KMVAULT_NOW (epoch seconds
 * or an ISO 8601 time) overrides the clock; the test suite uses it as a
 * fake clock for retention, deadlines and reminders.
 */
kmv_time kmv_time_now(void);

#endif
