/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_DETECT_H
#define KMV_IMPORT_DETECT_H

/*
 * Which importer a file goes to, decided once from its content (and, for
 * pages, its name).  Pure: no vault, no SQL, no messages, so it has its
 * own unit test (tests/unit/test_detect.c) and the fuzzers can call it.
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
	kmv_import_kind kind;    /* STATEMENT: forced kind, or AUTO */
	kmv_page_kind page;      /* PAGE: which kind of page */
	const char *unsupported; /* UNSUPPORTED: the format's label */
	const char *skip_reason; /* UNSUPPORTED: the folder walk's warning */
} kmv_detection;

/*
 * Decide the route of `data` (len bytes, base name `name`).  `forced` is
 * the user's --kind (KMV_IMPORT_AUTO when none); `has_profile` whether an
 * order profile was given, which makes every non-archive an order export.
 */
void kmv_detect__file(kmv_detection *out, const uint8_t *data, size_t len,
		      const char *name, kmv_import_kind forced,
		      bool has_profile);

#endif
