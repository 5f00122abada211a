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

/*
 * The records table of a report, column by column (docs/reports.md): its
 * header in Chinese and English and its XLSX width.  X(zh, en, width) is
 * a column of both the CSV and the workbook, CSV_ONLY(...) one the CSV
 * alone has (the status as the source showed it); csv.c and xlsx.c each
 * expand it into their header lists.
 */
#define KMV_REPORT_RECORD_COLUMNS(X, CSV_ONLY)     \
	X("ID", "ID", 6)                           \
	X("类型", "Kind", 8)                       \
	X("时间", "Time", 20)                      \
	X("平台", "Platform", 14)                  \
	X("商户", "Merchant", 20)                  \
	X("订单号", "Order no", 24)                \
	X("交易单号", "Transaction no", 32)        \
	X("商户单号", "Merchant order no", 26)     \
	X("商品", "Product", 30)                   \
	X("数量", "Quantity", 6)                   \
	X("金额", "Amount", 12)                    \
	X("收支", "Direction", 8)                  \
	X("状态", "Status", 12)                    \
	CSV_ONLY("原始状态", "Status as shown", 0) \
	X("分类", "Category", 12)                  \
	X("支付方式", "Payment method", 14)        \
	X("计入支出", "Net spending", 12)          \
	X("来源文件", "Source file", 26)           \
	X("来源行", "Source line", 8)              \
	X("计入项", "Counts as", 10)               \
	X("说明", "Why", 28)                       \
	X("异常", "Anomalies", 16)
#define KMV_REPORT__ZH(zh, en, width) zh,
#define KMV_REPORT__EN(zh, en, width) en,
#define KMV_REPORT__WIDTH(zh, en, width) width,
#define KMV_REPORT__NONE(zh, en, width)

/* The words of a row's anomaly types, appended ("重复扣款、未发货"). */
int kmv_report__anomaly_words(kmv_buf *out, const char *types, int lang);

/* The reason a row counts as it does ("已通过付款计入（#4）"). */
int kmv_report__count_words(kmv_buf *out, const kmv_report_row *r, int lang);

#endif
