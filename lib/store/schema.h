/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_SCHEMA_H
#define KMV_STORE_SCHEMA_H

/* The vault's SQL schema and its migrations (schema.c). */
#include <sqlite3.h>

/* Create or migrate the schema to the current version (schema.c). */
int kmv_schema__apply(sqlite3 *db);
/*
 * Migrate to `target` (< 0: the current version; 0: none, only refuse a
 * newer schema); tests build old vaults.
 */
int kmv_schema__migrate(sqlite3 *db, int target);

/* Current schema version (PRAGMA user_version). */
#define KMV_SCHEMA_VERSION 5

#endif
