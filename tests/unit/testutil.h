/* SPDX-License-Identifier: MIT */
#ifndef KMV_TESTUTIL_H
#define KMV_TESTUTIL_H

/* cmocka needs these before its header (Debian 12 ships cmocka 1.1.5). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

/* A fresh empty directory under $TMPDIR; free() the result. */
char *kmv_test_tmpdir(void);

/* rm -rf of a test directory (only paths made by kmv_test_tmpdir). */
void kmv_test_rmdir(const char *path);

/* Read a whole file (for comparing vault bytes); free() the result. */
unsigned char *kmv_test_slurp(const char *path, size_t *len);

/*
 * A fresh vault (interactive KDF) opened for writing in a temp directory,
 * as cmocka setup/teardown: *state is a kmv_test_vault, the one vault
 * fixture of the unit tests (fixture.h fills it).  The teardown also
 * clears KMVAULT_NOW, which some tests set.
 */
struct kmv_vault;
struct kmv_secret;
struct sqlite3;
typedef struct kmv_test_vault {
	char *dir;
	char path[4200];
	struct kmv_vault *vault;
	struct kmv_secret *pass; /* "pw" */
	struct sqlite3 *db;      /* the vault's database, for checks */
} kmv_test_vault;

int kmv_test_vault_setup(void **state);

/*
 * Create a vault at `path` with passphrase `pass` and the interactive KDF
 * (fast enough for tests), not opened.  The recovery key goes to
 * `recovery` (KMV_RECOVERY_KEY_BUFSZ bytes) when not NULL; the passphrase
 * secret goes to *pass_out when not NULL (the caller frees it).
 */
int kmv_test_vault_create(const char *path, const char *pass, char *recovery,
			  struct kmv_secret **pass_out);

/*
 * Create a vault at `path` (passphrase "pw", interactive KDF) and open it
 * for writing; the passphrase is handed back when pass_out is not NULL.
 */
int kmv_test_vault_make(struct kmv_vault **out, const char *path,
			struct kmv_secret **pass_out);
int kmv_test_vault_teardown(void **state);

/* Write `text` to DIR/name (a few paths stay valid at once). */
const char *kmv_test_put(kmv_test_vault *f, const char *name, const char *text);

/* Import one file with an optional profile and platform. */
struct kmv_import_results;
int kmv_test_import(kmv_test_vault *f, const char *path, const char *profile,
		    const char *platform, struct kmv_import_results *res);

/* The first column of the first row of `sql` as an integer (-1: none). */
int64_t kmv_test_count(kmv_test_vault *f, const char *sql);

/* The same with `param` bound to the query's one `?`, if it has one. */
int64_t kmv_test_int(kmv_test_vault *f, const char *sql, int64_t param);

#endif
