/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_SINK_H
#define KMV_IMPORT_SINK_H

/*
 * The sink: everything an importer may do with the vault and the user,
 * and nothing else.  An importer (archive.c, statement.c, orders.c,
 * mail.c, page.c) gets a file's bytes and a kmv_import_ctx it cannot look
 * into; through these calls it stores sources and records, rejects the
 * file, warns, reports progress and fills its line of the results.  The
 * transaction, the folder walk, the audit event and the SQL all live
 * behind it (session.c, sink.c, insert.c, batch.c, bulk.c, order_sink.c; the
 * context's fields are in session.h, which importers never include).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmv/import.h"
#include "kmv/record.h"

/* Largest input file (and ZIP member) accepted. */
#define KMV_IMPORT_MAX_FILE ((size_t)512 << 20)

/* One import run (session.c): opaque to importers. */
typedef struct kmv_import_ctx kmv_import_ctx;

struct kmv_xlsx; /* readers.h */

typedef struct kmv_import_file {
	const char *display; /* for messages: "a.zip:inner.csv" */
	const char *name;    /* base name */
	const uint8_t *data;
	size_t len;
	int64_t source_id; /* this file's source row */
	/* The file as a workbook, opened once by detect.c (readers.h's
	 * kmv_xlsx__rows reads it); NULL when the file is none. */
	const struct kmv_xlsx *book;
} kmv_import_file;

/* ---- the run ---------------------------------------------------------- */

/* The caller's options (profile, platform, rules, passwords, callbacks). */
const kmv_import_options *kmv_sink__options(const kmv_import_ctx *ctx);

/* 0 for a file named by the user or found in a folder, 1 inside a ZIP. */
int kmv_sink__depth(const kmv_import_ctx *ctx);

/*
 * Say whether the file just rejected is simply not a source of ours (a
 * README, a picture that is no screenshot): at the top level a folder
 * walk then skips it with a warning.  Inside a ZIP it stays an error.
 */
void kmv_sink__unrecognized(kmv_import_ctx *ctx, bool unrecognized);
/* The same with the folder walk's warning for it (a static string:
 * "skipped: not a readable image …") instead of the usual one. */
void kmv_sink__unrecognized_because(kmv_import_ctx *ctx, const char *why);

/*
 * Import a file found inside this one (a ZIP member) where `where` (its
 * kmv_detect__file, made by the caller before it stored the member, so a
 * nested archive is refused first) sends it.
 */
struct kmv_detection;
int kmv_sink__member(kmv_import_ctx *ctx, const kmv_import_file *member,
		     const struct kmv_detection *where);

/* ---- messages --------------------------------------------------------- */

/*
 * Reject input: sets "FILE:LINE: message" (line 0 omits it) and returns
 * KMV_EINPUT.  The format is translated here (update-po.sh knows it).
 */
int kmv_sink__reject(const kmv_import_file *file, int64_t line, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

/* A warning through the options' warn callback (no-op when unset). */
void kmv_sink__warn(kmv_import_ctx *ctx, const kmv_import_file *file,
		    int64_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Report progress through the options' progress callback. */
void kmv_sink__progress(kmv_import_ctx *ctx, const kmv_import_file *file,
			uint64_t done, uint64_t total);

/* ---- sources ---------------------------------------------------------- */

/*
 * Store a source file (original bytes compressed) unless one with the same
 * SHA-256 and parent exists, in which case its id is returned.
 */
int kmv_sink__add_source(int64_t *id_out, kmv_import_ctx *ctx, const char *kind,
			 const char *name, const void *data, size_t len,
			 int64_t parent_id);

/* Update a source's kind, row count and metadata JSON (may be NULL). */
int kmv_sink__set_source_info(kmv_import_ctx *ctx, int64_t source_id,
			      const char *kind, int64_t rows,
			      const char *meta_json);

/* ---- records ---------------------------------------------------------- */

/*
 * Insert a record.  Returns 0 when added (id in *id_out and rec->id), or
 * KMV_EEXISTS when (source_kind, dedup_key) is already present, with the
 * existing id in *id_out.  Counts rows/added/duplicates in the results.
 */
int kmv_sink__add_record(int64_t *id_out, kmv_import_ctx *ctx, kmv_record *rec);

/*
 * Queue a record for a batched insert (batch.c): `rec` is copied, counts
 * are kept as by add_record, ids are not reported.  Flush before anything
 * reads the records back; drop the queue when the file is rejected.
 */
int kmv_batch__queue_record(kmv_import_ctx *ctx, const kmv_record *rec);
int kmv_batch__flush_records(kmv_import_ctx *ctx);
void kmv_batch__drop_records(kmv_import_ctx *ctx);

/*
 * Until the next flush or drop, full batches are stored on a second
 * thread while the caller goes on queueing (batch.c, "Overlap").  In
 * between, the caller must not use the vault in any way but queueing
 * records: only a reader that parses its whole file first (a statement)
 * may ask for it.  A failure of the store is returned by a later queue
 * call or by the flush.
 */
int kmv_batch__overlap(kmv_import_ctx *ctx);

/*
 * Point the refund rows of `source_kind` at the payment they refund, once
 * a whole file is in (the original may come later in the file, or in a
 * later statement).
 */
int kmv_sink__link_refunds(kmv_import_ctx *ctx, const char *source_kind);

/* The same for one pair an importer (or a test's fixture) already knows. */
int kmv_sink__link_refund(kmv_import_ctx *ctx, int64_t refund_id,
			  int64_t original_id);

/*
 * Bulk mode for one large file (bulk.c): the FTS trigger and, when the
 * file brings more rows than the vault holds (kmv_bulk__expect), the
 * random-key indexes are dropped inside the transaction and built once
 * at kmv_bulk__end.  kmv_bulk__free alone is the failure path: the
 * rollback restores what was dropped.
 */
typedef struct kmv_bulk kmv_bulk;
int kmv_bulk__begin(kmv_bulk **out, kmv_import_ctx *ctx);
int kmv_bulk__expect(kmv_bulk *bulk, uint64_t rows_hint);
int kmv_bulk__end(kmv_bulk *bulk);
void kmv_bulk__free(kmv_bulk *bulk); /* NULL-safe */

/*
 * What an order export does to orders it met before (order_sink.c): find
 * one stored under another key, take a changed status, add timeline rows.
 */
typedef struct kmv_order_sink kmv_order_sink;
int kmv_order_sink__open(kmv_order_sink **out, kmv_import_ctx *ctx);
void kmv_order_sink__free(kmv_order_sink *s); /* NULL-safe */
/*
 * The order as stored before under another key, so that neither a new
 * file name nor a platform learned later makes a copy: with a platform,
 * the same order stored with none (it is filled in, and the key follows);
 * without one, the only order of that number.  0 none, 1 found (id in
 * *id), 2 found and its platform filled in.
 */
int kmv_order_sink__earlier(kmv_order_sink *s, const kmv_record *rec,
			    int64_t *id);
/* Take rec's status and newly filled fields into order rec->id when its
 * status changed (1, counted as updated), else 0. */
int kmv_order_sink__update(kmv_order_sink *s, const kmv_record *rec);
/* Append a timeline row unless order `id` already went through `state`. */
int kmv_order_sink__ensure_state(kmv_order_sink *s, int64_t id,
				 const char *state, const char *raw,
				 const kmv_time *when, int64_t source_id);

/* ---- the file's line in the results ----------------------------------- */

/* The file's kind ("alipay", "orders", "zip", ...), unless one is set. */
int kmv_sink__set_kind(kmv_import_ctx *ctx, const char *kind);
/* The line's detail (the layout or mapping read), unless one is set. */
int kmv_sink__set_detail(kmv_import_ctx *ctx, const char *detail);
/* The same, appended as "; NAME: DETAIL" when one is set (a ZIP's files). */
int kmv_sink__add_detail(kmv_import_ctx *ctx, const char *name,
			 const char *detail);
/* A row found stored before add_record was asked: a duplicate. */
void kmv_sink__count_duplicate(kmv_import_ctx *ctx);
/* A duplicate that changed the stored record: an update. */
void kmv_sink__count_update(kmv_import_ctx *ctx);
/* A row (an e-mail) kept as a source that no rule understood. */
void kmv_sink__count_unrecognized(kmv_import_ctx *ctx);

#endif
