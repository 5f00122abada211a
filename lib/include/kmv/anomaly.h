/* SPDX-License-Identifier: MIT */
#ifndef KMV_ANOMALY_H
#define KMV_ANOMALY_H

#include <stddef.h>
#include <stdint.h>

#include "kmv/vault.h"

/**
 * @file kmv/anomaly.h
 * Findings that something went wrong with an order or payment, each with
 * the records that show it (issue 5).  Computed on demand from the
 * records and links; never stored.
 *
 * Types: duplicate_charge, amount_mismatch, payment_without_order,
 * undelivered, refund_missing, unknown_merchant.
 */

typedef struct kmv_anomaly {
	const char *type;
	const char *
		order_no; /**< the order's, or the payment's merchant order no */
	const int64_t *records; /**< ids of the records involved */
	size_t nrecords;
	int64_t amount;     /**< money at stake, fen */
	int64_t ts;         /**< when it happened (epoch), for period filters */
	const char *detail; /**< one sentence */
	const char *suggestion; /**< the next step (what to claim from whom) */
} kmv_anomaly;

typedef int (*kmv_anomaly_cb)(const kmv_anomaly *a, void *payload);

typedef struct kmv_anomaly_options {
	unsigned int version;
	const char *type;       /**< only this type, or NULL for all */
	double deadline_hours;  /**< undelivered after this (default 2) */
	int64_t from_ts, to_ts; /**< only findings in [from, to), 0 = open */
	const char *order_no;   /**< only findings about this order */
	int64_t refund_grace_s; /**< refund_missing after this (0: 7 days) */
	/* version 2: */
	int lang; /**< kmv_lang of detail and suggestion: KMV_LANG_LOCALE
			     (the user's), or ZH / EN whatever the locale (reports) */
} kmv_anomaly_options;

#define KMV_ANOMALY_OPTIONS_VERSION 2
#define KMV_ANOMALY_OPTIONS_INIT                                         \
	{                                                                \
		KMV_ANOMALY_OPTIONS_VERSION, NULL, 2.0, 0, 0, NULL, 0, 0 \
	}

/**
 * Compute the anomalies and hand each to `cb` (ordered by time, then
 * type, then record id).  The strings and the records array are borrowed
 * for the duration of the call.  A non-zero return of `cb` stops the walk
 * and is returned.  KMV_EUSAGE for an unknown type or a negative
 * deadline.  Exact definitions: docs/matching.md.
 */
int kmv_anomalies_foreach(kmv_vault *vault, const kmv_anomaly_options *opts,
			  kmv_anomaly_cb cb, void *payload);

#endif
