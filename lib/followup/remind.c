/* SPDX-License-Identifier: MIT */
/*
 * Reminders: everything with a date that the user must act on before it
 * passes.  Collected from memberships, cases and records into one list,
 * then sorted by urgency so a cron mail starts with what is overdue.
 */
#include "common.h"
#include "kmv/i18n.h"
#include "kmv/label.h"
#include "followup/internal.h"
#include "kmv/anomaly.h"
#include "kmvutil/datetime.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "kmv/remind.h"
#include "store/vault.h"
#include "store/db.h"

#include <inttypes.h>

struct item {
	const char *type; /* static */
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
	sqlite3 *db;
};

static int push(struct list *l, const char *type, const char *due,
		int64_t days_left, int64_t ref, const char *subject,
		const kmv_buf *detail, int64_t amount)
{
	struct item *it;

	if (KMV_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0)
		return kmv_error_nomem();
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
		return kmv_buf_puts(b, _("today"));
	if (days_left == 1)
		return kmv_buf_puts(b, _("tomorrow"));
	if (days_left > 1)
		return kmv_buf_printf(b, _("in %" PRId64 " days"), days_left);
	if (days_left == -1)
		return kmv_buf_puts(b, _("yesterday"));
	return kmv_buf_printf(b, _("%" PRId64 " days ago"), -days_left);
}

static int memberships(struct list *l, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	kmv_buf subject = KMV_BUF_INIT, detail = KMV_BUF_INIT;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT id, platform, level, expiry_date, auto_renew, "
		"inactivity_days, last_login, price FROM memberships "
		"WHERE status = 'active' ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), exp, login, left;
		int64_t price = kmv_db__int64_or(st, 7, -1);
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
			KMV_TRY(kmv_buf_printf(&detail,
					       left < 0
						       ? _("membership %" PRId64
							   " (%s) expired ")
						       : _("membership %" PRId64
							   " (%s) expires "),
					       id, subject.ptr));
			KMV_TRY(when_text(&detail, left));
			KMV_TRY(kmv_buf_printf(&detail, _(" (%s)"), expiry));
			if (sqlite3_column_int(st, 4))
				KMV_TRY(kmv_buf_puts(
					&detail,
					left < 0
						? _("; it should have renewed itself: "
						    "check the charge, then 'member renew'")
						: _("; it renews automatically: expect "
						    "the charge")));
			else
				KMV_TRY(kmv_buf_puts(
					&detail,
					left < 0
						? _("; renew it or 'member end' it")
						: _("; renew it in time")));
			KMV_TRY(push(l, "membership_expiry", expiry, left, id,
				     subject.ptr, &detail, price));
		}
		if (inactivity > 0 && *last_login &&
		    kmv_date__parse(&login, last_login, "last login") == 0 &&
		    (left = login + inactivity - l->today) <= l->days) {
			kmv_date__format(date, login + inactivity);
			kmv_buf_clear(&detail);
			KMV_TRY(kmv_buf_printf(
				&detail,
				_("membership %" PRId64
				  " (%s) is downgraded after %" PRId64
				  " days without login: last login %s, "
				  "log in by %s ("),
				id, subject.ptr, inactivity, last_login, date));
			KMV_TRY(when_text(&detail, left));
			KMV_TRY(kmv_buf_puts(&detail, _(")")));
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

	KMV_TRY(kmv_db__prepare(
		&st, db,
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
		int64_t amount = kmv_db__int64_or(st, 6, -1);
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
		if (*counterparty)
			KMV_TRY(kmv_buf_printf(
				&detail,
				_("case %" PRId64 " (%s, "
				  "order %s at %s) is %s; reply "
				  "deadline %s ("),
				id, kmv_label(KMV_LABEL_CASE_REASON, reason),
				order_no, counterparty,
				kmv_label(KMV_LABEL_CASE_STATUS, status),
				deadline));
		else
			KMV_TRY(kmv_buf_printf(
				&detail,
				_("case %" PRId64 " (%s, "
				  "order %s) is %s; reply deadline "
				  "%s ("),
				id, kmv_label(KMV_LABEL_CASE_REASON, reason),
				order_no,
				kmv_label(KMV_LABEL_CASE_STATUS, status),
				deadline));
		KMV_TRY(when_text(&detail, left));
		KMV_TRY(kmv_buf_puts(
			&detail,
			left < 0
				? _("): no reply in time, escalate it "
				    "(e.g. to the payment platform) and 'case update'")
				: _(")")));
		KMV_TRY(push(l, "case_deadline", deadline, left, id, order_no,
			     &detail, amount));
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

/*
 * The newest case holding a record with this order number, open ones
 * first: *case_id 0 when there is none.
 */
static int order_case(sqlite3 *db, const char *order_no, int64_t *case_id,
		      bool *open, bool *has_deadline)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	*case_id = 0;
	*open = *has_deadline = false;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT c.id, c.closed_at IS NULL, c.deadline IS NOT NULL "
		"FROM cases c WHERE EXISTS (SELECT 1 FROM case_records cr "
		" JOIN records r ON r.id = cr.record_id WHERE cr.case_id = c.id "
		" AND (r.order_no = ?1 OR r.merchant_order_no = ?1)) "
		"ORDER BY c.closed_at IS NOT NULL, c.id DESC LIMIT 1"));
	kmv_db__bind_text(st, 1, order_no);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*case_id = sqlite3_column_int64(st, 0);
		*open = sqlite3_column_int(st, 1) != 0;
		*has_deadline = sqlite3_column_int(st, 2) != 0;
	} else if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot read cases");
	}
done:
	sqlite3_finalize(st);
	return error;
}

static int push_undelivered(struct list *l, const char *order_no, int64_t ts,
			    int64_t deadline_secs, int64_t ref, int64_t amount,
			    const char *status)
{
	kmv_time due = { ts + deadline_secs, KMV_TZ_CST };
	kmv_buf detail = KMV_BUF_INIT;
	char when[KMV_TIME_BUFSZ], money[KMV_MONEY_BUFSZ];
	int64_t case_id;
	bool case_open, case_deadline;
	int error = 0;

	if (have_undelivered(l, order_no))
		return 0;
	/*
	 * Handled orders stop here: an open case's reply deadline is its
	 * case_deadline reminder (never "case open" again), and a closed
	 * case, whatever its outcome, ends the order's reminder.
	 */
	KMV_TRY(order_case(l->db, order_no, &case_id, &case_open,
			   &case_deadline));
	if (case_id && (!case_open || case_deadline))
		goto done;
	kmv_time_format(when, &due);
	KMV_TRY(kmv_buf_printf(&detail, _("order %s"), order_no));
	if (amount >= 0)
		KMV_TRY(kmv_buf_printf(&detail, _(" (%s)"),
				       kmv_money_format(money, amount)));
	/* status: an order state, or "undelivered" from the anomaly */
	status = kmv_label_known(KMV_LABEL_STATUS, status)
			 ? kmv_label(KMV_LABEL_STATUS, status)
			 : kmv_label(KMV_LABEL_ANOMALY, status);
	if (case_id)
		KMV_TRY(kmv_buf_printf(
			&detail,
			_(" is still %s past its delivery "
			  "deadline %s; case %" PRId64 " is open "
			  "without a reply deadline: set one with "
			  "'case update %" PRId64 " --reply-days N'"),
			status, when, case_id, case_id));
	else
		KMV_TRY(kmv_buf_printf(&detail,
				       _(" is still %s past its delivery "
					 "deadline %s: ask the shop, then 'case "
					 "open %s --reason undelivered'"),
				       status, when, order_no));
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
	KMV_TRY(kmv_db__prepare(
		&st, db,
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
					 sqlite3_column_type(st, 3) ==
							 SQLITE_NULL
						 ? -1
						 : sqlite3_column_int64(st, 3),
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
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT id, COALESCE(order_no, merchant_order_no), ts, amount, "
		"platform FROM records WHERE kind = 'order' AND deleted_at IS "
		"NULL AND ts BETWEEN ? AND ? ORDER BY ts"));
	sqlite3_bind_int64(st, 1, lo * 86400 - KMV_TZ_CST * 60);
	sqlite3_bind_int64(st, 2, (hi + 1) * 86400 - KMV_TZ_CST * 60);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t day = kmv_date__of_epoch(sqlite3_column_int64(st, 2));
		int64_t y, anniv, left;
		int64_t amount = kmv_db__int64_or(st, 3, -1);
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
		if (*platform)
			KMV_TRY(kmv_buf_printf(&detail,
					       _("order %s at %s of %s "
						 "turns %d years old on %s ("),
					       order_no, platform, bought,
					       years, date));
		else
			KMV_TRY(kmv_buf_printf(&detail,
					       _("order %s of %s turns %d "
						 "years old on %s ("),
					       order_no, bought, years, date));
		KMV_TRY(when_text(&detail, left));
		KMV_TRY(kmv_buf_printf(&detail,
				       _("): platforms may purge it; "
					 "keep its evidence with 'kmvault "
					 "evidence create %s'"),
				       order_no));
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
		"case_deadline",         "undelivered", "membership_expiry",
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

/*
 * The name `remind --ack` takes: TYPE:ORDER_NO for the order reminders
 * (the record behind an undelivered order may change between runs, its
 * number does not), TYPE:ID for memberships and cases.
 */
static void item_key(char *out, size_t outsz, const struct item *it)
{
	if (strcmp(it->type, "undelivered") == 0 ||
	    strcmp(it->type, "retention") == 0)
		snprintf(out, outsz, "%s:%s", it->type, it->subject);
	else
		snprintf(out, outsz, "%s:%" PRId64, it->type, it->ref);
}

#define ACK_PREFIX "remind.ack:"

/*
 * Whether an acknowledgement silences the item today: through its --until
 * date, or, without one, for as long as the item stays due on the same
 * day (a new deadline is news and is shown again).
 */
static int is_silenced(bool *out, const struct list *l, const char *key,
		       const char *due)
{
	sqlite3_stmt *st = NULL;
	kmv_buf name = KMV_BUF_INIT;
	int error = 0;

	*out = false;
	KMV_TRY(kmv_buf_printf(&name, ACK_PREFIX "%s", key));
	KMV_TRY(kmv_db__prepare(
		&st, l->db,
		"SELECT json_extract(value, '$.due'), "
		"json_extract(value, '$.until') FROM settings WHERE key = ?"));
	kmv_db__bind_text(st, 1, name.ptr);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *acked_due = kmv_db__text(st, 0);
		const char *until = kmv_db__text(st, 1);
		int64_t until_day;

		if (until && kmv_date__parse(&until_day, until, "until") < 0)
			kmv_error_clear(); /* stored by kmv_remind_ack: never */
		else if (until)
			*out = l->today <= until_day;
		else
			*out = acked_due && strcmp(acked_due, due) == 0;
	}
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&name);
	return error;
}

static int collect(struct list *l, kmv_vault *vault,
		   const kmv_remind_options *opts)
{
	int error = 0;

	l->db = kmv_vault__db(vault);
	l->today = kmv_date__today();
	KMV_TRY(memberships(l, l->db));
	KMV_TRY(cases(l, l->db));
	KMV_TRY(undelivered(l, vault,
			    opts->undelivered_hours > 0
				    ? opts->undelivered_hours
				    : 2.0));
	KMV_TRY(retention(l, l->db,
			  opts->retention_years > 0 ? opts->retention_years
						    : 3));
	if (l->count > 1)
		qsort(l->items, l->count, sizeof(*l->items), cmp_item);
done:
	return error;
}

int kmv_remind_foreach(kmv_vault *vault, const kmv_remind_options *opts,
		       kmv_reminder_cb cb, void *payload)
{
	kmv_remind_options defaults = KMV_REMIND_OPTIONS_INIT;
	struct list l = { NULL, 0, 0, 0, 0, NULL };
	int error = 0;

	KMV_ASSERT_ARG(vault && cb);
	if (!opts)
		opts = &defaults;
	l.days = opts->days >= 0 ? opts->days : 7;
	KMV_TRY(collect(&l, vault, opts));
	for (size_t i = 0; i < l.count; i++) {
		kmv_reminder r;
		char key[512];
		bool silenced;

		item_key(key, sizeof(key), &l.items[i]);
		KMV_TRY(is_silenced(&silenced, &l, key, l.items[i].due));
		if (silenced)
			continue;
		r.type = l.items[i].type;
		r.due = l.items[i].due;
		r.days_left = l.items[i].days_left;
		r.ref = l.items[i].ref;
		r.subject = l.items[i].subject;
		r.detail = l.items[i].detail;
		r.amount = l.items[i].amount;
		r.item = key;
		if ((error = cb(&r, payload)) != 0)
			break;
	}
done:
	list_dispose(&l);
	return error;
}

/* The due item whose key (as `kmvault remind` shows it) is `key`. */
static int find_item(const struct item **out, const struct list *l,
		     const char *key)
{
	for (size_t i = 0; i < l->count; i++) {
		char k[512];

		item_key(k, sizeof(k), &l->items[i]);
		if (strcmp(k, key) == 0) {
			*out = &l->items[i];
			return 0;
		}
	}
	kmv_error_set(KMV_ERROR_INPUT,
		      "no reminder '%s' is due (the "
		      "items are TYPE:ID or TYPE:ORDER_NO, as 'kmvault "
		      "remind' shows them)",
		      key);
	return KMV_ENOTFOUND;
}

int kmv_remind_ack(kmv_vault *vault, const char *item, const char *until,
		   char **due_out)
{
	kmv_remind_options opts = KMV_REMIND_OPTIONS_INIT;
	struct list l = { NULL, 0, 0, 0, 3650, NULL };
	kmv_buf value = KMV_BUF_INIT, name = KMV_BUF_INIT,
		detail = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	const struct item *found = NULL;
	int64_t until_day;
	kmv_json j;
	bool began = false;
	int error = 0;

	KMV_ASSERT_ARG(vault && item);
	if (due_out)
		*due_out = NULL;
	/* every item there is, whatever the window */
	KMV_TRY(collect(&l, vault, &opts));
	if (until) {
		if (kmv_date__parse(&until_day, until, "--until") < 0) {
			error = KMV_EUSAGE;
			goto done;
		}
		if (until_day < l.today) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "--until %s is in the past", until);
			error = KMV_EUSAGE;
			goto done;
		}
	}
	KMV_TRY(find_item(&found, &l, item));
	kmv_json_init(&j, &value, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "due", found->due);
	kmv_json_kv_string(&j, "until", until);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "item", item);
	kmv_json_kv_string(&j, "due", found->due);
	kmv_json_kv_string(&j, "until", until);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_buf_printf(&name, ACK_PREFIX "%s", item));
	KMV_TRY(kmv_db__begin(l.db));
	began = true;
	KMV_TRY(kmv_db__prepare(
		&st, l.db,
		"INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)"));
	kmv_db__bind_text(st, 1, name.ptr);
	kmv_db__bind_text(st, 2, value.ptr);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(l.db, "cannot store the acknowledgement");
		goto done;
	}
	KMV_TRY(kmv_audit_append(vault, "remind_ack", detail.ptr));
	KMV_TRY(kmv_db__commit(l.db));
	began = false;
	if (due_out && !(*due_out = strdup(found->due)))
		error = kmv_error_nomem();
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(l.db);
	kmv_buf_dispose(&value);
	kmv_buf_dispose(&name);
	kmv_buf_dispose(&detail);
	list_dispose(&l);
	return error;
}
