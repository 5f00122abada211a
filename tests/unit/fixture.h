/* SPDX-License-Identifier: MIT */
#ifndef KMV_TEST_FIXTURE_H
#define KMV_TEST_FIXTURE_H

/*
 * The one way unit tests fill a vault by hand: a record described field
 * by field and stored through the import sink (lib/import/sink.h), the
 * path every importer takes — no SQL INSERT of its own, so a test's vault
 * is one an import could have made.  Each call is one sink session (one
 * transaction).  What a user adds by hand after an import (a link, a
 * case, an attachment) goes through the library's public call for it.
 * The vault comes from testutil.h (kmv_test_vault_make).  Failures fail
 * the test (cmocka asserts).
 *
 * A test that writes SQL itself does so only for a vault the API cannot
 * make (a corrupt row, an old schema) and says so where it does.
 */
#include <stdbool.h>
#include <stddef.h>
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

/* A record of the shop 示例卡盟 at epoch `ts` (kind order, payment or
 * receipt; NULL numbers and status left out); returns its id. */
int64_t kmv_fix_at(kmv_vault *vault, const char *kind, const char *order_no,
		   const char *merchant_order_no, int64_t ts, int64_t amount,
		   const char *status);

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

/* Link two records by hand (kmv_match_link, as `kmvault link`). */
void kmv_fix_link(kmv_vault *vault, int64_t a, int64_t b, const char *note);

/* Void record `id` (kmv_record_void, as `kmvault void`): a tombstone. */
void kmv_fix_void(kmv_vault *vault, int64_t id);

/* Open a case for an order number (kmv_case_open, as `kmvault case open`,
 * default reply window); returns its id. */
int64_t kmv_fix_case(kmv_vault *vault, const char *order_no, const char *reason,
		     const char *note);

/* Attach `len` bytes as the file DIR/name to an order number or case id
 * (kmv_attach_add, as `kmvault attach`); returns the attachment id. */
int64_t kmv_fix_attach(kmv_vault *vault, const char *dir, const char *target,
		       const char *name, const void *data, size_t len);

/*
 * The report and evidence vault (report_fixture.h, test_helper fill-vault):
 * two sources, two shop orders (one paid through a linked Alipay payment),
 * a refund, a record outside March 2024, a timeline, card secrets that
 * must never appear.  `matched` false leaves out the two links match
 * would make (a vault match has not run on yet).
 *
 * Expected March 2024 totals: 48.50 (payment) + 25.00 (order without a
 * payment) - 10.00 (refund) = 63.50 net, all on platform 示例卡盟.
 */
#define FIX_SECRET1 "CARD-SECRET-0001-ZZZZ"
#define FIX_SECRET2 "VIP-SECRET-0002-YYYY"
#define FIX_TRADE_NO "2024031522001100009999000001"
#define FIX_ORDER_NO "KM20240315000101"

void kmv_fix_report_vault(kmv_vault *vault, bool matched);

#endif
