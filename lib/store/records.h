/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_RECORDS_H
#define KMV_STORE_RECORDS_H

/*
 * The one way a stored record is read (issue 16.1): select the columns of
 * KMV_RECORD_FIELDS (kmv/record.h) with kmv_record__select(), then fill a
 * kmv_record from each row with kmv_record__from_row().  show, query,
 * reports and evidence read records this way; their own extras (a
 * report's count, a bundle's source hash) are columns after the record's.
 */
#include <sqlite3.h>
#include <stdbool.h>

#include "kmvutil/buf.h"
#include "kmv/record.h"

/* How many result columns kmv_record__select() puts before `more`. */
#define KMV_RECORD__NCOLS KMV_RECORD_FIELD_COUNT

/* kmv_record__select() flags */
enum {
	/* the card_secret column is not read at all (NULL in its place):
	 * reports cannot leak what they never load */
	KMV_RECORD__NO_SECRET = 1
};

/*
 * Append "SELECT <the record columns>[, more] FROM records r LEFT JOIN
 * sources s ON s.id = r.source_id" to `sql`; the caller adds WHERE and
 * ORDER BY (columns as r.NAME).  `more` may be NULL.
 */
int kmv_record__select(kmv_buf *sql, unsigned flags, const char *more);

/*
 * Fill `rec` (disposed first, so one record can be reused row after row)
 * from the current row of `st`, whose columns `first_col ..` are those of
 * kmv_record__select().  The card secret is masked (kmv_mask_secret)
 * unless `reveal`; a NULL column is NULL / 0 / has_* false.
 */
int kmv_record__from_row(kmv_record *rec, sqlite3_stmt *st, int first_col,
			 bool reveal);

#endif
