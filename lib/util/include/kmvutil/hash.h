/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_HASH_H
#define KMVUTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/**
 * @file kmvutil/hash.h
 * SHA-256 / SHA-512 (OpenSSL, which uses SHA-NI where libsodium's portable
 * SHA-256 does not), a reusable SHA-256 context for many small digests, a
 * hash-table hash and hex.
 */

#define KMV_SHA256_HEX_BUFSZ 65

void kmv_sha256(uint8_t out[32], const void *data, size_t len);
const char *kmv_sha256_hex(char out[KMV_SHA256_HEX_BUFSZ], const void *data,
			   size_t len);
void kmv_sha512(uint8_t out[64], const void *data, size_t len);

/**
 * A SHA-256 context kept across digests: kmv_sha256() sets one up and
 * tears it down per call (EVP_Digest), a third of a short digest's cost.
 * One per thread of use; not shared between threads.
 */
typedef struct kmv_sha256_ctx kmv_sha256_ctx;

/** A new context in *out (free with kmv_sha256_ctx_free). */
int kmv_sha256_ctx_new(kmv_sha256_ctx **out);

/** The SHA-256 of `data`, as kmv_sha256() computes it. */
void kmv_sha256_ctx_digest(kmv_sha256_ctx *ctx, uint8_t out[32],
			   const void *data, size_t len);

/** NULL-safe. */
void kmv_sha256_ctx_free(kmv_sha256_ctx *ctx);

/**
 * A 128-bit hash for hash tables only (SipHash-2-4 with a fixed key,
 * libsodium): about a third of a SHA-256's cost, never stored, and never
 * where a collision someone built on purpose would matter.
 */
void kmv_hash128(uint8_t out[16], const void *data, size_t len);

/** Lower-case hex of `len` bytes into out (2*len+1 bytes). */
void kmv_hex_encode(char *out, const uint8_t *data, size_t len);

#endif
