/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/refunds.h"

#include <string.h>

#include "store/db.h"

int kmv_refunds__open(kmv_refunds *out, sqlite3 *db, bool live_only)
{
	memset(out, 0, sizeof(*out));
	out->db = db;
	/* `refund_of = ?1` implies the index's `refund_of IS NOT NULL`. */
	return kmv_db__prepare(
		&out->st, db,
		live_only ? "SELECT id FROM records WHERE refund_of = ?1"
			    " AND deleted_at IS NULL ORDER BY id"
			  : "SELECT id FROM records WHERE refund_of = ?1"
			    " ORDER BY id");
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
