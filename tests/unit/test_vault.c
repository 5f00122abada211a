/* SPDX-License-Identifier: MIT */
/* Unit tests for lib/store: envelope, keyslots, save, lock, audit chain. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmvutil/file.h"

#include "fixture.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/envelope.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/io.h"
#include "store/pipe_writer.h"
#include "store/refunds.h"

struct fixture {
	char *dir;
	char path[4096];
	char recovery[KMV_RECOVERY_KEY_BUFSZ];
	kmv_secret *pass;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = kmv_test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/sub/vault.kmv", f->dir);
	if (kmv_test_vault_create(f->path, "hunter2", f->recovery, &f->pass))
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

static int open_rw(kmv_vault **v, struct fixture *f)
{
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;

	o.write = true;
	o.command = "test";
	return kmv_vault_open(v, f->path, KMV_UNLOCK_PASSPHRASE, f->pass, &o);
}

/* A change to save: a record whose dedup key is `what` (fixture.h). */
static void insert_marker(kmv_vault *v, const char *what)
{
	kmv_fix_record r = { .kind = "order", .dedup_key = what, .amount = -1 };

	assert_true(kmv_fix_record_add(v, &r) > 0);
}

static bool has_marker(kmv_vault *v, const char *what)
{
	sqlite3_stmt *st;
	bool found;

	assert_int_equal(kmv_db__prepare(&st, kmv_vault__db(v),
					 "SELECT 1 FROM records WHERE "
					 "dedup_key = ?"),
			 0);
	kmv_db__bind_text(st, 1, what);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static void test_vault__create_then_open_round_trips(void **state)
{
	struct fixture *f = *state;
	kmv_vault *v = NULL;
	int64_t events = 0;

	assert_int_equal(open_rw(&v, f), 0);
	assert_int_equal(kmv_vault_generation(v), 1);
	insert_marker(v, "hello");
	assert_int_equal(kmv_audit_append(v, "test", "{\"n\":1}"), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	assert_int_equal(kmv_vault_generation(v), 2);
	kmv_vault_free(v);

	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 0);
	assert_true(has_marker(v, "hello"));
	assert_int_equal(kmv_vault_check(v, &events), 0);
	assert_int_equal(events, 2);
	kmv_vault_free(v);
}

static void test_vault__create_refuses_existing(void **state)
{
	struct fixture *f = *state;
	char rk[KMV_RECOVERY_KEY_BUFSZ];

	assert_int_equal(kmv_vault_create(rk, f->path, f->pass, NULL),
			 KMV_EEXISTS);
}

static void test_vault__wrong_passphrase_is_eauth(void **state)
{
	struct fixture *f = *state;
	kmv_secret *wrong = NULL;
	kmv_vault *v = NULL;

	kmv_secret_new(&wrong, "hunter3", 7);
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_PASSPHRASE,
					wrong, NULL),
			 KMV_EAUTH);
	assert_null(v);
	kmv_secret_free(wrong);
}

static void test_vault__recovery_key_opens_and_survives_passwd(void **state)
{
	struct fixture *f = *state;
	kmv_secret *rk = NULL, *fresh = NULL;
	kmv_vault *v = NULL;
	char mistyped[KMV_RECOVERY_KEY_BUFSZ];

	kmv_secret_new(&rk, f->recovery, strlen(f->recovery));
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_RECOVERY, rk,
					NULL),
			 0);
	kmv_vault_free(v);

	/* A typo is caught by the checksum group before any decryption. */
	snprintf(mistyped, sizeof(mistyped), "%s", f->recovery);
	mistyped[0] = mistyped[0] == 'A' ? 'B' : 'A';
	{
		kmv_secret *bad = NULL;

		kmv_secret_new(&bad, mistyped, strlen(mistyped));
		assert_int_equal(kmv_vault_open(&v, f->path,
						KMV_UNLOCK_RECOVERY, bad, NULL),
				 KMV_EAUTH);
		kmv_secret_free(bad);
	}

	kmv_secret_new(&fresh, "new pass", 8);
	assert_int_equal(open_rw(&v, f), 0);
	assert_int_equal(kmv_vault_passwd(v, fresh), 0);
	kmv_vault_free(v);
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 KMV_EAUTH);
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_PASSPHRASE,
					fresh, NULL),
			 0);
	kmv_vault_free(v);
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_RECOVERY, rk,
					NULL),
			 0);
	kmv_vault_free(v);
	kmv_secret_free(rk);
	kmv_secret_free(fresh);
}

static void flip_and_expect(struct fixture *f, size_t pos, int expect)
{
	size_t len;
	unsigned char *orig = kmv_test_slurp(f->path, &len), *mut;
	FILE *out;
	kmv_vault *v = NULL;

	assert_non_null(orig);
	assert_true(pos < len);
	mut = malloc(len);
	memcpy(mut, orig, len);
	mut[pos] ^= 0x01;
	out = fopen(f->path, "wb");
	fwrite(mut, 1, len, out);
	fclose(out);
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 expect);
	out = fopen(f->path, "wb");
	fwrite(orig, 1, len, out);
	fclose(out);
	free(orig);
	free(mut);
}

static void test_vault__every_header_byte_is_checked(void **state)
{
	struct fixture *f = *state;
	size_t hdr = KMV_ENV_FIXED_LEN + 2 * KMV_ENV_SLOT_LEN +
		     KMV_ENV_CHECKSUM_LEN;

	/* A damaged header is corruption (4), never a wrong passphrase (3). */
	for (size_t pos = 0; pos < hdr; pos++)
		flip_and_expect(f, pos, KMV_ECORRUPT);
}

static void test_vault__payload_flips_and_truncation_are_corrupt(void **state)
{
	struct fixture *f = *state;
	size_t hdr = KMV_ENV_FIXED_LEN + 2 * KMV_ENV_SLOT_LEN +
		     KMV_ENV_CHECKSUM_LEN;
	size_t len;
	unsigned char *orig = kmv_test_slurp(f->path, &len);
	kmv_vault *v = NULL;
	FILE *out;

	flip_and_expect(f, hdr, KMV_ECORRUPT);       /* stream header */
	flip_and_expect(f, hdr + 100, KMV_ECORRUPT); /* first chunk */
	flip_and_expect(f, len / 2, KMV_ECORRUPT);
	flip_and_expect(f, len - 1, KMV_ECORRUPT); /* final tag/MAC */

	/* Truncation at a chunk boundary and mid-chunk; trailing garbage. */
	{
		size_t cuts[] = { len - 1, hdr + 24 + KMV_ENV_CHUNK + 17,
				  hdr + 10, 20 };

		for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
			if (cuts[i] >= len)
				continue;
			out = fopen(f->path, "wb");
			fwrite(orig, 1, cuts[i], out);
			fclose(out);
			assert_int_equal(kmv_vault_open(&v, f->path,
							KMV_UNLOCK_PASSPHRASE,
							f->pass, NULL),
					 KMV_ECORRUPT);
		}
	}
	out = fopen(f->path, "wb");
	fwrite(orig, 1, len, out);
	fwrite("x", 1, 1, out);
	fclose(out);
	/* A byte after the payload is what a crash during an append leaves:
	 * an open leaves it out, a check reports it. */
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 0);
	assert_int_equal(kmv_vault_check(v, NULL), KMV_ECORRUPT);
	kmv_vault_free(v);
	v = NULL;
	out = fopen(f->path, "wb");
	fwrite(orig, 1, len, out);
	fclose(out);
	free(orig);
}

static size_t count_dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' || strstr(e->d_name, ".tmp-"))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				n++;
	closedir(d);
	return n;
}

static void test_vault__failed_save_leaves_old_vault_byte_identical(void **state)
{
	struct fixture *f = *state;
	static const char *const faults[] = {
		"write:ENOSPC:after=0",
		"write:ENOSPC:after=5000",
		"short-write:after=300",
		"write:EIO:after=100000",
		"fsync:EIO",
		"rename:EIO",
	};
	char subdir[4200];
	size_t before_len, after_len, entries;
	unsigned char *before, *after;
	kmv_vault *v = NULL;

	snprintf(subdir, sizeof(subdir), "%s/sub", f->dir);
	assert_int_equal(open_rw(&v, f), 0);
	insert_marker(v, "first");
	assert_int_equal(kmv_vault_save(v), 0);
	before = kmv_test_slurp(f->path, &before_len);
	entries = count_dir_entries(subdir);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "m%zu", i);
		insert_marker(v, name);
		setenv("KMVAULT_FAULT", faults[i], 1);
		assert_int_equal(kmv_vault_save(v), KMV_ERROR);
		unsetenv("KMVAULT_FAULT");
		kmv_io__reset();
		after = kmv_test_slurp(f->path, &after_len);
		assert_int_equal(after_len, before_len);
		assert_memory_equal(after, before, before_len);
		free(after);
		/* No temporary file left behind. */
		assert_int_equal(count_dir_entries(subdir), entries);
	}
	/* The handle is still usable and a later save succeeds. */
	assert_int_equal(kmv_vault_save(v), 0);
	kmv_vault_free(v);
	assert_int_equal(kmv_vault_open(&v, f->path, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 0);
	assert_true(has_marker(v, "m3"));
	kmv_vault_free(v);
	free(before);
}

static void test_vault__previous_generation_kept(void **state)
{
	struct fixture *f = *state;
	char prev[4200];
	uint64_t gen = 0;
	kmv_vault *v = NULL;

	assert_int_equal(open_rw(&v, f), 0);
	assert_int_equal(kmv_vault_save(v), 0);
	kmv_vault_free(v);
	snprintf(prev, sizeof(prev), "%s.prev", f->path);
	assert_int_equal(kmv_vault_peek(prev, &gen), 0);
	assert_int_equal(gen, 1);
	assert_int_equal(kmv_vault_peek(f->path, &gen), 0);
	assert_int_equal(gen, 2);
}

static void test_vault__second_writer_is_elocked(void **state)
{
	struct fixture *f = *state;
	kmv_vault *a = NULL, *b = NULL, *r = NULL;

	assert_int_equal(open_rw(&a, f), 0);
	assert_int_equal(open_rw(&b, f), KMV_ELOCKED);
	assert_non_null(strstr(kmv_error_last(), "locked"));
	/* Readers need no lock. */
	assert_int_equal(kmv_vault_open(&r, f->path, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 0);
	kmv_vault_free(r);
	kmv_vault_free(a);
	assert_int_equal(open_rw(&b, f), 0);
	kmv_vault_free(b);
}

static void test_vault__audit_chain_detects_edits(void **state)
{
	struct fixture *f = *state;
	kmv_vault *v = NULL;

	assert_int_equal(open_rw(&v, f), 0);
	assert_int_equal(kmv_audit_append(v, "a", "{}"), 0);
	assert_int_equal(kmv_audit_append(v, "b", "{\"k\":2}"), 0);
	assert_int_equal(kmv_vault_check(v, NULL), 0);
	assert_int_equal(
		kmv_db__exec(
			kmv_vault__db(v),
			"UPDATE events SET detail = '{\"k\":3}' WHERE action = 'b'"),
		0);
	assert_int_equal(kmv_vault_check(v, NULL), KMV_ECORRUPT);
	assert_non_null(
		strstr(kmv_error_last(), "audit chain broken at event 3"));
	assert_int_equal(
		kmv_db__exec(
			kmv_vault__db(v),
			"UPDATE events SET detail = '{\"k\":2}' WHERE action = 'b';"
			"DELETE FROM events WHERE action = 'a'"),
		0);
	assert_int_equal(kmv_vault_check(v, NULL), KMV_ECORRUPT);
	kmv_vault_free(v);
}

static void test_vault__not_a_vault_is_corrupt(void **state)
{
	struct fixture *f = *state;
	char other[4200];
	kmv_vault *v = NULL;

	snprintf(other, sizeof(other), "%s/notes.txt", f->dir);
	assert_int_equal(kmv_file_write(other, "hello world", 11, false), 0);
	assert_int_equal(kmv_vault_open(&v, other, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 KMV_ECORRUPT);
	snprintf(other, sizeof(other), "%s/missing.kmv", f->dir);
	assert_int_equal(kmv_vault_open(&v, other, KMV_UNLOCK_PASSPHRASE,
					f->pass, NULL),
			 KMV_ENOTFOUND);
}

static void test_vault__recovery_key_format_round_trips(void **state)
{
	uint8_t key[KMV_ENV_RECOVERY_LEN], back[KMV_ENV_RECOVERY_LEN];
	char text[KMV_RECOVERY_KEY_BUFSZ];

	(void)state;
	for (int i = 0; i < 50; i++) {
		randombytes_buf(key, sizeof(key));
		kmv_env__recovery_format(text, key);
		assert_int_equal(strlen(text), 44);
		assert_int_equal(kmv_env__recovery_parse(back, text), 0);
		assert_memory_equal(key, back, sizeof(key));
	}
	/* Lower case, O for 0 and missing dashes are forgiven. */
	memset(key, 0, sizeof(key));
	kmv_env__recovery_format(text, key);
	for (char *p = text; *p; p++)
		if (*p == '0')
			*p = 'o';
	assert_int_equal(kmv_env__recovery_parse(back, text), 0);
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static bool plan_mentions(sqlite3 *db, const char *sql, const char *index)
{
	char explain[512];
	sqlite3_stmt *st = NULL;
	bool found = false;

	snprintf(explain, sizeof(explain), "EXPLAIN QUERY PLAN %s", sql);
	assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (strstr((const char *)sqlite3_column_text(st, 3), index))
			found = true;
	sqlite3_finalize(st);
	return found;
}

struct ids_seen {
	int64_t id[4];
	size_t n;
};

/* kmv_refunds__each's callback: note the refund. */
static int note_id(void *ctx, int64_t id)
{
	struct ids_seen *s = ctx;

	assert_true(s->n < 4);
	s->id[s->n++] = id;
	return 0;
}

/* A vault written at schema v1 keeps every row, id and link through v2. */
static void test_schema__v1_vault_migrates_with_data(void **state)
{
	sqlite3 *db = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(kmv_db__exec(db, "PRAGMA foreign_keys=ON"), 0);
	assert_int_equal(kmv_schema__migrate(db, 1), 0);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 1);
	/* Raw SQL: a v1 vault's rows, which no call of today can write. */
	assert_int_equal(
		kmv_db__exec(
			db,
			"INSERT INTO records(id, kind, source_kind, dedup_key, merchant,"
			" payment_no, amount, direction, status, created_at, updated_at)"
			" VALUES (7, 'payment', 'alipay', 'id:1', '示例卡盟', '1', 500,"
			" 'out', 'success', 'now', 'now'),"
			" (9, 'payment', 'alipay', 'id:1_r', '示例卡盟', '1_r', 500, 'in',"
			" 'refunded', 'now', 'now');"
			"UPDATE records SET refund_of = 7 WHERE id = 9;"
			"INSERT INTO links(a, b, rule, score, explanation, created_at)"
			" VALUES (7, 9, 'test', 1, 'x', 'now');"),
		0);

	assert_int_equal(kmv_schema__apply(db), 0);
	assert_int_equal(query_int(db, "PRAGMA user_version"),
			 KMV_SCHEMA_VERSION);
	assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(
		query_int(db, "SELECT refund_of FROM records WHERE id = 9"), 7);
	assert_int_equal(query_int(db, "SELECT count(*) FROM links"), 1);
	assert_int_equal(query_int(db,
				   "SELECT rowid FROM records_fts"
				   " WHERE records_fts MATCH '示例卡' LIMIT 1"),
			 7);
	/* The rewritten CHECKs still refuse what v1 refused (raw SQL: bad rows). */
	assert_int_not_equal(
		kmv_db__exec(
			db,
			"INSERT INTO records(kind, source_kind, dedup_key, created_at,"
			" updated_at) VALUES ('gift', 'x', 'y', 'now', 'now')"),
		0);
	assert_int_not_equal(
		kmv_db__exec(
			db,
			"INSERT INTO records(kind, source_kind, dedup_key, direction,"
			" created_at, updated_at) VALUES ('order', 'x', 'y', 'up', 'now',"
			" 'now')"),
		0);
	/* The triggers came back: a new row is searchable at once (raw SQL: no
	 * vault handle on this bare migrated database). */
	assert_int_equal(
		kmv_db__exec(
			db,
			"INSERT INTO records(id, kind, source_kind, dedup_key, merchant,"
			" created_at, updated_at) VALUES (20, 'order', 'x', 'z',"
			" '发卡平台', 'now', 'now')"),
		0);
	assert_int_equal(query_int(db,
				   "SELECT rowid FROM records_fts"
				   " WHERE records_fts MATCH '发卡平' LIMIT 1"),
			 20);
	/* Lookups by number still use the (now partial) indexes. */
	assert_true(plan_mentions(db,
				  "SELECT id FROM records WHERE payment_no = ?",
				  "records_payment_no"));
	assert_true(plan_mentions(db,
				  "SELECT id FROM records WHERE order_no = ?",
				  "records_order_no"));
	/* v3: the number-only statement keys became number-and-row keys. */
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM records WHERE id = 7"
				   " AND dedup_key = 'tx:1' || char(31) ||"
				   " char(31) || '500' || char(31) || 'out' ||"
				   " char(31) || 'success'"),
			 1);
	/* The refunds of a charge come from the refund index, live or all. */
	for (int live = 0; live <= 1; live++) {
		kmv_refunds r;
		struct ids_seen seen = { 0 };

		assert_int_equal(kmv_refunds__open(&r, db, live), 0);
		assert_true(plan_mentions(db, sqlite3_sql(r.st),
					  "records_refund_of"));
		assert_int_equal(kmv_refunds__each(&r, 7, note_id, &seen), 0);
		assert_int_equal(kmv_refunds__each(&r, 9, note_id, &seen), 0);
		assert_int_equal(seen.n, 1);
		assert_int_equal(seen.id[0], 9);
		kmv_refunds__dispose(&r);
	}
	/* Applying again is a no-op. */
	assert_int_equal(kmv_schema__apply(db), 0);
	sqlite3_close(db);
}

/*
 * A vault at schema v3 keeps every row and id through v4, whose
 * uniqueness is the named index records_dedup instead of the table's
 * constraint: duplicates are still refused (and ignored by INSERT OR
 * IGNORE), the FTS triggers and the other indexes are back.
 */
static void test_schema__v3_vault_migrates_to_dedup_index(void **state)
{
	sqlite3 *db = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(kmv_db__exec(db, "PRAGMA foreign_keys=ON"), 0);
	assert_int_equal(kmv_schema__migrate(db, 3), 0);
	/* Raw SQL: a v3 vault's rows, written before the upgrade. */
	assert_int_equal(
		kmv_db__exec(
			db,
			"INSERT INTO records(id, kind, source_kind, dedup_key, merchant,"
			" payment_no, amount, direction, status, created_at, updated_at)"
			" VALUES (3, 'payment', 'alipay', 'tx:1', '示例卡盟', '1', 500,"
			" 'out', 'success', 'now', 'now'),"
			" (8, 'payment', 'alipay', 'tx:2', '示例商店', '2', 500, 'in',"
			" 'refunded', 'now', 'now'),"
			" (12, 'order', 'orders', 'tx:1', '示例卡盟', NULL, 500, 'out',"
			" 'success', 'now', 'now');"
			"UPDATE records SET refund_of = 3 WHERE id = 8;"
			"INSERT INTO links(a, b, rule, score, explanation, created_at)"
			" VALUES (3, 12, 'test', 1, 'x', 'now');"),
		0);
	assert_int_equal(kmv_schema__apply(db), 0);
	assert_int_equal(query_int(db, "PRAGMA user_version"),
			 KMV_SCHEMA_VERSION);
	/* The rebuild's old pages were given back (VACUUM after it). */
	assert_int_equal(query_int(db, "PRAGMA freelist_count"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM records"), 3);
	assert_int_equal(query_int(db, "SELECT count(*) FROM records WHERE"
				       " (id = 3 AND dedup_key = 'tx:1') OR"
				       " (id = 8 AND refund_of = 3) OR"
				       " (id = 12 AND source_kind = 'orders')"),
			 3);
	assert_int_equal(query_int(db, "SELECT count(*) FROM links"), 1);
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM sqlite_master WHERE"
				   " name = 'records_dedup' AND sql LIKE"
				   " 'CREATE UNIQUE INDEX%'"),
			 1);
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM sqlite_master WHERE"
				   " name LIKE 'sqlite_autoindex_records%'"),
			 0);
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM sqlite_master WHERE"
				   " type = 'index' AND tbl_name = 'records'"),
			 8); /* v4's seven and v5's records_refund_of */
	assert_int_equal(
		query_int(db, "SELECT count(*) FROM sqlite_master WHERE"
			      " type = 'trigger' AND tbl_name = 'records'"),
		3);
	/* Raw SQL: a duplicate key, refused or ignored as under v3. */
	assert_int_not_equal(
		kmv_db__exec(db,
			     "INSERT INTO records(kind, source_kind, dedup_key,"
			     " created_at, updated_at) VALUES ('payment',"
			     " 'alipay', 'tx:2', 'now', 'now')"),
		0);
	assert_int_equal(
		kmv_db__exec(db,
			     "INSERT OR IGNORE INTO records(kind, source_kind,"
			     " dedup_key, merchant, created_at, updated_at)"
			     " VALUES ('payment', 'alipay', 'tx:2', '重复',"
			     " 'now', 'now'),"
			     " ('payment', 'alipay', 'tx:3', '新的商户',"
			     " 'now', 'now')"),
		0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM records"), 4);
	assert_int_equal(query_int(db,
				   "SELECT rowid FROM records_fts"
				   " WHERE records_fts MATCH '新的商' LIMIT 1"),
			 13);
	assert_int_equal(query_int(db, "SELECT count(*) FROM records_fts"
				       " WHERE records_fts MATCH '示例卡'"),
			 2);
	assert_true(plan_mentions(db,
				  "SELECT id FROM records WHERE source_kind = ?"
				  " AND dedup_key = ?",
				  "records_dedup"));
	assert_int_equal(query_int(db,
				   "SELECT count(*) FROM pragma_integrity_check"
				   " WHERE integrity_check <> 'ok'"),
			 0);
	sqlite3_close(db);
}

/*
 * A vault from before v5, read-only (no migration): the refunds of a
 * charge come from a temporary indexed copy of the edges, the same ids in
 * the same order, voided ones left out of the live walk.
 */
static void test_refunds__before_v5_uses_a_temporary_index(void **state)
{
	sqlite3 *db = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(kmv_schema__migrate(db, 4), 0);
	/* Raw SQL: rows of a v4 vault, as no call of today writes them. */
	assert_int_equal(
		kmv_db__exec(
			db,
			"INSERT INTO records(id, kind, source_kind, dedup_key,"
			" refund_of, deleted_at, created_at, updated_at) VALUES"
			" (3, 'payment', 'alipay', 'a', NULL, NULL, 'now', 'now'),"
			" (9, 'payment', 'alipay', 'b', 3, NULL, 'now', 'now'),"
			" (5, 'payment', 'alipay', 'c', 3, 'now', 'now', 'now'),"
			" (7, 'payment', 'alipay', 'd', 3, NULL, 'now', 'now');"),
		0);
	for (int live = 0; live <= 1; live++) {
		kmv_refunds r;
		struct ids_seen seen = { 0 };

		assert_int_equal(kmv_refunds__open(&r, db, live), 0);
		assert_true(plan_mentions(db, sqlite3_sql(r.st),
					  "refund_edges_charge"));
		assert_int_equal(kmv_refunds__each(&r, 3, note_id, &seen), 0);
		assert_int_equal(seen.n, live ? 2 : 3);
		assert_int_equal(seen.id[0], live ? 7 : 5);
		assert_int_equal(seen.id[1], live ? 9 : 7);
		kmv_refunds__dispose(&r);
	}
	sqlite3_close(db);
}

struct sink {
	kmv_buf out;
	int calls, fail_at;
};

static int sink_write(const void *data, size_t len, void *payload)
{
	struct sink *s = payload;

	if (++s->calls == s->fail_at) {
		kmv_error_set(KMV_ERROR_OS, "cannot write 'sink': disk full");
		return KMV_ERROR;
	}
	return kmv_buf_put(&s->out, data, len);
}

/* The save pipeline writes every byte in order, in pieces of any size. */
static void test_pipe_writer__keeps_order(void **state)
{
	static const size_t pieces[] = {
		1, 17, 65553, 1 << 20, (1 << 20) + 5, 3
	};
	kmv_buf want = KMV_BUF_INIT;
	struct sink s = { KMV_BUF_INIT, 0, 0 };
	kmv_pipe_writer *w = NULL;
	uint32_t x = 1;

	(void)state;
	assert_int_equal(kmv_pipe_writer__start(&w, sink_write, &s), 0);
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]);
		     i++) {
			size_t at = want.size;

			assert_int_equal(kmv_buf_grow(&want, pieces[i]), 0);
			for (size_t k = 0; k < pieces[i]; k++) {
				x = x * 1103515245u + 12345u;
				want.ptr[at + k] = (char)(x >> 16);
			}
			want.size += pieces[i];
			assert_int_equal(kmv_pipe_writer__put(want.ptr + at,
							      pieces[i], w),
					 0);
		}
	}
	assert_int_equal(kmv_pipe_writer__finish(w), 0);
	assert_int_equal(s.out.size, want.size);
	assert_memory_equal(s.out.ptr, want.ptr, want.size);
	kmv_buf_dispose(&want);
	kmv_buf_dispose(&s.out);
}

/* A write error stops the producer and comes back with its message. */
static void test_pipe_writer__reports_the_write_error(void **state)
{
	static char block[1 << 16];
	struct sink s = { KMV_BUF_INIT, 0, 3 };
	kmv_pipe_writer *w = NULL;
	int rc = 0, puts = 0;

	(void)state;
	assert_int_equal(kmv_pipe_writer__start(&w, sink_write, &s), 0);
	/* 64 MiB offered: the third 1 MiB write fails long before. */
	while (puts < 1024 &&
	       (rc = kmv_pipe_writer__put(block, sizeof(block), w)) == 0)
		puts++;
	assert_int_equal(rc, KMV_ERROR);
	assert_true(puts < 1024);
	assert_int_equal(kmv_pipe_writer__finish(w), KMV_ERROR);
	assert_non_null(
		strstr(kmv_error_last(), "cannot write 'sink': disk full"));
	assert_int_equal(s.calls, 3);
	kmv_buf_dispose(&s.out);
	/* Nothing put at all: finish is clean. */
	s.calls = 0;
	s.fail_at = 0;
	assert_int_equal(kmv_pipe_writer__start(&w, sink_write, &s), 0);
	assert_int_equal(kmv_pipe_writer__finish(w), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(kmv_pipe_writer__finish(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_vault__create_then_open_round_trips, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__create_refuses_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__wrong_passphrase_is_eauth, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__recovery_key_opens_and_survives_passwd,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__every_header_byte_is_checked, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__payload_flips_and_truncation_are_corrupt,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__failed_save_leaves_old_vault_byte_identical,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__previous_generation_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__second_writer_is_elocked, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__audit_chain_detects_edits, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_vault__not_a_vault_is_corrupt, setup, teardown),
		cmocka_unit_test(test_vault__recovery_key_format_round_trips),
		cmocka_unit_test(test_schema__v1_vault_migrates_with_data),
		cmocka_unit_test(
			test_refunds__before_v5_uses_a_temporary_index),
		cmocka_unit_test(test_schema__v3_vault_migrates_to_dedup_index),
		cmocka_unit_test(test_pipe_writer__keeps_order),
		cmocka_unit_test(test_pipe_writer__reports_the_write_error),
	};

	kmv_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
