/* SPDX-License-Identifier: MIT */
/* SQLite helpers shared by every lib/ module (store/db.h). */
#include "common.h"
#include "store/db.h"

#include "kmv/error.h"

int kmv_db__error(sqlite3 *db, const char *what)
{
	kmv_error_set(KMV_ERROR_DB, "%s: %s", what, sqlite3_errmsg(db));
	return KMV_ERROR;
}

int kmv_db__each(sqlite3 *db, sqlite3_stmt *st, kmv_db__row_fn row,
		 void *payload, const char *what)
{
	int error = 0, rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((error = row(st, payload)) != 0)
			break;
	if (!error && rc != SQLITE_DONE)
		error = kmv_db__error(db, what);
	sqlite3_finalize(st);
	return error;
}

int kmv_db__exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		kmv_error_set(KMV_ERROR_DB, "database error: %s",
			      msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return KMV_ERROR;
	}
	return 0;
}

int kmv_db__prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql)
{
	if (sqlite3_prepare_v2(db, sql, -1, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return kmv_db__error(db, "cannot prepare statement");
	}
	return 0;
}

int kmv_db__begin(sqlite3 *db)
{
	return kmv_db__exec(db, "BEGIN IMMEDIATE");
}

int kmv_db__commit(sqlite3 *db)
{
	return kmv_db__exec(db, "COMMIT");
}

void kmv_db__rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* NULL binds SQL NULL. */
static int bind_text(sqlite3_stmt *st, int idx, const char *s,
		     sqlite3_destructor_type how)
{
	int rc = s ? sqlite3_bind_text(st, idx, s, -1, how)
		   : sqlite3_bind_null(st, idx);

	return rc == SQLITE_OK ? 0 : KMV_ERROR;
}

int kmv_db__bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	return bind_text(st, idx, s, SQLITE_TRANSIENT);
}

const char *kmv_db__text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int64_t kmv_db__int64_or(sqlite3_stmt *st, int i, int64_t none)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL
		       ? none
		       : sqlite3_column_int64(st, i);
}

const char *kmv_db__text_or_empty(sqlite3_stmt *st, int i)
{
	const char *s = kmv_db__text(st, i);

	return s ? s : "";
}

int kmv_db__bind_text_static(sqlite3_stmt *st, int idx, const char *s)
{
	return bind_text(st, idx, s, SQLITE_STATIC);
}
