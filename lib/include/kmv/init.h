/* SPDX-License-Identifier: MIT */
#ifndef KMV_INIT_H
#define KMV_INIT_H

/**
 * @file kmv/init.h
 * Library-wide one-time setup.
 */

/** Library-wide one-time setup: libsodium, SQLite allocator. Idempotent. */
int kmv_global_init(void);

#endif
