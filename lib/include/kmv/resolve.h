/* SPDX-License-Identifier: MIT */
#ifndef KMV_RESOLVE_H
#define KMV_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "kmv/vault.h"

/**
 * @file kmv/resolve.h
 * "Which record does this text name?" answered once, for every command
 * that takes ID|NUMBER (link, unlink, edit, tag, void, unvoid, attach, …).
 *
 * The one rule for "is it an id": `#42`, or 1 to 15 digits without a
 * leading zero naming an existing record (payment and order numbers are
 * longer, or start with letters or 0).  Anything else is a number: an
 * order number (the order record first), then a payment number, then a
 * merchant order number, then any record carrying it as order number.
 * A number naming several records is KMV_EAMBIGUOUS, with one detail
 * listing the candidates (`'X' names 3 records (#4 payment 223.99, …):
 * give the id`).
 */

/** Also find voided records (unvoid, show). */
#define KMV_RESOLVE_INCLUDE_VOID 0x1u

/** True when `text` is written as a record id (the rule above). */
bool kmv_record_text_is_id(const char *text);

/**
 * Resolve `text` to one record id.  KMV_ENOTFOUND (nothing, or only
 * voided records without KMV_RESOLVE_INCLUDE_VOID), KMV_EAMBIGUOUS.
 */
int kmv_record_resolve(kmv_vault *vault, const char *text, unsigned flags,
		       int64_t *id_out);

/**
 * The one record an ORDER_NO argument stands for (attach, case, member):
 * the order record itself, else the first live record carrying it as
 * order, merchant order or payment number.  Never read as an id and never
 * ambiguous.  KMV_ENOTFOUND: "no order 'X' in the vault (import it first)".
 */
int kmv_order_resolve(kmv_vault *vault, const char *order_no, int64_t *id_out);

/** A list of record ids, ascending. */
typedef struct kmv_record_ids {
	int64_t *v;
	size_t n, cap;
} kmv_record_ids;

#define KMV_RECORD_IDS_INIT \
	{                   \
		NULL, 0, 0  \
	}

void kmv_record_ids_dispose(kmv_record_ids *ids);

/** Add `id` unless the list holds it already (0, or KMV_ERROR on OOM). */
int kmv_record_ids_add(kmv_record_ids *ids, int64_t id);

/**
 * The records that stand for one order: those carrying `order_no` as
 * order, payment or merchant order number, then (two hops) the records
 * linked to them (not vetoed) and their refunds and originals.  Voided
 * records are left out.  KMV_ENOTFOUND when none carries the number.
 */
int kmv_order_records(kmv_vault *vault, const char *order_no,
		      kmv_record_ids *ids);

#endif
