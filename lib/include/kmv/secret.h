/* SPDX-License-Identifier: MIT */
#ifndef KMV_SECRET_H
#define KMV_SECRET_H

#include <stddef.h>

/**
 * @file kmv/secret.h
 * A passphrase or key held in guarded memory (sodium_malloc: guard pages,
 * canary, wiped on free).  Secrets never live in plain malloc'd memory.
 */
typedef struct kmv_secret kmv_secret;

/** Copy `len` bytes into a new secret. */
int kmv_secret_new(kmv_secret **out, const void *data, size_t len);

/** Read-only view of the bytes (NUL-terminated for convenience). */
const unsigned char *kmv_secret_data(const kmv_secret *s);
size_t kmv_secret_len(const kmv_secret *s);

/** Constant-time equality of two secrets. */
int kmv_secret_equal(const kmv_secret *a, const kmv_secret *b);

/** Wipe and free; NULL-safe. */
void kmv_secret_free(kmv_secret *s);

#endif
