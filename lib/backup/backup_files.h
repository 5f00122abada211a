/* SPDX-License-Identifier: MIT */
#ifndef KMV_BACKUP_FILES_H
#define KMV_BACKUP_FILES_H

/*
 * What a backup folder and an rclone remote share (backup_files.c;
 * backup.c and rclone.c use it): the vault's head, backup names, the sort order and
 * the keep decision.  Internal to lib/backup.
 */
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>

#include "kmv/backup.h"
#include "kmvutil/buf.h"
#include "store/envelope.h"

/* Enough of the file to tell two saves apart: header + stream header. */
#define KMV_BACKUP_HEAD_MAX                                         \
	(KMV_ENV_FIXED_LEN + KMV_ENV_MAX_SLOTS * KMV_ENV_SLOT_LEN + \
	 KMV_ENV_CHECKSUM_LEN +                                     \
	 crypto_secretstream_xchacha20poly1305_HEADERBYTES)

/* Open the vault file read-only: `*fd`, its size; it must be regular. */
int kmv_backup__open_vault(int *fd, int64_t *size, const char *vault_path);

/*
 * Read the head of a vault file of `size` bytes from `fd` at offset 0 and
 * check its header; `head` receives the header plus the stream header
 * (the part that differs between any two saves), `generation` the save's
 * generation (the header's plus the audit tail's entries), `size` becomes
 * the length of that save (without a cut entry an append under way
 * leaves) and `last` its last 16 bytes (the final chunk's or the last
 * entry's tag: what tells apart two appends to copies of one save).
 */
int kmv_backup__read_head(uint8_t head[KMV_BACKUP_HEAD_MAX], size_t *head_len,
			  uint64_t *generation, uint8_t last[16], int fd,
			  int64_t *size, const char *path);

/* "YYYYMMDDTHHMMSSZ" for a time (UTC). */
void kmv_backup__utc_stamp(char out[32], int64_t epoch);

/* "kmvault-YYYYMMDDTHHMMSSZ-gN.kmv" for a time (UTC) and a generation. */
int kmv_backup__name(kmv_buf *out, int64_t epoch, uint64_t generation);

/* Append a copy of `info` (its file and path strings are copied). */
int kmv_backup__list_push(kmv_backup_list *list, size_t *alloc,
			  const kmv_backup_info *info);

/* Oldest first: by time, then generation, then name. */
void kmv_backup__sort(kmv_backup_list *list);

/*
 * Which backups of `list` the keep rules keep; `fresh` (the base name of
 * the backup just written, or NULL) is always kept.
 */
int kmv_backup__keep(bool *keep, const kmv_backup_list *list, const char *fresh,
		     const kmv_retention *rules);

#endif
