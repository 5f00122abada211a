/* SPDX-License-Identifier: MIT */
/*
 * "Is this order paid, and by what?" and "what does this record add to
 * the headline?" — answered once for anomalies and reports (paid.h,
 * docs/reports.md "What counts").
 */
#include "common.h"
#include "match/paid.h"

#include "store/vault.h"
#include "store/db.h"

static int add_edge(m_paid *p, int32_t *first, int32_t from, int32_t to)
{
	int error = 0;

	KMV_TRY(KMV_ARRAY_GROW(p->edges, p->aedges, p->nedges + 1));
	p->edges[p->nedges].to = to;
	p->edges[p->nedges].next = first[from];
	first[from] = (int32_t)p->nedges++;
done:
	return error;
}

bool m_pay_is_charge(const m_pay *p)
{
	return p->state == M_PAY_CHARGE || p->state == M_PAY_CHARGE_REFUNDED;
}

bool m_order_state_paid(uint8_t state)
{
	return state == M_ORD_PAID || state == M_ORD_PROCESSING ||
	       state == M_ORD_DELIVERED || state == M_ORD_COMPLETED;
}

static bool vetoed(const m_paid *p, int64_t a, int64_t b)
{
	int64_t lo, hi;

	m_pair_key(&lo, &hi, a, b);
	return m_pairmap_get(&p->vetoes, lo, hi, NULL);
}

/* ---- loading ----------------------------------------------------------- */

struct load_ctx {
	m_paid *p;
	m_pay_cb cb;
	void *payload;
};

static int imply(m_paid *p, int32_t pi, int32_t oi)
{
	int error = 0;

	if (vetoed(p, p->m->pays[pi].id, p->m->orders[oi].id))
		return 0;
	KMV_TRY(KMV_ARRAY_GROW(p->implied, p->aimplied, p->nimplied * 2 + 2));
	p->implied[p->nimplied * 2] = pi;
	p->implied[p->nimplied * 2 + 1] = oi;
	p->nimplied++;
done:
	return error;
}

/* match's first rule on the numbers alone (match.c on_payment). */
static int on_payment(m_model *m, size_t pi, const m_pay_text *t, void *payload)
{
	struct load_ctx *lc = payload;
	int error = 0;

	if (t->merchant_order_no && *t->merchant_order_no) {
		int32_t idx = m_strmap_find(&m->names, t->merchant_order_no);

		if (idx >= 0 && (size_t)idx < m->no_first_len)
			for (int32_t oi = m->no_first[idx]; oi >= 0;
			     oi = m->orders[oi].next_same_no)
				KMV_TRY(imply(lc->p, (int32_t)pi, oi));
	}
	if (t->payment_no && *t->payment_no) {
		int32_t k = m_strmap_find(&m->order_pno, t->payment_no);

		if (k >= 0)
			KMV_TRY(imply(lc->p, (int32_t)pi, m->pno_order[k]));
	}
	if (lc->cb)
		error = lc->cb(m, pi, t, lc->payload);
done:
	return error;
}

static int load_vetoes(m_paid *p, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db, "SELECT a, b FROM links WHERE manual < 0"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t lo, hi;

		m_pair_key(&lo, &hi, sqlite3_column_int64(st, 0),
			   sqlite3_column_int64(st, 1));
		KMV_TRY(m_pairmap_put(&p->vetoes, lo, hi, 1));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read links");
done:
	sqlite3_finalize(st);
	return error;
}

static int stand_for(m_paid *p, int32_t oi, int32_t pi)
{
	p->explained[pi] = true;
	if (p->pay_order[pi] < 0)
		p->pay_order[pi] = oi;
	return add_edge(p, p->order_first, oi, pi);
}

static int add_refund(m_paid *p, int32_t charge, int32_t refund)
{
	if (m_pairmap_get(&p->refund_pairs, charge, refund, NULL))
		return 0;
	if (p->refund_of[refund] < 0)
		p->refund_of[refund] = charge;
	if (m_pairmap_put(&p->refund_pairs, charge, refund, 1) < 0)
		return KMV_ERROR;
	return add_edge(p, p->pay_refunds, charge, refund);
}

static int load_links(m_paid *p, sqlite3 *db)
{
	const m_model *m = p->m;
	sqlite3_stmt *st = NULL;
	bool *linked = NULL;
	int error = 0, rc;

	/* the importer's refund_of first: links may repeat it */
	for (size_t i = 0; i < m->npays; i++) {
		const m_pay *x = &m->pays[i];
		int32_t j;

		if (!x->refund_of || x->state != M_PAY_REFUND)
			continue;
		if ((j = m_model_pay(m, x->refund_of)) < 0)
			continue;
		KMV_TRY(add_refund(p, j, (int32_t)i));
	}
	if (!(linked = calloc(m->npays ? m->npays : 1, sizeof(*linked)))) {
		error = kmv_error_nomem();
		goto done;
	}
	/* scoped (scope.c): the links of the scope's records, same order */
	KMV_TRY(kmv_db__prepare(&st, db, m->scoped
		? "SELECT a, b FROM links WHERE manual >= 0 AND id IN ("
		  "SELECT l.id FROM temp." M_SCOPE_TABLE " s JOIN links l ON l.a = s.id "
		  "UNION SELECT l.id FROM temp." M_SCOPE_TABLE " s "
		  "JOIN links l ON l.b = s.id) ORDER BY id"
		: "SELECT a, b FROM links WHERE manual >= 0 ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(st, 0);
		int64_t b = sqlite3_column_int64(st, 1);
		int32_t oa = m_model_order(m, a), ob = m_model_order(m, b);
		int32_t pa = m_model_pay(m, a), pb = m_model_pay(m, b);

		if (oa >= 0 && pb >= 0) {
			linked[pb] = true;
			KMV_TRY(stand_for(p, oa, pb));
		} else if (ob >= 0 && pa >= 0) {
			linked[pa] = true;
			KMV_TRY(stand_for(p, ob, pa));
		} else if (pa >= 0 && pb >= 0) {
			/* the refund is the side that is one */
			int32_t charge = pa, refund = pb;

			if (m->pays[pa].state == M_PAY_REFUND) {
				charge = pb;
				refund = pa;
			}
			if (m->pays[refund].state != M_PAY_REFUND ||
			    m->pays[charge].state == M_PAY_REFUND)
				continue;
			KMV_TRY(add_refund(p, charge, refund));
		} else if (pa >= 0 && ob < 0) {
			p->explained[pa] = true;   /* payment <-> receipt */
		} else if (pb >= 0 && oa < 0) {
			p->explained[pb] = true;
		}
	}
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot read links");
		goto done;
	}
	/* numbers stand in for links a payment does not have yet */
	for (size_t k = 0; k < p->nimplied; k++) {
		int32_t pi = p->implied[k * 2], oi = p->implied[k * 2 + 1];
		bool dup = false;

		if (linked[pi])
			continue;
		for (int32_t e = p->order_first[oi]; e >= 0 && !dup;
		     e = p->edges[e].next)
			dup = p->edges[e].to == pi;
		if (!dup)
			KMV_TRY(stand_for(p, oi, pi));
	}
done:
	free(linked);
	sqlite3_finalize(st);
	return error;
}

int m_paid_load(m_paid *p, m_model *m, sqlite3 *db, m_pay_cb cb,
		void *payload)
{
	struct load_ctx lc = { p, cb, payload };
	size_t no, np;
	int error = 0;

	p->m = m;
	KMV_TRY(load_vetoes(p, db));
	KMV_TRY(m_model_load(m, db, on_payment, &lc));
	no = m->norders ? m->norders : 1;
	np = m->npays ? m->npays : 1;
	p->order_first = malloc(no * sizeof(*p->order_first));
	p->pay_refunds = malloc(np * sizeof(*p->pay_refunds));
	p->refund_of = malloc(np * sizeof(*p->refund_of));
	p->pay_order = malloc(np * sizeof(*p->pay_order));
	p->explained = calloc(np, sizeof(*p->explained));
	if (!p->order_first || !p->pay_refunds || !p->refund_of ||
	    !p->pay_order || !p->explained) {
		error = kmv_error_nomem();
		goto done;
	}
	for (size_t i = 0; i < m->norders; i++)
		p->order_first[i] = -1;
	for (size_t i = 0; i < m->npays; i++)
		p->pay_refunds[i] = p->refund_of[i] = p->pay_order[i] = -1;
	KMV_TRY(load_links(p, db));
done:
	return error;
}

void m_paid_dispose(m_paid *p)
{
	free(p->order_first);
	free(p->pay_refunds);
	free(p->refund_of);
	free(p->pay_order);
	free(p->edges);
	free(p->explained);
	free(p->implied);
	m_pairmap_dispose(&p->refund_pairs);
	m_pairmap_dispose(&p->vetoes);
	*p = (m_paid)M_PAID_INIT;
}

/* ---- the answers ------------------------------------------------------- */

int32_t m_paid_by(const m_paid *p, int32_t oi)
{
	int32_t best = -1;

	/* edges come newest first: the oldest charge is "the" payment */
	for (int32_t e = p->order_first[oi]; e >= 0; e = p->edges[e].next)
		if (m_pay_is_charge(&p->m->pays[p->edges[e].to]))
			best = p->edges[e].to;
	return best;
}

static const char *const why_names[M_WHY_COUNT] = {
	[M_WHY_CHARGE] = "charge",
	[M_WHY_ORDER_ONLY] = "order_only",
	[M_WHY_REFUND] = "refund",
	[M_WHY_INCOME] = "income",
	[M_WHY_CLOSED] = "closed",
	[M_WHY_FAILED] = "failed",
	[M_WHY_PENDING] = "pending",
	[M_WHY_NEUTRAL] = "neutral",
	[M_WHY_REFUND_UNCOUNTED] = "refund_of_uncounted",
	[M_WHY_VIA_PAYMENT] = "via_payment",
	[M_WHY_ORDER_UNPAID] = "order_unpaid",
	[M_WHY_ORDER_CANCELLED] = "order_cancelled",
	[M_WHY_ORDER_REFUNDED] = "order_refunded",
	[M_WHY_ORDER_UNKNOWN] = "order_state_unknown",
	[M_WHY_RECEIPT] = "receipt",
	[M_WHY_NO_AMOUNT] = "no_amount",
};

const char *m_why_name(int why)
{
	return why > 0 && why < M_WHY_COUNT && why_names[why] ? why_names[why]
							       : "";
}

static m_count counted(uint8_t term, uint8_t why, int64_t amount, int64_t via)
{
	m_count c;

	c.term = term;
	c.why = why;
	c.amount = term == M_TERM_SPENT ? amount
		 : term == M_TERM_BACK ? -amount : 0;
	c.via = via;
	return c;
}

m_count m_paid_count_pay(const m_paid *p, int32_t pi)
{
	const m_pay *x = &p->m->pays[pi];
	int32_t oi = p->pay_order[pi];
	int64_t order_id = oi >= 0 ? p->m->orders[oi].id : 0;
	int32_t c;

	if (!x->has_amount)
		return counted(M_TERM_NONE, M_WHY_NO_AMOUNT, 0, 0);
	switch (x->state) {
	case M_PAY_CHARGE:
	case M_PAY_CHARGE_REFUNDED:
		return counted(M_TERM_SPENT, M_WHY_CHARGE, x->amount, order_id);
	case M_PAY_REFUND:
		c = p->refund_of[pi];
		/* money back for money that never counted is no money back */
		if (c >= 0 && !m_pay_is_charge(&p->m->pays[c]))
			return counted(M_TERM_NONE, M_WHY_REFUND_UNCOUNTED, 0,
				       p->m->pays[c].id);
		return counted(M_TERM_BACK, M_WHY_REFUND, x->amount,
			       c >= 0 ? p->m->pays[c].id : 0);
	default:
		break;
	}
	switch (x->other) {
	case M_OTHER_INCOME:
		return counted(M_TERM_BACK, M_WHY_INCOME, x->amount, 0);
	case M_OTHER_CLOSED:
		return counted(M_TERM_NONE, M_WHY_CLOSED, 0, 0);
	case M_OTHER_FAILED:
		return counted(M_TERM_NONE, M_WHY_FAILED, 0, 0);
	case M_OTHER_PENDING:
		return counted(M_TERM_NONE, M_WHY_PENDING, 0, 0);
	default:
		return counted(M_TERM_NONE, M_WHY_NEUTRAL, 0, 0);
	}
}

m_count m_paid_count_order(const m_paid *p, int32_t oi)
{
	const m_order *o = &p->m->orders[oi];
	int32_t by = m_paid_by(p, oi);
	int64_t via = by >= 0 ? p->m->pays[by].id : 0;

	switch (o->state) {
	case M_ORD_PAID:
	case M_ORD_PROCESSING:
	case M_ORD_DELIVERED:
	case M_ORD_COMPLETED:
		if (by >= 0)
			return counted(M_TERM_NONE, M_WHY_VIA_PAYMENT, 0, via);
		if (!o->has_amount)
			return counted(M_TERM_NONE, M_WHY_NO_AMOUNT, 0, 0);
		return counted(M_TERM_SPENT, M_WHY_ORDER_ONLY, o->amount, 0);
	case M_ORD_CANCELLED:
		return counted(M_TERM_NONE, M_WHY_ORDER_CANCELLED, 0, via);
	case M_ORD_REFUNDED:
		return counted(M_TERM_NONE, M_WHY_ORDER_REFUNDED, 0, via);
	case M_ORD_UNKNOWN:
		/* its payment says what the shop's word does not */
		if (by >= 0)
			return counted(M_TERM_NONE, M_WHY_VIA_PAYMENT, 0, via);
		return counted(M_TERM_NONE, M_WHY_ORDER_UNKNOWN, 0, 0);
	default:
		return counted(M_TERM_NONE, M_WHY_ORDER_UNPAID, 0, via);
	}
}
