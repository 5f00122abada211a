/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_TAIL_H
#define KMV_STORE_TAIL_H

/*
 * The audit tail of a vault file (format minor 1, docs/vault-format.md):
 * entries appended after the payload's final chunk, so that a save whose
 * only change is new audit events writes a few hundred bytes instead of
 * the whole file.  Each entry on disk:
 *
 *   length n (u32 LE)   sealed bytes that follow the nonce, 17 .. MAX + 16
 *   nonce (24)          random
 *   sealed (n)          crypto_aead_xchacha20poly1305_ietf, tag last
 *
 * under a crypto_kdf subkey of the data key, with as additional data the
 * header's fixed part, the payload's stream header, the entry's index, the
 * previous entry's tag (zero for the first) and n: an entry cannot move to
 * another save or place, and none can be dropped but the last ones, which
 * lowers the vault's generation (header generation + entries) where the
 * rollback mark sees it.  An entry cut short at the end of the file is a
 * crash during an append: readers leave it out, the next save folds.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/envelope.h"

#define KMV_TAIL_FRAME (4 + 24)
#define KMV_TAIL_TAG 16
/* An entry's plaintext at most; readers refuse longer ones. */
#define KMV_TAIL_MAX_PLAIN (1u << 20)
/* Readers refuse a tail of more entries; writers fold long before. */
#define KMV_TAIL_MAX_ENTRIES 4096

struct kmv_tail {
	size_t start; /* offset of the first entry: where the payload ends */
	size_t end;   /* offset after the last complete entry */
	size_t count; /* complete entries */
	bool torn;    /* bytes after `end` that are no complete entry */
	uint8_t last_tag[KMV_TAIL_TAG]; /* the last complete entry's (or 0) */
	size_t size;                    /* the file's size when framed */
	uint32_t max_sealed;            /* the largest entry's sealed length */
};

/*
 * Frame the entries of a file of `size` bytes (the whole file at `file`,
 * or read through `fd` when `file` is NULL), without the key.  A last
 * frame cut short, or whose length no writer makes, is cut (`torn`);
 * KMV_ECORRUPT, naming `path`, for such a length with a whole entry's
 * room after it, or too many entries.
 */
int kmv_tail__scan(struct kmv_tail *t, const struct kmv_env_header *h,
		   const uint8_t *file, int fd, size_t size, const char *path);

/*
 * Read the header of the vault file open as `fd` and frame its tail;
 * `stream` (NULL: not wanted) gets the payload's stream header.
 */
int kmv_tail__read_file(struct kmv_env_header *h, struct kmv_tail *t,
			uint8_t *stream, int fd, const char *path);

/*
 * What names the save a file holds in the rollback mark: the payload's
 * stream header (random per full save) while there is no entry, else its
 * first 8 bytes and the last entry's tag (random nonce): two appends to
 * copies of one save, which share a generation, are still told apart.
 */
void kmv_tail__save_id(uint8_t out[24], const uint8_t stream[24],
		       const struct kmv_tail *t);

/* The generation of the save a file holds: header + complete entries. */
static inline uint64_t kmv_tail__generation(const struct kmv_env_header *h,
					    const struct kmv_tail *t)
{
	return h->generation + t->count;
}

/*
 * Verify and decrypt every complete entry of `t` in order, handing each
 * plaintext to `each` (the buffer is wiped after the call).  A last entry
 * that fails authentication is left out of `t` as a cut one (a crash
 * leaves such bytes); an earlier one is KMV_ECORRUPT, naming `path`.
 */
typedef int (*kmv_tail_each_fn)(const uint8_t *plain, size_t len, void *ctx);
int kmv_tail__open(struct kmv_tail *t, const struct kmv_env_header *h,
		   const uint8_t stream[24], const uint8_t *data_key,
		   const uint8_t *file, const char *path, kmv_tail_each_fn each,
		   void *ctx);

/*
 * Seal `plain` as entry number `index` after the entry whose tag is
 * `prev_tag` (zeros for the first), appending the frame to `out` and
 * setting `tag_out` to the new entry's tag.
 */
int kmv_tail__seal(kmv_buf *out, uint8_t tag_out[KMV_TAIL_TAG],
		   const struct kmv_env_header *h, const uint8_t stream[24],
		   const uint8_t *data_key, uint64_t index,
		   const uint8_t prev_tag[KMV_TAIL_TAG], const uint8_t *plain,
		   size_t len);

#endif
