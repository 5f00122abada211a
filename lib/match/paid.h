/* SPDX-License-Identifier: MIT */
#ifndef KMV_MATCH_PAID_H
#define KMV_MATCH_PAID_H

/*
 * "Is this order paid, and by what?" in one place (issue 16 point 3),
 * shared by anomalies (anomalies.c: the payments standing for an order,
 * the refunds of a charge) and reports (lib/report/collect.c: what each
 * record adds to the headline), so that a report's totals and the
 * anomalies cannot disagree; match (match.c) marks an order paid with the
 * same m_pay_is_charge().
 *
 * On top of the model (model.h: each payment classified once by
 * m_classify_payment, each order by m_classify_order) it holds:
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
 * m_paid_count() then says what one record adds to a period's headline
 * (净支出 = 支出 − 退款及收入) and, when it adds nothing, why.
 */
#include <sqlite3.h>

#include "match/model.h"

typedef struct m_edge {
	int32_t to, next;
} m_edge;

typedef struct m_paid {
	m_model *m;
	int32_t *order_first;    /* per order: first edge to a payment, -1 */
	int32_t *pay_refunds;    /* per payment: first edge to a refund, -1 */
	int32_t *refund_of;      /* per refund: the charge it returns, -1 */
	int32_t *pay_order;      /* per payment: the order it stands for, -1 */
	m_edge *edges;
	size_t nedges, aedges;
	bool *explained;         /* payment linked to an order or receipt */
	m_pairmap refund_pairs;  /* (charge, refund) counted already */
	m_pairmap vetoes;        /* (lo id, hi id) vetoed by `unlink` */
	/* pairs (payment index, order index) implied by numbers, while loading */
	int32_t *implied;
	size_t nimplied, aimplied;
} m_paid;

#define M_PAID_INIT { NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, \
		      M_PAIRMAP_INIT, M_PAIRMAP_INIT, NULL, 0, 0 }

/*
 * Load the model and the links.  `cb` sees each payment while loading
 * (as m_model_load's callback), after m_paid's own look at its numbers.
 */
int m_paid_load(m_paid *p, m_model *m, sqlite3 *db, m_pay_cb cb,
		void *payload);
void m_paid_dispose(m_paid *p);

/* A payment that took money out successfully (refunded later or not). */
bool m_pay_is_charge(const m_pay *p);

/* Order states that say the shop was paid (paid .. completed). */
bool m_order_state_paid(uint8_t state);

/* The first charge standing for order `oi`, or -1: "paid, by what". */
int32_t m_paid_by(const m_paid *p, int32_t oi);

/* Which term of the headline a record feeds. */
enum m_term { M_TERM_NONE = 0, M_TERM_SPENT = 1, M_TERM_BACK = 2 };

/* Why a record counts as it does (labels: kmv_doc_label("count", …)). */
enum m_why {
	M_WHY_CHARGE = 1,        /* 付款支出 */
	M_WHY_ORDER_ONLY,        /* paid order, no payment record stands for it */
	M_WHY_REFUND,            /* refund of a counted charge, or of an unknown one */
	M_WHY_INCOME,            /* money in */
	M_WHY_CLOSED,            /* closed purchase: not spending */
	M_WHY_FAILED,            /* failed payment */
	M_WHY_PENDING,           /* payment not (yet) successful */
	M_WHY_NEUTRAL,           /* 不计收支 transfer */
	M_WHY_REFUND_UNCOUNTED,  /* refund of a charge that did not count */
	M_WHY_VIA_PAYMENT,       /* order counted through its payment */
	M_WHY_ORDER_UNPAID,      /* pending, failed, expired order */
	M_WHY_ORDER_CANCELLED,   /* cancelled / closed order */
	M_WHY_ORDER_REFUNDED,    /* order refunded, no payment record */
	M_WHY_ORDER_UNKNOWN,     /* order state unknown */
	M_WHY_RECEIPT,           /* receipts repeat an order or a payment */
	M_WHY_NO_AMOUNT,         /* no amount */
	M_WHY_COUNT
};

/* Stable machine names of enum m_why ("charge", "closed", …). */
const char *m_why_name(int why);

typedef struct m_count {
	int64_t amount;   /* what it adds to 净支出, fen (< 0 for money back) */
	int64_t via;      /* record id it refers to (payment / charge), or 0 */
	uint8_t term;     /* enum m_term */
	uint8_t why;      /* enum m_why */
} m_count;

/* What payment `pi` adds. */
m_count m_paid_count_pay(const m_paid *p, int32_t pi);

/* What order `oi` adds. */
m_count m_paid_count_order(const m_paid *p, int32_t oi);

#endif
