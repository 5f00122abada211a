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

static int add_edge(kmv_paid *p, int32_t *first, int32_t from, int32_t to)
{
	int error = 0;

	KMV_TRY(KMV_ARRAY_GROW(p->edges, p->aedges, p->nedges + 1));
	p->edges[p->nedges].to = to;
	p->edges[p->nedges].next = first[from];
	first[from] = (int32_t)p->nedges++;
done:
	return error;
}

bool kmv_paid__is_charge(const kmv_model_pay *p)
{
	return p->state == KMV_MODEL_PAY_CHARGE ||
	       p->state == KMV_MODEL_PAY_CHARGE_REFUNDED;
}

bool kmv_paid__order_state_paid(uint8_t state)
{
	return state == KMV_MODEL_ORD_PAID ||
	       state == KMV_MODEL_ORD_PROCESSING ||
	       state == KMV_MODEL_ORD_DELIVERED ||
	       state == KMV_MODEL_ORD_COMPLETED;
}

static bool vetoed(const kmv_paid *p, int64_t a, int64_t b)
{
	int64_t lo, hi;

	kmv_pairmap__key(&lo, &hi, a, b);
	return kmv_pairmap__get(&p->vetoes, lo, hi, NULL);
}

/* ---- loading ----------------------------------------------------------- */

struct load_ctx {
	kmv_paid *p;
	kmv_model_pay_cb cb;
	void *payload;
};

static int imply(kmv_paid *p, int32_t pi, int32_t oi)
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
static int on_payment(kmv_model *m, size_t pi, const kmv_model_pay_text *t,
		      void *payload)
{
	struct load_ctx *lc = payload;
	int error = 0;

	if (t->merchant_order_no && *t->merchant_order_no) {
		int32_t idx = kmv_strmap__find(&m->numbers,
					       t->merchant_order_no);

		if (idx >= 0 && (size_t)idx < m->no_first_len)
			for (int32_t oi = m->no_first[idx]; oi >= 0;
			     oi = m->orders[oi].next_same_no)
				KMV_TRY(imply(lc->p, (int32_t)pi, oi));
	}
	if (t->payment_no && *t->payment_no) {
		int32_t k = kmv_strmap__find(&m->order_pno, t->payment_no);

		if (k >= 0)
			KMV_TRY(imply(lc->p, (int32_t)pi, m->pno_order[k]));
	}
	if (lc->cb)
		error = lc->cb(m, pi, t, lc->payload);
done:
	return error;
}

static int load_vetoes(kmv_paid *p, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT a, b FROM links WHERE manual < 0"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t lo, hi;

		kmv_pairmap__key(&lo, &hi, sqlite3_column_int64(st, 0),
				 sqlite3_column_int64(st, 1));
		KMV_TRY(kmv_pairmap__put(&p->vetoes, lo, hi, 1));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read links");
done:
	sqlite3_finalize(st);
	return error;
}

static int stand_for(kmv_paid *p, int32_t oi, int32_t pi)
{
	p->explained[pi] = true;
	if (p->pay_order[pi] < 0)
		p->pay_order[pi] = oi;
	return add_edge(p, p->order_first, oi, pi);
}

static int add_refund(kmv_paid *p, int32_t charge, int32_t refund)
{
	if (kmv_pairmap__get(&p->refund_pairs, charge, refund, NULL))
		return 0;
	if (p->refund_of[refund] < 0)
		p->refund_of[refund] = charge;
	if (kmv_pairmap__put(&p->refund_pairs, charge, refund, 1) < 0)
		return KMV_ERROR;
	return add_edge(p, p->pay_refunds, charge, refund);
}

/* The importer's refund_of first: links may repeat it. */
static int add_statement_refunds(kmv_paid *p)
{
	const kmv_model *m = p->m;
	int error = 0;

	for (size_t i = 0; i < m->npays; i++) {
		const kmv_model_pay *x = &m->pays[i];
		int32_t j;

		if (!x->refund_of || x->state != KMV_MODEL_PAY_REFUND)
			continue;
		if ((j = kmv_model__pay(m, x->refund_of)) < 0)
			continue;
		KMV_TRY(add_refund(p, j, (int32_t)i));
	}
done:
	return error;
}

/* One link a <-> b of the links table; `linked`: per payment. */
static int add_link(kmv_paid *p, int64_t a, int64_t b, bool *linked)
{
	const kmv_model *m = p->m;
	int32_t oa = kmv_model__order(m, a), ob = kmv_model__order(m, b);
	int32_t pa = kmv_model__pay(m, a), pb = kmv_model__pay(m, b);

	if (oa >= 0 && pb >= 0) {
		linked[pb] = true;
		return stand_for(p, oa, pb);
	}
	if (ob >= 0 && pa >= 0) {
		linked[pa] = true;
		return stand_for(p, ob, pa);
	}
	if (pa >= 0 && pb >= 0) {
		/* the refund is the side that is one */
		int32_t charge = pa, refund = pb;

		if (m->pays[pa].state == KMV_MODEL_PAY_REFUND) {
			charge = pb;
			refund = pa;
		}
		if (m->pays[refund].state != KMV_MODEL_PAY_REFUND ||
		    m->pays[charge].state == KMV_MODEL_PAY_REFUND)
			return 0;
		return add_refund(p, charge, refund);
	}
	if (pa >= 0 && ob < 0)
		p->explained[pa] = true; /* payment <-> receipt */
	else if (pb >= 0 && oa < 0)
		p->explained[pb] = true;
	return 0;
}

/* Numbers stand in for links a payment does not have yet. */
static int add_implied(kmv_paid *p, const bool *linked)
{
	int error = 0;

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
	return error;
}

static int load_links(kmv_paid *p, sqlite3 *db)
{
	const kmv_model *m = p->m;
	sqlite3_stmt *st = NULL;
	bool *linked = NULL;
	int error = 0, rc;

	KMV_TRY(add_statement_refunds(p));
	if (!(linked = calloc(m->npays ? m->npays : 1, sizeof(*linked)))) {
		error = kmv_error_nomem();
		goto done;
	}
	/* scoped (scope.c): the links of the scope's records, same order */
	KMV_TRY(kmv_db__prepare(
		&st, db,
		m->scoped
			? "SELECT a, b FROM links WHERE manual >= 0 AND id IN ("
			  "SELECT l.id FROM temp." KMV_SCOPE_TABLE
			  " s JOIN links l ON l.a = s.id "
			  "UNION SELECT l.id FROM temp." KMV_SCOPE_TABLE " s "
			  "JOIN links l ON l.b = s.id) ORDER BY id"
			: "SELECT a, b FROM links WHERE manual >= 0 ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		KMV_TRY(add_link(p, sqlite3_column_int64(st, 0),
				 sqlite3_column_int64(st, 1), linked));
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot read links");
		goto done;
	}
	KMV_TRY(add_implied(p, linked));
done:
	free(linked);
	sqlite3_finalize(st);
	return error;
}

int kmv_paid__load(kmv_paid *p, kmv_model *m, sqlite3 *db, kmv_model_pay_cb cb,
		   void *payload)
{
	struct load_ctx lc = { p, cb, payload };
	size_t no, np;
	int error = 0;

	p->m = m;
	KMV_TRY(load_vetoes(p, db));
	KMV_TRY(kmv_model__load(m, db, on_payment, &lc));
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

void kmv_paid__dispose(kmv_paid *p)
{
	free(p->order_first);
	free(p->pay_refunds);
	free(p->refund_of);
	free(p->pay_order);
	free(p->edges);
	free(p->explained);
	free(p->implied);
	kmv_pairmap__dispose(&p->refund_pairs);
	kmv_pairmap__dispose(&p->vetoes);
	*p = (kmv_paid)KMV_PAID_INIT;
}

/* ---- the answers ------------------------------------------------------- */

int32_t kmv_paid__by(const kmv_paid *p, int32_t oi)
{
	int32_t best = -1;

	/* edges come newest first: the oldest charge is "the" payment */
	for (int32_t e = p->order_first[oi]; e >= 0; e = p->edges[e].next)
		if (kmv_paid__is_charge(&p->m->pays[p->edges[e].to]))
			best = p->edges[e].to;
	return best;
}

static const char *const why_names[KMV_PAID_WHY_COUNT] = {
	[KMV_PAID_WHY_CHARGE] = "charge",
	[KMV_PAID_WHY_ORDER_ONLY] = "order_only",
	[KMV_PAID_WHY_REFUND] = "refund",
	[KMV_PAID_WHY_INCOME] = "income",
	[KMV_PAID_WHY_CLOSED] = "closed",
	[KMV_PAID_WHY_FAILED] = "failed",
	[KMV_PAID_WHY_PENDING] = "pending",
	[KMV_PAID_WHY_NEUTRAL] = "neutral",
	[KMV_PAID_WHY_REFUND_UNCOUNTED] = "refund_of_uncounted",
	[KMV_PAID_WHY_VIA_PAYMENT] = "via_payment",
	[KMV_PAID_WHY_ORDER_UNPAID] = "order_unpaid",
	[KMV_PAID_WHY_ORDER_CANCELLED] = "order_cancelled",
	[KMV_PAID_WHY_ORDER_REFUNDED] = "order_refunded",
	[KMV_PAID_WHY_ORDER_UNKNOWN] = "order_state_unknown",
	[KMV_PAID_WHY_RECEIPT] = "receipt",
	[KMV_PAID_WHY_NO_AMOUNT] = "no_amount",
	[KMV_PAID_WHY_ORDER_FROZEN] = "order_frozen",
};

const char *kmv_paid__why_name(int why)
{
	return why > 0 && why < KMV_PAID_WHY_COUNT && why_names[why]
		       ? why_names[why]
		       : "";
}

static kmv_paid_count counted(uint8_t term, uint8_t why, int64_t amount,
			      int64_t via)
{
	kmv_paid_count c;

	c.term = term;
	c.why = why;
	c.amount = term == KMV_PAID_TERM_SPENT  ? amount
		   : term == KMV_PAID_TERM_BACK ? -amount
						: 0;
	c.via = via;
	return c;
}

kmv_paid_count kmv_paid__count_pay(const kmv_paid *p, int32_t pi)
{
	const kmv_model_pay *x = &p->m->pays[pi];
	int32_t oi = p->pay_order[pi];
	int64_t order_id = oi >= 0 ? p->m->orders[oi].id : 0;
	int32_t c;

	if (!x->has_amount)
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_NO_AMOUNT, 0,
			       0);
	switch (x->state) {
	case KMV_MODEL_PAY_CHARGE:
	case KMV_MODEL_PAY_CHARGE_REFUNDED:
		return counted(KMV_PAID_TERM_SPENT, KMV_PAID_WHY_CHARGE,
			       x->amount, order_id);
	case KMV_MODEL_PAY_REFUND:
		c = p->refund_of[pi];
		/* money back for money that never counted is no money back */
		if (c >= 0 && !kmv_paid__is_charge(&p->m->pays[c]))
			return counted(KMV_PAID_TERM_NONE,
				       KMV_PAID_WHY_REFUND_UNCOUNTED, 0,
				       p->m->pays[c].id);
		return counted(KMV_PAID_TERM_BACK, KMV_PAID_WHY_REFUND,
			       x->amount, c >= 0 ? p->m->pays[c].id : 0);
	default: break;
	}
	switch (x->other) {
	case KMV_MODEL_OTHER_INCOME:
		return counted(KMV_PAID_TERM_BACK, KMV_PAID_WHY_INCOME,
			       x->amount, 0);
	case KMV_MODEL_OTHER_CLOSED:
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_CLOSED, 0, 0);
	case KMV_MODEL_OTHER_FAILED:
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_FAILED, 0, 0);
	case KMV_MODEL_OTHER_PENDING:
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_PENDING, 0, 0);
	default: return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_NEUTRAL, 0, 0);
	}
}

kmv_paid_count kmv_paid__count_order(const kmv_paid *p, int32_t oi)
{
	const kmv_model_order *o = &p->m->orders[oi];
	int32_t by = kmv_paid__by(p, oi);
	int64_t via = by >= 0 ? p->m->pays[by].id : 0;

	switch (o->state) {
	case KMV_MODEL_ORD_PAID:
	case KMV_MODEL_ORD_PROCESSING:
	case KMV_MODEL_ORD_DELIVERED:
	case KMV_MODEL_ORD_COMPLETED:
		if (by >= 0)
			return counted(KMV_PAID_TERM_NONE,
				       KMV_PAID_WHY_VIA_PAYMENT, 0, via);
		if (!o->has_amount)
			return counted(KMV_PAID_TERM_NONE,
				       KMV_PAID_WHY_NO_AMOUNT, 0, 0);
		return counted(KMV_PAID_TERM_SPENT, KMV_PAID_WHY_ORDER_ONLY,
			       o->amount, 0);
	case KMV_MODEL_ORD_CANCELLED:
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_ORDER_CANCELLED,
			       0, via);
	case KMV_MODEL_ORD_REFUNDED:
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_ORDER_REFUNDED,
			       0, via);
	case KMV_MODEL_ORD_FROZEN:
		/* frozen from any state: paid only when a payment says so */
		if (by >= 0)
			return counted(KMV_PAID_TERM_NONE,
				       KMV_PAID_WHY_VIA_PAYMENT, 0, via);
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_ORDER_FROZEN, 0,
			       0);
	case KMV_MODEL_ORD_UNKNOWN:
		/* its payment says what the shop's word does not */
		if (by >= 0)
			return counted(KMV_PAID_TERM_NONE,
				       KMV_PAID_WHY_VIA_PAYMENT, 0, via);
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_ORDER_UNKNOWN,
			       0, 0);
	default:
		return counted(KMV_PAID_TERM_NONE, KMV_PAID_WHY_ORDER_UNPAID, 0,
			       via);
	}
}
