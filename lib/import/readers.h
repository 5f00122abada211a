/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_READERS_H
#define KMV_IMPORT_READERS_H

/*
 * Container readers: bytes in, rows out.  A reader never knows which
 * source it reads.  Rows are delivered one at a time to a callback; the
 * row and its cells are only valid during the call.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmvutil/buf.h"

typedef struct kmv_row {
	int64_t line; /* 1-based CSV line or XLSX row number */
	size_t ncells;
	const char *const *cells; /* UTF-8, trimmed of spaces/TABs, never NULL */
	const bool *is_number;    /* XLSX numeric cells (NULL for CSV) */
	const double *numbers;    /* their values when is_number[i] */
} kmv_row;

/* Return 0 to continue, > 0 to stop early without error, < 0 to fail. */
typedef int (*kmv_row_cb)(const kmv_row *row, void *payload);

/*
 * Decode text to UTF-8: encoding "auto" (UTF-8 BOM -> UTF-8; valid UTF-8
 * -> UTF-8; else GB18030), "utf-8" or "gb18030".  The BOM is dropped.
 * Invalid bytes -> KMV_EINPUT naming `display` and the line.
 */
int kmv_text__to_utf8(kmv_buf *out, const uint8_t *data, size_t len,
		      const char *encoding, const char *display);

/*
 * Read CSV text (already UTF-8) with libcsv in its lenient mode; blank
 * lines and lines of only commas are skipped.  `delimiter` is ',' or '\t'
 * etc.  Errors name `display` and the line.
 */
int kmv_csv__read(const char *text, size_t len, char delimiter,
		  const char *display, kmv_row_cb cb, void *payload);

/*
 * An XLSX workbook, opened once per file (detect.c) and read by whoever
 * needs its rows (the statement sniff, then the importer).
 *
 * kmv_xlsx__open walks the ZIP's members once through libarchive: *out is
 * NULL (and 0 returned) when no member belongs to a spreadsheet package
 * ([Content_Types].xml, xl/, docProps/), i.e. a ZIP of sources; otherwise
 * it holds the sheet names and shared strings.  A package that is damaged
 * or has no xl/workbook.xml is still opened: each read of it then fails
 * with the reason (naming `display`).  `data` is borrowed until close.
 *
 * kmv_xlsx__rows reads the sheet named `sheet` (NULL: "Sheet1", falling
 * back to the first sheet) through expat.  Raw cell values: shared and
 * inline strings as text, numbers with is_number set (their text is the
 * shortest round-trip form).
 */
typedef struct kmv_xlsx kmv_xlsx;
int kmv_xlsx__open(kmv_xlsx **out, const uint8_t *data, size_t len,
		   const char *display);
int kmv_xlsx__rows(const kmv_xlsx *book, const char *sheet, kmv_row_cb cb,
		   void *payload);
void kmv_xlsx__close(kmv_xlsx *book); /* NULL-safe */

/* Open, read one sheet, close: for tests and fuzzers holding bytes only. */
int kmv_xlsx__read(const uint8_t *data, size_t len, const char *sheet,
		   const char *display, kmv_row_cb cb, void *payload);

#endif
