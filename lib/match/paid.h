/* SPDX-License-Identifier: MIT */
#ifndef KMV_MATCH_PAID_H
#define KMV_MATCH_PAID_H

/*
 * "Is this order paid, and by what?" in one place (issue 16 point 3),
 * shared by anomalies (anomalies.c: the payments standing for an order,
 * the refunds of a charge) and reports (lib/report/collect.c: what each
 * record adds to the headline), so that a report's totals and the
 * anomalies cannot disagree; match (match.c) marks an order paid with the
 * same kmv_paid__is_charge().
 *
 * On top of the model (model.h: each payment classified once by
 * kmv_model__classify_payment, each order by kmv_model__classify_order) it holds:
 *  - order -> the payments that stand for it: the links `match` left
 *    (vetoes excluded) and, so that the answer is right before `match`
 *    has run, an outgoing payment quoting the order's number (its
 *    merchant order number is the order number, or its transaction
 *    number is the order's trade_no) that no link ties to another order
 *    and no veto forbids: match's first rule, applied the same way;
 *  - charge -> the refunds seen for it (importer's refund_of, refund
 *    links), each pair once;
 *  - payment -> explained (linked to an order or a receipt).
 *
 * kmv_paid__count() then says what one record adds to a period's headline
 * (净支出 = 支出 − 退款及收入) and, when it adds nothing, why.
 */
#include <sqlite3.h>

#include "match/model.h"

typedef struct kmv_paid_edge {
	int32_t to, next;
} kmv_paid_edge;

typedef struct kmv_paid {
	kmv_model *m;
	int32_t *order_first; /* per order: first edge to a payment, -1 */
	int32_t *pay_refunds; /* per payment: first edge to a refund, -1 */
	int32_t *refund_of;   /* per refund: the charge it returns, -1 */
	int32_t *pay_order;   /* per payment: the order it stands for, -1 */
	kmv_paid_edge *edges;
	size_t nedges, aedges;
	bool *explained;          /* payment linked to an order or receipt */
	kmv_pairmap refund_pairs; /* (charge, refund) counted already */
	kmv_pairmap vetoes;       /* (lo id, hi id) vetoed by `unlink` */
	/* pairs (payment index, order index) implied by numbers, while loading */
	int32_t *implied;
	size_t nimplied, aimplied;
} kmv_paid;

#define KMV_PAID_INIT                                                  \
	{                                                              \
		NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL,        \
			KMV_PAIRMAP_INIT, KMV_PAIRMAP_INIT, NULL, 0, 0 \
	}

/*
 * Load the model and the links.  `cb` sees each payment while loading
 * (as kmv_model__load's callback), after kmv_paid's own look at its numbers.
 */
int kmv_paid__load(kmv_paid *p, kmv_model *m, sqlite3 *db, kmv_model_pay_cb cb,
		   void *payload);
void kmv_paid__dispose(kmv_paid *p);

/* A payment that took money out successfully (refunded later or not). */
bool kmv_paid__is_charge(const kmv_model_pay *p);

/* Order states that say the shop was paid (paid .. completed). */
bool kmv_paid__order_state_paid(uint8_t state);

/* The first charge standing for order `oi`, or -1: "paid, by what". */
int32_t kmv_paid__by(const kmv_paid *p, int32_t oi);

/* Which term of the headline a record feeds. */
enum kmv_paid_term {
	KMV_PAID_TERM_NONE = 0,
	KMV_PAID_TERM_SPENT = 1,
	KMV_PAID_TERM_BACK = 2
};

/* Why a record counts as it does (labels: kmv_doc_label("count", …)). */
enum kmv_paid_why {
	KMV_PAID_WHY_CHARGE = 1, /* 付款支出 */
	KMV_PAID_WHY_ORDER_ONLY, /* paid order, no payment record stands for it */
	KMV_PAID_WHY_REFUND, /* refund of a counted charge, or of an unknown one */
	KMV_PAID_WHY_INCOME,           /* money in */
	KMV_PAID_WHY_CLOSED,           /* closed purchase: not spending */
	KMV_PAID_WHY_FAILED,           /* failed payment */
	KMV_PAID_WHY_PENDING,          /* payment not (yet) successful */
	KMV_PAID_WHY_NEUTRAL,          /* 不计收支 transfer */
	KMV_PAID_WHY_REFUND_UNCOUNTED, /* refund of a charge that did not count */
	KMV_PAID_WHY_VIA_PAYMENT,      /* order counted through its payment */
	KMV_PAID_WHY_ORDER_UNPAID,     /* pending, failed, expired order */
	KMV_PAID_WHY_ORDER_CANCELLED, /* cancelled / closed order */
	KMV_PAID_WHY_ORDER_REFUNDED,  /* order refunded, no payment record */
	KMV_PAID_WHY_ORDER_UNKNOWN,   /* order state unknown */
	KMV_PAID_WHY_RECEIPT,      /* receipts repeat an order or a payment */
	KMV_PAID_WHY_NO_AMOUNT,    /* no amount */
	KMV_PAID_WHY_ORDER_FROZEN, /* frozen by the shop, no payment seen */
	KMV_PAID_WHY_COUNT
};

/* Stable machine names of enum kmv_paid_why ("charge", "closed", …). */
const char *kmv_paid__why_name(int why);

typedef struct kmv_paid_count {
	int64_t amount; /* what it adds to 净支出, fen (< 0 for money back) */
	int64_t via;    /* record id it refers to (payment / charge), or 0 */
	uint8_t term;   /* enum kmv_paid_term */
	uint8_t why;    /* enum kmv_paid_why */
} kmv_paid_count;

/* What payment `pi` adds. */
kmv_paid_count kmv_paid__count_pay(const kmv_paid *p, int32_t pi);

/* What order `oi` adds. */
kmv_paid_count kmv_paid__count_order(const kmv_paid *p, int32_t oi);

#endif
