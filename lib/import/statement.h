/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_STATEMENT_H
#define KMV_IMPORT_STATEMENT_H

/*
 * Payment statements (Alipay, WeChat Pay, JD): the shared engine in
 * statement.c, one source description per file (alipay.c, wechat.c,
 * jd.c) and the row helpers their hooks use (statement_rows.c).
 *
 * The engine reads rows (CSV after decoding, or XLSX), keeps every row
 * before the header as preamble (metadata: account, period, 共N笔记录),
 * recognizes the header as the first row holding the source's required
 * column names, maps columns by name, turns each data row into a
 * kmv_record and stops the table at a row of only dashes (the Alipay web
 * and 2021 footers, whose lines are read as metadata too).
 *
 * A source only describes: its markers, the header names of each field,
 * and a fixup hook for its quirks (refund rows, fee text, comma repair).
 * Record strings point into the current row (no per-row allocation); a
 * fixup that needs new text writes it into `scratch`.
 *
 * Adding a statement source (checklist):
 *   1. lib/import/NAME.c: its st_source (kind, label, markers, the header
 *      names of each field, required fields, fixup) — see jd.c — listed
 *      in CMakeLists.txt;
 *   2. one row in kmv_statement__sources[] (statement.c) and its extern
 *      below;
 *   3. its kmv_import_kind (kmv/import.h), its --kind name (session.c) and
 *      its words in the label table (lib/core/label.c, KMV_LABEL_SOURCE);
 *   4. a real-format file in tests/data/NAME/ with a README saying where
 *      its layout comes from, a scenario test and a unit test.
 */
#include "import/import.h"
#include "import/readers.h"
#include "kmvutil/json.h"

typedef enum {
	ST_TIME,
	ST_CATEGORY,
	ST_MERCHANT,
	ST_ACCOUNT,
	ST_PRODUCT,
	ST_DIRECTION,
	ST_AMOUNT,
	ST_METHOD,
	ST_STATUS,
	ST_PAYMENT_NO,
	ST_MERCHANT_NO,
	ST_MEMO,
	ST_FIELD_COUNT
} st_field;

/* A data row being mapped (see statement.c). */
typedef struct st_row {
	const kmv_row *row;
	const char *v[ST_FIELD_COUNT]; /* NULL = no value ("/" or blank) */
	kmv_record rec;                /* strings borrowed, never disposed */
	kmv_json *extra;               /* open object: add keys freely */
	bool refund;                   /* a refund row */
	const char *refund_of_payment_no;
	const char *refund_of_merchant_no;
	kmv_buf *scratch; /* per-row text a fixup may build */
} st_row;

/* Text that marks a file as one source's statement, in UTF-8 and in GBK
 * (the same words, for a file re-saved by Excel on Windows). */
typedef struct st_marker {
	const char *utf8;
	const char *gbk;
} st_marker;

typedef struct st_source {
	const char *kind;  /* "alipay", "wechat", "jd" */
	const char *label; /* N_("Alipay"): for messages */
	kmv_import_kind import_kind;
	/* Any of these within the first 64 KiB (or 40 XLSX rows): this
	 * source; NULL-terminated (utf8 NULL). */
	const st_marker *markers;
	/* Header names per field; the first entry names the column. */
	const char *const *names[ST_FIELD_COUNT];
	/* Fields that must be present for a row to be the header. */
	unsigned required; /* bit mask of (1u << st_field) */
	/* Extra columns kept in `extra` under their own header name. */
	const char *const *extra_columns;
	/* Describe the layout from the header (e.g. "app 2023+"). */
	const char *(*layout)(const kmv_row *header);
	/* Source quirks on one mapped row (may reject: return < 0). */
	int (*fixup)(st_row *r, const kmv_row *header);
	/* Repair rows longer than the header (WeChat unquoted commas). */
	bool merge_long_rows;
	/*
	 * The platform's own XLSX export stores times as Excel date numbers
	 * (WeChat Pay 2025+; docs/importers.md "Times in XLSX"): numeric
	 * times there are no sign of a re-save by Excel.
	 */
	bool xlsx_times_are_numbers;
} st_source;

extern const st_source kmv_statement__alipay;
extern const st_source kmv_statement__wechat;
extern const st_source kmv_statement__jd;
/* Every statement source, in the order detection tries them; NULL-ended. */
extern const st_source *const kmv_statement__sources[];

#define ST_BIT(f) (1u << (f))

/*
 * The row helpers of the sources' hooks (statement_rows.c: the sources
 * call these and never the engine, which calls them through the table).
 */

/* True when `s` starts with `prefix`. */
bool kmv_statement__starts(const char *s, const char *prefix);

/*
 * The amount right after `label` in `text` ("服务费¥0.10",
 * "已退款(￥0.11)", "(已退款89.84)"), as fen; false when there is none.
 */
bool kmv_statement__amount_after(int64_t *fen, const char *text,
				 const char *label);

/* A row that calls itself a refund: category 退款 or product "退款-…". */
bool kmv_statement__refund_row(const st_row *r);

/* True when `s` ends with `suffix`. */
bool kmv_statement__ends(const char *s, const char *suffix);

/* ---- the engine's own, statement.c ---- */

/*
 * The normalized status of a raw one (the vocabulary is in
 * docs/importers.md): success, closed, refunded, partially_refunded,
 * pending, failed, other.
 */
const char *kmv_statement__status(const char *raw);

/*
 * The dedup key of a row with a transaction number (before any occurrence
 * suffix): "tx:" NUMBER US TIME US FEN US DIRECTION US STATUS, US = 0x1f,
 * STATUS empty when NULL.  Schema migration 2 -> 3 (store/schema.c) builds
 * the same string in SQL from the stored columns: change both or neither.
 */
int kmv_statement__number_key(kmv_buf *out, const char *number,
			      const char *time, int64_t fen,
			      const char *direction, const char *status);

#endif
