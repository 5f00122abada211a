/* SPDX-License-Identifier: MIT */
/* Placeholder until the statement importers land (issue 3). */
#include "common.h"
#include "import/import.h"

int kmv_import__zip(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	(void)ctx;
	return kmv_import__reject(file, 0, "ZIP archives are not supported yet");
}

int kmv_import__statement(kmv_import_ctx *ctx, const kmv_import_file *file,
			  kmv_import_kind kind)
{
	(void)ctx;
	(void)kind;
	return kmv_import__reject(file, 0, "statements are not supported yet");
}

kmv_import_kind kmv_statement__sniff(const uint8_t *data, size_t len)
{
	(void)data;
	(void)len;
	return KMV_IMPORT_AUTO;
}
