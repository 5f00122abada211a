/* SPDX-License-Identifier: MIT */
#ifndef KMV_AGENT_H
#define KMV_AGENT_H

#include <stdbool.h>
#include <stdint.h>

#include "kmv/error.h"
#include "kmv/secret.h"
#include "kmv/vault.h"

/**
 * @file kmv/agent.h
 * `kmvault unlock`: the data key of an open vault kept in the Linux kernel
 * keyring for a while, so that the next commands skip the passphrase and
 * its key derivation (as gpg-agent's cache and sudo's timestamp do).
 *
 * The key is a "user" key in the session keyring (the user keyring when
 * the process has no session keyring), readable only by its possessors,
 * with a kernel timeout.  Its description names the vault id and a hash
 * of the keyslots ("kmvault:<vault id>:<slots hash>"), so a passphrase
 * change or another vault never finds it; its payload is the data key and
 * a tag keyed by that data key over the same binding, so a key placed
 * under the name of another vault is refused.  Nothing is written to disk.
 * docs/security.md gives the threat model.
 */

/** What a lookup found. */
typedef enum {
	KMV_AGENT_FOUND = 0,  /**< a valid key for this vault */
	KMV_AGENT_ABSENT,     /**< never unlocked, or locked again */
	KMV_AGENT_EXPIRED,    /**< the unlock timed out or was revoked */
	KMV_AGENT_INVALID,    /**< a key under this vault's name that does
				      not belong to it (it is forgotten) */
	KMV_AGENT_UNAVAILABLE /**< no usable kernel keyring (kmv_error_last
				      says why) */
} kmv_agent_status;

/** Where an unlock went. */
typedef struct kmv_agent_info {
	int32_t key_id;    /**< kernel key serial number */
	bool user_keyring; /**< true: user keyring, false: session */
	unsigned int timeout_seconds;
} kmv_agent_info;

/** Longest unlock accepted (one day). */
#define KMV_AGENT_MAX_TIMEOUT (24u * 3600u)

/**
 * Keep the data key of an open vault in the keyring for `timeout_seconds`
 * (1 .. KMV_AGENT_MAX_TIMEOUT), replacing any earlier unlock of the same
 * vault.  KMV_ERROR when the keyring refuses (the detail says why).
 */
int kmv_agent_store(kmv_vault *vault, unsigned int timeout_seconds,
		    kmv_agent_info *info_out);

/**
 * Look up the unlocked key of the vault at `path` (its header only is
 * read).  Returns 0 and sets `*status`; on KMV_AGENT_FOUND `*key_out`
 * receives the secret to pass to kmv_vault_open() with
 * KMV_UNLOCK_AGENT.  A negative code only when the file's header cannot
 * be read (KMV_ENOTFOUND, KMV_ECORRUPT, KMV_ERROR).
 */
int kmv_agent_fetch(kmv_secret **key_out, kmv_agent_status *status,
		    const char *path);

/**
 * Forget (invalidate) the unlocked keys of the vault at `path`, or of
 * every vault when `path` is NULL.  `*forgotten` (may be NULL) receives
 * how many keys were dropped.  An unavailable keyring holds nothing, so
 * it is not an error.  KMV_ENOTFOUND / KMV_ECORRUPT when `path`'s header
 * cannot be read.
 */
int kmv_agent_forget(const char *path, unsigned int *forgotten);

/**
 * Parse a duration: "90" or "90s", "15m", "2h", "1h30m".  KMV_EUSAGE when
 * malformed, zero or above KMV_AGENT_MAX_TIMEOUT.
 */
int kmv_agent_parse_timeout(unsigned int *seconds_out, const char *text);

#endif
