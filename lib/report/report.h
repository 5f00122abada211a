/* SPDX-License-Identifier: MIT */
#ifndef KMV_REPORT_REPORT_H
#define KMV_REPORT_REPORT_H

/*
 * Internals shared by the report writers and the evidence bundle.
 *
 * kmv_strpool owns every string of a kmv_report (the public struct only
 * has borrowed `const char *`): strings are copied in once and freed
 * together.  The PDF helpers are used by pdf.c and by the dispute letter.
 */
#include "kmv/report.h"

typedef struct kmv_strpool {
	char **items;
	size_t count;
	size_t alloc;
} kmv_strpool;

/* Copy `s` into the pool; NULL stays NULL.  *out is borrowed from the pool. */
int kmv_strpool__dup(kmv_strpool *pool, const char **out, const char *s);
/* Hand a malloc'ed block to the pool (freed with it, or now on error). */
int kmv_strpool__own(kmv_strpool *pool, void *block);
void kmv_strpool__dispose(kmv_strpool *pool);

/*
 * What kmv_report_collect allocates: the public report, the pool that
 * owns its strings and the vault it was read from (for the export's audit
 * event).  Only collect.c makes one, so every kmv_report is inside one.
 */
typedef struct kmv_report__owner {
	kmv_report report;
	kmv_strpool pool;
	kmv_vault *vault;
} kmv_report__owner;

/* The owner of a report made by kmv_report_collect. */
kmv_report__owner *kmv_report__owner_of(const kmv_report *report);

/* The family name of an installed CJK font (fontconfig), e.g. "WenQuanYi Micro Hei". */
int kmv_pdf__cjk_family(kmv_buf *out);

/* Amount "12.50" with a thousands separator: "1,234.50". */
const char *kmv_report__money(char out[40], int64_t fen);

/* A CSV line whose `is_number` cells are numbers we wrote (never neutralised). */
int kmv_report__csv_numbers_line(kmv_buf *out, const char *const *cells,
				 const bool *is_number, size_t ncells);

/*
 * The documents' words: Chinese, or English for `export --lang en`
 * (kmv_report.lang).  W(r, zh, en) picks one; kmv_report__label() is the
 * label table's words for a code in that language.
 */
#define KMV_REPORT_W(r, zh, en) ((r)->lang == KMV_LANG_EN ? (en) : (zh))
const char *kmv_report__label(int lang, const char *field, const char *value);

/* The words of a row's anomaly types, appended ("重复扣款、未发货"). */
int kmv_report__anomaly_words(kmv_buf *out, const char *types, int lang);

/* The reason a row counts as it does ("已通过付款计入（#4）"). */
int kmv_report__count_words(kmv_buf *out, const kmv_report_row *r, int lang);

#endif
