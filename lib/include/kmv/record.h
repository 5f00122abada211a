/* SPDX-License-Identifier: MIT */
#ifndef KMV_RECORD_H
#define KMV_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmv/label.h"
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
	char *card_secret; /**< sensitive: read back masked unless revealed */
	char *refund_of_payment_no; /**< importer's hint: payment refunded */
	int64_t source_id;
	int64_t source_line;
	char *extra_json; /**< JSON object with the rest, or NULL */
	/* Read back with a stored record (kmv_record__from_row); importers
	 * leave them NULL / 0. */
	char *source_file; /**< the imported file's name (sources.name) */
	int64_t refund_of; /**< the payment this refund refunds, or 0 */
	char *created_at;  /**< when imported (ISO 8601) */
	char *updated_at;  /**< last import or edit that changed it */
	char *deleted_at;  /**< voided (kmv/edit.h), or NULL */
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

/*
 * The one list of a stored record's columns (issue 16.1).  Every reader
 * selects them in this order and fills a kmv_record with
 * kmv_record__from_row() (lib/store/records.h); the one JSON shape
 * (kmv_record_json) writes them in this order, and kmv_record_cells()
 * gives the CSV cells of any of them, and the import writes them
 * (lib/import/insert.c).  Adding a column: a schema migration, the
 * kmv_record member and one row here (docs/design.md, "A record column").
 *
 * X(NAME, column, key, type, member, place):
 *   column  the SQL expression (records r LEFT JOIN sources s)
 *   key     the JSON key (inside "source" for KMV_RECORD_IN_SOURCE)
 *   type    how the value is read and written (kmv_record_type)
 *   member  the kmv_record member
 *   place   where the JSON shape has it: KMV_RECORD_TOP, _IN_SOURCE,
 *           or _NOT_IN_JSON (callers add it where they need it)
 * The JSON shape writes the TOP keys in this order, the "source" object
 * when its first member comes, then the *_label keys after it, and ends
 * with card_secret so that a caller may go on with its own keys.
 */
/* The records table's column names, for SQL anywhere (match, reports):
 * the list below and every reader take them from here.  `ts` is the
 * time's epoch, kept for ranges and order (the list reads it from `time`). */
#define KMV_RECORD_COL_ID "id"
#define KMV_RECORD_COL_KIND "kind"
#define KMV_RECORD_COL_PLATFORM "platform"
#define KMV_RECORD_COL_SOURCE_KIND "source_kind"
#define KMV_RECORD_COL_MERCHANT "merchant"
#define KMV_RECORD_COL_ORDER_NO "order_no"
#define KMV_RECORD_COL_PAYMENT_NO "payment_no"
#define KMV_RECORD_COL_MERCHANT_ORDER_NO "merchant_order_no"
#define KMV_RECORD_COL_TIME "time"
#define KMV_RECORD_COL_AMOUNT "amount"
#define KMV_RECORD_COL_DIRECTION "direction"
#define KMV_RECORD_COL_STATUS "status"
#define KMV_RECORD_COL_STATUS_RAW "status_raw"
#define KMV_RECORD_COL_PRODUCT "product"
#define KMV_RECORD_COL_QUANTITY "quantity"
#define KMV_RECORD_COL_UNIT_PRICE "unit_price"
#define KMV_RECORD_COL_CATEGORY "category"
#define KMV_RECORD_COL_PAYMENT_METHOD "payment_method"
#define KMV_RECORD_COL_COUNTERPARTY_ACCOUNT "counterparty_account"
#define KMV_RECORD_COL_MEMO "memo"
#define KMV_RECORD_COL_SOURCE_ID "source_id"
#define KMV_RECORD_COL_SOURCE_LINE "source_line"
#define KMV_RECORD_COL_CARD_SECRET "card_secret"
#define KMV_RECORD_COL_DEDUP_KEY "dedup_key"
#define KMV_RECORD_COL_REFUND_OF "refund_of"
#define KMV_RECORD_COL_EXTRA "extra"
#define KMV_RECORD_COL_CREATED_AT "created_at"
#define KMV_RECORD_COL_UPDATED_AT "updated_at"
#define KMV_RECORD_COL_DELETED_AT "deleted_at"
#define KMV_RECORD_COL_TS "ts"

#define KMV_RECORD_FIELDS(X)                                                   \
	X(ID, "r." KMV_RECORD_COL_ID, "id", KMV_RECORD_INT, id,                \
	  KMV_RECORD_TOP)                                                      \
	X(KIND, "r." KMV_RECORD_COL_KIND, "kind", KMV_RECORD_KIND, kind,       \
	  KMV_RECORD_TOP)                                                      \
	X(PLATFORM, "r." KMV_RECORD_COL_PLATFORM, "platform",                  \
	  KMV_RECORD_PLATFORM, platform, KMV_RECORD_TOP)                       \
	X(SOURCE_KIND, "r." KMV_RECORD_COL_SOURCE_KIND, "source_kind",         \
	  KMV_RECORD_TEXT, source_kind, KMV_RECORD_TOP)                        \
	X(MERCHANT, "r." KMV_RECORD_COL_MERCHANT, "merchant", KMV_RECORD_TEXT, \
	  merchant, KMV_RECORD_TOP)                                            \
	X(ORDER_NO, "r." KMV_RECORD_COL_ORDER_NO, "order_no",                  \
	  KMV_RECORD_NUMBER, order_no, KMV_RECORD_TOP)                         \
	X(PAYMENT_NO, "r." KMV_RECORD_COL_PAYMENT_NO, "payment_no",            \
	  KMV_RECORD_NUMBER, payment_no, KMV_RECORD_TOP)                       \
	X(MERCHANT_ORDER_NO, "r." KMV_RECORD_COL_MERCHANT_ORDER_NO,            \
	  "merchant_order_no", KMV_RECORD_NUMBER, merchant_order_no,           \
	  KMV_RECORD_TOP)                                                      \
	X(TIME, "r." KMV_RECORD_COL_TIME, "time", KMV_RECORD_TIME, time,       \
	  KMV_RECORD_TOP)                                                      \
	X(AMOUNT, "r." KMV_RECORD_COL_AMOUNT, "amount", KMV_RECORD_AMOUNT,     \
	  amount, KMV_RECORD_TOP)                                              \
	X(DIRECTION, "r." KMV_RECORD_COL_DIRECTION, "direction",               \
	  KMV_RECORD_DIRECTION, direction, KMV_RECORD_TOP)                     \
	X(STATUS, "r." KMV_RECORD_COL_STATUS, "status", KMV_RECORD_STATUS,     \
	  status, KMV_RECORD_TOP)                                              \
	X(STATUS_RAW, "r." KMV_RECORD_COL_STATUS_RAW, "status_raw",            \
	  KMV_RECORD_TEXT, status_raw, KMV_RECORD_TOP)                         \
	X(PRODUCT, "r." KMV_RECORD_COL_PRODUCT, "product", KMV_RECORD_TEXT,    \
	  product, KMV_RECORD_TOP)                                             \
	X(QUANTITY, "r." KMV_RECORD_COL_QUANTITY, "quantity",                  \
	  KMV_RECORD_COUNT, quantity, KMV_RECORD_TOP)                          \
	X(UNIT_PRICE, "r." KMV_RECORD_COL_UNIT_PRICE, "unit_price",            \
	  KMV_RECORD_PRICE, unit_price, KMV_RECORD_TOP)                        \
	X(CATEGORY, "r." KMV_RECORD_COL_CATEGORY, "category", KMV_RECORD_TEXT, \
	  category, KMV_RECORD_TOP)                                            \
	X(PAYMENT_METHOD, "r." KMV_RECORD_COL_PAYMENT_METHOD,                  \
	  "payment_method", KMV_RECORD_TEXT, payment_method, KMV_RECORD_TOP)   \
	X(COUNTERPARTY_ACCOUNT, "r." KMV_RECORD_COL_COUNTERPARTY_ACCOUNT,      \
	  "counterparty_account", KMV_RECORD_TEXT, counterparty_account,       \
	  KMV_RECORD_TOP)                                                      \
	X(MEMO, "r." KMV_RECORD_COL_MEMO, "memo", KMV_RECORD_TEXT, memo,       \
	  KMV_RECORD_TOP)                                                      \
	X(SOURCE_ID, "r." KMV_RECORD_COL_SOURCE_ID, "id", KMV_RECORD_COUNT,    \
	  source_id, KMV_RECORD_IN_SOURCE)                                     \
	X(SOURCE_FILE, "s.name", "file", KMV_RECORD_TEXT, source_file,         \
	  KMV_RECORD_IN_SOURCE)                                                \
	X(SOURCE_LINE, "r." KMV_RECORD_COL_SOURCE_LINE, "line",                \
	  KMV_RECORD_COUNT, source_line, KMV_RECORD_IN_SOURCE)                 \
	X(CARD_SECRET, "r." KMV_RECORD_COL_CARD_SECRET, "card_secret",         \
	  KMV_RECORD_SECRET, card_secret, KMV_RECORD_TOP)                      \
	X(DEDUP_KEY, "r." KMV_RECORD_COL_DEDUP_KEY, "dedup_key",               \
	  KMV_RECORD_TEXT, dedup_key, KMV_RECORD_NOT_IN_JSON)                  \
	X(REFUND_OF, "r." KMV_RECORD_COL_REFUND_OF, "refund_of",               \
	  KMV_RECORD_COUNT, refund_of, KMV_RECORD_NOT_IN_JSON)                 \
	X(EXTRA, "r." KMV_RECORD_COL_EXTRA, "extra", KMV_RECORD_TEXT,          \
	  extra_json, KMV_RECORD_NOT_IN_JSON)                                  \
	X(CREATED_AT, "r." KMV_RECORD_COL_CREATED_AT, "created_at",            \
	  KMV_RECORD_TEXT, created_at, KMV_RECORD_NOT_IN_JSON)                 \
	X(UPDATED_AT, "r." KMV_RECORD_COL_UPDATED_AT, "updated_at",            \
	  KMV_RECORD_TEXT, updated_at, KMV_RECORD_NOT_IN_JSON)                 \
	X(DELETED_AT, "r." KMV_RECORD_COL_DELETED_AT, "deleted_at",            \
	  KMV_RECORD_TEXT, deleted_at, KMV_RECORD_NOT_IN_JSON)

/** How a column is read, written to JSON and turned into a CSV cell. */
typedef enum {
	KMV_RECORD_INT,       /**< int64_t, always a number */
	KMV_RECORD_KIND,      /**< kmv_record_kind; JSON its name */
	KMV_RECORD_PLATFORM,  /**< text; JSON kmv_record_platform() */
	KMV_RECORD_TEXT,      /**< char *, NULL = null */
	KMV_RECORD_NUMBER,    /**< char *: an order/payment number (CSV keeps
				   all-digit ones as text) */
	KMV_RECORD_TIME,      /**< kmv_time + has_time, ISO 8601 */
	KMV_RECORD_AMOUNT,    /**< fen + has_amount, "12.50" */
	KMV_RECORD_DIRECTION, /**< kmv_direction; JSON its name */
	KMV_RECORD_STATUS,    /**< char *, a normalized status */
	KMV_RECORD_COUNT,     /**< int64_t, 0 = unknown (null) */
	KMV_RECORD_PRICE,     /**< int64_t fen, 0 = unknown (null) */
	KMV_RECORD_SECRET     /**< char *, masked unless revealed */
} kmv_record_type;

enum { KMV_RECORD_TOP, KMV_RECORD_IN_SOURCE, KMV_RECORD_NOT_IN_JSON };

/** A column of the list above: KMV_RECORD_FIELD_ORDER_NO, ... */
typedef enum {
#define KMV_RECORD__ENUM(name, column, key, type, member, place) \
	KMV_RECORD_FIELD_##name,
	KMV_RECORD_FIELDS(KMV_RECORD__ENUM)
#undef KMV_RECORD__ENUM
		KMV_RECORD_FIELD_COUNT,
	KMV_RECORD_FIELD_NONE = -1 /**< a cell the caller fills itself */
} kmv_record_field;

/** The column's name in the records table ("order_no"; "name" of sources). */
const char *kmv_record_field_name(kmv_record_field field);

/**
 * The platform the record is shown under: its own, else the statement's
 * source (alipay, wechat, email ...) for payments and receipts; NULL for
 * an order whose shop is not known (query and show agree on it).
 */
const char *kmv_record_platform(const kmv_record *rec);

struct kmv_json;

/** Where the record's source is, beyond its id, file and line (show, evidence). */
typedef struct kmv_record_source_more {
	const char *kind; /**< the source's kind (alipay, mbox ...), or NULL */
	const char *sha256; /**< of its bytes, or NULL */
	int64_t parent_id;  /**< the ZIP / mbox it was inside, or 0 */
	const char *parent_file;
} kmv_record_source_more;

/**
 * Write the record's keys of the one JSON shape (cli.md "record") into
 * the current object: the TOP columns, "source": {"id", "file", "line"}
 * (plus `more`, which may be NULL), the `*_label` words in `labels`
 * (KMV_LANG_LOCALE: the user's language; a bundle's are Chinese), and
 * "card_secret" last (as the record holds it: masked unless it was read
 * with a reveal).
 */
void kmv_record_json_fields(struct kmv_json *j, const kmv_record *rec,
			    const kmv_record_source_more *more,
			    kmv_lang labels);

/** The record as one JSON object, labels in the user's language. */
void kmv_record_json(struct kmv_json *j, const kmv_record *rec);

/** How kmv_record_cells() writes codes. */
typedef enum {
	/** Machine values (kind, direction, status codes); the platform as
	 *  kmv_record_platform() says, 未知店铺 for an order without one
	 *  (`query --format csv`). */
	KMV_RECORD_CELLS_CODES,
	/** Chinese words for kind, direction and status, the stored
	 *  platform (reports and evidence: documents are Chinese). */
	KMV_RECORD_CELLS_DOCUMENT
} kmv_record_cells_style;

#define KMV_RECORD_CELLS_MAX 64
#define KMV_RECORD_CELL_BUFSZ 64

/** The CSV cells of one record (borrowed from the record and `store`). */
typedef struct kmv_record_cells {
	size_t count;
	const char *text[KMV_RECORD_CELLS_MAX]; /**< NULL = empty cell */
	bool is_id[KMV_RECORD_CELLS_MAX];       /**< an order/payment number */
	char store[KMV_RECORD_CELLS_MAX][KMV_RECORD_CELL_BUFSZ];
} kmv_record_cells;

/**
 * The cells of `fields[0 .. n)` for `rec`, for kmv_report_csv_line(out,
 * cells->text, cells->is_id, cells->count).  Numbers that are not known
 * (quantity, source line 0) and absent values are empty cells; the card
 * secret is the record's (masked when read without a reveal);
 * KMV_RECORD_FIELD_NONE leaves an empty cell for the caller's own value.
 * Returns 0, or KMV_EUSAGE for more than KMV_RECORD_CELLS_MAX fields.
 */
int kmv_record_cells_fill(kmv_record_cells *cells, const kmv_record *rec,
			  const kmv_record_field *fields, size_t n,
			  kmv_record_cells_style style);

#endif
