/* SPDX-License-Identifier: MIT */
/*
 * The kmvault binary's page functions (plugin.h): lib/import/mail.c,
 * page.c and ocr.c live in kmvault-pages.so with GMime, libxml2, poppler
 * and Tesseract.  Their sniffers, which detection asks about every file,
 * are byte checks in the binary (lib/import/sniff.c).
 */
#include "common.h"

#include "plugin/plugin.h"

static const struct kmv_plugin_pages *pages(void)
{
	return kmv_plugin__get(KMV_PLUGIN_PAGES);
}

int kmv_import__mail(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	const struct kmv_plugin_pages *p = pages();

	return p ? p->kmv_import__mail(ctx, file) : KMV_ERROR;
}

int kmv_import__page(kmv_import_ctx *ctx, const kmv_import_file *file,
		     kmv_page_kind kind)
{
	const struct kmv_plugin_pages *p = pages();

	return p ? p->kmv_import__page(ctx, file, kind) : KMV_ERROR;
}

int kmv_ocr__image_with(void **engine, kmv_buf *out, kmv_ocr_lines *lines,
			const uint8_t *data, size_t len)
{
	const struct kmv_plugin_pages *p = pages();

	return p ? p->kmv_ocr__image_with(engine, out, lines, data, len)
		 : KMV_ERROR;
}

/* The two below free what only the plugin can have made. */
void kmv_ocr__engine_free(void *engine)
{
	const struct kmv_plugin_pages *p = engine ? pages() : NULL;

	if (p)
		p->kmv_ocr__engine_free(engine);
}

void kmv_ocr__lines_dispose(kmv_ocr_lines *l)
{
	const struct kmv_plugin_pages *p = l && (l->start || l->conf) ? pages()
								      : NULL;

	if (p)
		p->kmv_ocr__lines_dispose(l);
}
