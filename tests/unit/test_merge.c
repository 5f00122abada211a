/* SPDX-License-Identifier: MIT */
/* Unit tests for lib/sync/merge.c and the check of carried audit events. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/import.h"
#include "kmv/merge.h"
#include "kmv/secret.h"
#include "kmvutil/file.h"
#include "kmv/vault.h"
#include "store/vault.h"
#include "store/db.h"

#ifndef KMV_SAMPLES_DIR
#error "KMV_SAMPLES_DIR"
#endif

struct fixture {
	kmv_test_vault a; /* this device */
	char copy[4300];  /* the other device's copy */
	kmv_secret *pass;
};

static void import_into(kmv_vault *v, const char *sample, const char *platform)
{
	kmv_import_options o = KMV_IMPORT_OPTIONS_INIT;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char path[4300];
	const char *paths[1] = { path };

	snprintf(path, sizeof(path), "%s/%s", KMV_SAMPLES_DIR, sample);
	o.platform = platform;
	assert_int_equal(kmv_import_files(&res, v, paths, 1, &o), 0);
	kmv_import_results_dispose(&res);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	kmv_vault_open_options oo = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_vault *other = NULL;
	unsigned char *bytes;
	size_t len;

	f->a.dir = kmv_test_tmpdir();
	snprintf(f->a.path, sizeof(f->a.path), "%s/v.kmv", f->a.dir);
	snprintf(f->copy, sizeof(f->copy), "%s/v (1).kmv", f->a.dir);
	if (kmv_test_vault_make(&f->a.vault, f->a.path, &f->pass) != 0)
		return -1;
	import_into(f->a.vault, "alipay_2024-03.csv", NULL);
	assert_int_equal(kmv_vault_save(f->a.vault), 0);
	bytes = kmv_test_slurp(f->a.path, &len);
	assert_int_equal(kmv_file_write(f->copy, bytes, len, true), 0);
	free(bytes);
	/* The two devices part: WeChat here, the shop's orders there. */
	import_into(f->a.vault, "wechat_2024-03.csv", NULL);
	assert_int_equal(kmv_vault_save(f->a.vault), 0);
	oo.write = true;
	oo.command = "test";
	assert_int_equal(kmv_vault_open(&other, f->copy, KMV_UNLOCK_PASSPHRASE,
					f->pass, &oo),
			 0);
	import_into(other, "orders_example-shop.csv", "示例卡盟");
	assert_int_equal(kmv_vault_save(other), 0);
	kmv_vault_free(other);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	kmv_secret_free(f->pass);
	kmv_vault_free(f->a.vault);
	kmv_test_rmdir(f->a.dir);
	free(f->a.dir);
	free(f);
	return 0;
}

static void test_merge__brings_the_other_side_once(void **state)
{
	struct fixture *f = *state;
	kmv_merge_result r;
	int64_t before = kmv_test_count(&f->a, "SELECT count(*) FROM records");

	assert_int_equal(kmv_vault_merge(&r, f->a.vault, f->copy,
					 KMV_UNLOCK_PASSPHRASE, f->pass),
			 0);
	assert_int_equal(r.records, 3);
	assert_int_equal(r.sources, 1);
	assert_int_equal(r.events, 1);       /* the other side's import */
	assert_int_equal(r.common_event, 2); /* init + the shared import */
	assert_int_equal(kmv_test_count(&f->a, "SELECT count(*) FROM records"),
			 before + 3);
	assert_int_equal(kmv_vault_check(f->a.vault, NULL), 0);
	/* Again: nothing, and no new event. */
	before = kmv_test_count(&f->a, "SELECT count(*) FROM events");
	assert_int_equal(kmv_vault_merge(&r, f->a.vault, f->copy,
					 KMV_UNLOCK_PASSPHRASE, f->pass),
			 0);
	assert_true(kmv_merge_result_empty(&r));
	assert_int_equal(kmv_test_count(&f->a, "SELECT count(*) FROM events"),
			 before);
}

/* A carried event that does not hash to its own hash breaks the chain. */
static void test_merge__check_verifies_carried_events(void **state)
{
	struct fixture *f = *state;
	kmv_merge_result r;
	const char *forged =
		"{\"id\":3,\"time\":\"2024-04-01T00:00:00+08:00\",\"command\":"
		"\"import\",\"action\":\"import\",\"detail\":\"{}\",\"prev_hash\":"
		"\"0000000000000000000000000000000000000000000000000000000000000000\","
		"\"hash\":\"1111111111111111111111111111111111111111111111111111111111111111\"}";

	assert_int_equal(kmv_vault_merge(&r, f->a.vault, f->copy,
					 KMV_UNLOCK_PASSPHRASE, f->pass),
			 0);
	assert_int_equal(kmv_vault_check(f->a.vault, NULL), 0);
	assert_int_equal(kmv_audit_append(f->a.vault, "merged", forged), 0);
	assert_int_equal(kmv_vault_check(f->a.vault, NULL), KMV_ECORRUPT);
	assert_non_null(strstr(kmv_error_last(), "merged"));
}

/*
 * A copy saved by an older kmvault (schema v2: statement rows keyed by
 * their number alone) is upgraded in memory first: the shared rows are
 * found, not added again.
 */
static void test_merge__older_copy_is_upgraded_first(void **state)
{
	struct fixture *f = *state;
	kmv_vault_open_options oo = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_vault *other = NULL;
	kmv_merge_result r;

	oo.write = true;
	oo.command = "test";
	assert_int_equal(kmv_vault_open(&other, f->copy, KMV_UNLOCK_PASSPHRASE,
					f->pass, &oo),
			 0);
	/* Raw SQL: turn the copy into a v2 vault, which no call writes. */
	assert_int_equal(
		kmv_db__exec(
			kmv_vault__db(other),
			"UPDATE records SET dedup_key = 'id:' || payment_no"
			" WHERE source_kind = 'alipay'; PRAGMA user_version = 2;"),
		0);
	assert_int_equal(kmv_vault_save(other), 0);
	kmv_vault_free(other);
	assert_int_equal(kmv_vault_merge(&r, f->a.vault, f->copy,
					 KMV_UNLOCK_PASSPHRASE, f->pass),
			 0);
	assert_int_equal(r.records, 3); /* the shop's orders, nothing more */
	assert_int_equal(kmv_vault_check(f->a.vault, NULL), 0);
}

static void test_merge__refuses_another_vault(void **state)
{
	struct fixture *f = *state;
	kmv_vault *stranger = NULL;
	kmv_merge_result r;
	char path[4300];

	snprintf(path, sizeof(path), "%s/stranger.kmv", f->a.dir);
	assert_int_equal(kmv_test_vault_make(&stranger, path, NULL), 0);
	kmv_vault_free(stranger);
	/* kmv_test_vault_make uses the passphrase "pw", as the fixture. */
	assert_int_equal(kmv_vault_merge(&r, f->a.vault, path,
					 KMV_UNLOCK_PASSPHRASE, f->pass),
			 KMV_EINPUT);
	assert_int_equal(kmv_vault_merge(&r, f->a.vault, "/no/such.kmv",
					 KMV_UNLOCK_PASSPHRASE, f->pass),
			 KMV_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_merge__brings_the_other_side_once, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_merge__check_verifies_carried_events, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_merge__older_copy_is_upgraded_first, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_merge__refuses_another_vault, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
