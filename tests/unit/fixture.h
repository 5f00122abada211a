/* SPDX-License-Identifier: MIT */
#ifndef KMV_TEST_FIXTURE_H
#define KMV_TEST_FIXTURE_H

/*
 * The one way unit tests fill a vault by hand: a record described field
 * by field and stored through the import sink (lib/import/sink.h), the
 * path every importer takes — no SQL INSERT of its own, so a test's vault
 * is one an import could have made.  Each call is one sink session (one
 * transaction).  The vault comes from testutil.h (kmv_test_vault_make).
 * Failures fail the test (cmocka asserts).
 */
#include <stdint.h>

#include "kmv/vault.h"

typedef struct kmv_fix_record {
	const char *kind;        /* order, payment, receipt */
	const char *source_kind; /* NULL: orders / email / alipay by kind */
	const char *dedup_key;   /* NULL: a fresh "fix:N" */
	const char *platform;
	const char *merchant;
	const char *order_no;
	const char *payment_no;
	const char *merchant_order_no;
	const char *time; /* any form kmv_time_parse takes (CST), or NULL */
	int64_t ts;       /* the epoch when `time` is NULL (0: no time) */
	int64_t amount;   /* fen; -1: none */
	const char *direction; /* out, in, neutral or NULL */
	const char *status;
	const char *status_raw;
	const char *product;
	int64_t quantity;
	const char *category;
	const char *payment_method;
	const char *memo;
	const char *card_secret;
	int64_t source_id;
	int64_t source_line;
	const char *extra_json;
	int64_t refund_of; /* the payment this refund refunds, or 0 */
} kmv_fix_record;

/* Store the record; returns its id. */
int64_t kmv_fix_record_add(kmv_vault *vault, const kmv_fix_record *rec);

/* Store a source file (kind, name, content, row count); returns its id. */
int64_t kmv_fix_source(kmv_vault *vault, const char *kind, const char *name,
		       const char *content, int64_t rows);

/* The same with the source's metadata JSON (a statement's period). */
int64_t kmv_fix_source_meta(kmv_vault *vault, const char *kind,
			    const char *name, const char *content,
			    const char *meta_json);

/* A timeline row of order `id` (state, raw word, event time or NULL). */
void kmv_fix_state(kmv_vault *vault, int64_t id, const char *state,
		   const char *raw, const char *when, int64_t source_id);

#endif
