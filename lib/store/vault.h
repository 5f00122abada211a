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
};

/* The database of an open vault (lib-internal). */
sqlite3 *kmv_vault__db(kmv_vault *vault);

/* The command name given at open (for audit events), or "kmvault". */
const char *kmv_vault__command(const kmv_vault *vault);

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
int kmv_vault__open_as(kmv_vault **out, kmv_vault_lock *lock,
		       const char *file, kmv_unlock_kind kind,
		       const kmv_secret *secret);

/*
 * After a save replaced generation `old_generation` (stream `old_stream`)
 * by the handle's current one: raise the rollback mark (mark.c).  A save
 * from a rolled-back vault keeps the rollback noted until it is accepted.
 * Best effort: the save has happened; the next open reports a mark that
 * cannot be written.
 */
void kmv_vault__mark_saved(kmv_vault *vault, uint64_t old_generation,
			   const uint8_t *old_stream);

/* Translate the last SQLite error of `db` into kmv_error; returns KMV_ERROR. */
int kmv_db__error(sqlite3 *db, const char *what);

/* Run SQL without results (several statements allowed). */
int kmv_db__exec(sqlite3 *db, const char *sql);

/* Prepare a statement or set the error. */
int kmv_db__prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql);

/* BEGIN / COMMIT / ROLLBACK helpers. */
int kmv_db__begin(sqlite3 *db);
int kmv_db__commit(sqlite3 *db);
void kmv_db__rollback(sqlite3 *db);

/* Bind helpers: NULL text binds SQL NULL. */
int kmv_db__bind_text(sqlite3_stmt *st, int idx, const char *s);
/* Column `i` as text: NULL stays NULL / becomes "". */
const char *kmv_db__text(sqlite3_stmt *st, int i);
const char *kmv_db__text_or_empty(sqlite3_stmt *st, int i);
/*
 * Bind without copying: `s` must stay valid until the statement is reset
 * and its bindings cleared (hot insert paths, where the copy and its wiped
 * free cost more than the insert's own string handling).
 */
int kmv_db__bind_text_static(sqlite3_stmt *st, int idx, const char *s);

/* Create or migrate the schema to the current version (schema.c). */
int kmv_schema__apply(sqlite3 *db);
/*
 * Migrate to `target` (< 0: the current version; 0: none, only refuse a
 * newer schema); tests build old vaults.
 */
int kmv_schema__migrate(sqlite3 *db, int target);

/* Current schema version (PRAGMA user_version). */
#define KMV_SCHEMA_VERSION 3

/* Verify the audit chain (audit.c); ECORRUPT naming the first bad event. */
int kmv_audit__verify(sqlite3 *db, int64_t *count_out);

/*
 * I/O used by saves, replaceable for fault injection (io.c).  The
 * environment variable KMVAULT_FAULT ("write:ENOSPC:after=N",
 * "fsync:EIO", "rename:EIO", "short-write:after=N") arms a fault for the
 * test suite; tests in C set the hooks directly.
 */
struct kmv_io {
	ssize_t (*write)(int fd, const void *buf, size_t len);
	int (*fsync)(int fd);
	int (*rename)(const char *from, const char *to);
};

extern struct kmv_io kmv_io__hooks;
void kmv_io__reset(void);
void kmv_io__arm_from_env(void);

/*
 * Saves write through a second thread (pipe_writer.c): put copies into
 * 1 MiB slots (the signature of kmv_env_write_fn), a thread calls `write`
 * on each full slot in order; finish flushes, joins and returns the first
 * write error with its message.  Always call finish after start.
 */
typedef int (*kmv_pipe_write_fn)(const void *data, size_t len, void *payload);
typedef struct kmv_pipe_writer kmv_pipe_writer;
int kmv_pipe_writer_start(kmv_pipe_writer **out, kmv_pipe_write_fn write,
			  void *payload);
int kmv_pipe_writer_put(const void *data, size_t len, void *writer);
int kmv_pipe_writer_finish(kmv_pipe_writer *w); /* NULL-safe */

#endif
