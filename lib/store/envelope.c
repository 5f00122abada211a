/* SPDX-License-Identifier: MIT */
#include "common.h"

#include "kmv/i18n.h"
#include "store/envelope.h"
#include "core/sanitizer.h"

#include <sqlite3.h>
#include <sys/mman.h>
#include <unistd.h>

/* Limits applied before running a KDF named by an unauthenticated header. */
#define MAX_OPSLIMIT 64
#define MAX_MEMLIMIT ((uint64_t)4 << 30)

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static uint32_t get32(const uint8_t *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}
static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void kmv_env__fixed_part(uint8_t out[KMV_ENV_FIXED_LEN],
			 const struct kmv_env_header *h)
{
	memset(out, 0, KMV_ENV_FIXED_LEN);
	memcpy(out, KMV_ENV_MAGIC, 8);
	put16(out + 8, h->major);
	put16(out + 10, h->minor);
	put32(out + 12, h->header_len);
	put64(out + 16, h->generation);
	put32(out + 24, h->chunk);
	put32(out + 28, h->flags);
	memcpy(out + 32, h->vault_id, 16);
	out[48] = h->nslots;
	/* 49..55: minor 1 the payload's length (56 bits), minor 0 zero */
	for (int i = 0; i < 7; i++)
		out[49 + i] = (uint8_t)(h->payload_len >> (8 * i));
}

/* The first 40 bytes of a slot: what its AD covers besides the vault. */
static void slot_params(uint8_t out[40], const struct kmv_env_slot *s)
{
	memset(out, 0, 40);
	out[0] = s->type;
	out[1] = s->kdf;
	put64(out + 8, s->opslimit);
	put64(out + 16, s->memlimit);
	memcpy(out + 24, s->salt, 16);
}

static void slot_ad(uint8_t out[68], const struct kmv_env_header *h,
		    const struct kmv_env_slot *s)
{
	memcpy(out, KMV_ENV_MAGIC, 8);
	put16(out + 8, h->major);
	put16(out + 10, 0);
	memcpy(out + 12, h->vault_id, 16);
	slot_params(out + 28, s);
}

int kmv_env__header_encode(kmv_buf *out, const struct kmv_env_header *h)
{
	uint8_t fixed[KMV_ENV_FIXED_LEN], sum[KMV_ENV_CHECKSUM_LEN];
	size_t start = out->size;
	int error;

	kmv_env__fixed_part(fixed, h);
	if ((error = kmv_buf_put(out, fixed, sizeof(fixed))) < 0)
		return error;
	for (unsigned i = 0; i < h->nslots; i++) {
		uint8_t slot[KMV_ENV_SLOT_LEN];
		const struct kmv_env_slot *s = &h->slots[i];

		slot_params(slot, s);
		memcpy(slot + 40, s->nonce, 24);
		memcpy(slot + 64, s->wrapped, sizeof(s->wrapped));
		if ((error = kmv_buf_put(out, slot, sizeof(slot))) < 0)
			return error;
	}
	crypto_generichash(sum, sizeof(sum), (const uint8_t *)out->ptr + start,
			   out->size - start, NULL, 0);
	return kmv_buf_put(out, sum, sizeof(sum));
}

static int corrupt(const char *path, const char *what)
{
	kmv_error_set(KMV_ERROR_VAULT, "vault '%s' is corrupt: %s", path, what);
	return KMV_ECORRUPT;
}

int kmv_env__header_decode(struct kmv_env_header *h, const uint8_t *d,
			   size_t len, const char *path)
{
	uint8_t sum[KMV_ENV_CHECKSUM_LEN];
	size_t expect;

	memset(h, 0, sizeof(*h));
	if (memcmp(d, KMV_ENV_MAGIC, len < 8 ? len : 8) != 0)
		return corrupt(path, "not a kmvault file (bad magic)");
	if (len < 8)
		return corrupt(path, "file too short");
	if (len < KMV_ENV_FIXED_LEN + KMV_ENV_CHECKSUM_LEN)
		return corrupt(path, "truncated header");
	h->major = get16(d + 8);
	h->minor = get16(d + 10);
	h->header_len = get32(d + 12);
	h->generation = get64(d + 16);
	h->chunk = get32(d + 24);
	h->flags = get32(d + 28);
	memcpy(h->vault_id, d + 32, 16);
	h->nslots = d[48];
	if (h->nslots == 0 || h->nslots > KMV_ENV_MAX_SLOTS)
		return corrupt(path, "bad header (keyslot count)");
	expect = KMV_ENV_FIXED_LEN + (size_t)h->nslots * KMV_ENV_SLOT_LEN +
		 KMV_ENV_CHECKSUM_LEN;
	if (h->header_len != expect)
		return corrupt(path, "bad header (length)");
	if (len < expect)
		return corrupt(path, "truncated header");
	crypto_generichash(sum, sizeof(sum), d, expect - KMV_ENV_CHECKSUM_LEN,
			   NULL, 0);
	if (sodium_memcmp(sum, d + expect - KMV_ENV_CHECKSUM_LEN,
			  sizeof(sum)) != 0)
		return corrupt(path, "header checksum mismatch");
	if (h->major != KMV_ENV_VERSION_MAJOR) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault '%s' has format version %u, this kmvault "
			      "reads version %u",
			      path, h->major, KMV_ENV_VERSION_MAJOR);
		return KMV_ECORRUPT;
	}
	if (h->minor > KMV_ENV_VERSION_MINOR) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault '%s' has format version %u.%u, newer than "
			      "this kmvault (%u.%u): upgrade kmvault",
			      path, h->major, h->minor, KMV_ENV_VERSION_MAJOR,
			      KMV_ENV_VERSION_MINOR);
		return KMV_ECORRUPT;
	}
	for (int i = KMV_ENV_FIXED_LEN - 1; i >= 49; i--)
		h->payload_len = h->payload_len << 8 | d[i];
	if (h->minor == 0 ? h->payload_len != 0
			  : h->payload_len < KMV_ENV_MIN_PAYLOAD)
		return corrupt(path, "bad header (payload length)");
	if (h->chunk < 4096 || h->chunk > (1u << 24))
		return corrupt(path, "bad header (chunk size)");
	for (unsigned i = 0; i < h->nslots; i++) {
		const uint8_t *p = d + KMV_ENV_FIXED_LEN + i * KMV_ENV_SLOT_LEN;
		struct kmv_env_slot *s = &h->slots[i];

		s->type = p[0];
		s->kdf = p[1];
		s->opslimit = get64(p + 8);
		s->memlimit = get64(p + 16);
		memcpy(s->salt, p + 24, 16);
		memcpy(s->nonce, p + 40, 24);
		memcpy(s->wrapped, p + 64, sizeof(s->wrapped));
	}
	return 0;
}

static int wrap(struct kmv_env_slot *slot, const struct kmv_env_header *h,
		const uint8_t *kek, const uint8_t *data_key)
{
	uint8_t ad[68];

	randombytes_buf(slot->nonce, sizeof(slot->nonce));
	slot_ad(ad, h, slot);
	crypto_aead_xchacha20poly1305_ietf_encrypt(slot->wrapped, NULL,
						   data_key, KMV_ENV_KEY_LEN,
						   ad, sizeof(ad), NULL,
						   slot->nonce, kek);
	return 0;
}

static int derive_passphrase(uint8_t *kek, const struct kmv_env_slot *slot,
			     const kmv_secret *passphrase)
{
	if (crypto_pwhash(kek, KMV_ENV_KEY_LEN,
			  (const char *)kmv_secret_data(passphrase),
			  kmv_secret_len(passphrase), slot->salt,
			  slot->opslimit, (size_t)slot->memlimit,
			  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		kmv_error_set(KMV_ERROR_CRYPTO,
			      "key derivation failed (out of memory?)");
		return KMV_ERROR;
	}
	return 0;
}

/* Recovery keys carry 160 random bits: a keyed hash is enough of a KDF. */
static void derive_recovery(uint8_t *kek, const struct kmv_env_slot *slot,
			    const uint8_t *recovery)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, recovery, KMV_ENV_RECOVERY_LEN,
				KMV_ENV_KEY_LEN);
	crypto_generichash_update(&st, (const uint8_t *)"kmvault-recovery-v1",
				  19);
	crypto_generichash_update(&st, slot->salt, sizeof(slot->salt));
	crypto_generichash_final(&st, kek, KMV_ENV_KEY_LEN);
	sodium_memzero(&st, sizeof(st));
}

int kmv_env__slot_wrap_passphrase(struct kmv_env_slot *slot,
				  const struct kmv_env_header *h,
				  const uint8_t *data_key,
				  const kmv_secret *passphrase,
				  kmv_kdf_preset preset)
{
	uint8_t *kek = sodium_malloc(KMV_ENV_KEY_LEN);
	int error;

	if (!kek)
		return kmv_error_nomem();
	memset(slot, 0, sizeof(*slot));
	slot->type = KMV_SLOT_PASSPHRASE;
	slot->kdf = KMV_KDF_ID_ARGON2ID13;
	switch (preset) {
	case KMV_KDF_INTERACTIVE:
		slot->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		slot->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	case KMV_KDF_SENSITIVE:
		slot->opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
		slot->memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
		break;
	default:
		slot->opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
		slot->memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
	}
	randombytes_buf(slot->salt, sizeof(slot->salt));
	error = derive_passphrase(kek, slot, passphrase);
	if (error == 0)
		error = wrap(slot, h, kek, data_key);
	sodium_free(kek);
	return error;
}

int kmv_env__slot_wrap_recovery(struct kmv_env_slot *slot,
				const struct kmv_env_header *h,
				const uint8_t *data_key,
				const uint8_t recovery[KMV_ENV_RECOVERY_LEN])
{
	uint8_t *kek = sodium_malloc(KMV_ENV_KEY_LEN);
	int error;

	if (!kek)
		return kmv_error_nomem();
	memset(slot, 0, sizeof(*slot));
	slot->type = KMV_SLOT_RECOVERY;
	slot->kdf = KMV_KDF_ID_BLAKE2B;
	randombytes_buf(slot->salt, sizeof(slot->salt));
	derive_recovery(kek, slot, recovery);
	error = wrap(slot, h, kek, data_key);
	sodium_free(kek);
	return error;
}

static bool allow_expensive_kdf;

void kmv_vault_allow_expensive_kdf(bool allow)
{
	allow_expensive_kdf = allow;
}

/*
 * An Argon2id slot's parameters, checked before the KDF runs: the header
 * is not authenticated before then, and a forged one could make every try
 * cost minutes and gigabytes.  Nothing kmvault makes asks for more than
 * the 'sensitive' preset.
 */
static int check_kdf_limits(const struct kmv_env_slot *s)
{
	if (s->opslimit < 1 || s->opslimit > MAX_OPSLIMIT ||
	    s->memlimit < 8192 || s->memlimit > MAX_MEMLIMIT) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault is corrupt: KDF parameters out of range");
		return KMV_ECORRUPT;
	}
	if (!allow_expensive_kdf &&
	    (s->opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
	     s->memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE)) {
		kmv_error_set(
			KMV_ERROR_VAULT,
			"vault header asks for a key derivation "
			"of %llu MiB x %llu passes, above the "
			"'sensitive' preset (%llu MiB x %llu): "
			"refused as likely forged; give "
			"--allow-expensive-kdf if it is yours",
			(unsigned long long)(s->memlimit >> 20),
			(unsigned long long)s->opslimit,
			(unsigned long long)(crypto_pwhash_MEMLIMIT_SENSITIVE >>
					     20),
			(unsigned long long)crypto_pwhash_OPSLIMIT_SENSITIVE);
		return KMV_ECORRUPT;
	}
	return 0;
}

/*
 * Try one slot: derive its key-encryption key and open the wrapped data
 * key.  0 opened, KMV_EAUTH not this secret, 1 a slot this kind of secret
 * cannot open, else an error.
 */
static int try_slot(uint8_t *data_key, uint8_t *kek,
		    const struct kmv_env_header *h,
		    const struct kmv_env_slot *s, kmv_unlock_kind kind,
		    const kmv_secret *secret, const uint8_t *recovery)
{
	uint8_t ad[68];
	int error;

	if (s->kdf == KMV_KDF_ID_ARGON2ID13) {
		if ((error = check_kdf_limits(s)) < 0 ||
		    (error = derive_passphrase(kek, s, secret)) < 0)
			return error;
	} else if (s->kdf == KMV_KDF_ID_BLAKE2B &&
		   kind == KMV_UNLOCK_RECOVERY) {
		derive_recovery(kek, s, recovery);
	} else {
		return 1;
	}
	slot_ad(ad, h, s);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    data_key, NULL, NULL, s->wrapped, sizeof(s->wrapped), ad,
		    sizeof(ad), s->nonce, kek) == 0)
		return 0;
	return KMV_EAUTH;
}

int kmv_env__unwrap(uint8_t *data_key, const struct kmv_env_header *h,
		    kmv_unlock_kind kind, const kmv_secret *secret)
{
	uint8_t slot_type = kind == KMV_UNLOCK_RECOVERY ? KMV_SLOT_RECOVERY
							: KMV_SLOT_PASSPHRASE;
	uint8_t *kek = sodium_malloc(KMV_ENV_KEY_LEN);
	uint8_t recovery[KMV_ENV_RECOVERY_LEN];
	bool found = false;
	int error = 0;

	if (!kek)
		return kmv_error_nomem();
	if (kind == KMV_UNLOCK_RECOVERY)
		KMV_TRY(kmv_env__recovery_parse(
			recovery, (const char *)kmv_secret_data(secret)));
	for (unsigned i = 0; i < h->nslots; i++) {
		if (h->slots[i].type != slot_type)
			continue;
		found = true;
		error = try_slot(data_key, kek, h, &h->slots[i], kind, secret,
				 recovery);
		if (error == 0 || (error < 0 && error != KMV_EAUTH))
			goto done;
	}
	if (!found)
		kmv_error_set(KMV_ERROR_VAULT, "%s",
			      kind == KMV_UNLOCK_RECOVERY
				      ? _("vault has no recovery-key keyslot")
				      : _("vault has no passphrase keyslot"));
	else
		kmv_error_set(KMV_ERROR_CRYPTO, "%s",
			      kind == KMV_UNLOCK_RECOVERY
				      ? _("wrong recovery key")
				      : _("wrong passphrase"));
	error = found ? KMV_EAUTH : KMV_ECORRUPT;
done:
	sodium_memzero(recovery, sizeof(recovery));
	sodium_free(kek);
	return error;
}

/* Crockford base32: no I, L, O, U; readers fold those to 1, 1, 0. */
static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void recovery_check(uint8_t out[3],
			   const uint8_t key[KMV_ENV_RECOVERY_LEN])
{
	crypto_generichash(out, 3, key, KMV_ENV_RECOVERY_LEN,
			   (const uint8_t *)"kmvault-rk", 10);
}

void kmv_env__recovery_format(char out[KMV_RECOVERY_KEY_BUFSZ],
			      const uint8_t key[KMV_ENV_RECOVERY_LEN])
{
	uint8_t bytes[KMV_ENV_RECOVERY_LEN + 3];
	char digits[40];
	unsigned bits = 0, nbits = 0, nd = 0;
	size_t o = 0;

	memcpy(bytes, key, KMV_ENV_RECOVERY_LEN);
	recovery_check(bytes + KMV_ENV_RECOVERY_LEN, key);
	/* 160 key bits + 20 checksum bits = 36 digits. */
	for (size_t i = 0; i < sizeof(bytes) && nd < 36; i++) {
		bits = (bits << 8) | bytes[i];
		nbits += 8;
		while (nbits >= 5 && nd < 36) {
			digits[nd++] = b32[(bits >> (nbits - 5)) & 31];
			nbits -= 5;
		}
	}
	for (unsigned i = 0; i < 36; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	sodium_memzero(bytes, sizeof(bytes));
	sodium_memzero(digits, sizeof(digits));
}

int kmv_env__recovery_parse(uint8_t key[KMV_ENV_RECOVERY_LEN], const char *text)
{
	uint8_t bytes[KMV_ENV_RECOVERY_LEN + 3] = { 0 }, check[3];
	unsigned bits = 0, nbits = 0, nd = 0;
	size_t o = 0;
	int error = 0;

	for (const char *p = text; *p; p++) {
		int c = *p, v;
		const char *hit;

		if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 32;
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		hit = c ? strchr(b32, c) : NULL;
		if (!hit || nd >= 36) {
			error = KMV_EAUTH;
			break;
		}
		v = (int)(hit - b32);
		nd++;
		bits = (bits << 5) | (unsigned)v;
		nbits += 5;
		if (nbits >= 8) {
			bytes[o++] = (uint8_t)(bits >> (nbits - 8));
			nbits -= 8;
		}
	}
	if (error == 0 && nd != 36)
		error = KMV_EAUTH;
	if (error == 0) {
		/* 36 digits = 180 bits: 22 full bytes + 4 bits of the 23rd. */
		bytes[o] = (uint8_t)(bits << (8 - nbits));
		recovery_check(check, bytes);
		check[2] &= 0xF0;
		if (sodium_memcmp(check, bytes + KMV_ENV_RECOVERY_LEN, 3) != 0)
			error = KMV_EAUTH;
	}
	if (error < 0)
		kmv_error_set(KMV_ERROR_CRYPTO,
			      "recovery key is mistyped (expected 36 characters "
			      "with a valid checksum group)");
	else
		memcpy(key, bytes, KMV_ENV_RECOVERY_LEN);
	sodium_memzero(bytes, sizeof(bytes));
	return error;
}

/*
 * Every byte of the decryption buffer is about to be written: fault its
 * pages in with one call (Linux 5.14+) rather than one fault per 4 KiB in
 * the middle of the cipher, about a tenth of opening a large vault.
 * Best effort: older kernels refuse the advice and nothing changes.
 */
static void prefault(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t e = ((uintptr_t)p + len) & ~(page - 1);

	if (len >= ((size_t)1 << 20) && e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)len;
#endif
}

size_t kmv_env__plain_capacity(size_t chunk, size_t payload_len)
{
	size_t hdr = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
	size_t abytes = crypto_secretstream_xchacha20poly1305_ABYTES;
	size_t cchunk = chunk + abytes, body, tail;

	if (payload_len <= hdr)
		return 0;
	/*
	 * Whole chunks carry `chunk` bytes each; the tail carries what it has
	 * beyond its tag, and nothing when it is no longer than a tag (such a
	 * tail is damage: its pull fails).  Subtracting one tag per started
	 * chunk instead undercounts a tail of 1..ABYTES bytes, and the last
	 * whole chunk then decrypts past the end of the buffer.
	 */
	body = payload_len - hdr;
	tail = body % cchunk;
	return body / cchunk * chunk + (tail > abytes ? tail - abytes : 0);
}

/*
 * The plaintext buffer.  libsodium writes into it, and it is not built
 * with ASan, so a sanitizer cannot see those writes.  In ASan builds the
 * buffer is a malloc of exactly `cap` bytes and every range is touched by
 * an instrumented memset just before libsodium writes it (decrypt_room):
 * a sizing error is then a heap-buffer-overflow report, not silent heap
 * damage.  The buffer is copied to SQLite's allocator at the end, in
 * those builds only.
 */
#ifdef KMV_UNDER_ASAN
static uint8_t *plain_alloc(size_t cap)
{
	return malloc(cap ? cap : 1);
}

static void plain_free(uint8_t *p, size_t cap)
{
	sodium_memzero(p, cap);
	free(p);
}

static uint8_t *plain_hand_over(uint8_t *p, size_t len, size_t cap)
{
	uint8_t *q = sqlite3_malloc64(len ? len : 1);

	if (q)
		memcpy(q, p, len);
	plain_free(p, cap);
	return q;
}
#else
static uint8_t *plain_alloc(size_t cap)
{
	return sqlite3_malloc64(cap ? cap : 1);
}

static void plain_free(uint8_t *p, size_t cap)
{
	sodium_memzero(p, cap);
	sqlite3_free(p);
}

static uint8_t *plain_hand_over(uint8_t *p, size_t len, size_t cap)
{
	(void)len;
	(void)cap;
	return p;
}
#endif

/* Is there room for `n` more plaintext bytes at `out`? (see plain_alloc) */
static bool decrypt_room(uint8_t *plain, size_t out, size_t n, size_t cap)
{
	if (n > cap || out > cap - n)
		return false;
#ifdef KMV_UNDER_ASAN
	memset(plain + out, 0, n);
#else
	(void)plain;
#endif
	return true;
}

uint64_t kmv_env__payload_len(size_t chunk, size_t plain_len)
{
	size_t chunks = plain_len ? (plain_len + chunk - 1) / chunk : 1;

	return crypto_secretstream_xchacha20poly1305_HEADERBYTES +
	       (uint64_t)plain_len +
	       (uint64_t)chunks * crypto_secretstream_xchacha20poly1305_ABYTES;
}

int kmv_env__payload_end(size_t *end, const struct kmv_env_header *h,
			 size_t file_size, const char *path)
{
	if (h->minor == 0) {
		*end = file_size;
		return 0;
	}
	if (h->header_len > file_size ||
	    h->payload_len > file_size - h->header_len)
		return corrupt(path, "truncated payload");
	*end = h->header_len + (size_t)h->payload_len;
	return 0;
}

int kmv_env__decrypt(uint8_t **plain_out, size_t *plain_len,
		     const struct kmv_env_header *h, const uint8_t *data_key,
		     const uint8_t *payload, size_t len, const char *path)
{
	crypto_secretstream_xchacha20poly1305_state st;
	uint8_t ad[KMV_ENV_FIXED_LEN];
	size_t hdr = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
	size_t abytes = crypto_secretstream_xchacha20poly1305_ABYTES;
	size_t cchunk = (size_t)h->chunk + abytes, cap, off, out = 0;
	uint8_t *plain = NULL;
	unsigned char tag = 0;
	int error = 0;

	*plain_out = NULL;
	*plain_len = 0;
	if (len < hdr + abytes + 1)
		return corrupt(path, "truncated payload");
	cap = kmv_env__plain_capacity(h->chunk, len);
	plain = plain_alloc(cap);
	if (!plain)
		return kmv_error_nomem();
	prefault(plain, cap);
	kmv_env__fixed_part(ad, h);
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, payload,
							    data_key) != 0) {
		error = corrupt(path, "bad payload header");
		goto done;
	}
	for (off = hdr; off < len;) {
		size_t clen = len - off < cchunk ? len - off : cchunk;
		unsigned long long mlen = 0;

		if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
			error = corrupt(path,
					"trailing bytes after the final chunk");
			goto done;
		}
		if (clen <= abytes ||
		    !decrypt_room(plain, out, clen - abytes, cap) ||
		    crypto_secretstream_xchacha20poly1305_pull(
			    &st, plain + out, &mlen, &tag, payload + off, clen,
			    ad, sizeof(ad)) != 0) {
			kmv_error_set(KMV_ERROR_VAULT,
				      "vault '%s' is corrupt: payload chunk %zu "
				      "failed authentication",
				      path, (off - hdr) / cchunk);
			error = KMV_ECORRUPT;
			goto done;
		}
		out += (size_t)mlen;
		off += clen;
	}
	if (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		error = corrupt(path, "truncated (no final chunk)");
		goto done;
	}
	*plain_out = plain_hand_over(plain, out, cap);
	plain = NULL;
	if (!*plain_out) {
		error = kmv_error_nomem();
		goto done;
	}
	*plain_len = out;
done:
	if (plain)
		plain_free(plain, cap);
	sodium_memzero(&st, sizeof(st));
	return error;
}

int kmv_env__encrypt(const struct kmv_env_header *h, const uint8_t *data_key,
		     const uint8_t *plain, size_t plain_len,
		     kmv_env_write_fn write, void *payload, uint8_t *stream_out)
{
	crypto_secretstream_xchacha20poly1305_state st;
	uint8_t header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	uint8_t ad[KMV_ENV_FIXED_LEN];
	uint8_t *cbuf = malloc((size_t)h->chunk +
			       crypto_secretstream_xchacha20poly1305_ABYTES);
	size_t off = 0;
	int error;

	if (!cbuf)
		return kmv_error_nomem();
	kmv_env__fixed_part(ad, h);
	crypto_secretstream_xchacha20poly1305_init_push(&st, header, data_key);
	if (stream_out)
		memcpy(stream_out, header, sizeof(header));
	error = write(header, sizeof(header), payload);
	while (error == 0) {
		size_t n = plain_len - off < h->chunk ? plain_len - off
						      : h->chunk;
		bool last = off + n >= plain_len;
		unsigned long long clen = 0;

		crypto_secretstream_xchacha20poly1305_push(
			&st, cbuf, &clen, plain + off, n, ad, sizeof(ad),
			last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
			     : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
		error = write(cbuf, (size_t)clen, payload);
		off += n;
		if (last)
			break;
	}
	sodium_memzero(&st, sizeof(st));
	free(cbuf);
	return error;
}
