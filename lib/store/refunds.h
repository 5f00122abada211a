/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_REFUNDS_H
#define KMV_STORE_REFUNDS_H

/*
 * Which records refund a charge, for the walks that gather one order's
 * records (match's scope, an evidence bundle).  refund_of has no index,
 * so `refund_of = ?` per hop would walk every record: the edges are read
 * once, sorted by charge then refund, and looked up by bisection.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

typedef struct kmv_refund_edge {
	int64_t charge, refund;
} kmv_refund_edge;

typedef struct kmv_refunds {
	kmv_refund_edge *edges; /* sorted by charge, then refund */
	size_t n;
} kmv_refunds;

/* Read every refund edge; `live_only` leaves out voided refunds. */
int kmv_refunds__load(kmv_refunds *out, sqlite3 *db, bool live_only);

/* The edges of `charge`: *first is the index of the first, the count is
 * returned (0: none). */
size_t kmv_refunds__of(const kmv_refunds *r, int64_t charge, size_t *first);

void kmv_refunds__dispose(kmv_refunds *r);

#endif
