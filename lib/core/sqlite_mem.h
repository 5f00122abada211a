/* SPDX-License-Identifier: MIT */
#ifndef KMV_CORE_SQLITE_MEM_H
#define KMV_CORE_SQLITE_MEM_H

/*
 * Make SQLite allocate through kmvault's wiping allocator (sqlite_mem.c).
 * Must run before sqlite3_initialize(); kmv_global_init() does it.
 */
int kmv_sqlite_mem__install(void);

#endif
