/* SPDX-License-Identifier: MIT */
#ifndef KMV_UTIL_H
#define KMV_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmv/buf.h"

/**
 * @file kmv/util.h
 * Small shared helpers: whole-file I/O with limits, SHA-256 (OpenSSL,
 * which uses SHA-NI where libsodium's portable SHA-256 does not), hex,
 * zlib compression of stored originals, and UTF-8 display width.
 */

#define KMV_SHA256_HEX_BUFSZ 65

/** Library-wide one-time setup: libsodium, SQLite allocator. Idempotent. */
int kmv_global_init(void);

/**
 * Read a whole file into `out` (appends), refusing files over `max` bytes
 * (KMV_EINPUT) and directories.  KMV_ENOTFOUND when it does not exist.
 */
int kmv_file_read(kmv_buf *out, const char *path, size_t max);

/**
 * Create `path` with mode 0600 (O_EXCL unless `overwrite`), write `len`
 * bytes, fsync and close.  With `overwrite` the file is replaced
 * atomically through a temporary file in the same directory.
 */
int kmv_file_write(const char *path, const void *data, size_t len,
		   bool overwrite);

/**
 * A fresh temporary name beside `path` ("DIR/.BASE.tmp-PID-RANDOM"), for
 * output that must not appear under its real name before the vault that
 * records it is saved (evidence bundles, exports).  Appends to `out`.
 */
int kmv_file_temp_name(kmv_buf *out, const char *path);

/**
 * Move the finished file `tmp` to `path` (same directory).  With
 * `overwrite` an existing `path` is replaced atomically; without it an
 * existing `path` is left alone and KMV_EEXISTS returned (link, then
 * unlink: never a replacement).  `tmp` is gone afterwards either way.
 */
int kmv_file_publish(const char *tmp, const char *path, bool overwrite);

/**
 * Remove the temporary files of `path` (kmv_file_temp_name's) that a
 * killed process left: those whose process id no longer runs.
 */
void kmv_file_sweep_temps(const char *path);

/** mkdir -p with the given mode for created components. */
int kmv_mkdir_p(const char *path, unsigned mode);

/** The last path component (borrowed pointer into `path`). */
const char *kmv_basename(const char *path);

void kmv_sha256(uint8_t out[32], const void *data, size_t len);
const char *kmv_sha256_hex(char out[KMV_SHA256_HEX_BUFSZ], const void *data,
			   size_t len);
void kmv_sha512(uint8_t out[64], const void *data, size_t len);

/** Lower-case hex of `len` bytes into out (2*len+1 bytes). */
void kmv_hex_encode(char *out, const uint8_t *data, size_t len);

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
