/* SPDX-License-Identifier: MIT */
#ifndef KMV_FOLLOWUP_INTERNAL_H
#define KMV_FOLLOWUP_INTERNAL_H

/*
 * Calendar dates of memberships, cases and reminders: a day number (days
 * since 1970-01-01) in China Standard Time, stored as "YYYY-MM-DD".
 * Internal to lib/followup (workdays.c, member.c, case.c, remind.c).
 */
#include <stdint.h>
#include <sqlite3.h>

#define KMV_DATE_BUFSZ 16

/* Parse a date (any form kmv_time_parse takes; the CST day is kept). */
int kmv_date__parse(int64_t *days_out, const char *text, const char *what);

/* "YYYY-MM-DD". */
const char *kmv_date__format(char out[KMV_DATE_BUFSZ], int64_t days);

/* The CST day of an epoch time. */
int64_t kmv_date__of_epoch(int64_t epoch);

/* Today in CST (KMVAULT_NOW honoured). */
int64_t kmv_date__today(void);

/* 0 = Monday ... 6 = Sunday. */
int kmv_date__weekday(int64_t days);

/* The current time as ISO 8601 text (for created_at columns). */
const char *kmv_date__now_text(char out[64]);

#endif
