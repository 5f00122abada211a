/* SPDX-License-Identifier: MIT */
#ifndef KMV_QUERY_REVEAL_H
#define KMV_QUERY_REVEAL_H

/*
 * The audit event of a card secret shown unmasked, written where the
 * secret leaves the library (show.c's lookup, query.c's rows) so that no
 * caller of the API can reveal one without the log knowing.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kmv/vault.h"

/* {"record": id, "kind": ..., "order_no": ..., "card_secret": bool}. */
int kmv_reveal__audit(kmv_vault *vault, int64_t id, const char *kind,
		      const char *order_no, bool card_secret);

#endif
