/* SPDX-License-Identifier: MIT */
#ifndef KMV_BACKUP_H
#define KMV_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmvutil/datetime.h"
#include "kmv/secret.h"
#include "kmv/vault.h"

/**
 * @file kmv/backup.h
 * Backups of the encrypted vault file (docs/backups.md).
 *
 * A backup is a byte copy of the vault file as it was at one save: still
 * encrypted, so making one needs no passphrase (cron has none).  Backups
 * live in one directory, named by UTC creation time and generation:
 * `kmvault-20260121T020000Z-g42.kmv` (mode 0600).  Only files with that
 * name shape are ever listed or pruned; anything else in the directory is
 * left alone.
 *
 * Retention follows restic's `forget`: calendar buckets (UTC days, ISO
 * weeks Monday to Sunday, UTC months), the newest backup of a bucket is
 * kept for the N most recent buckets of each rule, rules are ORed, and the
 * newest backup is always kept.
 */

/** One backup file in a backup directory. */
typedef struct kmv_backup_info {
	const char *file;    /**< base name */
	const char *path;    /**< directory + name */
	int64_t created;     /**< epoch seconds, from the name (UTC) */
	int64_t size;        /**< bytes */
	uint64_t generation; /**< vault generation, from the name */
} kmv_backup_info;

/** A list of backups, oldest first.  Free with kmv_backup_list_free(). */
typedef struct kmv_backup_list {
	kmv_backup_info *items;
	size_t count;
} kmv_backup_list;

/** Keep rules; a negative count means "rule not given". */
typedef struct kmv_retention {
	int keep_daily;
	int keep_weekly;
	int keep_monthly;
} kmv_retention;

#define KMV_RETENTION_INIT \
	{                  \
		-1, -1, -1 \
	}

/** True when at least one keep rule is given (else nothing is pruned). */
bool kmv_retention_active(const kmv_retention *r);

/**
 * Decide which of `count` backup times (epoch seconds, any order) to keep.
 * `keep[i]` is set for each kept one.  With no active rule every backup is
 * kept.  Backups are ranked by time only (a future-dated one counts as
 * the newest).
 */
int kmv_retention_apply(bool *keep, const int64_t *created, size_t count,
			const kmv_retention *rules);

/**
 * The same with a tiebreak: backups made within the same second are ranked
 * by `generation` (the higher is newer; may be NULL), so the newest of them
 * is the one kept.
 */
int kmv_retention_apply_generations(bool *keep, const int64_t *created,
				    const uint64_t *generation, size_t count,
				    const kmv_retention *rules);

typedef struct kmv_backup_options {
	unsigned int version;
	kmv_retention retention;
	kmv_time now; /**< names the copy; 0 epoch: kmv_time_now() */
} kmv_backup_options;

#define KMV_BACKUP_OPTIONS_VERSION 1
#define KMV_BACKUP_OPTIONS_INIT                                 \
	{                                                       \
		KMV_BACKUP_OPTIONS_VERSION, KMV_RETENTION_INIT, \
		{                                               \
			0, 0                                    \
		}                                               \
	}

/** What kmv_backup_create() did.  Free with kmv_backup_result_dispose(). */
typedef struct kmv_backup_result {
	char *file;   /**< the new (or newest, when skipped) backup */
	bool skipped; /**< the newest backup already had this save */
	uint64_t generation;
	int64_t size;
	char **pruned; /**< base names removed by the keep rules */
	size_t npruned;
} kmv_backup_result;

#define KMV_BACKUP_RESULT_INIT             \
	{                                  \
		NULL, false, 0, 0, NULL, 0 \
	}

/**
 * Does `target` name an rclone remote ("rclone:REMOTE:PATH", issue 18)?
 * Every function here that takes a backup directory or file takes such a
 * target too: the user's rclone (`$KMVAULT_RCLONE`, default "rclone")
 * moves the bytes, with the same names, keep rules and checks.
 */
bool kmv_backup_is_remote(const char *target);

/**
 * Copy the vault file at `vault_path` into `dir` (created 0700 if
 * missing).  The vault is opened once and copied from that descriptor: a
 * save replaces the file by rename, so the open file is one consistent
 * generation whatever a concurrent writer does.  The copy is written to a
 * temporary name (O_EXCL, 0600), fsynced, linked to its final name and
 * the directory fsynced; its header is then checked with
 * kmv_vault_peek().  When the newest backup holds the same save (same
 * generation, header and stream header) nothing is copied and `skipped`
 * is set.  Then the keep rules prune.
 *
 * Codes: KMV_ENOTFOUND (no vault), KMV_ECORRUPT (the vault header is
 * damaged: a damaged vault is not backed up over good backups),
 * KMV_ERROR (I/O; any partial copy is removed).
 */
int kmv_backup_create(kmv_backup_result *out, const char *vault_path,
		      const char *dir, const kmv_backup_options *opts);

void kmv_backup_result_dispose(kmv_backup_result *res); /**< NULL-safe */

/**
 * List the backups in `dir`, oldest first.  A missing directory is
 * KMV_ENOTFOUND.  Free with kmv_backup_list_free().
 */
int kmv_backup_list_dir(kmv_backup_list *out, const char *dir);

void kmv_backup_list_free(kmv_backup_list *list); /**< NULL-safe */

/**
 * Parse a backup file name ("kmvault-YYYYMMDDTHHMMSSZ-gN.kmv").
 * KMV_EINPUT when the name does not have that shape.
 */
int kmv_backup_parse_name(int64_t *created_out, uint64_t *generation_out,
			  const char *name);

/** Result of a verification. */
typedef struct kmv_backup_verify_result {
	uint64_t generation;
	int64_t events; /**< audit events verified */
} kmv_backup_verify_result;

/**
 * Fully verify a backup file: header checksum, keyslot, every payload
 * chunk, SQLite integrity and the audit chain (kmv_vault_open read-only +
 * kmv_vault_check).  Codes: KMV_ENOTFOUND, KMV_EAUTH (wrong secret),
 * KMV_ECORRUPT (damaged or tampered).
 */
int kmv_backup_verify(kmv_backup_verify_result *out, const char *file,
		      kmv_unlock_kind kind, const kmv_secret *secret);

typedef struct kmv_restore_options {
	unsigned int version;
	bool force;       /**< replace an existing vault */
	int wait_seconds; /**< for the writer lock */
	kmv_time now;     /**< names the aside file; 0: now */
} kmv_restore_options;

#define KMV_RESTORE_OPTIONS_VERSION 1
#define KMV_RESTORE_OPTIONS_INIT                       \
	{                                              \
		KMV_RESTORE_OPTIONS_VERSION, false, 0, \
		{                                      \
			0, 0                           \
		}                                      \
	}

typedef struct kmv_restore_result {
	char *aside;         /**< where the replaced vault was kept, or NULL */
	uint64_t generation; /**< of the restored vault after its audit save */
	int64_t events;
} kmv_restore_result;

#define KMV_RESTORE_RESULT_INIT \
	{                       \
		NULL, 0, 0      \
	}

/**
 * Restore `backup` as the vault at `vault_path`.  Under the vault's
 * writer lock: verify the backup (as kmv_backup_verify), refuse with
 * KMV_EEXISTS when a vault exists and `force` is not set, keep the
 * current vault as `<vault>.before-restore-YYYYMMDDTHHMMSSZ` (a hard
 * link, so there is never a moment without a vault), copy the backup to a
 * temporary file beside the vault, fsync, rename it into place and fsync
 * the directory.  The restored vault is then opened for writing, a
 * "restore" audit event appended and saved (its generation goes up by
 * one).  Codes: those of kmv_backup_verify, KMV_EEXISTS, KMV_ELOCKED,
 * KMV_ERROR.  Free the result with kmv_restore_result_dispose().
 */
int kmv_backup_restore(kmv_restore_result *out, const char *backup,
		       const char *vault_path, kmv_unlock_kind kind,
		       const kmv_secret *secret,
		       const kmv_restore_options *opts);

void kmv_restore_result_dispose(kmv_restore_result *res); /**< NULL-safe */

#endif
