/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *kmv_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *path = malloc(4096);

	snprintf(path, 4096, "%s/kmv-unit-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

void kmv_test_rmdir(const char *path)
{
	char cmd[4200];

	if (!path || !strstr(path, "kmv-unit-"))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", path);
}

unsigned char *kmv_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	if (data && fread(data, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	fclose(f);
	return data;
}

#include "kmv/import.h"
#include "kmv/secret.h"
#include "kmvutil/file.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/vault.h"
#include "store/db.h"

int kmv_test_vault_create(const char *path, const char *pass, char *recovery,
			  kmv_secret **pass_out)
{
	kmv_vault_create_options co = KMV_VAULT_CREATE_OPTIONS_INIT;
	kmv_secret *secret = NULL;
	char rk[KMV_RECOVERY_KEY_BUFSZ];
	int rc = -1;

	if (pass_out)
		*pass_out = NULL;
	if (kmv_global_init() < 0 ||
	    kmv_secret_new(&secret, pass, strlen(pass)) < 0)
		return -1;
	co.kdf = KMV_KDF_INTERACTIVE;
	if (kmv_vault_create(recovery ? recovery : rk, path, secret, &co) == 0)
		rc = 0;
	if (pass_out && rc == 0)
		*pass_out = secret;
	else
		kmv_secret_free(secret);
	return rc;
}

int kmv_test_vault_make(struct kmv_vault **out, const char *path,
			struct kmv_secret **pass_out)
{
	kmv_vault_open_options oo = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_secret *pass = NULL;
	int rc = -1;

	*out = NULL;
	if (kmv_test_vault_create(path, "pw", NULL, &pass) < 0)
		return -1;
	oo.write = true;
	oo.command = "test";
	if (kmv_vault_open(out, path, KMV_UNLOCK_PASSPHRASE, pass, &oo) == 0)
		rc = 0;
	if (pass_out && rc == 0)
		*pass_out = pass;
	else
		kmv_secret_free(pass);
	return rc;
}

int kmv_test_vault_setup(void **state)
{
	kmv_test_vault *f = calloc(1, sizeof(*f));

	if (!f || !(f->dir = kmv_test_tmpdir()))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/v.kmv", f->dir);
	*state = f;
	if (kmv_test_vault_make(&f->vault, f->path, &f->pass) < 0)
		return -1;
	f->db = kmv_vault__db(f->vault);
	return 0;
}

int kmv_test_vault_teardown(void **state)
{
	kmv_test_vault *f = *state;

	kmv_vault_free(f->vault);
	kmv_secret_free(f->pass);
	kmv_test_rmdir(f->dir);
	free(f->dir);
	free(f);
	unsetenv("KMVAULT_NOW");
	return 0;
}

const char *kmv_test_put(kmv_test_vault *f, const char *name, const char *text)
{
	static char paths[4][4300];
	static int next;
	char *path = paths[next++ % 4];

	snprintf(path, sizeof(paths[0]), "%s/%s", f->dir, name);
	assert_int_equal(kmv_file_write(path, text, strlen(text), true), 0);
	return path;
}

int kmv_test_import(kmv_test_vault *f, const char *path, const char *profile,
		    const char *platform, struct kmv_import_results *res)
{
	kmv_import_options o = KMV_IMPORT_OPTIONS_INIT;
	const char *paths[1] = { path };

	o.profile = profile;
	o.platform = platform;
	return kmv_import_files(res, f->vault, paths, 1, &o);
}

int64_t kmv_test_count(kmv_test_vault *f, const char *sql)
{
	return kmv_test_int(f, sql, 0);
}

int64_t kmv_test_int(kmv_test_vault *f, const char *sql, int64_t param)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	assert_int_equal(kmv_db__prepare(&st, kmv_vault__db(f->vault), sql), 0);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, param);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
