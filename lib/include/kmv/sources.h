/* SPDX-License-Identifier: MIT */
#ifndef KMV_SOURCES_H
#define KMV_SOURCES_H

#include <stdint.h>

#include "kmvutil/buf.h"
#include "kmv/vault.h"

/**
 * @file kmv/sources.h
 * The imported source files kept in the vault (original bytes, hash,
 * kind, metadata from statement preambles).
 */

typedef struct kmv_source_info {
	int64_t id;
	int64_t parent_id; /**< the ZIP it came from, or 0 */
	const char *kind;
	const char *name;
	const char *sha256;
	int64_t size;
	int64_t rows;
	const char *meta; /**< JSON object or NULL */
	const char *imported_at;
} kmv_source_info;

typedef int (*kmv_source_cb)(const kmv_source_info *src, void *payload);

/** All sources, oldest first. */
int kmv_sources_foreach(kmv_vault *vault, kmv_source_cb cb, void *payload);

/** The original bytes of a source (decompressed, appended to out). */
int kmv_source_content(kmv_buf *out, kmv_vault *vault, int64_t source_id);

#endif
