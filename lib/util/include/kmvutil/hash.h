/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_HASH_H
#define KMVUTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/**
 * @file kmvutil/hash.h
 * SHA-256 / SHA-512 (OpenSSL, which uses SHA-NI where libsodium's portable
 * SHA-256 does not) and hex.
 */

#define KMV_SHA256_HEX_BUFSZ 65

void kmv_sha256(uint8_t out[32], const void *data, size_t len);
const char *kmv_sha256_hex(char out[KMV_SHA256_HEX_BUFSZ], const void *data,
			   size_t len);
void kmv_sha512(uint8_t out[64], const void *data, size_t len);

/** Lower-case hex of `len` bytes into out (2*len+1 bytes). */
void kmv_hex_encode(char *out, const uint8_t *data, size_t len);

#endif
