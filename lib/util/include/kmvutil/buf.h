/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_BUF_H
#define KMVUTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

/**
 * @file kmvutil/buf.h
 * kmv_buf: the one growable byte string of the project.
 *
 * Invariants: `ptr` is never NULL and always NUL-terminated (also after a
 * failed append); `size` counts the bytes before that NUL; `asize` is the
 * allocation (0 while `ptr` points at the shared empty string).  A buffer
 * never grows beyond `max` bytes (KMV_BUF_DEFAULT_MAX unless set), so
 * hostile input cannot make it grow without bound: an append past the
 * limit fails with KMV_EINPUT and leaves the buffer unchanged.
 */

#define KMV_BUF_DEFAULT_MAX ((size_t)1 << 30)

typedef struct kmv_buf {
	char *ptr;
	size_t size;
	size_t asize;
	size_t max;
} kmv_buf;

extern char kmv_buf__empty[];

#define KMV_BUF_INIT                    \
	{                               \
		kmv_buf__empty, 0, 0, 0 \
	}

/** Initialize with a size limit (0 = default). */
void kmv_buf_init(kmv_buf *buf, size_t max);

/** Make room for `extra` more bytes. KMV_EINPUT past max, KMV_ERROR on OOM. */
int kmv_buf_grow(kmv_buf *buf, size_t extra);

int kmv_buf_put(kmv_buf *buf, const void *data, size_t len);
int kmv_buf_puts(kmv_buf *buf, const char *s);
int kmv_buf_putc(kmv_buf *buf, char c);
int kmv_buf_printf(kmv_buf *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int kmv_buf_vprintf(kmv_buf *buf, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/** Empty the buffer, keeping the allocation. */
void kmv_buf_clear(kmv_buf *buf);

/** Shorten to `len` bytes (no-op when already shorter). */
void kmv_buf_truncate(kmv_buf *buf, size_t len);

/** Wipe the contents (sodium_memzero) and free; back to KMV_BUF_INIT. */
void kmv_buf_dispose_secure(kmv_buf *buf);

/** Free the contents; the buffer is back in its KMV_BUF_INIT state. */
void kmv_buf_dispose(kmv_buf *buf);

/**
 * Take ownership of the contents (free() it); the buffer is reset.
 * Returns a heap string even for an empty buffer, or NULL on OOM.
 */
char *kmv_buf_detach(kmv_buf *buf);

#endif
