/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_REFUNDS_H
#define KMV_STORE_REFUNDS_H

/*
 * Which records refund a charge, for the walks that gather one order's
 * records (match's scope, an evidence bundle): `refund_of = ?` on the
 * partial index records_refund_of (schema v5), which holds the refunds
 * only, so a hop costs an index probe and the walk reads no other record.
 * One prepared statement per walk, the one SQL for both walks here.  A
 * read-only open of a vault from before v5 gets the same lookup on a
 * temporary copy of the refund edges (refunds.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

typedef struct kmv_refunds {
	sqlite3 *db;
	sqlite3_stmt *st;
} kmv_refunds;

/* Prepare the lookup; `live_only` leaves out voided refunds. */
int kmv_refunds__open(kmv_refunds *out, sqlite3 *db, bool live_only);

/* Call `fn` with each refund of `charge`, in id order; its first error
 * stops the walk and is returned. */
int kmv_refunds__each(kmv_refunds *r, int64_t charge,
		      int (*fn)(void *ctx, int64_t refund), void *ctx);

void kmv_refunds__dispose(kmv_refunds *r);

#endif
