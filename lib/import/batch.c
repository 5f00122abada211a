/* SPDX-License-Identifier: MIT */
/*
 * Record batches: bulk importers (statements, mail folders) queue records
 * here and they are stored KMV_BATCH_ROWS at a time with one multi-row
 * INSERT OR IGNORE.  Per statement, SQLite opens and closes a cursor on
 * the table and each of its indexes and runs the statement's start and
 * end; for one-row inserts that is a third of the insert cost
 * (docs/performance.md), shared here by a whole batch.
 *
 * A queued record is copied: its strings into its slot's arena, whose
 * capacity is reserved before a record is copied, so the pointers bound at
 * store time never move.  The price is that ids are not reported back,
 * which is why only importers that do not need them use this (orders and
 * mail's single messages need the id, or the duplicate's id, and go
 * through kmv_sink__add_record).
 *
 * Overlap (kmv_batch__overlap): parsing a statement and storing its rows
 * each take about half of a large import's row phase, one after the
 * other on one core.  There are two slots: while a writer thread stores
 * a full one, the importer fills the other, so the two halves run side by
 * side.  The thread only steps the multi-row INSERT on slots the importer
 * has handed over and no longer touches; everything else (a slot's tail,
 * a duplicate's look-up, every other statement) runs on the importer's
 * thread after the writer has gone idle, so the connection is never used
 * by two threads at once.  Ids come out as without it: slots are stored
 * in the order they were filled.
 */
#include "common.h"

#include <pthread.h>
#include <stddef.h>

#include "core/record_columns.h"
#include "import/insert.h"
#include "import/session.h"
#include "store/db.h"

#define KMV_BATCH_ROWS 64
/* A slot is several statements' worth: one hand-over per 512 rows. */
#define SLOT_BATCHES 8
#define SLOT_ROWS (KMV_BATCH_ROWS * SLOT_BATCHES)

struct batch_slot {
	kmv_record rows[SLOT_ROWS];
	char when[SLOT_ROWS][KMV_TIME_BUFSZ]; /* bound, so kept with it */
	size_t n;
	kmv_buf arena;
};

/* The writer thread's side; every field under `mu`. */
struct batch_writer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool running, quit;
	struct batch_slot *pending; /* handed over, not stored yet */
	int error;                  /* the first failure, with its message */
	kmv_error_saved saved;
	int64_t rows, added; /* stored since the importer last looked */
};

struct kmv_import_batch {
	struct batch_slot slot[2];
	struct batch_slot *filling;
	sqlite3 *db;
	const char *now;
	sqlite3_stmt *insert; /* KMV_BATCH_ROWS rows */
	bool overlap;
	struct batch_writer w;
};

/* The string columns of kmv_record: those of the one column list. */
static char **string_field(kmv_record *r, int i)
{
	return kmv_record__string(r, (kmv_record_field)i);
}

static int batch_new(kmv_import_batch **out, kmv_import_ctx *ctx)
{
	kmv_import_batch *b = calloc(1, sizeof(*b));
	kmv_buf sql = KMV_BUF_INIT;
	int error = 0;

	if (!b)
		return kmv_error_nomem();
	for (size_t i = 0; i < KMV_ARRAY_SIZE(b->slot); i++)
		kmv_buf_init(&b->slot[i].arena, 0);
	b->filling = &b->slot[0];
	b->db = ctx->db;
	b->now = ctx->now;
	pthread_mutex_init(&b->w.mu, NULL);
	pthread_cond_init(&b->w.cond, NULL);
	KMV_TRY(kmv_insert__sql(&sql, KMV_BATCH_ROWS));
	KMV_TRY(kmv_db__prepare(&b->insert, ctx->db, sql.ptr));
	*out = b;
	b = NULL;
done:
	kmv_buf_dispose(&sql);
	kmv_batch__free(b);
	return error;
}

static void slot_clear(struct batch_slot *s)
{
	s->n = 0;
	kmv_buf_clear(&s->arena);
}

static void count(kmv_import_ctx *ctx, int64_t rows, int64_t added)
{
	if (ctx->result) {
		ctx->result->added += added;
		ctx->result->duplicates += rows - added;
	}
}

/*
 * Store rows [0, full) of `s`, full a multiple of KMV_BATCH_ROWS, one
 * multi-row statement each; *added: how many were new.  Runs on either
 * thread, never on both at once.
 */
static int store_full(kmv_import_batch *b, struct batch_slot *s, size_t full,
		      int64_t *added)
{
	*added = 0;
	for (size_t at = 0; at < full; at += KMV_BATCH_ROWS) {
		int rc;

		for (size_t i = 0; i < KMV_BATCH_ROWS; i++)
			kmv_insert__bind(b->insert, (int)i * KMV_INSERT_NCOLS,
					 &s->rows[at + i], s->when[at + i],
					 b->now);
		rc = sqlite3_step(b->insert);
		/*
		 * The bindings still point into the arena, which is reused:
		 * harmless, as the next step comes after every parameter
		 * was bound again (and clearing ~1,700 of them per batch
		 * was a cost of its own).
		 */
		sqlite3_reset(b->insert);
		if (rc != SQLITE_DONE)
			return kmv_db__error(b->db, "cannot store records");
		*added += sqlite3_changes(b->db);
	}
	return 0;
}

/* Store the whole slot on the importer's thread, its tail row by row. */
static int store_here(kmv_import_ctx *ctx, struct batch_slot *s)
{
	size_t full = s->n - s->n % KMV_BATCH_ROWS;
	int64_t added = 0;
	int error = 0;

	KMV_TRY(store_full(ctx->batch, s, full, &added));
	count(ctx, (int64_t)full, added);
	for (size_t i = full; i < s->n; i++) {
		int64_t id;

		error = kmv_insert__record(&id, ctx, &s->rows[i]);
		if (error != 0 && error != KMV_EEXISTS)
			goto done;
		count(ctx, 1, error == 0);
		error = 0;
	}
done:
	slot_clear(s);
	return error;
}

static void *writer_main(void *arg)
{
	kmv_import_batch *b = arg;
	struct batch_writer *w = &b->w;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct batch_slot *s;
		kmv_error_saved saved;
		int64_t added = 0;
		int error = 0;

		while (!w->pending && !w->quit)
			pthread_cond_wait(&w->cond, &w->mu);
		if (!(s = w->pending))
			break;
		error = w->error; /* after a failure, slots are dropped */
		pthread_mutex_unlock(&w->mu);
		if (error == 0 && (error = store_full(b, s, s->n, &added)) < 0)
			kmv_error_save(&saved);
		pthread_mutex_lock(&w->mu);
		if (error < 0 && w->error == 0) {
			w->error = error;
			w->saved = saved;
		}
		w->rows += (int64_t)s->n;
		w->added += added;
		slot_clear(s);
		w->pending = NULL;
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/*
 * With the lock held: wait until the writer has stored what it was
 * given, take its counts and its failure (reported once, here).
 */
static int writer_idle_locked(kmv_import_ctx *ctx, struct batch_writer *w)
{
	int error = 0;

	while (w->pending)
		pthread_cond_wait(&w->cond, &w->mu);
	count(ctx, w->rows, w->added);
	w->rows = w->added = 0;
	if (w->error < 0) {
		error = w->error;
		kmv_error_restore(&w->saved);
		w->error = 0;
	}
	return error;
}

/* The writer gone: every slot handed over stored, the thread joined. */
static int writer_stop(kmv_import_ctx *ctx, kmv_import_batch *b)
{
	struct batch_writer *w = &b->w;
	int error;

	if (!w->running)
		return 0;
	pthread_mutex_lock(&w->mu);
	error = writer_idle_locked(ctx, w);
	w->quit = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	w->running = w->quit = false;
	return error;
}

/* Give the full filling slot to the writer and fill the other one. */
static int hand_over(kmv_import_ctx *ctx, kmv_import_batch *b)
{
	struct batch_writer *w = &b->w;
	int error;

	if (!w->running) {
		if (pthread_create(&w->thread, NULL, writer_main, b) != 0) {
			b->overlap = false; /* stored here, as without */
			return store_here(ctx, b->filling);
		}
		w->running = true;
	}
	pthread_mutex_lock(&w->mu);
	error = writer_idle_locked(ctx, w); /* the other slot is free */
	if (error == 0) {
		w->pending = b->filling;
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->mu);
	if (error < 0)
		return error;
	b->filling = b->filling == &b->slot[0] ? &b->slot[1] : &b->slot[0];
	return 0;
}

void kmv_batch__free(kmv_import_batch *b)
{
	if (!b)
		return;
	if (b->w.running) { /* a path that neither flushed nor dropped */
		pthread_mutex_lock(&b->w.mu);
		if (b->w.error == 0)
			b->w.error = KMV_ERROR; /* store nothing more */
		b->w.quit = true;
		pthread_cond_broadcast(&b->w.cond);
		pthread_mutex_unlock(&b->w.mu);
		pthread_join(b->w.thread, NULL);
	}
	pthread_mutex_destroy(&b->w.mu);
	pthread_cond_destroy(&b->w.cond);
	sqlite3_finalize(b->insert);
	for (size_t i = 0; i < KMV_ARRAY_SIZE(b->slot); i++)
		kmv_buf_dispose_secure(&b->slot[i].arena);
	free(b);
}

int kmv_batch__overlap(kmv_import_ctx *ctx)
{
	int error = 0;

	if (!ctx->batch)
		KMV_TRY(batch_new(&ctx->batch, ctx));
	ctx->batch->overlap = true;
done:
	return error;
}

int kmv_batch__flush_records(kmv_import_ctx *ctx)
{
	kmv_import_batch *b = ctx->batch;
	int error = 0;

	if (!b)
		return 0;
	error = writer_stop(ctx, b);
	b->overlap = false;
	if (error < 0) {
		slot_clear(b->filling);
		return error;
	}
	return b->filling->n ? store_here(ctx, b->filling) : 0;
}

void kmv_batch__drop_records(kmv_import_ctx *ctx)
{
	kmv_import_batch *b = ctx->batch;
	kmv_error_saved saved;

	if (!b)
		return;
	/* The caller's failure is the one to report: keep its message. */
	kmv_error_save(&saved);
	writer_stop(ctx, b);
	kmv_error_restore(&saved);
	b->overlap = false;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(b->slot); i++)
		slot_clear(&b->slot[i]);
}

/* The filling slot is full, or has no room for `need` more bytes. */
static int slot_done(kmv_import_ctx *ctx, kmv_import_batch *b)
{
	if (b->overlap && b->filling->n == SLOT_ROWS)
		return hand_over(ctx, b);
	/* a slot's tail goes through the look-ups: the writer idle first */
	int error = writer_stop(ctx, b);

	return error < 0 ? error : store_here(ctx, b->filling);
}

int kmv_batch__queue_record(kmv_import_ctx *ctx, const kmv_record *r)
{
	kmv_import_batch *b;
	struct batch_slot *s;
	kmv_record *copy;
	size_t len[KMV_RECORD_FIELD_COUNT], need = 0;
	int error = 0;

	if (!r->source_kind || !r->dedup_key) {
		kmv_error_set(KMV_ERROR_INTERNAL, "record without dedup key");
		return KMV_ERROR;
	}
	if (!ctx->batch)
		KMV_TRY(batch_new(&ctx->batch, ctx));
	b = ctx->batch;
	if (ctx->result)
		ctx->result->rows++;
	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++) {
		char **f = string_field((kmv_record *)r, i);

		len[i] = f && *f ? strlen(*f) + 1 : 0;
		need += len[i];
	}
	s = b->filling;
	if (s->arena.size + need + 1 > s->arena.asize) {
		if (s->n)
			KMV_TRY(slot_done(ctx, b));
		s = b->filling; /* the other one after a hand-over */
		/* Room for a slot of such rows (a statement's are alike): no
		 * early store next time; a batch's for large ones. */
		KMV_TRY(kmv_buf_grow(&s->arena,
				     need * (need <= 16384 ? SLOT_ROWS
							   : KMV_BATCH_ROWS)));
	}
	copy = &s->rows[s->n];
	*copy = *r;
	copy->refund_of_payment_no = NULL; /* a hint, not stored */
	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++) {
		char **field = string_field(copy, i);
		size_t at = s->arena.size;

		if (!len[i])
			continue;
		/* Within the reserved capacity: never reallocates. */
		KMV_TRY(kmv_buf_put(&s->arena, *field, len[i]));
		*field = s->arena.ptr + at;
	}
	if (++s->n == SLOT_ROWS)
		KMV_TRY(slot_done(ctx, b));
done:
	return error;
}
