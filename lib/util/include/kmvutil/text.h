/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_TEXT_H
#define KMVUTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * @file kmvutil/text.h
 * UTF-8 validity, terminal display width (utf8proc), trimming.
 */

/** True when the bytes are valid UTF-8 (no overlongs or surrogates). */
bool kmv_utf8_valid(const char *s, size_t len);

/** Offset of the first byte that is not valid UTF-8, or `len`. */
size_t kmv_utf8_invalid_at(const uint8_t *s, size_t len);

/** Terminal columns of a UTF-8 string (CJK wide characters count 2). */
size_t kmv_utf8_width(const char *s);

/**
 * Byte length of the longest prefix of `s` that fits in `cols` columns
 * (never splits a character); its width goes to *width_out (may be NULL).
 */
size_t kmv_utf8_prefix_for_width(const char *s, size_t cols, size_t *width_out);

/** Trim leading/trailing ASCII spaces, TABs, CR, LF in place; returns s. */
char *kmv_trim(char *s);

#endif
