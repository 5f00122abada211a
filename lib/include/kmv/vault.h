/* SPDX-License-Identifier: MIT */
#ifndef KMV_VAULT_H
#define KMV_VAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "kmv/error.h"
#include "kmv/secret.h"

/**
 * @file kmv/vault.h
 * The encrypted vault: one file holding an SQLite database inside an
 * authenticated envelope (docs/vault-format.md).  Opening verifies the
 * header checksum (KMV_ECORRUPT), unwraps the data key (KMV_EAUTH), and
 * decrypts and verifies the whole payload (KMV_ECORRUPT) before the
 * database is usable.  Nothing plaintext ever reaches the disk.
 *
 * A vault opened for writing holds an exclusive lock on `<path>.lock`
 * from open to free; kmv_vault_save() replaces the file atomically and
 * keeps the previous generation as `<path>.prev`.
 */

typedef struct kmv_vault kmv_vault;

typedef enum {
	KMV_KDF_INTERACTIVE = 1, /**< Argon2id 2 passes, 64 MiB */
	KMV_KDF_MODERATE = 2,    /**< Argon2id 3 passes, 256 MiB (default) */
	KMV_KDF_SENSITIVE = 3    /**< Argon2id 4 passes, 1 GiB */
} kmv_kdf_preset;

/** Which keyslot unlocks the vault. */
typedef enum {
	KMV_UNLOCK_PASSPHRASE = 1,
	KMV_UNLOCK_RECOVERY = 2,
	KMV_UNLOCK_AGENT = 3 /**< the secret from kmv_agent_fetch() */
} kmv_unlock_kind;

/** "XXXX-XXXX-...-XXXX": 9 groups of 4 Crockford base32 digits + NUL. */
#define KMV_RECOVERY_KEY_BUFSZ 48

typedef struct kmv_vault_create_options {
	unsigned int version;
	kmv_kdf_preset kdf;
} kmv_vault_create_options;

#define KMV_VAULT_CREATE_OPTIONS_VERSION 1
#define KMV_VAULT_CREATE_OPTIONS_INIT                              \
	{                                                          \
		KMV_VAULT_CREATE_OPTIONS_VERSION, KMV_KDF_MODERATE \
	}

typedef struct kmv_vault_open_options {
	unsigned int version;
	bool write;          /**< take the writer lock; allows save */
	int wait_seconds;    /**< how long to wait for the lock (0: fail) */
	const char *command; /**< recorded in the lock file and audit log */
} kmv_vault_open_options;

#define KMV_VAULT_OPEN_OPTIONS_VERSION 1
#define KMV_VAULT_OPEN_OPTIONS_INIT                            \
	{                                                      \
		KMV_VAULT_OPEN_OPTIONS_VERSION, false, 0, NULL \
	}

/**
 * Create a new vault at `path` (parent directories made 0700, file 0600)
 * with a fresh schema, and return the recovery key (printed once by the
 * CLI).  KMV_EEXISTS if a vault is already there.
 */
int kmv_vault_create(char recovery_key_out[KMV_RECOVERY_KEY_BUFSZ],
		     const char *path, const kmv_secret *passphrase,
		     const kmv_vault_create_options *opts);

/**
 * Open and fully verify a vault.  Expected codes: KMV_ENOTFOUND (no file),
 * KMV_ECORRUPT (damaged header or payload), KMV_EAUTH (wrong passphrase or
 * recovery key), KMV_ELOCKED (write requested, another writer holds it).
 * The caller frees the vault with kmv_vault_free().
 */
int kmv_vault_open(kmv_vault **out, const char *path, kmv_unlock_kind kind,
		   const kmv_secret *secret,
		   const kmv_vault_open_options *opts);

/**
 * Check only the plaintext header of a vault file (no key needed):
 * magic, version and checksum.  Fills the generation when non-NULL.
 */
int kmv_vault_peek(const char *path, uint64_t *generation_out);

/**
 * Write the database back: serialize, encrypt under the same data key
 * with a fresh stream nonce and generation + 1, write a temporary file
 * beside the vault (O_EXCL, 0600), fsync, keep the old file as
 * `<path>.prev`, rename over the vault, fsync the directory.  On any
 * failure the old vault is left byte-identical and KMV_ERROR returned.
 * Requires a vault opened for writing.
 */
int kmv_vault_save(kmv_vault *vault);

/** Replace the passphrase keyslot (the data key and payload stay). */
int kmv_vault_passwd(kmv_vault *vault, const kmv_secret *new_passphrase);

/** Generation number of the open vault (increments on each save). */
uint64_t kmv_vault_generation(const kmv_vault *vault);

/** The path the vault was opened from. Borrowed. */
const char *kmv_vault_path(const kmv_vault *vault);

/** True when opened for writing. */
bool kmv_vault_writable(const kmv_vault *vault);

/**
 * Hold the writer lock of the vault at `path` without opening it (backup
 * restore replaces the file under this lock).  KMV_ELOCKED naming the
 * holder when another writer has it after `wait_seconds`.
 */
typedef struct kmv_vault_lock kmv_vault_lock;
int kmv_vault_lock_take(kmv_vault_lock **out, const char *path,
			int wait_seconds, const char *command);
void kmv_vault_lock_release(kmv_vault_lock *lock); /**< NULL-safe */

/**
 * Process-wide: accept keyslot KDF parameters above the 'sensitive'
 * preset (1 GiB, 4 passes).  Off by default, so a forged header cannot
 * make each passphrase try cost minutes and gigabytes (KMV_ECORRUPT).
 */
void kmv_vault_allow_expensive_kdf(bool allow);

/** Close without saving; releases the lock. NULL-safe. */
void kmv_vault_free(kmv_vault *vault);

/**
 * The default vault path: $KMVAULT_VAULT, else
 * $XDG_DATA_HOME/kmvault/vault.kmv, else ~/.local/share/kmvault/vault.kmv.
 * Returns a heap string or NULL (no HOME).
 */
char *kmv_vault_default_path(void);

/** Parse "interactive|moderate|sensitive". KMV_EUSAGE if unknown. */
int kmv_kdf_preset_parse(kmv_kdf_preset *out, const char *name);

/**
 * Run the audit-chain and SQLite integrity checks on an open vault.
 * KMV_ECORRUPT with a detail naming the first bad event or page.
 * `events_out` (may be NULL) receives the number of events verified.
 */
int kmv_vault_check(kmv_vault *vault, int64_t *events_out);

/**
 * Append an audit event: `action` (e.g. "import"), and a JSON object with
 * counts and hashes (may be NULL).  Chained by BLAKE2b over the previous
 * event's hash.  Part of the current transaction, saved with the vault.
 */
int kmv_audit_append(kmv_vault *vault, const char *action,
		     const char *detail_json);

typedef struct kmv_audit_event {
	int64_t id;
	const char *time; /**< ISO 8601 with offset */
	const char *command;
	const char *action;
	const char *detail; /**< JSON object text */
	const char *hash;   /**< hex BLAKE2b-256 */
} kmv_audit_event;

typedef int (*kmv_audit_cb)(const kmv_audit_event *ev, void *payload);

/** Newest first; at most `limit` events (0: all). */
int kmv_audit_foreach(kmv_vault *vault, int64_t limit, kmv_audit_cb cb,
		      void *payload);

/**
 * Sync-conflict copies of the vault in its folder: the files Syncthing,
 * Nextcloud, ownCloud, Dropbox, Seafile or a "NAME (1)" client made when
 * two devices saved between syncs (regular files only, sorted by name).
 * `*paths_out` is NULL when there are none; free it with
 * kmv_vault_conflict_copies_free().  An unreadable folder is no copy.
 */
int kmv_vault_conflict_copies(char ***paths_out, size_t *count_out,
			      const char *vault_path);

void kmv_vault_conflict_copies_free(char **paths, size_t count);

/**
 * Rollback detection (docs/security.md): a small mark outside the vault,
 * `DIR/<vault id>.gen`, holds for each path the vault is opened from the
 * highest generation seen and which save it was (the stream header,
 * random per save), authenticated with a key derived from the data key.  A vault older than the mark, or another
 * save at the same generation, was put back over a newer one.  The mark
 * is kept only once a directory is set (the CLI sets
 * kmv_vault_mark_default_dir()); every save raises it.
 */
typedef enum {
	KMV_MARK_OFF = 0,  /**< no mark directory set */
	KMV_MARK_OK,       /**< at or above the mark (raised to it) */
	KMV_MARK_NEW,      /**< no mark yet: one was written */
	KMV_MARK_ROLLBACK, /**< older than a save seen before */
	KMV_MARK_UNTRUSTED /**< the mark fails authentication: not used */
} kmv_mark_status;

typedef struct kmv_mark_report {
	kmv_mark_status status;
	uint64_t generation; /**< the open vault's */
	uint64_t seen;       /**< ROLLBACK: the highest generation seen */
	bool replaced;       /**< ROLLBACK: that generation itself was replaced
				   by a different save (not only an older one) */
	char *path;          /**< the mark file (heap; NULL when OFF) */
} kmv_mark_report;

/** Process-wide: keep marks in `dir` (made 0700); NULL turns them off. */
int kmv_vault_mark_dir_set(const char *dir);

/**
 * $XDG_STATE_HOME/kmvault, else ~/.local/state/kmvault; heap string, or
 * NULL when neither is set.
 */
char *kmv_vault_mark_default_dir(void);

/**
 * Compare the open vault with its mark and raise the mark when the vault
 * is newer.  A mark that fails authentication is reported (UNTRUSTED),
 * never used or replaced here.  KMV_ERROR when the mark cannot be read
 * or written (the report still says what is known).  Dispose the report.
 */
int kmv_vault_mark_check(kmv_vault *vault, kmv_mark_report *out);

/**
 * Accept the open vault's generation as the newest: the mark is set to
 * it, whatever it said before (--accept-rollback, backup restore).
 */
int kmv_vault_mark_accept(kmv_vault *vault);

void kmv_mark_report_dispose(kmv_mark_report *report);

#endif
