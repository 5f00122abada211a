/* SPDX-License-Identifier: MIT */
#ifndef KMV_DOCLABEL_H
#define KMV_DOCLABEL_H

/**
 * @file kmv/doclabel.h
 * Chinese words for the machine values that documents show (reports,
 * summaries, ledgers): documents for Chinese counterparties are Chinese
 * whatever the locale.  The words are the Chinese column of the one
 * label table (kmv/label.h); this is kmv_label_lang(set, value,
 * KMV_LANG_ZH) with the set named by a string.
 *
 * `field` is one of "kind" (order, payment, receipt), "direction" (out,
 * in, neutral), "status" (payment statuses and order states), "count"
 * (why a record counts as it does: charge, closed, via_payment, …),
 * "term" (spent, back, none), "anomaly" (duplicate_charge, …) or any
 * other set name of kmv_label_set_name().
 * An unknown value comes back as it is; NULL gives "".
 */
const char *kmv_doc_label(const char *field, const char *value);

#endif
