/* SPDX-License-Identifier: MIT */
/*
 * Collect a period's records and totals from the vault (plain SQL on the
 * vault database).  The card_secret column is never selected: reports
 * cannot leak what they never load.
 *
 * The headline (docs/reports.md "What counts"): 净支出 = 支出 − 退款及收入,
 * each term the sum of its rows.  What a row adds, and why a row adds
 * nothing, comes from match/paid.h, the answer anomalies use too.
 */
#include "common.h"
#include "report/report.h"
#include "match/model.h"
#include "match/paid.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/records.h"

#include "kmv/anomaly.h"
#include "kmvutil/money.h"

/* ---- string pool ------------------------------------------------------ */

int kmv_strpool__dup(kmv_strpool *pool, const char **out, const char *s)
{
	char *copy;

	*out = NULL;
	if (!s)
		return 0;
	if (KMV_ARRAY_GROW(pool->items, pool->alloc, pool->count + 1) < 0)
		return kmv_error_nomem();
	if (!(copy = strdup(s)))
		return kmv_error_nomem();
	pool->items[pool->count++] = copy;
	*out = copy;
	return 0;
}

int kmv_strpool__own(kmv_strpool *pool, void *block)
{
	if (KMV_ARRAY_GROW(pool->items, pool->alloc, pool->count + 1) < 0) {
		free(block);
		return kmv_error_nomem();
	}
	pool->items[pool->count++] = block;
	return 0;
}

void kmv_strpool__dispose(kmv_strpool *pool)
{
	for (size_t i = 0; i < pool->count; i++)
		free(pool->items[i]);
	free(pool->items);
	pool->items = NULL;
	pool->count = pool->alloc = 0;
}

const char *kmv_report__money(char out[40], int64_t fen)
{
	char plain[KMV_MONEY_BUFSZ];
	const char *p = kmv_money_format(plain, fen);
	const char *dot = strchr(p, '.');
	size_t o = 0, ndigits;
	const char *digits = p;

	if (*digits == '-')
		out[o++] = *digits++;
	ndigits = (size_t)(dot - digits);
	for (size_t i = 0; i < ndigits; i++) {
		if (i > 0 && (ndigits - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, 40 - o, "%s", dot);
	return out;
}

/* ---- periods ---------------------------------------------------------- */

static int parse_ymd(int64_t *y, unsigned *m, unsigned *d, const char *s)
{
	int n = 0;
	int yy, mm, dd;

	if (!s || sscanf(s, "%4d-%2d-%2d%n", &yy, &mm, &dd, &n) != 3 ||
	    n != 10 || s[n] != '\0' || mm < 1 || mm > 12 || dd < 1 ||
	    yy < 1970 || yy > 9999)
		return KMV_EUSAGE;
	{
		int64_t days = kmv_days_from_civil(yy, (unsigned)mm,
						   (unsigned)dd);
		int64_t ry;
		unsigned rm, rd;

		kmv_civil_from_days(days, &ry, &rm, &rd);
		if (ry != yy || rm != (unsigned)mm || rd != (unsigned)dd)
			return KMV_EUSAGE;
	}
	*y = yy;
	*m = (unsigned)mm;
	*d = (unsigned)dd;
	return 0;
}

static void fill_days(kmv_report_period *p, int64_t first, int64_t last)
{
	int64_t y;
	unsigned m, d;

	kmv_civil_from_days(first, &y, &m, &d);
	snprintf(p->first_day, sizeof(p->first_day), "%04d-%02u-%02u", (int)y,
		 m, d);
	kmv_civil_from_days(last, &y, &m, &d);
	snprintf(p->last_day, sizeof(p->last_day), "%04d-%02u-%02u", (int)y, m,
		 d);
	p->offset_min = KMV_TZ_CST;
	p->from = first * 86400 - KMV_TZ_CST * 60;
	p->to = (last + 1) * 86400 - KMV_TZ_CST * 60;
}

int kmv_report_period_month(kmv_report_period *out, const char *month)
{
	int y = 0, m = 0, n = 0;
	int64_t first, next;

	memset(out, 0, sizeof(*out));
	if (!month || sscanf(month, "%4d-%2d%n", &y, &m, &n) != 2 || n != 7 ||
	    month[n] != '\0' || m < 1 || m > 12 || y < 1970 || y > 9999) {
		kmv_error_set(KMV_ERROR_INPUT, "'%s' is not a month (YYYY-MM)",
			      month ? month : "");
		return KMV_EUSAGE;
	}
	first = kmv_days_from_civil(y, (unsigned)m, 1);
	next = m == 12 ? kmv_days_from_civil(y + 1, 1, 1)
		       : kmv_days_from_civil(y, (unsigned)m + 1, 1);
	fill_days(out, first, next - 1);
	snprintf(out->label, sizeof(out->label), "%04d-%02d", y, m);
	return 0;
}

int kmv_report_period_range(kmv_report_period *out, const char *from,
			    const char *to)
{
	int64_t y1, y2;
	unsigned m1, d1, m2, d2;
	int64_t a, b;

	memset(out, 0, sizeof(*out));
	if (parse_ymd(&y1, &m1, &d1, from) < 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s' is not a date (YYYY-MM-DD)",
			      from ? from : "");
		return KMV_EUSAGE;
	}
	if (parse_ymd(&y2, &m2, &d2, to) < 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s' is not a date (YYYY-MM-DD)", to ? to : "");
		return KMV_EUSAGE;
	}
	a = kmv_days_from_civil(y1, m1, d1);
	b = kmv_days_from_civil(y2, m2, d2);
	if (b < a) {
		kmv_error_set(KMV_ERROR_INPUT, "--to %s is before --from %s",
			      to, from);
		return KMV_EUSAGE;
	}
	fill_days(out, a, b);
	snprintf(out->label, sizeof(out->label), "%s – %s", out->first_day,
		 out->last_day);
	return 0;
}

int kmv_report_format_parse(kmv_report_format *out, const char *name)
{
	if (name && strcmp(name, "csv") == 0)
		*out = KMV_REPORT_CSV;
	else if (name && strcmp(name, "xlsx") == 0)
		*out = KMV_REPORT_XLSX;
	else if (name && strcmp(name, "pdf") == 0)
		*out = KMV_REPORT_PDF;
	else if (name && strcmp(name, "beancount") == 0)
		*out = KMV_REPORT_BEANCOUNT;
	else if (name && strcmp(name, "ledger") == 0)
		*out = KMV_REPORT_LEDGER;
	else {
		kmv_error_set(KMV_ERROR_INPUT,
			      "unknown format '%s' (csv, xlsx, "
			      "pdf, beancount or ledger)",
			      name ? name : "");
		return KMV_EUSAGE;
	}
	return 0;
}

/* ---- rows ------------------------------------------------------------ */

/*
 * The period's records (store/records.h, without the card secret).  What
 * each row adds to the headline is not decided here: paid.h's
 * kmv_paid__count_*() answer it for reports and anomalies alike.
 */
static const char rows_where[] =
	" WHERE r.deleted_at IS NULL AND r.ts >= ? AND r.ts < ?"
	" ORDER BY r.ts, r.id";

const char *kmv_report_term_name(kmv_report_term term)
{
	switch (term) {
	case KMV_TERM_SPENT: return "spent";
	case KMV_TERM_BACK: return "back";
	default: return "none";
	}
}

struct tally {
	kmv_report_total *items;
	size_t count, alloc;
};

static int tally_add(struct tally *t, kmv_strpool *pool, const char *key,
		     int64_t amount)
{
	int error;

	for (size_t i = 0; i < t->count; i++) {
		if (strcmp(t->items[i].key, key) == 0) {
			t->items[i].amount += amount;
			t->items[i].count++;
			return 0;
		}
	}
	if ((error = KMV_ARRAY_GROW(t->items, t->alloc, t->count + 1)) < 0)
		return error;
	memset(&t->items[t->count], 0, sizeof(t->items[0]));
	if ((error = kmv_strpool__dup(pool, &t->items[t->count].key, key)) < 0)
		return error;
	t->items[t->count].amount = amount;
	t->items[t->count].count = 1;
	t->count++;
	return 0;
}

static int by_amount_desc(const void *a, const void *b)
{
	const kmv_report_total *x = a, *y = b;

	if (x->amount != y->amount)
		return x->amount < y->amount ? 1 : -1;
	return strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
	const kmv_report_total *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static void tally_move(kmv_report_totals *out, struct tally *t, bool by_amount)
{
	if (t->count)
		qsort(t->items, t->count, sizeof(t->items[0]),
		      by_amount ? by_amount_desc : by_key);
	out->items = t->items;
	out->count = t->count;
	t->items = NULL;
	t->count = t->alloc = 0;
}

/* ---- anomalies -------------------------------------------------------- */

struct anomaly_acc {
	kmv_report *report;
	kmv_strpool *pool;
	size_t alloc;
};

static int take_anomaly(const kmv_anomaly *a, void *payload)
{
	struct anomaly_acc *acc = payload;
	kmv_report *r = acc->report;
	kmv_report_anomaly *x;
	int error = 0;

	if ((error = KMV_ARRAY_GROW(r->anomalies, acc->alloc,
				    r->nanomalies + 1)) < 0)
		return error;
	x = &r->anomalies[r->nanomalies];
	memset(x, 0, sizeof(*x));
	x->amount = a->amount;
	x->ts = a->ts;
	KMV_TRY(kmv_strpool__dup(acc->pool, &x->type, a->type));
	KMV_TRY(kmv_strpool__dup(acc->pool, &x->order_no, a->order_no));
	KMV_TRY(kmv_strpool__dup(acc->pool, &x->detail, a->detail));
	KMV_TRY(kmv_strpool__dup(acc->pool, &x->suggestion, a->suggestion));
	if (a->nrecords) {
		int64_t *ids = malloc(a->nrecords * sizeof(*ids));

		if (!ids) {
			error = kmv_error_nomem();
			goto done;
		}
		memcpy(ids, a->records, a->nrecords * sizeof(*ids));
		KMV_TRY(kmv_strpool__own(acc->pool, ids));
		x->records = ids;
		x->nrecords = a->nrecords;
	}
	r->nanomalies++;
done:
	return error;
}

/* ---- collect ---------------------------------------------------------- */

static int load_rows(kmv_report *r, kmv_strpool *pool, sqlite3 *db)
{
	kmv_buf sql = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int error = 0, rc;

	KMV_TRY(kmv_record__select(&sql, KMV_RECORD__NO_SECRET, NULL));
	KMV_TRY(kmv_buf_puts(&sql, rows_where));
	KMV_TRY(kmv_db__prepare(&st, db, sql.ptr));
	sqlite3_bind_int64(st, 1, r->period.from);
	sqlite3_bind_int64(st, 2, r->period.to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kmv_report_row *row;
		char when[KMV_TIME_BUFSZ];

		if ((error = KMV_ARRAY_GROW(r->rows, alloc, r->nrows + 1)) < 0)
			goto done;
		row = &r->rows[r->nrows];
		memset(row, 0, sizeof(*row));
		r->nrows++; /* disposed with the report from here on */
		KMV_TRY(kmv_record__from_row(&row->rec, st, 0, false));
		if (row->rec.has_time)
			KMV_TRY(kmv_strpool__dup(
				pool, &row->time,
				kmv_time_format(when, &row->rec.time)));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read the records");
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&sql);
	return error;
}

/*
 * Each row's term, amount and reason from the shared answer (paid.h).
 * The model holds every live record, not only the period's: a refund in
 * March of a charge in February needs February's charge.
 */
static int count_rows(kmv_report *r, kmv_strpool *pool, sqlite3 *db)
{
	kmv_model m = KMV_MODEL_INIT;
	kmv_paid paid = KMV_PAID_INIT;
	sqlite3_stmt *cat = NULL;
	int error = 0;

	KMV_TRY(kmv_paid__load(&paid, &m, db, NULL, NULL));
	KMV_TRY(kmv_db__prepare(&cat, db,
				"SELECT category FROM records WHERE id = ?"));
	for (size_t i = 0; i < r->nrows; i++) {
		kmv_report_row *row = &r->rows[i];
		kmv_paid_count c = { 0, 0, KMV_PAID_TERM_NONE,
				     KMV_PAID_WHY_RECEIPT };
		const char *platform = NULL;
		int32_t k;

		if (row->rec.kind == KMV_KIND_ORDER &&
		    (k = kmv_model__order(&m, row->rec.id)) >= 0) {
			c = kmv_paid__count_order(&paid, k);
		} else if (row->rec.kind == KMV_KIND_PAYMENT &&
			   (k = kmv_model__pay(&m, row->rec.id)) >= 0) {
			c = kmv_paid__count_pay(&paid, k);
			/* a payment's platform is its order's */
			if (paid.pay_order[k] >= 0 &&
			    m.orders[paid.pay_order[k]].platform >= 0)
				platform = kmv_strmap__key(
					&m.names,
					m.orders[paid.pay_order[k]].platform);
		}
		row->term = c.term == KMV_PAID_TERM_SPENT  ? KMV_TERM_SPENT
			    : c.term == KMV_PAID_TERM_BACK ? KMV_TERM_BACK
							   : KMV_TERM_NONE;
		row->spend = c.amount;
		row->count_via = c.via;
		KMV_TRY(kmv_strpool__dup(pool, &row->count,
					 kmv_paid__why_name(c.why)));
		if (!platform)
			platform = row->rec.platform ? row->rec.platform
				   : row->rec.merchant
					   ? row->rec.merchant
					   : KMV_REPORT_W(r, "未知", "unknown");
		KMV_TRY(kmv_strpool__dup(pool, &row->group_platform, platform));
		/* a refund's charge may lie before the period: its category
		 * tells the ledgers which expense the refund reverses */
		if (c.via && c.why == KMV_PAID_WHY_REFUND) {
			sqlite3_reset(cat);
			sqlite3_bind_int64(cat, 1, c.via);
			if (sqlite3_step(cat) == SQLITE_ROW)
				KMV_TRY(kmv_strpool__dup(
					pool, &row->via_category,
					(const char *)sqlite3_column_text(cat,
									  0)));
		}
	}
done:
	sqlite3_finalize(cat);
	kmv_paid__dispose(&paid);
	kmv_model__dispose(&m);
	return error;
}

static int compute_totals(kmv_report *r, kmv_strpool *pool)
{
	struct tally plat = { 0 }, cat = { 0 }, month = { 0 }, day = { 0 };
	int64_t first_day, last_day;
	int error = 0;

	/* Every day of the period appears in the chart, spending or not. */
	first_day = (r->period.from + r->period.offset_min * 60) / 86400;
	last_day = (r->period.to - 1 + r->period.offset_min * 60) / 86400;
	for (int64_t d = first_day; d <= last_day; d++) {
		int64_t y;
		unsigned m, dd;
		char key[16];

		kmv_civil_from_days(d, &y, &m, &dd);
		snprintf(key, sizeof(key), "%04d-%02u-%02u", (int)y, m, dd);
		KMV_TRY(tally_add(&day, pool, key, 0));
		day.items[day.count - 1].count = 0;
	}
	for (size_t i = 0; i < r->nrows; i++) {
		const kmv_report_row *row = &r->rows[i];
		char key[16];

		switch (row->term) {
		case KMV_TERM_SPENT:
			r->total_spent += row->spend;
			r->nspent++;
			break;
		case KMV_TERM_BACK:
			r->total_back -= row->spend;
			r->nback++;
			break;
		default: r->nnone++; continue;
		}
		KMV_TRY(tally_add(&plat, pool, row->group_platform,
				  row->spend));
		KMV_TRY(tally_add(&cat, pool,
				  row->rec.category
					  ? row->rec.category
					  : KMV_REPORT_W(r, "未分类",
							 "uncategorized"),
				  row->spend));
		if (row->time && strlen(row->time) >= 10) {
			snprintf(key, sizeof(key), "%.7s", row->time);
			KMV_TRY(tally_add(&month, pool, key, row->spend));
			snprintf(key, sizeof(key), "%.10s", row->time);
			KMV_TRY(tally_add(&day, pool, key, row->spend));
		}
	}
	r->total_spend = r->total_spent - r->total_back;
	tally_move(&r->by_platform, &plat, true);
	tally_move(&r->by_category, &cat, true);
	tally_move(&r->by_month, &month, false);
	tally_move(&r->by_day, &day, false);
done:
	free(plat.items);
	free(cat.items);
	free(month.items);
	free(day.items);
	return error;
}

/* Which anomalies name each row ("duplicate_charge,undelivered"). */
static int mark_anomalies(kmv_report *r, kmv_strpool *pool)
{
	kmv_buf types = KMV_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		kmv_report_row *row = &r->rows[i];

		kmv_buf_clear(&types);
		for (size_t a = 0; a < r->nanomalies; a++) {
			const kmv_report_anomaly *x = &r->anomalies[a];
			bool named = false;

			for (size_t k = 0; k < x->nrecords && !named; k++)
				named = x->records[k] == row->rec.id;
			if (!named ||
			    (types.size && strstr(types.ptr, x->type)))
				continue;
			KMV_TRY(kmv_buf_printf(&types, "%s%s",
					       types.size ? "," : "", x->type));
		}
		if (types.size)
			KMV_TRY(kmv_strpool__dup(pool, &row->anomalies,
						 types.ptr));
	}
done:
	kmv_buf_dispose(&types);
	return error;
}

int kmv_report_collect(kmv_report **out, kmv_vault *vault,
		       const kmv_report_period *period)
{
	return kmv_report_collect_lang(out, vault, period, KMV_LANG_ZH);
}

int kmv_report_collect_lang(kmv_report **out, kmv_vault *vault,
			    const kmv_report_period *period, int lang)
{
	kmv_anomaly_options aopts = KMV_ANOMALY_OPTIONS_INIT;
	struct anomaly_acc acc = { 0 };
	kmv_report__owner *owner;
	kmv_report *r = NULL;
	kmv_strpool *pool = NULL;
	kmv_time now;
	int error = 0;

	KMV_ASSERT_ARG(out && vault && period);
	*out = NULL;
	if (!(owner = calloc(1, sizeof(*owner))))
		return kmv_error_nomem();
	r = &owner->report;
	pool = &owner->pool;
	owner->vault = vault;
	r->period = *period;
	r->lang = kmv_lang_resolve((kmv_lang)lang);
	now = kmv_time_now();
	kmv_time_format(r->generated_at, &now);
	KMV_TRY(load_rows(r, pool, kmv_vault__db(vault)));
	KMV_TRY(count_rows(r, pool, kmv_vault__db(vault)));
	KMV_TRY(compute_totals(r, pool));
	aopts.from_ts = period->from;
	aopts.to_ts = period->to;
	aopts.lang = r->lang; /* the document's sentences */
	acc.report = r;
	acc.pool = pool;
	KMV_TRY(kmv_anomalies_foreach(vault, &aopts, take_anomaly, &acc));
	KMV_TRY(mark_anomalies(r, pool));
	*out = r;
	r = NULL;
done:
	kmv_report_free(r);
	return error;
}

kmv_report__owner *kmv_report__owner_of(const kmv_report *report)
{
	return (kmv_report__owner *)(void *)((char *)(uintptr_t)report -
					     offsetof(kmv_report__owner,
						      report));
}

void kmv_report_free(kmv_report *report)
{
	if (!report)
		return;
	kmv_strpool__dispose(&kmv_report__owner_of(report)->pool);
	for (size_t i = 0; i < report->nrows; i++)
		kmv_record_dispose(&report->rows[i].rec);
	free(report->rows);
	free(report->by_platform.items);
	free(report->by_category.items);
	free(report->by_month.items);
	free(report->by_day.items);
	free(report->anomalies);
	free(kmv_report__owner_of(report));
}
