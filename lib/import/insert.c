/* SPDX-License-Identifier: MIT */
/*
 * The one INSERT of a record (insert.h): the binding of a kmv_record to
 * the records columns and the single-row insert with its duplicate
 * lookup.  sink.c (add_record) and batch.c (multi-row batches) both sit
 * above this file.
 */
#include "common.h"
#include "import/insert.h"
#include "import/session.h"
#include "store/db.h"

static int bind_opt_int(sqlite3_stmt *st, int idx, bool has, int64_t v)
{
	return has ? sqlite3_bind_int64(st, idx, v)
		   : sqlite3_bind_null(st, idx);
}

void kmv_insert__bind(sqlite3_stmt *st, int base, const kmv_record *r,
		      char when[KMV_TIME_BUFSZ], const char *now)
{
	/*
	 * Bound without copies (the copy and its wiped free cost more than the
	 * insert's own string handling): callers clear the bindings after the
	 * step, while `r`, `when` and `now` are still alive.
	 */
	kmv_db__bind_text_static(st, base + 1, kmv_record_kind_name(r->kind));
	kmv_db__bind_text_static(st, base + 2, r->source_kind);
	kmv_db__bind_text_static(st, base + 3, r->dedup_key);
	kmv_db__bind_text_static(st, base + 4, r->platform);
	kmv_db__bind_text_static(st, base + 5, r->merchant);
	kmv_db__bind_text_static(st, base + 6, r->order_no);
	kmv_db__bind_text_static(st, base + 7, r->payment_no);
	kmv_db__bind_text_static(st, base + 8, r->merchant_order_no);
	kmv_db__bind_text_static(st, base + 9,
				 r->has_time ? kmv_time_format(when, &r->time)
					     : NULL);
	bind_opt_int(st, base + 10, r->has_time, r->time.epoch);
	bind_opt_int(st, base + 11, r->has_amount, r->amount);
	kmv_db__bind_text_static(st, base + 12,
				 kmv_direction_name(r->direction));
	kmv_db__bind_text_static(st, base + 13, r->status_raw);
	kmv_db__bind_text_static(st, base + 14, r->status);
	kmv_db__bind_text_static(st, base + 15, r->product);
	bind_opt_int(st, base + 16, r->quantity > 0, r->quantity);
	bind_opt_int(st, base + 17, r->unit_price > 0, r->unit_price);
	kmv_db__bind_text_static(st, base + 18, r->category);
	kmv_db__bind_text_static(st, base + 19, r->payment_method);
	kmv_db__bind_text_static(st, base + 20, r->counterparty_account);
	kmv_db__bind_text_static(st, base + 21, r->memo);
	kmv_db__bind_text_static(st, base + 22, r->card_secret);
	bind_opt_int(st, base + 23, r->source_id > 0, r->source_id);
	bind_opt_int(st, base + 24, r->source_line > 0, r->source_line);
	kmv_db__bind_text_static(st, base + 25, r->extra_json);
	kmv_db__bind_text_static(st, base + 26, now);
	kmv_db__bind_text_static(st, base + 27, now);
}

int kmv_insert__record(int64_t *id_out, kmv_import_ctx *ctx, kmv_record *r)
{
	sqlite3_stmt *st = ctx->ins_record;
	char when[KMV_TIME_BUFSZ];
	int error = 0, rc;

	/*
	 * INSERT OR IGNORE first: new records (the common case of a bulk
	 * import) cost one statement; only a duplicate pays the lookup.
	 */
	kmv_insert__bind(st, 0, r, when, ctx->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return kmv_db__error(ctx->db, "cannot store record");
	if (sqlite3_changes(ctx->db) > 0) {
		*id_out = r->id = sqlite3_last_insert_rowid(ctx->db);
		return 0;
	}
	st = ctx->find_record;
	sqlite3_reset(st);
	kmv_db__bind_text(st, 1, r->source_kind);
	kmv_db__bind_text(st, 2, r->dedup_key);
	if (sqlite3_step(st) != SQLITE_ROW) {
		error = kmv_db__error(ctx->db, "cannot find duplicate record");
		sqlite3_reset(st);
		return error;
	}
	*id_out = r->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return KMV_EEXISTS;
}
