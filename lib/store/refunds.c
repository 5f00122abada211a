/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/refunds.h"

#include <string.h>

#include "store/db.h"

/*
 * A vault opened read-only keeps the schema it was saved with (only a
 * writer upgrades it), so one from before v5 has no records_refund_of and
 * `refund_of = ?` would read every record at every hop.  Its refund edges
 * are then copied once into an indexed temporary table, one scan as
 * before v5; nothing changes the records of a read-only open afterwards.
 */
static int lookup_table(sqlite3 *db, const char **table)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	*table = "records";
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT 1 FROM sqlite_master WHERE type = 'index'"
		" AND name = 'records_refund_of'"));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		goto done;
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot read the schema");
		goto done;
	}
	*table = "temp.refund_edges";
	KMV_TRY(kmv_db__exec(
		db, "CREATE TEMP TABLE IF NOT EXISTS refund_edges AS"
		    " SELECT refund_of, id, deleted_at FROM records"
		    " WHERE refund_of IS NOT NULL;"
		    "CREATE INDEX IF NOT EXISTS temp.refund_edges_charge"
		    " ON refund_edges(refund_of, id);"));
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_refunds__open(kmv_refunds *out, sqlite3 *db, bool live_only)
{
	const char *table;
	char sql[160];
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->db = db;
	KMV_TRY(lookup_table(db, &table));
	/* `refund_of = ?1` implies the index's `refund_of IS NOT NULL`. */
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM %s WHERE refund_of = ?1%s ORDER BY id", table,
		 live_only ? " AND deleted_at IS NULL" : "");
	KMV_TRY(kmv_db__prepare(&out->st, db, sql));
done:
	return error;
}

int kmv_refunds__each(kmv_refunds *r, int64_t charge,
		      int (*fn)(void *ctx, int64_t refund), void *ctx)
{
	int error = 0, rc;

	sqlite3_reset(r->st);
	sqlite3_bind_int64(r->st, 1, charge);
	while ((rc = sqlite3_step(r->st)) == SQLITE_ROW)
		KMV_TRY(fn(ctx, sqlite3_column_int64(r->st, 0)));
	if (rc != SQLITE_DONE)
		error = kmv_db__error(r->db, "cannot read refunds");
done:
	sqlite3_reset(r->st);
	return error;
}

void kmv_refunds__dispose(kmv_refunds *r)
{
	sqlite3_finalize(r->st);
	memset(r, 0, sizeof(*r));
}
