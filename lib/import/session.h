/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_SESSION_H
#define KMV_IMPORT_SESSION_H

/*
 * The inside of the sink (sink.h): the state of one import run, shared by
 * the files that implement the sink — session.c (the transaction, files,
 * folders, the audit event), sink.c (sources, records, messages, the
 * results, ZIP members and a folder's OCR'd screenshots), insert.c (the
 * one record INSERT), batch.c (batched inserts), bulk.c and order_sink.c.  No
 * importer includes this header.
 */
#include <sqlite3.h>

#include "import/import.h"
#include "kmvutil/datetime.h"
#include "kmvutil/compress.h"
#include "store/vault.h"

typedef struct kmv_import_batch kmv_import_batch;

struct kmv_import_ctx {
	kmv_vault *vault;
	sqlite3 *db;
	const kmv_import_options *opts;
	kmv_import_results *results;
	kmv_import_result *result; /* the top-level file being imported */
	char now[KMV_TIME_BUFSZ];  /* imported_at / created_at */
	int depth;                 /* 0 top level, 1 inside a ZIP */
	/* The top-level file was rejected before any importer knew it for
	 * its own (binary, or no header row): a folder walk skips it.  A ZIP
	 * with such a member is known (a ZIP) and stays an error. */
	bool unrecognized;
	const char *skip_reason; /* the folder's warning, when not the usual */
	sqlite3_stmt *ins_record;
	sqlite3_stmt *find_record;
	sqlite3_stmt *ins_source;
	sqlite3_stmt *find_source;
	sqlite3_stmt *set_source_info; /* once per mbox message: prepared once */
	/* Source contents being compressed on the other core (add_source). */
	struct kmv_import_packing {
		int64_t source_id;
		kmv_compress_job *job;
	} packing[2];
	size_t npacking;
	struct kmv_import_batch *batch; /* queued records (batch.c) */
	/* Where a file goes (session.c's router, set by session_begin):
	 * kmv_sink__member reaches it through here, so archive.c calls
	 * the sink and never the session above it. */
	int (*route)(kmv_import_ctx *ctx, const kmv_import_file *file,
		     const struct kmv_detection *where);
	struct kmv_ocr_pool *ocr_pool; /* a folder's screenshots, OCR'd ahead */
	const char *ocr_folder;        /* that folder, for ocr_progress */
};

/*
 * A run: the context made, the sink's statements prepared and the
 * transaction begun (kmv_import_files, and the unit tests' fixture, which
 * stores its records through the sink).  _end commits when `error` is 0
 * (queued records flushed first), else rolls back; it frees the context
 * and returns the error.  Neither writes the audit event: that is
 * kmv_import_files' (it names the files).
 */
int kmv_session__begin(kmv_import_ctx **out, kmv_vault *vault,
		       const kmv_import_options *opts,
		       kmv_import_results *results);
int kmv_session__end(kmv_import_ctx *ctx, int error);

/* sink.c: prepare the statements add_source / add_record use. */
int kmv_sink__open(kmv_import_ctx *ctx);
void kmv_sink__close(kmv_import_ctx *ctx);
/* Every background compression waited for and stored, or dropped. */
int kmv_sink__store_packings(kmv_import_ctx *ctx);
void kmv_sink__drop_packings(kmv_import_ctx *ctx);

/* Detect and import one file (top level or ZIP member). */
int kmv_session__file(kmv_import_ctx *ctx, const kmv_import_file *file);

void kmv_batch__free(kmv_import_batch *batch); /* NULL-safe */

#endif
