/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <unistd.h>

#include "kmv/error.h"
#include "kmv/report.h"
#include "report_fixture.h"
#include "kmvutil/file.h"

/* pdftotext (poppler) output of a PDF written to the fixture dir. */
static char *pdf_text(struct fixture *f, const kmv_buf *pdf)
{
	char path[4300], cmd[4400];
	FILE *p;
	char *text = calloc(1, 65536);
	size_t n;

	snprintf(path, sizeof(path), "%s/r.pdf", f->dir);
	unlink(path);
	assert_int_equal(kmv_file_write(path, pdf->ptr, pdf->size, false), 0);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>/dev/null",
		 path);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(text, 1, 65535, p);
	text[n] = '\0';
	pclose(p);
	return text;
}

static void test_pdf__report_text_is_extractable(void **state)
{
	struct fixture *f = *state;
	kmv_report_period p;
	kmv_report *r = NULL;
	kmv_buf pdf = KMV_BUF_INIT;
	char *text;

	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(kmv_report_pdf(&pdf, r), 0);
	assert_memory_equal(pdf.ptr, "%PDF-", 5);
	text = pdf_text(f, &pdf);
	assert_non_null(strstr(text, "消费报表"));
	assert_non_null(strstr(text, "示例卡盟"));
	assert_non_null(strstr(text, "2024-03"));
	assert_non_null(strstr(text, "63.50"));
	assert_non_null(strstr(text, "第 1 页"));
	assert_null(strstr(text, "SECRET"));
	free(text);
	kmv_buf_dispose(&pdf);
	kmv_report_free(r);
}

static void test_pdf__long_table_paginates(void **state)
{
	struct fixture *f = *state;
	kmv_report_period p;
	kmv_report *r = NULL;
	kmv_buf pdf = KMV_BUF_INIT;
	sqlite3 *db = kmv_vault__db(f->vault);
	char *text;

	assert_int_equal(
		fix_exec(
			db,
			"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			" WHERE i < 120)"
			" INSERT INTO records(kind, source_kind, dedup_key, merchant,"
			" payment_no, time, ts, amount, direction, product, created_at,"
			" updated_at) SELECT 'payment', 'wechat', 'w' || i, '很长的商户名称"
			"用来测试中文自动换行是否正常工作', '42000012345678901234567890' || i,"
			" '2024-03-10T12:00:00+08:00', 1710043200 + i, 100 * i, 'out',"
			" '一个非常非常长的商品说明，其中包含许多中文字符，需要在表格单元格"
			"里换行显示才能完整呈现' || i, 'x', 'x' FROM n"),
		SQLITE_OK);
	assert_int_equal(kmv_report_period_month(&p, "2024-03"), 0);
	assert_int_equal(kmv_report_collect(&r, f->vault, &p), 0);
	assert_int_equal(kmv_report_pdf(&pdf, r), 0);
	text = pdf_text(f, &pdf);
	assert_non_null(strstr(text, "第 3 页"));
	assert_non_null(strstr(text, "商品说明"));
	free(text);
	kmv_buf_dispose(&pdf);
	kmv_report_free(r);
}

static void test_pdf__text_document(void **state)
{
	kmv_buf pdf = KMV_BUF_INIT;
	char *text;

	assert_int_equal(
		kmv_report_text_pdf(
			&pdf, "申诉书",
			"申诉人：张三\n\n事情经过：2024-03-15 20:10 下单，支付 48.50 元，未收到卡密。\n"),
		0);
	text = pdf_text(*state, &pdf);
	assert_non_null(strstr(text, "申诉书"));
	assert_non_null(strstr(text, "未收到卡密"));
	free(text);
	kmv_buf_dispose(&pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_pdf__report_text_is_extractable, fix_setup,
			fix_teardown),
		cmocka_unit_test_setup_teardown(test_pdf__long_table_paginates,
						fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_pdf__text_document,
						fix_setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
