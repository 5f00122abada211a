/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_AUDIT_H
#define KMV_STORE_AUDIT_H

/* The audit log's hash chain (audit.c). */
#include <sqlite3.h>
#include <stdint.h>

/* Verify the audit chain (audit.c); ECORRUPT naming the first bad event. */
int kmv_audit__verify(sqlite3 *db, int64_t *count_out);

#endif
