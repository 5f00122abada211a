/* SPDX-License-Identifier: MIT */
/* kmvault-pages.so's table (plugin.h). */
#include "common.h"

#include "plugin/plugin.h"

KMV_PLUGIN_EXPORT const struct kmv_plugin_pages kmv_plugin_pages = {
	.head = { KMV_VERSION, sizeof(struct kmv_plugin_pages) },
	.kmv_import__mail = kmv_import__mail,
	.kmv_import__page = kmv_import__page,
	.kmv_ocr__image_with = kmv_ocr__image_with,
	.kmv_ocr__engine_free = kmv_ocr__engine_free,
	.kmv_ocr__lines_dispose = kmv_ocr__lines_dispose,
};
