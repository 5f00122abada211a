/* SPDX-License-Identifier: MIT */
/* Reading stored records back (store/records.h). */
#include "common.h"
#include "core/record_columns.h"
#include "store/db.h"
#include "store/records.h"

int kmv_record__select(kmv_buf *sql, unsigned flags, const char *more)
{
	int error = kmv_buf_puts(sql, "SELECT ");

	for (int i = 0; i < KMV_RECORD_FIELD_COUNT && error == 0; i++) {
		const kmv_record__column *c = &kmv_record__columns[i];
		bool skip = c->type == KMV_RECORD_SECRET &&
			    (flags & KMV_RECORD__NO_SECRET);

		error = kmv_buf_printf(sql, "%s%s", i ? ", " : "",
				       skip ? "NULL" : c->column);
	}
	if (error == 0 && more)
		error = kmv_buf_printf(sql, ", %s", more);
	if (error == 0)
		error = kmv_buf_puts(sql, " FROM records r LEFT JOIN sources s "
					  "ON s.id = r.source_id");
	return error;
}

static kmv_record_kind kind_of(const char *text)
{
	kmv_record_kind kind;

	/* a kind this build does not know reads as an order, as show did */
	if (!text || kmv_record_kind_parse(&kind, text) < 0) {
		kmv_error_clear();
		return KMV_KIND_ORDER;
	}
	return kind;
}

static kmv_direction direction_of(const char *text)
{
	if (!text)
		return KMV_DIR_NONE;
	if (strcmp(text, "out") == 0)
		return KMV_DIR_OUT;
	if (strcmp(text, "in") == 0)
		return KMV_DIR_IN;
	return KMV_DIR_NEUTRAL;
}

static int secret_of(char **out, const char *secret, bool reveal)
{
	char masked[4096];

	if (!secret || reveal)
		return kmv_record_set(out, secret);
	kmv_mask_secret(masked, sizeof(masked), secret);
	return kmv_record_set(out, masked);
}

int kmv_record__from_row(kmv_record *rec, sqlite3_stmt *st, int first_col,
			 bool reveal)
{
	int error = 0;

	kmv_record_dispose(rec);
	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++) {
		const kmv_record__column *c = &kmv_record__columns[i];
		int col = first_col + i;
		/* the type before any conversion by sqlite3_column_text() */
		bool null = sqlite3_column_type(st, col) == SQLITE_NULL;
		void *member = (char *)rec + c->offset;
		const char *text;

		switch (c->type) {
		case KMV_RECORD_INT:
		case KMV_RECORD_COUNT:
		case KMV_RECORD_PRICE:
			*(int64_t *)member = sqlite3_column_int64(st, col);
			continue;
		case KMV_RECORD_AMOUNT:
			rec->has_amount = !null;
			rec->amount = sqlite3_column_int64(st, col);
			continue;
		default: break;
		}
		text = null ? NULL : kmv_db__text(st, col);
		switch (c->type) {
		case KMV_RECORD_KIND: rec->kind = kind_of(text); break;
		case KMV_RECORD_TIME:
			rec->has_time = text &&
					kmv_time_parse(&rec->time, text,
						       KMV_TZ_CST, NULL) == 0;
			if (!rec->has_time)
				kmv_error_clear();
			break;
		case KMV_RECORD_DIRECTION:
			rec->direction = direction_of(text);
			break;
		case KMV_RECORD_SECRET:
			KMV_TRY(secret_of((char **)member, text, reveal));
			break;
		default:
			/* kept as stored: "" stays "" (kmv_record_set would
			 * make it NULL) */
			if (text && !(*(char **)member = strdup(text))) {
				error = kmv_error_nomem();
				goto done;
			}
			break;
		}
	}
done:
	return error;
}
