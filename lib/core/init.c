/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/init.h"
#include "core/sanitizer.h"
#include "core/sqlite_mem.h"

#include <sodium.h>
#include <sqlite3.h>

#ifdef KMV_UNDER_ASAN /* gcc and clang (the fuzz build) */
/*
 * fontconfig 2.14 (Debian 12) leaks about 300 bytes once per process while
 * parsing its configuration (inside FcInitLoadConfigAndFonts; without
 * frame pointers the stack shows only the library).  Not ours
 * and not fixable from here: suppressed for the sanitizer builds only.
 * Here, in a file every program has, not in lib/report/pdf.c: the kmvault
 * binary loads pdf.c's code as a plugin, and the sanitizer asks the
 * program itself for these hooks.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* ... quietly: the "Suppressions used" table on stderr would break the
 * tests that check a --quiet command prints nothing (t0021). */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

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
