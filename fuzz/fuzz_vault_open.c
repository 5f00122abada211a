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
#include "store/tail.h"
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

static int take_entry(const uint8_t *plain, size_t len, void *ctx)
{
	sqlite3 *db = ctx;
	sqlite3_stmt *st = NULL;

	/* What an open does with an entry: its JSON through json_each. */
	if (db && sqlite3_prepare_v2(db,
				     "SELECT value->>0, value->>6 FROM "
				     "json_each(?1)",
				     -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, (const char *)plain, (int)len,
				  SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
	}
	sqlite3_finalize(st);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kmv_env_header h;
	struct kmv_tail t;
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
		if (kmv_tail__scan(&t, &h, data, -1, size, "fuzz") == 0 &&
		    kmv_env__decrypt(&plain, &plain_len, &h, kmv_fuzz_data_key,
				     data + h.header_len,
				     t.start - h.header_len, "fuzz") == 0) {
			sqlite3_open(":memory:", &db);
			kmv_tail__open(&t, &h, data + h.header_len,
				       kmv_fuzz_data_key, data, "fuzz",
				       take_entry, db);
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
