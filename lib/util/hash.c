/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmvutil/hash.h"

#include <openssl/evp.h>

static void digest(const EVP_MD *md, uint8_t *out, const void *data, size_t len)
{
	unsigned int n = 0;

	EVP_Digest(data, len, out, &n, md, NULL);
}

void kmv_sha256(uint8_t out[32], const void *data, size_t len)
{
	digest(EVP_sha256(), out, data, len);
}

void kmv_sha512(uint8_t out[64], const void *data, size_t len)
{
	digest(EVP_sha512(), out, data, len);
}

void kmv_hex_encode(char *out, const uint8_t *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[data[i] >> 4];
		out[2 * i + 1] = hex[data[i] & 15];
	}
	out[2 * len] = '\0';
}

const char *kmv_sha256_hex(char out[KMV_SHA256_HEX_BUFSZ], const void *data,
			   size_t len)
{
	uint8_t md[32];

	kmv_sha256(md, data, len);
	kmv_hex_encode(out, md, sizeof(md));
	return out;
}
