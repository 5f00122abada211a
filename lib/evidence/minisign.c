/* SPDX-License-Identifier: MIT */
/*
 * minisign-compatible signatures (docs/evidence.md; format per jedisct1/
 * minisign, summarised in anchors.md 3.2), made with libsodium.
 *
 * Only what a verifier needs leaves the vault: the .pub file and .minisig
 * files.  The secret key lives in the vault's settings table (inside the
 * encrypted database) and is copied into sodium_malloc memory while used.
 * Signatures use the prehashed `ED` algorithm: Ed25519 over BLAKE2b-512
 * of the file, then a global signature over (signature || trusted comment).
 */
#include "common.h"
#include "evidence/bag.h"
#include "store/vault.h"
#include "store/db.h"

#include <sodium.h>

#define SK_SETTING "evidence.signing.secret_key"
#define KEYNUM_SETTING "evidence.signing.keynum"

void kmv_minisign__key_id(char out[17],
			  const unsigned char keynum[KMV_KEYNUM_BYTES])
{
	for (int i = 0; i < KMV_KEYNUM_BYTES; i++)
		snprintf(out + 2 * i, 3, "%02X",
			 keynum[KMV_KEYNUM_BYTES - 1 - i]);
}

static int put_b64(kmv_buf *out, const unsigned char *bin, size_t len)
{
	size_t n = sodium_base64_encoded_len(len,
					     sodium_base64_VARIANT_ORIGINAL);
	int error = kmv_buf_grow(out, n);

	if (error < 0)
		return error;
	sodium_bin2base64(out->ptr + out->size, n, bin, len,
			  sodium_base64_VARIANT_ORIGINAL);
	out->size += n - 1;
	return 0;
}

static int b64_decode(unsigned char *bin, size_t maxlen, size_t *len,
		      const char *b64, size_t b64len)
{
	const char *end = NULL;

	if (sodium_base642bin(bin, maxlen, b64, b64len, NULL, len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + b64len)
		return -1;
	return 0;
}

int kmv_minisign__pubkey_text(kmv_buf *out, const unsigned char pk[32],
			      const unsigned char keynum[KMV_KEYNUM_BYTES])
{
	unsigned char raw[2 + KMV_KEYNUM_BYTES + 32];
	char id[17];
	int error = 0;

	raw[0] = 'E';
	raw[1] = 'd';
	memcpy(raw + 2, keynum, KMV_KEYNUM_BYTES);
	memcpy(raw + 2 + KMV_KEYNUM_BYTES, pk, 32);
	kmv_minisign__key_id(id, keynum);
	KMV_TRY(kmv_buf_printf(out,
			       "untrusted comment: minisign public key %s\n",
			       id));
	KMV_TRY(put_b64(out, raw, sizeof(raw)));
	KMV_TRY(kmv_buf_putc(out, '\n'));
done:
	return error;
}

/* The n-th line (0-based) without its \n and one trailing \r. */
static bool nth_line(const char *text, int n, const char **start, size_t *len)
{
	const char *p = text;

	for (int i = 0; i < n; i++) {
		p = strchr(p, '\n');
		if (!p)
			return false;
		p++;
	}
	if (!*p)
		return false;
	*start = p;
	*len = strcspn(p, "\n");
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	return true;
}

int kmv_minisign__pubkey_parse(unsigned char pk[32],
			       unsigned char keynum[KMV_KEYNUM_BYTES],
			       const char *text)
{
	unsigned char raw[2 + KMV_KEYNUM_BYTES + 32];
	const char *line;
	size_t len, rawlen;

	if (!text)
		goto bad;
	if (strncmp(text, "untrusted comment:", 18) == 0) {
		if (!nth_line(text, 1, &line, &len))
			goto bad;
	} else {
		line = text;
		len = strcspn(text, "\r\n");
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (b64_decode(raw, sizeof(raw), &rawlen, line, len) < 0 ||
	    rawlen != sizeof(raw) || raw[0] != 'E' || raw[1] != 'd')
		goto bad;
	memcpy(keynum, raw + 2, KMV_KEYNUM_BYTES);
	memcpy(pk, raw + 2 + KMV_KEYNUM_BYTES, 32);
	return 0;
bad:
	kmv_error_set(KMV_ERROR_INPUT, "not a minisign public key");
	return KMV_EINPUT;
}

int kmv_minisign__sign(kmv_buf *out, const unsigned char *sk,
		       const unsigned char keynum[KMV_KEYNUM_BYTES],
		       const void *msg, size_t len, const char *trusted_comment)
{
	unsigned char hash[crypto_generichash_BYTES_MAX];
	unsigned char sigblock[2 + KMV_KEYNUM_BYTES + crypto_sign_BYTES];
	unsigned char global[crypto_sign_BYTES];
	kmv_buf signed_part = KMV_BUF_INIT;
	int error = 0;

	if (strchr(trusted_comment, '\n') || strchr(trusted_comment, '\r')) {
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "trusted comment has a line break");
		return KMV_ERROR;
	}
	crypto_generichash(hash, sizeof(hash), msg, len, NULL, 0);
	sigblock[0] = 'E';
	sigblock[1] = 'D';
	memcpy(sigblock + 2, keynum, KMV_KEYNUM_BYTES);
	crypto_sign_detached(sigblock + 2 + KMV_KEYNUM_BYTES, NULL, hash,
			     sizeof(hash), sk);
	/* The global signature binds the trusted comment to the signature. */
	KMV_TRY(kmv_buf_put(&signed_part, sigblock + 2 + KMV_KEYNUM_BYTES,
			    crypto_sign_BYTES));
	KMV_TRY(kmv_buf_puts(&signed_part, trusted_comment));
	crypto_sign_detached(global, NULL,
			     (const unsigned char *)signed_part.ptr,
			     signed_part.size, sk);
	KMV_TRY(kmv_buf_puts(out, "untrusted comment: signature from kmvault "
				  "secret key\n"));
	KMV_TRY(put_b64(out, sigblock, sizeof(sigblock)));
	KMV_TRY(kmv_buf_printf(out, "\ntrusted comment: %s\n",
			       trusted_comment));
	KMV_TRY(put_b64(out, global, sizeof(global)));
	KMV_TRY(kmv_buf_putc(out, '\n'));
done:
	kmv_buf_dispose(&signed_part);
	return error;
}

int kmv_minisign__verify(kmv_buf *trusted_comment_out, const char *sig_text,
			 const unsigned char pk[32],
			 const unsigned char keynum[KMV_KEYNUM_BYTES],
			 const void *msg, size_t len)
{
	unsigned char sigblock[2 + KMV_KEYNUM_BYTES + crypto_sign_BYTES];
	unsigned char global[crypto_sign_BYTES];
	unsigned char hash[crypto_generichash_BYTES_MAX];
	kmv_buf signed_part = KMV_BUF_INIT;
	const char *line, *tc;
	size_t n, tclen;
	int error = 0;
	static const char tc_prefix[] = "trusted comment: ";

	if (!nth_line(sig_text, 0, &line, &n) ||
	    strncmp(line, "untrusted comment:", 18) != 0 ||
	    !nth_line(sig_text, 1, &line, &n) ||
	    b64_decode(sigblock, sizeof(sigblock), &n, line, n) < 0 ||
	    n != sizeof(sigblock) || sigblock[0] != 'E' ||
	    (sigblock[1] != 'D' && sigblock[1] != 'd') ||
	    !nth_line(sig_text, 2, &tc, &tclen) ||
	    tclen < sizeof(tc_prefix) - 1 ||
	    strncmp(tc, tc_prefix, sizeof(tc_prefix) - 1) != 0 ||
	    !nth_line(sig_text, 3, &line, &n) ||
	    b64_decode(global, sizeof(global), &n, line, n) < 0 ||
	    n != sizeof(global)) {
		kmv_error_set(KMV_ERROR_VAULT, "malformed minisign signature");
		return KMV_ECORRUPT;
	}
	if (sodium_memcmp(sigblock + 2, keynum, KMV_KEYNUM_BYTES) != 0) {
		char want[17], got[17];

		kmv_minisign__key_id(got, sigblock + 2);
		kmv_minisign__key_id(want, keynum);
		kmv_error_set(KMV_ERROR_VAULT,
			      "signed by key %s, not by key %s", got, want);
		return KMV_ECORRUPT;
	}
	if (sigblock[1] == 'D') {
		crypto_generichash(hash, sizeof(hash), msg, len, NULL, 0);
		error = crypto_sign_verify_detached(sigblock + 2 +
							    KMV_KEYNUM_BYTES,
						    hash, sizeof(hash), pk);
	} else {
		error = crypto_sign_verify_detached(sigblock + 2 +
							    KMV_KEYNUM_BYTES,
						    msg, len, pk);
	}
	if (error != 0) {
		kmv_error_set(KMV_ERROR_VAULT, "signature verification failed");
		return KMV_ECORRUPT;
	}
	tc += sizeof(tc_prefix) - 1;
	tclen -= sizeof(tc_prefix) - 1;
	KMV_TRY(kmv_buf_put(&signed_part, sigblock + 2 + KMV_KEYNUM_BYTES,
			    crypto_sign_BYTES));
	KMV_TRY(kmv_buf_put(&signed_part, tc, tclen));
	if (crypto_sign_verify_detached(global,
					(const unsigned char *)signed_part.ptr,
					signed_part.size, pk) != 0) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "comment signature verification failed");
		error = KMV_ECORRUPT;
		goto done;
	}
	if (trusted_comment_out)
		KMV_TRY(kmv_buf_put(trusted_comment_out, tc, tclen));
done:
	kmv_buf_dispose(&signed_part);
	return error;
}

/* ---- the vault's key pair -------------------------------------------- */

static int setting_get(sqlite3 *db, const char *key, unsigned char *out,
		       size_t len, bool *found)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	*found = false;
	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT value FROM settings WHERE key = ?"));
	KMV_TRY(kmv_db__bind_text(st, 1, key));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if ((size_t)sqlite3_column_bytes(st, 0) != len) {
			kmv_error_set(KMV_ERROR_VAULT,
				      "setting '%s' is damaged", key);
			error = KMV_ECORRUPT;
			goto done;
		}
		memcpy(out, sqlite3_column_blob(st, 0), len);
		*found = true;
	} else if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot read the settings");
	}
done:
	sqlite3_finalize(st);
	return error;
}

static int setting_put(sqlite3 *db, const char *key, const unsigned char *v,
		       size_t len)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(&st, db,
				"INSERT INTO settings(key, value) "
				"VALUES (?, ?)"));
	KMV_TRY(kmv_db__bind_text(st, 1, key));
	sqlite3_bind_blob(st, 2, v, (int)len, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(db, "cannot store the signing key");
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_signing__load(kmv_vault *vault, bool create, bool *created_out,
		      unsigned char pk[32],
		      unsigned char keynum[KMV_KEYNUM_BYTES],
		      unsigned char **sk_out)
{
	sqlite3 *db = kmv_vault__db(vault);
	unsigned char *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	bool have_sk = false, have_num = false;
	int error = 0;

	if (created_out)
		*created_out = false;
	if (!sk)
		return kmv_error_nomem();
	KMV_TRY(setting_get(db, SK_SETTING, sk, crypto_sign_SECRETKEYBYTES,
			    &have_sk));
	KMV_TRY(setting_get(db, KEYNUM_SETTING, keynum, KMV_KEYNUM_BYTES,
			    &have_num));
	if (!have_sk || !have_num) {
		if (!create) {
			kmv_error_set(
				KMV_ERROR_VAULT,
				"the vault has no signing "
				"key yet (it is made by 'evidence create')");
			error = KMV_ENOTFOUND;
			goto done;
		}
		if (!kmv_vault_writable(vault)) {
			kmv_error_set(KMV_ERROR_INTERNAL,
				      "a signing key can only "
				      "be made in a vault opened for writing");
			error = KMV_ERROR;
			goto done;
		}
		crypto_sign_keypair(pk, sk);
		randombytes_buf(keynum, KMV_KEYNUM_BYTES);
		KMV_TRY(setting_put(db, SK_SETTING, sk,
				    crypto_sign_SECRETKEYBYTES));
		KMV_TRY(setting_put(db, KEYNUM_SETTING, keynum,
				    KMV_KEYNUM_BYTES));
		if (created_out)
			*created_out = true;
	}
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	if (sk_out) {
		*sk_out = sk;
		sk = NULL;
	}
done:
	sodium_free(sk);
	return error;
}

int kmv_evidence_pubkey(kmv_buf *out, kmv_vault *vault, bool create,
			bool *created_out)
{
	unsigned char pk[32], keynum[KMV_KEYNUM_BYTES];
	int error;

	KMV_ASSERT_ARG(out && vault);
	error = kmv_signing__load(vault, create, created_out, pk, keynum, NULL);
	if (error < 0)
		return error;
	return kmv_minisign__pubkey_text(out, pk, keynum);
}
