/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_COMPRESS_H
#define KMVUTIL_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "kmvutil/buf.h"

/**
 * @file kmvutil/compress.h
 * zlib compression of stored originals, also on another thread.
 */

/** zlib-compress `len` bytes into out (appends). */
int kmv_compress(kmv_buf *out, const void *data, size_t len);
/**
 * kmv_compress on another thread; finish waits, appends the result to
 * `out` (NULL: discard) and frees the job.  With `borrow` the job reads
 * `data` in place (keep it alive and unchanged until finish), otherwise
 * it works on a private copy.
 */
typedef struct kmv_compress_job kmv_compress_job;
int kmv_compress_start(kmv_compress_job **out, const void *data, size_t len,
		       bool borrow);
int kmv_compress_finish(kmv_compress_job *job, kmv_buf *out); /**< NULL-safe */
/** Inflate; refuses output larger than `max` (KMV_ECORRUPT). */
int kmv_decompress(kmv_buf *out, const void *data, size_t len, size_t max);

#endif
