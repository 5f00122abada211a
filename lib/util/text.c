/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmvutil/text.h"

#include <utf8proc.h>
#include <wchar.h>

/* Offset of the first byte that is not valid UTF-8, or `len`. */
size_t kmv_utf8_invalid_at(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

bool kmv_utf8_valid(const char *str, size_t len)
{
	return kmv_utf8_invalid_at((const uint8_t *)str, len) == len;
}

/*
 * One character's length in bytes and display width, from utf8proc
 * (Unicode's East Asian Width: 2 for CJK, fullwidth forms and wide emoji,
 * 0 for combining and zero-width marks and controls).  An invalid byte is
 * one column, as a terminal shows U+FFFD.
 */
static size_t next_char(const unsigned char *s, int *width)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate(s, -1, &cp);

	if (n <= 0) {
		*width = 1;
		return 1;
	}
	*width = utf8proc_charwidth(cp);
	return (size_t)n;
}

size_t kmv_utf8_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0;

	while (*s) {
		int cw;

		s += next_char(s, &cw);
		w += (size_t)cw;
	}
	return w;
}

size_t kmv_utf8_prefix_for_width(const char *str, size_t cols,
				 size_t *width_out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0, bytes = 0;

	while (s[bytes]) {
		int cw;
		size_t n = next_char(s + bytes, &cw);

		if (w + (size_t)cw > cols)
			break;
		w += (size_t)cw;
		bytes += n;
	}
	if (width_out)
		*width_out = w;
	return bytes;
}

char *kmv_trim(char *s)
{
	size_t n;
	char *start = s;

	while (*start == ' ' || *start == '\t' || *start == '\r' ||
	       *start == '\n')
		start++;
	n = strlen(start);
	while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t' ||
			 start[n - 1] == '\r' || start[n - 1] == '\n'))
		n--;
	memmove(s, start, n);
	s[n] = '\0';
	return s;
}
