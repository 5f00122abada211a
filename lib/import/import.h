/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_INTERNAL_H
#define KMV_IMPORT_INTERNAL_H

/*
 * The import framework shared by every reader and mapper.
 *
 * Data flow: kmv_import_files() reads each path, stores it as a source
 * (original bytes, zlib-compressed, with SHA-256) and hands a
 * kmv_import_file to kmv_import__file(), which detects the kind by content
 * and calls one importer:
 *
 *   kmv_import__zip        ZIP archives (archive.c): members go back
 *                          through kmv_import__file with depth + 1
 *   kmv_import__statement  Alipay / WeChat / JD statements, CSV or XLSX
 *   kmv_import__orders     shop order exports, CSV / XLSX / JSON
 *   kmv_import__mail       .eml and mbox files
 *
 * Readers turn containers into rows (kmv_row) and know nothing of
 * sources; mappers turn rows into kmv_records and know nothing of
 * containers.  Everything runs inside one SQL transaction opened by
 * kmv_import_files(); any negative return rolls it all back.
 */
#include <sqlite3.h>

#include "kmv/import.h"
#include "kmv/record.h"
#include "kmvutil/compress.h"
#include "store/db.h"
#include "store/vault.h"

/* Largest input file (and ZIP member) accepted. */
#define KMV_IMPORT_MAX_FILE ((size_t)512 << 20)

typedef struct kmv_import_batch kmv_import_batch;

typedef struct kmv_import_ctx {
	kmv_vault *vault;
	sqlite3 *db;
	const kmv_import_options *opts;
	kmv_import_results *results;
	kmv_import_result *result; /* the top-level file being imported */
	char now[KMV_TIME_BUFSZ];  /* imported_at / created_at */
	int depth;                 /* 0 top level, 1 inside a ZIP */
	/* The top-level file was rejected before any importer knew it for
	 * its own (binary, or no header row): a folder walk skips it.  A ZIP
	 * with such a member is known (a ZIP) and stays an error. */
	bool unrecognized;
	const char *skip_reason; /* the folder's warning, when not the usual */
	sqlite3_stmt *ins_record;
	sqlite3_stmt *find_record;
	sqlite3_stmt *ins_source;
	sqlite3_stmt *find_source;
	sqlite3_stmt *set_source_info; /* once per mbox message: prepared once */
	/* Source contents being compressed on the other core (add_source). */
	struct kmv_import_packing {
		int64_t source_id;
		kmv_compress_job *job;
	} packing[2];
	size_t npacking;
	struct kmv_import_batch *batch; /* queued records (batch.c) */
	struct kmv_ocr_pool *ocr_pool; /* a folder's screenshots, OCR'd ahead */
	const char *ocr_folder;        /* that folder, for ocr_progress */
} kmv_import_ctx;

typedef struct kmv_import_file {
	const char *display; /* for messages: "a.zip:inner.csv" */
	const char *name;    /* base name */
	const uint8_t *data;
	size_t len;
	int64_t source_id; /* this file's source row */
} kmv_import_file;

/*
 * Store a source file (original bytes compressed) unless one with the same
 * SHA-256 and kind exists, in which case its id is returned.
 */
int kmv_import__add_source(int64_t *id_out, kmv_import_ctx *ctx,
			   const char *kind, const char *name, const void *data,
			   size_t len, int64_t parent_id);

/* Update a source's kind, row count and metadata JSON (may be NULL). */
int kmv_import__set_source_info(kmv_import_ctx *ctx, int64_t source_id,
				const char *kind, int64_t rows,
				const char *meta_json);

/*
 * Insert a record.  Returns 0 when added (id in *id_out and rec->id), or
 * KMV_EEXISTS when (source_kind, dedup_key) is already present, with the
 * existing id in *id_out.  Counts rows/added/duplicates in ctx->result.
 */
int kmv_import__add_record(int64_t *id_out, kmv_import_ctx *ctx,
			   kmv_record *rec);

/* The records columns an import writes, and one row of placeholders. */
#define KMV_RECORD_INSERT_COLUMNS                                              \
	"kind, source_kind, dedup_key, platform, merchant, order_no, "         \
	"payment_no, merchant_order_no, time, ts, amount, direction, "         \
	"status_raw, status, product, quantity, unit_price, category, "        \
	"payment_method, counterparty_account, memo, card_secret, source_id, " \
	"source_line, extra, created_at, updated_at"
#define KMV_RECORD_INSERT_NCOLS 27
#define KMV_RECORD_INSERT_VALUES \
	"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

/*
 * Bind `rec` to parameters base+1 .. base+KMV_RECORD_INSERT_NCOLS without
 * copying (`when` receives the formatted time); clear the bindings after
 * the step.
 */
void kmv_import__bind_record(sqlite3_stmt *st, int base, const kmv_record *rec,
			     char when[KMV_TIME_BUFSZ], const char *now);

/* kmv_import__add_record without the counting (batch.c's tail). */
int kmv_import__insert_record(int64_t *id_out, kmv_import_ctx *ctx,
			      kmv_record *rec);

/*
 * Queue a record for a batched insert (batch.c): `rec` is copied, counts
 * are kept as by add_record, ids are not reported.  Flush before anything
 * reads the records back.
 */
int kmv_import__queue_record(kmv_import_ctx *ctx, const kmv_record *rec);
int kmv_import__flush_records(kmv_import_ctx *ctx);
void kmv_import__drop_records(kmv_import_ctx *ctx);   /* after a rejection */
void kmv_import__batch_free(kmv_import_batch *batch); /* NULL-safe */

/* Detect and import one file (top level or ZIP member). */
int kmv_import__file(kmv_import_ctx *ctx, const kmv_import_file *file);

/*
 * Reject input: sets "FILE:LINE: message" (line 0 omits it) and returns
 * KMV_EINPUT.
 */
int kmv_import__reject(const kmv_import_file *file, int64_t line,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A warning through opts->warn (no-op when unset). */
void kmv_import__warn(kmv_import_ctx *ctx, const kmv_import_file *file,
		      int64_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Report progress through opts->progress. */
void kmv_import__progress(kmv_import_ctx *ctx, const kmv_import_file *file,
			  uint64_t done, uint64_t total);

/* ---- importers (one file each; see the table above) ------------------ */

int kmv_import__zip(kmv_import_ctx *ctx, const kmv_import_file *file);
int kmv_import__statement(kmv_import_ctx *ctx, const kmv_import_file *file,
			  kmv_import_kind kind);
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
	size_t count, alloc;
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

/* The confidence of the line where `value` first appears in `text`, -1. */
float kmv_ocr_lines_conf(const kmv_ocr_lines *l, const char *text,
			 const char *value);
void kmv_ocr_lines_dispose(kmv_ocr_lines *l);
/* Below this confidence an OCR field is `unverified`. */
#define KMV_OCR_MIN_CONF 60.0f

/* Sniffers: which importer a file belongs to, from its content. */
kmv_import_kind kmv_statement__sniff(const uint8_t *data, size_t len);
/*
 * The label of a statement kind not supported yet ("美团 (Meituan)"), with
 * the folder walk's warning in *skip; NULL when it is none of them.
 */
const char *kmv_statement__unsupported(const uint8_t *data, size_t len,
				       const char **skip);
/* A spreadsheet package (xl/, docProps/ or [Content_Types].xml members), intact or not. */
bool kmv_xlsx__is_workbook(const uint8_t *data, size_t len);
bool kmv_mail__sniff(const uint8_t *data, size_t len);

#endif
