/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the XLSX reader (libarchive + expat) on hostile
 * workbooks, then the same bytes as a WeChat statement. */
#include "fuzz_common.h"
#include "import/import.h"
#include "import/readers.h"

static int count_row(const kmv_row *row, void *payload)
{
	size_t *n = payload;

	for (size_t i = 0; i < row->ncells; i++)
		*n += strlen(row->cells[i]);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_vault();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	kmv_xlsx *book = NULL;

	if (kmv_xlsx__open(&book, data, size, "fuzz.xlsx") == 0 && book) {
		kmv_xlsx__rows(book, NULL, count_row, &n);
		kmv_xlsx__rows(book, "Sheet2", count_row, &n);
	}
	kmv_xlsx__close(book);
	if (size > 4 && memcmp(data, "PK", 2) == 0)
		fuzz_import(data, size, KMV_IMPORT_WECHAT, NULL);
	return 0;
}
