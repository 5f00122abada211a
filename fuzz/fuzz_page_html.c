/* SPDX-License-Identifier: MIT */
/* libFuzzer target: saved web pages (libxml2's HTML parser, the tree to
 * text, GMime for .mhtml, the page rule sets), as `import page.html`. */
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
	kmv_buf text = KMV_BUF_INIT, title = KMV_BUF_INIT;

	kmv_page__html_text(&text, &title, (const char *)data, size, NULL);
	kmv_buf_dispose(&text);
	kmv_buf_dispose(&title);
	kmv_error_clear();
	fuzz_import(data, size, KMV_IMPORT_AUTO, NULL);
	return 0;
}
