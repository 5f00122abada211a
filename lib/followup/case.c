/* SPDX-License-Identifier: MIT */
/*
 * Dispute cases.  A case gathers the records of one order (and what they
 * are linked to) at the time it is opened, so later evidence bundles show
 * what the user had when they complained.  Every status change or note is
 * a row of case_notes: the case's own history, next to the audit log.
 */
#include "common.h"

#include <inttypes.h>

#include "followup/internal.h"
#include "kmv/case.h"
#include "kmv/i18n.h"
#include "kmv/label.h"
#include "kmv/resolve.h"
#include "kmvutil/json.h"
#include "store/vault.h"
#include "store/db.h"

static const char *const reasons[] = {
	"undelivered",    "duplicate_charge", "amount_mismatch",
	"refund_missing", "unauthorized",     "other",
};

static const char *const statuses[] = {
	"open", "waiting_reply", "escalated", "resolved", "rejected",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool is_closing(const char *status)
{
	return strcmp(status, "resolved") == 0 ||
	       strcmp(status, "rejected") == 0;
}

static int audit(kmv_vault *vault, const char *action, int64_t id,
		 const char *k1, const char *v1, const char *k2, const char *v2)
{
	kmv_buf detail = KMV_BUF_INIT;
	kmv_json j;
	int error;

	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "case", id);
	if (k1 && v1)
		kmv_json_kv_string(&j, k1, v1);
	if (k2 && v2)
		kmv_json_kv_string(&j, k2, v2);
	kmv_json_object_end(&j);
	error = kmv_json_finish(&j);
	if (error == 0)
		error = kmv_audit_append(vault, action, detail.ptr);
	kmv_buf_dispose(&detail);
	return error;
}

static int add_note(sqlite3 *db, int64_t id, const char *status,
		    const char *note, const char *now)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT INTO case_notes(case_id, status, note, created_at) "
		"VALUES (?,?,?,?)"));
	sqlite3_bind_int64(st, 1, id);
	kmv_db__bind_text(st, 2, status);
	kmv_db__bind_text(st, 3, note && *note ? note : NULL);
	kmv_db__bind_text(st, 4, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(db, "cannot add case note");
done:
	sqlite3_finalize(st);
	return error;
}

/* The platform (or merchant) of a record, for the case's counterparty. */
static int counterparty_of(char **out, sqlite3 *db, int64_t record_id)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	*out = NULL;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT COALESCE(platform, merchant) FROM records WHERE id = ?"));
	sqlite3_bind_int64(st, 1, record_id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*out = strdup((const char *)sqlite3_column_text(st, 0));
		if (!*out)
			error = kmv_error_nomem();
	}
done:
	sqlite3_finalize(st);
	return error;
}

/*
 * KMV_EEXISTS naming the open case that already holds a record with this
 * order number: a second case would split the notes and deadlines, and
 * remind would nag about both.
 */
static int refuse_second_case(sqlite3 *db, const char *order_no)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT c.id, c.reason, c.status, c.deadline FROM cases c "
		"WHERE c.closed_at IS NULL AND EXISTS (SELECT 1 FROM "
		" case_records cr JOIN records r ON r.id = cr.record_id "
		" WHERE cr.case_id = c.id AND (r.order_no = ?1 OR "
		" r.merchant_order_no = ?1)) ORDER BY c.id LIMIT 1"));
	kmv_db__bind_text(st, 1, order_no);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		kmv_error_set(KMV_ERROR_INPUT,
			      "order %s already has an open "
			      "case: case %" PRId64 " (%s, %s, reply deadline "
			      "%s); add to it with 'kmvault case update %" PRId64
			      " --note TEXT', or close it first",
			      order_no, id,
			      kmv_label(KMV_LABEL_CASE_REASON,
					kmv_db__text_or_empty(st, 1)),
			      kmv_label(KMV_LABEL_CASE_STATUS,
					kmv_db__text_or_empty(st, 2)),
			      sqlite3_column_type(st, 3) == SQLITE_NULL
				      ? _("none")
				      : kmv_db__text_or_empty(st, 3),
			      id);
		error = KMV_EEXISTS;
	}
done:
	sqlite3_finalize(st);
	return error;
}

/* Case `id` holds the order's records and everything linked to them. */
static int attach_order_records(sqlite3 *db, int64_t id, const char *order_no)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT OR IGNORE INTO case_records(case_id, record_id) "
		"WITH base(id) AS (SELECT id FROM records WHERE deleted_at IS "
		"  NULL AND (order_no = ?2 OR merchant_order_no = ?2)) "
		"SELECT ?1, id FROM base "
		"UNION SELECT ?1, l.b FROM links l JOIN base ON l.a = base.id "
		"  WHERE l.manual >= 0 "
		"UNION SELECT ?1, l.a FROM links l JOIN base ON l.b = base.id "
		"  WHERE l.manual >= 0"));
	sqlite3_bind_int64(st, 1, id);
	kmv_db__bind_text(st, 2, order_no);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(db, "cannot attach records to case");
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_case_open(int64_t *id_out, kmv_vault *vault,
		  const kmv_case_open_options *opts)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	char now[64], deadline[KMV_DATE_BUFSZ];
	char *counterparty = NULL;
	int64_t record_id, id = 0;
	int reply_days;
	bool began = false;
	int error = 0;

	KMV_ASSERT_ARG(id_out && vault && opts);
	db = kmv_vault__db(vault);
	if (!opts->order_no || !*opts->order_no) {
		kmv_error_set(KMV_ERROR_INPUT, "a case needs an ORDER_NO");
		return KMV_EUSAGE;
	}
	if (!opts->reason ||
	    !in_list(opts->reason, reasons, KMV_ARRAY_SIZE(reasons))) {
		kmv_error_set(KMV_ERROR_INPUT, "unknown reason '%s' (%s)",
			      opts->reason ? opts->reason : "",
			      KMV_CASE_REASONS);
		return KMV_EUSAGE;
	}
	reply_days = opts->reply_days > 0 ? opts->reply_days
					  : KMV_CASE_REPLY_DAYS;
	KMV_TRY(kmv_order_resolve(vault, opts->order_no, &record_id));
	KMV_TRY(refuse_second_case(db, opts->order_no));
	KMV_TRY(counterparty_of(&counterparty, db, record_id));
	kmv_date__now_text(now);
	kmv_date__format(deadline,
			 kmv_workdays_add(kmv_date__today(), reply_days));

	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT INTO cases(reason, status, opened_at, reply_days, "
		"deadline, counterparty, updated_at) "
		"VALUES (?,'open',?,?,?,?,?)"));
	kmv_db__bind_text(st, 1, opts->reason);
	kmv_db__bind_text(st, 2, now);
	sqlite3_bind_int(st, 3, reply_days);
	kmv_db__bind_text(st, 4, deadline);
	kmv_db__bind_text(st, 5, counterparty);
	kmv_db__bind_text(st, 6, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot open case");
		goto done;
	}
	id = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	st = NULL;
	KMV_TRY(attach_order_records(db, id, opts->order_no));
	KMV_TRY(add_note(db, id, "open", opts->note, now));
	KMV_TRY(audit(vault, "case_open", id, "order_no", opts->order_no,
		      "deadline", deadline));
	KMV_TRY(kmv_db__commit(db));
	began = false;
	*id_out = id;
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(db);
	free(counterparty);
	return error;
}

static int case_exists(sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db, "SELECT 1 FROM cases WHERE id = ?"));
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "no case %lld (see 'kmvault "
			      "case list')",
			      (long long)id);
		error = KMV_ENOTFOUND;
	} else if (rc != SQLITE_ROW) {
		error = kmv_db__error(db, "cannot read case");
	}
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_case_update(kmv_vault *vault, int64_t id, const char *status,
		    const char *note, int reply_days)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	char now[64], deadline[KMV_DATE_BUFSZ];
	bool began = false;
	int error = 0;

	KMV_ASSERT_ARG(vault);
	db = kmv_vault__db(vault);
	if (status && !in_list(status, statuses, KMV_ARRAY_SIZE(statuses))) {
		kmv_error_set(KMV_ERROR_INPUT, "unknown status '%s' (%s)",
			      status, KMV_CASE_STATUSES);
		return KMV_EUSAGE;
	}
	if (!status && !(note && *note) && reply_days <= 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "nothing to change: give "
			      "--status, --note or --reply-days");
		return KMV_EUSAGE;
	}
	KMV_TRY(case_exists(db, id));
	kmv_date__now_text(now);
	kmv_date__format(deadline,
			 kmv_workdays_add(kmv_date__today(), reply_days));
	KMV_TRY(kmv_db__begin(db));
	began = true;
	/* NULL parameters leave a column as it is. */
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"UPDATE cases SET status = COALESCE(?1, status),"
		" closed_at = CASE WHEN ?1 IS NULL THEN closed_at"
		"   WHEN ?1 IN ('resolved','rejected')"
		"   THEN COALESCE(closed_at, ?2) ELSE NULL END,"
		" reply_days = COALESCE(?3, reply_days),"
		" deadline = COALESCE(?4, deadline),"
		" updated_at = ?2 WHERE id = ?5"));
	kmv_db__bind_text(st, 1, status);
	kmv_db__bind_text(st, 2, now);
	if (reply_days > 0) {
		sqlite3_bind_int(st, 3, reply_days);
		kmv_db__bind_text(st, 4, deadline);
	}
	sqlite3_bind_int64(st, 5, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot update case");
		goto done;
	}
	KMV_TRY(add_note(db, id, status, note, now));
	KMV_TRY(audit(vault,
		      status && is_closing(status) ? "case_close"
						   : "case_update",
		      id, "status", status, "deadline",
		      reply_days > 0 ? deadline : NULL));
	KMV_TRY(kmv_db__commit(db));
	began = false;
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(db);
	return error;
}

int kmv_case_close(kmv_vault *vault, int64_t id, const char *status,
		   const char *note)
{
	if (!status)
		status = "resolved";
	if (!is_closing(status)) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "a case closes as resolved or "
			      "rejected, not '%s'",
			      status);
		return KMV_EUSAGE;
	}
	return kmv_case_update(vault, id, status, note, 0);
}

struct case_walk {
	kmv_case_cb cb;
	void *payload;
};

static int case_row(sqlite3_stmt *st, void *payload)
{
	const struct case_walk *w = payload;
	kmv_case c;

	c.id = sqlite3_column_int64(st, 0);
	c.reason = kmv_db__text(st, 1);
	c.status = kmv_db__text(st, 2);
	c.opened_at = kmv_db__text(st, 3);
	c.reply_days = sqlite3_column_int64(st, 4);
	c.deadline = kmv_db__text(st, 5);
	c.counterparty = kmv_db__text(st, 6);
	c.order_no = kmv_db__text(st, 7);
	c.amount = kmv_db__int64_or(st, 8, -1);
	c.closed_at = kmv_db__text(st, 9);
	c.last_note = kmv_db__text(st, 10);
	c.nrecords = sqlite3_column_int64(st, 11);
	return w->cb(&c, w->payload);
}

int kmv_case_foreach(kmv_vault *vault, bool all, kmv_case_cb cb, void *payload)
{
	struct case_walk w = { cb, payload };
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int error;

	KMV_ASSERT_ARG(vault && cb);
	db = kmv_vault__db(vault);
	error = kmv_db__prepare(
		&st, db,
		"WITH first AS (SELECT cr.case_id, r.id, "
		"  COALESCE(r.order_no, r.merchant_order_no) AS order_no, "
		"  r.amount, row_number() OVER (PARTITION BY cr.case_id "
		"  ORDER BY r.kind <> 'order', r.id) AS n "
		"  FROM case_records cr JOIN records r ON r.id = cr.record_id) "
		"SELECT c.id, c.reason, c.status, c.opened_at, c.reply_days, "
		" c.deadline, c.counterparty, f.order_no, f.amount, c.closed_at,"
		" (SELECT note FROM case_notes n WHERE n.case_id = c.id AND "
		"  n.note IS NOT NULL ORDER BY n.id DESC LIMIT 1),"
		" (SELECT count(*) FROM case_records cr WHERE cr.case_id = c.id)"
		" FROM cases c LEFT JOIN first f ON f.case_id = c.id AND f.n = 1"
		" WHERE ?1 OR c.closed_at IS NULL"
		" ORDER BY c.closed_at IS NOT NULL, c.deadline, c.id");
	if (error < 0)
		return error;
	sqlite3_bind_int(st, 1, all);
	return kmv_db__each(db, st, case_row, &w, "cannot list cases");
}
