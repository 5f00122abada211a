/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/match.h"

#include <inttypes.h>
#include <math.h>

#include "kmvutil/datetime.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "match/explain.h"
#include "match/model.h"
#include "match/paid.h"
#include "store/vault.h"
#include "store/db.h"

/*
 * kmvault match (docs/matching.md).  One run:
 *
 *  1. read the links table: vetoes (manual = -1) are pairs never to link,
 *     manual links (manual = 1) mark their payment as taken and their
 *     order as paid, automatic ones are compared with the new result;
 *  2. load the model; while each payment streams by, rule order_no looks
 *     its merchant order number, transaction number and the tokens of its
 *     product/memo up in the hash of order numbers; receipts the same;
 *     each order_no link teaches the alias merchant -> platform;
 *  3. rule amount_time: every (free charge, unpaid order) pair with the
 *     same amount inside the window and compatible names is a candidate;
 *     candidates are sorted by (score desc, time cost asc, ids) and taken
 *     greedily, each payment and each order at most once;
 *  4. a charge left over with the same merchant and amount as a linked
 *     charge minutes apart is linked to that charge's order (a second
 *     charge: anomalies reports it as duplicate_charge);
 *  5. rule refund: refunds to the payment they refund;
 *  6. the wanted set is written: new rows inserted, changed rows updated,
 *     automatic rows no longer wanted deleted; manual rows untouched.
 *
 * Everything runs in one transaction with an audit event.
 */

typedef struct want {
	int64_t a, b;
	double score;
	size_t expl; /* offset into run.text */
	uint8_t rule;
	bool repeated; /* an earlier want has the pair (drop_repeated_wants) */
} want;

typedef struct have {
	int64_t id, a, b;
	double score;
	uint64_t expl_hash;
	int rule; /* kmv_match_rule, -1 for anything else */
	int manual;
	bool kept;
} have;

typedef struct run {
	sqlite3 *db;
	kmv_vault *vault;
	const kmv_match_options *opts;
	kmv_match_stats *stats;
	kmv_model m;
	want *wants;
	size_t nwants, awants;
	kmv_buf text; /* the wants' explanations, NUL-terminated */
	have *haves;
	size_t nhaves, ahaves;
	kmv_pairmap existing; /* (lo, hi) -> have index */
	kmv_pairmap learn;    /* (merchant, platform) names to learn */
	int64_t *learn_list;  /* pairs, flattened */
	size_t nlearn, alearn;
} run;

static const char *const rule_names[KMV_MATCH_RULE_COUNT] = {
	"order_no", "amount_time", "refund", "contact_time"
};

const char *kmv_match_rule_name(kmv_match_rule rule)
{
	return (unsigned)rule < KMV_MATCH_RULE_COUNT ? rule_names[rule] : "?";
}

static int rule_parse(const char *s)
{
	for (int i = 0; i < KMV_MATCH_RULE_COUNT; i++)
		if (s && !strcmp(s, rule_names[i]))
			return i;
	return -1;
}

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static double round2(double x)
{
	return floor(x * 100.0 + 0.5) / 100.0;
}

static bool vetoed(const run *r, int64_t a, int64_t b)
{
	int64_t lo, hi, v;

	kmv_pairmap__key(&lo, &hi, a, b);
	return kmv_pairmap__get(&r->existing, lo, hi, &v) &&
	       r->haves[v].manual < 0;
}

/*
 * Want a link a -> b (a = the order, or the refunded payment):
 * want_begin() opens its explanation `e` (explain.h) at the end of
 * run.text, the caller adds the facts, want_end() closes it.  The first
 * rule to want a pair keeps it (rules run strongest first): a pair wanted
 * again is marked by drop_repeated_wants() before the write.  Vetoed
 * pairs are refused by the callers before they get here.
 */
static int want_begin(run *r, kmv_explain *e, int64_t a, int64_t b,
		      kmv_match_rule rule, double score, const char *why)
{
	want *w;
	int error = 0;

	KMV_TRY(KMV_ARRAY_GROW(r->wants, r->awants, r->nwants + 1));
	w = &r->wants[r->nwants];
	w->a = a;
	w->b = b;
	w->rule = (uint8_t)rule;
	w->score = round2(score);
	w->expl = r->text.size;
	w->repeated = false;
	kmv_explain__begin_in(e, &r->text, why);
done:
	return error;
}

static int want_end(run *r, kmv_explain *e)
{
	int error = kmv_explain__end(e);

	if (error == 0)
		error = kmv_buf_putc(&r->text, '\0');
	if (error == 0)
		r->nwants++;
	return error;
}

/* ---- step 1: the links already there ----------------------------------- */

static int load_haves(run *r)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(
		&st, r->db,
		"SELECT id, a, b, rule, score, explanation, manual FROM links "
		"ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		have *h;
		int64_t lo, hi;

		KMV_TRY(KMV_ARRAY_GROW(r->haves, r->ahaves, r->nhaves + 1));
		h = &r->haves[r->nhaves];
		h->id = sqlite3_column_int64(st, 0);
		h->a = sqlite3_column_int64(st, 1);
		h->b = sqlite3_column_int64(st, 2);
		h->rule = rule_parse((const char *)sqlite3_column_text(st, 3));
		h->score = sqlite3_column_double(st, 4);
		h->expl_hash = hash_text(
			(const char *)sqlite3_column_text(st, 5));
		h->manual = sqlite3_column_int(st, 6);
		h->kept = false;
		kmv_pairmap__key(&lo, &hi, h->a, h->b);
		KMV_TRY(kmv_pairmap__put(&r->existing, lo, hi,
					 (int64_t)r->nhaves));
		r->nhaves++;
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(r->db, "cannot read links");
done:
	sqlite3_finalize(st);
	return error;
}

/* Manual links hold their payment and order: later rules leave them be. */
static void apply_manual(run *r)
{
	for (size_t i = 0; i < r->nhaves; i++) {
		const have *h = &r->haves[i];
		int32_t o, p;

		if (h->manual <= 0)
			continue;
		o = kmv_model__order(&r->m, h->a);
		p = kmv_model__pay(&r->m, h->b);
		if (o < 0 || p < 0) {
			o = kmv_model__order(&r->m, h->b);
			p = kmv_model__pay(&r->m, h->a);
		}
		if (o < 0 || p < 0)
			continue;
		r->m.pays[p].taken = true;
		if (r->m.pays[p].order < 0)
			r->m.pays[p].order = o;
		if (kmv_paid__is_charge(&r->m.pays[p])) /* paid.h's "paid by" */
			r->m.orders[o].paid = true;
	}
}

/* ---- step 2: order numbers ---------------------------------------------- */

static int learn(run *r, int32_t merchant, int32_t platform)
{
	int error = 0;

	if (merchant < 0 || platform < 0 || merchant == platform)
		return 0;
	if (kmv_pairmap__get(&r->m.aliases, merchant, platform, NULL) ||
	    kmv_pairmap__get(&r->learn, merchant, platform, NULL))
		return 0;
	KMV_TRY(kmv_pairmap__put(&r->learn, merchant, platform, 1));
	KMV_TRY(KMV_ARRAY_GROW(r->learn_list, r->alearn, 2 * (r->nlearn + 1)));
	r->learn_list[2 * r->nlearn] = merchant;
	r->learn_list[2 * r->nlearn + 1] = platform;
	r->nlearn++;
done:
	return error;
}

/*
 * An order_no hit between order `oi` and payment `pi`; `why`: the
 * explanation's code (explain.h), about the number `no`.
 */
static int hit(run *r, int32_t oi, size_t pi, double score, const char *why,
	       const char *no, bool *linked)
{
	kmv_model_order *o = &r->m.orders[oi];
	kmv_model_pay *p = &r->m.pays[pi];
	kmv_explain e;
	int error = 0;

	if (vetoed(r, o->id, p->id))
		return 0;
	KMV_TRY(want_begin(r, &e, o->id, p->id, KMV_MATCH_RULE_ORDER_NO, score,
			   why));
	kmv_explain__str(&e, "no", no);
	KMV_TRY(want_end(r, &e));
	*linked = true;
	p->taken = true;
	if (p->order < 0)
		p->order = oi;
	if (kmv_paid__is_charge(p)) {
		o->paid = true;
		/* an aggregator serves many shops: it is nobody's alias */
		if (!kmv_model__aggregator(&r->m, p->merchant))
			KMV_TRY(learn(r, p->merchant, o->platform));
	}
done:
	return error;
}

/* `why`: the explanation's code (explain.h), about the number `no`. */
static int hit_number(run *r, size_t pi, const char *no, double score,
		      const char *why, bool *linked)
{
	int32_t idx = kmv_strmap__find(&r->m.numbers, no);
	int error = 0;

	if (idx < 0 || (size_t)idx >= r->m.no_first_len)
		return 0;
	for (int32_t oi = r->m.no_first[idx]; oi >= 0;
	     oi = r->m.orders[oi].next_same_no)
		KMV_TRY(hit(r, oi, pi, score, why, no, linked));
done:
	return error;
}

/*
 * Order numbers written into a payment's product or memo ("订单
 * KM2024..."): every run of 8 to 63 ASCII letters and digits is looked
 * up.  Shorter runs are amounts, dates and quantities.
 */
static int scan_text(run *r, size_t pi, const char *s, const char *what,
		     bool *linked)
{
	char tok[64];
	int error = 0;

	while (s && *s) {
		size_t n = 0;

		while (*s &&
		       !((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
			 (*s >= 'a' && *s <= 'z')))
			s++;
		while ((s[n] >= '0' && s[n] <= '9') ||
		       (s[n] >= 'A' && s[n] <= 'Z') ||
		       (s[n] >= 'a' && s[n] <= 'z'))
			n++;
		if (n >= 8 && n < sizeof(tok)) {
			memcpy(tok, s, n);
			tok[n] = '\0';
			KMV_TRY(hit_number(r, pi, tok, 0.9, what, linked));
		}
		s += n;
	}
done:
	return error;
}

static int on_payment(kmv_model *m, size_t pi, const kmv_model_pay_text *t,
		      void *payload)
{
	run *r = payload;
	bool linked = false;
	int error = 0;

	(void)m;
	if (t->merchant_order_no && *t->merchant_order_no)
		KMV_TRY(hit_number(r, pi, t->merchant_order_no, 1.0,
				   "merchant_order_no", &linked));
	if (t->payment_no && *t->payment_no) {
		int32_t k = kmv_strmap__find(&r->m.order_pno, t->payment_no);

		if (k >= 0)
			KMV_TRY(hit(r, r->m.pno_order[k], pi, 0.95, "trade_no",
				    t->payment_no, &linked));
	}
	if (!linked) {
		KMV_TRY(scan_text(r, pi, t->product, "product_names", &linked));
		KMV_TRY(scan_text(r, pi, t->memo, "memo_names", &linked));
	}
done:
	return error;
}

static int match_receipts(run *r)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	/* what this query finds, the model's receipts named (model.c) */
	if (r->m.nreceipts == 0)
		return 0;

	KMV_TRY(kmv_db__prepare(
		&st, r->db,
		"SELECT id, order_no, 0, NULL FROM records WHERE kind = "
		"'receipt' AND deleted_at IS NULL AND order_no IS NOT NULL AND "
		/* an order number OCR was unsure of is no evidence */
		"NOT (extra IS NOT NULL AND json_valid(extra) AND EXISTS (SELECT "
		"1 FROM json_each(extra, '$.unverified') WHERE value = "
		"'order_no')) "
		/* no number: the order of its contact, shop and time */
		"UNION ALL SELECT * FROM (SELECT id, " KMV_MODEL_CONTACT_ORDER_SQL
		" AS no, 1, json_extract(extra, '$.email') FROM records r "
		"WHERE kind = 'receipt' AND deleted_at IS NULL AND " KMV_MODEL_CONTACT_RECEIPT_SQL
		") WHERE no IS NOT NULL ORDER BY 1"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *no = (const char *)sqlite3_column_text(st, 1);
		bool by_contact = sqlite3_column_int(st, 2) != 0;
		const char *contact = (const char *)sqlite3_column_text(st, 3);
		int32_t idx = kmv_strmap__find(&r->m.numbers, no);

		if (idx < 0 || (size_t)idx >= r->m.no_first_len)
			continue;
		for (int32_t oi = r->m.no_first[idx]; oi >= 0;
		     oi = r->m.orders[oi].next_same_no) {
			/* a group's first receipt is the group */
			if (r->m.orders[oi].id == id ||
			    vetoed(r, r->m.orders[oi].id, id))
				continue;
			kmv_explain e;

			KMV_TRY(want_begin(r, &e, r->m.orders[oi].id, id,
					   by_contact
						   ? KMV_MATCH_RULE_CONTACT_TIME
						   : KMV_MATCH_RULE_ORDER_NO,
					   by_contact ? 0.8 : 1.0,
					   by_contact ? "receipt_contact"
						      : "receipt_names"));
			if (by_contact)
				kmv_explain__str(&e, "contact",
						 contact ? contact : "?");
			kmv_explain__str(&e, "no", no);
			KMV_TRY(want_end(r, &e));
		}
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(r->db, "cannot read receipts");
done:
	sqlite3_finalize(st);
	return error;
}

static int store_learned(run *r, const char *now)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	if (!r->nlearn)
		return 0;
	KMV_TRY(kmv_db__prepare(
		&st, r->db,
		"INSERT OR IGNORE INTO aliases(merchant, platform, origin, "
		"created_at) VALUES (?, ?, 'learned', ?)"));
	for (size_t i = 0; i < r->nlearn; i++) {
		int32_t a = (int32_t)r->learn_list[2 * i];
		int32_t b = (int32_t)r->learn_list[2 * i + 1];

		sqlite3_reset(st);
		kmv_db__bind_text(st, 1, kmv_strmap__key(&r->m.names, a));
		kmv_db__bind_text(st, 2, kmv_strmap__key(&r->m.names, b));
		kmv_db__bind_text(st, 3, now);
		if (sqlite3_step(st) != SQLITE_DONE) {
			error = kmv_db__error(r->db, "cannot store an alias");
			goto done;
		}
		r->stats->aliases_learned += sqlite3_changes(r->db);
		KMV_TRY(kmv_pairmap__put(&r->m.aliases, a, b,
					 KMV_MODEL_ALIAS_LEARNED));
	}
done:
	sqlite3_finalize(st);
	return error;
}

/* ---- step 3: amount and time ------------------------------------------- */

typedef struct okey {
	int64_t amount, ts;
	int32_t idx;
} okey;

typedef struct cand {
	double score;
	int64_t cost;
	int32_t p, o;
} cand;

static int cmp_okey(const void *x, const void *y)
{
	const okey *a = x, *b = y;

	if (a->amount != b->amount)
		return a->amount < b->amount ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Best first: higher score, then closer in time, then older records. */
static int cmp_cand(const void *x, const void *y)
{
	const cand *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->o < b->o ? -1 : a->o > b->o;
}

static bool unpaid_state(uint8_t s)
{
	return s == KMV_MODEL_ORD_PENDING || s == KMV_MODEL_ORD_EXPIRED;
}

/* How the payment's merchant fits the order (explain.h's compat). */
static void compat_reason(kmv_explain *e, kmv_model *m, const kmv_model_pay *p,
			  const kmv_model_order *o)
{
	int a = kmv_model__compat_name(m, p->merchant, o->platform);
	int b = kmv_model__compat_name(m, p->merchant, o->merchant);
	int32_t name = a >= b ? o->platform : o->merchant;
	int best = a >= b ? a : b;

	kmv_explain__str(e, "merchant",
			 kmv_strmap__key(&m->names, p->merchant));
	kmv_explain__str(e, "compat",
			 best == KMV_MODEL_COMPAT_NONE    ? "none"
			 : best == KMV_MODEL_COMPAT_ALIAS ? "alias"
			 : best == KMV_MODEL_COMPAT_SAME  ? "same"
							  : "resembles");
	if (best != KMV_MODEL_COMPAT_NONE)
		kmv_explain__str(e, "name", kmv_strmap__key(&m->names, name));
	kmv_explain__int(e, "aggregator",
			 kmv_model__aggregator(m, p->merchant) ? 1 : 0);
}

/* The unpaid orders (and receipt groups) amount + time may pair, sorted. */
static int amount_time_keys(const kmv_model *m, okey **out, size_t *n)
{
	okey *keys = malloc((m->norders ? m->norders : 1) * sizeof(*keys));
	size_t nkeys = 0;

	if (!keys)
		return kmv_error_nomem();
	for (size_t i = 0; i < m->norders; i++) {
		const kmv_model_order *o = &m->orders[i];

		if (o->paid || !o->has_ts || !o->has_amount || o->amount <= 0)
			continue;
		keys[nkeys].amount = o->amount;
		keys[nkeys].ts = o->ts;
		keys[nkeys].idx = (int32_t)i;
		nkeys++;
	}
	if (nkeys)
		qsort(keys, nkeys, sizeof(*keys), cmp_okey);
	*out = keys;
	*n = nkeys;
	return 0;
}

struct cands {
	cand *v;
	size_t n, alloc;
};

/*
 * Where each amount's keys are: a hash of the keys' distinct amounts to
 * their run [from, to).  A binary search of every key for each of ~1M
 * charges was most of the rule; the hash of a few thousand amounts stays
 * in the cache.
 */
typedef struct amount_slot {
	int64_t amount;
	uint32_t from, to; /* to == 0: empty */
} amount_slot;

struct amount_runs {
	const okey *keys;
	amount_slot *slots;
	size_t mask;
};

static size_t amount_pos(const struct amount_runs *ar, int64_t amount)
{
	uint64_t x = (uint64_t)amount * 0x9E3779B97F4A7C15ULL;

	return (size_t)(x ^ (x >> 31)) & ar->mask;
}

static int amount_runs_build(struct amount_runs *ar, const okey *keys,
			     size_t nkeys)
{
	size_t cap = 64;

	while (cap < 2 * nkeys)
		cap *= 2;
	if (nkeys > UINT32_MAX - 1)
		return kmv_error_nomem();
	ar->keys = keys;
	ar->mask = cap - 1;
	ar->slots = calloc(cap, sizeof(*ar->slots));
	if (!ar->slots)
		return kmv_error_nomem();
	for (size_t k = 0; k < nkeys; k++) {
		size_t pos;

		if (k > 0 && keys[k].amount == keys[k - 1].amount)
			continue;
		pos = amount_pos(ar, keys[k].amount);
		while (ar->slots[pos].to)
			pos = (pos + 1) & ar->mask;
		ar->slots[pos].amount = keys[k].amount;
		ar->slots[pos].from = (uint32_t)k;
		ar->slots[pos].to = (uint32_t)k + 1;
		while (ar->slots[pos].to < nkeys &&
		       keys[ar->slots[pos].to].amount == keys[k].amount)
			ar->slots[pos].to++;
	}
	return 0;
}

/*
 * The keys of `amount` at or after time `from`: [*k, *to), empty when
 * no key has the amount.
 */
static void amount_keys(const struct amount_runs *ar, int64_t amount,
			int64_t from, size_t *k, size_t *to)
{
	size_t pos = amount_pos(ar, amount), lo, hi;

	*k = *to = 0;
	while (ar->slots[pos].to && ar->slots[pos].amount != amount)
		pos = (pos + 1) & ar->mask;
	if (!ar->slots[pos].to)
		return;
	lo = ar->slots[pos].from;
	hi = ar->slots[pos].to;
	*to = hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ar->keys[mid].ts < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	*k = lo;
}

/*
 * Whether order `o` is a candidate for charge `p` (of the same amount),
 * and its score and time cost; `agg`: p's merchant is an aggregator.
 */
static bool candidate_score(run *r, const kmv_model_pay *p,
			    const kmv_model_order *o, bool agg, double *score,
			    int64_t *cost)
{
	const kmv_match_options *opts = r->opts;
	double span = (double)(opts->window_after_s > 0 ? opts->window_after_s
							: 1);
	bool group = o->flags & KMV_MODEL_ORDF_GROUP;
	/* the time from the order (or payment) to what follows */
	int64_t dt = group ? o->ts - p->ts : p->ts - o->ts;
	bool unpaid = !group && unpaid_state(o->state);
	int cp;

	if (dt > opts->window_after_s || -dt > opts->window_before_s)
		return false;
	/*
	 * An order the shop never saw paid can only be the one paid while
	 * its payment page was open.
	 */
	if (unpaid && dt > opts->unpaid_window_s)
		return false;
	cp = kmv_model__compat(&r->m, p->merchant, o);
	if ((cp == KMV_MODEL_COMPAT_NONE && !agg) || vetoed(r, o->id, p->id))
		return false;
	/*
	 * Paying before ordering, or a receipt before the payment, only
	 * happens through clock skew.
	 */
	*cost = dt >= 0 ? dt : -dt * 4;
	*score = 0.85 - 0.25 * ((double)(*cost < opts->window_after_s
						 ? *cost
						 : opts->window_after_s) /
				span);
	if (unpaid)
		*score -= 0.1;
	if (cp == KMV_MODEL_COMPAT_PREFIX)
		*score -= 0.05;
	/* a receipt alone is weaker evidence than the shop's record */
	if (group)
		*score -= 0.05;
	/* the aggregator names no shop: amount and time alone */
	if (agg && cp == KMV_MODEL_COMPAT_NONE)
		*score -= 0.15;
	return true;
}

/*
 * The candidates of one payment `pi`: orders of its amount inside the
 * time window, by a compatible merchant (or any, through an aggregator),
 * each with its score.
 */
static int amount_time_candidates(run *r, const struct amount_runs *ar,
				  size_t pi, struct cands *c)
{
	const kmv_match_options *opts = r->opts;
	const kmv_model_pay *p = &r->m.pays[pi];
	int64_t reach = opts->window_after_s > opts->window_before_s
				? opts->window_after_s
				: opts->window_before_s;
	size_t k, to;
	int agg = -1; /* p's merchant is an aggregator: asked at the first key */
	int error = 0;

	if (p->state != KMV_MODEL_PAY_CHARGE || p->taken || !p->has_ts ||
	    !p->has_amount || p->amount <= 0)
		return 0;
	/*
	 * orders with o.ts in [p.ts - after, p.ts + before]; receipt
	 * groups come after the payment: [p.ts - before, p.ts + after]
	 */
	amount_keys(ar, p->amount, p->ts - reach, &k, &to);
	for (; k < to && ar->keys[k].ts <= p->ts + reach; k++) {
		double score;
		int64_t cost;

		if (agg < 0)
			agg = kmv_model__aggregator(&r->m, p->merchant);
		if (!candidate_score(r, p, &r->m.orders[ar->keys[k].idx],
				     agg > 0, &score, &cost))
			continue;
		KMV_TRY(KMV_ARRAY_GROW(c->v, c->alloc, c->n + 1));
		c->v[c->n].score = round2(score);
		c->v[c->n].cost = cost;
		c->v[c->n].p = (int32_t)pi;
		c->v[c->n].o = ar->keys[k].idx;
		c->n++;
	}
done:
	return error;
}

/*
 * An equally good alternative to candidate `i` still open (another order
 * for its payment, or another payment for its order): the link says so.
 */
static void equal_alternative(const kmv_model *m, const cand *cands,
			      size_t ncands, size_t i, const bool *order_used,
			      int64_t *tie_order, int64_t *tie_payment)
{
	const cand *c = &cands[i];

	for (size_t j = i + 1; j < ncands && j < i + 16; j++) {
		const cand *d = &cands[j];

		if (d->score != c->score || d->cost != c->cost)
			break;
		if (d->p == c->p && !order_used[d->o]) {
			*tie_order = m->orders[d->o].id;
			break;
		}
		if (d->o == c->o && !m->pays[d->p].taken) {
			*tie_payment = m->pays[d->p].id;
			break;
		}
	}
}

/* Take candidate `i` (best first) unless its payment or order is taken. */
static int amount_time_take(run *r, const cand *cands, size_t ncands, size_t i,
			    bool *order_used)
{
	kmv_model *m = &r->m;
	const cand *c = &cands[i];
	kmv_model_pay *p = &m->pays[c->p];
	kmv_model_order *o = &m->orders[c->o];
	int64_t tie_order = 0, tie_payment = 0;
	kmv_explain e;
	int error = 0;

	if (p->taken || order_used[c->o])
		return 0;
	equal_alternative(m, cands, ncands, i, order_used, &tie_order,
			  &tie_payment);
	p->taken = true;
	p->order = c->o;
	order_used[c->o] = true;
	o->paid = true;
	KMV_TRY(want_begin(r, &e, o->id, p->id, KMV_MATCH_RULE_AMOUNT_TIME,
			   c->score, "amount_time"));
	kmv_explain__int(&e, "amount", p->amount);
	kmv_explain__int(&e, "delta", p->ts - o->ts);
	if (o->flags & KMV_MODEL_ORDF_GROUP)
		kmv_explain__int(&e, "group", 1);
	compat_reason(&e, m, p, o);
	if (tie_order)
		kmv_explain__int(&e, "tie_order", tie_order);
	else if (tie_payment)
		kmv_explain__int(&e, "tie_payment", tie_payment);
	KMV_TRY(want_end(r, &e));
done:
	return error;
}

/*
 * Rule amount_time: an unpaid order and a charge of the same amount close
 * in time, by compatible merchants; best scores first, each payment and
 * order taken once.
 */
static int amount_time(run *r)
{
	kmv_model *m = &r->m;
	struct cands cands = { NULL, 0, 0 };
	okey *keys = NULL;
	struct amount_runs ar = { NULL, NULL, 0 };
	bool *order_used = NULL;
	size_t nkeys = 0;
	int error = 0;

	KMV_TRY(amount_time_keys(m, &keys, &nkeys));
	KMV_TRY(amount_runs_build(&ar, keys, nkeys));
	order_used = calloc(m->norders ? m->norders : 1, sizeof(*order_used));
	if (!order_used) {
		error = kmv_error_nomem();
		goto done;
	}
	for (size_t pi = 0; pi < m->npays && nkeys; pi++)
		KMV_TRY(amount_time_candidates(r, &ar, pi, &cands));
	if (cands.n)
		qsort(cands.v, cands.n, sizeof(*cands.v), cmp_cand);
	for (size_t i = 0; i < cands.n; i++)
		KMV_TRY(amount_time_take(r, cands.v, cands.n, i, order_used));
done:
	free(keys);
	free(ar.slots);
	free(cands.v);
	free(order_used);
	return error;
}

/* ---- step 4: second charges --------------------------------------------- */

typedef struct ckey {
	int32_t merchant;
	int64_t amount, ts;
	int32_t idx;
} ckey;

static int cmp_ckey(const void *x, const void *y)
{
	const ckey *a = x, *b = y;

	if (a->merchant != b->merchant)
		return a->merchant < b->merchant ? -1 : 1;
	if (a->amount != b->amount)
		return a->amount < b->amount ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static bool second_candidate(const kmv_model_pay *p)
{
	return p->state == KMV_MODEL_PAY_CHARGE && p->has_ts && p->has_amount &&
	       p->merchant >= 0;
}

/*
 * The anchor nearest to charge `u` (key `k`) among anchors[from, to) of
 * its merchant and amount, sorted by (ts, idx): the last one before it
 * in that order, unless the first one after it is strictly nearer; -1
 * when neither is inside the window.
 */
static int32_t nearest_anchor(const ckey *anchors, size_t from, size_t to,
			      const ckey *k, int64_t window)
{
	size_t lo = from, hi = to;
	int32_t best = -1;
	int64_t bestd = INT64_MAX;

	while (lo < hi) { /* the first anchor after k */
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_ckey(&anchors[mid], k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > from && k->ts - anchors[lo - 1].ts <= window) {
		bestd = k->ts - anchors[lo - 1].ts;
		best = anchors[lo - 1].idx;
	}
	if (lo < to && anchors[lo].ts - k->ts <= window &&
	    anchors[lo].ts - k->ts < bestd)
		best = anchors[lo].idx;
	return best;
}

/*
 * The anchors (charges linked to an order) in runs of one (merchant,
 * amount), each run sorted by (time, index), and a hash of the runs.
 * They were sorted all together, and the runs found in a map of 32-byte
 * slots grown by doubling: the sort, the map's growth and a cache miss
 * per charge left over were most of the step.  Grouping keeps the order
 * nearest_anchor() needs inside a run; most runs hold one anchor.  Most
 * charges left over have no anchor of their merchant and amount: a bit
 * per hash of (merchant, amount), eight bits for every anchor, turns most
 * of them away in a table that stays in the cache.
 */
struct anchor_run {
	int32_t merchant;
	int64_t amount;
	size_t from, n;
};

struct anchor_runs {
	ckey *v; /* the anchors, run after run */
	size_t n;
	struct anchor_run *runs;
	size_t nruns;
	uint32_t *slots; /* run index + 1, 0 empty */
	size_t slot_mask;
	uint64_t *seen; /* bit anchor_hash() & seen_mask: a run may be there */
	size_t seen_mask;
};

static uint64_t anchor_hash(int32_t merchant, int64_t amount)
{
	uint64_t x = ((uint64_t)amount ^ ((uint64_t)(uint32_t)merchant << 40)) *
		     0x9E3779B97F4A7C15ULL;

	return x ^ (x >> 29);
}

static bool anchor_maybe(const struct anchor_runs *ar, uint64_t h)
{
	size_t bit = (size_t)(h >> 24) & ar->seen_mask;

	return (ar->seen[bit / 64] >> (bit % 64)) & 1;
}

/* The slot of run (merchant, amount): its run + 1, or 0 where it goes. */
static uint32_t *anchor_slot(const struct anchor_runs *ar, int32_t merchant,
			     int64_t amount, uint64_t h)
{
	size_t pos = (size_t)h & ar->slot_mask;

	while (ar->slots[pos]) {
		const struct anchor_run *at = &ar->runs[ar->slots[pos] - 1];

		if (at->merchant == merchant && at->amount == amount)
			break;
		pos = (pos + 1) & ar->slot_mask;
	}
	return &ar->slots[pos];
}

static bool anchor_candidate(const kmv_model_pay *p)
{
	return second_candidate(p) && p->order >= 0;
}

/* Tables for `n` anchors (load of the run hash <= 1/2). */
static int anchor_runs_alloc(struct anchor_runs *ar, size_t n)
{
	size_t slots = 1024, bits = 4096;

	while (slots < 2 * n)
		slots *= 2;
	while (bits < 8 * n)
		bits *= 2;
	ar->v = malloc(n * sizeof(*ar->v));
	ar->runs = malloc(n * sizeof(*ar->runs));
	ar->slots = calloc(slots, sizeof(*ar->slots));
	ar->seen = calloc(bits / 64, sizeof(*ar->seen));
	if (!ar->v || !ar->runs || !ar->slots || !ar->seen)
		return kmv_error_nomem();
	ar->slot_mask = slots - 1;
	ar->seen_mask = bits - 1;
	return 0;
}

/* Each anchor's run (`run_of`, in index order), the runs counted. */
static void anchor_runs_count(struct anchor_runs *ar, const kmv_model *m,
			      uint32_t *run_of)
{
	size_t k = 0;

	for (size_t i = 0; i < m->npays; i++) {
		const kmv_model_pay *p = &m->pays[i];
		uint64_t h;
		uint32_t *slot;
		size_t bit;

		if (!anchor_candidate(p))
			continue;
		h = anchor_hash(p->merchant, p->amount);
		slot = anchor_slot(ar, p->merchant, p->amount, h);
		if (!*slot) {
			ar->runs[ar->nruns].merchant = p->merchant;
			ar->runs[ar->nruns].amount = p->amount;
			ar->runs[ar->nruns].n = 0;
			*slot = (uint32_t)++ar->nruns;
			bit = (size_t)(h >> 24) & ar->seen_mask;
			ar->seen[bit / 64] |= 1ULL << (bit % 64);
		}
		ar->runs[*slot - 1].n++;
		run_of[k++] = *slot - 1;
	}
}

/* The anchors put run after run (in index order), each run sorted. */
static void anchor_runs_fill(struct anchor_runs *ar, const kmv_model *m,
			     const uint32_t *run_of, size_t *fill)
{
	size_t k = 0, from = 0;

	for (size_t r = 0; r < ar->nruns; r++) {
		ar->runs[r].from = from;
		fill[r] = from;
		from += ar->runs[r].n;
	}
	for (size_t i = 0; i < m->npays; i++) {
		const kmv_model_pay *p = &m->pays[i];
		ckey *c;

		if (!anchor_candidate(p))
			continue;
		c = &ar->v[fill[run_of[k++]]++];
		c->merchant = p->merchant;
		c->amount = p->amount;
		c->ts = p->ts;
		c->idx = (int32_t)i;
	}
	for (size_t r = 0; r < ar->nruns; r++)
		if (ar->runs[r].n > 1)
			qsort(ar->v + ar->runs[r].from, ar->runs[r].n,
			      sizeof(*ar->v), cmp_ckey);
}

static int anchor_runs_build(struct anchor_runs *ar, const kmv_model *m)
{
	uint32_t *run_of = NULL;
	size_t *fill = NULL;
	int error = 0;

	for (size_t i = 0; i < m->npays; i++)
		if (anchor_candidate(&m->pays[i]))
			ar->n++;
	if (!ar->n)
		return 0;
	KMV_TRY(anchor_runs_alloc(ar, ar->n));
	run_of = malloc(ar->n * sizeof(*run_of));
	if (!run_of) {
		error = kmv_error_nomem();
		goto done;
	}
	anchor_runs_count(ar, m, run_of);
	fill = malloc(ar->nruns * sizeof(*fill));
	if (!fill) {
		error = kmv_error_nomem();
		goto done;
	}
	anchor_runs_fill(ar, m, run_of, fill);
done:
	free(run_of);
	free(fill);
	return error;
}

static void anchor_runs_dispose(struct anchor_runs *ar)
{
	free(ar->v);
	free(ar->runs);
	free(ar->slots);
	free(ar->seen);
}

/* The anchor nearest to charge `k` in its run, or -1 (none, or none in
 * the window). */
static int32_t anchor_runs_nearest(const struct anchor_runs *ar, const ckey *k,
				   int64_t window)
{
	uint64_t h = anchor_hash(k->merchant, k->amount);
	uint32_t slot;
	const struct anchor_run *at;

	if (!anchor_maybe(ar, h))
		return -1;
	slot = *anchor_slot(ar, k->merchant, k->amount, h);
	if (!slot)
		return -1;
	at = &ar->runs[slot - 1];
	return nearest_anchor(ar->v, at->from, at->from + at->n, k, window);
}

/* The charges left over with an anchor near enough, in key order. */
static int second_found(const run *r, const struct anchor_runs *ar,
			ckey **found, size_t *nfound)
{
	const kmv_model *m = &r->m;
	size_t afound = 0;
	int error = 0;

	for (size_t i = 0; i < m->npays; i++) {
		const kmv_model_pay *u = &m->pays[i];
		ckey k;

		if (!second_candidate(u) || u->taken || u->order >= 0)
			continue;
		k.merchant = u->merchant;
		k.amount = u->amount;
		k.ts = u->ts;
		k.idx = (int32_t)i;
		if (anchor_runs_nearest(ar, &k, r->opts->duplicate_window_s) <
		    0)
			continue;
		KMV_TRY(KMV_ARRAY_GROW(*found, afound, *nfound + 1));
		(*found)[(*nfound)++] = k;
	}
	if (*nfound)
		qsort(*found, *nfound, sizeof(**found), cmp_ckey);
done:
	return error;
}

/* Link the second charge `k` to its nearest anchor's order. */
static int second_link(run *r, const struct anchor_runs *ar, const ckey *k)
{
	kmv_model *m = &r->m;
	kmv_model_pay *u = &m->pays[k->idx];
	int32_t b = anchor_runs_nearest(ar, k, r->opts->duplicate_window_s);
	kmv_explain e;
	int error = 0;

	if (vetoed(r, m->orders[m->pays[b].order].id, u->id))
		return 0;
	u->taken = true;
	u->order = m->pays[b].order;
	KMV_TRY(want_begin(r, &e, m->orders[u->order].id, u->id,
			   KMV_MATCH_RULE_AMOUNT_TIME, 0.5, "second_charge"));
	kmv_explain__int(&e, "amount", u->amount);
	kmv_explain__int(&e, "payment", m->pays[b].id);
	kmv_explain__int(&e, "delta", u->ts - m->pays[b].ts);
	KMV_TRY(want_end(r, &e));
done:
	return error;
}

/*
 * Rule amount_time's second charges: a charge left over, of the merchant
 * and amount of a linked charge (an anchor) minutes apart, is linked to
 * the nearest anchor's order.  Only the anchors are ordered (in runs of
 * one merchant and amount, by time); the other charges look their
 * merchant and amount up in a hash of the runs.  The links are wanted in the order of
 * (merchant, amount, time, index), as a sort of every charge gives.
 */
static int second_charges(run *r)
{
	struct anchor_runs ar;
	ckey *found = NULL;
	size_t nfound = 0;
	int error = 0;

	memset(&ar, 0, sizeof(ar));
	KMV_TRY(anchor_runs_build(&ar, &r->m));
	if (!ar.n)
		goto done;
	KMV_TRY(second_found(r, &ar, &found, &nfound));
	for (size_t i = 0; i < nfound; i++)
		KMV_TRY(second_link(r, &ar, &found[i]));
done:
	anchor_runs_dispose(&ar);
	free(found);
	return error;
}

/* ---- step 5: refunds ----------------------------------------------------- */

/*
 * Without the importer's refund_of: the refund's transaction number is
 * the original's plus "_suffix" (Alipay), or both carry the same merchant
 * order number and merchant (the refund never exceeds the charge and
 * never precedes it).
 */
/*
 * The charge whose transaction number `pno` extends ("<it>_suffix"),
 * for refund `p`; *found when one is wanted.
 */
static int refund_by_extension(run *r, sqlite3_stmt *by_pno,
			       const kmv_model_pay *p, const char *pno,
			       bool *found)
{
	const char *us = strrchr(pno, '_');
	kmv_explain e;
	int error = 0;

	if (!us || us == pno)
		return 0;
	sqlite3_reset(by_pno);
	sqlite3_bind_text(by_pno, 1, pno, (int)(us - pno), SQLITE_TRANSIENT);
	sqlite3_bind_int64(by_pno, 2, p->id);
	while (sqlite3_step(by_pno) == SQLITE_ROW) {
		int32_t j = kmv_model__pay(&r->m,
					   sqlite3_column_int64(by_pno, 0));
		const kmv_model_pay *o;

		if (j < 0)
			continue;
		o = &r->m.pays[j];
		if (o->state == KMV_MODEL_PAY_REFUND || o->amount < p->amount ||
		    vetoed(r, o->id, p->id))
			continue;
		*found = true;
		KMV_TRY(want_begin(r, &e, o->id, p->id, KMV_MATCH_RULE_REFUND,
				   0.9, "refund_extends"));
		kmv_explain__int(&e, "payment", o->id);
		kmv_explain__int(&e, "amount", p->amount);
		kmv_explain__str(&e, "no", pno);
		error = want_end(r, &e);
		break;
	}
done:
	return error;
}

/* The latest charge of refund `p`'s merchant order number `mon`. */
static int refund_by_order_no(run *r, sqlite3_stmt *by_mon,
			      const kmv_model_pay *p, const char *mon)
{
	kmv_explain e;
	int error = 0;

	sqlite3_reset(by_mon);
	kmv_db__bind_text(by_mon, 1, mon);
	sqlite3_bind_int64(by_mon, 2, p->id);
	while (sqlite3_step(by_mon) == SQLITE_ROW) {
		int32_t j = kmv_model__pay(&r->m,
					   sqlite3_column_int64(by_mon, 0));
		const kmv_model_pay *o;

		if (j < 0)
			continue;
		o = &r->m.pays[j];
		if (o->state == KMV_MODEL_PAY_REFUND || o->amount < p->amount ||
		    o->merchant != p->merchant || o->ts > p->ts ||
		    vetoed(r, o->id, p->id))
			continue;
		KMV_TRY(want_begin(r, &e, o->id, p->id, KMV_MATCH_RULE_REFUND,
				   0.8, "refund_same_order_no"));
		kmv_explain__int(&e, "payment", o->id);
		kmv_explain__int(&e, "amount", p->amount);
		kmv_explain__str(&e, "no", mon);
		error = want_end(r, &e);
		break;
	}
done:
	return error;
}

static int refund_fallback(run *r, sqlite3_stmt *get, sqlite3_stmt *by_pno,
			   sqlite3_stmt *by_mon, size_t pi)
{
	kmv_model_pay *p = &r->m.pays[pi];
	char *pno = NULL, *mon = NULL;
	bool found = false;
	int error = 0;

	sqlite3_reset(get);
	sqlite3_bind_int64(get, 1, p->id);
	if (sqlite3_step(get) != SQLITE_ROW)
		goto done;
	if (sqlite3_column_text(get, 0))
		pno = strdup((const char *)sqlite3_column_text(get, 0));
	if (sqlite3_column_text(get, 1))
		mon = strdup((const char *)sqlite3_column_text(get, 1));
	if ((sqlite3_column_text(get, 0) && !pno) ||
	    (sqlite3_column_text(get, 1) && !mon)) {
		error = kmv_error_nomem();
		goto done;
	}
	if (pno)
		KMV_TRY(refund_by_extension(r, by_pno, p, pno, &found));
	if (!found && mon && *mon)
		KMV_TRY(refund_by_order_no(r, by_mon, p, mon));
done:
	free(pno);
	free(mon);
	return error;
}

static int refunds(run *r)
{
	sqlite3_stmt *get = NULL, *by_pno = NULL, *by_mon = NULL;
	int error = 0;

	for (size_t i = 0; i < r->m.npays; i++) {
		kmv_model_pay *p = &r->m.pays[i];
		int32_t j;

		if (p->refund_of) {
			j = kmv_model__pay(&r->m, p->refund_of);
			if (j < 0 || vetoed(r, p->refund_of, p->id))
				continue;
			kmv_explain e;

			KMV_TRY(want_begin(r, &e, p->refund_of, p->id,
					   KMV_MATCH_RULE_REFUND, 1.0,
					   "refund_statement"));
			kmv_explain__int(&e, "amount", p->amount);
			kmv_explain__int(&e, "payment", p->refund_of);
			kmv_explain__int(&e, "original", r->m.pays[j].amount);
			KMV_TRY(want_end(r, &e));
			continue;
		}
		if (p->state != KMV_MODEL_PAY_REFUND)
			continue;
		if (!get) {
			KMV_TRY(kmv_db__prepare(
				&get, r->db,
				"SELECT payment_no, merchant_order_no FROM records "
				"WHERE id = ?"));
			KMV_TRY(kmv_db__prepare(
				&by_pno, r->db,
				"SELECT id FROM records WHERE kind = 'payment' AND "
				"deleted_at IS NULL AND payment_no = ? AND id <> ? "
				"ORDER BY id"));
			KMV_TRY(kmv_db__prepare(
				&by_mon, r->db,
				"SELECT id FROM records WHERE kind = 'payment' AND "
				"deleted_at IS NULL AND merchant_order_no = ? AND "
				"id <> ? ORDER BY ts DESC, id DESC"));
		}
		KMV_TRY(refund_fallback(r, get, by_pno, by_mon, i));
	}
done:
	sqlite3_finalize(get);
	sqlite3_finalize(by_pno);
	sqlite3_finalize(by_mon);
	return error;
}

/* ---- step 6: write ------------------------------------------------------ */

typedef struct want_key {
	int64_t lo, hi;
	size_t idx;
} want_key;

static int cmp_want_key(const void *x, const void *y)
{
	const want_key *a = x, *b = y;

	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * Every want of a pair an earlier want has is marked repeated: one sort
 * of the pairs at the end costs less than a hash probe per want.
 */
static int drop_repeated_wants(run *r)
{
	want_key *keys;

	if (r->nwants < 2)
		return 0;
	keys = malloc(r->nwants * sizeof(*keys));
	if (!keys)
		return kmv_error_nomem();
	for (size_t i = 0; i < r->nwants; i++) {
		kmv_pairmap__key(&keys[i].lo, &keys[i].hi, r->wants[i].a,
				 r->wants[i].b);
		keys[i].idx = i;
	}
	qsort(keys, r->nwants, sizeof(*keys), cmp_want_key);
	for (size_t i = 1; i < r->nwants; i++)
		if (keys[i].lo == keys[i - 1].lo &&
		    keys[i].hi == keys[i - 1].hi)
			r->wants[keys[i].idx].repeated = true;
	free(keys);
	return 0;
}

/*
 * New links go in INSERTs of up to LINK_BATCH rows (as many as SQLite's
 * limit on parameters allows, six a row): one INSERT per row was most of
 * the cost of writing 200k links, and with foreign keys off (match's
 * transaction) 1024 rows a statement still write them ~13 % faster than
 * 64 (0.14 against 0.16 s CPU on the 200k x 1M bench).  Rows keep their
 * order, so ids are as a row at a time gives them.
 */
#define LINK_BATCH 1024

struct link_ins {
	sqlite3_stmt *one, *many;
	size_t pending[LINK_BATCH]; /* want indexes */
	size_t n;
	size_t batch; /* rows of `many` */
	const char *now;
};

static int links_prepare(sqlite3 *db, sqlite3_stmt **st, size_t rows)
{
	kmv_buf sql = KMV_BUF_INIT;
	int error = 0;

	KMV_TRY(kmv_buf_puts(&sql, "INSERT INTO links(a, b, rule, score, "
				   "explanation, manual, created_at) VALUES "));
	for (size_t i = 0; i < rows; i++)
		KMV_TRY(kmv_buf_puts(&sql, i ? ", (?, ?, ?, ?, ?, 0, ?)"
					     : "(?, ?, ?, ?, ?, 0, ?)"));
	error = kmv_db__prepare(st, db, sql.ptr);
done:
	kmv_buf_dispose(&sql);
	return error;
}

static int links_flush(run *r, struct link_ins *li)
{
	sqlite3_stmt *st;
	size_t from = 0;
	int error = 0;

	while (from < li->n) {
		size_t rows = li->n - from == li->batch ? li->batch : 1;

		if (rows > 1 && !li->many)
			KMV_TRY(links_prepare(r->db, &li->many, li->batch));
		if (rows == 1 && !li->one)
			KMV_TRY(links_prepare(r->db, &li->one, 1));
		st = rows == 1 ? li->one : li->many;
		sqlite3_reset(st);
		for (size_t k = 0; k < rows; k++) {
			const want *w = &r->wants[li->pending[from + k]];
			int c = (int)(6 * k);

			sqlite3_bind_int64(st, c + 1, w->a);
			sqlite3_bind_int64(st, c + 2, w->b);
			kmv_db__bind_text_static(st, c + 3,
						 rule_names[w->rule]);
			sqlite3_bind_double(st, c + 4, w->score);
			kmv_db__bind_text_static(st, c + 5,
						 r->text.ptr + w->expl);
			kmv_db__bind_text_static(st, c + 6, li->now);
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			error = kmv_db__error(r->db, "cannot write a link");
			goto done;
		}
		from += rows;
	}
	li->n = 0;
done:
	return error;
}

/* Rewrite the automatic link `h` as want `w` says. */
static int update_link(run *r, sqlite3_stmt *upd, const want *w, const have *h)
{
	sqlite3_reset(upd);
	sqlite3_bind_int64(upd, 1, w->a);
	sqlite3_bind_int64(upd, 2, w->b);
	kmv_db__bind_text(upd, 3, rule_names[w->rule]);
	sqlite3_bind_double(upd, 4, w->score);
	kmv_db__bind_text(upd, 5, r->text.ptr + w->expl);
	sqlite3_bind_int64(upd, 6, h->id);
	if (sqlite3_step(upd) != SQLITE_DONE)
		return kmv_db__error(r->db, "cannot write a link");
	return 0;
}

/* Automatic links no longer wanted go; manual ones and vetoes are counted. */
static int remove_unwanted(run *r)
{
	sqlite3_stmt *del = NULL;
	kmv_match_stats *s = r->stats;
	int error = 0;

	KMV_TRY(kmv_db__prepare(&del, r->db, "DELETE FROM links WHERE id = ?"));
	for (size_t i = 0; i < r->nhaves; i++) {
		const have *h = &r->haves[i];

		if (h->manual > 0) {
			s->manual++;
			continue;
		}
		if (h->manual < 0) {
			s->vetoed++;
			continue;
		}
		if (h->kept)
			continue;
		sqlite3_reset(del);
		sqlite3_bind_int64(del, 1, h->id);
		if (sqlite3_step(del) != SQLITE_DONE) {
			error = kmv_db__error(r->db, "cannot remove a link");
			goto done;
		}
		s->removed++;
	}
done:
	sqlite3_finalize(del);
	return error;
}

static int sync_links(run *r, const char *now)
{
	struct link_ins li = { NULL, NULL, { 0 }, 0, LINK_BATCH, now };
	int vars = sqlite3_limit(r->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
	sqlite3_stmt *upd = NULL;
	kmv_match_stats *s = r->stats;
	int error = 0;

	if (vars / 6 < (int)li.batch)
		li.batch = vars >= 12 ? (size_t)(vars / 6) : 1;
	KMV_TRY(kmv_db__prepare(
		&upd, r->db,
		"UPDATE links SET a = ?, b = ?, rule = ?, score = ?, "
		"explanation = ? WHERE id = ?"));
	for (size_t i = 0; i < r->nwants; i++) {
		const want *w = &r->wants[i];
		int64_t lo, hi, v;
		have *h;

		if (w->repeated)
			continue;
		kmv_pairmap__key(&lo, &hi, w->a, w->b);
		if (!kmv_pairmap__get(&r->existing, lo, hi, &v)) {
			li.pending[li.n++] = i;
			if (li.n == li.batch)
				KMV_TRY(links_flush(r, &li));
			s->added++;
			goto count;
		}
		h = &r->haves[v];
		if (h->manual != 0)
			continue; /* the user's word stands */
		h->kept = true;
		if (h->rule == w->rule && h->a == w->a && h->b == w->b &&
		    fabs(h->score - w->score) < 1e-9 &&
		    h->expl_hash == hash_text(r->text.ptr + w->expl))
			goto count;
		KMV_TRY(update_link(r, upd, w, h));
		s->updated++;
count:
		s->links++;
		s->by_rule[w->rule]++;
	}
	KMV_TRY(links_flush(r, &li));
	KMV_TRY(remove_unwanted(r));
done:
	sqlite3_finalize(li.one);
	sqlite3_finalize(li.many);
	sqlite3_finalize(upd);
	return error;
}

/*
 * What a match result depends on, in one line: the schema, the newest
 * record and link, the live records, the aliases and the options.  Stored in the match's
 * audit event; together with "that event is still the newest one" (every
 * command that changes records, links or aliases appends its own event)
 * it tells a re-run that nothing is new.  max() reads an index; the live
 * count is a scan of the table, unless `live` (>= 0) brings it: a full
 * run's model counted the live records while loading them.
 */
static int fingerprint(kmv_buf *out, sqlite3 *db, const kmv_match_options *o,
		       int64_t live)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		live >= 0
			? "SELECT (SELECT user_version FROM pragma_user_version),"
			  " (SELECT coalesce(max(id), 0) FROM records),"
			  " (SELECT coalesce(max(id), 0) FROM links),"
			  " (SELECT count(*) FROM aliases), ?"
			: "SELECT (SELECT user_version FROM pragma_user_version),"
			  " (SELECT coalesce(max(id), 0) FROM records),"
			  " (SELECT coalesce(max(id), 0) FROM links),"
			  " (SELECT count(*) FROM aliases),"
			  " (SELECT count(*) FROM records WHERE deleted_at IS NULL)"));
	if (live >= 0)
		sqlite3_bind_int64(st, 1, live);
	if (sqlite3_step(st) != SQLITE_ROW) {
		error = kmv_db__error(db, "cannot read the match state");
		goto done;
	}
	KMV_TRY(kmv_buf_printf(
		out, "s%lld e2 r%lld/%lld l%lld a%lld w%lld,%lld,%lld,%lld",
		(long long)sqlite3_column_int64(st, 0),
		(long long)sqlite3_column_int64(st, 1),
		(long long)sqlite3_column_int64(st, 4),
		(long long)sqlite3_column_int64(st, 2),
		(long long)sqlite3_column_int64(st, 3),
		(long long)o->window_before_s, (long long)o->window_after_s,
		(long long)o->duplicate_window_s,
		(long long)o->unpaid_window_s));
done:
	sqlite3_finalize(st);
	return error;
}

/*
 * Nothing new since the last match (its event is the newest and the state
 * matches its fingerprint): fill the stats from the links as they stand.
 */
static int unchanged_since_last(bool *yes, kmv_match_stats *s, sqlite3 *db,
				const kmv_match_options *o)
{
	kmv_buf fp = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int error = 0;

	*yes = false;
	/* the fingerprint (a scan) only when the newest event is a match */
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT json_extract(detail, '$.fingerprint') FROM events "
		"WHERE action = 'match' AND id = (SELECT max(id) FROM events)"));
	if (sqlite3_step(st) != SQLITE_ROW ||
	    sqlite3_column_type(st, 0) != SQLITE_TEXT)
		goto done;
	KMV_TRY(fingerprint(&fp, db, o, -1));
	if (strcmp((const char *)sqlite3_column_text(st, 0), fp.ptr) != 0)
		goto done;
	sqlite3_finalize(st);
	st = NULL;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT rule, manual, count(*) FROM links GROUP BY rule, manual"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *rule = (const char *)sqlite3_column_text(st, 0);
		int manual = sqlite3_column_int(st, 1);
		int64_t n = sqlite3_column_int64(st, 2);

		if (manual > 0) {
			s->manual += n;
		} else if (manual < 0) {
			s->vetoed += n;
		} else {
			s->links += n;
			for (int i = 0; i < KMV_MATCH_RULE_COUNT; i++)
				if (rule && strcmp(rule, rule_names[i]) == 0)
					s->by_rule[i] += n;
		}
	}
	s->unchanged = true;
	*yes = true;
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&fp);
	return error;
}

static int audit(run *r)
{
	kmv_buf buf = KMV_BUF_INIT;
	kmv_json j;
	const kmv_match_stats *s = r->stats;
	kmv_buf fp = KMV_BUF_INIT;
	int error = 0;

	kmv_json_init(&j, &buf, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "links", s->links);
	for (int i = 0; i < KMV_MATCH_RULE_COUNT; i++)
		kmv_json_kv_int(&j, rule_names[i], s->by_rule[i]);
	kmv_json_kv_int(&j, "added", s->added);
	kmv_json_kv_int(&j, "updated", s->updated);
	kmv_json_kv_int(&j, "removed", s->removed);
	kmv_json_kv_int(&j, "aliases_learned", s->aliases_learned);
	kmv_json_kv_int(&j, "window_after_s", r->opts->window_after_s);
	/* The state this event leaves, for the next run (links are final). */
	KMV_TRY(fingerprint(&fp, r->db, r->opts, r->m.live));
	kmv_json_kv_string(&j, "fingerprint", fp.ptr);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_audit_append(r->vault, "match", buf.ptr));
done:
	kmv_buf_dispose(&fp);
	kmv_buf_dispose(&buf);
	return error;
}

/*
 * Foreign keys off for the run's transaction (SQLite ignores the pragma
 * inside one): every record id a link names was read from records in
 * this transaction, under the write lock, and no table refers to links,
 * so the check could not fail; its two parent lookups per row were a
 * third of writing 200k links.  *was_on says what to put back.
 */
static int foreign_keys_off(sqlite3 *db, bool *was_on)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(&st, db, "PRAGMA foreign_keys"));
	*was_on = sqlite3_step(st) == SQLITE_ROW &&
		  sqlite3_column_int(st, 0) != 0;
	if (*was_on)
		error = kmv_db__exec(db, "PRAGMA foreign_keys=OFF");
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_match_run(kmv_match_stats *out, kmv_vault *vault,
		  const kmv_match_options *opts)
{
	kmv_match_options defaults = KMV_MATCH_OPTIONS_INIT;
	kmv_match_stats stats;
	run r;
	kmv_time now = kmv_time_now();
	char nowtxt[KMV_TIME_BUFSZ];
	bool began = false, same = false, fk_on = false;
	int error = 0;

	KMV_ASSERT_ARG(vault);
	if (!opts)
		opts = &defaults;
	if (opts->window_before_s < 0 || opts->window_after_s < 0 ||
	    opts->duplicate_window_s < 0 || opts->unpaid_window_s < 0) {
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "match windows cannot be negative");
		return KMV_EUSAGE;
	}
	memset(&stats, 0, sizeof(stats));
	memset(&r, 0, sizeof(r));
	r.m = (kmv_model)KMV_MODEL_INIT;
	r.text = (kmv_buf)KMV_BUF_INIT;
	r.db = kmv_vault__db(vault);
	r.vault = vault;
	r.opts = opts;
	r.stats = &stats;
	kmv_time_format(nowtxt, &now);

	/* A re-run with nothing new computes and writes nothing. */
	KMV_TRY(unchanged_since_last(&same, &stats, r.db, opts));
	if (same) {
		if (out)
			*out = stats;
		goto done;
	}
	KMV_TRY(foreign_keys_off(r.db, &fk_on));
	KMV_TRY(kmv_db__begin(r.db));
	began = true;
	KMV_TRY(load_haves(&r));
	KMV_TRY(kmv_model__load(&r.m, r.db, on_payment, &r));
	apply_manual(&r);
	KMV_TRY(match_receipts(&r));
	KMV_TRY(store_learned(&r, nowtxt));
	KMV_TRY(amount_time(&r));
	KMV_TRY(second_charges(&r));
	KMV_TRY(refunds(&r));
	KMV_TRY(drop_repeated_wants(&r));
	KMV_TRY(sync_links(&r, nowtxt));
	KMV_TRY(audit(&r));
	KMV_TRY(kmv_db__commit(r.db));
	began = false;
	if (out)
		*out = stats;
done:
	if (began)
		kmv_db__rollback(r.db);
	if (fk_on && kmv_db__exec(r.db, "PRAGMA foreign_keys=ON") < 0 &&
	    error == 0)
		error = KMV_ERROR;
	kmv_model__dispose(&r.m);
	free(r.wants);
	free(r.haves);
	free(r.learn_list);
	kmv_buf_dispose(&r.text);
	kmv_pairmap__dispose(&r.existing);
	kmv_pairmap__dispose(&r.learn);
	return error;
}
