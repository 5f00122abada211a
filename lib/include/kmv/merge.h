/* SPDX-License-Identifier: MIT */
#ifndef KMV_MERGE_H
#define KMV_MERGE_H

/**
 * @file kmv/merge.h
 * Merging a diverged copy of the same vault (issue 18.2): the file a sync
 * client kept aside when two devices saved between two syncs.
 */
#include <stdint.h>

#include "kmv/secret.h"
#include "kmv/vault.h"

/** What kmv_vault_merge() brought over from the other copy. */
typedef struct kmv_merge_result {
	int64_t sources, records, links, timeline, aliases;
	int64_t cases, case_records, case_notes, memberships, renewals;
	int64_t attachments, other_rows; /**< rows of every other table */
	int64_t events;       /**< the other copy's own audit events */
	int64_t common_event; /**< last audit event both share */
	char other_head[65];  /**< hash of the other copy's last event */
} kmv_merge_result;

/** True when kmv_vault_merge() found nothing to bring over. */
int kmv_merge_result_empty(const kmv_merge_result *r);

/**
 * Merge the vault at `other_path` into `vault` (opened for writing), in
 * the vault's open transaction-free state: everything happens in one SQL
 * transaction and is written by the caller's kmv_vault_save(), so a
 * killed merge leaves the vault as it was.
 *
 * The other copy is opened with `kind` / `secret` (the same keyslots, as
 * after a sync conflict) and fully checked first.  Records are matched by
 * their dedup identity, sources by SHA-256, cases by when they were opened
 * and why, memberships by platform and creation time; links, timeline
 * events, aliases, notes, attachments and the rows of every other table
 * are added when absent, their record / source / case references
 * translated.  A case or membership changed on both sides keeps the later
 * change.  The other copy's audit events after the last one both share
 * are appended as `merged` events carrying each original event whole
 * (kmv_vault_check verifies their own hash chain too), then one `merge`
 * event names both heads.  A second merge of the same copy adds nothing.
 *
 * Codes: KMV_EAUTH (the other copy does not open with this secret),
 * KMV_ECORRUPT (the other copy is damaged or its audit chain is broken),
 * KMV_EINPUT (another vault: a different vault identity, or the vault
 * itself), KMV_ENOTFOUND (no such file), KMV_ERROR.
 */
int kmv_vault_merge(kmv_merge_result *out, kmv_vault *vault,
		    const char *other_path, kmv_unlock_kind kind,
		    const kmv_secret *secret);

#endif
