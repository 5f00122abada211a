/* SPDX-License-Identifier: MIT */
#ifndef KMV_PLUGIN_PLUGIN_H
#define KMV_PLUGIN_PLUGIN_H

/*
 * The heavy libraries in plugins (docs/performance.md, issue 17 point 8).
 *
 * cairo, pango and libxlsxwriter (reports), GMime, libxml2, poppler and
 * Tesseract (pages) and libarchive, expat and minizip (archives) bind
 * ~90 shared libraries between them; a `query` needs none.  Their code
 * stays in its files (lib/report/pdf.c, ...), which the build compiles
 * into kmvault-<group>.so instead of into the binary.  Each plugin
 * exports one table of its entry points (plugin/<group>_table.c); the
 * binary defines the same functions as stubs (plugin/<group>.c) that
 * load the plugin on first use and call through the table.  The plugin
 * calls back into the binary for everything else (the binary exports
 * its symbols), so the vault, errors and import context are one.
 *
 * Unit tests, fuzz targets and benchmarks link the heavy files directly
 * (the `kmv` library holds them); only the kmvault binary has the stubs.
 */
#include "evidence/bag.h"
#include "import/import.h"
#include "import/readers.h"
#include "kmv/evidence.h"
#include "kmv/import.h"
#include "kmv/report.h"

typedef enum {
	KMV_PLUGIN_REPORT = 0, /* kmvault-report.so: PDF and XLSX reports */
	KMV_PLUGIN_PAGES,      /* kmvault-pages.so: e-mail, pages, OCR */
	KMV_PLUGIN_ARCHIVE,    /* kmvault-archive.so: ZIP, XLSX, bundles */
	KMV_PLUGIN_GROUPS
} kmv_plugin_group;

/*
 * Every table starts with this: a plugin of another build (another
 * version or table layout) is refused instead of called.
 */
struct kmv_plugin_head {
	const char *version; /* KMV_VERSION of its build */
	size_t size;         /* sizeof its table */
};

#define KMV_PLUGIN_FN(name) __typeof__(name) *name

struct kmv_plugin_report {
	struct kmv_plugin_head head;
	KMV_PLUGIN_FN(kmv_report_pdf);
	KMV_PLUGIN_FN(kmv_report_text_pdf);
	KMV_PLUGIN_FN(kmv_report_xlsx);
};

struct kmv_plugin_pages {
	struct kmv_plugin_head head;
	KMV_PLUGIN_FN(kmv_import__mail);
	KMV_PLUGIN_FN(kmv_import__page);
	KMV_PLUGIN_FN(kmv_ocr__image_with);
	KMV_PLUGIN_FN(kmv_ocr__engine_free);
	KMV_PLUGIN_FN(kmv_ocr__lines_dispose);
};

struct kmv_plugin_archive {
	struct kmv_plugin_head head;
	KMV_PLUGIN_FN(kmv_import__zip);
	KMV_PLUGIN_FN(kmv_archive__zip_encrypted);
	KMV_PLUGIN_FN(kmv_xlsx__open);
	KMV_PLUGIN_FN(kmv_xlsx__rows);
	KMV_PLUGIN_FN(kmv_xlsx__close);
	KMV_PLUGIN_FN(kmv_bag__add);
	KMV_PLUGIN_FN(kmv_bag__find);
	KMV_PLUGIN_FN(kmv_bag__dispose);
	KMV_PLUGIN_FN(kmv_bag__finalize);
	KMV_PLUGIN_FN(kmv_bag__write_archive_to);
	KMV_PLUGIN_FN(kmv_bag__read_archive);
	KMV_PLUGIN_FN(kmv_evidence_verify);
	KMV_PLUGIN_FN(kmv_evidence_verify_result_dispose);
	KMV_PLUGIN_FN(kmv_evidence_stamp);
};

/* The one symbol a plugin exports: "kmv_plugin_<group>". */
#define KMV_PLUGIN_EXPORT __attribute__((visibility("default")))

/*
 * The group's table, loading its plugin on first use (thread-safe); NULL
 * with the error set (which file, why) when it cannot be loaded.
 */
const void *kmv_plugin__get(kmv_plugin_group group);

/*
 * The directory plugins are loaded from: $KMVAULT_PLUGIN_DIR when set,
 * the build tree for the build tree's binary, else the installed
 * CMAKE_INSTALL_LIBDIR/kmvault next to the binary's prefix.
 */
int kmv_plugin__dir(kmv_buf *out);

#endif
