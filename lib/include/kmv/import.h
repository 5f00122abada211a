/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_H
#define KMV_IMPORT_H

#include <stdint.h>

#include "kmv/record.h"
#include "kmv/vault.h"

/**
 * @file kmv/import.h
 * Importing files into the vault.  One import run is one transaction:
 * either every file is added or, on any error, nothing is and the vault
 * file stays byte-identical (the caller does not save).
 *
 * Detection is by content, never by file name: statement markers
 * (电子客户回单, 支付宝交易记录明细查询, 微信支付账单明细, 京东账号名 …), ZIP/XLSX magic,
 * RFC 5322 headers, mbox "From " lines, JSON arrays.
 */

typedef enum {
	KMV_IMPORT_AUTO = 0,
	KMV_IMPORT_ALIPAY,
	KMV_IMPORT_WECHAT,
	KMV_IMPORT_ORDERS,
	KMV_IMPORT_EMAIL,
	KMV_IMPORT_JD
} kmv_import_kind;

/** Ask for a ZIP password (terminal prompt in the CLI). */
typedef int (*kmv_password_cb)(char **password_out, const char *archive,
			       void *payload);

/** Progress: rows done of total (total 0 = unknown). */
typedef void (*kmv_progress_cb)(const char *file, uint64_t done, uint64_t total,
				void *payload);

/** Warnings (e.g. "looks re-saved by Excel"): file, line (0 = none), text. */
typedef void (*kmv_warn_cb)(const char *file, int64_t line, const char *msg,
			    void *payload);

typedef struct kmv_import_options {
	unsigned int version;
	kmv_import_kind kind;
	const char *profile;      /**< order profile: name or file path */
	const char *platform;     /**< --platform for orders */
	const char *rules_file;   /**< extra e-mail rule sets */
	const char *zip_password; /**< from --zip-password-file, or NULL */
	kmv_password_cb ask_password;
	kmv_progress_cb progress;
	kmv_warn_cb warn;
	void *payload;
	/** A folder's screenshots: `file` the folder, done/total pictures. */
	kmv_progress_cb ocr_progress;
} kmv_import_options;

#define KMV_IMPORT_OPTIONS_VERSION 1
#define KMV_IMPORT_OPTIONS_INIT                                                \
	{                                                                      \
		KMV_IMPORT_OPTIONS_VERSION, KMV_IMPORT_AUTO, NULL, NULL, NULL, \
			NULL, NULL, NULL, NULL, NULL, NULL                     \
	}

/** Per-file outcome (cli.md: file, kind, rows, added, duplicates). */
typedef struct kmv_import_result {
	char *file;
	char *kind; /**< alipay, wechat, orders, email, ... */
	int64_t rows;
	int64_t added;
	int64_t duplicates;
	int64_t updated;      /**< orders whose status changed */
	int64_t unrecognized; /**< e-mails no rule understood */
	int64_t source_id;
	char *detail; /**< e.g. the column mapping used, or NULL */
} kmv_import_result;

typedef struct kmv_import_results {
	kmv_import_result *items;
	size_t count;
	size_t alloc;
} kmv_import_results;

#define KMV_IMPORT_RESULTS_INIT \
	{                       \
		NULL, 0, 0      \
	}

void kmv_import_results_dispose(kmv_import_results *r);

/**
 * Import files (a directory imports every regular file in it, sorted) in
 * one transaction and append an audit event.  The caller saves the vault
 * on success.  Expected codes: KMV_EINPUT (a file rejected; the detail
 * names the file and line), KMV_EAUTH (wrong ZIP password), KMV_ENOTFOUND.
 */
int kmv_import_files(kmv_import_results *out, kmv_vault *vault,
		     const char *const *paths, size_t npaths,
		     const kmv_import_options *opts);

/**
 * Before the vault is opened: is one of `paths` (or a file directly in a
 * folder among them) a ZIP with an encrypted member?  1 with the first
 * such file's path in *which (malloc'd), else 0.  Unreadable or damaged
 * files are 0 here: the import itself reports them.
 */
int kmv_import_zip_encrypted(const char *const *paths, size_t npaths,
			     char **which);

/** Parse "auto|alipay|wechat|jd|orders|email". */
int kmv_import_kind_parse(kmv_import_kind *out, const char *name);

#endif
