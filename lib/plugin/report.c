/* SPDX-License-Identifier: MIT */
/*
 * The kmvault binary's report functions (plugin.h): lib/report/pdf.c and
 * xlsx.c live in kmvault-report.so with cairo, pango and libxlsxwriter.
 */
#include "common.h"

#include "plugin/plugin.h"

static const struct kmv_plugin_report *report(void)
{
	return kmv_plugin__get(KMV_PLUGIN_REPORT);
}

int kmv_report_pdf(kmv_buf *out, const kmv_report *r)
{
	const struct kmv_plugin_report *p = report();

	return p ? p->kmv_report_pdf(out, r) : KMV_ERROR;
}

int kmv_report_text_pdf(kmv_buf *out, const char *title, const char *text,
			int lang)
{
	const struct kmv_plugin_report *p = report();

	return p ? p->kmv_report_text_pdf(out, title, text, lang) : KMV_ERROR;
}

int kmv_report_xlsx(const kmv_report *r, const char *path)
{
	const struct kmv_plugin_report *p = report();

	return p ? p->kmv_report_xlsx(r, path) : KMV_ERROR;
}
