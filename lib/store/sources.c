/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/vault.h"
#include "store/db.h"
#include "kmv/sources.h"
#include "kmvutil/compress.h"

int kmv_sources_foreach(kmv_vault *vault, kmv_source_cb cb, void *payload)
{
	sqlite3 *db = kmv_vault__db(vault);
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT id, coalesce(parent_id, 0), kind, name, "
				"sha256, size, rows, meta, imported_at "
				"FROM sources ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kmv_source_info s = { sqlite3_column_int64(st, 0),
				      sqlite3_column_int64(st, 1),
				      kmv_db__text(st, 2),
				      kmv_db__text(st, 3),
				      kmv_db__text(st, 4),
				      sqlite3_column_int64(st, 5),
				      sqlite3_column_int64(st, 6),
				      kmv_db__text(st, 7),
				      kmv_db__text(st, 8) };

		if ((error = cb(&s, payload)) != 0)
			goto done;
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot list sources");
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_source_content(kmv_buf *out, kmv_vault *vault, int64_t source_id)
{
	sqlite3 *db = kmv_vault__db(vault);
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db, "SELECT content, size FROM sources WHERE id = ?"));
	sqlite3_bind_int64(st, 1, source_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		kmv_error_set(KMV_ERROR_INPUT, "no source with id %lld",
			      (long long)source_id);
		error = KMV_ENOTFOUND;
		goto done;
	}
	error = kmv_decompress(out, sqlite3_column_blob(st, 0),
			       (size_t)sqlite3_column_bytes(st, 0),
			       (size_t)sqlite3_column_int64(st, 1));
done:
	sqlite3_finalize(st);
	return error;
}
