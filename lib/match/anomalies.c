/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/anomaly.h"

#include <inttypes.h>
#include <math.h>

#include "kmvutil/datetime.h"
#include "kmv/i18n.h"
#include "kmv/label.h"
#include "kmvutil/money.h"
#include "match/anomalies.h"
#include "match/model.h"
#include "match/paid.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/records.h"

/*
 * Anomalies are computed from the records and the links that `match`
 * left (vetoes excluded), never stored.  docs/matching.md gives each
 * definition and the reason for each condition; the short form:
 *
 *   C(o)  successful charges linked to order o; R(o) the refunds seen for
 *         them (refund links, refund_of, refunds linked to o itself),
 *         each refund counted once; net = sum C - sum R.
 *
 *   duplicate_charge       |C| >= 2 and net > order amount; or, with no
 *                          order, >= 2 unexplained charges of one merchant
 *                          under one merchant order number
 *   amount_mismatch        |C| >= 1, not a duplicate, order not refunded
 *                          or cancelled, sum C != amount and net != amount
 *   payment_without_order  an unexplained charge to a platform's merchant
 *   undelivered            order paid (a charge, or state paid/processing)
 *                          in a known not-delivered state, money not
 *                          returned, older than the deadline at "now"
 *   refund_missing         order refunded/cancelled with net > 0, once the
 *                          statements of that channel cover the last
 *                          charge + grace
 *   unknown_merchant       an unexplained charge under a watched category
 *                          to a non-platform merchant that is its
 *                          merchant's first payment, and that merchant has
 *                          at most two payments in the vault
 */

static const char *const types[] = {
	"duplicate_charge", "amount_mismatch", "payment_without_order",
	"undelivered",      "refund_missing",  "unknown_merchant"
};

enum { T_DUP, T_MISMATCH, T_NO_ORDER, T_UNDELIVERED, T_REFUND, T_UNKNOWN };

/* A records column by its one name (kmv/record.h, KMV_RECORD_COL_*). */
#define C(name) KMV_RECORD_COL_##name

#define DEFAULT_GRACE_S (7 * 24 * 3600)

typedef struct finding {
	int type;
	char *order_no;
	int64_t *records;
	size_t nrecords;
	int64_t amount, ts;
	char *detail, *suggestion;
} finding;

typedef struct actx {
	sqlite3 *db;
	const kmv_anomaly_options *opts;
	int64_t now, deadline_s, grace_s;
	kmv_model m;
	/* order -> the payments standing for it, charge -> refunds seen,
	 * explained payments: the one answer of paid.h */
	kmv_paid paid;
	bool *in_group;            /* payment in a no-order duplicate group */
	int64_t *cover_end;        /* per source_kind name: statements end */
	int32_t *first_pay;        /* per merchant name: first payment */
	int32_t *pay_count;        /* per merchant name: payments */
	int8_t *platform_merchant; /* per name: -1 unknown, 0 no, 1 yes */
	int32_t *order_names;      /* distinct order platforms and merchants */
	size_t norder_names, aorder_names;
	/*
	 * Scoped to one order number's records (scope.c): what is not local
	 * is asked of SQLite when a finding needs it.
	 */
	bool scoped;
	bool *cover_asked;     /* per source_kind name: vault-wide max read */
	bool order_names_read; /* every order's names interned */
	sqlite3_stmt *info;
	finding *f;
	size_t nf, af;
} actx;

/* The findings' language (kmv_anomaly_options.lang). */
static kmv_lang lang_of(const actx *c)
{
	return c->opts->version >= 2 ? (kmv_lang)c->opts->lang
				     : KMV_LANG_LOCALE;
}

/*
 * A sentence in the findings' language: the English msgid through the
 * catalog for the locale, or the Chinese / English words whatever the
 * locale (reports for Chinese counterparties).  The Chinese here is what
 * the zh_CN catalog says for the same msgid.
 */
static const char *tr(const actx *c, const char *en, const char *zh)
	__attribute__((format_arg(2)));
static const char *tr(const actx *c, const char *en, const char *zh)
{
	switch (lang_of(c)) {
	case KMV_LANG_ZH: return zh;
	case KMV_LANG_EN: return en;
	default: return _(en);
	}
}

#define TR(en, zh) tr(c, en, zh)

/*
 * A record as the messages quote it, read by the one record reader
 * (store/records.h): an empty column reads as none, the status as the
 * source showed it falls back to kmvault's.
 */
typedef struct rinfo {
	kmv_record rec;
	const char *payment_no, *merchant_order_no, *status_raw, *category;
	const char *status;
} rinfo;

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static int get_info(actx *c, rinfo *out, int64_t id)
{
	kmv_buf sql = KMV_BUF_INIT;
	kmv_record *r = &out->rec;
	int error = 0;

	if (!c->info) {
		KMV_TRY(kmv_record__select(&sql, KMV_RECORD__NO_SECRET, NULL));
		KMV_TRY(kmv_buf_puts(&sql,
				     " WHERE r." KMV_RECORD_COL_ID " = ?"));
		KMV_TRY(kmv_db__prepare(&c->info, c->db, sql.ptr));
	}
	sqlite3_reset(c->info);
	sqlite3_bind_int64(c->info, 1, id);
	if (sqlite3_step(c->info) == SQLITE_ROW) {
		KMV_TRY(kmv_record__from_row(r, c->info, 0, false));
		out->payment_no = nonempty(r->payment_no);
		out->merchant_order_no = nonempty(r->merchant_order_no);
		out->status_raw = nonempty(r->status_raw ? r->status_raw
							 : r->status);
		out->category = nonempty(r->category);
		out->status = nonempty(r->status);
	}
done:
	kmv_buf_dispose(&sql);
	return error;
}

static void info_dispose(rinfo *r)
{
	kmv_record_dispose(&r->rec);
	memset(r, 0, sizeof(*r));
}

static const char *name(const actx *c, int32_t idx, const char *fallback)
{
	const char *s = kmv_strmap__key(&c->m.names, idx);

	return s ? s : fallback;
}

static const char *channel(const actx *c, const kmv_model_pay *p)
{
	const char *k = name(c, p->source_kind, "");

	if (!strcmp(k, "alipay") || !strcmp(k, "wechat"))
		return kmv_label_lang(KMV_LABEL_SOURCE, k, lang_of(c));
	return TR(N_("the payment provider"), "支付机构");
}

/* "5.5 h" up to two days, then "12 days". */
static const char *elapsed(const actx *c, char *out, size_t outsz, int64_t s)
{
	if (s < 48 * 3600)
		snprintf(out, outsz, TR(N_("%.1f h"), "%.1f 小时"),
			 (double)s / 3600.0);
	else
		snprintf(out, outsz,
			 TR(N_("%" PRId64 " days"), "%" PRId64 " 天"),
			 s / 86400);
	return out;
}

/* The shop's word for a state, with kmvault's when they differ ("2" = processing). */
static const char *state_words(const actx *c, char *out, size_t outsz,
			       const rinfo *o)
{
	/*
	 * The shop's own word when it is one (已付款), with the state in
	 * words; a code ("2", "processing") is never shown, only its label.
	 */
	const char *label = kmv_label_lang(KMV_LABEL_STATUS,
					   o->status ? o->status : "unknown",
					   lang_of(c));
	bool raw_is_word = false;

	for (const char *p = o->status_raw; p && *p; p++)
		raw_is_word |= (unsigned char)*p >= 0x80;
	if (raw_is_word && strcmp(o->status_raw, label) != 0)
		snprintf(out, outsz, TR(N_("'%s' (%s)"), "“%s”（%s）"),
			 o->status_raw, label);
	else
		snprintf(out, outsz, TR(N_("'%s'"), "“%s”"), label);
	return out;
}

/*
 * What the order shows: the shop's word, or — when receipts decided the
 * state or stand for the order — what the receipts say.
 */
static const char *order_words(const actx *c, char *out, size_t outsz,
			       const kmv_model_order *o, uint8_t state,
			       const rinfo *info)
{
	static const char *const names[] = {
		"unknown",   "pending_payment", "paid",     "processing",
		"delivered", "completed",       "refunded", "cancelled",
		"failed",    "expired",         "frozen"
	};
	const char *n = kmv_label_lang(KMV_LABEL_STATUS,
				       state < KMV_ARRAY_SIZE(names)
					       ? names[state]
					       : "unknown",
				       lang_of(c));

	if ((o->flags & KMV_MODEL_ORDF_GROUP) &&
	    (state == KMV_MODEL_ORD_PAID || state == KMV_MODEL_ORD_UNKNOWN) &&
	    !(o->flags & KMV_MODEL_ORDF_RECEIPT))
		snprintf(out, outsz, "%s",
			 TR(N_("no delivery in its receipts"),
			    "回执中没有发货记录"));
	else if (o->flags & (KMV_MODEL_ORDF_GROUP | KMV_MODEL_ORDF_RECEIPT))
		snprintf(out, outsz,
			 TR(N_("'%s' in its latest receipt"),
			    "最新回执中的“%s”"),
			 n);
	else
		state_words(c, out, outsz, info);
	return out;
}

static const char *when(char out[KMV_TIME_BUFSZ], int64_t ts)
{
	kmv_time t = { ts, KMV_TZ_CST };

	return kmv_time_format_plain(out, &t);
}

/* The party to claim from for an order: its platform, else its shop. */
static const char *order_party(const actx *c, const kmv_model_order *o)
{
	return name(c, o->platform, name(c, o->merchant, "the shop"));
}

static int emit(actx *c, int type, const char *order_no, const int64_t *ids,
		size_t nids, int64_t amount, int64_t ts, kmv_buf *detail,
		kmv_buf *suggestion)
{
	finding *f;
	int error = 0;

	KMV_TRY(KMV_ARRAY_GROW(c->f, c->af, c->nf + 1));
	f = &c->f[c->nf];
	memset(f, 0, sizeof(*f));
	f->type = type;
	f->amount = amount;
	f->ts = ts;
	f->order_no = order_no ? strdup(order_no) : NULL;
	f->records = malloc((nids ? nids : 1) * sizeof(*ids));
	f->detail = kmv_buf_detach(detail);
	f->suggestion = kmv_buf_detach(suggestion);
	c->nf++;
	if ((order_no && !f->order_no) || !f->records || !f->detail ||
	    !f->suggestion) {
		error = kmv_error_nomem();
		goto done;
	}
	memcpy(f->records, ids, nids * sizeof(*ids));
	f->nrecords = nids;
done:
	return error;
}

/* ---- preparation ------------------------------------------------------- */

/*
 * How far the statements of each channel reach: the period end that the
 * importer put in the source's meta, else the newest payment seen.
 */
static int load_coverage(actx *c)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	for (size_t i = 0; !c->scoped && i < c->m.npays; i++) {
		const kmv_model_pay *p = &c->m.pays[i];

		if (p->source_kind >= 0 && p->has_ts &&
		    p->ts > c->cover_end[p->source_kind])
			c->cover_end[p->source_kind] = p->ts;
	}
	KMV_TRY(kmv_db__prepare(
		&st, c->db,
		"SELECT kind, coalesce(json_extract(meta, '$.period_end'), "
		"json_extract(meta, '$.period.end'), json_extract(meta, '$.end'), "
		"json_extract(meta, '$.to')) FROM sources "
		"WHERE meta IS NOT NULL AND json_valid(meta)"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t k = kmv_strmap__find(
			&c->m.names, (const char *)sqlite3_column_text(st, 0));
		const char *end = (const char *)sqlite3_column_text(st, 1);
		kmv_time t;

		if (k < 0 || !end ||
		    kmv_time_parse(&t, end, KMV_TZ_CST, NULL) < 0)
			continue;
		if (t.epoch > c->cover_end[k])
			c->cover_end[k] = t.epoch;
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(c->db, "cannot read sources");
done:
	sqlite3_finalize(st);
	return error;
}

static int prepare(actx *c)
{
	size_t nn;
	bool *seen = NULL;
	int error = 0;

	KMV_TRY(kmv_paid__load(&c->paid, &c->m, c->db, NULL, NULL));
	nn = c->m.names.count ? c->m.names.count : 1;
	c->in_group = calloc(c->m.npays ? c->m.npays : 1, sizeof(bool));
	c->cover_end = calloc(nn, sizeof(int64_t));
	c->first_pay = malloc(nn * sizeof(int32_t));
	c->pay_count = calloc(nn, sizeof(int32_t));
	c->platform_merchant = malloc(nn);
	c->order_names = malloc(nn * sizeof(int32_t));
	c->aorder_names = nn;
	c->cover_asked = calloc(nn, sizeof(bool));
	seen = calloc(nn, sizeof(bool));
	if (!c->in_group || !c->cover_end || !c->first_pay || !c->pay_count ||
	    !c->platform_merchant || !c->order_names || !c->cover_asked ||
	    !seen) {
		error = kmv_error_nomem();
		goto done;
	}
	for (size_t i = 0; i < nn; i++) {
		c->first_pay[i] = -1;
		c->platform_merchant[i] = -1;
	}
	for (size_t i = 0; !c->scoped && i < c->m.norders; i++) {
		int32_t ns[2] = { c->m.orders[i].platform,
				  c->m.orders[i].merchant };

		for (int k = 0; k < 2; k++)
			if (ns[k] >= 0 && !seen[ns[k]]) {
				seen[ns[k]] = true;
				c->order_names[c->norder_names++] = ns[k];
			}
	}
	for (size_t i = 0; !c->scoped && i < c->m.npays; i++) {
		const kmv_model_pay *p = &c->m.pays[i];
		int32_t f;

		if (p->merchant < 0)
			continue;
		c->pay_count[p->merchant]++;
		f = c->first_pay[p->merchant];
		if (p->has_ts &&
		    (f < 0 || !c->m.pays[f].has_ts || p->ts < c->m.pays[f].ts))
			c->first_pay[p->merchant] = (int32_t)i;
		else if (f < 0)
			c->first_pay[p->merchant] = (int32_t)i;
	}
	KMV_TRY(load_coverage(c));
done:
	free(seen);
	return error;
}

static int add_order_name(actx *c, kmv_strmap *seen, const char *s)
{
	size_t before = seen->count;
	int32_t idx;
	int error = 0;

	if (!s || !*s)
		return 0;
	KMV_TRY(kmv_strmap__intern(seen, s, &idx));
	if (seen->count == before)
		return 0;
	KMV_TRY(kmv_strmap__intern(&c->m.names, s, &idx));
	KMV_TRY(KMV_ARRAY_GROW(c->order_names, c->aorder_names,
			       c->norder_names + 1));
	c->order_names[c->norder_names++] = idx;
done:
	return error;
}

/*
 * Scoped: the platforms and merchants of every order of the vault, as
 * the model would hold them (a receipt group's are those of its first
 * receipt that has one, model.c load_receipts), in one pass over the
 * orders and receipts: orders sort before receipts, receipts by group.
 */
static int load_order_names(actx *c)
{
	kmv_strmap real = KMV_STRMAP_INIT, seen = KMV_STRMAP_INIT;
	kmv_buf group = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	bool in_group = false, need_platform = false, need_merchant = false;
	int error = 0, rc;

	c->order_names_read = true;
	c->norder_names = 0;
	/* one column name (kmv/record.h) per piece */
	/* clang-format off */
	KMV_TRY(kmv_db__prepare(&st, c->db,
		"SELECT " C(KIND) ", " C(ORDER_NO) ", " C(PLATFORM) ", "
			C(MERCHANT) " FROM records"
		" WHERE " C(KIND) " <> 'payment' AND " C(DELETED_AT) " IS NULL"
		" AND (" C(KIND) " = 'order' OR (coalesce(" C(ORDER_NO) ", '')"
		" <> '' AND NOT " KMV_MODEL_UNVERIFIED(C(ORDER_NO)) "))"
		" ORDER BY " C(KIND) ", " C(ORDER_NO) ", " C(TS) ", " C(ID)));
	/* clang-format on */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		const char *no = (const char *)sqlite3_column_text(st, 1);
		const char *platform = (const char *)sqlite3_column_text(st, 2);
		const char *merchant = (const char *)sqlite3_column_text(st, 3);
		int32_t idx;

		if (!strcmp(kind, "order")) {
			if (no && *no)
				KMV_TRY(kmv_strmap__intern(&real, no, &idx));
			KMV_TRY(add_order_name(c, &seen, platform));
			KMV_TRY(add_order_name(c, &seen, merchant));
			continue;
		}
		if (kmv_strmap__find(&real, no) >= 0)
			continue; /* events of a shop's order */
		if (!in_group || strcmp(group.ptr, no)) {
			kmv_buf_clear(&group);
			KMV_TRY(kmv_buf_puts(&group, no));
			in_group = need_platform = need_merchant = true;
		}
		if (need_platform && platform && *platform) {
			need_platform = false;
			KMV_TRY(add_order_name(c, &seen, platform));
		}
		if (need_merchant && merchant && *merchant) {
			need_merchant = false;
			KMV_TRY(add_order_name(c, &seen, merchant));
		}
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(c->db, "cannot read orders");
done:
	sqlite3_finalize(st);
	kmv_strmap__dispose(&real);
	kmv_strmap__dispose(&seen);
	kmv_buf_dispose(&group);
	return error;
}

/* A merchant that some alias or some order's shop name vouches for. */
static int platform_merchant(actx *c, int32_t merchant)
{
	int8_t *v;
	int error = 0;

	if (merchant < 0)
		return 0;
	v = &c->platform_merchant[merchant];
	if (*v >= 0)
		return *v;
	if (c->scoped && !c->order_names_read)
		KMV_TRY(load_order_names(c));
	*v = 0;
	for (size_t i = 0; i < c->m.aliases.cap && !*v; i++) {
		const kmv_pairslot *s = &c->m.aliases.slots[i];

		if (s->used && s->a == merchant &&
		    s->v != KMV_MODEL_ALIAS_REMOVED)
			*v = 1;
	}
	for (size_t i = 0; i < c->norder_names && !*v; i++)
		if (kmv_model__compat_name(&c->m, merchant,
					   c->order_names[i]) !=
		    KMV_MODEL_COMPAT_NONE)
			*v = 1;
	return *v;
done:
	return error;
}

/* Scoped: how far the channel's payments reach in the whole vault. */
static int cover_end(actx *c, int32_t kind, int64_t *end)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	if (c->scoped && !c->cover_asked[kind]) {
		c->cover_asked[kind] = true;
		/* clang-format off */
		KMV_TRY(kmv_db__prepare(&st, c->db,
			"SELECT max(" C(TS) ") FROM records"
			" WHERE +" C(KIND) " = 'payment'"
			" AND " C(DELETED_AT) " IS NULL AND " C(SOURCE_KIND) " = ?1"));
		/* clang-format on */
		sqlite3_bind_text(st, 1, kmv_strmap__key(&c->m.names, kind), -1,
				  SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			error = kmv_db__error(c->db, "cannot read payments");
			goto done;
		}
		if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
		    sqlite3_column_int64(st, 0) > c->cover_end[kind])
			c->cover_end[kind] = sqlite3_column_int64(st, 0);
	}
	*end = c->cover_end[kind];
done:
	sqlite3_finalize(st);
	return error;
}

/*
 * Is payment `pi` its merchant's first, of at most two?  Scoped, the
 * vault's payments of that merchant are asked for (the same order as
 * prepare(): the earliest time, then the lowest id; untimed last).
 */
static int first_of_few(actx *c, int32_t pi, bool *yes)
{
	const kmv_model_pay *p = &c->m.pays[pi];
	sqlite3_stmt *st = NULL;
	int64_t first = 0;
	int n = 0, error = 0, rc;

	*yes = false;
	if (!c->scoped) {
		*yes = c->first_pay[p->merchant] == pi &&
		       c->pay_count[p->merchant] <= 2;
		return 0;
	}
	/* clang-format off */
	KMV_TRY(kmv_db__prepare(&st, c->db,
		"SELECT " C(ID) " FROM records"
		" WHERE +" C(KIND) " = 'payment' AND " C(DELETED_AT) " IS NULL"
		" AND " C(MERCHANT) " = ?1"
		" ORDER BY " C(TS) " IS NULL, " C(TS) ", " C(ID) " LIMIT 3"));
	/* clang-format on */
	sqlite3_bind_text(st, 1, kmv_strmap__key(&c->m.names, p->merchant), -1,
			  SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			first = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(c->db, "cannot read payments");
		goto done;
	}
	*yes = first == p->id && n <= 2;
done:
	sqlite3_finalize(st);
	return error;
}

/* ---- order findings ------------------------------------------------------- */

typedef struct order_money {
	int64_t sum_c, max_c, sum_r, first_ts, last_ts;
	size_t nc, ncr;
	int32_t last;    /* latest charge */
	int64_t ids[64]; /* the order, then its charges */
	size_t nids;
	int32_t refunds[64];
	size_t nrefunds;
} order_money;

static void add_refund(actx *c, order_money *om, int32_t r)
{
	for (size_t k = 0; k < om->nrefunds; k++)
		if (om->refunds[k] == r)
			return;
	if (om->nrefunds < KMV_ARRAY_SIZE(om->refunds)) {
		om->refunds[om->nrefunds++] = r;
		om->sum_r += c->m.pays[r].amount;
	}
}

static void tally(actx *c, int32_t oi, order_money *om)
{
	memset(om, 0, sizeof(*om));
	om->last = -1;
	om->ids[om->nids++] = c->m.orders[oi].id;
	for (int32_t e = c->paid.order_first[oi]; e >= 0;
	     e = c->paid.edges[e].next) {
		int32_t pi = c->paid.edges[e].to;
		const kmv_model_pay *p = &c->m.pays[pi];

		if (p->state == KMV_MODEL_PAY_REFUND) {
			add_refund(c, om, pi);
			continue;
		}
		if (p->state == KMV_MODEL_PAY_CHARGE_REFUNDED) {
			om->ncr++;
			continue;
		}
		if (p->state != KMV_MODEL_PAY_CHARGE)
			continue;
		om->nc++;
		om->sum_c += p->amount;
		if (p->amount > om->max_c)
			om->max_c = p->amount;
		if (om->nc == 1 || p->ts < om->first_ts)
			om->first_ts = p->ts;
		if (om->nc == 1 || p->ts >= om->last_ts) {
			om->last_ts = p->ts;
			om->last = pi;
		}
		if (om->nids < KMV_ARRAY_SIZE(om->ids))
			om->ids[om->nids++] = p->id;
		for (int32_t r = c->paid.pay_refunds[pi]; r >= 0;
		     r = c->paid.edges[r].next)
			add_refund(c, om, c->paid.edges[r].to);
	}
	/* the charges in id order (edges come newest first) */
	for (size_t i = 2; i < om->nids; i++)
		for (size_t k = i; k > 1 && om->ids[k - 1] > om->ids[k]; k--) {
			int64_t t = om->ids[k];

			om->ids[k] = om->ids[k - 1];
			om->ids[k - 1] = t;
		}
}

/* What one order's findings are made of (order_findings' phases). */
typedef struct {
	const kmv_model_order *o;
	const char *no, *party;
	order_money om;
	rinfo oinfo, pinfo; /* the order's record, its last payment's */
	int64_t net;        /* charged minus refunded */
	bool closed;        /* refunded or cancelled by the shop */
	bool dup;           /* a duplicate_charge was found */
	uint8_t state;      /* the order's state, receipts considered */
	kmv_buf d, s;       /* the finding's detail and suggestion */
} ofacts;

/* duplicate_charge: charged more than once for one order, beyond its price. */
static int find_duplicate_charge(actx *c, ofacts *f)
{
	const kmv_model_order *o = f->o;
	const char *no = f->no, *party = f->party;
	const order_money *om = &f->om;
	kmv_buf *d = &f->d, *s = &f->s;
	char a1[KMV_MONEY_BUFSZ], a2[KMV_MONEY_BUFSZ], a3[KMV_MONEY_BUFSZ];
	char t1[KMV_TIME_BUFSZ], t2[KMV_TIME_BUFSZ];
	int64_t net = f->net;
	bool closed = f->closed;
	int error = 0;

	if (!closed && om->nc >= 2 &&
	    net > (o->has_amount && o->amount > 0 ? o->amount : om->max_c)) {
		int64_t extra = net - (o->has_amount && o->amount > 0
					       ? o->amount
					       : om->max_c);

		f->dup = true;
		KMV_TRY(kmv_buf_printf(
			d,
			TR(N_("Order %s (%s) at %s was charged %zu "
			      "times, %s in total, between %s and %s."),
			   "%3$s 的订单 %1$s（%2$s）在 %6$s 至 %7$s 之间被扣款 %4$zu 次，共 %5$s。"),
			no ? no : "?",
			o->has_amount ? kmv_money_format(a1, o->amount) : "?",
			party, om->nc, kmv_money_format(a2, om->sum_c),
			when(t1, om->first_ts), when(t2, om->last_ts)));
		KMV_TRY(kmv_buf_printf(
			s,
			TR(N_("Ask %s to refund the extra %s for order "
			      "%s; if they do not, dispute payment %s with %s as a "
			      "duplicate charge."),
			   "请要求 %1$s 退还订单 %3$s 多扣的 %2$s；如对方不退，请以重复扣款为由就付款 %4$s 向%5$s提出争议。"),
			party, kmv_money_format(a3, extra), no ? no : "?",
			f->pinfo.payment_no ? f->pinfo.payment_no : "?",
			channel(c, &c->m.pays[om->last])));
		KMV_TRY(emit(c, T_DUP, no, om->ids, om->nids, extra,
			     om->first_ts, d, s));
	}

done:
	return error;
}

/* amount_mismatch: the money paid is not the order's price (no duplicate). */
static int find_amount_mismatch(actx *c, ofacts *f)
{
	const kmv_model_order *o = f->o;
	const char *no = f->no, *party = f->party;
	const order_money *om = &f->om;
	kmv_buf *d = &f->d, *s = &f->s;
	char a1[KMV_MONEY_BUFSZ], a2[KMV_MONEY_BUFSZ], a3[KMV_MONEY_BUFSZ];
	int64_t net = f->net;
	bool closed = f->closed;
	int error = 0;

	if (!f->dup && !closed && om->nc >= 1 && o->has_amount &&
	    om->sum_c != o->amount && net != o->amount) {
		int64_t diff = net > o->amount ? net - o->amount
					       : o->amount - net;
		bool over = net > o->amount;

		kmv_buf_clear(d);
		kmv_buf_clear(s);
		KMV_TRY(kmv_buf_printf(
			d,
			over ? TR(N_("Order %s at %s costs %s but %s paid for it (%s more)."),
				  "%2$s 的订单 %1$s 应付 %3$s，实付 %4$s（多付 %5$s）。")
			     : TR(N_("Order %s at %s costs %s but %s paid for it (%s less)."),
				  "%2$s 的订单 %1$s 应付 %3$s，实付 %4$s（少付 %5$s）。"),
			no ? no : "?", party, kmv_money_format(a1, o->amount),
			kmv_money_format(a2, net), kmv_money_format(a3, diff)));
		if (over)
			KMV_TRY(kmv_buf_printf(
				s,
				TR(N_("Ask %s to refund the difference "
				      "of %s for order %s, with payment %s as proof."),
				   "请要求 %1$s 退还订单 %3$s 的差额 %2$s，以付款 %4$s 为凭证。"),
				party, a3, no ? no : "?",
				f->pinfo.payment_no ? f->pinfo.payment_no
						    : "?"));
		else
			KMV_TRY(kmv_buf_printf(
				s,
				TR(N_("Check the order page: a coupon "
				      "or a second payment may explain it; otherwise ask "
				      "%s whether order %s counts as fully paid."),
				   "请查看订单页面：可能是优惠券或另一笔付款造成的；否则请向 %1$s 确认订单 %2$s 是否已视为付清。"),
				party, no ? no : "?"));
		KMV_TRY(emit(c, T_MISMATCH, no, om->ids, om->nids, diff,
			     om->first_ts, d, s));
	}

done:
	return error;
}

/* undelivered (掉单): paid, and past its delivery deadline without delivery. */
/* undelivered: an order paid (by a charge seen, or as the shop says) and
 * not delivered, refunded or cancelled. */
static bool awaits_delivery(const ofacts *f)
{
	const order_money *om = &f->om;
	uint8_t state = f->state;

	/* frozen (card-system's 已冻结) is paid only by a charge seen */
	return (state == KMV_MODEL_ORD_PENDING || state == KMV_MODEL_ORD_PAID ||
		state == KMV_MODEL_ORD_PROCESSING ||
		state == KMV_MODEL_ORD_FAILED ||
		state == KMV_MODEL_ORD_EXPIRED ||
		(state == KMV_MODEL_ORD_FROZEN && om->nc >= 1)) &&
	       !(om->nc >= 1 && om->sum_r >= om->sum_c) &&
	       !(om->nc == 0 && om->ncr > 0) && (om->nc >= 1 || f->o->has_ts);
}

/* The finding's detail: paid when, shows what, how late. */
static int undelivered_detail(actx *c, ofacts *f, int64_t paid_at, int64_t late,
			      const char *a1)
{
	const kmv_model_order *o = f->o;
	const char *no = f->no, *party = f->party;
	const order_money *om = &f->om;
	kmv_buf *d = &f->d;
	char t1[KMV_TIME_BUFSZ];
	char w1[256];
	char e1[32], e2[32];
	uint8_t state = f->state;
	/* the count remind prints as OVERDUE Nd, same rule */
	int64_t days_past = kmv_days_between(paid_at + c->deadline_s, c->now);
	int error = 0;

	KMV_TRY(kmv_buf_printf(
		d,
		om->nc >= 1
			? TR(N_("Order %s (%s) at %s was paid at %s and still shows %s "),
			     "%3$s 的订单 %1$s（%2$s）于 %4$s 付款，至今仍显示为%5$s，")
			: TR(N_("Order %s (%s) at %s was paid (the shop says) at %s "
				"and still shows %s "),
			     "%3$s 的订单 %1$s（%2$s）据店铺记录于 %4$s 付款，至今仍显示为%5$s，"),
		no ? no : "?", a1, party, when(t1, paid_at),
		order_words(c, w1, sizeof(w1), o, state, &f->oinfo)));
	if (days_past >= 1)
		KMV_TRY(kmv_buf_printf(
			d,
			lang_of(c) == KMV_LANG_LOCALE
				? P_("%lld day after its "
				     "delivery deadline (%s after payment).",
				     "%lld days after its delivery deadline (%s "
				     "after payment).",
				     days_past)
			: lang_of(c) == KMV_LANG_ZH
				? "已超过发货期限 %lld 天（期限为付款后 %s）。"
			: days_past == 1
				? "%lld day after its delivery deadline (%s "
				  "after payment)."
				: "%lld days after its delivery deadline (%s "
				  "after payment).",
			(long long)days_past,
			elapsed(c, e2, sizeof(e2), c->deadline_s)));
	else
		KMV_TRY(kmv_buf_printf(d,
				       TR(N_("%s later (deadline %s)."),
					  "已过去 %s（期限为 %s）。"),
				       elapsed(c, e1, sizeof(e1), late),
				       elapsed(c, e2, sizeof(e2),
					       c->deadline_s)));
	if (state == KMV_MODEL_ORD_FROZEN)
		KMV_TRY(kmv_buf_printf(
			d, "%s",
			TR(N_(" The shop froze the order: it "
			      "holds the order and the money until it "
			      "unfreezes or refunds it."),
			   "店铺已冻结该订单：在解冻或退款之前，订单和货款都由店铺扣留。")));
done:
	return error;
}

/* The suggestion: ask the shop to deliver or refund, quoting the payment. */
static int undelivered_advice(actx *c, ofacts *f, const char *a1)
{
	const char *no = f->no, *party = f->party;
	kmv_buf *s = &f->s;
	uint8_t state = f->state;
	int error = 0;

	if (state == KMV_MODEL_ORD_FROZEN)
		KMV_TRY(kmv_buf_printf(
			s,
			TR(N_("Ask %s why order %s was frozen "
			      "and to deliver it or refund %s now, quoting "
			      "payment %s; screenshot the order page and "
			      "re-import the shop's orders to record any "
			      "change."),
			   "请向 %1$s 询问订单 %2$s 被冻结的原因，并要求立即发货或退款 %3$s，注明付款单号 %4$s；请截图保存订单页面，之后重新导入店铺订单以记录变化。"),
			party, no ? no : "?", a1,
			f->pinfo.payment_no ? f->pinfo.payment_no : "?"));
	else if (f->pinfo.payment_no)
		KMV_TRY(kmv_buf_printf(
			s,
			TR(N_("Ask %s to deliver order %s "
			      "or refund %s now, quoting payment %s; screenshot "
			      "the order page and re-import the shop's orders to "
			      "record any change."),
			   "请要求 %1$s 立即为订单 %2$s 发货或退款 %3$s，并注明付款单号 %4$s；请截图保存订单页面，之后重新导入店铺订单以记录变化。"),
			party, no ? no : "?", a1, f->pinfo.payment_no));
	else
		KMV_TRY(kmv_buf_printf(
			s,
			TR(N_("Ask %s to deliver order %s "
			      "or refund %s now; screenshot the order page and "
			      "re-import the shop's orders to record any change."),
			   "请要求 %1$s 立即为订单 %2$s 发货或退款 %3$s；请截图保存订单页面，之后重新导入店铺订单以记录变化。"),
			party, no ? no : "?", a1));
done:
	return error;
}

static int find_undelivered(actx *c, ofacts *f)
{
	const order_money *om = &f->om;
	char a1[KMV_MONEY_BUFSZ];
	int64_t paid_at, money, late;
	int error = 0;

	if (!awaits_delivery(f))
		return 0;
	paid_at = om->nc >= 1 ? om->first_ts : f->o->ts;
	money = om->nc >= 1 ? f->net : (f->o->has_amount ? f->o->amount : 0);
	late = c->now - paid_at;
	if (late <= c->deadline_s)
		return 0;
	kmv_buf_clear(&f->d);
	kmv_buf_clear(&f->s);
	kmv_money_format(a1, money);
	KMV_TRY(undelivered_detail(c, f, paid_at, late, a1));
	KMV_TRY(undelivered_advice(c, f, a1));
	KMV_TRY(emit(c, T_UNDELIVERED, f->no, om->ids, om->nids, money, paid_at,
		     &f->d, &f->s));
done:
	return error;
}

/* refund_missing: closed or refunded, but the statements show no refund. */
static int find_refund_missing(actx *c, ofacts *f)
{
	const kmv_model_order *o = f->o;
	const char *no = f->no, *party = f->party;
	const order_money *om = &f->om;
	kmv_buf *d = &f->d, *s = &f->s;
	char a1[KMV_MONEY_BUFSZ], a2[KMV_MONEY_BUFSZ];
	char t1[KMV_TIME_BUFSZ], t2[KMV_TIME_BUFSZ];
	char w1[256];
	int64_t net = f->net;
	bool closed = f->closed;
	uint8_t state = f->state;
	int error = 0;

	if (closed && om->nc >= 1 && net > 0) {
		const kmv_model_pay *lp = &c->m.pays[om->last];
		int64_t due = om->last_ts + c->grace_s;
		int64_t cover = 0;

		if (lp->source_kind >= 0)
			KMV_TRY(cover_end(c, lp->source_kind, &cover));
		if (cover >= due && c->now >= due) {
			kmv_buf_clear(d);
			kmv_buf_clear(s);
			KMV_TRY(kmv_buf_printf(
				d,
				TR(N_("Order %s at %s shows %s after "
				      "a payment of %s on %s, but no refund of %s appears in "
				      "the %s statements up to %s."),
				   "%2$s 的订单 %1$s 在 %5$s 付款 %4$s 后显示为%3$s，但截至 %8$s 的%7$s账单中没有 %6$s 的退款。"),
				no ? no : "?", party,
				order_words(c, w1, sizeof(w1), o, state,
					    &f->oinfo),
				kmv_money_format(a1, om->sum_c),
				when(t1, om->last_ts),
				kmv_money_format(a2, net), channel(c, lp),
				when(t2, cover)));
			KMV_TRY(kmv_buf_printf(
				s,
				TR(N_("Ask %s for the refund's "
				      "transaction number for order %s; if none was sent, "
				      "claim %s back and dispute payment %s with %s."),
				   "请向 %1$s 索要订单 %2$s 的退款交易单号；如未退款，请要求退回 %3$s，并就付款 %4$s 向%5$s提出争议。"),
				party, no ? no : "?", a2,
				f->pinfo.payment_no ? f->pinfo.payment_no : "?",
				channel(c, lp)));
			KMV_TRY(emit(c, T_REFUND, no, om->ids, om->nids, net,
				     om->last_ts, d, s));
		}
	}
done:
	return error;
}

/*
 * The findings of one order: its facts gathered once, then each anomaly
 * type's test in turn (a duplicate charge rules out a mismatch).
 */
static int order_findings(actx *c, int32_t oi)
{
	ofacts f;
	int error = 0;

	memset(&f, 0, sizeof(f));
	f.o = &c->m.orders[oi];
	f.no = kmv_strmap__key(&c->m.numbers, f.o->order_no);
	f.party = order_party(c, f.o);
	f.closed = f.o->state == KMV_MODEL_ORD_REFUNDED ||
		   f.o->state == KMV_MODEL_ORD_CANCELLED;
	f.state = f.o->state;
	kmv_buf_init(&f.d, 0);
	kmv_buf_init(&f.s, 0);
	tally(c, oi, &f.om);
	f.net = f.om.sum_c - f.om.sum_r;
	/*
	 * Receipts standing for an order that say nothing of its state: a
	 * linked charge makes it paid, and only a delivery receipt would
	 * make it delivered.
	 */
	if ((f.o->flags & KMV_MODEL_ORDF_GROUP) &&
	    f.state == KMV_MODEL_ORD_UNKNOWN && f.om.nc >= 1)
		f.state = KMV_MODEL_ORD_PAID;
	if (f.om.nc == 0 && !(f.o->state == KMV_MODEL_ORD_PAID ||
			      f.o->state == KMV_MODEL_ORD_PROCESSING))
		goto done;
	KMV_TRY(get_info(c, &f.oinfo, f.o->id));
	if (f.om.last >= 0)
		KMV_TRY(get_info(c, &f.pinfo, c->m.pays[f.om.last].id));
	KMV_TRY(find_duplicate_charge(c, &f));
	KMV_TRY(find_amount_mismatch(c, &f));
	KMV_TRY(find_undelivered(c, &f));
	KMV_TRY(find_refund_missing(c, &f));
done:
	info_dispose(&f.oinfo);
	info_dispose(&f.pinfo);
	kmv_buf_dispose(&f.d);
	kmv_buf_dispose(&f.s);
	return error;
}

/* ---- payment findings ------------------------------------------------------ */

/* What came back for one charge. */
static int64_t refunded(const actx *c, int32_t pi)
{
	int64_t back = 0;

	for (int32_t r = c->paid.pay_refunds[pi]; r >= 0;
	     r = c->paid.edges[r].next)
		back += c->m.pays[c->paid.edges[r].to].amount;
	return back;
}

/*
 * "9.90 each" when the charges are equal, else every amount named
 * ("9.90 and 50.00", "9.90, 50.00 and 12.00"): "each" for unequal charges
 * told the user a wrong sum.
 */
static int charge_amounts(const actx *c, kmv_buf *out, const int64_t *amounts,
			  size_t n)
{
	char a[KMV_MONEY_BUFSZ];
	bool equal = true;
	int error = 0;

	for (size_t i = 1; i < n; i++)
		equal = equal && amounts[i] == amounts[0];
	if (equal)
		return kmv_buf_printf(out, TR(N_("%s each"), "每笔 %s"),
				      kmv_money_format(a, amounts[0]));
	for (size_t i = 0; i < n && !error; i++)
		error = kmv_buf_printf(out, "%s%s",
				       i == 0       ? ""
				       : i + 1 == n ? TR(N_(" and "), "和")
						    : TR(N_(", "), "、"),
				       kmv_money_format(a, amounts[i]));
	return error;
}

/*
 * Charges with no order that share a merchant order number and merchant.
 * The first is taken as the purchase, the others as the extra charges.
 */
/*
 * One duplicate_charge without an order: `k` charges by one merchant
 * under merchant order number `mon` (ids and amounts in time order; the
 * first is the purchase, the rest `extra`).
 */
static int merchant_duplicate(actx *c, const char *mon,
			      const kmv_model_pay *first, const int64_t *ids,
			      const int64_t *amounts, size_t k, int64_t extra)
{
	kmv_buf d = KMV_BUF_INIT, s = KMV_BUF_INIT, each = KMV_BUF_INIT;
	rinfo last = { 0 };
	char a2[KMV_MONEY_BUFSZ], t1[KMV_TIME_BUFSZ];
	const char *mer = name(c, first->merchant, "?");
	int error = 0;

	KMV_TRY(get_info(c, &last, ids[k - 1]));
	KMV_TRY(charge_amounts(c, &each, amounts, k));
	KMV_TRY(kmv_buf_printf(
		&d,
		TR(N_("%s charged %zu times "
		      "under merchant order no %s from %s: %s, "
		      "%s more than one purchase; no order explains "
		      "them."),
		   "%1$s 自 %4$s 起以商户单号 %3$s 扣款 %2$zu 次：%5$s，比一次购买多扣 %6$s；没有任何订单能解释这些扣款。"),
		mer, k, mon, when(t1, first->ts), each.ptr,
		kmv_money_format(a2, extra)));
	KMV_TRY(kmv_buf_printf(
		&s,
		TR(N_("Ask %s to refund the "
		      "extra %s; if they do not, dispute payment %s "
		      "with %s as a duplicate charge."),
		   "请要求 %1$s 退还多扣的 %2$s；如对方不退，请以重复扣款为由就付款 %3$s 向%4$s提出争议。"),
		mer, a2, last.payment_no ? last.payment_no : "?",
		channel(c, first)));
	KMV_TRY(emit(c, T_DUP, mon, ids, k, extra, first->ts, &d, &s));
done:
	info_dispose(&last);
	kmv_buf_dispose(&each);
	kmv_buf_dispose(&d);
	kmv_buf_dispose(&s);
	return error;
}

/*
 * The charges of one merchant order number no order explains (`group`,
 * indexes into the payments), split by merchant: two or more by one
 * merchant are a duplicate.  Entries taken are set to -1.
 */
static int group_duplicates(actx *c, const char *mon, int32_t *group, size_t n)
{
	int error = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t ids[64], amounts[64], extra = 0;
		size_t k = 0;
		const kmv_model_pay *first;

		if (group[i] < 0)
			continue;
		first = &c->m.pays[group[i]];
		for (size_t j = i; j < n; j++) {
			const kmv_model_pay *p;

			if (group[j] < 0)
				continue;
			p = &c->m.pays[group[j]];
			if (p->merchant != first->merchant)
				continue;
			amounts[k] = p->amount;
			ids[k++] = p->id;
			if (j != i)
				extra += p->amount;
			if (k >= 2)
				c->in_group[group[j]] = true;
			group[j] = j == i ? group[j] : -1;
		}
		if (k < 2)
			continue;
		c->in_group[group[i]] = true;
		KMV_TRY(merchant_duplicate(c, mon, first, ids, amounts, k,
					   extra));
	}
done:
	return error;
}

static int orphan_duplicates(actx *c)
{
	sqlite3_stmt *st = NULL;
	int32_t group[64];
	size_t n = 0;
	char *mon = NULL;
	int error = 0, rc;

	/* scoped: the findings wanted are about one number */
	/* clang-format off */
	KMV_TRY(kmv_db__prepare(&st, c->db,
		c->scoped
		? "SELECT " C(ID) ", " C(MERCHANT_ORDER_NO) " FROM records"
		  " WHERE " C(KIND) " = 'payment' AND " C(DELETED_AT) " IS NULL"
		  " AND " C(MERCHANT_ORDER_NO) " = ?1"
		  " AND " C(MERCHANT_ORDER_NO) " NOT IN ('', '/', '-')"
		  " ORDER BY " C(TS) ", " C(ID)
		: "SELECT " C(ID) ", " C(MERCHANT_ORDER_NO) " FROM records"
		  " WHERE " C(KIND) " = 'payment' AND " C(DELETED_AT) " IS NULL"
		  " AND " C(MERCHANT_ORDER_NO) " IN ("
		  /* on the index alone: the rows are checked in C */
		  " SELECT " C(MERCHANT_ORDER_NO) " FROM records"
		  " WHERE " C(MERCHANT_ORDER_NO) " NOT IN ('', '/', '-')"
		  " GROUP BY " C(MERCHANT_ORDER_NO) " HAVING count(*) > 1)"
		  " ORDER BY " C(MERCHANT_ORDER_NO) ", " C(TS) ", " C(ID)));
	/* clang-format on */
	if (c->scoped)
		sqlite3_bind_text(st, 1, c->opts->order_no, -1, SQLITE_STATIC);
	for (;;) {
		const char *no;
		int32_t pi = -1;
		bool next_group;

		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			error = kmv_db__error(c->db, "cannot read payments");
			goto done;
		}
		no = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 1)
				      : NULL;
		next_group = !no || !mon || strcmp(no, mon);
		if (next_group && n >= 2)
			KMV_TRY(group_duplicates(c, mon, group, n));
		if (rc == SQLITE_DONE)
			break;
		if (next_group) {
			free(mon);
			n = 0;
			if (!(mon = strdup(no))) {
				error = kmv_error_nomem();
				goto done;
			}
		}
		pi = kmv_model__pay(&c->m, sqlite3_column_int64(st, 0));
		if (pi < 0 || c->m.pays[pi].state != KMV_MODEL_PAY_CHARGE ||
		    c->paid.explained[pi] || n >= KMV_ARRAY_SIZE(group))
			continue;
		/* fully refunded charges are settled */
		if (refunded(c, pi) >= c->m.pays[pi].amount)
			continue;
		group[n++] = pi;
	}
done:
	free(mon);
	sqlite3_finalize(st);
	return error;
}

static int pay_findings(actx *c, int32_t pi)
{
	const kmv_model_pay *p = &c->m.pays[pi];
	kmv_buf d = KMV_BUF_INIT, s = KMV_BUF_INIT;
	rinfo info = { 0 };
	char a1[KMV_MONEY_BUFSZ], t1[KMV_TIME_BUFSZ];
	const char *mer = name(c, p->merchant, "?");
	bool first_few = false;
	int platform, error = 0;

	if (p->state != KMV_MODEL_PAY_CHARGE || c->paid.explained[pi] ||
	    c->in_group[pi] || refunded(c, pi) >= p->amount)
		return 0;
	if ((platform = platform_merchant(c, p->merchant)) < 0) {
		error = platform;
		goto done;
	}
	if (platform) {
		KMV_TRY(get_info(c, &info, p->id));
		if (info.merchant_order_no)
			KMV_TRY(kmv_buf_printf(
				&d,
				TR(N_("A payment of %s to %s on %s "
				      "(merchant order no %s) matches no order in the vault."),
				   "%3$s 向 %2$s 付款 %1$s（商户单号 %4$s），保险库中没有对应的订单。"),
				kmv_money_format(a1, p->amount), mer,
				when(t1, p->ts), info.merchant_order_no));
		else
			KMV_TRY(kmv_buf_printf(
				&d,
				TR(N_("A payment of %s to %s on %s "
				      "matches no order in the vault."),
				   "%3$s 向 %2$s 付款 %1$s，保险库中没有对应的订单。"),
				kmv_money_format(a1, p->amount), mer,
				when(t1, p->ts)));
		KMV_TRY(kmv_buf_printf(
			&s,
			TR(N_("Rebuild the lost order: ask %s for the "
			      "order and its card secret, quoting payment %s; if you never "
			      "bought it, dispute the charge with %s."),
			   "请补回丢失的订单：凭付款单号 %2$s 向 %1$s 索要订单及卡密；如从未购买，请向%3$s就该笔扣款提出争议。"),
			mer, info.payment_no ? info.payment_no : "?",
			channel(c, p)));
		KMV_TRY(emit(c, T_NO_ORDER, info.merchant_order_no, &p->id, 1,
			     p->amount, p->ts, &d, &s));
		goto done;
	}
	if (p->watched && p->merchant >= 0)
		KMV_TRY(first_of_few(c, pi, &first_few));
	if (first_few) {
		KMV_TRY(get_info(c, &info, p->id));
		KMV_TRY(kmv_buf_printf(
			&d,
			TR(N_("First payment to %s (%s): %s on %s; "
			      "the merchant appears in no order and no earlier payment."),
			   "首次向 %1$s（%2$s）付款：%4$s 付款 %3$s；该商户不在任何订单或以往付款中。"),
			mer, info.category ? info.category : "?",
			kmv_money_format(a1, p->amount), when(t1, p->ts)));
		KMV_TRY(kmv_buf_printf(
			&s,
			TR(N_("Check that you made this payment; if "
			      "not, report payment %s to %s as unauthorised at once."),
			   "请确认这笔付款是否为本人所为；如不是，请立即向%2$s报告付款 %1$s 为未经授权的交易。"),
			info.payment_no ? info.payment_no : "?",
			channel(c, p)));
		KMV_TRY(emit(c, T_UNKNOWN, info.merchant_order_no, &p->id, 1,
			     p->amount, p->ts, &d, &s));
	}
done:
	info_dispose(&info);
	kmv_buf_dispose(&d);
	kmv_buf_dispose(&s);
	return error;
}

/* ---- driver --------------------------------------------------------------- */

static int cmp_finding(const void *x, const void *y)
{
	const finding *a = x, *b = y;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->records[0] != b->records[0])
		return a->records[0] < b->records[0] ? -1 : 1;
	return 0;
}

static bool wanted(const actx *c, const finding *f)
{
	const kmv_anomaly_options *o = c->opts;

	if (o->type && strcmp(o->type, types[f->type]))
		return false;
	if (o->from_ts && f->ts < o->from_ts)
		return false;
	if (o->to_ts && f->ts >= o->to_ts)
		return false;
	if (o->order_no && (!f->order_no || strcmp(o->order_no, f->order_no)))
		return false;
	return true;
}

/* The options a run refuses: an unknown type, a deadline out of range. */
static int check_options(const kmv_anomaly_options *opts)
{
	bool known = false;

	for (size_t i = 0; opts->type && i < KMV_ARRAY_SIZE(types); i++)
		known |= !strcmp(opts->type, types[i]);
	if (opts->type && !known) {
		kmv_error_set(
			KMV_ERROR_INPUT,
			"unknown anomaly type '%s' "
			"(duplicate_charge, amount_mismatch, "
			"payment_without_order, undelivered, refund_missing, "
			"unknown_merchant)",
			opts->type);
		return KMV_EUSAGE;
	}
	if (opts->deadline_hours < 0 || isnan(opts->deadline_hours) ||
	    opts->deadline_hours > 24.0 * 3650 || opts->refund_grace_s < 0) {
		kmv_error_set(KMV_ERROR_INPUT, "the deadline must be between 0 "
					       "and 87600 hours");
		return KMV_EUSAGE;
	}
	return 0;
}

/* Every finding of every order and payment, sorted. */
static int find_all(actx *c)
{
	int error = 0;

	KMV_TRY(orphan_duplicates(c));
	for (size_t i = 0; i < c->m.norders; i++)
		KMV_TRY(order_findings(c, (int32_t)i));
	for (size_t i = 0; i < c->m.npays; i++)
		KMV_TRY(pay_findings(c, (int32_t)i));
	if (c->nf)
		qsort(c->f, c->nf, sizeof(*c->f), cmp_finding);
done:
	return error;
}

/* The findings the options ask for, to the callback (its non-zero
 * return ends the walk and is returned). */
static int report(actx *c, kmv_anomaly_cb cb, void *payload)
{
	for (size_t i = 0; i < c->nf; i++) {
		const finding *f = &c->f[i];
		kmv_anomaly a;
		int rc;

		if (!wanted(c, f))
			continue;
		a.type = types[f->type];
		a.order_no = f->order_no;
		a.records = f->records;
		a.nrecords = f->nrecords;
		a.amount = f->amount;
		a.ts = f->ts;
		a.detail = f->detail;
		a.suggestion = f->suggestion;
		if ((rc = cb(&a, payload)) != 0)
			return rc;
	}
	return 0;
}

static void actx_dispose(actx *c)
{
	for (size_t i = 0; i < c->nf; i++) {
		free(c->f[i].order_no);
		free(c->f[i].records);
		free(c->f[i].detail);
		free(c->f[i].suggestion);
	}
	free(c->f);
	sqlite3_finalize(c->info);
	kmv_model__dispose(&c->m);
	kmv_paid__dispose(&c->paid);
	free(c->in_group);
	free(c->cover_end);
	free(c->first_pay);
	free(c->pay_count);
	free(c->platform_merchant);
	free(c->order_names);
	free(c->cover_asked);
}

static int run(kmv_vault *vault, const kmv_anomaly_options *opts,
	       kmv_anomaly_cb cb, void *payload, bool may_scope)
{
	kmv_anomaly_options defaults = KMV_ANOMALY_OPTIONS_INIT;
	actx c;
	int error = 0;

	KMV_ASSERT_ARG(vault && cb);
	if (!opts)
		opts = &defaults;
	if ((error = check_options(opts)) < 0)
		return error;
	memset(&c, 0, sizeof(c));
	c.m = (kmv_model)KMV_MODEL_INIT;
	c.paid = (kmv_paid)KMV_PAID_INIT;
	c.db = kmv_vault__db(vault);
	c.opts = opts;
	c.now = kmv_time_now().epoch;
	c.deadline_s = (int64_t)llround(opts->deadline_hours * 3600.0);
	c.grace_s = opts->refund_grace_s ? opts->refund_grace_s
					 : DEFAULT_GRACE_S;

	/* one order asked about: only its records (scope.c) */
	if (may_scope && opts->order_no)
		KMV_TRY(kmv_scope__build(c.db, opts->order_no, &c.scoped));
	c.m.scoped = c.scoped;
	KMV_TRY(prepare(&c));
	KMV_TRY(find_all(&c));
	error = report(&c, cb, payload);
done:
	actx_dispose(&c);
	if (c.scoped && kmv_scope__drop(c.db) < 0 && error >= 0)
		error = KMV_ERROR;
	return error;
}

int kmv_anomalies_foreach(kmv_vault *vault, const kmv_anomaly_options *opts,
			  kmv_anomaly_cb cb, void *payload)
{
	return run(vault, opts, cb, payload, true);
}

int kmv_anomalies__foreach_whole(kmv_vault *vault,
				 const kmv_anomaly_options *opts,
				 kmv_anomaly_cb cb, void *payload)
{
	return run(vault, opts, cb, payload, false);
}
