/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_INSERT_H
#define KMV_IMPORT_INSERT_H

/*
 * The one INSERT of a record (insert.c), below both of its callers: the
 * sink's add_record (sink.c) and the batches (batch.c), which binds up to
 * KMV_BATCH_ROWS records into one multi-row statement.  Neither calls the
 * other, so the two stay out of a circle of calls.
 */
#include <sqlite3.h>
#include <stdint.h>

#include "kmv/record.h"
#include "kmvutil/datetime.h"

typedef struct kmv_import_ctx kmv_import_ctx;

/* The records columns an import writes, and one row of placeholders. */
#define KMV_RECORD_INSERT_COLUMNS                                              \
	"kind, source_kind, dedup_key, platform, merchant, order_no, "         \
	"payment_no, merchant_order_no, time, ts, amount, direction, "         \
	"status_raw, status, product, quantity, unit_price, category, "        \
	"payment_method, counterparty_account, memo, card_secret, source_id, " \
	"source_line, extra, created_at, updated_at"
#define KMV_RECORD_INSERT_NCOLS 27
#define KMV_RECORD_INSERT_VALUES \
	"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

/*
 * Bind `rec` to parameters base+1 .. base+KMV_RECORD_INSERT_NCOLS without
 * copying (`when` receives the formatted time); clear the bindings after
 * the step.
 */
void kmv_insert__bind(sqlite3_stmt *st, int base, const kmv_record *rec,
		      char when[KMV_TIME_BUFSZ], const char *now);

/*
 * Insert `rec` with the run's prepared statement: 0 and the new id, or
 * KMV_EEXISTS and the stored duplicate's id (in *id_out and rec->id).
 * Counts nothing: kmv_import__add_record and batch.c's tail count.
 */
int kmv_insert__record(int64_t *id_out, kmv_import_ctx *ctx, kmv_record *rec);

#endif
