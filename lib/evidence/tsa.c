/* SPDX-License-Identifier: MIT */
/*
 * RFC 3161 trusted timestamps through OpenSSL's TS API (no ASN.1 of our
 * own).  `evidence create` writes a query over SHA-256 of the tag
 * manifest; any TSA answers it; `evidence stamp` and `evidence verify`
 * check the reply against that query and the tag manifest.
 *
 * Without a CA file the token's CMS signature is still checked against
 * the signer certificate the TSA embedded (we ask for it with certReq),
 * which proves the reply was not altered; only with --tsa-ca is the
 * TSA's identity checked through its certificate chain.
 */
#include "common.h"
#include "evidence/bag.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "kmvutil/hash.h"

static int ssl_error(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256] = "";

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	kmv_error_set(KMV_ERROR_CRYPTO, "%s%s%s", what, *buf ? ": " : "", buf);
	return KMV_EINPUT;
}

int kmv_tsa__query(kmv_buf *out, const void *data, size_t len)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new();
	X509_ALGOR *algo = X509_ALGOR_new();
	ASN1_INTEGER *nonce = NULL;
	BIGNUM *bn = BN_new();
	unsigned char digest[32], *der = NULL;
	int derlen, error = 0;

	if (!req || !imprint || !algo || !bn) {
		error = kmv_error_nomem();
		goto done;
	}
	kmv_sha256(digest, data, len);
	if (!X509_ALGOR_set0(algo, OBJ_nid2obj(NID_sha256), V_ASN1_NULL,
			     NULL) ||
	    !TS_MSG_IMPRINT_set_algo(imprint, algo) ||
	    !TS_MSG_IMPRINT_set_msg(imprint, digest, sizeof(digest)) ||
	    !TS_REQ_set_version(req, 1) ||
	    !TS_REQ_set_msg_imprint(req, imprint) ||
	    !BN_rand(bn, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
	    !(nonce = BN_to_ASN1_INTEGER(bn, NULL)) ||
	    !TS_REQ_set_nonce(req, nonce) || !TS_REQ_set_cert_req(req, 1)) {
		ssl_error(
			"cannot build the timestamp query"); /* ours, not the input's */
		error = KMV_ERROR;
		goto done;
	}
	derlen = i2d_TS_REQ(req, &der);
	if (derlen <= 0) {
		ssl_error(
			"cannot encode the timestamp query"); /* ours, not the input's */
		error = KMV_ERROR;
		goto done;
	}
	error = kmv_buf_put(out, der, (size_t)derlen);
done:
	OPENSSL_free(der);
	BN_free(bn);
	ASN1_INTEGER_free(nonce);
	X509_ALGOR_free(algo);
	TS_MSG_IMPRINT_free(imprint);
	TS_REQ_free(req);
	return error;
}

static int gen_time(kmv_buf *out, TS_RESP *resp)
{
	TS_TST_INFO *info = TS_RESP_get_tst_info(resp);
	const ASN1_GENERALIZEDTIME *t = info ? TS_TST_INFO_get_time(info)
					     : NULL;
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return ssl_error("the timestamp has no valid time");
	return kmv_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ",
			      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			      tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int kmv_tsa__check(kmv_buf *gen_time_out, const void *tsq, size_t qlen,
		   const void *tsr, size_t rlen, const void *data, size_t len,
		   const char *ca_file)
{
	const unsigned char *qp = tsq, *rp = tsr;
	TS_REQ *req = NULL;
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *ctx = NULL;
	X509_STORE *store = NULL;
	ASN1_OCTET_STRING *msg;
	unsigned char digest[32];
	int error = 0;

	if (!(req = d2i_TS_REQ(NULL, &qp, (long)qlen))) {
		error = ssl_error(
			"the timestamp query is not an RFC 3161 query");
		goto done;
	}
	if (!(resp = d2i_TS_RESP(NULL, &rp, (long)rlen))) {
		error = ssl_error("not an RFC 3161 timestamp reply");
		goto done;
	}
	/* The query must be about this very tag manifest. */
	kmv_sha256(digest, data, len);
	msg = TS_MSG_IMPRINT_get_msg(TS_REQ_get_msg_imprint(req));
	if (!msg || ASN1_STRING_length(msg) != 32 ||
	    memcmp(ASN1_STRING_get0_data(msg), digest, 32) != 0) {
		kmv_error_set(KMV_ERROR_CRYPTO, "the timestamp query is not "
						"for this tag manifest");
		error = KMV_EINPUT;
		goto done;
	}
	/* Status, version, imprint and nonce against the query. */
	if (!(ctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL))) {
		error = ssl_error("cannot set up timestamp verification");
		goto done;
	}
	/* Explicit flags: what the query can tell us, chain only with a CA. */
	TS_VERIFY_CTX_set_flags(ctx,
				TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
	if (ca_file) {
		if (!(store = X509_STORE_new()) ||
		    X509_STORE_load_file(store, ca_file) != 1) {
			error = ssl_error("cannot load the TSA CA file");
			goto done;
		}
		TS_VERIFY_CTX_set_store(ctx, store);
		store = NULL; /* owned by ctx now */
		TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE | TS_VFY_SIGNER);
	}
	if (TS_RESP_verify_response(ctx, resp) != 1) {
		error = ssl_error("the timestamp reply does not verify");
		goto done;
	}
	if (!ca_file) {
		PKCS7 *token = TS_RESP_get_token(resp);

		/* Signature only, against the embedded signer certificate. */
		if (!token || PKCS7_verify(token, NULL, NULL, NULL, NULL,
					   PKCS7_NOVERIFY) != 1) {
			error = ssl_error(
				"the timestamp token signature is invalid");
			goto done;
		}
	}
	if (gen_time_out)
		error = gen_time(gen_time_out, resp);
done:
	X509_STORE_free(store);
	TS_VERIFY_CTX_free(ctx);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	ERR_clear_error();
	return error;
}
