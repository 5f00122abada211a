/* SPDX-License-Identifier: MIT */
/* kmvault-report.so's table (plugin.h). */
#include "common.h"

#include "plugin/plugin.h"

KMV_PLUGIN_EXPORT const struct kmv_plugin_report kmv_plugin_report = {
	.head = { KMV_VERSION, sizeof(struct kmv_plugin_report) },
	.kmv_report_pdf = kmv_report_pdf,
	.kmv_report_text_pdf = kmv_report_text_pdf,
	.kmv_report_xlsx = kmv_report_xlsx,
};
