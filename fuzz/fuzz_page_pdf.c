/* SPDX-License-Identifier: MIT */
/* libFuzzer target: PDF receipts (poppler-glib's parser and text, the page
 * limits, the page rule sets), as `import receipt.pdf`. */
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

	kmv_page__pdf_text(&text, &title, data, size, "fuzz.pdf");
	kmv_buf_dispose(&text);
	kmv_buf_dispose(&title);
	kmv_error_clear();
	return 0;
}
