/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "evidence/bag.h"
#include "kmvutil/file.h"
#include "kmv/init.h"

/* Signatures made here must verify with the real minisign binary. */

struct keys {
	unsigned char pk[32], sk[64], keynum[8];
	char *dir;
};

static int setup(void **state)
{
	struct keys *k = calloc(1, sizeof(*k));

	assert_int_equal(kmv_global_init(), 0);
	crypto_sign_keypair(k->pk, k->sk);
	randombytes_buf(k->keynum, sizeof(k->keynum));
	k->dir = kmv_test_tmpdir();
	*state = k;
	return 0;
}

static int teardown(void **state)
{
	struct keys *k = *state;

	kmv_test_rmdir(k->dir);
	free(k->dir);
	free(k);
	return 0;
}

static void write_file(const char *dir, const char *name, const void *data,
		       size_t len)
{
	char path[4300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(kmv_file_write(path, data, len, true), 0);
}

/* minisign -V in `dir` with the public key file `pub`; extra flags. */
static int run(const char *dir, const char *pub, const char *flags)
{
	char cmd[9000];

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && minisign %s -Vm m.txt -p '%s' "
		 ">/dev/null 2>&1",
		 dir, flags, pub);
	return system(cmd);
}

static void test_minisign__minisign_binary_verifies(void **state)
{
	struct keys *k = *state;
	kmv_buf sig = KMV_BUF_INIT, pub = KMV_BUF_INIT;
	static const char msg[] = "deadbeef  data/records.json\n";
	char pubfile[4300];

	assert_int_equal(kmv_minisign__sign(&sig, k->sk, k->keynum, msg,
					    strlen(msg),
					    "timestamp:1\tfile:m.txt\thashed"),
			 0);
	assert_int_equal(kmv_minisign__pubkey_text(&pub, k->pk, k->keynum), 0);
	write_file(k->dir, "m.txt", msg, strlen(msg));
	write_file(k->dir, "m.txt.minisig", sig.ptr, sig.size);
	write_file(k->dir, "k.pub", pub.ptr, pub.size);
	snprintf(pubfile, sizeof(pubfile), "%s/k.pub", k->dir);
	/* -p with the file, and -H: the prehashed format is required */
	assert_int_equal(run(k->dir, pubfile, "-H"), 0);
	/* a changed message fails */
	write_file(k->dir, "m.txt", "x", 1);
	assert_int_not_equal(run(k->dir, pubfile, ""), 0);
	kmv_buf_dispose(&sig);
	kmv_buf_dispose(&pub);
}

static void test_minisign__our_verifier(void **state)
{
	struct keys *k = *state;
	kmv_buf sig = KMV_BUF_INIT, tc = KMV_BUF_INIT, pub = KMV_BUF_INIT;
	unsigned char pk2[32], keynum2[8], other[8];
	static const char msg[] = "hello";

	assert_int_equal(kmv_minisign__sign(&sig, k->sk, k->keynum, msg, 5,
					    "timestamp:2\tfile:x\thashed"),
			 0);
	assert_int_equal(kmv_minisign__verify(&tc, sig.ptr, k->pk, k->keynum,
					      msg, 5),
			 0);
	assert_string_equal(tc.ptr, "timestamp:2\tfile:x\thashed");
	assert_int_equal(kmv_minisign__verify(NULL, sig.ptr, k->pk, k->keynum,
					      "hellO", 5),
			 KMV_ECORRUPT);
	memcpy(other, k->keynum, 8);
	other[0] ^= 1;
	assert_int_equal(kmv_minisign__verify(NULL, sig.ptr, k->pk, other, msg,
					      5),
			 KMV_ECORRUPT);
	/* a changed trusted comment breaks the global signature */
	{
		char *p = strstr(sig.ptr, "timestamp:2");

		p[10] = '3';
		assert_int_equal(kmv_minisign__verify(NULL, sig.ptr, k->pk,
						      k->keynum, msg, 5),
				 KMV_ECORRUPT);
	}
	/* public key round trip, file text and bare base64 line */
	assert_int_equal(kmv_minisign__pubkey_text(&pub, k->pk, k->keynum), 0);
	assert_int_equal(kmv_minisign__pubkey_parse(pk2, keynum2, pub.ptr), 0);
	assert_memory_equal(pk2, k->pk, 32);
	assert_memory_equal(keynum2, k->keynum, 8);
	assert_int_equal(kmv_minisign__pubkey_parse(pk2, keynum2,
						    strchr(pub.ptr, '\n') + 1),
			 0);
	assert_int_equal(kmv_minisign__pubkey_parse(pk2, keynum2, "garbage"),
			 KMV_EINPUT);
	kmv_buf_dispose(&sig);
	kmv_buf_dispose(&tc);
	kmv_buf_dispose(&pub);
}

static void test_minisign__key_id_is_little_endian(void **state)
{
	unsigned char keynum[8] = { 1, 2, 3, 4, 5, 6, 7, 0xAB };
	char id[17];

	(void)state;
	kmv_minisign__key_id(id, keynum);
	assert_string_equal(id, "AB07060504030201");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_minisign__minisign_binary_verifies, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_minisign__our_verifier,
						setup, teardown),
		cmocka_unit_test(test_minisign__key_id_is_little_endian),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
