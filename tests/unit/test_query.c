/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "fixture.h"
#include "kmv/import.h"
#include "kmv/query.h"
#include "kmv/secret.h"
#include "kmv/init.h"
#include "kmv/vault.h"
#include "store/vault.h"
#include "store/db.h"

static int setup_data(void **state)
{
	static const char *const paths[] = {
		KMV_SAMPLES_DIR "/alipay_2024-03.csv",
		KMV_SAMPLES_DIR "/wechat_2024-03.csv",
		KMV_SAMPLES_DIR "/wechat_2026-04.xlsx",
	};
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_test_vault *f;
	int rc = kmv_test_vault_setup(state);

	if (rc != 0)
		return rc;
	f = *state;
	rc = kmv_import_files(&res, f->vault, paths, 3, NULL);
	kmv_import_results_dispose(&res);
	return rc;
}

struct seen {
	int n;
	int64_t ids[64];
	int stop_after;
};

static int collect(const kmv_query_row *row, void *payload)
{
	struct seen *s = payload;

	if (s->n < 64)
		s->ids[s->n] = row->rec.id;
	s->n++;
	return s->stop_after && s->n >= s->stop_after ? 1 : 0;
}

static int run(kmv_test_vault *f, const kmv_query_options *o)
{
	struct seen s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_query_run(f->vault, o, collect, &s), 0);
	return s.n;
}

static void test_query__all_newest_first(void **state)
{
	kmv_test_vault *f = *state;
	struct seen s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_query_run(f->vault, NULL, collect, &s), 0);
	assert_int_equal(s.n, 10);
	/* the 2026 WeChat XLSX rows come first */
	assert_int_equal(s.ids[0], 10);
	assert_int_equal(s.ids[1], 9);
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	assert_int_equal(kmv_query_run(f->vault, NULL, collect, &s), 0);
	assert_int_equal(s.n, 2);
}

static void test_query__filters(void **state)
{
	kmv_test_vault *f = *state;
	kmv_query_options o = KMV_QUERY_OPTIONS_INIT;

	o.platform = "WeChat";
	assert_int_equal(run(f, &o), 5);
	o.has_min = true;
	o.min_fen = 1000;
	assert_int_equal(run(f, &o), 3);
	o.has_max = true;
	o.max_fen = 2500;
	assert_int_equal(run(f, &o), 2);
	o = (kmv_query_options)KMV_QUERY_OPTIONS_INIT;
	o.status = "closed";
	assert_int_equal(run(f, &o), 1);
	o.status = "交易关闭";
	assert_int_equal(run(f, &o), 1);
	o = (kmv_query_options)KMV_QUERY_OPTIONS_INIT;
	o.merchant = "卡盟";
	assert_int_equal(run(f, &o), 3);
	o.merchant = "%";
	assert_int_equal(run(f, &o), 0);
	o = (kmv_query_options)KMV_QUERY_OPTIONS_INIT;
	o.order_no = "M200000000000000002";
	assert_int_equal(run(f, &o), 2);
	o.kind = "order";
	assert_int_equal(run(f, &o), 0);
	o = (kmv_query_options)KMV_QUERY_OPTIONS_INIT;
	o.limit = 4;
	assert_int_equal(run(f, &o), 4);
}

static void test_query__text_fts_and_short_words(void **state)
{
	kmv_test_vault *f = *state;
	kmv_query_options o = KMV_QUERY_OPTIONS_INIT;

	o.text = "游戏点卡";
	assert_int_equal(run(f, &o), 2);
	o.text = "点卡"; /* two characters: LIKE */
	assert_int_equal(run(f, &o), 2);
	o.text = "示例 洗衣液";
	assert_int_equal(run(f, &o), 2);
	o.text = "\"quoted\""; /* FTS syntax is never interpreted */
	assert_int_equal(run(f, &o), 0);
}

static void test_query__dates(void **state)
{
	kmv_test_vault *f = *state;
	kmv_query_options o = KMV_QUERY_OPTIONS_INIT;

	assert_int_equal(kmv_query_parse_time(&o.from_ts, "2024-03-10", false),
			 0);
	assert_int_equal(kmv_query_parse_time(&o.to_ts, "2024-03-10", true), 0);
	assert_int_equal(o.to_ts - o.from_ts, 86399);
	o.has_from = o.has_to = true;
	assert_int_equal(run(f, &o), 2);
	assert_int_equal(kmv_query_parse_time(&o.from_ts, "2024-03-10 12:00",
					      false),
			 0);
	assert_int_equal(run(f, &o), 1);
	assert_int_equal(kmv_query_parse_time(&o.from_ts,
					      "2024-03-10T04:00:00Z", false),
			 0);
	assert_int_equal(run(f, &o), 1);
	assert_int_equal(kmv_query_parse_time(&o.from_ts, "yesterday", false),
			 KMV_EUSAGE);
}

static void test_query__tombstones_hidden(void **state)
{
	kmv_test_vault *f = *state;

	kmv_fix_void(f->vault, 1);
	kmv_fix_void(f->vault, 2);
	assert_int_equal(run(f, NULL), 8);
}

static void test_query__bad_options(void **state)
{
	kmv_test_vault *f = *state;
	kmv_query_options o = KMV_QUERY_OPTIONS_INIT;
	struct seen s;

	memset(&s, 0, sizeof(s));
	o.kind = "card";
	assert_int_equal(kmv_query_run(f->vault, &o, collect, &s), KMV_EUSAGE);
	o.kind = NULL;
	o.has_min = o.has_max = true;
	o.min_fen = 500;
	o.max_fen = 100;
	assert_int_equal(kmv_query_run(f->vault, &o, collect, &s), KMV_EUSAGE);
}

/*
 * Records without a time come after every dated one, ties newest id
 * first; and the listing is read off records_ts, with no temporary
 * B-tree sorting the rows (the plan of the query kmv_query_run builds).
 */
static void test_query__undated_last_without_sorting(void **state)
{
	kmv_test_vault *f = *state;
	sqlite3 *db = kmv_vault__db(f->vault);
	sqlite3_stmt *st;
	struct seen s;
	bool temp_btree = false;

	/* ids 11..14: undated, dated, undated, dated at the same time */
	for (int i = 0; i < 4; i++) {
		kmv_fix_record r = { .kind = "order",
				     .merchant = "x",
				     .ts = i % 2 ? 1711000000 : 0,
				     .amount = 1 };

		assert_int_equal(kmv_fix_record_add(f->vault, &r), 11 + i);
	}
	memset(&s, 0, sizeof(s));
	assert_int_equal(kmv_query_run(f->vault, NULL, collect, &s), 0);
	assert_int_equal(s.n, 14);
	/* ids 11..14: 12 and 14 share a time (14 first), 13 and 11 undated */
	assert_int_equal(s.ids[12], 13);
	assert_int_equal(s.ids[13], 11);
	for (int i = 0; i < 12; i++)
		assert_true(s.ids[i] != 11 && s.ids[i] != 13);
	for (int i = 0; i + 1 < 12; i++)
		if (s.ids[i] == 12)
			fail_msg("id 12 before id 14 (same time)");
		else if (s.ids[i] == 14)
			break;
	assert_int_equal(
		kmv_db__prepare(
			&st, db,
			"EXPLAIN QUERY PLAN SELECT r.id FROM records r LEFT JOIN sources s"
			" ON s.id = r.source_id WHERE r.deleted_at IS NULL"
			" ORDER BY r.ts DESC, r.id DESC LIMIT 20"),
		0);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (strstr((const char *)sqlite3_column_text(st, 3),
			   "TEMP B-TREE"))
			temp_btree = true;
	sqlite3_finalize(st);
	assert_false(temp_btree);
}

static int first_secret(const kmv_query_row *row, void *payload)
{
	char *out = payload;

	if (row->rec.card_secret)
		snprintf(out, 128, "%s", row->rec.card_secret);
	return 1;
}

/* Card secrets leave kmv_query_run masked unless the caller asks. */
static void test_query__secrets_masked_inside(void **state)
{
	kmv_test_vault *f = *state;
	kmv_query_options o = KMV_QUERY_OPTIONS_INIT;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	char secret[128] = "";
	const char *p = kmv_test_put(
		f, "o.csv",
		"订单号,订单金额,下单时间,订单状态,卡密\n"
		"Q1,9.90,2030-01-01 00:00:00,已完成,ABCD-EFGH-IJKL\n");

	assert_int_equal(kmv_test_import(f, p, NULL, "shopA", &res), 0);
	kmv_import_results_dispose(&res);
	o.order_no = "Q1";
	assert_int_equal(kmv_query_run(f->vault, &o, first_secret, secret), 0);
	assert_string_equal(secret, "ABCD\xE2\x80\xA6IJKL");
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM events "
					   "WHERE action = 'reveal'"),
			 0);
	o.reveal_secrets = true;
	assert_int_equal(kmv_query_run(f->vault, &o, first_secret, secret), 0);
	assert_string_equal(secret, "ABCD-EFGH-IJKL");
	/* The library audits the reveal, whoever asked for it. */
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM events "
					   "WHERE action = 'reveal' AND "
					   "json_extract(detail, '$.order_no') "
					   "= 'Q1'"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_query__all_newest_first,
						setup_data,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_query__filters, setup_data,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_query__text_fts_and_short_words, setup_data,
			kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_query__dates, setup_data,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_query__tombstones_hidden,
						setup_data,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_query__bad_options,
						setup_data,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_query__secrets_masked_inside, setup_data,
			kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_query__undated_last_without_sorting, setup_data,
			kmv_test_vault_teardown),
	};

	kmv_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
