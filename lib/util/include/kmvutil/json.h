/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_JSON_H
#define KMVUTIL_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "kmvutil/buf.h"

/**
 * @file kmvutil/json.h
 * A small streaming JSON writer into a kmv_buf.  It tracks nesting and
 * commas so callers only say what comes next.  Strings are escaped per
 * RFC 8259 (control characters as \uXXXX, UTF-8 passed through).
 * Reading JSON is done through SQLite's JSON1 functions, not here.
 *
 * Errors are sticky: the first failed append is remembered and returned
 * by kmv_json_finish(), so a writer can emit a whole document and check
 * once.
 */

#define KMV_JSON_MAX_DEPTH 32

typedef struct kmv_json {
	kmv_buf *out;
	int depth;
	bool need_comma[KMV_JSON_MAX_DEPTH];
	bool after_key;
	bool pretty;
	int error;
} kmv_json;

/** Start writing into `out` (appends). `pretty` indents with two spaces. */
void kmv_json_init(kmv_json *j, kmv_buf *out, bool pretty);

void kmv_json_object_begin(kmv_json *j);
void kmv_json_object_end(kmv_json *j);
void kmv_json_array_begin(kmv_json *j);
void kmv_json_array_end(kmv_json *j);
void kmv_json_key(kmv_json *j, const char *key);
void kmv_json_string(kmv_json *j, const char *s); /**< NULL writes null */
void kmv_json_string_len(kmv_json *j, const char *s, size_t len);
void kmv_json_int(kmv_json *j, int64_t v);
void kmv_json_double(kmv_json *j, double v);
void kmv_json_bool(kmv_json *j, bool v);
void kmv_json_null(kmv_json *j);
/** A money amount in fen, written as a yuan string ("12.50"). */
void kmv_json_money(kmv_json *j, int64_t fen);
/** Already-serialized JSON (e.g. a stored JSON column), written verbatim. */
void kmv_json_raw(kmv_json *j, const char *json);

/* Key + value shorthands. */
void kmv_json_kv_string(kmv_json *j, const char *key, const char *s);
void kmv_json_kv_int(kmv_json *j, const char *key, int64_t v);
void kmv_json_kv_bool(kmv_json *j, const char *key, bool v);
void kmv_json_kv_money(kmv_json *j, const char *key, int64_t fen);
/** The value when `has`, else null (optional numbers and amounts). */
void kmv_json_kv_int_or_null(kmv_json *j, const char *key, bool has, int64_t v);
void kmv_json_kv_money_or_null(kmv_json *j, const char *key, bool has,
			       int64_t fen);

/** Append the escaped form of `s` (with quotes) to a buffer. */
int kmv_json_escape(kmv_buf *out, const char *s, size_t len);

/** 0, or the first error met while writing. */
int kmv_json_finish(kmv_json *j);

#endif
