/* SPDX-License-Identifier: MIT */
/*
 * Reminders: everything with a date that the user must act on before it
 * passes.  Collected from memberships, cases and records into one list,
 * then sorted by urgency so a cron mail starts with what is overdue.
 */
#include "common.h"
#include "backup/internal.h"
#include "kmv/anomaly.h"
#include "kmv/datetime.h"
#include "kmv/money.h"
#include "kmv/remind.h"
#include "store/vault.h"

#include <inttypes.h>

struct item {
	const char *type;       /* static */
	char due[KMV_TIME_BUFSZ];
	int64_t days_left;
	int64_t ref;
	char *subject;
	char *detail;
	int64_t amount;
};

struct list {
	struct item *items;
	size_t count, alloc;
	int64_t today;
	int days;
};

static int push(struct list *l, const char *type, const char *due,
		int64_t days_left, int64_t ref, const char *subject,
		const kmv_buf *detail, int64_t amount)
{
	struct item *it;

	if (l->count == l->alloc) {
		size_t n = l->alloc ? l->alloc * 2 : 16;
		struct item *p = realloc(l->items, n * sizeof(*p));

		if (!p)
			return kmv_error_nomem();
		l->items = p;
		l->alloc = n;
	}
	it = &l->items[l->count];
	memset(it, 0, sizeof(*it));
	it->type = type;
	snprintf(it->due, sizeof(it->due), "%s", due ? due : "");
	it->days_left = days_left;
	it->ref = ref;
	it->amount = amount;
	it->subject = strdup(subject ? subject : "");
	it->detail = strdup(detail->ptr);
	l->count++;
	if (!it->subject || !it->detail)
		return kmv_error_nomem();
	return 0;
}

static void list_dispose(struct list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].subject);
		free(l->items[i].detail);
	}
	free(l->items);
}

/* "in 3 days" / "today" / "2 days ago" */
static int when_text(kmv_buf *b, int64_t days_left)
{
	if (days_left == 0)
		return kmv_buf_puts(b, "today");
	if (days_left == 1)
		return kmv_buf_puts(b, "tomorrow");
	if (days_left > 1)
		return kmv_buf_printf(b, "in %" PRId64 " days", days_left);
	if (days_left == -1)
		return kmv_buf_puts(b, "yesterday");
	return kmv_buf_printf(b, "%" PRId64 " days ago", -days_left);
}

static int memberships(struct list *l, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	kmv_buf subject = KMV_BUF_INIT, detail = KMV_BUF_INIT;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db,
		"SELECT id, platform, level, expiry_date, auto_renew, "
		"inactivity_days, last_login, price FROM memberships "
		"WHERE status = 'active' ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), exp, login, left;
		int64_t price = sqlite3_column_type(st, 7) == SQLITE_NULL
					? -1 : sqlite3_column_int64(st, 7);
		int64_t inactivity = sqlite3_column_int64(st, 5);
		const char *platform = kmv_db__text_or_empty(st, 1);
		const char *level = kmv_db__text_or_empty(st, 2);
		const char *expiry = kmv_db__text_or_empty(st, 3);
		const char *last_login = kmv_db__text_or_empty(st, 6);
		char date[KMV_DATE_BUFSZ];

		kmv_buf_clear(&subject);
		KMV_TRY(kmv_buf_puts(&subject, platform));
		if (*level)
			KMV_TRY(kmv_buf_printf(&subject, " %s", level));
		if (*expiry && kmv_date__parse(&exp, expiry, "expiry") == 0 &&
		    (left = exp - l->today) <= l->days) {
			kmv_buf_clear(&detail);
			KMV_TRY(kmv_buf_printf(&detail, "membership %" PRId64
					       " (%s) %s ", id, subject.ptr,
					       left < 0 ? "expired" : "expires"));
			KMV_TRY(when_text(&detail, left));
			KMV_TRY(kmv_buf_printf(&detail, " (%s)", expiry));
			if (sqlite3_column_int(st, 4))
				KMV_TRY(kmv_buf_puts(&detail, left < 0
					? "; it should have renewed itself: "
					  "check the charge, then 'member renew'"
					: "; it renews automatically: expect "
					  "the charge"));
			else
				KMV_TRY(kmv_buf_puts(&detail, left < 0
					? "; renew it or 'member end' it"
					: "; renew it in time"));
			KMV_TRY(push(l, "membership_expiry", expiry, left, id,
				     subject.ptr, &detail, price));
		}
		if (inactivity > 0 && *last_login &&
		    kmv_date__parse(&login, last_login, "last login") == 0 &&
		    (left = login + inactivity - l->today) <= l->days) {
			kmv_date__format(date, login + inactivity);
			kmv_buf_clear(&detail);
			KMV_TRY(kmv_buf_printf(&detail, "membership %" PRId64
					       " (%s) is downgraded after %" PRId64
					       " days without login: last login %s, "
					       "log in by %s (", id, subject.ptr,
					       inactivity, last_login, date));
			KMV_TRY(when_text(&detail, left));
			KMV_TRY(kmv_buf_puts(&detail, ")"));
			KMV_TRY(push(l, "membership_inactivity", date, left, id,
				     subject.ptr, &detail, -1));
		}
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read memberships");
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&subject);
	kmv_buf_dispose(&detail);
	return error;
}

static int cases(struct list *l, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	kmv_buf detail = KMV_BUF_INIT;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db,
		"SELECT c.id, c.reason, c.status, c.deadline, c.counterparty, "
		" (SELECT COALESCE(r.order_no, r.merchant_order_no) FROM "
		"  case_records cr JOIN records r ON r.id = cr.record_id "
		"  WHERE cr.case_id = c.id ORDER BY r.kind <> 'order', r.id "
		"  LIMIT 1),"
		" (SELECT r.amount FROM case_records cr JOIN records r ON "
		"  r.id = cr.record_id WHERE cr.case_id = c.id "
		"  ORDER BY r.kind <> 'order', r.id LIMIT 1)"
		" FROM cases c WHERE c.closed_at IS NULL AND c.deadline IS NOT "
		" NULL ORDER BY c.id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), due, left;
		int64_t amount = sqlite3_column_type(st, 6) == SQLITE_NULL
					 ? -1 : sqlite3_column_int64(st, 6);
		const char *reason = kmv_db__text_or_empty(st, 1);
		const char *status = kmv_db__text_or_empty(st, 2);
		const char *deadline = kmv_db__text_or_empty(st, 3);
		const char *counterparty = kmv_db__text_or_empty(st, 4);
		const char *order_no = kmv_db__text_or_empty(st, 5);

		if (kmv_date__parse(&due, deadline, "deadline") < 0)
			continue;
		left = due - l->today;
		if (left > l->days)
			continue;
		kmv_buf_clear(&detail);
		KMV_TRY(kmv_buf_printf(&detail, "case %" PRId64 " (%s, order %s"
				       "%s%s) is %s; reply deadline %s (", id,
				       reason, order_no,
				       *counterparty ? " at " : "", counterparty,
				       status, deadline));
		KMV_TRY(when_text(&detail, left));
		KMV_TRY(kmv_buf_puts(&detail, left < 0
			? "): no reply in time, escalate it "
			  "(e.g. to the payment platform) and 'case update'"
			: ")"));
		KMV_TRY(push(l, "case_deadline", deadline, left, id,
			     order_no, &detail, amount));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read cases");
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&detail);
	return error;
}

static bool have_undelivered(const struct list *l, const char *order_no)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].type, "undelivered") == 0 &&
		    strcmp(l->items[i].subject, order_no) == 0)
			return true;
	return false;
}

static int push_undelivered(struct list *l, const char *order_no, int64_t ts,
			    int64_t deadline_secs, int64_t ref, int64_t amount,
			    const char *status)
{
	kmv_time due = { ts + deadline_secs, KMV_TZ_CST };
	kmv_buf detail = KMV_BUF_INIT;
	char when[KMV_TIME_BUFSZ], money[KMV_MONEY_BUFSZ];
	int error = 0;

	if (have_undelivered(l, order_no))
		return 0;
	kmv_time_format(when, &due);
	KMV_TRY(kmv_buf_printf(&detail, "order %s", order_no));
	if (amount >= 0)
		KMV_TRY(kmv_buf_printf(&detail, " (%s)",
				       kmv_money_format(money, amount)));
	KMV_TRY(kmv_buf_printf(&detail, " is still %s past its delivery "
			       "deadline %s: ask the shop, then 'case open %s "
			       "--reason undelivered'", status, when, order_no));
	/* the same day count as the anomaly's "N days after its deadline" */
	KMV_TRY(push(l, "undelivered", when,
		     kmv_days_between(kmv_time_now().epoch, due.epoch), ref,
		     order_no, &detail, amount));
done:
	kmv_buf_dispose(&detail);
	return error;
}

struct anomaly_ctx {
	struct list *l;
	int64_t deadline_secs;
	int error;
};

static int on_anomaly(const kmv_anomaly *a, void *payload)
{
	struct anomaly_ctx *c = payload;

	if (!a->order_no || strcmp(a->type, "undelivered") != 0)
		return 0;
	c->error = push_undelivered(c->l, a->order_no, a->ts, c->deadline_secs,
				    a->nrecords ? a->records[0] : 0, a->amount,
				    "undelivered");
	return c->error;
}

static int undelivered(struct list *l, kmv_vault *vault, double hours)
{
	kmv_anomaly_options ao = KMV_ANOMALY_OPTIONS_INIT;
	struct anomaly_ctx ctx = { l, (int64_t)(hours * 3600), 0 };
	sqlite3 *db = kmv_vault__db(vault);
	sqlite3_stmt *st = NULL;
	kmv_time now = kmv_time_now();
	int error = 0, rc;

	ao.type = "undelivered";
	ao.deadline_hours = hours;
	error = kmv_anomalies_foreach(vault, &ao, on_anomaly, &ctx);
	if (ctx.error < 0)
		return ctx.error;
	if (error < 0)
		return error;
	/*
	 * Also straight from the orders: the anomaly detector may not know
	 * an order it has nothing to match with, and the last state an
	 * export showed is what the user sees too.
	 */
	KMV_TRY(kmv_db__prepare(&st, db,
		"SELECT id, order_no, ts, amount, status FROM records "
		"WHERE kind = 'order' AND deleted_at IS NULL AND order_no IS "
		"NOT NULL AND status IN ('paid','processing') AND ts <= ? "
		/* a delivery receipt is a later event the export missed */
		"AND NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = "
		"'receipt' AND r.deleted_at IS NULL AND r.order_no = "
		"records.order_no AND (r.status IN ('delivered','completed') "
		"OR coalesce(r.card_secret, '') <> '')) ORDER BY ts"));
	sqlite3_bind_int64(st, 1, now.epoch - ctx.deadline_secs);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		KMV_TRY(push_undelivered(l, kmv_db__text_or_empty(st, 1),
					 sqlite3_column_int64(st, 2),
					 ctx.deadline_secs,
					 sqlite3_column_int64(st, 0),
					 sqlite3_column_type(st, 3) == SQLITE_NULL
						 ? -1 : sqlite3_column_int64(st, 3),
					 kmv_db__text_or_empty(st, 4)));
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read orders");
done:
	sqlite3_finalize(st);
	return error;
}

static int retention(struct list *l, sqlite3 *db, int years)
{
	sqlite3_stmt *st = NULL;
	kmv_buf detail = KMV_BUF_INIT;
	int64_t lo = l->today - (int64_t)years * 366 - 2;
	int64_t hi = l->today + l->days - (int64_t)years * 365 + 2;
	int error = 0, rc;

	/* A coarse ts window first; the exact anniversary is computed below. */
	KMV_TRY(kmv_db__prepare(&st, db,
		"SELECT id, COALESCE(order_no, merchant_order_no), ts, amount, "
		"platform FROM records WHERE kind = 'order' AND deleted_at IS "
		"NULL AND ts BETWEEN ? AND ? ORDER BY ts"));
	sqlite3_bind_int64(st, 1, lo * 86400 - KMV_TZ_CST * 60);
	sqlite3_bind_int64(st, 2, (hi + 1) * 86400 - KMV_TZ_CST * 60);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t day = kmv_date__of_epoch(sqlite3_column_int64(st, 2));
		int64_t y, anniv, left;
		int64_t amount = sqlite3_column_type(st, 3) == SQLITE_NULL
					 ? -1 : sqlite3_column_int64(st, 3);
		unsigned m, d;
		char date[KMV_DATE_BUFSZ], bought[KMV_DATE_BUFSZ];
		const char *order_no = kmv_db__text_or_empty(st, 1);
		const char *platform = kmv_db__text_or_empty(st, 4);

		kmv_civil_from_days(day, &y, &m, &d);
		/* 29 February turns into 1 March in a common year. */
		anniv = kmv_days_from_civil(y + years, m, 1) + d - 1;
		left = anniv - l->today;
		if (left < 0 || left > l->days || !*order_no)
			continue;
		kmv_date__format(date, anniv);
		kmv_date__format(bought, day);
		kmv_buf_clear(&detail);
		KMV_TRY(kmv_buf_printf(&detail, "order %s%s%s of %s turns %d "
				       "years old on %s (", order_no,
				       *platform ? " at " : "", platform,
				       bought, years, date));
		KMV_TRY(when_text(&detail, left));
		KMV_TRY(kmv_buf_printf(&detail, "): platforms may purge it; "
				       "keep its evidence with 'kmvault "
				       "evidence create %s'", order_no));
		KMV_TRY(push(l, "retention", date, left,
			     sqlite3_column_int64(st, 0), order_no, &detail,
			     amount));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read orders");
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&detail);
	return error;
}

static int type_rank(const char *type)
{
	static const char *const order[] = {
		"case_deadline", "undelivered", "membership_expiry",
		"membership_inactivity", "retention",
	};

	for (size_t i = 0; i < KMV_ARRAY_SIZE(order); i++)
		if (strcmp(type, order[i]) == 0)
			return (int)i;
	return (int)KMV_ARRAY_SIZE(order);
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->days_left != y->days_left)
		return x->days_left < y->days_left ? -1 : 1;
	if (type_rank(x->type) != type_rank(y->type))
		return type_rank(x->type) - type_rank(y->type);
	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

int kmv_remind_foreach(kmv_vault *vault, const kmv_remind_options *opts,
		       kmv_reminder_cb cb, void *payload)
{
	kmv_remind_options defaults = KMV_REMIND_OPTIONS_INIT;
	struct list l = { NULL, 0, 0, 0, 0 };
	sqlite3 *db;
	int error = 0;

	KMV_ASSERT_ARG(vault && cb);
	if (!opts)
		opts = &defaults;
	db = kmv_vault__db(vault);
	l.today = kmv_date__today();
	l.days = opts->days >= 0 ? opts->days : 7;
	KMV_TRY(memberships(&l, db));
	KMV_TRY(cases(&l, db));
	KMV_TRY(undelivered(&l, vault, opts->undelivered_hours > 0
					       ? opts->undelivered_hours : 2.0));
	KMV_TRY(retention(&l, db, opts->retention_years > 0
					  ? opts->retention_years : 3));
	if (l.count > 1)
		qsort(l.items, l.count, sizeof(*l.items), cmp_item);
	for (size_t i = 0; i < l.count; i++) {
		kmv_reminder r;

		r.type = l.items[i].type;
		r.due = l.items[i].due;
		r.days_left = l.items[i].days_left;
		r.ref = l.items[i].ref;
		r.subject = l.items[i].subject;
		r.detail = l.items[i].detail;
		r.amount = l.items[i].amount;
		if ((error = cb(&r, payload)) != 0)
			break;
	}
done:
	list_dispose(&l);
	return error;
}
