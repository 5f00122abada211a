/* SPDX-License-Identifier: MIT */
#ifndef KMV_DOCLABEL_H
#define KMV_DOCLABEL_H

/**
 * @file kmv/doclabel.h
 * Chinese words for the machine values that documents show (reports,
 * summaries, ledgers): documents for Chinese counterparties are Chinese
 * whatever the locale.  One small table, meant to be absorbed by the
 * general label table of the language work (issue 14 point 1).
 *
 * `field` is one of "kind" (order, payment, receipt), "direction" (out,
 * in, neutral), "status" (payment statuses and order states), "count"
 * (why a record counts as it does: charge, closed, via_payment, …),
 * "term" (spent, back, none) and "anomaly" (duplicate_charge, …).
 * An unknown value comes back as it is; NULL gives "".
 */
const char *kmv_doc_label(const char *field, const char *value);

#endif
