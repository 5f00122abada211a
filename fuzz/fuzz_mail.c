/* SPDX-License-Identifier: MIT */
/* libFuzzer target: e-mail receipts (GMime parsing, charsets, HTML to
 * text, the built-in PCRE2 rule sets), as `import --kind email`. */
#include "fuzz_common.h"
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
	kmv_buf text = KMV_BUF_INIT;

	kmv_mail__html_to_text(&text, (const char *)data, size);
	kmv_buf_dispose(&text);
	fuzz_import(data, size, KMV_IMPORT_EMAIL, NULL);
	return 0;
}
