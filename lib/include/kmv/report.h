/* SPDX-License-Identifier: MIT */
#ifndef KMV_REPORT_H
#define KMV_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmv/record.h"
#include "kmvutil/buf.h"
#include "kmvutil/datetime.h"
#include "kmvutil/hash.h"
#include "kmv/label.h"
#include "kmv/vault.h"

/**
 * @file kmv/report.h
 * Period reports (issue 6): the records of a month or date range with
 * their totals, written as Excel-ready CSV, XLSX or PDF.
 *
 * A report is collected once from the vault (kmv_report_collect) into a
 * plain in-memory snapshot, then handed to one of the writers.  Card
 * secrets are never loaded: the snapshot has no field for them, so no
 * writer can leak one.  docs/reports.md explains the spending rules
 * (which records count towards the totals) and the CSV choices.
 */

/** A half-open period [from, to) in epoch seconds, with a label. */
typedef struct kmv_report_period {
	int64_t from;       /**< first second included */
	int64_t to;         /**< first second excluded */
	int offset_min;     /**< local offset of the period (+08:00) */
	char label[48];     /**< "2024-03" or "2024-03-01 – 2024-03-15" */
	char first_day[11]; /**< "YYYY-MM-DD" */
	char last_day[11];  /**< "YYYY-MM-DD" (inclusive) */
} kmv_report_period;

/**
 * The calendar month "YYYY-MM" at China Standard Time.
 * KMV_EUSAGE (detail set) when the text is not a valid month.
 */
int kmv_report_period_month(kmv_report_period *out, const char *month);

/**
 * The days `from` through `to` inclusive ("YYYY-MM-DD" each, CST).
 * KMV_EUSAGE when a date is malformed or `to` is before `from`.
 */
int kmv_report_period_range(kmv_report_period *out, const char *from,
			    const char *to);

/**
 * The terms of the headline, 净支出 = 支出 − 退款及收入 (docs/reports.md
 * "What counts"): every row feeds exactly one of them or none.
 */
typedef enum {
	KMV_TERM_NONE =
		0, /**< counts nowhere (closed, unpaid, counted through its payment…) */
	KMV_TERM_SPENT =
		1, /**< 支出: a charge, or a paid order no payment stands for */
	KMV_TERM_BACK = 2 /**< 退款及收入: a refund of counted money, income */
} kmv_report_term;

/** "spent", "back", "none". */
const char *kmv_report_term_name(kmv_report_term term);

/**
 * One record as reports show it: the stored record (kmv/record.h; its
 * card secret is never loaded) plus how the report counts it.
 */
typedef struct kmv_report_row {
	kmv_record rec;
	const char *time; /**< rec.time as ISO 8601 with its offset, or NULL */
	int64_t spend; /**< what this row adds to 净支出 (fen, < 0 for money back) */
	kmv_report_term term; /**< which term of the headline it feeds */
	const char *
		count; /**< why it counts so: "charge", "closed", "via_payment"… */
	int64_t count_via; /**< the record that reason names (its payment, the refunded charge), or 0 */
	const char *group_platform; /**< platform used for the totals */
	const char
		*anomalies; /**< anomaly types naming this row, "a,b" or NULL */
	const char *
		via_category; /**< category of the count_via record (a refund's charge), or NULL */
} kmv_report_row;

/** A total for one key (platform, category, month or day). */
typedef struct kmv_report_total {
	const char *key;
	int64_t amount; /**< fen, net spending */
	int64_t count;  /**< rows that counted */
} kmv_report_total;

typedef struct kmv_report_totals {
	kmv_report_total *items;
	size_t count;
} kmv_report_totals;

/** An anomaly of the period (a copy of kmv_anomaly). */
typedef struct kmv_report_anomaly {
	const char *type;
	int64_t *records; /**< the records it names */
	size_t nrecords;
	const char *order_no;
	int64_t amount;
	int64_t ts;
	const char *detail;
	const char *suggestion;
} kmv_report_anomaly;

typedef struct kmv_report {
	kmv_report_period period;
	kmv_report_row *rows; /**< ordered by time, then id */
	size_t nrows;
	kmv_report_totals by_platform; /**< largest first */
	kmv_report_totals by_category; /**< largest first */
	kmv_report_totals by_month;    /**< chronological */
	kmv_report_totals by_day; /**< every day of the period, chronological */
	kmv_report_anomaly *anomalies;
	size_t nanomalies;
	int64_t total_spend; /**< 净支出 = total_spent - total_back */
	int64_t total_spent; /**< 支出: sum of the KMV_TERM_SPENT rows' amounts */
	int64_t total_back; /**< 退款及收入: sum of the KMV_TERM_BACK rows' amounts */
	size_t nspent, nback, nnone; /**< rows per term */
	char generated_at[64];       /**< ISO 8601, honours KMVAULT_NOW */
	int lang; /**< kmv_lang of the documents: KMV_LANG_ZH, or EN on request */
	/* The strings' storage and the vault it came from are private to
	 * lib/report (report.h there): only kmv_report_collect makes one. */
} kmv_report;

/**
 * Load the period's records, totals and anomalies.  The caller frees the
 * report with kmv_report_free().  An empty period is not an error.
 */
int kmv_report_collect(kmv_report **out, kmv_vault *vault,
		       const kmv_report_period *period);

/**
 * The same for documents in `lang` (kmv_lang): KMV_LANG_ZH (what
 * kmv_report_collect does: reports go to Chinese counterparties, whatever
 * the locale) or KMV_LANG_EN (`export --lang en`); the anomalies' sentences
 * are in that language too.  KMV_LANG_LOCALE resolves to the locale's.
 */
int kmv_report_collect_lang(kmv_report **out, kmv_vault *vault,
			    const kmv_report_period *period, int lang);

/** NULL-safe. */
void kmv_report_free(kmv_report *report);

/** What `kmvault summary` groups by. */
typedef enum {
	KMV_GROUP_PLATFORM = 1,
	KMV_GROUP_CATEGORY,
	KMV_GROUP_MERCHANT,
	KMV_GROUP_MONTH,
	KMV_GROUP_DAY
} kmv_report_group_by;

/** Parse "platform|category|merchant|month|day"; KMV_EUSAGE otherwise. */
int kmv_report_group_parse(kmv_report_group_by *out, const char *name);

/** One line of a summary: the headline's terms over one group's rows. */
typedef struct kmv_report_group {
	const char *key; /**< owned by the array */
	int64_t spent;   /**< 支出 of the group's rows */
	int64_t back;    /**< 退款及收入 of the group's rows */
	int64_t net;     /**< spent - back */
	size_t count;    /**< rows that count */
} kmv_report_group;

/**
 * Group the rows that count (KMV_TERM_SPENT / KMV_TERM_BACK) by `by`,
 * keeping only rows of `kind` ("order", "payment", "receipt"; NULL = all).
 * `*out` (freed with kmv_report_groups_free) is sorted by key for month and
 * day, by net spending (largest first) otherwise; `total` gets the sum of
 * the groups, which without `kind` is the report's headline exactly.
 */
int kmv_report_group_rows(kmv_report_group **out, size_t *count,
			  kmv_report_group *total, const kmv_report *report,
			  kmv_report_group_by by, const char *kind);

/**
 * The groups and the total as CSV (the report's CSV rules: BOM, CRLF,
 * quoted), header `key_header, 支出, 退款及收入, 净支出, 笔数`, last line 合计.
 */
int kmv_report_groups_csv(kmv_buf *out, const char *key_header,
			  const kmv_report_group *groups, size_t count,
			  const kmv_report_group *total);

/** NULL-safe. */
void kmv_report_groups_free(kmv_report_group *groups, size_t count);

typedef enum {
	KMV_REPORT_CSV = 1,
	KMV_REPORT_XLSX = 2,
	KMV_REPORT_PDF = 3,
	KMV_REPORT_BEANCOUNT = 4,
	KMV_REPORT_LEDGER = 5
} kmv_report_format;

/** Parse "csv|xlsx|pdf|beancount|ledger"; KMV_EUSAGE otherwise. */
int kmv_report_format_parse(kmv_report_format *out, const char *name);

/** How kmv_report_export writes a report. */
typedef struct kmv_report_export_options {
	kmv_report_format format;
	/** The output's name for the audit log ("-": standard output). */
	const char *file;
	/** XLSX only: the file libxlsxwriter writes (read back into out). */
	const char *xlsx_path;
	/** beancount / ledger: the accounts (NULL: the defaults). */
	const struct kmv_ledger_accounts *accounts;
} kmv_report_export_options;

/**
 * Export a report for the user: render it in `opts->format` (into `out`;
 * XLSX also to `opts->xlsx_path`) and append the vault's "export" audit
 * event (format, period, record count, file name, SHA-256 of the bytes),
 * so no front-end can export without the log knowing.  The digest goes
 * to `sha256` when not NULL.  The caller saves the vault.
 */
int kmv_report_export(kmv_buf *out, char sha256[KMV_SHA256_HEX_BUFSZ],
		      const kmv_report *report,
		      const kmv_report_export_options *opts);

/**
 * Excel-ready CSV of the rows (appended to `out`): UTF-8 BOM, CRLF, every
 * field quoted (RFC 4180, through libcsv), all-digit identifiers followed
 * by a TAB so Excel keeps them as text, text cells that start with = + -
 * @ TAB or CR prefixed with an apostrophe, amounts as plain decimals.
 */
int kmv_report_csv(kmv_buf *out, const kmv_report *report);

/**
 * Write one CSV line of already-chosen cells with the same rules (used by
 * evidence bundles).  `is_id[i]` marks identifier columns (may be NULL).
 */
int kmv_report_csv_line(kmv_buf *out, const char *const *cells,
			const bool *is_id, size_t ncells);

/**
 * XLSX through libxlsxwriter into `path` (created 0600, replaced if it
 * exists): a 记录 sheet (IDs as text, amounts as ¥ numbers, times as
 * dates, frozen header, auto-filter) and a 汇总 summary sheet.  The
 * library's scratch files go to the output's own directory.
 */
int kmv_report_xlsx(const kmv_report *report, const char *path);

/**
 * A4 PDF through cairo + pango (appended to `out`): title and period,
 * totals, a bar chart of spending per day, the records table (paginated,
 * CJK wrapped), the anomalies, page numbers.  The CJK font is found
 * through fontconfig and embedded (subset) so text stays extractable.
 */
int kmv_report_pdf(kmv_buf *out, const kmv_report *report);

/**
 * The period as a ledger (appended to `out`): beancount when `beancount`,
 * else the ledger / hledger journal format.  One transaction per row that
 * counts (charges, refunds as reversals of their charge's expense, income,
 * paid orders no payment stands for), the order number as metadata and a
 * link (beancount `^order-NO`), accounts from a default map (Assets:Alipay,
 * Assets:WeChat, Expenses:Games:Cards, Expenses:Food, …, Income:Other), so
 * Expenses + Income sum to the report's 净支出.
 */
int kmv_report_ledger(kmv_buf *out, const kmv_report *report, bool beancount);

/**
 * The accounts of a ledger export, from the config file's [ledger]
 * section; a NULL member keeps its default.
 */
typedef struct kmv_ledger_accounts {
	const char *alipay;  /**< Assets:Alipay */
	const char *wechat;  /**< Assets:WeChat */
	const char *jd;      /**< Assets:JD */
	const char *unknown; /**< Assets:Unknown: a channel not known */
	const char *income;  /**< Income:Other */
	const char *
		shop_orders; /**< Expenses:Games:Cards: an order, no category */
	const char *other;   /**< Expenses:Other: a category not mapped */
	/**
	 * "WORD=Account, WORD=Account": a category containing WORD goes to
	 * Account; tried in order before the built-in map (游戏, 餐饮, ...).
	 */
	const char *categories;
} kmv_ledger_accounts;

#define KMV_LEDGER_ACCOUNTS_INIT                               \
	{                                                      \
		NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL \
	}

/** kmv_report_ledger with these accounts (NULL: the defaults); KMV_EUSAGE
 * for an account name kmv_ledger_account_valid refuses. */
int kmv_report_ledger_with(kmv_buf *out, const kmv_report *report,
			   bool beancount, const kmv_ledger_accounts *accounts);

/**
 * An account name beancount and hledger both accept: Assets, Liabilities,
 * Equity, Income or Expenses, then one or more ":Component", each starting
 * with an upper-case letter, a digit or a non-ASCII letter (游戏), then
 * letters, digits, '-' or non-ASCII letters.
 */
bool kmv_ledger_account_valid(const char *name);

/** Check a categories map ("WORD=Account, ..."); KMV_EUSAGE naming the part. */
int kmv_ledger_categories_check(const char *map);

/**
 * A plain-text document as an A4 PDF (title + paragraphs, wrapped, page
 * numbers): used for the dispute letter of evidence bundles.  `lang`
 * (kmv_lang) is the document's language, for the footer: "第 1 页，共 2
 * 页" or "Page 1 of 2".
 */
int kmv_report_text_pdf(kmv_buf *out, const char *title, const char *text,
			int lang);

#endif
