/* SPDX-License-Identifier: MIT */
/* Bulk mode for one large file (sink.h: kmv_bulk__begin ... __end). */
#include "common.h"
#include "import/session.h"
#include "store/db.h"

/*
 * Bulk mode for the FTS index.  With the records_fts_ai trigger, every
 * INSERT is a statement with a trigger into a virtual table, which makes
 * SQLite open a statement savepoint, and FTS5 flushes its pending terms
 * into a new segment at every savepoint: a one-row segment per record plus
 * the merges that follow, two thirds of the import time.  So, inside the
 * import transaction, the trigger is dropped, the rows are inserted, the
 * index is filled with one INSERT ... SELECT (as `sqlite3 .import` users
 * do) and the trigger is re-created from its own stored SQL, so schema.c
 * stays the one definition.  Any failure rolls the whole transaction
 * back, trigger included.
 */
struct fts_bulk {
	char *trigger_sql;
	int64_t max_id;
};

static int fts_bulk_begin(sqlite3 *db, struct fts_bulk *b)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	memset(b, 0, sizeof(*b));
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT sql FROM sqlite_master "
		"WHERE type = 'trigger' AND name = 'records_fts_ai'"));
	if (sqlite3_step(st) != SQLITE_ROW)
		goto done; /* no trigger: nothing to do */
	if (!(b->trigger_sql = strdup(
		      (const char *)sqlite3_column_text(st, 0)))) {
		error = kmv_error_nomem();
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT coalesce(max(id), 0) "
				"FROM records"));
	if (sqlite3_step(st) == SQLITE_ROW)
		b->max_id = sqlite3_column_int64(st, 0);
	KMV_TRY(kmv_db__exec(db, "DROP TRIGGER records_fts_ai"));
done:
	sqlite3_finalize(st);
	return error;
}

static int fts_bulk_end(sqlite3 *db, struct fts_bulk *b)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	if (!b->trigger_sql)
		return 0;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT INTO records_fts(rowid, merchant, product, memo) "
		"SELECT id, merchant, product, memo FROM records WHERE id > ?"));
	sqlite3_bind_int64(st, 1, b->max_id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot index records");
		goto done;
	}
	KMV_TRY(kmv_db__exec(db, b->trigger_sql));
done:
	sqlite3_finalize(st);
	free(b->trigger_sql);
	b->trigger_sql = NULL;
	return error;
}

/*
 * Bulk mode for the random-key indexes.  Each inserted row lands at a
 * random place in records_amount_ts (amount first) and records_payment_no
 * / records_merchant_order_no (random numbers), so once they outgrow the
 * cache every row costs a few page reads and splits, growing with the
 * vault: 1M rows took 11.9x the time of 100k.  When a file brings more
 * rows than the vault already holds, the indexes are dropped inside the
 * import transaction and built once from sorted keys afterwards (what
 * CREATE INDEX does), like the FTS index above; below that, rebuilding
 * would rescan more old rows than the per-row updates cost.  The indexes
 * are re-created from their own stored SQL (schema.c stays the one
 * definition) and a failure rolls everything back.  The unique dedup
 * index (schema v4's records_dedup) stays: the insert needs it, and
 * dropping it too, with an exact check of the keys in a hash set in its
 * place, was measured (docs/performance.md, issue 17's eighth round) at
 * 7 % more CPU time and 170 MB more memory for 1M rows: a statement's keys
 * come in number order, so their index inserts land at its edge and cost
 * less than the hash set's random probes and the sort of a rebuild.
 */
static const char *const bulk_indexes[] = {
	"records_amount_ts",
	"records_ts",
	"records_payment_no",
	"records_merchant_order_no",
};

struct index_bulk {
	char *sql[KMV_ARRAY_SIZE(bulk_indexes)];
};

static int index_bulk_begin(sqlite3 *db, struct index_bulk *b,
			    uint64_t rows_hint, int64_t rows_now)
{
	sqlite3_stmt *st = NULL;
	kmv_buf drop = KMV_BUF_INIT;
	int error = 0;

	memset(b, 0, sizeof(*b));
	if (rows_hint <= (uint64_t)(rows_now > 0 ? rows_now : 0))
		return 0;
	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT sql FROM sqlite_master "
				"WHERE type = 'index' AND tbl_name = 'records' "
				"AND name = ? AND sql IS NOT NULL"));
	for (size_t i = 0; i < KMV_ARRAY_SIZE(bulk_indexes); i++) {
		sqlite3_reset(st);
		kmv_db__bind_text_static(st, 1, bulk_indexes[i]);
		if (sqlite3_step(st) != SQLITE_ROW)
			continue; /* not in this schema version */
		if (!(b->sql[i] = strdup(
			      (const char *)sqlite3_column_text(st, 0)))) {
			error = kmv_error_nomem();
			goto done;
		}
		KMV_TRY(kmv_buf_printf(&drop, "DROP INDEX %s;",
				       bulk_indexes[i]));
	}
	sqlite3_finalize(st); /* a live SELECT on the schema blocks DROP */
	st = NULL;
	if (drop.size)
		KMV_TRY(kmv_db__exec(db, drop.ptr));
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&drop);
	return error;
}

/* Re-create what begin dropped (also frees, so call it on every path). */
static int index_bulk_end(sqlite3 *db, struct index_bulk *b, bool build)
{
	int error = 0;

	for (size_t i = 0; i < KMV_ARRAY_SIZE(bulk_indexes); i++) {
		if (b->sql[i] && build && error == 0)
			error = kmv_db__exec(db, b->sql[i]);
		free(b->sql[i]);
		b->sql[i] = NULL;
	}
	return error;
}

struct kmv_bulk {
	sqlite3 *db;
	struct fts_bulk fts;
	struct index_bulk indexes;
};

int kmv_bulk__begin(kmv_bulk **out, kmv_import_ctx *ctx)
{
	kmv_bulk *b = calloc(1, sizeof(*b));
	int error = 0;

	*out = NULL;
	if (!b)
		return kmv_error_nomem();
	b->db = ctx->db;
	KMV_TRY(fts_bulk_begin(b->db, &b->fts));
	*out = b;
	b = NULL;
done:
	kmv_bulk__free(b);
	return error;
}

int kmv_bulk__expect(kmv_bulk *b, uint64_t rows_hint)
{
	/* Records are never deleted, so max(id) counts them. */
	return index_bulk_begin(b->db, &b->indexes, rows_hint, b->fts.max_id);
}

int kmv_bulk__end(kmv_bulk *b)
{
	int error = 0;

	KMV_TRY(fts_bulk_end(b->db, &b->fts));
	/* Before refund linking, which looks rows up by their numbers. */
	KMV_TRY(index_bulk_end(b->db, &b->indexes, true));
done:
	return error;
}

void kmv_bulk__free(kmv_bulk *b)
{
	if (!b)
		return;
	free(b->fts.trigger_sql); /* on failure the rollback restores it */
	index_bulk_end(b->db, &b->indexes, false); /* and these indexes */
	free(b);
}
