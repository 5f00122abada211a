/* SPDX-License-Identifier: MIT */
/* Unit tests for lib/store/siblings.c: sync-conflict copies of a vault. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kmvutil/file.h"
#include "kmv/vault.h"

static void touch(const char *dir, const char *name)
{
	char path[4300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(kmv_file_write(path, "x", 1, true), 0);
}

static void test_siblings__every_client_naming_is_found(void **state)
{
	static const char *const copies[] = {
		"vault.sync-conflict-20261201-101500-ABCDEFG.kmv", /* Syncthing */
		"vault (conflicted copy 2026-12-01 101500).kmv", /* Nextcloud */
		"vault_conflict-20261201-101500.kmv",            /* ownCloud */
		"vault (Li Lei's conflicted copy 2026-12-01).kmv", /* Dropbox */
		"vault (SFConflict li@example.com 2026-12-01-10-15-00).kmv",
		"vault (1).kmv",
		"vault(2).kmv",
	};
	static const char *const others[] = {
		"vault.kmv",
		"vault.kmv.prev",
		"vault.kmv.lock",
		"vaults.kmv",
		"vault (draft).kmv",
		"vault (1).txt",
		"other (1).kmv",
		"kmvault-20261201T020000Z-g3.kmv",
		"vault.kmv.before-restore-x",
		"vault.sync-conflict-20261201-101500-ABCDEFG.kmv.tmp",
	};
#define NCOPIES (sizeof(copies) / sizeof(copies[0]))
#define NOTHERS (sizeof(others) / sizeof(others[0]))
	char *dir = kmv_test_tmpdir(), vault[4300], sub[4300], **found = NULL;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < NCOPIES; i++)
		touch(dir, copies[i]);
	for (size_t i = 0; i < NOTHERS; i++)
		touch(dir, others[i]);
	snprintf(sub, sizeof(sub), "%s/vault (3).kmv", dir);
	assert_int_equal(mkdir(sub, 0700), 0); /* a folder is no copy */
	snprintf(vault, sizeof(vault), "%s/vault.kmv", dir);
	assert_int_equal(kmv_vault_conflict_copies(&found, &n, vault), 0);
	assert_int_equal(n, NCOPIES);
	for (size_t i = 0; i < n; i++) {
		bool known = false;

		for (size_t k = 0; k < NCOPIES; k++)
			known |= strcmp(kmv_basename(found[i]), copies[k]) == 0;
		assert_true(known);
		assert_true(strncmp(found[i], dir, strlen(dir)) == 0);
	}
	kmv_vault_conflict_copies_free(found, n);
	kmv_test_rmdir(dir);
	free(dir);
}

static void test_siblings__none_and_missing_folder(void **state)
{
	char *dir = kmv_test_tmpdir(), vault[4300], **found = NULL;
	size_t n = 7;

	(void)state;
	snprintf(vault, sizeof(vault), "%s/v.kmv", dir);
	touch(dir, "v.kmv");
	assert_int_equal(kmv_vault_conflict_copies(&found, &n, vault), 0);
	assert_int_equal(n, 0);
	assert_null(found);
	snprintf(vault, sizeof(vault), "%s/no/such/v.kmv", dir);
	assert_int_equal(kmv_vault_conflict_copies(&found, &n, vault), 0);
	assert_int_equal(n, 0);
	kmv_test_rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siblings__every_client_naming_is_found),
		cmocka_unit_test(test_siblings__none_and_missing_folder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
