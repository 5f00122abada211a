/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/tail.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAIL_KDF_CONTEXT "kmvtail1"
#define TAIL_KDF_ID 1
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define STREAM_LEN crypto_secretstream_xchacha20poly1305_HEADERBYTES
/* fixed part, stream header, index, previous tag, length */
#define AD_LEN (KMV_ENV_FIXED_LEN + STREAM_LEN + 8 + KMV_TAIL_TAG + 4)

_Static_assert(KMV_TAIL_FRAME == 4 + NONCE_LEN, "frame: length, nonce");
_Static_assert(KMV_TAIL_TAG == crypto_aead_xchacha20poly1305_ietf_ABYTES,
	       "the AEAD's tag");

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* 1 read, 0 not there (the file ends first), KMV_ERROR on a read error. */
static int read_at(uint8_t *out, size_t len, const uint8_t *file, int fd,
		   size_t at, size_t size, const char *path)
{
	if (size - at < len)
		return 0;
	if (file) {
		memcpy(out, file + at, len);
		return 1;
	}
	for (;;) {
		ssize_t r = pread(fd, out, len, (off_t)at);

		if (r == (ssize_t)len)
			return 1;
		if (r < 0 && errno == EINTR)
			continue;
		if (r >= 0)
			return 0; /* shrank under us: as if not there */
		kmv_error_set_os("cannot read vault '%s'", path);
		return KMV_ERROR;
	}
}

int kmv_tail__scan(struct kmv_tail *t, const struct kmv_env_header *h,
		   const uint8_t *file, int fd, size_t size, const char *path)
{
	size_t at;
	int error;

	memset(t, 0, sizeof(*t));
	KMV_TRY(kmv_env__payload_end(&at, h, size, path));
	t->start = t->end = at;
	while (at < size) {
		uint8_t b[4];
		uint32_t n;
		int got = read_at(b, sizeof(b), file, fd, at, size, path);

		if (got < 0)
			return got;
		if (got == 0)
			break; /* a length cut short */
		n = get32(b);
		if ((n <= KMV_TAIL_TAG ||
		     n > KMV_TAIL_MAX_PLAIN + KMV_TAIL_TAG) &&
		    size - at <=
			    KMV_TAIL_FRAME + KMV_TAIL_MAX_PLAIN + KMV_TAIL_TAG)
			break; /* the last one, never written whole: cut */
		if (n <= KMV_TAIL_TAG ||
		    n > KMV_TAIL_MAX_PLAIN + KMV_TAIL_TAG) {
			kmv_error_set(KMV_ERROR_VAULT,
				      "vault '%s' is corrupt: audit tail entry "
				      "%zu has a bad length",
				      path, t->count + 1);
			return KMV_ECORRUPT;
		}
		if (size - at < KMV_TAIL_FRAME + (size_t)n)
			break; /* an entry cut short */
		if (t->count == KMV_TAIL_MAX_ENTRIES) {
			kmv_error_set(
				KMV_ERROR_VAULT,
				"vault '%s' is corrupt: its audit tail has "
				"more than %d entries",
				path, KMV_TAIL_MAX_ENTRIES);
			return KMV_ECORRUPT;
		}
		at += KMV_TAIL_FRAME + (size_t)n;
		t->end = at;
		t->count++;
		if (n > t->max_sealed)
			t->max_sealed = n;
	}
	t->size = size;
	t->torn = t->end < size;
	error = 0;
	if (t->count > 0) {
		int got = read_at(t->last_tag, KMV_TAIL_TAG, file, fd,
				  t->end - KMV_TAIL_TAG, size, path);

		if (got < 0)
			return got;
	}
done:
	return error;
}

void kmv_tail__save_id(uint8_t out[STREAM_LEN],
		       const uint8_t stream[STREAM_LEN],
		       const struct kmv_tail *t)
{
	memcpy(out, stream, STREAM_LEN);
	if (t->count > 0)
		memcpy(out + STREAM_LEN - KMV_TAIL_TAG, t->last_tag,
		       KMV_TAIL_TAG);
}

static void entry_ad(uint8_t ad[AD_LEN], const struct kmv_env_header *h,
		     const uint8_t stream[STREAM_LEN], uint64_t index,
		     const uint8_t prev_tag[KMV_TAIL_TAG], uint32_t n)
{
	uint8_t *p = ad;

	kmv_env__fixed_part(p, h);
	p += KMV_ENV_FIXED_LEN;
	memcpy(p, stream, STREAM_LEN);
	p += STREAM_LEN;
	for (int i = 0; i < 8; i++)
		*p++ = (uint8_t)(index >> (8 * i));
	memcpy(p, prev_tag, KMV_TAIL_TAG);
	p += KMV_TAIL_TAG;
	for (int i = 0; i < 4; i++)
		*p++ = (uint8_t)(n >> (8 * i));
}

static int tail_key(uint8_t **key, const uint8_t *data_key)
{
	*key = sodium_malloc(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
	if (!*key)
		return kmv_error_nomem();
	crypto_kdf_derive_from_key(*key,
				   crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
				   TAIL_KDF_ID, TAIL_KDF_CONTEXT, data_key);
	return 0;
}

/*
 * The last entry failed authentication: what a crash leaves when the
 * length reached the disk and the rest did not (or zeros did).  Leaving
 * it out is what cutting the file there would do, which the generation
 * and the mark already show; an earlier entry failing is damage.
 */
static void drop_last(struct kmv_tail *t, size_t at,
		      const uint8_t prev_tag[KMV_TAIL_TAG])
{
	t->count--;
	t->end = at;
	t->torn = true;
	memcpy(t->last_tag, prev_tag, KMV_TAIL_TAG);
}

int kmv_tail__open(struct kmv_tail *t, const struct kmv_env_header *h,
		   const uint8_t stream[STREAM_LEN], const uint8_t *data_key,
		   const uint8_t *file, const char *path, kmv_tail_each_fn each,
		   void *ctx)
{
	uint8_t ad[AD_LEN], prev[KMV_TAIL_TAG], *key = NULL, *plain = NULL;
	size_t at = t->start;
	int error = 0;

	memset(prev, 0, sizeof(prev));
	if (t->count == 0)
		return 0;
	KMV_TRY(tail_key(&key, data_key));
	if (!(plain = sodium_malloc(t->max_sealed))) {
		error = kmv_error_nomem();
		goto done;
	}
	for (size_t i = 0; i < t->count; i++) {
		/* Read again from the file, so checked again here. */
		uint32_t n = get32(file + at);
		const uint8_t *nonce = file + at + 4,
			      *sealed = nonce + NONCE_LEN;
		unsigned long long len = 0;
		bool ok;

		entry_ad(ad, h, stream, i, prev, n);
		ok = n > KMV_TAIL_TAG && n <= t->max_sealed &&
		     KMV_TAIL_FRAME + (size_t)n <= t->end - at &&
		     crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &len,
								NULL, sealed, n,
								ad, sizeof(ad),
								nonce,
								key) == 0;
		if (!ok && i + 1 == t->count) {
			drop_last(t, at, prev);
			break;
		}
		if (!ok) {
			kmv_error_set(KMV_ERROR_VAULT,
				      "vault '%s' is corrupt: audit tail entry "
				      "%zu failed authentication",
				      path, i + 1);
			error = KMV_ECORRUPT;
			goto done;
		}
		memcpy(prev, sealed + n - KMV_TAIL_TAG, KMV_TAIL_TAG);
		error = each(plain, (size_t)len, ctx);
		sodium_memzero(plain, (size_t)len);
		if (error < 0)
			goto done;
		at += KMV_TAIL_FRAME + n;
	}
done:
	if (plain)
		sodium_free(plain);
	if (key)
		sodium_free(key);
	return error;
}

int kmv_tail__seal(kmv_buf *out, uint8_t tag_out[KMV_TAIL_TAG],
		   const struct kmv_env_header *h,
		   const uint8_t stream[STREAM_LEN], const uint8_t *data_key,
		   uint64_t index, const uint8_t prev_tag[KMV_TAIL_TAG],
		   const uint8_t *plain, size_t len)
{
	uint8_t ad[AD_LEN], frame[KMV_TAIL_FRAME], *key = NULL, *sealed;
	uint32_t n = (uint32_t)(len + KMV_TAIL_TAG);
	size_t base = out->size;
	int error;

	if (len == 0 || len > KMV_TAIL_MAX_PLAIN) {
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "audit tail entry of %zu bytes", len);
		return KMV_ERROR;
	}
	KMV_TRY(tail_key(&key, data_key));
	for (int i = 0; i < 4; i++)
		frame[i] = (uint8_t)(n >> (8 * i));
	randombytes_buf(frame + 4, NONCE_LEN);
	KMV_TRY(kmv_buf_put(out, frame, sizeof(frame)));
	KMV_TRY(kmv_buf_grow(out, n));
	sealed = (uint8_t *)out->ptr + base + sizeof(frame);
	entry_ad(ad, h, stream, index, prev_tag, n);
	crypto_aead_xchacha20poly1305_ietf_encrypt(sealed, NULL, plain, len, ad,
						   sizeof(ad), NULL, frame + 4,
						   key);
	out->size += n;
	out->ptr[out->size] = '\0';
	memcpy(tag_out, sealed + len, KMV_TAIL_TAG);
done:
	if (key)
		sodium_free(key);
	return error;
}

int kmv_tail__read_file(struct kmv_env_header *h, struct kmv_tail *t,
			uint8_t *stream, int fd, const char *path)
{
	uint8_t head[KMV_ENV_FIXED_LEN + KMV_ENV_MAX_SLOTS * KMV_ENV_SLOT_LEN +
		     KMV_ENV_CHECKSUM_LEN];
	struct stat st;
	ssize_t n;
	int error;

	if (fstat(fd, &st) < 0 || (n = pread(fd, head, sizeof(head), 0)) < 0) {
		kmv_error_set_os("cannot read vault '%s'", path);
		return KMV_ERROR;
	}
	KMV_TRY(kmv_env__header_decode(h, head, (size_t)n, path));
	if (stream && pread(fd, stream, STREAM_LEN, h->header_len) !=
			      (ssize_t)STREAM_LEN) {
		kmv_error_set(KMV_ERROR_VAULT, "vault '%s' is truncated", path);
		error = KMV_ECORRUPT;
		goto done;
	}
	error = kmv_tail__scan(t, h, NULL, fd, (size_t)st.st_size, path);
done:
	return error;
}
