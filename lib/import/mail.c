/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "import/import.h"

int kmv_import__mail(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	(void)ctx;
	return kmv_import__reject(file, 0, "e-mail import is not supported yet");
}

bool kmv_mail__sniff(const uint8_t *data, size_t len)
{
	(void)data;
	(void)len;
	return false;
}
