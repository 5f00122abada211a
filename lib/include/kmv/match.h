/* SPDX-License-Identifier: MIT */
#ifndef KMV_MATCH_H
#define KMV_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "kmvutil/buf.h"
#include "kmv/label.h"
#include "kmv/vault.h"

/**
 * @file kmv/match.h
 * Cross-matching of orders, payments and receipts (issue 5).
 *
 * A match is a row of the `links` table: two record ids, the rule that
 * found it, a score in 0..1 and its explanation, stored as a code with
 * its facts (never words) and put in words by kmv_match_explain() in the
 * reader's language.  Rules, strongest
 * first (docs/matching.md has the exact definitions):
 *
 *  - `order_no`     a payment's merchant order number, its transaction
 *                   number (= the order's trade_no), or an order number
 *                   found in its product/memo text, equals an order's
 *                   number; a receipt names an order's number.
 *  - `amount_time`  same amount, the payment within a window of the order
 *                   time, the payment's merchant compatible with the
 *                   order's platform (aliases); one payment pays one
 *                   order, chosen by a global greedy assignment.
 *  - `refund`       a refund links to the payment it refunds.
 *
 * Manual links (`manual` = 1) and vetoes (`manual` = -1, a link the user
 * removed) are never touched by a run: a vetoed pair is never linked
 * again automatically.  Runs are idempotent: links whose evidence is gone
 * are removed, nothing is duplicated.
 *
 * Aliases map a merchant name as statements show it (交易对方) to the
 * platform name of orders.  Runs learn them from order_no links
 * (origin "learned"); users add them (origin "user") or remove them
 * (kept as origin "removed" so a later run does not learn them again).
 */

/** Link rules, in the order of strength. */
typedef enum {
	KMV_MATCH_RULE_ORDER_NO = 0,
	KMV_MATCH_RULE_AMOUNT_TIME = 1,
	KMV_MATCH_RULE_REFUND = 2,
	/** a receipt naming no order: its contact, shop and time */
	KMV_MATCH_RULE_CONTACT_TIME = 3,
	KMV_MATCH_RULE_COUNT = 4
} kmv_match_rule;

typedef struct kmv_match_options {
	unsigned int version;
	int64_t window_before_s; /**< payment up to this long before the order (600) */
	int64_t window_after_s; /**< ... or this long after it (24 h) */
	int64_t duplicate_window_s; /**< a second same-amount charge this close is a duplicate (1800) */
	int64_t unpaid_window_s; /**< after-window for orders the shop never saw paid (1800) */
} kmv_match_options;

#define KMV_MATCH_OPTIONS_VERSION 1
#define KMV_MATCH_OPTIONS_INIT                                        \
	{                                                             \
		KMV_MATCH_OPTIONS_VERSION, 600, 24 * 3600, 1800, 1800 \
	}

/** What a run left in place and what it changed. */
typedef struct kmv_match_stats {
	int64_t links;                         /**< automatic links in place */
	int64_t by_rule[KMV_MATCH_RULE_COUNT]; /**< ... per rule */
	int64_t added;                         /**< new this run */
	int64_t updated;         /**< rule, score or text changed */
	int64_t removed;         /**< evidence gone */
	int64_t manual;          /**< manual links kept */
	int64_t vetoed;          /**< vetoes kept */
	int64_t aliases_learned; /**< new learned aliases */
	bool unchanged;          /**< nothing new since the last
						     match: nothing computed or
						     written (no save needed) */
} kmv_match_stats;

/**
 * A link's explanation in words, in `lang`: `stored` is the links row's
 * explanation (a code with its facts, {"why": ...}; or the English text
 * of a vault written before the codes: a manual link's note is shown as
 * typed, kmvault's own sentences as they are in English and as the
 * rule's words otherwise).  `rule` and `manual` are the row's.
 */
int kmv_match_explain(kmv_buf *out, const char *stored, const char *rule,
		      int manual, kmv_lang lang);

/** True when `stored` is a coded explanation (JSON may embed it as is). */
bool kmv_match_explain_coded(const char *stored);

/** "order_no", "amount_time", "refund", "contact_time". */
const char *kmv_match_rule_name(kmv_match_rule rule);

/**
 * Run all rules over the vault (opened for writing) in one transaction,
 * bring the links table up to date and append a "match" audit event.
 * Fills `out` (may be NULL).  KMV_EUSAGE for a negative window.  On any
 * failure nothing is changed.
 */
int kmv_match_run(kmv_match_stats *out, kmv_vault *vault,
		  const kmv_match_options *opts);

/**
 * Find a record by id ("42"), or else by a unique order number, payment
 * number or merchant order number.  KMV_ENOTFOUND, KMV_EAMBIGUOUS (the
 * number names several records; the detail lists their ids).
 */
int kmv_match_resolve(int64_t *id_out, kmv_vault *vault, const char *text);

/**
 * Link two records by hand (manual = 1, rule "manual", explanation `note`
 * or a default).  Replaces an automatic link or a veto of the same pair.
 * KMV_ENOTFOUND (a record does not exist or is deleted), KMV_EUSAGE
 * (same id twice).  Appends a "link" audit event.
 */
int kmv_match_link(kmv_vault *vault, int64_t a, int64_t b, const char *note);

/** What kmv_match_link_amounts() found about a linked order and payment. */
typedef struct kmv_link_amounts {
	bool differs; /**< an order and a payment, amounts differ */
	int64_t order_id, order_amount;     /**< fen */
	int64_t payment_id, payment_amount; /**< fen */
} kmv_link_amounts;

/**
 * Compare the amounts of two records about to be or just linked: when
 * one is an order and the other a payment and both carry an amount that
 * is not the same, `out->differs` is set (the amount_mismatch anomaly
 * will list the order).  Any other pair leaves it false.  KMV_ENOTFOUND
 * for a missing record.
 */
int kmv_match_link_amounts(kmv_vault *vault, int64_t a, int64_t b,
			   kmv_link_amounts *out);

/**
 * Remove the link between two records and veto it (manual = -1), so
 * later runs keep it removed.  `existed_out` (may be NULL) tells whether
 * a link was there.  KMV_ENOTFOUND (no such record), KMV_EUSAGE (same id).
 * Appends an "unlink" audit event.
 */
int kmv_match_unlink(kmv_vault *vault, int64_t a, int64_t b, bool *existed_out);

typedef struct kmv_alias {
	const char *merchant; /**< as statements show it (交易对方) */
	const char *platform; /**< platform (or shop) name of orders */
	const char *origin;   /**< "user" or "learned" */
	const char *created_at;
} kmv_alias;

typedef int (*kmv_alias_cb)(const kmv_alias *alias, void *payload);

/** Aliases in force (not removed), by merchant then platform. */
int kmv_alias_foreach(kmv_vault *vault, kmv_alias_cb cb, void *payload);

/**
 * Add (or confirm) an alias with origin "user".  KMV_EUSAGE for an empty
 * name.  Appends an "alias-add" audit event.
 */
int kmv_alias_add(kmv_vault *vault, const char *merchant, const char *platform);

/**
 * Remove an alias: it stops counting and is kept as "removed" so runs do
 * not learn it again.  KMV_ENOTFOUND when no such alias is in force.
 * Appends an "alias-remove" audit event.
 */
int kmv_alias_remove(kmv_vault *vault, const char *merchant,
		     const char *platform);

#endif
