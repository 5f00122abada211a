/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/audit.h"
#include "kmvutil/datetime.h"

#include <sodium.h>
#include <sys/stat.h>

/*
 * Each event's hash is BLAKE2b-256 over the previous event's hash and the
 * event's own fields, each length-prefixed (so field boundaries cannot be
 * shifted).  The first event chains from 32 zero bytes.  Editing, removing
 * or reordering an event breaks every later hash.
 */
#define HASH_LEN 32

static void hash_event(char out_hex[2 * HASH_LEN + 1], const char *prev_hex,
		       int64_t id, const char *time, const char *command,
		       const char *action, const char *detail)
{
	crypto_generichash_state st;
	uint8_t h[HASH_LEN];
	char idtxt[32];
	const char *fields[6];

	snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
	fields[0] = prev_hex;
	fields[1] = idtxt;
	fields[2] = time;
	fields[3] = command;
	fields[4] = action;
	fields[5] = detail;
	crypto_generichash_init(&st, (const uint8_t *)"kmvault-audit-v1", 16,
				HASH_LEN);
	for (size_t i = 0; i < KMV_ARRAY_SIZE(fields); i++) {
		uint64_t n = strlen(fields[i]);
		uint8_t len[8];

		for (int k = 0; k < 8; k++)
			len[k] = (uint8_t)(n >> (8 * k));
		crypto_generichash_update(&st, len, sizeof(len));
		crypto_generichash_update(&st, (const uint8_t *)fields[i], n);
	}
	crypto_generichash_final(&st, h, sizeof(h));
	for (int i = 0; i < HASH_LEN; i++)
		snprintf(out_hex + 2 * i, 3, "%02x", h[i]);
}

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

int kmv_audit_append(kmv_vault *vault, const char *action,
		     const char *detail_json)
{
	sqlite3 *db = kmv_vault__db(vault);
	sqlite3_stmt *st = NULL;
	char prev[2 * HASH_LEN + 1], hash[2 * HASH_LEN + 1],
		when[KMV_TIME_BUFSZ];
	kmv_time now = kmv_time_now();
	int64_t id = 1;
	const char *detail = detail_json && *detail_json ? detail_json : "{}";
	int error = 0;

	snprintf(prev, sizeof(prev), "%s", zero_hash);
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT id, hash FROM events ORDER BY id DESC LIMIT 1"));
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s",
			 (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	st = NULL;
	kmv_time_format(when, &now);
	hash_event(hash, prev, id, when, kmv_vault__command(vault), action,
		   detail);
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT INTO events(id, time, command, action, "
		"detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?)"));
	sqlite3_bind_int64(st, 1, id);
	kmv_db__bind_text(st, 2, when);
	kmv_db__bind_text(st, 3, kmv_vault__command(vault));
	kmv_db__bind_text(st, 4, action);
	kmv_db__bind_text(st, 5, detail);
	kmv_db__bind_text(st, 6, prev);
	kmv_db__bind_text(st, 7, hash);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(db, "cannot write audit event");
done:
	sqlite3_finalize(st);
	return error;
}

/*
 * "merged" events carry another copy's own events whole (kmv_vault_merge).
 * Each carried event must hash to its recorded hash and chain from an
 * event of this vault or from one carried before it, so the other copy's
 * history after the two parted stays verifiable as a chain of its own.
 */
static int verify_merged(sqlite3 *db)
{
	sqlite3_stmt *st = NULL, *known = NULL;
	char hash[2 * HASH_LEN + 1];
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT id, json_extract(detail, '$.id'),"
		" json_extract(detail, '$.time'), json_extract(detail, '$.command'),"
		" json_extract(detail, '$.action'), json_extract(detail, '$.detail'),"
		" json_extract(detail, '$.prev_hash'), json_extract(detail, '$.hash')"
		" FROM events WHERE action = 'merged' ORDER BY id"));
	KMV_TRY(kmv_db__prepare(
		&known, db,
		"SELECT 1 WHERE ?1 = ?3 OR EXISTS (SELECT 1 FROM events"
		" WHERE action <> 'merged' AND hash = ?1) OR EXISTS (SELECT 1"
		" FROM events WHERE action = 'merged' AND id < ?2"
		" AND json_extract(detail, '$.hash') = ?1)"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		bool chained;

		hash_event(hash, kmv_db__text_or_empty(st, 6),
			   sqlite3_column_int64(st, 1),
			   kmv_db__text_or_empty(st, 2),
			   kmv_db__text_or_empty(st, 3),
			   kmv_db__text_or_empty(st, 4),
			   kmv_db__text_or_empty(st, 5));
		kmv_db__bind_text(known, 1, kmv_db__text_or_empty(st, 6));
		sqlite3_bind_int64(known, 2, id);
		kmv_db__bind_text(known, 3, zero_hash);
		chained = sqlite3_step(known) == SQLITE_ROW;
		sqlite3_reset(known);
		if (strcmp(hash, kmv_db__text_or_empty(st, 7)) != 0 ||
		    !chained) {
			if (chained)
				kmv_error_set(KMV_ERROR_VAULT,
					      "audit chain broken at event "
					      "%lld (the merged event it "
					      "carries is altered)",
					      (long long)id);
			else
				kmv_error_set(KMV_ERROR_VAULT,
					      "audit chain broken at event "
					      "%lld (the merged event it "
					      "carries is not chained)",
					      (long long)id);
			error = KMV_ECORRUPT;
			goto done;
		}
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read audit log");
done:
	sqlite3_finalize(st);
	sqlite3_finalize(known);
	return error;
}

int kmv_audit__verify(sqlite3 *db, int64_t *count_out)
{
	sqlite3_stmt *st = NULL;
	char prev[2 * HASH_LEN + 1], hash[2 * HASH_LEN + 1];
	int64_t n = 0, expect_id = 1;
	int error = 0, rc;

	snprintf(prev, sizeof(prev), "%s", zero_hash);
	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT id, time, command, action, detail, "
				"prev_hash, hash FROM events ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *stored_prev = kmv_db__text_or_empty(st, 5);
		const char *stored_hash = kmv_db__text_or_empty(st, 6);

		if (id != expect_id || strcmp(stored_prev, prev) != 0) {
			kmv_error_set(KMV_ERROR_VAULT,
				      "audit chain broken at event %lld "
				      "(missing or reordered event)",
				      (long long)id);
			error = KMV_ECORRUPT;
			goto done;
		}
		/* time, command, action, detail */
		hash_event(hash, prev, id, kmv_db__text_or_empty(st, 1),
			   kmv_db__text_or_empty(st, 2),
			   kmv_db__text_or_empty(st, 3),
			   kmv_db__text_or_empty(st, 4));
		if (strcmp(hash, stored_hash) != 0) {
			kmv_error_set(KMV_ERROR_VAULT,
				      "audit chain broken at event %lld "
				      "(event altered)",
				      (long long)id);
			error = KMV_ECORRUPT;
			goto done;
		}
		snprintf(prev, sizeof(prev), "%s", hash);
		expect_id++;
		n++;
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read audit log");
	if (error == 0)
		error = verify_merged(db);
	if (count_out)
		*count_out = n;
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_audit_foreach(kmv_vault *vault, int64_t limit, kmv_audit_cb cb,
		      void *payload)
{
	sqlite3 *db = kmv_vault__db(vault);
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT id, time, command, action, detail, hash "
				"FROM events ORDER BY id DESC LIMIT ?"));
	sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kmv_audit_event ev = { sqlite3_column_int64(st, 0),
				       kmv_db__text_or_empty(st, 1),
				       kmv_db__text_or_empty(st, 2),
				       kmv_db__text_or_empty(st, 3),
				       kmv_db__text_or_empty(st, 4),
				       kmv_db__text_or_empty(st, 5) };

		if ((error = cb(&ev, payload)) != 0)
			goto done;
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read audit log");
done:
	sqlite3_finalize(st);
	return error;
}

/* Whether the vault file's size is no longer the one the open framed. */
static bool file_moved(const kmv_vault *vault)
{
	struct stat st;

	return stat(vault->path, &st) == 0 &&
	       (uint64_t)st.st_size != vault->tail.size;
}

int kmv_vault_check(kmv_vault *vault, int64_t *events_out)
{
	sqlite3 *db = kmv_vault__db(vault);
	sqlite3_stmt *st = NULL;
	int error = 0;

	/* Opens leave such bytes out (a crash during an append leaves them
	 * behind, the next save drops them); a check reports them, unless
	 * the file has changed since: another command's append under way. */
	if (vault->tail.torn && !file_moved(vault)) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault '%s' is corrupt: it ends in bytes that are "
			      "no complete audit tail entry (an interrupted "
			      "save leaves them; the next save drops them)",
			      vault->path);
		return KMV_ECORRUPT;
	}
	KMV_TRY(kmv_db__prepare(&st, db, "PRAGMA integrity_check"));
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "database integrity check failed: %s",
			      sqlite3_column_text(st, 0)
				      ? (const char *)sqlite3_column_text(st, 0)
				      : "no result");
		error = KMV_ECORRUPT;
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	KMV_TRY(kmv_db__exec(db, "INSERT INTO records_fts(records_fts) "
				 "VALUES('integrity-check')"));
	error = kmv_audit__verify(db, events_out);
done:
	sqlite3_finalize(st);
	return error;
}
