/* SPDX-License-Identifier: MIT */
#ifndef KMV_CORE_RECORD_COLUMNS_H
#define KMV_CORE_RECORD_COLUMNS_H

/*
 * KMV_RECORD_FIELDS (kmv/record.h) as a table, for the code that walks
 * every column: the reader (lib/store/records.c), the JSON shape and the
 * CSV cells (record.c), and kmv_record_dispose.
 */
#include <stddef.h>

#include "kmv/record.h"

typedef struct kmv_record__column {
	const char *column; /* "r.order_no", "s.name" */
	const char *key;    /* the JSON key */
	kmv_record_type type;
	int place;     /* KMV_RECORD_TOP, _IN_SOURCE, _NOT_IN_JSON */
	size_t offset; /* of the kmv_record member */
} kmv_record__column;

extern const kmv_record__column kmv_record__columns[KMV_RECORD_FIELD_COUNT];

/* The member of a string column, or NULL for the other types. */
char **kmv_record__string(kmv_record *rec, kmv_record_field field);

#endif
