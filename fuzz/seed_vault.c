/* SPDX-License-Identifier: MIT */
/* Write a seed vault for fuzz_vault_open: a real envelope around a small
 * database, encrypted with the fuzz target's fixed data key, and one
 * audit tail entry after it. */
#include <stdio.h>

#include "common.h"
#include "kmv/init.h"
#include "store/envelope.h"
#include "store/vault.h"
#include "store/schema.h"
#include "store/tail.h"

static const uint8_t key[32] = {
	7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
	7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7
};

static int put(const void *data, size_t len, void *payload)
{
	return kmv_buf_put(payload, data, len);
}

static const char entry[] = "[[2,\"2026-12-03T10:00:00+08:00\",\"export\","
			    "\"export\",\"{}\",\"00\",\"11\"]]";

int main(int argc, char **argv)
{
	struct kmv_env_header h;
	uint8_t recovery[KMV_ENV_RECOVERY_LEN] = { 0 };
	kmv_buf head = KMV_BUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_int64 size;
	uint8_t tag[KMV_TAIL_TAG], first[KMV_TAIL_TAG] = { 0 }, stream[24];
	unsigned char *img;
	FILE *out;

	if (argc != 2)
		return 2;
	kmv_global_init();
	memset(&h, 0, sizeof(h));
	h.major = 1;
	h.minor = KMV_ENV_VERSION_MINOR;
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
	h.payload_len = kmv_env__payload_len(h.chunk, (size_t)size);
	kmv_env__header_encode(&head, &h);
	kmv_env__encrypt(&h, key, img, (size_t)size, put, &head, NULL);
	memcpy(stream, head.ptr + h.header_len, sizeof(stream));
	kmv_tail__seal(&head, tag, &h, stream, key, 0, first,
		       (const uint8_t *)entry, sizeof(entry) - 1);
	out = fopen(argv[1], "wb");
	fwrite(head.ptr, 1, head.size, out);
	fclose(out);
	sqlite3_free(img);
	sqlite3_close(db);
	kmv_buf_dispose(&head);
	return 0;
}
