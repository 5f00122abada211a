/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_DETECT_H
#define KMV_IMPORT_DETECT_H

/*
 * Which importer a file goes to, decided once from its content (and, for
 * pages, its name).  Pure: no vault, no SQL, no messages, so it has its
 * own unit test (tests/unit/test_detect.c) and the fuzzers can call it.
 *
 * A workbook is opened once, here (kmv_xlsx__open), and handed on in the
 * detection: the statement sniff and the importer read its rows without
 * opening the ZIP again, and the sniff's answer is kept (`found`) so the
 * statement importer does not sniff a second time.  ZIP magic is tested
 * here only (kmv_detect__is_zip).
 *
 * The order of the tests is the contract, from the most to the least
 * specific: a forced --kind, a profile, ZIP magic (an XLSX workbook is a
 * ZIP that is not an archive of sources), pages and PDFs, binary data,
 * e-mail, JSON, statements by their header markers, statements known but
 * not supported, pasted page text, and last an order export.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "import/import.h"

typedef enum kmv_detect_route {
	KMV_ROUTE_EMPTY = 0,  /* a file of zero bytes */
	KMV_ROUTE_ARCHIVE,    /* a ZIP of sources (archive.c) */
	KMV_ROUTE_STATEMENT,  /* Alipay / WeChat / JD (statement.c) */
	KMV_ROUTE_ORDERS,     /* a shop's order export (orders.c) */
	KMV_ROUTE_MAIL,       /* .eml or mbox (mail.c) */
	KMV_ROUTE_PAGE,       /* saved page, PDF, image, pasted text */
	KMV_ROUTE_BINARY,     /* none of the above, binary */
	KMV_ROUTE_UNSUPPORTED /* a statement format not supported yet */
} kmv_detect_route;

typedef struct kmv_detection {
	kmv_detect_route route;
	kmv_import_kind kind; /* STATEMENT: forced kind, or AUTO */
	kmv_import_kind found; /* STATEMENT: the kind its markers name, or AUTO */
	bool zip;              /* ZIP magic (an archive or a workbook) */
	struct kmv_xlsx *book; /* a workbook, opened once; dispose closes it */
	kmv_page_kind page;    /* PAGE: which kind of page */
	const char *unsupported; /* UNSUPPORTED: the format's label */
	const char *skip_reason; /* UNSUPPORTED: the folder walk's warning */
} kmv_detection;

/*
 * Decide the route of `file` (its data and base name; its display names
 * a damaged workbook in the reader's errors).  `forced` is the user's
 * --kind (KMV_IMPORT_AUTO when none); `has_profile` whether an order
 * profile was given, which makes every non-archive an order export.
 * Fails only when out of memory; release *out with kmv_detect__dispose.
 */
int kmv_detect__file(kmv_detection *out, const kmv_import_file *file,
		     kmv_import_kind forced, bool has_profile);
void kmv_detect__dispose(kmv_detection *d);

/* Whether `data` starts with ZIP's local-file magic: the one place it is
 * spelt (detect.c). */
bool kmv_detect__is_zip(const uint8_t *data, size_t len);

#endif
