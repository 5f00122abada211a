/* SPDX-License-Identifier: MIT */
#ifndef KMV_TEST_MATCH_FIXTURE_H
#define KMV_TEST_MATCH_FIXTURE_H

/*
 * One writable vault per test group for the match and anomaly tests
 * (testutil.h's kmv_test_vault; the KDF runs once); each test starts
 * from empty tables.  Records are
 * stored through the import sink (fixture.h), the way the importers store
 * them, so these tests do not depend on any one importer.  Header-only.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "kmvutil/datetime.h"
#include "kmv/error.h"
#include "kmv/vault.h"
#include "store/vault.h"

static kmv_test_vault *mfx_global;

static inline int mfx_group_setup(void **state)
{
	if (kmv_test_vault_setup(state) < 0)
		return -1;
	mfx_global = *state;
	/* the records_fts triggers need it on this connection */
	sqlite3_exec(mfx_global->db, "PRAGMA trusted_schema=ON", NULL, NULL,
		     NULL);
	return 0;
}

static inline int mfx_group_teardown(void **state)
{
	return kmv_test_vault_teardown(state);
}

/* Empty tables before each test. */
static inline int mfx_reset(void **state)
{
	kmv_test_vault *f = mfx_global;

	*state = f;
	unsetenv("KMVAULT_NOW");
	return sqlite3_exec(f->db,
			    "DELETE FROM links; DELETE FROM aliases; "
			    "DELETE FROM timeline; DELETE FROM records; "
			    "DELETE FROM sources;",
			    NULL, NULL, NULL) == SQLITE_OK
		       ? 0
		       : -1;
}

static inline int64_t mfx_ts(const char *when)
{
	kmv_time t;

	if (kmv_time_parse(&t, when, KMV_TZ_CST, NULL) < 0)
		return 0;
	return t.epoch;
}

/* Store a record through the import sink (fixture.h); returns its id. */
static inline int64_t mfx_add(const kmv_fix_record *r)
{
	return kmv_fix_record_add(mfx_global->vault, r);
}

/* A shop order, e.g. mfx_order("KM1", "示例卡盟", "2024-03-15 20:10:41", 4850, "completed"). */
static inline int64_t mfx_order(const char *no, const char *platform,
				const char *time, int64_t amount,
				const char *status)
{
	kmv_fix_record r = { .kind = "order",
			     .order_no = no,
			     .platform = platform,
			     .time = time,
			     .amount = amount,
			     .status = status };

	return mfx_add(&r);
}

/* A successful outgoing payment. */
static inline int64_t mfx_pay(const char *source_kind, const char *pno,
			      const char *mon, const char *merchant,
			      const char *time, int64_t amount,
			      const char *category)
{
	kmv_fix_record r = { .kind = "payment",
			     .source_kind = source_kind,
			     .payment_no = pno,
			     .merchant_order_no = mon,
			     .merchant = merchant,
			     .time = time,
			     .amount = amount,
			     .direction = "out",
			     .status = "success",
			     .status_raw = "交易成功",
			     .category = category };

	return mfx_add(&r);
}

/* A refund row (不计收支, 退款成功), optionally with the importer's refund_of. */
static inline int64_t mfx_refund(const char *pno, const char *mon,
				 const char *merchant, const char *time,
				 int64_t amount, int64_t refund_of)
{
	kmv_fix_record r = { .kind = "payment",
			     .source_kind = "alipay",
			     .payment_no = pno,
			     .merchant_order_no = mon,
			     .merchant = merchant,
			     .time = time,
			     .amount = amount,
			     .direction = "neutral",
			     .status = "refunded",
			     .status_raw = "退款成功",
			     .category = "退款",
			     .refund_of = refund_of };

	return mfx_add(&r);
}

static inline int64_t mfx_count(const char *sql)
{
	return kmv_test_count(mfx_global, sql);
}

/* The (rule, score, manual) of the link between a and b, either way. */
static inline int mfx_link(int64_t a, int64_t b, char *rule, size_t rulesz,
			   double *score, int *manual)
{
	kmv_test_vault *f = mfx_global;
	sqlite3_stmt *st = NULL;
	int found = 0;

	sqlite3_prepare_v2(
		f->db,
		"SELECT rule, score, manual, explanation FROM links WHERE "
		"(a = ?1 AND b = ?2) OR (a = ?2 AND b = ?1)",
		-1, &st, NULL);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		if (rule)
			snprintf(rule, rulesz, "%s",
				 sqlite3_column_text(st, 0));
		if (score)
			*score = sqlite3_column_double(st, 1);
		if (manual)
			*manual = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return found;
}

#endif
