/* SPDX-License-Identifier: MIT */
/*
 * The order export's writes beyond add_record (sink.h): an order met
 * before under another key, a status that changed, the status timeline.
 * Statements are prepared once per file.
 */
#include "common.h"
#include "import/session.h"
#include "store/db.h"

struct kmv_order_sink {
	kmv_import_ctx *ctx;
	sqlite3_stmt *get_status;
	sqlite3_stmt *update;
	sqlite3_stmt *has_state;
	sqlite3_stmt *add_state;
	sqlite3_stmt *by_key;
	sqlite3_stmt *by_number;
	sqlite3_stmt *fill_platform;
};

int kmv_order_sink__open(kmv_order_sink **out, kmv_import_ctx *ctx)
{
	kmv_order_sink *r = calloc(1, sizeof(*r));
	sqlite3 *db = ctx->db;
	int error = 0;

	*out = NULL;
	if (!r)
		return kmv_error_nomem();
	r->ctx = ctx;

	KMV_TRY(kmv_db__prepare(&r->get_status, db,
				"SELECT status IN ('delivered', 'completed') "
				"FROM records WHERE id = ?1 AND "
				"(status IS NOT ?2 OR status_raw IS NOT ?3)"));
	KMV_TRY(kmv_db__prepare(
		&r->update, db,
		"UPDATE records SET status = ?1, status_raw = ?2, "
		"card_secret = coalesce(?3, card_secret), "
		"payment_no = coalesce(?4, payment_no), "
		"amount = coalesce(?5, amount), "
		"product = coalesce(?6, product), "
		"merchant = coalesce(?7, merchant), "
		"payment_method = coalesce(?8, payment_method), "
		"memo = coalesce(?9, memo), updated_at = ?10 "
		"WHERE id = ?11"));
	KMV_TRY(kmv_db__prepare(&r->has_state, db,
				"SELECT 1 FROM timeline WHERE record_id = ? AND "
				"state = ?"));
	KMV_TRY(kmv_db__prepare(&r->by_key, db,
				"SELECT id FROM records WHERE source_kind = "
				"'orders' AND dedup_key = ?"));
	KMV_TRY(kmv_db__prepare(&r->by_number, db,
				"SELECT id FROM records WHERE order_no = ? AND "
				"source_kind = 'orders' AND kind = 'order' "
				"ORDER BY id LIMIT 2"));
	/* The key moves with the platform: a third import finds it. */
	KMV_TRY(kmv_db__prepare(
		&r->fill_platform, db,
		"UPDATE records SET platform = ?1, dedup_key = ?2,"
		" updated_at = ?3 WHERE id = ?4 AND platform IS NULL"
		" AND NOT EXISTS (SELECT 1 FROM records WHERE"
		" source_kind = 'orders' AND dedup_key = ?2)"));
	KMV_TRY(kmv_db__prepare(
		&r->add_state, db,
		"INSERT INTO timeline(record_id, state, state_raw, "
		"event_time, seen_at, source_id) "
		"VALUES (?,?,?,?,?,?)"));
	*out = r;
	r = NULL;
done:
	kmv_order_sink__free(r);
	return error;
}

void kmv_order_sink__free(kmv_order_sink *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->get_status);
	sqlite3_finalize(r->update);
	sqlite3_finalize(r->has_state);
	sqlite3_finalize(r->add_state);
	sqlite3_finalize(r->by_key);
	sqlite3_finalize(r->by_number);
	sqlite3_finalize(r->fill_platform);
	free(r);
}

/* Append a timeline row unless the order already went through `state`. */
int kmv_order_sink__ensure_state(kmv_order_sink *r, int64_t id,
				 const char *state, const char *raw,
				 const kmv_time *when, int64_t source_id)
{
	kmv_import_ctx *ctx = r->ctx;
	char buf[KMV_TIME_BUFSZ];
	sqlite3_stmt *st = r->has_state;
	bool present;
	int error = 0;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	kmv_db__bind_text(st, 2, state);
	present = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (present)
		return 0;
	st = r->add_state;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	kmv_db__bind_text(st, 2, state);
	kmv_db__bind_text(st, 3, raw);
	kmv_db__bind_text(st, 4, when ? kmv_time_format(buf, when) : NULL);
	kmv_db__bind_text(st, 5, ctx->now);
	sqlite3_bind_int64(st, 6, source_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(ctx->db,
				      "cannot store the status timeline");
	sqlite3_reset(st);
	return error;
}

/* A state before delivery: what an older snapshot of a delivered order shows. */
static bool before_delivery(const char *status)
{
	return status && (strcmp(status, "pending_payment") == 0 ||
			  strcmp(status, "paid") == 0 ||
			  strcmp(status, "processing") == 0);
}

/*
 * The order was imported before: when its status changed, take the new
 * status and any newly filled fields, and count it as updated instead of
 * as a duplicate.  A delivered or completed order never goes back to a
 * state before delivery: the file saying so is an older view (the buyer's
 * query saved before the shop's later export), and taking it would make a
 * delivered order `undelivered`.
 */
int kmv_order_sink__update(kmv_order_sink *r, const kmv_record *rec)
{
	kmv_import_ctx *ctx = r->ctx;
	sqlite3_stmt *st = r->get_status;
	bool changed, delivered = false;
	int error = 0;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, rec->id);
	kmv_db__bind_text(st, 2, rec->status);
	kmv_db__bind_text(st, 3, rec->status_raw);
	changed = sqlite3_step(st) == SQLITE_ROW;
	if (changed)
		delivered = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (!changed || (delivered && before_delivery(rec->status)))
		return 0;
	error = 1;
	st = r->update;
	sqlite3_reset(st);
	kmv_db__bind_text(st, 1, rec->status);
	kmv_db__bind_text(st, 2, rec->status_raw);
	kmv_db__bind_text(st, 3, rec->card_secret);
	kmv_db__bind_text(st, 4, rec->payment_no);
	if (rec->has_amount)
		sqlite3_bind_int64(st, 5, rec->amount);
	else
		sqlite3_bind_null(st, 5);
	kmv_db__bind_text(st, 6, rec->product);
	kmv_db__bind_text(st, 7, rec->merchant);
	kmv_db__bind_text(st, 8, rec->payment_method);
	kmv_db__bind_text(st, 9, rec->memo);
	kmv_db__bind_text(st, 10, ctx->now);
	sqlite3_bind_int64(st, 11, rec->id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(ctx->db, "cannot update order");
		goto done;
	}
	kmv_sink__count_update(ctx);
done:
	sqlite3_reset(st);
	return error;
}

static int key_lookup(kmv_order_sink *r, const char *key, int64_t *id)
{
	sqlite3_stmt *st = r->by_key;
	int rc;

	sqlite3_reset(st);
	kmv_db__bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kmv_db__error(r->ctx->db, "cannot look up an order");
	return rc == SQLITE_ROW;
}

/*
 * The order as stored before under another key, so that neither a new
 * file name nor a platform learned later makes a copy: with a platform,
 * the same order stored with none (it is filled in, and the key follows);
 * without one, the only order of that number.  1 with its id, else 0.
 */
int kmv_order_sink__earlier(kmv_order_sink *r, const kmv_record *rec,
			    int64_t *id)
{
	kmv_import_ctx *ctx = r->ctx;
	kmv_buf key = KMV_BUF_INIT;
	sqlite3_stmt *st;
	int error = 0, rc;

	if (rec->platform) {
		KMV_TRY(rc = key_lookup(r, rec->dedup_key, id));
		if (rc)
			goto done; /* the plain duplicate: add_record's case */
		KMV_TRY(kmv_buf_printf(&key, "\x1f%s", rec->order_no));
		KMV_TRY(rc = key_lookup(r, key.ptr, id));
		if (!rc)
			goto done;
		st = r->fill_platform;
		sqlite3_reset(st);
		kmv_db__bind_text(st, 1, rec->platform);
		kmv_db__bind_text(st, 2, rec->dedup_key);
		kmv_db__bind_text(st, 3, ctx->now);
		sqlite3_bind_int64(st, 4, *id);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			error = kmv_db__error(ctx->db,
					      "cannot set the platform");
			goto done;
		}
		error = sqlite3_changes(ctx->db) > 0 ? 2 : 1;
		goto done;
	}
	KMV_TRY(rc = key_lookup(r, rec->dedup_key, id));
	if (rc)
		goto done;
	st = r->by_number;
	sqlite3_reset(st);
	kmv_db__bind_text(st, 1, rec->order_no);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		/* Two shops with that number: which one is unknown. */
		rc = sqlite3_step(st);
		error = rc == SQLITE_DONE ? 1 : 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = kmv_db__error(ctx->db, "cannot look up an order");
done:
	kmv_buf_dispose(&key);
	return error;
}
