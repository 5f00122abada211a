/* SPDX-License-Identifier: MIT */
/* libFuzzer target: `kmvault evidence verify` on a hostile bundle (ZIP or
 * tar.gz through libarchive, BagIt manifests, minisign signature). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "kmv/evidence.h"
#include "kmv/init.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	kmv_global_init();
	snprintf(path, sizeof(path), "/tmp/kmv-fuzz-%ld.zip", (long)getpid());
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kmv_evidence_verify_result res = KMV_EVIDENCE_VERIFY_RESULT_INIT;
	FILE *f = fopen(path, "wb");

	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	kmv_evidence_verify(&res, path, NULL, NULL);
	kmv_evidence_verify_result_dispose(&res);
	unlink(path);
	return 0;
}
