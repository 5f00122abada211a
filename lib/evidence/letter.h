/* SPDX-License-Identifier: MIT */
#ifndef KMV_EVIDENCE_LETTER_H
#define KMV_EVIDENCE_LETTER_H

/*
 * The dispute letter of an evidence bundle (docs/evidence.md): a formal
 * 申诉书 to the shop, and a second one to the payment channel (支付宝 /
 * 微信支付 争议处理) when the claim is against the charge.  Written from
 * the bundle's records, anomalies, case and files; Chinese whatever the
 * locale, English with --lang en.  Advice for the user never goes in.
 */
#include "common.h"
#include "evidence/bag.h"
#include "kmv/record.h"

#include "kmvutil/datetime.h"
#include "kmv/label.h"

/* One record of the bundle (bundle.c loads them, sorted by time). */
struct brec {
	kmv_record rec;               /* as read: card secret masked */
	const char *time;             /* rec.time as ISO 8601, or NULL */
	const char *source_sha;       /* of the source file, or NULL */
	const char *source_file_kind; /* its kind (alipay, mbox ...) */
};

/* One anomaly found for the bundle's orders (copied out of the callback). */
struct letter_anomaly {
	const char *type, *order_no;
	int64_t amount, ts;
	int64_t *records;
	size_t nrecords;
};

struct letter_case {
	int64_t id;
	const char *reason, *status, *deadline, *counterparty, *claim, *note,
		*opened_at;
};

struct letter_input {
	const struct brec *recs;
	size_t nrecs;
	const struct letter_anomaly *anomalies;
	size_t nanomalies;
	const struct letter_case *kase; /* NULL for an order's bundle */
	const char *order_no;           /* the target when not a case */
	const char *claim;              /* --claim, or NULL */
	const char *basis; /* --basis KEY[,KEY...] or text, or NULL */
	kmv_lang lang;     /* KMV_LANG_ZH unless --lang en */
	/* the sender (申诉人), each NULL when not given: a blank */
	const char *sender_name, *sender_phone, *sender_email, *sender_address,
		*sender_id_number;
	kmv_time now;
};

/*
 * Write data/申诉书.txt and .pdf (and the channel's letter when there is
 * one) into `bag`, listing the files already in it as evidence.
 * KMV_EUSAGE for an unknown --basis key or `rules` without a rules page.
 */
int kmv_letter__write(kmv_bag *bag, const struct letter_input *in);

/* Names of the built-in --basis entries, for help and errors. */
#define KMV_LETTER_BASIS_KEYS "consumer, ecommerce, payment, rules"

#endif
