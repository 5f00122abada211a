/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the audit tail (lib/store/tail.c, append.c): saves whose
 * only change is new audit events append one entry in place; everything
 * else, and every damage to the entries, is what the format says.
 */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmvutil/file.h"

#include "fixture.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/envelope.h"
#include "store/io.h"
#include "store/tail.h"
#include "store/vault.h"

struct fixture {
	char *dir;
	char path[4096];
	kmv_secret *pass;
	uint8_t key[KMV_ENV_KEY_LEN];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = kmv_test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/vault.kmv", f->dir);
	if (kmv_test_vault_create(f->path, "hunter2", NULL, &f->pass))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	kmv_io__reset();
	kmv_secret_free(f->pass);
	kmv_test_rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int open_as(kmv_vault **v, struct fixture *f, bool write)
{
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;

	o.write = write;
	o.command = "test";
	return kmv_vault_open(v, f->path, KMV_UNLOCK_PASSPHRASE, f->pass, &o);
}

static ino_t inode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static int64_t events_of(kmv_vault *v)
{
	int64_t n = -1;

	assert_int_equal(kmv_vault_check(v, &n), 0);
	return n;
}

/* Open, add `n` audit events, save: the generation it ends with. */
static uint64_t audit_and_save(struct fixture *f, int n)
{
	kmv_vault *v = NULL;
	uint64_t gen;

	assert_int_equal(open_as(&v, f, true), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(kmv_audit_append(v, "export", "{\"n\":1}"), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	gen = kmv_vault_generation(v);
	kmv_vault_free(v);
	return gen;
}

/* The frame of the tail of the file at `path` (without the key). */
static struct kmv_tail tail_of(const char *path)
{
	struct kmv_env_header h;
	struct kmv_tail t;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(kmv_tail__read_file(&h, &t, NULL, fd, path), 0);
	close(fd);
	return t;
}

static void test_tail__audit_only_save_appends_in_place(void **state)
{
	struct fixture *f = *state;
	ino_t ino = inode_of(f->path);
	uint64_t gen0 = 0, gen = 0;
	size_t before, after;
	unsigned char *old = kmv_test_slurp(f->path, &before), *now;
	kmv_vault *v = NULL;
	struct kmv_tail t;

	assert_int_equal(kmv_vault_peek(f->path, &gen0), 0);
	assert_int_equal(audit_and_save(f, 2), gen0 + 1);
	/* Same file, the old bytes untouched, one small entry after them. */
	assert_int_equal(inode_of(f->path), ino);
	now = kmv_test_slurp(f->path, &after);
	assert_true(after > before && after - before < 1024);
	assert_memory_equal(now, old, before);
	t = tail_of(f->path);
	assert_int_equal(t.count, 1);
	assert_false(t.torn);
	assert_int_equal(kmv_vault_peek(f->path, &gen), 0);
	assert_int_equal(gen, gen0 + 1);
	/* A second one chains on; a reader sees every event, chain intact. */
	assert_int_equal(audit_and_save(f, 1), gen0 + 2);
	assert_int_equal(tail_of(f->path).count, 2);
	assert_int_equal(open_as(&v, f, false), 0);
	assert_int_equal(kmv_vault_generation(v), gen0 + 2);
	assert_int_equal(events_of(v), 1 + 3); /* init's event and ours */
	kmv_vault_free(v);
	free(old);
	free(now);
}

static void test_tail__any_other_change_saves_the_whole_file(void **state)
{
	struct fixture *f = *state;
	ino_t ino;
	kmv_vault *v = NULL;
	kmv_fix_record r = { .kind = "order",
			     .dedup_key = "k1",
			     .amount = 100 };

	audit_and_save(f, 1);
	ino = inode_of(f->path);
	assert_int_equal(open_as(&v, f, true), 0);
	assert_true(kmv_fix_record_add(v, &r) > 0);
	assert_int_equal(kmv_audit_append(v, "import", NULL), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	/* Replaced by rename, the tail folded into the image. */
	assert_true(inode_of(f->path) != ino);
	assert_int_equal(tail_of(f->path).count, 0);
	/* The same handle appends again after its full save. */
	ino = inode_of(f->path);
	assert_int_equal(kmv_audit_append(v, "export", NULL), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	assert_int_equal(inode_of(f->path), ino);
	assert_int_equal(tail_of(f->path).count, 1);
	kmv_vault_free(v);
	assert_int_equal(open_as(&v, f, false), 0);
	assert_int_equal(events_of(v), 1 + 1 + 2);
	kmv_vault_free(v);
	/* A schema change too, even with nothing but events besides. */
	ino = inode_of(f->path);
	assert_int_equal(open_as(&v, f, true), 0);
	assert_int_equal(sqlite3_exec(kmv_vault__db(v),
				      "CREATE TABLE scratch(x)", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	assert_int_equal(kmv_audit_append(v, "export", NULL), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	assert_true(inode_of(f->path) != ino);
	kmv_vault_free(v);
}

static void test_tail__folds_when_long(void **state)
{
	struct fixture *f = *state;
	size_t most = 0;

	for (int i = 0; i < 70; i++) {
		size_t n;

		audit_and_save(f, 1);
		n = tail_of(f->path).count;
		most = n > most ? n : most;
	}
	assert_int_equal(most, 64);
	assert_true(tail_of(f->path).count < 64);
}

/* Write `len` bytes of `data` as the vault and open it read-only. */
static int open_bytes(struct fixture *f, const unsigned char *data, size_t len,
		      uint64_t *gen)
{
	kmv_vault *v = NULL;
	int error;

	assert_int_equal(kmv_file_write(f->path, data, len, true), 0);
	error = open_as(&v, f, false);
	if (error == 0 && gen)
		*gen = kmv_vault_generation(v);
	kmv_vault_free(v);
	return error;
}

static int count_entry(const uint8_t *plain, size_t len, void *ctx)
{
	(void)plain;
	(void)len;
	(*(size_t *)ctx)++;
	return 0;
}

/*
 * What an open makes of the tail of `len` bytes of `data`, without the
 * KDF (the data key taken once from `f`'s vault): 0 and the entries that
 * verified, or the error.  The file's stream and header are `data`'s.
 */
static int check_bytes(struct fixture *f, const unsigned char *data, size_t len,
		       size_t *verified)
{
	struct kmv_env_header h;
	struct kmv_tail t;
	int error;

	*verified = 0;
	error = kmv_env__header_decode(&h, data, len, "t");
	if (error == 0)
		error = kmv_tail__scan(&t, &h, data, -1, len, "t");
	if (error == 0)
		error = kmv_tail__open(&t, &h, data + h.header_len, f->key,
				       data, "t", count_entry, verified);
	return error;
}

static void take_key(struct fixture *f)
{
	kmv_vault *v = NULL;

	assert_int_equal(open_as(&v, f, false), 0);
	memcpy(f->key, v->data_key, sizeof(f->key));
	kmv_vault_free(v);
}

static void test_tail__every_cut_of_the_tail(void **state)
{
	struct fixture *f = *state;
	struct kmv_tail t;
	uint64_t gen0 = 0, gen = 0;
	unsigned char *data;
	size_t len, first_end;

	assert_int_equal(kmv_vault_peek(f->path, &gen0), 0);
	audit_and_save(f, 1);
	first_end = tail_of(f->path).end;
	audit_and_save(f, 1);
	t = tail_of(f->path);
	data = kmv_test_slurp(f->path, &len);
	assert_int_equal(t.end, len);
	/* Every length from the payload's end on: an entry cut short is
	 * left out (a crash during an append), never a crash or an error;
	 * the generation counts the complete entries only. */
	take_key(f);
	for (size_t cut = t.start; cut <= len; cut++) {
		size_t want = (cut >= first_end) + (cut == len), got = 0;

		assert_int_equal(check_bytes(f, data, cut, &got), 0);
		if (got != want)
			fail_msg("cut at %zu: %zu entries, not %zu", cut, got,
				 want);
	}
	/* The whole open at the boundaries and just past them. */
	{
		size_t cuts[] = { t.start,   t.start + 1,   first_end - 1,
				  first_end, first_end + 5, len - 1,
				  len };

		for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
			uint64_t want = gen0 + (cuts[i] >= first_end) +
					(cuts[i] == len);

			assert_int_equal(open_bytes(f, data, cuts[i], &gen), 0);
			assert_int_equal(gen, want);
		}
	}
	/* Inside the payload it is corrupt, as before the tail. */
	assert_int_equal(open_bytes(f, data, t.start - 1, NULL), KMV_ECORRUPT);
	free(data);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void test_tail__lengths_at_every_bound(void **state)
{
	struct fixture *f = *state;
	static const uint32_t bad[] = { 0, 1, KMV_TAIL_TAG,
					KMV_TAIL_MAX_PLAIN + KMV_TAIL_TAG + 1,
					UINT32_MAX };
	struct kmv_tail t;
	unsigned char *data, *copy, *big;
	size_t len;

	audit_and_save(f, 1);
	t = tail_of(f->path);
	data = kmv_test_slurp(f->path, &len);
	size_t got;

	copy = malloc(len + 64);
	assert_non_null(copy);
	take_key(f);
	/* Lengths no writer makes, in the last entry's place: what a crash
	 * can leave (zeros), so a cut entry, left out. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(copy, data, len);
		put32(copy + t.start, bad[i]);
		assert_int_equal(check_bytes(f, copy, len, &got), 0);
		assert_int_equal(got, 0);
	}
	/* The same with a whole entry's room after them: damage. */
	big = calloc(1, len + KMV_TAIL_FRAME + KMV_TAIL_MAX_PLAIN + 64);
	assert_non_null(big);
	memcpy(big, data, len);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put32(big + t.start, bad[i]);
		assert_int_equal(check_bytes(f, big,
					     len + KMV_TAIL_FRAME +
						     KMV_TAIL_MAX_PLAIN + 64,
					     &got),
				 KMV_ECORRUPT);
	}
	free(big);
	/* Every length in bounds up to the entry's own and a little past:
	 * shorter ones fail the tag of the last entry and longer ones run
	 * past the end, both left out; only its own length verifies. */
	for (uint32_t n = KMV_TAIL_TAG + 1;
	     n <= len - t.start - KMV_TAIL_FRAME + 40; n++) {
		int error;

		memcpy(copy, data, len);
		put32(copy + t.start, n);
		error = check_bytes(f, copy, len, &got);
		assert_true(error == 0 || error == KMV_ECORRUPT);
		if (n >= len - t.start - KMV_TAIL_FRAME)
			assert_int_equal(error, 0);
		assert_int_equal(got, n == len - t.start - KMV_TAIL_FRAME);
	}
	/* The whole open: one byte short or long, the largest allowed on a
	 * file that short: the entry is left out, the vault opens. */
	memcpy(copy, data, len);
	put32(copy + t.start, (uint32_t)(len - t.start - KMV_TAIL_FRAME - 1));
	assert_int_equal(open_bytes(f, copy, len, NULL), 0);
	put32(copy + t.start, (uint32_t)(len - t.start - KMV_TAIL_FRAME + 1));
	assert_int_equal(open_bytes(f, copy, len, NULL), 0);
	put32(copy + t.start, KMV_TAIL_MAX_PLAIN + KMV_TAIL_TAG);
	assert_int_equal(open_bytes(f, copy, len, NULL), 0);
	free(copy);
	free(data);
}

static void test_tail__flips_and_moves_are_corrupt(void **state)
{
	struct fixture *f = *state;
	struct kmv_tail t;
	unsigned char *data, *copy;
	size_t len, e1;

	audit_and_save(f, 1);
	e1 = tail_of(f->path).end - tail_of(f->path).start;
	audit_and_save(f, 1);
	t = tail_of(f->path);
	data = kmv_test_slurp(f->path, &len);
	copy = malloc(len);
	assert_non_null(copy);
	/* Any flipped byte of either entry (length, nonce, sealed bytes). */
	take_key(f);
	for (size_t at = t.start; at < len; at++) {
		size_t got;
		int error;

		memcpy(copy, data, len);
		copy[at] ^= 0x20;
		/* A flipped length may make an entry look cut short: left
		 * out then (the generation drops, which the mark sees), but
		 * never both entries taken. */
		error = check_bytes(f, copy, len, &got);

		if (error == 0 && got == 2)
			fail_msg("a flip at %zu of the tail went unseen", at);
		/* In the first entry's nonce or sealed bytes: damage (the
		 * last one's may be what a crash leaves: left out). */
		if (at >= t.start + 4 && at < t.start + e1 &&
		    error != KMV_ECORRUPT)
			fail_msg("a flip at %zu of entry 1 opened", at);
	}
	/* The two entries swapped (same sizes when the events are alike). */
	if (len - t.start == 2 * e1) {
		memcpy(copy, data, t.start);
		memcpy(copy + t.start, data + t.start + e1, e1);
		memcpy(copy + t.start + e1, data + t.start, e1);
		assert_int_equal(open_bytes(f, copy, len, NULL), KMV_ECORRUPT);
	}
	/* The first dropped: the second no longer chains, and as the last
	 * it reads as what a crash leaves: left out, so the vault is back at
	 * its full save's generation, where the mark sees a rollback. */
	memcpy(copy, data, t.start);
	memcpy(copy + t.start, data + t.start + e1, len - t.start - e1);
	{
		uint64_t gen = 0, base = 0;
		struct kmv_env_header h;

		assert_int_equal(open_bytes(f, copy, len - e1, &gen), 0);
		assert_int_equal(kmv_env__header_decode(&h, data, len, "t"), 0);
		base = h.generation;
		assert_int_equal(gen, base);
	}
	free(copy);
	free(data);
}

static void test_tail__torn_tail_is_dropped_by_the_next_save(void **state)
{
	struct fixture *f = *state;
	kmv_vault *v = NULL;
	unsigned char *data;
	size_t len;

	audit_and_save(f, 1);
	data = kmv_test_slurp(f->path, &len);
	/* A crash in the middle of the second append. */
	assert_int_equal(kmv_file_write(f->path, data, len, true), 0);
	{
		FILE *out = fopen(f->path, "ab");

		assert_non_null(out);
		fwrite("\x40\x00\x00\x00partial", 1, 11, out);
		fclose(out);
	}
	assert_int_equal(open_as(&v, f, true), 0);
	assert_int_equal(kmv_vault_check(v, NULL), KMV_ECORRUPT);
	assert_int_equal(kmv_audit_append(v, "export", NULL), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	kmv_vault_free(v);
	/* A full save, so no entry follows the partial bytes. */
	assert_int_equal(tail_of(f->path).count, 0);
	assert_false(tail_of(f->path).torn);
	assert_int_equal(open_as(&v, f, false), 0);
	assert_int_equal(events_of(v), 1 + 1 + 1);
	kmv_vault_free(v);
	free(data);
}

static void test_tail__failed_append_leaves_the_file_as_it_was(void **state)
{
	struct fixture *f = *state;
	static const char *const faults[] = {
		"write:ENOSPC:after=0",
		"short-write:after=10",
		"fsync:EIO",
	};
	unsigned char *before, *after;
	size_t before_len, after_len;
	kmv_vault *v = NULL;

	audit_and_save(f, 1);
	before = kmv_test_slurp(f->path, &before_len);
	assert_int_equal(open_as(&v, f, true), 0);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		assert_int_equal(kmv_audit_append(v, "export", NULL), 0);
		setenv("KMVAULT_FAULT", faults[i], 1);
		assert_int_equal(kmv_vault_save(v), KMV_ERROR);
		unsetenv("KMVAULT_FAULT");
		kmv_io__reset();
		after = kmv_test_slurp(f->path, &after_len);
		assert_int_equal(after_len, before_len);
		assert_memory_equal(after, before, before_len);
		free(after);
	}
	/* The handle still saves: every event it holds, one entry. */
	assert_int_equal(kmv_vault_save(v), 0);
	kmv_vault_free(v);
	assert_int_equal(tail_of(f->path).count, 2);
	assert_int_equal(open_as(&v, f, false), 0);
	assert_int_equal(events_of(v), 1 + 1 + 3);
	kmv_vault_free(v);
	free(before);
}

/* Mark status of the vault file now at f->path (opened read-only). */
static kmv_mark_status mark_status(struct fixture *f)
{
	kmv_mark_report r;
	kmv_vault *v = NULL;
	kmv_mark_status status;

	assert_int_equal(open_as(&v, f, false), 0);
	assert_int_equal(kmv_vault_mark_check(v, &r), 0);
	status = r.status;
	kmv_mark_report_dispose(&r);
	kmv_vault_free(v);
	return status;
}

static void test_tail__divergent_appends_are_told_apart(void **state)
{
	struct fixture *f = *state;
	char marks[4200];
	unsigned char *base, *a;
	size_t base_len, a_len;

	snprintf(marks, sizeof(marks), "%s/marks", f->dir);
	audit_and_save(f, 1);
	base = kmv_test_slurp(f->path, &base_len);
	/* Copy A: one more event, seen (the mark names A's last tag). */
	assert_int_equal(kmv_vault_mark_dir_set(marks), 0);
	audit_and_save(f, 1);
	a = kmv_test_slurp(f->path, &a_len);
	assert_int_equal(mark_status(f), KMV_MARK_OK);
	/* Copy B: the same base, another event, never seen: same
	 * generation as A, same stream header, another save. */
	assert_int_equal(kmv_vault_mark_dir_set(NULL), 0);
	assert_int_equal(kmv_file_write(f->path, base, base_len, true), 0);
	audit_and_save(f, 1);
	assert_int_equal(kmv_vault_mark_dir_set(marks), 0);
	assert_int_equal(mark_status(f), KMV_MARK_ROLLBACK);
	/* A itself is still what the mark saw. */
	assert_int_equal(kmv_file_write(f->path, a, a_len, true), 0);
	assert_int_equal(mark_status(f), KMV_MARK_OK);
	assert_int_equal(kmv_vault_mark_dir_set(NULL), 0);
	free(base);
	free(a);
}

static int buf_write(const void *data, size_t len, void *payload)
{
	return kmv_buf_put(payload, data, len);
}

static void test_tail__minor_zero_vault_opens_and_upgrades(void **state)
{
	struct fixture *f = *state;
	struct kmv_env_header h;
	kmv_vault *v = NULL;
	unsigned char *data;
	kmv_buf file = KMV_BUF_INIT;
	size_t len;
	uint8_t *plain = NULL;
	size_t plain_len = 0;

	/* The vault as a minor-0 file: same data key, no payload length. */
	assert_int_equal(open_as(&v, f, false), 0);
	h = v->header;
	data = kmv_test_slurp(f->path, &len);
	assert_int_equal(kmv_env__decrypt(&plain, &plain_len, &h, v->data_key,
					  data + h.header_len,
					  len - h.header_len, f->path),
			 0);
	h.minor = 0;
	h.payload_len = 0;
	assert_int_equal(kmv_env__header_encode(&file, &h), 0);
	assert_int_equal(kmv_env__encrypt(&h, v->data_key, plain, plain_len,
					  buf_write, &file, NULL),
			 0);
	kmv_vault_free(v);
	sodium_memzero(plain, plain_len);
	sqlite3_free(plain);
	assert_int_equal(kmv_file_write(f->path, file.ptr, file.size, true), 0);
	/* Opens; its first audit-only save is a full one, at minor 1. */
	assert_int_equal(open_as(&v, f, true), 0);
	assert_int_equal(v->header.minor, 0);
	assert_int_equal(kmv_audit_append(v, "export", NULL), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	assert_int_equal(v->header.minor, KMV_ENV_VERSION_MINOR);
	kmv_vault_free(v);
	assert_int_equal(tail_of(f->path).count, 0);
	audit_and_save(f, 1);
	assert_int_equal(tail_of(f->path).count, 1);
	kmv_buf_dispose(&file);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_tail__audit_only_save_appends_in_place, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_tail__any_other_change_saves_the_whole_file, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_tail__folds_when_long,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_tail__every_cut_of_the_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_tail__lengths_at_every_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_tail__flips_and_moves_are_corrupt, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_tail__torn_tail_is_dropped_by_the_next_save, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_tail__failed_append_leaves_the_file_as_it_was,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_tail__minor_zero_vault_opens_and_upgrades, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_tail__divergent_appends_are_told_apart, setup,
			teardown),
	};

	kmv_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
