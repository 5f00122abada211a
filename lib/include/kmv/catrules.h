/* SPDX-License-Identifier: MIT */
#ifndef KMV_CATRULES_H
#define KMV_CATRULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmv/vault.h"

/**
 * @file kmv/catrules.h
 * Categorising rules (hledger's CSV rules and beancount importers are the
 * habit): a text file of lines
 *
 *     match FIELD PATTERN -> set category|platform|tag|note VALUE
 *
 * (`→` works as the arrow too; blank lines and lines starting with # are
 * ignored).  PATTERN is a PCRE2 regular expression, case-insensitive and
 * Unicode-aware, found anywhere in the field (anchor it with ^ and $);
 * it runs from after FIELD up to the arrow.  FIELD is one of merchant,
 * product, memo, text (merchant, product or memo), platform, category,
 * status (normalized or raw), kind, source, payment_method, order_no,
 * payment_no, amount (yuan, "12.50").
 *
 * For category, platform and note the first rule that matches a record
 * sets the value; every tag rule that matches adds its tag.  Rules see
 * the category and platform other rules set (the choice is made again
 * until it settles), so a second run finds nothing more to do.  A field corrected by hand
 * (kmv/edit.h without a rule) is never changed by a rule; a tag is only
 * ever added.  Every change goes through kmv_record_edit /
 * kmv_record_tag_by_rule, so it is one audit event naming the rule
 * ("FILE:LINE"), `show` prints it in the record's history and the
 * imported value stays in extra.imported.
 */

typedef struct kmv_catrules kmv_catrules;

/**
 * Parse rules text (UTF-8; a BOM and CRLF are accepted).  Messages name
 * `name` and the line: "rules:3: unknown field 'shop' (...)".
 * KMV_EINPUT for a bad line; *out is NULL then.
 */
int kmv_catrules_parse(kmv_catrules **out, const char *text, size_t len,
		       const char *name);

/** Read and parse a file (at most 1 MiB).  KMV_ENOTFOUND when missing. */
int kmv_catrules_load(kmv_catrules **out, const char *path);

void kmv_catrules_free(kmv_catrules *rules); /**< NULL-safe */

/** The number of rules (lines that are not blank or comments). */
size_t kmv_catrules_count(const kmv_catrules *rules);

/** One change a run makes (or, in a dry run, would make). */
typedef struct kmv_catrules_change {
	int64_t record;
	const char *field;     /**< category, platform, note or tag */
	const char *old_value; /**< NULL = none (always NULL for a tag) */
	const char *new_value;
	const char *rule; /**< "FILE:LINE" */
} kmv_catrules_change;

typedef int (*kmv_catrules_cb)(const kmv_catrules_change *c, void *payload);

typedef struct kmv_catrules_options {
	bool dry_run;     /**< find the changes, make none */
	int64_t after_id; /**< only records with a greater id; 0: all */
	const char *who;  /**< the user, kept in the events */
	kmv_catrules_cb on_change; /**< may be NULL; non-zero stops the run */
	void *payload;
} kmv_catrules_options;

#define KMV_CATRULES_OPTIONS_INIT          \
	{                                  \
		false, 0, NULL, NULL, NULL \
	}

typedef struct kmv_catrules_stats {
	size_t records; /**< records looked at (voided ones are not) */
	size_t changed; /**< records changed (or that would be) */
	size_t changes; /**< fields and tags changed */
	size_t kept;    /**< matches left alone: corrected by hand */
} kmv_catrules_stats;

/**
 * Apply the rules to the vault's records (opened for writing unless
 * dry_run).  Each change is its own transaction and audit event; on an
 * error the database may hold the changes made so far, so the caller
 * must not save it.  The caller saves after success.
 */
int kmv_catrules_apply(kmv_vault *vault, const kmv_catrules *rules,
		       const kmv_catrules_options *opts,
		       kmv_catrules_stats *stats);

/**
 * The greatest record id now (0 when there is none).  Records are never
 * physically deleted, so the records an import adds afterwards are the
 * ones with greater ids: pass it as after_id to apply rules to them only.
 */
int kmv_catrules_mark(kmv_vault *vault, int64_t *out);

#endif
