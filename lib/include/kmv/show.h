/* SPDX-License-Identifier: MIT */
#ifndef KMV_SHOW_H
#define KMV_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmv/record.h"
#include "kmv/vault.h"

/**
 * @file kmv/show.h
 * One record with everything known about it: where it came from (source
 * file, SHA-256, line), its status timeline, its links to other records,
 * its attachments, and the other records sharing its order number.
 *
 * Card secrets are masked (kmv_mask_secret) inside the library unless the
 * caller asks for a reveal, so no output path can forget to mask; a
 * reveal is audited by the lookup itself.
 */

/** Where a record came from. */
typedef struct kmv_show_source {
	int64_t id;        /**< 0 when unknown */
	char *name;        /**< file name as imported */
	char *kind;        /**< alipay, orders, email, ... */
	char *sha256;      /**< of the original bytes */
	int64_t line;      /**< 0 when not line-based */
	int64_t parent_id; /**< the ZIP / mbox it was inside, or 0 */
	char *parent_name;
} kmv_show_source;

/** One state the order was seen in (oldest first). */
typedef struct kmv_show_state {
	char *state;      /**< normalized (profiles.md) */
	char *state_raw;  /**< as the source wrote it, or NULL */
	char *event_time; /**< when it happened, if the source said */
	char *seen_at;    /**< when kmvault saw it (import time) */
	int64_t source_id;
	char *source_name;
} kmv_show_state;

/** A link to another record, in either direction. */
typedef struct kmv_show_link {
	int64_t id;
	int64_t other_id;
	bool outgoing; /**< this record is side `a` of the link */
	char *rule;
	double score;
	char *explanation;
	int manual; /**< 1 by `link`, -1 vetoed by `unlink`, 0 rule */
	char *created_at;
	char *other_kind;
	char *other_order_no;
	char *other_time;
	char *other_merchant;
	int64_t other_amount;
	bool other_has_amount;
} kmv_show_link;

typedef struct kmv_show_attachment {
	int64_t id;
	char *name;
	char *mime;
	char *sha256;
	int64_t size;
	char *note;
	char *created_at;
} kmv_show_attachment;

typedef struct kmv_show_item {
	kmv_record rec; /**< rec.card_secret masked unless revealed;
			     rec.deleted_at the tombstone, or NULL */
	bool has_card_secret;
	kmv_show_source source;
	kmv_show_state *timeline;
	size_t ntimeline;
	kmv_show_link *links;
	size_t nlinks;
	kmv_show_attachment *attachments;
	size_t nattachments;
} kmv_show_item;

/**
 * items[0 .. matched) are the records the lookup named (one for an id,
 * every record carrying the number for an order number: the order, its
 * payments and receipts); items[matched .. count) are related records
 * that share an order or payment number with them.
 */
typedef struct kmv_show_result {
	kmv_show_item *items;
	size_t count;
	size_t matched;
	bool by_number; /**< the argument was read as a number */
} kmv_show_result;

typedef struct kmv_show_options {
	unsigned int version;
	/** Unmasked card secrets: the lookup appends one "reveal" audit
	 * event per record, so the vault must be open for writing and the
	 * caller saves it. */
	bool reveal;
} kmv_show_options;

#define KMV_SHOW_OPTIONS_VERSION 1
#define KMV_SHOW_OPTIONS_INIT                   \
	{                                       \
		KMV_SHOW_OPTIONS_VERSION, false \
	}

/**
 * Look up `what`: a record id (all digits, when such a record exists) or
 * an order / payment / merchant order number.  The caller frees *out
 * with kmv_show_result_free().  KMV_ENOTFOUND when nothing matches.
 */
int kmv_show_lookup(kmv_show_result **out, kmv_vault *vault, const char *what,
		    const kmv_show_options *opts);

/**
 * True when the record's extra lists `field` ("order_no", "amount",
 * "time", "product", "platform", "payment_no") as unverified: read by
 * OCR below the confidence threshold, so shown marked and never used by
 * match.
 */
bool kmv_show_unverified(const kmv_record *rec, const char *field);

/** Called with one fact of a record's extra: its words and its value as text. */
typedef int (*kmv_show_extra_cb)(const char *label, const char *value,
				 void *payload);

/**
 * The facts an importer or an edit kept in the record's extra (the
 * buyer's e-mail, the rule that read a page, tags, the imported values
 * before an edit ...) as readable lines: each key's words in the user's
 * language (kmv_label, KMV_LABEL_EXTRA; an unknown key as it is) and its
 * value as text (a list joined with ", ", an object as "words: value"
 * pairs).  Nothing for a record without extra; a callback's non-zero
 * return stops and is returned.
 */
int kmv_show_extra_foreach(const kmv_record *rec, kmv_show_extra_cb cb,
			   void *payload);

/** Free a result; NULL-safe. */
void kmv_show_result_free(kmv_show_result *res);

#endif
