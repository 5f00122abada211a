/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_INI_H
#define KMVUTIL_INI_H

#include <stddef.h>

#include "kmvutil/buf.h"

/**
 * @file kmvutil/ini.h
 * Editing INI text in place (libinih reads it).
 */

/**
 * Set `name` in `[section]` of INI text (as libinih reads it) and append
 * the result to `out`, keeping every other line, comment and blank line
 * as it was: the key's lines become `name = value` (indentation and an
 * inline " ; comment" kept, old continuation lines dropped); a new key goes
 * after the section's last key; a new section at the end.
 */
int kmv_ini_set(kmv_buf *out, const char *text, size_t len, const char *section,
		const char *name, const char *value);

#endif
