/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <unistd.h>

#include "kmv/error.h"
#include "kmv/label.h"
#include "kmv/report.h"
#include "report_fixture.h"
#include "kmvutil/file.h"

/* pdftotext (poppler) output of a PDF written to the fixture dir. */
static char *pdf_text(kmv_test_vault *f, const kmv_buf *pdf)
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
	kmv_test_vault *f = *state;
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
	kmv_test_vault *f = *state;
	kmv_report_period p;
	kmv_report *r = NULL;
	kmv_buf pdf = KMV_BUF_INIT;
	char *text;

	/* 120 WeChat payments with long CJK texts, through the sink. */
	for (int i = 1; i <= 120; i++) {
		char key[16], no[48], product[256];
		kmv_fix_record rec = {
			.kind = "payment",
			.source_kind = "wechat",
			.dedup_key = key,
			.merchant =
				"很长的商户名称用来测试中文自动换行是否正常工作",
			.payment_no = no,
			.ts = 1710043200 + i,
			.amount = 100 * i,
			.direction = "out",
			.product = product,
		};

		snprintf(key, sizeof(key), "w%d", i);
		snprintf(no, sizeof(no), "42000012345678901234567890%d", i);
		snprintf(product, sizeof(product),
			 "一个非常非常长的商品说明，其中包含许多中文字符，需要"
			 "在表格单元格里换行显示才能完整呈现%d",
			 i);
		kmv_fix_record_add(f->vault, &rec);
	}
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
			"申诉人：张三\n\n事情经过：2024-03-15 20:10 下单，支付 48.50 元，未收到卡密。\n",
			KMV_LANG_ZH),
		0);
	text = pdf_text(*state, &pdf);
	assert_non_null(strstr(text, "申诉书"));
	assert_non_null(strstr(text, "未收到卡密"));
	assert_non_null(strstr(text, "第 1 页，共 1 页"));
	free(text);
	kmv_buf_dispose(&pdf);
}

/* The footer in the document's language, with the page count. */
static void test_pdf__text_document_footer(void **state)
{
	kmv_buf pdf = KMV_BUF_INIT, body = KMV_BUF_INIT;
	char *text;

	for (int i = 0; i < 120; i++)
		assert_int_equal(kmv_buf_printf(&body, "Paragraph %d.\n", i),
				 0);
	assert_int_equal(kmv_report_text_pdf(&pdf, "Complaint", body.ptr,
					     KMV_LANG_EN),
			 0);
	text = pdf_text(*state, &pdf);
	assert_non_null(strstr(text, "Complaint · Page 1 of 3"));
	assert_non_null(strstr(text, "Complaint · Page 3 of 3"));
	assert_null(strstr(text, "页"));
	free(text);
	kmv_buf_dispose(&pdf);
	assert_int_equal(kmv_report_text_pdf(&pdf, "申诉书", body.ptr,
					     KMV_LANG_ZH),
			 0);
	text = pdf_text(*state, &pdf);
	assert_non_null(strstr(text, "申诉书 · 第 2 页，共 3 页"));
	free(text);
	kmv_buf_dispose(&pdf);
	kmv_buf_dispose(&body);
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
		cmocka_unit_test_setup_teardown(test_pdf__text_document_footer,
						fix_setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
