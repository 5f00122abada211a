/* SPDX-License-Identifier: MIT */
#ifndef KMV_REMIND_H
#define KMV_REMIND_H

#include <stdint.h>

#include "kmv/vault.h"

/**
 * @file kmv/remind.h
 * What is due: the reminders `kmvault remind` prints for a terminal, a
 * mail from cron, or a program (--json).
 *
 * Types:
 *  - membership_expiry      an active membership expires within N days
 *                           (or has expired and was not ended or renewed)
 *  - membership_inactivity  last login + inactivity days falls within N days
 *  - case_deadline          an open case's reply deadline is within N days
 *                           or already past
 *  - undelivered            an order paid but not delivered past its
 *                           deadline (2 h): from the anomaly detector, and
 *                           directly from orders still paid/processing
 *  - retention              an order reaches 3 years of age within N days:
 *                           export its evidence before platforms may purge it
 */

typedef struct kmv_reminder {
	const char *type;
	const char *due;     /**< "YYYY-MM-DD" (or an ISO time) */
	int64_t days_left;   /**< negative: overdue */
	int64_t ref;         /**< membership, case or record id */
	const char *subject; /**< platform + level, order number */
	const char *detail;  /**< one sentence */
	int64_t amount;      /**< fen; -1 when not applicable */
	const char *item;    /**< the name for kmv_remind_ack(): TYPE:ID
				       or TYPE:ORDER_NO */
} kmv_reminder;

typedef int (*kmv_reminder_cb)(const kmv_reminder *r, void *payload);

typedef struct kmv_remind_options {
	unsigned int version;
	int days;                 /**< look-ahead window (default 7) */
	double undelivered_hours; /**< default 2 */
	int retention_years;      /**< default 3 */
} kmv_remind_options;

#define KMV_REMIND_OPTIONS_VERSION 1
#define KMV_REMIND_OPTIONS_INIT                       \
	{                                             \
		KMV_REMIND_OPTIONS_VERSION, 7, 2.0, 3 \
	}

/**
 * Collect the reminders as of kmv_time_now() (KMVAULT_NOW honoured) and
 * hand them to `cb`, most urgent first (fewest days left).  Reads only.
 * Acknowledged items (kmv_remind_ack) are left out while silenced.  An
 * undelivered order that has a case is not an undelivered item: an open
 * case's reply deadline is its case_deadline item, a closed case ended it.
 */
int kmv_remind_foreach(kmv_vault *vault, const kmv_remind_options *opts,
		       kmv_reminder_cb cb, void *payload);

/**
 * Silence one item (`item` as kmv_reminder.item names it): through
 * `until` ("YYYY-MM-DD", inclusive) when given, else for as long as it
 * stays due on the same date.  Stored in the vault's settings and audited
 * as "remind_ack"; needs a vault opened for writing (the caller saves).
 * KMV_ENOTFOUND when no such item is due (at any distance), KMV_EUSAGE
 * for a bad or past --until.  `*due_out` (may be NULL) gets the item's
 * due date, malloc'd.
 */
int kmv_remind_ack(kmv_vault *vault, const char *item, const char *until,
		   char **due_out);

#endif
