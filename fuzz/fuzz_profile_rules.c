/* SPDX-License-Identifier: MIT */
/* libFuzzer target: user-written order profiles and e-mail rule files
 * (the two text formats of profiles.md), and an order export read with
 * the built-in generic profile. */
#include "fuzz_common.h"
#include "import/profile.h"
#include "import/rules.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_vault();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	kmv_profile *p = NULL;
	kmv_rules *r = NULL;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (kmv_profile__parse(&p, text, "fuzz.profile") == 0)
		kmv_profile__free(p);
	if (kmv_rules__new(&r) == 0) {
		kmv_rules__parse(r, text, "fuzz.rules");
		kmv_rules__free(r);
	}
	free(text);
	fuzz_import(data, size, KMV_IMPORT_ORDERS, "generic");
	return 0;
}
