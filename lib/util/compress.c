/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmvutil/compress.h"

#include <zlib.h>

int kmv_compress(kmv_buf *out, const void *data, size_t len)
{
	z_stream zs;
	uLong bound;
	int window = 9, mem_level, error, rc;

	/*
	 * The window and hash table sized to the input: compress2()'s fixed
	 * 256 KiB of state per call was most of the cost of storing each of
	 * 100k small mbox messages (allocation and page faults), and a
	 * window larger than the input finds nothing more.  The stream is
	 * ordinary zlib format; inflate reads any window size.
	 */
	while (window < 15 && ((size_t)1 << window) < len + 262)
		window++;
	mem_level = window - 7 < 1 ? 1 : window - 7; /* 8, the default, at 15 */
	if (len > UINT_MAX) {
		kmv_error_set(KMV_ERROR_INPUT, "data too large to compress");
		return KMV_EINPUT;
	}
	memset(&zs, 0, sizeof(zs));
	/* Level 1: statements compress ~5x already; level 6 cost 3x the time. */
	if (deflateInit2(&zs, 1, Z_DEFLATED, window, mem_level,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		kmv_error_set(KMV_ERROR_INTERNAL, "compression failed");
		return KMV_ERROR;
	}
	bound = deflateBound(&zs, (uLong)len);
	error = kmv_buf_grow(out, bound);
	if (error < 0) {
		deflateEnd(&zs);
		return error;
	}
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->ptr + out->size;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&zs);
		kmv_error_set(KMV_ERROR_INTERNAL, "compression failed");
		return KMV_ERROR;
	}
	out->size += zs.total_out;
	out->ptr[out->size] = '\0';
	deflateEnd(&zs);
	return 0;
}

int kmv_decompress(kmv_buf *out, const void *data, size_t len, size_t max)
{
	z_stream zs;
	int zerr, error = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
		return kmv_error_nomem();
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	do {
		error = kmv_buf_grow(out, 65536);
		if (error < 0)
			break;
		zs.next_out = (Bytef *)out->ptr + out->size;
		zs.avail_out = 65536;
		zerr = inflate(&zs, Z_NO_FLUSH);
		out->size += 65536 - zs.avail_out;
		out->ptr[out->size] = '\0';
		if (zerr != Z_OK && zerr != Z_STREAM_END) {
			kmv_error_set(KMV_ERROR_VAULT,
				      "stored file is damaged");
			error = KMV_ECORRUPT;
			break;
		}
		if (zs.total_out > max) {
			kmv_error_set(KMV_ERROR_VAULT, "stored file too large");
			error = KMV_ECORRUPT;
			break;
		}
	} while (zerr != Z_STREAM_END);
	inflateEnd(&zs);
	return error;
}
