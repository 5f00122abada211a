/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmv/backup.h"
#include "kmv/error.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/vault.h"
#include "store/io.h"

struct fx {
	char *dir;
	char vault[4096];
	char backups[4096];
	kmv_secret *pass;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = kmv_test_tmpdir();
	snprintf(f->vault, sizeof(f->vault), "%s/vault.kmv", f->dir);
	snprintf(f->backups, sizeof(f->backups), "%s/backups", f->dir);
	assert_int_equal(kmv_test_vault_create(f->vault, "pw", NULL, &f->pass),
			 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	kmv_io__reset();
	kmv_test_rmdir(f->dir);
	free(f->dir);
	kmv_secret_free(f->pass);
	free(f);
	return 0;
}

/* Open, add an audit event, save: a new generation. */
static void touch_vault(struct fx *f)
{
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_vault *v = NULL;

	o.write = true;
	assert_int_equal(kmv_vault_open(&v, f->vault, KMV_UNLOCK_PASSPHRASE,
					f->pass, &o),
			 0);
	assert_int_equal(kmv_audit_append(v, "test", NULL), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	kmv_vault_free(v);
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' ||
		    (e->d_name[1] && strcmp(e->d_name, "..")))
			n++;
	closedir(d);
	return n;
}

static void test_backup__parse_name(void **state)
{
	int64_t t;
	uint64_t g;

	(void)state;
	assert_int_equal(kmv_backup_parse_name(
				 &t, &g, "kmvault-20260121T020000Z-g42.kmv"),
			 0);
	assert_int_equal(t, kmv_days_from_civil(2026, 1, 21) * 86400 + 7200);
	assert_int_equal(g, 42);
	assert_int_equal(kmv_backup_parse_name(&t, &g, "vault.kmv"),
			 KMV_EINPUT);
	assert_int_equal(kmv_backup_parse_name(
				 &t, &g, "kmvault-20261321T020000Z-g1.kmv"),
			 KMV_EINPUT);
	assert_int_equal(
		kmv_backup_parse_name(&t, &g, "kmvault-20260121T020000Z-g.kmv"),
		KMV_EINPUT);
	assert_int_equal(kmv_backup_parse_name(
				 &t, &g, "kmvault-20260121T020000Z-g1.kmv.tmp"),
			 KMV_EINPUT);
}

static void test_backup__create_copies_and_skips_same_save(void **state)
{
	struct fx *f = *state;
	kmv_backup_options bo = KMV_BACKUP_OPTIONS_INIT;
	kmv_backup_result r1 = KMV_BACKUP_RESULT_INIT,
			  r2 = KMV_BACKUP_RESULT_INIT;
	char path[8192];
	unsigned char *a, *b;
	size_t alen, blen;
	struct stat st;

	(void)state;
	bo.now.epoch = kmv_days_from_civil(2026, 1, 21) * 86400 + 7200;
	assert_int_equal(kmv_backup_create(&r1, f->vault, f->backups, &bo), 0);
	assert_false(r1.skipped);
	assert_string_equal(r1.file, "kmvault-20260121T020000Z-g1.kmv");
	snprintf(path, sizeof(path), "%s/%s", f->backups, r1.file);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	a = kmv_test_slurp(f->vault, &alen);
	b = kmv_test_slurp(path, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);

	bo.now.epoch += 3600;
	assert_int_equal(kmv_backup_create(&r2, f->vault, f->backups, &bo), 0);
	assert_true(r2.skipped);
	assert_string_equal(r2.file, r1.file);
	assert_int_equal(count_entries(f->backups), 1);
	kmv_backup_result_dispose(&r1);
	kmv_backup_result_dispose(&r2);
}

static void test_backup__new_generation_new_backup_and_list(void **state)
{
	struct fx *f = *state;
	kmv_backup_options bo = KMV_BACKUP_OPTIONS_INIT;
	kmv_backup_result r = KMV_BACKUP_RESULT_INIT;
	kmv_backup_list l = { NULL, 0 };

	bo.now.epoch = kmv_days_from_civil(2026, 1, 21) * 86400;
	assert_int_equal(kmv_backup_create(&r, f->vault, f->backups, &bo), 0);
	kmv_backup_result_dispose(&r);
	touch_vault(f);
	bo.now.epoch += 86400;
	assert_int_equal(kmv_backup_create(&r, f->vault, f->backups, &bo), 0);
	assert_false(r.skipped);
	assert_int_equal(r.generation, 2);
	kmv_backup_result_dispose(&r);
	assert_int_equal(kmv_backup_list_dir(&l, f->backups), 0);
	assert_int_equal(l.count, 2);
	assert_int_equal(l.items[0].generation, 1);
	assert_int_equal(l.items[1].generation, 2);
	assert_true(l.items[0].created < l.items[1].created);
	assert_true(l.items[1].size > 0);
	kmv_backup_list_free(&l);
}

static void test_backup__pruning_by_rules(void **state)
{
	struct fx *f = *state;
	kmv_backup_options bo = KMV_BACKUP_OPTIONS_INIT;
	kmv_backup_result r = KMV_BACKUP_RESULT_INIT;
	kmv_backup_list l = { NULL, 0 };
	int64_t day0 = kmv_days_from_civil(2026, 1, 1);

	/* Ten daily backups of ten generations, then keep-daily 3. */
	for (int i = 0; i < 10; i++) {
		touch_vault(f);
		bo.now.epoch = (day0 + i) * 86400 + 7200;
		assert_int_equal(kmv_backup_create(&r, f->vault, f->backups,
						   &bo),
				 0);
		kmv_backup_result_dispose(&r);
	}
	touch_vault(f);
	bo.now.epoch = (day0 + 10) * 86400 + 7200;
	bo.retention.keep_daily = 3;
	assert_int_equal(kmv_backup_create(&r, f->vault, f->backups, &bo), 0);
	assert_int_equal(r.npruned, 8);
	kmv_backup_result_dispose(&r);
	assert_int_equal(kmv_backup_list_dir(&l, f->backups), 0);
	assert_int_equal(l.count, 3);
	kmv_backup_list_free(&l);
}

static void test_backup__missing_vault_is_enotfound(void **state)
{
	struct fx *f = *state;
	kmv_backup_result r = KMV_BACKUP_RESULT_INIT;
	char path[8192];

	snprintf(path, sizeof(path), "%s/none.kmv", f->dir);
	assert_int_equal(kmv_backup_create(&r, path, f->backups, NULL),
			 KMV_ENOTFOUND);
}

static void test_backup__write_failure_leaves_no_file(void **state)
{
	struct fx *f = *state;
	kmv_backup_result r = KMV_BACKUP_RESULT_INIT;

	setenv("KMVAULT_FAULT", "write:ENOSPC:after=1000", 1);
	assert_int_equal(kmv_backup_create(&r, f->vault, f->backups, NULL),
			 KMV_ERROR);
	unsetenv("KMVAULT_FAULT");
	kmv_io__reset();
	assert_int_equal(count_entries(f->backups), 0);
}

static void test_backup__verify_intact_corrupt_and_wrong_passphrase(void **state)
{
	struct fx *f = *state;
	kmv_backup_result r = KMV_BACKUP_RESULT_INIT;
	kmv_backup_verify_result vr;
	kmv_secret *wrong = NULL;
	char path[8192];
	FILE *fp;
	int c;

	assert_int_equal(kmv_backup_create(&r, f->vault, f->backups, NULL), 0);
	snprintf(path, sizeof(path), "%s/%s", f->backups, r.file);
	assert_int_equal(kmv_backup_verify(&vr, path, KMV_UNLOCK_PASSPHRASE,
					   f->pass),
			 0);
	assert_int_equal(vr.generation, 1);
	assert_int_equal(vr.events, 1);
	assert_int_equal(kmv_secret_new(&wrong, "nope", 4), 0);
	assert_int_equal(kmv_backup_verify(&vr, path, KMV_UNLOCK_PASSPHRASE,
					   wrong),
			 KMV_EAUTH);
	kmv_secret_free(wrong);
	/* Flip one payload byte near the end. */
	fp = fopen(path, "r+b");
	assert_non_null(fp);
	fseek(fp, -100, SEEK_END);
	c = fgetc(fp);
	fseek(fp, -100, SEEK_END);
	fputc(c ^ 0x5a, fp);
	fclose(fp);
	assert_int_equal(kmv_backup_verify(&vr, path, KMV_UNLOCK_PASSPHRASE,
					   f->pass),
			 KMV_ECORRUPT);
	kmv_backup_result_dispose(&r);
}

static void test_backup__restore_refuses_then_replaces(void **state)
{
	struct fx *f = *state;
	kmv_backup_result r = KMV_BACKUP_RESULT_INIT;
	kmv_restore_options ro = KMV_RESTORE_OPTIONS_INIT;
	kmv_restore_result rr = KMV_RESTORE_RESULT_INIT;
	kmv_vault *v = NULL;
	char path[8192];
	struct stat st;
	sqlite3_stmt *s = NULL;

	assert_int_equal(kmv_backup_create(&r, f->vault, f->backups, NULL), 0);
	snprintf(path, sizeof(path), "%s/%s", f->backups, r.file);
	touch_vault(f);
	touch_vault(f); /* live vault now generation 3 */
	assert_int_equal(kmv_backup_restore(&rr, path, f->vault,
					    KMV_UNLOCK_PASSPHRASE, f->pass,
					    &ro),
			 KMV_EEXISTS);
	kmv_restore_result_dispose(&rr);
	ro.force = true;
	assert_int_equal(kmv_backup_restore(&rr, path, f->vault,
					    KMV_UNLOCK_PASSPHRASE, f->pass,
					    &ro),
			 0);
	assert_non_null(rr.aside);
	assert_int_equal(stat(rr.aside, &st), 0);
	assert_int_equal(rr.generation, 2); /* backup g1 + restore save */
	kmv_restore_result_dispose(&rr);
	/* The restored vault: init + restore events, nothing of the touches. */
	assert_int_equal(kmv_vault_open(&v, f->vault, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 0);
	assert_int_equal(sqlite3_prepare_v2(
				 kmv_vault__db(v),
				 "SELECT group_concat(action, ',') FROM events",
				 -1, &s, NULL),
			 0);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0),
			    "init,restore");
	sqlite3_finalize(s);
	kmv_vault_free(v);
	kmv_backup_result_dispose(&r);
}

static void test_backup__restore_into_empty_place(void **state)
{
	struct fx *f = *state;
	kmv_backup_result r = KMV_BACKUP_RESULT_INIT;
	kmv_restore_result rr = KMV_RESTORE_RESULT_INIT;
	char path[8192], target[8192];

	assert_int_equal(kmv_backup_create(&r, f->vault, f->backups, NULL), 0);
	snprintf(path, sizeof(path), "%s/%s", f->backups, r.file);
	snprintf(target, sizeof(target), "%s/new/vault.kmv", f->dir);
	assert_int_equal(kmv_backup_restore(&rr, path, target,
					    KMV_UNLOCK_PASSPHRASE, f->pass,
					    NULL),
			 0);
	assert_null(rr.aside);
	assert_int_equal(kmv_vault_peek(target, NULL), 0);
	kmv_restore_result_dispose(&rr);
	kmv_backup_result_dispose(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup__parse_name),
		cmocka_unit_test_setup_teardown(
			test_backup__create_copies_and_skips_same_save, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_backup__new_generation_new_backup_and_list, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_backup__pruning_by_rules,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_backup__missing_vault_is_enotfound, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_backup__write_failure_leaves_no_file, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_backup__verify_intact_corrupt_and_wrong_passphrase,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_backup__restore_refuses_then_replaces, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_backup__restore_into_empty_place, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
