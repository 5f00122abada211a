/* SPDX-License-Identifier: MIT */
#ifndef KMV_CASE_H
#define KMV_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "kmv/vault.h"

/**
 * @file kmv/case.h
 * Dispute cases: a complaint about an order (undelivered, charged twice,
 * wrong amount, refund not seen, not made by the user) with its records,
 * a status, notes, and a reply deadline counted in working days.
 *
 * Working days are Monday to Friday.  Public holidays (and the swapped
 * weekend working days of the Chinese calendar) are NOT modelled: a
 * deadline over a holiday comes out early, which errs on the safe side.
 *
 * Dates are "YYYY-MM-DD" in China Standard Time.  Every mutating call
 * appends an audit event; the caller saves the vault.
 */

/** Reasons a case may be opened for. */
#define KMV_CASE_REASONS                                                   \
	"undelivered, duplicate_charge, amount_mismatch, refund_missing, " \
	"unauthorized, other"
/** Statuses; the last two close a case. */
#define KMV_CASE_STATUSES "open, waiting_reply, escalated, resolved, rejected"

/** Default reply window in working days. */
#define KMV_CASE_REPLY_DAYS 7

/**
 * True for a working day (days since 1970-01-01): Monday to Friday, unless
 * the loaded calendar lists it "off"; a weekend day it lists "work" (调休)
 * is one.
 */
bool kmv_workday(int64_t days);

/**
 * Load a holiday calendar (replacing any loaded one): lines
 * `YYYY-MM-DD[..YYYY-MM-DD] off|work [note]`, `#` comments.  KMV_EINPUT
 * with "FILE:LINE: ..." on a bad line; KMV_ENOTFOUND when missing.
 * Process-wide, like a locale: the CLI loads it once at start.
 */
int kmv_workdays_load_calendar(const char *path);
void kmv_workdays_clear_calendar(void);

/**
 * The date `n` working days after `start` (days since 1970-01-01): the
 * count starts on the day after `start`, so Friday + 1 is Monday and a
 * case opened on Saturday with 1 day is due on Monday.  n <= 0 returns
 * `start`.
 */
int64_t kmv_workdays_add(int64_t start, int n);

/** Working days from `from` (exclusive) to `to` (inclusive); negative when to < from. */
int64_t kmv_workdays_between(int64_t from, int64_t to);

/** A case as listed.  Strings are borrowed for the callback. */
typedef struct kmv_case {
	int64_t id;
	const char *reason;
	const char *status;
	const char *opened_at; /**< ISO 8601 time */
	int64_t reply_days;
	const char *deadline;     /**< "YYYY-MM-DD", end of that day */
	const char *counterparty; /**< platform / merchant of the order */
	const char *order_no;     /**< the order the case was opened for */
	int64_t amount;           /**< fen of that order; -1 unknown */
	const char *closed_at;    /**< NULL while open */
	const char *last_note;    /**< newest note, may be NULL */
	int64_t nrecords;
} kmv_case;

typedef struct kmv_case_open_options {
	unsigned int version;
	const char *order_no; /**< required */
	const char *reason;   /**< required, one of KMV_CASE_REASONS */
	int reply_days;       /**< working days; 0: default (7) */
	const char *note;
} kmv_case_open_options;

#define KMV_CASE_OPEN_OPTIONS_VERSION 1
#define KMV_CASE_OPEN_OPTIONS_INIT                                 \
	{                                                          \
		KMV_CASE_OPEN_OPTIONS_VERSION, NULL, NULL, 0, NULL \
	}

/**
 * Open a case for an order: the case holds every record with that order
 * number (order, receipts, payments carrying it as merchant order number)
 * and the records linked to them.  The deadline is today + reply_days
 * working days.  KMV_ENOTFOUND when no record has the order number,
 * KMV_EUSAGE for an unknown reason, KMV_EEXISTS (the message names it)
 * when an open case already holds the order.
 */
int kmv_case_open(int64_t *id_out, kmv_vault *vault,
		  const kmv_case_open_options *opts);

/**
 * Change a case: a new status (NULL: unchanged), a note (NULL: none), a
 * new reply window counted from today (reply_days <= 0: unchanged).
 * Setting resolved or rejected closes the case; any other status reopens
 * it.  KMV_ENOTFOUND, KMV_EUSAGE (unknown status, nothing to change).
 */
int kmv_case_update(kmv_vault *vault, int64_t id, const char *status,
		    const char *note, int reply_days);

/** Close as resolved (status NULL) or rejected, with an optional note. */
int kmv_case_close(kmv_vault *vault, int64_t id, const char *status,
		   const char *note);

typedef int (*kmv_case_cb)(const kmv_case *c, void *payload);

/** Cases, open ones first by deadline, then closed ones; `all` false: open only. */
int kmv_case_foreach(kmv_vault *vault, bool all, kmv_case_cb cb, void *payload);

#endif
