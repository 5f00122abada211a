/* SPDX-License-Identifier: MIT */
#ifndef KMV_TEST_BACKUP_FIXTURE_H
#define KMV_TEST_BACKUP_FIXTURE_H

/*
 * A writable vault in a temp dir for the member/case/remind unit tests,
 * with direct-SQL helpers to insert records (the importers are another
 * area; these tests must not depend on them).  Header-only, static.
 */
#include <stdlib.h>
#include <string.h>

#include "kmv/error.h"
#include "kmv/vault.h"
#include "store/vault.h"

struct vfx {
	char *dir;
	char path[4096];
	kmv_secret *pass;
	kmv_vault *v;
	sqlite3 *db;
};

static inline int vfx_setup(void **state)
{
	struct vfx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->dir = kmv_test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/vault.kmv", f->dir);
	if (kmv_test_vault_make(&f->v, f->path, &f->pass) < 0)
		return -1;
	f->db = kmv_vault__db(f->v);
	*state = f;
	return 0;
}

static inline int vfx_teardown(void **state)
{
	struct vfx *f = *state;

	kmv_vault_free(f->v);
	kmv_test_rmdir(f->dir);
	free(f->dir);
	kmv_secret_free(f->pass);
	free(f);
	unsetenv("KMVAULT_NOW");
	return 0;
}

/* Insert a record; returns its id.  `kind` order|payment|receipt. */
static inline int64_t vfx_record(struct vfx *f, const char *kind,
				 const char *order_no,
				 const char *merchant_order_no, int64_t ts,
				 int64_t amount, const char *status)
{
	sqlite3_stmt *st = NULL;
	static int seq;
	char key[32];
	int rc;

	snprintf(key, sizeof(key), "k%d", ++seq);
	rc = sqlite3_prepare_v2(
		f->db,
		"INSERT INTO records(kind, source_kind, dedup_key, platform, "
		"order_no, merchant_order_no, ts, time, amount, status, "
		"created_at, updated_at) VALUES (?,?,?,'示例卡盟',?,?,?,"
		"'2024-01-01T00:00:00+08:00',?,?,'now','now')",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "%s\n", sqlite3_errmsg(f->db));
	assert_int_equal(rc, SQLITE_OK);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, strcmp(kind, "order") ? "alipay" : "orders",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_TRANSIENT);
	if (order_no)
		sqlite3_bind_text(st, 4, order_no, -1, SQLITE_STATIC);
	if (merchant_order_no)
		sqlite3_bind_text(st, 5, merchant_order_no, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ts);
	sqlite3_bind_int64(st, 7, amount);
	if (status)
		sqlite3_bind_text(st, 8, status, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(f->db);
}

/* One integer from a query (with an optional int64 parameter). */
static inline int64_t vfx_int(struct vfx *f, const char *sql, int64_t p)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, p);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#endif
