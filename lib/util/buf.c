/* SPDX-License-Identifier: MIT */
#include "common.h"

#include <sodium.h>

char kmv_buf__empty[1];

void kmv_buf_init(kmv_buf *buf, size_t max)
{
	buf->ptr = kmv_buf__empty;
	buf->size = 0;
	buf->asize = 0;
	buf->max = max;
}

int kmv_buf_grow(kmv_buf *buf, size_t extra)
{
	size_t limit = buf->max ? buf->max : KMV_BUF_DEFAULT_MAX;
	size_t want, alloc;
	char *p;

	if (extra > limit || buf->size > limit - extra) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "data exceeds the limit of %zu bytes", limit);
		return KMV_EINPUT;
	}
	want = buf->size + extra + 1;
	if (want <= buf->asize)
		return 0;
	/*
	 * Appends double the buffer; a first reservation is taken as given,
	 * so a buffer sized up front (a whole file) is not twice its size,
	 * which a secure dispose would then wipe, faulting in pages that
	 * were never written.
	 */
	alloc = buf->asize ? buf->asize : 64;
	if (!buf->asize && want > alloc)
		alloc = want;
	while (alloc < want)
		alloc = alloc < SIZE_MAX / 2 ? alloc * 2 : want;
	p = realloc(buf->asize ? buf->ptr : NULL, alloc);
	if (!p)
		return kmv_error_nomem();
	if (!buf->asize)
		p[0] = '\0';
	buf->ptr = p;
	buf->asize = alloc;
	return 0;
}

int kmv_buf_put(kmv_buf *buf, const void *data, size_t len)
{
	int error;

	if (len == 0)
		return 0;
	error = kmv_buf_grow(buf, len);
	if (error < 0)
		return error;
	memmove(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int kmv_buf_puts(kmv_buf *buf, const char *s)
{
	return kmv_buf_put(buf, s, strlen(s));
}

int kmv_buf_putc(kmv_buf *buf, char c)
{
	return kmv_buf_put(buf, &c, 1);
}

int kmv_buf_vprintf(kmv_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int n, error;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		kmv_error_set(KMV_ERROR_INTERNAL, "bad format string");
		return KMV_ERROR;
	}
	error = kmv_buf_grow(buf, (size_t)n);
	if (error < 0)
		return error;
	vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	buf->size += (size_t)n;
	return 0;
}

int kmv_buf_printf(kmv_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = kmv_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

void kmv_buf_clear(kmv_buf *buf)
{
	kmv_buf_truncate(buf, 0);
}

void kmv_buf_truncate(kmv_buf *buf, size_t len)
{
	if (len >= buf->size)
		return;
	buf->size = len;
	buf->ptr[len] = '\0';
}

void kmv_buf_dispose(kmv_buf *buf)
{
	size_t max = buf->max;

	if (buf->asize)
		free(buf->ptr);
	kmv_buf_init(buf, max);
}

void kmv_buf_dispose_secure(kmv_buf *buf)
{
	if (buf->asize)
		sodium_memzero(buf->ptr, buf->asize);
	kmv_buf_dispose(buf);
}

char *kmv_buf_detach(kmv_buf *buf)
{
	char *p = buf->asize ? buf->ptr : strdup("");

	kmv_buf_init(buf, buf->max);
	if (!p)
		kmv_error_nomem();
	return p;
}
