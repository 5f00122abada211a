/* SPDX-License-Identifier: MIT */
/* libFuzzer target: any file given to `kmvault import` (auto-detected):
 * encoding sniff, libcsv rows, statement detection and mapping, the ZIP
 * reader, the orders fallback. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_vault();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import(data, size, KMV_IMPORT_AUTO, NULL);
	return 0;
}
