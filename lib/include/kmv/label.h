/* SPDX-License-Identifier: MIT */
#ifndef KMV_LABEL_H
#define KMV_LABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "kmvutil/buf.h"

/**
 * @file kmv/label.h
 * The one label table: the words for every machine code kmvault stores
 * or prints (record kinds, directions, normalized statuses, link rules,
 * anomaly types, case reasons and statuses, statement sources).  Human
 * output shows these words, never the code; JSON keeps the code (cli.md)
 * and adds a `*_label` key with kmv_label().
 *
 * Each entry has an English msgid (translated by gettext, po/) and the
 * Chinese words used by documents for Chinese counterparties whatever the
 * locale; a unit test checks the zh_CN catalog agrees with the table.
 *
 * Adding a code: one row in lib/core/label.c (English + Chinese), then
 * scripts/update-po.sh and the same Chinese in po/zh_CN.po.
 */

typedef enum {
	KMV_LABEL_KIND = 0,  /**< order, payment, receipt */
	KMV_LABEL_DIRECTION, /**< out, in, neutral */
	KMV_LABEL_STATUS,    /**< profiles.md states: paid, delivered, ... */
	KMV_LABEL_RULE, /**< link rules: order_no, amount_time, refund, manual, veto */
	KMV_LABEL_ANOMALY,     /**< duplicate_charge, undelivered, ... */
	KMV_LABEL_CASE_REASON, /**< KMV_CASE_REASONS */
	KMV_LABEL_CASE_STATUS, /**< KMV_CASE_STATUSES */
	KMV_LABEL_SOURCE, /**< alipay, wechat, jd, orders, email, zip, ... */
	KMV_LABEL_COUNT, /**< how a report counts a record: charge, closed, ... */
	KMV_LABEL_TERM,     /**< the report's terms: spent, back, none */
	KMV_LABEL_REMINDER, /**< remind's item types: case_deadline, ... */
	KMV_LABEL_EXTRA,    /**< keys of a record's extra and record fields */
	KMV_LABEL_ACTION,   /**< audit log actions: import, case_open, ... */
	KMV_LABEL_SET_COUNT
} kmv_label_set;

/** Which language a text is produced in. */
typedef enum {
	KMV_LANG_LOCALE = 0, /**< the user's messages language (gettext) */
	KMV_LANG_ZH,         /**< Simplified Chinese, whatever the locale */
	KMV_LANG_EN          /**< English, whatever the locale */
} kmv_lang;

/**
 * The words for `code` in the user's language.  An unknown code comes
 * back as it is (a value from a newer vault), NULL as "".
 */
const char *kmv_label(kmv_label_set set, const char *code);

/** The words for `code` in `lang`. */
const char *kmv_label_lang(kmv_label_set set, const char *code, kmv_lang lang);

/** True when the table knows `code` in `set`. */
bool kmv_label_known(kmv_label_set set, const char *code);

/** The codes of a set in table order (tests, docs): NULL past the end. */
const char *kmv_label_code(kmv_label_set set, size_t i);

/** The set's name: "kind", "direction", "status", ... */
const char *kmv_label_set_name(kmv_label_set set);

/** The set of a name (kmv_label_set_name's inverse); -1 when unknown. */
int kmv_label_set_parse(kmv_label_set *out, const char *name);

/**
 * "zh", "zh_CN", "zh-CN", "chinese" -> KMV_LANG_ZH; "en", "en_US",
 * "english" -> KMV_LANG_EN.  -1 for anything else.
 */
int kmv_lang_parse(kmv_lang *out, const char *text);

/**
 * An audit event's detail (its JSON object) in words, for `kmvault log`:
 * "order: KM1, deadline: 2026-12-07"; code values get their labels,
 * hashes are shortened, bookkeeping keys left out.  Text that is not a
 * JSON object comes back as it is.
 */
int kmv_label_detail(kmv_buf *out, const char *detail, kmv_lang lang);

/** The language the user's messages come out in (LOCALE resolved). */
kmv_lang kmv_lang_resolve(kmv_lang lang);

#endif
