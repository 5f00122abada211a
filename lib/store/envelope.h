/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_ENVELOPE_H
#define KMV_STORE_ENVELOPE_H

/*
 * The vault file format (docs/vault-format.md), little-endian:
 *
 *   fixed part (56 bytes)   magic "KMVAULT\x1a", version 1.0, header length,
 *                           generation, chunk size, flags, vault id (16),
 *                           slot count
 *   keyslots (112 bytes each) type, KDF id and parameters, salt, nonce,
 *                           wrapped data key (XChaCha20-Poly1305)
 *   checksum (32 bytes)     unkeyed BLAKE2b-256 of everything before it
 *   payload                 secretstream header (24) + chunks of
 *                           CHUNK + 17 bytes, the last one tagged FINAL
 *   audit tail (minor 1)    entries appended after the payload (tail.c)
 *
 * Invariants: the checksum tells damage from a wrong key; keyslots are
 * bound (AD) to the magic, version, vault id and their own parameters;
 * every payload chunk is bound (AD) to the fixed part, so a payload cannot
 * be moved under another header or generation.  Keyslots are outside the
 * payload AD so a passphrase change rewrites only the header.
 */
#include <sodium.h>
#include <stdint.h>

#include "kmvutil/buf.h"
#include "kmv/secret.h"
#include "kmv/vault.h"

#define KMV_ENV_MAGIC "KMVAULT\x1a"
#define KMV_ENV_VERSION_MAJOR 1
#define KMV_ENV_VERSION_MINOR 1
#define KMV_ENV_FIXED_LEN 56
#define KMV_ENV_SLOT_LEN 112
#define KMV_ENV_CHECKSUM_LEN 32
#define KMV_ENV_MAX_SLOTS 8
#define KMV_ENV_CHUNK 65536
#define KMV_ENV_KEY_LEN 32
/* The smallest payload: stream header and a FINAL chunk of one byte (an
 * image is never empty; kmv_env__decrypt refuses less too). */
#define KMV_ENV_MIN_PAYLOAD (24 + 17 + 1)
#define KMV_ENV_RECOVERY_LEN 20

enum { KMV_SLOT_PASSPHRASE = 1, KMV_SLOT_RECOVERY = 2 };
enum { KMV_KDF_ID_ARGON2ID13 = 1, KMV_KDF_ID_BLAKE2B = 2 };

struct kmv_env_slot {
	uint8_t type;
	uint8_t kdf;
	uint64_t opslimit;
	uint64_t memlimit;
	uint8_t salt[16];
	uint8_t nonce[24];
	uint8_t wrapped[KMV_ENV_KEY_LEN + 16];
};

struct kmv_env_header {
	uint16_t major, minor;
	uint32_t header_len;
	uint64_t generation;
	uint32_t chunk;
	uint32_t flags;
	uint8_t vault_id[16];
	uint8_t nslots;
	/* Minor 1: the payload's length in bytes (stream header included),
	 * so that an audit tail can follow it; 0 in a minor-0 file, whose
	 * payload runs to the end of the file. */
	uint64_t payload_len;
	struct kmv_env_slot slots[KMV_ENV_MAX_SLOTS];
};

/* Serialize a header (with checksum) into out (appends). */
int kmv_env__header_encode(kmv_buf *out, const struct kmv_env_header *h);

/*
 * Parse and check a header at the start of `data`.  KMV_ECORRUPT for bad
 * magic, lengths, version or checksum, with a detail naming `path`.
 */
int kmv_env__header_decode(struct kmv_env_header *h, const uint8_t *data,
			   size_t len, const char *path);

/* Fill a slot wrapping `data_key` under a passphrase (Argon2id). */
int kmv_env__slot_wrap_passphrase(struct kmv_env_slot *slot,
				  const struct kmv_env_header *h,
				  const uint8_t *data_key,
				  const kmv_secret *passphrase,
				  kmv_kdf_preset preset);

/* Fill a slot wrapping `data_key` under a raw recovery key. */
int kmv_env__slot_wrap_recovery(struct kmv_env_slot *slot,
				const struct kmv_env_header *h,
				const uint8_t *data_key,
				const uint8_t recovery[KMV_ENV_RECOVERY_LEN]);

/*
 * Unwrap the data key (into sodium_malloc'd `data_key`) with the slot of
 * the given kind.  KMV_EAUTH when the secret is wrong.
 */
int kmv_env__unwrap(uint8_t *data_key, const struct kmv_env_header *h,
		    kmv_unlock_kind kind, const kmv_secret *secret);

/* Format / parse a recovery key with its checksum group. */
void kmv_env__recovery_format(char out[KMV_RECOVERY_KEY_BUFSZ],
			      const uint8_t key[KMV_ENV_RECOVERY_LEN]);
int kmv_env__recovery_parse(uint8_t key[KMV_ENV_RECOVERY_LEN],
			    const char *text);

/* The fixed part of an encoded header, the AD of every payload chunk. */
void kmv_env__fixed_part(uint8_t out[KMV_ENV_FIXED_LEN],
			 const struct kmv_env_header *h);

/* The length of the payload that encrypting `plain_len` bytes makes. */
uint64_t kmv_env__payload_len(size_t chunk, size_t plain_len);

/*
 * Where the payload of a file of `file_size` bytes ends: header_len +
 * payload_len, or the end of the file for a minor-0 header.  KMV_ECORRUPT
 * (naming `path`) when the file is shorter than its header says.
 */
int kmv_env__payload_end(size_t *end, const struct kmv_env_header *h,
			 size_t file_size, const char *path);

/*
 * The most plaintext a payload of `payload_len` bytes (stream header
 * included) with `chunk`-byte chunks can hold: the decryption buffer's size.
 */
size_t kmv_env__plain_capacity(size_t chunk, size_t payload_len);

/*
 * Decrypt and verify a whole payload into a sqlite3_malloc64 buffer.
 * Nothing is returned unless every chunk verified, the last carried the
 * FINAL tag and no byte follows it.  KMV_ECORRUPT otherwise.
 */
int kmv_env__decrypt(uint8_t **plain_out, size_t *plain_len,
		     const struct kmv_env_header *h, const uint8_t *data_key,
		     const uint8_t *payload, size_t payload_len,
		     const char *path);

/* Streaming writer callback used by kmv_env__encrypt. */
typedef int (*kmv_env_write_fn)(const void *data, size_t len, void *payload);

/*
 * Encrypt `plain` as a payload, handing ciphertext to `write`; the
 * payload's random stream header also goes to `stream_out` (NULL: not
 * wanted), the AD of the audit tail entries a save may append.
 */
int kmv_env__encrypt(const struct kmv_env_header *h, const uint8_t *data_key,
		     const uint8_t *plain, size_t plain_len,
		     kmv_env_write_fn write, void *payload,
		     uint8_t *stream_out);

#endif
