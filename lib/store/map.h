/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_MAP_H
#define KMV_STORE_MAP_H

/*
 * A vault file mapped read-only for one open (map.c).  The pages come
 * straight from the page cache, faulted in ahead (MAP_POPULATE): no copy
 * into a heap buffer, whose first touch cost as much as the read itself.
 * Full saves replace the vault by rename, so the mapped inode never
 * changes under a reader; appends (append.c) only add bytes after the
 * mapped end.  Truncating the file in place makes a reader that mapped
 * the cut bytes fault (SIGBUS), like any program reading a mapped file:
 * only a failed append does that, to bytes it wrote an instant before.
 * Anything but a regular file (a FIFO, a character device) is read into
 * memory as before.
 */
#include <stddef.h>
#include <stdint.h>

#include "kmvutil/buf.h"

struct kmv_map {
	const uint8_t *ptr;
	size_t size;
	void *mapping; /* munmap'ed on release; NULL when read */
	size_t mapped;
	kmv_buf read; /* the fallback copy */
};

#define KMV_MAP_INIT                           \
	{                                      \
		NULL, 0, NULL, 0, KMV_BUF_INIT \
	}

/* KMV_ENOTFOUND when missing, KMV_EINPUT when larger than `max`. */
int kmv_map__file(struct kmv_map *m, const char *path, size_t max);
void kmv_map__release(struct kmv_map *m);

#endif
