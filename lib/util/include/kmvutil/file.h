/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_FILE_H
#define KMVUTIL_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "kmvutil/buf.h"

/**
 * @file kmvutil/file.h
 * Whole-file I/O with limits, files created 0600, atomic publication.
 */

struct stat;

/**
 * Open `path` read-only (close-on-exec) and fstat it: the descriptor, or
 * KMV_ENOTFOUND when it does not exist and KMV_ERROR otherwise, with the
 * error set ("cannot open/stat 'PATH'").  The prologue of kmv_file_read
 * and of the vault's map (lib/store/map.c).
 */
int kmv_file_open_stat(const char *path, struct stat *st);

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

#endif
