/* SPDX-License-Identifier: MIT */
/*
 * Text decoding for statement files.  Alipay writes GBK (decoded as
 * GB18030, its superset), WeChat and JD write UTF-8 with or without a BOM.
 * The sniff is the one formats.md section 6 item 2 asks for: a BOM means
 * UTF-8, valid UTF-8 means UTF-8, anything else is GB18030.  Conversion
 * goes through iconv in one call over the whole buffer (no per-line work);
 * an invalid byte sequence is reported with its line number.
 */
#include "common.h"
#include "kmvutil/text.h"
#include "import/readers.h"

#include <errno.h>
#include <iconv.h>

/* 1-based line of byte offset `at`. */
static int64_t line_of(const uint8_t *data, size_t at)
{
	int64_t line = 1;
	const uint8_t *p = data, *end = data + at;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

static int bad_bytes(const char *display, const uint8_t *data, size_t at,
		     const char *encoding)
{
	kmv_error_set(KMV_ERROR_INPUT,
		      "%s:%lld: invalid %s byte sequence (0x%02X) at byte %zu "
		      "(expected UTF-8 or GBK/GB18030 text)",
		      display, (long long)line_of(data, at), encoding, data[at],
		      at);
	return KMV_EINPUT;
}

static int from_gb18030(kmv_buf *out, const uint8_t *data, size_t len,
			const char *display)
{
	iconv_t cd;
	char *in = (char *)data, *dst;
	size_t inleft = len, outleft, start = out->size;
	int error = 0;

	/* GB18030 needs at most 4 UTF-8 bytes per 4-byte sequence and 3 per
	 * 2-byte one, so 1.5x plus slack is always enough for one call. */
	KMV_TRY(kmv_buf_grow(out, len + len / 2 + 16));
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		kmv_error_set_os("cannot convert from GB18030");
		return KMV_ERROR;
	}
	dst = out->ptr + start;
	outleft = out->asize - start - 1;
	if (iconv(cd, &in, &inleft, &dst, &outleft) == (size_t)-1) {
		size_t at = (size_t)((const uint8_t *)in - data);

		if (errno == EILSEQ || errno == EINVAL)
			error = bad_bytes(display, data, at, "GBK/GB18030");
		else {
			kmv_error_set_os("%s: cannot convert from GB18030",
					 display);
			error = KMV_ERROR;
		}
		out->ptr[start] = '\0';
		iconv_close(cd);
		return error;
	}
	iconv_close(cd);
	out->size = (size_t)(dst - out->ptr);
	out->ptr[out->size] = '\0';
done:
	return error;
}

int kmv_text__to_utf8(kmv_buf *out, const uint8_t *data, size_t len,
		      const char *encoding, const char *display)
{
	bool bom = len >= 3 && data[0] == 0xEF && data[1] == 0xBB &&
		   data[2] == 0xBF;
	size_t bad;

	KMV_ASSERT_ARG(out && (data || len == 0) && encoding);
	if (!display)
		display = "input";
	if (strcmp(encoding, "auto") == 0) {
		if (!bom && kmv_utf8_invalid_at(data, len) < len)
			return from_gb18030(out, data, len, display);
		encoding = "utf-8";
	}
	if (strcmp(encoding, "gb18030") == 0 || strcmp(encoding, "gbk") == 0)
		return from_gb18030(out, data, len, display);
	if (strcmp(encoding, "utf-8") != 0) {
		kmv_error_set(KMV_ERROR_INTERNAL, "unknown encoding '%s'",
			      encoding);
		return KMV_ERROR;
	}
	if (bom) {
		data += 3;
		len -= 3;
	}
	if ((bad = kmv_utf8_invalid_at(data, len)) < len)
		return bad_bytes(display, data, bad, "UTF-8");
	return kmv_buf_put(out, data, len);
}
