/* SPDX-License-Identifier: MIT */
#ifndef KMV_EDIT_H
#define KMV_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmv/resolve.h"
#include "kmv/vault.h"

/**
 * @file kmv/edit.h
 * Corrections by the user (`edit`, `tag`, `void`, `unvoid`): nothing is
 * ever physically deleted and every change is one audit event.
 *
 * - edit changes platform, merchant, category (columns) and the user's
 *   note (extra.note); the first edit of a field keeps the imported value
 *   in extra.imported.<field>, so the original stays.
 * - tags live in extra.tags (a sorted JSON array).
 * - void sets the tombstone deleted_at: the record is hidden from query,
 *   match, anomalies, reports, reminders and evidence; unvoid clears it.
 *
 * Each call needs a vault opened for writing, runs in one transaction
 * (nothing changes on failure) and appends its audit event; the caller
 * saves.  `who` (may be NULL) is recorded as the event's user.
 */

typedef struct kmv_edit_fields {
	const char *platform; /**< NULL = unchanged; "" = clear */
	const char *merchant;
	const char *category;
	const char *note;
	/**
	 * NULL: a correction by hand.  Else the categorising rule that made
	 * it ("FILE:LINE", kmv/catrules.h): kept in the event ("rule") and in
	 * extra.rules.<field>, so later rule runs know the field is theirs to
	 * change; a change by hand removes extra.rules.<field> again.
	 */
	const char *rule;
} kmv_edit_fields;

#define KMV_EDIT_FIELDS_INIT                 \
	{                                    \
		NULL, NULL, NULL, NULL, NULL \
	}

/**
 * Edit one record.  *changed_out (may be NULL) = number of fields whose
 * value changed; no event when 0.  KMV_ENOTFOUND (no such record),
 * KMV_EUSAGE (nothing to change, a value too long or with control
 * characters).
 */
int kmv_record_edit(kmv_vault *vault, int64_t id, const kmv_edit_fields *f,
		    const char *who, int *changed_out);

/**
 * Add and remove tags (a tag: 1-64 bytes of UTF-8 text without spaces,
 * commas or control characters).  KMV_EUSAGE for a bad tag.
 */
int kmv_record_tag(kmv_vault *vault, int64_t id, const char *const *add,
		   size_t nadd, const char *const *remove, size_t nremove,
		   const char *who, int *changed_out);

/** kmv_record_tag by a categorising rule ("FILE:LINE", kept as "rule"). */
int kmv_record_tag_by_rule(kmv_vault *vault, int64_t id, const char *const *add,
			   size_t nadd, const char *rule, const char *who,
			   int *changed_out);

/**
 * Void (or, with `unvoid`, restore) records.  Records already in that
 * state are left as they are; *changed_out = how many changed.  One
 * event for the whole call, naming every record changed, the reason and
 * the source for --source.
 */
int kmv_record_void(kmv_vault *vault, const kmv_record_ids *ids, bool unvoid,
		    const char *reason, int64_t source_id, const char *who,
		    int *changed_out);

/**
 * The records source `source_id` introduced (it, or the members of the
 * ZIP / mbox it is) that no other source also holds (an order seen again
 * in a later export is held by that one too).  KMV_ENOTFOUND: no source.
 */
int kmv_source_records(kmv_vault *vault, int64_t source_id,
		       kmv_record_ids *ids);

/** One step of a record's history, oldest first. */
typedef struct kmv_history_entry {
	const char *time;      /**< of the event */
	const char *who;       /**< user, or NULL */
	const char *action;    /**< edit, tag, void, unvoid */
	const char *field;     /**< edit: the field; tag: "tags"; else NULL */
	const char *old_value; /**< NULL = none */
	const char *new_value; /**< NULL = none; void: the reason */
	const char *rule;      /**< the categorising rule, or NULL */
} kmv_history_entry;

typedef int (*kmv_history_cb)(const kmv_history_entry *e, void *payload);

/** The corrections of a record, from the audit log (strings borrowed). */
int kmv_record_history(kmv_vault *vault, int64_t id, kmv_history_cb cb,
		       void *payload);

#endif
