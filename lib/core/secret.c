/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/secret.h"

#include <sodium.h>

struct kmv_secret {
	size_t len;
	unsigned char data[]; /* len bytes + NUL */
};

int kmv_secret_new(kmv_secret **out, const void *data, size_t len)
{
	kmv_secret *s;

	*out = NULL;
	if (len > 1 << 20) {
		kmv_error_set(KMV_ERROR_INPUT, "secret too long");
		return KMV_EINPUT;
	}
	/*
	 * sodium_malloc puts the block against a guard page, so its start is
	 * only aligned when its size is: round up to keep the struct aligned.
	 */
	s = sodium_malloc((sizeof(*s) + len + 1 + 15) & ~(size_t)15);
	if (!s)
		return kmv_error_nomem();
	s->len = len;
	if (len)
		memcpy(s->data, data, len);
	s->data[len] = '\0';
	sodium_mprotect_readonly(s);
	*out = s;
	return 0;
}

const unsigned char *kmv_secret_data(const kmv_secret *s)
{
	return s->data;
}

size_t kmv_secret_len(const kmv_secret *s)
{
	return s->len;
}

int kmv_secret_equal(const kmv_secret *a, const kmv_secret *b)
{
	if (a->len != b->len)
		return 0;
	return sodium_memcmp(a->data, b->data, a->len) == 0;
}

void kmv_secret_free(kmv_secret *s)
{
	if (!s)
		return;
	sodium_mprotect_readwrite(s);
	sodium_free(s); /* zeroes the whole region */
}
