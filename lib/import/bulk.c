/* SPDX-License-Identifier: MIT */
/* Bulk mode for one large file (sink.h: kmv_bulk__begin ... __end). */
#include "common.h"
#include "import/session.h"
#include "kmvutil/array.h"
#include "kmvutil/hash.h"
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
 * definition) and a failure rolls everything back.  The UNIQUE dedup
 * index goes too (schema v4's records_dedup), with the insert's duplicate
 * check taken over by the key set below.
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

/*
 * Bulk mode for the dedup index.  Dropping records_dedup leaves INSERT OR
 * IGNORE nothing to ignore against, so the rows are checked here first,
 * exactly: the (source_kind, dedup_key) pairs stored for each kind the
 * file brings (loaded when the kind first shows up) and those of the file
 * as they come, in one hash set of the keys themselves (the hash only
 * finds the slot; the bytes decide).  A row found there is skipped and
 * counted as the ignored insert would be, so ids and counts are those of
 * INSERT OR IGNORE.  The index is built from its stored SQL after the
 * rows; should it still find two equal keys (a bug of this check), the
 * import fails and the transaction takes everything back.
 */
struct key_slot {
	uint64_t off; /* of the key in the arena: kind, NUL, dedup key */
	uint32_t len; /* 0: empty slot; kmv_buf's 1 GiB cap bounds it */
	uint32_t hash;
};

struct dedup_bulk {
	char *sql; /* records_dedup's CREATE, while it is dropped */
	struct key_slot *slots;
	size_t cap, n; /* cap: 0 or a power of two */
	kmv_buf arena;
	char **kinds; /* the kinds whose stored keys are in the set */
	size_t nkinds, akinds;
};

static int dedup_bulk_begin(sqlite3 *db, struct dedup_bulk *d)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT sql FROM sqlite_master "
		"WHERE type = 'index' AND tbl_name = 'records' "
		"AND name = 'records_dedup' AND sql IS NOT NULL"));
	if (sqlite3_step(st) != SQLITE_ROW)
		goto done; /* a schema before v4: the constraint stays */
	if (!(d->sql = strdup((const char *)sqlite3_column_text(st, 0)))) {
		error = kmv_error_nomem();
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	KMV_TRY(kmv_db__exec(db, "DROP INDEX records_dedup"));
done:
	sqlite3_finalize(st);
	return error;
}

static int key_set_grow(struct dedup_bulk *d)
{
	size_t cap = d->cap ? d->cap * 2 : 1024;
	struct key_slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return kmv_error_nomem();
	for (size_t k = 0; k < d->cap; k++) {
		size_t i;

		if (!d->slots[k].len)
			continue;
		i = d->slots[k].hash & (cap - 1);
		while (s[i].len)
			i = (i + 1) & (cap - 1);
		s[i] = d->slots[k];
	}
	free(d->slots);
	d->slots = s;
	d->cap = cap;
	return 0;
}

/*
 * Add the key at the arena's end (from `off`): *fresh false, and the
 * arena back to `off`, when it was there already.
 */
static int key_set_add(struct dedup_bulk *d, size_t off, bool *fresh)
{
	const char *key = d->arena.ptr + off;
	size_t len = d->arena.size - off, i;
	uint8_t h[16];
	uint32_t hash;
	int error = 0;

	if (d->n * 2 >= d->cap)
		KMV_TRY(key_set_grow(d));
	kmv_hash128(h, key, len);
	memcpy(&hash, h, sizeof(hash));
	for (i = hash & (d->cap - 1); d->slots[i].len;
	     i = (i + 1) & (d->cap - 1)) {
		const struct key_slot *k = &d->slots[i];

		if (k->hash == hash && k->len == len &&
		    memcmp(d->arena.ptr + k->off, key, len) == 0) {
			kmv_buf_truncate(&d->arena, off);
			*fresh = false;
			return 0;
		}
	}
	d->slots[i].off = off;
	d->slots[i].len = (uint32_t)len;
	d->slots[i].hash = hash;
	d->n++;
	*fresh = true;
done:
	return error;
}

/* Put kind, NUL, key at the arena's end and into the set. */
static int key_put(struct dedup_bulk *d, const char *kind, const char *key,
		   size_t key_len, bool *fresh)
{
	size_t off = d->arena.size;
	int error = 0;

	KMV_TRY(kmv_buf_put(&d->arena, kind, strlen(kind) + 1));
	KMV_TRY(kmv_buf_put(&d->arena, key, key_len));
	KMV_TRY(key_set_add(d, off, fresh));
done:
	return error;
}

/* The keys the vault holds for `kind`, once per kind and import. */
static int dedup_load_kind(sqlite3 *db, struct dedup_bulk *d, const char *kind)
{
	sqlite3_stmt *st = NULL;
	bool fresh;
	int error = 0, rc;

	for (size_t i = 0; i < d->nkinds; i++)
		if (strcmp(d->kinds[i], kind) == 0)
			return 0;
	KMV_TRY(KMV_ARRAY_GROW(d->kinds, d->akinds, d->nkinds + 1));
	if (!(d->kinds[d->nkinds] = strdup(kind)))
		return kmv_error_nomem();
	d->nkinds++;
	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT dedup_key FROM records "
				"WHERE source_kind = ?"));
	kmv_db__bind_text_static(st, 1, kind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		KMV_TRY(key_put(d, kind,
				(const char *)sqlite3_column_text(st, 0),
				(size_t)sqlite3_column_bytes(st, 0), &fresh));
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read the stored records");
done:
	sqlite3_finalize(st);
	return error;
}

/* Build records_dedup again (also frees, so call it on every path). */
static int dedup_bulk_end(sqlite3 *db, struct dedup_bulk *d, bool build)
{
	int error = 0;

	if (d->sql && build &&
	    sqlite3_exec(db, d->sql, NULL, NULL, NULL) != SQLITE_OK) {
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "cannot build the index of record keys: %s "
			      "(nothing of this import was stored)",
			      sqlite3_errmsg(db));
		error = KMV_ERROR;
	}
	free(d->sql);
	d->sql = NULL;
	free(d->slots);
	d->slots = NULL;
	d->cap = d->n = 0;
	kmv_buf_dispose(&d->arena);
	for (size_t i = 0; i < d->nkinds; i++)
		free(d->kinds[i]);
	free(d->kinds);
	d->kinds = NULL;
	d->nkinds = d->akinds = 0;
	return error;
}

struct kmv_bulk {
	sqlite3 *db;
	struct fts_bulk fts;
	struct index_bulk indexes;
	struct dedup_bulk dedup;
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
	int error = 0;

	/* Records are never deleted, so max(id) counts them. */
	KMV_TRY(index_bulk_begin(b->db, &b->indexes, rows_hint, b->fts.max_id));
	if (rows_hint > (uint64_t)(b->fts.max_id > 0 ? b->fts.max_id : 0))
		KMV_TRY(dedup_bulk_begin(b->db, &b->dedup));
done:
	return error;
}

int kmv_bulk__admit(kmv_bulk *b, const kmv_record *rec, bool *fresh)
{
	int error = 0;

	*fresh = true;
	if (!b || !b->dedup.sql)
		return 0; /* the unique index decides */
	KMV_TRY(dedup_load_kind(b->db, &b->dedup, rec->source_kind));
	KMV_TRY(key_put(&b->dedup, rec->source_kind, rec->dedup_key,
			strlen(rec->dedup_key), fresh));
done:
	return error;
}

int kmv_bulk__end(kmv_bulk *b)
{
	int error = 0;

	KMV_TRY(fts_bulk_end(b->db, &b->fts));
	/* Before refund linking, which looks rows up by their numbers. */
	KMV_TRY(index_bulk_end(b->db, &b->indexes, true));
	KMV_TRY(dedup_bulk_end(b->db, &b->dedup, true));
done:
	return error;
}

void kmv_bulk__free(kmv_bulk *b)
{
	if (!b)
		return;
	free(b->fts.trigger_sql); /* on failure the rollback restores it */
	index_bulk_end(b->db, &b->indexes, false); /* and these indexes */
	dedup_bulk_end(b->db, &b->dedup, false);
	free(b);
}
