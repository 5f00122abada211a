/* SPDX-License-Identifier: MIT */
#ifndef KMV_BACKUP_RCLONE_H
#define KMV_BACKUP_RCLONE_H

/*
 * Backups on any rclone remote (issue 18): `--to rclone:REMOTE:PATH`.
 * The transport is the user's own rclone, run as a child process with
 * an argument vector (no shell): `rcat` uploads to a temporary name,
 * the upload is checked by size and SHA-256 (`hashsum`, or a read-back
 * with `cat` where the backend has no SHA-256), then `moveto` gives it
 * its final name, so a failed or killed upload never leaves a file under
 * a backup's name.  `lsjson` lists, `cat` downloads, `deletefile` prunes.
 *
 * $KMVAULT_RCLONE names the program and leading flags, split at spaces
 * (e.g. "rclone --config /etc/kmvault/rclone.conf"); default "rclone".
 * The child's environment has no KMVAULT_PASSPHRASE* variable.
 *
 * Internal to lib/backup; backup.c dispatches here for remote targets.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kmv/backup.h"

#define KMV_RCLONE_PREFIX "rclone:"

/* Does `target` name an rclone remote ("rclone:REMOTE:PATH")? */
bool kmv_rclone__is_remote(const char *target);

/* kmv_backup_create for a remote target; same result and rules. */
int kmv_rclone__create(kmv_backup_result *out, const char *vault_path,
		       const char *target, const kmv_backup_options *opts);

/* kmv_backup_list_dir for a remote target (`path` is the remote name). */
int kmv_rclone__list(kmv_backup_list *out, const char *target);

/*
 * Download the remote backup `file` ("rclone:REMOTE:PATH/NAME") into a
 * new private directory; `*local_out` is the downloaded file's path and
 * `*dir_out` the directory to hand to kmv_rclone__discard() afterwards.
 * Only ciphertext reaches the disk.  KMV_ENOTFOUND when there is no such
 * file.
 */
int kmv_rclone__fetch(char **local_out, char **dir_out, const char *file);

/* Remove what kmv_rclone__fetch() wrote and free both strings. */
void kmv_rclone__discard(char *local, char *dir);

#endif
