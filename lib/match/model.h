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
 *    m_model_order()/m_model_pay() find a record by binary search;
 *  - every name (merchant, platform, order number) is an index into
 *    `names`; equal strings have equal indexes, -1 means "no value";
 *  - orders with the same order number are chained through `next_same_no`
 *    from `no_first[name]` (-1 ends the chain);
 *  - aliases hold the aliases table keyed (merchant, platform) with the
 *    origin code M_ALIAS_*; a removed alias is a deliberate "no".
 *
 * A payment row's strings that only matter while loading (merchant order
 * number, transaction number, product, memo) are handed to a callback
 * and not kept: 1M payments cost about 56 bytes each.
 */
#include <sqlite3.h>

#include "kmv/buf.h"

/* SQL: the receipt row's extra lists FIELD as unverified (page.c). */
#define M_UNVERIFIED(field) \
	"(extra IS NOT NULL AND json_valid(extra) AND EXISTS (SELECT 1 " \
	"FROM json_each(extra, '$.unverified') WHERE value = '" field "'))"

/* ---- string interning: string -> dense index ------------------------- */

typedef struct m_strmap {
	uint32_t *slots;        /* 0 empty, else index + 1 */
	size_t cap;             /* power of two */
	size_t count;
	size_t alloc;
	size_t *offs;           /* key i starts at arena.ptr + offs[i] */
	uint64_t *hashes;
	kmv_buf arena;          /* NUL-terminated keys back to back */
} m_strmap;

#define M_STRMAP_INIT { NULL, 0, 0, 0, NULL, NULL, KMV_BUF_INIT }

/* Index of `key` (added when new). KMV_ERROR on OOM. */
int m_strmap_intern(m_strmap *m, const char *key, int32_t *idx_out);
/* Index of `key` or -1. */
int32_t m_strmap_find(const m_strmap *m, const char *key);
const char *m_strmap_key(const m_strmap *m, int32_t idx);
void m_strmap_dispose(m_strmap *m);

/* ---- (int64, int64) -> int64 map ------------------------------------- */

typedef struct m_pairslot {
	int64_t a, b, v;
	bool used;
} m_pairslot;

typedef struct m_pairmap {
	m_pairslot *slots;
	size_t cap, count;
} m_pairmap;

#define M_PAIRMAP_INIT { NULL, 0, 0 }

int m_pairmap_put(m_pairmap *m, int64_t a, int64_t b, int64_t v);
bool m_pairmap_get(const m_pairmap *m, int64_t a, int64_t b, int64_t *v_out);
void m_pairmap_dispose(m_pairmap *m);

/* An unordered pair of record ids as a map key (smaller first). */
static inline void m_pair_key(int64_t *lo, int64_t *hi, int64_t a, int64_t b)
{
	*lo = a < b ? a : b;
	*hi = a < b ? b : a;
}

/* ---- records ----------------------------------------------------------- */

/* What a payment row means for matching and anomalies. */
enum m_pay_state {
	M_PAY_OTHER = 0,        /* income, closed, failed, transfers in */
	M_PAY_CHARGE = 1,       /* money left the account, successfully */
	M_PAY_CHARGE_REFUNDED,  /* a charge the statement already shows refunded */
	M_PAY_REFUND            /* money coming back for an earlier charge */
};

/* What an M_PAY_OTHER row is (paid.c says why it counts as it does). */
enum m_pay_other {
	M_OTHER_NONE = 0,       /* not an M_PAY_OTHER row */
	M_OTHER_INCOME,         /* money in, successfully */
	M_OTHER_CLOSED,         /* 交易关闭 / 已关闭 */
	M_OTHER_FAILED,
	M_OTHER_PENDING,        /* not (yet) successful */
	M_OTHER_NEUTRAL         /* 不计收支 */
};

/* Normalized order states (profiles.md). */
enum m_order_state {
	M_ORD_UNKNOWN = 0,
	M_ORD_PENDING,
	M_ORD_PAID,
	M_ORD_PROCESSING,
	M_ORD_DELIVERED,
	M_ORD_COMPLETED,
	M_ORD_REFUNDED,
	M_ORD_CANCELLED,
	M_ORD_FAILED,
	M_ORD_EXPIRED
};

enum { M_ALIAS_REMOVED = -1, M_ALIAS_LEARNED = 1, M_ALIAS_USER = 2 };

/*
 * An order is a shop's order record, or — when the vault has none for an
 * order number — the group of receipts that name it (M_ORDF_GROUP): the
 * group's id is its oldest receipt's, so links, anomalies and `show`
 * address it like an order.  Receipts are events on the order's timeline:
 * a later delivery receipt (delivered/completed, or card secrets) or a
 * failed one changes the state the shop's export gave (M_ORDF_RECEIPT).
 */
enum {
	M_ORDF_GROUP = 1,       /* receipts standing for an order */
	M_ORDF_RECEIPT = 2,     /* state set by a receipt */
	M_ORDF_DELIVERY = 4     /* a receipt shows delivery */
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
#define M_CONTACT_ORDER_SQL \
	"(SELECT substr(min(printf('%012d', CASE WHEN o.ts <= r.ts THEN " \
	"r.ts - o.ts ELSE 4 * (o.ts - r.ts) END) || o.order_no), 13) " \
	"FROM records o WHERE o.kind = 'order' AND " \
	"o.deleted_at IS NULL AND coalesce(o.order_no, '') <> '' AND " \
	"o.ts BETWEEN r.ts - 86400 AND r.ts + 600 AND o.extra IS NOT NULL " \
	"AND json_valid(o.extra) AND lower(trim(json_extract(o.extra, " \
	"'$.email'))) = json_extract(r.extra, '$.email') AND (o.platform IS " \
	"NULL OR r.platform IS NULL OR o.platform = r.platform OR " \
	"o.merchant = r.platform))"

/* SQL: the receipt row `r` names no order but has a contact to find it by. */
#define M_CONTACT_RECEIPT_SQL \
	"(coalesce(r.order_no, '') = '' AND r.ts IS NOT NULL AND r.extra IS " \
	"NOT NULL AND json_valid(r.extra) AND json_extract(r.extra, " \
	"'$.email') IS NOT NULL)"

typedef struct m_order {
	int64_t id, ts, amount;
	int32_t order_no, platform, merchant;  /* names */
	int32_t next_same_no;                  /* chain, -1 ends */
	int32_t pno;                           /* order_pno index, -1 */
	uint8_t state;
	uint8_t flags;                         /* M_ORDF_* */
	bool has_ts, has_amount;
	/* match working state */
	bool paid;                             /* a charge is linked */
} m_order;

typedef struct m_pay {
	int64_t id, ts, amount, refund_of;
	int32_t merchant, source_kind;         /* names */
	int32_t order;                         /* linked order index, -1 */
	uint8_t state;                         /* m_pay_state */
	uint8_t other;                         /* m_pay_other */
	bool has_ts, has_amount;
	bool watched;                          /* category like 充值缴费 */
	bool taken;                            /* linked to an order already */
} m_pay;

/* The strings of one payment row while loading (borrowed). */
typedef struct m_pay_text {
	const char *merchant_order_no, *payment_no, *product, *memo;
} m_pay_text;

typedef struct m_model {
	m_strmap names;
	m_order *orders;
	size_t norders, orders_alloc;
	m_pay *pays;
	size_t npays;
	int32_t *no_first;       /* per name: first order with that number */
	size_t no_first_len;
	m_strmap order_pno;      /* orders' payment_no (trade_no) -> order */
	int32_t *pno_order;      /* per order_pno index: order index */
	m_pairmap aliases;       /* (merchant, platform) names -> M_ALIAS_* */
	m_pairmap compat_cache;  /* (merchant, name) -> m_compat + 1 */
	bool scoped;             /* load only the records of temp.M_SCOPE_TABLE */
} m_model;

#define M_MODEL_INIT { M_STRMAP_INIT, NULL, 0, 0, NULL, 0, NULL, 0, \
		       M_STRMAP_INIT, NULL, M_PAIRMAP_INIT, M_PAIRMAP_INIT, false }

typedef int (*m_pay_cb)(m_model *m, size_t pay_idx, const m_pay_text *text,
			void *payload);

/*
 * Load aliases, orders and payments.  `cb` (may be NULL) sees each
 * payment right after it is appended, with its strings.
 */
int m_model_load(m_model *m, sqlite3 *db, m_pay_cb cb, void *payload);
void m_model_dispose(m_model *m);

/*
 * The records that decide the anomalies of one order number (scope.c):
 * the connected component of the records carrying it, under equal
 * numbers, links and refund_of, written to temp.M_SCOPE_TABLE.
 * *scoped_out is false (and the table is empty) when the vault's
 * placeholder numbers could tie records or the component is large: the
 * caller then loads the whole vault.  m_scope_drop() empties the table.
 */
#define M_SCOPE_TABLE "kmv_model_scope"
int m_scope_build(sqlite3 *db, const char *order_no, bool *scoped_out);
int m_scope_drop(sqlite3 *db);

/* Index of the order / payment with this record id, or -1. */
int32_t m_model_order(const m_model *m, int64_t id);
int32_t m_model_pay(const m_model *m, int64_t id);

/* How a payment's merchant relates to a name of the order's side. */
enum m_compat {
	M_COMPAT_NONE = 0,
	M_COMPAT_PREFIX = 1,     /* one name starts with the other (>= 3 chars) */
	M_COMPAT_SAME = 2,       /* the same name */
	M_COMPAT_ALIAS = 3       /* an alias in force */
};

/*
 * A payment aggregator (易支付, 码支付): the statement names it and its
 * number, not the shop's, so only amount and time can tie the payment to
 * an order.
 */
bool m_model_aggregator(const m_model *m, int32_t merchant);

/* Compatibility of a payment's merchant with one name (cached). */
int m_model_compat_name(m_model *m, int32_t merchant, int32_t name);

/* Best compatibility of a merchant with an order's platform or merchant. */
int m_model_compat(m_model *m, int32_t merchant, const m_order *o);

/* Classifiers (exposed for the unit tests). */
uint8_t m_classify_payment(const char *direction, const char *status,
			   const char *status_raw, const char *category,
			   bool has_refund_of);
uint8_t m_classify_order(const char *status, const char *status_raw);
/* For a row m_classify_payment called M_PAY_OTHER: what it is. */
uint8_t m_classify_other(const char *direction, const char *status,
			 const char *status_raw);
bool m_watched_category(const char *category);

/* "5 min after", "2.5 h before" into out. */
const char *m_fmt_delta(char *out, size_t outsz, int64_t seconds);

#endif
