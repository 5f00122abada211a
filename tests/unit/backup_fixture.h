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

#include "fixture.h"
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

/* Store a record through the import sink (fixture.h); returns its id.
 * `kind` order|payment|receipt. */
static inline int64_t vfx_record(struct vfx *f, const char *kind,
				 const char *order_no,
				 const char *merchant_order_no, int64_t ts,
				 int64_t amount, const char *status)
{
	kmv_fix_record r = { .kind = kind,
			     .platform = "示例卡盟",
			     .order_no = order_no,
			     .merchant_order_no = merchant_order_no,
			     .ts = ts,
			     .amount = amount,
			     .status = status };

	return kmv_fix_record_add(f->v, &r);
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
