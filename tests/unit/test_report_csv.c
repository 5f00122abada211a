/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <csv.h>

#include "kmv/error.h"
#include "kmv/report.h"
#include "report_fixture.h"

/* The CSV read back by libcsv: rows of fields. */
struct table {
	char *cells[16][24];
	size_t ncells[16];
	size_t nrows;
};

static void on_field(void *s, size_t len, void *payload)
{
	struct table *t = payload;
	char *copy = malloc(len + 1);

	memcpy(copy, s, len);
	copy[len] = '\0';
	assert_true(t->nrows < 16 && t->ncells[t->nrows] < 24);
	t->cells[t->nrows][t->ncells[t->nrows]++] = copy;
}

static void on_row(int c, void *payload)
{
	struct table *t = payload;

	(void)c;
	t->nrows++;
}

static void parse(struct table *t, const char *data, size_t len)
{
	struct csv_parser p;

	memset(t, 0, sizeof(*t));
	assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	assert_int_equal(csv_parse(&p, data, len, on_field, on_row, t), len);
	assert_int_equal(csv_fini(&p, on_field, on_row, t), 0);
	csv_free(&p);
}

static void table_free(struct table *t)
{
	for (size_t r = 0; r < 16; r++)
		for (size_t c = 0; c < t->ncells[r]; c++)
			free(t->cells[r][c]);
}

static void make_csv(kmv_test_vault *f, kmv_buf *out)
{
	kmv_report_period p;
	kmv_report *r = NULL;

	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(kmv_report_csv(out, r), 0);
	kmv_report_free(r);
}

/* kmv_report_export writes what it renders and audits it itself. */
static void test_report_csv__export_is_audited(void **state)
{
	kmv_test_vault *f = *state;
	kmv_report_export_options o = { KMV_REPORT_CSV, "/tmp/x/三月.csv", NULL,
					NULL };
	kmv_buf out = KMV_BUF_INIT, plain = KMV_BUF_INIT;
	char sha[KMV_SHA256_HEX_BUFSZ], want[KMV_SHA256_HEX_BUFSZ];
	kmv_report_period p;
	kmv_report *r = NULL;
	sqlite3_stmt *st = NULL;

	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(kmv_report_export(&out, sha, r, &o), 0);
	assert_int_equal(kmv_report_csv(&plain, r), 0);
	assert_int_equal(out.size, plain.size);
	assert_memory_equal(out.ptr, plain.ptr, out.size);
	kmv_sha256_hex(want, out.ptr, out.size);
	assert_string_equal(sha, want);
	assert_int_equal(
		sqlite3_prepare_v2(kmv_vault__db(f->vault),
				   "SELECT json_extract(detail, '$.format'),"
				   " json_extract(detail, '$.file'),"
				   " json_extract(detail, '$.records'),"
				   " json_extract(detail, '$.sha256'),"
				   " json_extract(detail, '$.period')"
				   " FROM events WHERE action = 'export'",
				   -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "csv");
	assert_string_equal((const char *)sqlite3_column_text(st, 1),
			    "三月.csv");
	assert_int_equal(sqlite3_column_int64(st, 2), (int64_t)r->nrows);
	assert_string_equal((const char *)sqlite3_column_text(st, 3), sha);
	assert_string_equal((const char *)sqlite3_column_text(st, 4),
			    "2024-03");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	kmv_report_free(r);
	kmv_buf_dispose(&out);
	kmv_buf_dispose(&plain);
}

static void test_report_csv__bom_crlf_and_rows(void **state)
{
	kmv_buf out = KMV_BUF_INIT;
	struct table t;

	make_csv(*state, &out);
	assert_memory_equal(out.ptr, "\xEF\xBB\xBF", 3);
	/* every line ends in CRLF, no bare LF */
	for (size_t i = 0; i < out.size; i++)
		if (out.ptr[i] == '\n')
			assert_int_equal(out.ptr[i - 1], '\r');
	parse(&t, out.ptr + 3, out.size - 3);
	/* header + 4 March records + the three headline lines */
	assert_int_equal(t.nrows, 8);
	assert_string_equal(t.cells[0][0], "ID");
	assert_string_equal(t.cells[0][10], "金额");
	assert_string_equal(t.cells[1][5], FIX_ORDER_NO);
	assert_string_equal(t.cells[1][10], "48.50");
	/* Chinese values under Chinese headers, never `order` / `out` */
	assert_string_equal(t.cells[1][1], "订单");
	assert_string_equal(t.cells[2][1], "付款");
	assert_string_equal(t.cells[2][11], "支出");
	assert_string_equal(t.cells[0][19], "计入项");
	assert_string_equal(t.cells[7][1], "合计：净支出 = 支出 − 退款及收入");
	assert_string_equal(t.cells[7][16], "63.50");
	table_free(&t);
	kmv_buf_dispose(&out);
}

static void test_report_csv__long_ids_stay_text(void **state)
{
	kmv_buf out = KMV_BUF_INIT;
	struct table t;

	make_csv(*state, &out);
	parse(&t, out.ptr + 3, out.size - 3);
	/* row 2 is the payment: 28 digits + TAB, so Excel keeps it as text */
	assert_string_equal(t.cells[2][6], FIX_TRADE_NO "\t");
	/* not all digits: left alone */
	assert_string_equal(t.cells[2][7], FIX_ORDER_NO);
	table_free(&t);
	kmv_buf_dispose(&out);
}

static void test_report_csv__formula_injection_neutralised(void **state)
{
	kmv_buf out = KMV_BUF_INIT;
	struct table t;

	make_csv(*state, &out);
	parse(&t, out.ptr + 3, out.size - 3);
	assert_string_equal(t.cells[2][8],
			    "'=HYPERLINK(\"http://evil.example\")");
	assert_string_equal(t.cells[3][8], "'-会员月卡+1");
	/* the refund's signed net amount is a number we wrote: not touched */
	assert_string_equal(t.cells[4][16], "-10.00");
	assert_string_equal(t.cells[4][10], "10.00");
	table_free(&t);
	kmv_buf_dispose(&out);
}

static void test_report_csv__no_card_secrets(void **state)
{
	kmv_buf out = KMV_BUF_INIT;

	make_csv(*state, &out);
	assert_null(strstr(out.ptr, FIX_SECRET1));
	assert_null(strstr(out.ptr, FIX_SECRET2));
	assert_null(strstr(out.ptr, "SECRET"));
	kmv_buf_dispose(&out);
}

static void test_report_csv__totals(void **state)
{
	kmv_test_vault *f = *state;
	kmv_report_period p;
	kmv_report *r = NULL;

	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(r->nrows, 4);
	assert_int_equal(r->total_spend, 6350);
	assert_int_equal(r->total_spent, 7350);
	assert_int_equal(r->total_back, 1000);
	assert_int_equal(r->total_spent - r->total_back, r->total_spend);
	assert_int_equal(r->by_platform.count, 1);
	assert_string_equal(r->by_platform.items[0].key, "示例卡盟");
	assert_int_equal(r->by_platform.items[0].amount, 6350);
	assert_int_equal(r->by_day.count, 31);
	assert_string_equal(r->by_day.items[14].key, "2024-03-15");
	assert_int_equal(r->by_day.items[14].amount, 4850);
	assert_int_equal(r->by_month.count, 1);
	kmv_report_free(r);
}

/* Without links (match not run yet) a paid order and the payment quoting
 * its number still count once; an unlink veto makes them separate. */
static void test_report_csv__totals_before_match(void **state)
{
	kmv_test_vault *f = *state;
	kmv_report_period p;
	kmv_report *r = NULL;

	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(r->total_spend, 6350);
	kmv_report_free(r);
	/* The user's `unlink`: a veto of the pair. */
	assert_int_equal(kmv_match_unlink(f->vault, 1, 2, NULL), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(r->total_spend, 6350 + 4850);
	kmv_report_free(r);
}

static void test_report_csv__periods(void **state)
{
	kmv_report_period p;

	(void)state;
	assert_int_equal(kmv_report_period_month(&p, "2024-02"), 0);
	assert_string_equal(p.last_day, "2024-02-29");
	assert_int_equal(p.to - p.from, 29 * 86400);
	assert_int_equal(kmv_report_period_month(&p, "2024-13"), KMV_EUSAGE);
	assert_int_equal(kmv_report_period_month(&p, "2024-3"), KMV_EUSAGE);
	assert_int_equal(kmv_report_period_range(&p, "2024-03-01",
						 "2024-03-01"),
			 0);
	assert_int_equal(p.to - p.from, 86400);
	assert_int_equal(kmv_report_period_range(&p, "2024-03-02",
						 "2024-03-01"),
			 KMV_EUSAGE);
	assert_int_equal(kmv_report_period_range(&p, "2024-02-30",
						 "2024-03-01"),
			 KMV_EUSAGE);
}

/* summary's groups add up to the headline, for every grouping */
static void test_report_csv__groups_are_the_headline(void **state)
{
	kmv_test_vault *f = *state;
	static const kmv_report_group_by bys[] = {
		KMV_GROUP_PLATFORM, KMV_GROUP_CATEGORY, KMV_GROUP_MERCHANT,
		KMV_GROUP_MONTH,    KMV_GROUP_DAY,
	};
	kmv_report_period p;
	kmv_report *r = NULL;
	kmv_report_group_by by;

	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	for (size_t b = 0; b < sizeof(bys) / sizeof(bys[0]); b++) {
		kmv_report_group *g = NULL, total;
		size_t n = 0;
		int64_t net = 0;

		assert_int_equal(kmv_report_group_rows(&g, &n, &total, r,
						       bys[b], NULL),
				 0);
		assert_int_equal(total.spent, r->total_spent);
		assert_int_equal(total.back, r->total_back);
		assert_int_equal(total.net, r->total_spend);
		for (size_t i = 0; i < n; i++)
			net += g[i].net;
		assert_int_equal(net, r->total_spend);
		kmv_report_groups_free(g, n);
	}
	assert_int_equal(kmv_report_group_parse(&by, "week"), KMV_EUSAGE);
	assert_int_equal(kmv_report_group_parse(&by, "day"), 0);
	assert_int_equal(by, KMV_GROUP_DAY);
	kmv_report_free(r);
}

/* each ledger transaction balances; the expenses sum to the net */
static void test_report_csv__ledger_balances(void **state)
{
	kmv_test_vault *f = *state;
	kmv_report_period p;
	kmv_report *r = NULL;
	kmv_buf out = KMV_BUF_INIT;
	int64_t sum = 0, expenses = 0;
	char *line, *save = NULL;

	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(kmv_report_ledger(&out, r, true), 0);
	assert_non_null(
		strstr(out.ptr, "option \"operating_currency\" \"CNY\""));
	assert_non_null(strstr(out.ptr, "#refund"));
	assert_null(strstr(out.ptr, "SECRET"));
	for (line = strtok_r(out.ptr, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char account[64];
		double v;

		if (sscanf(line, "  %63[A-Za-z:] %lf CNY", account, &v) == 2) {
			int64_t fen = (int64_t)(v * 100 + (v < 0 ? -0.5 : 0.5));

			sum += fen;
			if (strncmp(account, "Expenses", 8) == 0 ||
			    strncmp(account, "Income", 6) == 0)
				expenses += fen;
		}
	}
	assert_int_equal(sum, 0);
	assert_int_equal(expenses, r->total_spend);
	kmv_buf_dispose(&out);
	kmv_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_report_csv__bom_crlf_and_rows, fix_setup,
			fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_report_csv__long_ids_stay_text, fix_setup,
			fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_report_csv__formula_injection_neutralised,
			fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_report_csv__export_is_audited, fix_setup,
			fix_teardown),
		cmocka_unit_test_setup_teardown(test_report_csv__no_card_secrets,
						fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_report_csv__totals_before_match,
			fix_setup_unmatched, fix_teardown),
		cmocka_unit_test_setup_teardown(test_report_csv__totals,
						fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_report_csv__groups_are_the_headline, fix_setup,
			fix_teardown),
		cmocka_unit_test_setup_teardown(test_report_csv__ledger_balances,
						fix_setup, fix_teardown),
		cmocka_unit_test(test_report_csv__periods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
