/* SPDX-License-Identifier: MIT */
#ifndef KMV_QUERY_H
#define KMV_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "kmv/record.h"
#include "kmv/vault.h"

/**
 * @file kmv/query.h
 * Listing records with the filters of `kmvault query` (cli.md), newest
 * first.  Voided records (deleted_at set, kmv/edit.h) are listed only
 * with include_void.
 *
 * Filters combine with AND; an unset filter (NULL / has_* false) does not
 * restrict.  Text search (`text`) looks for every whitespace-separated
 * word as a substring of merchant, product or memo: words of three or
 * more characters go through the FTS5 trigram index (records_fts),
 * shorter ones fall back to LIKE.
 */

typedef struct kmv_query_options {
	unsigned int version;
	const char *kind; /**< "order", "payment", "receipt" or NULL */
	bool has_from;
	int64_t from_ts; /**< epoch seconds, inclusive */
	bool has_to;
	int64_t to_ts;        /**< epoch seconds, inclusive */
	const char *platform; /**< records.platform or the source kind
				     (alipay, wechat ...), case-insensitive */
	const char *merchant; /**< substring of the merchant */
	const char *status;   /**< normalized or raw status, exact */
	bool has_min;
	int64_t min_fen; /**< amount >= (fen) */
	bool has_max;
	int64_t max_fen;      /**< amount <= (fen) */
	const char *text;     /**< words, substring search */
	const char *order_no; /**< order_no of orders/receipts, or the
				     merchant_order_no of payments */
	int64_t limit;        /**< 0 = no limit */
	const char *tag;      /**< records carrying this tag (kmv/edit.h) */
	bool include_void;    /**< voided records too (rec.deleted_at set) */
	bool reveal_secrets;  /**< rec.card_secret unmasked: only for an
				     explicit request; each row revealed is a
				     "reveal" audit event (the library writes it:
				     open the vault for writing, then save) */
} kmv_query_options;

#define KMV_QUERY_OPTIONS_VERSION 1
#define KMV_QUERY_OPTIONS_INIT                                               \
	{                                                                    \
		KMV_QUERY_OPTIONS_VERSION, NULL, false, 0, false, 0, NULL,   \
			NULL, NULL, false, 0, false, 0, NULL, NULL, 0, NULL, \
			false, false                                         \
	}

/**
 * One listed record: the stored record (kmv/record.h; voided ones have
 * rec.deleted_at set) and its tags.  Borrowed for the duration of the
 * callback.  `rec.card_secret` is masked (kmv_mask_secret) unless the
 * options ask to reveal it: no caller can print a whole secret by
 * forgetting to mask it.
 */
typedef struct kmv_query_row {
	kmv_record rec;
	const char *tags_json; /**< JSON array of the tags, or NULL */
} kmv_query_row;

/** Return 0 to continue, > 0 to stop early, < 0 to fail. */
typedef int (*kmv_query_cb)(const kmv_query_row *row, void *payload);

/**
 * Run a query and call `cb` for each record, newest first (time, then
 * id).  Returns 0, KMV_EUSAGE for meaningless options (unknown kind,
 * min > max), or the callback's negative code.
 */
int kmv_query_run(kmv_vault *vault, const kmv_query_options *opts,
		  kmv_query_cb cb, void *payload);

/** The normalized statuses --status takes, as the messages list them. */
#define KMV_QUERY_PAYMENT_STATUSES \
	"success, closed, refunded, partially_refunded, pending, failed, other"
#define KMV_QUERY_ORDER_STATES                                                \
	"pending_payment, paid, processing, delivered, completed, refunded, " \
	"cancelled, failed, expired, unknown"

/**
 * Whether `word` is a status --status can mean: a normalized name, a raw
 * word the importers understand (交易成功, 已发卡 ...) or a raw status some
 * record of this vault carries.  kmv_query_run refuses the others with
 * KMV_EUSAGE; the CLI asks first to say so in the user's language.
 */
int kmv_query_status_known(kmv_vault *vault, const char *word, bool *known_out);

/**
 * Parse a --from/--to value: a date "YYYY-MM-DD" (the whole day: its
 * start for `--from`, its last second when `end_of_day`) or a time
 * ("YYYY-MM-DD HH:MM[:SS]", ISO 8601 with an offset).  Times without an
 * offset are China Standard Time (+08:00).  Returns 0 or KMV_EUSAGE.
 */
int kmv_query_parse_time(int64_t *epoch_out, const char *text, bool end_of_day);

#endif
