/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_INTERNAL_H
#define KMV_IMPORT_INTERNAL_H

/*
 * The importers and the readers they share.
 *
 * Data flow: kmv_import_files() (session.c) reads each path, stores it as
 * a source and hands a kmv_import_file to kmv_session__file(), which asks
 * detect.c where it goes and calls one importer:
 *
 *   kmv_import__zip        ZIP archives (archive.c): members go back
 *                          through kmv_sink__member with depth + 1
 *   kmv_import__statement  Alipay / WeChat / JD statements, CSV or XLSX
 *   kmv_import__orders     shop order exports, CSV / XLSX / JSON
 *   kmv_import__mail       .eml and mbox files
 *   kmv_import__page       saved pages, PDFs, screenshots, pasted text
 *
 * An importer depends on the sink (sink.h) and on readers, never on SQL:
 * readers turn containers into rows (kmv_row) and know nothing of
 * sources; importers turn rows into kmv_records and hand them to the
 * sink, which knows nothing of containers.  Everything runs inside one SQL
 * transaction opened by kmv_import_files(); any negative return rolls it
 * all back.
 */
#include "import/sink.h"
#include "kmvutil/buf.h"

/* ---- importers (one file each; see the table above) ------------------ */

int kmv_import__zip(kmv_import_ctx *ctx, const kmv_import_file *file);
/* Whether the ZIP at `path` has an encrypted member (its headers only);
 * `path` is a regular file with the ZIP magic (session.c checked). */
bool kmv_archive__zip_encrypted(const char *path);
/* kind: the --kind asked for, or AUTO; found: the kind the file's markers
 * name (detect.c sniffed it), or AUTO. */
int kmv_import__statement(kmv_import_ctx *ctx, const kmv_import_file *file,
			  kmv_import_kind kind, kmv_import_kind found);
int kmv_import__orders(kmv_import_ctx *ctx, const kmv_import_file *file);
int kmv_import__mail(kmv_import_ctx *ctx, const kmv_import_file *file);

/* Saved web pages and PDFs (page.c). */
typedef enum {
	KMV_PAGE_NONE = 0,
	KMV_PAGE_HTML,
	KMV_PAGE_MHTML,
	KMV_PAGE_PDF,
	KMV_PAGE_TEXT, /* plain text, e.g. pasted from a page */
	KMV_PAGE_IMAGE /* a screenshot: OCR (ocr.c) */
} kmv_page_kind;
kmv_page_kind kmv_page__sniff(const uint8_t *data, size_t len,
			      const char *name);
int kmv_import__page(kmv_import_ctx *ctx, const kmv_import_file *file,
		     kmv_page_kind kind);
/* The text of a page (blocks on lines, cells tab-separated); appends. */
int kmv_page__html_text(kmv_buf *out, kmv_buf *title, const char *html,
			size_t len, const char *charset);
int kmv_page__pdf_text(kmv_buf *out, kmv_buf *title, const uint8_t *data,
		       size_t len, const char *display);

/* OCR lines: where each line of the text starts and Tesseract's
 * confidence for it (0-100). */
typedef struct kmv_ocr_lines {
	size_t *start;
	float *conf;
	size_t count, astart, aconf; /* lines; capacities of start, conf */
} kmv_ocr_lines;
/* The text of a PNG/JPEG screenshot (appends), KMV_EINPUT for a corrupt
 * or oversized image. */
int kmv_ocr__image(kmv_buf *out, kmv_ocr_lines *lines, const uint8_t *data,
		   size_t len);
/* The same with an engine kept between images of one thread (*engine
 * NULL at first; free it with kmv_ocr__engine_free). */
int kmv_ocr__image_with(void **engine, kmv_buf *out, kmv_ocr_lines *lines,
			const uint8_t *data, size_t len);
void kmv_ocr__engine_free(void *engine);

/*
 * Screenshots of a folder OCR'd ahead on every core (ocr_pool.c): the
 * pool reads and recognizes the files in the background, in order; the
 * import takes each result when it reaches that file.
 */
typedef struct kmv_ocr_pool kmv_ocr_pool;
int kmv_ocr_pool__start(kmv_ocr_pool **out, char *const *paths, size_t n,
			size_t max_file);
/* 1 and the text (or the OCR's own error, returned as *error and set as
 * the last error) when `path` is one of the pool's, 0 when it is not. */
int kmv_ocr_pool__take(kmv_ocr_pool *pool, const char *path, kmv_buf *text,
		       kmv_ocr_lines *lines, int *error);
/* Screenshots taken so far and in all. */
void kmv_ocr_pool__count(const kmv_ocr_pool *pool, size_t *taken,
			 size_t *total);
void kmv_ocr_pool__free(kmv_ocr_pool *pool); /* NULL-safe; stops workers */
/*
 * The folder's OCR'd text of `file` (sink.c): 1 when the pool of the
 * folder being walked had it (its OCR error in *error; the progress
 * callback told), 0 when the picture is to be read here.
 */
int kmv_sink__ocr_take(kmv_import_ctx *ctx, const kmv_import_file *file,
		       kmv_buf *text, kmv_ocr_lines *lines, int *error);

/* The confidence of the line where `value` first appears in `text`, -1. */
float kmv_ocr__lines_conf(const kmv_ocr_lines *l, const char *text,
			  const char *value);
void kmv_ocr__lines_dispose(kmv_ocr_lines *l);
/* Below this confidence an OCR field is `unverified`. */
#define KMV_OCR_MIN_CONF 60.0f

/* Sniffers: which importer a file belongs to, from its content.  A
 * statement's kind from the markers in its first text bytes or, for a
 * workbook (`book`, opened by detect.c), its first rows. */
kmv_import_kind kmv_statement__sniff(const uint8_t *data, size_t len,
				     const struct kmv_xlsx *book);
/*
 * The label of a statement kind not supported yet ("美团 (Meituan)"), with
 * the folder walk's warning in *skip; NULL when it is none of them.
 */
const char *kmv_statement__unsupported(const uint8_t *data, size_t len,
				       const char **skip);
bool kmv_mail__sniff(const uint8_t *data, size_t len);

#endif
