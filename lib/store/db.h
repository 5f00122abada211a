/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_DB_H
#define KMV_STORE_DB_H

/* SQLite helpers of every lib/ module (db.c): errors, statements,
 * transactions, binding. */
#include <sqlite3.h>
#include <stdint.h>

/* Translate the last SQLite error of `db` into kmv_error; returns KMV_ERROR. */
int kmv_db__error(sqlite3 *db, const char *what);

/* Run SQL without results (several statements allowed). */
int kmv_db__exec(sqlite3 *db, const char *sql);

/* Prepare a statement or set the error. */
int kmv_db__prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql);

/*
 * The listings' loop: step `st` (prepared and bound) to its end, calling
 * `row` on each row; a nonzero return from `row` stops the walk and is
 * returned.  `st` is finalized whatever happens; `what` names the reading
 * in a database error ("cannot list cases").
 */
typedef int (*kmv_db__row_fn)(sqlite3_stmt *st, void *payload);
int kmv_db__each(sqlite3 *db, sqlite3_stmt *st, kmv_db__row_fn row,
		 void *payload, const char *what);

/* BEGIN / COMMIT / ROLLBACK helpers. */
int kmv_db__begin(sqlite3 *db);
int kmv_db__commit(sqlite3 *db);
void kmv_db__rollback(sqlite3 *db);

/* Bind helpers: NULL text binds SQL NULL. */
int kmv_db__bind_text(sqlite3_stmt *st, int idx, const char *s);
/* Column `i` as text: NULL stays NULL / becomes "". */
const char *kmv_db__text(sqlite3_stmt *st, int i);
const char *kmv_db__text_or_empty(sqlite3_stmt *st, int i);
/* Column `i` as an integer, `none` when it is NULL (an unknown amount). */
int64_t kmv_db__int64_or(sqlite3_stmt *st, int i, int64_t none);
/*
 * Bind without copying: `s` must stay valid until the statement is reset
 * and its bindings cleared (hot insert paths, where the copy and its wiped
 * free cost more than the insert's own string handling).
 */
int kmv_db__bind_text_static(sqlite3_stmt *st, int idx, const char *s);

#endif
