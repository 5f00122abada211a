/* SPDX-License-Identifier: MIT */
/*
 * The one INSERT of a record (insert.h): the binding of a kmv_record to
 * the records columns and the single-row insert with its duplicate
 * lookup.  sink.c (add_record) and batch.c (multi-row batches) both sit
 * above this file.
 */
#include "common.h"
#include "core/record_columns.h"
#include "import/insert.h"
#include "import/session.h"
#include "store/db.h"

/* "order_no" of "r.order_no". */
static const char *column_name(const kmv_record__column *c)
{
	return c->column + 2;
}

int kmv_insert__sql(kmv_buf *sql, int rows)
{
	int error = 0;
	const char *sep = "";

	KMV_TRY(kmv_buf_puts(sql, "INSERT OR IGNORE INTO records("));
	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++) {
		const kmv_record__column *c = &kmv_record__columns[i];

		if (!KMV_INSERT__WRITTEN(i))
			continue;
		KMV_TRY(kmv_buf_printf(sql, "%s%s", sep, column_name(c)));
		if (c->type == KMV_RECORD_TIME)
			KMV_TRY(kmv_buf_puts(sql, ", " KMV_RECORD_COL_TS));
		sep = ", ";
	}
	KMV_TRY(kmv_buf_puts(sql, ") VALUES "));
	for (int r = 0; r < rows; r++) {
		KMV_TRY(kmv_buf_puts(sql, r ? ",(" : "("));
		for (int i = 0; i < KMV_INSERT_NCOLS; i++)
			KMV_TRY(kmv_buf_puts(sql, i ? ",?" : "?"));
		KMV_TRY(kmv_buf_putc(sql, ')'));
	}
done:
	return error;
}

static void bind_opt_int(sqlite3_stmt *st, int idx, bool has, int64_t v)
{
	if (has)
		sqlite3_bind_int64(st, idx, v);
	else
		sqlite3_bind_null(st, idx);
}

/*
 * One column's parameter, the column known at compile time: the expansion
 * in kmv_insert__bind inlines it once per column of KMV_RECORD_FIELDS with
 * `field` and `type` constant, so the switches fold away and a record's
 * binding is straight-line code (the walk of kmv_record__columns it
 * replaces read the type and offset of each column at run time).  Returns
 * the last parameter bound.
 */
static inline __attribute__((always_inline)) int bind_column(
	sqlite3_stmt *st, int idx, kmv_record_field field, kmv_record_type type,
	const void *member, const kmv_record *r, char when[KMV_TIME_BUFSZ],
	const char *now)
{
	if (!KMV_INSERT__WRITTEN(field))
		return idx;
	idx++;
	if (field == KMV_RECORD_FIELD_CREATED_AT ||
	    field == KMV_RECORD_FIELD_UPDATED_AT) {
		kmv_db__bind_text_static(st, idx, now);
		return idx;
	}
	switch (type) {
	case KMV_RECORD_KIND:
		kmv_db__bind_text_static(st, idx,
					 kmv_record_kind_name(r->kind));
		break;
	case KMV_RECORD_DIRECTION:
		kmv_db__bind_text_static(st, idx,
					 kmv_direction_name(r->direction));
		break;
	case KMV_RECORD_TIME:
		kmv_db__bind_text_static(st, idx,
					 r->has_time ? kmv_time_format(when,
								       &r->time)
						     : NULL);
		bind_opt_int(st, ++idx, r->has_time, r->time.epoch);
		break;
	case KMV_RECORD_AMOUNT:
		bind_opt_int(st, idx, r->has_amount, r->amount);
		break;
	case KMV_RECORD_INT:
	case KMV_RECORD_COUNT:
	case KMV_RECORD_PRICE:
		/* 0 is unknown: stored as NULL */
		bind_opt_int(st, idx, *(const int64_t *)member > 0,
			     *(const int64_t *)member);
		break;
	default:
		kmv_db__bind_text_static(st, idx, *(char *const *)member);
		break;
	}
	return idx;
}

void kmv_insert__bind(sqlite3_stmt *st, int base, const kmv_record *r,
		      char when[KMV_TIME_BUFSZ], const char *now)
{
	int idx = base;

	/*
	 * Bound without copies (the copy and its wiped free cost more than the
	 * insert's own string handling): the caller keeps `r`, `when` and
	 * `now` alive until the step is done.
	 */
#define KMV_INSERT__BIND(name, column, key, type, member, place)              \
	idx = bind_column(st, idx, KMV_RECORD_FIELD_##name, type, &r->member, \
			  r, when, now);
	KMV_RECORD_FIELDS(KMV_INSERT__BIND)
#undef KMV_INSERT__BIND
}

int kmv_insert__record(int64_t *id_out, kmv_import_ctx *ctx, kmv_record *r)
{
	sqlite3_stmt *st = ctx->ins_record;
	char when[KMV_TIME_BUFSZ];
	int error = 0, rc;

	/*
	 * INSERT OR IGNORE first: new records (the common case of a bulk
	 * import) cost one statement; only a duplicate pays the lookup.
	 */
	kmv_insert__bind(st, 0, r, when, ctx->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return kmv_db__error(ctx->db, "cannot store record");
	if (sqlite3_changes(ctx->db) > 0) {
		*id_out = r->id = sqlite3_last_insert_rowid(ctx->db);
		return 0;
	}
	st = ctx->find_record;
	sqlite3_reset(st);
	kmv_db__bind_text(st, 1, r->source_kind);
	kmv_db__bind_text(st, 2, r->dedup_key);
	if (sqlite3_step(st) != SQLITE_ROW) {
		error = kmv_db__error(ctx->db, "cannot find duplicate record");
		sqlite3_reset(st);
		return error;
	}
	*id_out = r->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return KMV_EEXISTS;
}
