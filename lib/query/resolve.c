/* SPDX-License-Identifier: MIT */
/*
 * The one record resolver (kmv/resolve.h) and the records of one order.
 * Every lookup skips voided records (deleted_at set) unless asked.
 */
#include "common.h"
#include "kmvutil/money.h"
#include "kmv/resolve.h"
#include "store/vault.h"
#include "store/db.h"

#include <ctype.h>

/* Ids are at most 15 digits: record numbers of real sources are longer. */
#define ID_MAX_DIGITS 15

bool kmv_record_text_is_id(const char *text)
{
	size_t n;

	if (!text)
		return false;
	if (*text == '#')
		text++;
	n = strlen(text);
	if (n == 0 || n > ID_MAX_DIGITS || text[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)text[i]))
			return false;
	return true;
}

void kmv_record_ids_dispose(kmv_record_ids *ids)
{
	if (!ids)
		return;
	free(ids->v);
	ids->v = NULL;
	ids->n = ids->cap = 0;
}

int kmv_record_ids_add(kmv_record_ids *ids, int64_t id)
{
	for (size_t i = 0; i < ids->n; i++)
		if (ids->v[i] == id)
			return 0;
	if (KMV_ARRAY_GROW(ids->v, ids->cap, ids->n + 1) < 0)
		return kmv_error_nomem();
	ids->v[ids->n++] = id;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

#define LIVE(flags) \
	((flags)&KMV_RESOLVE_INCLUDE_VOID ? "" : " AND deleted_at IS NULL")

static int id_exists(bool *found, sqlite3 *db, int64_t id, unsigned flags)
{
	sqlite3_stmt *st = NULL;
	char sql[128];
	int error = 0, rc;

	snprintf(sql, sizeof(sql), "SELECT 1 FROM records WHERE id = ?%s",
		 LIVE(flags));
	KMV_TRY(kmv_db__prepare(&st, db, sql));
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot look up a record");
	*found = rc == SQLITE_ROW;
done:
	sqlite3_finalize(st);
	return error;
}

/* Ids (with kind and amount for the ambiguity message) of one lookup. */
static int lookup(kmv_record_ids *ids, kmv_buf *names, sqlite3 *db,
		  const char *where, const char *text, unsigned flags)
{
	sqlite3_stmt *st = NULL;
	char sql[256];
	int error = 0, rc;

	snprintf(sql, sizeof(sql),
		 "SELECT id, kind, amount FROM records WHERE "
		 "%s = ?%s ORDER BY id LIMIT 20",
		 where, LIVE(flags));
	KMV_TRY(kmv_db__prepare(&st, db, sql));
	kmv_db__bind_text(st, 1, text);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char money[KMV_MONEY_BUFSZ] = "";

		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			kmv_money_format(money, sqlite3_column_int64(st, 2));
		KMV_TRY(kmv_record_ids_add(ids, sqlite3_column_int64(st, 0)));
		KMV_TRY(kmv_buf_printf(names, "%s#%lld %s%s%s",
				       names->size ? ", " : "",
				       (long long)sqlite3_column_int64(st, 0),
				       (const char *)sqlite3_column_text(st, 1),
				       *money ? " " : "", money));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot look up a record");
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_record_resolve(kmv_vault *vault, const char *text, unsigned flags,
		       int64_t *id_out)
{
	/* An order number names the order before its payment or receipt. */
	static const char *const columns[] = {
		"kind = 'order' AND order_no",
		"payment_no",
		"merchant_order_no",
		"order_no",
	};
	kmv_record_ids ids = KMV_RECORD_IDS_INIT;
	kmv_buf names = KMV_BUF_INIT;
	sqlite3 *db;
	bool found = false;
	int error = 0;

	KMV_ASSERT_ARG(vault && text && id_out);
	db = kmv_vault__db(vault);
	if (kmv_record_text_is_id(text)) {
		int64_t id = strtoll(text + (*text == '#'), NULL, 10);

		KMV_TRY(id_exists(&found, db, id, flags));
		if (found) {
			*id_out = id;
			goto done;
		}
		if (*text == '#') {
			kmv_error_set(KMV_ERROR_INPUT, "no record %s", text);
			error = KMV_ENOTFOUND;
			goto done;
		}
	}
	for (size_t i = 0; i < KMV_ARRAY_SIZE(columns); i++) {
		ids.n = 0;
		kmv_buf_clear(&names);
		KMV_TRY(lookup(&ids, &names, db, columns[i], text, flags));
		if (ids.n == 1) {
			*id_out = ids.v[0];
			goto done;
		}
		if (ids.n > 1) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "'%s' names %zu%s records "
				      "(%s): give the id",
				      text, ids.n,
				      ids.n == 20 ? " or more" : "", names.ptr);
			error = KMV_EAMBIGUOUS;
			goto done;
		}
	}
	kmv_error_set(KMV_ERROR_INPUT, "no record '%s'", text);
	error = KMV_ENOTFOUND;
done:
	kmv_record_ids_dispose(&ids);
	kmv_buf_dispose(&names);
	return error;
}

int kmv_order_resolve(kmv_vault *vault, const char *order_no, int64_t *id_out)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_ASSERT_ARG(vault && order_no && id_out);
	db = kmv_vault__db(vault);
	/* The order record itself, then payments/receipts naming it. */
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT id FROM records WHERE deleted_at IS NULL AND"
		" (order_no = ?1 OR merchant_order_no = ?1 OR payment_no = ?1)"
		" ORDER BY kind <> 'order', id LIMIT 1"));
	kmv_db__bind_text(st, 1, order_no);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id_out = sqlite3_column_int64(st, 0);
	} else if (rc == SQLITE_DONE) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "no order '%s' in the vault "
			      "(import it first)",
			      order_no);
		error = KMV_ENOTFOUND;
	} else {
		error = kmv_db__error(db, "cannot look up order");
	}
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_order_records(kmv_vault *vault, const char *order_no,
		      kmv_record_ids *ids)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	size_t from = 0;
	int error = 0, rc;

	KMV_ASSERT_ARG(vault && order_no && ids);
	db = kmv_vault__db(vault);
	ids->n = 0;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT id FROM records WHERE deleted_at IS NULL AND"
		" (order_no = ?1 OR merchant_order_no = ?1 OR payment_no = ?1)"
		" ORDER BY id"));
	kmv_db__bind_text(st, 1, order_no);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		KMV_TRY(kmv_record_ids_add(ids, sqlite3_column_int64(st, 0)));
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot select the records");
		goto done;
	}
	if (ids->n == 0) {
		kmv_error_set(KMV_ERROR_INPUT, "no order '%s' in the vault",
			      order_no);
		error = KMV_ENOTFOUND;
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* Two hops: order -> payment -> refund, receipt -> order -> payment. */
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT CASE WHEN l.a = ?1 THEN l.b ELSE l.a END FROM links l"
		" JOIN records r ON r.id = CASE WHEN l.a = ?1 THEN l.b ELSE l.a END"
		" WHERE (l.a = ?1 OR l.b = ?1) AND l.manual >= 0"
		" AND r.deleted_at IS NULL"
		" UNION SELECT id FROM records WHERE refund_of = ?1"
		" AND deleted_at IS NULL"
		" UNION SELECT o.id FROM records r JOIN records o"
		" ON o.id = r.refund_of WHERE r.id = ?1 AND o.deleted_at IS NULL"));
	for (int hop = 0; hop < 2; hop++) {
		size_t to = ids->n;

		for (size_t i = from; i < to; i++) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, ids->v[i]);
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				KMV_TRY(kmv_record_ids_add(
					ids, sqlite3_column_int64(st, 0)));
			if (rc != SQLITE_DONE) {
				error = kmv_db__error(db,
						      "cannot follow links");
				goto done;
			}
		}
		from = to;
	}
	qsort(ids->v, ids->n, sizeof(*ids->v), cmp_id);
done:
	sqlite3_finalize(st);
	return error;
}
