/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"
#include "import/import.h"
#include "import/statement.h"
#include "kmv/import.h"
#include "kmv/secret.h"
#include "kmv/sources.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/db.h"
#include "store/vault.h"

struct fixture {
	kmv_test_vault *t;
	char warnings[2048];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	void *t = NULL;
	int rc = kmv_test_vault_setup(&t);

	f->t = t;
	*state = f;
	return rc;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	void *t = f->t;

	kmv_test_vault_teardown(&t);
	free(f);
	return 0;
}

static void on_warn(const char *file, int64_t line, const char *msg,
		    void *payload)
{
	struct fixture *f = payload;
	size_t n = strlen(f->warnings);

	(void)file;
	snprintf(f->warnings + n, sizeof(f->warnings) - n, "%lld:%s\n",
		 (long long)line, msg);
}

static const char *write_file(struct fixture *f, const char *name,
			      const char *text)
{
	static char path[4200];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->t->dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static int import(struct fixture *f, const char *path, kmv_import_results *res)
{
	kmv_import_options o = KMV_IMPORT_OPTIONS_INIT;
	const char *paths[1] = { path };

	o.warn = on_warn;
	o.payload = f;
	return kmv_import_files(res, f->t->vault, paths, 1, &o);
}

static int64_t scalar(struct fixture *f, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(kmv_db__prepare(&st, kmv_vault__db(f->t->vault), sql),
			 0);
	if (arg)
		kmv_db__bind_text(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL
			    ? 0
			    : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#define ALIPAY_HEAD                                                                                               \
	"------------------------------------------------------------------------------------\n"                  \
	"导出信息：\n支付宝账户：t***@example.com\n"                                                   \
	"起始时间：[2024-03-01 00:00:00]    终止时间：[2024-03-31 23:59:59]\n"                          \
	"共%d笔记录\n"                                                                                        \
	"------------------------支付宝支付科技有限公司  电子客户回单------------------------\n" \
	"交易时间  ,交易分类  ,交易对方  ,对方账号  ,商品说明  ,收/支  ,金额  ,收/付款方式  ,交易状态  ,交易订单号  ,商家订单号  ,备注  ,\n"

/* The refund comes first in the file; the original follows. */
static const char refund_first[] =
	"2024-03-10 18:20:45 ,退款 ,示例超市 ,/ ,退款-洗衣液 ,不计收支 ,12.00 ,余额 ,退款成功 ,20240310001_99\t,M2\t, ,\n"
	"2024-03-10 09:00:01 ,日用百货 ,示例超市 ,/ ,洗衣液 ,支出 ,12.00 ,余额 ,交易关闭 ,20240310001\t,M2\t, ,\n";

static void test_statement__refund_linked_to_original(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char text[4096];

	snprintf(text, sizeof(text), ALIPAY_HEAD "%s", 2, refund_first);
	assert_int_equal(import(f, write_file(f, "a.csv", text), &res), 0);
	assert_int_equal(res.items[0].added, 2);
	assert_string_equal(res.items[0].kind, "alipay");
	assert_int_equal(
		scalar(f,
		       "SELECT r.refund_of = o.id FROM records r, "
		       "records o WHERE r.payment_no = '20240310001_99' "
		       "AND o.payment_no = ?",
		       "20240310001"),
		1);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records WHERE "
				"status = ?",
				"refunded"),
			 1);
	kmv_import_results_dispose(&res);
}

static void test_statement__refund_linked_across_imports(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char text[4096];
	const char *orig = strchr(refund_first, '\n') + 1;

	/* the refund alone, then the statement with the original */
	snprintf(text, sizeof(text), ALIPAY_HEAD "%.*s", 1,
		 (int)(orig - refund_first), refund_first);
	assert_int_equal(import(f, write_file(f, "r.csv", text), &res), 0);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records WHERE "
				"refund_of IS NULL AND payment_no = ?",
				"20240310001_99"),
			 1);
	snprintf(text, sizeof(text), ALIPAY_HEAD "%s", 1, orig);
	assert_int_equal(import(f, write_file(f, "o.csv", text), &res), 0);
	assert_int_equal(scalar(f,
				"SELECT refund_of > 0 FROM records WHERE "
				"payment_no = ?",
				"20240310001_99"),
			 1);
	kmv_import_results_dispose(&res);
}

static void test_statement__rows_without_id_are_counted(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char text[4096];
	const char *path;
	static const char rows[] =
		"2024-03-01 10:00:00 ,转账 ,朋友 ,/ ,/ ,支出 ,5.00 ,余额 ,交易成功 ,\t,\t, ,\n"
		"2024-03-01 10:00:00 ,转账 ,朋友 ,/ ,/ ,支出 ,5.00 ,余额 ,交易成功 ,\t,\t, ,\n";

	snprintf(text, sizeof(text), ALIPAY_HEAD "%s", 2, rows);
	path = write_file(f, "n.csv", text);
	assert_int_equal(import(f, path, &res), 0);
	assert_int_equal(res.items[0].added, 2);
	kmv_import_results_dispose(&res);
	assert_int_equal(import(f, path, &res), 0);
	assert_int_equal(res.items[0].added, 0);
	assert_int_equal(res.items[0].duplicates, 2);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records WHERE "
				"dedup_key LIKE ?",
				"h:%:2"),
			 1);
	kmv_import_results_dispose(&res);
}

/*
 * Rows sharing a transaction number are kept unless time, amount,
 * direction and status agree too (issue 12): an edited statement reusing
 * a number; a row identical to another is the same transaction twice.
 */
static void test_statement__shared_numbers_kept(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char text[4096];
	const char *path;
	static const char rows[] =
		"2024-03-02 10:00:00 ,日用百货 ,示例超市 ,/ ,洗衣液 ,支出 ,12.00 ,余额 ,交易成功 ,777\t,\t, ,\n"
		"2024-03-02 11:00:00 ,日用百货 ,示例超市 ,/ ,纸巾 ,支出 ,12.00 ,余额 ,交易成功 ,777\t,\t, ,\n"
		"2024-03-02 10:00:00 ,日用百货 ,示例超市 ,/ ,洗衣液 ,支出 ,13.00 ,余额 ,交易成功 ,777\t,\t, ,\n"
		"2024-03-02 10:00:00 ,日用百货 ,示例超市 ,/ ,洗衣液 ,支出 ,12.00 ,余额 ,交易关闭 ,777\t,\t, ,\n"
		"2024-03-02 10:00:00 ,日用百货 ,示例超市 ,/ ,洗衣液 ,支出 ,12.00 ,余额 ,交易成功 ,777\t,\t, ,\n"
		"2024-03-03 10:00:00 ,日用百货 ,示例超市 ,/ ,牙刷 ,支出 ,3.00 ,余额 ,交易成功 ,778\t,\t, ,\n";

	snprintf(text, sizeof(text), ALIPAY_HEAD "%s", 6, rows);
	path = write_file(f, "shared.csv", text);
	assert_int_equal(import(f, path, &res), 0);
	assert_int_equal(res.items[0].rows, 6);
	assert_int_equal(res.items[0].added, 5);
	assert_int_equal(res.items[0].duplicates, 1);
	assert_non_null(strstr(f->warnings,
			       "4 rows share a transaction number "
			       "with another row: kept as separate records"));
	/* One warning for the file, not one per row. */
	assert_null(
		strstr(strstr(f->warnings, "4 rows share") + 12, "rows share"));
	kmv_import_results_dispose(&res);
	assert_int_equal(import(f, path, &res), 0);
	assert_int_equal(res.items[0].added, 0);
	assert_int_equal(res.items[0].duplicates, 6);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records WHERE "
				"payment_no = ?",
				"777"),
			 4);
	kmv_import_results_dispose(&res);
}

static void test_statement__metadata_and_count_warning(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char text[4096];

	snprintf(text, sizeof(text), ALIPAY_HEAD "%s", 7, refund_first);
	assert_int_equal(import(f, write_file(f, "m.csv", text), &res), 0);
	assert_non_null(
		strstr(f->warnings, "declares 7 records but 2 were read"));
	assert_int_equal(
		scalar(f,
		       "SELECT json_extract(meta, "
		       "'$.declared_count') FROM sources WHERE name = ?",
		       "m.csv"),
		7);
	assert_int_equal(scalar(f,
				"SELECT json_extract(meta, '$.account') = "
				"'t***@example.com' FROM sources WHERE name = ?",
				"m.csv"),
			 1);
	assert_int_equal(scalar(f,
				"SELECT source_line FROM records WHERE "
				"payment_no = ?",
				"20240310001"),
			 9);
	kmv_import_results_dispose(&res);
}

static void test_statement__reject_rolls_back(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char text[4096];

	snprintf(
		text, sizeof(text), ALIPAY_HEAD "%s%s", 3, refund_first,
		"2024-03-11 ,x ,y ,/ ,z ,支出 ,abc ,余额 ,交易成功 ,1\t,\t, ,\n");
	assert_int_equal(import(f, write_file(f, "bad.csv", text), &res),
			 KMV_EINPUT);
	assert_non_null(
		strstr(kmv_error_last(), "bad.csv:10: bad amount 'abc'"));
	assert_int_equal(scalar(f, "SELECT count(*) FROM records", NULL), 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM sources", NULL), 0);
	kmv_import_results_dispose(&res);
}

/* Combined payment methods and card tails land in extra (6.19). */
static void test_statement__payment_method_parts(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char text[4096];

	snprintf(
		text, sizeof(text), ALIPAY_HEAD "%s%s%s%s", 4,
		"2024-03-12 12:05:33 ,餐饮美食 ,示例面馆 ,/ ,午餐 ,支出 ,33.50 ,招商银行信用卡(1234)&红包 ,交易成功 ,P1\t,\t, ,\n",
		"2024-03-12 12:06:33 ,餐饮美食 ,示例面馆 ,/ ,午餐 ,支出 ,3.50 ,花呗 ,交易成功 ,P2\t,\t, ,\n",
		"2024-03-12 12:07:33 ,餐饮美食 ,示例面馆 ,/ ,午餐 ,支出 ,4.50 ,中国银行储蓄卡（5678） ,交易成功 ,P3\t,\t, ,\n",
		"2024-03-12 12:08:33 ,餐饮美食 ,示例面馆 ,/ ,午餐 ,支出 ,5.50 ,余额(12)& ,交易成功 ,P4\t,\t, ,\n");
	assert_int_equal(import(f, write_file(f, "m.csv", text), &res), 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(
		scalar(f,
		       "SELECT json_extract(extra, '$.payment_methods') = "
		       "'[\"招商银行信用卡(1234)\",\"红包\"]' AND json_extract(extra, "
		       "'$.card_tails') = '[\"1234\"]' FROM records WHERE payment_no = ?",
		       "P1"),
		1);
	assert_int_equal(
		scalar(f,
		       "SELECT extra IS NULL AND payment_method = '花呗' "
		       "FROM records WHERE payment_no = ?",
		       "P2"),
		1);
	assert_int_equal(
		scalar(f,
		       "SELECT json_extract(extra, '$.card_tails') = "
		       "'[\"5678\"]' AND json_extract(extra, '$.payment_methods') "
		       "IS NULL FROM records WHERE payment_no = ?",
		       "P3"),
		1);
	/* two digits are no card tail; an empty part is no method */
	assert_int_equal(scalar(f,
				"SELECT extra IS NULL FROM records "
				"WHERE payment_no = ?",
				"P4"),
			 1);
}

/* A folder skips files no importer knows; named, they are errors. */
static void test_statement__folder_skips_unrecognized_files(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char text[4096], dir[4200];

	snprintf(dir, sizeof(dir), "%s/in", f->t->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(text, sizeof(text), ALIPAY_HEAD "%s", 2, refund_first);
	write_file(f, "in/a.csv", text);
	write_file(f, "in/notes.txt", "remember the password: hunter2\n");
	write_file(f, "in/pic.png", "\x89PNG\r\n\x1a\n\x01\x02");
	assert_int_equal(import(f, dir, &res), 0);
	assert_int_equal(res.count, 1);
	assert_non_null(strstr(res.items[0].file, "a.csv"));
	assert_non_null(strstr(f->warnings, "0:skipped: not a statement"));
	assert_null(strstr(f->warnings, "hunter2"));
	assert_int_equal(scalar(f, "SELECT count(*) FROM sources", NULL), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM records", NULL), 2);
	kmv_import_results_dispose(&res);

	/* a recognized but broken statement still fails the whole folder */
	snprintf(
		text, sizeof(text), ALIPAY_HEAD "%s", 1,
		"2024-03-11 10:00:00 ,x ,y ,/ ,z ,支出 ,abc ,余额 ,交易成功 ,1\t,\t, ,\n");
	write_file(f, "in/b.csv", text);
	assert_int_equal(import(f, dir, &res), KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "b.csv:8: bad amount 'abc'"));
	assert_int_equal(scalar(f, "SELECT count(*) FROM sources", NULL), 1);
	kmv_import_results_dispose(&res);
	assert_int_equal(import(f, write_file(f, "in/notes.txt", "just text\n"),
				&res),
			 KMV_EINPUT);
	kmv_import_results_dispose(&res);
}

/* n statement rows (two of them repeats), plus one more with extra_id. */
static void batch_rows(kmv_buf *out, int n, int extra_id)
{
	for (int i = 1; i <= n; i++) {
		/* rows 11 and 100 repeat rows 10 and 5: duplicates within a
		 * batch and across batches */
		int id = i == 11 ? 10 : i == 100 ? 5 : i;

		assert_int_equal(
			kmv_buf_printf(
				out,
				"2024-03-%02d 10:%02d:00 ,日用百货 ,批量商户%d ,/ ,商品%d ,支出 ,"
				"%d.00 ,余额 ,交易成功 ,2024031%06d\t,M%d\t, ,\n",
				1 + id % 28, id % 60, id, id, id, id, id),
			0);
	}
	if (extra_id)
		assert_int_equal(
			kmv_buf_printf(
				out,
				"2024-03-30 10:00:00 ,日用百货 ,批量商户 ,/ ,新 ,支出 ,1.00 ,"
				"余额 ,交易成功 ,2024031%06d\t,\t, ,\n",
				extra_id),
			0);
}

/* Statement rows go in batches of many rows per INSERT (batch.c). */
static void test_statement__batched_rows_keep_order_and_counts(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_buf text = KMV_BUF_INIT;

	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 150), 0);
	batch_rows(&text, 150, 0);
	assert_int_equal(import(f, write_file(f, "b.csv", text.ptr), &res), 0);
	assert_int_equal(res.items[0].rows, 150);
	assert_int_equal(res.items[0].added, 148);
	assert_int_equal(res.items[0].duplicates, 2);
	kmv_import_results_dispose(&res);
	assert_int_equal(scalar(f, "SELECT count(*) FROM records", NULL), 148);
	/* ids follow the file's lines; each row keeps its own line */
	assert_int_equal(
		scalar(f,
		       "SELECT count(*) FROM records a, records b "
		       "WHERE a.id < b.id AND a.source_line > b.source_line",
		       NULL),
		0);
	assert_int_equal(scalar(f,
				"SELECT source_line FROM records WHERE "
				"payment_no = ?",
				"2024031000130"),
			 7 + 130);
	assert_int_equal(scalar(f,
				"SELECT amount FROM records WHERE "
				"payment_no = ?",
				"2024031000077"),
			 7700);
	/* the FTS index covers batched rows */
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records_fts WHERE "
				"records_fts MATCH ?",
				"\"批量商户149\""),
			 1);

	/* overlapping re-import: one new row, the rest duplicates */
	kmv_buf_clear(&text);
	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 151), 0);
	batch_rows(&text, 150, 999999);
	assert_int_equal(import(f, write_file(f, "b2.csv", text.ptr), &res), 0);
	assert_int_equal(res.items[0].added, 1);
	assert_int_equal(res.items[0].duplicates, 150);
	kmv_import_results_dispose(&res);

	/* a bad row after whole batches were stored: nothing of it stays */
	kmv_buf_clear(&text);
	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 151), 0);
	batch_rows(&text, 150, 0);
	kmv_buf_truncate(&text, text.size - 1);
	assert_int_equal(kmv_buf_puts(&text,
				      "\n2024-03-31 ,x ,y ,/ ,z ,支出 ,abc ,"
				      "余额 ,交易成功 ,7\t,\t, ,\n"),
			 0);
	assert_int_equal(import(f, write_file(f, "b3.csv", text.ptr), &res),
			 KMV_EINPUT);
	kmv_import_results_dispose(&res);
	assert_int_equal(scalar(f, "SELECT count(*) FROM records", NULL), 149);
	kmv_buf_dispose(&text);
}

/* A file of n batch_rows (see above) plus one extra, as `name`. */
static const char *batch_file(struct fixture *f, const char *name, int n,
			      int extra_id)
{
	kmv_buf text = KMV_BUF_INIT;
	const char *path;

	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, n + !!extra_id), 0);
	batch_rows(&text, n, extra_id);
	path = write_file(f, name, text.ptr);
	kmv_buf_dispose(&text);
	return path;
}

/*
 * Past two slots (512 rows each, batch.c) the rows are stored on the
 * writer thread while the file is read: the same ids, lines and counts as
 * stored in line, duplicates counted across the hand-overs, and a failure
 * of the thread's INSERT (a trigger raising one, at a row of the second
 * slot) fails the import with its message and leaves nothing of the file.
 * Sizes around the slot's edge: one short, exactly full, one over.
 */
static void test_statement__overlapped_store(void **state)
{
	static const int sizes[] = { 1023, 1024, 1025, 1700 };
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	sqlite3 *db = kmv_vault__db(f->t->vault);
	int64_t before;

	for (size_t k = 0; k < KMV_ARRAY_SIZE(sizes); k++) {
		int n = sizes[k];

		assert_int_equal(kmv_db__exec(db, "DELETE FROM records"), 0);
		assert_int_equal(import(f, batch_file(f, "o.csv", n, 0), &res),
				 0);
		assert_int_equal(res.items[0].rows, n);
		assert_int_equal(res.items[0].added, n - 2);
		assert_int_equal(res.items[0].duplicates, 2);
		kmv_import_results_dispose(&res);
		assert_int_equal(scalar(f,
					"SELECT count(*) FROM records a, "
					"records b WHERE a.id < b.id AND "
					"a.source_line > b.source_line",
					NULL),
				 0);
		assert_int_equal(scalar(f,
					"SELECT max(source_line) - min("
					"source_line) FROM records",
					NULL),
				 n - 1);
		/* again, one row more: every other row a duplicate */
		assert_int_equal(import(f, batch_file(f, "o2.csv", n, 999999),
					&res),
				 0);
		assert_int_equal(res.items[0].added, 1);
		assert_int_equal(res.items[0].duplicates, n);
		kmv_import_results_dispose(&res);
	}

	before = scalar(f, "SELECT count(*) FROM records", NULL);
	assert_int_equal(
		kmv_db__exec(db,
			     "CREATE TEMP TRIGGER fail_one BEFORE INSERT ON "
			     "main.records WHEN NEW.payment_no = "
			     "'2024031000700' BEGIN SELECT RAISE(ABORT, "
			     "'injected failure'); END"),
		0);
	assert_int_not_equal(import(f, batch_file(f, "o3.csv", 1700, 0), &res),
			     0);
	kmv_import_results_dispose(&res);
	assert_non_null(strstr(kmv_error_last(), "injected failure"));
	assert_int_equal(scalar(f, "SELECT count(*) FROM records", NULL),
			 before);
	assert_int_equal(kmv_db__exec(db, "DROP TRIGGER temp.fail_one"), 0);
}

/* The records indexes as "name sql;..." (what a bulk import must restore). */
static char *index_schema(struct fixture *f)
{
	sqlite3_stmt *st;
	kmv_buf out = KMV_BUF_INIT;

	assert_int_equal(
		kmv_db__prepare(
			&st, kmv_vault__db(f->t->vault),
			"SELECT name, coalesce(sql, '') FROM sqlite_master WHERE "
			"type = 'index' AND tbl_name = 'records' ORDER BY name"),
		0);
	while (sqlite3_step(st) == SQLITE_ROW)
		kmv_buf_printf(&out, "%s %s;", sqlite3_column_text(st, 0),
			       sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return kmv_buf_detach(&out);
}

/*
 * A file larger than the vault drops the random-key indexes and builds
 * them once after the rows; a smaller one updates them per row.  Either
 * way the same indexes come back (and are used), and a rejected file
 * leaves them as they were.
 */
static void test_statement__bulk_import_rebuilds_the_indexes(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_buf text = KMV_BUF_INIT;
	char *before = index_schema(f), *after;

	assert_non_null(strstr(before, "records_amount_ts CREATE INDEX"));
	assert_non_null(strstr(before, "records_dedup CREATE UNIQUE INDEX"));
	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 150), 0);
	batch_rows(&text, 150, 0);
	assert_int_equal(import(f, write_file(f, "b.csv", text.ptr), &res), 0);
	kmv_import_results_dispose(&res);
	after = index_schema(f);
	assert_string_equal(after, before);
	free(after);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records INDEXED BY "
				"records_dedup WHERE source_kind = ?",
				"alipay"),
			 148);
	/* the rebuilt index holds every row */
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records INDEXED BY "
				"records_amount_ts WHERE amount > 0",
				NULL),
			 148);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records INDEXED BY "
				"records_payment_no WHERE payment_no = ?",
				"2024031000130"),
			 1);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM pragma_integrity_check "
				"WHERE integrity_check <> 'ok'",
				NULL),
			 0);

	/* a rejected file larger than the vault: indexes as before */
	kmv_buf_clear(&text);
	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 400), 0);
	batch_rows(&text, 300, 5000);
	kmv_buf_truncate(&text, text.size - 1);
	assert_int_equal(kmv_buf_puts(&text,
				      "\n2024-03-31 ,x ,y ,/ ,z ,支出 ,abc ,"
				      "余额 ,交易成功 ,7\t,\t, ,\n"),
			 0);
	assert_int_equal(import(f, write_file(f, "bad.csv", text.ptr), &res),
			 KMV_EINPUT);
	kmv_import_results_dispose(&res);
	after = index_schema(f);
	assert_string_equal(after, before);
	free(after);

	/* a small file into a larger vault keeps them all along */
	kmv_buf_clear(&text);
	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 10), 0);
	batch_rows(&text, 10, 7000);
	assert_int_equal(import(f, write_file(f, "s.csv", text.ptr), &res), 0);
	kmv_import_results_dispose(&res);
	after = index_schema(f);
	assert_string_equal(after, before);
	free(after);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records INDEXED BY "
				"records_amount_ts WHERE amount > 0",
				NULL),
			 149);
	free(before);
	kmv_buf_dispose(&text);
}

/*
 * A file larger than the vault (bulk mode): rows stored before, repeats
 * within the file and a row under another kind's key count as INSERT OR
 * IGNORE counts them, ids in file order without gaps.
 */
static void test_statement__bulk_duplicate_check(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_buf text = KMV_BUF_INIT, key = KMV_BUF_INIT;

	/* 41 rows stored (row 11 repeats row 10) */
	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 42), 0);
	batch_rows(&text, 42, 0);
	assert_int_equal(import(f, write_file(f, "a.csv", text.ptr), &res), 0);
	assert_int_equal(res.items[0].added, 41);
	kmv_import_results_dispose(&res);
	/* Raw SQL: another kind's record under the key of a row to come. */
	assert_int_equal(kmv_statement__number_key(&key, "2024031000050",
						   "2024-03-23T10:50:00+08:00",
						   5000, "out", "success"),
			 0);
	scalar(f,
	       "INSERT INTO records(kind, source_kind, dedup_key, created_at,"
	       " updated_at) VALUES ('order', 'orders', ?, 'now', 'now')",
	       key.ptr);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records WHERE "
				"dedup_key = ?",
				key.ptr),
			 1);
	/* 301 rows: 41 stored, two repeats, 258 new (one of them under the
	 * other kind's key) */
	kmv_buf_clear(&text);
	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 301), 0);
	batch_rows(&text, 300, 999999);
	assert_int_equal(import(f, write_file(f, "b.csv", text.ptr), &res), 0);
	assert_int_equal(res.items[0].rows, 301);
	assert_int_equal(res.items[0].added, 258);
	assert_int_equal(res.items[0].duplicates, 43);
	kmv_import_results_dispose(&res);
	assert_int_equal(scalar(f, "SELECT count(*) FROM records", NULL),
			 41 + 1 + 258);
	/* ids as INSERT OR IGNORE gives them: in file order, no gaps */
	assert_int_equal(scalar(f,
				"SELECT id FROM records WHERE payment_no = ?",
				"2024031999999"),
			 41 + 1 + 258);
	assert_int_equal(scalar(f,
				"SELECT id FROM records WHERE payment_no = ?",
				"2024031000043"),
			 43);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records INDEXED BY "
				"records_dedup WHERE source_kind = ?",
				"alipay"),
			 41 + 258);
	assert_int_equal(scalar(f,
				"SELECT count(*) FROM records WHERE "
				"dedup_key = ?",
				key.ptr),
			 2);
	kmv_buf_dispose(&key);
	kmv_buf_dispose(&text);
}

/* A large original is compressed on the other core and stored whole. */
static void test_statement__large_original_stored_intact(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_buf text = KMV_BUF_INIT, back = KMV_BUF_INIT;

	assert_int_equal(kmv_buf_printf(&text, ALIPAY_HEAD, 3000), 0);
	batch_rows(&text, 3000, 0);
	assert_true(text.size > 256 * 1024);
	assert_int_equal(import(f, write_file(f, "big.csv", text.ptr), &res),
			 0);
	assert_int_equal(kmv_source_content(&back, f->t->vault,
					    res.items[0].source_id),
			 0);
	assert_int_equal(back.size, text.size);
	assert_memory_equal(back.ptr, text.ptr, text.size);
	kmv_import_results_dispose(&res);
	kmv_buf_dispose(&text);
	kmv_buf_dispose(&back);
}

static void test_statement__wechat_fee_and_partial_refund(void **state)
{
	struct fixture *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	static const char text[] =
		"微信支付账单明细,,,,,,,,,,\n共2笔记录,,,,,,,,,,\n"
		"----------------------微信支付账单明细列表--------------------,,,,,,,,,,\n"
		"交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\n"
		"2024-05-22 10:00:00,零钱提现,示例银行,/,/,¥100.10,示例银行,提现已到账,2000001\t,/\t,服务费¥0.10\n"
		"2024-05-23 09:00:00,商户消费,A CO.,LTD,会员,支出,\"¥1,020.00\",零钱,已退款(￥20.00),4200003\t,K3\t,已优惠¥0.77\n";

	assert_int_equal(import(f, write_file(f, "w.csv", text), &res), 0);
	assert_int_equal(res.items[0].added, 2);
	assert_int_equal(scalar(f,
				"SELECT json_extract(extra, '$.fee') = '0.10' "
				"AND direction = 'neutral' FROM records WHERE "
				"payment_no = ?",
				"2000001"),
			 1);
	assert_int_equal(scalar(f,
				"SELECT amount FROM records WHERE "
				"merchant = ?",
				"A CO.,LTD"),
			 102000);
	assert_int_equal(
		scalar(f,
		       "SELECT json_extract(extra, "
		       "'$.refunded_amount') = '20.00' AND "
		       "json_extract(extra, '$.discount') = '0.77' AND "
		       "status = 'partially_refunded' FROM records WHERE "
		       "payment_no = ?",
		       "4200003"),
		1);
	kmv_import_results_dispose(&res);
}

static void test_statement__sniff_markers(void **state)
{
	static const char gbk[] =
		"----\n\xB5\xE7\xD7\xD3\xBF\xCD\xBB\xA7\xBB\xD8\xB5\xA5\n";
	static const char wx[] = "\xEF\xBB\xBF微信支付账单明细,,,\n";
	static const char web[] = "支付宝交易记录明细查询\n";
	static const char jd[] = "\xEF\xBB\xBF导出信息：\n京东账号名：jd_x\n";
	static const char other[] = "id,name\n1,x\n";

	(void)state;
	assert_int_equal(kmv_statement__sniff((const uint8_t *)gbk, strlen(gbk),
					      NULL),
			 KMV_IMPORT_ALIPAY);
	assert_int_equal(kmv_statement__sniff((const uint8_t *)wx, strlen(wx),
					      NULL),
			 KMV_IMPORT_WECHAT);
	assert_int_equal(kmv_statement__sniff((const uint8_t *)web, strlen(web),
					      NULL),
			 KMV_IMPORT_ALIPAY);
	assert_int_equal(kmv_statement__sniff((const uint8_t *)jd, strlen(jd),
					      NULL),
			 KMV_IMPORT_JD);
	assert_int_equal(kmv_statement__sniff((const uint8_t *)other,
					      strlen(other), NULL),
			 KMV_IMPORT_AUTO);
}

static void test_statement__status_vocabulary(void **state)
{
	(void)state;
	assert_string_equal(kmv_statement__status("交易成功"), "success");
	assert_string_equal(kmv_statement__status("朋友已收钱"), "success");
	assert_string_equal(kmv_statement__status("交易关闭"), "closed");
	assert_string_equal(kmv_statement__status("退款成功"), "refunded");
	assert_string_equal(kmv_statement__status("已全额退款"), "refunded");
	assert_string_equal(kmv_statement__status("已退款(￥0.11)"),
			    "partially_refunded");
	assert_string_equal(kmv_statement__status("等待确认收货"), "pending");
	assert_string_equal(kmv_statement__status("提现失败，已退回零钱"),
			    "failed");
	assert_string_equal(kmv_statement__status("分分捐"), "other");
	assert_null(kmv_statement__status(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_statement__refund_linked_to_original, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__refund_linked_across_imports, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__rows_without_id_are_counted, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__shared_numbers_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__metadata_and_count_warning, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__reject_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__batched_rows_keep_order_and_counts,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__bulk_import_rebuilds_the_indexes, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__bulk_duplicate_check, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__folder_skips_unrecognized_files, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__payment_method_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__large_original_stored_intact, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__wechat_fee_and_partial_refund, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_statement__overlapped_store, setup, teardown),
		cmocka_unit_test(test_statement__sniff_markers),
		cmocka_unit_test(test_statement__status_vocabulary),
	};

	kmv_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
