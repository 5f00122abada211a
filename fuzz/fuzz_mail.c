/* SPDX-License-Identifier: MIT */
/* libFuzzer target: e-mail receipts (GMime parsing, charsets, HTML to
 * text, the built-in PCRE2 rule sets), as `import --kind email`. */
#include "fuzz_common.h"
#include "import/import.h"

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

	/* an HTML-only mail's body, as mail.c reads it (libxml2) */
	kmv_page__html_text(&text, NULL, (const char *)data, size, "UTF-8");
	kmv_buf_dispose(&text);
	fuzz_import(data, size, KMV_IMPORT_EMAIL, NULL);
	return 0;
}
