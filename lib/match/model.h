/* SPDX-License-Identifier: MIT */
#ifndef KMV_MATCH_MODEL_H
#define KMV_MATCH_MODEL_H

/*
 * The in-memory model shared by matching (match.c) and anomaly detection
 * (anomalies.c): every live (not deleted) order and payment as a compact
 * numeric struct, strings interned once.
 *
 * Invariants:
 *  - `orders` and `pays` are sorted by record id (loaded ORDER BY id), so
 *    kmv_model__order()/kmv_model__pay() find a record by binary search;
 *  - every name (merchant, platform, source kind) is an index into
 *    `names`, every order number (of an order or a receipt group) an
 *    index into `numbers`; equal strings have equal indexes, -1 means
 *    "no value".  The numbers have a table of their own: 200k orders
 *    would otherwise make the merchant lookup of every payment a cache
 *    miss into a table of a few thousand names;
 *  - orders with the same order number are chained through `next_same_no`
 *    from `no_first[number]` (-1 ends the chain);
 *  - aliases hold the aliases table keyed (merchant, platform) with the
 *    origin code KMV_MODEL_ALIAS_*; a removed alias is a deliberate "no".
 *
 * A payment row's strings that only matter while loading (merchant order
 * number, transaction number, product, memo) are handed to a callback
 * and not kept: 1M payments cost about 56 bytes each.
 */
#include <sqlite3.h>

#include "kmv/record.h"
#include "kmvutil/buf.h"

/* SQL: the receipt row's extra lists FIELD as unverified (page.c). */
#define KMV_MODEL_UNVERIFIED(field)                                   \
	"(" KMV_RECORD_COL_EXTRA                                      \
	" IS NOT NULL AND json_valid(" KMV_RECORD_COL_EXTRA           \
	") AND EXISTS (SELECT 1 FROM json_each(" KMV_RECORD_COL_EXTRA \
	", '$.unverified') WHERE value = '" field "'))"

/* ---- string interning: string -> dense index ------------------------- */

/* Key i of a strmap: where it starts in the arena, and its hash. */
typedef struct kmv_strmap_key {
	size_t off;
	uint64_t hash;
} kmv_strmap_key;

typedef struct kmv_strmap {
	uint64_t *slots; /* 0 empty, else hash tag | index + 1 (model.c) */
	size_t cap;      /* power of two */
	size_t count;
	size_t alloc;
	kmv_strmap_key *keys; /* count of them, alloc allocated */
	kmv_buf arena;        /* NUL-terminated keys back to back */
} kmv_strmap;

#define KMV_STRMAP_INIT                           \
	{                                         \
		NULL, 0, 0, 0, NULL, KMV_BUF_INIT \
	}

/* Index of `key` (added when new). KMV_ERROR on OOM. */
int kmv_strmap__intern(kmv_strmap *m, const char *key, int32_t *idx_out);
/* Index of `key` or -1. */
int32_t kmv_strmap__find(const kmv_strmap *m, const char *key);
const char *kmv_strmap__key(const kmv_strmap *m, int32_t idx);
void kmv_strmap__dispose(kmv_strmap *m);

/* ---- (int64, int64) -> int64 map ------------------------------------- */

typedef struct kmv_pairslot {
	int64_t a, b, v;
	bool used;
} kmv_pairslot;

typedef struct kmv_pairmap {
	kmv_pairslot *slots;
	size_t cap, count;
} kmv_pairmap;

#define KMV_PAIRMAP_INIT   \
	{                  \
		NULL, 0, 0 \
	}

int kmv_pairmap__put(kmv_pairmap *m, int64_t a, int64_t b, int64_t v);
bool kmv_pairmap__get(const kmv_pairmap *m, int64_t a, int64_t b,
		      int64_t *v_out);
void kmv_pairmap__dispose(kmv_pairmap *m);

/* An unordered pair of record ids as a map key (smaller first). */
static inline void kmv_pairmap__key(int64_t *lo, int64_t *hi, int64_t a,
				    int64_t b)
{
	*lo = a < b ? a : b;
	*hi = a < b ? b : a;
}

/* ---- records ----------------------------------------------------------- */

/* What a payment row means for matching and anomalies. */
enum kmv_model_pay_state {
	KMV_MODEL_PAY_OTHER = 0,  /* income, closed, failed, transfers in */
	KMV_MODEL_PAY_CHARGE = 1, /* money left the account, successfully */
	KMV_MODEL_PAY_CHARGE_REFUNDED, /* a charge the statement already shows refunded */
	KMV_MODEL_PAY_REFUND /* money coming back for an earlier charge */
};

/* What an KMV_MODEL_PAY_OTHER row is (paid.c says why it counts as it does). */
enum kmv_model_pay_other {
	KMV_MODEL_OTHER_NONE = 0, /* not an KMV_MODEL_PAY_OTHER row */
	KMV_MODEL_OTHER_INCOME,   /* money in, successfully */
	KMV_MODEL_OTHER_CLOSED,   /* 交易关闭 / 已关闭 */
	KMV_MODEL_OTHER_FAILED,
	KMV_MODEL_OTHER_PENDING, /* not (yet) successful */
	KMV_MODEL_OTHER_NEUTRAL  /* 不计收支 */
};

/* Normalized order states (profiles.md). */
enum kmv_model_order_state {
	KMV_MODEL_ORD_UNKNOWN = 0,
	KMV_MODEL_ORD_PENDING,
	KMV_MODEL_ORD_PAID,
	KMV_MODEL_ORD_PROCESSING,
	KMV_MODEL_ORD_DELIVERED,
	KMV_MODEL_ORD_COMPLETED,
	KMV_MODEL_ORD_REFUNDED,
	KMV_MODEL_ORD_CANCELLED,
	KMV_MODEL_ORD_FAILED,
	KMV_MODEL_ORD_EXPIRED,
	/* card-system's 已冻结: the shop holds the order (paid.h says when it
	 * is paid, anomalies.c words it) */
	KMV_MODEL_ORD_FROZEN
};

enum {
	KMV_MODEL_ALIAS_REMOVED = -1,
	KMV_MODEL_ALIAS_LEARNED = 1,
	KMV_MODEL_ALIAS_USER = 2
};

/*
 * An order is a shop's order record, or — when the vault has none for an
 * order number — the group of receipts that name it (KMV_MODEL_ORDF_GROUP): the
 * group's id is its oldest receipt's, so links, anomalies and `show`
 * address it like an order.  Receipts are events on the order's timeline:
 * a later delivery receipt (delivered/completed, or card secrets) or a
 * failed one changes the state the shop's export gave (KMV_MODEL_ORDF_RECEIPT).
 */
enum {
	KMV_MODEL_ORDF_GROUP = 1,   /* receipts standing for an order */
	KMV_MODEL_ORDF_RECEIPT = 2, /* state set by a receipt */
	KMV_MODEL_ORDF_DELIVERY = 4 /* a receipt shows delivery */
};

/*
 * SQL (a receipt row aliased `r`): the number of the shop order a receipt
 * naming none belongs to by contact, shop and time.  acg-faka's delivery
 * mail carries neither order number nor amount, only the buyer's contact
 * it went to, the shop's name and its time: the order of that contact
 * (extra.email) at that shop (or one of the two unknown) placed up to
 * 24 h before the mail (10 min after, for clock skew), the nearest
 * (SQLite allows no outer column in a subquery's ORDER BY: the cost is
 * zero-padded in front of the number and the minimum taken).
 */
#define KMV_MODEL_CONTACT_ORDER_SQL                                            \
	"(SELECT substr(min(printf('%012d', CASE WHEN o." KMV_RECORD_COL_TS    \
	" <= r." KMV_RECORD_COL_TS " THEN r." KMV_RECORD_COL_TS                \
	" - o." KMV_RECORD_COL_TS " ELSE 4 * (o." KMV_RECORD_COL_TS            \
	" - r." KMV_RECORD_COL_TS ") END) || o." KMV_RECORD_COL_ORDER_NO       \
	"), 13) FROM records o WHERE o." KMV_RECORD_COL_KIND                   \
	" = 'order' AND o." KMV_RECORD_COL_DELETED_AT                          \
	" IS NULL AND coalesce(o." KMV_RECORD_COL_ORDER_NO                     \
	", '') <> '' AND o." KMV_RECORD_COL_TS " BETWEEN r." KMV_RECORD_COL_TS \
	" - 86400 AND r." KMV_RECORD_COL_TS                                    \
	" + 600 AND o." KMV_RECORD_COL_EXTRA                                   \
	" IS NOT NULL AND json_valid(o." KMV_RECORD_COL_EXTRA                  \
	") AND lower(trim(json_extract(o." KMV_RECORD_COL_EXTRA                \
	", '$.email'))) = json_extract(r." KMV_RECORD_COL_EXTRA                \
	", '$.email') AND (o." KMV_RECORD_COL_PLATFORM                         \
	" IS NULL OR r." KMV_RECORD_COL_PLATFORM                               \
	" IS NULL OR o." KMV_RECORD_COL_PLATFORM                               \
	" = r." KMV_RECORD_COL_PLATFORM " OR o." KMV_RECORD_COL_MERCHANT       \
	" = r." KMV_RECORD_COL_PLATFORM "))"

/* SQL: the receipt row `r` names no order but has a contact to find it by. */
#define KMV_MODEL_CONTACT_RECEIPT_SQL                         \
	"(coalesce(r." KMV_RECORD_COL_ORDER_NO                \
	", '') = '' AND r." KMV_RECORD_COL_TS                 \
	" IS NOT NULL AND r." KMV_RECORD_COL_EXTRA            \
	" IS NOT NULL AND json_valid(r." KMV_RECORD_COL_EXTRA \
	") AND json_extract(r." KMV_RECORD_COL_EXTRA          \
	", '$.email') IS NOT NULL)"

typedef struct kmv_model_order {
	int64_t id, ts, amount;
	int32_t order_no;           /* numbers */
	int32_t platform, merchant; /* names */
	int32_t next_same_no;       /* chain, -1 ends */
	int32_t pno;                /* order_pno index, -1 */
	uint8_t state;
	uint8_t flags; /* KMV_MODEL_ORDF_* */
	bool has_ts, has_amount;
	/* match working state */
	bool paid; /* a charge is linked */
} kmv_model_order;

typedef struct kmv_model_pay {
	int64_t id, ts, amount, refund_of;
	int32_t merchant, source_kind; /* names */
	int32_t order;                 /* linked order index, -1 */
	uint8_t state;                 /* kmv_model_pay_state */
	uint8_t other;                 /* kmv_model_pay_other */
	bool has_ts, has_amount;
	bool watched; /* category like 充值缴费 */
	bool taken;   /* linked to an order already */
} kmv_model_pay;

/* The strings of one payment row while loading (borrowed). */
typedef struct kmv_model_pay_text {
	const char *merchant_order_no, *payment_no, *product, *memo;
} kmv_model_pay_text;

typedef struct kmv_model {
	kmv_strmap names;
	kmv_strmap numbers; /* order numbers */
	kmv_model_order *orders;
	size_t norders, orders_alloc;
	kmv_model_pay *pays;
	size_t npays;
	int32_t *no_first; /* per number: first order with that number */
	size_t no_first_len;
	kmv_strmap order_pno; /* orders' payment_no (trade_no) -> order */
	int32_t *pno_order;   /* per order_pno index: order index */
	kmv_pairmap aliases; /* (merchant, platform) names -> KMV_MODEL_ALIAS_* */
	kmv_pairmap compat_cache; /* (merchant, name) -> kmv_model_compat + 1 */
	bool scoped; /* load only the records of temp.KMV_SCOPE_TABLE */
	/* filled by kmv_model__load: */
	size_t nreceipts; /* receipt rows naming an order (or a contact's) */
	int64_t live;     /* live records of every kind, -1 when scoped */
} kmv_model;

#define KMV_MODEL_INIT                                                       \
	{                                                                    \
		KMV_STRMAP_INIT, KMV_STRMAP_INIT, NULL, 0, 0, NULL, 0, NULL, \
			0, KMV_STRMAP_INIT, NULL, KMV_PAIRMAP_INIT,          \
			KMV_PAIRMAP_INIT, false, 0, -1                       \
	}

typedef int (*kmv_model_pay_cb)(kmv_model *m, size_t pay_idx,
				const kmv_model_pay_text *text, void *payload);

/*
 * Load aliases, orders and payments.  `cb` (may be NULL) sees each
 * payment right after it is appended, with its strings.
 */
int kmv_model__load(kmv_model *m, sqlite3 *db, kmv_model_pay_cb cb,
		    void *payload);
void kmv_model__dispose(kmv_model *m);

/*
 * The records that decide the anomalies of one order number (scope.c):
 * the connected component of the records carrying it, under equal
 * numbers, links and refund_of, written to temp.KMV_SCOPE_TABLE.
 * *scoped_out is false (and the table is empty) when the vault's
 * placeholder numbers could tie records or the component is large: the
 * caller then loads the whole vault.  kmv_scope__drop() empties the table.
 */
#define KMV_SCOPE_TABLE "kmv_model_scope"
int kmv_scope__build(sqlite3 *db, const char *order_no, bool *scoped_out);
int kmv_scope__drop(sqlite3 *db);

/* Index of the order / payment with this record id, or -1. */
int32_t kmv_model__order(const kmv_model *m, int64_t id);
int32_t kmv_model__pay(const kmv_model *m, int64_t id);

/* How a payment's merchant relates to a name of the order's side. */
enum kmv_model_compat {
	KMV_MODEL_COMPAT_NONE = 0,
	KMV_MODEL_COMPAT_PREFIX =
		1, /* one name starts with the other (>= 3 chars) */
	KMV_MODEL_COMPAT_SAME = 2, /* the same name */
	KMV_MODEL_COMPAT_ALIAS = 3 /* an alias in force */
};

/*
 * A payment aggregator (易支付, 码支付): the statement names it and its
 * number, not the shop's, so only amount and time can tie the payment to
 * an order.
 */
bool kmv_model__aggregator(const kmv_model *m, int32_t merchant);

/* Compatibility of a payment's merchant with one name (cached). */
int kmv_model__compat_name(kmv_model *m, int32_t merchant, int32_t name);

/* Best compatibility of a merchant with an order's platform or merchant. */
int kmv_model__compat(kmv_model *m, int32_t merchant, const kmv_model_order *o);

/* Classifiers (exposed for the unit tests). */
uint8_t kmv_model__classify_payment(const char *direction, const char *status,
				    const char *status_raw,
				    const char *category, bool has_refund_of);
uint8_t kmv_model__classify_order(const char *status, const char *status_raw);
/* For a row kmv_model__classify_payment called KMV_MODEL_PAY_OTHER: what it is. */
uint8_t kmv_model__classify_other(const char *direction, const char *status,
				  const char *status_raw);
bool kmv_model__watched_category(const char *category);

#endif
