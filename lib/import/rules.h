/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_RULES_H
#define KMV_IMPORT_RULES_H

/*
 * E-mail extraction rules (profiles.md; docs/profiles-and-rules.md): rule
 * sets of PCRE2 patterns (UTF, multiline, Unicode properties) applied to
 * a message's decoded subject, headers and text body.  Sets are tried in
 * order (user sets from --rules first, then the built-in dujiaoka and
 * generic sets); the first whose match_* lines all match and that finds
 * an order number or an amount wins.
 */
#include <stdbool.h>
#include <stddef.h>

#include "kmv/record.h"
#include "kmvutil/buf.h"

typedef enum {
	KMV_RF_ORDER_NO = 0,
	KMV_RF_AMOUNT,
	KMV_RF_PRODUCT,
	KMV_RF_QUANTITY,
	KMV_RF_CARD_SECRET,       /* every match, one secret each */
	KMV_RF_CARD_SECRET_BLOCK, /* group 1 = lines of secrets */
	KMV_RF_TIME,
	KMV_RF_PLATFORM,
	KMV_RF_MERCHANT,
	KMV_RF_PAYMENT_NO,
	KMV_RF_CONTACT, /* the buyer's contact (e-mail, QQ, phone) */
	KMV_RF_COUNT
} kmv_rule_field;

typedef struct kmv_rules kmv_rules;

/* What a rule sees of one message; header() returns decoded text or NULL. */
typedef struct kmv_mail_view {
	const char *subject;
	const char *from;
	const char *body; /* '\n' line ends, ends with '\n' */
	const char *(*header)(const char *name, void *payload);
	void *payload;
} kmv_mail_view;

typedef struct kmv_rule_result {
	const char *set;            /* name of the set used (borrowed) */
	const char *state;          /* the set's `state`, or NULL (borrowed) */
	char *fields[KMV_RF_COUNT]; /* extracted values (card secrets joined by
				    * '\n'), NULL when absent */
	bool time_from_header;      /* `time = header:...` */
} kmv_rule_result;

/*
 * The built-in sets, after those of `user_file` (may be NULL).  A bad
 * file: KMV_EINPUT naming file and line (and the PCRE2 error).
 */
int kmv_rules__load(kmv_rules **out, const char *user_file);

/* The same for sources without headers (pages, PDFs, images, pasted
 * text): the built-in page set comes before the mail sets. */
int kmv_rules__load_pages(kmv_rules **out, const char *user_file);

/* Parse rule text into `rules` (appended after the sets it holds). */
int kmv_rules__parse(kmv_rules *rules, const char *text, const char *display);

/* An empty rule list (for tests and the loader). */
int kmv_rules__new(kmv_rules **out);

size_t kmv_rules__count(const kmv_rules *rules);

void kmv_rules__free(kmv_rules *rules);

/*
 * Apply the sets in order.  Returns 1 and fills *out when one understood
 * the message, 0 when none did, < 0 on error.  Free with
 * kmv_rules__result_dispose().
 */
int kmv_rules__apply(kmv_rule_result *out, const kmv_rules *rules,
		     const kmv_mail_view *mail);

void kmv_rules__result_dispose(kmv_rule_result *res);

/*
 * The receipt fields a result names, set on `rec` (kmv_record_set: an
 * empty value stays unset): order no, product, card secrets, payment no
 * and the set's state.  The e-mail and page importers' common part.
 */
int kmv_rules__receipt_fields(kmv_record *rec, const kmv_rule_result *res);

#endif
