/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_VAULT_H
#define KMV_STORE_VAULT_H

/*
 * The open vault.  `db` is an in-memory SQLite database deserialized from
 * the decrypted payload (SQLite owns that buffer); `data_key` lives in
 * sodium_malloc memory for the life of the handle.  `lock_fd` >= 0 iff the
 * vault was opened for writing; the flock on it is what serializes
 * writers, and the kernel drops it when the process dies.
 */
#include <sqlite3.h>

#include "kmv/vault.h"
#include "store/envelope.h"
#include "store/tail.h"

struct kmv_vault {
	char *path;
	sqlite3 *db;
	uint8_t *data_key;
	struct kmv_env_header header;
	int lock_fd;
	bool write;
	char *command;
	/* The secretstream header of the payload loaded or last saved: random
	 * per save, so it names one save (the rollback mark, mark.c). */
	uint8_t stream[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	/* The audit tail of the file loaded or last saved (append.c): its
	 * entries, and for a writer the base the change
	 * since is measured from. */
	struct kmv_tail tail;
	bool appendable; /* the file at `path` is the one loaded, minor 1 */
	bool changed;    /* a change since the base an entry cannot carry */
	int64_t events_base, schema_base, user_version_base;
};

/*
 * The database of an open vault (lib-internal).  Inline, like the next
 * one, so that the files below vault.c (audit.c, sources.c) read an open
 * vault without calling into vault.c, which calls them.
 */
static inline sqlite3 *kmv_vault__db(kmv_vault *vault)
{
	return vault->db;
}

/* The generation of the save the handle holds (header + tail entries). */
static inline uint64_t kmv_vault__generation(const kmv_vault *vault)
{
	return kmv_tail__generation(&vault->header, &vault->tail);
}

/* The command name given at open (for audit events), or "kmvault". */
static inline const char *kmv_vault__command(const kmv_vault *vault)
{
	return vault->command ? vault->command : "kmvault";
}

/*
 * The one path every file operation on a vault uses (lock, temporary
 * file, .prev, rename, restore): `path` with symbolic links resolved
 * (realpath), so a symlinked vault is updated where it really is instead
 * of being replaced by a regular file.  A vault not yet there resolves
 * its directory.  Appends to `out`.
 */
int kmv_vault__resolve_path(kmv_buf *out, const char *path);

/*
 * Open the vault file `file` (a backup) for writing as the vault whose
 * writer lock `lock` holds: the lock moves into the handle (still release
 * `lock`), and kmv_vault_save then puts it in place of the vault by the
 * usual temporary file, .prev and rename.
 */
typedef struct kmv_vault_lock kmv_vault_lock;
int kmv_vault__open_as(kmv_vault **out, kmv_vault_lock *lock, const char *file,
		       kmv_unlock_kind kind, const kmv_secret *secret);

/*
 * After a save replaced generation `old_generation` (named `old_id`,
 * kmv_tail__save_id) by the handle's current one: raise the rollback mark (mark.c).  A save
 * from a rolled-back vault keeps the rollback noted until it is accepted.
 * Best effort: the save has happened; the next open reports a mark that
 * cannot be written.
 */
void kmv_vault__mark_saved(kmv_vault *vault, uint64_t old_generation,
			   const uint8_t *old_id);

#endif
