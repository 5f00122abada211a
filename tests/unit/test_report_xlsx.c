/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include "import/readers.h"
#include "kmv/error.h"
#include "kmv/report.h"
#include "report_fixture.h"

/* One member of the XLSX (a ZIP) read back through libarchive. */
static char *xlsx_member(const char *path, const char *name)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *data = NULL;

	archive_read_support_format_zip(a);
	assert_int_equal(archive_read_open_filename(a, path, 16384),
			 ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		la_int64_t size = archive_entry_size(e);

		if (strcmp(archive_entry_pathname(e), name) != 0)
			continue;
		data = calloc(1, (size_t)size + 1);
		assert_int_equal(archive_read_data(a, data, (size_t)size),
				 size);
		break;
	}
	archive_read_free(a);
	return data;
}

static void write_xlsx(kmv_test_vault *f, char *path, size_t n)
{
	kmv_report_period p;
	kmv_report *r = NULL;

	snprintf(path, n, "%s/report.xlsx", f->dir);
	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(kmv_report_xlsx(r, path), 0);
	kmv_report_free(r);
}

static void test_report_xlsx__sheets_ids_and_formats(void **state)
{
	char path[4300];
	char *wbk, *sheet, *strings, *styles;
	struct stat st;

	write_xlsx(*state, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	wbk = xlsx_member(path, "xl/workbook.xml");
	sheet = xlsx_member(path, "xl/worksheets/sheet1.xml");
	strings = xlsx_member(path, "xl/sharedStrings.xml");
	styles = xlsx_member(path, "xl/styles.xml");
	assert_non_null(wbk);
	assert_non_null(sheet);
	assert_non_null(strings);
	assert_non_null(styles);
	assert_non_null(strstr(wbk, "name=\"记录\""));
	assert_non_null(strstr(wbk, "name=\"汇总\""));
	/* the 28-digit trade number is a shared string (text), never a number */
	assert_non_null(strstr(strings, "<t>" FIX_TRADE_NO "</t>"));
	assert_null(strstr(sheet, "<v>" FIX_TRADE_NO "</v>"));
	/* amounts are numbers: 48.5 written as a value */
	assert_non_null(strstr(sheet, "<v>48.5</v>"));
	/* frozen header and auto-filter */
	assert_non_null(strstr(sheet, "ySplit=\"1\""));
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:U5\""));
	/* the yuan format and the date format */
	assert_non_null(strstr(styles, "\xC2\xA5#,##0.00"));
	assert_non_null(strstr(styles, "yyyy-mm-dd hh:mm:ss"));
	/* Chinese values under the Chinese headers (issue 14 point 3) */
	assert_non_null(strstr(strings, "<t>付款</t>"));
	assert_non_null(strstr(strings, "<t>支出</t>"));
	assert_non_null(strstr(strings, "<t>已完成</t>"));
	assert_null(strstr(strings, "<t>payment</t>"));
	assert_null(strstr(strings, "<t>out</t>"));
	assert_null(strstr(strings, "<t>completed</t>"));
	/* no card secret anywhere */
	assert_null(strstr(strings, "SECRET"));
	assert_null(strstr(sheet, "SECRET"));
	free(wbk);
	free(sheet);
	free(strings);
	free(styles);
}

static void test_report_xlsx__summary_totals(void **state)
{
	char path[4300];
	char *sheet, *strings;

	write_xlsx(*state, path, sizeof(path));
	sheet = xlsx_member(path, "xl/worksheets/sheet2.xml");
	strings = xlsx_member(path, "xl/sharedStrings.xml");
	assert_non_null(sheet);
	assert_non_null(strstr(strings, "<t>示例卡盟</t>"));
	assert_non_null(strstr(strings, "<t>2024-03</t>"));
	/* net 63.50 for the month */
	assert_non_null(strstr(sheet, "<v>63.5</v>"));
	free(sheet);
	free(strings);
}

struct readback {
	int rows;
	bool id_is_text;
	bool amount_is_number;
	bool time_is_number;
};

static int on_row(const kmv_row *row, void *payload)
{
	struct readback *rb = payload;

	rb->rows++;
	if (row->line == 3 && row->ncells > 10) {
		/* the payment: trade number as text, 48.5 as a number, date serial */
		rb->id_is_text = strcmp(row->cells[6], FIX_TRADE_NO) == 0 &&
				 !row->is_number[6];
		rb->amount_is_number = row->is_number[10] &&
				       row->numbers[10] == 48.5;
		rb->time_is_number = row->is_number[2] &&
				     row->numbers[2] > 45000;
	}
	return 0;
}

static void test_report_xlsx__project_reader_reads_it_back(void **state)
{
	struct readback rb = { 0 };
	char path[4300];
	unsigned char *data;
	size_t len;

	write_xlsx(*state, path, sizeof(path));
	data = kmv_test_slurp(path, &len);
	assert_non_null(data);
	assert_int_equal(kmv_xlsx__read(data, len, "记录", path, on_row, &rb),
			 0);
	/* header, 4 records, then the three headline lines under them */
	assert_int_equal(rb.rows, 8);
	assert_true(rb.id_is_text);
	assert_true(rb.amount_is_number);
	assert_true(rb.time_is_number);
	free(data);
}

static void test_report_xlsx__unwritable_path_fails(void **state)
{
	kmv_test_vault *f = *state;
	kmv_report_period p;
	kmv_report *r = NULL;

	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(kmv_report_xlsx(r, "/nonexistent-dir/x.xlsx"),
			 KMV_ERROR);
	kmv_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_report_xlsx__sheets_ids_and_formats, fix_setup,
			fix_teardown),
		cmocka_unit_test_setup_teardown(test_report_xlsx__summary_totals,
						fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_report_xlsx__project_reader_reads_it_back,
			fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_report_xlsx__unwritable_path_fails, fix_setup,
			fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
