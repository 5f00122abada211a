/* SPDX-License-Identifier: MIT */
/* kmvault-archive.so's table (plugin.h). */
#include "common.h"

#include "plugin/plugin.h"

KMV_PLUGIN_EXPORT const struct kmv_plugin_archive kmv_plugin_archive = {
	.head = { KMV_VERSION, sizeof(struct kmv_plugin_archive) },
	.kmv_import__zip = kmv_import__zip,
	.kmv_archive__zip_encrypted = kmv_archive__zip_encrypted,
	.kmv_xlsx__open = kmv_xlsx__open,
	.kmv_xlsx__rows = kmv_xlsx__rows,
	.kmv_xlsx__close = kmv_xlsx__close,
	.kmv_bag__add = kmv_bag__add,
	.kmv_bag__find = kmv_bag__find,
	.kmv_bag__dispose = kmv_bag__dispose,
	.kmv_bag__finalize = kmv_bag__finalize,
	.kmv_bag__write_archive_to = kmv_bag__write_archive_to,
	.kmv_bag__read_archive = kmv_bag__read_archive,
	.kmv_evidence_verify = kmv_evidence_verify,
	.kmv_evidence_verify_result_dispose = kmv_evidence_verify_result_dispose,
	.kmv_evidence_stamp = kmv_evidence_stamp,
};
