/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_APPEND_H
#define KMV_STORE_APPEND_H

/*
 * Saves that append (append.c): when everything a writer changed since
 * it loaded the vault is new audit events, kmv_vault_save seals those
 * rows as one audit tail entry (tail.h) and appends it to the file in
 * place, instead of rewriting, encrypting and syncing the whole vault.
 * Any other change, a schema change, a file that is not the one loaded,
 * a tail cut short by a crash or grown long makes the save a full one,
 * which folds the tail into the image.
 */
#include <stdbool.h>

#include "store/vault.h"

/* Insert the events of the loaded file's tail entries (`file`: its bytes). */
int kmv_append__replay(kmv_vault *v, const uint8_t *file, const char *name);

/*
 * A writer from here on notes every change an entry cannot carry.
 * `same_file`: the file loaded is the vault's own (not a backup being
 * restored), so appending to it is possible.
 */
void kmv_append__watch(kmv_vault *v, bool same_file);

/*
 * Append the new events as one entry when that is all that changed:
 * *appended true then, the handle's generation one higher.  *appended
 * false (and 0) means a full save is needed.
 */
int kmv_append__try(kmv_vault *v, bool *appended);

/* After a full save: an empty tail, and (a writer) a new base. */
void kmv_append__saved(kmv_vault *v);

#endif
