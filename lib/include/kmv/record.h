/* SPDX-License-Identifier: MIT */
#ifndef KMV_RECORD_H
#define KMV_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmvutil/datetime.h"

/**
 * @file kmv/record.h
 * The one record shape every importer produces and every report reads:
 * an order (what the shop said), a payment (a statement row) or a receipt
 * (an e-mail).  All strings are UTF-8 and owned by the record
 * (kmv_record_dispose frees them); NULL means "no value".
 */

typedef enum {
	KMV_KIND_ORDER = 1,
	KMV_KIND_PAYMENT = 2,
	KMV_KIND_RECEIPT = 3
} kmv_record_kind;

typedef enum {
	KMV_DIR_NONE = 0,   /**< not applicable (orders, receipts) */
	KMV_DIR_OUT = 1,    /**< 支出 */
	KMV_DIR_IN = 2,     /**< 收入 */
	KMV_DIR_NEUTRAL = 3 /**< 不计收支 / 其他 / "/" / blank */
} kmv_direction;

typedef struct kmv_record {
	int64_t id; /**< 0 until stored */
	kmv_record_kind kind;
	char *source_kind; /**< alipay, wechat, jd, orders, email */
	char *dedup_key;   /**< unique per source_kind */
	char *platform;    /**< shop platform (orders/receipts) */
	char *merchant;    /**< 交易对方 / shop name */
	char *order_no;    /**< the shop's order number */
	char *payment_no;  /**< 交易订单号 / 交易单号 / trade_no */
	char *merchant_order_no; /**< 商家订单号 / 商户单号 */
	kmv_time time;
	bool has_time;
	int64_t amount; /**< fen, unsigned; see direction */
	bool has_amount;
	kmv_direction direction;
	char *status_raw;
	char *status; /**< normalized (profiles.md states) */
	char *product;
	int64_t quantity;   /**< 0 = unknown */
	int64_t unit_price; /**< fen, 0 = unknown */
	char *category;
	char *payment_method;
	char *counterparty_account;
	char *memo;
	char *card_secret;          /**< sensitive: masked in every output */
	char *refund_of_payment_no; /**< importer's hint: payment refunded */
	int64_t source_id;
	int64_t source_line;
	char *extra_json; /**< JSON object with the rest, or NULL */
} kmv_record;

#define KMV_RECORD_INIT \
	{               \
		0       \
	}

/** Free the strings; the record is back to KMV_RECORD_INIT. NULL-safe. */
void kmv_record_dispose(kmv_record *rec);

/** Replace a string field with a copy of `value` (NULL/"" -> NULL). */
int kmv_record_set(char **field, const char *value);

/** "order", "payment", "receipt". */
const char *kmv_record_kind_name(kmv_record_kind kind);
int kmv_record_kind_parse(kmv_record_kind *out, const char *name);

/** "out", "in", "neutral" or NULL. */
const char *kmv_direction_name(kmv_direction dir);

/**
 * Mask a card secret for display: "ABCD…WXYZ" (first and last four
 * characters) for long values, "****" style for short ones.  Writes into
 * `out` (at most `outsz` bytes). Newline-separated secrets are masked one
 * by one and joined with ", ".
 */
const char *kmv_mask_secret(char *out, size_t outsz, const char *secret);

#endif
