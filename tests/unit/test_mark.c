/* SPDX-License-Identifier: MIT */
/* Unit tests for lib/store/mark.c: the rollback mark. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmv/secret.h"
#include "kmvutil/file.h"
#include "kmv/init.h"
#include "kmv/vault.h"

struct fixture {
	char *dir;
	char path[4096];
	char marks[4200];
	char recovery[KMV_RECOVERY_KEY_BUFSZ];
	kmv_secret *pass;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = kmv_test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/vault.kmv", f->dir);
	snprintf(f->marks, sizeof(f->marks), "%s/state/kmvault", f->dir);
	if (kmv_vault_mark_dir_set(f->marks) != 0)
		return -1;
	if (kmv_test_vault_create(f->path, "hunter2", f->recovery, &f->pass))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	kmv_vault_mark_dir_set(NULL);
	kmv_secret_free(f->pass);
	kmv_test_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static kmv_vault *open_vault(struct fixture *f, bool write)
{
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_vault *v = NULL;

	o.write = write;
	o.command = "test";
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_PASSPHRASE,
					f->pass, &o),
			 0);
	return v;
}

/* Open, compare with the mark, close; the report is returned. */
static kmv_mark_report check(struct fixture *f)
{
	kmv_vault *v = open_vault(f, false);
	kmv_mark_report r;

	assert_int_equal(kmv_vault_mark_check(v, &r), 0);
	kmv_vault_free(v);
	return r;
}

static void save_times(struct fixture *f, int n)
{
	kmv_vault *v = open_vault(f, true);

	for (int i = 0; i < n; i++)
		assert_int_equal(kmv_vault_save(v), 0);
	kmv_vault_free(v);
}

static void put_prev_back(struct fixture *f)
{
	char prev[4200];
	size_t len = 0;
	unsigned char *data;

	snprintf(prev, sizeof(prev), "%s.prev", f->path);
	data = kmv_test_slurp(prev, &len);
	assert_non_null(data);
	assert_int_equal(kmv_file_write(f->path, data, len, true), 0);
	free(data);
}

/* The one mark file in the mark directory (the vault id names it). */
static void mark_file(char *out, size_t size, struct fixture *f)
{
	DIR *d = opendir(f->marks);
	struct dirent *e;

	assert_non_null(d);
	out[0] = '\0';
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n > 4 && strcmp(e->d_name + n - 4, ".gen") == 0)
			snprintf(out, size, "%s/%s", f->marks, e->d_name);
	}
	closedir(d);
	assert_true(out[0] != '\0');
}

static void test_mark__saves_raise_it_and_files_are_private(void **state)
{
	struct fixture *f = *state;
	kmv_mark_report r;
	char path[4400];
	struct stat st;

	/* init saved generation 1 and wrote the mark. */
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OK);
	assert_int_equal(r.generation, 1);
	kmv_mark_report_dispose(&r);
	save_times(f, 2);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OK);
	assert_int_equal(r.generation, 3);
	kmv_mark_report_dispose(&r);
	mark_file(path, sizeof(path), f);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f->marks, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
}

static void test_mark__older_copy_is_a_rollback_until_accepted(void **state)
{
	struct fixture *f = *state;
	kmv_mark_report r;
	kmv_vault *v;

	save_times(f, 2); /* generation 3; .prev is 2 */
	put_prev_back(f);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_ROLLBACK);
	assert_int_equal(r.generation, 2);
	assert_int_equal(r.seen, 3);
	assert_false(r.replaced);
	assert_non_null(r.path);
	kmv_mark_report_dispose(&r);

	/* Saved again: generation 3 once more, but not the save seen. */
	save_times(f, 1);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_ROLLBACK);
	assert_int_equal(r.generation, 3);
	assert_int_equal(r.seen, 3);
	assert_true(r.replaced);
	kmv_mark_report_dispose(&r);

	/* Newer than anything seen: the rollback stays noted. */
	save_times(f, 2);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_ROLLBACK);
	assert_int_equal(r.generation, 5);
	assert_int_equal(r.seen, 3);
	kmv_mark_report_dispose(&r);

	v = open_vault(f, false);
	assert_int_equal(kmv_vault_mark_accept(v), 0);
	kmv_vault_free(v);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OK);
	kmv_mark_report_dispose(&r);
	save_times(f, 1);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OK);
	assert_int_equal(r.generation, 6);
	kmv_mark_report_dispose(&r);
}

static void test_mark__forged_or_foreign_mark_is_untrusted(void **state)
{
	struct fixture *f = *state;
	kmv_mark_report r;
	char path[4400];
	size_t len = 0;
	unsigned char *text;
	char *g;

	save_times(f, 1);
	mark_file(path, sizeof(path), f);
	text = kmv_test_slurp(path, &len);
	assert_non_null(text);
	/* A higher generation written by someone without the key. */
	g = strstr((char *)text, "\nsave ");
	assert_non_null(g);
	g = strchr(g + 6, ' ');
	assert_non_null(g);
	assert_int_equal(g[1], '2');
	g[1] = '9';
	assert_int_equal(kmv_file_write(path, text, len, true), 0);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_UNTRUSTED);
	kmv_mark_report_dispose(&r);
	/* Still untrusted on the next look: a check never replaces it. */
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_UNTRUSTED);
	kmv_mark_report_dispose(&r);
	/* A save writes an authentic one. */
	save_times(f, 1);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OK);
	kmv_mark_report_dispose(&r);

	/* Garbage, or nothing after the MAC line. */
	assert_int_equal(kmv_file_write(path, "kmvault-mark 1\n", 15, true), 0);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_UNTRUSTED);
	kmv_mark_report_dispose(&r);
	free(text);
}

static void test_mark__missing_mark_is_written_and_off_is_off(void **state)
{
	struct fixture *f = *state;
	kmv_mark_report r;
	char path[4400];

	mark_file(path, sizeof(path), f);
	assert_int_equal(unlink(path), 0);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_NEW);
	kmv_mark_report_dispose(&r);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OK);
	kmv_mark_report_dispose(&r);

	assert_int_equal(kmv_vault_mark_dir_set(NULL), 0);
	save_times(f, 1);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OFF);
	assert_null(r.path);
	kmv_mark_report_dispose(&r);
}

/* A sync conflict copy (same vault id) opened from its own path. */
static void test_mark__copy_at_another_path_has_its_own_mark(void **state)
{
	struct fixture *f = *state;
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;
	char copy[4200];
	kmv_mark_report r;
	size_t len = 0;
	unsigned char *data;
	kmv_vault *v = NULL;

	save_times(f, 1);
	snprintf(copy, sizeof(copy), "%s/vault.sync-conflict.kmv", f->dir);
	data = kmv_test_slurp(f->path, &len);
	assert_non_null(data);
	assert_int_equal(kmv_file_write(copy, data, len, false), 0);
	free(data);
	o.write = true;
	assert_int_equal(kmv_vault_open(&v, copy, KMV_UNLOCK_PASSPHRASE,
					f->pass, &o),
			 0);
	assert_int_equal(kmv_vault_mark_check(v, &r), 0);
	assert_int_equal(r.status, KMV_MARK_NEW);
	kmv_mark_report_dispose(&r);
	assert_int_equal(kmv_vault_save(v), 0);
	kmv_vault_free(v);
	/* The vault itself went on separately: no rollback either way. */
	save_times(f, 2);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OK);
	assert_int_equal(r.generation, 4);
	kmv_mark_report_dispose(&r);
	/* The copy (generation 3) put over the vault is a rollback there. */
	data = kmv_test_slurp(copy, &len);
	assert_int_equal(kmv_file_write(f->path, data, len, true), 0);
	free(data);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_ROLLBACK);
	kmv_mark_report_dispose(&r);
}

/* A reader that opened generation N while a writer saved N + 1. */
static void test_mark__reader_behind_a_writer_is_no_rollback(void **state)
{
	struct fixture *f = *state;
	kmv_vault *reader = open_vault(f, false);
	kmv_mark_report r;

	save_times(f, 1);
	assert_int_equal(kmv_vault_mark_check(reader, &r), 0);
	assert_int_equal(r.status, KMV_MARK_OK);
	assert_int_equal(r.generation, 1);
	kmv_mark_report_dispose(&r);
	kmv_vault_free(reader);
	r = check(f);
	assert_int_equal(r.status, KMV_MARK_OK);
	assert_int_equal(r.generation, 2);
	kmv_mark_report_dispose(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_mark__saves_raise_it_and_files_are_private, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_mark__older_copy_is_a_rollback_until_accepted,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_mark__forged_or_foreign_mark_is_untrusted, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_mark__missing_mark_is_written_and_off_is_off,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_mark__copy_at_another_path_has_its_own_mark, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_mark__reader_behind_a_writer_is_no_rollback, setup,
			teardown),
	};

	kmv_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
