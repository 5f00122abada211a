/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmvutil/hash.h"

#include <pthread.h>

#include <openssl/evp.h>
#include <sodium.h>

/*
 * The SHA-2 implementations fetched from the default provider once per
 * process: EVP_sha256() is a legacy handle that OpenSSL 3 resolves again
 * (a locked method-store lookup) in every EVP_Digest() call, and an import
 * hashes each row's dedup key.  Fetched handles stay for the process's
 * life; a failed fetch falls back to the legacy handle.
 */
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static const EVP_MD *md_sha256, *md_sha512;

static void md_fetch(void)
{
	md_sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
	md_sha512 = EVP_MD_fetch(NULL, "SHA2-512", NULL);
	if (!md_sha256)
		md_sha256 = EVP_sha256();
	if (!md_sha512)
		md_sha512 = EVP_sha512();
}

static void digest(const EVP_MD *md, uint8_t *out, const void *data, size_t len)
{
	unsigned int n = 0;

	EVP_Digest(data, len, out, &n, md, NULL);
}

void kmv_sha256(uint8_t out[32], const void *data, size_t len)
{
	pthread_once(&md_once, md_fetch);
	digest(md_sha256, out, data, len);
}

void kmv_sha512(uint8_t out[64], const void *data, size_t len)
{
	pthread_once(&md_once, md_fetch);
	digest(md_sha512, out, data, len);
}

struct kmv_sha256_ctx {
	EVP_MD_CTX *md;
};

int kmv_sha256_ctx_new(kmv_sha256_ctx **out)
{
	kmv_sha256_ctx *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c || !(c->md = EVP_MD_CTX_new())) {
		free(c);
		return kmv_error_nomem();
	}
	pthread_once(&md_once, md_fetch);
	*out = c;
	return 0;
}

void kmv_sha256_ctx_digest(kmv_sha256_ctx *ctx, uint8_t out[32],
			   const void *data, size_t len)
{
	unsigned int n = 0;

	/*
	 * Init_ex2 on a kept context resets it without freeing its provider
	 * state; should it ever fail, the one-shot digest gives the same
	 * bytes.
	 */
	if (EVP_DigestInit_ex2(ctx->md, md_sha256, NULL) != 1 ||
	    EVP_DigestUpdate(ctx->md, data, len) != 1 ||
	    EVP_DigestFinal_ex(ctx->md, out, &n) != 1)
		digest(md_sha256, out, data, len);
}

void kmv_sha256_ctx_free(kmv_sha256_ctx *ctx)
{
	if (!ctx)
		return;
	EVP_MD_CTX_free(ctx->md);
	free(ctx);
}

void kmv_hash128(uint8_t out[16], const void *data, size_t len)
{
	/* A fixed key: the hash must be the same in every run. */
	static const unsigned char key[crypto_shorthash_siphashx24_KEYBYTES];

	crypto_shorthash_siphashx24(out, data, len, key);
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
