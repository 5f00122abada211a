/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_AGENT_H
#define KMV_STORE_AGENT_H

/* The vault's side of the unlock agent (agent.c, kmv/agent.h). */
#include "kmv/secret.h"
#include "store/envelope.h"

/*
 * Check that `secret` (from kmv_agent_fetch) belongs to the vault whose
 * header is `h` and copy its data key into `data_key`.  KMV_EAUTH when it
 * belongs to another vault or to keyslots replaced since the unlock.
 */
int kmv_agent__unwrap(uint8_t *data_key, const struct kmv_env_header *h,
		      const kmv_secret *secret);

#endif
