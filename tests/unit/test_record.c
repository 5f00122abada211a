/* SPDX-License-Identifier: MIT */
/*
 * The one record read path (issue 16.1): kmv_record__from_row() over
 * NULL and filled columns, against the real schema, the one JSON shape and
 * the CSV cells (store/records.h, kmv/record.h).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmvutil/buf.h"
#include "kmv/error.h"
#include "kmv/import.h"
#include "kmvutil/json.h"
#include "kmv/record.h"
#include "kmv/report.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/db.h"
#include "store/records.h"
#include "store/vault.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A statement whose one row has KMV_RECORD__NCOLS columns of `values`. */
static sqlite3_stmt *row_of(sqlite3 **db, const char *const *values)
{
	kmv_buf sql = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;

	/* SQLite's allocator is kmvault's: set up before the first open */
	assert_int_equal(kmv_global_init(), 0);
	assert_int_equal(sqlite3_open(":memory:", db), SQLITE_OK);
	kmv_buf_puts(&sql, "SELECT ");
	for (int i = 0; i < KMV_RECORD__NCOLS; i++)
		kmv_buf_printf(&sql, "%s%s", i ? ", " : "",
			       values && values[i] ? values[i] : "NULL");
	assert_int_equal(sqlite3_prepare_v2(*db, sql.ptr, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	kmv_buf_dispose(&sql);
	return st;
}

static void test_record__from_row_nulls(void **state)
{
	kmv_record rec = KMV_RECORD_INIT;
	sqlite3 *db;
	sqlite3_stmt *st = row_of(&db, NULL);

	(void)state;
	assert_int_equal(kmv_record__from_row(&rec, st, 0, false), 0);
	assert_int_equal(rec.id, 0);
	assert_int_equal(rec.kind, KMV_KIND_ORDER);
	assert_null(rec.platform);
	assert_null(rec.order_no);
	assert_null(rec.card_secret);
	assert_null(rec.source_file);
	assert_null(rec.deleted_at);
	assert_false(rec.has_time);
	assert_false(rec.has_amount);
	assert_int_equal(rec.direction, KMV_DIR_NONE);
	assert_int_equal(rec.quantity, 0);
	assert_int_equal(rec.source_line, 0);
	assert_int_equal(rec.refund_of, 0);
	kmv_record_dispose(&rec);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void fill(const char **v)
{
	v[KMV_RECORD_FIELD_ID] = "7";
	v[KMV_RECORD_FIELD_KIND] = "'payment'";
	v[KMV_RECORD_FIELD_SOURCE_KIND] = "'alipay'";
	v[KMV_RECORD_FIELD_MERCHANT] = "'=HYPERLINK(1)'";
	v[KMV_RECORD_FIELD_PAYMENT_NO] = "'2024031022001100001234'";
	v[KMV_RECORD_FIELD_TIME] = "'2024-03-10T18:20:45+08:00'";
	v[KMV_RECORD_FIELD_AMOUNT] = "1250";
	v[KMV_RECORD_FIELD_DIRECTION] = "'out'";
	v[KMV_RECORD_FIELD_STATUS] = "'success'";
	v[KMV_RECORD_FIELD_STATUS_RAW] = "'交易成功'";
	v[KMV_RECORD_FIELD_QUANTITY] = "2";
	v[KMV_RECORD_FIELD_CARD_SECRET] = "'ABCD-EFGH-IJKL'";
	v[KMV_RECORD_FIELD_SOURCE_ID] = "3";
	v[KMV_RECORD_FIELD_SOURCE_FILE] = "'alipay.csv'";
	v[KMV_RECORD_FIELD_SOURCE_LINE] = "26";
	v[KMV_RECORD_FIELD_DELETED_AT] = "'2026-01-01T00:00:00+08:00'";
}

static void test_record__from_row_values_and_mask(void **state)
{
	const char *v[KMV_RECORD__NCOLS] = { NULL };
	kmv_record rec = KMV_RECORD_INIT;
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	fill(v);
	st = row_of(&db, v);
	assert_int_equal(kmv_record__from_row(&rec, st, 0, false), 0);
	assert_int_equal(rec.id, 7);
	assert_int_equal(rec.kind, KMV_KIND_PAYMENT);
	assert_true(rec.has_time);
	assert_int_equal(rec.time.offset_min, 8 * 60);
	assert_true(rec.has_amount);
	assert_int_equal(rec.amount, 1250);
	assert_int_equal(rec.direction, KMV_DIR_OUT);
	assert_string_equal(rec.card_secret, "ABCD\xE2\x80\xA6IJKL");
	assert_string_equal(rec.source_file, "alipay.csv");
	assert_int_equal(rec.source_line, 26);
	assert_string_equal(rec.deleted_at, "2026-01-01T00:00:00+08:00");
	/* the same record reused, revealed this time */
	assert_int_equal(kmv_record__from_row(&rec, st, 0, true), 0);
	assert_string_equal(rec.card_secret, "ABCD-EFGH-IJKL");
	kmv_record_dispose(&rec);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The select list reads the real schema, column for column. */
static void test_record__select_reads_the_schema(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p = kmv_test_put(
		f, "o.csv",
		"订单号,订单金额,下单时间,订单状态,卡密\n"
		"N1,9.90,2024-01-01 00:00:00,已完成,ABCD-EFGH-IJKL\n");
	kmv_record rec = KMV_RECORD_INIT;
	kmv_buf sql = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;

	assert_int_equal(kmv_test_import(f, p, NULL, "shopA", &res), 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_record__select(&sql, 0, "42"), 0);
	assert_int_equal(kmv_buf_puts(&sql, " WHERE r.id = 1"), 0);
	assert_int_equal(kmv_db__prepare(&st, kmv_vault__db(f->vault), sql.ptr),
			 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(kmv_record__from_row(&rec, st, 0, false), 0);
	assert_int_equal(sqlite3_column_int(st, KMV_RECORD__NCOLS), 42);
	assert_int_equal(rec.id, 1);
	assert_int_equal(rec.kind, KMV_KIND_ORDER);
	assert_string_equal(rec.platform, "shopA");
	assert_string_equal(rec.source_kind, "orders");
	assert_string_equal(rec.order_no, "N1");
	assert_int_equal(rec.amount, 990);
	assert_string_equal(rec.status, "completed");
	assert_string_equal(rec.card_secret, "ABCD\xE2\x80\xA6IJKL");
	assert_string_equal(rec.source_file, "o.csv");
	assert_int_equal(rec.source_line, 2);
	assert_non_null(rec.created_at);
	assert_non_null(rec.dedup_key);
	assert_null(rec.deleted_at);
	kmv_record_dispose(&rec);
	sqlite3_finalize(st);
	kmv_buf_dispose(&sql);
}

static void test_record__json_shape(void **state)
{
	const char *v[KMV_RECORD__NCOLS] = { NULL };
	kmv_record rec = KMV_RECORD_INIT;
	kmv_buf out = KMV_BUF_INIT;
	sqlite3 *db;
	sqlite3_stmt *st;
	kmv_json j;

	(void)state;
	fill(v);
	st = row_of(&db, v);
	assert_int_equal(kmv_record__from_row(&rec, st, 0, false), 0);
	kmv_json_init(&j, &out, false);
	kmv_record_json(&j, &rec);
	assert_int_equal(kmv_json_finish(&j), 0);
	assert_string_equal(
		out.ptr,
		"{\"id\":7,\"kind\":\"payment\",\"platform\":\"alipay\","
		"\"source_kind\":\"alipay\",\"merchant\":\"=HYPERLINK(1)\","
		"\"order_no\":null,"
		"\"payment_no\":\"2024031022001100001234\","
		"\"merchant_order_no\":null,"
		"\"time\":\"2024-03-10T18:20:45+08:00\",\"amount\":\"12.50\","
		"\"direction\":\"out\",\"status\":\"success\","
		"\"status_raw\":\"交易成功\",\"product\":null,\"quantity\":2,"
		"\"unit_price\":null,\"category\":null,\"payment_method\":null,"
		"\"counterparty_account\":null,\"memo\":null,"
		"\"source\":{\"id\":3,\"file\":\"alipay.csv\",\"line\":26},"
		"\"kind_label\":\"payment\",\"direction_label\":\"spending\","
		"\"status_label\":\"successful\","
		"\"card_secret\":\"ABCD…IJKL\"}");
	/* an order without a shop has no platform; no source: nulls */
	kmv_record_dispose(&rec);
	rec.kind = KMV_KIND_ORDER;
	rec.source_kind = strdup("orders");
	kmv_buf_clear(&out);
	kmv_json_init(&j, &out, false);
	kmv_record_json(&j, &rec);
	assert_int_equal(kmv_json_finish(&j), 0);
	assert_non_null(strstr(out.ptr, "\"platform\":null,"));
	assert_non_null(
		strstr(out.ptr,
		       "\"source\":{\"id\":null,\"file\":null,\"line\":null},"));
	assert_non_null(strstr(out.ptr, "\"kind_label\":\"order\","
					"\"card_secret\":null}"));
	kmv_record_dispose(&rec);
	kmv_buf_dispose(&out);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_record__csv_cells(void **state)
{
	static const kmv_record_field fields[] = {
		KMV_RECORD_FIELD_ID,          KMV_RECORD_FIELD_KIND,
		KMV_RECORD_FIELD_PLATFORM,    KMV_RECORD_FIELD_PAYMENT_NO,
		KMV_RECORD_FIELD_AMOUNT,      KMV_RECORD_FIELD_DIRECTION,
		KMV_RECORD_FIELD_STATUS,      KMV_RECORD_FIELD_QUANTITY,
		KMV_RECORD_FIELD_CARD_SECRET, KMV_RECORD_FIELD_NONE,
		KMV_RECORD_FIELD_SOURCE_LINE, KMV_RECORD_FIELD_UNIT_PRICE,
	};
	const char *v[KMV_RECORD__NCOLS] = { NULL };
	kmv_record rec = KMV_RECORD_INIT;
	kmv_record_cells cells;
	kmv_buf line = KMV_BUF_INIT;
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	fill(v);
	st = row_of(&db, v);
	assert_int_equal(kmv_record__from_row(&rec, st, 0, false), 0);
	assert_int_equal(kmv_record_cells_fill(&cells, &rec, fields,
					       NELEM(fields),
					       KMV_RECORD_CELLS_CODES),
			 0);
	assert_int_equal(cells.count, NELEM(fields));
	assert_string_equal(cells.text[0], "7");
	assert_string_equal(cells.text[1], "payment");
	assert_string_equal(cells.text[2], "alipay");
	assert_string_equal(cells.text[3], "2024031022001100001234");
	assert_true(cells.is_id[3]);
	assert_false(cells.is_id[0]);
	assert_string_equal(cells.text[4], "12.50");
	assert_string_equal(cells.text[5], "out");
	assert_string_equal(cells.text[6], "success");
	assert_string_equal(cells.text[7], "2");
	/* a card secret is masked unless it was read with a reveal */
	assert_string_equal(cells.text[8], "ABCD\xE2\x80\xA6IJKL");
	assert_null(cells.text[9]);
	assert_string_equal(cells.text[10], "26");
	assert_null(cells.text[11]); /* no unit price: empty */
	assert_int_equal(kmv_report_csv_line(&line, cells.text, cells.is_id,
					     cells.count),
			 0);
	assert_string_equal(
		line.ptr,
		"\"7\",\"payment\",\"alipay\","
		"\"2024031022001100001234\t\",\"12.50\",\"out\","
		"\"success\",\"2\",\"ABCD…IJKL\",\"\",\"26\",\"\"\r\n");
	/* documents: Chinese words, the stored platform (none) */
	assert_int_equal(kmv_record_cells_fill(&cells, &rec, fields,
					       NELEM(fields),
					       KMV_RECORD_CELLS_DOCUMENT),
			 0);
	assert_string_equal(cells.text[1], "付款");
	assert_null(cells.text[2]);
	assert_string_equal(cells.text[5], "支出");
	assert_string_equal(cells.text[6], "交易成功");
	/* an order without a shop reads 未知店铺 in query's CSV */
	kmv_record_dispose(&rec);
	rec.source_kind = strdup("orders");
	assert_int_equal(kmv_record_cells_fill(&cells, &rec, fields, 3,
					       KMV_RECORD_CELLS_CODES),
			 0);
	assert_string_equal(cells.text[2], "未知店铺");
	assert_int_equal(kmv_record_cells_fill(&cells, &rec, fields,
					       KMV_RECORD_CELLS_MAX + 1,
					       KMV_RECORD_CELLS_CODES),
			 KMV_EUSAGE);
	kmv_error_clear();
	kmv_record_dispose(&rec);
	kmv_buf_dispose(&line);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_record__field_names(void **state)
{
	(void)state;
	assert_string_equal(kmv_record_field_name(KMV_RECORD_FIELD_ORDER_NO),
			    "order_no");
	assert_string_equal(kmv_record_field_name(KMV_RECORD_FIELD_SOURCE_FILE),
			    "name");
	assert_null(kmv_record_field_name(KMV_RECORD_FIELD_NONE));
	assert_null(kmv_record_field_name(KMV_RECORD_FIELD_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record__from_row_nulls),
		cmocka_unit_test(test_record__from_row_values_and_mask),
		cmocka_unit_test_setup_teardown(
			test_record__select_reads_the_schema,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test(test_record__json_shape),
		cmocka_unit_test(test_record__csv_cells),
		cmocka_unit_test(test_record__field_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
