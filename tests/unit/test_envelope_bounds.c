/* SPDX-License-Identifier: MIT */
/*
 * Truncated vaults and backups, cut at every length (issue 19.1).
 *
 * A payload cut at N whole chunks plus 1..16 bytes once made the
 * plaintext buffer 1..16 bytes too small, and the last whole chunk
 * decrypted past its end.  libsodium is not built with ASan, so nothing
 * saw it: the decrypt path now touches each range with an instrumented
 * write before libsodium fills it (lib/store/envelope.c), and these tests
 * run in the ASan build too.
 *
 * Every length from 0 to three chunks + 40 bytes is opened with 4 KiB
 * chunks (the smallest the format allows: every boundary case, cheap);
 * with the default 64 KiB chunks every length within 40 bytes of each
 * chunk boundary, and every length when KMV_TEST_EXHAUSTIVE is set.
 * Opens use the recovery key (a keyed hash, not Argon2id), through the
 * real kmv_vault_open and kmv_backup_verify.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmv/backup.h"
#include "kmv/import.h"
#include "kmv/secret.h"
#include "kmvutil/file.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/envelope.h"
#include "store/vault.h"

#define SMALL_CHUNK 4096

struct fixture {
	char *dir;
	char vault[4200];
	char recovery[KMV_RECOVERY_KEY_BUFSZ];
	kmv_secret *rk;
	unsigned char *file; /* the vault file as saved (64 KiB chunks) */
	size_t file_len;
};

static size_t cchunk_of(size_t chunk)
{
	return chunk + crypto_secretstream_xchacha20poly1305_ABYTES;
}

static size_t stream_hdr(void)
{
	return crypto_secretstream_xchacha20poly1305_HEADERBYTES;
}

/* An Alipay statement of `rows` purchases: enough to fill > 3 chunks. */
static char *statement(unsigned rows)
{
	kmv_buf b = KMV_BUF_INIT;

	kmv_buf_puts(
		&b,
		"支付宝交易记录明细查询\n账号:[demo@example.com]\n"
		"起始日期:[2024-03-01 00:00:00]    终止日期:[2024-03-31 23:59:59]\n"
		"---------------------------------交易记录明细列表------------------------------------\n"
		"交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,"
		"交易状态,交易订单号,商家订单号,备注,\n");
	for (unsigned i = 0; i < rows; i++)
		kmv_buf_printf(
			&b,
			"2024-03-%02u 12:%02u:%02u,充值缴费,示例卡盟网络科技,"
			"km***@example.com,游戏点卡 %u 号,支出,%u.50,花呗,"
			"交易成功,20240315220011000099990%05u,KM2024031500%05u,,\n",
			1 + i % 28, i / 60 % 60, i % 60, i, 1 + i % 90, i, i);
	return kmv_buf_detach(&b);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	kmv_vault_create_options co = KMV_VAULT_CREATE_OPTIONS_INIT;
	kmv_vault_open_options oo = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_import_options io = KMV_IMPORT_OPTIONS_INIT;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_secret *pass = NULL;
	kmv_vault *v = NULL;
	char csv[4300], *text = statement(3000);
	const char *paths[1] = { csv };

	if (kmv_global_init() < 0)
		return -1;
	f->dir = kmv_test_tmpdir();
	snprintf(f->vault, sizeof(f->vault), "%s/v.kmv", f->dir);
	snprintf(csv, sizeof(csv), "%s/alipay_record_20240401.csv", f->dir);
	kmv_secret_new(&pass, "pw", 2);
	co.kdf = KMV_KDF_INTERACTIVE;
	oo.write = true;
	if (kmv_vault_create(f->recovery, f->vault, pass, &co) != 0 ||
	    kmv_file_write(csv, text, strlen(text), true) != 0 ||
	    kmv_vault_open(&v, f->vault, KMV_UNLOCK_PASSPHRASE, pass, &oo) !=
		    0 ||
	    kmv_import_files(&res, v, paths, 1, &io) != 0 ||
	    kmv_vault_save(v) != 0)
		return -1;
	kmv_import_results_dispose(&res);
	kmv_vault_free(v);
	kmv_secret_free(pass);
	free(text);
	kmv_secret_new(&f->rk, f->recovery, strlen(f->recovery));
	f->file = kmv_test_slurp(f->vault, &f->file_len);
	*state = f;
	return f->file ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	kmv_secret_free(f->rk);
	free(f->file);
	kmv_test_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int buf_write(const void *data, size_t len, void *payload)
{
	return kmv_buf_put(payload, data, len);
}

/*
 * The same vault with `chunk`-byte chunks: the plaintext decrypted with
 * the data key, encrypted again under a header naming the other size.
 * The keyslots do not cover the chunk size, so they still open it.
 */
static int reencrypt(kmv_buf *out, struct fixture *f, uint32_t chunk)
{
	kmv_vault *v = NULL;
	struct kmv_env_header h;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	int error;

	if ((error = kmv_vault_open(&v, f->vault, KMV_UNLOCK_RECOVERY, f->rk,
				    NULL)) < 0)
		return error;
	h = v->header;
	error = kmv_env__decrypt(&plain, &plain_len, &h, v->data_key,
				 f->file + h.header_len,
				 f->file_len - h.header_len, f->vault);
	h.chunk = chunk;
	h.payload_len = kmv_env__payload_len(chunk, plain_len);
	if (error == 0)
		error = kmv_env__header_encode(out, &h);
	if (error == 0)
		error = kmv_env__encrypt(&h, v->data_key, plain, plain_len,
					 buf_write, out, NULL);
	sodium_memzero(plain, plain_len);
	sqlite3_free(plain);
	kmv_vault_free(v);
	return error;
}

typedef int open_fn(struct fixture *f, const char *path);

static int open_vault(struct fixture *f, const char *path)
{
	kmv_vault *v = NULL;
	int error = kmv_vault_open(&v, path, KMV_UNLOCK_RECOVERY, f->rk, NULL);

	kmv_vault_free(v);
	return error;
}

static int verify_backup(struct fixture *f, const char *path)
{
	kmv_backup_verify_result r;

	return kmv_backup_verify(&r, path, KMV_UNLOCK_RECOVERY, f->rk);
}

/* Is `len` worth opening: every length, or near a chunk boundary? */
static bool selected(size_t len, size_t header_len, size_t chunk, bool every)
{
	size_t cc = cchunk_of(chunk), base = header_len + stream_hdr();

	if (every || len <= base + 40)
		return true;
	for (size_t k = 1; k <= 3; k++) {
		size_t b = base + k * cc;

		if (len + 40 >= b && len <= b + 40)
			return true;
	}
	return false;
}

/*
 * Write `data` to `path`, then cut it shorter one byte at a time from
 * three chunks + 40 bytes down to nothing, opening each selected length:
 * all are corrupt (4), never a crash, a wrong-key answer or success.
 */
static void every_cut_is_corrupt(struct fixture *f, const unsigned char *data,
				 size_t len, size_t chunk, const char *path,
				 open_fn *opener, bool every)
{
	struct kmv_env_header h;
	size_t top, opened = 0;
	int fd;

	assert_int_equal(kmv_env__header_decode(&h, data, len, path), 0);
	assert_int_equal(h.chunk, chunk);
	top = h.header_len + stream_hdr() + 3 * cchunk_of(chunk) + 40;
	assert_true(top < len); /* the vault really spans more than 3 chunks */
	assert_int_equal(kmv_file_write(path, data, top + 1, true), 0);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	for (size_t cut = top + 1; cut-- > 0;) {
		int error;

		assert_int_equal(ftruncate(fd, (off_t)cut), 0);
		if (!selected(cut, h.header_len, chunk, every))
			continue;
		error = opener(f, path);
		if (error != KMV_ECORRUPT)
			fail_msg("a %zu-byte-chunk vault cut to %zu bytes "
				 "opened as %d",
				 chunk, cut, error);
		opened++;
	}
	close(fd);
	assert_true(opened > 0);
	/* The whole file still opens: the cuts, not the copy, were bad. */
	assert_int_equal(kmv_file_write(path, data, len, true), 0);
	assert_int_equal(opener(f, path), 0);
}

static void cut_small_chunks(void **state, open_fn *opener, const char *name)
{
	struct fixture *f = *state;
	kmv_buf b = KMV_BUF_INIT;
	char path[4300];

	assert_int_equal(reencrypt(&b, f, SMALL_CHUNK), 0);
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	every_cut_is_corrupt(f, (unsigned char *)b.ptr, b.size, SMALL_CHUNK,
			     path, opener, true);
	kmv_buf_dispose(&b);
}

static void cut_default_chunks(void **state, open_fn *opener, const char *name)
{
	struct fixture *f = *state;
	char path[4300];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	every_cut_is_corrupt(f, f->file, f->file_len, KMV_ENV_CHUNK, path,
			     opener, getenv("KMV_TEST_EXHAUSTIVE") != NULL);
}

static void test_envelope__every_cut_of_a_vault_is_corrupt(void **state)
{
	cut_small_chunks(state, open_vault, "small.kmv");
	cut_default_chunks(state, open_vault, "cut.kmv");
}

/* A backup is a copy of the vault file, read back by backup verify. */
static void test_envelope__every_cut_of_a_backup_is_corrupt(void **state)
{
	struct fixture *f = *state;
	kmv_backup_options bo = KMV_BACKUP_OPTIONS_INIT;
	kmv_backup_result br = KMV_BACKUP_RESULT_INIT;
	char dir[4300];
	unsigned char *copy;
	size_t copy_len;

	snprintf(dir, sizeof(dir), "%s/backups", f->dir);
	assert_int_equal(kmv_backup_create(&br, f->vault, dir, &bo), 0);
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/%s", br.file);
	copy = kmv_test_slurp(dir, &copy_len);
	assert_non_null(copy);
	assert_int_equal(copy_len, f->file_len);
	cut_small_chunks(state, verify_backup, "small-backup.kmv");
	every_cut_is_corrupt(f, copy, copy_len, KMV_ENV_CHUNK, dir,
			     verify_backup,
			     getenv("KMV_TEST_EXHAUSTIVE") != NULL);
	kmv_backup_result_dispose(&br);
	free(copy);
}

/* The buffer size is what the chunks can hold, for every tail length. */
static void test_envelope__capacity_counts_only_what_chunks_hold(void **state)
{
	size_t hdr = stream_hdr(), cc = cchunk_of(SMALL_CHUNK);

	(void)state;
	assert_int_equal(kmv_env__plain_capacity(SMALL_CHUNK, 0), 0);
	assert_int_equal(kmv_env__plain_capacity(SMALL_CHUNK, hdr), 0);
	for (size_t k = 0; k <= 3; k++)
		for (size_t t = 0; t < cc; t++) {
			size_t want = k * SMALL_CHUNK +
				      (t > cc - SMALL_CHUNK
					       ? t - (cc - SMALL_CHUNK)
					       : 0);

			assert_int_equal(kmv_env__plain_capacity(SMALL_CHUNK,
								 hdr + k * cc +
									 t),
					 want);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_envelope__capacity_counts_only_what_chunks_hold),
		cmocka_unit_test_setup_teardown(
			test_envelope__every_cut_of_a_vault_is_corrupt, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_envelope__every_cut_of_a_backup_is_corrupt, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
