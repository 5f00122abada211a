/* SPDX-License-Identifier: MIT */
#ifndef KMV_MATCH_EXPLAIN_H
#define KMV_MATCH_EXPLAIN_H

/*
 * The stored form of a link's explanation (links.explanation): a JSON
 * object with the reason's code and its facts, never words.
 *
 *     {"why":"amount_time","amount":1990,"delta":300,"merchant":"...",
 *      "compat":"alias","name":"...","aggregator":false}
 *
 * kmv_match_explain() (kmv/match.h) turns it into a sentence in the
 * reader's language when it is shown.  The codes and their keys:
 *
 *   merchant_order_no, trade_no, product_names, memo_names,
 *   receipt_names         no (the number)
 *   receipt_contact       contact, no
 *   amount_time           amount (fen), delta (payment time minus the
 *                         order's, s), group (1: a receipt, no order
 *                         record), merchant, compat (same, alias,
 *                         resembles, none), name (what it is compatible
 *                         with), aggregator (0/1), tie_order | tie_payment
 *   second_charge         amount, payment (the first one's id), delta
 *   refund_statement      amount, payment, original (fen)
 *   refund_extends,
 *   refund_same_order_no  payment, amount, no
 *   manual                note (the user's words, optional)
 *   removed               was (the rule of the link removed)
 *   vetoed                -
 *
 * A new code needs its sentence in lib/match/explain.c (both languages)
 * and a line above.
 */
#include "kmvutil/json.h"

typedef struct kmv_explain {
	kmv_buf buf;
	kmv_json j;
} kmv_explain;

#define KMV_EXPLAIN_INIT      \
	{                     \
		KMV_BUF_INIT, \
		{             \
			NULL  \
		}             \
	}

/* Start the object {"why": why, ...}. */
void kmv_explain__begin(kmv_explain *e, const char *why);
/* The same, written at the end of `out` (e->buf stays empty): match.c
 * writes its links' explanations back to back into one buffer. */
void kmv_explain__begin_in(kmv_explain *e, kmv_buf *out, const char *why);
void kmv_explain__str(kmv_explain *e, const char *key, const char *value);
void kmv_explain__int(kmv_explain *e, const char *key, int64_t value);
/* Close the object: e->buf.ptr is the text to store.  Negative on error. */
int kmv_explain__end(kmv_explain *e);
void kmv_explain__dispose(kmv_explain *e);

/* Sentence i's English msgid and Chinese words (unit tests); false past
 * the end. */
bool kmv_match__explain_pair(size_t i, const char **en, const char **zh);

#endif
