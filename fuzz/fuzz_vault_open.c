/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a hostile vault file.  Runs the header parser, the
 * recovery-key keyslot unwrap (the cheap path: no Argon2id per input) and
 * the payload decryption with a fixed data key, so mutations of a seed
 * made with that key reach the chunk loop and the SQLite deserialize.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "kmv/init.h"
#include "store/envelope.h"
#include "store/vault.h"

const uint8_t kmv_fuzz_data_key[32] = { 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
					7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
					7, 7, 7, 7, 7, 7, 7, 7, 7, 7 };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	kmv_global_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kmv_env_header h;
	uint8_t *plain = NULL, *key = sodium_malloc(32);
	size_t plain_len = 0;
	kmv_secret *rk = NULL;
	sqlite3 *db = NULL;

	if (!key)
		return 0;
	if (kmv_env__header_decode(&h, data, size, "fuzz") == 0) {
		kmv_secret_new(&rk,
			       "0000-0000-0000-0000-0000-0000-0000-0000-0000",
			       44);
		kmv_env__unwrap(key, &h, KMV_UNLOCK_RECOVERY, rk);
		kmv_secret_free(rk);
		if (kmv_env__decrypt(&plain, &plain_len, &h, kmv_fuzz_data_key,
				     data + h.header_len, size - h.header_len,
				     "fuzz") == 0) {
			sqlite3_open(":memory:", &db);
			if (sqlite3_deserialize(
				    db, "main", plain, (sqlite3_int64)plain_len,
				    (sqlite3_int64)plain_len,
				    SQLITE_DESERIALIZE_FREEONCLOSE |
					    SQLITE_DESERIALIZE_READONLY) ==
			    SQLITE_OK)
				sqlite3_exec(db, "PRAGMA quick_check", NULL,
					     NULL, NULL);
			sqlite3_close(db);
		}
	}
	sodium_free(key);
	return 0;
}
