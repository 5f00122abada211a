/* SPDX-License-Identifier: MIT */
/* Write a seed vault for fuzz_vault_open: a real envelope around a small
 * database, encrypted with the fuzz target's fixed data key. */
#include <stdio.h>

#include "common.h"
#include "kmv/init.h"
#include "store/envelope.h"
#include "store/vault.h"
#include "store/schema.h"

static const uint8_t key[32] = {
	7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
	7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7
};

static int put(const void *data, size_t len, void *payload)
{
	return fwrite(data, 1, len, payload) == len ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct kmv_env_header h;
	uint8_t recovery[KMV_ENV_RECOVERY_LEN] = { 0 };
	kmv_buf head = KMV_BUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_int64 size;
	unsigned char *img;
	FILE *out;

	if (argc != 2)
		return 2;
	kmv_global_init();
	memset(&h, 0, sizeof(h));
	h.major = 1;
	h.nslots = 1;
	h.header_len = KMV_ENV_FIXED_LEN + KMV_ENV_SLOT_LEN +
		       KMV_ENV_CHECKSUM_LEN;
	h.generation = 1;
	h.chunk = 4096;
	kmv_env__slot_wrap_recovery(&h.slots[0], &h, key, recovery);
	sqlite3_open(":memory:", &db);
	kmv_schema__apply(db);
	sqlite3_exec(db, "INSERT INTO settings VALUES ('a', 'b')", NULL, NULL,
		     NULL);
	img = sqlite3_serialize(db, "main", &size, 0);
	kmv_env__header_encode(&head, &h);
	out = fopen(argv[1], "wb");
	fwrite(head.ptr, 1, head.size, out);
	kmv_env__encrypt(&h, key, img, (size_t)size, put, out);
	fclose(out);
	sqlite3_free(img);
	sqlite3_close(db);
	kmv_buf_dispose(&head);
	return 0;
}
