/* SPDX-License-Identifier: MIT */
/*
 * The kmvault binary's page functions (plugin.h): lib/import/mail.c,
 * page.c and ocr.c live in kmvault-pages.so with GMime, libxml2, poppler
 * and Tesseract.
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

/*
 * The sniffers run for every imported file: without the plugin a file is
 * no e-mail and no page, and a statement still imports.
 */
bool kmv_mail__sniff(const uint8_t *data, size_t len)
{
	const struct kmv_plugin_pages *p = pages();

	if (!p) {
		kmv_error_clear();
		return false;
	}
	return p->kmv_mail__sniff(data, len);
}

int kmv_import__page(kmv_import_ctx *ctx, const kmv_import_file *file,
		     kmv_page_kind kind)
{
	const struct kmv_plugin_pages *p = pages();

	return p ? p->kmv_import__page(ctx, file, kind) : KMV_ERROR;
}

kmv_page_kind kmv_page__sniff(const uint8_t *data, size_t len, const char *name)
{
	const struct kmv_plugin_pages *p = pages();

	if (!p) {
		kmv_error_clear();
		return KMV_PAGE_NONE;
	}
	return p->kmv_page__sniff(data, len, name);
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
