/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/refunds.h"

#include <stdlib.h>
#include <string.h>

#include "kmvutil/array.h"
#include "store/db.h"

static int by_charge(const void *x, const void *y)
{
	const kmv_refund_edge *a = x, *b = y;

	if (a->charge != b->charge)
		return a->charge < b->charge ? -1 : 1;
	return (a->refund > b->refund) - (a->refund < b->refund);
}

int kmv_refunds__load(kmv_refunds *out, sqlite3 *db, bool live_only)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int error = 0, rc;

	memset(out, 0, sizeof(*out));
	/* A charge id is never 0, so refund_of 0 names nothing. */
	KMV_TRY(kmv_db__prepare(
		&st, db,
		live_only ? "SELECT refund_of, id FROM records"
			    " WHERE refund_of IS NOT NULL AND refund_of <> 0"
			    " AND deleted_at IS NULL"
			  : "SELECT refund_of, id FROM records"
			    " WHERE refund_of IS NOT NULL AND refund_of <> 0"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		KMV_TRY(KMV_ARRAY_GROW(out->edges, alloc, out->n + 1));
		out->edges[out->n].charge = sqlite3_column_int64(st, 0);
		out->edges[out->n].refund = sqlite3_column_int64(st, 1);
		out->n++;
	}
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot read refunds");
		goto done;
	}
	if (out->n)
		qsort(out->edges, out->n, sizeof(*out->edges), by_charge);
done:
	sqlite3_finalize(st);
	if (error < 0)
		kmv_refunds__dispose(out);
	return error;
}

size_t kmv_refunds__of(const kmv_refunds *r, int64_t charge, size_t *first)
{
	size_t lo = 0, hi = r->n, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->edges[mid].charge < charge)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < r->n && r->edges[end].charge == charge; end++)
		;
	*first = lo;
	return end - lo;
}

void kmv_refunds__dispose(kmv_refunds *r)
{
	free(r->edges);
	memset(r, 0, sizeof(*r));
}
