/* SPDX-License-Identifier: MIT */
#ifndef KMV_TEST_MATCH_FIXTURE_H
#define KMV_TEST_MATCH_FIXTURE_H

/*
 * One writable vault per test group for the match and anomaly tests
 * (the KDF runs once); each test starts from empty tables.  Records are
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

struct mfx {
	char *dir;
	char path[4096];
	kmv_secret *pass;
	kmv_vault *v;
	sqlite3 *db;
	int seq;
};

static struct mfx *mfx_global;

static inline int mfx_group_setup(void **state)
{
	struct mfx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->dir = kmv_test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/vault.kmv", f->dir);
	if (kmv_test_vault_make(&f->v, f->path, &f->pass) < 0)
		return -1;
	f->db = kmv_vault__db(f->v);
	/* the records_fts triggers need it on this connection (see backup_fixture.h) */
	sqlite3_exec(f->db, "PRAGMA trusted_schema=ON", NULL, NULL, NULL);
	mfx_global = f;
	*state = f;
	return 0;
}

static inline int mfx_group_teardown(void **state)
{
	struct mfx *f = *state;

	kmv_vault_free(f->v);
	kmv_secret_free(f->pass);
	kmv_test_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Empty tables before each test. */
static inline int mfx_reset(void **state)
{
	struct mfx *f = mfx_global;

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

struct mfx_rec {
	const char *kind;        /* order, payment, receipt */
	const char *source_kind; /* alipay, wechat, orders, email */
	const char *order_no;
	const char *platform;
	const char *merchant;
	const char *payment_no;
	const char *merchant_order_no;
	const char *time; /* "YYYY-MM-DD HH:MM:SS" +08:00 */
	int64_t amount;   /* fen; < 0: NULL */
	const char *direction;
	const char *status;
	const char *status_raw;
	const char *category;
	const char *product;
	const char *memo;
	int64_t refund_of;
};

/* Store a record through the import sink (fixture.h); returns its id. */
static inline int64_t mfx_add(const struct mfx_rec *r)
{
	kmv_fix_record x = { .kind = r->kind,
			     .source_kind = r->source_kind,
			     .platform = r->platform,
			     .merchant = r->merchant,
			     .order_no = r->order_no,
			     .payment_no = r->payment_no,
			     .merchant_order_no = r->merchant_order_no,
			     .time = r->time,
			     .amount = r->amount,
			     .direction = r->direction,
			     .status = r->status,
			     .status_raw = r->status_raw,
			     .product = r->product,
			     .category = r->category,
			     .memo = r->memo,
			     .refund_of = r->refund_of };

	mfx_global->seq++;
	return kmv_fix_record_add(mfx_global->v, &x);
}

/* A shop order, e.g. mfx_order("KM1", "示例卡盟", "2024-03-15 20:10:41", 4850, "completed"). */
static inline int64_t mfx_order(const char *no, const char *platform,
				const char *time, int64_t amount,
				const char *status)
{
	struct mfx_rec r = { .kind = "order",
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
	struct mfx_rec r = { .kind = "payment",
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
	struct mfx_rec r = { .kind = "payment",
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
	struct mfx *f = mfx_global;
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "count: %s\n", sqlite3_errmsg(f->db));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The (rule, score, manual) of the link between a and b, either way. */
static inline int mfx_link(int64_t a, int64_t b, char *rule, size_t rulesz,
			   double *score, int *manual)
{
	struct mfx *f = mfx_global;
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
