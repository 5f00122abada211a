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
#include "kmvutil/buf.h"
#include "kmvutil/datetime.h"

typedef struct kmv_import_ctx kmv_import_ctx;

/*
 * The records columns an import writes are those of KMV_RECORD_FIELDS
 * (kmv/record.h) but the ones the import leaves to others: the id
 * (SQLite's), the source's name (a sources column), refund_of (linked
 * once the file is in, kmv_sink__link_refunds) and deleted_at (void);
 * the time also writes `ts`, its epoch, and created_at / updated_at are
 * the run's time.  A new column of the list is written without an edit
 * here.
 */

/* Whether the import writes column `f` (a kmv_record_field). */
#define KMV_INSERT__WRITTEN(f)                                                \
	((f) != KMV_RECORD_FIELD_ID && (f) != KMV_RECORD_FIELD_SOURCE_FILE && \
	 (f) != KMV_RECORD_FIELD_REFUND_OF &&                                 \
	 (f) != KMV_RECORD_FIELD_DELETED_AT)

/* How many parameters one record binds: a constant of the column list. */
#define KMV_INSERT__COUNT(name, column, key, type, member, place) \
	+(KMV_INSERT__WRITTEN(KMV_RECORD_FIELD_##name)            \
		  ? ((type) == KMV_RECORD_TIME ? 2 : 1)           \
		  : 0)
enum { KMV_INSERT_NCOLS = 0 KMV_RECORD_FIELDS(KMV_INSERT__COUNT) };

/* Append "INSERT OR IGNORE INTO records(<the columns>) VALUES (?,...)"
 * with `rows` rows of placeholders to `sql`. */
int kmv_insert__sql(kmv_buf *sql, int rows);

/*
 * Bind `rec` to parameters base+1 .. base+KMV_INSERT_NCOLS without
 * copying (`when` receives the formatted time): `rec`'s strings must
 * outlive the step.  Every one of those parameters is bound (NULL when
 * unset), so a statement rebound for each step needs no clearing.
 */
void kmv_insert__bind(sqlite3_stmt *st, int base, const kmv_record *rec,
		      char when[KMV_TIME_BUFSZ], const char *now);

/*
 * Insert `rec` with the run's prepared statement: 0 and the new id, or
 * KMV_EEXISTS and the stored duplicate's id (in *id_out and rec->id).
 * Counts nothing: kmv_sink__add_record and batch.c's tail count.
 */
int kmv_insert__record(int64_t *id_out, kmv_import_ctx *ctx, kmv_record *rec);

#endif
