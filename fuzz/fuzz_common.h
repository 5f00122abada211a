/* SPDX-License-Identifier: MIT */
#ifndef KMV_FUZZ_COMMON_H
#define KMV_FUZZ_COMMON_H

/*
 * Shared by the import fuzz targets: an in-memory vault database (no
 * envelope, no KDF per input) and a file the input is written to, so the
 * whole import path runs exactly as for `kmvault import`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "kmv/import.h"
#include "kmv/init.h"
#include "store/vault.h"
#include "store/schema.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kmv_vault fuzz_vault;
static char fuzz_path[64];

static void fuzz_init_vault(void)
{
	kmv_global_init();
	memset(&fuzz_vault, 0, sizeof(fuzz_vault));
	fuzz_vault.lock_fd = -1;
	fuzz_vault.command = strdup("fuzz");
	fuzz_vault.path = strdup("fuzz.kmv");
	sqlite3_open(":memory:", &fuzz_vault.db);
	kmv_schema__apply(fuzz_vault.db);
	snprintf(fuzz_path, sizeof(fuzz_path), "/tmp/kmv-fuzz-%ld.in",
		 (long)getpid());
}

/* Import `data` as a file of the given kind, then forget what was added. */
static void fuzz_import(const uint8_t *data, size_t size, kmv_import_kind kind,
			const char *profile)
{
	kmv_import_options opts = KMV_IMPORT_OPTIONS_INIT;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *paths[1] = { fuzz_path };
	FILE *f = fopen(fuzz_path, "wb");

	if (!f)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
	opts.kind = kind;
	opts.profile = profile;
	opts.platform = profile ? "fuzz" : NULL;
	opts.zip_password = "secret";
	kmv_import_files(&res, &fuzz_vault, paths, 1, &opts);
	kmv_import_results_dispose(&res);
	sqlite3_exec(
		fuzz_vault.db,
		"DELETE FROM timeline; DELETE FROM links; DELETE FROM records;"
		"DELETE FROM sources; DELETE FROM events;",
		NULL, NULL, NULL);
	unlink(fuzz_path);
}

#endif
