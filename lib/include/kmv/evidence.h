/* SPDX-License-Identifier: MIT */
#ifndef KMV_EVIDENCE_H
#define KMV_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmvutil/buf.h"
#include "kmv/vault.h"

/**
 * @file kmv/evidence.h
 * Signed evidence bundles and attachments (issue 6, docs/evidence.md).
 *
 * A bundle is a BagIt 1.0 bag (RFC 8493) about one order or one dispute
 * case, written as .zip or .tar.gz through libarchive.  Its tag manifest
 * is signed with the vault's Ed25519 key in minisign's prehashed format,
 * so `minisign -Vm tagmanifest-sha256.txt -P KEY` verifies it, and an
 * RFC 3161 timestamp query for the same file is written beside it.
 * Verifying needs no vault and no passphrase.
 */

/* ---- signing key ------------------------------------------------------ */

/**
 * The vault's signing public key as a minisign public key file (two
 * lines: untrusted comment, base64).  With `create`, a key pair is made
 * on first use and stored in the vault's settings (the caller saves the
 * vault); without it, KMV_ENOTFOUND when there is no key yet.
 * `created_out` (may be NULL) tells whether a key was just made.
 */
int kmv_evidence_pubkey(kmv_buf *out, kmv_vault *vault, bool create,
			bool *created_out);

/* ---- create ----------------------------------------------------------- */

typedef struct kmv_evidence_options {
	unsigned int version;
	const char *
		output; /**< FILE.zip|FILE.tar.gz|FILE.tgz, or NULL for a default name */
	const char *claim; /**< the claim (诉求) for the letter, or NULL */
	bool include_sources; /**< add copies of the source files, card secrets masked */
	bool unmasked_sources; /**< with include_sources: the originals byte for byte */
	/* version 2: */
	const char *basis; /**< 依据: built-in keys (consumer, ecommerce,
				         payment, rules; comma-separated) or a text */
	int lang;          /**< kmv_lang: KMV_LANG_EN for an English letter,
				         else Chinese whatever the locale */
	/* version 3: the letter's sender (申诉人; config [letter]); a NULL
	 * or empty field is a blank to fill in by hand */
	const char *sender_name;
	const char *sender_phone;
	const char *sender_email;
	const char *sender_address;
	const char *sender_id_number;
} kmv_evidence_options;

#define KMV_EVIDENCE_OPTIONS_VERSION 3
#define KMV_EVIDENCE_OPTIONS_INIT                                             \
	{                                                                     \
		KMV_EVIDENCE_OPTIONS_VERSION, NULL, NULL, false, false, NULL, \
			0, NULL, NULL, NULL, NULL, NULL                       \
	}

typedef struct kmv_evidence_result {
	char *path;     /**< the bundle written */
	char *tsq_path; /**< the RFC 3161 query written beside it */
	char *sha256;   /**< of the bundle file */
	char *key_id;   /**< 16 hex digits, as minisign shows it */
	char *target;   /**< "order KM..." or "case 3" */
	int64_t records;
	int64_t files; /**< payload files */
	int64_t payload_bytes;
	bool key_created;         /**< the signing key was made by this call */
	char *tmp_path;           /**< where the bundle waits until published */
	char *tmp_tsq_path;       /**< where the query waits until published */
	int64_t sources_included; /**< source files copied into the bundle */
	int64_t secrets_masked; /**< card secret occurrences masked in those copies */
	int64_t target_case_id; /**< the target case, or 0 for an order */
	char *target_order_no; /**< the target order number (NULL for a case) */
} kmv_evidence_result;

#define KMV_EVIDENCE_RESULT_INIT                                             \
	{                                                                    \
		NULL, NULL, NULL, NULL, NULL, 0, 0, 0, false, NULL, NULL, 0, \
			0, 0, NULL                                           \
	}

/** Frees the result; an unpublished bundle and query are removed. */
void kmv_evidence_result_dispose(kmv_evidence_result *res);

/**
 * Move the bundle and its query from their temporary names to `path` and
 * `tsq_path`, after the caller saved the vault (so no signed bundle ever
 * exists whose key and audit event the vault did not store).  KMV_EEXISTS
 * when a file of the bundle's name appeared meanwhile (nothing replaced).
 */
int kmv_evidence_publish(kmv_evidence_result *res);

/**
 * Build a bundle for ORDER_NO (an order number, merchant order number or
 * payment number of a record) or CASE_ID (a row of `cases`).  Appends an
 * audit event; the caller saves the vault (the key may be new), then calls
 * kmv_evidence_publish: until then the bundle has only a temporary name.
 * With include_sources, each source file is copied with every card secret
 * of every record imported from it masked (other orders' too); a source
 * where a secret may hide encoded (binary files, base64 or
 * quoted-printable e-mail parts, a secret not found as plain text) is
 * refused with KMV_EINPUT unless unmasked_sources, which copies the
 * originals byte for byte.
 * Expected codes: KMV_ENOTFOUND (no such order or case), KMV_EEXISTS
 * (the output file exists), KMV_EUSAGE (unsupported output extension),
 * KMV_EINPUT (a source cannot be masked).
 */
int kmv_evidence_create(kmv_evidence_result *out, kmv_vault *vault,
			const char *target, const kmv_evidence_options *opts);

/* ---- verify / stamp --------------------------------------------------- */

typedef struct kmv_evidence_verify_result {
	int64_t files;     /**< payload files checked */
	int64_t tag_files; /**< tag files checked */
	char *key_id;      /**< the signer's key id */
	bool external_key; /**< checked against --pubkey, not the bag's own key */
	char *trusted_comment;
	bool timestamped; /**< a timestamp reply is present and matches */
	bool tsa_chain_verified; /**< ... and its certificate chain was checked */
	char *timestamp;         /**< the TSA's time (UTC, ISO 8601) */
	char *bad_path; /**< on KMV_ECORRUPT: the first offending path */
} kmv_evidence_verify_result;

#define KMV_EVIDENCE_VERIFY_RESULT_INIT                           \
	{                                                         \
		0, 0, NULL, false, NULL, false, false, NULL, NULL \
	}

void kmv_evidence_verify_result_dispose(kmv_evidence_verify_result *res);

/**
 * Verify a bundle file: bagit.txt, every tag and payload manifest line,
 * no unlisted file, Payload-Oxum, the minisign signature (against
 * `pubkey` when given: a minisign .pub file path or its base64 line),
 * and the timestamp reply when present (its chain too when `tsa_ca`
 * names a PEM CA file).  KMV_ECORRUPT naming the first offending path
 * (also in out->bad_path); KMV_ENOTFOUND when the file does not exist;
 * KMV_EINPUT for an unreadable --pubkey.
 */
int kmv_evidence_verify(kmv_evidence_verify_result *out, const char *path,
			const char *pubkey, const char *tsa_ca);

/**
 * Add a timestamp authority's reply (DER TimeStampResp) to a bundle after
 * checking that it answers the bundle's query (status granted, imprint
 * and nonce match).  The archive is rewritten in place atomically.
 * KMV_ECORRUPT if the bundle does not verify; KMV_EINPUT if the reply
 * is not a valid answer to this bundle's query.  `gen_time_out` (may be
 * NULL) receives the TSA's time.
 */
int kmv_evidence_stamp(const char *bundle, const char *reply,
		       kmv_buf *gen_time_out);

/**
 * The dispute letter's text (data/申诉书.txt, or data/complaint.txt for
 * an English bundle) read back from a bundle file.  KMV_ENOTFOUND when
 * the bundle holds no letter; the archive errors of kmv_evidence_verify.
 */
int kmv_evidence_letter_text(kmv_buf *out, const char *bundle);

/* ---- attachments ------------------------------------------------------ */

typedef struct kmv_attach_result {
	int64_t id;
	char mime[64];
	char sha256[65];
	int64_t size;
	bool duplicate; /**< same bytes were already attached to the target */
} kmv_attach_result;

/**
 * Keep a file (screenshot, chat export, rules page) in the vault for an
 * order or case: bytes, SHA-256, MIME type (guessed from magic bytes,
 * then the extension), time and note.  Appends an audit event; the
 * caller saves.  KMV_ENOTFOUND (no such order/case or file), KMV_EINPUT
 * (a directory or a file over 64 MiB).
 */
int kmv_attach_add(kmv_attach_result *out, kmv_vault *vault, const char *target,
		   const char *file, const char *note);

/** A MIME type from the first bytes and the file name ("application/octet-stream" fallback). */
const char *kmv_attach_guess_mime(const void *data, size_t len,
				  const char *name);

#endif
