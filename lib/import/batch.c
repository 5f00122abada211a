/* SPDX-License-Identifier: MIT */
/*
 * Record batches: bulk importers (statements) queue records here and they
 * are stored KMV_BATCH_ROWS at a time with one multi-row INSERT OR IGNORE.
 * Per statement, SQLite opens and closes a cursor on the table and each of
 * its indexes and runs the statement's start and end; for one-row inserts
 * that is a third of the insert cost (docs/performance.md), shared here by
 * a whole batch.
 *
 * A queued record is copied: its strings into one arena whose capacity is
 * reserved before a record is copied, so the pointers bound at flush time
 * never move.  The price is that ids are not reported back, which is why
 * only importers that do not need them use this (orders and mail need the
 * id, or the duplicate's id, and go through kmv_sink__add_record).
 */
#include "common.h"

#include <stddef.h>

#include "core/record_columns.h"
#include "import/insert.h"
#include "import/session.h"
#include "store/db.h"

#define KMV_BATCH_ROWS 64

struct kmv_import_batch {
	kmv_record rows[KMV_BATCH_ROWS];
	size_t n;
	kmv_buf arena;
	sqlite3_stmt *insert; /* KMV_BATCH_ROWS rows */
};

/* The string columns of kmv_record: those of the one column list. */
static char **string_field(kmv_record *r, int i)
{
	return kmv_record__string(r, (kmv_record_field)i);
}

static int batch_new(kmv_import_batch **out, sqlite3 *db)
{
	kmv_import_batch *b = calloc(1, sizeof(*b));
	kmv_buf sql = KMV_BUF_INIT, empty = KMV_BUF_INIT;
	int error = 0;

	if (!b)
		return kmv_error_nomem();
	b->arena = empty;
	KMV_TRY(kmv_insert__sql(&sql, KMV_BATCH_ROWS));
	KMV_TRY(kmv_db__prepare(&b->insert, db, sql.ptr));
	*out = b;
	b = NULL;
done:
	kmv_buf_dispose(&sql);
	kmv_batch__free(b);
	return error;
}

void kmv_batch__free(kmv_import_batch *b)
{
	if (!b)
		return;
	sqlite3_finalize(b->insert);
	kmv_buf_dispose_secure(&b->arena);
	free(b);
}

static void count(kmv_import_ctx *ctx, size_t rows, int added)
{
	if (ctx->result) {
		ctx->result->added += added;
		ctx->result->duplicates += (int64_t)rows - added;
	}
}

int kmv_batch__flush_records(kmv_import_ctx *ctx)
{
	kmv_import_batch *b = ctx->batch;
	char when[KMV_BATCH_ROWS][KMV_TIME_BUFSZ];
	int error = 0, rc;

	if (!b || b->n == 0)
		return 0;
	if (b->n < KMV_BATCH_ROWS) {
		/* The tail of a file: one row at a time. */
		for (size_t i = 0; i < b->n && error == 0; i++) {
			int64_t id;

			error = kmv_insert__record(&id, ctx, &b->rows[i]);
			if (error == 0 || error == KMV_EEXISTS) {
				count(ctx, 1, error == 0);
				error = 0;
			}
		}
		goto done;
	}
	for (size_t i = 0; i < b->n; i++)
		kmv_insert__bind(b->insert, (int)i * KMV_INSERT_NCOLS,
				 &b->rows[i], when[i], ctx->now);
	rc = sqlite3_step(b->insert);
	/*
	 * The bindings still point into the arena, which is reused: harmless,
	 * as the next step comes after every parameter was bound again (and
	 * clearing ~1,700 of them per batch was a cost of its own).
	 */
	sqlite3_reset(b->insert);
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(ctx->db, "cannot store records");
		goto done;
	}
	count(ctx, b->n, sqlite3_changes(ctx->db));
done:
	b->n = 0;
	kmv_buf_clear(&b->arena);
	return error;
}

void kmv_batch__drop_records(kmv_import_ctx *ctx)
{
	if (ctx->batch) {
		ctx->batch->n = 0;
		kmv_buf_clear(&ctx->batch->arena);
	}
}

int kmv_batch__queue_record(kmv_import_ctx *ctx, const kmv_record *r)
{
	kmv_import_batch *b;
	kmv_record *copy;
	size_t len[KMV_RECORD_FIELD_COUNT], need = 0;
	int error = 0;

	if (!r->source_kind || !r->dedup_key) {
		kmv_error_set(KMV_ERROR_INTERNAL, "record without dedup key");
		return KMV_ERROR;
	}
	if (!ctx->batch)
		KMV_TRY(batch_new(&ctx->batch, ctx->db));
	b = ctx->batch;
	if (ctx->result)
		ctx->result->rows++;
	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++) {
		char **s = string_field((kmv_record *)r, i);

		len[i] = s && *s ? strlen(*s) + 1 : 0;
		need += len[i];
	}
	if (b->arena.size + need + 1 > b->arena.asize) {
		KMV_TRY(kmv_batch__flush_records(ctx));
		/* Room for a batch of such rows: no flush mid-batch next time. */
		KMV_TRY(kmv_buf_grow(&b->arena, need * KMV_BATCH_ROWS));
	}
	copy = &b->rows[b->n];
	*copy = *r;
	copy->refund_of_payment_no = NULL; /* a hint, not stored */
	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++) {
		char **field = string_field(copy, i);
		size_t at = b->arena.size;

		if (!len[i])
			continue;
		/* Within the reserved capacity: never reallocates. */
		KMV_TRY(kmv_buf_put(&b->arena, *field, len[i]));
		*field = b->arena.ptr + at;
	}
	if (++b->n == KMV_BATCH_ROWS)
		KMV_TRY(kmv_batch__flush_records(ctx));
done:
	return error;
}
