/* SPDX-License-Identifier: MIT */
#ifndef KMV_EVIDENCE_BAG_H
#define KMV_EVIDENCE_BAG_H

/*
 * Evidence internals.
 *
 * kmv_bag is a bag held in memory: a list of (path relative to the bag
 * root, bytes).  Paths are unique, use '/', never start with '/' and
 * never contain a ".." component (kmv_bag__add refuses them, so an
 * archive read back cannot escape anywhere).  Writers add the payload
 * under data/, then kmv_bag__finalize adds bagit.txt, bag-info.txt, the
 * payload manifests and the tag manifest.
 */
#include "kmv/evidence.h"

#define KMV_BAG_SIG "tagmanifest-sha256.txt.minisig"
#define KMV_BAG_TSQ "tagmanifest-sha256.txt.tsq"
#define KMV_BAG_TSR "tagmanifest-sha256.txt.tsr"
#define KMV_BAG_PUB "kmvault-signing.pub"
#define KMV_BAG_TAGMANIFEST "tagmanifest-sha256.txt"

struct kmv_bag_file {
	char *path;
	unsigned char *data;
	size_t len;
};

typedef struct kmv_bag {
	struct kmv_bag_file *files;
	size_t count;
	size_t alloc;
} kmv_bag;

#define KMV_BAG_INIT       \
	{                  \
		NULL, 0, 0 \
	}

/* Copy a file into the bag (replaces a file of the same path). */
int kmv_bag__add(kmv_bag *bag, const char *path, const void *data, size_t len);
const struct kmv_bag_file *kmv_bag__find(const kmv_bag *bag, const char *path);
void kmv_bag__dispose(kmv_bag *bag);

typedef struct kmv_bag_info {
	const char *bagging_date; /* YYYY-MM-DD */
	const char *external_description;
	const char *external_identifier;
} kmv_bag_info;

/* Add bagit.txt, bag-info.txt, manifest-sha256/512.txt and the tag manifest
 * (covering every non-payload file added so far except signatures). */
int kmv_bag__finalize(kmv_bag *bag, const kmv_bag_info *info);

/* Write as .zip or .tar.gz/.tgz (by the name) under directory `root`,
 * 0600, never replacing an existing file unless `replace`. */
int kmv_bag__write_archive(const kmv_bag *bag, const char *root,
			   const char *path, bool replace);

/* The same, in the format `name` asks for, into the new file `tmp`. */
int kmv_bag__write_archive_to(const kmv_bag *bag, const char *root,
			      const char *name, const char *tmp);

/* Read an archive; a single top-level directory is stripped and its name
 * returned in root_out (may be NULL).  KMV_ECORRUPT for unsafe entries. */
int kmv_bag__read_archive(kmv_bag *bag, kmv_buf *root_out, const char *path);

/* BagIt validation + minisign signature; see kmv_evidence_verify. */
int kmv_bag__verify(const kmv_bag *bag, kmv_evidence_verify_result *res,
		    const char *pubkey_text, const char *tsa_ca);

/* ---- minisign (minisign.c) ---- */

#define KMV_KEYNUM_BYTES 8

/* Full signature file for `msg` in the prehashed ED format. */
int kmv_minisign__sign(kmv_buf *out, const unsigned char *sk,
		       const unsigned char keynum[KMV_KEYNUM_BYTES],
		       const void *msg, size_t len,
		       const char *trusted_comment);

/* The two-line public key file. */
int kmv_minisign__pubkey_text(kmv_buf *out, const unsigned char pk[32],
			      const unsigned char keynum[KMV_KEYNUM_BYTES]);

/* Parse a public key file's text or the bare base64 line. KMV_EINPUT. */
int kmv_minisign__pubkey_parse(unsigned char pk[32],
			       unsigned char keynum[KMV_KEYNUM_BYTES],
			       const char *text);

/* Verify a signature file's text; fills the trusted comment. KMV_ECORRUPT. */
int kmv_minisign__verify(kmv_buf *trusted_comment_out, const char *sig_text,
			 const unsigned char pk[32],
			 const unsigned char keynum[KMV_KEYNUM_BYTES],
			 const void *msg, size_t len);

/* "0123456789ABCDEF": the key id as minisign prints it (LE u64). */
void kmv_minisign__key_id(char out[17],
			  const unsigned char keynum[KMV_KEYNUM_BYTES]);

/* The vault's key pair; the secret key is sodium_malloc'd (sodium_free it). */
int kmv_signing__load(kmv_vault *vault, bool create, bool *created_out,
		      unsigned char pk[32],
		      unsigned char keynum[KMV_KEYNUM_BYTES],
		      unsigned char **sk_out);

/* ---- RFC 3161 (tsa.c) ---- */

/* A DER TimeStampReq for SHA-256(data): random nonce, certificate requested. */
int kmv_tsa__query(kmv_buf *out, const void *data, size_t len);

/*
 * Check a DER TimeStampResp against the DER query and the data: granted,
 * imprint = SHA-256(data) = the query's, nonce equal, token signature
 * valid (chain too when ca_file).  KMV_EINPUT for anything wrong (the
 * detail says what).  gen_time_out may be NULL.
 */
int kmv_tsa__check(kmv_buf *gen_time_out, const void *tsq, size_t qlen,
		   const void *tsr, size_t rlen, const void *data, size_t len,
		   const char *ca_file);

/* ---- attachments (attach.c) ---- */

/* The target of ORDER_NO|CASE_ID: the case id, or the order's record ids. */
typedef struct kmv_evidence_target {
	int64_t case_id;   /* 0 for an order */
	char *order_no;    /* the order number as given, NULL for a case */
	int64_t record_id; /* the order record attachments hang on */
} kmv_evidence_target;

int kmv_evidence__resolve(kmv_evidence_target *out, kmv_vault *vault,
			  const char *target);
void kmv_evidence__target_dispose(kmv_evidence_target *t);

#endif
