/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/init.h"
#include "core/sqlite_mem.h"

#include <sodium.h>
#include <sqlite3.h>

int kmv_global_init(void)
{
	static bool done;

	if (done)
		return 0;
	if (sodium_init() < 0) {
		kmv_error_set(KMV_ERROR_CRYPTO, "cannot initialize libsodium");
		return KMV_ERROR;
	}
	/*
	 * kmvault drives SQLite from one thread.  Debian builds it serialized
	 * (THREADSAFE=1) with memory statistics on: a mutex around every API
	 * call and every allocation, which a single-threaded tool does not need.
	 */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (kmv_sqlite_mem__install() < 0) {
		kmv_error_set(KMV_ERROR_DB, "cannot set SQLite's allocator");
		return KMV_ERROR;
	}
	/* Vault images may exceed the 1 GiB memdb default (anchors.md 2.4). */
	sqlite3_config(SQLITE_CONFIG_MEMDB_MAXSIZE, (sqlite3_int64)16 << 30);
	if (sqlite3_initialize() != SQLITE_OK) {
		kmv_error_set(KMV_ERROR_DB, "cannot initialize SQLite");
		return KMV_ERROR;
	}
	done = true;
	return 0;
}
